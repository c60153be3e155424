"""Checkout quotes: rounding and allocation, thresholds, coupons, shipping,
points as cash, cart limits."""

from gen import *  # noqa: F401,F403

# ---------------------------------------------------------------- money

PCT85 = tpl("pct85", "8.5折券", percent_off(8500))
HALF = tpl("half", "5折券", percent_off(5000))
OFF10 = tpl("off10", "无门槛减10元", amount_off(1000))
OFF002 = tpl("off002", "减2分", amount_off(2))
OFF001 = tpl("off001", "减1分", amount_off(1))
OFF1 = tpl("off1", "减1元", amount_off(100))

r = R(coupons=[PCT85])
quote("money", "percent_coupon_14_85_fen_rounds_up_to_15", r, cart(ln("a", 99)), member=holder(r, ["pct85"]))
quote("money", "percent_coupon_0_45_fen_rounds_to_no_saving", r, cart(ln("a", 3)), member=holder(r, ["pct85"]))
r = R(coupons=[HALF])
quote("money", "half_price_on_one_fen_takes_the_whole_fen", r, cart(ln("a", 1)), member=holder(r, ["half"]))
r = with_tiers(R(), vip(9500))
quote("money", "member_price_rounds_half_up_per_line", r,
      cart(ln("a", 10), ln("b", 9), ln("c", 30), ln("d", 11)), member=holder(r))
r = R(coupons=[OFF10])
quote("money", "ten_yuan_over_three_equal_lines_gives_the_extra_fen_to_the_first", r,
      cart(ln("a", 3000), ln("b", 3000), ln("c", 3000)), member=holder(r, ["off10"]))
quote("money", "amount_off_never_exceeds_the_goods", r, cart(ln("a", 500)), member=holder(r, ["off10"]))
r = R(coupons=[OFF002])
quote("money", "two_fen_over_three_equal_lines_go_to_the_first_two", r,
      cart(ln("a", 100), ln("b", 100), ln("c", 100)), member=holder(r, ["off002"]))
r = R(coupons=[OFF1])
quote("money", "largest_remainder_beats_line_order", r, cart(ln("a", 1000), ln("b", 2000)), member=holder(r, ["off1"]))
r = R(coupons=[OFF001])
quote("money", "one_fen_over_seven_lines_goes_to_the_first_largest", r,
      cart(ln("a", 100), ln("b", 300), ln("c", 250), ln("d", 300), ln("e", 50), ln("f", 299), ln("g", 1)),
      member=holder(r, ["off001"]))
quote("money", "free_items_for_a_guest", R(shipping={"fee": 800}), cart(ln("gift", 0, 3)), member=None)
r = R()
quote("money", "points_and_growth_are_floored_9999_fen_earns_99", r, cart(ln("a", 9999)), member=holder(r))
r = with_tiers(R(), vip(10000, points_multiplier_pct=150))
quote("money", "points_multiplier_150_on_9_99_yuan_earns_14", r, cart(ln("a", 999)), member=holder(r))
r = with_points(R(), earn_per_yuan=3)
quote("money", "earned_points_are_split_over_lines_by_what_they_paid", r,
      cart(ln("a", 3333), ln("b", 3333), ln("c", 3334)), member=holder(r))
quote("money", "largest_price_and_quantity_are_accepted", R(), cart(ln("a", 10_000_000_000, 9999)), member=None)
# 10 lines of ¥100,000,000 × 9999 earn 10000 points a yuan × 10 × 10: the
# points figure leaves i64 and is refused, not wrapped.
r = with_points(with_tiers(R(), vip(10000, points_multiplier_pct=1000, member_day={"day_of_month": 2, "points_multiplier_pct": 1000})),
                earn_per_yuan=10000)
quote("money", "points_beyond_i64_are_an_overflow_error", r,
      cart(*[ln(f"s{i}", 10_000_000_000, 9999) for i in range(10)]), member=holder(r))
