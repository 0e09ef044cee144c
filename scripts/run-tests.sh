#!/bin/sh
# run-tests.sh BUILD_DIR: runs ctest, then shows what each test measured
# (the summary lines the test programs print, such as
# "toml-test: valid 210/210, invalid 499/499"), then ctest's own report,
# whose last line is the closing summary.
set -u
build=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM
(cd "$build" && ctest --output-on-failure -j "$(nproc)") >"$out" 2>&1
rc=$?
echo "== what the tests measured =="
grep -h -E '^[a-z0-9._-]+( [a-z0-9.()]+)?: .*([0-9]+ passed|valid [0-9]+/[0-9]+|[0-9]+ documents|[0-9]+ inputs)' \
    "$build/Testing/Temporary/LastTest.log" 2>/dev/null | sort -u
echo
cat "$out"
exit $rc
