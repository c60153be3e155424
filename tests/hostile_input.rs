//! Hostile input: every case here must come back as an error value with a
//! code and a path (or, where the input is merely odd, as a sane answer) —
//! never a panic, an overflow, a stack overflow or a runaway allocation.
//!
//! Cases go through `ops::call`, the one entry every host uses, so they
//! exercise JSON parsing, shape errors, rule validation and the engine. The
//! inputs the fuzzers (`fuzz/`) found are at the end, one test each.

mod support;

use serde_json::{json, Value};
use siyu::{demo, ops};

// ------------------------------------------------------------------ helpers

fn rules() -> Value {
    serde_json::from_str(demo::RULES).unwrap()
}

fn events() -> Value {
    serde_json::from_str(demo::MEMBER_EVENTS).unwrap()
}

fn cart() -> Value {
    serde_json::from_str(demo::CART).unwrap()
}

fn member() -> Value {
    let out = call("replay", &json!({ "rules": rules(), "events": events() }));
    out["ok"].clone()
}

/// `ops::call` on a value; the answer must be one JSON envelope.
fn call(op: &str, input: &Value) -> Value {
    call_text(op, &input.to_string())
}

fn call_text(op: &str, input: &str) -> Value {
    let out = ops::call(op, input);
    let v: Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("ops::call must answer JSON ({e}): {out:.200}"));
    let o = v.as_object().expect("an envelope object");
    assert_eq!(o.len(), 1, "exactly one of ok / error");
    assert!(o.contains_key("ok") || o.contains_key("error"));
    v
}

/// Every (code, path) in an error and its problems.
fn problems(e: &Value) -> Vec<(String, String)> {
    let mut out = vec![(e["code"].as_str().unwrap().to_string(), e["path"].as_str().unwrap().to_string())];
    for p in e["problems"].as_array().into_iter().flatten() {
        out.extend(problems(p));
    }
    out
}

/// The answer is an error; one of its problems has `code` at a path that
/// starts with `path`. Returns the error.
#[track_caller]
fn refused(out: &Value, code: &str, path: &str) -> Value {
    let e =
        out.get("error").unwrap_or_else(|| panic!("expected an error {code} at {path}, got {:.300}", out.to_string()));
    assert!(e["code"].as_str().is_some_and(|c| !c.is_empty()), "an error has a code");
    assert!(e["path"].is_string(), "an error has a path");
    assert!(e["zh"].is_string() && e["en"].is_string(), "an error says why in Chinese and English");
    let all = problems(e);
    assert!(all.iter().any(|(c, p)| c == code && p.starts_with(path)), "expected {code} at {path}…, got {all:?}");
    e.clone()
}

fn quote_input(cart: Value) -> Value {
    json!({ "rules": rules(), "member": member(), "cart": cart, "now": demo::NOW })
}

fn line(sku: &str, category: &str, unit_price: Value, quantity: Value) -> Value {
    json!({ "sku": sku, "category": category, "unit_price": unit_price, "quantity": quantity })
}

fn one_line_cart(unit_price: Value, quantity: Value) -> Value {
    json!({ "lines": [line("tea-puer", "tea", unit_price, quantity)] })
}

// ------------------------------------------------------- prices, quantities

#[test]
fn negative_prices_are_refused_with_their_path() {
    let out = call("quote", &quote_input(one_line_cart(json!(-1), json!(1))));
    refused(&out, "BAD_PRICE", "cart.lines[0].unit_price");
    let mut r = rules();
    r["catalog"][0]["price"] = json!(-100);
    r["coupons"][0]["amount"] = json!(-5);
    r["shipping"]["fee"] = json!(-1);
    let out = call("validate_rules", &json!({ "rules": r }));
    refused(&out, "OUT_OF_RANGE", "rules.catalog[0].price");
    refused(&out, "OUT_OF_RANGE", "rules.coupons[0].amount");
    refused(&out, "OUT_OF_RANGE", "rules.shipping.fee");
}

#[test]
fn zero_negative_and_huge_quantities_are_refused() {
    for q in [json!(0), json!(-1), json!(10_000), json!(i64::MAX), json!(i64::MIN)] {
        let out = call("quote", &quote_input(one_line_cart(json!(6800), q.clone())));
        refused(&out, "BAD_QUANTITY", "cart.lines[0].quantity");
    }
    // Beyond i64, or not an integer at all: a shape error on that field.
    for q in [json!(u64::MAX), json!(1.5), json!("3"), json!(null), json!(1e300)] {
        let out = call("quote", &quote_input(one_line_cart(json!(6800), q.clone())));
        refused(&out, "WRONG_TYPE", "cart.lines[0].quantity");
    }
}

