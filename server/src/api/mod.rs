//! The JSON API. Every handler parses its body, then does all its work —
//! engine calls and SQL — in one blocking task and, when it books, one
//! write transaction. `server/openapi.json` lists every route; a test
//! checks the two agree.

mod growth;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::auth;
use crate::clock;
use crate::db::{Cell, Tx};
use crate::error::ApiError;
use crate::ledger::{self, Ctx};
use crate::App;

/// Largest request body: a 500-line cart is about 60 KB, a rule set a few
/// hundred.
pub const MAX_BODY: usize = 2 << 20;

/// Every route, as `(method, path)`: what `router` serves and
/// `openapi.json` documents.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/status"),
    ("POST", "/api/members"),
    ("POST", "/api/sessions"),
    ("GET", "/api/me"),
    ("GET", "/api/me/summary"),
    ("GET", "/api/me/points"),
    ("GET", "/api/me/wallet"),
    ("POST", "/api/quote"),
    ("GET", "/api/orders"),
    ("POST", "/api/orders"),
    ("POST", "/api/orders/{order}/pay"),
    ("POST", "/api/orders/{order}/complete"),
    ("POST", "/api/orders/{order}/refund"),
    ("POST", "/api/check-in"),
    ("POST", "/api/coupons/{template}/claim"),
    ("POST", "/api/mall/{item}"),
    ("POST", "/api/membership/{plan}"),
    ("GET", "/api/me/scene"),
    ("POST", "/api/scan"),
    ("GET", "/api/me/invite-tasks"),
    ("GET", "/api/me/distribution"),
    ("POST", "/api/me/withdrawals"),
    ("GET", "/api/me/poster.svg"),
    ("GET", "/api/me/poster.png"),
    ("GET", "/api/admin/alerts"),
    ("GET", "/api/admin/channels"),
    ("GET", "/api/admin/rules"),
    ("PUT", "/api/admin/rules"),
    ("GET", "/api/admin/rules/{version}"),
    ("PUT", "/api/admin/stock/{template}"),
];

pub fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route("/api/status", get(status))
        .route("/api/members", post(sign_up))
        .route("/api/sessions", post(sign_in))
        .route("/api/me", get(me))
        .route("/api/me/summary", get(|s, h| view(s, h, "member_summary")))
        .route("/api/me/points", get(|s, h| view(s, h, "points_history")))
        .route("/api/me/wallet", get(|s, h| view(s, h, "coupon_wallet")))
        .route("/api/quote", post(quote))
        .route("/api/orders", get(orders).post(place_order))
        .route("/api/orders/{order}/pay", post(pay))
        .route("/api/orders/{order}/complete", post(complete))
        .route("/api/orders/{order}/refund", post(refund))
        .route("/api/check-in", post(check_in))
        .route("/api/coupons/{template}/claim", post(claim))
        .route("/api/mall/{item}", post(mall))
        .route("/api/membership/{plan}", post(membership))
        .route("/api/me/scene", get(growth::my_scene))
        .route("/api/scan", post(growth::scan))
        .route("/api/me/invite-tasks", get(growth::invite_tasks))
        .route("/api/me/distribution", get(growth::distribution))
        .route("/api/me/withdrawals", post(growth::withdraw))
        .route("/api/me/poster.svg", get(growth::poster_svg))
        .route("/api/me/poster.png", get(growth::poster_png))
        .route("/api/admin/alerts", get(growth::alerts))
        .route("/api/admin/channels", get(growth::channels))
        .route("/api/admin/rules", get(rule_versions).put(upload_rules))
        .route("/api/admin/rules/{version}", get(rule_version))
        .route("/api/admin/stock/{template}", put(set_stock))
        // Unknown API paths answer JSON even when the storefront's files
        // are served at `/`.
        .route("/api/{*rest}", any(|| async { ApiError::not_found("接口", "route", "") }))
        .fallback(|| async { ApiError::not_found("接口", "route", "") })
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::map_response(json_errors))
        .with_state(app.clone());
    match &app.www {
        Some(dir) => api.fallback_service(tower_http::services::ServeDir::new(dir)),
        None => api,
    }
}

