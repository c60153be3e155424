#!/usr/bin/env bash
# Where one call's Wasm instructions go, function by function (exact, from
# wasmtime's fuel; hosts/wasmtime/src/profile.rs says how).
#
#   bash scripts/profile-wasm.sh [WORKLOAD] [--top N]
#
# WORKLOAD is one of the fuel benchmark's inputs (default quote-200-best;
# `siyu-wasmtime fuel` lists them: validate_rules, replay, member_summary,
# points_history, coupon_wallet, apply_event, quote-{10,50,200}-{best,none,guest}).
# CALLERS=name1,name2 also lists who called the functions whose names
# contain those words.
#
# Profiles the module scripts/build-wasm.sh last built, optimized by the same
# wasm-opt command but keeping the name section (the same code: the same
# fuel). Builds the wasmtime host with feature `profile` in its own target
# directory (walrus is not in CI's build): about 4 minutes the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
workload=${1:-quote-200-best}
shift || true
bg=target/wasm-pack/siyu_wasm_bg.wasm
[ -f "$bg" ] || { echo "profile-wasm.sh: run scripts/build-wasm.sh first" >&2; exit 1; }
tmp=target/profile
mkdir -p "$tmp"
# build-wasm.sh's passes, with -g (keep names) for its --strip-debug.
source scripts/wasm-opt-passes.sh
tests/hosts/js/node_modules/.bin/wasm-opt "${wasm_opt_passes[@]}" -g "$bg" -o "$tmp/siyu_named.wasm"
cargo build --quiet --release --features profile --manifest-path hosts/wasmtime/Cargo.toml --target-dir "$tmp/host"
host=$tmp/host/release/siyu-wasmtime
# The fuel step exits 1 when a workload is over its budget; that is not a
# reason not to profile (it is when a profile is most wanted), so go on as
# long as it wrote the inputs.
"$host" fuel pkg/siyu_wasm_bg.wasm --dump "$tmp/inputs" >/dev/null || echo "profile-wasm.sh: a fuel budget is over (profiling anyway)" >&2
[ -f "$tmp/inputs/$workload.json" ] || { echo "profile-wasm.sh: no workload $workload (see $tmp/inputs)" >&2; exit 1; }
"$host" profile "$tmp/siyu_named.wasm" "$tmp/inputs/$workload.json" "$@"
