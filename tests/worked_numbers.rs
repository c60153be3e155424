//! Numbers worked out by hand from the rules written in the module headers
//! (`money.rs`, `pricing/`, `coupon/`, `campaign/`, `points/`,
//! `membership/`, `ledger/`), asserted against `siyu::ops::call`.
//!
//! These do not depend on the conformance corpus or its blessing: each
//! expected figure below was computed on paper, with the arithmetic in the
//! comment next to it. Instants are UTC milliseconds worked out for the
//! merchant's local time (+08:00 unless said otherwise).

use serde_json::{json, Value};

// ------------------------------------------------------------------ helpers

fn call(op: &str, input: &Value) -> Value {
    serde_json::from_str(&siyu::ops::call(op, &input.to_string())).expect("the engine answers JSON")
}

fn ok(op: &str, input: &Value) -> Value {
    let out = call(op, input);
    assert!(out.get("ok").is_some(), "{op} failed: {out}");
    out["ok"].clone()
}

fn err(op: &str, input: &Value) -> Value {
    let out = call(op, input);
    assert!(out.get("error").is_some(), "{op} should fail: {out}");
    out["error"].clone()
}

/// The smallest valid rule set, with top-level fields replaced.
fn rules(over: Value) -> Value {
    let mut r = json!({
        "schema": 1,
        "membership": {"growth": {"per_yuan": 1}, "tiers": [{"id": "member", "name": "会员", "threshold": 0}]},
        "points": {"earn_per_yuan": 1, "expiry": {"type": "never"}}
    });
    for (k, v) in over.as_object().expect("an object") {
        r[k] = v.clone();
    }
    r
}

fn tiers(mut r: Value, tiers: Value) -> Value {
    r["membership"]["tiers"] = tiers;
    r
}

fn line(sku: &str, price: i64, qty: i64, cat: &str) -> Value {
    json!({"sku": sku, "category": cat, "unit_price": price, "quantity": qty})
}

/// 2026-03-02 10:00 in Beijing (02:00Z).
const T0: i64 = 1_772_416_800_000;
const MIN: i64 = 60_000;
const DAY: i64 = 86_400_000;
/// When quotes of `member` states are priced: an hour after T0.
const NOW: i64 = T0 + 3_600_000;

/// A member folded by the engine: joined at T0, then claimed `templates`
/// (coupon ids c1, c2, … a second apart), then `extra`.
fn member(r: &Value, templates: &[&str], extra: &[Value]) -> Value {
    let mut events = vec![json!({"id": "join", "at": T0, "type": "joined", "member": "m1"})];
    for (i, t) in templates.iter().enumerate() {
        events.push(json!({"id": format!("claim{i}"), "at": T0 + MIN + i as i64 * 1000, "type": "coupon_claimed",
                           "template": t, "coupon": format!("c{}", i + 1)}));
    }
    events.extend(extra.iter().cloned());
    ok("replay", &json!({"rules": r, "events": events}))
}

fn quote(r: &Value, m: Option<&Value>, cart: Value, now: i64) -> Value {
    let mut input = json!({"rules": r, "cart": cart, "now": now});
    if let Some(m) = m {
        input["member"] = m.clone();
    }
    ok("quote", &input)
}

fn line_discounts(q: &Value, step: &str) -> Vec<i64> {
    q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            l["discounts"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["step"] == step)
                .map(|d| d["amount"].as_i64().unwrap())
                .sum()
        })
        .collect()
}

fn field(q: &Value, f: &str) -> Vec<i64> {
    q["lines"].as_array().unwrap().iter().map(|l| l[f].as_i64().unwrap()).collect()
}

/// A coupon template: its kind's fields beside its own (one flat object).
fn coupon_tpl(id: &str, mut kind: Value) -> Value {
    kind["id"] = json!(id);
    kind["name"] = json!(id);
    kind["validity"] = json!({"type": "days", "days": 30});
    kind
}

// ------------------------------------------------------- money.rs rounding

#[test]
fn percent_discounts_round_half_up_to_the_fen() {
    // 8.5折 on ¥0.99: 99 × 15% = 14.85 fen → 15 off, pay 84.
    let r = rules(json!({"coupons": [coupon_tpl("p", json!({"type": "percent_off", "pay_bp": 8500}))]}));
    let m = member(&r, &["p"], &[]);
    let q = quote(&r, Some(&m), json!({"lines": [line("a", 99, 1, "c")]}), NOW);
    assert_eq!(q["totals"]["coupon_discount"], 15);
    assert_eq!(q["totals"]["payable"], 84);
    // On 3 fen: 0.45 fen → 0: the coupon saves nothing and says so.
    let q = quote(&r, Some(&m), json!({"lines": [line("a", 3, 1, "c")]}), NOW);
    assert_eq!(q["coupons"]["unusable"][0]["code"], "COUPON_NO_SAVING");
    // 5折 on 1 fen: 0.5 fen → 1.
    let r = rules(json!({"coupons": [coupon_tpl("h", json!({"type": "percent_off", "pay_bp": 5000}))]}));
    let q = quote(&r, Some(&member(&r, &["h"], &[])), json!({"lines": [line("a", 1, 1, "c")]}), NOW);
    assert_eq!(q["totals"]["payable"], 0);
}

