//! Lifecycle segments (`lifecycle`): where a member is, drawn from their
//! orders by recency, frequency and money in the shop's local days —
//! prospect, new, active, loyal, at risk, silent (沉睡) or lost — why, in
//! numbers, and who moved between segments since a date, with the action
//! the rules attach to that move (`lifecycle_alerts`).
//!
//! A segment is a function of the member's counting orders (not refunded in
//! full: local day and money) and of one local day, nothing else. It only
//! changes on a few days of a history (an order's day, or a threshold's
//! crossing after one), so when a member changed is found by looking at
//! those days, not at every day in between.

use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Problems, Result};
use crate::ledger::member::MAX_STATE_AMOUNT;
use crate::ledger::Member;
use crate::money::Fen;
use crate::rules::{check_id, in_range, Rules};
use crate::sorting;
use crate::time::{Date, Millis, Zone, MAX_MILLIS, MIN_MILLIS};

/// Where a member is in their lifecycle, derived from their orders.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// Joined, no counting order.
    Prospect,
    /// First order at most `new_days` days ago.
    New,
    /// Ordered at most `at_risk_days` days ago, neither new nor loyal.
    Active,
    /// At least `loyal_orders` orders and `loyal_fen` paid within
    /// `window_days` days.
    Loyal,
    /// No order for more than `at_risk_days` days, or well past the
    /// member's own usual interval.
    AtRisk,
    /// No order for more than `silent_days` days (沉睡).
    Silent,
    /// No order for more than `lost_days` days.
    Lost,
}

impl Segment {
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Prospect => "prospect",
            Segment::New => "new",
            Segment::Active => "active",
            Segment::Loyal => "loyal",
            Segment::AtRisk => "at_risk",
            Segment::Silent => "silent",
            Segment::Lost => "lost",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Segment::Prospect => "潜在客户",
            Segment::New => "新客",
            Segment::Active => "活跃客户",
            Segment::Loyal => "忠实客户",
            Segment::AtRisk => "流失预警客户",
            Segment::Silent => "沉睡客户",
            Segment::Lost => "流失客户",
        }
    }
}

/// What a move between segments suggests: a coupon template to send, a
/// task for the member's guide, or both. The first action in the list that
/// matches a move is the one suggested.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct LifecycleAction {
    /// The segment left; absent: any (including "not yet a member").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Segment>,
    /// The segment entered.
    pub to: Segment,
    /// A coupon template to send (must exist).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon: Option<String>,
    /// A task for the member's guide (1–200 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
}

/// How lifecycle segments are drawn. Defaults: new for 30 days after the
/// first order; at risk after 60 days without an order or past twice the
/// usual interval (from 3 order days); silent after 90; lost after 180;
/// loyal with 3 orders and ¥300.00 within 365 days.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    #[serde(default = "d30")]
    pub new_days: u32,
    #[serde(default = "d60")]
    pub at_risk_days: u32,
    #[serde(default = "d90")]
    pub silent_days: u32,
    #[serde(default = "d180")]
    pub lost_days: u32,
    #[serde(default = "d365")]
    pub window_days: u32,
    #[serde(default = "three")]
    pub loyal_orders: u32,
    #[serde(default = "yuan300")]
    pub loyal_fen: Fen,
    /// Order days needed before a member has a usual interval.
    #[serde(default = "three")]
    pub interval_orders: u32,
    /// At risk once the days since the last order exceed the usual
    /// interval × this / 100 (floored).
    #[serde(default = "pct200")]
    pub overdue_pct: u32,
    #[serde(default)]
    pub actions: Vec<LifecycleAction>,
}

fn d30() -> u32 {
    30
}
fn d60() -> u32 {
    60
}
fn d90() -> u32 {
    90
}
fn d180() -> u32 {
    180
}
fn d365() -> u32 {
    365
}
fn three() -> u32 {
    3
}
fn yuan300() -> Fen {
    30_000
}
fn pct200() -> u32 {
    200
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            new_days: d30(),
            at_risk_days: d60(),
            silent_days: d90(),
            lost_days: d180(),
            window_days: d365(),
            loyal_orders: three(),
            loyal_fen: yuan300(),
            interval_orders: three(),
            overdue_pct: pct200(),
            actions: Vec::new(),
        }
    }
}

