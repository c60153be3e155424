//! Growth: the member's scene and share poster, scanning a scene (the
//! referral binding and the channel's contact), invite tasks,
//! distribution earnings and withdrawals; the operator's lifecycle alerts
//! and channel statistics (docs/rules.md §9–§14).
//!
//! A scan is one booking: the first scan's time, the binding (with the
//! inviter's chain and the devices the host has seen, as §10.2 asks), and
//! the channel's round-robin counter, all in one transaction. The engine
//! refusing the binding (not new, already bound, a device seen) does not
//! fail the scan: the answer says why nothing was bound.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use base64::Engine as _;
use serde_json::{json, Value};

use super::{admin, blocking, event, member_of, object, ok, text_field, Answer, Booking};
use crate::db::{Cell, Tx};
use crate::error::ApiError;
use crate::ledger::{self, Ctx};
use crate::{clock, App};

/// A member's number in scenes and codes: `m-12` is member 12 (`M…`).
fn member_number(member: &str) -> Result<u64, ApiError> {
    member
        .strip_prefix("m-")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| ApiError::internal(format!("member id {member}")))
}

/// The member's own scene and code: what their share link and poster carry.
pub(super) async fn my_scene(State(app): State<Arc<App>>, headers: HeaderMap) -> Answer {
    let member = member_of(&app, &headers)?;
    blocking(app, move |app| ok(scene_of(app, &member)?)).await
}

fn scene_of(app: &App, member: &str) -> Result<Value, ApiError> {
    let input = json!({"kind": "member", "number": member_number(member)?});
    app.engine.call("make_scene", &input.to_string())
}

/// `POST /api/scan {"scene", "fingerprints"?}`: the signed-in member
/// scanned a scene (a 小程序码 or a share link).
pub(super) async fn scan(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Answer {
    let booking = Booking::new(&app, &headers, "POST /api/scan", &body)?;
    let fields = object(&body)?;
    let scene = text_field(&fields, "scene")?;
    let fingerprints = fingerprints(&fields)?;
    booking.run(app, move |app, tx, ctx, member| scanned(app, tx, ctx, member, &scene, &fingerprints)).await
}

/// `fingerprints`: device and phone hashes (strings), if any.
pub(super) fn fingerprints(body: &serde_json::Map<String, Value>) -> Result<Vec<String>, ApiError> {
    match body.get("fingerprints") {
        None | Some(Value::Null) => Ok(Vec::new()),
        // Bounded before any row is read: the engine's own limit.
        Some(Value::Array(items)) if items.len() > siyu::limits::MAX_FINGERPRINTS => Err(ApiError::bad_request(
            "TOO_MANY",
            "fingerprints",
            format!("`fingerprints` 最多 {} 个", siyu::limits::MAX_FINGERPRINTS),
            format!("at most {} `fingerprints`", siyu::limits::MAX_FINGERPRINTS),
        )),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            Ok(items.iter().filter_map(Value::as_str).map(str::to_string).collect())
        }
        Some(_) => Err(ApiError::bad_request(
            "WRONG_TYPE",
            "fingerprints",
            "`fingerprints` 应为字符串数组",
            "`fingerprints` is an array of strings",
        )),
    }
}

/// Everything a scan books, in the caller's transaction.
pub(super) fn scanned(
    app: &App,
    tx: &mut dyn Tx,
    ctx: &Ctx,
    member: &str,
    scene: &str,
    fingerprints: &[String],
) -> Result<Value, ApiError> {
    let parsed = app.engine.call("parse_scene", &json!({ "scene": scene }).to_string())?;
    let mut answer = json!({ "scene": parsed });
    if parsed["kind"] == "member" {
        tx.exec(
            "INSERT INTO first_scans (member_id, at) VALUES ($1, $2) ON CONFLICT (member_id) DO NOTHING",
            &[member.into(), ctx.now.into()],
        )?;
        let inviter = format!("m-{}", parsed["number"]);
        answer["referral"] = match bind(tx, ctx, member, &inviter, scene, fingerprints) {
            Ok(booked) => {
                json!({"bound": true, "inviter": inviter, "member": booked["member"], "effects": booked["effects"]})
            }
            // Refused before anything was written: the scan still counts.
            Err(e) if e.code().starts_with("REFERRAL_") || e.code() == "NOT_FOUND" => {
                json!({"bound": false, "inviter": inviter, "error": e.error})
            }
            Err(e) => return Err(e),
        };
    }
    let channel = if parsed["kind"] == "channel" { parsed["number"].as_u64() } else { parsed["channel"].as_u64() };
    if let Some(channel) = channel {
        answer["contact"] = match assign(tx, ctx, member, scene, channel) {
            Ok(contact) => contact,
            Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => json!({ "error": e.error }),
            Err(e) => return Err(e),
        };
    }
    Ok(answer)
}

