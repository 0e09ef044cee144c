#!/usr/bin/env python3
"""scripts/run-default.sh (the README's main command) against the seed page.

Runs the script into a temporary directory and checks, with Python's own
tomllib, hashlib, base64, gzip and PyYAML:
  * initdata.toml holds the seed page's Step 1 document (same TOML data);
  * the printed digest and the TDX / SNP values are those of its bytes;
  * pod.yaml is the page's Step 2 Pod byte for byte, with the current key in
    place of the page's legacy one (and, with SEED_LEGACY_KEY=1, exactly the
    page's heredoc), and its annotation decodes to initdata.toml.
Env: INITDATA, IDT_SOURCE_DIR, IDT_SHARED (the seed page lives in
$IDT_SHARED/spec; without the shared data only the self-consistency checks
run, and with it a missing page fails the test).
"""
import base64
import gzip
import hashlib
import os
import sys
import tomllib

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402
from k8s import CUR, LEG  # noqa: E402

PAGE = idt_test.shared("spec", "seed-init-data-page.txt", optional=True)
T = idt_test.Test("seed flow")
check = T.check


def seed_flow(env_extra):
    out_dir = T.tempdir()
    env = dict(os.environ, **env_extra)
    rc, out, err = T.run(["sh", os.path.join(idt_test.source_dir(), "scripts", "run-default.sh"),
                          idt_test.tool_path(), out_dir], env=env)
    with open(os.path.join(out_dir, "initdata.toml"), "rb") as f:
        toml = f.read()
    with open(os.path.join(out_dir, "pod.yaml"), "rb") as f:
        pod = f.read()
    return rc, out, err, toml, pod


def page_parts():
    """The page's Step 1 document and Step 2 heredoc."""
    with open(PAGE, encoding="utf-8") as f:
        text = f.read()
    start = text.index('version = "0.1.0"', text.index("The example initdata.toml"))
    doc = text[start:text.index("Step 2", start)].rstrip("\n") + "\n"
    heredoc = "cat <<EOF > pod.yaml\n"
    h = text.index(heredoc) + len(heredoc)
    pod = text[h:text.index("\nEOF", h) + 1]
    return doc.encode(), pod


rc, out, err, toml, pod = seed_flow({})
stdout = out.decode()
check(rc == 0, f"run-default.sh exits 0 ({err.decode()[:300]})")

# The numbers it prints are those of the file's exact bytes.
digest = hashlib.sha256(toml).digest()
check(f"digest:                   {digest.hex()}" in stdout, "printed digest = sha256(file)")
tdx = base64.b64encode(digest + bytes(16)).decode()
snp = base64.b64encode(digest).decode()
check(f"mrconfigid={tdx}" in stdout, "TDX MRCONFIGID: digest zero-padded to 48 bytes")
check(f"host-data={snp}" in stdout, "SNP HOST_DATA: the 32-byte digest")
check(digest.hex() in stdout.split("Check:")[-1], "extract --summary shows the digest")

doc = tomllib.loads(toml.decode())
check(doc["version"] == "0.1.0" and doc["algorithm"] == "sha256", "version and algorithm")
aa, cdh = tomllib.loads(doc["data"]["aa.toml"]), tomllib.loads(doc["data"]["cdh.toml"])
check(aa["token_configs"]["kbs"]["url"] == "http://1.2.3.4:8080", "aa.toml KBS url")
check(cdh["kbc"] == {"name": "cc_kbc", "url": "http://1.2.3.4:8080"}, "cdh.toml [kbc]")
check(doc["data"]["policy.rego"].startswith("package agent_policy\n"), "policy.rego")

pod_data = yaml.safe_load(pod)
value = pod_data["metadata"]["annotations"][CUR]
check(gzip.decompress(base64.b64decode(value, validate=True)) == toml,
      "the annotation decodes to initdata.toml")
check(LEG not in pod_data["metadata"]["annotations"], "no legacy key by default")

rc2, _, _, toml2, pod2 = seed_flow({"SEED_LEGACY_KEY": "1"})
check(rc2 == 0 and toml2 == toml, "SEED_LEGACY_KEY=1: same document")
value2 = yaml.safe_load(pod2)["metadata"]["annotations"].get(LEG)
check(value2 == value and CUR.encode() not in pod2, "SEED_LEGACY_KEY=1: the legacy key only")

if PAGE:
    seed_doc, seed_pod = page_parts()
    check(tomllib.loads(seed_doc.decode()) == doc, "initdata.toml has the page's TOML data")
    check(toml == seed_doc, "initdata.toml is the page's Step 1 document byte for byte "
          "(sha256 %s, page %s)" % (hashlib.sha256(toml).hexdigest()[:16],
                                     hashlib.sha256(seed_doc).hexdigest()[:16]))
    legacy_line = LEG + ": ${initdata}"
    check(seed_pod.count(legacy_line) == 1, "the page's pod.yaml has the legacy annotation")
    check(pod.decode() == seed_pod.replace(legacy_line, CUR + ": " + value),
          "pod.yaml = the page's Pod with the current key, byte for byte")
    check(pod2.decode() == seed_pod.replace("${initdata}", value),
          "SEED_LEGACY_KEY=1: pod.yaml = the page's heredoc, byte for byte")

sys.exit(T.finish())