/// Most actions in `lifecycle.actions`.
pub const MAX_ACTIONS: usize = 50;
/// Longest task text, in bytes.
pub const MAX_TASK_LEN: usize = 200;

pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    let lc = &rules.lifecycle;
    for (name, v) in [
        ("new_days", lc.new_days),
        ("at_risk_days", lc.at_risk_days),
        ("silent_days", lc.silent_days),
        ("lost_days", lc.lost_days),
        ("window_days", lc.window_days),
    ] {
        in_range(p, format_args!("lifecycle.{name}"), v as i64, 1, 3660);
    }
    if !(lc.at_risk_days < lc.silent_days && lc.silent_days < lc.lost_days) {
        p.push(
            code::LIFECYCLE_THRESHOLDS_OUT_OF_ORDER,
            "lifecycle",
            "须满足 at_risk_days < silent_days < lost_days",
            "must have at_risk_days < silent_days < lost_days",
        );
    }
    in_range(p, format_args!("lifecycle.loyal_orders"), lc.loyal_orders as i64, 1, 1000);
    in_range(p, format_args!("lifecycle.loyal_fen"), lc.loyal_fen, 0, crate::rules::MAX_RULE_FEN);
    in_range(p, format_args!("lifecycle.interval_orders"), lc.interval_orders as i64, 2, 100);
    in_range(p, format_args!("lifecycle.overdue_pct"), lc.overdue_pct as i64, 100, 1000);
    if lc.actions.len() > MAX_ACTIONS {
        p.push(
            code::TOO_MANY,
            "lifecycle.actions",
            format!("最多 {MAX_ACTIONS} 条"),
            format!("at most {MAX_ACTIONS} actions"),
        );
        return;
    }
    for (k, a) in lc.actions.iter().enumerate() {
        let at = format!("lifecycle.actions[{k}]");
        if a.from == Some(a.to) {
            p.push(
                code::LIFECYCLE_ACTION_SAME,
                &at,
                format!("`from` 与 `to` 相同（{}）", a.to.as_str()),
                format!("`from` and `to` are the same ({})", a.to.as_str()),
            );
        }
        if lc.actions[..k].iter().any(|b| b.from == a.from && b.to == a.to) {
            p.push(
                code::LIFECYCLE_ACTION_DUPLICATE,
                &at,
                "同一变化已有建议动作",
                "an earlier action has the same `from` and `to`",
            );
        }
        if a.coupon.is_none() && a.task.is_none() {
            p.push(code::LIFECYCLE_ACTION_EMPTY, &at, "须给出 `coupon` 或 `task`", "needs a `coupon` or a `task`");
        }
        if let Some(c) = &a.coupon {
            rules.check_template_ref(p, format_args!("{at}.coupon"), c);
        }
        if let Some(t) = &a.task {
            if t.is_empty() || t.len() > MAX_TASK_LEN {
                p.push(
                    code::OUT_OF_RANGE,
                    format!("{at}.task"),
                    format!("任务说明须为 1 到 {MAX_TASK_LEN} 字节"),
                    format!("a task must be 1 to {MAX_TASK_LEN} bytes"),
                );
            }
        }
    }
}

/// Which threshold decided a segment.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode)]
#[serde(rename_all = "snake_case")]
pub enum Decided {
    /// No counting order: prospect.
    NoOrder,
    /// `days_since_last_order` > `lost_days`.
    LostDays,
    /// `days_since_last_order` > `silent_days`.
    SilentDays,
    /// `days_since_last_order` > `at_risk_days`.
    AtRiskDays,
    /// `days_since_last_order` > `overdue_after_days` (the usual interval ×
    /// `overdue_pct` / 100).
    OverduePct,
    /// `orders_in_window` ≥ `loyal_orders` and `money_in_window` ≥
    /// `loyal_fen`.
    Loyal,
    /// `days_since_first_order` ≤ `new_days`.
    NewDays,
    /// `days_since_last_order` ≤ `at_risk_days`.
    Active,
}

