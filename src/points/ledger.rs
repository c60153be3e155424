//! The points ledger: lots, spending, expiry, returns and claw-backs.
//!
//! Every credit is a **lot** with its own expiry (`points.expiry`). Spending takes the
//! soonest-expiring lots first (ties: the older lot) and records which lots
//! it used, so expiry never deducts twice and a refund can give points back
//! to exactly the lots they came from.
//!
//! Worked example (expiry: end of the month 12 months later, Beijing time):
//! 100 points earned 2025-03-10 expire at 2026-03-31 23:59:59.999 +08:00;
//! 50 earned 2025-04-02 expire 2026-04-30. Spending 120 takes 100 from the
//! first lot and 20 from the second; on 2026-04-01 nothing expires twice —
//! the first lot is empty — and on 2026-05-01 the 30 left in the second lot
//! expire.
//!
//! **Claw-back after spending.** Points earned by goods that are later
//! refunded are taken back: first from the lot the order created, then from
//! the other lots (soonest-expiring first). What cannot be taken because it
//! was already spent becomes a **debt**: the balance shows 0 and the next
//! points earned (or given back by a refund) pay the debt off before they
//! become spendable. The debt is never hidden and never turns the balance
//! negative.

use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Error, Problems, Result};
use crate::rules::in_range;
use crate::sorting;
use crate::time::{Date, Millis, Zone};

/// When an earned lot of points expires, in merchant local time.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Expiry {
    Never,
    /// At the end of the local day `days` days after the day it was earned.
    Days {
        days: u32,
    },
    /// At the end of the month `months` months after the month it was earned
    /// (0 = the end of this month).
    MonthEnd {
        months: u32,
    },
    /// At the end of the year `years` years after the year it was earned.
    YearEnd {
        years: u32,
    },
}

pub(crate) fn check(expiry: Expiry, p: &mut Problems) {
    match expiry {
        Expiry::Days { days } => in_range(p, format_args!("points.expiry.days"), days as i64, 1, 3660),
        Expiry::MonthEnd { months } => in_range(p, format_args!("points.expiry.months"), months as i64, 0, 120),
        Expiry::YearEnd { years } => in_range(p, format_args!("points.expiry.years"), years as i64, 0, 10),
        Expiry::Never => {}
    }
}

/// One credit of points.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Lot {
    pub id: u32,
    /// What earned it: `order:o1`, `check_in`, `activity:share`, `sign_up`.
    pub source: String,
    pub earned_at: Millis,
    /// Last millisecond the points can be used; `None` never expires.
    pub expires_at: Option<Millis>,
    pub amount: i64,
    pub remaining: i64,
    /// Points that expired out of this lot.
    #[serde(default)]
    pub expired: i64,
    /// Expired points already set against a claw-back (an order's lot
    /// that expired unspent cannot be taken back a second time).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub settled: i64,
}

impl Lot {
    fn live_at(&self, now: Millis) -> bool {
        self.expires_at.is_none_or(|e| now <= e)
    }
}

/// Points taken from (or given back to) one lot.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct LotUse {
    pub lot: u32,
    pub points: i64,
}

/// One line of the points history the member sees.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub at: Millis,
    pub kind: EntryKind,
    /// Signed change to the spendable balance.
    pub delta: i64,
    /// The event or order it belongs to.
    pub reference: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lots: Vec<LotUse>,
    /// Change to the debt (positive: debt grew).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub debt: i64,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Earn,
    Spend,
    Expire,
    Return,
    Clawback,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    pub lots: Vec<Lot>,
    /// Points owed from claw-backs that could not be taken.
    pub debt: i64,
    pub history: Vec<Entry>,
}

impl Ledger {
    /// Spendable points at `now` (lots not yet expired).
    pub fn balance(&self, now: Millis) -> i64 {
        let mut n = 0;
        for l in &self.lots {
            if l.live_at(now) {
                n += l.remaining;
            }
        }
        n
    }

    fn next_id(&self) -> u32 {
        self.lots.last().map_or(1, |l| l.id + 1)
    }

