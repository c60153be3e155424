//! The conformance corpus through the raw face.
//!
//! Every file `tests/vectors/**/*.json` is one case `{"op", "input",
//! "expected"}`. The canonical JSON of `input` goes in; the answer must be,
//! byte for byte, the canonical JSON of `expected` (the full envelope). A
//! steps vector `{"steps": [{"op", "input", "expected"}, …]}` is loaded as
//! its steps, one after another, and run in order on the one instance
//! (rules prepared, then named by fingerprint); the file is identical when
//! every step is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::canonical::{canonical, parse};
use crate::{Result, Wasm};

/// One call: a vector, or one step of a steps vector.
pub struct Vector {
    /// The file's name, with ` step <i>` for a step.
    pub name: String,
    /// The file's index among the files loaded: the steps of one file share it.
    pub file: usize,
    pub op: String,
    pub input: String,
    pub expected: String,
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    Ok(())
}

/// Every vector under `dir`, in path order.
pub fn load(dir: &Path) -> Result<Vec<Vector>> {
    let mut paths = Vec::new();
    collect(dir, &mut paths)?;
    let mut out = Vec::new();
    for (file, path) in paths.iter().enumerate() {
        let name = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
        let doc = parse(&text).map_err(|e| format!("{name}: not JSON: {e}"))?;
        let steps = match doc.get("steps") {
            Some(steps) => {
                steps.as_array().ok_or_else(|| format!("{name}: `steps` must be an array"))?.iter().collect()
            }
            None => vec![&doc],
        };
        for (i, call) in steps.iter().enumerate() {
            let op = call.get("op").and_then(Value::as_str).ok_or_else(|| format!("{name}: `op` must be a string"))?;
            let input = call.get("input").ok_or_else(|| format!("{name}: no `input`"))?;
            let expected = call.get("expected").ok_or_else(|| format!("{name}: no `expected`"))?;
            out.push(Vector {
                name: if doc.get("steps").is_some() { format!("{name} step {i}") } else { name.clone() },
                file,
                op: op.to_string(),
                input: canonical(input),
                expected: canonical(expected),
            });
        }
    }
    Ok(out)
}

/// Where two texts first differ, with some context from each.
pub fn first_difference(got: &str, want: &str) -> String {
    let at = got.bytes().zip(want.bytes()).take_while(|(a, b)| a == b).count();
    let window = |s: &str| -> String {
        let mut start = at.saturating_sub(60);
        while !s.is_char_boundary(start) {
            start -= 1;
        }
        s[start..].chars().take(160).collect()
    };
    format!("first difference at byte {at}\n      got: …{}\n     want: …{}", window(got), window(want))
}

/// Fuel figures over a run.
#[derive(Default)]
pub struct FuelStats {
    pub total: u64,
    pub max: u64,
    pub max_vector: String,
    /// op → (calls, total fuel, max fuel)
    pub per_op: BTreeMap<String, (u64, u64, u64)>,
    /// (vector, fuel) in run order
    pub per_vector: Vec<(String, u64)>,
}

pub struct Report {
    /// Files, not calls: a steps vector counts once.
    pub identical: usize,
    pub total: usize,
    pub failures: Vec<String>,
    pub fuel: FuelStats,
}

/// Run every vector on one instance (a new one after a trap), in order.
pub fn run(wasm: &Wasm, vectors: &[Vector]) -> Result<Report> {
    let mut siyu = wasm.instantiate()?;
    let files = vectors.last().map_or(0, |v| v.file + 1);
    let mut report = Report { identical: 0, total: files, failures: Vec::new(), fuel: FuelStats::default() };
    // Files with a call that differed (or trapped).
    let mut differ = vec![false; files];
    for v in vectors {
        let failures = report.failures.len();
        match siyu.call(&v.op, v.input.as_bytes()) {
            Ok(answer) => {
                let f = &mut report.fuel;
                f.per_vector.push((v.name.clone(), answer.fuel));
                f.total += answer.fuel;
                if answer.fuel > f.max {
                    f.max = answer.fuel;
                    f.max_vector = v.name.clone();
                }
                let e = f.per_op.entry(v.op.clone()).or_default();
                e.0 += 1;
                e.1 += answer.fuel;
                e.2 = e.2.max(answer.fuel);
                if answer.text != v.expected {
                    report.failures.push(format!(
                        "{} ({}): {}",
                        v.name,
                        v.op,
                        first_difference(&answer.text, &v.expected)
                    ));
                }
            }
            Err(failure) => {
                report.failures.push(format!("{} ({}): {failure}", v.name, v.op));
                siyu = wasm.instantiate()?;
            }
        }
        differ[v.file] |= report.failures.len() > failures;
    }
    report.identical = differ.iter().filter(|d| !**d).count();
    Ok(report)
}
