//! `siyu-wasmtime`: siyu's raw JSON ABI on wasmtime.
//!
//! ```text
//! siyu-wasmtime conformance [WASM] [--vectors DIR] [-v]  run tests/vectors through the raw face
//!                                                   (-v: fuel of every vector)
//! siyu-wasmtime hostile [WASM] [-v]                  bad input is an error value, never a trap
//!                                                   (-v: every check, not only failures)
//! siyu-wasmtime fuel [WASM] [--json] [--dump DIR]    instructions per operation, peak memory; exits 1
//!                                                   when quote-200-best is over scripts/budgets.sh's
//!                                                   budgets (--dump: write each measured input as
//!                                                   DIR/<key>.json)
//! siyu-wasmtime time [WASM] [--vectors DIR]          µs per quote of 10/50/200 lines, fuel off
//!                                                   (one JSON line per size, like quote_timing)
//! siyu-wasmtime diff [WASM] [--cases N | --forever] [--seed S|random] [--out DIR] [--vectors DIR]
//!                                                   native `siyu::ops::call` against the module on
//!                                                   N generated inputs (default 250,000, seed 15;
//!                                                   --cases 0 or --forever: until stopped, seed
//!                                                   from the clock, progress every 10,000), byte
//!                                                   for byte; each mismatch is written to
//!                                                   DIR/diff-<seed>-<case>.json (default
//!                                                   target/diff) and the run exits 1
//! siyu-wasmtime posters [WASM] [--vectors DIR] [--references DIR] [--out DIR] [--bless]
//!                                                   every poster of the corpus: the module's SVG
//!                                                   rasterised (resvg) and compared with
//!                                                   tests/posters/<vector>.png (--bless: write
//!                                                   them), its QR codes decoded (rqrr) to the
//!                                                   template's content and a scene parse_scene
//!                                                   accepts; renderings in DIR (target/posters)
//! siyu-wasmtime profile NAMED.wasm INPUT.json [--top N]
//!                                                   instructions per function of one call (feature
//!                                                   `profile`; INPUT.json as `fuel --dump` writes it)
//! ```
//!
//! WASM defaults to `pkg/siyu_wasm_bg.wasm`; its SHA-256 must match the
//! `.sha256` file next to it. Run from the repository root.

use std::path::PathBuf;
use std::process::ExitCode;

use siyu_host_wasmtime::{conformance, fuel, hostile, posters, wasm_path, Wasm};

const USAGE: &str = "usage: siyu-wasmtime <conformance|hostile|fuel|time|diff|posters|profile> [WASM] [INPUT] [--vectors DIR] [--verbose] [--json] [--dump DIR] [--top N] [--cases N] [--seed S] [--out DIR] [--references DIR] [--bless]";

