// Types of the siyu package (every entry point). The operations and every
// input/output type are generated from the Rust types (siyu_wasm.d.ts).
export * from './siyu_wasm.js';
import type { Rules } from './siyu_wasm.js';

/**
 * Load the module; call once before any operation (a second call returns the
 * same promise).
 * - browser/bundler: `input` is a URL or string, a fetch `Response` (or a
 *   promise of one), the bytes, or a compiled `WebAssembly.Module`; default
 *   `siyu_wasm_bg.wasm` next to the entry file;
 * - mini-program: `input` is the path of `siyu_wasm_bg.wasm.br` inside the
 *   code package; default `miniprogram_npm/siyu/siyu_wasm_bg.wasm.br`;
 * - Node: already loaded, resolves at once.
 */
export function init(input?: string | ArrayBuffer | ArrayBufferView | object): Promise<void>;

/** The exact bytes that were instantiated (undefined in a mini-program, which loads by path). */
export function wasmBytes(): Uint8Array | undefined;

/**
 * The demo rule set (a tea shop, 山茶小铺), a fresh copy each call: rules to
 * try the operations with. Shipped as data beside the module, not in it.
 */
export function demoRules(): Rules;
