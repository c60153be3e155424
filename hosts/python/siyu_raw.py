"""siyu's raw JSON ABI from Python, on wasmtime-py (PyPI `wasmtime`).

The whole contract is docs/ABI.md. In short: copy the operation name and the
JSON input into buffers from ``siyu_alloc``, call
``siyu_call(op_ptr, op_len, in_ptr, in_len)``, read the result frame (u32
little-endian length N, then N bytes of JSON) and give every buffer back with
``siyu_free(ptr, len)``.

    from siyu_raw import Siyu
    siyu = Siyu.load("pkg/siyu_wasm_bg.wasm")      # checks the pinned SHA-256
    print(siyu.call("operations", "{}"))           # '{"ok":[...]}'

Standard library + wasmtime only.
"""

from __future__ import annotations

import hashlib
import json
import struct
from decimal import Decimal
from pathlib import Path

import wasmtime

ABI_VERSION = 1
DEFAULT_WASM = "pkg/siyu_wasm_bg.wasm"
#: Fuel given to one call: far above anything legitimate needs.
FUEL_PER_CALL = 50_000_000_000


class CallFailed(Exception):
    """A call that produced no answer: a trap or a malformed frame. The ABI
    promises this never happens."""


def _i32(x: int) -> int:
    """An unsigned 32-bit value as the signed i32 wasmtime-py passes."""
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x >= 1 << 31 else x


def _u32(x: int) -> int:
    return x & 0xFFFFFFFF


def pinned_hash(path: Path) -> str:
    """The digest in ``<module>.sha256`` (sha256sum format or a bare digest)."""
    pin = Path(str(path) + ".sha256")
    try:
        words = pin.read_text(encoding="utf-8").split()
    except OSError as e:
        raise SystemExit(f"{pin}: {e} - every host checks it loaded the pinned build; "
                         "scripts/build-wasm.sh writes this file")
    word = words[0].lower() if words else ""
    if len(word) != 64 or any(c not in "0123456789abcdef" for c in word):
        raise SystemExit(f"{pin}: no SHA-256 hex digest in it")
    return word


