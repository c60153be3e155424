//! Native timing of the quotes the JS benchmark (tests/hosts/js/bench.mjs)
//! times in Node and Chromium: the corpus vector
//! `big/two_hundred_lines_and_twenty_coupons` (20 wallet coupons, best
//! combination) cut to its first 10, 50 and 200 cart lines, through
//! `siyu::ops::call` (JSON text in and out, as every host calls it).
//!
//! `cargo run --release -p siyu-wasm --example quote_timing` prints one JSON
//! line per size: `{"lines":N,"native_us":median microseconds per quote}`.
//! Sizes given as arguments time only those: `… quote_timing -- 200` under
//! `perf record` shows where native time goes, beside
//! tests/hosts/js/cpuprof.mjs for Wasm (BENCHMARKS.md).

use std::time::{Duration, Instant};

use serde_json::Value;

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/big/two_hundred_lines_and_twenty_coupons.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("the vector")).expect("JSON");
    let asked: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    for lines in [10usize, 50, 200] {
        if !asked.is_empty() && !asked.contains(&lines) {
            continue;
        }
        let mut input = doc["input"].clone();
        input["cart"]["lines"].as_array_mut().expect("cart lines").truncate(lines);
        // serde_json writes a `Value`'s keys sorted: the canonical text.
        let text = serde_json::to_string(&input).expect("a Value is written");
        assert!(siyu::ops::call("quote", &text).starts_with("{\"ok\""), "the quote works");
        println!("{{\"lines\":{lines},\"native_us\":{:.1}}}", median_us(|| siyu::ops::call("quote", &text)));
    }
}

/// Median of per-call times over at least 1 s (after a warm-up).
fn median_us<T>(mut f: impl FnMut() -> T) -> f64 {
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
    times.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    times[times.len() / 2]
}
