//! The API as a client meets it: the happy path of an order, the
//! refusals of a hostile or careless client, and rules that change under
//! an open cart.

mod support;

use serde_json::{json, Value};
use support::{call, Server};

fn cart() -> Value {
    serde_json::from_str(include_str!("../../src/demo/cart.json")).unwrap()
}

#[test]
fn status_names_the_module_and_the_rules() {
    let server = Server::start("status");
    let s = server.get("/api/status", None);
    assert_eq!(s.status, 200);
    let pinned = std::fs::read_to_string(support::wasm().with_extension("wasm.sha256")).unwrap();
    assert_eq!(s.body["wasm_sha256"].as_str().unwrap(), pinned.split_whitespace().next().unwrap());
    let kind = if std::env::var("SIYU_TEST_POSTGRES").is_ok() { "postgres" } else { "sqlite" };
    assert_eq!(s.body["db"], kind);
    assert_eq!(s.body["rules"]["version"], 1);
    assert!(s.body["rules"]["fingerprint"].as_str().unwrap().starts_with("sha256:"));
}

#[test]
fn an_order_is_quoted_placed_paid_completed_and_refunded() {
    let server = Server::start("order");
    let (member, token) = server.member("小林");
    let claim = server.post("/api/coupons/new-20/claim", Some(&token), json!({}));
    assert_eq!(claim.status, 200, "{}", claim.body);
    let quote = server.post("/api/quote", Some(&token), json!({ "cart": cart() }));
    assert_eq!(quote.status, 200);
    let payable = quote.body["totals"]["payable"].as_i64().unwrap();
    let fingerprint = quote.body["fingerprint"].clone();

    // What the client claims is checked: a lower payable is refused with both figures.
    let cheaper = server.post(
        "/api/orders",
        Some(&token),
        json!({"cart": cart(), "expect_payable": payable - 100, "expect_fingerprint": fingerprint}),
    );
    assert_eq!((cheaper.status, cheaper.code()), (409, "QUOTE_MISMATCH"));
    let en = cheaper.body["error"]["en"].as_str().unwrap();
    assert!(en.contains(&format!("¥{}.{:02}", payable / 100, payable % 100)), "{en}");

    let placed = server.post(
        "/api/orders",
        Some(&token),
        json!({"cart": cart(), "expect_payable": payable, "expect_fingerprint": fingerprint}),
    );
    assert_eq!(placed.status, 200, "{}", placed.body);
    assert_eq!(placed.body["payable"], payable);
    let order = placed.body["order"].as_str().unwrap().to_string();
    // Not paid yet: it cannot complete.
    let early = server.post(&format!("/api/orders/{order}/complete"), Some(&token), json!({}));
    assert_eq!((early.status, early.code()), (409, "ORDER_STATUS"));
    assert_eq!(server.post(&format!("/api/orders/{order}/pay"), Some(&token), json!({})).status, 200);
    let done = server.post(&format!("/api/orders/{order}/complete"), Some(&token), json!({}));
    assert_eq!(done.status, 200);
    let history = done.body["member"]["points"]["history"].as_array().unwrap();
    assert!(history.iter().any(|h| h["reference"] == format!("order:{order}")), "the order's points are earned");
    let refund = server.post(
        &format!("/api/orders/{order}/refund"),
        Some(&token),
        json!({"lines": [{"line": 0, "quantity": 1}]}),
    );
    assert_eq!(refund.status, 200, "{}", refund.body);
    assert_eq!(refund.body["status"], "partly_refunded");
    assert!(refund.body["refund"]["money"].as_i64().unwrap() > 0);

    // A second order, paid, one line refunded, then completed: the units
    // left earn their points.
    let quote = server.post("/api/quote", Some(&token), json!({ "cart": cart() }));
    let second = server.post(
        "/api/orders",
        Some(&token),
        json!({"cart": cart(), "expect_payable": quote.body["totals"]["payable"], "expect_fingerprint": quote.body["fingerprint"]}),
    );
    let second = second.body["order"].as_str().unwrap().to_string();
    assert_eq!(server.post(&format!("/api/orders/{second}/pay"), Some(&token), json!({})).status, 200);
    let part = server.post(
        &format!("/api/orders/{second}/refund"),
        Some(&token),
        json!({"lines": [{"line": 1, "quantity": 1}]}),
    );
    assert_eq!(part.body["status"], "partly_refunded", "{}", part.body);
    let done = server.post(&format!("/api/orders/{second}/complete"), Some(&token), json!({}));
    assert_eq!(done.status, 200, "{}", done.body);
    // A third, placed and cancelled before paying: its points come back.
    let quote = server.post("/api/quote", Some(&token), json!({ "cart": cart() }));
    let third = server.post(
        "/api/orders",
        Some(&token),
        json!({"cart": cart(), "expect_payable": quote.body["totals"]["payable"], "expect_fingerprint": quote.body["fingerprint"]}),
    );
    let third = third.body["order"].as_str().unwrap().to_string();
    let cancelled = server.post(&format!("/api/orders/{third}/refund"), Some(&token), json!({}));
    assert_eq!(cancelled.body["status"], "refunded", "{}", cancelled.body);

    let history = server.get("/api/me/points", Some(&token));
    assert_eq!(history.status, 200);
    let wallet = server.get("/api/me/wallet", Some(&token));
    assert_eq!(wallet.status, 200);
    let me = server.get("/api/me", Some(&token));
    assert_eq!(me.body["id"], member);
    support::assert_logs_replay_to_states(&server.database);
}

