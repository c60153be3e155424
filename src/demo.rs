//! The built-in demo: a tea shop's rule set (山茶小铺), one member's event
//! log and a cart, used by `cargo run`, the docs and the tests.

/// The demo rule set (JSON).
pub const RULES: &str = include_str!("demo/rules.json");

/// A gold member's history, January to November 2026 (JSON array of events).
pub const MEMBER_EVENTS: &str = include_str!("demo/member_events.json");

/// A mixed cart that touches every campaign kind (JSON).
pub const CART: &str = include_str!("demo/cart.json");

/// The demo poster templates (JSON object): `invite` (a member's invite
/// poster), `store` (a store's) and `product` (a product share).
pub const POSTERS: &str = include_str!("demo/posters.json");

/// The demo posters' images, as PNG files (`scripts/demo-images.py` makes
/// them): a member's avatar (64 × 64), the shop's logo (80 × 80) and a
/// product photo (160 × 120).
pub const AVATAR_PNG: &[u8] = include_bytes!("demo/avatar.png");
pub const LOGO_PNG: &[u8] = include_bytes!("demo/logo.png");
pub const PRODUCT_PNG: &[u8] = include_bytes!("demo/product.png");

/// 2026-11-25 12:00 in Beijing: the moment the demo prices its cart.
pub const NOW: i64 = 1_795_579_200_000;

#[cfg(test)]
mod tests {
    /// `demo/rules.canonical.json` is [`RULES`](super::RULES) written as
    /// canonical JSON (keys sorted, no whitespace). The module does not
    /// carry the demo: that copy is what the npm package's `demoRules()`
    /// returns (scripts/build-wasm.sh bundles it into the glue, `pkg/siyu_wasm_bg.js`),
    /// checked in so the package build needs no Rust to make it. After
    /// editing `demo/rules.json`, regenerate it (this test prints it).
    #[test]
    fn canonical_rules_are_the_file_written_canonically() {
        let canonical = crate::encode::to_json(&crate::decode::parse(super::RULES).unwrap());
        assert!(
            include_str!("demo/rules.canonical.json") == canonical,
            "src/demo/rules.canonical.json is not src/demo/rules.json written canonically; it should be:\n{canonical}"
        );
    }
}
