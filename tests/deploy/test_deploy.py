#!/usr/bin/env python3
"""deploy/: the kustomize base and overlays, rendered by the real `kubectl
kustomize` and read with PyYAML.  Skipped (77) without kubectl.

The base (`kubectl kustomize deploy/`):
  * the kinds: Namespace, ServiceAccount, ConfigMap, Deployment, Service,
    PodDisruptionBudget, ValidatingWebhookConfiguration,
    MutatingWebhookConfiguration; every namespaced object in initdata-system;
  * the Deployment: 2 replicas, spread over nodes (topologySpreadConstraints
    and podAntiAffinity on kubernetes.io/hostname, selecting its own pods);
    readiness GET /readyz and liveness GET /healthz over HTTPS on the port
    the configuration's [server] port names; CPU and memory requests and
    limits; every securityContext field (runAsNonRoot, a non-zero runAsUser,
    readOnlyRootFilesystem, allowPrivilegeEscalation false, capabilities
    drop ALL, seccompProfile RuntimeDefault); its ServiceAccount exists;
  * the volume: the rendered ConfigMap and the TLS Secret projected where the
    configuration (read from the rendered ConfigMap) says: --config,
    [server] cert and key, every [[inject]] document; each projected
    document is the file in deploy/config/documents; the files, laid out as
    the volume lays them out, load in `initdata admit`;
  * the Service: 443 to the container's port, its selector matches the pod
    labels; the PDB: minAvailable 1, selecting the pods;
  * both webhook configurations: admissionReviewVersions [v1], sideEffects
    None, timeoutSeconds 5 at most, failurePolicy Fail, clientConfig.service
    the Service with path /validate or /mutate and port 443, a caBundle
    field; a namespaceSelector that excludes kube-system and initdata-system
    by kubernetes.io/metadata.name; the rules (validate: pods and every
    workload kind on CREATE and UPDATE; mutate: pods on CREATE, with
    reinvocationPolicy IfNeeded); a matchCondition whose CEL names every
    default runtime class of initdata-admit(1) and every place a
    runtimeClassName sits, guarded with has(); the validating one also skips
    objects being deleted (a finalizer's removal is never refused);
  * the CEL, when @marcbachmann/cel-js is there (IDT_CEL_JS, or `npm root
    -g`): it parses, and on Pods, Deployments, CronJobs, PodTemplates, Jobs
    and objects without a spec it is true exactly for the default classes;
    the deletion condition is false exactly with a deletionTimestamp.
The cert-manager overlay: a self-signed Issuer, a CA Certificate, a CA
Issuer and a serving Certificate for <service>.<ns>.svc and
.svc.cluster.local whose Secret is the one the Deployment mounts; both
webhook configurations' cert-manager.io/inject-ca-from names it.
The static-certs overlay, rendered in a copy of deploy/ after `initdata
webhook certs`: a kubernetes.io/tls Secret with the files, mounted by the
Deployment under its generated name, and both caBundles are the printed
caBundle (ca.crt).

Output: FAIL lines, then `deploy: N passed, M failed`.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402

T = idt_test.Test("deploy")
check = T.check
SRC = idt_test.source_dir()
DEPLOY = os.path.join(SRC, "deploy")
NS = "initdata-system"
TLS_SECRET = "initdata-webhook-tls"
# Where runtimeClassName sits, by kind (initdata-admit(1), WHAT IS JUDGED).
CLASS_PATHS = {
    "Pod": "object.spec.runtimeClassName",
    "Deployment": "object.spec.template.spec.runtimeClassName",
    "CronJob": "object.spec.jobTemplate.spec.template.spec.runtimeClassName",
    "PodTemplate": "object.template.spec.runtimeClassName",
}
VALIDATE_RESOURCES = {("", "pods"), ("", "replicationcontrollers"), ("", "podtemplates"),
                      ("apps", "deployments"), ("apps", "statefulsets"),
                      ("apps", "daemonsets"), ("apps", "replicasets"),
                      ("batch", "jobs"), ("batch", "cronjobs")}


def render(path):
    p = subprocess.run(["kubectl", "kustomize", path], capture_output=True, timeout=120)
    if not check(p.returncode == 0, f"kubectl kustomize {path}: exit {p.returncode}: "
                 f"{p.stderr.decode('utf-8', 'replace')[-2000:]}"):
        return None
    return [d for d in yaml.safe_load_all(p.stdout) if d]


def only(objs, kind, what):
    found = [o for o in objs if o["kind"] == kind]
    check(len(found) == 1, f"{what}: {len(found)} {kind} objects, want 1")
    return found[0] if found else None


def dig(obj, *keys, default=None):
    for k in keys:
        if isinstance(obj, dict) and k in obj:
            obj = obj[k]
        elif isinstance(obj, list) and isinstance(k, int) and k < len(obj):
            obj = obj[k]
        else:
            return default
    return obj


def man_default_classes():
    with open(os.path.join(SRC, "docs", "man", "initdata-admit.1"), encoding="utf-8") as f:
        text = f.read().replace("\\-", "-")
    m = re.search(r"^runtime_classes = (\[[^\]]*\])", text, re.M)
    return re.findall(r'"([^"]+)"', m.group(1)) if m else []


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_deployment(objs, pod_labels_out):
    dep = only(objs, "Deployment", "base")
    if dep is None:
        return None
    check(dep["metadata"].get("namespace") == NS, "Deployment not in initdata-system")
    check(dep["spec"].get("replicas") == 2, f"replicas {dep['spec'].get('replicas')}, want 2")
    tmpl = dep["spec"]["template"]
    labels = tmpl["metadata"].get("labels", {})
    pod_labels_out.update(labels)
    check(selects(dep["spec"]["selector"].get("matchLabels"), labels),
          "the Deployment's selector does not match its pod labels")
    spec = tmpl["spec"]
    tsc = spec.get("topologySpreadConstraints", [])
    check(any(c.get("topologyKey") == "kubernetes.io/hostname" and c.get("maxSkew") == 1 and
              selects(dig(c, "labelSelector", "matchLabels"), labels) for c in tsc),
          "no topologySpreadConstraint over kubernetes.io/hostname selecting the pods")
    terms = dig(spec, "affinity", "podAntiAffinity",
                "preferredDuringSchedulingIgnoredDuringExecution", default=[]) + \
        dig(spec, "affinity", "podAntiAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution", default=[])
    check(any(dig(t, "podAffinityTerm", "topologyKey", default=t.get("topologyKey")) ==
              "kubernetes.io/hostname" and
              selects(dig(t, "podAffinityTerm", "labelSelector", "matchLabels",
                          default=dig(t, "labelSelector", "matchLabels")), labels)
              for t in terms), "no podAntiAffinity over kubernetes.io/hostname")
    sa = spec.get("serviceAccountName")
    check(any(o["kind"] == "ServiceAccount" and o["metadata"]["name"] == sa for o in objs),
          f"serviceAccountName {sa!r}: no such ServiceAccount")
    psc = spec.get("securityContext", {})
    check(psc.get("runAsNonRoot") is True, "pod securityContext: runAsNonRoot is not true")
    check(dig(psc, "seccompProfile", "type") == "RuntimeDefault",
          "pod securityContext: seccompProfile is not RuntimeDefault")
    containers = spec.get("containers", [])
    check(len(containers) == 1, f"{len(containers)} containers, want 1")
    c = containers[0]
    sc = c.get("securityContext", {})
    check(sc.get("runAsNonRoot") is True, "container: runAsNonRoot is not true")
    uid = sc.get("runAsUser", psc.get("runAsUser"))
    check(isinstance(uid, int) and uid > 0, f"runAsUser {uid!r}: want a non-zero uid")
    check(sc.get("readOnlyRootFilesystem") is True, "container: readOnlyRootFilesystem not true")
    check(sc.get("allowPrivilegeEscalation") is False,
          "container: allowPrivilegeEscalation is not false")
    check(dig(sc, "capabilities", "drop") == ["ALL"], "container: capabilities drop is not [ALL]")
    check(not dig(sc, "capabilities", "add"), "container: adds capabilities")
    check(sc.get("privileged") in (None, False), "container: privileged")
    check(dig(sc, "seccompProfile", "type") == "RuntimeDefault",
          "container: seccompProfile is not RuntimeDefault")
    for kind in ("requests", "limits"):
        res = dig(c, "resources", kind, default={})
        check("cpu" in res and "memory" in res, f"resources.{kind}: cpu and memory not both set")
    return dep


def port_number(container, port):
    """A probe's or Service's port: a number, or the name of a container port."""
    if isinstance(port, int):
        return port
    for p in container.get("ports", []):
        if p.get("name") == port:
            return p.get("containerPort")
    return None


def check_probes(container, server_port):
    ports = [p.get("containerPort") for p in container.get("ports", [])]
    check(server_port in ports, f"containerPort {ports} lacks [server] port {server_port}")
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        get = dig(container, probe, "httpGet", default={})
        check(get.get("path") == path, f"{probe}: path {get.get('path')!r}, want {path}")
        check(get.get("scheme") == "HTTPS", f"{probe}: scheme {get.get('scheme')!r}, want HTTPS")
        check(port_number(container, get.get("port")) == server_port,
              f"{probe}: port {get.get('port')!r} is not {server_port}")


def projected_files(dep, configmap, secret_name):
    """{path in the container: (source kind, source name, key)} of every volume
    the container mounts (projected, configMap or secret volumes)."""
    spec = dep["spec"]["template"]["spec"]
    c = spec["containers"][0]
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    files = {}
    for m in c.get("volumeMounts", []):
        v = volumes.get(m["name"])
        if not check(v is not None, f"volumeMount {m['name']}: no such volume"):
            continue
        if "projected" in v:
            sources = v["projected"]["sources"]
        else:
            sources = [v]
        for s in sources:
            for kind, name_key in (("configMap", "name"), ("secret", "secretName")):
                if kind not in s:
                    continue
                src = s[kind]
                name = src.get("name", src.get(name_key))
                items = src.get("items")
                if items is None and kind == "configMap" and name == configmap["metadata"]["name"]:
                    items = [{"key": k, "path": k} for k in configmap.get("data", {})]
                for it in items or []:
                    files[os.path.join(m["mountPath"], it["path"])] = (kind, name, it["key"])
    return files


def check_config_mount(objs, dep, work):
    """The configuration in the rendered ConfigMap, and the mount that gives
    it the paths it names; then the files, laid out as the volume lays them
    out, load in `initdata admit`.  Returns the configuration (parsed)."""
    cm = only(objs, "ConfigMap", "base")
    if cm is None:
        return None
    check(cm["metadata"]["name"].startswith("initdata-webhook-config-"),
          f"ConfigMap {cm['metadata']['name']}: not the generated initdata-webhook-config")
    c = dep["spec"]["template"]["spec"]["containers"][0]
    args = c.get("args", [])
    cfg_path = args[args.index("--config") + 1] if "--config" in args[:-1] else None
    if not check(cfg_path is not None, f"the container's args {args} name no --config"):
        return None
    files = projected_files(dep, cm, TLS_SECRET)
    if not check(cfg_path in files and files[cfg_path][:2] == ("configMap", cm["metadata"]["name"]),
                 f"--config {cfg_path} is not a file of the ConfigMap's volume: {sorted(files)}"):
        return None
    text = cm["data"][files[cfg_path][2]]
    with open(os.path.join(DEPLOY, "config", "webhook.toml"), encoding="utf-8") as f:
        check(text == f.read(), "the ConfigMap's webhook.toml is not deploy/config/webhook.toml")
    cfg = tomllib.loads(text)
    base = os.path.dirname(cfg_path)
    for what in ("cert", "key"):
        path = os.path.normpath(os.path.join(base, cfg["server"][what]))
        want = "tls.crt" if what == "cert" else "tls.key"
        check(files.get(path) == ("secret", TLS_SECRET, want),
              f"[server] {what} {path}: not the Secret {TLS_SECRET}'s {want} "
              f"(mounted: {files.get(path)})")
    # Every [[inject]] document, projected from the ConfigMap, is the file.
    layout = os.path.join(work, "etc-initdata")
    for path, (kind, name, key) in files.items():
        if kind == "configMap":
            dst = os.path.join(layout, os.path.relpath(path, base))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "w", encoding="utf-8") as f:
                f.write(cm["data"][key])
    for rule in cfg.get("inject", []):
        path = os.path.normpath(os.path.join(base, rule["document"]))
        if not check(path in files and files[path][0] == "configMap",
                     f"[[inject]] document {path} is not mounted from the ConfigMap"):
            continue
        with open(os.path.join(DEPLOY, "config", rule["document"]), encoding="utf-8") as f:
            check(cm["data"][files[path][2]] == f.read(),
                  f"the ConfigMap's {files[path][2]} is not deploy/config/{rule['document']}")
    # The mounted layout loads (documents checked at load), as the pod would.
    pod = os.path.join(work, "pod.yaml")
    with open(pod, "w", encoding="utf-8") as f:
        f.write("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\n"
                "spec: {runtimeClassName: runc, containers: [{name: c, image: x}]}\n")
    rc, out, err = T.tool(["admit", "--config", os.path.join(layout, os.path.basename(cfg_path)),
                           pod])
    check(rc == 0, f"initdata admit with the ConfigMap's files as mounted: exit {rc}: "
          f"{(out + err).decode()}")
    return cfg


def check_service_pdb(objs, dep, pod_labels, server_port):
    svc = only(objs, "Service", "base")
    if svc is not None:
        ports = svc["spec"].get("ports", [])
        c = dep["spec"]["template"]["spec"]["containers"][0]
        check(len(ports) == 1 and ports[0].get("port") == 443 and
              port_number(c, ports[0].get("targetPort")) == server_port,
              f"Service ports {ports}: want 443 -> {server_port}")
        check(selects(svc["spec"].get("selector"), pod_labels),
              f"Service selector {svc['spec'].get('selector')} does not match the pod labels "
              f"{pod_labels}")
    pdb = only(objs, "PodDisruptionBudget", "base")
    if pdb is not None:
        check(pdb["spec"].get("minAvailable") == 1, "PDB: minAvailable is not 1")
        check(selects(dig(pdb, "spec", "selector", "matchLabels"), pod_labels),
              "PDB: its selector does not match the pod labels")
    return svc


def check_webhooks(objs, svc, classes):
    """The webhook configurations; returns the CEL expressions of the runtime
    class conditions and of the deletion conditions."""
    exprs, deleting = [], []
    for kind, path in (("ValidatingWebhookConfiguration", "/validate"),
                       ("MutatingWebhookConfiguration", "/mutate")):
        wc = only(objs, kind, "base")
        if wc is None:
            continue
        hooks = wc.get("webhooks", [])
        check(len(hooks) == 1, f"{kind}: {len(hooks)} webhooks, want 1")
        for h in hooks:
            what = f"{kind} {h.get('name')}"
            check(h.get("admissionReviewVersions") == ["v1"],
                  f"{what}: admissionReviewVersions {h.get('admissionReviewVersions')}")
            check(h.get("sideEffects") == "None", f"{what}: sideEffects {h.get('sideEffects')}")
            t = h.get("timeoutSeconds")
            check(isinstance(t, int) and 1 <= t <= 5, f"{what}: timeoutSeconds {t}, want 1-5")
            check(h.get("failurePolicy") == "Fail", f"{what}: failurePolicy {h.get('failurePolicy')}")
            s = dig(h, "clientConfig", "service", default={})
            check(svc is not None and s.get("name") == svc["metadata"]["name"] and
                  s.get("namespace") == svc["metadata"]["namespace"],
                  f"{what}: clientConfig.service {s} is not the Service")
            check(s.get("path") == path and s.get("port", 443) == 443,
                  f"{what}: path {s.get('path')} port {s.get('port')}, want {path} 443")
            check("caBundle" in h.get("clientConfig", {}), f"{what}: no caBundle field")
            exprs_ns = dig(h, "namespaceSelector", "matchExpressions", default=[])
            check(any(e.get("key") == "kubernetes.io/metadata.name" and
                      e.get("operator") == "NotIn" and
                      {"kube-system", NS} <= set(e.get("values", [])) for e in exprs_ns),
                  f"{what}: namespaceSelector does not exclude kube-system and {NS}")
            got = set()
            ops = set()
            for r in h.get("rules", []):
                for g in r.get("apiGroups", []):
                    for res in r.get("resources", []):
                        got.add((g, res))
                ops.add(tuple(sorted(r.get("operations", []))))
            if kind.startswith("Validating"):
                check(got == VALIDATE_RESOURCES, f"{what}: rules cover {sorted(got)}, want "
                      f"{sorted(VALIDATE_RESOURCES)}")
                check(ops == {("CREATE", "UPDATE")}, f"{what}: operations {ops}")
            else:
                check(got == {("", "pods")}, f"{what}: rules cover {sorted(got)}, want pods")
                check(ops == {("CREATE",)}, f"{what}: operations {ops}, want CREATE")
                check(h.get("reinvocationPolicy") == "IfNeeded",
                      f"{what}: reinvocationPolicy {h.get('reinvocationPolicy')}")
            mcs = {m.get("name"): m.get("expression", "") for m in h.get("matchConditions", [])}
            want_mcs = {"coco-runtime-class"} | ({"not-being-deleted"}
                                                 if kind.startswith("Validating") else set())
            if not check(set(mcs) == want_mcs, f"{what}: matchConditions {sorted(mcs)}, want "
                         f"{sorted(want_mcs)}"):
                continue
            if "not-being-deleted" in mcs:
                deleting.append(mcs["not-being-deleted"])
            expr = mcs["coco-runtime-class"]
            exprs.append(expr)
            for c in classes:
                check(f"'{c}'" in expr or f'"{c}"' in expr, f"{what}: CEL does not name {c}")
            for kind_, p in CLASS_PATHS.items():
                check(p in expr, f"{what}: CEL does not read {p} ({kind_})")
                # Every step of the path is guarded with has().
                parts = p.split(".")
                for i in range(2, len(parts) + 1):
                    check(f"has({'.'.join(parts[:i])})" in expr,
                          f"{what}: CEL reads {p} without has({'.'.join(parts[:i])})")
    return exprs, deleting


def cel_js():
    """The @marcbachmann/cel-js package directory, or None."""
    d = os.environ.get("IDT_CEL_JS")
    if d:
        return d if os.path.isfile(os.path.join(d, "lib", "index.js")) else None
    if not shutil.which("node") or not shutil.which("npm"):
        return None
    p = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, timeout=60)
    d = os.path.join(p.stdout.strip(), "@marcbachmann", "cel-js")
    return d if p.returncode == 0 and os.path.isfile(os.path.join(d, "lib", "index.js")) else None


def pod_spec(cls):
    spec = {"containers": [{"name": "c", "image": "x"}]}
    if cls is not None:
        spec["runtimeClassName"] = cls
    return spec


def run_cel(pkg, expr, cases):
    """Evaluates expr on each case's object with cel-js and checks the value."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cel_eval.mjs")
    data = json.dumps({"expression": expr, "objects": [o for o, _ in cases]})
    p = subprocess.run(["node", script, pkg], input=data.encode(), capture_output=True,
                       timeout=60)
    if not check(p.returncode == 0, f"cel-js: exit {p.returncode}: "
                 f"{p.stdout.decode()}{p.stderr.decode()}"):
        return
    for (obj, want), got in zip(cases, json.loads(p.stdout)):
        check(got.get("value") is want, f"CEL {expr[:40]!r}... on {json.dumps(obj)}: {got}, "
              f"want {want}")


