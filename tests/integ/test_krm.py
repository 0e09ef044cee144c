#!/usr/bin/env python3
"""initdata krm: the KRM function (ResourceList in, ResourceList out) and the
kustomize exec-plugin form (config file + objects on stdin), run directly.

(tests/integ/test_kubectl.sh runs both through `kubectl kustomize`.)

Oracles: PyYAML (pure-Python SafeLoader) and Python's json read the output;
the annotation decodes (Python base64 + gzip) to the document's bytes; the
expected data is the input data with only the annotation (and `results`)
added, so kustomize's own annotations on the items (config.kubernetes.io/index,
internal.config.kubernetes.io/...) must come back as they went in.  The KRM
spec's results shape: a list of {message, severity: error|warning|info,
resourceRef: {apiVersion, kind, name, namespace}, field: {path}}; an error
result exits 1.
"""
import base64
import copy
import gzip
import json
import os
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402

T = idt_test.Test("krm")
check = T.check
CUR = "io.katacontainers.config.hypervisor.cc_init_data"
LEG = "io.katacontainers.config.runtime.cc_init_data"

WORK = T.tempdir()
DOC = os.path.join(WORK, "initdata.toml")
DOC_BYTES = (b'version = "0.1.0"\nalgorithm = "sha384"\n[data]\n'
             b'"policy.rego" = \'\'\'\npackage agent_policy\ndefault AllowRequestsFailingPolicy := true\n\'\'\'\n')
with open(DOC, "wb") as f:
    f.write(DOC_BYTES)

# What kustomize 5 sends an exec function: items with its index and path
# annotations, then the functionConfig.
ITEMS = """\
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web   # the front end
    namespace: shop
    annotations:
      config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/annotations-migration-resource-id: '0'
      internal.config.kubernetes.io/id: '1'
  spec:
    template:
      metadata:
        labels: {app: web}
      spec:
        runtimeClassName: kata-qemu-snp
        containers:
        - {name: web, image: "nginx:1.27"}
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    annotations:
      config.kubernetes.io/index: '1'
      internal.config.kubernetes.io/index: '1'
  spec:
    ports: [{port: 80}]
- apiVersion: batch/v1
  kind: CronJob
  metadata:
    name: report
    annotations:
      config.kubernetes.io/index: '2'
  spec:
    schedule: "@daily"
    jobTemplate:
      spec:
        template:
          spec:
            runtimeClassName: kata-qemu-snp
            containers: [{name: r, image: busybox}]
"""


def resource_list(function_config, items=ITEMS):
    return ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n" + items +
            "functionConfig:\n" + "".join("  " + l + "\n" for l in function_config.splitlines()))


def config_map(data):
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: initdata\n  annotations:\n"
            "    config.kubernetes.io/function: |\n      exec:\n        path: ./initdata-krm\n"
            "data:\n" + "".join(f"  {k}: {v}\n" for k, v in data.items()))


def init_data(spec):
    return ("apiVersion: initdata.confidentialcontainers.org/v1alpha1\nkind: InitData\n"
            "metadata:\n  name: initdata\nspec:\n" + spec)


def krm(text, *args, tool_args=None):
    return T.tool(["krm", *args], text.encode() if isinstance(text, str) else text)


def path_of(obj):
    kind = obj["kind"]
    if kind == "Pod":
        return ["metadata"]
    if kind == "CronJob":
        return ["spec", "jobTemplate", "spec", "template", "metadata"]
    return ["spec", "template", "metadata"]


def annotated(obj, keys=(CUR,)):
    """obj with the annotation set where Kubernetes reads it."""
    o = copy.deepcopy(obj)
    m = o
    for p in path_of(o):
        m = m.setdefault(p, {})
    ann = m.setdefault("annotations", {})
    for k in keys:
        ann[k] = "?"
    return o


def values_of(obj):
    m = obj
    for p in path_of(obj):
        m = m.get(p, {})
    return {k: v for k, v in m.get("annotations", {}).items() if k in (CUR, LEG)}


def blank_values(obj):
    o = copy.deepcopy(obj)
    m = o
    for p in path_of(o):
        m = m.get(p, {})
    for k in (CUR, LEG):
        if k in m.get("annotations", {}):
            m["annotations"][k] = "?"
    return o


def decodes(value):
    try:
        return gzip.decompress(base64.b64decode(value, validate=True)) == DOC_BYTES
    except Exception:  # noqa: BLE001 - any failure is a mismatch
        return False


