"""Invite tasks (docs/rules.md section 11): each qualification kind, the
window's edges, take-backs (refunds, leaving), tiers paid once, the
friends cap, progress in member_summary, and rule validation."""

from gen import *  # noqa: F401,F403

# The window: 2026-03-01 00:00 (inclusive) to 2026-03-10 00:00 (exclusive), Beijing.
FROM = at(2026, 3, 1)
UNTIL = at(2026, 3, 10)
TIERS = [{"invites": 1, "points": 100},
         {"invites": 2, "coupon": "ten"},
         {"invites": 3, "gift": "pot", "growth": 50}]


def task(qualify="joined", **over):
    t = {"id": "tb", "from": "2026-03-01T00:00", "until": "2026-03-10T00:00", "qualify": qualify,
         "tiers": copy.deepcopy(TIERS)}
    t.update(copy.deepcopy(over))
    return t


def shop(*tasks):
    return R(catalog=[{"sku": "pot", "name": "紫砂壶", "category": "teaware", "price": 32800},
                      {"sku": "tea", "name": "龙井", "category": "goods", "price": 16800}],
             coupons=[tpl("ten", "无门槛10元", amount_off(1000), days(30))],
             referral={"qualify": "joined", "new_within_days": 30},
             invite_tasks=list(tasks) or [task()])


JOINED_T = shop(task("joined"))
FOLLOW_T = shop(task("followed"))
ORDER_T = shop(task("first_order", min_payable=5000))


def bind(id="e-bind", t=T0 + MIN, inviter="m-ann"):
    return E(id, t, "referral_bound", inviter=inviter, scene="M9V61", first_scan_at=t - HOUR)


def friend(rules, extra=(), t=T0, name="m-bo"):
    return replay(rules, [join(t, member=name)] + list(extra))


def order(price=16800, t=T0 + DAY, o="o1"):
    return [E(f"e-place-{o}", t, "order_placed", order=o, cart=cart(ln("tea", price))),
            E(f"e-done-{o}", t + HOUR, "order_completed", order=o)]


def step(id, t, invitee="m-bo", standing="qualified", task_id="tb"):
    return E(id, t, "invite_task_step", task=task_id, invitee=invitee, standing=standing)


# ------------------------------------------------------------- friends

apply("invite_task", "joined_qualifies_at_the_binding", JOINED_T, bind(), member=friend(JOINED_T))
apply("invite_task", "bound_before_the_window_makes_no_step", JOINED_T, bind(t=FROM - MIN),
      member=friend(JOINED_T, t=FROM - HOUR))
apply("invite_task", "bound_at_the_window_start_counts", JOINED_T, bind(t=FROM),
      member=friend(JOINED_T, t=FROM - HOUR))
apply("invite_task", "bound_a_minute_before_the_deadline_counts", JOINED_T, bind(t=UNTIL - MIN),
      member=friend(JOINED_T, t=UNTIL - HOUR))
apply("invite_task", "bound_at_the_deadline_makes_no_step", JOINED_T, bind(t=UNTIL),
      member=friend(JOINED_T, t=UNTIL - HOUR))
apply("invite_task", "two_tasks_two_steps", shop(task("joined"), task("joined", id="tb2")), bind(),
      member=friend(shop(task("joined"), task("joined", id="tb2"))))

apply("invite_task", "followed_bound_first_is_pending", FOLLOW_T, bind(), member=friend(FOLLOW_T))
apply("invite_task", "followed_after_the_binding_qualifies", FOLLOW_T, E("e-follow", T0 + HOUR, "followed"),
      member=friend(FOLLOW_T, [bind()]))
apply("invite_task", "followed_before_the_binding_qualifies_at_it", FOLLOW_T, bind(),
      member=friend(FOLLOW_T, [E("e-follow", T0 + 1, "followed")]))
apply("invite_task", "followed_twice_makes_no_second_step", FOLLOW_T, E("e-follow-2", T0 + 2 * HOUR, "followed"),
      member=friend(FOLLOW_T, [bind(), E("e-follow", T0 + HOUR, "followed")]))
apply("invite_task", "followed_without_a_binding_makes_nothing", FOLLOW_T, E("e-follow", T0 + HOUR, "followed"),
      member=friend(FOLLOW_T))

