//! What a coupon saves on a cart, which coupons may combine, and the best
//! combination in a wallet (the rules in words are in `mod.rs`).

use crate::code;
use crate::coupon::template::{CouponKind, CouponTemplate, Group};
use crate::coupon::wallet::WalletCoupon;
use crate::coupon::Refusal;
use crate::error::Error;
use crate::money::{self, Fen};
use crate::sorting;
use crate::time::Millis;

/// What the coupon logic needs to know about a cart line.
#[derive(Debug, Clone)]
pub struct LineView<'a> {
    pub sku: &'a str,
    pub category: &'a str,
    pub quantity: i64,
    /// Campaign rules may shut a line off from coupons (秒杀).
    pub coupon_ok: bool,
}

/// Which lines a coupon's scope covers, whether or not they take coupons.
/// Worked out once per coupon and quote: the search tries each coupon many
/// times on the same lines.
pub fn scope_mask(t: &CouponTemplate, lines: &[LineView]) -> Vec<bool> {
    if t.scope.is_everything() {
        return vec![true; lines.len()];
    }
    let mut mask = Vec::with_capacity(lines.len());
    for l in lines {
        mask.push(t.scope.covers(l.sku, l.category));
    }
    mask
}

/// What a goods coupon takes off the current line `amounts`, before it is
/// spread over the lines.
enum Take {
    /// One unit of line `i` (an exchange coupon).
    Unit(usize, Fen),
    /// This much off the eligible lines, in proportion to their amounts.
    Off(Fen),
}

impl Take {
    fn total(&self) -> Fen {
        match *self {
            Take::Unit(_, f) | Take::Off(f) => f,
        }
    }
}

/// A goods coupon (item or order group) on the current line `amounts`;
/// `scope` is its [`scope_mask`].
fn take(t: &CouponTemplate, scope: &[bool], lines: &[LineView], amounts: &[Fen]) -> Result<Take, Refusal> {
    // A plain index loop: the search runs this for every item coupon over
    // every line.
    let n = amounts.len().min(lines.len()).min(scope.len());
    let mut any = false;
    let mut base: Fen = 0;
    for i in 0..n {
        if lines[i].coupon_ok && scope[i] {
            any = true;
            base += amounts[i];
        }
    }
    if !any {
        let blocked = (0..lines.len()).any(|i| !lines[i].coupon_ok && scope[i]);
        return Err(if blocked {
            Refusal::new(
                code::COUPON_LINE_EXCLUDED,
                "适用商品参与的活动不可用券",
                "the eligible items are in a campaign that takes no coupons",
            )
        } else {
            Refusal::new(
                code::COUPON_SCOPE_EMPTY,
                "购物车中没有适用商品",
                "no item in the cart is in the coupon's scope",
            )
        });
    }
    if base == 0 {
        // The items in scope are there but cost nothing by now (free, or
        // discounted to zero): the coupon has nothing to take off.
        return Err(no_saving());
    }
    if let CouponKind::Exchange { sku } = &t.kind {
        // One unit of the first line with this SKU becomes free: that
        // unit's share of the line's current amount, floored.
        let Some(i) = (0..n).find(|&i| lines[i].coupon_ok && scope[i] && lines[i].sku == sku) else {
            return Err(Refusal::new(
                code::COUPON_SCOPE_EMPTY,
                format!("购物车中没有 {sku}"),
                format!("{sku} is not in the cart"),
            ));
        };
        let unit = money::cumulative_share(amounts[i], 1, lines[i].quantity).map_err(overflow)?;
        return if unit > 0 { Ok(Take::Unit(i, unit)) } else { Err(no_saving()) };
    }
    Ok(Take::Off(off_subtotal(t, base)?))
}

/// What a goods coupon saves in all on the current line `amounts` (the sum
/// of [`goods_discount`], without spreading it).
pub fn goods_saving(t: &CouponTemplate, scope: &[bool], lines: &[LineView], amounts: &[Fen]) -> Result<Fen, Refusal> {
    take(t, scope, lines, amounts).map(|x| x.total())
}

