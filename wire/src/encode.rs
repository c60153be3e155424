//! Writing answers: canonical JSON in one pass.
//!
//! Canonical JSON is the one byte form every host compares: object keys
//! sorted by their UTF-8 bytes, no whitespace, integers as integers, strings
//! escaped as serde_json escapes them (`\"`, `\\`, `\n`, `\r`, `\t`, `\b`,
//! `\f`, other control characters as `\u00XX`, nothing else).
//!
//! [`Encode`] is derived with `#[derive(Encode)]` from the same
//! `#[serde(...)]` attributes as `Serialize`. The derive sorts each type's
//! keys at compile time, so nothing is sorted or buffered at run time: a
//! type's writer is a straight run of [`Writer::key`] and each field's own
//! writer, in key order (only a flattened field's members are merged with
//! its parent's at run time, [`Writer::flattened`]). (Writing is a quarter of a quote's instructions;
//! handing each field as a `&dyn Encode` to one shared loop, as this did
//! before, cost a 200-line quote 0.46 M Wasm instructions more.)
//!
//! The writer is the one place of the engine with `unsafe` code (four
//! items, each marked `allow(unsafe_code)` with its SAFETY argument): bytes
//! appended within checked capacity, and the answer taken as the UTF-8 it
//! is built to be. Writing is a quarter of a quote's instructions.
//!
//! ```
//! # extern crate siyu_wire as siyu; // the derive names `::siyu::encode`
//! use siyu::encode::{to_json, Encode};
//! #[derive(Encode)]
//! struct Line { sku: String, paid: i64, discounts: Vec<i64> }
//! let s = to_json(&Line { sku: "茶\n".into(), paid: 990, discounts: vec![10, -5] });
//! assert_eq!(s, r#"{"discounts":[10,-5],"paid":990,"sku":"茶\n"}"#);
//! ```

use std::collections::{BTreeMap, BTreeSet};

pub use siyu_derive::Encode;

/// Writes itself as canonical JSON.
pub trait Encode {
    fn encode(&self, w: &mut Writer);
}

/// A parent's own members, for [`Writer::flattened`] to merge with those of
/// the field flattened into it: the keys as [`Writer::key`] takes them
/// (`,"id":`), in key order, and each value unless skipped (`None`).
#[derive(Clone, Copy)]
pub struct Members<'a> {
    pub keys: &'static [&'static str],
    pub values: &'a [Option<&'a dyn Encode>],
}

/// The canonical JSON of `v`.
pub fn to_json<T: Encode + ?Sized>(v: &T) -> String {
    let mut w = Writer { out: Vec::with_capacity(1024) };
    v.encode(&mut w);
    w.finish()
}

/// The canonical JSON of `v` appended to `out`: written once, into the
/// buffer it is handed out in (after the `{"ok":` of an answer's envelope,
/// say) rather than copied there.
pub fn append_json(out: &mut String, v: &dyn Encode) {
    let mut w = Writer { out: std::mem::take(out).into_bytes() };
    v.encode(&mut w);
    *out = w.finish();
}

impl Writer {
    /// The text written.
    #[allow(unsafe_code)]
    fn finish(self) -> String {
        // SAFETY: `out` starts empty or as a `String`'s bytes; `put` is
        // private, and every call passes ASCII or a piece of a `str` cut next
        // to an ASCII byte (`string` cuts only at the characters it
        // escapes), so `out` is UTF-8. Checking it again would be one more
        // pass over the whole answer (133 KB for a 200-line quote).
        unsafe { String::from_utf8_unchecked(self.out) }
    }
}

