// Benchmarks of the JS hosts (recorded in BENCHMARKS.md):
//   - time per quote, Node and Chromium, 10/50/200 lines with 20 wallet
//     coupons (corpus vector big/two_hundred_lines_and_twenty_coupons cut
//     to size), through `call` (JSON text) and the object API, vs native
//     (`cargo run --release -p siyu-wasm --example quote_timing`), and on
//     wasmtime (`hosts/wasmtime`'s `time` mode) when that host is built;
//     every host in each of BENCH_ROUNDS rounds (default 5), ratios taken
//     within a round;
//   - compile + instantiate time of the .wasm in Node and Chromium;
//   - the .wasm's size (raw, gzip -9, Brotli 11), SHA-256 and the Wasm
//     features it requires (binaryen: validation with each feature off).
//
//   bash scripts/build-wasm.sh && node tests/hosts/js/bench.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import * as siyu from 'siyu';
import * as glue from '../../../pkg/siyu_wasm_bg.js';
import { instantiateMs, quotes, rawQuotes, SIZES } from './bench-core.mjs';
import { serve } from './server.mjs';
import { launch } from './browser.mjs';
import { benchVectorPath, here, repo, pkgDir } from './vectors.mjs';

const vectorText = readFileSync(benchVectorPath, 'utf8');
const wasmPath = join(pkgDir, 'siyu_wasm_bg.wasm');
const bytes = readFileSync(wasmPath);
const now = () => performance.now();

// Size and hash.
const size = {
  sha256: createHash('sha256').update(bytes).digest('hex'),
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  // The mini-program's copy, which build-wasm.sh writes; `pkg/` may still
  // hold a stale `siyu_wasm_bg.wasm.br` of an earlier layout (gitignored).
  brotli: readFileSync(join(pkgDir, 'miniprogram_dist', 'siyu_wasm_bg.wasm.br')).length,
};

// Features: which ones the module fails to validate without.
const wasmOpt = join(here, 'node_modules', '.bin', 'wasm-opt');
const declared = (() => {
  const out = execFileSync(wasmOpt, [wasmPath, '--detect-features', '--print-features', '-o', '/dev/null'], { encoding: 'utf8' });
  return out.split(/\s+/).filter((s) => s.startsWith('--enable-')).map((s) => s.slice(9));
})();
// Strip the target_features section (it would re-enable everything), then
// validate with each feature (bulk memory with its -opt subset) turned off.
const bare = join(tmpdir(), `siyu-features-${process.pid}.wasm`);
execFileSync(wasmOpt, [wasmPath, '--mvp-features', ...declared.map((f) => `--enable-${f}`), '--strip-target-features', '-o', bare]);
const groups = declared.filter((f) => f !== 'bulk-memory-opt').map((f) => (f === 'bulk-memory' ? [f, 'bulk-memory-opt'] : [f]));
const required = groups.filter((off) => {
  const flags = ['--mvp-features', ...declared.filter((g) => !off.includes(g)).map((g) => `--enable-${g}`)];
  return spawnSync(wasmOpt, [bare, ...flags, '-o', '/dev/null'], { encoding: 'utf8' }).status !== 0;
}).map((g) => g.join('/'));
rmSync(bare, { force: true });

// Times. The VM these run on is shared, and its speed drifts by tens of
// percent over minutes, so timing native, then Node, then Chromium once
// each gives ratios that mean little. Instead every host runs in each of
// ROUNDS rounds, one after the other, and a ratio is taken within a round
// (native and Wasm measured a few seconds apart); the table reports the
// median over rounds of each time and of each ratio, and the range of the
// ratios.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

