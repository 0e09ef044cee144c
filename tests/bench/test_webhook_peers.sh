#!/bin/sh
# The webhook benchmark's servers answer correctly (no timing): the Go peer
# (bench/go-peer, built here) and, where this build has it, the bare floor
# (bench/mhd_floor; a sanitized build builds no benchmarks) each get one
# review of every request shape on /validate and /mutate, checked by
# bench/webhook_load.py --check: the Go peer allows the annotated Pods,
# denies one without Init-Data and one with a corrupt annotation, echoes
# the uid and patches on /mutate; the floor answers 200 with its JSON.
# Skipped (77) without Go, its TOML library or openssl: they are
# benchmark dependencies (scripts/install-deps.sh bench), not test ones.
# Env: INITDATA, IDT_BUILD_DIR, IDT_SOURCE_DIR, IDT_SHARED (ctest sets them).
# shellcheck source=tests/lib.sh
. "${IDT_SOURCE_DIR:?}/tests/lib.sh"
build=${IDT_BUILD_DIR:?}

for t in go openssl; do
    if ! command -v "$t" >/dev/null 2>&1; then
        echo "webhook peers: skipped ($t not installed; scripts/install-deps.sh bench)"
        exit 77
    fi
done
servers=go
if [ -x "$build/bench/mhd_floor" ]; then
    servers="go floor"
else
    echo "webhook peers: no mhd_floor in $build/bench (sanitized build, or no libmicrohttpd): Go peer only"
fi

IDT_LOAD_SERVERS=$servers python3 "$IDT_SOURCE_DIR/bench/webhook_load.py" --check \
    "$build" "$T/work" >"$T/out" 2>&1
rc=$?
cat "$T/out"
if grep -q '^webhook go: unavailable' "$T/out"; then
    echo "webhook peers: skipped (the Go peer cannot be built here)"
    exit 77
fi
same "webhook_load.py --check (exit status)" 0 "$rc"
for s in $servers; do
    if grep -q "^webhook $s: self-check passed" "$T/out"; then ok; else bad "$s: no self-check passed"; fi
done

echo "webhook peers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
