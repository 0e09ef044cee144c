#!/usr/bin/env python3
"""Differential test of the JSON reader (lib/util/json_read.h) against Python's json.

Generates random JSON texts, runs each through Python (the oracle) and through the
library (tests/tools/json_batch.c, one process for all texts, which re-emits what it
read as compact JSON), and checks that both accept the same texts and read them to
the same values (json.loads of our re-emission == json.loads of the text, types
compared too, so that true is not 1 and 1 is not 1.0).

About half of the texts are valid: nested objects and arrays (duplicate keys
included), strings with every short escape, \\u escapes in both cases of hex,
surrogate pairs, raw UTF-8 of every length, numbers in every form of the grammar
(-0, exponents with and without signs, long integers), literals, and the four white
space characters wherever the grammar allows them.  The rest are mutations of a
valid text: a byte deleted, inserted, replaced or duplicated, a truncation, or a
targeted edit (a bad number spelling, a trailing comma, a raw control character,
an invalid or unpaired surrogate escape, malformed UTF-8, a byte order mark,
comments, single quotes, NaN and Infinity, text after the value).  A mutation that
happens to stay valid is compared as a valid text.

The oracle is RFC 8259 as Python reads it, corrected where Python extends it:
  - the text must be UTF-8: it is decoded strictly first (json.loads on bytes
    would also take UTF-16/32, a BOM, and encoded surrogates);
  - NaN, Infinity and -Infinity are rejected (parse_constant raises);
  - a \\u escape of an unpaired surrogate (Python keeps it as a lone surrogate in
    the str) is rejected: RFC 8259 strings are Unicode scalar values, and the
    reader requires a high surrogate escape to be followed by a low one.
When the text is not UTF-8, the reader must also say IDT_EFORMAT at the offset
where Python's strict decoder stops (UnicodeDecodeError.start), and only then.

Also run: every JSON file of $IDT_SHARED/testdata/k8s/api-testdata (the API
server's fixtures), when the shared test data is there.

Environment:
  IDT_TOOL_json_batch  the helper program (set by ctest)
  IDT_DIFF_SEED        the random seed (default 20261208); "random" picks one and prints it
  IDT_DIFF_N           how many generated texts (default 3000)

Output: `json differential: N documents, V valid, I invalid, D disagreements`, then
the first few disagreements with their texts.  Exit status 1 if D > 0.
"""
import glob
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402

MAX_DEPTH = 6
WS = [" ", "\t", "\n", "\r"]
KEY_POOL = ["a", "b", "kind", "apiVersion", "metadata", "name", "", "é", "ключ", "😀",
            "a b", "quote\"d", "back\\slash", "nul\0byte", "line\nbreak", "\u2028", "\x7f",
            "\uffff", "x" * 40]


