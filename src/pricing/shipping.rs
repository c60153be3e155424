//! Shipping (`shipping`, step 7 of the pipeline): a flat fee per order, free
//! once the goods after every discount (before points) reach the rules' or
//! the member's free-shipping threshold, or when a full reduction gives free
//! shipping; then a shipping coupon (step 5) takes what it takes off the fee.

use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::Problems;
use crate::money::{self, Fen};
use crate::pricing::quote::{note, Note};
use crate::pricing::Pricing;
use crate::rules::{in_range, Rules, MAX_RULE_FEN};

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Shipping {
    /// Flat fee per order in fen.
    #[serde(default)]
    pub fee: Fen,
    /// Free shipping once goods after all discounts (before points) reach
    /// this amount.
    #[serde(default)]
    pub free_over: Option<Fen>,
}

pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    in_range(p, format_args!("shipping.fee"), rules.shipping.fee, 0, MAX_RULE_FEN);
    if let Some(v) = rules.shipping.free_over {
        in_range(p, format_args!("shipping.free_over"), v, 0, MAX_RULE_FEN);
    }
}

/// The quote's shipping: the fee for the goods as priced, the threshold
/// that makes it free (the lower of the rules' and the member's), why it is
/// free, and what a shipping coupon takes off.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode)]
pub struct ShippingReport {
    pub fee: Fen,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_over: Option<Fen>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_because: Option<Note>,
    pub discount: Fen,
    pub pay: Fen,
}

/// What decides the fee: the rules' fee, the lower free-shipping threshold
/// of the rules' and the member's, and whether a full reduction made it
/// free. Worked out once after step 4; the coupon search asks it the fee
/// for each combination's goods.
#[derive(Clone, Copy)]
pub(crate) struct Fees {
    fee: Fen,
    threshold: Option<Fen>,
    free_by_campaign: bool,
}

impl Fees {
    pub fn of(p: &Pricing) -> Fees {
        let threshold = match (p.rules.shipping.free_over, p.eff.free_shipping_over) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Fees { fee: p.rules.shipping.fee, threshold, free_by_campaign: p.free_shipping_by.is_some() }
    }

    /// The fee for `goods` after every discount.
    pub fn fee_for(&self, goods: Fen) -> Fen {
        if self.free_by_campaign || self.threshold.is_some_and(|t| goods >= t) {
            0
        } else {
            self.fee
        }
    }
}

/// Step 7: the goods after every discount (set by step 6), the fee for
/// them, why it is free if it is, and what is left to pay after a shipping
/// coupon.
pub(crate) fn shipping(p: &mut Pricing) {
    let fees = Fees::of(p);
    let fee = fees.fee_for(p.goods);
    let free_because = if p.rules.shipping.fee == 0 {
        None
    } else if let Some(r) = p.free_shipping_by.map(|k| &p.reductions[k]) {
        Some(note(
            code::FREE_SHIPPING_CAMPAIGN,
            format!("「{}」包邮", r.name),
            format!("free shipping from “{}”", r.name),
        ))
    } else if fee == 0 {
        Some(free_over(p, fees.threshold.unwrap_or(0)))
    } else {
        None
    };
    p.shipping = ShippingReport {
        fee,
        free_over: fees.threshold,
        free_because,
        discount: p.shipping_discount,
        pay: fee - p.shipping_discount,
    };
}

/// Why goods at or over threshold `t` ship free: the shop's threshold, or
/// the member's own benefit (a tier or paid card) when it is the lower.
fn free_over(p: &Pricing, t: Fen) -> Note {
    let members = p.eff.free_shipping_over == Some(t) && p.rules.shipping.free_over.is_none_or(|s| s > t);
    match (members, t) {
        (true, 0) => note(code::FREE_SHIPPING_MEMBER, "会员权益：包邮", "members ship free"),
        (true, t) => {
            let t = money::yuan(t);
            note(code::FREE_SHIPPING_MEMBER, format!("会员权益：满 {t} 包邮"), format!("members ship free over {t}"))
        }
        (false, 0) => note(code::FREE_SHIPPING_OVER, "全场包邮", "free shipping on every order"),
        (false, t) => {
            let t = money::yuan(t);
            note(code::FREE_SHIPPING_OVER, format!("满 {t} 包邮"), format!("free shipping over {t}"))
        }
    }
}
