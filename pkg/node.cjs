// siyu for Node (require). Ready on require; `init()` is there for code
// shared with the browser and mini-program loaders.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const glue = require('./cjs/siyu_wasm_bg.js');

const bytes = readFileSync(join(__dirname, 'siyu_wasm_bg.wasm'));
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { './siyu_wasm_bg.js': glue });
glue.__wbg_set_wasm(instance.exports);
if (typeof instance.exports.__wbindgen_start === 'function') instance.exports.__wbindgen_start();

for (const name of Object.keys(glue)) {
  if (!name.startsWith('__wb')) exports[name] = glue[name];
}
exports.demoRules = require('./cjs/demo_rules.js').demoRules;
/** Already loaded: resolves at once. */
exports.init = () => Promise.resolve();
/** The exact bytes this loader instantiated. */
exports.wasmBytes = () => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
