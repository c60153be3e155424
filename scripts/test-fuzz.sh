#!/usr/bin/env bash
# The cargo-fuzz crate (fuzz/): check its lock file, build every target on
# stable Rust without a sanitizer, and give each a short smoke run from the
# repository's seeds. Fails if the lock file is stale, a target does not
# build, or a run finds a crash, a timeout or an out-of-memory.
#
#   scripts/test-fuzz.sh            # FUZZ_SMOKE_SECS (default 15) per target
#
# Installs cargo-fuzz from crates.io if it is missing (about 2 minutes on
# 2 cores); the first build takes about 80 s more. Each run's corpus goes to
# a temporary directory that is removed afterwards; only a failing input is
# copied out, to fuzz/artifacts/<target>/ (ignored by git), to replay and
# fix (fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
CARGO_FUZZ=0.13.2                 # installed if cargo-fuzz is missing
secs=${FUZZ_SMOKE_SECS:-15}

note() { printf '%s\n' "test-fuzz: $*" >&2; }
command -v cargo >/dev/null || { note "cargo is required (https://rustup.rs)"; exit 1; }

# Stable, as CI machines may have nothing else: the default AddressSanitizer
# build needs nightly, `--sanitizer none` does not. Pin it if rustup has it,
# and never let a RUSTC_BOOTSTRAP from outside turn nightly features on.
unset RUSTC_BOOTSTRAP
if command -v rustup >/dev/null && rustup toolchain list 2>/dev/null | grep -q '^stable'; then
  export RUSTUP_TOOLCHAIN=stable
fi
note "$(rustc --version)"

if ! cargo fuzz --version >/dev/null 2>&1; then
  note "cargo install cargo-fuzz $CARGO_FUZZ (about 2 minutes)"
  start=$SECONDS
  cargo install cargo-fuzz --version "$CARGO_FUZZ" --locked --quiet
  note "installed $(cargo fuzz --version) in $((SECONDS - start)) s"
fi

# fuzz/Cargo.lock must already be complete: `cargo fuzz build` has no
# --locked of its own, so check it here (it downloads what the build needs).
cargo fetch --locked --quiet

start=$SECONDS
cargo fuzz build --sanitizer none
note "built every target in $((SECONDS - start)) s"

mapfile -t targets < <(cargo fuzz list)
[ "${#targets[@]}" -gt 0 ] || { note "cargo fuzz list found no targets"; exit 1; }
host=$(rustc -vV | sed -n 's/^host: //p')
target_dir=$(cargo metadata --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bin_dir=$target_dir/$host/release

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=0
for t in "${targets[@]}"; do
  # As fuzz/README.md runs them: the JSON targets take the dictionary.
  case $t in
    rules_parse) args=(-dict=json.dict -max_len=16384) ;;
    ops_call) args=(-dict=json.dict -max_len=65536) ;;
    quote_structured) args=(-max_len=4096) ;;
    *) args=() ;;
  esac
  mkdir -p "$tmp/corpus/$t" "$tmp/artifacts/$t"
  # The first directory is the (throw-away) corpus libFuzzer writes to; the
  # seeds are only read.
  dirs=("$tmp/corpus/$t")
  seeds=0
  if [ -d "seeds/$t" ]; then
    dirs+=("seeds/$t")
    seeds=$(find "seeds/$t" -type f | wc -l)
  fi
  log=$tmp/$t.log
  # -timeout: one input taking 10 s is a hang, reported as a failure.
  if "$bin_dir/$t" "${dirs[@]}" "${args[@]}" -max_total_time="$secs" -timeout=10 \
       -artifact_prefix="$tmp/artifacts/$t/" -print_final_stats=1 >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "fuzz smoke: $t: ${runs:-?} runs in ${secs} s (${speed:-?}/s, $seeds seeds, ${cov:-cov: ?}), no crash"
  else
    failed=1
    note "$t FAILED; its log ends:"
    tail -40 "$log" >&2
    if [ -n "$(ls -A "$tmp/artifacts/$t")" ]; then
      mkdir -p "artifacts/$t"
      cp "$tmp/artifacts/$t"/* "artifacts/$t/"
      note "kept in fuzz/artifacts/$t/ (ignored by git): $(ls "$tmp/artifacts/$t" | tr '\n' ' ')"
      note "replay: cd fuzz && cargo fuzz run --sanitizer none $t artifacts/$t/<file>"
    fi
  fi
done
exit "$failed"