/// Per-line discounts of a goods coupon (item or order group) on the current
/// line `amounts`. Shipping coupons are handled by [`shipping_discount`].
pub fn goods_discount(
    t: &CouponTemplate,
    scope: &[bool],
    lines: &[LineView],
    amounts: &[Fen],
) -> Result<Vec<Fen>, Refusal> {
    match take(t, scope, lines, amounts)? {
        Take::Unit(i, unit) => {
            let mut v = vec![0; lines.len()];
            v[i] = unit;
            Ok(v)
        }
        Take::Off(off) => {
            let mut weights: Vec<Fen> = Vec::with_capacity(lines.len());
            for i in 0..lines.len() {
                weights.push(if lines[i].coupon_ok && scope[i] { amounts[i] } else { 0 });
            }
            money::split(off, &weights).map_err(overflow)
        }
    }
}

/// Why an amount-off, percent-off or shipping coupon takes nothing, before
/// it is put in words: the best-combination search tries many combinations
/// that fail, and only a coupon that is reported needs its refusal written.
enum Miss {
    /// Below this threshold.
    Short(Fen),
    NoSaving,
    NoFee,
    NotGoods,
    NotShipping,
    Overflow,
}

impl Miss {
    /// The refusal; `have` is what the threshold was tested on.
    fn refusal(self, have: Fen) -> Refusal {
        match self {
            Miss::Short(threshold) => Refusal::short(threshold, have),
            Miss::NoSaving => no_saving(),
            Miss::NoFee => {
                Refusal::new(code::COUPON_NO_SHIPPING_FEE, "本单已免运费", "this order has no shipping fee to take off")
            }
            Miss::NotGoods => {
                Refusal::new(code::COUPON_NOT_GOODS, "不是满减或折扣券", "not an amount-off or percent-off coupon")
            }
            Miss::NotShipping => Refusal::new(code::COUPON_NOT_SHIPPING, "不是运费券", "not a shipping coupon"),
            Miss::Overflow => overflow_refusal(),
        }
    }
}

/// What an amount-off or percent-off coupon takes off an eligible
/// subtotal: the threshold is tested on it, a percentage is rounded half up
/// and capped, and the result never exceeds the subtotal.
fn off_subtotal(t: &CouponTemplate, base: Fen) -> Result<Fen, Refusal> {
    off_amount(t, base).map_err(|m| m.refusal(base))
}

/// [`off_subtotal`], with the reason unwritten.
fn off_amount(t: &CouponTemplate, base: Fen) -> Result<Fen, Miss> {
    let off = match &t.kind {
        CouponKind::AmountOff { amount, threshold } => {
            if base < *threshold {
                return Err(Miss::Short(*threshold));
            }
            (*amount).min(base)
        }
        CouponKind::PercentOff { pay_bp, cap, threshold } => {
            if base < *threshold {
                return Err(Miss::Short(*threshold));
            }
            let off = money::percent_off(base, *pay_bp).map_err(|_| Miss::Overflow)?;
            cap.map_or(off, |c| off.min(c))
        }
        _ => return Err(Miss::NotGoods),
    };
    if off <= 0 {
        return Err(Miss::NoSaving);
    }
    Ok(off)
}

/// The shipping discount of a shipping coupon, given goods after discounts
/// and the fee still to pay.
pub fn shipping_discount(t: &CouponTemplate, goods: Fen, fee: Fen) -> Result<Fen, Refusal> {
    ship_amount(t, goods, fee).map_err(|m| m.refusal(goods))
}

