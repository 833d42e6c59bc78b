#!/usr/bin/env bash
# Benchmark (not a test): `bumpwise check --all` and `diff --all` on a generated repository of
# several projects, against `bumpwise diff` on one project of the same total size.
#
# What it does, every step skipped when its result is already there (re-run freely):
#   1. generates, with a fixed seed and fixed dates (so the commits are the same on every
#      machine), bench/work/monorepo/repo: a root pyproject.toml with
#      `[tool.bumpwise] members = ["packages/*"]` and MEMBERS members `packages/member-NN`
#      (`[project] name = "member-NN"`, version 1.0.0, package `src/member_NN/`) of MODULES
#      modules each (40 to 110 lines: constants, `__all__`, classes with typed methods, functions
#      with defaults, imports from other modules of the member, re-exports in `__init__.py`).
#      Commit, tag every member `member-NN-v1.0.0`, then a second commit that changes CHANGED
#      percent of the functions and methods of every member (half get an optional parameter, a
#      quarter lose their last parameter, a quarter get a new `<name>_v2` function next to them)
#      and bumps nothing.
#      bench/work/monorepo/single is the baseline: ONE project of the same total size, package
#      `single` holding one subpackage `single.member_NN` per member, with the same files and the
#      same changes, tagged v1.0.0 then changed.
#   2. checks that `diff --all --format json` reads MEMBERS members, each with changes, and that
#      the single project reports as many changes as all the members together,
#   3. times side by side, in one hyperfine run: `check --all --format json` (exits 1: every
#      member is under-bumped; hyperfine -i), `diff --all --format json`, `diff --format json` on
#      the single project, and `diff --package member-00 --format json` (one member alone, to
#      tell a per-invocation cost from a per-member one); peak memory from /usr/bin/time -v,
#   4. scaling: `diff --all` on repositories of 10, 20 and 30 members (SCALE) of MODULES modules,
#      in one hyperfine run, and the time per member of each,
#   5. prints a summary. Ratios matter, not absolute times: machines differ by 2x.
#
# Environment: MEMBERS (30), MODULES (300), RUNS (10), SCALE ("10 20 30"; empty to skip),
# SCALE_RUNS (RUNS), CHANGED (4, percent), SEED (1), BENCH_WORK (bench/work), GENERATE_ONLY=1
# to build the repositories and stop (bench/imports.sh uses them), BUMPWISE (the
# binary; default target/release/bumpwise of this repository, built with `cargo build --release`
# only when missing), REBUILD=1 to regenerate the repositories.
set -euo pipefail
# Every figure here is a cold run: no facts cache from an earlier run (README, "Cache"); an
# older binary without the cache ignores the variable.
export BUMPWISE_NO_CACHE=1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
work=${BENCH_WORK:-$here/work}/monorepo
members=${MEMBERS:-30}
modules=${MODULES:-300}
runs=${RUNS:-10}
scale=${SCALE-10 20 30}
scale_runs=${SCALE_RUNS:-$runs}
changed=${CHANGED:-4}
seed=${SEED:-1}

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }
abs_path() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }

mkdir -p "$work"

# The generator. Every random choice comes from random.Random(SEED, member index), in a fixed
# order, so the trees are byte-identical on every machine, and member NN's files do not depend on
# MEMBERS (the 10-member repository is the first 10 members of the 30-member one).
# Arguments: OUT KIND MEMBERS MODULES SEED PHASE PERCENT; KIND monorepo or single; PHASE 1 (the
# release) or 2 (PERCENT % of the functions and methods changed, nothing bumped).
cat >"$work/gen.py" <<'EOF'
import os
import random
import sys

out, kind, n_members, n_modules, seed, phase, percent = sys.argv[1:8]
n_members, n_modules, seed, phase = int(n_members), int(n_modules), int(seed), int(phase)
percent = float(percent)

VERBS = ["load", "parse", "render", "merge", "split", "build", "check", "apply", "fetch",
         "format", "resolve", "count", "update", "collect", "normalize", "encode", "scan"]
NOUNS = ["record", "entry", "batch", "token", "frame", "index", "block", "field", "chunk",
         "event", "header", "payload", "window", "bucket", "cursor", "ledger"]
ROLES = ["Loader", "Parser", "Store", "Cache", "Writer", "Reader", "Builder", "Policy",
         "Registry", "Client", "Window", "Index"]
