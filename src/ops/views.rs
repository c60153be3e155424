//! `member_summary`, `points_history`, `coupon_wallet`, `eligible_members`
//! and `lifecycle_alerts`.

use super::{answer_text, input, RulesArg, Session};
use crate::decode::{Decode, Json};
use crate::encode::Encode;
use crate::error::Result;
use crate::ledger::{views, Member};
use crate::membership::lifecycle::{self, MemberOrders};
use crate::rules::Rules;
use crate::time::{Date, Millis};

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "MemberViewInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct MemberIn {
    #[cfg_attr(feature = "ts", tsify(type = "Rules | PreparedRules"))]
    rules: RulesArg,
    member: Member,
    now: Millis,
}

/// A view of one member: the input read and checked, then `view`'s answer.
fn member_view<T: Encode>(
    v: &Json,
    s: &Session,
    out: &mut String,
    view: fn(&Rules, Member, Millis) -> Result<T>,
) -> Result<()> {
    let i: MemberIn = input(v)?;
    let rules = s.rules(&i.rules)?;
    i.member.check()?;
    answer_text(out, &view(rules, i.member, i.now)?)
}

pub(super) fn member_summary(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    member_view(v, s, out, views::summary)
}

pub(super) fn points_history(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    member_view(v, s, out, views::points_history)
}

pub(super) fn coupon_wallet(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    member_view(v, s, out, views::coupon_wallet)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "EligibleMembersInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct TargetIn {
    #[cfg_attr(feature = "ts", tsify(type = "Rules | PreparedRules"))]
    rules: RulesArg,
    template: String,
    members: Vec<Member>,
    now: Millis,
}

pub(super) fn eligible_members(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    let i: TargetIn = input(v)?;
    let rules = s.rules(&i.rules)?;
    for (k, m) in i.members.iter().enumerate() {
        m.check().map_err(|e| e.under(&format!("members[{k}]")))?;
    }
    answer_text(out, &views::eligible_members(rules, &i.template, i.members, i.now)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "LifecycleAlertsInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct AlertsIn {
    #[cfg_attr(feature = "ts", tsify(type = "Rules | PreparedRules"))]
    rules: RulesArg,
    /// The local day to compare with `now`'s.
    since: Date,
    now: Millis,
    /// At most 10,000: a host pages through more.
    members: Vec<MemberOrders>,
}

pub(super) fn lifecycle_alerts(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    let i: AlertsIn = input(v)?;
    let rules = s.rules(&i.rules)?;
    lifecycle::check_batch(i.since, i.now, &i.members, rules.zone())?;
    answer_text(out, &lifecycle::alerts(rules, i.since, i.now, &i.members))
}
