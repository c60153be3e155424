//! Scenarios over a member's life, driven only through events: tiers and
//! the yearly review, paid cards, birthdays and member days, check-in
//! streaks and caps, claim rules, refunds and the points debt.

mod support;

use serde_json::{json, Value};
use siyu::time::{Date, Zone};
use siyu::{Event, Member, Rules};

const BJ: Zone = Zone { offset_minutes: 480 };

/// Beijing wall-clock `YYYY-MM-DDTHH:MM` → UTC millis.
fn t(s: &str) -> i64 {
    let (d, hm) = s.split_once('T').unwrap();
    let (h, m) = hm.split_once(':').unwrap();
    BJ.start_of(Date::parse(d).unwrap()) + (h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()) * 60_000
}

fn rules(extra: Value) -> Rules {
    let mut base = json!({
        "schema": 1,
        "membership": {
            "growth": { "per_yuan": 1 },
            "tiers": [
                { "id": "basic", "name": "普通", "threshold": 0 },
                { "id": "silver", "name": "银卡", "threshold": 1000, "retain": 500,
                  "benefits": { "discount_bp": 9800, "points_multiplier_pct": 120 } },
                { "id": "gold", "name": "金卡", "threshold": 5000, "retain": 2000,
                  "benefits": { "discount_bp": 9500, "points_multiplier_pct": 150,
                                "birthday": { "when": "day", "points_multiplier_pct": 200, "coupon": "bday" },
                                "member_day": { "weekday": 3, "discount_bp": 9000 } } }
            ],
            "review": { "period": "year" },
            "paid_plans": [ { "id": "plus", "name": "PLUS", "price": 1500, "days": 30 } ],
            "paid_benefits": { "discount_bp": 9300 }
        },
        "points": {
            "earn_per_yuan": 1,
            "activities": { "sign_up": { "points": 100, "times_total": 1 }, "share": { "points": 10, "times_per_day": 2 } },
            "daily_cap": 60,
            "check_in": { "daily": 5, "streak_bonus": [ { "day": 3, "points": 20 } ], "cycle_days": 3 },
            "expiry": { "type": "days", "days": 30 },
            "redeem": { "unit_points": 100, "unit_fen": 100, "max_share_bp": 5000 }
        },
        "coupons": [
            { "id": "bday", "name": "生日券", "type": "amount_off", "amount": 1000, "validity": { "type": "days", "days": 7 } },
            { "id": "new", "name": "新人券", "type": "amount_off", "amount": 500, "validity": { "type": "days", "days": 1 },
              "audience": { "new_members_only": true } },
            { "id": "c20", "name": "满100减20", "type": "amount_off", "amount": 2000, "threshold": 10000,
              "validity": { "type": "window", "from": "2026-01-01T00:00", "until": "2026-02-01T00:00" }, "per_member_limit": 2 }
        ]
    });
    if let (Value::Object(b), Value::Object(x)) = (&mut base, extra) {
        for (k, v) in x {
            b.insert(k, v);
        }
    }
    support::rules_from(&base).expect("test rules are valid")
}

fn event(id: &str, at: &str, what: Value) -> Event {
    let mut v = what;
    v["id"] = json!(id);
    v["at"] = json!(t(at));
    support::from_value(&v).expect("event parses")
}

fn book(r: &Rules, m: &Member, id: &str, at: &str, what: Value) -> Member {
    support::apply(r, m, &event(id, at, what)).unwrap_or_else(|e| panic!("{id}: {e}"))
}

fn refuse(r: &Rules, m: &Member, id: &str, at: &str, what: Value) -> siyu::Error {
    support::apply(r, m, &event(id, at, what)).expect_err("should be refused")
}

/// The member price on a ¥100 line of category `c` at `at`: its rate and
/// where it came from (`tier`, `paid`, `member_day`).
fn member_price(r: &Rules, m: &Member, at: &str) -> Option<(i64, String)> {
    let cart: siyu::Cart = support::from_value(
        &json!({"lines": [{"sku": "x", "category": "c", "unit_price": 10000, "quantity": 1}], "coupons": "none"}),
    )
    .unwrap();
    let q = siyu::quote(r, Some(m), &cart, t(at)).unwrap();
    let d = q.lines[0].discounts.iter().find(|d| d.step == siyu::Step::Member)?;
    // On ¥100.00 (10,000 fen) a rate of `bp` takes 10,000 − bp fen off.
    Some((10_000 - d.amount, d.source.to_string()))
}