#[test]
fn rules_changed_under_an_open_cart_are_refused_not_booked() {
    let server = Server::start("rules-change");
    let (_, token) = server.member("cai");
    let quote = server.post("/api/quote", Some(&token), json!({ "cart": cart() }));
    let old = quote.body["fingerprint"].clone();
    let mut rules: Value = serde_json::from_str(siyu_server::DEMO_RULES).unwrap();
    rules["shipping"]["fee"] = json!(1200);
    let up = server.admin_put("/api/admin/rules", rules);
    assert_eq!(up.status, 200, "{}", up.body);
    assert_eq!(up.body["version"], 2);
    let placed = server.post(
        "/api/orders",
        Some(&token),
        json!({"cart": cart(), "expect_payable": quote.body["totals"]["payable"], "expect_fingerprint": old}),
    );
    assert_eq!((placed.status, placed.code()), (409, "RULES_CHANGED"), "{}", placed.body);
    // The old version stays readable.
    let v1 = call(&server.url("/api/admin/rules/1"), "GET", Some(&server.admin), &[], None);
    assert_eq!(v1.body["fingerprint"], old);
}

#[test]
fn invalid_rules_are_refused_with_every_problem() {
    let server = Server::start("bad-rules");
    let up = server.admin_put("/api/admin/rules", json!({"schema": 1, "membership": {"tiers": []}}));
    assert_eq!(up.status, 422, "{}", up.body);
    assert!(!up.body["error"]["problems"].as_array().unwrap().is_empty());
    assert_eq!(server.get("/api/status", None).body["rules"]["version"], 1);
}

