//! The WebAssembly faces of siyu, thin maps over the core's one operation
//! table (`siyu::ops`). Both faces live in the same `.wasm` file:
//!
//! - `raw.rs`: the raw JSON ABI (`siyu_alloc`, `siyu_free`, `siyu_call`) for
//!   any Wasm runtime — see `docs/ABI.md`;
//! - `alloc.rs`: the memory allocator of the module;
//! - `memcmp.rs`: the module's `memcmp`, a word at a time;
//! - `js.rs`: the wasm-bindgen JS face (for browsers, mini-programs and Node),
//!   plain JS objects in and out, TypeScript types, errors thrown as `Error`s;
//! - `canvas.rs`: the JS face's `drawPoster`, a poster replayed on a Canvas
//!   2D context through web-sys.

// Only the Wasm build allocates with it; native builds test its size classes.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub mod alloc;
pub mod canvas;
pub mod js;
pub mod memcmp;
pub mod raw;

/// The instance's one session (`siyu::ops::Session`): the rule sets
/// `prepare_rules` prepared, which inputs then name by fingerprint. Both
/// faces, every JS function and the raw ABI's `siyu_call`, run in it. A
/// wasm32 module without threads runs one call at a time and no call
/// re-enters another, so the lock is never contended; it only makes the
/// static sound (and natively, in tests, it is a real lock).
static SESSION: std::sync::Mutex<siyu::ops::Session> = std::sync::Mutex::new(siyu::ops::Session::new());

/// `f` with the instance's session.
pub(crate) fn in_session<T>(f: impl FnOnce(&mut siyu::ops::Session) -> T) -> T {
    f(&mut SESSION.lock().unwrap_or_else(|e| e.into_inner()))
}

/// The module's allocator (see `alloc.rs`): small and fast for the many
/// short-lived allocations of one call.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: alloc::Allocator = alloc::Allocator::new();
