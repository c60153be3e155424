"""Tiers, reviews and paid cards; the read-only views; big carts; the demo."""

import copy
import json
import os

from gen import *  # noqa: F401,F403

TIERS = [tier("member", "普通会员", 0),
         tier("silver", "银卡", 1000, retain=500, discount_bp=9500),
         tier("gold", "金卡", 5000, retain=2000, discount_bp=9000),
         tier("black", "黑金", 20000, retain=8000, discount_bp=8500)]
YEARLY = with_tiers(R(), TIERS, review={"period": "year"})


def order(id, t, fen, done=None):
    """Place an order of `fen` at `t` (completed at `done`)."""
    evs = [E(f"{id}-placed", t, "order_placed", order=id, cart=cart(ln("x", fen)))]
    if done is not None:
        evs.append(E(f"{id}-done", done, "order_completed", order=id))
    return evs

# ------------------------------------------------------------------- tiers

# The worked example in src/member.rs: gold reached on 2025-03-10, exempt
# from the 2026-01-01 review, 1500 earned in 2026 → silver on 2027-01-01.
JOIN25 = [join(at(2025, 1, 5, 10))]
GOLD = JOIN25 + order("o1", at(2025, 3, 9, 10), 500000, at(2025, 3, 10, 10))
PLACED = replay(YEARLY, JOIN25 + order("o1", at(2025, 3, 9, 10), 500000))
case("member", "placing_an_order_does_not_upgrade", "member_summary", {"rules": YEARLY, "member": PLACED, "now": at(2025, 3, 9, 12)})
apply("member", "completing_it_upgrades_at_once", YEARLY, E("o1-done", at(2025, 3, 10, 10), "order_completed", order="o1"), PLACED)
case("member", "a_big_order_jumps_two_tiers", "replay",
     {"rules": YEARLY, "events": JOIN25 + order("o1", at(2025, 3, 9, 10), 2500000, at(2025, 3, 10, 10))})
M = replay(YEARLY, GOLD)
view("member", "first_review_is_skipped_for_a_tier_reached_this_year", "member_summary", YEARLY, M, at(2025, 12, 31, 12))
apply("member", "first_review_keeps_gold", YEARLY, E("t1", at(2026, 1, 1), "time_advanced"), M)
Y26 = GOLD + order("o2", at(2026, 5, 30), 166667, at(2026, 6, 1))  # pays 9折 ¥1500.00: 1500 growth
M26 = replay(YEARLY, Y26)
view("member", "summary_says_where_the_review_would_drop_the_member", "member_summary", YEARLY, M26, at(2026, 12, 31, 23, 59, 59, 999))
apply("member", "review_one_millisecond_before_new_year_keeps_gold", YEARLY, E("t2", at(2026, 12, 31, 23, 59, 59, 999), "time_advanced"), M26)
apply("member", "review_at_local_new_year_drops_gold_to_silver", YEARLY, E("t2", at(2027, 1, 1), "time_advanced"), M26)
quote("member", "a_quote_after_a_due_review_prices_at_the_new_tier", YEARLY, cart(ln("a", 10000)), at(2027, 1, 5), M26)
M26b = replay(YEARLY, GOLD + order("o2", at(2026, 5, 30), 250000, at(2026, 6, 1)))
apply("member", "review_keeps_gold_when_retention_is_met", YEARLY, E("t2", at(2027, 1, 1), "time_advanced"), M26b)
apply("member", "a_refund_does_not_downgrade_at_once", YEARLY, E("r1", at(2025, 3, 20), "order_refunded", order="o1"), M)
view("member", "after_a_refund_the_summary_shows_the_lower_growth", "member_summary", YEARLY,
     replay(YEARLY, GOLD + [E("r1", at(2025, 3, 20), "order_refunded", order="o1")]), at(2025, 3, 21))
QUARTER = with_tiers(R(), TIERS, review={"period": "quarter"})
Q = [join(at(2026, 1, 2))] + order("o1", at(2026, 1, 14), 600000, at(2026, 1, 15))
case("member", "quarterly_review_drops_after_a_quarter_without_growth", "replay",
     {"rules": QUARTER, "events": Q + [E("t", at(2026, 7, 1), "time_advanced")]})
