#!/usr/bin/env bash
# Installs bumpwise for the action and writes its path as the step output `bin`.
#
# Order: $BUMPWISE_BIN when set (a binary you built, or a test's); `bumpwise` already on PATH
# at the wanted version; `pip install "bumpwise==X"` into a virtual environment (with uv when
# present, else python3 -m venv); `cargo install --locked --path "$GITHUB_ACTION_PATH"` when
# PyPI has no such version. X is $BUMPWISE_VERSION, else the action's own version (its
# Cargo.toml). Inputs come in through the environment, never through the script's text.
set -euo pipefail

action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
tmp_root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"

emit() {
  echo "bumpwise: using $1 ($("$1" --version))"
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    printf 'bin=%s\n' "$1" >>"$GITHUB_OUTPUT"
  fi
}

if [[ -n "${BUMPWISE_BIN:-}" ]]; then
  if [[ ! -x "$BUMPWISE_BIN" ]]; then
    echo "::error::BUMPWISE_BIN=$BUMPWISE_BIN is not an executable file" >&2
    exit 2
  fi
  emit "$BUMPWISE_BIN"
  exit 0
fi

version="${BUMPWISE_VERSION:-}"
if [[ -z "$version" ]]; then
  # The first `version = "..."` of Cargo.toml is [package]'s.
  version="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$action_path/Cargo.toml" | head -n 1)"
fi
if [[ ! "$version" =~ ^[0-9A-Za-z.+!-]+$ ]]; then
  echo "::error::bumpwise: no usable version (input \`version\`: '${BUMPWISE_VERSION:-}', Cargo.toml at $action_path)" >&2
  exit 2
fi

if existing="$(command -v bumpwise)" && [[ "$("$existing" --version 2>/dev/null)" == "bumpwise $version" ]]; then
  emit "$existing"
  exit 0
fi

venv="$tmp_root/bumpwise-$version"
bin_of() {
  local b
  for b in "$1/bin/bumpwise" "$1/Scripts/bumpwise.exe" "$1/bin/bumpwise.exe"; do
    if [[ -x "$b" ]]; then
      printf '%s\n' "$b"
      return 0
    fi
  done
  return 1
}

if bin="$(bin_of "$venv")" && [[ "$("$bin" --version 2>/dev/null)" == "bumpwise $version" ]]; then
  emit "$bin"
  exit 0
fi

installed=false
if command -v uv >/dev/null 2>&1; then
  if uv venv --quiet "$venv" && uv pip install --quiet --python "$venv" "bumpwise==$version"; then
    installed=true
  fi
else
  python=""
  for p in python3 python; do
    if command -v "$p" >/dev/null 2>&1; then
      python="$p"
      break
    fi
  done
  if [[ -n "$python" ]] && "$python" -m venv "$venv"; then
    pip="$venv/bin/pip"
    [[ -x "$pip" ]] || pip="$venv/Scripts/pip.exe"
    if "$pip" install --quiet --disable-pip-version-check "bumpwise==$version"; then
      installed=true
    fi
  fi
fi
if [[ "$installed" == true ]] && bin="$(bin_of "$venv")"; then
  emit "$bin"
  exit 0
fi

echo "::notice::bumpwise $version is not on PyPI (or Python is missing): building it with cargo"
if ! command -v cargo >/dev/null 2>&1; then
  echo "::error::bumpwise $version could not be installed from PyPI and cargo is missing; install Rust or set the input \`version\` to a released one" >&2
  exit 2
fi
root="$tmp_root/bumpwise-cargo-$version"
cargo install --locked --quiet --root "$root" --path "$action_path"
bin="$root/bin/bumpwise"
[[ -x "$bin" ]] || bin="$root/bin/bumpwise.exe"
emit "$bin"
