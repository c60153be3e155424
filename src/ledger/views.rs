//! Read-only answers for the UI: where a member stands, their points
//! history, their coupon wallet, and which members a targeted coupon reaches.
//! Each is computed at a given `now` without changing the state (lots that
//! would have expired by then are shown as expired).

use crate::code::{self, Code};
use crate::coupon::claim::claimable;
use crate::coupon::template::{group, Group};
use crate::coupon::wallet::usable_at;
use crate::coupon::Refusal;
use crate::encode::Encode;
use crate::error::{Error, Result};
use crate::growth::distribution::Earnings;
use crate::ledger::{advance, Member};
use crate::membership::benefits;
use crate::membership::lifecycle::{Segment, Why};
use crate::membership::tier::Tier;
use crate::money::Fen;
use crate::points::ledger::{Entry, Lot};
use crate::rules::Rules;
use crate::sorting;
use crate::time::{check_instant, Date, Millis};

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct TierRef {
    pub id: String,
    pub name: String,
}

impl TierRef {
    fn of(t: &Tier) -> TierRef {
        TierRef { id: t.id.clone(), name: t.name.clone() }
    }
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct NextTier {
    pub id: String,
    pub name: String,
    pub threshold: i64,
    pub growth_needed: i64,
    /// Spend (fen) that earns that growth, at the growth rate; `None` when
    /// orders earn no growth.
    pub spend_needed: Option<Fen>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct ReviewOutlook {
    /// First moment of the next review.
    pub at: Millis,
    pub date: Date,
    pub retain: i64,
    pub earned_in_period: i64,
    pub shortfall: i64,
    /// The tier was reached during this period, so this review skips it.
    pub exempt: bool,
    /// Where the member lands if nothing changes; `None` if they keep the
    /// tier.
    pub would_drop_to: Option<TierRef>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct PaidOutlook {
    pub plan: String,
    pub active: bool,
    pub until: Millis,
    pub until_date: Date,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct Expiring {
    pub date: Date,
    pub points: i64,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct Summary {
    pub id: String,
    pub fingerprint: String,
    pub tier: TierRef,
    pub segment: Segment,
    /// The segment's numbers: days since the last order, orders and money
    /// in the window, the usual interval, the threshold that decided.
    pub lifecycle: Why,
    pub growth: i64,
    pub growth_total: i64,
    pub next_tier: Option<NextTier>,
    pub review: Option<ReviewOutlook>,
    pub paid: Option<PaidOutlook>,
    pub points_balance: i64,
    pub points_debt: i64,
    /// Points by the local date they expire, soonest first.
    pub points_expiring: Vec<Expiring>,
    pub member_price_bp: Option<i64>,
    pub points_multiplier_pct: i64,
    pub occasion_multiplier_pct: i64,
    pub free_shipping_over: Option<Fen>,
    pub member_day: bool,
    pub birthday: bool,
    pub check_in_streak: u32,
    pub checked_in_today: bool,
    /// Invite tasks open at `now` or with progress (`docs/rules.md` §11.4).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invite_tasks: Vec<crate::growth::invite_task::TaskView>,
    /// As a distributor: commission pending, frozen, withdrawable,
    /// withdrawn, the shortfall, per order (`docs/rules.md` §12.4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commission: Option<Earnings>,
}

/// The member as of `now` (lots expired and reviews run, nothing booked).
fn as_of(rules: &Rules, mut m: Member, now: Millis) -> Result<Member> {
    check_instant(now, "now")?;
    m.readable_at(now, "查询时间早于最后一个事件")?;
    advance(rules, &mut m, now);
    Ok(m)
}

/// Where a member stands at `now`: tier and progress to the next, the next
/// review's outlook, the paid card, points and when they expire, the
/// benefits in force, the check-in streak.
pub fn summary(rules: &Rules, member: Member, now: Millis) -> Result<Summary> {
    let m = as_of(rules, member, now)?;
    let zone = rules.zone();
    let tiers = &rules.membership.tiers;
    let cur = rules.tier_index(&m.tier).unwrap_or(0);
    let growth = m.growth_measure(rules, now);
    let per_yuan = rules.membership.growth.per_yuan;
    let next_tier = tiers.get(cur + 1).map(|t| {
        let need = (t.threshold - growth).max(0);
        NextTier {
            id: t.id.clone(),
            name: t.name.clone(),
            threshold: t.threshold,
            growth_needed: need,
            // growth = floor(fen × per_yuan / 100) ≥ need  ⇔  fen ≥ ceil(need × 100 / per_yuan)
            spend_needed: (per_yuan > 0).then(|| (need * 100 + per_yuan - 1) / per_yuan),
        }
    });
    let review = m.next_review(rules).map(|at| {
        let start = m.reviewed_through;
        let earned = m.growth_between(start, at);
        let retain = tiers[cur].retain;
        let exempt = m.tier_since > start;
        let drop = m.review_drop(rules, at).map(|keep| TierRef::of(&tiers[keep]));
        ReviewOutlook {
            at,
            date: zone.date(at),
            retain,
            earned_in_period: earned,
            shortfall: (retain - earned).max(0),
            exempt,
            would_drop_to: drop,
        }
    });
    let mut expiring: Vec<Expiring> = Vec::new();
    for l in soonest_first(&m.points.lots) {
        let Some(t) = l.expires_at else { break };
        let d = zone.date(t);
        match expiring.last_mut() {
            Some(e) if e.date == d => e.points += l.remaining,
            _ => expiring.push(Expiring { date: d, points: l.remaining }),
        }
    }
    let eff = benefits::effective(rules, &m, now);
    let today = zone.date(now);
    let lifecycle = m.lifecycle(rules, now);
    Ok(Summary {
        id: m.id.clone(),
        fingerprint: rules.fingerprint().to_string(),
        tier: TierRef::of(&tiers[cur]),
        segment: lifecycle.segment,
        lifecycle,
        growth,
        growth_total: m.growth_total,
        next_tier,
        review,
        paid: m.paid.as_ref().map(|p| PaidOutlook {
            plan: p.plan.clone(),
            active: m.paid_active(now),
            until: p.until,
            until_date: zone.date(p.until),
        }),
        points_balance: m.points.balance(now),
        points_debt: m.points.debt,
        points_expiring: expiring,
        member_price_bp: eff.best_rate(),
        points_multiplier_pct: eff.points_multiplier_pct,
        occasion_multiplier_pct: eff.occasion_multiplier_pct,
        free_shipping_over: eff.free_shipping_over,
        member_day: eff.member_day,
        birthday: eff.birthday,
        check_in_streak: if m.check_in.last.is_some_and(|d| d >= today.add_days(-1)) { m.check_in.streak } else { 0 },
        checked_in_today: m.check_in.last == Some(today),
        invite_tasks: crate::growth::invite_task::views(rules, &m, now),
        commission: m
            .commissions
            .as_ref()
            .filter(|c| !c.earned.is_empty() || !c.withdrawals.is_empty())
            .map(|c| c.earnings(now)),
    })
}

/// The lots with points left, soonest-expiring first (ties: the older
/// lot), those that never expire last.
fn soonest_first(lots: &[Lot]) -> Vec<&Lot> {
    let mut out: Vec<&Lot> = Vec::new();
    for l in lots {
        if l.remaining > 0 {
            out.push(l);
        }
    }
    sorting::sort_by_key(&mut out, |l| (l.expires_at.is_none(), l.expires_at, l.id));
    out
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct History {
    pub balance: i64,
    pub debt: i64,
    /// Lots with points left, soonest-expiring first.
    pub lots: Vec<Lot>,
    /// Newest first.
    pub entries: Vec<Entry>,
}

/// The points balance, the lots with points left and the history, newest
/// first, at `now`.
pub fn points_history(rules: &Rules, member: Member, now: Millis) -> Result<History> {
    let m = as_of(rules, member, now)?;
    let (balance, debt) = (m.points.balance(now), m.points.debt);
    let mut lots: Vec<Lot> = Vec::new();
    for l in soonest_first(&m.points.lots) {
        lots.push(l.clone());
    }
    // The member is ours: its history is moved into the answer, not copied.
    let mut entries = m.points.history;
    entries.reverse();
    Ok(History { balance, debt, lots, entries })
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Encode)]
#[serde(rename_all = "snake_case")]
pub enum CouponStatus {
    Available,
    NotYetValid,
    Used,
    Expired,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct WalletEntry {
    pub id: String,
    pub template: String,
    pub name: String,
    pub group: Option<Group>,
    pub status: CouponStatus,
    pub valid_from: Millis,
    pub valid_until: Millis,
    /// The last local day it can be used.
    pub last_day: Date,
    pub used_by: Option<String>,
}

/// The wallet: available first (soonest-expiring first), then not yet
/// valid, used and expired.
pub fn coupon_wallet(rules: &Rules, member: Member, now: Millis) -> Result<Vec<WalletEntry>> {
    let m = as_of(rules, member, now)?;
    let zone = rules.zone();
    let mut out = Vec::with_capacity(m.wallet.len());
    for c in &m.wallet {
        let status = match usable_at(c, now) {
            Ok(()) => CouponStatus::Available,
            Err(r) if r.code == code::COUPON_USED => CouponStatus::Used,
            Err(r) if r.code == code::COUPON_NOT_YET_VALID => CouponStatus::NotYetValid,
            Err(_) => CouponStatus::Expired,
        };
        let t = rules.template(&c.template);
        out.push(WalletEntry {
            id: c.id.clone(),
            template: c.template.clone(),
            name: t.map_or_else(String::new, |t| t.name.clone()),
            group: t.map(group),
            status,
            valid_from: c.valid_from,
            valid_until: c.valid_until,
            last_day: zone.date(c.valid_until),
            used_by: c.used_by.clone(),
        });
    }
    sorting::sort_by(&mut out, |a, b| (a.status, a.valid_until, &a.id).cmp(&(b.status, b.valid_until, &b.id)));
    Ok(out)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct Ineligible {
    pub member: String,
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub code: Code,
    pub zh: String,
    pub en: String,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct Targeting {
    pub template: String,
    pub eligible: Vec<String>,
    pub ineligible: Vec<Ineligible>,
}

/// Which of `members` may receive a coupon from `template` now (a guide
/// sending a targeted coupon to a tagged group). Claim limits count too.
/// Each member is advanced to `now` (in place: they are the caller's to give).
pub fn eligible_members(rules: &Rules, template: &str, mut members: Vec<Member>, now: Millis) -> Result<Targeting> {
    check_instant(now, "now")?;
    let t = rules.template(template).ok_or_else(|| {
        Error::new(
            code::UNKNOWN_TEMPLATE,
            "template",
            format!("未知券模板 `{template}`"),
            format!("unknown coupon template `{template}`"),
        )
    })?;
    if members.len() > 10_000 {
        return Err(Error::new(code::TOO_MANY, "members", "一次最多 10000 个会员", "at most 10,000 members at once"));
    }
    let mut out = Targeting { template: template.to_string(), eligible: Vec::new(), ineligible: Vec::new() };
    for m in members.iter_mut() {
        let verdict = if m.is_joined() && now < m.clock {
            Err(Refusal::new(
                code::EVENT_OUT_OF_ORDER,
                "查询时间早于会员最后一个事件",
                "now is earlier than the member's last event",
            ))
        } else {
            if m.is_joined() {
                advance(rules, m, now);
            }
            claimable(rules, m, t, now).map(|_| ())
        };
        match verdict {
            Ok(()) => out.eligible.push(m.id.clone()),
            Err(r) => out.ineligible.push(Ineligible { member: m.id.clone(), code: r.code, zh: r.zh, en: r.en }),
        }
    }
    Ok(out)
}
