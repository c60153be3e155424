// The package as its users meet it: `npm pack` the built pkg/, install the
// tarball into fresh projects in a temporary folder, and use it there.
//
//   node-esm       "type": "module", import 'siyu' and 'siyu/miniprogram'
//   node-cjs       CommonJS, require 'siyu' and 'siyu/miniprogram'
//   ts-node16-cjs  TypeScript, module node16 in a CommonJS project: tsc, then node
//   ts-bundler     TypeScript, moduleResolution bundler: tsc, then node
//   vite           a Vite build, its output loaded in headless Chromium
//   esbuild-url    an esbuild bundle with the .wasm copied beside it and its
//                  URL passed to init() (the esbuild/Rollup recipe of pkg/README.md)
//
// Each one prices the demo cart (src/demo/cart.json) under demoRules() and
// catches a SiyuError with isSiyuError; every payable must equal what the
// tarball's own Node entry answers. Nothing is fetched: the tarball is
// installed with `npm install --offline`, and the tools (typescript, vite,
// esbuild, playwright-core) are this folder's node_modules, linked in.
// Then attw and publint check the tarball and pkg/.
//
//   node tests/hosts/js/fresh-projects.mjs   → last line: fresh projects: N passed, M failed
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { launch } from './browser.mjs';
import { here, pkgDir } from './vectors.mjs';

const tools = join(here, 'node_modules');
const work = mkdtempSync(join(tmpdir(), 'siyu-fresh-'));
const keep = process.env.SIYU_KEEP_FRESH === '1';
const results = [];
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// The tarball, as `npm publish` would upload it.
const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], pkgDir))[0];
const tarball = join(work, packed.filename);
console.log(`fresh projects: ${packed.filename}, ${packed.size} B packed, ${packed.unpackedSize} B unpacked, ${packed.files.length} files`);

const cart = readFileSync(join(here, '..', '..', '..', 'src', 'demo', 'cart.json'), 'utf8');
const NOW = 1767225600000; // 2026-01-01T00:00Z
// What every project must print: the payable of the demo cart and the code
// of the refusal of an empty input.
const usage = (mod) => `
const cart = ${cart.trim()};
const q = ${mod}.quote({ rules: ${mod}.demoRules(), cart, now: ${NOW} });
let code = 'no error';
try {
  ${mod}.quote({});
} catch (e) {
  if (!${mod}.isSiyuError(e)) throw e;
  code = e.code;
}`;

