//! Native benchmarks (divan): `cargo bench --bench quote`.
//!
//! - `quote_best_coupons/{10,50,200}`: a quote with the best-combination
//!   search over 20 wallet coupons (every group, one exclusive) for a member
//!   built by replaying events, no campaigns;
//! - `quote_campaigns_200`: 200 lines, 10 active campaigns (2 flash, 2
//!   limited-time, 2 quantity, 4 full reductions) and the same 20 coupons;
//! - `ops_quote_campaigns_200`: the same through `ops::call` (JSON in, JSON
//!   out, rules parsed and validated, member state checked), as hosts call it;
//! - `replay_10000`: folding a log of 10,000 events;
//! - `parse_demo_rules`: parsing and validating the demo rules, which every
//!   operation call does;
//! - `validate_big_catalog/{1000,5000,20000}`: parsing and validating a big
//!   rule set (a catalog of N items, 5N/2 campaign items up to 49,000,
//!   scopes of 500 SKUs: `tests/support/big_rules.rs`);
//! - `quote_big_catalog/{1000,5000,20000}`: under those rules, a 100-line
//!   quote with 50 wallet coupons through `ops::call`, which parses and
//!   validates the rules again, as hosts call it.
//!
//! Results and budgets: `BENCHMARKS.md`.

use divan::{black_box, Bencher};
use serde_json::{json, Value};
use siyu::time::{LocalTime, Zone};
use siyu::Cart;
use siyu::{demo, Event, Member, Rules};

#[path = "../tests/support/big_rules.rs"]
mod big_rules;

fn main() {
    divan::main();
}

const CATEGORIES: [&str; 5] = ["tea", "teaware", "snacks", "gifts", "giftcard"];

/// 2026-11-25 12:00 Beijing.
const NOW: i64 = demo::NOW;

fn bj(s: &str) -> i64 {
    LocalTime::parse(s).unwrap().instant(Zone::new(480))
}

fn sku(i: usize) -> String {
    format!("sku-{i:03}")
}

fn price(i: usize) -> i64 {
    // ¥9.90 … ¥300-ish, varied so splits have remainders.
    990 + (i as i64 * 7_919) % 29_000
}

fn category(i: usize) -> &'static str {
    CATEGORIES[i % CATEGORIES.len()]
}

/// Twenty coupon templates: 8 item, 8 order, 3 shipping, 1 exclusive.
fn templates() -> Vec<Value> {
    let days = json!({"type": "days", "days": 30});
    let mut t = Vec::new();
    let mut add = |id: &str, kind: Value, scope: Value, exclusive: bool| {
        // One flat object: the kind's fields beside the template's own.
        let mut one = kind;
        for (k, v) in [("id", json!(id)), ("name", json!(id)), ("scope", scope), ("validity", days.clone())] {
            one[k] = v;
        }
        one["exclusive"] = json!(exclusive);
        t.push(one);
    };
    let all = json!({});
    // item
    add("i-tea-90", json!({"type": "percent_off", "pay_bp": 9000, "cap": 3000}), json!({"categories": ["tea"]}), false);
    add(
        "i-teaware-300-40",
        json!({"type": "amount_off", "amount": 4000, "threshold": 30000}),
        json!({"categories": ["teaware"]}),
        false,
    );
    add("i-snacks-10", json!({"type": "amount_off", "amount": 1000}), json!({"categories": ["snacks"]}), false);
    add(
        "i-gifts-85",
        json!({"type": "percent_off", "pay_bp": 8500, "cap": 5000, "threshold": 5000}),
        json!({"categories": ["gifts"]}),
        false,
    );
    add(
        "i-skus-20",
        json!({"type": "amount_off", "amount": 2000, "threshold": 10000}),
        json!({"skus": [sku(3), sku(13), sku(23), sku(33), sku(43)]}),
        false,
    );
    add(
        "i-no-card-95",
        json!({"type": "percent_off", "pay_bp": 9500, "cap": 8000}),
        json!({"exclude_categories": ["giftcard"]}),
        false,
    );
    add("i-swap-7", json!({"type": "exchange", "sku": sku(7)}), all.clone(), false);
    add("i-swap-42", json!({"type": "exchange", "sku": sku(42)}), all.clone(), false);
    // order
    for (k, (amount, threshold)) in
        [(1000, 0), (2000, 10000), (3000, 20000), (6000, 50000), (15000, 100000), (40000, 300000)].iter().enumerate()
    {
        add(
            &format!("o-{k}"),
            json!({"type": "amount_off", "amount": amount, "threshold": threshold}),
            all.clone(),
            false,
        );
    }
    add("o-95", json!({"type": "percent_off", "pay_bp": 9500, "cap": 5000}), all.clone(), false);
    add("o-90", json!({"type": "percent_off", "pay_bp": 9000, "cap": 12000, "threshold": 80000}), all.clone(), false);
    // shipping
    add("s-free", json!({"type": "shipping"}), all.clone(), false);
    add("s-5", json!({"type": "shipping", "amount": 500}), all.clone(), false);
    add("s-free-200", json!({"type": "shipping", "threshold": 20000}), all.clone(), false);
    // exclusive
    add("x-88", json!({"type": "percent_off", "pay_bp": 8800, "cap": 20000}), all, true);
    t
}

