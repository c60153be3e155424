//! The campaigns that set a line's price: steps 1 (秒杀 flash sale, 限时折扣
//! limited-time discount, with the member price against or on top of it)
//! and 3 (N件折 quantity discount) of the pipeline.

use crate::campaign::{Campaign, CampaignKind, FlashItem, LimitedItem};
use crate::code;
use crate::error::Result;
use crate::money::{self, BP};
use crate::pricing::line::{CartLinePricing, Line};
use crate::pricing::quote::{note, PriceKind, Step, Text};
use crate::pricing::Pricing;
use crate::sorting::{self, SortedMap};

/// Units already priced per (campaign, SKU) by earlier lines of the cart:
/// one SKU on two lines shares the limit and the stock.
pub(crate) type InCart<'a> = SortedMap<(&'a str, &'a str), i64>;

/// Step 1 for a line whose SKU a price campaign covers: its campaign price
/// for the units within the limits, and the member price for the rest.
pub(crate) fn price_line<'a>(
    c: &'a Campaign,
    at: &CartLinePricing<'a>,
    in_cart: &mut InCart<'a>,
    out: &mut Vec<Line>,
) -> Result<()> {
    let sku = at.line.sku.as_str();
    match &c.kind {
        CampaignKind::FlashSale { items, per_member_limit, allow_coupons, earn_points } => {
            if let Some(item) = c.flash_item(items, sku) {
                let sale = FlashSale {
                    campaign: c,
                    item,
                    limit: *per_member_limit,
                    allow_coupons: *allow_coupons,
                    earn_points: *earn_points,
                };
                return sale.price(at, in_cart.entry((&c.id, sku)).or_insert(0), out);
            }
        }
        CampaignKind::LimitedDiscount { items, per_member_limit, stack_with_member_price } => {
            if let Some(item) = c.limited_item(items, sku) {
                let offer =
                    LimitedDiscount { campaign: c, item, limit: *per_member_limit, stack: *stack_with_member_price };
                return offer.price(at, in_cart.entry((&c.id, sku)).or_insert(0), out);
            }
        }
        CampaignKind::QuantityDiscount { .. } => {
            let mut l = at.at_member_price(at.line.quantity)?;
            l.quantity_campaign = Some(c.id.clone());
            out.push(l);
            return Ok(());
        }
        CampaignKind::FullReduction { .. } => {}
    }
    // Not a campaign that prices this SKU (`price_campaign` returns none).
    out.push(at.at_member_price(at.line.quantity)?);
    Ok(())
}

/// A flash sale's offer for one SKU.
struct FlashSale<'a> {
    campaign: &'a Campaign,
    item: &'a FlashItem,
    limit: u32,
    allow_coupons: bool,
    earn_points: bool,
}

impl FlashSale<'_> {
    /// The units within the member's limit and the stock left at the flash
    /// price; the rest at the member price, with a note saying why.
    fn price(&self, at: &CartLinePricing, taken: &mut i64, out: &mut Vec<Line>) -> Result<()> {
        let (c, item, limit) = (self.campaign, self.item, self.limit);
        let l = at.line;
        let sold = at.cart.sold.get(&c.id).and_then(|m| m.get(&l.sku)).copied().unwrap_or(0);
        let stock_left = (item.stock - sold - *taken).max(0);
        let limit_left = (limit as i64 - at.bought(&c.id) - *taken).max(0);
        let n = if item.price < l.unit_price { l.quantity.min(stock_left).min(limit_left) } else { 0 };
        *taken += n;
        if n > 0 {
            let mut w = at.at_list(n)?;
            let price = money::mul(item.price, n)?;
            w.take(Step::Flash, &Text::shared(c.id.as_str()), w.out.list - price);
            w.out.price = PriceKind::Flash;
            w.out.campaign = Some(c.id.clone());
            w.out.coupons_allowed = self.allow_coupons;
            w.out.points_allowed = self.earn_points;
            let price = money::yuan(item.price);
            w.out.notes.push(note(
                code::FLASH_PRICE,
                format!("秒杀价 {price}，限购 {limit} 件"),
                format!("flash price {price}, limit {limit} per member"),
            ));
            if !self.allow_coupons {
                w.out.notes.push(note(code::FLASH_NO_COUPON, "秒杀商品不可用券", "flash-sale items take no coupons"));
            }
            if !self.earn_points {
                w.out.notes.push(note(
                    code::FLASH_NO_POINTS,
                    "秒杀商品不可用积分抵扣、不送积分",
                    "flash-sale items neither take nor earn points",
                ));
            }
            out.push(w);
        }
        let rest = l.quantity - n;
        if rest > 0 {
            let why = if item.price >= l.unit_price {
                note(
                    code::FLASH_NOT_LOWER,
                    "秒杀价不低于售价，按售价计",
                    "the flash price is not below the price; the price applies",
                )
            } else if stock_left < l.quantity.min(limit_left) || (stock_left == 0) {
                note(
                    code::FLASH_SOLD_OUT,
                    format!("秒杀库存仅剩 {stock_left} 件，超出部分恢复原价"),
                    format!("only {stock_left} left at the flash price; the rest at the normal price"),
                )
            } else {
                let price = money::yuan(item.price);
                note(
                    code::FLASH_LIMIT,
                    format!("秒杀价 {price}，限购 {limit} 件，超出部分恢复原价"),
                    format!("flash price {price} is limited to {limit} per member; the rest at the normal price"),
                )
            };
            out.push(at.past_limit(rest, why)?);
        }
        Ok(())
    }
}

