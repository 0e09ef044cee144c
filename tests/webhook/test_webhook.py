#!/usr/bin/env python3
"""`initdata webhook`: the HTTPS admission server, end to end, over loopback.

A CA and a serving certificate for 127.0.0.1/localhost are made with openssl;
the server is started on --listen 127.0.0.1:0 (it logs the port it got), and
driven with curl (and Python's ssl module for what curl will not send).
Oracles: HTTP status codes and headers as curl sees them, the JSON bodies
read by Python's json, patches applied with python3-jsonpatch, TLS versions
as openssl s_client negotiates them (with a control that the client side
can do TLS 1.1 at all).

  config       a bad [server] key exits 1 with a compiler-style line; a missing
               certificate file exits 3; a bad --listen and a missing --config
               exit 2; a port in use exits 3
  probes       /healthz and /readyz answer 200 "ok"
  reviews      the shared AdmissionReview fixture and every workload fixture
               wrapped into a CREATE review (built-in objects without
               ../shared) get 200 with an AdmissionReview: apiVersion, kind,
               the uid echoed, allowed a bool; validate never patches; a
               mutate patch, when there is one, is a JSONPatch that applies
               and leaves the Init-Data annotation
  inject       the configuration's [[inject]] rule: /mutate patches a team-a
               CoCo Pod (applied with jsonpatch: the annotation is there),
               /validate allows the patched Pod and denies the bare one
               (IDT-ADM001)
  burst        8 clients at once, 40 reviews: each answered with its own uid
  keep-alive   several requests on one connection (curl's num_connects)
  hostile      not JSON, truncated JSON, wrong apiVersion, no uid, 100,000
               nested arrays, a body past max_body (413 by Content-Length,
               refused when chunked), a wrong Content-Type (415), wrong
               methods (405 + Allow), unknown paths (404), garbage request
               lines, a body slower than request_timeout, plain HTTP on the
               TLS port, TLS 1.1: each is answered or closed while a loop of
               valid reviews in another thread keeps succeeding; afterwards
               the server still answers /healthz
  log          every line on stderr is one JSON object; one decision line per
               review answered, with its time in microseconds
  stop         SIGTERM stops the server with exit 0

Skipped (exit 77) without curl or openssl.
"""
import base64
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402

T = idt_test.Test("webhook")
ANNOTATION = "io.katacontainers.config.hypervisor.cc_init_data"
MAX_BODY = 1 << 20
REQUEST_TIMEOUT = 3
TIMEOUT = 60  # seconds for any one client call (the server may run under ASan)

for tool in ("curl", "openssl"):
    if shutil.which(tool) is None:
        T.skip(f"{tool} is not installed")
try:
    import jsonpatch
except ImportError:
    jsonpatch = None

WORK = T.tempdir()


def sh(args, timeout=TIMEOUT, **kw):
    return subprocess.run(args, capture_output=True, timeout=timeout, **kw)


