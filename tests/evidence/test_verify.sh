#!/bin/sh
# `initdata evidence`, `initdata verify` and `initdata kbs-request` against
# Trustee's real evidence (testdata/EXPECTED.md) and synthetic evidence made
# from it: the binding field patched to a document's digest must give MATCH,
# and the patched file must then fail its signature (or PCR digest) check.
# Oracles: the values EXPECTED.md lists, Python hashlib for digests, binding
# values and PCR 8, Python json for the tool's JSON.  The TPM path against
# swtpm is tests/evidence/test_tpm.sh.
#
# Env: INITDATA, IDT_SHARED (absent = skip, exit 77), IDT_SOURCE_DIR.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
need_shared verify
EV=$S/trustee/evidence
PY="python3 $(cd "$(dirname "$0")" && pwd)/evidence_tool.py"
first_line() { head -n 1 "$T/out"; }
has() { grep -q -- "$2" "$T/$1"; }
# expect_in NAME FILE TEXT: the output file (out or err) contains TEXT
expect_in() {
    if has "$2" "$3"; then ok; else bad "$1: '$3' not in $2: $(head -c 600 "$T/$2")"; fi
}

# --- every evidence file: its fields (EXPECTED.md) and its checks -----------
# "followed by zero bytes" up to the 64-byte nonce
pad128() { python3 -c 'import sys; print(sys.argv[1].ljust(128, "0"))' "$1"; }
# file|tee|init-data field|hex|report-data field|hex|checks that must pass
Z32=$(printf '%064d' 0)
Z48=$(printf '%096d' 0)
Z64=$(printf '%0128d' 0)
cat >"$T/table" <<EOF
tdx_quote_4.dat|tdx|MRCONFIGID|$Z48|REPORT_DATA|7c71fe2c86eff65a7cf8dbc22b3275689fd0464a267baced1bf94fc1324656aeb755da3d44d098c0c87382f3a5f85b45c8a28fee1d3bdb38342bf96671501429|quote signature,attestation key
tdx_quote_5.dat|tdx|MRCONFIGID|$Z48|REPORT_DATA|6d6ab13b046cff606ac0074be13981b07b6325dba10b5facc96febf551c0c3be2b75f92fe1f88f4bb996969ad0174b4b7a70261b7b85c844f4b33a4674fd049f|quote signature,attestation key
az-tdx-vtpm_td-quote.bin|tdx|MRCONFIGID|$Z48|REPORT_DATA|9734504f161d104c74e3165c15f779b06a9bb40dfa71937817d7eee68e593839$Z32|quote signature,attestation key
occlum_quote.dat|sgx|CONFIGID|$Z64|REPORT_DATA|74657374$(printf '%0120d' 0)|quote signature,attestation key
snp_test-report.bin|snp|HOST_DATA|$Z32|REPORT_DATA|ec6c52d7533cc2c4f45be7849cf112ab82b2009fe7bd43e71ed08c14400ad7e2$Z32|
snp_test-vlek-report.bin|snp|HOST_DATA|$Z32|REPORT_DATA|819770b7e6ea6df8dd8fd4dd146b073c0bf4f3ce5b0977ecac486e3a05ed1bd54e2a7ac1f5d1ca02e7d7d5ef9f73b8574fd9359e3a480d741a4478e8a7bc27ca|
e2e_snp_evidence.json|snp|HOST_DATA|$Z32|REPORT_DATA|7e7320889600c7ac133aea7b896c51f41026002982292a7369559796999c1bf929eef3ff23c46e858f0b1982f9a92b17c51b578d958cde6b0c92978f150cf9b0|report signature
az-snp-vtpm_evidence-v0.json|az-snp-vtpm|PCR8|$Z32|NONCE|6368616c6c656e6765|vTPM quote signature,PCR digest,PCR 8 in the signed selection,SNP report signature,vTPM key bound to the SNP report
az-snp-vtpm_evidence-v1.json|az-snp-vtpm|PCR8|$Z32|NONCE|6368616c6c656e6765|vTPM quote signature,PCR digest,PCR 8 in the signed selection,SNP report signature,vTPM key bound to the SNP report
az-snp-vtpm_evidence-v2.json|az-snp-vtpm|PCR8|$Z32|NONCE|982f5c6e45df0ed3f10b6f60b02f0c8390e281300f3805e2279c16168cd6ae9aa398f647caa2338748cd0fd9f5f819ef|vTPM quote signature,PCR digest,PCR 8 in the signed selection,SNP report signature,vTPM key bound to the SNP report
az-tdx-vtpm_evidence-v0.json|az-tdx-vtpm|PCR8|$Z32|NONCE|6368616c6c656e6765|vTPM quote signature,PCR digest,PCR 8 in the signed selection,TD quote signature,TD quote attestation key,vTPM key bound to the TD quote
az-tdx-vtpm_evidence-v1.json|az-tdx-vtpm|PCR8|$Z32|NONCE|6368616c6c656e6765|vTPM quote signature,PCR digest,PCR 8 in the signed selection,TD quote signature,TD quote attestation key,vTPM key bound to the TD quote
cca_misc_cca-example-token.cbor|cca|REALM_PERSONALIZATION_VALUE|$Z64|REALM_CHALLENGE|57e979ae2618de0c1ab73144c440d741cf9236dc9d52ed190053382a4d190252f9f0370403c35dcb155fb4362d73c66d5b0494bf939315d3dc52b8cdc8b85a96|realm token signature,platform token bound to the realm key
tpm_evidence.json|tpm|PCR8|$Z32|NONCE|$(pad128 a04182b506878d4f29b91ee606a71a0d3361ccf1b22db20c98adcaa537bea393ef0e41a18b3569ab678f1497fbc5c12)|quote signature,PCR digest,PCR 8 in the signed selection
EOF

