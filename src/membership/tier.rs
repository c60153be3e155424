//! Tiers by growth value, and the periodic review (保级).
//!
//! Growth value (成长值) is earned when an order completes (`per_yuan` per
//! yuan paid for goods, floored) and taken back when goods are refunded. A
//! member is upgraded the moment the growth measure — all growth, or growth
//! in a rolling window — reaches a higher tier's threshold. Tiers go down
//! only at the periodic review: at the start of each period (month, quarter
//! or year, in local time) a member whose tier was held for the whole past
//! period and who earned less growth in it than the tier's `retain` drops to
//! the highest tier whose `retain` that growth meets. A refund never
//! downgrades at once.
//!
//! Worked example (tiers 0 / 1000 / 5000, gold retains 2000 per year): a
//! member reaches 5000 on 2025-03-10 and becomes gold at once. The review on
//! 2026-01-01 skips them (gold was not held for all of 2025). If they earn
//! 1500 in 2026, the review on 2027-01-01 drops them to the highest tier
//! retaining ≤ 1500 (silver, threshold 1000). From then on their counted
//! growth is 1000 plus what they earn after 2027-01-01, so they climb back
//! to gold only by earning 4000 more — a later order does not undo the
//! review.

use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Problems, Result};
use crate::ledger::Member;
use crate::membership::benefits::{self, Benefits};
use crate::money::{self, Fen};
use crate::pricing::Pricing;
use crate::rules::{in_range, unique_id, At, Rules, MAX_RULE_FEN};
use crate::sorting::SortedSet;
use crate::time::{Date, Millis, DAY_MS};

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct GrowthPolicy {
    /// Growth value (成长值) per yuan paid for goods, floored.
    pub per_yuan: i64,
    #[serde(default)]
    pub window: GrowthWindow,
}

/// Which growth counts toward a tier: all of it, or what was earned in the
/// last `days` days.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum GrowthWindow {
    #[default]
    Cumulative,
    Rolling {
        days: u32,
    },
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: String,
    pub name: String,
    /// Growth value at which a member is upgraded into this tier.
    pub threshold: i64,
    /// Growth value to earn within each review period to keep this tier.
    #[serde(default)]
    pub retain: i64,
    #[serde(default)]
    pub benefits: Benefits,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub period: Period,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Quarter,
    Year,
}

impl Period {
    pub fn months(self) -> u32 {
        match self {
            Period::Month => 1,
            Period::Quarter => 3,
            Period::Year => 12,
        }
    }
}

/// Growth earned or taken back, in a member's state.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct GrowthEntry {
    pub at: Millis,
    pub amount: i64,
    pub reference: String,
}

/// Set by a review downgrade: from then on the growth that counts is the
/// new tier's threshold plus what is earned after the review.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct GrowthFloor {
    /// The review boundary that downgraded the member.
    pub since: Millis,
    /// The threshold of the tier they dropped to.
    pub base: i64,
}

/// Growth and tiers: the rate and window, then each tier (id, thresholds in
/// order, retain, its benefits).
pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    let m = &rules.membership;
    in_range(p, format_args!("membership.growth.per_yuan"), m.growth.per_yuan, 0, 10_000);
    if let GrowthWindow::Rolling { days } = m.growth.window {
        in_range(p, format_args!("membership.growth.window.days"), days as i64, 1, 3660);
    }
    if m.tiers.is_empty() {
        p.push(code::REQUIRED, "membership.tiers", "至少需要一个等级", "at least one tier is required");
    }
    if m.tiers.len() > 20 {
        p.push(code::TOO_MANY, "membership.tiers", "等级最多 20 个", "at most 20 tiers");
    }
    let mut ids = SortedSet::new();
    for (i, t) in m.tiers.iter().enumerate() {
        let at = At("membership.tiers", i);
        unique_id(p, &mut ids, format_args!("{at}.id"), &t.id);
        if i == 0 && t.threshold != 0 {
            p.push(
                code::FIRST_TIER_THRESHOLD,
                format!("{at}.threshold"),
                "第一个等级的门槛必须为 0",
                "the first tier's threshold must be 0",
            );
        }
        if i > 0 && t.threshold <= m.tiers[i - 1].threshold {
            p.push(
                code::TIERS_OUT_OF_ORDER,
                format!("{at}.threshold"),
                format!("必须大于 tiers[{}] 的门槛", i - 1),
                format!("must be greater than tiers[{}]", i - 1),
            );
        }
        in_range(p, format_args!("{at}.retain"), t.retain, 0, MAX_RULE_FEN);
        in_range(p, format_args!("{at}.threshold"), t.threshold, 0, MAX_RULE_FEN);
        if t.retain > t.threshold {
            p.push(
                code::RETAIN_ABOVE_THRESHOLD,
                format!("{at}.retain"),
                "保级门槛不能高于升级门槛",
                "the retention threshold cannot exceed the upgrade threshold",
            );
        }
        benefits::check(rules, p, &format_args!("{at}.benefits"), &t.benefits);
    }
}

