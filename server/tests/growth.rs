//! Growth over the API: a share link binds once, whatever races it; the
//! poster's QR code carries the member's scene; the operator's views.

mod support;

use std::sync::{Arc, Barrier};
use std::thread;

use serde_json::json;
use support::{call, scalar, Server};

#[test]
fn an_invitee_scanned_by_two_inviters_at_once_is_bound_once() {
    let server = Arc::new(Server::start("bind-race"));
    let (_, ann) = server.member("ann");
    let (_, cy) = server.member("cy");
    let (bo_id, bo) = server.member("bo");
    let scenes: Vec<String> = [&ann, &cy]
        .iter()
        .map(|t| server.get("/api/me/scene", Some(t)).body["scene"].as_str().unwrap().to_string())
        .collect();
    let barrier = Arc::new(Barrier::new(8));
    let scans: Vec<_> = (0..8)
        .map(|i| {
            let (server, barrier, bo, scene) = (server.clone(), barrier.clone(), bo.clone(), scenes[i % 2].clone());
            thread::spawn(move || {
                barrier.wait();
                server.post("/api/scan", Some(&bo), json!({ "scene": scene }))
            })
        })
        .collect();
    let replies: Vec<_> = scans.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(replies.iter().all(|r| r.status == 200), "{replies:?}");
    let bound: Vec<_> = replies.iter().filter(|r| r.body["referral"]["bound"] == true).collect();
    assert_eq!(bound.len(), 1, "{replies:?}");
    let refused = replies.iter().filter(|r| r.body["referral"]["bound"] == false);
    assert!(refused.clone().all(|r| r.body["referral"]["error"]["code"] == "REFERRAL_ALREADY_BOUND"));
    let db = server.db();
    assert_eq!(scalar(&db, &format!("SELECT COUNT(*) FROM referral_bindings WHERE invitee = '{bo_id}'")), 1);
    support::assert_logs_replay_to_states(&server.database);
}

#[test]
fn arriving_by_a_share_link_binds_the_new_member_and_steps_the_inviters_task() {
    let server = Server::start("share-link");
    let (ann_id, ann) = server.member("ann");
    let scene = server.get("/api/me/scene", Some(&ann)).body["scene"].as_str().unwrap().to_string();
    let bo = call(
        &server.url("/api/members"),
        "POST",
        None,
        &[],
        Some(json!({"nickname": "bo", "password": "pw-bo-123", "scene": scene, "fingerprints": ["device:d1"]})),
    );
    assert_eq!(bo.status, 201, "{}", bo.body);
    assert_eq!(bo.body["scan"]["referral"]["bound"], true, "{}", bo.body);
    assert_eq!(bo.body["scan"]["referral"]["inviter"], ann_id);
    // The same device signing up again through the link is seen.
    let again = call(
        &server.url("/api/members"),
        "POST",
        None,
        &[],
        Some(json!({"nickname": "bo2", "password": "pw-bo-123", "scene": scene, "fingerprints": ["device:d1"]})),
    );
    assert_eq!(again.body["scan"]["referral"]["error"]["code"], "REFERRAL_DEVICE_SEEN", "{}", again.body);
    // Scanning one's own scene binds nothing.
    let own = server.post("/api/scan", Some(&ann), json!({ "scene": scene }));
    assert_eq!(own.body["referral"]["error"]["code"], "REFERRAL_SELF");
    // The inviter's invite task counts the friend as pending.
    let tasks = server.get("/api/me/invite-tasks", Some(&ann));
    assert_eq!(tasks.body["invite_tasks"][0]["pending"], 1, "{}", tasks.body);
    support::assert_logs_replay_to_states(&server.database);
}

#[test]
fn a_channel_scan_assigns_guides_in_turn_and_counts_in_the_statistics() {
    let server = Server::start("channel");
    let staff: Vec<String> = (0..3)
        .map(|i| {
            let (_, t) = server.member(&format!("c{i}"));
            let r = server.post("/api/scan", Some(&t), json!({"scene": "C35Z"}));
            assert_eq!(r.status, 200, "{}", r.body);
            r.body["contact"]["staff"].as_str().unwrap().to_string()
        })
        .collect();
    // The store's staff weigh 2 and 1: li, wang, li.
    assert_eq!(staff, ["guide-li", "guide-wang", "guide-li"]);
    // Scanning again keeps one's guide and does not move the counter.
    let (_, t) = server.member("c3");
    let first = server.post("/api/scan", Some(&t), json!({"scene": "C35Z"}));
    let again = server.post("/api/scan", Some(&t), json!({"scene": "C35Z"}));
    assert_eq!(first.body["contact"]["staff"], "guide-li", "the period starts again");
    assert_eq!(
        (again.body["contact"]["staff"].as_str(), again.body["contact"]["assigned_before"].as_bool()),
        (Some("guide-li"), Some(true))
    );
    let today = server.get("/api/status", None);
    assert_eq!(today.status, 200);
    let stats =
        call(&server.url("/api/admin/channels?from=2000-01-01&to=2199-12-31"), "GET", Some(&server.admin), &[], None);
    assert_eq!(stats.status, 200, "{}", stats.body);
    let store = stats.body["channels"].as_array().unwrap().iter().find(|c| c["channel"] == "store-xuhui").unwrap();
    assert_eq!(store["stats"]["scanned_contacts"], 4, "{store}");
    let alerts = call(&server.url("/api/admin/alerts?since=2000-01-01"), "GET", Some(&server.admin), &[], None);
    assert_eq!(alerts.status, 200, "{}", alerts.body);
    let member =
        call(&server.url("/api/admin/channels?from=2000-01-01&to=2199-12-31"), "GET", Some(&staff[0]), &[], None);
    assert_eq!(member.status, 403);
}

#[test]
fn the_poster_carries_the_members_scene_as_svg_and_png() {
    let server = Server::start("poster");
    let (_, ann) = server.member("茶友小林");
    let scene = server.get("/api/me/scene", Some(&ann)).body["scene"].as_str().unwrap().to_string();
    let svg =
        ureq::get(&server.url("/api/me/poster.svg")).set("Authorization", &format!("Bearer {ann}")).call().unwrap();
    assert_eq!(svg.content_type(), "image/svg+xml");
    let svg = svg.into_string().unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("茶友小林"), "{}", &svg[..200.min(svg.len())]);
    let png =
        ureq::get(&server.url("/api/me/poster.png")).set("Authorization", &format!("Bearer {ann}")).call().unwrap();
    assert_eq!(png.content_type(), "image/png");
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut png.into_reader(), &mut bytes).unwrap();
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&bytes).expect("a PNG");
    let found = siyu_host_wasmtime::poster::decode_qr(pixmap.width(), pixmap.height(), pixmap.data());
    assert_eq!(found, [format!("https://mall.example.com/s?scene={scene}")]);
}

#[test]
fn a_withdrawal_without_earnings_is_refused_by_the_rules() {
    let server = Server::start("withdraw");
    let (_, ann) = server.member("ann");
    let r = server.post("/api/me/withdrawals", Some(&ann), json!({"amount": 1000}));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body["error"]["code"].as_str().unwrap().starts_with("COMMISSION_")
            || r.body["error"]["code"] == "WITHDRAWAL_TOO_LARGE",
        "{}",
        r.body
    );
    assert_eq!(scalar(&server.db(), "SELECT COUNT(*) FROM withdrawals"), 0);
    let d = server.get("/api/me/distribution", Some(&ann));
    assert_eq!(d.status, 200);
}
