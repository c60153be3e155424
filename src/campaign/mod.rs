//! Campaigns (营销活动): flash sales, limited-time discounts, quantity
//! discounts and tiered full reductions, each inside a local-time window.
//!
//! This module holds the campaigns' shape and validation; `price.rs` the
//! steps that price lines (1 and 3 of the pipeline, `pricing/mod.rs`) and
//! `reduction.rs` the full reductions and the choice among them (step 4).
//!
//! - **秒杀 flash sale**: a fixed price per SKU, with the campaign's stock
//!   (the host reports how much is sold) and a per-member limit. Units beyond
//!   the limit or the stock are sold at the normal price, as a separate quote
//!   line. A flash-sale line takes no member price, no quantity discount, no
//!   full reduction, no coupon and earns no points, unless the campaign says
//!   `allow_coupons` / `earn_points`.
//! - **限时折扣 limited-time discount**: a price or a pay rate per SKU, with
//!   an optional per-member limit. Against the member price the better one
//!   for the shopper wins; with `stack_with_member_price` the member rate is
//!   applied on top of the limited price instead.
//! - **N件折 quantity discount**: among the units in the cart that the
//!   campaign's `scope` covers (the scope of coupons and full reductions:
//!   categories, SKUs, exclusions), sorted from the dearest to the cheapest (ties: cart order),
//!   every `nth` unit is charged `pay_bp` — so 第二件半价 discounts the
//!   cheaper unit of each pair.
//! - **满减送 full reduction**: tiers on the eligible subtotal (fen) or item
//!   count, rewarding amount off, percent off, free shipping, a gift, bonus
//!   points or a coupon issued with the order. The highest tier reached
//!   applies. Activities whose eligible lines overlap in a cart exclude each
//!   other; by default the quote takes the set of non-overlapping activities
//!   with the largest money saving (ties: more non-money rewards, then fewer
//!   activities, then ids). A merchant who wants their own order sets
//!   `full_reduction_choice: "priority"` and a `priority` per campaign.
//!   Either way the quote explains every activity it did not take.
//!
//! Windows are local wall-clock times: `from` inclusive, `until` exclusive.

use std::fmt::Arguments;

use crate::catalog::{check_sku, Scope};
use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::Problems;
use crate::index::Index;
use crate::money::{Fen, BP};
use crate::rules::{in_range, unique_id, At, Rules, MAX_RULE_FEN};
use crate::sorting::{self, SortedSet};
use crate::time::{LocalTime, Millis};

pub mod price;
pub mod reduction;

/// A campaign is one flat object: its own fields and its kind's, with the
/// kind named by `type` as in every tagged object of the rules
/// (`{"id": …, "from": …, "type": "quantity_discount", "nth": 2, …}`).
/// Unknown fields are refused by the kind, which knows this struct's keys
/// too.
// tsify cannot write `interface … extends` a union: spelled out here.
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(type = "{ id: string; name: string; from: LocalTime; until: LocalTime; priority?: number } & CampaignKind")
)]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
pub struct Campaign {
    pub id: String,
    pub name: String,
    pub from: LocalTime,
    pub until: LocalTime,
    /// Used only when the rules choose full reductions by priority:
    /// higher first.
    #[serde(default)]
    pub priority: u32,
    #[serde(flatten)]
    pub kind: CampaignKind,
    /// A flash sale's or limited-time discount's items by SKU: a quote
    /// looks each cart line up in every active price campaign.
    #[serde(skip)]
    items_by_sku: Index,
}

