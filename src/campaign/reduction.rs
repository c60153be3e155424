//! 满减送 full reductions (step 4 of the pipeline): tiers on the eligible
//! subtotal or item count, rewarding money off, free shipping, a gift, bonus
//! points or a coupon; and the choice among activities whose lines overlap
//! (best for the shopper, or the merchant's priority). See `mod.rs` for the
//! rules in words.

use crate::campaign::{Basis, Campaign, CampaignKind, Choice, Reward};
use crate::code::{self, Code};
use crate::encode::Encode;
use crate::error::Result;
use crate::money::{self, Fen};
use crate::pricing::quote::{GiftLine, IssueCoupon, PriceKind, Step, Text};
use crate::pricing::Pricing;
use crate::rules::Rules;
use crate::sorting;
use crate::time::Millis;

/// Step 4: every active full reduction on the lines as steps 1–3 left them,
/// the non-overlapping set chosen and applied, and its other rewards (free
/// shipping, gifts, coupons to issue; bonus points are spread in step 9).
pub(crate) fn full_reductions(p: &mut Pricing) -> Result<()> {
    let mut lines: Vec<ReductionLine> = Vec::with_capacity(p.lines.len());
    for l in &p.lines {
        lines.push(ReductionLine {
            sku: &l.out.sku,
            category: &l.out.category,
            quantity: l.out.quantity,
            amount: l.amount,
            eligible: l.out.price != PriceKind::Flash,
        });
    }
    let reductions = choose_reductions(p.rules, &lines, p.now)?;
    drop(lines);
    for (k, r) in reductions.iter().enumerate() {
        if !r.applied {
            continue;
        }
        let source = Text::shared(r.campaign.as_str());
        for (l, &d) in p.lines.iter_mut().zip(&r.per_line) {
            l.take(Step::FullReduction, &source, d);
        }
        if r.reward.free_shipping && p.free_shipping_by.is_none() {
            p.free_shipping_by = Some(k);
        }
        if let Some(g) = &r.reward.gift {
            let name = p.rules.catalog_item(g).map_or_else(|| g.clone(), |c| c.name.clone());
            p.gifts.push(GiftLine { sku: g.clone(), name, campaign: r.campaign.clone() });
        }
        if let Some(t) = &r.reward.coupon {
            p.coupons_to_issue.push(IssueCoupon { template: t.clone(), campaign: r.campaign.clone() });
        }
    }
    p.reductions = reductions;
    Ok(())
}

/// What the pipeline knows about one quote line when choosing activities.
#[derive(Debug, Clone)]
struct ReductionLine<'a> {
    pub sku: &'a str,
    pub category: &'a str,
    pub quantity: i64,
    pub amount: Fen,
    /// False for flash-sale lines.
    pub eligible: bool,
}

/// One full-reduction activity's result on a cart.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct ReductionOutcome {
    pub campaign: String,
    pub name: String,
    /// Whether the quote applies it.
    pub applied: bool,
    /// Index of the tier reached, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<u32>,
    /// Eligible subtotal (fen) or count, per the basis.
    pub basis_value: i64,
    pub saving: Fen,
    #[serde(skip_serializing_if = "is_default")]
    pub reward: Reward,
    /// For a tier not reached: how far from the lowest tier (fen or units).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<i64>,
    /// For a tier reached: how far from the next tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_tier_gap: Option<i64>,
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub code: Code,
    pub zh: String,
    pub en: String,
    #[serde(skip)]
    pub lines: Vec<bool>,
    #[serde(skip)]
    pub per_line: Vec<Fen>,
}

fn is_default(r: &Reward) -> bool {
    *r == Reward::default()
}

/// Evaluate every active full-reduction activity and choose the best set of
/// non-overlapping ones.
fn choose_reductions(rules: &Rules, lines: &[ReductionLine], now: Millis) -> Result<Vec<ReductionOutcome>> {
    let mut outs = Vec::new();
    for c in &rules.campaigns {
        if c.active(rules, now) {
            if let Some(o) = outcome(c, lines)? {
                outs.push(o);
            }
        }
    }
    let mut reached: Vec<usize> = Vec::new();
    for (i, o) in outs.iter().enumerate() {
        if o.tier.is_some() {
            reached.push(i);
        }
    }
    let chosen = match rules.full_reduction_choice {
        Choice::BestForShopper => best_set(&outs, &reached),
        Choice::Priority => priority_set(rules, &outs, &reached),
    };
    for (i, o) in outs.iter_mut().enumerate() {
        let Some(t) = o.tier else { continue };
        if chosen.contains(&i) {
            o.applied = true;
            o.code = code::CAMPAIGN_APPLIED;
            o.zh = format!("已享「{}」第 {} 档", o.name, t + 1);
            o.en = format!("“{}” applied at tier {}", o.name, t + 1);
        } else {
            if rules.full_reduction_choice == Choice::Priority {
                o.code = code::CAMPAIGN_OVERLAP_LOWER_PRIORITY;
                o.zh = format!("「{}」与优先级更高的活动商品重叠", o.name);
                o.en = format!("“{}” covers the same items as a higher-priority activity", o.name);
            } else {
                o.code = code::CAMPAIGN_OVERLAP_NOT_BEST;
                o.zh = format!("「{}」与本单已选活动商品重叠且优惠更少", o.name);
                o.en = format!("“{}” covers the same items as a better activity chosen for this order", o.name);
            }
            o.per_line = vec![0; lines.len()];
        }
    }
    Ok(outs)
}