/// [`shipping_discount`], with the reason unwritten.
fn ship_amount(t: &CouponTemplate, goods: Fen, fee: Fen) -> Result<Fen, Miss> {
    let CouponKind::Shipping { amount, threshold } = &t.kind else {
        return Err(Miss::NotShipping);
    };
    if goods < *threshold {
        return Err(Miss::Short(*threshold));
    }
    if fee == 0 {
        return Err(Miss::NoFee);
    }
    Ok(amount.map_or(fee, |a| a.min(fee)))
}

fn no_saving() -> Refusal {
    Refusal::new(code::COUPON_NO_SAVING, "用券后没有优惠", "the coupon saves nothing on this cart")
}

fn overflow(_: Error) -> Refusal {
    overflow_refusal()
}

fn overflow_refusal() -> Refusal {
    Refusal::new(code::AMOUNT_OVERFLOW, "金额超出可计算范围", "amount is outside the computable range")
}

/// A wallet coupon with its template, ready to be tried.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub coupon: &'a WalletCoupon,
    pub template: &'a CouponTemplate,
    pub group: Group,
}

/// The outcome of applying one combination.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// Indices into the candidate list, in application order.
    pub chosen: Vec<usize>,
    /// Per chosen coupon: per-line discounts (empty for shipping).
    pub line_discounts: Vec<Vec<Fen>>,
    /// Per chosen coupon: shipping discount.
    pub shipping_discounts: Vec<Fen>,
}

/// Apply candidates `chosen` (one per group at most, in group order) to the
/// lines; `fee_for(goods)` gives the shipping fee for goods after discounts.
/// Returns the first coupon that fails and why.
pub fn apply(
    cands: &[Candidate],
    scopes: &[Vec<bool>],
    chosen: &[usize],
    lines: &[LineView],
    base: &[Fen],
    fee_for: &dyn Fn(Fen) -> Fen,
) -> Result<Applied, (usize, Refusal)> {
    let mut amounts = base.to_vec();
    let mut out = Applied::default();
    let mut order: Vec<usize> = chosen.to_vec();
    sorting::sort_by_key(&mut order, |&i| cands[i].group);
    for &i in &order {
        let c = &cands[i];
        if c.group == Group::Shipping {
            continue;
        }
        let d = goods_discount(c.template, &scopes[i], lines, &amounts).map_err(|r| (i, r))?;
        for (a, x) in amounts.iter_mut().zip(&d) {
            *a -= x;
        }
        out.chosen.push(i);
        out.line_discounts.push(d);
        out.shipping_discounts.push(0);
    }
    let goods = money::sum_fen(&amounts);
    let fee = fee_for(goods);
    for &i in &order {
        let c = &cands[i];
        if c.group != Group::Shipping {
            continue;
        }
        let s = shipping_discount(c.template, goods, fee).map_err(|r| (i, r))?;
        out.chosen.push(i);
        out.line_discounts.push(Vec::new());
        out.shipping_discounts.push(s);
    }
    Ok(out)
}

/// Does the stacking rule allow these candidates together?
pub fn stackable(cands: &[Candidate], chosen: &[usize]) -> bool {
    if chosen.len() > 1 && chosen.iter().any(|&i| cands[i].template.exclusive) {
        return false;
    }
    let mut seen = [false; 3];
    for &i in chosen {
        let g = cands[i].group as usize;
        if seen[g] {
            return false;
        }
        seen[g] = true;
    }
    true
}

/// The candidates of a combination, in group order.
fn flat(chosen: [Option<usize>; 3]) -> Vec<usize> {
    let mut out = Vec::with_capacity(3);
    for c in &chosen {
        if let Some(i) = *c {
            out.push(i);
        }
    }
    out
}

/// Tie-break key for equal savings: fewer coupons, soonest expiry, ids.
fn tie_key<'a>(cands: &[Candidate<'a>], chosen: &[usize]) -> (usize, Vec<Millis>, Vec<&'a str>) {
    let mut exp: Vec<Millis> = Vec::with_capacity(chosen.len());
    let mut ids: Vec<&str> = Vec::with_capacity(chosen.len());
    for &i in chosen {
        exp.push(cands[i].coupon.valid_until);
        ids.push(cands[i].coupon.id.as_str());
    }
    sorting::sort_by(&mut exp, Millis::cmp);
    sorting::sort_by(&mut ids, |a, b| a.cmp(b));
    (chosen.len(), exp, ids)
}

