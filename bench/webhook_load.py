#!/usr/bin/env python3
"""The webhook under load: `initdata webhook`, its Go peer and the bare floor.

    webhook_load.py [--check] BUILD_DIR WORK_DIR

Run by bench/run.sh (`make bench`).  Each server is started on loopback
with a test certificate made by openssl (ECDSA P-256), pinned to core 0
with taskset, and driven by h2load over HTTP/1.1 and TLS (--h1, keep-alive,
one request in flight per connection, -c IDT_LOAD_C connections) pinned
to core 1.  The servers:

  ours   `initdata webhook --config webhook.toml --listen 127.0.0.1:PORT`,
         with [validate] kbs_urls = the seed's KBS and an [[inject]] rule
         (the seed document) so that /mutate has work; "skipped" while the
         tool has no webhook command (`initdata webhook --help` fails);
  go     bench/go-peer (built by bench/go-peer/build.sh): net/http,
         encoding/json, gzip, base64, BurntSushi/toml, sha256/512;
  floor  bench/mhd_floor.c: libmicrohttpd + GnuTLS answering a fixed body.

The request shapes, each an AdmissionReview v1 CREATE of a Pod, compact
JSON as the API server sends it:

  seed-pod     the Pod of scripts/run-default.sh (the seed flow), with its
               Init-Data annotation;
  pod-fixture  the API's Pod fixture (k8s/api-testdata/core.v1.Pod.json)
               with that annotation and runtimeClassName kata-qemu-tdx;
  60k-policy   the seed Pod carrying a document whose policy.rego is the
               genpolicy rules of trustee/init-data-with-policy.toml (about
               60 KB), made with `initdata new` and `initdata encode`;
  no-initdata  the seed Pod without the annotation (validate denies it,
               mutate injects one).

For every server, shape and endpoint (/validate and /mutate; the floor
answers the same body on both, so it is measured once per shape): a
warm-up, then IDT_LOAD_SECONDS of load (or IDT_LOAD_N requests when set),
reporting reviews/s (h2load's figure), latency p50/p99 (from h2load's
--log-file: time from sending to the end of the response), and the
server's CPU per review = (utime + stime of the server process from
/proc/PID/stat, after minus before) / reviews answered.  Then the ratio
Go/ours of CPU per review, a run at a fixed rate of IDT_LOAD_RATE reviews/s
(h2load --rps per connection) on seed-pod /validate reporting p99, and the
peak RSS of each server (VmHWM).  Targets are printed, not asserted.

Before any load, a self-check sends one review of each shape to each
server and checks the answer: an AdmissionReview v1 response with the
request's uid; for ours the same allowed and patch as `initdata admit`
gives offline; for the Go peer allowed on the three annotated shapes,
denied without Init-Data and with a corrupt annotation, a JSON Patch
adding the annotation on /mutate; for the floor a 200 with a JSON body.
--check stops after it (tests/bench/test_webhook_peers.sh).

Exit status: 0 when everything that can run here ran; 1 when a server
failed to build, start or answer, h2load reported a failed request, or a
tool is missing; an absent Go toolchain prints the Go peer as unavailable.

Environment: IDT_SHARED (the shared test data; without it the two shapes
that need it are skipped), IDT_LOAD_SECONDS (2), IDT_LOAD_N (unset: timed
runs), IDT_LOAD_C (4), IDT_LOAD_WARMUP (requests, 300), IDT_LOAD_RATE
(1000), IDT_LOAD_RATE_SECONDS (3), IDT_LOAD_SERVERS ("ours go floor").
"""
import base64
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time

KEY = "io.katacontainers.config.hypervisor.cc_init_data"
KBS = "http://1.2.3.4:8080"
SHAPES = ("seed-pod", "pod-fixture", "60k-policy", "no-initdata")
ENDPOINTS = ("/validate", "/mutate")
SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLK_TCK = os.sysconf("SC_CLK_TCK")


class Failed(Exception):
    """A failure that fails the benchmark; the message says what."""