/// Cases of a bounded `diff` run (two to three minutes on two shared cores).
const DIFF_CASES: u64 = 250_000;
/// The seed of a bounded run, so the test command is the same every time;
/// `--seed random` (or an unbounded run without `--seed`) takes one from the
/// clock, printed first.
const DIFF_SEED: u64 = 15;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(mode) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mut positional = Vec::new();
    let mut vectors = PathBuf::from("tests/vectors");
    let mut json = false;
    let mut verbose = false;
    let mut dump: Option<PathBuf> = None;
    let mut top = 60;
    let mut cases = DIFF_CASES;
    let mut seed: Option<u64> = None;
    let mut out: Option<PathBuf> = None;
    let mut references = PathBuf::from("tests/posters");
    let mut bless = false;
    let mut it = args[1..].iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--vectors" => match it.next() {
                Some(d) => vectors = PathBuf::from(d),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--json" => json = true,
            "--dump" => match it.next() {
                Some(d) => dump = Some(PathBuf::from(d)),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--top" => match it.next().and_then(|n| n.parse().ok()) {
                Some(n) => top = n,
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--cases" => match it.next().and_then(|n| n.replace('_', "").parse().ok()) {
                Some(n) => cases = n,
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--forever" => cases = 0,
            "--seed" => match it.next().map(String::as_str) {
                Some("random") => seed = Some(clock_seed()),
                Some(s) => match s.parse() {
                    Ok(n) => seed = Some(n),
                    Err(_) => {
                        eprintln!("{USAGE}");
                        return ExitCode::from(2);
                    }
                },
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--out" => match it.next() {
                Some(d) => out = Some(PathBuf::from(d)),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--references" => match it.next() {
                Some(d) => references = PathBuf::from(d),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--bless" => bless = true,
            "--verbose" | "-v" => verbose = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => positional.push(a.clone()),
        }
    }
    let path = wasm_path(positional.first());
    match mode.as_str() {
        "conformance" => run_conformance(&path, &vectors, verbose),
        "hostile" => run_hostile(&path, verbose),
        "fuel" => run_fuel(&path, json, dump.as_deref()),
        "time" => run_time(&path, &vectors),
        "diff" => {
            let seed = seed.unwrap_or(if cases == 0 { clock_seed() } else { DIFF_SEED });
            run_diff(&path, &vectors, seed, cases, &out.unwrap_or_else(|| PathBuf::from("target/diff")))
        }
        "posters" => {
            let out = out.unwrap_or_else(|| PathBuf::from("target/posters"));
            run_posters(&path, &vectors, &posters::Options { references: &references, out: &out, bless }, verbose)
        }
        "profile" => run_profile(&positional, top),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn load(path: &std::path::Path) -> Result<Wasm, String> {
    let wasm = Wasm::load(path)?;
    eprintln!(
        "module: {} ({} bytes, sha256 {}, matches the pinned hash)",
        wasm.path.display(),
        wasm.bytes,
        wasm.sha256
    );
    Ok(wasm)
}

fn run_conformance(path: &std::path::Path, dir: &std::path::Path, verbose: bool) -> ExitCode {
    let vectors = match conformance::load(dir) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            println!("conformance: wasmtime: 0 of 0 vectors identical");
            return ExitCode::FAILURE;
        }
    };
    let total = vectors.last().map_or(0, |v| v.file + 1);
    let report = load(path).and_then(|wasm| conformance::run(&wasm, &vectors));
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            println!("conformance: wasmtime: 0 of {total} vectors identical");
            return ExitCode::FAILURE;
        }
    };
    for f in &report.failures {
        println!("MISMATCH {f}");
    }
    let fu = &report.fuel;
    if verbose {
        for (name, fuel) in &fu.per_vector {
            println!("fuel: {fuel:>10} {name}");
        }
    }
    println!("fuel: {} instructions over {} calls; most: {} ({})", fu.total, vectors.len(), fu.max, fu.max_vector);
    for (op, (n, sum, max)) in &fu.per_op {
        println!("fuel: {op:<16} {n:>4} calls, mean {:>10}, max {max:>10}", sum / n.max(&1));
    }
    println!("conformance: wasmtime: {} of {} vectors identical", report.identical, report.total);
    if report.total > 0 && report.identical == report.total {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_posters(path: &std::path::Path, dir: &std::path::Path, opt: &posters::Options, verbose: bool) -> ExitCode {
    let report = conformance::load(dir).and_then(|v| load(path).and_then(|wasm| posters::run(&wasm, &v, opt)));
    match report {
        Ok(r) => {
            if verbose {
                r.lines.iter().for_each(|l| println!("{l}"));
            }
            r.failures.iter().for_each(|f| println!("FAILED {f}"));
            let ok = r.checked - r.failures.len();
            println!(
                "posters: wasmtime + resvg + rqrr: {ok} of {} posters match their references and decode",
                r.checked
            );
            if r.checked > 0 && r.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            println!("posters: wasmtime + resvg + rqrr: 0 posters checked");
            ExitCode::FAILURE
        }
    }
}

/// A seed from the clock (for unbounded runs): printed, so a failure can be
/// run again.
fn clock_seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
}

fn print_diff(r: &siyu_host_wasmtime::diff::Report, last: bool) {
    let per: Vec<String> = r
        .per_op
        .iter()
        .map(|(op, c)| {
            let name = serde_json::Value::String(op.chars().take(24).collect()).to_string();
            format!("{name} {} ({} ok)", c.cases, c.ok)
        })
        .collect();
    let mut codes: Vec<(&String, &u64)> = r.codes.iter().collect();
    codes.sort_by(|a, b| b.1.cmp(a.1));
    let codes: Vec<String> = codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
    println!(
        "diff: seed {}: {} cases in {:.1} s, {} identical, {} different{}",
        r.seed,
        r.cases,
        r.seconds,
        r.identical,
        r.cases - r.identical,
        if last { "" } else { " (so far)" }
    );
    println!("diff: per operation (cases, of which answered ok): {}", per.join(", "));
    let how: Vec<String> = r.per_how.iter().map(|(h, c)| format!("{h} {} ({} ok)", c.cases, c.ok)).collect();
    println!("diff: per generator: {}", how.join(", "));
    println!("diff: error answers by code ({} codes): {}", codes.len(), codes.join(", "));
}

