#!/usr/bin/env bash
# Runs bumpwise's fuzz targets, one after the other, each for TIME seconds (default 1200).
#   fuzz/run.sh                      # all three targets, 20 minutes each
#   TIME=60 fuzz/run.sh version      # one target, one minute
# cargo-fuzz passes -Z flags to rustc; RUSTC_BOOTSTRAP=1 lets a stable toolchain accept them.
# Crashes land in fuzz/artifacts/<target>/; minimize one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz tmin <target> fuzz/artifacts/<target>/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."

TIME="${TIME:-1200}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(surface version specifier)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz
fi

export RUSTC_BOOTSTRAP=1
# One rayon thread: the extractor parses in parallel, and a fuzz job gets one core.
export RAYON_NUM_THREADS="${RAYON_NUM_THREADS:-1}"
build=()
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
    build=(--target-dir "$CARGO_TARGET_DIR/fuzz")
fi
status=0
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target"
    # One process per target (libFuzzer's default; `-jobs=1` would only move its output to a
    # log file). The seeds are fuzz/corpus/<target>/seed-*; new inputs are added beside them.
    cargo fuzz run "${build[@]}" "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$TIME" -print_final_stats=1 || status=$?
done
exit "$status"
