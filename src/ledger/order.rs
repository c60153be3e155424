//! Orders: booking the quote (`order_placed`), completing (`order_completed`)
//! and refunding (`order_refunded`).
//!
//! **Orders are priced by the engine.** `order_placed` carries the cart, not
//! a price: the core prices it at `at` against the state as it is, so the
//! booking is the quote. The host may pass the payable (and fingerprint)
//! the shopper saw; if the booking would differ, it is refused with
//! `QUOTE_MISMATCH` / `RULES_CHANGED`. Booking marks the coupons used and
//! takes the points from their lots in the same step — one decision the
//! host commits atomically.
//!
//! **Completing** credits the points and growth the order earned (less what
//! was refunded by then) and issues the coupons a full reduction gives.
//!
//! **Refunds** (some units of some lines, or all that is left) give back
//! exactly what those units paid: a line's paid amount, points used, points
//! earned and growth are shared out over its units so that refunding every
//! unit, in any number of steps, returns the whole. Points used go back to
//! their original lots; points earned are clawed back (see
//! `points/ledger.rs` for the debt rule); growth is taken back, but the tier
//! only changes at the next review. When the whole order is refunded, its
//! coupons come back if still valid, unused coupons it issued are
//! withdrawn, and the shipping fee is refunded.

use crate::code;
use crate::coupon::wallet::issue;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Error, Result};
use crate::ledger::{refuse, Booking, Gift, Member};
use crate::money::{self, Fen};
use crate::points::ledger::{Entry, LotUse};
use crate::pricing::quote::{PriceKind, QuoteLine};
use crate::pricing::{self, Cart};
use crate::rules::{Rules, MAX_ID_LEN};
use crate::time::Millis;

/// An order as booked: what each line paid, used and earned, so a refund can
/// reverse exactly that line.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Order {
    pub id: String,
    pub placed_at: Millis,
    pub completed_at: Option<Millis>,
    pub lines: Vec<OrderLine>,
    pub shipping: Fen,
    pub payable: Fen,
    pub coupons: Vec<String>,
    /// Lots the points used came from.
    pub points_from: Vec<LotUse>,
    pub points_returned: i64,
    /// The lot created when the order completed.
    pub earned_lot: Option<u32>,
    /// Coupons issued by a full reduction when the order completed.
    pub issued_coupons: Vec<String>,
    /// Templates of those coupons, waiting for the order to complete.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coupons_to_issue: Vec<String>,
    pub refunded: Fen,
    /// Fingerprint of the rules it was priced under.
    pub fingerprint: String,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct OrderLine {
    pub sku: String,
    pub quantity: i64,
    pub paid: Fen,
    pub points_used: i64,
    pub points_earned: i64,
    pub growth: i64,
    pub refunded_quantity: i64,
    /// The flash-sale or limited-time campaign its units were bought in
    /// (counted against per-member limits).
    pub campaign: Option<String>,
}

impl Order {
    pub fn fully_refunded(&self) -> bool {
        self.lines.iter().all(|l| l.refunded_quantity == l.quantity)
    }
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct RefundLine {
    /// Index of the order line (the quote line). A fixed-width type, so that
    /// every target reads the same numbers (a `usize` read 2^32 as a line on
    /// a 64-bit host and refused it as a type error in the 32-bit `.wasm`).
    pub line: u64,
    pub quantity: i64,
}

/// What a refund gave back, as `apply_event` answers it for
/// `order_refunded` (`docs/rules.md` §7.3): the money, the points (to and
/// from which lots), the growth and the coupons, so that nobody has to diff
/// two states to find out.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct Refund {
    pub order: String,
    /// The units refunded now, per order line (lines with none left out).
    pub lines: Vec<RefundedLine>,
    /// Money for the goods, in fen.
    pub goods: Fen,
    /// The shipping fee, refunded with the order's last unit.
    pub shipping: Fen,
    /// `goods + shipping`: what the shopper gets back.
    pub money: Fen,
    /// Points the order spent, given back to the lots they came from.
    pub points_returned: i64,
    /// Points the order earned (once completed), taken back.
    pub points_clawed_back: i64,
    /// Growth the order earned (once completed), taken back.
    pub growth_taken_back: i64,
    /// The entries this refund wrote to the points history: a `return`
    /// (to which lots; `debt` < 0 where returned points paid a debt) and a
    /// `clawback` (from which lots; `debt` > 0 for what could not be taken).
    pub points: Vec<Entry>,
    /// Coupons the order used, back in the wallet unused (the order is
    /// refunded in full and they are still valid).
    pub coupons_returned: Vec<String>,
    /// Coupons the order used that stay used: they expired since.
    pub coupons_kept_used: Vec<String>,
    /// Coupons the order issued (满减送), withdrawn from the wallet unused.
    pub coupons_withdrawn: Vec<String>,
    /// Whether the whole order is now refunded.
    pub fully_refunded: bool,
}

