// serde attributes the derives do not read: refused, not ignored.
use siyu::decode::Decode;
use siyu::encode::Encode;

#[derive(Decode, Encode)]
struct Renamed {
    #[serde(rename = "b")]
    a: i64,
}

#[derive(Decode)]
#[serde(untagged)]
enum Untagged {
    A,
}

#[derive(Encode)]
struct Alias {
    #[serde(skip, alias = "c")]
    a: i64,
}

#[derive(Decode)]
struct Other {
    #[decode(part)]
    a: i64,
}

fn main() {}
