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
///
/// Members of an object are written as they come, then put in key order
/// when the object closes: one copy per nesting level, no allocation per
/// member (the member records share one stack, the copy one scratch buffer).
pub fn to_canonical<T: Serialize + ?Sized>(v: &T) -> Result<String, CanonError> {
    let mut ctx = Ctx { out: Vec::with_capacity(1024), members: Vec::new(), scratch: Vec::new() };
    v.serialize(Canon { ctx: &mut ctx })?;
    // Only valid UTF-8 is ever written (JSON escapes and UTF-8 strings).
    String::from_utf8(ctx.out).map_err(|_| CanonError("non-UTF-8 output".into()))
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

enum Key {
    Field(&'static str),
    Owned(String),
}

impl Key {
    fn as_str(&self) -> &str {
        match self {
            Key::Field(k) => k,
            Key::Owned(k) => k,
        }
    }
}

struct Ctx {
    out: Vec<u8>,
    /// Open objects' members: key and the byte range of the value in `out`.
    members: Vec<(Key, usize, usize)>,
    scratch: Vec<u8>,
}

/// Write a scalar with serde_json's own formatting and escaping.
fn scalar<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) -> Result<(), CanonError> {
    serde_json::to_writer(out, v).map_err(|e| CanonError(e.to_string()))
}

/// A JSON string. Only `"`, `\` and control characters need escaping
/// (serde_json leaves everything else, Chinese included, as it is), so a
/// string without them is copied straight.
fn string(out: &mut Vec<u8>, s: &str) -> Result<(), CanonError> {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        scalar(out, s)
    }
}

struct Canon<'a> {
    ctx: &'a mut Ctx,
}

/// Elements of an array, written in order.
struct Seq<'a> {
    ctx: &'a mut Ctx,
    first: bool,
    /// Closing text: `]`, or `]}` inside a tuple variant.
    close: &'static [u8],
}

/// Members of an object, put in key order when it closes.
struct Obj<'a> {
    ctx: &'a mut Ctx,
    /// Where this object's members start in `ctx.members` and `ctx.out`.
    base: usize,
    start: usize,
    key: Option<String>,
    /// `}`, or `}}` inside a struct variant.
    close: &'static [u8],
}

impl<'a> Obj<'a> {
    fn new(ctx: &'a mut Ctx, close: &'static [u8]) -> Self {
        ctx.out.push(b'{');
        let (base, start) = (ctx.members.len(), ctx.out.len());
        Obj { ctx, base, start, key: None, close }
    }

    fn member<T: Serialize + ?Sized>(&mut self, key: Key, v: &T) -> Result<(), CanonError> {
        let s = self.ctx.out.len();
        v.serialize(Canon { ctx: self.ctx })?;
        let e = self.ctx.out.len();
        self.ctx.members.push((key, s, e));
        Ok(())
    }

    fn finish(self) -> Result<(), CanonError> {
        let Ctx { out, members, scratch } = self.ctx;
        let mine = &mut members[self.base..];
        mine.sort_unstable_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        scratch.clear();
        scratch.extend_from_slice(&out[self.start..]);
        out.truncate(self.start);
        for (i, (k, s, e)) in mine.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, k.as_str())?;
            out.push(b':');
            out.extend_from_slice(&scratch[s - self.start..e - self.start]);
        }
        out.extend_from_slice(self.close);
        members.truncate(self.base);
        Ok(())
    }
}

