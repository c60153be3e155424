//! Every worked example in `docs/rules.md`, run through the public API.
//! The example shop's rules are read from the page itself, so the page and
//! these tests cannot drift apart.

mod support;

use serde_json::{json, Value};
use siyu::time::{LocalTime, Zone};
use siyu::Cart;
use siyu::{Event, Member, Quote, Rules};

const DOC: &str = include_str!("../docs/rules.md");

/// The JSON block that follows `<!-- name -->` in the page.
fn block(name: &str) -> Value {
    let marker = format!("<!-- {name} -->");
    let start = DOC.find(&marker).unwrap_or_else(|| panic!("no {marker} in docs/rules.md"));
    let rest = &DOC[start..];
    let open = rest.find("```json\n").expect("a json block follows the marker") + 8;
    let close = rest[open..].find("```").expect("the block ends");
    serde_json::from_str(&rest[open..open + close]).unwrap_or_else(|e| panic!("{marker}: {e}"))
}

/// The example shop's rules as a JSON value.
fn shop() -> Value {
    block("example-shop")
}

fn rules(v: &Value) -> Rules {
    Rules::parse(&v.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

/// "2026-11-25 12:00" in Beijing time, as UTC milliseconds.
fn bj(s: &str) -> i64 {
    LocalTime::parse(&s.replace(' ', "T")).expect("YYYY-MM-DD HH:MM").instant(Zone::new(480))
}

/// Events written as `[["id", "2026-01-05 10:00", {"type": …}], …]`.
fn events(list: Value) -> Vec<Event> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mut body = e[2].clone();
            body["id"] = e[0].clone();
            body["at"] = json!(bj(e[1].as_str().unwrap()));
            support::from_value(&body).unwrap_or_else(|err| panic!("{e}: {err}"))
        })
        .collect()
}

fn member(r: &Rules, list: Value) -> Member {
    siyu::replay(r, &events(list)).unwrap_or_else(|e| panic!("{e}"))
}

fn cart(v: Value) -> Cart {
    support::from_value(&v).unwrap()
}

fn quote(r: &Rules, m: Option<&Member>, c: Value, now: &str) -> Quote {
    siyu::quote(r, m, &cart(c), bj(now)).unwrap_or_else(|e| panic!("{e}"))
}

fn line(sku: &str, category: &str, unit_price: i64, quantity: i64) -> Value {
    json!({"sku": sku, "category": category, "unit_price": unit_price, "quantity": quantity})
}

/// Concatenate event lists.
fn log(parts: &[Value]) -> Value {
    Value::Array(parts.iter().flat_map(|p| p.as_array().unwrap().clone()).collect())
}

/// The member of Examples 2.1, 2.4 and 3.1: 银卡 from 2026-01-10.
fn silver_log() -> Value {
    json!([
        ["s1", "2026-01-05 10:00", {"type": "joined", "member": "m-silver"}],
        ["s2", "2026-01-06 10:00", {"type": "order_placed", "order": "o1", "cart": {"lines": [line("tea-a", "tea", 16800, 6)]}}],
        ["s3", "2026-01-10 10:00", {"type": "order_completed", "order": "o1"}],
    ])
}

/// The member of Example 2.2 and many more: 金卡 from 2026-03-10, 5,348 points.
fn gold_log() -> Value {
    json!([
        ["g1", "2026-01-05 10:00", {"type": "joined", "member": "m-gold"}],
        ["g2", "2026-03-08 10:00", {"type": "order_placed", "order": "o1", "cart": {"lines": [line("pot", "teaware", 32800, 16)]}}],
        ["g3", "2026-03-10 10:00", {"type": "order_completed", "order": "o1"}],
    ])
}

fn err_apply(r: &Rules, m: &Member, e: Value) -> siyu::Error {
    let ev = events(json!([e])).remove(0);
    support::apply(r, m, &ev).expect_err("the event is refused")
}

fn ok_apply(r: &Rules, m: &Member, e: Value) -> Member {
    let ev = events(json!([e])).remove(0);
    support::apply(r, m, &ev).unwrap_or_else(|e| panic!("{e}"))
}

fn unusable<'q>(q: &'q Quote, id: &str) -> &'q siyu::UnusableCoupon {
    q.coupons.unusable.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("{id} not unusable: {:?}", q.coupons))
}

fn applied(q: &Quote) -> Vec<&str> {
    q.coupons.applied.iter().map(|c| c.id.as_str()).collect()
}

fn usable(q: &Quote) -> Vec<(&str, i64)> {
    q.coupons.usable.iter().map(|c| (c.id.as_str(), c.saving)).collect()
}

fn goods(q: &Quote) -> Vec<i64> {
    q.lines.iter().map(|l| l.goods).collect()
}

fn has_note(q: &Quote, line: usize, code: &str) -> bool {
    q.lines[line].notes.iter().any(|n| n.code == code)
}

fn call(op: &str, input: Value) -> Value {
    serde_json::from_str(&siyu::ops::call(op, &input.to_string())).unwrap()
}

fn end_of(day: &str) -> i64 {
    Zone::new(480).end_of(siyu::time::Date::parse(day).unwrap())
}

// ------------------------------------------------------------ conventions

#[test]
fn conventions() {
    // 5% of ¥1.99 is 9.95 fen: 10 fen come off.
    assert_eq!(siyu::money::percent_off(199, 9500).unwrap(), 10);
    // 2026-12-01 00:30 in Beijing is 2026-11-30T16:30Z.
    let t = bj("2026-12-01 00:30");
    assert_eq!(t, 1_796_056_200_000);
    assert_eq!(Zone::new(0).date(t).to_string(), "2026-11-30");
    assert_eq!(Zone::new(480).date(t).to_string(), "2026-12-01");
}

// ------------------------------------------------------------ 1. the document

#[test]
fn the_smallest_rule_set_is_valid() {
    let out = call("validate_rules", json!({"rules": block("minimal-rules")}));
    assert_eq!(out["ok"]["tiers"], 1, "{out}");
}

/// A row of the `<!-- required-fields -->` table: the object's path as the
/// table writes it (`coupons[]`, `points.activities.*`; "" for the rules),
/// the kind the row is for (`type` `…`), and the fields it requires.
struct Required {
    object: String,
    kind: Option<String>,
    fields: Vec<String>,
}

/// The words between backticks in a table cell.
fn backticked(cell: &str) -> Vec<String> {
    cell.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

fn required_table() -> Vec<Required> {
    let start = DOC.find("<!-- required-fields -->").expect("no <!-- required-fields --> in docs/rules.md");
    let rows = DOC[start..].lines().skip_while(|l| !l.starts_with('|')).take_while(|l| l.starts_with('|'));
    rows.skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let object = backticked(cells[1]);
            let kind = if object.len() == 3 && object[1] == "type" { Some(object[2].clone()) } else { None };
            assert!(object.len() <= 1 || kind.is_some(), "row {row}: write `object`, `type` `kind`");
            Required { object: object.first().cloned().unwrap_or_default(), kind, fields: backticked(cells[2]) }
        })
        .collect()
}

/// Documents holding every object the rules may have, each with its
/// required fields and nothing else but the optional objects on the way
/// to another (a tier's `benefits` to reach `birthday`): the smallest rule
/// set, that set with one of everything, and the kinds that cannot sit
/// side by side (one `expiry`, one `growth.window`).
fn skeletons() -> Vec<Value> {
    let minimal = block("minimal-rules");
    let window = |mut c: Value| {
        c["from"] = json!("2026-01-01T00:00");
        c["until"] = json!("2026-02-01T00:00");
        c
    };
    let mut all = minimal.clone();
    all["membership"]["growth"]["window"] = json!({"type": "cumulative"});
    all["membership"]["tiers"][0]["benefits"] = json!({"birthday": {"when": "day"}});
    all["membership"]["review"] = json!({"period": "year"});
    all["membership"]["paid_plans"] = json!([{"id": "p", "name": "P", "price": 100, "days": 30}]);
    all["points"]["activities"] = json!({"share": {"points": 1}});
    all["points"]["check_in"] = json!({"daily": 1, "streak_bonus": [{"day": 2, "points": 1}]});
    all["points"]["redeem"] = json!({"unit_points": 100, "unit_fen": 100, "max_share_bp": 1000});
    all["points"]["mall"] = json!([
        {"id": "m1", "name": "M", "cost": 1, "reward": {"type": "coupon", "template": "c1"}},
        {"id": "m2", "name": "M", "cost": 1, "reward": {"type": "gift", "sku": "s"}},
    ]);
    all["catalog"] = json!([{"sku": "s", "name": "S", "category": "c", "price": 100}]);
    all["lifecycle"] = json!({"actions": [{"to": "silent"}]});
    all["coupons"] = json!([
        {"id": "c1", "name": "C", "type": "amount_off", "amount": 1, "validity": {"type": "days", "days": 1}},
        {"id": "c2", "name": "C", "type": "percent_off", "pay_bp": 9000, "validity": window(json!({"type": "window"}))},
        {"id": "c3", "name": "C", "type": "shipping", "validity": {"type": "days", "days": 1}},
        {"id": "c4", "name": "C", "type": "exchange", "sku": "s", "validity": {"type": "days", "days": 1}},
    ]);
    all["campaigns"] = json!([
        window(json!({"id": "k1", "name": "K", "type": "flash_sale", "per_member_limit": 1,
                      "items": [{"sku": "s", "price": 1, "stock": 1}]})),
        window(json!({"id": "k2", "name": "K", "type": "limited_discount", "items": [{"sku": "s"}]})),
        window(json!({"id": "k3", "name": "K", "type": "quantity_discount", "nth": 2, "pay_bp": 5000})),
        window(json!({"id": "k4", "name": "K", "type": "full_reduction", "basis": "amount",
                      "tiers": [{"at": 100, "reward": {}}]})),
    ]);
    let with = |pointer: &str, v: Value| {
        let mut d = minimal.clone();
        *d.pointer_mut(pointer).unwrap() = v;
        d
    };
    vec![
        all,
        with("/membership/growth", json!({"per_yuan": 1, "window": {"type": "rolling", "days": 30}})),
        with("/points/expiry", json!({"type": "days", "days": 30})),
        with("/points/expiry", json!({"type": "month_end", "months": 1})),
        with("/points/expiry", json!({"type": "year_end", "years": 1})),
        minimal,
    ]
}

/// An object of a skeleton: its path in an error (`coupons[2].validity`),
/// its path as the table writes it (`coupons[].validity`), its own kind,
/// and the kind of the object it is in (a campaign's, for its items).
struct Node<'v> {
    exact: String,
    general: String,
    kind: Option<&'v str>,
    outer: Option<&'v str>,
    object: &'v serde_json::Map<String, Value>,
}

/// Maps from a name the merchant chooses to an object: their keys are not
/// fields.
const MAPS: [&str; 1] = ["points.activities"];

fn nodes<'v>(v: &'v Value, exact: String, general: String, outer: Option<&'v str>, out: &mut Vec<Node<'v>>) {
    let join = |base: &str, key: &str| if base.is_empty() { key.to_string() } else { format!("{base}.{key}") };
    match v {
        Value::Object(o) => {
            let kind = o.get("type").and_then(Value::as_str);
            for (k, child) in o {
                let general = if MAPS.contains(&general.as_str()) { join(&general, "*") } else { join(&general, k) };
                nodes(child, join(&exact, k), general, kind.or(outer), out);
            }
            if !MAPS.contains(&general.as_str()) {
                out.push(Node { exact, general, kind, outer, object: o });
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                nodes(child, format!("{exact}[{i}]"), format!("{general}[]"), outer, out);
            }
        }
        _ => {}
    }
}

/// The table of required fields is what the engine requires: each field
/// it lists, taken out of a document that has it, is `MISSING_FIELD` at
/// that field's path; the documents hold no other field that is not an
/// object on the way to another; and every row is used.
#[test]
fn every_required_field_is_in_the_table_and_no_other() {
    let table = required_table();
    let mut used = vec![false; table.len()];
    for doc in skeletons() {
        let out = call("validate_rules", json!({"rules": doc}));
        assert_ne!(out["error"]["code"], "INPUT_INVALID", "a skeleton is well formed: {out}");
        let mut all = Vec::new();
        nodes(&doc, String::new(), String::new(), None, &mut all);
        for node in all {
            let mut required: Vec<&str> = Vec::new();
            for (i, row) in table.iter().enumerate() {
                let kind_matches = match (&row.kind, node.kind) {
                    (None, _) => true,
                    (Some(k), Some(own)) => k == own,
                    (Some(k), None) => Some(k.as_str()) == node.outer,
                };
                if row.object == node.general && kind_matches {
                    used[i] = true;
                    required.extend(row.fields.iter().map(String::as_str));
                }
            }
            let at = if node.exact.is_empty() { "the rules".to_string() } else { node.exact.clone() };
            for (key, value) in node.object {
                let on_the_way = value.is_object() || value.as_array().is_some_and(|a| a.iter().all(Value::is_object));
                assert!(
                    required.contains(&key.as_str()) || on_the_way,
                    "{at}.{key} is in a skeleton but the table does not require it"
                );
            }
            for field in required {
                assert!(node.object.contains_key(field), "the table requires {at}.{field}; add it to a skeleton");
                let mut without = doc.clone();
                let pointer = format!("/{}", node.exact.replace(['.', '['], "/").replace(']', ""));
                let parent = if node.exact.is_empty() { &mut without } else { without.pointer_mut(&pointer).unwrap() };
                parent.as_object_mut().unwrap().remove(field);
                let path = if node.exact.is_empty() {
                    format!("rules.{field}")
                } else {
                    format!("rules.{}.{field}", node.exact)
                };
                let out = call("validate_rules", json!({"rules": without}));
                let problems = out["error"]["problems"].as_array().cloned().unwrap_or_default();
                assert!(
                    problems.iter().any(|p| p["code"] == "MISSING_FIELD" && p["path"] == path.as_str()),
                    "without {path}: expected MISSING_FIELD there, got {out}"
                );
            }
        }
    }
    for (row, used) in table.iter().zip(used) {
        assert!(used, "no skeleton has the table's `{}` ({:?})", row.object, row.kind);
    }
}