#[test]
fn i64_max_amounts_are_refused_not_overflowed() {
    let out = call("quote", &quote_input(one_line_cart(json!(i64::MAX), json!(2))));
    refused(&out, "BAD_PRICE", "cart.lines[0].unit_price");
    let out = call(
        "quote",
        &quote_input(json!({ "lines": [line("tea-puer", "tea", json!(6800), json!(1))], "points": i64::MAX })),
    );
    refused(&out, "POINTS_NOT_WHOLE_UNITS", "cart.points");
    let out = call(
        "quote",
        &quote_input(
            json!({ "lines": [line("tea-puer", "tea", json!(6800), json!(1))], "points": i64::MAX / 100 * 100 }),
        ),
    );
    refused(&out, "INSUFFICIENT_POINTS", "cart.points");
    let out = call(
        "quote",
        &quote_input(json!({ "lines": [line("tea-puer", "tea", json!(6800), json!(1))], "points": i64::MIN })),
    );
    refused(&out, "NEGATIVE", "cart.points");

    let mut r = rules();
    r["catalog"][1]["price"] = json!(i64::MAX);
    r["coupons"][0]["amount"] = json!(i64::MAX);
    r["coupons"][0]["threshold"] = json!(i64::MAX);
    r["coupons"][2]["cap"] = json!(i64::MAX);
    r["shipping"]["fee"] = json!(i64::MAX);
    r["shipping"]["free_over"] = json!(i64::MAX);
    r["membership"]["growth"]["per_yuan"] = json!(i64::MAX);
    r["membership"]["tiers"][1]["threshold"] = json!(i64::MAX);
    r["points"]["earn_per_yuan"] = json!(i64::MAX);
    r["points"]["redeem"]["unit_fen"] = json!(i64::MAX);
    r["points"]["mall"][0]["cost"] = json!(i64::MAX);
    r["campaigns"][0]["items"][0]["stock"] = json!(i64::MAX);
    r["campaigns"][3]["tiers"][0]["reward"]["amount_off"] = json!(i64::MAX);
    let out = call("validate_rules", &json!({ "rules": r }));
    let e = refused(&out, "OUT_OF_RANGE", "rules.shipping.fee");
    for path in [
        "catalog[1].price",
        "coupons[0].amount",
        "coupons[2].cap",
        "points.earn_per_yuan",
        "points.redeem.unit_fen",
        "points.mall[0].cost",
    ] {
        assert!(
            problems(&e).iter().any(|(_, p)| p == &format!("rules.{path}")),
            "no problem at {path}: {:?}",
            problems(&e)
        );
    }
}

#[test]
fn the_largest_cart_allowed_cannot_overflow() {
    // 500 lines × 9,999 units × ¥100,000,000: about 5 × 10^16 fen, well
    // inside i64; whatever the answer, it is a value, not a panic.
    let lines: Vec<Value> =
        (0..500).map(|i| line(&format!("sku-{i}"), "tea", json!(10_000_000_000i64), json!(9_999))).collect();
    let out = call("quote", &quote_input(json!({ "lines": lines, "points": "max" })));
    if let Some(ok) = out.get("ok") {
        assert!(ok["totals"]["payable"].as_i64().unwrap() > 0);
    } else {
        let e = &out["error"];
        assert!(e["code"].is_string() && e["path"].is_string());
    }
    // Quantity discounts walk every unit: 500 lines × 9,999 units of one
    // campaign's SKUs still answers.
    let lines: Vec<Value> =
        (0..500).map(|_| line("snack-nuts", "snacks", json!(10_000_000_000i64), json!(9_999))).collect();
    let out = call("quote", &quote_input(json!({ "lines": lines })));
    assert!(out.get("ok").is_some() || out["error"]["code"].is_string());
}

#[test]
fn ten_thousand_line_carts_are_refused() {
    let lines: Vec<Value> = (0..10_000).map(|_| line("tea-puer", "tea", json!(6800), json!(1))).collect();
    let out = call("quote", &quote_input(json!({ "lines": lines })));
    refused(&out, "TOO_MANY", "cart.lines");
    // An empty cart too.
    let out = call("quote", &quote_input(json!({ "lines": [] })));
    refused(&out, "CART_EMPTY", "cart.lines");
}

// --------------------------------------------------------------- JSON shape

