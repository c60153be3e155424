//! Reading inputs: JSON text → a [`Json`] tree → typed values, reporting
//! every problem at once, each with its path.
//!
//! Two steps, both small and non-generic where it matters for the `.wasm`:
//!
//! 1. [`parse`] checks the text is exactly one JSON value (else one
//!    `JSON_SYNTAX` problem with line and column). Strings without escapes
//!    and numbers stay slices of the input; numbers keep their text, so an
//!    integer is read exactly and a message can quote it as written.
//! 2. [`Decode`] (derived by `#[derive(Decode)]` from the same
//!    `#[serde(...)]` attributes as the answers' `Serialize`) reads a type
//!    from the tree. A problem is recorded and reading goes on with the
//!    siblings, so one pass reports every unknown field, missing field,
//!    wrong type and unknown variant (up to [`MAX_PROBLEMS`]).
//!
//! ```
//! # extern crate siyu_wire as siyu; // the derive names `::siyu::decode`
//! use siyu::decode::{self, Decode};
//! #[derive(Debug, Decode)]
//! #[serde(deny_unknown_fields)]
//! struct Line { sku: String, quantity: i64 }
//! #[derive(Debug, Decode)]
//! #[serde(deny_unknown_fields)]
//! struct Cart { lines: Vec<Line>, #[serde(default)] coupons: Vec<String> }
//!
//! let text = r#"{"lines":[{"sku":"A","qty":1}],"coupons":7,"pints":3}"#;
//! let e = decode::from_str::<Cart>(text).unwrap_err();
//! assert_eq!(e.code, "INPUT_INVALID");
//! let found: Vec<(&str, &str)> = e.problems.iter().map(|p| (p.code.as_str(), p.path.as_str())).collect();
//! assert_eq!(found, [
//!     ("UNKNOWN_FIELD", "pints"),
//!     ("UNKNOWN_FIELD", "lines[0].qty"),
//!     ("MISSING_FIELD", "lines[0].quantity"),
//!     ("WRONG_TYPE", "coupons"),
//! ]);
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::code::{self, Code};
use crate::error::{clip, Error, Result, MAX_PROBLEMS};

pub use siyu_derive::Decode;

/// Largest JSON input accepted, in bytes (16 MiB).
pub const MAX_INPUT_BYTES: usize = 16 << 20;

/// Deepest nesting of arrays and objects accepted (serde_json's limit too):
/// deeper input is refused rather than allowed to exhaust the stack.
pub const MAX_DEPTH: usize = 128;

/// Refuse input over [`MAX_INPUT_BYTES`].
pub fn check_size(json: &str) -> Result<()> {
    if json.len() > MAX_INPUT_BYTES {
        return Err(Error::new(code::INPUT_TOO_LARGE, "", "输入超过 16 MiB", "input is larger than 16 MiB"));
    }
    Ok(())
}

// ---------------------------------------------------------------- the tree

