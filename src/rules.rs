//! The merchant's rule set: one JSON document (schema 1) with tiers and
//! benefits, the points policy, coupon templates, shipping and campaigns.
//!
//! [`Rules::parse`] checks the document's shape (unknown fields are errors)
//! and then its meaning, and reports **every** problem with a path and a
//! stable code. A parsed rule set has a [`Rules::fingerprint`]: the SHA-256 of
//! the document it was read from, as canonical JSON, which travels in every
//! answer so a server can tell that a client priced under the same rules.

use crate::sorting::{SortedMap, SortedSet};

use serde::Serialize;

use crate::decode::Decode;
use crate::encode::Encode;

use crate::campaign::{self, Campaign};
use crate::decode;
use crate::error::{Problems, Result};
use crate::money::{Fen, BP};
use crate::time::{Date, Zone};

pub const SCHEMA: u32 = 1;

/// Longest id (SKU, tier, template, …) accepted, in bytes.
pub const MAX_ID_LEN: usize = 64;

/// Largest amount of money in a rule (prices, fees, thresholds): ¥100,000,000.
pub const MAX_RULE_FEN: Fen = 10_000_000_000;

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub schema: u32,
    #[serde(default)]
    pub merchant: String,
    /// The merchant's UTC offset in minutes; +480 is Beijing time.
    #[serde(default = "beijing")]
    pub utc_offset_minutes: i32,
    /// Products the rules may refer to (scopes, gifts). Optional: without a
    /// catalog, SKUs and categories in scopes are taken as written.
    #[serde(default)]
    pub catalog: Vec<CatalogItem>,
    pub membership: Membership,
    pub points: PointsPolicy,
    #[serde(default)]
    pub coupons: Vec<CouponTemplate>,
    #[serde(default)]
    pub shipping: Shipping,
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
    /// How overlapping full reductions are chosen (default: best for the
    /// shopper).
    #[serde(default)]
    pub full_reduction_choice: crate::campaign::Choice,
    /// How members are segmented for targeting (new / active / loyal /
    /// silent).
    #[serde(default)]
    pub lifecycle: Lifecycle,
    /// The document these rules were read from, as canonical JSON: what
    /// [`Rules::fingerprint`] hashes. Written once, as they are read.
    #[serde(skip)]
    #[decode(whole)]
    document: Document,
}

/// A rule set's document as canonical JSON (its keys sorted by their UTF-8
/// bytes, no whitespace, strings escaped as every answer escapes them,
/// numbers as written): what the fingerprint is the SHA-256 of.
///
/// The document as the merchant wrote it, not the rules with every default
/// filled in: hashing what was written is a quarter of the bytes for a
/// typical rule set (the default-filled form of the benchmark's rules is
/// 11.4 KB, the document 2.9 KB), so every call is cheaper, and a later
/// version of siyu that adds an optional field leaves every fingerprint
/// as it was. The price: writing a default out (`"campaigns": []`) or
/// reordering a list changes it, which at worst makes a server ask for a
/// fresh quote.
///
/// The canonical text is written as the rules are read (the tree is gone
/// after); it is hashed only when asked for, as an operation that answers
/// no fingerprint (a points history, a check-in) need not pay for SHA-256.
#[derive(Debug, Clone, Default, PartialEq)]
struct Document {
    canonical: String,
}

impl decode::Whole for Document {
    fn whole(v: &decode::Json) -> Self {
        let mut canonical = String::with_capacity(4 << 10);
        crate::encode::append_json(&mut canonical, v);
        Document { canonical }
    }
}

