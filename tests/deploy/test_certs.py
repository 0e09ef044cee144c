#!/usr/bin/env python3
"""`initdata webhook certs`, checked with the openssl CLI and curl as oracles.

  * the files: ca.crt, tls.crt, tls.key; tls.key has mode 0600; the caBundle
    printed on stdout base64-decodes to ca.crt byte for byte;
  * `openssl verify -CAfile ca.crt tls.crt` says OK (and the CA alone, as
    its own trust anchor, too);
  * the CA: CA:TRUE (critical), Certificate Sign, P-256, ecdsa-with-SHA256;
  * the serving certificate: the four DNS names of the Service and no other
    name, TLS Web Server Authentication, CA:FALSE, P-256, ecdsa-with-SHA256,
    valid for --days days; the key matches it (the public keys are equal);
  * a second run into the same directory is refused (exit 1, files
    unchanged), a dangling symlink counts as an existing file and is not
    followed; --force replaces the files (and a symlink, without writing
    through it);
  * bad names, --days out of range and missing options are usage errors;
  * `openssl s_server` serving the pair on loopback is accepted by curl
    checking NAME.NS.svc against ca.crt, and refused for a name not in the
    certificate.

Output: FAIL lines, then `certs: N passed, M failed`.
"""
import base64
import datetime
import os
import re
import socket
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402

T = idt_test.Test("certs")
SERVICE, NS = "initdata-webhook", "initdata-system"
NAMES = [SERVICE, f"{SERVICE}.{NS}", f"{SERVICE}.{NS}.svc", f"{SERVICE}.{NS}.svc.cluster.local"]


def which(prog):
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if d and os.access(os.path.join(d, prog), os.X_OK):
            return os.path.join(d, prog)
    return None


def command_words():
    """["webhook", "certs"], after checking that its help names --service."""
    rc, out, _ = T.tool(["webhook", "certs", "--help"])
    T.check(rc == 0 and b"--service" in out, f"webhook certs --help: exit {rc}")
    return ["webhook", "certs"]