def make_certs(d):
    """A CA and a serving certificate (P-256) for localhost and 127.0.0.1."""
    ca_key, ca = os.path.join(d, "ca.key"), os.path.join(d, "ca.crt")
    key, csr, crt = (os.path.join(d, n) for n in ("tls.key", "tls.csr", "tls.crt"))
    ext = os.path.join(d, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    steps = [
        ["openssl", "req", "-x509", *ec, "-keyout", ca_key, "-out", ca, "-days", "2",
         "-subj", "/CN=initdata webhook test CA"],
        ["openssl", "req", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=localhost"],
        ["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
         "-CAcreateserial", "-out", crt, "-days", "2", "-extfile", ext],
    ]
    for s in steps:
        p = sh(s)
        if p.returncode != 0:
            T.fail(f"{' '.join(s)}: {p.stderr.decode(errors='replace')[-500:]}")
            sys.exit(T.finish())
    return ca


CA = make_certs(WORK)
KBS = "http://127.0.0.1:8080"
rc, _, err = T.tool(["new", "--kbs-url", KBS, "-o", os.path.join(WORK, "initdata.toml")])
if rc != 0:
    T.fail(f"initdata new: exit {rc}: {err[-500:]!r}")
    sys.exit(T.finish())
CONFIG = os.path.join(WORK, "webhook.toml")
with open(CONFIG, "w") as f:
    # Relative paths: resolved against the configuration's folder, not the
    # server's working directory (which is another one below).
    f.write('# initdata webhook test configuration\n[server]\naddress = "127.0.0.1"\n'
            f'port = 8443\ncert = "tls.crt"\nkey = "tls.key"\nmax_body = {MAX_BODY}\n'
            f'threads = 2\nmax_connections = 64\nconnection_timeout = 30\n'
            f'request_timeout = {REQUEST_TIMEOUT}\n'
            f'[validate]\nkbs_urls = ["{KBS}"]\n'
            '[[inject]]\ndocument = "initdata.toml"\nnamespaces = ["team-a"]\n')
RUNDIR = T.tempdir()


# --- the configuration and the command line ---------------------------------

def config_checks():
    bad = os.path.join(WORK, "bad.toml")
    with open(bad, "w") as f:
        f.write('[server]\naddress = "127.0.0.1"\nportt = 8443\n')
    rc, _, err = T.tool(["webhook", "--config", bad])
    err = err.decode(errors="replace")
    T.check(rc == 1, f"a bad [server] key: exit {rc}, want 1: {err[-300:]}")
    T.check(f"{bad}:3:1: error:" in err, f"a bad [server] key: no compiler-style line: {err}")
    nocert = os.path.join(WORK, "nocert.toml")
    with open(nocert, "w") as f:
        f.write('[server]\ncert = "absent.crt"\nkey = "tls.key"\n')
    rc, _, err = T.tool(["webhook", "--config", nocert])
    T.check(rc == 3, f"an unreadable certificate: exit {rc}, want 3: {err[-300:]!r}")
    rc, _, err = T.tool(["webhook", "--config", CONFIG, "--listen", "127.0.0.1"])
    T.check(rc == 2, f"--listen without a port: exit {rc}, want 2")
    rc, _, err = T.tool(["webhook", "--config", CONFIG, "--listen", "127.0.0.1:70000"])
    T.check(rc == 2, f"--listen with port 70000: exit {rc}, want 2")
    rc, _, err = T.tool(["webhook"])
    T.check(rc == 2, f"no --config: exit {rc}, want 2")
    rc, _, err = T.tool(["webhook", "--config", os.path.join(WORK, "absent.toml")])
    T.check(rc == 3, f"a configuration that cannot be read: exit {rc}, want 3")
    # A port that is taken.
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = s.getsockname()[1]
    rc, _, err = T.tool(["webhook", "--config", CONFIG, "--listen", f"127.0.0.1:{port}"],
                        timeout=TIMEOUT)
    s.close()
    T.check(rc == 3, f"a port in use: exit {rc}, want 3: {err[-300:]!r}")


# --- the server -----------------------------------------------------------

class Server:
    def __init__(self):
        self.log_path = os.path.join(WORK, "server.log")
        self.log = open(self.log_path, "wb")
        # Port 0: any free port; the server logs the one it got.
        self.proc = subprocess.Popen([idt_test.tool_path(), "webhook", "--config", CONFIG,
                                      "--listen", "127.0.0.1:0"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.log, cwd=RUNDIR, env=idt_test.sanitizer_env())
        self.port = None
        deadline = time.monotonic() + TIMEOUT
        while self.port is None and time.monotonic() < deadline and self.proc.poll() is None:
            for line in self.lines():
                if isinstance(line, dict) and line.get("event") == "listening":
                    self.port = line["port"]
            time.sleep(0.1)
        if self.port is None:
            self.stop()
            T.fail(f"the server did not start: {self.text()[-1500:]}")
            sys.exit(T.finish())
        self.base = f"https://127.0.0.1:{self.port}"

    def text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def lines(self):
        """The log's complete lines, each parsed as JSON (a str when it is not)."""
        out = []
        text = self.text()
        for line in text.split("\n")[:-1]:
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append(line)
        return out

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                T.fail("the server did not stop within a minute of SIGTERM")
        self.log.close()
        return self.proc.returncode


SEQ = [0]
SEQ_LOCK = threading.Lock()


def curl(path, data=None, headers=(), extra=(), method=None, base=None):
    """One request with curl.  Returns (status, headers dict, body bytes);
    status 0 when curl got no HTTP answer."""
    with SEQ_LOCK:
        SEQ[0] += 1
        n = SEQ[0]
    hfile = os.path.join(WORK, f"h{n}")
    bfile = os.path.join(WORK, f"b{n}")
    args = ["curl", "-sS", "--cacert", CA, "--max-time", str(TIMEOUT), "-o", bfile,
            "-D", hfile, "-w", "%{http_code}"]
    if method:
        args += ["-X", method]
    for h in headers:
        args += ["-H", h]
    if data is not None:
        dfile = os.path.join(WORK, f"d{n}")
        with open(dfile, "wb") as f:
            f.write(data)
        args += ["--data-binary", "@" + dfile]
    args += list(extra) + [(base or SRV.base) + path]
    p = sh(args, timeout=TIMEOUT + 10)
    status = int(p.stdout or b"0") if p.stdout.strip().isdigit() else 0
    hdrs = {}
    if os.path.exists(hfile):
        with open(hfile, "rb") as f:
            for line in f.read().decode("latin-1").split("\r\n"):
                if ":" in line:
                    k, v = line.split(":", 1)
                    hdrs[k.strip().lower()] = v.strip()
    body = b""
    if os.path.exists(bfile):
        with open(bfile, "rb") as f:
            body = f.read()
    for fn in (hfile, bfile, os.path.join(WORK, f"d{n}")):
        if os.path.exists(fn):
            os.unlink(fn)
    return status, hdrs, body


JSON_CT = ("Content-Type: application/json",)


def post(endpoint, body, headers=JSON_CT, extra=()):
    return curl(endpoint, data=body, headers=headers, extra=extra)


def review_of(obj, uid, operation="CREATE"):
    """A v1 AdmissionReview as the API server sends it for obj."""
    group, _, version = obj.get("apiVersion", "v1").rpartition("/")
    kind = obj.get("kind", "")
    md = obj.get("metadata") or {}
    resource = kind.lower() + "s"
    return {
        "kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1",
        "request": {
            "uid": uid,
            "kind": {"group": group, "version": version, "kind": kind},
            "resource": {"group": group, "version": version, "resource": resource},
            "requestKind": {"group": group, "version": version, "kind": kind},
            "requestResource": {"group": group, "version": version, "resource": resource},
            "name": md.get("name", ""), "namespace": md.get("namespace", "default"),
            "operation": operation,
            "userInfo": {"username": "system:serviceaccount:test:deployer", "uid": "u-1",
                         "groups": ["system:authenticated"]},
            "object": obj, "oldObject": None, "dryRun": False,
            "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"},
        },
    }


def builtin_objects():
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "web", "namespace": "team-a", "labels": {"app": "web"}},
           "spec": {"runtimeClassName": "kata-qemu-tdx",
                    "containers": [{"name": "c", "image": "nginx"}]}}
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "namespace": "team-a"},
           "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": pod["spec"]}}}
    return {"core.v1.Pod.json": pod, "apps.v1.Deployment.json": dep}


