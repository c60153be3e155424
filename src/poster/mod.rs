//! Share posters (海报), laid out once in the core (`docs/rules.md` §14).
//!
//! A template (`template.rs`: JSON data, validated with every problem at
//! once) and a member's fields and images become a [`Layout`] of integer
//! CSS px (`layout.rs`): text wrapped by the core's own width table
//! (`text.rs`, over grapheme clusters from `grapheme.rs`), never a device's
//! `measureText`; images placed by their
//! pixel size read from the `data:` URL's header (`image.rs`); QR codes as
//! runs of dark modules (`qr.rs`), each module whole pixels. The layout is
//! written as one self-contained SVG (`svg.rs`), the same bytes on every
//! host, and as Canvas 2D commands for the browser and the mini-program.

mod grapheme;
pub mod image;
mod layout;
mod qr;
mod svg;
pub mod template;
mod text;

use crate::error::Result;
use crate::sorting::SortedMap;

pub use image::{MAX_IMAGE_SIDE, MAX_IMAGE_URL};
pub use layout::{Layout, PosterClip, PosterCommand, MAX_IMAGES};
pub use qr::{Run, MAX_QR_VERSION};
pub use template::{
    validate, FontWeight, ImageClip, ImageFit, PosterBackground, PosterElement, PosterTemplate, QrLevel, TextAlign,
    Used,
};
pub use template::{
    MAX_CANVAS_SIDE, MAX_ELEMENTS, MAX_FIELD_CHARS, MAX_QUIET_ZONE, MAX_SCENE_CHARS, MAX_TEMPLATE_TEXT, MAX_TEXT_LINES,
};

/// What `render_poster` answers.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "PosterSvg"))]
#[derive(crate::Encode)]
pub struct Rendered {
    /// The whole picture: one SVG document.
    pub svg: String,
    pub width: u32,
    pub height: u32,
    /// Images the template uses that the input lacks (sorted): drawn as
    /// their placeholder.
    pub missing_images: Vec<String>,
}

/// The poster as Canvas 2D commands; `fields` and `images` as the
/// operations take them.
pub fn commands(
    t: &PosterTemplate,
    fields: &SortedMap<String, String>,
    images: &SortedMap<String, String>,
) -> Result<Layout> {
    layout::prepare(t, fields, images).map(|(l, _)| l)
}

/// The poster as one SVG string.
pub fn render(
    t: &PosterTemplate,
    fields: &SortedMap<String, String>,
    images: &SortedMap<String, String>,
) -> Result<Rendered> {
    let (l, read) = layout::prepare(t, fields, images)?;
    let svg = svg::write(&l, &read);
    Ok(Rendered { svg, width: l.width, height: l.height, missing_images: l.missing_images })
}
