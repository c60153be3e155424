//! siyu on wasmtime, through the raw JSON ABI (`docs/ABI.md`).
//!
//! This crate loads the very `.wasm` the browser loads
//! (`pkg/siyu_wasm_bg.wasm`), checks it is the pinned build (its SHA-256
//! against the `.sha256` file next to it), stubs the JS-glue imports as traps
//! and drives `siyu_alloc` / `siyu_call` / `siyu_free`. wasmtime's fuel counts
//! the Wasm instructions every call executes.
//!
//! - [`conformance`]: the corpus `tests/vectors/**/*.json`, byte for byte;
//! - [`hostile`]: bad input through the raw face is an error, never a trap;
//! - [`diff`]: native against the module on generated inputs, byte for byte;
//! - [`fuel`]: instructions per operation and peak linear memory;
//! - [`timing`]: time per quote, with fuel metering off;
//! - `profile` (feature `profile`): instructions per function of one call.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::{Config, Engine, Instance, Linker, Memory, Module, Store, StoreLimits, StoreLimitsBuilder, TypedFunc};

pub mod canonical;
pub mod conformance;
pub mod diff;
pub mod fuel;
pub mod hostile;
pub mod poster;
pub mod posters;
#[cfg(feature = "profile")]
pub mod profile;
pub mod timing;

/// The module every host loads: `scripts/build-wasm.sh` writes it.
pub const DEFAULT_WASM: &str = "pkg/siyu_wasm_bg.wasm";

/// Fuel given to one call. Far above anything the corpus needs (a 16 MiB
/// hostile payload is the most expensive call), so running out means a bug.
pub const FUEL_PER_CALL: u64 = 50_000_000_000;

pub type Result<T, E = String> = std::result::Result<T, E>;

/// The ABI version this host speaks.
pub const ABI_VERSION: i32 = 1;

/// A compiled, hash-checked module.
pub struct Wasm {
    pub path: PathBuf,
    pub sha256: String,
    pub bytes: usize,
    /// whether instances count fuel (off for timing: metering costs time)
    fuel: bool,
    limits: Limits,
    engine: Engine,
    module: Module,
}

/// What one instance may spend. The test host's defaults are far above
/// anything the corpus needs; a server sets its own, so that one
/// pathological request cannot stall or starve it.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Fuel (Wasm instructions) per call, when fuel is counted.
    pub fuel_per_call: u64,
    /// Most bytes of linear memory an instance may grow to.
    pub memory_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { fuel_per_call: FUEL_PER_CALL, memory_bytes: usize::MAX }
    }
}

/// SHA-256 of some bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash pinned next to a module: `<module>.sha256`, whose first word is
/// the hex digest (the `sha256sum` format, or the bare digest).
pub fn pinned_hash(path: &Path) -> Result<String> {
    let mut pin = path.as_os_str().to_owned();
    pin.push(".sha256");
    let pin = PathBuf::from(pin);
    let text = std::fs::read_to_string(&pin).map_err(|e| {
        format!(
            "{}: {e} — every host checks it loaded the pinned build; scripts/build-wasm.sh writes this file",
            pin.display()
        )
    })?;
    let word = text.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
    if word.len() != 64 || !word.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("{}: no SHA-256 hex digest in it", pin.display()));
    }
    Ok(word)
}

impl Wasm {
    /// Read, hash-check and compile the module at `path`, counting fuel.
    pub fn load(path: &Path) -> Result<Wasm> {
        Wasm::load_with(path, true)
    }

