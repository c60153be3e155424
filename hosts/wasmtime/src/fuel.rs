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
//!
//! The gate: `quote-200-best` within the project's instruction budget and
//! its peak memory below the memory budget, both read from
//! `scripts/budgets.sh` ([`Budgets`]); `siyu-wasmtime fuel` exits 1 otherwise.

use serde_json::{json, Value};

use crate::{Failure, Result, Wasm};

/// Shopify Functions' per-run instruction limit: a yardstick (the table's
/// "% of 11M" column), not the gate; the gate is [`Budgets::quote_200`].
pub const SHOPIFY_LIMIT: u64 = 11_000_000;

/// Where the project's budgets are written, relative to the repository root
/// (shared with scripts/build-wasm.sh, which sources it).
pub const BUDGETS_FILE: &str = "scripts/budgets.sh";
/// The key of the row the budgets apply to.
pub const QUOTE_200: &str = "quote-200-best";
/// `quote-200-best` with its rules prepared first and named by fingerprint
/// (no gate: the unprepared row is the one the budget holds).
pub const QUOTE_200_PREPARED: &str = "quote-200-best-prepared";
/// The row of the demo invite poster's `render_poster` (its own budget).
pub const POSTER_INVITE: &str = "poster-invite";

/// The budgets this host enforces, from [`BUDGETS_FILE`].
#[derive(Clone, Debug)]
pub struct Budgets {
    /// most instructions `quote-200-best` may take (a figure equal to it passes)
    pub quote_200: u64,
    /// `quote-200-best`'s peak linear memory must stay below this many bytes
    pub memory_200: u64,
    /// where each came from: the file, or the environment variable that
    /// overrode it for this run
    pub quote_200_from: String,
    pub memory_200_from: String,
    /// most instructions the demo invite poster's `render_poster` may take
    pub poster_invite: u64,
    pub poster_invite_from: String,
}

impl Budgets {
    /// Read `budget_quote_200` and `budget_memory_200` from `path` (a file of
    /// `name=integer` lines and `#` comments), then let the environment
    /// variables `SIYU_BUDGET_QUOTE_200` and `SIYU_BUDGET_MEMORY_200`
    /// override them, so a one-off run can show the gate failing.
    pub fn load(path: &std::path::Path) -> Result<Budgets> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{} (run from the repository root): {e}", path.display()))?;
        let file = path.display().to_string();
        let pick = |name: &str, var: &str| -> Result<(u64, String)> {
            if let Ok(v) = std::env::var(var) {
                let n = v.trim().parse().map_err(|_| format!("${var}={v:?} is not a whole number"))?;
                return Ok((n, format!("${var}")));
            }
            for line in text.lines() {
                let line = line.split('#').next().unwrap_or("").trim();
                if let Some((key, value)) = line.split_once('=') {
                    if key.trim() == name {
                        let n = value
                            .trim()
                            .parse()
                            .map_err(|_| format!("{file}: {name}={value:?} is not a whole number"))?;
                        return Ok((n, file.clone()));
                    }
                }
            }
            Err(format!("{file}: no {name}= line"))
        };
        let (quote_200, quote_200_from) = pick("budget_quote_200", "SIYU_BUDGET_QUOTE_200")?;
        let (memory_200, memory_200_from) = pick("budget_memory_200", "SIYU_BUDGET_MEMORY_200")?;
        let (poster_invite, poster_invite_from) = pick("budget_poster_invite", "SIYU_BUDGET_POSTER_INVITE")?;
        Ok(Budgets { quote_200, memory_200, quote_200_from, memory_200_from, poster_invite, poster_invite_from })
    }
}

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
        json!({"id": "bench-snacks-90", "name": "零食 9 折券（最高减 20）", "type": "percent_off", "pay_bp": 9000, "cap": 2000, "scope": {"categories": ["snacks"]}, "validity": {"type": "days", "days": 30}}),
        json!({"id": "bench-teaware-300-40", "name": "茶具满 300 减 40", "type": "amount_off", "amount": 4000, "threshold": 30000, "scope": {"categories": ["teaware"]}, "validity": {"type": "days", "days": 30}}),
        json!({"id": "bench-tea-100-15", "name": "茶叶满 100 减 15", "type": "amount_off", "amount": 1500, "threshold": 10000, "scope": {"categories": ["tea"]}, "validity": {"type": "days", "days": 30}}),
        json!({"id": "bench-500-80", "name": "满 500 减 80", "type": "amount_off", "amount": 8000, "threshold": 50000, "validity": {"type": "days", "days": 30}}),
        json!({"id": "bench-1000-150", "name": "满 1000 减 150", "type": "amount_off", "amount": 15000, "threshold": 100000, "validity": {"type": "days", "days": 30}}),
        json!({"id": "bench-95", "name": "全场 9.5 折（最高减 100）", "type": "percent_off", "pay_bp": 9500, "cap": 10000, "validity": {"type": "days", "days": 30}}),
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
    push(
        ORDERED,
        json!({"type": "order_placed", "order": "o1", "cart": {"lines": [
        {"sku": "pot-clay", "category": "teaware", "unit_price": 32800, "quantity": 20}], "coupons": "none"}}),
    );
    push(COMPLETED, json!({"type": "order_completed", "order": "o1"}));
    let mut claims = vec!["full-200-30", "full-200-30", "tea-85"];
    claims.extend(["no-threshold-10"; 5]);
    claims.extend(["ship-free", "gold-50", "birthday-30", "jasmine-swap", "day18-88"]);
    claims.extend([
        "bench-snacks-90",
        "bench-teaware-300-40",
        "bench-tea-100-15",
        "bench-500-80",
        "bench-1000-150",
        "bench-95",
    ]);
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
    measure_after(wasm, None, key, op, what, input)
}

