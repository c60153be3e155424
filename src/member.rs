//! A member's state and the membership rules: tiers by growth value, the
//! periodic retention review, paid membership, and the benefits in force at a
//! given moment.
//!
//! The state is never edited by hand: it is the fold of the member's events
//! (see `events.rs`). It serializes to JSON so a host can cache it, and any
//! host replaying the same events under the same rules gets the same bytes.
//!
//! **Tiers.** Growth value (成长值) is earned when an order completes
//! (`per_yuan` per yuan paid for goods, floored) and taken back when goods are
//! refunded. A member is upgraded the moment the growth measure — all growth,
//! or growth in a rolling window — reaches a higher tier's threshold. Tiers go
//! down only at the periodic review (保级): at the start of each period
//! (month, quarter or year, in local time) a member whose tier was held for
//! the whole past period and who earned less growth in it than the tier's
//! `retain` drops to the highest tier whose `retain` that growth meets. A
//! refund never downgrades at once.
//!
//! Worked example (tiers 0 / 1000 / 5000, gold retains 2000 per year): a
//! member reaches 5000 on 2025-03-10 and becomes gold at once. The review on
//! 2026-01-01 skips them (gold was not held for all of 2025). If they earn
//! 1500 in 2026, the review on 2027-01-01 drops them to the highest tier
//! retaining ≤ 1500 (silver, threshold 1000). From then on their counted
//! growth is 1000 plus what they earn after 2027-01-01, so they climb back
//! to gold only by earning 4000 more — a later order does not undo the
//! review.

use std::fmt::Arguments;

use crate::sorting::{IdMap, IdSet, SortedMap};

use serde::Serialize;

use crate::decode::Decode;
use crate::encode::Encode;

