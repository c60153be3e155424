#!/usr/bin/env python3
"""Writes the *inputs* of the conformance corpus under tests/vectors/.

    python3 tests/vectors/gen.py                 # write every vector's op and input
    SIYU_BLESS=1 cargo test --test conformance   # fill in `expected` from the engine
    cargo test --test conformance                # compare, byte for byte

One case per file, `tests/vectors/<area>/<name>.json`:

    {"op": "<op name>", "input": {...}, "expected": {"ok": ...} | {"error": ...}}

or, for calls that depend on the ones before them (rules prepared by
`prepare_rules`, then named by fingerprint), a steps vector run in order in
one session / instance:

    {"steps": [{"op", "input", "expected"}, ...]}

A steps vector's `expected` are written here, each from the *stateless*
engine (`siyu call`) on the step's input with the prepared rules written out
in full: so every host checks that naming rules by fingerprint answers the
same bytes as sending them. Blessing leaves steps vectors alone.

A file whose op and input are unchanged keeps its `expected`; a new or changed
one gets `"expected": null` until it is blessed (and fails until then). Files
that this script no longer produces are deleted. Review what blessing changed
(`git diff tests/vectors`) before committing it.

Member states in inputs are never written by hand: they are folded by the
engine itself (`siyu call replay`, built with cargo), so this script needs the
crate to build. Only the Python 3 standard library is used.

Portability rules every vector keeps, so that each host can parse the file,
re-serialize `input` and get the same text:
- every object in a file is written with sorted keys, and no key looks like an
  integer (JavaScript would reorder those);
- no floats, and every integer is within +-(2^53 - 1);
- the text passed to the op is the canonical JSON of `input` (keys sorted, no
  whitespace) -- `JSON.stringify(vector.input)` gives exactly that;
- one vector (shape/json_syntax_nesting_too_deep) nests deeper than 128
  levels: parse vector files without a nesting limit (serde_json:
  `unbounded_depth` + `disable_recursion_limit`).
"""

import calendar
import copy
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MAX_SAFE = 2**53 - 1

# ----------------------------------------------------------------- the engine

_bin = None
_cache = {}