/// One measured call on a fresh instance, after `first`'s rules were
/// prepared on it (not counted): for a call that names them by fingerprint.
fn measure_after(
    wasm: &Wasm,
    first: Option<&Value>,
    key: &str,
    op: &str,
    what: &str,
    input: &Value,
) -> Result<(Row, Value)> {
    let mut s = wasm.instantiate()?;
    if let Some(rules) = first {
        let a = s.call("prepare_rules", json!({"rules": rules}).to_string().as_bytes()).map_err(|Failure(e)| e)?;
        ok("prepare_rules", &a.text)?;
    }
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
    // Embedded by the native crate: no path relative to the working
    // directory (the budgets file still is one; see `main.rs`).
    let demo: Value = serde_json::from_str(siyu::demo::RULES).map_err(|e| format!("src/demo/rules.json: {e}"))?;
    let rules = bench_rules(&demo);
    let initial_memory = wasm.instantiate()?.memory_bytes();
    let mut rows = Vec::new();

    let (row, _) = measure(
        wasm,
        "validate_rules",
        "validate_rules",
        "demo rules + 6 bench coupon templates",
        &json!({"rules": rules}),
    )?;
    rows.push(row);
    let (row, member) = measure(
        wasm,
        "replay",
        "replay",
        "25 events -> a gold member with 20 coupons",
        &json!({"rules": rules, "events": events()}),
    )?;
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
    let check_in =
        json!({"rules": rules, "member": member, "event": {"id": "e-bench", "at": NOW, "type": "checked_in"}});
    let (row, _) = measure(wasm, "apply_event", "apply_event", "a check-in on that member", &check_in)?;
    rows.push(row);
    for n in [10, 50, 200] {
        for (mode, who) in
            [("best", "member, 20 coupons, best combination"), ("none", "member, coupons none"), ("guest", "guest")]
        {
            let input = if mode == "guest" {
                json!({"rules": rules, "cart": cart(&rules, n, "none"), "now": NOW})
            } else {
                json!({"rules": rules, "member": member, "cart": cart(&rules, n, mode), "now": NOW})
            };
            let (row, _) = measure(wasm, &format!("quote-{n}-{mode}"), "quote", &format!("{n} lines, {who}"), &input)?;
            rows.push(row);
        }
    }
    // Rules prepared once per instance, then named by fingerprint: the
    // preparing call, and the 200-line quote after it.
    let (row, check) = measure(
        wasm,
        "prepare_rules",
        "prepare_rules",
        "demo rules + 6 bench coupon templates, kept",
        &json!({"rules": rules}),
    )?;
    rows.push(row);
    let prepared = json!({"prepared": check["fingerprint"]});
    let (row, _) = measure_after(
        wasm,
        Some(&rules),
        QUOTE_200_PREPARED,
        "quote",
        "200 lines, best, rules by fingerprint",
        &json!({"rules": prepared, "member": member, "cart": cart(&rules, 200, "best"), "now": NOW}),
    )?;
    rows.push(row);
    let (row, _) = measure(
        wasm,
        POSTER_INVITE,
        "render_poster",
        "the demo invite poster: avatar, 7 texts, a QR code",
        &poster_invite(),
    )?;
    rows.push(row);
    Ok(FuelReport { wasm_sha256: wasm.sha256.clone(), wasm_bytes: wasm.bytes, initial_memory, rows })
}