impl Member {
    pub fn tier_of<'r>(&self, rules: &'r Rules) -> &'r Tier {
        rules.tier(&self.tier).unwrap_or(&rules.membership.tiers[0])
    }

    /// The growth that counts toward a tier at `now`: all of it or the
    /// rolling window's, but after a review downgrade no more than the new
    /// tier's threshold plus what was earned since (otherwise the next order
    /// would undo the downgrade at once).
    pub fn growth_measure(&self, rules: &Rules, now: Millis) -> i64 {
        let raw = match rules.membership.growth.window {
            GrowthWindow::Cumulative => self.growth_total,
            GrowthWindow::Rolling { days } => self.growth_between(now - days as i64 * DAY_MS, now + 1),
        };
        match self.growth_floor {
            Some(f) => raw.min(f.base + self.growth_between(f.since, now + 1)),
            None => raw,
        }
    }

    /// Growth earned in `[from, to)`.
    pub fn growth_between(&self, from: Millis, to: Millis) -> i64 {
        let mut sum = 0;
        for g in &self.growth {
            if g.at >= from && g.at < to {
                sum += g.amount;
            }
        }
        sum
    }

    /// Book growth earned (an order completed) and upgrade at once if it
    /// reaches a higher tier.
    pub(crate) fn add_growth(&mut self, rules: &Rules, at: Millis, amount: i64, reference: &str) {
        if amount == 0 {
            return;
        }
        self.growth_total += amount;
        self.growth.push(GrowthEntry { at, amount, reference: reference.to_string() });
        self.upgrade(rules, at);
    }

    /// Take back growth (goods refunded). The tier only changes at the
    /// next review.
    pub(crate) fn take_back_growth(&mut self, at: Millis, amount: i64, reference: &str) {
        if amount != 0 {
            self.growth_total -= amount;
            self.growth.push(GrowthEntry { at, amount: -amount, reference: reference.to_string() });
        }
    }

    /// Upgrade at once if the growth measure reached a higher tier.
    fn upgrade(&mut self, rules: &Rules, now: Millis) {
        let g = self.growth_measure(rules, now);
        let cur = rules.tier_index(&self.tier).unwrap_or(0);
        if let Some(best) = rules.membership.tiers.iter().rposition(|t| t.threshold <= g) {
            if best > cur {
                self.tier = rules.membership.tiers[best].id.clone();
                self.tier_since = now;
            }
        }
    }

    /// Run every review whose period boundary is at or before `now`.
    pub(crate) fn review(&mut self, rules: &Rules, now: Millis) {
        while let Some(boundary) = self.next_review(rules).filter(|&b| b <= now) {
            let drop = self.review_drop(rules, boundary);
            self.reviewed_through = boundary;
            if let Some(keep) = drop {
                let tier = &rules.membership.tiers[keep];
                self.tier = tier.id.clone();
                self.tier_since = boundary;
                self.growth_floor = Some(GrowthFloor { since: boundary, base: tier.threshold });
            }
        }
    }

    /// The review at `boundary` (closing the period that began at
    /// `reviewed_through`): the index of the tier the member drops to, or
    /// `None` if they keep theirs — because they earned its `retain`, or
    /// because they reached it during the period and are exempt.
    pub fn review_drop(&self, rules: &Rules, boundary: Millis) -> Option<usize> {
        let start = self.reviewed_through;
        if self.tier_since > start {
            return None;
        }
        let earned = self.growth_between(start, boundary);
        let tiers = &rules.membership.tiers;
        let cur = rules.tier_index(&self.tier).unwrap_or(0);
        (earned < tiers[cur].retain).then(|| tiers[..cur].iter().rposition(|t| t.retain <= earned).unwrap_or(0))
    }

    /// The first review boundary after the member's state, if reviews run.
    pub fn next_review(&self, rules: &Rules) -> Option<Millis> {
        let review = rules.membership.review?;
        let zone = rules.zone();
        let last = zone.date(self.reviewed_through);
        Some(zone.start_of(last.month_start().month_end_after(review.period.months() - 1).add_days(1)))
    }

    /// Whether a tier review is due by `now`.
    pub(crate) fn review_due(&self, rules: &Rules, now: Millis) -> bool {
        self.next_review(rules).is_some_and(|t| t <= now)
    }
}

/// The start of the review period containing `t` (used when a member joins).
pub(crate) fn period_start(rules: &Rules, t: Millis) -> Millis {
    let zone = rules.zone();
    let d = zone.date(t);
    let months = rules.membership.review.map_or(1, |r| r.period.months());
    // Periods are aligned to the calendar year: quarters start in Jan, Apr,
    // Jul and Oct.
    let m0 = (d.month - 1) / months * months + 1;
    zone.start_of(Date { year: d.year, month: m0, day: 1 })
}

/// Step 9 of the pipeline, growth: floor(paid × per_yuan / 100) over what
/// every line paid, spread by what each paid. A guest earns none.
pub(crate) fn growth_to_earn(p: &mut Pricing) -> Result<()> {
    if p.member.is_none() {
        return Ok(());
    }
    let mut paid: Vec<Fen> = Vec::with_capacity(p.lines.len());
    for l in &p.lines {
        paid.push(l.out.paid);
    }
    let base = money::sum_fen(&paid);
    let growth = money::mul_div_floor(base, p.rules.membership.growth.per_yuan, 100)?;
    let per_line = if base > 0 { money::split(growth, &paid)? } else { vec![0; paid.len()] };
    for (l, &g) in p.lines.iter_mut().zip(&per_line) {
        l.out.growth_to_earn = g;
    }
    Ok(())
}
