//! `cargo test` for this host: the conformance corpus and the hostile-input
//! checks on the module at `$SIYU_WASM` (default: the repository's
//! `pkg/siyu_wasm_bg.wasm`). Skipped, loudly, when there is no module yet —
//! `scripts/test-wasm-runtimes.sh` is the command that must not skip.

use std::path::PathBuf;

use siyu_host_wasmtime::{conformance, hostile, Wasm};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn module() -> Option<Wasm> {
    let path = std::env::var_os("SIYU_WASM").map(PathBuf::from).unwrap_or_else(|| repo().join("pkg/siyu_wasm_bg.wasm"));
    if !path.exists() {
        eprintln!("SKIPPED: no module at {} (run scripts/build-wasm.sh)", path.display());
        return None;
    }
    Some(Wasm::load(&path).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn every_vector_is_identical() {
    let Some(wasm) = module() else { return };
    let vectors = conformance::load(&repo().join("tests/vectors")).expect("vectors");
    let report = conformance::run(&wasm, &vectors).expect("runs");
    assert!(report.failures.is_empty(), "{}", report.failures.join("\n"));
    assert_eq!(report.identical, report.total);
}

#[test]
fn hostile_input_is_an_error_value_never_a_trap() {
    let Some(wasm) = module() else { return };
    let mut failed = Vec::new();
    let report = hostile::run(&wasm, &mut |line| {
        if line.starts_with("FAIL") {
            failed.push(line);
        }
    })
    .expect("runs");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert_eq!(report.passed, report.total);
}

/// A short differential run (the test command runs a long one through
/// `siyu-wasmtime diff`): native and Wasm answers are the same bytes.
#[test]
fn native_and_wasm_agree_on_generated_inputs() {
    let Some(path) =
        Some(std::env::var_os("SIYU_WASM").map(PathBuf::from).unwrap_or_else(|| repo().join("pkg/siyu_wasm_bg.wasm")))
            .filter(|p| p.exists())
    else {
        eprintln!("SKIPPED: no module (run scripts/build-wasm.sh)");
        return;
    };
    let wasm = Wasm::load_with(&path, false).unwrap_or_else(|e| panic!("{e}"));
    let out = std::env::temp_dir().join("siyu-diff-test");
    let report =
        siyu_host_wasmtime::diff::run(&wasm, &repo().join("tests/vectors"), 1, 1_000, &out, &mut |_| {}).expect("runs");
    assert!(report.failures.is_empty(), "mismatches: {:?}", report.failures);
    assert_eq!(report.identical, 1_000);
    assert!(report.per_op.len() >= siyu::ops::OPERATIONS.len(), "every operation: {:?}", report.per_op.keys());
}
