#!/usr/bin/env bash
# The formatting and lint gates, for every crate the repository holds:
# the workspace (the core, the wire, the derive, the Wasm faces), the
# server with the wasmtime host (one workspace), and the fuzz targets.
#
#   rustfmt --check   (rustfmt.toml at the root applies to all three)
#   clippy, warnings denied, with the workspace's lints (Cargo.toml), on
#   the native target and, for the Wasm crate, on wasm32 too (its raw ABI
#   exists only there)
#
# Installs the rustfmt and clippy components and the wasm32 target if they
# are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

for c in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
    echo "lint: rustup component add $c"
    rustup component add "$c" >/dev/null 2>&1
  fi
done
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "lint: rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown >/dev/null 2>&1
fi

status=0
check() {
  local what=$1; shift
  if "$@"; then echo "lint: $what: ok"; else echo "lint: $what: FAILED" >&2; status=1; fi
}

check "rustfmt (workspace)" cargo fmt --all --check
check "rustfmt (server, hosts/wasmtime)" cargo fmt --manifest-path server/Cargo.toml --all --check
check "rustfmt (fuzz)" cargo fmt --manifest-path fuzz/Cargo.toml --check
check "clippy (workspace)" cargo clippy --quiet --workspace --all-targets --locked -- -D warnings
check "clippy (the Wasm crate on wasm32)" cargo clippy --quiet -p siyu-wasm --target wasm32-unknown-unknown --locked -- -D warnings
check "clippy (server, hosts/wasmtime)" cargo clippy --quiet --manifest-path server/Cargo.toml --workspace --all-targets --locked -- -D warnings
check "clippy (fuzz)" cargo clippy --quiet --manifest-path fuzz/Cargo.toml --all-targets --locked -- -D warnings
exit $status