apply("invite_task", "first_order_completed_qualifies", ORDER_T, order()[1],
      member=friend(ORDER_T, [bind()] + order()[:1]))
apply("invite_task", "first_order_below_min_payable_stays_pending", ORDER_T, order(price=4000)[1],
      member=friend(ORDER_T, [bind()] + order(price=4000)[:1]))
apply("invite_task", "order_placed_only_is_not_a_step", ORDER_T, order()[0],
      member=friend(ORDER_T, [bind()]))
DONE = [bind()] + order()
apply("invite_task", "refund_in_full_takes_the_step_back", ORDER_T,
      E("e-refund", T0 + 2 * DAY, "order_refunded", order="o1"), member=friend(ORDER_T, DONE))
TWO_LINES = [bind(), E("e-place-o1", T0 + DAY, "order_placed", order="o1",
                       cart=cart(ln("tea", 3000), ln("pot", 3000))),
             E("e-done-o1", T0 + DAY + HOUR, "order_completed", order="o1")]
apply("invite_task", "refund_below_the_threshold_takes_the_step_back", ORDER_T,
      E("e-refund", T0 + 2 * DAY, "order_refunded", order="o1", lines=[{"line": 0, "quantity": 1}]),
      member=friend(ORDER_T, TWO_LINES))
apply("invite_task", "refund_keeping_the_threshold_makes_no_step", shop(task("first_order", min_payable=2000)),
      E("e-refund", T0 + 2 * DAY, "order_refunded", order="o1", lines=[{"line": 0, "quantity": 1}]),
      member=friend(shop(task("first_order", min_payable=2000)), TWO_LINES))
apply("invite_task", "refund_after_the_deadline_takes_nothing_back", ORDER_T,
      E("e-refund", UNTIL, "order_refunded", order="o1"), member=friend(ORDER_T, DONE))
REFUNDED = DONE + [E("e-refund", T0 + 2 * DAY, "order_refunded", order="o1")]
apply("invite_task", "after_a_refund_the_next_order_qualifies", ORDER_T, order(t=T0 + 3 * DAY, o="o2")[1],
      member=friend(ORDER_T, REFUNDED + order(t=T0 + 3 * DAY, o="o2")[:1]))

apply("invite_task", "left_drops_the_friend", ORDER_T, E("e-left", T0 + 2 * DAY, "left"),
      member=friend(ORDER_T, DONE))
apply("invite_task", "left_before_the_binding_drops_at_it", JOINED_T, bind(),
      member=friend(JOINED_T, [E("e-left", T0 + 1, "left")]))
apply("invite_task", "after_leaving_nothing_counts_again", FOLLOW_T, E("e-follow", T0 + 3 * DAY, "followed"),
      member=friend(FOLLOW_T, [bind(), E("e-left", T0 + 2 * DAY, "left")]))

# ------------------------------------------------------------- the inviter

ANN_LOG = [join(T0 - 30 * DAY, member="m-ann", id="a-join")]
ANN = replay(JOINED_T, ANN_LOG)
apply("invite_task", "pending_step_recorded", JOINED_T, step("s1", T0, standing="pending"), member=ANN)
apply("invite_task", "first_tier_paid_points", JOINED_T, step("s1", T0), member=ANN)
ONE = ANN_LOG + [step("s1", T0, invitee="m-b1")]
TWO = ONE + [step("s2", T0 + MIN, invitee="m-b2")]
apply("invite_task", "second_tier_paid_a_coupon", JOINED_T, step("s2", T0 + MIN, invitee="m-b2"),
      member=replay(JOINED_T, ONE))
apply("invite_task", "third_tier_paid_a_gift_and_growth", JOINED_T, step("s3", T0 + 2 * MIN, invitee="m-b3"),
      member=replay(JOINED_T, TWO))
apply("invite_task", "a_step_over_two_tiers_pays_both", JOINED_T, step("s3", T0 + 2 * MIN, invitee="m-b3"),
      member=replay(JOINED_T, ANN_LOG + [step("s1", T0, invitee="m-b1", standing="pending"),
                                         step("s2", T0 + MIN, invitee="m-b2")]))
apply("invite_task", "take_back_after_a_tier_keeps_the_reward", JOINED_T,
      step("s3", T0 + HOUR, invitee="m-b2", standing="pending"), member=replay(JOINED_T, TWO))
