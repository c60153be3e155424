//! Arbitrary bytes → `Rules::parse`. Bad input must be an error value, never a
//! panic, an abort, a stack overflow or a hang; good input must round-trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use siyu::Rules;

fuzz_target!(|data: &[u8]| {
    // The engine takes `&str`; hosts hand it UTF-8. Lossy conversion keeps the
    // fuzzer's invalid bytes in play as U+FFFD.
    let text = String::from_utf8_lossy(data);
    match Rules::parse(&text) {
        Ok(rules) => {
            let fp = rules.fingerprint();
            assert!(fp.starts_with("sha256:") && fp.len() == 71, "{fp}");
            // Written out, a rule set is written with every default filled in;
            // that form must re-parse to the same rules (serialize to the
            // same text again). Its fingerprint is not `fp`: the fingerprint
            // hashes the document as written, and writing defaults out
            // changes it (docs/rules.md, "The fingerprint").
            let filled = siyu::to_json(&rules);
            let again = Rules::parse(&filled).expect("serialized rules re-parse");
            assert_eq!(siyu::to_json(&again), filled);
            // Whitespace and key order do not change a fingerprint: the same
            // document pretty-printed with its keys sorted (serde_json's map
            // is a BTreeMap; every number in rules is an integer).
            let tree: serde_json::Value = serde_json::from_str(&filled).unwrap();
            let pretty = serde_json::to_string_pretty(&tree).unwrap();
            assert_eq!(Rules::parse(&pretty).expect("the same document re-parses").fingerprint(), again.fingerprint());
        }
        Err(e) => assert!(siyu::code::ALL.contains(&e.code), "{}", e.code),
    }
});