fn joined(r: &Rules, at: &str) -> Member {
    book(r, &Member::default(), "join", at, json!({"type": "joined", "member": "m1"}))
}

fn order(r: &Rules, m: &Member, id: &str, at: &str, yuan: i64) -> Member {
    let m = book(
        r,
        m,
        &format!("{id}-p"),
        at,
        json!({"type": "order_placed", "order": id,
        "cart": { "lines": [ { "sku": "x", "category": "c", "unit_price": yuan * 100, "quantity": 1 } ], "coupons": "none" }}),
    );
    book(r, &m, &format!("{id}-c"), at, json!({"type": "order_completed", "order": id}))
}

#[test]
fn joining_credits_sign_up_points_and_starts_at_the_lowest_tier() {
    let r = rules(json!({}));
    let m = joined(&r, "2026-01-05T10:00");
    assert_eq!(m.tier, "basic");
    assert_eq!(m.points.balance(t("2026-01-05T10:00")), 100);
    // 30 days after 2026-01-05, at the end of the local day.
    assert_eq!(m.points.lots[0].expires_at, Some(BJ.end_of(Date::parse("2026-02-04").unwrap())));
    let e = refuse(&r, &m, "again", "2026-01-06T10:00", json!({"type": "joined", "member": "m1"}));
    assert_eq!(e.code.as_str(), "ALREADY_JOINED");
    let e = refuse(&r, &Member::default(), "x", "2026-01-06T10:00", json!({"type": "checked_in"}));
    assert_eq!(e.code.as_str(), "MEMBER_NOT_JOINED");
}

#[test]
fn upgrade_is_immediate_and_the_yearly_review_downgrades_only_after_a_full_year() {
    let r = rules(json!({}));
    let m = joined(&r, "2025-01-02T10:00");
    let m = order(&r, &m, "o1", "2025-03-10T10:00", 5000);
    assert_eq!(m.tier, "gold", "5000 growth reaches gold at once");
    // The review on 2026-01-01 skips gold: it was not held for all of 2025.
    let m = book(&r, &m, "tick1", "2026-01-01T00:00", json!({"type": "time_advanced"}));
    assert_eq!(m.tier, "gold");
    // 2026: 1500 growth < 2000 retain → on 2027-01-01 drop to the highest
    // tier whose retain 1500 meets: silver (retain 500).
    let m = order(&r, &m, "o2", "2026-06-01T10:00", 1500);
    let just_before = book(&r, &m, "tick2", "2026-12-31T23:59", json!({"type": "time_advanced"}));
    assert_eq!(just_before.tier, "gold");
    let after = book(&r, &just_before, "tick3", "2027-01-01T00:00", json!({"type": "time_advanced"}));
    assert_eq!(after.tier, "silver");
    // The next order does not undo the review: counted growth is silver's
    // 1000 plus what is earned after 2027-01-01.
    // ¥4000 at silver's 9.8折 pays ¥3920: growth 3920 → 4920 < 5000.
    let after = order(&r, &after, "o3", "2027-02-01T10:00", 4000);
    assert_eq!((after.tier.as_str(), after.growth_measure(&r, t("2027-02-01T10:00"))), ("silver", 4920));
    let after = order(&r, &after, "o4", "2027-02-02T10:00", 100);
    assert_eq!(after.tier, "gold", "1000 + 4018 earned since the review");
    let after = book(&r, &after, "tick3b", "2028-01-01T00:00", json!({"type": "time_advanced"}));
    assert_eq!(after.tier, "gold", "reached during 2027: exempt from that review");
    // A year with nothing earned: silver (retain 500) drops to basic.
    let quiet = book(&r, &just_before, "q1", "2027-01-01T00:00", json!({"type": "time_advanced"}));
    let later = book(&r, &quiet, "tick4", "2028-01-01T00:00", json!({"type": "time_advanced"}));
    assert_eq!(later.tier, "basic");
}

#[test]
fn a_refund_takes_growth_back_but_the_tier_waits_for_the_review() {
    let r = rules(json!({}));
    let m = joined(&r, "2025-01-02T10:00");
    let m = order(&r, &m, "o1", "2025-02-01T10:00", 1200);
    assert_eq!(m.tier, "silver");
    let m = book(&r, &m, "rf", "2025-02-03T10:00", json!({"type": "order_refunded", "order": "o1"}));
    assert_eq!(m.growth_total, 0);
    assert_eq!(m.tier, "silver");
}

