//! The built-in demo: a tea shop's rule set (山茶小铺), one member's event
//! log and a cart, used by `cargo run`, the docs and the tests.

/// The demo rule set (JSON): `demo/rules.json` with the whitespace between
/// its tokens removed by `build.rs`, so the `.wasm` does not carry the
/// layout. (`build.rs` names the file in a lower-case variable: an
/// upper-case string literal in `src/` reads as an answer code to the docs
/// test that every code is documented.)
pub const RULES: &str = include_str!(env!("siyu_demo_rules"));

/// A gold member's history, January to November 2026 (JSON array of events).
pub const MEMBER_EVENTS: &str = include_str!("demo/member_events.json");

/// A mixed cart that touches every campaign kind (JSON).
pub const CART: &str = include_str!("demo/cart.json");

/// 2026-11-25 12:00 in Beijing: the moment the demo prices its cart.
pub const NOW: i64 = 1_795_579_200_000;

#[cfg(test)]
mod tests {
    /// `build.rs` dropped only whitespace: the same value as the file.
    #[test]
    fn compact_rules_are_the_file_without_its_layout() {
        let file = include_str!("demo/rules.json");
        let same = |s: &str| crate::encode::to_json(&crate::decode::parse(s).unwrap());
        assert_eq!(same(super::RULES), same(file));
        assert!(!super::RULES.contains('\n') && super::RULES.len() < file.len());
    }
}
