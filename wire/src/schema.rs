//! JSON Schema (draft 2020-12) of the inputs and answers, written by the
//! same derives that read and write them, so the schema cannot say other
//! than the decoder does.
//!
//! - [`InputSchema`]: what `#[derive(Decode)]` accepts: a field is required
//!   unless it has a default (`Option`, `#[serde(default)]`);
//!   `deny_unknown_fields` is `additionalProperties: false`; a tagged enum
//!   is a `oneOf` of objects whose tag is a `const`.
//! - [`AnswerSchema`]: what `#[derive(Encode)]` writes: a field is always
//!   there unless it has a `skip_serializing_if`, and nothing else is.
//!
//! Two traits of their own, not methods of `Decode` and `Encode`: a type
//! deriving both gets one impl of each, and nothing here is reachable from
//! an operation, so none of it is linked into the `.wasm` (the linker drops
//! what nothing calls; `scripts/build-wasm.sh` reports the sizes).
//!
//! A named type (every derived one) is written once under `$defs` and
//! referred to by `$ref`; [`document`] makes a whole schema document of a
//! root type.

use std::collections::BTreeMap;

use crate::decode::{Expected, Unit};
use crate::encode::{Encode, Writer};

/// A JSON value of a schema: what the derives and the impls below build.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i128),
    Str(String),
    Arr(Vec<Value>),
    /// Members in the order given (written sorted, as all canonical JSON).
    Obj(Vec<(String, Value)>),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_string())
    }
}