#[test]
fn deeply_nested_json_is_a_syntax_error_not_a_stack_overflow() {
    for text in [
        "[".repeat(100_000),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        "{\"a\":".repeat(100_000),
        format!("{{\"rules\":{}", "[".repeat(100_000)),
    ] {
        for op in ["quote", "validate_rules", "replay", "apply_event"] {
            let out = call_text(op, &text);
            refused(&out, "JSON_SYNTAX", "");
        }
    }
    // Nesting just under the parser's limit lands on a typed field and is a
    // shape error there.
    let mut deep = json!(1);
    for _ in 0..100 {
        deep = json!([deep]);
    }
    let mut r = rules();
    r["merchant"] = deep;
    let out = call("validate_rules", &json!({ "rules": r }));
    refused(&out, "WRONG_TYPE", "rules.merchant");
}

#[test]
fn malformed_and_empty_input_is_a_syntax_error() {
    for text in [
        "",
        " ",
        "{",
        "}",
        "nul",
        "{\"rules\":}",
        "\u{feff}{}",
        "[1,]",
        "{\"a\":1,}",
        "\"\\ud800\"",
        "{\"a\":\"\\u0000",
    ] {
        let out = call_text("quote", text);
        refused(&out, "JSON_SYNTAX", "");
    }
    // Well-formed JSON of the wrong shape.
    for v in [json!(null), json!([]), json!(1), json!("quote"), json!({})] {
        let out = call("quote", &v);
        assert!(out.get("error").is_some(), "{v} must be refused");
    }
    refused(&call("quote", &json!({})), "MISSING_FIELD", "rules");
}

#[test]
fn strange_strings_are_data_not_trouble() {
    // A lone surrogate cannot be decoded; control characters, U+FFFD,
    // U+0000 and right-to-left marks are just characters in an id.
    let out = call_text(
        "quote",
        r#"{"rules":{},"cart":{"lines":[{"sku":"\udc00","category":"x","unit_price":1,"quantity":1}]},"now":0}"#,
    );
    refused(&out, "JSON_SYNTAX", "");
    for sku in ["\u{0}", "\u{fffd}\u{fffd}", "\u{202e}evil", "a\nb", "🍵", "\\"] {
        let out = call("quote", &quote_input(json!({ "lines": [line(sku, "tea", json!(100), json!(1))] })));
        assert!(out.get("ok").is_some(), "sku {sku:?}: {:.300}", out.to_string());
        assert_eq!(out["ok"]["lines"][0]["sku"], sku);
    }
    // Unknown operations are named back, clipped.
    let long = "x".repeat(10_000);
    let e = refused(&call_text(&long, "{}"), "UNKNOWN_OPERATION", "op");
    assert!(e["en"].as_str().unwrap().len() < 200);
    refused(&call_text("", "{}"), "UNKNOWN_OPERATION", "op");
    refused(&call_text("quote\u{0}", "{}"), "UNKNOWN_OPERATION", "op");
}

// -------------------------------------------------------------- ids, scopes

#[test]
fn empty_strings_are_refused_where_an_id_is_needed() {
    let out = call("quote", &quote_input(json!({ "lines": [line("", "tea", json!(100), json!(1))] })));
    refused(&out, "BAD_ID", "cart.lines[0].sku");
    let mut r = rules();
    r["coupons"][0]["id"] = json!("");
    r["membership"]["tiers"][1]["id"] = json!("");
    let out = call("validate_rules", &json!({ "rules": r }));
    refused(&out, "BAD_ID", "rules.coupons[0].id");
    refused(&out, "BAD_ID", "rules.membership.tiers[1].id");
    let out = call(
        "apply_event",
        &json!({ "rules": rules(), "event": { "id": "", "at": demo::NOW, "type": "joined", "member": "m" } }),
    );
    refused(&out, "BAD_ID", "event.id");
    let out = call(
        "apply_event",
        &json!({ "rules": rules(), "event": { "id": "e1", "at": demo::NOW, "type": "joined", "member": "" } }),
    );
    refused(&out, "BAD_ID", "event.member");
    let out = call(
        "apply_event",
        &json!({ "rules": rules(), "member": member(), "event": { "id": "e99", "at": demo::NOW, "type": "order_placed", "order": "", "cart": cart() } }),
    );
    refused(&out, "BAD_ID", "event.order");
}