#[test]
fn example_1_1_validating_and_the_fingerprint() {
    let v = shop();
    let out = call("validate_rules", json!({"rules": v}));
    let ok = &out["ok"];
    assert_eq!(
        (ok["campaigns"].as_i64(), ok["coupons"].as_i64(), ok["schema"].as_i64(), ok["tiers"].as_i64()),
        (Some(0), Some(11), Some(1), Some(3))
    );
    let fp = ok["fingerprint"].as_str().unwrap();
    assert!(fp.starts_with("sha256:") && fp.len() == 71);

    // The block as written on the page (whitespace, key order) and the
    // compact, key-sorted form have the same fingerprint.
    let marker = DOC.find("<!-- example-shop -->").unwrap();
    let open = DOC[marker..].find("```json\n").unwrap() + marker + 8;
    let close = DOC[open..].find("```").unwrap() + open;
    let as_written = Rules::parse(&DOC[open..close]).unwrap();
    assert_eq!(as_written.fingerprint(), fp);
    assert_eq!(rules(&v).fingerprint(), fp);

    // It is the document's: writing a default out is another document.
    let mut with_default = v.clone();
    with_default["campaigns"] = json!([]);
    assert_eq!(rules(&with_default).campaigns, rules(&v).campaigns);
    assert_ne!(rules(&with_default).fingerprint(), fp);

    let mut changed = v.clone();
    changed["shipping"] = json!({"fee": 800, "free_over": 9900});
    assert_ne!(rules(&changed).fingerprint(), fp);
}

// ------------------------------------------------------------ 2. membership

#[test]
fn example_2_1_an_upgrade() {
    let r = rules(&shop());
    let placed = member(&r, json!(silver_log().as_array().unwrap()[..2]));
    assert_eq!(placed.tier, "member");
    let q = &placed.orders["o1"];
    assert_eq!(q.payable, 100_800);
    assert_eq!(q.lines[0].growth, 1008);
    assert_eq!(q.lines[0].points_earned, 1008);

    let m = member(&r, silver_log());
    assert_eq!(m.tier, "silver");
    assert_eq!(m.tier_since, bj("2026-01-10 10:00"));
    assert_eq!(m.growth_total, 1008);
    let s = siyu::summary(&r, m.clone(), bj("2026-01-10 12:00")).unwrap();
    let next = s.next_tier.unwrap();
    assert_eq!((next.id.as_str(), next.growth_needed, next.spend_needed), ("gold", 3992, Some(399_200)));
}

fn review_log() -> Value {
    log(&[
        gold_log(),
        json!([
            ["g4", "2027-05-01 10:00", {"type": "order_placed", "order": "o2", "cart": {"lines": [line("card", "giftcard", 10000, 15)]}}],
            ["g5", "2027-05-05 10:00", {"type": "order_completed", "order": "o2"}],
        ]),
    ])
}

#[test]
fn example_2_2_the_review() {
    let r = rules(&shop());
    let m = member(&r, review_log());
    assert_eq!(m.tier, "gold"); // the 2027-01-01 review skipped them
    assert_eq!(m.orders["o2"].payable, 150_000);
    assert_eq!(m.growth_total, 5248 + 1500);

    let s = siyu::summary(&r, m.clone(), bj("2027-12-31 23:59")).unwrap();
    let rv = s.review.unwrap();
    assert_eq!(rv.at, 1_830_268_800_000);
    assert_eq!(rv.at, bj("2028-01-01 00:00"));
    assert_eq!((rv.earned_in_period, rv.retain, rv.shortfall, rv.exempt), (1500, 2000, 500, false));
    assert_eq!(rv.would_drop_to.unwrap().id, "silver");

    let m = ok_apply(&r, &m, json!(["g6", "2028-01-01 00:00", {"type": "time_advanced"}]));
    assert_eq!(m.tier, "silver");
    assert_eq!(m.tier_since, bj("2028-01-01 00:00"));
}

#[test]
fn example_2_3_after_the_drop() {
    let later = json!([
        ["g6", "2028-01-01 00:00", {"type": "time_advanced"}],
        ["g7", "2028-01-05 10:00", {"type": "order_placed", "order": "o3", "cart": {"lines": [line("bag", "gifts", 1900, 1)]}}],
        ["g8", "2028-01-06 10:00", {"type": "order_completed", "order": "o3"}],
    ]);
    let r = rules(&shop());
    let m = member(&r, log(&[review_log(), later]));
    assert_eq!(m.orders["o3"].lines[0].paid, 1862); // ¥18.62 at 9.8折
    assert_eq!(m.growth_total, 6766);
    assert_eq!(m.growth_measure(&r, bj("2028-01-06 10:00")), 1018);
    assert_eq!(m.tier, "silver");
    let s = siyu::summary(&r, m.clone(), bj("2028-01-06 10:00")).unwrap();
    let next = s.next_tier.unwrap();
    assert_eq!((next.id.as_str(), next.growth_needed, next.spend_needed), ("gold", 3982, Some(398_200)));
}

#[test]
fn example_2_4_paid_membership() {
    let r = rules(&shop());
    let joined = json!([["p1", "2026-11-01 10:00", {"type": "joined", "member": "m-plus"}]]);
    let buy = json!([["p2", "2026-11-25 10:00", {"type": "membership_purchased", "plan": "plus-month"}]]);
    let m = member(&r, log(&[joined.clone(), buy.clone()]));
    let card = m.paid.clone().unwrap();
    assert_eq!(card.until, end_of("2026-12-24"));
    assert_eq!(card.until, 1_798_127_999_999); // 2026-12-24T15:59:59.999Z
    let c = json!({"lines": [line("tea-b", "tea", 6800, 1)]});
    let q = quote(&r, Some(&m), c.clone(), "2026-11-25 12:00");
    assert_eq!((q.totals.goods, q.totals.shipping, q.totals.payable), (6460, 0, 6460));
    let without = quote(&r, Some(&member(&r, joined.clone())), c.clone(), "2026-11-25 12:00");
    assert_eq!(without.totals.payable, 7800);

    let renewed = member(
        &r,
        log(&[
            joined,
            buy,
            json!([["p3", "2026-12-20 10:00", {"type": "membership_purchased", "plan": "plus-month"}]]),
        ]),
    );
    assert_eq!(renewed.paid.as_ref().unwrap().until, end_of("2027-01-23"));
    assert_eq!(quote(&r, Some(&renewed), c.clone(), "2027-01-23 23:59").totals.payable, 6460);
    assert_eq!(quote(&r, Some(&renewed), c, "2027-01-24 00:00").totals.payable, 7800);
}

#[test]
fn example_2_5_member_price_per_line_and_an_excluded_category() {
    let r = rules(&shop());
    let s = member(&r, silver_log());
    let q = quote(&r, Some(&s), json!({"lines": [line("sample", "tea", 3333, 3)]}), "2026-01-12 10:00");
    assert_eq!(q.lines[0].discounts[0].amount, 200);
    assert_eq!((q.totals.goods, q.totals.shipping, q.totals.payable), (9799, 0, 9799));
    assert_eq!(q.points.to_earn, 117);

    let g = member(&r, gold_log());
    let q = quote(&r, Some(&g), json!({"lines": [line("card", "giftcard", 10000, 1)]}), "2026-11-25 12:00");
    assert_eq!(q.totals.payable, 10000);
    assert!(has_note(&q, 0, "MEMBER_PRICE_EXCLUDED"));
    assert_eq!(q.lines[0].notes[0].zh, "「giftcard」类目不参与会员价");
}

#[test]
fn example_2_6_member_day() {
    let r = rules(&shop());
    let g = member(&r, gold_log());
    let c = json!({"lines": [line("tea-a", "tea", 16800, 1)]});
    let q17 = quote(&r, Some(&g), c.clone(), "2026-11-17 12:00");
    assert_eq!(
        (q17.totals.member_discount, q17.totals.payable, q17.points.to_earn, q17.growth_to_earn),
        (840, 15960, 239, 159)
    );
    assert!(!q17.member_day);
    let q18 = quote(&r, Some(&g), c, "2026-11-18 12:00");
    assert!(q18.member_day);
    assert_eq!(
        (q18.totals.member_discount, q18.totals.payable, q18.points.to_earn, q18.growth_to_earn),
        (1680, 15120, 453, 151)
    );
    assert_eq!((q18.points.multiplier_pct, q18.points.occasion_multiplier_pct), (150, 200));
}

#[test]
fn example_2_7_birthday() {
    let r = rules(&shop());
    let g = member(
        &r,
        log(&[gold_log(), json!([["g4", "2026-11-01 09:00", {"type": "profile_set", "birthday": "11-03"}]])]),
    );
    let c = json!({"lines": [line("tea-a", "tea", 16800, 1)]});
    let q = quote(&r, Some(&g), c.clone(), "2026-11-25 12:00");
    assert!(q.birthday);
    assert_eq!((q.totals.payable, q.points.to_earn), (15960, 478));
    let q18 = quote(&r, Some(&g), c, "2026-11-18 12:00");
    assert!(q18.birthday && q18.member_day);
    assert_eq!((q18.points.occasion_multiplier_pct, q18.points.to_earn), (200, 453));

    let g = ok_apply(&r, &g, json!(["g5", "2026-11-25 12:30", {"type": "coupon_claimed", "template": "bday-30"}]));
    assert_eq!(g.wallet[0].valid_until, end_of("2026-12-24"));
    let e = err_apply(&r, &g, json!(["g6", "2026-11-26 10:00", {"type": "coupon_claimed", "template": "bday-30"}]));
    assert_eq!(e.code.as_str(), "COUPON_CLAIM_LIMIT");
    let e = err_apply(&r, &g, json!(["g6", "2026-12-01 10:00", {"type": "coupon_claimed", "template": "bday-30"}]));
    assert_eq!(e.code.as_str(), "COUPON_BIRTHDAY_ONLY");
    let e = err_apply(&r, &g, json!(["g6", "2026-12-01 10:00", {"type": "profile_set", "birthday": "11-04"}]));
    assert_eq!(e.code.as_str(), "BIRTHDAY_ALREADY_SET");

    let b = member(
        &r,
        json!([
            ["b1", "2026-11-01 10:00", {"type": "joined", "member": "m-b"}],
            ["b2", "2026-11-01 10:01", {"type": "profile_set", "birthday": "11-03"}],
        ]),
    );
    let c = json!({"lines": [line("tea-b", "tea", 6800, 1)]});
    assert_eq!(quote(&r, Some(&b), c.clone(), "2026-11-03 12:00").points.to_earn, 136);
    assert_eq!(quote(&r, Some(&b), c, "2026-11-04 12:00").points.to_earn, 68);
    let e = err_apply(&r, &b, json!(["b3", "2026-11-03 12:00", {"type": "coupon_claimed", "template": "bday-30"}]));
    assert_eq!(e.code.as_str(), "COUPON_BIRTHDAY_ONLY");
}

// ---------------------------------------------------------------- 3. points

#[test]
fn example_3_1_earning() {
    let r = rules(&shop());
    let s = member(&r, silver_log());
    let q = quote(&r, Some(&s), json!({"lines": [line("nuts", "snacks", 5900, 1)]}), "2026-01-12 10:00");
    assert_eq!(
        (q.totals.member_discount, q.totals.goods, q.totals.shipping, q.totals.payable),
        (118, 5782, 1000, 6782)
    );
    assert_eq!((q.points.to_earn, q.growth_to_earn, q.points.multiplier_pct), (69, 57, 120));
}

#[test]
fn example_3_2_activities_and_the_daily_cap() {
    let r = rules(&shop());
    let mut day = vec![
        json!(["a1", "2026-11-02 09:00", {"type": "joined", "member": "m-a"}]),
        json!(["a2", "2026-11-02 09:05", {"type": "activity", "name": "follow"}]),
        json!(["a3", "2026-11-02 09:10", {"type": "activity", "name": "share"}]),
        json!(["a4", "2026-11-02 09:11", {"type": "activity", "name": "share"}]),
        json!(["a5", "2026-11-02 09:12", {"type": "activity", "name": "share"}]),
        json!(["a6", "2026-11-02 09:20", {"type": "checked_in"}]),
    ];
    for k in 0..6 {
        day.push(json!([format!("a{}", 7 + k), format!("2026-11-02 09:3{k}"), {"type": "activity", "name": "review"}]));
    }
    let m = member(&r, Value::Array(day));
    let credited: Vec<i64> = m.points.lots.iter().map(|l| l.amount).collect();
    assert_eq!(credited, vec![100, 50, 10, 10, 10, 5, 20, 20, 20, 20, 20, 15]);
    assert_eq!(m.daily_points.points, 200);
    assert_eq!(m.points.balance(bj("2026-11-02 09:35")), 300);
    assert_eq!(
        err_apply(&r, &m, json!(["b1", "2026-11-02 09:40", {"type": "activity", "name": "share"}])).code,
        "ACTIVITY_LIMIT_REACHED"
    );
    assert_eq!(
        err_apply(&r, &m, json!(["b1", "2026-11-02 09:50", {"type": "activity", "name": "review"}])).code,
        "DAILY_CAP_REACHED"
    );
    assert_eq!(
        err_apply(&r, &m, json!(["b1", "2026-11-03 09:00", {"type": "activity", "name": "follow"}])).code,
        "ACTIVITY_LIMIT_REACHED"
    );
    let m = ok_apply(&r, &m, json!(["b1", "2026-11-03 09:00", {"type": "activity", "name": "review"}]));
    assert_eq!(m.points.balance(bj("2026-11-03 09:00")), 320);
}

