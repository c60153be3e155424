"""Booking events on a member's state: joining, profiles, orders and refunds,
check-in and activities, the points mall, coupons, paid cards, replay."""

from gen import *  # noqa: F401,F403

# One small shop used through this file.
SHOP = R(
    catalog=[{"sku": "bag", "name": "山茶帆布袋", "category": "gifts", "price": 1900},
             {"sku": "tea", "name": "龙井", "category": "tea", "price": 10000},
             {"sku": "cup", "name": "玻璃杯", "category": "teaware", "price": 1000}],
    shipping={"fee": 1000, "free_over": 9900},
    membership={"growth": {"per_yuan": 1},
                "tiers": [tier("member", "普通会员", 0, birthday={"when": "month", "coupon": "bday"}),
                          tier("silver", "银卡", 1000, retain=500, discount_bp=9500),
                          tier("gold", "金卡", 5000, retain=2000, discount_bp=9000, points_multiplier_pct=150)],
                "review": {"period": "year"},
                "paid_plans": [{"id": "plus", "name": "PLUS 月卡", "price": 1500, "days": 30}],
                "paid_benefits": {"discount_bp": 9500}},
    points={"earn_per_yuan": 1, "expiry": {"type": "month_end", "months": 12},
            "activities": {"sign_up": {"points": 100}, "follow": {"points": 50, "times_total": 1},
                           "share": {"points": 10, "times_per_day": 3}, "review": {"points": 80}},
            "daily_cap": 200,
            "check_in": {"daily": 5, "streak_bonus": [{"day": 3, "points": 10}, {"day": 7, "points": 50}], "cycle_days": 7},
            "redeem": {"unit_points": 100, "unit_fen": 100, "max_share_bp": 3000},
            "mall": [{"id": "m10", "name": "10元券", "cost": 100, "reward": {"type": "coupon", "template": "no10"}},
                     {"id": "mbag", "name": "帆布袋", "cost": 150, "reward": {"type": "gift", "sku": "bag"}}]},
    coupons=[tpl("new20", "新人满99减20", amount_off(2000, 9900), days(7), audience={"new_members_only": True}),
             tpl("c200", "满200减30", amount_off(3000, 20000), window("2026-03-01T00:00", "2026-04-01T00:00"), per_member_limit=2),
             tpl("gold50", "金卡满300减50", amount_off(5000, 30000), audience={"tiers": ["gold"]}),
             tpl("vip5", "VIP 专享5元", amount_off(500), audience={"tags": ["vip"]}),
             tpl("plus8", "PLUS 8折", percent_off(8000, cap=2000), audience={"paid_members_only": True}),
             tpl("loyal15", "老客回归15元", amount_off(1500), audience={"segments": ["silent"]}),
             tpl("bday", "生日券", amount_off(1000), days(30)),
             tpl("no10", "无门槛10元", amount_off(1000), days(30), per_member_limit=5),
             tpl("feb", "二月券", amount_off(100), window("2026-02-01T00:00", "2026-03-01T00:00"))],
)

T = T0
J = [join(T)]
M0 = replay(SHOP, J)  # joined at T0 with 100 sign-up points


def ev(name, event, member=M0, rules=SHOP):
    apply("events", name, rules, event, member)


def later(k):
    return T + k * MIN

# ------------------------------------------------------------------ joining

apply("events", "joining_credits_sign_up_points", SHOP, join(T))
ev("joining_twice_is_refused", join(later(1), id="e-join-2"))
apply("events", "an_event_before_joining_is_refused", SHOP, E("e1", T, "checked_in"))
apply("events", "an_event_before_joining_is_refused_with_an_empty_state", SHOP, E("e1", T, "checked_in"), replay(SHOP, []))
ev("empty_event_id", E("", later(1), "checked_in"))
apply("events", "member_id_of_65_bytes", SHOP, E("e1", T, "joined", member="m" * 65))
ev("the_same_event_id_twice", E("e-join", later(1), "checked_in"))
ev("an_event_earlier_than_the_last", E("e1", T - 1, "checked_in"))
ev("an_event_at_the_same_millisecond_as_the_last", E("e1", T, "checked_in"))
ev("an_event_after_2199", E("e1", 7_258_118_400_000, "checked_in"))

# ------------------------------------------------------------------ profile

