//! The demo invite poster: `cargo bench --bench poster`.
//!
//! - `render_invite`: `render_poster` through `ops::call` (JSON in, the
//!   template validated, the avatar's header read, the QR code made, the
//!   SVG written), as hosts call it;
//! - `commands_invite`: `poster_commands` of the same input.
//!
//! Budget: under 1 ms natively (issue 17). Results: `BENCHMARKS.md`.

use divan::{black_box, Bencher};

fn main() {
    divan::main();
}

/// The vector `poster/demo_invite_svg`'s input.
fn input() -> String {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("../tests/vectors/poster/demo_invite_svg.json")).unwrap();
    v["input"].to_string()
}

#[divan::bench]
fn render_invite(b: Bencher) {
    let i = input();
    assert!(siyu::ops::call("render_poster", &i).starts_with("{\"ok\""));
    b.bench(|| siyu::ops::call("render_poster", black_box(&i)).len());
}

#[divan::bench]
fn commands_invite(b: Bencher) {
    let i = input();
    b.bench(|| siyu::ops::call("poster_commands", black_box(&i)).len());
}
