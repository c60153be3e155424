//! `validate_poster`, `render_poster` and `poster_commands`.

use super::{answer_text, input, Session};
use crate::decode::{Decode, Json};
use crate::encode::Encode;
use crate::error::Result;
use crate::poster::{self, PosterTemplate};
use crate::sorting::SortedMap;

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ValidatePosterInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct ValidateIn {
    template: PosterTemplate,
}

/// What `validate_poster` answers.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "PosterCheck"))]
#[derive(Encode)]
pub(super) struct PosterCheck {
    width: u32,
    height: u32,
    /// How many elements.
    elements: u64,
    /// The field names the template uses, sorted.
    fields: Vec<&'static str>,
    /// The image names the template uses, sorted.
    images: Vec<String>,
    /// `sha256:` and the SHA-256 of the template as canonical JSON.
    fingerprint: String,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "PosterInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct PosterIn {
    template: PosterTemplate,
    /// Field name → value (at most 200 characters; `scene` and `code` 32,
    /// `link` 200 printable ASCII).
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, string>"))]
    fields: SortedMap<String, String>,
    /// Image name → a `data:image/png;base64,…` or
    /// `data:image/jpeg;base64,…` URL (at most 8, each at most 512 KiB).
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, string>"))]
    images: SortedMap<String, String>,
}

pub(super) fn validate_poster(v: &Json, _: &mut Session, out: &mut String) -> Result<()> {
    let i: ValidateIn = input(v)?;
    let t = &i.template;
    let used = poster::validate(t).map_err(|e| e.under("template"))?;
    answer_text(
        out,
        &PosterCheck {
            width: t.width,
            height: t.height,
            elements: t.elements.len() as u64,
            fields: used.fields,
            images: used.images,
            fingerprint: poster::template::fingerprint(template_json(v)),
        },
    )
}

/// The input's `template` member, as read (the decoder has refused an
/// input without one or with two).
fn template_json<'v>(v: &'v Json<'v>) -> &'v Json<'v> {
    match v {
        Json::Obj(members) => members.iter().find(|(k, _)| k == "template").map_or(&Json::Null, |(_, t)| t),
        _ => &Json::Null,
    }
}

pub(super) fn render_poster(v: &Json, _: &mut Session, out: &mut String) -> Result<()> {
    let i: PosterIn = input(v)?;
    answer_text(out, &poster::render(&i.template, &i.fields, &i.images)?)
}

pub(super) fn poster_commands(v: &Json, _: &mut Session, out: &mut String) -> Result<()> {
    answer_text(out, &layout(v)?)
}

/// A `poster_commands` input laid out (also the JS face's `drawPoster`).
pub(super) fn layout(v: &Json) -> Result<poster::Layout> {
    let i: PosterIn = input(v)?;
    poster::commands(&i.template, &i.fields, &i.images)
}
