//! `memcmp` for the module, a word at a time.
//!
//! Every `==` and `cmp` of strings in Rust ends in `memcmp`. On
//! `wasm32-unknown-unknown` there is no C library: the linker takes
//! compiler-builtins' `memcmp`, a loop over single bytes (ten-odd Wasm
//! instructions a byte), and reading a quote's input compares thousands of
//! keys, SKUs and categories — 8 % of a 200-line quote's instructions, about
//! 120 per comparison. compiler-builtins marks its `memcmp` weak, so this
//! one, defined strongly, replaces it: it compares 8 bytes at a time and
//! looks at single bytes only in the tail, or to find which byte differs.
//!
//! [`compare`] is the algorithm, tested natively against the byte loop; the
//! exported symbol exists only in the Wasm build.

// Raw memory is this module's whole job: each `unsafe` says why it holds.
#![allow(unsafe_code)]

/// The sign of the first difference between `n` bytes at `a` and at `b`,
/// as C's `memcmp`: negative, zero or positive.
///
/// # Safety
/// `a` and `b` must each be readable for `n` bytes.
#[inline(always)]
pub unsafe fn compare(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i + 8 <= n {
        // SAFETY: i + 8 <= n, and both are readable for n bytes.
        let (x, y) = unsafe { ((a.add(i) as *const u64).read_unaligned(), (b.add(i) as *const u64).read_unaligned()) };
        if x != y {
            // The first differing byte in memory order: the lowest one of
            // a little-endian word (Wasm is little-endian; on a big-endian
            // host, the highest).
            let k = if cfg!(target_endian = "little") { (x ^ y).trailing_zeros() } else { (x ^ y).leading_zeros() } / 8;
            i += k as usize;
            // SAFETY: k < 8, so i is still below n.
            return unsafe { *a.add(i) as i32 - *b.add(i) as i32 };
        }
        i += 8;
    }
    while i < n {
        // SAFETY: i < n.
        let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
        if x != y {
            return x as i32 - y as i32;
        }
        i += 1;
    }
    0
}

/// The module's `memcmp` (see the module's doc).
///
/// # Safety
/// As C's `memcmp`: `a` and `b` readable for `n` bytes.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the caller's promise.
    unsafe { compare(a, b, n) }
}

#[cfg(test)]
mod tests {
    use super::compare;

    fn bytes(a: &[u8], b: &[u8]) -> i32 {
        for (x, y) in a.iter().zip(b) {
            if x != y {
                return *x as i32 - *y as i32;
            }
        }
        0
    }

    #[test]
    fn agrees_with_the_byte_loop_at_every_length_and_position() {
        for n in 0..40usize {
            let a: Vec<u8> = (0..n as u8).map(|k| k.wrapping_mul(37).wrapping_add(3)).collect();
            assert_eq!(unsafe { compare(a.as_ptr(), a.as_ptr(), n) }, 0);
            for at in 0..n {
                for d in [1u8, 0x7f, 0x80, 0xff] {
                    let mut b = a.clone();
                    b[at] = b[at].wrapping_add(d);
                    // Differences after `at` too, which must not count.
                    for later in &mut b[at + 1..] {
                        *later ^= 0x55;
                    }
                    let want = bytes(&a, &b);
                    assert_eq!(unsafe { compare(a.as_ptr(), b.as_ptr(), n) }, want, "n {n}, at {at}, +{d}");
                    assert_eq!(unsafe { compare(b.as_ptr(), a.as_ptr(), n) }, -want);
                }
            }
        }
    }
}
