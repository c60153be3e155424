//! Step 5 of the pipeline: the coupons a quote applies — the best
//! combination in the wallet, none, or the ones the cart names — and why
//! each other coupon held is not used.

use crate::code;
use crate::code::Code;
use crate::coupon::search::{self, Applied, Candidate, LineView};
use crate::coupon::template::{group, Group};
use crate::coupon::wallet::{usable_at, WalletCoupon};
use crate::coupon::Refusal;
use crate::encode::Encode;
use crate::error::{Error, Result};
use crate::ledger::Member;
use crate::money::{self, Fen};
use crate::pricing::cart::CouponChoice;
use crate::pricing::quote::{Step, Text};
use crate::pricing::Pricing;
use crate::rules::Rules;
use crate::sorting::SortedMap;
use crate::time::Millis;

/// Most unused coupons a quote looks at.
pub const MAX_WALLET: usize = 200;

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct CouponLine {
    pub id: String,
    pub template: String,
    pub name: String,
    pub group: Group,
    /// Saving in this quote (applied) or on its own (usable).
    pub saving: Fen,
    pub valid_until: Millis,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct UnusableCoupon {
    pub id: String,
    pub template: String,
    pub name: String,
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub code: Code,
    pub zh: String,
    pub en: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<Fen>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Default)]
pub struct CouponReport {
    pub applied: Vec<CouponLine>,
    pub usable: Vec<CouponLine>,
    pub unusable: Vec<UnusableCoupon>,
}

/// Step 5: the coupons the cart asks for applied to the lines (item, then
/// order, then shipping), and the report of every coupon held.
pub(crate) fn coupons(p: &mut Pricing) -> Result<()> {
    let Some(m) = p.member else {
        if let CouponChoice::Ids(ids) = &p.cart.coupons {
            if !ids.is_empty() {
                return Err(Error::new(
                    code::GUEST_NO_COUPONS,
                    "cart.coupons",
                    "游客不能用券",
                    "a guest has no coupons",
                ));
            }
        }
        return Ok(());
    };
    let fees = crate::pricing::shipping::Fees::of(p);
    let fee_for = |goods: Fen| fees.fee_for(goods);
    let (report, applied, ids) = {
        let mut lines: Vec<LineView> = Vec::with_capacity(p.lines.len());
        let mut base: Vec<Fen> = Vec::with_capacity(p.lines.len());
        for l in &p.lines {
            lines.push(LineView {
                sku: &l.out.sku,
                category: &l.out.category,
                quantity: l.out.quantity,
                coupon_ok: l.out.coupons_allowed,
            });
            base.push(l.amount);
        }
        let held = held(m)?;
        let mut c = Candidates::of(p.rules, &held, &lines, &base, p.now, &fee_for);
        let applied = match &p.cart.coupons {
            CouponChoice::None => Applied::default(),
            CouponChoice::Best => search::best(&c.cands, &c.scopes, &lines, &base, &fee_for),
            CouponChoice::Ids(ids) => c.chosen(m, ids, &lines, &base, p.now, &fee_for)?,
        };
        // A discount names the coupon's template, not the wallet coupon:
        // the template is what the rules (and its name) describe; the
        // wallet coupons applied are listed in `coupons.applied`.
        let mut ids: Vec<&str> = Vec::with_capacity(applied.chosen.len());
        for &ci in &applied.chosen {
            ids.push(c.cands[ci].coupon.template.as_str());
        }
        (c.report(p.rules, m, held, &p.cart.coupons, &applied), applied, ids)
    };
    for (k, id) in ids.iter().enumerate() {
        let source = Text::shared(id);
        for (l, &d) in p.lines.iter_mut().zip(&applied.line_discounts[k]) {
            l.take(Step::Coupon, &source, d);
        }
        p.shipping_discount += applied.shipping_discounts[k];
    }
    p.coupons = report;
    Ok(())
}

