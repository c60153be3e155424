#!/usr/bin/env bash
# Build the one .wasm every host loads, and the npm package around it (pkg/).
#
#   1. wasm-pack (--target bundler, cargo profile `wasm-release`: opt-level s
#      with .cargo/config.toml's inlining threshold, the wire at 3, fat LTO,
#      one codegen unit, panic=abort) → target/wasm-pack/
#      The module is built WITHOUT siyu-wasm's feature `ts` (tsify), see 2.
#   2. the .d.ts: a second, unoptimized build WITH feature `ts` (profile
#      `wasm-types`) and the same wasm-bindgen → target/wasm-pack-types/, of
#      which only the .d.ts is used, after checking it declares the same
#      functions as the module's own
#   3. the export `memcmp` taken out (scripts/wasm-exports.mjs: the
#      function stays), then binaryen's wasm-opt --merge-similar-functions
#      -Os (npm `binaryen`, tests/hosts/js), then the functions laid out
#      alike by alike (scripts/wasm-order.mjs) → pkg/siyu_wasm_bg.wasm,
#      whose exports must be exactly those docs/ABI.md §2 lists
#   4. the glue as wasm-bindgen wrote it, with the JS face's hand-written
#      wasm/js/to_json.js (which wasm-bindgen copies to snippets/),
#      wasm/js/face.js and the demo rule set (data, not in the .wasm)
#      bundled in by esbuild: ESM (pkg/siyu_wasm_bg.js) and CommonJS
#      (pkg/miniprogram_dist/siyu_wasm_bg.js, shared by Node's `require` and
#      what WeChat's "npm build" copies into a code package); the .d.ts of 2
#      as pkg/siyu_wasm.d.cts; LICENSE-* from the repository's root
#   5. pkg/miniprogram_dist/siyu_wasm_bg.wasm.br (Brotli, Node's zlib) and
#      pkg/siyu_wasm_bg.wasm.sha256; the sizes raw, gzip -9 and Brotli 11
#   6. every entry point exports the public functions, by name (so that
#      Node's `import` of a CommonJS entry sees them too), and nothing else
#   7. the size gate: exits 1 if a size of 5 is over its budget
#      (scripts/budgets.sh; SIYU_BUDGET_RAW/_GZIP/_BROTLI override one run)
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

# The TypeScript declarations. tsify derives them from the core's serde types
# (siyu's feature `ts`) as custom sections of the module, which wasm-bindgen
# turns into the .d.ts. But tsify's runtime links js-sys (through gloo-utils),
# and js-sys's exports keep some 40 wasm-bindgen closure shims in the module
# that nothing calls (about 1.7 KB raw, 0.7 KB gzip). So the module above is
# built without `ts`, and its .d.ts, which then names types it does not
# declare, is replaced by the one of a second build of the same crate with
# `ts`: unoptimized and without debug info (profile `wasm-types`), as its code
# is never shipped. It adds about 30-50 s on a cold target dir (this
# profile builds its own proc-macros), half a second when nothing changed
# and about 3 s after a change to the core.
types=$root/target/wasm-pack-types
cargo build --quiet --lib --target wasm32-unknown-unknown -p siyu-wasm --features ts --profile wasm-types
rm -rf "$types"
wasm-bindgen "${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown/wasm-types/siyu_wasm.wasm" \
  --target bundler --out-dir "$types" --out-name siyu_wasm
# The two builds must declare the same JS API: the module's own .d.ts must be
# the `ts` build's with only lines taken out (tsify's declarations), none of
# them declaring a value, and the functions the `ts` .d.ts declares must be
# exactly those the shipped glue exports.
dts_differ() { echo "build-wasm.sh: the .d.ts of the build with feature ts does not match the shipped module: $*" >&2; exit 1; }
delta=$(diff "$out/siyu_wasm.d.ts" "$types/siyu_wasm.d.ts" || true)
if grep -q '^<' <<<"$delta"; then
  dts_differ "lines only in the shipped build's (diff $out/siyu_wasm.d.ts $types/siyu_wasm.d.ts)"
