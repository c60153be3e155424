//! Distribution (分销): commissions to the member who invited the buyer
//! (level 1) and to that member's inviter (level 2), on what the buyer
//! actually paid for the goods (`docs/rules.md` §12).
//!
//! - **Base.** Each order line's `paid`: after discounts, coupons and
//!   points, without shipping. A line's commission is
//!   `floor(paid × rate_bp / 10000)`, so an order's never exceeds
//!   rate × paid goods.
//! - **Who.** The buyer's `referral_bound` names the inviter (level 1) and
//!   its `chain[0]`, the inviter's inviter (level 2). With
//!   `self_purchase`, the buyer is level 1 and their inviter level 2.
//! - **Lifecycle.** `order_placed` books the commission as pending,
//!   `order_completed` freezes it for `frozen_days`, then it is
//!   withdrawable. The distributor learns each step from a `commission`
//!   event, an effect of the buyer's event on the distributor's log
//!   (`ledger/mod.rs`); the buyer's state remembers who was paid for which
//!   order, so later steps go to the same members whatever the rules say
//!   by then.
//! - **Refunds** reverse line by line with the refund receipt's money: a
//!   line's commission left is its share of the money still paid, rounded
//!   down (so never more than rate × that money), and refunding every
//!   unit, in any number of steps, reverses it exactly.
//!   What was withdrawn already and is reversed is a **shortfall**, paid
//!   back from the next commissions to be released (like points debt).
//! - **Withdrawal** (`commission_withdrawn` on the distributor): at least
//!   `min_withdrawal`, at most what is withdrawable; the fee is
//!   `floor(amount × fee_bp / 10000)`; the host pays `amount − fee`.
//!
//! **Two levels at most, 30 % at most in all.** China's Regulations on
//! Prohibiting Pyramid Selling (《禁止传销条例》, 2005) treat pay computed
//! from the sales of recruits of recruits, in a chain of three or more
//! levels, as pyramid selling; platform rules (WeChat's included) allow
//! two levels of commission and ask for moderate rates. The rules refuse
//! any third level and rates that add up past 30 %.

use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Problems, Result};
use crate::ledger::member::{instant, MAX_STATE_AMOUNT, MAX_STATE_ITEMS};
use crate::ledger::{id_len, refuse, Booking, EventKind, Member, Refund};
use crate::money::{cumulative_share, mul_div_floor, Fen};
use crate::pricing::cart::MAX_LINES;
use crate::rules::{in_range, Rules, MAX_RULE_FEN};
use crate::time::{Millis, DAY_MS};

/// Most commission levels a scheme may have: two (China's rules on
/// multi-level selling, see the module docs).
pub const MAX_DISTRIBUTION_LEVELS: usize = 2;
/// Most the levels' rates may add up to, in basis points: 3,000 (30 %).
pub const MAX_COMMISSION_TOTAL_BP: u32 = 3000;

/// The `distribution` block of the rules.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// Commission rates in basis points, level 1 first: one or two.
    pub rates_bp: Vec<u32>,
    /// Whether a buyer earns level 1 on their own orders (off by default).
    #[serde(default)]
    pub self_purchase: bool,
    /// Days after the order completes before its commission is withdrawable.
    #[serde(default)]
    pub frozen_days: u32,
    /// The least a withdrawal may ask for, in fen.
    #[serde(default)]
    pub min_withdrawal: Fen,
    /// The withdrawal fee in basis points of the amount.
    #[serde(default)]
    pub fee_bp: u32,
}

/// Which step of an order a `commission` event reports.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The order is placed: `lines` holds each line's paid money.
    Placed,
    /// The order is completed: the freeze starts.
    Completed,
    /// Units were refunded: `lines` holds the refund's money per line.
    Refunded,
}

/// One line's money in a `commission` event.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct LineMoney {
    pub line: u32,
    pub money: Fen,
}

/// A distributor's and a buyer's commission ledger.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Commissions {
    /// Commissions earned, one per buyer's order and level, in booking order.
    pub earned: Vec<Earned>,
    /// Withdrawals, in booking order.
    pub withdrawals: Vec<Withdrawal>,
    /// Sum of the withdrawals' amounts (fees included).
    pub withdrawn: Fen,
    /// As a buyer: who was paid commission on each of this member's orders.
    pub paid_to: Vec<PaidTo>,
}