while IFS='|' read -r f tee bname bhex rname rhex passes; do
    run_tool evidence --json "$EV/$f"
    status "evidence $f" 0
    cp "$T/out" "$T/ev.json"
    # the checks that must pass, as separate arguments
    set -f
    IFS=,
    # shellcheck disable=SC2086  # split on the commas, with globbing off
    set -- $passes
    unset IFS
    set +f
    $PY describe "$T/ev.json" "$bname" "$rname" "$@" >"$T/desc"
    {
        read -r got; same "$f tee" "$tee" "$got"
        read -r got; same "$f init-data field" "$bname" "$got"
        read -r got; same "$f report-data field" "$rname" "$got"
        read -r got; same "$f $bname" "$bhex" "$got"
        read -r got; same "$f $rname" "$rhex" "$got"
        read -r got; same "$f chains not checked" "False" "$got"
        while read -r got; do
            same "$f check #$((n = ${n:-0} + 1)) passes" "pass" "$got"
        done
    } <"$T/desc"
    n=0
    # the text form names the TEE and says the chains are not checked
    run_tool evidence "$EV/$f"
    same "$f text tee" "tee: $tee" "$(first_line)"
    expect_in "$f chain note" out "certificate chains .* are not checked"
done <"$T/table"

# SNP offsets from the spec, on the binary report, against the JSON output
run_tool evidence --json "$EV/snp_test-report.bin"
same "snp HOST_DATA offset" "192" "$(python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
print(next(f["offset"] for f in d["fields"] if f["name"]=="HOST_DATA"))' "$T/out")"
run_tool evidence --json "$EV/tdx_quote_5.dat"
same "tdx v5 MRCONFIGID offset" "238" "$(python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
print(next(f["offset"] for f in d["fields"] if f["name"]=="MRCONFIGID"))' "$T/out")"

# Trustee's own parse of tdx_quote_4.dat, field by field
python3 - "$EV/parse_tdx_claims_expected.json" >"$T/claims" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
q = c.get("quote", c)
body = q.get("body", q)
for ours, theirs in (("MRTD", "mr_td"), ("MRCONFIGID", "mr_config_id"), ("RTMR0", "rtmr_0"),
                     ("RTMR1", "rtmr_1"), ("RTMR2", "rtmr_2"), ("RTMR3", "rtmr_3"),
                     ("REPORT_DATA", "report_data"), ("MRSEAM", "mr_seam"),
                     ("MROWNER", "mr_owner"), ("XFAM", "xfam"), ("TD_ATTRIBUTES", "td_attributes")):
    if theirs in body:
        print(ours, body[theirs])
PY
run_tool evidence --json "$EV/tdx_quote_4.dat"
cp "$T/out" "$T/ev.json"
n=0
while read -r name want; do
    same "tdx_quote_4 $name = Trustee's claims" "$want" "$($PY field "$T/ev.json" "$name")"
    n=$((n + 1))
done <"$T/claims"
if [ "$n" -ge 6 ]; then ok; else bad "Trustee's claims file gave only $n fields"; fi

# --- synthetic evidence: the binding patched to our document's digest --------
DOC=$S/trustee/simple-init-data.toml        # sha256
DOC384=$S/caa/provision-test.toml           # sha384
printf 'version = "0.1.0"\nalgorithm = "sha512"\n\n[data]\n"aa.toml" = """\n[token_configs.kbs]\nurl = "https://kbs.example:8080"\n"""\n' >"$T/sha512.toml"

