//! `make_scene` and `parse_scene`.

use super::{answer_text, input};
use crate::decode::{Decode, Json};
use crate::error::Result;
use crate::growth::scene::{self, SceneParts};

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ParseSceneInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct ParseIn {
    /// The scene as WeChat or the share link handed it over (URL-decoded).
    scene: String,
}

pub(super) fn make_scene(v: &Json, out: &mut String) -> Result<()> {
    let p: SceneParts = input(v)?;
    answer_text(out, &scene::make(&p)?)
}

pub(super) fn parse_scene(v: &Json, out: &mut String) -> Result<()> {
    let i: ParseIn = input(v)?;
    answer_text(out, &scene::parse(&i.scene)?)
}
