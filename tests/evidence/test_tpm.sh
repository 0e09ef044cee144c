#!/bin/sh
# The TPM path end to end against a software TPM: swtpm on loopback (free
# ports), an EK and AKs (RSA and ECC), PCR 8 extended with a document's
# digest, tpm2_quote, then `initdata verify`.  Also: Trustee-shaped TPM
# evidence JSON built from the same quote, a quote whose signed selection
# leaves out PCR 8 (refused even when the values are right), a tampered
# signature, and a wrong document (diagnosed).  Oracles: sha256sum, Python
# hashlib for PCR 8, the TPM itself (tpm2_pcrread).
#
# Env: INITDATA, IDT_SOURCE_DIR.  Needs swtpm and tpm2-tools
# (scripts/install-deps.sh).
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
PY="python3 $(cd "$(dirname "$0")" && pwd)/evidence_tool.py"
for tool in swtpm tpm2_createek tpm2_createak tpm2_pcrextend tpm2_quote tpm2_readpublic; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "tpm: $tool is missing (scripts/install-deps.sh installs swtpm and tpm2-tools)" >&2
        echo "tpm: 0 passed, 1 failed"
        exit 1
    fi
done

# --- swtpm on loopback (tests/swtpm.sh) -------------------------------------
# shellcheck source=tests/swtpm.sh
. "$(dirname "$0")/../swtpm.sh"
started=no
start_swtpm && started=yes
if [ "$started" != yes ]; then
    bad "swtpm did not start: $(cat "$T/swtpm.log")"
    echo "tpm: $pass passed, $fail failed"
    exit 1
fi
ok

# Without a resource manager every transient object stays loaded: flush.
tpm() {
    "$@" >"$T/tpm.out" 2>"$T/tpm.err" || bad "$*: $(cat "$T/tpm.err")"
    tpm2_flushcontext -t >/dev/null 2>&1
    tpm2_flushcontext -s >/dev/null 2>&1
}
cd "$T" || exit 1
tpm tpm2_createek -c ek.ctx -G rsa -u ek.pub
tpm tpm2_createak -C ek.ctx -c ak.ctx -G rsa -g sha256 -s rsassa -u ak.pub -n ak.name
tpm tpm2_readpublic -c ak.ctx -f pem -o ak.pem
tpm tpm2_readpublic -c ak.ctx -f der -o ak.der
tpm tpm2_createak -C ek.ctx -c ecc.ctx -G ecc -g sha256 -s ecdsa -u ecc.pub -n ecc.name

# --- PCR 8 extended with a document's digest ---------------------------------
printf 'version = "0.1.0"\nalgorithm = "sha256"\n\n[data]\n"cdh.toml" = """\n[kbc]\nname = "cc_kbc"\nurl = "http://127.0.0.1:8080"\n"""\n' >doc.toml
digest=$(sha256sum doc.toml | cut -d' ' -f1)
tpm tpm2_pcrextend "8:sha256=$digest"
tpm tpm2_pcrread sha256:8
pcr8=$($PY value sha256 vtpm doc.toml)
same "PCR 8 after one extend (TPM vs hashlib)" "$pcr8" \
    "$(sed -n 's/.*8 *: *0x//p' tpm.out | tr 'A-F' 'a-f')"

# quote NAME AKCTX SELECTION [tpm2_quote options]
quote() {
    n=$1 ak=$2 sel=$3
    shift 3
    tpm tpm2_quote -c "$ak" -l "$sel" -q 0011223344556677 -m "$n.msg" -s "$n.sig" -o "$n.pcrs" \
        -g sha256 "$@"
}
quote q ak.ctx sha256:0,1,2,3,4,5,6,7,8
quote qv ak.ctx sha256:8,9+sha1:0 -F values
quote qe ecc.ctx sha256:8
quote qall ak.ctx sha256:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 -F values
quote q01 ak.ctx sha256:0,1
quote q018 ak.ctx sha256:0,1,8
quote qno8 ak.ctx sha256:0,1,2,3,4,5,6,7,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23

