#!/bin/sh
# `initdata check` on the entries of every shared document (aa.toml,
# cdh.toml, policy.rego, the KBS URLs, the platforms), and `initdata
# claims` against an independent oracle: Python's tomllib and json
# computing what Trustee puts into init_data_claims (initdata-facts §6).
# Certificate expiry is judged by `openssl x509 -checkend`, not by us.
#
# Env: INITDATA (the tool), IDT_SHARED (../shared; absent = skip, exit 77).
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
need_shared check-entries
cd "$T" || exit 1

# --- the shared documents ----------------------------------------------------
"$INITDATA" decode "$S/kata/runtime-utils-test.annotation.b64" >kata-utils.toml
"$INITDATA" decode "$S/kata/how-to-agent-policy.annotation.b64" >kata-howto.toml
sed -n 's/^ *io\.katacontainers\.config\.hypervisor\.cc_init_data: *//p' \
    "$S/kata/genpolicy-sample-pod-one-container.yaml" | "$INITDATA" decode - >kata-genpolicy.toml
"$INITDATA" decode "$S/caa/provision-test.annotation.b64" >caa-annotation.toml
"$INITDATA" image read "$S/kata/agent-testdata-initdata.img" >kata-image.toml
cp "$S/kata/default-initdata.toml" "$S/caa/provision-test.toml" \
    "$S/trustee/simple-init-data.toml" "$S/trustee/init-data-with-policy.toml" .
# The CAA documentation's annotation is one '=' short: nobody decodes it.
run_tool decode "$S/caa/doc-pod-annotation.b64"
status "decode doc-pod-annotation.b64 (one '=' short)" 1
{ tr -d '\n' <"$S/caa/doc-pod-annotation.b64"; echo '='; } | "$INITDATA" decode - >caa-docpod.toml
same "doc-pod with its '=' is provision-test.toml plus a newline" \
    "$(cat provision-test.toml; echo)" "$(cat caa-docpod.toml)"

# codes FILE [OPTIONS]: sets got to "SEVERITY CODE LINE:COL ENTRY" per
# diagnostic of `check --json`, in report order, and rc to its exit status.
codes() {
    f=$1
    shift
    "$INITDATA" check --json "$@" "$f" >"$f.json" 2>"$f.err"
    rc=$?
    got=$(python3 - "$f.json" <<'PY'
import json, sys
for d in json.load(open(sys.argv[1], encoding="utf-8"))["diagnostics"]:
    print(d["severity"], d["code"], f'{d["line"]}:{d["column"]}', d["entry"] or "-")
PY
)
}

# expiry FILE ENTRY KEY...: "warning" when OpenSSL says the certificate at
# data[ENTRY][KEY...] has expired, else "note".
expiry() {
    python3 - "$@" >cert.pem <<'PY'
import sys, tomllib
v = tomllib.loads(tomllib.load(open(sys.argv[1], "rb"))["data"][sys.argv[2]])
for k in sys.argv[3:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v, end="")
PY
    if openssl x509 -in cert.pem -noout -checkend 0 >/dev/null 2>&1; then echo note; else echo warning; fi
}
sev_code() { [ "$1" = note ] && echo "note IDT-CERT003" || echo "warning IDT-CERT002"; }

PLATFORMS=tdx,snp,vtpm

codes kata-utils.toml --platform "$PLATFORMS"
same "kata runtime-utils-test: exit" 1 "$rc"
same "kata runtime-utils-test: empty cdh.toml and policy.rego" \
    "error IDT-KEY003 7:14 cdh.toml
error IDT-POL001 10:17 policy.rego" "$got"

for f in kata-howto.toml kata-genpolicy.toml default-initdata.toml init-data-with-policy.toml; do
    codes "$f" --platform "$PLATFORMS"
    same "$f: exit" 0 "$rc"
    same "$f: nothing to report on tdx, snp and vtpm" "" "$got"
done

aa_cert=$(sev_code "$(expiry provision-test.toml aa.toml token_configs kbs cert)")
cdh_cert=$(sev_code "$(expiry provision-test.toml cdh.toml kbc kbs_cert)")
same "oracle: the CAA's aa.toml certificate expired in 2025" "warning IDT-CERT002" "$aa_cert"
for f in provision-test.toml caa-annotation.toml caa-docpod.toml; do
    codes "$f" --platform "$PLATFORMS"
    same "$f: exit" 1 "$rc"
    same "$f: certificates, two KBS URLs over http, sha384 on vtpm" \
        "$aa_cert 12:8 aa.toml