class Gen:
    def __init__(self, rng):
        self.r = rng

    def chance(self, p):
        return self.r.random() < p

    def ws(self):
        if self.chance(0.7):
            return ""
        return "".join(self.r.choice(WS) for _ in range(self.r.randint(1, 3)))

    # --- strings ------------------------------------------------------------

    def char(self):
        k = self.r.random()
        if k < 0.55:
            return chr(self.r.randint(0x20, 0x7e))
        if k < 0.65:
            return chr(self.r.randint(0, 0x1f))
        if k < 0.72:
            return self.r.choice('"\\/')
        if k < 0.82:
            return chr(self.r.randint(0x80, 0x7ff))
        if k < 0.92:
            c = self.r.randint(0x800, 0xfffd)
            return chr(c) if not 0xd800 <= c <= 0xdfff else "\u20ac"
        return chr(self.r.randint(0x10000, 0x10ffff))

    def escape(self, ch):
        """One spelling of ch in a JSON string body: raw when JSON allows it,
        its short escape, or \\uXXXX (a surrogate pair above U+FFFF)."""
        c = ord(ch)
        short = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f",
                 "\n": "\\n", "\r": "\\r", "\t": "\\t"}
        must = c < 0x20 or ch in '"\\'
        k = self.r.random()
        if ch in short and (k < 0.7 if must else k < 0.15):
            return short[ch]
        if must or k < 0.3:
            hexfmt = "\\u%04x" if self.chance(0.5) else "\\u%04X"
            if c >= 0x10000:
                v = c - 0x10000
                return hexfmt % (0xd800 + (v >> 10)) + hexfmt % (0xdc00 + (v & 0x3ff))
            return hexfmt % c
        return ch

    def string_value(self):
        n = self.r.choice([0, 1, 2, 3, 5, 8, 13, 30])
        return "".join(self.char() for _ in range(n))

    def string(self, s=None):
        if s is None:
            s = self.string_value()
        return '"' + "".join(self.escape(ch) for ch in s) + '"'

    # --- numbers ------------------------------------------------------------

    def number(self):
        sign = "-" if self.chance(0.3) else ""
        k = self.r.random()
        if k < 0.15:
            intpart = "0"
        elif k < 0.85:
            intpart = str(self.r.randint(1, 10 ** self.r.randint(1, 9)))
        else:
            intpart = str(self.r.randint(1, 9)) + "".join(
                self.r.choice("0123456789") for _ in range(self.r.randint(10, 40)))
        frac = ""
        if self.chance(0.35):
            frac = "." + "".join(self.r.choice("0123456789") for _ in range(self.r.randint(1, 8)))
        exp = ""
        if self.chance(0.25):
            exp = self.r.choice("eE") + self.r.choice(["", "+", "-"]) + str(
                self.r.randint(0, 400))
            if self.chance(0.2):
                exp = exp[:2] + "0" + exp[2:] if exp[1] in "+-" else exp[:1] + "0" + exp[1:]
        return sign + intpart + frac + exp

    # --- values -------------------------------------------------------------

    def value(self, depth):
        k = self.r.random()
        if depth < MAX_DEPTH and k < 0.22:
            return self.obj(depth + 1)
        if depth < MAX_DEPTH and k < 0.40:
            return self.arr(depth + 1)
        if k < 0.65:
            return self.string()
        if k < 0.88:
            return self.number()
        return self.r.choice(["true", "false", "null"])

    def key(self):
        return self.string(self.r.choice(KEY_POOL) if self.chance(0.5) else None)

    def obj(self, depth):
        n = self.r.choice([0, 1, 2, 3, 4, 6])
        keys = [self.key() for _ in range(n)]
        if n >= 2 and self.chance(0.3):  # a duplicate, spelled the same or not
            i = self.r.randrange(n)
            keys.append(keys[i] if self.chance(0.5) else self.string(json.loads(keys[i])))
        parts = [self.ws() + k + self.ws() + ":" + self.ws() + self.value(depth) + self.ws()
                 for k in keys]
        return "{" + (",".join(parts) if parts else self.ws()) + "}"

    def arr(self, depth):
        n = self.r.choice([0, 1, 2, 3, 5])
        parts = [self.ws() + self.value(depth) + self.ws() for _ in range(n)]
        return "[" + (",".join(parts) if parts else self.ws()) + "]"

    def document(self):
        top = self.r.random()
        if top < 0.45:
            v = self.obj(1)
        elif top < 0.75:
            v = self.arr(1)
        else:
            v = self.value(MAX_DEPTH)  # a scalar
        return (self.ws() + v + self.ws()).encode("utf-8")

    # --- mutations ------------------------------------------------------------

    INSERTS = [b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"0", b"-", b".", b"e", b"+",
               b" ", b"\x00", b"\x1f", b"\x7f", b"\x0b", b"\x0c", b"\xc3", b"\x80", b"\xff",
               b"n", b"t", b"u", b"/", b"'"]
    TARGETED = [b"NaN", b"Infinity", b"-Infinity", b"01", b"1.", b".5", b"-", b"+1", b"1e",
                b"1.e3", b"0x1F", b"nul", b"True", b"undefined", b"[1,]", b'{"a":1,}', b"[,]",
                b"'s'", b"/* c */", b"// c\n", b"\xef\xbb\xbf", b"\xc0\x80", b"\xed\xa0\x80",
                b"\xf4\x90\x80\x80", b"\xe2\x82", b"\xf0\x9f\x98", b"\xc2\xa0", b"\xe2\x80\xa8"]
    IN_STRING = [b"\\ud800", b"\\udc00", b"\\uDBFF\\u0041", b"\\ud83d\\ud83d", b"\\x41", b"\\a",
                 b"\\u12", b"\\u12G4", b"\\U0001F600", b"\\'", b"\x01", b"\n", b"\t",
                 b"\\ud83d\\ude00", b"\\uD834\\uDD1E", b"\\u0000", b"\\\\", b"\\/"]

    def mutate(self, doc):
        r = self.r
        k = r.randrange(9)
        n = len(doc)
        p = r.randint(0, n)
        if k == 0 and n:
            p = r.randrange(n)
            return doc[:p] + doc[p + 1:]
        if k == 1:
            return doc[:p] + r.choice(self.INSERTS) + doc[p:]
        if k == 2 and n:
            p = r.randrange(n)
            return doc[:p] + r.choice(self.INSERTS) + doc[p + 1:]
        if k == 3 and n:
            q = r.randint(p, min(n, p + 8))
            return doc[:q] + doc[p:q] + doc[q:]
        if k == 4 and n:
            return doc[:r.randrange(n)]
        if k in (5, 6):
            quotes = [i for i, b in enumerate(doc) if b == 0x22]
            if quotes:
                q = r.choice(quotes) + 1
                return doc[:q] + r.choice(self.IN_STRING) + doc[q:]
        if k == 7:
            t = r.choice(self.TARGETED)
            return t + doc if r.random() < 0.3 else doc + t if r.random() < 0.3 else \
                doc[:p] + t + doc[p:]
        # A value replaced by a targeted spelling.
        return doc[:p] + r.choice(self.TARGETED) + doc[min(n, p + r.randint(1, 4)):]


