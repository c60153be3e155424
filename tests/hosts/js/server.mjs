// A tiny static server on 127.0.0.1 for the Chromium runner and benchmark:
//   /pkg/…      the npm package (pkg/)
//   /runner/…   this folder (common.mjs, bench-page code)
//   /vectors.json  every vector file's name and text
//   /            the page given to serve()
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, normalize, extname } from 'node:path';
import { here, pkgDir, loadVectors } from './vectors.mjs';

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.cjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.html': 'text/html; charset=utf-8', '.br': 'application/octet-stream', '.ts': 'text/plain' };

function file(root, rel) {
  const p = normalize(join(root, decodeURIComponent(rel)));
  if (!p.startsWith(root) || !existsSync(p) || !statSync(p).isFile()) return null;
  return p;
}

/** Serve `page` (HTML text) at `/`; resolves to { url, close }. */
export function serve(page, extra = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let body = null, type = 'text/plain', p = null;
    if (url.pathname === '/') { body = page; type = TYPES['.html']; }
    else if (url.pathname === '/vectors.json') { body = JSON.stringify(loadVectors()); type = TYPES['.json']; }
    else if (extra[url.pathname]) { body = extra[url.pathname]; type = TYPES['.json']; }
    else if (url.pathname.startsWith('/pkg/')) p = file(pkgDir, url.pathname.slice(5));
    else if (url.pathname.startsWith('/runner/')) p = file(here, url.pathname.slice(8));
    if (p) { body = readFileSync(p); type = TYPES[extname(p)] ?? 'application/octet-stream'; }
    if (body === null) { res.writeHead(404); res.end('not found'); return; }
    // Cross-origin isolated, so performance.now() is precise (5 µs, not 100 µs).
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) });
  }));
}
