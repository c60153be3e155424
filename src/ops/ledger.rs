//! `apply_event` and `replay`.

use super::{answer_text, input, RulesArg, Session};
use crate::code;
use crate::decode::{Decode, Json};
use crate::error::{Error, Result};
use crate::ledger::{self, Event, Member};

/// Most events one `replay` folds.
pub const MAX_EVENTS: usize = 100_000;

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ApplyEventInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct ApplyIn {
    #[cfg_attr(feature = "ts", tsify(type = "Rules | PreparedRules"))]
    rules: RulesArg,
    #[serde(default)]
    member: Option<Member>,
    event: Event,
}

pub(super) fn apply_event(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    let i: ApplyIn = input(v)?;
    let rules = s.rules(&i.rules)?;
    if let Some(m) = &i.member {
        m.check()?;
    }
    let booked = ledger::apply(rules, i.member.unwrap_or_default(), &i.event)?;
    answer_text(out, &booked)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ReplayInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct ReplayIn {
    #[cfg_attr(feature = "ts", tsify(type = "Rules | PreparedRules"))]
    rules: RulesArg,
    events: Vec<Event>,
}

pub(super) fn replay(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    let i: ReplayIn = input(v)?;
    let rules = s.rules(&i.rules)?;
    if i.events.len() > MAX_EVENTS {
        return Err(Error::new(
            code::TOO_MANY,
            "events",
            format!("一次最多回放 {MAX_EVENTS} 个事件"),
            format!("at most {MAX_EVENTS} events per replay"),
        ));
    }
    answer_text(out, &ledger::replay(rules, &i.events)?)
}