PARAMS = [("name", "str", '""'), ("count", "int", "0"), ("limit", "int", "100"),
          ("items", "Sequence[str]", "()"), ("key", "str | None", "None"),
          ("value", "float", "0.0"), ("timeout", "float", "30.0"), ("retries", "int", "3"),
          ("prefix", "str", '"x"'), ("strict", "bool", "False"),
          ("encoding", "str", '"utf-8"'), ("mapping", "Mapping[str, int] | None", "None"),
          ("scale", "float", "1.0"), ("offset", "int", "0"), ("tags", "list[str] | None", "None"),
          ("data", "bytes", 'b""')]
RETURNS = ["int", "str", "bool", "float", "list[str]", "dict[str, Any]", "None", "bytes"]
RETURN_EXPR = {"int": "len(parts)", "str": '"-".join(str(p) for p in parts)',
               "bool": "bool(parts)", "float": "float(len(parts))",
               "list[str]": "[str(p) for p in parts]",
               "dict[str, Any]": "{str(i): p for i, p in enumerate(parts)}",
               "None": "None", "bytes": 'repr(parts).encode("utf-8")'}


def new_params(rng, lo, hi):
    """Params as [name, type, default-or-None, keyword_only], required ones first."""
    chosen = rng.sample(PARAMS, rng.randint(lo, hi))
    required = rng.randint(0, min(2, len(chosen)))
    kw_only = rng.random() < 0.3
    out = []
    for i, (name, typ, default) in enumerate(chosen):
        if i < required:
            out.append([name, typ, None, False])
        else:
            out.append([name, typ, default, kw_only and i == len(chosen) - 1])
    return out


def new_callable(rng, name, lo, hi, method=False):
    return {"name": name, "params": new_params(rng, lo, hi), "ret": rng.choice(RETURNS),
            "style": rng.randrange(3), "method": method, "decorator": None,
            "doc": f"{name.strip('_').replace('_', ' ').capitalize()}."}


def gen_module(rng, j, earlier):
    """One module: constants, functions, classes. `earlier` = public function names of modules
    0..j-1 of the same package, as (module index, name)."""
    used = set()

    def fresh(pool_a, pool_b, sep="_"):
        while True:
            name = f"{rng.choice(pool_a)}{sep}{rng.choice(pool_b)}"
            if name not in used:
                used.add(name)
                return name

    mod = {"index": j, "consts": [], "funcs": [], "classes": [], "imports": [],
           "stdlib": ["logging"] + rng.sample(["os", "re", "json", "itertools"], rng.randint(0, 2))}
    for k in range(rng.randint(2, 3)):
        cname = f"{rng.choice(NOUNS).upper()}_{rng.choice(['LIMIT', 'SIZE', 'RETRIES', 'WIDTH'])}"
        if cname not in used:
            used.add(cname)
            mod["consts"].append((cname, rng.randint(1, 500)))
    if earlier:
        for src, fname in rng.sample(earlier, min(len(earlier), rng.randint(1, 2))):
            if fname not in used:
                used.add(fname)
                mod["imports"].append((src, fname))
    for _ in range(rng.randint(1, 3)):
        mod["funcs"].append(new_callable(rng, fresh(VERBS, NOUNS), 1, 4))
    for c in range(1 + (rng.random() < 0.4)):
        cls = {"name": fresh([n.capitalize() for n in NOUNS], ROLES, ""), "methods": [],
               "init": new_params(rng, 1, 3), "base": None, "attr": rng.choice(NOUNS)}
        if c == 1:
            cls["base"] = mod["classes"][0]["name"]
        for m in range(rng.randint(1, 2)):
            meth = new_callable(rng, fresh(VERBS, NOUNS), 0, 3, method=True)
            if m == 0 and rng.random() < 0.3:
                meth["decorator"] = "classmethod"
            cls["methods"].append(meth)
        mod["classes"].append(cls)
    mod["private"] = new_callable(rng, "_" + fresh(VERBS, NOUNS), 1, 2)
    return mod


def sig(params, first=None):
    parts = [first] if first else []
    star = False
    for name, typ, default, kw in params:
        if kw and not star:
            parts.append("*")
            star = True
        parts.append(f"{name}: {typ}" + (f" = {default}" if default is not None else ""))
    return ", ".join(parts)


