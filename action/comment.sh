#!/usr/bin/env bash
# Posts the Markdown report as one pull-request comment, or updates the one posted before.
#
# The comment starts with a hidden marker, `<!-- bumpwise-report -->` (with `:<package>` when
# the input `package` is set, so two jobs keep two comments). Comments are listed with
# `gh api --paginate`; the first whose body starts with the marker is PATCHed, else one is
# POSTed. The body goes to gh as a file (`-F body=@file`), never as an argument. Without a pull
# request in the event (GITHUB_EVENT_PATH), it says so and does nothing.
set -euo pipefail
# shellcheck source=action/args.sh
source "$(dirname "$0")/args.sh"

: "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}"
pr=""
if [[ -n "${GITHUB_EVENT_PATH:-}" && -f "$GITHUB_EVENT_PATH" ]]; then
  if ! command -v jq >/dev/null 2>&1; then
    echo "::error::the report comment needs jq to read the event (GitHub's runners have it)" >&2
    exit 2
  fi
  pr="$(jq -r '.pull_request.number // empty' "$GITHUB_EVENT_PATH")"
fi
if [[ ! "$pr" =~ ^[0-9]+$ ]]; then
  echo "::notice::bumpwise: no pull request in this event (${GITHUB_EVENT_NAME:-unknown}); no comment posted"
  exit 0
fi

# Only characters that cannot end the HTML comment or a jq string literal.
key="$(printf '%s' "${INPUT_PACKAGE:-}" | tr -c 'A-Za-z0-9._/-' '_')"
if [[ -n "$key" ]]; then
  marker="<!-- bumpwise-report:$key -->"
else
  marker="<!-- bumpwise-report -->"
fi

body="$(mktemp)"
report="$(mktemp)"
trap 'rm -f "$body" "$report"' EXIT

# The comment shows check's report: the verdict on the declared version, then the changes.
# Exit 1 (under-bumped) is a report like any other; the gate step fails the job for it.
set +e
GITHUB_OUTPUT="" GITHUB_STEP_SUMMARY="" \
  "$BUMPWISE_BIN" check --format markdown ${common[@]+"${common[@]}"} ${extra[@]+"${extra[@]}"} >"$report"
status=$?
set -e
if [[ "$status" -gt 1 ]]; then
  echo "::error::bumpwise check --format markdown failed (exit $status); no comment posted" >&2
  exit "$status"
fi
{
  printf '%s\n' "$marker"
  cat "$report"
} >"$body"

comments="repos/$GITHUB_REPOSITORY/issues/$pr/comments"
ids="$(gh api --paginate "$comments" \
  --jq ".[] | select((.body // \"\") | startswith(\"$marker\")) | .id")"
id="${ids%%$'\n'*}"
if [[ -n "$id" ]]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$body" >/dev/null
  echo "bumpwise: updated the report comment $id on #$pr"
else
  gh api --method POST "$comments" -F "body=@$body" >/dev/null
  echo "bumpwise: posted the report comment on #$pr"
fi
