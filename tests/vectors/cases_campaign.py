"""Campaigns: 秒杀 flash sales, 限时折扣, 第二件半价, 满减送, and the choice among
overlapping activities."""

from gen import *  # noqa: F401,F403

A = "area"
FROM, UNTIL = "2026-03-01T00:00", "2026-04-01T00:00"  # around NOW (2026-03-02 11:00)
CATALOG = [{"sku": "pot", "name": "宜兴紫砂壶", "category": "teaware", "price": 32800},
           {"sku": "tea", "name": "西湖龙井 250g", "category": "tea", "price": 16800},
           {"sku": "bag", "name": "山茶帆布袋", "category": "gifts", "price": 1900}]

# ------------------------------------------------------------------ 秒杀

def flash_rules(limit=1, stock=50, **extra):
    return R(shipping={"fee": 1000},
             campaigns=[camp("flash", "紫砂壶秒杀", "2026-03-02T10:00", "2026-03-02T22:00",
                             flash([{"sku": "pot", "price": 19900, "stock": stock}], limit, **extra))])


POT = ln("pot", 32800, 1, "teaware")
r = flash_rules()
quote("campaign", "flash_price_within_the_limit", r, cart(POT), member=holder(r))
quote("campaign", "flash_units_beyond_the_limit_are_a_second_line", r, cart(ln("pot", 32800, 3, "teaware")), member=holder(r))
quote("campaign", "flash_for_a_guest", r, cart(POT), member=None)
r5 = flash_rules(limit=5)
quote("campaign", "flash_stock_left_splits_the_line", r5, cart(ln("pot", 32800, 3, "teaware"), sold={"flash": {"pot": 48}}), member=holder(r5))
quote("campaign", "flash_limit_is_shared_by_lines_of_one_sku", r, cart(POT, ln("pot", 32800, 1, "teaware")), member=holder(r))
quote("campaign", "flash_stock_is_shared_by_lines_of_one_sku", r5, cart(POT, ln("pot", 32800, 2, "teaware"), sold={"flash": {"pot": 48}}), member=holder(r5))
quote("campaign", "flash_sold_out_sells_at_the_normal_price", r5, cart(ln("pot", 32800, 2, "teaware"), sold={"flash": {"pot": 50}}), member=holder(r5))
bought = holder(r, extra=[E("e-o1", T0 + 10 * MIN, "order_placed", order="o1", cart=cart(POT))])
quote("campaign", "flash_limit_counts_units_bought_before", r, cart(POT), member=bought)
refunded = holder(r, extra=[E("e-o1", T0 + 10 * MIN, "order_placed", order="o1", cart=cart(POT)),
                            E("e-r1", T0 + 20 * MIN, "order_refunded", order="o1")])
quote("campaign", "flash_limit_is_given_back_by_a_refund", r, cart(POT), member=refunded)
quote("campaign", "flash_price_not_below_the_cart_price", r, cart(ln("pot", 19000, 1, "teaware")), member=holder(r))
rc = R(coupons=[tpl("o10", "无门槛减10元", amount_off(1000))], campaigns=flash_rules()["campaigns"])
quote("campaign", "flash_line_takes_no_coupon", rc, cart(POT), member=holder(rc, ["o10"]))
rc2 = R(coupons=[tpl("o10", "无门槛减10元", amount_off(1000))], campaigns=flash_rules(allow_coupons=True, earn_points=True)["campaigns"])
quote("campaign", "flash_with_coupons_and_points_allowed", rc2, cart(POT), member=holder(rc2, ["o10"]))
rf = R(campaigns=flash_rules()["campaigns"] + [camp("all100", "全场满100减10", FROM, UNTIL, full("amount", [(10000, {"amount_off": 1000})]))])
quote("campaign", "flash_line_is_left_out_of_full_reductions", rf, cart(POT, ln("cup", 5000, 1, "teaware")), member=holder(rf))

# ------------------------------------------------------------- 限时折扣

