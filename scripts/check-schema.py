#!/usr/bin/env python3
"""Validate the conformance corpus against the committed JSON Schemas.

    python3 scripts/check-schema.py

For every vector in tests/vectors: if the answer is `ok`, its input must be
valid under docs/schema/<op>.input.json and the `ok` value under
<op>.answer.json; if it is an `error`, that error must be valid under
docs/schema/error.json. Uses Python's `jsonschema` (PyPI; `pip install
jsonschema`), an implementation independent of the engine, with draft
2020-12. The schemas themselves are written by the derives
(`SIYU_BLESS=1 cargo test --test schema` regenerates them).
"""
import json
import pathlib
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:
    sys.exit("check-schema.py: needs Python's jsonschema (pip install jsonschema)")

root = pathlib.Path(__file__).resolve().parent.parent
schemas = root / "docs" / "schema"


def validator(name):
    schema = json.loads((schemas / name).read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


error = validator("error.json")
ops = {}
for f in sorted(schemas.glob("*.input.json")):
    op = f.name[: -len(".input.json")]
    ops[op] = (validator(f.name), validator(f"{op}.answer.json"))

checked = {"ok": 0, "error": 0}
bad = []


def check(v, value, what, path):
    # The first problem only: enough to find it.
    for e in v.iter_errors(value):
        bad.append(f"{path}: {what} at {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
        return


for path in sorted((root / "tests" / "vectors").rglob("*.json")):
    # The corpus nests one input deeper than Python's default limit allows
    # for validation, on purpose (JSON_SYNTAX); its answer is an error.
    try:
        doc = json.loads(path.read_text())
    except RecursionError:
        continue
    name = str(path.relative_to(root))
    # A steps vector: each step is a call of its own.
    for i, call in enumerate(doc["steps"] if "steps" in doc else [doc]):
        where = f"{name} step {i}" if "steps" in doc else name
        expected = call.get("expected") or {}
        if "ok" in expected:
            if call["op"] not in ops:
                bad.append(f"{where}: no schema for op {call['op']}")
                continue
            input_v, answer_v = ops[call["op"]]
            check(input_v, call["input"], "input", where)
            check(answer_v, expected["ok"], "answer", where)
            checked["ok"] += 1
        elif "error" in expected:
            check(error, expected["error"], "error", where)
            checked["error"] += 1

for line in bad:
    print(line)
print(
    f"check-schema: {checked['ok']} ok vectors (input and answer) and {checked['error']} errors "
    f"checked against docs/schema; {len(bad)} invalid"
)
sys.exit(1 if bad or checked["ok"] == 0 else 0)
