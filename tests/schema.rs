//! The committed JSON Schemas (`docs/schema/`) are what the derives write
//! now: a change to an input or answer type that the files do not show
//! fails here.
//!
//! `SIYU_BLESS=1 cargo test --test schema` rewrites the files instead of
//! comparing. scripts/check-schema.py then validates the conformance corpus
//! against them (scripts/test.sh runs it).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use siyu::ops::schema::{error_schema, schemas};

const REGENERATE: &str = "SIYU_BLESS=1 cargo test --test schema";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs").join("schema")
}

/// Every file of the directory and its text, as the derives write them
/// now: pretty-printed JSON, keys sorted.
fn generated() -> BTreeMap<String, String> {
    let text = |v: &siyu::schema::Value| {
        let canonical = siyu::to_json(v);
        let value: serde_json::Value = serde_json::from_str(&canonical).expect("a schema is JSON");
        serde_json::to_string_pretty(&value).expect("JSON writes") + "\n"
    };
    let mut files = BTreeMap::new();
    for op in schemas() {
        files.insert(format!("{}.input.json", op.name), text(&op.input));
        files.insert(format!("{}.answer.json", op.name), text(&op.answer));
    }
    files.insert("error.json".to_string(), text(&error_schema()));
    files
}

/// The `.json` files committed now.
fn committed() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir()).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            files.insert(name, fs::read_to_string(entry.path()).unwrap_or_default());
        }
    }
    files
}

#[test]
fn committed_schemas_are_what_the_derives_write() {
    let (want, have) = (generated(), committed());
    if std::env::var("SIYU_BLESS").is_ok_and(|v| v == "1") {
        fs::create_dir_all(dir()).expect("docs/schema");
        for name in have.keys().filter(|n| !want.contains_key(*n)) {
            fs::remove_file(dir().join(name)).expect("remove a stale schema");
        }
        for (name, text) in &want {
            if have.get(name) != Some(text) {
                fs::write(dir().join(name), text).expect("write a schema");
            }
        }
        return;
    }
    let mut stale = Vec::new();
    for name in want.keys().chain(have.keys()) {
        if want.get(name) != have.get(name) && !stale.contains(name) {
            stale.push(name.clone());
        }
    }
    assert!(stale.is_empty(), "docs/schema differs from the types in {stale:?}; regenerate with `{REGENERATE}`");
}

#[test]
fn every_schema_is_draft_2020_12_and_its_refs_resolve() {
    for (name, text) in generated() {
        let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(doc["$schema"], "https://json-schema.org/draft/2020-12/schema", "{name}");
        let mut refs = Vec::new();
        collect_refs(&doc, &mut refs);
        for r in refs {
            let def = r.strip_prefix("#/$defs/").unwrap_or_else(|| panic!("{name}: ref {r}"));
            assert!(doc["$defs"].get(def).is_some(), "{name}: {r} is not defined");
        }
    }
}

fn collect_refs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", serde_json::Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(x, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}