// Native, built once before timing: the release profile (opt-level 3, the
// budget's "native build"), and the .wasm's own profile built for this
// machine (`wasm-release`: engine at opt-level "s", the wire at 3), which
// tells the cost of Wasm itself apart from the cost of optimising for size.
const PROFILES = ['release', 'wasm-release'];
for (const profile of PROFILES) {
  execFileSync('cargo', ['build', '-q', '--profile', profile, '-p', 'siyu-wasm', '--example', 'quote_timing'], { cwd: repo });
}
const nativeRun = (profile) => Object.fromEntries(execFileSync('cargo', ['run', '-q', '--profile', profile, '-p', 'siyu-wasm', '--example', 'quote_timing'],
  { cwd: repo, encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.lines, r.native_us]));

// wasmtime (Cranelift), the server runtime, when scripts/test-wasm-runtimes.sh has built its host.
const wasmtimeBin = join(repo, 'hosts', 'wasmtime', 'target', 'release', 'siyu-wasmtime');
const wasmtimeRun = () => {
  const timed = spawnSync(wasmtimeBin, ['time', wasmPath], { cwd: repo, encoding: 'utf8' });
  return timed.status === 0
    ? Object.fromEntries(timed.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.lines, r.wasmtime_us]))
    : null;
};

// Node.
const imports = { './siyu_wasm_bg.js': glue };
const nodeInfo = { instantiate_ms: await instantiateMs(bytes, imports, now), version: process.version };
// A second instance for the raw face (which never calls the glue's imports).
const rawExports = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;