/// One buyer's order's commission at one level.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Earned {
    pub buyer: String,
    pub order: String,
    pub level: u32,
    pub rate_bp: u32,
    pub placed_at: Millis,
    pub completed_at: Option<Millis>,
    /// When it becomes withdrawable: `frozen_days` after completion.
    pub released_at: Option<Millis>,
    pub lines: Vec<EarnedLine>,
    /// The commission as placed, and what refunds reversed of it.
    pub amount: Fen,
    pub reversed: Fen,
    /// Of `reversed`, what had been withdrawn already.
    pub shortfall: Fen,
}

/// One order line's commission: its paid money, the money refunded, and
/// the commission on the paid money.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct EarnedLine {
    pub paid: Fen,
    pub refunded: Fen,
    pub amount: Fen,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// The `commission_withdrawn` event's id.
    pub id: String,
    pub at: Millis,
    pub amount: Fen,
    pub fee: Fen,
}

/// The members paid commission on one of the buyer's orders, level 1 first.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct PaidTo {
    pub order: String,
    pub members: Vec<String>,
}

/// Where a commission stands at a time.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Frozen,
    Withdrawable,
}

/// A distributor's earnings at `now` (in `member_summary`).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Encode)]
pub struct Earnings {
    /// Orders placed, not yet completed.
    pub pending: Fen,
    /// Completed, inside the freeze.
    pub frozen: Fen,
    /// Released, less what was withdrawn (never below 0).
    pub withdrawable: Fen,
    /// Asked for in withdrawals, fees included.
    pub withdrawn: Fen,
    /// Withdrawn beyond what is released now (refunds after withdrawal);
    /// the next releases pay it back first.
    pub shortfall: Fen,
    pub orders: Vec<OrderEarning>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct OrderEarning {
    pub buyer: String,
    pub order: String,
    pub level: u32,
    /// The commission as placed, less what refunds reversed.
    pub amount: Fen,
    pub reversed: Fen,
    pub status: Status,
    pub released_at: Option<Millis>,
}

impl Earned {
    fn net(&self) -> Fen {
        self.amount - self.reversed
    }

    fn status(&self, now: Millis) -> Status {
        match self.released_at {
            None => Status::Pending,
            Some(t) if t > now => Status::Frozen,
            Some(_) => Status::Withdrawable,
        }
    }
}

impl Commissions {
    /// Net commission released by `now`.
    fn released(&self, now: Millis) -> Fen {
        self.earned.iter().filter(|e| e.status(now) == Status::Withdrawable).map(Earned::net).sum()
    }

    /// What a distributor has earned, at `now`.
    pub fn earnings(&self, now: Millis) -> Earnings {
        let mut out = Earnings { withdrawn: self.withdrawn, ..Earnings::default() };
        for e in &self.earned {
            let status = e.status(now);
            match status {
                Status::Pending => out.pending += e.net(),
                Status::Frozen => out.frozen += e.net(),
                Status::Withdrawable => {}
            }
            out.orders.push(OrderEarning {
                buyer: e.buyer.clone(),
                order: e.order.clone(),
                level: e.level,
                amount: e.net(),
                reversed: e.reversed,
                status,
                released_at: e.released_at,
            });
        }
        let released = self.released(now);
        out.withdrawable = (released - self.withdrawn).max(0);
        out.shortfall = (self.withdrawn - released).max(0);
        out
    }
}

/// The `distribution` block's checks.
pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    let Some(d) = &rules.distribution else { return };
    if d.rates_bp.is_empty() {
        p.push(
            code::OUT_OF_RANGE,
            "distribution.rates_bp",
            "至少需要一级佣金比例",
            "at least one level's rate is needed",
        );
    }
    if d.rates_bp.len() > MAX_DISTRIBUTION_LEVELS {
        p.push(
            code::DISTRIBUTION_TOO_DEEP,
            "distribution.rates_bp",
            "分销最多两级：三级及以上按《禁止传销条例》属于传销",
            "at most two levels: commission on three or more levels is pyramid selling under China's \
             Regulations on Prohibiting Pyramid Selling (禁止传销条例)",
        );
    }
    let mut total = 0u64;
    for (i, r) in d.rates_bp.iter().enumerate() {
        in_range(p, format_args!("distribution.rates_bp[{i}]"), i64::from(*r), 0, 10_000);
        total += u64::from(*r);
    }
    if total > u64::from(MAX_COMMISSION_TOTAL_BP) {
        p.push(
            code::DISTRIBUTION_RATES_TOO_HIGH,
            "distribution.rates_bp",
            format!("各级佣金比例合计 {total} 个基点，超过上限 3000（30%）：过高的返佣是传销的特征"),
            format!(
                "the rates add up to {total} bp, over the 3000 bp (30 %) maximum: pay that outweighs the \
                 goods is a mark of pyramid selling"
            ),
        );
    }
    in_range(p, format_args!("distribution.frozen_days"), i64::from(d.frozen_days), 0, 366);
    in_range(p, format_args!("distribution.min_withdrawal"), d.min_withdrawal, 0, MAX_RULE_FEN);
    in_range(p, format_args!("distribution.fee_bp"), i64::from(d.fee_bp), 0, 10_000);
}

