#!/usr/bin/env python3
"""Differential test of the TOML parser against Python's tomllib (Python >= 3.11).

Generates random TOML documents, runs each through tomllib (the oracle) and through
the library (tests/tools/toml_batch.c, one process for all documents), and checks that
both accept the same documents and decode them to the same typed values.

Environment:
  IDT_TOOL_toml_batch  the helper program (set by ctest)
  IDT_DIFF_SEED        the random seed (default 20240611); "random" picks one and prints it
  IDT_DIFF_N           how many documents (default 10000)

About half of the documents are valid: every value kind, nested and implicit tables,
arrays of tables with sub-tables, dotted keys, inline tables, all four string kinds with
every escape, non-ASCII text, LF and CRLF line ends, comments and whitespace everywhere
the grammar allows it, integers in all four bases, floats in every form, all four
date-time kinds.  The rest are one mutation away from a valid document: a duplicate key,
a redefined table, a table that extends a dotted-key or inline table, a bad escape, a raw
control character or malformed UTF-8, an out-of-range integer, an impossible date, an
unterminated string, TOML 1.1-only syntax (\\e, \\xHH, newlines and trailing commas in
inline tables, times without seconds), bad number spellings, or a random byte edit.

Where tomllib (tomli 2.0.1 in CPython 3.11) departs from TOML 1.0, the test corrects
the oracle or does not generate the input class:
  - Integers: tomllib accepts any size; TOML 1.0 requires an error outside the 64-bit
    signed range.  A document whose tomllib value has such an integer is expected to
    be rejected.
  - Fractional seconds: tomllib truncates them to microseconds (datetime's precision);
    the library keeps nanoseconds.  Date-times are compared at microsecond precision.
  - Year 0000: tomllib rejects it (Python's datetime starts at year 1); RFC 3339, and
    so TOML 1.0, allow it.  Not generated.
  - Second 60 (a leap second): RFC 3339 allows it, tomllib rejects it, and TOML 1.0 is
    silent on what a parser must do with it.  Not generated.
  - Floats that overflow binary64 (1e400): tomllib gives inf; TOML 1.0 does not say.
    Not generated.
  - A UTF-8 byte order mark at the start: tomllib rejects it, toml-test's TOML 1.0 suite
    (valid/utf8-bom-*) accepts it.  Not generated.
  - Newlines inside multi-line strings: TOML 1.0 lets a parser normalise them, and
    tomllib turns CRLF into LF.  Strings are compared with CRLF folded to LF when the
    document has a CRLF (escaped "\\r\\n" is generated only in LF documents).
Output: `differential: N documents, M valid, K invalid, D disagreements`, then the first
few disagreements with their documents.  Exit status 1 if D > 0.

test_differential_11.py (TOML 1.1) imports this module: its generator (Gen, whose
inline_layout() it overrides), oracle(), judge(), run_batches() and seed_from_env().
"""
import json
import os
import random
import re
import string
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402
import tagged_json  # noqa: E402

try:
    import tomllib
except ImportError:  # Python < 3.11
    idt_test.skip("differential", "tomllib is not available (needs Python 3.11)")

INT_MIN, INT_MAX = -(1 << 63), (1 << 63) - 1
BARE_RE = re.compile(r"^[A-Za-z0-9_-]+$")
MAX_DEPTH = 4
CHUNK = 20000


# ============================================================================
# Valid documents
# ============================================================================

class Table:
    """A table in the model of the document being generated.

    kind: root, explicit ([header]), implicit (parent of a header), dotted (made
    by a dotted key; `section` is the section that made it), inline, aot-item.
    """

    def __init__(self, kind, section=None):
        self.kind = kind
        self.section = section
        self.children = {}  # decoded name -> Table, AOT or "value"


class AOT:
    def __init__(self):
        self.items = []