fn beijing() -> i32 {
    480
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct CatalogItem {
    pub sku: String,
    pub name: String,
    pub category: String,
    /// List price in fen.
    pub price: Fen,
}

// ---------------------------------------------------------------- membership

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    pub growth: GrowthPolicy,
    /// Lowest first; the first tier's threshold is 0.
    pub tiers: Vec<Tier>,
    /// Periodic retention review (保级). Without it tiers never go down.
    #[serde(default)]
    pub review: Option<Review>,
    /// Paid membership cards (付费会员).
    #[serde(default)]
    pub paid_plans: Vec<PaidPlan>,
    /// Benefits of an active paid membership, on top of the tier's.
    #[serde(default)]
    pub paid_benefits: Benefits,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct GrowthPolicy {
    /// Growth value (成长值) per yuan paid for goods, floored.
    pub per_yuan: i64,
    #[serde(default)]
    pub window: GrowthWindow,
}

/// Which growth counts toward a tier: all of it, or what was earned in the
/// last `days` days.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Encode, Decode)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum GrowthWindow {
    #[default]
    Cumulative,
    Rolling { days: u32 },
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: String,
    pub name: String,
    /// Growth value at which a member is upgraded into this tier.
    pub threshold: i64,
    /// Growth value to earn within each review period to keep this tier.
    #[serde(default)]
    pub retain: i64,
    #[serde(default)]
    pub benefits: Benefits,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub period: Period,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Quarter,
    Year,
}

