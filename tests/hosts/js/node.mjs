// Conformance runner: Node, through the npm package (pkg/, installed here as
// the dependency `siyu`). Runs every vector through `call` (exact text) and
// the object API, checks the JS face's error behaviour, and checks that the
// bytes it loaded are the build's .wasm (SHA-256).
//
//   node tests/hosts/js/node.mjs      → last line: conformance: node: N of M vectors identical
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as siyu from 'siyu';
import { apiChecks, checkVector, expectedSha } from './common.mjs';
import { expectedShaFile, loadVectors, report } from './vectors.mjs';

const require = createRequire(import.meta.url);
const fails = [];

const want = expectedSha(expectedShaFile());
const got = createHash('sha256').update(siyu.wasmBytes()).digest('hex');
if (got !== want) fails.push(`loaded .wasm has sha256 ${got}, the build wrote ${want}`);
else console.log(`node: loaded siyu_wasm_bg.wasm sha256 ${got} (${siyu.wasmBytes().length} bytes)`);

fails.push(...apiChecks(siyu).map((f) => `object API (import): ${f}`));

// The CommonJS entry is the same module, the same bytes, the same answers.
const cjs = require('siyu');
const cjsSha = createHash('sha256').update(cjs.wasmBytes()).digest('hex');
if (cjsSha !== want) fails.push(`require('siyu') loaded sha256 ${cjsSha}`);
fails.push(...apiChecks(cjs).map((f) => `object API (require): ${f}`));

const vectors = loadVectors();
const results = vectors.map((v) => checkVector(siyu, v.name, v.text));
for (const v of vectors.slice(0, 25)) {
  const r = checkVector(cjs, v.name, v.text);
  if (!r.string || r.object === false) fails.push(`require('siyu') differs on ${v.name}`);
}
process.exitCode = report('node', results, fails);
