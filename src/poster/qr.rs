//! QR codes, by the crate `qrcodegen` (Nayuki's; no dependencies, no
//! floats), at versions 1 to 10 only: a poster's code must scan from a
//! phone screen, and past version 10 (57 × 57 modules) it does so badly.
//!
//! - **Byte mode**, always: the contents are links and scenes, which all
//!   decoders read in byte mode; the smallest version whose byte mode holds
//!   the content is chosen from ISO/IEC 18004's table here, without making
//!   a code (so validation never makes one). The data codewords (mode,
//!   count, bytes, terminator, pad bytes) are made here and given to
//!   qrcodegen's `encode_codewords`, which adds the Reed–Solomon codewords
//!   and places everything: none of qrcodegen's segment code (numeric,
//!   alphanumeric, its bit buffer) is in the module.
//! - The error-correction level is the template's, never raised (a poster
//!   shows what its template says).
//! - **The mask is chosen automatically**, by the standard's penalty score
//!   (ISO/IEC 18004 §7.8.3, exactly qrcodegen's scoring, ties to the lower
//!   mask): the code is made once with mask 0, and the eight candidates are
//!   scored here on rows of bits (`u64`, one per row; columns by a bit
//!   transpose), runs found with `trailing_zeros`, 2 × 2 blocks and the
//!   dark balance with `count_ones`. The same choice as qrcodegen's own
//!   (tested against it on every version and level), at about a tenth of
//!   its Wasm instructions.

use qrcodegen::{Mask, QrCode, QrCodeEcc, Version};

use super::template::QrLevel;

/// The highest version a poster uses.
pub const MAX_QR_VERSION: u8 = 10;

/// A run of dark modules in one row: column, row, length (in modules,
/// from the symbol's top-left, the quiet zone not counted).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Run(pub [u32; 3]);

/// A code: its side in modules and its dark runs, row by row.
pub(crate) struct Symbol {
    pub modules: u32,
    pub runs: Vec<Run>,
}

fn ecc(level: QrLevel) -> QrCodeEcc {
    match level {
        QrLevel::L => QrCodeEcc::Low,
        QrLevel::M => QrCodeEcc::Medium,
        QrLevel::Q => QrCodeEcc::Quartile,
        QrLevel::H => QrCodeEcc::High,
    }
}

/// Data codewords at versions 1 … 10 (ISO/IEC 18004 table 7), by level.
const DATA_CODEWORDS: [[u16; 10]; 4] = [
    [19, 34, 55, 80, 108, 136, 156, 194, 232, 274],
    [16, 28, 44, 64, 86, 108, 124, 154, 182, 216],
    [13, 22, 34, 48, 62, 76, 88, 110, 132, 154],
    [9, 16, 26, 36, 46, 60, 66, 86, 100, 122],
];

/// The bits of a byte-mode count at `version` (1 … 10).
fn count_bits(version: usize) -> usize {
    if version < 10 {
        8
    } else {
        16
    }
}

/// The smallest version (1 … 10) whose byte mode holds `bytes` at `level`.
fn version_for(bytes: usize, level: QrLevel) -> Option<usize> {
    let row = DATA_CODEWORDS.get(level as usize)?;
    let v = row.iter().zip(1..).position(|(&c, v)| usize::from(c) * 8 >= 4 + count_bits(v) + bytes * 8)?;
    Some(v + 1)
}

/// The side in modules of the smallest code whose byte mode holds `bytes`
/// at `level`, or `None` past version 10.
pub(crate) fn modules_for_bytes(bytes: usize, level: QrLevel) -> Option<u32> {
    version_for(bytes, level).map(|v| 17 + 4 * v as u32)
}

/// The side in modules of the code of `text` at `level`, or `None` when it
/// does not fit version 10.
pub(crate) fn modules(text: &str, level: QrLevel) -> Option<u32> {
    modules_for_bytes(text.len(), level)
}

