#!/usr/bin/env bash
# Load figures of the merchant's server (server/) with Debian's wrk on
# loopback: GET /api/status (the HTTP floor), POST /api/quote (one member,
# a 10-line cart, best coupons of a 10-coupon wallet, max points) and
# POST /api/orders (the same 10 lines, no coupons, no points, over many
# members), on SQLite and on PostgreSQL; then one quote's cost in the
# engine through wasmtime against the same call natively. Prints a
# Markdown table; the wrk output of every run is kept in the work folder.
#
#   bash scripts/bench-server.sh               # everything, ~8 min
#   BENCH_DB=sqlite bash scripts/bench-server.sh
#
# Knobs (environment): BENCH_SECONDS (10 a run), BENCH_THREADS (wrk's, 2),
# BENCH_CONNS ("1 8 32": connection counts for status and quote),
# BENCH_ORDER_CONNS ("4 16 64"), BENCH_MEMBERS (members the orders are
# spread over, 2000 new ones a run), BENCH_DB ("sqlite postgres"), BENCH_ROUTES ("status
# quote orders"), BENCH_ENGINE (1: the wasmtime-vs-native step; 0 skips
# it), BENCH_OUT (the work folder; a new temporary one by default),
# BENCH_SERVER (a siyu-server binary to run instead of building one, e.g.
# a patched build), BENCH_SERVER_ARGS (extra siyu-server flags).
#
# wrk and the server share this machine's cores: every figure is of both.
# An order run with a non-2xx answer or a socket error is marked INVALID.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { echo "bench-server: $*" >&2; }

seconds=${BENCH_SECONDS:-10}
threads=${BENCH_THREADS:-2}
conns=${BENCH_CONNS:-"1 8 32"}
order_conns=${BENCH_ORDER_CONNS:-"4 16 64"}
members=${BENCH_MEMBERS:-2000}
dbs=${BENCH_DB:-"sqlite postgres"}
engine_step=${BENCH_ENGINE:-1}
routes=${BENCH_ROUTES:-"status quote orders"}
out=${BENCH_OUT:-$(mktemp -d /tmp/siyu-bench.XXXXXX)}
mkdir -p "$out"

# --- build and tools -------------------------------------------------------
[ -f pkg/siyu_wasm_bg.wasm ] || bash scripts/build-wasm.sh
if ! command -v wrk >/dev/null; then
  say "apt-get install wrk"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
command -v curl >/dev/null || { say "curl is required"; exit 1; }
server_bin=${BENCH_SERVER:-}
if [ -z "$server_bin" ]; then
  say "cargo build --release (server/)"
  cargo build --quiet --release --locked --manifest-path server/Cargo.toml
  server_bin=server/target/release/siyu-server
fi

# --- the server --------------------------------------------------------------
server_pid=""
pg_dir=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$pg_dir" ]; then bash scripts/postgres.sh stop "$pg_dir"; fi
}
trap cleanup EXIT

# start_server NAME [--database URL]: a fresh server on a free port; sets
# $addr and $server_pid.
start_server() {
  local name=$1; shift
  local data="$out/$name-data"
  rm -rf "$data"; mkdir -p "$data"
  # shellcheck disable=SC2086
  "$server_bin" --port 0 --data "$data" "$@" ${BENCH_SERVER_ARGS:-} >"$out/$name-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    grep -q 'admin token' "$out/$name-server.log" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$out/$name-server.log" >&2; exit 1; }
    sleep 0.1
  done
  addr=$(sed -n 's|^siyu-server: http://\([^/]*\)/.*|\1|p' "$out/$name-server.log")
  [ -n "$addr" ] || { say "the server did not start"; cat "$out/$name-server.log" >&2; exit 1; }
  say "$name: http://$addr/"
}

stop_server() {
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# sign_up N FILE: N new members, their tokens one a line in FILE.
sign_up() {
  python3 - "http://$addr/api/members" "$1" >"$2" <<'PY'
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
url, n = sys.argv[1], int(sys.argv[2])
def one(i):
    body = json.dumps({"nickname": f"bench-{i}", "password": "bench-password"}).encode()
    req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)["token"]
with ThreadPoolExecutor(4) as pool:
    for token in pool.map(one, range(1, n + 1)):
        print(token)
PY
}

