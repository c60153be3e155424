//! Regression tests for bugs found while building the conformance corpus
//! and for refusals no vector file can carry.

use serde_json::{json, Value};

fn call(op: &str, input: &str) -> Value {
    serde_json::from_str(&siyu::ops::call(op, input)).expect("the engine answers JSON")
}

fn rules(coupons: Value, shipping: Value) -> Value {
    json!({"schema": 1,
           "membership": {"growth": {"per_yuan": 1}, "tiers": [{"id": "m", "name": "m", "threshold": 0}]},
           "points": {"earn_per_yuan": 1, "expiry": {"type": "never"}},
           "coupons": coupons, "shipping": shipping})
}

/// 2026-03-02 10:00 +08:00.
const T0: i64 = 1_772_416_800_000;

fn holder(r: &Value, template: &str) -> Value {
    let out = call(
        "replay",
        &json!({"rules": r, "events": [
        {"id": "j", "at": T0, "type": "joined", "member": "m1"},
        {"id": "c", "at": T0 + 1, "type": "coupon_claimed", "template": template, "coupon": "k"}]})
        .to_string(),
    );
    out["ok"].clone()
}

/// coupon/search.rs: the best combination was chosen by goods + shipping saving
/// alone, so a ¥5 coupon that drops a ¥100 cart below free shipping (¥99)
/// was applied and the shopper paid ¥95 + ¥10 = ¥105 instead of ¥100.
#[test]
fn best_coupons_count_the_shipping_fee_they_bring_back() {
    let r = rules(
        json!([{"id": "o5", "name": "o5", "type": "amount_off", "amount": 500, "validity": {"type": "days", "days": 30}}]),
        json!({"fee": 1000, "free_over": 9900}),
    );
    let q = call("quote", &json!({"rules": r, "member": holder(&r, "o5"), "now": T0 + 60_000,
                                  "cart": {"lines": [{"sku": "a", "category": "c", "unit_price": 10000, "quantity": 1}]}}).to_string());
    assert_eq!(q["ok"]["totals"]["payable"], 10000, "{q}");
    assert_eq!(q["ok"]["coupons"]["usable"][0]["id"], "k");
}

/// decode.rs: an unknown field's path already ends at the key, and was
/// joined with the key again (`x.x`, `rules.bogus.bogus`); removing that
/// non-existent path failed, so only the first unknown field was reported.
#[test]
fn every_unknown_field_is_reported_once_with_its_path() {
    let out = call(
        "validate_rules",
        &json!({"x": 1, "y": 2, "rules": {"schema": 1, "bogus": true,
        "membership": {"growth": {"per_yuan": 1}, "tiers": [{"id": "m", "name": "m", "threshold": 0, "colour": "red"}]},
        "points": {"earn_per_yuan": 1, "expiry": {"type": "never"}}}})
        .to_string(),
    );
    let paths: Vec<&str> =
        out["error"]["problems"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    // An object's unknown keys come first, then its fields in the order the format declares them.
    assert_eq!(paths, vec!["x", "y", "rules.bogus", "rules.membership.tiers[0].colour"], "{out}");
}

/// coupon/search.rs: a coupon whose items are in the cart but cost nothing (free,
/// or already discounted to zero) was refused as COUPON_SCOPE_EMPTY ("no
/// item in the cart is in the coupon's scope"), which is not why.
#[test]
fn a_free_item_in_scope_is_no_saving_not_an_empty_scope() {
    let r = rules(
        json!([{"id": "swap", "name": "swap", "type": "exchange", "sku": "jasmine", "validity": {"type": "days", "days": 30}}]),
        json!({}),
    );
    let q = call("quote", &json!({"rules": r, "member": holder(&r, "swap"), "now": T0 + 60_000,
                                  "cart": {"lines": [{"sku": "jasmine", "category": "tea", "unit_price": 0, "quantity": 1}]}}).to_string());
    assert_eq!(q["ok"]["coupons"]["unusable"][0]["code"], "COUPON_NO_SAVING", "{q}");
}

/// INPUT_TOO_LARGE cannot be a vector file (it takes 16 MiB of input).
#[test]
fn input_over_16_mib_is_refused_before_parsing() {
    let text = format!("{{\"pad\":\"{}\"}}", "x".repeat(16 << 20));
    let out = call("operations", &text);
    assert_eq!(out["error"]["code"], "INPUT_TOO_LARGE");
}

/// coupon/step.rs: a shipping coupon was tried alone against the fee on the
/// goods as they are; with free shipping (goods ≥ ¥99) it was refused as
/// COUPON_NO_SHIPPING_FEE and left out of every combination — even though
/// a goods coupon applied first drops the goods below ¥99 and brings the
/// fee back. ¥100 with ¥20 off and a free-shipping coupon: ¥80, not ¥90.
#[test]
fn a_shipping_coupon_counts_after_the_goods_coupons() {
    let r = rules(
        json!([{"id": "o20", "name": "o20", "type": "amount_off", "amount": 2000, "validity": {"type": "days", "days": 30}},
                         {"id": "sf", "name": "sf", "type": "shipping", "validity": {"type": "days", "days": 30}}]),
        json!({"fee": 1000, "free_over": 9900}),
    );
    let m = call(
        "replay",
        &json!({"rules": r, "events": [
        {"id": "j", "at": T0, "type": "joined", "member": "m1"},
        {"id": "c1", "at": T0 + 1, "type": "coupon_claimed", "template": "o20", "coupon": "k1"},
        {"id": "c2", "at": T0 + 2, "type": "coupon_claimed", "template": "sf", "coupon": "k2"}]})
        .to_string(),
    )["ok"]
        .clone();
    for choice in [json!("best"), json!(["k1", "k2"])] {
        let q = call(
            "quote",
            &json!({"rules": r, "member": m, "now": T0 + 60_000,
            "cart": {"lines": [{"sku": "a", "category": "c", "unit_price": 10000, "quantity": 1}], "coupons": choice}})
            .to_string(),
        );
        assert_eq!(q["ok"]["totals"]["payable"], 8000, "{q}");
    }
    // Alone it still says why it does nothing.
    let q = call(
        "quote",
        &json!({"rules": r, "member": m, "now": T0 + 60_000,
        "cart": {"lines": [{"sku": "a", "category": "c", "unit_price": 10000, "quantity": 1}], "coupons": ["k2"]}})
        .to_string(),
    );
    assert_eq!(q["ok"]["coupons"]["unusable"][0]["code"], "COUPON_NO_SHIPPING_FEE", "{q}");
}