/// A segment and why, in numbers, on one local day.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct Why {
    pub segment: Segment,
    pub decided_by: Decided,
    /// The value of the threshold that decided (days, orders or percent;
    /// 0 for `no_order`).
    pub threshold: i64,
    /// The local day judged.
    pub date: Date,
    pub first_order: Option<Date>,
    pub last_order: Option<Date>,
    pub days_since_last_order: Option<i64>,
    /// Counting orders placed at most `window_days` days before `date`.
    pub orders_in_window: i64,
    /// What they paid (fen), less refunds.
    pub money_in_window: Fen,
    pub window_days: i64,
    /// The median gap in days between order days (the lower of the two
    /// middle gaps when their number is even); `None` with fewer than
    /// `interval_orders` order days.
    pub usual_interval_days: Option<i64>,
    /// floor(usual interval × `overdue_pct` / 100).
    pub overdue_after_days: Option<i64>,
}

/// A member's orders as the lifecycle sees them: local day and money of
/// each order not refunded in full, in day order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderDays {
    /// Local day number of joining (`None`: not a member).
    pub joined: Option<i64>,
    /// (local day number, fen), sorted.
    pub orders: Vec<(i64, Fen)>,
}

impl OrderDays {
    /// From a member state: orders placed at or before `now` and not
    /// refunded in full, each with what was paid less what was refunded.
    pub fn of(member: &Member, zone: Zone, now: Millis) -> OrderDays {
        let mut orders = Vec::new();
        for o in member.orders.values() {
            if !o.fully_refunded() && o.placed_at <= now {
                orders.push((zone.date(o.placed_at).to_days(), (o.payable - o.refunded).max(0)));
            }
        }
        sorting::sort_by_key(&mut orders, |o| *o);
        OrderDays { joined: member.joined_at.map(|t| zone.date(t).to_days()), orders }
    }

    /// The segment on local day `day` (orders on later days not counted),
    /// or `None` before joining.
    pub fn on(&self, lc: &Lifecycle, day: i64) -> Option<Segment> {
        match self.joined {
            Some(j) if j <= day => Some(self.why(lc, day).segment),
            _ => None,
        }
    }

    /// The segment on local day `day` and why.
    pub fn why(&self, lc: &Lifecycle, day: i64) -> Why {
        let n = self.orders.partition_point(|o| o.0 <= day);
        let orders = &self.orders[..n];
        let window = lc.window_days as i64;
        let (mut in_window, mut money) = (0i64, 0 as Fen);
        for &(d, fen) in orders.iter().rev() {
            if day - d > window {
                break;
            }
            in_window += 1;
            money = money.saturating_add(fen);
        }
        let interval = usual_interval(orders, lc.interval_orders);
        let overdue = interval.map(|i| i * lc.overdue_pct as i64 / 100);
        let first = orders.first().map(|o| o.0);
        let last = orders.last().map(|o| o.0);
        let since_last = last.map(|l| day - l);
        let (segment, decided_by, threshold) = decide(lc, day, first, since_last, in_window, money, overdue);
        Why {
            segment,
            decided_by,
            threshold,
            date: Date::from_days(day),
            first_order: first.map(Date::from_days),
            last_order: last.map(Date::from_days),
            days_since_last_order: since_last,
            orders_in_window: in_window,
            money_in_window: money,
            window_days: window,
            usual_interval_days: interval,
            overdue_after_days: overdue,
        }
    }