/// axum's own refusals (a body over the limit, a wrong method, a path
/// parameter that does not parse) are plain text; every error this server
/// answers has the one JSON shape, so they are rewritten into it.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response.headers().get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let body = axum::body::to_bytes(response.into_body(), 4096).await.unwrap_or_default();
    let why = String::from_utf8_lossy(&body).into_owned();
    let (code, zh) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ("BODY_TOO_LARGE", format!("请求体超过 {} MiB", MAX_BODY >> 20)),
        StatusCode::METHOD_NOT_ALLOWED => ("METHOD_NOT_ALLOWED", "该接口不支持这个方法".to_string()),
        StatusCode::NOT_FOUND => ("NOT_FOUND", "不存在".to_string()),
        _ if status.is_client_error() => ("BAD_REQUEST", "请求无效".to_string()),
        _ => ("INTERNAL", "服务器内部错误".to_string()),
    };
    let en = if why.is_empty() { status.canonical_reason().unwrap_or("error").to_string() } else { why };
    ApiError::new(status, code, "", zh, en).into_response()
}

type Answer = Result<Response, ApiError>;

/// Run `f` on a blocking thread: engine calls and SQL are synchronous.
async fn blocking<T: Send + 'static>(
    app: Arc<App>,
    f: impl FnOnce(&App) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(move || f(&app)).await.map_err(ApiError::internal)?
}

fn ok(value: Value) -> Answer {
    Ok(Json(value).into_response())
}

/// The body as a JSON object (an empty body is `{}`).
fn object(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => {
            Err(ApiError::bad_request("BAD_JSON", "", "请求体应为 JSON 对象", "the request body must be a JSON object"))
        }
        Err(e) => Err(ApiError::bad_request(
            "BAD_JSON",
            "",
            "请求体不是合法的 JSON",
            format!("the request body is not valid JSON: {e}"),
        )),
    }
}

fn text_field(body: &Map<String, Value>, name: &str) -> Result<String, ApiError> {
    match body.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(ApiError::bad_request(
            "FIELD_REQUIRED",
            name,
            format!("缺少字段 `{name}`（字符串）"),
            format!("`{name}` (a string) is required"),
        )),
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get("authorization")?.to_str().ok()?.strip_prefix("Bearer ")
}

/// The signed-in member, or 401.
fn member_of(app: &App, headers: &HeaderMap) -> Result<String, ApiError> {
    let token = bearer(headers)
        .ok_or_else(|| ApiError::unauthorized("请先登录", "sign in first (Authorization: Bearer <token>)"))?;
    app.keys
        .member(token, clock::now())
        .ok_or_else(|| ApiError::unauthorized("登录已失效，请重新登录", "the session token is invalid or expired"))
}

fn admin(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    match bearer(headers) {
        Some(t) if app.keys.is_admin(t) => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "",
            "需要管理员令牌",
            "this route needs the admin token",
        )),
    }
}

async fn status(State(app): State<Arc<App>>) -> Answer {
    blocking(app, |app| {
        let rules = app.db.read(|tx| app.rules(tx))?;
        ok(json!({
            "wasm_sha256": app.engine.sha256(),
            "abi": siyu_host_wasmtime::ABI_VERSION,
            "rules": {"version": rules.version, "fingerprint": rules.fingerprint},
            "db": app.db.kind(),
            "idle_instances": app.engine.idle(),
        }))
    })
    .await
}

