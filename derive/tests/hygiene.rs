//! The code the derives write does not depend on, nor disturb, the names
//! around it: fields named like its own locals (`o`, `d`, `v`, `w`, `obj`,
//! `also`, `extra`) or like the crates it names (`core`, `siyu`); functions
//! of the user's named like its locals, given to `default` and
//! `skip_serializing_if`; items named `Option`, `Some`, `None`, `Result`,
//! `Default`, `String`, `core`, `std`, `siyu` in scope; unit structs and
//! constants named like its locals (a `let v` would match them); inherent
//! and trait methods named like the ones it calls. Each case is decoded
//! and written back, not only compiled.
//!
//! `forbid(unsafe_code)` as the engine's crate has it. (rustc does not lint
//! what another crate's macro wrote, so this alone would not see an
//! `unsafe` in the derives' code: the derive crate's own unit test
//! `writes_no_unsafe` does.)
#![forbid(unsafe_code)]

use siyu::decode::{self, Decode};
use siyu::encode::{to_json, Encode};

fn round_trip<T: Decode + Encode + PartialEq + std::fmt::Debug>(text: &str, value: T) {
    let read: T = decode::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(read, value, "{text}");
    assert_eq!(to_json(&value), text);
}

/// Fields named like the generated code's locals and parameters, and like
/// the crates its paths start from.
mod field_names {
    use super::*;

    #[derive(Debug, PartialEq, Decode, Encode)]
    #[serde(deny_unknown_fields)]
    pub struct Locals {
        pub o: i64,
        pub d: i64,
        pub v: i64,
        pub w: i64,
        pub obj: i64,
        pub also: i64,
        pub extra: i64,
        pub value: i64,
        pub core: i64,
        pub siyu: i64,
        pub std: i64,
    }

    /// `v` and `also` are read after the flattened part, which is read
    /// from `__v` and told the parent's keys in `__also`.
    #[derive(Debug, PartialEq, Decode, Encode)]
    pub struct Flat {
        #[serde(flatten)]
        pub part: Part,
        pub v: i64,
        pub also: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub extra: Option<i64>,
    }

    #[derive(Debug, PartialEq, Decode, Encode)]
    #[serde(tag = "type", deny_unknown_fields)]
    pub enum Part {
        /// A variant's fields are bound as locals when it is written.
        A { o: i64, w: i64, d: i64, value: Option<i64> },
        B {
            #[serde(skip_serializing_if = "Option::is_none")]
            w: Option<i64>,
            #[serde(skip)]
            o: i64,
        },
    }

    #[test]
    fn fields_named_like_the_generated_locals() {
        round_trip(
            r#"{"also":6,"core":9,"d":2,"extra":7,"o":1,"obj":5,"siyu":10,"std":11,"v":3,"value":8,"w":4}"#,
            Locals { o: 1, d: 2, v: 3, w: 4, obj: 5, also: 6, extra: 7, value: 8, core: 9, siyu: 10, std: 11 },
        );
        round_trip(
            r#"{"also":null,"d":5,"extra":2,"o":1,"type":"A","v":4,"value":null,"w":3}"#,
            Flat { part: Part::A { o: 1, w: 3, d: 5, value: None }, v: 4, also: None, extra: Some(2) },
        );
        round_trip(
            r#"{"also":1,"type":"B","v":2}"#,
            Flat { part: Part::B { w: None, o: 0 }, v: 2, also: Some(1), extra: None },
        );
        round_trip(r#"{"type":"B","w":7}"#, Part::B { w: Some(7), o: 0 });
    }
}

/// The user's functions named like the generated code's locals, given to
/// `default = "…"` and `skip_serializing_if = "…"`: they must be called,
/// not the locals.
mod function_names {
    use super::*;

    fn d() -> i64 {
        1
    }
    fn o() -> i64 {
        2
    }
    fn v() -> i64 {
        3
    }
    fn obj() -> i64 {
        4
    }
    fn w(n: &i64) -> bool {
        *n == 1
    }
    fn extra(n: &i64) -> bool {
        *n == 2
    }
    fn value(n: &i64) -> bool {
        *n == 3
    }

    #[derive(Debug, PartialEq, Decode, Encode)]
    pub struct Defaults {
        #[serde(default = "d", skip_serializing_if = "w")]
        pub a: i64,
        #[serde(default = "o", skip_serializing_if = "extra")]
        pub b: i64,
        #[serde(default = "v", skip_serializing_if = "value")]
        pub c: i64,
        #[serde(default = "obj", skip_serializing_if = "w")]
        pub e: i64,
    }

    /// Written through the flattening parent's members.
    #[derive(Debug, PartialEq, Decode, Encode)]
    pub struct Parent {
        #[serde(default = "o", skip_serializing_if = "extra")]
        pub b: i64,
        #[serde(flatten)]
        pub child: Defaults,
    }