#[test]
fn member_price_rounds_each_line_half_up() {
    // 9.5折: 10 → 0.5 → 1; 9 → 0.45 → 0; 30 → 1.5 → 2; 11 → 0.55 → 1.
    let r = tiers(
        rules(json!({})),
        json!([{"id": "vip", "name": "VIP", "threshold": 0, "benefits": {"discount_bp": 9500}}]),
    );
    let q = quote(
        &r,
        Some(&member(&r, &[], &[])),
        json!({"lines": [line("a", 10, 1, "c"), line("b", 9, 1, "c"), line("c", 30, 1, "c"), line("d", 11, 1, "c")]}),
        NOW,
    );
    assert_eq!(line_discounts(&q, "member"), vec![1, 0, 2, 1]);
    assert_eq!(q["totals"]["goods"], 56);
}

#[test]
fn order_discounts_are_split_by_largest_remainder() {
    let amount = |a: i64| json!({"coupons": [coupon_tpl("o", json!({"type": "amount_off", "amount": a}))]});
    // ¥10 over three ¥30 lines: 333.33 each, the spare fen to the first.
    let r = rules(amount(1000));
    let m = member(&r, &["o"], &[]);
    let q = quote(
        &r,
        Some(&m),
        json!({"lines": [line("a", 3000, 1, "c"), line("b", 3000, 1, "c"), line("c", 3000, 1, "c")]}),
        NOW,
    );
    assert_eq!(line_discounts(&q, "coupon"), vec![334, 333, 333]);
    // Its 80 points over 2666/2667/2667: 26.66, 26.67, 26.67 → the two .67s get the spare points.
    assert_eq!(field(&q, "points_to_earn"), vec![26, 27, 27]);
    // 2 fen over three equal lines: 1, 1, 0.
    let r = rules(amount(2));
    let q = quote(
        &r,
        Some(&member(&r, &["o"], &[])),
        json!({"lines": [line("a", 100, 1, "c"), line("b", 100, 1, "c"), line("c", 100, 1, "c")]}),
        NOW,
    );
    assert_eq!(line_discounts(&q, "coupon"), vec![1, 1, 0]);
    // ¥1 over ¥10 and ¥20: 33.33 and 66.67 → 33, 67.
    let r = rules(amount(100));
    let q = quote(
        &r,
        Some(&member(&r, &["o"], &[])),
        json!({"lines": [line("a", 1000, 1, "c"), line("b", 2000, 1, "c")]}),
        NOW,
    );
    assert_eq!(line_discounts(&q, "coupon"), vec![33, 67]);
    // 1 fen over [100, 300, 250, 300, 50]: every share floors to 0, the
    // remainders are the weights; the first 300 wins the tie.
    let r = rules(amount(1));
    let q = quote(
        &r,
        Some(&member(&r, &["o"], &[])),
        json!({"lines": [line("a", 100, 1, "c"), line("b", 300, 1, "c"), line("c", 250, 1, "c"), line("d", 300, 1, "c"), line("e", 50, 1, "c")]}),
        T0 + MIN,
    );
    assert_eq!(line_discounts(&q, "coupon"), vec![0, 1, 0, 0, 0]);
}

#[test]
fn points_and_growth_are_floored() {
    // ¥99.99 at 1 point a yuan: 99.99 → 99 points, 99 growth.
    let r = rules(json!({}));
    let q = quote(&r, Some(&member(&r, &[], &[])), json!({"lines": [line("a", 9999, 1, "c")]}), NOW);
    assert_eq!(q["points"]["to_earn"], 99);
    assert_eq!(q["growth_to_earn"], 99);
    // ×1.5: 9.99 × 1.5 = 14.985 → 14.
    let r = tiers(
        rules(json!({})),
        json!([{"id": "vip", "name": "VIP", "threshold": 0, "benefits": {"points_multiplier_pct": 150}}]),
    );
    let q = quote(&r, Some(&member(&r, &[], &[])), json!({"lines": [line("a", 999, 1, "c")]}), NOW);
    assert_eq!(q["points"]["to_earn"], 14);
}