ev("profile_sets_the_birthday_and_sorted_unique_tags", E("p1", later(1), "profile_set", birthday="1990-07-15", tags=["vip", "上海", "vip", "a"]))
MB = replay(SHOP, J + [E("p1", later(1), "profile_set", birthday="07-15")])
ev("a_birthday_cannot_change", E("p2", later(2), "profile_set", birthday="07-16"), MB)
ev("the_same_birthday_again_is_accepted", E("p2", later(2), "profile_set", birthday="07-15", tags=[]), MB)
ev("an_empty_tag_is_refused", E("p1", later(1), "profile_set", tags=["ok", ""]))

# ------------------------------------------------------------------- orders

# Joined at T0 with 100 points; claims 新人满99减20 (c1).
MC = replay(SHOP, J + [E("cl1", later(1), "coupon_claimed", template="new20", coupon="c1")])
BUY = cart(ln("tea", 10000, 1, "tea"), ln("cup", 1000, 2, "teaware"), points=100)
# By hand: goods ¥120 − 新人 ¥20 = ¥100 ≥ ¥99 free shipping; 100 points = ¥1;
# payable ¥99.00.
ev("order_books_the_coupon_and_the_points", E("o1", later(2), "order_placed", order="o1", cart=BUY, expect_payable=9900), MC)
ev("order_refused_when_the_payable_differs", E("o1", later(2), "order_placed", order="o1", cart=BUY, expect_payable=9901), MC)
ev("order_refused_when_the_rules_changed", E("o1", later(2), "order_placed", order="o1", cart=BUY,
                                             expect_fingerprint="sha256:" + "0" * 64), MC)
ev("order_with_an_empty_id", E("o1", later(2), "order_placed", order="", cart=BUY), MC)
ev("order_with_an_empty_cart_reports_the_cart_path", E("o1", later(2), "order_placed", order="o1", cart=cart()), MC)
ev("order_with_more_points_than_the_balance", E("o1", later(2), "order_placed", order="o1",
                                                cart=cart(ln("tea", 10000, 1, "tea"), points=200)), MC)
MO = replay(SHOP, J + [E("cl1", later(1), "coupon_claimed", template="new20", coupon="c1"),
                       E("o1", later(2), "order_placed", order="o1", cart=BUY)])
ev("the_same_order_id_twice", E("o2", later(3), "order_placed", order="o1", cart=cart(ln("cup", 1000))), MO)
ev("completing_an_order_earns_its_points_and_growth", E("done", later(3), "order_completed", order="o1"), MO)
ev("completing_an_unknown_order", E("done", later(3), "order_completed", order="o9"), MO)
MD = replay(SHOP, J + [E("cl1", later(1), "coupon_claimed", template="new20", coupon="c1"),
                       E("o1", later(2), "order_placed", order="o1", cart=BUY),
                       E("done", later(3), "order_completed", order="o1")])
ev("completing_an_order_twice", E("done2", later(4), "order_completed", order="o1"), MD)

# ------------------------------------------------------------------ refunds

ev("refund_one_unit_before_completion", E("r1", later(4), "order_refunded", order="o1", lines=[{"line": 1, "quantity": 1}]), MO)
ev("refund_one_unit_after_completion_claws_back", E("r1", later(4), "order_refunded", order="o1", lines=[{"line": 1, "quantity": 1}]), MD)
ev("refund_everything_returns_the_coupon_and_the_shipping", E("r1", later(4), "order_refunded", order="o1"), MD)
ev("refund_everything_after_the_coupon_expired_keeps_it_used", E("r1", T + 8 * DAY, "order_refunded", order="o1"), MD)
ev("refund_a_line_the_order_does_not_have", E("r1", later(4), "order_refunded", order="o1", lines=[{"line": 2, "quantity": 1}]), MD)
ev("refund_more_units_than_are_left", E("r1", later(4), "order_refunded", order="o1",
                                        lines=[{"line": 1, "quantity": 1}, {"line": 1, "quantity": 2}]), MD)
ev("refund_zero_units", E("r1", later(4), "order_refunded", order="o1", lines=[{"line": 0, "quantity": 0}]), MD)
MR = replay(SHOP, J + [E("cl1", later(1), "coupon_claimed", template="new20", coupon="c1"),
                       E("o1", later(2), "order_placed", order="o1", cart=BUY),
                       E("r1", later(4), "order_refunded", order="o1")])
