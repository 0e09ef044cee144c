#!/usr/bin/env python3
"""Differential test of the TOML 1.1 reader, with Python's tomllib (TOML 1.0) as the oracle.

tomllib cannot read TOML 1.1, so every generated document is written twice: a TOML 1.1
spelling that uses 1.1-only syntax at random places, and the equivalent TOML 1.0
spelling, which tomllib reads.  The generator is test_differential.py's (imported, with
its tagged-JSON oracle and comparison); a subclass turns some of the places it writes
into "spots" that have both spellings:
  - a character U+0000..U+00FF in a basic string or quoted key: 1.1 `\\e` (U+001B) or
    `\\xHH` (both cases; ASCII, 0x00, C1 controls and Latin-1 above 0x7F are all
    generated); 1.0 `\\u00HH` or `\\U000000HH`;
  - a time whose seconds are 0, alone or in a local or offset date-time (any of the
    separators T, t and space): 1.1 `07:32`; 1.0 `07:32:00`;
  - an inline table (at the top, in arrays, in inline tables): 1.1 over several lines
    (LF or CRLF, as the document), comments and blank lines wherever
    ws-comment-newline may go, and/or a trailing comma; 1.0 on one line.
Each document draws how often its spots use the 1.1 spelling (never, rarely, ..., always),
so some documents have no 1.1 syntax and many have exactly one construct.  The generator
records which spots use 1.1 syntax (and checks that a spot's spellings differ exactly then).

Checks for each valid document (toml_batch reads all documents in one process per version):
  (a) tomllib accepts the 1.0 spelling; its value is the oracle.  As a check of the
      generator's record, tomllib must reject the 1.1 spelling when it uses 1.1 syntax;
  (b) `--toml 1.1` reads the 1.1 spelling to the oracle's value;
  (c) `--toml 1.1` reads the 1.0 spelling to the oracle's value;
  (d) `--toml 1.0` reads the 1.0 spelling to the oracle's value and rejects the 1.1
      spelling when it uses 1.1 syntax, at its first 1.1 construct (the error's line:col
      lies in that spot, or for a time in its date-time: a rejection for another reason
      would be a bug too).
Values are compared as in test_differential.py (tests/toml/tagged_json.py: date-times to
the microsecond, CRLF in multi-line strings folded); its notes on where tomllib departs
from TOML apply here.

Invalid documents (N/10): a valid document with one spot replaced by a broken 1.1-style
spelling; the other spots use their 1.1 spelling in half of them and their 1.0 spelling
in the rest.  Both `--toml 1.1` and `--toml 1.0` must reject each; `--toml 1.1` at or
after the start of the broken spot (for a time: of its date-time, as the error may be
reported at the date or the 'T'), since what comes before it is a prefix of a valid
document; and so must `--toml 1.0` when the rest is 1.0.  tomllib is no oracle here
(it rejects all 1.1 syntax, right or wrong).  The classes, and why each is invalid in
TOML 1.1 (in 1.0, `\\x`, newlines and commas that 1.1 allows are already errors):
  escapes   `\\x4q` (one hex digit: \\xHH takes exactly two), `\\xZZ`/`\\xg0` (not hex),
            `\\X41` and `\\E` (escapes are case-sensitive: only `\\x` and `\\e` exist);
  times     `07:3` and `7:32` (HH and MM are two digits), `07:32.5` (a fraction needs
            seconds: time-secfrac follows time-second only), `07:32:` and `07:32:5`
            (a seconds colon needs two digits), `24:00` and `23:60` (the seconds-less
            form still has the hour and minute ranges);
  inline    `{,}` (a separator needs a key/value before it), `{,a=1}`, `{a=1,,}` and
            `{a=1,,b=2}` (one separator between/after pairs), a newline between the key
            and `=`, between `=` and the value, or inside a dotted key (keyval-sep and
            dotted keys allow only spaces and tabs), pairs separated by a newline
            instead of a comma (a newline is whitespace, not a separator), a comment that
            swallows the closing brace (a newline follows it, so the rest of the document
            reads the same and one `{` stays open), a lone CR as the newline (newline is
            LF or CRLF), a control character in a comment inside the table (comments
            follow the same rules there), and a key defined twice on separate lines
            (inline tables still forbid duplicate keys).

Environment: IDT_TOOL_toml_batch (set by ctest); IDT_DIFF11_N documents (default 5000);
IDT_DIFF11_SEED (default 20250110; "random" picks one and prints it).  Documents are made,
run and checked in rounds of test_differential.CHUNK / 2, so long runs keep memory flat.
Output: how many documents had each 1.1 construct (when N >= 1000, a check that each
appears, and each but a comment, which brings a newline, as some document's only 1.1
spot, so that (d) sees it alone), the first few disagreements
with their documents, then `differential-1.1: X passed, Y failed` (documents: a document
fails if any of its checks does) and, last,
`differential-1.1: N documents, K with 1.1 syntax, M invalid, D disagreements`
(D counts failed checks).  Exit status 1 on a disagreement or a coverage gap, 77 when
tomllib is missing.
"""
import collections
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402

