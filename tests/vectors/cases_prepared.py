"""Prepared rules: `prepare_rules`, then `"rules": {"prepared": "sha256:…"}`.

Steps vectors (`steps_case`) run in order in one session, and hosts that
share one instance across every file run them in any order, so:
- each steps vector prepares what it uses (self-contained);
- the RULES_NOT_PREPARED cases name fingerprints no vector ever prepares;
- the eviction case prepares rule sets no other vector prepares (their own
  merchant names), so another file's sets cannot change what it drops.

Every step's `expected` is the stateless engine's answer to the same call
with the rules written out in full: naming them must change no byte.
"""

import hashlib

from gen import *  # noqa: F401,F403

# A fingerprint of nothing any vector prepares.
NEVER = "sha256:" + "0" * 64


def fingerprint(rules):
    out = call("validate_rules", {"rules": rules})
    if "ok" not in out:
        sys.exit(f"gen.py: prepared rules must be valid: {json.dumps(out, ensure_ascii=False)[:300]}")
    fp = out["ok"]["fingerprint"]
    # The fingerprint is the SHA-256 of the canonical document: the same
    # here for these (ASCII-keyed) rules.
    assert fp == "sha256:" + hashlib.sha256(canonical(rules).encode()).hexdigest(), fp
    return fp


def prepare(rules):
    return ("prepare_rules", {"rules": rules}, {"rules": rules})


def by_fp(op, inp):
    """Step: `op` on `inp` with its rules named by fingerprint (prepared
    before); expected: the answer to `inp` itself."""
    named = dict(inp, rules={"prepared": fingerprint(inp["rules"])})
    return (op, named, inp)


def named(op, inp, fp):
    """Step: `op` on `inp` with its rules replaced by a reference to `fp`."""
    i = dict(inp, rules={"prepared": fp})
    return (op, i, i)


# --------------------------------------------------- shapes (stateless)

Q = {"rules": R(), "cart": cart(ln("a", 100)), "now": NOW}
case("prepared", "an_unknown_fingerprint_is_not_prepared", "quote", dict(Q, rules={"prepared": NEVER}))
case("prepared", "any_string_is_a_fingerprint_not_prepared", "validate_rules", {"rules": {"prepared": "x"}})
case("prepared", "a_fingerprint_must_be_a_string", "quote", dict(Q, rules={"prepared": 5}))
case("prepared", "no_key_beside_prepared", "quote", dict(Q, rules={"prepared": "x", "schema": 1}))
case("prepared", "prepare_rules_refuses_invalid_rules", "prepare_rules",
     {"rules": R(utc_offset_minutes=9999)})
case("prepared", "prepare_rules_needs_rules", "prepare_rules", {})


@after_sections
def by_fingerprint():
    # The demo: prepared once, then every demo call by fingerprint.
    demo = [CASES[f"demo/{n}.json"] for n in (
        "quote_of_the_demo_cart", "quote_of_the_demo_cart_for_a_guest", "replay_of_the_demo_member",
        "member_summary_of_the_demo_member", "coupon_wallet_of_the_demo_member",
        "points_history_of_the_demo_member", "lifecycle_alerts_of_the_demo_rules")]
    dr = demo[0]["input"]["rules"]
    dm = demo[0]["input"]["member"]
    fp = fingerprint(dr)
    checkin = {"rules": dr, "member": dm, "event": {"id": "e-prepared-checkin", "at": demo[0]["input"]["now"], "type": "checked_in"}}
    empty = dict(demo[0]["input"], cart={"lines": []})
    steps_case("prepared", "the_demo_rules_prepared_once_answer_every_call_alike", [
        prepare(dr),
        by_fp("validate_rules", {"rules": dr}),
        *[by_fp(c["op"], c["input"]) for c in demo],
        by_fp("apply_event", checkin),
        # A refusal after the rules are found is the same refusal.
        by_fp("quote", empty),
        # Named by fingerprint, prepare_rules answers the same again.
        ("prepare_rules", {"rules": {"prepared": fp}}, {"rules": dr}),
    ])
    # Every other operation that takes rules, on rules of its own vector.
    for path in (
        "member/completing_it_upgrades_at_once",
        "views/eligible_members_says_why_each_one_is_not",
        "channel/by_a_guides_scene_with_a_channel_part",
        "channel/stats_over_two_local_days_at_utc_minus_5",
        "lifecycle/alerts_say_who_moved_when_and_what_to_do",
        "member/a_big_order_jumps_two_tiers",
        "big/two_hundred_lines_and_twenty_coupons",
    ):
        c = CASES[f"{path}.json"]
        steps_case("prepared", f"{c['op']}_by_fingerprint", [prepare(c["input"]["rules"]), by_fp(c["op"], c["input"])])


# Invalid rules are not kept: their would-be fingerprint is not prepared.
BAD = R(merchant="prepared-invalid", utc_offset_minutes=9999)
BAD_FP = "sha256:" + hashlib.sha256(canonical(BAD).encode()).hexdigest()
steps_case("prepared", "invalid_rules_are_not_kept", [
    prepare(BAD),
    named("quote", Q, BAD_FP),
])

# The bound: four sets. A fifth drops the one prepared longest ago; a set
# prepared again (by fingerprint) is the newest again. These rule sets are
# this vector's own (merchant names), so no other vector's affect it.
SETS = [R(merchant=f"prepared-evict-{i}") for i in range(1, 7)]
FPS = [fingerprint(r) for r in SETS]


def q(i):
    return dict(Q, rules=SETS[i])


steps_case("prepared", "a_fifth_set_drops_the_one_prepared_longest_ago", [
    *[prepare(SETS[i]) for i in range(5)],
    named("quote", Q, FPS[0]),          # dropped: RULES_NOT_PREPARED
    by_fp("quote", q(1)),               # held: 2, 3, 4, 5
    by_fp("quote", q(4)),
    ("prepare_rules", {"rules": {"prepared": FPS[1]}}, {"rules": SETS[1]}),  # 2 is newest now
    prepare(SETS[5]),                   # drops 3, not 2
    by_fp("quote", q(1)),
    named("quote", Q, FPS[2]),          # dropped
    by_fp("quote", q(3)),
    by_fp("quote", q(5)),
    # Preparing a dropped set again brings it back.
    prepare(SETS[0]),
    by_fp("quote", q(0)),
])
