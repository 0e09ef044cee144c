#!/usr/bin/env python3
"""initdata annotate / extract on real manifests.

Oracles, all independent of the tool:
  * the expected output of each case is written out here by hand (or built
    with str.replace from the input), and compared byte for byte;
  * PyYAML (the pure-Python SafeLoader, not libyaml) loads input and output:
    the output's data must equal the input's data with the annotation set at
    the path Kubernetes uses for that kind (table below, from initdata-facts
    section 4), and nothing else changed;
  * the annotation value is decoded with Python's base64 and gzip and must be
    the exact bytes of the Init-Data document.
Env: INITDATA (the tool), IDT_SHARED (../shared; the genpolicy case is
skipped without it, and fails when the data is there but the sample is not).
"""
import base64
import gzip
import json
import os
import struct
import sys
import zlib

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402
import k8s  # noqa: E402
from k8s import CUR, LEG, PATHS, annotations_of  # noqa: E402

BUDGET = 262144

T = idt_test.Test("manifest")
check = T.check
run = T.tool  # run(ARGS, STDIN): the tool; a crash is a failure of its own


WORK = T.tempdir()
DOC = os.path.join(WORK, "initdata.toml")
DOC_BYTES = (
    b'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n'
    b'"aa.toml" = \'\'\'\n[token_configs]\n[token_configs.kbs]\nurl = "http://10.0.0.1:8080"\n\'\'\'\n'
    b'"cdh.toml" = \'\'\'\n[kbc]\nname = "cc_kbc"\nurl = "http://10.0.0.1:8080"\n\'\'\'\n'
    b'"policy.rego" = \'\'\'\npackage agent_policy\ndefault AllowRequestsFailingPolicy := true\n\'\'\'\n'
)
with open(DOC, "wb") as f:
    f.write(DOC_BYTES)
rc, out, err = run(["encode", DOC])
VALUE = out.decode().strip()
check(rc == 0 and VALUE.startswith("H4sI"), "encode the test document")
check(gzip.decompress(base64.b64decode(VALUE, validate=True)) == DOC_BYTES,
      "the encoded value decodes (Python) to the document")


def expected_data(data, keys=(CUR,), drop=()):
    """The input data with the annotation set where Kubernetes reads it."""
    return k8s.annotated(data, VALUE, keys, drop)


def frozen(x):
    """A complex key (a sequence or mapping) as a hashable tuple."""
    if isinstance(x, list):
        return tuple(frozen(i) for i in x)
    if isinstance(x, dict):
        return tuple((frozen(k), frozen(v)) for k, v in x.items())
    return x


class KeyLoader(yaml.SafeLoader):
    """SafeLoader that also loads complex keys (`? [a, b]`), as tuples;
    documents with only scalar keys load exactly as with SafeLoader."""

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        return {frozen(self.construct_object(k, deep=True)): self.construct_object(v, deep=deep)
                for k, v in node.value}


def load_all(b):
    return list(yaml.load_all(b.decode("utf-8-sig"), Loader=KeyLoader))


def case(name, text, expect, args=(), keys=(CUR,), drop=(), crlf=False):
    """Annotates text (str; {V} in expect is the value) and checks the
    bytes, the data (PyYAML) and the decoded document."""
    if crlf:
        text = text.replace("\n", "\r\n")
        expect = expect.replace("\n", "\r\n")
    src = text.encode()
    want = expect.replace("{V}", VALUE).encode()
    rc, out, err = run(["annotate", "--initdata", DOC] + list(args) + ["-"], src)
    if not check(rc == 0, f"{name}: exit 0 (got {rc}: {err.decode()[:300]})"):
        return out
    if not check(out == want, f"{name}: output byte for byte"):
        print("--- want\n" + want.decode(errors="replace") + "\n--- got\n" +
              out.decode(errors="replace"), file=sys.stderr)
    before, after = load_all(src), load_all(out)
    check(after == expected_data(before, keys, drop), f"{name}: PyYAML data = input + annotation")
    for d in after:
        for o in ([d] if not (isinstance(d, dict) and d.get("kind") == "List")
                  else d.get("items") or []):
            if isinstance(o, dict) and o.get("kind") in PATHS:
                for k in keys:
                    check(gzip.decompress(base64.b64decode(annotations_of(o)[k])) == DOC_BYTES,
                          f"{name}: {o['kind']} annotation decodes to the document")
    # A second run changes nothing (the value is replaced by itself).
    rc2, out2, _ = run(["annotate", "--initdata", DOC] + list(args) + ["-"], out)
    check(rc2 == 0 and out2 == out, f"{name}: annotating again is a no-op")
    return out