#[test]
fn example_3_3_check_in_streaks() {
    let r = rules(&shop());
    let mut list = vec![json!(["c0", "2026-10-31 10:00", {"type": "joined", "member": "m-c"}])];
    for (k, d) in ["01", "02", "03", "04", "05", "06", "07", "08", "10"].iter().enumerate() {
        list.push(json!([format!("c{}", k + 1), format!("2026-11-{d} 08:00"), {"type": "checked_in"}]));
    }
    let m = member(&r, Value::Array(list));
    let got: Vec<i64> = m.points.lots.iter().skip(1).map(|l| l.amount).collect();
    assert_eq!(got, vec![5, 5, 15, 5, 5, 5, 55, 5, 5]);
    assert_eq!(got[..7].iter().sum::<i64>(), 95);
    assert_eq!(m.points.balance(bj("2026-11-10 08:00")), 205);
    assert_eq!(m.check_in.streak, 1);

    let m = member(
        &r,
        json!([
            ["d0", "2026-11-01 10:00", {"type": "joined", "member": "m-d"}],
            ["d1", "2026-11-02 23:30", {"type": "checked_in"}],
            ["d2", "2026-11-03 00:10", {"type": "checked_in"}],
        ]),
    );
    assert_eq!(m.check_in.streak, 2);
    // Both are 2026-11-02 in UTC.
    assert_eq!(Zone::new(0).date(bj("2026-11-02 23:30")), Zone::new(0).date(bj("2026-11-03 00:10")));
    assert_eq!(err_apply(&r, &m, json!(["d3", "2026-11-03 08:00", {"type": "checked_in"}])).code, "CHECK_IN_DUPLICATE");
}

fn lots_log() -> Value {
    json!([
        ["l1", "2026-03-01 10:00", {"type": "joined", "member": "m-l"}],
        ["l2", "2026-03-20 10:00", {"type": "order_placed", "order": "o1", "cart": {"lines": [line("cup", "teaware", 4500, 2)]}}],
        ["l3", "2026-03-31 23:30", {"type": "order_completed", "order": "o1"}],
        ["l4", "2026-03-31 23:40", {"type": "order_placed", "order": "o2", "cart": {"lines": [line("cup", "teaware", 4500, 1)]}}],
        ["l5", "2026-04-01 00:30", {"type": "order_completed", "order": "o2"}],
        ["l6", "2026-05-01 10:00", {"type": "order_placed", "order": "o3", "cart": {"lines": [line("tea-a", "tea", 16800, 1)], "points": 200}}],
    ])
}

#[test]
fn example_3_4_lots_and_expiry_in_local_time() {
    let r = rules(&shop());
    let m = member(&r, lots_log());
    let lots: Vec<(i64, Option<i64>)> = m.points.lots.iter().map(|l| (l.amount, l.expires_at)).collect();
    assert_eq!(
        lots,
        vec![(100, Some(end_of("2027-03-31"))), (90, Some(end_of("2027-03-31"))), (45, Some(end_of("2027-04-30"))),]
    );
    assert_eq!(end_of("2027-03-31"), 1_806_508_799_999); // 2027-03-31T15:59:59.999Z
    assert_eq!(Zone::new(0).date(bj("2026-04-01 00:30")).to_string(), "2026-03-31");
    assert_eq!(m.orders["o1"].payable, 10000);
    let used: Vec<(u32, i64)> = m.orders["o3"].points_from.iter().map(|u| (u.lot, u.points)).collect();
    assert_eq!(used, vec![(1, 100), (2, 90), (3, 10)]);
    assert_eq!(m.orders["o3"].payable, 16600);

    let h = siyu::points_history(&r, m.clone(), bj("2027-04-01 00:00")).unwrap();
    assert_eq!(h.balance, 35);
    assert!(!h.entries.iter().any(|e| e.kind == siyu::EntryKind::Expire));
    let h = siyu::points_history(&r, m.clone(), bj("2027-05-01 00:00")).unwrap();
    assert_eq!(h.balance, 0);
    let expired: Vec<i64> = h.entries.iter().filter(|e| e.kind == siyu::EntryKind::Expire).map(|e| e.delta).collect();
    assert_eq!(expired, vec![-35]);
}

#[test]
fn example_3_5_points_as_cash() {
    let r = rules(&shop());
    let g = member(&r, gold_log());
    let c = |p: Value| json!({"lines": [line("tea-b", "tea", 6800, 1), line("cup", "teaware", 4500, 1)], "points": p});
    let q = quote(&r, Some(&g), c(json!("max")), "2026-11-25 12:00");
    assert_eq!(q.points.balance, 5348);
    assert_eq!(goods(&q), vec![6460, 4275]);
    assert_eq!((q.points.max_usable, q.points.used, q.points.deduction), (3200, 3200, 3200));
    let shares: Vec<(i64, i64)> = q.lines.iter().map(|l| (l.points_deduction, l.points_used)).collect();
    assert_eq!(shares, vec![(1926, 1926), (1274, 1274)]);
    let paid: Vec<i64> = q.lines.iter().map(|l| l.paid).collect();
    assert_eq!(paid, vec![4534, 3001]);
    assert_eq!((q.totals.shipping, q.totals.payable, q.points.to_earn), (0, 7535, 113));

    let refuse = |p: i64| siyu::quote(&r, Some(&g), &cart(c(json!(p))), bj("2026-11-25 12:00")).unwrap_err();
    assert_eq!(refuse(3250).code, "POINTS_NOT_WHOLE_UNITS");
    let e = refuse(3300);
    assert_eq!((e.code.as_str(), e.zh.as_str()), ("POINTS_ABOVE_CAP", "本单最多可用 3200 积分"));
    assert_eq!(refuse(6000).code, "INSUFFICIENT_POINTS");
}

#[test]
fn example_3_6_the_points_mall() {
    let r = rules(&shop());
    let g = member(&r, gold_log());
    let g = ok_apply(&r, &g, json!(["x1", "2026-11-20 10:00", {"type": "mall_exchanged", "item": "m-coupon"}]));
    assert_eq!(g.points.balance(bj("2026-11-20 10:00")), 4848);
    assert_eq!((g.wallet[0].template.as_str(), g.wallet[0].valid_until), ("free-10", end_of("2026-12-19")));
    let g = ok_apply(&r, &g, json!(["x2", "2026-11-20 10:01", {"type": "mall_exchanged", "item": "m-bag"}]));
    assert_eq!(g.points.balance(bj("2026-11-20 10:01")), 2848);
    assert_eq!(g.gifts[0].sku, "bag");

    let a = member(&r, json!([["a1", "2026-11-02 09:00", {"type": "joined", "member": "m-a"}]]));
    let e = err_apply(&r, &a, json!(["a2", "2026-11-02 10:00", {"type": "mall_exchanged", "item": "m-coupon"}]));
    assert_eq!((e.code.as_str(), e.zh.as_str()), ("INSUFFICIENT_POINTS", "积分不足：需要 500，可用 100"));
}

#[test]
fn example_3_7_a_partial_refund() {
    let r = rules(&shop());
    let m = member(
        &r,
        json!([
            ["r1", "2026-11-02 10:00", {"type": "joined", "member": "m-r"}],
            ["r2", "2026-11-02 10:01", {"type": "coupon_claimed", "template": "free-10", "coupon": "c1"}],
            ["r3", "2026-11-03 10:00", {"type": "order_placed", "order": "o1", "cart": {"lines": [line("tea-b", "tea", 6800, 3), line("nuts", "snacks", 5900, 1)]}}],
            ["r4", "2026-11-06 10:00", {"type": "order_completed", "order": "o1"}],
        ]),
    );
    let o = &m.orders["o1"];
    assert_eq!(o.coupons, vec!["c1"]);
    let l: Vec<(i64, i64, i64)> = o.lines.iter().map(|l| (l.paid, l.points_earned, l.growth)).collect();
    assert_eq!(l, vec![(19624, 196, 196), (5676, 57, 57)]);
    assert_eq!(o.payable, 25300);
    assert_eq!(m.points.balance(bj("2026-11-06 10:00")), 353);

    let m = ok_apply(
        &r,
        &m,
        json!(["r5", "2026-11-08 10:00", {"type": "order_refunded", "order": "o1", "lines": [{"line": 0, "quantity": 1}]}]),
    );
    assert_eq!(m.orders["o1"].refunded, 6541);
    assert_eq!(m.points.balance(bj("2026-11-08 10:00")), 353 - 65);
    assert_eq!(m.growth_total, 253 - 65);
    assert!(m.wallet[0].used_by.is_some());

    let m = ok_apply(&r, &m, json!(["r6", "2026-11-09 10:00", {"type": "order_refunded", "order": "o1"}]));
    assert_eq!(m.orders["o1"].refunded, 6541 + 18759);
    assert_eq!(m.orders["o1"].refunded, 25300);
    assert_eq!(m.points.balance(bj("2026-11-09 10:00")), 100);
    assert_eq!(m.growth_total, 0);
    assert_eq!(m.wallet[0].used_by, None);
    assert_eq!(m.wallet[0].valid_until, end_of("2026-12-01"));
}

#[test]
fn example_3_7_a_partial_refund_unit_by_unit() {
    // The two 普洱 refunded one at a time return 6,541 then 6,542.
    let r = rules(&shop());
    let mut m = member(
        &r,
        json!([
            ["r1", "2026-11-02 10:00", {"type": "joined", "member": "m-r"}],
            ["r2", "2026-11-02 10:01", {"type": "coupon_claimed", "template": "free-10", "coupon": "c1"}],
            ["r3", "2026-11-03 10:00", {"type": "order_placed", "order": "o1", "cart": {"lines": [line("tea-b", "tea", 6800, 3), line("nuts", "snacks", 5900, 1)]}}],
            ["r4", "2026-11-06 10:00", {"type": "order_completed", "order": "o1"}],
        ]),
    );
    let mut back = Vec::new();
    for k in 0..3 {
        let before = m.orders["o1"].refunded;
        m = ok_apply(
            &r,
            &m,
            json!([format!("u{k}"), format!("2026-11-0{} 10:00", 7 + k), {"type": "order_refunded", "order": "o1", "lines": [{"line": 0, "quantity": 1}]}]),
        );
        back.push(m.orders["o1"].refunded - before);
    }
    assert_eq!(back, vec![6541, 6541, 6542]);
}

#[test]
fn example_3_8_a_claw_back_that_becomes_a_debt() {
    let r = rules(&shop());
    let m = member(
        &r,
        json!([
            ["d1", "2026-06-01 10:00", {"type": "joined", "member": "m-d"}],
            ["d2", "2026-06-02 10:00", {"type": "order_placed", "order": "o1", "cart": {"lines": [line("tea-a", "tea", 16800, 6)]}}],
            ["d3", "2026-06-05 10:00", {"type": "order_completed", "order": "o1"}],
            ["d4", "2026-06-06 10:00", {"type": "order_placed", "order": "o2", "cart": {"lines": [line("pot", "teaware", 32800, 1)], "points": "max"}}],
        ]),
    );
    assert_eq!(m.tier, "silver");
    let o2 = &m.orders["o2"];
    let used: Vec<(u32, i64)> = o2.points_from.iter().map(|u| (u.lot, u.points)).collect();
    assert_eq!(used, vec![(1, 100), (2, 1000)]);
    assert_eq!((o2.lines[0].paid, o2.payable), (31044, 31044));
    assert_eq!(m.points.balance(bj("2026-06-06 10:00")), 8);

    let m = ok_apply(&r, &m, json!(["d5", "2026-06-10 10:00", {"type": "order_refunded", "order": "o1"}]));
    assert_eq!((m.points.balance(bj("2026-06-10 10:00")), m.points.debt), (0, 1000));
    let m = ok_apply(&r, &m, json!(["d6", "2026-06-12 10:00", {"type": "order_completed", "order": "o2"}]));
    assert_eq!(m.orders["o2"].lines[0].points_earned, 372);
    assert_eq!((m.points.balance(bj("2026-06-12 10:00")), m.points.debt), (0, 628));
    let m = ok_apply(&r, &m, json!(["d7", "2026-06-13 08:00", {"type": "checked_in"}]));
    let s = siyu::summary(&r, m.clone(), bj("2026-06-13 08:00")).unwrap();
    assert_eq!((s.points_balance, s.points_debt), (0, 623));
    assert_eq!((s.tier.id.as_str(), s.growth_total), ("silver", 310));
}

// --------------------------------------------------------------- 4. coupons

fn claim(id: &str, at: &str, template: &str, coupon: &str) -> Value {
    json!([id, at, {"type": "coupon_claimed", "template": template, "coupon": coupon}])
}

fn newcomer() -> Value {
    json!([["v1", "2026-11-25 10:00", {"type": "joined", "member": "m-v"}]])
}

