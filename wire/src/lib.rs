//! siyu's wire: how every operation reads its input and writes its answer.
//!
//! - [`code`]: every code an answer can carry, in one list;
//! - [`decode`]: the JSON text parser and the [`decode::Decode`] readers
//!   that report every problem with its path;
//! - [`encode`]: the canonical JSON writer ([`encode::Encode`]);
//! - [`error`]: the typed error with a stable code, a path and messages in
//!   Chinese and English;
//! - [`sorting`]: the one stable sort and the small sorted map and set;
//! - [`sha256`]: the hash of the rules fingerprint.
//!
//! It is a crate of its own for one reason: every call spends about half of
//! its time here (parsing the rules and the cart, writing the answer and the
//! canonical rules, hashing them), so the `.wasm` build compiles this crate
//! for speed (`opt-level = 3`) and the engine for size (`opt-level = "s"`);
//! see `[profile.wasm-release.package.siyu-wire]` in the workspace's
//! `Cargo.toml`. The engine crate (`siyu`) re-exports what its users need
//! (`siyu::Error`, `siyu::code`, `siyu::to_json`, …).

// The derive macros name their paths `::siyu::decode` / `::siyu::encode`;
// inside this crate that is this crate.
extern crate self as siyu;

pub mod code;
pub mod decode;
pub mod encode;
pub mod error;
mod scan;
pub mod schema;
pub mod sha256;
pub mod sorting;
