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
the number alone, one line per file).  Exits 3 when tomllib is missing
(Python < 3.11).
"""
import argparse
import base64
import gzip
import hashlib
import os
import sys

from peer_timing import best_round  # bench/ is on sys.path: the scripts run from there

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


def measure(annotation, rounds, min_round_s):
    best, n = best_round(pipeline, annotation, rounds, min_round_s)
    return best / n * 1e6, n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--min-round-ms", type=float, default=200)
    ap.add_argument("--raw", action="store_true", help="print only microseconds per document")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    if tomllib is None:
        print("pipeline_peer.py: tomllib needs Python 3.11 or later", file=sys.stderr)
        return 3
    for path in args.files:
        with open(path, "rb") as f:
            annotation = f.read().rstrip(b"\n")
        pipeline(annotation)  # must be a valid document: fail loudly if not
        us, n = measure(annotation, args.rounds, args.min_round_ms / 1e3)
        if args.raw:
            print(f"{us:.2f}")
        else:
            print(f"python {os.path.basename(path)}: {us:.1f} us/doc "
                  f"({len(annotation)}-byte annotation, best of {args.rounds} rounds of {n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
