// Encode merges one flattened field into its parent's members, and only
// a struct's: a variant's flattened field would not be written.
use siyu::decode::Decode;
use siyu::encode::Encode;

#[derive(Decode, Encode)]
struct A {
    a: i64,
}

#[derive(Decode, Encode)]
struct B {
    b: i64,
}

#[derive(Encode)]
struct Two {
    id: String,
    #[serde(flatten)]
    a: A,
    #[serde(flatten)]
    b: B,
}

#[derive(Encode)]
#[serde(tag = "type")]
enum InVariant {
    V {
        #[serde(flatten)]
        a: A,
    },
}

fn main() {}