// ------------------------------------------------------ thresholds, coupons

#[test]
fn thresholds_are_exact_and_tested_after_earlier_steps() {
    let r = rules(
        json!({"coupons": [coupon_tpl("c100", json!({"type": "amount_off", "amount": 2000, "threshold": 10000}))]}),
    );
    let m = member(&r, &["c100"], &[]);
    // ¥99.99 does not pass 满100: 1 fen short.
    let q = quote(&r, Some(&m), json!({"lines": [line("a", 9999, 1, "c")]}), NOW);
    assert_eq!(q["coupons"]["unusable"][0]["code"], "COUPON_THRESHOLD_NOT_MET");
    assert_eq!(q["coupons"]["unusable"][0]["shortfall"], 1);
    // ¥100.00 passes: pay ¥80.00.
    let q = quote(&r, Some(&m), json!({"lines": [line("a", 10000, 1, "c")]}), NOW);
    assert_eq!(q["totals"]["payable"], 8000);
    // After a 9.5折 member price ¥105.00 is ¥99.75: 25 fen short.
    let r = tiers(r, json!([{"id": "vip", "name": "VIP", "threshold": 0, "benefits": {"discount_bp": 9500}}]));
    let q = quote(&r, Some(&member(&r, &["c100"], &[])), json!({"lines": [line("a", 10500, 1, "c")]}), NOW);
    assert_eq!(q["coupons"]["unusable"][0]["shortfall"], 25);
}

#[test]
fn the_coupon_module_worked_example_saves_25_yuan() {
    // Tea ¥60 + cup ¥90; 满0减5 on tea first (tea 55), then 满100减20 on
    // ¥145: split 2000 × 5500/14500 = 758.62, × 9000/14500 = 1241.38 →
    // the .62 gets the spare fen: 759 and 1241.
    let r = rules(json!({"coupons": [
        coupon_tpl("c100", json!({"type": "amount_off", "amount": 2000, "threshold": 10000})),
        coupon_tpl("p90", json!({"type": "percent_off", "pay_bp": 9000, "cap": 1000})),
        {"id": "tea5", "name": "tea5", "type": "amount_off", "amount": 500, "scope": {"categories": ["tea"]},
         "validity": {"type": "days", "days": 30}}]}));
    let m = member(&r, &["c100", "p90", "tea5"], &[]);
    let q =
        quote(&r, Some(&m), json!({"lines": [line("longjing", 6000, 1, "tea"), line("cup", 9000, 1, "teaware")]}), NOW);
    assert_eq!(q["totals"]["coupon_discount"], 2500);
    assert_eq!(line_discounts(&q, "coupon"), vec![500 + 759, 1241]);
    // 9折 alone would be 14.50 capped at 10.00.
    assert_eq!(q["coupons"]["usable"][0]["saving"], 1000);
}

#[test]
fn best_coupons_never_raise_the_payable_through_shipping() {
    // ¥100 ships free (over ¥99); ¥5 off would make it ¥95 + ¥10 shipping.
    let r = rules(json!({"shipping": {"fee": 1000, "free_over": 9900},
                         "coupons": [coupon_tpl("o5", json!({"type": "amount_off", "amount": 500}))]}));
    let m = member(&r, &["o5"], &[]);
    let q = quote(&r, Some(&m), json!({"lines": [line("a", 10000, 1, "c")]}), NOW);
    assert_eq!(q["totals"]["payable"], 10000);
    assert_eq!(q["coupons"]["applied"], json!([]));
    // Asked for by id, it is used: ¥95 + ¥10.
    let q = quote(&r, Some(&m), json!({"lines": [line("a", 10000, 1, "c")], "coupons": ["c1"]}), NOW);
    assert_eq!(q["totals"]["payable"], 10500);
}

#[test]
fn exchange_coupon_takes_one_units_floor_share() {
    // 3 × ¥33.33 = ¥99.99 at 9.5折: 99.99 × 5% = 4.9995 → ¥5.00 off →
    // ¥94.99; one unit is floor(9499 / 3) = 3166.
    let r = tiers(
        rules(json!({"coupons": [coupon_tpl("swap", json!({"type": "exchange", "sku": "jasmine"}))]})),
        json!([{"id": "vip", "name": "VIP", "threshold": 0, "benefits": {"discount_bp": 9500}}]),
    );
    let q = quote(&r, Some(&member(&r, &["swap"], &[])), json!({"lines": [line("jasmine", 3333, 3, "tea")]}), NOW);
    assert_eq!(line_discounts(&q, "coupon"), vec![3166]);
    assert_eq!(q["totals"]["goods"], 6333);
}

// --------------------------------------------------------------- campaigns