/// Copy `n` bytes from `src` to `dst`, which do not overlap: up to 16 by
/// a pair of (possibly overlapping) word loads and stores, up to 32 by two
/// pairs, more by `copy_nonoverlapping`. Most of what the writer copies is
/// a few bytes (a key, a number, a short string), and in Wasm
/// `copy_nonoverlapping` is a `memory.copy`, which V8 and wasmtime run as a
/// call into the runtime: costlier than the copy itself when it is this
/// short. (Up to 32 takes in the keys of 17 to 20 bytes, `,"points_to_earn":`
/// and the like: a 200-line quote writes a thousand of them, and the
/// 200-line quote ran 3 % faster in Node.)
///
/// # Safety
/// `src` readable and `dst` writable for `n` bytes, not overlapping.
#[inline(always)]
#[allow(unsafe_code)]
unsafe fn copy(src: *const u8, dst: *mut u8, n: usize) {
    // SAFETY (each block): every read is within `src[..n]` and every write
    // within `dst[..n]`; unaligned reads and writes are allowed.
    unsafe {
        if n > 32 {
            core::ptr::copy_nonoverlapping(src, dst, n);
        } else if n > 16 {
            let (a, b) = ((src as *const u64).read_unaligned(), (src.add(8) as *const u64).read_unaligned());
            let (c, d) =
                ((src.add(n - 16) as *const u64).read_unaligned(), (src.add(n - 8) as *const u64).read_unaligned());
            (dst as *mut u64).write_unaligned(a);
            (dst.add(8) as *mut u64).write_unaligned(b);
            (dst.add(n - 16) as *mut u64).write_unaligned(c);
            (dst.add(n - 8) as *mut u64).write_unaligned(d);
        } else if n >= 8 {
            let (a, b) = ((src as *const u64).read_unaligned(), (src.add(n - 8) as *const u64).read_unaligned());
            (dst as *mut u64).write_unaligned(a);
            (dst.add(n - 8) as *mut u64).write_unaligned(b);
        } else if n >= 4 {
            let (a, b) = ((src as *const u32).read_unaligned(), (src.add(n - 4) as *const u32).read_unaligned());
            (dst as *mut u32).write_unaligned(a);
            (dst.add(n - 4) as *mut u32).write_unaligned(b);
        } else if n > 0 {
            // 1 to 3 bytes: the first, the middle and the last.
            let (a, b, c) = (*src, *src.add(n / 2), *src.add(n - 1));
            *dst = a;
            *dst.add(n / 2) = b;
            *dst.add(n - 1) = c;
        }
    }
}

/// The output being written: bytes, appended in runs (cheap in Wasm, where
/// a `String::push` per character is not).
pub struct Writer {
    out: Vec<u8>,
}