/// Book `referral_bound` on the invitee, with what the host knows: the
/// first scan, the inviter's own inviters, the devices seen on others.
fn bind(
    tx: &mut dyn Tx,
    ctx: &Ctx,
    member: &str,
    inviter: &str,
    scene: &str,
    fingerprints: &[String],
) -> Result<Value, ApiError> {
    if tx.row("SELECT 1 FROM members WHERE id = $1", &[inviter.into()])?.is_none() {
        return Err(ApiError::not_found("邀请人", "inviter", "scene"));
    }
    // Bindings take turns shop-wide: each reads other members' bindings
    // (the inviter's chain) and devices, which its member's row lock does
    // not cover; two at once could bind A to B and B to A (PostgreSQL;
    // SQLite's writer already runs one at a time).
    tx.exec("INSERT INTO counters (name, value) VALUES ('lock:bindings', 0) ON CONFLICT (name) DO NOTHING", &[])?;
    let turn = format!("SELECT value FROM counters WHERE name = 'lock:bindings'{}", tx.for_update());
    tx.rows(&turn, &[])?;
    let mut chain = Vec::new();
    let mut up = inviter.to_string();
    while chain.len() < siyu::limits::MAX_REFERRAL_CHAIN {
        let Some(row) = tx.row("SELECT inviter FROM referral_bindings WHERE invitee = $1", &[up.as_str().into()])?
        else {
            break;
        };
        up = row.into_iter().next().and_then(Cell::into_text).unwrap_or_default();
        if chain.contains(&up) {
            break;
        }
        chain.push(up.clone());
    }
    let first_scan_at = tx
        .row("SELECT at FROM first_scans WHERE member_id = $1", &[member.into()])?
        .and_then(|r| r[0].int())
        .unwrap_or(ctx.now);
    let mut seen = Vec::new();
    for f in fingerprints {
        let on = tx.row("SELECT member_id FROM device_fingerprints WHERE fingerprint = $1", &[f.as_str().into()])?;
        if on.is_some_and(|r| r[0].text() != Some(member)) {
            seen.push(f.clone());
        }
    }
    let fields = json!({"inviter": inviter, "scene": scene, "first_scan_at": first_scan_at, "chain": chain, "fingerprints": fingerprints, "seen": seen});
    let booked = ledger::book(tx, ctx, member, event("referral_bound", fields))?;
    tx.exec(
        "INSERT INTO referral_bindings (invitee, inviter, scene, bound_at) VALUES ($1, $2, $3, $4)",
        &[member.into(), inviter.into(), scene.into(), ctx.now.into()],
    )?;
    for f in fingerprints {
        tx.exec("INSERT INTO device_fingerprints (fingerprint, member_id) VALUES ($1, $2) ON CONFLICT (fingerprint) DO NOTHING", &[
            f.as_str().into(),
            member.into(),
        ])?;
    }
    Ok(booked)
}

