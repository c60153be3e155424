//! Time per quote on wasmtime (Cranelift), for the Wasm/native ratio.
//!
//! The same work as the JS benchmark (`tests/hosts/js/bench.mjs`) and its
//! native counterpart (`cargo run --release -p siyu-wasm --example
//! quote_timing`): the corpus vector `big/two_hundred_lines_and_twenty_coupons`
//! cut to its first 10, 50 and 200 cart lines, priced through `siyu_call` on
//! one reused instance, fuel metering off. Medians of per-call times over at
//! least a second, after a warm-up.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::canonical::{canonical, parse};
use crate::{Result, Wasm};

/// The cart sizes, as in the JS benchmark.
pub const SIZES: [usize; 3] = [10, 50, 200];

/// The corpus vector the quotes are cut from, relative to the repository.
pub const VECTOR: &str = "tests/vectors/big/two_hundred_lines_and_twenty_coupons.json";

pub struct Timing {
    pub lines: usize,
    /// median microseconds per `siyu_call` (with copying in and out)
    pub wasm_us: f64,
}

/// The quote inputs: the vector's input with its cart cut to each size.
pub fn inputs(vectors: &Path) -> Result<Vec<(usize, String)>> {
    let path = vectors.join(VECTOR.trim_start_matches("tests/vectors/"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc = parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    SIZES
        .iter()
        .map(|&lines| {
            let mut input = doc["input"].clone();
            match input.pointer_mut("/cart/lines") {
                Some(Value::Array(a)) => a.truncate(lines),
                _ => return Err(format!("{}: no input.cart.lines", path.display())),
            }
            Ok((lines, canonical(&input)))
        })
        .collect()
}

pub fn run(path: &Path, vectors: &Path) -> Result<Vec<Timing>> {
    let wasm = Wasm::load_with(path, false)?;
    let mut siyu = wasm.instantiate()?;
    let mut out = Vec::new();
    for (lines, input) in inputs(vectors)? {
        let first = siyu.call("quote", input.as_bytes()).map_err(|e| e.0)?;
        if !first.text.starts_with("{\"ok\"") {
            return Err(format!("the {lines}-line quote failed: {}", &first.text[..first.text.len().min(200)]));
        }
        let wasm_us = median_us(|| siyu.call("quote", input.as_bytes()).map(|a| a.text.len()).unwrap_or(0));
        out.push(Timing { lines, wasm_us });
    }
    Ok(out)
}

/// Median of per-call times over at least 1 s (after a warm-up): the
/// method of `quote_timing` and `bench-core.mjs`.
fn median_us(mut f: impl FnMut() -> usize) -> f64 {
    for _ in 0..20 {
        std::hint::black_box(f());
    }
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 50 || start.elapsed() < Duration::from_secs(1) {
        let t = Instant::now();
        std::hint::black_box(f());
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    times[times.len() / 2]
}