/// A member's key (`,"sku":`) without its comma, quotes and colon.
fn key_of(key: &'static str) -> &'static [u8] {
    let k = key.as_bytes();
    k.get(2..k.len().saturating_sub(2)).unwrap_or_default()
}

/// Where the member of the object `json` (canonical JSON, as written) that
/// starts at `at` ends: at the `,` or `}` after it; `None` if there is no
/// member at `at` (the object's `}`).
fn member_end(json: &[u8], at: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut i) = (0usize, false, at);
    while let Some(&b) = json.get(i) {
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b',' | b'}' | b']' if depth == 0 => return (i > at).then_some(i),
                b'}' | b']' => depth -= 1,
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// The key of a member (`"sku":…`) as written: a field's or a tag's name,
/// with nothing escaped.
fn member_key(member: &[u8]) -> &[u8] {
    let rest = member.get(1..).unwrap_or_default();
    let end = rest.iter().position(|&b| b == b'"').unwrap_or(rest.len());
    &rest[..end]
}

impl Writer {
    /// Append bytes. Inlined, with the copy done here rather than by
    /// `extend_from_slice`: writing tokens is a large share of a quote's
    /// instructions, and most tokens are a few bytes (see [`copy`]).
    #[inline(always)]
    #[allow(unsafe_code)]
    fn put(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        self.room(n);
        let len = self.out.len();
        // SAFETY: `room` leaves space for `n` more bytes after `len`; they
        // are initialised by the copy before `set_len` makes them part of
        // the vector. `bytes` cannot overlap `out` (`&self` is borrowed
        // mutably).
        unsafe {
            copy(bytes.as_ptr(), self.out.as_mut_ptr().add(len), n);
            self.out.set_len(len + n);
        }
    }

    /// Make space for `n` more bytes: the check inlined, the growing not.
    #[inline(always)]
    fn room(&mut self, n: usize) {
        if self.out.capacity() - self.out.len() < n {
            self.grow(n);
        }
    }

    #[inline(never)]
    fn grow(&mut self, n: usize) {
        self.out.reserve(n.max(self.out.capacity()).max(1024));
    }

    /// Start an object: its members follow in key order, through
    /// [`key`](Self::key) and the value's writer, then [`close`](Self::close).
    ///
    /// The writer keeps no state for an object (there was an `Object` on
    /// the stack of every type's writer, passed to every `key`): whether a
    /// member is the first is whether the last byte written is this `{`,
    /// as no value ends with one.
    #[inline(never)]
    pub fn open(&mut self) {
        self.put(b"{");
    }

    /// The next member's key, `key` written as `,"sku":` (the derive writes
    /// each once, at compile time), without its comma after the object's
    /// `{`. The caller writes the value next.
    #[inline(never)]
    pub fn key(&mut self, key: &'static str) {
        let k = key.as_bytes();
        self.put(if self.out.last() == Some(&b'{') { k.get(1..).unwrap_or_default() } else { k });
    }

    /// End an object.
    #[inline(never)]
    pub fn close(&mut self) {
        self.put(b"}");
    }

    /// `v`, an object, with a parent's own members `own` merged in among
    /// its members in key order (`#[serde(flatten)]`). `v` is written as
    /// usual, then its members are taken back and written again with
    /// `own`'s among them: the merging is here once, not in every type's
    /// writer, and only the few flattened types (a campaign's, a coupon
    /// template's and an event's kind) pay for the second copy. A `v`
    /// that is no object stays as written, without `own`.
    #[cold]
    #[inline(never)]
    pub fn flattened(&mut self, v: &dyn Encode, own: Members<'_>) {
        let start = self.out.len();
        v.encode(self);
        if self.out.get(start) != Some(&b'{') {
            return;
        }
        let written = self.out.split_off(start);
        self.open();
        let mut next = 0;
        let mut at = 1;
        while let Some(end) = member_end(&written, at) {
            let member = &written[at..end];
            next = self.own_before(own, next, member_key(member));
            if self.out.last() != Some(&b'{') {
                self.put(b",");
            }
            self.put(member);
            at = end + 1;
        }
        // After every key: no key holds the byte 0xff.
        self.own_before(own, next, &[0xff]);
        self.close();
    }

    /// The members of `own` from `next` on whose keys sort before `key`;
    /// returns the index of the first one left.
    fn own_before(&mut self, own: Members<'_>, mut next: usize, key: &[u8]) -> usize {
        while let (Some(&k), Some(&v)) = (own.keys.get(next), own.values.get(next)) {
            if key_of(k) > key {
                break;
            }
            next += 1;
            if let Some(v) = v {
                self.key(k);
                v.encode(self);
            }
        }
        next
    }

    /// A JSON string, escaped as serde_json escapes.
    pub fn string(&mut self, s: &str) {
        self.put(b"\"");
        let mut rest = s.as_bytes();
        // Copy the runs between characters to escape whole.
        loop {
            let i = crate::scan::plain_run(rest);
            let Some(&b) = rest.get(i) else { break };
            self.put(&rest[..i]);
            self.escape(b);
            rest = &rest[i + 1..];
        }
        self.put(rest);
        self.put(b"\"");
    }

    /// The escape of `b`, a `"`, `\` or control character. Out of line and
    /// cold: its `\u00XX` buffer would give [`string`](Self::string) a frame
    /// on Wasm's shadow stack (see [`uint`](Self::uint)), and few strings
    /// have anything to escape.
    #[cold]
    #[inline(never)]
    fn escape(&mut self, b: u8) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let unicode;
        // One `put` for all the escapes: each `put` is an inlined copy.
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => {
                unicode = [b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]];
                &unicode
            }
        };
        self.put(escape);
    }

    /// A string of a parsed tree: borrowed, it is a run of the input that
    /// needs no escape (see `Json::Str`), written without looking for one
    /// (a third of the cost of writing the rules' canonical text).
    // The `Cow` itself, not its `str`: borrowed or not is the point.
    #[allow(clippy::ptr_arg)]
    pub(crate) fn read_string(&mut self, s: &std::borrow::Cow<str>) {
        match s {
            std::borrow::Cow::Borrowed(plain) => {
                debug_assert_eq!(crate::scan::plain_run(plain.as_bytes()), plain.len(), "{plain:?}");
                self.put(b"\"");
                self.put(plain.as_bytes());
                self.put(b"\"");
            }
            std::borrow::Cow::Owned(text) => self.string(text),
        }
    }

    /// An integer, in decimal.
    pub fn int(&mut self, n: i64) {
        if n < 0 {
            self.put(b"-");
        }
        self.uint(n.unsigned_abs())
    }

    /// A non-negative integer, in decimal: two digits a step, from a table
    /// of the hundred pairs (a division is the costliest step), written
    /// straight into the output. (Not into a buffer on the stack first: in
    /// Wasm such a buffer lives in linear memory, and the function then
    /// keeps a frame on the shadow stack, a global read and two writes a
    /// call; a 200-line quote writes some 2,800 numbers.)
    #[allow(unsafe_code)]
    pub fn uint(&mut self, mut m: u64) {
        const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
            2021222324252627282930313233343536373839\
            4041424344454647484950515253545556575859\
            6061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899";
        // The number of digits: 1 + how many of 10, 100, … 10^19 are ≤ m.
        let mut n = 1;
        let mut ten: u64 = 10;
        while n < 20 && m >= ten {
            n += 1;
            ten = ten.wrapping_mul(10);
        }
        self.room(n);
        let len = self.out.len();
        let digits = &mut self.out.spare_capacity_mut()[..n];
        let mut k = n;
        while m >= 100 {
            let p = (m % 100) as usize * 2;
            m /= 100;
            k -= 2;
            digits[k].write(PAIRS[p]);
            digits[k + 1].write(PAIRS[p + 1]);
        }
        if m >= 10 {
            let p = m as usize * 2;
            digits[0].write(PAIRS[p]);
            digits[1].write(PAIRS[p + 1]);
        } else {
            digits[0].write(b'0' + m as u8);
        }
        // SAFETY: the `n` bytes after `len` were all written above: the
        // pairs fill `digits[k..n]` and the last step `digits[..k]`, where
        // `k` is 2 or 1 (m had n digits).
        unsafe { self.out.set_len(len + n) }
    }

    /// An already canonical piece of JSON, as is.
    pub fn raw(&mut self, json: &str) {
        self.put(json.as_bytes());
    }

    /// An object whose keys come in byte order already (a sorted map's).
    pub fn map<'a>(&mut self, entries: impl Iterator<Item = (&'a str, &'a dyn Encode)>) {
        let mut sep: &[u8] = b"{";
        for (k, v) in entries {
            self.punct(sep);
            sep = b",";
            self.string(k);
            self.punct(b":");
            v.encode(self);
        }
        self.punct(if sep == b"{" { b"{}" } else { b"}" });
    }

    fn array<'a>(&mut self, items: impl Iterator<Item = &'a dyn Encode>) {
        let mut sep: &[u8] = b"[";
        for item in items {
            self.punct(sep);
            sep = b",";
            item.encode(self);
        }
        self.punct(if sep == b"[" { b"[]" } else { b"]" });
    }

    /// [`put`](Self::put), not inlined: for the generic writers (`array`,
    /// `map`), which have a copy per element type.
    #[inline(never)]
    fn punct(&mut self, bytes: &[u8]) {
        self.put(bytes)
    }
}