/// A parsed JSON value. Object members keep their order (and duplicates,
/// which [`Decoder`] refuses).
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    /// The number as written, e.g. `-12` or `1.5e3`.
    Num(&'a str),
    /// Borrowed when the text between the quotes had no escape: then it
    /// holds nothing to escape either (no `"`, `\` or control character;
    /// the parser borrows only such runs), and is written back as it is.
    Str(Cow<'a, str>),
    Arr(Vec<Json<'a>>),
    /// Members; a key is borrowed on the same terms as a `Str`.
    Obj(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// An object's members.
pub type Members<'v> = [(Cow<'v, str>, Json<'v>)];

/// Parse JSON text into a tree; a syntax error is `JSON_SYNTAX` under an
/// `INPUT_INVALID` error.
pub fn parse(text: &str) -> Result<Json<'_>> {
    check_size(text)?;
    let mut p = Parser { s: text.as_bytes(), text, at: 0, depth: MAX_DEPTH };
    let v = p.value().and_then(|v| {
        p.space();
        if p.at < p.s.len() {
            Err(&syntax::TRAILING)
        } else {
            Ok(v)
        }
    });
    v.map_err(|what| syntax_error(text, p.at, what))
}

/// The refusal of `text` for `what` at byte `at`. Cold, out of the parser
/// (see [`Decoder::problem`]).
#[cold]
fn syntax_error(text: &str, at: usize, what: &Expected) -> Error {
    let (line, column) = line_column(text, at);
    let mut top = Error::new(code::INPUT_INVALID, "", "JSON 格式错误", "malformed JSON");
    top.problems.push(Error::new(
        code::JSON_SYNTAX,
        "",
        format!("第 {line} 行第 {column} 列：{}", what.zh),
        format!("{} at line {line} column {column}", what.en),
    ));
    top
}

#[cold]
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..at.min(text.len())];
    // One plain pass: the line, and where it starts.
    let (mut line, mut start) = (1, 0);
    for (i, &b) in before.iter().enumerate() {
        if b == b'\n' {
            line += 1;
            start = i + 1;
        }
    }
    (line, (before.len() - start).max(1))
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    at: usize,
    /// Levels of nesting still allowed.
    depth: usize,
}

/// A step of the parser: its value, or what is wrong with the text there.
type Step<T> = std::result::Result<T, &'static Expected>;

/// What is wrong with JSON text, in both languages (`Expected` serves as a
/// pair of texts).
mod syntax {
    use super::Expected;

    pub const TRAILING: Expected =
        Expected { en: "more text after the JSON value", zh: "JSON 值之后还有多余的字符" };
    pub const END_IN_VALUE: Expected =
        Expected { en: "the text ends where a value should be", zh: "文本在应有值的位置结束" };
    pub const NO_VALUE: Expected = Expected {
        en: "expected a value (an object, array, string, number, true, false or null)",
        zh: "此处应为一个值（对象、数组、字符串、数字、true、false 或 null）",
    };
    pub const TOO_DEEP: Expected = Expected { en: "nested more than 128 levels deep", zh: "嵌套超过 128 层" };
    pub const END_IN_ARRAY: Expected = Expected { en: "the text ends inside an array", zh: "文本在数组内结束" };
    pub const ARRAY_COMMA: Expected =
        Expected { en: "expected `,` or `]` in an array", zh: "数组中此处应为 `,` 或 `]`" };
    pub const END_IN_OBJECT: Expected =
        Expected { en: "the text ends inside an object", zh: "文本在对象内结束" };
    pub const KEY: Expected =
        Expected { en: "expected a key in double quotes", zh: "此处应为双引号括起的键" };
    pub const COLON: Expected = Expected { en: "expected `:` after a key", zh: "键之后应为 `:`" };
    pub const OBJECT_COMMA: Expected =
        Expected { en: "expected `,` or `}` in an object", zh: "对象中此处应为 `,` 或 `}`" };
    pub const NUMBER: Expected = Expected { en: "invalid number", zh: "数字格式错误" };
    pub const END_IN_STRING: Expected =
        Expected { en: "the text ends inside a string", zh: "文本在字符串内结束" };
    pub const CONTROL: Expected = Expected {
        en: "a control character (U+0000 to U+001F) in a string, which must be escaped",
        zh: "字符串中有控制字符（U+0000 至 U+001F），须转义",
    };
    pub const ESCAPE: Expected = Expected { en: "invalid escape", zh: "无效的转义序列" };
    pub const LONE_LEADING: Expected =
        Expected { en: "a lone leading surrogate in a \\u escape", zh: "\\u 转义中有落单的前导代理项" };
    pub const LONE_TRAILING: Expected =
        Expected { en: "a lone trailing surrogate in a \\u escape", zh: "\\u 转义中有落单的后尾代理项" };
    pub const CODE_POINT: Expected = Expected { en: "invalid Unicode code point", zh: "无效的 Unicode 码位" };
}

impl<'a> Parser<'a> {
    #[inline(always)]
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.at) {
            self.at += 1;
        }
    }

    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.s.get(self.at).copied()
    }

    fn value(&mut self) -> Step<Json<'a>> {
        match self.peek() {
            None => Err(&syntax::END_IN_VALUE),
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                let rest = &self.s[self.at..];
                let (len, v) = if rest.starts_with(b"null") {
                    (4, Json::Null)
                } else if rest.starts_with(b"true") {
                    (4, Json::Bool(true))
                } else if rest.starts_with(b"false") {
                    (5, Json::Bool(false))
                } else {
                    return Err(&syntax::NO_VALUE);
                };
                self.at += len;
                Ok(v)
            }
        }
    }

    fn nested(&mut self, f: fn(&mut Self) -> Step<Json<'a>>) -> Step<Json<'a>> {
        if self.depth == 0 {
            return Err(&syntax::TOO_DEEP);
        }
        self.depth -= 1;
        self.at += 1;
        let v = f(self);
        self.depth += 1;
        v
    }

    fn array(&mut self) -> Step<Json<'a>> {
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Arr(items));
        }
        loop {
            items.push(self.value()?);
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Arr(items));
                }
                None => return Err(&syntax::END_IN_ARRAY),
                Some(_) => return Err(&syntax::ARRAY_COMMA),
            }
        }
    }

    fn object(&mut self) -> Step<Json<'a>> {
        let mut members = Vec::new();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Obj(members));
        }
        loop {
            match self.peek() {
                Some(b'"') => {}
                None => return Err(&syntax::END_IN_OBJECT),
                Some(_) => return Err(&syntax::KEY),
            }
            let key = self.string()?;
            match self.peek() {
                Some(b':') => self.at += 1,
                None => return Err(&syntax::END_IN_OBJECT),
                Some(_) => return Err(&syntax::COLON),
            }
            members.push((key, self.value()?));
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Obj(members));
                }
                None => return Err(&syntax::END_IN_OBJECT),
                Some(_) => return Err(&syntax::OBJECT_COMMA),
            }
        }
    }

    /// The input between two byte positions. The parser cuts only next to
    /// ASCII bytes, so the cut is always on a character boundary; `get`
    /// rather than `[..]` because a `str` index that could panic brings
    /// core's panic message code (char `Debug`, Unicode tables, ~4 KB) into
    /// the `.wasm`.
    fn cut(&self, from: usize, to: usize) -> &'a str {
        self.text.get(from..to).unwrap_or_default()
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.s.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Step<Json<'a>> {
        let start = self.at;
        if self.s[self.at] == b'-' {
            self.at += 1;
        }
        match self.s.get(self.at) {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(&syntax::NUMBER),
        }
        if self.s.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(&syntax::NUMBER);
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.s.get(self.at) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(&syntax::NUMBER);
            }
        }
        Ok(Json::Num(self.cut(start, self.at)))
    }

    /// Step over the bytes of a string that need no attention (see `scan`).
    fn skip_plain(&mut self) {
        self.at += crate::scan::plain_run(self.s.get(self.at..).unwrap_or_default());
    }

    /// A string, the cursor on its opening quote. Borrowed when it has no
    /// escapes.
    fn string(&mut self) -> Step<Cow<'a, str>> {
        self.at += 1;
        let start = self.at;
        self.skip_plain();
        match self.s.get(self.at) {
            None => return Err(&syntax::END_IN_STRING),
            Some(b'"') => {
                self.at += 1;
                return Ok(Cow::Borrowed(self.cut(start, self.at - 1)));
            }
            Some(b'\\') => {}
            Some(_) => return Err(&syntax::CONTROL),
        }
        let mut out = String::from(self.cut(start, self.at));
        loop {
            let run = self.at;
            self.skip_plain();
            out.push_str(self.cut(run, self.at));
            match self.s.get(self.at) {
                None => return Err(&syntax::END_IN_STRING),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.at += 1;
                    let esc = *self.s.get(self.at).ok_or(&syntax::END_IN_STRING)?;
                    self.at += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(&syntax::ESCAPE),
                    }
                }
                Some(_) => return Err(&syntax::CONTROL),
            }
        }
    }

    /// After `\u`: four hex digits, and a second escape for a surrogate pair.
    fn unicode_escape(&mut self) -> Step<char> {
        let hi = self.hex4()?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if !self.s[self.at..].starts_with(b"\\u") {
                    return Err(&syntax::LONE_LEADING);
                }
                self.at += 2;
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(&syntax::LONE_LEADING);
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(&syntax::LONE_TRAILING),
            c => c,
        };
        char::from_u32(code).ok_or(&syntax::CODE_POINT)
    }

    fn hex4(&mut self) -> Step<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let d = match self.s.get(self.at) {
                None => return Err(&syntax::END_IN_STRING),
                Some(&b) => (b as char).to_digit(16).ok_or(&syntax::ESCAPE)?,
            };
            n = n * 16 + d;
            self.at += 1;
        }
        Ok(n)
    }
}