/// One order line's part of a [`Refund`].
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct RefundedLine {
    /// Index of the order line.
    pub line: u32,
    pub sku: String,
    pub quantity: i64,
    pub money: Fen,
    pub points_returned: i64,
    pub points_clawed_back: i64,
    pub growth_taken_back: i64,
}

impl Member {
    /// Units of `sku` this member bought in `campaign`, net of refunds (for
    /// per-member campaign limits).
    pub fn bought(&self, campaign: &str, sku: &str) -> i64 {
        let mut n = 0;
        for o in self.orders.values() {
            for l in &o.lines {
                if l.campaign.as_deref() == Some(campaign) && l.sku == sku {
                    n += l.quantity - l.refunded_quantity;
                }
            }
        }
        n
    }
}

fn not_found(order: &str) -> Error {
    refuse(code::ORDER_NOT_FOUND, "event.order", format!("没有订单 `{order}`"), format!("no order `{order}`"))
}

/// `order_placed`: the cart priced now and booked as it is priced, unless
/// the payable or the rules differ from what the shopper saw.
pub(crate) fn placed(
    rules: &Rules,
    m: &mut Member,
    b: &Booking,
    order: &str,
    cart: &Cart,
    expect_payable: Option<Fen>,
    expect_fingerprint: Option<&str>,
) -> Result<()> {
    if order.is_empty() || order.len() > MAX_ID_LEN {
        return Err(refuse(
            code::BAD_ID,
            "event.order",
            "订单标识须为 1 到 64 字节",
            "an order id must be 1 to 64 bytes",
        ));
    }
    if m.orders.contains_key(order) {
        return Err(refuse(
            code::DUPLICATE_ORDER,
            "event.order",
            format!("订单 `{order}` 已存在"),
            format!("order `{order}` already exists"),
        ));
    }
    // The member is advanced to the event already: no review is due, so
    // the quote prices this very state.
    let mut q = pricing::quote(rules, Some(&*m), cart, b.at).map_err(|e| e.under("event"))?;
    if expect_fingerprint.is_some_and(|fp| fp != q.fingerprint) {
        return Err(refuse(
            code::RULES_CHANGED,
            "event.expect_fingerprint",
            "规则已变更，请重新下单",
            "the rules changed since the quote; quote again",
        ));
    }
    if let Some(p) = expect_payable.filter(|&p| p != q.totals.payable) {
        let (now, expected) = (money::yuan(q.totals.payable), money::yuan(p));
        return Err(refuse(
            code::QUOTE_MISMATCH,
            "event.expect_payable",
            format!("应付金额已变为 {now}（预期 {expected}）"),
            format!("the payable is now {now} (expected {expected})"),
        ));
    }
    let reference = format!("order:{order}");
    let points_from = m.points.spend(b.at, q.points.used, &reference).map_err(|e| e.under("event.cart.points"))?;
    let mut coupons = Vec::new();
    for c in &q.coupons.applied {
        if let Some(w) = m.wallet.iter_mut().find(|w| w.id == c.id) {
            w.used_by = Some(order.to_string());
        }
        coupons.push(c.id.clone());
    }
    // Coupons a full reduction gives are issued when the order completes,
    // like its points, so a refunded order cannot leave one behind.
    let mut to_issue = Vec::new();
    for c in &q.coupons_to_issue {
        to_issue.push(c.template.clone());
    }
    for g in &q.gifts {
        m.gifts.push(Gift { sku: g.sku.clone(), at: b.at, reference: reference.clone() });
    }
    let mut lines = Vec::with_capacity(q.lines.len());
    for l in &q.lines {
        lines.push(order_line(l));
    }
    let booked = Order {
        id: order.to_string(),
        placed_at: b.at,
        completed_at: None,
        lines,
        shipping: q.totals.shipping,
        payable: q.totals.payable,
        coupons,
        points_from,
        points_returned: 0,
        earned_lot: None,
        issued_coupons: Vec::new(),
        coupons_to_issue: to_issue,
        refunded: 0,
        // Taken, not moved out: the rest of the quote is then dropped as
        // one value, not field by field here.
        fingerprint: std::mem::take(&mut q.fingerprint),
    };
    m.orders.insert(order.to_string(), booked);
    Ok(())
}

