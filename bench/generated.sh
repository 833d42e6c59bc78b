#!/usr/bin/env bash
# Benchmark (not a test): does the cost of a diff grow linearly with a module's size, whatever
# its shape? Generated code (protobuf, API clients, tables) puts tens of thousands of functions
# in one module; a parse whose cost is functions x tokens hangs there.
#
# What it does:
#   1. generates one repository per size in SIZES (a package `gen` whose `gen/big.py` holds N
#      small functions), committed and tagged v1.0.0, then a second commit that adds one
#      function and changes one signature (tag v1.1.0), fixed names and dates;
#   2. generates the large case: a package with a generated module of about BIG_MB MB and
#      SMALL small modules, tagged v1.0.0, then one function added to the big module and one
#      small module changed (v1.1.0);
#   3. times `diff --from v1.0.0 --to v1.1.0 --format json` on each with hyperfine (one run a
#      size), and with BASELINE=/path/to/old/bumpwise the old binary beside the new one on the
#      sizes up to BASELINE_MAX functions (an old quadratic binary does not finish the others);
#   4. prints the time per 1,000 functions at each size, the ratio of the largest size to
#      RATIO_OF (40,000), which the issue wants at most 2.5 for 100,000 functions, and the
#      large case's time and peak memory (target: under 15 s);
#   5. times the sizes in RENAMED, where v1.1.0 renames every function (`call_i` ->
#      `endpoint_i`): as many names removed as added, which pairing moves must not make
#      quadratic (20,000 renames took 14 s before it was fixed).
#
# Environment: SIZES ("10000 25000 40000 50000 100000"), RENAMED ("10000 40000"), RATIO_OF (40000), BIG_MB (14),
# SMALL (10000), RUNS (3), BUMPWISE (default target/release/bumpwise, built when missing),
# BASELINE, BASELINE_MAX (25000), BENCH_WORK (bench/work), REBUILD=1, NO_BIG=1.
set -euo pipefail
# Every figure here is a cold run: no facts cache from an earlier run (README, "Cache"); an
# older binary without the cache ignores the variable.
export BUMPWISE_NO_CACHE=1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
work=${BENCH_WORK:-$here/work}/generated
sizes=${SIZES:-10000 25000 40000 50000 100000}
renamed=${RENAMED:-10000 40000}
ratio_of=${RATIO_OF:-40000}
big_mb=${BIG_MB:-14}
small=${SMALL:-10000}
runs=${RUNS:-3}
baseline_max=${BASELINE_MAX:-25000}

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }
q() { printf '%q ' "$@"; }
mkdir -p "$work"

