#!/usr/bin/env python3
"""The webhook's fault figures (issue 13), on the release build: with two
clients sending valid reviews over keep-alive TLS the whole time,
  1. 1,000 idle TLS connections held open (slowloris);
  2. 10,000 malformed requests mixed into the traffic;
  3. a configuration reload and a certificate rotation;
  4. SIGTERM: every review the server answered reached its client;
and the server's peak RSS (VmHWM) through all of it.  Prints the counts of
answered, failed and wrong requests for each phase; exits 1 when a valid
request failed or was answered wrongly, or the server failed to run (the
figures are the benchmark's; tests/webhook/test_webhook_ops.py asserts the
same with small counts).

Usage: webhook_faults.py BUILD_DIR WORK_DIR
Env: IDT_FAULT_IDLE (1000), IDT_FAULT_MALFORMED (10000).
"""
import os
import resource
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "webhook"))
import harness as H  # noqa: E402

IDLE = int(os.environ.get("IDT_FAULT_IDLE", "1000"))
MALFORMED = int(os.environ.get("IDT_FAULT_MALFORMED", "10000"))


def main():
    build, work = sys.argv[1], sys.argv[2]
    tool = os.path.join(build, "initdata")
    os.makedirs(work, exist_ok=True)
    # Room for the idle connections on both sides.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, IDLE * 2 + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    doc = os.path.join(work, "doc.toml")
    subprocess.run([tool, "new", "--kbs-url", "http://10.0.0.1:8080", "-o", doc], check=True,
                   capture_output=True)
    ann = subprocess.run([tool, "encode", doc], check=True,
                         capture_output=True).stdout.decode().strip()
    ca = H.make_ca(work)
    secret = H.Volume(os.path.join(work, "secret"))
    secret.rotate(ca, "first")
    cfg = H.Volume(os.path.join(work, "config"))
    text = (f'[server]\naddress = "127.0.0.1"\ncert = "{secret.path("tls.crt")}"\n'
            f'key = "{secret.path("tls.key")}"\nmax_connections = {IDLE + 64}\n'
            f'connection_timeout = 120\nshutdown_delay = 1\n'
            '[validate]\nkbs_urls = ["http://10.0.0.1:8080"]\n')
    cfg.update({"webhook.toml": text})
    srv = H.Server(tool, cfg.path("webhook.toml"), os.path.join(work, "server.log"))
    loads = [H.Load(srv.port, ca[1], lambda uid: H.review(H.pod(ann), uid), lambda: True,
                    name=f"load{i}") for i in range(2)]
    for t in loads:
        t.start()
    bad = 0

    def phase(name, t0, ok0):
        failed = sum(1 for t in loads for f in t.failed if f[0] >= t0)
        wrong = sum(len(t.wrong) for t in loads)
        ok = sum(t.ok for t in loads) - ok0
        print(f"webhook faults: {name}: {ok} valid reviews answered, {failed} failed, "
              f"{wrong} wrong")
        return failed + wrong

    t0, ok0 = time.monotonic(), 0
    idle = H.idle_connections(srv.port, IDLE, ca[1])
    time.sleep(2)
    bad += phase(f"{IDLE} idle connections held", t0, ok0)
    t0, ok0 = time.monotonic(), sum(t.ok for t in loads)
    seen = H.malformed_burst(srv.port, ca[1], MALFORMED)
    print(f"webhook faults: {MALFORMED} malformed requests answered: {seen}")
    if set(seen) - {200, 400}:
        bad += 1
    bad += phase("malformed traffic mixed in", t0, ok0)
    for s in idle:
        s.close()
    t0, ok0 = time.monotonic(), sum(t.ok for t in loads)
    cfg.update({"webhook.toml": text.replace('"http://10.0.0.1:8080"]',
                                             '"http://10.0.0.1:8080", "https://kbs"]')})
    secret.rotate(ca, "second")
    time.sleep(2)
    reloads = len(srv.events("reloaded"))
    bad += phase(f"reload and rotation ({reloads} reloads applied)", t0, ok0)
    rss = srv.peak_rss_kib()
    t0, ok0 = time.monotonic(), sum(t.ok for t in loads)
    srv.send(signal.SIGTERM)
    rc = srv.proc.wait(timeout=60)
    for t in loads:
        t.stop()
    srv.stop()
    unanswered = {uid for t in loads for _, uid, _ in t.failed}
    logged = {line["uid"] for line in srv.lines()
              if isinstance(line, dict) and str(line.get("uid", "")).startswith("load")}
    lost = logged & unanswered
    print(f"webhook faults: SIGTERM: exit {rc}, {len(unanswered)} refused after the stop "
          f"began, {len(lost)} answered but lost")
    print(f"webhook faults: peak RSS {rss / 1024:.1f} MiB (target: under 64 MiB)")
    if rc != 0 or lost or reloads < 1:
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