def check_cel(exprs, deleting, classes):
    pkg = cel_js()
    if pkg is None:
        print("note: @marcbachmann/cel-js not found (set IDT_CEL_JS to its directory, or "
              "npm install -g @marcbachmann/cel-js): the matchConditions' CEL was only read, "
              "not parsed or evaluated", file=sys.stderr)
        return
    cases = []
    for cls in classes:
        cases.append(({"kind": "Pod", "spec": pod_spec(cls)}, True))
    for cls in ("runc", "kata-qemu", "kata-qemu-tdx-extra", "KATA-QEMU-TDX", "", None):
        cases.append(({"kind": "Pod", "spec": pod_spec(cls)}, False))
    for kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
                 "ReplicationController"):
        cases.append(({"kind": kind, "spec": {"template": {"spec": pod_spec(classes[1])}}}, True))
        cases.append(({"kind": kind, "spec": {"template": {"spec": pod_spec("runc")}}}, False))
        cases.append(({"kind": kind, "spec": {"template": {"metadata": {}}}}, False))
    cases += [
        ({"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {
            "spec": pod_spec(classes[2])}}}}}, True),
        ({"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {
            "spec": pod_spec(None)}}}}}, False),
        ({"kind": "CronJob", "spec": {"jobTemplate": {}}}, False),
        ({"kind": "PodTemplate", "template": {"spec": pod_spec(classes[-1])}}, True),
        ({"kind": "PodTemplate", "template": {"metadata": {}}}, False),
        ({"kind": "ReplicationController", "spec": {}}, False),
        ({"kind": "Pod", "metadata": {"name": "x"}}, False),
    ]
    for expr in exprs:
        run_cel(pkg, expr, cases)
    for expr in deleting:
        run_cel(pkg, expr, [
            ({"kind": "Pod", "metadata": {"name": "x"}}, True),
            ({"kind": "Pod", "metadata": {"name": "x", "finalizers": ["f"],
                                          "deletionTimestamp": "2026-12-08T00:00:00Z"}}, False)])
    print(f"deploy: CEL parsed and evaluated on {len(cases)} objects with cel-js ({pkg})")


