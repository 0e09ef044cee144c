"""A running `initdata webhook` for tests and benchmarks: certificates made
with openssl, the configuration and the certificate in directories laid out
as Kubernetes mounts a ConfigMap and a Secret (files that are symlinks into
a `..data` symlink, swapped with a rename), the server on a free loopback
port, and clients that keep their TLS connection alive (Python's
http.client over ssl).  Used by tests/webhook/test_webhook_ops.py (small
counts) and bench/webhook_faults.py (the issue's counts)."""
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import threading
import time

ANNOTATION = "io.katacontainers.config.hypervisor.cc_init_data"


def run(args, **kw):
    return subprocess.run(args, capture_output=True, timeout=120, **kw)


def make_ca(d):
    key, crt = os.path.join(d, "ca.key"), os.path.join(d, "ca.crt")
    p = run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", key, "-out", crt, "-days", "2", "-subj", "/CN=test CA"])
    if p.returncode:
        raise RuntimeError(p.stderr.decode(errors="replace"))
    return key, crt


def make_serving(d, ca, cn, days=2):
    """tls.crt and tls.key for localhost/127.0.0.1 in d, signed by ca."""
    os.makedirs(d, exist_ok=True)
    key, csr, crt = (os.path.join(d, n) for n in ("tls.key", "tls.csr", "tls.crt"))
    ext = os.path.join(d, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    for args in (["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-nodes", "-keyout", key, "-out", csr, "-subj", f"/CN={cn}"],
                 ["openssl", "x509", "-req", "-in", csr, "-CA", ca[1], "-CAkey", ca[0],
                  "-CAcreateserial", "-out", crt, "-days", str(days), "-extfile", ext]):
        p = run(args)
        if p.returncode:
            raise RuntimeError(p.stderr.decode(errors="replace"))
    for n in ("tls.csr", "ext.cnf"):
        os.unlink(os.path.join(d, n))


class Volume:
    """A directory laid out like a ConfigMap or Secret volume: each file is
    a symlink to ..data/<name>, and ..data points at a timestamped
    directory; an update writes a new directory and renames a new ..data
    over the old one, as the kubelet does."""

    def __init__(self, root):
        self.root = root
        self.gen = 0
        os.makedirs(root, exist_ok=True)

    def update(self, files):
        self.gen += 1
        d = os.path.join(self.root, f"..2026_{self.gen:04d}")
        os.makedirs(d)
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data if isinstance(data, bytes) else data.encode())
        tmp = os.path.join(self.root, "..data_tmp")
        os.symlink(os.path.basename(d), tmp)
        os.rename(tmp, os.path.join(self.root, "..data"))
        for name in files:
            link = os.path.join(self.root, name)
            if not os.path.islink(link):
                os.symlink(os.path.join("..data", name), link)

    def path(self, name):
        return os.path.join(self.root, name)

    def rotate(self, ca, cn):
        """A Secret update: a new tls.crt and tls.key for localhost, signed by ca."""
        staging = self.root + ".staging"
        make_serving(staging, ca, cn)
        with open(os.path.join(staging, "tls.crt"), "rb") as c, \
                open(os.path.join(staging, "tls.key"), "rb") as k:
            self.update({"tls.crt": c.read(), "tls.key": k.read()})


