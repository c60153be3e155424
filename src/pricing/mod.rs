//! The checkout quote: the price of a cart for a member at a moment, every
//! discount kept per line, every refusal explained.
//!
//! The pipeline, in order (each step works on what the steps before left,
//! and each is one function in the module that owns its rule — [`price`]
//! reads as this list):
//!
//! 1. **Campaign price** (`campaign/price.rs`). list price × quantity. A 秒杀
//!    flash sale sets its price for the units within the member's limit and
//!    the stock left; the other units become a second quote line at the
//!    normal price. A 限时折扣 limited-time discount does the same within
//!    its own limit.
//! 2. **Member price** (`pricing/line.rs`, rates from
//!    `membership/benefits.rs`). The tier's (or paid card's, or member
//!    day's) rate, the best one that does not exclude the line's category.
//!    Against a limited-time price the cheaper wins, unless the campaign
//!    stacks them.
//! 3. **Quantity discounts** (第二件半价, `campaign/price.rs`), on lines at
//!    list or member price.
//! 4. **满减送 full reductions** (`campaign/reduction.rs`), tested on the
//!    eligible subtotal after 1–3.
//! 5. **Coupons** (`coupon/step.rs`): item coupons, then order coupons, then
//!    shipping coupons; each threshold is tested on its eligible subtotal
//!    after the steps before it.
//! 6. **Points** as cash (`points/redeem.rs`): whole units, at most
//!    `max_share_bp` of the goods left after coupons on lines that take
//!    points.
//! 7. **Shipping** (`pricing/shipping.rs`): the fee, free once *goods after
//!    all discounts, before points* reach the rules' or the member's
//!    free-shipping threshold, or when a full reduction gives free shipping;
//!    then a shipping coupon.
//! 8. **Payable** = goods − points + shipping, never negative.
//! 9. **Earnings**, pending until the order completes: points =
//!    floor(paid × earn_per_yuan × tier multiplier × occasion multiplier /
//!    1,000,000) over lines that earn points, plus full-reduction bonus
//!    points (`points/earning.rs`); growth = floor(paid × growth per_yuan /
//!    100) over all lines (`membership/tier.rs`).
//!
//! Every amount taken off the order as a whole (a full reduction, an order
//! coupon, points) is spread over its lines by largest remainder, so the line
//! figures always add up to the totals.
//!
//! Worked example (demo rules, gold member, 9.5折 member price): 2 × tea at
//! ¥68 = ¥136.00 → member price −¥6.80 = ¥129.20 → 满100减20 coupon −¥20.00 =
//! ¥109.20 → shipping free (≥ ¥99) → payable ¥109.20.

pub mod cart;
pub mod line;
pub mod quote;
pub mod shipping;

use crate::campaign::reduction::ReductionOutcome;
use crate::code;
use crate::coupon::step::CouponReport;
use crate::error::{Problems, Result};
use crate::ledger::{self, Member};
use crate::membership::benefits::{self, Effective};
use crate::money::{self, Fen};
use crate::points::redeem::PointsReport;
use crate::rules::Rules;
use crate::time::{self, Millis};

pub use cart::Cart;
pub use line::Line;
pub use quote::{GiftLine, IssueCoupon, Quote, Step, Totals};
pub use shipping::ShippingReport;

/// Price a cart. `member` is `None` for a guest (no benefits, no wallet, no
/// points).
///
/// A review that is due by `now` runs first, as it would when the order is
/// booked, on a copy: the caller's member is untouched. (Lot expiry needs
/// no step: balances look at `now`.) Booking an order advances the member
/// to the event first, so no review is due then and nothing is copied.
pub fn quote(rules: &Rules, member: Option<&Member>, cart: &Cart, now: Millis) -> Result<Quote> {
    check(member, cart, now)?;
    match member {
        Some(m) if m.review_due(rules, now) => {
            let mut reviewed = m.clone();
            ledger::advance(rules, &mut reviewed, now);
            price(rules, Some(&reviewed), cart, now)
        }
        _ => price(rules, member, cart, now),
    }
}

/// What a quote refuses before any pricing.
fn check(member: Option<&Member>, cart: &Cart, now: Millis) -> Result<()> {
    time::check_instant(now, "now")?;
    let mut p = Problems::new();
    cart::check(cart, &mut p);
    p.finish(code::INPUT_INVALID, "输入无效", "the input is invalid")?;
    if let Some(m) = member {
        m.readable_at(now, "报价时间早于会员最后一个事件")?;
    }
    Ok(())
}

/// The quote of a checked cart for a member with no review due: the steps
/// of the pipeline, in order.
fn price(rules: &Rules, member: Option<&Member>, cart: &Cart, now: Millis) -> Result<Quote> {
    let mut p = Pricing::new(rules, member, cart, now);
    line::campaign_and_member_prices(&mut p)?; // 1–2
    crate::campaign::price::quantity_discounts(&mut p)?; // 3
    crate::campaign::reduction::full_reductions(&mut p)?; // 4
    crate::coupon::step::coupons(&mut p)?; // 5
    crate::points::redeem::points_as_cash(&mut p)?; // 6
    shipping::shipping(&mut p); // 7
    payable(&mut p)?; // 8
    crate::points::earning::points_to_earn(&mut p)?; // 9
    crate::membership::tier::growth_to_earn(&mut p)?; // 9
    p.into_quote()
}