/// The channel's next contact (weighted round-robin over the host's
/// counter, §13.2), recorded for the channel's statistics.
fn assign(tx: &mut dyn Tx, ctx: &Ctx, member: &str, scene: &str, channel: u64) -> Result<Value, ApiError> {
    let name = format!("channel:{channel}");
    // A member scanning the channel again keeps their contact: the
    // counter moves on first scans only, so each guide gets their share.
    let rules: Value = serde_json::from_str(&ctx.rules.json).map_err(ApiError::internal)?;
    let channels = rules["channels"].as_array().map(Vec::as_slice).unwrap_or_default();
    if let Some(id) = channels.iter().find(|c| c["number"].as_u64() == Some(channel)).and_then(|c| c["id"].as_str()) {
        let before = tx.row(
            "SELECT guide FROM channel_contacts WHERE member_id = $1 AND channel = $2",
            &[member.into(), id.into()],
        )?;
        if let Some(row) = before {
            return Ok(json!({"channel": id, "staff": row[0].text(), "assigned_before": true}));
        }
    }
    tx.exec(
        "INSERT INTO counters (name, value) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING",
        &[name.as_str().into()],
    )?;
    let sql = format!("SELECT value FROM counters WHERE name = $1{}", tx.for_update());
    let counter = tx.row(&sql, &[name.as_str().into()])?.and_then(|r| r[0].int()).unwrap_or(0);
    let contact = ctx.engine.call_ruled("assign_contact", ctx.rules, |r| {
        format!(r#"{{"counter":{counter},"rules":{r},"scene":{}}}"#, json!(scene))
    })?;
    let next = contact["next_counter"].as_i64().unwrap_or(0);
    tx.exec("UPDATE counters SET value = $1 WHERE name = $2", &[next.into(), name.as_str().into()])?;
    tx.exec(
        "INSERT INTO channel_contacts (member_id, channel, guide, at) VALUES ($1, $2, $3, $4) ON CONFLICT (member_id, channel) DO NOTHING",
        &[member.into(), contact["channel"].as_str().into(), contact["staff"].as_str().into(), ctx.now.into()],
    )?;
    Ok(contact)
}

/// One part of the member's summary: `invite_tasks` or `commission`.
async fn summary_part(app: Arc<App>, headers: HeaderMap, part: &'static str) -> Answer {
    let member = member_of(&app, &headers)?;
    blocking(app, move |app| {
        let (rules, row) = app.db.read(|tx| Ok((app.rules(tx)?, ledger::member_row(tx, &member)?)))?;
        let now = clock::now();
        let summary = app.engine.call_ruled("member_summary", &rules, |r| {
            format!(r#"{{"member":{},"now":{now},"rules":{r}}}"#, row.state)
        })?;
        ok(json!({ part: summary[part] }))
    })
    .await
}

pub(super) async fn invite_tasks(State(app): State<Arc<App>>, headers: HeaderMap) -> Answer {
    summary_part(app, headers, "invite_tasks").await
}

pub(super) async fn distribution(State(app): State<Arc<App>>, headers: HeaderMap) -> Answer {
    summary_part(app, headers, "commission").await
}

/// `POST /api/me/withdrawals {"amount"}`: the engine checks the balance,
/// the minimum and the fee; the host records what it owes.
pub(super) async fn withdraw(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Answer {
    let booking = Booking::new(&app, &headers, "POST /api/me/withdrawals", &body)?;
    let fields = object(&body)?;
    let amount = fields.get("amount").and_then(Value::as_i64).ok_or_else(|| {
        ApiError::bad_request(
            "FIELD_REQUIRED",
            "amount",
            "`amount`（分）为必填整数",
            "`amount` (fen) is a required integer",
        )
    })?;
    booking
        .run(app, move |_, tx, ctx, member| {
            let booked = ledger::book(tx, ctx, member, event("commission_withdrawn", json!({ "amount": amount })))?;
            let id = format!("w{}", ledger::next(tx, "next:withdrawal")?);
            tx.exec("INSERT INTO withdrawals (id, member_id, amount, status, requested_at) VALUES ($1, $2, $3, 'requested', $4)", &[
                id.as_str().into(),
                member.into(),
                amount.into(),
                ctx.now.into(),
            ])?;
            Ok(json!({"withdrawal": id, "amount": amount, "status": "requested", "member": booked["member"]}))
        })
        .await
}

/// The member's invite poster (the demo template `invite`): SVG from the
/// module, byte for byte what every host draws.
pub(super) async fn poster_svg(State(app): State<Arc<App>>, headers: HeaderMap) -> Answer {
    let member = member_of(&app, &headers)?;
    blocking(app, move |app| {
        let svg = poster(app, &member)?;
        Ok(([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response())
    })
    .await
}

/// The same poster as PNG at twice its size, rasterised here with resvg
/// and the machine's CJK font, never in the module.
pub(super) async fn poster_png(State(app): State<Arc<App>>, headers: HeaderMap) -> Answer {
    let member = member_of(&app, &headers)?;
    blocking(app, move |app| {
        let svg = poster(app, &member)?;
        static RASTERISER: OnceLock<Result<siyu_host_wasmtime::poster::Rasteriser, String>> = OnceLock::new();
        let rasteriser =
            RASTERISER.get_or_init(siyu_host_wasmtime::poster::Rasteriser::new).as_ref().map_err(|why| {
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "NO_CJK_FONT",
                    "",
                    "服务器未安装中文字体，无法生成 PNG",
                    why.clone(),
                )
            })?;
        let png = rasteriser.png(&svg, 2).map_err(ApiError::internal)?;
        Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
    })
    .await
}

fn poster(app: &App, member: &str) -> Result<String, ApiError> {
    let (rules, nickname) = app.db.read(|tx| {
        let nickname = tx.row("SELECT nickname FROM members WHERE id = $1", &[member.into()])?;
        Ok((app.rules(tx)?, nickname.and_then(|r| r.into_iter().next()).and_then(Cell::into_text).unwrap_or_default()))
    })?;
    let templates: Value = serde_json::from_str(siyu::demo::POSTERS).map_err(ApiError::internal)?;
    let merchant: Value = serde_json::from_str(&rules.json).map_err(ApiError::internal)?;
    let scene = scene_of(app, member)?;
    let avatar =
        format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(siyu::demo::AVATAR_PNG));
    let input = json!({
        "template": templates["invite"],
        "fields": {"nickname": nickname, "store": merchant["merchant"], "scene": scene["scene"], "code": scene["code"]},
        "images": {"avatar": avatar},
    });
    let svg = app.engine.call("render_poster", &input.to_string())?;
    svg.as_str()
        .map(str::to_string)
        .or_else(|| svg["svg"].as_str().map(str::to_string))
        .ok_or_else(|| ApiError::internal("render_poster answered no SVG"))
}

/// A query parameter the route needs. (Read after the admin check, so a
/// member without the token gets 403 whatever the query.)
fn param(q: &BTreeMap<String, String>, name: &str) -> Result<Value, ApiError> {
    q.get(name).map(|v| json!(v)).ok_or_else(|| {
        ApiError::bad_request(
            "FIELD_REQUIRED",
            name,
            format!("缺少查询参数 `{name}`（YYYY-MM-DD）"),
            format!("the query parameter `{name}` (YYYY-MM-DD) is required"),
        )
    })
}

/// Who changed lifecycle segment since a date (`?since=YYYY-MM-DD`), from
/// every member's joining and orders.
pub(super) async fn alerts(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Answer {
    admin(&app, &headers)?;
    let since = param(&q, "since")?;
    blocking(app, move |app| {
        let (rules, members) = app.db.read(|tx| {
            let members = tx.rows("SELECT id, created_at FROM members ORDER BY id", &[])?;
            let orders =
                tx.rows("SELECT member_id, placed_at, payable, status FROM orders ORDER BY member_id, placed_at", &[])?;
            let list: Vec<Value> = members
                .iter()
                .map(|m| {
                    let marks: Vec<Value> = orders
                        .iter()
                        .filter(|o| o[0] == m[0] && o[3].text() != Some("placed") && o[3].text() != Some("refunded"))
                        .map(|o| json!({"at": o[1].int(), "paid": o[2].int()}))
                        .collect();
                    json!({"id": m[0].text(), "joined_at": m[1].int(), "orders": marks})
                })
                .collect();
            Ok((app.rules(tx)?, list))
        })?;
        let now = clock::now();
        let members = Value::Array(members);
        ok(app.engine.call_ruled("lifecycle_alerts", &rules, |r| {
            format!(r#"{{"members":{members},"now":{now},"rules":{r},"since":{since}}}"#)
        })?)
    })
    .await
}

/// Scans, joins, orders and GMV per channel and guide
/// (`?from=YYYY-MM-DD&to=YYYY-MM-DD`).
pub(super) async fn channels(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Answer {
    admin(&app, &headers)?;
    let (from, to) = (param(&q, "from")?, param(&q, "to")?);
    blocking(app, move |app| {
        let (rules, contacts) = app.db.read(|tx| {
            let rows = tx.rows("SELECT c.member_id, c.channel, c.guide, c.at, m.created_at FROM channel_contacts c JOIN members m ON m.id = c.member_id ORDER BY c.member_id, c.channel", &[])?;
            let orders = tx.rows("SELECT member_id, updated_at, payable FROM orders WHERE status IN ('paid', 'completed') ORDER BY member_id, updated_at", &[])?;
            let contacts: Vec<Value> = rows
                .iter()
                .map(|c| {
                    let mut events = vec![json!({"kind": "scanned", "at": c[3].int()})];
                    if c[4].int() >= c[3].int() {
                        events.push(json!({"kind": "joined", "at": c[4].int()}));
                    }
                    events.extend(orders.iter().filter(|o| o[0] == c[0] && o[1].int() >= c[3].int()).map(|o| json!({"kind": "paid", "at": o[1].int(), "fen": o[2].int()})));
                    json!({"member": c[0].text(), "channel": c[1].text(), "guide": c[2].text(), "events": events})
                })
                .collect();
            Ok((app.rules(tx)?, contacts))
        })?;
        let contacts = Value::Array(contacts);
        ok(app.engine.call_ruled("channel_stats", &rules, |r| format!(r#"{{"contacts":{contacts},"from":{from},"rules":{r},"to":{to}}}"#))?)
    })
    .await
}