# --- single objects -----------------------------------------------------

SEED_POD = """apiVersion: v1
kind: Pod
metadata:
  name: encrypted-image
  annotations:
    io.containerd.cri.runtime-handler: kata-qemu-tdx
    io.katacontainers.config.hypervisor.kernel_params: ' agent.guest_components_procs=confidential-data-hub'
spec:
  runtimeClassName: kata-qemu-tdx
  containers:
    - name: test-container
      image: some-registry.io/image
      imagePullPolicy: Always
      command:
        - sleep
        - "30"
"""
SEED_POD_OUT = SEED_POD.replace(
    "confidential-data-hub'\n", "confidential-data-hub'\n    " + CUR + ": {V}\n")
case("seed pod", SEED_POD, SEED_POD_OUT)
case("seed pod, CRLF", SEED_POD, SEED_POD_OUT, crlf=True)
case("seed pod, no final newline", SEED_POD.rstrip("\n"), SEED_POD_OUT.rstrip("\n"))
case("seed pod, UTF-8 BOM", "\ufeff" + SEED_POD, "\ufeff" + SEED_POD_OUT)

case("no annotations, comments and blank lines in metadata", """\
kind: Pod
apiVersion: v1
metadata:
  # the name
  name: web

  labels:   # labels
    app: "web"   # trailing

  # end of metadata
spec:
  runtimeClassName: kata
  containers: [{name: c, image: busybox}]
""", """\
kind: Pod
apiVersion: v1
metadata:
  # the name
  name: web

  labels:   # labels
    app: "web"   # trailing
  annotations:
    io.katacontainers.config.hypervisor.cc_init_data: {V}

  # end of metadata
spec:
  runtimeClassName: kata
  containers: [{name: c, image: busybox}]
""")

case("no metadata, 4-space indentation, unicode before", """\
# Pod für Tests — ünïcödé
kind: Pod
spec:
    runtimeClassName: kata   # ✓
    containers:
    -   name: c
        image: busybox
""", """\
# Pod für Tests — ünïcödé
kind: Pod
spec:
    runtimeClassName: kata   # ✓
    containers:
    -   name: c
        image: busybox
metadata:
    annotations:
        io.katacontainers.config.hypervisor.cc_init_data: {V}
""")

case("flow annotations", """\
kind: Pod
metadata: {name: p, annotations: {a: b}}
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata: {name: p, annotations: {a: b, io.katacontainers.config.hypervisor.cc_init_data: {V}}}
spec: {runtimeClassName: kata}
""")

case("empty flow annotations, trailing comma", """\
kind: Pod
metadata:
  name: p
  annotations: {}
  labels: {a: b,}
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata:
  name: p
  annotations: {io.katacontainers.config.hypervisor.cc_init_data: {V}}
  labels: {a: b,}
spec: {runtimeClassName: kata}
""")

case("flow metadata without annotations", """\
kind: Pod
metadata: { name: p }
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata: { name: p, annotations: {io.katacontainers.config.hypervisor.cc_init_data: {V}} }
spec: {runtimeClassName: kata}
""")

JSON_POD = ('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},\n'
            ' "spec": {"runtimeClassName": "kata", "containers": [{"name": "c", "image": "i"}]}}\n')
out = case("JSON manifest", JSON_POD, JSON_POD.replace(
    '"name": "p"}', '"name": "p", "annotations": {"' + CUR + '": "{V}"}}'))
check(json.loads(out)["metadata"]["annotations"][CUR] == VALUE, "JSON manifest: still JSON")

case("null annotations (empty)", """\
kind: Pod
metadata:
  name: p
  annotations:   # none yet
spec:
  runtimeClassName: kata
""", """\
kind: Pod
metadata:
  name: p
  annotations:   # none yet
    io.katacontainers.config.hypervisor.cc_init_data: {V}
spec:
  runtimeClassName: kata
""")

case("null annotations (~) and null metadata", """\
kind: Pod
metadata:
  annotations: ~
spec: {runtimeClassName: kata}
---
kind: Pod
metadata: null
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata:
  annotations: {io.katacontainers.config.hypervisor.cc_init_data: {V}}
spec: {runtimeClassName: kata}
---
kind: Pod
metadata: {annotations: {io.katacontainers.config.hypervisor.cc_init_data: {V}}}
spec: {runtimeClassName: kata}
""")

