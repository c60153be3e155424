//! The merchant's rule set: one JSON document (schema 1). This file holds
//! the document itself — its top-level fields, its fingerprint, and the
//! checks every area shares — and asks each area to check its own part:
//!
//! | part of the document | its shape, checks and rules |
//! |---|---|
//! | `catalog` | `catalog.rs` |
//! | `membership` | `membership/` |
//! | `points` | `points/` |
//! | `coupons` | `coupon/` |
//! | `shipping` | `pricing/shipping.rs` |
//! | `campaigns`, `full_reduction_choice` | `campaign/` |
//! | `lifecycle` | `membership/lifecycle.rs` |
//! | `referral` | `growth/referral.rs` |
//! | `invite_tasks` | `growth/invite_task.rs` |
//! | `distribution` | `growth/distribution.rs` |
//! | `channels` | `growth/channel.rs` |
//!
//! [`Rules::parse`] checks the document's shape (unknown fields are errors)
//! and then its meaning, and reports **every** problem with a path and a
//! stable code. A parsed rule set has a [`Rules::fingerprint`]: the SHA-256 of
//! the document it was read from, as canonical JSON, which travels in every
//! answer so a server can tell that a client priced under the same rules.

use std::fmt::{Arguments, Display};
use std::sync::OnceLock;

use crate::campaign::{self, Campaign, Choice};
use crate::catalog::{self, CatalogItem};
use crate::code;
use crate::coupon::{self, template::CouponTemplate};
use crate::decode::{self, Decode};
use crate::encode::Encode;
use crate::error::{Problems, Result};
use crate::growth::channel::{self, Channel};
use crate::growth::distribution::{self, Distribution};
use crate::growth::invite_task::{self, InviteTask};
use crate::growth::referral::{self, Referral};
use crate::index::Index;
use crate::membership::{self, lifecycle::Lifecycle, Membership, Tier};
use crate::money::Fen;
use crate::points::{self, PointsPolicy};
use crate::pricing::shipping::{self, Shipping};
use crate::sorting::{self, SortedSet};
use crate::time::Zone;

pub const SCHEMA: u32 = 1;

/// Longest id (SKU, tier, template, …) accepted, in bytes.
pub const MAX_ID_LEN: usize = 64;

/// Largest amount of money in a rule (prices, fees, thresholds): ¥100,000,000.
pub const MAX_RULE_FEN: Fen = 10_000_000_000;

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
#[decode(expected(en = "the rules object", zh = "规则对象"))]
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
    pub full_reduction_choice: Choice,
    /// Lifecycle segments (prospect … lost) for targeting and alerts, and
    /// the action attached to each move.
    #[serde(default)]
    pub lifecycle: Lifecycle,
    /// Referral (老带新): binding and rewards (`growth/referral.rs`).
    #[serde(default)]
    pub referral: Option<Referral>,
    /// Invite tasks (任务宝): tiered rewards for friends who qualify
    /// (`growth/invite_task.rs`).
    #[serde(default)]
    pub invite_tasks: Vec<InviteTask>,
    /// Distribution (分销): two-level commissions (`growth/distribution.rs`).
    #[serde(default)]
    pub distribution: Option<Distribution>,
    /// Channels (渠道活码): scenes, staff by weight, tags
    /// (`growth/channel.rs`).
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// The document these rules were read from, as canonical JSON: what
    /// [`Rules::fingerprint`] hashes. Written once, as they are read.
    #[serde(skip)]
    #[decode(whole)]
    document: Document,
    /// The catalog by SKU and by category, and the coupon templates by id:
    /// looked up once per scope entry, campaign item or wallet coupon.
    #[serde(skip)]
    catalog_by_sku: Index,
    #[serde(skip)]
    catalog_by_category: Index,
    #[serde(skip)]
    templates_by_id: Index,
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
/// after); it is hashed the first time the fingerprint is asked for, and
/// only then, as an operation that answers no fingerprint (a points
/// history, a check-in) need not pay for SHA-256, while a replay that books
/// many orders pays once.
#[derive(Debug, Clone, Default)]
struct Document {
    canonical: String,
    fingerprint: OnceLock<String>,
}

/// Two documents are equal when their text is: the hash follows from it.
impl PartialEq for Document {
    fn eq(&self, other: &Document) -> bool {
        self.canonical == other.canonical
    }
}

impl decode::Whole for Document {
    fn whole(v: &decode::Json) -> Self {
        let mut canonical = String::with_capacity(4 << 10);
        crate::encode::append_json(&mut canonical, v);
        Document { canonical, fingerprint: OnceLock::new() }
    }
}

fn beijing() -> i32 {
    480
}

impl Rules {
    /// Parse and validate a rule set from JSON text.
    pub fn parse(json: &str) -> Result<Rules> {
        let tree = decode::parse(json).map_err(|e| e.with_code(code::RULES_INVALID))?;
        let rules: Rules = decode::from_json(&tree, code::RULES_INVALID, "规则无效", "the rules are invalid")?;
        rules.validate()?;
        Ok(rules)
    }

    /// Every semantic problem, all at once.
    pub fn validate(&self) -> Result<()> {
        let mut p = Problems::new();
        self.check(&mut p);
        p.finish(code::RULES_INVALID, "规则无效", "the rules are invalid")
    }

    pub fn zone(&self) -> Zone {
        Zone::new(self.utc_offset_minutes)
    }

