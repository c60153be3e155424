//! Member state as events: `apply(rules, state, event)` books one event or
//! refuses it with a typed error; `replay` folds a whole log. The host stores
//! the events; replaying them anywhere gives the same state, byte for byte.
//!
//! Before an event is handled, time advances to its `at`: points lots that
//! ran out expire and any tier review whose boundary has passed runs. Events
//! must come in time order and each id is booked once. A refused event
//! changes nothing.
//!
//! **Orders.** `order_placed` carries the cart, not a price: the core prices
//! it at `at` against the state as it is, so the booking is the quote. The
//! host may pass the payable (and fingerprint) the shopper saw; if the
//! booking would differ, it is refused with `QUOTE_MISMATCH` / `RULES_CHANGED`.
//! Booking marks the coupons used and takes the points from their lots in
//! the same step — one decision the host commits atomically.
//!
//! **Refunds** (`order_refunded`, some units of some lines, or all that is
//! left) give back exactly what those units paid: a line's paid amount,
//! points used, points earned and growth are shared out over its units so
//! that refunding every unit, in any number of steps, returns the whole.
//! Points used go back to their original lots; points earned are clawed back
//! (see `points.rs` for the debt rule); growth is taken back, but the tier
//! only changes at the next review. When the whole order is refunded, its
//! coupons come back if still valid, unused coupons it issued are withdrawn,
//! and the shipping fee is refunded.

use serde::Serialize;

use crate::decode::Decode;
use crate::encode::Encode;
use crate::sorting;

use crate::checkout::{self, Cart};
use crate::coupon::Refusal;
use crate::error::{join, Error, Result};
use crate::member::{self, GrowthEntry, Member, Order, OrderLine, PaidCard, WalletCoupon};
use crate::money::{self, Fen};
use crate::rules::{Benefits, CouponTemplate, MallReward, Rules, Validity, MAX_ID_LEN};
use crate::time::{check_instant, Millis, MonthDay};

/// Most coupons a wallet holds, used or not.
pub const MAX_WALLET_SIZE: usize = 1000;

