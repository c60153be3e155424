//! Canonical JSON for `serde_json::Value`s: the byte form every host
//! compares (keys sorted by their UTF-8 bytes, no whitespace, integers as
//! integers).
//!
//! The engine writes its own answers canonically through [`crate::encode`];
//! this is for JSON that arrives as a `Value` — a vector's expected output
//! written by hand, a host's answer read back — so the two can be compared
//! byte for byte.
//!
//! ```
//! let v: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":{"z":[1,{"y":2,"x":3}],"c":"中"}}"#).unwrap();
//! assert_eq!(siyu::json::canonical(&v), r#"{"a":{"c":"中","z":[1,{"x":3,"y":2}]},"b":1}"#);
//! ```

use serde_json::Value;

/// Rewrite a parsed value canonically.
pub fn canonical(v: &Value) -> String {
    // `Value` maps are ordered by key (serde_json without `preserve_order`),
    // so serde_json already writes them sorted.
    serde_json::to_string(v).unwrap_or_default()
}
