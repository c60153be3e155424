//! The conformance corpus through the server's own engine (its pool of
//! wasmtime instances, with the server's fuel and memory limits): the
//! seventh host, byte for byte. Steps vectors run in order on one
//! instance: this test takes instances one at a time, so the pool's one
//! instance is the one every step gets.

use siyu_host_wasmtime::conformance::{first_difference, load};
use siyu_server::engine::Engine;

#[test]
fn every_vector_answers_byte_for_byte() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let engine = Engine::load(&repo.join("pkg/siyu_wasm_bg.wasm")).unwrap();
    let vectors = load(&repo.join("tests/vectors")).unwrap();
    assert!(vectors.len() > 700, "the corpus is there: {}", vectors.len());
    let mut failed = Vec::new();
    for v in &vectors {
        let got = engine.call_text(&v.op, &v.input).map_err(|e| e.error.to_string());
        match got {
            Ok(text) if text == v.expected => {}
            Ok(text) => failed.push(format!("{}: {}", v.name, first_difference(&text, &v.expected))),
            Err(e) => failed.push(format!("{}: {e}", v.name)),
        }
    }
    assert!(failed.is_empty(), "{} of {} differ:\n{}", failed.len(), vectors.len(), failed.join("\n"));
    assert_eq!(engine.idle(), 1, "one instance served every call");
}
