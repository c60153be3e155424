//! Points as cash at checkout (积分抵现, `points.redeem`, step 6 of the
//! pipeline): whole units of `unit_points` points, each taking `unit_fen`
//! off, at most `max_share_bp` of the goods left after coupons on the lines
//! that take points, spread over those lines by what each is worth.

use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Error, Problems, Result};
use crate::money::{self, Fen, BP};
use crate::points::ledger::insufficient;
use crate::points::PointsPolicy;
use crate::pricing::cart::PointsChoice;
use crate::pricing::Pricing;
use crate::rules::in_range;

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Redeem {
    /// Points in one unit: only whole units are used.
    pub unit_points: i64,
    /// Fen one unit takes off.
    pub unit_fen: Fen,
    /// At most this share of the goods payable may be paid with points.
    pub max_share_bp: i64,
}

pub(crate) fn check(pts: &PointsPolicy, p: &mut Problems) {
    if let Some(r) = &pts.redeem {
        in_range(p, format_args!("points.redeem.unit_points"), r.unit_points, 1, 1_000_000);
        in_range(p, format_args!("points.redeem.unit_fen"), r.unit_fen, 1, 1_000_000);
        in_range(p, format_args!("points.redeem.max_share_bp"), r.max_share_bp, 0, BP);
    }
}

/// The quote's points: the balance, the most this order can use, what it
/// uses and takes off, and what it will earn (step 9).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Default)]
pub struct PointsReport {
    pub balance: i64,
    pub max_usable: i64,
    pub used: i64,
    pub deduction: Fen,
    pub to_earn: i64,
    pub bonus: i64,
    pub multiplier_pct: i64,
    pub occasion_multiplier_pct: i64,
}

/// Step 6: the goods after every discount (what points and shipping are
/// reckoned on), and the points the cart asks for as cash, spread over the
/// lines that take points.
pub(crate) fn points_as_cash(p: &mut Pricing) -> Result<()> {
    p.goods = p.sum(|l| l.amount)?;
    let balance = p.member.map_or(0, |m| m.points.balance(p.now));
    p.points.balance = balance;
    let asked = p.cart.points;
    let Some(r) = &p.rules.points.redeem else {
        if asked != PointsChoice::Points(0) && asked != PointsChoice::Max {
            return Err(Error::new(
                code::POINTS_REDEEM_DISABLED,
                "cart.points",
                "本店未开通积分抵现",
                "this shop does not take points as cash",
            ));
        }
        return Ok(());
    };
    let mut weights: Vec<Fen> = Vec::with_capacity(p.lines.len());
    for l in &p.lines {
        weights.push(if l.out.points_allowed { l.amount } else { 0 });
    }
    let base = money::sum_fen(&weights);
    let cap_fen = money::mul_div_floor(base, r.max_share_bp, BP)?;
    let max_units = (balance / r.unit_points).min(cap_fen / r.unit_fen);
    let max_usable = max_units * r.unit_points;
    p.points.max_usable = max_usable;
    let units = match asked {
        PointsChoice::Max => max_units,
        PointsChoice::Points(0) => 0,
        PointsChoice::Points(n) => {
            if p.member.is_none() {
                return Err(Error::new(code::GUEST_NO_POINTS, "cart.points", "游客没有积分", "a guest has no points"));
            }
            if n % r.unit_points != 0 {
                return Err(Error::new(
                    code::POINTS_NOT_WHOLE_UNITS,
                    "cart.points",
                    format!("积分须为 {} 的整数倍", r.unit_points),
                    format!("points must be a multiple of {}", r.unit_points),
                ));
            }
            if n > balance {
                return Err(insufficient("cart.points", n, balance));
            }
            if n > max_usable {
                return Err(Error::new(
                    code::POINTS_ABOVE_CAP,
                    "cart.points",
                    format!("本单最多可用 {max_usable} 积分"),
                    format!("at most {max_usable} points can be used on this order"),
                ));
            }
            n / r.unit_points
        }
    };
    p.points.used = units * r.unit_points;
    p.points.deduction = money::mul(units, r.unit_fen)?;
    if p.points.used > 0 {
        let fen = money::split(p.points.deduction, &weights)?;
        let pts = money::split(p.points.used, &weights)?;
        for (l, (&f, &n)) in p.lines.iter_mut().zip(fen.iter().zip(&pts)) {
            l.out.points_deduction = f;
            l.out.points_used = n;
        }
    }
    Ok(())
}