$cdh_cert 45:12 cdh.toml
note IDT-KBS002 11:7 aa.toml
note IDT-KBS002 44:7 cdh.toml
warning IDT-KBS001 44:7 cdh.toml
error IDT-PLAT001 1:13 -" "$got"
done

codes simple-init-data.toml --platform "$PLATFORMS"
same "simple-init-data: exit" 1 "$rc"
same "simple-init-data: exec allowed, a truncated root certificate, plain http" \
    "note IDT-POL004 15:9 policy.rego
error IDT-CERT001 57:28 cdh.toml
note IDT-KBS002 48:7 aa.toml
note IDT-KBS002 54:7 cdh.toml" "$got"
same "oracle: OpenSSL cannot read simple-init-data's extra root certificate either" "ok" \
    "$(python3 - <<'PY'
import subprocess, tomllib
doc = tomllib.load(open("simple-init-data.toml", "rb"))
pem = tomllib.loads(doc["data"]["cdh.toml"])["image"]["extra_root_certificates"][0]
r = subprocess.run(["openssl", "x509", "-noout"], input=pem.encode(), capture_output=True)
print("ok" if r.returncode != 0 else "openssl read it")
PY
)"

codes kata-image.toml --platform "$PLATFORMS"
same "the Kata image's 'some content' is no document" "error IDT-DOC001 1:6 -" "$got"

# Without --platform the platform gotchas are notes, on the algorithm.
codes provision-test.toml
same "provision-test without --platform: notes for vtpm, cca and se" \
    "note IDT-PLAT001 1:13 -
note IDT-PLAT002 1:13 -
note IDT-PLAT003 1:13 -" "$(echo "$got" | grep PLAT)"
codes init-data-with-policy.toml --platform se -p sgx
same "se and sgx named (repeated option)" "warning IDT-PLAT003 2:13 -
note IDT-PLAT004 2:13 -" "$got"
same "warnings alone pass" 0 "$rc"
codes init-data-with-policy.toml --platform se --strict
same "--strict fails on a warning" 1 "$rc"
# runtime-rs has no CCA arm in its platform match, so it builds no
# Init-Data device for a CCA guest; the Go runtime passes the value to QEMU
# (initdata-facts.md section 9).  A warning whatever the algorithm, and
# only with cca named (provision-test's notes above have none).
codes init-data-with-policy.toml --platform cca
same "cca named, sha256: IDT-PLAT002 (Trustee) and IDT-PLAT005 (runtime-rs)" "error IDT-PLAT002 2:13 -
warning IDT-PLAT005 2:13 -" "$(echo "$got" | grep PLAT)"
python3 -c 'import sys; d = open(sys.argv[1]).read(); open(sys.argv[2], "w").write(d.replace("sha256", "sha512", 1))' \
    init-data-with-policy.toml cca-sha512.toml
codes cca-sha512.toml -p cca
same "cca named, sha512: only IDT-PLAT005" "warning IDT-PLAT005 2:13 -" "$(echo "$got" | grep PLAT)"
same "cca named, sha512: a warning alone passes" 0 "$rc"
run_tool check -p cca cca-sha512.toml
if grep -F -q "cca-sha512.toml:2:13: warning: cca with runtime-rs: runtime-rs builds no Init-Data device for CCA guests (its platform match has no CCA arm), so a CCA pod it starts gets no Init-Data at all; the Go runtime passes the CCA personalization value to QEMU [IDT-PLAT005]" "$T/err"; then
    ok
else
    bad "check -p cca: the IDT-PLAT005 line: $(cat "$T/err")"
fi
codes cca-sha512.toml -p cca --strict
same "cca named, --strict: IDT-PLAT005 fails" 1 "$rc"

