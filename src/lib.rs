//! # siyu (私域)
//!
//! Membership, points, coupons, campaigns and checkout pricing for
//! private-domain malls, as pure functions over serde types. The same crate
//! compiles to one WebAssembly module that a browser mall, a mini-program and
//! a server load, and every one of them gets byte-identical answers.
//!
//! Where the rules live:
//!
//! | file | what |
//! |---|---|
//! | `rules.rs` | the merchant's rule set, its validation and fingerprint |
//! | `member.rs` | a member's state, tiers, reviews, paid cards, benefits |
//! | `points.rs` | points lots, spending, expiry, returns, claw-backs |
//! | `coupon.rs` | coupon eligibility, stacking, best combination |
//! | `campaign.rs` | flash sales, limited-time and quantity discounts, 满减送 |
//! | `checkout.rs` | the pricing pipeline that makes a quote |
//! | `events.rs` | booking events and replaying a member's log |
//! | `views.rs` | read-only answers for the UI |
//! | `ops.rs` | the one operation table every host calls |
//! | `money.rs`, `time.rs` | fen arithmetic and rounding; local dates |
//! | `wire/src/` (crate `siyu-wire`, re-exported here) | `decode.rs`, `encode.rs`: reading inputs (every problem, with paths), writing canonical answers; `error.rs`: the typed error; `sorting.rs`: the one stable sort and the small sorted maps; `sha256.rs`: SHA-256 for the fingerprint |
//! | `json.rs` | canonical text of a `serde_json::Value` (tests, tools) |
//!
//! The core has no clock, no randomness and no I/O: `now` and the
//! merchant's UTC offset are inputs, and every map it outputs is ordered.

// The `Decode` derive names `::siyu::decode`, inside this crate too.
extern crate self as siyu;

// The wire lives in its own crate (wire/), built for speed in the .wasm;
// its modules keep their paths here.
pub use siyu_wire::{decode, encode, error, sha256, sorting};

pub mod campaign;
pub mod checkout;
pub mod coupon;
pub mod demo;
pub mod events;
pub mod json;
pub mod member;
pub mod money;
pub mod ops;
pub mod points;
pub mod rules;
pub mod time;
pub mod views;

pub use checkout::{quote, Cart, Quote};
pub use error::{Error, Result};
pub use events::{apply, replay, Event};
pub use member::Member;
pub use rules::Rules;