// ------------------------------------------------------------- decoding

/// Reads a type from a [`Json`] tree. Derive it with `#[derive(Decode)]`;
/// write it by hand for a type spelled as one string (a date) or with
/// alternatives (`"best"` or a list).
pub trait Decode: Sized {
    /// `None` means a problem was recorded in `d`.
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self>;
}

/// A value computed from the whole JSON object a struct is read from rather
/// than from one of its members: the type of a field marked
/// `#[decode(whole)]` (and `#[serde(skip)]`: it is no member, read or
/// written). The rule set's fingerprint is one: the hash of the document.
pub trait Whole {
    fn whole(v: &Json) -> Self;
}

/// Where decoding is, and what it found wrong so far.
pub struct Decoder<'v> {
    path: Vec<Seg<'v>>,
    problems: Vec<Error>,
    /// What the integer being read counts, when the derive knows it from
    /// the field's type (see [`Unit`]); set by [`Object::unit`].
    unit: Unit,
    /// The keys of the parent a type is being read flattened into, which
    /// are not unknown in its object: set by [`flattened`](Self::flattened)
    /// and taken by the first [`keys`](Self::keys), the type's own. Held
    /// here rather than passed, so that every type has one reader, not a
    /// `decode` and a `decode_in` with the parent's keys.
    also: &'static [&'static str],
}

impl Decoder<'_> {
    /// A decoder at the root, with no problems yet. Not inlined: one body
    /// for every instance of [`from_json`].
    #[inline(never)]
    fn new() -> Self {
        Decoder { path: Vec::new(), problems: Vec::new(), unit: Unit::Plain, also: &[] }
    }

    /// The one error [`from_json`] returns when reading failed: `code`,
    /// `zh`, `en` at the root, listing every problem found.
    #[cold]
    #[inline(never)]
    fn failed(self, code: Code, zh: &str, en: &str) -> Error {
        let mut top = Error::new(code, "", zh, en);
        top.problems = self.problems;
        top
    }
}

/// What an integer field counts, as the derive knows it from the spelling
/// of the field's type: the engine's aliases of `i64` for money (`Fen`,
/// `src/money.rs`) and instants (`Millis`, `src/time.rs`). A refused
/// integer is then named in those words ("an integer number of fen")
/// rather than by its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    #[default]
    Plain,
    Fen,
    Millis,
}

#[derive(Clone, Copy)]
enum Seg<'v> {
    Key(&'v str),
    Index(usize),
}

/// Most keys a type's object has that [`Decoder::keys`] matches in one
/// pass (the derive refuses a type with more; a hand-written caller with
/// more has the rest looked up by name).
pub const MAX_FIELDS: usize = 40;

/// An object whose keys [`Decoder::keys`] checked, read field by field.
/// A field is named by its index in the keys: each of the many field reads
/// the derive writes passes a small number, not the name and the object.
pub struct Object<'d, 'v> {
    pub d: &'d mut Decoder<'v>,
    members: &'v Members<'v>,
    keys: &'static [&'static str],
    /// Where each key is among the members, found in one pass over them:
    /// 1 + the member's index, 0 if absent, [`BY_NAME`] to look it up.
    slots: [u8; MAX_FIELDS],
    /// Whether a field read by [`value`](Self::value) had a problem (or a
    /// required one was missing): see [`ok`](Self::ok).
    failed: bool,
}

/// A slot whose member is looked up by its name (past `u8`'s range).
const BY_NAME: u8 = u8::MAX;