case("quoted old values keep their quotes", """\
kind: Pod
metadata:
  annotations:
    "io.katacontainers.config.hypervisor.cc_init_data": "old"
spec: {runtimeClassName: kata}
---
kind: Pod
metadata:
  annotations:
    io.katacontainers.config.hypervisor.cc_init_data: 'old'
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata:
  annotations:
    "io.katacontainers.config.hypervisor.cc_init_data": "{V}"
spec: {runtimeClassName: kata}
---
kind: Pod
metadata:
  annotations:
    io.katacontainers.config.hypervisor.cc_init_data: '{V}'
spec: {runtimeClassName: kata}
""")

case("old value is a block scalar; last value is a |+ block scalar", """\
kind: Pod
metadata:
  annotations:
    io.katacontainers.config.hypervisor.cc_init_data: |
      H4sIAAAA
      old

    note: |+
      kept

  name: p
spec: {runtimeClassName: kata}
---
kind: Pod
metadata:
  annotations:
    note: |+
      kept


# comment
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata:
  annotations:
    io.katacontainers.config.hypervisor.cc_init_data: {V}

    note: |+
      kept

  name: p
spec: {runtimeClassName: kata}
---
kind: Pod
metadata:
  annotations:
    note: |+
      kept


    io.katacontainers.config.hypervisor.cc_init_data: {V}
# comment
spec: {runtimeClassName: kata}
""")

case("block scalar ends the file without a newline", """\
kind: Pod
spec: {runtimeClassName: kata}
metadata:
  annotations:
    note: |
      text""", """\
kind: Pod
spec: {runtimeClassName: kata}
metadata:
  annotations:
    io.katacontainers.config.hypervisor.cc_init_data: {V}
    note: |
      text""")

case("anchors and aliases elsewhere stay", """\
kind: Deployment
metadata: &meta
  name: web
  labels: &labels {app: web}
spec:
  selector: {matchLabels: *labels}
  template:
    metadata: {labels: *labels}
    spec: &podspec
      runtimeClassName: kata
      containers: [{name: c, image: i}]
""", """\
kind: Deployment
metadata: &meta
  name: web
  labels: &labels {app: web}
spec:
  selector: {matchLabels: *labels}
  template:
    metadata: {labels: *labels, annotations: {io.katacontainers.config.hypervisor.cc_init_data: {V}}}
    spec: &podspec
      runtimeClassName: kata
      containers: [{name: c, image: i}]
""")

# --- every pod-bearing kind ---------------------------------------------

def workload(kind, pre=""):
    return f"""apiVersion: apps/v1
kind: {kind}
metadata:
  name: w-{kind.lower()}
spec:
{pre}  template:
    metadata:
      labels:
        app: w
    spec:
      runtimeClassName: kata-qemu-tdx
      containers:
      - name: c
        image: busybox
"""


def workload_out(kind, pre=""):
    return workload(kind, pre).replace(
        "        app: w\n", "        app: w\n      annotations:\n        " + CUR + ": {V}\n")


for kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
             "ReplicationController"]:
    case(kind, workload(kind, "  replicas: 1\n"), workload_out(kind, "  replicas: 1\n"))

CRONJOB = """apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          runtimeClassName: kata-qemu-snp
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox
"""
case("CronJob", CRONJOB, CRONJOB + "        metadata:\n          annotations:\n"
     "            " + CUR + ": {V}\n")

PODTEMPLATE = """apiVersion: v1
kind: PodTemplate
metadata:
  name: tmpl
template:
  metadata:
    annotations:
      other: "x"
  spec:
    runtimeClassName: kata
    containers: [{name: c, image: i}]
"""
case("PodTemplate", PODTEMPLATE, PODTEMPLATE.replace(
    '      other: "x"\n', '      other: "x"\n      ' + CUR + ": {V}\n"))

LIST = """apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: a
  spec:
    runtimeClassName: kata
- apiVersion: v1
  kind: Service
  metadata:
    name: svc
  spec: {ports: [{port: 80}]}
- kind: Deployment
  metadata: {name: d}
  spec:
    template:
      spec: {runtimeClassName: kata}
"""
case("List items", LIST, LIST.replace(
    "    name: a\n", "    name: a\n    annotations:\n      " + CUR + ": {V}\n").replace(
    "      spec: {runtimeClassName: kata}\n",
    "      spec: {runtimeClassName: kata}\n      metadata:\n        annotations:\n"
    "          " + CUR + ": {V}\n"))

MULTI = """# a bundle
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  annotations:
    keep: "me"
data:
  kind: Pod
...
---
apiVersion: v1
kind: Service
metadata: {name: svc}
spec: {ports: [{port: 80}]}
--- # the workload
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels: {app: web}   # pod labels
    spec:
      runtimeClassName: kata-qemu-tdx
      containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  runtimeClassName: kata-qemu-tdx
...
"""
MULTI_OUT = MULTI.replace(
    "      labels: {app: web}   # pod labels\n",
    "      labels: {app: web}   # pod labels\n      annotations:\n        " + CUR + ": {V}\n").replace(
    "  name: p\n", "  name: p\n  annotations:\n    " + CUR + ": {V}\n")
