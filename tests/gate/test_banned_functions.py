#!/usr/bin/env python3
"""No unbounded libc string functions in lib/ or cli/.

sprintf, vsprintf, strcpy, strcat and strncat write without knowing how
much room there is (strncat's bound is the source's, not the
destination's); atoi and atol have no way to report garbage or overflow;
gets cannot be used safely at all.  The house rules (docs/CONVENTIONS.md,
"Ownership") say what to use instead: snprintf with its result checked, an
idtx_buf (lib/util/buf.h), memcpy with a checked length, strtol/strtoull
with end and range checks.

Scanned: the code of lib/**/*.[ch] and cli/**/*.[ch] with comments and
string literals blanked (tests/gate/source_scan.py), so prose such as
"gets no Init-Data" is not a call.  A call is a banned name used as an
identifier (not a member: s.gets, s->gets) followed by "(", also across
lines.  Exit 0 when none is found, 1 with file:line for each one.  Before
the tree, the scanner runs on a built-in sample whose answers are known,
so a broken scanner fails rather than passes silently.
"""
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
from source_scan import code_only, lines, read, root, sources  # noqa: E402

BANNED = ("sprintf", "vsprintf", "strcpy", "strcat", "strncat", "atoi", "atol", "gets")

INSTEAD = {
    "sprintf": "snprintf with its result checked, or idtx_buf_printf",
    "vsprintf": "vsnprintf with its result checked",
    "strcpy": "memcpy with a checked length, or idtx_buf_puts",
    "strcat": "idtx_buf_puts, or memcpy with a checked length",
    "strncat": "idtx_buf_put, or memcpy with a checked length",
    "atoi": "strtol with end and range checks",
    "atol": "strtol with end and range checks",
    "gets": "fgets",
}

CALL = re.compile(r"\b(%s)\s*\(" % "|".join(BANNED))

SCANNED = (("lib", (".c", ".h")), ("cli", (".c", ".h")))


def calls(text):
    """(line, name) for each call of a banned function in C source text."""
    code, line = code_only(text), lines(text)
    found = []
    for m in CALL.finditer(code):
        before = code[:m.start()].rstrip()
        if before.endswith((".", "->")):  # a member of that name, not libc's
            continue
        found.append((line(m.start()), m.group(1)))
    return found


SAMPLE = r'''
/* sprintf(buf, "x") in a comment is no call */
// strcpy(a, b);
static const char a[] = "it gets no Init-Data; sprintf(x) strcat(";
static char q = '"'; int n = atoi(s);
int k = snprintf(b, 4, "%d", 1) + vsnprintf(b, 4, f, ap);
sprintf(buf, "%d", n);
  vsprintf (buf,
            fmt, ap);
r->gets(x); r.atol(y); r -> gets (z); my_strcpy(a, b); strcpy_s(a, 1, b);
x = strncat
    (d, s, n);
char *p = "\"escaped\" then strcat(d, s)"; strcat(d, s);
#define COPY(d, s) strcpy(d, s)
long l = atol(t) + atoi (u);
'''
SAMPLE_WANT = [(5, "atoi"), (7, "sprintf"), (8, "vsprintf"), (11, "strncat"), (13, "strcat"),
               (14, "strcpy"), (15, "atol"), (15, "atoi")]


def selftest():
    got = calls(SAMPLE)
    if got != SAMPLE_WANT:
        print("banned-functions: the scanner is broken: on its sample it found %r; expected %r"
              % (got, SAMPLE_WANT))
        return False
    return True


def main():
    base = root()
    if not selftest():
        return 1
    passed = failed = 0
    for path in sources(base, SCANNED):
        found = calls(read(path))
        if found:
            failed += 1
        else:
            passed += 1
        for ln, name in found:
            print("%s:%d: %s() is banned in lib/ and cli/: use %s"
                  % (os.path.relpath(path, base), ln, name, INSTEAD[name]))
    if passed + failed == 0:
        print("banned-functions: no sources under %s" % base)
        return 1
    if failed:
        print("see docs/CONVENTIONS.md (Ownership, rule 5)")
    print("banned-functions: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
