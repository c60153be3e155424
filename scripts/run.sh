#!/usr/bin/env bash
# Price the demo cart with the built-in demo rules and print the answer.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "run.sh: cargo is required (https://rustup.rs)" >&2; exit 1; }
cargo run --quiet --release -- "$@"
