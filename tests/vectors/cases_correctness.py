"""Issue 15, correctness: the same input gets the same answer on every target,
and every state the engine makes is one it accepts.

- a refund line of 2^32 is `BAD_LINE` everywhere (it was a type error in the
  32-bit `.wasm`: the field was a platform-sized `usize`);
- a member who joins at 2000-01-01T00:00Z west of UTC (still 1999 locally)
  is read by every operation after `replay` made the state;
- an order the state cannot hold (over 10^13 fen) is refused when it is
  booked (`STATE_LIMIT`), not booked and refused at the next read.
"""

from gen import *  # noqa: F401,F403

A = "correctness"
Y2000 = calendar.timegm((2000, 1, 1, 0, 0, 0)) * 1000  # MIN_MILLIS

# ------------------------------------------------- 1. no platform-sized field

SHOP = R(catalog=[{"sku": "tea", "name": "龙井", "category": "tea", "price": 10000}])
PLACED = [join(T0), E("o", T0 + MIN, "order_placed", order="o1", cart=cart(ln("tea", 10000, 2, "tea")))]
MP = replay(SHOP, PLACED)
for name, line in [("refund_line_2_pow_32_is_bad_line", 2**32),
                   ("refund_line_2_pow_32_plus_1_is_bad_line", 2**32 + 1),
                   ("refund_line_2_pow_31_is_bad_line", 2**31),
                   ("refund_line_2_pow_53_minus_1_is_bad_line", MAX_SAFE)]:
    apply(A, name, SHOP, E("r1", T0 + 2 * MIN, "order_refunded", order="o1", lines=[{"line": line, "quantity": 1}]), MP)
apply(A, "refund_line_minus_1_is_a_type_error", SHOP,
      E("r1", T0 + 2 * MIN, "order_refunded", order="o1", lines=[{"line": -1, "quantity": 1}]), MP)

# ------------------------------------- 2. a state the engine made, then refused

def west(offset, period="year"):
    r = R(utc_offset_minutes=offset, catalog=[{"sku": "tea", "name": "龙井", "category": "tea", "price": 10000}])
    r["membership"]["tiers"] = [tier("member", "会员", 0), tier("gold", "金卡", 1000, retain=500, discount_bp=9000)]
    r["membership"]["review"] = {"period": period}
    return r


for off, period in [(-60, "year"), (-720, "year"), (-1, "quarter"), (-720, "month"), (840, "year")]:
    rules = west(off, period)
    tag = f"{'minus' if off < 0 else 'plus'}_{abs(off)}_{period}"
    events = [join(Y2000)]
    case(A, f"join_at_2000_01_01_utc_{tag}_replays", "replay", {"rules": rules, "events": events})
    m = replay(rules, events)
    view(A, f"join_at_2000_01_01_utc_{tag}_member_summary", "member_summary", rules, m, Y2000 + HOUR)
    quote(A, f"join_at_2000_01_01_utc_{tag}_quote", rules, cart(ln("tea", 10000, 1, "tea")), Y2000 + HOUR, m)
    apply(A, f"join_at_2000_01_01_utc_{tag}_apply_event", rules,
          E("o", Y2000 + HOUR, "order_placed", order="o1", cart=cart(ln("tea", 10000, 1, "tea"))), m)

# The first review after such a join runs once, at the local year's end.
RW = west(-60)
case(A, "join_at_2000_01_01_utc_minus_60_reviews_at_the_local_new_year", "replay", {"rules": RW, "events": [
    join(Y2000), E("o", Y2000 + MIN, "order_placed", order="o1", cart=cart(ln("tea", 10000, 11, "tea"))),
    E("d", Y2000 + 2 * MIN, "order_completed", order="o1"), E("t", Y2000 + 30 * DAY, "time_advanced")]})

# ---------------------------------------------- 3. two limits that contradicted

BIG = R(catalog=[{"sku": "gold-bar", "name": "金条", "category": "gold", "price": 10_000_000_000}])
MB = replay(BIG, [join(T0)])
BIG_LINE = ln("gold-bar", 10_000_000_000, 1001, "gold")  # payable 10,010,000,000,000 fen
quote(A, "a_line_of_100_million_yuan_times_1001_is_quoted", BIG, cart(BIG_LINE), T0 + MIN, MB)
apply(A, "a_line_of_100_million_yuan_times_1001_is_not_booked", BIG,
      E("o", T0 + MIN, "order_placed", order="o1", cart=cart(BIG_LINE)), MB)
case(A, "a_line_of_100_million_yuan_times_1001_stops_the_replay", "replay", {"rules": BIG, "events": [
    join(T0), E("o", T0 + MIN, "order_placed", order="o1", cart=cart(BIG_LINE))]})
# 10^13 fen exactly is the most an order may hold: booked, then read again.
EXACT = [join(T0), E("o", T0 + MIN, "order_placed", order="o1", cart=cart(ln("gold-bar", 10_000_000_000, 1000, "gold")))]
case(A, "an_order_of_exactly_10_pow_13_fen_is_booked", "replay", {"rules": BIG, "events": EXACT})
ME = replay(BIG, EXACT)
quote(A, "an_order_of_exactly_10_pow_13_fen_then_a_quote", BIG, cart(ln("gold-bar", 10_000_000_000, 1, "gold")), T0 + 2 * MIN, ME)
apply(A, "an_order_of_exactly_10_pow_13_fen_then_completed", BIG, E("d", T0 + 2 * MIN, "order_completed", order="o1"), ME)
