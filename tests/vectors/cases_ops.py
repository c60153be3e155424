"""The operation table, input shapes and rule validation."""

import copy
import json
import os

from gen import *  # noqa: F401,F403

DEMO_RULES = json.load(open(os.path.join(ROOT, "src", "demo", "rules.json"), encoding="utf-8"))

# ------------------------------------------------------------------ ops

case("ops", "operations_lists_every_operation", "operations", {})
case("ops", "unknown_operation_is_refused", "price_cart", {})
case("ops", "unknown_operation_name_is_clipped_to_64_characters", "价" * 70, {})
case("ops", "operations_takes_no_fields", "operations", {"verbose": True})
case("ops", "validate_rules_accepts_the_demo_rules", "validate_rules", {"rules": DEMO_RULES})
case("ops", "validate_rules_minimal_rule_set", "validate_rules", {"rules": R()})
# The default offset is part of the canonical rules: writing it or leaving
# it out gives the same fingerprint; another merchant name does not.
case("ops", "fingerprint_is_the_same_with_the_default_offset_written_out", "validate_rules",
     {"rules": R(utc_offset_minutes=480)})
case("ops", "fingerprint_changes_with_the_merchant_name", "validate_rules", {"rules": R(merchant="山茶小铺")})
case("ops", "validate_rules_counts_tiers_coupons_and_campaigns", "validate_rules", {"rules": R(
    membership={"growth": {"per_yuan": 1}, "tiers": [tier("a", "A", 0), tier("b", "B", 10)]},
    coupons=[tpl("c1", "一", amount_off(100)), tpl("c2", "二", amount_off(200))],
    campaigns=[camp("k", "活动", "2026-01-01T00:00", "2026-02-01T00:00", qty_discount({"skus": ["x"]}))])})

# ---------------------------------------------------------------- shape

Q = {"rules": R(), "cart": cart(ln("a", 100)), "now": NOW}


def q_with(**over):
    d = copy.deepcopy(Q)
    d.update(over)
    return d


case("shape", "unknown_top_level_field", "quote", q_with(coupon="c1"))
case("shape", "two_unknown_fields_are_both_reported", "quote", q_with(coupon="c1", discount=5))
bad = R()
bad["membership"]["tiers"][0]["colour"] = "gold"
case("shape", "unknown_field_deep_in_the_rules_has_its_full_path", "validate_rules", {"rules": bad})
case("shape", "unknown_field_in_an_event", "apply_event",
     {"rules": R(), "event": {"id": "e1", "at": T0, "type": "joined", "member": "m1", "referrer": "m0"}})
case("shape", "missing_cart", "quote", {"rules": R(), "now": NOW})
case("shape", "missing_event_field", "apply_event", {"rules": R(), "event": {"id": "e1", "at": T0, "type": "joined"}})
case("shape", "missing_fields_in_the_rules", "validate_rules", {"rules": {"schema": 1}})
case("shape", "quantity_as_a_string_is_the_wrong_type", "quote",
     q_with(cart={"lines": [{"sku": "a", "category": "c", "unit_price": 100, "quantity": "2"}]}))
case("shape", "negative_days_for_an_unsigned_field", "validate_rules",
     {"rules": R(coupons=[tpl("c", "券", amount_off(100), days(-1))])})
case("shape", "null_cart_is_the_wrong_type", "quote", q_with(cart=None))
case("shape", "now_as_a_date_string_is_the_wrong_type", "quote", q_with(now="2026-03-02"))
case("shape", "unknown_event_type", "apply_event",
     {"rules": R(), "event": {"id": "e1", "at": T0, "type": "signed_up", "member": "m1"}})
case("shape", "unknown_expiry_kind", "validate_rules", {"rules": with_points(R(), expiry={"type": "weekly"})})
case("shape", "unknown_review_period", "validate_rules",
     {"rules": with_tiers(R(), [tier("m", "M", 0)], review={"period": "decade"})})
case("shape", "unknown_coupon_kind", "validate_rules",
     {"rules": R(coupons=[tpl("c", "券", {"type": "cashback", "amount": 100})])})
misspelt = tpl("c", "券", amount_off(100))
misspelt["validty"] = misspelt.pop("validity")
case("shape", "a_misspelt_key_of_a_coupon_names_all_its_keys", "validate_rules", {"rules": R(coupons=[misspelt])})
case("shape", "february_30_is_not_a_date", "validate_rules",
     {"rules": R(coupons=[tpl("c", "券", amount_off(100), window("2026-02-01T00:00", "2026-02-30T00:00"))])})
