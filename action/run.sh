#!/usr/bin/env bash
# Runs `bumpwise check`, `diff` or `release` for the action, as INPUT_COMMAND says.
#
# check: `check --format github` (annotations, step summary, GITHUB_OUTPUT); exits 1 when the
# version is under-bumped and 2 on an error, which fails the step. diff: `diff --format github`.
# release: `release --yes`, whose GITHUB_OUTPUT keys become the action's outputs.
set -euo pipefail
# shellcheck source=action/args.sh
source "$(dirname "$0")/args.sh"

case "${INPUT_COMMAND:-check}" in
  check) cmd=(check --format github) ;;
  diff) cmd=(diff --format github) ;;
  release) cmd=(release --yes) ;;
  *)
    echo "::error::input \`command\` must be check, diff or release, not '${INPUT_COMMAND}'" >&2
    exit 2
    ;;
esac

set +e
"$BUMPWISE_BIN" "${cmd[@]}" ${common[@]+"${common[@]}"} ${extra[@]+"${extra[@]}"}
status=$?
set -e
case "$status" in
  0) ;;
  1) echo "::error::bumpwise ${cmd[0]}: the declared version is lower than the changes require" ;;
  *) echo "::error::bumpwise ${cmd[0]} failed (exit $status); see the messages above" ;;
esac
exit "$status"