/// How the quote chooses among full reductions whose items overlap.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// The set with the largest saving (the default).
    #[default]
    BestForShopper,
    /// The merchant's order: highest `priority` first (ties: id), each
    /// taken unless it overlaps one already taken.
    Priority,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum CampaignKind {
    FlashSale {
        items: Vec<FlashItem>,
        /// Units one member may buy at the flash price (over all orders).
        per_member_limit: u32,
        #[serde(default)]
        allow_coupons: bool,
        #[serde(default)]
        earn_points: bool,
    },
    LimitedDiscount {
        items: Vec<LimitedItem>,
        #[serde(default)]
        per_member_limit: Option<u32>,
        #[serde(default)]
        stack_with_member_price: bool,
    },
    /// Over the lines of `scope`, the same scope as a coupon's or a full
    /// reduction's: "every 3rd tea free" is `{"categories": ["tea"]}`, not a
    /// list of every tea that changes with the catalog.
    QuantityDiscount {
        #[serde(default)]
        scope: Scope,
        /// Every `nth` unit is discounted (2 = 第二件).
        nth: u32,
        /// Pay this share for that unit (5000 = 半价).
        pay_bp: i64,
    },
    FullReduction {
        #[serde(default)]
        scope: Scope,
        basis: Basis,
        /// Lowest first.
        tiers: Vec<ReductionTier>,
    },
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct FlashItem {
    pub sku: String,
    pub price: Fen,
    /// Units the campaign has in all.
    pub stock: i64,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct LimitedItem {
    pub sku: String,
    /// A fixed unit price…
    #[serde(default)]
    pub price: Option<Fen>,
    /// …or a pay rate (8000 = 8折).
    #[serde(default)]
    pub pay_bp: Option<i64>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Eligible subtotal in fen (满300减30).
    Amount,
    /// Eligible item count (满2件9折).
    Count,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct ReductionTier {
    /// Fen or units, per the basis.
    pub at: i64,
    pub reward: Reward,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Reward {
    #[serde(default)]
    pub amount_off: Option<Fen>,
    #[serde(default)]
    pub pay_bp: Option<i64>,
    #[serde(default)]
    pub free_shipping: bool,
    #[serde(default)]
    pub gift: Option<String>,
    #[serde(default)]
    pub bonus_points: Option<i64>,
    /// A coupon template issued to the member with the order.
    #[serde(default)]
    pub coupon: Option<String>,
}

impl Reward {
    /// Rewards that are not money off (for tie-breaks).
    pub(crate) fn extras(&self) -> usize {
        self.free_shipping as usize
            + self.gift.is_some() as usize
            + self.bonus_points.is_some() as usize
            + self.coupon.is_some() as usize
    }
}

impl Campaign {
    pub fn active(&self, rules: &Rules, now: Millis) -> bool {
        let z = rules.zone();
        self.from.instant(z) <= now && now < self.until.instant(z)
    }

    /// Does this flash, limited-time or quantity campaign set the price of
    /// a line of `sku` in `category`? (Called per cart line: no
    /// allocation.) Flash and limited-time prices are per SKU: a price (and
    /// a flash sale's stock) belongs to one product, not a category.
    fn prices(&self, sku: &str, category: &str) -> bool {
        match &self.kind {
            CampaignKind::FlashSale { items, .. } => self.flash_item(items, sku).is_some(),
            CampaignKind::LimitedDiscount { items, .. } => self.limited_item(items, sku).is_some(),
            CampaignKind::QuantityDiscount { scope, .. } => scope.covers(sku, category),
            CampaignKind::FullReduction { .. } => false,
        }
    }

    /// The first of this flash sale's `items` (its own) for `sku`.
    pub(crate) fn flash_item<'a>(&self, items: &'a [FlashItem], sku: &str) -> Option<&'a FlashItem> {
        items.get(self.items_by_sku.find(items, |i| i.sku.as_str(), sku)?)
    }

    /// The first of this limited-time discount's `items` (its own) for `sku`.
    pub(crate) fn limited_item<'a>(&self, items: &'a [LimitedItem], sku: &str) -> Option<&'a LimitedItem> {
        items.get(self.items_by_sku.find(items, |i| i.sku.as_str(), sku)?)
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            CampaignKind::FlashSale { .. } => "flash_sale",
            CampaignKind::LimitedDiscount { .. } => "limited_discount",
            CampaignKind::QuantityDiscount { .. } => "quantity_discount",
            CampaignKind::FullReduction { .. } => "full_reduction",
        }
    }
}

/// The flash, limited-time and quantity campaigns active at `now`, in rule
/// order: worked out once per quote rather than once per cart line.
pub fn active_price_campaigns(rules: &Rules, now: Millis) -> Vec<&Campaign> {
    let mut out = Vec::new();
    for c in &rules.campaigns {
        if !matches!(c.kind, CampaignKind::FullReduction { .. }) && c.active(rules, now) {
            out.push(c);
        }
    }
    out
}

/// The active price campaign for a line, among [`active_price_campaigns`]:
/// the first in the rules' order. Validation refuses two that cover one
/// product it knows of (`check_conflicts`); only a product it cannot know
/// (no catalog, a quantity discount by category) can meet two.
// A loop, not `find`: its closure compiles to a function of its own.
#[allow(clippy::manual_find)]
pub fn price_campaign<'r>(active: &[&'r Campaign], sku: &str, category: &str) -> Option<&'r Campaign> {
    for &c in active {
        if c.prices(sku, category) {
            return Some(c);
        }
    }
    None
}

/// At most this many campaigns (`TOO_MANY`).
const MAX_CAMPAIGNS: usize = 100;