/// A quote line as the order keeps it: what it paid, used and earns, and
/// the campaign its units count against when a campaign priced them.
fn order_line(l: &QuoteLine) -> OrderLine {
    let in_campaign = matches!(l.price, PriceKind::Flash | PriceKind::Limited | PriceKind::LimitedAndMember);
    OrderLine {
        sku: l.sku.clone(),
        quantity: l.quantity,
        paid: l.paid,
        points_used: l.points_used,
        points_earned: l.points_to_earn,
        growth: l.growth_to_earn,
        refunded_quantity: 0,
        campaign: l.campaign.clone().filter(|_| in_campaign),
    }
}

/// `order_completed`: the points (one new lot) and growth the order earned,
/// less the share of units refunded already, and, unless it was refunded
/// in full, the coupons its full reductions give (`{order}/{k}`).
pub(crate) fn completed(rules: &Rules, m: &mut Member, b: &Booking, order: &str) -> Result<()> {
    let o = m.orders.get(order).ok_or_else(|| not_found(order))?;
    if o.completed_at.is_some() {
        return Err(refuse(
            code::ORDER_ALREADY_COMPLETED,
            "event.order",
            "订单已完成",
            "the order is already completed",
        ));
    }
    let mut pts = 0;
    let mut growth = 0;
    for l in &o.lines {
        pts += l.points_earned - money::cumulative_share(l.points_earned, l.refunded_quantity, l.quantity)?;
        growth += l.growth - money::cumulative_share(l.growth, l.refunded_quantity, l.quantity)?;
    }
    let (templates, kept) = (o.coupons_to_issue.clone(), !o.fully_refunded());
    let reference = format!("order:{order}");
    let lot = m.points.earn(rules.zone(), rules.points.expiry, b.at, pts, &reference, &reference)?;
    m.add_growth(rules, b.at, growth, &reference);
    let mut issued = Vec::new();
    if kept {
        for (k, tid) in templates.iter().enumerate() {
            // Validation makes sure the template exists.
            if let Some(t) = rules.template(tid) {
                let id = format!("{order}/{k}");
                issue(rules, m, t, &id, b.at)?;
                issued.push(id);
            }
        }
    }
    let o = m.orders.get_mut(order).ok_or_else(|| not_found(order))?;
    o.completed_at = Some(b.at);
    o.earned_lot = lot;
    o.issued_coupons = issued;
    Ok(())
}

