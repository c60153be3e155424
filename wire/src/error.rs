//! Typed errors: a stable code, a path to the offending field, and a message
//! in Chinese and English.
//!
//! Every refusal the engine makes — bad input, a rule that does not apply, an
//! event that cannot be booked — is one of these. Codes are part of the
//! contract (the conformance vectors pin them); messages may be reworded.

use crate::code::{self, Code};
use crate::encode::Encode;

/// One problem. `path` points into the input (`rules.tiers[2].threshold`,
/// `cart.lines[0].quantity`); it is empty when the problem is not about one
/// field.
///
/// An `Error` is one pointer (its [`Info`] is boxed), so the many `Result`s
/// that pass through the engine stay small: cheaper to move, and less code.
/// Its fields are read and written through `Deref`: `e.code`, `e.problems`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Info>);

/// What an [`Error`] says.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ErrorInfo"))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct Info {
    #[cfg_attr(feature = "ts", tsify(type = "ErrorCode"))]
    pub code: Code,
    pub path: String,
    pub zh: String,
    pub en: String,
    /// For `RULES_INVALID` and `INPUT_INVALID`: every problem found, not just
    /// the first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(type = "ErrorInfo[]", optional))]
    pub problems: Vec<Error>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

// Building, moving and writing an error are `#[cold]`: they run only on
// a refusal, and this crate is built at opt-level 3 for its hot paths;
// `cold` keeps LLVM from inlining them into their callers or growing them
// for speed (0.6 KB).
impl Error {
    #[cold]
    pub fn new(code: Code, path: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::from_parts(code, path.into(), zh.into(), en.into())
    }

    /// [`new`](Self::new) once the texts are `String`s. Not generic and
    /// not inlined: the boxing is here once, not in each instance of `new`.
    #[cold]
    #[inline(never)]
    fn from_parts(code: Code, path: String, zh: String, en: String) -> Self {
        Error(Box::new(Info { code, path, zh, en, problems: Vec::new() }))
    }

    /// The same error with another code.
    #[cold]
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    /// The same error at another path.
    #[cold]
    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Money arithmetic left the range of `i64` fen.
    #[cold]
    pub fn overflow(path: impl Into<String>) -> Self {
        Error::new(code::AMOUNT_OVERFLOW, path, "金额超出可计算范围", "amount is outside the computable range")
    }

    /// Prefix the path, e.g. `lines[0]` under `cart` becomes `cart.lines[0]`.
    #[cold]
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = join_path(prefix, &self.path);
        for p in &mut self.problems {
            p.path = join_path(prefix, &p.path);
        }
        self
    }
}

impl std::ops::Deref for Error {
    type Target = Info;
    fn deref(&self) -> &Info {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut Info {
        &mut self.0
    }
}

impl Encode for Error {
    #[cold]
    fn encode(&self, w: &mut crate::encode::Writer) {
        self.0.encode(w)
    }
}

impl std::fmt::Display for Error {
    #[cold]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code)?;
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        write!(f, ": {} / {}", self.en, self.zh)?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The first `max` characters of `s`: messages quote what they refuse, and
/// an answer about a megabyte of bad input must stay small.
#[cold]
pub fn clip(s: &str, max: usize) -> &str {
    // `get`, not `&s[..i]` (i is a boundary anyway): an index that could
    // panic brings core's panic message code into the `.wasm`.
    // Counting the bytes that start a character (not 10xxxxxx): a plain
    // loop, smaller than `char_indices` decoding each character.
    let mut n = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b & 0xC0 != 0x80 {
            if n == max {
                return s.get(..i).unwrap_or(s);
            }
            n += 1;
        }
    }
    s
}

/// `parts` with `sep` between them: `[T]::join` for the messages, written
/// once as a plain loop (the standard one is a ~1 KB body per element type).
#[cold]
pub fn join<S: AsRef<str>>(parts: &[S], sep: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(part.as_ref());
    }
    out
}

/// `prefix` and `path` joined into one path (`a.b`, `a[0]`).
#[cold]
pub fn join_path(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

/// Most problems one answer lists, of any kind: the shape problems the
/// decoder finds and the problems of meaning [`Problems`] collects. A
/// broken input can have millions (100 overlapping campaigns over a big
/// catalog: one per product and pair); past this many, more say nothing
/// new, and listing them all ran a native host out of memory.
pub const MAX_PROBLEMS: usize = 32;

/// Collects the problems found while checking an input, so the caller hears
/// about all of them at once: the first [`MAX_PROBLEMS`], in the order they
/// were found. Past that, nothing more is recorded, and checks whose loops
/// are long (a catalog, a list of items, pairs of campaigns) ask
/// [`full`](Self::full) to stop looking, so their cost is bounded by the
/// input's size, not by how many problems it has.
#[derive(Debug, Default)]
pub struct Problems {
    list: Vec<Error>,
}

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }

    #[cold]
    pub fn push(&mut self, code: Code, path: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) {
        if !self.full() {
            self.list.push(Error::new(code, path, zh, en));
        }
    }

    #[cold]
    pub fn add(&mut self, e: Error) {
        if !self.full() {
            self.list.push(e);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Whether [`MAX_PROBLEMS`] are recorded: nothing more will be, so a
    /// loop looking for more can stop.
    pub fn full(&self) -> bool {
        self.list.len() >= MAX_PROBLEMS
    }

    /// `Ok(())` when nothing was found, otherwise one error with `code`
    /// listing the problems (up to [`MAX_PROBLEMS`]), in the order the
    /// checks found them (a fixed order for a given input).
    pub fn finish(self, code: Code, zh: &str, en: &str) -> Result<()> {
        if self.list.is_empty() {
            return Ok(());
        }
        let mut e = Error::new(code, "", zh, en);
        e.problems = self.list;
        Err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::{clip, Problems, MAX_PROBLEMS};
    use crate::code;

    #[test]
    fn problems_keep_the_first_max_problems_in_order() {
        let mut p = Problems::new();
        for i in 0..MAX_PROBLEMS + 8 {
            assert_eq!(p.full(), i >= MAX_PROBLEMS);
            p.push(code::OUT_OF_RANGE, format!("x[{i}]"), "", "");
        }
        let e = p.finish(code::RULES_INVALID, "", "").unwrap_err();
        let paths: Vec<&str> = e.problems.iter().map(|p| p.path.as_str()).collect();
        let want: Vec<String> = (0..MAX_PROBLEMS).map(|i| format!("x[{i}]")).collect();
        assert_eq!(paths, want);
    }

    #[test]
    fn clip_keeps_the_first_characters() {
        for s in ["", "abc", "价价价", "a价b😀c", "😀😀"] {
            for max in 0..6 {
                let want = s.char_indices().nth(max).map_or(s, |(i, _)| &s[..i]);
                assert_eq!(clip(s, max), want, "{s:?} {max}");
            }
        }
    }
}
