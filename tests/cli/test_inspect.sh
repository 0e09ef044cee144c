#!/bin/sh
# `initdata inspect` against independent oracles, on every Init-Data
# document in the shared test data (the .b64 annotations and the genpolicy
# YAML's annotation through `initdata decode`) and on documents generated
# here (always; the only ones when ../shared is absent):
#   - version, algorithm, entries (names in order, sizes, lines): tomllib;
#   - digest and every binding value (pad/truncate, vTPM PCR 8 by both
#     rules, QEMU fragments): hashlib and base64;
#   - annotation size: the length of `initdata encode` without its newline,
#     whose value gunzips (Python's gzip) back to the exact bytes; the
#     budget percentage recomputed in Python;
#   - image size and N: `initdata image create`, checked with Python's gzip;
#   - warnings: the platform gotchas of the facts (section 3) by algorithm;
#   - the JSON field names (the documented schema), stdin = file;
#   - the text report: every value present, binding values aligned;
#   - invalid documents (ours and toml-test's): exit 1, nothing on stdout,
#     the same diagnostics as `initdata check`.
#
# Env: INITDATA (the tool), IDT_SHARED (../shared; optional).
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
S=${IDT_SHARED:-}/testdata

# --- the documents ------------------------------------------------------------
# $T/docs: one "PATH|OPTIONS" per line (OPTIONS: extra inspect flags).
: >"$T/docs"
n=0
if [ -d "$S" ]; then
    for f in "$S"/kata/*.toml "$S"/caa/*.toml "$S"/trustee/*.toml; do
        [ -f "$f" ] && echo "$f|" >>"$T/docs"
    done
    for b in "$S"/*/*.b64; do
        n=$((n + 1))
        name=$(basename "$b" .b64)
        if "$INITDATA" decode "$b" >"$T/b64-$n-$name.toml" 2>"$T/err"; then
            echo "$T/b64-$n-$name.toml|" >>"$T/docs"
        elif [ "$name" = doc-pod-annotation ]; then
            # EXPECTED.md: one '=' short of valid base64; nothing to inspect.
            same "decode $name fails" 1 "$(grep -c "'=' short" "$T/err")"
        else
            bad "initdata decode $b failed: $(cat "$T/err")"
        fi
    done
    y=$S/kata/genpolicy-sample-pod-one-container.yaml
    if shared_file "$y"; then
        sed -n 's/^ *io\.katacontainers\.config\.hypervisor\.cc_init_data: *//p' "$y" >"$T/gp.b64"
        if "$INITDATA" decode "$T/gp.b64" >"$T/genpolicy.toml"; then
            echo "$T/genpolicy.toml|" >>"$T/docs"
        else
            bad "initdata decode of the genpolicy annotation failed"
        fi
    fi
else
    echo "inspect: no shared test data at '$S'; generated documents only"
fi

