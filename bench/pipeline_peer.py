#!/usr/bin/env python3
"""The peer of bench_pipeline: Python's standard library on the same annotations.

    pipeline_peer.py [--rounds R] [--min-round-ms MS] [--raw] ANNOTATION...

Per document, the same work as the C pipeline: strict base64
(base64.b64decode with validate=True), gzip.decompress (which checks CRC32
and ISIZE), UTF-8 decoding, tomllib.loads, the Init-Data rules (version
"0.1.0", a known algorithm, data a table of strings) and hashlib over the
exact bytes with the document's algorithm.  Timed as bench.h does: N
documents per round, N chosen so that a round lasts at least MS
milliseconds, best of R rounds.  Prints microseconds per document (--raw:
the number alone, one line per file).  Exits 77 (unavailable) when tomllib
is missing (Python < 3.11).
"""
import base64
import gzip
import hashlib
import os
import sys

from peer_timing import peer_main, unavailable  # bench/ is on sys.path: the scripts run from there

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

ALGORITHMS = ("sha256", "sha384", "sha512")


def pipeline(annotation):
    """annotation -> bytes -> validated document -> digest."""
    data = gzip.decompress(base64.b64decode(annotation, validate=True))
    doc = tomllib.loads(data.decode("utf-8"))
    if doc.get("version") != "0.1.0":
        raise ValueError("unsupported version")
    algorithm = doc.get("algorithm")
    if algorithm not in ALGORITHMS:
        raise ValueError("unsupported algorithm")
    entries = doc.get("data")
    if not isinstance(entries, dict) or not all(isinstance(v, str) for v in entries.values()):
        raise ValueError("data must be a table of strings")
    return hashlib.new(algorithm, data).digest()


def load(path):
    with open(path, "rb") as f:
        return f.read().rstrip(b"\n")


def report(path, annotation, best, n, raw, rounds):
    us = best / n * 1e6
    if raw:
        return f"{us:.2f}"
    return (f"python {os.path.basename(path)}: {us:.1f} us/doc "
            f"({len(annotation)}-byte annotation, best of {rounds} rounds of {n})")


if __name__ == "__main__":
    if tomllib is None:
        unavailable("pipeline_peer.py: tomllib needs Python 3.11 or later")
    sys.exit(peer_main(__doc__.splitlines()[0], load, pipeline, report))
