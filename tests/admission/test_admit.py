#!/usr/bin/env python3
"""initdata admit: the admission decisions, offline, against oracles.

  * the seed flow's pod.yaml is allowed; a copy whose aa.toml and cdh.toml
    URL is not allowed is denied with IDT-KBS003 at the URL's line and
    column, computed here from the document's text;
  * AdmissionReviews built from the API's own fixtures (the Pod and every
    workload kind; small built-in objects without ../shared), with our
    annotation in the pod template: the response echoes the uid, allows or
    denies (403, the object and field path named), lists the codes in
    auditAnnotations; other kinds and operations are allowed untouched;
  * the mutating endpoint's patches, applied with python3-jsonpatch (an
    independent RFC 6902 implementation), give the annotation whose
    gzip+base64 (Python's own) is the rule's document, and `initdata
    extract` reads it back; legacy migration, replace and keep;
  * warnings are one line of at most 120 bytes; manifests get --mutate
    through the byte-preserving editor; configurations with errors fail to
    load with check-style messages.
Env: INITDATA, IDT_SOURCE_DIR, IDT_SHARED (optional).
"""
import base64
import copy
import gzip
import json
import os
import sys

import jsonpatch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "manifest"))
import idt_test  # noqa: E402
from k8s import CUR, LEG, PATHS  # noqa: E402

T = idt_test.Test("admit")
check = T.check
D = T.tempdir()
GOOD_KBS = "http://1.2.3.4:8080"
BAD_KBS = "http://10.0.0.9:8080"
FIXTURES = idt_test.shared("testdata", "k8s", "api-testdata", optional=True)

GROUPS = {"Pod": ("", "v1", "pods"), "Deployment": ("apps", "v1", "deployments"),
          "StatefulSet": ("apps", "v1", "statefulsets"), "DaemonSet": ("apps", "v1", "daemonsets"),
          "ReplicaSet": ("apps", "v1", "replicasets"), "Job": ("batch", "v1", "jobs"),
          "CronJob": ("batch", "v1", "cronjobs"),
          "ReplicationController": ("", "v1", "replicationcontrollers"),
          "PodTemplate": ("", "v1", "podtemplates")}
FILES = {"Pod": "core.v1.Pod", "Deployment": "apps.v1.Deployment",
         "StatefulSet": "apps.v1.StatefulSet", "DaemonSet": "apps.v1.DaemonSet",
         "ReplicaSet": "apps.v1.ReplicaSet", "Job": "batch.v1.Job", "CronJob": "batch.v1.CronJob",
         "ReplicationController": "core.v1.ReplicationController",
         "PodTemplate": "core.v1.PodTemplate"}


