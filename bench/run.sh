#!/bin/sh
# run.sh BUILD_DIR [BENCHMARK...]
# Runs the benchmarks built in BUILD_DIR/bench next to their peers and
# prints, per input, both throughputs and their ratio, e.g.
#   toml_parse init-data-with-policy.toml: initdata 812.3 MB/s, tomllib 25.1 MB/s, ratio 32.4x
# (`make bench`).  Targets are printed, not asserted: the numbers depend on
# the machine.  Exits 1 if a benchmark failed to run.
#
# To add a benchmark: write bench/bench_<name>.c (and its peer), add a
# bench_<name> function below and put <name> in BENCHMARKS.
# Environment: IDT_SHARED (default ../shared beside the source tree),
# PYTHON (default python3), BENCH_ARGS (extra options for both sides, e.g.
# "--rounds 3 --min-round-ms 100").
# shellcheck disable=SC2317  # bench_<name> functions are called by name
set -eu

BENCHMARKS="toml_parse pipeline"

if [ $# -lt 1 ]; then
    echo "usage: $0 BUILD_DIR [BENCHMARK...]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
shift
src=$(cd "$(dirname "$0")/.." && pwd)
shared=${IDT_SHARED:-$(cd "$src/.." && pwd)/shared}
PYTHON=${PYTHON:-python3}
BENCH_ARGS=${BENCH_ARGS:-}
work=$build/bench/data
mkdir -p "$work"

# compare NAME FILE OURS_PROGRAM PEER_NAME PEER_SCRIPT: measures FILE with
# both programs (same options, --raw) and prints one comparison line.
compare() {
    name=$1 file=$2 ours=$3 peer_name=$4 peer=$5
    label="$name ${file##*/}"
    # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
    if ! mine=$("$ours" --raw $BENCH_ARGS "$file"); then
        echo "$label: FAILED (${ours##*/})"
        return 1
    fi
    # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
    if theirs=$("$PYTHON" "$peer" --raw $BENCH_ARGS "$file"); then
        awk -v l="$label" -v a="$mine" -v p="$peer_name" -v b="$theirs" 'BEGIN {
            printf "%s: initdata %.1f MB/s, %s %.1f MB/s, ratio %.1fx\n", l, a, p, b, (b > 0 ? a / b : 0) }'
    else
        echo "$label: initdata $mine MB/s, $peer_name unavailable"
    fi
}

bench_toml_parse() {
    bin=$build/bench/bench_toml_parse
    policy=$shared/testdata/trustee/init-data-with-policy.toml
    keyheavy=$work/keyheavy.toml
    "$PYTHON" "$src/bench/gen_keyheavy.py" "$keyheavy"
    status=0
    if [ -f "$policy" ]; then
        compare toml_parse "$policy" "$bin" tomllib "$src/bench/toml_peer.py" || status=1
    else
        echo "toml_parse init-data-with-policy.toml: skipped ($policy not found; set IDT_SHARED)"
    fi
    compare toml_parse "$keyheavy" "$bin" tomllib "$src/bench/toml_peer.py" || status=1
    return "$status"
}

# The annotations of the three largest documents: ours for the .toml files,
# the one in kata's genpolicy sample for the YAML.
pipeline_inputs() {
    t=$shared/testdata
    "$build/initdata" encode "$t/trustee/init-data-with-policy.toml" \
        >"$work/init-data-with-policy.toml.annotation" &&
        "$PYTHON" - "$t/kata/genpolicy-sample-pod-one-container.yaml" \
            "$work/genpolicy-sample-pod-one-container.yaml.annotation" <<'PY' &&
import re, sys
key = "io.katacontainers.config.hypervisor.cc_init_data"
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\s*" + re.escape(key) + r":\s*(\S+)\s*$", line)
    if m:
        open(sys.argv[2], "w").write(m.group(1))
        break
else:
    sys.exit(f"no {key} annotation in {sys.argv[1]}")
PY
        "$build/initdata" encode "$t/caa/provision-test.toml" >"$work/provision-test.toml.annotation"
}

# Per document: annotation -> bytes -> validated document -> digest, ours
# and Python's, with the floors (libdeflate raw inflate of the same deflate
# data; OpenSSL EVP_Digest with the document's algorithm) from the same
# run.  Then the peak RSS of `initdata decode` at the annotation limit.
bench_pipeline() {
    bin=$build/bench/bench_pipeline
    status=0
    if pipeline_inputs 2>"$work/pipeline.err"; then
        echo "pipeline: us per document; inflate-only = libdeflate raw inflate of the same" \
            "deflate data, hash-only = OpenSSL EVP_Digest of the document"
        for a in "$work/init-data-with-policy.toml.annotation" \
            "$work/genpolicy-sample-pod-one-container.yaml.annotation" \
            "$work/provision-test.toml.annotation"; do
            label="pipeline $(basename "$a" .annotation)"
            # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
            if ! mine=$("$bin" --raw $BENCH_ARGS "$a"); then
                echo "$label: FAILED (bench_pipeline)"
                status=1
                continue
            fi
            # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
            theirs=$("$PYTHON" "$src/bench/pipeline_peer.py" --raw $BENCH_ARGS "$a") || theirs=0
            echo "$mine $theirs" | awk -v l="$label" '{
                ours = $1; infl = $2; hash = $3; alg = $4; bytes = $5; py = $6
                printf "%s (%d bytes): initdata %.1f us/doc, python %s us/doc, ratio %s (target >= 20x); " \
                       "inflate-only %.1f us, hash-only (%s) %.1f us, ours/(inflate+hash) %.2fx (target <= 2x)\n",
                       l, bytes, ours, (py > 0 ? sprintf("%.1f", py) : "unavailable"),
                       (py > 0 ? sprintf("%.1fx", py / ours) : "-"), infl, alg, hash, ours / (infl + hash) }'
        done
    else
        echo "pipeline: skipped ($(tail -1 "$work/pipeline.err"); set IDT_SHARED)"
    fi
    "$PYTHON" "$src/bench/rss_decode.py" "$build/bench/bench_rss" "$build/initdata" "$work" ||
        status=1
    return "$status"
}

# shellcheck disable=SC2086  # BENCHMARKS is a list of names
[ $# -gt 0 ] || set -- $BENCHMARKS
failed=0
for b in "$@"; do
    if [ ! -x "$build/bench/bench_$b" ]; then
        echo "$b: $build/bench/bench_$b not built (a sanitized build builds no benchmarks)"
        failed=1
    elif ! "bench_$b"; then
        failed=1
    fi
done
exit $failed
