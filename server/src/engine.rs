//! The engine: the package's `.wasm` under wasmtime, through the raw JSON
//! ABI (`docs/ABI.md`), the same bytes the browser loads.
//!
//! A pool of instances, each used by one call at a time. wasmtime calls are
//! synchronous, so callers run on tokio's blocking threads, and a booking
//! runs its engine calls inside its database transaction. Every call gets
//! the same fuel and every instance the same memory cap: a pathological
//! request runs out of fuel or memory and gets an error, never a stuck
//! thread. An instance that traps (out of fuel, out of memory, or a bug) is
//! dropped, never reused: its memory may be half-written.
//!
//! Rules are prepared once per instance and rule set (`prepare_rules`),
//! then named by fingerprint (`"rules": {"prepared": …}`), which the
//! engine answers byte for byte as it answers the full rules, for about a
//! fifth fewer instructions per quote and no rules text copied in. Each
//! instance remembers which sets it holds (the module keeps at most
//! `siyu::ops::MAX_PREPARED`, dropping the oldest), and a
//! `RULES_NOT_PREPARED` answer anyway is met by preparing and asking again.

use std::path::Path;
use std::sync::Mutex;

use serde_json::Value;
use siyu_host_wasmtime::{Limits, Siyu, Wasm};

use crate::error::ApiError;
use crate::ledger::Rules;

/// Fuel per call: about 50 times the budget of the largest quote the
/// engine is held to (a 200-line cart with 20 coupons, 9 M instructions).
pub const FUEL_PER_CALL: u64 = 500_000_000;

/// Linear memory per instance: the engine's peak on its worst input is
/// under 10 MiB (`siyu-wasmtime fuel`); inputs are at most 16 MiB.
pub const MEMORY_PER_INSTANCE: usize = 64 << 20;

pub struct Engine {
    wasm: Wasm,
    idle: Mutex<Vec<Instance>>,
}

/// One instance and the rule sets it holds prepared, oldest first.
struct Instance {
    siyu: Siyu,
    prepared: Vec<String>,
}

impl Engine {
    /// Load, hash-check and compile the module at `path`, with the
    /// server's limits.
    pub fn load(path: &Path) -> Result<Engine, String> {
        Engine::load_with(path, Limits { fuel_per_call: FUEL_PER_CALL, memory_bytes: MEMORY_PER_INSTANCE })
    }

    /// The same, with other limits (the tests hold an instance to less).
    pub fn load_with(path: &Path, limits: Limits) -> Result<Engine, String> {
        let wasm = Wasm::load(path)?.with_limits(limits);
        // One instance now: a module that cannot be instantiated is a
        // start-up error, not the first request's.
        let first = Instance { siyu: wasm.instantiate()?, prepared: Vec::new() };
        Ok(Engine { wasm, idle: Mutex::new(vec![first]) })
    }

    /// The module's SHA-256, checked against its `.sha256` pin at load.
    pub fn sha256(&self) -> &str {
        &self.wasm.sha256
    }

    /// Run operation `op` on JSON text: the answer under `ok`, or the
    /// engine's refusal as an [`ApiError`] (HTTP 422).
    pub fn call(&self, op: &str, input: &str) -> Result<Value, ApiError> {
        let mut instance = self.take()?;
        let text = self.run(&mut instance, op, input)?;
        self.put_back(instance);
        envelope(op, &text)
    }

    /// The envelope text of one call, as the module wrote it (`{"ok":…}`
    /// or `{"error":…}`): what the conformance corpus compares.
    pub fn call_text(&self, op: &str, input: &str) -> Result<String, ApiError> {
        let mut instance = self.take()?;
        let text = self.run(&mut instance, op, input)?;
        self.put_back(instance);
        Ok(text)
    }

    /// Run operation `op` under `rules`: `input` makes the input from the
    /// text that goes under `"rules"` (the prepared reference).
    pub fn call_ruled(&self, op: &str, rules: &Rules, input: impl Fn(&str) -> String) -> Result<Value, ApiError> {
        let text = self.call_ruled_envelope(op, rules, input)?;
        envelope(op, &text)
    }

    /// As [`Engine::call_ruled`], but the answer under `ok` as the text the
    /// engine wrote (canonical JSON), not parsed: what a route that only
    /// passes the answer on sends as its body.
    pub fn call_ruled_text(&self, op: &str, rules: &Rules, input: impl Fn(&str) -> String) -> Result<String, ApiError> {
        let mut text = self.call_ruled_envelope(op, rules, input)?;
        if text.starts_with(r#"{"ok":"#) && text.ends_with('}') {
            text.truncate(text.len() - 1);
            text.drain(..6);
            return Ok(text);
        }
        envelope(op, &text).map(|v| v.to_string())
    }

    fn call_ruled_envelope(&self, op: &str, rules: &Rules, input: impl Fn(&str) -> String) -> Result<String, ApiError> {
        let mut instance = self.take()?;
        let reference = format!(r#"{{"prepared":"{}"}}"#, rules.fingerprint);
        let mut text = String::new();
        for attempt in 0..2 {
            if attempt == 1 || !instance.prepared.contains(&rules.fingerprint) {
                self.prepare(&mut instance, rules)?;
            }
            text = self.run(&mut instance, op, &input(&reference))?;
            if !text.starts_with(r#"{"error":{"code":"RULES_NOT_PREPARED""#) {
                break;
            }
        }
        self.put_back(instance);
        Ok(text)
    }

    fn prepare(&self, instance: &mut Instance, rules: &Rules) -> Result<(), ApiError> {
        let text = self.run(instance, "prepare_rules", &format!(r#"{{"rules":{}}}"#, rules.json))?;
        let check = envelope("prepare_rules", &text)?;
        if check.get("fingerprint").and_then(Value::as_str) != Some(rules.fingerprint.as_str()) {
            return Err(ApiError::internal("the stored rules' fingerprint is not the one the engine computes"));
        }
        instance.prepared.retain(|f| f != &rules.fingerprint);
        if instance.prepared.len() == siyu::ops::MAX_PREPARED {
            instance.prepared.remove(0);
        }
        instance.prepared.push(rules.fingerprint.clone());
        Ok(())
    }

    /// One call's envelope text. An instance that fails is not given back.
    fn run(&self, instance: &mut Instance, op: &str, input: &str) -> Result<String, ApiError> {
        instance.siyu.call(op, input.as_bytes()).map(|a| a.text).map_err(|f| ApiError::engine_failed(op, &f.0))
    }

    fn put_back(&self, instance: Instance) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(instance);
    }

    fn take(&self) -> Result<Instance, ApiError> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(instance) => Ok(instance),
            None => Ok(Instance { siyu: self.wasm.instantiate().map_err(ApiError::internal)?, prepared: Vec::new() }),
        }
    }

    /// Instances waiting in the pool (for the status route).
    pub fn idle(&self) -> usize {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// The answer under `ok`, or the refusal under `error`.
fn envelope(op: &str, text: &str) -> Result<Value, ApiError> {
    let mut envelope: Value = serde_json::from_str(text)
        .map_err(|e| ApiError::internal(format!("the engine's answer to `{op}` is not JSON: {e}")))?;
    if let Some(ok) = envelope.get_mut("ok") {
        return Ok(ok.take());
    }
    match envelope.get_mut("error") {
        Some(error) => Err(ApiError::refused(error.take())),
        None => Err(ApiError::internal(format!("the engine's answer to `{op}` has neither ok nor error"))),
    }
}
