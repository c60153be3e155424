//! Canonical JSON: the one byte form every host compares.
//!
//! Objects are written with their keys sorted (by UTF-8 bytes), no
//! whitespace, integers as integers. [`to_canonical`] writes any serde value
//! that way directly (the engine's answers: struct fields come out sorted,
//! not in declaration order); [`canonical`] rewrites an already parsed
//! `Value` (for example a vector's expected output written by hand).
//!
//! ```
//! #[derive(serde::Serialize)]
//! struct Line { sku: &'static str, paid: i64, discounts: Vec<i64> }
//! let s = siyu::json::to_canonical(&Line { sku: "茶", paid: 990, discounts: vec![10] }).unwrap();
//! assert_eq!(s, r#"{"discounts":[10],"paid":990,"sku":"茶"}"#);
//! ```

use serde::ser::{self, Serialize};
use serde_json::Value;

/// Rewrite a parsed value canonically.
pub fn canonical(v: &Value) -> String {
    // `Value` maps are ordered by key, so serde_json already writes them
    // sorted.
    serde_json::to_string(v).unwrap_or_default()
}

/// Serialize `v` as canonical JSON in one pass, without building a `Value`.
pub fn to_canonical<T: Serialize + ?Sized>(v: &T) -> Result<String, CanonError> {
    let mut out = Vec::with_capacity(256);
    v.serialize(Canon { out: &mut out })?;
    // Only valid UTF-8 is ever written (JSON escapes and UTF-8 strings).
    String::from_utf8(out).map_err(|_| CanonError("non-UTF-8 output".into()))
}

#[derive(Debug)]
pub struct CanonError(String);

impl std::fmt::Display for CanonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CanonError {}

impl ser::Error for CanonError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        CanonError(msg.to_string())
    }
}

/// Write a scalar with serde_json's own formatting and escaping.
fn scalar<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) -> Result<(), CanonError> {
    serde_json::to_writer(out, v).map_err(|e| CanonError(e.to_string()))
}

struct Canon<'a> {
    out: &'a mut Vec<u8>,
}

/// Elements of an array, written in order.
struct Seq<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    /// Closing text: `]`, or `]}` inside a tuple variant.
    close: &'static [u8],
}

/// Members of an object, gathered and written sorted by key at the end.
struct Obj<'a> {
    out: &'a mut Vec<u8>,
    buf: Vec<u8>,
    members: Vec<(String, std::ops::Range<usize>)>,
    key: Option<String>,
    /// `}`, or `}}` inside a struct variant.
    close: &'static [u8],
}

impl<'a> Obj<'a> {
    fn new(out: &'a mut Vec<u8>, close: &'static [u8]) -> Self {
        Obj { out, buf: Vec::new(), members: Vec::new(), key: None, close }
    }

    fn member<T: Serialize + ?Sized>(&mut self, key: String, v: &T) -> Result<(), CanonError> {
        let start = self.buf.len();
        v.serialize(Canon { out: &mut self.buf })?;
        self.members.push((key, start..self.buf.len()));
        Ok(())
    }

    fn finish(mut self) -> Result<(), CanonError> {
        self.members.sort_by(|a, b| a.0.cmp(&b.0));
        self.out.push(b'{');
        for (i, (k, r)) in self.members.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            scalar(self.out, k.as_str())?;
            self.out.push(b':');
            self.out.extend_from_slice(&self.buf[r.clone()]);
        }
        self.out.extend_from_slice(self.close);
        Ok(())
    }
}

/// An object key: serde_json writes string keys as they are and number keys
/// as their decimal text.
fn key_text<T: Serialize + ?Sized>(key: &T) -> Result<String, CanonError> {
    match serde_json::to_value(key).map_err(|e| CanonError(e.to_string()))? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(CanonError("object keys must be strings".into())),
    }
}

