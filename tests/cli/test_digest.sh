#!/bin/sh
# `initdata digest` and `initdata check` against the shared documents
# (testdata/EXPECTED.md) with independent oracles: the values EXPECTED.md
# lists, coreutils sha256sum/sha384sum/sha512sum of the same bytes, Python
# hashlib/base64 computing the pad/truncate bindings and PCR 8, Python
# tomllib for the data keys and json for --json output.
#
# Env: INITDATA (the tool), IDT_SHARED (../shared; absent = skip, exit 77).
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
need_shared digest
out() { cat "$T/out"; }

# --- the documents of EXPECTED.md ------------------------------------------
# The annotations are base64(gzip(TOML)).  (`initdata decode` will do this;
# coreutils keeps the oracle independent of the tool.)
unpack() { base64 -d | gzip -d; }
unpack <"$S/kata/runtime-utils-test.annotation.b64" >"$T/kata-utils.toml"
unpack <"$S/kata/how-to-agent-policy.annotation.b64" >"$T/kata-howto.toml"
sed -n 's/^ *io\.katacontainers\.config\.hypervisor\.cc_init_data: *//p' \
    "$S/kata/genpolicy-sample-pod-one-container.yaml" | unpack >"$T/kata-genpolicy.toml"
unpack <"$S/caa/provision-test.annotation.b64" >"$T/caa-annotation.toml"

# file|bytes|algorithm|data entries|digest (EXPECTED.md)
cat >"$T/docs" <<EOF
$T/kata-utils.toml|113|sha256|3|c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5
$T/kata-howto.toml|1518|sha256|1|2385c5da0959d063638b2ab4ac252ae18e825f6ecb69815e4206b38077d0bcdd
$T/kata-genpolicy.toml|59565|sha256|1|38367f88f4b1d9fea79c6750b2755bbc58609a5d8b15f58e89646cf46ff2036e
$S/kata/default-initdata.toml|47|sha256|0|5fbba2d190b4c600dc48b80802559460ecae499f76f079e9ad2ebd4e3c7eb65f
$T/caa-annotation.toml|4556|sha384|3|52af3178dd7ad4bf551e629b84b45bfd1fbe1434b980120267181ae3575ea20ca9013b8eadf31d27eed7ff2552d500ef
$S/caa/provision-test.toml|4556|sha384|3|52af3178dd7ad4bf551e629b84b45bfd1fbe1434b980120267181ae3575ea20ca9013b8eadf31d27eed7ff2552d500ef
$S/trustee/simple-init-data.toml|1945|sha256|3|df0973f1d4ab240854df02e467d1f30a5aef52b9c126beba333055e346065c8c
$S/trustee/init-data-with-policy.toml|61863|sha256|1|0deccded0d87ec44702c7330fac3eb936b68dcca5c9f6b5df1fb3480c0b525ac
EOF

while IFS='|' read -r f bytes alg n want; do
    name=${f##*/}
    same "$name size" "$bytes" "$(wc -c <"$f" | tr -d ' ')"
    run_tool digest "$f"
    status "digest $name" 0
    same "digest $name = EXPECTED.md" "$want" "$(out)"
    same "digest $name = ${alg}sum" "$("${alg}sum" "$f" | cut -d' ' -f1)" "$(out)"
    "$INITDATA" digest - <"$f" >"$T/out" 2>"$T/err"
    same "digest - < $name" "$want" "$(out)"
    run_tool digest --format base64 "$f"
    same "digest --format base64 $name" \
        "$(python3 -c 'import sys,base64;print(base64.b64encode(bytes.fromhex(sys.argv[1])).decode())' "$want")" \
        "$(out)"
    # check: valid, with the summary line, and the entries tomllib sees
    # (the document alone: test_check_entries.sh checks the entries)
    if [ "$n" = 1 ]; then entries="1 data entry"; else entries="$n data entries"; fi
    run_tool check --no-entries "$f"
    status "check $name" 0
    same "check $name summary" "$f: valid: version 0.1.0, algorithm $alg, $entries" "$(cat "$T/err")"
    run_tool check --no-entries --json "$f"
    same "check --json $name" "ok" "$(python3 - "$T/out" "$f" "$alg" <<'PY'
import json, sys, tomllib
got = json.load(open(sys.argv[1]))
with open(sys.argv[2], "rb") as fh:
    doc = tomllib.load(fh)
want = {"file": sys.argv[2], "diagnostics": [], "errors": 0, "warnings": 0, "notes": 0,
        "valid": True, "strict": False, "platforms": [],
        "version": "0.1.0", "algorithm": sys.argv[3], "entries": list(doc["data"])}
print("ok" if got == want else f"{got} != {want}")
PY
)"
done <"$T/docs"