def canonical(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def engine():
    global _bin
    if _bin is None:
        subprocess.run(["cargo", "build", "--quiet", "--bin", "siyu"], cwd=ROOT, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        _bin = os.path.join(target, "debug", "siyu")
    return _bin


def call(op, inp):
    text = canonical(inp)
    key = (op, text)
    if key not in _cache:
        p = subprocess.run([engine(), "call", op], input=text.encode(), capture_output=True, check=False)
        _cache[key] = json.loads(p.stdout)
    return copy.deepcopy(_cache[key])


def replay(rules, events):
    """A member state folded by the engine from `events`."""
    out = call("replay", {"rules": rules, "events": events})
    if "ok" not in out:
        sys.exit(f"gen.py: a member's events do not replay: {json.dumps(out, ensure_ascii=False)}")
    return out["ok"]


# ------------------------------------------------------------------- time

def at(y, mo, d, h=0, mi=0, s=0, ms=0, off=480):
    """UTC milliseconds of a local wall-clock time at UTC offset `off` minutes."""
    return (calendar.timegm((y, mo, d, h, mi, s)) - off * 60) * 1000 + ms


MS = 1
MIN = 60_000
HOUR = 3_600_000
DAY = 86_400_000
T0 = at(2026, 3, 2, 10)  # Monday 2026-03-02 10:00 Beijing time

# ------------------------------------------------------------------ rules

def R(**over):
    """The smallest valid rule set, with top-level fields replaced."""
    r = {
        "schema": 1,
        "membership": {"growth": {"per_yuan": 1}, "tiers": [{"id": "member", "name": "会员", "threshold": 0}]},
        "points": {"earn_per_yuan": 1, "expiry": {"type": "never"}},
    }
    for k, v in over.items():
        r[k] = copy.deepcopy(v)
    return r


def with_tiers(r, tiers, **membership):
    r = copy.deepcopy(r)
    r["membership"]["tiers"] = copy.deepcopy(tiers)
    r["membership"].update(copy.deepcopy(membership))
    return r


def with_points(r, **points):
    r = copy.deepcopy(r)
    r["points"].update(copy.deepcopy(points))
    return r


def tier(id, name, threshold, retain=None, **benefits):
    t = {"id": id, "name": name, "threshold": threshold}
    if retain is not None:
        t["retain"] = retain
    if benefits:
        t["benefits"] = benefits
    return t


def vip(bp=9500, **more):
    """A single tier that every member is in, with a member price."""
    b = {"discount_bp": bp}
    b.update(more)
    return [tier("vip", "会员", 0, **b)]


def amount_off(amount, threshold=0):
    k = {"type": "amount_off", "amount": amount}
    if threshold:
        k["threshold"] = threshold
    return k


def percent_off(pay_bp, cap=None, threshold=0):
    k = {"type": "percent_off", "pay_bp": pay_bp}
    if cap is not None:
        k["cap"] = cap
    if threshold:
        k["threshold"] = threshold
    return k


def days(n):
    return {"type": "days", "days": n}


def window(f, u):
    """A validity window: local times, `until` exclusive (as a campaign's)."""
    return {"type": "window", "from": f, "until": u}


def tpl(id, name, kind, validity=None, **extra):
    """A coupon template: one flat object, its kind's fields beside its own."""
    t = {"id": id, "name": name, "validity": validity or days(30)}
    t.update(kind)
    t.update(extra)
    return t


def camp(id, name, f, u, kind):
    """A campaign: one flat object, its kind's fields beside its own."""
    c = {"id": id, "name": name, "from": f, "until": u}
    c.update(kind)
    return c


def flash(items, limit, **extra):
    k = {"type": "flash_sale", "items": items, "per_member_limit": limit}
    k.update(extra)
    return k


def limited(items, limit=None, **extra):
    k = {"type": "limited_discount", "items": items}
    if limit is not None:
        k["per_member_limit"] = limit
    k.update(extra)
    return k


def qty_discount(scope, nth=2, pay_bp=5000):
    """`scope` as a coupon's: {"skus": [...]}, {"categories": [...]}, {} for all."""
    return {"type": "quantity_discount", "scope": scope, "nth": nth, "pay_bp": pay_bp}


def full(basis, tiers, scope=None):
    k = {"type": "full_reduction", "basis": basis, "tiers": [{"at": a, "reward": rw} for a, rw in tiers]}
    if scope is not None:
        k["scope"] = scope
    return k


# ------------------------------------------------------------------- carts

def ln(sku, price, qty=1, cat="goods"):
    return {"sku": sku, "category": cat, "unit_price": price, "quantity": qty}


def cart(*lines, coupons=None, points=None, sold=None):
    c = {"lines": list(lines)}
    if coupons is not None:
        c["coupons"] = coupons
    if points is not None:
        c["points"] = points
    if sold is not None:
        c["sold"] = sold
    return c


# ------------------------------------------------------------------ events

def E(id, t, type, **kw):
    e = {"id": id, "at": t, "type": type}
    e.update(kw)
    return e


def join(t=T0, member="m1", id="e-join"):
    return E(id, t, "joined", member=member)


def claims(templates, t=T0 + MIN, prefix="c"):
    """coupon_claimed events, one a second, coupon ids c1, c2, ... (or given as (template, id))."""
    out = []
    for i, x in enumerate(templates):
        tid, cid = x if isinstance(x, tuple) else (x, f"{prefix}{i + 1}")
        out.append(E(f"e-claim-{cid}", t + i * 1000, "coupon_claimed", template=tid, coupon=cid))
    return out


def holder(rules, templates=(), t=T0, extra=()):
    """A member who joined at `t`, then claimed `templates` and booked `extra`."""
    return replay(rules, [join(t)] + claims(list(templates), t + MIN) + list(extra))


NOW = T0 + HOUR  # when quotes of `holder` members are priced

# ----------------------------------------------------------------- the corpus

CASES = {}


def case(area, name, op, inp):
    path = f"{area}/{name}.json"
    if path in CASES:
        sys.exit(f"gen.py: two cases named {path}")
    CASES[path] = {"op": op, "input": inp}


def steps_case(area, name, steps):
    """A steps vector: `steps` is a list of (op, input, stateless input),
    each answered here by the stateless engine on its stateless input."""
    path = f"{area}/{name}.json"
    if path in CASES:
        sys.exit(f"gen.py: two cases named {path}")
    CASES[path] = {"steps": [{"op": op, "input": inp, "expected": call(op, same)} for op, inp, same in steps]}


# Sections that build on the cases of others (`after_sections(f)`): run after every
# section has loaded.
AFTER_SECTIONS = []


def after_sections(f):
    AFTER_SECTIONS.append(f)
    return f


def quote(area, name, rules, c, now=NOW, member=None):
    inp = {"rules": rules, "cart": c, "now": now}
    if member is not None:
        inp["member"] = member
    case(area, name, "quote", inp)


def apply(area, name, rules, event, member=None):
    inp = {"rules": rules, "event": event}
    if member is not None:
        inp["member"] = member
    case(area, name, "apply_event", inp)


def view(area, name, op, rules, member, now):
    case(area, name, op, {"rules": rules, "member": member, "now": now})


# Sections append to CASES; each lives in its own file next to this one.
def load_sections():
    import importlib.util

    for name in sorted(os.listdir(HERE)):
        if name.startswith("cases_") and name.endswith(".py"):
            spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(HERE, name))
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)