impl<'a> ser::Serializer for Canon<'a> {
    type Ok = ();
    type Error = CanonError;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Obj<'a>;
    type SerializeStruct = Obj<'a>;
    type SerializeStructVariant = Obj<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_char(self, v: char) -> Result<(), CanonError> {
        scalar(self.out, &v)
    }
    fn serialize_str(self, v: &str) -> Result<(), CanonError> {
        scalar(self.out, v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CanonError> {
        scalar(self.out, v)
    }
    fn serialize_none(self) -> Result<(), CanonError> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), CanonError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CanonError> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CanonError> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), CanonError> {
        scalar(self.out, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), CanonError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, variant: &'static str, v: &T) -> Result<(), CanonError> {
        self.out.push(b'{');
        scalar(self.out, variant)?;
        self.out.push(b':');
        v.serialize(Canon { out: self.out })?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, CanonError> {
        self.out.push(b'[');
        Ok(Seq { out: self.out, first: true, close: b"]" })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, CanonError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, CanonError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Seq<'a>, CanonError> {
        self.out.push(b'{');
        scalar(self.out, variant)?;
        self.out.extend_from_slice(b":[");
        Ok(Seq { out: self.out, first: true, close: b"]}" })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Obj<'a>, CanonError> {
        Ok(Obj::new(self.out, b"}"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Obj<'a>, CanonError> {
        Ok(Obj::new(self.out, b"}"))
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Obj<'a>, CanonError> {
        self.out.push(b'{');
        scalar(self.out, variant)?;
        self.out.push(b':');
        Ok(Obj::new(self.out, b"}}"))
    }
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CanonError> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        v.serialize(Canon { out: self.out })
    }

    fn close(self) -> Result<(), CanonError> {
        self.out.extend_from_slice(self.close);
        Ok(())
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = CanonError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CanonError> {
        self.element(v)
    }
    fn end(self) -> Result<(), CanonError> {
        self.close()
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = CanonError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CanonError> {
        self.element(v)
    }
    fn end(self) -> Result<(), CanonError> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = CanonError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CanonError> {
        self.element(v)
    }
    fn end(self) -> Result<(), CanonError> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Seq<'_> {
    type Ok = ();
    type Error = CanonError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CanonError> {
        self.element(v)
    }
    fn end(self) -> Result<(), CanonError> {
        self.close()
    }
}

impl ser::SerializeMap for Obj<'_> {
    type Ok = ();
    type Error = CanonError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), CanonError> {
        self.key = Some(key_text(key)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CanonError> {
        let key = self.key.take().ok_or_else(|| CanonError("value without a key".into()))?;
        self.member(key, v)
    }
    fn end(self) -> Result<(), CanonError> {
        self.finish()
    }
}

impl ser::SerializeStruct for Obj<'_> {
    type Ok = ();
    type Error = CanonError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), CanonError> {
        self.member(key.to_string(), v)
    }
    fn end(self) -> Result<(), CanonError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Obj<'_> {
    type Ok = ();
    type Error = CanonError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), CanonError> {
        self.member(key.to_string(), v)
    }
    fn end(self) -> Result<(), CanonError> {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::{canonical, to_canonical, Value};
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[test]
    fn keys_are_sorted_at_every_depth() {
        let v: Value = serde_json::from_str(r#"{"b":1,"a":{"z":[1,{"y":2,"x":3}],"c":"中"}}"#).unwrap();
        assert_eq!(canonical(&v), r#"{"a":{"c":"中","z":[1,{"x":3,"y":2}]},"b":1}"#);
    }

    #[derive(Serialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum Tagged {
        AmountOff { threshold: i64, amount: i64 },
    }

    #[derive(Serialize)]
    enum External {
        Pair(i64, i64),
        Wrap(Option<i64>),
        Shape { w: i64, h: i64 },
        Plain,
    }

    #[derive(Serialize)]
    struct Everything {
        z: Vec<Tagged>,
        m: BTreeMap<String, External>,
        e: Vec<External>,
        s: String,
        n: Option<i64>,
        #[serde(flatten)]
        f: BTreeMap<String, i64>,
    }

    #[test]
    fn one_pass_output_equals_the_value_route() {
        let mut m = BTreeMap::new();
        m.insert("b".to_string(), External::Plain);
        m.insert("a".to_string(), External::Shape { w: 1, h: 2 });
        let v = Everything {
            z: vec![Tagged::AmountOff { threshold: 100, amount: 20 }],
            m,
            e: vec![External::Pair(1, -2), External::Wrap(None), External::Wrap(Some(3))],
            s: "quote \" and \\ and \u{1} and 中".into(),
            n: None,
            f: [("aa".to_string(), 1), ("zz".to_string(), 2)].into_iter().collect(),
        };
        let via_value = canonical(&serde_json::to_value(&v).unwrap());
        assert_eq!(to_canonical(&v).unwrap(), via_value);
    }
}