    /// `sha256:` and 64 hex digits: the SHA-256 of the canonical JSON of the
    /// document the rules were read from (see [`Document`]). Every answer
    /// that prices carries it, so a server can tell that a client priced
    /// under the same rules.
    ///
    /// ```
    /// # use siyu::Rules;
    /// let r = Rules::parse(siyu::demo::RULES).unwrap();
    /// assert!(r.fingerprint().starts_with("sha256:") && r.fingerprint().len() == 71);
    /// ```
    pub fn fingerprint(&self) -> &str {
        self.document.fingerprint.get_or_init(|| {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let mut s = String::with_capacity(71);
            s.push_str("sha256:");
            for b in crate::sha256::digest(self.document.canonical.as_bytes()) {
                s.push(HEX[(b >> 4) as usize] as char);
                s.push(HEX[(b & 15) as usize] as char);
            }
            s
        })
    }

    pub fn tier(&self, id: &str) -> Option<&Tier> {
        self.membership.tiers.iter().find(|t| t.id == id)
    }

    pub fn tier_index(&self, id: &str) -> Option<usize> {
        self.membership.tiers.iter().position(|t| t.id == id)
    }

    /// The first template with id `id` (validation refuses a second).
    pub fn template(&self, id: &str) -> Option<&CouponTemplate> {
        let i = self.templates_by_id.find(&self.coupons, |t| t.id.as_str(), id)?;
        self.coupons.get(i)
    }

    /// The first catalog item of `sku` (validation refuses a second).
    pub fn catalog_item(&self, sku: &str) -> Option<&CatalogItem> {
        let i = self.catalog_by_sku.find(&self.catalog, |c| c.sku.as_str(), sku)?;
        self.catalog.get(i)
    }

    /// Whether some catalog item is in category `category`.
    pub(crate) fn has_category(&self, category: &str) -> bool {
        self.catalog_by_category.find(&self.catalog, |c| c.category.as_str(), category).is_some()
    }

    /// The document's own fields, then each area's part, in the order the
    /// document lists them (the order problems are reported in).
    fn check(&self, p: &mut Problems) {
        if self.schema != SCHEMA {
            p.push(
                code::SCHEMA_UNSUPPORTED,
                "schema",
                format!("不支持的规则版本 {}，应为 1", self.schema),
                format!("unsupported schema {}, expected 1", self.schema),
            );
        }
        if !(-720..=840).contains(&self.utc_offset_minutes) {
            p.push(
                code::OUT_OF_RANGE,
                "utc_offset_minutes",
                "时区偏移须在 -720 到 840 分钟之间",
                "UTC offset must be between -720 and 840 minutes",
            );
        }
        catalog::check(self, p);
        membership::check(self, p);
        points::check(self, p);
        coupon::check(self, p);
        shipping::check(self, p);
        campaign::check(self, p);
        membership::lifecycle::check(self, p);
        referral::check(self, p);
        invite_task::check(self, p);
        distribution::check(self, p);
        channel::check(self, p);
    }

    /// A reference to a coupon template (a birthday coupon, a mall item, a
    /// campaign reward) must name one.
    pub(crate) fn check_template_ref(&self, p: &mut Problems, at: impl Display, id: &str) {
        if self.template(id).is_none() {
            p.push(
                code::UNKNOWN_TEMPLATE,
                at.to_string(),
                format!("未知券模板 `{id}`"),
                format!("unknown coupon template `{id}`"),
            );
        }
    }
}

/// The path of item `i` of a list, `coupons[3]`, written only when a problem
/// needs it: building a `String` per item cost every call instructions and
/// an allocation although valid rules never use it.
#[derive(Clone, Copy)]
pub(crate) struct At(pub(crate) &'static str, pub(crate) usize);

impl Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

pub(crate) fn check_id(p: &mut Problems, at: impl Display, id: &str) {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        p.push(
            code::BAD_ID,
            at.to_string(),
            format!("标识须为 1 到 {MAX_ID_LEN} 字节"),
            format!("an id must be 1 to {MAX_ID_LEN} bytes"),
        );
    }
}

/// An id that must be well formed and not already `seen` in its list: the
/// two checks every list of ids in the rules makes, written once.
pub(crate) fn unique_id<'a>(p: &mut Problems, seen: &mut SortedSet<&'a str>, at: Arguments, id: &'a str) {
    let repeated = !seen.insert(id);
    checked_id(p, at, id, repeated);
}

/// [`unique_id`] for an id already known to be `repeated` (see
/// [`repeated_ids`]).
pub(crate) fn checked_id(p: &mut Problems, at: Arguments, id: &str, repeated: bool) {
    check_id(p, at, id);
    if repeated {
        p.push(code::DUPLICATE_ID, at.to_string(), format!("重复的标识 `{id}`"), format!("duplicate id `{id}`"));
    }
}

/// For each item of a long list, whether an earlier item has the same id:
/// what [`unique_id`]'s set says, from one sort rather than a sorted insert
/// per item (O(n²) moves for a catalog that is not in id order).
pub(crate) fn repeated_ids<T>(list: &[T], id: impl Fn(&T) -> &str + Copy) -> Vec<bool> {
    // Stable: of equal ids, the first in the list comes first.
    let order = sorting::order_by(list, |a, b| id(a).cmp(id(b)));
    let mut out = vec![false; list.len()];
    for w in order.windows(2) {
        let (a, b) = (list.get(w[0] as usize), list.get(w[1] as usize));
        if let (Some(a), Some(b), Some(r)) = (a, b, out.get_mut(w[1] as usize)) {
            *r = id(a) == id(b);
        }
    }
    out
}

pub(crate) fn in_range(p: &mut Problems, at: Arguments, v: i64, lo: i64, hi: i64) {
    if v < lo || v > hi {
        p.push(
            code::OUT_OF_RANGE,
            at.to_string(),
            format!("须在 {lo} 到 {hi} 之间"),
            format!("must be between {lo} and {hi}"),
        );
    }
}