def shared_objects():
    root = idt_test.shared("testdata", "k8s", "api-testdata", optional=True)
    if root is None:
        return None, builtin_objects()
    objs = {}
    for name in ("core.v1.Pod.json", "core.v1.PodTemplate.json", "apps.v1.Deployment.json",
                 "apps.v1.StatefulSet.json", "apps.v1.DaemonSet.json", "apps.v1.ReplicaSet.json",
                 "batch.v1.Job.json", "batch.v1.CronJob.json",
                 "core.v1.ReplicationController.json"):
        with open(os.path.join(root, name), "rb") as f:
            objs[name] = json.loads(f.read())
    with open(os.path.join(root, "admission.k8s.io.v1.AdmissionReview.json"), "rb") as f:
        return f.read(), objs


def check_review(what, status, hdrs, body, uid, endpoint):
    """A 200 AdmissionReview answer to a request with uid; returns its response."""
    if not T.check(status == 200, f"{what}: HTTP {status}, want 200: {body[:300]!r}"):
        return None
    T.check(hdrs.get("content-type", "").startswith("application/json"),
            f"{what}: Content-Type {hdrs.get('content-type')!r}")
    T.check("retry-after" not in hdrs, f"{what}: a Retry-After header")
    try:
        doc = json.loads(body)
    except ValueError:
        T.fail(f"{what}: the body is not JSON: {body[:300]!r}")
        return None
    T.check(doc.get("apiVersion") == "admission.k8s.io/v1" and doc.get("kind") == "AdmissionReview",
            f"{what}: apiVersion/kind {doc.get('apiVersion')!r}/{doc.get('kind')!r}")
    resp = doc.get("response")
    if not T.check(isinstance(resp, dict), f"{what}: no response object: {doc}"):
        return None
    T.check(resp.get("uid") == uid, f"{what}: uid {resp.get('uid')!r}, want {uid!r}")
    T.check(isinstance(resp.get("allowed"), bool), f"{what}: allowed is not a bool: {resp}")
    if endpoint == "/validate":
        T.check("patch" not in resp and "patchType" not in resp,
                f"{what}: a validating answer with a patch: {resp}")
    return resp


