//! `make_scene`, `parse_scene`, `assign_contact` and `channel_stats`.

use super::{answer_text, input, RulesArg, Session};
use crate::code;
use crate::decode::{Decode, Json};
use crate::error::Error;
use crate::error::Result;
use crate::growth::channel::{self, ChannelContact};
use crate::growth::scene::{self, SceneParts};
use crate::time::Date;

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ParseSceneInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct ParseIn {
    /// The scene as WeChat or the share link handed it over (URL-decoded).
    scene: String,
}

pub(super) fn make_scene(v: &Json, _: &mut Session, out: &mut String) -> Result<()> {
    let p: SceneParts = input(v)?;
    answer_text(out, &scene::make(&p)?)
}

pub(super) fn parse_scene(v: &Json, _: &mut Session, out: &mut String) -> Result<()> {
    let i: ParseIn = input(v)?;
    answer_text(out, &scene::parse(&i.scene)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "AssignContactInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct AssignIn {
    #[cfg_attr(feature = "ts", tsify(type = "Rules | PreparedRules"))]
    rules: RulesArg,
    /// The scene scanned (a channel's own, or any with `-C`); or `channel`.
    #[serde(default)]
    scene: Option<String>,
    /// The channel's id; or `scene`.
    #[serde(default)]
    channel: Option<String>,
    /// The host's counter for the channel (the last answer's
    /// `next_counter`; 0 to start).
    counter: u64,
}

pub(super) fn assign_contact(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    let i: AssignIn = input(v)?;
    let rules = s.rules(&i.rules)?;
    let c = match (&i.scene, &i.channel) {
        (Some(s), None) => channel::by_scene(rules, s)?,
        (None, Some(id)) => channel::by_id(rules, id)?,
        _ => {
            return Err(Error::new(
                code::INPUT_INVALID,
                "scene",
                "须给出 `scene` 或 `channel` 之一",
                "give exactly one of `scene` and `channel`",
            ))
        }
    };
    answer_text(out, &channel::assign(c, i.counter))
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ChannelStatsInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct StatsIn {
    #[cfg_attr(feature = "ts", tsify(type = "Rules | PreparedRules"))]
    rules: RulesArg,
    /// The first local day counted.
    from: Date,
    /// The last local day counted.
    to: Date,
    /// At most 10,000: a host pages through more.
    contacts: Vec<ChannelContact>,
}

pub(super) fn channel_stats(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    let i: StatsIn = input(v)?;
    let rules = s.rules(&i.rules)?;
    channel::check_batch(rules, i.from, i.to, &i.contacts)?;
    answer_text(out, &channel::stats(rules, i.from, i.to, &i.contacts))
}