def env_num(name, default, kind=int):
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        n = kind(value)
    except ValueError:
        raise Failed(f"{name}={value!r} is not a number")
    if n <= 0:
        raise Failed(f"{name}={value!r} must be positive")
    return n


def run(cmd, **kw):
    """Runs cmd; its stdout, or Failed with the end of its stderr."""
    r = subprocess.run(cmd, capture_output=True, **kw)
    if r.returncode != 0:
        err = r.stderr.decode(errors="replace").strip().splitlines()
        raise Failed(f"{' '.join(map(str, cmd[:3]))} exited {r.returncode}: "
                     f"{err[-1] if err else ''}")
    return r.stdout


# --- inputs -------------------------------------------------------------------

def review(obj, uid):
    """An AdmissionReview v1 CREATE of obj, as kube-apiserver writes it."""
    meta = obj.get("metadata", {})
    gvk = {"group": "", "version": "v1", "kind": obj.get("kind", "Pod")}
    gvr = {"group": "", "version": "v1", "resource": "pods"}
    req = {
        "uid": uid, "kind": gvk, "resource": gvr, "requestKind": gvk, "requestResource": gvr,
        "name": meta.get("name", ""), "namespace": meta.get("namespace", "default"),
        "operation": "CREATE",
        "userInfo": {"username": "kubernetes-admin",
                     "groups": ["system:masters", "system:authenticated"]},
        "object": obj, "oldObject": None, "dryRun": False,
        "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"},
    }
    doc = {"kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1", "request": req}
    return (json.dumps(doc, separators=(",", ":")) + "\n").encode()


def make_inputs(tool, work, shared):
    """Writes the review bodies, the certificate and the configurations;
    returns {shape: path}, the notes to print, and the paths."""
    import yaml  # python3-yaml, a test dependency

    seed = os.path.join(work, "seed")
    run(["sh", os.path.join(SRC, "scripts", "run-default.sh"), tool, seed])
    with open(os.path.join(seed, "pod.yaml"), encoding="utf-8") as f:
        pod = yaml.safe_load(f)
    pod["metadata"]["namespace"] = "default"  # the API server sets it before admission
    annotation = pod["metadata"]["annotations"][KEY]

    bodies, notes = {}, []

    def put(shape, obj):
        path = os.path.join(work, f"review-{shape}.json")
        with open(path, "wb") as f:
            f.write(review(obj, f"b1e5a3c0-0000-4000-8000-{len(bodies):012d}"))
        bodies[shape] = path

    put("seed-pod", pod)

    fixture = os.path.join(shared, "testdata", "k8s", "api-testdata", "core.v1.Pod.json")
    policy_doc = os.path.join(shared, "testdata", "trustee", "init-data-with-policy.toml")
    if not os.path.isdir(os.path.join(shared, "testdata")):
        notes.append(f"pod-fixture, 60k-policy: skipped (no shared test data at {shared}; "
                     "set IDT_SHARED)")
    else:
        for f in (fixture, policy_doc):
            if not os.path.isfile(f):
                raise Failed(f"{f} is missing from the shared test data")
        with open(fixture, encoding="utf-8") as f:
            obj = json.load(f)
        obj["metadata"].setdefault("annotations", {})[KEY] = annotation
        obj["spec"]["runtimeClassName"] = "kata-qemu-tdx"
        put("pod-fixture", obj)

        import tomllib
        with open(policy_doc, "rb") as f:
            rego = tomllib.load(f)["data"]["policy.rego"]
        with open(os.path.join(work, "policy.rego"), "w", encoding="utf-8") as f:
            f.write(rego)
        big = os.path.join(work, "initdata-60k.toml")
        run([tool, "new", "--kbs-url", KBS, "--policy", os.path.join(work, "policy.rego"),
             "-o", big])
        big_annotation = run([tool, "encode", big]).decode().strip()
        obj = json.loads(json.dumps(pod))
        obj["metadata"]["name"] = "genpolicy-sized"
        obj["metadata"]["annotations"][KEY] = big_annotation
        put("60k-policy", obj)
        notes.append(f"60k-policy: a {os.path.getsize(big)}-byte document "
                     f"({len(rego)}-byte policy.rego), a {len(big_annotation)}-byte annotation")

    obj = json.loads(json.dumps(pod))
    obj["metadata"]["name"] = "no-initdata"
    del obj["metadata"]["annotations"][KEY]
    put("no-initdata", obj)

    # A corrupt annotation (valid base64, not gzip): every webhook denies it.
    obj = json.loads(json.dumps(pod))
    obj["metadata"]["annotations"][KEY] = base64.b64encode(b"not gzip data").decode()
    put("corrupt", obj)

    cert, key = os.path.join(work, "tls.crt"), os.path.join(work, "tls.key")
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", key, "-out", cert])
    return bodies, notes, {"seed": seed, "cert": cert, "key": key,
                           "inject": os.path.join(seed, "initdata.toml")}