ev("nothing_left_to_refund", E("r2", later(5), "order_refunded", order="o1"), MR)
ev("refunding_an_unknown_order", E("r2", later(5), "order_refunded", order="o9"), MR)
# With the PLUS card (9.5折), 3 × ¥3.34 = ¥10.02 pays ¥9.52: the units come
# back as ¥3.17, ¥3.17, ¥3.18; of the order's 19 points x earned 10, clawed
# back as 3, 3, 4; y pays ¥9.50.
# Goods ¥19.02 pay ¥10.00 shipping: refunding the last line refunds it too.
THIRDS = [join(T), E("pp", later(1), "membership_purchased", plan="plus"),
          E("o1", later(2), "order_placed", order="o1", cart=cart(ln("x", 334, 3), ln("y", 1000))),
          E("done", later(3), "order_completed", order="o1"),
          E("r1", later(4), "order_refunded", order="o1", lines=[{"line": 0, "quantity": 1}]),
          E("r2", later(5), "order_refunded", order="o1", lines=[{"line": 0, "quantity": 1}]),
          E("r3", later(6), "order_refunded", order="o1", lines=[{"line": 0, "quantity": 1}])]
case("events", "refund_unit_by_unit_returns_exactly_what_was_paid", "replay", {"rules": SHOP, "events": THIRDS})
ev("refund_of_the_last_line_refunds_the_shipping", E("r4", later(7), "order_refunded", order="o1"), replay(SHOP, THIRDS))
ev("refund_then_complete_earns_only_for_what_was_kept", E("done", later(5), "order_completed", order="o1"),
   replay(SHOP, J + [E("o1", later(1), "order_placed", order="o1", cart=cart(ln("tea", 10000, 1, "tea"), ln("cup", 1000, 3, "teaware"))),
                     E("r1", later(2), "order_refunded", order="o1", lines=[{"line": 1, "quantity": 2}])]))
# Points earned by an order, then spent in the mall; the refund claws back
# what is left and the rest becomes a debt that the next points pay off.
DEBT = J + [E("o1", later(1), "order_placed", order="o1", cart=cart(ln("tea", 20000, 1, "tea"))),
            E("done", later(2), "order_completed", order="o1"),
            E("mall", later(3), "mall_exchanged", item="mbag"),
            E("r1", later(4), "order_refunded", order="o1")]
case("events", "claw_back_of_spent_points_becomes_a_debt", "replay", {"rules": SHOP, "events": DEBT})
# The order's points expire unspent before the refund: they are lost
# already, so the refund takes nothing more (no debt, other lots untouched).
EXPIRED = J + [E("o1", later(1), "order_placed", order="o1", cart=cart(ln("tea", 20000, 1, "tea"))),
               E("done", later(2), "order_completed", order="o1"),
               E("r1", later(2) + 400 * DAY, "order_refunded", order="o1")]
case("events", "points_that_expired_unspent_are_not_clawed_back_again", "replay", {"rules": SHOP, "events": EXPIRED})
case("events", "the_next_points_pay_the_debt_first", "replay", {"rules": SHOP, "events": DEBT + [
    E("a1", later(5), "activity", name="review"), E("a2", later(6), "activity", name="review")]})
# Points used on an order go back to the lots they came from.
USED = J + [E("a1", later(1), "activity", name="review"), E("a2", later(2), "activity", name="follow"),
            E("o1", later(3), "order_placed", order="o1", cart=cart(ln("tea", 10000, 1, "tea"), ln("cup", 1000, 1, "teaware"), points=200))]
ev("points_used_go_back_to_their_lots", E("r1", later(4), "order_refunded", order="o1", lines=[{"line": 0, "quantity": 1}]), replay(SHOP, USED))

# ------------------------------------------------------ check-in, activities

def days_of_check_in(n, start=T):
    return [E(f"ci{d}", start + d * DAY, "checked_in") for d in range(1, n + 1)]


case("events", "check_in_streak_bonus_on_day_3_and_7_and_a_new_cycle_on_day_8", "replay",
     {"rules": SHOP, "events": J + days_of_check_in(8)})
case("events", "a_missed_day_restarts_the_streak", "replay",
     {"rules": SHOP, "events": J + days_of_check_in(2) + [E("ci4", T + 4 * DAY, "checked_in")]})
