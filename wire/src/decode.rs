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
use crate::error::{clip, Error, Result};

pub use siyu_derive::Decode;

/// Most problems one answer lists.
pub const MAX_PROBLEMS: usize = 32;

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
            Err("trailing characters")
        } else {
            Ok(v)
        }
    });
    v.map_err(|what| syntax_error(text, p.at, what))
}

/// The refusal of `text` for `what` at byte `at`. Cold, out of the parser
/// (see [`Decoder::problem`]).
#[cold]
fn syntax_error(text: &str, at: usize, what: &str) -> Error {
    let (line, column) = line_column(text, at);
    let mut top = Error::new(code::INPUT_INVALID, "", "JSON 格式错误", "malformed JSON");
    top.problems.push(Error::new(
        code::JSON_SYNTAX,
        "",
        format!("第 {line} 行第 {column} 列：JSON 语法错误"),
        format!("{what} at line {line} column {column}"),
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

type Step<T> = std::result::Result<T, &'static str>;

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
            None => Err("EOF while parsing a value"),
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
                    return Err("expected value");
                };
                self.at += len;
                Ok(v)
            }
        }
    }

    fn nested(&mut self, f: fn(&mut Self) -> Step<Json<'a>>) -> Step<Json<'a>> {
        if self.depth == 0 {
            return Err("recursion limit exceeded");
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
                None => return Err("EOF while parsing a list"),
                Some(_) => return Err("expected `,` or `]`"),
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
                None => return Err("EOF while parsing an object"),
                Some(_) => return Err("key must be a string"),
            }
            let key = self.string()?;
            match self.peek() {
                Some(b':') => self.at += 1,
                None => return Err("EOF while parsing an object"),
                Some(_) => return Err("expected `:`"),
            }
            members.push((key, self.value()?));
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Obj(members));
                }
                None => return Err("EOF while parsing an object"),
                Some(_) => return Err("expected `,` or `}`"),
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
            _ => return Err("invalid number"),
        }
        if self.s.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err("invalid number");
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.s.get(self.at) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err("invalid number");
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
            None => return Err("EOF while parsing a string"),
            Some(b'"') => {
                self.at += 1;
                return Ok(Cow::Borrowed(self.cut(start, self.at - 1)));
            }
            Some(b'\\') => {}
            Some(_) => return Err("control character (\\u0000-\\u001F) found while parsing a string"),
        }
        let mut out = String::from(self.cut(start, self.at));
        loop {
            let run = self.at;
            self.skip_plain();
            out.push_str(self.cut(run, self.at));
            match self.s.get(self.at) {
                None => return Err("EOF while parsing a string"),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.at += 1;
                    let esc = *self.s.get(self.at).ok_or("EOF while parsing a string")?;
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
                        _ => return Err("invalid escape"),
                    }
                }
                Some(_) => return Err("control character (\\u0000-\\u001F) found while parsing a string"),
            }
        }
    }

    /// After `\u`: four hex digits, and a second escape for a surrogate pair.
    fn unicode_escape(&mut self) -> Step<char> {
        let hi = self.hex4()?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if !self.s[self.at..].starts_with(b"\\u") {
                    return Err("lone leading surrogate in hex escape");
                }
                self.at += 2;
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err("lone leading surrogate in hex escape");
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err("lone trailing surrogate in hex escape"),
            c => c,
        };
        char::from_u32(code).ok_or("invalid unicode code point")
    }

    fn hex4(&mut self) -> Step<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let d = match self.s.get(self.at) {
                None => return Err("EOF while parsing a string"),
                Some(&b) => (b as char).to_digit(16).ok_or("invalid escape")?,
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

    /// Like `decode`, for a type flattened into a parent: `also` are the
    /// parent's own keys, which are not unknown here.
    fn decode_in<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>, also: &[&'static str]) -> Option<Self> {
        let _ = also;
        Self::decode(v, d)
    }
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
                    self.d.missing(name);
                }
                None
            }
            BY_NAME => self.d.enter(self.members, name, required),
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
pub fn from_json<'v, T: Decode>(v: &'v Json<'v>, code: Code, zh: &str, en: &str) -> Result<T> {
    let mut d = Decoder { path: Vec::new(), problems: Vec::new() };
    match T::decode(v, &mut d) {
        Some(t) if d.problems.is_empty() => Ok(t),
        _ => {
            let mut top = Error::new(code, "", zh, en);
            top.problems = d.problems;
            Err(top)
        }
    }
}

