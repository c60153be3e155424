//! The checkout quote: the price of a cart for a member at a moment, every
//! discount kept per line, every refusal explained.
//!
//! The pipeline, in order (each step works on what the steps before left):
//!
//! 1. **Campaign price.** list price × quantity. A 秒杀 flash sale sets its
//!    price for the units within the member's limit and the stock left; the
//!    other units become a second quote line at the normal price. A 限时折扣
//!    limited-time discount does the same within its own limit.
//! 2. **Member price.** The tier's (or paid card's, or member day's) rate, the
//!    best one that does not exclude the line's category. Against a
//!    limited-time price the cheaper wins, unless the campaign stacks them.
//! 3. **Quantity discounts** (第二件半价), on lines at list or member price.
//! 4. **满减送 full reductions**, tested on the eligible subtotal after 1–3.
//! 5. **Coupons**: item coupons, then order coupons, then shipping coupons;
//!    each threshold is tested on its eligible subtotal after the steps before
//!    it (see `coupon.rs`).
//! 6. **Points** as cash: whole units, at most `max_share_bp` of the goods
//!    left after coupons on lines that take points.
//! 7. **Shipping**: the fee, free once *goods after all discounts, before
//!    points* reach the rules' or the member's free-shipping threshold, or when
//!    a full reduction gives free shipping; then a shipping coupon.
//! 8. **Payable** = goods − points + shipping, never negative.
//! 9. **Earnings**, pending until the order completes: points =
//!    floor(paid × earn_per_yuan × tier multiplier × occasion multiplier /
//!    1,000,000) over lines that earn points, plus full-reduction bonus points;
//!    growth = floor(paid × growth per_yuan / 100) over all lines.
//!
//! Every amount taken off the order as a whole (a full reduction, an order
//! coupon, points) is spread over its lines by largest remainder, so the line
//! figures always add up to the totals.
//!
//! Worked example (demo rules, gold member, 9.5折 member price): 2 × tea at
//! ¥68 = ¥136.00 → member price −¥6.80 = ¥129.20 → 满100减20 coupon −¥20.00 =
//! ¥109.20 → shipping free (≥ ¥99) → payable ¥109.20.

use std::rc::Rc;

use serde::Serialize;

use crate::campaign::{self, CampaignKind, ReductionLine, ReductionOutcome};
use crate::coupon::{self, Candidate, Group, LineView};
use crate::decode::{Decode, Decoder, Json};
use crate::encode::{Encode, Writer};
use crate::error::{Error, Problems, Result};
use crate::member::{self, Effective, Member};
use crate::money::{self, Fen, BP};
use crate::rules::{Rules, MAX_ID_LEN};
use crate::sorting::{self, SortedMap};
use crate::time::{self, Millis};

/// Most lines in one cart.
pub const MAX_LINES: usize = 500;
/// Most units of one line.
pub const MAX_QUANTITY: i64 = 9_999;
/// Highest unit price: ¥100,000,000.
pub const MAX_UNIT_PRICE: Fen = 10_000_000_000;
/// Most unused coupons a quote looks at.
pub const MAX_WALLET: usize = 200;

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct CartLine {
    pub sku: String,
    pub category: String,
    /// Unit list price in fen.
    pub unit_price: Fen,
    pub quantity: i64,
}

/// Which coupons to use: the best combination (default), none, or these ids.
/// Written as `"best"`, `"none"` or a list of ids, both ways, so a cart (and
/// an event carrying one) reads back as what was written.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "\"best\" | \"none\" | string[]"))]
#[derive(Debug, Clone, PartialEq, Default)]
pub enum CouponChoice {
    #[default]
    Best,
    None,
    Ids(Vec<String>),
}

impl Encode for CouponChoice {
    fn encode(&self, w: &mut Writer) {
        match self {
            CouponChoice::Best => w.string("best"),
            CouponChoice::None => w.string("none"),
            CouponChoice::Ids(v) => v.encode(w),
        }
    }
}

impl Encode for PointsChoice {
    fn encode(&self, w: &mut Writer) {
        match self {
            PointsChoice::Max => w.string("max"),
            PointsChoice::Points(n) => w.int(*n),
        }
    }
}

impl Serialize for CouponChoice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            CouponChoice::Best => s.serialize_str("best"),
            CouponChoice::None => s.serialize_str("none"),
            CouponChoice::Ids(v) => v.serialize(s),
        }
    }
}

impl Decode for CouponChoice {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        match v {
            Json::Str(w) if w == "best" => Some(CouponChoice::Best),
            Json::Str(w) if w == "none" => Some(CouponChoice::None),
            Json::Arr(_) => Vec::decode(v, d).map(CouponChoice::Ids),
            _ => d.wrong(v, "\"best\", \"none\" or a list of coupon ids"),
        }
    }
}

/// How many points to use: a number, or `"max"` (written the same way back).
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "number | \"max\""))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointsChoice {
    Max,
    Points(i64),
}

impl Serialize for PointsChoice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            PointsChoice::Max => s.serialize_str("max"),
            PointsChoice::Points(n) => s.serialize_i64(*n),
        }
    }
}

impl Default for PointsChoice {
    fn default() -> Self {
        PointsChoice::Points(0)
    }
}

impl Decode for PointsChoice {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        match v {
            Json::Str(w) if w == "max" => Some(PointsChoice::Max),
            Json::Num(_) => i64::decode(v, d).map(PointsChoice::Points),
            _ => d.wrong(v, "a number of points or \"max\""),
        }
    }
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Cart {
    pub lines: Vec<CartLine>,
    #[serde(default)]
    pub coupons: CouponChoice,
    #[serde(default)]
    pub points: PointsChoice,
    /// Flash-sale units already sold, per campaign and SKU (the host counts).
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, Record<string, number>>"))]
    pub sold: SortedMap<String, SortedMap<String, i64>>,
}

