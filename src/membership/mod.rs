//! Membership (`membership`): tiers by growth value and the periodic review,
//! paid membership cards, the benefits a member has at a moment, lifecycle
//! segments, and the events that make a member (joining, the profile).
//!
//! | file | what |
//! |---|---|
//! | `tier.rs` | tiers, growth value (成长值), upgrades, the review (保级) |
//! | `paid.rs` | paid membership plans and cards (付费会员) |
//! | `benefits.rs` | member price, multipliers, free shipping, birthday, member day |
//! | `lifecycle.rs` | segments (prospect, new, active, loyal, at risk, silent, lost), why, alerts |
//! | `profile.rs` | joining, birthday and tags |

pub mod benefits;
pub mod lifecycle;
pub mod paid;
pub mod profile;
pub mod tier;

use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::Problems;
use crate::rules::Rules;

pub use benefits::Benefits;
pub use tier::Tier;

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    pub growth: tier::GrowthPolicy,
    /// Lowest first; the first tier's threshold is 0.
    pub tiers: Vec<Tier>,
    /// Periodic retention review (保级). Without it tiers never go down.
    #[serde(default)]
    pub review: Option<tier::Review>,
    /// Paid membership cards (付费会员).
    #[serde(default)]
    pub paid_plans: Vec<paid::PaidPlan>,
    /// Benefits of an active paid membership, on top of the tier's.
    #[serde(default)]
    pub paid_benefits: Benefits,
}

/// The `membership` part of the rules: growth and tiers (each with its
/// benefits), then paid plans and their benefits.
pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    tier::check(rules, p);
    paid::check(rules, p);
    benefits::check(rules, p, &"membership.paid_benefits", &rules.membership.paid_benefits);
}