def check_patch(what, resp, obj, want=False):
    """A mutate answer's patch, when it has one (want: it must), applied to
    the object; returns the patched object (None without a patch)."""
    if "patch" not in resp:
        T.check("patchType" not in resp, f"{what}: patchType without a patch")
        T.check(not want, f"{what}: no patch, want one: {resp}")
        return None
    T.check(resp.get("patchType") == "JSONPatch", f"{what}: patchType {resp.get('patchType')!r}")
    try:
        ops = json.loads(base64.b64decode(resp["patch"], validate=True))
    except ValueError as e:
        T.fail(f"{what}: the patch is not base64 JSON: {e}")
        return
    if jsonpatch is None:
        print("note: python3-jsonpatch is absent: patches are not applied", file=sys.stderr)
        return None
    try:
        patched = jsonpatch.apply_patch(obj, ops)
    except Exception as e:  # noqa: BLE001 - any failure to apply is the finding
        T.fail(f"{what}: the patch does not apply: {e}: {ops}")
        return None
    ann = (patched.get("metadata") or {}).get("annotations") or {}
    T.check(isinstance(ann.get(ANNOTATION), str) and ann[ANNOTATION] != "",
            f"{what}: the patched object has no {ANNOTATION}: {ann}")
    return patched


def inject_then_validate():
    """The configuration's inject rule (namespace team-a) on a CoCo Pod:
    /mutate patches the annotation in, /validate allows the patched Pod and
    denies the bare one (the annotation is required)."""
    pod = builtin_objects()["core.v1.Pod.json"]
    st, h, b = post("/mutate", json.dumps(review_of(pod, "inject-1")).encode())
    resp = check_review("POST /mutate a team-a Pod", st, h, b, "inject-1", "/mutate")
    if resp is None:
        return
    T.check(resp.get("allowed") is True, f"POST /mutate a team-a Pod: not allowed: {resp}")
    patched = check_patch("POST /mutate a team-a Pod", resp, pod, want=True)
    if patched is None:
        return
    st, h, b = post("/validate", json.dumps(review_of(patched, "inject-2")).encode())
    resp = check_review("POST /validate the patched Pod", st, h, b, "inject-2", "/validate")
    if resp is not None:
        T.check(resp.get("allowed") is True, f"POST /validate the patched Pod: {resp}")
    st, h, b = post("/validate", json.dumps(review_of(pod, "inject-3")).encode())
    resp = check_review("POST /validate the bare Pod", st, h, b, "inject-3", "/validate")
    if resp is not None:
        T.check(resp.get("allowed") is False and "IDT-ADM001" in
                ((resp.get("status") or {}).get("message") or ""),
                f"POST /validate the bare Pod: want a denial naming IDT-ADM001: {resp}")