macro_rules! integers {
    ($($how:ident $as:ty: $($t:ty),*;)*) => {$($(
        impl Encode for $t {
            fn encode(&self, w: &mut Writer) {
                w.$how(*self as $as)
            }
        }
    )*)*};
}
// Not `usize` or `isize` (see `decode.rs`): every target writes the same.
integers! {
    uint u64: u8, u16, u32, u64;
    int i64: i32, i64;
}

impl Encode for bool {
    fn encode(&self, w: &mut Writer) {
        w.raw(if *self { "true" } else { "false" })
    }
}

impl Encode for str {
    fn encode(&self, w: &mut Writer) {
        w.string(self)
    }
}

impl Encode for String {
    fn encode(&self, w: &mut Writer) {
        w.string(self)
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, w: &mut Writer) {
        (**self).encode(w)
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, w: &mut Writer) {
        match self {
            Some(t) => t.encode(w),
            None => w.raw("null"),
        }
    }
}

impl<T: Encode> Encode for [T] {
    fn encode(&self, w: &mut Writer) {
        w.array(self.iter().map(|t| t as &dyn Encode))
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, w: &mut Writer) {
        self.as_slice().encode(w)
    }
}

impl<T: Encode> Encode for BTreeSet<T> {
    fn encode(&self, w: &mut Writer) {
        w.array(self.iter().map(|t| t as &dyn Encode))
    }
}