view("member", "quarterly_review_outlook_in_the_second_quarter", "member_summary", QUARTER, replay(QUARTER, Q), at(2026, 5, 15))
MONTH = with_tiers(R(), TIERS, review={"period": "month"})
case("member", "monthly_review_runs_month_after_month", "replay",
     {"rules": MONTH, "events": [join(at(2026, 1, 2))] + order("o1", at(2026, 1, 14), 2100000, at(2026, 1, 15)) +
      order("o2", at(2026, 2, 3), 900000, at(2026, 2, 4)) + [E("t", at(2026, 4, 1), "time_advanced")]})
ROLLING = with_tiers(R(), TIERS, growth={"per_yuan": 1, "window": {"type": "rolling", "days": 30}})
MR = replay(ROLLING, [join(at(2026, 1, 2))] + order("o1", at(2026, 1, 9), 60000, at(2026, 1, 10)) +
            order("o2", at(2026, 2, 1), 60000, at(2026, 2, 2)))
view("member", "rolling_window_counts_the_last_30_days", "member_summary", ROLLING, MR, at(2026, 2, 5))
view("member", "rolling_window_drops_old_growth", "member_summary", ROLLING, MR, at(2026, 2, 10))
SPEND = with_tiers(R(), TIERS, growth={"per_yuan": 3})
view("member", "spend_needed_for_the_next_tier_rounds_up", "member_summary", SPEND,
     replay(SPEND, [join()] + order("o1", T0 + MIN, 3300, T0 + 2 * MIN)), NOW)
case("member", "summary_of_a_member_who_has_not_joined", "member_summary", {"rules": YEARLY, "member": replay(YEARLY, []), "now": NOW})
quote("member", "quote_for_a_member_who_has_not_joined", YEARLY, cart(ln("a", 100)), NOW, replay(YEARLY, []))
quote("member", "quote_before_the_members_last_event", YEARLY, cart(ln("a", 100)), at(2025, 3, 10, 9), M)
view("member", "summary_before_the_members_last_event", "member_summary", YEARLY, M, at(2025, 3, 10, 9))
# A state the engine could never produce (edited by hand) is refused.
bad = copy.deepcopy(M)
bad["growth_total"] = 100_000_000_000_000
bad["points"]["debt"] = -1
quote("member", "a_corrupted_member_state_is_refused", YEARLY, cart(ln("a", 100)), NOW, bad)
PAID = R(membership={"growth": {"per_yuan": 1}, "tiers": [tier("member", "会员", 0)],
                     "paid_plans": [{"id": "plus", "name": "PLUS 月卡", "price": 1500, "days": 30}],
                     "paid_benefits": {"discount_bp": 9500, "free_shipping_over": 0}})
MP = replay(PAID, [join(at(2026, 3, 1, 9)), E("pp", at(2026, 3, 1, 10), "membership_purchased", plan="plus")])
view("member", "paid_card_active_at_its_last_millisecond", "member_summary", PAID, MP, at(2026, 3, 30, 23, 59, 59, 999))
view("member", "paid_card_lapsed_one_millisecond_later", "member_summary", PAID, MP, at(2026, 3, 31))

# ------------------------------------------------------------------- views

VR = R(points={"earn_per_yuan": 1, "expiry": {"type": "days", "days": 10},
               "activities": {"sign_up": {"points": 300}, "share": {"points": 50}},
               "redeem": {"unit_points": 100, "unit_fen": 100, "max_share_bp": 5000},
               "mall": [{"id": "m", "name": "10元券", "cost": 200, "reward": {"type": "coupon", "template": "no10"}}]},
       coupons=[tpl("no10", "无门槛10元", amount_off(1000), days(30), per_member_limit=9),
                tpl("soon", "3天券", amount_off(100), days(3)),
                tpl("next", "下月券", amount_off(100), window("2026-04-01T00:00", "2026-05-01T00:00")),
                tpl("old", "二月券", amount_off(100), window("2026-02-01T00:00", "2026-03-06T00:00"))])