# Generated: every algorithm, CRLF/tab/non-ASCII/empty contents, no final
# newline, dotted keys and an inline table, names with control characters,
# sm3, and a document whose annotation is over the budget.
mkdir "$T/gen"
python3 - "$T/gen" <<'PY'
import os, random, sys
d = sys.argv[1]
def put(name, text):
    with open(os.path.join(d, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)
body = '''[data]
"aa.toml" = \'\'\'
[token_configs.kbs]
url = "https://kbs.example:8080"
\'\'\'
"crlf.txt" = "one\\r\\ntwo\\r\\n"
"tabs and ünïcödé ✓" = "a\\tb\\nsecond line without newline"
"empty" = ""
"policy.rego" = \'\'\'
package agent_policy
default CreateContainerRequest := true
\'\'\'
'''
for alg in ("sha256", "sha384", "sha512"):
    put(f"gen-{alg}.toml", f'version = "0.1.0"\nalgorithm = "{alg}"\n' + body)
put("gen-dotted.toml", 'version = "0.1.0"\nalgorithm = "sha384"\nextra = 1\n'
    'data."x.toml" = "x = 1\\n"\ndata.y = \'y\'')  # no final newline
put("gen-inline.toml", 'version = "0.1.0"\r\nalgorithm = "sha512"\r\n'
    'data = { "a" = "1", "b" = """\r\ntwo\r\nlines""" }\r\n')
put("gen-noentries.toml", 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n')
put("gen-ctlname.toml", 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n'
    '"a\\u0001b" = "ctl"\n"new\\nline" = "nl"\n')
put("gen-sm3.toml", 'version = "0.1.0"\nalgorithm = "sm3"\n[data]\n"a" = "b"\n')
# Random base64 text barely compresses (6 bits a byte): 380000 characters
# make an annotation of about 384 KB, over the 262144-byte budget.
rnd = random.Random(7)
alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
blob = "\n".join("".join(rnd.choice(alphabet) for _ in range(76)) for _ in range(5000))
put("gen-overbudget.toml", 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n'
    '"blob" = \'\'\'\n' + blob + "\n'''\n")
PY
for f in "$T"/gen/*.toml; do
    case $f in
    *sm3*) echo "$f|--allow-sm3" >>"$T/docs" ;;
    *) echo "$f|" >>"$T/docs" ;;
    esac
done

# --- each valid document against the oracles --------------------------------
cat >"$T/oracle.py" <<'PY'
import base64, gzip, hashlib, json, re, sys, tomllib
doc_path, opts, jf, js, tf, enc_path, enc_rc, img_path, img_rc = sys.argv[1:]
name = doc_path.rsplit("/", 1)[-1]
raw = open(doc_path, "rb").read()
out = []
def check(what, cond, detail=""):
    out.append(("ok " if cond else "FAIL ") + f"{name}: {what}" + ("" if cond else f": {detail}"))
def eq(what, want, got):
    check(what, want == got, f"want {want!r}, got {got!r}")

def lines(b):
    return b.count(b"\n") + (1 if b and not b.endswith(b"\n") else 0)

BUDGET = 262144
FIELDS = {"tdx": ("MRCONFIGID", 48, "mrconfigid"), "snp": ("HOST_DATA", 32, "host-data"),
          "cca": ("Realm Personalization Value", 64, "personalization-value"),
          "sgx": ("CONFIGID", 64, None), "se": ("user data", 256, None)}
b64 = lambda b: base64.b64encode(b).decode()

t = tomllib.loads(raw.decode("utf-8"))
alg = t["algorithm"]
d = hashlib.new(alg, raw).digest()
j = json.load(open(jf))

# schema: exactly the documented fields
eq("top-level keys", ["algorithm", "annotation", "bindings", "digest", "entries", "file", "image",
                      "lines", "size", "version", "warnings"], sorted(j))
eq("file", doc_path, j["file"])
eq("version", t["version"], j["version"])
eq("algorithm", alg, j["algorithm"])
eq("size", len(raw), j["size"])
eq("lines", lines(raw), j["lines"])
want_entries = [{"name": k, "size": len(v.encode()), "lines": lines(v.encode())}
                for k, v in t["data"].items()]
eq("entries", want_entries, j["entries"])
eq("digest", {"hex": d.hex(), "base64": b64(d)}, j["digest"])

bnd = j["bindings"]
eq("binding platforms", ["cca", "se", "sgx", "snp", "tdx", "vtpm"], sorted(bnd))
for p, (field, size, prop) in FIELDS.items():
    v = (d + bytes(size))[:size]
    eq(f"{p} binding", {"field": field, "size": size, "hex": v.hex(), "base64": b64(v),
                        "qemu": f"{prop}={b64(v)}" if prop else None}, bnd[p])
vt = bnd["vtpm"]
eq("vtpm keys", ["aa", "field", "peerpods", "size"], sorted(vt))
eq("vtpm size", 32, vt["size"])
pp = hashlib.sha256(bytes(32) + d[:32]).digest()
eq("vtpm peerpods", {"hex": pp.hex(), "base64": b64(pp), "error": None}, vt["peerpods"])
if len(d) == 32:
    aa = hashlib.sha256(bytes(32) + d).digest()
    eq("vtpm aa", {"hex": aa.hex(), "base64": b64(aa), "error": None}, vt["aa"])
else:
    eq("vtpm aa unavailable", (None, None), (vt["aa"]["hex"], vt["aa"]["base64"]))
    check("vtpm aa reason", isinstance(vt["aa"]["error"], str)
          and f"{len(d)} bytes" in vt["aa"]["error"] and "32-byte" in vt["aa"]["error"],
          vt["aa"]["error"])

ann = j["annotation"]
eq("annotation keys", ["budget", "budget_percent", "over_budget", "size"], sorted(ann))
eq("budget", BUDGET, ann["budget"])
eq("budget_percent", round(ann["size"] * 100 / BUDGET, 2), ann["budget_percent"])
eq("over_budget", ann["size"] > BUDGET, ann["over_budget"])
img = j["image"]
eq("image keys", ["gzip_size", "size"], sorted(img))
eq("annotation size = base64 length of N gzip bytes", 4 * ((img["gzip_size"] + 2) // 3),
   ann["size"])
eq("image size = 16 + N padded to 512", (16 + img["gzip_size"] + 511) // 512 * 512, img["size"])
if enc_rc == "0":
    enc = open(enc_path, "rb").read()
    check("encode output ends in one newline", enc.endswith(b"\n") and enc.count(b"\n") == 1)
    enc = enc.rstrip(b"\n")
    eq("annotation size = len(initdata encode)", len(enc), ann["size"])
    gz = base64.b64decode(enc, validate=True)
    eq("annotation gunzips to the document", raw, gzip.decompress(gz))
    eq("gzip_size = the annotation's gzip length", len(gz), img["gzip_size"])
else:
    # Only a value over the budget may make `initdata encode` fail; check
    # the gzip size against Python's compressor (random text: within 2%).
    check("encode fails only over budget", ann["over_budget"], f"encode exit {enc_rc}")
    pz = len(gzip.compress(raw, 9))
    check("gzip_size near Python's gzip", abs(img["gzip_size"] - pz) <= pz // 50,
          f"{img['gzip_size']} vs {pz}")
if img_rc == "0":
    im = open(img_path, "rb").read()
    eq("image size = len(image create)", len(im), img["size"])
    eq("image magic", b"initdata", im[:8])
    nn = int.from_bytes(im[8:16], "little")
    eq("image N", nn, img["gzip_size"])
    eq("image gunzips to the document", raw, gzip.decompress(im[16:16 + nn]))
    eq("image padding is zero", bytes(len(im) - 16 - nn), im[16 + nn:])
else:
    check("image create fails only over budget", ann["over_budget"], f"exit {img_rc}")

want_warn = ["sgx", "se"]
if alg != "sha512":
    want_warn.append("cca")
if len(d) != 32:
    want_warn.append("vtpm")
if ann["size"] > BUDGET:
    want_warn.append("annotation")
if alg == "sm3":
    want_warn.append("document")
eq("warnings about", sorted(want_warn), sorted(w["about"] for w in j["warnings"]))
check("warnings have messages", all(isinstance(w["message"], str) and w["message"]
                                    and sorted(w) == ["about", "message"] for w in j["warnings"]))
for w in j["warnings"]:
    if w["about"] == "cca":
        check("cca warning names sha512 and Trustee", "sha512" in w["message"]
              and "Trustee" in w["message"], w["message"])
    if w["about"] == "vtpm":
        check("vtpm warning names sha256", "sha256" in w["message"], w["message"])

jstdin = json.load(open(js))
eq("stdin file name", "<stdin>", jstdin["file"])
jstdin["file"] = j["file"]
eq("stdin report = file report", j, jstdin)

# The text report: the values, and the binding values in one column.
text = open(tf, encoding="utf-8").read()
tl = text.split("\n")
def has_line(what, regex):
    check(f"text {what}", any(re.fullmatch(regex, l) for l in tl), regex)
has_line("version", r"version: +0\.1\.0")
has_line("algorithm", rf"algorithm: +{alg}")
has_line("size", rf"size: +{len(raw)} bytes, {lines(raw)} lines?")
has_line("entry count", rf"entries: +{len(t['data'])}")
for e in want_entries:
    shown = "".join(c if 0x20 <= ord(c) != 0x7f else "\\x%02x" % ord(c) for c in e["name"])
    has_line(f"entry {shown}", rf"  {re.escape(shown)} +{e['size']} bytes? +{e['lines']} lines?")
has_line("digest", rf"digest: +{d.hex()}")
bstart = next((k for k, l in enumerate(tl) if l.startswith("bindings:")), 0)
bend = next((k for k, l in enumerate(tl) if l.startswith("annotation:")), 0)
rows = [l for l in tl[bstart:bend] if re.match(r"  (tdx|snp|cca|sgx|se|vtpm) ", l)]
eq("binding rows", 7, len(rows))
cols = set()
for p, (field, size, _) in FIELDS.items():
    i = next(k for k in range(bstart, bend) if tl[k].startswith(f"  {p} "))
    m = re.fullmatch(rf"  {p} +{re.escape(field)} +{size}  ([0-9a-f]+)", tl[i])
    check(f"text {p} row", m is not None, tl[i])
    if not m:
        continue
    cols.add(m.start(1))
    value, k = m.group(1), i + 1
    while k < len(tl) and re.fullmatch(r" +[0-9a-f]+", tl[k]):
        check(f"text {p} continuation aligned", len(tl[k]) - len(tl[k].lstrip()) == m.start(1))
        value += tl[k].strip()
        k += 1
    eq(f"text {p} value", (d + bytes(size))[:size].hex(), value)
for rule, want in (("attestation-agent", vt["aa"]["hex"] or "none: "), ("peer-pods", pp.hex())):
    l = next((l for l in rows if l.startswith("  vtpm ") and f"PCR 8, {rule} rule" in l), "")
    m = re.match(r"  vtpm +PCR 8, [a-z-]+ rule +32  (.*)", l)
    check(f"text vtpm {rule}", m is not None and m.group(1).startswith(want), l)
    if m:
        cols.add(m.start(1))
eq("text binding values in one column", 1, len(cols))
pct = "%.2f" % (ann["size"] * 100 / BUDGET)
has_line("annotation", rf"annotation: +{ann['size']} bytes, {pct}% of Kubernetes' 262144-byte "
         r"annotation budget( \(\d+ bytes over\))?")
has_line("image", rf"image: +{img['size']} bytes \(16-byte header, {img['gzip_size']} bytes of "
         r"gzip, zero padding to 512\)")
for w in j["warnings"]:
    has_line(f"warning {w['about']}", rf"  {w['about']} +{re.escape(w['message'])}")
print("\n".join(out))
PY

n=0
while IFS='|' read -r f opt; do
    n=$((n + 1))
    name=${f##*/}
    # shellcheck disable=SC2086  # opt is zero or one option
    run_tool inspect $opt --json "$f"
    same "inspect --json $name (exit status)" 0 "$rc"
    cp "$T/out" "$T/j.json"
    # shellcheck disable=SC2086  # opt is zero or one option
    "$INITDATA" inspect $opt --json - <"$f" >"$T/js.json" 2>"$T/err"
    # shellcheck disable=SC2086  # opt is zero or one option
    run_tool inspect $opt "$f"
    same "inspect $name (exit status)" 0 "$rc"
    cp "$T/out" "$T/text"
    "$INITDATA" encode "$f" >"$T/enc" 2>/dev/null
    enc_rc=$?
    "$INITDATA" image create "$f" -o "$T/img" 2>/dev/null
    img_rc=$?
    python3 "$T/oracle.py" "$f" "$opt" "$T/j.json" "$T/js.json" "$T/text" "$T/enc" "$enc_rc" \
        "$T/img" "$img_rc" >"$T/verdicts" 2>&1 || bad "$name: oracle crashed: $(tail -3 "$T/verdicts")"
    while read -r verdict rest; do
        case $verdict in
        ok) ok ;;
        *) bad "$rest" ;;
        esac
    done <"$T/verdicts"
    rm -f "$T/img"
