//! Arbitrary bytes → `Rules::parse`. Bad input must be an error value, never a
//! panic, an abort, a stack overflow or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use siyu::Rules;

fuzz_target!(|data: &[u8]| {
    // The engine takes `&str`; hosts hand it UTF-8. Lossy conversion keeps the
    // fuzzer's invalid bytes in play as U+FFFD.
    let text = String::from_utf8_lossy(data);
    match Rules::parse(&text) {
        Ok(rules) => {
            // A parsed rule set must fingerprint and re-parse to itself.
            let fp = rules.fingerprint();
            let again = Rules::parse(&serde_json::to_string(&rules).unwrap()).expect("canonical rules re-parse");
            assert_eq!(again.fingerprint(), fp);
        }
        Err(e) => assert!(!e.code.is_empty()),
    }
});
