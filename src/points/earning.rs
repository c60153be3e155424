//! Earning points: from orders (`points.earn_per_yuan`, step 9 of the
//! pipeline, credited when the order completes), from member activities
//! (`points.activities`), from daily check-in streaks (`points.check_in`),
//! with a daily cap on the last two (`points.daily_cap`).

use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Error, Problems, Result};
use crate::ledger::{refuse, Booking, Member};
use crate::money::{self, Fen};
use crate::points::PointsPolicy;
use crate::pricing::Pricing;
use crate::rules::{check_id, in_range, At, Rules};
use crate::time::Date;

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct ActivityRule {
    pub points: i64,
    /// How many times a day it pays (default: unlimited).
    #[serde(default)]
    pub times_per_day: Option<u32>,
    /// How many times ever it pays (e.g. 1 for `follow`).
    #[serde(default)]
    pub times_total: Option<u32>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct CheckInRule {
    /// Points for every check-in.
    pub daily: i64,
    /// Extra points on reaching a streak day (e.g. day 7: +50).
    #[serde(default)]
    pub streak_bonus: Vec<StreakBonus>,
    /// The streak restarts at day 1 after this many days (e.g. 7 for a
    /// weekly card); without it the streak keeps counting.
    #[serde(default)]
    pub cycle_days: Option<u32>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct StreakBonus {
    pub day: u32,
    pub points: i64,
}

/// A member's check-in streak.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct CheckInState {
    pub last: Option<Date>,
    pub streak: u32,
}

/// How often a member did one activity: today (local) and ever.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct ActivityCount {
    pub day: Date,
    pub today: u32,
    pub total: u32,
}

/// Activity and check-in points credited on one local day (for the cap).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct DailyPoints {
    pub day: Option<Date>,
    pub points: i64,
}

/// The earning part of `points`: the rate, activities, the cap, check-in.
pub(crate) fn check(pts: &PointsPolicy, p: &mut Problems) {
    in_range(p, format_args!("points.earn_per_yuan"), pts.earn_per_yuan, 0, 10_000);
    for (name, a) in &pts.activities {
        // Full: nothing more would be recorded (the map has no length of
        // its own).
        if p.full() {
            break;
        }
        check_id(p, format_args!("points.activities.{name}"), name);
        in_range(p, format_args!("points.activities.{name}.points"), a.points, 1, 1_000_000);
    }
    if let Some(cap) = pts.daily_cap {
        in_range(p, format_args!("points.daily_cap"), cap, 1, 1_000_000_000);
    }
    if let Some(ci) = &pts.check_in {
        in_range(p, format_args!("points.check_in.daily"), ci.daily, 0, 1_000_000);
        let mut last = 0;
        for (i, b) in ci.streak_bonus.iter().enumerate() {
            let at = At("points.check_in.streak_bonus", i);
            if b.day <= last {
                p.push(
                    code::STREAK_OUT_OF_ORDER,
                    format!("{at}.day"),
                    "连续签到奖励的天数须递增且大于 0",
                    "streak bonus days must be increasing and above 0",
                );
            }
            last = b.day;
            in_range(p, format_args!("{at}.points"), b.points, 1, 1_000_000);
            if let Some(c) = ci.cycle_days {
                if b.day > c {
                    p.push(
                        code::STREAK_BEYOND_CYCLE,
                        format!("{at}.day"),
                        "奖励天数超出签到周期",
                        "bonus day is beyond the check-in cycle",
                    );
                }
            }
        }
        if let Some(c) = ci.cycle_days {
            in_range(p, format_args!("points.check_in.cycle_days"), c as i64, 1, 366);
        }
    }
}

/// `checked_in`: once a local day; the streak goes on from yesterday or
/// starts again (and restarts after `cycle_days`); the day's points plus a
/// streak bonus are credited under the daily cap, what fits of them.
pub(crate) fn checked_in(rules: &Rules, m: &mut Member, b: &Booking) -> Result<()> {
    let Some(rule) = &rules.points.check_in else {
        return Err(refuse(code::CHECK_IN_DISABLED, "event", "本店未开通签到", "this shop has no check-in"));
    };
    let today = rules.zone().date(b.at);
    if m.check_in.last == Some(today) {
        return Err(refuse(code::CHECK_IN_DUPLICATE, "event", "今天已签到", "already checked in today"));
    }
    let mut streak = if m.check_in.last == Some(today.add_days(-1)) { m.check_in.streak + 1 } else { 1 };
    if rule.cycle_days.is_some_and(|c| streak > c) {
        streak = 1;
    }
    let mut bonus = 0;
    for s in &rule.streak_bonus {
        if s.day == streak {
            bonus += s.points;
        }
    }
    m.check_in.last = Some(today);
    m.check_in.streak = streak;
    credit(rules, m, "check_in", rule.daily + bonus, b, OverCap::CreditWhatFits)
}