# ============================================================================
# The oracle
# ============================================================================

def _reject_constant(name):
    raise ValueError("RFC 8259 has no " + name)


def has_surrogate(v):
    if isinstance(v, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in v)
    if isinstance(v, list):
        return any(has_surrogate(x) for x in v)
    if isinstance(v, dict):
        return any(has_surrogate(k) or has_surrogate(x) for k, x in v.items())
    return False


def _pairs(pairs):
    # Every member, before a later duplicate replaces it: a lone surrogate
    # in a member that loses to a duplicate is still in the text.
    for k, v in pairs:
        if has_surrogate(k) or has_surrogate(v):
            raise ValueError("an unpaired surrogate escape")
    return dict(pairs)


def loads(text):
    return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_pairs)


def oracle(doc):
    """("ok", value) or ("err", reason, utf8_error_offset or None)."""
    try:
        text = doc.decode("utf-8")
    except UnicodeDecodeError as e:
        return ("err", "not UTF-8: " + e.reason, e.start)
    try:
        v = loads(text)
    except RecursionError:
        return ("err", "too deep for Python", None)
    except ValueError as e:  # JSONDecodeError is one
        return ("err", str(e), None)
    if has_surrogate(v):
        return ("err", "an unpaired surrogate escape", None)
    return ("ok", v)


def same(a, b):
    """Values equal, with types (bool is not int, int is not float)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and a != a:
        return b != b
    return a == b


def run_batch(tool, docs):
    """json_batch's line for each document (bytes); a crash ends the list early."""
    frames = b"".join(b"%d\n%s" % (len(d), d) for d in docs)
    rc, out, err = idt_test.run([tool], stdin=frames, timeout=600)
    lines = out.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return rc, err, lines


