#!/usr/bin/env python3
"""deploy/config: the example admission configuration and its Init-Data document.

  * every document under deploy/config/documents/ passes `initdata check`,
    for the platforms of the runtime classes of the [[inject]] rule that
    names it (TDX and SNP for the example);
  * deploy/config/webhook.toml loads in `initdata admit` (its [[inject]]
    documents are checked then) and judges a pod manifest: a TDX Pod
    without Init-Data in team-a is denied with IDT-ADM001; `--mutate` gives
    it the annotation, whose value, decoded with Python's base64 and gzip,
    is the example document byte for byte; the mutated Pod is allowed; a
    runc Pod and a Pod in kube-system are out of scope;
  * the documented defaults hold: [scope] runtime_classes is the default
    list of initdata-admit(1) (read from the man page), the webhook's own
    namespace and kube-system are excluded, [server] port is 8443.

Output: FAIL lines, then `deploy-config: N passed, M failed`.
"""
import base64
import gzip
import os
import re
import sys
import tomllib

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402

T = idt_test.Test("deploy-config")
SRC = idt_test.source_dir()
CONFIG = os.path.join(SRC, "deploy", "config", "webhook.toml")
DOCS = os.path.join(SRC, "deploy", "config", "documents")
KEY = "io.katacontainers.config.hypervisor.cc_init_data"
PLATFORM_WORDS = ("tdx", "snp", "cca", "se")


def man_default_classes():
    """The default runtime_classes of [scope], as initdata-admit(1) lists them."""
    with open(os.path.join(SRC, "docs", "man", "initdata-admit.1"), encoding="utf-8") as f:
        text = f.read().replace("\\-", "-")
    m = re.search(r"^runtime_classes = (\[[^\]]*\])", text, re.M)
    return re.findall(r'"([^"]+)"', m.group(1)) if m else []


def platforms_of(classes):
    """The platforms a runtime class implies (initdata-admit(1)): a word
    tdx, snp, cca or se between dashes."""
    out = []
    for c in classes:
        for w in c.split("-"):
            if w in PLATFORM_WORDS and w not in out:
                out.append(w)
    return out


def pod(name, ns, runtime_class):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": {"runtimeClassName": runtime_class,
                     "containers": [{"name": "c", "image": "registry.example/app:1"}]}}


def main():
    with open(CONFIG, "rb") as f:
        cfg = tomllib.load(f)
    defaults = man_default_classes()
    T.check(len(defaults) == 8, f"initdata-admit(1): cannot read the default list: {defaults}")
    T.check(cfg["scope"]["runtime_classes"] == defaults,
            f"[scope] runtime_classes {cfg['scope']['runtime_classes']} is not the default "
            f"{defaults}")
    T.check({"kube-system", "initdata-system"} <= set(cfg["scope"]["exclude_namespaces"]),
            "[scope] exclude_namespaces lacks kube-system or initdata-system")
    T.check(cfg["server"]["port"] == 8443, "[server] port is not 8443")
    T.check(cfg["server"]["cert"].startswith("/etc/initdata/") and
            cfg["server"]["key"].startswith("/etc/initdata/"),
            "[server] cert and key are not under /etc/initdata/")

    # Every document, checked for the platforms of the rules that name it.
    docs = sorted(os.listdir(DOCS))
    T.check(len(docs) > 0, "no document under deploy/config/documents")
    rules = cfg.get("inject", [])
    T.check(len(rules) > 0, "webhook.toml has no [[inject]] rule")
    for name in docs:
        path = os.path.join(DOCS, name)
        users = [r for r in rules if os.path.normpath(r["document"]) ==
                 os.path.join("documents", name)]
        T.check(len(users) > 0, f"documents/{name}: no [[inject]] rule names it")
        plats = platforms_of(sum((r.get("runtime_classes") or cfg["scope"]["runtime_classes"]
                                  for r in users), []))
        args = ["check"] + sum((["--platform", p] for p in plats), []) + [path]
        rc, out, err = T.tool(args)
        T.check(rc == 0 and b": valid:" in out + err,
                f"initdata {' '.join(args)}: exit {rc}: {(out + err).decode()}")
        T.check(b"warning" not in out + err and b"error" not in out + err,
                f"documents/{name}: warnings: {(out + err).decode()}")

    work = T.tempdir()
    manifest = os.path.join(work, "pods.yaml")
    objs = [pod("web", "team-a", "kata-qemu-tdx"), pod("plain", "team-a", "runc"),
            pod("system", "kube-system", "kata-qemu-tdx")]
    with open(manifest, "w", encoding="utf-8") as f:
        yaml.safe_dump_all(objs, f, sort_keys=False)
    rc, out, err = T.tool(["admit", "--config", CONFIG, manifest])
    text = out.decode()
    T.check(rc == 1, f"admit: exit {rc}, want 1 (the TDX pod denied): {text}{err.decode()}")
    T.check(re.search(r"Pod team-a/web: deny", text) and "IDT-ADM001" in text,
            f"admit: the TDX pod without Init-Data is not denied with IDT-ADM001: {text}")
    T.check("Pod team-a/plain: allow (out of scope)" in text, f"admit: runc pod: {text}")
    T.check("Pod kube-system/system: allow (out of scope)" in text,
            f"admit: kube-system pod: {text}")

    # --mutate: the [[inject]] rule's document, byte for byte.
    rc, out, err = T.tool(["admit", "--config", CONFIG, "--mutate", manifest])
    T.check(rc == 0, f"admit --mutate: exit {rc}: {err.decode()}")
    mutated = list(yaml.safe_load_all(out))
    ann = (mutated[0].get("metadata", {}).get("annotations") or {}).get(KEY) if mutated else None
    rule = next(r for r in rules if "team-a" in r.get("namespaces", []))
    with open(os.path.join(os.path.dirname(CONFIG), rule["document"]), "rb") as f:
        want = f.read()
    if T.check(ann is not None, f"admit --mutate: no annotation on team-a/web: {out[:500]!r}"):
        T.check(gzip.decompress(base64.b64decode(ann, validate=True)) == want,
                "the injected annotation does not decode to the rule's document")
    T.check(all(KEY not in (o["metadata"].get("annotations") or {}) for o in mutated[1:]),
            "admit --mutate: a pod out of scope got the annotation")
    out_path = os.path.join(work, "mutated.yaml")
    with open(out_path, "wb") as f:
        f.write(out)
    rc, out, err = T.tool(["admit", "--config", CONFIG, out_path])
    T.check(rc == 0 and "Pod team-a/web: allow\n" in out.decode(),
            f"admit of the mutated pods: exit {rc}: {out.decode()}{err.decode()}")
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
