//! Growth (裂变): the codes members, guides, stores and channels share, and
//! the scenes that carry them in a 小程序码 or a share link
//! (`docs/rules.md` §9). Binding, rewards, distribution and channels build
//! on these codes.
//!
//! A code names a [`Kind`] and a number **the host assigns** (its own id of
//! that member, guide, store or channel); the core derives nothing from a
//! clock or randomness, so the same input makes the same code everywhere.

pub mod channel;
pub mod code;
pub mod distribution;
pub mod invite_task;
pub mod referral;
pub mod scene;

use crate::decode::Decode;
use crate::encode::Encode;

/// What a code names. Its letter leads the code: `M`, `G`, `S`, `C`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A member (会员), `M`.
    Member,
    /// A shopping guide (导购), `G`.
    Guide,
    /// A store (门店), `S`.
    Store,
    /// A channel (渠道: an event, a poster batch, an ad), `C`.
    Channel,
}

impl Kind {
    /// Every kind, in the order above.
    pub const ALL: [Kind; 4] = [Kind::Member, Kind::Guide, Kind::Store, Kind::Channel];

    /// The code's leading letter (a Crockford base32 symbol).
    pub const fn letter(self) -> u8 {
        match self {
            Kind::Member => b'M',
            Kind::Guide => b'G',
            Kind::Store => b'S',
            Kind::Channel => b'C',
        }
    }

    /// The kind a code's (canonical, upper-case) leading letter names.
    pub fn from_letter(b: u8) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.letter() == b)
    }
}
