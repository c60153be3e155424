//! QR codes, by the crate `qrcodegen` (Nayuki's; no dependencies, no
//! floats), at versions 1 to 10 only: a poster's code must scan from a
//! phone screen, and past version 10 (57 × 57 modules) it does so badly.
//! The error-correction level is the template's, never raised (`qrcodegen`
//! can "boost" it when the data leaves room; a poster shows what its
//! template says). The mask is qrcodegen's choice by its penalty score:
//! deterministic.

use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};

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

fn encode(text: &str, level: QrLevel) -> Option<QrCode> {
    let segs = QrSegment::make_segments(text);
    QrCode::encode_segments_advanced(&segs, ecc(level), Version::MIN, Version::new(MAX_QR_VERSION), None, false).ok()
}

/// Bytes a byte-mode segment holds at versions 1 … 10 (ISO/IEC 18004
/// table 7), by level.
const BYTE_CAPACITY: [[u16; 10]; 4] = [
    [17, 32, 53, 78, 106, 134, 154, 192, 230, 271],
    [14, 26, 42, 62, 84, 106, 122, 152, 180, 213],
    [11, 20, 32, 46, 60, 74, 86, 108, 130, 151],
    [7, 14, 24, 34, 44, 58, 64, 84, 98, 119],
];

/// The side in modules of the smallest code whose byte mode holds `bytes`
/// at `level`, or `None` past version 10: an upper bound for any text of
/// that many bytes (numeric and alphanumeric modes are denser), without
/// making a code.
pub(crate) fn modules_for_bytes(bytes: usize, level: QrLevel) -> Option<u32> {
    let row = &BYTE_CAPACITY[level as usize];
    let v = row.iter().position(|&c| usize::from(c) >= bytes)?;
    Some(17 + 4 * (v as u32 + 1))
}

/// The side in modules of the code of `text` at `level`, or `None` when it
/// does not fit version 10.
pub(crate) fn modules(text: &str, level: QrLevel) -> Option<u32> {
    encode(text, level).map(|q| q.size() as u32)
}

/// The code of `text` at `level`, or `None` when it does not fit version 10.
pub(crate) fn symbol(text: &str, level: QrLevel) -> Option<Symbol> {
    let q = encode(text, level)?;
    let n = q.size();
    let mut runs = Vec::new();
    for y in 0..n {
        let mut x = 0;
        while x < n {
            if q.get_module(x, y) {
                let start = x;
                while x < n && q.get_module(x, y) {
                    x += 1;
                }
                runs.push(Run([start as u32, y as u32, (x - start) as u32]));
            } else {
                x += 1;
            }
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
    }
}