/// The coupons in the wallet not used yet, at most [`MAX_WALLET`].
fn held(m: &Member) -> Result<Vec<&WalletCoupon>> {
    let mut held = Vec::new();
    for c in &m.wallet {
        if c.used_by.is_none() {
            held.push(c);
        }
    }
    if held.len() > MAX_WALLET {
        return Err(Error::new(
            code::WALLET_TOO_LARGE,
            "member.wallet",
            format!("未使用的券超过 {MAX_WALLET} 张"),
            format!("more than {MAX_WALLET} unused coupons"),
        ));
    }
    Ok(held)
}

/// The coupons held, sorted into candidates (usable on their own) and
/// refusals.
struct Candidates<'a> {
    cands: Vec<Candidate<'a>>,
    /// Per candidate: the lines its scope covers (none kept for shipping).
    scopes: Vec<Vec<bool>>,
    /// Per candidate: what it saves applied alone.
    alone: Vec<Fen>,
    /// Why a coupon is not used, by its id.
    refused: SortedMap<&'a str, Refusal>,
    /// Shipping coupons with no fee to take off the goods as they are: a
    /// goods coupon applied first may bring the fee back, so they stay
    /// candidates, and the refusal is reported only if they are not applied.
    no_fee_alone: Vec<(&'a str, Refusal)>,
}