impl<'v> Object<'_, 'v> {
    /// Field `keys[i]`: read as `T`; if absent, `or()`, or else a
    /// `MISSING_FIELD` problem.
    pub fn field<T: Decode>(&mut self, i: usize, or: Option<fn() -> T>) -> Option<T> {
        let t = match self.enter(i, or.is_none()) {
            Some(v) => {
                let t = T::decode(v, self.d);
                self.d.leave();
                t
            }
            None => or.map(|f| f()),
        };
        t
    }

    /// Field `keys[i]` read as `T` itself, for a type with a `Default`:
    /// `T::default()` if absent and not `required`; also in its place when
    /// there was a problem (recorded; then [`ok`](Self::ok) is false and
    /// the derive drops the value it built). The derive reads a field of
    /// a standard type so: no `Option` around it to test and unwrap per
    /// field, one test of [`ok`](Self::ok) for all of them.
    pub fn value<T: Decode + Default>(&mut self, i: usize, required: bool) -> T {
        let t = match self.enter(i, required) {
            Some(v) => {
                let t = T::decode(v, self.d);
                self.leave(t.is_some());
                t
            }
            None => None,
        };
        // One `default` for both cases: the absent field and the placeholder.
        t.unwrap_or_default()
    }

    /// [`value`](Self::value) of a field typed `Fen` or `Millis`, read
    /// under that [`Unit`] (see [`unit`](Self::unit)): one call, not three.
    pub fn value_in<T: Decode + Default>(&mut self, i: usize, required: bool, unit: Unit) -> T {
        self.d.unit = unit;
        let t = self.value(i, required);
        self.d.unit = Unit::Plain;
        t
    }

    /// Leave the field [`value`](Self::value) entered, which was read
    /// without a problem if `ok`. Out of line: it is in every instance of
    /// `value`.
    #[inline(never)]
    fn leave(&mut self, ok: bool) {
        self.d.leave();
        self.failed |= !ok;
    }

    /// Whether every field read by [`value`](Self::value) so far was read
    /// without a problem.
    pub fn ok(&self) -> bool {
        !self.failed
    }

    /// Say what the field about to be read counts, and (with
    /// [`Unit::Plain`]) stop saying it: the derive brackets with it the
    /// read of a field typed `Fen` or `Millis` that is not read by
    /// [`value_in`](Self::value_in) (one with a `default = "path"`).
    /// Out of line: one call each.
    #[inline(never)]
    pub fn unit(&mut self, unit: Unit) {
        self.d.unit = unit;
    }

    /// Field `keys[i]` read as `T`, or `T::default()` if absent: no
    /// function pointer to the default (a table entry and an indirect
    /// call) as with [`field`](Self::field).
    pub fn field_or_default<T: Decode + Default>(&mut self, i: usize) -> Option<T> {
        let t = match self.enter(i, false) {
            Some(v) => {
                let t = T::decode(v, self.d);
                self.d.leave();
                t
            }
            None => Some(T::default()),
        };
        t
    }

    /// Enter field `keys[i]`, found where [`Decoder::keys`] saw it: its
    /// value with the path entered into it; if it is absent, `None`, and a
    /// `MISSING_FIELD` problem if it is `required`. (Not generic: the part
    /// of every field read that does not depend on the field's type is here
    /// once, and not inlined into each type's copy of them.)
    #[inline(never)]
    fn enter(&mut self, i: usize, required: bool) -> Option<&'v Json<'v>> {
        let name = self.keys.get(i).copied().unwrap_or_default();
        match self.slots.get(i).copied().unwrap_or(BY_NAME) {
            0 => {
                if required {
                    self.failed = true;
                    self.d.missing(name);
                }
                None
            }
            BY_NAME => {
                let v = self.d.enter(self.members, name, required);
                self.failed |= required && v.is_none();
                v
            }
            at => {
                self.d.path.push(Seg::Key(name));
                self.members.get(at as usize - 1).map(|(_, v)| v)
            }
        }
    }
}

/// Read `T` from JSON text, or an `INPUT_INVALID` error listing every
/// problem.
pub fn from_str<T: Decode>(text: &str) -> Result<T> {
    from_json(&parse(text)?, code::INPUT_INVALID, "输入无效", "the input is invalid")
}

/// Read `T` from a tree, or one error with `code`, `zh`, `en` listing
/// every problem.
///
/// Generic over `T`, so one copy per type read: what does not depend on
/// `T` (making the decoder, building the error) is in [`Decoder::new`] and
/// [`Decoder::failed`], once.
pub fn from_json<'v, T: Decode>(v: &'v Json<'v>, code: Code, zh: &str, en: &str) -> Result<T> {
    let mut d = Decoder::new();
    match T::decode(v, &mut d) {
        Some(t) if d.problems.is_empty() => Ok(t),
        _ => Err(d.failed(code, zh, en)),
    }
}

/// What a value should have been, as a message names it, in both
/// languages: "the rules object" / "规则对象". Each type that reads itself
/// names itself once, with one of these (the derive's default for a struct
/// is [`Expected::OBJECT`]; `#[decode(expected(en = "…", zh = "…"))]` on
/// the type says better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Expected {
    pub const OBJECT: Expected = Expected { en: "an object", zh: "对象" };
    pub const ARRAY: Expected = Expected { en: "an array", zh: "数组" };
    pub const STRING: Expected = Expected { en: "a string", zh: "字符串" };
    pub const BOOLEAN: Expected = Expected { en: "true or false", zh: "true 或 false" };
}

/// How a message names a JSON value it did not expect: (English, Chinese).
#[cold]
fn found(v: &Json) -> (String, String) {
    match v {
        Json::Null => ("null".into(), "null".into()),
        Json::Bool(b) => (format!("`{b}`"), format!("`{b}`")),
        Json::Num(n) if n.contains(['.', 'e', 'E']) => (format!("the decimal number `{n}`"), format!("小数 `{n}`")),
        Json::Num(n) => (format!("the number `{n}`"), format!("数字 `{n}`")),
        Json::Str(s) => {
            let s = clip(s, 100);
            (format!("the string \"{s}\""), format!("字符串 \"{s}\""))
        }
        Json::Arr(_) => ("an array".into(), "数组".into()),
        Json::Obj(_) => ("an object".into(), "对象".into()),
    }
}

/// `zh` after `lead` in a Chinese message, with a space between them when
/// `zh` starts with ASCII (`应为 0 到 255 …`, `实际为 null`), as Chinese
/// typesetting spaces them.
#[cold]
fn after(lead: &str, zh: &str) -> String {
    let sep = if zh.starts_with(|c: char| c.is_ascii()) { " " } else { "" };
    format!("{lead}{sep}{zh}")
}

/// `names` as a message lists them: (English, Chinese), e.g.
/// ("one of `a`, `b`", "`a`、`b` 之一").
#[cold]
fn one_of(names: &[&str]) -> (String, String) {
    match names {
        [] => ("nothing".into(), "无".into()),
        [one] => (format!("`{one}`"), format!("`{one}`")),
        // The shared (cold) `join`, not a loop of its own.
        _ => {
            let (en, zh) = (crate::error::join(names, "`, `"), crate::error::join(names, "`、`"));
            (format!("one of `{en}`"), format!("`{zh}` 之一"))
        }
    }
}