/// A campaign in March 2026: its kind's fields beside its own.
fn window_campaign(id: &str, mut kind: Value) -> Value {
    kind["id"] = json!(id);
    kind["name"] = json!(id);
    kind["from"] = json!("2026-03-01T00:00");
    kind["until"] = json!("2026-04-01T00:00");
    kind
}

#[test]
fn flash_sale_splits_by_limit_and_by_stock() {
    let r = rules(json!({"campaigns": [window_campaign("flash",
        json!({"type": "flash_sale", "items": [{"sku": "pot", "price": 19900, "stock": 50}], "per_member_limit": 1}))]}));
    let m = member(&r, &[], &[]);
    // 3 pots, limit 1: one at ¥199, two at ¥328.
    let q = quote(&r, Some(&m), json!({"lines": [line("pot", 32800, 3, "teaware")]}), NOW);
    assert_eq!(field(&q, "quantity"), vec![1, 2]);
    assert_eq!(field(&q, "goods"), vec![19900, 65600]);
    // The flash line earns no points; growth counts it: 855 yuan → 855.
    assert_eq!(field(&q, "points_to_earn"), vec![0, 656]);
    assert_eq!(q["growth_to_earn"], 199 + 656);
    // Limit 5 but 48 of 50 sold: 2 at the flash price.
    let mut r5 = r.clone();
    r5["campaigns"][0]["per_member_limit"] = json!(5);
    let q = quote(
        &r5,
        Some(&member(&r5, &[], &[])),
        json!({"lines": [line("pot", 32800, 3, "teaware")], "sold": {"flash": {"pot": 48}}}),
        NOW,
    );
    assert_eq!(field(&q, "quantity"), vec![2, 1]);
    assert_eq!(q["totals"]["campaign_discount"], 2 * 12900);
}

#[test]
fn limited_price_against_member_price() {
    let lim = |stack: bool| {
        rules(json!({"campaigns": [window_campaign("lim", json!({"type": "limited_discount",
        "items": [{"sku": "tea", "price": 14800}], "per_member_limit": 2, "stack_with_member_price": stack}))]}))
    };
    let vip = |r: Value, bp: i64| {
        tiers(r, json!([{"id": "vip", "name": "VIP", "threshold": 0, "benefits": {"discount_bp": bp}}]))
    };
    let tea = json!({"lines": [line("tea", 16800, 1, "tea")]});
    // 9.5折 takes ¥8.40, the limited price ¥20.00: limited wins → ¥148.
    let r = vip(lim(false), 9500);
    assert_eq!(quote(&r, Some(&member(&r, &[], &[])), tea.clone(), NOW)["totals"]["goods"], 14800);
    // 8折 takes ¥33.60: member wins → ¥134.40.
    let r = vip(lim(false), 8000);
    assert_eq!(quote(&r, Some(&member(&r, &[], &[])), tea.clone(), NOW)["totals"]["goods"], 13440);
    // Stacked: 148 × 95% = 140.60.
    let r = vip(lim(true), 9500);
    assert_eq!(quote(&r, Some(&member(&r, &[], &[])), tea, NOW)["totals"]["goods"], 14060);
}

#[test]
fn second_unit_half_price() {
    let q2 = |nth: i64, pay: i64| {
        rules(json!({"campaigns": [window_campaign("q2",
        json!({"type": "quantity_discount", "scope": { "skus": ["nuts", "cake"] }, "nth": nth, "pay_bp": pay}))]}))
    };
    // At 9.5折 first: 118.00 − 5.90 = 112.10; a unit is 56.05; half is
    // 28.025 → 28.03 off → 84.07.
    let r =
        tiers(q2(2, 5000), json!([{"id": "vip", "name": "VIP", "threshold": 0, "benefits": {"discount_bp": 9500}}]));
    let q = quote(&r, Some(&member(&r, &[], &[])), json!({"lines": [line("nuts", 5900, 2, "snacks")]}), NOW);
    assert_eq!(line_discounts(&q, "quantity"), vec![2803]);
    assert_eq!(q["totals"]["goods"], 8407);
    // A 99-fen unit at half price: 49.5 → 50 off.
    let q = quote(&q2(2, 5000), None, json!({"lines": [line("nuts", 99, 2, "snacks")]}), NOW);
    assert_eq!(q["totals"]["goods"], 148);
    // Dearest first across lines: cake, cake, nuts, nuts → the 2nd cake
    // (¥64.00 off) and the 2nd nuts (¥29.50 off).
    let q = quote(
        &q2(2, 5000),
        None,
        json!({"lines": [line("nuts", 5900, 2, "snacks"), line("cake", 12800, 2, "snacks")]}),
        NOW,
    );
    assert_eq!(line_discounts(&q, "quantity"), vec![2950, 6400]);
    // Buy two, get the third free, on 7 units: the 3rd and the 6th.
    let q = quote(&q2(3, 0), None, json!({"lines": [line("nuts", 5900, 7, "snacks")]}), NOW);
    assert_eq!(q["totals"]["campaign_discount"], 11800);
}

