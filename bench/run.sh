#!/bin/sh
# run.sh BUILD_DIR [BENCHMARK...]
# Runs the benchmarks built in BUILD_DIR/bench next to their peers and
# prints, per input, both throughputs and their ratio, each figure next
# to its floor (the work no implementation can skip: OpenSSL's hash of the
# same bytes, libdeflate's inflate of the same stream, `openssl dgst` for
# the whole-process digest) with the ratio to it, and peak RSS, e.g.
#   toml_parse keyheavy.toml: initdata 131.1 MB/s (target >= 120), tomllib 2.7 MB/s,
#     ratio 48.6x (target >= 30x); floor: SHA-256 1650.2 MB/s, parse/hash 12.59x; peak RSS ...
# (`make bench`).  Targets are printed, not asserted: the numbers depend on
# the machine.  Exits 1 if a benchmark or a peer failed to run, saying which:
# a peer that crashes or errs fails the run.  Only a peer that cannot run
# here (exit 77: an optional module such as tomllib is missing) is printed
# as unavailable, with its reason, and so is an input that needs the shared
# test data when there is none; shared data that is there but incomplete
# fails.
#
# To add a benchmark: write bench/bench_<name>.c (and its peer), add a
# bench_<name> function below and put <name> in BENCHMARKS.
# Environment: IDT_SHARED (default ../shared beside the source tree),
# PYTHON (default python3), BENCH_ARGS (extra options for both sides, e.g.
# "--rounds 3 --min-round-ms 100"); the webhook benchmark's IDT_LOAD_*
# (bench/webhook_load.py).
# shellcheck disable=SC2317  # bench_<name> functions are called by name
set -eu

BENCHMARKS="toml_parse pipeline digest json webhook webhook_faults"

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

# peer LABEL SCRIPT ARGS...: runs a Python peer; its figure in $theirs.
# Returns 0 when it ran, 77 when it cannot run here (the reason is in
# $peer_why), and 1 after printing "LABEL: FAILED (...)" when it failed.
peer() {
    label=$1 script=$2
    shift 2
    theirs=$("$PYTHON" "$script" "$@" 2>"$work/peer.err")
    prc=$?
    peer_why=$(tail -1 "$work/peer.err")
    if [ "$prc" -eq 0 ] && [ -n "$theirs" ]; then
        return 0
    fi
    if [ "$prc" -eq 77 ]; then
        return 77
    fi
    echo "$label: FAILED (peer ${script##*/} exited $prc: $peer_why)"
    cat "$work/peer.err" >&2
    return 1
}

# compare NAME FILE OURS_PROGRAM PEER_NAME PEER_SCRIPT [MBPS_TARGET RATIO_TARGET]:
# measures FILE with both programs (same options, --raw) and prints one
# comparison line; ours prints "MBPS HASH_MBPS PEAK_RSS_KIB".
compare() {
    name=$1 file=$2 ours=$3 peer_name=$4 script=$5 mbps_target=${6:-0} ratio_target=${7:-0}
    label="$name ${file##*/}"
    # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
    if ! mine=$("$ours" --raw $BENCH_ARGS "$file"); then
        echo "$label: FAILED (${ours##*/})"
        return 1
    fi
    prc=0
    # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
    peer "$label" "$script" --raw $BENCH_ARGS "$file" || prc=$?
    case $prc in
    0) ;;
    77) theirs=0 ;;
    *) return 1 ;;
    esac
    echo "$mine $theirs" | awk -v l="$label" -v p="$peer_name" -v why="$peer_why" \
        -v mt="$mbps_target" -v rt="$ratio_target" '{
        a = $1; hash = $2; rss = $3; b = $4
        printf "%s: initdata %.1f MB/s%s, %s %s, ratio %s%s; floor: SHA-256 of the same bytes " \
               "%.1f MB/s, parse/hash time %.2fx; peak RSS %d KiB\n",
               l, a, (mt > 0 ? sprintf(" (target >= %d)", mt) : ""), p,
               (b > 0 ? sprintf("%.1f MB/s", b) : "unavailable (" why ")"),
               (b > 0 ? sprintf("%.1fx", a / b) : "-"),
               (b > 0 && rt > 0 ? sprintf(" (target >= %dx)", rt) : ""), hash, hash / a, rss }'
}