# generate DIR FUNCTIONS SMALL_MODULES [rename]: the repository, unless it is there already.
generate() {
    local dir=$1 n=$2 mods=$3 rename=${4:-}
    if [ -z "${REBUILD:-}" ] && git -C "$dir" rev-parse --verify --quiet v1.1.0 >/dev/null 2>&1; then
        return
    fi
    say "generating $dir ($n functions in gen/big.py, $mods small modules)"
    rm -rf "$dir"
    python3 - "$dir" "$n" "$mods" "$rename" <<'PY'
import os, subprocess, sys

dir, n, mods, rename = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "rename"

os.makedirs(f"{dir}/src/gen/small", exist_ok=True)
env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
           GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid")

def git(*args, date="2024-01-01T12:00:00Z"):
    subprocess.run(["git", "-C", dir, "-c", "init.defaultBranch=main", "-c", "gc.auto=0", *args], check=True,
                   stdout=subprocess.DEVNULL, env=dict(env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date))

def function(i, extra="", name="call"):
    # The shape of generated code: a typed signature, a docstring, a short body.
    return (f"def {name}_{i}(request: Request, timeout: float = 30.0{extra}) -> Response:\n"
            f'    """Calls endpoint {i}."""\n'
            f"    return _send(request, \"/v1/endpoint/{i}\", timeout=timeout)\n\n\n")

def big(second):
    out = ["from typing import Any as Request, Any as Response\n\n\n",
           "def _send(request, path, timeout):\n    return (request, path, timeout)\n\n\n"]
    for i in range(n):
        if rename:
            out.append(function(i, name="endpoint" if second else "call"))
            continue
        out.append(function(i, ", retries: int = 0" if second and i == n // 2 else ""))
    if second and not rename:
        out.append(function(n))
    return "".join(out)

def small_module(i, second):
    extra = ", *, strict: bool = False" if second and i == 7 else ""
    return (f'"""Small module {i}."""\n\nLIMIT = {i}\n\n\n'
            f"class Model{i}:\n    def __init__(self, value: int) -> None:\n        self.value = value\n\n"
            f"    def scaled(self, factor: int = 2{extra}) -> int:\n        return self.value * factor\n\n\n"
            f"def build_{i}(value: int) -> Model{i}:\n    return Model{i}(value)\n")

def write(second):
    with open(f"{dir}/src/gen/big.py", "w") as f:
        f.write(big(second))
    for i in range(mods):
        with open(f"{dir}/src/gen/small/mod_{i}.py", "w") as f:
            f.write(small_module(i, second))

os.makedirs(dir, exist_ok=True)
git("init", "--quiet")
with open(f"{dir}/pyproject.toml", "w") as f:
    f.write('[project]\nname = "gen"\nversion = "1.0.0"\n')
open(f"{dir}/src/gen/__init__.py", "w").close()
open(f"{dir}/src/gen/small/__init__.py", "w").close()
write(False)
git("add", "-A")
git("commit", "--quiet", "-m", "generated 1.0.0")
git("tag", "-a", "-m", "1.0.0", "v1.0.0")
write(True)
git("add", "-A")
git("commit", "--quiet", "-m", "one function more", date="2024-02-01T12:00:00Z")
git("tag", "-a", "-m", "1.1.0", "v1.1.0", date="2024-02-01T12:00:00Z")
git("gc", "--quiet")
PY
}

for n in $sizes; do
    generate "$work/n-$n" "$n" 0
done
# About 168 bytes a function: BIG_MB MB of them.
big_n=$((big_mb * 1024 * 1024 / 168))
[ -n "${NO_BIG:-}" ] || generate "$work/big-$big_n-$small" "$big_n" "$small"
for n in $renamed; do
    generate "$work/renamed-$n" "$n" 0 rename
done

bumpwise=${BUMPWISE:-${CARGO_TARGET_DIR:-$root/target}/release/bumpwise}
if [ -z "${BUMPWISE:-}" ] && [ ! -x "$bumpwise" ]; then
    say "building bumpwise (release)"
    cargo build --quiet --release --manifest-path "$root/Cargo.toml" --bin bumpwise
fi
[ -x "$bumpwise" ] || die "no binary at $bumpwise"
if ! command -v hyperfine >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing hyperfine"
    apt-get install -y -qq hyperfine >/dev/null 2>&1 || true
fi
command -v hyperfine >/dev/null || die "this benchmark needs hyperfine (apt-get install hyperfine)"

diff_of() { printf '%q ' "$1" diff --repo "$2" --package "$2" --from v1.0.0 --to v1.1.0 --format json; }
for n in $sizes; do
    "$bumpwise" diff --repo "$work/n-$n" --package "$work/n-$n" --from v1.0.0 --to v1.1.0 --format json >"$work/n-$n.json" \
        || die "bumpwise diff failed on $n functions"
done

args=()
for n in $sizes; do
    args+=(-n "new $n" "$(diff_of "$bumpwise" "$work/n-$n")")
    if [ -n "${BASELINE:-}" ] && [ "$n" -le "$baseline_max" ]; then
        args+=(-n "old $n" "$(diff_of "$BASELINE" "$work/n-$n")")
    fi
done
say "timing the sizes ($runs runs each)"
hyperfine -N --style basic --warmup 1 --runs "$runs" --export-json "$work/sizes.hyperfine.json" \
    "${args[@]}" >&2

big_line=""
if [ -z "${NO_BIG:-}" ]; then
    say "timing the large case (a $big_mb MB module and $small small modules)"
    hyperfine -N --style basic --runs 1 --export-json "$work/big.hyperfine.json" \
        -n big "$(diff_of "$bumpwise" "$work/big-$big_n-$small")" >&2
    peak=$(/usr/bin/time -v "$bumpwise" diff --repo "$work/big-$big_n-$small" --package "$work/big-$big_n-$small" --from v1.0.0 --to v1.1.0 \
        --format json 2>&1 >/dev/null | awk '/Maximum resident/ {printf "%.0f", $6/1024}')
    mb=$(git -C "$work/big-$big_n-$small" cat-file -s v1.1.0:src/gen/big.py | awk '{printf "%.1f", $1/1048576}')
    big_line=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f s wall, %.2f s CPU" % (r["mean"], r["user"] + r["system"]))' "$work/big.hyperfine.json")
    big_line="large case ($mb MB module, $big_n functions, $small small modules): $big_line, $peak MB peak (target < 15 s)"
fi

renamed_lines=""
if [ -n "$renamed" ]; then
    args=()
    for n in $renamed; do
        args+=(-n "renamed $n" "$(diff_of "$bumpwise" "$work/renamed-$n")")
    done
    say "timing every function renamed ($runs runs each)"
    hyperfine -N --style basic --runs "$runs" --export-json "$work/renamed.hyperfine.json" \
        "${args[@]}" >&2
    renamed_lines=$(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    n = int(r["command"].split()[1])
    print("every one of %d functions renamed: %.3f s, %.1f ms / 1k fn" % (n, r["mean"], 1000 * r["mean"] / (n / 1000)))
' "$work/renamed.hyperfine.json")
fi

python3 - "$work/sizes.hyperfine.json" "$ratio_of" "$big_line" "$renamed_lines" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
ratio_of, big_line, renamed_lines = int(sys.argv[2]), sys.argv[3], sys.argv[4]
print()
print(f"{'command':<14} {'wall':>9} {'± σ':>7} {'CPU':>8} {'ms / 1k fn':>11}")
mean = {}
for r in results:
    who, n = r["command"].split()
    mean[(who, int(n))] = r["mean"]
    cpu = r["user"] + r["system"]
    print(f"{r['command']:<14} {r['mean']:>8.3f}s {r['stddev'] or 0:>6.3f}s {cpu:>7.2f}s "
          f"{1000 * r['mean'] / (int(n) / 1000):>11.1f}")
news = sorted(n for who, n in mean if who == "new")
if ratio_of in news and news[-1] != ratio_of:
    top = news[-1]
    r = mean[("new", top)] / mean[("new", ratio_of)]
    print(f"\n{top} functions / {ratio_of}: {r:.2f}x the time for {top / ratio_of:.2f}x the "
          f"functions (target at most 2.5x for 100k / 40k)")
for who, n in sorted(mean):
    if who == "old" and ("new", n) in mean:
        print(f"{n} functions: old / new = {mean[('old', n)] / mean[('new', n)]:.1f}x")
if big_line:
    print(big_line)
if renamed_lines:
    print(renamed_lines)
PY