def render_callable(f, indent, consts, helper):
    pad = " " * indent
    lines = []
    if f["decorator"]:
        lines.append(f"{pad}@{f['decorator']}")
    first = ("cls" if f["decorator"] == "classmethod" else "self") if f["method"] else None
    lines.append(f"{pad}def {f['name']}({sig(f['params'], first)}) -> {f['ret']}:")
    lines.append(f'{pad}    """{f["doc"]}"""')
    names = [p[0] for p in f["params"]]
    lines.append(f"{pad}    parts: list[Any] = [{', '.join(names)}]")
    if f["style"] == 0 and consts:
        lines.append(f"{pad}    if len(parts) > {consts[0][0]}:")
        lines.append(f"{pad}        parts = parts[:{consts[0][0]}]")
    elif f["style"] == 1:
        lines.append(f"{pad}    for position, part in enumerate(list(parts)):")
        lines.append(f"{pad}        if part is None:")
        lines.append(f"{pad}            parts[position] = {helper or 'str'}")
    if f["ret"] == "None":
        lines.append(f"{pad}    logger.debug(\"{f['name']}: %d parts\", len(parts))")
    else:
        lines.append(f"{pad}    return {RETURN_EXPR[f['ret']]}")
    return lines


def render_module(mod, pkg):
    j = mod["index"]
    helper = mod["imports"][0][1] if mod["imports"] else None
    public = [c["name"] for c in mod["classes"]] + [f["name"] for f in mod["funcs"]] \
        + [c[0] for c in mod["consts"]]
    L = [f'"""{pkg}.mod_{j:03d}: generated by bench/monorepo.sh."""', "",
         "from __future__ import annotations", ""]
    L += [f"import {s}" for s in sorted(mod["stdlib"])]
    L += ["from typing import Any, Mapping, Sequence", ""]
    for src, fname in mod["imports"]:
        L.append(f"from .mod_{src:03d} import {fname}")
    if mod["imports"]:
        L.append("")
    L.append("__all__ = [" + ", ".join(f'"{n}"' for n in public) + "]")
    L += ["", "logger = logging.getLogger(__name__)"]
    for cname, v in mod["consts"]:
        L.append(f"{cname}: int = {v}")
    for cls in mod["classes"]:
        L += ["", ""]
        L.append(f"class {cls['name']}({cls['base']}):" if cls["base"] else f"class {cls['name']}:")
        L.append(f'    """Holds {cls["attr"]} values."""')
        L.append("")
        L.append(f'    kind: str = "{cls["attr"]}"')
        L.append("")
        L.append(f"    def __init__({sig(cls['init'], 'self')}) -> None:")
        for name, *_ in cls["init"]:
            L.append(f"        self.{name} = {name}")
        for m in cls["methods"]:
            L.append("")
            L += render_callable(m, 4, mod["consts"], helper)
    for f in mod["funcs"] + [mod["private"]]:
        L += ["", ""]
        L += render_callable(f, 0, mod["consts"], helper)
    return "\n".join(L) + "\n"


def apply_changes(rng, mods):
    """Phase 2: each function or method changes with probability `percent`; at least one."""
    targets = []
    for mod in mods:
        for f in mod["funcs"]:
            targets.append((mod, f))
        for cls in mod["classes"]:
            for m in cls["methods"]:
                targets.append((mod, m))
    picks = [t for t in targets if rng.random() < percent / 100] or targets[:1]
    for mod, f in picks:
        what = rng.random()
        if what < 0.5:  # an optional parameter, keyword-only when the last one is
            names = {p[0] for p in f["params"]}
            extra = next(n for n in ("dry_run", "verbose", "context", "fallback") if n not in names)
            kw = bool(f["params"]) and f["params"][-1][3]
            f["params"].append([extra, "bool", "False", kw])
        elif what < 0.75 and f["params"]:  # a parameter removed: breaking
            f["params"].pop()
        else:  # a new public function next to it
            new = dict(f, name=f["name"] + "_v2", decorator=None, method=False,
                       params=[list(p) for p in f["params"]])
            mod["funcs"].append(new)


