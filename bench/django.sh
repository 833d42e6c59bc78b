#!/usr/bin/env bash
# Benchmark (not a test): time `bumpwise diff` between two Django releases, and `griffe check` on
# the same repository when griffe installs.
#
# What it does, every step skipped when its result is already there (re-run freely):
#   1. downloads the Django sdists from PyPI (pip download --no-binary :all:),
#   2. builds a git repository in bench/work/repo with the old tree committed and tagged
#      v4.2.0, then the new tree committed and tagged v5.0.0 (fixed dates, so the commits are
#      the same on every machine),
#   3. builds bumpwise in release mode and checks that it diffs the two tags,
#   4. times it with hyperfine (or a plain loop) and reads peak memory from /usr/bin/time -v,
#   5. installs griffe into a venv, times `griffe check` on the same tags, prints the ratio.
# With BASELINE=/path/to/old/bumpwise, step 4 times that binary and the new one side by side in
# one hyperfine run (two commands, same warm-up and runs), checks whether the two print the same
# JSON report, and prints the time ratio and the peak memory of each.
#
# Django keeps its name and version in setup.cfg (`version = attr: django.__version__`); its
# pyproject.toml has only [build-system] and [tool.black], no [project] table. So the script
# appends `[tool.bumpwise] package = "django"` to pyproject.toml in both commits: that is the
# documented override for projects whose build backend bumpwise does not read. (bumpwise also
# reads setup.cfg's `[metadata] name` and finds Django without it; the override stays so that the
# repository and its commits do not change.) The current version comes from the tag.
#
# Environment: DJANGO_OLD (4.2), DJANGO_NEW (5.0), RUNS (10), GRIFFE_RUNS (3), BENCH_WORK
# (bench/work), BUMPWISE (a binary to time instead of building one), BASELINE (an older binary to
# time against it), NO_GRIFFE=1 to skip griffe, REBUILD=1 to rebuild the repository.
# Cold and warm: bumpwise keeps a cache of parsed files in .git/bumpwise/cache (binaries before
# it have none). Every figure is cold (the folder deleted before each run, hyperfine's
# --prepare), so that old and new binaries compare like for like; the "warm" lines time the
# same commands with the cache that the warm-up run left, as a second run on a machine does.
# Targets (issue 12, on a two-core machine): at least 2x faster than the binary before it
# (BASELINE, in the same hyperfine run), under 150 MB peak, at least 25x faster than griffe, and
# a pull-request-sized diff (one file changed on top of the new tag: the `pr-one-file` tag the
# script makes) at most 0.6x the time of the full release diff, timed in one hyperfine run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
work=${BENCH_WORK:-$here/work}
old=${DJANGO_OLD:-4.2}
new=${DJANGO_NEW:-5.0}
runs=${RUNS:-10}
griffe_runs=${GRIFFE_RUNS:-3}

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }
# The binaries run from inside the repository: make a relative path absolute.
abs_path() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }

# "4.2" -> "4.2.0": release tags carry three parts, as `bumpwise release` writes them.
tag_of() {
    local v=$1
    while [ "$(tr -cd . <<<"$v" | wc -c)" -lt 2 ]; do v=$v.0; done
    printf 'v%s' "$v"
}
old_tag=$(tag_of "$old")
new_tag=$(tag_of "$new")

mkdir -p "$work/dist" "$work/src"

# 1. sdists. One pip call per version: pip refuses two versions of one project in one call.
for v in "$old" "$new"; do
    if [ ! -d "$work/src/Django-$v" ]; then
        if ! ls "$work/dist"/[Dd]jango-"$v".tar.gz >/dev/null 2>&1; then
            say "downloading the Django $v sdist"
            python3 -m pip download --quiet --no-deps --no-binary :all: "django==$v" \
                -d "$work/dist" || die "pip could not download django==$v"
        fi
        tar --no-same-owner -xzf "$(ls "$work/dist"/[Dd]jango-"$v".tar.gz)" -C "$work/src"
    fi
done