/// The data codewords of `data` in one byte-mode segment at `version`,
/// padded to `cap` codewords (the data fits: [`version_for`]).
fn codewords(data: &[u8], version: usize, cap: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(cap);
    // The stream is 4 bits out of step with the bytes: each byte is written
    // as the pending low nibble and its own high nibble.
    let mut pending = 0b0100u8; // byte mode
    let mut put = |out: &mut Vec<u8>, b: u8| {
        out.push(pending << 4 | b >> 4);
        pending = b & 15;
    };
    if count_bits(version) == 16 {
        put(&mut out, (data.len() >> 8) as u8);
    }
    put(&mut out, data.len() as u8);
    for &b in data {
        put(&mut out, b);
    }
    // The last nibble and the 4-bit terminator (there is always room: the
    // bits used are 4 more than a multiple of 8).
    out.push(pending << 4);
    let mut pad = 0xEC;
    while out.len() < cap {
        out.push(pad);
        pad ^= 0xEC ^ 0x11;
    }
    out
}

/// A code's modules, one `u64` per row (bit `x` is column `x`, 1 dark).
type Grid = [u64; 64];

/// Bits 0 … n-1.
fn low(n: usize) -> u64 {
    (1u64 << n) - 1
}

// Not inlined: format_bits calls it from ten places.
#[inline(never)]
fn set(g: &mut Grid, x: usize, y: usize, dark: bool) {
    let r = &mut g[y & 63];
    let bit = 1u64 << (x & 63);
    if dark {
        *r |= bit;
    } else {
        *r &= !bit;
    }
}

/// Marks the `w` × `h` rectangle at (x, y) in `g`.
fn fill(g: &mut Grid, x: usize, y: usize, w: usize, h: usize) {
    for r in y..y + h {
        g[r & 63] |= low(w) << (x & 63);
    }
}