HIST = [join(T0), E("s1", T0 + DAY, "activity", name="share"),
        E("mall", T0 + 2 * DAY, "mall_exchanged", item="m"),
        E("o1", T0 + 3 * DAY, "order_placed", order="o1", cart=cart(ln("a", 30000), points=100)),
        E("o1-done", T0 + 3 * DAY + HOUR, "order_completed", order="o1"),
        E("o2", T0 + 4 * DAY, "order_placed", order="o2", cart=cart(ln("b", 5000))),
        E("o1-r", T0 + 5 * DAY, "order_refunded", order="o1")]
MH = replay(VR, HIST)
view("views", "points_history_lists_every_kind_of_entry_newest_first", "points_history", VR, MH, T0 + 12 * DAY)
view("views", "points_history_before_anything_expires", "points_history", VR, MH, T0 + 5 * DAY)
MW = replay(VR, [join(T0)] + claims([("no10", "w1"), ("soon", "w2"), ("next", "w3"), ("old", "w4"), ("no10", "w5")]) +
            [E("use", T0 + 2 * MIN, "coupon_used", coupon="w5", reference="pos-9")])
view("views", "coupon_wallet_available_first_then_not_yet_valid_used_expired", "coupon_wallet", VR, MW, T0 + 4 * DAY)
view("views", "coupon_wallet_the_last_day_is_local", "coupon_wallet", VR, MW, T0 + HOUR)
TG = R(coupons=[tpl("vip", "VIP 券", amount_off(500), audience={"tags": ["vip"]}),
                tpl("gone", "过期券", amount_off(500), window("2026-01-01T00:00", "2026-03-01T00:00"))],
       membership={"growth": {"per_yuan": 1}, "tiers": [tier("member", "会员", 0, birthday={"when": "month", "coupon": "bday"})]})
TG["coupons"].append(tpl("bday", "生日券", amount_off(1000)))


def member_events(mid, extra=(), t=T0):
    return [E(f"{mid}-join", t, "joined", member=mid)] + list(extra)


m1 = replay(TG, member_events("m1", [E("m1-p", T0 + 1, "profile_set", tags=["vip"])]))
m2 = replay(TG, member_events("m2"))
m3 = replay(TG, [])
m4 = replay(TG, member_events("m4", [E("m4-p", T0 + DAY, "profile_set", tags=["vip"])]))
m5 = replay(TG, member_events("m5", [E("m5-p", T0 + 1, "profile_set", tags=["vip"]),
                                     E("m5-c", T0 + 2, "coupon_claimed", template="vip")]))
case("views", "eligible_members_says_why_each_one_is_not", "eligible_members",
     {"rules": TG, "template": "vip", "members": [m1, m2, m3, m4, m5], "now": T0 + HOUR})
case("views", "eligible_members_of_an_expired_template", "eligible_members",
     {"rules": TG, "template": "gone", "members": [m1, m2], "now": T0 + HOUR})
case("views", "eligible_members_of_an_unknown_template", "eligible_members",
     {"rules": TG, "template": "nope", "members": [m1], "now": T0 + HOUR})
b1 = replay(TG, member_events("b1", [E("b1-p", T0 + 1, "profile_set", birthday="03-20"),
                                     E("b1-c", T0 + 2, "coupon_claimed", template="bday")]))
b2 = replay(TG, member_events("b2", [E("b2-p", T0 + 1, "profile_set", birthday="03-21")]))
b3 = replay(TG, member_events("b3", [E("b3-p", T0 + 1, "profile_set", birthday="07-01")]))
case("views", "eligible_members_of_a_birthday_coupon_counts_this_years_claim", "eligible_members",
     {"rules": TG, "template": "bday", "members": [b1, b2, b3], "now": T0 + HOUR})
SEG = R(coupons=[tpl("back", "回归券", amount_off(1500), audience={"segments": ["silent", "prospect"]})])
s_new = replay(SEG, member_events("new"))
s_active = replay(SEG, member_events("active", order("o1", T0 + 80 * DAY, 1000)))
s_silent = replay(SEG, member_events("silent", order("o1", T0 + MIN, 1000), t=T0))
s_loyal = replay(SEG, member_events("loyal", order("o1", T0 + MIN, 10000) + order("o2", T0 + 50 * DAY, 10000) +
                                    order("o3", T0 + 100 * DAY, 10000)))
