"""Reading C sources for the gates in tests/gate: which files, their string
literals, and their code with comments and literals blanked out.

Shared by test_no_flags_in_lib.py (flags named in library strings) and
test_banned_functions.py (calls to unsafe libc functions), so both read C
the same way.  This is a lexer for what the gates need, not a C parser:
it knows comments, string and character literals (with escapes and
backslash-newline), and string prefixes (u8, L, u, U); everything else is
code.
"""
import bisect
import os
import re
import sys


def root():
    """The source tree: argv[1], else $IDT_SOURCE_DIR, else two levels up."""
    default = os.environ.get("IDT_SOURCE_DIR") or os.path.join(os.path.dirname(__file__),
                                                                "..", "..")
    return os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else default)


def sources(base, parts):
    """Yields the paths under base of each (subdirectory, extensions) in
    parts, sorted, each tree walked in order."""
    for sub, exts in parts:
        top = os.path.join(base, sub)
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(exts):
                    yield os.path.join(dirpath, name)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()


def _literal_end(text, i):
    """Index just past the literal opened by the quote at text[i]."""
    q, j, n = text[i], i + 1, len(text)
    while j < n and text[j] != q:
        if text[j] == "\\":
            j += 1
        j += 1
    return min(j + 1, n)


def tokens(text):
    """Yields (kind, start, end) over text: kind is "comment", "string"
    (double-quoted), "char" (single-quoted) or "code"."""
    i, n, code_start = 0, len(text), 0
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            end, kind = (n if j < 0 else j), "comment"
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            end, kind = (n if j < 0 else j + 2), "comment"
        elif c == '"' or c == "'":
            end, kind = _literal_end(text, i), ("string" if c == '"' else "char")
        else:
            i += 1
            continue
        if code_start < i:
            yield "code", code_start, i
        yield kind, i, end
        i = code_start = end
    if code_start < n:
        yield "code", code_start, n


def literals(text):
    """Yields, for every string literal of C source text with adjacent
    literals joined, the list of its pieces [(line, body)]; body keeps
    escapes as written and line is where the piece starts."""
    group, joinable, line = [], False, lines(text)
    for kind, start, end in tokens(text):
        if kind == "string":
            if not joinable and group:
                yield group
                group = []
            group.append((line(start), text[start + 1:end - 1]))
            joinable = True
        elif kind == "code":
            # only white space and string prefixes (u8, L, u, U) keep the
            # next literal joined to the last one
            gap = text[start:end]
            if not re.fullmatch(r"\s*(?:u8|[LuU])?", gap):
                joinable = False
        elif kind == "char":
            joinable = False
    if group:
        yield group


def code_only(text):
    """text with every comment and literal blanked to spaces (newlines
    kept), so offsets and line numbers stay those of the file and only code
    is left to search.  A literal keeps its quotes: "x" becomes " "."""
    out = []
    for kind, start, end in tokens(text):
        piece = text[start:end]
        if kind == "code":
            out.append(piece)
        elif kind == "comment":
            out.append(re.sub(r"[^\n]", " ", piece))
        else:
            body = re.sub(r"[^\n]", " ", piece[1:-1]) if len(piece) >= 2 else ""
            out.append(piece[0] + body + piece[-1] if len(piece) >= 2 else " ")
    return "".join(out)


def lines(text):
    """A function from an offset in text to its 1-based line."""
    breaks = [m.start() for m in re.finditer("\n", text)]
    return lambda offset: bisect.bisect_left(breaks, offset) + 1