impl<'v> Decoder<'v> {
    #[cold]
    fn path(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                // `format!`: the formatting code every message uses, not
                // an integer-to-string inlined here.
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    /// Whether [`MAX_PROBLEMS`] are recorded: nothing more will be, so
    /// loops that look for more can stop (and not format messages).
    fn full(&self) -> bool {
        self.problems.len() >= MAX_PROBLEMS
    }

    /// Record a problem at the current path (or at its child `key`).
    /// `zh` is the code's message, given by each caller (a match on the
    /// code here was string comparisons at run time).
    // `#[cold]` here and on the other error-only functions of this file:
    // the crate is built at opt-level 3 for its hot paths, and `cold` keeps
    // LLVM from inlining into and unrolling code that runs only to report
    // (0.5 KB).
    #[cold]
    fn problem(&mut self, code: Code, zh: String, key: Option<&'v str>, en: String) {
        if self.full() {
            return;
        }
        if let Some(k) = key {
            self.path.push(Seg::Key(k));
        }
        let path = self.path();
        if key.is_some() {
            self.path.pop();
        }
        // Longer than 300 characters exactly when clipping shortens it (a
        // count of the characters would bring core's 0.9 KB counter in).
        let en = if clip(&en, 300).len() < en.len() { format!("{}…", clip(&en, 300)) } else { en };
        let zh = if clip(&zh, 300).len() < zh.len() { format!("{}…", clip(&zh, 300)) } else { zh };
        self.problems.push(Error::new(code, path, zh, en));
    }

    /// A `WRONG_TYPE` problem here: `v` is not `expected`.
    pub fn wrong<T>(&mut self, v: &Json, expected: &Expected) -> Option<T> {
        self.wrong_type(v, expected.en, expected.zh);
        None
    }

    /// [`wrong`](Self::wrong) but for its `None`: not generic, so the
    /// message is built in one place, not once per type.
    #[cold]
    #[inline(never)]
    fn wrong_type(&mut self, v: &Json, en: &str, zh: &str) {
        let (found_en, found_zh) = found(v);
        self.problem(
            code::WRONG_TYPE,
            format!("{}，{}", after("应为", zh), after("实际为", &found_zh)),
            None,
            format!("expected {en}, found {found_en}"),
        );
    }

    /// A `WRONG_TYPE` problem here with a message of its own (a bad date),
    /// in both languages.
    pub fn invalid<T>(&mut self, zh: String, en: String) -> Option<T> {
        self.problem(code::WRONG_TYPE, zh, None, en);
        None
    }

    /// `v` as an object's members.
    pub fn object(&mut self, v: &'v Json<'v>, expected: &Expected) -> Option<&'v Members<'v>> {
        match v {
            Json::Obj(m) => Some(m),
            _ => self.wrong(v, expected),
        }
    }

    /// `T` read from `v`, the object of a parent that flattens it: `also`
    /// are the parent's own keys, which are not unknown in it.
    pub fn flattened<T: Decode>(&mut self, v: &'v Json<'v>, also: &'static [&'static str]) -> Option<T> {
        self.also = also;
        let t = T::decode(v, self);
        // Not left to the next `keys` if `T` had none (no object, say).
        self.also = &[];
        t
    }