/// Sign up: a nickname and a password, and the scene of the share link
/// the shopper arrived by, if any (with their device fingerprints): the
/// member's id, their state, a session token, and what the scene bound.
async fn sign_up(State(app): State<Arc<App>>, body: Bytes) -> Answer {
    let body = object(&body)?;
    let nickname = text_field(&body, "nickname")?;
    let password = text_field(&body, "password")?;
    let scene = match body.get("scene") {
        Some(Value::Null) | None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(ApiError::bad_request("WRONG_TYPE", "scene", "`scene` 应为字符串", "`scene` is a string"))
        }
    };
    let fingerprints = growth::fingerprints(&body)?;
    if nickname.chars().count() > 32 {
        return Err(ApiError::bad_request(
            "FIELD_TOO_LONG",
            "nickname",
            "昵称最多 32 个字符",
            "a nickname has at most 32 characters",
        ));
    }
    blocking(app, move |app| {
        let (salt, hash) = auth::hash_password(&password)?;
        let now = clock::now();
        let (member, mut answer) = app.db.write(|tx| {
            let rules = app.rules(tx)?;
            let member = format!("m-{}", ledger::next(tx, "next:member")?);
            tx.exec(
                "INSERT INTO members (id, nickname, password_salt, password_hash, state, seq, last_at, created_at) \
                 VALUES ($1, $2, $3, $4, '', 0, 0, $5)",
                &[
                    member.as_str().into(),
                    nickname.as_str().into(),
                    salt.as_str().into(),
                    hash.as_str().into(),
                    now.into(),
                ],
            )?;
            let ctx = Ctx { engine: &app.engine, rules: &rules, now };
            let joined = ledger::book(tx, &ctx, &member, event("joined", json!({ "member": member })))?;
            let mut answer = json!({"member": member, "state": joined["member"]});
            if let Some(scene) = &scene {
                let scanned = growth::scanned(app, tx, &ctx, &member, scene, &fingerprints)?;
                if scanned["referral"]["bound"] == true {
                    answer["state"] = scanned["referral"]["member"].clone();
                }
                answer["scan"] = scanned;
            }
            Ok((member, answer))
        })?;
        answer["token"] = json!(app.keys.token(&member, now));
        let mut response = Json(answer).into_response();
        *response.status_mut() = StatusCode::CREATED;
        Ok(response)
    })
    .await
}

async fn sign_in(State(app): State<Arc<App>>, body: Bytes) -> Answer {
    let body = object(&body)?;
    let member = text_field(&body, "member")?;
    let password = text_field(&body, "password")?;
    blocking(app, move |app| {
        let row = app.db.read(|tx| {
            tx.row("SELECT password_salt, password_hash FROM members WHERE id = $1", &[member.as_str().into()])
        })?;
        let matches = row
            .is_some_and(|r| auth::password_matches(&password, r[0].text().unwrap_or(""), r[1].text().unwrap_or("")));
        if !matches {
            return Err(ApiError::unauthorized("会员号或密码不对", "wrong member id or password"));
        }
        ok(json!({"member": member, "token": app.keys.token(&member, clock::now())}))
    })
    .await
}

async fn me(State(app): State<Arc<App>>, headers: HeaderMap) -> Answer {
    let member = member_of(&app, &headers)?;
    blocking(app, move |app| {
        let row = app.db.read(|tx| ledger::member_row(tx, &member))?;
        let state: Value = serde_json::from_str(&row.state).map_err(ApiError::internal)?;
        ok(state)
    })
    .await
}

