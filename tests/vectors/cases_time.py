"""Local dates: end of day in the merchant's zone, month and year ends, the
2028 leap day, offsets other than +08:00, campaign windows, the supported
range of `now`."""

from gen import *  # noqa: F401,F403

C = cart(ln("a", 5000))

# A coupon valid for 1 day is good until 23:59:59.999 local time, not a
# millisecond more.
r = R(coupons=[tpl("d1", "当日有效减1元", amount_off(100), days(1))])
m = replay(r, [join(at(2026, 3, 1, 9)), E("e1", at(2026, 3, 1, 10), "coupon_claimed", template="d1", coupon="k")])
quote("time", "coupon_for_one_day_at_the_last_local_millisecond", r, C, at(2026, 3, 1, 23, 59, 59, 999), m)
quote("time", "coupon_for_one_day_one_millisecond_later", r, C, at(2026, 3, 2), m)

r = R(coupons=[tpl("w", "3月10日专享", amount_off(100), window("2026-03-10T00:00", "2026-03-11T00:00"))])
m = replay(r, [join(at(2026, 3, 5, 9)), E("e1", at(2026, 3, 5, 10), "coupon_claimed", template="w", coupon="k")])
quote("time", "window_coupon_one_millisecond_before_local_midnight", r, C, at(2026, 3, 9, 23, 59, 59, 999), m)
quote("time", "window_coupon_at_local_midnight", r, C, at(2026, 3, 10), m)
quote("time", "window_coupon_at_its_last_millisecond", r, C, at(2026, 3, 10, 23, 59, 59, 999), m)

# The worked example in src/time.rs: 2025-11-30T16:00:00Z is already
# 2025-12-01 in Beijing, so a coupon "until 2025-12-01T00:00" has expired.
r = R(coupons=[tpl("nov", "11月券", amount_off(100), window("2025-11-01T00:00", "2025-12-01T00:00"))])
m = replay(r, [join(at(2025, 11, 10)), E("e1", at(2025, 11, 10, 1), "coupon_claimed", template="nov", coupon="k")])
quote("time", "utc_date_is_not_the_local_date", r, C, 1_764_518_400_000, m)
quote("time", "last_beijing_millisecond_of_november", r, C, 1_764_518_399_999, m)

# Another zone: UTC−05:00. The end of 2026-03-01 there is 04:59:59.999Z on
# 2026-03-02.
r = R(utc_offset_minutes=-300, coupons=[tpl("d1", "当日有效减1元", amount_off(100), days(1))])
m = replay(r, [join(at(2026, 3, 1, 9, off=-300)), E("e1", at(2026, 3, 1, 10, off=-300), "coupon_claimed", template="d1", coupon="k")])
quote("time", "minus_0500_coupon_at_the_last_local_millisecond", r, C, at(2026, 3, 1, 23, 59, 59, 999, off=-300), m)
quote("time", "minus_0500_coupon_one_millisecond_later", r, C, at(2026, 3, 2, off=-300), m)
# UTC+05:45 (Nepal): a quarter-hour offset.
r = R(utc_offset_minutes=345, coupons=[tpl("w", "3月1日专享", amount_off(100), window("2026-03-01T00:00", "2026-03-02T00:00"))])
m = replay(r, [join(at(2026, 2, 20, off=345)), E("e1", at(2026, 2, 20, 1, off=345), "coupon_claimed", template="w", coupon="k")])
quote("time", "plus_0545_window_first_millisecond", r, C, at(2026, 3, 1, off=345), m)
quote("time", "plus_0545_window_one_millisecond_after_the_end", r, C, at(2026, 3, 2, off=345), m)

# A window is local times with an exclusive end, as a campaign's: valid
# from 10:00 to 11:59:59.999, not at 12:00.
r = R(coupons=[tpl("noon", "午间两小时券", amount_off(100), window("2026-03-10T10:00", "2026-03-10T12:00"))])
m = replay(r, [join(at(2026, 3, 5, 9)), E("e1", at(2026, 3, 5, 10), "coupon_claimed", template="noon", coupon="k")])
quote("time", "window_coupon_at_its_first_minute", r, C, at(2026, 3, 10, 10), m)
quote("time", "window_coupon_one_millisecond_before_its_until", r, C, at(2026, 3, 10, 11, 59, 59, 999), m)
quote("time", "window_coupon_at_its_until_has_expired", r, C, at(2026, 3, 10, 12), m)

# The leap day.
r = R(coupons=[tpl("leap", "闰日券", amount_off(100), window("2028-02-29T00:00", "2028-03-01T00:00"))])
m = replay(r, [join(at(2028, 2, 1)), E("e1", at(2028, 2, 1, 1), "coupon_claimed", template="leap", coupon="k")])
quote("time", "leap_day_coupon_on_2028_02_29", r, C, at(2028, 2, 29, 23, 59, 59, 999), m)
quote("time", "leap_day_coupon_on_2028_03_01", r, C, at(2028, 3, 1), m)

# Points lots expire at the end of a local month / year / day.
def points_rules(expiry, **extra):
    p = {"earn_per_yuan": 1, "expiry": expiry, "activities": {"share": {"points": 100}}}
    p.update(extra)
    return R(points=p)


