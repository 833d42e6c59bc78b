# shellcheck shell=bash disable=SC2034 # `common` and `extra` are for the scripts that source this
# Sourced by run.sh and comment.sh: the common bumpwise arguments from the action's inputs,
# read from the environment (INPUT_PACKAGE, INPUT_ALL, INPUT_FROM, INPUT_ARGS) into `common`.
# `args` is split on whitespace, with no quoting, globbing or expansion.

common=()
if [[ -n "${INPUT_PACKAGE:-}" ]]; then
  common+=(--package "$INPUT_PACKAGE")
fi
case "${INPUT_ALL:-false}" in
  true) common+=(--all) ;;
  false | "") ;;
  *)
    echo "::error::input \`all\` must be true or false, not '${INPUT_ALL}'" >&2
    exit 2
    ;;
esac
if [[ -n "${INPUT_FROM:-}" ]]; then
  common+=(--from "$INPUT_FROM")
fi
extra=()
if [[ -n "${INPUT_ARGS:-}" ]]; then
  set -f
  # shellcheck disable=SC2206 # splitting on whitespace, with globbing off, is the point
  extra=($INPUT_ARGS)
  set +f
fi

: "${BUMPWISE_BIN:?BUMPWISE_BIN is not set: the install step did not run}"