NAME_POOL = ["a", "b", "c", "key", "name", "url", "x-y", "_under", "-dash", "0", "123",
             "true", "false", "inf", "nan", "1.5", "a b", "a.b", "é", "ключ", "キー",
             "😀", "tab\there", "quote\"d", "apo's", "back\\slash", "", "nul\0byte",
             "line\nbreak", "del\x7f", "\u2028", "ü-ber", "Z", "zz_9"]


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.crlf = False

    # --- small pieces -------------------------------------------------------

    def chance(self, p):
        return self.r.random() < p

    def nl(self):
        return "\r\n" if self.crlf else "\n"

    def ws(self, allow_empty=True):
        opts = [" ", " ", "\t", "  ", " \t "] + (["", "", ""] if allow_empty else [])
        return self.r.choice(opts)

    def comment_text(self):
        chars = string.ascii_letters + string.digits + " \t#\"'=[]{}.,\\" + "éß€😀ключ"
        return "".join(self.r.choice(chars) for _ in range(self.r.randint(0, 12)))

    def trailer(self):
        """What may follow a statement on its line."""
        t = self.ws()
        if self.chance(0.25):
            t += "#" + self.comment_text()
        return t

    def fresh_name(self, table_children):
        for _ in range(50):
            if self.chance(0.6):
                name = self.r.choice(NAME_POOL)
            else:
                name = "k" + "".join(self.r.choice("abcxyz_-019") for _ in range(self.r.randint(1, 6)))
            if name not in table_children:
                return name
        return "unique_%d" % self.r.randint(0, 1 << 30)

    def unicode_char(self):
        return self.r.choice(["é", "ß", "€", "中", "😀", "\U0010FFFF", "\uFFFD", "\uFFFE",
                              "\u00A0", "\u2028", "\uE000", "\U0001F600", "ά", "\u0301"])

    def random_text(self, allow_control=True):
        n = self.r.choice([0, 1, 2, 5, 10, 30])
        out = []
        for _ in range(n):
            k = self.r.random()
            if k < 0.55:
                out.append(self.r.choice(string.ascii_letters + string.digits + " _-.,:/=#[]{}"))
            elif k < 0.7:
                out.append(self.unicode_char())
            elif k < 0.8:
                out.append(self.r.choice("\"'\\"))
            elif k < 0.9 and allow_control:
                out.append(self.r.choice("\t\n\r\b\f\x00\x01\x1f\x7f"))
            else:
                out.append(self.r.choice(" \t\n"))
        return "".join(out)

    # --- keys ---------------------------------------------------------------

    def basic_escape(self, ch, in_multiline=False):
        """The spelling of one character inside a basic string."""
        short = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r",
                 '"': '\\"', "\\": "\\\\"}
        cp = ord(ch)
        must = ch in '"\\' or cp < 0x20 or cp == 0x7F
        if ch == "\t" and self.chance(0.5):
            return ch  # a raw tab is allowed in every string
        if in_multiline and ch == "\n" and self.chance(0.7):
            return self.nl()
        if in_multiline and ch == '"' and self.chance(0.5):
            return ch  # callers keep runs of raw quotes short
        if not must and not self.chance(0.1):
            return ch
        if ch in short and self.chance(0.7):
            return short[ch]
        if cp > 0xFFFF or self.chance(0.3):
            return ("\\U%08X" if self.chance(0.5) else "\\U%08x") % cp
        return ("\\u%04X" if self.chance(0.5) else "\\u%04x") % cp

    def basic_string(self, s):
        return '"' + "".join(self.basic_escape(c) for c in s) + '"'

    def literal_ok(self, s, multiline=False):
        for c in s:
            cp = ord(c)
            if (cp < 0x20 and c != "\t" and not (multiline and c == "\n")) or cp == 0x7F:
                return False
        return multiline or "'" not in s

    def key_part(self, name):
        if BARE_RE.match(name) and self.chance(0.7):
            return name
        if self.literal_ok(name) and self.chance(0.4):
            return "'" + name + "'"
        return self.basic_string(name)

    def key_path(self, names):
        parts = [self.key_part(n) for n in names]
        out = parts[0]
        for p in parts[1:]:
            out += (self.ws() + "." + self.ws() if self.chance(0.2) else ".") + p
        return out

    # --- strings --------------------------------------------------------------

    def ml_basic(self, s):
        out, quotes = [], 0
        for c in s:
            # A line-ending backslash eats the whitespace up to the next other
            # character, so it may go where the next character is not whitespace.
            if c not in " \t\n" and self.chance(0.05):
                out.append("\\" + self.ws() + self.nl() + self.ws())
                quotes = 0
            piece = self.basic_escape(c, in_multiline=True)
            if piece == '"':
                quotes += 1
                if quotes == 3:  # three raw quotes would end the string
                    piece, quotes = '\\"', 0
            else:
                quotes = 0
            out.append(piece)
        body = "".join(out)
        lead = self.nl() if (self.chance(0.4) or body.startswith(("\n", "\r\n"))) else ""
        return '"""' + lead + body + '"""'

    def ml_literal(self, s):
        if "'''" in s:
            return None
        body = s.replace("\n", self.nl())
        lead = self.nl() if (self.chance(0.4) or s.startswith("\n")) else ""
        return "'''" + lead + body + "'''"

    def string_value(self):
        s = self.random_text()
        if self.crlf:
            s = s.replace("\r", "")  # see the note on CRLF in the docstring
        kind = self.r.random()
        if kind < 0.25 and self.literal_ok(s):
            return "'" + s + "'"
        if kind < 0.5 and self.literal_ok(s, multiline=True):
            v = self.ml_literal(s)
            if v:
                return v
        if kind < 0.75:
            return self.ml_basic(s)
        return self.basic_string(s)

    # --- numbers and dates ------------------------------------------------------

    def underscored(self, digits):
        out = digits[0]
        for d in digits[1:]:
            out += ("_" if self.chance(0.15) else "") + d
        return out

    def integer(self):
        k = self.r.random()
        if k < 0.1:
            return self.r.choice(["0", "+0", "-0", "9223372036854775807", "-9223372036854775808",
                                  "+9223372036854775807", "0x7FFFFFFFFFFFFFFF", "0x7fffffffffffffff",
                                  "0o777777777777777777777", "0x0", "0o0", "0b0", "1_000", "0xdead_BEEF",
                                  "0b1" + "0" * 62])
        mag = self.r.choice([9, 99, 10 ** 6, 10 ** 12, INT_MAX])
        v = self.r.randint(0, mag)
        if k < 0.7:
            sign = self.r.choice(["", "", "+", "-"])
            return sign + self.underscored(str(v))
        if k < 0.8:
            digits = "%x" % v
            digits = "".join(c.upper() if self.chance(0.5) else c for c in digits)
            return "0x" + self.underscored(digits)
        if k < 0.9:
            return "0o" + self.underscored("%o" % v)
        return "0b" + self.underscored(format(v, "b"))

    def float_(self):
        k = self.r.random()
        if k < 0.15:
            return self.r.choice(["inf", "+inf", "-inf", "nan", "+nan", "-nan", "0.0", "-0.0",
                                  "+0.0", "0e0", "-0E-0", "1e+05", "1E5", "6.626e-34",
                                  "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308",
                                  "3.141_592_653", "1_000.000_1", "9_007_199_254_740_993.0",
                                  "0.1", "1e-7", "123456789.123456789e-3"])
        sign = self.r.choice(["", "", "+", "-"])
        ip = str(self.r.choice([0, 1, 7, 42, 1000, self.r.randint(0, 10 ** 9)]))
        frac = "".join(self.r.choice(string.digits) for _ in range(self.r.randint(1, 17)))
        exp = self.r.choice(["e", "E"]) + self.r.choice(["", "+", "-"]) + str(self.r.randint(0, 300))
        form = self.r.random()
        if form < 0.4:
            body = self.underscored(ip) + "." + self.underscored(frac)
        elif form < 0.7:
            body = self.underscored(ip) + exp
        else:
            body = self.underscored(ip) + "." + self.underscored(frac) + exp
        return sign + body

    def date(self):
        y = self.r.choice([1, 1600, 1900, 1970, 1999, 2000, 2024, 9999, self.r.randint(1, 9999)])
        m = self.r.randint(1, 12)
        mdays = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30,
                 31, 31, 30, 31, 30, 31][m - 1]
        d = self.r.choice([1, mdays, self.r.randint(1, mdays)])
        return "%04d-%02d-%02d" % (y, m, d)

    def time(self):
        t = "%02d:%02d:%02d" % (self.r.randint(0, 23), self.r.randint(0, 59), self.r.randint(0, 59))
        if self.chance(0.4):
            t += "." + "".join(self.r.choice(string.digits) for _ in range(self.r.randint(1, 9)))
        return t

    def offset(self):
        if self.chance(0.4):
            return self.r.choice(["Z", "z"])
        return "%s%02d:%02d" % (self.r.choice("+-"), self.r.randint(0, 23), self.r.randint(0, 59))

    def datetime_(self):
        k = self.r.random()
        sep = self.r.choice(["T", "T", "t", " "])
        if k < 0.35:
            return self.date() + sep + self.time() + self.offset()
        if k < 0.6:
            return self.date() + sep + self.time()
        if k < 0.8:
            return self.date()
        return self.time()

    # --- compound values ----------------------------------------------------------

    def array(self, depth):
        n = self.r.choice([0, 1, 2, 3, 5])
        items = [self.value(depth + 1) for _ in range(n)]
        multiline = self.chance(0.3)
        out = "["
        for i, it in enumerate(items):
            if multiline:
                out += self.nl() + self.ws()
                if self.chance(0.2):
                    out += "#" + self.comment_text() + self.nl() + self.ws()
            else:
                out += self.ws()
            out += it + self.ws()
            if i + 1 < len(items) or (items and self.chance(0.3)):
                out += ","
        if multiline:
            out += self.nl()
        return out + self.ws() + "]"

    def inline_table(self, depth):
        t = Table("inline")
        pairs = [self.keyval(t, depth + 1, None) for _ in range(self.r.choice([0, 1, 2, 3]))]
        return self.inline_layout(pairs)

    def inline_layout(self, pairs):
        """An inline table's text around its `key = value` pairs (TOML 1.0: one line)."""
        if not pairs:
            return "{" + self.ws() + "}"
        return "{" + self.ws() + ("," + self.ws()).join(p + self.ws() for p in pairs) + "}"

    def value(self, depth=0):
        kinds = ["string", "integer", "float", "bool", "datetime"]
        if depth < MAX_DEPTH:
            kinds += ["array", "inline"]
        k = self.r.choice(kinds)
        if k == "string":
            return self.string_value()
        if k == "integer":
            return self.integer()
        if k == "float":
            return self.float_()
        if k == "bool":
            return self.r.choice(["true", "false"])
        if k == "datetime":
            return self.datetime_()
        if k == "array":
            return self.array(depth)
        return self.inline_table(depth)

    # --- statements ---------------------------------------------------------------

    def keyval(self, table, depth, section):
        """A `key = value` for `table`, recorded in the model."""
        names = []
        cur = table
        # Dotted keys: walk tables made by dotted keys in this section, or make new ones.
        while self.chance(0.25) and len(names) < 3:
            reuse = [n for n, c in cur.children.items()
                     if isinstance(c, Table) and c.kind == "dotted" and c.section is section]
            if reuse and self.chance(0.6):
                name = self.r.choice(reuse)
            else:
                name = self.fresh_name(cur.children)
                cur.children[name] = Table("dotted", section)
            names.append(name)
            cur = cur.children[name]
        leaf = self.fresh_name(cur.children)
        cur.children[leaf] = "value"
        names.append(leaf)
        return self.key_path(names) + self.ws() + "=" + self.ws() + self.value(depth)

    def header_path(self, root, aot):
        """Picks a path for a [table] or [[array]] header that is valid in the model,
        and records it.  Returns (names, table) or None."""
        names, cur = [], root
        for _ in range(self.r.randint(0, 3)):
            subs = [n for n, c in cur.children.items()
                    if isinstance(c, AOT) or (isinstance(c, Table) and c.kind != "inline")]
            if not subs or not self.chance(0.6):
                break
            name = self.r.choice(subs)
            names.append(name)
            c = cur.children[name]
            cur = c.items[-1] if isinstance(c, AOT) else c
        # Optionally an implicit parent on the way.
        if self.chance(0.2):
            name = self.fresh_name(cur.children)
            cur.children[name] = Table("implicit")
            names.append(name)
            cur = cur.children[name]
        if aot:
            existing = [n for n, c in cur.children.items() if isinstance(c, AOT)]
            if existing and self.chance(0.4):
                name = self.r.choice(existing)
            else:
                name = self.fresh_name(cur.children)
                cur.children[name] = AOT()
            item = Table("aot-item")
            cur.children[name].items.append(item)
            return names + [name], item
        implicit = [n for n, c in cur.children.items() if isinstance(c, Table) and c.kind == "implicit"]
        if implicit and self.chance(0.5):
            name = self.r.choice(implicit)
            cur.children[name].kind = "explicit"
            return names + [name], cur.children[name]
        name = self.fresh_name(cur.children)
        cur.children[name] = Table("explicit")
        return names + [name], cur.children[name]

    def blank_or_comment(self):
        return self.ws() + ("#" + self.comment_text() if self.chance(0.5) else "")

    def document(self):
        """A valid document as a list of lines (without line ends)."""
        self.crlf = self.chance(0.2)
        root = Table("root")
        lines = []
        section = object()
        for _ in range(self.r.randint(0, 5)):
            lines.append(self.ws() + self.keyval(root, 0, section) + self.trailer())
            if self.chance(0.15):
                lines.append(self.blank_or_comment())
        for _ in range(self.r.randint(0, 5)):
            aot = self.chance(0.3)
            names, table = self.header_path(root, aot)
            key = self.key_path(names)
            head = ("[[" + self.ws() + key + self.ws() + "]]") if aot else \
                   ("[" + self.ws() + key + self.ws() + "]")
            lines.append(self.ws() + head + self.trailer())
            section = object()
            for _ in range(self.r.randint(0, 4)):
                lines.append(self.ws() + self.keyval(table, 0, section) + self.trailer())
        return lines

    def join(self, lines):
        text = self.nl().join(lines)
        return text + (self.nl() if self.chance(0.8) else "")