    /// Check an object's keys: each at most once, and (if `deny`) each one
    /// of `known` or of the parent's keys when it is read flattened (see
    /// [`flattened`](Self::flattened)); then read its fields, by their
    /// index in `known`, through the [`Object`] returned.
    ///
    /// One pass over the members finds each key's place in `known` (trying
    /// first the key after the last one found: inputs tend to list keys in
    /// one order, often the writer's sorted one) and notes where it is, so a
    /// field read is a lookup. Only when that pass sees something amiss (a
    /// key twice, or a key not in `known`) are the keys checked one against
    /// another to report it.
    pub fn keys<'d>(&'d mut self, obj: &'v Members<'v>, known: &'static [&'static str], deny: bool) -> Object<'d, 'v> {
        let also = std::mem::take(&mut self.also);
        let mut slots = [0u8; MAX_FIELDS];
        // Keys past MAX_FIELDS get no slot: only the full check sees them twice.
        let mut clean = known.len() <= MAX_FIELDS;
        let n = known.len();
        // Where the search for the next key starts: after the last found.
        let mut p = 0;
        for (j, (k, _)) in obj.iter().enumerate() {
            let k: &str = k;
            // Once round `known` from `p`.
            let mut left = n;
            while left > 0 {
                if p >= n {
                    p = 0;
                }
                if known[p] == k {
                    break;
                }
                p += 1;
                left -= 1;
            }
            if left == 0 {
                // A parent's key (of a flattened part) is no problem here;
                // anything else is unknown, or a flattened part's key whose
                // repeats only the full check finds.
                clean &= !also.is_empty() && also.contains(&k);
                continue;
            }
            if let Some(slot) = slots.get_mut(p) {
                if *slot != 0 {
                    clean = false;
                } else {
                    *slot = u8::try_from(j + 1).unwrap_or(BY_NAME);
                }
            }
            p += 1;
        }
        if !clean {
            self.check_keys(obj, known, also, deny);
        }
        Object { d: self, members: obj, keys: known, slots, failed: false }
    }

    #[cold]
    #[inline(never)]
    fn check_keys(&mut self, obj: &'v Members<'v>, known: &[&str], also: &[&str], deny: bool) {
        // A flattened part sees its parent's object again: the parent has
        // already looked for duplicates.
        if also.is_empty() {
            self.duplicates(obj);
        }
        if deny {
            for (k, _) in obj {
                if self.full() {
                    return;
                }
                if !known.contains(&k.as_ref()) && !also.contains(&k.as_ref()) {
                    // A misspelt key of the parent is met here too: name
                    // the parent's keys with the part's, or `validty` on
                    // a coupon would list only the coupon kind's keys.
                    let all: Vec<&str> = also.iter().chain(known).copied().collect();
                    self.unknown_field(k, &all);
                }
            }
        }
    }

    /// An `UNKNOWN_FIELD` problem for key `k`, naming the `known` ones.
    #[cold]
    fn unknown_field(&mut self, k: &'v str, known: &[&str]) {
        let (en, zh) = match known {
            [] => ("no fields are allowed here".to_string(), "此处不接受任何字段".to_string()),
            _ => {
                let (en, zh) = one_of(known);
                (format!("expected {en}"), after("应为", &zh))
            }
        };
        self.problem(
            code::UNKNOWN_FIELD,
            format!("未知字段 `{k}`，{zh}"),
            Some(k),
            format!("unknown field `{k}`, {en}"),
        );
    }

    /// A `WRONG_TYPE` problem for key `k`, given twice.
    #[cold]
    fn duplicate(&mut self, k: &'v str) {
        self.problem(code::WRONG_TYPE, format!("字段 `{k}` 重复"), Some(k), format!("duplicate field `{k}`"));
    }

    fn duplicates(&mut self, obj: &'v Members<'v>) {
        if obj.len() <= 16 {
            // Small objects (nearly all): compare pairs, allocate nothing.
            // Reported once per repeated key, at its second appearance.
            for (i, (k, _)) in obj.iter().enumerate() {
                if self.full() {
                    return;
                }
                if obj[..i].iter().filter(|(seen, _)| seen == k).count() == 1 {
                    self.duplicate(k);
                }
            }
            return;
        }
        let mut keys: Vec<&'v str> = Vec::with_capacity(obj.len());
        for (k, _) in obj {
            keys.push(k);
        }
        crate::sorting::sort_by(&mut keys, |a, b| a.cmp(b));
        for (i, pair) in keys.windows(2).enumerate() {
            if self.full() {
                return;
            }
            // Once per repeated key, however many times it repeats.
            if pair[0] == pair[1] && (i == 0 || keys[i - 1] != pair[0]) {
                self.duplicate(pair[0]);
            }
        }
    }

    /// Leave the field [`enter`](Self::enter) entered. Out of line: it is
    /// in every instance of [`Object::field`].
    #[inline(never)]
    fn leave(&mut self) {
        self.path.pop();
    }

    /// The value of field `name`, with the path entered into it; if it is
    /// absent, `None`, and a `MISSING_FIELD` problem if it is `required`.
    /// Looked up by name: for an enum's tag, and for a field past the
    /// places [`keys`](Self::keys) notes (a field read is
    /// [`Object::enter`]).
    #[inline(never)]
    fn enter(&mut self, obj: &'v Members<'v>, name: &'static str, required: bool) -> Option<&'v Json<'v>> {
        match obj.iter().find(|(k, _)| k == name) {
            Some((_, v)) => {
                self.path.push(Seg::Key(name));
                Some(v)
            }
            None => {
                if required {
                    self.missing(name);
                }
                None
            }
        }
    }

    /// A `MISSING_FIELD` problem for field `name` here.
    #[cold]
    fn missing(&mut self, name: &'static str) {
        self.problem(
            code::MISSING_FIELD,
            format!("缺少必填字段 `{name}`"),
            Some(name),
            format!("missing field `{name}`"),
        );
    }

    /// The variant an internally tagged enum's `tag` names, as an index
    /// into `names`.
    pub fn tag(&mut self, obj: &'v Members<'v>, tag: &'static str, names: &[&str]) -> Option<usize> {
        let v = self.enter(obj, tag, true)?;
        let found = self.word(v, names);
        self.path.pop();
        found
    }

    /// A string naming one of `names`, as its index. A string is the one
    /// description of such a value: a message lists the names.
    pub fn word(&mut self, v: &'v Json<'v>, names: &[&str]) -> Option<usize> {
        let Json::Str(s) = v else {
            self.not_one_of(v, names);
            return None;
        };
        let found = names.iter().position(|n| n == s);
        if found.is_none() {
            self.unknown_variant(s, names);
        }
        found
    }

    /// A `WRONG_TYPE` problem: `v` is no string, where one of `names` is.
    #[cold]
    fn not_one_of(&mut self, v: &Json, names: &[&str]) {
        let (en, zh) = one_of(names);
        self.wrong_type(v, &en, &zh);
    }

    /// An `UNKNOWN_VARIANT` problem: `s` is none of `names`.
    #[cold]
    fn unknown_variant(&mut self, s: &str, names: &[&str]) {
        let (en, zh) = one_of(names);
        let s = clip(s, 100);
        self.problem(
            code::UNKNOWN_VARIANT,
            format!("未知取值 `{s}`，{}", after("应为", &zh)),
            None,
            format!("unknown value `{s}`, expected {en}"),
        );
    }

    /// `v` as an object with any keys, read into a map `M`; keys must not
    /// repeat.
    pub fn map<M: Entries<'v> + Default>(&mut self, v: &'v Json<'v>) -> Option<M> {
        let mut out = M::default();
        self.entries(v, &mut out).then_some(out)
    }

    /// Each member of a map object, read into `out` with its key on the
    /// path; false if `v` is not an object or any member had a problem
    /// (all are read, to report every problem). Not generic, like
    /// [`items`](Self::items).
    fn entries(&mut self, v: &'v Json<'v>, out: &mut dyn Entries<'v>) -> bool {
        let Some(obj) = self.object(v, &Expected::OBJECT) else { return false };
        self.duplicates(obj);
        let mut ok = true;
        for (k, item) in obj {
            self.path.push(Seg::Key(k));
            ok &= out.read(k, item, self);
            self.path.pop();
        }
        ok
    }

    /// Each item of an array, read into `out` with its index on the path;
    /// false if any had a problem (all are read, to report every problem).
    /// Not generic: the loop exists once, not once per item type.
    pub fn items(&mut self, items: &'v [Json<'v>], out: &mut dyn Items<'v>) -> bool {
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            self.path.push(Seg::Index(i));
            ok &= out.read(item, self);
            self.path.pop();
        }
        ok
    }

    /// `v` as an array, each item read into `out` as by
    /// [`items`](Self::items); false if `v` is not an array or any item had
    /// a problem. Not generic: the type test and its problem are here once,
    /// not in every list type's `decode`.
    pub fn seq(&mut self, v: &'v Json<'v>, out: &mut dyn Items<'v>) -> bool {
        match v {
            Json::Arr(items) => self.items(items, out),
            _ => {
                self.wrong_type(v, Expected::ARRAY.en, Expected::ARRAY.zh);
                false
            }
        }
    }

    /// `v` as a string.
    pub fn str(&mut self, v: &'v Json<'v>, expected: &Expected) -> Option<&'v str> {
        match v {
            Json::Str(s) => Some(s),
            _ => self.wrong(v, expected),
        }
    }

    /// `v` as an integer within `min..=max`: its sign (true if negative)
    /// and magnitude, in 64 bits (128-bit arithmetic is several Wasm
    /// instructions a step).
    fn integer(&mut self, v: &Json, min: i64, max: u64) -> Option<(bool, u64)> {
        let Json::Num(text) = v else { return self.not_integer(v, min, max) };
        let (neg, digits) = match text.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, *text),
        };
        // Digits only, read in the same pass (not `str::parse`, a larger
        // body for the same number). Up to 19 digits cannot overflow a u64;
        // only a 20th is checked, and more is out of range however written.
        let (mut m, mut fits) = (0u64, !digits.is_empty() && digits.len() <= 20);
        for (i, b) in digits.bytes().enumerate() {
            if !b.is_ascii_digit() {
                return self.not_integer(v, min, max);
            }
            let d = u64::from(b - b'0');
            if i == 19 {
                fits &= m < u64::MAX / 10 || (m == u64::MAX / 10 && d <= u64::MAX % 10);
            }
            m = m.wrapping_mul(10).wrapping_add(d);
        }
        if fits && m <= if neg { min.unsigned_abs() } else { max } {
            Some((neg, m))
        } else {
            self.out_of_range(text, min, max)
        }
    }

    /// How a message names an integer within `min..=max` here: (English,
    /// Chinese). With `range`, the bounds are said even where the type
    /// alone says enough (money, a signed 64-bit number).
    #[cold]
    fn integer_expected(&self, min: i64, max: u64, range: bool) -> (String, String) {
        let (en, zh) = match (self.unit, min == 0) {
            (Unit::Fen, _) => ("an integer number of fen", "以分为单位的整数"),
            (Unit::Millis, _) => {
                ("a time in milliseconds since 1970-01-01T00:00Z", "时间（自 1970-01-01T00:00Z 起的毫秒数）")
            }
            (Unit::Plain, true) => ("a whole number", "整数"),
            (Unit::Plain, false) => ("an integer", "整数"),
        };
        if !range && (self.unit != Unit::Plain || (min == i64::MIN && max == i64::MAX as u64)) {
            return (en.into(), zh.into());
        }
        (format!("{en} from {min} to {max}"), format!("{min} 到 {max} 之间的{zh}"))
    }

    /// A `WRONG_TYPE` problem: `v` is no integer.
    #[cold]
    fn not_integer<T>(&mut self, v: &Json, min: i64, max: u64) -> Option<T> {
        let (en, zh) = self.integer_expected(min, max, false);
        self.wrong_type(v, &en, &zh);
        None
    }

    /// A `WRONG_TYPE` problem: integer `text` is outside `min..=max`.
    #[cold]
    fn out_of_range<T>(&mut self, text: &str, min: i64, max: u64) -> Option<T> {
        let (en, zh) = self.integer_expected(min, max, true);
        let n = clip(text, 40);
        self.invalid(format!("`{n}` 超出范围：{}", after("应为", &zh)), format!("`{n}` is out of range: expected {en}"))
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
                // In range, so the magnitude fits (and is 0 if negative for
                // an unsigned type); `wrapping_neg` reaches the type's MIN.
                d.integer(v, <$t>::MIN as i64, <$t>::MAX as u64)
                    .map(|(neg, m)| if neg { (m as $t).wrapping_neg() } else { m as $t })
            }
        }
    )*};
}
// Not `usize` or `isize`: 32 bits in the .wasm and 64 natively, so the
// same number would be a value on one target and a type error on the other.
// The derives refuse them too, with that reason, at the field.
integers!(u8, u16, u32, u64, i32, i64);