/// Ten campaigns, all active at `NOW`.
fn campaigns() -> Vec<Value> {
    let (from, until) = ("2026-11-20T00:00", "2026-12-01T00:00");
    // One flat object: the kind's fields beside the campaign's own.
    let c = |id: &str, mut kind: Value| {
        for (k, v) in [("id", id), ("name", id), ("from", from), ("until", until)] {
            kind[k] = json!(v);
        }
        kind
    };
    let flash = |r: std::ops::Range<usize>| -> Value {
        r.map(|i| json!({"sku": sku(i), "price": price(i) / 2, "stock": 100})).collect()
    };
    let limited = |r: std::ops::Range<usize>| -> Value {
        r.map(|i| {
            if i % 2 == 0 {
                json!({"sku": sku(i), "price": price(i) * 8 / 10})
            } else {
                json!({"sku": sku(i), "pay_bp": 8500})
            }
        })
        .collect()
    };
    let skus = |r: std::ops::Range<usize>| -> Value { r.map(sku).collect() };
    vec![
        c("flash-a", json!({"type": "flash_sale", "items": flash(0..5), "per_member_limit": 2})),
        c(
            "flash-b",
            json!({"type": "flash_sale", "items": flash(5..10), "per_member_limit": 1, "allow_coupons": true}),
        ),
        c("limited-a", json!({"type": "limited_discount", "items": limited(10..30), "per_member_limit": 3})),
        c("limited-b", json!({"type": "limited_discount", "items": limited(30..50), "stack_with_member_price": true})),
        c(
            "qty-2nd-half",
            json!({"type": "quantity_discount", "scope": {"skus": skus(50..80)}, "nth": 2, "pay_bp": 5000}),
        ),
        c(
            "qty-3rd-free",
            json!({"type": "quantity_discount", "scope": {"skus": skus(80..100)}, "nth": 3, "pay_bp": 0}),
        ),
        c(
            "full-teaware",
            json!({"type": "full_reduction", "scope": {"categories": ["teaware"]}, "basis": "amount",
            "tiers": [{"at": 30000, "reward": {"amount_off": 3000}}, {"at": 100000, "reward": {"amount_off": 12000, "free_shipping": true}}]}),
        ),
        c(
            "full-snacks",
            json!({"type": "full_reduction", "scope": {"categories": ["snacks"]}, "basis": "count",
            "tiers": [{"at": 2, "reward": {"pay_bp": 9500}}, {"at": 10, "reward": {"pay_bp": 9000, "bonus_points": 100}}]}),
        ),
        c(
            "full-tea",
            json!({"type": "full_reduction", "scope": {"categories": ["tea"]}, "basis": "amount",
            "tiers": [{"at": 50000, "reward": {"amount_off": 5000, "pay_bp": 9800}}]}),
        ),
        c(
            "full-site",
            json!({"type": "full_reduction", "scope": {"exclude_categories": ["giftcard"]}, "basis": "amount",
            "tiers": [{"at": 39900, "reward": {"free_shipping": true, "coupon": "o-0"}}]}),
        ),
    ]
}

