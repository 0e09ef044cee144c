#!/usr/bin/env python3
"""initdata annotate on randomly written manifests, checked with PyYAML.

Each manifest is data (pod-bearing and other objects, with or without
metadata / annotations / the two Init-Data keys) written by a small YAML
writer of our own in random styles: block or flow mappings, JSON, 2-4
space indentation, indentless sequences, plain / single / double quoting,
comments after values and on their own lines, blank lines, nulls written as
``, `~` or `null`, `---` and `...` markers, CRLF, with or without a final
newline.  For every one:
  * PyYAML (pure-Python loader) reads the output as the input's data with
    the annotation set where Kubernetes reads it (and the other key renamed
    or removed, as --key asks), nothing else changed;
  * every input line that holds no flow mapping and no Init-Data key is in
    the output, unchanged and in order (comments, blank lines, indentation);
  * the line ends of the output are those of the input;
  * annotating the output again changes nothing.
IDT_RANDOM_N (default 150) cases from seed IDT_RANDOM_SEED (default 1).
"""
import base64
import gzip
import os
import random
import re
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402
import k8s  # noqa: E402
from k8s import CUR, LEG, PATHS  # noqa: E402

N = int(os.environ.get("IDT_RANDOM_N", "150"))
SEED = int(os.environ.get("IDT_RANDOM_SEED", "1"))
NULL = object()  # a null written in one of YAML's spellings

T = idt_test.Test("manifest random")
check = T.check


# --- the data --------------------------------------------------------------

def rand_annotations(r):
    ann = {}
    for i in range(r.randint(0, 3)):
        ann[r.choice(["app", "team", "note", "x.io/y"]) + str(i)] = r.choice(
            ["v", "two words", "yes", "12", "a: b", "# not a comment", ""])
    if r.random() < 0.25:
        ann[LEG] = "H4sIlegacy"
    if r.random() < 0.25:
        ann[CUR] = "H4sIold"
    return ann


def rand_meta(r, name):
    c = r.random()
    if c < 0.1:
        return None  # no metadata key
    if c < 0.2:
        return NULL
    m = {}
    if r.random() < 0.8:
        m["name"] = name
    if r.random() < 0.5:
        m["labels"] = {"app": name}
    c = r.random()
    if c < 0.15:
        m["annotations"] = NULL
    elif c < 0.75:
        m["annotations"] = rand_annotations(r)
    items = list(m.items())
    r.shuffle(items)
    return dict(items)


def pod_spec(r):
    spec = {"containers": [{"name": "c", "image": "busybox", "args": ["-c", "sleep 1"]}]}
    if r.random() < 0.8:
        spec["runtimeClassName"] = "kata-qemu-tdx"
    return spec


def rand_object(r, i, in_list=False):
    kinds = list(PATHS) + ["Service", "ConfigMap"] + ([] if in_list else ["List"])
    kind = r.choice(kinds)
    o = {"apiVersion": "v1", "kind": kind}
    meta = rand_meta(r, f"o{i}")
    if kind == "List":
        o["items"] = [rand_object(r, i * 10 + k, True) for k in range(r.randint(0, 3))]
    elif kind in PATHS:
        holder = o
        for k in PATHS[kind]:
            holder[k] = {} if k != "spec" or holder is not o else {"replicas": 1}
            holder = holder[k]
        if PATHS[kind]:
            if meta is not None:
                o["metadata"] = {"name": f"o{i}"}
            tmeta = rand_meta(r, f"t{i}")
            if tmeta is not None:
                holder["metadata"] = tmeta
        elif meta is not None:
            o["metadata"] = meta
        holder["spec"] = pod_spec(r)
    else:
        if meta is not None:
            o["metadata"] = meta
        o["data"] = {"kind": "Pod", "metadata": "not this one"}
    items = list(o.items())
    r.shuffle(items)
    return dict(items)


# --- a random YAML writer -----------------------------------------------------

def scalar(r, v, flow, json_style=False):
    if v is NULL:
        return "null" if json_style else r.choice(["~", "null", ""])
    if isinstance(v, int):
        return str(v)
    plain_ok = (v and v == v.strip() and v[0].isalpha() and v not in ("yes", "no")
                and ": " not in v and " #" not in v and
                not any(c in v for c in ",[]{}#\"'" if flow or c in "#\"'"))
    if json_style:
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    c = r.random()
    if plain_ok and c < 0.6:
        return v
    if c < 0.8:
        return "'" + v.replace("'", "''") + "'"
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def comment(r):
    return r.choice(["", "", "", "  # note", " # ünï"])