try:
    import tomllib  # noqa: F401  (test_differential uses it; checked here to skip cleanly)
except ImportError:  # Python < 3.11
    idt_test.skip("differential-1.1", "tomllib is not available (needs Python 3.11)")

import test_differential as td  # noqa: E402

# A spot in generated text: noncharacters the generator never writes.
SPOT_RE = re.compile("\ufdd0([0-9]+)\ufdd1")
ERR_RE = re.compile(r"^ERR ([0-9]+):([0-9]+): ")
HEX = "0123456789abcdefABCDEF"
NONHEX = "gGqzZ_-. ,é"
# Text that makes \\xHH and \\e spots likely: controls, C1 controls, Latin-1.
LATIN1 = ["\x1b", "\x1b", "\x1b", "\x1b", "\x00", "\x01", "\x7f", "\x80", "\x85", "\x9f", "\xa0", "\xa9",
          "\xc0", "\xe9", "\xf7", "\xff", "A", "~"]


class Spot:
    """A place with a TOML 1.0 and a TOML 1.1 spelling (which may hold other spots).

    family: "escape", "time" or "inline"; features: the 1.1 constructs the 1.1
    spelling uses (empty when both spellings are the same)."""

    def __init__(self, family, v10, v11, features, depth=0):
        self.family, self.v10, self.v11 = family, v10, v11
        self.features = frozenset(features)
        self.depth = depth
        self.anchor = None  # the spot whose start is where an error here may be reported
        if bool(self.features) != (v10 != v11):
            raise AssertionError("spot spellings %r / %r do not match features %s"
                                 % (v10, v11, sorted(self.features)))


