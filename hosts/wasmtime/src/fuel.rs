//! Instructions (wasmtime fuel) per operation, and peak linear memory.
//!
//! The workload, built from the demo rules (`src/demo/rules.json`):
//! - the rules plus six `bench-*` coupon templates, so one member can hold 20
//!   coupons (the demo templates alone allow 14 per member);
//! - a gold member made by `replay` of 25 events through the raw face itself:
//!   joined, profile (birthday 11-03, tag tea-lover), the new-member coupon,
//!   a 20-teapot order that makes them gold, and 20 coupon claims;
//! - carts of 10, 50 and 200 lines cycling through the catalog (quantities
//!   1, 2, 3), `"coupons": "best"` (exhaustive best-combination search over
//!   the wallet) and `"points": "max"`, priced at 2026-11-25 12:00 +08:00,
//!   when every demo campaign (flash sale, limited discount, second-unit
//!   half price, full reductions) is running.
//!
//! Every figure is measured on a fresh instance, so the allocator starts in
//! the same state and the count is exactly reproducible for a given `.wasm`
//! and wasmtime version. Only `siyu_call` is counted (not the host's
//! `siyu_alloc`/`siyu_free` calls around it).

use serde_json::{json, Value};

use crate::{Failure, Result, Wasm};

/// Shopify Functions' per-run instruction limit, the yardstick.
pub const SHOPIFY_LIMIT: u64 = 11_000_000;
/// Shopify Functions' linear memory limit.
pub const MEMORY_LIMIT: u64 = 10 << 20;

/// 2026-11-01T10:00:00+08:00, in UTC milliseconds.
const JOINED: i64 = 1_793_498_400_000;
const ORDERED: i64 = 1_793_584_800_000; // 2026-11-02T10:00+08:00
const COMPLETED: i64 = 1_794_276_000_000; // 2026-11-10T10:00+08:00
const CLAIMED: i64 = 1_795_485_600_000; // 2026-11-24T10:00+08:00
/// 2026-11-25T12:00:00+08:00: the moment every quote is priced at.
pub const NOW: i64 = 1_795_579_200_000;

pub struct Row {
    /// short file-name-safe label, e.g. `quote-200-best`
    pub key: String,
    /// the exact input text passed to `siyu_call`
    pub input: String,
    pub op: String,
    pub what: String,
    pub fuel: u64,
    pub input_bytes: usize,
    pub output_bytes: usize,
    /// linear memory of the fresh instance before / after the call
    pub memory_before: u64,
    pub memory_after: u64,
    /// for quotes: the coupons the search chose
    pub chosen: Vec<String>,
}

pub struct FuelReport {
    pub wasm_sha256: String,
    pub wasm_bytes: usize,
    pub initial_memory: u64,
    pub rows: Vec<Row>,
}

fn templates() -> Vec<Value> {
    vec![
        json!({"id": "bench-snacks-90", "name": "零食 9 折券（最高减 20）", "kind": {"type": "percent_off", "pay_bp": 9000, "cap": 2000}, "scope": {"categories": ["snacks"]}, "validity": {"type": "days", "days": 30}}),
        json!({"id": "bench-teaware-300-40", "name": "茶具满 300 减 40", "kind": {"type": "amount_off", "amount": 4000, "threshold": 30000}, "scope": {"categories": ["teaware"]}, "validity": {"type": "days", "days": 30}}),
        json!({"id": "bench-tea-100-15", "name": "茶叶满 100 减 15", "kind": {"type": "amount_off", "amount": 1500, "threshold": 10000}, "scope": {"categories": ["tea"]}, "validity": {"type": "days", "days": 30}}),
        json!({"id": "bench-500-80", "name": "满 500 减 80", "kind": {"type": "amount_off", "amount": 8000, "threshold": 50000}, "validity": {"type": "days", "days": 30}}),
        json!({"id": "bench-1000-150", "name": "满 1000 减 150", "kind": {"type": "amount_off", "amount": 15000, "threshold": 100000}, "validity": {"type": "days", "days": 30}}),
        json!({"id": "bench-95", "name": "全场 9.5 折（最高减 100）", "kind": {"type": "percent_off", "pay_bp": 9500, "cap": 10000}, "validity": {"type": "days", "days": 30}}),
    ]
}

/// The demo rules plus the six bench templates.
pub fn bench_rules(demo: &Value) -> Value {
    let mut rules = demo.clone();
    if let Some(c) = rules["coupons"].as_array_mut() {
        c.extend(templates());
    }
    rules
}

