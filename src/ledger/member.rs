//! A member's state: the fold of their events (see `mod.rs`), never edited
//! by hand. It is written to JSON so a host can cache it, and any host
//! replaying the same events under the same rules gets the same bytes. Each
//! part belongs to the area that books it: the tier and growth
//! (`membership/tier.rs`), the paid card (`membership/paid.rs`), the points
//! ledger (`points/`), the wallet and claims (`coupon/`), the orders
//! (`ledger/order.rs`).
//!
//! A state a host hands back is checked against the limits below before it
//! is used (`MEMBER_INVALID`).

use std::fmt::Arguments;

use crate::code;
use crate::coupon::wallet::{WalletCoupon, MAX_WALLET_SIZE};
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Error, Problems, Result};
use crate::growth::distribution::Commissions;
use crate::growth::invite_task::InviteTasks;
use crate::growth::referral::{Invites, ReferralBinding};
use crate::ledger::order::Order;
use crate::membership::paid::PaidCard;
use crate::membership::tier::{GrowthEntry, GrowthFloor};
use crate::points::earning::{ActivityCount, CheckInState, DailyPoints};
use crate::points::Ledger;
use crate::pricing::cart::{MAX_LINES, MAX_QUANTITY};
use crate::sorting::{IdMap, IdSet, SortedMap};
use crate::time::{Millis, MonthDay, DAY_MS, MIN_MILLIS};

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
#[decode(expected(en = "the member state object", zh = "会员状态对象"))]
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
    /// Set by a review downgrade (see `membership/tier.rs`).
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
    /// Who invited this member, once bound (`growth/referral.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<ReferralBinding>,
    /// The referral rewards this member was paid as an inviter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invites: Option<Invites>,
    /// Invite tasks: this member as a friend and as an inviter
    /// (`growth/invite_task.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_tasks: Option<InviteTasks>,
    /// Commissions earned as a distributor, and who was paid on this
    /// member's own orders (`growth/distribution.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commissions: Option<Commissions>,
}

/// A gift the host ships: a points-mall item or a full reduction's.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Gift {
    pub sku: String,
    pub at: Millis,
    pub reference: String,
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

/// Earliest `reviewed_through` a state holds (other than 0, not joined):
/// 1999-01-01T00:00Z, derived from the range of event times and of UTC
/// offsets. A member joins at an event time (≥ `MIN_MILLIS`) and is put in
/// the review period holding it, a year at most. West of UTC,
/// `MIN_MILLIS` is still 1999 locally, and 1999-01-01 local starts at
/// 00:01Z or later there; east of UTC, `MIN_MILLIS` is 2000 locally. (A
/// test below walks every offset and period.) Any earlier, and the next
/// answer would run a review for every month since.
pub const MIN_STATE_REVIEW: Millis = MIN_MILLIS - 365 * DAY_MS;

/// Which orders a check looks at.
#[derive(Clone, Copy)]
pub(crate) enum Orders<'a> {
    All,
    One(&'a str),
    None,
}

/// What [`Member::check_scope`] looks at: everything (a state handed in),
/// or what one event can have written (the state after booking it): every
/// total and count, the order the event names, and the lots, growth and
/// history entries, coupons and gifts it appended (from these indices on).
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    orders: Orders<'a>,
    lots: usize,
    growth: usize,
    history: usize,
    wallet: usize,
    gifts: usize,
}

impl Scope<'_> {
    pub(crate) const ALL: Scope<'static> =
        Scope { orders: Orders::All, lots: 0, growth: 0, history: 0, wallet: 0, gifts: 0 };
}