#[test]
fn ten_kilobyte_ids_are_refused() {
    let big = "龙".repeat(3_500); // 10.5 KB of UTF-8
    let out = call("quote", &quote_input(json!({ "lines": [line(&big, "tea", json!(100), json!(1))] })));
    refused(&out, "BAD_ID", "cart.lines[0].sku");
    let out = call("quote", &quote_input(json!({ "lines": [line("tea-puer", &big, json!(100), json!(1))] })));
    refused(&out, "BAD_ID", "cart.lines[0].category");
    let mut r = rules();
    r["coupons"][0]["id"] = json!(big);
    r["campaigns"][0]["id"] = json!(big);
    let out = call("validate_rules", &json!({ "rules": r }));
    refused(&out, "BAD_ID", "rules.coupons[0].id");
    refused(&out, "BAD_ID", "rules.campaigns[0].id");
    let out = call(
        "apply_event",
        &json!({ "rules": rules(), "event": { "id": big, "at": demo::NOW, "type": "joined", "member": "m" } }),
    );
    refused(&out, "BAD_ID", "event.id");
    let out = call(
        "apply_event",
        &json!({ "rules": rules(), "event": { "id": "e1", "at": demo::NOW, "type": "joined", "member": big } }),
    );
    refused(&out, "BAD_ID", "event.member");
    let out = call(
        "apply_event",
        &json!({ "rules": rules(), "member": member(), "event": { "id": "e99", "at": demo::NOW, "type": "coupon_claimed", "template": "no-threshold-10", "coupon": big } }),
    );
    refused(&out, "BAD_ID", "event.coupon");
    // A coupon id the wallet does not hold, however long.
    let out = call(
        "quote",
        &quote_input(json!({ "lines": [line("tea-puer", "tea", json!(6800), json!(1))], "coupons": [big] })),
    );
    refused(&out, "COUPON_NOT_FOUND", "cart.coupons[0]");
}

#[test]
fn unknown_skus_and_categories_in_scopes_are_refused() {
    let mut r = rules();
    r["coupons"][2]["scope"] = json!({ "skus": ["no-such-tea"], "categories": ["no-such-category"] });
    r["coupons"][7]["sku"] = json!("no-such-tea");
    r["campaigns"][0]["items"][0]["sku"] = json!("no-such-pot");
    r["campaigns"][3]["scope"] = json!({ "exclude_skus": ["nope"] });
    r["points"]["mall"][1]["reward"]["sku"] = json!("nope");
    let out = call("validate_rules", &json!({ "rules": r }));
    refused(&out, "UNKNOWN_SKU", "rules.coupons[2].scope.skus[0]");
    refused(&out, "UNKNOWN_CATEGORY", "rules.coupons[2].scope.categories[0]");
    refused(&out, "UNKNOWN_SKU", "rules.coupons[7].sku");
    refused(&out, "UNKNOWN_SKU", "rules.campaigns[0].items[0].sku");
    refused(&out, "UNKNOWN_SKU", "rules.campaigns[3].scope.exclude_skus[0]");
    refused(&out, "UNKNOWN_SKU", "rules.points.mall[1].reward.sku");
    // A SKU the catalog does not know in a cart is priced as given.
    let out = call("quote", &quote_input(json!({ "lines": [line("no-such-tea", "tea", json!(1234), json!(2))] })));
    assert_eq!(out["ok"]["lines"][0]["list"], 2468);
}

#[test]
fn duplicate_ids_are_refused() {
    let mut r = rules();
    let c0 = r["coupons"][0].clone();
    r["coupons"].as_array_mut().unwrap().push(c0);
    let t0 = r["membership"]["tiers"][0]["id"].clone();
    r["membership"]["tiers"][1]["id"] = t0;
    let s0 = r["catalog"][0].clone();
    r["catalog"].as_array_mut().unwrap().push(s0);
    let out = call("validate_rules", &json!({ "rules": r }));
    refused(&out, "DUPLICATE_ID", "rules.coupons[9].id");
    refused(&out, "DUPLICATE_ID", "rules.membership.tiers[1].id");
    refused(&out, "DUPLICATE_ID", "rules.catalog[9].sku");

    // The same event twice.
    let mut ev = events();
    let e1 = ev[1].clone();
    ev.as_array_mut().unwrap().insert(2, e1);
    let out = call("replay", &json!({ "rules": rules(), "events": ev }));
    refused(&out, "DUPLICATE_EVENT", "events[2].event.id");
    // The same order id twice.
    let mut ev = events();
    let mut again = ev[6].clone();
    again["id"] = json!("e7b");
    again["order"] = json!("o1");
    ev.as_array_mut().unwrap().insert(7, again);
    let out = call("replay", &json!({ "rules": rules(), "events": ev }));
    refused(&out, "DUPLICATE_ORDER", "events[7].event.order");
    // The same coupon id claimed twice.
    let claim = |id: &str| json!({ "id": id, "at": demo::NOW, "type": "coupon_claimed", "template": "no-threshold-10", "coupon": "c" });
    let m = call("apply_event", &json!({ "rules": rules(), "member": member(), "event": claim("x1") }))["ok"]["member"]
        .clone();
    let out = call("apply_event", &json!({ "rules": rules(), "member": m, "event": claim("x2") }));
    refused(&out, "DUPLICATE_COUPON", "event.coupon");
    // The same coupon named twice in a cart is used once.
    let out = call("quote", &quote_input(json!({ "lines": cart()["lines"], "coupons": ["e15", "e15"] })));
    assert_eq!(out["ok"]["coupons"]["applied"].as_array().unwrap().len(), 1);
}

