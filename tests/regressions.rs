//! Regression tests for bugs and speed-ups made while writing
//! `docs/rules.md` and `BENCHMARKS.md`.

mod support;

use siyu::{demo, Event, Rules};
use siyu::{Cart, CouponChoice, PointsChoice};

/// A cart (and so an `order_placed` event) written out by the engine must
/// read back as the same cart. `"best"`, `"none"` and `"max"` used to be
/// written as `null`, which cannot be read back (and `best`/`none` were
/// indistinguishable).
#[test]
fn cart_choices_round_trip_through_json() {
    for coupons in [CouponChoice::Best, CouponChoice::None, CouponChoice::Ids(vec!["c1".into(), "c2".into()])] {
        for points in [PointsChoice::Max, PointsChoice::Points(0), PointsChoice::Points(300)] {
            let cart = Cart { lines: Vec::new(), coupons: coupons.clone(), points, sold: Default::default() };
            let text = siyu::to_json(&cart);
            let back: Cart = siyu::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(back, cart, "{text}");
        }
    }
    let text = siyu::to_json(&Cart::default());
    assert!(text.contains(r#""coupons":"best""#) && text.contains(r#""points":0"#), "{text}");
}

/// The demo log, written out and read back, replays to the same member.
#[test]
fn serialized_events_replay_to_the_same_state() {
    let rules = Rules::parse(demo::RULES).unwrap();
    let events: Vec<Event> = siyu::from_str(demo::MEMBER_EVENTS).unwrap();
    let again: Vec<Event> = siyu::from_str(&siyu::to_json(&events)).unwrap();
    assert_eq!(again, events);
    assert_eq!(siyu::replay(&rules, &again).unwrap(), siyu::replay(&rules, &events).unwrap());
}

/// The quote reports the multipliers it used (they were always 0).
#[test]
fn quote_reports_the_points_multipliers() {
    let rules = Rules::parse(demo::RULES).unwrap();
    let events: Vec<Event> = siyu::from_str(demo::MEMBER_EVENTS).unwrap();
    let member = siyu::replay(&rules, &events).unwrap();
    let cart: Cart = siyu::from_str(demo::CART).unwrap();
    let q = siyu::quote(&rules, Some(&member), &cart, demo::NOW).unwrap();
    // The demo member is gold (×1.5) in their birthday month (×2).
    assert_eq!((q.points.multiplier_pct, q.points.occasion_multiplier_pct), (150, 200));
    let guest = siyu::quote(&rules, None, &cart, demo::NOW).unwrap();
    assert_eq!((guest.points.multiplier_pct, guest.points.occasion_multiplier_pct), (100, 100));
}
/// `money::split` as first written: 128-bit arithmetic and a full sort of
/// the remainders. The faster version must give exactly the same shares.
fn split_reference(total: i64, weights: &[i64]) -> Vec<i64> {
    let wsum: i128 = weights.iter().map(|&w| w.max(0) as i128).sum();
    if wsum == 0 {
        return vec![0; weights.len()];
    }
    let mut shares = Vec::new();
    let mut rems = Vec::new();
    let mut given: i128 = 0;
    for (i, &w) in weights.iter().enumerate() {
        let p = total as i128 * w.max(0) as i128;
        let q = p.div_euclid(wsum);
        given += q;
        shares.push(q as i64);
        rems.push((p.rem_euclid(wsum), i));
    }
    let left = (total as i128 - given) as usize;
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in rems.iter().take(left) {
        shares[i] += 1;
    }
    shares
}

mod split_equivalence {
    use super::split_reference;
    use proptest::collection::vec;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        // Small weights: many equal remainders, so the tie rule matters.
        #[test]
        fn small_weights(total in 0i64..5_000, weights in vec(0i64..6, 1..60)) {
            prop_assume!(weights.iter().any(|&w| w > 0));
            prop_assert_eq!(siyu::money::split(total, &weights).unwrap(), split_reference(total, &weights));
        }
        // Amounts like real carts.
        #[test]
        fn cart_like(total in 0i64..10_000_000, weights in vec(0i64..10_000_000, 1..250)) {
            prop_assume!(weights.iter().any(|&w| w > 0));
            prop_assert_eq!(siyu::money::split(total, &weights).unwrap(), split_reference(total, &weights));
        }
        // Products beyond 64 bits take the 128-bit path.
        #[test]
        fn huge(total in 0i64..10_000_000_000_000, weights in vec(0i64..10_000_000_000_000, 1..20)) {
            prop_assume!(weights.iter().any(|&w| w > 0));
            prop_assert_eq!(siyu::money::split(total, &weights).unwrap(), split_reference(total, &weights));
        }
    }
}

/// `replay` folds in place; it must give exactly what folding with `apply`
/// (which copies the state) gives, and report a refusal at its index.
#[test]
fn replay_in_place_equals_folding_with_apply() {
    let rules = Rules::parse(demo::RULES).unwrap();
    let events: Vec<Event> = siyu::from_str(demo::MEMBER_EVENTS).unwrap();
    let mut folded = siyu::Member::default();
    for e in &events {
        folded = support::apply(&rules, &folded, e).unwrap();
    }
    assert_eq!(siyu::replay(&rules, &events).unwrap(), folded);

    let mut bad = events.clone();
    bad.push(events[3].clone()); // the same id again
    let e = siyu::replay(&rules, &bad).unwrap_err();
    assert_eq!((e.code.as_str(), e.path.as_str()), ("DUPLICATE_EVENT", "events[20].event.id"));
}

/// The scaling benchmark's big rules (`tests/support/big_rules.rs`) are
/// valid and price a quote with campaigns and coupons, so the benchmark
/// measures real work; at a small size here (its timing is the bench's).
#[test]
fn big_catalog_rules_validate_and_quote() {
    use support::big_rules::{big_cart, big_member_events, big_rules};
    let n = 1000;
    let rules = support::rules_from(&big_rules(n)).unwrap_or_else(|e| panic!("{:.600}", format!("{e:?}")));
    let events: Vec<Event> = support::from_value(&big_member_events()).unwrap();
    let member = siyu::replay(&rules, &events).unwrap();
    let cart: Cart = support::from_value(&big_cart(n)).unwrap();
    let q = siyu::quote(&rules, Some(&member), &cart, demo::NOW).unwrap();
    assert!(!q.coupons.applied.is_empty());
    assert!(q.campaigns.iter().any(|c| c.applied));
    let text = support::to_value(&q).to_string();
    assert!(text.contains("\"big-0\"") && text.contains("\"big-qty\""), "flash sale and quantity discount priced");
}

/// Lookups in long lists go through a sorted index (`src/index.rs`) and
/// must answer as the scans they replaced: the first catalog entry of a
/// SKU listed twice sets the list price, problems come in document order.
/// Lists here are longer than the 16 entries scanned, and out of order.
#[test]
fn long_lists_answer_as_a_scan_did() {
    let mut r: serde_json::Value = serde_json::from_str(demo::RULES).unwrap();
    let catalog = r["catalog"].as_array_mut().unwrap();
    for i in (0..30).rev() {
        catalog.push(serde_json::json!({"sku": format!("s-{i:02}"), "name": "x", "category": format!("k-{}", i % 20), "price": 1000}));
    }
    // `s-05` again, dearer: the first entry (1000) is the list price.
    catalog.push(serde_json::json!({"sku": "s-05", "name": "x", "category": "k-late", "price": 5000}));
    let items: Vec<serde_json::Value> = (0..20)
        .map(|i| serde_json::json!({"sku": format!("s-{i:02}"), "price": if i == 5 { 2000 } else { 500 }, "stock": 1}))
        .chain([serde_json::json!({"sku": "s-99", "price": 1, "stock": 1})])
        .collect();
    let mut cats: Vec<String> = (0..20).map(|i| format!("k-{i}")).collect();
    cats.insert(7, "k-none".into());
    cats.push("k-late".into());
    r["campaigns"] = serde_json::json!([{"id": "f", "name": "f", "type": "flash_sale", "per_member_limit": 1,
        "from": "2026-11-20T00:00", "until": "2026-12-01T00:00", "items": items},
        {"id": "q", "name": "q", "type": "quantity_discount", "nth": 2, "pay_bp": 5000,
        "from": "2026-11-20T00:00", "until": "2026-12-01T00:00",
        "scope": {"categories": ["k-3", "k-4", "k-late"], "exclude_skus": ["s-04"]}}]);
    r["coupons"].as_array_mut().unwrap().push(serde_json::json!({"id": "big-scope", "name": "x", "type": "amount_off",
        "amount": 100, "scope": {"categories": cats}, "validity": {"type": "days", "days": 1}}));
    let e = support::rules_from(&r).unwrap_err();
    let got: Vec<(String, String)> = e.problems.iter().map(|p| (p.code.to_string(), p.path.clone())).collect();
    let n = demo_len("catalog");
    let c = demo_len("coupons");
    let want = [
        ("DUPLICATE_ID", format!("catalog[{}].sku", n + 30)),
        ("UNKNOWN_CATEGORY", format!("coupons[{c}].scope.categories[7]")),
        ("CAMPAIGN_PRICE_NOT_LOWER", "campaigns[0].items[5].price".to_string()),
        ("UNKNOWN_SKU", "campaigns[0].items[20].sku".to_string()),
        // `s-03` is in `k-3`; `s-04` is excluded; `s-05`'s category is
        // the last entry's, `k-late`.
        ("CAMPAIGN_CONFLICT", "campaigns[1]".to_string()),
        ("CAMPAIGN_CONFLICT", "campaigns[1]".to_string()),
    ];
    let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.clone())).collect();
    assert_eq!(got, want);
}

