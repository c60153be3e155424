// What the JS face adds to wasm-bindgen's glue, in JS because it must work
// when the module is not there. scripts/build-wasm.sh bundles this file,
// the glue (imported as `siyu-glue`), the demo rules (`siyu-demo-rules`,
// src/demo/rules.canonical.json as text) and the demo posters
// (`siyu-demo-posters`, src/demo/posters.json as text; their PNGs as
// `data:` URLs) into one file per module format:
// pkg/siyu_wasm_bg.js (ESM) and pkg/miniprogram_dist/siyu_wasm_bg.js
// (CommonJS). The loaders (pkg/index.js, node.mjs, node.cjs,
// miniprogram_dist/index.js) only load the .wasm and hand it over with
// `__wbg_set_wasm`. Every rule of the engine stays in the .wasm.
import * as glue from 'siyu-glue';
import DEMO_RULES from 'siyu-demo-rules';
import DEMO_POSTERS from 'siyu-demo-posters';
import AVATAR from 'siyu-demo-avatar';
import LOGO from 'siyu-demo-logo';
import PRODUCT from 'siyu-demo-product';

export * from 'siyu-glue';

// Until a loader hands the module over, every function that would reach it
// meets NOT_LOADED instead of `undefined`, and so throws the SiyuError
// NOT_INITIALIZED rather than "Cannot read properties of undefined".
const NOT_INITIALIZED = {
  code: 'NOT_INITIALIZED',
  en: 'siyu is not loaded yet: call `await init()` once (browser, mini-program) before any other function',
  path: '',
  zh: 'siyu 尚未加载：请先调用一次 `await init()`（浏览器、小程序），再调用其他函数',
};
const NOT_LOADED = new Proxy({}, {
  get() {
    const e = new Error(`${NOT_INITIALIZED.code}: ${NOT_INITIALIZED.en} / ${NOT_INITIALIZED.zh}`);
    e.name = 'SiyuError';
    throw Object.assign(e, NOT_INITIALIZED);
  },
});
let loaded = false;
glue.__wbg_set_wasm(NOT_LOADED);

/** For the loaders: the instantiated module's exports. */
export function __wbg_set_wasm(exports) {
  glue.__wbg_set_wasm(exports);
  loaded = true;
}

/** `call` never throws: before `init()` it answers the error envelope. */
export function call(op, json) {
  return loaded ? glue.call(op, json) : JSON.stringify({ error: NOT_INITIALIZED });
}

/**
 * Whether `e` is a refusal of siyu's (a `SiyuError`), for `catch (e)`. By
 * its fields, not `instanceof`: an Error made in another realm (a vm
 * context, a mini-program's JS core) is not an `instanceof` this `Error`.
 */
export function isSiyuError(e) {
  return typeof e === 'object' && e !== null && e.name === 'SiyuError' && typeof e.code === 'string';
}

/** A fresh copy of the demo rules (a tea shop, 山茶小铺): data, not in the .wasm. */
export function demoRules() {
  return JSON.parse(DEMO_RULES);
}

/**
 * The demo poster templates (`invite`, `store`, `product`) and their images
 * as `data:` URLs (`avatar`, `logo`, `product`): data, not in the .wasm.
 */
export function demoPosters() {
  return { templates: JSON.parse(DEMO_POSTERS), images: { avatar: AVATAR, logo: LOGO, product: PRODUCT } };
}