/// The member's event log: 25 events, ending with 20 coupon claims.
pub fn events() -> Vec<Value> {
    let mut ev: Vec<Value> = Vec::new();
    let mut push = |at: i64, mut e: Value| {
        e["id"] = json!(format!("e{}", ev.len() + 1));
        e["at"] = json!(at);
        ev.push(e);
    };
    push(JOINED, json!({"type": "joined", "member": "m-bench"}));
    push(JOINED + 60_000, json!({"type": "profile_set", "birthday": "11-03", "tags": ["tea-lover"]}));
    push(JOINED + 120_000, json!({"type": "coupon_claimed", "template": "new-20"}));
    push(ORDERED, json!({"type": "order_placed", "order": "o1", "cart": {"lines": [
        {"sku": "pot-clay", "category": "teaware", "unit_price": 32800, "quantity": 20}], "coupons": "none"}}));
    push(COMPLETED, json!({"type": "order_completed", "order": "o1"}));
    let mut claims = vec!["full-200-30", "full-200-30", "tea-85"];
    claims.extend(["no-threshold-10"; 5]);
    claims.extend(["ship-free", "gold-50", "birthday-30", "jasmine-swap", "day18-88"]);
    claims.extend(["bench-snacks-90", "bench-teaware-300-40", "bench-tea-100-15", "bench-500-80", "bench-1000-150", "bench-95"]);
    for (i, t) in claims.into_iter().enumerate() {
        push(CLAIMED + i as i64 * 60_000, json!({"type": "coupon_claimed", "template": t}));
    }
    ev
}

/// A cart of `n` lines cycling through the catalog.
pub fn cart(rules: &Value, n: usize, coupons: &str) -> Value {
    let catalog = rules["catalog"].as_array().cloned().unwrap_or_default();
    let lines: Vec<Value> = (0..n)
        .map(|i| {
            let c = &catalog[i % catalog.len()];
            json!({"sku": c["sku"], "category": c["category"], "unit_price": c["price"], "quantity": 1 + i % 3})
        })
        .collect();
    json!({"lines": lines, "coupons": coupons, "points": "max"})
}

fn ok(op: &str, text: &str) -> Result<Value> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("{op}: the answer is not JSON: {e}"))?;
    match v.get("ok") {
        Some(o) => Ok(o.clone()),
        None => Err(format!("{op} failed: {}", text.chars().take(400).collect::<String>())),
    }
}