/// The Chinese message of a `WRONG_TYPE` problem.
const WRONG_TYPE_ZH: &str = "字段类型或取值错误";

/// How a message names a JSON value it did not expect.
#[cold]
fn found(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => format!("boolean `{b}`"),
        Json::Num(n) if n.contains(['.', 'e', 'E']) => format!("floating point `{n}`"),
        Json::Num(n) => format!("integer `{n}`"),
        Json::Str(s) => format!("string \"{}\"", clip(s, 100)),
        Json::Arr(_) => "sequence".into(),
        Json::Obj(_) => "map".into(),
    }
}

#[cold]
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "there are no fields".into(),
        [one] => format!("expected `{one}`"),
        // "`a`, `b`, `c`": the shared (cold) `join`, not a loop of its own.
        _ => format!("expected one of `{}`", crate::error::join(names, "`, `")),
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
    fn problem(&mut self, code: Code, zh: &'static str, key: Option<&'v str>, en: String) {
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
        self.problems.push(Error::new(code, path, zh, en));
    }

    /// A `WRONG_TYPE` problem here: `v` is not `expected`.
    pub fn wrong<T>(&mut self, v: &Json, expected: &str) -> Option<T> {
        self.wrong_type(v, expected);
        None
    }

    /// [`wrong`](Self::wrong) but for its `None`: not generic, so the
    /// message is built in one place, not once per type.
    #[cold]
    #[inline(never)]
    fn wrong_type(&mut self, v: &Json, expected: &str) {
        self.problem(code::WRONG_TYPE, WRONG_TYPE_ZH, None, format!("invalid type: {}, expected {expected}", found(v)));
    }

    /// A `WRONG_TYPE` problem here with a message of its own (a bad date).
    pub fn invalid<T>(&mut self, en: String) -> Option<T> {
        self.problem(code::WRONG_TYPE, WRONG_TYPE_ZH, None, en);
        None
    }

    /// `v` as an object's members.
    pub fn object(&mut self, v: &'v Json<'v>, expected: &str) -> Option<&'v Members<'v>> {
        match v {
            Json::Obj(m) => Some(m),
            _ => self.wrong(v, expected),
        }
    }

    /// Check an object's keys: each at most once, and (if `deny`) each one
    /// of `known` or `also`; then read its fields, by their index in
    /// `known`, through the [`Object`] returned.
    ///
    /// One pass over the members finds each key's place in `known` (trying
    /// first the key after the last one found: inputs tend to list keys in
    /// one order, often the writer's sorted one) and notes where it is, so a
    /// field read is a lookup. Only when that pass sees something amiss (a
    /// key twice, or a key not in `known`) are the keys checked one against
    /// another to report it.
    pub fn keys<'d>(
        &'d mut self,
        obj: &'v Members<'v>,
        known: &'static [&'static str],
        also: &[&str],
        deny: bool,
    ) -> Object<'d, 'v> {
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
        Object { d: self, members: obj, keys: known, slots }
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
                    self.problem(
                        code::UNKNOWN_FIELD,
                        "未知字段",
                        Some(k.as_ref()),
                        format!("unknown field `{k}`, {}", one_of(known)),
                    );
                }
            }
        }
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
                    self.problem(code::WRONG_TYPE, WRONG_TYPE_ZH, Some(k.as_ref()), format!("duplicate field `{k}`"));
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
                self.problem(code::WRONG_TYPE, WRONG_TYPE_ZH, Some(pair[0]), format!("duplicate field `{}`", pair[0]));
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
        self.problem(code::MISSING_FIELD, "缺少必填字段", Some(name), format!("missing field `{name}`"));
    }

    /// The variant an internally tagged enum's `tag` names, as an index
    /// into `names`.
    pub fn tag(&mut self, obj: &'v Members<'v>, tag: &'static str, names: &[&str]) -> Option<usize> {
        let v = self.enter(obj, tag, true)?;
        let found = self.word(v, "a variant name", names);
        self.path.pop();
        found
    }

    /// A string naming one of `names`, as its index.
    pub fn word(&mut self, v: &'v Json<'v>, expected: &str, names: &[&str]) -> Option<usize> {
        let Json::Str(s) = v else { return self.wrong(v, expected) };
        let found = names.iter().position(|n| n == s);
        if found.is_none() {
            self.problem(
                code::UNKNOWN_VARIANT,
                "未知的类型取值",
                None,
                format!("unknown variant `{}`, {}", clip(s, 100), one_of(names)),
            );
        }
        found
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
        let Some(obj) = self.object(v, "a map") else { return false };
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
                self.wrong_type(v, "a sequence");
                false
            }
        }
    }

    /// `v` as a string.
    pub fn str(&mut self, v: &'v Json<'v>, expected: &str) -> Option<&'v str> {
        match v {
            Json::Str(s) => Some(s),
            _ => self.wrong(v, expected),
        }
    }

    /// `v` as an integer within `min..=max`, named `ty` in messages: its
    /// sign (true if negative) and magnitude, in 64 bits (128-bit
    /// arithmetic is several Wasm instructions a step).
    fn integer(&mut self, v: &Json, ty: &str, min: i64, max: u64) -> Option<(bool, u64)> {
        let Json::Num(text) = v else { return self.wrong(v, ty) };
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
                return self.wrong(v, ty);
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
            self.invalid(format!("invalid value: integer `{}`, expected {ty}", clip(text, 40)))
        }
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
                // In range, so the magnitude fits (and is 0 if negative for
                // an unsigned type); `wrapping_neg` reaches the type's MIN.
                d.integer(v, stringify!($t), <$t>::MIN as i64, <$t>::MAX as u64)
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
            _ => d.wrong(v, "a boolean"),
        }
    }
}

