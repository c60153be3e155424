//! Images as `data:` URLs: `data:image/png;base64,…` or
//! `data:image/jpeg;base64,…` (not `image/jpg`, which is no registered media
//! type: the message says to write `image/jpeg`). The base64 is strict
//! (RFC 4648 §4: the standard alphabet, `=` padding to a multiple of four,
//! no whitespace, no bits set after the last byte). The pixel size comes
//! from the header: a PNG's IHDR chunk, or a JPEG's first SOF0, SOF1 or
//! SOF2 frame header (markers are walked by their lengths, every read
//! checked). Nothing else of the image is decoded: the core never needs its
//! pixels, only its size, to compute cover and contain.

/// Largest image URL accepted, in bytes (512 KiB of text).
pub const MAX_IMAGE_URL: usize = 512 << 10;
/// Largest side an image may have, in pixels (JPEG's own limit).
pub const MAX_IMAGE_SIDE: u32 = 65_535;

/// An image's media type.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Png,
    Jpeg,
}

/// What the core knows of an image: its format and pixel size.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Info {
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

/// Read a `data:` URL's format and pixel size, or what is wrong with it
/// (Chinese, English: the caller's `BAD_IMAGE` says it).
pub(crate) fn read(url: &str) -> std::result::Result<Info, Why> {
    if url.len() > MAX_IMAGE_URL {
        return Err(("超过 512 KiB", "the URL is over 512 KiB"));
    }
    let (format, b64) = if let Some(rest) = url.strip_prefix("data:image/png;base64,") {
        (Format::Png, rest)
    } else if let Some(rest) = url.strip_prefix("data:image/jpeg;base64,") {
        (Format::Jpeg, rest)
    } else if url.starts_with("data:image/jpg;") {
        return Err(("媒体类型应写作 image/jpeg", "write the media type as image/jpeg, not image/jpg"));
    } else {
        return Err((
            "须以 data:image/png;base64, 或 data:image/jpeg;base64, 开头",
            "it must start with data:image/png;base64, or data:image/jpeg;base64,",
        ));
    };
    let bytes = base64(b64).ok_or(("base64 编码有误", "the base64 is malformed"))?;
    let size = match format {
        Format::Png => png_size(&bytes),
        Format::Jpeg => jpeg_size(&bytes),
    };
    let (width, height) = size?;
    if width == 0 || height == 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(("宽或高须在 1 到 65535 像素之间", "its width and height must be 1 to 65,535 pixels"));
    }
    Ok(Info { format, width, height })
}

fn sextet(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// Strict base64: `None` for anything RFC 4648 §4 does not allow.
fn base64(s: &str) -> Option<Vec<u8>> {
    let s = s.as_bytes();
    if s.is_empty() || !s.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let last = s.len() / 4 - 1;
    for (i, q) in s.chunks_exact(4).enumerate() {
        let pad = if i == last { q.iter().rev().take_while(|&&c| c == b'=').count() } else { 0 };
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for &c in q.get(..4 - pad)? {
            n = n << 6 | sextet(c)?;
        }
        n <<= 6 * pad as u32;
        // Bits after the last byte must be zero (one reading per text).
        if n & ((1 << (8 * pad as u32)) - 1) != 0 {
            return None;
        }
        out.push((n >> 16) as u8);
        if pad < 2 {
            out.push((n >> 8) as u8);
        }
        if pad < 1 {
            out.push(n as u8);
        }
    }
    Some(out)
}

/// What is wrong with an image: Chinese, English.
pub(crate) type Why = (&'static str, &'static str);

type Size = std::result::Result<(u32, u32), Why>;

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?)))
}

fn png_size(b: &[u8]) -> Size {
    if b.get(..8) != Some(b"\x89PNG\r\n\x1a\n") {
        return Err(("不是 PNG 文件（文件头不符）", "the bytes are not a PNG (bad signature)"));
    }
    if be32(b, 8) != Some(13) || b.get(12..16) != Some(b"IHDR") {
        return Err(("PNG 缺少 IHDR 块", "the PNG has no IHDR chunk first"));
    }
    match (be32(b, 16), be32(b, 20)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(("PNG 的 IHDR 块不完整", "the PNG's IHDR chunk is cut short")),
    }
}

fn jpeg_size(b: &[u8]) -> Size {
    const CUT: (&str, &str) = ("JPEG 数据不完整", "the JPEG is cut short before its frame header");
    if b.get(..2) != Some(b"\xFF\xD8") {
        return Err(("不是 JPEG 文件（缺少 SOI）", "the bytes are not a JPEG (no SOI marker)"));
    }
    let mut at = 2;
    loop {
        if b.get(at) != Some(&0xFF) {
            return Err(if at >= b.len() { CUT } else { ("JPEG 标记有误", "the JPEG has a malformed marker") });
        }
        // Fill bytes: any number of 0xFF before the marker.
        while b.get(at) == Some(&0xFF) {
            at += 1;
        }
        let marker = *b.get(at).ok_or(CUT)?;
        at += 1;
        match marker {
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            0xC0..=0xC2 => {
                let (h, w) = (be16(b, at + 3), be16(b, at + 5));
                return match (h, w) {
                    (Some(0), Some(_)) => Err((
                        "JPEG 高度写在 DNL 中，不支持",
                        "the JPEG gives its height in a DNL segment (unsupported)",
                    )),
                    (Some(h), Some(w)) => Ok((w, h)),
                    _ => Err(CUT),
                };
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return Err((
                    "只支持基线或渐进式 JPEG（SOF0/1/2）",
                    "only baseline and progressive JPEGs (SOF0, SOF1, SOF2) are supported",
                ))
            }
            0xD8 | 0xD9 | 0xDA | 0x00 => {
                return Err(("JPEG 在帧头之前出现了不该有的标记", "the JPEG has no frame header before its data"))
            }
            _ => {
                let len = be16(b, at).ok_or(CUT)?;
                if len < 2 {
                    return Err(("JPEG 段长度有误", "the JPEG has a segment of a bad length"));
                }
                at += len as usize;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_base64() {
        assert_eq!(base64("TWFu").unwrap(), b"Man");
        assert_eq!(base64("TWE=").unwrap(), b"Ma");
        assert_eq!(base64("TQ==").unwrap(), b"M");
        for bad in ["", "TWF", "TW=u", "T===", "TWF=", "TR==", "TWFu\n", "TQ==TWFu", "-_-_"] {
            assert!(base64(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn hostile_headers_are_refused() {
        for bytes in [
            &b""[..],
            b"\xFF\xD8",
            b"\xFF\xD8\xFF",
            b"\xFF\xD8\xFF\xE0\x00",
            b"\xFF\xD8\xFF\xE0\x00\x00",
            b"\xFF\xD8\xFF\xE0\xFF\xFF",
            b"\xFF\xD8\xFF\xC0\x00\x11\x08",
            b"\xFF\xD8\xFF\xDA",
        ] {
            assert!(jpeg_size(bytes).is_err());
        }
        assert_eq!(jpeg_size(b"\xFF\xD8\xFF\xFF\xC0\x00\x11\x08\x00\x02\x00\x03"), Ok((3, 2)));
        assert!(png_size(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0").is_err());
    }
}