fn off() -> crate::error::Error {
    refuse(code::DISTRIBUTION_OFF, "event", "规则未开启分销", "the rules have no `distribution` block")
}

fn not_found(order: &str) -> crate::error::Error {
    refuse(
        code::COMMISSION_NOT_FOUND,
        "event.order",
        format!("没有订单 `{order}` 的这一级佣金"),
        format!("no commission at this level for order `{order}`"),
    )
}

/// What a `commission` event carries.
pub(crate) struct CommissionIn<'e> {
    pub buyer: &'e str,
    pub order: &'e str,
    pub level: u32,
    pub stage: Stage,
    pub rate_bp: u32,
    pub lines: &'e [LineMoney],
}

/// `commission` on the distributor: a step of a buyer's order. Only a new
/// commission needs the `distribution` block: an order placed before the
/// merchant turned it off still completes (with no freeze) and refunds.
pub(crate) fn commission(rules: &Rules, m: &mut Member, b: &Booking, e: &CommissionIn) -> Result<()> {
    let d = rules.distribution.as_ref();
    for (path, v) in [("event.buyer", e.buyer), ("event.order", e.order)] {
        id_len(v, path, "标识须为 1 到 64 字节", "an id must be 1 to 64 bytes")?;
    }
    if !(1..=MAX_DISTRIBUTION_LEVELS as u32).contains(&e.level) {
        return Err(refuse(code::OUT_OF_RANGE, "event.level", "级别须为 1 或 2", "the level must be 1 or 2"));
    }
    if e.rate_bp > MAX_COMMISSION_TOTAL_BP {
        return Err(refuse(
            code::OUT_OF_RANGE,
            "event.rate_bp",
            "佣金比例须在 0 到 3000 之间",
            "the rate must be 0 to 3000 bp",
        ));
    }
    if e.lines.len() > 2 * MAX_LINES {
        return Err(refuse(code::TOO_MANY, "event.lines", "订单行过多", "too many order lines"));
    }
    for (i, l) in e.lines.iter().enumerate() {
        if !(0..=MAX_STATE_AMOUNT).contains(&l.money) {
            return Err(refuse(
                code::OUT_OF_RANGE,
                &format!("event.lines[{i}].money"),
                "金额超出范围",
                "amount is out of range",
            ));
        }
    }
    let c = m.commissions.get_or_insert_with(Commissions::default);
    let at = c.earned.iter().position(|x| x.buyer == e.buyer && x.order == e.order && x.level == e.level);
    match e.stage {
        Stage::Placed => {
            if d.is_none() {
                return Err(off());
            }
            if at.is_some() {
                return Err(refuse(
                    code::DUPLICATE_ORDER,
                    "event.order",
                    "这一订单的佣金已记账",
                    "this order's commission was already booked",
                ));
            }
            if c.earned.len() >= MAX_STATE_ITEMS {
                return Err(refuse(code::TOO_MANY, "event", "佣金记录过多", "too many commissions in the state"));
            }
            let mut lines = Vec::with_capacity(e.lines.len());
            for (i, l) in e.lines.iter().enumerate() {
                if l.line != i as u32 {
                    return Err(refuse(
                        code::BAD_LINE,
                        &format!("event.lines[{i}].line"),
                        "下单时须按顺序列出每一行",
                        "a placed order lists every line, in order",
                    ));
                }
                let amount = mul_div_floor(l.money, i64::from(e.rate_bp), 10_000)?;
                lines.push(EarnedLine { paid: l.money, refunded: 0, amount });
            }
            let amount = lines.iter().map(|l| l.amount).sum();
            c.earned.push(Earned {
                buyer: e.buyer.to_string(),
                order: e.order.to_string(),
                level: e.level,
                rate_bp: e.rate_bp,
                placed_at: b.at,
                completed_at: None,
                released_at: None,
                lines,
                amount,
                reversed: 0,
                shortfall: 0,
            });
        }
        Stage::Completed => {
            let x = at.and_then(|i| c.earned.get_mut(i)).ok_or_else(|| not_found(e.order))?;
            if x.completed_at.is_some() {
                return Err(refuse(
                    code::ORDER_ALREADY_COMPLETED,
                    "event.order",
                    "订单已完成",
                    "the order is already completed",
                ));
            }
            x.completed_at = Some(b.at);
            x.released_at = Some(b.at + i64::from(d.map_or(0, |d| d.frozen_days)) * DAY_MS);
        }
        Stage::Refunded => {
            let i = at.ok_or_else(|| not_found(e.order))?;
            let room = (c.released(b.at) - c.withdrawn).max(0);
            let x = c.earned.get_mut(i).ok_or_else(|| not_found(e.order))?;
            let mut back = 0;
            for (k, l) in e.lines.iter().enumerate() {
                let Some(line) = x.lines.get_mut(l.line as usize) else {
                    return Err(refuse(
                        code::BAD_LINE,
                        &format!("event.lines[{k}].line"),
                        "订单没有这一行",
                        "the order has no such line",
                    ));
                };
                let r1 = line.refunded + l.money;
                if r1 > line.paid {
                    return Err(refuse(
                        code::REFUND_TOO_MANY,
                        &format!("event.lines[{k}].money"),
                        "退款超过该行实付",
                        "more refunded than the line paid",
                    ));
                }
                // What is left is the share of the money still paid, rounded
                // down, so it never exceeds rate × that money.
                back += cumulative_share(line.amount, line.paid - line.refunded, line.paid)?
                    - cumulative_share(line.amount, line.paid - r1, line.paid)?;
                line.refunded = r1;
            }
            x.reversed += back;
            if x.status(b.at) == Status::Withdrawable {
                x.shortfall += (back - room).max(0);
            }
        }
    }
    Ok(())
}