    #[test]
    fn functions_named_like_the_generated_locals() {
        let read: Defaults = decode::from_str("{}").unwrap();
        assert_eq!(read, Defaults { a: 1, b: 2, c: 3, e: 4 });
        assert_eq!(to_json(&read), r#"{"e":4}"#);
        round_trip(r#"{"a":2,"b":3,"c":4,"e":5}"#, Defaults { a: 2, b: 3, c: 4, e: 5 });
        let read: Parent = decode::from_str(r#"{"c":9}"#).unwrap();
        assert_eq!(read, Parent { b: 2, child: Defaults { a: 1, b: 2, c: 9, e: 4 } });
        assert_eq!(to_json(&read), r#"{"c":9,"e":4}"#);
    }
}

/// Items named like the prelude's and the paths' first segments, in scope
/// where the derives expand: the generated code names everything from
/// `::core` and `::siyu`.
mod shadowed {
    #![allow(dead_code, non_camel_case_types, non_upper_case_globals)]
    use super::*;

    pub struct Option;
    pub struct Some;
    pub struct None;
    pub struct Result;
    pub trait Default {}
    pub struct String;
    pub struct Vec;
    pub struct Box;
    pub mod core {}
    pub mod std {}
    pub mod siyu {}
    pub struct Json;
    pub struct Decoder;
    pub struct Writer;
    pub struct Members;
    // A `let v` or a parameter `d` would be a pattern matching these.
    pub struct v;
    pub struct d;
    pub const o: i64 = 0;
    pub const w: i64 = 0;
    pub const extra: i64 = 0;
    pub const value: i64 = 0;
    pub const field_a: i64 = 0;

    type Text = ::std::string::String;
    type Maybe<T> = ::std::option::Option<T>;
    type List<T> = ::std::vec::Vec<T>;

    #[derive(Debug, PartialEq, Decode, Encode)]
    #[serde(deny_unknown_fields)]
    pub struct S {
        pub a: Text,
        #[serde(default)]
        pub b: i64,
        pub c: ::std::option::Option<i64>,
        #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
        pub n: Maybe<i64>,
        #[serde(default, skip_serializing_if = "List::is_empty")]
        pub l: List<E>,
        #[serde(skip)]
        pub s: i64,
        pub u: U,
    }

    #[derive(Debug, PartialEq, Decode, Encode)]
    #[serde(tag = "t")]
    pub enum E {
        A { a: i64 },
        B,
    }

    #[derive(Debug, PartialEq, Decode, Encode)]
    pub enum U {
        X,
        Y,
    }

    #[test]
    fn prelude_names_in_scope() {
        round_trip(
            r#"{"a":"x","b":1,"c":null,"l":[{"a":2,"t":"A"},{"t":"B"}],"u":"Y"}"#,
            S {
                a: "x".into(),
                b: 1,
                c: ::std::option::Option::None,
                n: ::std::option::Option::None,
                l: ::std::vec![E::A { a: 2 }, E::B],
                s: 0,
                u: U::Y,
            },
        );
        let e = decode::from_str::<S>(r#"{"z":1}"#).unwrap_err();
        let found: ::std::vec::Vec<(&str, &str)> =
            e.problems.iter().map(|p| (p.code.as_str(), p.path.as_str())).collect();
        // `c`, an `Option` however spelled, may be absent (serde's rule too).
        assert_eq!(found, [("UNKNOWN_FIELD", "z"), ("MISSING_FIELD", "a"), ("MISSING_FIELD", "u")]);
    }
}

/// Methods named like the ones the generated code calls: inherent ones on
/// the type, and traits in scope implemented for every type, whose methods
/// (taking `self` or `&self`) would come before the wire's own taking
/// `&mut self` if called as `x.method()`.
mod methods {
    #![allow(dead_code)]
    use super::*;

    #[allow(clippy::wrong_self_convention)]
    pub trait ByValue: Sized {
        fn field(self) {}
        fn field_or_default(self) {}
        fn is_some(self) -> bool {
            false
        }
        fn failed(self) {}
    }
    impl<T> ByValue for T {}

    pub trait ByRef {
        fn object(&self) {}
        fn keys(&self) {}
        fn tag(&self) {}
        fn word(&self) {}
        fn key(&self) {}
        fn open(&self) {}
        fn close(&self) {}
        fn raw(&self) {}
        fn encode_with(&self) {}
        fn decode_in(&self) {}
    }
    impl<T: ?Sized> ByRef for T {}

    #[derive(Debug, PartialEq, Decode, Encode)]
    pub struct S {
        pub a: i64,
        pub e: E,
        pub u: U,
        #[serde(flatten)]
        pub f: F,
    }

    impl S {
        pub fn decode_in() {}
        pub fn decode() {}
        pub fn encode_with(&self) {}
        pub fn encode(&self) {}
    }

    #[derive(Debug, PartialEq, Decode, Encode)]
    pub struct F {
        pub b: i64,
    }

    impl F {
        pub fn decode_in() {}
        pub fn encode_with(&self) {}
    }

    #[derive(Debug, PartialEq, Decode, Encode)]
    #[serde(tag = "t")]
    pub enum E {
        A { a: i64 },
    }

    #[derive(Debug, PartialEq, Decode, Encode)]
    pub enum U {
        X,
    }

    impl U {
        pub fn decode_in() {}
        pub fn encode_with(&self) {}
    }

    #[test]
    fn methods_named_like_the_ones_called() {
        round_trip(
            r#"{"a":1,"b":2,"e":{"a":3,"t":"A"},"u":"X"}"#,
            S { a: 1, e: E::A { a: 3 }, u: U::X, f: F { b: 2 } },
        );
    }
}