impl Member {
    /// The scope of an event about to be booked on this state: what it
    /// appends from here on, and the order it names.
    pub(crate) fn appended<'a>(&self, orders: Orders<'a>) -> Scope<'a> {
        Scope {
            orders,
            lots: self.points.lots.len(),
            growth: self.growth.len(),
            history: self.points.history.len(),
            wallet: self.wallet.len(),
            gifts: self.gifts.len(),
        }
    }

    /// Sanity of a state handed in by a host (it normally comes from
    /// `apply`/`replay`; a hand-edited or corrupted one is refused, not
    /// trusted). Every problem is reported with its path.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        self.check_scope(Scope::ALL, &mut p);
        p.finish(code::MEMBER_INVALID, "会员状态无效", "the member state is invalid")
    }

    /// The state limits, over `scope`. Booking an event runs this over
    /// what the event wrote ([`Member::appended`]), so every state the
    /// engine makes passes [`Member::check`]: an event whose result the
    /// state cannot hold is refused (`STATE_LIMIT`), not booked and then
    /// refused at the next read.
    pub(crate) fn check_scope(&self, scope: Scope, p: &mut Problems) {
        // Paths are passed as `format_args!` and written only for a
        // problem: a valid state (nearly always) formats none. (Not as
        // closures: each closure was a function, a vtable and a call shim.)
        // The loops over a state's lists stop once `p` is full: a broken
        // state of 200,000 lots has as many problems; the first 32 are kept.
        let items = |p: &mut Problems, at: &str, n: usize| {
            if n > MAX_STATE_ITEMS {
                p.push(code::TOO_MANY, at, "状态条目过多", "too many entries in the state");
            }
        };
        items(p, "member.points.lots", self.points.lots.len());
        items(p, "member.points.history", self.points.history.len());
        items(p, "member.growth", self.growth.len());
        items(p, "member.orders", self.orders.len());
        items(p, "member.event_ids", self.event_ids.len());
        if self.wallet.len() > MAX_WALLET_SIZE {
            p.push(code::TOO_MANY, "member.wallet", "券包过大", "the wallet is too large");
        }
        amount(p, format_args!("member.growth_total"), self.growth_total);
        if let Some(f) = self.growth_floor {
            non_negative(p, format_args!("member.growth_floor.base"), f.base);
        }
        non_negative(p, format_args!("member.points.debt"), self.points.debt);
        for (i, l) in self.points.lots.iter().enumerate().skip(scope.lots) {
            if p.full() {
                break;
            }
            for &(f, v) in
                &[("amount", l.amount), ("remaining", l.remaining), ("expired", l.expired), ("settled", l.settled)]
            {
                non_negative(p, format_args!("member.points.lots[{i}].{f}"), v);
            }
        }
        for (i, g) in self.growth.iter().enumerate().skip(scope.growth) {
            if p.full() {
                break;
            }
            amount(p, format_args!("member.growth[{i}].amount"), g.amount);
        }
        match scope.orders {
            Orders::All => {
                for (id, o) in self.orders.iter() {
                    if p.full() {
                        break;
                    }
                    check_order(p, id, o);
                }
            }
            Orders::One(id) => {
                if let Some(o) = self.orders.get(id) {
                    check_order(p, id, o);
                }
            }
            Orders::None => {}
        }
        self.check_clocks(scope, p);
        crate::growth::referral::check_state(self, p);
        crate::growth::invite_task::check_state(self, p);
        crate::growth::distribution::check_state(self, matches!(scope.orders, Orders::All), p);
    }

    /// Part of [`Member::check`]: instants and counters. The review clock
    /// must not lie before 2000 (unless the member has not joined, when it is
    /// 0), or the next answer would run a review for every month since.
    fn check_clocks(&self, scope: Scope, p: &mut Problems) {
        for &(f, t) in
            &[("clock", self.clock), ("tier_since", self.tier_since), ("reviewed_through", self.reviewed_through)]
        {
            instant(p, format_args!("member.{f}"), t);
        }
        if self.reviewed_through != 0 && self.reviewed_through < MIN_STATE_REVIEW {
            p.push(code::OUT_OF_RANGE, "member.reviewed_through", "时间超出范围", "time is out of range");
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
        for (i, g) in self.growth.iter().enumerate().skip(scope.growth) {
            if p.full() {
                break;
            }
            instant(p, format_args!("member.growth[{i}].at"), g.at);
        }
        for (i, l) in self.points.lots.iter().enumerate().skip(scope.lots) {
            if p.full() {
                break;
            }
            instant(p, format_args!("member.points.lots[{i}].earned_at"), l.earned_at);
            if let Some(t) = l.expires_at {
                instant(p, format_args!("member.points.lots[{i}].expires_at"), t);
            }
            if l.id == u32::MAX {
                p.push(
                    code::OUT_OF_RANGE,
                    format!("member.points.lots[{i}].id"),
                    "批次编号超出范围",
                    "lot id is out of range",
                );
            }
        }
        for (i, e) in self.points.history.iter().enumerate().skip(scope.history) {
            if p.full() {
                break;
            }
            instant(p, format_args!("member.points.history[{i}].at"), e.at);
        }
        for (i, c) in self.wallet.iter().enumerate().skip(scope.wallet) {
            if p.full() {
                break;
            }
            for &(f, t) in &[("claimed_at", c.claimed_at), ("valid_from", c.valid_from), ("valid_until", c.valid_until)]
            {
                instant(p, format_args!("member.wallet[{i}].{f}"), t);
            }
        }
        for (i, g) in self.gifts.iter().enumerate().skip(scope.gifts) {
            if p.full() {
                break;
            }
            instant(p, format_args!("member.gifts[{i}].at"), g.at);
        }
        count(p, format_args!("member.check_in.streak"), self.check_in.streak);
        for (name, a) in &self.activities {
            count(p, format_args!("member.activities.{name}.today"), a.today);
            count(p, format_args!("member.activities.{name}.total"), a.total);
        }
        for (k, n) in &self.claims {
            count(p, format_args!("member.claims.{k}"), *n);
        }
        if !(0..=MAX_STATE_AMOUNT).contains(&self.daily_points.points) {
            p.push(code::OUT_OF_RANGE, "member.daily_points.points", "金额或数量超出范围", "amount is out of range");
        }
    }
}

