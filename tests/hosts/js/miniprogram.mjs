// Conformance runner: the mini-program loader (pkg/miniprogram_dist/index.js,
// what WeChat's "npm build" copies) under a WeChat-like shim (wechat-shim.mjs):
// no WebAssembly, TextEncoder or TextDecoder globals, WXWebAssembly taking a
// code-package path to the Brotli .wasm.br. Every vector runs *inside* that
// context through `call` and the object API.
//
//   node tests/hosts/js/miniprogram.mjs → last line: conformance: miniprogram: N of M vectors identical
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { makePackage, makeMiniProgram } from './wechat-shim.mjs';
import { expectedSha } from './common.mjs';
import { here, pkgDir, loadVectors, expectedShaFile, report } from './vectors.mjs';

const fails = [];
const check = (ok, msg) => { if (!ok) fails.push(msg); };

// The runner's own code goes into the package as CommonJS, like app code.
const common = transformSync(readFileSync(join(here, 'common.mjs'), 'utf8'), { format: 'cjs', target: 'es2020' }).code;
// A module that exports a Global, as the shipped one must not (iOS).
const exportsGlobal = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  6, 6, 1, 0x7f, 0, 0x41, 0, 0x0b, // one immutable i32 global, 0
  7, 5, 1, 1, 0x67, 3, 0); // exported as "g"
const pack = makePackage(pkgDir, { 'runner/common.js': common, 'runner/exports_global.wasm': exportsGlobal });
let out;
try {
  const mp = makeMiniProgram(pack.root);
  const { context } = mp;
  const globals = JSON.parse(require_('JSON.stringify({ wasm: typeof WebAssembly, enc: typeof TextEncoder, dec: typeof TextDecoder, process: typeof process })'));
  check(globals.wasm === 'undefined' && globals.enc === 'undefined' && globals.dec === 'undefined' && globals.process === 'undefined',
    `the shim's globals are not WeChat-like: ${JSON.stringify(globals)}`);

  // The shim refuses what WeChat refuses.
  for (const bad of [new Uint8Array(8), 'https://example.com/siyu_wasm_bg.wasm.br', '../siyu_wasm_bg.wasm.br',
    join(pkgDir, 'miniprogram_dist', 'siyu_wasm_bg.wasm.br'), 'miniprogram_npm/siyu/index.js', 'runner/exports_global.wasm']) {
    let refused = false;
    try { await mp.WXWebAssembly.instantiate(bad, {}); } catch (_) { refused = true; }
    check(refused, `the shim accepted ${typeof bad === 'string' ? bad : 'bytes'}`);
  }
  check(mp.instantiations.length === 0, 'the shim instantiated something it should have refused');
  check(mp.rejections.some((r) => r.includes('exporting a Global: g')), `the shim did not refuse the Global export: ${mp.rejections}`);

  const siyu = mp.require('siyu');
  const after = JSON.parse(require_('JSON.stringify({ wasm: typeof WebAssembly, enc: typeof TextEncoder, dec: typeof TextDecoder })'));
  check(after.wasm === 'undefined' && after.enc === 'function' && after.dec === 'function', `after require('siyu'): ${JSON.stringify(after)}`);
  const c = mp.require('/runner/common.js');
  fails.push(...c.beforeInitChecks(siyu));
  await siyu.init(); // default path: miniprogram_npm/siyu/siyu_wasm_bg.wasm.br
  await siyu.init(); // a second call is the same promise, no second instantiation
  check(mp.instantiations.length === 1, `instantiated ${mp.instantiations.length} times`);

  context.__vectors = JSON.stringify(loadVectors());
  out = JSON.parse(vmRun(`(function (siyu, c) {
    var vectors = JSON.parse(__vectors);
    var results = vectors.map(function (v) { return c.checkVector(siyu, v.name, v.text); });
    // The polyfills must round-trip what the glue passes: CJK and astral text.
    var s = '私域 积分 🎁 ' + String.fromCharCode(0xe9);
    var rt = new TextDecoder('utf-8', { ignoreBOM: true }).decode(new TextEncoder().encode(s)) === s;
    return JSON.stringify({ results: results, fails: c.apiChecks(siyu), polyfillRoundTrip: rt });
  })`)(siyu, c));
  check(out.polyfillRoundTrip, 'the TextEncoder/TextDecoder polyfills do not round-trip');

  const want = expectedSha(expectedShaFile());
  const inst = mp.instantiations[0];
  if (!inst || inst.sha256 !== want) fails.push(`WXWebAssembly instantiated sha256 ${inst && inst.sha256}, the build wrote ${want}`);
  else console.log(`miniprogram: WXWebAssembly.instantiate('${inst.path}') → sha256 ${inst.sha256} (${inst.bytes} bytes after Brotli)`);
  fails.push(...out.fails.map((f) => `object API: ${f}`));

  function require_(expr) { return vm.runInContext(expr, context); }
  function vmRun(src) { return vm.runInContext(src, context); }
} finally {
  pack.remove();
}

// One minimum base library, stated the same everywhere it is stated.
const stated = new Map();
for (const rel of ['README.md', 'docs/miniprogram.md', 'pkg/README.md', 'pkg/miniprogram_dist/index.js']) {
  const text = readFileSync(join(here, '..', '..', '..', rel), 'utf8');
  for (const m of text.matchAll(/base library(?:\*\*)?:? (?:\*\*)?≥ (\d+\.\d+(?:\.\d+)?)/gi)) stated.set(`${rel}: ≥ ${m[1]}`, m[1]);
}
const versions = new Set(stated.values());
check(stated.size >= 4 && versions.size === 1, `the minimum base library is not stated once and the same: ${[...stated.keys()].join('; ')}`);
if (versions.size === 1) console.log(`miniprogram: base library ≥ ${[...versions][0]}, stated ${stated.size} times`);
process.exitCode = report('miniprogram', out ? out.results : [], fails);
