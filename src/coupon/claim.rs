//! Who may claim a coupon, and claiming one (`coupon_claimed`): the
//! template's audience (tiers, tags, lifecycle segments, new or paid
//! members, the birthday perk), the per-member claim limit, the claim
//! window, and the stock the host counts.

use crate::code;
use crate::coupon::template::{CouponTemplate, Validity};
use crate::coupon::wallet::issue;
use crate::coupon::Refusal;
use crate::error::{join, Error, Result};
use crate::ledger::{refuse, Booking, Member};
use crate::membership::benefits::{birthday_applies, Benefits};
use crate::rules::Rules;
use crate::time::Millis;

/// `coupon_claimed`: a coupon from `template` into the wallet, as `coupon`
/// (default: the event's id), if the member may claim it and the host's
/// stock count is not out.
pub(crate) fn claimed(
    rules: &Rules,
    m: &mut Member,
    b: &Booking,
    template: &str,
    coupon: Option<&str>,
    stock_left: Option<i64>,
) -> Result<()> {
    let Some(t) = rules.template(template) else {
        return Err(refuse(
            code::UNKNOWN_TEMPLATE,
            "event.template",
            format!("未知券模板 `{template}`"),
            format!("unknown coupon template `{template}`"),
        ));
    };
    if stock_left.is_some_and(|n| n <= 0) {
        return Err(refuse(code::COUPON_OUT_OF_STOCK, "event.template", "券已领完", "the coupon is out of stock"));
    }
    let key = claimable(rules, m, t, b.at).map_err(|r| Error::new(r.code, "event.template", r.zh, r.en))?;
    issue(rules, m, t, coupon.unwrap_or(b.id), b.at)?;
    *m.claims.entry(key).or_insert(0) += 1;
    Ok(())
}

/// Who may claim a template: tier, tags, new or paid members.
fn audience(rules: &Rules, m: &Member, t: &CouponTemplate, now: Millis) -> Result<(), Refusal> {
    let a = &t.audience;
    if !m.is_joined() {
        return Err(Refusal::new(code::MEMBER_NOT_JOINED, "尚未入会", "not a member yet"));
    }
    if !a.tiers.is_empty() && !a.tiers.contains(&m.tier) {
        let mut names = Vec::new();
        for id in &a.tiers {
            if let Some(t) = rules.tier(id) {
                names.push(t.name.as_str());
            }
        }
        return Err(Refusal::new(
            code::COUPON_TIER_REQUIRED,
            format!("仅限{}领取", join(&names, "、")),
            format!("only for tiers: {}", join(&a.tiers, ", ")),
        ));
    }
    if !a.tags.is_empty() && !a.tags.iter().any(|t| m.tags.contains(t)) {
        return Err(Refusal::new(
            code::COUPON_TAG_REQUIRED,
            "仅限指定人群领取",
            format!("only for members tagged: {}", join(&a.tags, ", ")),
        ));
    }
    if !a.segments.is_empty() {
        let seg = m.segment(rules, now);
        if !a.segments.contains(&seg) {
            let (mut want, mut want_zh) = (Vec::new(), Vec::new());
            for s in &a.segments {
                want.push(s.as_str());
                want_zh.push(s.zh());
            }
            return Err(Refusal::new(
                code::COUPON_SEGMENT_REQUIRED,
                format!("仅限{}领取（当前为{}）", join(&want_zh, "、"), seg.zh()),
                format!("only for members who are {} (this member is {})", join(&want, " or "), seg.as_str()),
            ));
        }
    }
    if a.new_members_only && !m.is_new() {
        return Err(Refusal::new(
            code::COUPON_NEW_MEMBERS_ONLY,
            "仅限新会员（未下过单）领取",
            "only for new members who have not ordered yet",
        ));
    }
    if a.paid_members_only && !m.paid_active(now) {
        return Err(Refusal::new(code::COUPON_PAID_MEMBERS_ONLY, "仅限付费会员领取", "only for active paid members"));
    }
    if is_birthday_template(rules, &t.id) && birthday_coupon(rules, m, now) != Some(t.id.as_str()) {
        return Err(Refusal::new(
            code::COUPON_BIRTHDAY_ONLY,
            "生日礼券仅在生日期间领取",
            "a birthday coupon can be claimed only during the birthday perk",
        ));
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
    // The tier's perk, then a paid card's while active.
    let sources = [(&m.tier_of(rules).benefits, true), (&rules.membership.paid_benefits, m.paid_active(now))];
    for (b, on) in sources {
        match &b.birthday {
            Some(bd) if on && birthday_applies(bd.when, born, today) => return bd.coupon.as_deref(),
            _ => {}
        }
    }
    None
}

/// May this member claim a coupon from `t` at `now`? Checks the audience,
/// the claim limit (birthday coupons: one a year; others: the template's
/// per-member limit, default 1) and the claim window. Returns the key the
/// claim is counted under.
pub fn claimable(rules: &Rules, m: &Member, t: &CouponTemplate, now: Millis) -> Result<String, Refusal> {
    audience(rules, m, t, now)?;
    let (key, limit) = if is_birthday_template(rules, &t.id) {
        (format!("{}@{}", t.id, rules.zone().date(now).year as i64), 1)
    } else {
        (t.id.clone(), t.per_member_limit.unwrap_or(1))
    };
    if m.claims.get(&key).copied().unwrap_or(0) >= limit {
        return Err(Refusal::new(
            code::COUPON_CLAIM_LIMIT,
            format!("每人限领 {limit} 张"),
            format!("limit of {limit} per member reached"),
        ));
    }
    if let Validity::Window { until, .. } = t.validity {
        if now >= until.instant(rules.zone()) {
            return Err(Refusal::new(
                code::COUPON_EXPIRED,
                "券已过期，不能再领",
                "the coupon has expired and can no longer be claimed",
            ));
        }
    }
    Ok(key)
}