    /// The same, with fuel metering on or off.
    pub fn load_with(path: &Path, fuel: bool) -> Result<Wasm> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let sha256 = sha256_hex(&bytes);
        let pinned = pinned_hash(path)?;
        if sha256 != pinned {
            return Err(format!("{}: SHA-256 {sha256} is not the pinned {pinned}", path.display()));
        }
        let mut config = Config::new();
        config.consume_fuel(fuel);
        let engine = Engine::new(&config).map_err(|e| format!("wasmtime engine: {e}"))?;
        let module = Module::new(&engine, &bytes).map_err(|e| format!("{}: {e:?}", path.display()))?;
        Ok(Wasm {
            path: path.to_path_buf(),
            sha256,
            bytes: bytes.len(),
            fuel,
            limits: Limits::default(),
            engine,
            module,
        })
    }

    /// The same module, its instances held to `limits`.
    pub fn with_limits(mut self, limits: Limits) -> Wasm {
        self.limits = limits;
        self
    }

    /// A fresh instance. The JS-glue imports of the wasm-bindgen build are
    /// defined as traps: the raw face never calls them.
    pub fn instantiate(&self) -> Result<Siyu> {
        let memory = StoreLimitsBuilder::new().memory_size(self.limits.memory_bytes).build();
        let mut store = Store::new(&self.engine, memory);
        store.limiter(|limits| limits);
        if self.fuel {
            store.set_fuel(self.limits.fuel_per_call).map_err(|e| e.to_string())?;
        }
        let mut linker = Linker::new(&self.engine);
        linker.define_unknown_imports_as_traps(&self.module).map_err(|e| e.to_string())?;
        let instance = linker.instantiate(&mut store, &self.module).map_err(|e| format!("instantiate: {e}"))?;
        Siyu::new(store, instance, self.fuel.then_some(self.limits.fuel_per_call))
    }
}

/// One instance of the module.
pub struct Siyu {
    store: Store<StoreLimits>,
    memory: Memory,
    alloc: TypedFunc<i32, i32>,
    free: TypedFunc<(i32, i32), ()>,
    call: TypedFunc<(i32, i32, i32, i32), i32>,
    /// Fuel per call, when fuel is counted.
    fuel: Option<u64>,
}

/// What one `siyu_call` returned, and what it cost.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The JSON text of the result frame.
    pub text: String,
    /// Fuel (Wasm instructions, wasmtime's default costs) spent in `siyu_call`;
    /// 0 when the module was loaded without fuel metering.
    pub fuel: u64,
}