/// The best combination of `cands` (each already usable on its own). The
/// empty combination is the fallback, so the answer always exists.
///
/// The search works on totals: item coupons come first and fall only on
/// lines that take coupons, so an order coupon's eligible subtotal after an
/// item coupon is that subtotal less the item coupon's total, and the goods
/// left decide the shipping fee. Per-line shares are worked out once, for
/// the winner.
pub fn best(
    cands: &[Candidate],
    scopes: &[Vec<bool>],
    lines: &[LineView],
    base: &[Fen],
    fee_for: &dyn Fn(Fen) -> Fen,
) -> Applied {
    let total = money::sum_fen(base);
    let (mut open_lines, mut open) = (false, 0);
    for (l, &a) in lines.iter().zip(base) {
        if l.coupon_ok {
            open_lines = true;
            open += a;
        }
    }
    // The stackable coupons by group, each list led by "none of this group".
    let mut items: Vec<(Option<usize>, Fen)> = vec![(None, 0)];
    let mut orders: Vec<Option<usize>> = vec![None];
    let mut ships: Vec<Option<usize>> = vec![None];
    for (i, c) in cands.iter().enumerate() {
        if c.template.exclusive {
            continue;
        }
        match c.group {
            Group::Item => {
                if let Ok(d) = goods_saving(c.template, &scopes[i], lines, base) {
                    items.push((Some(i), d));
                }
            }
            Group::Order => orders.push(Some(i)),
            Group::Shipping => ships.push(Some(i)),
        }
    }

    // (net saving, chosen: item, order, shipping coupon); compared by net,
    // then the tie-break. An array, not a Vec: most combinations tried lose.
    let mut best: Option<(Fen, [Option<usize>; 3])> = None;
    let mut consider = |net: Fen, chosen: [Option<usize>; 3]| {
        let wins = match &best {
            None => true,
            Some((n, c)) => net > *n || (net == *n && tie_key(cands, &flat(chosen)) < tie_key(cands, &flat(*c))),
        };
        if wins {
            best = Some((net, chosen));
        }
    };
    // An exclusive coupon alone: its net from totals too (what `apply` would
    // give, without spreading it over the lines).
    for i in 0..cands.len() {
        if !cands[i].template.exclusive {
            continue;
        }
        let t = cands[i].template;
        let net = if cands[i].group == Group::Shipping {
            let fee = fee_for(total);
            ship_amount(t, total, fee).ok().map(|s| s - fee)
        } else {
            goods_saving(t, &scopes[i], lines, base).ok().map(|d| d - fee_for(total - d))
        };
        if let Some(net) = net {
            consider(net, [Some(i), None, None]);
        }
    }
    for &(it, d_item) in &items {
        for &or in &orders {
            let d_order = match or {
                None => 0,
                Some(_) if !open_lines || open - d_item == 0 => continue,
                Some(o) => match off_amount(cands[o].template, open - d_item) {
                    Ok(x) => x,
                    Err(_) => continue,
                },
            };
            let goods = total - d_item - d_order;
            let fee = fee_for(goods);
            for &sh in &ships {
                let d_ship = match sh {
                    None => 0,
                    Some(s) => match ship_amount(cands[s].template, goods, fee) {
                        Ok(x) => x,
                        Err(_) => continue,
                    },
                };
                consider(d_item + d_order + d_ship - fee, [it, or, sh]);
            }
        }
    }
    match best {
        Some((_, chosen)) => apply(cands, scopes, &flat(chosen), lines, base, fee_for).unwrap_or_default(),
        None => Applied::default(),
    }
}