fi
if grep -Eq '^> (export )?(declare )?(default|function|const|let|var|class|enum|namespace|module)\b' <<<"$delta"; then
  dts_differ "feature ts declares a value, not only types (diff $out/siyu_wasm.d.ts $types/siyu_wasm.d.ts)"
fi
declared=$(sed -n 's/^export function \([A-Za-z0-9_$]*\)(.*/\1/p' "$types/siyu_wasm.d.ts" | sort)
exported=$(sed -n '/^export {/,/}/p' "$out/siyu_wasm.js" | sed '1d;$d' | tr ', ' '\n\n' | grep . | sort)
[ -n "$declared" ] && [ "$declared" = "$exported" ] ||
  dts_differ "functions declared: $(echo $declared); exported by the glue: $(echo $exported)"

# A doc comment written through a macro can reach the .d.ts as a raw string
# token (`r" …`): see the note above `exports!` in wasm/src/js.rs.
if grep -n '^ \* r"' "$types/siyu_wasm.d.ts" >&2; then
  echo "build-wasm.sh: a doc comment in the .d.ts starts with r\" (write it as #[doc = \"…\"])" >&2
  exit 1
fi

mkdir -p "$pkg/miniprogram_dist"
# The module exports its `memcmp` (wasm/src/memcmp.rs: `#[no_mangle]`, which
# a cdylib exports): the export goes, the function stays.
node "$root/scripts/wasm-exports.mjs" drop "$out/siyu_wasm_bg.wasm" "$out/siyu_wasm_bg.unexported.wasm" memcmp
# The passes (and why each): scripts/wasm-opt-passes.sh.
source "$root/scripts/wasm-opt-passes.sh"
"$tools/wasm-opt" "${wasm_opt_passes[@]}" --strip-debug "$out/siyu_wasm_bg.unexported.wasm" -o "$out/siyu_wasm_bg.optimized.wasm"
# Alike functions side by side, for gzip and Brotli (scripts/wasm-order.mjs).
node "$root/scripts/wasm-order.mjs" "$out/siyu_wasm_bg.optimized.wasm" "$out/siyu_wasm_bg.ordered.wasm"
"$tools/wasm-opt" "${wasm_layout_passes[@]}" "$out/siyu_wasm_bg.ordered.wasm" -o "$pkg/siyu_wasm_bg.wasm.tmp"
mv "$pkg/siyu_wasm_bg.wasm.tmp" "$pkg/siyu_wasm_bg.wasm"
node "$root/scripts/wasm-exports.mjs" check "$pkg/siyu_wasm_bg.wasm" "$root/docs/ABI.md"

# One file per module format, so the loaders (and WeChat's module system)
# need no snippets/: wasm/js/face.js with the glue, the demo rules and posters.
bundle=("$tools/esbuild" "$root/wasm/js/face.js" --bundle --log-level=warning
  "--alias:siyu-glue=$out/siyu_wasm_bg.js" "--alias:siyu-demo-rules=$root/src/demo/rules.canonical.json"
  "--alias:siyu-demo-posters=$root/src/demo/posters.json" "--alias:siyu-demo-avatar=$root/src/demo/avatar.png"
  "--alias:siyu-demo-logo=$root/src/demo/logo.png" "--alias:siyu-demo-product=$root/src/demo/product.png"
  --loader:.json=text --loader:.png=dataurl)
"${bundle[@]}" --format=esm --outfile="$pkg/siyu_wasm_bg.js"
"${bundle[@]}" --format=cjs --target=es2017 --outfile="$pkg/miniprogram_dist/siyu_wasm_bg.js"
# CommonJS declarations, so that one file serves `require` and `import`
# (index.d.cts and index.d.ts re-export it).
cp "$types/siyu_wasm.d.ts" "$pkg/siyu_wasm.d.cts"
cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$pkg/"