# match NAME ARGS...: verify gives MATCH with every check passing
match() {
    n=$1
    shift
    run_tool verify "$@" doc.toml
    same "$n: MATCH" "MATCH" "$(head -n 1 "$T/out")"
    status "$n: exit" 0
    same "$n: found PCR 8" "found:    $pcr8" "$(grep '^found:' "$T/out")"
    for c in "quote signature" "PCR digest" "PCR 8 in the signed selection"; do
        grep -q "^signature: pass  $c:" "$T/out" || bad "$n: check '$c' did not pass: $(cat "$T/out")"
    done
    ok
}
match "RSA AK, TPM2B_PUBLIC, serialized PCRs" --evidence q.msg --signature q.sig --pcrs q.pcrs --ak ak.pub
match "RSA AK, PEM" --evidence q.msg --signature q.sig --pcrs q.pcrs --ak ak.pem
match "RSA AK, DER" --evidence q.msg --signature q.sig --pcrs q.pcrs --ak ak.der --tee tpm
match "values PCR file, two banks" --evidence qv.msg --signature qv.sig --pcrs qv.pcrs --ak ak.pub
match "ECC AK" --evidence qe.msg --signature qe.sig --pcrs qe.pcrs --ak ecc.pub

# the same quote as Trustee's tpm evidence JSON (24 PCRs, base64, hex)
$PY tpmjson ak.der qall.msg qall.sig qall.pcrs tpm.json
match "Trustee tpm evidence JSON" --evidence tpm.json

# --claims: Trustee's claims JSON on stdout (the report on stderr)
run_tool verify --claims --evidence tpm.json doc.toml
status "--claims exit" 0
same "--claims: report on stderr" "MATCH" "$(head -n 1 "$T/err")"
same "--claims JSON" "ok" "$(python3 - "$T/out" "$pcr8" doc.toml <<'PY'
import json, sys, tomllib
raw = open(sys.argv[1], "rb").read()
got = json.loads(raw)
doc = tomllib.load(open(sys.argv[3], "rb"))
want = {"init_data": sys.argv[2],
        "init_data_claims": {k: tomllib.loads(v) for k, v in doc["data"].items()}}
print("ok" if got == want and raw.count(b"\n") == 1 else "got %r want %r" % (got, want))
PY
)"

# evidence prints the nonce and the selection
run_tool evidence --signature q.sig --pcrs q.pcrs --ak ak.pub q.msg
same "evidence: NONCE" "0011223344556677" "$(sed -n 's/^  NONCE  *//p' "$T/out")"
same "evidence: selection" "sha256:0-8" "$(sed -n 's/^  PCR_SELECTION  *//p' "$T/out")"
run_tool evidence q.msg
expect_skip=$(grep -c '^  skip  ' "$T/out")
same "evidence without side files: signature and digest skipped" "2" "$expect_skip"
# the library says what is missing; the tool adds the flag (idt_hint)
same "no AK: the tool names --ak" \
    "  skip  quote signature: no AK public key was given (give it with --ak FILE: tpm2_createak -u, or PEM or DER)" \
    "$(grep '^  skip  quote signature' "$T/out")"
same "no PCR values: the tool names --pcrs" \
    "  skip  PCR digest: no PCR values were given (give them with --pcrs FILE, from tpm2_quote -o)" \
    "$(grep '^  skip  PCR digest' "$T/out")"
run_tool evidence --ak ak.pub q.msg
same "no signature: the tool names --signature" \
    "  skip  quote signature: no signature was given (give it with --signature FILE, from tpm2_quote -s)" \
    "$(grep '^  skip  quote signature' "$T/out")"
run_tool evidence --json q.msg
same "JSON: the skipped checks carry the hint names" "evidence-ak evidence-pcrs" \
    "$(python3 -c 'import json,sys; print(" ".join(c["hint"] for c in json.load(open(sys.argv[1]))["checks"] if c["hint"]))' "$T/out")"
