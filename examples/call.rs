//! Run one operation on a JSON file, N times: a driver for profilers.
//!
//! ```sh
//! cargo build --release --example call
//! valgrind --tool=callgrind target/release/examples/call quote input.json 1
//! ```
//!
//! Prints the answer's length (and the answer itself with `SHOW=1`).

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(op), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: call <operation> <input.json> [times]");
        std::process::exit(2);
    };
    let times: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let input = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = String::new();
    for _ in 0..times {
        out = siyu::ops::call(&op, &input);
    }
    println!("{} bytes", out.len());
    if std::env::var_os("SHOW").is_some() {
        println!("{out}");
    }
}