impl<'a> Candidates<'a> {
    fn of(
        rules: &'a Rules,
        held: &[&'a WalletCoupon],
        lines: &[LineView],
        base: &[Fen],
        now: Millis,
        fee_for: &dyn Fn(Fen) -> Fen,
    ) -> Self {
        let mut c = Candidates {
            cands: Vec::new(),
            scopes: Vec::new(),
            alone: Vec::new(),
            refused: SortedMap::new(),
            no_fee_alone: Vec::new(),
        };
        let total = money::sum_fen(base);
        for &wc in held {
            let Some(t) = rules.template(&wc.template) else {
                let r = Refusal::new(
                    code::COUPON_UNKNOWN_TEMPLATE,
                    "券模板已不存在",
                    "the coupon's template is no longer in the rules",
                );
                c.refused.insert(&wc.id, r);
                continue;
            };
            if let Err(r) = usable_at(wc, now) {
                c.refused.insert(&wc.id, r);
                continue;
            }
            let cand = Candidate { coupon: wc, template: t, group: group(t) };
            // What it saves applied alone, as a total: the lines' shares are
            // worked out only for the coupons a quote applies.
            let (scope, saving) = if cand.group == Group::Shipping {
                (Vec::new(), search::shipping_discount(t, total, fee_for(total)))
            } else {
                let scope = search::scope_mask(t, lines);
                let saving = search::goods_saving(t, &scope, lines, base);
                (scope, saving)
            };
            match saving {
                Ok(x) => c.push(cand, scope, x),
                Err(r) if r.code == code::COUPON_NO_SHIPPING_FEE => {
                    c.push(cand, scope, 0);
                    c.no_fee_alone.push((wc.id.as_str(), r));
                }
                Err(r) => {
                    c.refused.insert(&wc.id, r);
                }
            }
        }
        c
    }

    fn push(&mut self, cand: Candidate<'a>, scope: Vec<bool>, alone: Fen) {
        self.cands.push(cand);
        self.scopes.push(scope);
        self.alone.push(alone);
    }

    /// The coupons the cart names, in its order: each one that stacks with
    /// those before it, then applied in group order, dropping any that fails
    /// after the ones before it. A named coupon that is not held is an
    /// error; one held but not usable is reported as such.
    fn chosen(
        &mut self,
        m: &'a Member,
        ids: &[String],
        lines: &[LineView],
        base: &[Fen],
        now: Millis,
        fee_for: &dyn Fn(Fen) -> Fen,
    ) -> Result<Applied> {
        let mut chosen: Vec<usize> = Vec::new();
        for (k, id) in ids.iter().enumerate() {
            if ids[..k].contains(id) {
                continue;
            }
            match self.cands.iter().position(|c| &c.coupon.id == id) {
                Some(ci) => {
                    // Tried on the list itself, and taken off again if it
                    // does not stack (no copy of the list).
                    chosen.push(ci);
                    if !search::stackable(&self.cands, &chosen) {
                        chosen.pop();
                        let r = Refusal::new(
                            code::COUPON_NOT_STACKABLE,
                            "不能与已选的券同时使用",
                            "cannot be combined with the coupons already chosen",
                        );
                        self.refused.insert(&self.cands[ci].coupon.id, r);
                    }
                }
                None if self.refused.contains_key(&id.as_str()) => {}
                None => match m.wallet.iter().find(|c| &c.id == id) {
                    // Held but used: not among the candidates or refusals.
                    Some(wc) => {
                        if let Err(r) = usable_at(wc, now) {
                            self.refused.insert(&wc.id, r);
                        }
                    }
                    None => {
                        return Err(Error::new(
                            code::COUPON_NOT_FOUND,
                            format!("cart.coupons[{k}]"),
                            format!("钱包里没有券 `{id}`"),
                            format!("no coupon `{id}` in the wallet"),
                        ));
                    }
                },
            }
        }
        loop {
            match search::apply(&self.cands, &self.scopes, &chosen, lines, base, fee_for) {
                Ok(a) => return Ok(a),
                Err((ci, r)) => {
                    self.refused.insert(&self.cands[ci].coupon.id, r);
                    // `ci` is in `chosen` once. (A loop, not `retain`: its
                    // code is instantiated per closure.)
                    let mut k = 0;
                    while k < chosen.len() && chosen[k] != ci {
                        k += 1;
                    }
                    chosen.remove(k);
                }
            }
        }
    }

    /// The report: the coupons applied (with what each saves in this
    /// quote), those usable but not applied (with what each would save
    /// alone), and those not usable, with why — the held ones, then any used
    /// one the cart named.
    fn report(
        mut self,
        rules: &Rules,
        m: &'a Member,
        held: Vec<&'a WalletCoupon>,
        choice: &CouponChoice,
        applied: &Applied,
    ) -> CouponReport {
        let mut report = CouponReport::default();
        for (id, r) in std::mem::take(&mut self.no_fee_alone) {
            if !applied.chosen.iter().any(|&ci| self.cands[ci].coupon.id == id) && !self.refused.contains_key(&id) {
                self.refused.insert(id, r);
            }
        }
        for (k, &ci) in applied.chosen.iter().enumerate() {
            let saving = money::sum_fen(&applied.line_discounts[k]) + applied.shipping_discounts[k];
            report.applied.push(coupon_line(&self.cands[ci], saving));
        }
        for (ci, c) in self.cands.iter().enumerate() {
            if !applied.chosen.contains(&ci) && !self.refused.contains_key(&c.coupon.id.as_str()) {
                report.usable.push(coupon_line(c, self.alone[ci]));
            }
        }
        let mut listed = held;
        if let CouponChoice::Ids(ids) = choice {
            for c in &m.wallet {
                if c.used_by.is_some() && ids.contains(&c.id) {
                    listed.push(c);
                }
            }
        }
        for wc in listed {
            if let Some(r) = self.refused.get(&wc.id.as_str()) {
                let name = rules.template(&wc.template).map_or_else(String::new, |t| t.name.clone());
                report.unusable.push(UnusableCoupon {
                    id: wc.id.clone(),
                    template: wc.template.clone(),
                    name,
                    code: r.code,
                    zh: r.zh.clone(),
                    en: r.en.clone(),
                    shortfall: r.shortfall,
                });
            }
        }
        report
    }
}

fn coupon_line(c: &Candidate, saving: Fen) -> CouponLine {
    CouponLine {
        id: c.coupon.id.clone(),
        template: c.template.id.clone(),
        name: c.template.name.clone(),
        group: c.group,
        saving,
        valid_until: c.coupon.valid_until,
    }
}
