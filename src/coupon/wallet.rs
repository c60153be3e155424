//! The member's wallet: coupons issued from a template (claimed, bought in
//! the points mall, given by an order), their status at a moment, and the
//! events that use a coupon outside an order and undo that.

use crate::code;
use crate::coupon::template::{CouponTemplate, Validity};
use crate::coupon::Refusal;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::Result;
use crate::ledger::{refuse, Booking, Member};
use crate::rules::{Rules, MAX_ID_LEN};
use crate::time::Millis;

/// Most coupons a wallet holds, used or not.
pub const MAX_WALLET_SIZE: usize = 1000;

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct WalletCoupon {
    pub id: String,
    pub template: String,
    pub claimed_at: Millis,
    pub valid_from: Millis,
    pub valid_until: Millis,
    /// The order (or outside reference) that used it.
    pub used_by: Option<String>,
}

/// Whether a coupon can be used at `now`, whatever the cart: not used, not
/// before its start, not after its end.
pub fn usable_at(c: &WalletCoupon, now: Millis) -> Result<(), Refusal> {
    if let Some(by) = &c.used_by {
        return Err(Refusal::new(code::COUPON_USED, format!("已在 {by} 中使用"), format!("already used by {by}")));
    }
    if now < c.valid_from {
        return Err(Refusal::new(code::COUPON_NOT_YET_VALID, "尚未到可用时间", "not valid yet"));
    }
    if now > c.valid_until {
        return Err(Refusal::new(code::COUPON_EXPIRED, "已过期", "expired"));
    }
    Ok(())
}

/// Put a coupon from template `t` in the wallet, valid per the template:
/// from the start of its window's first day to the end of its last, or
/// from now to the end of the local day `days - 1` days later.
pub(crate) fn issue(rules: &Rules, m: &mut Member, t: &CouponTemplate, id: &str, at: Millis) -> Result<()> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(refuse(
            code::BAD_ID,
            "event.coupon",
            "券标识须为 1 到 64 字节",
            "a coupon id must be 1 to 64 bytes",
        ));
    }
    if m.wallet.iter().any(|c| c.id == id) {
        return Err(refuse(
            code::DUPLICATE_COUPON,
            "event.coupon",
            format!("钱包里已有券 `{id}`"),
            format!("the wallet already holds coupon `{id}`"),
        ));
    }
    if m.wallet.len() >= MAX_WALLET_SIZE {
        return Err(refuse(
            code::WALLET_FULL,
            "event.coupon",
            format!("券包最多 {MAX_WALLET_SIZE} 张"),
            format!("a wallet holds at most {MAX_WALLET_SIZE} coupons"),
        ));
    }
    let zone = rules.zone();
    let (from, until) = match t.validity {
        // `until` is exclusive; a wallet coupon's `valid_until` is its last
        // millisecond.
        Validity::Window { from, until } => (from.instant(zone), until.instant(zone) - 1),
        Validity::Days { days } => (at, zone.end_of(zone.date(at).add_days(days as i64 - 1))),
    };
    m.wallet.push(WalletCoupon {
        id: id.to_string(),
        template: t.id.clone(),
        claimed_at: at,
        valid_from: from,
        valid_until: until,
        used_by: None,
    });
    Ok(())
}

fn find<'m>(m: &'m mut Member, id: &str) -> Result<&'m mut WalletCoupon> {
    m.wallet.iter_mut().find(|c| c.id == id).ok_or_else(|| {
        refuse(
            code::COUPON_NOT_FOUND,
            "event.coupon",
            format!("钱包里没有券 `{id}`"),
            format!("no coupon `{id}` in the wallet"),
        )
    })
}

/// `coupon_used`: a coupon used outside an order (in a store), by
/// `reference`.
pub(crate) fn used(m: &mut Member, b: &Booking, coupon: &str, reference: &str) -> Result<()> {
    let c = find(m, coupon)?;
    if c.used_by.is_some() {
        return Err(refuse(code::COUPON_USED, "event.coupon", "券已使用", "the coupon is already used"));
    }
    if b.at > c.valid_until {
        return Err(refuse(code::COUPON_EXPIRED, "event.coupon", "券已过期", "the coupon has expired"));
    }
    if b.at < c.valid_from {
        return Err(refuse(code::COUPON_NOT_YET_VALID, "event.coupon", "券尚未生效", "the coupon is not valid yet"));
    }
    c.used_by = Some(reference.to_string());
    Ok(())
}

/// `coupon_restored`: undo a `coupon_used`.
pub(crate) fn restored(m: &mut Member, coupon: &str) -> Result<()> {
    let Some(by) = find(m, coupon)?.used_by.clone() else {
        return Err(refuse(code::COUPON_NOT_USED, "event.coupon", "券未被使用", "the coupon is not used"));
    };
    // A coupon an order still holds comes back only with that order's
    // whole refund, or it could pay for two orders.
    if m.orders.get(&by).is_some_and(|o| !o.fully_refunded()) {
        return Err(refuse(
            code::COUPON_IN_ORDER,
            "event.coupon",
            format!("券仍在订单 {by} 中使用，整单退款后才会退回"),
            format!("the coupon is still used by order {by}; it comes back with that order's whole refund"),
        ));
    }
    find(m, coupon)?.used_by = None;
    Ok(())
}
