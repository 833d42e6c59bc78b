"""Compare the recorded bumpwise outputs of the real-world pairs with their expected results.

Called by run.sh: compare.py OUT_DIR EXPECTED_DIR MILLISECONDS NAME... Reads OUT_DIR/<name>/
(PAIR, diff.{json,text,md}.{stdout,stderr,rc,ms}) and EXPECTED_DIR/<name>.json, prints one line a
pair and `N passed, M failed`, writes OUT_DIR/results.tsv, and exits 1 on any failure. With
UPDATE=1 in the environment it rewrites each expected file's `required_bump` and `changes`
(keeping the notes), except in pairs marked `known_wrong`.
"""

import collections
import difflib
import json
import os
import re
import sys

FORMATS = ("json", "text", "md")
# Fields of an expected file, in the order they are written.
FIELDS = ("pair", "project", "from", "to", "maintainers_bump", "required_bump", "known_wrong",
          "review", "changes")


def release(v):
    m = re.match(r"\d+(?:\.\d+)*", v)
    parts = [int(x) for x in m.group(0).split(".")]
    return tuple(parts + [0] * (4 - len(parts)))


def maintainers(old, new):
    """The bump the maintainers' version numbers say, in bumpwise's words.

    At 1.0.0 and above, the first of major/minor/micro that changed. Below 1.0.0 (bumpwise's
    cargo convention), a changed minor number means "breaking" (bumpwise `major`) and a changed
    micro number means "not breaking" (bumpwise `minor` or `patch` both agree). A change in a
    fourth number only (typeshed's `types-*` date suffix) states nothing: "unstated".
    """
    a, b = release(old), release(new)
    if a[0] >= 1 or b[0] >= 1:
        for level, x, y in zip(("major", "minor", "patch"), a, b):
            if x != y:
                return level
        return "unstated" if a != b else "none"
    if a[1] != b[1]:
        return "major"
    if a[2] != b[2]:
        return "minor|patch"
    return "unstated" if a != b else "none"


def read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return default


