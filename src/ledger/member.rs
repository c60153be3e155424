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

impl Member {
    /// Sanity of a state handed in by a host (it normally comes from
    /// `apply`/`replay`; a hand-edited or corrupted one is refused, not
    /// trusted). Every problem is reported with its path.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        // Paths are passed as `format_args!` and written only for a
        // problem: a valid state (nearly always) formats none. (Not as
        // closures: each closure was a function, a vtable and a call shim.)
        let amount = |p: &mut Problems, at: Arguments, v: i64| {
            if v.unsigned_abs() > MAX_STATE_AMOUNT as u64 {
                p.push(code::OUT_OF_RANGE, at.to_string(), "金额或数量超出范围", "amount is out of range");
            }
        };
        let items = |p: &mut Problems, at: &str, n: usize| {
            if n > MAX_STATE_ITEMS {
                p.push(code::TOO_MANY, at, "状态条目过多", "too many entries in the state");
            }
        };
        items(&mut p, "member.points.lots", self.points.lots.len());
        items(&mut p, "member.points.history", self.points.history.len());
        items(&mut p, "member.growth", self.growth.len());
        items(&mut p, "member.orders", self.orders.len());
        items(&mut p, "member.event_ids", self.event_ids.len());
        if self.wallet.len() > MAX_WALLET_SIZE {
            p.push(code::TOO_MANY, "member.wallet", "券包过大", "the wallet is too large");
        }
        amount(&mut p, format_args!("member.growth_total"), self.growth_total);
        if let Some(f) = self.growth_floor {
            amount(&mut p, format_args!("member.growth_floor.base"), f.base);
            if f.base < 0 {
                p.push(code::NEGATIVE, "member.growth_floor.base", "不能为负数", "must not be negative");
            }
        }
        amount(&mut p, format_args!("member.points.debt"), self.points.debt);
        if self.points.debt < 0 {
            p.push(code::NEGATIVE, "member.points.debt", "不能为负数", "must not be negative");
        }
        for (i, l) in self.points.lots.iter().enumerate() {
            for &(f, v) in
                &[("amount", l.amount), ("remaining", l.remaining), ("expired", l.expired), ("settled", l.settled)]
            {
                amount(&mut p, format_args!("member.points.lots[{i}].{f}"), v);
                if v < 0 {
                    p.push(
                        code::NEGATIVE,
                        format!("member.points.lots[{i}].{f}"),
                        "不能为负数",
                        "must not be negative",
                    );
                }
            }
        }
        for (i, g) in self.growth.iter().enumerate() {
            amount(&mut p, format_args!("member.growth[{i}].amount"), g.amount);
        }
        for (id, o) in &self.orders {
            if o.lines.len() > 2 * MAX_LINES {
                p.push(code::TOO_MANY, format!("member.orders.{id}.lines"), "订单行过多", "too many order lines");
            }
            for &(f, v) in &[
                ("shipping", o.shipping),
                ("payable", o.payable),
                ("refunded", o.refunded),
                ("points_returned", o.points_returned),
            ] {
                amount(&mut p, format_args!("member.orders.{id}.{f}"), v);
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
        p.finish(code::MEMBER_INVALID, "会员状态无效", "the member state is invalid")
    }

    /// Part of [`Member::check`]: instants and counters. The review clock
    /// must not lie before 2000 (unless the member has not joined, when it is
    /// 0), or the next answer would run a review for every month since.
    fn check_clocks(&self, p: &mut Problems) {
        for &(f, t) in
            &[("clock", self.clock), ("tier_since", self.tier_since), ("reviewed_through", self.reviewed_through)]
        {
            instant(p, format_args!("member.{f}"), t);
        }
        if self.reviewed_through != 0 && self.reviewed_through < MIN_MILLIS - 2 * DAY_MS {
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
        for (i, g) in self.growth.iter().enumerate() {
            instant(p, format_args!("member.growth[{i}].at"), g.at);
        }
        for (i, l) in self.points.lots.iter().enumerate() {
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
        for (i, e) in self.points.history.iter().enumerate() {
            instant(p, format_args!("member.points.history[{i}].at"), e.at);
        }
        for (i, c) in self.wallet.iter().enumerate() {
            for &(f, t) in &[("claimed_at", c.claimed_at), ("valid_from", c.valid_from), ("valid_until", c.valid_until)]
            {
                instant(p, format_args!("member.wallet[{i}].{f}"), t);
            }
        }
        for (i, g) in self.gifts.iter().enumerate() {
            instant(p, format_args!("member.gifts[{i}].at"), g.at);
        }
        let count = |p: &mut Problems, at: Arguments, n: u32| {
            if n > MAX_STATE_COUNT {
                p.push(code::OUT_OF_RANGE, at.to_string(), "计数超出范围", "count is out of range");
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
            p.push(code::OUT_OF_RANGE, "member.daily_points.points", "金额或数量超出范围", "amount is out of range");
        }
    }
}

/// Part of [`Member::check`]: an instant within the range a state holds.
fn instant(p: &mut Problems, at: Arguments, t: Millis) {
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
