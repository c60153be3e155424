// Reading a Wasm module's bytes, for scripts/wasm-exports.mjs and
// scripts/wasm-order.mjs: LEB128 integers and the top-level sections.

/** The unsigned LEB128 integer at `at`, and the offset after it. */
export function leb(bytes, at) {
  let n = 0, shift = 0, b;
  do { b = bytes[at++]; n += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return [n, at];
}

/** `n` as unsigned LEB128 bytes. */
export function uleb(n) {
  const out = [];
  do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; out.push(b); } while (n);
  return out;
}

/** Each section as { id, start (its id byte), body (its contents), end }. */
export function* sections(bytes) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('not a Wasm module');
  let at = 8;
  while (at < bytes.length) {
    const [size, body] = leb(bytes, at + 1);
    yield { id: bytes[at], start: at, body, end: body + size };
    at = body + size;
  }
}
