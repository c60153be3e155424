//! First byte picks an operation from `ops::OPERATIONS`, the rest is the JSON
//! input → `ops::call`. The answer must always be the JSON envelope.
#![no_main]

use libfuzzer_sys::fuzz_target;
use siyu::ops::{call, OPERATIONS};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let op = OPERATIONS[pick as usize % OPERATIONS.len()].name;
    let input = String::from_utf8_lossy(rest);
    let out = call(op, &input);
    let v: serde_json::Value = serde_json::from_str(&out).expect("ops::call returns JSON");
    let obj = v.as_object().expect("an envelope object");
    assert_eq!(obj.len(), 1);
    if let Some(e) = obj.get("error") {
        assert!(e["code"].as_str().is_some_and(|c| siyu::code::ALL.iter().any(|k| *k == c)), "{e}");
        assert!(e["path"].is_string());
    } else {
        assert!(obj.contains_key("ok"));
    }
});
