//! The engine pool under limits: a call that runs out of fuel or memory is
//! an error for that request alone; the instance is dropped and the next
//! call gets a fresh one.

use siyu_host_wasmtime::Limits;
use siyu_server::engine::Engine;

fn wasm() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("pkg/siyu_wasm_bg.wasm")
}

fn quote_input() -> String {
    format!(r#"{{"cart":{},"now":1795579200000,"rules":{}}}"#, siyu::demo::CART, siyu::demo::RULES)
}

#[test]
fn a_call_out_of_fuel_fails_alone_and_the_pool_goes_on() {
    // A quote of the demo cart takes about 2 M instructions; give 300,000.
    let engine = Engine::load_with(&wasm(), Limits { fuel_per_call: 300_000, memory_bytes: 64 << 20 }).unwrap();
    let failed = engine.call("quote", &quote_input()).unwrap_err();
    assert_eq!((failed.status.as_u16(), failed.code()), (503, "ENGINE_FAILED"), "{:?}", failed.error);
    assert_eq!(engine.idle(), 0, "the instance that ran out is not reused");
    let ops = engine.call("operations", "{}").unwrap();
    assert!(ops.as_array().is_some_and(|o| o.len() > 10), "a fresh instance answers: {ops}");
    assert_eq!(engine.idle(), 1);
}

#[test]
fn a_call_past_the_memory_cap_fails_alone() {
    // The module starts with about 1.1 MiB of memory; a 3 MiB input
    // cannot be copied into an instance held to 2 MiB.
    let engine = Engine::load_with(&wasm(), Limits { fuel_per_call: 500_000_000, memory_bytes: 2 << 20 }).unwrap();
    let big = format!(r#"{{"scene":"{}"}}"#, "M".repeat(3 << 20));
    let failed = engine.call("parse_scene", &big).unwrap_err();
    assert_eq!(failed.status.as_u16(), 503, "{:?}", failed.error);
    let ok = engine.call("parse_scene", r#"{"scene":"M1C"}"#).unwrap();
    assert_eq!(ok["number"], 1);
}