def openssl(args, stdin=None):
    p = subprocess.run(["openssl"] + args, input=stdin, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def text_of(path):
    rc, out, err = openssl(["x509", "-in", path, "-noout", "-text"])
    T.check(rc == 0, f"openssl x509 -text {path}: exit {rc}: {err}")
    return out


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_files(out_dir, stdout, days):
    ca, crt, key = (os.path.join(out_dir, n) for n in ("ca.crt", "tls.crt", "tls.key"))
    for p in (ca, crt, key):
        if not T.check(os.path.isfile(p), f"{p} was not written"):
            return
    mode = stat.S_IMODE(os.stat(key).st_mode)
    T.check(mode == 0o600, f"tls.key has mode {mode:o}, want 600")
    for p in (ca, crt):
        T.check(stat.S_IMODE(os.stat(p).st_mode) & 0o022 == 0, f"{p}: writable by group or others")
    with open(ca, "rb") as f:
        ca_pem = f.read()
    lines = stdout.decode().split("\n")
    T.check(len(lines) == 2 and lines[1] == "", f"stdout is not one line: {stdout[:200]!r}")
    try:
        decoded = base64.b64decode(lines[0], validate=True)
    except ValueError as e:
        decoded = None
        T.fail(f"the caBundle on stdout is not base64: {e}")
    T.check(decoded == ca_pem, "the caBundle on stdout does not decode to ca.crt")

    rc, out, err = openssl(["verify", "-CAfile", ca, crt])
    T.check(rc == 0 and out.strip() == f"{crt}: OK", f"openssl verify: exit {rc}: {out}{err}")
    rc, out, err = openssl(["verify", "-CAfile", ca, ca])
    T.check(rc == 0, f"openssl verify of the CA by itself: exit {rc}: {out}{err}")
    # The serving certificate is not a trust anchor of its own.
    rc, out, err = openssl(["verify", "-CAfile", crt, crt])
    T.check(rc != 0, "the serving certificate verifies as its own CA")

    ca_text = text_of(ca)
    T.check(re.search(r"Basic Constraints: critical\s+CA:TRUE", ca_text) is not None,
            "CA: no critical basicConstraints CA:TRUE")
    T.check(re.search(r"Key Usage: critical\s+Certificate Sign", ca_text) is not None,
            "CA: keyUsage is not critical keyCertSign")
    T.check("NIST CURVE: P-256" in ca_text, "CA: key is not P-256")
    T.check("Signature Algorithm: ecdsa-with-SHA256" in ca_text, "CA: not ecdsa-with-SHA256")

    leaf = text_of(crt)
    m = re.search(r"Subject Alternative Name:\s*\n\s*(.*)\n", leaf)
    sans = [s.strip() for s in m.group(1).split(",")] if m else []
    T.check(sans == [f"DNS:{n}" for n in NAMES], f"SANs {sans}, want {NAMES}")
    T.check(re.search(r"Extended Key Usage:\s*\n\s*TLS Web Server Authentication\s*\n", leaf)
            is not None, "serving certificate: EKU is not serverAuth")
    T.check(re.search(r"Basic Constraints: critical\s+CA:FALSE", leaf) is not None,
            "serving certificate: not CA:FALSE")
    T.check("NIST CURVE: P-256" in leaf, "serving certificate: key is not P-256")
    T.check("Signature Algorithm: ecdsa-with-SHA256" in leaf,
            "serving certificate: not ecdsa-with-SHA256")
    rc, out, _ = openssl(["x509", "-in", crt, "-noout", "-enddate", "-startdate"])
    dates = dict(l.split("=", 1) for l in out.strip().split("\n") if "=" in l)
    fmt = "%b %d %H:%M:%S %Y %Z"
    try:
        end = datetime.datetime.strptime(re.sub(r"\s+", " ", dates["notAfter"]), fmt)
        start = datetime.datetime.strptime(re.sub(r"\s+", " ", dates["notBefore"]), fmt)
        span = (end - start).total_seconds() / 86400
        T.check(abs(span - days) < 0.01, f"validity {span:.3f} days, want {days} (+5 min)")
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        T.check(start <= now <= end, f"not valid now: {start} .. {end}")
    except (KeyError, ValueError) as e:
        T.fail(f"cannot read the dates {dates}: {e}")
    # The key belongs to the certificate: the same public key.
    rc1, pub_key, e1 = openssl(["pkey", "-in", key, "-pubout"])
    rc2, pub_crt, e2 = openssl(["x509", "-in", crt, "-noout", "-pubkey"])
    T.check(rc1 == 0 and rc2 == 0 and pub_key == pub_crt and "PUBLIC KEY" in pub_key,
            f"tls.key does not match tls.crt: {e1}{e2}")


def check_serving(out_dir):
    """openssl s_server with the pair; curl checks the name against ca.crt."""
    if not which("curl"):
        print("note: curl is absent: the TLS handshake check is skipped", file=sys.stderr)
        return
    ca, crt, key = (os.path.join(out_dir, n) for n in ("ca.crt", "tls.crt", "tls.key"))
    port = free_port()
    server = subprocess.Popen(["openssl", "s_server", "-cert", crt, "-key", key, "-accept",
                               f"127.0.0.1:{port}", "-www", "-naccept", "10"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        host = f"{SERVICE}.{NS}.svc"
        p = subprocess.run(["curl", "-sS", "--max-time", "10", "--cacert", ca, "--resolve",
                            f"{host}:{port}:127.0.0.1", f"https://{host}:{port}/"],
                           capture_output=True, timeout=30)
        T.check(p.returncode == 0 and b"s_server" in p.stdout,
                f"curl https://{host}:{port}/ with --cacert ca.crt: exit {p.returncode}: "
                f"{p.stderr.decode('utf-8', 'replace')}")
        # A name the certificate does not hold is refused by the same client.
        bad = f"other.{NS}.svc"
        p = subprocess.run(["curl", "-sS", "--max-time", "10", "--cacert", ca, "--resolve",
                            f"{bad}:{port}:127.0.0.1", f"https://{bad}:{port}/"],
                           capture_output=True, timeout=30)
        T.check(p.returncode == 60, f"curl https://{bad}:{port}/: exit {p.returncode}, want 60 "
                f"(certificate name mismatch): {p.stderr.decode('utf-8', 'replace')}")
    finally:
        server.kill()
        server.wait(timeout=10)
        server.stderr.close()


def main():
    if not which("openssl"):
        T.skip("the openssl CLI is absent")
    words = command_words()
    work = T.tempdir()
    out_dir = os.path.join(work, "certs")
    base = words + ["--service", SERVICE, "--namespace", NS]

    rc, out, err = T.tool(base + ["--out", out_dir])
    if T.check(rc == 0, f"{' '.join(words)}: exit {rc}: {err.decode()}"):
        check_files(out_dir, out, 365)
        check_serving(out_dir)

    # Refusal to overwrite: exit 1, nothing on stdout, the files unchanged.
    before = {n: open(os.path.join(out_dir, n), "rb").read() for n in ("ca.crt", "tls.crt")}
    rc, out, err = T.tool(base + ["--out", out_dir])
    T.check(rc == 1 and out == b"" and b"exists" in err,
            f"a second run: exit {rc}, stdout {out[:80]!r}, stderr {err!r}; want a refusal")
    T.check(all(open(os.path.join(out_dir, n), "rb").read() == v for n, v in before.items()),
            "a refused run changed the files")

    # --force replaces all three, with --days.
    rc, out, err = T.tool(base + ["--out", out_dir, "--days", "30", "--force"])
    if T.check(rc == 0, f"--force: exit {rc}: {err.decode()}"):
        T.check(open(os.path.join(out_dir, "ca.crt"), "rb").read() != before["ca.crt"],
                "--force did not replace ca.crt")
        check_files(out_dir, out, 30)
    T.check(sorted(os.listdir(out_dir)) == ["ca.crt", "tls.crt", "tls.key"],
            f"leftover files: {sorted(os.listdir(out_dir))}")

    # A dangling symlink at tls.key: refused (and not followed); with --force,
    # the symlink is replaced and its target never created.
    link_dir = os.path.join(work, "link")
    os.mkdir(link_dir)
    target = os.path.join(work, "stolen.key")
    os.symlink(target, os.path.join(link_dir, "tls.key"))
    rc, out, err = T.tool(base + ["--out", link_dir])
    T.check(rc == 1 and not os.path.exists(target), f"a dangling symlink: exit {rc}, "
            f"target created: {os.path.exists(target)}")
    T.check(sorted(os.listdir(link_dir)) == ["tls.key"],
            f"a refused run left files: {sorted(os.listdir(link_dir))}")
    rc, out, err = T.tool(base + ["--out", link_dir, "--force"])
    T.check(rc == 0 and not os.path.exists(target) and
            not os.path.islink(os.path.join(link_dir, "tls.key")),
            f"--force over a symlink: exit {rc}, target created: {os.path.exists(target)}")

    # Usage errors: exit 2, nothing written.
    bad_dir = os.path.join(work, "bad")
    for args, what in (
            (["--service", "Web", "--namespace", NS], "an uppercase Service name"),
            (["--service", "1web", "--namespace", NS], "a Service name starting with a digit"),
            (["--service", "web,DNS:evil.example", "--namespace", NS], "a comma in the name"),
            (["--service", SERVICE, "--namespace", "a" * 64], "a 64-character namespace"),
            (["--service", SERVICE, "--namespace", NS, "--days", "0"], "--days 0"),
            (["--service", SERVICE, "--namespace", NS, "--days", "3651"], "--days 3651"),
            (["--service", SERVICE, "--namespace", NS, "--days", "1x"], "--days 1x"),
            (["--service", SERVICE], "no --namespace")):
        rc, out, err = T.tool(words + args + ["--out", bad_dir])
        T.check(rc == 2 and not os.path.exists(bad_dir),
                f"{what}: exit {rc}, want 2 and nothing written: {err.decode()}")
    rc, out, err = T.tool(words + ["--service", SERVICE, "--namespace", NS])
    T.check(rc == 2, f"no --out: exit {rc}, want 2")
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
