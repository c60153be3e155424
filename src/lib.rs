//! # siyu (私域)
//!
//! Membership, points, coupons, campaigns and checkout pricing for
//! private-domain malls, as pure functions over plain data. The same crate
//! compiles to one WebAssembly module that a browser mall, a mini-program and
//! a server load, and every one of them gets byte-identical answers.
//!
//! Where the rules live (each area owns its part of the rules document —
//! shape, validation, defaults — and its logic; `docs/rules.md` has the
//! full map):
//!
//! | folder or file | what |
//! |---|---|
//! | `rules.rs`, `catalog.rs` | the rule set as a document: schema, fingerprint, the catalog and product scopes |
//! | `membership/` | tiers and the review, paid cards, benefits, lifecycle segments, joining |
//! | `points/` | the points ledger, earning, points as cash, the points mall |
//! | `coupon/` | templates, claiming, the wallet, the best combination |
//! | `campaign/` | flash sales, limited-time and quantity discounts, full reductions |
//! | `pricing/` | the checkout pipeline: the cart, the steps in order, shipping, the quote |
//! | `ledger/` | events and replay, the member's state, orders and refunds, read-only views |
//! | `growth/` | codes and scenes for sharing: members', guides', stores' and channels' codes; referral binding and rewards; invite tasks (任务宝) |
//! | `ops/` | the one operation table every host calls |
//! | `money.rs`, `time.rs` | fen arithmetic and rounding; local dates |
//!
//! The wire — reading inputs, writing canonical answers, the typed error and
//! its codes — is the crate `siyu-wire` (`wire/`).
//!
//! The core has no clock, no randomness and no I/O: `now` and the
//! merchant's UTC offset are inputs, and every map it outputs is ordered.

#![forbid(unsafe_code)]
// Bad input gets a typed error, never a panic: no unwrap, expect or panic
// outside the tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::unreachable))]

// The derives name `::siyu::decode` and `::siyu::encode`, inside this crate
// too.
extern crate self as siyu;

use siyu_wire::{decode, encode, error, sha256, sorting};
// The derives write `::siyu::schema` paths too (never called by an op: not
// in the `.wasm`; `siyu::ops::schemas` and `tests/schema.rs` use them).
pub use siyu_wire::schema;

mod campaign;
mod catalog;
mod coupon;
mod growth;
mod index;
mod ledger;
mod membership;
mod points;
mod pricing;
mod rules;

pub mod poster;

pub mod demo;
pub mod money;
pub mod ops;
pub mod time;

/// Every code an answer can carry.
pub use siyu_wire::code;
pub use siyu_wire::code::Code;
pub use siyu_wire::decode::{from_str, Decode};
pub use siyu_wire::encode::{to_json, Encode};
pub use siyu_wire::error::{Error, Result};

// The operations, as Rust functions (`ops` has them as JSON in, JSON out).
pub use ledger::views::{coupon_wallet, eligible_members, points_history, summary};
pub use ledger::{apply, replay};
pub use pricing::quote;

// The rule set.
pub use campaign::reduction::ReductionOutcome;
pub use campaign::{Basis, Campaign, CampaignKind, Choice, FlashItem, LimitedItem, ReductionTier, Reward};
pub use catalog::{CatalogItem, Scope};
pub use coupon::template::{Audience, CouponKind, CouponTemplate, Group, Validity};
pub use membership::benefits::{Benefits, BirthdayPerk, BirthdayWhen, MemberDay};
pub use membership::lifecycle::{
    alerts as lifecycle_alerts, Alert, Alerts, Decided, Lifecycle, LifecycleAction, MemberOrders, OrderDays, OrderMark,
    Segment, Why,
};
pub use membership::paid::PaidPlan;
pub use membership::tier::{GrowthPolicy, GrowthWindow, Period, Review, Tier};
pub use membership::Membership;
pub use points::earning::{ActivityRule, CheckInRule, StreakBonus};
pub use points::mall::{MallItem, MallReward};
pub use points::redeem::Redeem;
pub use points::{Expiry, PointsPolicy};
pub use pricing::shipping::Shipping;
pub use rules::Rules;

// A member's state and the events it is the fold of.
pub use coupon::wallet::WalletCoupon;

// Codes and scenes.
pub use growth::channel::{
    Assigned, Channel, ChannelContact, ChannelCounts, ChannelKind, ChannelRow, ChannelStats, ContactEvent,
    ContactEventKind, GuideRow, Staff,
};
pub use growth::distribution::{
    Commissions, Distribution, Earned, EarnedLine, Earnings, LineMoney, OrderEarning, PaidTo, Stage, Status, Withdrawal,
};
pub use growth::invite_task::{
    Friend, FriendStep, Granted, InviteTask, InviteTasks, Standing, TaskProgress, TaskQualify, TaskTier, TaskView,
};
pub use growth::referral::{InviteReward, Invites, Qualify, Referral, ReferralBinding};
pub use growth::scene::{code_of, make as make_scene, parse as parse_scene, Made, Parsed, SceneParts};
pub use growth::Kind;
pub use ledger::member::{Gift, Member};
pub use ledger::order::{Order, OrderLine, Refund, RefundLine, RefundedLine};
pub use ledger::{Booked, Effect, Event, EventKind};
pub use membership::paid::PaidCard;
pub use membership::tier::{GrowthEntry, GrowthFloor};
pub use points::earning::{ActivityCount, CheckInState, DailyPoints};
pub use points::ledger::{Entry, EntryKind, Ledger, Lot, LotUse};