/// How a quote line was priced.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Encode)]
#[serde(rename_all = "snake_case")]
pub enum PriceKind {
    List,
    Member,
    Flash,
    Limited,
    LimitedAndMember,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode)]
pub struct Discount {
    /// `flash`, `limited`, `member`, `quantity`, `full_reduction`, `coupon`.
    pub step: &'static str,
    /// The campaign, coupon or benefit it came from.
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub source: Text,
    pub amount: Fen,
}

/// Why a line or the shipping is priced as it is, in Chinese and English.
/// The messages are [`Text`]: a fixed message costs nothing, and a note
/// copied to many lines (the member price's, a campaign's) shares its text.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode)]
pub struct Note {
    pub code: &'static str,
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub zh: Text,
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub en: Text,
}

fn note(code: &'static str, zh: impl Into<Text>, en: impl Into<Text>) -> Note {
    Note { code, zh: zh.into(), en: en.into() }
}

/// A discount's source: fixed (a member benefit), or shared by every line
/// the campaign or coupon reaches, so that each line's copy costs a
/// reference count, not an allocation and a free (a 200-line quote has
/// about 800 discounts; as Strings they cost 0.15 M Wasm instructions more).
/// `Rc<String>` rather than `Rc<str>`: the same speed, 1 KB less code.
/// Written, compared and printed as the plain string.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Rc<String>),
}

impl Text {
    /// A source to be copied to many lines.
    fn shared(s: &str) -> Text {
        Text(Repr::Shared(Rc::new(s.to_string())))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Text {
        Text(Repr::Static(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Repr::Shared(Rc::new(s)))
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Encode for Text {
    fn encode(&self, w: &mut Writer) {
        w.string(self.as_str())
    }
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode)]
pub struct QuoteLine {
    /// Index of the cart line this came from (a cart line can become two
    /// quote lines when a campaign limit splits it).
    pub cart_line: usize,
    pub sku: String,
    pub category: String,
    pub quantity: i64,
    pub unit_price: Fen,
    pub list: Fen,
    pub price: PriceKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    pub coupons_allowed: bool,
    pub points_allowed: bool,
    pub discounts: Vec<Discount>,
    /// After every discount, before points.
    pub goods: Fen,
    pub points_used: i64,
    pub points_deduction: Fen,
    pub paid: Fen,
    pub points_to_earn: i64,
    pub growth_to_earn: i64,
    pub notes: Vec<Note>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode)]
pub struct Totals {
    pub list: Fen,
    pub campaign_discount: Fen,
    pub member_discount: Fen,
    pub full_reduction_discount: Fen,
    pub coupon_discount: Fen,
    pub goods: Fen,
    pub points_deduction: Fen,
    pub shipping_fee: Fen,
    pub shipping_discount: Fen,
    pub shipping: Fen,
    pub payable: Fen,
    /// Everything taken off the list price and the shipping fee (points
    /// are a way to pay, not a saving).
    pub saved: Fen,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode)]
pub struct UnusableCoupon {
    pub id: String,
    pub template: String,
    pub name: String,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<Fen>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode, Default)]
pub struct CouponReport {
    pub applied: Vec<CouponLine>,
    pub usable: Vec<CouponLine>,
    pub unusable: Vec<UnusableCoupon>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode, Default)]
pub struct PointsReport {
    pub balance: i64,
    pub max_usable: i64,
    pub used: i64,
    pub deduction: Fen,
    pub to_earn: i64,
    pub bonus: i64,
    pub multiplier_pct: i64,
    pub occasion_multiplier_pct: i64,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode)]
pub struct ShippingReport {
    pub fee: Fen,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_over: Option<Fen>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_because: Option<Note>,
    pub discount: Fen,
    pub pay: Fen,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode)]
pub struct GiftLine {
    pub sku: String,
    pub name: String,
    pub campaign: String,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode)]
pub struct IssueCoupon {
    pub template: String,
    pub campaign: String,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode)]
pub struct Quote {
    pub fingerprint: String,
    pub now: Millis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    pub member_day: bool,
    pub birthday: bool,
    pub lines: Vec<QuoteLine>,
    pub totals: Totals,
    pub campaigns: Vec<ReductionOutcome>,
    pub coupons: CouponReport,
    pub points: PointsReport,
    pub growth_to_earn: i64,
    pub shipping: ShippingReport,
    pub gifts: Vec<GiftLine>,
    pub coupons_to_issue: Vec<IssueCoupon>,
}

/// Check the cart's numbers, every problem at once.
fn check_cart(cart: &Cart, p: &mut Problems) {
    if cart.lines.is_empty() {
        p.push("CART_EMPTY", "cart.lines", "购物车为空", "the cart is empty");
    }
    if cart.lines.len() > MAX_LINES {
        p.push("TOO_MANY", "cart.lines", format!("购物车最多 {MAX_LINES} 行"), format!("at most {MAX_LINES} cart lines"));
    }
    for (i, l) in cart.lines.iter().enumerate() {
        // The path is written only for a problem (nearly never).
        let at = |field: &str| format!("cart.lines[{i}].{field}");
        if l.sku.is_empty() || l.sku.len() > MAX_ID_LEN {
            p.push("BAD_ID", at("sku"), "SKU 须为 1 到 64 字节", "a SKU must be 1 to 64 bytes");
        }
        if l.category.len() > MAX_ID_LEN {
            p.push("BAD_ID", at("category"), "类目最长 64 字节", "a category is at most 64 bytes");
        }
        if !(1..=MAX_QUANTITY).contains(&l.quantity) {
            p.push("BAD_QUANTITY", at("quantity"), format!("数量须在 1 到 {MAX_QUANTITY} 之间"),
                format!("quantity must be between 1 and {MAX_QUANTITY}"));
        }
        if !(0..=MAX_UNIT_PRICE).contains(&l.unit_price) {
            p.push("BAD_PRICE", at("unit_price"), "单价须在 0 到 ¥100,000,000 之间",
                "unit price must be between 0 and ¥100,000,000");
        }
    }
    if let PointsChoice::Points(n) = cart.points {
        if n < 0 {
            p.push("NEGATIVE", "cart.points", "不能为负数", "must not be negative");
        }
    }
    for (c, skus) in &cart.sold {
        for (s, n) in skus {
            if *n < 0 {
                p.push("NEGATIVE", format!("cart.sold.{c}.{s}"), "不能为负数", "must not be negative");
            }
        }
    }
}

