//! Every code an answer can carry, in one list: the refusals (errors and the
//! problems inside them), why a coupon does not apply, and the notes that
//! explain a quote line, an activity or the shipping.
//!
//! Codes are the contract (the conformance vectors pin them; messages may
//! be reworded). A [`Code`] can only be one of the constants below, so
//! every code the engine answers with is in [`ALL`], and `docs/rules.md`
//! §8.2 is checked against that list (`tests/docs_examples.rs`).

use crate::encode::{Encode, Writer};

/// A stable code: one of the constants of this module.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(&'static str);

impl Code {
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0, f)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.0
    }
}

impl Encode for Code {
    fn encode(&self, w: &mut Writer) {
        w.string(self.0)
    }
}

/// One `pub const` per code, named as it is written, and [`ALL`].
macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $name:ident; )*) => {
        $( $(#[doc = $doc])* pub const $name: Code = Code(stringify!($name)); )*
        /// Every code, in the order of `docs/rules.md` §8.2.
        pub const ALL: &[Code] = &[$($name),*];
    };
}

codes! {
    // Input and envelope.
    /// An operation's input has problems; see `problems`.
    INPUT_INVALID;
    /// A rule set has problems; see `problems`.
    RULES_INVALID;
    /// A member state handed in by the host is out of range or corrupt; see
    /// `problems`.
    MEMBER_INVALID;
    /// The text is not JSON (line and column in the message).
    JSON_SYNTAX;
    /// The input is over 16 MiB.
    INPUT_TOO_LARGE;
    /// A field the format does not have (typos are never ignored).
    UNKNOWN_FIELD;
    /// A required field is missing.
    MISSING_FIELD;
    /// A field has the wrong type or an invalid value (a date, a time, an
    /// integer out of its range), or a key appears twice in one object.
    WRONG_TYPE;
    /// A `type` or `kind` the format does not have.
    UNKNOWN_VARIANT;
    /// `ops::call` with an operation that does not exist.
    UNKNOWN_OPERATION;
    /// `"rules": {"prepared": "sha256:…"}` names a rule set this instance
    /// (session) does not hold: call `prepare_rules` with the rules, then
    /// retry.
    RULES_NOT_PREPARED;
    /// Raw Wasm ABI only: the bytes are not UTF-8 (`docs/ABI.md`).
    INPUT_NOT_UTF8;
    /// Raw Wasm ABI only: a buffer lies outside linear memory (`docs/ABI.md`).
    INPUT_OUT_OF_BOUNDS;
    /// JS object API only: an answer holds an integer beyond 2^53 − 1, which a
    /// JS number cannot carry exactly; use `call` (JSON text) instead.
    UNSAFE_INTEGER;
    /// JS package only: an operation was called before `await init()` had
    /// loaded the module (browser, mini-program). Await `init()` first.
    NOT_INITIALIZED;
    /// `now` or an event's `at` outside 2000-01-01 … 2199-12-31.
    TIME_OUT_OF_RANGE;
    /// An amount left the computable range.
    AMOUNT_OVERFLOW;
    /// Internal: an amount to share over lines that cost nothing.
    SPLIT_NO_BASE;
    /// Internal: an answer could not be serialized.
    INTERNAL;

    // Rule validation (each is a problem inside `RULES_INVALID`).
    /// `schema` is not 1.
    SCHEMA_UNSUPPORTED;
    /// A number is outside its allowed range (the message gives it).
    OUT_OF_RANGE;
    /// A number must not be negative.
    NEGATIVE;
    /// A list must not be empty (tiers, campaign items, reward tiers).
    REQUIRED;
    /// A list is too long (see §8.3).
    TOO_MANY;
    /// An id is empty or longer than 64 bytes.
    BAD_ID;
    /// Two entries share an id.
    DUPLICATE_ID;
    /// The first tier's threshold is not 0.
    FIRST_TIER_THRESHOLD;
    /// A tier (or a reward tier) is not above the one before.
    TIERS_OUT_OF_ORDER;
    /// A tier's `retain` is above its `threshold`.
    RETAIN_ABOVE_THRESHOLD;
    /// A member day needs exactly one of `day_of_month`, `weekday`.
    MEMBER_DAY_AMBIGUOUS;
    /// Streak bonus days must increase.
    STREAK_OUT_OF_ORDER;
    /// A streak bonus day is after `cycle_days`.
    STREAK_BEYOND_CYCLE;
    /// A coupon template that does not exist (also in events and
    /// `eligible_members`).
    UNKNOWN_TEMPLATE;
    /// A SKU that is not in the catalog.
    UNKNOWN_SKU;
    /// A category no catalog item has.
    UNKNOWN_CATEGORY;
    /// An audience names a tier that does not exist.
    UNKNOWN_TIER;
    /// A 满减 amount above its threshold.
    COUPON_AMOUNT_ABOVE_THRESHOLD;
    /// A shipping coupon with a product scope.
    SCOPE_NOT_ALLOWED;
    /// A coupon window or a campaign ends before it starts.
    WINDOW_ENDS_BEFORE_START;
    /// A limited-time item needs exactly one of `price`, `pay_bp`.
    PRICE_OR_RATE;
    /// A campaign price is not below the catalog price.
    CAMPAIGN_PRICE_NOT_LOWER;
    /// One SKU in two price campaigns at overlapping times.
    CAMPAIGN_CONFLICT;
    /// A full-reduction tier gives nothing.
    REWARD_EMPTY;
    /// A full-reduction amount off above the tier's threshold.
    REWARD_ABOVE_THRESHOLD;
    /// `lifecycle` needs `at_risk_days` < `silent_days` < `lost_days`.
    LIFECYCLE_THRESHOLDS_OUT_OF_ORDER;
    /// A lifecycle action whose `from` and `to` are the same segment.
    LIFECYCLE_ACTION_SAME;
    /// Two lifecycle actions for the same move.
    LIFECYCLE_ACTION_DUPLICATE;
    /// A lifecycle action with neither `coupon` nor `task`.
    LIFECYCLE_ACTION_EMPTY;

    // Events (`apply_event`, `replay`).
    /// This event id was already booked.
    DUPLICATE_EVENT;
    /// The event (or a query's `now`) is earlier than the last event.
    EVENT_OUT_OF_ORDER;
    /// `lifecycle_alerts`: an order later than `now`.
    ORDER_AFTER_NOW;
    /// `lifecycle_alerts`: `since` is after `now`'s local day.
    SINCE_AFTER_NOW;
    /// Any event but `joined` before `joined` (also: a quote or view for such a
    /// member).
    MEMBER_NOT_JOINED;
    /// A second `joined`.
    ALREADY_JOINED;
    /// A birthday cannot be changed.
    BIRTHDAY_ALREADY_SET;
    /// More than 100 tags, or a tag empty or over 64 bytes.
    BAD_TAGS;
    /// An order id already booked.
    DUPLICATE_ORDER;
    /// No such order.
    ORDER_NOT_FOUND;
    /// The order was already completed.
    ORDER_ALREADY_COMPLETED;
    /// A refund names an order line that does not exist.
    BAD_LINE;
    /// A refund asks for more units than are left (or fewer than 1).
    REFUND_TOO_MANY;
    /// The order is already fully refunded.
    NOTHING_TO_REFUND;
    /// What the event would book is beyond the state limits (§8.3): an
    /// order over ¥100,000,000,000, a total past 10^13; see `problems`.
    STATE_LIMIT;
    /// The booking's payable differs from `expect_payable`.
    QUOTE_MISMATCH;
    /// The rules' fingerprint differs from `expect_fingerprint`.
    RULES_CHANGED;
    /// The rules have no check-in.
    CHECK_IN_DISABLED;
    /// Already checked in this local day.
    CHECK_IN_DUPLICATE;
    /// No such activity in the rules.
    UNKNOWN_ACTIVITY;
    /// `times_per_day` or `times_total` reached (or `sign_up` booked by hand).
    ACTIVITY_LIMIT_REACHED;
    /// The daily cap leaves nothing to credit.
    DAILY_CAP_REACHED;
    /// No such points-mall item.
    UNKNOWN_MALL_ITEM;
    /// No such paid plan.
    UNKNOWN_PLAN;
    /// The member is not in the template's audience (§4.4).
    COUPON_TIER_REQUIRED;
    /// The member is not in the template's audience (§4.4).
    COUPON_TAG_REQUIRED;
    /// The member is not in the template's audience (§4.4).
    COUPON_SEGMENT_REQUIRED;
    /// The member is not in the template's audience (§4.4).
    COUPON_NEW_MEMBERS_ONLY;
    /// The member is not in the template's audience (§4.4).
    COUPON_PAID_MEMBERS_ONLY;
    /// The member is not in the template's audience (§4.4).
    COUPON_BIRTHDAY_ONLY;
    /// The member already claimed as many as allowed.
    COUPON_CLAIM_LIMIT;
    /// The host says no stock is left.
    COUPON_OUT_OF_STOCK;
    /// `coupon_restored` on a coupon that is not used.
    COUPON_NOT_USED;
    /// `coupon_restored` on a coupon an order still holds (it comes back with
    /// that order's whole refund).
    COUPON_IN_ORDER;
    /// No coupon with this id in the wallet (also a cart's coupon list).
    COUPON_NOT_FOUND;
    /// The wallet already holds a coupon with this id.
    DUPLICATE_COUPON;
    /// The wallet holds 1,000 coupons.
    WALLET_FULL;

    // Codes and scenes (`make_scene`, `parse_scene`).
    /// A scene over 32 characters (or one `make_scene` would make).
    SCENE_TOO_LONG;
    /// A character no scene has (`%`: the scene is still URL-encoded).
    SCENE_BAD_CHARACTER;
    /// A scene that is not kind, number, `-C` channel, `-K` campaign, check.
    SCENE_MALFORMED;
    /// The check character does not match: a character was changed.
    SCENE_CHECK_FAILED;
    /// A code's, channel's or campaign's number over 2^53 − 1.
    CODE_NUMBER_TOO_LARGE;

    // Channels (`assign_contact`, `channel_stats`).
    /// No channel of the rules has this id, or the scene's channel number.
    UNKNOWN_CHANNEL;

    // Referral (`referral_bound`, `referral_reward`).
    /// The rules have no `referral` block.
    REFERRAL_OFF;
    /// The inviter is the invitee.
    REFERRAL_SELF;
    /// The inviter's chain holds the invitee: binding would make a cycle.
    REFERRAL_CYCLE;
    /// The invitee is bound already; a binding is never changed.
    REFERRAL_ALREADY_BOUND;
    /// The invitee is not new: joined too long ago, or has an order not
    /// refunded in full.
    REFERRAL_NOT_NEW;
    /// One of the invitee's device or phone fingerprints was seen before.
    REFERRAL_DEVICE_SEEN;
    /// The binding comes more than `window_days` after the first scan.
    REFERRAL_WINDOW_PASSED;
    /// The rules have a `budget` and the reward carries no `budget_used`.
    REFERRAL_BUDGET_MISSING;

    // Invite tasks (`invite_tasks`, `invite_task_step`).
    /// The rules have invite tasks but no `referral` block to bind friends.
    INVITE_TASK_NEEDS_REFERRAL;
    /// A task's tiers do not ask for strictly more friends each.
    INVITE_TASK_TIERS_NOT_ASCENDING;
    /// An `invite_task_step` names a task the rules do not have.
    INVITE_TASK_UNKNOWN;
    /// An `invite_task_step` outside its task's window.
    INVITE_TASK_CLOSED;
    // Distribution (`distribution` rules, `commission`, `commission_withdrawn`).
    /// The rules have no `distribution` block.
    DISTRIBUTION_OFF;
    /// More than two commission levels: pyramid selling under China's rules.
    DISTRIBUTION_TOO_DEEP;
    /// The levels' rates add up past 3000 bp (30 %).
    DISTRIBUTION_RATES_TOO_HIGH;
    /// No commission at this level for the buyer's order.
    COMMISSION_NOT_FOUND;
    /// A withdrawal below `min_withdrawal` (or of nothing).
    COMMISSION_BELOW_MINIMUM;
    /// A withdrawal of more than is withdrawable now.
    COMMISSION_NOT_WITHDRAWABLE;

    // Posters (`validate_poster`, `render_poster`, `poster_commands`).
    /// A poster template has problems; see `problems`.
    TEMPLATE_INVALID;
    /// A canvas over 4096 px in either direction.
    CANVAS_TOO_LARGE;
    /// An element's box is not inside the canvas.
    OFF_CANVAS;
    /// A `{field}` (or a key of `fields`) that is not one of the field names.
    UNKNOWN_TEMPLATE_FIELD;
    /// The template uses a field the input lacks.
    MISSING_TEMPLATE_FIELD;
    /// A field or an image of the input that the template does not use.
    NOT_IN_TEMPLATE;
    /// A text with a control character, malformed braces, or too long.
    BAD_TEXT;
    /// A text box narrower than one character and the "…".
    TEXT_TOO_NARROW;
    /// A colour that is not `#RRGGBB` or `#RRGGBBAA`.
    BAD_COLOR;
    /// An image name that is not `[a-z][a-z0-9_]{0,31}`.
    BAD_IMAGE_NAME;
    /// An image that is not a valid PNG or JPEG `data:` URL (the message
    /// says what is wrong).
    BAD_IMAGE;
    /// An image with both `radius` and `clip`.
    CLIP_AMBIGUOUS;
    /// QR content too long for its level at version 10.
    QR_TOO_LONG;

    // Checkout (`quote`, and `order_placed`, which quotes).
    /// The cart has no lines.
    CART_EMPTY;
    /// A quantity outside 1 … 9,999.
    BAD_QUANTITY;
    /// A unit price outside 0 … ¥100,000,000.
    BAD_PRICE;
    /// More points asked than the balance (also in the mall).
    INSUFFICIENT_POINTS;
    /// Points not a multiple of `unit_points`.
    POINTS_NOT_WHOLE_UNITS;
    /// More points than `max_share_bp` allows on this order.
    POINTS_ABOVE_CAP;
    /// Points asked for, but the rules have no `redeem`.
    POINTS_REDEEM_DISABLED;
    /// A guest cart names coupons.
    GUEST_NO_COUPONS;
    /// A guest cart asks for points.
    GUEST_NO_POINTS;
    /// More than 200 unused coupons to consider.
    WALLET_TOO_LARGE;

    // Why a coupon does not apply (inside a quote, and at claim or use).
    /// Already used by an order (or an outside reference).
    COUPON_USED;
    /// Before its `valid_from`.
    COUPON_NOT_YET_VALID;
    /// After its `valid_until` (or, at claim time, after the window).
    COUPON_EXPIRED;
    /// The eligible goods are below the threshold; `shortfall` says by how much
    /// (fen).
    COUPON_THRESHOLD_NOT_MET;
    /// Nothing in the cart is in its scope (exchange: the SKU is not in the
    /// cart).
    COUPON_SCOPE_EMPTY;
    /// The eligible items are in a campaign that takes no coupons.
    COUPON_LINE_EXCLUDED;
    /// It would take nothing off this cart.
    COUPON_NO_SAVING;
    /// A shipping coupon, but this order already ships free.
    COUPON_NO_SHIPPING_FEE;
    /// (chosen by id) cannot combine with the coupons chosen before it.
    COUPON_NOT_STACKABLE;
    /// Its template is no longer in the rules.
    COUPON_UNKNOWN_TEMPLATE;
    /// Internal: a coupon tried in the wrong step (never shown for a valid rule
    /// set).
    COUPON_NOT_GOODS;
    /// Internal: a coupon tried in the wrong step (never shown for a valid rule
    /// set).
    COUPON_NOT_SHIPPING;

    // Notes: codes inside a quote that are not errors.
    /// (line note) the member price applied.
    MEMBER_PRICE;
    /// (line note) the line's category is excluded from the member price.
    MEMBER_PRICE_EXCLUDED;
    /// (line note) units at the flash price.
    FLASH_PRICE;
    /// (line note) a flash line takes no coupons / no points.
    FLASH_NO_COUPON;
    /// (line note) a flash line takes no coupons / no points.
    FLASH_NO_POINTS;
    /// (line note) units beyond the member's flash limit, at the normal price.
    FLASH_LIMIT;
    /// (line note) units beyond the flash stock, at the normal price.
    FLASH_SOLD_OUT;
    /// (line note) the flash price is not below the cart price, so it is
    /// ignored.
    FLASH_NOT_LOWER;
    /// (line note) the limited-time price applied (and beat the member price).
    LIMITED_PRICE;
    /// (line note) limited-time price, then the member price on top.
    LIMITED_AND_MEMBER;
    /// (line note) the member price was better than the limited-time price.
    MEMBER_BEATS_LIMITED;
    /// (line note) units beyond the limited-time limit, at the normal price.
    LIMITED_LIMIT;
    /// (line note) a 第 N 件 discount applied to this line.
    QUANTITY_DISCOUNT;
    /// (line note) the line is in a quantity campaign but got no discounted
    /// unit.
    QUANTITY_DISCOUNT_NOT_REACHED;
    /// (`campaigns[]`) the activity applied at the tier shown.
    CAMPAIGN_APPLIED;
    /// (`campaigns[]`) reached a tier, but overlaps a better activity.
    CAMPAIGN_OVERLAP_NOT_BEST;
    /// (`campaigns[]`) reached a tier, but overlaps a higher-priority activity
    /// (`"priority"` choice).
    CAMPAIGN_OVERLAP_LOWER_PRIORITY;
    /// (`campaigns[]`) below the lowest tier; `shortfall` in fen or units.
    CAMPAIGN_THRESHOLD_NOT_MET;
    /// (`shipping.free_because`) the goods reached the free-shipping threshold.
    FREE_SHIPPING_OVER;
    /// (`shipping.free_because`) the member's own benefit (a tier or paid card)
    /// gave the free shipping: always, or over its lower threshold.
    FREE_SHIPPING_MEMBER;
    /// (`shipping.free_because`) a full reduction gives free shipping.
    FREE_SHIPPING_CAMPAIGN;
}
