//! What users fear, against a real server process over loopback: coupons
//! oversold, one coupon or the same points spent twice, a retried order
//! booked twice, a crash losing or tearing a booking.

mod support;

use std::sync::{Arc, Barrier};
use std::thread;

use serde_json::{json, Value};
use support::{assert_logs_replay_to_states, call, scalar, Reply, Server};

/// Run `f(i)` on `n` threads released at once.
fn at_once(n: usize, f: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Vec<Reply> {
    let f = Arc::new(f);
    let barrier = Arc::new(Barrier::new(n));
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let (f, barrier) = (f.clone(), barrier.clone());
            thread::spawn(move || {
                barrier.wait();
                f(i)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn count(replies: &[Reply], status: u16) -> usize {
    replies.iter().filter(|r| r.status == status).count()
}

#[test]
fn a_hundred_claims_of_ten_coupons_make_ten() {
    let server = Arc::new(Server::start("claims"));
    assert_eq!(server.admin_put("/api/admin/stock/no-threshold-10", json!({"stock": 10})).status, 200);
    // 25 members, 4 claims each (the template allows 5 a member).
    let tokens: Vec<String> = (0..25).map(|i| server.member(&format!("m{i}")).1).collect();
    let s = server.clone();
    let replies = at_once(100, move |i| s.post("/api/coupons/no-threshold-10/claim", Some(&tokens[i % 25]), json!({})));
    assert_eq!(count(&replies, 200), 10, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    assert!(replies.iter().filter(|r| r.status != 200).all(|r| r.status == 409 && r.code() == "COUPON_OUT_OF_STOCK"));
    let db = server.db();
    assert_eq!(scalar(&db, "SELECT value FROM counters WHERE name = 'stock:no-threshold-10'"), 0);
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM events WHERE json LIKE '%\"coupon_claimed\"%'"), 10);
    assert_logs_replay_to_states(&server.database);
}

/// A cart whose best price uses the member's one coupon and all their points.
fn cart() -> Value {
    json!({
        "lines": [{"sku": "tea-longjing", "category": "tea", "unit_price": 16800, "quantity": 3}],
        "coupons": "best",
        "points": "max"
    })
}

#[test]
fn one_coupon_and_the_same_points_in_two_orders_at_once_book_one() {
    let server = Arc::new(Server::start("double-spend"));
    let (_, token) = server.member("ann");
    assert_eq!(server.post("/api/coupons/no-threshold-10/claim", Some(&token), json!({})).status, 200);
    let quote = server.post("/api/quote", Some(&token), json!({ "cart": cart() }));
    assert_eq!(quote.status, 200, "{}", quote.body);
    assert!(quote.body["totals"]["coupon_discount"].as_i64().unwrap() > 0, "the quote uses the coupon");
    let order = json!({
        "cart": cart(),
        "expect_payable": quote.body["totals"]["payable"],
        "expect_fingerprint": quote.body["fingerprint"],
    });
    let s = server.clone();
    let replies = at_once(8, move |_| s.post("/api/orders", Some(&token), order.clone()));
    assert_eq!(count(&replies, 200), 1);
    assert!(replies.iter().filter(|r| r.status != 200).all(|r| r.code() == "QUOTE_MISMATCH"), "{replies:?}");
    assert_logs_replay_to_states(&server.database);
}

#[test]
fn a_retried_order_is_booked_once() {
    let server = Arc::new(Server::start("idempotency"));
    let (_, token) = server.member("bo");
    let quote = server.post("/api/quote", Some(&token), json!({ "cart": cart() }));
    let order = json!({
        "cart": cart(),
        "expect_payable": quote.body["totals"]["payable"],
        "expect_fingerprint": quote.body["fingerprint"],
    });
    let (s, t, o) = (server.clone(), token.clone(), order.clone());
    let replies = at_once(10, move |_| {
        call(&s.url("/api/orders"), "POST", Some(&t), &[("Idempotency-Key", "order-1")], Some(o.clone()))
    });
    assert!(replies.iter().all(|r| r.status == 200), "{replies:?}");
    assert!(replies.iter().all(|r| r.body == replies[0].body), "every retry gets the first answer");
    assert_eq!(replies.iter().filter(|r| !r.replayed).count(), 1, "one booked, nine replayed");
    let orders = server.get("/api/orders", Some(&token));
    assert_eq!(orders.body["orders"].as_array().unwrap().len(), 1);
    // The same key with another body is refused.
    let mut other = order.clone();
    other["expect_payable"] = json!(1);
    let reused = call(&server.url("/api/orders"), "POST", Some(&token), &[("Idempotency-Key", "order-1")], Some(other));
    assert_eq!((reused.status, reused.code()), (422, "IDEMPOTENCY_KEY_REUSED"));
}

#[test]
fn a_killed_server_loses_no_committed_booking_and_tears_none() {
    let server = Server::start("kill");
    assert_eq!(server.admin_put("/api/admin/stock/no-threshold-10", json!({"stock": 40})).status, 200);
    let tokens: Vec<String> = (0..8).map(|i| server.member(&format!("k{i}")).1).collect();
    let base = server.base.clone();
    // Claims and check-ins in flight while the process is killed.
    let load: Vec<_> = (0..8)
        .map(|i| {
            let (base, token) = (base.clone(), tokens[i].clone());
            thread::spawn(move || {
                let mut ok = 0;
                for _ in 0..10 {
                    let path = if ok % 2 == 0 { "/api/coupons/no-threshold-10/claim" } else { "/api/check-in" };
                    let r = std::panic::catch_unwind(|| {
                        call(&format!("{base}{path}"), "POST", Some(&token), &[], Some(json!({})))
                    });
                    match r {
                        Ok(r) if r.status == 200 => ok += 1,
                        Ok(_) => {}
                        Err(_) => break, // the server is gone
                    }
                }
                ok
            })
        })
        .collect();
    thread::sleep(std::time::Duration::from_millis(150));
    let (data, database) = server.kill();
    for t in load {
        let _ = t.join();
    }
    // Restarted on the same database: every log replays to its state, and
    // the stock counter agrees with the coupons booked.
    let server = Server::start_on(data, database);
    assert_eq!(server.get("/api/status", None).status, 200);
    assert_logs_replay_to_states(&server.database);
    let db = server.db();
    let left = scalar(&db, "SELECT value FROM counters WHERE name = 'stock:no-threshold-10'");
    let claimed = scalar(&db, "SELECT COUNT(*) FROM events WHERE json LIKE '%\"coupon_claimed\"%'");
    assert!(claimed > 0, "some claims were booked before the kill");
    assert_eq!(left + claimed, 40);
}

/// The way a merchant scales out: two server processes on one database
/// (PostgreSQL under scripts/test-server.sh's second run; one SQLite file
/// under the first).
#[test]
fn two_servers_on_one_database_oversell_nothing_and_spend_nothing_twice() {
    let a = Arc::new(Server::start("two-servers"));
    let b = Arc::new(Server::start_on(support::data_dir("two-servers-b"), a.database.clone()));
    assert_eq!(a.admin, b.admin, "the admin token is the database's");
    assert_eq!(a.admin_put("/api/admin/stock/no-threshold-10", json!({"stock": 10})).status, 200);
    let tokens: Vec<String> = (0..20).map(|i| a.member(&format!("t{i}")).1).collect();
    let (a2, b2, t2) = (a.clone(), b.clone(), tokens.clone());
    let replies = at_once(60, move |i| {
        let server = if i % 2 == 0 { &a2 } else { &b2 };
        server.post("/api/coupons/no-threshold-10/claim", Some(&t2[i % 20]), json!({}))
    });
    assert_eq!(
        count(&replies, 200),
        10,
        "{:?}",
        replies.iter().map(|r| (r.status, r.code().to_string())).collect::<Vec<_>>()
    );
    assert_eq!(scalar(&a.db(), "SELECT value FROM counters WHERE name = 'stock:no-threshold-10'"), 0);

    // One member's coupon and points, ordered on both servers at once.
    let token = tokens.iter().find(|t| {
        let wallet = a.get("/api/me/wallet", Some(t));
        wallet.body.to_string().contains("no-threshold-10")
    });
    let token = token.expect("a member who claimed one").clone();
    let quote = b.post("/api/quote", Some(&token), json!({ "cart": cart() }));
    let order = json!({"cart": cart(), "expect_payable": quote.body["totals"]["payable"], "expect_fingerprint": quote.body["fingerprint"]});
    let (a3, b3) = (a.clone(), b.clone());
    let replies = at_once(8, move |i| {
        let server = if i % 2 == 0 { &a3 } else { &b3 };
        server.post("/api/orders", Some(&token), order.clone())
    });
    assert_eq!(count(&replies, 200), 1, "{replies:?}");
    assert_logs_replay_to_states(&a.database);
}
