//! Finding the bytes a JSON string treats specially, eight at a time.
//!
//! Inside a JSON string only three kinds of byte need attention: `"`, `\`
//! and the control characters below 0x20. Everything else (including every
//! byte of a multi-byte UTF-8 character) is copied as it is. The parser and
//! the writer both spend most of their time skipping such plain runs: a
//! 200-line quote writes about 100 KB of string text. Testing one byte at a
//! time costs several Wasm instructions per byte; testing a 64-bit word at a
//! time costs about one.
//!
//! The word test is the classic "has a zero byte" trick: for a word `x`,
//! `(x - 0x01…01) & !x & 0x80…80` is non-zero exactly when some byte of `x`
//! is zero (a borrow can only spread upwards from a byte that really is
//! zero, so it never invents a hit where there is none). XOR with a byte
//! repeated eight times turns "equals `"`" into "is zero"; subtracting
//! 0x20…20 instead of 0x01…01 turns it into "is below 0x20".

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether a byte ends a plain run: `"`, `\` or a control character.
fn special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// A mark (the byte's high bit) on the first special byte of `w` in memory
/// order, and perhaps on later ones; 0 if none is special. (A borrow
/// reaches only bytes above a true hit, so the lowest mark is exact.)
fn special_marks(w: u64) -> u64 {
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    below(w ^ (ONES * b'"' as u64), 1) | below(w ^ (ONES * b'\\' as u64), 1) | below(w, 0x20)
}

/// The 8 bytes at `s[i..]` as a little-endian word (memory order from the
/// lowest byte), if there are 8.
fn word(s: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = s.get(i..i.wrapping_add(8))?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The length of the plain run at the start of `s`: the index of its first
/// special byte, or `s.len()` when there is none: 10 for `新会员 "hi"`
/// (three 3-byte characters and a space before the quote), 17 for
/// `no escapes at all`. Eight bytes at a time, the first special byte
/// found from the lowest mark; the last few bytes by a final word that
/// overlaps the one before, so only a run shorter than 8 bytes is looked at
/// a byte at a time.
pub(crate) fn plain_run(s: &[u8]) -> usize {
    let n = s.len();
    let mut i = 0;
    while let Some(w) = word(s, i) {
        let m = special_marks(w);
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    if i == n {
        return n;
    }
    if let Some(w) = word(s, n.wrapping_sub(8)) {
        // Bytes n-8 .. i were looked at already (and were plain).
        let m = special_marks(w) >> (8 * (i + 8 - n));
        return if m != 0 { i + (m.trailing_zeros() / 8) as usize } else { n };
    }
    while let Some(&b) = s.get(i) {
        if special(b) {
            break;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_in_every_position_is_classified_as_one_at_a_time_would() {
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut s = vec![b'a'; 20];
                s[at] = b;
                let want = if special(b) { at } else { 20 };
                assert_eq!(plain_run(&s), want, "byte {b:#04x} at {at}");
            }
        }
    }

    #[test]
    fn runs_of_every_length_end_at_their_first_special_byte() {
        for n in 0..40 {
            for at in 0..=n {
                for b in [b'"', b'\\', 0, 0x1f] {
                    let mut s: Vec<u8> = (0..n).map(|k| [b'a', 0xe4, 0x20, 0x7f, 0xff][k % 5]).collect();
                    if at < n {
                        s[at] = b;
                        // Specials after the first must not count.
                        for later in s.iter_mut().skip(at + 1).step_by(3) {
                            *later = b'"';
                        }
                    }
                    assert_eq!(plain_run(&s), at, "n {n}, special {b:#04x} at {at}");
                }
            }
        }
    }

    #[test]
    fn a_special_byte_after_high_bytes_and_next_to_others_is_found_first() {
        let s = "价格 ¥199.00\u{1}\"\\".as_bytes();
        assert_eq!(plain_run(s), s.iter().position(|&b| special(b)).unwrap());
        assert_eq!(plain_run(b""), 0);
        assert_eq!(plain_run(b"\"x"), 0);
        assert_eq!(plain_run("新会员 \"hi\"".as_bytes()), 10);
        assert_eq!(plain_run(b"no escapes at all"), 17);
    }
}