#[test]
fn paid_card_extends_from_its_end_and_its_benefits_apply_only_while_active() {
    let r = rules(json!({}));
    let m = joined(&r, "2026-01-05T10:00");
    let m = book(&r, &m, "buy1", "2026-01-05T10:05", json!({"type": "membership_purchased", "plan": "plus"}));
    let card = m.paid.clone().unwrap();
    assert_eq!(BJ.date(card.until).to_string(), "2026-02-03"); // 30 days including today
    let m = book(&r, &m, "buy2", "2026-01-20T10:00", json!({"type": "membership_purchased", "plan": "plus"}));
    assert_eq!(BJ.date(m.paid.as_ref().unwrap().until).to_string(), "2026-03-05");
    assert_eq!(member_price(&r, &m, "2026-03-05T23:00"), Some((9300, "plus".to_string())));
    assert_eq!(member_price(&r, &m, "2026-03-06T00:00"), None);
}

#[test]
fn check_in_streak_pays_the_bonus_on_day_three_and_restarts_after_the_cycle() {
    let r = rules(json!({}));
    let mut m = joined(&r, "2026-01-01T07:00");
    let start = m.points.balance(t("2026-01-01T07:00"));
    for (i, day) in ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"].iter().enumerate() {
        m = book(&r, &m, &format!("ci{i}"), &format!("{day}T08:00"), json!({"type": "checked_in"}));
    }
    // 5 + 5 + (5 + 20) + 5 (cycle of 3: day 4 is day 1 again)
    assert_eq!(m.points.balance(t("2026-01-04T09:00")) - start, 40);
    assert_eq!(m.check_in.streak, 1);
    let e = refuse(&r, &m, "ci-dup", "2026-01-04T23:59", json!({"type": "checked_in"}));
    assert_eq!(e.code.as_str(), "CHECK_IN_DUPLICATE");
    // A missed day breaks the streak.
    let m = book(&r, &m, "ci-gap", "2026-01-06T08:00", json!({"type": "checked_in"}));
    assert_eq!(m.check_in.streak, 1);
}

#[test]
fn activity_limits_and_the_daily_cap_are_enforced_in_local_days() {
    let r = rules(json!({}));
    let m = joined(&r, "2026-01-01T09:00"); // sign-up points are outside the cap
    let m = book(&r, &m, "s1", "2026-01-02T10:00", json!({"type": "activity", "name": "share"}));
    let m = book(&r, &m, "s2", "2026-01-02T11:00", json!({"type": "activity", "name": "share"}));
    let e = refuse(&r, &m, "s3", "2026-01-02T12:00", json!({"type": "activity", "name": "share"}));
    assert_eq!(e.code.as_str(), "ACTIVITY_LIMIT_REACHED");
    // 2026-01-02T16:00Z is already 2026-01-03 in Beijing: a new day.
    let m = book(&r, &m, "s4", "2026-01-03T00:30", json!({"type": "activity", "name": "share"}));
    assert_eq!(m.activities.get("share").unwrap().today, 1);
    let e = refuse(&r, &m, "u", "2026-01-03T01:00", json!({"type": "activity", "name": "dance"}));
    assert_eq!(e.code.as_str(), "UNKNOWN_ACTIVITY");

    // With a cap of 15 a day: 10, then 5 of the next 10, then nothing.
    let mut capped = support::to_value(&r);
    capped["points"]["daily_cap"] = json!(15);
    let r = support::rules_from(&capped).unwrap();
    let m = joined(&r, "2026-01-01T09:00");
    let m = book(&r, &m, "s1", "2026-01-02T10:00", json!({"type": "activity", "name": "share"}));
    let m = book(&r, &m, "s2", "2026-01-02T11:00", json!({"type": "activity", "name": "share"}));
    assert_eq!(m.points.balance(t("2026-01-02T11:00")), 100 + 10 + 5);
    let e = refuse(&r, &m, "s3", "2026-01-02T12:00", json!({"type": "activity", "name": "review"}));
    assert_eq!(e.code.as_str(), "UNKNOWN_ACTIVITY");
    let e = refuse(&r, &m, "s3", "2026-01-02T12:00", json!({"type": "activity", "name": "share"}));
    assert_eq!(e.code.as_str(), "ACTIVITY_LIMIT_REACHED");
    // A check-in over the cap keeps the streak going but credits nothing.
    let m = book(&r, &m, "ci", "2026-01-02T12:00", json!({"type": "checked_in"}));
    assert_eq!((m.check_in.streak, m.points.balance(t("2026-01-02T12:00"))), (1, 115));
    // The next local day starts a fresh cap.
    let m = book(&r, &m, "s5", "2026-01-03T09:00", json!({"type": "activity", "name": "share"}));
    assert_eq!(m.daily_points.points, 10);
}