def check_cert_manager(objs, dep):
    certs = {o["metadata"]["name"]: o for o in objs if o["kind"] == "Certificate"}
    issuers = {o["metadata"]["name"]: o for o in objs if o["kind"] == "Issuer"}
    check(len(certs) == 2 and len(issuers) == 2,
          f"cert-manager: {len(certs)} Certificates and {len(issuers)} Issuers, want 2 and 2")
    for o in list(certs.values()) + list(issuers.values()):
        check(o["apiVersion"] == "cert-manager.io/v1" and o["metadata"].get("namespace") == NS,
              f"cert-manager: {o['kind']} {o['metadata']['name']}: not cert-manager.io/v1 in {NS}")
    mounted = {name for kind, name, _ in projected_files(
        dep, {"metadata": {"name": ""}}, TLS_SECRET).values() if kind == "secret"}
    serving = [c for c in certs.values() if c["spec"].get("secretName") in mounted]
    if not check(len(serving) == 1, f"cert-manager: no Certificate writes the mounted Secret "
                 f"{sorted(mounted)}"):
        return
    srv = serving[0]
    names = set(srv["spec"].get("dnsNames", []))
    want = {f"initdata-webhook.{NS}.svc", f"initdata-webhook.{NS}.svc.cluster.local"}
    check(want <= names, f"serving Certificate dnsNames {sorted(names)} lack {sorted(want)}")
    check("server auth" in srv["spec"].get("usages", []), "serving Certificate: no server auth")
    check(srv["spec"].get("isCA") in (None, False), "serving Certificate: isCA")
    ca_issuer = issuers.get(dig(srv, "spec", "issuerRef", "name"))
    if check(ca_issuer is not None and "ca" in ca_issuer["spec"],
             "serving Certificate: its issuer is not a CA Issuer"):
        ca_secret = ca_issuer["spec"]["ca"].get("secretName")
        ca_cert = [c for c in certs.values() if c["spec"].get("secretName") == ca_secret]
        if check(len(ca_cert) == 1, f"CA Issuer: no Certificate writes its Secret {ca_secret}"):
            check(ca_cert[0]["spec"].get("isCA") is True, "CA Certificate: isCA is not true")
            root = issuers.get(dig(ca_cert[0], "spec", "issuerRef", "name"))
            check(root is not None and "selfSigned" in root["spec"],
                  "CA Certificate: its issuer is not a self-signed Issuer")
    for kind in ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"):
        wc = only(objs, kind, "cert-manager overlay")
        if wc is None:
            continue
        ann = dig(wc, "metadata", "annotations", "cert-manager.io/inject-ca-from")
        check(ann == f"{NS}/{srv['metadata']['name']}",
              f"{kind}: inject-ca-from {ann!r}, want {NS}/{srv['metadata']['name']}")
        ns, _, name = (ann or "").partition("/")
        check(name in certs and certs[name]["metadata"]["namespace"] == ns,
              f"{kind}: inject-ca-from {ann!r} names no Certificate")


