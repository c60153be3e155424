//! Referral (老带新): binding an invitee to the member who invited them, and
//! rewarding both when the invitee does what the rules ask
//! (`docs/rules.md` §10).
//!
//! - **Binding** is the `referral_bound` event on the invitee: one inviter
//!   per invitee, first touch wins (inside `window_days` of the first scan,
//!   or forever), no self-referral, no cycle (the inviter's chain, passed by
//!   the host, must not hold the invitee), the invitee must be new, and
//!   none of their device or phone fingerprints may be one the host has
//!   already seen.
//! - **Qualifying** is what the invitee does: joining (the binding itself
//!   qualifies, as it always follows `joined`), or their first order that
//!   completes (with `min_payable` fen paid, if set).
//! - **Settling.** An order's qualification settles `settle_days` after the
//!   order completes, on the first event booked on the invitee at or after
//!   that time (a `time_advanced` will do). A refund before then that
//!   refunds the order in full, or leaves less than `min_payable` paid,
//!   takes the qualification back; the next order to complete may qualify.
//! - **Rewards.** When it settles, the invitee gets their reward in the same
//!   booking and the inviter's reward is an effect: a `referral_reward`
//!   event for the inviter's log (`ledger/mod.rs`). Booking it applies the
//!   points (a lot, under the points expiry rules), the coupon and the
//!   growth, unless the inviter's daily or total cap or the campaign budget
//!   is reached: then it is booked as capped and pays nothing, so the
//!   invitee's booking never fails for the inviter's caps.
//!
//! Sharing itself is never rewarded: WeChat's platform rules forbid it, so
//! the rules have no such trigger.

use crate::code;
use crate::coupon::template::CouponTemplate;
use crate::coupon::wallet::issue;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Problems, Result};
use crate::ledger::member::{count, instant};
use crate::ledger::{effect_id, id_len, refuse, Booking, EventKind, Member};
use crate::money::Fen;
use crate::rules::{check_id, in_range, Rules, MAX_RULE_FEN};
use crate::time::{check_instant, Date, Millis, DAY_MS};

/// Longest inviter chain a `referral_bound` event carries (the inviter's
/// inviter, and so on, as far as the host knows them).
pub const MAX_REFERRAL_CHAIN: usize = 32;
/// Most fingerprints (device or phone hashes) in each list of a
/// `referral_bound` event.
pub const MAX_FINGERPRINTS: usize = 16;

/// The `referral` block of the rules.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// Days from the invitee's first scan in which they may be bound; none:
    /// the first touch binds whenever the invitee is still new.
    #[serde(default)]
    pub window_days: Option<u32>,
    /// An invitee is new if they joined at most this many days before the
    /// binding and have no order that was not refunded in full.
    #[serde(default = "seven")]
    pub new_within_days: u32,
    /// What the invitee must do for both to be rewarded.
    pub qualify: Qualify,
    /// For `first_order`: the least payable, in fen, an order must keep.
    #[serde(default)]
    pub min_payable: Fen,
    /// Days after the qualifying order completes before the rewards are
    /// made (a refund before then takes the qualification back).
    #[serde(default)]
    pub settle_days: u32,
    /// The inviter's reward (an effect on their log).
    #[serde(default)]
    pub inviter: InviteReward,
    /// The invitee's own reward.
    #[serde(default)]
    pub invitee: InviteReward,
    /// Rewards an inviter is paid per local day; more are booked as capped.
    #[serde(default)]
    pub daily_cap: Option<u32>,
    /// Rewards an inviter is paid in all.
    #[serde(default)]
    pub total_cap: Option<u32>,
    /// Inviter rewards the whole campaign pays: the host counts them and
    /// passes the count as `budget_used` on each `referral_reward`.
    #[serde(default)]
    pub budget: Option<u32>,
}

fn seven() -> u32 {
    7
}

/// What the invitee does that qualifies.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Qualify {
    /// Joining: the binding, which follows `joined`, settles at once.
    Joined,
    /// The first order that completes (with at least `min_payable` paid).
    FirstOrder,
}

/// Points, a coupon and growth.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct InviteReward {
    #[serde(default)]
    pub points: i64,
    /// A coupon template's id.
    #[serde(default)]
    pub coupon: Option<String>,
    #[serde(default)]
    pub growth: i64,
}

/// The invitee's side, in their state: who invited them, and where the
/// qualification stands.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct ReferralBinding {
    pub inviter: String,
    /// The inviter's inviter (the event's `chain[0]`): level 2 of
    /// distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upline: Option<String>,
    pub scene: String,
    pub first_scan_at: Millis,
    pub bound_at: Millis,
    /// The completed order that qualifies, until it settles or is refunded.
    pub order: Option<String>,
    /// When that order's qualification settles.
    pub settles_at: Option<Millis>,
    /// When the rewards were made (once).
    pub rewarded_at: Option<Millis>,
}