#[test]
fn example_4_1_validity_in_beijing_time() {
    let r = rules(&shop());
    let m = member(
        &r,
        log(&[
            newcomer(),
            json!([
                claim("v2", "2026-11-25 22:00", "tea-5", "c-tea5"),
                claim("v3", "2026-11-25 22:00", "ship", "c-ship"),
                claim("v4", "2026-11-25 22:00", "full-100-20", "c-full"),
            ]),
        ]),
    );
    let until: Vec<i64> = m.wallet.iter().map(|c| c.valid_until).collect();
    assert_eq!(until, vec![end_of("2026-12-08"), end_of("2026-12-24"), 1_796_054_399_999]);
    assert_eq!(m.wallet[2].valid_from, bj("2026-11-01 00:00"));

    let now = "2026-12-01 00:30";
    assert_eq!(Zone::new(0).date(bj(now)).to_string(), "2026-11-30");
    let q = quote(&r, Some(&m), json!({"lines": [line("tea-a", "tea", 16800, 1)]}), now);
    assert_eq!(unusable(&q, "c-full").code, "COUPON_EXPIRED");
    assert_eq!(applied(&q), vec!["c-tea5"]);
    assert_eq!(q.totals.payable, 16300);
    assert_eq!(unusable(&q, "c-ship").code, "COUPON_NO_SHIPPING_FEE");
    let e = err_apply(&r, &m, claim("v5", "2026-12-01 09:00", "full-100-20", "c-full2"));
    assert_eq!(e.code.as_str(), "COUPON_EXPIRED");

    let early = member(
        &r,
        json!([
            ["w1", "2026-10-01 10:00", {"type": "joined", "member": "m-w"}],
            claim("w2", "2026-10-30 10:00", "full-100-20", "c-full"),
        ]),
    );
    let q = quote(&r, Some(&early), json!({"lines": [line("tea-a", "tea", 16800, 1)]}), "2026-10-31 10:00");
    assert_eq!(unusable(&q, "c-full").code, "COUPON_NOT_YET_VALID");
}

#[test]
fn example_4_2_audiences() {
    let r = rules(&shop());
    let v = member(&r, newcomer());
    ok_apply(&r, &v, json!(["v2", "2026-11-25 11:00", {"type": "coupon_claimed", "template": "new-20"}]));
    let e = err_apply(&r, &v, json!(["v2", "2026-11-25 11:00", {"type": "coupon_claimed", "template": "gold-50"}]));
    assert_eq!((e.code.as_str(), e.zh.as_str()), ("COUPON_TIER_REQUIRED", "仅限金卡会员领取"));
    let e = err_apply(&r, &v, json!(["v2", "2026-11-25 11:00", {"type": "coupon_claimed", "template": "fans-88"}]));
    assert_eq!(e.code.as_str(), "COUPON_TAG_REQUIRED");
    let tagged = ok_apply(&r, &v, json!(["v2", "2026-11-25 11:00", {"type": "profile_set", "tags": ["tea-lover"]}]));
    ok_apply(&r, &tagged, json!(["v3", "2026-11-25 11:01", {"type": "coupon_claimed", "template": "fans-88"}]));
    let e = err_apply(&r, &v, json!(["v2", "2026-11-25 11:00", {"type": "coupon_claimed", "template": "plus-15"}]));
    assert_eq!(e.code.as_str(), "COUPON_PAID_MEMBERS_ONLY");

    let s = member(&r, silver_log());
    let e = err_apply(&r, &s, json!(["s4", "2026-11-25 11:00", {"type": "coupon_claimed", "template": "new-20"}]));
    assert_eq!(e.code.as_str(), "COUPON_NEW_MEMBERS_ONLY");

    let t = siyu::eligible_members(&r, "fans-88", vec![tagged.clone(), v.clone()], bj("2026-11-25 12:00")).unwrap();
    assert_eq!(t.eligible, vec!["m-v"]);
    assert_eq!(t.ineligible.len(), 1);
    assert_eq!(t.ineligible[0].code, "COUPON_TAG_REQUIRED");
}

#[test]
fn example_4_3_a_win_back_coupon_for_silent_members() {
    let mut v = shop();
    v["coupons"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "winback-15", "name": "老友回归 15 元券", "type": "amount_off", "amount": 1500,
        "validity": {"type": "days", "days": 7}, "audience": {"segments": ["silent"]}}));
    let r = rules(&v);
    let m = member(
        &r,
        json!([
            ["q1", "2026-02-01 10:00", {"type": "joined", "member": "m-q"}],
            ["q2", "2026-03-01 10:00", {"type": "order_placed", "order": "o1", "cart": {"lines": [line("cup", "teaware", 4500, 1)]}}],
        ]),
    );
    assert_eq!(m.segment(&r, bj("2026-05-29 10:00")), siyu::Segment::AtRisk);
    assert_eq!(m.lifecycle(&r, bj("2026-05-29 10:00")).days_since_last_order, Some(89));
    let e = err_apply(&r, &m, json!(["q3", "2026-05-29 10:00", {"type": "coupon_claimed", "template": "winback-15"}]));
    assert_eq!(e.code.as_str(), "COUPON_SEGMENT_REQUIRED");
    assert_eq!(m.segment(&r, bj("2026-05-30 23:59")), siyu::Segment::AtRisk);
    assert_eq!(m.segment(&r, bj("2026-05-31 00:00")), siyu::Segment::Silent);
    let t = siyu::eligible_members(&r, "winback-15", vec![m], bj("2026-06-01 10:00")).unwrap();
    assert_eq!(t.eligible, vec!["m-q"]);
}

/// The shop with Example 4.3's `winback-15` and §4.8's `lifecycle` block.
fn lifecycle_shop() -> Rules {
    let mut v = shop();
    v["coupons"].as_array_mut().unwrap().push(json!({"id": "winback-15", "name": "老友回归 15 元券",
        "type": "amount_off", "amount": 1500, "validity": {"type": "days", "days": 7},
        "audience": {"segments": ["silent"]}}));
    v["lifecycle"] = block("lifecycle-example");
    rules(&v)
}

fn orders_of(joined: &str, orders: &[(&str, i64)]) -> siyu::MemberOrders {
    siyu::MemberOrders {
        id: "m-l".into(),
        joined_at: bj(joined),
        orders: orders.iter().map(|&(at, paid)| siyu::OrderMark { at: bj(at), paid }).collect(),
    }
}

fn date(s: &str) -> siyu::time::Date {
    siyu::time::Date::parse(s).unwrap()
}

#[test]
fn example_4_10_a_loyal_customer_goes_quiet() {
    let r = lifecycle_shop();
    let m = member(
        &r,
        json!([
            ["l0", "2026-01-05 10:00", {"type": "joined", "member": "m-l"}],
            ["l1", "2026-05-01 10:00", {"type": "order_placed", "order": "o1", "cart": {"lines": [line("cup", "teaware", 12000, 1)]}}],
            ["l2", "2026-07-01 10:00", {"type": "order_placed", "order": "o2", "cart": {"lines": [line("cup", "teaware", 12000, 1)]}}],
            ["l3", "2026-08-03 10:00", {"type": "order_placed", "order": "o3", "cart": {"lines": [line("cup", "teaware", 12000, 1)]}}],
        ]),
    );
    let paid: i64 = m.orders.values().map(|o| o.payable).sum();
    let w = m.lifecycle(&r, bj("2026-09-01 10:00"));
    assert_eq!((w.segment, w.orders_in_window, w.days_since_last_order), (siyu::Segment::Loyal, 3, Some(29)));
    assert_eq!((w.usual_interval_days, w.overdue_after_days), (Some(33), Some(66)));
    let w = m.lifecycle(&r, bj("2026-10-09 10:00"));
    assert_eq!((w.segment, w.decided_by, w.threshold), (siyu::Segment::AtRisk, siyu::Decided::AtRiskDays, 60));
    let s = siyu::summary(&r, m.clone(), bj("2026-11-15 12:00")).unwrap();
    assert_eq!(s.segment, siyu::Segment::Silent);
    assert_eq!(s.lifecycle.days_since_last_order, Some(104));
    assert_eq!((s.lifecycle.decided_by, s.lifecycle.threshold), (siyu::Decided::SilentDays, 90));
    // The batch, from the member's orders (¥120.00 each, as booked).
    assert_eq!(paid, 36000);
    let batch = [orders_of(
        "2026-01-05 10:00",
        &[("2026-05-01 10:00", 12000), ("2026-07-01 10:00", 12000), ("2026-08-03 10:00", 12000)],
    )];
    assert_eq!(siyu::OrderDays::of(&m, Zone::new(480), bj("2026-11-15 12:00")).orders.len(), 3);
    for now in ["2026-11-15 12:00", "2027-01-30 23:59"] {
        let a = siyu::lifecycle_alerts(&r, date("2026-09-01"), bj(now), &batch);
        assert_eq!(a.changed.len(), 1, "{now}");
        let c = &a.changed[0];
        assert_eq!((c.from, c.to, c.on), (Some(siyu::Segment::Loyal), siyu::Segment::Silent, date("2026-11-02")));
        let act = c.action.as_ref().unwrap();
        assert_eq!((act.coupon.as_deref(), act.task.as_deref()), (Some("winback-15"), Some("导购一对一回访")));
    }
    let a = siyu::lifecycle_alerts(&r, date("2026-09-01"), bj("2027-01-31 00:00"), &batch);
    assert_eq!(a.changed[0].to, siyu::Segment::Lost);
}

#[test]
fn example_4_11_a_weekly_buyer() {
    let r = lifecycle_shop();
    let days = ["2026-10-04 10:00", "2026-10-11 10:00", "2026-10-18 10:00", "2026-10-25 10:00"];
    let batch = [orders_of("2026-01-05 10:00", &days.map(|d| (d, 5000)))];
    let h = {
        let z = Zone::new(480);
        let mut h = siyu::OrderDays { joined: Some(z.date(bj("2026-01-05 10:00")).to_days()), orders: vec![] };
        for d in days {
            h.orders.push((z.date(bj(d)).to_days(), 5000));
        }
        h
    };
    let lc = &r.lifecycle;
    let on = |d: &str| h.why(lc, date(d).to_days());
    assert_eq!(on("2026-10-25").segment, siyu::Segment::New);
    assert_eq!(on("2026-11-03").segment, siyu::Segment::New);
    assert_eq!(on("2026-11-04").segment, siyu::Segment::Active);
    assert_eq!((on("2026-11-08").segment, on("2026-11-08").usual_interval_days), (siyu::Segment::Active, Some(7)));
    let w = on("2026-11-09");
    assert_eq!((w.segment, w.decided_by, w.threshold), (siyu::Segment::AtRisk, siyu::Decided::OverduePct, 200));
    assert_eq!(on("2026-12-25").decided_by, siyu::Decided::AtRiskDays);
    assert_eq!(on("2026-12-24").decided_by, siyu::Decided::OverduePct);
    let a = siyu::lifecycle_alerts(&r, date("2026-10-25"), bj("2026-11-09 00:00"), &batch);
    let c = &a.changed[0];
    assert_eq!((c.from, c.to, c.on), (Some(siyu::Segment::New), siyu::Segment::AtRisk, date("2026-11-09")));
    assert_eq!(c.action.as_ref().unwrap().task.as_deref(), Some("提醒导购联系"));
}

#[test]
fn example_4_4_claim_limits_and_stock() {
    let r = rules(&shop());
    let mut m = member(&r, newcomer());
    for k in 0..5 {
        m = ok_apply(
            &r,
            &m,
            json!([format!("f{k}"), "2026-11-25 11:00", {"type": "coupon_claimed", "template": "free-10"}]),
        );
    }
    let e = err_apply(&r, &m, json!(["f5", "2026-11-25 11:00", {"type": "coupon_claimed", "template": "free-10"}]));
    assert_eq!((e.code.as_str(), e.zh.as_str()), ("COUPON_CLAIM_LIMIT", "每人限领 5 张"));
    let m = ok_apply(&r, &m, json!(["t1", "2026-11-25 11:00", {"type": "coupon_claimed", "template": "tea-5"}]));
    let e = err_apply(&r, &m, json!(["t2", "2026-11-25 11:00", {"type": "coupon_claimed", "template": "tea-5"}]));
    assert_eq!((e.code.as_str(), e.zh.as_str()), ("COUPON_CLAIM_LIMIT", "每人限领 1 张"));
    let e = err_apply(
        &r,
        &m,
        json!(["t2", "2026-11-25 11:00", {"type": "coupon_claimed", "template": "tea-90", "stock_left": 0}]),
    );
    assert_eq!(e.code.as_str(), "COUPON_OUT_OF_STOCK");
}

fn wallet_of_five() -> Member {
    let r = rules(&shop());
    member(
        &r,
        json!([
            ["k1", "2026-11-20 09:00", {"type": "joined", "member": "m-k"}],
            claim("k2", "2026-11-20 10:00", "full-100-20", "c-full"),
            claim("k3", "2026-11-20 10:00", "tea-90", "c-tea90"),
            claim("k4", "2026-11-20 10:00", "tea-5", "c-tea5"),
            claim("k5", "2026-11-20 10:00", "free-10", "c-free10"),
            claim("k6", "2026-11-20 10:00", "ship", "c-ship"),
        ]),
    )
}