/// A quote line while the pipeline runs.
struct Work {
    out: QuoteLine,
    amount: Fen,
    quantity_campaign: Option<String>,
}

impl Work {
    fn take(&mut self, step: &'static str, source: &Text, amount: Fen) {
        if amount != 0 {
            self.amount -= amount;
            self.out.discounts.push(Discount { step, source: source.clone(), amount });
        }
    }
}

/// Units of `sku` this member bought in `campaign`, net of refunds.
fn bought(member: Option<&Member>, campaign: &str, sku: &str) -> i64 {
    let mut n = 0;
    if let Some(m) = member {
        for o in m.orders.values() {
            for l in &o.lines {
                if l.campaign.as_deref() == Some(campaign) && l.sku == sku {
                    n += l.quantity - l.refunded_quantity;
                }
            }
        }
    }
    n
}

/// The sum of one amount of every line, checked: one loop for the three
/// sums a quote takes (each `money::sum` of an iterator chain was a loop of
/// its own).
fn sum_work(work: &[Work], amount: fn(&Work) -> Fen) -> Result<Fen> {
    let mut t: Fen = 0;
    for w in work {
        t = money::add(t, amount(w))?;
    }
    Ok(t)
}

/// The sum of `v` (plain loops here and below rather than iterator chains:
/// each chain compiles to its own copy of `fold` and `from_iter` in the
/// .wasm).
fn sum_fen(v: &[Fen]) -> Fen {
    let mut t = 0;
    for &x in v {
        t += x;
    }
    t
}

/// Price a cart. `member` is `None` for a guest (no benefits, no wallet, no
/// points).
pub fn quote(rules: &Rules, member: Option<&Member>, cart: &Cart, now: Millis) -> Result<Quote> {
    check_quote(member, cart, now)?;
    match member {
        // The review runs on a copy: the caller's member is untouched.
        Some(m) if review_due(rules, m, now) => {
            let mut c = m.clone();
            crate::events::advance(rules, &mut c, now);
            priced(rules, None, Some(&c), cart, now)
        }
        _ => priced(rules, None, member, cart, now),
    }
}

/// [`quote`] for a member the caller owns (or books on), reviewed in place
/// rather than copied: the operations and `events` have no other use for
/// the member as it was, and the copy was `Member::clone` in the `.wasm`.
/// `fingerprint` is the rules' fingerprint when the caller has it already
/// (a replay books many orders under the same rules).
pub(crate) fn quote_with(rules: &Rules, fingerprint: Option<&str>, mut member: Option<&mut Member>, cart: &Cart, now: Millis) -> Result<Quote> {
    check_quote(member.as_deref(), cart, now)?;
    if let Some(m) = member.as_deref_mut() {
        if review_due(rules, m, now) {
            crate::events::advance(rules, m, now);
        }
    }
    priced(rules, fingerprint, member.as_deref(), cart, now)
}

/// Whether a tier review is due by `now`. It runs before pricing, as it
/// would when the order is booked (lot expiry needs no step: balances look
/// at `now`).
fn review_due(rules: &Rules, m: &Member, now: Millis) -> bool {
    m.next_review(rules).is_some_and(|t| t <= now)
}

/// What a quote refuses before any pricing.
fn check_quote(member: Option<&Member>, cart: &Cart, now: Millis) -> Result<()> {
    time::check_instant(now, "now")?;
    let mut p = Problems::new();
    check_cart(cart, &mut p);
    p.finish("INPUT_INVALID", "输入无效", "the input is invalid")?;
    if let Some(m) = member {
        if !m.is_joined() {
            return Err(Error::new("MEMBER_NOT_JOINED", "member", "会员尚未入会", "the member has not joined"));
        }
        if now < m.clock {
            return Err(Error::new("EVENT_OUT_OF_ORDER", "now", "报价时间早于会员最后一个事件", "now is earlier than the member's last event"));
        }
    }
    Ok(())
}

