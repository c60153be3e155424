// siyu for browsers and bundlers (ESM). Call `await init()` once, then use
// the functions. Loads siyu_wasm_bg.wasm — the same bytes every host loads —
// and hands the instance to the wasm-bindgen glue.
import * as glue from './siyu_wasm_bg.js';
// The public functions, by name (scripts/build-wasm.sh checks the list).
export {
  applyEvent, assignContact, call, channelStats, checkRules, couponWallet, demoPosters, demoRules, drawPoster,
  eligibleMembers, isSiyuError, lifecycleAlerts, makeScene, memberSummary,
  operations, parseScene, pointsHistory, posterCommands, prepareRules, quote, renderPoster, replay,
  validatePoster, validateRules,
} from './siyu_wasm_bg.js';

const IMPORTS = { './siyu_wasm_bg.js': glue };
let ready = null;
let loaded = null;

/**
 * Load the module. `input` (optional): a URL or string, a fetch `Response`
 * or a promise of one, the bytes (ArrayBuffer / typed array), or a compiled
 * `WebAssembly.Module`. Default: `siyu_wasm_bg.wasm` next to this file.
 * Calling it again returns the same promise.
 */
export function init(input) {
  if (!ready) {
    ready = load(input);
    ready.catch(() => { ready = null; });
  }
  return ready;
}

async function load(input) {
  let src = input ?? new URL('./siyu_wasm_bg.wasm', import.meta.url);
  let instance;
  if (src instanceof WebAssembly.Module) {
    instance = await WebAssembly.instantiate(src, IMPORTS);
  } else {
    if (typeof src === 'string' || src instanceof URL) src = fetch(src);
    if (typeof src.then === 'function') src = await src;
    if (typeof Response !== 'undefined' && src instanceof Response) {
      if (!src.ok) throw new Error(`siyu: loading the .wasm failed: HTTP ${src.status} ${src.url}`);
      src = await src.arrayBuffer();
    }
    loaded = ArrayBuffer.isView(src) ? new Uint8Array(src.buffer, src.byteOffset, src.byteLength) : new Uint8Array(src);
    ({ instance } = await WebAssembly.instantiate(loaded, IMPORTS));
  }
  glue.__wbg_set_wasm(instance.exports);
  if (typeof instance.exports.__wbindgen_start === 'function') instance.exports.__wbindgen_start();
}

/** The exact bytes `init` instantiated (undefined before, or if given a Module). */
export function wasmBytes() {
  return loaded ?? undefined;
}