# --- exact bytes: CRLF line ends change the digest ---------------------------
sed 's/$/\r/' "$T/kata-utils.toml" >"$T/crlf.toml"
run_tool digest "$T/crlf.toml"
same "digest of the CRLF copy = sha256sum" "$(sha256sum "$T/crlf.toml" | cut -d' ' -f1)" "$(out)"
if [ "$(out)" != c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5 ]; then ok; else
    bad "CRLF copy has the LF digest"; fi

# --- binding values: Python pads/truncates independently ---------------------
python3 - "$T/docs" >"$T/bindings" <<'PY'
import base64, hashlib, sys
size = {"tdx": 48, "snp": 32, "cca": 64, "sgx": 64, "se": 256}
qemu = {"tdx": "mrconfigid", "snp": "host-data", "cca": "personalization-value"}
for line in open(sys.argv[1]):
    f, _, alg, _, _ = line.strip().split("|")
    d = hashlib.new(alg, open(f, "rb").read()).digest()
    for p, n in size.items():
        v = (d + bytes(n))[:n]
        b64 = base64.b64encode(v).decode()
        print(f"{f}|{p}|hex|aa|{v.hex()}")
        print(f"{f}|{p}|base64|aa|{b64}")
        if p in qemu:
            print(f"{f}|{p}|qemu|aa|{qemu[p]}={b64}")
    pp = hashlib.sha256(bytes(32) + d[:32]).hexdigest()
    print(f"{f}|vtpm|hex|peerpods|{pp}")
    if len(d) == 32:
        print(f"{f}|vtpm|hex|aa|{hashlib.sha256(bytes(32) + d).hexdigest()}")
PY
while IFS='|' read -r f p fmt rule want; do
    if [ "$p" = vtpm ]; then
        run_tool digest --platform "$p" --vtpm-rule "$rule" --format "$fmt" "$f"
    else
        run_tool digest --platform "$p" --format "$fmt" "$f"
    fi
    same "digest -p $p -f $fmt ($rule) ${f##*/}" "$want" "$(out)"
done <"$T/bindings"

# The facts' own base64 values for the kata vector.
k=$T/kata-utils.toml
run_tool digest -p tdx -f base64 "$k"
same "kata vector TDX" xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeUAAAAAAAAAAAAAAAAAAAAA "$(out)"
run_tool digest -p snp -f base64 "$k"
same "kata vector SNP" xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeU= "$(out)"
run_tool digest -p cca -f base64 "$k"
same "kata vector CCA" \
    xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeUAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA== "$(out)"
same "CCA with sha256 warns" \
    "$k:2:13: warning: Trustee compares the 64-byte CCA personalization value exactly, without padding, so only sha512 documents verify with Trustee" \
    "$(head -n 1 "$T/err")"

# --- vTPM --------------------------------------------------------------------
c=$S/caa/provision-test.toml
run_tool digest --platform vtpm --vtpm-rule peerpods "$c"
status "caa peer-pods PCR 8" 0
same "caa peer-pods PCR 8 (EXPECTED.md)" \
    b38927609998047b40609a152e8ccb3716450321203fe11c1e0533c648334ed5 "$(out)"
run_tool digest --platform vtpm "$c"
status "vtpm aa rule on sha384" 1
same "vtpm aa rule on sha384: no output" "" "$(out)"
same "vtpm aa rule on sha384: message" \
    "$c:1:13: error: a sha384 digest is 48 bytes, but the attestation-agent extends vTPM PCR 8 only with a 32-byte digest and Trustee panics on any other size (use algorithm = \"sha256\"; the peer-pods rule would extend with the first 32 bytes)" \
    "$(head -n 1 "$T/err")"
same "vtpm aa rule on sha384: source line" '    1 | algorithm = "sha384"' "$(sed -n 2p "$T/err")"

# --- digest --json -----------------------------------------------------------
run_tool digest --json --platform snp "$k"
same "digest --json snp" "ok" "$(python3 - "$T/out" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))
want = {"algorithm": "sha256",
        "digest": "c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5",
        "platform": "snp", "vtpm_rule": None,
        "value_hex": "c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5",
        "value_base64": "xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeU=",
        "qemu": "host-data=xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeU=", "warnings": []}
print("ok" if got == want else f"{got} != {want}")
PY
)"
run_tool digest --json --platform vtpm --vtpm-rule peerpods "$c"
same "digest --json vtpm peerpods" "ok" "$(python3 - "$T/out" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))
ok = (got["platform"] == "vtpm" and got["vtpm_rule"] == "peerpods" and got["qemu"] is None
      and got["algorithm"] == "sha384"
      and got["value_hex"] == "b38927609998047b40609a152e8ccb3716450321203fe11c1e0533c648334ed5"
      and len(got["warnings"]) == 1 and "only sha256 documents work with vTPM" in got["warnings"][0])