token_of() { sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }

# The cart: 10 lines over the demo catalog (src/demo/rules.json), one SKU twice.
lines='[{"sku":"tea-longjing","category":"tea","unit_price":16800,"quantity":1},
{"sku":"tea-puer","category":"tea","unit_price":6800,"quantity":2},
{"sku":"tea-jasmine","category":"tea","unit_price":3900,"quantity":1},
{"sku":"cup-glass","category":"teaware","unit_price":4500,"quantity":3},
{"sku":"pot-clay","category":"teaware","unit_price":32800,"quantity":1},
{"sku":"snack-nuts","category":"snacks","unit_price":5900,"quantity":2},
{"sku":"snack-mooncake","category":"snacks","unit_price":12800,"quantity":1},
{"sku":"gift-bag","category":"gifts","unit_price":1900,"quantity":4},
{"sku":"card-100","category":"giftcard","unit_price":10000,"quantity":1},
{"sku":"tea-longjing","category":"tea","unit_price":16800,"quantity":2}]'
lines=$(echo "$lines" | tr -d '\n')

rows="$out/rows.md"
: >"$rows"

# run DB ROUTE CONNS SCRIPT URL [-- ARGS]: one wrk run; appends a table row.
run() {
  local db=$1 route=$2 c=$3 script=$4 url=$5; shift 5
  local log="$out/$db-$route-c$c.txt"
  # The load before the run: other work on the machine shows here.
  echo "$db $route c$c: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/loadavg.txt"
  # wrk wants at least as many connections as threads; an argument
  # "@threads" is replaced by the count used (order.lua splits its members
  # by it).
  local t=$threads
  [ "$c" -ge "$t" ] || t=$c
  local args=() a
  for a in "$@"; do [ "$a" = @threads ] && args+=("$t") || args+=("$a"); done
  wrk -t "$t" -c "$c" -d "${seconds}s" --timeout 10s --latency -s "$script" "$url" "${args[@]}" >"$log" 2>&1 || true
  local line
  line=$(grep '^BENCH ' "$log" || true)
  [ -n "$line" ] || { say "wrk failed:"; cat "$log" >&2; exit 1; }
  local rps p50 p99 non2xx errors statuses note=""
  rps=$(sed 's/.* rps=\([^ ]*\).*/\1/' <<<"$line")
  p50=$(sed 's/.* p50_ms=\([^ ]*\).*/\1/' <<<"$line")
  p99=$(sed 's/.* p99_ms=\([^ ]*\).*/\1/' <<<"$line")
  non2xx=$(sed 's/.* non2xx=\([^ ]*\).*/\1/' <<<"$line")
  errors=$(sed 's/.* errors=\([^ ]*\).*/\1/' <<<"$line")
  statuses=$(sed 's/.* statuses=\([^ ]*\).*/\1/' <<<"$line")
  requests_done=$(sed 's/.* requests=\([^ ]*\).*/\1/' <<<"$line")
  if [ "$route" = orders ]; then
    note="$(awk -v r="$requests_done" -v m="$members" 'BEGIN { printf "%.1f", r / m }') orders a member at the end"
    if [ "$non2xx" != 0 ] || [ "$errors" != 0 ]; then note="INVALID ($statuses)"; fi
  fi
  printf '| %s | %s | %s | %.0f | %.2f | %.2f | %s | %s | %s |\n' \
    "$db" "$route" "$c" "$rps" "$p50" "$p99" "$non2xx" "$errors" "$note" | tee -a "$rows" >&2
}