/// A limited-time discount's offer for one SKU.
struct LimitedDiscount<'a> {
    campaign: &'a Campaign,
    item: &'a LimitedItem,
    limit: Option<u32>,
    /// The member rate applies on top of the limited price.
    stack: bool,
}

impl LimitedDiscount<'_> {
    /// The units within the member's limit at the limited price (or the
    /// member price, if better and the two do not stack); the rest at the
    /// member price.
    fn price(&self, at: &CartLinePricing, taken: &mut i64, out: &mut Vec<Line>) -> Result<()> {
        let (c, item) = (self.campaign, self.item);
        let l = at.line;
        let n = match self.limit {
            Some(lim) => l.quantity.min((lim as i64 - at.bought(&c.id) - *taken).max(0)),
            None => l.quantity,
        };
        *taken += n;
        if n > 0 {
            let mut w = at.at_list(n)?;
            let limited_off = match (item.price, item.pay_bp) {
                (Some(p), _) => (w.out.list - money::mul(p, n)?).max(0),
                (None, Some(bp)) => money::percent_off(w.out.list, bp)?,
                _ => 0,
            };
            let member = at.member_price.off(&w)?;
            w.out.campaign = Some(c.id.clone());
            let label = item.price.map_or_else(|| money::zhe(item.pay_bp.unwrap_or(BP)), money::yuan);
            if self.stack {
                w.take(Step::Limited, &Text::shared(c.id.as_str()), limited_off);
                w.out.price = PriceKind::Limited;
                if let Some((_, src, bp)) = member {
                    let off = money::percent_off(w.amount, bp)?;
                    w.take(Step::Member, &src, off);
                    w.out.price = PriceKind::LimitedAndMember;
                    w.out.notes.push(note(
                        code::LIMITED_AND_MEMBER,
                        format!("限时价 {label}，再享会员价 {}", money::zhe(bp)),
                        format!("limited-time price {label}, plus member price: pay {}", money::pct(bp)),
                    ));
                } else {
                    w.out.notes.push(note(
                        code::LIMITED_PRICE,
                        format!("限时价 {label}"),
                        format!("limited-time price {label}"),
                    ));
                }
            } else {
                match member {
                    Some((moff, src, bp)) if moff > limited_off => {
                        w.take(Step::Member, &src, moff);
                        w.out.price = PriceKind::Member;
                        w.out.campaign = None;
                        w.out.notes.push(note(
                            code::MEMBER_BEATS_LIMITED,
                            format!("会员价 {} 比限时价 {label} 更优惠", money::zhe(bp)),
                            format!(
                                "member price (pay {}) is better than the limited-time price {label}",
                                money::pct(bp)
                            ),
                        ));
                    }
                    other => {
                        w.take(Step::Limited, &Text::shared(c.id.as_str()), limited_off);
                        w.out.price = PriceKind::Limited;
                        let (zh, en) = if other.is_some() {
                            (
                                format!("限时价 {label} 优于会员价，二者不叠加"),
                                format!("limited-time price {label} beats the member price; they do not stack"),
                            )
                        } else {
                            (format!("限时价 {label}"), format!("limited-time price {label}"))
                        };
                        w.out.notes.push(note(code::LIMITED_PRICE, zh, en));
                    }
                }
            }
            out.push(w);
        }
        let rest = l.quantity - n;
        if rest > 0 {
            let lim = self.limit.unwrap_or(0);
            let why = note(
                code::LIMITED_LIMIT,
                format!("限时价限购 {lim} 件，超出部分恢复原价"),
                format!("the limited-time price is limited to {lim} per member; the rest at the normal price"),
            );
            out.push(at.past_limit(rest, why)?);
        }
        Ok(())
    }
}