def write_config(work, paths, port):
    """The configuration for ours: server, the seed KBS, one inject rule."""
    cfg = os.path.join(work, "webhook.toml")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(f'[server]\naddress = "127.0.0.1"\nport = {port}\n'
                f'cert = "{paths["cert"]}"\nkey = "{paths["key"]}"\n\n'
                f'[validate]\nkbs_urls = ["{KBS}"]\n\n'
                f'[[inject]]\ndocument = "{paths["inject"]}"\n')
    return cfg


# --- servers --------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pin(core):
    """taskset prefix for a core, or [] when this process cannot use cores 0 and 1."""
    try:
        cpus = os.sched_getaffinity(0)
    except AttributeError:
        return []
    return ["taskset", "-c", str(core)] if {0, 1} <= cpus else []


class Server:
    def __init__(self, name, argv, port, log):
        self.name, self.port, self.log = name, port, log
        with open(log, "wb") as out:
            # taskset execs the server: the child's pid is the server's.
            self.proc = subprocess.Popen(pin(0) + argv, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            if self.proc.poll() is not None:
                raise Failed(f"{name} exited {self.proc.returncode} at start: {self.log_tail()}")
            try:
                ctx = ssl._create_unverified_context()
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    with ctx.wrap_socket(s, server_hostname="localhost"):
                        break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise Failed(f"{name} does not answer TLS on 127.0.0.1:{port} after 20 s")
                time.sleep(0.05)

    def log_tail(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                lines = f.read().strip().splitlines()
            return lines[-1] if lines else "(no output)"
        except OSError:
            return "(no log)"

    def alive(self):
        if self.proc.poll() is not None:
            raise Failed(f"{self.name} died (exit {self.proc.returncode}): {self.log_tail()}")

    def cpu_ticks(self):
        self.alive()
        with open(f"/proc/{self.proc.pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)

    def peak_rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def post(port, path, body):
    """One request; (status, parsed JSON or None, raw body)."""
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30,
                                       context=ssl._create_unverified_context())
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        raw = r.read()
    finally:
        conn.close()
    try:
        return r.status, json.loads(raw), raw
    except ValueError:
        return r.status, None, raw


def offline(tool, cfg, body_path, mutate):
    """`initdata admit`'s answer to a review: the oracle for ours."""
    cmd = [tool, "admit", "--config", cfg] + (["--mutate"] if mutate else []) + [body_path]
    r = subprocess.run(cmd, capture_output=True)
    if r.returncode not in (0, 1):
        raise Failed(f"initdata admit exited {r.returncode}: {r.stderr.decode().strip()}")
    return json.loads(r.stdout)["response"]


def self_check(server, bodies, tool, cfg):
    """One review of each shape; raises Failed on a wrong answer."""
    for shape, path in bodies.items():
        with open(path, "rb") as f:
            body = f.read()
        uid = json.loads(body)["request"]["uid"]
        for ep in ENDPOINTS:
            status, got, raw = post(server.port, ep, body)
            where = f"{server.name} {shape} {ep}"
            if status != 200 or not isinstance(got, dict):
                raise Failed(f"{where}: HTTP {status}: {raw[:200]!r}")
            resp = got.get("response")
            if (got.get("apiVersion"), got.get("kind")) != ("admission.k8s.io/v1", "AdmissionReview") \
                    or not isinstance(resp, dict) or not isinstance(resp.get("allowed"), bool):
                raise Failed(f"{where}: not an AdmissionReview v1 response: {raw[:200]!r}")
            if server.name == "floor":
                if not resp["allowed"]:
                    raise Failed(f"{where}: the floor's fixed answer is not allowed")
                continue
            if resp.get("uid") != uid:
                raise Failed(f"{where}: uid {resp.get('uid')!r}, the request's is {uid!r}")
            if server.name == "ours":
                want = offline(tool, cfg, path, ep == "/mutate")
                want_allowed, want_patch = want["allowed"], want.get("patch")
            else:
                want_allowed = ep == "/mutate" or shape not in ("no-initdata", "corrupt")
                want_patch = "add" if ep == "/mutate" and shape == "no-initdata" else None
            if resp["allowed"] != want_allowed:
                raise Failed(f"{where}: allowed {resp['allowed']}, want {want_allowed}: {raw[:300]!r}")
            patch = resp.get("patch")
            if (patch is None) != (want_patch is None):
                raise Failed(f"{where}: patch {patch!r}, want {'one' if want_patch else 'none'}")
            if patch is not None:
                if resp.get("patchType") != "JSONPatch":
                    raise Failed(f"{where}: patchType {resp.get('patchType')!r}")
                ops = json.loads(base64.b64decode(patch))
                if server.name == "ours" and ops != json.loads(base64.b64decode(want_patch)):
                    raise Failed(f"{where}: patch {ops} differs from initdata admit's")
                if not any(op.get("op") == "add" and KEY in json.dumps(op) for op in ops):
                    raise Failed(f"{where}: the patch adds no {KEY}: {ops}")


# --- load -----------------------------------------------------------------------

def h2load(server, ep, body_path, work, n=None, seconds=None, conns=4, rps=None):
    """One h2load run; returns (reviews answered, reviews/s, [latencies in us])."""
    log = os.path.join(work, "h2load.log")
    if os.path.exists(log):
        os.unlink(log)
    cmd = pin(1) + ["h2load", "--h1", "-c", str(conns), "-d", body_path,
                    "-H", "content-type: application/json", "--log-file", log]
    cmd += ["-D", f"{max(1, round(seconds * 1000))}ms"] if seconds else ["-n", str(n)]
    if rps:
        cmd += ["--rps", str(rps)]
    cmd.append(f"https://127.0.0.1:{server.port}{ep}")
    r = subprocess.run(cmd, capture_output=True, text=True)
    out = r.stdout
    if r.returncode != 0:
        raise Failed(f"h2load against {server.name} {ep} exited {r.returncode}: "
                     f"{(r.stderr or out).strip().splitlines()[-1:]}")
    done = rate = None
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("finished in"):
            rate = float(line.split(",")[1].split()[0])
        elif line.startswith("requests:"):
            f = {k: int(v) for v, k in (p.split()[:2] for p in line[9:].split(","))}
            if f["failed"] or f["errored"] or f.get("timeout", 0) or f["succeeded"] != f["done"]:
                raise Failed(f"{server.name} {ep}: h2load: {line}")
            done = f["done"]
        elif line.startswith("status codes:"):
            codes = {k: int(v) for v, k in (p.split()[:2] for p in line[13:].split(","))}
            if codes["2xx"] != sum(codes.values()):
                raise Failed(f"{server.name} {ep}: h2load: {line}")
    if done is None or rate is None or done == 0:
        raise Failed(f"{server.name} {ep}: cannot read h2load's output: {out[-300:]!r}")
    lat = []
    with open(log, encoding="ascii") as f:
        for row in f:
            cols = row.split("\t")
            if len(cols) >= 3 and cols[1] == "200":
                lat.append(int(cols[2]))
    if not lat:
        raise Failed(f"{server.name} {ep}: h2load logged no answered request")
    return done, rate, sorted(lat)


def pct(sorted_us, p):
    return sorted_us[min(len(sorted_us) - 1, int(len(sorted_us) * p / 100))] / 1000.0


def measure(server, ep, body_path, work, opts):
    h2load(server, ep, body_path, work, n=opts["warmup"], conns=opts["c"])
    before = server.cpu_ticks()
    done, rate, lat = h2load(server, ep, body_path, work, n=opts["n"], seconds=opts["seconds"],
                             conns=opts["c"])
    after = server.cpu_ticks()
    cpu_us = (after - before) * 1e6 / CLK_TCK / done
    return {"rate": rate, "p50": pct(lat, 50), "p99": pct(lat, 99), "cpu": cpu_us, "done": done,
            "ticks": after - before}


def fmt(name, m):
    # A tick more or less is the resolution: say so when it is over 2%.
    res = (f" (+-{100 / m['ticks']:.0f}%: {m['ticks']} ticks; more IDT_LOAD_SECONDS or N)"
           if m["ticks"] < 50 else "")
    return (f"{name} {m['rate']:.0f} reviews/s, p50 {m['p50']:.2f} ms, p99 {m['p99']:.2f} ms, "
            f"{m['cpu']:.1f} us CPU/review{res}")


TARGETS = {"seed-pod": 3, "pod-fixture": 5, "60k-policy": 5}


def main(argv):
    check_only = False
    if argv and argv[0] == "--check":
        check_only, argv = True, argv[1:]
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    build, work = (os.path.abspath(a) for a in argv)
    os.makedirs(work, exist_ok=True)
    shared = os.environ.get("IDT_SHARED") or os.path.join(os.path.dirname(SRC), "shared")
    tool = os.path.join(build, "initdata")
    wanted = os.environ.get("IDT_LOAD_SERVERS", "ours go floor").split()
    status = 0
    servers = []
    try:
        opts = {"n": os.environ.get("IDT_LOAD_N") and env_num("IDT_LOAD_N", 0),
                "seconds": env_num("IDT_LOAD_SECONDS", 2, float),
                "c": env_num("IDT_LOAD_C", 4), "warmup": env_num("IDT_LOAD_WARMUP", 300),
                "rate": env_num("IDT_LOAD_RATE", 1000),
                "rate_seconds": env_num("IDT_LOAD_RATE_SECONDS", 3, float)}
        if opts["n"]:
            opts["seconds"] = None
        need = ["openssl"] + ([] if check_only else ["h2load"])
        if pin(0):
            need.append("taskset")
        for t in need:
            if subprocess.run(["sh", "-c", f"command -v {t}"], capture_output=True).returncode:
                raise Failed(f"{t} not found (scripts/install-deps.sh bench installs it)")
        bodies, notes, paths = make_inputs(tool, work, shared)
        for note in notes:
            print(f"webhook {note}")

        # Which servers run here.
        starts = []
        port = free_port()
        cfg = write_config(work, paths, port)
        if "ours" in wanted:
            if subprocess.run([tool, "webhook", "--help"], capture_output=True).returncode == 0:
                starts.append(("ours", [tool, "webhook", "--config", cfg, "--listen",
                                        f"127.0.0.1:{port}"], port))
            else:
                print("webhook ours: skipped (initdata webhook not built)")
        if "go" in wanted:
            peer = os.path.join(build, "bench", "webhook-peer")
            r = subprocess.run(["sh", os.path.join(SRC, "bench", "go-peer", "build.sh"), peer],
                               capture_output=True, text=True)
            why = (r.stderr.strip().splitlines() or [""])[-1]
            if r.returncode == 77:
                print(f"webhook go: unavailable ({why})")
            elif r.returncode != 0:
                raise Failed(f"the Go peer does not build (bench/go-peer/build.sh exited "
                             f"{r.returncode}): {why}")
            else:
                port = free_port()
                starts.append(("go", [peer, "-listen", f"127.0.0.1:{port}", "-cert", paths["cert"],
                                      "-key", paths["key"], "-inject", paths["inject"]], port))
        if "floor" in wanted:
            floor = os.path.join(build, "bench", "mhd_floor")
            if not os.access(floor, os.X_OK):
                raise Failed(f"{floor} not built (libmicrohttpd-dev and libgnutls28-dev: "
                             "scripts/install-deps.sh bench), or a sanitized build")
            port = free_port()
            starts.append(("floor", [floor, "127.0.0.1", str(port), paths["cert"], paths["key"]],
                           port))

        for name, argv_, port in starts:
            s = Server(name, argv_, port, os.path.join(work, f"server-{name}.log"))
            servers.append(s)
            self_check(s, bodies, tool, cfg)
            print(f"webhook {name}: self-check passed ({len(bodies)} reviews x 2 endpoints)")
        if check_only or not servers:
            return 0

        load = (f"{opts['n']} requests" if opts["n"] else f"{opts['seconds']:g} s")
        pinned = "server on core 0, h2load on core 1" if pin(0) else "unpinned (fewer than 2 cores)"
        print(f"webhook: HTTP/1.1 over TLS, keep-alive, h2load -c {opts['c']}, {load} per run "
              f"after {opts['warmup']} warm-up requests, {pinned}; CPU/review = server utime+stime "
              f"(/proc/PID/stat, {1e3 / CLK_TCK:g} ms ticks) / reviews; "
              f"load average {os.getloadavg()[0]:.1f} at start")
        results = {}
        for shape in SHAPES:
            if shape not in bodies:
                continue
            size = os.path.getsize(bodies[shape])
            for ep in ENDPOINTS:
                for s in servers:
                    if s.name == "floor" and ep == "/mutate":
                        continue
                    m = measure(s, ep, bodies[shape], work, opts)
                    results[(s.name, shape, ep)] = m
                    print(f"webhook {shape} ({size} B) {ep}: {fmt(s.name, m)}")
                go, ours = results.get(("go", shape, ep)), results.get(("ours", shape, ep))
                floor = results.get(("floor", shape, "/validate"))
                parts = []
                if go and ours:
                    t = TARGETS.get(shape)
                    parts.append(f"CPU/review go/ours {go['cpu'] / ours['cpu']:.1f}x"
                                 + (f" (target >= {t}x)" if t else ""))
                if floor:
                    for name, m in (("ours", ours), ("go", go)):
                        if m:
                            parts.append(f"{name}/floor {m['cpu'] / floor['cpu']:.1f}x")
                if parts:
                    print(f"webhook {shape} {ep}: " + ", ".join(parts))

        rate = opts["rate"]
        per_conn = max(1, rate // opts["c"])
        total = int(per_conn * opts["c"] * opts["rate_seconds"])
        for s in servers:
            done, got_rate, lat = h2load(s, "/validate", bodies["seed-pod"], work, n=total,
                                         conns=opts["c"], rps=per_conn)
            print(f"webhook fixed rate seed-pod /validate: {s.name} {got_rate:.0f} reviews/s "
                  f"asked {per_conn * opts['c']}, p50 {pct(lat, 50):.2f} ms, "
                  f"p99 {pct(lat, 99):.2f} ms (target < 2 ms)")
        for s in servers:
            s.alive()
            print(f"webhook peak RSS: {s.name} {s.peak_rss_kib() / 1024:.1f} MiB (target < 64 MiB)")
        print(f"webhook: load average {os.getloadavg()[0]:.1f} at the end")
    except Failed as e:
        print(f"webhook: FAILED ({e})")
        status = 1
    finally:
        for s in servers:
            s.stop()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
