//! Points (积分, `points`): earned from orders, activities and check-ins,
//! kept in lots that expire, spent as cash at checkout or in the points
//! mall, given back and clawed back by refunds.
//!
//! | file | what |
//! |---|---|
//! | `ledger.rs` | lots, spending, expiry, returns, claw-backs and the debt |
//! | `earning.rs` | points from orders, activities, check-in streaks, the daily cap |
//! | `redeem.rs` | points as cash at checkout (积分抵现) |
//! | `mall.rs` | the points mall (积分商城) |

pub mod earning;
pub mod ledger;
pub mod mall;
pub mod redeem;

use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::Problems;
use crate::rules::Rules;
use crate::sorting::SortedMap;

pub use ledger::{Expiry, Ledger};

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct PointsPolicy {
    /// Points per yuan paid for goods, before multipliers; floored.
    pub earn_per_yuan: i64,
    /// Points for member actions, by name (`sign_up`, `follow`, `share`,
    /// `review`, …). `sign_up` is credited when the member joins.
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, ActivityRule>"))]
    pub activities: SortedMap<String, earning::ActivityRule>,
    /// Most points from activities and check-in in one local day (the
    /// one-time `sign_up` points are outside the cap).
    #[serde(default)]
    pub daily_cap: Option<i64>,
    #[serde(default)]
    pub check_in: Option<earning::CheckInRule>,
    pub expiry: Expiry,
    #[serde(default)]
    pub redeem: Option<redeem::Redeem>,
    /// The points mall (积分商城).
    #[serde(default)]
    pub mall: Vec<mall::MallItem>,
}

/// The `points` part of the rules, in the order of its fields.
pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    let pts = &rules.points;
    earning::check(pts, p);
    ledger::check(pts.expiry, p);
    redeem::check(pts, p);
    mall::check(rules, p);
}
