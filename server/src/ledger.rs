//! Booking: one event on a member, and every effect it makes on other
//! members, in the caller's transaction (docs/rules.md §7.2).
//!
//! The engine decides; this module only stores what it answered. A
//! member's row is read and written in the same transaction as their new
//! event, so two bookings on one member never interleave (SQLite: the
//! write transaction holds the database lock; PostgreSQL: `FOR UPDATE`).

use serde_json::{json, Map, Value};

use crate::db::{Cell, Tx};
use crate::engine::Engine;
use crate::error::ApiError;

/// The rule set a booking runs under.
#[derive(Debug, Clone)]
pub struct Rules {
    pub version: i64,
    pub fingerprint: String,
    /// Canonical JSON text, as uploaded and fingerprinted.
    pub json: String,
}

/// What one booking needs besides the transaction.
pub struct Ctx<'a> {
    pub engine: &'a Engine,
    pub rules: &'a Rules,
    /// The server's clock, UTC milliseconds: the booking's `at`, unless the
    /// member's last event is later.
    pub now: i64,
}

/// A member's stored row.
pub struct MemberRow {
    /// The engine's state as JSON text; empty before `joined`.
    pub state: String,
    pub seq: i64,
    pub last_at: i64,
}

/// A member's row, as a read sees it.
pub fn member_row(tx: &mut dyn Tx, id: &str) -> Result<MemberRow, ApiError> {
    read_member(tx, id, "")
}

/// A member's row, locked until the transaction ends: what a booking
/// reads before it writes.
fn locked_member_row(tx: &mut dyn Tx, id: &str) -> Result<MemberRow, ApiError> {
    let lock = tx.for_update();
    read_member(tx, id, lock)
}

fn read_member(tx: &mut dyn Tx, id: &str, lock: &str) -> Result<MemberRow, ApiError> {
    let sql = format!("SELECT state, seq, last_at FROM members WHERE id = $1{lock}");
    let row = tx.row(&sql, &[id.into()])?.ok_or_else(|| ApiError::not_found("会员", "member", "member"))?;
    let mut cells = row.into_iter();
    let (state, seq, last_at) = (cells.next(), cells.next(), cells.next());
    Ok(MemberRow {
        state: state.and_then(Cell::into_text).unwrap_or_default(),
        seq: seq.and_then(|c| c.int()).unwrap_or(0),
        last_at: last_at.and_then(|c| c.int()).unwrap_or(0),
    })
}

/// Book `event` (its `type` and fields; the id and time are given here)
/// on `member`: the engine's answer (`member`, `effects`, `refund`?), with
/// the effects already booked on their members.
pub fn book(tx: &mut dyn Tx, ctx: &Ctx, member: &str, mut event: Map<String, Value>) -> Result<Value, ApiError> {
    let row = locked_member_row(tx, member)?;
    let seq = row.seq + 1;
    event.insert("id".into(), json!(format!("e{seq}")));
    event.insert("at".into(), json!(ctx.now.max(row.last_at)));
    let mut event = Value::Object(event);
    let mut answer = decide(ctx, &row, &event)?;
    // Effects carry the booking's `at`. A member they name whose last
    // event is later (another server's clock ran ahead) would refuse them
    // as EVENT_OUT_OF_ORDER: the booking is then dated at that last event.
    let mut latest = event["at"].as_i64().unwrap_or(ctx.now);
    for other in effect_members(&answer) {
        latest = latest.max(locked_member_row(tx, &other)?.last_at);
    }
    if Some(latest) != event["at"].as_i64() {
        event["at"] = json!(latest);
        answer = decide(ctx, &row, &event)?;
    }
    store(tx, ctx, member, &row, &event, &answer)?;
    let effects = answer.get("effects").and_then(Value::as_array).cloned().unwrap_or_default();
    for (i, effect) in effects.iter().enumerate() {
        let (Some(other), Some(event)) = (effect.get("member").and_then(Value::as_str), effect.get("event")) else {
            return Err(ApiError::internal("an effect without a member or an event"));
        };
        let row = locked_member_row(tx, other)?;
        let booked = if event.get("type").and_then(Value::as_str) == Some("referral_reward") {
            book_referral_reward(tx, ctx, other, &row, event.clone())
        } else {
            apply(tx, ctx, other, &row, event.clone())
        };
        // The whole booking is refused with the effect's refusal, under its
        // own code: a caller that tolerates a refusal of the event itself
        // (a scan's binding) must not commit half a booking.
        booked.map_err(|e| effect_refused(i, other, e))?;
    }
    Ok(answer)
}

fn effect_members(answer: &Value) -> Vec<String> {
    let effects = answer.get("effects").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    effects.iter().filter_map(|e| e.get("member").and_then(Value::as_str).map(str::to_string)).collect()
}

