// A `#[decode(whole)]` field is computed from the whole object, not read
// from a member of it, nor written: it must be `#[serde(skip)]` too.
use siyu::decode::{Decode, Json, Whole};

struct Fingerprint;

impl Whole for Fingerprint {
    fn whole(_: &Json) -> Self {
        Fingerprint
    }
}

#[derive(Decode)]
struct Rules {
    name: String,
    #[decode(whole)]
    fingerprint: Fingerprint,
}

fn main() {}