/// The demo rules with a 200-item catalog, the bench coupons (on top of the
/// demo's), no free-shipping threshold (so shipping coupons take part), and
/// either no campaigns or the ten above.
fn bench_rules(with_campaigns: bool) -> Value {
    let mut r: Value = serde_json::from_str(demo::RULES).unwrap();
    let catalog = r["catalog"].as_array_mut().unwrap();
    for i in 0..200 {
        catalog.push(json!({"sku": sku(i), "name": sku(i), "category": category(i), "price": price(i)}));
    }
    r["coupons"].as_array_mut().unwrap().extend(templates());
    r["shipping"] = json!({"fee": 1000});
    r["campaigns"] = if with_campaigns { Value::Array(campaigns()) } else { json!([]) };
    r
}

/// A member built through the API: joins, sets a profile, places and
/// completes a few orders, claims the twenty coupons.
fn bench_member(rules: &Rules) -> Member {
    let mut ev = vec![
        json!({"id": "e0", "at": bj("2026-01-05T10:00"), "type": "joined", "member": "m-bench"}),
        json!({"id": "e1", "at": bj("2026-01-05T10:01"), "type": "profile_set", "birthday": "03-15", "tags": ["tea-lover"]}),
    ];
    for k in 0..5 {
        let at = bj(&format!("2026-0{}-10T10:00", k + 2));
        let lines: Vec<Value> = (0..3).map(|j| json!({"sku": sku(100 + 7 * k + j), "category": category(100 + 7 * k + j), "unit_price": price(100 + 7 * k + j), "quantity": 1})).collect();
        ev.push(json!({"id": format!("o{k}"), "at": at, "type": "order_placed", "order": format!("o{k}"), "cart": {"lines": lines}}));
        ev.push(
            json!({"id": format!("c{k}"), "at": at + 86_400_000, "type": "order_completed", "order": format!("o{k}")}),
        );
    }
    for (k, t) in templates().iter().enumerate() {
        ev.push(json!({"id": format!("w{k}"), "at": bj("2026-11-20T10:00") + k as i64, "type": "coupon_claimed", "template": t["id"]}));
    }
    let events: Vec<Event> = siyu::from_str(&Value::Array(ev).to_string()).unwrap();
    let m = siyu::replay(rules, &events).unwrap();
    assert_eq!(m.wallet.len(), 20);
    m
}

fn bench_cart(lines: usize) -> Cart {
    let lines: Vec<Value> = (0..lines)
        .map(|i| json!({"sku": sku(i), "category": category(i), "unit_price": price(i), "quantity": 1 + (i % 3)}))
        .collect();
    siyu::from_str(&json!({"lines": lines, "coupons": "best", "points": "max"}).to_string()).unwrap()
}

struct Fixture {
    rules: Rules,
    member: Member,
    cart: Cart,
}

fn fixture(lines: usize, with_campaigns: bool) -> Fixture {
    let rules = Rules::parse(&bench_rules(with_campaigns).to_string()).unwrap();
    let member = bench_member(&rules);
    let cart = bench_cart(lines);
    // Sanity: the search has something to do.
    let q = siyu::quote(&rules, Some(&member), &cart, NOW).unwrap();
    assert!(!q.coupons.applied.is_empty());
    if with_campaigns {
        assert!(q.campaigns.iter().filter(|c| c.applied).count() >= 3);
    }
    Fixture { rules, member, cart }
}

#[divan::bench(args = [10, 50, 200])]
fn quote_best_coupons(bencher: Bencher, lines: usize) {
    let f = fixture(lines, false);
    bencher.bench(|| siyu::quote(black_box(&f.rules), Some(black_box(&f.member)), black_box(&f.cart), NOW).unwrap());
}

#[divan::bench]
fn quote_campaigns_200(bencher: Bencher) {
    let f = fixture(200, true);
    bencher.bench(|| siyu::quote(black_box(&f.rules), Some(black_box(&f.member)), black_box(&f.cart), NOW).unwrap());
}

#[divan::bench]
fn ops_quote_campaigns_200(bencher: Bencher) {
    let f = fixture(200, true);
    let input =
        json!({"rules": bench_rules(true), "member": to_value(&f.member), "cart": to_value(&f.cart), "now": NOW})
            .to_string();
    assert!(siyu::ops::call("quote", &input).starts_with("{\"ok\""));
    bencher.bench(|| siyu::ops::call("quote", black_box(&input)));
}