impl Period {
    pub fn months(self) -> u32 {
        match self {
            Period::Month => 1,
            Period::Quarter => 3,
            Period::Year => 12,
        }
    }
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct PaidPlan {
    pub id: String,
    pub name: String,
    /// Fee in fen.
    pub price: Fen,
    /// Length of one period in days.
    pub days: u32,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Benefits {
    /// Member price: pay this share of the price (9500 = 9.5折).
    #[serde(default)]
    pub discount_bp: Option<i64>,
    /// Categories the member discount never applies to.
    #[serde(default)]
    pub discount_excluded_categories: Vec<String>,
    /// Points multiplier in percent (150 = ×1.5).
    #[serde(default)]
    pub points_multiplier_pct: Option<i64>,
    /// Free shipping when goods (after discounts) reach this amount.
    #[serde(default)]
    pub free_shipping_over: Option<Fen>,
    #[serde(default)]
    pub birthday: Option<BirthdayPerk>,
    #[serde(default)]
    pub member_day: Option<MemberDay>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct BirthdayPerk {
    /// The perk applies on the birthday itself or all through its month.
    pub when: BirthdayWhen,
    #[serde(default)]
    pub points_multiplier_pct: Option<i64>,
    /// A coupon template the member may claim once a year while the perk
    /// applies.
    #[serde(default)]
    pub coupon: Option<String>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum BirthdayWhen {
    Day,
    Month,
}

/// A fixed member day (会员日): a day of the month or a weekday (1 = Monday).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct MemberDay {
    #[serde(default)]
    pub day_of_month: Option<u32>,
    #[serde(default)]
    pub weekday: Option<u32>,
    #[serde(default)]
    pub points_multiplier_pct: Option<i64>,
    #[serde(default)]
    pub discount_bp: Option<i64>,
}

impl MemberDay {
    pub fn is_on(&self, d: Date) -> bool {
        self.day_of_month == Some(d.day) || self.weekday == Some(d.weekday())
    }
}

// -------------------------------------------------------------------- points

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct PointsPolicy {
    /// Points per yuan paid for goods, before multipliers; floored.
    pub earn_per_yuan: i64,
    /// Points for member actions, by name (`sign_up`, `follow`, `share`,
    /// `review`, …). `sign_up` is credited when the member joins.
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, ActivityRule>"))]
    pub activities: SortedMap<String, ActivityRule>,
    /// Most points from activities and check-in in one local day (the
    /// one-time `sign_up` points are outside the cap).
    #[serde(default)]
    pub daily_cap: Option<i64>,
    #[serde(default)]
    pub check_in: Option<CheckInRule>,
    pub expiry: Expiry,
    #[serde(default)]
    pub redeem: Option<Redeem>,
    /// The points mall (积分商城).
    #[serde(default)]
    pub mall: Vec<MallItem>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct ActivityRule {
    pub points: i64,
    /// How many times a day it pays (default: unlimited).
    #[serde(default)]
    pub times_per_day: Option<u32>,
    /// How many times ever it pays (e.g. 1 for `follow`).
    #[serde(default)]
    pub times_total: Option<u32>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct CheckInRule {
    /// Points for every check-in.
    pub daily: i64,
    /// Extra points on reaching a streak day (e.g. day 7: +50).
    #[serde(default)]
    pub streak_bonus: Vec<StreakBonus>,
    /// The streak restarts at day 1 after this many days (e.g. 7 for a
    /// weekly card); without it the streak keeps counting.
    #[serde(default)]
    pub cycle_days: Option<u32>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct StreakBonus {
    pub day: u32,
    pub points: i64,
}

/// When an earned lot of points expires, in merchant local time.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Expiry {
    Never,
    /// At the end of the local day `days` days after the day it was earned.
    Days { days: u32 },
    /// At the end of the month `months` months after the month it was earned
    /// (0 = the end of this month).
    MonthEnd { months: u32 },
    /// At the end of the year `years` years after the year it was earned.
    YearEnd { years: u32 },
}

/// Points as cash at checkout (积分抵现).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Redeem {
    /// Points in one unit: only whole units are used.
    pub unit_points: i64,
    /// Fen one unit takes off.
    pub unit_fen: Fen,
    /// At most this share of the goods payable may be paid with points.
    pub max_share_bp: i64,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct MallItem {
    pub id: String,
    pub name: String,
    /// Price in points.
    pub cost: i64,
    pub reward: MallReward,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum MallReward {
    /// Issues a coupon from this template.
    Coupon { template: String },
    /// A physical gift the host ships.
    Gift { sku: String },
}

// ------------------------------------------------------------------- coupons

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct CouponTemplate {
    pub id: String,
    pub name: String,
    pub kind: CouponKind,
    #[serde(default)]
    pub scope: Scope,
    pub validity: Validity,
    /// How many a member may claim (default 1).
    #[serde(default)]
    pub per_member_limit: Option<u32>,
    #[serde(default)]
    pub audience: Audience,
    /// An exclusive coupon combines with no other coupon.
    #[serde(default)]
    pub exclusive: bool,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum CouponKind {
    /// 满减: `amount` off once the eligible subtotal reaches `threshold`
    /// (threshold 0 is 无门槛).
    AmountOff {
        amount: Fen,
        #[serde(default)]
        threshold: Fen,
    },
    /// 折扣: pay `pay_bp` of the eligible subtotal (8500 = 8.5折), at most
    /// `cap` off.
    PercentOff {
        pay_bp: i64,
        #[serde(default)]
        cap: Option<Fen>,
        #[serde(default)]
        threshold: Fen,
    },
    /// Shipping: `amount` off the shipping fee, or all of it without an
    /// amount.
    Shipping {
        #[serde(default)]
        amount: Option<Fen>,
        #[serde(default)]
        threshold: Fen,
    },
    /// Exchange (兑换券): one unit of `sku` in the cart becomes free.
    Exchange { sku: String },
}

/// Which cart lines a coupon applies to. Empty includes mean "everything";
/// excludes always win.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    #[serde(default)]
    pub skus: Vec<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub exclude_skus: Vec<String>,
    #[serde(default)]
    pub exclude_categories: Vec<String>,
}

impl Scope {
    pub fn is_everything(&self) -> bool {
        self.skus.is_empty()
            && self.categories.is_empty()
            && self.exclude_skus.is_empty()
            && self.exclude_categories.is_empty()
    }

    pub fn covers(&self, sku: &str, category: &str) -> bool {
        // A quote asks this for every scope and line.
        if contains(&self.exclude_skus, sku) || contains(&self.exclude_categories, category) {
            return false;
        }
        let open = self.skus.is_empty() && self.categories.is_empty();
        open || contains(&self.skus, sku) || contains(&self.categories, category)
    }
}

/// Whether `v` holds `x`: a plain loop (at opt-level "z", `any` and its
/// closure are a call per item), no call at all for an empty list, and
/// lengths compared first (most differ; the byte comparison is a call).
#[inline(always)]
fn contains(v: &[String], x: &str) -> bool {
    let mut i = 0;
    while i < v.len() {
        if v[i].len() == x.len() && v[i].as_bytes() == x.as_bytes() {
            return true;
        }
        i += 1;
    }
    false
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Validity {
    /// From the start of local day `from` to the end of local day `until`.
    Window { from: Date, until: Date },
    /// From the moment of claiming to the end of the local day `days - 1`
    /// days later (`days: 1` = valid until tonight).
    Days { days: u32 },
}

/// Who may claim a template. Empty lists mean "anyone".
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    #[serde(default)]
    pub tiers: Vec<String>,
    /// A member with any of these tags qualifies.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Only members who have never placed an order.
    #[serde(default)]
    pub new_members_only: bool,
    /// Only members with an active paid membership.
    #[serde(default)]
    pub paid_members_only: bool,
    /// Only members in one of these lifecycle segments (`new`, `active`,
    /// `loyal`, `silent`; see `member.rs`).
    #[serde(default)]
    pub segments: Vec<Segment>,
}

/// Where a member is in their lifecycle, derived from their orders.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// Joined, never ordered.
    New,
    /// At least `loyal_orders` orders in the last `loyal_days` days.
    Loyal,
    /// Ordered in the last `active_days` days.
    Active,
    /// Has ordered, but not in the last `active_days` days.
    Silent,
}

/// How lifecycle segments are drawn (defaults: 90 days, 3 orders in 365).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    #[serde(default = "ninety")]
    pub active_days: u32,
    #[serde(default = "three")]
    pub loyal_orders: u32,
    #[serde(default = "year")]
    pub loyal_days: u32,
}

fn ninety() -> u32 {
    90
}
fn three() -> u32 {
    3
}
fn year() -> u32 {
    365
}

impl Segment {
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::New => "new",
            Segment::Loyal => "loyal",
            Segment::Active => "active",
            Segment::Silent => "silent",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Segment::New => "新客",
            Segment::Loyal => "忠实客户",
            Segment::Active => "活跃客户",
            Segment::Silent => "沉默客户",
        }
    }
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle { active_days: 90, loyal_orders: 3, loyal_days: 365 }
    }
}

// ------------------------------------------------------------------ shipping

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Shipping {
    /// Flat fee per order in fen.
    #[serde(default)]
    pub fee: Fen,
    /// Free shipping once goods after all discounts (before points) reach
    /// this amount.
    #[serde(default)]
    pub free_over: Option<Fen>,
}

// ------------------------------------------------------------------- parsing

impl Rules {
    /// Parse and validate a rule set from JSON text.
    pub fn parse(json: &str) -> Result<Rules> {
        let tree = decode::parse(json).map_err(|e| e.with_code("RULES_INVALID"))?;
        let rules: Rules = decode::from_json(&tree, "RULES_INVALID", "规则无效", "the rules are invalid")?;
        rules.validate()?;
        Ok(rules)
    }