/// The quote of a checked cart for a member with no review due.
fn priced(rules: &Rules, fingerprint: Option<&str>, member: Option<&Member>, cart: &Cart, now: Millis) -> Result<Quote> {
    let eff = member.map_or_else(Effective::guest, |m| member::effective(rules, m, now));

    // 1–2. Campaign price and member price.
    // The member-price note, written once per rate rather than per line.
    let mut member_notes: Vec<(i64, Note)> = Vec::with_capacity(eff.discounts.len());
    for d in &eff.discounts {
        member_notes.push((d.0, note("MEMBER_PRICE", format!("会员价 {}", zhe(d.0)), format!("member price: pay {}", pct(d.0)))));
    }
    // A line per cart line, more only where a limit splits one: reserved
    // once rather than grown (and copied) a doubling at a time.
    let mut work: Vec<Work> = Vec::with_capacity(cart.lines.len());
    // Units already priced by a flash or limited campaign on earlier lines
    // of this cart: one SKU on two lines shares the limit and the stock.
    let mut in_cart: SortedMap<(&str, &str), i64> = SortedMap::new();
    let active = campaign::active_price_campaigns(rules, now);
    for (i, l) in cart.lines.iter().enumerate() {
        price_line(&active, member, cart, &eff, &member_notes, &mut in_cart, i, l, &mut work)?;
    }

    // 3. Quantity discounts.
    quantity_discounts(rules, &mut work, now)?;

    // 4. Full reductions.
    let mut rlines: Vec<ReductionLine> = Vec::with_capacity(work.len());
    for w in &work {
        rlines.push(ReductionLine {
            sku: &w.out.sku,
            category: &w.out.category,
            quantity: w.out.quantity,
            amount: w.amount,
            eligible: w.out.price != PriceKind::Flash,
        });
    }
    let reductions = campaign::choose_reductions(rules, &rlines, now)?;
    drop(rlines);
    let mut free_shipping_by: Option<&ReductionOutcome> = None;
    let mut gifts = Vec::new();
    let mut to_issue = Vec::new();
    let mut bonus_points = Vec::new();
    for r in &reductions {
        if !r.applied {
            continue;
        }
        let source = Text::shared(r.campaign.as_str());
        for (w, &d) in work.iter_mut().zip(&r.per_line) {
            w.take("full_reduction", &source, d);
        }
        if r.reward.free_shipping && free_shipping_by.is_none() {
            free_shipping_by = Some(r);
        }
        if let Some(g) = &r.reward.gift {
            let name = rules.catalog_item(g).map_or_else(|| g.clone(), |c| c.name.clone());
            gifts.push(GiftLine { sku: g.clone(), name, campaign: r.campaign.clone() });
        }
        if let Some(t) = &r.reward.coupon {
            to_issue.push(IssueCoupon { template: t.clone(), campaign: r.campaign.clone() });
        }
        if let Some(b) = r.reward.bonus_points {
            bonus_points.push((b, r.lines.as_slice()));
        }
    }

    // 5. Coupons.
    let threshold = match (rules.shipping.free_over, eff.free_shipping_over) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let fee_for = |goods: Fen| -> Fen {
        if free_shipping_by.is_some() || threshold.is_some_and(|t| goods >= t) {
            0
        } else {
            rules.shipping.fee
        }
    };
    let (report, applied, cands) = coupons(rules, member, cart, &work, now, &fee_for)?;
    let mut shipping_discount = 0;
    for (k, &ci) in applied.chosen.iter().enumerate() {
        let source = Text::shared(cands[ci].coupon.id.as_str());
        for (w, &d) in work.iter_mut().zip(&applied.line_discounts[k]) {
            w.take("coupon", &source, d);
        }
        shipping_discount += applied.shipping_discounts[k];
    }

    // 6. Points as cash.
    let goods = sum_work(&work, |w| w.amount)?;
    let points = redeem(rules, member, cart, &mut work, now)?;

    // 7. Shipping.
    let fee = fee_for(goods);
    let free_because = if rules.shipping.fee == 0 {
        None
    } else if let Some(r) = free_shipping_by {
        Some(note("FREE_SHIPPING_CAMPAIGN", format!("「{}」包邮", r.name), format!("free shipping from “{}”", r.name)))
    } else if fee == 0 {
        // Say whose threshold it was: the shop's, or the member's benefit.
        let t = threshold.unwrap_or(0);
        let members = eff.free_shipping_over == Some(t) && rules.shipping.free_over.is_none_or(|s| s > t);
        Some(match (members, t) {
            (true, 0) => note("FREE_SHIPPING_MEMBER", "会员权益：包邮", "members ship free"),
            (true, t) => {
                let t = money::yuan(t);
                note("FREE_SHIPPING_MEMBER", format!("会员权益：满 {t} 包邮"), format!("members ship free over {t}"))
            }
            (false, 0) => note("FREE_SHIPPING_OVER", "全场包邮", "free shipping on every order"),
            (false, t) => {
                let t = money::yuan(t);
                note("FREE_SHIPPING_OVER", format!("满 {t} 包邮"), format!("free shipping over {t}"))
            }
        })
    } else {
        None
    };
    let shipping_pay = fee - shipping_discount;

    // 8. Payable, per line.
    for w in &mut work {
        w.out.goods = w.amount;
        w.out.paid = w.amount - w.out.points_deduction;
    }
    let paid_goods = sum_work(&work, |w| w.out.paid)?;
    let payable = money::add(paid_goods, shipping_pay)?;

    // 9. What the order earns.
    let (to_earn, bonus_total) = earn(rules, member, &eff, &mut work, &bonus_points)?;

    let list = sum_work(&work, |w| w.out.list)?;
    // Discounts by step, in one pass over the lines.
    let (mut campaign_discount, mut member_discount, mut full_reduction_discount, mut coupon_discount) = (0, 0, 0, 0);
    for w in &work {
        for d in &w.out.discounts {
            match d.step {
                "flash" | "limited" | "quantity" => campaign_discount += d.amount,
                "member" => member_discount += d.amount,
                "full_reduction" => full_reduction_discount += d.amount,
                "coupon" => coupon_discount += d.amount,
                _ => {}
            }
        }
    }
    let totals = Totals {
        list,
        campaign_discount,
        member_discount,
        full_reduction_discount,
        coupon_discount,
        goods,
        points_deduction: points.deduction,
        shipping_fee: rules.shipping.fee,
        shipping_discount: rules.shipping.fee - shipping_pay,
        shipping: shipping_pay,
        payable,
        saved: list - goods + rules.shipping.fee - shipping_pay,
    };
    let mut growth_to_earn = 0;
    let mut lines = Vec::with_capacity(work.len());
    for w in work {
        growth_to_earn += w.out.growth_to_earn;
        lines.push(w.out);
    }
    Ok(Quote {
        fingerprint: fingerprint.map_or_else(|| rules.fingerprint(), str::to_string),
        now,
        tier: member.map(|m| m.tier.clone()),
        member_day: eff.member_day,
        birthday: eff.birthday,
        lines,
        totals,
        campaigns: reductions,
        coupons: report,
        points: PointsReport {
            to_earn,
            bonus: bonus_total,
            multiplier_pct: eff.points_multiplier_pct,
            occasion_multiplier_pct: eff.occasion_multiplier_pct,
            ..points
        },
        growth_to_earn,
        shipping: ShippingReport { fee, free_over: threshold, free_because, discount: shipping_discount, pay: shipping_pay },
        gifts,
        coupons_to_issue: to_issue,
    })
}