impl Decode for bool {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        match v {
            Json::Bool(b) => Some(*b),
            _ => d.wrong(v, &Expected::BOOLEAN),
        }
    }
}

impl Decode for String {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        d.str(v, &Expected::STRING).map(str::to_string)
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        match v {
            Json::Null => Some(None),
            _ => T::decode(v, d).map(Some),
        }
    }
}

/// Where [`Decoder::items`] puts each item it reads. A trait of its own
/// rather than a `&mut dyn FnMut` closure: a closure's vtable also carries
/// a call shim, one more function per item type.
pub trait Items<'v> {
    /// Read `item` and keep it; false if it had a problem.
    fn read(&mut self, item: &'v Json<'v>, d: &mut Decoder<'v>) -> bool;
}

impl<'v, T: Decode> Items<'v> for Vec<T> {
    fn read(&mut self, item: &'v Json<'v>, d: &mut Decoder<'v>) -> bool {
        match T::decode(item, d) {
            Some(t) => {
                self.push(t);
                true
            }
            None => false,
        }
    }
}

/// A map [`Decoder::map`] reads members into (see [`Items`]): straight
/// into the map, with no list of pairs in between.
pub trait Entries<'v> {
    /// Read `item`, the value of `key`, and keep it; false if it had a
    /// problem.
    fn read(&mut self, key: &str, item: &'v Json<'v>, d: &mut Decoder<'v>) -> bool;
}

impl<'v, T: Decode> Entries<'v> for BTreeMap<String, T> {
    fn read(&mut self, key: &str, item: &'v Json<'v>, d: &mut Decoder<'v>) -> bool {
        T::decode(item, d).map(|t| self.insert(key.to_string(), t)).is_some()
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        // Grown by `push`, not made `with_capacity`: that inlines its
        // allocation code into every instance.
        let mut out = Vec::new();
        d.seq(v, &mut out).then_some(out)
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        d.map(v)
    }
}

impl<'v, T: Decode + Ord> Items<'v> for BTreeSet<T> {
    fn read(&mut self, item: &'v Json<'v>, d: &mut Decoder<'v>) -> bool {
        T::decode(item, d).map(|t| self.insert(t)).is_some()
    }
}

impl<T: Decode + Ord> Decode for BTreeSet<T> {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        let mut out = BTreeSet::new();
        d.seq(v, &mut out).then_some(out)
    }
}

