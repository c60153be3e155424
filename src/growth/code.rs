//! Crockford base32 and its mod-37 check symbol
//! (<https://www.crockford.com/base32.html>).
//!
//! - Symbols `0123456789ABCDEFGHJKMNPQRSTVWXYZ` are the values 0–31: no
//!   `I`, `L`, `O` or `U`, so nothing reads as another symbol.
//! - Decoding ignores case and reads `I` and `L` as `1`, `O` as `0`, as
//!   Crockford specifies (hyphens are *not* ignored: in a scene they
//!   separate parts).
//! - The check symbol is the value mod 37, one of the 32 symbols or
//!   `*` `~` `$` `=` `U` (32–36). 37 is prime and above every symbol
//!   value, so one changed symbol, or two adjacent symbols swapped, always
//!   changes the check.

/// The 32 symbols, by value.
pub const SYMBOLS: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The five check symbols beyond the 32, values 32–36.
pub const CHECK_EXTRA: &[u8; 5] = b"*~$=U";

/// The check modulus.
pub const MODULUS: u32 = 37;

/// The value of a symbol as read (any case; `I`, `L` → 1, `O` → 0), or
/// `None` for anything else (including `U`, which is a check symbol only).
pub fn value(b: u8) -> Option<u32> {
    let v = match b.to_ascii_uppercase() {
        b @ b'0'..=b'9' => b - b'0',
        b'I' | b'L' => 1,
        b'O' => 0,
        b'U' => return None,
        b => SYMBOLS.iter().position(|&s| s == b)? as u8,
    };
    Some(u32::from(v))
}

/// The value of a check symbol as read (as [`value`], plus `*~$=U`).
pub fn check_value(b: u8) -> Option<u32> {
    value(b).or_else(|| {
        let up = b.to_ascii_uppercase();
        CHECK_EXTRA.iter().position(|&s| s == up).map(|i| 32 + i as u32)
    })
}

/// The symbol of a value below 32.
pub fn symbol(v: u32) -> u8 {
    SYMBOLS.get(v as usize).copied().unwrap_or(b'0')
}

/// The check symbol of a value below 37.
pub fn check_symbol(v: u32) -> u8 {
    match v {
        0..=31 => symbol(v),
        _ => CHECK_EXTRA.get((v - 32) as usize).copied().unwrap_or(b'0'),
    }
}

/// `n` in base32, most significant symbol first, without leading zeros
/// (`0` is `"0"`), appended to `out`. At most 13 symbols for a `u64`.
pub fn push_number(out: &mut String, n: u64) {
    let mut buf = [0u8; 13];
    let mut i = buf.len();
    let mut m = n;
    loop {
        i -= 1;
        buf[i] = symbol((m % 32) as u32);
        m /= 32;
        if m == 0 || i == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

/// The mod-37 check of a sequence of values (each below 37), read as one
/// base-32 numeral: Crockford's check when every value is below 32.
pub fn check_of(values: impl IntoIterator<Item = u32>) -> u32 {
    values.into_iter().fold(0, |acc, v| (acc * 32 + v) % MODULUS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: u64) -> String {
        let mut s = String::new();
        push_number(&mut s, n);
        s
    }

    #[test]
    fn numbers_in_base32() {
        assert_eq!(num(0), "0");
        assert_eq!(num(31), "Z");
        assert_eq!(num(32), "10");
        assert_eq!(num(1 << 32), "4000000");
        assert_eq!(num((1 << 53) - 1), "7ZZZZZZZZZZ");
        assert_eq!(num(u64::MAX), "FZZZZZZZZZZZZ");
    }

    #[test]
    fn aliases_and_case() {
        for (a, b) in [(b'i', b'1'), (b'L', b'1'), (b'o', b'0'), (b'z', b'Z')] {
            assert_eq!(value(a), value(b));
        }
        assert_eq!(value(b'U'), None);
        assert_eq!(check_value(b'u'), Some(36));
        assert_eq!(check_value(b'*'), Some(32));
    }

    #[test]
    fn crockford_check_of_a_numeral_is_the_number_mod_37() {
        for n in [0u64, 1, 36, 37, 1234567, (1 << 53) - 1] {
            let s = num(n);
            let c = check_of(s.bytes().filter_map(value));
            assert_eq!(u64::from(c), n % 37, "{s}");
        }
    }
}