/// The function modules of a version (finders and separators, timing,
/// alignment patterns, format and version information): what masks skip.
fn function_modules(version: usize) -> Grid {
    let n = 17 + 4 * version;
    let mut f = [0u64; 64];
    // Finders with separators and the format areas beside them.
    fill(&mut f, 0, 0, 9, 9);
    fill(&mut f, n - 8, 0, 8, 9);
    fill(&mut f, 0, n - 8, 9, 8);
    // Timing.
    fill(&mut f, 0, 6, n, 1);
    fill(&mut f, 6, 0, 1, n);
    if version >= 2 {
        let count = version / 7 + 2;
        let step = (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2;
        let pos = |i: usize| if i == 0 { 6 } else { n - 7 - (count - 1 - i) * step };
        for i in 0..count {
            for j in 0..count {
                let corner = (i == 0 || j == 0) && (i + j == 0 || i + j == count - 1);
                if !corner {
                    fill(&mut f, pos(i) - 2, pos(j) - 2, 5, 5);
                }
            }
        }
    }
    if version >= 7 {
        fill(&mut f, n - 11, 0, 3, 6);
        fill(&mut f, 0, n - 11, 6, 3);
    }
    f
}

/// Draws the format information of `level` and `mask` (both copies).
fn format_bits(g: &mut Grid, n: usize, level: QrLevel, mask: usize) {
    let ecl = [1u32, 0, 3, 2][level as usize & 3];
    let data = ecl << 3 | mask as u32;
    let mut rem = data;
    for _ in 0..10 {
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
    }
    let bits = (data << 10 | rem) ^ 0x5412;
    let bit = |i: usize| bits >> i & 1 != 0;
    for i in 0..6 {
        set(g, 8, i, bit(i));
    }
    set(g, 8, 7, bit(6));
    set(g, 8, 8, bit(7));
    set(g, 7, 8, bit(8));
    for i in 9..15 {
        set(g, 14 - i, 8, bit(i));
    }
    for i in 0..8 {
        set(g, n - 1 - i, 8, bit(i));
    }
    for i in 8..15 {
        set(g, 8, n - 15 + i, bit(i));
    }
    set(g, 8, n - 8, true);
}

/// Whether mask `m` inverts the module at (x, y). Only at compile time
/// (for [`MASK_SEEDS`]).
const fn inverts(m: usize, x: usize, y: usize) -> bool {
    match m {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => (x / 3 + y / 2).is_multiple_of(2),
        5 => x * y % 2 + x * y % 3 == 0,
        6 => (x * y % 2 + x * y % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + x * y % 3).is_multiple_of(2),
    }
}

/// Every mask's pattern repeats every 12 rows and every 6 columns: its
/// rows 0 … 11 on columns 0 … 5 (bit `x` set: inverted), made at compile
/// time (96 bytes of data, no code).
const MASK_SEEDS: [[u8; 12]; 8] = {
    let mut t = [[0u8; 12]; 8];
    let mut m = 0;
    while m < 8 {
        let mut y = 0;
        while y < 12 {
            let mut x = 0;
            while x < 6 {
                if inverts(m, x, y) {
                    t[m][y] |= 1 << x;
                }
                x += 1;
            }
            y += 1;
        }
        m += 1;
    }
    t
};

/// Row `y` of mask `m`'s pattern, on 64 columns.
fn mask_row(m: usize, y: usize) -> u64 {
    // Six bits copied to every sixth position.
    u64::from(MASK_SEEDS[m & 7][y % 12]).wrapping_mul(0x0041_0410_4104_1041)
}

/// `g` transposed in place (64 × 64 bits; Hacker's Delight §7-3).
fn transpose(g: &mut Grid) {
    let mut j = 32;
    let mut m: u64 = 0x0000_0000_FFFF_FFFF;
    while j != 0 {
        let mut k = 0;
        while k < 64 {
            let t = ((g[k & 63] >> j) ^ g[(k + j) & 63]) & m;
            g[k & 63] ^= t << j;
            g[(k + j) & 63] ^= t;
            k = (k + j + 1) & !j;
        }
        j >>= 1;
        m ^= m << j;
    }
}

/// Bit `x` of the result: bits `x` … `x + m - 1` of `b` are all set
/// (`m` ≥ 1; bits past 63 count as clear). By doubling: about log2 `m`
/// shifts.
fn all(b: u64, m: usize) -> u64 {
    let mut r = b;
    let mut len = 1;
    while len * 2 <= m {
        r &= r >> len;
        len *= 2;
    }
    if len < m {
        r &= r >> (m - len);
    }
    r
}

/// The penalty of runs (N1) and finder-like patterns (N3) along one line
/// of `n` modules (`r`, bit `x` dark), exactly as qrcodegen counts them,
/// with bit operations on the whole line instead of a walk over its runs.
///
/// - N1: a run of `L` ≥ 5 alike modules costs `L - 2`: one per 5-module
///   window of alike modules (`L - 4`) and 2 per run (its first window).
/// - N3: 40 per 1:1:3:1:1 pattern (dark `k`, light `k`, dark `3k`, light
///   `k`, dark `k`, for any scale `k`) with a light run of at least `4k`
///   on one side and `k` on the other (counted once per side that holds).
///   The light border around the symbol counts as light without end (in
///   qrcodegen it adds `n` ≥ `4k` to the first and last light runs).
fn line_penalty(r: u64, n: usize) -> i32 {
    // Bit x: modules x and x + 1 alike (x + 1 inside the line).
    let alike = !(r ^ (r >> 1)) & low(n - 1);
    let windows = all(alike, 4);
    let firsts = windows & !(alike << 1);
    let mut score = windows.count_ones() as i32 + 2 * firsts.count_ones() as i32;
    if r == 0 {
        return score;
    }
    // Bits past the line are light (`!r` has them set up to 63); where a
    // light window runs past bit 63 it is past the last dark module, so
    // `tail` (from just after the last dark module) settles it.
    let light = !r;
    let tail = !low(64 - r.leading_zeros() as usize);
    // Bit x: every module before x is light (x up to the first dark one).
    let head = !0u64 >> (63 - r.trailing_zeros());
    let mut patterns = 0;
    let mut k = 1;
    while 7 * k <= n {
        let (d1, l1, d3) = (all(r, k), all(light, k), all(r, 3 * k));
        if d3 == 0 {
            // No dark run of 3k: none at any larger scale either.
            break;
        }
        // Bit x: the pattern's modules x … x + 7k - 1.
        let core = d1 & l1 >> k & d3 >> (2 * k) & l1 >> (5 * k) & d1 >> (6 * k);
        if core != 0 {
            // Bit x: `k` (`4k`) light modules before x, and after the
            // pattern at x.
            let l4 = all(light, 4 * k);
            let (before1, before4) = (l1 << k | head, l4 << (4 * k) | head);
            let (after1, after4) = ((l1 | tail) >> (7 * k), (l4 | tail) >> (7 * k));
            patterns += (core & before4 & after1).count_ones() + (core & before1 & after4).count_ones();
        }
        k += 1;
    }
    score += patterns as i32 * 40;
    score
}

/// The standard penalty of a code of `n` modules (rows `g`).
fn penalty(g: &Grid, n: usize) -> i32 {
    let mut score = 0;
    let mut dark = 0;
    let pairs = low(n - 1);
    for y in 0..n {
        let a = g[y & 63];
        score += line_penalty(a, n);
        dark += a.count_ones() as i32;
        if y + 1 < n {
            let b = g[(y + 1) & 63];
            let same = !(a ^ b) & !(a ^ (a >> 1)) & !(b ^ (b >> 1)) & pairs;
            score += same.count_ones() as i32 * 3;
        }
    }
    let mut t = *g;
    transpose(&mut t);
    for x in 0..n {
        score += line_penalty(t[x & 63], n);
    }
    let total = (n * n) as i32;
    let k = ((dark * 20 - total * 10).abs() + total - 1) / total - 1;
    score + k * 10
}

/// The code of `text` at `level`, or `None` when it does not fit version 10.
pub(crate) fn symbol(text: &str, level: QrLevel) -> Option<Symbol> {
    let data = text.as_bytes();
    let version = version_for(data.len(), level)?;
    let cap = usize::from(*DATA_CODEWORDS.get(level as usize)?.get(version - 1)?);
    let n = 17 + 4 * version;
    let q = QrCode::encode_codewords(
        Version::new(version as u8),
        ecc(level),
        &codewords(data, version, cap),
        Some(Mask::new(0)),
    );
    // The code with mask 0, as rows of bits.
    let mut g0 = [0u64; 64];
    for (y, row) in g0.iter_mut().enumerate().take(n) {
        for x in 0..n {
            *row |= u64::from(q.get_module(x as i32, y as i32)) << x;
        }
    }
    let f = function_modules(version);
    let cols = low(n);
    let masked = |m: usize| {
        let mut g = g0;
        for (y, row) in g.iter_mut().enumerate().take(n) {
            *row ^= (mask_row(0, y) ^ mask_row(m, y)) & !f[y & 63] & cols;
        }
        format_bits(&mut g, n, level, m);
        g
    };
    let mut best = (i32::MAX, 0);
    for m in 0..8 {
        let p = penalty(&masked(m), n);
        if p < best.0 {
            best = (p, m);
        }
    }
    let g = masked(best.1);
    let mut runs = Vec::new();
    for (y, &row) in g.iter().enumerate().take(n) {
        let mut x = 0;
        while x < n {
            let rest = row >> x;
            if rest == 0 {
                break;
            }
            let start = x + rest.trailing_zeros() as usize;
            let len = (!(row >> start)).trailing_zeros() as usize;
            runs.push(Run([start as u32, y as u32, len as u32]));
            x = start + len;
        }
    }
    Some(Symbol { modules: n as u32, runs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_stop_at_ten() {
        assert_eq!(modules("HELLO", QrLevel::M), Some(21));
        // Version 10 at H holds 119 bytes.
        assert_eq!(modules(&"a".repeat(119), QrLevel::H), Some(57));
        assert_eq!(modules(&"a".repeat(120), QrLevel::H), None);
        assert_eq!(modules(&"a".repeat(271), QrLevel::L), Some(57));
        assert_eq!(modules(&"a".repeat(272), QrLevel::L), None);
        // ISO/IEC 18004 table 7's byte capacities.
        let capacity = |level| (0..300).filter(|&b| modules_for_bytes(b, level) == modules_for_bytes(0, level)).max();
        assert_eq!(capacity(QrLevel::L), Some(17));
        assert_eq!(capacity(QrLevel::H), Some(7));
    }

    /// qrcodegen's walk over the runs of a line (the light border counted
    /// in the first and last light runs), to check `line_penalty` against.
    fn walk_penalty(r: u64, n: usize) -> i32 {
        let mut h = [0usize; 7];
        let add = |h: &mut [usize; 7], mut len: usize| {
            if h[0] == 0 {
                len += n;
            }
            h.copy_within(0..6, 1);
            h[0] = len;
        };
        let count = |h: &[usize; 7]| {
            let k = h[1];
            let core = k > 0 && h[2] == k && h[3] == k * 3 && h[4] == k && h[5] == k;
            i32::from(core && h[0] >= k * 4 && h[6] >= k) + i32::from(core && h[6] >= k * 4 && h[0] >= k)
        };
        let (mut score, mut color, mut run) = (0, false, 0);
        for x in 0..n {
            let d = r >> x & 1 != 0;
            if d == color {
                run += 1;
                score += match run {
                    5 => 3,
                    6.. => 1,
                    _ => 0,
                };
            } else {
                add(&mut h, run);
                if !color {
                    score += count(&h) * 40;
                }
                color = d;
                run = 1;
            }
        }
        if color {
            add(&mut h, run);
            run = 0;
        }
        add(&mut h, run + n);
        score + count(&h) * 40
    }

    #[test]
    fn line_penalty_is_qrcodegens() {
        let mut seed = 99u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 33
        };
        for n in [21usize, 25, 29, 33, 45, 57] {
            for i in 0..20000 {
                // Lines from runs of random lengths (so that scaled
                // patterns, k = 2 … 8, turn up), and random bits.
                let mut r = 0u64;
                if i % 2 == 0 {
                    let (mut x, mut dark) = (0, next() % 2 == 0);
                    let scale = 1 + (next() % 4) as usize;
                    while x < n {
                        let len = scale * [1, 1, 1, 3, 4, 1, 2, 5][(next() % 8) as usize];
                        if dark {
                            r |= low(len.min(n - x)) << x;
                        }
                        x += len;
                        dark = !dark;
                    }
                } else {
                    r = (next() << 32 | next()) & low(n);
                }
                assert_eq!(line_penalty(r, n), walk_penalty(r, n), "{r:#x} {n}");
            }
            assert_eq!(line_penalty(0, n), walk_penalty(0, n));
            assert_eq!(line_penalty(low(n), n), walk_penalty(low(n), n));
        }
    }

    #[test]
    fn transpose_transposes() {
        let mut g = [0u64; 64];
        for (y, r) in g.iter_mut().enumerate() {
            *r = (y as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (y as u64) << 7;
        }
        let mut t = g;
        transpose(&mut t);
        for (y, row) in g.iter().enumerate() {
            for (x, col) in t.iter().enumerate() {
                assert_eq!(row >> x & 1, col >> y & 1);
            }
        }
    }

    /// The same code as qrcodegen's own: byte mode, the level kept, its
    /// automatic mask (every version 1 … 10, every level, several lengths).
    #[test]
    fn same_code_as_qrcodegen() {
        let levels = [QrLevel::L, QrLevel::M, QrLevel::Q, QrLevel::H];
        let mut seed = 12345u64;
        let mut versions = std::collections::BTreeSet::new();
        for len in (0..272).step_by(3).chain([1, 2, 17, 18, 213, 214, 271]) {
            for level in levels {
                let text: String = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        char::from(b'!' + (seed >> 33) as u8 % 94)
                    })
                    .collect();
                let ours = symbol(&text, level);
                let seg = [qrcodegen::QrSegment::make_bytes(text.as_bytes())];
                let theirs =
                    QrCode::encode_segments_advanced(&seg, ecc(level), Version::MIN, Version::new(10), None, false)
                        .ok();
                match (ours, theirs) {
                    (None, None) => {}
                    (Some(s), Some(q)) => {
                        versions.insert(q.version().value());
                        assert_eq!(s.modules as i32, q.size());
                        let mut dark = std::collections::BTreeSet::new();
                        for Run([x, y, l]) in &s.runs {
                            for i in 0..*l {
                                dark.insert((x + i, *y));
                            }
                        }
                        for y in 0..q.size() {
                            for x in 0..q.size() {
                                assert_eq!(
                                    dark.contains(&(x as u32, y as u32)),
                                    q.get_module(x, y),
                                    "{len} bytes, {:?} at ({x}, {y}), mask {}",
                                    level as u8,
                                    q.mask().value()
                                );
                            }
                        }
                    }
                    (a, b) => panic!("{len} bytes: ours {} theirs {}", a.is_some(), b.is_some()),
                }
            }
        }
        assert_eq!(versions.len(), 10);
    }
}
