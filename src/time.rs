//! Merchant-local calendar arithmetic. The core has no clock: `now` is UTC
//! milliseconds given by the host, and every day-based rule uses the local
//! date at the merchant's UTC offset (default +08:00, Beijing).
//!
//! Worked example: `now = 1764518400000` is 2025-11-30T16:00:00Z, which is
//! 2025-12-01 00:00 in Beijing — so a coupon "valid until 2025-11-30" has
//! already expired there, although it is still the 30th in UTC.

use crate::decode::{Decode, Decoder, Expected, Json};
use crate::encode::{Encode, Writer};
use crate::schema::{AnswerSchema, Defs, InputSchema, Value};

use crate::code;
use crate::error::{Error, Result};

/// UTC milliseconds since 1970-01-01.
pub type Millis = i64;

pub const DAY_MS: i64 = 86_400_000;
pub const MINUTE_MS: i64 = 60_000;

/// Earliest and latest `now` the engine accepts: 2000-01-01 to 2199-12-31.
pub const MIN_MILLIS: Millis = 946_684_800_000;
pub const MAX_MILLIS: Millis = 7_258_118_399_999;

/// A calendar date, written `YYYY-MM-DD` in JSON.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn to_days(self) -> i64 {
        let (y, m, d) = (self.year as i64, self.month as i64, self.day as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
        Date { year: y as i32, month: m, day: d }
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// ISO weekday: Monday = 1 … Sunday = 7.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.to_days() + 3).rem_euclid(7) + 1) as u32
    }

    /// The last day of the month `n` months after this date's month.
    pub fn month_end_after(self, n: u32) -> Date {
        let idx = self.year as i64 * 12 + (self.month as i64 - 1) + n as i64;
        let (y, m) = (idx.div_euclid(12) as i32, (idx.rem_euclid(12) + 1) as u32);
        Date { year: y, month: m, day: days_in_month(y, m) }
    }

    /// First day of this date's month.
    pub fn month_start(self) -> Date {
        Date { day: 1, ..self }
    }

    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::new(digits(b.get(0..4))? as i32, digits(b.get(5..7))?, digits(b.get(8..10))?)
    }
}

/// The number the ASCII digits `b` write, for the parsers here: digits
/// only (no sign), read from the bytes: no `str` slicing, whose panic path
/// brings core's panic message code into the `.wasm`.
fn digits(b: Option<&[u8]>) -> Option<u32> {
    let mut n = 0;
    for &c in b? {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The year as an i64, as every other signed number is written: no
        // `i32` formatter in the .wasm for this one use.
        write!(f, "{:04}-{:02}-{:02}", self.year as i64, self.month, self.day)
    }
}

// How messages (and the schemas) name what each of these strings should be.
const DATE: Expected = Expected { en: "a date YYYY-MM-DD", zh: "YYYY-MM-DD 格式的日期" };
const BIRTHDAY: Expected = Expected { en: "a birthday MM-DD", zh: "MM-DD 格式的生日" };
const LOCAL_TIME: Expected =
    Expected { en: "a local time YYYY-MM-DDTHH:MM", zh: "YYYY-MM-DDTHH:MM 格式的当地时间" };

impl Decode for Date {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        let s = d.str(v, &DATE)?;
        Date::parse(s).or_else(|| {
            let s = crate::error::clip(s, 40);
            d.invalid(format!("日期 `{s}` 无效，应为 YYYY-MM-DD"), format!("invalid date `{s}`, expected YYYY-MM-DD"))
        })
    }
}

/// A month and day without a year (a birthday), written `MM-DD`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    /// Whether `date` is this birthday. 02-29 is celebrated on 02-28 in
    /// common years.
    pub fn is_on(self, date: Date) -> bool {
        if self.month != date.month {
            return false;
        }
        let day = self.day.min(days_in_month(date.year, date.month));
        day == date.day
    }
}

impl Encode for Date {
    fn encode(&self, w: &mut Writer) {
        w.string(&self.to_string())
    }
}

impl Encode for MonthDay {
    fn encode(&self, w: &mut Writer) {
        w.string(&format!("{:02}-{:02}", self.month, self.day))
    }
}

impl Encode for LocalTime {
    fn encode(&self, w: &mut Writer) {
        w.string(&self.to_string())
    }
}