    /// Parse and validate a rule set from a `serde_json::Value`.
    pub fn from_value(value: &serde_json::Value) -> Result<Rules> {
        Rules::parse(&serde_json::to_string(value).unwrap_or_default())
    }

    /// Every semantic problem, all at once.
    pub fn validate(&self) -> Result<()> {
        let mut p = Problems::new();
        self.check(&mut p);
        p.finish("RULES_INVALID", "规则无效", "the rules are invalid")
    }

    pub fn zone(&self) -> Zone {
        Zone::new(self.utc_offset_minutes)
    }

    /// `sha256:` and 64 hex digits: the SHA-256 of the canonical JSON of the
    /// document the rules were read from (see [`Document`]). Every answer
    /// that prices carries it, so a server can tell that a client priced
    /// under the same rules. Hashed at each call: a caller that needs it
    /// many times keeps it (a replay booking many orders does).
    ///
    /// ```
    /// # use siyu::Rules;
    /// let r = Rules::parse(siyu::demo::RULES).unwrap();
    /// assert!(r.fingerprint().starts_with("sha256:") && r.fingerprint().len() == 71);
    /// ```
    pub fn fingerprint(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(71);
        s.push_str("sha256:");
        for b in crate::sha256::digest(self.document.canonical.as_bytes()) {
            s.push(HEX[(b >> 4) as usize] as char);
            s.push(HEX[(b & 15) as usize] as char);
        }
        s
    }