/// 10,000 events under the demo rules, from 2020: daily check-ins and
/// shares, an order every fourth day (completed the next day), a partial
/// refund every 40th day, five coupons claimed in the first years.
fn long_log() -> Vec<Event> {
    let start = bj("2020-01-01T09:00");
    let day = 86_400_000;
    let mut ev = vec![json!({"id": "j", "at": start, "type": "joined", "member": "m-long"})];
    let mut d = 0i64;
    let mut claims = 0;
    while ev.len() < 10_000 {
        let t = start + d * day;
        ev.push(json!({"id": format!("ci{d}"), "at": t + 3_600_000, "type": "checked_in"}));
        ev.push(json!({"id": format!("sh{d}"), "at": t + 3_700_000, "type": "activity", "name": "share"}));
        if d % 4 == 0 {
            let o = format!("o{d}");
            let lines = json!([
                {"sku": "tea-puer", "category": "tea", "unit_price": 6800, "quantity": 2},
                {"sku": "cup-glass", "category": "teaware", "unit_price": 4500, "quantity": 1},
                {"sku": "snack-nuts", "category": "snacks", "unit_price": 5900, "quantity": 3}
            ]);
            ev.push(json!({"id": format!("p{d}"), "at": t + 4_000_000, "type": "order_placed", "order": o, "cart": {"lines": lines}}));
        }
        if d % 4 == 1 {
            ev.push(json!({"id": format!("c{d}"), "at": t + 4_000_000, "type": "order_completed", "order": format!("o{}", d - 1)}));
        }
        if d % 40 == 2 {
            ev.push(json!({"id": format!("r{d}"), "at": t + 5_000_000, "type": "order_refunded", "order": format!("o{}", d - 2), "lines": [{"line": 0, "quantity": 1}]}));
        }
        if d % 90 == 3 && claims < 5 {
            ev.push(json!({"id": format!("cl{d}"), "at": t + 6_000_000, "type": "coupon_claimed", "template": "no-threshold-10"}));
            claims += 1;
        }
        d += 1;
    }
    ev.truncate(10_000);
    siyu::from_str(&Value::Array(ev).to_string()).unwrap()
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn replay_10000(bencher: Bencher) {
    let rules = Rules::parse(demo::RULES).unwrap();
    let events = long_log();
    assert_eq!(events.len(), 10_000);
    siyu::replay(&rules, &events).unwrap();
    bencher.bench(|| siyu::replay(black_box(&rules), black_box(&events)).unwrap());
}

#[divan::bench]
fn parse_demo_rules() -> Rules {
    Rules::parse(black_box(demo::RULES)).unwrap()
}

#[divan::bench(args = [1000, 5000, 20000], sample_count = 10, sample_size = 1)]
fn validate_big_catalog(bencher: Bencher, n: usize) {
    let text = big_rules::big_rules(n).to_string();
    Rules::parse(&text).unwrap();
    bencher.bench(|| Rules::parse(black_box(&text)).unwrap());
}

#[divan::bench(args = [1000, 5000, 20000], sample_count = 10, sample_size = 1)]
fn quote_big_catalog(bencher: Bencher, n: usize) {
    let rules_json = big_rules::big_rules(n);
    let rules = Rules::parse(&rules_json.to_string()).unwrap();
    let events: Vec<Event> = siyu::from_str(&big_rules::big_member_events().to_string()).unwrap();
    let member = siyu::replay(&rules, &events).unwrap();
    let input = json!({"rules": rules_json, "member": to_value(&member), "cart": big_rules::big_cart(n), "now": NOW})
        .to_string();
    let answer = siyu::ops::call("quote", &input);
    assert!(answer.starts_with("{\"ok\""), "{}", &answer[..answer.len().min(400)]);
    bencher.bench(|| siyu::ops::call("quote", black_box(&input)));
}

/// What the engine writes for `t`, as a JSON value.
fn to_value<T: siyu::Encode>(t: &T) -> Value {
    serde_json::from_str(&siyu::to_json(t)).expect("the engine writes JSON")
}