function project(name, files) {
  const dir = join(work, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-save', '--no-package-lock', '--loglevel=error', tarball], dir);
  return dir;
}
function link(dir, ...names) {
  for (const n of names) symlinkSync(join(tools, n), join(dir, 'node_modules', n), 'dir');
}
async function attempt(name, f) {
  try {
    const got = await f();
    results.push({ name, got });
  } catch (e) {
    results.push({ name, error: String(e.stderr || e.stdout || e.stack || e).trim().split('\n').slice(0, 30).join('\n') });
  }
}

// The reference: the tarball's own Node entry, in a project of its own.
let want;
await attempt('node-esm', () => {
  const dir = project('node-esm', {
    'package.json': JSON.stringify({ name: 'fresh-esm', private: true, type: 'module' }),
    'main.js': `import * as siyu from 'siyu';
import * as mp from 'siyu/miniprogram';
${usage('siyu')}
// The mini-program entry loads under Node's import too (it needs WXWebAssembly to init).
if (typeof mp.quote !== 'function' || typeof mp.init !== 'function') throw new Error('siyu/miniprogram: no named exports');
console.log(JSON.stringify({ payable: q.totals.payable, code }));
`,
  });
  want = run('node', ['main.js'], dir).trim();
  return want;
});
await attempt('node-cjs', () => {
  const dir = project('node-cjs', {
    'package.json': JSON.stringify({ name: 'fresh-cjs', private: true, type: 'commonjs' }),
    'main.js': `const siyu = require('siyu');
const mp = require('siyu/miniprogram');
${usage('siyu')}
if (typeof mp.quote !== 'function') throw new Error('siyu/miniprogram: require failed');
console.log(JSON.stringify({ payable: q.totals.payable, code }));
`,
  });
  return run('node', ['main.js'], dir).trim();
});

// TypeScript: the code is typed (Rules from unknown JSON through
// checkRules, the codes as a union), checked, emitted and run.
const tsMain = (extra) => `import { quote, demoRules, isSiyuError, checkRules, init } from 'siyu';
import type { Rules, ErrorCode, Quote } from 'siyu';
declare const console: { log(...args: unknown[]): void };
export async function main(): Promise<void> {
  await init();
  const fromJson: unknown = JSON.parse(JSON.stringify(demoRules()));
  const rules: Rules = checkRules(fromJson);
  const cart = ${cart.trim()};
  const q: Quote = quote({ rules, cart: { ...cart, coupons: 'best', points: 'max' }, now: ${NOW} });
  let code: ErrorCode | 'no error' = 'no error';
  try {
    quote({} as never);
  } catch (e: unknown) {
    if (!isSiyuError(e)) throw e;
    code = e.code;
  }
  console.log(JSON.stringify({ payable: q.totals.payable, code }));
}
${extra}`;
const tsc = (dir) => run('node', [join(tools, 'typescript', 'bin', 'tsc'), '-p', '.'], dir);
await attempt('ts-node16-cjs', () => {
  const dir = project('ts-node16-cjs', {
    'package.json': JSON.stringify({ name: 'fresh-ts-cjs', private: true }),
    'tsconfig.json': JSON.stringify({ compilerOptions: {
      module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, outDir: 'out',
      types: [], lib: ['es2022'], skipLibCheck: false } }),
    'main.ts': tsMain('void main();\n'),
  });
  tsc(dir);
  // Emitted as CommonJS: require('siyu').
  if (!/require\("siyu"\)/.test(readFileSync(join(dir, 'out', 'main.js'), 'utf8'))) throw new Error('tsc did not emit require("siyu")');
  return run('node', ['out/main.js'], dir).trim();
});
await attempt('ts-bundler', () => {
  const dir = project('ts-bundler', {
    'package.json': JSON.stringify({ name: 'fresh-ts-bundler', private: true, type: 'module' }),
    'tsconfig.json': JSON.stringify({ compilerOptions: {
      module: 'esnext', moduleResolution: 'bundler', target: 'es2022', strict: true, outDir: 'out',
      types: [], lib: ['es2022'], skipLibCheck: false } }),
    'main.ts': tsMain('await main();\n'),
  });
  tsc(dir);
  return run('node', ['out/main.js'], dir).trim();
});

// Browsers: a built site, served on 127.0.0.1 and loaded in headless Chromium.
const PAGE_MAIN = (initArg) => `import * as siyu from 'siyu';
let early = 'no error';
try { siyu.quote({}); } catch (e) { early = siyu.isSiyuError(e) ? e.code : String(e); }
try {
  await siyu.init(${initArg});
  ${usage('siyu')}
  window.__done = JSON.stringify({ payable: q.totals.payable, code, early });
} catch (e) {
  window.__done = JSON.stringify({ error: String(e && e.stack || e) });
}
`;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
async function inChromium(root) {
  const server = createServer((req, res) => {
    let p = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (p.endsWith('/')) p += 'index.html';
    let body;
    try { body = p.startsWith(root) ? readFileSync(p) : null; } catch { body = null; }
    if (!body) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(p)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await launch();
  try {
    await browser.page.goto(`http://127.0.0.1:${server.address().port}/`);
    await browser.page.waitForFunction(() => window.__done, null, { timeout: 60_000 });
    const done = JSON.parse(await browser.page.evaluate(() => window.__done));
    if (done.error || browser.errors.length) throw new Error(`the page failed: ${done.error ?? ''} ${browser.errors.join('; ')}`);
    if (done.early !== 'NOT_INITIALIZED') throw new Error(`before init(): ${done.early}, not NOT_INITIALIZED`);
    delete done.early;
    return JSON.stringify(done);
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
  }
}
await attempt('vite', async () => {
  const dir = project('vite', {
    'package.json': JSON.stringify({ name: 'fresh-vite', private: true, type: 'module' }),
    'index.html': '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/main.js"></script>\n',
    'main.js': PAGE_MAIN(''),
  });
  link(dir, 'vite');
  run('node', [join(tools, 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], dir);
  const assets = readdirSync(join(dir, 'dist', 'assets'));
  if (!assets.some((f) => f.endsWith('.wasm'))) throw new Error(`vite emitted no .wasm: ${assets.join(' ')}`);
  return inChromium(join(dir, 'dist'));
});
await attempt('esbuild-url', async () => {
  const dir = project('esbuild-url', {
    'package.json': JSON.stringify({ name: 'fresh-esbuild', private: true, type: 'module' }),
    'main.js': PAGE_MAIN("new URL('/static/siyu.wasm', location.href)"),
  });
  mkdirSync(join(dir, 'dist', 'static'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/app.js"></script>\n');
  run(join(tools, '.bin', 'esbuild'), ['main.js', '--bundle', '--format=esm', '--platform=browser',
    '--log-level=warning', '--outfile=dist/app.js'], dir);
  // The recipe: copy the .wasm where the site serves it, pass its URL to init().
  cpSync(join(dir, 'node_modules', 'siyu', 'siyu_wasm_bg.wasm'), join(dir, 'dist', 'static', 'siyu.wasm'));
  return inChromium(join(dir, 'dist'));
});

// The package's metadata: attw on the tarball (the .wasm subpaths are files,
// not modules, so they have no types to resolve), publint on pkg/.
await attempt('attw', () => {
  const out = run('node', [join(tools, '@arethetypeswrong', 'cli', 'dist', 'index.js'), tarball, '--format', 'ascii',
    '--exclude-entrypoints', './siyu_wasm_bg.wasm', './siyu_wasm_bg.wasm.br'], here);
  if (!/No problems found/.test(out)) throw new Error(out);
  return 'no problems';
});
await attempt('publint', () => {
  const out = run('node', [join(tools, 'publint', 'src', 'cli.js'), '--strict', pkgDir], here);
  if (!/All good!/.test(out)) throw new Error(out);
  return 'all good';
});

let failed = 0;
for (const r of results) {
  const lint = r.name === 'attw' || r.name === 'publint';
  const ok = !r.error && (lint || r.got === want);
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.error ?? r.got}${!r.error && !lint && r.got !== want ? ` (want ${want})` : ''}`);
}
if (keep) console.log(`fresh projects: kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(`fresh projects: ${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