case("shape", "hour_24_is_not_a_local_time", "validate_rules",
     {"rules": R(campaigns=[camp("k", "活动", "2026-03-01T00:00", "2026-03-01T24:00", qty_discount({"skus": ["x"]}))])})
case("shape", "birthday_02_30_is_refused", "apply_event", {
    "rules": R(), "member": holder(R()),
    "event": {"id": "e1", "at": NOW, "type": "profile_set", "birthday": "02-30"}})
case("shape", "coupon_choice_must_be_best_none_or_ids", "quote",
     q_with(cart={"lines": [ln("a", 100)], "coupons": "all"}))
case("shape", "points_choice_must_be_a_number_or_max", "quote",
     q_with(cart={"lines": [ln("a", 100)], "points": "all"}))
multi = R(bogus=1)
multi["membership"]["tiers"][0]["threshold"] = "0"
multi["membership"]["tiers"][0]["colour"] = "gold"
case("shape", "several_problems_in_one_answer", "validate_rules", {"rules": multi})

# serde_json refuses nesting deeper than 128 levels before anything else is
# looked at: the one way valid JSON text gets JSON_SYNTAX.
deep = 0
for _ in range(130):
    deep = [deep]
case("shape", "json_syntax_nesting_too_deep", "validate_rules", {"rules": deep})

# --------------------------------------------------------------- rules

def rules_case(name, r):
    case("rules", name, "validate_rules", {"rules": r})


rules_case("schema_2_is_unsupported", R(schema=2))
rules_case("utc_offset_above_840_is_out_of_range", R(utc_offset_minutes=841))
rules_case("utc_offset_minus_720_is_accepted", R(utc_offset_minutes=-720))
rules_case("utc_offset_840_is_accepted", R(utc_offset_minutes=840))
rules_case("no_tiers", with_tiers(R(), []))
rules_case("twenty_one_tiers_are_too_many", with_tiers(R(), [tier(f"t{i:02}", f"T{i}", i * 10) for i in range(21)]))
rules_case("twenty_tiers_are_accepted", with_tiers(R(), [tier(f"t{i:02}", f"T{i}", i * 10) for i in range(20)]))
rules_case("empty_tier_id", with_tiers(R(), [tier("", "空", 0)]))
# 22 Chinese characters are 66 bytes: ids are limited in bytes, not characters.
rules_case("tier_id_of_66_bytes_is_too_long", with_tiers(R(), [tier("金" * 22, "金", 0)]))
rules_case("tier_id_of_64_bytes_is_accepted", with_tiers(R(), [tier("金" * 21 + "a", "金", 0)]))
rules_case("duplicate_tier_id", with_tiers(R(), [tier("a", "A", 0), tier("a", "B", 10)]))
rules_case("first_tier_threshold_must_be_zero", with_tiers(R(), [tier("a", "A", 1)]))
rules_case("tier_thresholds_must_increase", with_tiers(R(), [tier("a", "A", 0), tier("b", "B", 100), tier("c", "C", 100)]))
rules_case("retain_above_threshold", with_tiers(R(), [tier("a", "A", 0), tier("b", "B", 100, retain=101)]))
rules_case("negative_retain_and_shipping_fee", with_tiers(R(shipping={"fee": -1}), [tier("a", "A", 0, retain=-1)]))
rules_case("member_day_needs_exactly_one_of_day_or_weekday",
           with_tiers(R(), [tier("a", "A", 0, member_day={"day_of_month": 1, "weekday": 1}),
                            tier("b", "B", 10, member_day={"points_multiplier_pct": 200})]))
rules_case("member_day_29_is_out_of_range", with_tiers(R(), [tier("a", "A", 0, member_day={"day_of_month": 29})]))
rules_case("benefit_numbers_out_of_range",
           with_tiers(R(), [tier("a", "A", 0, discount_bp=0, points_multiplier_pct=99, free_shipping_over=-1),
                            tier("b", "B", 10, discount_bp=10001, points_multiplier_pct=1001)]))
rules_case("discount_bp_10000_is_accepted", with_tiers(R(), vip(10000)))
rules_case("excluded_category_not_in_the_catalog",
           with_tiers(R(catalog=[{"sku": "tea", "name": "茶", "category": "tea", "price": 100}]),
                      vip(9500, discount_excluded_categories=["giftcard"])))