    /// Credit `amount` earned at `at`; a debt is paid off first.
    pub fn earn(
        &mut self,
        zone: Zone,
        expiry: Expiry,
        at: Millis,
        amount: i64,
        source: &str,
        reference: &str,
    ) -> Result<Option<u32>> {
        if amount <= 0 {
            return Ok(None);
        }
        let to_debt = amount.min(self.debt);
        self.debt -= to_debt;
        let id = self.next_id();
        let credited = amount - to_debt;
        self.lots.push(Lot {
            id,
            source: source.to_string(),
            earned_at: at,
            expires_at: expires_at(zone, expiry, at),
            amount,
            remaining: credited,
            expired: 0,
            settled: 0,
        });
        let lots = vec![LotUse { lot: id, points: credited }];
        record(&mut self.history, at, EntryKind::Earn, credited, reference, lots, -to_debt);
        Ok(Some(id))
    }

    /// Take `amount` points, soonest-expiring lots first. Fails without
    /// changing anything if the balance is short.
    pub fn spend(&mut self, at: Millis, amount: i64, reference: &str) -> Result<Vec<LotUse>> {
        if amount <= 0 {
            return Ok(Vec::new());
        }
        let balance = self.balance(at);
        if balance < amount {
            return Err(insufficient("", amount, balance));
        }
        let uses = self.take(at, amount, None);
        record(&mut self.history, at, EntryKind::Spend, -amount, reference, uses.clone(), 0);
        Ok(uses)
    }

    /// Take up to `amount` from live lots, `first` lot before the rest, the
    /// rest soonest-expiring first. Returns what was taken.
    fn take(&mut self, at: Millis, amount: i64, first: Option<u32>) -> Vec<LotUse> {
        let mut order: Vec<usize> = Vec::new();
        for (i, l) in self.lots.iter().enumerate() {
            if l.live_at(at) && l.remaining > 0 {
                order.push(i);
            }
        }
        sorting::sort_by_key(&mut order, |&i| {
            let l = &self.lots[i];
            (Some(l.id) != first, l.expires_at.is_none(), l.expires_at, l.id)
        });
        let mut left = amount;
        let mut uses = Vec::new();
        for &i in &order {
            if left == 0 {
                break;
            }
            let l = &mut self.lots[i];
            let n = l.remaining.min(left);
            l.remaining -= n;
            left -= n;
            uses.push(LotUse { lot: l.id, points: n });
        }
        uses
    }

    /// Expire what is left in lots whose time has passed by `now`.
    pub fn expire(&mut self, now: Millis) {
        for l in &mut self.lots {
            if l.remaining > 0 && !l.live_at(now) {
                let n = l.remaining;
                let at = l.expires_at.unwrap_or(now);
                l.expired += n;
                l.remaining = 0;
                let lots = vec![LotUse { lot: l.id, points: n }];
                record(&mut self.history, at, EntryKind::Expire, -n, &format!("lot:{}", l.id), lots, 0);
            }
        }
    }

    /// The earliest moment after which some lot with points left expires.
    pub fn next_expiry(&self) -> Option<Millis> {
        // A sentinel, not an `Option` compared per lot: this runs on every
        // event of a replay, over every lot the member ever earned.
        let mut min = Millis::MAX;
        for l in &self.lots {
            if l.remaining > 0 {
                min = min.min(l.expires_at.unwrap_or(Millis::MAX));
            }
        }
        (min != Millis::MAX).then_some(min)
    }

    /// Give `amount` points back to the lots they were spent from (`spent`,
    /// the order's record, minus `already` returned), last-taken first. Points
    /// returned to a lot that has expired by `at` expire at once.
    pub fn give_back(
        &mut self,
        at: Millis,
        spent: &[LotUse],
        already: i64,
        amount: i64,
        reference: &str,
    ) -> Vec<LotUse> {
        // Skip what earlier partial returns gave back (they too went
        // last-taken first).
        let mut skip = already;
        let mut left = amount;
        let mut uses = Vec::new();
        let mut paid_debt = 0;
        for u in spent.iter().rev() {
            let mut avail = u.points;
            let s = skip.min(avail);
            skip -= s;
            avail -= s;
            let n = avail.min(left);
            if n == 0 {
                continue;
            }
            left -= n;
            if let Some(l) = self.lots.iter_mut().find(|l| l.id == u.lot) {
                if l.live_at(at) {
                    // Like earned points, returned points pay off a debt
                    // first, so the balance stays 0 while anything is owed.
                    let to_debt = n.min(self.debt);
                    self.debt -= to_debt;
                    paid_debt += to_debt;
                    l.remaining += n - to_debt;
                } else {
                    l.expired += n;
                }
            }
            uses.push(LotUse { lot: u.lot, points: n });
            if left == 0 {
                break;
            }
        }
        let mut live = 0;
        for u in &uses {
            if self.lots.iter().any(|l| l.id == u.lot && l.live_at(at)) {
                live += u.points;
            }
        }
        record(&mut self.history, at, EntryKind::Return, live - paid_debt, reference, uses.clone(), -paid_debt);
        uses
    }

