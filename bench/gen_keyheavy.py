#!/usr/bin/env python3
"""Writes a key-heavy TOML 1.0 document for the parse benchmark.

    gen_keyheavy.py OUT [--size BYTES]

The document (about BYTES, default 1 MiB) is thousands of [group.table]
sections of short key/value pairs: integers in four bases, floats,
strings with escapes, literal strings, booleans, date-times, arrays,
nested inline tables, dotted and quoted keys, and [[arrays.of.tables]].
Many small values make per-key costs (key decoding, lookup, duplicate
checks, allocation) dominate, unlike a document of a few long strings.
The output depends only on BYTES: the random generator has a fixed seed.
"""
import argparse
import random

WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo "
         "lima mike november oscar papa quebec romeo sierra tango uniform "
         "victor whiskey xray yankee zulu").split()
ESCAPES = ("\\t", "\\n", "\\\"", "\\\\", "\\u00e9", "\\U0001F600", "\\r", "\\u2713")


def escaped(rng, words=4):
    parts = []
    for _ in range(words):
        parts.append(rng.choice(WORDS))
        if rng.random() < 0.5:
            parts.append(rng.choice(ESCAPES))
    return " ".join(parts)


def timestamp(rng):
    return (f"{rng.randrange(1990, 2030)}-{rng.randrange(1, 13):02d}-"
            f"{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:"
            f"{rng.randrange(60):02d}:{rng.randrange(60):02d}Z")


def table(rng, i):
    name = f"group_{i // 40:03d}.table_{i:05d}"
    w = rng.choice(WORDS)
    out = [
        f"[{name}]",
        f"id = {i}",
        f"count = {rng.randrange(-10**12, 10**12)}",
        f"mask = 0x{rng.getrandbits(32):08x}",
        f"mode = 0o{rng.randrange(0o1000):o}",
        f"flags = 0b{rng.getrandbits(8):08b}",
        f"big = {rng.randrange(10**6):_}",
        f"ratio = {rng.uniform(-1000, 1000):.6f}",
        f"scale = {rng.uniform(1, 9):.3f}e{rng.randrange(-30, 30)}",
        f'name = "{escaped(rng)}"',
        f"path = '/var/lib/{w}/{i}\\data'",
        f"enabled = {rng.choice(['true', 'false'])}",
        f"created = {timestamp(rng)}",
        "tags = [" + ", ".join(f'"{rng.choice(WORDS)}"' for _ in range(rng.randrange(1, 5))) + "]",
        "weights = [" + ", ".join(f"{rng.random():.4f}" for _ in range(3)) + "]",
        f"limits = {{ cpu = {rng.randrange(1, 64)}, memory = \"{rng.randrange(64, 4096)}Mi\", "
        f"burst = {{ max = {rng.randrange(100)}, window = {rng.random():.2f} }} }}",
        f'owner.name = "{rng.choice(WORDS)} {rng.choice(WORDS)}"',
        f'owner.contact.email = "{w}{i}@example.com"',
        f'"quoted key {i}" = {i * 7}',
        f"'literal.key' = {rng.randrange(1000)}",
    ]
    for k in range(rng.randrange(1, 3)):
        out += [
            f"[[{name}.rule]]",
            f"priority = {k}",
            f'match = "{escaped(rng, 2)}"',
            f"ports = [{rng.randrange(1, 65536)}, {rng.randrange(1, 65536)}]",
        ]
    return "\n".join(out) + "\n\n"


def generate(size):
    rng = random.Random(20240601)
    blocks = ["# key-heavy benchmark document (bench/gen_keyheavy.py)\n\n"]
    total = len(blocks[0])
    i = 0
    while total < size:
        block = table(rng, i)
        blocks.append(block)
        total += len(block.encode("utf-8"))
        i += 1
    return "".join(blocks), i


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--size", type=int, default=1 << 20)
    args = ap.parse_args()
    text, _ = generate(args.size)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


if __name__ == "__main__":
    main()
