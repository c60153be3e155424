"""The refund receipt (docs/rules.md §7.3): `apply_event` of `order_refunded`
answers what went back — money and shipping, points to and from which lots,
debt, growth, coupons returned, kept used or withdrawn — next to the state.
(The refunds of cases_events.py show it too.)"""

from gen import *  # noqa: F401,F403

A = "refund"
SHOP = with_points(
    R(catalog=[{"sku": "tea", "name": "龙井", "category": "tea", "price": 20000},
               {"sku": "bag", "name": "帆布袋", "category": "gifts", "price": 1900}],
      shipping={"fee": 1000, "free_over": 50000},
      coupons=[tpl("no10", "无门槛10元", amount_off(1000), days(7))]),
    redeem={"unit_points": 100, "unit_fen": 100, "max_share_bp": 5000},
    activities={"sign_up": {"points": 100}},
    mall=[{"id": "mbag", "name": "帆布袋", "cost": 150, "reward": {"type": "gift", "sku": "bag"}}],
)
T = T0
J = [join(T), E("c", T + MIN, "coupon_claimed", template="no10", coupon="k1")]


def at(k):
    return T + k * MIN


def refund(name, event, events):
    apply(A, name, SHOP, event, replay(SHOP, events))


# 2 × 龙井 ¥400 − ¥10 coupon, 100 sign-up points as ¥1, ¥10 shipping: pays
# 39,900 + 1,000. Half of it back before completion: money, points to lot 1.
PLACED = J + [E("o", at(2), "order_placed", order="o1", cart=cart(ln("tea", 20000, 2, "tea"), coupons="best", points=100))]
refund("half_before_completion_returns_money_and_points_to_their_lot",
       E("r", at(3), "order_refunded", order="o1", lines=[{"line": 0, "quantity": 1}]), PLACED)
refund("all_before_completion_returns_the_shipping_and_the_coupon",
       E("r", at(3), "order_refunded", order="o1"), PLACED)
# After completion (lot 2 holds the 399 earned): the claw-back comes from lot 2.
DONE = PLACED + [E("d", at(3), "order_completed", order="o1")]
refund("all_after_completion_claws_back_from_the_earned_lot", E("r", at(4), "order_refunded", order="o1"), DONE)
# The earned points spent in the mall first: what cannot be taken is a debt.
SPENT = DONE + [E("m1", at(4), "mall_exchanged", item="mbag"), E("m2", at(5), "mall_exchanged", item="mbag")]
refund("a_claw_back_of_spent_points_shows_the_debt", E("r", at(6), "order_refunded", order="o1"), SPENT)
# Returned points pay that debt first.
TWO = J + [E("o", at(2), "order_placed", order="o1", cart=cart(ln("tea", 20000, 1, "tea"))),
           E("d", at(3), "order_completed", order="o1"),
           E("o2", at(4), "order_placed", order="o2", cart=cart(ln("tea", 20000, 1, "tea"), points=200)),
           E("r", at(5), "order_refunded", order="o1")]
refund("returned_points_pay_the_debt_first", E("r2", at(6), "order_refunded", order="o2"), TWO)
# The coupon expired since the order: it stays used.
refund("all_after_the_coupon_expired_keeps_it_used", E("r", T + 9 * DAY, "order_refunded", order="o1"), DONE)
