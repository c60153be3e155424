//! Benefits (`membership.tiers[].benefits`, `membership.paid_benefits`): the
//! member price, points multipliers, free shipping, birthday perks and a
//! fixed member day (会员日).
//!
//! The benefits in force at one moment ([`effective`]) are the tier's, plus a
//! paid card's while it is active, plus the member-day and birthday perks of
//! either on their day. Where two sources give the same kind of benefit, the
//! better one for the member applies (they do not compound).

use std::fmt::Display;

use crate::catalog::check_category;
use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::Problems;
use crate::ledger::Member;
use crate::money::{Fen, BP};
use crate::pricing::quote::Text;
use crate::rules::{in_range, Rules};
use crate::time::{Date, Millis, MonthDay};

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Benefits {
    /// Member price: pay this share of the price (9500 = 9.5折).
    #[serde(default)]
    pub discount_bp: Option<i64>,
    /// Categories the member discount never applies to.
    #[serde(default)]
    pub discount_excluded_categories: Vec<String>,
    /// Points multiplier in percent (150 = ×1.5).
    #[serde(default)]
    pub points_multiplier_pct: Option<i64>,
    /// Free shipping when goods (after discounts) reach this amount.
    #[serde(default)]
    pub free_shipping_over: Option<Fen>,
    #[serde(default)]
    pub birthday: Option<BirthdayPerk>,
    #[serde(default)]
    pub member_day: Option<MemberDay>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct BirthdayPerk {
    /// The perk applies on the birthday itself or all through its month.
    pub when: BirthdayWhen,
    #[serde(default)]
    pub points_multiplier_pct: Option<i64>,
    /// A coupon template the member may claim once a year while the perk
    /// applies.
    #[serde(default)]
    pub coupon: Option<String>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum BirthdayWhen {
    Day,
    Month,
}

/// A fixed member day (会员日): a day of the month or a weekday (1 = Monday).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct MemberDay {
    #[serde(default)]
    pub day_of_month: Option<u32>,
    #[serde(default)]
    pub weekday: Option<u32>,
    #[serde(default)]
    pub points_multiplier_pct: Option<i64>,
    #[serde(default)]
    pub discount_bp: Option<i64>,
}

impl MemberDay {
    pub fn is_on(&self, d: Date) -> bool {
        self.day_of_month == Some(d.day) || self.weekday == Some(d.weekday())
    }
}

/// One set of benefits (a tier's or the paid card's) at path `at`.
pub(crate) fn check(rules: &Rules, p: &mut Problems, at: &dyn Display, b: &Benefits) {
    if let Some(bp) = b.discount_bp {
        in_range_at(p, at, "discount_bp", bp, 1, BP);
    }
    if let Some(m) = b.points_multiplier_pct {
        in_range_at(p, at, "points_multiplier_pct", m, 100, 1000);
    }
    if let Some(v) = b.free_shipping_over {
        in_range_at(p, at, "free_shipping_over", v, 0, crate::rules::MAX_RULE_FEN);
    }
    for (i, c) in b.discount_excluded_categories.iter().enumerate() {
        check_category(rules, p, format_args!("{at}.discount_excluded_categories[{i}]"), c);
    }
    if let Some(bd) = &b.birthday {
        if let Some(m) = bd.points_multiplier_pct {
            in_range_at(p, at, "birthday.points_multiplier_pct", m, 100, 1000);
        }
        if let Some(t) = &bd.coupon {
            rules.check_template_ref(p, format_args!("{at}.birthday.coupon"), t);
        }
    }
    if let Some(md) = &b.member_day {
        match (md.day_of_month, md.weekday) {
            (Some(d), None) => in_range_at(p, at, "member_day.day_of_month", d as i64, 1, 28),
            (None, Some(w)) => in_range_at(p, at, "member_day.weekday", w as i64, 1, 7),
            _ => p.push(
                code::MEMBER_DAY_AMBIGUOUS,
                format!("{at}.member_day"),
                "会员日须且只能指定每月几号或每周几之一",
                "a member day needs exactly one of day_of_month or weekday",
            ),
        }
        if let Some(m) = md.points_multiplier_pct {
            in_range_at(p, at, "member_day.points_multiplier_pct", m, 100, 1000);
        }
        if let Some(bp) = md.discount_bp {
            in_range_at(p, at, "member_day.discount_bp", bp, 1, BP);
        }
    }
}

/// `in_range` of field `field` of the benefits at `at`. The path's
/// arguments are put together here, not at each of the checks' sites; it
/// is still written only for a problem.
fn in_range_at(p: &mut Problems, at: &dyn Display, field: &str, v: i64, lo: i64, hi: i64) {
    in_range(p, format_args!("{at}.{field}"), v, lo, hi);
}

/// Where a member price comes from, as a discount's source reads: the
/// member's tier's id, the paid plan's id, or `member_day`: what the rules
/// call it, so a host can show that tier's or plan's name.
pub type Source = Text;

/// The benefits in force for a member at one moment.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct Effective {
    /// Member-price candidates: (pay share in bp, excluded categories, source).
    #[serde(skip)]
    pub discounts: Vec<(i64, Vec<String>, Source)>,
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
    pub fn discount_for(&self, category: &str) -> Option<(i64, Source)> {
        // The first of the lowest rates.
        let mut best: Option<(i64, &Source)> = None;
        for (bp, ex, src) in &self.discounts {
            if !ex.iter().any(|c| c == category) && best.is_none_or(|(b, _)| *bp < b) {
                best = Some((*bp, src));
            }
        }
        best.map(|(bp, src)| (bp, src.clone()))
    }

    /// The lowest member-price rate of any source, whatever the category.
    pub fn best_rate(&self) -> Option<i64> {
        let mut best = None;
        for d in &self.discounts {
            if best.is_none_or(|b| d.0 < b) {
                best = Some(d.0);
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
    // The tier's benefits, then a paid card's while active.
    let tier = m.tier_of(rules);
    let mut sources = vec![(&tier.benefits, Text::shared(&tier.id))];
    if let Some(card) = m.paid.as_ref().filter(|_| m.paid_active(now)) {
        sources.push((&rules.membership.paid_benefits, Text::shared(&card.plan)));
    }
    for (b, src) in sources {
        if let Some(bp) = b.discount_bp {
            e.discounts.push((bp, b.discount_excluded_categories.clone(), src.clone()));
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
                    e.discounts.push((bp, b.discount_excluded_categories.clone(), Text::from("member_day")));
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
