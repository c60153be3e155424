//! A [`Layout`] as one self-contained SVG string: images inlined as their
//! `data:` URLs, clips as `clipPath`s numbered `c0`, `c1`, … in drawing
//! order, text as `<text>`, each QR code as one `<path>` of its runs in a
//! group scaled by the module size. Integers only, no newline at the end:
//! the same bytes on every host. SVG 1.1 features that resvg and browsers
//! both draw, plus `href` without `xlink:` (SVG 2, which both read).
//!
//! A cropped image (cover) is a nested `<svg>` whose `viewBox` is the
//! source rectangle and whose viewport is the destination, stretched
//! (`preserveAspectRatio="none"`): exactly `drawImage` with a source
//! rectangle, and clipped to the viewport as a nested `<svg>` is.

use super::layout::{find, Images, Layout, PosterCommand};
use super::template::{FontWeight, TextAlign, FONT_FAMILY};

/// The SVG being written: bytes, all from `&str`s, so UTF-8 (one check
/// at the end; writing numbers byte by byte into a `String` cost a UTF-8
/// encoding per digit).
struct Out(Vec<u8>);

impl Out {
    fn push_str(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }
}

fn esc(out: &mut Out, s: &str) {
    // By bytes: the five are ASCII, never inside a UTF-8 sequence.
    for &b in s.as_bytes() {
        let e: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&apos;",
            _ => {
                out.0.push(b);
                continue;
            }
        };
        out.0.extend_from_slice(e);
    }
}