#[test]
fn events_out_of_order_are_refused() {
    let mut ev = events();
    let a = ev[5]["at"].clone();
    ev[5]["at"] = ev[4]["at"].clone();
    ev[4]["at"] = a;
    let out = call("replay", &json!({ "rules": rules(), "events": ev }));
    refused(&out, "EVENT_OUT_OF_ORDER", "events[5].event.at");
    // An event before the member joined, a second join, an order never placed.
    let out = call(
        "apply_event",
        &json!({ "rules": rules(), "event": { "id": "e1", "at": demo::NOW, "type": "checked_in" } }),
    );
    refused(&out, "MEMBER_NOT_JOINED", "event");
    let out = call(
        "apply_event",
        &json!({ "rules": rules(), "member": member(), "event": { "id": "e99", "at": demo::NOW, "type": "joined", "member": "m" } }),
    );
    refused(&out, "ALREADY_JOINED", "event");
    let out = call(
        "apply_event",
        &json!({ "rules": rules(), "member": member(), "event": { "id": "e99", "at": demo::NOW, "type": "order_completed", "order": "nope" } }),
    );
    refused(&out, "ORDER_NOT_FOUND", "event.order");
    // Refunding more than was bought, or a line that does not exist.
    for (line, qty, code, path) in [
        (0, 99, "REFUND_TOO_MANY", "event.lines[0].quantity"),
        (0, 0, "REFUND_TOO_MANY", "event.lines[0].quantity"),
        (0, -5, "REFUND_TOO_MANY", "event.lines[0].quantity"),
        (99, 1, "BAD_LINE", "event.lines[0].line"),
    ] {
        let out = call(
            "apply_event",
            &json!({ "rules": rules(), "member": member(), "event": { "id": "e99", "at": demo::NOW, "type": "order_refunded", "order": "o1", "lines": [{ "line": line, "quantity": qty }] } }),
        );
        refused(&out, code, path);
    }
    let out = call(
        "apply_event",
        &json!({ "rules": rules(), "member": member(), "event": { "id": "e99", "at": demo::NOW, "type": "order_refunded", "order": "o1", "lines": [{ "line": 0, "quantity": i64::MAX }, { "line": 0, "quantity": i64::MAX }] } }),
    );
    refused(&out, "REFUND_TOO_MANY", "event.lines[0].quantity");
}

#[test]
fn times_outside_the_supported_range_are_refused() {
    for now in [json!(i64::MIN), json!(-1), json!(0), json!(i64::MAX)] {
        let out = call("quote", &json!({ "rules": rules(), "cart": one_line_cart(json!(100), json!(1)), "now": now }));
        refused(&out, "TIME_OUT_OF_RANGE", "now");
        let out = call(
            "apply_event",
            &json!({ "rules": rules(), "event": { "id": "e1", "at": now, "type": "joined", "member": "m" } }),
        );
        refused(&out, "TIME_OUT_OF_RANGE", "event.at");
        let out = call("member_summary", &json!({ "rules": rules(), "member": member(), "now": now }));
        assert!(out.get("error").is_some());
    }
}

// ------------------------------------------------------ hand-edited states

#[test]
fn hand_edited_member_states_are_refused() {
    let mut m = member();
    m["points"]["lots"][0]["remaining"] = json!(i64::MAX);
    m["points"]["lots"][1]["remaining"] = json!(i64::MAX);
    m["growth_total"] = json!(i64::MIN);
    let out = call("quote", &json!({ "rules": rules(), "member": m, "cart": cart(), "now": demo::NOW }));
    refused(&out, "OUT_OF_RANGE", "member.points.lots[0].remaining");
    refused(&out, "OUT_OF_RANGE", "member.growth_total");
}

