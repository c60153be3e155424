//! The ledger: a member's state is the fold of their events. `apply` books
//! one event or refuses it with a typed error; `replay` folds a whole log.
//! The host stores the events; replaying them anywhere gives the same
//! state, byte for byte.
//!
//! Before an event is handled, time advances to its `at`: points lots that
//! ran out expire and any tier review whose boundary has passed runs. Events
//! must come in time order and each id is booked once. A refused event
//! changes nothing.
//!
//! Each kind of event is handled in the module that owns its rule:
//!
//! | event | handled in |
//! |---|---|
//! | `joined`, `profile_set` | `membership/profile.rs` |
//! | `order_placed`, `order_completed`, `order_refunded` | `ledger/order.rs` |
//! | `checked_in`, `activity` | `points/earning.rs` |
//! | `mall_exchanged` | `points/mall.rs` |
//! | `coupon_claimed` | `coupon/claim.rs` |
//! | `coupon_used`, `coupon_restored` | `coupon/wallet.rs` |
//! | `membership_purchased` | `membership/paid.rs` |
//! | `time_advanced` | here: nothing but the passing of time |
//! | `referral_bound`, `referral_reward` | `growth/referral.rs` |
//! | `followed`, `left`, `invite_task_step` | `growth/invite_task.rs` |
//! | `commission`, `commission_withdrawn` | `growth/distribution.rs` |
//!
//! **Effects on other members.** An event on one member may change another
//! (an invitee's first order rewards the inviter). Booking returns such
//! changes as [`Effect`]s: events for the other members' logs, which the
//! host appends in the same transaction as the event itself. Each effect's
//! event id is derived from the event that made it, so booking the same
//! event again makes the same effects, and replaying every member's log
//! gives the same states. Replaying one member's log ignores the effects
//! its events make: they are in the other logs already. See
//! `docs/rules.md` §7.2.

pub mod member;
pub mod order;
pub mod views;

use crate::code;
use crate::coupon::{claim, wallet};
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Error, Problems, Result};
use crate::growth::distribution::{self, LineMoney, Stage};
use crate::growth::invite_task::{self, Standing};
use crate::growth::referral::{self, Qualify};
use crate::membership::{paid, profile};
use crate::money::Fen;
use crate::points::{earning, mall};
use crate::pricing::Cart;
use crate::rules::{Rules, MAX_ID_LEN};
use crate::time::{check_instant, Millis, MonthDay};

use member::Orders;
pub use member::{Gift, Member};
pub use order::{Refund, RefundLine};