// tsify cannot write `interface … extends` a union: spelled out here.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "{ id: string; at: Millis } & What"))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
pub struct Event {
    pub id: String,
    pub at: Millis,
    #[serde(flatten)]
    pub what: What,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum What {
    Joined {
        member: String,
    },
    ProfileSet {
        #[serde(default)]
        birthday: Option<MonthDay>,
        #[serde(default)]
        tags: Option<Vec<String>>,
    },
    OrderPlaced {
        order: String,
        cart: Cart,
        #[serde(default)]
        expect_payable: Option<Fen>,
        #[serde(default)]
        expect_fingerprint: Option<String>,
    },
    OrderCompleted {
        order: String,
    },
    OrderRefunded {
        order: String,
        /// Which units to refund; without it, everything not yet refunded.
        #[serde(default)]
        lines: Option<Vec<RefundLine>>,
    },
    CheckedIn {},
    Activity {
        name: String,
    },
    MallExchanged {
        item: String,
        #[serde(default)]
        coupon: Option<String>,
    },
    CouponClaimed {
        template: String,
        /// The new coupon's id (default: the event id).
        #[serde(default)]
        coupon: Option<String>,
        /// Stock left for the template, as the host counts it.
        #[serde(default)]
        stock_left: Option<i64>,
    },
    CouponUsed {
        coupon: String,
        reference: String,
    },
    CouponRestored {
        coupon: String,
    },
    MembershipPurchased {
        plan: String,
    },
    TimeAdvanced {},
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct RefundLine {
    /// Index of the order line (the quote line).
    pub line: usize,
    pub quantity: i64,
}

fn refuse(code: &'static str, path: &str, zh: impl Into<String>, en: impl Into<String>) -> Error {
    Error::new(code, path, zh, en)
}

/// Book one event, or refuse it; `member` is untouched either way.
pub fn apply(rules: &Rules, member: &Member, event: &Event) -> Result<Member> {
    apply_owned(rules, member.clone(), event)
}

/// [`apply`] to a member the caller owns and has no other use for (the
/// operation's input): booked in place, not copied first.
pub(crate) fn apply_owned(rules: &Rules, mut m: Member, event: &Event) -> Result<Member> {
    book(rules, &mut m, event, &mut None)?;
    Ok(m)
}

/// Book one event on `m` in place. On a refusal `m` may be partly changed,
/// so only a caller that then drops it (`replay`) may use this directly;
/// folding a log this way does not copy the whole state at every event.
/// `fingerprint` keeps the rules' fingerprint once an order has needed it
/// (it hashes the whole rule set; a replay books many orders).
fn book(rules: &Rules, m: &mut Member, event: &Event, fingerprint: &mut Option<String>) -> Result<()> {
    if event.id.is_empty() || event.id.len() > MAX_ID_LEN {
        return Err(refuse("BAD_ID", "event.id", "事件标识须为 1 到 64 字节", "an event id must be 1 to 64 bytes"));
    }
    check_instant(event.at, "event.at")?;
    if m.event_ids.contains(&event.id) {
        return Err(refuse("DUPLICATE_EVENT", "event.id", format!("事件 `{}` 已记账", event.id), format!("event `{}` was already booked", event.id)));
    }
    if event.at < m.clock {
        return Err(refuse("EVENT_OUT_OF_ORDER", "event.at", "事件时间早于上一个事件", "the event is earlier than the last one booked"));
    }
    let joining = matches!(event.what, What::Joined { .. });
    if !m.is_joined() && !joining {
        return Err(refuse("MEMBER_NOT_JOINED", "event", "会员尚未入会", "the member has not joined"));
    }
    if m.is_joined() && joining {
        return Err(refuse("ALREADY_JOINED", "event", "会员已入会", "the member has already joined"));
    }
    let at = event.at;
    if m.is_joined() {
        advance(rules, m, at);
    }
    m.clock = at;
    m.event_ids.insert(event.id.clone());
    let zone = rules.zone();
    let expiry = rules.points.expiry;
    match &event.what {
        What::Joined { member: id } => {
            if id.is_empty() || id.len() > MAX_ID_LEN {
                return Err(refuse("BAD_ID", "event.member", "会员标识须为 1 到 64 字节", "a member id must be 1 to 64 bytes"));
            }
            m.id = id.clone();
            m.joined_at = Some(at);
            m.tier = rules.membership.tiers[0].id.clone();
            m.tier_since = at;
            m.reviewed_through = member::period_start(rules, at);
            // A one-time welcome: outside the daily cap.
            if let Some(a) = rules.points.activities.get("sign_up") {
                m.points.earn(zone, expiry, at, a.points, "sign_up", &event.id)?;
            }
        }
        What::ProfileSet { birthday, tags } => {
            if let Some(b) = birthday {
                match m.birthday {
                    Some(old) if old != *b => {
                        return Err(refuse("BIRTHDAY_ALREADY_SET", "event.birthday", "生日设置后不能修改", "a birthday cannot be changed once set"));
                    }
                    _ => m.birthday = Some(*b),
                }
            }
            if let Some(t) = tags {
                if t.len() > 100 || t.iter().any(|x| x.is_empty() || x.len() > MAX_ID_LEN) {
                    return Err(refuse("BAD_TAGS", "event.tags", "标签最多 100 个，每个 1 到 64 字节", "at most 100 tags of 1 to 64 bytes each"));
                }
                let mut t = t.clone();
                sorting::sort_dedup(&mut t);
                m.tags = t;
            }
        }
        What::OrderPlaced { order, cart, expect_payable, expect_fingerprint } => {
            let fp = fingerprint.get_or_insert_with(|| rules.fingerprint());
            place_order(rules, fp, m, at, order, cart, *expect_payable, expect_fingerprint.as_deref())?;
        }
        What::OrderCompleted { order } => {
            let o = m.orders.get(order).ok_or_else(|| not_found(order))?;
            if o.completed_at.is_some() {
                return Err(refuse("ORDER_ALREADY_COMPLETED", "event.order", "订单已完成", "the order is already completed"));
            }
            let mut pts = 0;
            let mut growth = 0;
            for l in &o.lines {
                pts += l.points_earned - money::cumulative_share(l.points_earned, l.refunded_quantity, l.quantity)?;
                growth += l.growth - money::cumulative_share(l.growth, l.refunded_quantity, l.quantity)?;
            }
            let (templates, kept) = (o.coupons_to_issue.clone(), !o.fully_refunded());
            let reference = format!("order:{order}");
            let lot = m.points.earn(zone, expiry, at, pts, &reference, &reference)?;
            add_growth(rules, m, at, growth, &reference);
            let mut issued = Vec::new();
            if kept {
                for (k, tid) in templates.iter().enumerate() {
                    // Validation guarantees the template exists.
                    if let Some(t) = rules.template(tid) {
                        let id = format!("{order}/{k}");
                        issue(rules, m, t, &id, at)?;
                        issued.push(id);
                    }
                }
            }
            // Found above; `ok_or_else` rather than `expect`, which keeps a panic call.
            let o = m.orders.get_mut(order).ok_or_else(|| not_found(order))?;
            o.completed_at = Some(at);
            o.earned_lot = lot;
            o.issued_coupons = issued;
        }
        What::OrderRefunded { order, lines } => refund(m, at, order, lines.as_deref())?,
        What::CheckedIn {} => {
            let Some(rule) = &rules.points.check_in else {
                return Err(refuse("CHECK_IN_DISABLED", "event", "本店未开通签到", "this shop has no check-in"));
            };
            let today = zone.date(at);
            if m.check_in.last == Some(today) {
                return Err(refuse("CHECK_IN_DUPLICATE", "event", "今天已签到", "already checked in today"));
            }
            let mut streak = if m.check_in.last == Some(today.add_days(-1)) { m.check_in.streak + 1 } else { 1 };
            if rule.cycle_days.is_some_and(|c| streak > c) {
                streak = 1;
            }
            let mut bonus = 0;
            for b in &rule.streak_bonus {
                if b.day == streak {
                    bonus += b.points;
                }
            }
            m.check_in.last = Some(today);
            m.check_in.streak = streak;
            credit_activity(rules, m, "check_in", rule.daily + bonus, at, &event.id, OverCap::CreditWhatFits)?;
        }
        What::Activity { name } => {
            let Some(rule) = rules.points.activities.get(name) else {
                return Err(refuse("UNKNOWN_ACTIVITY", "event.name", format!("未知活动 `{name}`"), format!("unknown activity `{name}`")));
            };
            if name == "sign_up" {
                return Err(refuse("ACTIVITY_LIMIT_REACHED", "event.name", "注册积分只在入会时发放", "sign-up points are given only when joining"));
            }
            let today = zone.date(at);
            let count = m.activities.entry(name.clone()).or_insert(member::ActivityCount { day: today, today: 0, total: 0 });
            if count.day != today {
                count.day = today;
                count.today = 0;
            }
            if rule.times_per_day.is_some_and(|n| count.today >= n) || rule.times_total.is_some_and(|n| count.total >= n) {
                return Err(refuse("ACTIVITY_LIMIT_REACHED", "event.name", format!("「{name}」次数已达上限"), format!("`{name}` has reached its limit")));
            }
            count.today += 1;
            count.total += 1;
            credit_activity(rules, m, &format!("activity:{name}"), rule.points, at, &event.id, OverCap::Refuse)?;
        }
        What::MallExchanged { item, coupon } => {
            let Some(it) = rules.points.mall.iter().find(|x| &x.id == item) else {
                return Err(refuse("UNKNOWN_MALL_ITEM", "event.item", format!("积分商城没有 `{item}`"), format!("no points-mall item `{item}`")));
            };
            let reference = format!("mall:{}", event.id);
            m.points.spend(at, it.cost, &reference).map_err(|e| e.at("event.item"))?;
            match &it.reward {
                MallReward::Coupon { template } => {
                    let t = rules.template(template).expect("validated");
                    let id = coupon.clone().unwrap_or_else(|| event.id.clone());
                    issue(rules, m, t, &id, at)?;
                }
                MallReward::Gift { sku } => m.gifts.push(member::Gift { sku: sku.clone(), at, reference }),
            }
        }
        What::CouponClaimed { template, coupon, stock_left } => {
            let Some(t) = rules.template(template) else {
                return Err(refuse("UNKNOWN_TEMPLATE", "event.template", format!("未知券模板 `{template}`"), format!("unknown coupon template `{template}`")));
            };
            if stock_left.is_some_and(|n| n <= 0) {
                return Err(refuse("COUPON_OUT_OF_STOCK", "event.template", "券已领完", "the coupon is out of stock"));
            }
            let key = claimable(rules, m, t, at).map_err(|r| Error::new(r.code, "event.template", r.zh, r.en))?;
            let id = coupon.clone().unwrap_or_else(|| event.id.clone());
            issue(rules, m, t, &id, at)?;
            *m.claims.entry(key).or_insert(0) += 1;
        }
        What::CouponUsed { coupon, reference } => {
            let c = wallet_coupon(m, coupon)?;
            if c.used_by.is_some() {
                return Err(refuse("COUPON_USED", "event.coupon", "券已使用", "the coupon is already used"));
            }
            if at > c.valid_until {
                return Err(refuse("COUPON_EXPIRED", "event.coupon", "券已过期", "the coupon has expired"));
            }
            if at < c.valid_from {
                return Err(refuse("COUPON_NOT_YET_VALID", "event.coupon", "券尚未生效", "the coupon is not valid yet"));
            }
            c.used_by = Some(reference.clone());
        }
        What::CouponRestored { coupon } => {
            let c = wallet_coupon(m, coupon)?;
            let Some(by) = c.used_by.clone() else {
                return Err(refuse("COUPON_NOT_USED", "event.coupon", "券未被使用", "the coupon is not used"));
            };
            // A coupon an order still holds comes back only with that
            // order's whole refund, or it could pay for two orders.
            if m.orders.get(&by).is_some_and(|o| !o.fully_refunded()) {
                return Err(refuse("COUPON_IN_ORDER", "event.coupon", format!("券仍在订单 {by} 中使用，整单退款后才会退回"),
                    format!("the coupon is still used by order {by}; it comes back with that order's whole refund")));
            }
            wallet_coupon(m, coupon)?.used_by = None;
        }
        What::MembershipPurchased { plan } => {
            let Some(p) = rules.membership.paid_plans.iter().find(|x| &x.id == plan) else {
                return Err(refuse("UNKNOWN_PLAN", "event.plan", format!("未知会员卡 `{plan}`"), format!("unknown membership plan `{plan}`")));
            };
            let days = p.days as i64;
            m.paid = Some(match &m.paid {
                Some(card) if card.until >= at => PaidCard {
                    plan: plan.clone(),
                    since: card.since,
                    until: zone.end_of(zone.date(card.until).add_days(days)),
                },
                _ => PaidCard { plan: plan.clone(), since: at, until: zone.end_of(zone.date(at).add_days(days - 1)) },
            });
        }
        What::TimeAdvanced {} => {}
    }
    Ok(())
}

/// Fold a whole event log from an empty state.
pub fn replay(rules: &Rules, events: &[Event]) -> Result<Member> {
    let mut m = Member::default();
    let mut fingerprint = None;
    for (i, e) in events.iter().enumerate() {
        book(rules, &mut m, e, &mut fingerprint).map_err(|err| err.under(&format!("events[{i}]")))?;
    }
    Ok(m)
}

/// Expire lots and run reviews up to `now`.
pub(crate) fn advance(rules: &Rules, m: &mut Member, now: Millis) {
    if m.points.next_expiry().is_some_and(|t| t < now) {
        m.points.expire(now);
    }
    m.review(rules, now);
}

fn not_found(order: &str) -> Error {
    refuse("ORDER_NOT_FOUND", "event.order", format!("没有订单 `{order}`"), format!("no order `{order}`"))
}

fn wallet_coupon<'m>(m: &'m mut Member, id: &str) -> Result<&'m mut WalletCoupon> {
    m.wallet
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or_else(|| refuse("COUPON_NOT_FOUND", "event.coupon", format!("钱包里没有券 `{id}`"), format!("no coupon `{id}` in the wallet")))
}