impl Decode for MonthDay {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        let s = d.str(v, &BIRTHDAY)?;
        // Accept a full date (the year is ignored) or MM-DD; 2000 is a leap
        // year so 02-29 passes.
        let md = if s.len() == 10 { Date::parse(s) } else { Date::parse(&format!("2000-{s}")) };
        match md {
            Some(date) => Some(MonthDay { month: date.month, day: date.day }),
            None => {
                let s = crate::error::clip(s, 40);
                d.invalid(
                    format!("生日 `{s}` 无效，应为 MM-DD 或 YYYY-MM-DD"),
                    format!("invalid birthday `{s}`, expected MM-DD or YYYY-MM-DD"),
                )
            }
        }
    }
}

/// A local wall-clock time, written `YYYY-MM-DDTHH:MM` in JSON (no zone:
/// the merchant's offset applies).
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime {
    pub date: Date,
    /// Minutes after local midnight, 0..1440.
    pub minute: u32,
}

impl LocalTime {
    pub fn parse(s: &str) -> Option<LocalTime> {
        // Exactly `YYYY-MM-DDTHH:MM`, read from the bytes (as in
        // `Date::parse`; `split_once` at the `T` and the `:` brought in
        // core's character search, 0.5 KB of the `.wasm`).
        let b = s.as_bytes();
        if b.len() != 16 || b[10] != b'T' || b[13] != b':' {
            return None;
        }
        let date = Date::parse(s.get(..10)?)?;
        let (h, m) = (digits(b.get(11..13))?, digits(b.get(14..16))?);
        if h > 23 || m > 59 {
            return None;
        }
        Some(LocalTime { date, minute: h * 60 + m })
    }

    /// The instant this wall-clock time names in `zone`.
    pub fn instant(self, zone: Zone) -> Millis {
        zone.start_of(self.date) + self.minute as i64 * MINUTE_MS
    }
}

impl std::fmt::Display for LocalTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}T{:02}:{:02}", self.date, self.minute / 60, self.minute % 60)
    }
}

impl Decode for LocalTime {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        let s = d.str(v, &LOCAL_TIME)?;
        LocalTime::parse(s).or_else(|| {
            let s = crate::error::clip(s, 40);
            d.invalid(
                format!("当地时间 `{s}` 无效，应为 YYYY-MM-DDTHH:MM"),
                format!("invalid local time `{s}`, expected YYYY-MM-DDTHH:MM"),
            )
        })
    }
}

// Their JSON Schema: a string of the form each reads (the calendar's own
// checks, 02-30 and the like, are the decoder's).

/// A string matching `pattern`, described as `e` says.
fn text_schema(pattern: &str, e: &Expected) -> Value {
    Value::of_type("string").with("pattern", pattern.into()).described(e)
}

impl InputSchema for Date {
    fn input_schema(_: &mut Defs) -> Value {
        text_schema("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", &DATE)
    }
}

impl AnswerSchema for Date {
    fn answer_schema(defs: &mut Defs) -> Value {
        Self::input_schema(defs)
    }
}

impl InputSchema for MonthDay {
    fn input_schema(_: &mut Defs) -> Value {
        text_schema("^([0-9]{4}-)?[0-9]{2}-[0-9]{2}$", &BIRTHDAY)
    }
}

impl AnswerSchema for MonthDay {
    fn answer_schema(_: &mut Defs) -> Value {
        text_schema("^[0-9]{2}-[0-9]{2}$", &BIRTHDAY)
    }
}

impl InputSchema for LocalTime {
    fn input_schema(_: &mut Defs) -> Value {
        text_schema("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$", &LOCAL_TIME)
    }
}

impl AnswerSchema for LocalTime {
    fn answer_schema(defs: &mut Defs) -> Value {
        Self::input_schema(defs)
    }
}

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The merchant's clock: a UTC offset in minutes (+480 for Beijing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    pub offset_minutes: i32,
}

impl Zone {
    pub fn new(offset_minutes: i32) -> Zone {
        Zone { offset_minutes }
    }

    fn offset_ms(self) -> i64 {
        self.offset_minutes as i64 * MINUTE_MS
    }

    /// The local date at instant `t`.
    pub fn date(self, t: Millis) -> Date {
        Date::from_days((t + self.offset_ms()).div_euclid(DAY_MS))
    }

    /// First millisecond of a local date.
    pub fn start_of(self, d: Date) -> Millis {
        d.to_days() * DAY_MS - self.offset_ms()
    }