// The cart and the quote.
pub use coupon::step::{CouponLine, CouponReport, UnusableCoupon};
pub use coupon::Refusal;
pub use points::redeem::PointsReport;
pub use pricing::cart::{Cart, CartLine, CouponChoice, PointsChoice};
pub use pricing::quote::{Discount, GiftLine, IssueCoupon, Note, PriceKind, Quote, QuoteLine, Step, Text, Totals};
pub use pricing::shipping::ShippingReport;

// The views.
pub use ledger::views::{
    CouponStatus, Expiring, History, Ineligible, NextTier, PaidOutlook, ReviewOutlook, Summary, Targeting, TierRef,
    WalletEntry,
};

/// Every limit on an input or a state, in one place (`docs/rules.md` §8.3),
/// and how they bound each other, asserted when the crate compiles.
pub mod limits {
    pub use crate::coupon::step::MAX_WALLET;
    pub use crate::coupon::wallet::MAX_WALLET_SIZE;
    pub use crate::growth::channel::{
        MAX_CHANNELS, MAX_CHANNEL_STAFF, MAX_CHANNEL_TAGS, MAX_CHANNEL_WEIGHT, MAX_CONTACT_EVENTS, MAX_STATS_CONTACTS,
    };
    pub use crate::growth::distribution::{MAX_COMMISSION_TOTAL_BP, MAX_DISTRIBUTION_LEVELS};
    pub use crate::growth::invite_task::{MAX_INVITE_TASKS, MAX_TASK_FRIENDS, MAX_TASK_TIERS};
    pub use crate::growth::referral::{MAX_FINGERPRINTS, MAX_REFERRAL_CHAIN};
    pub use crate::growth::scene::{MAX_CODE_NUMBER, MAX_SCENE_LEN};
    pub use crate::ledger::member::{
        MAX_STATE_AMOUNT, MAX_STATE_COUNT, MAX_STATE_INSTANT, MAX_STATE_ITEMS, MIN_STATE_REVIEW,
    };
    pub use crate::membership::lifecycle::{MAX_ACTIONS, MAX_ALERT_MEMBERS, MAX_MEMBER_ORDERS, MAX_TASK_LEN};
    pub use crate::membership::profile::MAX_TAGS;
    pub use crate::ops::{MAX_EVENTS, MAX_PREPARED};
    pub use crate::poster::{
        MAX_CANVAS_SIDE, MAX_ELEMENTS, MAX_FIELD_CHARS, MAX_IMAGES, MAX_IMAGE_SIDE, MAX_IMAGE_URL, MAX_QR_VERSION,
        MAX_QUIET_ZONE, MAX_SCENE_CHARS, MAX_TEMPLATE_TEXT, MAX_TEXT_LINES,
    };
    pub use crate::pricing::cart::{MAX_LINES, MAX_QUANTITY, MAX_UNIT_PRICE};
    pub use crate::rules::{MAX_ID_LEN, MAX_RULE_FEN};
    pub use crate::time::{MAX_MILLIS, MIN_MILLIS};
    pub use siyu_wire::decode::{MAX_DEPTH, MAX_INPUT_BYTES};
    pub use siyu_wire::error::MAX_PROBLEMS;

    /// Years 2200 and 10000 (a template's latest date), in ms: instants a
    /// state holds are event times, template dates and validities or
    /// expiries of at most ten years after them.
    const YEAR_2210: i64 = 7_573_651_200_000;
    const YEAR_10000: i64 = 253_402_300_800_000;

    // How the limits bound each other (docs/rules.md §8.3, "How the limits
    // fit together"). A change that breaks one fails to compile.
    const _: () = {
        // A cart's list total stays in i64 with a hundredfold headroom.
        assert!((MAX_LINES as i64) * MAX_QUANTITY * MAX_UNIT_PRICE <= i64::MAX / 100);
        // Rule money is priced like a cart line.
        assert!(MAX_RULE_FEN <= MAX_UNIT_PRICE);
        // A cart within its limits is not always a bookable order: the
        // largest cart is over the state's amount limit, so booking checks
        // what it writes (STATE_LIMIT), and the smallest unbookable order is
        // more than a thousand units at the top price.
        assert!((MAX_LINES as i64) * MAX_QUANTITY * MAX_UNIT_PRICE > MAX_STATE_AMOUNT);
        assert!(1_000 * MAX_UNIT_PRICE <= MAX_STATE_AMOUNT);
        // Sums over a whole state stay in i64.
        assert!((MAX_STATE_ITEMS as i64) * MAX_STATE_AMOUNT <= i64::MAX / 4);
        // A replay's log fits in a state's event ids, and a count raised once
        // per event cannot pass its limit before the event ids pass theirs.
        assert!(MAX_EVENTS <= MAX_STATE_ITEMS);
        assert!(MAX_STATE_ITEMS as u64 <= MAX_STATE_COUNT as u64);
        // Every instant the engine writes is within the state's range, and
        // the earliest review period start is derived from the time range.
        assert!(MAX_MILLIS < YEAR_2210 && YEAR_10000 < MAX_STATE_INSTANT);
        assert!(-MAX_STATE_INSTANT < MIN_STATE_REVIEW && MIN_STATE_REVIEW < MIN_MILLIS);
    };
}
