// Lifecycle alerts for 100,000 members in the .wasm (recorded in
// BENCHMARKS.md): the members of `benches/lifecycle.rs` (same SplitMix64
// generator, same order marks), sent as the ten pages of 10,000 a host
// sends, through `call` (JSON text in and out). Prints the median of
// BENCH_ROUNDS rounds (default 5); when the native command is built
// (`cargo build --release`), each page's answer is also compared, byte for
// byte, with `target/release/siyu call lifecycle_alerts`.
//
//   bash scripts/build-wasm.sh && node tests/hosts/js/bench-lifecycle.mjs
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as siyu from 'siyu';

const DAY = 86_400_000n;
const NOW = 1_795_579_200_000n; // demo::NOW, 2026-11-25 12:00 Beijing
const M64 = (1n << 64n) - 1n;
let s = 16n;
function next() {
  s = (s + 0x9E3779B97F4A7C15n) & M64;
  let z = s;
  z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & M64;
  return z ^ (z >> 31n);
}
const members = [];
for (let k = 0; k < 100_000; k++) {
  const joined = NOW - (next() % 730n) * DAY;
  let at = joined;
  const orders = [];
  const n = next() % 13n;
  for (let i = 0n; i < n; i++) {
    at += (next() % 91n) * DAY + (next() % DAY);
    if (at > NOW) break;
    orders.push({ at: Number(at), paid: Number(next() % 50_000n) });
  }
  members.push({ id: `m${String(k).padStart(6, '0')}`, joined_at: Number(joined), orders });
}
const rules = siyu.demoRules();
const pages = [];
for (let p = 0; p < members.length; p += 10_000) {
  pages.push(JSON.stringify({ members: members.slice(p, p + 10_000), now: Number(NOW), rules, since: '2026-09-01' }));
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const times = [];
let changed = 0;
for (let r = 0; r < rounds; r++) {
  changed = 0;
  const t0 = performance.now();
  for (const p of pages) {
    const out = JSON.parse(siyu.call('lifecycle_alerts', p));
    if (!out.ok) throw new Error(JSON.stringify(out.error).slice(0, 400));
    changed += out.ok.changed.length;
  }
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const native = join(import.meta.dirname, '..', '..', '..', 'target', 'release', 'siyu');
let compared = 'native not built: not compared';
if (existsSync(native)) {
  for (const p of pages) {
    const n = spawnSync(native, ['call', 'lifecycle_alerts'], { input: p, maxBuffer: 1 << 28 }).stdout.toString().trimEnd();
    if (n !== siyu.call('lifecycle_alerts', p)) throw new Error('the .wasm and native answers differ');
  }
  compared = 'the same bytes as native';
}
const bytes = pages.reduce((n, p) => n + p.length, 0);
console.log(`lifecycle_alerts, 100,000 members in 10 pages (${(bytes / 1e6).toFixed(1)} MB of input): ` +
  `median ${times[rounds >> 1].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[rounds - 1].toFixed(0)}), ${changed} moved; ${compared}`);
