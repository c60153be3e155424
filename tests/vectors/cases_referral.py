"""Referral (docs/rules.md section 10): binding and its refusals, what
qualifies, settling, refunds before settling, the inviter's reward as an
effect, caps and the budget."""

from gen import *  # noqa: F401,F403

REF = {
    "window_days": 30, "new_within_days": 7,
    "qualify": "first_order", "min_payable": 9900, "settle_days": 7,
    "inviter": {"points": 500, "coupon": "ten", "growth": 50},
    "invitee": {"points": 200},
    "daily_cap": 2, "total_cap": 3,
}
SHOP = R(
    shipping={"fee": 1000, "free_over": 9900},
    points={"earn_per_yuan": 1, "expiry": {"type": "month_end", "months": 12},
            "activities": {"sign_up": {"points": 100}}},
    coupons=[tpl("ten", "无门槛10元", amount_off(1000), days(30))],
    referral=REF,
)


def shop(**over):
    r = copy.deepcopy(SHOP)
    r["referral"].update(copy.deepcopy(over))
    for k, v in list(r["referral"].items()):
        if v is None:
            del r["referral"][k]
    return r


SCAN = T0 - DAY
SCENE = "M9V61"


def bind(id="e-bind", t=T0 + MIN, inviter="m-ann", **kw):
    e = E(id, t, "referral_bound", inviter=inviter, scene=SCENE, first_scan_at=SCAN,
          fingerprints=["device:d1", "phone:p1"])
    e.update(kw)
    return e


def invitee(rules=SHOP, extra=()):
    return replay(rules, [join(T0, member="m-bo"), bind()] + list(extra))


def first_order(price=16800, t=T0 + DAY, order="o1"):
    return [E(f"e-place-{order}", t, "order_placed", order=order, cart=cart(ln("tea", price))),
            E(f"e-done-{order}", t + 3 * DAY, "order_completed", order=order)]


def reward(id="fx-1", t=T0 + 10 * DAY, **kw):
    e = E(id, t, "referral_reward", invitee="m-bo", reason="first_order", order="o1",
          points=500, coupon="ten", growth=50)
    e.update(kw)
    return e


ANN = replay(SHOP, [join(T0 - 30 * DAY, member="m-ann", id="a-join")])
JOINED = replay(SHOP, [join(T0, member="m-bo")])

# ------------------------------------------------------------- binding

apply("referral", "bound_first_touch", SHOP, bind(), member=JOINED)
apply("referral", "bound_permanent_first_touch_long_after_the_scan",
      shop(window_days=None), bind(first_scan_at=T0 - 400 * DAY), member=JOINED)
apply("referral", "refused_self_referral", SHOP, bind(inviter="m-bo"), member=JOINED)
apply("referral", "refused_cycle", SHOP, bind(chain=["m-cy", "m-bo"]), member=JOINED)
apply("referral", "refused_a_chain_that_holds_the_inviter", SHOP, bind(chain=["m-cy", "m-ann"]), member=JOINED)
apply("referral", "refused_rebinding", SHOP, bind(id="e-bind-2", t=T0 + HOUR, inviter="m-cy"),
      member=invitee())
apply("referral", "refused_not_new_joined_too_long_ago", SHOP, bind(t=T0 + 8 * DAY), member=JOINED)
apply("referral", "refused_not_new_has_an_order",
      SHOP, bind(t=T0 + HOUR), member=replay(SHOP, [join(T0, member="m-bo"),
                                                   E("e-place", T0 + MIN, "order_placed", order="o0",
                                                     cart=cart(ln("tea", 5000)))]))
apply("referral", "new_again_after_a_full_refund",
      SHOP, bind(t=T0 + HOUR), member=replay(SHOP, [join(T0, member="m-bo"),
                                                   E("e-place", T0 + MIN, "order_placed", order="o0",
                                                     cart=cart(ln("tea", 5000))),
                                                   E("e-refund", T0 + 2 * MIN, "order_refunded", order="o0")]))
apply("referral", "refused_device_seen", SHOP, bind(seen=["phone:p1"]), member=JOINED)
apply("referral", "refused_past_the_window", SHOP, bind(first_scan_at=T0 - 31 * DAY), member=JOINED)
apply("referral", "refused_first_scan_after_the_binding", SHOP, bind(first_scan_at=T0 + HOUR), member=JOINED)
apply("referral", "refused_bad_scene", SHOP, bind(scene="M9W61"), member=JOINED)
apply("referral", "refused_chain_too_long", SHOP, bind(chain=[f"m-{i}" for i in range(33)]), member=JOINED)
apply("referral", "refused_too_many_fingerprints", SHOP,
      bind(fingerprints=[f"device:{i}" for i in range(17)]), member=JOINED)
apply("referral", "refused_without_a_referral_block", R(), bind(), member=replay(R(), [join(T0, member="m-bo")]))

# ------------------------------------------------- qualifying and settling

JOIN_SHOP = shop(qualify="joined", min_payable=None, settle_days=None)
apply("referral", "joined_qualifies_at_the_binding_with_an_effect", JOIN_SHOP, bind(),
      member=replay(JOIN_SHOP, [join(T0, member="m-bo")]))
PLACED = invitee(extra=first_order()[:1])
apply("referral", "first_order_completed_waits_to_settle", SHOP, first_order()[1], member=PLACED)
apply("referral", "first_order_below_min_payable_does_not_qualify", SHOP, first_order(price=5000)[1],
      member=invitee(extra=first_order(price=5000)[:1]))
