# shellcheck shell=sh
# Sourced by the shell tests: a scratch folder, pass/fail counters and the
# checks they share.  Env: INITDATA (the tool under test).
: "${INITDATA:?INITDATA must name the initdata tool}"
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
# run_tool ARGS...: stdout in $T/out, stderr in $T/err, exit status in rc
run_tool() {
    "$INITDATA" "$@" >"$T/out" 2>"$T/err"
    rc=$?
}
# status NAME WANT_EXIT: compares with $rc from the last run_tool
status() { same "$1 (exit status)" "$2" "$rc"; }
