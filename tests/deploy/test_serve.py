#!/usr/bin/env python3
"""deploy/ served by the real `initdata webhook`, as the pod would run it.

The files are laid out as the Deployment's projected volume lays them out
(deploy/base/deployment.yaml's items, filled from deploy/config as its
kustomization's configMapGenerator names them), the TLS files come from
`initdata webhook certs` for the Service, and the webhook runs with the
Deployment's args (plus --listen on loopback and the certificate's place).
Then, with curl checking the certificate against ca.crt under the name the
API server uses (initdata-webhook.initdata-system.svc):
  * the Deployment's readiness and liveness probe paths answer 200 "ok";
  * POST /validate?timeout=5s (as the API server calls it) of a TDX Pod
    without Init-Data in namespace demo: allowed false, IDT-ADM001, the uid
    echoed; a runc Pod: allowed;
  * POST /mutate of the same Pod in team-a: a JSON Patch whose annotation
    decodes (Python's base64 and gzip) to deploy/config/documents/team-a.toml;
  * SIGTERM: exit 0.
Skipped (77) without the webhook or certs command or curl.

Output: FAIL lines, then `deploy-serve: N passed, M failed`.
"""
import base64
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402

T = idt_test.Test("deploy-serve")
check = T.check
SRC = idt_test.source_dir()
DEPLOY = os.path.join(SRC, "deploy")
SERVICE, NS = "initdata-webhook", "initdata-system"
HOST = f"{SERVICE}.{NS}.svc"
KEY = "io.katacontainers.config.hypervisor.cc_init_data"


def layout(root, certs_words):
    """Writes the volume's files under root (the mountPath); returns the
    Deployment's container."""
    with open(os.path.join(DEPLOY, "base", "deployment.yaml"), encoding="utf-8") as f:
        dep = yaml.safe_load(f)
    with open(os.path.join(DEPLOY, "config", "kustomization.yaml"), encoding="utf-8") as f:
        gen = yaml.safe_load(f)["configMapGenerator"][0]["files"]
    files = {}
    for spec in gen:
        key, _, path = spec.partition("=")
        files[key] = path or key
    spec = dep["spec"]["template"]["spec"]
    c = spec["containers"][0]
    mount = c["volumeMounts"][0]
    vol = next(v for v in spec["volumes"] if v["name"] == mount["name"])
    for src in vol["projected"]["sources"]:
        if "configMap" in src:
            for it in src["configMap"]["items"]:
                dst = os.path.join(root, it["path"])
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(os.path.join(DEPLOY, "config", files[it["key"]]), dst)
        if "secret" in src:
            items = {it["key"]: it["path"] for it in src["secret"]["items"]}
            tls_dir = os.path.join(root, os.path.dirname(items["tls.crt"]))
            rc, _, err = T.tool(certs_words + ["--service", SERVICE, "--namespace", NS,
                                               "--out", tls_dir])
            if not check(rc == 0, f"webhook certs: exit {rc}: {err.decode()}"):
                sys.exit(T.finish())
    return c, mount["mountPath"]


def curl(port, ca, path, body=None):
    args = ["curl", "-sS", "--max-time", "20", "--cacert", ca, "--resolve",
            f"{HOST}:{port}:127.0.0.1", "-o", "-", "-w", "\n%{http_code}"]
    if body is not None:
        args += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
    p = subprocess.run(args + [f"https://{HOST}:{port}{path}"], input=body,
                       capture_output=True, timeout=60)
    out, _, code = p.stdout.rpartition(b"\n")
    return p.returncode, int(code or 0), out, p.stderr.decode("utf-8", "replace")


def review(uid, ns, runtime_class):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": ns},
           "spec": {"runtimeClassName": runtime_class,
                    "containers": [{"name": "c", "image": "registry.example/app:1"}]}}
    return json.dumps({
        "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
        "request": {"uid": uid, "kind": {"group": "", "version": "v1", "kind": "Pod"},
                    "resource": {"group": "", "version": "v1", "resource": "pods"},
                    "requestKind": {"group": "", "version": "v1", "kind": "Pod"},
                    "requestResource": {"group": "", "version": "v1", "resource": "pods"},
                    "name": "web", "namespace": ns, "operation": "CREATE",
                    "userInfo": {"username": "alice"}, "object": pod, "oldObject": None,
                    "dryRun": False, "options": {"apiVersion": "meta.k8s.io/v1",
                                                 "kind": "CreateOptions"}}}).encode()