fn add_growth(rules: &Rules, m: &mut Member, at: Millis, amount: i64, reference: &str) {
    if amount == 0 {
        return;
    }
    m.growth_total += amount;
    m.growth.push(GrowthEntry { at, amount, reference: reference.to_string() });
    m.upgrade(rules, at);
}

/// What to do with an event that finds the daily cap used up.
#[derive(PartialEq)]
enum OverCap {
    /// An activity is refused (`DAILY_CAP_REACHED`).
    Refuse,
    /// A check-in still counts for the streak and credits what fits,
    /// possibly nothing.
    CreditWhatFits,
}

/// Credit activity or check-in points under the daily cap.
fn credit_activity(rules: &Rules, m: &mut Member, source: &str, points: i64, at: Millis, event_id: &str, over: OverCap) -> Result<()> {
    let today = rules.zone().date(at);
    if m.daily_points.day != Some(today) {
        m.daily_points = member::DailyPoints { day: Some(today), points: 0 };
    }
    let room = rules.points.daily_cap.map_or(points, |cap| (cap - m.daily_points.points).max(0));
    let credit = points.min(room);
    if credit == 0 && points > 0 && over == OverCap::Refuse {
        return Err(refuse("DAILY_CAP_REACHED", "event", "今日活动积分已达上限", "today's activity points cap is reached"));
    }
    m.daily_points.points += credit;
    m.points.earn(rules.zone(), rules.points.expiry, at, credit, source, event_id)?;
    Ok(())
}