// tsify cannot write `interface … extends` a union: spelled out here.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "{ id: string; at: Millis } & EventKind"))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
pub struct Event {
    pub id: String,
    pub at: Millis,
    #[serde(flatten)]
    pub kind: EventKind,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum EventKind {
    Joined {
        member: String,
    },
    ProfileSet {
        #[serde(default)]
        birthday: Option<MonthDay>,
        #[serde(default)]
        tags: Option<Vec<String>>,
    },
    OrderPlaced {
        order: String,
        cart: Cart,
        #[serde(default)]
        expect_payable: Option<Fen>,
        #[serde(default)]
        expect_fingerprint: Option<String>,
    },
    OrderCompleted {
        order: String,
    },
    OrderRefunded {
        order: String,
        /// Which units to refund; without it, everything not yet refunded.
        #[serde(default)]
        lines: Option<Vec<RefundLine>>,
    },
    CheckedIn {},
    Activity {
        name: String,
    },
    MallExchanged {
        item: String,
        #[serde(default)]
        coupon: Option<String>,
    },
    CouponClaimed {
        template: String,
        /// The new coupon's id (default: the event id).
        #[serde(default)]
        coupon: Option<String>,
        /// Stock left for the template, as the host counts it.
        #[serde(default)]
        stock_left: Option<i64>,
    },
    CouponUsed {
        coupon: String,
        reference: String,
    },
    CouponRestored {
        coupon: String,
    },
    MembershipPurchased {
        plan: String,
    },
    TimeAdvanced {},
    /// The invitee is bound to their inviter (`docs/rules.md` §10.2).
    ReferralBound {
        /// The inviter's member id (the host maps the scene's number to it).
        inviter: String,
        /// The scene scanned (or shared link's `scene`), as `parse_scene` reads it.
        scene: String,
        /// When the invitee first scanned a referral code.
        first_scan_at: Millis,
        /// The inviter's own inviters, nearest first, as the host knows them.
        #[serde(default)]
        chain: Vec<String>,
        /// The invitee's device and phone hashes.
        #[serde(default)]
        fingerprints: Vec<String>,
        /// Those hashes the host has already seen on another member.
        #[serde(default)]
        seen: Vec<String>,
    },
    /// An inviter's reward, an effect of the invitee's qualification
    /// (`docs/rules.md` §10.3).
    ReferralReward {
        invitee: String,
        reason: Qualify,
        /// The qualifying order, for `first_order`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        order: Option<String>,
        #[serde(default)]
        points: i64,
        /// A coupon template's id; the coupon's id is this event's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        coupon: Option<String>,
        #[serde(default)]
        growth: i64,
        /// Inviter rewards the campaign has paid so far, as the host counts
        /// them: the host sets it before booking when the rules have a
        /// `budget`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        budget_used: Option<u32>,
    },
    /// The member followed the official account (`docs/rules.md` §11.2).
    Followed {},
    /// The member left: unfollowed the account or cancelled membership, as
    /// the host decides; they stop counting in every invite task (§11.2).
    Left {},
    /// A friend's standing in an invite task changed: an effect on the
    /// inviter (`docs/rules.md` §11.3).
    InviteTaskStep {
        task: String,
        invitee: String,
        standing: Standing,
    },
    /// A step of a buyer's order, on a distributor's log: an effect of the
    /// buyer's order events (`docs/rules.md` §12.2).
    Commission {
        buyer: String,
        order: String,
        /// 1: the buyer's inviter (or the buyer, self-purchase); 2: the next.
        level: u32,
        stage: Stage,
        /// For `placed`: the rate in basis points.
        #[serde(default)]
        rate_bp: u32,
        /// For `placed`: every line's paid money; for `refunded`: the
        /// refund's money per line.
        #[serde(default)]
        lines: Vec<LineMoney>,
    },
    /// A distributor withdraws commission; the host pays `amount − fee`
    /// (`docs/rules.md` §12.3).
    CommissionWithdrawn {
        amount: Fen,
    },
}

/// An event this booking makes for another member: the host appends it to
/// that member's log in the same transaction.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct Effect {
    /// The other member's id.
    pub member: String,
    /// The event to book on them; its id is derived from the event that
    /// made it.
    pub event: Event,
}

/// What booking one event gives: the member's new state, the events it
/// makes for other members, and for `order_refunded` the receipt of what
/// went back (`docs/rules.md` §7.3).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct Booked {
    pub member: Member,
    pub effects: Vec<Effect>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund: Option<Refund>,
}

/// What a handler knows of the event it books, besides its own fields, and
/// the effects it makes.
pub(crate) struct Booking<'e> {
    pub id: &'e str,
    pub at: Millis,
    pub effects: Vec<Effect>,
}

impl Booking<'_> {
    /// Make an event for member `other`, at this event's time; its id is
    /// given when the booking ends (see [`effect_id`]).
    pub fn effect(&mut self, other: &str, kind: EventKind) {
        self.effects.push(Effect { member: other.to_string(), event: Event { id: String::new(), at: self.at, kind } });
    }
}