/// `commission_withdrawn` on the distributor: refused below the minimum or
/// past what is withdrawable; the fee is recorded, the host pays the rest.
pub(crate) fn withdrawn(rules: &Rules, m: &mut Member, b: &Booking, amount: Fen) -> Result<()> {
    // Without the block (turned off since), what was earned may still be
    // withdrawn: no minimum, no fee.
    let (min, fee_bp) = rules.distribution.as_ref().map_or((0, 0), |d| (d.min_withdrawal, d.fee_bp));
    if amount < min.max(1) {
        return Err(refuse(
            code::COMMISSION_BELOW_MINIMUM,
            "event.amount",
            format!("提现金额至少 {} 分", min.max(1)),
            format!("a withdrawal is at least {} fen", min.max(1)),
        ));
    }
    let c = m.commissions.get_or_insert_with(Commissions::default);
    let can = (c.released(b.at) - c.withdrawn).max(0);
    if amount > can {
        return Err(refuse(
            code::COMMISSION_NOT_WITHDRAWABLE,
            "event.amount",
            format!("可提现 {can} 分"),
            format!("{can} fen can be withdrawn"),
        ));
    }
    if c.withdrawals.len() >= MAX_STATE_ITEMS {
        return Err(refuse(code::TOO_MANY, "event", "提现记录过多", "too many withdrawals in the state"));
    }
    let fee = mul_div_floor(amount, i64::from(fee_bp), 10_000)?;
    c.withdrawals.push(Withdrawal { id: b.id.to_string(), at: b.at, amount, fee });
    c.withdrawn += amount;
    Ok(())
}