/// What the steps share: the inputs, the lines as they are priced, and
/// what each step found for the steps after it and for the answer.
pub(crate) struct Pricing<'a> {
    pub rules: &'a Rules,
    pub member: Option<&'a Member>,
    pub cart: &'a Cart,
    pub now: Millis,
    /// The member's benefits at `now` (a guest's: none).
    pub eff: Effective,
    pub lines: Vec<Line>,
    /// Step 4: every full reduction the cart reaches into, applied or not.
    pub reductions: Vec<ReductionOutcome>,
    /// Step 4: the applied full reduction that gives free shipping (the first).
    pub free_shipping_by: Option<usize>,
    pub gifts: Vec<GiftLine>,
    pub coupons_to_issue: Vec<IssueCoupon>,
    /// Step 5: the coupons applied, usable and not, and what they take off
    /// the shipping fee.
    pub coupons: CouponReport,
    pub shipping_discount: Fen,
    /// Step 6: goods after every discount, before points.
    pub goods: Fen,
    pub points: PointsReport,
    /// Step 7: the fee, why it is free if it is, and what is left to pay.
    pub shipping: ShippingReport,
    /// Step 8: goods paid plus shipping.
    pub payable: Fen,
}

impl<'a> Pricing<'a> {
    fn new(rules: &'a Rules, member: Option<&'a Member>, cart: &'a Cart, now: Millis) -> Self {
        Pricing {
            rules,
            member,
            cart,
            now,
            eff: member.map_or_else(Effective::guest, |m| benefits::effective(rules, m, now)),
            // A line per cart line, more only where a limit splits one:
            // reserved once rather than grown a doubling at a time.
            lines: Vec::with_capacity(cart.lines.len()),
            reductions: Vec::new(),
            free_shipping_by: None,
            gifts: Vec::new(),
            coupons_to_issue: Vec::new(),
            coupons: CouponReport::default(),
            shipping_discount: 0,
            goods: 0,
            points: PointsReport::default(),
            shipping: ShippingReport::default(),
            payable: 0,
        }
    }

    /// The sum of one amount over the lines, checked.
    pub fn sum(&self, amount: fn(&Line) -> Fen) -> Result<Fen> {
        let mut t: Fen = 0;
        for l in &self.lines {
            t = money::add(t, amount(l))?;
        }
        Ok(t)
    }

    /// The answer: the totals by step, and every step's report.
    fn into_quote(self) -> Result<Quote> {
        let list = self.sum(|l| l.out.list)?;
        let (mut campaign_discount, mut member_discount, mut full_reduction_discount, mut coupon_discount) =
            (0, 0, 0, 0);
        for l in &self.lines {
            for d in &l.out.discounts {
                match d.step {
                    Step::Flash | Step::Limited | Step::Quantity => campaign_discount += d.amount,
                    Step::Member => member_discount += d.amount,
                    Step::FullReduction => full_reduction_discount += d.amount,
                    Step::Coupon => coupon_discount += d.amount,
                }
            }
        }
        let fee = self.rules.shipping.fee;
        let pay = self.shipping.pay;
        let totals = Totals {
            list,
            campaign_discount,
            member_discount,
            full_reduction_discount,
            coupon_discount,
            goods: self.goods,
            points_deduction: self.points.deduction,
            shipping_fee: fee,
            shipping_discount: fee - pay,
            shipping: pay,
            payable: self.payable,
            saved: list - self.goods + fee - pay,
        };
        let mut growth_to_earn = 0;
        let mut lines = Vec::with_capacity(self.lines.len());
        for l in self.lines {
            growth_to_earn += l.out.growth_to_earn;
            lines.push(l.out);
        }
        Ok(Quote {
            fingerprint: self.rules.fingerprint().to_string(),
            now: self.now,
            tier: self.member.map(|m| m.tier.clone()),
            member_day: self.eff.member_day,
            birthday: self.eff.birthday,
            lines,
            totals,
            campaigns: self.reductions,
            coupons: self.coupons,
            points: self.points,
            growth_to_earn,
            shipping: self.shipping,
            gifts: self.gifts,
            coupons_to_issue: self.coupons_to_issue,
        })
    }
}

/// Step 8: what each line pays (its goods less its points), and the
/// payable: the goods paid plus the shipping.
fn payable(p: &mut Pricing) -> Result<()> {
    for l in &mut p.lines {
        l.out.goods = l.amount;
        l.out.paid = l.amount - l.out.points_deduction;
    }
    let paid_goods = p.sum(|l| l.out.paid)?;
    p.payable = money::add(paid_goods, p.shipping.pay)?;
    Ok(())
}