/// Who may claim a template: tier, tags, new or paid members.
pub fn audience(rules: &Rules, m: &Member, t: &CouponTemplate, now: Millis) -> std::result::Result<(), Refusal> {
    let a = &t.audience;
    if !m.is_joined() {
        return Err(Refusal::new("MEMBER_NOT_JOINED", "尚未入会", "not a member yet"));
    }
    if !a.tiers.is_empty() && !a.tiers.contains(&m.tier) {
        let mut names = Vec::new();
        for id in &a.tiers {
            if let Some(t) = rules.tier(id) {
                names.push(t.name.as_str());
            }
        }
        return Err(Refusal::new("COUPON_TIER_REQUIRED", format!("仅限{}领取", join(&names, "、")), format!("only for tiers: {}", join(&a.tiers, ", "))));
    }
    if !a.tags.is_empty() && !a.tags.iter().any(|t| m.tags.contains(t)) {
        return Err(Refusal::new("COUPON_TAG_REQUIRED", "仅限指定人群领取", format!("only for members tagged: {}", join(&a.tags, ", "))));
    }
    if !a.segments.is_empty() {
        let seg = m.segment(rules, now);
        if !a.segments.contains(&seg) {
            let (mut want, mut want_zh) = (Vec::new(), Vec::new());
            for s in &a.segments {
                want.push(s.as_str());
                want_zh.push(s.zh());
            }
            return Err(Refusal::new("COUPON_SEGMENT_REQUIRED", format!("仅限{}领取（当前为{}）", join(&want_zh, "、"), seg.zh()),
                format!("only for members who are {} (this member is {})", join(&want, " or "), seg.as_str())));
        }
    }
    if a.new_members_only && !m.is_new() {
        return Err(Refusal::new("COUPON_NEW_MEMBERS_ONLY", "仅限新会员（未下过单）领取", "only for new members who have not ordered yet"));
    }
    if a.paid_members_only && !m.paid_active(now) {
        return Err(Refusal::new("COUPON_PAID_MEMBERS_ONLY", "仅限付费会员领取", "only for active paid members"));
    }
    if is_birthday_template(rules, &t.id) && birthday_coupon(rules, m, now) != Some(t.id.as_str()) {
        return Err(Refusal::new("COUPON_BIRTHDAY_ONLY", "生日礼券仅在生日期间领取", "a birthday coupon can be claimed only during the birthday perk"));
    }
    Ok(())
}

