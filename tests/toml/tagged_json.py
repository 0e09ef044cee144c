"""Comparison of toml-test's tagged JSON, for the TOML tests.

toml-test writes every TOML value as {"type": T, "value": TEXT} (T one of
string, integer, float, bool, datetime, datetime-local, date-local,
time-local), tables as JSON objects and arrays as JSON arrays.  Two tagged
documents are compared structurally, and scalars by type and then:

  integer   by value (int())
  float     by value; with strict_floats the sign of zero counts and NaN is
            only ever spelled "nan", else any NaN spelling equals any other
            (as toml-test compares)
  date-times by value: the instant of an offset date-time (so the offset and
            the spelling of the fraction do not matter), the fields of the
            local kinds; fractions of a second to frac_digits digits (9,
            nanoseconds; the tomllib tests use 6, as tomllib truncates to
            microseconds)
  string, bool  exactly (fold_crlf: CRLF in strings reads as LF, for
            documents whose multi-line strings a parser may normalise)

exact=True compares every scalar by its text except finite floats (by value
and the sign of zero), for a form whose spelling is fixed (toml-json's own).
ordered_keys: tables must also list their keys in the same order.

    cmp = tagged_json.Comparator(frac_digits=6, ordered_keys=True, strict_floats=True,
                                 names=("tomllib", "ours"))
    why = cmp.diff(expected, got)   # None, or the first difference and its path
"""
import datetime as dt
import json
import math
import re

SCALARS = {"string", "integer", "float", "bool", "datetime", "datetime-local",
           "date-local", "time-local"}
DATETIMES = {"datetime", "datetime-local", "date-local", "time-local"}
SPECIAL_FLOATS = {"inf", "-inf", "nan"}

DT_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
                   r"([Zz]|[+-]\d{2}:\d{2})?$")
TIME_RE = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def is_tagged(v):
    """Whether v is a tagged scalar (not a table that happens to have keys
    "type" and "value": those hold tagged values, not strings)."""
    return (isinstance(v, dict) and set(v) == {"type", "value"}
            and isinstance(v["type"], str) and isinstance(v["value"], str)
            and v["type"] in SCALARS)


def frac(text, digits):
    """A fraction of a second as an integer count of 10^-digits seconds
    (truncated past `digits` digits)."""
    return int((text or "0")[:digits].ljust(digits, "0"))


def days_from_civil(y, m, d):
    """Days since 1970-01-01 in the proleptic Gregorian calendar."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def datetime_key(kind, text, digits=9):
    """A comparable value for a date-time of the given kind, or None when the
    text is not one of that kind."""
    if kind == "date-local":
        m = DATE_RE.match(text)
        return tuple(map(int, m.groups())) if m else None
    if kind == "time-local":
        m = TIME_RE.match(text)
        return (int(m[1]), int(m[2]), int(m[3]), frac(m[4], digits)) if m else None
    m = DT_RE.match(text)
    if not m or (kind == "datetime") != (m[8] is not None):
        return None
    y, mo, d, h, mi, s = (int(m[i]) for i in range(1, 7))
    f = frac(m[7], digits)
    if kind == "datetime-local":
        return (y, mo, d, h, mi, s, f)
    off = 0
    if m[8] not in ("Z", "z"):
        sign = -1 if m[8][0] == "-" else 1
        off = sign * (int(m[8][1:3]) * 60 + int(m[8][4:6]))
    secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - off * 60
    return (secs, f)


def float_key(text):
    """toml-test's float value: "nan" for any NaN spelling, "inf"/"-inf",
    else the number (so 0.0 equals -0.0)."""
    t = text.lower().lstrip("+")
    if t in ("nan", "-nan"):
        return "nan"
    if t in ("inf", "-inf"):
        return t
    return float(text.replace("_", ""))


def strict_float_equal(x, y):
    """Equal values with the same sign; NaN only as "nan" on both sides."""
    if x == "nan" or y == "nan":
        return x == y
    fx, fy = float(x), float(y)
    return fx == fy and math.copysign(1, fx) == math.copysign(1, fy)


def from_python(v, datetime_text=None, check_integer=None):
    """tomllib's value v in the tagged form.  datetime_text(v) spells a
    date, time or date-time (default: isoformat()); check_integer(i), when
    given, may raise for an integer the caller's TOML refuses."""
    if isinstance(v, dict):
        return {k: from_python(x, datetime_text, check_integer) for k, x in v.items()}
    if isinstance(v, list):
        return [from_python(x, datetime_text, check_integer) for x in v]
    if isinstance(v, bool):
        return {"type": "bool", "value": "true" if v else "false"}
    if isinstance(v, int):
        if check_integer:
            check_integer(v)
        return {"type": "integer", "value": str(v)}
    if isinstance(v, float):
        if math.isnan(v):
            s = "nan"
        elif math.isinf(v):
            s = "inf" if v > 0 else "-inf"
        else:
            s = repr(v)
        return {"type": "float", "value": s}
    if isinstance(v, str):
        return {"type": "string", "value": v}
    text = datetime_text(v) if datetime_text else v.isoformat()
    if isinstance(v, dt.datetime):
        return {"type": "datetime" if v.tzinfo else "datetime-local", "value": text}
    if isinstance(v, dt.date):
        return {"type": "date-local", "value": text}
    if isinstance(v, dt.time):
        return {"type": "time-local", "value": text}
    raise TypeError(type(v))


