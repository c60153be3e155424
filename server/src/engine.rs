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

use std::path::Path;
use std::sync::Mutex;

use serde_json::Value;
use siyu_host_wasmtime::{Limits, Siyu, Wasm};

use crate::error::ApiError;

/// Fuel per call: about 50 times the budget of the largest quote the
/// engine is held to (a 200-line cart with 20 coupons, 9 M instructions).
pub const FUEL_PER_CALL: u64 = 500_000_000;

/// Linear memory per instance: the engine's peak on its worst input is
/// under 10 MiB (`siyu-wasmtime fuel`); inputs are at most 16 MiB.
pub const MEMORY_PER_INSTANCE: usize = 64 << 20;

pub struct Engine {
    wasm: Wasm,
    idle: Mutex<Vec<Siyu>>,
}

impl Engine {
    /// Load, hash-check and compile the module at `path`.
    pub fn load(path: &Path) -> Result<Engine, String> {
        let limits = Limits { fuel_per_call: FUEL_PER_CALL, memory_bytes: MEMORY_PER_INSTANCE };
        let wasm = Wasm::load(path)?.with_limits(limits);
        // One instance now: a module that cannot be instantiated is a
        // start-up error, not the first request's.
        let first = wasm.instantiate()?;
        Ok(Engine { wasm, idle: Mutex::new(vec![first]) })
    }

    /// The module's SHA-256, checked against its `.sha256` pin at load.
    pub fn sha256(&self) -> &str {
        &self.wasm.sha256
    }

    /// Run operation `op` on JSON text: the answer under `ok`, or the
    /// engine's refusal as an [`ApiError`] (HTTP 422).
    pub fn call(&self, op: &str, input: &str) -> Result<Value, ApiError> {
        let text = self.call_text(op, input)?;
        let mut envelope: Value = serde_json::from_str(&text)
            .map_err(|e| ApiError::internal(format!("the engine's answer to `{op}` is not JSON: {e}")))?;
        if let Some(ok) = envelope.get_mut("ok") {
            return Ok(ok.take());
        }
        match envelope.get_mut("error") {
            Some(error) => Err(ApiError::refused(error.take())),
            None => Err(ApiError::internal(format!("the engine's answer to `{op}` has neither ok nor error"))),
        }
    }

    /// The raw envelope text of one call.
    pub fn call_text(&self, op: &str, input: &str) -> Result<String, ApiError> {
        let mut siyu = self.take()?;
        match siyu.call(op, input.as_bytes()) {
            Ok(answer) => {
                self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(siyu);
                Ok(answer.text)
            }
            // The instance is dropped here, not returned to the pool.
            Err(failure) => Err(ApiError::engine_failed(op, &failure.0)),
        }
    }

    fn take(&self) -> Result<Siyu, ApiError> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(siyu) => Ok(siyu),
            None => self.wasm.instantiate().map_err(ApiError::internal),
        }
    }

    /// Instances waiting in the pool (for the status route).
    pub fn idle(&self) -> usize {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}
