# shellcheck shell=sh
# Sourced by the shell tests: a scratch folder, pass/fail counters and the
# checks they share (tests/idt_test.py is the Python tests' counterpart).
# Env: INITDATA (the tool under test).
: "${INITDATA:?INITDATA must name the initdata tool}"
# A sanitizer report exits 86 (ASan, LSan) or 87 (UBSan), never 1 (as ctest
# sets too): a crash cannot pass for the exit status of invalid input.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

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
    86 | 87) bad "$1: sanitizer report (exit $rc): $(tail -c 1500 "$T/err")" ;;
    *) if [ "$rc" -gt 128 ]; then bad "$1: killed by signal $((rc - 128))"; fi ;;
    esac
}
# status NAME WANT_EXIT: compares with $rc from the last run_tool
status() { same "$1 (exit status)" "$2" "$rc"; }
