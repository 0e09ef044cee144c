#!/usr/bin/env python3
"""The peer of bench_toml_parse: Python's tomllib on the same files.

    toml_peer.py [--rounds R] [--min-round-ms MS] [--raw] FILE...

Measured as bench.h does: bytes in, tree out (decoding the bytes as UTF-8
is part of the work, as it is for tomllib.load), N parses per round with N
chosen so that a round lasts at least MS milliseconds, best of R rounds,
MB = 10^6 bytes.  Exits 3 when tomllib is missing (Python < 3.11).
"""
import argparse
import os
import sys

from peer_timing import best_round  # bench/ is on sys.path: the scripts run from there

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None


def measure(data, rounds, min_round_s):
    best, n = best_round(lambda d: tomllib.loads(d.decode("utf-8")), data, rounds, min_round_s)
    return len(data) * n / best / 1e6, n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--min-round-ms", type=float, default=200)
    ap.add_argument("--raw", action="store_true", help="print only MB/s")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    if tomllib is None:
        print("toml_peer.py: tomllib needs Python 3.11 or later", file=sys.stderr)
        return 3
    for path in args.files:
        with open(path, "rb") as f:
            data = f.read()
        tomllib.loads(data.decode("utf-8"))  # must parse: fail loudly if not
        mbps, n = measure(data, args.rounds, args.min_round_ms / 1e3)
        if args.raw:
            print(f"{mbps:.1f}")
        else:
            print(f"tomllib {os.path.basename(path)}: {mbps:.1f} MB/s "
                  f"({len(data)} bytes, best of {args.rounds} rounds of {n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