impl Value {
    /// An object of `members`.
    pub fn obj<const N: usize>(members: [(&str, Value); N]) -> Value {
        Value::Obj(members.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// `{"type": ty}`.
    pub fn of_type(ty: &str) -> Value {
        Value::obj([("type", ty.into())])
    }

    /// This schema with member `key` set to `value` (when it is an object).
    pub fn with(mut self, key: &str, value: Value) -> Value {
        if let Value::Obj(members) = &mut self {
            members.retain(|(k, _)| k != key);
            members.push((key.to_string(), value));
        }
        self
    }

    /// Member `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// This schema with `e`'s English text as its `description`.
    pub fn described(self, e: &Expected) -> Value {
        self.with("description", e.en.into())
    }

    /// A field's schema with what its [`Unit`] counts as its description
    /// (the derive knows the unit from the field's type).
    pub fn in_unit(self, unit: Unit) -> Value {
        match unit {
            Unit::Plain => self,
            Unit::Fen => self.with("description", "an integer number of fen (1 yuan = 100 fen)".into()),
            Unit::Millis => self.with("description", "a time: UTC milliseconds since 1970-01-01T00:00Z".into()),
        }
    }

    /// An `Option`'s schema without its `null` (a field written only when
    /// `Some`): the `T` of `anyOf: [T, null]`.
    pub fn without_null(self) -> Value {
        if let Some(Value::Arr(alts)) = self.get("anyOf") {
            if let [t, null] = alts.as_slice() {
                if *null == Value::of_type("null") {
                    return t.clone();
                }
            }
        }
        self
    }
}

impl Encode for Value {
    fn encode(&self, w: &mut Writer) {
        match self {
            Value::Bool(b) => b.encode(w),
            // Every integer of a schema is an i64 or u64 bound.
            Value::Int(n) => w.raw(&n.to_string()),
            Value::Str(s) => s.encode(w),
            Value::Arr(items) => items.encode(w),
            // Keys sorted by the map, as canonical JSON has them.
            Value::Obj(members) => {
                members.iter().map(|(k, v)| (k.clone(), v)).collect::<BTreeMap<String, &Value>>().encode(w)
            }
        }
    }
}

/// The named types of one document, under `$defs`.
#[derive(Debug, Default)]
pub struct Defs {
    /// Rust type (`type_name`) → its name in `$defs`.
    names: BTreeMap<&'static str, String>,
    /// Name → schema; `None` while it is being written (a type that holds
    /// itself, like an error's `problems`, refers to itself).
    defs: BTreeMap<String, Option<Value>>,
}

impl Defs {
    /// A `$ref` to the type `rust` (its `type_name`) named `name`, if it
    /// has been met already; else `None`, and the caller writes its schema
    /// and gives it to [`define`](Self::define).
    pub fn seen(&mut self, rust: &'static str, name: &str) -> Option<Value> {
        if let Some(n) = self.names.get(rust) {
            return Some(reference(n));
        }
        // Another type of the same name (in another module): numbered.
        let mut unique = name.to_string();
        let mut i = 2;
        while self.defs.contains_key(&unique) {
            unique = format!("{name}{i}");
            i += 1;
        }
        self.names.insert(rust, unique.clone());
        self.defs.insert(unique, None);
        None
    }

    /// Keep `schema` as the definition of `rust`, and return a `$ref` to it.
    pub fn define(&mut self, rust: &'static str, schema: Value) -> Value {
        let name = self.names.get(rust).cloned().unwrap_or_default();
        self.defs.insert(name.clone(), Some(schema));
        reference(&name)
    }
}

fn reference(name: &str) -> Value {
    Value::obj([("$ref", format!("#/$defs/{name}").as_str().into())])
}

/// A whole schema document: `root` (a `$ref` or a schema, from
/// [`InputSchema::input_schema`] or [`AnswerSchema::answer_schema`]),
/// titled, with the `$defs` it refers to.
pub fn document(title: &str, root: impl FnOnce(&mut Defs) -> Value) -> Value {
    let mut defs = Defs::default();
    let root = root(&mut defs);
    let mut doc = vec![
        ("$schema".to_string(), Value::from("https://json-schema.org/draft/2020-12/schema")),
        ("title".to_string(), Value::from(title)),
    ];
    match root {
        Value::Obj(members) => doc.extend(members),
        other => doc.push(("allOf".to_string(), Value::Arr(vec![other]))),
    }
    let defs: Vec<(String, Value)> = defs.defs.into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
    if !defs.is_empty() {
        doc.push(("$defs".to_string(), Value::Obj(defs)));
    }
    Value::Obj(doc)
}

/// The schema of what a type's `Decode` accepts.
pub trait InputSchema {
    fn input_schema(defs: &mut Defs) -> Value;

    /// The schema of this type flattened into a parent
    /// (`#[serde(flatten)]`): without `additionalProperties: false`, which
    /// would refuse the parent's keys; the parent says
    /// `unevaluatedProperties: false` instead.
    fn input_schema_open(defs: &mut Defs) -> Value {
        Self::input_schema(defs)
    }

    /// Whether the type refuses keys it does not know
    /// (`deny_unknown_fields`): a parent that flattens it then does too.
    fn denies_unknown() -> bool {
        false
    }
}

/// The schema of what a type's `Encode` writes.
pub trait AnswerSchema {
    fn answer_schema(defs: &mut Defs) -> Value;

    /// As [`InputSchema::input_schema_open`].
    fn answer_schema_open(defs: &mut Defs) -> Value {
        Self::answer_schema(defs)
    }
}

/// `{"type": "integer", "minimum": min, "maximum": max}`.
pub fn integer(min: i128, max: i128) -> Value {
    Value::obj([("type", "integer".into()), ("minimum", Value::Int(min)), ("maximum", Value::Int(max))])
}

/// A string one of `names`.
pub fn one_of(names: &[&str]) -> Value {
    Value::obj([("type", "string".into()), ("enum", Value::Arr(names.iter().map(|n| Value::from(*n)).collect()))])
}

/// An array of `items`.
pub fn array(items: Value) -> Value {
    Value::obj([("type", "array".into()), ("items", items)])
}

/// An object with any keys, each value `values`.
pub fn map(values: Value) -> Value {
    Value::obj([("type", "object".into()), ("additionalProperties", values)])
}

/// `t` or `null`.
pub fn nullable(t: Value) -> Value {
    Value::obj([("anyOf", Value::Arr(vec![t, Value::of_type("null")]))])
}

/// An object of `properties`, of which `required` must be there; `closed`
/// (deny_unknown_fields, or any answer): no other key. `flattened`: the
/// schemas of flattened parts, whose keys count as this object's.
pub fn object(properties: Vec<(String, Value)>, required: Vec<&str>, closed: bool, flattened: Vec<Value>) -> Value {
    let mut o = vec![("type".to_string(), Value::from("object")), ("properties".to_string(), Value::Obj(properties))];
    if !required.is_empty() {
        o.push(("required".to_string(), Value::Arr(required.into_iter().map(Value::from).collect())));
    }
    match (closed, flattened.is_empty()) {
        (true, true) => o.push(("additionalProperties".to_string(), Value::Bool(false))),
        (true, false) => o.push(("unevaluatedProperties".to_string(), Value::Bool(false))),
        _ => {}
    }
    if !flattened.is_empty() {
        o.push(("allOf".to_string(), Value::Arr(flattened)));
    }
    Value::Obj(o)
}

/// One of `variants` (each an object whose tag is a `const`).
pub fn tagged(variants: Vec<Value>) -> Value {
    Value::obj([("oneOf", Value::Arr(variants))])
}

/// A tag's schema: `{"const": name}`.
pub fn tag(name: &str) -> Value {
    Value::obj([("const", name.into())])
}

/// The derives' one call: `T`'s schema as a member of a struct (both
/// sides), with what its unit counts.
pub fn field_in<T: InputSchema + ?Sized>(defs: &mut Defs, unit: Unit) -> Value {
    T::input_schema(defs).in_unit(unit)
}

/// As [`field_in`], for an answer.
pub fn field_out<T: AnswerSchema + ?Sized>(defs: &mut Defs, unit: Unit) -> Value {
    T::answer_schema(defs).in_unit(unit)
}

// ------------------------------------------------------ the wire's types

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl InputSchema for $t {
            fn input_schema(_: &mut Defs) -> Value {
                integer(<$t>::MIN as i128, <$t>::MAX as i128)
            }
        }
        impl AnswerSchema for $t {
            fn answer_schema(_: &mut Defs) -> Value {
                integer(<$t>::MIN as i128, <$t>::MAX as i128)
            }
        }
    )*};
}
integers!(u8, u16, u32, u64, usize, i32, i64);

