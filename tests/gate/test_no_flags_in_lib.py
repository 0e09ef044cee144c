#!/usr/bin/env python3
"""The library speaks its API, not the tool's command line.

libinitdata runs inside programs that have no command-line flags (an
admission webhook shows its messages to cluster admins), so no string the
library can emit may name one: messages say what is missing in words or by
the API field, and a stable hint code (idt_hint) lets the initdata tool add
its flag when it prints (cli/hint.c).  This gate keeps it so.

Scanned: every string literal of lib/**/*.c, lib/**/*.h and
include/initdata/*.h, with adjacent literals joined as the compiler joins
them (so "--" "ak" is caught).  Comments are skipped everywhere: they never
reach an idt_error, a note or a result, and the public headers' comments
may rightly show the tool as an example (`initdata new --kbs-url URL`).
A header's string literals (macros such as IDT_EVIDENCE_CHAIN_NOTE) do
reach callers, so headers are scanned too.

A flag is a long option, `--` and a lowercase letter, not glued to a word
or to more dashes ("-----BEGIN" and `--depth` in code are not strings, or
not flags).  Exit 0 when none is found, 1 with file:line for each one.
Before the tree, the scanner runs on a built-in sample whose answers are
known, so a broken scanner fails rather than passes silently.
"""
import os
import re
import sys

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]+")


def literals(text):
    """Yields (line, value) for every string literal of C source text, adjacent
    literals joined; value keeps escapes as written.  line is the line of the
    literal piece the value starts in; pieces gives each piece's line."""
    i, n, line = 0, len(text), 1
    pieces = []      # [(line, text)] of the literal being joined
    joinable = False # only whitespace and comments since the last literal

    def flush():
        nonlocal pieces
        if pieces:
            yield_list.append(list(pieces))
        pieces = []

    yield_list = []
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r\f\v":
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
        elif c == '"' or c == "'":
            j, start_line = i + 1, line
            while j < n and text[j] != c:
                if text[j] == "\\":
                    j += 1
                if j < n and text[j] == "\n":
                    line += 1
                j += 1
            body = text[i + 1:j]
            i = j + 1
            if c == '"':
                if not joinable:
                    flush()
                pieces.append((start_line, body))
                joinable = True
                continue
            joinable = False
            flush()
        else:
            # string prefixes (u8, L, u, U) stay joinable with what follows
            if joinable and c in "u8LU" and re.match(r'(u8|[LuU])"', text[i:i + 3]):
                i += 2 if text[i] == "u" and text[i + 1] == "8" else 1
                continue
            joinable = False
            i += 1
    flush()
    for group in yield_list:
        yield group


def violations(text):
    """(line, flag, value) for each flag in the joined literals of text, and
    the number of literals with no flag and with one or more."""
    found, clean, dirty = [], 0, 0
    for group in literals(text):
        joined, starts = "", []
        for ln, body in group:
            starts.append((len(joined), ln))
            joined += body
        hits = list(FLAG.finditer(joined))
        if hits:
            dirty += 1
        else:
            clean += 1
        for m in hits:
            ln = [l for off, l in starts if off <= m.start()][-1]
            found.append((ln, m.group(0), joined))
    return found, clean, dirty


SAMPLE = r'''
/* "--ak" in a comment is no string */
// give it with --ak FILE
static const char a[] = "give it with --ak FILE";
static const char b[] = "use --platform none "
                        "--insecure-no-binding";
static const char c[] = "split -" /* joined */ "-tee";
static char q = '"'; static const char d[] = "no flag -- here";
static const char e[] = "escaped \" quote, then --deny-policy-on-error";
static const char f[] = "-----BEGIN PUBLIC KEY-----", g[] = "%s--%s", h[] = "a--b";
int k(int *s, int depth) { return s[--depth]; }
static const char i[] = "line \
--continued";
'''
SAMPLE_WANT = [(4, "--ak"), (5, "--platform"), (6, "--insecure-no-binding"), (7, "--tee"),
               (9, "--deny-policy-on-error"), (12, "--continued")]


def selftest():
    got, clean, dirty = violations(SAMPLE)
    got = [(ln, flag) for ln, flag, _ in got]
    if got != SAMPLE_WANT or clean != 4 or dirty != 5:
        print("flags-in-lib: the scanner is broken: on its sample it found %r and %d clean "
              "literals; expected %r and 4" % (got, clean, SAMPLE_WANT))
        return False
    return True


def sources(root):
    for sub, exts in (("lib", (".c", ".h")), (os.path.join("include", "initdata"), (".h",))):
        base = os.path.join(root, sub)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(exts):
                    yield os.path.join(dirpath, name)


def main():
    root = os.environ.get("IDT_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else root)
    if not selftest():
        return 1
    files = passed = failed = 0
    for path in sources(root):
        files += 1
        with open(path, encoding="utf-8", errors="replace") as fh:
            found, clean, dirty = violations(fh.read())
        passed += clean
        failed += dirty
        for ln, flag, value in found:
            text = value if len(value) <= 100 else value[:97] + "..."
            print('%s:%d: %s names the flag %s: "%s"' % (os.path.relpath(path, root), ln,
                                                          "a string", flag, text))
    if files == 0:
        print("flags-in-lib: no sources under %s" % root)
        return 1
    if failed:
        print("library strings must not name command-line flags: say what is missing, and "
              "give the tool its flag through an idt_hint (see docs/DESIGN.md)")
    print("flags-in-lib: %d files, %d string literals: %d passed, %d failed"
          % (files, passed + failed, passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