/// The id of effect `k` of event `event` on member `member`: `fx-` and the
/// first 20 bytes of SHA-256(`member`, 0, `event`, 0, `k` in decimal), in
/// hex (43 characters, within `MAX_ID_LEN`). Booking the same event again
/// gives the same ids, so a retried transaction is refused as a duplicate
/// on each member instead of paying twice.
pub(crate) fn effect_id(member: &str, event: &str, k: usize) -> String {
    let text = format!("{member}\0{event}\0{k}");
    let digest = crate::sha256::digest(text.as_bytes());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(43);
    id.push_str("fx-");
    for &b in &digest[..20] {
        id.push(char::from(HEX[usize::from(b >> 4)]));
        id.push(char::from(HEX[usize::from(b & 15)]));
    }
    id
}

pub(crate) fn refuse(code: code::Code, path: &str, zh: impl Into<String>, en: impl Into<String>) -> Error {
    Error::new(code, path, zh, en)
}

/// An id an event carries (at `path`) is 1 to 64 bytes; the messages name
/// which id it is.
pub(crate) fn id_len(id: &str, path: &str, zh: &'static str, en: &'static str) -> Result<()> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(refuse(code::BAD_ID, path, zh, en));
    }
    Ok(())
}

/// Book one event on `member`, or refuse it.
pub fn apply(rules: &Rules, mut member: Member, event: &Event) -> Result<Booked> {
    let (effects, refund) = book(rules, &mut member, event)?;
    Ok(Booked { member, effects, refund })
}

/// Fold a whole event log from an empty state.
pub fn replay(rules: &Rules, events: &[Event]) -> Result<Member> {
    let mut m = Member::default();
    for (i, e) in events.iter().enumerate() {
        book(rules, &mut m, e).map_err(|err| err.under(&format!("events[{i}]")))?;
    }
    Ok(m)
}

