#!/usr/bin/env bash
# Check (not a test: CI does not run it) that two bumpwise binaries print byte-identical output
# on real packages: run it before and after a refactoring that should change nothing.
#
#   OLD=/path/to/old/bumpwise NEW=/path/to/new/bumpwise bash bench/surfaces.sh
#
# What it does, every step skipped when its result is already there (re-run freely):
#   1. downloads the sdists of six release pairs from PyPI (pip download --no-binary :all:) into
#      bench/work/surfaces/dist/,
#   2. builds one git repository per pair in bench/work/surfaces/<name>/: the old sdist
#      committed and tagged v<old>, then the tree replaced by the new sdist, committed and tagged
#      v<new> (fixed names and dates, so the commits are the same on every machine),
#   3. runs each binary on each pair: `api v<old>` and `api v<new>` (text and json), and
#      `diff --from v<old> --to v<new>` (json and text), all with `--color never`; stdout, stderr
#      and the exit code of each go to bench/work/surfaces/out/{old,new}/<name>/,
#   4. compares old with new, file by file: one line a pair, the start of the diff when they
#      differ, and a summary line.
#
# Exit codes: 0 every output identical, 1 some output differs, 2 the script could not run.
# A binary exiting non-zero or printing nothing is still compared (the two may agree on it), but
# the script warns, so that a vacuous "identical" does not go unseen.
#
# Overrides: bumpwise finds every package here on its own (Django's name, for one, comes from
# setup.cfg) except click 8.1.7, whose sdist has no pyproject.toml at all (`api v8.1.7` fails with
# "no `pyproject.toml`"). For such a release the script appends `[tool.bumpwise] package = ...` to
# pyproject.toml (creating it), as bench/django.sh does for Django, in that release's commit only.
# The last column of the table below lists them; add one only where `bumpwise api` fails without.
#
# Environment: OLD and NEW (required), BENCH_WORK (bench/work), REBUILD=1 to rebuild the
# repositories.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${BENCH_WORK:-$here/work}/surfaces

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

[ -n "${OLD:-}" ] && [ -n "${NEW:-}" ] \
    || die "usage: OLD=/path/to/bumpwise NEW=/path/to/bumpwise bash bench/surfaces.sh"
for b in "$OLD" "$NEW"; do [ -x "$b" ] || die "no executable at $b"; done
# Absolute paths: the binaries run from inside each repository.
old_bin=$(cd "$(dirname "$OLD")" && pwd)/$(basename "$OLD")
new_bin=$(cd "$(dirname "$NEW")" && pwd)/$(basename "$NEW")

# name  PyPI project  old version  new version  overrides: VERSION:PACKAGE,... ("-": none)
pairs=(
    "django django 4.2.8  5.0    -"
    "click  click  8.1.7  8.2.0  8.1.7:src/click"
    "httpx  httpx  0.27.2 0.28.0 -"
    "attrs  attrs  23.2.0 24.2.0 -"
    "rich   rich   13.7.1 13.9.4 -"
    "flask  flask  2.3.3  3.0.0  -"
)

mkdir -p "$work/dist" "$work/src"

