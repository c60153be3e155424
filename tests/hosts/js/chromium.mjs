// Conformance runner: headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core), through the npm package's browser entry in a real
// page served on 127.0.0.1. The page hashes the bytes it instantiated with
// crypto.subtle and runs every vector through `call` and the object API.
//
//   node tests/hosts/js/chromium.mjs  → last line: conformance: chromium: N of M vectors identical
import { serve } from './server.mjs';
import { launch } from './browser.mjs';
import { expectedShaFile, report } from './vectors.mjs';
import { expectedSha } from './common.mjs';

const PAGE = `<!doctype html><meta charset="utf-8"><title>siyu conformance</title><link rel="icon" href="data:,">
<script type="module">
import * as siyu from '/pkg/index.js';
import { apiChecks, beforeInitChecks, checkVector } from '/runner/common.mjs';
try {
  const early = beforeInitChecks(siyu);
  await siyu.init();
  const digest = await crypto.subtle.digest('SHA-256', siyu.wasmBytes());
  const sha = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  const vectors = await (await fetch('/vectors.json')).json();
  const results = vectors.map((v) => checkVector(siyu, v.name, v.text));
  window.__done = { sha, bytes: siyu.wasmBytes().length, results, fails: [...early, ...apiChecks(siyu)], ua: navigator.userAgent };
} catch (e) {
  window.__done = { error: String(e && e.stack || e) };
}
</script>`;

const fails = [];
const server = await serve(PAGE);
const browser = await launch();
let done;
try {
  await browser.page.goto(server.url);
  await browser.page.waitForFunction(() => window.__done, null, { timeout: 120_000 });
  done = await browser.page.evaluate(() => window.__done);
} finally {
  await browser.close();
  await server.close();
}
if (done.error) {
  console.log(`chromium: the page failed: ${done.error}`);
  console.log('conformance: chromium: 0 of 0 vectors identical');
  process.exit(1);
}
const want = expectedSha(expectedShaFile());
console.log(`chromium: ${done.ua}`);
if (done.sha !== want) fails.push(`the page loaded a .wasm with sha256 ${done.sha}, the build wrote ${want}`);
else console.log(`chromium: loaded siyu_wasm_bg.wasm sha256 ${done.sha} (${done.bytes} bytes)`);
fails.push(...done.fails.map((f) => `object API: ${f}`));
fails.push(...browser.errors.map((e) => `page error: ${e}`));
process.exitCode = report('chromium', done.results, fails);