# have_shared LABEL FILE...: whether every FILE of the shared test data is
# there; without the shared data prints "LABEL: skipped" and returns 1;
# with it, a missing FILE is an error (returns 2, after saying which).
have_shared() {
    label=$1
    shift
    if [ ! -d "$shared/testdata" ]; then
        echo "$label: skipped (no shared test data at $shared; set IDT_SHARED)"
        return 1
    fi
    for f in "$@"; do
        if [ ! -f "$f" ]; then
            echo "$label: FAILED ($f is missing from the shared test data)"
            return 2
        fi
    done
    return 0
}

bench_toml_parse() {
    bin=$build/bench/bench_toml_parse
    policy=$shared/testdata/trustee/init-data-with-policy.toml
    keyheavy=$work/keyheavy.toml
    status=0
    found=0
    have_shared "toml_parse init-data-with-policy.toml" "$policy" || found=$?
    case $found in
    0) compare toml_parse "$policy" "$bin" tomllib "$src/bench/toml_peer.py" || status=1 ;;
    2) status=1 ;;
    esac
    if "$PYTHON" "$src/bench/gen_keyheavy.py" "$keyheavy"; then
        compare toml_parse "$keyheavy" "$bin" tomllib "$src/bench/toml_peer.py" 120 30 ||
            status=1
    else
        echo "toml_parse keyheavy.toml: FAILED (gen_keyheavy.py)"
        status=1
    fi
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
    t=$shared/testdata
    status=0
    found=0
    have_shared pipeline "$t/trustee/init-data-with-policy.toml" \
        "$t/kata/genpolicy-sample-pod-one-container.yaml" "$t/caa/provision-test.toml" ||
        found=$?
    if [ "$found" -eq 2 ]; then status=1; fi
    if [ "$found" -eq 0 ] && ! pipeline_inputs 2>"$work/pipeline.err"; then
        echo "pipeline: FAILED (making the annotations: $(tail -1 "$work/pipeline.err"))"
        status=1
        found=2
    fi
    if [ "$found" -eq 0 ]; then
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
            prc=0
            # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
            peer "$label" "$src/bench/pipeline_peer.py" --raw $BENCH_ARGS "$a" || prc=$?
            case $prc in
            0) ;;
            77) theirs=0 ;;
            *)
                status=1
                continue ;;
            esac
            echo "$mine $theirs" | awk -v l="$label" -v why="$peer_why" '{
                ours = $1; infl = $2; hash = $3; alg = $4; bytes = $5; py = $6
                printf "%s (%d bytes): initdata %.1f us/doc, python %s, ratio %s (target >= 20x); " \
                       "floor: inflate-only %.1f us + hash-only (%s) %.1f us, ours/(inflate+hash) %.2fx (target <= 1.5x)\n",
                       l, bytes, ours, (py > 0 ? sprintf("%.1f us/doc", py) : "unavailable (" why ")"),
                       (py > 0 ? sprintf("%.1fx", py / ours) : "-"), infl, alg, hash, ours / (infl + hash) }'
        done
    fi
    "$PYTHON" "$src/bench/rss_decode.py" "$build/bench/bench_rss" "$build/initdata" "$work" ||
        status=1
    return "$status"
}

# The JSON reader next to jansson, both in bench_json (one process, same
# bytes), with the memchr floor: the API server's Pod fixture, then the
# AdmissionReview and the 64 KB document that bench_json builds.
bench_json() {
    bin=$build/bench/bench_json
    pod=$shared/testdata/k8s/api-testdata/core.v1.Pod.json
    status=0
    found=0
    have_shared "json core.v1.Pod.json" "$pod" || found=$?
    set -- @admission-review @generated-64k
    case $found in
    0) set -- "$pod" "$@" ;;
    2) status=1 ;;
    esac
    # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
    "$bin" $BENCH_ARGS "$@" || {
        echo "json: FAILED (bench_json exited $?)"
        status=1
    }
    return "$status"
}