run_tool verify --evidence q.msg doc.toml
status "verify without PCR values" 1
same "verify without PCR values: the error, with the flag" \
    "initdata: error: the evidence has no Init-Data field: a TPM quote needs its PCR values, and none were given (give them with --pcrs FILE, from tpm2_quote -o)" \
    "$(cat "$T/err")"

# --- PCR 8 outside the signed selection: refused, values right or not --------
# q01 signs PCRs 0 and 1; q018's values file holds the right PCR 8 as well
run_tool verify --evidence q01.msg --signature q01.sig --pcrs q018.pcrs --ak ak.pub doc.toml
same "unsigned PCR 8 (tpm2_quote files): REFUSED" "REFUSED" "$(head -n 1 "$T/out")"
status "unsigned PCR 8 exit" 1
same "unsigned PCR 8: the value itself is right" "found:    $pcr8" "$(grep '^found:' "$T/out")"
grep -q "FAIL  PCR 8 in the signed selection: the quote's signed selection (sha256:0,1) leaves out PCR 8" \
    "$T/out" || bad "unsigned PCR 8 message: $(cat "$T/out")"
grep -q "^signature: pass  quote signature" "$T/out" || bad "unsigned PCR 8: signature should pass"
grep -q "^signature: pass  PCR digest" "$T/out" || bad "unsigned PCR 8: digest should pass"
ok
# Trustee-shaped JSON: all 24 values given, PCR 8 outside the selection
tpm tpm2_pcrread -o all.pcrs sha256:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
$PY tpmjson ak.der qno8.msg qno8.sig all.pcrs no8.json
run_tool verify --evidence no8.json doc.toml
same "unsigned PCR 8 (JSON): REFUSED" "REFUSED" "$(head -n 1 "$T/out")"
status "unsigned PCR 8 (JSON) exit" 1
run_tool evidence --json no8.json
same "unsigned PCR 8 is not attested" "False" "$(python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
print(next(f["attested"] for f in d["fields"] if f["name"]=="PCR8"))' "$T/out")"

# --- tampering and mismatches ------------------------------------------------
python3 - q.sig bad.sig <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[-1] ^= 1
open(sys.argv[2], "wb").write(b)
PY
run_tool verify --evidence q.msg --signature bad.sig --pcrs q.pcrs --ak ak.pub doc.toml
status "tampered signature" 1
grep -q "^signature: FAIL  quote signature" "$T/out" || bad "tampered signature: $(cat "$T/out")"
ok
run_tool verify --evidence q.msg --signature q.sig --pcrs qe.pcrs --ak ak.pub doc.toml
status "PCR values of another selection" 1
printf 'x' | cat q.pcrs - >short.pcrs
run_tool verify --evidence qv.msg --signature qv.sig --pcrs short.pcrs --ak ak.pub doc.toml
status "malformed PCR file" 1
grep -q "PCR values file has" "$T/err" || bad "malformed PCR file: $(cat "$T/err")"
ok
run_tool verify --evidence q.msg --signature q.sig --pcrs q.pcrs --ak ecc.pub doc.toml
status "another AK" 1
# the launched document had no final newline; this one has
head -c -1 doc.toml >launched.toml
printf 'version = "0.1.0"\nalgorithm = "sha256"\n\n[data]\n' >other.toml
run_tool verify --evidence q.msg --signature q.sig --pcrs q.pcrs --ak ak.pub other.toml
same "other document: MISMATCH" "MISMATCH" "$(head -n 1 "$T/out")"
grep -q "no explanation fits" "$T/out" || bad "other document diagnosis: $(cat "$T/out")"
ok
# a fresh TPM state would be needed to extend from zero again: use the JSON path
$PY pcr8 tpm.json nonl.json "$($PY value sha256 vtpm launched.toml)"
run_tool verify --evidence nonl.json doc.toml
grep -q "PCR 8 was extended once with the sha256 digest of this document without its final newline" \
    "$T/out" || bad "final newline diagnosis: $(cat "$T/out")"
ok

stop_swtpm
echo "tpm: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
