//! The conformance corpus, run natively.
//!
//! Every file `tests/vectors/<area>/<name>.json` is one case:
//! `{"op", "input", "expected"}`. The runner passes the canonical JSON of
//! `input` (keys sorted, no whitespace) to `siyu::ops::call(op, …)` and
//! compares the answer, byte for byte, with the canonical JSON of `expected`.
//! A steps vector, `{"steps": [{"op", "input", "expected"}, …]}`, runs its
//! steps in order in one [`siyu::ops::Session`] (rules prepared, then named
//! by fingerprint) and is identical when every step is. Every other host
//! (Node, Chromium, the mini-program shim, wasmtime, wasmtime-py) runs the
//! same files the same way.
//!
//! `SIYU_BLESS=1 cargo test --test conformance` rewrites each file's
//! `expected` from the engine's current answer instead of comparing (not a
//! steps vector's: `gen.py` writes those from the stateless engine, so that
//! they hold the prepared path to the unprepared one's bytes). The inputs
//! come from `tests/vectors/gen.py`; see the README next to it.

mod support;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use support::canonical;

/// Fewest vectors the corpus may hold.
const MIN_VECTORS: usize = 200;
/// A file whose canonical form is longer than this is written on one line.
const PRETTY_LIMIT: usize = 65536;

fn blessing() -> bool {
    std::env::var("SIYU_BLESS").is_ok_and(|v| v == "1")
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("vectors")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// Parse a vector file. No nesting limit: the input of one vector nests
/// deeper than the engine accepts, on purpose.
fn parse(text: &str) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let v = Value::deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// The one byte form of a vector file (shared with gen.py): sorted keys and
/// a two-space indent, or a single line when that would be very long.
fn file_text(doc: &Value) -> String {
    let compact = canonical(doc);
    if compact.len() > PRETTY_LIMIT {
        compact + "\n"
    } else {
        serde_json::to_string_pretty(doc).expect("a vector serializes") + "\n"
    }
}

struct Vector {
    path: PathBuf,
    doc: Value,
}

impl Vector {
    fn name(&self) -> String {
        self.path.strip_prefix(vectors_dir()).unwrap_or(&self.path).display().to_string()
    }

    /// The calls: the vector itself, or its steps.
    fn steps(&self) -> Vec<&Value> {
        match self.doc.get("steps").and_then(Value::as_array) {
            Some(steps) => steps.iter().collect(),
            None => vec![&self.doc],
        }
    }

    fn op(&self) -> String {
        let ops: Vec<&str> = self.steps().iter().map(|s| op(s, &self.name())).collect();
        ops.join(",")
    }

    /// Each step's answer as raw text, and its `expected` as canonical
    /// text, all in one session.
    fn run(&self) -> Vec<(String, String)> {
        let mut session = siyu::ops::Session::new();
        self.steps()
            .into_iter()
            .map(|s| {
                let input = s.get("input").unwrap_or_else(|| panic!("{}: no `input`", self.name()));
                (session.call(op(s, &self.name()), &canonical(input)), canonical(&s["expected"]))
            })
            .collect()
    }
}

fn op<'a>(call: &'a Value, name: &str) -> &'a str {
    call["op"].as_str().unwrap_or_else(|| panic!("{name}: `op` must be a string"))
}

fn load() -> Vec<Vector> {
    let mut paths = Vec::new();
    collect(&vectors_dir(), &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let doc = parse(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
            let steps = doc.get("steps").and_then(Value::as_array);
            for call in steps.map(|s| s.iter().collect()).unwrap_or_else(|| vec![&doc]) {
                for key in call.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                    assert!(
                        ["op", "input", "expected"].contains(&key.as_str()),
                        "{}: unexpected key `{key}`",
                        path.display()
                    );
                }
            }
            if steps.is_some() {
                assert!(
                    doc.as_object().is_some_and(|o| o.len() == 1),
                    "{}: a steps vector has only `steps`",
                    path.display()
                );
            }
            Vector { path, doc }
        })
        .collect()
}

/// Where two texts first differ, with some context from each.
fn first_difference(got: &str, want: &str) -> String {
    let at = got.bytes().zip(want.bytes()).take_while(|(a, b)| a == b).count();
    let window = |s: &str| -> String {
        let mut start = at.saturating_sub(80);
        while !s.is_char_boundary(start) {
            start -= 1;
        }
        s[start..].chars().take(200).collect()
    };
    format!("first difference at byte {at}\n      got: …{}\n     want: …{}", window(got), window(want))
}

fn bless(vectors: &mut [Vector]) -> usize {
    let mut changed = 0;
    for v in vectors.iter_mut().filter(|v| v.doc.get("steps").is_none()) {
        let out = v.run().remove(0).0;
        let answer: Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{}: the answer is not JSON: {e}", v.name()));
        let mut doc = v.doc.clone();
        doc["expected"] = answer;
        let text = file_text(&doc);
        let old = fs::read_to_string(&v.path).unwrap_or_default();
        if old != text {
            fs::write(&v.path, &text).unwrap_or_else(|e| panic!("{}: {e}", v.path.display()));
            changed += 1;
        }
        v.doc = doc;
    }
    changed
}

#[test]
fn conformance_native() {
    let mut vectors = load();
    if blessing() {
        let changed = bless(&mut vectors);
        println!("conformance: blessed {} vectors, {changed} changed", vectors.len());
    }
    let total = vectors.len();
    let mut identical = 0;
    let mut failures = Vec::new();
    for v in &vectors {
        let before = failures.len();
        for (step, (got, want)) in v.run().into_iter().enumerate() {
            let name = if v.doc.get("steps").is_some() { format!("{} step {step}", v.name()) } else { v.name() };
            // The answer must already be canonical text, not merely equal
            // after canonicalization: hosts compare the bytes they are given.
            let got_canonical = serde_json::from_str::<Value>(&got).map(|x| canonical(&x)).unwrap_or_default();
            if got_canonical != got {
                failures.push(format!(
                    "{name}: the answer is not canonical JSON\n{}",
                    first_difference(&got, &got_canonical)
                ));
            } else if got != want {
                failures.push(format!("{name} ({}): {}", v.op(), first_difference(&got, &want)));
            }
        }
        if failures.len() == before {
            identical += 1;
        }
    }
    for f in &failures {
        println!("MISMATCH {f}");
    }
    // Written past the test harness's capture, so it shows on every run.
    let mut stdout = std::io::stdout();
    writeln!(stdout, "conformance: native: {identical} of {total} vectors identical").expect("stdout");
    assert!(total >= MIN_VECTORS, "only {total} vectors; the corpus must hold at least {MIN_VECTORS}");
    assert_eq!(
        identical,
        total,
        "{} vector(s) differ (SIYU_BLESS=1 rewrites `expected` — review the diff)",
        total - identical
    );
}

/// A vector file is written in exactly the form `gen.py` and blessing write,
/// so regenerating the corpus leaves unchanged files byte for byte alone.
#[test]
fn vector_files_are_in_their_one_byte_form() {
    if blessing() {
        return; // the other test is rewriting the files
    }
    let mut bad = Vec::new();
    for v in load() {
        let text = fs::read_to_string(&v.path).expect("readable");
        if text != file_text(&v.doc) {
            bad.push(v.name());
        }
    }
    assert!(bad.is_empty(), "not in the canonical file form (run gen.py, then bless): {bad:?}");
}