def reviews(fixture, objs):
    if fixture is not None:
        for ep in ("/validate", "/mutate"):
            st, h, b = post(ep + "?timeout=10s", fixture)
            check_review(f"POST {ep} admission.k8s.io.v1.AdmissionReview.json", st, h, b,
                         json.loads(fixture)["request"]["uid"], ep)
    for name, obj in sorted(objs.items()):
        for ep in ("/validate", "/mutate"):
            uid = f"{name}-{ep[1:]}-0b9c1c2e"
            st, h, b = post(ep + "?timeout=10s", json.dumps(review_of(obj, uid)).encode())
            resp = check_review(f"POST {ep} {name} (CREATE)", st, h, b, uid, ep)
            if resp is not None and ep == "/mutate":
                check_patch(f"POST /mutate {name}", resp, obj)


def keep_alive():
    body = json.dumps(review_of(builtin_objects()["core.v1.Pod.json"], "keepalive")).encode()
    dfile = os.path.join(WORK, "ka.json")
    with open(dfile, "wb") as f:
        f.write(body)
    url = SRV.base + "/validate"
    each = ["-sS", "--cacert", CA, "--max-time", str(TIMEOUT), "-w",
            "%{http_code}:%{num_connects}\n"]
    # Three POSTs, then (--next: other options, the same connection pool) a GET.
    args = (["curl", *each, "-H", JSON_CT[0], "--data-binary", "@" + dfile] +
            ["-o", "/dev/null"] * 3 + [url] * 3 +
            ["--next", *each, "-o", "/dev/null", SRV.base + "/healthz"])
    p = sh(args)
    got = p.stdout.decode().split()
    T.check(got[:3] == ["200:1", "200:0", "200:0"] and got[3:] == ["200:0"],
            f"keep-alive: three reviews and /healthz on one connection, got {got} "
            f"({p.stderr.decode(errors='replace')[-300:]})")


