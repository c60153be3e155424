# The wasm-opt passes of the shipped .wasm, sourced by scripts/build-wasm.sh
# (which adds --strip-debug) and scripts/profile-wasm.sh (which adds -g, to
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
# -Os, not -Oz: the two are within 0.1 KB of each other in gzip, and
# instructions and time are the same within 1 %. --low-memory-unused lets constant
# offsets fold into loads and stores: true here, since Rust puts the 1 MB
# stack first (data starts at 1 MiB) and nothing reads the first KB.
# --converge repeats the passes while they still shrink the module. The
# features are those rustc emits. (Measured: BENCHMARKS.md.)
wasm_opt_passes=(
  --remove-exports --pass-arg=remove-exports@__abort_handler,__instance_terminated
  --merge-similar-functions -Os --low-memory-unused --converge --strip-producers
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-reference-types --enable-multivalue
)