quote("money", "cart_problems_are_all_reported", R(), cart(
    ln("a", 100, 0), ln("b", 100, 10000), ln("c", -1), ln("d", 10_000_000_001), ln("", 100),
    ln("e", 100, 1, "类" * 22), points=-100, sold={"flash": {"e": -1}}), member=None)
quote("money", "empty_cart", R(), cart(), member=None)

# ----------------------------------------------------------- thresholds

C100 = tpl("c100", "满100减20", amount_off(2000, 10000))
r = R(coupons=[C100])
quote("threshold", "99_99_does_not_pass_man_100", r, cart(ln("a", 9999)), member=holder(r, ["c100"]))
quote("threshold", "exactly_100_passes_man_100", r, cart(ln("a", 10000)), member=holder(r, ["c100"]))
quote("threshold", "threshold_sums_every_eligible_line", r, cart(ln("a", 3333, 2), ln("b", 3334)), member=holder(r, ["c100"]))
r = with_tiers(R(coupons=[C100]), vip(9500))
quote("threshold", "tested_after_the_member_price", r, cart(ln("a", 10500)), member=holder(r, ["c100"]))
quote("threshold", "member_price_that_stays_at_100_passes", r, cart(ln("a", 10527)), member=holder(r, ["c100"]))
r = R(coupons=[tpl("c150", "满150减20", amount_off(2000, 15000))],
      campaigns=[camp("fr", "满150减10", "2026-03-01T00:00", "2026-04-01T00:00", full("amount", [(15000, {"amount_off": 1000})]))])
quote("threshold", "tested_after_the_full_reduction", r, cart(ln("a", 15500)), member=holder(r, ["c150"]))
ITEM5 = tpl("tea5", "茶叶立减5元", amount_off(500), scope={"categories": ["tea"]})
r = R(coupons=[ITEM5, C100])
quote("threshold", "order_coupon_threshold_after_the_item_coupon", r,
      cart(ln("longjing", 6000, 1, "tea"), ln("cup", 4200, 1, "teaware"), coupons=["c1", "c2"]),
      member=holder(r, ["tea5", "c100"]))
quote("threshold", "best_takes_the_order_coupon_alone_when_both_do_not_fit", r,
      cart(ln("longjing", 6000, 1, "tea"), ln("cup", 4200, 1, "teaware")), member=holder(r, ["tea5", "c100"]))
r = R(coupons=[tpl("p80", "满30打8折最高减10元", percent_off(8000, cap=1000, threshold=3000))])
quote("threshold", "percent_coupon_is_capped", r, cart(ln("a", 10000)), member=holder(r, ["p80"]))
quote("threshold", "percent_coupon_below_its_cap", r, cart(ln("a", 4001)), member=holder(r, ["p80"]))
quote("threshold", "percent_coupon_threshold_not_met", r, cart(ln("a", 2999)), member=holder(r, ["p80"]))
SHIP = R(shipping={"fee": 1000, "free_over": 9900})
quote("threshold", "free_shipping_at_exactly_99", SHIP, cart(ln("a", 9900)), member=None)
quote("threshold", "shipping_charged_at_98_99", SHIP, cart(ln("a", 9899)), member=None)
# The member's own lower threshold, and the shop's when it is lower: the
# answer says whose it was.
r = with_tiers(SHIP, [tier("vip", "会员", 0, free_shipping_over=6900)])
quote("threshold", "free_shipping_over_the_member_threshold", r, cart(ln("a", 6900)), member=holder(r))
quote("threshold", "the_shop_threshold_applies_to_a_guest", r, cart(ln("a", 6900)), member=None)
r = with_tiers(R(shipping={"fee": 1000, "free_over": 0}), [tier("vip", "会员", 0, free_shipping_over=0)])
quote("threshold", "free_shipping_for_everyone_is_the_shop_rule", r, cart(ln("a", 100)), member=holder(r))
r = R(shipping={"fee": 1000, "free_over": 9900}, coupons=[OFF1],
      points={"earn_per_yuan": 1, "expiry": {"type": "never"}, "activities": {"sign_up": {"points": 1000}},
              "redeem": {"unit_points": 100, "unit_fen": 100, "max_share_bp": 5000}})