def judge(want, line):
    """None when json_batch's line agrees with the oracle, else what differs."""
    if line.startswith(b"FAIL"):
        return line.decode("utf-8", "replace")
    if line.startswith(b"ERR "):
        parts = line[4:].split(b" ", 3)
        status = parts[0].decode()
        offset = int(parts[2].rstrip(b":"))
        if want[0] == "ok":
            return "Python accepts, ours rejects: %s" % line[4:].decode("utf-8", "replace")
        utf8_at = want[2]
        if utf8_at is not None and (status != "EFORMAT" or offset != utf8_at):
            return "not UTF-8 at byte %d (%s); ours says %s" % (
                utf8_at, want[1], line[4:].decode("utf-8", "replace"))
        if utf8_at is None and status == "EFORMAT":
            return "UTF-8 is fine, ours says EFORMAT: %s" % line[4:].decode("utf-8", "replace")
        return None
    if not line.startswith(b"OK "):
        return "unexpected line: %r" % line[:200]
    if want[0] == "err":
        return "Python rejects (%s), ours accepts: %s" % (
            want[1], line[3:200].decode("utf-8", "replace"))
    try:
        got = loads(line[3:].decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        return "ours re-emitted bad JSON (%s): %r" % (e, line[:200])
    if not same(want[1], got):
        return "values differ: ours %s" % line[3:300].decode("utf-8", "replace")
    return None


def main():
    t = idt_test.Test("json differential")
    tool = os.environ.get("IDT_TOOL_json_batch")
    if not tool:
        print("IDT_TOOL_json_batch is not set (ctest sets it; by hand: "
              "IDT_TOOL_json_batch=build/tests/json_batch)", file=sys.stderr)
        return 2
    seed_text = os.environ.get("IDT_DIFF_SEED", "20261208")
    seed = random.SystemRandom().randrange(1 << 32) if seed_text == "random" else int(seed_text)
    count = int(os.environ.get("IDT_DIFF_N", "3000"))
    print("json differential: seed %d (IDT_DIFF_SEED=%d reproduces it)" % (seed, seed))
    rng = random.Random(seed)
    g = Gen(rng)

    docs = []
    names = []
    for i in range(count):
        d = g.document()
        if rng.random() < 0.5:
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                d = g.mutate(d)
        docs.append(d)
        names.append("generated #%d" % i)
    api = idt_test.shared("testdata", "k8s", "api-testdata", optional=True)
    fixtures = sorted(glob.glob(os.path.join(api, "*.json"))) if api else []
    if api:
        t.check(len(fixtures) >= 10, "at least 10 JSON fixtures in %s" % api)
    for f in fixtures:
        with open(f, "rb") as fh:
            docs.append(fh.read())
        names.append(os.path.basename(f))

    rc, err, lines = run_batch(tool, docs)
    t.check(rc == 0 and not idt_test.crashed(rc, err),
            "json_batch exits 0 (exit %d): %s" % (rc, err.decode("utf-8", "replace")[-1500:]))
    t.check(len(lines) == len(docs), "one line per document (%d lines, %d documents)"
            % (len(lines), len(docs)))

    valid = invalid = 0
    bad = []
    fixtures_ok = 0
    for i, d in enumerate(docs):
        want = oracle(d)
        if want[0] == "ok":
            valid += 1
        else:
            invalid += 1
        line = lines[i] if i < len(lines) else b"FAIL (no line: json_batch stopped)"
        why = judge(want, line)
        if why:
            bad.append((names[i], d, why))
        elif i >= count:
            fixtures_ok += 1
            t.check(want[0] == "ok", "%s is valid JSON" % names[i])
    print("json differential: %d documents, %d valid, %d invalid, %d disagreements"
          % (len(docs), valid, invalid, len(bad)))
    if fixtures:
        print("json differential: %d of %d k8s API fixtures agree" % (fixtures_ok, len(fixtures)))
    for name, d, why in bad[:10]:
        t.fail("%s: %s\n    document: %r" % (name, why, d[:300]))
    t.check(not bad, "no disagreements")
    t.check(valid > count // 4 and invalid > count // 4,
            "both kinds are generated (%d valid, %d invalid)" % (valid, invalid))
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