#[test]
fn full_reductions_by_amount_and_by_count() {
    let r = rules(
        json!({"shipping": {"fee": 1000}, "campaigns": [window_campaign("ware", json!({"type": "full_reduction", "basis": "amount",
        "scope": {"categories": ["teaware"]},
        "tiers": [{"at": 30000, "reward": {"amount_off": 3000}}, {"at": 50000, "reward": {"amount_off": 6000, "free_shipping": true}}]}))]}),
    );
    // ¥500 reaches the second tier: ¥60 split 6000 × 328/500 = 3936 and 2064; free shipping.
    let q =
        quote(&r, None, json!({"lines": [line("pot", 32800, 1, "teaware"), line("cup", 17200, 1, "teaware")]}), NOW);
    assert_eq!(line_discounts(&q, "full_reduction"), vec![3936, 2064]);
    assert_eq!(q["totals"]["shipping"], 0);
    // ¥299.99 is one fen short of the first tier.
    let q = quote(&r, None, json!({"lines": [line("pot", 29999, 1, "teaware")]}), NOW);
    assert_eq!(q["campaigns"][0]["shortfall"], 1);
    // ¥200 with 满200减20再9折: 20 + 10% × 180 = 38.
    let r = rules(json!({"campaigns": [window_campaign("both", json!({"type": "full_reduction", "basis": "amount",
        "tiers": [{"at": 20000, "reward": {"amount_off": 2000, "pay_bp": 9000}}]}))]}));
    assert_eq!(
        quote(&r, None, json!({"lines": [line("a", 20000, 1, "c")]}), NOW)["totals"]["full_reduction_discount"],
        3800
    );
}

// ---------------------------------------------------------- points as cash

#[test]
fn points_as_cash_whole_units_under_the_cap() {
    let r = rules(
        json!({"points": {"earn_per_yuan": 1, "expiry": {"type": "never"}, "activities": {"sign_up": {"points": 1250}},
                                    "redeem": {"unit_points": 100, "unit_fen": 100, "max_share_bp": 3000}}}),
    );
    let m = member(&r, &[], &[]);
    // 30% of ¥29.99 = 899.7 fen → 8 whole units.
    let q = quote(&r, Some(&m), json!({"lines": [line("a", 2999, 1, "c")], "points": "max"}), NOW);
    assert_eq!(q["points"]["used"], 800);
    // On ¥1000 the balance (1250) allows 12 units.
    let q = quote(&r, Some(&m), json!({"lines": [line("a", 100000, 1, "c")], "points": "max"}), NOW);
    assert_eq!(q["points"]["used"], 1200);
    assert_eq!(q["totals"]["payable"], 98800);
    // 150 points are not whole units of 100.
    let e = err(
        "quote",
        &json!({"rules": r, "member": m, "cart": {"lines": [line("a", 10000, 1, "c")], "points": 150}, "now": T0 + MIN}),
    );
    assert_eq!(e["code"], "POINTS_NOT_WHOLE_UNITS");
}

// ------------------------------------------------------ orders and refunds

fn shop() -> Value {
    rules(json!({
        "shipping": {"fee": 1000, "free_over": 9900},
        "points": {"earn_per_yuan": 1, "expiry": {"type": "never"}, "activities": {"sign_up": {"points": 100}, "review": {"points": 80}},
                   "redeem": {"unit_points": 100, "unit_fen": 100, "max_share_bp": 3000},
                   "mall": [{"id": "gift", "name": "gift", "cost": 150, "reward": {"type": "coupon", "template": "new20"}}]},
        "coupons": [{"id": "new20", "name": "新人满99减20", "type": "amount_off", "amount": 2000, "threshold": 9900,
                     "validity": {"type": "days", "days": 7}, "per_member_limit": 5}]
    }))
}

fn ev(id: &str, at: i64, what: Value) -> Value {
    let mut e = what;
    e["id"] = json!(id);
    e["at"] = json!(at);
    e
}