bench_db() {
  local db=$1; shift
  start_server "$db" "$@"
  echo "$(date -u +%FT%TZ) $db $(curl -s "http://$addr/api/status")" >>"$out/status.txt"

  # The quote's member: a wallet of the demo's claimable coupons.
  curl -sS -X POST "http://$addr/api/members" -d '{"nickname":"quote","password":"bench-password"}' \
    | token_of >"$out/quote-token"
  local qt
  qt=$(cat "$out/quote-token")
  local claimed=0
  for t in full-200-30 full-200-30 tea-85 no-threshold-10 no-threshold-10 no-threshold-10 ship-free \
           jasmine-swap birthday-30 new-20; do
    if curl -s -o /dev/null -w '%{http_code}' -X POST "http://$addr/api/coupons/$t/claim" \
         -H "Authorization: Bearer $qt" | grep -q '^2'; then claimed=$((claimed + 1)); fi
  done
  say "$db: the quote's member holds $claimed coupons"
  echo "{\"cart\":{\"lines\":$lines,\"coupons\":\"best\",\"points\":\"max\"}}" >"$out/quote.json"
  curl -sS --fail-with-body -X POST "http://$addr/api/quote" -H "Authorization: Bearer $qt" \
    -d @"$out/quote.json" >"$out/$db-quote-answer.json"

  # The orders' payable and fingerprint, quoted for a new member: every
  # order run books on members of its own, all new (the same state, the
  # same price), so that no run prices members the one before made longer
  # (a member's state, read and written by every booking, keeps each order).
  local ot order_cart quote payable fingerprint
  ot=$(curl -sS --fail-with-body -X POST "http://$addr/api/members" -d '{"nickname":"order","password":"bench-password"}' | token_of)
  order_cart="{\"lines\":$lines,\"coupons\":\"none\",\"points\":0}"
  quote=$(curl -sS --fail-with-body -X POST "http://$addr/api/quote" -H "Authorization: Bearer $ot" \
    -d "{\"cart\":$order_cart}")
  payable=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["totals"]["payable"])' "$quote")
  fingerprint=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["fingerprint"])' "$quote")
  echo "{\"cart\":$order_cart,\"expect_payable\":$payable,\"expect_fingerprint\":\"$fingerprint\"}" >"$out/order.json"
  say "$db: each order pays $payable under $fingerprint"

  [[ " $routes " == *" status "* ]] && for c in $conns; do run "$db" status "$c" scripts/bench/status.lua "http://$addr/api/status"; done
  [[ " $routes " == *" quote "* ]] && for c in $conns; do
    run "$db" quote "$c" scripts/bench/quote.lua "http://$addr/api/quote" -- "$out/quote-token" "$out/quote.json"
  done
  if [[ " $routes " == *" orders "* ]]; then
    for c in $order_conns; do
      say "$db: signing up $members members for the orders at $c connections"
      sign_up "$members" "$out/$db-tokens-c$c"
      run "$db" orders "$c" scripts/bench/order.lua "http://$addr/api/orders" -- "$out/$db-tokens-c$c" "$out/order.json" @threads
    done
  fi
  echo "$(date -u +%FT%TZ) $db $(curl -s "http://$addr/api/status")" >>"$out/status.txt"
  stop_server
}

for db in $dbs; do
  case $db in
    sqlite) bench_db sqlite ;;
    postgres)
      pg_dir=$(mktemp -d /tmp/siyu-pg.XXXXXX)
      url=$(bash scripts/postgres.sh start "$pg_dir")
      bench_db postgres --database "$url"
      bash scripts/postgres.sh stop "$pg_dir"
      pg_dir=""
      ;;
    *) say "BENCH_DB: sqlite or postgres, not $db"; exit 1 ;;
  esac
done

# --- one quote: wasmtime against native --------------------------------------
engine_out=""
if [ "$engine_step" = 1 ]; then
  say "wasmtime vs native: cargo build --release (siyu-wasmtime), then the native quote_timing"
  cargo build --quiet --release --locked --manifest-path server/Cargo.toml -p siyu-host-wasmtime
  server/target/release/siyu-wasmtime time >"$out/engine-wasmtime.txt" 2>&1
  cargo run --quiet --release -p siyu-wasm --example quote_timing >"$out/engine-native.txt" 2>&1
  engine_out=$(printf '\nwasmtime (`siyu-wasmtime time`, fuel off):\n%s\n\nnative (`quote_timing`):\n%s\n' \
    "$(cat "$out/engine-wasmtime.txt")" "$(cat "$out/engine-native.txt")")
fi

cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
echo
echo "siyu-server on $(nproc) cores ($cpu), wrk -t $threads -d ${seconds}s on the same cores; work folder $out"
echo
echo "| db | route | connections | requests/s | p50 ms | p99 ms | non-2xx | socket errors | note |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
cat "$rows"
echo "$engine_out"