/// Validation of every campaign, all problems at once.
///
/// Paths below a campaign are `format_args!`: written out only for a
/// problem (nearly never), not once per item checked.
pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    let mut ids = SortedSet::new();
    if rules.campaigns.len() > MAX_CAMPAIGNS {
        p.push(code::TOO_MANY, "campaigns", "活动最多 100 个", "at most 100 campaigns");
    }
    for (i, c) in rules.campaigns.iter().enumerate() {
        // Full: nothing more would be recorded (here and in each loop
        // below that can be long).
        if p.full() {
            return;
        }
        let at = At("campaigns", i);
        unique_id(p, &mut ids, format_args!("{at}.id"), &c.id);
        if c.until <= c.from {
            p.push(
                code::WINDOW_ENDS_BEFORE_START,
                format!("{at}.until"),
                "活动结束时间须晚于开始时间",
                "the campaign must end after it starts",
            );
        }
        check_kind(rules, p, at, &c.kind);
    }
    check_conflicts(rules, p);
    let mut full = 0;
    for c in &rules.campaigns {
        full += matches!(c.kind, CampaignKind::FullReduction { .. }) as usize;
    }
    if full > 12 {
        p.push(code::TOO_MANY, "campaigns", "满减送活动最多 12 个", "at most 12 full-reduction activities");
    }
}

/// What each kind of campaign requires of its fields.
fn check_kind(rules: &Rules, p: &mut Problems, at: At, kind: &CampaignKind) {
    match kind {
        CampaignKind::FlashSale { items, per_member_limit, .. } => {
            in_range(p, format_args!("{at}.per_member_limit"), *per_member_limit as i64, 1, 9999);
            nonempty(p, format_args!("{at}.items"), items.len());
            for (j, it) in items.iter().enumerate() {
                if p.full() {
                    return;
                }
                check_sku(rules, p, format_args!("{at}.items[{j}].sku"), &it.sku, false);
                in_range(p, format_args!("{at}.items[{j}].price"), it.price, 0, MAX_RULE_FEN);
                in_range(p, format_args!("{at}.items[{j}].stock"), it.stock, 0, 1_000_000_000);
                below_list(rules, p, format_args!("{at}.items[{j}].price"), &it.sku, it.price);
            }
        }
        CampaignKind::LimitedDiscount { items, per_member_limit, .. } => {
            if let Some(n) = per_member_limit {
                in_range(p, format_args!("{at}.per_member_limit"), *n as i64, 1, 9999);
            }
            nonempty(p, format_args!("{at}.items"), items.len());
            for (j, it) in items.iter().enumerate() {
                if p.full() {
                    return;
                }
                check_sku(rules, p, format_args!("{at}.items[{j}].sku"), &it.sku, false);
                match (it.price, it.pay_bp) {
                    (Some(price), None) => {
                        in_range(p, format_args!("{at}.items[{j}].price"), price, 0, MAX_RULE_FEN);
                        below_list(rules, p, format_args!("{at}.items[{j}].price"), &it.sku, price);
                    }
                    (None, Some(bp)) => in_range(p, format_args!("{at}.items[{j}].pay_bp"), bp, 1, BP - 1),
                    _ => p.push(
                        code::PRICE_OR_RATE,
                        format!("{at}.items[{j}]"),
                        "须且只能指定 price 或 pay_bp 之一",
                        "give exactly one of price or pay_bp",
                    ),
                }
            }
        }
        CampaignKind::QuantityDiscount { scope, nth, pay_bp } => {
            scope.check(rules, p, format_args!("{at}.scope"));
            in_range(p, format_args!("{at}.nth"), *nth as i64, 2, 100);
            in_range(p, format_args!("{at}.pay_bp"), *pay_bp, 0, BP - 1);
        }
        CampaignKind::FullReduction { scope, tiers, basis } => {
            scope.check(rules, p, format_args!("{at}.scope"));
            nonempty(p, format_args!("{at}.tiers"), tiers.len());
            for (j, t) in tiers.iter().enumerate() {
                if p.full() {
                    return;
                }
                in_range(p, format_args!("{at}.tiers[{j}].at"), t.at, 1, MAX_RULE_FEN);
                if j > 0 && t.at <= tiers[j - 1].at {
                    p.push(
                        code::TIERS_OUT_OF_ORDER,
                        format!("{at}.tiers[{j}].at"),
                        format!("必须大于 tiers[{}]", j - 1),
                        format!("must be greater than tiers[{}]", j - 1),
                    );
                }
                check_reward(rules, p, format_args!("{at}.tiers[{j}].reward"), &t.reward, *basis, t.at);
            }
        }
    }
}