fn effect_refused(i: usize, member: &str, e: ApiError) -> ApiError {
    if e.status.is_server_error() || e.retry {
        return e;
    }
    let mut refused = ApiError::new(
        e.status,
        "EFFECT_REFUSED",
        &format!("effects[{i}]"),
        format!("这笔记账对会员 `{member}` 的连带事件被拒绝，整笔未记"),
        format!("the booking's effect on member `{member}` was refused; nothing was booked"),
    );
    refused.error["cause"] = e.error;
    refused
}

/// The counter of inviter rewards the referral campaign has paid: the
/// `budget_used` a `referral_reward` carries (docs/rules.md §10.4).
const REFERRAL_PAID: &str = "referral:rewarded";

/// An inviter's reward, with the campaign's count as `budget_used`; the
/// count goes up when the reward paid (`invites.rewarded` went up), not
/// when it was booked as capped. The counter's row is locked from the
/// read to the write.
fn book_referral_reward(
    tx: &mut dyn Tx,
    ctx: &Ctx,
    member: &str,
    row: &MemberRow,
    mut event: Value,
) -> Result<Value, ApiError> {
    tx.exec(
        "INSERT INTO counters (name, value) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING",
        &[REFERRAL_PAID.into()],
    )?;
    let sql = format!("SELECT value FROM counters WHERE name = $1{}", tx.for_update());
    let paid = tx.row(&sql, &[REFERRAL_PAID.into()])?.and_then(|r| r[0].int()).unwrap_or(0);
    if let Some(fields) = event.as_object_mut() {
        fields.insert("budget_used".into(), json!(paid));
    }
    let rewarded = |state: &Value| state["invites"]["rewarded"].as_i64().unwrap_or(0);
    let before = serde_json::from_str::<Value>(&row.state).map(|s| rewarded(&s)).unwrap_or(0);
    let answer = apply(tx, ctx, member, row, event)?;
    if rewarded(&answer["member"]) > before {
        tx.exec("UPDATE counters SET value = value + 1 WHERE name = $1", &[REFERRAL_PAID.into()])?;
    }
    Ok(answer)
}

/// `apply_event` on one member, and store the event and the new state.
fn apply(tx: &mut dyn Tx, ctx: &Ctx, member: &str, row: &MemberRow, event: Value) -> Result<Value, ApiError> {
    let answer = decide(ctx, row, &event)?;
    store(tx, ctx, member, row, &event, &answer)?;
    Ok(answer)
}

/// The engine's answer to `event` on the member's state: nothing written.
fn decide(ctx: &Ctx, row: &MemberRow, event: &Value) -> Result<Value, ApiError> {
    let event_text = event.to_string();
    ctx.engine.call_ruled("apply_event", ctx.rules, |rules| {
        if row.state.is_empty() {
            format!(r#"{{"event":{event_text},"rules":{rules}}}"#)
        } else {
            format!(r#"{{"event":{event_text},"member":{},"rules":{rules}}}"#, row.state)
        }
    })
}

/// Append the event to the member's log and keep the state the engine
/// answered.
fn store(
    tx: &mut dyn Tx,
    ctx: &Ctx,
    member: &str,
    row: &MemberRow,
    event: &Value,
    answer: &Value,
) -> Result<(), ApiError> {
    let state = answer.get("member").ok_or_else(|| ApiError::internal("apply_event answered no member"))?;
    let at = event.get("at").and_then(Value::as_i64).unwrap_or(ctx.now);
    let id = event.get("id").and_then(Value::as_str).unwrap_or("");
    let seq = row.seq + 1;
    tx.exec(
        "INSERT INTO events (member_id, seq, event_id, at, rules_version, json) VALUES ($1, $2, $3, $4, $5, $6)",
        &[member.into(), seq.into(), id.into(), at.into(), ctx.rules.version.into(), event.to_string().into()],
    )?;
    tx.exec(
        "UPDATE members SET state = $1, seq = $2, last_at = $3 WHERE id = $4",
        &[state.to_string().into(), seq.into(), at.max(row.last_at).into(), member.into()],
    )?;
    Ok(())
}

/// The next value of counter `name` (1 the first time).
pub fn next(tx: &mut dyn Tx, name: &str) -> Result<i64, ApiError> {
    tx.exec("INSERT INTO counters (name, value) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING", &[name.into()])?;
    let row = tx.row("UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value", &[name.into()])?;
    row.and_then(|r| r[0].int()).ok_or_else(|| ApiError::internal(format!("counter {name}")))
}

/// Take one from counter `name` if it exists and is above 0: `None` when
/// there is no such counter (no limit), `Some(left before)` otherwise
/// (`Some(0)`: none left, nothing taken).
pub fn take_one(tx: &mut dyn Tx, name: &str) -> Result<Option<i64>, ApiError> {
    let taken =
        tx.row("UPDATE counters SET value = value - 1 WHERE name = $1 AND value > 0 RETURNING value", &[name.into()])?;
    if let Some(row) = taken {
        return Ok(row[0].int().map(|left| left + 1));
    }
    let exists = tx.row("SELECT value FROM counters WHERE name = $1", &[name.into()])?;
    Ok(exists.map(|_| 0))
}