# ============================================================================
# Invalid documents: one mutation of a valid one
# ============================================================================

BAD_VALUES = [
    # escapes that TOML 1.0 does not have (\e and \xHH are TOML 1.1)
    '"\\e"', '"a\\x41"', '"\\q"', '"\\u12"', '"\\uD800"', '"\\uDFFF"', '"\\U00110000"',
    '"\\U0000D800"', '"""\\e"""', '"\\ "', '"\\\n"',
    # unterminated strings
    '"abc', "'abc", '"""abc', "'''abc", '"abc\n"', "'abc\n'", '"""a""""""',
    # out-of-range integers
    "9223372036854775808", "-9223372036854775809", "0x8000000000000000",
    "0xFFFFFFFFFFFFFFFF", "0o1000000000000000000000", "0b1" + "0" * 63, "99999999999999999999",
    # impossible dates and times
    "2023-02-29", "1900-02-29", "2100-02-29", "2023-02-30", "2024-04-31", "2024-13-01",
    "2024-00-10", "2024-01-00", "2024-01-32", "1979-05-27T24:00:00", "1979-05-27T23:60:00",
    "1979-05-27T23:59:61", "1979-05-27T07:32:00+24:00", "1979-05-27T07:32:00+01:60",
    "25:00:00", "12:60:00", "1979-05-27T07:32:00.", "1979-5-27", "1979-05-7", "979-05-27",
    "1979-05-27T7:32:00", "1979-05-27T07:32:00+1:00", "1979-05-27T07:32:00+01", "1979-05-27X07:32:00",
    # TOML 1.1 only: times without seconds, newlines and trailing commas in inline tables
    "07:32", "1979-05-27T07:32", "1979-05-27 07:32Z", "1979-05-27T07:32+01:00",
    "{a = 1,}", "{a = 1,\nb = 2}", "{\n}", "{a = 1\n}", "{\na = 1}",
    # bad numbers
    "01", "00", "-01", "+0x1", "-0x1", "0X1", "0B1", "0O7", "0x", "0b2", "0o8", "0xG",
    "1__0", "_1", "1_", "0x_1", "0x1_", "1.", ".1", "1.e5", "1e", "1e_5", "1_.5", "1._5",
    "1.5_", "+-1", "--1", "1e5.5", "inf_", "nan1", "infinity", "NaN", "Inf", "+ 1", "0.0.0",
    "00.1", "1,000",
    # bad keywords and structure
    "True", "FALSE", "tru", "[1,,2]", "[,]", "[1 2]", "[", "{a = 1", "{a = 1 b = 2}",
    "{a.b = 1, a = 2}", "{a = 1, a = 2}", "", "= 1",
]

