//! `validate_rules` and `prepare_rules`.

use super::{answer_text, checked, input, RulesArg, Session};
use crate::decode::{Decode, Json};
use crate::encode::Encode;
use crate::error::Result;
use crate::rules::Rules;

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "RulesInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct RulesIn {
    #[cfg_attr(feature = "ts", tsify(type = "Rules | PreparedRules"))]
    rules: RulesArg,
}

/// What `validate_rules` answers: the fingerprint and what the rules hold.
#[derive(Encode)]
pub(super) struct RulesCheck {
    fingerprint: String,
    schema: u32,
    tiers: u64,
    coupons: u64,
    campaigns: u64,
}

pub(super) fn validate_rules(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    let i: RulesIn = input(v)?;
    check_text(out, s.rules(&i.rules)?)
}

/// `validate_rules`, and the rules kept in the session as its newest set
/// (refused rules are not kept). Named by fingerprint, a set already held
/// becomes the newest.
pub(super) fn prepare_rules(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    let i: RulesIn = input(v)?;
    match i.rules {
        RulesArg::Given(r) => {
            checked(&r)?;
            check_text(out, &r)?;
            s.keep(r);
            Ok(())
        }
        RulesArg::Prepared(fp) => check_text(out, s.renew(&fp)?),
    }
}

/// What `validate_rules` and `prepare_rules` answer about `r`.
fn check_text(out: &mut String, r: &Rules) -> Result<()> {
    answer_text(
        out,
        &RulesCheck {
            fingerprint: r.fingerprint().to_string(),
            schema: r.schema,
            tiers: r.membership.tiers.len() as u64,
            coupons: r.coupons.len() as u64,
            campaigns: r.campaigns.len() as u64,
        },
    )
}