SETTLE0 = shop(settle_days=0)
apply("referral", "settle_days_0_rewards_on_completion", SETTLE0, first_order()[1],
      member=replay(SETTLE0, [join(T0, member="m-bo"), bind()] + first_order()[:1]))
DONE = invitee(extra=first_order())
done_at = T0 + 4 * DAY
apply("referral", "a_day_before_settling_nothing", SHOP,
      E("e-tick", done_at + 6 * DAY, "time_advanced"), member=DONE)
apply("referral", "settles_on_the_first_event_at_settles_at", SHOP,
      E("e-tick", done_at + 7 * DAY, "time_advanced"), member=DONE)
apply("referral", "settles_on_a_later_event", SHOP,
      E("e-tick-later", done_at + 9 * DAY, "time_advanced"), member=DONE)
REFUNDED = invitee(extra=first_order() + [E("e-refund", done_at + DAY, "order_refunded", order="o1")])
apply("referral", "refund_before_settling_takes_the_qualification_back", SHOP,
      E("e-refund", done_at + DAY, "order_refunded", order="o1"), member=DONE)
apply("referral", "after_a_refund_before_settling_nothing_settles", SHOP,
      E("e-tick", done_at + 7 * DAY, "time_advanced"), member=REFUNDED)
apply("referral", "after_a_refund_the_next_order_qualifies", SHOP,
      first_order(t=done_at + 2 * DAY, order="o2")[1],
      member=invitee(extra=first_order() + [E("e-refund", done_at + DAY, "order_refunded", order="o1")]
                     + first_order(t=done_at + 2 * DAY, order="o2")[:1]))
SETTLED = invitee(extra=first_order() + [E("e-tick", done_at + 7 * DAY, "time_advanced")])
apply("referral", "refund_after_settling_keeps_the_rewards", SHOP,
      E("e-refund", done_at + 8 * DAY, "order_refunded", order="o1"), member=SETTLED)

# ------------------------------------------------ the inviter's reward

apply("referral", "reward_paid_to_the_inviter", SHOP, reward(), member=ANN)
apply("referral", "reward_refused_without_a_referral_block", R(), reward(),
      member=replay(R(), [join(T0 - 30 * DAY, member="m-ann", id="a-join")]))
apply("referral", "reward_refused_with_an_unknown_template", SHOP, reward(coupon="nope"), member=ANN)
apply("referral", "reward_refused_to_the_invitee_themselves", SHOP, reward(invitee="m-ann"), member=ANN)
TWO = replay(SHOP, [join(T0 - 30 * DAY, member="m-ann", id="a-join"),
                    reward("fx-1", invitee="m-b1"), reward("fx-2", t=T0 + 10 * DAY + MIN, invitee="m-b2")])
apply("referral", "daily_cap_reached_booked_as_capped", SHOP,
      reward("fx-3", t=T0 + 10 * DAY + HOUR, invitee="m-b3"), member=TWO)
apply("referral", "daily_cap_counts_again_the_next_day", SHOP,
      reward("fx-3", t=T0 + 11 * DAY, invitee="m-b3"), member=TWO)
THREE = replay(SHOP, [join(T0 - 30 * DAY, member="m-ann", id="a-join"),
                      reward("fx-1", invitee="m-b1"), reward("fx-2", t=T0 + 10 * DAY + MIN, invitee="m-b2"),
                      reward("fx-3", t=T0 + 11 * DAY, invitee="m-b3")])
apply("referral", "total_cap_reached_booked_as_capped", SHOP,
      reward("fx-4", t=T0 + 12 * DAY, invitee="m-b4"), member=THREE)
BUDGET = shop(budget=100)
BANN = replay(BUDGET, [join(T0 - 30 * DAY, member="m-ann", id="a-join")])
apply("referral", "budget_missing_refused", BUDGET, reward(), member=BANN)
apply("referral", "budget_left_paid", BUDGET, reward(budget_used=99), member=BANN)
apply("referral", "budget_spent_booked_as_capped", BUDGET, reward(budget_used=100), member=BANN)
apply("referral", "reward_again_is_a_duplicate", SHOP, reward(),
      member=replay(SHOP, [join(T0 - 30 * DAY, member="m-ann", id="a-join"), reward()]))

# The effect ids follow from the invitee and the event: two invitees'
# bindings under `joined` make different ids, the same one the same.
apply("referral", "effect_id_of_another_invitee", JOIN_SHOP, bind(),
      member=replay(JOIN_SHOP, [join(T0, member="m-cy")]))

# ------------------------------------------------------- rule validation

case("referral", "rules_every_problem_at_once", "validate_rules", {"rules": shop(
    window_days=0, new_within_days=4000, qualify="joined", min_payable=-1, settle_days=400,
    inviter={"points": -5, "coupon": "nope", "growth": 0}, daily_cap=0, total_cap=0)})
case("referral", "rules_unknown_qualify", "validate_rules", {"rules": shop(qualify="shared")})
case("referral", "rules_valid", "validate_rules", {"rules": SHOP})

# A state handed back with a referral count past the state limits.
BAD = replay(SHOP, [join(T0 - 30 * DAY, member="m-ann", id="a-join"), reward()])
BAD["invites"]["rewarded"] = 1_000_001
view("referral", "member_state_with_a_count_out_of_range", "member_summary", SHOP, BAD, T0 + 11 * DAY)
