#!/usr/bin/env bash
# The pre-commit hooks of .pre-commit-hooks.yaml, run by pre-commit from PyPI with
# `pre-commit try-repo` on sample repositories: for each hook, a run that passes and one that
# fails, printing what the user sees. Run by .ci/run; needs python3 (with venv) and git.
#
# pre-commit builds bumpwise from this repository with pip (maturin). MATURIN_PEP517_ARGS and
# CARGO_TARGET_DIR make that build reuse the debug build of `cargo test`; unset them
# (PRE_COMMIT_RELEASE=1) to build as a user's machine would.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { printf '==> %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

python3 -m venv "$work/tools"
"$work/tools/bin/pip" install --quiet --disable-pip-version-check "pre-commit==4.7.0"
pre_commit=$work/tools/bin/pre-commit
export PRE_COMMIT_HOME=$work/cache
if [ -z "${PRE_COMMIT_RELEASE:-}" ]; then
    export MATURIN_PEP517_ARGS="--profile dev"
    export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
fi

# try-repo takes the repository at HEAD, plus uncommitted changes: test what is here.
hooks_repo=$root

sample() {
    local repo=$1
    mkdir -p "$repo/src/shop"
    git -C "$repo" init --quiet
    git -C "$repo" config user.name "CI" && git -C "$repo" config user.email "ci@example.com"
    printf '[project]\nname = "shop"\nversion = "1.0.0"\n' >"$repo/pyproject.toml"
    printf 'def total(items, tax=0.2):\n    return sum(items) * (1 + tax)\n' >"$repo/src/shop/__init__.py"
    git -C "$repo" add -A && git -C "$repo" commit --quiet -m "release 1.0.0"
    git -C "$repo" tag v1.0.0
}

# Runs every hook of the repository (each expected output line is an extended regex) at `pre-push` (the check hook's stage; the imports hook runs
# at every stage) through try-repo, which installs bumpwise afresh each time: so two runs, one
# failing and one passing, each printed as the user sees it.
run_hooks() {
    local repo=$1 want=$2 out code=0
    shift 2
    out=$(cd "$repo" && "$pre_commit" try-repo "$hooks_repo" --all-files \
        --hook-stage pre-push --color never 2>&1) || code=$?
    printf -- '---- pre-commit try-repo (pre-push), exit %s\n%s\n' "$code" "$out"
    [ "$code" = "$want" ] || fail "the hooks exited $code, expected $want"
    for expect in "$@"; do
        grep -qE -- "$expect" <<<"$out" || fail "the hooks' output lacks '$expect'"
    done
}

say "failing: a breaking change at 1.0.0, and a sys.path edit"
sample "$work/fail"
printf 'def total(items):\n    return sum(items)\n' >"$work/fail/src/shop/__init__.py"
printf 'import sys\n\nsys.path.insert(0, "src")\n' >"$work/fail/src/shop/boot.py"
git -C "$work/fail" add -A && git -C "$work/fail" commit --quiet -m "drop tax, boot"
run_hooks "$work/fail" 1 \
    'bumpwise check \(version covers the API changes\)\.+Failed' \
    'check failed: required: major' \
    'bumpwise imports \(import boundaries\)\.+Failed' \
    'src/shop/boot\.py:3: sys-path-edit' 

say "passing: the same change released as 2.0.0, no sys.path edit"
sample "$work/pass"
printf 'def total(items):\n    return sum(items)\n' >"$work/pass/src/shop/__init__.py"
sed -i 's/1.0.0/2.0.0/' "$work/pass/pyproject.toml"
git -C "$work/pass" commit --quiet -am "drop tax, 2.0.0"
run_hooks "$work/pass" 0 \
    'bumpwise check \(version covers the API changes\)\.+Passed' \
    'bumpwise imports \(import boundaries\)\.+Passed' 
say "the hooks work"
