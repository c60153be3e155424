//! The built-in demo: a tea shop's rule set (山茶小铺), one member's event
//! log and a cart, used by `cargo run`, the docs and the tests.

/// The demo rule set (JSON).
pub const RULES: &str = include_str!("demo/rules.json");

/// A gold member's history, January to November 2026 (JSON array of events).
pub const MEMBER_EVENTS: &str = include_str!("demo/member_events.json");

/// A mixed cart that touches every campaign kind (JSON).
pub const CART: &str = include_str!("demo/cart.json");

/// 2026-11-25 12:00 in Beijing: the moment the demo prices its cart.
pub const NOW: i64 = 1_795_579_200_000;
