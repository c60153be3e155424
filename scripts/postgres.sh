#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the server's tests and benchmarks,
# from Debian's packages (installed if missing): `initdb` in a temporary
# folder, trust authentication, listening on 127.0.0.1 only.
#
#   bash scripts/postgres.sh start DIR   # prints the URL: postgres://postgres@127.0.0.1:PORT
#   bash scripts/postgres.sh stop DIR
#
# PostgreSQL refuses to run as root: as root, the cluster runs as Debian's
# `postgres` user.
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?a folder for the cluster}
bin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "$cmd" = stop ]; then
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi

if [ ! -x "$bin/initdb" ]; then
  echo "postgres.sh: apt-get install postgresql-15" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  # Debian's package starts a cluster of its own; this script never uses it.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql-15 >/dev/null
fi
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
echo "postgres://postgres@127.0.0.1:$port"
