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

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
from source_scan import literals, read, root, sources  # noqa: E402

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]+")

# lib/ and the public headers: what a program embedding the library sees.
SCANNED = (("lib", (".c", ".h")), (os.path.join("include", "initdata"), (".h",)))


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


def main():
    base = root()
    if not selftest():
        return 1
    files = passed = failed = 0
    for path in sources(base, SCANNED):
        files += 1
        found, clean, dirty = violations(read(path))
        passed += clean
        failed += dirty
        for ln, flag, value in found:
            text = value if len(value) <= 100 else value[:97] + "..."
            print('%s:%d: %s names the flag %s: "%s"' % (os.path.relpath(path, base), ln,
                                                          "a string", flag, text))
    if files == 0:
        print("flags-in-lib: no sources under %s" % base)
        return 1
    if failed:
        print("library strings must not name command-line flags: say what is missing, and "
              "give the tool its flag through an idt_hint (see docs/DESIGN.md)")
    print("flags-in-lib: %d files, %d string literals: %d passed, %d failed"
          % (files, passed + failed, passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