case("multi-document", MULTI, MULTI_OUT)
case("multi-document, CRLF", MULTI, MULTI_OUT, crlf=True)

# --- keys -----------------------------------------------------------------

LEGACY_POD = """kind: Pod
metadata:
  name: old
  annotations:
    io.katacontainers.config.runtime.cc_init_data: H4sIold   # from the docs
    other: x
spec: {runtimeClassName: kata}
"""
case("legacy key becomes the current key", LEGACY_POD,
     LEGACY_POD.replace(LEG + ": H4sIold", CUR + ": {V}"), drop=(LEG,))
case("--key legacy", LEGACY_POD, LEGACY_POD.replace("H4sIold", "{V}"),
     args=["--key", "legacy"], keys=(LEG,))
case("--key both", LEGACY_POD, LEGACY_POD.replace(
    "    other: x\n", "    other: x\n    " + CUR + ": {V}\n").replace("H4sIold", "{V}"),
     args=["--key", "both"], keys=(LEG, CUR))
BOTH_POD = """kind: Pod
metadata:
  name: both
  annotations:
    io.katacontainers.config.hypervisor.cc_init_data: a
    io.katacontainers.config.runtime.cc_init_data: b
    other: x
spec: {runtimeClassName: kata}
---
kind: Pod
metadata:
  name: flow
  annotations: {io.katacontainers.config.runtime.cc_init_data: b, io.katacontainers.config.hypervisor.cc_init_data: a}
spec: {runtimeClassName: kata}
"""
case("both keys present, --key current removes the legacy entry", BOTH_POD, BOTH_POD.replace(
    "    " + LEG + ": b\n", "").replace(CUR + ": a", CUR + ": {V}").replace(
    "{" + LEG + ": b, ", "{"), drop=(LEG,))
rc, out, err = run(["annotate", "--initdata", DOC, "-"], LEGACY_POD.encode())
check(b"warning:" in err and b"legacy key" in err and
      b"which only the Go runtime of Kata 3.8 to 3.19 reads: renamed it to " + CUR.encode() in err,
      "legacy key: warned on stderr, naming the Go runtime")
rc, out, err = run(["annotate", "--initdata", DOC, "--key", "legacy", "-"], SEED_POD.encode())
check(rc == 0 and b"is written, which only the Go runtime of Kata 3.8 to 3.19 reads (Kata 3.20 "
      b"and later, and runtime-rs already in 3.19, ignore it)" in err,
      f"--key legacy: warned that only the Go runtime of 3.8 to 3.19 reads it ({err[:300]})")

# --- explicit keys ("? key" / ": value") ----------------------------------------
# New entries take the column of the "?" (not of the key after it); a bare
# `? key` (no ':' line) gets one; an explicit entry is removed from its "?".


def only_inserted(name, src, out):
    """out is src with one run of bytes inserted: every other byte stays."""
    src, out = src.encode(), out.encode()
    pre = 0
    while pre < len(src) and src[pre] == out[pre]:
        pre += 1
    suf = 0
    while suf < len(src) - pre and src[len(src) - 1 - suf] == out[len(out) - 1 - suf]:
        suf += 1
    check(pre + suf == len(src), f"{name}: only an insertion, every other byte unchanged")


def insert_case(name, text, expect, **kw):
    case(name, text, expect, **kw)
    only_inserted(name, text, expect.replace("{V}", VALUE))


