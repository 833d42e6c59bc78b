#!/usr/bin/env bash
# The Python package: builds the wheel with maturin (from PyPI), installs it into a fresh
# virtual environment with no index, and uses it as a user would: `bumpwise --version` (the
# wheel's version), `bumpwise demo`, and `bumpwise diff` on a repository built here. Checks the
# wheel's metadata too. Run by .ci/run; needs python3 (with venv) and git.
#
# WHEEL_PROFILE=release builds what a release ships; the default, dev, reuses the debug build
# of `cargo test` (same target directory), so CI pays seconds, not a second release build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
profile=${WHEEL_PROFILE:-dev}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { printf '==> %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

say "maturin (from PyPI) in its own environment"
python3 -m venv "$work/build"
"$work/build/bin/pip" install --quiet --disable-pip-version-check "maturin==1.16.0"

say "building the wheel ($profile profile)"
"$work/build/bin/maturin" build --quiet --profile "$profile" --out "$work/dist" \
    --manifest-path "$root/Cargo.toml" >/dev/null
wheel=$(ls "$work"/dist/bumpwise-*.whl)
say "built $(basename "$wheel")"

# Metadata a PyPI page and `pip show` present.
meta=$(python3 - "$wheel" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
print(z.read(name).decode())
PY
)
cargo_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -1)
for field in "Name: bumpwise" "Version: $cargo_version" "Summary: " "License-Expression: MIT OR Apache-2.0" \
    "License-File: LICENSE-MIT" "Classifier: Programming Language :: Rust" "Requires-Python: >=3.8" \
    "Project-URL: Repository, https://github.com/bumpwise/bumpwise" \
    "Description-Content-Type: text/markdown"; do
    grep -qF "$field" <<<"$meta" || fail "the wheel's METADATA lacks '$field'"
done

say "installing it into a fresh environment, with no index"
python3 -m venv "$work/user"
"$work/user/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
bumpwise=$work/user/bin/bumpwise
[ -x "$bumpwise" ] || fail "the wheel installed no bumpwise script"

version=$("$bumpwise" --version)
[ "$version" = "bumpwise $cargo_version" ] || fail "bumpwise --version printed '$version'"
pip_version=$("$work/user/bin/python" -c 'import importlib.metadata as m; print(m.version("bumpwise"))')
[ "$pip_version" = "$cargo_version" ] || fail "the installed distribution is $pip_version"
say "bumpwise --version: $version (the wheel's version: $pip_version)"

say "bumpwise demo"
"$bumpwise" demo >"$work/demo.txt" || fail "bumpwise demo failed: $(cat "$work/demo.txt")"
grep -q "required bump: major" "$work/demo.txt" || fail "demo printed: $(cat "$work/demo.txt")"

say "bumpwise diff on a repository built here"
repo=$work/repo
mkdir -p "$repo/src/shop"
git -C "$repo" init --quiet
git -C "$repo" config user.name "CI" && git -C "$repo" config user.email "ci@example.com"
printf '[project]\nname = "shop"\nversion = "1.0.0"\n' >"$repo/pyproject.toml"
printf 'def total(items, tax=0.2):\n    return sum(items) * (1 + tax)\n' >"$repo/src/shop/__init__.py"
git -C "$repo" add -A && git -C "$repo" commit --quiet -m "release 1.0.0" && git -C "$repo" tag v1.0.0
printf 'def total(items):\n    return sum(items)\n\n\ndef discount(items, percent):\n    return total(items) * (100 - percent) / 100\n' \
    >"$repo/src/shop/__init__.py"
git -C "$repo" commit --quiet -am "drop tax, add discount"
(cd "$repo" && "$bumpwise" diff) >"$work/diff.txt" || fail "bumpwise diff failed"
grep -q "required bump: major" "$work/diff.txt" || fail "diff printed: $(cat "$work/diff.txt")"
grep -q "shop.discount" "$work/diff.txt" || fail "diff printed: $(cat "$work/diff.txt")"
(cd "$repo" && "$bumpwise" check >/dev/null) && fail "check passed an under-bumped version"
say "the wheel works: version, demo, diff and check"