    pub fn tier(&self, id: &str) -> Option<&Tier> {
        self.membership.tiers.iter().find(|t| t.id == id)
    }

    pub fn tier_index(&self, id: &str) -> Option<usize> {
        self.membership.tiers.iter().position(|t| t.id == id)
    }

    pub fn template(&self, id: &str) -> Option<&CouponTemplate> {
        self.coupons.iter().find(|t| t.id == id)
    }

    pub fn catalog_item(&self, sku: &str) -> Option<&CatalogItem> {
        self.catalog.iter().find(|c| c.sku == sku)
    }

    fn check(&self, p: &mut Problems) {
        if self.schema != SCHEMA {
            p.push("SCHEMA_UNSUPPORTED", "schema", format!("不支持的规则版本 {}，应为 1", self.schema),
                format!("unsupported schema {}, expected 1", self.schema));
        }
        if !(-720..=840).contains(&self.utc_offset_minutes) {
            p.push("OUT_OF_RANGE", "utc_offset_minutes", "时区偏移须在 -720 到 840 分钟之间",
                "UTC offset must be between -720 and 840 minutes");
        }
        let mut skus = SortedSet::new();
        for (i, c) in self.catalog.iter().enumerate() {
            let at = At("catalog", i);
            unique_id(p, &mut skus, format_args!("{at}.sku"), &c.sku);
            in_range(p, format_args!("{at}.price"), c.price, 0, MAX_RULE_FEN);
        }
        self.check_membership(p);
        self.check_points(p);
        self.check_coupons(p);
        in_range(p, format_args!("shipping.fee"), self.shipping.fee, 0, MAX_RULE_FEN);
        if let Some(v) = self.shipping.free_over {
            in_range(p, format_args!("shipping.free_over"), v, 0, MAX_RULE_FEN);
        }
        campaign::check(self, p);
        in_range(p, format_args!("lifecycle.active_days"), self.lifecycle.active_days as i64, 1, 3660);
        in_range(p, format_args!("lifecycle.loyal_orders"), self.lifecycle.loyal_orders as i64, 1, 1000);
        in_range(p, format_args!("lifecycle.loyal_days"), self.lifecycle.loyal_days as i64, 1, 3660);
    }

    fn check_membership(&self, p: &mut Problems) {
        let m = &self.membership;
        in_range(p, format_args!("membership.growth.per_yuan"), m.growth.per_yuan, 0, 10_000);
        if let GrowthWindow::Rolling { days } = m.growth.window {
            in_range(p, format_args!("membership.growth.window.days"), days as i64, 1, 3660);
        }
        if m.tiers.is_empty() {
            p.push("REQUIRED", "membership.tiers", "至少需要一个等级", "at least one tier is required");
        }
        if m.tiers.len() > 20 {
            p.push("TOO_MANY", "membership.tiers", "等级最多 20 个", "at most 20 tiers");
        }
        let mut ids = SortedSet::new();
        for (i, t) in m.tiers.iter().enumerate() {
            let at = At("membership.tiers", i);
            unique_id(p, &mut ids, format_args!("{at}.id"), &t.id);
            if i == 0 && t.threshold != 0 {
                p.push("FIRST_TIER_THRESHOLD", format!("{at}.threshold"), "第一个等级的门槛必须为 0",
                    "the first tier's threshold must be 0");
            }
            if i > 0 && t.threshold <= m.tiers[i - 1].threshold {
                p.push("TIERS_OUT_OF_ORDER", format!("{at}.threshold"),
                    format!("必须大于 tiers[{}] 的门槛", i - 1),
                    format!("must be greater than tiers[{}]", i - 1));
            }
            in_range(p, format_args!("{at}.retain"), t.retain, 0, MAX_RULE_FEN);
            in_range(p, format_args!("{at}.threshold"), t.threshold, 0, MAX_RULE_FEN);
            if t.retain > t.threshold {
                p.push("RETAIN_ABOVE_THRESHOLD", format!("{at}.retain"), "保级门槛不能高于升级门槛",
                    "the retention threshold cannot exceed the upgrade threshold");
            }
            self.check_benefits(p, &format_args!("{at}.benefits"), &t.benefits);
        }
        let mut plans = SortedSet::new();
        for (i, plan) in m.paid_plans.iter().enumerate() {
            let at = At("membership.paid_plans", i);
            unique_id(p, &mut plans, format_args!("{at}.id"), &plan.id);
            in_range(p, format_args!("{at}.price"), plan.price, 0, MAX_RULE_FEN);
            in_range(p, format_args!("{at}.days"), plan.days as i64, 1, 3660);
        }
        self.check_benefits(p, &"membership.paid_benefits", &m.paid_benefits);
    }