def write(name, data):
    path = os.path.join(D, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def admit(*args, stdin=None):
    return T.tool(["admit"] + list(args), stdin=stdin)


def encode(doc):
    """The annotation value, by Python's gzip and base64 (mtime 0)."""
    return base64.b64encode(gzip.compress(doc, mtime=0)).decode()


def decode(value):
    return gzip.decompress(base64.b64decode(value, validate=True))


# --- the seed flow ------------------------------------------------------------------

seed = os.path.join(D, "seed")
rc, out, err = T.run(["sh", os.path.join(idt_test.source_dir(), "scripts", "run-default.sh"),
                      idt_test.tool_path(), seed])
check(rc == 0, f"seed flow ran: {err.decode()[-300:]}")
with open(os.path.join(seed, "initdata.toml"), "rb") as f:
    GOOD_DOC = f.read()
with open(os.path.join(seed, "pod.yaml"), "rb") as f:
    SEED_POD = f.read()
BAD_DOC = GOOD_DOC.replace(GOOD_KBS.encode(), BAD_KBS.encode())
check(BAD_DOC != GOOD_DOC, "the seed document names the seed KBS")
write("good.toml", GOOD_DOC)
CONFIG = write("webhook.toml", f"""# the seed KBS only
[validate]
kbs_urls = ["{GOOD_KBS}"]
algorithms = ["sha256", "sha384", "sha512"]

[[inject]]
document = "good.toml"
namespaces = ["team-a"]
""")

pod_path = os.path.join(seed, "pod.yaml")
rc, out, err = admit("--config", CONFIG, pod_path)
check(rc == 0, f"seed pod.yaml allowed (exit {rc}): {out.decode()} {err.decode()}")
check(out.decode() == f"{pod_path}:1:1: Pod default/encrypted-image: allow\n",
      f"seed pod.yaml: one line, allow: {out.decode()!r}")

# The copy with a KBS the configuration does not allow: the positions of
# both URLs, found here in the document's own text.
cur_line = SEED_POD.decode().split("\n")
val = [l for l in cur_line if CUR in l][0].split(": ", 1)[1].strip()
bad_pod = write("bad-pod.yaml", SEED_POD.replace(val.encode(), encode(BAD_DOC).encode()))
lines = BAD_DOC.decode().split("\n")
url_lines = [i + 1 for i, l in enumerate(lines) if BAD_KBS in l]
check(len(url_lines) == 2, f"two URLs in the document: {url_lines}")
col = lines[url_lines[0] - 1].index('"') + 1
rc, out, err = admit("--config", CONFIG, bad_pod)
text = out.decode()
check(rc == 1, f"bad pod denied (exit {rc})")
check(text.startswith(f"{bad_pod}:1:1: Pod default/encrypted-image: deny\n"), f"deny line: {text}")
field = f"metadata.annotations[{CUR}]"
for n, entry in zip(url_lines, ("aa.toml", "cdh.toml")):
    key = "token_configs.kbs.url" if entry == "aa.toml" else "kbc.url"
    want = (f"  deny: {field}:{n}:{col}: error: {entry}:3:7: {key} \"{BAD_KBS}\" is not an "
            f"allowed KBS")
    check(want in text, f"finding at {n}:{col} in {entry}: {want!r} in {text!r}")
check(text.count("[IDT-KBS003]") == 2, "two IDT-KBS003 findings")

rc, out, err = admit("--config", CONFIG, "--json", pod_path, bad_pod)
rep = json.loads(out)
check(rc == 1 and rep["allowed"] is False, "--json: not allowed overall")
objs = [o for i in rep["inputs"] for o in i["objects"]]
check([o["decision"] for o in objs] == ["allow", "deny"], f"--json decisions: {objs}")
check([f["code"] for f in objs[1]["findings"]] == ["IDT-KBS003", "IDT-KBS003"],
      "--json: the codes")

# --- AdmissionReviews ------------------------------------------------------------------

SMALL = {"Pod": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                 "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}


def fixture(kind):
    if FIXTURES:
        with open(os.path.join(FIXTURES, FILES[kind] + ".json")) as f:
            return json.load(f)
    obj = copy.deepcopy(SMALL["Pod"])
    if kind == "Pod":
        return obj
    tmpl = {"metadata": {"labels": {"app": "x"}}, "spec": obj["spec"]}
    o = {"apiVersion": "v1", "kind": kind, "metadata": {"name": "w"}}
    t = o
    for k in PATHS[kind][:-1]:
        t = t.setdefault(k, {})
    t[PATHS[kind][-1]] = tmpl
    return o


def template(o):
    t = o
    for k in PATHS[o["kind"]]:
        t = t[k]
    return t


def prepare(kind, value=None, runtime_class="kata-qemu-tdx", annotations=True):
    o = fixture(kind)
    t = template(o)
    t.setdefault("spec", {})["runtimeClassName"] = runtime_class
    meta = t.setdefault("metadata", {})
    meta.pop("annotations", None)
    if annotations:
        meta["annotations"] = {"example.com/other": "x"}
        if value is not None:
            meta["annotations"][CUR] = value
    return o


def review(obj, op="CREATE", uid="7a3c0000-0000-4000-8000-000000000001", ns="team-a"):
    g, v, r = GROUPS.get(obj.get("kind"), ("", "v1", "services"))
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"uid": uid, "kind": {"group": g, "version": v, "kind": obj.get("kind")},
                        "resource": {"group": g, "version": v, "resource": r},
                        "operation": op, "namespace": ns,
                        "name": obj.get("metadata", {}).get("name", ""),
                        "userInfo": {"username": "admin"}, "object": obj,
                        "oldObject": None, "dryRun": False}}


def respond(rev, mutate=False):
    path = write("review.json", json.dumps(rev, separators=(",", ":")))
    rc, out, err = admit("--config", CONFIG, *(["--mutate"] if mutate else []), path)
    try:
        resp = json.loads(out)
    except ValueError:
        T.fail(f"response is not JSON: {out[:300]!r} {err.decode()[-300:]}")
        return rc, {}
    check(resp.get("apiVersion") == "admission.k8s.io/v1" and resp.get("kind") == "AdmissionReview",
          "response apiVersion/kind")
    r = resp.get("response", {})
    check(r.get("uid") == rev["request"]["uid"], "uid echoed")
    return rc, r


