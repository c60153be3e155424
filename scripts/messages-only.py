#!/usr/bin/env python3
"""Check that changed conformance vectors differ only in message text.

Usage: python3 scripts/messages-only.py [REV]   (REV defaults to HEAD)

For every vector file that differs from REV, both versions are parsed and
every `en` / `zh` string is masked; the masked documents must be equal. A
rewording of messages passes; a changed code, path, answer or input fails.
"""
import json
import subprocess
import sys

rev = sys.argv[1] if len(sys.argv) > 1 else "HEAD"


def mask(v):
    if isinstance(v, dict):
        return {k: ("<msg>" if k in ("en", "zh") and isinstance(x, str) else mask(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [mask(x) for x in v]
    return v


changed = subprocess.run(
    ["git", "diff", "--name-only", rev, "--", "tests/vectors"], capture_output=True, text=True, check=True
).stdout.split()
bad = 0
for path in changed:
    if not path.endswith(".json"):
        continue
    old = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, text=True)
    if old.returncode != 0:
        print(f"new file (not a rewording): {path}")
        bad += 1
        continue
    with open(path) as f:
        new = json.load(f)
    if mask(json.loads(old.stdout)) != mask(new):
        print(f"more than messages changed: {path}")
        bad += 1
print(f"{len(changed)} vector files changed, {len(changed) - bad} only in `en`/`zh` text")
sys.exit(1 if bad else 0)