    fn check_benefits(&self, p: &mut Problems, at: &dyn std::fmt::Display, b: &Benefits) {
        if let Some(bp) = b.discount_bp {
            in_range(p, format_args!("{at}.discount_bp"), bp, 1, BP);
        }
        if let Some(m) = b.points_multiplier_pct {
            in_range(p, format_args!("{at}.points_multiplier_pct"), m, 100, 1000);
        }
        if let Some(v) = b.free_shipping_over {
            in_range(p, format_args!("{at}.free_shipping_over"), v, 0, MAX_RULE_FEN);
        }
        for (i, c) in b.discount_excluded_categories.iter().enumerate() {
            self.check_category(p, format_args!("{at}.discount_excluded_categories[{i}]"), c);
        }
        if let Some(bd) = &b.birthday {
            if let Some(m) = bd.points_multiplier_pct {
                in_range(p, format_args!("{at}.birthday.points_multiplier_pct"), m, 100, 1000);
            }
            if let Some(t) = &bd.coupon {
                self.check_template_ref(p, format_args!("{at}.birthday.coupon"), t);
            }
        }
        if let Some(md) = &b.member_day {
            match (md.day_of_month, md.weekday) {
                (Some(d), None) => in_range(p, format_args!("{at}.member_day.day_of_month"), d as i64, 1, 28),
                (None, Some(w)) => in_range(p, format_args!("{at}.member_day.weekday"), w as i64, 1, 7),
                _ => p.push("MEMBER_DAY_AMBIGUOUS", format!("{at}.member_day"), "会员日须且只能指定每月几号或每周几之一",
                    "a member day needs exactly one of day_of_month or weekday"),
            }
            if let Some(m) = md.points_multiplier_pct {
                in_range(p, format_args!("{at}.member_day.points_multiplier_pct"), m, 100, 1000);
            }
            if let Some(bp) = md.discount_bp {
                in_range(p, format_args!("{at}.member_day.discount_bp"), bp, 1, BP);
            }
        }
    }