BAD_LINES = [
    "= 1", "a", "a =", "a = 1 b = 2", "a.=1", ".a = 1", "a. = 1", "a..b = 1", "[]", "[[]]",
    "[a", "[[a]", "[a]]", "[ [a] ]", "[a] b = 1", "[a.]", "[.a]", "a = 1 # x\x01", "a = 1 # \x7f",
    "'a' 'b' = 1", "\"a\"b = 1", "a b = 1", "\x0ba = 1", "[a]\n[a]", "[[a]]\n[a]",
    "a = []\n[[a]]", "a = {}\n[a]", "a = {}\n[a.b]", "a = {b = 1}\na.c = 2", "a.b = 1\n[a]",
    "a.b = 1\n[a.b]", "[a.b]\nc = 1\n[a]\nb.d = 1", "[a]\nb = 1\n[a.b]", "a = 1\na = 2",
    "a = 1\n\"a\" = 2", "a = 1\n'a' = 2", "\"\\u0061\" = 1\na = 2", "a = [{}]\n[[a]]",
]


class Mutator:
    def __init__(self, rng, gen):
        self.r = rng
        self.g = gen

    def kv_lines(self, lines):
        return [i for i, l in enumerate(lines) if "=" in l and not l.lstrip().startswith(("[", "#"))]

    def bad_value(self, lines):
        idx = self.kv_lines(lines)
        bad = self.r.choice(BAD_VALUES).replace("\n", self.g.nl())
        if not idx:
            return lines + ["k = " + bad]
        i = self.r.choice(idx)
        key = lines[i].split("=", 1)[0]
        # Only well-formed keys: splitting a quoted key at an "=" would be a second bug.
        if key.count('"') % 2 or key.count("'") % 2:
            return lines + ["k = " + bad]
        return lines[:i] + [key + "= " + bad] + lines[i + 1:]

    def bad_line(self, lines):
        i = self.r.randint(0, len(lines))
        return lines[:i] + self.r.choice(BAD_LINES).split("\n") + lines[i:]

    def bad_line_at_top(self, lines):
        # Before any header, so that the line is in the root table.
        first = next((i for i, l in enumerate(lines) if l.lstrip().startswith("[")), len(lines))
        return lines[:first] + self.r.choice(BAD_LINES).split("\n") + lines[first:]

    def duplicate_line(self, lines):
        if not lines:
            return ["a = 1", "a = 2"]
        i = self.r.randrange(len(lines))
        j = self.r.randint(i + 1, len(lines))
        # Duplicate within the same section: before the next header.
        nxt = next((k for k in range(i + 1, len(lines)) if lines[k].lstrip().startswith("[")), len(lines))
        j = min(j, nxt) if not lines[i].lstrip().startswith("[") else j
        return lines[:j] + [lines[i]] + lines[j:]

    def control_char(self, lines):
        if not lines:
            lines = ['a = "x"']
        i = self.r.randrange(len(lines))
        l = lines[i]
        pos = self.r.randint(0, len(l))
        c = self.r.choice(["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\r"])
        return lines[:i] + [l[:pos] + c + l[pos:]] + lines[i + 1:]

    def byte_edit(self, text):
        b = bytearray(text.encode("utf-8"))
        pos = self.r.randint(0, len(b))
        op = self.r.random()
        if op < 0.3 and b:
            del b[min(pos, len(b) - 1)]
        elif op < 0.6:
            b[pos:pos] = self.r.choice([b"\"", b"'", b"=", b"[", b"]", b"{", b"}", b",", b".",
                                         b"#", b"\n", b" ", b"\\", b"_", b"0", b"e", b"\r"])
        elif op < 0.8:
            # Malformed UTF-8: overlong, surrogate, past U+10FFFF, stray or cut-short bytes.
            b[pos:pos] = self.r.choice([b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\x80", b"\xed\xa0\x80",
                                         b"\xed\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80",
                                         b"\x80", b"\xbf", b"\xe2\x82", b"\xf0\x9f\x98", b"\xff", b"\xfe"])
        elif b:
            i = min(pos, len(b) - 1)
            b[i:i + 1] = bytes([b[i]]) * 2
        return bytes(b)

    def mutate(self, lines):
        """Returns the bytes of a (probably) invalid document."""
        k = self.r.random()
        if k < 0.3:
            lines = self.bad_value(lines)
        elif k < 0.45:
            lines = self.bad_line(lines)
        elif k < 0.55:
            lines = self.bad_line_at_top(lines)
        elif k < 0.7:
            lines = self.duplicate_line(lines)
        elif k < 0.8:
            lines = self.control_char(lines)
        else:
            return self.byte_edit(self.g.join(lines))
        return self.g.join(lines).encode("utf-8")