# synth NAME SRC PATCH-KIND ARG PLATFORM DOC FAILING-CHECK [VERIFY-OPTS...]
synth() {
    name=$1 src=$2 kind=$3 arg=$4 platform=$5 doc=$6 failing=$7
    shift 7
    alg=$(sed -n 's/^algorithm *= *"\(.*\)"/\1/p' "$doc")
    val=$($PY value "$alg" "$platform" "$doc")
    case $kind in
    bin) $PY bin "$src" "$T/$name" "$arg" "$val" ;;
    *) $PY "$kind" "$src" "$T/$name" "$val" ;;
    esac
    run_tool verify --evidence "$T/$name" "$@" "$doc"
    same "$name: patched binding gives MATCH" "MATCH" "$(first_line)"
    expect_in "$name: expected value" out "expected: $val"
    expect_in "$name: found value" out "found:    $val"
    expect_in "$name: the patched file fails '$failing'" out "signature: FAIL  $failing:"
    expect_in "$name: says the evidence is not intact" out "^FAIL: the evidence does not pass"
    status "$name: a failed signature check exits 1" 1
    # and the unpatched file still passes the same check
    run_tool verify --evidence "$src" "$@" "$doc"
    expect_in "$name: the original passes '$failing'" out "signature: pass  $failing:"
}
synth tdx4.dat "$EV/tdx_quote_4.dat" bin 232 tdx "$DOC" "quote signature"
synth tdx5.dat "$EV/tdx_quote_5.dat" bin 238 tdx "$DOC384" "quote signature"
synth sgx.dat "$EV/occlum_quote.dat" bin 240 sgx "$DOC" "quote signature"
synth snp.json "$EV/e2e_snp_evidence.json" snpjson - snp "$DOC" "report signature"
mkdir -p "$T/az"
$PY azsnp "$EV/az-snp-vtpm_evidence-v0.json" "$T/az"
synth snp.bin "$T/az/report.bin" bin 192 snp "$DOC384" "report signature" --vcek "$T/az/vcek.pem"
synth cca.cbor "$EV/cca_misc_cca-example-token.cbor" cca - cca "$T/sha512.toml" "realm token signature"
synth cca-kata.cbor "$EV/cca_misc_cca-example-token.cbor" cca - cca-kata "$DOC" \
    "realm token signature" --rules kata
synth tpm.json "$EV/tpm_evidence.json" pcr8 - vtpm "$DOC" "PCR digest"
synth az-snp.json "$EV/az-snp-vtpm_evidence-v1.json" pcr8 - vtpm "$DOC" "PCR digest"
synth az-snp0.json "$EV/az-snp-vtpm_evidence-v0.json" pcr8 - vtpm "$DOC" "PCR digest"
synth az-tdx.json "$EV/az-tdx-vtpm_evidence-v1.json" pcr8 - vtpm "$DOC" "PCR digest"

# --claims prints nothing when the evidence fails its checks
run_tool verify --claims --evidence "$T/tdx4.dat" "$DOC"
status "--claims on a forged MATCH" 1
same "--claims on a forged MATCH: no JSON" "" "$(cat "$T/out")"
expect_in "--claims on a forged MATCH: report on stderr" err "^FAIL: the evidence does not pass"

# the SNP report alone: no key, so the signature is skipped, and with the VCEK it passes
run_tool evidence "$T/az/report.bin"
expect_in "snp report without --vcek" out "skip  report signature: no VCEK"
# the library says what is missing; the tool adds the flag (idt_hint)
expect_in "snp report without --vcek: the tool names --vcek" out \
    "skip  report signature: no VCEK or VLEK certificate: the evidence holds none, and none was given (give the chip's certificate with --vcek FILE: PEM or DER, from AMD's KDS)$"
run_tool evidence --vcek "$T/az/vcek.pem" "$T/az/report.bin"
expect_in "snp report with --vcek" out "pass  report signature"
status "snp report with --vcek" 0
run_tool evidence --vcek "$T/az/vcek.pem" "$EV/snp_test-report.bin"
expect_in "another chip's VCEK" out "FAIL  report signature"
status "another chip's VCEK" 1