for kind in FILES:
    good = prepare(kind, encode(GOOD_DOC))
    rc, r = respond(review(good))
    check(rc == 0 and r.get("allowed") is True and "status" not in r,
          f"{kind}: the seed document is allowed: {r}")
    bad = prepare(kind, encode(BAD_DOC))
    rc, r = respond(review(bad, op="UPDATE"))
    msg = r.get("status", {}).get("message", "")
    name = bad["metadata"].get("name", "")
    prefix = f"{kind} team-a/{name}: {'.'.join(PATHS[kind] + ['metadata', 'annotations'])}[{CUR}]:"
    check(rc == 1 and r.get("allowed") is False and r.get("status", {}).get("code") == 403,
          f"{kind}: the bad document is denied with 403: {r}")
    check(msg.startswith(prefix) and "[IDT-KBS003]" in msg and msg.count("\n") == 1,
          f"{kind}: message names object, field and finding: {msg!r} (want {prefix!r})")
    check(r.get("auditAnnotations") == {"decision": "deny", "codes": "IDT-KBS003"},
          f"{kind}: auditAnnotations {r.get('auditAnnotations')}")
    rc, r = respond(review(prepare(kind, None)))
    check(rc == 1 and r.get("allowed") is False and "[IDT-ADM001]" in r["status"]["message"],
          f"{kind}: no annotation is denied (required): {r}")
    rc, r = respond(review(prepare(kind, None, runtime_class="runc")))
    check(rc == 0 and r.get("allowed") is True and "auditAnnotations" not in r,
          f"{kind}: out of scope (runc) allowed untouched: {r}")
    rc, r = respond(review(prepare(kind, "H4sI!!!not-base64")))
    check(rc == 1 and "[IDT-ADM002]" in r.get("status", {}).get("message", ""),
          f"{kind}: an undecodable annotation is denied: {r}")

rc, r = respond(review(prepare("Pod", None), op="DELETE"))
check(rc == 0 and r.get("allowed") is True, "DELETE allowed untouched")
svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {}}
rc, r = respond(review(svc))
check(rc == 0 and r.get("allowed") is True and len(r) == 2, f"a Service allowed untouched: {r}")
lg = prepare("Pod", None)
template(lg)["metadata"]["annotations"][LEG] = encode(GOOD_DOC)
rc, r = respond(review(lg))
warn = r.get("warnings", [])
check(rc == 0 and r.get("allowed") is True and len(warn) == 1 and warn[0].startswith("IDT-ADM005: "),
      f"legacy key: allowed with a warning: {r}")

# --- warnings ----------------------------------------------------------------------------

WARN_CONFIG = write("warn.toml", """[actions]
note = "warn"
""")
rc, out, err = admit("--config", WARN_CONFIG, write("r.json", json.dumps(review(prepare("Pod", encode(GOOD_DOC))))))
r = json.loads(out)["response"]
ws = r.get("warnings", [])
check(rc == 0 and len(ws) >= 3, f"notes as warnings: {ws}")
for w in ws:
    check(len(w.encode()) <= 120 and all(c >= " " and c != "\x7f" for c in w) and w.startswith("IDT-"),
          f"a warning is one short line starting with its code: {w!r}")
check(any(w.startswith("IDT-POL004: ") for w in ws), "exec allowed: IDT-POL004 warning")
check(r.get("auditAnnotations", {}).get("decision") == "allow", "auditAnnotations decision allow")

# --- the mutating endpoint ---------------------------------------------------------------


def mutate_check(obj, what, expect_value, expect_legacy=None, ns="team-a"):
    rc, r = respond(review(obj, ns=ns), mutate=True)
    check(rc == 0 and r.get("allowed") is True, f"{what}: allowed")
    if expect_value is None and expect_legacy is None:
        check("patch" not in r and "patchType" not in r, f"{what}: no patch: {r}")
        return
    check(r.get("patchType") == "JSONPatch", f"{what}: patchType")
    patch = json.loads(base64.b64decode(r.get("patch", "")))
    out = jsonpatch.apply_patch(obj, patch)
    ann = out["metadata"]["annotations"]
    check(decode(ann[CUR]) == expect_value, f"{what}: the annotation decodes to the document")
    check(ann.get(LEG) == expect_legacy, f"{what}: legacy key {ann.get(LEG)!r}")
    others = {k: v for k, v in ann.items() if k not in (CUR, LEG)}
    before = {k: v for k, v in (obj["metadata"].get("annotations") or {}).items()
              if k not in (CUR, LEG)}
    check(others == before, f"{what}: other annotations kept")
    p = write("patched.json", json.dumps(out))
    rc, so, se = T.tool(["extract", "--summary", p])
    check(rc == 0 and b"cc_init_data" in so, f"{what}: initdata extract reads the patched object")
    return patch


