"""Distribution (docs/rules.md section 11): commissions on what the buyer
paid for the goods (not shipping) to two levels, as effects; pending,
frozen, withdrawable; line-by-line reversal on refund with a shortfall;
withdrawals and their refusals; rule validation (two levels, 30 %)."""

from gen import *  # noqa: F401,F403

DIST = {"rates_bp": [1000, 500], "frozen_days": 7, "min_withdrawal": 500, "fee_bp": 60}
SHOP = R(
    shipping={"fee": 1000, "free_over": 9900},
    coupons=[tpl("full-100-20", "满100减20", amount_off(2000, threshold=10000), days(30))],
    referral={"qualify": "joined", "new_within_days": 7},
    distribution=DIST,
)


def shop(**over):
    r = copy.deepcopy(SHOP)
    r["distribution"].update(copy.deepcopy(over))
    return r


def bind(chain=("m-cy",)):
    return E("e-bind", T0 + 2 * MIN, "referral_bound", inviter="m-ann", scene="M9V61",
             first_scan_at=T0 - DAY, chain=list(chain))


CART = cart(ln("tea", 6000), ln("cup", 4000))
PLACE = E("e-place", T0 + HOUR, "order_placed", order="o1", cart=CART)
DONE = E("e-done", T0 + DAY, "order_completed", order="o1")


def buyer(rules=SHOP, chain=("m-cy",), extra=()):
    return replay(rules, [join(T0, member="m-bo"),
                          E("e-claim", T0 + MIN, "coupon_claimed", template="full-100-20", coupon="c1"),
                          bind(chain)] + list(extra))


def comm(id, t, stage, level=1, rate_bp=0, lines=(), order="o1", buyer="m-bo"):
    e = E(id, t, "commission", buyer=buyer, order=order, level=level, stage=stage)
    if rate_bp:
        e["rate_bp"] = rate_bp
    if lines:
        e["lines"] = [{"line": i, "money": m} for i, m in lines]
    return e


PLACED1 = comm("fx-p", T0 + HOUR, "placed", rate_bp=1000, lines=[(0, 4800), (1, 3200)])
DONE1 = comm("fx-d", T0 + DAY, "completed")
REFUND1 = comm("fx-r", T0 + 9 * DAY, "refunded", lines=[(1, 3200)])
ANN0 = [join(T0 - 30 * DAY, member="m-ann", id="a-join")]
ANN = replay(SHOP, ANN0)
ANN_DONE = replay(SHOP, ANN0 + [PLACED1, DONE1])
W = E("e-w", T0 + 8 * DAY, "commission_withdrawn", amount=800)
ANN_W = replay(SHOP, ANN0 + [PLACED1, DONE1, W])

# ------------------------------------------------------ the buyer's side

apply("distribution", "placed_pays_on_goods_after_the_coupon_not_freight", SHOP, PLACE, member=buyer())
apply("distribution", "placed_without_a_level_2", SHOP, PLACE, member=buyer(chain=()))
apply("distribution", "placed_with_self_purchase", shop(self_purchase=True), PLACE,
      member=buyer(shop(self_purchase=True)))
apply("distribution", "placed_unbound_makes_nothing", SHOP, PLACE,
      member=replay(SHOP, [join(T0, member="m-bo")]))
apply("distribution", "completed_makes_the_completed_step", SHOP, DONE, member=buyer(extra=[PLACE]))
apply("distribution", "refund_of_one_line", SHOP,
      E("e-refund", T0 + 9 * DAY, "order_refunded", order="o1", lines=[{"line": 1, "quantity": 1}]),
      member=buyer(extra=[PLACE, DONE]))

# ------------------------------------------------ the distributor's side

apply("distribution", "commission_placed_is_pending", SHOP, PLACED1, member=ANN)
apply("distribution", "commission_completed_is_frozen", SHOP, DONE1,
      member=replay(SHOP, ANN0 + [PLACED1]))
apply("distribution", "commission_refunded_reverses_the_line", SHOP, REFUND1, member=ANN_DONE)
apply("distribution", "commission_refunded_after_withdrawal_is_a_shortfall", SHOP, REFUND1, member=ANN_W)
apply("distribution", "commission_refused_without_the_block", R(), PLACED1,
      member=replay(R(), ANN0))
apply("distribution", "commission_refused_for_an_unknown_order", SHOP, DONE1, member=ANN)
apply("distribution", "commission_refused_level_3", SHOP,
      comm("fx-p", T0 + HOUR, "placed", level=3, rate_bp=100, lines=[(0, 100)]), member=ANN)
apply("distribution", "commission_refused_refund_past_the_line", SHOP,
      comm("fx-r", T0 + 9 * DAY, "refunded", lines=[(1, 3201)]), member=ANN_DONE)

# ------------------------------------------------------------ withdrawals

apply("distribution", "withdrawal_paid_with_its_fee", SHOP, W, member=ANN_DONE)
apply("distribution", "withdrawal_refused_while_frozen", SHOP,
      E("e-w", T0 + 7 * DAY, "commission_withdrawn", amount=800), member=ANN_DONE)
apply("distribution", "withdrawal_refused_below_the_minimum", SHOP,
      E("e-w", T0 + 8 * DAY, "commission_withdrawn", amount=499), member=ANN_DONE)
apply("distribution", "withdrawal_refused_past_withdrawable", SHOP,
      E("e-w", T0 + 8 * DAY, "commission_withdrawn", amount=801), member=ANN_DONE)

# ----------------------------------------------------------------- views

view("distribution", "summary_frozen", "member_summary", SHOP, ANN_DONE, T0 + 2 * DAY)
view("distribution", "summary_with_a_shortfall", "member_summary", SHOP,
     replay(SHOP, ANN0 + [PLACED1, DONE1, W, REFUND1]), T0 + 10 * DAY)

# ------------------------------------------------------- rule validation

case("distribution", "rules_three_levels_refused", "validate_rules",
     {"rules": shop(rates_bp=[1000, 500, 200])})
case("distribution", "rules_rates_past_30_percent_refused", "validate_rules",
     {"rules": shop(rates_bp=[2000, 1500])})
case("distribution", "rules_every_problem_at_once", "validate_rules",
     {"rules": shop(rates_bp=[], frozen_days=400, min_withdrawal=-1, fee_bp=10001)})
case("distribution", "rules_valid", "validate_rules", {"rules": SHOP})

# ------------------------------------------- the block turned off later

OFF = copy.deepcopy(SHOP)
del OFF["distribution"]
apply("distribution", "completed_after_the_block_is_off_is_not_frozen", OFF, DONE1,
      member=replay(SHOP, ANN0 + [PLACED1]))
apply("distribution", "withdrawal_after_the_block_is_off_has_no_minimum_nor_fee", OFF,
      E("e-w", T0 + 8 * DAY, "commission_withdrawn", amount=100), member=ANN_DONE)