class Comparator:
    def __init__(self, frac_digits=9, ordered_keys=False, strict_floats=False, exact=False,
                 names=("expected", "got")):
        self.frac_digits = frac_digits
        self.ordered_keys = ordered_keys
        self.strict_floats = strict_floats
        self.exact = exact
        self.want_name, self.got_name = names

    def scalar_equal(self, exp, got, fold_crlf=False):
        """Whether two tagged scalars are equal under these rules."""
        kind, ev, gv = exp["type"], exp["value"], got["value"]
        if got["type"] != kind:
            return False
        try:
            if kind == "float" and not (self.exact and ev in SPECIAL_FLOATS):
                if self.strict_floats or self.exact:
                    return strict_float_equal(ev, gv)
                return float_key(ev) == float_key(gv)
            if self.exact:
                return ev == gv
            if kind == "integer":
                return int(ev) == int(gv)
            if kind in DATETIMES:
                k = datetime_key(kind, ev, self.frac_digits)
                return k is not None and k == datetime_key(kind, gv, self.frac_digits)
        except ValueError:
            return False
        if kind == "string" and fold_crlf:
            return ev.replace("\r\n", "\n") == gv.replace("\r\n", "\n")
        return ev == gv

    def diff(self, exp, got, fold_crlf=False, path="$"):
        """The first difference between the expected and the got document,
        with its path ($, $.key, $[i]), or None when they are equal."""
        w, g = self.want_name, self.got_name
        if is_tagged(exp):
            if not is_tagged(got) or not self.scalar_equal(exp, got, fold_crlf):
                return f"{path}: {w} {json.dumps(exp)}, {g} {json.dumps(got)[:200]}"
            return None
        if isinstance(exp, list):
            if not isinstance(got, list):
                return f"{path}: {w} an array, {g} {json.dumps(got)[:200]}"
            if len(exp) != len(got):
                return f"{path}: {w} {len(exp)} items, {g} {len(got)}"
            for i, (e, x) in enumerate(zip(exp, got)):
                d = self.diff(e, x, fold_crlf, f"{path}[{i}]")
                if d:
                    return d
            return None
        if isinstance(exp, dict):
            if not isinstance(got, dict) or is_tagged(got):
                return f"{path}: {w} a table, {g} {json.dumps(got)[:200]}"
            if self.ordered_keys and list(exp) != list(got):
                return f"{path}: keys (in order): {w} {list(exp)}, {g} {list(got)}"
            if set(exp) != set(got):
                return (f"{path}: keys differ: missing {sorted(set(exp) - set(got))}, "
                        f"extra {sorted(set(got) - set(exp))}")
            for k in exp:
                d = self.diff(exp[k], got[k], fold_crlf, f"{path}.{json.dumps(k)}")
                if d:
                    return d
            return None
        return f"{path}: not tagged JSON in the {w} document: {exp!r}"

    def equal(self, exp, got, fold_crlf=False):
        return self.diff(exp, got, fold_crlf) is None