class Server:
    """`initdata webhook --config CONFIG --listen 127.0.0.1:0`, its log in a file."""

    def __init__(self, tool, config, log_path, env=None, cwd=None, timeout=60):
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen([tool, "webhook", "--config", config, "--listen",
                                      "127.0.0.1:0"], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.log, env=env,
                                     cwd=cwd)
        self.port = None
        deadline = time.monotonic() + timeout
        while self.port is None and time.monotonic() < deadline and self.proc.poll() is None:
            for line in self.lines():
                if isinstance(line, dict) and line.get("event") == "listening":
                    self.port = line["port"]
            time.sleep(0.05)
        if self.port is None:
            self.stop()
            raise RuntimeError("the server did not start: " + self.text()[-1500:])

    def text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def lines(self):
        out = []
        for line in self.text().split("\n")[:-1]:
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append(line)
        return out

    def events(self, name):
        return [l for l in self.lines() if isinstance(l, dict) and l.get("event") == name]

    def peak_rss_kib(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None

    def send(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


def tls_context(ca):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.check_hostname = True
    return ctx


class Client:
    """One keep-alive connection; request() reconnects when it was closed."""

    def __init__(self, port, ca, timeout=30):
        self.port, self.ctx, self.timeout = port, tls_context(ca), timeout
        self.conn = None

    def connect(self):
        self.conn = http.client.HTTPSConnection("localhost", self.port, context=self.ctx,
                                                timeout=self.timeout)
        self.conn.connect()

    def request(self, method, path, body=None, ctype="application/json", reconnect=True):
        """Returns (status, body bytes).  Raises OSError/HTTPException when
        the connection fails."""
        if self.conn is None and reconnect:
            self.connect()
        try:
            headers = {"Content-Type": ctype} if body is not None else {}
            self.conn.request(method, path, body=body, headers=headers)
            r = self.conn.getresponse()
            data = r.read()
            if r.getheader("Connection", "").lower() == "close":
                self.close()
            return r.status, data
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None


def review(obj, uid):
    """A CREATE AdmissionReview for a Pod."""
    return json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                       "request": {"uid": uid,
                                   "kind": {"group": "", "version": "v1", "kind": "Pod"},
                                   "resource": {"group": "", "version": "v1",
                                                "resource": "pods"},
                                   "operation": "CREATE", "namespace": "team-a",
                                   "name": obj["metadata"].get("name", ""),
                                   "userInfo": {"username": "test"}, "object": obj,
                                   "oldObject": None, "dryRun": False}},
                      separators=(",", ":")).encode()


def pod(annotation=None, name="p"):
    meta = {"name": name}
    if annotation is not None:
        meta["annotations"] = {ANNOTATION: annotation}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"runtimeClassName": "kata-qemu-tdx",
                     "containers": [{"name": "c", "image": "busybox"}]}}


class Load(threading.Thread):
    """A client that sends valid reviews in a loop until stopped and checks
    every answer: the uid echoed and the expected decision."""

    def __init__(self, port, ca, body_of, expect, name="load"):
        super().__init__(daemon=True, name=name)
        self.port, self.ca, self.body_of, self.expect = port, ca, body_of, expect
        self.halt = threading.Event()
        self.sent = self.ok = 0
        self.wrong = []        # answers that came back wrong
        self.failed = []       # (monotonic time, uid, why) of requests that got no answer
        self.client = Client(port, ca)

    def run(self):
        n = 0
        while not self.halt.is_set():
            n += 1
            uid = f"{self.name}-{n}"
            self.sent += 1
            try:
                status, data = self.client.request("POST", "/validate", self.body_of(uid))
            except (OSError, http.client.HTTPException) as e:
                self.failed.append((time.monotonic(), uid, f"{type(e).__name__}: {e}"))
                time.sleep(0.01)
                continue
            try:
                r = json.loads(data)["response"]
                good = status == 200 and r["uid"] == uid and r["allowed"] is self.expect()
            except (ValueError, KeyError, TypeError):
                good = False
            if good:
                self.ok += 1
            else:
                self.wrong.append(f"{uid}: {status} {data[:200]!r}")

    def stop(self):
        self.halt.set()
        self.join(timeout=120)
        self.client.close()


def idle_connections(port, n, ca):
    """n TLS connections that complete the handshake and then send nothing."""
    ctx = tls_context(ca)
    out = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        out.append(ctx.wrap_socket(s, server_hostname="localhost"))
    return out


MALFORMED = [
    b"not json", b"{\"apiVersion\":", b"[]", b"{\"request\":{}}",
    b"{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\","
    b"\"request\":{\"uid\":\"x\"}}",
    b"[" * 5000 + b"]" * 5000, b"\xff\xfe", b"{\"request\":{\"uid\":7}}",
]


def malformed_burst(port, ca, count):
    """count malformed reviews over keep-alive connections; returns the
    statuses seen (each must be an answer: 200 or 400)."""
    c = Client(port, ca)
    seen = {}
    for i in range(count):
        body = MALFORMED[i % len(MALFORMED)]
        try:
            status, _ = c.request("POST", "/validate", body)
        except (OSError, http.client.HTTPException):
            status = 0
        seen[status] = seen.get(status, 0) + 1
    c.close()
    return seen