class Gen11(td.Gen):
    """test_differential's generator, writing spots where TOML 1.1 has other spellings."""

    def document(self):
        self.spots = []
        self.p11 = self.r.choice([0.0, 0.03, 0.1, 0.1, 0.3, 0.6, 1.0])
        self.stack = []  # the enclosing arrays and inline tables
        return super().document()

    def spot(self, family, v10, v11, features, depth=0):
        self.spots.append(Spot(family, v10, v11, features, depth))
        return "\ufdd0%d\ufdd1" % (len(self.spots) - 1)

    def use11(self):
        return self.chance(self.p11)

    # --- \e and \xHH --------------------------------------------------------

    def unicode_char(self):
        return self.r.choice(LATIN1) if self.chance(0.4) else super().unicode_char()

    def basic_escape(self, ch, in_multiline=False):
        cp = ord(ch)
        if cp > 0xFF or not self.chance(1.0 if cp == 0x1B else 0.4 if cp < 0x20 or cp >= 0x7F
                                        else 0.06):
            return super().basic_escape(ch, in_multiline)
        v10 = self.r.choice(["\\u%04X", "\\u%04x", "\\U%08X"]) % cp
        if not self.use11():
            return self.spot("escape", v10, v10, ())
        if cp == 0x1B and self.chance(0.75):
            return self.spot("escape", v10, "\\e", {"\\e"})
        v11 = ("\\x%02X" if self.chance(0.5) else "\\x%02x") % cp
        what = "\\x00" if cp == 0 else "\\xHH > 7F" if cp > 0x7F else "\\xHH <= 7F"
        return self.spot("escape", v10, v11, {what})

    # --- times without seconds ------------------------------------------------

    def time(self):
        if not self.chance(0.4):
            return super().time()
        hm = "%02d:%02d" % (self.r.randint(0, 23), self.r.randint(0, 59))
        if self.use11():
            return self.spot("time", hm + ":00", hm, {"HH:MM"})
        return self.spot("time", hm + ":00", hm + ":00", ())

    def datetime_(self):
        s = super().datetime_()
        m = SPOT_RE.search(s)
        if not m:
            return s
        sp = self.spots[int(m[1])]
        if sp.features:  # name the construct by where the time is
            where = ("local time" if m.start() == 0 else
                     "local date-time" if m.end() == len(s) else "offset date-time")
            sp.features = frozenset({"HH:MM in " + where})
        # A parser may report a bad time in a date-time at the date or the 'T': the
        # whole value is a spot (the same in both spellings) that anchors the time's.
        sp.anchor = len(self.spots)
        return self.spot("date-time", s, s, ())

    # --- inline tables over several lines -------------------------------------------

    def value(self, depth=0):
        # More inline tables and date-times than the base mix: they hold the 1.1 spots.
        if depth < td.MAX_DEPTH and self.chance(0.12):
            return self.inline_table(depth)
        if self.chance(0.06):
            return self.datetime_()
        return super().value(depth)

    def array(self, depth):
        self.stack.append(("array", depth))
        try:
            return super().array(depth)
        finally:
            self.stack.pop()

    def inline_table(self, depth):
        self.stack.append(("inline table", depth))
        try:
            return super().inline_table(depth)
        finally:
            self.stack.pop()

    def wcn(self, features):
        """TOML 1.1's ws-comment-newline: whitespace, comments and newlines."""
        out = self.ws()
        for _ in range(self.r.choice([0, 0, 1, 1, 2])):
            if self.chance(0.4):
                out += "#" + self.comment_text()
                features.add("comment in inline table")
            out += self.nl() + self.ws()
            features.add("newline in inline table")
        return out

    def inline_layout(self, pairs):
        v10 = super().inline_layout(pairs)
        depth = self.stack[-1][1]
        where = self.stack[-2][0] if len(self.stack) > 1 else "key/value"
        if not self.use11():
            return self.spot("inline", v10, v10, (), depth)
        features = set()
        trailing = bool(pairs) and self.chance(0.4)
        if trailing:
            features.add("trailing comma in inline table")
        gaps = [self.wcn(features) for _ in range(2 * len(pairs) + 1)]
        if not features:  # a layout with no 1.1 syntax after all: add a newline
            i = self.r.randrange(len(gaps))
            gaps[i] += self.nl() + self.ws()
            features.add("newline in inline table")
        out = "{" + gaps[0]
        for i, p in enumerate(pairs):
            out += p + gaps[2 * i + 1]
            if i + 1 < len(pairs) or trailing:
                out += ","
            out += gaps[2 * i + 2]
        features.add("1.1 inline table in " + where)
        return self.spot("inline", v10, out + "}", features, depth)

    # --- broken spots (invalid documents) -------------------------------------------

    def broken(self, sp):
        """A broken TOML 1.1-style spelling for spot `sp`, and its class."""
        r = self.r
        hx = lambda: r.choice(HEX)  # noqa: E731
        if sp.family == "escape":
            return r.choice([
                ("\\x one hex digit", "\\x" + hx() + r.choice(NONHEX)),
                ("\\x not hex", "\\x" + r.choice(["ZZ", "g0", "0g", " 4", "-1", "+1"])),
                ("\\X upper case", "\\X" + hx() + hx()),
                ("\\E upper case", "\\E"),
            ])
        if sp.family == "time":
            h, m = r.randint(0, 23), r.randint(0, 59)
            return r.choice([
                ("time HH:M", "%02d:%d" % (h, m % 10)),
                ("time H:MM", "%d:%02d" % (h % 10, m)),
                ("time HH:MM.frac", "%02d:%02d.%d" % (h, m, r.randint(0, 999))),
                ("time HH:MM:", "%02d:%02d:" % (h, m)),
                ("time HH:MM:S", "%02d:%02d:%d" % (h, m, r.randint(0, 9))),
                ("time 24:MM", "24:%02d" % m),
                ("time HH:60", "%02d:60" % h),
            ])
        # An inline table: fresh pairs at the spot's depth, laid out wrongly.
        depth = sp.depth
        t = td.Table("inline")
        pair = lambda: self.keyval(t, depth + 1, None)  # noqa: E731
        gap = lambda: self.wcn(set())  # noqa: E731
        key = lambda: self.key_part(self.fresh_name(t.children))  # noqa: E731
        kind = r.randrange(11)
        if kind == 0:
            return "inline {,}", "{" + gap() + "," + gap() + "}"
        if kind == 1:
            return "inline {,a=1}", "{" + gap() + "," + gap() + pair() + gap() + "}"
        if kind == 2:
            ps = [pair() for _ in range(r.randint(1, 3))]
            i = r.randrange(len(ps))  # the doubled comma: after pair i
            out = "{" + gap()
            for j, p in enumerate(ps):
                out += p + gap() + ("," + gap() + "," if j == i else "," if j + 1 < len(ps) else "")
            return "inline double comma", out + gap() + "}"
        if kind == 3:
            return ("inline newline before =",
                    "{" + gap() + key() + self.ws() + self.nl() + self.ws() + "=" + self.ws()
                    + self.value(depth + 1) + gap() + "}")
        if kind == 4:
            return ("inline newline after =",
                    "{" + gap() + key() + self.ws() + "=" + self.ws() + self.nl() + self.ws()
                    + self.value(depth + 1) + gap() + "}")
        if kind == 5:
            dot = r.choice(["." + self.ws() + self.nl(), self.nl() + self.ws() + "."])
            return ("inline newline in dotted key",
                    "{" + gap() + key() + dot + self.ws() + key() + " = " + self.value(depth + 1)
                    + gap() + "}")
        if kind == 6:
            return ("inline newline for comma",
                    "{" + gap() + pair() + self.ws() + self.nl() + self.ws() + pair() + gap() + "}")
        if kind == 7:
            return ("inline comment swallows }",
                    "{" + gap() + pair() + self.ws() + "#" + self.comment_text() + "}" + self.nl())
        if kind == 8:
            return "inline lone CR", "{" + self.ws() + "\r" + self.ws() + pair() + gap() + "}"
        if kind == 9:
            c = r.choice(["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"])
            return ("inline control char in comment",
                    "{" + self.ws() + "#" + self.comment_text() + c + self.nl() + gap() + "}")
        name = self.fresh_name(t.children)
        return ("inline duplicate key",
                "{" + gap() + self.key_part(name) + " = " + self.value(depth + 1) + ","
                + self.nl() + self.ws() + self.key_part(name) + " = " + self.value(depth + 1)
                + gap() + "}")

    # --- the two spellings ------------------------------------------------------------

    def render(self, text, v11, override=None):
        """The text with every spot spelled as TOML 1.1 (v11) or 1.0, `override`
        ({spot: text}) taking precedence.  Returns (text, [(start, end, spot id)]), the
        spans in characters, in order of their starts."""
        out, spans = [], []
        length = [0]

        def walk(s):
            pos = 0
            for m in SPOT_RE.finditer(s):
                out.append(s[pos:m.start()])
                length[0] += m.start() - pos
                sid = int(m[1])
                start = length[0]
                sp = self.spots[sid]
                walk(override[sid] if override and sid in override else sp.v11 if v11 else sp.v10)
                spans.append((start, length[0], sid))
                pos = m.end()
            out.append(s[pos:])
            length[0] += len(s) - pos

        walk(text)
        spans.sort()
        text = "".join(out)
        if "\ufdd0" in text or "\ufdd1" in text:
            raise AssertionError("a spot was left in %r" % text)
        return text, spans


