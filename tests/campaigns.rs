//! Campaign pricing through the public quote: which price applied, why the
//! others did not, and how overlapping activities are chosen.

mod support;

use serde_json::{json, Value};
use siyu::time::{Date, Zone};
use siyu::{Cart, Event, Member, Rules};

const BJ: Zone = Zone { offset_minutes: 480 };
const NOON: &str = "2026-11-11T12:00";

fn t(s: &str) -> i64 {
    let (d, hm) = s.split_once('T').unwrap();
    let (h, m) = hm.split_once(':').unwrap();
    BJ.start_of(Date::parse(d).unwrap()) + (h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()) * 60_000
}

fn rules(campaigns: Value, extra: Value) -> Rules {
    let mut v = json!({
        "schema": 1,
        "membership": { "growth": { "per_yuan": 1 }, "tiers": [
            { "id": "m", "name": "会员", "threshold": 0, "benefits": { "discount_bp": 9000 } } ] },
        "points": { "earn_per_yuan": 1, "expiry": { "type": "never" } },
        "shipping": { "fee": 800, "free_over": 20000 },
        "campaigns": campaigns
    });
    if let (Value::Object(b), Value::Object(x)) = (&mut v, extra) {
        for (k, x) in x {
            b.insert(k, x);
        }
    }
    support::rules_from(&v).unwrap_or_else(|e| panic!("{e}"))
}

fn member(r: &Rules) -> Member {
    let e: Event =
        support::from_value(&json!({"id": "j", "at": t("2026-11-01T10:00"), "type": "joined", "member": "m1"}))
            .unwrap();
    support::apply(r, &Member::default(), &e).unwrap()
}

fn cart(lines: Value) -> Cart {
    support::from_value(&json!({ "lines": lines, "coupons": "none" })).unwrap()
}

fn line(sku: &str, cat: &str, price: i64, qty: i64) -> Value {
    json!({"sku": sku, "category": cat, "unit_price": price, "quantity": qty})
}

/// A campaign on 2026-11-11 from its id and its kind's fields (one flat
/// object).
fn window(mut campaign: Value) -> Value {
    campaign["name"] = campaign["id"].clone();
    campaign["from"] = json!("2026-11-11T00:00");
    campaign["until"] = json!("2026-11-12T00:00");
    campaign
}

#[test]
fn flash_sale_units_beyond_the_limit_and_the_stock_fall_back_to_member_price() {
    let r = rules(
        json!([window(json!({"id": "fs", "type": "flash_sale", "per_member_limit": 2,
        "items": [{"sku": "pot", "price": 5900, "stock": 100}]}))]),
        json!({}),
    );
    let m = member(&r);
    let q = siyu::quote(&r, Some(&m), &cart(json!([line("pot", "ware", 10000, 3)])), t(NOON)).unwrap();
    assert_eq!(q.lines.len(), 2);
    assert_eq!((q.lines[0].quantity, q.lines[0].goods), (2, 11800)); // 2 × ¥59
    assert!(!q.lines[0].coupons_allowed && !q.lines[0].points_allowed);
    assert_eq!((q.lines[1].quantity, q.lines[1].goods), (1, 9000)); // 9折 member price
    assert_eq!(q.lines[1].notes[0].code, "FLASH_LIMIT");
    assert_eq!(q.points.to_earn, 90, "flash units earn nothing; ¥90 earns 90");

    // Only 1 left in stock (the host says 99 are sold).
    let mut c = cart(json!([line("pot", "ware", 10000, 3)]));
    c.sold.insert("fs".into(), [("pot".to_string(), 99)].into_iter().collect());
    let q = siyu::quote(&r, Some(&m), &c, t(NOON)).unwrap();
    assert_eq!((q.lines[0].quantity, q.lines[1].quantity), (1, 2));
    assert_eq!(q.lines[1].notes[0].code, "FLASH_SOLD_OUT");

    // Outside the window nothing applies.
    let q = siyu::quote(&r, Some(&m), &cart(json!([line("pot", "ware", 10000, 3)])), t("2026-11-12T00:00")).unwrap();
    assert_eq!(q.lines.len(), 1);
    assert_eq!(q.lines[0].goods, 27000);
}