/// No product in two price campaigns whose windows overlap. The products
/// the rules know: the catalog's, and every SKU a campaign names (with its
/// catalog category, if it has one: a category scope cannot cover a SKU
/// whose category is unknown).
fn check_conflicts(rules: &Rules, p: &mut Problems) {
    if p.full() {
        return;
    }
    // Each product with its category ("" when unknown), sorted by SKU, and
    // beside it the price campaigns that cover it. Items are looked up,
    // not scanned for each product: a big catalog and long item lists stay
    // O(n log n).
    let products = known_products(rules);
    let mut covering: Vec<Vec<usize>> = vec![Vec::new(); products.len()];
    for (i, c) in rules.campaigns.iter().enumerate() {
        for sku in item_skus(&c.kind) {
            if let Some(list) = find_product(&products, sku).and_then(|k| covering.get_mut(k)) {
                list.push(i);
            }
        }
    }
    let by_category = sorting::order_by(&products, |a, b| a.1.cmp(b.1));
    for (i, c) in rules.campaigns.iter().enumerate() {
        let CampaignKind::QuantityDiscount { scope, .. } = &c.kind else { continue };
        for k in covered(scope, &products, &by_category) {
            if let Some(list) = covering.get_mut(k) {
                list.push(i);
            }
        }
    }
    // Which later campaigns each one's window overlaps, worked out once:
    // a product in many campaigns at different times (a quantity discount
    // on everything, every week) is then not a pair check per campaign pair.
    // Plain loops, here and below: an iterator chain per closure is its
    // own code in the `.wasm`.
    let z = rules.zone();
    let mut windows: Vec<(Millis, Millis)> = Vec::with_capacity(rules.campaigns.len());
    for c in &rules.campaigns {
        windows.push((c.from.instant(z), c.until.instant(z)));
    }
    let overlap = |i: usize, j: usize| windows[i].0 < windows[j].1 && windows[j].0 < windows[i].1;
    // Quadratic in the campaigns: only within their limit (more are
    // refused, but still checked here, pair by pair).
    let n = windows.len();
    let mut later: Vec<Vec<usize>> = Vec::new();
    if n <= MAX_CAMPAIGNS {
        for i in 0..n {
            let mut l = Vec::new();
            for j in i + 1..n {
                if overlap(i, j) {
                    l.push(j);
                }
            }
            later.push(l);
        }
    }
    for (&(sku, _), covering) in products.iter().zip(covering.iter_mut()) {
        // Pushed in campaign order, so nearly always sorted already.
        if !covering.windows(2).all(|w| w[0] < w[1]) {
            sorting::sort_dedup(covering);
        }
        for (k, &i) in covering.iter().enumerate() {
            // The pairs (i, j), j ascending, either way round: whichever
            // list is shorter is walked.
            let rest = &covering[k + 1..];
            let mut both: Vec<usize> = Vec::new();
            match later.get(i).filter(|l| l.len() < rest.len()) {
                Some(later) => {
                    for j in later {
                        if rest.binary_search(j).is_ok() {
                            both.push(*j);
                        }
                    }
                }
                None => {
                    for &j in rest {
                        if overlap(i, j) {
                            both.push(j);
                        }
                    }
                }
            }
            for j in both {
                conflict(p, j, sku, &rules.campaigns[i], &rules.campaigns[j]);
                // The first conflicts are all an answer lists: 100
                // overlapping campaigns over 20,000 products were 99
                // million problems, out of memory.
                if p.full() {
                    return;
                }
            }
        }
    }
}

/// The SKUs a flash sale's or limited-time discount's items name (none
/// for the other kinds).
fn item_skus(kind: &CampaignKind) -> Vec<&str> {
    let mut out = Vec::new();
    match kind {
        CampaignKind::FlashSale { items, .. } => {
            for x in items {
                out.push(x.sku.as_str());
            }
        }
        CampaignKind::LimitedDiscount { items, .. } => {
            for x in items {
                out.push(x.sku.as_str());
            }
        }
        _ => {}
    }
    out
}

/// The place of `sku` in `products` (sorted by SKU).
fn find_product(products: &[(&str, &str)], sku: &str) -> Option<usize> {
    products.binary_search_by(|(s, _)| (*s).cmp(sku)).ok()
}