/// Found by probing hand-edited states (see `fuzz/README.md`): instants far
/// outside any calendar overflowed the local-date arithmetic (a panic in a
/// debug build, a wrapped date in release), a review clock at `i64::MIN`
/// made the next answer run reviews for billions of years, and counters at
/// `u32::MAX` overflowed on the next check-in or activity. `Member::check`
/// now refuses them with a path.
#[test]
fn hand_edited_instants_and_counters_are_refused() {
    let now = demo::NOW;
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit)> = vec![
        ("member.reviewed_through", Box::new(|m| m["reviewed_through"] = json!(i64::MIN))),
        ("member.reviewed_through", Box::new(|m| m["reviewed_through"] = json!(i64::MAX))),
        ("member.reviewed_through", Box::new(|m| m["reviewed_through"] = json!(-1_000_000_000_000_000i64))),
        ("member.clock", Box::new(|m| m["clock"] = json!(i64::MIN))),
        ("member.tier_since", Box::new(|m| m["tier_since"] = json!(i64::MAX))),
        ("member.joined_at", Box::new(|m| m["joined_at"] = json!(i64::MAX))),
        ("member.points.lots[0].expires_at", Box::new(|m| m["points"]["lots"][0]["expires_at"] = json!(i64::MAX))),
        ("member.points.lots[0].earned_at", Box::new(|m| m["points"]["lots"][0]["earned_at"] = json!(i64::MIN))),
        ("member.points.history[0].at", Box::new(|m| m["points"]["history"][0]["at"] = json!(i64::MAX))),
        ("member.wallet[0].valid_until", Box::new(|m| m["wallet"][0]["valid_until"] = json!(i64::MAX))),
        ("member.wallet[0].valid_from", Box::new(|m| m["wallet"][0]["valid_from"] = json!(i64::MIN))),
        (
            "member.paid.until",
            Box::new(|m| m["paid"] = json!({ "plan": "plus-month", "since": demo::NOW, "until": i64::MAX })),
        ),
        ("member.growth[0].at", Box::new(|m| m["growth"][0]["at"] = json!(i64::MAX))),
        ("member.orders.o1.placed_at", Box::new(|m| m["orders"]["o1"]["placed_at"] = json!(i64::MIN))),
        (
            "member.check_in.streak",
            Box::new(|m| {
                m["check_in"] = json!({ "last": "2026-11-24", "streak": u32::MAX });
            }),
        ),
        (
            "member.activities.share.today",
            Box::new(|m| {
                m["activities"]["share"] = json!({ "day": "2026-11-25", "today": u32::MAX, "total": u32::MAX });
            }),
        ),
        (
            "member.daily_points.points",
            Box::new(|m| m["daily_points"] = json!({ "day": "2026-11-25", "points": i64::MIN })),
        ),
        (
            "member.points.lots[",
            Box::new(|m| {
                let last = m["points"]["lots"].as_array().unwrap().len() - 1;
                m["points"]["lots"][last]["id"] = json!(u32::MAX);
            }),
        ),
    ];
    for (path, edit) in cases {
        let mut m = member();
        edit(&mut m);
        let inputs = [
            ("quote", json!({ "rules": rules(), "member": m, "cart": cart(), "now": now })),
            ("member_summary", json!({ "rules": rules(), "member": m, "now": now })),
            ("points_history", json!({ "rules": rules(), "member": m, "now": now })),
            ("coupon_wallet", json!({ "rules": rules(), "member": m, "now": now })),
            ("eligible_members", json!({ "rules": rules(), "template": "gold-50", "members": [m], "now": now })),
            (
                "apply_event",
                json!({ "rules": rules(), "member": m, "event": { "id": "zz", "at": now, "type": "checked_in" } }),
            ),
            (
                "apply_event",
                json!({ "rules": rules(), "member": m, "event": { "id": "zz", "at": now, "type": "activity", "name": "share" } }),
            ),
            (
                "apply_event",
                json!({ "rules": rules(), "member": m, "event": { "id": "zz", "at": now, "type": "order_placed", "order": "oz", "cart": cart() } }),
            ),
        ];
        for (op, input) in inputs {
            let out = call(op, &input);
            let e = refused(&out, "OUT_OF_RANGE", if op == "eligible_members" { "members[0]." } else { path });
            assert_eq!(e["code"], "MEMBER_INVALID", "{op} {path}");
        }
    }
    // The untouched state passes the same check.
    assert!(call("member_summary", &json!({ "rules": rules(), "member": member(), "now": now })).get("ok").is_some());
}