# sdist PROJECT VERSION: unpacks the sdist (downloaded once) and prints its directory.
sdist() {
    local project=$1 v=$2
    local dl=$work/dist/$project-$v src=$work/src/$project-$v
    if [ ! -d "$src" ]; then
        # One directory per download: sdist file names vary in case (Django-4.2.8, flask-3.0.0).
        if ! ls "$dl"/*.tar.gz >/dev/null 2>&1; then
            say "downloading the $project $v sdist"
            mkdir -p "$dl"
            python3 -m pip download --quiet --no-deps --no-binary :all: "$project==$v" \
                -d "$dl" >&2 || die "pip could not download $project==$v"
        fi
        local tarball
        tarball=$(ls "$dl"/*.tar.gz | head -n 1)
        rm -rf "$src.tmp"
        mkdir -p "$src.tmp"
        tar --no-same-owner -xzf "$tarball" -C "$src.tmp" --strip-components=1
        mv "$src.tmp" "$src"
    fi
    printf '%s' "$src"
}

# The repositories. The machine's git is fine here: this is a script, not a test. Global
# excludes and signing settings are neutralized so that every machine makes the same commits;
# --git-dir keeps git from ever reaching the enclosing bumpwise repository.
git_() { # REPO ARGS...
    local repo=$1
    shift
    GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid \
        GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid \
        git --git-dir="$repo/.git" --work-tree="$repo" -C "$repo" -c init.defaultBranch=main \
        -c core.autocrlf=false -c core.excludesFile= -c commit.gpgSign=false \
        -c tag.gpgSign=false "$@"
}
commit_tree() { # REPO SRC NAME VERSION OVERRIDES DATE
    local repo=$1 src=$2 name=$3 v=$4 overrides=$5 date=$6
    find "$repo" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
    cp -R "$src/." "$repo/"
    local o package=""
    for o in ${overrides//,/ }; do
        if [ "${o%%:*}" = "$v" ]; then package=${o#*:}; fi
    done
    if [ -n "$package" ]; then
        cat >>"$repo/pyproject.toml" <<EOF

# Added by bench/surfaces.sh: bumpwise does not find the package of this release on its own.
[tool.bumpwise]
package = "$package"
EOF
    fi
    # --force: commit the sdist exactly, whatever its own .gitignore says.
    git_ "$repo" add --all --force
    GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git_ "$repo" commit --quiet -m "$name $v"
    GIT_COMMITTER_DATE=$date git_ "$repo" tag -a -m "$name $v" "v$v"
}
has_tag() { git_ "$1" rev-parse --verify --quiet "$2^{commit}" >/dev/null 2>&1; }

# run BIN OUTDIR OUTPUT REPO ARGS...: runs one command, keeps stdout, stderr and the exit code.
run() {
    local bin=$1 dir=$2 output=$3 repo=$4
    shift 4
    local rc=0
    (cd "$repo" && "$bin" "$@" --package "$repo" --color never \
        >"$dir/$output.stdout" 2>"$dir/$output.stderr") || rc=$?
    echo "$rc" >"$dir/$output.rc"
}

rm -rf "$work/out"
mkdir -p "$work/out/old" "$work/out/new"
{ echo "$old_bin"; "$old_bin" --version 2>&1 || true; } >"$work/out/old/BINARY"
{ echo "$new_bin"; "$new_bin" --version 2>&1 || true; } >"$work/out/new/BINARY"

n_pairs=0 n_outputs=0 n_different=0 warnings=0
for line in "${pairs[@]}"; do
    read -r name project vold vnew overrides <<<"$line"
    repo=$work/$name
    # The table row is kept in .git: editing it (another version, an override) rebuilds.
    if [ -n "${REBUILD:-}" ] || ! has_tag "$repo" "v$vold" || ! has_tag "$repo" "v$vnew" \
        || [ "$(cat "$repo/.git/bench-pair" 2>/dev/null)" != "$line" ]; then
        src_old=$(sdist "$project" "$vold")
        src_new=$(sdist "$project" "$vnew")
        say "building $repo (v$vold, then v$vnew)"
        rm -rf "$repo"
        mkdir -p "$repo"
        git_ "$repo" init --quiet
        commit_tree "$repo" "$src_old" "$name" "$vold" "$overrides" "2024-01-01T12:00:00Z"
        commit_tree "$repo" "$src_new" "$name" "$vnew" "$overrides" "2024-06-01T12:00:00Z"
        printf '%s\n' "$line" >"$repo/.git/bench-pair"
    fi

    outputs=("api-v$vold.text" "api-v$vold.json" "api-v$vnew.text" "api-v$vnew.json"
        "diff.json" "diff.text")
    for side in old new; do
        if [ "$side" = old ]; then bin=$old_bin; else bin=$new_bin; fi
        dir=$work/out/$side/$name
        mkdir -p "$dir"
        run "$bin" "$dir" "api-v$vold.text" "$repo" api "v$vold" --format text
        run "$bin" "$dir" "api-v$vold.json" "$repo" api "v$vold" --format json
        run "$bin" "$dir" "api-v$vnew.text" "$repo" api "v$vnew" --format text
        run "$bin" "$dir" "api-v$vnew.json" "$repo" api "v$vnew" --format json
        run "$bin" "$dir" diff.json "$repo" diff --from "v$vold" --to "v$vnew" --format json
        run "$bin" "$dir" diff.text "$repo" diff --from "v$vold" --to "v$vnew" --format text
        for o in "${outputs[@]}"; do
            rc=$(cat "$dir/$o.rc")
            if [ "$rc" != 0 ]; then
                say "warning: $name: $side binary exited $rc on $o: $(head -c 300 "$dir/$o.stderr")"
                warnings=$((warnings + 1))
            elif [ ! -s "$dir/$o.stdout" ]; then
                say "warning: $name: $side binary printed nothing on $o"
                warnings=$((warnings + 1))
            fi
        done
    done

    different=()
    for o in "${outputs[@]}"; do
        n_outputs=$((n_outputs + 1))
        same=1
        for part in stdout stderr rc; do
            cmp -s "$work/out/old/$name/$o.$part" "$work/out/new/$name/$o.$part" || same=0
        done
        [ "$same" = 1 ] || different+=("$o")
    done
    n_pairs=$((n_pairs + 1))
    # A size hint on the same line, to see at a glance that the surfaces are not empty.
    surface=$(wc -l <"$work/out/new/$name/api-v$vnew.text.stdout")
    diff_lines=$(grep -c . "$work/out/new/$name/diff.text.stdout" || true)
    label=$(printf '%-7s %s -> %s' "$name" "$vold" "$vnew")
    if [ "${#different[@]}" = 0 ]; then
        printf '%-28s same (%s lines of surface at v%s, %s lines of diff text)\n' \
            "$label" "$surface" "$vnew" "$diff_lines"
    else
        n_different=$((n_different + ${#different[@]}))
        printf '%-28s DIFFERENT: %s\n' "$label" "${different[*]}"
        for o in "${different[@]}"; do
            for part in rc stderr stdout; do
                a=$work/out/old/$name/$o.$part b=$work/out/new/$name/$o.$part
                cmp -s "$a" "$b" && continue
                diff -u --label "old/$name/$o.$part" --label "new/$name/$o.$part" "$a" "$b" \
                    | head -n 20 | sed 's/^/    /' || true
            done
        done
    fi
done

echo
summary="$n_pairs pairs, $n_outputs outputs"
[ "$warnings" = 0 ] || summary="$summary ($warnings warnings above: non-zero exits or no output)"
if [ "$n_different" = 0 ]; then
    echo "$summary: all identical"
    echo "outputs in $work/out/{old,new}/"
    exit 0
fi
echo "$summary: $n_different different"
echo "outputs in $work/out/{old,new}/"
exit 1
