#!/usr/bin/env python3
"""`initdata toml-json`: the command line, the JSON it prints, and its errors.

Oracles: Python's tomllib for the values and json for the syntax.  The JSON must be
valid UTF-8 JSON whose values, converted back, equal tomllib's (plain form: date-times
as RFC 3339 strings, inf/nan as strings; tagged form: toml-test's), with keys in
document order.  Also: -o FILE, standard input, --compact, --help, exit statuses 0/1/2/3,
and diagnostics with file:line:col, the source line and a caret.
"""
import datetime as dt
import json
import math
import os
import sys
import tempfile
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402
import tagged_json  # noqa: E402

T = idt_test.Test("toml-json cli")
check = T.check
# toml-json's tagged form is spelled one way: every scalar as tagged() writes
# it, but finite floats by value (and the sign of zero); keys in order.
COMPARE = tagged_json.Comparator(exact=True, ordered_keys=True, names=("tomllib", "ours"))


def run(args, stdin=b""):
    """toml-json ARGS on stdin; a crash is a failure of its own."""
    rc, out, err = T.tool(["toml-json"] + args, stdin, timeout=60)
    return rc, out, err.decode("utf-8", "replace")


def dt_text(v):
    """The RFC 3339 text toml-json documents for a tomllib date-time value."""
    if isinstance(v, dt.datetime):
        s = v.strftime("%Y-%m-%dT%H:%M:%S")
        if v.microsecond:
            s += (".%06d" % v.microsecond).rstrip("0")
        if v.tzinfo is not None:
            off = v.utcoffset()
            mins = int(off.total_seconds()) // 60
            s += "Z" if mins == 0 else "%s%02d:%02d" % ("+" if mins > 0 else "-",
                                                       abs(mins) // 60, abs(mins) % 60)
        return s
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d")
    s = v.strftime("%H:%M:%S")
    if v.microsecond:
        s += (".%06d" % v.microsecond).rstrip("0")
    return s


def plain(v):
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return dt_text(v)
    return v


def tagged(v):
    """The tagged JSON toml-json documents for a tomllib value."""
    return tagged_json.from_python(v, datetime_text=dt_text)


def same(a, b):
    """Equal, with floats by value (and the sign of zero), and key order."""
    if isinstance(a, float) or isinstance(b, float):
        return (isinstance(a, float) and isinstance(b, float) and a == b
                and math.copysign(1, a) == math.copysign(1, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return a == b


DOCS = [
    # key order, nesting, arrays of tables, inline tables, dotted keys
    'z = 1\na = 2\nm.y = 3\nm.b = 4\n[t]\nk = [1, 2]\n[[aot]]\nx = 1\n[[aot]]\n'
    '[aot.sub]\ny = {q = 1, p = [{}, {r = "s"}]}\n[t.inner]\n',
    # strings: NUL, every control character, DEL, quotes, backslash, unicode, U+2028
    'a = "' + "".join("\\u%04x" % c for c in list(range(0x20)) + [0x7f]) + '"\n'
    'b = "q\\"b\\\\s/\\u00e9\\U0001F600\\u2028\\u2029\\uFFFF\\U0010FFFF"\n'
    '"key\\u0000with\\nnul" = \'lit \\ "q"\'\nc = """\nml\n  "x" \\\n  y"""\n',
    # numbers
    'i = [0, -0, 9223372036854775807, -9223372036854775808, 0xff, 0o17, 0b101]\n'
    'f = [1.0, -0.0, 0.1, 1e300, 5e-324, 1.7976931348623157e308, 123456789.125, inf, -inf, nan]\n'
    'g = 3.0e2\nh = -2E-2\n',
    # booleans and the four date-times
    'b = [true, false]\nodt = 1979-05-27T07:32:00Z\nodt2 = 1979-05-27 00:32:00.5-07:00\n'
    'odt3 = 1979-05-27T00:32:00.999999+05:30\nldt = 1979-05-27T07:32:00.25\nld = 1979-05-27\n'
    'lt = 07:32:00.5\nlt2 = 23:59:59\n',
    # empty things
    'a = []\nb = {}\n[c]\n[d.e]\n',
    '',
]


def test_values():
    for i, doc in enumerate(DOCS):
        want = tomllib.loads(doc)
        rc, out, err = run(["-"], doc.encode())
        if not check(rc == 0, f"doc {i}: plain exit {rc}: {err}"):
            continue
        text = out.decode("utf-8")  # must be UTF-8
        check(all(ord(c) >= 0x20 or c == "\n" for c in text), f"doc {i}: raw control character")
        got = json.loads(text)
        check(same(got, plain(want)), f"doc {i}: plain JSON differs:\n{got}\n{plain(want)}")
        # Floats stay floats: "1.0", never "1".
        if "f = [" in doc:
            check(all(isinstance(x, (float, str)) for x in got["f"]), f"doc {i}: float as int")
        rc, out, err = run(["--tagged", "-"], doc.encode())
        check(rc == 0, f"doc {i}: tagged exit {rc}: {err}")
        got = json.loads(out.decode("utf-8"))
        d = COMPARE.diff(tagged(want), got)
        check(d is None, f"doc {i}: tagged JSON differs: {d}\n{got}\n{tagged(want)}")
        rc, out, _ = run(["--compact", "--tagged"], doc.encode())
        check(rc == 0 and out.count(b"\n") == 1 and out.endswith(b"\n"),
              f"doc {i}: --compact is not one line")


def test_float_round_trip():
    import random
    r = random.Random(7)
    vals = [r.uniform(-1e6, 1e6) for _ in range(200)] + \
           [r.random() * 10 ** r.randint(-300, 300) for _ in range(200)]
    doc = "f = [" + ", ".join(repr(v) for v in vals) + "]\n"
    rc, out, err = run(["--tagged", "-"], doc.encode())
    check(rc == 0, f"floats: exit {rc}: {err}")
    got = [float(x["value"]) for x in json.loads(out)["f"]]
    check(got == vals, "floats do not round-trip through the tagged form")
    rc, out, err = run(["-"], doc.encode())
    check(json.loads(out)["f"] == vals, "floats do not round-trip through plain JSON")


def test_files_and_streams():
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "doc.toml")
        dst = os.path.join(d, "out.json")
        with open(src, "w") as f:
            f.write(DOCS[0])
        rc, stdout_json, _ = run([src])
        check(rc == 0, "reading a file")
        rc, out2, _ = run([], DOCS[0].encode())
        check(rc == 0 and out2 == stdout_json, "no FILE reads standard input")
        rc, out, err = run(["-o", dst, src])
        check(rc == 0 and out == b"", f"-o: exit {rc}, stdout {out[:40]!r}: {err}")
        with open(dst, "rb") as f:
            check(f.read() == stdout_json, "-o FILE holds the same JSON")
        check(sorted(os.listdir(d)) == ["doc.toml", "out.json"], "-o left a temporary file")

        # Invalid input: exit 1, diagnostic with the source line and a caret, no output.
        bad = os.path.join(d, "bad.toml")
        with open(bad, "w") as f:
            f.write('a = 1\nurl = "x"\nurl = "y"\n')
        rc, out, err = run(["-o", os.path.join(d, "never.json"), bad])
        check(rc == 1, f"invalid input: exit {rc}")
        check(out == b"", "invalid input: nothing on stdout")
        check(err.startswith(bad + ":3:1: error: duplicate key"), f"diagnostic: {err!r}")
        check('    3 | url = "y"\n      | ^\n' in err, f"source line and caret: {err!r}")
        check(not os.path.exists(os.path.join(d, "never.json")), "-o written despite an error")
        rc, out, err = run(["-"], b"a = [1,\n  2\n  3]\n")
        check(rc == 1 and err.startswith("<stdin>:3:3: error:"), f"stdin diagnostic: {err!r}")

        # Environment and usage errors.
        rc, _, err = run([os.path.join(d, "missing.toml")])
        check(rc == 3, f"missing file: exit {rc} ({err.strip()})")
        rc, _, _ = run(["--no-such-option"])
        check(rc == 2, f"unknown option: exit {rc}")
        rc, _, _ = run([src, src])
        check(rc == 2, f"two files: exit {rc}")
        rc, _, _ = run(["-o", os.path.join(d, "no", "such", "dir.json"), src])
        check(rc == 3, f"unwritable output: exit {rc}")


def test_help_and_limits():
    rc, out, _ = run(["--help"])
    text = out.decode()
    check(rc == 0 and "--tagged" in text and "Examples:" in text and "toml-json" in text,
          "--help lists the options and examples")
    ok = "a = " + "[" * 128 + "]" * 128 + "\n"
    rc, _, err = run(["-"], ok.encode())
    check(rc == 0, f"128 levels: exit {rc}: {err}")
    deep = "a = " + "[" * 129 + "]" * 129 + "\n"
    rc, out, err = run(["-"], deep.encode())
    check(rc == 1 and "1:133: error: nesting deeper than 128" in err, f"129 levels: {rc} {err!r}")
    rc, _, _ = run(["-"], b"a = \"\xed\xa0\x80\"\n")
    check(rc == 1, "a surrogate in UTF-8 is rejected")


def main():
    idt_test.tool_path()  # exit 2 when INITDATA is not set
    tagged_json.selftest()
    test_values()
    test_float_round_trip()
    test_files_and_streams()
    test_help_and_limits()
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