class Writer:
    def __init__(self, r):
        self.r = r
        self.step = r.choice([2, 2, 3, 4])
        self.json = r.random() < 0.1

    def flow(self, v):
        if isinstance(v, dict):
            if not v:
                return "{}"
            parts = [f"{scalar(self.r, k, True, self.json)}: {self.flow(x)}" for k, x in v.items()]
            return "{" + ", ".join(parts) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(self.flow(x) for x in v) + "]"
        return scalar(self.r, v, True, self.json)

    def block(self, v, ind, lines):
        """Writes mapping v as block lines at indentation ind."""
        r = self.r
        for k, x in v.items():
            if r.random() < 0.1:
                lines.append(" " * ind + "# about " + str(k))
            if r.random() < 0.08:
                lines.append("")
            key = " " * ind + scalar(r, k, False) + ":"
            if isinstance(x, dict) and x and r.random() < 0.8:
                lines.append(key + comment(r))
                self.block(x, ind + self.step, lines)
            elif isinstance(x, list) and x and all(isinstance(i, dict) and i for i in x) \
                    and r.random() < 0.7:
                lines.append(key + comment(r))
                dash = ind if r.random() < 0.5 else ind + self.step  # indentless or not
                for item in x:
                    sub = []
                    self.block(item, dash + 2, sub)
                    first = next(i for i, s in enumerate(sub) if s.strip() and
                                 not s.strip().startswith("#"))
                    sub[first] = " " * dash + "- " + sub[first][dash + 2:]
                    lines.extend(sub)
            elif isinstance(x, (dict, list)):
                lines.append(key + " " + self.flow(x) + comment(r))
            else:
                s = scalar(r, x, False)
                lines.append(key + (" " + s if s else "") + comment(r))

    def document(self, o):
        if self.json:
            return [self.flow(o)]
        lines = []
        self.block(o, 0, lines)
        return lines


def manifest(r, objs):
    out = []
    eol = "\r\n" if r.random() < 0.2 else "\n"
    for i, o in enumerate(objs):
        w = Writer(r)
        if i > 0 or r.random() < 0.3:
            out.append(r.choice(["---", "--- # next", "---"]))
        out.extend(w.document(o))
        if r.random() < 0.1:
            out.append("...")
    text = eol.join(out)
    if r.random() < 0.85:
        text += eol
    return text, eol


# --- the oracle -------------------------------------------------------------

def expected(data, keys):
    """The input data annotated as --key asks: the other key removed."""
    return k8s.annotated(data, VALUE, keys, drop=[k for k in (CUR, LEG) if k not in keys])


def load(b):
    return list(yaml.load_all(b.decode("utf-8"), Loader=yaml.SafeLoader))


WORK = T.tempdir()
DOC = os.path.join(WORK, "initdata.toml")
with open(DOC, "wb") as f:
    f.write(b'version = "0.1.0"\nalgorithm = "sha384"\n[data]\n"policy.rego" = \'\'\'\n'
            b'package agent_policy\n\'\'\'\n')
rc, out, err = T.tool(["encode", DOC])
VALUE = out.decode().strip()
check(rc == 0 and gzip.decompress(base64.b64decode(VALUE)).startswith(b'version = "0.1.0"'),
      "value")

r = random.Random(SEED)
for case in range(N):
    objs = [rand_object(r, case * 100 + i) for i in range(r.randint(1, 3))]
    text, eol = manifest(r, objs)
    mode = r.choice(["current", "current", "legacy", "both"])
    keys = {"current": (CUR,), "legacy": (LEG,), "both": (CUR, LEG)}[mode]
    src = text.encode()
    try:
        before = load(src)
    except yaml.YAMLError as e:  # the writer made something PyYAML refuses
        check(False, f"case {case}: generated YAML does not load: {e}")
        continue
    rc, out, err = T.tool(["annotate", "--initdata", DOC, "--key", mode, "-"], src)
    pods = any(isinstance(o, dict) and (o.get("kind") in PATHS or (
        o.get("kind") == "List" and any(i.get("kind") in PATHS for i in o["items"])))
        for o in before)
    if not pods:
        # on standard input (a filter, helm's post-renderer) it passes through
        check(rc == 0 and out == src and b"no pod-bearing object; passed through unchanged" in err,
              f"case {case}: no pod-bearing object: exit 0, the input unchanged")
        continue
    if not check(rc == 0, f"case {case}: exit 0 ({err.decode()[:300]})"):
        print(text, file=sys.stderr)
        continue
    ok = check(load(out) == expected(before, keys), f"case {case}: PyYAML data")
    # Lines without a flow mapping, an Init-Data key or a null metadata /
    # annotations (which becomes a flow mapping) are kept, in order.
    it = iter(out.decode().split(eol))
    kept = all(any(line == o for o in it) for line in text.split(eol)
               if "{" not in line and CUR not in line and LEG not in line and
               not re.search(r"(annotations|metadata)['\"]?: *(~|null)", line))
    ok &= check(kept, f"case {case}: other lines kept in order")
    other = "\n" if eol == "\r\n" else "\r\n"
    ok &= check(other not in out.decode() if eol == "\n" else
                out.count(b"\n") == out.count(b"\r\n"), f"case {case}: line ends")
    ok &= check(out.endswith(eol.encode()) == src.endswith(eol.encode()),
                f"case {case}: final newline kept as it was")
    rc2, out2, _ = T.tool(["annotate", "--initdata", DOC, "--key", mode, "-"], out)
    ok &= check(rc2 == 0 and out2 == out, f"case {case}: idempotent")
    if not ok:
        print(f"--- case {case} ({mode}) input:\n{text}\n--- output:\n{out.decode()}",
              file=sys.stderr)

sys.exit(T.finish())