#[test]
fn claims_respect_audience_limits_windows_and_birthdays() {
    let r = rules(json!({}));
    let m = joined(&r, "2026-01-05T10:00");
    let m = book(&r, &m, "new1", "2026-01-05T10:01", json!({"type": "coupon_claimed", "template": "new"}));
    // valid until the end of the claim day (days: 1)
    assert_eq!(m.wallet[0].valid_until, BJ.end_of(Date::parse("2026-01-05").unwrap()));
    let m = book(&r, &m, "a", "2026-01-05T10:02", json!({"type": "coupon_claimed", "template": "c20"}));
    let m = book(&r, &m, "b", "2026-01-05T10:03", json!({"type": "coupon_claimed", "template": "c20"}));
    let e = refuse(&r, &m, "c", "2026-01-05T10:04", json!({"type": "coupon_claimed", "template": "c20"}));
    assert_eq!(e.code.as_str(), "COUPON_CLAIM_LIMIT");
    let e =
        refuse(&r, &m, "d", "2026-01-05T10:05", json!({"type": "coupon_claimed", "template": "c20", "coupon": "a"}));
    assert_eq!(e.code.as_str(), "COUPON_CLAIM_LIMIT");
    let e =
        refuse(&r, &m, "s", "2026-01-05T10:06", json!({"type": "coupon_claimed", "template": "bday", "stock_left": 0}));
    assert_eq!(e.code.as_str(), "COUPON_OUT_OF_STOCK");
    // After the window closes (end of 01-31 Beijing) nobody can claim.
    let other = joined(&r, "2026-02-01T00:00");
    let e = refuse(&r, &other, "late", "2026-02-01T00:00", json!({"type": "coupon_claimed", "template": "c20"}));
    assert_eq!(e.code.as_str(), "COUPON_EXPIRED");
    // New-member coupon: gone once an order is placed.
    let m2 = order(&r, &joined(&r, "2026-01-05T10:00"), "o1", "2026-01-05T11:00", 10);
    let e = refuse(&r, &m2, "n2", "2026-01-05T12:00", json!({"type": "coupon_claimed", "template": "new"}));
    assert_eq!(e.code.as_str(), "COUPON_NEW_MEMBERS_ONLY");
}

#[test]
fn a_gold_member_claims_the_birthday_coupon_on_the_day_once_a_year() {
    let r = rules(json!({}));
    let m = joined(&r, "2025-01-02T10:00");
    let m = book(&r, &m, "p", "2025-01-02T10:01", json!({"type": "profile_set", "birthday": "03-08"}));
    let e = refuse(&r, &m, "early", "2025-03-08T10:00", json!({"type": "coupon_claimed", "template": "bday"}));
    assert_eq!(e.code.as_str(), "COUPON_BIRTHDAY_ONLY", "not gold yet");
    let m = order(&r, &m, "o1", "2025-03-01T10:00", 5000);
    let e = refuse(&r, &m, "eve", "2025-03-07T23:59", json!({"type": "coupon_claimed", "template": "bday"}));
    assert_eq!(e.code.as_str(), "COUPON_BIRTHDAY_ONLY");
    let m = book(&r, &m, "bd", "2025-03-08T00:00", json!({"type": "coupon_claimed", "template": "bday"}));
    let e = refuse(&r, &m, "bd2", "2025-03-08T20:00", json!({"type": "coupon_claimed", "template": "bday"}));
    assert_eq!(e.code.as_str(), "COUPON_CLAIM_LIMIT");
    let e = refuse(&r, &m, "p2", "2025-03-09T10:00", json!({"type": "profile_set", "birthday": "03-09"}));
    assert_eq!(e.code.as_str(), "BIRTHDAY_ALREADY_SET");
    // Points multiplier: gold 150% × birthday 200% on the day.
    let s = siyu::summary(&r, m.clone(), t("2025-03-08T12:00")).unwrap();
    assert_eq!((s.points_multiplier_pct, s.occasion_multiplier_pct, s.birthday), (150, 200, true));
    // Member day (Wednesday) gives 9折 against gold's 9.5折.
    assert!(siyu::summary(&r, m.clone(), t("2025-03-12T12:00")).unwrap().member_day);
    assert_eq!(member_price(&r, &m, "2025-03-12T12:00"), Some((9000, "member_day".to_string())));
}