/// A call that did not return an answer: a trap, or a malformed frame.
/// The ABI promises neither ever happens.
#[derive(Debug, Clone)]
pub struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Siyu {
    fn new(mut store: Store<StoreLimits>, instance: Instance, fuel: Option<u64>) -> Result<Siyu> {
        let memory = instance.get_memory(&mut store, "memory").ok_or("the module exports no `memory`")?;
        let version: TypedFunc<(), i32> =
            instance.get_typed_func(&mut store, "siyu_abi_version").map_err(|e| format!("siyu_abi_version: {e}"))?;
        let v = version.call(&mut store, ()).map_err(|e| format!("siyu_abi_version: {e}"))?;
        if v != ABI_VERSION {
            return Err(format!("the module speaks raw ABI version {v}; this host speaks {ABI_VERSION}"));
        }
        let alloc = instance.get_typed_func(&mut store, "siyu_alloc").map_err(|e| format!("siyu_alloc: {e}"))?;
        let free = instance.get_typed_func(&mut store, "siyu_free").map_err(|e| format!("siyu_free: {e}"))?;
        let call = instance.get_typed_func(&mut store, "siyu_call").map_err(|e| format!("siyu_call: {e}"))?;
        Ok(Siyu { store, memory, alloc, free, call, fuel })
    }

    /// Run operation `op` on JSON `input`: copy both in, call, copy the
    /// answer out, free all three buffers.
    pub fn call(&mut self, op: &str, input: &[u8]) -> Result<Answer, Failure> {
        let op_ptr = self.put(op.as_bytes())?;
        let in_ptr = self.put(input)?;
        let answer = self.call_at(op_ptr, op.len() as u32, in_ptr, input.len() as u32);
        self.free(op_ptr, op.len() as u32)?;
        self.free(in_ptr, input.len() as u32)?;
        answer
    }

    /// `siyu_call` on raw pointers and lengths (any values: that is what the
    /// hostile tests are for). Reads and frees the result frame.
    pub fn call_at(&mut self, op_ptr: u32, op_len: u32, in_ptr: u32, in_len: u32) -> Result<Answer, Failure> {
        if let Some(fuel) = self.fuel {
            self.store.set_fuel(fuel).map_err(|e| Failure(e.to_string()))?;
        }
        let result = self.call.call(&mut self.store, (op_ptr as i32, op_len as i32, in_ptr as i32, in_len as i32));
        let fuel = match self.fuel {
            Some(given) => given - self.store.get_fuel().map_err(|e| Failure(e.to_string()))?,
            None => 0,
        };
        let ptr = result.map_err(|e| Failure(format!("siyu_call trapped: {e:?}")))? as u32;
        if ptr == 0 {
            return Err(Failure("siyu_call returned 0 (no result buffer)".into()));
        }
        let mut len = [0u8; 4];
        self.memory
            .read(&self.store, ptr as usize, &mut len)
            .map_err(|e| Failure(format!("result frame header: {e}")))?;
        let n = u32::from_le_bytes(len);
        let mut body = vec![0u8; n as usize];
        self.memory
            .read(&self.store, ptr as usize + 4, &mut body)
            .map_err(|e| Failure(format!("result frame body: {e}")))?;
        self.free(ptr, n + 4)?;
        let text = String::from_utf8(body).map_err(|_| Failure("the result frame is not UTF-8".into()))?;
        Ok(Answer { text, fuel })
    }

    /// `siyu_alloc(len)` (0 means refused).
    pub fn alloc(&mut self, len: u32) -> Result<u32, Failure> {
        self.alloc
            .call(&mut self.store, len as i32)
            .map(|p| p as u32)
            .map_err(|e| Failure(format!("siyu_alloc trapped: {e:?}")))
    }

    /// `siyu_free(ptr, len)`.
    pub fn free(&mut self, ptr: u32, len: u32) -> Result<(), Failure> {
        self.free
            .call(&mut self.store, (ptr as i32, len as i32))
            .map_err(|e| Failure(format!("siyu_free trapped: {e:?}")))
    }

    /// Allocate a buffer and copy `bytes` into it.
    pub fn put(&mut self, bytes: &[u8]) -> Result<u32, Failure> {
        let ptr = self.alloc(bytes.len() as u32)?;
        if ptr == 0 {
            return Err(Failure(format!("siyu_alloc({}) refused", bytes.len())));
        }
        self.write(ptr, bytes)?;
        Ok(ptr)
    }

    /// Copy bytes into linear memory.
    pub fn write(&mut self, ptr: u32, bytes: &[u8]) -> Result<(), Failure> {
        self.memory.write(&mut self.store, ptr as usize, bytes).map_err(|e| Failure(format!("write at {ptr}: {e}")))
    }

    /// Current size of linear memory in bytes (it never shrinks, so after a
    /// call it is the peak of everything before).
    pub fn memory_bytes(&self) -> u64 {
        self.memory.data_size(&self.store) as u64
    }

    /// Grow linear memory from the host by `pages` (64 KiB each); returns
    /// the first byte of the new pages. The module's allocator never hands
    /// out pages it did not grow itself, so the host may use these freely.
    pub fn grow(&mut self, pages: u64) -> Result<u32, Failure> {
        let old = self.memory.grow(&mut self.store, pages).map_err(|e| Failure(format!("memory.grow: {e}")))?;
        Ok((old * 65_536) as u32)
    }
}

/// The module path from the first argument, or the default, relative to the
/// current directory.
pub fn wasm_path(arg: Option<&String>) -> PathBuf {
    PathBuf::from(arg.map(String::as_str).unwrap_or(DEFAULT_WASM))
}