apply("events", "check_in_when_the_shop_has_none", R(), E("ci", later(1), "checked_in"), holder(R()))
ev("follow_pays_once", E("f2", later(2), "activity", name="follow"), replay(SHOP, J + [E("f1", later(1), "activity", name="follow")]))
SHARES = J + [E(f"s{i}", later(i), "activity", name="share") for i in range(1, 4)]
ev("share_pays_three_times_a_day", E("s4", later(4), "activity", name="share"), replay(SHOP, SHARES))
ev("share_pays_again_the_next_local_day", E("s4", at(2026, 3, 3), "activity", name="share"), replay(SHOP, SHARES))
ev("an_unknown_activity", E("x", later(1), "activity", name="dance"))
ev("sign_up_is_not_an_activity", E("x", later(1), "activity", name="sign_up"))
# Sign-up points do not count toward the daily cap of 200: reviews pay 80,
# 80, then the third is cut to 40 and a fourth gets nothing.
CAP = J + [E("v1", later(1), "activity", name="review"), E("v2", later(2), "activity", name="review")]
ev("daily_cap_cuts_the_last_credit", E("v3", later(3), "activity", name="review"), replay(SHOP, CAP))
ev("daily_cap_reached", E("v4", later(4), "activity", name="review"),
   replay(SHOP, CAP + [E("v3", later(3), "activity", name="review")]))

# ---------------------------------------------------------------- the mall

ev("mall_exchange_for_a_coupon", E("x1", later(1), "mall_exchanged", item="m10"))
ev("mall_exchange_for_a_gift", E("x1", later(1), "mall_exchanged", item="mbag", coupon="unused-id"),
   replay(SHOP, J + [E("f1", later(1), "activity", name="follow")]))
ev("mall_exchange_without_enough_points", E("x1", later(1), "mall_exchanged", item="mbag"))
ev("mall_item_that_does_not_exist", E("x1", later(1), "mall_exchanged", item="m99"))

# ------------------------------------------------------------------ coupons

ev("claim_a_coupon", E("cl", later(1), "coupon_claimed", template="c200"))
ev("claim_an_unknown_template", E("cl", later(1), "coupon_claimed", template="c999"))
ev("claim_needs_the_tier", E("cl", later(1), "coupon_claimed", template="gold50"))
ev("claim_needs_the_tag", E("cl", later(1), "coupon_claimed", template="vip5"))
ev("claim_with_the_tag", E("cl", later(2), "coupon_claimed", template="vip5"),
   replay(SHOP, J + [E("p", later(1), "profile_set", tags=["vip"])]))
ev("claim_for_new_members_after_an_order", E("cl", later(3), "coupon_claimed", template="new20"), MO)
ev("claim_needs_a_paid_card", E("cl", later(1), "coupon_claimed", template="plus8"))
ev("claim_needs_the_lifecycle_segment", E("cl", later(1), "coupon_claimed", template="loyal15"))
ev("claim_by_a_silent_member", E("cl", T + 100 * DAY, "coupon_claimed", template="loyal15"), MO)
ev("birthday_coupon_outside_the_birthday_month", E("cl", later(2), "coupon_claimed", template="bday"), MB)
MBM = replay(SHOP, J + [E("p1", later(1), "profile_set", birthday="03-20")])
ev("birthday_coupon_in_the_birthday_month", E("cl", later(2), "coupon_claimed", template="bday"), MBM)
MBC = replay(SHOP, J + [E("p1", later(1), "profile_set", birthday="03-20"), E("cl", later(2), "coupon_claimed", template="bday")])
ev("birthday_coupon_once_a_year", E("cl2", at(2026, 3, 30), "coupon_claimed", template="bday", coupon="b2"), MBC)
ev("birthday_coupon_again_the_next_year", E("cl2", at(2027, 3, 1), "coupon_claimed", template="bday", coupon="b2"), MBC)
ev("claim_when_the_host_says_none_are_left", E("cl", later(1), "coupon_claimed", template="c200", stock_left=0))
ev("claim_with_one_left", E("cl", later(1), "coupon_claimed", template="c200", stock_left=1))
M2 = replay(SHOP, J + claims([("c200", "x1"), ("c200", "x2")]))
ev("claim_beyond_the_per_member_limit", E("cl", later(5), "coupon_claimed", template="c200", coupon="x3"), M2)
ev("claim_after_the_window_ended", E("cl", later(1), "coupon_claimed", template="feb"))
ev("claim_with_a_coupon_id_already_in_the_wallet", E("cl", later(5), "coupon_claimed", template="no10", coupon="x1"), M2)
ev("claim_with_a_coupon_id_of_65_bytes", E("cl", later(1), "coupon_claimed", template="no10", coupon="k" * 65))
WIDE = R(coupons=[tpl("a", "券A", amount_off(100), per_member_limit=1000), tpl("b", "券B", amount_off(100))])
ev("claim_into_a_full_wallet", E("cl", later(2000), "coupon_claimed", template="b"),
   replay(WIDE, [join(T)] + claims(["a"] * 1000)), WIDE)
