//! Lifecycle segments (`lifecycle`): where a member is, drawn from their
//! orders — new, active, loyal or silent — for targeting coupons and for
//! the operator.

use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::Problems;
use crate::ledger::Member;
use crate::rules::{in_range, Rules};
use crate::time::Millis;

/// Where a member is in their lifecycle, derived from their orders.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// Joined, never ordered.
    New,
    /// At least `loyal_orders` orders in the last `loyal_days` days.
    Loyal,
    /// Ordered in the last `active_days` days.
    Active,
    /// Has ordered, but not in the last `active_days` days.
    Silent,
}

impl Segment {
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::New => "new",
            Segment::Loyal => "loyal",
            Segment::Active => "active",
            Segment::Silent => "silent",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Segment::New => "新客",
            Segment::Loyal => "忠实客户",
            Segment::Active => "活跃客户",
            Segment::Silent => "沉默客户",
        }
    }
}

/// How lifecycle segments are drawn (defaults: 90 days, 3 orders in 365).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    #[serde(default = "ninety")]
    pub active_days: u32,
    #[serde(default = "three")]
    pub loyal_orders: u32,
    #[serde(default = "year")]
    pub loyal_days: u32,
}

fn ninety() -> u32 {
    90
}
fn three() -> u32 {
    3
}
fn year() -> u32 {
    365
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle { active_days: ninety(), loyal_orders: three(), loyal_days: year() }
    }
}

pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    let lc = &rules.lifecycle;
    in_range(p, format_args!("lifecycle.active_days"), lc.active_days as i64, 1, 3660);
    in_range(p, format_args!("lifecycle.loyal_orders"), lc.loyal_orders as i64, 1, 1000);
    in_range(p, format_args!("lifecycle.loyal_days"), lc.loyal_days as i64, 1, 3660);
}

impl Member {
    /// The lifecycle segment at `now`, in local calendar days. Orders
    /// refunded in full do not count. Worked example (defaults): orders on
    /// 03-01, 05-01 and 06-01 → on 06-15 `loyal` (3 within 365 days); a
    /// member with one order on 03-01 is `active` through 05-30 (90 days
    /// later) and `silent` from 05-31.
    pub fn segment(&self, rules: &Rules, now: Millis) -> Segment {
        let lc = rules.lifecycle;
        let zone = rules.zone();
        let today = zone.date(now).to_days();
        // The newest order's age in local calendar days (0 = today), and how
        // many are recent enough for loyal.
        let (mut newest, mut recent) = (None, 0);
        for o in self.orders.values() {
            if !o.fully_refunded() && o.placed_at <= now {
                let age = today - zone.date(o.placed_at).to_days();
                newest = Some(newest.map_or(age, |n: i64| n.min(age)));
                if age <= lc.loyal_days as i64 {
                    recent += 1;
                }
            }
        }
        let Some(newest) = newest else { return Segment::New };
        if recent >= lc.loyal_orders as usize {
            Segment::Loyal
        } else if newest <= lc.active_days as i64 {
            Segment::Active
        } else {
            Segment::Silent
        }
    }
}