# The webhook under load (bench/webhook_load.py): `initdata webhook`, the
# Go peer (bench/go-peer) and the bare libmicrohttpd + GnuTLS floor
# (bench/mhd_floor.c), each pinned to core 0 and driven by h2load on core
# 1; reviews/s, p50/p99, server CPU per review and its ratio Go/ours, p99
# at a fixed rate, peak RSS.  Ours is skipped while the tool has no
# webhook command; a server that fails to build or run fails the run.
bench_webhook() {
    "$PYTHON" "$src/bench/webhook_load.py" "$build" "$work/webhook"
}

# The webhook's faults under load (bench/webhook_faults.py): 1,000 idle
# connections, 10,000 malformed requests, a reload and a rotation, SIGTERM;
# failed and wrong answers counted, and the server's peak RSS.
bench_webhook_faults() {
    "$PYTHON" "$src/bench/webhook_faults.py" "$build" "$work/faults"
}

# The whole process: `initdata digest` of a 16 MiB policy-heavy document
# (bench/gen_policyheavy.py, with Trustee's policy when the shared test
# data is there) against `openssl dgst -sha256` of the same file, in turns
# (bench/bench_process.c: medians of DIGEST_RUNS runs, default 15), and
# the peak RSS of each, ours next to the input's size.
bench_digest() {
    doc=$work/policy-16MiB.toml
    policy=$shared/testdata/trustee/init-data-with-policy.toml
    if [ -f "$policy" ]; then
        "$PYTHON" "$src/bench/gen_policyheavy.py" "$doc" --policy "$policy"
    else
        "$PYTHON" "$src/bench/gen_policyheavy.py" "$doc"
    fi || {
        echo "digest: FAILED (gen_policyheavy.py)"
        return 1
    }
    if ! command -v openssl >/dev/null 2>&1; then
        echo "digest: openssl not found, no floor to compare with"
        return 1
    fi
    if ! out=$("$build/bench/bench_process" --runs "${DIGEST_RUNS:-15}" "$work" -- \
        "$build/initdata" digest "$doc" -- openssl dgst -sha256 -r "$doc"); then
        echo "digest: FAILED (bench_process)"
        return 1
    fi
    ours=$(cut -c1-64 "$work/process.0.first")
    theirs=$(cut -c1-64 "$work/process.1.first")
    if [ "$ours" != "$theirs" ]; then
        echo "digest: FAILED (initdata says $ours, openssl dgst says $theirs)"
        return 1
    fi
    bytes=$(wc -c <"$doc")
    echo "$out" | awk -v l="digest ${doc##*/}" -v n="$bytes" -v runs="${DIGEST_RUNS:-15}" '
        NR == 1 { ms = $1; best = $2; rss = $3 }
        NR == 2 { oms = $1; obest = $2; orss = $3 }
        END {
            input = n / 1024
            printf "%s (%d bytes): initdata digest %.1f ms (fastest %.1f); floor: openssl dgst " \
                   "-sha256 %.1f ms (fastest %.1f); medians of %d runs, ratio %.2fx (target <= 1.5x); " \
                   "peak RSS %d KiB = input %d KiB + %d KiB (target <= input + 8192 KiB), " \
                   "openssl dgst %d KiB\n", l, n, ms, best, oms, obest, runs, ms / oms, rss, input,
                   rss - input, orss }'
}

# shellcheck disable=SC2086  # BENCHMARKS is a list of names
[ $# -gt 0 ] || set -- $BENCHMARKS
failed=0
for b in "$@"; do
    case $b in
    webhook) bin=mhd_floor ;;
    webhook_faults) bin=../initdata ;;
    digest) bin=bench_process ;;
    *) bin=bench_$b ;;
    esac
    if [ ! -x "$build/bench/$bin" ]; then
        echo "$b: $build/bench/$bin not built (a sanitized build builds no benchmarks;" \
            "webhook's needs libmicrohttpd and GnuTLS: scripts/install-deps.sh bench)"
        failed=1
    elif ! "bench_$b"; then
        failed=1
    fi
done
exit $failed