# Node's zlib for both compressions, so the figures are those BENCHMARKS.md
# has always quoted. It writes the .br and .sha256 and prints the three sizes.
sizes=$(node -e '
const fs = require("fs"), zlib = require("zlib"), crypto = require("crypto");
const [dir] = process.argv.slice(1);
const wasm = fs.readFileSync(dir + "/siyu_wasm_bg.wasm");
const br = zlib.brotliCompressSync(wasm, { params: {
  [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
  [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_GENERIC,
  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: wasm.length } });
fs.writeFileSync(dir + "/miniprogram_dist/siyu_wasm_bg.wasm.br", br);
const gz = zlib.gzipSync(wasm, { level: 9 });
const sha = crypto.createHash("sha256").update(wasm).digest("hex");
fs.writeFileSync(dir + "/siyu_wasm_bg.wasm.sha256", sha + "  siyu_wasm_bg.wasm\n");
console.log(wasm.length + " " + gz.length + " " + br.length);
' "$pkg")
read -r size_raw size_gzip size_brotli <<<"$sizes"
echo "siyu_wasm_bg.wasm  sha256 $(cut -d' ' -f1 "$pkg/siyu_wasm_bg.wasm.sha256")"

# Every entry point exports the public functions by name: the bundle's
# exports but the glue's (`__wb…`), with the loader's `init` and
# `wasmBytes`. A CommonJS entry is loaded with `import`, which sees only the
# names Node's cjs-module-lexer finds (`exports.x = …`).
node --input-type=module -e '
const [pkg] = process.argv.slice(1);
const api = Object.keys(await import(pkg + "/siyu_wasm_bg.js")).filter((n) => !n.startsWith("__wb"));
const want = [...api, "init", "wasmBytes"].sort().join(" ");
let bad = 0;
for (const [entry, extra] of [["index.js", []], ["node.mjs", []], ["node.cjs", ["default", "module.exports"]],
                              ["miniprogram_dist/index.js", ["default", "module.exports", "DEFAULT_PATH"]]]) {
  const have = Object.keys(await import(pkg + "/" + entry)).filter((n) => !extra.includes(n)).sort().join(" ");
  if (have !== want) { console.error(`build-wasm.sh: pkg/${entry} exports ${have}\n  but the public functions are ${want}`); bad = 1; }
}
process.exit(bad);
' "$pkg"

# The size gate, last, so that an over-budget build still leaves a complete
# pkg/ to look into (twiggy, wasm-objdump) while the build itself fails.
source "$root/scripts/budgets.sh"
over=0
kib() { awk -v n="$1" 'BEGIN { printf "%5.1f KiB", n / 1024 }'; }
# gate NAME SIZE BUDGET VARIABLE: one line of figures; a failure also on stderr.
gate() {
  local name=$1 size=$2 budget=$3 var=$4 from=scripts/budgets.sh
  # Say where the budget came from: ${!var} is the value of the variable named $var.
  [ -z "${!var:-}" ] || from="\$$var"
  case $budget in
    '' | *[!0-9]*) echo "build-wasm.sh: the $name budget ($from) is not a whole number of bytes: '$budget'" >&2; exit 1 ;;
  esac
  if [ "$size" -le "$budget" ]; then
    printf '  %-10s %7d B (%s)  budget %7d B (%s, %s): %d B to spare\n' \
      "$name" "$size" "$(kib "$size")" "$budget" "$(kib "$budget")" "$from" $((budget - size))
  else
    printf '  %-10s %7d B (%s)  budget %7d B (%s, %s): OVER BY %d B\n' \
      "$name" "$size" "$(kib "$size")" "$budget" "$(kib "$budget")" "$from" $((size - budget))
    echo "build-wasm.sh: OVER BUDGET: $name $size B > $budget B ($from) by $((size - budget)) B" >&2
    over=1
  fi
}
gate raw "$size_raw" "${SIYU_BUDGET_RAW:-$budget_raw}" SIYU_BUDGET_RAW
gate "gzip -9" "$size_gzip" "${SIYU_BUDGET_GZIP:-$budget_gzip}" SIYU_BUDGET_GZIP
gate "brotli 11" "$size_brotli" "${SIYU_BUDGET_BROTLI:-$budget_brotli}" SIYU_BUDGET_BROTLI
if [ "$over" -ne 0 ]; then
  echo "build-wasm.sh: pkg/siyu_wasm_bg.wasm is over the size budget; the build fails" >&2
  exit 1
fi
echo "size budgets: met"