def check_run(what, text, want_rc, edited, keys=(CUR,), args=()):
    """Runs the function; checks the exit status, that the output is a
    ResourceList whose items are the input's with the annotation on the
    `edited` items only, and returns the output's results."""
    rc, out, err = krm(text, *args)
    check(rc == want_rc, f"{what}: exit {rc}, want {want_rc} ({err.decode()[:400]})")
    try:
        got = yaml.safe_load(out.decode())
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        T.fail(f"{what}: the output is not YAML ({e}): {out[:300]!r}")
        return None
    want = yaml.safe_load(text)
    if not check(isinstance(got, dict) and got.get("kind") == "ResourceList",
                 f"{what}: the output is not a ResourceList: {out[:300]!r}"):
        return None
    for i, (a, b) in enumerate(zip(want["items"], got["items"])):
        exp = annotated(a, keys) if i in edited else a
        check(blank_values(b) == exp, f"{what}: item {i} ({a['kind']}) is {b}, want {exp}")
        if i in edited:
            vals = values_of(b)
            check(sorted(vals) == sorted(keys) and all(decodes(v) for v in vals.values()),
                  f"{what}: item {i}: the annotation does not decode to the document: {vals}")
    check(len(want["items"]) == len(got["items"]), f"{what}: the number of items changed")
    check(got.get("functionConfig") == want.get("functionConfig"),
          f"{what}: the functionConfig changed")
    results = got.get("results", [])
    for r in results:
        check(set(r) <= {"message", "severity", "resourceRef", "field"} and
              r.get("severity") in ("error", "warning", "info") and r.get("message"),
              f"{what}: a result not in the KRM shape: {r}")
    return results


# 1. a ConfigMap naming the document: the Deployment and the CronJob
text = resource_list(config_map({"initdata": DOC}))
results = check_run("ConfigMap data.initdata", text, 0, {0, 2})
check(results == [], f"ConfigMap data.initdata: results {results}")
rc, out, _ = krm(text)
# byte for byte: the output is the input with only the annotation lines added
added = [l for l in out.decode().splitlines() if l not in text.splitlines()]
check(sum(CUR in l for l in added) == 2 and
      all(CUR in l or l.strip() in ("metadata:", "annotations:") for l in added),
      f"ConfigMap data.initdata: lines added besides the annotations: {added}")
check(all(l in out.decode().splitlines() for l in text.splitlines()),
      "ConfigMap data.initdata: an input line is missing from the output")

# 2. the typed InitData object: inline document, key both, a selector list
inline = "".join("    " + l + "\n" for l in DOC_BYTES.decode().splitlines())
text = resource_list(init_data(f"  document: |\n{inline}  key: both\n  select:\n  - CronJob\n"))
results = check_run("InitData inline document, both keys, select CronJob", text, 0, {2},
                    keys=(CUR, LEG))
check(results == [], f"InitData: results {results}")
# select as a string in a ConfigMap, and the options overriding the config
text = resource_list(config_map({"initdata": DOC, "select": "'Deployment/web, CronJob/report'",
                                 "key": "legacy"}))
check_run("ConfigMap select string, key legacy", text, 0, {0, 2}, keys=(LEG,))
check_run("--key current overrides the config", text, 0, {0, 2}, args=["--key", "current"])
check_run("--select adds to the config's", text, 0, {0, 2}, keys=(LEG,), args=["--select", "Deployment"])

# 3. warnings and infos: a pod without runtimeClassName; no pod at all
items = ITEMS.replace("        runtimeClassName: kata-qemu-snp\n", "", 1)
results = check_run("no runtimeClassName", resource_list(config_map({"initdata": DOC}), items),
                    0, {0, 2})
check(results and results[0]["severity"] == "warning" and "runtimeClassName" in results[0]["message"]
      and results[0].get("resourceRef") == {"apiVersion": "apps/v1", "kind": "Deployment",
                                            "name": "web", "namespace": "shop"},
      f"no runtimeClassName: a warning with the Deployment's resourceRef: {results}")
only_service = "items:\n- {apiVersion: v1, kind: Service, metadata: {name: s}}\n"
results = check_run("no pod-bearing item", resource_list(config_map({"initdata": DOC}),
                                                          only_service), 0, set())
check(results and results[0]["severity"] == "info", f"no pod-bearing item: an info result: {results}")
results = check_run("no items at all", resource_list(config_map({"initdata": DOC}), "items: []\n"),
                    0, set())

