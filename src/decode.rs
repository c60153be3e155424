//! Typed parsing that reports every shape problem, not just the first.
//!
//! serde stops at the first error. To list them all, [`from_value`] parses,
//! records the error with its path, removes the offending field from a
//! working copy and parses again, up to [`MAX_PROBLEMS`] times. A required
//! field it had to remove is not reported a second time as missing.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};

pub const MAX_PROBLEMS: usize = 32;

/// Largest JSON input accepted, in bytes (16 MiB).
pub const MAX_INPUT_BYTES: usize = 16 << 20;

/// Refuse input over [`MAX_INPUT_BYTES`].
pub fn check_size(json: &str) -> Result<()> {
    if json.len() > MAX_INPUT_BYTES {
        return Err(Error::new("INPUT_TOO_LARGE", "", "输入超过 16 MiB", "input is larger than 16 MiB"));
    }
    Ok(())
}

/// Parse JSON text; a syntax error becomes `JSON_SYNTAX` under `code`.
pub fn from_str(json: &str, code: &'static str) -> Result<Value> {
    check_size(json)?;
    serde_json::from_str(json).map_err(|e| {
        let mut top = Error::new(code, "", "JSON 格式错误", "malformed JSON");
        top.problems.push(Error::new(
            "JSON_SYNTAX",
            "",
            format!("第 {} 行第 {} 列：JSON 语法错误", e.line(), e.column()),
            e.to_string(),
        ));
        top
    })
}

/// Deserialize `value` as `T`, or one error with `code` that lists every
/// shape problem with its path.
pub fn from_value<T: DeserializeOwned>(value: &Value, code: &'static str, zh: &str, en: &str) -> Result<T> {
    let first = match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(t) => return Ok(t),
        Err(e) => e,
    };
    let mut work = value.clone();
    let mut removed: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    let mut err = first;
    loop {
        let path = clean_path(&err.path().to_string());
        let msg = err.inner().to_string();
        let (kind, field) = classify(&msg);
        let target = match kind {
            // The path usually ends at the unknown key already; inside a
            // flattened struct (an event's fields) it stops at the parent.
            "UNKNOWN_FIELD" => field.as_ref().map(|f| {
                if path == *f || path.ends_with(&format!(".{f}")) {
                    path.clone()
                } else {
                    crate::error::join_path(&path, f)
                }
            }),
            "MISSING_FIELD" => None,
            _ => Some(path.clone()),
        };
        // An error about something we removed or nulled ourselves is an echo
        // of one already reported: stop there.
        let echo = removed.contains(&path)
            || (kind == "MISSING_FIELD"
                && field.as_ref().is_some_and(|f| removed.contains(&crate::error::join_path(&path, f))));
        if echo {
            break;
        }
        {
            let shown = target.clone().unwrap_or_else(|| match &field {
                Some(f) => crate::error::join_path(&path, f),
                None => path.clone(),
            });
            problems.push(Error::new(kind, shown, zh_for(kind), clipped(&msg, 300)));
        }
        let Some(target) = target else { break };
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        match repair::<T>(&mut work, &target, kind) {
            Some(Err(e)) => {
                removed.push(target);
                err = e;
            }
            Some(Ok(())) | None => break,
        }
    }
    let mut top = Error::new(code, "", zh, en);
    top.problems = problems;
    Err(top)
}

