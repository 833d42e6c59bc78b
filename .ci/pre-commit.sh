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

# Runs one hook; prints its output as the user sees it; checks the exit code and a line.
run_hook() {
    local repo=$1 hook=$2 stage=$3 want=$4 expect=$5 out code=0
    out=$(cd "$repo" && "$pre_commit" try-repo "$hooks_repo" "$hook" --all-files \
        --hook-stage "$stage" --color never 2>&1) || code=$?
    printf -- '---- pre-commit try-repo %s (%s), exit %s\n%s\n' "$hook" "$stage" "$code" "$out"
    [ "$code" = "$want" ] || fail "$hook exited $code, expected $want"
    grep -qF -- "$expect" <<<"$out" || fail "$hook output lacks '$expect'"
}

say "bumpwise-check: a breaking change at 1.0.0 fails; 2.0.0 passes"
sample "$work/check"
printf 'def total(items):\n    return sum(items)\n' >"$work/check/src/shop/__init__.py"
git -C "$work/check" commit --quiet -am "drop tax"
run_hook "$work/check" bumpwise-check pre-push 1 "check failed: required: major"
sed -i 's/1.0.0/2.0.0/' "$work/check/pyproject.toml"
git -C "$work/check" commit --quiet -am "bump"
run_hook "$work/check" bumpwise-check pre-push 0 "Passed"

say "bumpwise-imports: a sys.path edit fails; the clean package passes"
sample "$work/imports"
run_hook "$work/imports" bumpwise-imports pre-commit 0 "Passed"
printf 'import sys\n\nsys.path.insert(0, "src")\n' >"$work/imports/src/shop/boot.py"
git -C "$work/imports" add -A
run_hook "$work/imports" bumpwise-imports pre-commit 1 "src/shop/boot.py:3: sys-path-edit"
say "the hooks work"