# --- the real files against real documents: MISMATCH, launched without Init-Data
for f in tdx_quote_4.dat occlum_quote.dat snp_test-report.bin e2e_snp_evidence.json \
    cca_misc_cca-example-token.cbor; do
    run_tool verify --evidence "$EV/$f" "$DOC"
    same "$f vs a document" "MISMATCH" "$(first_line)"
    status "$f mismatch exit" 1
    expect_in "$f diagnosis: zeros" out "all zeros: the TEE was launched without Init-Data"
done
for f in tpm_evidence.json az-snp-vtpm_evidence-v2.json az-tdx-vtpm_evidence-v0.json; do
    run_tool verify --evidence "$EV/$f" "$DOC"
    same "$f vs a document" "MISMATCH" "$(first_line)"
    expect_in "$f diagnosis: PCR 8 zeros" out "PCR 8 is all zeros"
done

# --- diagnoses ---------------------------------------------------------------
# diag NAME EVIDENCE-VALUE-HEX DOC TEXT: TDX quote 4 with MRCONFIGID = value;
# verify DOC must say MISMATCH and give TEXT among its explanations
diag() {
    $PY bin "$EV/tdx_quote_4.dat" "$T/diag.dat" 232 "$2"
    run_tool verify --evidence "$T/diag.dat" "$3"
    same "$1: mismatch" "MISMATCH" "$(first_line)"
    expect_in "$1: diagnosis" out "$4"
}
# the document said sha256 when it was launched; now it says sha384
sed 's/^algorithm = "sha256"/algorithm = "sha384"/' "$DOC" >"$T/now384.toml"
diag "algorithm changed" "$($PY value sha256 tdx "$T/now384.toml")" "$T/now384.toml" \
    "the evidence holds the sha256 digest of this document, zero-padded; the document now says sha384"
# the document said sha256 when it was launched and was edited to say sha384
diag "algorithm line edited" "$($PY value sha256 tdx "$DOC")" "$T/now384.toml" \
    'the sha256 digest of this document as it read with algorithm = "sha256", zero-padded; the document now says sha384, so its algorithm was changed after launch'
# the launched copy had no final newline
head -c -1 "$DOC" >"$T/nonl.toml"
diag "final newline" "$($PY value sha256 tdx "$T/nonl.toml")" "$DOC" \
    "the sha256 digest of this document without its final newline"
# the launched copy had CRLF line ends
sed 's/$/\r/' "$DOC" >"$T/crlf.toml"
diag "line ends" "$($PY value sha256 tdx "$T/crlf.toml")" "$DOC" \
    "with its LF line ends turned into CRLF"
# a sha384 document bound with the SNP size (32 bytes), then padded to 48
v=$($PY value sha384 snp "$DOC384")$(printf '%032d' 0)
diag "SNP rule on TDX" "$v" "$DOC384" "truncated to 32 bytes (the SNP HOST_DATA size) and zero-padded"
# nothing fits
diag "another document" "$($PY value sha256 tdx "$S/kata/default-initdata.toml")" "$DOC" \
    "no explanation fits"

# CCA under Trustee's rules: kata's padding cannot match a sha256 document
$PY cca "$EV/cca_misc_cca-example-token.cbor" "$T/cca-pad.cbor" "$($PY value sha256 cca-kata "$DOC")"
run_tool verify --evidence "$T/cca-pad.cbor" "$DOC"
same "cca padded, Trustee rules" "MISMATCH" "$(first_line)"
expect_in "cca padded diagnosis" out "Trustee compares it unpadded, so with Trustee CCA verifies only sha512"
expect_in "cca padded diagnosis: the tool names --rules kata" out \
    "only sha512 documents; kata's rules give MATCH (--rules kata)$"
run_tool verify --rules kata --evidence "$T/cca-pad.cbor" "$DOC"
same "cca padded, kata rules" "MATCH" "$(first_line)"

# vTPM: the cloud-api-adaptor extends the first 32 bytes of a sha384 digest
# (EXPECTED.md gives the PCR 8 value of caa/provision-test.toml)
pp=b38927609998047b40609a152e8ccb3716450321203fe11c1e0533c648334ed5
same "peerpods oracle" "$pp" "$($PY value sha384 vtpm-peerpods "$DOC384")"
$PY pcr8 "$EV/tpm_evidence.json" "$T/pp.json" "$pp"
run_tool verify --evidence "$T/pp.json" "$DOC384"
same "vtpm sha384 document" "MISMATCH" "$(first_line)"
expect_in "vtpm sha384 reason" out "reason: the document is sha384: Trustee panics"
expect_in "vtpm peerpods diagnosis" out "first 32 bytes of the sha384 digest of this document (the cloud-api-adaptor rule)"
# Trustee's unit-test vector: PCR 8 of digest 8505e4e2...
same "Trustee PCR 8 vector" "bddaccb9c52249e97a31baea61b7d91be8221a16e703d92148d04fb8e9c1dfdd" \
    "$(python3 -c 'import hashlib;print(hashlib.sha256(bytes(32)+bytes.fromhex("8505e4e25e50a27c5dc8147af88efbece627fbea55291911eff832d9ee127781")).hexdigest())')"