/// The inviter's side, in their state: rewards paid and capped.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Invites {
    /// Rewards paid in all (for `total_cap`).
    pub rewarded: u32,
    /// The local day of the last reward booked, and rewards paid on it.
    pub day: Option<Date>,
    pub today: u32,
    /// Rewards booked as capped (nothing paid).
    pub capped: u32,
}

/// The `referral` block's checks.
pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    let Some(r) = &rules.referral else { return };
    if let Some(w) = r.window_days {
        in_range(p, format_args!("referral.window_days"), i64::from(w), 1, 3660);
    }
    in_range(p, format_args!("referral.new_within_days"), i64::from(r.new_within_days), 0, 3660);
    in_range(p, format_args!("referral.min_payable"), r.min_payable, 0, MAX_RULE_FEN);
    in_range(p, format_args!("referral.settle_days"), i64::from(r.settle_days), 0, 366);
    for (name, w) in [("inviter", &r.inviter), ("invitee", &r.invitee)] {
        in_range(p, format_args!("referral.{name}.points"), w.points, 0, MAX_RULE_FEN);
        in_range(p, format_args!("referral.{name}.growth"), w.growth, 0, MAX_RULE_FEN);
        if let Some(t) = &w.coupon {
            rules.check_template_ref(p, format_args!("referral.{name}.coupon"), t);
        }
    }
    if r.qualify == Qualify::Joined && r.min_payable != 0 {
        p.push(
            code::OUT_OF_RANGE,
            "referral.min_payable",
            "入会即奖励时不能设置最低实付",
            "min_payable applies to `first_order` only",
        );
    }
    for (name, c) in [("daily_cap", r.daily_cap), ("total_cap", r.total_cap)] {
        if let Some(c) = c {
            in_range(p, format_args!("referral.{name}"), i64::from(c), 1, 1_000_000);
        }
    }
}

/// What a `referral_bound` event carries besides the inviter.
pub(crate) struct BindIn<'e> {
    pub inviter: &'e str,
    pub scene: &'e str,
    pub first_scan_at: Millis,
    pub chain: &'e [String],
    pub fingerprints: &'e [String],
    pub seen: &'e [String],
}

fn off() -> crate::error::Error {
    refuse(code::REFERRAL_OFF, "event", "规则未开启邀请有礼", "the rules have no `referral` block")
}

/// `referral_bound` on the invitee: every refusal of §10.2, then the
/// binding; a `joined` qualification settles at once.
pub(crate) fn bound(rules: &Rules, m: &mut Member, b: &mut Booking, e: &BindIn) -> Result<()> {
    let r = rules.referral.as_ref().ok_or_else(off)?;
    member_id("event.inviter", e.inviter)?;
    crate::growth::scene::parse(e.scene).map_err(|err| err.at("event.scene"))?;
    check_instant(e.first_scan_at, "event.first_scan_at")?;
    for (path, n, max) in [
        ("event.chain", e.chain.len(), MAX_REFERRAL_CHAIN),
        ("event.fingerprints", e.fingerprints.len(), MAX_FINGERPRINTS),
        ("event.seen", e.seen.len(), MAX_FINGERPRINTS),
    ] {
        if n > max {
            return Err(refuse(code::TOO_MANY, path, format!("最多 {max} 项"), format!("at most {max} entries")));
        }
    }
    if e.first_scan_at > b.at {
        return Err(refuse(
            code::OUT_OF_RANGE,
            "event.first_scan_at",
            "首次扫码时间晚于绑定时间",
            "the first scan is later than the binding",
        ));
    }
    if let Some(old) = &m.referral {
        return Err(refuse(
            code::REFERRAL_ALREADY_BOUND,
            "event.inviter",
            format!("已绑定邀请人 `{}`，不能改绑", old.inviter),
            format!("already bound to inviter `{}`; a binding is never changed", old.inviter),
        ));
    }
    not_self(m, "event.inviter", e.inviter)?;
    if let Some(i) = e.chain.iter().position(|c| *c == m.id) {
        return Err(refuse(
            code::REFERRAL_CYCLE,
            &format!("event.chain[{i}]"),
            "邀请人的上级链中已有被邀请人：会形成循环",
            "the inviter's chain holds the invitee: the binding would make a cycle",
        ));
    }
    // The chain is the inviter's own inviters: the inviter in it is a loop
    // already, and distribution would pay one member at both levels.
    if let Some(i) = e.chain.iter().position(|c| *c == e.inviter) {
        return Err(refuse(
            code::REFERRAL_CYCLE,
            &format!("event.chain[{i}]"),
            "邀请人的上级链中有邀请人自己：链已成环",
            "the inviter's chain holds the inviter: the chain is a loop",
        ));
    }
    if let Some(w) = r.window_days {
        if b.at - e.first_scan_at > i64::from(w) * DAY_MS {
            return Err(refuse(
                code::REFERRAL_WINDOW_PASSED,
                "event.first_scan_at",
                format!("已超过首次扫码后 {w} 天的绑定期"),
                format!("more than {w} days since the first scan: the binding window has passed"),
            ));
        }
    }
    let joined = m.joined_at.unwrap_or(b.at);
    if b.at - joined > i64::from(r.new_within_days) * DAY_MS || !m.is_new() {
        return Err(refuse(
            code::REFERRAL_NOT_NEW,
            "event",
            format!("被邀请人不是新会员（入会超过 {} 天或已有未全额退款的订单）", r.new_within_days),
            format!(
                "the invitee is not new (joined more than {} days ago or has an order not refunded in full)",
                r.new_within_days
            ),
        ));
    }
    if let Some(i) = e.fingerprints.iter().position(|f| e.seen.contains(f)) {
        return Err(refuse(
            code::REFERRAL_DEVICE_SEEN,
            &format!("event.fingerprints[{i}]"),
            "该设备或手机号已参与过邀请",
            "this device or phone has been seen before",
        ));
    }
    m.referral = Some(ReferralBinding {
        inviter: e.inviter.to_string(),
        upline: e.chain.first().cloned(),
        scene: e.scene.to_string(),
        first_scan_at: e.first_scan_at,
        bound_at: b.at,
        order: None,
        settles_at: None,
        rewarded_at: None,
    });
    if r.qualify == Qualify::Joined {
        settle(rules, r, m, b, None)?;
    }
    Ok(())
}

