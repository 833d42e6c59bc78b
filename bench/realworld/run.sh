#!/usr/bin/env bash
# The real-world corpus (issue 13; not a test: `cargo test` does not run it, a weekly CI job does):
# run bumpwise as a new user would on real release pairs it was never tuned on, with no
# `[tool.bumpwise]` override, and compare what it says with a reviewed expected result.
#
#   bash bench/realworld/run.sh                       # target/release/bumpwise (cargo build --release)
#   BUMPWISE=/path/to/bumpwise bash bench/realworld/run.sh
#   ONLY=pytest,h11 bash bench/realworld/run.sh       # some pairs only
#   UPDATE=1 bash bench/realworld/run.sh              # rewrite the expected bumps and lists
#
# What it does, every step skipped when its result is already there (re-run freely):
#   1. reads bench/realworld/pairs.tsv (name, PyPI project, old version, new version, note),
#   2. downloads each sdist once (pip download --no-deps --no-binary :all:) into
#      bench/work/realworld/dist/<project>-<version>/ and unpacks it,
#   3. builds one git repository per pair in bench/work/realworld/repos/<name>/: the old sdist
#      committed and tagged v<old>, then the tree replaced by the new sdist, committed and tagged
#      v<new> (fixed names and dates), exactly as shipped: no `[tool.bumpwise]` is added,
#   4. runs `bumpwise diff --from v<old> --to v<new> --package REPO` with `--format json`,
#      `--format text --color never` and `--format markdown`; stdout, stderr and exit codes go to
#      bench/work/realworld/out/<name>/,
#   5. compares each pair with bench/realworld/expected/<name>.json (compare.py): a pair passes when
#      every run exits 0 or 1 (never 2, never a crash) and the JSON report's required bump and sorted
#      list of [kind, path] equal the expected ones; a failure prints a diff of the two lists. It
#      prints one line a pair, `N passed, M failed` and the total time; the table also goes to
#      bench/work/realworld/out/results.tsv.
#
# An expected file also holds the maintainers' bump (read from the two version numbers) and a
# `review` note: what was read in the two sources, and who is right where bumpwise and the
# maintainers disagree. `UPDATE=1` rewrites the bump and the list and keeps everything else; a
# pair marked `known_wrong` (bumpwise is wrong there, the expected file holds the right answer) is
# never rewritten, and its mismatch is reported without failing the run.
#
# Exit codes: 0 every pair passed, 1 some pair failed, 2 the script could not run.
# Environment: BUMPWISE (binary), WORK (bench/work/realworld), ONLY (comma-separated names),
# REBUILD=1 (rebuild the repositories), UPDATE=1 (rewrite expected results).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${WORK:-$(dirname "$here")/work/realworld}
pairs_file=$here/pairs.tsv
bin=${BUMPWISE:-$(dirname "$(dirname "$here")")/target/release/bumpwise}

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

[ -x "$bin" ] || die "no executable bumpwise at $bin (run \`cargo build --release\` or set BUMPWISE=/path/to/bumpwise)"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
[ -f "$pairs_file" ] || die "no $pairs_file"
mkdir -p "$work/dist" "$work/src" "$work/repos" "$work/out"