/// The demo invite poster's `render_poster` input (the vector
/// `poster/demo_invite_svg`'s).
pub fn poster_invite() -> Value {
    let posters: Value = serde_json::from_str(siyu::demo::POSTERS).unwrap_or(Value::Null);
    json!({
        "template": posters["invite"],
        "fields": {"nickname": "茶友小林", "store": "山茶小铺", "scene": "M8K2D7", "code": "M8K2D7"},
        "images": {"avatar": crate::diff::png_data_url(siyu::demo::AVATAR_PNG)},
    })
}

fn mib(b: u64) -> String {
    format!("{:.2} MiB", b as f64 / (1 << 20) as f64)
}

/// 7133174 -> "7,133,174"
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl FuelReport {
    /// Write every measured input as `DIR/<key>.json` = `{"op", "input"}`,
    /// so other hosts (Node, Chromium, native) can time the same work.
    pub fn dump(&self, dir: &std::path::Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        // Not the prepared row: its input means nothing without the
        // prepare_rules before it on the same instance.
        for r in self.rows.iter().filter(|r| r.key != QUOTE_200_PREPARED) {
            let input: Value = serde_json::from_str(&r.input).map_err(|e| e.to_string())?;
            let doc = json!({"op": r.op, "input": input, "fuel": r.fuel, "wasm_sha256": self.wasm_sha256});
            let path = dir.join(format!("{}.json", r.key));
            std::fs::write(&path, doc.to_string() + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(())
    }

    /// The row for the 200-line quote with the best-combination search.
    pub fn quote_200(&self) -> Option<&Row> {
        self.rows.iter().find(|r| r.key == QUOTE_200)
    }

    /// Peak linear memory in the 200-line best-combination quote.
    pub fn peak_200(&self) -> u64 {
        self.quote_200().map(|r| r.memory_after).unwrap_or(0)
    }

    /// Each budget: met or not, and a line that says the figure, the
    /// budget, where the budget came from and the headroom or the overrun.
    pub fn check(&self, b: &Budgets) -> Vec<(bool, String)> {
        let Some(r) = self.quote_200() else {
            return vec![(false, format!("budget: no {QUOTE_200} row was measured: NOT met"))];
        };
        let fuel_ok = r.fuel <= b.quote_200;
        let fuel_line = if fuel_ok {
            format!(
                "budget: {QUOTE_200} {} instructions <= {} ({}): met, {} to spare ({:.1}% of the budget)",
                thousands(r.fuel),
                thousands(b.quote_200),
                b.quote_200_from,
                thousands(b.quote_200 - r.fuel),
                r.fuel as f64 * 100.0 / b.quote_200 as f64
            )
        } else {
            format!(
                "budget: {QUOTE_200} {} instructions > {} ({}): OVER BUDGET by {}",
                thousands(r.fuel),
                thousands(b.quote_200),
                b.quote_200_from,
                thousands(r.fuel - b.quote_200)
            )
        };
        let memory_ok = r.memory_after < b.memory_200;
        let memory_line = if memory_ok {
            format!(
                "budget: {QUOTE_200} peak memory {} B < {} B ({}): met, {} B to spare",
                thousands(r.memory_after),
                thousands(b.memory_200),
                b.memory_200_from,
                thousands(b.memory_200 - r.memory_after)
            )
        } else {
            format!(
                "budget: {QUOTE_200} peak memory {} B, not below {} B ({}): OVER BUDGET, {} B over",
                thousands(r.memory_after),
                thousands(b.memory_200),
                b.memory_200_from,
                thousands(r.memory_after - b.memory_200)
            )
        };
        let poster = match self.rows.iter().find(|r| r.key == POSTER_INVITE) {
            None => (false, format!("budget: no {POSTER_INVITE} row was measured: NOT met")),
            Some(p) if p.fuel <= b.poster_invite => (
                true,
                format!(
                    "budget: {POSTER_INVITE} {} instructions <= {} ({}): met, {} to spare",
                    thousands(p.fuel),
                    thousands(b.poster_invite),
                    b.poster_invite_from,
                    thousands(b.poster_invite - p.fuel)
                ),
            ),
            Some(p) => (
                false,
                format!(
                    "budget: {POSTER_INVITE} {} instructions > {} ({}): OVER BUDGET by {}",
                    thousands(p.fuel),
                    thousands(b.poster_invite),
                    b.poster_invite_from,
                    thousands(p.fuel - b.poster_invite)
                ),
            ),
        };
        vec![(fuel_ok, fuel_line), (memory_ok, memory_line), poster]
    }

    /// Whether every budget is met.
    pub fn within_budget(&self, b: &Budgets) -> bool {
        self.check(b).iter().all(|(ok, _)| *ok)
    }

    pub fn to_text(&self, b: &Budgets) -> String {
        let mut out = String::new();
        out.push_str(&format!("module sha256 {} ({} bytes)\n", self.wasm_sha256, self.wasm_bytes));
        out.push_str(&format!(
            "linear memory of a fresh instance: {} B ({})\n\n",
            self.initial_memory,
            mib(self.initial_memory)
        ));
        out.push_str(&format!(
            "| {:<15} | {:<47} | {:>12} | {:>8} | {:>8} | {:>9} | {:>12} |\n",
            "operation", "input", "instructions", "% of 11M", "in bytes", "out bytes", "memory after"
        ));
        out.push_str(&format!(
            "|{:-<17}|{:-<49}|{:->13}:|{:->9}:|{:->9}:|{:->10}:|{:->13}:|\n",
            "", "", "", "", "", "", ""
        ));
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
        out.push_str("(% of 11M: Shopify Functions' per-run limit, a yardstick; the gate is the budget below)\n");
        if let Some(r) = self.quote_200() {
            out.push_str(&format!("\n200-line quote: coupons chosen {:?}\n", r.chosen));
            out.push_str(&format!(
                "200-line quote: peak linear memory {} B ({}, {:.1}% of {}); {} before the call (fresh instance + input buffer)\n",
                r.memory_after,
                mib(r.memory_after),
                r.memory_after as f64 * 100.0 / b.memory_200 as f64,
                mib(b.memory_200),
                mib(r.memory_before)
            ));
            if let Some(p) = self.rows.iter().find(|p| p.key == QUOTE_200_PREPARED) {
                out.push_str(&format!(
                    "200-line quote, rules prepared: {} instructions against {} ({} fewer, {:.1}%)\n",
                    thousands(p.fuel),
                    thousands(r.fuel),
                    thousands(r.fuel.saturating_sub(p.fuel)),
                    r.fuel.saturating_sub(p.fuel) as f64 * 100.0 / r.fuel as f64
                ));
            }
        }
        for (_, line) in self.check(b) {
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str(if self.within_budget(b) { "budgets: met\n" } else { "budgets: NOT met\n" });
        out
    }

    pub fn to_json(&self, b: &Budgets) -> String {
        json!({
            "wasm_sha256": self.wasm_sha256,
            "wasm_bytes": self.wasm_bytes,
            "initial_memory": self.initial_memory,
            "fuel_quote_200": self.quote_200().map(|r| r.fuel),
            "peak_memory_quote_200": self.peak_200(),
            "budget_quote_200": b.quote_200,
            "budget_memory_200": b.memory_200,
            "within_budget": self.within_budget(b),
            "rows": self.rows.iter().map(|r| json!({
                "op": r.op, "input": r.what, "fuel": r.fuel, "input_bytes": r.input_bytes,
                "output_bytes": r.output_bytes, "memory_before": r.memory_before,
                "memory_after": r.memory_after, "chosen": r.chosen,
            })).collect::<Vec<_>>(),
        })
        .to_string()
    }
}