def check_static_certs(work):
    """The static-certs overlay in a copy of deploy/, with certificates made
    by the tool."""
    words = ["webhook", "certs"]
    copy = os.path.join(work, "deploy")
    shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns("certs"))
    certs = os.path.join(copy, "overlays", "static-certs", "certs")
    rc, bundle, err = T.tool(words + ["--service", "initdata-webhook", "--namespace", NS,
                                      "--out", certs])
    if not check(rc == 0, f"webhook certs: exit {rc}: {err.decode()}"):
        return
    objs = render(os.path.join(copy, "overlays", "static-certs"))
    if objs is None:
        return
    secrets = [o for o in objs if o["kind"] == "Secret"]
    if not check(len(secrets) == 1, f"static-certs: {len(secrets)} Secrets, want 1"):
        return
    sec = secrets[0]
    check(sec.get("type") == "kubernetes.io/tls", f"Secret type {sec.get('type')}")
    for key in ("tls.crt", "tls.key", "ca.crt"):
        with open(os.path.join(certs, key), "rb") as f:
            check(base64.b64decode(sec["data"].get(key, "")) == f.read(),
                  f"the Secret's {key} is not certs/{key}")
    dep = only(objs, "Deployment", "static-certs overlay")
    if dep is not None:
        cm = only(objs, "ConfigMap", "static-certs overlay")
        files = projected_files(dep, cm, sec["metadata"]["name"])
        mounted = {name for kind, name, _ in files.values() if kind == "secret"}
        check(mounted == {sec["metadata"]["name"]},
              f"the Deployment mounts {mounted}, not the Secret {sec['metadata']['name']}")
    ca = base64.b64decode(bundle.strip())
    for kind in ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"):
        wc = only(objs, kind, "static-certs overlay")
        if wc is None:
            continue
        for h in wc["webhooks"]:
            # kustomize wraps the Secret's base64 at 70 columns; the API server
            # (Go's encoding/base64) skips the newlines.
            cab = re.sub(r"\s", "", dig(h, "clientConfig", "caBundle", default=""))
            check(cab and base64.b64decode(cab) == ca,
                  f"{kind}: caBundle is not the printed caBundle (ca.crt)")