def lim_rules(bp=None, stack=False, limit=2):
    extra = {"stack_with_member_price": True} if stack else {}
    r = R(campaigns=[camp("lim", "龙井限时特惠", FROM, UNTIL,
                          limited([{"sku": "tea", "price": 14800}, {"sku": "puer", "pay_bp": 8000}], limit, **extra))])
    return with_tiers(r, vip(bp)) if bp else r


TEA = ln("tea", 16800, 1, "tea")
r = lim_rules(9500)
quote("campaign", "limited_price_beats_the_member_price", r, cart(TEA), member=holder(r))
r = lim_rules(8000)
quote("campaign", "member_price_beats_the_limited_price", r, cart(TEA), member=holder(r))
r = lim_rules(9500, stack=True)
quote("campaign", "limited_price_stacks_with_the_member_price", r, cart(TEA), member=holder(r))
r = lim_rules()
quote("campaign", "limited_pay_rate", r, cart(ln("puer", 6800, 2, "tea")), member=None)
r = lim_rules(9500)
quote("campaign", "limited_units_beyond_the_limit_get_the_member_price", r, cart(ln("tea", 16800, 3, "tea")), member=holder(r))
quote("campaign", "limited_limit_counts_units_bought_before", r, cart(TEA),
      member=holder(r, extra=[E("e-o1", T0 + 10 * MIN, "order_placed", order="o1", cart=cart(ln("tea", 16800, 2, "tea")))]))
r = R(campaigns=[camp("lim", "限时9折", FROM, UNTIL, limited([{"sku": "tea", "price": 18000}]))])
r = with_tiers(r, vip(9000))
quote("campaign", "limited_price_wins_a_tie_with_the_member_price", r, cart(ln("tea", 20000, 1, "tea")), member=holder(r))

# ------------------------------------------------------------- 第二件半价

def q_rules(nth=2, pay=5000, bp=None):
    r = R(campaigns=[camp("q2", "坚果第二件半价", FROM, UNTIL, qty_discount({"skus": ["nuts", "cake"]}, nth, pay))])
    return with_tiers(r, vip(bp)) if bp else r


r = q_rules()
quote("campaign", "second_unit_half_price", r, cart(ln("nuts", 5900, 2, "snacks")), member=None)
quote("campaign", "three_units_only_the_second_is_half_price", r, cart(ln("nuts", 5900, 3, "snacks")), member=None)
quote("campaign", "the_cheaper_unit_of_a_pair_is_discounted", r, cart(ln("nuts", 5900, 1, "snacks"), ln("cake", 12800, 1, "snacks")), member=None)
quote("campaign", "units_are_paired_dearest_first_across_lines", r,
      cart(ln("nuts", 5900, 2, "snacks"), ln("cake", 12800, 2, "snacks"), ln("chips", 1000, 2, "snacks")), member=None)
quote("campaign", "equal_units_pair_in_cart_order", r, cart(ln("nuts", 5900, 1, "snacks"), ln("cake", 5900, 1, "snacks")), member=None)
quote("campaign", "one_unit_does_not_reach_the_second", r, cart(ln("nuts", 5900, 1, "snacks")), member=None)
quote("campaign", "half_fen_of_a_half_price_unit_rounds_up", r, cart(ln("nuts", 99, 2, "snacks")), member=None)
quote("campaign", "a_run_of_odd_length_carries_its_position_to_the_next_line", r,
      cart(ln("cake", 12800, 3, "snacks"), ln("nuts", 5900, 3, "snacks")), member=None)
quote("campaign", "the_largest_cart_counts_runs_not_units", r,
      cart(*[ln("nuts" if i % 2 else "cake", 990 + i, 9999, "snacks") for i in range(500)]), member=None)
r = q_rules(bp=9500)
quote("campaign", "quantity_discount_comes_after_the_member_price", r, cart(ln("nuts", 5900, 2, "snacks")), member=holder(r))
r = q_rules(nth=3, pay=0)
quote("campaign", "buy_two_get_the_third_free", r, cart(ln("nuts", 5900, 7, "snacks")), member=None)
# The same scope as a coupon's: a category, with an exclusion, and no SKU list.
r = R(campaigns=[camp("q3", "零食买二送一", FROM, UNTIL,
                      qty_discount({"categories": ["snacks"], "exclude_skus": ["cake"]}, 3, 0))])