# --- the text report -------------------------------------------------------------
run_tool check --platform "$PLATFORMS" simple-init-data.toml
status "check simple-init-data (text)" 1
same "text: a finding inside an entry, with the entry's position, code, line and caret" \
    "simple-init-data.toml:57:28: error: cdh.toml:6:28: image.extra_root_certificates[0] is not a certificate OpenSSL can read: the PEM block does not hold a whole X.509 certificate (too long); image-rs fails to set up its registry client with it, so image pulls fail [IDT-CERT001]
   57 | extra_root_certificates = [\"\"\"
      |                            ^" "$(sed -n 4,6p "$T/err")"
same "text: summary" \
    "simple-init-data.toml: invalid: 1 error, 0 warnings, 3 notes (rejected by confidential-data-hub)" \
    "$(tail -n 1 "$T/err")"
same "text: nothing on stdout" "" "$(cat "$T/out")"
# The text and JSON reports list the same findings at the same places.
sed -n 's/^\([^ ][^:]*\):\([0-9]*\):\([0-9]*\): \([a-z]*\): .*\[\(IDT-[A-Z0-9]*\)\]$/\4 \5 \2:\3/p' \
    "$T/err" >text.codes
codes simple-init-data.toml --platform "$PLATFORMS"
echo "$got" | cut -d' ' -f1-3 >json.codes
same "text and JSON agree" "$(cat json.codes)" "$(cat text.codes)"
run_tool check --no-entries simple-init-data.toml
status "--no-entries: only the document" 0
same "--no-entries summary" \
    "simple-init-data.toml: valid: version 0.1.0, algorithm sha256, 3 data entries" "$(cat "$T/err")"
run_tool check init-data-with-policy.toml
same "a clean document: notes only for the platforms it cannot run on" \
    "init-data-with-policy.toml: valid: version 0.1.0, algorithm sha256, 1 data entry, 2 notes" \
    "$(tail -n 1 "$T/err")"

# A CRLF document with a typo on the third line of aa.toml.
printf 'version = "0.1.0"\r\nalgorithm = "sha256"\r\n[data]\r\n"aa.toml" = %s\r\n[token_configs]\r\n\r\n  [token_config.kbs]\r\n%s\r\n' \
    "'''" "'''" >crlf.toml
run_tool check --platform tdx crlf.toml
status "CRLF document: warnings only" 0
same "CRLF document: the entry's line 3 is the document's line 7" \
    "crlf.toml:7:4: warning: aa.toml:3:4: unknown key \"token_config\" (the attestation-agent ignores it); did you mean \"token_configs\"? [IDT-KEY001]
    7 |   [token_config.kbs]
      |    ^" "$(head -n 3 "$T/err")"

# --json: the whole object for one small document.
printf 'version = "0.1.0"\nalgorithm = "sha384"\n[data]\n"aa.toml" = "[eventlog_config]\\ninit_pcr = 99"\n' >json.toml
run_tool check --json --platform vtpm,tdx json.toml
status "check --json json.toml" 1
same "check --json: the whole report" "ok" "$(python3 - "$T/out" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))
want = {"file": "json.toml", "errors": 2, "warnings": 0, "notes": 0, "valid": False,
        "strict": False, "platforms": ["tdx", "vtpm"], "version": "0.1.0",
        "algorithm": "sha384", "entries": ["aa.toml"], "diagnostics": [
    {"severity": "error", "code": "IDT-AA002", "rule": "init-pcr", "line": 4, "column": 44,
     "offset": 89, "length": 2, "entry": "aa.toml", "entry_line": 2, "entry_column": 12,
     "message": "eventlog_config.init_pcr is 99, not a PCR index from 0 to 23 (the "
                "attestation-agent cannot extend it: a TPM and the TDX RTMR mapping have "
                "PCRs 0-23; the default is 17)",
     "rejected_by": ["attestation-agent"]},
    {"severity": "error", "code": "IDT-PLAT001", "rule": "platform-vtpm", "line": 2,
     "column": 13, "offset": 30, "length": 8, "entry": None,
     "message": "vtpm with a sha384 document: only sha256 documents work with vTPM: the "
                "attestation-agent fails on a digest that is not 32 bytes and Trustee panics "
                "on one; only the cloud-api-adaptor (peer pods) extends PCR 8 with the first "
                "32 bytes",
     "rejected_by": ["attestation-agent", "Trustee"]}]}
print("ok" if got == want else f"{got}\n!=\n{want}")
PY
)"
same "check --json: offset 89 is the 99" "99" "$(dd if=json.toml bs=1 skip=89 count=2 2>/dev/null)"

# Usage.
run_tool check --platform tdx,x86 json.toml
status "unknown platform" 2
same "unknown platform message" \
    'initdata check: error: --platform: unknown platform "x86" (known: tdx, snp, cca, sgx, se, vtpm)' \
    "$(head -n 1 "$T/err")"

# --- claims against the Python oracle ------------------------------------------------
cat >oracle.py <<'PY'
# What Trustee puts into init_data_claims (initdata-facts §6), with the
# standard library only: tomllib for the document and its TOML entries,
# json for policy_data.
import datetime, json, math, sys, tomllib