#[allow(clippy::too_many_arguments)]
fn price_line<'a>(
    active: &[&'a campaign::Campaign],
    member: Option<&Member>,
    cart: &Cart,
    eff: &Effective,
    member_notes: &[(i64, Note)],
    in_cart: &mut SortedMap<(&'a str, &'a str), i64>,
    i: usize,
    l: &'a CartLine,
    work: &mut Vec<Work>,
) -> Result<()> {
    let base = |qty: i64| -> Result<Work> {
        let list = money::mul(l.unit_price, qty).map_err(|e| e.under(&format!("cart.lines[{i}]")))?;
        Ok(Work {
            out: QuoteLine {
                cart_line: i,
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
    };
    // The member price on `w` at its current amount, if any applies.
    let member_off = |w: &Work| -> Result<Option<(Fen, &'static str, i64)>> {
        match eff.discount_for(&l.category) {
            Some((bp, src)) => Ok(Some((money::percent_off(w.amount, bp)?, src, bp))),
            None => Ok(None),
        }
    };
    let excluded_note = |w: &mut Work| {
        if !eff.discounts.is_empty() && eff.discount_for(&l.category).is_none() {
            w.out.notes.push(note("MEMBER_PRICE_EXCLUDED", format!("「{}」类目不参与会员价", l.category),
                format!("category “{}” is excluded from the member price", l.category)));
        }
    };
    let apply_member = |w: &mut Work| -> Result<()> {
        if let Some((off, src, bp)) = member_off(w)? {
            if off > 0 {
                w.take("member", &Text::from(src), off);
                w.out.price = PriceKind::Member;
                if let Some((_, n)) = member_notes.iter().find(|(b, _)| *b == bp) {
                    w.out.notes.push(n.clone());
                }
            }
        } else {
            excluded_note(w);
        }
        Ok(())
    };

    let camp = campaign::price_campaign(active, &l.sku);
    match camp.map(|c| (c, &c.kind)) {
        Some((c, CampaignKind::FlashSale { items, per_member_limit, allow_coupons, earn_points })) => {
            let item = items.iter().find(|x| x.sku == l.sku).expect("price_campaign matched the sku");
            let sold = cart.sold.get(&c.id).and_then(|m| m.get(&l.sku)).copied().unwrap_or(0);
            let taken = in_cart.entry((&c.id, &l.sku)).or_insert(0);
            let stock_left = (item.stock - sold - *taken).max(0);
            let limit_left = (*per_member_limit as i64 - bought(member, &c.id, &l.sku) - *taken).max(0);
            let n = if item.price < l.unit_price { l.quantity.min(stock_left).min(limit_left) } else { 0 };
            *taken += n;
            if n > 0 {
                let mut w = base(n)?;
                let price = money::mul(item.price, n)?;
                w.take("flash", &Text::shared(c.id.as_str()), w.out.list - price);
                w.out.price = PriceKind::Flash;
                w.out.campaign = Some(c.id.clone());
                w.out.coupons_allowed = *allow_coupons;
                w.out.points_allowed = *earn_points;
                let price = money::yuan(item.price);
                w.out.notes.push(note("FLASH_PRICE", format!("秒杀价 {price}，限购 {per_member_limit} 件"),
                    format!("flash price {price}, limit {per_member_limit} per member")));
                if !allow_coupons {
                    w.out.notes.push(note("FLASH_NO_COUPON", "秒杀商品不可用券", "flash-sale items take no coupons"));
                }
                if !earn_points {
                    w.out.notes.push(note("FLASH_NO_POINTS", "秒杀商品不可用积分抵扣、不送积分", "flash-sale items neither take nor earn points"));
                }
                work.push(w);
            }
            let rest = l.quantity - n;
            if rest > 0 {
                let mut w = base(rest)?;
                let why = if item.price >= l.unit_price {
                    note("FLASH_NOT_LOWER", "秒杀价不低于售价，按售价计", "the flash price is not below the price; the price applies")
                } else if stock_left < l.quantity.min(limit_left) || (stock_left == 0) {
                    note("FLASH_SOLD_OUT", format!("秒杀库存仅剩 {stock_left} 件，超出部分恢复原价"),
                        format!("only {stock_left} left at the flash price; the rest at the normal price"))
                } else {
                    let price = money::yuan(item.price);
                    note("FLASH_LIMIT", format!("秒杀价 {price}，限购 {per_member_limit} 件，超出部分恢复原价"),
                        format!("flash price {price} is limited to {per_member_limit} per member; the rest at the normal price"))
                };
                w.out.notes.push(why);
                apply_member(&mut w)?;
                work.push(w);
            }
        }
        Some((c, CampaignKind::LimitedDiscount { items, per_member_limit, stack_with_member_price })) => {
            let item = items.iter().find(|x| x.sku == l.sku).expect("price_campaign matched the sku");
            let taken = in_cart.entry((&c.id, &l.sku)).or_insert(0);
            let n = match per_member_limit {
                Some(lim) => l.quantity.min((*lim as i64 - bought(member, &c.id, &l.sku) - *taken).max(0)),
                None => l.quantity,
            };
            *taken += n;
            if n > 0 {
                let mut w = base(n)?;
                let limited_off = match (item.price, item.pay_bp) {
                    (Some(p), _) => (w.out.list - money::mul(p, n)?).max(0),
                    (None, Some(bp)) => money::percent_off(w.out.list, bp)?,
                    _ => 0,
                };
                let member = member_off(&w)?;
                w.out.campaign = Some(c.id.clone());
                let label = item.price.map_or_else(|| zhe(item.pay_bp.unwrap_or(BP)), money::yuan);
                if *stack_with_member_price {
                    w.take("limited", &Text::shared(c.id.as_str()), limited_off);
                    w.out.price = PriceKind::Limited;
                    if let Some((_, src, bp)) = member {
                        let off = money::percent_off(w.amount, bp)?;
                        w.take("member", &Text::from(src), off);
                        w.out.price = PriceKind::LimitedAndMember;
                        w.out.notes.push(note("LIMITED_AND_MEMBER", format!("限时价 {label}，再享会员价 {}", zhe(bp)),
                            format!("limited-time price {label}, plus member price: pay {}", pct(bp))));
                    } else {
                        w.out.notes.push(note("LIMITED_PRICE", format!("限时价 {label}"), format!("limited-time price {label}")));
                    }
                } else {
                    match member {
                        Some((moff, src, bp)) if moff > limited_off => {
                            w.take("member", &Text::from(src), moff);
                            w.out.price = PriceKind::Member;
                            w.out.campaign = None;
                            w.out.notes.push(note("MEMBER_BEATS_LIMITED", format!("会员价 {} 比限时价 {label} 更优惠", zhe(bp)),
                                format!("member price (pay {}) is better than the limited-time price {label}", pct(bp))));
                        }
                        other => {
                            w.take("limited", &Text::shared(c.id.as_str()), limited_off);
                            w.out.price = PriceKind::Limited;
                            let (zh, en) = if other.is_some() {
                                (format!("限时价 {label} 优于会员价，二者不叠加"), format!("limited-time price {label} beats the member price; they do not stack"))
                            } else {
                                (format!("限时价 {label}"), format!("limited-time price {label}"))
                            };
                            w.out.notes.push(note("LIMITED_PRICE", zh, en));
                        }
                    }
                }
                work.push(w);
            }
            let rest = l.quantity - n;
            if rest > 0 {
                let mut w = base(rest)?;
                let lim = per_member_limit.unwrap_or(0);
                w.out.notes.push(note("LIMITED_LIMIT", format!("限时价限购 {lim} 件，超出部分恢复原价"),
                    format!("the limited-time price is limited to {lim} per member; the rest at the normal price")));
                apply_member(&mut w)?;
                work.push(w);
            }
        }
        Some((c, CampaignKind::QuantityDiscount { .. })) => {
            let mut w = base(l.quantity)?;
            apply_member(&mut w)?;
            w.quantity_campaign = Some(c.id.clone());
            work.push(w);
        }
        _ => {
            let mut w = base(l.quantity)?;
            apply_member(&mut w)?;
            work.push(w);
        }
    }
    Ok(())
}

/// 8500 bp → "8.5折".
fn zhe(bp: i64) -> String {
    let tenths = bp / 100; // 85
    if tenths % 10 == 0 {
        format!("{}折", tenths / 10)
    } else {
        format!("{}.{}折", tenths / 10, tenths % 10)
    }
}

/// 8500 bp → "85%".
fn pct(bp: i64) -> String {
    if bp % 100 == 0 {
        format!("{}%", bp / 100)
    } else {
        format!("{}.{:02}%", bp / 100, bp % 100)
    }
}

fn quantity_discounts(rules: &Rules, work: &mut [Work], now: Millis) -> Result<()> {
    for c in &rules.campaigns {
        let CampaignKind::QuantityDiscount { nth, pay_bp, .. } = &c.kind else { continue };
        if !c.active(rules, now) {
            continue;
        }
        // The campaign's units, dearest first (ties: cart order), as one run
        // per line: a line's units all have the same value.
        let mut runs: Vec<(Fen, usize)> = Vec::new();
        for (i, w) in work.iter().enumerate() {
            if w.quantity_campaign.as_deref() == Some(&c.id) {
                runs.push((money::cumulative_share(w.amount, 1, w.out.quantity)?, i));
            }
        }
        sorting::sort_by(&mut runs, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut off = vec![0; work.len()];
        let nth = *nth as i64;
        let mut before = 0; // units ahead of this run
        for &(unit, i) in &runs {
            let count = work[i].out.quantity;
            // Positions before+1 … before+count that are a multiple of nth.
            let hits = (before + count) / nth - before / nth;
            off[i] = money::mul(money::percent_off(unit, *pay_bp)?, hits)?;
            before += count;
        }
        // The same source and two notes for every line of the campaign:
        // written once.
        let source = Text::shared(c.id.as_str());
        let applied = note("QUANTITY_DISCOUNT", format!("「{}」：每第 {} 件 {}", c.name, nth, zhe(*pay_bp)),
            format!("“{}”: every {} unit pays {}", c.name, ordinal(nth as u32), pct(*pay_bp)));
        let not_reached = note("QUANTITY_DISCOUNT_NOT_REACHED", format!("「{}」：满 {} 件可享", c.name, nth),
            format!("“{}”: applies from the {} unit", c.name, ordinal(nth as u32)));
        for (i, w) in work.iter_mut().enumerate() {
            if off[i] > 0 {
                w.take("quantity", &source, off[i]);
                w.out.campaign = Some(c.id.clone());
                w.out.notes.push(applied.clone());
            } else if w.quantity_campaign.as_deref() == Some(&c.id) {
                w.out.notes.push(not_reached.clone());
            }
        }
    }
    Ok(())
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

type CouponResult<'a> = (CouponReport, coupon::Applied, Vec<Candidate<'a>>);

fn coupons<'a>(
    rules: &'a Rules,
    member: Option<&'a Member>,
    cart: &Cart,
    work: &[Work],
    now: Millis,
    fee_for: &dyn Fn(Fen) -> Fen,
) -> Result<CouponResult<'a>> {
    let mut report = CouponReport::default();
    let Some(m) = member else {
        if let CouponChoice::Ids(ids) = &cart.coupons {
            if !ids.is_empty() {
                return Err(Error::new("GUEST_NO_COUPONS", "cart.coupons", "游客不能用券", "a guest has no coupons"));
            }
        }
        return Ok((report, coupon::Applied::default(), Vec::new()));
    };
    let mut views: Vec<LineView> = Vec::with_capacity(work.len());
    let mut base: Vec<Fen> = Vec::with_capacity(work.len());
    for w in work {
        views.push(LineView { sku: &w.out.sku, category: &w.out.category, quantity: w.out.quantity, coupon_ok: w.out.coupons_allowed });
        base.push(w.amount);
    }
    let mut held: Vec<&crate::member::WalletCoupon> = Vec::new();
    for c in &m.wallet {
        if c.used_by.is_none() {
            held.push(c);
        }
    }
    if held.len() > MAX_WALLET {
        return Err(Error::new("WALLET_TOO_LARGE", "member.wallet", format!("未使用的券超过 {MAX_WALLET} 张"),
            format!("more than {MAX_WALLET} unused coupons")));
    }
    // Every held coupon: a candidate if it works on its own, else a refusal.
    let mut cands: Vec<Candidate> = Vec::new();
    // Per candidate: the lines its scope covers (none kept for shipping).
    let mut scopes: Vec<Vec<bool>> = Vec::new();
    let mut alone: Vec<Fen> = Vec::new();
    let total = sum_fen(&base);
    let mut refused: SortedMap<&str, coupon::Refusal> = SortedMap::new();
    let mut no_fee_alone: Vec<(&str, coupon::Refusal)> = Vec::new();
    for wc in &held {
        let Some(t) = rules.template(&wc.template) else {
            refused.insert(&wc.id, coupon::Refusal::new("COUPON_UNKNOWN_TEMPLATE", "券模板已不存在", "the coupon's template is no longer in the rules"));
            continue;
        };
        if let Err(r) = coupon::check_wallet(wc, now) {
            refused.insert(&wc.id, r);
            continue;
        }
        let c = Candidate { coupon: wc, template: t, group: coupon::group(t) };
        // What it saves applied alone, as a total: the lines' shares are
        // worked out only for the coupons a quote applies.
        let (scope, saving) = if c.group == Group::Shipping {
            (Vec::new(), coupon::shipping_discount(t, total, fee_for(total)))
        } else {
            let scope = coupon::scope_mask(t, &views);
            let saving = coupon::goods_saving(t, &scope, &views, &base);
            (scope, saving)
        };
        match saving {
            Ok(x) => {
                alone.push(x);
                cands.push(c);
                scopes.push(scope);
            }
            // No fee on the goods as they are, but a goods coupon applied
            // first may bring one back: keep it for combinations, and report
            // the refusal only if it is not applied.
            Err(r) if r.code == "COUPON_NO_SHIPPING_FEE" => {
                alone.push(0);
                cands.push(c);
                scopes.push(scope);
                no_fee_alone.push((wc.id.as_str(), r));
            }
            Err(r) => {
                refused.insert(&wc.id, r);
            }
        }
    }
    let applied = match &cart.coupons {
        CouponChoice::None => coupon::Applied::default(),
        CouponChoice::Best => coupon::best(&cands, &scopes, &views, &base, fee_for),
        CouponChoice::Ids(ids) => {
            let mut chosen: Vec<usize> = Vec::new();
            for (k, id) in ids.iter().enumerate() {
                if ids[..k].contains(id) {
                    continue;
                }
                match cands.iter().position(|c| &c.coupon.id == id) {
                    Some(ci) => {
                        // Tried on the list itself, and taken off again if
                        // it does not stack (no copy of the list).
                        chosen.push(ci);
                        if !coupon::stackable(&cands, &chosen) {
                            chosen.pop();
                            refused.insert(&cands[ci].coupon.id, coupon::Refusal::new("COUPON_NOT_STACKABLE",
                                "不能与已选的券同时使用", "cannot be combined with the coupons already chosen"));
                        }
                    }
                    None if refused.contains_key(id.as_str()) || m.wallet.iter().any(|c| &c.id == id) => {
                        if !refused.contains_key(id.as_str()) {
                            if let Some(wc) = m.wallet.iter().find(|c| &c.id == id) {
                                if let Err(r) = coupon::check_wallet(wc, now) {
                                    refused.insert(&wc.id, r);
                                }
                            }
                        }
                    }
                    None => {
                        return Err(Error::new("COUPON_NOT_FOUND", format!("cart.coupons[{k}]"), format!("钱包里没有券 `{id}`"),
                            format!("no coupon `{id}` in the wallet")));
                    }
                }
            }
            // Drop any coupon that fails after the ones before it, and retry.
            loop {
                match coupon::apply(&cands, &scopes, &chosen, &views, &base, fee_for) {
                    Ok(a) => break a,
                    Err((ci, r)) => {
                        refused.insert(&cands[ci].coupon.id, r);
                        chosen.retain(|&x| x != ci);
                    }
                }
            }
        }
    };
    for (id, r) in no_fee_alone {
        if !applied.chosen.iter().any(|&ci| cands[ci].coupon.id == id) {
            refused.entry(id).or_insert(r);
        }
    }
    for (k, &ci) in applied.chosen.iter().enumerate() {
        let c = &cands[ci];
        let saving = sum_fen(&applied.line_discounts[k]) + applied.shipping_discounts[k];
        report.applied.push(coupon_line(c, saving));
    }
    for (ci, c) in cands.iter().enumerate() {
        if !applied.chosen.contains(&ci) && !refused.contains_key(c.coupon.id.as_str()) {
            report.usable.push(coupon_line(c, alone[ci]));
        }
    }
    // Coupons the shopper chose that are already used are reported too,
    // after the held ones (one list, not a chain of two).
    let mut listed = held;
    if let CouponChoice::Ids(ids) = &cart.coupons {
        for c in &m.wallet {
            if c.used_by.is_some() && ids.contains(&c.id) {
                listed.push(c);
            }
        }
    }
    for &wc in &listed {
        if let Some(r) = refused.get(wc.id.as_str()) {
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
    Ok((report, applied, cands))
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

fn redeem(rules: &Rules, member: Option<&Member>, cart: &Cart, work: &mut [Work], now: Millis) -> Result<PointsReport> {
    let balance = member.map_or(0, |m| m.points.balance(now));
    let mut rep = PointsReport { balance, ..PointsReport::default() };
    let asked = cart.points;
    let Some(r) = &rules.points.redeem else {
        if asked != PointsChoice::Points(0) && asked != PointsChoice::Max {
            return Err(Error::new("POINTS_REDEEM_DISABLED", "cart.points", "本店未开通积分抵现", "this shop does not take points as cash"));
        }
        return Ok(rep);
    };
    let mut weights: Vec<Fen> = Vec::with_capacity(work.len());
    for w in work.iter() {
        weights.push(if w.out.points_allowed { w.amount } else { 0 });
    }
    let base = sum_fen(&weights);
    let cap_fen = money::mul_div_floor(base, r.max_share_bp, BP)?;
    let max_units = (balance / r.unit_points).min(cap_fen / r.unit_fen);
    rep.max_usable = max_units * r.unit_points;
    let units = match asked {
        PointsChoice::Max => max_units,
        PointsChoice::Points(0) => 0,
        PointsChoice::Points(n) => {
            if member.is_none() {
                return Err(Error::new("GUEST_NO_POINTS", "cart.points", "游客没有积分", "a guest has no points"));
            }
            if n % r.unit_points != 0 {
                return Err(Error::new("POINTS_NOT_WHOLE_UNITS", "cart.points", format!("积分须为 {} 的整数倍", r.unit_points),
                    format!("points must be a multiple of {}", r.unit_points)));
            }
            if n > balance {
                return Err(Error::new("INSUFFICIENT_POINTS", "cart.points", format!("积分不足：需要 {n}，可用 {balance}"),
                    format!("not enough points: {n} needed, {balance} available")));
            }
            if n > rep.max_usable {
                return Err(Error::new("POINTS_ABOVE_CAP", "cart.points", format!("本单最多可用 {} 积分", rep.max_usable),
                    format!("at most {} points can be used on this order", rep.max_usable)));
            }
            n / r.unit_points
        }
    };
    rep.used = units * r.unit_points;
    rep.deduction = money::mul(units, r.unit_fen)?;
    if rep.used > 0 {
        let fen = money::split(rep.deduction, &weights)?;
        let pts = money::split(rep.used, &weights)?;
        // By reference, here and below: a `Vec` zipped by value compiles
        // its own consuming iterator.
        for (w, (&f, &p)) in work.iter_mut().zip(fen.iter().zip(&pts)) {
            w.out.points_deduction = f;
            w.out.points_used = p;
        }
    }
    Ok(rep)
}

/// Points and growth the order will earn, per line. Returns (points total,
/// bonus part).
fn earn(rules: &Rules, member: Option<&Member>, eff: &Effective, work: &mut [Work], bonus: &[(i64, &[bool])]) -> Result<(i64, i64)> {
    if member.is_none() {
        return Ok((0, 0));
    }
    // Points by what a line paid where points are allowed; growth by what
    // every line paid.
    let mut weights: Vec<Fen> = Vec::with_capacity(work.len());
    let mut gw: Vec<Fen> = Vec::with_capacity(work.len());
    for w in work.iter() {
        weights.push(if w.out.points_allowed { w.out.paid } else { 0 });
        gw.push(w.out.paid);
    }
    let base = sum_fen(&weights);
    let num = rules.points.earn_per_yuan as i128 * eff.points_multiplier_pct as i128 * eff.occasion_multiplier_pct as i128;
    let pts = i64::try_from(money::div_rem_128(base as i128 * num, 1_000_000).0).map_err(|_| Error::overflow("points"))?;
    let mut per_line = if base > 0 { money::split(pts, &weights)? } else { vec![0; work.len()] };
    let mut bonus_total = 0;
    for (b, covered) in bonus {
        // Bonus points belong to the activity's lines, by what they paid; if
        // they paid nothing, to the first of them.
        let mut w: Vec<Fen> = Vec::with_capacity(work.len());
        for (l, &c) in work.iter().zip(covered.iter()) {
            w.push(if c { l.out.paid } else { 0 });
        }
        let shares = if sum_fen(&w) > 0 {
            money::split(*b, &w)?
        } else {
            let mut v = vec![0; work.len()];
            if let Some(first) = covered.iter().position(|&c| c) {
                v[first] = *b;
            }
            v
        };
        for (x, &s) in per_line.iter_mut().zip(&shares) {
            *x += s;
        }
        bonus_total += b;
    }
    let gbase = sum_fen(&gw);
    let growth = money::mul_div_floor(gbase, rules.membership.growth.per_yuan, 100)?;
    let g_line = if gbase > 0 { money::split(growth, &gw)? } else { vec![0; work.len()] };
    for (w, (&p, &g)) in work.iter_mut().zip(per_line.iter().zip(&g_line)) {
        w.out.points_to_earn = p;
        w.out.growth_to_earn = g;
    }
    Ok((sum_fen(&per_line), bonus_total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discount_labels() {
        assert_eq!(zhe(8500), "8.5折");
        assert_eq!(zhe(9000), "9折");
        assert_eq!(pct(8500), "85%");
        assert_eq!(pct(8550), "85.50%");
        assert_eq!(ordinal(2), "2nd");
        assert_eq!(ordinal(11), "11th");
    }
}
