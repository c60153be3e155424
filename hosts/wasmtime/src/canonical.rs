//! Canonical JSON, written here rather than borrowed from the engine, so the
//! runner does not judge the engine with the engine's own code: objects with
//! their keys sorted by UTF-8 bytes at every depth, no whitespace, numbers
//! and strings as serde_json writes them.

use serde::Deserialize;
use serde_json::Value;

pub fn canonical(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Parse JSON text with no nesting limit (a vector may nest deeper than the
/// engine accepts, on purpose).
pub fn parse(text: &str) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let v = Value::deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_at_every_depth() {
        let v = parse(r#"{"b":1,"a":{"z":[1,{"y":2,"x":3}],"c":"中\n"}}"#).unwrap();
        assert_eq!(canonical(&v), r#"{"a":{"c":"中\n","z":[1,{"x":3,"y":2}]},"b":1}"#);
    }
}
