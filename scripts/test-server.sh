#!/usr/bin/env bash
# The merchant's server (server/): its unit tests and its API tests, each
# against a real `siyu-server` process on a loopback port with its own
# SQLite file. Builds pkg/ first if it is missing (the server loads the
# very .wasm the browser loads), and installs Debian's libsqlite3-dev if
# it is missing (the server links the system's SQLite). Then the same API
# tests again on PostgreSQL: a throwaway cluster from Debian's postgresql-15
# (scripts/postgres.sh), one database per server a test starts.
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

say "PostgreSQL (a throwaway cluster: scripts/postgres.sh)"
pg=$(mktemp -d /tmp/siyu-pg.XXXXXX)
trap 'bash scripts/postgres.sh stop "$pg"' EXIT
url=$(bash scripts/postgres.sh start "$pg")
SIYU_TEST_POSTGRES="$url" cargo test --quiet --release --locked --manifest-path server/Cargo.toml --tests
