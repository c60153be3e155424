#!/usr/bin/env bash
# The merchant's server (server/): its unit tests and its API tests, each
# against a real `siyu-server` process on a loopback port with its own
# SQLite file. Builds pkg/ first if it is missing (the server loads the
# very .wasm the browser loads), and installs Debian's libsqlite3-dev if
# it is missing (the server links the system's SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { echo "test-server: $*"; }

if [ ! -e /usr/include/sqlite3.h ]; then
  say "apt-get install libsqlite3-dev"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libsqlite3-dev pkg-config >/dev/null
fi
[ -f pkg/siyu_wasm_bg.wasm ] || bash scripts/build-wasm.sh

say "SQLite"
cargo test --quiet --release --locked --manifest-path server/Cargo.toml