/// Part of [`Member::check`]: one order's lines, amounts and instants.
fn check_order(p: &mut Problems, id: &str, o: &Order) {
    if o.lines.len() > 2 * MAX_LINES {
        p.push(code::TOO_MANY, format!("member.orders.{id}.lines"), "订单行过多", "too many order lines");
    }
    for &(f, v) in &[
        ("shipping", o.shipping),
        ("payable", o.payable),
        ("refunded", o.refunded),
        ("points_returned", o.points_returned),
    ] {
        amount(p, format_args!("member.orders.{id}.{f}"), v);
    }
    for (j, l) in o.lines.iter().enumerate() {
        if !(0..=MAX_QUANTITY).contains(&l.quantity) || !(0..=l.quantity).contains(&l.refunded_quantity) {
            p.push(
                code::BAD_QUANTITY,
                format!("member.orders.{id}.lines[{j}].quantity"),
                "数量或已退数量无效",
                "quantity or refunded quantity is invalid",
            );
        }
        for &(f, v) in &[
            ("paid", l.paid),
            ("points_used", l.points_used),
            ("points_earned", l.points_earned),
            ("growth", l.growth),
        ] {
            amount(p, format_args!("member.orders.{id}.lines[{j}].{f}"), v);
        }
    }
    for (j, u) in o.points_from.iter().enumerate() {
        amount(p, format_args!("member.orders.{id}.points_from[{j}].points"), u.points);
    }
    instant(p, format_args!("member.orders.{id}.placed_at"), o.placed_at);
    if let Some(t) = o.completed_at {
        instant(p, format_args!("member.orders.{id}.completed_at"), t);
    }
}

/// Part of [`Member::check`]: an amount within the range a state holds.
fn amount(p: &mut Problems, at: Arguments, v: i64) {
    if v.unsigned_abs() > MAX_STATE_AMOUNT as u64 {
        p.push(code::OUT_OF_RANGE, at.to_string(), "金额或数量超出范围", "amount is out of range");
    }
}

/// Part of [`Member::check`]: an amount within the range a state holds
/// that must not be negative either.
fn non_negative(p: &mut Problems, at: Arguments, v: i64) {
    amount(p, at, v);
    if v < 0 {
        p.push(code::NEGATIVE, at.to_string(), "不能为负数", "must not be negative");
    }
}

/// Part of [`Member::check`] (and the growth blocks' state checks): a
/// count within the range a state holds.
pub(crate) fn count(p: &mut Problems, at: Arguments, n: u32) {
    if n > MAX_STATE_COUNT {
        p.push(code::OUT_OF_RANGE, at.to_string(), "计数超出范围", "count is out of range");
    }
}

/// Part of [`Member::check`] (and the growth blocks' state checks): an
/// instant within the range a state holds.
pub(crate) fn instant(p: &mut Problems, at: Arguments, t: Millis) {
    if t.unsigned_abs() > MAX_STATE_INSTANT as u64 {
        p.push(code::OUT_OF_RANGE, at.to_string(), "时间超出范围", "time is out of range");
    }
}

impl Member {
    pub fn is_joined(&self) -> bool {
        self.joined_at.is_some()
    }

    /// Whether a quote or a view may read this member at `now`: joined, and
    /// `now` not before their last event. `zh` is the Chinese message for
    /// the latter, which says who reads.
    pub(crate) fn readable_at(&self, now: Millis, zh: &str) -> Result<()> {
        if !self.is_joined() {
            return Err(Error::new(code::MEMBER_NOT_JOINED, "member", "会员尚未入会", "the member has not joined"));
        }
        if now < self.clock {
            return Err(Error::new(code::EVENT_OUT_OF_ORDER, "now", zh, "now is earlier than the member's last event"));
        }
        Ok(())
    }

    /// Has this member never placed an order? (An order refunded in full
    /// does not count, as for segments.)
    pub fn is_new(&self) -> bool {
        self.orders.values().all(|o| o.fully_refunded())
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_STATE_INSTANT, MIN_STATE_REVIEW};
    use crate::membership::tier::{period_start, Period, Review};
    use crate::rules::Rules;
    use crate::time::{DAY_MS, MAX_MILLIS, MIN_MILLIS};

    /// The state's range for `reviewed_through` and the range of event
    /// times agree: the review period that holds any event time, in any
    /// zone and for any period, starts within the state's range — and the
    /// bound is tight to a day (UTC−00:01, a year, at `MIN_MILLIS`).
    #[test]
    fn every_review_period_of_an_event_time_starts_within_the_state_range() {
        let mut rules = Rules::parse(crate::demo::RULES).unwrap();
        let mut earliest = i64::MAX;
        for period in [None, Some(Period::Month), Some(Period::Quarter), Some(Period::Year)] {
            rules.membership.review = period.map(|period| Review { period });
            for off in -720..=840 {
                rules.utc_offset_minutes = off;
                for t in [MIN_MILLIS, MIN_MILLIS + DAY_MS, MAX_MILLIS] {
                    let s = period_start(&rules, t);
                    assert!(s >= MIN_STATE_REVIEW && s.abs() <= MAX_STATE_INSTANT, "{off} {period:?} {t}: {s}");
                    earliest = earliest.min(s);
                }
            }
        }
        assert!(earliest - MIN_STATE_REVIEW < DAY_MS, "the bound is a day or less below the earliest start");
    }
}