quote("threshold", "free_shipping_is_tested_after_coupons_and_before_points", r,
      cart(ln("a", 10000), points="max"), member=holder(r, ["off1"]))
r = R(shipping={"fee": 1000}, coupons=[tpl("s", "满50免运费", {"type": "shipping", "threshold": 5000})])
quote("threshold", "shipping_coupon_threshold_not_met", r, cart(ln("a", 4999)), member=holder(r, ["s"]))
quote("threshold", "shipping_coupon_threshold_met", r, cart(ln("a", 5000)), member=holder(r, ["s"]))

# -------------------------------------------------------------- coupons

# The worked example in src/coupon.rs: goods ¥150 with tea ¥60; wallet
# 满100减20 (order), 9折 up to ¥10 (order), 满0减5 on tea (item) → ¥25.
r = R(coupons=[C100, tpl("p90", "9折最高减10元", percent_off(9000, cap=1000)), ITEM5])
quote("coupons", "worked_example_item_then_order_saves_25", r,
      cart(ln("longjing", 6000, 1, "tea"), ln("cup", 9000, 1, "teaware")), member=holder(r, ["c100", "p90", "tea5"]))
# Ties: equal saving → fewer coupons → soonest expiry → ids.
r = R(coupons=[tpl("ex10", "独享减10元", amount_off(1000), exclusive=True),
               tpl("i5", "茶叶减5元", amount_off(500), scope={"categories": ["tea"]}),
               tpl("o5", "全场减5元", amount_off(500))])
quote("coupons", "tie_on_saving_goes_to_fewer_coupons", r,
      cart(ln("longjing", 6000, 1, "tea")), member=holder(r, ["i5", "o5", "ex10"]))
r = R(coupons=[tpl("long", "减5元（30天）", amount_off(500), days(30)), tpl("short", "减5元（3天）", amount_off(500), days(3))])
quote("coupons", "tie_on_saving_goes_to_the_coupon_expiring_first", r, cart(ln("a", 5000)), member=holder(r, ["long", "short"]))
r = R(coupons=[tpl("o5", "减5元", amount_off(500), per_member_limit=2)])
quote("coupons", "tie_on_saving_and_expiry_goes_to_the_smaller_id", r, cart(ln("a", 5000)),
      member=replay(r, [join()] + claims([("o5", "z-coupon"), ("o5", "a-coupon")])))
r = R(coupons=[tpl("ex30", "独享8折", percent_off(8000), exclusive=True), C100, ITEM5])
quote("coupons", "exclusive_coupon_alone_beats_a_combination", r,
      cart(ln("longjing", 6000, 1, "tea"), ln("cup", 9000, 1, "teaware")), member=holder(r, ["ex30", "c100", "tea5"]))
quote("coupons", "combination_beats_a_weaker_exclusive_coupon", r,
      cart(ln("longjing", 6000, 1, "tea"), ln("cup", 4500, 1, "teaware")), member=holder(r, ["ex30", "c100", "tea5"]))
r = R(coupons=[C100, OFF10])
quote("coupons", "two_order_coupons_do_not_stack", r, cart(ln("a", 20000), coupons=["c2", "c1"]), member=holder(r, ["c100", "off10"]))
quote("coupons", "unknown_coupon_id_is_an_error", r, cart(ln("a", 20000), coupons=["c1", "c9"]), member=holder(r, ["c100", "off10"]))
quote("coupons", "coupons_none_lists_what_could_be_used", r, cart(ln("a", 20000), coupons="none"), member=holder(r, ["c100", "off10"]))
quote("coupons", "the_same_id_twice_counts_once", r, cart(ln("a", 20000), coupons=["c1", "c1"]), member=holder(r, ["c100", "off10"]))
quote("coupons", "guest_cannot_name_coupons", r, cart(ln("a", 20000), coupons=["c1"]), member=None)
quote("coupons", "guest_with_best_gets_no_coupons", r, cart(ln("a", 20000)), member=None)
used = holder(r, ["c100", "off10"], extra=[E("e-use", T0 + 10 * MIN, "coupon_used", coupon="c1", reference="pos-1")])
quote("coupons", "a_used_coupon_asked_for_says_why", r, cart(ln("a", 20000), coupons=["c1"]), member=used)
quote("coupons", "a_used_coupon_is_not_listed_with_best", r, cart(ln("a", 20000)), member=used)
r = R(coupons=[tpl("tea10", "茶叶减10元", amount_off(1000), scope={"categories": ["tea"]}),
               tpl("nopot", "除茶具外减1元", amount_off(100), scope={"exclude_categories": ["teaware"]}),
               tpl("sku", "指定龙井减1元", amount_off(100), scope={"skus": ["longjing"], "exclude_skus": ["longjing"]})])
