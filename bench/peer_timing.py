"""Timing shared by the Python peers of the benchmarks: the same scheme as
bench/bench.h (double the iterations until a round is long enough, then the
best of several rounds), so both sides are measured alike."""
import time


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