# --- --tee and errors ---------------------------------------------------------
run_tool evidence --tee snp "$EV/tdx_quote_4.dat"
status "--tee snp on a TDX quote" 1
expect_in "--tee snp on a TDX quote" err "it looks like a TDX quote v4"
expect_in "--tee snp on a TDX quote: the whole message" err \
    "tdx_quote_4.dat: error: at byte 0: the input is not the snp evidence asked for; it looks like a TDX quote v4 (--tee named it; without --tee the format is detected)$"
run_tool evidence --tee sgx "$EV/tdx_quote_4.dat"
status "--tee sgx on a TDX quote" 1
expect_in "--tee sgx on a TDX quote" err \
    "error: at byte 4: this is a TDX quote, not the sgx evidence asked for (--tee named it; without --tee the format is detected)$"
printf 'not evidence at all' >"$T/junk.bin"
run_tool evidence "$T/junk.bin"
status "unknown format" 1
expect_in "unknown format: the tool names --tee" err \
    "Trustee's evidence JSON, and no TEE was named (name the TEE with --tee)$"
run_tool evidence --tee sgx "$EV/occlum_quote.dat"
status "--tee sgx" 0
run_tool evidence --tee nope "$EV/occlum_quote.dat"
status "--tee nope" 2
head -c 600 "$EV/tdx_quote_4.dat" >"$T/short.dat"
run_tool evidence "$T/short.dat"
status "truncated quote" 1
expect_in "truncated quote message" err "TD report body: needs 584 bytes at byte 48"
run_tool evidence "$EV/az-snp-vtpm_hcl-report.bin"
expect_in "HCL report alone" err "carries no PCR 8"
printf '{"quote": {"message": 1}, "report": [], "vcek": ""}' >"$T/bad.json"
run_tool evidence "$T/bad.json"
status "bad vTPM JSON" 1
printf '{"a": 1,\n "b": }' >"$T/syntax.json"
run_tool evidence "$T/syntax.json"
expect_in "JSON syntax error position" err "syntax.json:2:"
run_tool verify "$DOC"
status "verify without --evidence" 2

# --- kbs-request -----------------------------------------------------------------
kbs() { # NAME FILE [OPTS]: body must equal the file's bytes
    name=$1 f=$2
    shift 2
    run_tool kbs-request "$@" "$f"
    status "kbs-request $name" 0
    same "kbs-request $name body" "ok" "$(python3 - "$T/out" "$f" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
d = json.loads(raw)
body = open(sys.argv[2], "rb").read().decode("utf-8")
assert raw.endswith(b"}\n") and raw.count(b"\n") == 1, "one line"
print("ok" if d == {"format": "toml", "body": body} else "different: %r" % d)
PY
)"
}
for f in "$DOC" "$DOC384" "$S/trustee/init-data-with-policy.toml" "$S/kata/default-initdata.toml" \
    "$T/crlf.toml" "$T/nonl.toml"; do
    kbs "${f##*/}" "$f"
done
# every awkward character a TOML string can hold, raw and escaped
python3 - "$T/odd.toml" <<'PY'
import sys
s = ('version = "0.1.0"\r\nalgorithm = "sha256"\n[data]\n"p\\"q.rego" = """\ttab \\\\ back'
     '\\\\slash "quote" \u2028 \u00e9\u20ac\U0001f600 \\u007f del \\u0001 ctl\r\n"""\n')
open(sys.argv[1], "wb").write(s.encode())
PY
kbs "awkward characters" "$T/odd.toml"
printf 'not toml \001\000\177 "\\\n' >"$T/raw.txt"
kbs "--no-check with NUL and controls" "$T/raw.txt" --no-check
run_tool kbs-request "$T/raw.txt"
status "kbs-request of a non-document" 1
printf 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n"a" = "\377"\n' >"$T/latin1.toml"
run_tool kbs-request --no-check "$T/latin1.toml"
status "kbs-request of non-UTF-8" 1
same "kbs-request of non-UTF-8 prints nothing" "" "$(cat "$T/out")"
expect_in "kbs-request of non-UTF-8 message" err "not UTF-8"

echo "verify: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