    /// Last millisecond of a local date: "valid until the end of the day".
    pub fn end_of(self, d: Date) -> Millis {
        self.start_of(d.add_days(1)) - 1
    }
}

/// Check that a host-given instant is within the supported range.
pub fn check_instant(t: Millis, path: &str) -> Result<()> {
    if (MIN_MILLIS..=MAX_MILLIS).contains(&t) {
        Ok(())
    } else {
        Err(Error::new(
            code::TIME_OUT_OF_RANGE,
            path,
            "时间超出支持范围（2000-01-01 至 2199-12-31）",
            "time is outside the supported range (2000-01-01 to 2199-12-31)",
        ))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn local_time_is_read_as_split_once_read_it() {
        // The former reading, at the `T` and the `:`.
        let old = |s: &str| -> Option<LocalTime> {
            let (d, t) = s.split_once('T')?;
            let date = Date::parse(d)?;
            let (h, m) = t.split_once(':')?;
            let two = |p: &str| match *p.as_bytes() {
                [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                    Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
                }
                _ => None,
            };
            let (h, m) = (two(h)?, two(m)?);
            if h > 23 || m > 59 {
                return None;
            }
            Some(LocalTime { date, minute: h * 60 + m })
        };
        for s in [
            "2024-02-29T23:59",
            "2024-02-30T10:00",
            "2024-01-01T24:00",
            "2024-01-01T10:60",
            "2024-01-01T1:00",
            "2024-01-01T10:0",
            "2024-01-01 10:00",
            "2024-01-01T10-00",
            "2024-01-01T10:00:00",
            "2024-01-01T10:00Z",
            "2024-1-01T10:00",
            "2024-01-01TT0:00",
            "2024-01-01T10::0",
            "",
            "T",
            "2024-01-01T",
            "２024-01-01T10:00",
            "2024-01-01T1０:00",
            "+024-01-01T10:00",
            "2024-01-01T-1:00",
            "2024-01-01T00:00",
        ] {
            assert_eq!(LocalTime::parse(s), old(s), "{s}");
        }
    }

    use super::*;

    #[test]
    fn days_round_trip_across_leap_years_and_centuries() {
        for z in (-800_000..800_000).step_by(97) {
            assert_eq!(Date::from_days(z).to_days(), z);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_days(), 0);
        assert_eq!(Date::new(2024, 2, 29).unwrap().add_days(1), Date::new(2024, 3, 1).unwrap());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2100, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
    }

    #[test]
    fn beijing_midnight_is_four_pm_utc() {
        let bj = Zone::new(480);
        // 2025-11-30T16:00:00Z
        let t = 1_764_518_400_000;
        assert_eq!(bj.date(t).to_string(), "2025-12-01");
        assert_eq!(bj.date(t - 1).to_string(), "2025-11-30");
        assert_eq!(Zone::new(0).date(t).to_string(), "2025-11-30");
        assert_eq!(bj.end_of(Date::parse("2025-11-30").unwrap()), t - 1);
        assert_eq!(bj.start_of(Date::parse("2025-12-01").unwrap()), t);
    }

    #[test]
    fn weekdays_and_month_ends() {
        assert_eq!(Date::parse("2026-11-25").unwrap().weekday(), 3); // a Wednesday
        assert_eq!(Date::parse("2024-01-31").unwrap().month_end_after(1).to_string(), "2024-02-29");
        assert_eq!(Date::parse("2025-12-15").unwrap().month_end_after(0).to_string(), "2025-12-31");
        assert_eq!(Date::parse("2025-12-15").unwrap().month_end_after(14).to_string(), "2027-02-28");
    }

    #[test]
    fn leap_day_birthday_falls_on_feb_28_in_common_years() {
        let md = MonthDay { month: 2, day: 29 };
        assert!(md.is_on(Date::parse("2025-02-28").unwrap()));
        assert!(!md.is_on(Date::parse("2024-02-28").unwrap()));
        assert!(md.is_on(Date::parse("2024-02-29").unwrap()));
    }

    #[test]
    fn parse_rejects_malformed_dates() {
        for s in ["2025-1-01", "2025-13-01", "2025-02-30", "20x5-01-01", "", "2025-01-01T"] {
            assert!(Date::parse(s).is_none(), "{s}");
        }
    }
}
