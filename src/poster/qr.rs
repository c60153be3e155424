//! QR codes, by the crate `qrcodegen` (Nayuki's; no dependencies, no
//! floats), at versions 1 to 10 only: a poster's code must scan from a
//! phone screen, and past version 10 (57 × 57 modules) it does so badly.
//! The error-correction level is the template's, never raised (`qrcodegen`
//! can "boost" it when the data leaves room; a poster shows what its
//! template says). The mask is qrcodegen's choice by its penalty score:
//! deterministic.

use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};

use super::template::Level;

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

fn ecc(level: Level) -> QrCodeEcc {
    match level {
        Level::L => QrCodeEcc::Low,
        Level::M => QrCodeEcc::Medium,
        Level::Q => QrCodeEcc::Quartile,
        Level::H => QrCodeEcc::High,
    }
}

fn encode(text: &str, level: Level) -> Option<QrCode> {
    let segs = QrSegment::make_segments(text);
    QrCode::encode_segments_advanced(&segs, ecc(level), Version::MIN, Version::new(MAX_QR_VERSION), None, false).ok()
}

/// The side in modules of the code of `text` at `level`, or `None` when it
/// does not fit version 10.
pub(crate) fn modules(text: &str, level: Level) -> Option<u32> {
    encode(text, level).map(|q| q.size() as u32)
}

/// The code of `text` at `level`, or `None` when it does not fit version 10.
pub(crate) fn symbol(text: &str, level: Level) -> Option<Symbol> {
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
        assert_eq!(modules("HELLO", Level::M), Some(21));
        // Version 10 at H holds 119 bytes.
        assert_eq!(modules(&"a".repeat(119), Level::H), Some(57));
        assert_eq!(modules(&"a".repeat(120), Level::H), None);
        assert_eq!(modules(&"a".repeat(271), Level::L), Some(57));
        assert_eq!(modules(&"a".repeat(272), Level::L), None);
    }
}