#[test]
fn the_flash_limit_counts_units_bought_in_earlier_orders() {
    let r = rules(
        json!([window(json!({"id": "fs", "type": "flash_sale", "per_member_limit": 2,
        "items": [{"sku": "pot", "price": 5900, "stock": 100}]}))]),
        json!({}),
    );
    let m = member(&r);
    let place: Event =
        support::from_value(&json!({"id": "p", "at": t("2026-11-11T10:00"), "type": "order_placed", "order": "o1",
        "cart": {"lines": [line("pot", "ware", 10000, 1)]}}))
        .unwrap();
    let m = support::apply(&r, &m, &place).unwrap();
    let q = siyu::quote(&r, Some(&m), &cart(json!([line("pot", "ware", 10000, 2)])), t(NOON)).unwrap();
    assert_eq!((q.lines[0].price, q.lines[0].quantity), (siyu::PriceKind::Flash, 1));
    // After refunding the first order the member may buy 2 again.
    let refund: Event =
        support::from_value(&json!({"id": "r", "at": t("2026-11-11T11:00"), "type": "order_refunded", "order": "o1"}))
            .unwrap();
    let m = support::apply(&r, &m, &refund).unwrap();
    let q = siyu::quote(&r, Some(&m), &cart(json!([line("pot", "ware", 10000, 2)])), t(NOON)).unwrap();
    assert_eq!((q.lines.len(), q.lines[0].quantity), (1, 2));
}

#[test]
fn limited_price_against_member_price_the_better_wins_unless_they_stack() {
    let limited = |stack: bool| {
        rules(
            json!([window(json!({"id": "ld", "type": "limited_discount", "stack_with_member_price": stack,
            "items": [{"sku": "a", "price": 9500}, {"sku": "b", "price": 8000}]}))]),
            json!({}),
        )
    };
    let r = limited(false);
    let m = member(&r);
    let q =
        siyu::quote(&r, Some(&m), &cart(json!([line("a", "x", 10000, 1), line("b", "x", 10000, 1)])), t(NOON)).unwrap();
    // a: member ¥90 beats limited ¥95; b: limited ¥80 beats member ¥90.
    assert_eq!(q.lines[0].goods, 9000);
    assert_eq!(q.lines[0].notes[0].code, "MEMBER_BEATS_LIMITED");
    assert_eq!(q.lines[1].goods, 8000);
    assert_eq!(q.lines[1].notes[0].code, "LIMITED_PRICE");
    let r = limited(true);
    let q = siyu::quote(&r, Some(&m), &cart(json!([line("b", "x", 10000, 1)])), t(NOON)).unwrap();
    assert_eq!(q.lines[0].goods, 7200); // ¥80 then 9折
                                        // A guest gets the limited price, no member price.
    let q = siyu::quote(&r, None, &cart(json!([line("a", "x", 10000, 1)])), t(NOON)).unwrap();
    assert_eq!(q.lines[0].goods, 9500);
}

#[test]
fn second_unit_half_price_discounts_the_cheaper_unit_of_each_pair() {
    let r = rules(
        json!([window(
            json!({"id": "q", "type": "quantity_discount", "scope": { "skus": ["a", "b"] }, "nth": 2, "pay_bp": 5000})
        )]),
        json!({}),
    );
    // Units by price: a ¥100, b ¥60, b ¥60 → the 2nd (a ¥60 b) is half.
    let q = siyu::quote(&r, None, &cart(json!([line("b", "x", 6000, 2), line("a", "x", 10000, 1)])), t(NOON)).unwrap();
    assert_eq!(q.totals.campaign_discount, 3000);
    assert_eq!(q.lines[0].goods, 9000);
    assert_eq!(q.lines[1].goods, 10000);
}

