// siyu for Node (require). Ready on require; `init()` is there for code
// shared with the browser and mini-program loaders.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
// The CommonJS glue is the one WeChat's "npm build" copies (miniprogram_dist/).
const glue = require('./miniprogram_dist/siyu_wasm_bg.js');

const bytes = readFileSync(join(__dirname, 'siyu_wasm_bg.wasm'));
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { './siyu_wasm_bg.js': glue });
glue.__wbg_set_wasm(instance.exports);
if (typeof instance.exports.__wbindgen_start === 'function') instance.exports.__wbindgen_start();

// The public functions, one `exports.x =` each so that Node's `import` of
// this file sees them too (scripts/build-wasm.sh checks the list).
exports.applyEvent = glue.applyEvent;
exports.assignContact = glue.assignContact;
exports.call = glue.call;
exports.channelStats = glue.channelStats;
exports.checkRules = glue.checkRules;
exports.couponWallet = glue.couponWallet;
exports.drawPoster = glue.drawPoster;
exports.demoPosters = glue.demoPosters;
exports.demoRules = glue.demoRules;
exports.eligibleMembers = glue.eligibleMembers;
exports.isSiyuError = glue.isSiyuError;
exports.makeScene = glue.makeScene;
exports.lifecycleAlerts = glue.lifecycleAlerts;
exports.memberSummary = glue.memberSummary;
exports.operations = glue.operations;
exports.parseScene = glue.parseScene;
exports.pointsHistory = glue.pointsHistory;
exports.posterCommands = glue.posterCommands;
exports.prepareRules = glue.prepareRules;
exports.quote = glue.quote;
exports.renderPoster = glue.renderPoster;
exports.replay = glue.replay;
exports.validatePoster = glue.validatePoster;
exports.validateRules = glue.validateRules;
/** Already loaded: resolves at once. */
exports.init = () => Promise.resolve();
/** The exact bytes this loader instantiated. */
exports.wasmBytes = () => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