    /// The last local day in (`since`, `today`] on which the segment
    /// changed, when the segment on `today` differs from the one on
    /// `since`: `(from, to, on)`.
    pub fn change(&self, lc: &Lifecycle, since: i64, today: i64) -> Option<(Option<Segment>, Segment, i64)> {
        let p = Prepared::new(self, lc.interval_orders);
        let from = p.on(lc, since);
        let to = p.on(lc, today)?;
        if from == Some(to) {
            return None;
        }
        let mut days = p.turning_days(lc, since, today);
        // Latest first.
        sorting::sort_dedup(&mut days);
        for &d in days.iter().rev() {
            if p.on(lc, d - 1) != Some(to) {
                return Some((from, to, d));
            }
        }
        // Unreachable when the turning days are complete; the earliest day
        // after `since` is then the honest answer.
        Some((from, to, since + 1))
    }
}

/// The segment, what decided it and that threshold's value, from the
/// numbers of one day: the table of `docs/rules.md` §4.8, in its order.
fn decide(
    lc: &Lifecycle,
    day: i64,
    first: Option<i64>,
    since_last: Option<i64>,
    in_window: i64,
    money: Fen,
    overdue: Option<i64>,
) -> (Segment, Decided, i64) {
    let (Some(first), Some(r)) = (first, since_last) else { return (Segment::Prospect, Decided::NoOrder, 0) };
    if r > lc.lost_days as i64 {
        (Segment::Lost, Decided::LostDays, lc.lost_days as i64)
    } else if r > lc.silent_days as i64 {
        (Segment::Silent, Decided::SilentDays, lc.silent_days as i64)
    } else if r > lc.at_risk_days as i64 {
        (Segment::AtRisk, Decided::AtRiskDays, lc.at_risk_days as i64)
    } else if overdue.is_some_and(|o| r > o) {
        (Segment::AtRisk, Decided::OverduePct, lc.overdue_pct as i64)
    } else if in_window >= lc.loyal_orders as i64 && money >= lc.loyal_fen {
        (Segment::Loyal, Decided::Loyal, lc.loyal_orders as i64)
    } else if day - first <= lc.new_days as i64 {
        (Segment::New, Decided::NewDays, lc.new_days as i64)
    } else {
        (Segment::Active, Decided::Active, lc.at_risk_days as i64)
    }
}

/// A history made ready to judge many days in O(log n) each: money as
/// prefix sums, and the usual interval of every prefix, kept as it grows
/// (the lower half of the gaps in a max-heap, the upper in a min-heap: a
/// max-heap of the negated gaps, so that both are one type of heap).
/// Judging day by day from scratch costs O(n log n) a day, and a member
/// with 1,000 orders has up to 7,000 days to look at.
struct Prepared<'a> {
    h: &'a OrderDays,
    /// money[k]: what the first k orders paid.
    money: Vec<Fen>,
    /// interval[k]: the usual interval of the first k + 1 orders.
    interval: Vec<Option<i64>>,
}

impl<'a> Prepared<'a> {
    fn new(h: &'a OrderDays, need: u32) -> Self {
        use std::collections::BinaryHeap;
        let mut money = Vec::with_capacity(h.orders.len() + 1);
        money.push(0 as Fen);
        let mut interval = Vec::with_capacity(h.orders.len());
        let (mut low, mut high) = (BinaryHeap::<i64>::new(), BinaryHeap::<i64>::new());
        let mut distinct = 0u64;
        let mut prev: Option<i64> = None;
        for &(d, fen) in &h.orders {
            money.push(money.last().copied().unwrap_or(0).saturating_add(fen));
            match prev {
                Some(p) if d > p => {
                    distinct += 1;
                    // Insert the gap, then rebalance: low holds (m + 1) / 2.
                    let g = d - p;
                    if low.peek().is_none_or(|&top| g <= top) {
                        low.push(g);
                    } else {
                        high.push(-g);
                    }
                    let m = low.len() + high.len();
                    while low.len() > m.div_ceil(2) {
                        if let Some(x) = low.pop() {
                            high.push(-x);
                        }
                    }
                    while low.len() < m.div_ceil(2) {
                        if let Some(x) = high.pop() {
                            low.push(-x);
                        }
                    }
                }
                None => distinct = 1,
                _ => {}
            }
            prev = Some(d);
            interval.push(if distinct >= need as u64 { low.peek().copied() } else { None });
        }
        Prepared { h, money, interval }
    }