#[test]
fn clawed_back_points_that_were_spent_become_a_debt_paid_by_later_earnings() {
    let r = rules(json!({}));
    let m = joined(&r, "2026-01-01T09:00"); // 100 sign-up points
    let m = order(&r, &m, "o1", "2026-01-02T10:00", 300); // +300 points, growth 300
    assert_eq!(m.points.balance(t("2026-01-02T10:00")), 400);
    // Spend 400 points (¥4) on a ¥10 order.
    let m = book(
        &r,
        &m,
        "o2-p",
        "2026-01-03T10:00",
        json!({"type": "order_placed", "order": "o2",
        "cart": { "lines": [ { "sku": "y", "category": "c", "unit_price": 1000, "quantity": 1 } ], "coupons": "none", "points": 400 }}),
    );
    assert_eq!(m.points.balance(t("2026-01-03T10:00")), 0);
    let m = book(&r, &m, "r1", "2026-01-04T10:00", json!({"type": "order_refunded", "order": "o1"}));
    assert_eq!((m.points.balance(t("2026-01-04T10:00")), m.points.debt), (0, 300));
    // Refunding o2 gives its 400 points back to their lots; like earnings,
    // returned points pay the debt off first, so 100 are left to spend.
    let m = book(&r, &m, "r2", "2026-01-04T11:00", json!({"type": "order_refunded", "order": "o2"}));
    assert_eq!(m.points.balance(t("2026-01-04T11:00")), 100);
    assert_eq!(m.points.debt, 0);
}

#[test]
fn events_out_of_order_or_twice_are_refused_and_change_nothing() {
    let r = rules(json!({}));
    let m = joined(&r, "2026-01-05T10:00");
    let e = refuse(&r, &m, "join", "2026-01-06T10:00", json!({"type": "checked_in"}));
    assert_eq!(e.code.as_str(), "DUPLICATE_EVENT");
    let e = refuse(&r, &m, "past", "2026-01-05T09:59", json!({"type": "checked_in"}));
    assert_eq!(e.code.as_str(), "EVENT_OUT_OF_ORDER");
    let e = refuse(&r, &m, "o", "2026-01-06T10:00", json!({"type": "order_completed", "order": "nope"}));
    assert_eq!(e.code.as_str(), "ORDER_NOT_FOUND");
}

#[test]
fn booking_an_order_uses_its_coupons_and_points_in_one_step() {
    let r = rules(json!({}));
    let m = joined(&r, "2026-01-05T10:00");
    let m = book(&r, &m, "c1", "2026-01-05T10:01", json!({"type": "coupon_claimed", "template": "c20"}));
    let cart =
        json!({ "lines": [ { "sku": "y", "category": "c", "unit_price": 12000, "quantity": 1 } ], "points": 100 });
    let e = refuse(
        &r,
        &m,
        "o1-p",
        "2026-01-05T11:00",
        json!({"type": "order_placed", "order": "o1", "cart": cart, "expect_payable": 9999}),
    );
    assert_eq!(e.code.as_str(), "QUOTE_MISMATCH");
    // ¥120 − ¥20 coupon − ¥1 points = ¥99.00
    let m = book(
        &r,
        &m,
        "o1-p",
        "2026-01-05T11:00",
        json!({"type": "order_placed", "order": "o1", "cart": cart, "expect_payable": 9900}),
    );
    assert_eq!(m.wallet[0].used_by.as_deref(), Some("o1"));
    assert_eq!(m.points.balance(t("2026-01-05T11:00")), 0);
    let e =
        refuse(&r, &m, "o1-again", "2026-01-05T11:01", json!({"type": "order_placed", "order": "o1", "cart": cart}));
    assert_eq!(e.code.as_str(), "DUPLICATE_ORDER");
    // A whole refund inside the validity window gives the coupon back.
    let m = book(&r, &m, "rf", "2026-01-06T10:00", json!({"type": "order_refunded", "order": "o1"}));
    assert_eq!(m.wallet[0].used_by, None);
    assert_eq!(m.points.balance(t("2026-01-06T10:00")), 100);
    assert_eq!(m.orders["o1"].refunded, 9900);
}