# ============================================================================
# The oracle, and comparison in toml-test's tagged form
# ============================================================================

class Reject(Exception):
    pass


def in_range(i):
    if not INT_MIN <= i <= INT_MAX:
        raise Reject("integer out of the 64-bit range")


def tag(v):
    """tomllib's value in toml-test's tagged form (date-times as isoformat()
    spells them); Reject for an integer TOML 1.0 refuses."""
    return tagged_json.from_python(v, check_integer=in_range)


def oracle(data):
    """("ok", tagged value) or ("err", reason)."""
    try:
        text = data.decode("utf-8")  # strict: TOML text must be UTF-8
    except UnicodeDecodeError as e:
        return "err", "not UTF-8: %s" % e
    try:
        return "ok", tag(tomllib.loads(text))
    except tomllib.TOMLDecodeError as e:
        return "err", str(e)
    except Reject as e:
        return "err", str(e)


# tomllib truncates fractions of a second to microseconds: compare there.
# Floats keep the sign of zero; tables their key order (tomllib's is the
# document's, as ours).
COMPARE = tagged_json.Comparator(frac_digits=6, ordered_keys=True, strict_floats=True,
                                 names=("tomllib", "ours"))


# ============================================================================

def run_batch(tool, docs, spec):
    """One toml_batch process reading every document as TOML `spec` ("1.0" or "1.1")."""
    frames = b"".join(b"%d\n%s" % (len(d), d) for d in docs)
    p = subprocess.run([tool, "--toml", spec], input=frames, capture_output=True,
                       env=idt_test.sanitizer_env(), timeout=1500)
    lines = p.stdout.decode("utf-8", "replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return p.returncode, lines, p.stderr.decode("utf-8", "replace")


def run_batches(tool, docs, spec):
    """toml_batch's line for each document.  Batches of CHUNK documents keep memory
    flat for long runs; a crash names the document it happened on ("FAIL ..."), and
    the rest of its batch is "SKIP"."""
    lines = []
    for start in range(0, len(docs), CHUNK):
        part = docs[start:start + CHUNK]
        rc, out, err = run_batch(tool, part, spec)
        if rc != 0 or len(out) != len(part):
            done = min(len(out), len(part) - 1)
            out = out[:done] + ["FAIL toml_batch exited %d on this document: %s"
                                % (rc, err.strip()[-1500:])] + ["SKIP"] * (len(part) - done - 1)
        lines += out
    return lines


def judge(kind, want, line, crlf):
    """Compares toml_batch's line with the oracle's ("ok", tagged) or ("err", reason).
    Returns None when they agree, else what differs; "SKIP" lines agree."""
    if line == "SKIP":  # after a crash in the same batch
        return None
    if line.startswith("FAIL"):
        return line
    if line.startswith("ERR"):
        return "tomllib accepts, ours rejects: %s" % line[4:] if kind == "ok" else None
    if kind == "err":
        return "tomllib rejects (%s), ours accepts: %s" % (want, line[:200])
    try:
        got = json.loads(line)
    except ValueError as e:
        return "ours printed bad JSON (%s): %s" % (e, line[:200])
    d = COMPARE.diff(want, got, fold_crlf=crlf)
    return "values differ: " + d if d else None


def seed_from_env(var, default):
    """The seed in $var (default `default`); "random" picks one."""
    text = os.environ.get(var, default)
    return random.SystemRandom().randrange(1 << 32) if text == "random" else int(text)


def main():
    tool = os.environ.get("IDT_TOOL_toml_batch")
    if not tool:
        print("IDT_TOOL_toml_batch is not set", file=sys.stderr)
        return 2
    tagged_json.selftest()
    seed = seed_from_env("IDT_DIFF_SEED", "20240611")
    n = int(os.environ.get("IDT_DIFF_N", "10000"))
    print("differential: seed %d (IDT_DIFF_SEED=%d reproduces this run)" % (seed, seed))
    rng = random.Random(seed)
    gen = Gen(rng)
    mut = Mutator(rng, gen)
    docs = []
    for _ in range(n):
        lines = gen.document()
        docs.append(gen.join(lines).encode("utf-8") if rng.random() < 0.5 else mut.mutate(lines))

    # tomllib reads TOML 1.0, so the library does too here (the 1.1 syntax the
    # mutator writes must be rejected); test_differential_11.py covers 1.1.
    lines = run_batches(tool, docs, "1.0")
    disagreements = []
    nvalid = ninvalid = 0
    for i, (doc, line) in enumerate(zip(docs, lines)):
        kind, want = oracle(doc)
        if kind == "ok":
            nvalid += 1
        else:
            ninvalid += 1
        what = judge(kind, want, line, b"\r\n" in doc)
        if what:
            disagreements.append((i, what))
    print("differential: %d documents, %d valid, %d invalid, %d disagreements"
          % (len(docs), nvalid, ninvalid, len(disagreements)))
    for i, what in disagreements[:8]:
        print("\n--- document %d: %s" % (i, what))
        print(repr(docs[i])[:1500] if i < len(docs) else "")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