# The fuzzer's find (issue 16): metadata's first key is on the line after its
# "?", one column further right; the last value is a compact mapping whose key
# is a mapping.  The new entry used to take the key's column (3) and broke the
# mapping ("internal error: the edited manifest does not parse").
insert_case("explicit key on the line after its ?", """\
kind: Pod
metadata:
  ?
   annotati>ns
  : ? a labs:
""", """\
kind: Pod
metadata:
  ?
   annotati>ns
  : ? a labs:
  annotations:
    io.katacontainers.config.hypervisor.cc_init_data: {V}
""")
insert_case("explicit metadata key, comments between ?, key and :", """\
kind: Pod
? metadata   # the key
# between
: # the value
  ? name
  : x
spec: {runtimeClassName: kata}
""", """\
kind: Pod
? metadata   # the key
# between
: # the value
  ? name
  : x
  annotations:
    io.katacontainers.config.hypervisor.cc_init_data: {V}
spec: {runtimeClassName: kata}
""")
insert_case("explicit metadata key, compact value", """\
kind: Pod
? metadata
: name: x
spec: {runtimeClassName: kata}
""", """\
kind: Pod
? metadata
: name: x
  annotations:
    io.katacontainers.config.hypervisor.cc_init_data: {V}
spec: {runtimeClassName: kata}
""")
insert_case("bare ? metadata gets a : line", """\
kind: Pod
? metadata
spec: {runtimeClassName: kata}
""", """\
kind: Pod
? metadata
:
  annotations:
    io.katacontainers.config.hypervisor.cc_init_data: {V}
spec: {runtimeClassName: kata}
""", crlf=True)
insert_case("explicit annotations key, value below", """\
kind: Pod
metadata:
  ? annotations
  :
      a: b
  name: x
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata:
  ? annotations
  :
      a: b
      io.katacontainers.config.hypervisor.cc_init_data: {V}
  name: x
spec: {runtimeClassName: kata}
""")
insert_case("bare ? annotations at the end of a file without a final newline", """\
kind: Pod
spec: {runtimeClassName: kata}
metadata:
  name: x
  ? annotations""", """\
kind: Pod
spec: {runtimeClassName: kata}
metadata:
  name: x
  ? annotations
  :
    io.katacontainers.config.hypervisor.cc_init_data: {V}""")
insert_case("bare explicit annotation key gets its : line", """\
kind: Pod
metadata:
  annotations:
    ? io.katacontainers.config.hypervisor.cc_init_data   # set me
  name: x
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata:
  annotations:
    ? io.katacontainers.config.hypervisor.cc_init_data   # set me
    : {V}
  name: x
spec: {runtimeClassName: kata}
""", crlf=True)
EXPLICIT_LEGACY = """\
kind: Pod
metadata:
  annotations:
    ? |-
      io.katacontainers.config.runtime.cc_init_data
    : H4sIold
    other: x
spec: {runtimeClassName: kata}
"""
case("explicit |- legacy key renamed", EXPLICIT_LEGACY, """\
kind: Pod
metadata:
  annotations:
    ? io.katacontainers.config.hypervisor.cc_init_data
    : {V}
    other: x
spec: {runtimeClassName: kata}
""", drop=(LEG,))
case("explicit legacy entry removed from its ?", """\
kind: Pod
metadata:
  annotations:
    a: b
    ? io.katacontainers.config.runtime.cc_init_data
    # its value:
    : x
    ? io.katacontainers.config.hypervisor.cc_init_data
    : y
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata:
  annotations:
    a: b
    ? io.katacontainers.config.hypervisor.cc_init_data
    : {V}
spec: {runtimeClassName: kata}
""", drop=(LEG,))
insert_case("complex keys ? [a, b] and ? - c are stepped around", """\
kind: Pod
metadata:
  ? [a, b]
  : c
  annotations:
    ? {x: y}
    : z
    ? - d
      - e
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata:
  ? [a, b]
  : c
  annotations:
    ? {x: y}
    : z
    ? - d
      - e
    io.katacontainers.config.hypervisor.cc_init_data: {V}
spec: {runtimeClassName: kata}
""")
insert_case("explicit keys in a flow mapping", """\
kind: Pod
metadata: {? annotations : {a: b, ? [c] : d}, ? name}
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata: {? annotations : {a: b, ? [c] : d, io.katacontainers.config.hypervisor.cc_init_data: {V}}, ? name}
spec: {runtimeClassName: kata}
""")
insert_case("explicit flow key without ':' gets one", """\
kind: Pod
metadata: {? annotations # none yet
  , name: x}
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata: {? annotations: {io.katacontainers.config.hypervisor.cc_init_data: {V}} # none yet
  , name: x}
spec: {runtimeClassName: kata}
""")
case("explicit keys in a flow mapping: legacy removed, current set", """\
kind: Pod
metadata: {annotations: {? io.katacontainers.config.runtime.cc_init_data : x, ? io.katacontainers.config.hypervisor.cc_init_data
    : y}}
spec: {runtimeClassName: kata}
""", """\
kind: Pod
metadata: {annotations: {? io.katacontainers.config.hypervisor.cc_init_data
    : {V}}}
spec: {runtimeClassName: kata}
""", drop=(LEG,))
insert_case("List items written with explicit keys", """\
kind: List
items:
- ? kind
  : Pod
  ? spec
  : {runtimeClassName: kata}
  ? metadata
""", """\
kind: List
items:
- ? kind
  : Pod
  ? spec
  : {runtimeClassName: kata}
  ? metadata
  :
    annotations:
      io.katacontainers.config.hypervisor.cc_init_data: {V}
""")