#[test]
fn example_4_5_the_best_combination() {
    let r = rules(&shop());
    let m = wallet_of_five();
    let c = |coupons: Value| json!({"lines": [line("tea-b", "tea", 6800, 1), line("cup", "teaware", 4500, 2)], "coupons": coupons});
    let q = quote(&r, Some(&m), c(json!("best")), "2026-11-25 12:00");
    assert_eq!(applied(&q), vec!["c-tea90", "c-full"]);
    let savings: Vec<i64> = q.coupons.applied.iter().map(|c| c.saving).collect();
    assert_eq!(savings, vec![680, 2000]);
    let coupon_parts: Vec<Vec<i64>> = q
        .lines
        .iter()
        .map(|l| l.discounts.iter().filter(|d| support::name(&d.step) == "coupon").map(|d| d.amount).collect())
        .collect();
    assert_eq!(coupon_parts, vec![vec![680, 810], vec![1190]]);
    assert_eq!(goods(&q), vec![5310, 7810]);
    assert_eq!((q.totals.coupon_discount, q.totals.goods, q.totals.payable), (2680, 13120, 13120));
    assert_eq!(usable(&q), vec![("c-tea5", 500), ("c-free10", 1000)]);
    assert_eq!(unusable(&q, "c-ship").code, "COUPON_NO_SHIPPING_FEE");

    let q = quote(&r, Some(&m), c(json!(["c-full", "c-free10"])), "2026-11-25 12:00");
    assert_eq!(applied(&q), vec!["c-full"]);
    assert_eq!(q.totals.payable, 13800);
    assert_eq!(unusable(&q, "c-free10").code, "COUPON_NOT_STACKABLE");
}

#[test]
fn example_4_6_thresholds_come_after_the_member_price() {
    let r = rules(&shop());
    let g = member(&r, log(&[gold_log(), json!([claim("g4", "2026-11-20 10:00", "full-100-20", "c-full")])]));
    let q = quote(
        &r,
        Some(&g),
        json!({"lines": [line("cup", "teaware", 4500, 1), line("nuts", "snacks", 5900, 1)]}),
        "2026-11-25 12:00",
    );
    assert_eq!((q.totals.list, q.totals.goods), (10400, 9880));
    let u = unusable(&q, "c-full");
    assert_eq!(
        (u.code.as_str(), u.shortfall, u.zh.as_str()),
        ("COUPON_THRESHOLD_NOT_MET", Some(120), "还差 ¥1.20 可用（门槛 ¥100.00，按优惠后金额计）")
    );
}

#[test]
fn example_4_7_the_soonest_expiring_coupon_is_used_first() {
    let r = rules(&shop());
    let m = member(
        &r,
        json!([
            ["n1", "2026-11-01 09:00", {"type": "joined", "member": "m-n"}],
            claim("n2", "2026-11-01 10:00", "free-10", "c-old"),
            claim("n3", "2026-11-10 10:00", "free-10", "c-new"),
        ]),
    );
    assert_eq!(m.wallet[0].valid_until, end_of("2026-11-30"));
    assert_eq!(m.wallet[1].valid_until, end_of("2026-12-09"));
    let q = quote(&r, Some(&m), json!({"lines": [line("cup", "teaware", 4500, 1)]}), "2026-11-25 12:00");
    assert_eq!(applied(&q), vec!["c-old"]);
    assert_eq!(usable(&q), vec![("c-new", 1000)]);
    assert_eq!((q.totals.goods, q.totals.shipping, q.totals.payable), (3500, 1000, 4500));
}

#[test]
fn example_4_8_an_exclusive_coupon() {
    let r = rules(&shop());
    let m = member(
        &r,
        json!([
            ["x1", "2026-11-20 09:00", {"type": "joined", "member": "m-x"}],
            ["x2", "2026-11-20 09:01", {"type": "profile_set", "tags": ["tea-lover"]}],
            claim("x3", "2026-11-20 10:00", "tea-90", "c-tea90"),
            claim("x4", "2026-11-20 10:00", "full-100-20", "c-full"),
            claim("x5", "2026-11-24 10:00", "fans-88", "c-fans"),
        ]),
    );
    let q = quote(&r, Some(&m), json!({"lines": [line("tea-a", "tea", 16800, 2)]}), "2026-11-25 12:00");
    assert_eq!(applied(&q), vec!["c-fans"]);
    assert_eq!(q.coupons.applied[0].saving, 4032);
    assert_eq!(q.totals.payable, 29568);
    assert_eq!(usable(&q), vec![("c-tea90", 1000), ("c-full", 2000)]);
}

#[test]
fn example_4_9_a_coupon_that_would_cost_the_shopper_money_is_not_used() {
    let r = rules(&shop());
    let m = member(
        &r,
        json!([
            ["y1", "2026-11-20 09:00", {"type": "joined", "member": "m-y"}],
            claim("y2", "2026-11-20 10:00", "tea-5", "c-tea5"),
        ]),
    );
    let c = |coupons: Value| json!({"lines": [line("tea-box", "tea", 10000, 1)], "coupons": coupons});
    let q = quote(&r, Some(&m), c(json!("best")), "2026-11-25 12:00");
    assert!(applied(&q).is_empty());
    assert_eq!(q.totals.payable, 10000);
    assert_eq!(usable(&q), vec![("c-tea5", 500)]);
    let forced = quote(&r, Some(&m), c(json!(["c-tea5"])), "2026-11-25 12:00");
    assert_eq!((forced.totals.goods, forced.totals.shipping, forced.totals.payable), (9500, 1000, 10500));
}

// ------------------------------------------------------------- 5. campaigns

fn shop_with_campaigns() -> Value {
    let mut v = shop();
    v["campaigns"] = block("example-campaigns");
    v
}

fn plain_member() -> Value {
    json!([["p1", "2026-11-01 10:00", {"type": "joined", "member": "m-p"}]])
}

fn campaign<'q>(q: &'q Quote, id: &str) -> &'q siyu::ReductionOutcome {
    q.campaigns.iter().find(|c| c.campaign == id).unwrap_or_else(|| panic!("{id} not listed"))
}

#[test]
fn example_5_1_flash_sale() {
    let r = rules(&shop_with_campaigns());
    let m = member(&r, plain_member());
    let pots = |sold: Value| json!({"lines": [line("pot", "teaware", 32800, 2)], "sold": sold});
    let q = quote(&r, Some(&m), pots(json!({})), "2026-11-25 12:00");
    assert_eq!(q.lines.len(), 2);
    assert!(has_note(&q, 0, "FLASH_PRICE") && has_note(&q, 0, "FLASH_NO_COUPON") && has_note(&q, 0, "FLASH_NO_POINTS"));
    assert!(has_note(&q, 1, "FLASH_LIMIT"));
    assert_eq!(goods(&q), vec![19900, 29800]);
    let t = campaign(&q, "teaware-300");
    assert_eq!((t.applied, t.tier, t.saving), (true, Some(0), 3000));
    let s = campaign(&q, "site-399");
    assert_eq!((s.code.as_str(), s.shortfall, s.basis_value), ("CAMPAIGN_THRESHOLD_NOT_MET", Some(7100), 32800));
    assert_eq!((q.totals.goods, q.totals.shipping, q.totals.payable), (49700, 0, 49700));
    assert_eq!((q.points.to_earn, q.growth_to_earn), (298, 497));
    assert_eq!(q.lines[0].points_to_earn, 0);

    let q = quote(&r, Some(&m), pots(json!({"flash-pot": {"pot": 50}})), "2026-11-25 12:00");
    assert_eq!(q.lines.len(), 1);
    assert!(has_note(&q, 0, "FLASH_SOLD_OUT"));
    assert_eq!((q.lines[0].list, q.totals.payable), (65600, 59600));

    let q = quote(&r, Some(&m), pots(json!({})), "2026-11-25 22:00");
    assert_eq!(q.lines.len(), 1);
    assert_eq!(q.totals.campaign_discount, 0);
}

#[test]
fn example_5_2_limited_time_discount() {
    let r = rules(&shop_with_campaigns());
    let g = member(&r, gold_log());
    let c = json!({"lines": [line("tea-a", "tea", 16800, 3)]});
    let q = quote(&r, Some(&g), c.clone(), "2026-11-25 12:00");
    assert_eq!(q.lines.len(), 2);
    assert_eq!(q.lines[0].quantity, 2);
    assert_eq!(q.lines[0].notes[0].code, "LIMITED_PRICE");
    assert_eq!(q.lines[0].notes[0].zh, "限时价 ¥148.00 优于会员价，二者不叠加");
    assert!(has_note(&q, 1, "LIMITED_LIMIT") && has_note(&q, 1, "MEMBER_PRICE"));
    assert_eq!(goods(&q), vec![29600, 15960]);
    assert!(campaign(&q, "site-399").applied);
    assert_eq!(q.coupons_to_issue.len(), 1);
    assert_eq!(
        (q.coupons_to_issue[0].template.as_str(), q.coupons_to_issue[0].campaign.as_str()),
        ("free-10", "site-399")
    );
    assert_eq!((q.totals.payable, q.points.to_earn), (45560, 683));

    let mut stacked = shop_with_campaigns();
    stacked["campaigns"][1]["stack_with_member_price"] = json!(true);
    let r2 = rules(&stacked);
    let q = quote(&r2, Some(&g), c, "2026-11-25 12:00");
    assert!(has_note(&q, 0, "LIMITED_AND_MEMBER"));
    assert_eq!(goods(&q), vec![28120, 15960]);
    assert_eq!(q.totals.goods, 44080);

    let p = member(&r, plain_member());
    let q = quote(&r, Some(&p), json!({"lines": [line("tea-b", "tea", 6800, 1)]}), "2026-11-25 12:00");
    assert_eq!(q.totals.goods, 5440);
}

#[test]
fn example_5_3_quantity_discount() {
    let r = rules(&shop_with_campaigns());
    let m = member(&r, plain_member());
    let q = quote(
        &r,
        Some(&m),
        json!({"lines": [line("nuts", "snacks", 5900, 2), line("cake", "snacks", 12800, 1)]}),
        "2026-11-25 12:00",
    );
    let steps: Vec<Vec<(String, i64)>> =
        q.lines.iter().map(|l| l.discounts.iter().map(|d| (support::name(&d.step), d.amount)).collect()).collect();
    assert_eq!(
        steps,
        vec![vec![("quantity".into(), 2950), ("full_reduction".into(), 885)], vec![("full_reduction".into(), 1280)]]
    );
    assert_eq!(goods(&q), vec![7965, 11520]);
    assert_eq!((q.totals.payable, q.points.to_earn), (19485, 194));
    assert_eq!(campaign(&q, "site-399").shortfall, Some(18250));
}

#[test]
fn example_5_4_count_tiers_a_gift_and_bonus_points() {
    let r = rules(&shop_with_campaigns());
    let m = member(&r, plain_member());
    let q = quote(&r, Some(&m), json!({"lines": [line("nuts", "snacks", 5900, 4)]}), "2026-11-25 12:00");
    assert_eq!(q.totals.campaign_discount, 5900);
    assert_eq!(q.totals.full_reduction_discount, 1770);
    assert_eq!(q.totals.payable, 15930);
    assert_eq!(campaign(&q, "snacks-2-items").tier, Some(1));
    assert_eq!((q.gifts.len(), q.gifts[0].sku.as_str(), q.gifts[0].name.as_str()), (1, "bag", "帆布袋"));
    assert_eq!((q.points.to_earn, q.points.bonus), (209, 50));
}

#[test]
fn example_5_5_overlapping_activities() {
    let r = rules(&shop_with_campaigns());
    let m = member(&r, plain_member());
    let q = quote(
        &r,
        Some(&m),
        json!({"lines": [line("pot", "teaware", 32800, 2)], "sold": {"flash-pot": {"pot": 50}}}),
        "2026-11-25 12:00",
    );
    let t = campaign(&q, "teaware-300");
    assert_eq!((t.applied, t.tier, t.saving, t.reward.free_shipping), (true, Some(1), 6000, true));
    let s = campaign(&q, "site-399");
    assert_eq!((s.applied, s.code), (false, siyu::code::CAMPAIGN_OVERLAP_NOT_BEST));
    assert_eq!(q.totals.payable, 59600);
    assert!(q.coupons_to_issue.is_empty());

    let mut by_priority = shop_with_campaigns();
    by_priority["full_reduction_choice"] = json!("priority");
    by_priority["campaigns"][5]["priority"] = json!(10);
    assert_eq!(by_priority["campaigns"][5]["id"], "site-399");
    let r = rules(&by_priority);
    let q = quote(
        &r,
        Some(&m),
        json!({"lines": [line("pot", "teaware", 32800, 2)], "sold": {"flash-pot": {"pot": 50}}}),
        "2026-11-25 12:00",
    );
    assert!(campaign(&q, "site-399").applied);
    assert_eq!(campaign(&q, "teaware-300").code, "CAMPAIGN_OVERLAP_LOWER_PRIORITY");
    assert_eq!((q.totals.shipping, q.totals.payable), (0, 65600));
    assert_eq!(q.coupons_to_issue[0].template, "free-10");
}

// ---------------------------------------------------- 6. the whole pipeline

fn pipeline_member(r: &Rules) -> Member {
    member(
        r,
        log(&[
            gold_log(),
            json!([
                claim("g4", "2026-11-20 10:00", "full-100-20", "c-full"),
                claim("g5", "2026-11-20 10:00", "gold-50", "c-gold"),
                claim("g6", "2026-11-20 10:00", "tea-90", "c-tea90"),
            ]),
        ]),
    )
}

fn pipeline_cart() -> Value {
    json!({
        "lines": [line("tea-a", "tea", 16800, 3), line("nuts", "snacks", 5900, 2), line("pot", "teaware", 32800, 1), line("cup", "teaware", 4500, 2)],
        "points": "max"
    })
}

