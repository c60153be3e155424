#!/usr/bin/env bash
# The JS hosts: install the tools (skipping what is there), build the one
# .wasm and the npm package, then run the conformance corpus under Node,
# headless Chromium and the mini-program shim, and type-check the .d.ts.
# Each runner ends with `conformance: <host>: N of M vectors identical`;
# the poster runners (posters-chromium, posters-miniprogram) draw every
# poster vector with `drawPoster` on a canvas, decode its QR codes with
# jsQR and end with `posters: <host>: N of M posters drawn, …`.
# Last, the package as users meet it: the tarball installed into fresh
# Node, TypeScript and Vite projects, and attw and publint on it
# (tests/hosts/js/fresh-projects.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh
bash scripts/build-wasm.sh
echo "== wasm face: every operation has a JS export"
cargo test --quiet -p siyu-wasm
status=0
cd tests/hosts/js
for runner in node chromium miniprogram posters-chromium posters-miniprogram; do
  echo "== $runner"
  # Debian's chromium wrapper script prints a harmless shell warning on stderr.
  node "$runner.mjs" 2> >(grep -v 'unexpected operator' >&2) || status=1
done
echo "== TypeScript: the package's .d.ts against types/usage.ts"
npx --no-install tsc -p tsconfig.json && echo "types: ok" || status=1
echo "== TypeScript: drawPoster takes the DOM's and @napi-rs/canvas's contexts (types/canvas-dom.ts)"
npx --no-install tsc -p tsconfig.dom.json && echo "types (dom): ok" || status=1
echo "== the tarball in fresh projects; attw and publint"
node fresh-projects.mjs || status=1
exit $status