quote("campaign", "every_third_unit_of_a_category_free", r,
      cart(ln("nuts", 5900, 2, "snacks"), ln("chips", 1000, 2, "snacks"), ln("cake", 12800, 3, "snacks"),
           ln("tea", 16800, 3, "tea")), member=None)

# ---------------------------------------------------------------- 满减送

TEAWARE = camp("teaware", "茶具满300减30，满500减60包邮", FROM, UNTIL,
               full("amount", [(30000, {"amount_off": 3000}), (50000, {"amount_off": 6000, "free_shipping": True})],
                    {"categories": ["teaware"]}))
r = R(shipping={"fee": 1000}, campaigns=[TEAWARE])
quote("campaign", "full_reduction_first_tier_shows_the_gap_to_the_next", r, cart(ln("pot", 35000, 1, "teaware")), member=None)
quote("campaign", "full_reduction_second_tier_with_free_shipping", r, cart(ln("pot", 32800, 1, "teaware"), ln("cup", 17200, 1, "teaware")), member=None)
quote("campaign", "full_reduction_one_fen_short", r, cart(ln("pot", 29999, 1, "teaware"), ln("tea", 90000, 1, "tea")), member=None)
quote("campaign", "full_reduction_split_over_lines_by_largest_remainder", r,
      cart(ln("a", 7000, 1, "teaware"), ln("b", 11000, 1, "teaware"), ln("c", 12001, 1, "teaware")), member=None)
SNACKS = camp("snacks", "零食满2件9折，满4件送帆布袋", FROM, UNTIL,
              full("count", [(2, {"pay_bp": 9000}), (4, {"pay_bp": 9000, "gift": "bag", "bonus_points": 50})], {"categories": ["snacks"]}))
r = R(catalog=CATALOG + [{"sku": "nuts", "name": "每日坚果", "category": "snacks", "price": 5900}], campaigns=[SNACKS])
quote("campaign", "count_basis_three_items_nine_tenths", r, cart(ln("nuts", 5900, 3, "snacks")), member=holder(r))
quote("campaign", "count_basis_four_items_gift_and_bonus_points", r, cart(ln("nuts", 5900, 4, "snacks"), ln("tea", 16800, 1, "tea")), member=holder(r))
quote("campaign", "count_basis_one_item_short", r, cart(ln("nuts", 5900, 1, "snacks")), member=holder(r))
r = R(coupons=[tpl("o10", "无门槛减10元", amount_off(1000), days(30))],
      campaigns=[camp("site", "全场满399送10元券", FROM, UNTIL, full("amount", [(39900, {"coupon": "o10", "free_shipping": True})],
                                                                 {"exclude_categories": ["giftcard"]}))],
      shipping={"fee": 1000})
quote("campaign", "full_reduction_issues_a_coupon_and_excludes_gift_cards", r,
      cart(ln("pot", 39900, 1, "teaware"), ln("card", 10000, 1, "giftcard")), member=holder(r))
# The issued coupon arrives when the order completes, not when it is placed.
ISSUING = [join(), E("e-o1", T0 + 10 * MIN, "order_placed", order="o1", cart=cart(ln("pot", 39900, 1, "teaware"))),
           E("e-c1", T0 + 20 * MIN, "order_completed", order="o1")]
case("campaign", "an_issued_coupon_waits_for_the_order_to_complete", "replay", {"rules": r, "events": ISSUING[:2]})
case("campaign", "an_issued_coupon_arrives_when_the_order_completes", "replay", {"rules": r, "events": ISSUING})
quote("campaign", "gift_cards_do_not_count_toward_the_threshold", r,
      cart(ln("pot", 30000, 1, "teaware"), ln("card", 10000, 1, "giftcard")), member=holder(r))