fn is_birthday_template(rules: &Rules, id: &str) -> bool {
    let m = &rules.membership;
    let gives = |b: &Benefits| b.birthday.as_ref().and_then(|x| x.coupon.as_deref()) == Some(id);
    m.tiers.iter().any(|t| gives(&t.benefits)) || gives(&m.paid_benefits)
}

/// The birthday coupon the member may claim right now, if any.
fn birthday_coupon<'r>(rules: &'r Rules, m: &Member, now: Millis) -> Option<&'r str> {
    let born = m.birthday?;
    let today = rules.zone().date(now);
    // The tier's perk, then a paid card's while active: a fixed pair and a
    // plain loop, not a `Vec` and an iterator chain.
    let sources = [(&m.tier_of(rules).benefits, true), (&rules.membership.paid_benefits, m.paid_active(now))];
    for (b, on) in sources {
        match &b.birthday {
            Some(bd) if on && member::birthday_applies(bd.when, born, today) => return bd.coupon.as_deref(),
            _ => {}
        }
    }
    None
}

/// May this member claim a coupon from `t` at `now`? Checks the audience,
/// the claim limit (birthday coupons: one a year; others: the template's
/// per-member limit, default 1) and the claim window. Returns the key the
/// claim is counted under.
pub fn claimable(rules: &Rules, m: &Member, t: &CouponTemplate, now: Millis) -> std::result::Result<String, Refusal> {
    audience(rules, m, t, now)?;
    let (key, limit) = if is_birthday_template(rules, &t.id) {
        (format!("{}@{}", t.id, rules.zone().date(now).year as i64), 1)
    } else {
        (t.id.clone(), t.per_member_limit.unwrap_or(1))
    };
    if m.claims.get(&key).copied().unwrap_or(0) >= limit {
        return Err(Refusal::new("COUPON_CLAIM_LIMIT", format!("每人限领 {limit} 张"), format!("limit of {limit} per member reached")));
    }
    if let Validity::Window { until, .. } = t.validity {
        if now > rules.zone().end_of(until) {
            return Err(Refusal::new("COUPON_EXPIRED", "券已过期，不能再领", "the coupon has expired and can no longer be claimed"));
        }
    }
    Ok(key)
}