# ------------------------------------------------------------------- files

def file_text(doc):
    """The one byte form of a vector file, shared with tests/conformance.rs:
    sorted keys, two-space indent, or one line when that is over 64 KiB."""
    compact = canonical(doc)
    if len(compact.encode()) > 65536:
        return compact + "\n"
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def check_portable(v, where):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return
    if isinstance(v, float):
        sys.exit(f"gen.py: {where}: floats are not portable")
    if isinstance(v, int):
        if abs(v) > MAX_SAFE:
            sys.exit(f"gen.py: {where}: {v} is beyond 2^53")
        return
    if isinstance(v, list):
        for x in v:
            check_portable(x, where)
        return
    for k, x in v.items():
        if k.isdigit():
            sys.exit(f"gen.py: {where}: key {k!r} looks like an integer")
        check_portable(x, where)


def write_all():
    written = set()
    for path, doc in sorted(CASES.items()):
        full_path = os.path.join(HERE, path)
        old = None
        if os.path.exists(full_path):
            with open(full_path, encoding="utf-8") as f:
                old = json.load(f)
        if "steps" in doc:
            for step in doc["steps"]:
                check_portable(step["input"], path)
            text = file_text(doc)
        else:
            check_portable(doc["input"], path)
            expected = None
            if old and old.get("op") == doc["op"] and canonical(old.get("input")) == canonical(doc["input"]):
                expected = old.get("expected")
            text = file_text({"op": doc["op"], "input": doc["input"], "expected": expected})
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        if old is None or open(full_path, encoding="utf-8").read() != text:
            with open(full_path, "w", encoding="utf-8") as f:
                f.write(text)
        written.add(os.path.normpath(full_path))
    removed = 0
    for dirpath, _, files in os.walk(HERE):
        for n in files:
            p = os.path.normpath(os.path.join(dirpath, n))
            if n.endswith(".json") and p not in written:
                os.remove(p)
                removed += 1
    for dirpath, dirs, files in sorted(os.walk(HERE), reverse=True):
        if dirpath != HERE and not os.listdir(dirpath):
            os.rmdir(dirpath)
    areas = {}
    for p in CASES:
        areas[p.split("/")[0]] = areas.get(p.split("/")[0], 0) + 1
    print(f"gen.py: {len(CASES)} vectors ({', '.join(f'{a} {n}' for a, n in sorted(areas.items()))}); {removed} stale removed")


if __name__ == "__main__":
    sys.modules["gen"] = sys.modules["__main__"]
    load_sections()
    for f in AFTER_SECTIONS:
        f()
    write_all()