#[test]
fn full_reductions_threshold_is_exact_to_the_fen_and_overlaps_choose_the_best_or_the_priority() {
    let fr = |id: &str, scope: Value, at: i64, off: i64, prio: u32| {
        json!({"id": id, "name": id, "from": "2026-11-11T00:00", "until": "2026-11-12T00:00", "priority": prio,
               "type": "full_reduction", "scope": scope, "basis": "amount", "tiers": [{"at": at, "reward": {"amount_off": off}}]})
    };
    let campaigns =
        json!([fr("site", json!({}), 10000, 1000, 1), fr("tea", json!({"categories": ["tea"]}), 5000, 1500, 2)]);
    let r = rules(campaigns.clone(), json!({}));
    // ¥99.99 does not pass 满100.
    let q = siyu::quote(&r, None, &cart(json!([line("a", "ware", 9999, 1)])), t(NOON)).unwrap();
    assert_eq!(q.totals.full_reduction_discount, 0);
    assert_eq!(q.campaigns[0].shortfall, Some(1));
    // Tea ¥60 + ware ¥50: site-wide ¥10 vs tea ¥15 overlap on the tea line:
    // best for the shopper is the tea activity.
    let c = cart(json!([line("t", "tea", 6000, 1), line("w", "ware", 5000, 1)]));
    let q = siyu::quote(&r, None, &c, t(NOON)).unwrap();
    assert_eq!(q.totals.full_reduction_discount, 1500);
    let site = q.campaigns.iter().find(|o| o.campaign == "site").unwrap();
    assert_eq!(site.code.as_str(), "CAMPAIGN_OVERLAP_NOT_BEST");
    // The merchant may rank them instead.
    let mut campaigns = campaigns;
    campaigns[0]["priority"] = json!(5);
    let r = rules(campaigns, json!({"full_reduction_choice": "priority"}));
    let q = siyu::quote(&r, None, &c, t(NOON)).unwrap();
    assert_eq!(q.totals.full_reduction_discount, 1000);
    let tea = q.campaigns.iter().find(|o| o.campaign == "tea").unwrap();
    assert_eq!(tea.code.as_str(), "CAMPAIGN_OVERLAP_LOWER_PRIORITY");
}

#[test]
fn conflicting_campaigns_and_bad_tiers_are_all_reported_at_once() {
    let bad = json!([
        {"id": "a", "name": "a", "from": "2026-11-11T00:00", "until": "2026-11-12T00:00",
         "type": "flash_sale", "per_member_limit": 1, "items": [{"sku": "x", "price": 100, "stock": 1}]},
        {"id": "b", "name": "b", "from": "2026-11-11T12:00", "until": "2026-11-13T00:00",
         "type": "limited_discount", "items": [{"sku": "x", "pay_bp": 8000}]},
        {"id": "c", "name": "c", "from": "2026-11-12T00:00", "until": "2026-11-11T00:00",
         "type": "full_reduction", "basis": "count", "tiers": [{"at": 3, "reward": {"pay_bp": 9000}}, {"at": 2, "reward": {}}]}
    ]);
    let mut v = support::to_value(&rules(json!([]), json!({})));
    v["campaigns"] = bad;
    let e = support::rules_from(&v).unwrap_err();
    let codes: Vec<(&str, &str)> = e.problems.iter().map(|p| (p.code.as_str(), p.path.as_str())).collect();
    assert!(codes.contains(&("WINDOW_ENDS_BEFORE_START", "campaigns[2].until")), "{codes:?}");
    assert!(codes.contains(&("TIERS_OUT_OF_ORDER", "campaigns[2].tiers[1].at")), "{codes:?}");
    assert!(codes.contains(&("REWARD_EMPTY", "campaigns[2].tiers[1].reward")), "{codes:?}");
    assert!(codes.contains(&("CAMPAIGN_CONFLICT", "campaigns[1]")), "{codes:?}");
}

#[test]
fn two_lines_of_one_flash_sku_share_the_limit() {
    let r = rules(
        json!([window(json!({"id": "fs", "type": "flash_sale", "per_member_limit": 1,
        "items": [{"sku": "pot", "price": 5900, "stock": 100}]}))]),
        json!({}),
    );
    let m = member(&r);
    let q = siyu::quote(
        &r,
        Some(&m),
        &cart(json!([line("pot", "ware", 10000, 1), line("pot", "ware", 10000, 1)])),
        t(NOON),
    )
    .unwrap();
    let flash: i64 = q.lines.iter().filter(|l| l.price == siyu::PriceKind::Flash).map(|l| l.quantity).sum();
    assert_eq!(flash, 1);
}