/// After an event on a bound invitee: a completed order may qualify, a
/// refund may take the qualification back, and a qualification whose time
/// has come settles. Effects make no effects: a `referral_reward` booked on
/// this member (as an inviter) changes nothing here.
pub(crate) fn follow(rules: &Rules, m: &mut Member, b: &mut Booking, kind: &EventKind) -> Result<()> {
    let (Some(r), Some(bind)) = (&rules.referral, &m.referral) else { return Ok(()) };
    if bind.rewarded_at.is_some() || r.qualify != Qualify::FirstOrder {
        return Ok(());
    }
    let kept = |m: &Member, order: &str| {
        m.orders.get(order).is_some_and(|o| !o.fully_refunded() && o.payable - o.refunded >= r.min_payable)
    };
    match kind {
        EventKind::OrderCompleted { order } if bind.order.is_none() && kept(m, order) => {
            let settles = b.at + i64::from(r.settle_days) * DAY_MS;
            if let Some(bind) = m.referral.as_mut() {
                bind.order = Some(order.clone());
                bind.settles_at = Some(settles);
            }
        }
        EventKind::OrderRefunded { order, .. } if bind.order.as_deref() == Some(order) && !kept(m, order) => {
            if let Some(bind) = m.referral.as_mut() {
                bind.order = None;
                bind.settles_at = None;
            }
        }
        EventKind::ReferralReward { .. } | EventKind::Commission { .. } | EventKind::CommissionWithdrawn { .. } => {
            return Ok(())
        }
        _ => {}
    }
    let due = m.referral.as_ref().and_then(|x| x.settles_at).is_some_and(|t| t <= b.at);
    if due {
        let order = m.referral.as_ref().and_then(|x| x.order.clone());
        settle(rules, r, m, b, order)?;
    }
    Ok(())
}

/// The qualification settles: the invitee's reward now, the inviter's as
/// an effect.
fn settle(rules: &Rules, r: &Referral, m: &mut Member, b: &mut Booking, order: Option<String>) -> Result<()> {
    let Some(bind) = m.referral.as_mut() else { return Ok(()) };
    bind.rewarded_at = Some(b.at);
    let inviter = bind.inviter.clone();
    let reference = format!("referral:{inviter}");
    // A coupon id of its own, derived like an effect's (`rw-`, 43 bytes).
    let coupon_id = format!("rw-{}", effect_id(&m.id, b.id, 0).get(3..).unwrap_or_default());
    pay(rules, m, b.at, &r.invitee, &reference, b.id, &coupon_id)?;
    let reason = if r.qualify == Qualify::Joined { Qualify::Joined } else { Qualify::FirstOrder };
    b.effect(
        &inviter,
        EventKind::ReferralReward {
            invitee: m.id.clone(),
            reason,
            order,
            points: r.inviter.points,
            coupon: r.inviter.coupon.clone(),
            growth: r.inviter.growth,
            budget_used: None,
        },
    );
    Ok(())
}

