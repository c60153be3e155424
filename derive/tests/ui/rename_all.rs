// Only snake_case, the one rule the derives write.
use siyu::decode::Decode;
use siyu::encode::Encode;

#[derive(Decode, Encode)]
#[serde(rename_all = "camelCase")]
enum Level {
    Gold,
    SilverPlus,
}

fn main() {}