    /// Take back `amount` earned points: from lot `from` first, then the
    /// other live lots; the rest becomes debt.
    ///
    /// If lot `from` has expired, the points that expired out of it were
    /// lost already: they are set against the claw-back first, so nothing is
    /// taken twice.
    pub fn claw_back(&mut self, at: Millis, from: Option<u32>, amount: i64, reference: &str) {
        if amount <= 0 {
            return;
        }
        let mut settled = 0;
        if let Some(l) = from.and_then(|id| self.lots.iter_mut().find(|l| l.id == id)) {
            if !l.live_at(at) {
                settled = amount.min(l.expired - l.settled).max(0);
                l.settled += settled;
            }
        }
        let uses = self.take(at, amount - settled, from);
        let mut taken = 0;
        for u in &uses {
            taken += u.points;
        }
        let owed = amount - settled - taken;
        self.debt += owed;
        record(&mut self.history, at, EntryKind::Clawback, -taken, reference, uses, owed);
    }
}

/// Append one line to the points history: every change to the points
/// writes one, through here.
fn record(
    history: &mut Vec<Entry>,
    at: Millis,
    kind: EntryKind,
    delta: i64,
    reference: &str,
    lots: Vec<LotUse>,
    debt: i64,
) {
    history.push(Entry { at, kind, delta, reference: reference.to_string(), lots, debt });
}

/// `INSUFFICIENT_POINTS` at `path`: `needed` is more than the `balance`.
pub(crate) fn insufficient(path: &str, needed: i64, balance: i64) -> Error {
    Error::new(
        code::INSUFFICIENT_POINTS,
        path,
        format!("积分不足：需要 {needed}，可用 {balance}"),
        format!("not enough points: {needed} needed, {balance} available"),
    )
}