quote("coupons", "scope_empty_and_excludes_win", r, cart(ln("pot", 30000, 1, "teaware")), member=holder(r, ["tea10", "nopot", "sku"]))
quote("coupons", "category_scope_covers_only_its_lines", r,
      cart(ln("longjing", 800, 1, "tea"), ln("pot", 30000, 1, "teaware")), member=holder(r, ["tea10", "nopot", "sku"]))
r = R(coupons=[tpl("swap", "茉莉花茶兑换券", {"type": "exchange", "sku": "jasmine"})])
quote("coupons", "exchange_coupon_makes_one_unit_free", r, cart(ln("jasmine", 3900, 3, "tea")), member=holder(r, ["swap"]))
quote("coupons", "exchange_coupon_takes_the_floor_share_of_a_discounted_line", with_tiers(r, vip(9500)),
      cart(ln("jasmine", 3333, 3, "tea")), member=holder(with_tiers(r, vip(9500)), ["swap"]))
quote("coupons", "exchange_coupon_without_its_sku", r, cart(ln("longjing", 16800, 1, "tea")), member=holder(r, ["swap"]))
quote("coupons", "exchange_coupon_on_a_free_unit_saves_nothing", r, cart(ln("jasmine", 0, 1, "tea")), member=holder(r, ["swap"]))
r = R(shipping={"fee": 1200}, coupons=[tpl("s5", "运费减5元", {"type": "shipping", "amount": 500}),
                                       tpl("sall", "免运费", {"type": "shipping"})])
quote("coupons", "shipping_coupon_best_takes_the_whole_fee", r, cart(ln("a", 3000)), member=holder(r, ["s5", "sall"]))
quote("coupons", "shipping_coupon_with_an_amount", r, cart(ln("a", 3000), coupons=["c1"]), member=holder(r, ["s5", "sall"]))
r = R(shipping={"fee": 1000, "free_over": 9900}, coupons=[tpl("sall", "免运费", {"type": "shipping"})])
quote("coupons", "shipping_coupon_when_shipping_is_already_free", r, cart(ln("a", 9900)), member=holder(r, ["sall"]))
# A goods coupon that drops the goods below free shipping brings the fee
# back: ¥5 off ¥100 would make the shopper pay ¥105, so best uses nothing.
r = R(shipping={"fee": 1000, "free_over": 9900}, coupons=[tpl("o5", "无门槛减5元", amount_off(500))])
quote("coupons", "best_skips_a_coupon_that_brings_the_shipping_fee_back", r, cart(ln("a", 10000)), member=holder(r, ["o5"]))
quote("coupons", "a_coupon_asked_for_may_bring_the_shipping_fee_back", r, cart(ln("a", 10000), coupons=["c1"]), member=holder(r, ["o5"]))
r = R(shipping={"fee": 1000, "free_over": 9900}, coupons=[tpl("o20", "无门槛减20元", amount_off(2000))])
quote("coupons", "best_uses_a_coupon_worth_more_than_the_fee_it_brings_back", r, cart(ln("a", 10000)), member=holder(r, ["o20"]))
r = R(coupons=[tpl("later", "下周可用", amount_off(500), window("2026-03-09T00:00", "2026-03-16T00:00")),
               tpl("gone", "已过期", amount_off(500), window("2026-02-01T00:00", "2026-03-01T00:00")),
               tpl("ok", "可用", amount_off(100))])