/// A map's keys are already in byte order (`String`'s `Ord`).
impl<T: Encode> Encode for BTreeMap<String, T> {
    fn encode(&self, w: &mut Writer) {
        w.map(self.iter().map(|(k, v)| (k.as_str(), v as &dyn Encode)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let s = "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f} /é中😀\u{7f}";
        assert_eq!(to_json(s), serde_json::to_string(s).unwrap());
    }

    #[test]
    #[allow(unsafe_code)]
    fn copies_of_every_short_length() {
        let src: Vec<u8> = (0..40).collect();
        for n in 0..=40 {
            let mut dst = vec![0xee; 42];
            unsafe { copy(src.as_ptr(), dst.as_mut_ptr().add(1), n) };
            assert_eq!(&dst[1..=n], &src[..n], "{n}");
            assert!(dst[0] == 0xee && dst[n + 1..].iter().all(|&b| b == 0xee), "{n}: nothing outside");
        }
    }

    #[test]
    fn integers_at_their_limits() {
        for n in [0i64, -1, 7, 9, 10, 99, 100, 101, 999, 1000, 12345, -10, i64::MIN, i64::MAX] {
            assert_eq!(to_json(&n), n.to_string());
        }
        let tens = (1..20).flat_map(|k| [10u64.pow(k) - 1, 10u64.pow(k)]);
        for n in (0..100_000u64).chain((0..64).map(|b| 1u64 << b)).chain(tens) {
            assert_eq!(to_json(&n), n.to_string());
        }
        assert_eq!(to_json(&u64::MAX), u64::MAX.to_string());
    }

    #[test]
    fn own_and_flattened_members_merge_in_key_order() {
        /// An object of `members` (in key order), as a derived type writes it.
        struct Obj(Vec<(&'static str, &'static str)>);
        impl Encode for Obj {
            fn encode(&self, w: &mut Writer) {
                w.open();
                for (k, v) in &self.0 {
                    w.key(k);
                    w.raw(v);
                }
                w.close();
            }
        }
        let flattened = |v: &dyn Encode, own: Members| {
            let mut w = Writer { out: b"[".to_vec() };
            w.flattened(v, own);
            String::from_utf8(w.out).unwrap()
        };
        let (a, b, c) = (1i64, 2i64, 3i64);
        let extra: [Option<&dyn Encode>; 2] = [Some(&b), None];
        let v = Obj(vec![(",\"a\":", "1"), (",\"c\":", r#"{"x":[1,"}\",]"],"y":{}}"#)]);
        assert_eq!(
            flattened(&v, Members { keys: &[",\"b\":", ",\"e\":"], values: &extra }),
            r#"[{"a":1,"b":2,"c":{"x":[1,"}\",]"],"y":{}}}"#
        );
        let v = Obj(vec![(",\"a1\":", "1")]);
        assert_eq!(
            flattened(&v, Members { keys: &[",\"a\":", ",\"x\":"], values: &extra }),
            r#"[{"a":2,"a1":1}"#,
            "a key before its extensions"
        );
        let one: [Option<&dyn Encode>; 1] = [Some(&c)];
        assert_eq!(flattened(&Obj(vec![]), Members { keys: &[",\"z\":"], values: &one }), r#"[{"z":3}"#);
        assert_eq!(flattened(&Obj(vec![]), Members { keys: &[",\"d\":"], values: &[None] }), "[{}");
        assert_eq!(flattened(&a, Members { keys: &[",\"z\":"], values: &one }), "[1", "no object: as written");
        let v = Obj(vec![(",\"m\":", "[]")]);
        assert_eq!(
            flattened(&v, Members { keys: &[",\"a\":", ",\"z\":"], values: &[Some(&a), Some(&c)] }),
            r#"[{"a":1,"m":[],"z":3}"#
        );
    }
}
