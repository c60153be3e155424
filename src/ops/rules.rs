//! `validate_rules`.

use super::{answer_text, checked, input};
use crate::decode::{Decode, Json};
use crate::encode::Encode;
use crate::error::Result;
use crate::rules::Rules;

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "RulesInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct RulesIn {
    rules: Rules,
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

pub(super) fn validate_rules(v: &Json, out: &mut String) -> Result<()> {
    let i: RulesIn = input(v)?;
    checked(&i.rules)?;
    let r = &i.rules;
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