def selftest():
    """Runs the comparator on pairs whose answers are known, so that a broken
    comparator fails the test that uses it rather than passing everything.
    Raises AssertionError naming the first wrong answer."""
    def tag(t, v):
        return {"type": t, "value": v}

    toml_test = Comparator()
    tomllib = Comparator(frac_digits=6, ordered_keys=True, strict_floats=True)
    exact = Comparator(exact=True, ordered_keys=True)
    odt = "datetime"
    cases = [  # (comparator, expected, got, fold_crlf, equal?)
        (toml_test, tag("integer", "1"), tag("integer", "+1"), False, True),
        (toml_test, tag("integer", "1"), tag("integer", "2"), False, False),
        (toml_test, tag("integer", "1"), tag("float", "1.0"), False, False),
        (toml_test, tag("float", "nan"), tag("float", "-nan"), False, True),
        (toml_test, tag("float", "0.0"), tag("float", "-0.0"), False, True),
        (toml_test, tag("float", "inf"), tag("float", "+inf"), False, True),
        (toml_test, tag("float", "1e2"), tag("float", "100.0"), False, True),
        (toml_test, tag("string", "a"), tag("string", "b"), False, False),
        (toml_test, tag(odt, "1979-05-27T07:32:00Z"), tag(odt, "1979-05-27T00:32:00-07:00"),
         False, True),
        (toml_test, tag(odt, "1979-05-27T07:32:00Z"), tag(odt, "1979-05-27T07:32:01Z"), False,
         False),
        (toml_test, tag(odt, "1979-05-27T07:32:00.5Z"), tag(odt, "1979-05-27 07:32:00.500Z"),
         False, True),
        (toml_test, tag(odt, "1979-05-27T07:32:00.000000001Z"), tag(odt, "1979-05-27T07:32:00Z"),
         False, False),
        (toml_test, tag(odt, "1979-05-27T07:32:00Z"), tag(odt, "1979-05-27T07:32:00"), False,
         False),
        (toml_test, tag("datetime-local", "1979-05-27T07:32:00"),
         tag("datetime-local", "1979-05-27T07:32:00Z"), False, False),
        (toml_test, tag("date-local", "1979-05-27"), tag("date-local", "1979-05-28"), False,
         False),
        (toml_test, tag("time-local", "07:32:00.1"), tag("time-local", "07:32:00.100"), False,
         True),
        (toml_test, {"a": tag("bool", "true"), "b": []}, {"b": [], "a": tag("bool", "true")},
         False, True),
        (toml_test, {"a": tag("bool", "true")}, {"a": tag("bool", "false")}, False, False),
        (toml_test, {"a": tag("bool", "true")}, {"a": tag("bool", "true"), "x": []}, False,
         False),
        (toml_test, [tag("integer", "1")], [tag("integer", "1"), tag("integer", "1")], False,
         False),
        (toml_test, {"a": {}}, {"a": tag("string", "")}, False, False),
        (tomllib, {"a": [], "b": []}, {"b": [], "a": []}, False, False),
        (tomllib, tag("float", "0.0"), tag("float", "-0.0"), False, False),
        (tomllib, tag("float", "nan"), tag("float", "-nan"), False, False),
        (tomllib, tag("float", "nan"), tag("float", "nan"), False, True),
        (tomllib, tag(odt, "1979-05-27T07:32:00.123456+00:00"),
         tag(odt, "1979-05-27T07:32:00.123456789Z"), False, True),
        (tomllib, tag(odt, "1979-05-27T07:32:00.123456Z"), tag(odt, "1979-05-27T07:32:00.123457Z"),
         False, False),
        (tomllib, tag("string", "a\nb"), tag("string", "a\r\nb"), True, True),
        (tomllib, tag("string", "a\nb"), tag("string", "a\r\nb"), False, False),
        (exact, tag("integer", "1"), tag("integer", "+1"), False, False),
        (exact, tag("float", "inf"), tag("float", "+inf"), False, False),
        (exact, tag("float", "0.1"), tag("float", "1e-1"), False, True),
        (exact, tag("float", "-0.0"), tag("float", "0.0"), False, False),
        (exact, tag(odt, "1979-05-27T07:32:00Z"), tag(odt, "1979-05-27T00:32:00-07:00"), False,
         False),
    ]
    for i, (cmp, exp, got, fold, want) in enumerate(cases):
        if cmp.equal(exp, got, fold) != want:
            raise AssertionError("tagged_json self-test %d: %s and %s should %sbe equal"
                                 % (i, json.dumps(exp), json.dumps(got), "" if want else "not "))