# 2. The repository. The machine's git is fine here: this is a script, not a test.
repo=$work/repo
git_() {
    GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid \
        GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid \
        git -C "$repo" -c init.defaultBranch=main -c core.autocrlf=false -c gc.auto=0 "$@"
}
commit_tree() { # VERSION TAG DATE
    local v=$1 tag=$2 date=$3
    find "$repo" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
    cp -R "$work/src/Django-$v/." "$repo/"
    cat >>"$repo/pyproject.toml" <<'EOF'

# Added by bench/django.sh: Django names itself in setup.cfg, not in a [project] table.
[tool.bumpwise]
package = "django"
EOF
    git_ add -A
    GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git_ commit --quiet -m "Django $v"
    GIT_COMMITTER_DATE=$date git_ tag -a -m "Django $v" "$tag"
}
if [ -n "${REBUILD:-}" ] || ! git_ rev-parse --verify --quiet "$new_tag^{commit}" >/dev/null 2>&1 \
    || ! git_ rev-parse --verify --quiet "$old_tag^{commit}" >/dev/null 2>&1; then
    say "building $repo ($old_tag, then $new_tag)"
    rm -rf "$repo"
    mkdir -p "$repo"
    git_ init --quiet
    commit_tree "$old" "$old_tag" "2023-04-03T12:00:00Z"
    commit_tree "$new" "$new_tag" "2023-12-04T12:00:00Z"
fi
# A pull request's worth of change on top of the new release: one module gains a function.
# Built with a temporary index and commit-tree, so HEAD and the working tree stay at $new_tag.
pr_tag=pr-one-file
if ! git_ rev-parse --verify --quiet "$pr_tag^{commit}" >/dev/null 2>&1; then
    pr_file=django/utils/text.py
    blob=$( { git_ show "$new_tag:$pr_file"; printf '\n\ndef shout(text):\n    return text.upper()\n'; } \
        | git_ hash-object -w --stdin)
    index=$(mktemp)
    rm -f "$index"
    GIT_INDEX_FILE=$index git_ read-tree "$new_tag"
    GIT_INDEX_FILE=$index git_ update-index --cacheinfo "100644,$blob,$pr_file"
    tree=$(GIT_INDEX_FILE=$index git_ write-tree)
    rm -f "$index"
    commit=$(GIT_AUTHOR_DATE=2023-12-05T12:00:00Z GIT_COMMITTER_DATE=2023-12-05T12:00:00Z \
        git_ commit-tree "$tree" -p "$new_tag^{commit}" -m "Add django.utils.text.shout")
    git_ tag "$pr_tag" "$commit"
    # Packed, as a clone is: loose objects cost a file each to read.
    git_ gc --quiet
fi
py_files=$(git_ ls-tree -r --name-only "$new_tag" -- django | grep -c '\.pyi\?$' || true)
say "repository ready: $py_files .py files under django/ at $new_tag"

# 3. bumpwise, release build (or the binary named by $BUMPWISE, to compare builds).
if [ -n "${BUMPWISE:-}" ]; then
    bumpwise=$(abs_path "$BUMPWISE")
else
    say "building bumpwise (release)"
    cargo build --quiet --release --manifest-path "$root/Cargo.toml"
    bumpwise=${CARGO_TARGET_DIR:-$root/target}/release/bumpwise
fi
[ -x "$bumpwise" ] || die "no binary at $bumpwise"
diff_cmd=("$bumpwise" diff --from "$old_tag" --to "$new_tag")
# hyperfine's --prepare for a cold run: no cache (run without a shell, hence no quotes inside).
cold=(--prepare "rm -rf $repo/.git/bumpwise")

# Exit codes: 0 done, 1 under-bumped (check only), 2 error.
# A run counts only when it prints the JSON report: a binary whose `diff` is not wired up yet
# exits 0 with nothing on stdout, and timing that would be meaningless.
# summarize LABEL FILE: prints the report's counts; fails when FILE holds no JSON report.
summarize() {
    python3 - "$1" "$2" >&2 2>/dev/null <<'EOF'
import collections, json, sys
r = json.load(open(sys.argv[2]))
by = collections.Counter(c["bump"] for c in r["changes"])
print(f"==> {sys.argv[1]}: {len(r['changes'])} changes ({dict(by)}), required bump "
      f"{r['required_bump']}, next version {r['next_version']}")
EOF
}
bumpwise_ok=0
rm -rf "$repo/.git/bumpwise"
(cd "$repo" && "${diff_cmd[@]}" --format json >"$work/bumpwise.json" 2>"$work/bumpwise.err") || true
if summarize bumpwise "$work/bumpwise.json"; then
    bumpwise_ok=1
    (cd "$repo" && "${diff_cmd[@]}" --format text >"$work/bumpwise.txt" 2>/dev/null) || true
    say "the report is in $work/bumpwise.txt and $work/bumpwise.json"
    # The run above wrote the cache (if this binary has one); a run that reads it must agree.
    (cd "$repo" && "${diff_cmd[@]}" --format json >"$work/bumpwise-warm.json" 2>/dev/null) || true
    if cmp -s "$work/bumpwise.json" "$work/bumpwise-warm.json"; then
        say "a second (cached) run: identical JSON report"
    else
        say "a second (cached) run: DIFFERENT JSON report: diff $work/bumpwise.json $work/bumpwise-warm.json"
    fi
