#!/usr/bin/env python3
"""The peer of bench_toml_parse: Python's tomllib on the same files.

    toml_peer.py [--rounds R] [--min-round-ms MS] [--raw] FILE...

Measured as bench.h does: bytes in, tree out (decoding the bytes as UTF-8
is part of the work, as it is for tomllib.load), N parses per round with N
chosen so that a round lasts at least MS milliseconds, best of R rounds,
MB = 10^6 bytes.  Exits 77 (unavailable) when tomllib is missing (Python < 3.11).
"""
import os
import sys

from peer_timing import peer_main, unavailable  # bench/ is on sys.path: the scripts run from there

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None


def load(path):
    with open(path, "rb") as f:
        return f.read()


def parse(data):
    tomllib.loads(data.decode("utf-8"))


def report(path, data, best, n, raw, rounds):
    mbps = len(data) * n / best / 1e6
    if raw:
        return f"{mbps:.1f}"
    return (f"tomllib {os.path.basename(path)}: {mbps:.1f} MB/s "
            f"({len(data)} bytes, best of {rounds} rounds of {n})")


if __name__ == "__main__":
    if tomllib is None:
        unavailable("toml_peer.py: tomllib needs Python 3.11 or later")
    sys.exit(peer_main(__doc__.splitlines()[0], load, parse, report))
