// One non-generic decoder per type: generics are refused.
use siyu::decode::Decode;
use siyu::encode::Encode;

#[derive(Decode, Encode)]
struct Wrapper<T> {
    inner: T,
}

#[derive(Decode)]
struct Borrowed<'a> {
    text: &'a str,
}

fn main() {}