# Refused up front, with the position: removing the first entry of a compact
# mapping (it shares its line with the ": " before it) would take that too.
rc, out, err = run(["annotate", "--initdata", DOC, "-"], b"""\
kind: Pod
metadata:
  ? annotations
  : io.katacontainers.config.runtime.cc_init_data: x
    io.katacontainers.config.hypervisor.cc_init_data: y
""")
check(rc == 1 and out == b"" and err.startswith(
    b'<stdin>:4:5: error: Pod/(no name): the entry to remove shares its line with what comes '
    b'before it (a compact "? ", ": " or "- " entry); initdata removes whole lines\n'),
      f"compact explicit entry to remove: refused with its position ({err[:300]})")
check(b"internal error" not in err, "compact explicit entry: not an internal error")

# --- the genpolicy sample: replace its annotation -------------------------

GENPOLICY = idt_test.shared("testdata", "kata", "genpolicy-sample-pod-one-container.yaml",
                            optional=True)
if GENPOLICY:
    with open(GENPOLICY, "rb") as f:
        gp = f.read()
    old = annotations_of(load_all(gp)[0])[CUR]
    check(gp.count(old.encode()) == 1, "genpolicy sample: its value occurs once")
    want = gp.replace(old.encode(), VALUE.encode())
    rc, out, err = run(["annotate", "--initdata", DOC, "-"], gp)
    check(rc == 0 and out == want, "genpolicy sample: only the value changed")
    before, after = load_all(gp), load_all(out)
    check(after == expected_data(before), "genpolicy sample: PyYAML data")
    import hashlib
    check(hashlib.sha256(gzip.decompress(base64.b64decode(old))).hexdigest() ==
          "38367f88f4b1d9fea79c6750b2755bbc58609a5d8b15f58e89646cf46ff2036e",
          "genpolicy sample: old digest as in EXPECTED.md")
    rc, out2, _ = run(["extract", "--summary", "-"], out)
    check(rc == 0 and hashlib.sha256(DOC_BYTES).hexdigest().encode() in out2,
          "genpolicy sample: extract shows our digest")
    rc, out3, _ = run(["extract", "--summary", "-"], gp)
    check(rc == 0 and b"38367f88f4b1d9fea79c6750b2755bbc58609a5d8b15f58e89646cf46ff2036e" in out3
          and b"14544 bytes" in out3, "genpolicy sample: extract before (digest, size)")

# --- selection, in place, all or nothing ------------------------------------

rc, out, err = run(["annotate", "--initdata", DOC, "--select", "deployment/web", "-"],
                   MULTI.encode())
check(rc == 0 and out.decode() == MULTI.replace(
    "      labels: {app: web}   # pod labels\n",
    "      labels: {app: web}   # pod labels\n      annotations:\n        " + CUR + ": " +
    VALUE + "\n"), "--select deployment/web edits only that object")
rc, out, err = run(["annotate", "--initdata", DOC, "--select", "Deployment/nope", "-"],
                   MULTI.encode())
check(rc == 1 and out == b"" and b"matches no object" in err, "--select without a match: exit 1")
rc, out, err = run(["annotate", "--initdata", DOC, "--select", "Service/svc", "-"], MULTI.encode())
check(rc == 1 and b"no pod template" in err, "--select of a Service: exit 1")

a_path, b_path = os.path.join(WORK, "a.yaml"), os.path.join(WORK, "b.yaml")
with open(a_path, "w") as f:
    f.write(SEED_POD)
with open(b_path, "w") as f:
    f.write(CRONJOB)
rc, out, err = run(["annotate", "--initdata", DOC, "-i", a_path, b_path])
with open(a_path) as fa, open(b_path) as fb:
    ta, tb = fa.read(), fb.read()
check(rc == 0 and out == b"" and ta == SEED_POD_OUT.replace("{V}", VALUE) and
      load_all(tb.encode()) == expected_data(load_all(CRONJOB.encode())), "-i edits both files")
with open(b_path, "w") as f:
    f.write(CRONJOB)
bad_path = os.path.join(WORK, "bad.yaml")
with open(bad_path, "w") as f:
    f.write("kind: Pod\nmetadata: *nowhere\n")
rc, out, err = run(["annotate", "--initdata", DOC, "-i", b_path, bad_path])
with open(b_path) as fb:
    check(rc == 1 and fb.read() == CRONJOB, "-i: one failure leaves every file unchanged")
check(b"bad.yaml:2:11: error:" in err and b"alias" in err, "alias metadata: error with position")

