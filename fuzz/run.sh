#!/bin/sh
# run.sh BUILD_DIR SECONDS
# Runs every libFuzzer target BUILD_DIR/fuzz/fuzz_<X> for SECONDS seconds
# (`make fuzz FUZZ_SECONDS=...`).  Per target, under fuzz-out/<X>/ in the
# source tree (gitignored):
#   corpus/     the work corpus, kept between runs; new inputs go here
#   artifacts/  crash-*, timeout-*, leak-*, oom-* inputs
#   log         libFuzzer's output
# The fuzzer also reads fuzz/corpora/<X>/ and the shared seeds, with the
# dictionary, that seeds.sh names for <X>.
# FUZZ_TIMEOUT (seconds, default 10) is the slowest an input may be before
# it counts as a hang; FUZZ_ARGS adds libFuzzer options (e.g. -max_len=65536);
# FUZZ_TARGETS (e.g. "toml_parse codec_decode") runs only those targets.
# Prints one line per target and exits 1 if any target failed.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 BUILD_DIR SECONDS" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
seconds=$2
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=fuzz/seeds.sh
. "$src/fuzz/seeds.sh"

# An input slower than this is reported as a hang: the parsers are linear.
TIMEOUT=${FUZZ_TIMEOUT:-10}

# seed_option TARGET OUT_DIR: -seed_inputs=@LIST for the shared seeds.
seed_option() {
    fuzz_shared_seeds "$1" "$src" | paste -s -d, - >"$2/seeds"
    [ -s "$2/seeds" ] && echo "-seed_inputs=@$2/seeds"
    return 0
}

run_target() {
    bin=$1
    target=${bin##*/fuzz_}
    out=$src/fuzz-out/$target
    mkdir -p "$out/corpus" "$out/artifacts"
    set -- "$out/corpus"
    [ -d "$src/fuzz/corpora/$target" ] && set -- "$@" "$src/fuzz/corpora/$target"
    dict=$(fuzz_dictionary "$target" "$src")
    [ -n "$dict" ] && set -- "$@" "-dict=$dict"
    seeds=$(seed_option "$target" "$out")
    [ -n "$seeds" ] && set -- "$@" "$seeds"

    status=0
    # shellcheck disable=SC2086  # FUZZ_ARGS is a list of options
    "$bin" -max_total_time="$seconds" -timeout="$TIMEOUT" -print_final_stats=1 \
        -artifact_prefix="$out/artifacts/" ${FUZZ_ARGS:-} "$@" >"$out/log" 2>&1 || status=$?

    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log" | tail -n 1)
    # Without final stats (a crash), the last status line "#N ..." counts.
    [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$out/log" | tail -n 1)
    corpus=$(find "$out/corpus" -type f | wc -l)
    if [ "$status" -eq 0 ]; then
        echo "fuzz_$target: ${execs:-?} executions in ${seconds}s, corpus $corpus, ok"
        return 0
    fi
    artifact=$(sed -n 's/.*Test unit written to //p' "$out/log" | tail -n 1)
    echo "fuzz_$target: CRASHED (exit $status) after ${execs:-?} executions;" \
         "input ${artifact:-not saved}; log $out/log"
    grep -m 3 -E '(==[0-9]+== ?ERROR|^SUMMARY|broken promise|runtime error)' "$out/log" |
        sed 's/^/    /' || true
    return 1
}

found=0
passed=0
failed=0
for bin in "$build"/fuzz/fuzz_*; do
    if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
        continue
    fi
    case " ${FUZZ_TARGETS:-${bin##*/fuzz_}} " in
    *" ${bin##*/fuzz_} "*) ;;
    *) continue ;;
    esac
    found=$((found + 1))
    if run_target "$bin"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done

if [ "$found" -eq 0 ]; then
    echo "fuzz: no fuzz_* programs in $build/fuzz (configure with clang and -DIDT_FUZZ=ON)" >&2
    exit 1
fi
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
