#!/usr/bin/env bash
# Start the merchant's server on a local port with the demo rules and the
# embedded SQLite ledger (data/siyu.sqlite3, created on first start):
#
#   bash scripts/serve.sh                 # http://127.0.0.1:8787/
#   bash scripts/serve.sh --port 9000     # any siyu-server argument (server/README.md)
#
# Installs what it needs, skipping what is there: the wasm toolchain and
# pkg/ (scripts/build-wasm.sh, the module the server loads), Debian's
# libsqlite3-dev, then builds server/ in release.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || { echo "serve.sh: cargo is required (https://rustup.rs)" >&2; exit 1; }

if [ ! -f pkg/siyu_wasm_bg.wasm ]; then
  bash scripts/install-tools.sh
  bash scripts/build-wasm.sh
fi
if [ ! -e /usr/include/sqlite3.h ]; then
  echo "serve.sh: apt-get install libsqlite3-dev"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libsqlite3-dev pkg-config >/dev/null
fi
cargo build --quiet --release --locked --manifest-path server/Cargo.toml --bin siyu-server
exec server/target/release/siyu-server "$@"
