#!/usr/bin/env bash
# Install what the JS side needs (the wasm build, the npm package and its
# host runners), skipping whatever is already there:
#   the wasm32 target, wasm-pack, wasm-bindgen-cli at the exact version
#   wasm/Cargo.toml pins, Debian's chromium (only if /usr/bin/chromium is
#   missing), and the runners' npm tools (binaryen, esbuild, typescript,
#   playwright-core, vite, @arethetypeswrong/cli, publint) by `npm ci` in
#   tests/hosts/js, and the fonts posters are drawn with (Debian's
#   fonts-wqy-microhei, 1.6 MB, whose advances the core's width table holds,
#   and fonts-noto-color-emoji, 10 MB): Debian installs no CJK font, and
#   without one every Chinese character of a rasterised poster or a
#   screenshot is an empty box.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { echo "install-tools: $*"; }

for t in cargo rustup node npm; do
  command -v "$t" >/dev/null || { echo "install-tools.sh: $t is required" >&2; exit 1; }
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown >/dev/null 2>&1
fi

if ! command -v wasm-pack >/dev/null; then
  say "cargo install wasm-pack (about 2 minutes)"
  cargo install wasm-pack --locked --quiet
fi

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate.
want=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' wasm/Cargo.toml)
[ -n "$want" ] || { echo "install-tools.sh: no pinned wasm-bindgen = \"=x.y.z\" in wasm/Cargo.toml" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "cargo install wasm-bindgen-cli $want (about 3 minutes)"
  # --locked first; its lock file can name a version the registry no longer
  # serves, so fall back to a fresh resolution.
  cargo install wasm-bindgen-cli --version "$want" --locked --quiet --force 2>/dev/null ||
    cargo install wasm-bindgen-cli --version "$want" --quiet --force
fi

if [ ! -x /usr/bin/chromium ]; then
  say "apt-get install chromium chromium-driver"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

fonts=()
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || fonts+=(fonts-wqy-microhei)
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || fonts+=(fonts-noto-color-emoji)
if [ ${#fonts[@]} -gt 0 ]; then
  say "apt-get install ${fonts[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${fonts[@]}" >/dev/null
fi

js=tests/hosts/js
if [ ! -f "$js/node_modules/.package-lock.json" ] || [ "$js/package-lock.json" -nt "$js/node_modules/.package-lock.json" ] ||
   [ ! -e "$js/node_modules/siyu" ]; then
  say "npm ci in $js"
  (cd "$js" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