    fn check_points(&self, p: &mut Problems) {
        let pts = &self.points;
        in_range(p, format_args!("points.earn_per_yuan"), pts.earn_per_yuan, 0, 10_000);
        for (name, a) in &pts.activities {
            check_id(p, format_args!("points.activities.{name}"), name);
            in_range(p, format_args!("points.activities.{name}.points"), a.points, 1, 1_000_000);
        }
        if let Some(cap) = pts.daily_cap {
            in_range(p, format_args!("points.daily_cap"), cap, 1, 1_000_000_000);
        }
        if let Some(ci) = &pts.check_in {
            in_range(p, format_args!("points.check_in.daily"), ci.daily, 0, 1_000_000);
            let mut last = 0;
            for (i, b) in ci.streak_bonus.iter().enumerate() {
                let at = At("points.check_in.streak_bonus", i);
                if b.day <= last {
                    p.push("STREAK_OUT_OF_ORDER", format!("{at}.day"), "连续签到奖励的天数须递增且大于 0",
                        "streak bonus days must be increasing and above 0");
                }
                last = b.day;
                in_range(p, format_args!("{at}.points"), b.points, 1, 1_000_000);
                if let Some(c) = ci.cycle_days {
                    if b.day > c {
                        p.push("STREAK_BEYOND_CYCLE", format!("{at}.day"), "奖励天数超出签到周期",
                            "bonus day is beyond the check-in cycle");
                    }
                }
            }
            if let Some(c) = ci.cycle_days {
                in_range(p, format_args!("points.check_in.cycle_days"), c as i64, 1, 366);
            }
        }
        match pts.expiry {
            Expiry::Days { days } => in_range(p, format_args!("points.expiry.days"), days as i64, 1, 3660),
            Expiry::MonthEnd { months } => in_range(p, format_args!("points.expiry.months"), months as i64, 0, 120),
            Expiry::YearEnd { years } => in_range(p, format_args!("points.expiry.years"), years as i64, 0, 10),
            Expiry::Never => {}
        }
        if let Some(r) = &pts.redeem {
            in_range(p, format_args!("points.redeem.unit_points"), r.unit_points, 1, 1_000_000);
            in_range(p, format_args!("points.redeem.unit_fen"), r.unit_fen, 1, 1_000_000);
            in_range(p, format_args!("points.redeem.max_share_bp"), r.max_share_bp, 0, BP);
        }
        let mut ids = SortedSet::new();
        for (i, item) in pts.mall.iter().enumerate() {
            let at = At("points.mall", i);
            unique_id(p, &mut ids, format_args!("{at}.id"), &item.id);
            in_range(p, format_args!("{at}.cost"), item.cost, 1, 1_000_000_000);
            match &item.reward {
                MallReward::Coupon { template } => self.check_template_ref(p, format_args!("{at}.reward.template"), template),
                MallReward::Gift { sku } => self.check_sku(p, format_args!("{at}.reward.sku"), sku, true),
            }
        }
    }

    fn check_coupons(&self, p: &mut Problems) {
        if self.coupons.len() > 500 {
            p.push("TOO_MANY", "coupons", "券模板最多 500 个", "at most 500 coupon templates");
        }
        let mut ids = SortedSet::new();
        for (i, t) in self.coupons.iter().enumerate() {
            let at = At("coupons", i);
            unique_id(p, &mut ids, format_args!("{at}.id"), &t.id);
            match &t.kind {
                CouponKind::AmountOff { amount, threshold } => {
                    in_range(p, format_args!("{at}.kind.amount"), *amount, 1, MAX_RULE_FEN);
                    in_range(p, format_args!("{at}.kind.threshold"), *threshold, 0, MAX_RULE_FEN);
                    if *threshold > 0 && amount > threshold {
                        p.push("COUPON_AMOUNT_ABOVE_THRESHOLD", format!("{at}.kind.amount"),
                            "满减券的减免金额不能超过门槛", "the amount off cannot exceed the threshold");
                    }
                }
                CouponKind::PercentOff { pay_bp, cap, threshold } => {
                    in_range(p, format_args!("{at}.kind.pay_bp"), *pay_bp, 1, BP - 1);
                    if let Some(c) = cap {
                        in_range(p, format_args!("{at}.kind.cap"), *c, 1, MAX_RULE_FEN);
                    }
                    in_range(p, format_args!("{at}.kind.threshold"), *threshold, 0, MAX_RULE_FEN);
                }
                CouponKind::Shipping { amount, threshold } => {
                    if let Some(a) = amount {
                        in_range(p, format_args!("{at}.kind.amount"), *a, 1, MAX_RULE_FEN);
                    }
                    in_range(p, format_args!("{at}.kind.threshold"), *threshold, 0, MAX_RULE_FEN);
                    if !t.scope.is_everything() {
                        p.push("SCOPE_NOT_ALLOWED", format!("{at}.scope"), "运费券不能限定商品范围",
                            "a shipping coupon cannot have a product scope");
                    }
                }
                CouponKind::Exchange { sku } => self.check_sku(p, format_args!("{at}.kind.sku"), sku, false),
            }
            let s = &t.scope;
            for (j, sku) in s.skus.iter().enumerate() {
                self.check_sku(p, format_args!("{at}.scope.skus[{j}]"), sku, false);
            }
            for (j, sku) in s.exclude_skus.iter().enumerate() {
                self.check_sku(p, format_args!("{at}.scope.exclude_skus[{j}]"), sku, false);
            }
            for (j, c) in s.categories.iter().enumerate() {
                self.check_category(p, format_args!("{at}.scope.categories[{j}]"), c);
            }
            for (j, c) in s.exclude_categories.iter().enumerate() {
                self.check_category(p, format_args!("{at}.scope.exclude_categories[{j}]"), c);
            }
            match t.validity {
                Validity::Window { from, until } if from > until => {
                    p.push("WINDOW_ENDS_BEFORE_START", format!("{at}.validity.until"),
                        "有效期结束早于开始", "the validity window ends before it starts")
                }
                Validity::Days { days } => in_range(p, format_args!("{at}.validity.days"), days as i64, 1, 3660),
                _ => {}
            }
            if let Some(n) = t.per_member_limit {
                in_range(p, format_args!("{at}.per_member_limit"), n as i64, 1, 1000);
            }
            for (j, tier) in t.audience.tiers.iter().enumerate() {
                if self.tier(tier).is_none() {
                    p.push("UNKNOWN_TIER", format!("{at}.audience.tiers[{j}]"), format!("未知等级 `{tier}`"),
                        format!("unknown tier `{tier}`"));
                }
            }
        }
    }