fn run_diff(
    path: &std::path::Path,
    vectors: &std::path::Path,
    seed: u64,
    cases: u64,
    out: &std::path::Path,
) -> ExitCode {
    println!(
        "diff: seed {seed}, {} (reproduce: siyu-wasmtime diff --seed {seed} --cases {})",
        if cases == 0 { "until stopped".to_string() } else { format!("{cases} cases") },
        if cases == 0 { "N".to_string() } else { cases.to_string() }
    );
    // Unbounded runs report every 10,000 cases; bounded ones at the end.
    let mut progress = |r: &siyu_host_wasmtime::diff::Report| {
        if cases == 0 && r.cases.is_multiple_of(10_000) {
            print_diff(r, false);
            for f in &r.failures {
                println!("MISMATCH {}", f.display());
            }
        }
    };
    let wasm = match std::path::Path::new(path).exists() {
        true => siyu_host_wasmtime::Wasm::load_with(path, false),
        false => Err(format!("{}: no module (run scripts/build-wasm.sh)", path.display())),
    };
    let report = wasm.and_then(|w| siyu_host_wasmtime::diff::run(&w, vectors, seed, cases, out, &mut progress));
    match report {
        Ok(r) => {
            for f in &r.failures {
                println!("MISMATCH {}", f.display());
            }
            print_diff(&r, true);
            if r.failures.is_empty() && r.cases > 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_time(path: &std::path::Path, vectors: &std::path::Path) -> ExitCode {
    match siyu_host_wasmtime::timing::run(path, vectors) {
        Ok(rows) => {
            for r in rows {
                println!("{{\"lines\":{},\"wasmtime_us\":{:.1}}}", r.lines, r.wasm_us);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "profile")]
fn run_profile(args: &[String], top: usize) -> ExitCode {
    let [named, input] = args else {
        eprintln!("usage: siyu-wasmtime profile NAMED.wasm INPUT.json [--top N]");
        return ExitCode::from(2);
    };
    let run = || -> Result<String, String> {
        let wasm = std::fs::read(named).map_err(|e| format!("{named}: {e}"))?;
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(input).map_err(|e| format!("{input}: {e}"))?)
                .map_err(|e| format!("{input}: {e}"))?;
        let op = doc["op"].as_str().ok_or(format!("{input}: no \"op\""))?;
        let p = siyu_host_wasmtime::profile::run(&wasm, op, doc["input"].to_string().as_bytes())?;
        let mut text = siyu_host_wasmtime::profile::report(&p, top);
        for what in std::env::var("CALLERS").unwrap_or_default().split(',').filter(|w| !w.is_empty()) {
            text.push_str(&p.callers(what));
        }
        for what in std::env::var("CALLEES").unwrap_or_default().split(',').filter(|w| !w.is_empty()) {
            text.push_str(&p.callees(what));
        }
        Ok(text)
    };
    match run() {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "profile"))]
fn run_profile(_: &[String], _: usize) -> ExitCode {
    eprintln!("siyu-wasmtime was built without feature `profile`: cargo build --release --features profile");
    ExitCode::from(2)
}

fn run_hostile(path: &std::path::Path, verbose: bool) -> ExitCode {
    let mut show = |line: String| {
        if verbose || !line.starts_with("ok ") {
            println!("{line}");
        }
    };
    let result = load(path).and_then(|wasm| hostile::run(&wasm, &mut show));
    match result {
        Ok(r) => {
            println!("hostile: wasmtime: {} of {} checks passed", r.passed, r.total);
            if r.passed == r.total {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            println!("hostile: wasmtime: 0 of 0 checks passed");
            ExitCode::FAILURE
        }
    }
}

fn run_fuel(path: &std::path::Path, json: bool, dump: Option<&std::path::Path>) -> ExitCode {
    // The budgets first: a broken budget file should not cost a measurement.
    let budgets = match fuel::Budgets::load(std::path::Path::new(fuel::BUDGETS_FILE)) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match load(path).and_then(|wasm| fuel::run(&wasm)) {
        Ok(r) => {
            if let Some(dir) = dump {
                if let Err(e) = r.dump(dir) {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
                eprintln!("fuel: inputs written to {}", dir.display());
            }
            if json {
                println!("{}", r.to_json(&budgets));
            } else {
                print!("{}", r.to_text(&budgets));
            }
            if r.within_budget(&budgets) {
                ExitCode::SUCCESS
            } else {
                // Again on stderr, so the reason shows in a CI log however
                // stdout is kept.
                for (_, line) in r.check(&budgets).iter().filter(|(ok, _)| !ok) {
                    eprintln!("fuel: {line}");
                }
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
