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

Either way a signal or a sanitizer report is a failure.  Exit 77 (skipped) when the
suite is not present; exit 1 unless every case of both lists passes.  The 1.0 list
is also run without --toml, to check that 1.0's invalid cases that are valid 1.1
are exactly the ones the 1.1 list drops.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys

SCALARS = {"string", "integer", "float", "bool", "datetime", "datetime-local",
           "date-local", "time-local"}
DIAG_RE = re.compile(r"^.+:\d+:\d+: error: .+", re.M)
CRASH_RE = re.compile(r"Sanitizer|runtime error:|LeakSanitizer")


def suite_dir():
    shared = os.environ.get("IDT_SHARED", "")
    d = os.path.join(shared, "testdata", "toml-test", "tests")
    return d if shared and os.path.isfile(os.path.join(d, "files-toml-1.0.0")) else None


def run(args, stdin_path=None):
    """Runs the tool; with stdin_path, feeds that file through a pipe."""
    data = None
    if stdin_path:
        with open(stdin_path, "rb") as f:
            data = f.read()
    env = dict(os.environ)
    # Make a sanitizer report impossible to mistake for a clean "exit 1".
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":exitcode=86"
    env["UBSAN_OPTIONS"] = env.get("UBSAN_OPTIONS", "") + ":exitcode=87"
    p = subprocess.run(args, input=data, stdin=None if data is not None else subprocess.DEVNULL,
                       capture_output=True, env=env, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def crashed(rc, err):
    return rc < 0 or rc in (86, 87) or CRASH_RE.search(err) is not None


# --- value comparison, as toml-test does it --------------------------------

def is_tagged(v):
    return (isinstance(v, dict) and set(v) == {"type", "value"}
            and isinstance(v["type"], str) and isinstance(v["value"], str)
            and v["type"] in SCALARS)


DT_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
                   r"([Zz]|[+-]\d{2}:\d{2})?$")
TIME_RE = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def frac_ns(frac):
    """A fraction of a second as nanoseconds (truncated past 9 digits)."""
    return int((frac or "0")[:9].ljust(9, "0"))


def days_from_civil(y, m, d):
    """Days since 1970-01-01 in the proleptic Gregorian calendar."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def datetime_key(kind, text):
    """A comparable value for a date-time of the given toml-test type, or None."""
    if kind == "date-local":
        m = DATE_RE.match(text)
        return tuple(map(int, m.groups())) if m else None
    if kind == "time-local":
        m = TIME_RE.match(text)
        return (int(m[1]), int(m[2]), int(m[3]), frac_ns(m[4])) if m else None
    m = DT_RE.match(text)
    if not m or (kind == "datetime") != (m[8] is not None):
        return None
    y, mo, d, h, mi, s = (int(m[i]) for i in range(1, 7))
    ns = frac_ns(m[7])
    if kind == "datetime-local":
        return (y, mo, d, h, mi, s, ns)
    off = 0
    if m[8] not in ("Z", "z"):
        sign = -1 if m[8][0] == "-" else 1
        off = sign * (int(m[8][1:3]) * 60 + int(m[8][4:6]))
    secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - off * 60
    return (secs, ns)


def float_key(text):
    t = text.lower().lstrip("+")
    if t in ("nan", "-nan"):
        return "nan"
    if t in ("inf", "-inf"):
        return t
    return float(text.replace("_", ""))


def scalar_equal(exp, got):
    kind, ev, gv = exp["type"], exp["value"], got["value"]
    if got["type"] != kind:
        return False
    try:
        if kind == "integer":
            return int(ev) == int(gv)
        if kind == "float":
            return float_key(ev) == float_key(gv)
        if kind in ("datetime", "datetime-local", "date-local", "time-local"):
            k = datetime_key(kind, ev)
            return k is not None and k == datetime_key(kind, gv)
    except ValueError:
        return False
    return ev == gv  # string, bool


def diff(exp, got, path="$"):
    """Returns a description of the first difference, or None."""
    if is_tagged(exp):
        if not is_tagged(got) or not scalar_equal(exp, got):
            return f"{path}: expected {json.dumps(exp)}, got {json.dumps(got)}"
        return None
    if isinstance(exp, list):
        if not isinstance(got, list):
            return f"{path}: expected an array, got {json.dumps(got)[:80]}"
        if len(exp) != len(got):
            return f"{path}: expected {len(exp)} items, got {len(got)}"
        for i, (e, g) in enumerate(zip(exp, got)):
            d = diff(e, g, f"{path}[{i}]")
            if d:
                return d
        return None
    if isinstance(exp, dict):
        if not isinstance(got, dict) or is_tagged(got):
            return f"{path}: expected a table, got {json.dumps(got)[:80]}"
        if set(exp) != set(got):
            return (f"{path}: keys differ: missing {sorted(set(exp) - set(got))}, "
                    f"extra {sorted(set(got) - set(exp))}")
        for k in exp:
            d = diff(exp[k], got[k], f"{path}.{json.dumps(k)}")
            if d:
                return d
        return None
    return f"{path}: unexpected JSON in the expectation: {exp!r}"


def untag(v):
    """The plain JSON that toml-json prints for a tagged value."""
    if is_tagged(v):
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
    if crashed(rc, err):
        return f"crashed (exit {rc}): {err.strip()[:600]}"
    if rc != 0:
        return f"rejected (exit {rc}): {err.strip()[:300]}"
    try:
        got = json.loads(out)
    except ValueError as e:
        return f"output is not JSON ({e}): {out[:200]!r}"
    d = diff(expected, got)
    if d:
        return d
    rc, out, err = run([tool, "toml-json", "--toml", version, "-"], stdin_path=path)  # stdin, plain
    if crashed(rc, err) or rc != 0:
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
    if crashed(rc, err):
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
    tool = os.environ.get("INITDATA")
    if not base:
        print("toml-test suite not found under $IDT_SHARED: skipped")
        return 77
    if not tool:
        print("INITDATA is not set", file=sys.stderr)
        return 2
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        fails = run_list(pool, tool, base, "1.0") + run_list(pool, tool, base, "1.1")
        fails += default_is_11(pool, tool, base)
    for n, r in fails:
        print(f"FAIL {n}: {r}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
