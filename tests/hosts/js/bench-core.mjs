// The JS benchmark body, shared by Node and the Chromium page (browser-safe).
// `now()` is a high-resolution clock in milliseconds.

export const SIZES = [10, 50, 200];

/** Imports for the module's raw face alone: every import (the JS glue's)
 * a stub that throws, as the raw face never calls one. */
export function rawImports(module) {
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    imports[imp.module] ??= {};
    if (imp.kind === 'function') imports[imp.module][imp.name] = () => { throw new Error(`raw face called ${imp.name}`); };
  }
  return imports;
}

/** Take `--name N` out of command-line `args`: the number, or `dflt`. */
export function numberOption(args, name, dflt) {
  const i = args.indexOf(name);
  return i < 0 ? dflt : Number(args.splice(i, 2)[1]);
}

/** The bench inputs: the corpus vector cut to 10, 50 and 200 lines. */
export function inputs(vectorText) {
  const doc = JSON.parse(vectorText);
  return SIZES.map((lines) => {
    const input = structuredClone(doc.input);
    input.cart.lines = input.cart.lines.slice(0, lines);
    return { lines, input, text: JSON.stringify(input) };
  });
}

/**
 * Median per-call time in µs over ≥ minMs (after a warm-up). Calls are timed
 * in batches of ≥ 5 ms, since a browser's clock is coarse (100 µs).
 */
export function medianUs(f, now, minMs = 1500) {
  for (let i = 0; i < 20; i++) f(); // warm-up (and tier-up)
  const t0 = now();
  for (let i = 0; i < 20; i++) f();
  const per = Math.max((now() - t0) / 20, 0.001);
  const batch = Math.max(1, Math.ceil(10 / per)); // ≈ 10 ms per sample
  const samples = [];
  const start = now();
  while (samples.length < 15 || now() - start < minMs) {
    const t = now();
    for (let i = 0; i < batch; i++) f();
    samples.push(((now() - t) * 1000) / batch);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** Median time in ms to compile + instantiate `bytes` with `imports`, over `n` runs. */
export async function instantiateMs(bytes, imports, now, n = 10) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = now();
    await WebAssembly.instantiate(bytes, imports);
    times.push(now() - t);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

export function quotes(siyu, vectorText, now) {
  return inputs(vectorText).map(({ lines, input, text }) => {
    if (!siyu.call('quote', text).startsWith('{"ok"')) throw new Error(`the ${lines}-line quote failed`);
    return {
      lines,
      call_us: medianUs(() => siyu.call('quote', text), now),
      object_us: medianUs(() => siyu.quote(input), now),
    };
  });
}

/**
 * The same quotes through the raw face (docs/ABI.md) of `exports`, an
 * instance of the module: UTF-8 bytes in, the answer's bytes copied out,
 * never decoded into a JS string. This is the work native `ops::call` does
 * (text in, text out), without the JS string conversions of `call`; in
 * Node 20, decoding a 67 KB answer that holds a few hundred non-ASCII bytes
 * takes about 200 µs by itself.
 */
export function rawQuotes(exports, vectorText, now) {
  const call = rawCall(exports);
  return inputs(vectorText).map(({ lines, text }) => {
    const input = new TextEncoder().encode(text);
    const first = new TextDecoder().decode(call(input));
    if (!first.startsWith('{"ok"')) throw new Error(`the ${lines}-line raw quote failed: ${first.slice(0, 200)}`);
    return { lines, raw_us: medianUs(() => call(input), now) };
  });
}

/**
 * A/B of modules: the same raw-face quote of `lines` lines on instances of
 * each module, timed in alternating batches of `batch` calls for `rounds`
 * rounds, so each module sees the same machine. Per module: the median and
 * the 10th percentile of the per-call time over the batches, µs.
 */
export function abRaw(instances, vectorText, lines, now, rounds = 30, batch = 40) {
  const { text } = inputs(vectorText).find((x) => x.lines === lines) ?? inputs(vectorText).at(-1);
  const input = new TextEncoder().encode(text);
  const calls = instances.map((exports) => rawCall(exports));
  // Warm-up by time, not count: Chromium moves a function from its
  // baseline compiler to its optimizing one only after it has run a while.
  for (const call of calls) {
    const t = now();
    while (now() - t < 1500) call(input);
  }
  const samples = calls.map(() => []);
  for (let r = 0; r < rounds; r++) {
    calls.forEach((call, k) => {
      const t = now();
      for (let i = 0; i < batch; i++) call(input);
      samples[k].push(((now() - t) * 1000) / batch);
    });
  }
  return samples.map((s) => {
    s.sort((a, b) => a - b);
    return { median_us: s[s.length >> 1], p10_us: s[Math.floor(s.length / 10)] };
  });
}

/** One raw-face quote of UTF-8 `input` on `exports`: the answer's bytes. */
export function rawCall(exports) {
  const op = new TextEncoder().encode('quote');
  const mem = () => new Uint8Array(exports.memory.buffer);
  return (input) => {
    const o = exports.siyu_alloc(op.length) >>> 0;
    mem().set(op, o);
    const i = exports.siyu_alloc(input.length) >>> 0;
    mem().set(input, i);
    const res = exports.siyu_call(o, op.length, i, input.length) >>> 0;
    const n = new DataView(exports.memory.buffer).getUint32(res, true);
    const answer = mem().slice(res + 4, res + 4 + n);
    exports.siyu_free(res, n + 4);
    exports.siyu_free(o, op.length);
    exports.siyu_free(i, input.length);
    return answer;
  };
}