/// Both traits for a type whose schema does not depend on the side.
macro_rules! both {
    ($t:ty, $defs:ident => $schema:expr) => {
        impl InputSchema for $t {
            fn input_schema($defs: &mut Defs) -> Value {
                $schema
            }
        }
        impl AnswerSchema for $t {
            fn answer_schema($defs: &mut Defs) -> Value {
                $schema
            }
        }
    };
}

both!(bool, _d => Value::of_type("boolean"));
both!(String, _d => Value::of_type("string"));
both!(str, _d => Value::of_type("string"));

impl<T: InputSchema> InputSchema for Option<T> {
    fn input_schema(defs: &mut Defs) -> Value {
        nullable(T::input_schema(defs))
    }
}

impl<T: AnswerSchema> AnswerSchema for Option<T> {
    fn answer_schema(defs: &mut Defs) -> Value {
        nullable(T::answer_schema(defs))
    }
}

impl<T: AnswerSchema + ?Sized> AnswerSchema for &T {
    fn answer_schema(defs: &mut Defs) -> Value {
        T::answer_schema(defs)
    }
}

impl<T: InputSchema> InputSchema for Vec<T> {
    fn input_schema(defs: &mut Defs) -> Value {
        array(T::input_schema(defs))
    }
}

impl<T: AnswerSchema> AnswerSchema for Vec<T> {
    fn answer_schema(defs: &mut Defs) -> Value {
        array(T::answer_schema(defs))
    }
}

impl<T: AnswerSchema> AnswerSchema for [T] {
    fn answer_schema(defs: &mut Defs) -> Value {
        array(T::answer_schema(defs))
    }
}

impl<T: InputSchema> InputSchema for std::collections::BTreeSet<T> {
    fn input_schema(defs: &mut Defs) -> Value {
        array(T::input_schema(defs))
    }
}

impl<T: AnswerSchema> AnswerSchema for std::collections::BTreeSet<T> {
    fn answer_schema(defs: &mut Defs) -> Value {
        array(T::answer_schema(defs)).with("uniqueItems", Value::Bool(true))
    }
}

impl<T: InputSchema> InputSchema for BTreeMap<String, T> {
    fn input_schema(defs: &mut Defs) -> Value {
        map(T::input_schema(defs))
    }
}

impl<T: AnswerSchema> AnswerSchema for BTreeMap<String, T> {
    fn answer_schema(defs: &mut Defs) -> Value {
        map(T::answer_schema(defs))
    }
}

impl AnswerSchema for crate::code::Code {
    fn answer_schema(_: &mut Defs) -> Value {
        Value::of_type("string").with("description", "a stable code, e.g. RULES_INVALID (docs/ABI.md)".into())
    }
}

impl AnswerSchema for crate::error::Error {
    fn answer_schema(defs: &mut Defs) -> Value {
        crate::error::Info::answer_schema(defs)
    }
}