case("views", "eligible_members_by_lifecycle_segment", "eligible_members",
     {"rules": SEG, "template": "back", "members": [s_new, s_active, s_silent, s_loyal], "now": T0 + 100 * DAY + HOUR})

# ------------------------------------------------------ lifecycle alerts

# Defaults: new 30 days, at risk after 60 (or 2 × the usual interval),
# silent after 90, lost after 180, loyal 3 orders and ¥300.00 in 365 days.
LC = R(coupons=[tpl("winback", "老友回归券", amount_off(1500)), tpl("hello", "首单后关怀券", amount_off(500))],
       lifecycle={"actions": [
           {"from": "loyal", "to": "silent", "coupon": "winback", "task": "导购一对一回访"},
           {"to": "at_risk", "task": "提醒导购联系"},
           {"from": "prospect", "to": "new", "coupon": "hello"}]})
LC_SINCE = "2026-09-01"
LC_NOW = at(2026, 11, 15, 12)


def om(t, fen):
    return {"at": t, "paid": fen}


LC_MEMBERS = [
    # loyal on 09-01 (3 orders, ¥360.00), no order since 08-03: silent from 11-02
    {"id": "loyal-silent", "joined_at": at(2026, 1, 5, 10),
     "orders": [om(at(2026, 5, 1, 10), 12000), om(at(2026, 7, 1, 10), 12000), om(at(2026, 8, 3, 10), 12000)]},
    # weekly buyer: usual interval 7, at risk after 14 days without an order (11-01 → 11-16 would be 15)
    {"id": "weekly", "joined_at": at(2026, 1, 5, 10),
     "orders": [om(at(2026, 10, d, 10), 5000) for d in (4, 11, 18, 25)]},
    # joined before, first order on 11-10: prospect → new
    {"id": "first", "joined_at": at(2026, 8, 1, 10), "orders": [om(at(2026, 11, 10, 9), 9900)]},
    # joined after `since`, no order: prospect, from null
    {"id": "joined", "joined_at": at(2026, 10, 1, 10)},
    # still active: no change
    {"id": "steady", "joined_at": at(2025, 1, 5, 10),
     "orders": [om(at(2026, 8, 20, 10), 3000), om(at(2026, 11, 1, 10), 3000)]},
    # ordered on 2026-01-02 only: silent on 09-01, lost from 07-02 … already lost: no change
    {"id": "gone", "joined_at": at(2025, 12, 1, 10), "orders": [om(at(2026, 1, 2, 10), 3000)]},
]
case("lifecycle", "alerts_say_who_moved_when_and_what_to_do", "lifecycle_alerts",
     {"rules": LC, "since": LC_SINCE, "now": LC_NOW, "members": LC_MEMBERS})
case("lifecycle", "alerts_for_a_weekly_buyer_turn_at_risk_after_twice_the_interval", "lifecycle_alerts",
     {"rules": LC, "since": "2026-10-25", "now": at(2026, 11, 9, 0), "members": [LC_MEMBERS[1]]})
case("lifecycle", "alerts_since_today_find_no_change", "lifecycle_alerts",
     {"rules": LC, "since": "2026-11-15", "now": LC_NOW, "members": LC_MEMBERS})
case("lifecycle", "alerts_bad_input_lists_every_problem", "lifecycle_alerts",
     {"rules": LC, "since": "2026-11-16", "now": LC_NOW, "members": [
         {"id": "", "joined_at": 5, "orders": [om(LC_NOW + 1, -1), om(LC_NOW, 10**14)]}]})
case("lifecycle", "rules_with_a_bad_lifecycle_block_list_every_problem", "validate_rules",
     {"rules": R(coupons=[tpl("winback", "老友回归券", amount_off(1500))],
                 lifecycle={"at_risk_days": 100, "silent_days": 90, "new_days": 0, "overdue_pct": 50,
                            "actions": [{"from": "loyal", "to": "loyal", "task": "x"},
                                        {"to": "lost"},
                                        {"to": "silent", "coupon": "nope"},
                                        {"to": "silent", "task": ""}]})})
m_sum = replay(LC, member_events("sum", order("o1", at(2026, 5, 1, 10), 12000) + order("o2", at(2026, 7, 1, 10), 12000)
                                 + order("o3", at(2026, 8, 3, 10), 12000), t=at(2026, 1, 5, 10)))