/// An object key: a string (the engine's maps are keyed by strings).
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
        self.ctx.out.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), CanonError> {
        self.serialize_i64(v as i64)
    }
    fn serialize_i16(self, v: i16) -> Result<(), CanonError> {
        self.serialize_i64(v as i64)
    }
    fn serialize_i32(self, v: i32) -> Result<(), CanonError> {
        self.serialize_i64(v as i64)
    }
    fn serialize_i64(self, v: i64) -> Result<(), CanonError> {
        self.ctx.out.extend_from_slice(itoa(v as i128, &mut [0u8; 40]));
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), CanonError> {
        self.ctx.out.extend_from_slice(itoa(v, &mut [0u8; 40]));
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), CanonError> {
        self.serialize_i64(v as i64)
    }
    fn serialize_u16(self, v: u16) -> Result<(), CanonError> {
        self.serialize_i64(v as i64)
    }
    fn serialize_u32(self, v: u32) -> Result<(), CanonError> {
        self.serialize_i64(v as i64)
    }
    fn serialize_u64(self, v: u64) -> Result<(), CanonError> {
        self.serialize_i128(v as i128)
    }
    fn serialize_u128(self, v: u128) -> Result<(), CanonError> {
        scalar(&mut self.ctx.out, &v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), CanonError> {
        scalar(&mut self.ctx.out, &v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), CanonError> {
        scalar(&mut self.ctx.out, &v)
    }
    fn serialize_char(self, v: char) -> Result<(), CanonError> {
        scalar(&mut self.ctx.out, &v)
    }
    fn serialize_str(self, v: &str) -> Result<(), CanonError> {
        string(&mut self.ctx.out, v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CanonError> {
        scalar(&mut self.ctx.out, v)
    }
    fn serialize_none(self) -> Result<(), CanonError> {
        self.ctx.out.extend_from_slice(b"null");
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
        string(&mut self.ctx.out, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), CanonError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, variant: &'static str, v: &T) -> Result<(), CanonError> {
        self.ctx.out.push(b'{');
        string(&mut self.ctx.out, variant)?;
        self.ctx.out.push(b':');
        v.serialize(Canon { ctx: self.ctx })?;
        self.ctx.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, CanonError> {
        self.ctx.out.push(b'[');
        Ok(Seq { ctx: self.ctx, first: true, close: b"]" })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, CanonError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, CanonError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Seq<'a>, CanonError> {
        self.ctx.out.push(b'{');
        string(&mut self.ctx.out, variant)?;
        self.ctx.out.extend_from_slice(b":[");
        Ok(Seq { ctx: self.ctx, first: true, close: b"]}" })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Obj<'a>, CanonError> {
        Ok(Obj::new(self.ctx, b"}"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Obj<'a>, CanonError> {
        Ok(Obj::new(self.ctx, b"}"))
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Obj<'a>, CanonError> {
        self.ctx.out.push(b'{');
        string(&mut self.ctx.out, variant)?;
        self.ctx.out.push(b':');
        Ok(Obj::new(self.ctx, b"}}"))
    }
}

/// Decimal digits of an integer, without going through `fmt`.
fn itoa(v: i128, buf: &mut [u8; 40]) -> &[u8] {
    let mut i = buf.len();
    let neg = v < 0;
    let mut n = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if neg {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CanonError> {
        if !self.first {
            self.ctx.out.push(b',');
        }
        self.first = false;
        v.serialize(Canon { ctx: self.ctx })
    }

    fn close(self) -> Result<(), CanonError> {
        self.ctx.out.extend_from_slice(self.close);
        Ok(())
    }
}

/// serde has four array-like traits with one meaning here.
macro_rules! array_like {
    ($($tr:ident :: $method:ident),*) => {$(
        impl ser::$tr for Seq<'_> {
            type Ok = ();
            type Error = CanonError;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CanonError> {
                self.element(v)
            }
            fn end(self) -> Result<(), CanonError> {
                self.close()
            }
        }
    )*};
}

array_like!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field);

impl ser::SerializeMap for Obj<'_> {
    type Ok = ();
    type Error = CanonError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), CanonError> {
        self.key = Some(key_text(key)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), CanonError> {
        let key = self.key.take().ok_or_else(|| CanonError("value without a key".into()))?;
        self.member(Key::Owned(key), v)
    }
    fn end(self) -> Result<(), CanonError> {
        self.finish()
    }
}

/// Structs and struct variants are both objects with static field names.
macro_rules! struct_like {
    ($($tr:ident),*) => {$(
        impl ser::$tr for Obj<'_> {
            type Ok = ();
            type Error = CanonError;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), CanonError> {
                self.member(Key::Field(key), v)
            }
            fn end(self) -> Result<(), CanonError> {
                self.finish()
            }
        }
    )*};
}

struct_like!(SerializeStruct, SerializeStructVariant);

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
            n: Some(i64::MIN),
            f: [("aa".to_string(), 1), ("zz".to_string(), 2)].into_iter().collect(),
        };
        let via_value = canonical(&serde_json::to_value(&v).unwrap());
        assert_eq!(to_canonical(&v).unwrap(), via_value);
    }
}
