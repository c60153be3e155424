//! `member_summary`, `points_history`, `coupon_wallet`, `eligible_members`
//! and `lifecycle_alerts`.

use super::{answer_text, checked, input};
use crate::decode::{Decode, Json};
use crate::error::Result;
use crate::ledger::{views, Member};
use crate::membership::lifecycle::{self, MemberOrders};
use crate::rules::Rules;
use crate::time::{Date, Millis};

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "MemberViewInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct MemberIn {
    rules: Rules,
    member: Member,
    now: Millis,
}

/// The input of a view of one member, checked.
fn member_in(v: &Json) -> Result<MemberIn> {
    let i: MemberIn = input(v)?;
    checked(&i.rules)?;
    i.member.check()?;
    Ok(i)
}

pub(super) fn member_summary(v: &Json, out: &mut String) -> Result<()> {
    let i = member_in(v)?;
    answer_text(out, &views::summary(&i.rules, i.member, i.now)?)
}

pub(super) fn points_history(v: &Json, out: &mut String) -> Result<()> {
    let i = member_in(v)?;
    answer_text(out, &views::points_history(&i.rules, i.member, i.now)?)
}

pub(super) fn coupon_wallet(v: &Json, out: &mut String) -> Result<()> {
    let i = member_in(v)?;
    answer_text(out, &views::coupon_wallet(&i.rules, i.member, i.now)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "EligibleMembersInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct TargetIn {
    rules: Rules,
    template: String,
    members: Vec<Member>,
    now: Millis,
}

pub(super) fn eligible_members(v: &Json, out: &mut String) -> Result<()> {
    let i: TargetIn = input(v)?;
    checked(&i.rules)?;
    for (k, m) in i.members.iter().enumerate() {
        m.check().map_err(|e| e.under(&format!("members[{k}]")))?;
    }
    answer_text(out, &views::eligible_members(&i.rules, &i.template, i.members, i.now)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "LifecycleAlertsInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct AlertsIn {
    rules: Rules,
    /// The local day to compare with `now`'s.
    since: Date,
    now: Millis,
    /// At most 10,000: a host pages through more.
    members: Vec<MemberOrders>,
}

pub(super) fn lifecycle_alerts(v: &Json, out: &mut String) -> Result<()> {
    let i: AlertsIn = input(v)?;
    checked(&i.rules)?;
    lifecycle::check_batch(i.since, i.now, &i.members, i.rules.zone())?;
    answer_text(out, &lifecycle::alerts(&i.rules, i.since, i.now, &i.members))
}