/// Step 3: for each active quantity campaign, among its units in the cart,
/// dearest first (ties: cart order), every `nth` unit pays `pay_bp`.
pub(crate) fn quantity_discounts(p: &mut Pricing) -> Result<()> {
    for c in &p.rules.campaigns {
        let CampaignKind::QuantityDiscount { nth, pay_bp, .. } = &c.kind else { continue };
        if !c.active(p.rules, p.now) {
            continue;
        }
        // The campaign's units, dearest first (ties: cart order, the order
        // is stable), as one run per line: a line's units all have the same
        // value.
        let (mut units, mut lines) = (Vec::new(), Vec::new());
        for (i, w) in p.lines.iter().enumerate() {
            if w.quantity_campaign.as_deref() == Some(&c.id) {
                units.push(money::cumulative_share(w.amount, 1, w.out.quantity)?);
                lines.push(i);
            }
        }
        let mut off = vec![0; p.lines.len()];
        let nth = *nth as i64;
        let mut before = 0; // units ahead of this run
        for k in sorting::order_by(&units, |a, b| b.cmp(a)) {
            let (unit, i) = (units[k as usize], lines[k as usize]);
            let count = p.lines[i].out.quantity;
            // Positions before+1 … before+count that are a multiple of nth.
            let hits = (before + count) / nth - before / nth;
            off[i] = money::mul(money::percent_off(unit, *pay_bp)?, hits)?;
            before += count;
        }
        // The same source and two notes for every line of the campaign:
        // written once.
        let source = Text::shared(c.id.as_str());
        let applied = note(
            code::QUANTITY_DISCOUNT,
            format!("「{}」：每第 {} 件{}", c.name, nth, unit_price_zh(*pay_bp)),
            format!("“{}”: every {} unit {}", c.name, ordinal(nth as u32), unit_price_en(*pay_bp)),
        );
        let not_reached = note(
            code::QUANTITY_DISCOUNT_NOT_REACHED,
            format!("「{}」：满 {} 件可享", c.name, nth),
            format!("“{}”: applies from the {} unit", c.name, ordinal(nth as u32)),
        );
        for (i, w) in p.lines.iter_mut().enumerate() {
            if off[i] > 0 {
                w.take(Step::Quantity, &source, off[i]);
                w.out.campaign = Some(c.id.clone());
                w.out.notes.push(applied.clone());
            } else if w.quantity_campaign.as_deref() == Some(&c.id) {
                w.out.notes.push(not_reached.clone());
            }
        }
    }
    Ok(())
}

/// What the discounted unit costs, for people: a free unit is 免费, not
/// "0折".
fn unit_price_zh(pay_bp: i64) -> String {
    if pay_bp == 0 {
        "免费".to_string()
    } else {
        format!(" {}", money::zhe(pay_bp))
    }
}

/// As [`unit_price_zh`]: "is free", not "pays 0%".
fn unit_price_en(pay_bp: i64) -> String {
    if pay_bp == 0 {
        "is free".to_string()
    } else {
        format!("pays {}", money::pct(pay_bp))
    }
}

/// 2 → "2nd", 11 → "11th".
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn ordinals() {
        assert_eq!(super::ordinal(2), "2nd");
        assert_eq!(super::ordinal(11), "11th");
        assert_eq!(super::ordinal(23), "23rd");
    }
}
