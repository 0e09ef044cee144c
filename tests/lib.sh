# shellcheck shell=sh
# Sourced by the shell tests: a scratch folder, pass/fail counters and the
# checks they share (tests/idt_test.py is the Python tests' counterpart).
# Env: INITDATA (the tool under test).
: "${INITDATA:?INITDATA must name the initdata tool}"
T=$(mktemp -d)
# A sanitizer report exits 86 (ASan, LSan) or 87 (UBSan), never 1 (as ctest
# sets too): a crash cannot pass for the exit status of invalid input.  The
# reports go to files in $T, so that one from a run whose status the test
# does not look at (in a pipeline, in the background, before a comparison
# of its output) still fails the test: at exit, each is printed and the test
# exits 1.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86:log_path=$T/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87:log_path=$T/sanitizer"
finish() {
    reports=0
    for f in "$T"/sanitizer.*; do
        [ -e "$f" ] || continue
        reports=$((reports + 1))
        printf 'FAIL: a sanitizer report (%s):\n' "${f##*/}" >&2
        cat "$f" >&2
    done
    rm -rf "$T"
    if [ "$reports" -gt 0 ]; then
        printf 'FAIL: %d sanitizer reports\n' "$reports" >&2
        exit 1
    fi
}
trap finish EXIT
trap 'exit 130' INT TERM

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    printf 'FAIL: %s\n' "$*" >&2
}
# same NAME WANT GOT
same() {
    if [ "$2" = "$3" ]; then ok; else bad "$1: want '$2', got '$3'"; fi
}
# run_tool ARGS...: stdout in $T/out, stderr in $T/err, exit status in rc; a
# crash is a failure of its own, whatever the caller checks next
run_tool() {
    "$INITDATA" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    crashed "initdata $*"
}
# crashed WHAT: counts a failure when $rc is a sanitizer report's or a signal's
crashed() {
    case $rc in
    86 | 87) bad "$1: sanitizer report (exit $rc; printed when the test ends)" ;;
    *) if [ "$rc" -gt 128 ]; then bad "$1: killed by signal $((rc - 128))"; fi ;;
    esac
}
# need_shared NAME: sets S to the shared test data ($IDT_SHARED/testdata);
# without it the test is skipped (exit 77).
need_shared() {
    S=${IDT_SHARED:-}/testdata
    if [ ! -d "$S" ]; then
        echo "$1: skipped (no shared test data at '$S')"
        exit 77
    fi
}
# shared_file PATH: whether PATH, a file of the shared test data, is there.
# Without the shared data ($IDT_SHARED/testdata absent) the caller skips the
# part that needs it; with it, a missing PATH is broken data: a failure.
shared_file() {
    [ -e "$1" ] && return 0
    if [ -d "${IDT_SHARED:-}/testdata" ]; then
        bad "$1 is missing from the shared test data"
    fi
    return 1
}
# status NAME WANT_EXIT: compares with $rc from the last run_tool
status() { same "$1 (exit status)" "$2" "$rc"; }