def line_col(text, offset):
    """The 1-based line and byte column of character `offset` (as the library counts)."""
    before = text[:offset].encode("utf-8")
    nl = before.rfind(b"\n")
    return before.count(b"\n") + 1, len(before) - nl


def err_pos(line):
    m = ERR_RE.match(line)
    return (int(m[1]), int(m[2])) if m else None


class Case:
    __slots__ = ("v10", "v11", "features", "first11", "bad", "bad_class", "bad_at", "ctx10")


def make_valid(gen):
    c = Case()
    text = gen.join(gen.document())
    t10, _ = gen.render(text, False)
    t11, spans = gen.render(text, True)
    c.v10, c.v11 = t10.encode("utf-8"), t11.encode("utf-8")
    c.features = [gen.spots[sid].features for _, _, sid in spans if gen.spots[sid].features]
    starts = {sid: s for s, _, sid in spans}
    first = next(((starts.get(gen.spots[sid].anchor, s), e) for s, e, sid in spans
                  if gen.spots[sid].features), None)
    c.first11 = (line_col(t11, first[0]), line_col(t11, first[1])) if first else None
    c.bad = None
    return c


def make_invalid(gen):
    family = gen.r.choice(["escape", "time", "inline"])
    for _ in range(50):
        text = gen.join(gen.document())
        ctx10 = gen.chance(0.5)
        _, spans = gen.render(text, not ctx10)
        targets = [sid for _, _, sid in spans if gen.spots[sid].family == family]
        if targets:
            break
    else:
        raise AssertionError("no %s spot in 50 documents" % family)
    sid = gen.r.choice(targets)
    c = Case()
    c.bad_class, frag = gen.broken(gen.spots[sid])
    bad, spans = gen.render(text, not ctx10, {sid: frag})
    c.bad = bad.encode("utf-8")
    starts = {i: s for s, _, i in spans}
    c.bad_at = line_col(bad, starts[gen.spots[sid].anchor if gen.spots[sid].anchor is not None
                                    else sid])
    c.ctx10 = ctx10
    return c


