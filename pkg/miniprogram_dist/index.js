// siyu for WeChat-style mini-programs (CommonJS). There is no WebAssembly,
// TextEncoder or TextDecoder global there: this installs small UTF-8
// TextEncoder/TextDecoder polyfills on the global object *before* loading the
// wasm-bindgen glue (which makes a TextDecoder as it loads), then
// instantiates siyu_wasm_bg.wasm.br with WXWebAssembly.instantiate(path).
//
// Needs WeChat base library ≥ 2.14.0 (WXWebAssembly with a .wasm.br path);
// docs/miniprogram.md is the guide.
//
//   const siyu = require('siyu');           // after "npm build" (miniprogram_dist)
//   await siyu.init();                      // or init('path/in/package/siyu_wasm_bg.wasm.br')
//   const q = siyu.quote({ rules, member, cart, now: Date.now() });
'use strict';

var root =
  typeof globalThis !== 'undefined' ? globalThis :
  typeof global !== 'undefined' ? global :
  typeof self !== 'undefined' ? self : undefined;
if (!root) throw new Error('siyu: no global object to install TextEncoder/TextDecoder on');

function Utf8Encoder() {}
Utf8Encoder.prototype.encoding = 'utf-8';
Utf8Encoder.prototype.encodeInto = function (str, view) {
  var read = 0, written = 0, n = str.length, cap = view.length;
  while (read < n) {
    var c = str.charCodeAt(read), size = 1;
    if (c >= 0xd800 && c <= 0xdbff && read + 1 < n) {
      var d = str.charCodeAt(read + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); size = 2; }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
    var len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (written + len > cap) break;
    if (len === 1) view[written++] = c;
    else if (len === 2) { view[written++] = 0xc0 | (c >> 6); view[written++] = 0x80 | (c & 63); }
    else if (len === 3) { view[written++] = 0xe0 | (c >> 12); view[written++] = 0x80 | ((c >> 6) & 63); view[written++] = 0x80 | (c & 63); }
    else { view[written++] = 0xf0 | (c >> 18); view[written++] = 0x80 | ((c >> 12) & 63); view[written++] = 0x80 | ((c >> 6) & 63); view[written++] = 0x80 | (c & 63); }
    read += size;
  }
  return { read: read, written: written };
};
Utf8Encoder.prototype.encode = function (str) {
  str = str === undefined ? '' : String(str);
  var buf = new Uint8Array(str.length * 3);
  return buf.slice(0, this.encodeInto(str, buf).written);
};

function Utf8Decoder(label, options) {
  if (label !== undefined && !/^utf-?8$/i.test(String(label))) throw new RangeError('siyu polyfill: only UTF-8 is supported');
  this.fatal = !!(options && options.fatal);
  this.ignoreBOM = !!(options && options.ignoreBOM);
}
Utf8Decoder.prototype.encoding = 'utf-8';
Utf8Decoder.prototype.decode = function (input) {
  if (input === undefined) return '';
  var b = input instanceof Uint8Array ? input : ArrayBuffer.isView(input)
    ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
  var out = '', chunk = [], i = 0, n = b.length, fatal = this.fatal;
  if (!this.ignoreBOM && n >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  function bad() { if (fatal) throw new TypeError('The encoded data was not valid utf-8'); return 0xfffd; }
  while (i < n) {
    var c = b[i], cp, need = 0, min = 0;
    if (c < 0x80) { cp = c; i += 1; }
    else {
      if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; min = 0x80; }
      else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; min = 0x800; }
      else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; min = 0x10000; }
      else { cp = bad(); i += 1; need = -1; }
      if (need > 0) {
        var j = 1;
        for (; j <= need; j++) {
          var x = b[i + j];
          if (i + j >= n || (x & 0xc0) !== 0x80) break;
          cp = (cp << 6) | (x & 0x3f);
        }
        if (j <= need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) { cp = bad(); i += Math.max(1, j); }
        else i += need + 1;
      }
    }
    if (cp > 0xffff) { cp -= 0x10000; chunk.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff)); }
    else chunk.push(cp);
    if (chunk.length >= 4096) { out += String.fromCharCode.apply(null, chunk); chunk = []; }
  }
  return out + String.fromCharCode.apply(null, chunk);
};

if (typeof root.TextEncoder === 'undefined') root.TextEncoder = Utf8Encoder;
if (typeof root.TextDecoder === 'undefined') root.TextDecoder = Utf8Decoder;

// Only now: the glue constructs a TextDecoder while it loads.
var glue = require('./siyu_wasm_bg.js');

/** Where WeChat's "npm build" puts the module inside the code package. */
var DEFAULT_PATH = 'miniprogram_npm/siyu/siyu_wasm_bg.wasm.br';
var ready = null;

/**
 * Instantiate the module. `path`: its path inside the code package (a
 * `.wasm.br` or `.wasm`), default `miniprogram_npm/siyu/siyu_wasm_bg.wasm.br`.
 * Calling it again returns the same promise.
 */
function init(path) {
  if (ready) return ready;
  var WXW = root.WXWebAssembly || (typeof WXWebAssembly !== 'undefined' ? WXWebAssembly : undefined); // eslint-disable-line no-undef
  if (!WXW) return Promise.reject(new Error('siyu: WXWebAssembly is not available (WeChat base library ≥ 2.14.0 is needed)'));
  ready = Promise.resolve(WXW.instantiate(path || DEFAULT_PATH, { './siyu_wasm_bg.js': glue })).then(function (result) {
    var instance = result && result.instance ? result.instance : result;
    glue.__wbg_set_wasm(instance.exports);
    if (typeof instance.exports.__wbindgen_start === 'function') instance.exports.__wbindgen_start();
  });
  ready.catch(function () { ready = null; });
  return ready;
}

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
exports.init = init;
/** WXWebAssembly instantiates from a path: the loader never sees the bytes. */
exports.wasmBytes = function () { return undefined; };
exports.DEFAULT_PATH = DEFAULT_PATH;
