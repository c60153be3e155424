//! Coupon templates (`coupons`): their kinds, scope, validity and audience,
//! the group each falls in for stacking, and their validation.

use crate::catalog::{check_sku, Scope};
use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::Problems;
use crate::membership::lifecycle::Segment;
use crate::money::{Fen, BP};
use crate::rules::{in_range, unique_id, At, Rules, MAX_RULE_FEN};
use crate::sorting::SortedSet;
use crate::time::LocalTime;

/// A template is one flat object: its own fields and its kind's, with
/// the kind named by `type` as in every tagged object of the rules
/// (`{"id": …, "type": "amount_off", "amount": 2000, …}`). Unknown fields
/// are refused by the kind, which knows this struct's keys too.
// tsify cannot write `interface … extends` a union: spelled out here.
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(type = "{ id: string; name: string; scope?: Scope; validity: Validity; per_member_limit?: number | null; \
                  audience?: Audience; exclusive?: boolean } & CouponKind")
)]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
pub struct CouponTemplate {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub kind: CouponKind,
    #[serde(default)]
    pub scope: Scope,
    pub validity: Validity,
    /// How many a member may claim (default 1).
    #[serde(default)]
    pub per_member_limit: Option<u32>,
    #[serde(default)]
    pub audience: Audience,
    /// An exclusive coupon combines with no other coupon.
    #[serde(default)]
    pub exclusive: bool,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum CouponKind {
    /// 满减: `amount` off once the eligible subtotal reaches `threshold`
    /// (threshold 0 is 无门槛).
    AmountOff {
        amount: Fen,
        #[serde(default)]
        threshold: Fen,
    },
    /// 折扣: pay `pay_bp` of the eligible subtotal (8500 = 8.5折), at most
    /// `cap` off.
    PercentOff {
        pay_bp: i64,
        #[serde(default)]
        cap: Option<Fen>,
        #[serde(default)]
        threshold: Fen,
    },
    /// Shipping: `amount` off the shipping fee, or all of it without an
    /// amount.
    Shipping {
        #[serde(default)]
        amount: Option<Fen>,
        #[serde(default)]
        threshold: Fen,
    },
    /// Exchange (兑换券): one unit of `sku` in the cart becomes free.
    Exchange { sku: String },
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Validity {
    /// From local time `from` (inclusive) to local time `until`
    /// (exclusive), as a campaign's window.
    Window { from: LocalTime, until: LocalTime },
    /// From the moment of claiming to the end of the local day `days - 1`
    /// days later (`days: 1` = valid until tonight).
    Days { days: u32 },
}

/// Who may claim a template. Empty lists mean "anyone".
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    #[serde(default)]
    pub tiers: Vec<String>,
    /// A member with any of these tags qualifies.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Only members who have never placed an order.
    #[serde(default)]
    pub new_members_only: bool,
    /// Only members with an active paid membership.
    #[serde(default)]
    pub paid_members_only: bool,
    /// Only members in one of these lifecycle segments (`prospect`, `new`,
    /// `active`, `loyal`, `at_risk`, `silent`, `lost`; see
    /// `membership/lifecycle.rs`).
    #[serde(default)]
    pub segments: Vec<Segment>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Encode)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Item,
    Order,
    Shipping,
}

/// The group of a template: shipping coupons are their own group,
/// exchange coupons and scoped amount-off or percent-off coupons are item
/// coupons, and the rest are order coupons.
pub fn group(t: &CouponTemplate) -> Group {
    match t.kind {
        CouponKind::Shipping { .. } => Group::Shipping,
        CouponKind::Exchange { .. } => Group::Item,
        _ if t.scope.is_everything() => Group::Order,
        _ => Group::Item,
    }
}

/// Every template: its id, kind, scope, validity, limit and audience.
pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    if rules.coupons.len() > 500 {
        p.push(code::TOO_MANY, "coupons", "券模板最多 500 个", "at most 500 coupon templates");
    }
    let mut ids = SortedSet::new();
    for (i, t) in rules.coupons.iter().enumerate() {
        // Full: nothing more would be recorded (more than 500 templates
        // are refused but still checked).
        if p.full() {
            return;
        }
        let at = At("coupons", i);
        unique_id(p, &mut ids, format_args!("{at}.id"), &t.id);
        match &t.kind {
            CouponKind::AmountOff { amount, threshold } => {
                in_range(p, format_args!("{at}.amount"), *amount, 1, MAX_RULE_FEN);
                in_range(p, format_args!("{at}.threshold"), *threshold, 0, MAX_RULE_FEN);
                if *threshold > 0 && amount > threshold {
                    p.push(
                        code::COUPON_AMOUNT_ABOVE_THRESHOLD,
                        format!("{at}.amount"),
                        "满减券的减免金额不能超过门槛",
                        "the amount off cannot exceed the threshold",
                    );
                }
            }
            CouponKind::PercentOff { pay_bp, cap, threshold } => {
                in_range(p, format_args!("{at}.pay_bp"), *pay_bp, 1, BP - 1);
                if let Some(c) = cap {
                    in_range(p, format_args!("{at}.cap"), *c, 1, MAX_RULE_FEN);
                }
                in_range(p, format_args!("{at}.threshold"), *threshold, 0, MAX_RULE_FEN);
            }
            CouponKind::Shipping { amount, threshold } => {
                if let Some(a) = amount {
                    in_range(p, format_args!("{at}.amount"), *a, 1, MAX_RULE_FEN);
                }
                in_range(p, format_args!("{at}.threshold"), *threshold, 0, MAX_RULE_FEN);
                if !t.scope.is_everything() {
                    p.push(
                        code::SCOPE_NOT_ALLOWED,
                        format!("{at}.scope"),
                        "运费券不能限定商品范围",
                        "a shipping coupon cannot have a product scope",
                    );
                }
            }
            CouponKind::Exchange { sku } => check_sku(rules, p, format_args!("{at}.sku"), sku, false),
        }
        t.scope.check(rules, p, format_args!("{at}.scope"));
        match t.validity {
            Validity::Window { from, until } if until <= from => p.push(
                code::WINDOW_ENDS_BEFORE_START,
                format!("{at}.validity.until"),
                "有效期结束时间须晚于开始时间",
                "the validity window must end after it starts",
            ),
            Validity::Days { days } => in_range(p, format_args!("{at}.validity.days"), days as i64, 1, 3660),
            _ => {}
        }
        if let Some(n) = t.per_member_limit {
            in_range(p, format_args!("{at}.per_member_limit"), n as i64, 1, 1000);
        }
        for (j, tier) in t.audience.tiers.iter().enumerate() {
            if rules.tier(tier).is_none() {
                p.push(
                    code::UNKNOWN_TIER,
                    format!("{at}.audience.tiers[{j}]"),
                    format!("未知等级 `{tier}`"),
                    format!("unknown tier `{tier}`"),
                );
            }
        }
    }
}
