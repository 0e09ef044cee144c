"""Timing and the command line shared by the Python peers of the benchmarks:
the same scheme as bench/bench.h (double the iterations until a round is long
enough, then the best of several rounds), so both sides are measured alike.

A peer that cannot run here for want of an optional module exits UNAVAILABLE
(77) with a message, and bench/run.sh reports it as unavailable; any other
failure is an ordinary error exit (or a traceback), which fails the benchmark.
"""
import argparse
import sys
import time

UNAVAILABLE = 77


def unavailable(why):
    """Ends the peer: it cannot run here (bench/run.sh prints why)."""
    print(why, file=sys.stderr)
    sys.exit(UNAVAILABLE)


def timed_round(fn, arg, iterations):
    t0 = time.perf_counter()
    for _ in range(iterations):
        fn(arg)
    return time.perf_counter() - t0


def best_round(fn, arg, rounds, min_round_s):
    """Returns (seconds of the best round, iterations per round)."""
    n = 1
    t = timed_round(fn, arg, n)
    while t < min_round_s:
        n *= 2
        t = timed_round(fn, arg, n)
    best = t
    for _ in range(rounds):
        best = min(best, timed_round(fn, arg, n))
    return best, n


def peer_main(description, load, work, report):
    """A peer's main(): [--rounds R] [--min-round-ms MS] [--raw] FILE...

    load(path) gives the input of a file; work(input) is the measured work,
    run once untimed first so that an input it cannot handle fails loudly;
    report(path, input, best_s, n, raw, rounds) gives the line to print
    (with raw, the figure alone)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--min-round-ms", type=float, default=200)
    ap.add_argument("--raw", action="store_true", help="print only the figure")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    for path in args.files:
        data = load(path)
        work(data)
        best, n = best_round(work, data, args.rounds, args.min_round_ms / 1e3)
        print(report(path, data, best, n, args.raw, args.rounds))
    return 0