def main():
    if not shutil.which("kubectl"):
        T.skip("kubectl is absent: deploy/ cannot be rendered (kubectl kustomize)")
    work = T.tempdir()
    objs = render(DEPLOY)
    if objs is None:
        return T.finish()
    kinds = sorted(o["kind"] for o in objs)
    want = sorted(["Namespace", "ServiceAccount", "ConfigMap", "Deployment", "Service",
                   "PodDisruptionBudget", "ValidatingWebhookConfiguration",
                   "MutatingWebhookConfiguration"])
    check(kinds == want, f"base kinds {kinds}, want {want}")
    nsobj = only(objs, "Namespace", "base")
    check(nsobj is not None and nsobj["metadata"]["name"] == NS, f"Namespace is not {NS}")
    for o in objs:
        if o["kind"] not in ("Namespace", "ValidatingWebhookConfiguration",
                             "MutatingWebhookConfiguration"):
            check(o["metadata"].get("namespace") == NS,
                  f"{o['kind']} {o['metadata']['name']}: namespace "
                  f"{o['metadata'].get('namespace')}, want {NS}")
    pod_labels = {}
    dep = check_deployment(objs, pod_labels)
    classes = man_default_classes()
    check(len(classes) == 8, f"initdata-admit(1): the default runtime classes: {classes}")
    if dep is not None:
        cfg = check_config_mount(objs, dep, work)
        server_port = cfg["server"]["port"] if cfg else 8443
        check_probes(dep["spec"]["template"]["spec"]["containers"][0], server_port)
        svc = check_service_pdb(objs, dep, pod_labels, server_port)
        exprs, deleting = check_webhooks(objs, svc, classes)
        if cfg:
            check(cfg["scope"]["runtime_classes"] == classes,
                  "[scope] runtime_classes differs from the default list in the CEL")
        check_cel(exprs, deleting, classes)

    cm_objs = render(os.path.join(DEPLOY, "overlays", "cert-manager"))
    if cm_objs is not None:
        dep = only(cm_objs, "Deployment", "cert-manager overlay")
        if dep is not None:
            check_cert_manager(cm_objs, dep)
    check_static_certs(work)
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