# 4. errors: in results, exit 1, the items unchanged
# (exit 3, an I/O error, for a document that cannot be read; 1 for the rest)
for what, fc, field, words, code in [
        ("a missing document", config_map({"initdata": os.path.join(WORK, "nope.toml")}),
         "data.initdata", "nope.toml", 3),
        ("an invalid document", init_data('  document: "version = 1"\n'), "spec.document",
         "version", 1),
        ("no document", config_map({"key": "both"}), None, "no Init-Data document", 1),
        ("a bad key", config_map({"initdata": DOC, "key": "all"}), "data.key", "all", 1),
        ("a selector that matches nothing", config_map({"initdata": DOC, "select": "Job/x"}),
         None, '"Job"/"x"', 1),
        ("an unknown setting", config_map({"initdata": DOC, "keys": "both"}), None, "keys", 1),
        ("a Secret as functionConfig", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n", None,
         "Secret", 1)]:
    results = check_run(what, resource_list(fc), code, set())
    if results is None:
        continue
    errs = [r for r in results if r["severity"] == "error"]
    check(len(errs) >= 1 and words in errs[0]["message"], f"{what}: error results {results}")
    if field:
        check(errs and errs[0].get("field") == {"path": field}, f"{what}: field {results}")

# 5. JSON in, JSON out (kpt can send JSON): results go inside the braces
rl = yaml.safe_load(resource_list(config_map({"initdata": os.path.join(WORK, "nope.toml")})))
rc, out, err = krm(json.dumps(rl, indent=1))
try:
    got = json.loads(out)
    check(rc == 3 and got["results"][0]["severity"] == "error" and got["items"] == rl["items"],
          f"JSON ResourceList: {got.get('results')}")
except ValueError as e:
    T.fail(f"JSON ResourceList: the output is not JSON ({e}): {out[:300]!r}")

# 6. what is not a ResourceList
rc, out, err = krm("kind: Pod\nmetadata: {name: p}\n")
check(rc == 1 and out == b"" and b"not a KRM ResourceList" in err, f"a Pod: exit {rc}: {err[:300]}")
rc, out, err = krm("kind: ResourceList\nitems: [\n")
check(rc == 1 and out == b"" and b"error:" in err, f"not YAML: exit {rc}")

# 7. called as initdata-krm (the exec: path of a kustomize function)
link = os.path.join(WORK, "initdata-krm")
os.symlink(os.path.abspath(idt_test.tool_path()), link)
text = resource_list(config_map({"initdata": DOC}))
rc, out, err = T.run([link], text.encode())
check(rc == 0 and yaml.safe_load(out)["items"][0]["spec"]["template"]["metadata"]["annotations"].get(CUR)
      and decodes(yaml.safe_load(out)["items"][0]["spec"]["template"]["metadata"]["annotations"][CUR]),
      f"initdata-krm: exit {rc} ({err[:300]})")

# 8. the exec-plugin form: CONFIG file, the objects on stdin
conf = os.path.join(WORK, "fn.yaml")
with open(conf, "w") as f:
    f.write(init_data(f"  initdata: {DOC}\n  select: [Deployment]\n"))
stream = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n"
          "    kustomize.config.k8s.io/id: |\n      kind: Deployment\n      name: web\n"
          "spec:\n  template:\n    spec:\n      runtimeClassName: kata\n      containers: []\n"
          "---\nkind: Service\nmetadata: {name: web}\n")
rc, out, err = T.tool(["krm", conf], stream.encode())
docs = list(yaml.safe_load_all(out.decode())) if rc == 0 else []
check(rc == 0 and len(docs) == 2 and decodes(docs[0]["spec"]["template"]["metadata"]["annotations"][CUR])
      and docs[0]["metadata"]["annotations"]["kustomize.config.k8s.io/id"].startswith("kind:")
      and docs[1] == {"kind": "Service", "metadata": {"name": "web"}},
      f"exec plugin: exit {rc} ({err.decode()[:300]})")
rc, out, err = T.tool(["krm", conf], b"kind: Service\nmetadata: {name: s}\n---\n")
check(rc == 1 and out == b"" and b"Deployment" in err,
      f"exec plugin, a selector without a match: exit {rc} ({err.decode()[:300]})")
with open(conf, "w") as f:
    f.write(init_data("  initdata: /nonexistent/initdata.toml\n"))
rc, out, err = T.tool(["krm", conf], stream.encode())
check(rc != 0 and out == b"" and b"/nonexistent/initdata.toml" in err,
      f"exec plugin, a missing document: exit {rc}, nothing written ({err.decode()[:300]})")
rl_file = os.path.join(WORK, "rl.yaml")
with open(rl_file, "w") as f:
    f.write(resource_list(config_map({"initdata": DOC})))
rc, out, err = T.tool(["krm", rl_file], stream.encode())
check(rc == 1 and out == b"" and b"CONFIG is a ResourceList" in err,
      f"exec plugin with a ResourceList as CONFIG: exit {rc} ({err.decode()[:300]})")

sys.exit(T.finish())
