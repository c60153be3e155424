// siyu for Node (import). Ready on import; `init()` is there for code shared
// with the browser and mini-program loaders.
import { readFileSync } from 'node:fs';
import * as glue from './siyu_wasm_bg.js';
// The public functions, by name (scripts/build-wasm.sh checks the list).
export {
  applyEvent, assignContact, call, channelStats, checkRules, couponWallet, demoPosters, demoRules, drawPoster,
  eligibleMembers, isSiyuError, lifecycleAlerts, makeScene, memberSummary,
  operations, parseScene, pointsHistory, posterCommands, prepareRules, quote, renderPoster, replay,
  validatePoster, validateRules,
} from './siyu_wasm_bg.js';

const bytes = readFileSync(new URL('./siyu_wasm_bg.wasm', import.meta.url));
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { './siyu_wasm_bg.js': glue });
glue.__wbg_set_wasm(instance.exports);
if (typeof instance.exports.__wbindgen_start === 'function') instance.exports.__wbindgen_start();

/** Already loaded: resolves at once. */
export function init() {
  return Promise.resolve();
}

/** The exact bytes this loader instantiated. */
export function wasmBytes() {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