BACK = TWO + [step("s3", T0 + HOUR, invitee="m-b2", standing="dropped")]
apply("invite_task", "reaching_a_tier_again_pays_nothing", JOINED_T, step("s4", T0 + 2 * HOUR, invitee="m-b4"),
      member=replay(JOINED_T, BACK))
apply("invite_task", "the_same_standing_again_changes_nothing", JOINED_T,
      step("s3", T0 + HOUR, invitee="m-b1"), member=replay(JOINED_T, ONE))
apply("invite_task", "step_again_is_a_duplicate", JOINED_T, step("s1", T0 + HOUR, invitee="m-b1"),
      member=replay(JOINED_T, ONE))
apply("invite_task", "step_refused_unknown_task", JOINED_T, step("s1", T0, task_id="nope"), member=ANN)
apply("invite_task", "step_refused_at_the_deadline", JOINED_T, step("s1", UNTIL), member=ANN)
apply("invite_task", "step_refused_before_the_window", JOINED_T, step("s1", FROM - MIN), member=ANN)
apply("invite_task", "step_refused_to_the_inviter_themselves", JOINED_T, step("s1", T0, invitee="m-ann"),
      member=ANN)
apply("invite_task", "step_refused_bad_standing", JOINED_T, step("s1", T0, standing="shared"), member=ANN)

# The friends cap: 1,000 friends recorded; a step for one more counts in `over`.
FULL = replay(JOINED_T, ANN_LOG + [step("s0", T0, invitee="m-f0000", standing="pending")])
FULL["invite_tasks"]["progress"][0]["friends"] = [
    {"invitee": f"m-f{i:04d}", "standing": "pending"} for i in range(1000)]
apply("invite_task", "friends_cap_reached_counts_over", JOINED_T, step("s1", T0 + MIN, invitee="m-z"), member=FULL)
apply("invite_task", "friends_cap_reached_a_known_friend_still_steps", JOINED_T,
      step("s1", T0 + MIN, invitee="m-f0500"), member=FULL)

# ------------------------------------------------------------- progress

PROGRESS = replay(JOINED_T, TWO + [step("s3", T0 + HOUR, invitee="m-b3", standing="pending")])
view("invite_task", "progress_open", "member_summary", JOINED_T, PROGRESS, T0 + DAY)
view("invite_task", "progress_a_minute_before_the_deadline", "member_summary", JOINED_T, PROGRESS, UNTIL - MIN)
view("invite_task", "progress_after_the_deadline", "member_summary", JOINED_T, PROGRESS, UNTIL + DAY)
view("invite_task", "progress_open_task_without_friends", "member_summary", JOINED_T, ANN, T0)
view("invite_task", "progress_none_after_a_task_without_friends", "member_summary", JOINED_T, ANN, UNTIL)
ALL = replay(JOINED_T, TWO + [step("s3", T0 + HOUR, invitee="m-b3")])
view("invite_task", "progress_every_tier_granted", "member_summary", JOINED_T, ALL, T0 + DAY)
BAD = copy.deepcopy(PROGRESS)
BAD["invite_tasks"]["progress"][0]["over"] = 1_000_001
view("invite_task", "member_state_with_over_out_of_range", "member_summary", JOINED_T, BAD, T0 + DAY)

# ------------------------------------------------------- rule validation

case("invite_task", "rules_valid", "validate_rules", {"rules": ORDER_T})
bad = shop(task("joined", until="2026-03-01T00:00", min_payable=100,
                tiers=[{"invites": 0, "points": -1}, {"invites": 0, "coupon": "nope"},
                       {"invites": 2000, "gift": "nope"}, {"invites": 3000}]),
           task("followed"))
del bad["referral"]
case("invite_task", "rules_every_problem_at_once", "validate_rules", {"rules": bad})
case("invite_task", "rules_too_many_tasks", "validate_rules",
     {"rules": shop(*[task(id=f"t{i}") for i in range(17)])})
case("invite_task", "rules_too_many_tiers", "validate_rules",
     {"rules": shop(task(tiers=[{"invites": i + 1, "points": 1} for i in range(9)]))})
case("invite_task", "rules_no_tiers", "validate_rules", {"rules": shop(task(tiers=[]))})
case("invite_task", "rules_unknown_qualify", "validate_rules", {"rules": shop(task("shared"))})