#[test]
fn example_6_1_one_cart_through_every_step() {
    let r = rules(&shop_with_campaigns());
    let m = pipeline_member(&r);
    let q = quote(&r, Some(&m), pipeline_cart(), "2026-11-25 12:00");
    let skus: Vec<(&str, i64)> = q.lines.iter().map(|l| (l.sku.as_str(), l.quantity)).collect();
    assert_eq!(skus, vec![("tea-a", 2), ("tea-a", 1), ("nuts", 2), ("pot", 1), ("cup", 2)]);
    let by_step = |step: &str| -> Vec<i64> {
        q.lines
            .iter()
            .map(|l| l.discounts.iter().filter(|d| support::name(&d.step) == step).map(|d| d.amount).sum())
            .collect()
    };
    assert_eq!(q.lines.iter().map(|l| l.list).collect::<Vec<_>>(), vec![33600, 16800, 11800, 32800, 9000]);
    assert_eq!(by_step("limited"), vec![4000, 0, 0, 0, 0]);
    assert_eq!(by_step("flash"), vec![0, 0, 0, 12900, 0]);
    assert_eq!(by_step("member"), vec![0, 840, 590, 0, 450]);
    assert_eq!(by_step("quantity"), vec![0, 0, 2803, 0, 0]);
    assert_eq!(by_step("full_reduction"), vec![0, 0, 841, 0, 0]);
    // Coupons: tea-90 then gold-50, per line.
    let per_coupon = |id: &str| -> Vec<i64> {
        q.lines
            .iter()
            .map(|l| {
                l.discounts
                    .iter()
                    .filter(|d| support::name(&d.step) == "coupon" && d.source == id)
                    .map(|d| d.amount)
                    .sum()
            })
            .collect()
    };
    // A discount names the coupon's template (the wallet coupon is in
    // `coupons.applied`).
    assert_eq!(per_coupon("tea-90"), vec![650, 350, 0, 0, 0]);
    assert_eq!(per_coupon("gold-50"), vec![2386, 1286, 623, 0, 705]);
    assert_eq!(applied(&q), vec!["c-tea90", "c-gold"]);
    assert_eq!(usable(&q), vec![("c-full", 2000)]);
    assert_eq!(goods(&q), vec![26564, 14324, 6943, 19900, 7845]);

    let s = campaign(&q, "snacks-2-items");
    assert_eq!((s.applied, s.saving), (true, 841));
    let s = campaign(&q, "site-399");
    assert_eq!((s.code.as_str(), s.basis_value), ("CAMPAIGN_OVERLAP_NOT_BEST", 62517));
    let s = campaign(&q, "teaware-300");
    assert_eq!((s.code.as_str(), s.basis_value, s.shortfall), ("CAMPAIGN_THRESHOLD_NOT_MET", 8550, Some(21450)));

    assert_eq!((q.points.balance, q.points.max_usable, q.points.used, q.points.deduction), (5348, 5300, 5300, 5300));
    assert_eq!(q.lines.iter().map(|l| l.points_deduction).collect::<Vec<_>>(), vec![2529, 1363, 661, 0, 747]);
    assert_eq!(q.lines.iter().map(|l| l.points_used).collect::<Vec<_>>(), vec![2529, 1363, 661, 0, 747]);
    assert_eq!(q.lines.iter().map(|l| l.paid).collect::<Vec<_>>(), vec![24035, 12961, 6282, 19900, 7098]);
    assert_eq!(q.shipping.free_because.as_ref().unwrap().code, "FREE_SHIPPING_MEMBER");
    assert_eq!(q.lines.iter().map(|l| l.points_to_earn).collect::<Vec<_>>(), vec![360, 194, 94, 0, 107]);
    assert_eq!(q.lines.iter().map(|l| l.growth_to_earn).collect::<Vec<_>>(), vec![240, 129, 63, 199, 71]);
    assert_eq!((q.points.to_earn, q.growth_to_earn), (755, 702));

    let t = &q.totals;
    assert_eq!(
        (t.list, t.campaign_discount, t.member_discount, t.full_reduction_discount, t.coupon_discount, t.goods),
        (104000, 19703, 1880, 841, 6000, 75576)
    );
    assert_eq!(
        (t.points_deduction, t.shipping_fee, t.shipping_discount, t.shipping, t.payable, t.saved),
        (5300, 1000, 1000, 0, 70276, 29424)
    );
}

// ---------------------------------------------------- 7. events and replay

#[test]
fn example_7_1_replay() {
    let r = rules(&shop());
    let typed = member(&r, gold_log());
    let via_ops = call("replay", json!({"rules": shop(), "events": support::to_value(&events(gold_log()))}));
    assert_eq!(via_ops["ok"], support::to_value(&typed), "{}", via_ops["error"]);
    let third = gold_log()[2].clone();
    assert_eq!(err_apply(&r, &typed, third).code, "DUPLICATE_EVENT");
    assert_eq!(
        err_apply(&r, &typed, json!(["g9", "2026-03-09 10:00", {"type": "checked_in"}])).code,
        "EVENT_OUT_OF_ORDER"
    );
}

#[test]
fn example_7_2_booking_the_quote() {
    let r = rules(&shop_with_campaigns());
    let m = pipeline_member(&r);
    let place = |expect: Value| {
        let mut body = json!({"type": "order_placed", "order": "o2", "cart": pipeline_cart()});
        if let Some(o) = expect.as_object() {
            for (k, v) in o {
                body[k] = v.clone();
            }
        }
        json!(["g7", "2026-11-25 12:00", body])
    };
    let booked = ok_apply(&r, &m, place(json!({"expect_payable": 70276, "expect_fingerprint": r.fingerprint()})));
    let used: Vec<(&str, Option<&str>)> = booked.wallet.iter().map(|c| (c.id.as_str(), c.used_by.as_deref())).collect();
    assert_eq!(used, vec![("c-full", None), ("c-gold", Some("o2")), ("c-tea90", Some("o2"))]);
    let from: Vec<(u32, i64)> = booked.orders["o2"].points_from.iter().map(|u| (u.lot, u.points)).collect();
    assert_eq!(from, vec![(1, 100), (2, 5200)]);
    assert_eq!(booked.points.balance(bj("2026-11-25 12:00")), 48);
    assert_eq!(booked.orders["o2"].payable, 70276);

    let e = err_apply(&r, &m, place(json!({"expect_payable": 70000})));
    assert_eq!((e.code.as_str(), e.zh.as_str()), ("QUOTE_MISMATCH", "应付金额已变为 ¥702.76（预期 ¥700.00）"));
    let e = err_apply(&r, &m, place(json!({"expect_fingerprint": "sha256:0"})));
    assert_eq!(e.code.as_str(), "RULES_CHANGED");
}

// ------------------------------------------------------------ 8. errors

#[test]
fn example_8_1_three_mistakes_one_answer() {
    let mut v = shop();
    v["membership"]["tiers"][0]["threshold"] = json!(100);
    v["coupons"][3]["pay_bp"] = json!(12000);
    v["shipping"]["fee"] = json!(-1);
    assert_eq!(v["coupons"][3]["id"], "tea-90");
    let out = call("validate_rules", json!({"rules": v}));
    let e = &out["error"];
    assert_eq!(e["code"], "RULES_INVALID");
    let got: Vec<(String, String)> = e["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["code"].as_str().unwrap().to_string(), p["path"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("FIRST_TIER_THRESHOLD".to_string(), "rules.membership.tiers[0].threshold".to_string()),
            ("OUT_OF_RANGE".to_string(), "rules.coupons[3].pay_bp".to_string()),
            ("OUT_OF_RANGE".to_string(), "rules.shipping.fee".to_string()),
        ]
    );
    assert_eq!(e["problems"][0]["zh"], "第一个等级的门槛必须为 0");
    assert_eq!(e["problems"][0]["en"], "the first tier's threshold must be 0");
    // The typed API reports the same problems, without the `rules.` prefix.
    let typed = Rules::parse(&v.to_string()).unwrap_err();
    assert_eq!(typed.code.as_str(), "RULES_INVALID");
    assert_eq!(typed.problems[0].path, "membership.tiers[0].threshold");
}

#[test]
fn example_8_2_shape_problems() {
    let mut v = shop();
    let ship = v.as_object_mut().unwrap().remove("shipping").unwrap();
    v["shiping"] = ship;
    v["utc_offset_minutes"] = json!("480");
    let out = call("validate_rules", json!({"rules": v}));
    let e = &out["error"];
    assert_eq!(e["code"], "INPUT_INVALID");
    let got: Vec<(&str, &str)> = e["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["code"].as_str().unwrap(), p["path"].as_str().unwrap()))
        .collect();
    assert_eq!(got, vec![("UNKNOWN_FIELD", "rules.shiping"), ("WRONG_TYPE", "rules.utc_offset_minutes")]);
}

#[test]
fn example_8_3_a_bad_cart() {
    let out = call(
        "quote",
        json!({
            "rules": shop(),
            "cart": {"lines": [line("tea-a", "tea", 16800, 0), line("cup", "teaware", -1, 1)]},
            "now": bj("2026-11-25 12:00"),
        }),
    );
    let e = &out["error"];
    assert_eq!(e["code"], "INPUT_INVALID");
    let got: Vec<(&str, &str)> = e["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["code"].as_str().unwrap(), p["path"].as_str().unwrap()))
        .collect();
    assert_eq!(got, vec![("BAD_QUANTITY", "cart.lines[0].quantity"), ("BAD_PRICE", "cart.lines[1].unit_price")]);
}

// ------------------------------------------- the page stays complete

/// The page's table of codes (§8.2 and §4.7): every code in backticks in a
/// table row's first cell.
fn documented_codes() -> Vec<String> {
    let mut out = Vec::new();
    for line in DOC.lines() {
        let Some(cell) = line.strip_prefix("| ").and_then(|l| l.split(" |").next()) else { continue };
        for part in cell.split('`').skip(1).step_by(2) {
            if part.len() > 3
                && part.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                && !part.starts_with("MAX_")
                && !part.starts_with("MIN_")
            {
                out.push(part.to_string());
            }
        }
    }
    out
}

/// Every code the engine can answer with (`siyu::code::ALL`, the one list
/// a `Code` can come from) is explained on the page, and the page explains
/// no code the engine does not have.
#[test]
fn every_code_is_in_the_table_and_the_table_has_no_other() {
    let documented = documented_codes();
    let missing: Vec<&str> =
        siyu::code::ALL.iter().map(|c| c.as_str()).filter(|c| !documented.iter().any(|d| d == c)).collect();
    assert!(missing.is_empty(), "codes missing from docs/rules.md §8.2: {missing:?}");
    let stale: Vec<&String> = documented.iter().filter(|d| !siyu::code::ALL.iter().any(|c| c == d.as_str())).collect();
    assert!(stale.is_empty(), "docs/rules.md names codes the engine does not have: {stale:?}");
}

/// The Rust files under `dir`, recursively, with their text.
fn rust_files(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
        }
    }
}

/// Every `MAX_*` / `MIN_*` limit constant of the engine and its wire is
/// listed in §8.3, with the file it is in, and is one of `siyu::limits`
/// (`src/lib.rs`).
#[test]
fn every_limit_constant_is_in_the_limits_table() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("wire/src"), &mut files);
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let limits = &lib[lib.find("pub mod limits").expect("a limits module in src/lib.rs")..];
    let mut missing = Vec::new();
    for (file, text) in &files {
        let file = file.strip_prefix(&format!("{}/", root.display())).unwrap_or(file);
        for l in text.lines() {
            let Some(rest) = l.trim_start().strip_prefix("pub const ") else { continue };
            let name = rest.split(':').next().unwrap();
            // `MAX_FIELDS` bounds what the derive accepts, not an input.
            if !(name.starts_with("MAX_") || name.starts_with("MIN_")) || name == "MAX_FIELDS" {
                continue;
            }
            let row = DOC.lines().find(|r| r.starts_with('|') && r.contains(&format!("`{name}`")));
            if !row.is_some_and(|r| r.contains(&format!("`{file}`"))) {
                missing.push(format!("{name} ({file}) in §8.3"));
            }
            if !limits.contains(name) {
                missing.push(format!("{name} in siyu::limits"));
            }
        }
    }
    assert!(missing.is_empty(), "limits missing: {missing:?}");
}

/// "Where each rule lives" names one file per row, and each file exists.
#[test]
fn the_map_names_one_file_per_row_and_each_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let start = DOC.find("## Where each rule lives").expect("the map");
    let table = DOC[start..].lines().skip_while(|l| !l.starts_with("|---")).skip(1).take_while(|l| l.starts_with('|'));
    let mut rows = 0;
    for row in table {
        rows += 1;
        let last = row.trim_end_matches('|').rsplit('|').next().unwrap().trim();
        let files: Vec<&str> = last.split('`').skip(1).step_by(2).collect();
        assert_eq!(files.len(), 1, "one file per row: {row}");
        let file = files[0].split(' ').next().unwrap();
        assert!(root.join(file).is_file(), "{file} does not exist: {row}");
    }
    assert!(rows >= 10, "the map has {rows} rows");
}

// ------------------------------------------------------ 7. the refund receipt