#[test]
fn hostile_and_careless_requests_are_refused() {
    let server = Server::start("hostile");
    let (_, ann) = server.member("ann");
    let (_, bo) = server.member("bo");
    let quote = server.post("/api/quote", Some(&ann), json!({ "cart": cart() }));
    let placed = server.post(
        "/api/orders",
        Some(&ann),
        json!({"cart": cart(), "expect_payable": quote.body["totals"]["payable"], "expect_fingerprint": quote.body["fingerprint"]}),
    );
    let order = placed.body["order"].as_str().unwrap().to_string();
    let written = || {
        let db = server.db();
        ["members", "events", "orders", "counters", "idempotency"]
            .map(|t| support::scalar(&db, &format!("SELECT COUNT(*) FROM {t}")))
    };
    let before = written();

    // Malformed JSON, the wrong shape, a missing field, a wrong type.
    let r = call(&server.url("/api/members"), "POST", None, &[], None);
    assert_eq!((r.status, r.code()), (400, "FIELD_REQUIRED"));
    let r = ureq::post(&server.url("/api/quote")).send_string("{\"cart\":");
    let Err(ureq::Error::Status(400, r)) = r else { panic!("malformed JSON must be 400") };
    assert!(r.into_string().unwrap().contains("BAD_JSON"));
    assert_eq!(server.post("/api/quote", None, json!([1])).code(), "BAD_JSON");
    let r = server.post("/api/members", None, json!({"nickname": 5, "password": "pw"}));
    assert_eq!((r.status, r.code()), (400, "FIELD_REQUIRED"));
    let r = server.post("/api/scan", Some(&ann), json!({"scene": "M1C", "fingerprints": [1]}));
    assert_eq!((r.status, r.code()), (400, "WRONG_TYPE"));
    let r = server.post(&format!("/api/orders/{order}/refund"), Some(&ann), json!({"lines": "all"}));
    assert_eq!(r.status, 422, "the engine reads the lines: {}", r.body);
    let r = server.post("/api/scan", Some(&ann), json!({"scene": "M1C", "fingerprints": vec!["device:x"; 17]}));
    assert_eq!((r.status, r.code()), (400, "TOO_MANY"));
    // An oversized body.
    let status = support::raw_status(&server, "POST /api/quote", siyu_server::api::MAX_BODY + 1);
    assert!(status.starts_with("HTTP/1.1 413") && status.contains("BODY_TOO_LARGE"), "{status}");
    // No token, a forged one, an expired-looking one.
    assert_eq!(server.post("/api/check-in", None, json!({})).status, 401);
    let forged = format!("{}0", &ann[..ann.len() - 1]);
    assert_eq!(server.post("/api/check-in", Some(&forged), json!({})).status, 401);
    assert_eq!(server.post("/api/check-in", Some("m-1.1.00"), json!({})).status, 401);
    // Another member's order is not found, and not paid.
    let r = server.post(&format!("/api/orders/{order}/pay"), Some(&bo), json!({}));
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
    let r = server.post(&format!("/api/orders/{order}/refund"), Some(&bo), json!({}));
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND"), "{}", r.body);
    // A member on admin routes.
    let r = call(&server.url("/api/admin/rules"), "GET", Some(&ann), &[], None);
    assert_eq!((r.status, r.code()), (403, "FORBIDDEN"));
    let r = call(&server.url("/api/admin/stock/new-20"), "PUT", Some(&ann), &[], Some(json!({"stock": 5})));
    assert_eq!((r.status, r.code()), (403, "FORBIDDEN"));
    // A wrong password.
    let r = server.post("/api/sessions", None, json!({"member": "m-1", "password": "nope"}));
    assert_eq!(r.status, 401);
    // The engine's refusals pass through with their path and both languages.
    let r = server.post("/api/quote", Some(&ann), json!({"cart": {"lines": []}}));
    assert_eq!(r.status, 422);
    assert!(r.body["error"]["zh"].is_string() && r.body["error"]["en"].is_string(), "{}", r.body);
    // An unknown route, a wrong method, a path parameter that does not
    // parse, an unknown template's stock: all in the one JSON shape.
    assert_eq!(server.get("/api/nothing", None).code(), "NOT_FOUND");
    let r = call(&server.url("/api/quote"), "GET", None, &[], None);
    assert_eq!((r.status, r.code()), (405, "METHOD_NOT_ALLOWED"));
    let r = call(&server.url("/api/admin/rules/x"), "GET", Some(&server.admin), &[], None);
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
    let r = server.admin_put("/api/admin/stock/no-such-template", json!({"stock": 5}));
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
    let r = server.admin_put("/api/admin/stock/new-20", json!({"stock": -1}));
    assert_eq!((r.status, r.code()), (400, "OUT_OF_RANGE"));
    let r = call(&server.url("/api/admin/alerts"), "GET", Some(&ann), &[], None);
    assert_eq!(r.status, 403, "the token is checked before the query");
    let r = call(&server.url("/api/admin/alerts"), "GET", Some(&server.admin), &[], None);
    assert_eq!((r.status, r.code()), (400, "FIELD_REQUIRED"));

    assert_eq!(written(), before, "no refused request wrote anything");
}