/// The places in `products` (sorted by SKU; `by_category`, their places
/// sorted by category) of those `scope` covers, some maybe twice. A scope
/// that names SKUs or categories is looked up from what it names, not
/// asked of every product: 100 quantity discounts of a few SKUs each
/// against 70,000 products were 7 million lookups.
fn covered(scope: &Scope, products: &[(&str, &str)], by_category: &[u32]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut add = |k: usize| {
        if products.get(k).is_some_and(|(s, c)| scope.covers(s, c)) {
            out.push(k);
        }
    };
    if scope.skus.is_empty() && scope.categories.is_empty() {
        for k in 0..products.len() {
            add(k);
        }
    }
    for sku in &scope.skus {
        if let Some(k) = find_product(products, sku) {
            add(k);
        }
    }
    let category = |k: u32| products.get(k as usize).map_or("", |p| p.1);
    for cat in &scope.categories {
        // The run of products in this category: its start by bisection,
        // then each one.
        let mut at = by_category.partition_point(|&k| category(k) < cat.as_str());
        while let Some(&k) = by_category.get(at).filter(|&&k| category(k) == cat.as_str()) {
            add(k as usize);
            at += 1;
        }
    }
    out
}

/// The products the rules know, by SKU, once each: the catalog's (with the
/// category of the last entry of a SKU listed twice) and every SKU a price
/// campaign names (category "" unless the catalog has it). One sort, not a
/// sorted insert per product, which moved O(n²) entries for a catalog out
/// of SKU order.
fn known_products(rules: &Rules) -> Vec<(&str, &str)> {
    let mut all: Vec<(&str, Option<&str>)> = Vec::new();
    for c in &rules.catalog {
        all.push((&c.sku, Some(&c.category)));
    }
    for c in &rules.campaigns {
        for sku in item_skus(&c.kind) {
            all.push((sku, None));
        }
        if let CampaignKind::QuantityDiscount { scope, .. } = &c.kind {
            for sku in &scope.skus {
                all.push((sku, None));
            }
        }
    }
    // Stable: a SKU's catalog entries come first, in catalog order.
    sorting::sort_by(&mut all, |a, b| a.0.cmp(b.0));
    let mut out: Vec<(&str, &str)> = Vec::with_capacity(all.len());
    for (sku, category) in all {
        match out.last_mut() {
            Some(last) if last.0 == sku => {
                if let Some(c) = category {
                    last.1 = c;
                }
            }
            _ => out.push((sku, category.unwrap_or(""))),
        }
    }
    out
}

fn conflict(p: &mut Problems, j: usize, sku: &str, a: &Campaign, b: &Campaign) {
    p.push(
        code::CAMPAIGN_CONFLICT,
        format!("campaigns[{j}]"),
        format!("`{sku}` 同时参加 `{}`（{}）和 `{}`（{}），时间重叠", a.id, a.kind_name(), b.id, b.kind_name()),
        format!(
            "`{sku}` is in both `{}` ({}) and `{}` ({}) at overlapping times",
            a.id,
            a.kind_name(),
            b.id,
            b.kind_name()
        ),
    );
}

fn check_reward(rules: &Rules, p: &mut Problems, at: Arguments, r: &Reward, basis: Basis, tier_at: i64) {
    if *r == Reward::default() {
        p.push(code::REWARD_EMPTY, at.to_string(), "档位没有任何奖励", "the tier gives no reward");
    }
    if let Some(a) = r.amount_off {
        in_range(p, format_args!("{at}.amount_off"), a, 1, MAX_RULE_FEN);
        if basis == Basis::Amount && a > tier_at {
            p.push(
                code::REWARD_ABOVE_THRESHOLD,
                format!("{at}.amount_off"),
                "减免金额不能超过门槛",
                "the amount off cannot exceed the tier's threshold",
            );
        }
    }
    if let Some(bp) = r.pay_bp {
        in_range(p, format_args!("{at}.pay_bp"), bp, 1, BP - 1);
    }
    if let Some(b) = r.bonus_points {
        in_range(p, format_args!("{at}.bonus_points"), b, 1, 1_000_000);
    }
    if let Some(g) = &r.gift {
        check_sku(rules, p, format_args!("{at}.gift"), g, true);
    }
    if let Some(t) = &r.coupon {
        rules.check_template_ref(p, format_args!("{at}.coupon"), t);
    }
}

fn nonempty(p: &mut Problems, at: Arguments, n: usize) {
    if n == 0 {
        p.push(code::REQUIRED, at.to_string(), "不能为空", "must not be empty");
    }
    if n > 500 {
        p.push(code::TOO_MANY, at.to_string(), "最多 500 项", "at most 500 entries");
    }
}

fn below_list(rules: &Rules, p: &mut Problems, at: Arguments, sku: &str, price: Fen) {
    if let Some(item) = rules.catalog_item(sku) {
        if price >= item.price {
            p.push(
                code::CAMPAIGN_PRICE_NOT_LOWER,
                at.to_string(),
                "活动价须低于目录价",
                "the campaign price must be below the catalog price",
            );
        }
    }
}