def gen_package(index):
    rng = random.Random(seed * 1_000_003 + index)
    mods, earlier = [], []
    for j in range(n_modules):
        mod = gen_module(rng, j, earlier)
        mods.append(mod)
        earlier += [(j, f["name"]) for f in mod["funcs"]]
    if phase == 2:
        apply_changes(random.Random(seed * 1_000_003 + index + 500_000), mods)
    return mods


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_package(pkg_dir, pkg, mods):
    # Re-exports: every 10th module's first class and first function, names kept unique.
    names, lines = [], []
    for mod in mods[::10]:
        pick = [n for n in (mod["classes"][0]["name"], mod["funcs"][0]["name"]) if n not in names]
        if pick:
            names += pick
            lines.append(f"from .mod_{mod['index']:03d} import {', '.join(pick)}")
    init = [f'"""{pkg}: generated by bench/monorepo.sh."""', ""] + lines + [""]
    init.append("__all__ = [" + ", ".join(f'"{n}"' for n in names) + "]")
    write(os.path.join(pkg_dir, "__init__.py"), "\n".join(init) + "\n")
    for mod in mods:
        write(os.path.join(pkg_dir, f"mod_{mod['index']:03d}.py"), render_module(mod, pkg))


if kind == "monorepo":
    write(os.path.join(out, "pyproject.toml"),
          '# The workspace root: settings only, no project.\n[tool.bumpwise]\n'
          'members = ["packages/*"]\n')
    for i in range(n_members):
        name = f"member-{i:02d}"
        imp = name.replace("-", "_")
        write(os.path.join(out, "packages", name, "pyproject.toml"),
              f'[project]\nname = "{name}"\nversion = "1.0.0"\nrequires-python = ">=3.9"\n')
        write_package(os.path.join(out, "packages", name, "src", imp), imp, gen_package(i))
else:
    write(os.path.join(out, "pyproject.toml"),
          '[project]\nname = "single"\nversion = "1.0.0"\nrequires-python = ">=3.9"\n')
    subs = []
    for i in range(n_members):
        sub = f"member_{i:02d}"
        subs.append(sub)
        write_package(os.path.join(out, "src", "single", sub), f"single.{sub}", gen_package(i))
    write(os.path.join(out, "src", "single", "__init__.py"),
          '"""single: generated by bench/monorepo.sh."""\n\n'
          + "".join(f"from . import {s}\n" for s in subs)
          + "\n__all__ = [" + ", ".join(f'"{s}"' for s in subs) + "]\n")
EOF

# build_repo DIR KIND N TAG...: the repository, unless DIR already holds one made with the same
# parameters (and no REBUILD). Fixed names and dates: the commit ids are the same everywhere.
git_in() {
    local dir=$1
    shift
    GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid \
        GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid \
        git -C "$dir" -c init.defaultBranch=main -c core.autocrlf=false -c gc.auto=0 "$@"
}
build_repo() {
    local dir=$1 kind=$2 n=$3 stamp tag
    local d1=2026-01-05T12:00:00Z d2=2026-02-02T12:00:00Z
    stamp="$kind members=$n modules=$modules seed=$seed changed=$changed gen=$(cksum <"$work/gen.py")"
    if [ -z "${REBUILD:-}" ] && [ -f "$dir.stamp" ] && [ "$(cat "$dir.stamp")" = "$stamp" ] \
        && git_in "$dir" rev-parse --verify --quiet HEAD~1 >/dev/null 2>&1; then
        return
    fi
    say "generating $dir ($kind, $n x $modules modules)"
    rm -rf "$dir" "$dir.stamp"
    mkdir -p "$dir"
    git_in "$dir" init --quiet
    python3 "$work/gen.py" "$dir" "$kind" "$n" "$modules" "$seed" 1 "$changed"
    git_in "$dir" add -A
    GIT_AUTHOR_DATE=$d1 GIT_COMMITTER_DATE=$d1 git_in "$dir" commit --quiet -m "Release 1.0.0"
    if [ "$kind" = monorepo ]; then
        for ((i = 0; i < n; i++)); do
            tag=$(printf 'member-%02d-v1.0.0' "$i")
            GIT_COMMITTER_DATE=$d1 git_in "$dir" tag -a -m "$tag" "$tag"
        done
    else
        GIT_COMMITTER_DATE=$d1 git_in "$dir" tag -a -m v1.0.0 v1.0.0
    fi
    find "$dir" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
    python3 "$work/gen.py" "$dir" "$kind" "$n" "$modules" "$seed" 2 "$changed"
    git_in "$dir" add -A
    GIT_AUTHOR_DATE=$d2 GIT_COMMITTER_DATE=$d2 git_in "$dir" commit --quiet \
        -m "Change $changed% of the functions, bump nothing"
    # One pack, as a clone would have it: loose objects would time the file system instead.
    git_in "$dir" gc --quiet --prune=now
    echo "$stamp" >"$dir.stamp"
}