    /// Every day in (`since`, `today`] on which the segment may change:
    /// joining, each order day, and each threshold crossed after one.
    fn turning_days(&self, lc: &Lifecycle, since: i64, today: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut push = |d: i64| {
            if since < d && d <= today {
                out.push(d);
            }
        };
        if let Some(j) = self.h.joined {
            push(j);
        }
        for (k, &(d, _)) in self.h.orders.iter().enumerate() {
            push(d);
            push(d + lc.window_days as i64 + 1);
            if self.h.orders.get(k + 1).is_some_and(|o| o.0 == d) {
                continue;
            }
            for t in [lc.new_days, lc.at_risk_days, lc.silent_days, lc.lost_days] {
                push(d + t as i64 + 1);
            }
            if let Some(i) = self.interval.get(k).copied().flatten() {
                push(d + i * lc.overdue_pct as i64 / 100 + 1);
            }
        }
        out
    }

    /// [`OrderDays::on`], in O(log n).
    fn on(&self, lc: &Lifecycle, day: i64) -> Option<Segment> {
        match self.h.joined {
            Some(j) if j <= day => {}
            _ => return None,
        }
        let orders = &self.h.orders;
        let n = orders.partition_point(|o| o.0 <= day);
        let w = orders.partition_point(|o| day - o.0 > lc.window_days as i64).min(n);
        let money = self.money.get(n).copied().unwrap_or(0) - self.money.get(w).copied().unwrap_or(0);
        let interval = n.checked_sub(1).and_then(|k| self.interval.get(k).copied().flatten());
        let overdue = interval.map(|i| i * lc.overdue_pct as i64 / 100);
        let first = orders.first().map(|o| o.0).filter(|_| n > 0);
        let last = n.checked_sub(1).and_then(|k| orders.get(k)).map(|o| day - o.0);
        Some(decide(lc, day, first, last, (n - w) as i64, money, overdue).0)
    }
}

/// The median gap between consecutive distinct order days (lower middle
/// when even), with at least `need` distinct days.
fn usual_interval(orders: &[(i64, Fen)], need: u32) -> Option<i64> {
    let mut gaps: Vec<i64> = Vec::new();
    for w in orders.windows(2) {
        if w[1].0 > w[0].0 {
            gaps.push(w[1].0 - w[0].0);
        }
    }
    if (gaps.len() as u64) + 1 < need as u64 {
        return None;
    }
    sorting::sort_by_key(&mut gaps, |g| *g);
    gaps.get((gaps.len().max(1) - 1) / 2).copied()
}

impl Member {
    /// The lifecycle segment at `now`, in local calendar days. Orders
    /// refunded in full do not count. A member who has not joined is a
    /// prospect.
    pub fn segment(&self, rules: &Rules, now: Millis) -> Segment {
        self.lifecycle(rules, now).segment
    }

    /// The lifecycle segment at `now` and why, in numbers.
    pub fn lifecycle(&self, rules: &Rules, now: Millis) -> Why {
        let zone = rules.zone();
        OrderDays::of(self, zone, now).why(&rules.lifecycle, zone.date(now).to_days())
    }
}

/// One member of a `lifecycle_alerts` batch: the host's projection of the
/// member's orders (those not refunded in full, with what was paid less
/// refunds).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct MemberOrders {
    pub id: String,
    pub joined_at: Millis,
    #[serde(default)]
    pub orders: Vec<OrderMark>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct OrderMark {
    /// When it was placed.
    pub at: Millis,
    /// Fen paid, less refunds.
    pub paid: Fen,
}

