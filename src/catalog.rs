//! The catalog (`catalog`): the products the rules may name, and the
//! product scope that coupons and full reductions share.
//!
//! The catalog is optional. Without one, SKUs and categories in scopes are
//! taken as written; with one, every SKU or category the rules name must be
//! in it, and a rule that needs a product's name (a gift) needs a catalog
//! entry even when the catalog is otherwise empty.

use std::fmt::Display;

use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::Problems;
use crate::index::Index;
use crate::money::Fen;
use crate::rules::{checked_id, in_range, repeated_ids, At, Rules, MAX_RULE_FEN};

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct CatalogItem {
    pub sku: String,
    pub name: String,
    pub category: String,
    /// List price in fen.
    pub price: Fen,
}

/// Which cart lines a coupon or a full reduction applies to. Empty includes
/// mean "everything"; excludes always win.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Encode, Decode)]
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
    /// The four lists above, in that order, by value: a quote asks
    /// [`Scope::covers`] for every line, and validation for every product
    /// it knows, and a scope may name thousands of SKUs.
    #[serde(skip)]
    index: [Index; 4],
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
        let [skus, categories, exclude_skus, exclude_categories] = &self.index;
        if has(&self.exclude_skus, exclude_skus, sku) || has(&self.exclude_categories, exclude_categories, category) {
            return false;
        }
        let open = self.skus.is_empty() && self.categories.is_empty();
        open || has(&self.skus, skus, sku) || has(&self.categories, categories, category)
    }

    /// Every SKU and category named must be in the catalog (when there is
    /// one); each list under its own name, so the path points at the entry.
    pub(crate) fn check(&self, rules: &Rules, p: &mut Problems, at: impl Display) {
        for (field, list) in [("skus", &self.skus), ("exclude_skus", &self.exclude_skus)] {
            for (j, sku) in list.iter().enumerate() {
                // Full: nothing more would be recorded.
                if p.full() {
                    return;
                }
                check_sku(rules, p, format_args!("{at}.{field}[{j}]"), sku, false);
            }
        }
        for (field, list) in [("categories", &self.categories), ("exclude_categories", &self.exclude_categories)] {
            for (j, c) in list.iter().enumerate() {
                if p.full() {
                    return;
                }
                check_category(rules, p, format_args!("{at}.{field}[{j}]"), c);
            }
        }
    }
}

/// Whether `v` holds `x`: short lists (nearly all) by the loop below, long
/// ones by their index.
#[inline(always)]
fn has(v: &[String], index: &Index, x: &str) -> bool {
    if v.len() <= 16 {
        contains(v, x)
    } else {
        index.find(v, String::as_str, x).is_some()
    }
}

/// Whether `v` holds `x`: a plain loop with no call at all for an empty
/// list, and lengths compared first (most differ; the byte comparison is
/// a call).
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

/// The catalog's own entries: unique SKUs, prices in range.
pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    let repeated = repeated_ids(&rules.catalog, |c| c.sku.as_str());
    for ((i, c), repeated) in rules.catalog.iter().enumerate().zip(repeated) {
        // Full: nothing more would be recorded (a catalog can be long).
        if p.full() {
            return;
        }
        let at = At("catalog", i);
        checked_id(p, format_args!("{at}.sku"), &c.sku, repeated);
        in_range(p, format_args!("{at}.price"), c.price, 0, MAX_RULE_FEN);
    }
}

/// A SKU must be in the catalog when there is one; `required` says the
/// rule cannot work without a catalog entry (a gift needs its name).
pub(crate) fn check_sku(rules: &Rules, p: &mut Problems, at: impl Display, sku: &str, required: bool) {
    if (required || !rules.catalog.is_empty()) && rules.catalog_item(sku).is_none() {
        p.push(
            code::UNKNOWN_SKU,
            at.to_string(),
            format!("商品目录中没有 `{sku}`"),
            format!("`{sku}` is not in the catalog"),
        );
    }
}

pub(crate) fn check_category(rules: &Rules, p: &mut Problems, at: impl Display, cat: &str) {
    if !rules.catalog.is_empty() && !rules.has_category(cat) {
        p.push(
            code::UNKNOWN_CATEGORY,
            at.to_string(),
            format!("商品目录中没有类目 `{cat}`"),
            format!("no catalog item has category `{cat}`"),
        );
    }
}