/// When a lot earned at `at` expires under `expiry`, in local time.
pub fn expires_at(zone: Zone, expiry: Expiry, at: Millis) -> Option<Millis> {
    let d = zone.date(at);
    match expiry {
        Expiry::Never => None,
        Expiry::Days { days } => Some(zone.end_of(d.add_days(days as i64))),
        Expiry::MonthEnd { months } => Some(zone.end_of(d.month_end_after(months))),
        Expiry::YearEnd { years } => {
            let dec = Date { year: d.year + years as i32, month: 12, day: 31 };
            Some(zone.end_of(dec))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BJ: Zone = Zone { offset_minutes: 480 };

    fn at(date: &str) -> Millis {
        BJ.start_of(Date::parse(date).unwrap()) + 10 * 3_600_000
    }

    #[test]
    fn the_worked_example_from_the_module_docs() {
        let exp = Expiry::MonthEnd { months: 12 };
        let mut l = Ledger::default();
        l.earn(BJ, exp, at("2025-03-10"), 100, "check_in", "e1").unwrap();
        l.earn(BJ, exp, at("2025-04-02"), 50, "check_in", "e2").unwrap();
        assert_eq!(BJ.date(l.lots[0].expires_at.unwrap()).to_string(), "2026-03-31");
        let uses = l.spend(at("2025-05-01"), 120, "o1").unwrap();
        assert_eq!(uses, vec![LotUse { lot: 1, points: 100 }, LotUse { lot: 2, points: 20 }]);
        l.expire(at("2026-04-01"));
        assert_eq!(l.balance(at("2026-04-01")), 30);
        l.expire(at("2026-05-01"));
        assert_eq!(l.balance(at("2026-05-01")), 0);
        assert_eq!(l.lots[1].expired, 30);
        assert_eq!(l.lots[0].expired, 0);
    }

    #[test]
    fn spending_more_than_the_balance_changes_nothing() {
        let mut l = Ledger::default();
        l.earn(BJ, Expiry::Never, at("2025-01-01"), 10, "x", "e").unwrap();
        let before = l.clone();
        let e = l.spend(at("2025-01-02"), 11, "o").unwrap_err();
        assert_eq!(e.code, "INSUFFICIENT_POINTS");
        assert_eq!(l, before);
    }

    #[test]
    fn claw_back_of_spent_points_becomes_debt_paid_by_the_next_earning() {
        let mut l = Ledger::default();
        let lot = l.earn(BJ, Expiry::Never, at("2025-01-01"), 100, "order:o1", "o1").unwrap();
        l.spend(at("2025-01-02"), 80, "o2").unwrap();
        l.claw_back(at("2025-01-03"), lot, 100, "refund:o1");
        assert_eq!(l.balance(at("2025-01-03")), 0);
        assert_eq!(l.debt, 80);
        l.earn(BJ, Expiry::Never, at("2025-01-04"), 50, "check_in", "e").unwrap();
        assert_eq!((l.debt, l.balance(at("2025-01-04"))), (30, 0));
        l.earn(BJ, Expiry::Never, at("2025-01-05"), 50, "check_in", "e").unwrap();
        assert_eq!((l.debt, l.balance(at("2025-01-05"))), (0, 20));
    }

    #[test]
    fn points_that_expired_unspent_are_not_clawed_back_twice() {
        let mut l = Ledger::default();
        l.earn(BJ, Expiry::Never, at("2025-01-01"), 50, "a", "e").unwrap();
        let lot = l.earn(BJ, Expiry::Days { days: 10 }, at("2025-01-02"), 100, "order:o1", "o1").unwrap();
        l.expire(at("2025-01-20"));
        l.claw_back(at("2025-01-20"), lot, 60, "refund:o1 part");
        l.claw_back(at("2025-01-21"), lot, 40, "refund:o1 rest");
        // The order's 100 points expired unspent: the refund takes nothing
        // more from the member's other points.
        assert_eq!((l.balance(at("2025-01-21")), l.debt), (50, 0));
        assert_eq!(l.lots[1].settled, 100);
    }

    #[test]
    fn returned_points_go_back_to_their_lots_and_expired_ones_stay_expired() {
        let exp = Expiry::Days { days: 10 };
        let mut l = Ledger::default();
        l.earn(BJ, exp, at("2025-01-01"), 30, "a", "e1").unwrap();
        l.earn(BJ, exp, at("2025-01-05"), 30, "b", "e2").unwrap();
        let spent = l.spend(at("2025-01-06"), 50, "o").unwrap();
        // Lot 1 ends 2025-01-11; return after that.
        l.expire(at("2025-01-12"));
        let back = l.give_back(at("2025-01-12"), &spent, 0, 50, "refund");
        assert_eq!(back, vec![LotUse { lot: 2, points: 20 }, LotUse { lot: 1, points: 30 }]);
        assert_eq!(l.balance(at("2025-01-12")), 30);
        assert_eq!(l.lots[0].expired, 30);
    }

    #[test]
    fn partial_returns_continue_where_the_last_one_stopped() {
        let mut l = Ledger::default();
        l.earn(BJ, Expiry::Never, at("2025-01-01"), 10, "a", "e1").unwrap();
        l.earn(BJ, Expiry::Never, at("2025-01-02"), 10, "b", "e2").unwrap();
        let spent = l.spend(at("2025-01-03"), 15, "o").unwrap();
        let a = l.give_back(at("2025-01-04"), &spent, 0, 7, "r1");
        let b = l.give_back(at("2025-01-04"), &spent, 7, 8, "r2");
        assert_eq!(a, vec![LotUse { lot: 2, points: 5 }, LotUse { lot: 1, points: 2 }]);
        assert_eq!(b, vec![LotUse { lot: 1, points: 8 }]);
        assert_eq!(l.lots[0].remaining + l.lots[1].remaining, 20);
    }
}