class Module:
    """A hash-checked, compiled module."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        data = self.path.read_bytes()
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.size = len(data)
        pinned = pinned_hash(self.path)
        if self.sha256 != pinned:
            raise SystemExit(f"{self.path}: SHA-256 {self.sha256} is not the pinned {pinned}")
        config = wasmtime.Config()
        config.consume_fuel = True
        self.engine = wasmtime.Engine(config)
        self.module = wasmtime.Module(self.engine, data)

    def instantiate(self) -> "Siyu":
        return Siyu(self)


class Siyu:
    """One instance of the module."""

    def __init__(self, module: Module):
        self.store = wasmtime.Store(module.engine)
        self.store.set_fuel(FUEL_PER_CALL)
        linker = wasmtime.Linker(module.engine)
        # The wasm-bindgen JS-glue imports: the raw face never calls them.
        linker.define_unknown_imports_as_traps(module.module)
        instance = linker.instantiate(self.store, module.module)
        ex = instance.exports(self.store)
        self.memory = ex["memory"]
        self._alloc = ex["siyu_alloc"]
        self._free = ex["siyu_free"]
        self._call = ex["siyu_call"]
        version = ex["siyu_abi_version"](self.store)
        if version != ABI_VERSION:
            raise SystemExit(f"the module speaks raw ABI version {version}; this host speaks {ABI_VERSION}")
        #: fuel (Wasm instructions) spent by the last siyu_call
        self.last_fuel = 0

    @staticmethod
    def load(path: str | Path = DEFAULT_WASM) -> "Siyu":
        return Module(path).instantiate()

    # -- the three exports ---------------------------------------------------

    def alloc(self, n: int) -> int:
        try:
            return _u32(self._alloc(self.store, _i32(n)))
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            raise CallFailed(f"siyu_alloc trapped: {e}") from e

    def free(self, ptr: int, n: int) -> None:
        try:
            self._free(self.store, _i32(ptr), _i32(n))
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            raise CallFailed(f"siyu_free trapped: {e}") from e

    def call_at(self, op_ptr: int, op_len: int, in_ptr: int, in_len: int) -> str:
        """``siyu_call`` on raw pointers and lengths; reads and frees the frame."""
        self.store.set_fuel(FUEL_PER_CALL)
        try:
            ptr = _u32(self._call(self.store, _i32(op_ptr), _i32(op_len), _i32(in_ptr), _i32(in_len)))
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            raise CallFailed(f"siyu_call trapped: {e}") from e
        finally:
            self.last_fuel = FUEL_PER_CALL - self.store.get_fuel()
        if ptr == 0:
            raise CallFailed("siyu_call returned 0 (no result buffer)")
        (n,) = struct.unpack("<I", self.memory.read(self.store, ptr, ptr + 4))
        body = bytes(self.memory.read(self.store, ptr + 4, ptr + 4 + n))
        self.free(ptr, n + 4)
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as e:
            raise CallFailed("the result frame is not UTF-8") from e

    # -- conveniences ------------------------------------------------------------

    def put(self, data: bytes) -> int:
        """A buffer from siyu_alloc holding ``data``."""
        ptr = self.alloc(len(data))
        if ptr == 0:
            raise CallFailed(f"siyu_alloc({len(data)}) refused")
        self.write(ptr, data)
        return ptr

    def write(self, ptr: int, data: bytes) -> None:
        self.memory.write(self.store, data, ptr)

    def call(self, op: str | bytes, data: str | bytes) -> str:
        """Run operation ``op`` on JSON ``data``; returns the answer's JSON text."""
        op_b = op.encode("utf-8") if isinstance(op, str) else op
        in_b = data.encode("utf-8") if isinstance(data, str) else data
        op_ptr = self.put(op_b)
        in_ptr = self.put(in_b)
        try:
            return self.call_at(op_ptr, len(op_b), in_ptr, len(in_b))
        finally:
            self.free(op_ptr, len(op_b))
            self.free(in_ptr, len(in_b))

    def memory_bytes(self) -> int:
        return self.memory.data_len(self.store)

    def grow(self, pages: int) -> int:
        """Grow memory from the host; returns the first byte of the new pages
        (the module's allocator never hands those out)."""
        return self.memory.grow(self.store, pages) * 65536


# -- canonical JSON, as serde_json writes it -------------------------------------

def _float(x: float) -> str:
    """A float as serde_json (ryu) writes it: shortest round-trip digits,
    `1e20`, `1.5e-7`, `0.001`, `123.0`."""
    if x != x or x in (float("inf"), float("-inf")):
        return "null"
    if x == 0:
        return "-0.0" if str(x).startswith("-") else "0.0"
    sign, digits, exp = Decimal(repr(x)).as_tuple()
    d = "".join(map(str, digits)).rstrip("0")
    exp += len(digits) - len(d)  # value = d * 10**exp
    n = len(d)
    kk = n + exp  # position of the decimal point
    if 0 <= exp and kk <= 16:
        s = d + "0" * exp + ".0"
    elif 0 < kk <= 16:
        s = d[:kk] + "." + d[kk:]
    elif -5 < kk <= 0:
        s = "0." + "0" * -kk + d
    elif n == 1:
        s = f"{d}e{kk - 1}"
    else:
        s = f"{d[0]}.{d[1:]}e{kk - 1}"
    return ("-" if sign else "") + s


def canonical(v) -> str:
    """Keys sorted (by UTF-8 bytes, which is code point order) at every
    depth, no whitespace, strings and numbers as serde_json writes them."""
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(v[k]) for k in sorted(v)) + "}"
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, int):
        # serde_json keeps i64/u64 exact and reads anything bigger as f64.
        return str(v) if -(1 << 63) <= v < (1 << 64) else _float(float(v))
    if isinstance(v, float):
        return _float(v)
    return json.dumps(v, ensure_ascii=False)