repo=$work/repo
single=$work/single
build_repo "$repo" monorepo "$members"
build_repo "$single" single "$members"
declare -A scale_repo=()
for n in $scale; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "SCALE must hold member counts, not '$n'"
    if [ "$n" = "$members" ]; then
        scale_repo[$n]=$repo
    else
        scale_repo[$n]=$work/scale-$n
        build_repo "${scale_repo[$n]}" monorepo "$n"
    fi
done
if [ -n "${GENERATE_ONLY:-}" ]; then
    say "repositories ready in $work (GENERATE_ONLY: no timing)"
    exit 0
fi
py_files=$(git_in "$repo" ls-tree -r --name-only HEAD -- packages | grep -c '\.py$' || true)
py_lines=$(git_in "$repo" ls-tree -r --name-only HEAD -- packages | grep '\.py$' \
    | (cd "$repo" && xargs cat) | wc -l)
say "repositories ready: $members members, $py_files .py files, $py_lines lines; HEAD" \
    "$(git_in "$repo" rev-parse --short HEAD) (monorepo), $(git_in "$single" rev-parse --short HEAD) (single)"

# The binary.
if [ -n "${BUMPWISE:-}" ]; then
    bumpwise=$(abs_path "$BUMPWISE")
else
    bumpwise=${CARGO_TARGET_DIR:-$root/target}/release/bumpwise
    if [ ! -x "$bumpwise" ]; then
        say "building bumpwise (release)"
        cargo build --quiet --release --manifest-path "$root/Cargo.toml"
    fi
fi
[ -x "$bumpwise" ] || die "no binary at $bumpwise"

# Every command names its repository with --repo, so that hyperfine runs them all with -N (no
# shell in between) from one directory; `--repo` gives the same report as running inside.
check_all=("$bumpwise" check --all --repo "$repo" --format json)
diff_all=("$bumpwise" diff --all --repo "$repo" --format json)
diff_single=("$bumpwise" diff --repo "$single" --package "$single" --format json)
diff_one=("$bumpwise" diff --repo "$repo" --package member-00 --format json)

# 2. Sanity: MEMBERS members, each with changes; the single project has the same changes.
"${diff_all[@]}" >"$work/diff-all.json" 2>"$work/diff-all.err" \
    || { cat "$work/diff-all.err" >&2; die "diff --all failed"; }
"${diff_single[@]}" >"$work/diff-single.json" 2>"$work/diff-single.err" \
    || { cat "$work/diff-single.err" >&2; die "diff on the single project failed"; }
rc=0
"${check_all[@]}" >"$work/check-all.json" 2>/dev/null || rc=$?
[ "$rc" = 1 ] || die "check --all exited $rc, not 1 (under-bumped)"
(cd "$repo" && "$bumpwise" diff --all --format json >"$work/diff-all.cwd.json")
cmp -s "$work/diff-all.json" "$work/diff-all.cwd.json" \
    || die "diff --all --repo and diff --all run inside the repository differ"
changes=$(python3 - "$members" "$work/diff-all.json" "$work/diff-single.json" <<'EOF'
import collections, json, sys
n = int(sys.argv[1])
members = json.load(open(sys.argv[2]))["members"]
single = json.load(open(sys.argv[3]))
if len(members) != n:
    sys.exit(f"error: diff --all reports {len(members)} members, not {n}")
empty = [m["member"] for m in members if not m["changes"]]
if empty:
    sys.exit(f"error: members without changes: {empty}")
total = sum(len(m["changes"]) for m in members)
if total != len(single["changes"]):
    sys.exit(f"error: the members have {total} changes, the single project {len(single['changes'])}")
by = collections.Counter(c["bump"] for m in members for c in m["changes"])
per = [len(m["changes"]) for m in members]
print(f"{total} changes ({by['major']} major, {by['minor']} minor, {by['patch']} patch), "
      f"{min(per)} to {max(per)} a member")
EOF
) || die "the generated repositories do not read as expected"
say "diff --all: $members members, $changes; the single project: the same number"

# 3. Timing. hyperfine from Debian, GNU time for the peak memory.
if ! command -v hyperfine >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing hyperfine"
    apt-get install -y -qq hyperfine >/dev/null 2>&1 || true
fi
command -v hyperfine >/dev/null || die "this benchmark needs hyperfine (apt-get install hyperfine)"
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq time >/dev/null 2>&1 || true
fi

