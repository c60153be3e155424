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