#[test]
fn an_order_books_its_coupon_points_and_earnings_per_line() {
    let r = shop();
    let placed = ev(
        "o1",
        T0 + 2 * MIN,
        json!({"type": "order_placed", "order": "o1",
        "cart": {"lines": [line("tea", 10000, 1, "tea"), line("cup", 1000, 2, "teaware")], "points": 100}, "expect_payable": 9900}),
    );
    let m = member(&r, &["new20"], &[placed]);
    // ¥120 − ¥20: 2000 × 10000/12000 = 1666.67, × 2000/12000 = 333.33 → 1667, 333.
    // Goods 8333 + 1667 = ¥100 ≥ ¥99: free shipping. 100 points = ¥1 split
    // 83.33 / 16.67 → 83, 17. Paid 8250 + 1650 = ¥99.00.
    let o = &m["orders"]["o1"];
    assert_eq!(o["payable"], 9900);
    assert_eq!(o["lines"][0]["paid"], 8250);
    assert_eq!(o["lines"][1]["paid"], 1650);
    assert_eq!(o["lines"][0]["points_used"], 83);
    assert_eq!(o["lines"][1]["points_used"], 17);
    // 99 points over 8250 / 1650 = 82.5 / 16.5: the tie goes to the first line.
    assert_eq!(o["lines"][0]["points_earned"], 83);
    assert_eq!(o["lines"][1]["points_earned"], 16);
    // Refund one cup before completion: floor(1650 × 1/2) = 825 back and
    // floor(17 × 1/2) = 8 points back to the lot they came from.
    let refund = json!({"rules": r, "member": m, "event": ev("r1", T0 + 4 * MIN,
        json!({"type": "order_refunded", "order": "o1", "lines": [{"line": 1, "quantity": 1}]}))});
    let after = ok("apply_event", &refund)["member"].clone();
    assert_eq!(after["orders"]["o1"]["refunded"], 825);
    assert_eq!(after["points"]["lots"][0]["remaining"], 8);
}

#[test]
fn refund_after_completion_claws_back_and_leaves_a_debt() {
    let r = shop();
    // ¥200 earns 200 points (lot 2); the mall takes 150 (100 from lot 1, 50
    // from lot 2); the whole refund claws back 200: 150 are there, 50 become
    // a debt; the next 80 points pay it and 30 are credited.
    let m = member(
        &r,
        &[],
        &[
            ev(
                "o1",
                T0 + MIN,
                json!({"type": "order_placed", "order": "o1", "cart": {"lines": [line("tea", 20000, 1, "tea")]}}),
            ),
            ev("done", T0 + 2 * MIN, json!({"type": "order_completed", "order": "o1"})),
            ev("mall", T0 + 3 * MIN, json!({"type": "mall_exchanged", "item": "gift"})),
            ev("r1", T0 + 4 * MIN, json!({"type": "order_refunded", "order": "o1"})),
        ],
    );
    assert_eq!(m["points"]["debt"], 50);
    assert_eq!(m["growth_total"], 0);
    let after = ok("apply_event", &json!({"rules": r, "member": m, "event": ev("a1", T0 + 5 * MIN, json!({"type": "activity", "name": "review"}))}))["member"].clone();
    assert_eq!(after["points"]["debt"], 0);
    let h = ok("points_history", &json!({"rules": r, "member": after, "now": T0 + 6 * MIN}));
    assert_eq!(h["balance"], 30);
}

#[test]
fn units_refunded_one_by_one_return_the_whole() {
    // With a 9.5折 tier, 3 × ¥3.34 = ¥10.02 pays 1002 − 50.1→50 = 952:
    // floor(952/3) = 317, floor(1904/3) − 317 = 317, 952 − 634 = 318.
    let r = tiers(shop(), json!([{"id": "vip", "name": "VIP", "threshold": 0, "benefits": {"discount_bp": 9500}}]));
    let mut m = member(
        &r,
        &[],
        &[ev(
            "o1",
            T0 + MIN,
            json!({"type": "order_placed", "order": "o1", "cart": {"lines": [line("x", 334, 3, "c")]}}),
        )],
    );
    let mut steps = Vec::new();
    for k in 0..3 {
        let before = m["orders"]["o1"]["refunded"].as_i64().unwrap();
        m = ok(
            "apply_event",
            &json!({"rules": r, "member": m, "event": ev(&format!("r{k}"), T0 + (2 + k) * MIN,
            json!({"type": "order_refunded", "order": "o1", "lines": [{"line": 0, "quantity": 1}]}))}),
        )["member"]
            .clone();
        steps.push(m["orders"]["o1"]["refunded"].as_i64().unwrap() - before);
    }
    // The last step also refunds the ¥10 shipping (goods under ¥99).
    assert_eq!(steps, vec![317, 317, 318 + 1000]);
}

// --------------------------------------------------------------- local time