/// One full reduction on the lines: the tier its eligible subtotal or
/// count reaches and what that tier takes off each line, or how far it is
/// from the first tier; `None` when no line is in its scope (not worth
/// listing) or it is no full reduction.
fn outcome(c: &Campaign, lines: &[ReductionLine]) -> Result<Option<ReductionOutcome>> {
    let CampaignKind::FullReduction { scope, basis, tiers } = &c.kind else { return Ok(None) };
    // The covered lines, their amount and units, in one loop.
    let mut covered: Vec<bool> = Vec::with_capacity(lines.len());
    let mut weights: Vec<Fen> = Vec::with_capacity(lines.len());
    let (mut any, mut subtotal, mut units) = (false, 0, 0);
    for l in lines {
        let c = l.eligible && scope.covers(l.sku, l.category);
        covered.push(c);
        weights.push(if c { l.amount } else { 0 });
        if c {
            any = true;
            subtotal = money::add(subtotal, l.amount)?;
            units += l.quantity;
        }
    }
    if !any {
        return Ok(None);
    }
    let value: i64 = match basis {
        Basis::Amount => subtotal,
        Basis::Count => units,
    };
    let reached = tiers.iter().rposition(|t| t.at <= value);
    let mut o = ReductionOutcome {
        campaign: c.id.clone(),
        name: c.name.clone(),
        applied: false,
        tier: reached.map(|t| u32::try_from(t).unwrap_or(u32::MAX)),
        basis_value: value,
        saving: 0,
        reward: Reward::default(),
        shortfall: None,
        next_tier_gap: None,
        // A reached tier's code is set once the activities to apply are
        // chosen.
        code: code::CAMPAIGN_APPLIED,
        zh: String::new(),
        en: String::new(),
        per_line: vec![0; lines.len()],
        lines: covered,
    };
    match reached {
        None => {
            let gap = tiers[0].at - value;
            o.shortfall = Some(gap);
            o.code = code::CAMPAIGN_THRESHOLD_NOT_MET;
            // An amount is measured after the earlier steps' discounts
            // (campaign and member prices, quantity discounts): said so, as
            // a shopper reads a bare amount as list price.
            (o.zh, o.en) = match basis {
                Basis::Amount => {
                    let gap = money::yuan(gap);
                    (
                        format!("再买 {gap}（按优惠后金额计）可享「{}」", c.name),
                        format!("add {gap} more, counted after discounts, to qualify for “{}”", c.name),
                    )
                }
                Basis::Count => (
                    format!("再买 {gap} 件可享「{}」", c.name),
                    format!("add {gap} more item(s) to qualify for “{}”", c.name),
                ),
            };
        }
        Some(t) => {
            let reward = tiers[t].reward.clone();
            let mut off = 0;
            if let Some(a) = reward.amount_off {
                off += a.min(subtotal);
            }
            if let Some(bp) = reward.pay_bp {
                off += money::percent_off(subtotal - off, bp)?;
            }
            if off > 0 {
                o.per_line = money::split(off, &weights)?;
            }
            o.saving = off;
            o.reward = reward;
            o.next_tier_gap = tiers.get(t + 1).map(|n| n.at - value);
        }
    }
    Ok(Some(o))
}

fn ids<'a>(outs: &'a [ReductionOutcome], set: &[usize]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(set.len());
    for &i in set {
        out.push(outs[i].campaign.as_str());
    }
    out
}

fn overlaps(a: &ReductionOutcome, b: &ReductionOutcome) -> bool {
    a.lines.iter().zip(&b.lines).any(|(x, y)| *x && *y)
}

/// Exhaustive choice among the activities that reached a tier (validation
/// caps full reductions at 12, so at most 4096 sets): the non-overlapping
/// set with the largest saving, then more non-money rewards, then fewer
/// activities, then ids.
fn best_set(outs: &[ReductionOutcome], reached: &[usize]) -> Vec<usize> {
    // (saving, extras, fewer activities) — larger is better.
    type Key = (Fen, usize, std::cmp::Reverse<usize>);
    let mut best: Option<(Key, Vec<usize>)> = None;
    for mask in 0u32..(1u32 << reached.len()) {
        let mut set: Vec<usize> = Vec::new();
        let (mut saving, mut extras) = (0, 0);
        for (b, &i) in reached.iter().enumerate() {
            if mask & (1 << b) != 0 {
                set.push(i);
                saving += outs[i].saving;
                extras += outs[i].reward.extras();
            }
        }
        if set.iter().enumerate().any(|(k, &a)| set[k + 1..].iter().any(|&b| overlaps(&outs[a], &outs[b]))) {
            continue;
        }
        let key: Key = (saving, extras, std::cmp::Reverse(set.len()));
        let better = match &best {
            None => true,
            Some((k, s)) => key > *k || (key == *k && ids(outs, &set) < ids(outs, s)),
        };
        if better {
            best = Some((key, set));
        }
    }
    best.map(|(_, s)| s).unwrap_or_default()
}

/// The merchant's order: highest priority first (ties: id), skipping any
/// activity that overlaps one already taken.
fn priority_set(rules: &Rules, outs: &[ReductionOutcome], reached: &[usize]) -> Vec<usize> {
    let prio = |i: usize| rules.campaigns.iter().find(|c| c.id == outs[i].campaign).map_or(0, |c| c.priority);
    let mut order = reached.to_vec();
    sorting::sort_by(&mut order, |&a, &b| prio(b).cmp(&prio(a)).then_with(|| outs[a].campaign.cmp(&outs[b].campaign)));
    let mut taken: Vec<usize> = Vec::new();
    for &i in &order {
        if !taken.iter().any(|&t| overlaps(&outs[t], &outs[i])) {
            taken.push(i);
        }
    }
    taken
}
