//! Lifecycle alerts for 100,000 members: `cargo bench --bench lifecycle`.
//!
//! The members (`members`) are generated deterministically: 0–12 orders
//! each, at gaps of 0–90 days and ¥0–¥500, joined up to two years before
//! `now`, so every segment and move occurs.
//!
//! - `alerts_100000`: `siyu::lifecycle_alerts` over all of them, in the ten
//!   pages of 10,000 a host would send, without JSON;
//! - `ops_alerts_100000`: the same ten pages through `ops::call` (JSON
//!   text in, rules parsed and validated, the batch checked, JSON out), as
//!   hosts call it.
//!
//! Results: `BENCHMARKS.md`.

use divan::{black_box, Bencher};
use serde_json::json;
use siyu::{demo, MemberOrders, OrderMark, Rules};

fn main() {
    divan::main();
}

const DAY: i64 = 86_400_000;
const NOW: i64 = demo::NOW;
const PAGE: usize = 10_000;
const MEMBERS: usize = 100_000;

/// A SplitMix64 step: the generator of `hosts/wasmtime/src/diff.rs`.
fn next(s: &mut u64) -> u64 {
    *s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *s;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub fn members(n: usize) -> Vec<MemberOrders> {
    let mut s = 16u64;
    (0..n)
        .map(|k| {
            let joined = NOW - (next(&mut s) % 730) as i64 * DAY;
            let mut at = joined;
            let mut orders = Vec::new();
            for _ in 0..next(&mut s) % 13 {
                at += (next(&mut s) % 91) as i64 * DAY + (next(&mut s) % DAY as u64) as i64;
                if at > NOW {
                    break;
                }
                orders.push(OrderMark { at, paid: (next(&mut s) % 50_000) as i64 });
            }
            MemberOrders { id: format!("m{k:06}"), joined_at: joined, orders }
        })
        .collect()
}

fn since() -> siyu::time::Date {
    siyu::time::Date::parse("2026-09-01").unwrap()
}

#[divan::bench(sample_count = 10)]
fn alerts_100000(b: Bencher) {
    let rules = Rules::parse(demo::RULES).unwrap();
    let ms = members(MEMBERS);
    b.bench(|| {
        let mut changed = 0;
        for page in ms.chunks(PAGE) {
            changed += siyu::lifecycle_alerts(&rules, since(), NOW, black_box(page)).changed.len();
        }
        changed
    });
}

#[divan::bench(sample_count = 10)]
fn ops_alerts_100000(b: Bencher) {
    let rules: serde_json::Value = serde_json::from_str(demo::RULES).unwrap();
    let pages: Vec<String> = members(MEMBERS)
        .chunks(PAGE)
        .map(|p| {
            let ms: Vec<_> = p
                .iter()
                .map(|m| {
                    let os: Vec<_> = m.orders.iter().map(|o| json!({"at": o.at, "paid": o.paid})).collect();
                    json!({"id": m.id, "joined_at": m.joined_at, "orders": os})
                })
                .collect();
            json!({"rules": rules, "since": "2026-09-01", "now": NOW, "members": ms}).to_string()
        })
        .collect();
    b.bench(|| {
        let mut bytes = 0;
        for p in &pages {
            bytes += siyu::ops::call("lifecycle_alerts", black_box(p)).len();
        }
        bytes
    });
}