#[test]
fn a_one_day_coupon_lasts_until_local_midnight() {
    // Claimed 2026-03-01 10:00 +08:00 (02:00Z = 1772330400000); valid
    // through 2026-03-01 23:59:59.999 +08:00 = 15:59:59.999Z = 1772380799999.
    let r = rules(json!({"coupons": [{"id": "d1", "name": "d1", "type": "amount_off", "amount": 100,
                                      "validity": {"type": "days", "days": 1}}]}));
    let m = ok(
        "replay",
        &json!({"rules": r, "events": [
        {"id": "j", "at": 1_772_326_800_000_i64, "type": "joined", "member": "m1"},
        {"id": "c", "at": 1_772_330_400_000_i64, "type": "coupon_claimed", "template": "d1", "coupon": "k"}]}),
    );
    assert_eq!(m["wallet"][0]["valid_until"], 1_772_380_799_999_i64);
    let cart = json!({"lines": [line("a", 5000, 1, "c")]});
    assert_eq!(quote(&r, Some(&m), cart.clone(), 1_772_380_799_999)["totals"]["coupon_discount"], 100);
    assert_eq!(quote(&r, Some(&m), cart, 1_772_380_800_000)["coupons"]["unusable"][0]["code"], "COUPON_EXPIRED");
}

#[test]
fn the_utc_date_is_not_the_local_date() {
    // 2025-11-30T16:00:00Z = 1764518400000 is 2025-12-01 00:00 in Beijing:
    // a coupon "until 2025-11-30" has expired there.
    let r = rules(json!({"coupons": [{"id": "nov", "name": "nov", "type": "amount_off", "amount": 100,
                                      "validity": {"type": "window", "from": "2025-11-01T00:00", "until": "2025-12-01T00:00"}}]}));
    let m = ok(
        "replay",
        &json!({"rules": r, "events": [
        {"id": "j", "at": 1_762_740_000_000_i64, "type": "joined", "member": "m1"},
        {"id": "c", "at": 1_762_740_060_000_i64, "type": "coupon_claimed", "template": "nov", "coupon": "k"}]}),
    );
    let cart = json!({"lines": [line("a", 5000, 1, "c")]});
    assert_eq!(quote(&r, Some(&m), cart.clone(), 1_764_518_399_999)["totals"]["coupon_discount"], 100);
    assert_eq!(quote(&r, Some(&m), cart, 1_764_518_400_000)["coupons"]["unusable"][0]["code"], "COUPON_EXPIRED");
}

#[test]
fn month_end_after_january_2028_is_the_leap_day() {
    // Earned 2028-01-31 10:00 +08:00 (02:00Z = 1832896800000), expiring at
    // the end of the next month: 2028-02-29 23:59:59.999 +08:00 = 1835452799999.
    let r = rules(json!({"points": {"earn_per_yuan": 1, "expiry": {"type": "month_end", "months": 1},
                                    "activities": {"share": {"points": 100}}}}));
    let m = ok(
        "replay",
        &json!({"rules": r, "events": [
        {"id": "j", "at": 1_832_893_200_000_i64, "type": "joined", "member": "m1"},
        {"id": "s", "at": 1_832_896_800_000_i64, "type": "activity", "name": "share"}]}),
    );
    assert_eq!(m["points"]["lots"][0]["expires_at"], 1_835_452_799_999_i64);
    let s = ok("member_summary", &json!({"rules": r, "member": m, "now": 1_832_896_800_000_i64}));
    assert_eq!(s["points_expiring"], json!([{"date": "2028-02-29", "points": 100}]));
}

#[test]
fn a_leap_day_birthday_falls_on_february_28_in_2027() {
    let r = tiers(
        rules(json!({})),
        json!([{"id": "m", "name": "m", "threshold": 0,
        "benefits": {"birthday": {"when": "day", "points_multiplier_pct": 200}}}]),
    );
    let m = member(&r, &[], &[json!({"id": "p", "at": T0 + MIN, "type": "profile_set", "birthday": "02-29"})]);
    // 2027-02-28 12:00 +08:00 = 04:00Z = 1803787200000; 2028-02-28 12:00 = 1835323200000.
    assert_eq!(ok("member_summary", &json!({"rules": r, "member": m, "now": 1_803_787_200_000_i64}))["birthday"], true);
    assert_eq!(
        ok("member_summary", &json!({"rules": r, "member": m, "now": 1_835_323_200_000_i64}))["birthday"],
        false
    );
}

// ------------------------------------------------------------------ tiers

