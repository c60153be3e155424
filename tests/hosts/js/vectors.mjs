// Node-side helpers shared by the runners: where things are, and every
// vector file of tests/vectors (read at run time, sorted by path).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..', '..', '..');
export const pkgDir = join(repo, 'pkg');
export const vectorsDir = join(repo, 'tests', 'vectors');
/** The vector the benchmarks cut to 10, 50 and 200 cart lines. */
export const benchVectorPath = join(vectorsDir, 'big', 'two_hundred_lines_and_twenty_coupons.json');

export function loadVectors(dir = vectorsDir) {
  const out = [];
  (function walk(d) {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.json')) out.push({ name: relative(dir, p), text: readFileSync(p, 'utf8') });
    }
  })(dir);
  return out;
}

export function expectedShaFile() {
  return readFileSync(join(pkgDir, 'siyu_wasm_bg.wasm.sha256'), 'utf8');
}

/** Print failures (at most `limit` in full) and the one final line; return the exit code. */
export function report(host, results, extraFailures, limit = 20) {
  const bad = results.filter((r) => !r.string || r.object === false);
  for (const r of bad.slice(0, limit)) console.log(`MISMATCH ${r.name} (${r.op}): ${r.detail}`);
  if (bad.length > limit) console.log(`… and ${bad.length - limit} more mismatches`);
  for (const f of extraFailures) console.log(`FAIL ${f}`);
  const objectRun = results.filter((r) => r.object !== null);
  const skipped = {};
  for (const r of results) if (r.object === null) skipped[r.why] = (skipped[r.why] ?? 0) + 1;
  console.log(`${host}: object API ran on ${objectRun.length} of ${results.length} vectors, ` +
    `${objectRun.filter((r) => r.object).length} identical; not applicable: ${JSON.stringify(skipped)}`);
  const n = results.length - bad.length;
  console.log(`conformance: ${host}: ${n} of ${results.length} vectors identical`);
  return n === results.length && results.length > 0 && extraFailures.length === 0 ? 0 : 1;
}