# peak_mb COMMAND...: the peak resident set size in MB, from GNU time.
peak_mb() {
    [ -x /usr/bin/time ] || { echo "?"; return; }
    /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || true
    awk -F: '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$work/time.txt"
}
q() { printf '%q ' "$@"; }

say "timing check --all, diff --all, the single diff and one member, side by side ($runs runs each)"
(cd "$work" && hyperfine -N --style basic --warmup 1 --runs "$runs" -i \
    --export-json "$work/main.hyperfine.json" \
    -n "check --all" "$(q "${check_all[@]}")" \
    -n "diff --all" "$(q "${diff_all[@]}")" \
    -n "diff single" "$(q "${diff_single[@]}")" \
    -n "diff --package member-00" "$(q "${diff_one[@]}")" >&2)
peak_check=$(peak_mb "${check_all[@]}")
peak_all=$(peak_mb "${diff_all[@]}")
peak_single=$(peak_mb "${diff_single[@]}")
peak_one=$(peak_mb "${diff_one[@]}")

# 4. Scaling: diff --all on 10, 20, 30 members, in one hyperfine run.
scale_args=()
for n in $scale; do
    scale_args+=(-n "$n members" "$(q "$bumpwise" diff --all --repo "${scale_repo[$n]}" --format json)")
done
if [ ${#scale_args[@]} -gt 0 ]; then
    say "scaling: diff --all on $(echo $scale | sed 's/ /, /g') members ($scale_runs runs each)"
    (cd "$work" && hyperfine -N --style basic --warmup 1 --runs "$scale_runs" \
        --export-json "$work/scale.hyperfine.json" "${scale_args[@]}" >&2)
fi

# 5. Summary on stdout.
echo
echo "$members members x $modules modules ($py_files .py files, $py_lines lines), $changes;" \
    "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/main.hyperfine.json" "$members" "$peak_check" "$peak_all" "$peak_single" "$peak_one" <<'EOF'
import json, math, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
peaks = dict(zip(["check --all", "diff --all", "diff single", "diff --package member-00"], sys.argv[3:7]))
for name, r in res.items():
    print(f"{name:26} {r['mean']:7.3f} ± {r['stddev'] or 0:.3f} s (min {r['min']:.3f}),"
          f" CPU {r['user'] + r['system']:6.3f} s, {peaks[name]:>4} MB peak")
# A ratio of means with its error from the two deviations, then the ratios of the minima and of
# the CPU times (user + system), steadier than wall means on a busy machine.
def ratio(a, b, k=1):
    ra, rb = res[a], res[b]
    v = ra["mean"] / (rb["mean"] * k)
    err = v * math.hypot((ra["stddev"] or 0) / ra["mean"], (rb["stddev"] or 0) / rb["mean"])
    cpu = (ra["user"] + ra["system"]) / ((rb["user"] + rb["system"]) * k)
    return f"{v:.2f} ± {err:.2f} (minima {ra['min'] / (rb['min'] * k):.2f}, CPU {cpu:.2f})"
print(f"ratio diff --all / diff single:  {ratio('diff --all', 'diff single')}")
print(f"ratio check --all / diff single: {ratio('check --all', 'diff single')}")
print(f"ratio diff --all / {n} x (one member alone): {ratio('diff --all', 'diff --package member-00', n)}")
EOF
if [ ${#scale_args[@]} -gt 0 ]; then
    python3 - "$work/scale.hyperfine.json" <<'EOF'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
pts = sorted((int(r["command"].split()[0]), r["mean"], r["stddev"] or 0, r["min"],
               r["user"] + r["system"]) for r in rs)
for m, t, sd, lo, cpu in pts:
    print(f"scaling: diff --all, {m:3} members: {t:7.3f} ± {sd:.3f} s (min {lo:.3f}), per member"
          f" {1000 * t / m:5.1f} ms wall, {1000 * lo / m:5.1f} ms min, {1000 * cpu / m:5.1f} ms CPU")
if len(pts) >= 2 and pts[-1][0] > pts[0][0]:
    (m0, t0, _, l0, c0), (m1, t1, _, l1, c1) = pts[0], pts[-1]
    print(f"scaling: {m1 / m0:.2f}x the members took {t1 / t0:.2f}x the time ({l1 / l0:.2f}x the"
          f" minimum, {c1 / c0:.2f}x the CPU); linear is {m1 / m0:.2f}x")
EOF
fi