#[test]
fn the_member_module_worked_example() {
    // Tiers 0 / 1000 / 5000, gold retains 2000 a year. Gold on 2025-03-10;
    // the 2026-01-01 review skips it; 1500 earned in 2026 → silver on
    // 2027-01-01 (silver retains 500 ≤ 1500).
    let r = json!({"schema": 1,
        "membership": {"growth": {"per_yuan": 1}, "review": {"period": "year"}, "tiers": [
            {"id": "member", "name": "member", "threshold": 0},
            {"id": "silver", "name": "silver", "threshold": 1000, "retain": 500},
            {"id": "gold", "name": "gold", "threshold": 5000, "retain": 2000, "benefits": {"discount_bp": 9000}}]},
        "points": {"earn_per_yuan": 1, "expiry": {"type": "never"}}});
    let order = |id: &str, placed: i64, fen: i64| -> Vec<Value> {
        vec![
            json!({"id": format!("{id}p"), "at": placed, "type": "order_placed", "order": id, "cart": {"lines": [line("x", fen, 1, "c")]}}),
            json!({"id": format!("{id}d"), "at": placed + DAY, "type": "order_completed", "order": id}),
        ]
    };
    let mut events = vec![json!({"id": "j", "at": 1_736_042_400_000_i64, "type": "joined", "member": "m1"})]; // 2025-01-05 10:00
    events.extend(order("o1", 1_741_485_600_000, 500_000)); // 2025-03-09 10:00, ¥5000 → 5000
                                                            // 2026-05-30 00:00: ¥1666.67 at 9折 = 1666.67 − 166.67 = ¥1500.00 → 1500.
    events.extend(order("o2", 1_780_070_400_000, 166_667));
    let m = ok("replay", &json!({"rules": r, "events": events}));
    assert_eq!(m["tier"], "gold");
    assert_eq!(m["growth_total"], 6500);
    // 2026-12-31 23:59:59.999 +08:00 = 1798732799999; 2027-01-01 00:00 = 1798732800000.
    let before = ok(
        "apply_event",
        &json!({"rules": r, "member": m, "event": {"id": "t", "at": 1_798_732_799_999_i64, "type": "time_advanced"}}),
    )["member"]
        .clone();
    assert_eq!(before["tier"], "gold");
    let after = ok(
        "apply_event",
        &json!({"rules": r, "member": m, "event": {"id": "t", "at": 1_798_732_800_000_i64, "type": "time_advanced"}}),
    )["member"]
        .clone();
    assert_eq!(after["tier"], "silver");
    // A quote on 2027-01-05 runs the due review: no gold 9折 on ¥100.
    let q = quote(&r, Some(&m), json!({"lines": [line("a", 10000, 1, "c")]}), 1_799_078_400_000);
    assert_eq!(q["totals"]["payable"], 10000);
}

#[test]
fn spend_needed_for_the_next_tier_rounds_up() {
    // 3 growth a yuan; ¥33 paid → floor(3300 × 3 / 100) = 99; silver at
    // 1000 needs 901 more: 90100 / 3 = 30033.3 → 30034 fen (30033 fen would
    // give 900.99 → 900).
    let r = tiers(
        rules(json!({})),
        json!([{"id": "m", "name": "m", "threshold": 0}, {"id": "s", "name": "s", "threshold": 1000}]),
    );
    let mut r = r;
    r["membership"]["growth"]["per_yuan"] = json!(3);
    let m = member(
        &r,
        &[],
        &[
            ev(
                "o1",
                T0 + MIN,
                json!({"type": "order_placed", "order": "o1", "cart": {"lines": [line("x", 3300, 1, "c")]}}),
            ),
            ev("d1", T0 + 2 * MIN, json!({"type": "order_completed", "order": "o1"})),
        ],
    );
    let s = ok("member_summary", &json!({"rules": r, "member": m, "now": T0 + 3 * MIN}));
    assert_eq!(s["growth"], 99);
    assert_eq!(s["next_tier"]["spend_needed"], 30034);
}

#[test]
fn a_30_day_card_ends_at_local_midnight_of_day_30() {
    // Bought 2026-03-01 10:00 +08:00: days 1..30 are 03-01..03-30, so the
    // card ends 2026-03-30 23:59:59.999 +08:00 = 15:59:59.999Z = 1774886399999.
    let r = json!({"schema": 1,
        "membership": {"growth": {"per_yuan": 1}, "tiers": [{"id": "m", "name": "m", "threshold": 0}],
                       "paid_plans": [{"id": "plus", "name": "plus", "price": 1500, "days": 30}]},
        "points": {"earn_per_yuan": 1, "expiry": {"type": "never"}}});
    let m = ok(
        "replay",
        &json!({"rules": r, "events": [
        {"id": "j", "at": 1_772_326_800_000_i64, "type": "joined", "member": "m1"},
        {"id": "p", "at": 1_772_330_400_000_i64, "type": "membership_purchased", "plan": "plus"}]}),
    );
    assert_eq!(m["paid"]["until"], 1_774_886_399_999_i64);
}