/// A member who changed segment.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct Alert {
    pub member: String,
    /// The segment on `since`; `None`: not yet a member then.
    pub from: Option<Segment>,
    pub to: Segment,
    /// The local day the member entered `to`.
    pub on: Date,
    /// The segment today, and why.
    pub why: Why,
    /// The first rule action matching the move, if any.
    pub action: Option<LifecycleAction>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct Alerts {
    pub fingerprint: String,
    pub since: Date,
    pub today: Date,
    /// Members looked at.
    pub members: i64,
    /// Those whose segment today differs from the one on `since`, in input
    /// order.
    pub changed: Vec<Alert>,
}

/// Most members per `lifecycle_alerts` call (a host pages through more).
pub const MAX_ALERT_MEMBERS: usize = 10_000;
/// Most orders per member in a `lifecycle_alerts` call.
pub const MAX_MEMBER_ORDERS: usize = 1_000;

fn check_instant_at(p: &mut Problems, at: impl FnOnce() -> String, t: Millis) -> bool {
    if (MIN_MILLIS..=MAX_MILLIS).contains(&t) {
        return true;
    }
    p.push(code::TIME_OUT_OF_RANGE, at(), "时间须在 2000 到 2199 年之间", "time must be within 2000–2199");
    false
}

/// Check a batch: every problem at once, with its path.
pub fn check_batch(since: Date, now: Millis, members: &[MemberOrders], zone: Zone) -> Result<()> {
    let mut p = Problems::new();
    if check_instant_at(&mut p, || "now".into(), now) && since > zone.date(now) {
        p.push(code::SINCE_AFTER_NOW, "since", "起始日期晚于当前日期", "`since` is after today");
    }
    if members.len() > MAX_ALERT_MEMBERS {
        p.push(
            code::TOO_MANY,
            "members",
            "一次最多 10000 个会员，请分页",
            "at most 10,000 members at once; page through them",
        );
    }
    for (k, m) in members.iter().enumerate().take(MAX_ALERT_MEMBERS) {
        if p.full() {
            break;
        }
        check_id(&mut p, format_args!("members[{k}].id"), &m.id);
        check_instant_at(&mut p, || format!("members[{k}].joined_at"), m.joined_at);
        if m.orders.len() > MAX_MEMBER_ORDERS {
            p.push(
                code::TOO_MANY,
                format!("members[{k}].orders"),
                "每个会员最多 1000 笔订单",
                "at most 1,000 orders per member",
            );
            continue;
        }
        for (j, o) in m.orders.iter().enumerate() {
            if check_instant_at(&mut p, || format!("members[{k}].orders[{j}].at"), o.at) && o.at > now {
                p.push(
                    code::ORDER_AFTER_NOW,
                    format!("members[{k}].orders[{j}].at"),
                    "订单时间晚于当前时间",
                    "the order is later than `now`",
                );
            }
            in_range(&mut p, format_args!("members[{k}].orders[{j}].paid"), o.paid, 0, MAX_STATE_AMOUNT);
        }
    }
    p.finish(code::INPUT_INVALID, "输入无效", "the input is invalid")
}

/// Who changed segment between local day `since` and `now`'s day, with the
/// suggested action. The input must have passed [`check_batch`].
pub fn alerts(rules: &Rules, since: Date, now: Millis, members: &[MemberOrders]) -> Alerts {
    let zone = rules.zone();
    let lc = &rules.lifecycle;
    let today = zone.date(now);
    let (s, t) = (since.to_days(), today.to_days());
    let mut changed = Vec::new();
    let mut h = OrderDays::default();
    for m in members {
        h.joined = Some(zone.date(m.joined_at).to_days());
        h.orders.clear();
        for o in &m.orders {
            h.orders.push((zone.date(o.at).to_days(), o.paid));
        }
        sorting::sort_by_key(&mut h.orders, |o| *o);
        if let Some((from, to, on)) = h.change(lc, s, t) {
            let action = lc.actions.iter().find(|a| a.to == to && (a.from.is_none() || a.from == from)).cloned();
            changed.push(Alert { member: m.id.clone(), from, to, on: Date::from_days(on), why: h.why(lc, t), action });
        }
    }
    Alerts { fingerprint: rules.fingerprint().to_string(), since, today, members: members.len() as i64, changed }
}
