#!/usr/bin/env python3
"""Bad input through siyu's raw face, from wasmtime-py: an error value, never
a trap, never memory corruption. The same checks as the Rust host's
`siyu-wasmtime hostile` (hosts/wasmtime/src/hostile.rs).

    python3 hosts/python/hostile.py [WASM] [-v]     (-v: every check, not only failures)

Every check runs on ONE instance; afterwards the module must still answer
exactly as before, and 1,000 mixed calls (on that instance and on a fresh
one) must not grow linear memory. Last line:
`hostile: wasmtime-py: <N> of <M> checks passed`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from siyu_raw import DEFAULT_WASM, CallFailed, Module, Siyu  # noqa: E402

MAX_INPUT = 16 << 20
U32_MAX = 0xFFFFFFFF


def clip(s: str) -> str:
    return s[:200]


def error_code(text: str) -> str:
    try:
        v = json.loads(text)
    except ValueError as e:
        raise AssertionError(f"answer is not JSON ({e}): {clip(text)}")
    code = v.get("error", {}).get("code") if isinstance(v, dict) else None
    if not isinstance(code, str):
        raise AssertionError(f"expected an error envelope, got {clip(text)}")
    return code


def first_problem(text: str) -> str:
    try:
        return json.loads(text)["error"]["problems"][0]["code"]
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


def expect_code(text: str, code: str) -> None:
    if error_code(text) != code:
        raise AssertionError(f"expected {code}, got {clip(text)}")


def expect_syntax(text: str) -> None:
    expect_code(text, "INPUT_INVALID")
    if first_problem(text) != "JSON_SYNTAX":
        raise AssertionError(f"expected problem JSON_SYNTAX, got {clip(text)}")


def is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def call_with_op(s: Siyu, op: bytes, op_len: int, in_ptr: int, in_len: int) -> str:
    """siyu_call with a real operation buffer and any input pointer/length."""
    p = s.put(op)
    try:
        return s.call_at(p, op_len, in_ptr, in_len)
    finally:
        s.free(p, len(op))


def thousand_calls(s: Siyu, good: str, reference: str) -> tuple[int, int]:
    """1,000 calls, good and bad mixed, every buffer freed; linear memory
    after 100 and after 1,000 calls."""
    bad_utf8 = b'{"a":"\xff"}'
    cut = good.encode()[: len(good.encode()) // 3]
    padded = b"{}" + b" " * (65536 - 2)
    outside = s.grow(1)
    s.write(outside, padded)
    warm = 0
    for i in range(1000):
        k = i % 6
        if k == 0:
            text = s.call("quote", good)
        elif k == 1:
            text = s.call("quote", bad_utf8)
        elif k == 2:
            text = s.call("quote", cut)
        elif k == 3:
            text = call_with_op(s, b"quote", 5, U32_MAX - 10, 100)
        elif k == 4:
            text = call_with_op(s, b"quote", 5, outside, len(padded))
        else:
            text = s.call("no_such_op", "{}")
        if k == 0 and text != reference:
            raise AssertionError(f"call {i}: the quote differs")
        if k != 0 and not text.startswith('{"error":'):
            raise AssertionError(f"call {i}: expected an error: {clip(text)}")
        if i == 99:
            warm = s.memory_bytes()
    return warm, s.memory_bytes()


def main() -> int:
    args = [a for a in sys.argv[1:] if a not in ("-v", "--verbose")]
    verbose = len(args) != len(sys.argv) - 1
    path = args[0] if args else DEFAULT_WASM
    try:
        module = Module(path)
    except SystemExit as e:
        print(f"error: {e}", file=sys.stderr)
        print("hostile: wasmtime-py: 0 of 0 checks passed")
        return 1
    print(f"module: {module.path} ({module.size} bytes, sha256 {module.sha256}, matches the pinned hash)", file=sys.stderr)
    s = module.instantiate()
    demo = Path(__file__).resolve().parents[2] / "src" / "demo" / "rules.json"
    rules = json.loads(demo.read_text(encoding="utf-8"))
    cart = {
        "lines": [
            {"sku": "tea-longjing", "category": "tea", "unit_price": 16800, "quantity": 3},
            {"sku": "pot-clay", "category": "teaware", "unit_price": 32800, "quantity": 1},
        ],
        "coupons": "best",
    }
    good = json.dumps({"rules": rules, "cart": cart, "now": 1795600000000}, ensure_ascii=False)
    good_b = good.encode()
    reference = s.call("quote", good)
    assert reference.startswith('{"ok":'), clip(reference)
    validate_in = json.dumps({"rules": rules}, ensure_ascii=False)
    validate_ref = s.call("validate_rules", validate_in)

    results = {"passed": 0, "total": 0}
    notes = []

    def check(name: str, body, inst: Siyu | None = None) -> None:
        results["total"] += 1
        try:
            body(inst or s)
            results["passed"] += 1
            if verbose:
                print(f"ok   {name}")
        except (AssertionError, CallFailed) as e:
            print(f"FAIL {name}: {e}")

    # --- invalid UTF-8 -----------------------------------------------------------
    for label, data in [
        ("0xff 0xfe", b"\xff\xfe"),
        ("lone continuation byte", b'{"a":"\x80"}'),
        ("overlong encoding", b'{"a":"\xc0\xaf"}'),
        ("UTF-16 surrogate", b'{"a":"\xed\xa0\x80"}'),
        ("cut multi-byte character", b'{"a":"\xe4\xb8"}'),
        ("beyond U+10FFFF", b'"\xf4\x90\x80\x80"'),
    ]:
        def body(s, data=data):
            text = s.call("quote", data)
            expect_code(text, "INPUT_NOT_UTF8")
            assert json.loads(text)["error"]["path"] == "", text
        check(f"input not UTF-8 ({label}) -> INPUT_NOT_UTF8", body)

    def op_not_utf8(s):
        inp = s.put(b"{}")
        try:
            text = call_with_op(s, b"quo\xffte", 6, inp, 2)
        finally:
            s.free(inp, 2)
        expect_code(text, "INPUT_NOT_UTF8")
        assert json.loads(text)["error"]["path"] == "op", text
    check("operation name not UTF-8 -> INPUT_NOT_UTF8 at `op`", op_not_utf8)

    # --- truncated and malformed JSON ------------------------------------------------
    def cuts(s):
        for k in range(97):
            cut = len(good_b) * k // 97
            text = s.call("quote", good_b[:cut])
            try:
                (expect_syntax if is_utf8(good_b[:cut]) else lambda t: expect_code(t, "INPUT_NOT_UTF8"))(text)
            except AssertionError as e:
                raise AssertionError(f"cut at {cut}: {e}")
    check("the quote input cut at 97 places -> JSON_SYNTAX (or INPUT_NOT_UTF8 mid-character)", cuts)
    for label, data in [
        ("empty input", ""),
        ("only whitespace", " \n\t "),
        ("trailing garbage", "{}}"),
        ("two documents", "{} {}"),
        ("NUL byte", "{\0}"),
        ("bare word", "quote"),
        ("number with no digit after the point", '{"now":1.}'),
        ("unterminated string", '{"rules":"abc'),
        ("lone surrogate escape", '{"a":"\\ud800"}'),
    ]:
        check(f"{label} -> INPUT_INVALID/JSON_SYNTAX", lambda s, d=data: expect_syntax(s.call("validate_rules", d)))
    check("nesting 100,000 deep -> JSON_SYNTAX (recursion limit), no stack overflow",
          lambda s: expect_syntax(s.call("validate_rules", "[" * 100_000)))
    for label, data in [("null", "null"), ("array", "[]"), ("string", '"x"'), ("rules null", '{"rules":null}'), ("a number beyond every integer type", '{"rules":1e400}')]:
        check(f"well-formed but wrong shape ({label}) -> INPUT_INVALID",
              lambda s, d=data: expect_code(s.call("validate_rules", d), "INPUT_INVALID"))

    # --- operation names -----------------------------------------------------------------
    for label, op in [("empty", ""), ("unknown", "nope"), ("NUL inside", "quote\0"), ("1 MiB long", "q" * (1 << 20))]:
        def body(s, op=op):
            text = s.call(op, "{}")
            expect_code(text, "UNKNOWN_OPERATION")
            assert len(text) <= 2000, f"the error echoes {len(text)} bytes of the name"
        check(f"operation name {label} -> UNKNOWN_OPERATION", body)

    # --- wrong lengths ---------------------------------------------------------------------
    def shorter(s):
        inp = s.put(good_b)
        try:
            text = call_with_op(s, b"quote", 5, inp, len(good_b) // 2)
        finally:
            s.free(inp, len(good_b))
        if is_utf8(good_b[: len(good_b) // 2]):
            expect_syntax(text)
        else:
            expect_code(text, "INPUT_NOT_UTF8")
    check("input length shorter than the JSON -> JSON_SYNTAX", shorter)

    def longer(s):
        inp = s.put(b"{}")
        try:
            text = call_with_op(s, b"validate_rules", 14, inp, 2 + 4096)
        finally:
            s.free(inp, 2)
        error_code(text)
    check("input length 4 KiB past the JSON (still in memory) -> an error envelope", longer)

    def op_short(s):
        inp = s.put(b"{}")
        try:
            text = call_with_op(s, b"quote", 4, inp, 2)
        finally:
            s.free(inp, 2)
        expect_code(text, "UNKNOWN_OPERATION")
    check("operation length one short (`quot`) -> UNKNOWN_OPERATION", op_short)
    check("zero lengths with null pointers -> JSON_SYNTAX (the input is parsed before the name is looked up)",
          lambda s: expect_syntax(s.call_at(0, 0, 0, 0)))

    # --- pointers outside linear memory, huge lengths ---------------------------------------
    for label, ptr, n in [
        ("input at the first byte past memory", lambda m: m, 1),
        ("input straddling the end of memory", lambda m: m - 1, 2),
        ("input at 0xFFFFFFFF", lambda m: U32_MAX, 1),
        ("input wrapping past 2^32", lambda m: 0xFFFFFFF0, 0x20),
        ("input at the null pointer", lambda m: 0, 5),
        ("input length 0xFFFFFFFF (-1 as i32)", lambda m: 1024, U32_MAX),
        ("input length 0x80000000 (i32::MIN)", lambda m: 1024, 0x80000000),
        ("input length 3 GiB", lambda m: 1024, 3 << 30),
    ]:
        def body(s, ptr=ptr, n=n):
            op = s.put(b"quote")
            try:
                text = s.call_at(op, 5, ptr(s.memory_bytes()), n)
            finally:
                s.free(op, 5)
            expect_code(text, "INPUT_OUT_OF_BOUNDS")
        check(f"{label} -> INPUT_OUT_OF_BOUNDS", body)

    def op_outside(s):
        inp = s.put(b"{}")
        try:
            text = s.call_at(U32_MAX - 2, 5, inp, 2)
        finally:
            s.free(inp, 2)
        expect_code(text, "INPUT_OUT_OF_BOUNDS")
    check("operation name outside memory -> INPUT_OUT_OF_BOUNDS", op_outside)
    check("zero length at a wild pointer is the empty input -> JSON_SYNTAX",
          lambda s: expect_syntax(call_with_op(s, b"quote", 5, U32_MAX, 0)))

    # --- allocation limits ---------------------------------------------------------------------
    for label, n in [("16 MiB + 5", MAX_INPUT + 5), ("2 GiB", 1 << 31), ("0xFFFFFFFF", U32_MAX)]:
        def body(s, n=n):
            p = s.alloc(n)
            assert p == 0, f"got a buffer at {p}"
        check(f"siyu_alloc({label}) -> 0, no trap", body)

    def alloc_zero(s):
        p = s.alloc(0)
        assert p != 0, "refused"
        s.free(p, 0)
    check("siyu_alloc(0) -> a buffer that siyu_free(ptr, 0) takes back", alloc_zero)

    # --- huge payloads -------------------------------------------------------------------------------
    notes.append(f"linear memory before the huge payloads: {s.memory_bytes()} B")

    def big_string(s):
        big = b'{"rules":"' + b"a" * (MAX_INPUT - 12) + b'"}'
        assert len(big) == MAX_INPUT
        text = s.call("validate_rules", big)
        notes.append(f"the 16 MiB string answer is {len(text.encode())} bytes ({s.last_fuel} instructions, "
                     "about 7 a byte read): the message quotes the value's first 100 characters")
        # The refusal quotes a clip of the value, never the whole of it.
        assert len(text.encode()) < 1024, f"a {len(text.encode())}-byte answer to a 16 MiB string"
        expect_code(text, "INPUT_INVALID")
        assert first_problem(text) == "WRONG_TYPE", clip(text)
    check("16 MiB string where the rules go -> INPUT_INVALID (wrong type)", big_string)
    check("16 MiB of `[` -> JSON_SYNTAX", lambda s: expect_syntax(s.call("quote", b"[" * MAX_INPUT)))

    def too_large(s):
        n = MAX_INPUT + 1
        at = s.grow(-(-n // 65536))
        s.write(at, b" " * n)
        expect_code(call_with_op(s, b"quote", 5, at, n), "INPUT_TOO_LARGE")
    check("16 MiB + 1 byte (in host-grown pages) -> INPUT_TOO_LARGE, unread", too_large)

    def outside_alloc(s):
        at = s.grow(-(-len(good_b) // 65536))
        s.write(at, good_b)
        text = call_with_op(s, b"quote", 5, at, len(good_b))
        assert text == reference, f"differs: {clip(text)}"
    check("a good input in memory the module never allocated -> the same answer", outside_alloc)

    def odd_address(s):
        n = len(good_b) + 3
        buf = s.alloc(n)
        s.write(buf + 3, good_b)
        try:
            text = call_with_op(s, b"quote", 5, buf + 3, len(good_b))
        finally:
            s.free(buf, n)
        assert text == reference, f"differs: {clip(text)}"
    check("a good input at an odd address inside a buffer -> the same answer", odd_address)

    # --- careless frees ------------------------------------------------------------------------------------
    def frees(s):
        p = s.alloc(64)
        s.free(p, 63)        # wrong length: ignored, still live
        s.free(p + 8, 56)    # inside a buffer: ignored
        s.free(p, 64)        # the real free
        s.free(p, 64)        # double free: ignored
        s.free(0, 0)
        s.free(0, 10)
        s.free(U32_MAX, 4)
        s.free(1024, 4096)   # the data section
        s.free(s.memory_bytes() + 65536, 16)  # past memory
        a, b = s.alloc(64), s.alloc(64)
        s.write(a, b"\xaa" * 64)
        s.write(b, b"\xbb" * 64)
        text = s.call("quote", good)
        s.free(a, 64)
        s.free(b, 64)
        assert abs(a - b) >= 64, f"overlapping buffers {a} and {b}"
        assert text == reference, f"quote differs afterwards: {clip(text)}"
    check("wild, double, wrong-length and null frees are ignored", frees)

    # --- still working, no unbounded growth -----------------------------------------------------------------
    def same_as_before(s):
        assert s.call("quote", good) == reference, "quote differs"
        assert s.call("validate_rules", validate_in) == validate_ref, "validate_rules differs"
    check("after all of the above the module answers exactly as before", same_as_before)

    for label, inst in [("this instance", s), ("a fresh instance", module.instantiate())]:
        def body(inst, label=label):
            warm, end = thousand_calls(inst, good, reference)
            line = f"{label}: linear memory after 100 calls {warm} B, after 1,000 calls {end} B"
            notes.append(line)
            assert end == warm, line
        check(f"1,000 mixed calls on {label} do not grow linear memory", body, inst)

    for n in notes:
        print(f"note {n}")
    print(f"hostile: wasmtime-py: {results['passed']} of {results['total']} checks passed")
    return 0 if results["passed"] == results["total"] else 1


if __name__ == "__main__":
    sys.exit(main())
