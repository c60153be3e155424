//! The built-in demo: a tea shop's rule set (山茶小铺), one member's event
//! log and a cart, used by `cargo run`, the docs and the tests.

/// The demo rule set (JSON).
pub const RULES: &str = include_str!("demo/rules.json");

/// [`RULES`] as canonical JSON (keys sorted, no whitespace): what the
/// `demo_rules` operation answers, as is. The `.wasm` carries this copy
/// only, and no code to parse and rewrite the other. A test holds it to
/// `demo/rules.json`; after editing that file, regenerate this one (the
/// test prints it).
pub const RULES_CANONICAL: &str = include_str!("demo/rules.canonical.json");

/// A gold member's history, January to November 2026 (JSON array of events).
pub const MEMBER_EVENTS: &str = include_str!("demo/member_events.json");

/// A mixed cart that touches every campaign kind (JSON).
pub const CART: &str = include_str!("demo/cart.json");

/// 2026-11-25 12:00 in Beijing: the moment the demo prices its cart.
pub const NOW: i64 = 1_795_579_200_000;

#[cfg(test)]
mod tests {
    /// The canonical copy is `demo/rules.json` written canonically.
    #[test]
    fn canonical_rules_are_the_file_written_canonically() {
        let canonical = crate::encode::to_json(&crate::decode::parse(super::RULES).unwrap());
        assert!(
            super::RULES_CANONICAL == canonical,
            "src/demo/rules.canonical.json is not src/demo/rules.json written canonically; it should be:\n{canonical}"
        );
    }
}