ev("use_a_coupon_outside_the_shop", E("u", later(5), "coupon_used", coupon="x1", reference="pos-1"), M2)
MU = replay(SHOP, J + claims([("c200", "x1"), ("c200", "x2")]) + [E("u", later(5), "coupon_used", coupon="x1", reference="pos-1")])
ev("use_a_coupon_twice", E("u2", later(6), "coupon_used", coupon="x1", reference="pos-2"), MU)
ev("use_a_coupon_that_is_not_in_the_wallet", E("u2", later(6), "coupon_used", coupon="nope", reference="pos-2"), MU)
ev("use_an_expired_coupon", E("u2", at(2026, 4, 1), "coupon_used", coupon="x2", reference="pos-2"), MU)
MN = replay(SHOP, [join(at(2026, 2, 20))] + claims([("c200", "x1")], at(2026, 2, 20, 1)))
ev("use_a_coupon_before_its_window", E("u", at(2026, 2, 28, 23, 59, 59, 999), "coupon_used", coupon="x1", reference="pos-1"), MN)
ev("restore_a_used_coupon", E("rs", later(6), "coupon_restored", coupon="x1"), MU)
ev("restore_an_unused_coupon", E("rs", later(6), "coupon_restored", coupon="x2"), MU)

# --------------------------------------------------------- paid membership

ev("buy_a_30_day_card", E("pp", later(1), "membership_purchased", plan="plus"))
MP = replay(SHOP, J + [E("pp", later(1), "membership_purchased", plan="plus")])
ev("renewing_adds_30_days_to_the_end", E("pp2", T + 10 * DAY, "membership_purchased", plan="plus"), MP)
ev("buying_again_after_it_lapsed_starts_today", E("pp2", T + 40 * DAY, "membership_purchased", plan="plus"), MP)
ev("an_unknown_plan", E("pp", later(1), "membership_purchased", plan="gold-card"))
quote("events", "paid_card_gives_its_member_price", SHOP, cart(ln("tea", 10000, 1, "tea")), later(2), MP)
quote("events", "paid_card_price_ends_with_the_card", SHOP, cart(ln("tea", 10000, 1, "tea")), at(2026, 4, 1), MP)
ev("claim_with_a_paid_card", E("cl", later(2), "coupon_claimed", template="plus8"), MP)

# ------------------------------------------------------------------- replay

case("events", "replay_of_nothing_is_an_empty_state", "replay", {"rules": SHOP, "events": []})
case("events", "replay_reports_the_failing_event_by_index", "replay", {"rules": SHOP, "events": J + [
    E("a", later(1), "activity", name="follow"), E("b", later(2), "activity", name="follow")]})
case("events", "time_advanced_expires_points", "apply_event", {"rules": SHOP, "member": M0,
                                                               "event": E("t", at(2027, 4, 1), "time_advanced")})

# Points given back by a refund pay an open debt first: o1 earns 200, o2
# spends all 300 (30% of ¥10 = 300 fen = 3 units), refunding o1 leaves a
# debt of 200, refunding o2 gives 300 back: 200 pay the debt, 100 remain.
case("events", "points_given_back_by_a_refund_pay_the_debt_first", "replay", {"rules": SHOP, "events": J + [
    E("o1", later(1), "order_placed", order="o1", cart=cart(ln("tea", 20000, 1, "tea"))),
    E("o1-done", later(2), "order_completed", order="o1"),
    E("o2", later(3), "order_placed", order="o2", cart=cart(ln("cup", 1000, 1, "teaware"), points=300)),
    E("r1", later(4), "order_refunded", order="o1"),
    E("r2", later(5), "order_refunded", order="o2")]})