# sdist PROJECT VERSION: unpacks the sdist (downloaded once) and prints its directory.
sdist() {
    local project=$1 v=$2
    local dl=$work/dist/$project-$v src=$work/src/$project-$v
    if [ ! -d "$src" ]; then
        local tarball
        tarball=$(ls "$dl"/*.tar.gz "$dl"/*.zip 2>/dev/null | head -n 1 || true)
        if [ -z "$tarball" ]; then
            say "downloading the $project $v sdist"
            mkdir -p "$dl"
            python3 -m pip download --quiet --no-deps --no-binary :all: "$project==$v" -d "$dl" >&2 \
                || { say "pip could not download $project==$v"; return 1; }
            tarball=$(ls "$dl"/*.tar.gz "$dl"/*.zip 2>/dev/null | head -n 1)
        fi
        rm -rf "$src.tmp"
        mkdir -p "$src.tmp"
        case $tarball in
            *.zip) (cd "$src.tmp" && unzip -q "$tarball") && {
                local top
                top=$(ls "$src.tmp")
                mv "$src.tmp/$top" "$src.tmp.inner" && rm -rf "$src.tmp" && mv "$src.tmp.inner" "$src.tmp"
            } ;;
            *) tar --no-same-owner -xzf "$tarball" -C "$src.tmp" --strip-components=1 ;;
        esac
        mv "$src.tmp" "$src"
    fi
    printf '%s' "$src"
}

# The machine's git; global excludes and signing neutralized, --git-dir so that git never reaches
# the enclosing bumpwise repository.
git_() { # REPO ARGS...
    local repo=$1
    shift
    GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid \
        GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid \
        git --git-dir="$repo/.git" --work-tree="$repo" -C "$repo" -c init.defaultBranch=main \
        -c core.autocrlf=false -c core.excludesFile= -c commit.gpgSign=false -c tag.gpgSign=false "$@"
}
commit_tree() { # REPO SRC NAME VERSION DATE
    local repo=$1 src=$2 name=$3 v=$4 date=$5
    find "$repo" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
    cp -R "$src/." "$repo/"
    git_ "$repo" add --all --force
    GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git_ "$repo" commit --quiet --allow-empty -m "$name $v"
    GIT_COMMITTER_DATE=$date git_ "$repo" tag -a -m "$name $v" "v$v"
}
has_tag() { git_ "$1" rev-parse --verify --quiet "$2^{commit}" >/dev/null 2>&1; }

# run DIR OUTPUT REPO ARGS...: one bumpwise run from inside the repository; keeps stdout, stderr,
# the exit code and the wall time in milliseconds.
run() {
    local dir=$1 output=$2 repo=$3
    shift 3
    local rc=0 t0 t1
    t0=$(date +%s%N)
    (cd "$repo" && "$bin" "$@" >"$dir/$output.stdout" 2>"$dir/$output.stderr") || rc=$?
    t1=$(date +%s%N)
    echo "$rc" >"$dir/$output.rc"
    echo $(((t1 - t0) / 1000000)) >"$dir/$output.ms"
}

{ echo "$bin"; "$bin" --version 2>&1 || true; } >"$work/out/BINARY"
start=$(date +%s%N)
names=()
while IFS=$'\t' read -r name project vold vnew note; do
    case $name in '' | '#'*) continue ;; esac
    if [ -n "${ONLY:-}" ] && [[ ",$ONLY," != *",$name,"* ]]; then continue; fi
    repo=$work/repos/$name
    line="$name $project $vold $vnew"
    out=$work/out/$name
    rm -rf "$out"
    mkdir -p "$out"
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$project" "$vold" "$vnew" "$note" >"$out/PAIR"
    if [ -n "${REBUILD:-}" ] || ! has_tag "$repo" "v$vold" || ! has_tag "$repo" "v$vnew" \
        || [ "$(cat "$repo/.git/bench-pair" 2>/dev/null)" != "$line" ]; then
        if ! src_old=$(sdist "$project" "$vold") || ! src_new=$(sdist "$project" "$vnew"); then
            echo "download failed" >"$out/SKIPPED"
            names+=("$name")
            continue
        fi
        say "building $repo (v$vold, then v$vnew)"
        rm -rf "$repo"
        mkdir -p "$repo"
        git_ "$repo" init --quiet
        commit_tree "$repo" "$src_old" "$name" "$vold" "2024-01-01T12:00:00Z"
        commit_tree "$repo" "$src_new" "$name" "$vnew" "2024-06-01T12:00:00Z"
        printf '%s\n' "$line" >"$repo/.git/bench-pair"
    fi
    common=(diff --from "v$vold" --to "v$vnew" --package "$repo")
    run "$out" diff.json "$repo" "${common[@]}" --format json
    run "$out" diff.text "$repo" "${common[@]}" --format text --color never
    run "$out" diff.md "$repo" "${common[@]}" --format markdown
    names+=("$name")
done <"$pairs_file"
ms=$((($(date +%s%N) - start) / 1000000))
[ ${#names[@]} -gt 0 ] || die "no pair matches ONLY=${ONLY:-} in $pairs_file"

python3 "$here/compare.py" "$work/out" "$here/expected" "$ms" "${names[@]}"