#[test]
fn lifecycle_segments_follow_orders() {
    let r = rules(json!({}));
    let m = joined(&r, "2026-01-01T10:00");
    assert_eq!(m.segment(&r, t("2026-01-02T10:00")).as_str(), "prospect");
    let m = order(&r, &m, "o1", "2026-03-01T10:00", 10);
    assert_eq!(m.segment(&r, t("2026-03-31T10:00")).as_str(), "new");
    assert_eq!(m.segment(&r, t("2026-04-01T10:00")).as_str(), "active");
    assert_eq!(m.segment(&r, t("2026-05-01T10:00")).as_str(), "at_risk");
    assert_eq!(m.segment(&r, t("2026-05-31T10:00")).as_str(), "silent");
    assert_eq!(m.segment(&r, t("2026-08-29T10:00")).as_str(), "lost");
    // ¥300.00 in the window makes 3 orders loyal; ¥0.30 does not.
    let m = order(&r, &m, "o2", "2026-05-01T10:00", 10);
    let m = order(&r, &m, "o3", "2026-06-01T10:00", 10);
    assert_eq!(m.segment(&r, t("2026-06-02T10:00")).as_str(), "active");
    let r = rules(json!({"lifecycle": {"loyal_fen": 0}}));
    assert_eq!(m.segment(&r, t("2026-06-02T10:00")).as_str(), "loyal");
    // Gaps 61 and 31 days: usual interval 31 (the lower middle), overdue
    // after 62 days; 60 days without an order come first.
    assert_eq!(m.lifecycle(&r, t("2026-06-02T10:00")).usual_interval_days, Some(31));
    assert_eq!(m.segment(&r, t("2026-07-31T10:00")).as_str(), "loyal");
    assert_eq!(m.segment(&r, t("2026-08-01T10:00")).as_str(), "at_risk");
}

#[test]
fn a_coupon_held_by_a_live_order_cannot_be_restored_by_hand() {
    let r = rules(json!({}));
    let m = joined(&r, "2026-01-05T10:00");
    let m = book(&r, &m, "c1", "2026-01-05T10:01", json!({"type": "coupon_claimed", "template": "c20"}));
    let cart = json!({ "lines": [ { "sku": "y", "category": "c", "unit_price": 12000, "quantity": 1 } ] });
    let m = book(&r, &m, "o1-p", "2026-01-05T11:00", json!({"type": "order_placed", "order": "o1", "cart": cart}));
    let e = refuse(&r, &m, "back", "2026-01-05T12:00", json!({"type": "coupon_restored", "coupon": "c1"}));
    assert_eq!(e.code.as_str(), "COUPON_IN_ORDER");
    // A coupon used outside the engine's orders (an offline till) can be.
    let m = book(&r, &m, "c2", "2026-01-05T12:01", json!({"type": "coupon_claimed", "template": "c20"}));
    let m =
        book(&r, &m, "use", "2026-01-05T12:02", json!({"type": "coupon_used", "coupon": "c2", "reference": "till-7"}));
    let m = book(&r, &m, "back2", "2026-01-05T12:03", json!({"type": "coupon_restored", "coupon": "c2"}));
    assert_eq!(m.wallet[1].used_by, None);
}

#[test]
fn a_member_whose_only_order_was_refunded_in_full_is_new_again() {
    let r = rules(json!({}));
    let m = order(&r, &joined(&r, "2026-01-05T10:00"), "o1", "2026-01-05T11:00", 10);
    let e = refuse(&r, &m, "n1", "2026-01-05T12:00", json!({"type": "coupon_claimed", "template": "new"}));
    assert_eq!(e.code.as_str(), "COUPON_NEW_MEMBERS_ONLY");
    let m = book(&r, &m, "rf", "2026-01-05T13:00", json!({"type": "order_refunded", "order": "o1"}));
    assert!(m.is_new());
    book(&r, &m, "n2", "2026-01-05T14:00", json!({"type": "coupon_claimed", "template": "new"}));
}