rules_case("mall_gift_needs_a_catalog_entry",
           with_points(R(), mall=[{"id": "bag", "name": "袋", "cost": 100, "reward": {"type": "gift", "sku": "bag"}}]))
rules_case("mall_coupon_needs_a_known_template",
           with_points(R(), mall=[{"id": "m", "name": "券", "cost": 100, "reward": {"type": "coupon", "template": "nope"}}]))
rules_case("birthday_coupon_needs_a_known_template",
           with_tiers(R(), [tier("a", "A", 0, birthday={"when": "day", "coupon": "nope"})]))
rules_case("streak_bonus_days_must_increase_and_fit_the_cycle",
           with_points(R(), check_in={"daily": 1, "cycle_days": 7,
                                      "streak_bonus": [{"day": 3, "points": 5}, {"day": 3, "points": 5}, {"day": 8, "points": 5}]}))
rules_case("points_numbers_out_of_range",
           with_points(R(), earn_per_yuan=10001, expiry={"type": "days", "days": 0},
                       redeem={"unit_points": 0, "unit_fen": 0, "max_share_bp": 10001},
                       activities={"share": {"points": 0}}, daily_cap=0))
rules_case("too_many_coupon_templates", R(coupons=[tpl(f"c{i}", "券", amount_off(100)) for i in range(501)]))
rules_case("coupon_amount_above_threshold", R(coupons=[tpl("c", "满100减101", amount_off(10100, 10000))]))
rules_case("coupon_amount_equal_to_threshold_is_accepted", R(coupons=[tpl("c", "满100减100", amount_off(10000, 10000))]))
rules_case("percent_coupon_pay_bp_10000_is_out_of_range", R(coupons=[tpl("c", "不打折", percent_off(10000))]))
rules_case("shipping_coupon_cannot_have_a_scope",
           R(coupons=[tpl("c", "运费券", {"type": "shipping"}, scope={"categories": ["tea"]})]))
rules_case("coupon_window_ends_before_it_starts", R(coupons=[tpl("c", "券", amount_off(100), window("2026-03-02T00:00", "2026-03-01T00:00"))]))
rules_case("coupon_window_of_one_day_is_accepted", R(coupons=[tpl("c", "券", amount_off(100), window("2026-03-02T00:00", "2026-03-03T00:00"))]))
rules_case("coupon_audience_unknown_tier", R(coupons=[tpl("c", "券", amount_off(100), audience={"tiers": ["gold"]})]))
rules_case("coupon_scope_sku_not_in_the_catalog",
           R(catalog=[{"sku": "tea", "name": "茶", "category": "tea", "price": 100}],
             coupons=[tpl("c", "券", amount_off(100), scope={"skus": ["coffee"], "categories": ["drinks"]})]))
rules_case("coupon_numbers_out_of_range",
           R(coupons=[tpl("c", "券", amount_off(0), days(0), per_member_limit=0),
                      tpl("d", "券", percent_off(0, cap=0), days(3661), per_member_limit=1001)]))
rules_case("campaign_must_end_after_it_starts",
           R(campaigns=[camp("k", "活动", "2026-03-01T10:00", "2026-03-01T10:00", qty_discount({"skus": ["x"]}))]))
rules_case("limited_item_needs_price_or_rate",
           R(campaigns=[camp("k", "限时", "2026-03-01T00:00", "2026-03-02T00:00",
                             limited([{"sku": "a", "price": 100, "pay_bp": 9000}, {"sku": "b"}]))]))
CATALOG = [{"sku": "pot", "name": "紫砂壶", "category": "teaware", "price": 32800},
           {"sku": "tea", "name": "龙井", "category": "tea", "price": 16800},
           {"sku": "bag", "name": "帆布袋", "category": "gifts", "price": 1900}]
rules_case("campaign_price_must_be_below_the_catalog_price",
           R(catalog=CATALOG, campaigns=[
               camp("f", "秒杀", "2026-03-01T00:00", "2026-03-02T00:00", flash([{"sku": "pot", "price": 32800, "stock": 5}], 1)),
               camp("l", "限时", "2026-03-01T00:00", "2026-03-02T00:00", limited([{"sku": "tea", "price": 16801}]))]))