/// Points as a lot, the coupon, the growth.
fn pay(
    rules: &Rules,
    m: &mut Member,
    at: Millis,
    w: &InviteReward,
    reference: &str,
    event: &str,
    coupon_id: &str,
) -> Result<()> {
    m.points.earn(rules.zone(), rules.points.expiry, at, w.points, "referral", event)?;
    if let Some(tid) = &w.coupon {
        let t = template(rules, "event.coupon", tid)?;
        issue(rules, m, t, coupon_id, at)?;
    }
    m.add_growth(rules, at, w.growth, reference);
    Ok(())
}

/// A member id an event names (`path`): 1 to 64 bytes.
fn member_id(path: &str, id: &str) -> Result<()> {
    id_len(id, path, "会员标识须为 1 到 64 字节", "a member id must be 1 to 64 bytes")
}

/// Nobody invites themselves.
fn not_self(m: &Member, path: &str, id: &str) -> Result<()> {
    if id == m.id {
        return Err(refuse(code::REFERRAL_SELF, path, "不能邀请自己", "a member cannot invite themselves"));
    }
    Ok(())
}

/// The `invitee` of an event booked on their inviter `m`: a member id, and
/// not `m`'s own.
pub(crate) fn invitee_of(m: &Member, invitee: &str) -> Result<()> {
    member_id("event.invitee", invitee)?;
    not_self(m, "event.invitee", invitee)
}

/// The coupon template a reward names (`path` is where the refusal points).
pub(crate) fn template<'r>(rules: &'r Rules, path: &str, id: &str) -> Result<&'r CouponTemplate> {
    rules.template(id).ok_or_else(|| {
        refuse(code::UNKNOWN_TEMPLATE, path, format!("未知券模板 `{id}`"), format!("unknown coupon template `{id}`"))
    })
}

/// What a `referral_reward` event carries.
pub(crate) struct RewardIn<'e> {
    pub invitee: &'e str,
    pub reward: InviteReward,
    pub budget_used: Option<u32>,
}

/// `referral_reward` on the inviter: paid, or booked as capped.
pub(crate) fn rewarded(rules: &Rules, m: &mut Member, b: &Booking, e: &RewardIn) -> Result<()> {
    let r = rules.referral.as_ref().ok_or_else(off)?;
    invitee_of(m, e.invitee)?;
    for (path, v) in [("event.points", e.reward.points), ("event.growth", e.reward.growth)] {
        if !(0..=MAX_RULE_FEN).contains(&v) {
            return Err(refuse(
                code::OUT_OF_RANGE,
                path,
                format!("须在 0 到 {MAX_RULE_FEN} 之间"),
                format!("must be between 0 and {MAX_RULE_FEN}"),
            ));
        }
    }
    let used = match (r.budget, e.budget_used) {
        (Some(_), None) => {
            return Err(refuse(
                code::REFERRAL_BUDGET_MISSING,
                "event.budget_used",
                "活动有预算：请传入已发放的奖励数",
                "the campaign has a budget: pass the rewards paid so far as `budget_used`",
            ))
        }
        (_, u) => u.unwrap_or(0),
    };
    let today = rules.zone().date(b.at);
    let inv = m.invites.get_or_insert_with(Invites::default);
    if inv.day != Some(today) {
        inv.day = Some(today);
        inv.today = 0;
    }
    let capped = r.total_cap.is_some_and(|c| inv.rewarded >= c)
        || r.daily_cap.is_some_and(|c| inv.today >= c)
        || r.budget.is_some_and(|c| used >= c);
    if capped {
        inv.capped = inv.capped.saturating_add(1);
        return Ok(());
    }
    inv.rewarded = inv.rewarded.saturating_add(1);
    inv.today = inv.today.saturating_add(1);
    let reference = format!("referral:{}", e.invitee);
    pay(rules, m, b.at, &e.reward, &reference, b.id, b.id)
}

/// Part of [`Member::check`]: the binding's instants and ids, the counts.
pub(crate) fn check_state(m: &Member, p: &mut Problems) {
    if let Some(bind) = &m.referral {
        check_id(p, "member.referral.inviter", &bind.inviter);
        instant(p, format_args!("member.referral.first_scan_at"), bind.first_scan_at);
        instant(p, format_args!("member.referral.bound_at"), bind.bound_at);
        if let Some(t) = bind.settles_at {
            instant(p, format_args!("member.referral.settles_at"), t);
        }
        if let Some(t) = bind.rewarded_at {
            instant(p, format_args!("member.referral.rewarded_at"), t);
        }
    }
    if let Some(inv) = &m.invites {
        count(p, format_args!("member.invites.rewarded"), inv.rewarded);
        count(p, format_args!("member.invites.today"), inv.today);
        count(p, format_args!("member.invites.capped"), inv.capped);
    }
}
