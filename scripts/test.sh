#!/usr/bin/env bash
# Run every test the project has, installing what it needs (skipping what is
# there): the formatting and lint gates (scripts/lint.sh), the native suite (unit, integration, property, doc tests and the
# conformance corpus), then the one .wasm built and run on every host —
# Node, headless Chromium, the mini-program shim (scripts/test-js-hosts.sh)
# and wasmtime from Rust and Python (scripts/test-wasm-runtimes.sh); the
# merchant's server on real processes and databases (scripts/test-server.sh); the
# corpus against the JSON Schemas of docs/schema (scripts/check-schema.sh); then
# every fuzz target built and run briefly (scripts/test-fuzz.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || { echo "test.sh: cargo is required (https://rustup.rs)" >&2; exit 1; }

passed=0
failed=0
step() {
  local name=$1; shift
  echo
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "!! $name failed" >&2; fi
}

step "formatting and lints: rustfmt --check, clippy with warnings denied" bash scripts/lint.sh
step "native: unit, integration, property, doc tests, conformance corpus" cargo test --quiet
step "JSON Schema: the corpus valid under docs/schema (Python jsonschema)" bash scripts/check-schema.sh
step "JS hosts: build the .wasm and npm package; Node, Chromium, mini-program shim, TypeScript" bash scripts/test-js-hosts.sh
step "plain Wasm runtimes (raw ABI): wasmtime, wasmtime-py" bash scripts/test-wasm-runtimes.sh
step "the server: API, concurrency and crash tests on real processes and SQLite" bash scripts/test-server.sh
step "fuzz targets: build and smoke-run (cargo-fuzz, stable, no sanitizer)" bash scripts/test-fuzz.sh

echo
echo "test suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
