#!/usr/bin/env python3
"""initdata annotate as a Helm post-renderer (a filter on standard input).

`helm install --post-renderer initdata --post-renderer-args annotate ...` pipes
the whole rendered chart through `initdata annotate ... -`.  Checked here on
rendered multi-document streams (the shape `helm template` prints: `---`, a
`# Source:` comment, the object):
  * a stream with no pod-bearing object (Services, ConfigMaps only; an empty
    stream) comes back byte for byte, exit 0, with a note on stderr;
  * a stream with a Deployment among other objects: every byte outside the
    Deployment's annotation stays (the `---` markers, comments, the other
    documents), and PyYAML reads the same data with the annotation added,
    whose value Python's base64 + gzip decode to the document;
  * what is still an error on a stream stays one (not YAML, a --select that
    matches nothing): exit 1 and no output;
  * with `helm` on the PATH, `helm template --post-renderer` runs the tool
    for real on a small chart (without it that part is skipped, said so).
"""
import base64
import gzip
import os
import shutil
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402

T = idt_test.Test("postrender")
check = T.check
KEY = "io.katacontainers.config.hypervisor.cc_init_data"

WORK = T.tempdir()
DOC = os.path.join(WORK, "initdata.toml")
DOC_BYTES = (b'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n'
             b'"policy.rego" = \'\'\'\npackage agent_policy\ndefault AllowRequestsFailingPolicy := true\n\'\'\'\n')
with open(DOC, "wb") as f:
    f.write(DOC_BYTES)

SERVICES = b"""---
# Source: web/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web   # the front
  labels: {app: web}
spec:
  ports:
  - port: 80
    targetPort: 8080
---
# Source: web/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: "web-config"
data:
  nginx.conf: |
    server {
      listen 8080;
    }
---
# Source: web/templates/secret.yaml
apiVersion: v1\r
kind: Secret\r
metadata: {name: creds}\r
stringData:\r
  token: 'x---y'\r
...
"""

DEPLOYMENT = b"""---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      runtimeClassName: kata-qemu-tdx
      containers:
      - name: web
        image: nginx:1.27   # pinned
"""


def annotate(stream, *extra):
    return T.tool(["annotate", "--initdata", DOC, *extra, "-"], stream)


# 1. no pod-bearing object: through unchanged, exit 0, a note
for what, stream in [("Services, a ConfigMap and a Secret", SERVICES),
                     ("the same without a final newline", SERVICES.rstrip(b"\n")),
                     ("one ConfigMap, no marker", b"kind: ConfigMap\nmetadata: {name: a}\n"),
                     ("an empty stream", b""),
                     ("only markers and comments", b"---\n# Source: x/empty.yaml\n---\n"),
                     ("a List of Services", b"apiVersion: v1\nkind: List\nitems:\n"
                                            b"- {kind: Service, metadata: {name: a}}\n")]:
    rc, out, err = annotate(stream)
    check(rc == 0, f"{what}: exit {rc}, want 0 ({err.decode()[:300]})")
    check(out == stream, f"{what}: the output differs from the input")
    check(b"note: no pod-bearing object; passed through unchanged" in err,
          f"{what}: no note on stderr: {err.decode()[:300]}")

# 2. a Deployment among them: only its annotation is added
stream = SERVICES.replace(b"...\n", b"") + DEPLOYMENT + b"---\n# Source: web/templates/hpa.yaml\n" \
    b"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
rc, out, err = annotate(stream)
check(rc == 0, f"chart with a Deployment: exit {rc} ({err.decode()[:300]})")
check(out.count(b"\n---\n") == stream.count(b"\n---\n") and out.startswith(b"---\n"),
      "chart with a Deployment: the --- markers are kept")
start = stream.index(DEPLOYMENT)
check(out[:start] == stream[:start], "chart with a Deployment: the documents before it are unchanged")
tail = stream[start + len(DEPLOYMENT):]
check(out.endswith(tail), "chart with a Deployment: the documents after it are unchanged")
docs_in = list(yaml.safe_load_all(stream.decode()))
docs_out = list(yaml.safe_load_all(out.decode()))
check(len(docs_in) == len(docs_out), "chart with a Deployment: same number of documents")
value = None
for a, b in zip(docs_in, docs_out):
    if a and a.get("kind") == "Deployment":
        value = b["spec"]["template"]["metadata"].get("annotations", {}).get(KEY)
        b["spec"]["template"]["metadata"]["annotations"].pop(KEY, None)
        b["spec"]["template"]["metadata"].pop("annotations")
    check(a == b, f"chart with a Deployment: {a and a.get('kind')} reads the same apart from the annotation")
check(value is not None and gzip.decompress(base64.b64decode(value, validate=True)) == DOC_BYTES,
      "chart with a Deployment: the annotation decodes (Python base64 + gzip) to the document")

# 3. errors stay errors on a stream
rc, out, err = annotate(b"kind: Service\nmetadata: [\n")
check(rc == 1 and out == b"" and b"error:" in err, f"not YAML on stdin: exit 1 (got {rc})")
rc, out, err = annotate(SERVICES, "--select", "Deployment/web")
check(rc == 1 and out == b"" and b"matches no object" in err,
      f"--select without a match on stdin: exit 1 (got {rc}: {err.decode()[:200]})")

# 4. helm itself, when it is installed
helm = shutil.which("helm")
if helm is None:
    print("postrender: note: helm is not installed: the `helm template --post-renderer` part is "
          "skipped (the streams above are what helm pipes through the tool)", file=sys.stderr)
else:
    chart = os.path.join(WORK, "web")
    os.makedirs(os.path.join(chart, "templates"))
    with open(os.path.join(chart, "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: web\nversion: 0.1.0\n")
    with open(os.path.join(chart, "templates", "service.yaml"), "wb") as f:
        f.write(SERVICES.split(b"---\n")[1].split(b"\n", 1)[1])
    helm_args = [helm, "template", "web", chart, "--post-renderer", T.path or idt_test.tool_path(),
                 "--post-renderer-args", "annotate", "--post-renderer-args", f"--initdata={DOC}",
                 "--post-renderer-args", "-"]
    rc, out, err = T.run(helm_args)
    check(rc == 0 and b"kind: Service" in out, f"helm template, Services only: exit {rc} ({err.decode()[:300]})")
    with open(os.path.join(chart, "templates", "deployment.yaml"), "wb") as f:
        f.write(DEPLOYMENT.split(b"\n", 2)[2])
    rc, out, err = T.run(helm_args)
    check(rc == 0 and KEY.encode() in out, f"helm template with a Deployment: exit {rc} ({err.decode()[:300]})")

sys.exit(T.finish())