# --- budget -------------------------------------------------------------------

def big_pod(n):
    return f"kind: Pod\nmetadata:\n  name: big\n  annotations:\n    big: {'x' * n}\nspec: {{runtimeClassName: kata}}\n"


room = BUDGET - len("big") - len(CUR) - len(VALUE)
rc, out, err = run(["annotate", "--initdata", DOC, "-"], big_pod(room).encode())
check(rc == 0 and b"262144 of 262144 bytes" in err, "budget: exactly 262144 bytes is allowed")
rc, out, err = run(["annotate", "--initdata", DOC, "-"], big_pod(room + 7).encode())
check(rc == 1 and out == b"" and b"262151 bytes, 7 over Kubernetes' limit of 262144" in err,
      "budget: 7 bytes over is refused, saying so")

# --- exit codes -----------------------------------------------------------------

for args, code, what in [
    (["annotate", "-"], 2, "no --initdata"),
    (["annotate", "--initdata", DOC, "--annotation", VALUE, "-"], 2, "both value options"),
    (["annotate", "--initdata", DOC, "--key", "new", "-"], 2, "bad --key"),
    (["annotate", "--initdata", DOC, a_path, b_path], 2, "two manifests without -i"),
    (["annotate", "--initdata", DOC, "-i", "-"], 2, "-i on stdin"),
    (["annotate", "--initdata", DOC, "--select", "a/b/c", "-"], 2, "bad --select"),
    (["annotate", "--initdata", os.path.join(WORK, "missing.toml"), "-"], 3, "missing document"),
    (["annotate", "--initdata", DOC, os.path.join(WORK, "missing.yaml")], 3, "missing manifest"),
    (["annotate", "--annotation", "bm90IGd6aXA=", "-"], 1, "annotation that is not gzip"),
    (["extract", "--raw", "--summary", "-"], 2, "extract --raw --summary"),
]:
    rc, _, err = run(args, SEED_POD.encode())
    check(rc == code, f"exit {code}: {what} (got {rc}: {err.decode()[:200]})")

# (on standard input a stream without a pod-bearing object passes through:
# tests/integ/test_postrender.py; a file without one is an error)
nopod = os.path.join(WORK, "service.yaml")
with open(nopod, "w") as f:
    f.write("kind: Service\nmetadata: {name: s}\n")
rc, out, err = run(["annotate", "--initdata", DOC, nopod])
check(rc == 1 and out == b"" and b"no pod-bearing object" in err,
      f"exit 1: a file without a pod-bearing object ({err.decode()[:200]})")
for text, what in [("kind: Pod\nmetadata: [\n", "not YAML"),
                   ("kind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1}\n",
                    "Deployment without spec.template"),
                   ("kind: Pod\nmetadata:\n  <<: {annotations: {a: b}}\n", "merge key")]:
    rc, out, err = run(["annotate", "--initdata", DOC, "-"], text.encode())
    check(rc == 1 and out == b"" and b"error:" in err, f"exit 1: {what} ({err.decode()[:200]})")
rc, out, err = run(["annotate", "--initdata", DOC, "-"], b"kind: Pod\nmetadata:\n  name: x\n")
check(rc == 0 and b"warning:" in err and b"runtimeClassName" in err,
      "no runtimeClassName: a warning, exit 0")

# --- --annotation and extract ---------------------------------------------------

val_path = os.path.join(WORK, "value.b64")
with open(val_path, "w") as f:
    f.write(VALUE + "\n")
rc, out1, _ = run(["annotate", "--annotation", VALUE, "-"], SEED_POD.encode())
rc2, out2, _ = run(["annotate", "--annotation", "@" + val_path, "-"], SEED_POD.encode())
check(rc == 0 and rc2 == 0 and out1 == out2 == SEED_POD_OUT.replace("{V}", VALUE).encode(),
      "--annotation VALUE and @FILE")

rc, out, err = run(["extract", "--raw", "-"], out1)
check(rc == 0 and out == DOC_BYTES, "extract --raw gives the exact document")
rc, out, err = run(["extract", "-"], out1)
check(rc == 0 and out.endswith(DOC_BYTES) and b"Pod/encrypted-image" in out and
      f"annotation:   {len(VALUE)} bytes".encode() in out, "extract prints header and document")
rc, out, err = run(["extract", "--summary", "-"], LEGACY_POD.replace("H4sIold", VALUE).encode())
check(rc == 0 and LEG.encode() in out and b"legacy key" in out and b"sha256" in out and
      b"aa.toml (" in out and b"policy.rego (" in out, "extract --summary of a legacy key")
