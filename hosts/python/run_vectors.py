#!/usr/bin/env python3
"""The conformance corpus on wasmtime-py, through siyu's raw JSON ABI.

    python3 hosts/python/run_vectors.py [WASM] [--vectors DIR]

WASM defaults to pkg/siyu_wasm_bg.wasm; its SHA-256 must match the .sha256
file next to it. Every file tests/vectors/**/*.json is one case
{"op", "input", "expected"}: the canonical JSON of `input` goes in, and the
answer must be, byte for byte, the canonical JSON of `expected`. A steps
vector {"steps": [{"op", "input", "expected"}, ...]} runs its steps in order
on the one instance (rules prepared, then named by fingerprint), and is
identical when every step is. The last
line is `conformance: wasmtime-py: <N> of <M> vectors identical`; the exit
status is non-zero unless N == M (and M > 0).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from siyu_raw import DEFAULT_WASM, CallFailed, Module, canonical  # noqa: E402


def first_difference(got: str, want: str) -> str:
    at = 0
    for a, b in zip(got, want):
        if a != b:
            break
        at += 1
    lo = max(0, at - 60)
    return f"first difference at character {at}\n      got: …{got[lo:lo + 160]}\n     want: …{want[lo:lo + 160]}"


def load_vectors(root: Path):
    for path in sorted(root.rglob("*.json"), key=lambda p: p.relative_to(root).parts):
        name = str(path.relative_to(root))
        doc = json.loads(path.read_text(encoding="utf-8"))
        steps = []
        for step in doc["steps"] if "steps" in doc else [doc]:
            if not isinstance(step.get("op"), str) or "input" not in step or "expected" not in step:
                raise SystemExit(f"{name}: a vector is {{\"op\": string, \"input\", \"expected\"}} or {{\"steps\": [...]}}")
            steps.append((step["op"], canonical(step["input"]), canonical(step["expected"])))
        yield name, steps, "steps" in doc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wasm", nargs="?", default=DEFAULT_WASM)
    ap.add_argument("--vectors", default="tests/vectors")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the fuel of every vector")
    args = ap.parse_args()
    # One vector nests deeper than the engine accepts, on purpose.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    vectors = list(load_vectors(Path(args.vectors)))
    total = len(vectors)
    try:
        module = Module(args.wasm)
    except SystemExit as e:
        print(f"error: {e}", file=sys.stderr)
        print(f"conformance: wasmtime-py: 0 of {total} vectors identical")
        return 1
    print(f"module: {module.path} ({module.size} bytes, sha256 {module.sha256}, matches the pinned hash)", file=sys.stderr)
    siyu = module.instantiate()
    identical = 0
    fuel_total = 0
    calls = 0
    for name, steps, is_steps in vectors:
        same = True
        for i, (op, data, want) in enumerate(steps):
            where = f"{name} step {i}" if is_steps else name
            calls += 1
            try:
                got = siyu.call(op, data)
            except CallFailed as e:
                print(f"MISMATCH {where} ({op}): {e}")
                siyu = module.instantiate()
                same = False
                break
            fuel_total += siyu.last_fuel
            if args.verbose:
                print(f"fuel: {siyu.last_fuel:>10} {where}")
            if got != want:
                print(f"MISMATCH {where} ({op}): {first_difference(got, want)}")
                same = False
        identical += same
    print(f"fuel: {fuel_total} instructions over {calls} calls")
    print(f"conformance: wasmtime-py: {identical} of {total} vectors identical")
    return 0 if total > 0 and identical == total else 1


if __name__ == "__main__":
    sys.exit(main())