print("ok" if ok else got)
PY
)"

# --- check: bad documents, exact diagnostics ---------------------------------
# Run from $T so that diagnostics name the file as the user typed it.
cd "$T" || exit 1
printf '# the issue example\nversion = "0.1.0"\nalgorithm = "sha-256"\n[data]\n' >initdata.toml
run_tool check initdata.toml
status "check sha-256" 1
cat >want <<'EOF'
initdata.toml:3:13: error: algorithm "sha-256" is not supported (kata, attestation-agent and Trustee accept sha256, sha384, sha512) [IDT-DOC005]
    3 | algorithm = "sha-256"
      |             ^
initdata.toml: invalid: 1 error, 0 warnings (rejected by kata, attestation-agent and Trustee)
EOF
same "check sha-256 stderr" "$(cat want)" "$(cat err)"
same "check prints nothing on stdout" "" "$(cat out)"
run_tool digest initdata.toml
status "digest sha-256" 1
same "digest sha-256 stderr: as check prints it" "$(cat want)" "$(cat err)"
same "digest sha-256 stdout" "" "$(cat out)"

printf 'version = "1.0"\nalgorithm = "sm3"\n[data]\n"aa.toml" = 1\n"cdh.toml" = ""\n"x" = [1]\n' >many.toml
run_tool check many.toml
status "check many" 1
cat >want <<'EOF'
many.toml:1:11: error: unsupported version "1.0" (kata accepts only "0.1.0"; the attestation-agent and Trustee do not check it) [IDT-DOC004]
    1 | version = "1.0"
      |           ^
many.toml:2:13: error: algorithm "sm3" is rejected by kata (kata accepts sha256, sha384, sha512; only the attestation-agent and Trustee accept sm3) [IDT-DOC006]
    2 | algorithm = "sm3"
      |             ^
many.toml:4:13: error: data entry "aa.toml" must be a string, not an integer (kata, attestation-agent and Trustee reject it) [IDT-DOC007]
    4 | "aa.toml" = 1
      |             ^
many.toml:6:7: error: data entry "x" must be a string, not an array (kata, attestation-agent and Trustee reject it) [IDT-DOC007]
    6 | "x" = [1]
      |       ^
many.toml: invalid: 4 errors, 0 warnings (rejected by kata, attestation-agent and Trustee)
EOF
same "check many stderr" "$(cat want)" "$(cat err)"
run_tool digest many.toml
status "digest many" 1
same "digest many: every error, as check prints them" "$(cat want)" "$(cat err)"
run_tool check --allow-sm3 many.toml
status "check --allow-sm3 many" 1
same "check --allow-sm3: sm3 becomes a warning" \
    'many.toml:2:13: warning: algorithm "sm3" is rejected by kata (kata accepts sha256, sha384, sha512; only the attestation-agent and Trustee accept sm3) [IDT-DOC006]' \
    "$(sed -n 4p err)"
same "check --allow-sm3 summary" \
    "many.toml: invalid: 3 errors, 1 warning (rejected by kata, attestation-agent and Trustee)" \
    "$(tail -n 1 err)"

printf 'version = "0.1.0"\nalgorithm = "sm3"\n[data]\n' >sm3.toml
run_tool check sm3.toml
status "check sm3" 1
run_tool check --no-entries --allow-sm3 sm3.toml
status "check --allow-sm3 sm3" 0
same "check --allow-sm3 sm3 summary" "sm3.toml: valid: version 0.1.0, algorithm sm3, 0 data entries, 1 warning" \
    "$(tail -n 1 err)"
run_tool digest sm3.toml
status "digest sm3" 1
run_tool digest --allow-sm3 sm3.toml
if openssl dgst -sm3 sm3.toml >/dev/null 2>&1; then
    status "digest --allow-sm3" 0
    same "digest --allow-sm3 = openssl dgst -sm3" "$(openssl dgst -sm3 -r sm3.toml | cut -d' ' -f1)" "$(out)"
    same "digest --allow-sm3 still warns" \
        'sm3.toml:2:13: warning: algorithm "sm3" is rejected by kata (kata accepts sha256, sha384, sha512; only the attestation-agent and Trustee accept sm3) [IDT-DOC006]' \
        "$(head -n 1 err)"
fi

printf 'name = "x"\n' >missing.toml
run_tool check missing.toml
status "check missing keys" 1
same "check missing keys: three errors at 1:1" \
    'missing.toml:1:1: error: missing key "version" (kata, attestation-agent and Trustee require it; kata accepts version = "0.1.0") [IDT-DOC002]