#[test]
fn example_7_3_the_refund_receipt() {
    let r = rules(&shop());
    let m = member(
        &r,
        json!([
            ["r1", "2026-11-02 10:00", {"type": "joined", "member": "m-r"}],
            ["r2", "2026-11-02 10:01", {"type": "coupon_claimed", "template": "free-10", "coupon": "c1"}],
            ["r3", "2026-11-03 10:00", {"type": "order_placed", "order": "o1", "cart": {"lines": [line("tea-b", "tea", 6800, 3), line("nuts", "snacks", 5900, 1)]}}],
            ["r4", "2026-11-06 10:00", {"type": "order_completed", "order": "o1"}],
        ]),
    );
    let m = ok_apply(
        &r,
        &m,
        json!(["r5", "2026-11-08 10:00", {"type": "order_refunded", "order": "o1", "lines": [{"line": 0, "quantity": 1}]}]),
    );
    let answer = call(
        "apply_event",
        json!({
            "rules": shop(),
            "member": support::to_value(&m),
            "event": support::to_value(&events(json!([["r6", "2026-11-09 10:00", {"type": "order_refunded", "order": "o1"}]]))[0]),
        }),
    );
    assert_eq!(answer["ok"]["refund"], block("example-7-3-receipt"));
}

// ------------------------------------------------------ 9. codes and scenes

#[test]
fn example_9_1_codes_and_scenes() {
    for case in block("example-9-1").as_array().unwrap() {
        let made = call("make_scene", case["make"].clone());
        assert_eq!(made["ok"], case["answer"], "{}", case["make"]);
        let scene = case["answer"]["scene"].clone();
        let read = call("parse_scene", json!({ "scene": scene }));
        let mut back = case["make"].clone();
        back["scene"] = scene;
        back["code"] = case["answer"]["code"].clone();
        assert_eq!(read["ok"], back);
    }
    // Example 9.1's arithmetic: member 10086.
    assert_eq!(siyu::code_of(siyu::Kind::Member, 10086), "M9V61");
    assert_eq!((20 * 32 * 32 * 32 + 10086) % 37, 1);
}

#[test]
fn example_9_2_reading_what_people_type() {
    let read = call("parse_scene", json!({"scene": "gla-c7-kiza1"}));
    assert_eq!(
        read["ok"],
        json!({"kind": "guide", "number": 42, "channel": 7, "campaign": 2026, "scene": "G1A-C7-K1ZA1", "code": "G1A="})
    );
    let max = 9007199254740991u64;
    let long = call("make_scene", json!({"kind": "member", "number": max, "channel": max, "campaign": 1048576}));
    assert_eq!(long["error"]["code"], "SCENE_TOO_LONG");
    let big = call("make_scene", json!({"kind": "member", "number": max + 1}));
    assert_eq!(big["error"]["code"], "INPUT_INVALID");
    assert_eq!(big["error"]["problems"][0]["code"], "CODE_NUMBER_TOO_LARGE");
    assert_eq!(big["error"]["problems"][0]["path"], "number");
}

#[test]
fn example_9_3_every_refusal_of_parse_scene() {
    let start = DOC.find("**Example 9.3").expect("Example 9.3");
    let rows: Vec<Vec<String>> = DOC[start..]
        .lines()
        .skip_while(|l| !l.starts_with("> |---"))
        .skip(1)
        .take_while(|l| l.starts_with("> |"))
        .map(|l| l.split('|').skip(1).take(2).map(|c| c.trim().trim_matches('`').to_string()).collect())
        .collect();
    assert!(rows.len() >= 5, "{rows:?}");
    let mut seen = Vec::new();
    for row in &rows {
        let e = call("parse_scene", json!({"scene": row[1]}));
        assert_eq!(e["error"]["code"], row[0].as_str(), "{}: {}", row[1], e);
        assert_eq!(e["error"]["path"], "scene");
        seen.push(row[0].clone());
    }
    for c in ["SCENE_TOO_LONG", "SCENE_BAD_CHARACTER", "SCENE_MALFORMED", "SCENE_CHECK_FAILED", "CODE_NUMBER_TOO_LARGE"]
    {
        assert!(seen.iter().any(|s| s == c), "Example 9.3 shows no {c}");
    }
}

// ------------------------------------------------------------ 10. referral

/// The example shop with the referral block of §10.1.
fn referral_shop() -> Value {
    let mut s = shop();
    s["referral"] = block("example-10-referral");
    s
}

/// The invitee of Example 10.2, up to the completed first order.
fn invitee_log() -> Value {
    json!([
        ["b1", "2026-11-02 10:00", {"type": "joined", "member": "m-bo"}],
        ["b2", "2026-11-02 10:05", {"type": "referral_bound", "inviter": "m-ann", "scene": "M9V61",
            "first_scan_at": bj("2026-11-01 09:00"), "fingerprints": ["device:d1", "phone:p1"], "seen": ["device:zz"]}],
        ["b3", "2026-11-03 10:00", {"type": "order_placed", "order": "o1", "cart": {"lines": [line("tea-a", "tea", 16800, 1)]}}],
        ["b4", "2026-11-06 10:00", {"type": "order_completed", "order": "o1"}],
    ])
}

fn inviter_log() -> Value {
    json!([["a1", "2026-10-01 10:00", {"type": "joined", "member": "m-ann"}]])
}

fn balance(m: &Member) -> i64 {
    m.points.lots.iter().map(|l| l.remaining).sum()
}

#[test]
fn example_10_2_a_referral_settles() {
    let r = rules(&referral_shop());
    let bo = member(&r, invitee_log());
    let bind = bo.referral.as_ref().unwrap();
    assert_eq!((bind.inviter.as_str(), bind.order.as_deref()), ("m-ann", Some("o1")));
    assert_eq!(bind.settles_at, Some(bj("2026-11-13 10:00")));
    assert_eq!(balance(&bo), 268);
    // A day early, nothing settles.
    let ev = events(json!([["b5", "2026-11-12 10:00", {"type": "time_advanced"}]])).remove(0);
    assert!(siyu::apply(&r, bo.clone(), &ev).unwrap().effects.is_empty());
    // On the day, the invitee gets 200 points and the inviter's reward is an effect.
    let ev = events(json!([["b5", "2026-11-13 10:00", {"type": "time_advanced"}]])).remove(0);
    let booked = siyu::apply(&r, bo.clone(), &ev).unwrap();
    assert_eq!(balance(&booked.member), 468);
    assert_eq!(booked.effects.len(), 1);
    let fx = &booked.effects[0];
    assert_eq!(support::to_value(fx), block("example-10-2-effect"));
    // The host sets `budget_used` and books it on the inviter.
    let ann = member(&r, inviter_log());
    let with_budget = |used: u32| {
        let mut event = fx.event.clone();
        let siyu::EventKind::ReferralReward { budget_used, .. } = &mut event.kind else { panic!() };
        *budget_used = Some(used);
        event
    };
    let ann = support::apply(&r, &ann, &with_budget(12)).unwrap();
    assert_eq!(balance(&ann), 600);
    assert_eq!(ann.growth_total, 50);
    assert_eq!(ann.wallet.len(), 1);
    assert_eq!((ann.wallet[0].id.as_str(), ann.wallet[0].template.as_str()), (fx.event.id.as_str(), "free-10"));
    assert_eq!(ann.invites.as_ref().unwrap().rewarded, 1);
    // Without `budget_used`, the rules' budget refuses it.
    let e = support::apply(&r, &member(&r, inviter_log()), &fx.event).unwrap_err();
    assert_eq!(e.code, "REFERRAL_BUDGET_MISSING");
    // With the budget spent (1,000 of 1,000), it is booked as capped.
    let ann = support::apply(&r, &member(&r, inviter_log()), &with_budget(1000)).unwrap();
    assert_eq!((balance(&ann), ann.invites.as_ref().unwrap().capped), (100, 1));
}

#[test]
fn example_10_3_a_refund_before_settling() {
    let r = rules(&referral_shop());
    let bo = member(&r, invitee_log());
    let bo = ok_apply(&r, &bo, json!(["b5", "2026-11-08 10:00", {"type": "order_refunded", "order": "o1"}]));
    let bind = bo.referral.as_ref().unwrap();
    assert_eq!((bind.order.as_deref(), bind.settles_at), (None, None));
    let ev = events(json!([["b6", "2026-11-13 10:00", {"type": "time_advanced"}]])).remove(0);
    assert!(siyu::apply(&r, bo, &ev).unwrap().effects.is_empty());
}

