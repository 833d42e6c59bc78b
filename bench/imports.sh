#!/usr/bin/env bash
# Benchmark (not a test): `bumpwise imports --all` on the generated repository of several
# projects of bench/monorepo.sh, against the floor: reading the same `.py` blobs out of git and
# parsing them in full with tree-sitter on every core, doing nothing else
# (examples/parse_floor.rs). The imports gate parses every file in full once, so its cost
# should stay close to the floor's; and it should grow linearly with the number of members.
#
# What it does:
#   1. builds the repositories with `GENERATE_ONLY=1 bench/monorepo.sh` (skipped when there),
#      for MEMBERS members and for each count of SCALE,
#   2. builds bumpwise and the floor (release),
#   3. times side by side, in one hyperfine run: `imports --all --format json` and the floor on
#      the MEMBERS-member repository; peak memory of each from /usr/bin/time -v,
#   4. scaling: `imports --all` on SCALE members, in one hyperfine run,
#   5. prints the figures and the ratios. Ratios matter, not absolute times.
#
# Environment: MEMBERS (30), MODULES (300), RUNS (10), SCALE ("10 20 30"; empty to skip),
# BENCH_WORK (bench/work), BUMPWISE (the binary; default target/release/bumpwise).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
work=${BENCH_WORK:-$here/work}/monorepo
members=${MEMBERS:-30}
runs=${RUNS:-10}
scale=${SCALE-10 20 30}

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

MEMBERS=$members SCALE=$scale GENERATE_ONLY=1 "$here/monorepo.sh"
repo=$work/repo

target=${CARGO_TARGET_DIR:-$root/target}/release
say "building bumpwise and the floor (release)"
cargo build --quiet --release --manifest-path "$root/Cargo.toml" --bin bumpwise --example parse_floor
bumpwise=${BUMPWISE:-$target/bumpwise}
floor=$target/examples/parse_floor
[ -x "$bumpwise" ] || die "no binary at $bumpwise"

if ! command -v hyperfine >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing hyperfine"
    apt-get install -y -qq hyperfine >/dev/null 2>&1 || true
fi
command -v hyperfine >/dev/null || die "this benchmark needs hyperfine (apt-get install hyperfine)"
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq time >/dev/null 2>&1 || true
fi

imports=("$bumpwise" imports --all --repo "$repo" --format json)
floor_cmd=("$floor" "$repo" HEAD packages/)
"${imports[@]}" >"$work/imports.json" || [ $? = 1 ] || die "imports --all failed"
say "floor: $("${floor_cmd[@]}")"
say "findings: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(m["findings"]) for m in d["members"]))' "$work/imports.json")"

peak_mb() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident/ {printf "%.0f", $6/1024}'
}
q() { printf '%q ' "$@"; }

(cd "$work" && hyperfine -N --style basic --warmup 1 --runs "$runs" -i \
    --export-json "$work/imports.hyperfine.json" \
    -n "imports --all" "$(q "${imports[@]}")" \
    -n "floor (read + parse)" "$(q "${floor_cmd[@]}")" >&2)
peak_imports=$(peak_mb "${imports[@]}" || true)
peak_floor=$(peak_mb "${floor_cmd[@]}" || true)

scale_args=()
for n in $scale; do
    dir=$work/scale-$n
    [ "$n" = "$members" ] && dir=$repo
    scale_args+=(-n "$n members" "$(q "$bumpwise" imports --all --repo "$dir" --format json)")
done
if [ ${#scale_args[@]} -gt 0 ]; then
    (cd "$work" && hyperfine -N --style basic --warmup 1 --runs "$runs" -i \
        --export-json "$work/imports-scale.hyperfine.json" "${scale_args[@]}" >&2)
fi

python3 - "$work/imports.hyperfine.json" "$work/imports-scale.hyperfine.json" "$peak_imports" "$peak_floor" "$members" <<'PY'
import json, os, sys
main, scale_path, peak_imports, peak_floor, members = sys.argv[1:]
r = {x["command"]: x for x in json.load(open(main))["results"]}
imp, flo = r["imports --all"], r["floor (read + parse)"]
print(f"imports --all on {members} members: {imp['mean']:.3f} s ± {imp['stddev']:.3f}, user {imp['user']:.2f} s, peak {peak_imports} MB")
print(f"floor (read + parse in full): {flo['mean']:.3f} s ± {flo['stddev']:.3f}, user {flo['user']:.2f} s, peak {peak_floor} MB")
print(f"ratio imports / floor: {imp['mean'] / flo['mean']:.2f}x wall, {imp['user'] / flo['user']:.2f}x user CPU")
if os.path.exists(scale_path):
    rows = json.load(open(scale_path))["results"]
    for row in rows:
        n = int(row["command"].split()[0])
        print(f"scaling: {n} members {row['mean']:.3f} s, {row['mean'] / n * 1000:.1f} ms per member")
PY