/// Mend the working copy at `target` so parsing can go past a problem
/// already reported: an unknown field is removed; a value of the wrong type
/// is replaced by the first stand-in of another type that parses there
/// (so a required field stays present and its siblings are still checked),
/// else removed. Returns the next parse result, or `None` if nothing could
/// be mended.
fn repair<T: DeserializeOwned>(work: &mut Value, target: &str, kind: &str) -> Option<std::result::Result<(), serde_path_to_error::Error<serde_json::Error>>> {
    let parse = |w: &Value| serde_path_to_error::deserialize::<_, T>(w).map(|_| ());
    if kind != "UNKNOWN_FIELD" {
        let stand_ins = [Value::from(0), Value::from(""), Value::from(false), Value::Array(Vec::new()), Value::Object(Default::default())];
        for v in stand_ins {
            let slot = slot(work, target)?;
            if *slot == v {
                continue;
            }
            *slot = v;
            match parse(work) {
                Ok(()) => return Some(Ok(())),
                Err(e) if clean_path(&e.path().to_string()) != target && !e.inner().to_string().starts_with("missing field") => {
                    return Some(Err(e));
                }
                Err(_) => {}
            }
        }
    }
    if !remove_at(work, target) {
        return None;
    }
    Some(parse(work))
}

/// serde's messages quote the offending value: clipped, with an ellipsis.
fn clipped(msg: &str, max: usize) -> String {
    let c = crate::error::clip(msg, max);
    if c.len() < msg.len() { format!("{c}…") } else { msg.to_string() }
}

fn classify(msg: &str) -> (&'static str, Option<String>) {
    let quoted = || msg.split('`').nth(1).map(str::to_string);
    if msg.starts_with("unknown field") {
        ("UNKNOWN_FIELD", quoted())
    } else if msg.starts_with("missing field") {
        ("MISSING_FIELD", quoted())
    } else if msg.starts_with("unknown variant") {
        ("UNKNOWN_VARIANT", None)
    } else {
        ("WRONG_TYPE", None)
    }
}

fn zh_for(kind: &str) -> &'static str {
    match kind {
        "UNKNOWN_FIELD" => "未知字段",
        "MISSING_FIELD" => "缺少必填字段",
        "UNKNOWN_VARIANT" => "未知的类型取值",
        _ => "字段类型或取值错误",
    }
}

/// serde_path_to_error writes `?` for a position it cannot name and `.` for
/// the root; turn both into our plain path form.
fn clean_path(p: &str) -> String {
    if p == "." || p == "?" {
        String::new()
    } else {
        p.to_string()
    }
}

/// Remove the element at a path like `a.b[2].c` from `v`. Returns false if
/// there is nothing there (or the path is the root).
fn remove_at(v: &mut Value, path: &str) -> bool {
    let segs = segments(path);
    let Some((last, parents)) = segs.split_last() else { return false };
    let mut cur = v;
    for s in parents {
        cur = match (s, cur) {
            (Seg::Key(k), Value::Object(m)) => match m.get_mut(k) {
                Some(x) => x,
                None => return false,
            },
            (Seg::Index(i), Value::Array(a)) => match a.get_mut(*i) {
                Some(x) => x,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, cur) {
        (Seg::Key(k), Value::Object(m)) => m.remove(k).is_some(),
        // Replace rather than remove, so later indices keep their meaning;
        // a null element is then reported for its own type if it matters.
        (Seg::Index(i), Value::Array(a)) if *i < a.len() => {
            if a[*i].is_null() {
                return false;
            }
            a[*i] = Value::Null;
            true
        }
        _ => false,
    }
}

/// The value at a path like `a.b[2].c`, if there is one.
fn slot<'v>(v: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    let mut cur = v;
    for s in segments(path) {
        cur = match (s, cur) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(&k)?,
            (Seg::Index(i), Value::Array(a)) => a.get_mut(i)?,
            _ => return None,
        };
    }
    Some(cur)
}

enum Seg {
    Key(String),
    Index(usize),
}

fn segments(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(b) = rest.find('[') {
            if b > 0 {
                out.push(Seg::Key(rest[..b].to_string()));
            }
            rest = &rest[b..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(end) = stripped.find(']') else { break };
                if let Ok(i) = stripped[..end].parse() {
                    out.push(Seg::Index(i));
                }
                rest = &stripped[end + 1..];
            }
        } else if !rest.is_empty() {
            out.push(Seg::Key(rest.to_string()));
        }
    }
    out
}