r = points_rules({"type": "month_end", "months": 0})
m = replay(r, [join(at(2026, 1, 31, 22)), E("e1", at(2026, 1, 31, 23), "activity", name="share")])
view("time", "month_end_lot_alive_at_the_last_millisecond_of_january", "points_history", r, m, at(2026, 1, 31, 23, 59, 59, 999))
view("time", "month_end_lot_expired_at_february_1", "points_history", r, m, at(2026, 2, 1))
r = points_rules({"type": "month_end", "months": 1})
m = replay(r, [join(at(2028, 1, 31, 9)), E("e1", at(2028, 1, 31, 10), "activity", name="share")])
view("time", "month_end_after_january_31_2028_is_the_leap_day", "member_summary", r, m, at(2028, 2, 1))
r = points_rules({"type": "year_end", "years": 0})
m = replay(r, [join(at(2026, 12, 31, 23)), E("e1", at(2026, 12, 31, 23, 30), "activity", name="share")])
view("time", "year_end_lot_expired_at_local_new_year", "points_history", r, m, at(2027, 1, 1))
r = points_rules({"type": "year_end", "years": 1})
# 2026-01-01 00:00 in Beijing is still 2025 in UTC: the lot is a 2026 lot.
m = replay(r, [join(at(2025, 12, 31, 23)), E("e1", at(2026, 1, 1), "activity", name="share")])
view("time", "year_end_counts_the_local_year_not_the_utc_year", "points_history", r, m, at(2026, 6, 1))
r = points_rules({"type": "days", "days": 1})
m = replay(r, [join(at(2028, 2, 28, 9)), E("e1", at(2028, 2, 28, 10), "activity", name="share")])
view("time", "one_day_expiry_from_february_28_2028_runs_through_the_leap_day", "points_history", r, m, at(2028, 2, 29, 23, 59, 59, 999))
view("time", "one_day_expiry_from_february_28_2028_ends_before_march", "points_history", r, m, at(2028, 3, 1))

# Birthdays on the leap day are celebrated on 02-28 in common years.
r = with_tiers(R(), [tier("member", "会员", 0, birthday={"when": "day", "points_multiplier_pct": 200})])
m = replay(r, [join(at(2026, 5, 1)), E("e1", at(2026, 5, 1, 1), "profile_set", birthday="02-29")])
view("time", "leap_day_birthday_on_february_28_2027", "member_summary", r, m, at(2027, 2, 28, 12))
view("time", "leap_day_birthday_not_on_february_28_2028", "member_summary", r, m, at(2028, 2, 28, 12))
quote("time", "leap_day_birthday_doubles_points_on_february_29_2028", r, cart(ln("a", 10000)), at(2028, 2, 29, 12), m)

# Member day (day 18) begins at local midnight, whatever the UTC date says.
r = with_tiers(R(), [tier("member", "会员", 0, member_day={"day_of_month": 18, "discount_bp": 9000, "points_multiplier_pct": 200})])
m = holder(r)
quote("time", "member_day_not_yet_at_23_59_59_999_on_the_17th", r, cart(ln("a", 10000)), at(2026, 3, 17, 23, 59, 59, 999), m)
quote("time", "member_day_from_local_midnight_on_the_18th", r, cart(ln("a", 10000)), at(2026, 3, 18), m)
r = with_tiers(R(utc_offset_minutes=-300), [tier("member", "会员", 0, member_day={"day_of_month": 18, "discount_bp": 9000})])
m = replay(r, [join(at(2026, 3, 1, off=-300))])
quote("time", "minus_0500_member_day_not_yet_although_utc_is_the_18th", r, cart(ln("a", 10000)), at(2026, 3, 17, 23, 59, 59, 999, off=-300), m)
r = with_tiers(R(), [tier("member", "会员", 0, member_day={"weekday": 3, "discount_bp": 8800})])
quote("time", "weekday_member_day_on_a_wednesday", r, cart(ln("a", 10000)), at(2026, 3, 4, 8), holder(r))

# Campaign windows: `from` inclusive, `until` exclusive, local wall-clock.
r = R(campaigns=[camp("flash", "紫砂壶秒杀", "2026-03-02T10:00", "2026-03-02T22:00",
                      flash([{"sku": "pot", "price": 19900, "stock": 50}], 1))])
P = cart(ln("pot", 32800, 1, "teaware"))
quote("time", "flash_sale_not_started_at_09_59_59_999", r, P, at(2026, 3, 2, 9, 59, 59, 999))
quote("time", "flash_sale_starts_at_10_00", r, P, at(2026, 3, 2, 10))
quote("time", "flash_sale_still_on_at_21_59_59_999", r, P, at(2026, 3, 2, 21, 59, 59, 999))
quote("time", "flash_sale_over_at_22_00", r, P, at(2026, 3, 2, 22))

# Check-in days are local days.
r = with_points(R(), check_in={"daily": 5, "streak_bonus": [{"day": 2, "points": 10}]})
evs = [join(at(2026, 3, 1, 20)), E("ci1", at(2026, 3, 1, 23, 30), "checked_in"), E("ci2", at(2026, 3, 2, 0, 30), "checked_in")]
case("time", "check_ins_an_hour_apart_on_two_local_days_make_a_streak", "replay", {"rules": r, "events": evs})
apply("time", "second_check_in_on_the_same_local_day_is_refused", r,
      E("ci3", at(2026, 3, 2, 23, 59), "checked_in"), replay(r, evs))

# The supported range of `now`: 2000-01-01 to 2199-12-31 (UTC).
G = cart(ln("a", 100))
quote("time", "now_before_2000_is_out_of_range", R(), G, 946_684_799_999)
quote("time", "now_at_2000_01_01_is_accepted", R(), G, 946_684_800_000)
quote("time", "now_at_the_last_millisecond_of_2199_is_accepted", R(), G, 7_258_118_399_999)
quote("time", "now_after_2199_is_out_of_range", R(), G, 7_258_118_400_000)
