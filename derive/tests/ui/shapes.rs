// Shapes the derives do not read or write.
use siyu::decode::Decode;
use siyu::encode::Encode;

#[derive(Decode, Encode)]
struct Tuple(i64, String);

#[derive(Decode)]
enum Data {
    Unit,
    Tuple(i64),
}

#[derive(Encode)]
enum Struct {
    Unit,
    Struct { a: i64 },
}

#[derive(Decode, Encode)]
#[serde(tag = "type")]
enum TupleVariant {
    A(i64),
}

#[derive(Decode, Encode)]
#[serde(tag = "type")]
struct Tagged {
    a: i64,
}

#[derive(Decode, Encode)]
union Either {
    a: u32,
    b: f32,
}

fn main() {}