/// After an event on a buyer: their order's placing, completing and
/// refunding make `commission` events for the members paid on it (their
/// own, with `self_purchase`, booked here at once).
pub(crate) fn follow(
    rules: &Rules,
    m: &mut Member,
    b: &mut Booking,
    kind: &EventKind,
    refund: Option<&Refund>,
) -> Result<()> {
    let (order, stage) = match kind {
        EventKind::OrderPlaced { order, .. } => (order, Stage::Placed),
        EventKind::OrderCompleted { order } => (order, Stage::Completed),
        EventKind::OrderRefunded { order, .. } => (order, Stage::Refunded),
        _ => return Ok(()),
    };
    let (members, rates, lines) = if stage == Stage::Placed {
        let Some(d) = &rules.distribution else { return Ok(()) };
        let bind = m.referral.as_ref();
        let inviter = bind.map(|r| &r.inviter);
        let chain =
            if d.self_purchase { [Some(&m.id), inviter] } else { [inviter, bind.and_then(|r| r.upline.as_ref())] };
        let mut members = Vec::new();
        for who in chain.into_iter().flatten().take(d.rates_bp.len()) {
            members.push(who.clone());
        }
        if members.is_empty() {
            return Ok(());
        }
        let mut lines = Vec::new();
        if let Some(o) = m.orders.get(order) {
            for (i, l) in o.lines.iter().enumerate() {
                lines.push(LineMoney { line: i as u32, money: l.paid });
            }
        }
        let c = m.commissions.get_or_insert_with(Commissions::default);
        c.paid_to.push(PaidTo { order: order.clone(), members: members.clone() });
        (members, &d.rates_bp[..], lines)
    } else {
        let Some(p) = m.commissions.as_ref().and_then(|c| c.paid_to.iter().find(|p| p.order == *order)) else {
            return Ok(());
        };
        let mut lines = Vec::new();
        for l in refund.map_or(&[][..], |r| &r.lines[..]) {
            lines.push(LineMoney { line: l.line, money: l.money });
        }
        (p.members.clone(), &[][..], lines)
    };
    let buyer = m.id.clone();
    for (k, who) in members.iter().enumerate() {
        let level = k as u32 + 1;
        let rate_bp = rates.get(k).copied().unwrap_or(0);
        if *who == buyer {
            let e = CommissionIn { buyer: &buyer, order, level, stage, rate_bp, lines: &lines };
            commission(rules, m, b, &e)?;
        } else {
            b.effect(
                who,
                EventKind::Commission {
                    buyer: buyer.clone(),
                    order: order.clone(),
                    level,
                    stage,
                    rate_bp,
                    lines: lines.clone(),
                },
            );
        }
    }
    Ok(())
}

/// Part of [`Member::check`]: the commission ledger's amounts and sizes.
pub(crate) fn check_state(m: &Member, all: bool, p: &mut Problems) {
    let Some(c) = &m.commissions else { return };
    for (path, n) in [
        ("member.commissions.earned", c.earned.len()),
        ("member.commissions.withdrawals", c.withdrawals.len()),
        ("member.commissions.paid_to", c.paid_to.len()),
    ] {
        if n > MAX_STATE_ITEMS {
            p.push(code::TOO_MANY, path, "状态条目过多", "too many entries in the state");
        }
    }
    if !(0..=MAX_STATE_AMOUNT).contains(&c.withdrawn) {
        p.push(code::OUT_OF_RANGE, "member.commissions.withdrawn", "金额超出范围", "amount is out of range");
    }
    // A booking writes the last entries only (a refund's reversal stays
    // within the entry by construction): a whole state is read in full.
    let (skip_e, skip_w) =
        if all { (0, 0) } else { (c.earned.len().saturating_sub(1), c.withdrawals.len().saturating_sub(1)) };
    for (i, e) in c.earned.iter().enumerate().skip(skip_e) {
        if p.full() {
            break;
        }
        let lines_ok = e.lines.len() <= 2 * MAX_LINES
            && e.lines.iter().all(|l| {
                (0..=MAX_STATE_AMOUNT).contains(&l.paid)
                    && (0..=l.paid).contains(&l.refunded)
                    && (0..=MAX_STATE_AMOUNT).contains(&l.amount)
            });
        if !lines_ok
            || !(0..=MAX_STATE_AMOUNT).contains(&e.amount)
            || !(0..=e.amount).contains(&e.reversed)
            || !(0..=e.reversed).contains(&e.shortfall)
            || e.rate_bp > MAX_COMMISSION_TOTAL_BP
            || !(1..=MAX_DISTRIBUTION_LEVELS as u32).contains(&e.level)
        {
            p.push(
                code::OUT_OF_RANGE,
                format!("member.commissions.earned[{i}]"),
                "佣金记录无效",
                "the commission is invalid",
            );
        }
        for t in [Some(e.placed_at), e.completed_at, e.released_at].into_iter().flatten() {
            instant(p, format_args!("member.commissions.earned[{i}]"), t);
        }
    }
    for (i, w) in c.withdrawals.iter().enumerate().skip(skip_w) {
        if p.full() {
            break;
        }
        if !(0..=MAX_STATE_AMOUNT).contains(&w.amount)
            || !(0..=w.amount).contains(&w.fee)
            || w.at.unsigned_abs() > crate::ledger::member::MAX_STATE_INSTANT as u64
        {
            p.push(
                code::OUT_OF_RANGE,
                format!("member.commissions.withdrawals[{i}]"),
                "提现记录无效",
                "the withdrawal is invalid",
            );
        }
    }
}
