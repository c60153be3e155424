//! Posters as PNG, in host code: the module lays a poster out and writes it
//! as SVG (`render_poster`); a server rasterises that SVG here, with resvg
//! and the machine's fonts, never in the `.wasm` (DESIGN.md, "Posters as
//! images"). rqrr decodes the QR code back out of the pixels, an
//! independent check that the picture carries the right scene.
//!
//! The fonts: the SVG names `"WenQuanYi Micro Hei"` first (the core's width
//! table is that font's), then the CJK fonts phones have. Debian has no CJK
//! font by default: without `fonts-wqy-microhei` (or `fonts-noto-cjk`)
//! every Chinese character is an empty box, so [`Rasteriser::new`] refuses
//! to start without a font that has 中.

use std::sync::Arc;

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{fontdb, Options, Tree};

use crate::Result;

/// The family the core's width table was measured from.
pub const FONT_FAMILY: &str = "WenQuanYi Micro Hei";

/// Families of Debian's CJK font packages (`fonts-wqy-microhei`,
/// `fonts-wqy-zenhei`, `fonts-noto-cjk`).
const CJK_FAMILIES: &[&str] = &["WenQuanYi", "Noto Sans CJK", "Noto Serif CJK"];

/// Parses and draws SVG with the system fonts, loaded once.
pub struct Rasteriser {
    fonts: Arc<fontdb::Database>,
}

impl Rasteriser {
    /// Loads the system fonts; refuses if none of them draws Chinese.
    pub fn new() -> Result<Self> {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        // By family name: the fonts Debian packages for Chinese.
        let has_cjk = db
            .faces()
            .any(|f| f.families.iter().any(|(name, _)| CJK_FAMILIES.iter().any(|known| name.starts_with(known))));
        if !has_cjk {
            return Err("no font with Chinese characters is installed: install Debian's \
                        fonts-wqy-microhei (or fonts-noto-cjk), e.g. with scripts/install-tools.sh"
                .into());
        }
        db.set_sans_serif_family(FONT_FAMILY);
        Ok(Rasteriser { fonts: Arc::new(db) })
    }

    /// The SVG drawn at `scale` device pixels per CSS pixel (the device-pixel
    /// ratio), as an RGBA pixmap.
    pub fn pixmap(&self, svg: &str, scale: u32) -> Result<Pixmap> {
        let opt = Options { fontdb: self.fonts.clone(), font_family: FONT_FAMILY.into(), ..Options::default() };
        let tree = Tree::from_str(svg, &opt).map_err(|e| format!("the SVG does not parse: {e}"))?;
        let size = tree.size().to_int_size().scale_by(scale as f32).ok_or("the poster has no size")?;
        let mut pixmap = Pixmap::new(size.width(), size.height()).ok_or("the poster is too large to draw")?;
        resvg::render(&tree, Transform::from_scale(scale as f32, scale as f32), &mut pixmap.as_mut());
        Ok(pixmap)
    }

    /// The SVG as PNG bytes at `scale`.
    pub fn png(&self, svg: &str, scale: u32) -> Result<Vec<u8>> {
        self.pixmap(svg, scale)?.encode_png().map_err(|e| format!("PNG encoding failed: {e}"))
    }
}

/// Every QR code rqrr finds in an RGBA pixmap, decoded to text, in the
/// order it finds them.
pub fn decode_qr(width: u32, height: u32, rgba: &[u8]) -> Vec<String> {
    let (w, h) = (width as usize, height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let p = &rgba[(y * w + x) * 4..][..4];
        // Luma of the colour composited over white (the pixmap is
        // premultiplied: white shows through where alpha is low).
        let over_white = |c: u8| c as u32 + (255 - p[3] as u32);
        ((over_white(p[0]) * 299 + over_white(p[1]) * 587 + over_white(p[2]) * 114) / 1000).min(255) as u8
    });
    img.detect_grids().iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
}

/// How far a rendering may stray from its reference: a pixel differs when
/// one of its channels differs by more than [`CHANNEL_TOLERANCE`]; at most
/// [`PIXELS_TOLERANCE_PER_MILLE`] ‰ of the pixels may differ. Text is
/// anti-aliased by the rasteriser and shaped from the installed font
/// version: a patch release of either moves a few edge pixels, a wrong
/// layout, colour, crop or QR moves thousands.
pub const CHANNEL_TOLERANCE: u8 = 8;
pub const PIXELS_TOLERANCE_PER_MILLE: u64 = 2;

/// How a rendering compares with its reference.
pub struct Comparison {
    pub differing: u64,
    pub total: u64,
}

impl Comparison {
    pub fn within_tolerance(&self) -> bool {
        self.differing * 1000 <= self.total * PIXELS_TOLERANCE_PER_MILLE
    }
}

/// Compares two pixmaps of the same size; `None` if the sizes differ.
pub fn compare(got: &Pixmap, want: &Pixmap) -> Option<Comparison> {
    if (got.width(), got.height()) != (want.width(), want.height()) {
        return None;
    }
    let differing = got
        .data()
        .chunks_exact(4)
        .zip(want.data().chunks_exact(4))
        .filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE))
        .count() as u64;
    Some(Comparison { differing, total: got.width() as u64 * got.height() as u64 })
}

/// The text each QR element of a `render_poster` input must decode to: its
/// `content` with the `{name}` fields filled from the input's `fields`
/// (`{{` and `}}` are literal braces), worked out here independently of
/// the core.
pub fn expected_qr_contents(input: &serde_json::Value) -> Vec<String> {
    let fields = &input["fields"];
    let elements = input["template"]["elements"].as_array().cloned().unwrap_or_default();
    elements
        .iter()
        .filter(|e| e["type"] == "qr")
        .filter_map(|e| e["content"].as_str())
        .map(|content| fill(content, fields))
        .collect()
}

fn fill(template: &str, fields: &serde_json::Value) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if let (true, Some(end)) = (tail.starts_with('{'), tail.find('}')) {
            out.push_str(fields[&tail[1..end]].as_str().unwrap_or(""));
            rest = &tail[end + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out + rest
}

/// The `scene` query parameter of a link, if it has one, percent-decoded
/// (a scene's check symbol may be `=`, `$` or `*`, which a link carries as
/// `make_scene`'s `url_value`: `%3D`, `%24`, `%2A`).
pub fn scene_of(link: &str) -> Option<String> {
    let query = link.split_once('?')?.1;
    let value = query.split('&').find_map(|kv| kv.strip_prefix("scene="))?;
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}
