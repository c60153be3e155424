//! Steps 1–2 of the pipeline: each cart line becomes one quote line (two
//! where a campaign's limit splits it) at its campaign price and member
//! price. The campaign prices are `campaign/price.rs`'s; the member price is
//! applied here, at the rate `membership/benefits.rs` picks.

use crate::campaign;
use crate::error::Result;
use crate::ledger::Member;
use crate::membership::benefits::{Effective, Source};
use crate::money::{self, Fen};
use crate::pricing::cart::{Cart, CartLine};
use crate::pricing::quote::{note, Discount, Note, PriceKind, QuoteLine, Step, Text};
use crate::pricing::Pricing;
use crate::sorting::SortedMap;

/// A quote line while the pipeline runs: the line as it will be answered,
/// and its amount after the discounts so far.
pub struct Line {
    pub out: QuoteLine,
    pub amount: Fen,
    /// The quantity campaign (第二件半价) its units count in, for step 3.
    pub quantity_campaign: Option<String>,
}

impl Line {
    /// Take `amount` off, as a discount of `step` from `source`.
    pub fn take(&mut self, step: Step, source: &Text, amount: Fen) {
        if amount != 0 {
            self.amount -= amount;
            self.out.discounts.push(Discount { step, source: source.clone(), amount });
        }
    }
}

/// The member price as the pipeline applies it: the best rate for a line's
/// category, and its note, written once per rate rather than per line.
pub(crate) struct MemberPrice<'e> {
    eff: &'e Effective,
    notes: Vec<(i64, Note)>,
}

impl<'e> MemberPrice<'e> {
    fn new(eff: &'e Effective) -> Self {
        let mut notes = Vec::with_capacity(eff.discounts.len());
        for d in &eff.discounts {
            notes.push((
                d.0,
                note(
                    crate::code::MEMBER_PRICE,
                    format!("会员价 {}", money::zhe(d.0)),
                    format!("member price: pay {}", money::pct(d.0)),
                ),
            ));
        }
        MemberPrice { eff, notes }
    }

    /// The member price on `l` at its current amount, if one applies to its
    /// category: (amount off, source, rate).
    pub fn off(&self, l: &Line) -> Result<Option<(Fen, Source, i64)>> {
        match self.eff.discount_for(&l.out.category) {
            Some((bp, src)) => Ok(Some((money::percent_off(l.amount, bp)?, src, bp))),
            None => Ok(None),
        }
    }

    /// The member price on a line no campaign prices: taken off with its
    /// note, or a note that the line's category is excluded from it.
    pub fn apply(&self, l: &mut Line) -> Result<()> {
        match self.off(l)? {
            Some((off, src, bp)) if off > 0 => {
                l.take(Step::Member, &src, off);
                l.out.price = PriceKind::Member;
                if let Some((_, n)) = self.notes.iter().find(|(b, _)| *b == bp) {
                    l.out.notes.push(n.clone());
                }
            }
            Some(_) => {}
            None if !self.eff.discounts.is_empty() => {
                let category = &l.out.category;
                let excluded = note(
                    crate::code::MEMBER_PRICE_EXCLUDED,
                    format!("「{category}」类目不参与会员价"),
                    format!("category “{category}” is excluded from the member price"),
                );
                l.out.notes.push(excluded);
            }
            None => {}
        }
        Ok(())
    }
}

/// One cart line being priced: which it is, and for whom.
pub(crate) struct CartLinePricing<'a> {
    pub index: usize,
    pub line: &'a CartLine,
    pub cart: &'a Cart,
    pub member: Option<&'a Member>,
    pub member_price: &'a MemberPrice<'a>,
}

impl CartLinePricing<'_> {
    /// `qty` units of the cart line at list price: a quote line before any
    /// discount.
    pub fn at_list(&self, qty: i64) -> Result<Line> {
        let l = self.line;
        let list = money::mul(l.unit_price, qty).map_err(|e| e.under(&format!("cart.lines[{}]", self.index)))?;
        Ok(Line {
            out: QuoteLine {
                cart_line: u32::try_from(self.index).unwrap_or(u32::MAX),
                sku: l.sku.clone(),
                category: l.category.clone(),
                quantity: qty,
                unit_price: l.unit_price,
                list,
                price: PriceKind::List,
                campaign: None,
                coupons_allowed: true,
                points_allowed: true,
                // Room for the usual few (a price, a full reduction, two
                // coupons) up front: growing from empty was two allocations.
                discounts: Vec::with_capacity(4),
                goods: 0,
                points_used: 0,
                points_deduction: 0,
                paid: 0,
                points_to_earn: 0,
                growth_to_earn: 0,
                notes: Vec::new(),
            },
            amount: list,
            quantity_campaign: None,
        })
    }

    /// `qty` units at the member price (no campaign prices them).
    pub fn at_member_price(&self, qty: i64) -> Result<Line> {
        let mut l = self.at_list(qty)?;
        self.member_price.apply(&mut l)?;
        Ok(l)
    }

    /// `qty` units past a campaign's limit: at the member price, with the
    /// note `why` they are not at the campaign's.
    pub fn past_limit(&self, qty: i64, why: Note) -> Result<Line> {
        let mut l = self.at_list(qty)?;
        l.out.notes.push(why);
        self.member_price.apply(&mut l)?;
        Ok(l)
    }

    /// Units of this line's SKU the member bought in `campaign` before.
    pub fn bought(&self, campaign: &str) -> i64 {
        self.member.map_or(0, |m| m.bought(campaign, &self.line.sku))
    }
}

/// Steps 1–2: every cart line at its campaign price (a flash sale or a
/// limited-time discount) and member price, in cart order.
pub(crate) fn campaign_and_member_prices(p: &mut Pricing) -> Result<()> {
    let member_price = MemberPrice::new(&p.eff);
    let active = campaign::active_price_campaigns(p.rules, p.now);
    // Units already priced by a flash or limited campaign on earlier lines
    // of this cart: one SKU on two lines shares the limit and the stock.
    let mut in_cart: campaign::price::InCart = SortedMap::new();
    for (index, line) in p.cart.lines.iter().enumerate() {
        let at = CartLinePricing { index, line, cart: p.cart, member: p.member, member_price: &member_price };
        match campaign::price_campaign(&active, &line.sku, &line.category) {
            Some(c) => campaign::price::price_line(c, &at, &mut in_cart, &mut p.lines)?,
            None => p.lines.push(at.at_member_price(line.quantity)?),
        }
    }
    Ok(())
}
