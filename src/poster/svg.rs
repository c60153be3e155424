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

use std::fmt::Write;

use super::layout::{Images, Layout, PosterCommand};
use super::template::{FontWeight, TextAlign, FONT_FAMILY};

fn esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// The SVG of `l`; `images` holds the URL and pixel size of each image
/// the layout draws.
pub(crate) fn write(l: &Layout, images: &Images) -> String {
    let mut s = String::with_capacity(4096 + images.values().map(|(u, _)| u.len()).sum::<usize>());
    let (w, h) = (l.width, l.height);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}">"#
    );
    let mut clips = 0u32;
    for c in &l.commands {
        match c {
            PosterCommand::Fill { color } => {
                let _ = write!(s, r#"<rect width="{w}" height="{h}" fill="{color}"/>"#);
            }
            PosterCommand::Rect { x, y, width, height, radius, fill, stroke, stroke_width } => {
                let _ = write!(s, r#"<rect x="{x}" y="{y}" width="{width}" height="{height}""#);
                if *radius > 0 {
                    let _ = write!(s, r#" rx="{radius}""#);
                }
                let _ = write!(s, r#" fill="{}""#, fill.as_deref().unwrap_or("none"));
                if let (Some(st), Some(sw)) = (stroke, stroke_width) {
                    let _ = write!(s, r#" stroke="{st}" stroke-width="{sw}""#);
                }
                s.push_str("/>");
            }
            PosterCommand::Image { image, sx, sy, sw, sh, dx, dy, dw, dh, clip } => {
                let Some((url, info)) = images.get(image.as_str()) else { continue };
                if let Some(b) = clip {
                    let _ = write!(
                        s,
                        r#"<clipPath id="c{clips}"><rect x="{}" y="{}" width="{}" height="{}" rx="{}"/></clipPath><g clip-path="url(#c{clips})">"#,
                        b.x, b.y, b.width, b.height, b.radius
                    );
                    clips += 1;
                }
                let whole = *sx == 0 && *sy == 0 && *sw == info.width && *sh == info.height;
                if whole {
                    let _ = write!(
                        s,
                        r#"<image x="{dx}" y="{dy}" width="{dw}" height="{dh}" preserveAspectRatio="none" href="{url}"/>"#
                    );
                } else {
                    let _ = write!(
                        s,
                        r#"<svg x="{dx}" y="{dy}" width="{dw}" height="{dh}" viewBox="{sx} {sy} {sw} {sh}" preserveAspectRatio="none"><image width="{}" height="{}" href="{url}"/></svg>"#,
                        info.width, info.height
                    );
                }
                if clip.is_some() {
                    s.push_str("</g>");
                }
            }
            PosterCommand::Text { text, x, y, align, size, weight, color, .. } => {
                let _ = write!(s, r#"<text x="{x}" y="{y}" font-size="{size}""#);
                if *weight == FontWeight::Bold {
                    s.push_str(r#" font-weight="bold""#);
                }
                match align {
                    TextAlign::Left => {}
                    TextAlign::Center => s.push_str(r#" text-anchor="middle""#),
                    TextAlign::Right => s.push_str(r#" text-anchor="end""#),
                }
                let _ = write!(s, r#" fill="{color}" xml:space="preserve">"#);
                esc(&mut s, text);
                s.push_str("</text>");
            }
            PosterCommand::Qr { x, y, size, background, code_x, code_y, module, color, runs } => {
                let _ = write!(
                    s,
                    r#"<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{background}"/><path transform="translate({code_x} {code_y}) scale({module})" fill="{color}" shape-rendering="crispEdges" d=""#
                );
                for r in runs {
                    let [c, row, len] = r.0;
                    let _ = write!(s, "M{c} {row}h{len}v1h-{len}z");
                }
                s.push_str(r#""/>"#);
            }
        }
    }
    s.push_str("</svg>");
    s
}
