#!/usr/bin/env bash
# Two-file reproductions of what the real-world corpus found bumpwise getting wrong (issue 13).
# Each CASE/ holds before/ and after/ (a package tree; a pyproject.toml naming `pkg` is added
# when the case has neither setup.py nor pyproject.toml) and NOTE (what bumpwise says, what is
# right, and the pair it comes from). This script commits both sides into a temporary git
# repository, tags the first v1.0.0, and prints `bumpwise diff --format json`'s changes.
#
#   bash bench/realworld/repros/run.sh                 # every case
#   bash bench/realworld/repros/run.sh getattr-negated # one case
#   BUMPWISE=/path/to/bumpwise bash bench/realworld/repros/run.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${BUMPWISE:-$(dirname "$(dirname "$(dirname "$here")")")/target/release/bumpwise}
[ -x "$bin" ] || { echo "error: no executable bumpwise at $bin (set BUMPWISE=)" >&2; exit 2; }
g() {
    git -c user.name=bench -c user.email=bench@example.invalid -c commit.gpgSign=false \
        -c tag.gpgSign=false -c init.defaultBranch=main -c core.excludesFile= "$@"
}
one() { # CASE
    local case=$here/$1 d
    d=$(mktemp -d)
    pp() { [ -e "$d/setup.py" ] || [ -e "$d/pyproject.toml" ] \
        || printf '[project]\nname = "pkg"\nversion = "1.0.0"\nrequires-python = ">=3.8"\n' >"$d/pyproject.toml"; }
    (cd "$d" && g init -q .)
    cp -R "$case/before/." "$d/" && pp
    (cd "$d" && g add -A && g commit -qm before && g tag v1.0.0)
    find "$d" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
    cp -R "$case/after/." "$d/" && pp
    (cd "$d" && g add -A && g commit -qm after)
    echo "== $1: $(head -n 1 "$case/NOTE")"
    (cd "$d" && "$bin" diff --from v1.0.0 --format json 2>"$d.err" >"$d.json") || echo "   exit $?"
    python3 - "$d.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("   required:", r["required_bump"])
for c in r["changes"]:
    print("  ", c["bump"], c["kind"], c["path"])
PY
    grep -v '^note:' "$d.err" | sed 's/^/   /' || true
    rm -rf "$d" "$d.err" "$d.json"
}
if [ $# -gt 0 ]; then
    for c in "$@"; do one "$c"; done
else
    for c in "$here"/*/; do one "$(basename "$c")"; done
fi