fn demo_len(list: &str) -> usize {
    let r: serde_json::Value = serde_json::from_str(demo::RULES).unwrap();
    r[list].as_array().unwrap().len()
}

/// A rule set reports at most `MAX_PROBLEMS` problems, and stops looking
/// once it has them. 100 quantity discounts on everything at the same time
/// over a 20,000-item catalog conflict for every product and pair: 99
/// million `CAMPAIGN_CONFLICT`s, which ran a native host out of memory.
/// Now the first 32 (the first product's pairs, in order) and done.
#[test]
fn overlapping_campaigns_on_a_big_catalog_stop_at_the_problem_cap() {
    let mut r: serde_json::Value = serde_json::from_str(demo::RULES).unwrap();
    let catalog = r["catalog"].as_array_mut().unwrap();
    for i in 0..20_000 {
        catalog.push(serde_json::json!({"sku": format!("p-{i:05}"), "name": "x", "category": "bulk", "price": 1000}));
    }
    let campaigns: Vec<serde_json::Value> = (0..100)
        .map(|i| {
            serde_json::json!({"id": format!("q-{i:03}"), "name": "q", "type": "quantity_discount", "nth": 2,
                "pay_bp": 5000, "from": "2026-11-01T00:00", "until": "2026-12-01T00:00", "scope": {}})
        })
        .collect();
    r["campaigns"] = serde_json::Value::Array(campaigns);
    let e = support::rules_from(&r).unwrap_err();
    assert_eq!(e.code.to_string(), "RULES_INVALID");
    assert_eq!(e.problems.len(), siyu::limits::MAX_PROBLEMS);
    // The first SKU in order (the demo's `card-100`) in q-000 and each
    // later campaign: the path names the later one.
    for (k, p) in e.problems.iter().enumerate() {
        assert_eq!(
            (p.code.to_string(), p.path.as_str()),
            ("CAMPAIGN_CONFLICT".to_string(), &*format!("campaigns[{}]", k + 1))
        );
    }
    let last = &e.problems[31].en;
    assert!(last.starts_with("`card-100`") && last.contains("`q-000`") && last.contains("`q-032`"), "{last}");
}