/// Book one event on `m` in place; the effects it makes. On a refusal `m`
/// may be partly changed: the callers take the member by value and drop
/// it then, so folding a log does not copy the whole state at every event.
fn book(rules: &Rules, m: &mut Member, event: &Event) -> Result<(Vec<Effect>, Option<Refund>)> {
    id_len(&event.id, "event.id", "事件标识须为 1 到 64 字节", "an event id must be 1 to 64 bytes")?;
    check_instant(event.at, "event.at")?;
    if m.event_ids.contains(&event.id) {
        return Err(refuse(
            code::DUPLICATE_EVENT,
            "event.id",
            format!("事件 `{}` 已记账", event.id),
            format!("event `{}` was already booked", event.id),
        ));
    }
    if event.at < m.clock {
        return Err(refuse(
            code::EVENT_OUT_OF_ORDER,
            "event.at",
            "事件时间早于上一个事件",
            "the event is earlier than the last one booked",
        ));
    }
    let joining = matches!(event.kind, EventKind::Joined { .. });
    if !m.is_joined() && !joining {
        return Err(refuse(code::MEMBER_NOT_JOINED, "event", "会员尚未入会", "the member has not joined"));
    }
    if m.is_joined() && joining {
        return Err(refuse(code::ALREADY_JOINED, "event", "会员已入会", "the member has already joined"));
    }
    if m.is_joined() {
        advance(rules, m, event.at);
    }
    let order = match &event.kind {
        EventKind::OrderPlaced { order, .. }
        | EventKind::OrderCompleted { order }
        | EventKind::OrderRefunded { order, .. } => Orders::One(order),
        _ => Orders::None,
    };
    let scope = m.appended(order);
    m.clock = event.at;
    m.event_ids.insert(event.id.clone());
    let mut b = Booking { id: &event.id, at: event.at, effects: Vec::new() };
    let mut refund = None;
    match &event.kind {
        EventKind::Joined { member } => profile::joined(rules, m, &b, member)?,
        EventKind::ProfileSet { birthday, tags } => profile::set(m, *birthday, tags.as_deref())?,
        EventKind::OrderPlaced { order, cart, expect_payable, expect_fingerprint } => {
            order::placed(rules, m, &b, order, cart, *expect_payable, expect_fingerprint.as_deref())?
        }
        EventKind::OrderCompleted { order } => order::completed(rules, m, &b, order)?,
        EventKind::OrderRefunded { order, lines } => refund = Some(order::refunded(m, &b, order, lines.as_deref())?),
        EventKind::CheckedIn {} => earning::checked_in(rules, m, &b)?,
        EventKind::Activity { name } => earning::activity(rules, m, &b, name)?,
        EventKind::MallExchanged { item, coupon } => mall::exchanged(rules, m, &b, item, coupon.as_deref())?,
        EventKind::CouponClaimed { template, coupon, stock_left } => {
            claim::claimed(rules, m, &b, template, coupon.as_deref(), *stock_left)?
        }
        EventKind::CouponUsed { coupon, reference } => wallet::used(m, &b, coupon, reference)?,
        EventKind::CouponRestored { coupon } => wallet::restored(m, coupon)?,
        EventKind::MembershipPurchased { plan } => paid::purchased(rules, m, &b, plan)?,
        EventKind::TimeAdvanced {} => {}
        EventKind::ReferralBound { inviter, scene, first_scan_at, chain, fingerprints, seen } => {
            let e = referral::BindIn { inviter, scene, first_scan_at: *first_scan_at, chain, fingerprints, seen };
            referral::bound(rules, m, &mut b, &e)?
        }
        EventKind::ReferralReward { invitee, reason: _, order: _, points, coupon, growth, budget_used } => {
            let reward = referral::InviteReward { points: *points, coupon: coupon.clone(), growth: *growth };
            referral::rewarded(rules, m, &b, &referral::RewardIn { invitee, reward, budget_used: *budget_used })?
        }
        EventKind::Followed {} => invite_task::flag(m, false),
        EventKind::Left {} => invite_task::flag(m, true),
        EventKind::InviteTaskStep { task, invitee, standing } => {
            invite_task::stepped(rules, m, &b, task, invitee, *standing)?
        }
        EventKind::Commission { buyer, order, level, stage, rate_bp, lines } => {
            let e = distribution::CommissionIn { buyer, order, level: *level, stage: *stage, rate_bp: *rate_bp, lines };
            distribution::commission(rules, m, &b, &e)?
        }
        EventKind::CommissionWithdrawn { amount } => distribution::withdrawn(rules, m, &b, *amount)?,
    }
    referral::follow(rules, m, &mut b, &event.kind)?;
    invite_task::follow(rules, m, &mut b, &event.kind)?;
    distribution::follow(rules, m, &mut b, &event.kind, refund.as_ref())?;
    // What the event wrote must fit the state limits, or the state would be
    // refused by the next operation that reads it (`MEMBER_INVALID`).
    let mut p = Problems::new();
    m.check_scope(scope, &mut p);
    p.finish(
        code::STATE_LIMIT,
        "这一事件记下的结果超出会员状态的范围",
        "what this event books is beyond the limits of a member state",
    )
    .map_err(|e| e.at("event"))?;
    let mut effects = b.effects;
    for (k, e) in effects.iter_mut().enumerate() {
        e.event.id = effect_id(&m.id, &event.id, k);
    }
    Ok((effects, refund))
}

/// Expire lots and run reviews up to `now`.
pub(crate) fn advance(rules: &Rules, m: &mut Member, now: Millis) {
    if m.points.next_expiry().is_some_and(|t| t < now) {
        m.points.expire(now);
    }
    m.review(rules, now);
}

#[cfg(test)]
mod tests {
    use super::effect_id;

    #[test]
    fn effect_ids_are_short_and_follow_from_their_event() {
        let id = effect_id("m-1", "e-7", 0);
        assert_eq!(id.len(), 43);
        assert!(id.starts_with("fx-") && id[3..].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(id, effect_id("m-1", "e-7", 0));
        let long = "x".repeat(64);
        assert_eq!(effect_id(&long, &long, 99).len(), 43);
        for other in [
            effect_id("m-1", "e-7", 1),
            effect_id("m-1", "e-8", 0),
            effect_id("m-2", "e-7", 0),
            effect_id("m-1\0e", "7", 0),
        ] {
            assert_ne!(id, other);
        }
    }
}
