#!/usr/bin/env python3
"""Every command's --help, checked against its man page, walking the command table.

The commands are read from the "Commands:" section of `initdata --help` (which the
tool prints from its command table), never listed here, so a new command is checked
the day it is added.  A command whose own help has a "Commands:" section (`image`) is
walked the same way: its subcommands are the ones checked as commands.

For the tool and every command:
  * `--help` exits 0, prints to standard output, and nothing to standard error;
  * its help has a "Usage: initdata CMD" line;
For every command (and subcommand):
  * its help has an "Examples:" section with at least one "$ initdata CMD" line;
  * every long option in its "Options:" table appears in docs/man/initdata-CMD.1
    (for a subcommand, the command's page), read with roff's escapes undone;
  * docs/man/initdata-CMD.1 exists and its .TH names INITDATA-CMD;
  * docs/man/initdata.1 lists it: a ".B CMD" entry under COMMANDS that points to
    initdata-CMD(1), and ".BR initdata-CMD (1)" under SEE ALSO.
And the command table has at least one command, and `initdata.1` lists no command
that the tool does not have.

Known gaps in the man pages (KNOWN_GAPS below, each with why) are reported as such
rather than failed, until they are fixed; a known gap that no longer fails is a
failure, so the list only shrinks.  Nothing else may be added to it.

Output: FAIL and KNOWN GAP lines, then `help: N passed, M failed`.  Exit 1 on a failure.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402

T = idt_test.Test("help")
# The failures docs/man still has: {message: why}.  Remove an entry with its fix.
KNOWN_GAPS = {
}
seen_gaps = set()


def check(cond, what):
    """T.check, but a failure listed in KNOWN_GAPS is reported, not counted."""
    if not cond and what in KNOWN_GAPS:
        seen_gaps.add(what)
        print(f"KNOWN GAP: {what} ({KNOWN_GAPS[what]})", file=sys.stderr)
        return False
    return T.check(cond, what)
MAN = os.path.join(idt_test.source_dir(), "docs", "man")
OPTION_RE = re.compile(r"^\s+(?:-[A-Za-z0-9], )?(--[a-z][a-z0-9-]*)")
COMMAND_RE = re.compile(r"^  ([a-z][a-z0-9-]*)\s{2,}\S")


def section(text, title):
    """The lines of the help section that starts with the line `title`, up to
    the next blank line."""
    lines = text.split("\n")
    if title not in lines:
        return None
    out = []
    for line in lines[lines.index(title) + 1:]:
        if not line.strip():
            break
        out.append(line)
    return out


def help_of(words):
    """Runs `initdata WORDS... --help`; checks the exit status and streams.
    Returns the help text, or None when there is none to read."""
    what = " ".join(["initdata"] + words)
    rc, out, err = T.tool(words + ["--help"])
    check(rc == 0, f"{what} --help: exit {rc}, want 0")
    check(err == b"", f"{what} --help: wrote to standard error: {err[:300]!r}")
    text = out.decode("utf-8", "replace")
    if not check(text.strip() != "", f"{what} --help: printed nothing"):
        return None
    check(re.search(r"^Usage: " + re.escape(what) + r"\b", text, re.M) is not None,
            f"{what} --help: no 'Usage: {what}' line")
    return text


def roff_text(path):
    """A man page's text with roff's dash, font and backslash escapes undone."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"\\f[BIRP]|\\f\(..", "", text)
    return text.replace("\\-", "-").replace("\\e", "\\").replace("\\(em", "-")


def commands_in(text, what):
    """The commands of a help's "Commands:" section."""
    lines = section(text, "Commands:")
    if lines is None:
        return None
    names = [m[1] for m in map(COMMAND_RE.match, lines) if m]
    check(len(names) == len(lines), f"{what} --help: Commands: lines that name no command: "
            f"{[l for l in lines if not COMMAND_RE.match(l)]}")
    return names


def check_command(words, page):
    """The help of `initdata WORDS...` against the man page `page`."""
    what = " ".join(["initdata"] + words)
    text = help_of(words)
    if text is None:
        return
    sub = commands_in(text, what)
    if sub is not None:  # a command of commands: check each one
        check(len(sub) > 0, f"{what} --help: an empty Commands: section")
        for name in sub:
            check_command(words + [name], page)
        return
    examples = section(text, "Examples:")
    if check(examples is not None, f"{what} --help: no 'Examples:' section"):
        check(any(l.strip().startswith("$ " + what) for l in examples),
                f"{what} --help: no example starts with '$ {what}'")
    options = section(text, "Options:")
    if not check(options is not None, f"{what} --help: no 'Options:' section"):
        return
    longs = [m[1] for m in map(OPTION_RE.match, options) if m]
    check("--help" in longs, f"{what} --help: --help is not in its own Options: table")
    if page is None:
        return
    man = roff_text(page)
    for opt in longs:
        check(re.search(re.escape(opt) + r"(?![a-z0-9-])", man) is not None,
                f"{what}: {opt} (in --help) is not in {os.path.basename(page)}")


def main():
    top = help_of([])
    if top is None:
        return T.finish()
    commands = commands_in(top, "initdata") or []
    check(len(commands) > 0, "initdata --help: no command in its Commands: section")
    index = roff_text(os.path.join(MAN, "initdata.1"))
    see_also = index[index.find(".SH SEE ALSO"):] if ".SH SEE ALSO" in index else ""
    listed = set(re.findall(r"^\.B ([a-z][a-z0-9-]*)\n[^\n]*initdata-\1\(1\)", index, re.M))
    for cmd in commands:
        page = os.path.join(MAN, f"initdata-{cmd}.1")
        if check(os.path.isfile(page), f"{cmd}: no man page {os.path.relpath(page, MAN)}"):
            with open(page, encoding="utf-8") as f:
                th = next((l for l in f if l.startswith(".TH ")), "")
            check(th.startswith(".TH INITDATA\\-" + cmd.upper().replace("-", "\\-") + " ") or
                    th.startswith(".TH INITDATA-" + cmd.upper() + " "),
                    f"{cmd}: initdata-{cmd}.1 does not start with .TH INITDATA-{cmd.upper()}: "
                    f"{th.strip()!r}")
        else:
            page = None
        check(cmd in listed, f"{cmd}: initdata.1 has no '.B {cmd}' entry under COMMANDS "
                f"pointing to initdata-{cmd}(1)")
        check(f".BR initdata-{cmd} (1)" in see_also,
                f"{cmd}: initdata.1 does not list initdata-{cmd}(1) under SEE ALSO")
        check_command([cmd], page)
    for cmd in sorted(listed - set(commands)):
        T.fail(f"initdata.1 lists '{cmd}', which initdata --help does not have")
    for gap in sorted(set(KNOWN_GAPS) - seen_gaps):
        T.fail(f"known gap fixed, remove it from KNOWN_GAPS in {__file__}: {gap}")
    if seen_gaps:
        print(f"help: {len(seen_gaps)} known gaps in docs/man (KNOWN_GAPS)")
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