else
    say "bumpwise diff printed no JSON report, so it is not timed (its stderr follows):"
    sed 's/^/    /' "$work/bumpwise.err" >&2
fi

# The baseline binary (BASELINE), timed against bumpwise when both print a report.
baseline_ok=0 baseline_same=""
if [ -n "${BASELINE:-}" ]; then
    baseline=$(abs_path "$BASELINE")
    [ -x "$baseline" ] || die "no baseline binary at $baseline"
    baseline_cmd=("$baseline" diff --from "$old_tag" --to "$new_tag")
    (cd "$repo" && "${baseline_cmd[@]}" --format json >"$work/baseline.json" 2>"$work/baseline.err") \
        || true
    if summarize baseline "$work/baseline.json"; then
        baseline_ok=1
        if [ "$bumpwise_ok" = 1 ]; then
            if cmp -s "$work/baseline.json" "$work/bumpwise.json"; then
                baseline_same="identical JSON reports"
            else
                baseline_same="DIFFERENT JSON reports: diff $work/baseline.json $work/bumpwise.json"
            fi
            say "baseline and bumpwise: $baseline_same"
        fi
    else
        say "the baseline printed no JSON report, so it is not timed (its stderr follows):"
        sed 's/^/    /' "$work/baseline.err" >&2
    fi
fi

# 4. Timing helpers. hyperfine when present (installed if apt-get can), else a loop.
if ! command -v hyperfine >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing hyperfine"
    apt-get install -y -qq hyperfine >/dev/null 2>&1 || say "no hyperfine; timing with a loop"
fi
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq time >/dev/null 2>&1 || true
fi

# mean_seconds NAME RUNS COMMAND...: prints the mean wall time in seconds. Runs in $repo.
# Non-zero exits are tolerated: griffe exits 1 when it finds breakages.
mean_seconds() {
    local name=$1 n=$2
    shift 2
    if command -v hyperfine >/dev/null; then
        # -N: no shell in between, whose start-up would blur a sub-second command.
        (cd "$repo" && hyperfine -N --style none --warmup 1 --runs "$n" -i "${cold[@]}" \
            --export-json "$work/$name.hyperfine.json" "$(printf '%q ' "$@")" >&2)
        python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' \
            "$work/$name.hyperfine.json"
    else
        (cd "$repo" && "$@" >/dev/null 2>&1) || true # warm-up
        local total=0 i t0 t1
        for ((i = 0; i < n; i++)); do
            rm -rf "$repo/.git/bumpwise"
            t0=$(date +%s%N)
            (cd "$repo" && "$@" >/dev/null 2>&1) || true
            t1=$(date +%s%N)
            total=$((total + t1 - t0))
        done
        python3 -c 'import sys; print("%.3f" % (int(sys.argv[1]) / int(sys.argv[2]) / 1e9))' "$total" "$n"
    fi
}