def burst(threads=8, each=5):
    """Reviews from several clients at once (more than the server's two
    threads): every one answered, with its own uid."""
    pod = builtin_objects()["core.v1.Pod.json"]
    bad = []

    def client(k):
        for i in range(each):
            uid = f"burst-{k}-{i}"
            ep = "/validate" if i % 2 else "/mutate"
            st, _, b = post(ep, json.dumps(review_of(pod, uid)).encode())
            try:
                good = st == 200 and json.loads(b)["response"]["uid"] == uid
            except (ValueError, KeyError, TypeError):
                good = False
            if not good:
                bad.append((uid, st, b[:200]))

    ts = [threading.Thread(target=client, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=TIMEOUT * each)
    T.check(not bad, f"{threads} clients at once: {len(bad)} wrong answers: {bad[:3]}")
    return threads * each


# --- hostile requests, with a valid loop alongside -------------------------

class Loop(threading.Thread):
    """Valid reviews, one after another, until stopped."""

    def __init__(self):
        super().__init__(daemon=True)
        self.ok = 0
        self.bad = []
        self.halt = threading.Event()

    def run(self):
        pod = builtin_objects()["core.v1.Pod.json"]
        i = 0
        while not self.halt.is_set():
            i += 1
            uid = f"loop-{i}"
            st, _, b = post("/validate", json.dumps(review_of(pod, uid)).encode())
            try:
                good = st == 200 and json.loads(b)["response"]["uid"] == uid
            except (ValueError, KeyError, TypeError):
                good = False
            if good:
                self.ok += 1
            else:
                self.bad.append((st, b[:200]))


def status_body(what, status, body, code):
    """A non-200 answer: a metav1.Status with the same code."""
    try:
        doc = json.loads(body)
    except ValueError:
        T.fail(f"{what}: the {status} body is not JSON: {body[:200]!r}")
        return
    T.check(doc.get("kind") == "Status" and doc.get("status") == "Failure" and
            doc.get("code") == code, f"{what}: not a metav1.Status with code {code}: {doc}")


def tls_socket():
    ctx = ssl.create_default_context(cafile=CA)
    raw = socket.create_connection(("127.0.0.1", SRV.port), timeout=TIMEOUT)
    return ctx.wrap_socket(raw, server_hostname="localhost")


def read_answer(s):
    """Reads until the server closes or one answer's headers arrive; returns
    the status code (0: closed without an answer)."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (OSError, ssl.SSLError):
        pass
    if data.startswith(b"HTTP/1."):
        try:
            return int(data.split(b" ", 2)[1])
        except (IndexError, ValueError):
            return -1
    return 0


def hostile():
    valid_uid = "hostile-uid"
    pod = builtin_objects()["core.v1.Pod.json"]
    st, _, b = post("/validate", b"this is not JSON")
    T.check(st == 400, f"not JSON: HTTP {st}, want 400")
    status_body("not JSON", st, b, 400)
    whole = json.dumps(review_of(pod, valid_uid)).encode()
    st, _, b = post("/validate", whole[:len(whole) // 2])
    T.check(st == 400, f"truncated JSON: HTTP {st}, want 400")
    status_body("truncated JSON", st, b, 400)
    wrong = review_of(pod, valid_uid)
    wrong["apiVersion"] = "admission.k8s.io/v1beta1"
    st, h, b = post("/validate", json.dumps(wrong).encode())
    resp = check_review("wrong apiVersion", st, h, b, valid_uid, "/validate")
    if resp is not None:
        T.check(resp.get("allowed") is False and (resp.get("status") or {}).get("code") == 400,
                f"wrong apiVersion: want allowed false with status code 400: {resp}")
    nouid = review_of(pod, valid_uid)
    del nouid["request"]["uid"]
    st, _, b = post("/mutate", json.dumps(nouid).encode())
    T.check(st == 400, f"no uid: HTTP {st}, want 400")
    status_body("no uid", st, b, 400)
    deep = b"[" * 100000 + b"]" * 100000
    st, _, b = post("/validate", deep)
    T.check(st == 400, f"100,000 nested arrays: HTTP {st}, want 400: {b[:200]!r}")
    status_body("100,000 nested arrays", st, b, 400)
    deep_uid = json.dumps(review_of(pod, "deep")).encode()
    deep_uid = deep_uid[:-1] + b',"x":' + b"[" * 100000 + b"]" * 100000 + b"}"
    st, _, b = post("/validate", deep_uid)
    T.check(st in (200, 400), f"100,000 nested arrays after a uid: HTTP {st}")
    big = b'{"x":"' + b"a" * MAX_BODY + b'"}'
    st, h, b = post("/validate", big)
    T.check(st == 413, f"a body past max_body: HTTP {st}, want 413")
    status_body("a body past max_body", st, b, 413)
    st, h, b = post("/validate", big, headers=JSON_CT + ("Transfer-Encoding: chunked",))
    # (100: curl saw "100 Continue", then the connection closed.)
    T.check(st in (0, 100, 413), f"a chunked body past max_body: HTTP {st}, want 413 or closed")
    st, h, b = post("/validate", whole, headers=("Content-Type: text/plain",))
    T.check(st == 415, f"Content-Type text/plain: HTTP {st}, want 415")
    st, h, b = post("/validate", whole, headers=("Content-Type: application/json; charset=utf-8",))
    check_review("Content-Type with charset", st, h, b, valid_uid, "/validate")
    st, h, b = curl("/validate")
    T.check(st == 405 and h.get("allow") == "POST", f"GET /validate: HTTP {st}, Allow {h.get('allow')!r}")
    st, h, b = curl("/healthz", data=b"{}", headers=JSON_CT)
    T.check(st == 405 and h.get("allow") == "GET, HEAD",
            f"POST /healthz: HTTP {st}, Allow {h.get('allow')!r}")
    st, h, b = curl("/validate/../admin")
    T.check(st in (404, 405), f"GET /validate/../admin: HTTP {st}")
    st, h, b = curl("/nope")
    T.check(st == 404, f"GET /nope: HTTP {st}, want 404")
    status_body("GET /nope", st, b, 404)
    # Plain HTTP on the TLS port: no HTTP answer, the connection is closed.
    st, h, b = curl("/healthz", base=f"http://127.0.0.1:{SRV.port}")
    T.check(st == 0, f"plain HTTP on the TLS port: got HTTP {st}")
    # TLS versions: 1.2 and 1.3 served, 1.1 refused (with the control that
    # this openssl can speak 1.1 at all at security level 0).
    st, _, _ = curl("/healthz", extra=("--tlsv1.2", "--tls-max", "1.2"))
    T.check(st == 200, f"TLS 1.2: HTTP {st}, want 200")
    st, _, _ = curl("/healthz", extra=("--tlsv1.3",))
    T.check(st == 200, f"TLS 1.3: HTTP {st}, want 200")
    p = sh(["openssl", "s_client", "-connect", f"127.0.0.1:{SRV.port}", "-tls1_1",
            "-cipher", "DEFAULT:@SECLEVEL=0"], input=b"")
    out = p.stdout.decode(errors="replace")
    T.check("Cipher is (NONE)" in out or "Cipher is" not in out,
            f"TLS 1.1 was negotiated: {out[-500:]}")
    # Garbage over TLS: answered (400) or closed.
    for junk in (b"\x00\x01\x02 garbage\r\n\r\n", b"GET /healthz HTTP/9.9\r\n\r\n",
                 b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                 b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999"
                 b"\r\nContent-Type: application/json\r\n\r\n",
                 b"GET /" + b"a" * 200000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"):
        try:
            with tls_socket() as s:
                s.sendall(junk)
                st = read_answer(s)
        except (OSError, ssl.SSLError) as e:
            st = f"closed ({e.__class__.__name__})"
        T.check(st == 0 or isinstance(st, str) or 400 <= st < 500 or st == 505,
                f"garbage {junk[:40]!r}: answered {st}")
    # A body slower than request_timeout: refused (408) or closed.
    try:
        with tls_socket() as s:
            s.sendall(b"POST /validate HTTP/1.1\r\nHost: localhost\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
            time.sleep(REQUEST_TIMEOUT + 1)
            s.sendall(b"1" * 20)
            st = read_answer(s)
    except (OSError, ssl.SSLError):
        st = 0
    T.check(st in (0, 408), f"a body slower than request_timeout: answered {st}")


def main():
    global SRV
    config_checks()
    SRV = Server()
    try:
        deadline = time.monotonic() + TIMEOUT
        st = 0
        while time.monotonic() < deadline:
            st, _, b = curl("/readyz")
            if st == 200:
                break
            time.sleep(0.2)
        T.check(st == 200 and b == b"ok", f"GET /readyz: HTTP {st}")
        st, h, b = curl("/healthz")
        T.check(st == 200 and b == b"ok", f"GET /healthz: HTTP {st} {b!r}")
        fixture, objs = shared_objects()
        reviews(fixture, objs)
        inject_then_validate()
        burst_count = burst()
        keep_alive()
        loop = Loop()
        loop.start()
        hostile()
        loop.halt.set()
        loop.join(timeout=TIMEOUT)
        T.check(loop.ok > 0 and not loop.bad,
                f"valid reviews alongside the hostile ones: {loop.ok} passed, failures "
                f"{loop.bad[:3]}")
        st, _, b = curl("/healthz")
        T.check(st == 200 and b == b"ok", f"GET /healthz after everything: HTTP {st}")
        T.check(SRV.proc.poll() is None, "the server is no longer running")
    finally:
        rc = SRV.stop()
    T.check(rc == 0, f"SIGTERM: exit {rc}, want 0")
    lines = SRV.lines()
    text = SRV.text()
    T.check(not idt_test.crashed(rc or 0, text), f"the server crashed: {text[-2000:]}")
    T.check(all(isinstance(l, dict) for l in lines),
            f"log lines that are not JSON: {[l for l in lines if not isinstance(l, dict)][:3]}")
    decisions = [l for l in lines if isinstance(l, dict) and "decision" in l]
    T.check(all(isinstance(d.get("us"), int) and d.get("endpoint") in ("validate", "mutate")
                for d in decisions), f"decision lines without us/endpoint: {decisions[:3]}")
    want = loop.ok + 2 * len(objs) + burst_count
    T.check(len(decisions) >= want, f"{len(decisions)} decision lines for at least {want} reviews")
    T.check(any(isinstance(l, dict) and l.get("event") == "stopped" for l in lines),
            "no 'stopped' line after SIGTERM")
    return T.finish()


SRV = None
if __name__ == "__main__":
    sys.exit(main())