/// An object of 300,000 unknown (or repeated) keys is refused with the first
/// 32 problems. (Past the cap, `decode.rs` stops looking: it used to format
/// a message for every key.)
#[test]
fn a_flood_of_unknown_or_repeated_keys_stops_at_the_problem_cap() {
    let unknown: Vec<String> = (0..300_000).map(|i| format!("\"k{i}\":0")).collect();
    let repeated: Vec<String> = (0..300_000).map(|i| format!("\"k{}\":0", i % 1000)).collect();
    for keys in [unknown, repeated] {
        let text = format!("{{\"rules\":{{{}}}}}", keys.join(","));
        let out = call_text("validate_rules", &text);
        assert_eq!(out["error"]["code"], "INPUT_INVALID");
        assert_eq!(out["error"]["problems"].as_array().unwrap().len(), siyu::limits::MAX_PROBLEMS);
    }
}

/// An object's keys are matched to its fields in one pass (`decode.rs`,
/// `Decoder::keys`): in any order, a key given twice is refused at its
/// second appearance whichever field it is, and a field after hundreds of
/// other keys (past the 254 places the pass notes) is still found.
#[test]
fn keys_in_any_order_repeated_or_far_down_the_object() {
    let fields = [r#""sku":"tea-puer""#, r#""category":"tea""#, r#""unit_price":6800"#, r#""quantity":2"#];
    let quote = |line: &str| {
        call_text("quote", &format!(r#"{{"rules":{},"cart":{{"lines":[{line}]}},"now":{}}}"#, rules(), demo::NOW))
    };
    let in_order = quote(&format!("{{{}}}", fields.join(",")));
    let payable = in_order["ok"]["totals"]["payable"].clone();
    assert!(payable.is_i64(), "{in_order:.300}");
    for order in [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]] {
        let line = format!("{{{}}}", order.map(|i| fields[i]).join(","));
        assert_eq!(quote(&line)["ok"]["totals"]["payable"], payable, "{line}");
    }
    for (i, f) in fields.iter().enumerate() {
        let line = format!("{{{},{f}}}", fields.join(","));
        let e = refused(&quote(&line), "WRONG_TYPE", "cart.lines[0].");
        let key = f.split('"').nth(1).unwrap();
        assert_eq!(problems(&e)[1..], [("WRONG_TYPE".to_string(), format!("cart.lines[0].{key}"))], "field {i}");
    }
    // 300 unknown keys before `lines`: each is refused (up to the cap), and
    // `lines`, past the pass's places, is looked up by name and read.
    let cart: Vec<String> = (0..300).map(|i| format!(r#""k{i}":0"#)).collect();
    let text = format!(
        r#"{{"rules":{},"cart":{{{},"lines":[{{{}}}]}},"now":{}}}"#,
        rules(),
        cart.join(","),
        fields.join(","),
        demo::NOW
    );
    let e = refused(&call_text("quote", &text), "UNKNOWN_FIELD", "cart.k0");
    assert_eq!(
        problems(&e).len(),
        1 + siyu::limits::MAX_PROBLEMS,
        "unknown keys, up to the cap, and nothing about lines"
    );
}

/// `lifecycle_alerts` pages: more than 10,000 members, or a member with
/// more than 1,000 orders, is refused with its path, not worked through;
/// a page at those limits is answered.
#[test]
fn lifecycle_alerts_refuses_a_page_past_its_limits() {
    let now = demo::NOW;
    let day = 86_400_000i64;
    let m = |k: usize, n: usize| {
        let orders: Vec<Value> = (0..n).map(|i| json!({"at": now - (i as i64 % 700) * day, "paid": 100})).collect();
        json!({"id": format!("m{k}"), "joined_at": now - 800 * day, "orders": orders})
    };
    let input = |members: Vec<Value>| json!({"rules": rules(), "since": "2000-01-01", "now": now, "members": members});
    let many: Vec<Value> = (0..10_001).map(|k| json!({"id": format!("m{k}"), "joined_at": now})).collect();
    let e = refused(&call("lifecycle_alerts", &input(many)), "TOO_MANY", "members");
    assert_eq!(e["code"], "INPUT_INVALID");
    refused(&call("lifecycle_alerts", &input(vec![m(0, 3), m(1, 1_001)])), "TOO_MANY", "members[1].orders");
    let out = call("lifecycle_alerts", &input(vec![m(0, 1_000), m(1, 1)]));
    assert_eq!(out["ok"]["members"], 2, "{:.300}", out.to_string());
}

/// `channel_stats` pages: more than 10,000 contacts, or a contact with more
/// than 1,000 events, is refused with its path; a page at those limits is
/// answered. A channel number past 2^53 − 1 is refused in the rules.
#[test]
fn channel_stats_refuses_a_page_past_its_limits() {
    let now = demo::NOW;
    let c = |k: usize, n: usize| {
        let events: Vec<Value> = (0..n).map(|i| json!({"kind": "paid", "at": now - i as i64, "fen": 100})).collect();
        json!({"member": format!("m{k}"), "channel": "store-xuhui", "guide": format!("g{}", k % 7), "events": events})
    };
    let input = |contacts: Vec<Value>| json!({"rules": rules(), "from": "2026-01-01", "to": "2026-12-31", "contacts": contacts});
    let many: Vec<Value> = (0..10_001).map(|k| c(k, 0)).collect();
    let e = refused(&call("channel_stats", &input(many)), "TOO_MANY", "contacts");
    assert_eq!(e["code"], "INPUT_INVALID");
    refused(&call("channel_stats", &input(vec![c(0, 3), c(1, 1_001)])), "TOO_MANY", "contacts[1].events");
    let out = call("channel_stats", &input(vec![c(0, 1_000), c(1, 1)]));
    assert_eq!(out["ok"]["total"]["orders"], 1_001, "{:.300}", out.to_string());
    let page: Vec<Value> = (0..10_000).map(|k| c(k, 1)).collect();
    let out = call("channel_stats", &input(page));
    assert_eq!(out["ok"]["guides"].as_array().map(Vec::len), Some(7));
    assert_eq!(out["ok"]["channels"][0]["stats"]["gmv"], 1_000_000);
    let mut r = rules();
    r["channels"][0]["number"] = json!(1u64 << 53);
    refused(&call("validate_rules", &json!({ "rules": r })), "CODE_NUMBER_TOO_LARGE", "rules.channels[0].number");
}

/// A poster input: one image element `a` and the given image URL.
fn poster_with_image(url: &str) -> Value {
    json!({
        "template": {"width": 200, "height": 200, "elements": [
            {"type": "image", "image": "a", "x": 0, "y": 0, "width": 100, "height": 100, "fit": "contain"}]},
        "images": {"a": url},
    })
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in bytes.chunks(3) {
        let b = |i: usize| u32::from(c.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        for k in 0..4 {
            s.push(if k <= c.len() { A[((n >> (18 - 6 * k)) & 63) as usize] as char } else { '=' });
        }
    }
    s
}

/// Hostile image bytes: every prefix of a PNG and a JPEG header, JPEG
/// segments whose lengths point past the end or back into themselves,
/// zero and huge sizes. Each is `BAD_IMAGE` (or a poster), never a panic.
#[test]
fn hostile_images_are_bad_image_not_a_panic() {
    let png = demo::AVATAR_PNG;
    let jpeg: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xC0\x00\x11\x08\x00\x02\x00\x03\x03\x01\x22\x00";
    let mut cases: Vec<String> = Vec::new();
    for n in 0..40 {
        cases.push(format!("data:image/png;base64,{}", base64(&png[..n.min(png.len())])));
        cases.push(format!("data:image/jpeg;base64,{}", base64(&jpeg[..n.min(jpeg.len())])));
    }
    for bytes in [
        &b"\xFF\xD8\xFF\xE1\xFF\xFF"[..],
        b"\xFF\xD8\xFF\xE1\x00\x00",
        b"\xFF\xD8\xFF\xE1\x00\x01",
        b"\xFF\xD8\xFF\xFF\xFF\xFF\xFF\xFF",
        b"\xFF\xD8\xFF\xC0\x00\x11\x08\x00\x00\x00\x00",
        b"\xFF\xD8\xFF\xC0\x00\x11\x08\xFF\xFF\xFF\xFF",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\xFF\xFF\xFF\xFF\x00\x00\x00\x01",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x00\x00\x00\x00\x01",
    ] {
        cases.push(format!("data:image/jpeg;base64,{}", base64(bytes)));
        cases.push(format!("data:image/png;base64,{}", base64(bytes)));
    }
    cases.push("data:image/png;base64,====".into());
    cases.push("data:image/png;base64,".into());
    cases.push(format!("data:image/png;base64,{}", "A".repeat(600 << 10)));
    for url in &cases {
        for op in ["render_poster", "poster_commands"] {
            let out = call(op, &poster_with_image(url));
            if out.get("ok").is_none() {
                let p = problems(&out["error"]);
                assert_eq!(p[0].0, "INPUT_INVALID", "{out}");
                assert!(p[1..].iter().all(|(c, path)| c == "BAD_IMAGE" && path == "images.a"), "{url:.80}: {out}");
            }
        }
    }
}
