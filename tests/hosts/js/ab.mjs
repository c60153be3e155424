// A/B timing of builds of the module: which of two (or more) .wasm files
// prices the benchmark quote faster, in Node and in headless Chromium.
//
//   node tests/hosts/js/ab.mjs A.wasm B.wasm [...] [--lines 10|50|200] [--rounds N]
//
// Each runtime holds an instance of every module and times the raw face
// (bytes in, bytes out, as bench.mjs's "raw" column) in alternating batches,
// so the modules share the machine's good and bad moments: on this shared
// VM, timings taken minutes apart differ by tens of percent, timings taken
// this way by a few. Prints per module and runtime the median and the 10th
// percentile of the per-call time. The modules need not be the pinned build
// (scripts/build-wasm.sh writes one; a variant is any other build of it).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { abRaw, numberOption, rawImports } from './bench-core.mjs';
import { serve } from './server.mjs';
import { launch } from './browser.mjs';
import { benchVectorPath } from './vectors.mjs';

const args = process.argv.slice(2);
const lines = numberOption(args, '--lines', 200);
const rounds = numberOption(args, '--rounds', 30);
const paths = args;
if (paths.length < 1) {
  console.error('usage: node tests/hosts/js/ab.mjs A.wasm B.wasm [...] [--lines N] [--rounds N]');
  process.exit(2);
}
const vectorText = readFileSync(benchVectorPath, 'utf8');
const modules = paths.map((p) => readFileSync(p));

const node = abRaw(modules.map((b) => { const m = new WebAssembly.Module(b); return new WebAssembly.Instance(m, rawImports(m)).exports; }),
  vectorText, lines, () => performance.now(), rounds);

const PAGE = `<!doctype html><meta charset="utf-8"><title>siyu a/b</title><link rel="icon" href="data:,">
<script type="module">
import { abRaw, rawImports } from '/runner/bench-core.mjs';
try {
  const b64 = await (await fetch('/modules.json')).json();
  // Compiled asynchronously, as a page loads it (and as bench.mjs does).
  const instances = [];
  for (const s of b64) {
    const m = await WebAssembly.compile(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));
    instances.push((await WebAssembly.instantiate(m, rawImports(m))).exports);
  }
  const vectorText = await (await fetch('/bench-vector.json')).text();
  window.__done = { results: abRaw(instances, vectorText, ${lines}, () => performance.now(), ${rounds}) };
} catch (e) { window.__done = { error: String(e && e.stack || e) }; }
</script>`;
const server = await serve(PAGE, { '/bench-vector.json': vectorText, '/modules.json': JSON.stringify(modules.map((b) => b.toString('base64'))) });
const browser = await launch();
let chromium;
try {
  await browser.page.goto(server.url);
  await browser.page.waitForFunction(() => window.__done, null, { timeout: 600_000, polling: 500 });
  chromium = await browser.page.evaluate(() => window.__done);
  if (chromium.error) throw new Error(chromium.error);
} finally {
  await browser.close();
  await server.close();
}

console.log(`${lines}-line quote, raw face, ${rounds} alternating rounds: µs per call, median (10th percentile)`);
console.log('| module | Node | Chromium |');
console.log('|---|---:|---:|');
paths.forEach((p, k) => {
  const f = (r) => `${r.median_us.toFixed(1)} (${r.p10_us.toFixed(1)})`;
  console.log(`| ${p} | ${f(node[k])} | ${f(chromium.results[k])} |`);
});