/// `order_refunded`: the units asked for (or all that is left), each line's
/// share of what they paid, used and earned given back or taken back.
pub(crate) fn refunded(m: &mut Member, b: &Booking, order: &str, lines: Option<&[RefundLine]>) -> Result<Refund> {
    let o = m.orders.get(order).ok_or_else(|| not_found(order))?;
    let qty = units(o, lines)?;
    let completed = o.completed_at.is_some();
    let mut money_back = 0;
    let mut used_back = 0;
    let mut earned_back = 0;
    let mut growth_back = 0;
    let mut receipt_lines = Vec::new();
    for (i, (l, &q)) in o.lines.iter().zip(&qty).enumerate() {
        let (r0, r1) = (l.refunded_quantity, l.refunded_quantity + q);
        let delta = |v: i64| -> Result<i64> {
            Ok(money::cumulative_share(v, r1, l.quantity)? - money::cumulative_share(v, r0, l.quantity)?)
        };
        let line = RefundedLine {
            line: u32::try_from(i).unwrap_or(u32::MAX),
            sku: l.sku.clone(),
            quantity: q,
            money: delta(l.paid)?,
            points_returned: delta(l.points_used)?,
            points_clawed_back: if completed { delta(l.points_earned)? } else { 0 },
            growth_taken_back: if completed { delta(l.growth)? } else { 0 },
        };
        money_back += line.money;
        used_back += line.points_returned;
        earned_back += line.points_clawed_back;
        growth_back += line.growth_taken_back;
        if q > 0 {
            receipt_lines.push(line);
        }
    }
    let reference = format!("refund:{order}");
    let history = m.points.history.len();
    // `o` borrows `m.orders` only: the points, another field of `m`, are
    // booked while it is held, without copying its lists.
    let (returned, lot) = (o.points_returned, o.earned_lot);
    if used_back > 0 {
        m.points.give_back(b.at, &o.points_from, returned, used_back, &reference);
    }
    if completed {
        m.points.claw_back(b.at, lot, earned_back, &reference);
        m.take_back_growth(b.at, growth_back, &reference);
    }
    let o = m.orders.get_mut(order).ok_or_else(|| not_found(order))?;
    for (l, q) in o.lines.iter_mut().zip(&qty) {
        l.refunded_quantity += q;
    }
    o.points_returned += used_back;
    o.refunded += money_back;
    let mut receipt = Refund {
        order: order.to_string(),
        lines: receipt_lines,
        goods: money_back,
        shipping: 0,
        money: money_back,
        points_returned: used_back,
        points_clawed_back: earned_back,
        growth_taken_back: growth_back,
        points: m.points.history.get(history..).map(<[Entry]>::to_vec).unwrap_or_default(),
        coupons_returned: Vec::new(),
        coupons_kept_used: Vec::new(),
        coupons_withdrawn: Vec::new(),
        fully_refunded: o.fully_refunded(),
    };
    if o.fully_refunded() {
        o.refunded += o.shipping;
        receipt.shipping = o.shipping;
        receipt.money += o.shipping;
        // The wallet is another field of `m`: the order's lists are read
        // where they are.
        for c in m.wallet.iter_mut() {
            if o.coupons.contains(&c.id) && c.used_by.as_deref() == Some(order) {
                if b.at <= c.valid_until {
                    c.used_by = None;
                    receipt.coupons_returned.push(c.id.clone());
                } else {
                    receipt.coupons_kept_used.push(c.id.clone());
                }
            }
        }
        m.wallet.retain(|c| {
            let withdrawn = o.issued_coupons.contains(&c.id) && c.used_by.is_none();
            if withdrawn {
                receipt.coupons_withdrawn.push(c.id.clone());
            }
            !withdrawn
        });
    }
    Ok(receipt)
}

/// The units to refund, per order line: those asked for, or all that is
/// left; at least one in all.
fn units(o: &Order, lines: Option<&[RefundLine]>) -> Result<Vec<i64>> {
    let mut qty = vec![0i64; o.lines.len()];
    match lines {
        None => {
            for (q, l) in qty.iter_mut().zip(&o.lines) {
                *q = l.quantity - l.refunded_quantity;
            }
        }
        Some(rs) => {
            for (k, r) in rs.iter().enumerate() {
                let at = usize::try_from(r.line).ok();
                let Some((i, l)) = at.and_then(|i| o.lines.get(i).map(|l| (i, l))) else {
                    return Err(refuse(
                        code::BAD_LINE,
                        &format!("event.lines[{k}].line"),
                        "订单没有这一行",
                        "the order has no such line",
                    ));
                };
                qty[i] = qty[i].saturating_add(r.quantity);
                if r.quantity < 1 || qty[i] > l.quantity - l.refunded_quantity {
                    let left = l.quantity - l.refunded_quantity;
                    return Err(refuse(
                        code::REFUND_TOO_MANY,
                        &format!("event.lines[{k}].quantity"),
                        format!("可退数量为 {left}"),
                        format!("{left} unit(s) can be refunded"),
                    ));
                }
            }
        }
    }
    if qty.iter().all(|&q| q == 0) {
        return Err(refuse(code::NOTHING_TO_REFUND, "event", "没有可退的商品", "nothing left to refund"));
    }
    Ok(qty)
}
