// No platform-sized integers in what is read or written: `usize` is 32 bits
// in the .wasm and 64 natively, so 2^32 would be a number on one target and
// a type error on the other.
use siyu::decode::Decode;
use siyu::encode::Encode;

#[derive(Decode)]
struct RefundLine {
    line: usize,
}

#[derive(Encode)]
struct Outcome {
    tier: Option<usize>,
}

#[derive(Encode, Decode)]
#[serde(tag = "type")]
enum Event {
    Moved { by: Vec<(String, isize)> },
}

// Skipped fields are neither read nor written: allowed.
#[derive(Encode)]
struct Scratch {
    #[serde(skip)]
    index: usize,
    n: u32,
}

fn main() {}