/// Put a coupon from template `t` in the wallet, valid per the template.
fn issue(rules: &Rules, m: &mut Member, t: &CouponTemplate, id: &str, at: Millis) -> Result<()> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(refuse("BAD_ID", "event.coupon", "券标识须为 1 到 64 字节", "a coupon id must be 1 to 64 bytes"));
    }
    if m.wallet.iter().any(|c| c.id == id) {
        return Err(refuse("DUPLICATE_COUPON", "event.coupon", format!("钱包里已有券 `{id}`"), format!("the wallet already holds coupon `{id}`")));
    }
    if m.wallet.len() >= MAX_WALLET_SIZE {
        return Err(refuse("WALLET_FULL", "event.coupon", format!("券包最多 {MAX_WALLET_SIZE} 张"), format!("a wallet holds at most {MAX_WALLET_SIZE} coupons")));
    }
    let zone = rules.zone();
    let (from, until) = match t.validity {
        Validity::Window { from, until } => (zone.start_of(from), zone.end_of(until)),
        Validity::Days { days } => (at, zone.end_of(zone.date(at).add_days(days as i64 - 1))),
    };
    m.wallet.push(WalletCoupon { id: id.to_string(), template: t.id.clone(), claimed_at: at, valid_from: from, valid_until: until, used_by: None });
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn place_order(
    rules: &Rules,
    fingerprint: &str,
    m: &mut Member,
    at: Millis,
    order: &str,
    cart: &Cart,
    expect_payable: Option<Fen>,
    expect_fingerprint: Option<&str>,
) -> Result<()> {
    if order.is_empty() || order.len() > MAX_ID_LEN {
        return Err(refuse("BAD_ID", "event.order", "订单标识须为 1 到 64 字节", "an order id must be 1 to 64 bytes"));
    }
    if m.orders.contains_key(order) {
        return Err(refuse("DUPLICATE_ORDER", "event.order", format!("订单 `{order}` 已存在"), format!("order `{order}` already exists")));
    }
    let q = checkout::quote_with(rules, Some(fingerprint), Some(m), cart, at).map_err(|e| e.under("event"))?;
    if let Some(fp) = expect_fingerprint {
        if fp != q.fingerprint {
            return Err(refuse("RULES_CHANGED", "event.expect_fingerprint", "规则已变更，请重新下单", "the rules changed since the quote; quote again"));
        }
    }
    if let Some(p) = expect_payable {
        if p != q.totals.payable {
            let (now, expected) = (money::yuan(q.totals.payable), money::yuan(p));
            return Err(refuse("QUOTE_MISMATCH", "event.expect_payable",
                format!("应付金额已变为 {now}（预期 {expected}）"),
                format!("the payable is now {now} (expected {expected})")));
        }
    }
    let reference = format!("order:{order}");
    let points_from = m.points.spend(at, q.points.used, &reference).map_err(|e| e.under("event.cart.points"))?;
    let mut coupons = Vec::new();
    for c in &q.coupons.applied {
        if let Some(w) = m.wallet.iter_mut().find(|w| w.id == c.id) {
            w.used_by = Some(order.to_string());
        }
        coupons.push(c.id.clone());
    }
    // Coupons a full reduction gives are issued when the order completes,
    // like its points, so a refunded order cannot leave one behind.
    // Plain loops here and below: each iterator chain compiled its own
    // `fold` and `from_iter` (a few hundred bytes of the `.wasm` each).
    let mut to_issue = Vec::new();
    for c in &q.coupons_to_issue {
        to_issue.push(c.template.clone());
    }
    for g in &q.gifts {
        m.gifts.push(member::Gift { sku: g.sku.clone(), at, reference: reference.clone() });
    }
    let mut lines = Vec::with_capacity(q.lines.len());
    for l in &q.lines {
        lines.push(OrderLine {
            sku: l.sku.clone(),
            quantity: l.quantity,
            paid: l.paid,
            points_used: l.points_used,
            points_earned: l.points_to_earn,
            growth: l.growth_to_earn,
            refunded_quantity: 0,
            campaign: l.campaign.clone().filter(|_| matches!(l.price, checkout::PriceKind::Flash | checkout::PriceKind::Limited | checkout::PriceKind::LimitedAndMember)),
        });
    }
    m.orders.insert(
        order.to_string(),
        Order {
            id: order.to_string(),
            placed_at: at,
            completed_at: None,
            lines,
            shipping: q.totals.shipping,
            payable: q.totals.payable,
            coupons,
            points_from,
            points_returned: 0,
            earned_lot: None,
            issued_coupons: Vec::new(),
            coupons_to_issue: to_issue,
            refunded: 0,
            fingerprint: q.fingerprint,
        },
    );
    Ok(())
}

