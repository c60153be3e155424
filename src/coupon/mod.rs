//! Coupons (优惠券, `coupons`): templates, who may claim them, the wallet,
//! whether one applies to a cart, what it saves, which ones may combine,
//! and the best combination in a wallet.
//!
//! **Groups and stacking.** Every template falls in one group:
//! - *item* — an amount-off or percent-off coupon with a product scope, or an
//!   exchange coupon;
//! - *order* — an amount-off or percent-off coupon for the whole order;
//! - *shipping* — a shipping coupon.
//!
//! An order takes at most one coupon from each group, applied in that order
//! (item, then order, then shipping). A template marked `exclusive` is used
//! alone. Each threshold is tested on the eligible subtotal *after* the
//! discounts before it, and a discount never exceeds what it applies to.
//!
//! **Best combination.** Among every combination the stacking rule allows,
//! the quote takes the largest total saving (goods and shipping, less any
//! shipping fee a goods coupon brings back by dropping the goods below a
//! free-shipping threshold, so the payable is the lowest); ties go to
//! fewer coupons, then the combination whose coupons expire soonest (their
//! expiry times compared in ascending order), then the coupon ids. The search
//! is exhaustive, so no other valid combination beats it.
//!
//! Worked example: goods ¥150 (all in scope), wallet 满100减20 (order),
//! 9折 up to ¥10 off (order), 满0减5 on tea (item, tea ¥60). Best: tea ¥5
//! first (tea 55, order 145), then 满100减20 (145 ≥ 100) → ¥25 saved;
//! 9折 would give ¥10 only (14.5 capped at 10).
//!
//! | file | what |
//! |---|---|
//! | `template.rs` | templates: kinds, scope, validity, audience; groups; validation |
//! | `claim.rs` | who may claim, claim limits, birthday coupons, `coupon_claimed` |
//! | `wallet.rs` | the member's coupons: issuing, status, `coupon_used`, `coupon_restored` |
//! | `search.rs` | what a coupon saves on a cart, stacking, the best combination |
//! | `step.rs` | step 5 of the pipeline: the coupons a quote applies, and why not the others |

pub mod claim;
pub mod search;
pub mod step;
pub mod template;
pub mod wallet;

use crate::code::{self, Code};
use crate::encode::Encode;
use crate::error::Problems;
use crate::money::{self, Fen};
use crate::rules::Rules;

/// The `coupons` part of the rules.
pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    template::check(rules, p);
}

/// Why a coupon does not apply.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct Refusal {
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub code: Code,
    pub zh: String,
    pub en: String,
    /// For `COUPON_THRESHOLD_NOT_MET`: fen still to add to the eligible goods.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<Fen>,
}

impl Refusal {
    pub fn new(code: Code, zh: impl Into<String>, en: impl Into<String>) -> Refusal {
        Refusal { code, zh: zh.into(), en: en.into(), shortfall: None }
    }

    pub(crate) fn short(threshold: Fen, have: Fen) -> Refusal {
        let s = threshold - have;
        // Each amount written once, for both messages.
        let (short, at) = (money::yuan(s), money::yuan(threshold));
        Refusal {
            code: code::COUPON_THRESHOLD_NOT_MET,
            // The threshold is on the goods after the earlier steps'
            // discounts, not their list price: said so.
            zh: format!("还差 {short} 可用（门槛 {at}，按优惠后金额计）"),
            en: format!("{short} short of the {at} threshold, counted after discounts"),
            shortfall: Some(s),
        }
    }
}