view("lifecycle", "member_summary_says_why_in_numbers", "member_summary", LC, m_sum, LC_NOW)

# --------------------------------------------------------------- big carts

BIG = R(shipping={"fee": 1000, "free_over": 9900},
        coupons=[tpl(f"o{i}", f"满{i * 10}减{i}", amount_off(i * 100, i * 1000)) for i in range(1, 8)] +
                [tpl(f"i{i}", f"茶{i}折", percent_off(9000 - i * 100, cap=i * 500), scope={"categories": ["tea"]}) for i in range(1, 8)] +
                [tpl(f"s{i}", f"运费减{i}", {"type": "shipping", "amount": i * 100}) for i in range(1, 4)] +
                [tpl("x1", "独享8折", percent_off(8000, cap=30000), exclusive=True), tpl("x2", "独享满1000减150", amount_off(15000, 100000), exclusive=True),
                 tpl("e1", "兑换券", {"type": "exchange", "sku": "s007"})])
assert len(BIG["coupons"]) == 20
MB = replay(BIG, [join()] + claims([t["id"] for t in BIG["coupons"]]))
LINES200 = [ln(f"s{i:03}", 100 + (i * 37) % 900, 1 + i % 3, "tea" if i % 2 else "snacks") for i in range(200)]
quote("big", "two_hundred_lines_and_twenty_coupons", BIG, cart(*LINES200), NOW, MB)
quote("big", "five_hundred_lines", R(), cart(*[ln(f"s{i:03}", 100 + i) for i in range(500)]), NOW)
quote("big", "five_hundred_and_one_lines_are_refused", R(), cart(*[ln(f"s{i:03}", 100) for i in range(501)]), NOW)
r = R(coupons=[tpl("f1", "减1分", amount_off(1))])
quote("big", "one_fen_over_two_hundred_equal_lines_goes_to_the_first", r, cart(*[ln(f"s{i:03}", 100) for i in range(200)]), NOW, holder(r, ["f1"]))
r = R(coupons=[tpl("f499", "减4.99元", amount_off(499))])
quote("big", "499_fen_over_500_equal_lines_skips_only_the_last", r, cart(*[ln(f"s{i:03}", 100) for i in range(500)]), NOW, holder(r, ["f499"]))

# -------------------------------------------------------------------- demo

DEMO = os.path.join(ROOT, "src", "demo")
DR = json.load(open(os.path.join(DEMO, "rules.json"), encoding="utf-8"))
DE = json.load(open(os.path.join(DEMO, "member_events.json"), encoding="utf-8"))
DC = json.load(open(os.path.join(DEMO, "cart.json"), encoding="utf-8"))
DEMO_NOW = 1_795_579_200_000  # src/demo.rs: 2026-11-25 12:00 Beijing
DM = replay(DR, DE)
case("demo", "replay_of_the_demo_member", "replay", {"rules": DR, "events": DE})
quote("demo", "quote_of_the_demo_cart", DR, DC, DEMO_NOW, DM)
quote("demo", "quote_of_the_demo_cart_for_a_guest", DR, dict(DC, points=0, coupons="best"), DEMO_NOW)
view("demo", "member_summary_of_the_demo_member", "member_summary", DR, DM, DEMO_NOW)
view("demo", "coupon_wallet_of_the_demo_member", "coupon_wallet", DR, DM, DEMO_NOW)
view("demo", "points_history_of_the_demo_member", "points_history", DR, DM, DEMO_NOW)
case("demo", "lifecycle_alerts_of_the_demo_rules", "lifecycle_alerts",
     {"rules": DR, "since": "2026-09-01", "now": DEMO_NOW, "members": [
         {"id": "m-loyal", "joined_at": at(2026, 1, 5, 10),
          "orders": [om(at(2026, 5, 1, 10), 12000), om(at(2026, 7, 1, 10), 12000), om(at(2026, 8, 30, 10), 12000)]},
         {"id": "m-quiet", "joined_at": at(2026, 1, 5, 10), "orders": [om(at(2026, 6, 1, 10), 8800)]},
         {"id": "m-first", "joined_at": at(2026, 8, 1, 10), "orders": [om(at(2026, 11, 20, 20), 9900)]}]})