/// `v` in decimal, written into `b` from `at` (a u32 has at most 10
/// digits); where it ends.
fn digits(b: &mut [u8], at: usize, v: u32) -> usize {
    if v < 10 {
        // One digit: most numbers of a QR code's runs.
        if let Some(slot) = b.get_mut(at) {
            *slot = b'0' + v as u8;
        }
        return at + 1;
    }
    let mut end = at;
    let mut rest = v;
    loop {
        end += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut v = v;
    for slot in b.get_mut(at..end).unwrap_or_default().iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
    end
}

/// `v` in decimal.
fn num(s: &mut Out, v: u32) {
    let mut b = [0u8; 10];
    let end = digits(&mut b, 0, v);
    s.0.extend_from_slice(b.get(..end).unwrap_or_default());
}

/// A QR code's run as a path: `M<col> <row>h<len>v1h-<len>z`, made in a
/// buffer and copied once (a poster's code has hundreds of runs: one
/// copy each, not nine).
fn run(s: &mut Out, [col, row, len]: [u32; 3]) {
    // Four numbers of at most 10 digits and 8 bytes of text.
    let mut b = [0u8; 48];
    let mut at = 0;
    for (text, v) in [("M", col), (" ", row), ("h", len), ("v1h-", len)] {
        for &c in text.as_bytes() {
            if let Some(slot) = b.get_mut(at) {
                *slot = c;
            }
            at += 1;
        }
        at = digits(&mut b, at, v);
    }
    if let Some(slot) = b.get_mut(at) {
        *slot = b'z';
    }
    s.0.extend_from_slice(b.get(..=at).unwrap_or_default());
}

/// Pieces of text and numbers, in turn: `text[0] num[0] text[1] num[1] …`.
fn put(s: &mut Out, text: &[&str], nums: &[u32]) {
    for (i, t) in text.iter().enumerate() {
        s.push_str(t);
        if let Some(&n) = nums.get(i) {
            num(s, n);
        }
    }
}

/// The SVG of `l`; `images` holds the URL and pixel size of each image
/// the layout draws.
pub(crate) fn write(l: &Layout, images: &Images) -> String {
    let mut s = Out(Vec::with_capacity(4096 + images.iter().map(|i| i.1.len()).sum::<usize>()));
    let (w, h) = (l.width, l.height);
    put(
        &mut s,
        &[
            r#"<svg xmlns="http://www.w3.org/2000/svg" width=""#,
            r#"" height=""#,
            r#"" viewBox="0 0 "#,
            " ",
            r#"" font-family=""#,
        ],
        &[w, h, w, h],
    );
    s.push_str(FONT_FAMILY);
    s.push_str(r#"">"#);
    let mut clips = 0u32;
    for c in &l.commands {
        match c {
            PosterCommand::Fill { color } => {
                put(&mut s, &[r#"<rect width=""#, r#"" height=""#, r#"" fill=""#], &[w, h]);
                s.push_str(color);
                s.push_str(r#""/>"#);
            }
            PosterCommand::Rect { x, y, width, height, radius, fill, stroke, stroke_width } => {
                put(
                    &mut s,
                    &[r#"<rect x=""#, r#"" y=""#, r#"" width=""#, r#"" height=""#, r#"""#],
                    &[*x, *y, *width, *height],
                );
                if *radius > 0 {
                    put(&mut s, &[r#" rx=""#, r#"""#], &[*radius]);
                }
                s.push_str(r#" fill=""#);
                s.push_str(fill.as_deref().unwrap_or("none"));
                s.push_str("\"");
                if let (Some(st), Some(sw)) = (stroke, stroke_width) {
                    s.push_str(r#" stroke=""#);
                    s.push_str(st);
                    put(&mut s, &[r#"" stroke-width=""#, r#"""#], &[*sw]);
                }
                s.push_str("/>");
            }
            PosterCommand::Image { image, sx, sy, sw, sh, dx, dy, dw, dh, clip } => {
                let Some((url, info)) = find(images, image) else { continue };
                if let Some(b) = clip {
                    put(
                        &mut s,
                        &[
                            r#"<clipPath id="c"#,
                            r#""><rect x=""#,
                            r#"" y=""#,
                            r#"" width=""#,
                            r#"" height=""#,
                            r#"" rx=""#,
                            r#""/></clipPath><g clip-path="url(#c"#,
                            r#")">"#,
                        ],
                        &[clips, b.x, b.y, b.width, b.height, b.radius, clips],
                    );
                    clips += 1;
                }
                let whole = *sx == 0 && *sy == 0 && *sw == info.width && *sh == info.height;
                if whole {
                    put(
                        &mut s,
                        &[
                            r#"<image x=""#,
                            r#"" y=""#,
                            r#"" width=""#,
                            r#"" height=""#,
                            r#"" preserveAspectRatio="none" href=""#,
                        ],
                        &[*dx, *dy, *dw, *dh],
                    );
                    s.push_str(url);
                    s.push_str(r#""/>"#);
                } else {
                    put(
                        &mut s,
                        &[
                            r#"<svg x=""#,
                            r#"" y=""#,
                            r#"" width=""#,
                            r#"" height=""#,
                            r#"" viewBox=""#,
                            " ",
                            " ",
                            " ",
                            r#"" preserveAspectRatio="none"><image width=""#,
                            r#"" height=""#,
                            r#"" href=""#,
                        ],
                        &[*dx, *dy, *dw, *dh, *sx, *sy, *sw, *sh, info.width, info.height],
                    );
                    s.push_str(url);
                    s.push_str(r#""/></svg>"#);
                }
                if clip.is_some() {
                    s.push_str("</g>");
                }
            }
            PosterCommand::Text { text, x, y, align, size, weight, color, .. } => {
                put(&mut s, &[r#"<text x=""#, r#"" y=""#, r#"" font-size=""#, r#"""#], &[*x, *y, *size]);
                if *weight == FontWeight::Bold {
                    s.push_str(r#" font-weight="bold""#);
                }
                match align {
                    TextAlign::Left => {}
                    TextAlign::Center => s.push_str(r#" text-anchor="middle""#),
                    TextAlign::Right => s.push_str(r#" text-anchor="end""#),
                }
                s.push_str(r#" fill=""#);
                s.push_str(color);
                s.push_str(r#"" xml:space="preserve">"#);
                esc(&mut s, text);
                s.push_str("</text>");
            }
            PosterCommand::Qr { x, y, size, background, code_x, code_y, module, color, runs } => {
                put(
                    &mut s,
                    &[r#"<rect x=""#, r#"" y=""#, r#"" width=""#, r#"" height=""#, r#"" fill=""#],
                    &[*x, *y, *size, *size],
                );
                s.push_str(background);
                put(
                    &mut s,
                    &[r#""/><path transform="translate("#, " ", ") scale(", r#")" fill=""#],
                    &[*code_x, *code_y, *module],
                );
                s.push_str(color);
                s.push_str(r#"" shape-rendering="crispEdges" d=""#);
                for r in runs {
                    run(&mut s, r.0);
                }
                s.push_str(r#""/>"#);
            }
        }
    }
    s.push_str("</svg>");
    String::from_utf8(s.0).unwrap_or_default()
}
