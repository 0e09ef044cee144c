#!/usr/bin/env python3
"""Writes a policy-heavy Init-Data document for the digest benchmark.

    gen_policyheavy.py OUT [--size BYTES] [--policy DOCUMENT]

The document (about BYTES, default 16 MiB) is version, algorithm and one
data entry, "policy.rego", a multi-line literal string: the shape of a
real document, whose size is almost all agent policy.  The policy text is
the policy.rego of DOCUMENT (an Init-Data document holding one in a
'''...''' string, such as Trustee's init-data-with-policy.toml) repeated,
or without --policy a generated Rego-like text (short lines of rules,
comments and default values).  The output depends only on the arguments.
"""
import argparse
import random


def policy_of(path):
    text = open(path, encoding="utf-8").read()
    start = text.index("'''\n") + 4
    return text[start:text.rindex("'''")]


def generated_policy():
    rng = random.Random(20240601)
    words = ("Request Container Sandbox Exec Process Storage Mount Device Signal "
             "Stats Tracing Policy Interface Route Guest Memory").split()
    lines = ["# generated Rego-like policy text (bench/gen_policyheavy.py)",
             "package agent_policy", ""]
    for i in range(2000):
        a, b = rng.choice(words), rng.choice(words)
        kind = i % 4
        if kind == 0:
            lines.append(f"default {a}{b}Request := {rng.choice(['true', 'false'])}")
        elif kind == 1:
            lines.append(f"# {a} {b}: rule {i} checks the input against the policy data")
        elif kind == 2:
            lines.append(f"{a.lower()}_{b.lower()}_{i}(p) if {{ p.{a.lower()} == input.{b.lower()} }}")
        else:
            lines.append(f'    print("{a}{b}: i =", {i}, "ok")')
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--size", type=int, default=16 << 20)
    ap.add_argument("--policy")
    args = ap.parse_args()
    body = policy_of(args.policy) if args.policy else generated_policy()
    head = ('version = "0.1.0"\nalgorithm = "sha256"\n\n[data]\n'
            '"policy.rego" = \'\'\'\n')
    tail = "'''\n"
    parts, n = [head], len(head) + len(tail)
    while n + len(body) <= args.size:
        parts.append(body)
        n += len(body)
    parts.append(body[:args.size - n].rsplit("\n", 1)[0] + "\n" if args.size > n else "")
    parts.append(tail)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(parts))


if __name__ == "__main__":
    main()
