#!/usr/bin/env python3
"""Peak RSS of `initdata decode` on an annotation just under 262144 bytes.

    rss_decode.py BENCH_RSS INITDATA WORK_DIR

Builds a document whose annotation (what `initdata encode` writes) is as
close to Kubernetes' 262144-byte limit as the search gets without passing
it: a literal string of random base64 text, which deflate can shrink only
to about 6 bits a character.  Then runs `initdata decode` on that value and
on a small one, each under BENCH_RSS (bench/bench_rss.c, which reports the
child's peak resident set size, ru_maxrss in KiB).  The decoded bytes are
compared with the document, so a failed decode cannot pass for a cheap one.
"""
import os
import random
import subprocess
import sys

LIMIT = 262144
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def document(chars):
    """A valid document holding `chars` random base64 characters."""
    rnd = random.Random(262144)
    text = "".join(rnd.choice(ALPHABET) for _ in range(chars))
    lines = "\n".join(text[i:i + 76] for i in range(0, len(text), 76))
    return ('version = "0.1.0"\nalgorithm = "sha256"\n[data]\n'
            f'"blob.txt" = \'\'\'\n{lines}\n\'\'\'\n').encode()


def encode(tool, doc):
    """The annotation value, or None when it is over the limit."""
    r = subprocess.run([tool, "encode", "-"], input=doc, capture_output=True)
    return r.stdout.rstrip(b"\n") if r.returncode == 0 else None


def largest_under_limit(tool):
    """Binary search on the character count for the longest annotation
    that `initdata encode` still accepts (at most LIMIT bytes)."""
    lo, hi, best = 1000, 2 * LIMIT, None
    while lo <= hi:
        mid = (lo + hi) // 2
        doc = document(mid)
        value = encode(tool, doc)
        if value is not None and len(value) <= LIMIT:
            best, lo = (doc, value), mid + 1
        else:
            hi = mid - 1
    return best


def peak_rss_kib(wrapper, tool, annotation_path, want):
    """Runs `initdata decode` under bench_rss; returns its ru_maxrss."""
    out_path = annotation_path + ".out"
    rss_path = annotation_path + ".rss"
    with open(out_path, "wb") as out:
        r = subprocess.run([wrapper, rss_path, tool, "decode", annotation_path], stdout=out)
    with open(out_path, "rb") as f:
        got = f.read()
    if r.returncode != 0 or got != want:
        raise SystemExit(f"rss_decode.py: initdata decode {annotation_path} failed "
                         f"(exit {r.returncode})")
    with open(rss_path) as f:
        return int(f.read())


def main():
    if len(sys.argv) != 4:
        print("usage: " + __doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    wrapper, tool, work = sys.argv[1:]
    found = largest_under_limit(tool)
    if not found:
        print("rss_decode.py: no document fits the limit", file=sys.stderr)
        return 1
    doc, value = found
    big = os.path.join(work, "rss-big.annotation")
    with open(big, "wb") as f:
        f.write(value)
    small_doc = document(100)
    small = os.path.join(work, "rss-small.annotation")
    with open(small, "wb") as f:
        f.write(encode(tool, small_doc))
    rss_big = peak_rss_kib(wrapper, tool, big, doc)
    rss_small = peak_rss_kib(wrapper, tool, small, small_doc)
    print(f"peak RSS of initdata decode on a {len(value):,}-byte annotation "
          f"({len(doc):,}-byte document): {rss_big:,} KiB "
          f"(on a {os.path.getsize(small):,}-byte annotation: {rss_small:,} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
