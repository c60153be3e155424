//! Paid membership (付费会员, `membership.paid_plans`): a card bought for a
//! number of days gives `membership.paid_benefits` at once, on top of the
//! tier's. Buying again while a card is active extends it.

use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Problems, Result};
use crate::ledger::{refuse, Booking, Member};
use crate::money::Fen;
use crate::rules::{checked_id, in_range, repeated_ids, At, Rules, MAX_RULE_FEN};
use crate::time::Millis;

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct PaidPlan {
    pub id: String,
    pub name: String,
    /// Fee in fen.
    pub price: Fen,
    /// Length of one period in days.
    pub days: u32,
}

/// A member's paid card.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct PaidCard {
    pub plan: String,
    pub since: Millis,
    /// Last millisecond of the paid period.
    pub until: Millis,
}

pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    let repeated = repeated_ids(&rules.membership.paid_plans, |x| x.id.as_str());
    for ((i, plan), repeated) in rules.membership.paid_plans.iter().enumerate().zip(repeated) {
        // Full: nothing more would be recorded (the list has no length of
        // its own).
        if p.full() {
            return;
        }
        let at = At("membership.paid_plans", i);
        checked_id(p, format_args!("{at}.id"), &plan.id, repeated);
        in_range(p, format_args!("{at}.price"), plan.price, 0, MAX_RULE_FEN);
        in_range(p, format_args!("{at}.days"), plan.days as i64, 1, 3660);
    }
}

impl Member {
    pub fn paid_active(&self, now: Millis) -> bool {
        self.paid.as_ref().is_some_and(|p| p.since <= now && now <= p.until)
    }
}

/// `membership_purchased`: a new card from today to the end of its last
/// day, or an active card extended by the plan's days.
pub(crate) fn purchased(rules: &Rules, m: &mut Member, b: &Booking, plan: &str) -> Result<()> {
    let Some(p) = rules.membership.paid_plans.iter().find(|p| p.id == plan) else {
        return Err(refuse(
            code::UNKNOWN_PLAN,
            "event.plan",
            format!("未知会员卡 `{plan}`"),
            format!("unknown membership plan `{plan}`"),
        ));
    };
    let zone = rules.zone();
    let days = p.days as i64;
    m.paid = Some(match &m.paid {
        Some(card) if card.until >= b.at => PaidCard {
            plan: plan.to_string(),
            since: card.since,
            until: zone.end_of(zone.date(card.until).add_days(days)),
        },
        _ => PaidCard { plan: plan.to_string(), since: b.at, until: zone.end_of(zone.date(b.at).add_days(days - 1)) },
    });
    Ok(())
}