def main():
    if not shutil.which("curl"):
        T.skip("curl is absent")
    certs = ["webhook", "certs"]
    work = T.tempdir()
    root = os.path.join(work, "etc-initdata")
    c, mount_path = layout(root, certs)
    args = c["args"]
    cfg = os.path.join(root, os.path.relpath(args[args.index("--config") + 1], mount_path))
    ca = os.path.join(root, "tls", "ca.crt")
    log_path = os.path.join(work, "webhook.log")
    log = open(log_path, "wb")
    proc = subprocess.Popen([idt_test.tool_path(), "webhook", "--config", cfg,
                             "--listen", "127.0.0.1:0",
                             "--cert", os.path.join(root, "tls", "tls.crt"),
                             "--key", os.path.join(root, "tls", "tls.key")],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                            env=idt_test.sanitizer_env())
    try:
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline and proc.poll() is None:
            with open(log_path, "rb") as f:
                for line in f.read().decode("utf-8", "replace").split("\n"):
                    try:
                        ev = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(ev, dict) and ev.get("event") == "listening":
                        port = ev.get("port")
            time.sleep(0.1)
        if not check(port is not None, "the webhook did not start: " +
                     open(log_path, "rb").read().decode("utf-8", "replace")[-2000:]):
            return T.finish()

        for probe in ("readinessProbe", "livenessProbe"):
            path = c[probe]["httpGet"]["path"]
            rc, code, body, err = curl(port, ca, path)
            check(rc == 0 and code == 200 and body.strip() == b"ok",
                  f"{probe} GET {path}: curl exit {rc}, HTTP {code}, {body[:100]!r} {err}")

        rc, code, body, err = curl(port, ca, "/validate?timeout=5s",
                                   review("uid-deny-1", "demo", "kata-qemu-tdx"))
        resp = json.loads(body).get("response", {}) if code == 200 else {}
        check(rc == 0 and code == 200 and resp.get("uid") == "uid-deny-1" and
              resp.get("allowed") is False and
              "IDT-ADM001" in resp.get("status", {}).get("message", ""),
              f"/validate of a TDX pod without Init-Data: exit {rc}, HTTP {code}: "
              f"{body[:600]!r} {err}")
        rc, code, body, err = curl(port, ca, "/validate?timeout=5s",
                                   review("uid-runc", "demo", "runc"))
        resp = json.loads(body).get("response", {}) if code == 200 else {}
        check(code == 200 and resp.get("allowed") is True,
              f"/validate of a runc pod: HTTP {code}: {body[:400]!r} {err}")

        rc, code, body, err = curl(port, ca, "/mutate?timeout=5s",
                                   review("uid-mutate", "team-a", "kata-qemu-tdx"))
        resp = json.loads(body).get("response", {}) if code == 200 else {}
        patch = json.loads(base64.b64decode(resp.get("patch", ""))) if resp.get("patch") else []
        value = None
        for op in patch:
            if op.get("path") == "/metadata/annotations" and op.get("op") == "add":
                value = op["value"].get(KEY)
            elif op.get("path") == "/metadata/annotations/" + KEY:
                value = op.get("value")
        with open(os.path.join(DEPLOY, "config", "documents", "team-a.toml"), "rb") as f:
            want = f.read()
        check(resp.get("allowed") is True and resp.get("patchType") == "JSONPatch" and
              value is not None and gzip.decompress(base64.b64decode(value)) == want,
              f"/mutate of a team-a TDX pod: HTTP {code}: {body[:600]!r} {err}")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
    check(proc.returncode == 0, f"the webhook exited {proc.returncode} on SIGTERM: " +
          open(log_path, "rb").read().decode("utf-8", "replace")[-1500:])
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
