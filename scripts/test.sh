#!/usr/bin/env bash
# Run every test the project has.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "test.sh: cargo is required (https://rustup.rs)" >&2; exit 1; }
echo "== native: unit, integration, property and doc tests"
cargo test --quiet
