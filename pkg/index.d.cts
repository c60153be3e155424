// Types of the siyu package, for every entry point: `require` (this file)
// and `import` (index.d.ts, which re-exports it). The operations and every
// input and output type are generated from the Rust types (siyu_wasm.d.cts,
// written by scripts/build-wasm.sh); what the JS loaders add is declared here.
export * from './siyu_wasm.cjs';
import type { Rules, SiyuError, PosterTemplate } from './siyu_wasm.cjs';

/**
 * Load the module; call once before any operation (a second call returns the
 * same promise). Before it has resolved, the functions throw the SiyuError
 * `NOT_INITIALIZED` (`call` answers it as an error envelope).
 * - browser/bundler: `input` is a URL or string, a fetch `Response` (or a
 *   promise of one), the bytes, or a compiled `WebAssembly.Module`; default
 *   `siyu_wasm_bg.wasm` next to the entry file (`import.meta.url`);
 * - mini-program: `input` is the path of `siyu_wasm_bg.wasm.br` inside the
 *   code package; default `miniprogram_npm/siyu/siyu_wasm_bg.wasm.br`;
 * - Node: already loaded, resolves at once.
 */
// (`object`: a URL, a Response, a WebAssembly.Module, without requiring
// the DOM's type library.)
export function init(input?: string | ArrayBuffer | ArrayBufferView | object): Promise<void>;

/** The exact bytes that were instantiated (undefined in a mini-program, which loads by path). */
export function wasmBytes(): Uint8Array | undefined;

/**
 * The demo rule set (a tea shop, 山茶小铺), a fresh copy each call: rules to
 * try the operations with. Shipped as data beside the module, not in it.
 */
export function demoRules(): Rules;

/**
 * The demo poster templates (a member's invite poster, a store poster, a
 * product share) and the images they use, as `data:` URLs: a fresh copy
 * each call, for `renderPoster({template, fields, images})`. Data beside
 * the module, not in it.
 */
export function demoPosters(): {
  templates: { invite: PosterTemplate; store: PosterTemplate; product: PosterTemplate };
  images: { avatar: string; logo: string; product: string };
};

/**
 * Whether `e` is a refusal of siyu's, for `catch (e: unknown)`:
 * `if (isSiyuError(e)) console.log(e.code, e.path, e.problems)`.
 */
export function isSiyuError(e: unknown): e is SiyuError;
