#!/usr/bin/env bash
# The corpus against the committed JSON Schemas (docs/schema/): every vector
# whose answer is ok has an input valid under its op's input schema and an
# answer valid under its answer schema; every error is valid under
# error.json. With Python's jsonschema from PyPI, installed if missing.
# (That the files are what the derives write is `cargo test --test schema`.)
set -euo pipefail
cd "$(dirname "$0")/.."
JSONSCHEMA_PY=4.26.0
command -v python3 >/dev/null || { echo "check-schema: python3 is required" >&2; exit 1; }
if ! python3 -c 'import jsonschema' 2>/dev/null; then
  echo "check-schema: installing jsonschema==$JSONSCHEMA_PY from PyPI" >&2
  python3 -m pip install --quiet "jsonschema==$JSONSCHEMA_PY" ||
    python3 -m pip install --quiet --user --break-system-packages "jsonschema==$JSONSCHEMA_PY"
fi
exec python3 scripts/check-schema.py
