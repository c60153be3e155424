# The wasm-opt passes of the shipped .wasm, sourced by scripts/build-wasm.sh
# (which adds --strip-debug, then lays the functions out with
# wasm_layout_passes, below) and scripts/profile-wasm.sh (which adds -g, to
# keep the names: the same code, the same fuel).
#
# --remove-exports drops the two globals wasm-bindgen's runtime exports
# (`__abort_handler`, `__instance_terminated`: its abort hooks, which the
# glue of a panic=abort build never reads): WeChat's WXWebAssembly on iOS
# does not support exporting a Global (wechat-shim.mjs refuses one).
# --merge-similar-functions: functions that differ only in constants (the
# copies of a generic per type: `grow_one`, `binary_search_by`, list
# readers) become one taking the constants, 5 KB less raw and 0.7 KB less
# gzip, for a time within the noise (2 %) in Node and Chromium.
# --reorder-functions-by-name lays the functions out by their names (kept
# until --strip-debug), so the copies of one generic (`Vec<T>::decode`,
# `Object::field::<T>`, the `clone`s) sit side by side, within reach of
# gzip's 32 KB window: -1.3 KB gzip, -0.6 KB Brotli, the same code (the
# order of functions changes no instruction). First, so the passes after
# it see that order.
# -ocimfs=20 (--one-caller-inline-max-function-size): binaryen inlines a
# function that has one caller only if it is at most 20 instructions long
# (its default: of any size). The functions LLVM's opt-level "z" left out
# of line compress well as they are; folded into their callers the module
# was 14 KB smaller raw but 6.7 KB bigger in gzip and 4.3 KB in Brotli
# (likely: the same small bodies, alike in every copy, became unlike parts
# of large functions). Values from 10 to 30 are within 0.3 KB; 20 is best.
# Both together: +6.0 KB raw, -8.0 KB gzip, -5.3 KB Brotli, and 0.4 % more
# instructions for the 200-line quote (BENCHMARKS.md).
# -Os, not -Oz: the two are within 0.1 KB of each other in gzip, and
# instructions and time are the same within 1 %. --low-memory-unused lets constant
# offsets fold into loads and stores: true here, since Rust puts the stack
# first (896 KiB, .cargo/config.toml; data starts there) and nothing reads
# the first KB.
# --converge repeats the passes while they still shrink the module. The
# features are those rustc emits. (Measured: BENCHMARKS.md.)
wasm_opt_passes=(
  --remove-exports --pass-arg=remove-exports@__abort_handler,__instance_terminated
  --reorder-functions-by-name --merge-similar-functions -Os -ocimfs=20 --low-memory-unused --converge --strip-producers
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-reference-types --enable-multivalue
)

# The layout of the shipped module: scripts/wasm-order.mjs names each
# function by its place in a chain of alike functions, and these passes
# move the bodies there (--reorder-functions-by-name) and drop the names.
# -Os again (with the same settings as above) because reading a module back
# into binaryen adds locals that only its passes take out again (a bare
# reorder was 0.4 KB bigger raw); on the module the passes above made it
# changes next to nothing else (16 bytes). The order: -3.1 KB gzip,
# -2.7 KB Brotli against the order by name (BENCHMARKS.md).
wasm_layout_passes=(
  --reorder-functions-by-name -Os -ocimfs=20 --low-memory-unused --strip-debug
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-reference-types --enable-multivalue
)