rules_case("one_sku_in_two_price_campaigns_at_once",
           R(campaigns=[camp("f", "秒杀", "2026-03-01T10:00", "2026-03-01T22:00", flash([{"sku": "pot", "price": 100, "stock": 5}], 1)),
                        camp("l", "限时", "2026-03-01T21:59", "2026-03-03T00:00", limited([{"sku": "pot", "pay_bp": 9000}]))]))
# A quantity discount by category conflicts with a flash sale of a product
# in that category (the catalog says which), at overlapping times only.
rules_case("a_quantity_discount_by_category_and_a_flash_sale_of_one_of_its_products",
           R(catalog=CATALOG, campaigns=[
               camp("f", "秒杀", "2026-03-01T10:00", "2026-03-01T22:00", flash([{"sku": "tea", "price": 100, "stock": 5}], 1)),
               camp("q", "茶叶第二件半价", "2026-03-01T00:00", "2026-03-02T00:00", qty_discount({"categories": ["tea"]})),
               camp("q2", "茶具第二件半价", "2026-03-01T00:00", "2026-03-02T00:00", qty_discount({"categories": ["teaware"]}))]))
rules_case("back_to_back_price_campaigns_do_not_conflict",
           R(campaigns=[camp("f", "秒杀", "2026-03-01T10:00", "2026-03-01T22:00", flash([{"sku": "pot", "price": 100, "stock": 5}], 1)),
                        camp("l", "限时", "2026-03-01T22:00", "2026-03-03T00:00", limited([{"sku": "pot", "pay_bp": 9000}]))]))
rules_case("campaign_lists_must_not_be_empty",
           R(campaigns=[camp("f", "秒杀", "2026-03-01T00:00", "2026-03-02T00:00", flash([], 0)),
                        camp("q", "N件", "2026-03-01T00:00", "2026-03-02T00:00", qty_discount({}, 1, 10000)),
                        camp("r", "满减", "2026-03-01T00:00", "2026-03-02T00:00", full("amount", []))]))
rules_case("full_reduction_tier_problems",
           R(campaigns=[camp("r", "满减", "2026-03-01T00:00", "2026-03-02T00:00",
                             full("amount", [(10000, {}), (10000, {"amount_off": 10001}), (5000, {"pay_bp": 10000, "bonus_points": 0})]))]))
rules_case("full_reduction_gift_and_coupon_must_exist",
           R(campaigns=[camp("r", "满赠", "2026-03-01T00:00", "2026-03-02T00:00",
                             full("count", [(2, {"gift": "bag", "coupon": "nope"})]))]))
rules_case("count_basis_amount_off_may_exceed_the_count",
           R(campaigns=[camp("r", "满2件减50", "2026-03-01T00:00", "2026-03-02T00:00", full("count", [(2, {"amount_off": 5000})]))]))
rules_case("thirteen_full_reductions_are_too_many",
           R(campaigns=[camp(f"r{i:02}", "满减", "2026-03-01T00:00", "2026-03-02T00:00", full("amount", [(100, {"amount_off": 1})]))
                        for i in range(13)]))
rules_case("a_hundred_and_one_campaigns_are_too_many",
           R(campaigns=[camp(f"q{i:03}", "N件", "2026-03-01T00:00", "2026-03-02T00:00", qty_discount({"skus": [f"s{i}"]}))
                        for i in range(101)]))
# Ten quantity discounts on everything at once: 45 pairs for each of the 3
# products, 135 conflicts. An answer lists the first 32 problems (the
# shipping fee's, then the first 31 of `bag`'s 45 pairs) and stops looking.
rules_case("past_32_problems_only_the_first_32_are_listed",
           R(catalog=CATALOG, shipping={"fee": -1},
             campaigns=[camp(f"q{i}", "N件", "2026-03-01T00:00", "2026-03-02T00:00", qty_discount({}))
                        for i in range(10)]))
rules_case("every_problem_is_reported_at_once",
           R(schema=3, utc_offset_minutes=-721, shipping={"fee": -5, "free_over": -1},
             membership={"growth": {"per_yuan": -1, "window": {"type": "rolling", "days": 0}},
                         "tiers": [tier("a", "A", 5), tier("a", "B", 5)],
                         "paid_plans": [{"id": "p", "name": "P", "price": -1, "days": 0}]},
             coupons=[tpl("c", "券", amount_off(0))]))
# A rule problem reached through another op carries the `rules.` prefix.
bad_q = copy.deepcopy(Q)
bad_q["rules"]["schema"] = 2
case("rules", "invalid_rules_in_a_quote_have_the_rules_prefix", "quote", bad_q)