impl Decode for String {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        d.str(v, "a string").map(str::to_string)
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
        assert_eq!(syntax(""), "EOF while parsing a value at line 1 column 1");
        assert_eq!(syntax("{\n\"a\":1,}"), "key must be a string at line 2 column 6");
        assert!(syntax("[1] 2").starts_with("trailing characters"));
        assert!(syntax("01").starts_with("trailing characters"));
        assert!(syntax("1.").starts_with("invalid number"));
        assert!(syntax("\"\\ud800\"").starts_with("lone leading surrogate"));
        assert!(syntax("\"a\u{1}\"").starts_with("control character"));
        assert!(syntax("nul").starts_with("expected value"));
        assert!(syntax(&"[".repeat(129)).starts_with("recursion limit exceeded"));
        // 128 levels are fine.
        assert!(parse(&format!("{}{}", "[".repeat(128), "]".repeat(128))).is_ok());
    }

    #[test]
    fn integers_are_exact_and_in_range() {
        let read = |t: &str| from_str::<i64>(t);
        assert_eq!(read("-9223372036854775808").unwrap(), i64::MIN);
        assert_eq!(read("9223372036854775807").unwrap(), i64::MAX);
        assert!(read("9223372036854775808").unwrap_err().problems[0].en.starts_with("invalid value: integer"));
        assert!(read("1.0").unwrap_err().problems[0].en.contains("floating point `1.0`"));
        assert!(from_str::<u32>("-1").unwrap_err().problems[0].en.contains("expected u32"));
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