def dt(v):
    if isinstance(v, datetime.datetime):
        s = v.strftime("%Y-%m-%dT%H:%M:%S")
    elif isinstance(v, datetime.date):
        return v.isoformat()
    else:
        s = v.strftime("%H:%M:%S")
    if v.microsecond:
        s += "." + ("%06d" % v.microsecond).rstrip("0")
    off = getattr(v, "utcoffset", lambda: None)()
    if off is not None:
        m = int(off.total_seconds() // 60)
        s += "Z" if m == 0 else "%s%02d:%02d" % ("-" if m < 0 else "+", abs(m) // 60, abs(m) % 60)
    return s

def to_json(v):
    if isinstance(v, dict):
        return {k: to_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_json(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return {"$__toml_private_datetime": dt(v)}
    return v

def reject(c):
    raise ValueError(c)  # serde_json has no NaN or Infinity

data = tomllib.load(open(sys.argv[1], "rb"))["data"]
want = {}
for k, s in data.items():
    want[k] = s
    if k in ("aa.toml", "cdh.toml"):
        try:
            want[k] = to_json(tomllib.loads(s))
        except tomllib.TOMLDecodeError:
            pass
pol = data.get("policy.rego")
if pol is not None and "policy_data := {" in pol:
    try:
        v = json.loads(pol[pol.index("policy_data := {") + 15:], parse_constant=reject)
        del want["policy.rego"]
        want["agent_policy_claims"] = v
    except ValueError:
        pass
got = json.load(open(sys.argv[2], encoding="utf-8"))
def sorted_keys(v):
    if isinstance(v, dict):
        return list(v) == sorted(v, key=lambda k: k.encode()) and all(map(sorted_keys, v.values()))
    if isinstance(v, list):
        return all(map(sorted_keys, v))
    return True
print("ok" if got == want and sorted_keys(got) else f"{got}\n!=\n{want}")
PY

for f in kata-utils.toml kata-howto.toml kata-genpolicy.toml default-initdata.toml \
         provision-test.toml caa-annotation.toml simple-init-data.toml init-data-with-policy.toml; do
    run_tool claims "$f"
    status "claims $f" 0
    same "claims $f = the Python oracle" ok "$(python3 oracle.py "$f" "$T/out")"
    run_tool claims --compact "$f"
    same "claims --compact $f is one line" 1 "$(wc -l <"$T/out" | tr -d ' ')"
    same "claims --compact $f = the Python oracle" ok "$(python3 oracle.py "$f" "$T/out")"
done

# What Trustee's own tests read from these two documents.
"$INITDATA" claims init-data-with-policy.toml >with-policy.json
same "init-data-with-policy: containers[1]'s first argument (Trustee's test)" \
    "/opt/bitnami/scripts/nginx/entrypoint.sh" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["agent_policy_claims"]["containers"][1]["OCI"]["Process"]["Args"][0])' with-policy.json)"
same "init-data-with-policy: policy.rego is replaced" "['agent_policy_claims']" \
    "$(python3 -c 'import json,sys; print(list(json.load(open(sys.argv[1]))))' with-policy.json)"
"$INITDATA" claims simple-init-data.toml >simple.json
same "simple-init-data: cdh.toml's extra root certificate as a JSON string (Trustee's test)" \
    "-----BEGIN CERTIFICATE-----|MIIFTDCCAvugAwIBAgIBADBGBgkqhkiG9w0BAQowOaAPMA0GCWCGSAFlAwQCAgUA" \
    "$(python3 -c 'import json,sys; print("|".join(json.load(open(sys.argv[1]))["cdh.toml"]["image"]["extra_root_certificates"][0].split("\n")[:2]))' simple.json)"
same "simple-init-data: policy.rego has no policy_data and stays a string" "str" \
    "$(python3 -c 'import json,sys; print(type(json.load(open(sys.argv[1]))["policy.rego"]).__name__)' simple.json)"

# Claims of an invalid document: check's first error, nothing on stdout.
run_tool claims kata-image.toml
status "claims of 'some content'" 1
same "claims of an invalid document prints nothing" "" "$(cat "$T/out")"
case $(head -n 1 "$T/err") in
kata-image.toml:1:6:\ error:\ *) ok ;;
*) bad "claims of an invalid document: $(head -n 1 "$T/err")" ;;
esac
"$INITDATA" claims - <simple-init-data.toml >stdin.json
same "claims - reads stdin" "$(cat simple.json)" "$(cat stdin.json)"
"$INITDATA" claims -o out.json simple-init-data.toml
same "claims -o writes the file" "$(cat simple.json)" "$(cat out.json)"

echo "check-entries: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