def check_valid(c, want, tl11, r11_11, r11_10, r10_11, r10_10):
    """The disagreements for one valid document (see the docstring's (a) to (d))."""
    out = []
    kind, oracle_value = want
    crlf = b"\r\n" in c.v10
    if kind != "ok":
        return ["(a) tomllib rejects the 1.0 spelling: %s" % oracle_value]
    if c.features and tl11[0] == "ok":
        out.append("(a) generator: tomllib accepts the 1.1 spelling, recorded as using %s"
                   % sorted(set().union(*c.features)))
    for check, line in (("(b) --toml 1.1 on the 1.1 spelling", r11_11),
                        ("(c) --toml 1.1 on the 1.0 spelling", r11_10),
                        ("(d) --toml 1.0 on the 1.0 spelling", r10_10)):
        d = td.judge("ok", oracle_value, line, crlf)
        if d:
            out.append("%s: %s" % (check, d))
    if c.features:
        pos = err_pos(r10_11)
        if r10_11 == "SKIP":
            pass
        elif r10_11.startswith("FAIL"):
            out.append("(d) --toml 1.0 on the 1.1 spelling: " + r10_11)
        elif pos is None:
            out.append("(d) --toml 1.0 accepts the 1.1 spelling (uses %s): %s"
                       % (sorted(set().union(*c.features)), r10_11[:200]))
        elif not c.first11[0] <= pos <= c.first11[1]:
            out.append("(d) --toml 1.0 rejects the 1.1 spelling at %d:%d, not at its first 1.1 "
                       "construct (%d:%d to %d:%d): %s" % (pos + c.first11[0] + c.first11[1]
                                                          + (r10_11[4:200],)))
    else:
        d = td.judge("ok", oracle_value, r10_11, crlf)
        if d:
            out.append("(d) --toml 1.0 on the 1.1 spelling (no 1.1 syntax): %s" % d)
    return out


def check_invalid(c, r11, r10):
    out = []
    for spec, line, placed in (("1.1", r11, True), ("1.0", r10, c.ctx10)):
        if line == "SKIP":
            continue
        pos = err_pos(line)
        if line.startswith("FAIL"):
            out.append("--toml %s: %s" % (spec, line))
        elif pos is None:
            out.append("--toml %s accepts an invalid document (%s): %s"
                       % (spec, c.bad_class, line[:200]))
        elif placed and pos < c.bad_at:
            out.append("--toml %s rejects at %d:%d, before the broken spot (%s) at %d:%d: %s"
                       % ((spec,) + pos + (c.bad_class,) + c.bad_at + (line[4:200],)))
    return out


