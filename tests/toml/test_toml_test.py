#!/usr/bin/env python3
"""TOML 1.0 and 1.1 conformance: the toml-lang/toml-test suite through `initdata toml-json`.

Each of toml-test's lists is run with its own version: every case listed in
$IDT_SHARED/testdata/toml-test/tests/files-toml-1.0.0 with `--toml 1.0`, and every
case listed in files-toml-1.1.0 with `--toml 1.1`:

  valid/X.toml    `initdata toml-json --tagged X.toml` must exit 0 and print JSON equal
                  to valid/X.json, compared the way toml-test compares: strings exactly,
                  integers and floats by value (any NaN equals any NaN, "+inf" is "inf"),
                  date-times by value (the instant for offset date-times, so offsets and
                  the spelling of the fraction do not matter), tables and arrays
                  structurally.  The plain JSON output (without --tagged) must also be
                  JSON and agree with the tagged output (this run reads the file from a pipe).
  invalid/X.toml  must be rejected: exit status 1, a "file:line:col: error:" diagnostic
                  on stderr, nothing on stdout.

Either way a signal or a sanitizer report is a failure.  Exit 77 (skipped) when there
is no shared test data (shared data without the suite is a failure); exit 1 unless
every case of both lists passes.  Values are compared by tests/toml/tagged_json.py.  The 1.0 list
is also run without --toml, to check that 1.0's invalid cases that are valid 1.1
are exactly the ones the 1.1 list drops.
"""
import concurrent.futures
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402
import tagged_json  # noqa: E402

DIAG_RE = re.compile(r"^.+:\d+:\d+: error: .+", re.M)
# As toml-test compares: floats by value (any NaN equals any NaN), date-times
# by instant at nanosecond precision, tables in any key order.
COMPARE = tagged_json.Comparator()


def suite_dir():
    """toml-test's tests/: skipped (77) without the shared test data, failed
    when the data is there but the suite is not."""
    d = idt_test.shared("testdata", "toml-test", "tests", name="toml-test")
    idt_test.shared("testdata", "toml-test", "tests", "files-toml-1.0.0", name="toml-test")
    return d


def run(args, stdin_path=None):
    """Runs the tool; with stdin_path, feeds that file through a pipe."""
    data = None
    if stdin_path:
        with open(stdin_path, "rb") as f:
            data = f.read()
    rc, out, err = idt_test.run(args, stdin=data, timeout=120)
    return rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def untag(v):
    """The plain JSON that toml-json prints for a tagged value."""
    if tagged_json.is_tagged(v):
        t, s = v["type"], v["value"]
        if t == "integer":
            return int(s)
        if t == "bool":
            return s == "true"
        if t == "float":
            return s if s in ("inf", "-inf", "nan") else float(s)
        return s
    if isinstance(v, list):
        return [untag(x) for x in v]
    return {k: untag(x) for k, x in v.items()}


def same_plain(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same_plain(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_plain(a[k], b[k]) for k in a)
    return a == b


# --- the cases --------------------------------------------------------------

def check_valid(tool, base, name, version):
    path = os.path.join(base, name)
    with open(path[:-5] + ".json", encoding="utf-8") as f:
        expected = json.load(f)
    rc, out, err = run([tool, "toml-json", "--toml", version, "--tagged", path])
    if idt_test.crashed(rc, err):
        return f"crashed (exit {rc}): {err.strip()[:600]}"
    if rc != 0:
        return f"rejected (exit {rc}): {err.strip()[:300]}"
    try:
        got = json.loads(out)
    except ValueError as e:
        return f"output is not JSON ({e}): {out[:200]!r}"
    d = COMPARE.diff(expected, got)
    if d:
        return d
    rc, out, err = run([tool, "toml-json", "--toml", version, "-"], stdin_path=path)  # stdin, plain
    if idt_test.crashed(rc, err) or rc != 0:
        return f"plain mode failed (exit {rc}): {err.strip()[:300]}"
    try:
        plain = json.loads(out, parse_constant=lambda c: c)
    except ValueError as e:
        return f"plain output is not JSON ({e})"
    if not same_plain(plain, untag(got)):
        return "plain JSON disagrees with the tagged JSON"
    return None


def check_invalid(tool, base, name, version):
    args = [tool, "toml-json"] + (["--toml", version] if version else []) + ["--tagged"]
    rc, out, err = run(args + [os.path.join(base, name)])
    if idt_test.crashed(rc, err):
        return f"crashed (exit {rc}): {err.strip()[:600]}"
    if rc != 1:
        return f"accepted (exit {rc}): {out.strip()[:200]}"
    if out:
        return "rejected, but printed output"
    if not DIAG_RE.search(err):
        return f"rejected without a file:line:col diagnostic: {err.strip()[:200]}"
    return None


def read_list(base, version):
    with open(os.path.join(base, f"files-toml-{version}.0"), encoding="utf-8") as f:
        names = [l.strip() for l in f if l.strip().endswith(".toml")]
    return ([n for n in names if n.startswith("valid/")],
            [n for n in names if n.startswith("invalid/")])


def run_list(pool, tool, base, version):
    """Runs one list with its version; prints its score; returns the failures."""
    valid, invalid = read_list(base, version)
    vres = list(pool.map(lambda n: check_valid(tool, base, n, version), valid))
    ires = list(pool.map(lambda n: check_invalid(tool, base, n, version), invalid))
    vfail = [(n, r) for n, r in zip(valid, vres) if r]
    ifail = [(n, r) for n, r in zip(invalid, ires) if r]
    print(f"toml-test {version}: valid {len(valid) - len(vfail)}/{len(valid)}, "
          f"invalid {len(invalid) - len(ifail)}/{len(invalid)}")
    if not valid or not invalid:
        return [(f"files-toml-{version}.0", "the list has no valid or no invalid cases")]
    return vfail + ifail


def default_is_11(pool, tool, base):
    """Without --toml the tool reads 1.1: of the 1.0 list's invalid cases, it
    must accept exactly those that the 1.1 list does not hold."""
    _, invalid10 = read_list(base, "1.0")
    _, invalid11 = read_list(base, "1.1")
    # spec-1.0.0/* are the 1.0 spec's own examples; the 1.1 list has the 1.1
    # spec's (spec-1.1.0/*) instead, so they are renamed, not relaxed.
    relaxed = sorted(n for n in set(invalid10) - set(invalid11)
                     if not n.startswith("invalid/spec-1.0.0/"))
    res = list(pool.map(lambda n: check_invalid(tool, base, n, None), invalid10))
    accepted = sorted(n for n, r in zip(invalid10, res) if r and r.startswith("accepted"))
    other = [(n, r) for n, r in zip(invalid10, res) if r and not r.startswith("accepted")]
    print(f"toml-test default (1.1): {len(accepted)} of the 1.0 list's invalid cases "
          f"accepted, {len(relaxed)} expected")
    if accepted != relaxed:
        return [("default version", f"accepted {accepted}, expected {relaxed}")] + other
    return other


def main():
    base = suite_dir()
    tool = idt_test.tool_path()
    tagged_json.selftest()
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        fails = run_list(pool, tool, base, "1.0") + run_list(pool, tool, base, "1.1")
        fails += default_is_11(pool, tool, base)
    for n, r in fails:
        print(f"FAIL {n}: {r}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