done <"$T/docs"
same "documents inspected (at least our 9)" yes "$([ "$n" -ge 9 ] && echo yes)"

# --- invalid documents: exit 1, stdout empty, the errors `check` reports -----
# check_like NAME FILE [OPTIONS]: inspect (text and --json) must exit 1 with
# nothing on stdout and print the error lines check prints: same positions,
# same messages (check may append a code, like " [IDT-DOC002]").
cat >"$T/same_errors.py" <<'PY'
import re, sys
def errors(path):
    return [m.groups() for m in (re.match(r"(.*):(\d+):(\d+): error: (.*)", l)
                                 for l in open(path, encoding="utf-8", errors="replace")) if m]
want = errors(sys.argv[1])
for path in sys.argv[2:]:
    got = errors(path)
    if not got or [g[:3] for g in got] != [w[:3] for w in want] or \
            any(not w[3].startswith(g[3]) for g, w in zip(got, want)):
        print(f"{path}: {got} != {want}")
        sys.exit()
print("ok")
PY
check_like() {
    cname=$1 file=$2
    shift 2
    "$INITDATA" check "$@" "$file" 2>"$T/cerr" >/dev/null
    for mode in text --json; do
        # shellcheck disable=SC2046  # no option for text
        run_tool inspect $([ "$mode" = text ] || echo "$mode") "$@" "$file"
        if [ "$rc" = 1 ] && [ ! -s "$T/out" ]; then ok; else
            bad "inspect ($mode) $cname: want exit 1 and empty stdout; got exit $rc"
        fi
        mv "$T/err" "$T/err-$mode"
    done
    same "inspect $cname: the errors of check" ok \
        "$(python3 "$T/same_errors.py" "$T/cerr" "$T/err-text" "$T/err---json")"
}
printf 'version = "0.2.0"\nalgorithm = "sha-256"\n[data]\n"a" = 1\n' >"$T/bad-three.toml"
printf 'version = "0.1.0"\nalgorithm = "sm3"\n[data]\n' >"$T/bad-sm3.toml"
printf 'version = "0.1.0"\n[data]\n' >"$T/bad-missing.toml"
printf 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n"a" = """x\n' >"$T/bad-toml.toml"
printf 'version = "0.1.0"\nalgorithm = "sha256"\ndata = "x"\n' >"$T/bad-type.toml"
for f in "$T"/bad-*.toml; do
    check_like "${f##*/}" "$f"
done
run_tool inspect - <"$T/bad-three.toml"
same "inspect - < invalid (exit status)" 1 "$rc"
same "inspect - < invalid names <stdin>" 3 "$(grep -c '^<stdin>:[0-9]*:[0-9]*: error: ' "$T/err")"
run_tool inspect "$T/bad-three.toml"
same "inspect invalid: all three errors" 3 "$(grep -c ': error: ' "$T/err")"

# toml-test's TOML 1.0 cases: none is an Init-Data document.  Every eighth
# case keeps the run short under sanitizers.
L=$S/toml-test/tests/files-toml-1.0.0
if shared_file "$L"; then
    k=0
    grep -E '^(valid|invalid)/.*\.toml$' "$L" >"$T/tt"
    while read -r rel; do
        k=$((k + 1))
        [ $((k % 8)) = 0 ] || continue
        check_like "toml-test $rel" "$S/toml-test/tests/$rel"
    done <"$T/tt"
fi

# --- command line -------------------------------------------------------------
run_tool inspect --help
same "--help (exit status)" 0 "$rc"
same "--help has an example" 1 "$(grep -c '^  \$ initdata inspect --json' "$T/out")"
run_tool inspect
same "no FILE (exit status)" 2 "$rc"
run_tool inspect --bogus "$T/gen/gen-sha256.toml"
same "unknown option (exit status)" 2 "$rc"
run_tool inspect "$T/no-such-file.toml"
same "missing file (exit status)" 3 "$rc"
same "missing file: nothing on stdout" "" "$(cat "$T/out")"
run_tool inspect "$T/gen/gen-sm3.toml"
same "sm3 without --allow-sm3 (exit status)" 1 "$rc"

echo "inspect: $pass passed, $fail failed"
[ "$fail" = 0 ]
