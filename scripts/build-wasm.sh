#!/usr/bin/env bash
# Build the one .wasm every host loads, and the npm package around it (pkg/).
#
#   1. wasm-pack (--target bundler, cargo profile `wasm-release`: opt-level z,
#      fat LTO, one codegen unit, panic=abort, stripped) → target/wasm-pack/
#   2. binaryen's wasm-opt -Oz (npm `binaryen`, tests/hosts/js)  → pkg/siyu_wasm_bg.wasm
#   3. the glue as wasm-bindgen wrote it, with the JS face's hand-written
#      wasm/js/to_json.js (which wasm-bindgen copies to snippets/) bundled in
#      by esbuild: ESM (pkg/siyu_wasm_bg.js) and CommonJS
#      (pkg/cjs/siyu_wasm_bg.js); the .d.ts
#   4. pkg/siyu_wasm_bg.wasm.br (Brotli, Node's zlib) and .sha256
#   5. pkg/demo_rules.js, pkg/cjs/demo_rules.js: the demo rule set (data, not
#      in the .wasm)
#   6. pkg/miniprogram_dist/: what WeChat's "npm build" copies into a code package
#
# Idempotent: run it again and it rebuilds only what cargo says changed.
# Needs the tools of scripts/install-tools.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools=$root/tests/hosts/js/node_modules/.bin
out=$root/target/wasm-pack
pkg=$root/pkg
export PATH="$HOME/.cargo/bin:$PATH"

for t in wasm-pack wasm-bindgen; do
  command -v "$t" >/dev/null || { echo "build-wasm.sh: $t is missing; run scripts/install-tools.sh" >&2; exit 1; }
done
[ -x "$tools/wasm-opt" ] && [ -x "$tools/esbuild" ] || { echo "build-wasm.sh: run scripts/install-tools.sh (npm tools)" >&2; exit 1; }

# wasm-pack would download a wasm-bindgen of its own: --mode no-install uses
# the pinned one on PATH. Its wasm-opt is too old: --no-opt, we run ours.
wasm-pack --quiet --log-level error build wasm --mode no-install --target bundler \
  --profile wasm-release --no-opt --no-pack --no-gitignore \
  --out-dir "$out" --out-name siyu_wasm

mkdir -p "$pkg/cjs" "$pkg/miniprogram_dist/cjs"
"$tools/wasm-opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue \
  "$out/siyu_wasm_bg.wasm" -o "$pkg/siyu_wasm_bg.wasm.tmp"
mv "$pkg/siyu_wasm_bg.wasm.tmp" "$pkg/siyu_wasm_bg.wasm"

# One file each, so the loaders (and WeChat's module system) need no snippets/.
"$tools/esbuild" "$out/siyu_wasm_bg.js" --bundle --format=esm --log-level=warning \
  --outfile="$pkg/siyu_wasm_bg.js"
cp "$out/siyu_wasm.d.ts" "$pkg/siyu_wasm.d.ts"
# The public names only (not the glue's __wbg_* import functions), from the
# entry wasm-bindgen writes.
sed -n '/^export {/,/}/p' "$out/siyu_wasm.js" > "$pkg/siyu_wasm_api.js"
grep -q call "$pkg/siyu_wasm_api.js" || { echo "build-wasm.sh: no export list in $out/siyu_wasm.js" >&2; exit 1; }
"$tools/esbuild" "$out/siyu_wasm_bg.js" --bundle --format=cjs --target=es2017 --log-level=warning \
  --outfile="$pkg/cjs/siyu_wasm_bg.js"
printf '{ "type": "commonjs" }\n' > "$pkg/cjs/package.json"

node -e '
const fs = require("fs"), zlib = require("zlib"), crypto = require("crypto");
const [dir] = process.argv.slice(1);
const wasm = fs.readFileSync(dir + "/siyu_wasm_bg.wasm");
const br = zlib.brotliCompressSync(wasm, { params: {
  [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
  [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_GENERIC,
  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: wasm.length } });
fs.writeFileSync(dir + "/siyu_wasm_bg.wasm.br", br);
const gz = zlib.gzipSync(wasm, { level: 9 });
const sha = crypto.createHash("sha256").update(wasm).digest("hex");
fs.writeFileSync(dir + "/siyu_wasm_bg.wasm.sha256", sha + "  siyu_wasm_bg.wasm\n");
const kb = (n) => (n / 1024).toFixed(1) + " KB";
console.log("siyu_wasm_bg.wasm  sha256 " + sha);
console.log("  raw " + wasm.length + " B (" + kb(wasm.length) + "), gzip -9 " + gz.length + " B (" + kb(gz.length) +
  "), brotli 11 " + br.length + " B (" + kb(br.length) + ")");
if (wasm.length > 256 * 1024 || gz.length > 100 * 1024) console.log("  OVER BUDGET (256 KB raw / 100 KB gzip)");
' "$pkg"

# The demo rule set, for trying the package out: data, so not in the .wasm
# (every mini-program would carry 6 KB it never uses). `demoRules()` returns
# a fresh object each call. ESM and CommonJS.
node -e '
const fs = require("fs");
const [src, pkg] = process.argv.slice(1);
const text = JSON.stringify(fs.readFileSync(src, "utf8").trim());
const doc = "// The demo rule set of the siyu package (a tea shop, 山茶小铺), written by\n" +
  "// scripts/build-wasm.sh from src/demo/rules.canonical.json. Data, not part of the .wasm.\n";
const fn = "function demoRules() {\n  return JSON.parse(TEXT);\n}\n";
fs.writeFileSync(pkg + "/demo_rules.js", doc + "const TEXT = " + text + ";\n/** A fresh copy of the demo rules. */\nexport " + fn);
fs.writeFileSync(pkg + "/cjs/demo_rules.js", doc + "\"use strict\";\nconst TEXT = " + text + ";\n/** A fresh copy of the demo rules. */\n" + fn + "exports.demoRules = demoRules;\n");
' "$root/src/demo/rules.canonical.json" "$pkg"

# What WeChat's "npm build" copies (package.json "miniprogram" field): the
# loader as index.js, the CommonJS glue, the Brotli module.
cp "$pkg/miniprogram.js" "$pkg/miniprogram_dist/index.js"
cp "$pkg/cjs/siyu_wasm_bg.js" "$pkg/miniprogram_dist/cjs/siyu_wasm_bg.js"
cp "$pkg/cjs/demo_rules.js" "$pkg/miniprogram_dist/cjs/demo_rules.js"
cp "$pkg/siyu_wasm_bg.wasm.br" "$pkg/miniprogram_dist/siyu_wasm_bg.wasm.br"
cp "$pkg/index.d.ts" "$pkg/miniprogram_dist/index.d.ts"
cp "$pkg/siyu_wasm.d.ts" "$pkg/miniprogram_dist/siyu_wasm.d.ts"