r = R(campaigns=[camp("both", "满200减20再9折", FROM, UNTIL, full("amount", [(20000, {"amount_off": 2000, "pay_bp": 9000})]))])
quote("campaign", "amount_off_then_rate_in_one_tier", r, cart(ln("a", 20000)), member=None)

# Overlapping activities: the best non-overlapping set.
TEA15 = camp("tea15", "茶叶满100减15", FROM, UNTIL, full("amount", [(10000, {"amount_off": 1500})], {"categories": ["tea"]}))
ALL20 = camp("all20", "全场满100减20", FROM, UNTIL, full("amount", [(10000, {"amount_off": 2000})]))
WARE5 = camp("ware5", "茶具满50减5", FROM, UNTIL, full("amount", [(5000, {"amount_off": 500})], {"categories": ["teaware"]}))
r = R(campaigns=[TEA15, ALL20])
quote("campaign", "overlapping_activities_the_larger_saving_wins", r, cart(ln("tea", 12000, 1, "tea")), member=None)
r = R(campaigns=[TEA15, WARE5])
quote("campaign", "activities_on_different_items_both_apply", r, cart(ln("tea", 12000, 1, "tea"), ln("cup", 6000, 1, "teaware")), member=None)
r = R(shipping={"fee": 1000}, campaigns=[
    camp("all10", "全场满100减10", FROM, UNTIL, full("amount", [(10000, {"amount_off": 1000})])),
    camp("all10ship", "全场满100减10包邮", FROM, UNTIL, full("amount", [(10000, {"amount_off": 1000, "free_shipping": True})]))])
quote("campaign", "equal_saving_more_extras_wins", r, cart(ln("a", 10000)), member=None)
r = R(campaigns=[
    camp("tea5", "茶叶满50减5", FROM, UNTIL, full("amount", [(5000, {"amount_off": 500})], {"categories": ["tea"]})),
    camp("ware5", "茶具满50减5", FROM, UNTIL, full("amount", [(5000, {"amount_off": 500})], {"categories": ["teaware"]})),
    camp("all10", "全场满100减10", FROM, UNTIL, full("amount", [(10000, {"amount_off": 1000})]))])
quote("campaign", "equal_saving_fewer_activities_wins", r, cart(ln("tea", 5000, 1, "tea"), ln("cup", 5000, 1, "teaware")), member=None)
r = R(campaigns=[camp("b-act", "满100减10（乙）", FROM, UNTIL, full("amount", [(10000, {"amount_off": 1000})])),
                 camp("a-act", "满100减10（甲）", FROM, UNTIL, full("amount", [(10000, {"amount_off": 1000})]))])
quote("campaign", "equal_in_everything_the_smaller_id_wins", r, cart(ln("a", 10000)), member=None)
r = R(campaigns=[TEA15, WARE5])
quote("campaign", "an_activity_with_nothing_in_the_cart_is_not_listed", r, cart(ln("tea", 12000, 1, "tea")), member=None)

# The merchant's own order instead of the best saving.
r = R(full_reduction_choice="priority", campaigns=[dict(TEA15, priority=10), dict(ALL20, priority=5)])
quote("campaign", "priority_choice_takes_the_higher_priority_over_the_larger_saving", r, cart(ln("tea", 12000, 1, "tea")), member=None)
r = R(full_reduction_choice="priority", campaigns=[dict(ALL20, id="b-all20"), dict(TEA15, id="a-tea15")])
quote("campaign", "priority_choice_ties_go_to_the_smaller_id", r, cart(ln("tea", 12000, 1, "tea")), member=None)
r = R(full_reduction_choice="priority", campaigns=[dict(TEA15, priority=1), dict(WARE5, priority=2), dict(ALL20, priority=0)])
quote("campaign", "priority_choice_takes_every_activity_that_does_not_overlap", r,
      cart(ln("tea", 12000, 1, "tea"), ln("cup", 6000, 1, "teaware")), member=None)