rc, out, err = run(["extract", "-"], SEED_POD.encode())
check(rc == 1 and b"no pod-bearing object carries" in err, "extract without annotation: exit 1")
rc, out, err = run(["extract", "-"], LEGACY_POD.encode())
check(rc == 1 and b"error:" in err, "extract of a broken value: exit 1")
rc, out, err = run(["extract", "--raw", "-"], MULTI_OUT.replace("{V}", VALUE).encode())
check(rc == 1 and b"2 objects" in err, "extract --raw with two annotations: exit 1")

# The gzip header rules of the annotation decoders (initdata-facts.md
# section 9), on members built with zlib: flate2 (strict) rejects reserved
# FLG bits and takes any FNAME; Go's compress/gzip (--lenient) ignores the
# reserved bits and refuses an FNAME of 512 bytes or more.
def member(flg, fields=b""):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = bytes([0x1f, 0x8b, 8, flg, 0, 0, 0, 0, 0, 0xff]) + fields
    return (head + c.compress(DOC_BYTES) + c.flush() +
            struct.pack("<II", zlib.crc32(DOC_BYTES), len(DOC_BYTES)))


LONG_NAME = base64.b64encode(member(8, b"n" * 600 + b"\0")).decode()
RESERVED = base64.b64encode(member(0x20)).decode()
long_pod = SEED_POD_OUT.replace("{V}", LONG_NAME).encode()
rc, out, err = run(["extract", "--raw", "-"], long_pod)
check(rc == 0 and out == DOC_BYTES and b": warning: the " + CUR.encode() +
      b" value, at byte 12: gzip data byte 10: gzip header: the file name (FNAME) is 600 bytes; "
      b"accepted as flate2" in err, f"extract: an FNAME Go refuses is a warning ({err[:300]})")
rc, out, err = run(["extract", "--lenient", "--raw", "-"], long_pod)
check(rc == 1 and out == b"" and b"refuses a name or comment of 512 bytes or more" in err,
      f"extract --lenient: an FNAME Go refuses is an error ({err[:300]})")
reserved_pod = SEED_POD_OUT.replace("{V}", RESERVED).encode()
rc, out, err = run(["extract", "--lenient", "--raw", "-"], reserved_pod)
check(rc == 0 and out == DOC_BYTES and b": warning: the " + CUR.encode() + b" value, at byte 4: "
      b"gzip data byte 3: gzip header: reserved flag bits 0x20 are set; accepted as Go's "
      b"compress/gzip" in err, f"extract --lenient: reserved bits are a warning ({err[:300]})")
rc, out, err = run(["extract", "--raw", "-"], reserved_pod)
check(rc == 1 and b"reserved flag bits 0x20 are set: flate2" in err,
      f"extract: reserved bits are an error ({err[:300]})")
rc, out, err = run(["annotate", "--annotation", LONG_NAME, "-"], SEED_POD.encode())
check(rc == 0 and out == long_pod and
      b"--annotation: warning: at byte 12: gzip data byte 10: gzip header: the file name "
      b"(FNAME) is 600 bytes; accepted as flate2" in err,
      f"annotate --annotation: an FNAME Go refuses is a warning ({err[:300]})")

# Empty documents (initdata-facts.md section 9): runtime-rs treats one as
# "no Init-Data" and creates no device; the Go shim's annotation decoder
# panics on a value that decodes to one.  annotate refuses both ways in.
empty_doc = os.path.join(WORK, "empty.toml")
open(empty_doc, "wb").close()
rc, out, err = run(["annotate", "--initdata", empty_doc, "-"], SEED_POD.encode())
check(rc == 1 and out == b"" and
      b"empty.toml: error: the document is empty: runtime-rs treats an empty annotation or "
      b"document as \"no Init-Data\" and creates no device, and the Go shim's annotation "
      b"decoder panics on a value that decodes to an empty document" in err,
      f"annotate --initdata of an empty document: exit 1 ({err[:300]})")
EMPTY_VALUE = base64.b64encode(gzip.compress(b"")).decode()
rc, out, err = run(["annotate", "--annotation", EMPTY_VALUE, "-"], SEED_POD.encode())
check(rc == 1 and out == b"" and
      b"--annotation: error: the value decodes to an empty document: the Go shim's annotation "
      b"decoder panics on it" in err and b"runtime-rs treats" in err,
      f"annotate --annotation of an empty document: exit 1 ({err[:300]})")
rc, out, err = run(["annotate", "--annotation", "", "-"], SEED_POD.encode())
check(rc == 1 and b"the annotation value is empty: runtime-rs treats" in err,
      f"annotate --annotation '': exit 1 ({err[:300]})")

sys.exit(T.finish())
