// A shim that behaves like a WeChat mini-program's logic layer, enough to
// run the package's mini-program loader the way WeChat would:
//
// - a fresh `vm` context: no WebAssembly (deleted), no TextEncoder or
//   TextDecoder, no process/Buffer/fetch/URL (a fresh V8 context has none);
// - its own CommonJS `require` over a code-package folder (WeChat's module
//   system: files of the package only, `.js` only, bare names from
//   `miniprogram_npm/`);
// - `WXWebAssembly.instantiate(path, imports)`: `path` must be a string path
//   inside the code package (leading `/` = package root; no URLs, no `..`,
//   no bytes, no host paths), ending `.wasm` or `.wasm.br`; a `.br` file is
//   Brotli-decompressed; the real engine, captured here, instantiates it.
//   Every instantiation is recorded with the SHA-256 of the bytes;
// - like WXWebAssembly on iOS, the stricter of WeChat's two platforms, a
//   module may export functions, memories and tables but no Global (WeChat's
//   WXWebAssembly page: "export 支持函数、Memory、Table，iOS 平台暂不支持
//   Global"): one that does is refused.
import vm from 'node:vm';
import { readFileSync, existsSync, statSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';

const RealWebAssembly = WebAssembly;

/** Lay out a code package: `miniprogram_npm/siyu/` = pkg/miniprogram_dist (what WeChat's "npm build" makes). */
export function makePackage(pkgDir, extraFiles = {}) {
  const root = mkdtempSync(join(tmpdir(), 'siyu-miniprogram-'));
  const dist = join(pkgDir, 'miniprogram_dist');
  if (!existsSync(join(dist, 'index.js'))) throw new Error(`${dist} is missing: run scripts/build-wasm.sh`);
  mkdirSync(join(root, 'miniprogram_npm'), { recursive: true });
  cpSync(dist, join(root, 'miniprogram_npm', 'siyu'), { recursive: true });
  for (const [rel, text] of Object.entries(extraFiles)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export function makeMiniProgram(root) {
  const instantiations = [];
  const rejections = [];

  function packagePath(p) {
    if (typeof p !== 'string') throw new TypeError('WXWebAssembly.instantiate: path must be a string path inside the code package');
    if (/^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith('//')) throw new TypeError(`WXWebAssembly.instantiate: not a code package path: ${p}`);
    const rel = posix.normalize(p.replace(/^\/+/, ''));
    if (rel === '.' || rel.startsWith('..') || posix.isAbsolute(rel)) throw new TypeError(`WXWebAssembly.instantiate: path escapes the code package: ${p}`);
    if (!/\.wasm(\.br)?$/.test(rel)) throw new TypeError(`WXWebAssembly.instantiate: only .wasm and .wasm.br files: ${p}`);
    const file = join(root, ...rel.split('/'));
    if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`WXWebAssembly.instantiate: no such file in the code package: ${p}`);
    return file;
  }

  const WXWebAssembly = Object.freeze({
    instantiate(path, imports) {
      return new Promise((resolve, reject) => {
        let bytes, module;
        try {
          const file = packagePath(path);
          const raw = readFileSync(file);
          bytes = file.endsWith('.br') ? brotliDecompressSync(raw) : raw;
          module = new RealWebAssembly.Module(bytes);
          const globals = RealWebAssembly.Module.exports(module).filter((e) => e.kind === 'global').map((e) => e.name);
          if (globals.length) throw new Error(`WXWebAssembly.instantiate: iOS does not support exporting a Global: ${globals.join(', ')}`);
        } catch (e) {
          rejections.push(String(e.message));
          reject(e);
          return;
        }
        instantiations.push({ path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
        RealWebAssembly.instantiate(module, imports).then(resolve, reject);
      });
    },
  });

  const context = vm.createContext({});
  vm.runInContext('delete globalThis.WebAssembly;', context);
  // What WeChat does give: console, timers, WXWebAssembly, and `wx` (a stub).
  context.console = console;
  context.setTimeout = setTimeout;
  context.clearTimeout = clearTimeout;
  context.WXWebAssembly = WXWebAssembly;
  context.wx = Object.freeze({ env: Object.freeze({}) });

  const cache = new Map();
  function resolve(from, id) {
    let rel;
    if (id.startsWith('./') || id.startsWith('../')) rel = posix.join(posix.dirname(from), id);
    else if (id.startsWith('/')) rel = id.slice(1);
    else rel = posix.join('miniprogram_npm', id); // bare name: an npm package
    rel = posix.normalize(rel);
    for (const cand of [rel, rel + '.js', posix.join(rel, 'index.js')]) {
      if (cand.startsWith('..')) break;
      const f = join(root, ...cand.split('/'));
      if (cand.endsWith('.js') && existsSync(f) && statSync(f).isFile()) return cand;
    }
    throw new Error(`module "${id}" is not defined (from ${from})`);
  }
  function load(rel) {
    if (cache.has(rel)) return cache.get(rel).exports;
    const module = { exports: {} };
    cache.set(rel, module);
    const src = readFileSync(join(root, ...rel.split('/')), 'utf8');
    const fn = vm.runInContext(`(function (exports, require, module, __filename, __dirname) {${src}\n})`, context, { filename: rel });
    fn.call(module.exports, module.exports, (id) => load(resolve(rel, id)), module, rel, posix.dirname(rel));
    return module.exports;
  }
  return { context, require: (id) => load(resolve('app.js', id)), instantiations, rejections, WXWebAssembly };
}
