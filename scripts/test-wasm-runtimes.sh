#!/usr/bin/env bash
# The plain-Wasm-runtime hosts: siyu's raw JSON ABI (docs/ABI.md) on
#   - wasmtime from Rust   (hosts/wasmtime: conformance corpus + hostile input,
#                           and the differential run: the engine built natively
#                           against the module on 250,000 generated inputs,
#                           byte for byte, 2-3 minutes; SIYU_DIFF_CASES
#                           overrides the count for one run)
#                           and posters: the module's SVG as PNG, against
#                           references, QR codes decoded back to scenes)
#   - wasmtime-py from PyPI (hosts/python: conformance corpus + hostile input)
# Both load the one module every host loads, pkg/siyu_wasm_bg.wasm, and check
# its SHA-256 against pkg/siyu_wasm_bg.wasm.sha256. Then the instruction gate:
# `siyu-wasmtime fuel` prints instructions and memory per operation and fails
# when the 200-line quote with 20 wallet coupons is over the budgets of
# scripts/budgets.sh (SIYU_BUDGET_QUOTE_200 / _MEMORY_200 override one run).
#
#   scripts/test-wasm-runtimes.sh [WASM]
#
# Idempotent: installs only what is missing (the wasm32 target, PyPI
# `wasmtime`), builds the module only if it is missing (scripts/build-wasm.sh,
# or a development build with a warning when that script cannot run), and
# rebuilds the wasmtime host only if cargo says it changed.
# Exits non-zero unless every runner reports N of N and the budgets are met.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
WASMTIME_PY=50.0.1

wasm=${1:-pkg/siyu_wasm_bg.wasm}

note() { printf '%s\n' "test-wasm-runtimes: $*" >&2; }

# --- tools -------------------------------------------------------------------
command -v cargo >/dev/null || { note "cargo is required (https://rustup.rs)"; exit 1; }
command -v python3 >/dev/null || { note "python3 is required"; exit 1; }
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if ! python3 -c 'import wasmtime' 2>/dev/null; then
  note "installing wasmtime==$WASMTIME_PY from PyPI"
  python3 -m pip install --quiet "wasmtime==$WASMTIME_PY" ||
    python3 -m pip install --quiet --user --break-system-packages "wasmtime==$WASMTIME_PY"
fi

# --- the module ----------------------------------------------------------------
if [ ! -f "$wasm" ]; then
  if [ "$wasm" != pkg/siyu_wasm_bg.wasm ]; then
    note "$wasm does not exist"; exit 1
  fi
  if [ -f scripts/build-wasm.sh ] && bash scripts/build-wasm.sh; then
    :
  else
    # A development build: the raw rustc output, before wasm-bindgen and
    # wasm-opt. Same raw ABI and answers, but NOT the file the other hosts
    # load, so its hash and fuel figures are not the release ones.
    note "WARNING: scripts/build-wasm.sh is missing or failed; testing a DEVELOPMENT build instead of pkg/"
    cargo build --quiet -p siyu-wasm --release --target wasm32-unknown-unknown
    wasm=target/wasm32-unknown-unknown/release/siyu_wasm.wasm
    (cd "$(dirname "$wasm")" && sha256sum "$(basename "$wasm")" > "$(basename "$wasm").sha256")
  fi
elif [ "$wasm" = pkg/siyu_wasm_bg.wasm ] &&
     [ -n "$(find src wasm/src wasm/Cargo.toml Cargo.toml Cargo.lock -newer "$wasm" -print -quit 2>/dev/null)" ]; then
  note "WARNING: $wasm is older than the sources; run scripts/build-wasm.sh to test the current code"
fi

# --- the wasmtime host (in the server's workspace: one wasmtime build for both, out of the core's)
locked=()
[ -f server/Cargo.lock ] && locked=(--locked)
cargo build --quiet --release "${locked[@]}" --manifest-path hosts/wasmtime/Cargo.toml
host=server/target/release/siyu-wasmtime

# --- run everything, then report ------------------------------------------------
status=0
run() {
  local label=$1; shift
  echo "== $label"
  if ! "$@"; then
    status=1
    note "FAILED: $label"
  fi
}
run "wasmtime (Rust): conformance corpus" "$host" conformance "$wasm"
run "wasmtime (Rust): hostile input" "$host" hostile "$wasm"
# The server's poster path: the module's SVG rasterised in host code (resvg,
# the fonts scripts/install-tools.sh installs), compared with the references
# in tests/posters/, and its QR codes decoded by rqrr back to their scenes.
run "wasmtime (Rust) + resvg + rqrr: posters as PNG" "$host" posters "$wasm"
run "native vs wasmtime: differential, generated inputs" "$host" diff "$wasm" --cases "${SIYU_DIFF_CASES:-250000}"
run "wasmtime-py: conformance corpus" python3 hosts/python/run_vectors.py "$wasm"
run "wasmtime-py: hostile input" python3 hosts/python/hostile.py "$wasm"
# Last, so a module over the instruction budget still gets its correctness
# checks reported above. On a development build (see above) the figures are
# not the release module's, but the gate applies all the same.
run "wasmtime (Rust): instruction and memory budget (fuel)" "$host" fuel "$wasm"
exit $status