#[test]
fn example_10_4_every_refusal_of_a_binding() {
    let r = rules(&referral_shop());
    let start = DOC.find("Example 10.4").expect("Example 10.4");
    let rows: Vec<Vec<String>> = DOC[start..]
        .lines()
        .skip_while(|l| !l.starts_with("> |---"))
        .skip(1)
        .take_while(|l| l.starts_with("> |"))
        .map(|l| l.split('|').skip(1).take(2).map(|c| c.trim().trim_matches('`').to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 6, "{rows:?}");
    let base = || {
        json!({"type": "referral_bound", "inviter": "m-ann", "scene": "M9V61",
               "first_scan_at": bj("2026-11-01 09:00"), "fingerprints": ["device:d1"]})
    };
    let joined = member(&r, json!([["b1", "2026-11-02 10:00", {"type": "joined", "member": "m-bo"}]]));
    for row in &rows {
        let mut e = base();
        let mut m = joined.clone();
        let mut at = "2026-11-02 10:05";
        {
            match row[1].as_str() {
                "inviter m-bo" => e["inviter"] = json!("m-bo"),
                "chain [m-cy, m-bo]" => e["chain"] = json!(["m-cy", "m-bo"]),
                "bound already" => m = ok_apply(&r, &m, json!(["b0", "2026-11-02 10:01", base()])),
                "10 days after joining" => at = "2026-11-12 10:05",
                "seen [device:d1]" => e["seen"] = json!(["device:d1"]),
                "first scan 2026-09-30" => e["first_scan_at"] = json!(bj("2026-09-30 09:00")),
                other => panic!("unknown case {other}"),
            }
        }
        let ev = events(json!([["b9", at, e]])).remove(0);
        let err = support::apply(&r, &m, &ev).unwrap_err();
        assert_eq!(err.code, row[0].as_str(), "{row:?}: {err}");
    }
}

#[test]
fn example_7_4_an_effect_booked_and_replayed() {
    let mut shop = referral_shop();
    shop["referral"]["settle_days"] = json!(0);
    shop["referral"].as_object_mut().unwrap().remove("budget");
    let r = rules(&shop);
    let mut bo_log = invitee_log().as_array().unwrap().clone();
    let completed = bo_log.pop().unwrap();
    let bo = member(&r, Value::Array(bo_log.clone()));
    let booked = siyu::apply(&r, bo, &events(json!([completed.clone()]))[0]).unwrap();
    assert_eq!(booked.effects.len(), 1);
    let fx = &booked.effects[0];
    assert_eq!(support::to_value(fx), block("example-7-4-effect"));
    assert_eq!(balance(&booked.member), 468);
    // The host appends the effect to the inviter's log and books it.
    let ann = member(&r, inviter_log());
    let ann = siyu::apply(&r, ann, &fx.event).unwrap();
    assert!(ann.effects.is_empty());
    // Replaying each log gives the same states.
    bo_log.push(completed);
    assert_eq!(member(&r, Value::Array(bo_log)), booked.member);
    let mut ann_log = events(inviter_log());
    ann_log.push(fx.event.clone());
    assert_eq!(siyu::replay(&r, &ann_log).unwrap(), ann.member);
    // Booking the invitee's event again makes the same effect id: the
    // host's retry is refused on the inviter as a duplicate.
    let again = siyu::apply(&r, ann.member.clone(), &fx.event).unwrap_err();
    assert_eq!(again.code, "DUPLICATE_EVENT");
}

// ------------------------------------------------------------ 11. invite tasks

/// The example shop with the referral of §10.1 and the invite task of §11.1.
fn invite_task_shop() -> Value {
    let mut s = referral_shop();
    s["invite_tasks"] = block("example-11-invite-task");
    s
}

/// Book `log` on a new member one event at a time; the state and the
/// effects, in order.
fn book_all(r: &Rules, log: Value) -> (Member, Vec<siyu::Effect>) {
    let mut m = Member::default();
    let mut fx = Vec::new();
    for e in events(log) {
        let b = siyu::apply(r, m, &e).unwrap_or_else(|err| panic!("{err}"));
        m = b.member;
        fx.extend(b.effects);
    }
    (m, fx)
}

#[test]
fn example_11_2_three_friends_one_taken_back() {
    let r = rules(&invite_task_shop());
    let mut steps = Vec::new();
    for (k, f) in ["m-f1", "m-f2", "m-f3"].iter().enumerate() {
        let (_, fx) = book_all(
            &r,
            json!([
                [format!("{f}-1"), format!("2026-11-02 10:0{k}"), {"type": "joined", "member": f}],
                [format!("{f}-2"), format!("2026-11-02 11:0{k}"), {"type": "referral_bound", "inviter": "m-ann",
                    "scene": "M9V61", "first_scan_at": bj("2026-11-01 09:00")}],
                [format!("{f}-3"), "2026-11-03 10:00", {"type": "order_placed", "order": "o1",
                    "cart": {"lines": [line("tea-a", "tea", 16800, 1)]}}],
                [format!("{f}-4"), format!("2026-11-04 10:0{k}"), {"type": "order_completed", "order": "o1"}],
            ]),
        );
        assert_eq!(fx.len(), 2, "{fx:?}");
        steps.extend(fx);
    }
    assert_eq!(support::to_value(&steps[5]), block("example-11-2-step"));
    // f2's refund takes the step back.
    let f2 = member(
        &r,
        json!([
            ["m-f2-1", "2026-11-02 10:01", {"type": "joined", "member": "m-f2"}],
            ["m-f2-2", "2026-11-02 11:01", {"type": "referral_bound", "inviter": "m-ann",
                "scene": "M9V61", "first_scan_at": bj("2026-11-01 09:00")}],
            ["m-f2-3", "2026-11-03 10:00", {"type": "order_placed", "order": "o1",
                "cart": {"lines": [line("tea-a", "tea", 16800, 1)]}}],
            ["m-f2-4", "2026-11-04 10:01", {"type": "order_completed", "order": "o1"}],
        ]),
    );
    let refund = events(json!([["m-f2-5", "2026-11-06 10:00", {"type": "order_refunded", "order": "o1"}]])).remove(0);
    let back = siyu::apply(&r, f2, &refund).unwrap();
    assert_eq!(back.effects.len(), 1);
    steps.extend(back.effects);
    steps.sort_by_key(|e| e.event.at);
    let mut ann = member(&r, inviter_log());
    for (i, fx) in steps.iter().enumerate() {
        assert_eq!(fx.member, "m-ann");
        ann = support::apply(&r, &ann, &fx.event).unwrap();
        let granted = ann.invite_tasks.as_ref().unwrap().progress[0].granted.len();
        assert_eq!(granted, usize::from(i >= 5), "after step {i}");
    }
    assert_eq!(ann.wallet.len(), 1);
    assert_eq!(ann.wallet[0].template, "free-10");
    assert!(ann.wallet[0].id.starts_with("tk-"));
    let s = siyu::summary(&r, ann.clone(), bj("2026-11-10 10:00")).unwrap();
    assert_eq!(support::to_value(&s.invite_tasks), block("example-11-2-progress"));
    // The same steps again are refused as duplicates; replaying the log gives the same state.
    let again = support::apply(&r, &ann, &steps[0].event).unwrap_err();
    assert_eq!(again.code, "DUPLICATE_EVENT");
    let mut log = events(inviter_log());
    log.extend(steps.iter().map(|e| e.event.clone()));
    assert_eq!(siyu::replay(&r, &log).unwrap(), ann);
}

// ------------------------------------------------------------ 11. distribution

/// The example shop with referral (§10.1) and the distribution block of §12.1.
fn distribution_shop() -> Value {
    let mut s = referral_shop();
    s["distribution"] = block("example-12-distribution");
    s
}

/// Book the effects of `booked` that go to `who` on `m`.
fn book_effects(r: &Rules, m: &Member, who: &str, fx: &[siyu::Effect]) -> Member {
    let mut m = m.clone();
    for e in fx.iter().filter(|e| e.member == who) {
        m = support::apply(r, &m, &e.event).unwrap_or_else(|e| panic!("{e}"));
    }
    m
}

#[test]
fn example_12_1_two_levels_and_30_percent_at_most() {
    rules(&distribution_shop());
    for (rates, code) in
        [(json!([1000, 500, 200]), "DISTRIBUTION_TOO_DEEP"), (json!([2000, 1500]), "DISTRIBUTION_RATES_TOO_HIGH")]
    {
        let mut s = distribution_shop();
        s["distribution"]["rates_bp"] = rates;
        let e = Rules::parse(&s.to_string()).unwrap_err();
        assert_eq!(e.problems.len(), 1, "{e}");
        assert_eq!((e.problems[0].code.as_str(), e.problems[0].path.as_str()), (code, "distribution.rates_bp"));
    }
}

#[test]
fn example_12_2_commissions_from_placing_to_a_refund() {
    let r = rules(&distribution_shop());
    let mut ann = member(&r, json!([["a1", "2026-10-01 10:00", {"type": "joined", "member": "m-ann"}]]));
    let mut cy = member(&r, json!([["c1", "2026-09-01 10:00", {"type": "joined", "member": "m-cy"}]]));
    let mut bo = member(
        &r,
        json!([
            ["b1", "2026-11-02 10:00", {"type": "joined", "member": "m-bo"}],
            ["b2", "2026-11-02 10:01", {"type": "coupon_claimed", "template": "full-100-20"}],
            ["b3", "2026-11-02 10:05", {"type": "referral_bound", "inviter": "m-ann", "scene": "M9V61",
                "first_scan_at": bj("2026-11-01 09:00"), "chain": ["m-cy"]}],
        ]),
    );
    let step = |bo: &mut Member, ann: &mut Member, cy: &mut Member, e: Value| {
        let ev = events(json!([e])).remove(0);
        let booked = siyu::apply(&r, bo.clone(), &ev).unwrap_or_else(|e| panic!("{e}"));
        *bo = booked.member;
        *ann = book_effects(&r, ann, "m-ann", &booked.effects);
        *cy = book_effects(&r, cy, "m-cy", &booked.effects);
        booked.effects
    };
    let cart = json!({"lines": [line("tea-x", "tea", 6000, 1), line("cup-x", "teaware", 4000, 1)]});
    let fx = step(
        &mut bo,
        &mut ann,
        &mut cy,
        json!(["b4", "2026-11-03 10:00", {"type": "order_placed", "order": "o1", "cart": cart}]),
    );
    let o = &bo.orders["o1"];
    assert_eq!((o.lines[0].paid + o.lines[1].paid, o.shipping, o.payable), (8000, 1000, 9000));
    assert_eq!(fx.len(), 2);
    assert_eq!(support::to_value(&fx[0]), block("example-12-2-effect"));
    assert_eq!((fx[1].member.as_str(), fx[1].event.id.len()), ("m-cy", 43));
    step(&mut bo, &mut ann, &mut cy, json!(["b5", "2026-11-06 10:00", {"type": "order_completed", "order": "o1"}]));
    let summary = |m: &Member, at: &str| siyu::summary(&r, m.clone(), bj(at)).unwrap().commission.unwrap();
    let frozen = summary(&ann, "2026-11-12 10:00");
    assert_eq!(
        (frozen.frozen, frozen.withdrawable, frozen.orders[0].released_at),
        (800, 0, Some(bj("2026-11-13 10:00")))
    );
    let ann_w = |ann: &Member, amount: i64, at: &str, id: &str| {
        let ev = events(json!([[id, at, {"type": "commission_withdrawn", "amount": amount}]])).remove(0);
        support::apply(&r, ann, &ev)
    };
    assert_eq!(ann_w(&ann, 800, "2026-11-12 10:00", "w0").unwrap_err().code, "COMMISSION_NOT_WITHDRAWABLE");
    assert_eq!(ann_w(&ann, 400, "2026-11-13 10:00", "w0").unwrap_err().code, "COMMISSION_BELOW_MINIMUM");
    assert_eq!(ann_w(&ann, 801, "2026-11-13 10:00", "w0").unwrap_err().code, "COMMISSION_NOT_WITHDRAWABLE");
    ann = ann_w(&ann, 800, "2026-11-13 10:00", "w1").unwrap();
    let w = &ann.commissions.as_ref().unwrap().withdrawals[0];
    assert_eq!((w.amount, w.fee), (800, 4));
    let fx = step(
        &mut bo,
        &mut ann,
        &mut cy,
        json!(["b6", "2026-11-14 10:00", {"type": "order_refunded", "order": "o1", "lines": [{"line": 1, "quantity": 1}]}]),
    );
    assert_eq!(fx.len(), 2);
    assert_eq!(support::to_value(&summary(&ann, "2026-11-14 10:00")), block("example-12-2-earnings"));
    assert_eq!(ann.commissions.as_ref().unwrap().earned[0].shortfall, 320);
    let c = summary(&cy, "2026-11-14 10:00");
    assert_eq!((c.withdrawable, c.shortfall, c.orders[0].reversed), (240, 0, 160));
    // Refunding the rest reverses every fen; the next commission pays the shortfall back first.
    step(&mut bo, &mut ann, &mut cy, json!(["b7", "2026-11-15 10:00", {"type": "order_refunded", "order": "o1"}]));
    let a = summary(&ann, "2026-11-15 10:00");
    assert_eq!((a.orders[0].amount, a.orders[0].reversed, a.shortfall), (0, 800, 800));
    assert_eq!(summary(&cy, "2026-11-15 10:00").withdrawable, 0);
}

// ------------------------------------------------------------ 11. channels

/// The example shop with the channels of Example 13.1.
fn channel_shop() -> Value {
    let mut s = shop();
    s["channels"] = block("example-13-channels");
    s
}

#[test]
fn example_13_1_the_channels_validate() {
    let r = rules(&channel_shop());
    assert_eq!(r.channels.len(), 2);
    let made = call("make_scene", json!({"kind": "channel", "number": 101}));
    assert_eq!(made["ok"]["scene"], "C35Z");
}

#[test]
fn example_13_2_three_scans_at_the_store() {
    for case in block("example-13-2").as_array().unwrap() {
        let a = call("assign_contact", json!({"rules": channel_shop(), "scene": "C35Z", "counter": case["counter"]}));
        let mut want = case.clone();
        want.as_object_mut().unwrap().remove("counter");
        want["channel"] = json!("store-xh");
        want["kind"] = json!("store");
        want["scene"] = json!("C35Z");
        want["tags"] = json!(["门店-徐汇"]);
        assert_eq!(a["ok"], want, "{case}");
        // By id, the same.
        let b =
            call("assign_contact", json!({"rules": channel_shop(), "channel": "store-xh", "counter": case["counter"]}));
        assert_eq!(a, b);
    }
    let none = call("assign_contact", json!({"rules": channel_shop(), "scene": "M9V61", "counter": 0}));
    assert_eq!(none["error"]["code"], "UNKNOWN_CHANNEL");
}

#[test]
fn example_13_3_the_double_11_weekend() {
    let contacts: Vec<Value> = block("example-13-3")
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let mut c = c.clone();
            let events: Vec<Value> = c["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| json!({"kind": e[0], "at": bj(e[1].as_str().unwrap()), "fen": e.get(2).cloned().unwrap_or(json!(0))}))
                .collect();
            c["events"] = json!(events);
            c
        })
        .collect();
    let a = call(
        "channel_stats",
        json!({"rules": channel_shop(), "from": "2026-11-11", "to": "2026-11-12", "contacts": contacts}),
    );
    let ok = &a["ok"];
    assert_eq!(ok["contacts"], 4, "{a}");
    let start = DOC.find("**Example 13.3").expect("Example 13.3");
    let table: Vec<Vec<String>> = DOC[start..]
        .lines()
        .skip_while(|l| !l.starts_with("> |---"))
        .skip(1)
        .take_while(|l| l.starts_with("> |"))
        .map(|l| l.split('|').skip(1).map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect())
        .collect();
    assert_eq!(table.len(), 6);
    let header = [
        "scans",
        "joins",
        "first_orders",
        "orders",
        "gmv",
        "refunds",
        "refunded",
        "scanned_contacts",
        "converted",
        "conversion_bp",
    ];
    let mut rows = Vec::new();
    for r in ok["channels"].as_array().unwrap() {
        rows.push((r["channel"].as_str().unwrap().to_string(), r["stats"].clone()));
    }
    for r in ok["guides"].as_array().unwrap() {
        rows.push((r["guide"].as_str().unwrap().to_string(), r["stats"].clone()));
    }
    rows.push(("total".into(), ok["total"].clone()));
    assert_eq!(rows.len(), table.len());
    for ((name, stats), line) in rows.iter().zip(&table) {
        assert_eq!(name, &line[0]);
        for (k, h) in header.iter().enumerate() {
            assert_eq!(stats[*h].to_string(), line[k + 1], "{name} {h}");
        }
    }
}

/// §14.4: the worked poster's placeholder, baseline, anchor and QR module.
#[test]
fn example_14_4_a_worked_poster() {
    let out = call("poster_commands", block("poster-example"));
    let ok = &out["ok"];
    assert_eq!(ok["missing_images"], json!(["avatar"]));
    let c = ok["commands"].as_array().unwrap();
    assert_eq!(c[0], json!({"op": "fill", "color": "#FFFFFF"}));
    assert_eq!(
        c[1],
        json!({"op": "rect", "x": 30, "y": 20, "width": 60, "height": 60, "radius": 30, "fill": "#EEEEEE"})
    );
    assert_eq!(
        (c[2]["op"].as_str(), &c[2]["x"], &c[2]["y"], &c[2]["align"]),
        (Some("text"), &json!(250), &json!(41), &json!("center"))
    );
    let qr = &c[3];
    assert_eq!(
        (&qr["module"], &qr["code_x"], &qr["code_y"], &qr["size"]),
        (&json!(4), &json!(167), &json!(117), &json!(150))
    );
    // 29 modules: the finder pattern's top row is a run of 7 at column 0 and at 22.
    assert_eq!(qr["runs"][0], json!([0, 0, 7]));
    assert!(qr["runs"].as_array().unwrap().iter().any(|r| r == &json!([22, 0, 7])));
}

/// §14.6: where the worked text breaks, at the width table's numbers.
#[test]
fn example_14_6_where_lines_break() {
    let out = call("poster_commands", block("poster-wrap-example"));
    let lines: Vec<(String, u64, u64)> = out["ok"]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["op"] == "text")
        .map(|c| (c["text"].as_str().unwrap().to_string(), c["width"].as_u64().unwrap(), c["y"].as_u64().unwrap()))
        .collect();
    let want = [
        ("邀请你加入山茶小", 160, 121),
        ("铺，一起喝好茶吧", 160, 149),
        ("Oolong tea 乌龙茶", 164, 191),
        ("from Anxi", 89, 219),
        ("茶友小林的一个很…", 180, 261),
    ];
    let want: Vec<(String, u64, u64)> = want.iter().map(|(t, w, y)| (t.to_string(), *w, *y)).collect();
    assert_eq!(lines, want);
}
