//! Canonical JSON: the one byte form every host compares.
//!
//! Objects are written with their keys sorted (by UTF-8 bytes), no
//! whitespace, integers as integers. Because every struct in the engine
//! serializes its fields in a fixed order and every map is a `BTreeMap`, the
//! engine's own output is already stable; `canonical` makes any JSON value
//! (for example a vector's expected output written by hand) comparable byte
//! for byte.

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
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                write(&map[*k], out);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_at_every_depth() {
        let v: Value = serde_json::from_str(r#"{"b":1,"a":{"z":[1,{"y":2,"x":3}],"c":"中"}}"#).unwrap();
        assert_eq!(canonical(&v), r#"{"a":{"c":"中","z":[1,{"x":3,"y":2}]},"b":1}"#);
    }
}
