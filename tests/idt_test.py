"""What the Python tool tests (tests/<area>/test_*.py) share; tests/lib.sh is
the shell tests' counterpart.

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import idt_test

    t = idt_test.Test("manifest")           # names the closing line
    rc, out, err = t.tool(["encode", doc])  # $INITDATA ARGS, bytes in and out
    t.check(rc == 0, "encode exits 0")
    work = t.tempdir()                      # removed when the test exits
    page = idt_test.shared("spec", "seed-init-data-page.txt")
    sys.exit(t.finish())                    # "manifest: N passed, M failed"

Programs run with ASAN_OPTIONS exitcode=86 and UBSAN_OPTIONS exitcode=87, so
that a sanitizer report cannot pass for an ordinary exit status (ctest's
ASAN_OPTIONS would otherwise make it exit 1, which is what many checks
expect of invalid input); Test.run and Test.tool count a crash (a signal, 86,
87 or a sanitizer report on stderr) as a failure of its own, whatever the
caller checks next.

Environment (set by tests/CMakeLists.txt): INITDATA (the tool), IDT_SOURCE_DIR,
IDT_BUILD_DIR, IDT_SHARED (the shared test data, which may be absent).
Exit statuses: 0 passed, 1 failed, 2 the test itself is misused (INITDATA
unset), 77 skipped (what it needs is absent; never for something broken).
"""
import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
ASAN_EXIT = 86
UBSAN_EXIT = 87
CRASH_RE = re.compile(r"Sanitizer|runtime error:")


def skip(name, why):
    """Ends the test as skipped (exit 77): what it needs is not there."""
    print(f"{name}: skipped ({why})")
    sys.exit(SKIP)


def tool_path():
    """$INITDATA, the tool under test; exit 2 when it is not set."""
    path = os.environ.get("INITDATA")
    if not path:
        print("INITDATA is not set (ctest sets it; by hand: INITDATA=build/initdata)",
              file=sys.stderr)
        sys.exit(2)
    return path


def source_dir():
    """The source tree: $IDT_SOURCE_DIR, else the one this file is in."""
    return os.environ.get("IDT_SOURCE_DIR") or os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))


def shared_root():
    """$IDT_SHARED when it is a directory, else None (no shared test data)."""
    root = os.environ.get("IDT_SHARED", "")
    return root if root and os.path.isdir(root) else None


def shared(*parts, optional=False, name="test"):
    """The path $IDT_SHARED/<parts...>.

    Without the shared test data the test is skipped (exit 77), or with
    optional=True None is returned, so that the caller runs the rest.  With it,
    a missing path is broken data, not absent data: the test fails (exit 1)."""
    root = shared_root()
    if root is None:
        if optional:
            print(f"note: no shared test data (IDT_SHARED={os.environ.get('IDT_SHARED', '')!r}): "
                  f"the parts that need {os.path.join(*parts)} are skipped", file=sys.stderr)
            return None
        skip(name, f"no shared test data at {os.environ.get('IDT_SHARED', '')!r}")
    path = os.path.join(root, *parts)
    if not os.path.exists(path):
        print(f"FAIL: {path} is missing: the shared test data at {root} is there, this part "
              "of it is not", file=sys.stderr)
        sys.exit(1)
    return path


def sanitizer_env(env=None):
    """env (default os.environ) with the sanitizers' exit codes set apart."""
    env = dict(os.environ if env is None else env)
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + f":exitcode={ASAN_EXIT}"
    env["UBSAN_OPTIONS"] = env.get("UBSAN_OPTIONS", "") + f":exitcode={UBSAN_EXIT}"
    return env


def crashed(rc, err):
    """Whether a run ended by a signal or a sanitizer report (err: str or bytes)."""
    if isinstance(err, bytes):
        err = err.decode("utf-8", "replace")
    return rc < 0 or rc in (ASAN_EXIT, UBSAN_EXIT) or CRASH_RE.search(err) is not None


def run(args, stdin=None, env=None, timeout=600):
    """Runs args with sanitizer_env(env); stdin is bytes (None: no input).
    Returns (exit status, stdout bytes, stderr bytes)."""
    p = subprocess.run(args, input=stdin if stdin is not None else None,
                       stdin=subprocess.DEVNULL if stdin is None else None,
                       capture_output=True, env=sanitizer_env(env), timeout=timeout)
    return p.returncode, p.stdout, p.stderr


class Test:
    """Pass/fail counting, temporary directories and runs that catch crashes."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.path = None  # the tool, looked up on first use

    def check(self, cond, what):
        """Counts cond; prints "FAIL: what" when it is false.  Returns cond."""
        if cond:
            self.passed += 1
        else:
            self.fail(what)
        return cond

    def fail(self, what):
        self.failed += 1
        print("FAIL:", what, file=sys.stderr)

    def run(self, args, stdin=None, env=None, timeout=600):
        """run(), with a crash counted as a failure."""
        rc, out, err = run(args, stdin, env, timeout)
        if crashed(rc, err):
            self.fail(f"{' '.join(map(str, args))[:200]}: crashed (exit {rc}): "
                      f"{err.decode('utf-8', 'replace').strip()[-1500:]}")
        return rc, out, err

    def tool(self, args, stdin=None, env=None, timeout=600):
        """Runs the tool ($INITDATA) with args, as run() does."""
        if self.path is None:
            self.path = tool_path()
        return self.run([self.path] + list(args), stdin, env, timeout)

    def tempdir(self, prefix=None):
        """A new directory, removed when the test exits."""
        d = tempfile.mkdtemp(prefix=prefix or f"idt-{self.name.replace(' ', '-')}-")
        atexit.register(shutil.rmtree, d, True)
        return d

    def skip(self, why):
        skip(self.name, why)

    def finish(self):
        """Prints "NAME: N passed, M failed"; returns the exit status: 1 when a
        check failed or none ran (a test that checks nothing cannot fail)."""
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        if self.passed + self.failed == 0:
            print(f"{self.name}: no check ran", file=sys.stderr)
            return 1
        return 1 if self.failed else 0
