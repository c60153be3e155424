"""Channels (docs/rules.md section 11): smooth weighted round-robin from the
host's counter (wrap-around, zero and one staff, weights, paused staff),
scenes naming channels, statistics over local days at their edges with a
non-default UTC offset, and bad input."""

from gen import *  # noqa: F401,F403

CHANNELS = [
    {"id": "store", "kind": "store", "number": 101,
     "staff": [{"id": "g-a", "weight": 5}, {"id": "g-b", "weight": 1}, {"id": "g-c", "weight": 1}],
     "tags": ["门店"]},
    {"id": "solo", "kind": "guide", "number": 7, "staff": [{"id": "g-a", "weight": 1}], "tags": []},
    {"id": "empty", "kind": "event", "number": 8, "tags": ["活动"]},
    {"id": "paused", "kind": "poster_batch", "number": 9,
     "staff": [{"id": "g-a", "weight": 0}, {"id": "g-b", "weight": 2}]},
    {"id": "big", "kind": "event", "number": MAX_SAFE,
     "staff": [{"id": "g-a", "weight": 600}, {"id": "g-b", "weight": 400}]},
]
# New York in winter: UTC-5, so local days start at 05:00 UTC.
RULES = R(utc_offset_minutes=-300, channels=CHANNELS)


def assign(name, counter, **via):
    case("channel", name, "assign_contact", dict({"rules": RULES, "counter": counter}, **via))


for k in [0, 1, 2, 3, 4, 5, 6, 7, 13, 14, MAX_SAFE]:
    assign(f"store_counter_{k}", k, channel="store")
assign("one_staff_always_the_same", 41, channel="solo")
assign("zero_staff_still_tags_and_keeps_the_counter", 5, channel="empty")
assign("a_paused_member_is_skipped", 3, channel="paused")
assign("the_largest_period_at_its_last_slot", 999, channel="big")
assign("by_the_channels_own_scene", 2, scene="C35Z")
assign("by_a_guides_scene_with_a_channel_part", 2, scene=call("make_scene", {"kind": "guide", "number": 42, "channel": 7})["ok"]["scene"])
assign("a_scene_lower_case", 0, scene="c35z")
assign("a_member_scene_names_no_channel", 0, scene="M9V61")
assign("an_unknown_channel_number", 0, scene=call("make_scene", {"kind": "channel", "number": 10})["ok"]["scene"])
assign("an_unknown_channel_id", 0, channel="nope")
assign("neither_scene_nor_channel", 0)
assign("both_scene_and_channel", 0, scene="C35Z", channel="store")
assign("a_scene_failing_its_check", 0, scene="C35A")

case("channel", "rules_refuse_bad_channels", "validate_rules", {"rules": R(channels=[
    {"id": "a", "kind": "store", "number": 1, "staff": [{"id": "x", "weight": 600}, {"id": "x", "weight": 1001}],
     "tags": ["t", "t", ""]},
    {"id": "a", "kind": "event", "number": 1},
    {"id": "b", "kind": "event", "number": 2, "tags": ["t"] * 21},
])})


def at5(y, mo, d, h=0, mi=0):
    return at(y, mo, d, h, mi, off=-300)


def ev(kind, t, fen=0):
    return {"kind": kind, "at": t, "fen": fen}


CONTACTS = [
    # Scanned at the last millisecond of 12-01 (outside), joined at the first of 12-02.
    {"member": "m1", "channel": "store", "guide": "g-a", "events": [
        ev("scanned", at5(2026, 12, 2) - 1), ev("joined", at5(2026, 12, 2)),
        ev("paid", at5(2026, 12, 2, 9), 16800), ev("refunded", at5(2026, 12, 3, 23, 59), 16800)]},
    # First order before the range: its orders in the range are not first orders.
    {"member": "m2", "channel": "store", "guide": "g-b", "events": [
        ev("paid", at5(2026, 11, 30), 5000), ev("scanned", at5(2026, 12, 2, 1)),
        ev("paid", at5(2026, 12, 3, 12), 7000)]},
    # The last millisecond of 12-03 is inside; the first of 12-04 is not.
    {"member": "m3", "channel": "solo", "guide": "g-a", "events": [
        ev("scanned", at5(2026, 12, 4) - 1), ev("paid", at5(2026, 12, 4), 9900)]},
    {"member": "m4", "channel": "empty", "events": [ev("scanned", at5(2026, 12, 3, 4)), ev("joined", at5(2026, 12, 3, 4))]},
    {"member": "m5", "channel": "solo", "guide": "g-a", "events": [
        ev("scanned", at5(2026, 12, 2, 6)), ev("paid", at5(2026, 12, 2, 7), 100), ev("paid", at5(2026, 12, 2, 7), 200)]},
]


def stats(name, f, t, contacts=CONTACTS, rules=RULES):
    case("channel", name, "channel_stats", {"rules": rules, "from": f, "to": t, "contacts": contacts})


stats("stats_over_two_local_days_at_utc_minus_5", "2026-12-02", "2026-12-03")
stats("stats_over_one_local_day", "2026-12-02", "2026-12-02")
stats("stats_over_the_day_before", "2026-12-01", "2026-12-01")
stats("stats_of_no_contacts", "2026-12-01", "2026-12-31", contacts=[])
stats("stats_one_contact_at_a_time_m1", "2026-12-02", "2026-12-03", contacts=CONTACTS[:1])
stats("stats_one_contact_at_a_time_m2", "2026-12-02", "2026-12-03", contacts=CONTACTS[1:2])
stats("stats_refuse_bad_input_listing_every_problem", "2026-12-03", "2026-12-02", contacts=[
    {"member": "", "channel": "nope", "guide": "", "events": [
        ev("scanned", 0), ev("paid", at5(2026, 12, 2), -1), ev("joined", at5(2026, 12, 2), 5)]},
])