def dump(exp):
    """The expected file's text: one field a line, one review line and one change a line, so
    that a review reads and a change diffs line by line."""
    lines = ["{"]
    keys = [k for k in FIELDS if k in exp] + sorted(k for k in exp if k not in FIELDS)
    for i, k in enumerate(keys):
        end = "," if i < len(keys) - 1 else ""
        v = exp[k]
        if isinstance(v, list) and v:
            items = [json.dumps(x, ensure_ascii=False) for x in v]
            lines.append(f"  {json.dumps(k)}: [")
            lines += [f"    {x}," for x in items[:-1]] + [f"    {items[-1]}"]
            lines.append(f"  ]{end}")
        else:
            lines.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    out, expected_dir, ms, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    update = os.environ.get("UPDATE", "") not in ("", "0")
    os.makedirs(expected_dir, exist_ok=True)
    passed, failed, known = 0, [], []
    rows = []
    print("%-18s %-34s %-3s %-8s %-8s %-18s %-6s %-11s %s" % (
        "pair", "versions", "rc", "bump", "expected", "major/minor/patch", "secs", "maintainers",
        "verdict"))
    for name in names:
        d = os.path.join(out, name)
        _, project, vold, vnew, _note = read(os.path.join(d, "PAIR")).rstrip("\n").split("\t")
        versions = f"{vold} -> {vnew}"
        want_maint = maintainers(vold, vnew)
        exp_path = os.path.join(expected_dir, f"{name}.json")
        exp = json.loads(read(exp_path, "null")) or {}
        problems = []
        got_bump, got_changes, counts = "-", None, collections.Counter()
        rc = "-"
        secs = 0.0
        if os.path.exists(os.path.join(d, "SKIPPED")):
            problems.append("skipped: " + read(os.path.join(d, "SKIPPED")).strip())
        else:
            rcs = [read(os.path.join(d, f"diff.{f}.rc"), "?").strip() for f in FORMATS]
            rc = rcs[0] if len(set(rcs)) == 1 else "/".join(rcs)
            secs = int(read(os.path.join(d, "diff.json.ms"), "0")) / 1000
            for f, code in zip(FORMATS, rcs):
                if code not in ("0", "1"):
                    err = read(os.path.join(d, f"diff.{f}.stderr")).strip().splitlines()
                    problems.append(f"--format {f} exited {code}: " + (err[-1] if err else ""))
            try:
                r = json.loads(read(os.path.join(d, "diff.json.stdout")))
                got_bump = r["required_bump"]
                got_changes = sorted([c["kind"], c["path"]] for c in r["changes"])
                counts = collections.Counter(c["bump"] for c in r["changes"])
            except (ValueError, KeyError) as e:
                problems.append(f"no JSON report ({e.__class__.__name__})")
        wrong = exp.get("known_wrong")
        if update and got_changes is not None and not wrong:
            new = dict(exp) if exp else {
                "pair": name, "project": project, "from": vold, "to": vnew,
                "maintainers_bump": want_maint, "review": ["TODO: not reviewed yet"]}
            new["required_bump"] = got_bump
            new["changes"] = got_changes
            with open(exp_path, "w", encoding="utf-8") as f:
                f.write(dump(new))
            exp = new
        mismatch = []
        if not exp:
            problems.append(f"no expected file {exp_path} (UPDATE=1 writes one)")
        elif got_changes is not None:
            if exp.get("required_bump") != got_bump:
                mismatch.append(f"required bump: expected {exp.get('required_bump')}, got {got_bump}")
            want = [f"{k} {p}" for k, p in exp.get("changes", [])]
            got = [f"{k} {p}" for k, p in got_changes]
            if want != got:
                diff = list(difflib.unified_diff(want, got, "expected", "bumpwise", n=0,
                                                 lineterm=""))
                shown = [x for x in diff[2:] if not x.startswith("@@")]
                mismatch.append(f"changes differ ({sum(x[0] == '-' for x in shown)} expected "
                                f"missing, {sum(x[0] == '+' for x in shown)} unexpected):")
                mismatch += ["  " + x for x in shown[:40]]
                if len(shown) > 40:
                    mismatch.append(f"  ... {len(shown) - 40} more lines")
        if problems:
            verdict = "FAIL"
            failed.append(name)
        elif mismatch and wrong:
            verdict = "known wrong"
            known.append(name)
        elif mismatch:
            verdict = "FAIL"
            failed.append(name)
        elif wrong:
            verdict = "FAIL (fixed: remove known_wrong)"
            failed.append(name)
        else:
            verdict = "pass"
            passed += 1
        cnt = "%d/%d/%d" % (counts["major"], counts["minor"], counts["patch"])
        print("%-18s %-34s %-3s %-8s %-8s %-18s %-6.2f %-11s %s" % (
            name, versions, rc, got_bump, exp.get("required_bump", "-"), cnt, secs, want_maint,
            verdict))
        if verdict == "known wrong":
            # The reason and the size of the gap; the full diff would repeat on every run.
            print(f"    {wrong}")
            mismatch = [m.rstrip(":") for m in mismatch if not m.startswith("  ")]
        for p in problems + mismatch:
            print("    " + p)
        rows.append((name, versions, rc, got_bump, exp.get("required_bump", "-"), counts["major"],
                     counts["minor"], counts["patch"], "%.2f" % secs, want_maint, verdict))
    with open(os.path.join(out, "results.tsv"), "w") as f:
        f.write("\t".join(("pair", "versions", "rc", "required", "expected", "major", "minor",
                           "patch", "seconds", "maintainers", "verdict")) + "\n")
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")
    print()
    print(f"outputs in {out}/<pair>/; table in {out}/results.tsv")
    if failed:
        print("failed: " + ", ".join(failed))
    summary = f"{passed} passed, {len(failed)} failed"
    if known:
        summary += f", {len(known)} known wrong ({', '.join(known)})"
    print(f"{summary}; {ms / 1000:.1f} s in all")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
