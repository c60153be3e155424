//! The raw JSON ABI: exports that need no JS glue, so wasmtime, wazero,
//! Chicory or wasmtime-py can drive the very `.wasm` a browser loads.
//! `docs/ABI.md` is the full contract; in short:
//!
//! ```text
//! siyu_abi_version() -> i32                      always 1 for this ABI
//! siyu_alloc(len: i32) -> i32                    a buffer of len bytes, 0 if refused
//! siyu_free(ptr: i32, len: i32)                  give back a buffer (same len)
//! siyu_call(op_ptr, op_len, in_ptr, in_len) -> i32
//!     runs operation `op` (UTF-8 name) on the JSON input; returns a pointer
//!     to a result buffer: a 4-byte little-endian length N, then N bytes of
//!     UTF-8 JSON, `{"ok":…}` or `{"error":…}`. The caller frees it with
//!     siyu_free(ptr, N + 4).
//! ```
//!
//! Calls run in the instance's one session: after `prepare_rules`, inputs
//! may name those rules by fingerprint (`"rules": {"prepared": "sha256:…"}`).
//!
//! The input buffers stay the caller's: `siyu_call` reads them and does not
//! free them. Bad input — invalid UTF-8, truncated JSON, buffers outside
//! linear memory, payloads over 16 MiB — comes back as an error envelope,
//! never a trap.
//!
//! Defences against a careless host (all tested from wasmtime and
//! wasmtime-py by `hosts/*/hostile`):
//! - every buffer handed out (by `siyu_alloc`, or as a result) is recorded;
//!   `siyu_free` of anything else — a wild pointer, a second free, a wrong
//!   length — is ignored instead of corrupting the allocator;
//! - an input that does not lie inside one live buffer (the host wrote it
//!   into memory it did not allocate from us) is copied before use, so the
//!   call's own allocations can never overwrite it mid-parse.

use siyu::ops;
use siyu::{code, Error};

/// Largest buffer `siyu_alloc` hands out and largest input accepted: 16 MiB.
pub const MAX_BUFFER: usize = 16 << 20;

/// The room a result frame keeps for its length word, written first so the
/// answer goes straight behind it instead of being copied there.
const ROOM: &str = "\0\0\0\0";

/// The whole raw call, framed (see [`frame`]).
pub fn call_frame(op: &[u8], input: &[u8]) -> Vec<u8> {
    frame(match strs(op, input) {
        Ok((op, input)) => crate::in_session(|s| s.call_after(ROOM, op, input)),
        Err(refusal) => ROOM.to_string() + &refusal,
    })
}

/// The operation's name and its input as text, or the envelope refusing
/// them.
fn strs<'a>(op: &'a [u8], input: &'a [u8]) -> Result<(&'a str, &'a str), String> {
    let not_utf8 = |path: &str| {
        ops::envelope(Err(Error::new(code::INPUT_NOT_UTF8, path, "输入不是合法的 UTF-8", "input is not valid UTF-8")))
    };
    if input.len() > MAX_BUFFER {
        return Err(ops::envelope(Err(Error::new(
            code::INPUT_TOO_LARGE,
            "",
            "输入超过 16 MiB",
            "input is larger than 16 MiB",
        ))));
    }
    let Ok(op) = std::str::from_utf8(op) else { return Err(not_utf8("op")) };
    let Ok(input) = std::str::from_utf8(input) else { return Err(not_utf8("")) };
    Ok((op, input))
}

/// The error for a buffer that does not lie inside linear memory.
pub fn out_of_bounds() -> String {
    ops::envelope(Err(Error::new(
        code::INPUT_OUT_OF_BOUNDS,
        "",
        "输入缓冲区超出线性内存",
        "an input buffer lies outside linear memory",
    )))
}

/// Result buffer layout: 4-byte little-endian length, then the bytes.
/// `text` starts with [`ROOM`], which becomes the length. The vector's
/// capacity may exceed its length: it is handed out as it is, and
/// `siyu_free` gives back the size recorded for it.
fn frame(text: String) -> Vec<u8> {
    let n = text.len().saturating_sub(ROOM.len()) as u32;
    let mut buf = text.into_bytes();
    if let Some(room) = buf.first_chunk_mut() {
        *room = n.to_le_bytes();
    }
    buf
}

// The exports are the ABI: raw pointers from the host, checked against
// linear memory and the live buffers before use (each `unsafe` says why).
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
mod exports {
    use super::*;
    use std::alloc::{alloc, dealloc, Layout};
    use std::borrow::Cow;
    use std::sync::Mutex;

    /// Every buffer the host currently holds: (start, length the host was
    /// told, size allocated), sorted by start. A result frame's allocation
    /// may be larger than the frame: handing it out as it is spares a copy
    /// of the answer, and `siyu_free` gives back the size allocated. A
    /// host holds a handful at a time, so a sorted vector serves (a
    /// `BTreeMap` here was 9 KB of the module, its node code). A
    /// wasm32 module without threads runs one call at a time, so the lock
    /// is never contended; it only makes the static sound.
    static LIVE: Mutex<Vec<(u32, u32, u32)>> = Mutex::new(Vec::new());

    fn live() -> std::sync::MutexGuard<'static, Vec<(u32, u32, u32)>> {
        LIVE.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Record a buffer of `len` bytes handed to the host, `size` bytes
    /// allocated.
    fn hand_out(ptr: u32, len: u32, size: u32) {
        let mut live = live();
        match live.binary_search_by_key(&ptr, |&(start, _, _)| start) {
            Ok(i) => live[i] = (ptr, len, size),
            Err(i) => live.insert(i, (ptr, len, size)),
        }
    }