/// `activity`: a named member action, within its daily and total limits,
/// credited under the daily cap. `sign_up` is credited only when joining.
pub(crate) fn activity(rules: &Rules, m: &mut Member, b: &Booking, name: &str) -> Result<()> {
    let Some(rule) = rules.points.activities.get(name) else {
        return Err(refuse(
            code::UNKNOWN_ACTIVITY,
            "event.name",
            format!("未知活动 `{name}`"),
            format!("unknown activity `{name}`"),
        ));
    };
    if name == "sign_up" {
        return Err(refuse(
            code::ACTIVITY_LIMIT_REACHED,
            "event.name",
            "注册积分只在入会时发放",
            "sign-up points are given only when joining",
        ));
    }
    let today = rules.zone().date(b.at);
    let count = m.activities.entry(name.to_string()).or_insert(ActivityCount { day: today, today: 0, total: 0 });
    if count.day != today {
        count.day = today;
        count.today = 0;
    }
    if rule.times_per_day.is_some_and(|n| count.today >= n) || rule.times_total.is_some_and(|n| count.total >= n) {
        return Err(refuse(
            code::ACTIVITY_LIMIT_REACHED,
            "event.name",
            format!("「{name}」次数已达上限"),
            format!("`{name}` has reached its limit"),
        ));
    }
    count.today += 1;
    count.total += 1;
    credit(rules, m, &format!("activity:{name}"), rule.points, b, OverCap::Refuse)
}

/// What to do with an event that finds the daily cap used up.
#[derive(PartialEq)]
enum OverCap {
    /// An activity is refused (`DAILY_CAP_REACHED`).
    Refuse,
    /// A check-in still counts for the streak and credits what fits,
    /// possibly nothing.
    CreditWhatFits,
}

/// Credit activity or check-in points under the daily cap.
fn credit(rules: &Rules, m: &mut Member, source: &str, points: i64, b: &Booking, over: OverCap) -> Result<()> {
    let today = rules.zone().date(b.at);
    if m.daily_points.day != Some(today) {
        m.daily_points = DailyPoints { day: Some(today), points: 0 };
    }
    let room = rules.points.daily_cap.map_or(points, |cap| (cap - m.daily_points.points).max(0));
    let credit = points.min(room);
    if credit == 0 && points > 0 && over == OverCap::Refuse {
        return Err(refuse(
            code::DAILY_CAP_REACHED,
            "event",
            "今日活动积分已达上限",
            "today's activity points cap is reached",
        ));
    }
    m.daily_points.points += credit;
    m.points.earn(rules.zone(), rules.points.expiry, b.at, credit, source, b.id)?;
    Ok(())
}

/// Step 9, points: floor(paid × earn_per_yuan × tier multiplier × occasion
/// multiplier / 1,000,000) over the lines that earn points, spread by what
/// each paid; plus the bonus points of each applied full reduction, spread
/// over its lines by what they paid (all to the first of them if they paid
/// nothing). A guest earns nothing.
pub(crate) fn points_to_earn(p: &mut Pricing) -> Result<()> {
    p.points.multiplier_pct = p.eff.points_multiplier_pct;
    p.points.occasion_multiplier_pct = p.eff.occasion_multiplier_pct;
    if p.member.is_none() {
        return Ok(());
    }
    let mut weights: Vec<Fen> = Vec::with_capacity(p.lines.len());
    for l in &p.lines {
        weights.push(if l.out.points_allowed { l.out.paid } else { 0 });
    }
    let base = money::sum_fen(&weights);
    let rate = p.rules.points.earn_per_yuan as i128
        * p.eff.points_multiplier_pct as i128
        * p.eff.occasion_multiplier_pct as i128;
    let pts =
        i64::try_from(money::div_rem_128(base as i128 * rate, 1_000_000).0).map_err(|_| Error::overflow("points"))?;
    let mut per_line = if base > 0 { money::split(pts, &weights)? } else { vec![0; p.lines.len()] };
    let mut bonus_total = 0;
    for r in &p.reductions {
        let Some(bonus) = r.reward.bonus_points.filter(|_| r.applied) else { continue };
        let mut w: Vec<Fen> = Vec::with_capacity(p.lines.len());
        for (l, &c) in p.lines.iter().zip(&r.lines) {
            w.push(if c { l.out.paid } else { 0 });
        }
        let shares = if money::sum_fen(&w) > 0 {
            money::split(bonus, &w)?
        } else {
            let mut v = vec![0; p.lines.len()];
            if let Some(first) = r.lines.iter().position(|&c| c) {
                v[first] = bonus;
            }
            v
        };
        for (x, &s) in per_line.iter_mut().zip(&shares) {
            *x += s;
        }
        bonus_total += bonus;
    }
    for (l, &n) in p.lines.iter_mut().zip(&per_line) {
        l.out.points_to_earn = n;
    }
    p.points.to_earn = money::sum_fen(&per_line);
    p.points.bonus = bonus_total;
    Ok(())
}