/// One measured call on a fresh instance.
fn measure(wasm: &Wasm, key: &str, op: &str, what: &str, input: &Value) -> Result<(Row, Value)> {
    let mut s = wasm.instantiate()?;
    let text = input.to_string();
    let before = s.memory_bytes();
    let a = s.call(op, text.as_bytes()).map_err(|Failure(e)| e)?;
    let after = s.memory_bytes();
    let out = ok(op, &a.text)?;
    let chosen = out["coupons"]["applied"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["template"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let row = Row {
        key: key.into(),
        input: text.clone(),
        op: op.into(),
        what: what.into(),
        fuel: a.fuel,
        input_bytes: text.len(),
        output_bytes: a.text.len(),
        memory_before: before,
        memory_after: after,
        chosen,
    };
    Ok((row, out))
}

pub fn run(wasm: &Wasm) -> Result<FuelReport> {
    let demo_text = std::fs::read_to_string("src/demo/rules.json").map_err(|e| format!("src/demo/rules.json (run from the repository root): {e}"))?;
    let demo: Value = serde_json::from_str(&demo_text).map_err(|e| format!("src/demo/rules.json: {e}"))?;
    let rules = bench_rules(&demo);
    let initial_memory = wasm.instantiate()?.memory_bytes();
    let mut rows = Vec::new();

    let (row, _) = measure(wasm, "validate_rules", "validate_rules", "demo rules + 6 bench coupon templates", &json!({"rules": rules}))?;
    rows.push(row);
    let (row, member) = measure(wasm, "replay", "replay", "25 events -> a gold member with 20 coupons", &json!({"rules": rules, "events": events()}))?;
    rows.push(row);
    let wallet = member["wallet"].as_array().map(Vec::len).unwrap_or(0);
    if wallet != 20 || member["tier"] != "gold" {
        return Err(format!("the replayed member should be gold with 20 coupons, is {} with {wallet}", member["tier"]));
    }
    let at_now = json!({"rules": rules, "member": member, "now": NOW});
    for op in ["member_summary", "points_history", "coupon_wallet"] {
        let (row, _) = measure(wasm, op, op, "that member", &at_now)?;
        rows.push(row);
    }
    let check_in = json!({"rules": rules, "member": member, "event": {"id": "e-bench", "at": NOW, "type": "checked_in"}});
    let (row, _) = measure(wasm, "apply_event", "apply_event", "a check-in on that member", &check_in)?;
    rows.push(row);
    for n in [10, 50, 200] {
        for (mode, who) in [("best", "member, 20 coupons, best combination"), ("none", "member, coupons none"), ("guest", "guest")] {
            let input = if mode == "guest" {
                json!({"rules": rules, "cart": cart(&rules, n, "none"), "now": NOW})
            } else {
                json!({"rules": rules, "member": member, "cart": cart(&rules, n, mode), "now": NOW})
            };
            let (row, _) = measure(wasm, &format!("quote-{n}-{mode}"), "quote", &format!("{n} lines, {who}"), &input)?;
            rows.push(row);
        }
    }
    Ok(FuelReport { wasm_sha256: wasm.sha256.clone(), wasm_bytes: wasm.bytes, initial_memory, rows })
}

fn mib(b: u64) -> String {
    format!("{:.2} MiB", b as f64 / (1 << 20) as f64)
}

impl FuelReport {
    /// Write every measured input as `DIR/<key>.json` = `{"op", "input"}`,
    /// so other hosts (Node, Chromium, native) can time the same work.
    pub fn dump(&self, dir: &std::path::Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for r in &self.rows {
            let input: Value = serde_json::from_str(&r.input).map_err(|e| e.to_string())?;
            let doc = json!({"op": r.op, "input": input, "fuel": r.fuel, "wasm_sha256": self.wasm_sha256});
            let path = dir.join(format!("{}.json", r.key));
            std::fs::write(&path, doc.to_string() + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(())
    }

    /// The row for the 200-line quote with the best-combination search.
    pub fn quote_200(&self) -> Option<&Row> {
        self.rows.iter().find(|r| r.op == "quote" && r.what.starts_with("200 lines, member, 20 coupons"))
    }

    /// Peak linear memory in the 200-line best-combination quote.
    pub fn peak_200(&self) -> u64 {
        self.quote_200().map(|r| r.memory_after).unwrap_or(0)
    }

    pub fn within_budget(&self) -> bool {
        self.rows.iter().filter(|r| r.op == "quote" && r.what.contains("best")).all(|r| r.fuel < SHOPIFY_LIMIT)
            && self.peak_200() < MEMORY_LIMIT
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("module sha256 {} ({} bytes)\n", self.wasm_sha256, self.wasm_bytes));
        out.push_str(&format!("linear memory of a fresh instance: {} B ({})\n\n", self.initial_memory, mib(self.initial_memory)));
        out.push_str(&format!("| {:<15} | {:<47} | {:>12} | {:>8} | {:>8} | {:>9} | {:>12} |\n", "operation", "input", "instructions", "% of 11M", "in bytes", "out bytes", "memory after"));
        out.push_str(&format!("|{:-<17}|{:-<49}|{:->13}:|{:->9}:|{:->9}:|{:->10}:|{:->13}:|\n", "", "", "", "", "", "", ""));
        for r in &self.rows {
            out.push_str(&format!(
                "| {:<15} | {:<47} | {:>12} | {:>7.1}% | {:>8} | {:>9} | {:>12} |\n",
                r.op,
                r.what,
                r.fuel,
                r.fuel as f64 * 100.0 / SHOPIFY_LIMIT as f64,
                r.input_bytes,
                r.output_bytes,
                mib(r.memory_after)
            ));
        }
        if let Some(r) = self.quote_200() {
            out.push_str(&format!("\n200-line quote: coupons chosen {:?}\n", r.chosen));
            out.push_str(&format!(
                "200-line quote: peak linear memory {} B ({}, {:.1}% of 10 MiB); {} before the call (fresh instance + input buffer)\n",
                r.memory_after,
                mib(r.memory_after),
                r.memory_after as f64 * 100.0 / MEMORY_LIMIT as f64,
                mib(r.memory_before)
            ));
        }
        out.push_str(&format!(
            "budget (each best-combination quote < 11,000,000 instructions, 200-line peak < 10 MiB): {}\n",
            if self.within_budget() { "met" } else { "NOT met" }
        ));
        out
    }

    pub fn to_json(&self) -> String {
        json!({
            "wasm_sha256": self.wasm_sha256,
            "wasm_bytes": self.wasm_bytes,
            "initial_memory": self.initial_memory,
            "peak_memory_quote_200": self.peak_200(),
            "within_budget": self.within_budget(),
            "rows": self.rows.iter().map(|r| json!({
                "op": r.op, "input": r.what, "fuel": r.fuel, "input_bytes": r.input_bytes,
                "output_bytes": r.output_bytes, "memory_before": r.memory_before,
                "memory_after": r.memory_after, "chosen": r.chosen,
            })).collect::<Vec<_>>(),
        })
        .to_string()
    }
}