    fn layout(len: usize) -> Option<Layout> {
        Layout::from_size_align(len.max(1), 1).ok()
    }

    fn memory_bytes() -> u64 {
        core::arch::wasm32::memory_size(0) as u64 * 65_536
    }

    /// Does `[ptr, ptr+len)` lie inside one buffer the host holds?
    fn inside_live(ptr: u32, len: u32) -> bool {
        let live = live();
        // The last buffer starting at or before `ptr`.
        match live.partition_point(|&(start, _, _)| start <= ptr).checked_sub(1) {
            Some(i) => ptr as u64 + len as u64 <= live[i].0 as u64 + live[i].1 as u64,
            None => false,
        }
    }

    /// A caller's buffer, if it lies inside linear memory: borrowed when it
    /// is inside a buffer from `siyu_alloc` (or, for the input, too large to
    /// be read at all), copied otherwise.
    fn view<'a>(ptr: u32, len: u32, is_input: bool) -> Option<Cow<'a, [u8]>> {
        if len == 0 {
            return Some(Cow::Borrowed(&[]));
        }
        if ptr == 0 || ptr as u64 + len as u64 > memory_bytes() {
            return None;
        }
        // SAFETY: the range is inside linear memory. If it is inside a live
        // buffer, nothing in the module writes there during the call; if
        // not, it is copied at once, before the call allocates anything.
        let bytes = unsafe { core::slice::from_raw_parts(ptr as *const u8, len as usize) };
        // Over the limit, `call_frame` refuses it without reading it: no copy.
        if (is_input && len as usize > MAX_BUFFER) || inside_live(ptr, len) {
            Some(Cow::Borrowed(bytes))
        } else {
            Some(Cow::Owned(bytes.to_vec()))
        }
    }

    #[no_mangle]
    pub extern "C" fn siyu_abi_version() -> u32 {
        1
    }

    #[no_mangle]
    pub extern "C" fn siyu_alloc(len: u32) -> u32 {
        if len as usize > MAX_BUFFER + 4 {
            return 0;
        }
        let Some(l) = layout(len as usize) else { return 0 };
        // SAFETY: the layout has a non-zero size.
        let ptr = unsafe { alloc(l) } as u32;
        if ptr != 0 {
            hand_out(ptr, len, len);
        }
        ptr
    }

    #[no_mangle]
    pub extern "C" fn siyu_free(ptr: u32, len: u32) {
        // Only a live buffer with its own length is freed; anything else is
        // a host bug, and ignoring it keeps the allocator intact.
        let known = {
            let mut live = live();
            match live.binary_search_by_key(&ptr, |&(start, _, _)| start) {
                Ok(i) if live[i].1 == len => Some(live.remove(i).2),
                _ => None,
            }
        };
        if let Some(size) = known {
            if let Some(l) = layout(size as usize) {
                // SAFETY: ptr was handed out (by `alloc`, or as a frame's
                // vector) with exactly this layout, and is removed from LIVE
                // above.
                unsafe { dealloc(ptr as *mut u8, l) }
            }
        }
    }

    #[no_mangle]
    pub extern "C" fn siyu_call(op_ptr: u32, op_len: u32, in_ptr: u32, in_len: u32) -> u32 {
        let framed = match (view(op_ptr, op_len, false), view(in_ptr, in_len, true)) {
            (Some(op), Some(input)) => call_frame(&op, &input),
            _ => frame(ROOM.to_string() + &out_of_bounds()),
        };
        // The frame's allocation (`capacity` bytes, align 1: the layout
        // `siyu_free` uses with the size recorded here) becomes the host's
        // buffer, without a copy (not shrunk to fit: that can copy too).
        let mut framed = core::mem::ManuallyDrop::new(framed);
        let ptr = framed.as_mut_ptr() as u32;
        hand_out(ptr, framed.len() as u32, framed.capacity() as u32);
        ptr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer of a raw call, without its frame.
    fn call_bytes(op: &[u8], input: &[u8]) -> String {
        let framed = call_frame(op, input);
        String::from_utf8(framed[4..].to_vec()).expect("UTF-8")
    }

    #[test]
    fn bad_bytes_are_error_envelopes() {
        assert!(call_bytes(b"quote", &[0xff, 0xfe]).contains(code::INPUT_NOT_UTF8.as_str()));
        assert!(call_bytes(&[0xc3], b"{}").contains(code::INPUT_NOT_UTF8.as_str()));
        assert!(call_bytes(b"quote", b"{\"rules\":").contains(code::JSON_SYNTAX.as_str()));
        assert!(call_bytes(b"nope", b"{}").contains(code::UNKNOWN_OPERATION.as_str()));
        assert!(call_bytes(b"quote", &vec![b' '; MAX_BUFFER + 1]).contains(code::INPUT_TOO_LARGE.as_str()));
        assert!(out_of_bounds().contains(code::INPUT_OUT_OF_BOUNDS.as_str()));
    }

    #[test]
    fn frames_are_length_prefixed() {
        assert_eq!(frame(ROOM.to_string() + "ab"), vec![2, 0, 0, 0, b'a', b'b']);
        for (op, input) in [(&b"operations"[..], &b"{}"[..]), (b"quote", b"{")] {
            let framed = call_frame(op, input);
            let want = ops::call(std::str::from_utf8(op).unwrap(), std::str::from_utf8(input).unwrap());
            assert_eq!(framed[..4], (want.len() as u32).to_le_bytes());
            assert_eq!(framed[4..], *want.as_bytes());
        }
        let framed = call_frame(b"quote", &[0xff]);
        assert_eq!(framed[..4], ((framed.len() - 4) as u32).to_le_bytes());
    }
}