# peak_mb COMMAND...: the peak resident set size in MB, from GNU time, cold.
peak_mb() {
    [ -x /usr/bin/time ] || { echo "?"; return; }
    rm -rf "$repo/.git/bumpwise"
    (cd "$repo" && /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt") || true
    awk -F: '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$work/time.txt"
}

# mean_seconds_pair RUNS: times the baseline and bumpwise in one hyperfine run (two commands, the
# same warm-up and number of runs; hyperfine's own report goes to stderr) and prints
# "BASELINE_MEAN BASELINE_STDDEV BUMPWISE_MEAN BUMPWISE_STDDEV"; without hyperfine, a loop each
# and "-" for the deviations.
mean_seconds_pair() {
    local n=$1
    if command -v hyperfine >/dev/null; then
        (cd "$repo" && hyperfine -N --style basic --warmup 1 --runs "$n" -i "${cold[@]}" \
            --export-json "$work/baseline-vs-bumpwise.hyperfine.json" \
            -n baseline "$(printf '%q ' "${baseline_cmd[@]}" --format json)" \
            -n bumpwise "$(printf '%q ' "${diff_cmd[@]}" --format json)" >&2)
        python3 -c 'import json,sys; print(" ".join("%.3f %.3f" % (r["mean"], r["stddev"] or 0) for r in json.load(open(sys.argv[1]))["results"]))' \
            "$work/baseline-vs-bumpwise.hyperfine.json"
    else
        echo "$(mean_seconds baseline "$n" "${baseline_cmd[@]}" --format json)" - \
            "$(mean_seconds bumpwise "$n" "${diff_cmd[@]}" --format json)" -
    fi
}

bumpwise_mean="" bumpwise_peak="" baseline_mean="" baseline_peak="" baseline_sd="" bumpwise_sd=""
if [ "$bumpwise_ok" = 1 ] && [ "$baseline_ok" = 1 ]; then
    say "timing the baseline and bumpwise diff side by side ($runs runs each)"
    read -r baseline_mean baseline_sd bumpwise_mean bumpwise_sd <<<"$(mean_seconds_pair "$runs")"
    [ "$baseline_sd" != - ] || baseline_sd=""
    [ "$bumpwise_sd" != - ] || bumpwise_sd=""
    baseline_peak=$(peak_mb "${baseline_cmd[@]}" --format json)
    bumpwise_peak=$(peak_mb "${diff_cmd[@]}" --format json)
elif [ "$bumpwise_ok" = 1 ]; then
    say "timing bumpwise diff ($runs runs)"
    bumpwise_mean=$(mean_seconds bumpwise "$runs" "${diff_cmd[@]}" --format json)
    bumpwise_peak=$(peak_mb "${diff_cmd[@]}" --format json)
fi

# The pull-request-sized diff against the full release diff, side by side in one hyperfine run:
# cold, then warm (the cache the warm-up run of each command left).
pr_mean="" full_mean="" pr_peak="" warm_full="" warm_pr="" warm_peak=""
if [ "$bumpwise_ok" = 1 ] && command -v hyperfine >/dev/null; then
    pr_cmd=("$bumpwise" diff --from "$new_tag" --to "$pr_tag" --format json)
    say "timing a one-file pull request ($new_tag -> $pr_tag) beside the full diff ($runs runs each)"
    (cd "$repo" && hyperfine -N --style basic --warmup 1 --runs "$runs" -i "${cold[@]}" \
        --export-json "$work/pr-vs-full.hyperfine.json" \
        -n full "$(printf '%q ' "${diff_cmd[@]}" --format json)" \
        -n pr "$(printf '%q ' "${pr_cmd[@]}")" >&2)
    read -r full_mean pr_mean <<<"$(python3 -c 'import json,sys; print(" ".join("%.3f" % r["mean"] for r in json.load(open(sys.argv[1]))["results"]))' \
        "$work/pr-vs-full.hyperfine.json")"
    pr_peak=$(peak_mb "${pr_cmd[@]}")
    say "timing the same two with the cache warm ($runs runs each)"
    (cd "$repo" && hyperfine -N --style basic --warmup 1 --runs "$runs" -i \
        --export-json "$work/pr-vs-full-warm.hyperfine.json" \
        -n full-warm "$(printf '%q ' "${diff_cmd[@]}" --format json)" \
        -n pr-warm "$(printf '%q ' "${pr_cmd[@]}")" >&2)
    read -r warm_full warm_pr <<<"$(python3 -c 'import json,sys; print(" ".join("%.3f" % r["mean"] for r in json.load(open(sys.argv[1]))["results"]))' \
        "$work/pr-vs-full-warm.hyperfine.json")"
    (cd "$repo" && "${diff_cmd[@]}" --format json >/dev/null 2>&1) || true
    [ -x /usr/bin/time ] && (cd "$repo" && /usr/bin/time -v "${diff_cmd[@]}" --format json \
        >/dev/null 2>"$work/time.txt") && warm_peak=$(awk -F: '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$work/time.txt")
fi

# 5. griffe, in its own venv so the machine's Python stays untouched.
griffe_mean="" griffe_peak="" griffe_crash=""
if [ -z "${NO_GRIFFE:-}" ]; then
    venv=$work/venv
    if [ ! -x "$venv/bin/griffe" ]; then
        say "installing griffe into $venv"
        { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet griffe; } >&2 \
            || say "griffe did not install; skipping it"
    fi
    if [ -x "$venv/bin/griffe" ]; then
        # The repository's HEAD is the clean $new_tag commit, so griffe reads the new side from the
        # working tree and checks out only $old_tag into a temporary worktree: its cheapest
        # equivalent of `bumpwise diff --from $old_tag --to $new_tag` (`--base-ref $new_tag` would
        # add a second checkout to every run).
        griffe_cmd=("$venv/bin/griffe" check django -s . --against "$old_tag" -f oneline)
        (cd "$repo" && "${griffe_cmd[@]}" >"$work/griffe.txt" 2>"$work/griffe.err") || true
        say "griffe $("$venv/bin/griffe" --version 2>/dev/null | awk '{print $NF}'): $(wc -l <"$work/griffe.txt") lines of findings"
        if grep -q '^Traceback' "$work/griffe.err"; then
            # griffe 2.4 stops on Django with AliasResolutionError (a class attribute aliasing
            # psycopg, which it does not load) after loading both revisions: its time is then
            # loading plus part of the comparison, a lower bound for a full check.
            griffe_crash=$(tail -n 1 "$work/griffe.err" | cut -c1-160)
            say "griffe crashed: $griffe_crash"
        fi
        say "timing griffe check ($griffe_runs runs)"
        griffe_mean=$(mean_seconds griffe "$griffe_runs" "${griffe_cmd[@]}")
        griffe_peak=$(peak_mb "${griffe_cmd[@]}")
    fi
fi

# Summary on stdout.
echo
echo "Django $old -> $new ($old_tag -> $new_tag, $py_files .py files at $new_tag), $(nproc) cores"
if [ -n "$bumpwise_mean" ]; then
    verdict=pass
    awk -v m="${bumpwise_peak:-0}" 'BEGIN { exit !(m < 150) }' || verdict=FAIL
    echo "bumpwise diff: ${bumpwise_mean}${bumpwise_sd:+ ± $bumpwise_sd} s mean, ${bumpwise_peak} MB peak (target < 150 MB: $verdict)"
else
    echo "bumpwise diff: not timed (it printed no JSON report; see above)"
fi
if [ -n "$baseline_mean" ]; then
    python3 - "$baseline_mean" "$baseline_sd" "$bumpwise_mean" "$bumpwise_sd" "$baseline_peak" \
        "$bumpwise_peak" "$baseline" <<'EOF'
import math, sys
old, old_sd, new, new_sd, old_peak, new_peak, path = sys.argv[1:]
old, new = float(old), float(new)
print(f"baseline diff: {old:.3f}{f' ± {old_sd}' if old_sd else ''} s mean, {old_peak} MB peak ({path})")
ratio = old / new
err = ratio * math.hypot(float(old_sd) / old, float(new_sd) / new) if old_sd and new_sd else 0
word = "bumpwise faster" if new < old else "bumpwise slower" if new > old else "as fast"
if err and abs(ratio - 1) <= err:
    word = "no difference beyond the noise"
print(f"ratio: baseline / bumpwise = {ratio:.2f}{f' ± {err:.2f}' if err else ''}x ({word}; target at least 2x: {'pass' if ratio >= 2 else 'FAIL'}); "
      f"peak memory: bumpwise {new_peak} MB, baseline {old_peak} MB")
EOF
    echo "reports: $baseline_same"
elif [ -n "${BASELINE:-}" ]; then
    echo "baseline diff: not timed (see above)"
fi
if [ -n "$pr_mean" ]; then
    python3 -c 'import sys; f, p = map(float, sys.argv[1:3]); r = p / f; print("one-file pull request: %.3f s mean, %s MB peak; pr / full = %.2fx (target at most 0.6x: %s)" % (p, sys.argv[3], r, "pass" if r <= 0.6 else "FAIL"))' \
        "$full_mean" "$pr_mean" "$pr_peak"
fi
if [ -n "$warm_full" ]; then
    echo "warm (cache from an earlier run): bumpwise diff ${warm_full} s mean${warm_peak:+, $warm_peak MB peak} (cold $full_mean s); one-file pull request ${warm_pr} s mean (cold $pr_mean s)"
fi
if [ -n "$griffe_mean" ]; then
    echo "griffe check:  ${griffe_mean} s mean, ${griffe_peak} MB peak${griffe_crash:+ (crashed before finishing: a lower bound)}"
    if [ -n "$bumpwise_mean" ]; then
        python3 -c 'import sys; r = float(sys.argv[1]) / float(sys.argv[2]); print("ratio: griffe / bumpwise = %.1fx (target at least 25x: %s)" % (r, "pass" if r >= 25 else "FAIL"))' \
            "$griffe_mean" "$bumpwise_mean"
    fi
fi