def main():
    tool = os.environ.get("IDT_TOOL_toml_batch")
    if not tool:
        print("IDT_TOOL_toml_batch is not set", file=sys.stderr)
        return 2
    td.tagged_json.selftest()
    seed = td.seed_from_env("IDT_DIFF11_SEED", "20250110")
    n = int(os.environ.get("IDT_DIFF11_N", "5000"))
    n_bad = n // 10
    print("differential-1.1: seed %d (IDT_DIFF11_SEED=%d reproduces this run)" % (seed, seed))
    rng = random.Random(seed)
    gen = Gen11(rng)

    seen, alone, bad_classes = collections.Counter(), collections.Counter(), collections.Counter()
    disagreements = []  # (what, document bytes)
    n_done = n11 = bad_done = passed = failed = 0
    chunk = td.CHUNK // 2
    while n_done < n or bad_done < n_bad:
        k = min(chunk, n - n_done)
        kb = min(max(1, chunk // 10), n_bad - bad_done)
        cases = [make_valid(gen) for _ in range(k)] + [make_invalid(gen) for _ in range(kb)]
        docs = []
        for c in cases:
            docs += [c.v11, c.v10] if c.bad is None else [c.bad]
        out11 = td.run_batches(tool, docs, "1.1")
        out10 = td.run_batches(tool, docs, "1.0")
        i = 0
        for c in cases:
            if c.bad is None:
                want = td.oracle(c.v10)
                tl11 = td.oracle(c.v11) if c.features else want
                what = check_valid(c, want, tl11, out11[i], out11[i + 1], out10[i], out10[i + 1])
                i += 2
                if c.features:
                    n11 += 1
                    feats = set().union(*c.features)
                    seen.update(feats)
                    if len(c.features) == 1:
                        alone.update(feats)
                docs_of = [c.v11] + ([c.v10] if c.v10 != c.v11 else [])
            else:
                what = check_invalid(c, out11[i], out10[i])
                bad_classes[c.bad_class] += 1
                i += 1
                docs_of = [c.bad]
            if what:
                failed += 1
                disagreements += [(w, docs_of) for w in what]
            else:
                passed += 1
        n_done += k
        bad_done += kb

    print("differential-1.1: documents with each 1.1 construct (as their only 1.1 spot):")
    for f in sorted(seen):
        print("  %-34s %6d (%d)" % (f, seen[f], alone[f]))
    print("differential-1.1: invalid documents per class: "
          + ", ".join("%s %d" % kv for kv in sorted(bad_classes.items())))
    gaps = []
    if n >= 1000:
        primary = ["\\e", "\\x00", "\\xHH <= 7F", "\\xHH > 7F", "HH:MM in local time",
                   "HH:MM in local date-time", "HH:MM in offset date-time",
                   "newline in inline table", "comment in inline table",
                   "trailing comma in inline table", "1.1 inline table in array",
                   "1.1 inline table in inline table"]
        gaps = [f for f in primary if not seen[f]]
        gaps += ["%s (as the only 1.1 spot)" % f for f in primary[:8] + primary[9:10]
                 if seen[f] and not alone[f]]
        if gaps:
            print("differential-1.1: the generator never produced: " + "; ".join(gaps))
    for what, docs_of in disagreements[:8]:
        print("\n--- %s" % what)
        for label, doc in zip(["1.1 spelling", "1.0 spelling"] if len(docs_of) > 1 else [""],
                              docs_of):
            print((label + ": " if label else "") + repr(doc)[:1500])
    print("differential-1.1: %d passed, %d failed" % (passed, failed))
    print("differential-1.1: %d documents, %d with 1.1 syntax, %d invalid, %d disagreements"
          % (n_done, n11, bad_done, len(disagreements)))
    return 1 if disagreements or gaps else 0


if __name__ == "__main__":
    sys.exit(main())