p = prepare("Pod", None, annotations=False)
patch = mutate_check(p, "no annotations", GOOD_DOC)
check(patch == [{"op": "add", "path": "/metadata/annotations", "value": {CUR: patch[0]["value"][CUR]}}],
      f"no annotations: one add of the map: {patch}")
mutate_check(prepare("Pod", None), "annotations without the key", GOOD_DOC)
mutate_check(prepare("Pod", encode(BAD_DOC)), "existing annotation kept (replace = false)", None)
mutate_check(prepare("Pod", None), "another namespace: no rule", None, ns="team-b")
lg = prepare("Pod", None)
lg["metadata"]["annotations"][LEG] = encode(BAD_DOC)
mutate_check(lg, "legacy key migrated (value kept)", BAD_DOC)
for kind in ("Deployment", "CronJob"):
    mutate_check(prepare(kind, None, annotations=False), f"{kind}: templates are not mutated", None)
REPLACE = write("replace.toml", """[[inject]]
document = "good.toml"
replace = true
migrate_legacy = false
""")
rc, out, err = admit("--config", REPLACE, "--mutate", write("r2.json", json.dumps(review(prepare("Pod", encode(BAD_DOC))))))
r = json.loads(out)["response"]
out_obj = jsonpatch.apply_patch(prepare("Pod", encode(BAD_DOC)), json.loads(base64.b64decode(r["patch"])))
check(decode(out_obj["metadata"]["annotations"][CUR]) == GOOD_DOC, "replace = true replaces")

# --mutate on a manifest: the editor adds the annotation, every other byte kept.
bare = SEED_POD.replace(f"    {CUR}: {val}\n".encode(), b"")
check(bare != SEED_POD, "the seed pod without its annotation")
bare_path = write("bare.yaml", bare)
rc, out, err = admit("--config", CONFIG, "--mutate", "-n", "team-a", bare_path)
check(rc == 0 and out == SEED_POD, f"--mutate gives back the seed pod byte for byte: {err.decode()}")
rc, out, err = admit("--config", CONFIG, "--mutate", "-n", "team-b", bare_path)
check(rc == 0 and out == bare, "--mutate with no rule: unchanged")

# --- configurations that do not load ----------------------------------------------------

for text, want, code in [
        ("[validate]\nkbs_url = []\n", ":2:1: error: unknown key \"kbs_url\" in [validate]", 1),
        ("[server]\nport = 0\n", ":2:8: error: port must be from 1 to 65535", 1),
        ("[actions]\n\"IDT-XYZ999\" = \"deny\"\n", ":2:1: error: \"IDT-XYZ999\" is neither", 1),
        ("[actions]\nerror = \"block\"\n", ":2:9: error: an action is", 1),
        ("[[inject]]\ndocument = \"missing.toml\"\n", ":2:12: error: cannot read", 3),
        ("[validate\n", ":1:10: error:", 1),
]:
    cfg = write("bad.toml", text)
    rc, out, err = admit("--config", cfg, pod_path)
    e = err.decode()
    check(rc == code and (cfg + want) in e and "IDT-ADM006" in e and "not loaded" in e,
          f"config {text!r}: {e!r} (want {want!r})")
write("bad-doc.toml", BAD_DOC)
cfg = write("bad-inject.toml", f"[validate]\nkbs_urls = [\"{GOOD_KBS}\"]\n[[inject]]\ndocument = \"bad-doc.toml\"\n")
rc, out, err = admit("--config", cfg, pod_path)
e = err.decode()
check(rc == 1 and f"bad-doc.toml:{url_lines[0]}:{col}: error: aa.toml:3:7:" in e and
      "fails its check" in e, f"an inject document that fails its check fails the load: {e}")

rc, out, err = admit(pod_path)
check(rc == 2 and b"--config" in err, "--config is required")

sys.exit(T.finish())