fn refund(m: &mut Member, at: Millis, order: &str, lines: Option<&[RefundLine]>) -> Result<()> {
    let o = m.orders.get(order).ok_or_else(|| not_found(order))?;
    // Which units, per line.
    let mut qty = vec![0i64; o.lines.len()];
    match lines {
        None => {
            for (q, l) in qty.iter_mut().zip(&o.lines) {
                *q = l.quantity - l.refunded_quantity;
            }
        }
        Some(rs) => {
            for (k, r) in rs.iter().enumerate() {
                let Some(l) = o.lines.get(r.line) else {
                    return Err(refuse("BAD_LINE", &format!("event.lines[{k}].line"), "订单没有这一行", "the order has no such line"));
                };
                qty[r.line] = qty[r.line].saturating_add(r.quantity);
                if r.quantity < 1 || qty[r.line] > l.quantity - l.refunded_quantity {
                    return Err(refuse("REFUND_TOO_MANY", &format!("event.lines[{k}].quantity"),
                        format!("可退数量为 {}", l.quantity - l.refunded_quantity),
                        format!("{} unit(s) can be refunded", l.quantity - l.refunded_quantity)));
                }
            }
        }
    }
    if qty.iter().all(|&q| q == 0) {
        return Err(refuse("NOTHING_TO_REFUND", "event", "没有可退的商品", "nothing left to refund"));
    }
    let mut money_back = 0;
    let mut used_back = 0;
    let mut earned_back = 0;
    let mut growth_back = 0;
    for (l, &q) in o.lines.iter().zip(&qty) {
        let (r0, r1) = (l.refunded_quantity, l.refunded_quantity + q);
        let delta = |v: i64| -> Result<i64> { Ok(money::cumulative_share(v, r1, l.quantity)? - money::cumulative_share(v, r0, l.quantity)?) };
        money_back += delta(l.paid)?;
        used_back += delta(l.points_used)?;
        earned_back += delta(l.points_earned)?;
        growth_back += delta(l.growth)?;
    }
    let reference = format!("refund:{order}");
    // `o` borrows `m.orders` only: the ledger and growth, other fields of
    // `m`, are booked while it is held, without copying its lists.
    let (returned, completed, lot) = (o.points_returned, o.completed_at.is_some(), o.earned_lot);
    if used_back > 0 {
        m.points.give_back(at, &o.points_from, returned, used_back, &reference);
    }
    if completed {
        m.points.claw_back(at, lot, earned_back, &reference);
        if growth_back != 0 {
            m.growth_total -= growth_back;
            m.growth.push(GrowthEntry { at, amount: -growth_back, reference: reference.clone() });
        }
    }
    // Found above; `ok_or_else` rather than `expect`, which keeps a panic call.
    let o = m.orders.get_mut(order).ok_or_else(|| not_found(order))?;
    for (l, q) in o.lines.iter_mut().zip(&qty) {
        l.refunded_quantity += q;
    }
    o.points_returned += used_back;
    o.refunded += money_back;
    if o.fully_refunded() {
        o.refunded += o.shipping;
        // The wallet is another field of `m`: the order's lists are read
        // where they are.
        for c in m.wallet.iter_mut() {
            if o.coupons.contains(&c.id) && c.used_by.as_deref() == Some(order) && at <= c.valid_until {
                c.used_by = None;
            }
        }
        m.wallet.retain(|c| !(o.issued_coupons.contains(&c.id) && c.used_by.is_none()));
    }
    Ok(())
}