// ------------------------------------------------------------- writing back

/// A tree writes itself back as canonical JSON (keys sorted). Numbers are
/// written as they were read.
impl crate::encode::Encode for Json<'_> {
    fn encode(&self, w: &mut crate::encode::Writer) {
        match self {
            Json::Null => w.raw("null"),
            Json::Bool(b) => b.encode(w),
            Json::Num(n) => w.raw(n),
            Json::Str(t) => w.read_string(t),
            Json::Arr(items) => items.encode(w),
            Json::Obj(members) => {
                let mut sorted: Vec<&(Cow<str>, Json)> = members.iter().collect();
                if sorted.len() <= 16 {
                    // Most objects of a document are a struct's few
                    // members: sorted in place by insertion, a few dozen
                    // key comparisons, a fifth of what the general sort
                    // costs them (the rules' fingerprint writes a hundred
                    // such objects on every call). Longer ones (a map)
                    // take the general sort.
                    for i in 1..sorted.len() {
                        let mut j = i;
                        while j > 0 && sorted[j - 1].0.as_bytes() > sorted[j].0.as_bytes() {
                            sorted.swap(j - 1, j);
                            j -= 1;
                        }
                    }
                } else {
                    crate::sorting::sort_by(&mut sorted, |a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                }
                w.raw("{");
                for (i, (k, v)) in sorted.into_iter().enumerate() {
                    if i > 0 {
                        w.raw(",");
                    }
                    w.read_string(k);
                    w.raw(":");
                    v.encode(w);
                }
                w.raw("}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(text: &str) -> String {
        let e = parse(text).unwrap_err();
        assert_eq!(e.problems[0].code, code::JSON_SYNTAX, "{text}");
        e.problems[0].en.clone()
    }

    #[test]
    fn parses_what_json_allows() {
        let v = parse(r#" {"a":[1,-2.5e3,true,false,null],"b":"x\"\u00e9\ud83d\ude00\n","c":{}} "#).unwrap();
        let Json::Obj(m) = &v else { panic!() };
        assert_eq!(
            m[0].1,
            Json::Arr(vec![Json::Num("1"), Json::Num("-2.5e3"), Json::Bool(true), Json::Bool(false), Json::Null])
        );
        assert_eq!(m[1].1, Json::Str(Cow::Owned("x\"é😀\n".into())));
        assert!(matches!(&m[2].1, Json::Obj(o) if o.is_empty()));
    }

    #[test]
    fn refuses_what_json_does_not() {
        assert_eq!(syntax(""), "the text ends where a value should be at line 1 column 1");
        assert_eq!(syntax("{\n\"a\":1,}"), "expected a key in double quotes at line 2 column 6");
        assert!(syntax("[1] 2").starts_with("more text after the JSON value"));
        assert!(syntax("01").starts_with("more text after the JSON value"));
        assert!(syntax("1.").starts_with("invalid number"));
        assert!(syntax("\"\\ud800\"").starts_with("a lone leading surrogate"));
        assert!(syntax("\"a\u{1}\"").starts_with("a control character"));
        assert!(syntax("nul").starts_with("expected a value"));
        assert!(syntax(&"[".repeat(129)).starts_with("nested more than 128 levels deep"));
        // 128 levels are fine.
        assert!(parse(&format!("{}{}", "[".repeat(128), "]".repeat(128))).is_ok());
        // And in Chinese as specifically.
        assert_eq!(parse("{").unwrap_err().problems[0].zh, "第 1 行第 1 列：文本在对象内结束");
    }

    #[test]
    fn integers_are_exact_and_in_range() {
        let read = |t: &str| from_str::<i64>(t);
        assert_eq!(read("-9223372036854775808").unwrap(), i64::MIN);
        assert_eq!(read("9223372036854775807").unwrap(), i64::MAX);
        let said = |e: Error| (e.problems[0].en.clone(), e.problems[0].zh.clone());
        assert_eq!(
            said(read("9223372036854775808").unwrap_err()),
            (
                "`9223372036854775808` is out of range: expected an integer from -9223372036854775808 to 9223372036854775807".into(),
                "`9223372036854775808` 超出范围：应为 -9223372036854775808 到 9223372036854775807 之间的整数".into()
            )
        );
        assert_eq!(
            said(read("1.0").unwrap_err()),
            ("expected an integer, found the decimal number `1.0`".into(), "应为整数，实际为小数 `1.0`".into())
        );
        assert_eq!(
            said(from_str::<u32>("-1").unwrap_err()),
            (
                "`-1` is out of range: expected a whole number from 0 to 4294967295".into(),
                "`-1` 超出范围：应为 0 到 4294967295 之间的整数".into()
            )
        );
        assert_eq!(
            said(from_str::<u8>("\"x\"").unwrap_err()),
            (
                "expected a whole number from 0 to 255, found the string \"x\"".into(),
                "应为 0 到 255 之间的整数，实际为字符串 \"x\"".into()
            )
        );
        assert_eq!(from_str::<u64>("18446744073709551615").unwrap(), u64::MAX);
        for t in ["18446744073709551616", "18446744073709551620", "99999999999999999999", "100000000000000000000", "-"]
        {
            assert!(from_str::<u64>(t).is_err(), "{t}");
        }
        assert_eq!(from_str::<i64>("-0").unwrap(), 0);
    }

    #[test]
    fn duplicate_keys_are_refused_once_each() {
        let small = r#"{"a":1,"b":2,"a":3,"a":4}"#.to_string();
        let big = format!("{{{}}}", (0..40).map(|i| format!(r#""k{}":{i}"#, i % 20)).collect::<Vec<_>>().join(","));
        for (text, n) in [(small, 1), (big, 20)] {
            let e = from_str::<BTreeMap<String, i64>>(&text).unwrap_err();
            assert_eq!(e.problems.len(), n, "{text}");
            assert!(e.problems.iter().all(|p| p.code == code::WRONG_TYPE && p.en.starts_with("duplicate field")));
        }
    }
}
