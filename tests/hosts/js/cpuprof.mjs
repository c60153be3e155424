// Where a raw-face quote's time goes in Node, function by function, from
// V8's sampling profiler: the time beside scripts/profile-wasm.sh's exact
// instruction counts (V8 runs some code far slower than its instruction
// count says, and some faster). Profile a build that kept its names, as
// the one scripts/profile-wasm.sh writes:
//
//   bash scripts/profile-wasm.sh    # writes target/profile/siyu_named.wasm
//   node tests/hosts/js/cpuprof.mjs [WASM] [--lines 10|50|200] [--seconds N] [--top N]
//
// Prints each function's share of the samples taken in the module's code
// and in the JS around it (the host's copies in and out), most first.
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { inputs, numberOption, rawCall, rawImports } from './bench-core.mjs';
import { benchVectorPath, repo } from './vectors.mjs';

const args = process.argv.slice(2);
const lines = numberOption(args, '--lines', 200);
const seconds = numberOption(args, '--seconds', 6);
const top = numberOption(args, '--top', 30);
const path = args[0] ?? join(repo, 'target', 'profile', 'siyu_named.wasm');

const module = new WebAssembly.Module(readFileSync(path));
const call = rawCall(new WebAssembly.Instance(module, rawImports(module)).exports);
const vector = readFileSync(benchVectorPath, 'utf8');
const { text } = inputs(vector).find((x) => x.lines === lines) ?? inputs(vector).at(-1);
const input = new TextEncoder().encode(text);

// Warm up first, so that the optimizing tier's code is what is sampled.
const run = (ms) => { const end = performance.now() + ms; let n = 0; while (performance.now() < end) { call(input); n++; } return n; };
run(2000);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
const calls = run(seconds * 1000);
const { profile } = await session.post('Profiler.stop');
session.disconnect();

const name = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '') || n.callFrame.url || '(anonymous)']));
const own = new Map();
for (const id of profile.samples) own.set(name.get(id), (own.get(name.get(id)) ?? 0) + 1);
for (const idle of ['(idle)', '(program)', '(garbage collector)']) own.delete(idle);
const total = [...own.values()].reduce((a, b) => a + b, 0);
console.log(`${path}: ${lines}-line quote, ${calls} calls in ${seconds} s (${((seconds * 1e6) / calls).toFixed(1)} µs a call), ${total} samples`);
for (const [fn, n] of [...own].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((100 * n) / total).toFixed(1).padStart(5)} %  ${fn}`);
}