    pub(crate) fn check_template_ref(&self, p: &mut Problems, at: impl std::fmt::Display, id: &str) {
        if self.template(id).is_none() {
            p.push("UNKNOWN_TEMPLATE", at.to_string(), format!("未知券模板 `{id}`"), format!("unknown coupon template `{id}`"));
        }
    }

    /// A SKU must be in the catalog when there is one; `required` says the
    /// rule cannot work without a catalog entry (a gift needs its name).
    pub(crate) fn check_sku(&self, p: &mut Problems, at: impl std::fmt::Display, sku: &str, required: bool) {
        if (required || !self.catalog.is_empty()) && self.catalog_item(sku).is_none() {
            p.push("UNKNOWN_SKU", at.to_string(), format!("商品目录中没有 `{sku}`"), format!("`{sku}` is not in the catalog"));
        }
    }

    pub(crate) fn check_category(&self, p: &mut Problems, at: impl std::fmt::Display, cat: &str) {
        if !self.catalog.is_empty() && !self.catalog.iter().any(|c| c.category == cat) {
            p.push("UNKNOWN_CATEGORY", at.to_string(), format!("商品目录中没有类目 `{cat}`"),
                format!("no catalog item has category `{cat}`"));
        }
    }
}

/// The path of item `i` of a list, `coupons[3]`, written only when a problem
/// needs it: building a `String` per item cost every call instructions and
/// an allocation although valid rules never use it.
#[derive(Clone, Copy)]
pub(crate) struct At(pub(crate) &'static str, pub(crate) usize);

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

pub(crate) fn check_id(p: &mut Problems, at: impl std::fmt::Display, id: &str) {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        p.push("BAD_ID", at.to_string(), format!("标识须为 1 到 {MAX_ID_LEN} 字节"),
            format!("an id must be 1 to {MAX_ID_LEN} bytes"));
    }
}

/// An id that must be well formed and not already `seen` in its list: the
/// two checks every list of ids in the rules makes, written once.
pub(crate) fn unique_id<'a>(p: &mut Problems, seen: &mut SortedSet<&'a str>, at: std::fmt::Arguments, id: &'a str) {
    check_id(p, at, id);
    if !seen.insert(id) {
        dup(p, at, id);
    }
}

pub(crate) fn dup(p: &mut Problems, at: impl std::fmt::Display, id: &str) {
    p.push("DUPLICATE_ID", at.to_string(), format!("重复的标识 `{id}`"), format!("duplicate id `{id}`"));
}

pub(crate) fn in_range(p: &mut Problems, at: std::fmt::Arguments, v: i64, lo: i64, hi: i64) {
    if v < lo || v > hi {
        p.push("OUT_OF_RANGE", at.to_string(), format!("须在 {lo} 到 {hi} 之间"), format!("must be between {lo} and {hi}"));
    }
}