/// A read-only view of the signed-in member: `member_summary`,
/// `points_history` or `coupon_wallet`, now.
async fn view(State(app): State<Arc<App>>, headers: HeaderMap, op: &'static str) -> Answer {
    let member = member_of(&app, &headers)?;
    blocking(app, move |app| {
        let (rules, row) = app.db.read(|tx| Ok((app.rules(tx)?, ledger::member_row(tx, &member)?)))?;
        let now = clock::now();
        ok(app.engine.call_ruled(op, &rules, |r| format!(r#"{{"member":{},"now":{now},"rules":{r}}}"#, row.state))?)
    })
    .await
}

/// A quote for the signed-in member (or a guest, without a token): what
/// the storefront shows, computed by the same module and rules the order
/// will be booked under.
async fn quote(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Answer {
    let member = match bearer(&headers) {
        Some(_) => Some(member_of(&app, &headers)?),
        None => None,
    };
    let body = object(&body)?;
    let cart = body
        .get("cart")
        .cloned()
        .ok_or_else(|| ApiError::bad_request("FIELD_REQUIRED", "cart", "缺少购物车 `cart`", "`cart` is required"))?;
    blocking(app, move |app| {
        let (rules, state) = app.db.read(|tx| {
            let rules = app.rules(tx)?;
            let state = match &member {
                Some(m) => Some(ledger::member_row(tx, m)?.state),
                None => None,
            };
            Ok((rules, state))
        })?;
        let member = state.map(|s| format!(r#""member":{s},"#)).unwrap_or_default();
        let now = clock::now();
        // The engine's answer as it wrote it, not parsed and written
        // again: 7,100 → 8,600 quotes/s (BENCHMARKS.md).
        let text = app
            .engine
            .call_ruled_text("quote", &rules, |r| format!(r#"{{"cart":{cart},{member}"now":{now},"rules":{r}}}"#))?;
        Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], text).into_response())
    })
    .await
}

/// One booking request: the signed-in member, the request's idempotency
/// key, and what it books.
struct Booking {
    member: String,
    key: Option<String>,
    /// `METHOD path` and the body: what the key's first answer is tied to.
    request: String,
}

impl Booking {
    fn new(app: &App, headers: &HeaderMap, route: &str, body: &Bytes) -> Result<Booking, ApiError> {
        let member = member_of(app, headers)?;
        let key = match headers.get("idempotency-key") {
            None => None,
            Some(k) => {
                let k = k.to_str().ok().filter(|k| !k.is_empty() && k.len() <= 255).ok_or_else(|| {
                    ApiError::bad_request(
                        "BAD_IDEMPOTENCY_KEY",
                        "Idempotency-Key",
                        "幂等键应为 1 到 255 个可见字符",
                        "an Idempotency-Key is 1 to 255 visible characters",
                    )
                })?;
                Some(k.to_string())
            }
        };
        let mut request = format!("{route}\n").into_bytes();
        request.extend_from_slice(body);
        Ok(Booking { member, key, request: clock::hex(&Sha256::digest(&request)) })
    }

    /// Run `f` in one write transaction under the key: the first answer to
    /// a key is kept and given back to every retry with the same request
    /// (header `Idempotent-Replayed: true`); the same key with another
    /// request is refused. Refusals are not kept: a retry is decided anew.
    fn run(
        self,
        app: Arc<App>,
        mut f: impl FnMut(&App, &mut dyn Tx, &Ctx, &str) -> Result<Value, ApiError> + Send + 'static,
    ) -> impl std::future::Future<Output = Answer> {
        blocking(app, move |app| {
            let replayed = app.db.write(|tx| {
                // The member's row first: on PostgreSQL, two requests of one
                // member (retries of one key among them) take turns here.
                let lock = format!("SELECT 1 FROM members WHERE id = $1{}", tx.for_update());
                tx.row(&lock, &[self.member.as_str().into()])?;
                if let Some(key) = &self.key {
                    let kept = tx.row("SELECT request_sha256, response FROM idempotency WHERE member_id = $1 AND key = $2", &[
                        self.member.as_str().into(),
                        key.into(),
                    ])?;
                    if let Some(kept) = kept {
                        if kept[0].text() != Some(self.request.as_str()) {
                            return Err(ApiError::new(
                                StatusCode::UNPROCESSABLE_ENTITY,
                                "IDEMPOTENCY_KEY_REUSED",
                                "Idempotency-Key",
                                "这个幂等键已用于另一个请求",
                                "this Idempotency-Key was used for a different request",
                            ));
                        }
                        let answer: Value = serde_json::from_str(kept[1].text().unwrap_or("null")).map_err(ApiError::internal)?;
                        return Ok((answer, true));
                    }
                }
                let now = clock::now();
                let rules = app.rules(tx)?;
                let ctx = Ctx { engine: &app.engine, rules: &rules, now };
                let answer = f(app, tx, &ctx, &self.member)?;
                if let Some(key) = &self.key {
                    tx.exec(
                        "INSERT INTO idempotency (member_id, key, route, request_sha256, status, response, created_at) \
                         VALUES ($1, $2, '', $3, 200, $4, $5)",
                        &[self.member.as_str().into(), key.into(), self.request.as_str().into(), answer.to_string().into(), now.into()],
                    )?;
                }
                Ok((answer, false))
            })?;
            let (answer, replayed) = replayed;
            let mut response = Json(answer).into_response();
            if replayed {
                response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            }
            Ok(response)
        })
    }
}

fn event(kind: &str, fields: Value) -> Map<String, Value> {
    let mut event = match fields {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    event.insert("type".into(), json!(kind));
    event
}

/// Place an order: the cart, and what the client was shown
/// (`expect_payable`, `expect_fingerprint`). The engine re-prices it under
/// the rules in force and refuses any difference (QUOTE_MISMATCH,
/// RULES_CHANGED: both figures in the message).
async fn place_order(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Answer {
    let booking = Booking::new(&app, &headers, "POST /api/orders", &body)?;
    let body = object(&body)?;
    let cart = body
        .get("cart")
        .cloned()
        .ok_or_else(|| ApiError::bad_request("FIELD_REQUIRED", "cart", "缺少购物车 `cart`", "`cart` is required"))?;
    let expect_payable = body.get("expect_payable").cloned();
    let expect_fingerprint = body.get("expect_fingerprint").cloned();
    if expect_payable.is_none() || expect_fingerprint.is_none() {
        return Err(ApiError::bad_request(
            "FIELD_REQUIRED",
            if expect_payable.is_none() { "expect_payable" } else { "expect_fingerprint" },
            "下单须带上所见的应付金额 `expect_payable` 和规则指纹 `expect_fingerprint`",
            "an order carries the payable and the rules' fingerprint the shopper was shown: `expect_payable`, `expect_fingerprint`",
        ));
    }
    booking
        .run(app, move |_, tx, ctx, member| {
            // Numbered per member, under the member's row lock the booking
            // already holds: a shop-wide counter's row would be locked
            // until commit, engine call included, and every order in the
            // shop would wait on it (PostgreSQL: 530 → 1,100 orders/s).
            let order = format!("o-{member}-{}", ledger::next(tx, &format!("next:order:{member}"))?);
            let answer = ledger::book(
                tx,
                ctx,
                member,
                event("order_placed", json!({"order": order, "cart": cart, "expect_payable": expect_payable, "expect_fingerprint": expect_fingerprint})),
            )?;
            let placed = &answer["member"]["orders"][&order];
            let payable = placed["payable"].as_i64().unwrap_or(0);
            tx.exec(
                "INSERT INTO orders (id, member_id, status, payable, fingerprint, placed_at, updated_at) VALUES ($1, $2, 'placed', $3, $4, $5, $5)",
                &[order.as_str().into(), member.into(), payable.into(), ctx.rules.fingerprint.as_str().into(), ctx.now.into()],
            )?;
            Ok(json!({"order": order, "payable": payable, "fingerprint": ctx.rules.fingerprint, "status": "placed", "member": answer["member"], "effects": answer["effects"]}))
        })
        .await
}

async fn orders(State(app): State<Arc<App>>, headers: HeaderMap) -> Answer {
    let member = member_of(&app, &headers)?;
    blocking(app, move |app| {
        let rows = app.db.read(|tx| {
            tx.rows("SELECT id, status, payable, fingerprint, placed_at, updated_at FROM orders WHERE member_id = $1 ORDER BY placed_at DESC, id DESC", &[member.as_str().into()])
        })?;
        let list: Vec<Value> = rows
            .iter()
            .map(|r| json!({"order": r[0].text(), "status": r[1].text(), "payable": r[2].int(), "fingerprint": r[3].text(), "placed_at": r[4].int(), "updated_at": r[5].int()}))
            .collect();
        ok(json!({ "orders": list }))
    })
    .await
}

/// Move the order `from` one of `states` to `to`, or refuse.
fn order_status(tx: &mut dyn Tx, member: &str, order: &str, from: &[&str], to: &str, now: i64) -> Result<(), ApiError> {
    let row = tx.row("SELECT status FROM orders WHERE id = $1 AND member_id = $2", &[order.into(), member.into()])?;
    let status = row
        .and_then(|r| r.into_iter().next())
        .and_then(Cell::into_text)
        .ok_or_else(|| ApiError::not_found("订单", "order", "order"))?;
    if !from.contains(&status.as_str()) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "ORDER_STATUS",
            "order",
            format!("订单状态为 {status}，不能变为 {to}"),
            format!("the order is {status}; it cannot become {to}"),
        ));
    }
    tx.exec("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3", &[to.into(), now.into(), order.into()])?;
    Ok(())
}

/// Pay (simulated): the host's step; the engine books nothing until the
/// order completes.
async fn pay(State(app): State<Arc<App>>, headers: HeaderMap, Path(order): Path<String>) -> Answer {
    let booking = Booking::new(&app, &headers, &format!("POST /api/orders/{order}/pay"), &Bytes::new())?;
    booking
        .run(app, move |_, tx, ctx, member| {
            order_status(tx, member, &order, &["placed"], "paid", ctx.now)?;
            Ok(json!({"order": order, "status": "paid"}))
        })
        .await
}

async fn complete(State(app): State<Arc<App>>, headers: HeaderMap, Path(order): Path<String>) -> Answer {
    let booking = Booking::new(&app, &headers, &format!("POST /api/orders/{order}/complete"), &Bytes::new())?;
    booking
        .run(app, move |_, tx, ctx, member| {
            // A partly refunded order completes too: the engine credits the
            // units left (docs/rules.md §3.7).
            order_status(tx, member, &order, &["paid", "partly_refunded"], "completed", ctx.now)?;
            let answer = ledger::book(tx, ctx, member, event("order_completed", json!({ "order": order })))?;
            Ok(json!({"order": order, "status": "completed", "member": answer["member"], "effects": answer["effects"]}))
        })
        .await
}

/// Refund lines (`{"lines": [{"line", "quantity"}]}`; none: all that is
/// left): the engine's receipt says what goes back.
async fn refund(State(app): State<Arc<App>>, headers: HeaderMap, Path(order): Path<String>, body: Bytes) -> Answer {
    let booking = Booking::new(&app, &headers, &format!("POST /api/orders/{order}/refund"), &body)?;
    let body = object(&body)?;
    let mut fields = json!({ "order": order });
    if let Some(lines) = body.get("lines") {
        fields["lines"] = lines.clone();
    }
    booking
        .run(app, move |_, tx, ctx, member| {
            // The host's side first: the member's own order. A placed,
            // unpaid order refunded is cancelled: its coupons and points go
            // back, and there is no money to pay back.
            let refundable = ["placed", "paid", "completed", "partly_refunded"];
            order_status(tx, member, &order, &refundable, "refunding", ctx.now)?;
            let answer = ledger::book(tx, ctx, member, event("order_refunded", fields.clone()))?;
            let full = answer["refund"]["fully_refunded"].as_bool().unwrap_or(false);
            let to = if full { "refunded" } else { "partly_refunded" };
            order_status(tx, member, &order, &["refunding"], to, ctx.now)?;
            Ok(json!({"order": order, "status": to, "refund": answer["refund"], "member": answer["member"], "effects": answer["effects"]}))
        })
        .await
}

/// Book one simple event on the signed-in member.
/// These routes read no body: the idempotency key is tied to the route
/// alone.
async fn simple(app: Arc<App>, headers: HeaderMap, route: String, kind: &'static str, fields: Value) -> Answer {
    let booking = Booking::new(&app, &headers, &route, &Bytes::new())?;
    booking.run(app, move |_, tx, ctx, member| ledger::book(tx, ctx, member, event(kind, fields.clone()))).await
}

async fn check_in(State(app): State<Arc<App>>, headers: HeaderMap) -> Answer {
    simple(app, headers, "POST /api/check-in".into(), "checked_in", json!({})).await
}

async fn mall(State(app): State<Arc<App>>, headers: HeaderMap, Path(item): Path<String>) -> Answer {
    simple(app, headers, format!("POST /api/mall/{item}"), "mall_exchanged", json!({ "item": item })).await
}

async fn membership(State(app): State<Arc<App>>, headers: HeaderMap, Path(plan): Path<String>) -> Answer {
    simple(app, headers, format!("POST /api/membership/{plan}"), "membership_purchased", json!({ "plan": plan })).await
}

/// Claim a coupon: the template's stock (if the operator set one) is taken
/// in the same transaction as the claim, so 100 concurrent claims of 10
/// left make exactly 10 coupons.
async fn claim(State(app): State<Arc<App>>, headers: HeaderMap, Path(template): Path<String>) -> Answer {
    let booking = Booking::new(&app, &headers, &format!("POST /api/coupons/{template}/claim"), &Bytes::new())?;
    booking
        .run(app, move |_, tx, ctx, member| {
            let mut fields = json!({ "template": template });
            if let Some(left) = ledger::take_one(tx, &format!("stock:{template}"))? {
                fields["stock_left"] = json!(left);
            }
            ledger::book(tx, ctx, member, event("coupon_claimed", fields))
        })
        .await
}

async fn rule_versions(State(app): State<Arc<App>>, headers: HeaderMap) -> Answer {
    admin(&app, &headers)?;
    blocking(app, |app| {
        let rows = app
            .db
            .read(|tx| tx.rows("SELECT version, fingerprint, uploaded_at FROM rules ORDER BY version DESC", &[]))?;
        let list: Vec<Value> = rows
            .iter()
            .map(|r| json!({"version": r[0].int(), "fingerprint": r[1].text(), "uploaded_at": r[2].int()}))
            .collect();
        ok(json!({ "versions": list }))
    })
    .await
}

async fn rule_version(State(app): State<Arc<App>>, headers: HeaderMap, Path(version): Path<String>) -> Answer {
    admin(&app, &headers)?;
    let version: i64 = version.parse().map_err(|_| ApiError::not_found("规则版本", "rules version", "version"))?;
    blocking(app, move |app| {
        let row = app.db.read(|tx| {
            tx.row("SELECT fingerprint, json, uploaded_at FROM rules WHERE version = $1", &[version.into()])
        })?;
        let row = row.ok_or_else(|| ApiError::not_found("规则版本", "rules version", "version"))?;
        let rules: Value = serde_json::from_str(row[1].text().unwrap_or("null")).map_err(ApiError::internal)?;
        ok(json!({"version": version, "fingerprint": row[0].text(), "uploaded_at": row[2].int(), "rules": rules}))
    })
    .await
}

/// Upload a rule set: validated by the engine (every problem, with its
/// path), then in force as the next version. The old versions stay.
async fn upload_rules(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Answer {
    admin(&app, &headers)?;
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::bad_request("BAD_JSON", "", "规则不是 UTF-8", "the rules are not UTF-8"))?;
    blocking(app, move |app| {
        let (version, check) = app.upload_rules(&text)?;
        ok(json!({"version": version, "check": check}))
    })
    .await
}

/// Set how many coupons of a template are left to claim.
async fn set_stock(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(template): Path<String>,
    body: Bytes,
) -> Answer {
    admin(&app, &headers)?;
    let body = object(&body)?;
    let stock =
        body.get("stock").and_then(Value::as_i64).filter(|n| (0..=1_000_000_000).contains(n)).ok_or_else(|| {
            ApiError::bad_request(
                "OUT_OF_RANGE",
                "stock",
                "`stock` 应为 0 到 10 亿的整数",
                "`stock` is an integer from 0 to 1,000,000,000",
            )
        })?;
    blocking(app, move |app| {
        let name = format!("stock:{template}");
        app.db.write(|tx| {
            let rules: Value = serde_json::from_str(&app.rules(tx)?.json).map_err(ApiError::internal)?;
            let known = rules["coupons"].as_array().is_some_and(|c| c.iter().any(|t| t["id"] == template.as_str()));
            if !known {
                return Err(ApiError::not_found("券模板", "coupon template", "template"));
            }
            tx.exec(
                "INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2",
                &[name.as_str().into(), stock.into()],
            )
        })?;
        ok(json!({"template": template, "stock": stock}))
    })
    .await
}