missing.toml:1:1: error: missing key "algorithm" (kata, attestation-agent and Trustee require it: sha256, sha384 or sha512) [IDT-DOC002]
missing.toml:1:1: error: missing table "data" (kata, attestation-agent and Trustee require it; an empty [data] is fine) [IDT-DOC002]' \
    "$(grep ': error: ' err)"

printf 'version = "0.1.0"\nalgorithm = "sha256"\ndata = "x"\n' >datastr.toml
run_tool check datastr.toml
same "check data not a table" \
    'datastr.toml:3:8: error: data must be a table of strings, not a string (kata, attestation-agent and Trustee reject it) [IDT-DOC003]' \
    "$(head -n 1 err)"

printf 'version = "0.1.0"\nalgorithm = sha256\n[data]\n' >syntax.toml
run_tool check syntax.toml
status "check TOML syntax error" 1
case $(head -n 1 err) in
syntax.toml:2:13:\ error:\ *) ok ;;
*) bad "check TOML syntax error: $(head -n 1 err)" ;;
esac
same "check TOML syntax summary" \
    "syntax.toml: invalid: 1 error, 0 warnings (rejected by kata, attestation-agent and Trustee)" \
    "$(tail -n 1 err)"

# stdin is named <stdin>
run_tool check - <initdata.toml
same "check - names <stdin>" \
    '<stdin>:3:13: error: algorithm "sha-256" is not supported (kata, attestation-agent and Trustee accept sha256, sha384, sha512) [IDT-DOC005]' \
    "$(head -n 1 err)"

# --json: every diagnostic, strings escaped (a name with quotes, a backslash,
# a control character and UTF-8 goes through the message).
printf 'version = "0.1.0"\nalgorithm = "sha-1"\n[data]\n"q\\"b\\\\s\\u0001\\u00e9" = 1\n' >esc.toml
run_tool check --json esc.toml
status "check --json esc" 1
same "check --json esc" "ok" "$(python3 - out <<'PY'
import json, sys
got = json.load(open(sys.argv[1], encoding="utf-8"))
d = got["diagnostics"]
all3 = ["kata", "attestation-agent", "Trustee"]
want = {"file": "esc.toml", "errors": 2, "warnings": 0, "notes": 0, "valid": False,
        "strict": False, "platforms": [], "diagnostics": [
    {"severity": "error", "code": "IDT-DOC005", "rule": "unsupported-algorithm", "line": 2,
     "column": 13, "offset": 30, "length": 7, "entry": None, "rejected_by": all3,
     "message": 'algorithm "sha-1" is not supported (kata, attestation-agent and Trustee '
                'accept sha256, sha384, sha512)'},
    {"severity": "error", "code": "IDT-DOC007", "rule": "data-entry-type", "line": 4,
     "column": 25, "offset": 69, "length": 1, "entry": None, "rejected_by": all3,
     "message": 'data entry "q\\"b\\\\s\\x01\u00e9" must be a string, not an integer '
                '(kata, attestation-agent and Trustee reject it)'}]}
print("ok" if got == want else f"{got}\n!=\n{want}")
PY
)"

# --- usage, I/O, help --------------------------------------------------------
run_tool digest --format qemu "$k"
status "qemu without a platform" 2
run_tool digest --platform vtpm --format qemu "$k"
status "qemu with vtpm" 2
run_tool digest --platform tdx --format octal "$k"
status "unknown format" 2
same "unknown format message" \
    'initdata digest: error: --format: unknown encoding "octal" (known: hex, base64, qemu)' \
    "$(head -n 1 err)"
run_tool digest --platform vtpm --vtpm-rule cap "$k"
status "unknown vTPM rule" 2
same "unknown vTPM rule message" \
    'initdata digest: error: --vtpm-rule: unknown vTPM rule "cap" (known: aa, peerpods)' \
    "$(head -n 1 err)"
run_tool digest --platform x86 "$k"
status "unknown platform" 2
same "unknown platform message" \
    'initdata digest: error: --platform: unknown platform "x86" (known: tdx, snp, cca, sgx, se, vtpm)' \
    "$(head -n 1 err)"
run_tool digest --vtpm-rule peerpods "$k"
status "--vtpm-rule without vtpm" 2
run_tool digest --json --format hex "$k"
status "--json with --format" 2
run_tool digest
status "digest without FILE" 2
run_tool check
status "check without FILE" 2
run_tool digest "$T/no-such-file.toml"
status "digest missing file" 3
run_tool check "$T/no-such-file.toml"
status "check missing file" 3
for cmd in digest check; do
    run_tool "$cmd" --help
    status "$cmd --help" 0
    if grep -q "^Examples:" out && grep -q "initdata $cmd " out; then ok; else
        bad "$cmd --help has no examples"; fi
done

echo "digest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