// Chromium, in a page served on 127.0.0.1, loaded afresh each round.
const PAGE = `<!doctype html><meta charset="utf-8"><title>siyu bench</title><link rel="icon" href="data:,">
<script type="module">
import * as siyu from '/pkg/index.js';
import * as glue from '/pkg/siyu_wasm_bg.js';
import { instantiateMs, quotes, rawQuotes } from '/runner/bench-core.mjs';
try {
  const now = () => performance.now();
  const bytes = new Uint8Array(await (await fetch('/pkg/siyu_wasm_bg.wasm')).arrayBuffer());
  const t = now(); await siyu.init(); const first_init_ms = now() - t;
  const vectorText = await (await fetch('/bench-vector.json')).text();
  window.__done = { first_init_ms, instantiate_ms: await instantiateMs(bytes, { './siyu_wasm_bg.js': glue }, now),
    quotes: quotes(siyu, vectorText, now),
    raw: rawQuotes((await WebAssembly.instantiate(bytes, { './siyu_wasm_bg.js': glue })).instance.exports, vectorText, now), version: navigator.userAgent.match(/Chrome\\/[\\d.]+/)[0] };
} catch (e) { window.__done = { error: String(e && e.stack || e) }; }
</script>`;
const server = await serve(PAGE, { '/bench-vector.json': vectorText });
const browser = await launch();
const rounds = [];
let chromium;
try {
  for (let r = 0; r < ROUNDS; r++) {
    const native = nativeRun('release');
    const nativeZ = nativeRun('wasm-release');
    const node = quotes(siyu, vectorText, now);
    const nodeRaw = rawQuotes(rawExports, vectorText, now);
    await browser.page.goto(server.url);
    await browser.page.waitForFunction(() => window.__done, null, { timeout: 300_000, polling: 500 });
    chromium = await browser.page.evaluate(() => window.__done);
    if (chromium.error) throw new Error(chromium.error);
    rounds.push({ native, nativeZ, node, nodeRaw, chromium: chromium.quotes, chromiumRaw: chromium.raw, wasmtime: wasmtimeRun() });
    process.stderr.write(`bench: round ${r + 1} of ${ROUNDS} done\n`);
  }
} finally {
  await browser.close();
  await server.close();
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const kb = (n) => `${n} B (${(n / 1024).toFixed(1)} KiB)`;
console.log(`.wasm sha256 ${size.sha256}`);
console.log(`size: raw ${kb(size.raw)}, gzip -9 ${kb(size.gzip)}, brotli 11 ${kb(size.brotli)}`);
console.log(`features in the target_features section: ${declared.join(', ') || '(none)'}`);
console.log(`features the module fails to validate without: ${required.join(', ') || '(none)'}`);
console.log(`instantiate (compile + instantiate, median of 10): node ${nodeInfo.version} ${nodeInfo.instantiate_ms.toFixed(2)} ms, ` +
  `${chromium.version} ${chromium.instantiate_ms.toFixed(2)} ms (first init() incl. fetch ${chromium.first_init_ms.toFixed(2)} ms)`);
console.log('');
console.log(`quote times, µs: median over ${ROUNDS} rounds. "call": JSON text in and out as JS strings; "raw": the raw face, bytes in and out (the work of native \`ops::call\`)`);
console.log('| lines | native | Node call | Node raw | Node object | Chromium call | Chromium raw | Chromium object | wasmtime (raw) |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const at = (r, host, lines) => r[host].find((x) => x.lines === lines);
const series = (lines) => ({
  nodeCall: rounds.map((r) => at(r, 'node', lines).call_us),
  nodeRaw: rounds.map((r) => at(r, 'nodeRaw', lines).raw_us),
  nodeObj: rounds.map((r) => at(r, 'node', lines).object_us),
  chrCall: rounds.map((r) => at(r, 'chromium', lines).call_us),
  chrRaw: rounds.map((r) => at(r, 'chromiumRaw', lines).raw_us),
  chrObj: rounds.map((r) => at(r, 'chromium', lines).object_us),
  wt: rounds.every((r) => r.wasmtime) ? rounds.map((r) => r.wasmtime[lines]) : null,
});
for (const lines of SIZES) {
  const x = series(lines), f = (xs) => (xs ? median(xs).toFixed(1) : 'not built');
  console.log(`| ${lines} | ${f(rounds.map((r) => r.native[lines]))} | ${f(x.nodeCall)} | ${f(x.nodeRaw)} | ${f(x.nodeObj)} | ` +
    `${f(x.chrCall)} | ${f(x.chrRaw)} | ${f(x.chrObj)} | ${f(x.wt)} |`);
}
// Ratios within each round (native and Wasm measured seconds apart), against
// native release (the budget's "native build") and against native built with
// the .wasm's own profile (`wasm-release`: engine opt-level "s", wire 3),
// which tells the cost of Wasm itself from the cost of optimising for size.
for (const [key, title] of [['native', 'native release (opt-level 3)'], ['nativeZ', "native built with the .wasm's own profile (wasm-release)"]]) {
  console.log('');
  console.log(`Wasm time / ${title} time: median of the per-round ratios [lowest–highest]`);
  console.log('| lines | Node call | Node raw | Chromium call | Chromium raw | wasmtime |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const lines of SIZES) {
    const x = series(lines), nat = rounds.map((r) => r[key][lines]);
    const ratio = (xs) => {
      if (!xs) return '-';
      const rs = xs.map((v, i) => v / nat[i]);
      return `${median(rs).toFixed(2)}× [${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}]`;
    };
    console.log(`| ${lines} | ${ratio(x.nodeCall)} | ${ratio(x.nodeRaw)} | ${ratio(x.chrCall)} | ${ratio(x.chrRaw)} | ${ratio(x.wt)} |`);
  }
}
// Each host's best round against native's best round: on a shared machine a
// slow round is other work getting in the way, never the code being faster,
// so the fastest of each is the steadiest figure of what the code costs
// (the per-round ratios above move by tens of percent when the VM is busy).
console.log('');
console.log('Wasm time / native release time, each at its best of the rounds (fastest Wasm round / fastest native round)');
console.log('| lines | Node call | Node raw | Chromium call | Chromium raw | wasmtime |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const lines of SIZES) {
  const x = series(lines), nat = Math.min(...rounds.map((r) => r.native[lines]));
  const best = (xs) => (xs ? `${(Math.min(...xs) / nat).toFixed(2)}×` : '-');
  console.log(`| ${lines} | ${best(x.nodeCall)} | ${best(x.nodeRaw)} | ${best(x.chrCall)} | ${best(x.chrRaw)} | ${best(x.wt)} |`);
}
