//! A big but legal rule set, for the scaling benchmark
//! (`benches/quote.rs`, `validate_big_catalog`, `quote_big_catalog`) and
//! the test that it stays valid (`tests/regressions.rs`).
//!
//! For a catalog of `n` items (on top of the demo's):
//! - `n` catalog items in 200 categories, out of SKU order;
//! - `min(5n/2, 49,000)` campaign items in flash and limited-time
//!   campaigns of 500 items each (the SKUs repeat across campaigns, whose
//!   windows are one day each and never overlap); the first is active at
//!   `demo::NOW`;
//! - one quantity discount naming 500 SKUs and one full reduction naming
//!   500 SKUs and 50 categories, both active at `demo::NOW`;
//! - 50 coupon templates whose scopes name 500 SKUs and 10 categories;
//! - a member who holds one coupon of each of those templates, and a cart
//!   of 100 lines.
//!
//! Everything is a function of `n` alone: no randomness.

use serde_json::{json, Value};

/// SKU `i` of the big catalog.
pub fn big_sku(i: usize) -> String {
    format!("big-{i:06}")
}

fn big_price(i: usize) -> i64 {
    1_000 + (i as i64 * 7_919) % 29_000
}

fn big_category(i: usize) -> String {
    format!("cat-{:03}", i % 200)
}

/// Campaign items in the price campaigns for a catalog of `n`.
pub fn big_campaign_items(n: usize) -> usize {
    (n * 5 / 2).min(49_000)
}

/// The date of day `d` after 2027-01-01 (28-day months are enough here),
/// for the windows of the campaigns that are not active now.
fn day(d: usize) -> String {
    format!("2027-{:02}-{:02}", 1 + d / 28, 1 + d % 28)
}

fn window(c: usize) -> (String, String) {
    if c == 0 {
        ("2026-11-25T00:00".into(), "2026-11-26T00:00".into())
    } else {
        (format!("{}T00:00", day(c)), format!("{}T12:00", day(c)))
    }
}

fn price_campaign(n: usize, c: usize, count: usize) -> Value {
    let (from, until) = window(c);
    let items: Vec<Value> = (0..count)
        .map(|j| {
            let i = (c * 500 + j) % n;
            if c.is_multiple_of(2) {
                json!({"sku": big_sku(i), "price": big_price(i) / 2, "stock": 100})
            } else if j.is_multiple_of(2) {
                json!({"sku": big_sku(i), "price": big_price(i) * 8 / 10})
            } else {
                json!({"sku": big_sku(i), "pay_bp": 8500})
            }
        })
        .collect();
    let kind = if c.is_multiple_of(2) { "flash_sale" } else { "limited_discount" };
    let mut out = json!({"id": format!("big-{c}"), "name": format!("big {c}"), "type": kind, "from": from, "until": until, "items": items});
    if c.is_multiple_of(2) {
        out["per_member_limit"] = json!(5);
    }
    out
}

fn campaigns(n: usize) -> Vec<Value> {
    let m = big_campaign_items(n);
    let mut out: Vec<Value> = (0..m.div_ceil(500)).map(|c| price_campaign(n, c, (m - c * 500).min(500))).collect();
    // Active now, on SKUs the active flash sale (0..500) does not name.
    let skus: Vec<String> = (0..500).map(|j| big_sku((500 + j) % n)).collect();
    out.push(json!({"id": "big-qty", "name": "big qty", "type": "quantity_discount",
        "from": "2026-11-25T00:00", "until": "2026-11-26T00:00",
        "scope": {"skus": skus}, "nth": 2, "pay_bp": 5000}));
    let skus: Vec<String> = (0..500).map(|j| big_sku((j * 11) % n)).collect();
    let cats: Vec<String> = (0..50).map(|k| big_category(k * 2)).collect();
    out.push(json!({"id": "big-full", "name": "big full", "type": "full_reduction",
        "from": "2026-11-20T00:00", "until": "2026-12-01T00:00", "basis": "amount",
        "scope": {"skus": skus, "categories": cats},
        "tiers": [{"at": 30000, "reward": {"amount_off": 3000}}]}));
    out
}

fn coupons(n: usize) -> Vec<Value> {
    (0..50)
        .map(|t| {
            let skus: Vec<String> = (0..500).map(|j| big_sku((t * 137 + j * 7) % n)).collect();
            let cats: Vec<String> = (0..10).map(|k| big_category(t + k * 20)).collect();
            json!({"id": format!("big-c{t}"), "name": format!("big coupon {t}"), "type": "amount_off",
                "amount": 500 + 10 * t as i64, "threshold": 2000,
                "scope": {"skus": skus, "categories": cats}, "validity": {"type": "days", "days": 30}})
        })
        .collect()
}

/// The demo rules with the big catalog, campaigns and coupons added.
pub fn big_rules(n: usize) -> Value {
    let mut r: Value = serde_json::from_str(siyu::demo::RULES).expect("the demo rules are JSON");
    let catalog = r["catalog"].as_array_mut().expect("the demo has a catalog");
    // Out of SKU order, as a real catalog is (by shelf, by name): 7,919 is
    // prime, so `k ↦ 7,919k mod n` visits every item once unless n is a
    // multiple of it.
    for k in 0..n {
        let i = (k * 7_919) % n;
        catalog
            .push(json!({"sku": big_sku(i), "name": big_sku(i), "category": big_category(i), "price": big_price(i)}));
    }
    r["coupons"].as_array_mut().expect("the demo has coupons").extend(coupons(n));
    r["campaigns"] = Value::Array(campaigns(n));
    r
}

/// A member's log: joins, then claims one coupon of each big template.
pub fn big_member_events() -> Value {
    let mut ev = vec![json!({"id": "e0", "at": 1_767_225_600_000i64, "type": "joined", "member": "m-big"})];
    for t in 0..50 {
        ev.push(json!({"id": format!("c{t}"), "at": 1_795_500_000_000i64 + t as i64,
            "type": "coupon_claimed", "template": format!("big-c{t}")}));
    }
    Value::Array(ev)
}

/// 100 lines spread over the catalog (some in the active flash sale, the
/// quantity discount and the coupons' scopes).
pub fn big_cart(n: usize) -> Value {
    let lines: Vec<Value> = (0..100)
        .map(|k| {
            let i = (k * 37) % n;
            json!({"sku": big_sku(i), "category": big_category(i), "unit_price": big_price(i), "quantity": 2})
        })
        .collect();
    json!({"lines": lines, "coupons": "best"})
}