quote("coupons", "not_yet_valid_and_expired_coupons_say_so", r, cart(ln("a", 5000)),
      member=replay(r, [join(at(2026, 2, 1, 9)), E("e1", at(2026, 2, 1, 10), "coupon_claimed", template="gone", coupon="g1"),
                        E("e2", T0, "coupon_claimed", template="later", coupon="l1"),
                        E("e3", T0 + 1, "coupon_claimed", template="ok", coupon="k1")]))
full_rules = R(coupons=[tpl("x", "旧券", amount_off(100))])
quote("coupons", "a_coupon_whose_template_was_removed", R(coupons=[tpl("y", "新券", amount_off(100))]),
      cart(ln("a", 5000)), member=holder(full_rules, ["x"]))
r = R(coupons=[tpl("o1", "减1元", amount_off(100), per_member_limit=201)])
quote("coupons", "more_than_200_unused_coupons_is_refused", r, cart(ln("a", 5000)),
      member=replay(r, [join()] + claims(["o1"] * 201)))
r = R(coupons=[tpl("o1", "减1元", amount_off(100), per_member_limit=200)])
quote("coupons", "200_unused_coupons_are_searched", r, cart(ln("a", 5000)),
      member=replay(r, [join()] + claims(["o1"] * 200)))

# ------------------------------------------------------------- points as cash

PTS = {"earn_per_yuan": 1, "expiry": {"type": "never"}, "activities": {"sign_up": {"points": 1250}},
       "redeem": {"unit_points": 100, "unit_fen": 100, "max_share_bp": 3000}}
r = R(points=PTS)
m = holder(r)
quote("points_cash", "max_is_capped_at_30_percent_of_the_goods", r, cart(ln("a", 2999), points="max"), member=m)
quote("points_cash", "max_is_limited_by_the_balance_in_whole_units", r, cart(ln("a", 100000), points="max"), member=m)
quote("points_cash", "exact_points_are_split_over_lines", r, cart(ln("a", 1000), ln("b", 2000), ln("c", 4000), points=700), member=m)
quote("points_cash", "points_must_be_whole_units", r, cart(ln("a", 10000), points=150), member=m)
quote("points_cash", "points_above_the_cap", r, cart(ln("a", 1000), points=400), member=m)
quote("points_cash", "points_above_the_balance", r, cart(ln("a", 100000), points=1300), member=m)
quote("points_cash", "guest_cannot_use_points", r, cart(ln("a", 10000), points=100), member=None)
quote("points_cash", "guest_asking_for_max_uses_none", r, cart(ln("a", 10000), points="max"), member=None)
quote("points_cash", "points_when_the_shop_takes_none", R(points={"earn_per_yuan": 1, "expiry": {"type": "never"},
                                                                  "activities": {"sign_up": {"points": 500}}}),
      cart(ln("a", 10000), points=100), member=holder(R(points={"earn_per_yuan": 1, "expiry": {"type": "never"},
                                                                "activities": {"sign_up": {"points": 500}}})))
quote("points_cash", "points_paid_earn_no_points", r, cart(ln("a", 10000), points=1200), member=m)
# A shipping coupon with nothing to take off on the goods as they are still
# counts after a goods coupon brings the fee back: ¥100 − ¥20 = ¥80 < ¥99.
r = R(shipping={"fee": 1000, "free_over": 9900},
      coupons=[tpl("o20", "无门槛减20元", amount_off(2000)), tpl("sall", "免运费", {"type": "shipping"})])
quote("coupons", "shipping_coupon_counts_after_a_goods_coupon_brings_the_fee_back", r, cart(ln("a", 10000)),
      member=holder(r, ["o20", "sall"]))
quote("coupons", "shipping_coupon_alone_when_shipping_is_free", r, cart(ln("a", 10000), coupons=["c2"]),
      member=holder(r, ["o20", "sall"]))