use crate::money::Fen;
use crate::points::{Ledger, LotUse};
use crate::rules::{BirthdayWhen, GrowthWindow, Rules, Segment, Tier};
use crate::time::{Date, Millis, MonthDay, DAY_MS};

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: String,
    /// `None` until the `joined` event.
    pub joined_at: Option<Millis>,
    pub birthday: Option<MonthDay>,
    /// Sorted, without duplicates.
    pub tags: Vec<String>,
    /// Time of the last event applied; events never go back in time.
    pub clock: Millis,
    pub tier: String,
    pub tier_since: Millis,
    /// Start of the latest review period already reviewed.
    pub reviewed_through: Millis,
    pub growth_total: i64,
    pub growth: Vec<GrowthEntry>,
    /// Set by a review downgrade: from then on the growth that counts is the
    /// new tier's threshold plus what is earned after the review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth_floor: Option<GrowthFloor>,
    pub paid: Option<PaidCard>,
    pub points: Ledger,
    pub wallet: Vec<WalletCoupon>,
    /// Coupons claimed per template (for claim limits).
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, number>"))]
    pub claims: SortedMap<String, u32>,
    pub check_in: CheckInState,
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, ActivityCount>"))]
    pub activities: SortedMap<String, ActivityCount>,
    /// Activity and check-in points credited on `day` (for the daily cap).
    pub daily_points: DailyPoints,
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, Order>"))]
    pub orders: IdMap<Order>,
    pub gifts: Vec<Gift>,
    #[cfg_attr(feature = "ts", tsify(type = "string[]"))]
    pub event_ids: IdSet,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct GrowthEntry {
    pub at: Millis,
    pub amount: i64,
    pub reference: String,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct GrowthFloor {
    /// The review boundary that downgraded the member.
    pub since: Millis,
    /// The threshold of the tier they dropped to.
    pub base: i64,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct PaidCard {
    pub plan: String,
    pub since: Millis,
    /// Last millisecond of the paid period.
    pub until: Millis,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct WalletCoupon {
    pub id: String,
    pub template: String,
    pub claimed_at: Millis,
    pub valid_from: Millis,
    pub valid_until: Millis,
    /// The order (or outside reference) that used it.
    pub used_by: Option<String>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct CheckInState {
    pub last: Option<Date>,
    pub streak: u32,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct ActivityCount {
    pub day: Date,
    pub today: u32,
    pub total: u32,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct DailyPoints {
    pub day: Option<Date>,
    pub points: i64,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Gift {
    pub sku: String,
    pub at: Millis,
    pub reference: String,
}

/// An order as booked: what each line paid, used and earned, so a refund can
/// reverse exactly that line.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Order {
    pub id: String,
    pub placed_at: Millis,
    pub completed_at: Option<Millis>,
    pub lines: Vec<OrderLine>,
    pub shipping: Fen,
    pub payable: Fen,
    pub coupons: Vec<String>,
    /// Lots the points used came from.
    pub points_from: Vec<LotUse>,
    pub points_returned: i64,
    /// The lot created when the order completed.
    pub earned_lot: Option<u32>,
    /// Coupons issued by a full reduction when the order completed.
    pub issued_coupons: Vec<String>,
    /// Templates of those coupons, waiting for the order to complete.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coupons_to_issue: Vec<String>,
    pub refunded: Fen,
    /// Fingerprint of the rules it was priced under.
    pub fingerprint: String,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct OrderLine {
    pub sku: String,
    pub quantity: i64,
    pub paid: Fen,
    pub points_used: i64,
    pub points_earned: i64,
    pub growth: i64,
    pub refunded_quantity: i64,
    /// The flash-sale or limited-time campaign its units were bought in
    /// (counted against per-member limits).
    pub campaign: Option<String>,
}

impl Order {
    pub fn fully_refunded(&self) -> bool {
        self.lines.iter().all(|l| l.refunded_quantity == l.quantity)
    }
}

/// Largest magnitude of any amount (fen, points, growth) in a member state
/// the engine accepts: 10^13. With the size limits below, no sum over a
/// state can leave `i64`.
pub const MAX_STATE_AMOUNT: i64 = 10_000_000_000_000;
/// Most points lots, orders, growth entries or history lines in a state.
pub const MAX_STATE_ITEMS: usize = 200_000;
/// Largest magnitude of any instant in a member state: 10^15 ms, about
/// 31,700 years either side of 1970. Instants come from event times
/// (2000–2199), from template dates (years 0000–9999) and from periods and
/// validities built on them; anything further out is corrupt and would
/// overflow the calendar arithmetic.
pub const MAX_STATE_INSTANT: Millis = 1_000_000_000_000_000;
/// Largest check-in streak or activity count in a state.
pub const MAX_STATE_COUNT: u32 = 1_000_000;

impl Member {
    /// Sanity of a state handed in by a host (it normally comes from
    /// `apply`/`replay`; a hand-edited or corrupted one is refused, not
    /// trusted). Every problem is reported with its path.
    pub fn check(&self) -> crate::error::Result<()> {
        use crate::error::Problems;
        let mut p = Problems::new();
        // Paths are passed as `format_args!` and written only for a
        // problem: a valid state (nearly always) formats none. (Not as
        // closures: each closure was a function, a vtable and a call shim.)
        let amount = |p: &mut Problems, at: Arguments, v: i64| {
            if v.unsigned_abs() > MAX_STATE_AMOUNT as u64 {
                p.push("OUT_OF_RANGE", at.to_string(), "金额或数量超出范围", "amount is out of range");
            }
        };
        let items = |p: &mut Problems, at: &str, n: usize| {
            if n > MAX_STATE_ITEMS {
                p.push("TOO_MANY", at, "状态条目过多", "too many entries in the state");
            }
        };
        items(&mut p, "member.points.lots", self.points.lots.len());
        items(&mut p, "member.points.history", self.points.history.len());
        items(&mut p, "member.growth", self.growth.len());
        items(&mut p, "member.orders", self.orders.len());
        items(&mut p, "member.event_ids", self.event_ids.len());
        if self.wallet.len() > crate::events::MAX_WALLET_SIZE {
            p.push("TOO_MANY", "member.wallet", "券包过大", "the wallet is too large");
        }
        amount(&mut p, format_args!("member.growth_total"), self.growth_total);
        if let Some(f) = self.growth_floor {
            amount(&mut p, format_args!("member.growth_floor.base"), f.base);
            if f.base < 0 {
                p.push("NEGATIVE", "member.growth_floor.base", "不能为负数", "must not be negative");
            }
        }
        amount(&mut p, format_args!("member.points.debt"), self.points.debt);
        if self.points.debt < 0 {
            p.push("NEGATIVE", "member.points.debt", "不能为负数", "must not be negative");
        }
        for (i, l) in self.points.lots.iter().enumerate() {
            for &(f, v) in &[("amount", l.amount), ("remaining", l.remaining), ("expired", l.expired), ("settled", l.settled)] {
                amount(&mut p, format_args!("member.points.lots[{i}].{f}"), v);
                if v < 0 {
                    p.push("NEGATIVE", format!("member.points.lots[{i}].{f}"), "不能为负数", "must not be negative");
                }
            }
        }
        for (i, g) in self.growth.iter().enumerate() {
            amount(&mut p, format_args!("member.growth[{i}].amount"), g.amount);
        }
        for (id, o) in &self.orders {
            if o.lines.len() > 2 * crate::checkout::MAX_LINES {
                p.push("TOO_MANY", format!("member.orders.{id}.lines"), "订单行过多", "too many order lines");
            }
            for &(f, v) in &[("shipping", o.shipping), ("payable", o.payable), ("refunded", o.refunded), ("points_returned", o.points_returned)] {
                amount(&mut p, format_args!("member.orders.{id}.{f}"), v);
            }
            for (j, l) in o.lines.iter().enumerate() {
                if !(0..=crate::checkout::MAX_QUANTITY).contains(&l.quantity) || !(0..=l.quantity).contains(&l.refunded_quantity) {
                    p.push("BAD_QUANTITY", format!("member.orders.{id}.lines[{j}].quantity"), "数量或已退数量无效", "quantity or refunded quantity is invalid");
                }
                for &(f, v) in &[("paid", l.paid), ("points_used", l.points_used), ("points_earned", l.points_earned), ("growth", l.growth)] {
                    amount(&mut p, format_args!("member.orders.{id}.lines[{j}].{f}"), v);
                }
            }
            for (j, u) in o.points_from.iter().enumerate() {
                amount(&mut p, format_args!("member.orders.{id}.points_from[{j}].points"), u.points);
            }
            instant(&mut p, format_args!("member.orders.{id}.placed_at"), o.placed_at);
            if let Some(t) = o.completed_at {
                instant(&mut p, format_args!("member.orders.{id}.completed_at"), t);
            }
        }
        self.check_clocks(&mut p);
        p.finish("MEMBER_INVALID", "会员状态无效", "the member state is invalid")
    }

    /// Part of [`Member::check`]: instants and counters. The review clock
    /// must not lie before 2000 (unless the member has not joined, when it is
    /// 0), or the next answer would run a review for every month since.
    fn check_clocks(&self, p: &mut crate::error::Problems) {
        for &(f, t) in &[("clock", self.clock), ("tier_since", self.tier_since), ("reviewed_through", self.reviewed_through)] {
            instant(p, format_args!("member.{f}"), t);
        }
        if self.reviewed_through != 0 && self.reviewed_through < crate::time::MIN_MILLIS - 2 * DAY_MS {
            p.push("OUT_OF_RANGE", "member.reviewed_through", "时间超出范围", "time is out of range");
        }
        if let Some(t) = self.joined_at {
            instant(p, format_args!("member.joined_at"), t);
        }
        if let Some(f) = &self.growth_floor {
            instant(p, format_args!("member.growth_floor.since"), f.since);
        }
        if let Some(c) = &self.paid {
            instant(p, format_args!("member.paid.since"), c.since);
            instant(p, format_args!("member.paid.until"), c.until);
        }
        for (i, g) in self.growth.iter().enumerate() {
            instant(p, format_args!("member.growth[{i}].at"), g.at);
        }
        for (i, l) in self.points.lots.iter().enumerate() {
            instant(p, format_args!("member.points.lots[{i}].earned_at"), l.earned_at);
            if let Some(t) = l.expires_at {
                instant(p, format_args!("member.points.lots[{i}].expires_at"), t);
            }
            if l.id == u32::MAX {
                p.push("OUT_OF_RANGE", format!("member.points.lots[{i}].id"), "批次编号超出范围", "lot id is out of range");
            }
        }
        for (i, e) in self.points.history.iter().enumerate() {
            instant(p, format_args!("member.points.history[{i}].at"), e.at);
        }
        for (i, c) in self.wallet.iter().enumerate() {
            for &(f, t) in &[("claimed_at", c.claimed_at), ("valid_from", c.valid_from), ("valid_until", c.valid_until)] {
                instant(p, format_args!("member.wallet[{i}].{f}"), t);
            }
        }
        for (i, g) in self.gifts.iter().enumerate() {
            instant(p, format_args!("member.gifts[{i}].at"), g.at);
        }
        let count = |p: &mut crate::error::Problems, at: Arguments, n: u32| {
            if n > MAX_STATE_COUNT {
                p.push("OUT_OF_RANGE", at.to_string(), "计数超出范围", "count is out of range");
            }
        };
        count(p, format_args!("member.check_in.streak"), self.check_in.streak);
        for (name, a) in &self.activities {
            count(p, format_args!("member.activities.{name}.today"), a.today);
            count(p, format_args!("member.activities.{name}.total"), a.total);
        }
        for (k, n) in &self.claims {
            count(p, format_args!("member.claims.{k}"), *n);
        }
        if !(0..=MAX_STATE_AMOUNT).contains(&self.daily_points.points) {
            p.push("OUT_OF_RANGE", "member.daily_points.points", "金额或数量超出范围", "amount is out of range");
        }
    }
}

/// Part of [`Member::check`]: an instant within the range a state holds.
fn instant(p: &mut crate::error::Problems, at: Arguments, t: Millis) {
    if t.unsigned_abs() > MAX_STATE_INSTANT as u64 {
        p.push("OUT_OF_RANGE", at.to_string(), "时间超出范围", "time is out of range");
    }
}

impl Member {
    pub fn is_joined(&self) -> bool {
        self.joined_at.is_some()
    }

    pub fn paid_active(&self, now: Millis) -> bool {
        self.paid.as_ref().is_some_and(|p| p.since <= now && now <= p.until)
    }

    /// Has this member never placed an order?
    pub fn is_new(&self) -> bool {
        // An order refunded in full does not count (as for segments).
        self.orders.values().all(|o| o.fully_refunded())
    }

    /// The lifecycle segment at `now`, in local calendar days. Orders
    /// refunded in full do not count. Worked example (defaults): orders on
    /// 03-01, 05-01 and 06-01 → on 06-15 `loyal` (3 within 365 days); a
    /// member with one order on 03-01 is `active` through 05-30 (90 days
    /// later) and `silent` from 05-31.
    pub fn segment(&self, rules: &Rules, now: Millis) -> Segment {
        let lc = rules.lifecycle;
        let zone = rules.zone();
        let today = zone.date(now).to_days();
        // Days since each order, in local calendar days (0 = today).
        // The newest order's age, and how many are recent enough for loyal.
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

    /// Upgrade at once if the growth measure reached a higher tier.
    pub(crate) fn upgrade(&mut self, rules: &Rules, now: Millis) {
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

/// The benefits in force for a member at one moment: the tier's, plus a
/// paid card's while it is active, plus member-day and birthday perks.
/// Where two sources give the same kind of benefit, the better one for the
/// member applies (they do not compound).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode)]
pub struct Effective {
    /// Member-price candidates: (pay share in bp, excluded categories, source).
    #[serde(skip)]
    pub discounts: Vec<(i64, Vec<String>, &'static str)>,
    /// Tier (or paid card) points multiplier, percent.
    pub points_multiplier_pct: i64,
    /// Member-day or birthday multiplier, percent (100 when none applies).
    pub occasion_multiplier_pct: i64,
    pub free_shipping_over: Option<Fen>,
    pub member_day: bool,
    pub birthday: bool,
}

impl Effective {
    /// No member, no benefits.
    pub fn guest() -> Effective {
        Effective {
            discounts: Vec::new(),
            points_multiplier_pct: 100,
            occasion_multiplier_pct: 100,
            free_shipping_over: None,
            member_day: false,
            birthday: false,
        }
    }

    /// The best member price for a line in `category`, if any: (bp, source).
    pub fn discount_for(&self, category: &str) -> Option<(i64, &'static str)> {
        // The first of the lowest rates (a loop: an iterator chain here
        // compiled its own `fold`).
        let mut best: Option<(i64, &'static str)> = None;
        for (bp, ex, src) in &self.discounts {
            if !ex.iter().any(|c| c == category) && best.is_none_or(|(b, _)| *bp < b) {
                best = Some((*bp, *src));
            }
        }
        best
    }
}

pub fn effective(rules: &Rules, m: &Member, now: Millis) -> Effective {
    let mut e = Effective::guest();
    if !m.is_joined() {
        return e;
    }
    let today = rules.zone().date(now);
    // The tier's benefits, then a paid card's while active: a fixed pair,
    // not a `Vec`.
    let paid = m.paid_active(now);
    for &(b, src, on) in &[(&m.tier_of(rules).benefits, "tier", true), (&rules.membership.paid_benefits, "paid", paid)] {
        if !on {
            continue;
        }
        if let Some(bp) = b.discount_bp {
            e.discounts.push((bp, b.discount_excluded_categories.clone(), src));
        }
        if let Some(x) = b.points_multiplier_pct {
            e.points_multiplier_pct = e.points_multiplier_pct.max(x);
        }
        if let Some(f) = b.free_shipping_over {
            e.free_shipping_over = Some(e.free_shipping_over.map_or(f, |g: Fen| g.min(f)));
        }
        if let Some(md) = &b.member_day {
            if md.is_on(today) {
                e.member_day = true;
                if let Some(bp) = md.discount_bp {
                    e.discounts.push((bp, b.discount_excluded_categories.clone(), "member_day"));
                }
                if let Some(x) = md.points_multiplier_pct {
                    e.occasion_multiplier_pct = e.occasion_multiplier_pct.max(x);
                }
            }
        }
        if let (Some(bd), Some(born)) = (&b.birthday, m.birthday) {
            if birthday_applies(bd.when, born, today) {
                e.birthday = true;
                if let Some(x) = bd.points_multiplier_pct {
                    e.occasion_multiplier_pct = e.occasion_multiplier_pct.max(x);
                }
            }
        }
    }
    e
}

pub(crate) fn birthday_applies(when: BirthdayWhen, born: MonthDay, today: Date) -> bool {
    match when {
        BirthdayWhen::Day => born.is_on(today),
        BirthdayWhen::Month => born.month == today.month,
    }
}
