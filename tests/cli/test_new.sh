#!/bin/sh
# initdata new: documents read back (Python's tomllib as the independent
# oracle, and our own parser through `initdata toml-json`) to exactly the
# bytes of the files given, for many tricky and random contents; the seed
# document of the Init-Data page; Kata's test vector (sha256sum); determinism;
# the exit code and message of every error case; and the checks `new` runs
# on what it generated (the library's, as `initdata check` prints them).
#
# Needs python3 >= 3.11 (tomllib); exit 77 (skip) without it.  The seed
# comparison needs $IDT_SHARED/spec/seed-init-data-page.txt: it is skipped
# (counted as such) without the shared test data, and fails when the shared
# data is there but the page is not.
set -u
: "${INITDATA:?INITDATA must point at the initdata tool}"
python3 -c 'import tomllib' 2>/dev/null || { echo "new: skipped (no python3 tomllib)"; exit 77; }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
PASS=0
FAIL=0
SKIP=0
ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86"
UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87"
export ASAN_OPTIONS UBSAN_OPTIONS

pass() { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }

# expect CODE NEEDLE -- ARGS...: runs `initdata new ARGS`, checks the exit
# code and that stderr contains NEEDLE (and stdout is empty on failure).
expect() {
    code=$1 needle=$2
    shift 3
    "$INITDATA" new "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -ne "$code" ]; then
        fail "new $* -> exit $rc, want $code: $(cat "$T/err")"
    elif ! grep -qF -- "$needle" "$T/err"; then
        fail "new $* -> stderr lacks '$needle': $(cat "$T/err")"
    elif [ "$code" -ne 0 ] && [ -s "$T/out" ]; then
        fail "new $* printed a document although it failed"
    else
        pass
    fi
}

# ---- (a) round trips through tomllib and our parser, from Python ----------
# Prints one PASS/FAIL/SKIP line per check; the shell counts them.
cat >"$T/roundtrip.py" <<'EOF'
import json, os, random, subprocess, sys, tomllib

tool, tmp = sys.argv[1], sys.argv[2]
rng = random.Random(20260801)
TRICKY = [
    "", "\n", "\n\n", "x", "no final newline", "\nleading newline\n", "'", "''", "'''",
    "x'", "x''", "'x", "a'''b", "''''''''''", "\"", "\"\"", "\"\"\"", "x\"", "a\"\"\"\"b\"",
    "\\", "\\n is not a newline\\", "a\\\nb", "tab\there\t", "crlf\r\nline\r\n", "lone\rcr",
    "cr at end\r", "\r\n", "\x00nul\x00", "".join(chr(c) for c in range(32)) + "\x7f",
    "del\x7f", "h\u00e9llo w\u00f6rld \u2713 \U0001F600\n", "\ufeffbom", "\u2028\u2029",
    "\U0010FFFF\uE000\uD7FF", "#comment?\n[table]\nkey = 'v'\n", "'''\n\"\"\"\n'''\n",
    "ends with quote'", "ends with dq\"", "}\n{\n", "x = '''inner'''\n", "\\u0041\\U0001F600",
]
NAMES = ["we\"ird\\name", "spa ce.txt", "\u00fc.json", "tab\tname", "new\nline", "'quoted'",
         "x.rego", "dotted.key.name", "[brackets]", "#hash"]

def random_text(n):
    kind = rng.randrange(3)
    if kind == 0:  # random bytes, made UTF-8 the way a lossy decoder would
        return bytes(rng.randrange(256) for _ in range(n)).decode("utf-8", "replace")
    if kind == 1:  # random code points, no surrogates
        out = []
        for _ in range(n):
            c = rng.choice([rng.randrange(0x80), rng.randrange(0x80, 0x800),
                            rng.randrange(0x800, 0xD800), rng.randrange(0xE000, 0x110000)])
            out.append(chr(c))
        return "".join(out)
    return "".join(rng.choice("'\"\\\r\n\t\x00\x01\x7fab ") for _ in range(n))


def check(label, args, expect_data, expect_alg="sha256"):
    # --no-check: these contents test the writer, not the policy (most are
    # no policy the kata agent could load, which `new` would refuse).
    p = subprocess.run([tool, "new", "--no-check"] + args, capture_output=True)
    if p.returncode != 0:
        print(f"FAIL {label}: exit {p.returncode}: {p.stderr.decode(errors='replace')}")
        return
    doc = p.stdout
    try:
        parsed = tomllib.loads(doc.decode("utf-8"))
    except Exception as e:
        print(f"FAIL {label}: tomllib rejects the document: {e}")
        return
    want = {"version": "0.1.0", "algorithm": expect_alg, "data": expect_data}
    if parsed != want:
        bad = [k for k in set(want["data"]) | set(parsed.get("data", {}))
               if want["data"].get(k) != parsed.get("data", {}).get(k)]
        print(f"FAIL {label}: tomllib reads different data, entries {bad!r}")
        return
    if list(parsed["data"]) != list(expect_data):
        print(f"FAIL {label}: entry order {list(parsed['data'])!r}")
        return
    print(f"PASS {label} (tomllib)")
    # As TOML 1.0: `new` writes nothing a Kata 3.x agent cannot read.
    q = subprocess.run([tool, "toml-json", "--toml", "1.0", "-"], input=doc, capture_output=True)
    try:
        same = q.returncode == 0 and json.loads(q.stdout) == want
    except ValueError:
        same = False
    if not same:
        print(f"FAIL {label}: toml-json --toml 1.0 reads different data (exit "
              f"{q.returncode}): {q.stderr.decode(errors='replace')[:300]}")
    else:
        print(f"PASS {label} (toml-json --toml 1.0)")

def write(name, text):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(text.encode("utf-8", "surrogatepass"))
    return path

# One document per tricky content as the policy, one with all of them as entries.
for i, text in enumerate(TRICKY):
    check(f"policy #{i}", ["--policy", write(f"p{i}", text)], {"policy.rego": text})
args, data = ["--policy", write("empty", "")], {"policy.rego": ""}
for i, text in enumerate(TRICKY):
    name = f"{NAMES[i % len(NAMES)]}.{i}"
    args += ["--file", f"{name}={write(f't{i}', text)}"]
    data[name] = text
check("all tricky contents as entries", args, data)

# Random contents, 30 entries a document.
for d in range(40):
    args, data = ["--policy", write(f"rp{d}", random_text(rng.randrange(200)))], {}
    with open(args[1], "rb") as f:
        data["policy.rego"] = f.read().decode("utf-8")
    for k in range(30):
        name = f"r{d}-{k}" + rng.choice(["", ".toml", "\u00e9", " x"])
        text = random_text(rng.randrange(120))
        args += ["--file", f"{name}={write(f'r{d}-{k}', text)}"]
        data[name] = text
    check(f"random document {d}", args, data)

# A certificate and proxies with content that needs escaping inside aa/cdh.toml.
pem = "-----BEGIN CERTIFICATE-----\nMIIB'''\"\"\"\\x\r\n-----END CERTIFICATE-----\n"
url = 'https://kbs.example:8443/p?"q"'
p = subprocess.run([tool, "new", "--no-check", "--kbs-url", url, "--kbs-cert", write("c.pem", pem),
                    "--image-pull-proxy", "http://proxy:3128", "--no-proxy", "a, .b",
                    "--platform", "cca", "--policy", write("e", "")], capture_output=True)
try:
    d = tomllib.loads(p.stdout.decode())
    aa, cdh = tomllib.loads(d["data"]["aa.toml"]), tomllib.loads(d["data"]["cdh.toml"])
    ok = (d["algorithm"] == "sha512" and aa == {"token_configs": {"kbs": {"url": url, "cert": pem}}}
          and cdh == {"kbc": {"name": "cc_kbc", "url": url, "kbs_cert": pem},
                      "image": {"image_pull_proxy": {"https_proxy": "http://proxy:3128",
                                                     "no_proxy": "a, .b"}}})
    print("PASS cert and proxy inside aa.toml/cdh.toml" if ok
          else f"FAIL cert and proxy inside aa.toml/cdh.toml: {aa!r} {cdh!r}")
except Exception as e:
    print(f"FAIL cert and proxy: {e}: {p.stderr.decode()}")

# Invalid UTF-8 is refused naming the file and the offset Python finds.
for i in range(25):
    good = random_text(rng.randrange(50)).encode("utf-8", "surrogatepass")
    bad = good + bytes([rng.choice([0x80, 0xC0, 0xC1, 0xF5, 0xFF, 0xED, 0xE0, 0xF4])]) + \
        bytes(rng.randrange(256) for _ in range(rng.randrange(4)))
    try:
        bad.decode("utf-8")
        continue  # the random tail happened to make it valid
    except UnicodeDecodeError as e:
        offset = e.start
    path = os.path.join(tmp, f"bad{i}")
    with open(path, "wb") as f:
        f.write(bad)
    flag = rng.choice(["--policy", "--file"])
    arg = path if flag == "--policy" else f"bad={path}"
    p = subprocess.run([tool, "new", flag, arg], capture_output=True)
    err = p.stderr.decode(errors="replace")
    want = f"{path}: error: at byte {offset}: invalid UTF-8"
    if p.returncode == 1 and want in err and not p.stdout:
        print(f"PASS invalid UTF-8 #{i} at byte {offset}")
    else:
        print(f"FAIL invalid UTF-8 #{i}: exit {p.returncode}, want '{want}', got: {err}")
EOF
python3 "$T/roundtrip.py" "$INITDATA" "$T" >"$T/rt.log" 2>&1
grep '^FAIL' "$T/rt.log"
grep -v '^\(PASS\|FAIL\|SKIP\) ' "$T/rt.log" | head -20
PASS=$((PASS + $(grep -c '^PASS ' "$T/rt.log")))
FAIL=$((FAIL + $(grep -c '^FAIL ' "$T/rt.log")))
SKIP=$((SKIP + $(grep -c '^SKIP ' "$T/rt.log")))
grep -q '^PASS ' "$T/rt.log" || fail "the round-trip script ran no check"

# ---- (b) the seed document of the Init-Data page ---------------------------
SEED="${IDT_SHARED:-}/spec/seed-init-data-page.txt"
cat >"$T/seed.py" <<'EOF'
import sys, tomllib
page, ours, url = open(sys.argv[1]).read(), open(sys.argv[2]).read(), sys.argv[3]
# The page's full example: from the second `version = ` line (the first is the
# template with placeholders) to the end of the cdh.toml string.
start = page.index('version = "0.1.0"', page.index('version = "0.1.0"') + 1)
end = page.index("'''", page.index('"cdh.toml" = ' + "'''", start) + 20) + 3
seed = tomllib.loads(page[start:end].replace("http://1.2.3.4:8080", url))
mine = tomllib.loads(ours)
assert len([l for l in seed["data"]["policy.rego"].splitlines() if l.startswith("default ")]) == 36
assert mine == seed, (mine, seed)
print(f"PASS seed document with {url}")
EOF
if [ -f "$SEED" ]; then
    for url in http://1.2.3.4:8080 http://127.0.0.1:8080; do
        if "$INITDATA" new --kbs-url "$url" >"$T/seed.toml" &&
            python3 "$T/seed.py" "$SEED" "$T/seed.toml" "$url" >/dev/null 2>"$T/seed.err"; then
            pass
        else
            fail "seed document with $url: $(tail -3 "$T/seed.err")"
        fi
    done
elif [ -d "${IDT_SHARED:-}/testdata" ]; then
    fail "seed document: $SEED is missing from the shared test data"
else
    SKIP=$((SKIP + 2))
    echo "SKIP seed document: no shared test data (IDT_SHARED='${IDT_SHARED:-}')"
fi

# ---- Kata's vector, byte for byte (the digest in facts section 2) ----------
# Its empty policy.rego and cdh.toml are errors to the consumers: --no-check.
: >"$T/empty"
"$INITDATA" new --no-check --layout kata --policy "$T/empty" --file "cdh.toml=$T/empty" \
    --file "aa.toml=$T/empty" >"$T/kata.toml" 2>/dev/null
sum=$(sha256sum <"$T/kata.toml" | cut -d' ' -f1)
if [ "$sum" = c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5 ]; then
    pass
else
    fail "kata vector digest $sum"
fi
if [ "$(wc -c <"$T/kata.toml")" -eq 113 ]; then pass; else fail "kata vector size"; fi

# ---- (c) determinism, -o, stdin ---------------------------------------------
printf 'package agent_policy\ndefault X := true\n' >"$T/pol.rego"
set -- --kbs-url https://kbs:8443 --policy "$T/pol.rego" --file "x.json=$T/pol.rego" --platform tdx
if "$INITDATA" new "$@" >"$T/d1" && "$INITDATA" new "$@" >"$T/d2" &&
    cmp -s "$T/d1" "$T/d2"; then
    pass
else
    fail "two runs differ"
fi
if "$INITDATA" new "$@" -o "$T/d3" && cmp -s "$T/d1" "$T/d3"; then
    pass
else
    fail "-o FILE differs"
fi
echo old >"$T/d4"
if "$INITDATA" new "$@" -o "$T/d4" && cmp -s "$T/d1" "$T/d4"; then
    pass
else
    fail "-o does not replace"
fi
if [ -z "$(find "$T" -name 'd4.tmp.*')" ]; then pass; else fail "-o left a temporary file"; fi
if "$INITDATA" new --kbs-url https://kbs:8443 --policy - --file "x.json=$T/pol.rego" \
    --platform tdx <"$T/pol.rego" >"$T/d5" && cmp -s "$T/d1" "$T/d5"; then
    pass
else
    fail "--policy - (stdin) differs"
fi
if "$INITDATA" new --platform cca >"$T/cca" && grep -qx 'algorithm = "sha512"' "$T/cca"; then
    pass
else
    fail "--platform cca does not pick sha512"
fi
if "$INITDATA" new --platform vtpm --platform snp >"$T/vtpm" &&
    grep -qx 'algorithm = "sha256"' "$T/vtpm"; then
    pass
else
    fail "--platform vtpm"
fi
if "$INITDATA" new -a sha384 >"$T/384" && grep -qx 'algorithm = "sha384"' "$T/384"; then
    pass
else
    fail "--algorithm sha384"
fi
if "$INITDATA" new >"$T/bare" && ! grep -q 'aa.toml\|cdh.toml' "$T/bare" &&
    grep -q '^"policy.rego" = ' "$T/bare"; then
    pass
else
    fail "no --kbs-url still writes aa/cdh.toml"
fi
# `initdata check` (the consumers' rules, entries included) accepts what
# `new` writes.
for f in d1 cca vtpm 384 bare; do
    if "$INITDATA" check "$T/$f" >/dev/null 2>"$T/check.err"; then
        pass
    else
        fail "initdata check rejects the '$f' document: $(cat "$T/check.err")"
    fi
done
if "$INITDATA" new --help >"$T/help" && grep -q '^Examples:' "$T/help" &&
    grep -q -- '--image-pull-proxy' "$T/help"; then
    pass
else
    fail "--help"
fi

# ---- (d) errors: exit codes and messages ------------------------------------
printf -- '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' >"$T/c.pem"
printf 'ok\n\377' >"$T/bad.utf8"
expect 3 "$T/missing: error: cannot open" -- --policy "$T/missing"
expect 3 "cannot open" -- --file "x=$T/missing"
expect 3 "cannot open" -- --kbs-url http://k --kbs-cert "$T/missing"
expect 2 "unknown option '--bogus'" -- --bogus
expect 2 "needs a value" -- --kbs-url
expect 2 "--file wants NAME=PATH" -- --file noequals
expect 2 "--file wants NAME=PATH" -- --file "=$T/pol.rego"
expect 2 "--file wants NAME=PATH" -- --file "name="
expect 2 "--algorithm: algorithm \"sha-256\" is not supported" -- --algorithm sha-256
expect 2 "sm3 is accepted by the attestation-agent and Trustee but rejected by kata" -- -a sm3
expect 2 "--platform: unknown platform \"arm\"" -- --platform arm
expect 2 "--algorithm conflicts with --platform: algorithm sha256 does not work on cca: Trustee compares" \
    -- --platform cca --algorithm sha256
expect 2 "algorithm sha512 does not work on vtpm" -- --algorithm sha512 --platform vtpm
expect 2 "no algorithm works on both cca (sha512 only) and vtpm (sha256 only)" \
    -- --platform cca --platform vtpm
expect 2 "entry \"aa.toml\" collides with the aa.toml generated from the KBS URL" \
    -- --kbs-url http://k --file "aa.toml=$T/pol.rego"
expect 2 "entry \"policy.rego\" collides" -- --file "policy.rego=$T/pol.rego"
expect 2 "entry \"x\" is given twice" -- --file "x=$T/pol.rego" --file "x=$T/pol.rego"
expect 2 "a KBS certificate needs a KBS URL" -- --kbs-cert "$T/c.pem"
expect 2 "an image pull proxy needs a KBS URL" -- --image-pull-proxy http://p:3128
expect 2 "a no_proxy list needs an image pull proxy" -- --kbs-url http://k --no-proxy x
expect 2 "must start with http:// or https://" -- --kbs-url ftp://k
expect 2 "is not a URL" -- --kbs-url localhost:8080
expect 2 "contains a space at byte 8" -- --kbs-url 'http://k y'
expect 2 "standard input ('-') can be read only once" -- --policy - --file x=-
expect 1 "$T/bad.utf8: error: at byte 3: invalid UTF-8 on line 2, column 1" -- --policy "$T/bad.utf8"
expect 1 "$T/empty: error: the KBS certificate has no \"-----BEGIN CERTIFICATE-----\" line" \
    -- --kbs-url http://k --kbs-cert "$T/empty"
head -c 4194305 /dev/zero | tr '\0' a >"$T/big"
expect 1 "larger than the limit of 4194304 bytes" -- --policy "$T/big"

# ---- (e) the library's checks on the new document ---------------------------
# Errors: exit 1, nothing written, printed as `check` prints them.
expect 1 "<new document>:4:17: error: policy.rego is empty: a policy starts with \`package agent_policy\` (the kata agent cannot load it) [IDT-POL001]" \
    -- --policy "$T/empty"
if grep -F -x -q "initdata new: nothing was written" "$T/err"; then pass; else fail "no 'nothing was written' line: $(cat "$T/err")"; fi
if grep -F -x -q "<new document>: invalid: 1 error, 0 warnings (rejected by kata)" "$T/err"; then pass; else fail "no summary line: $(cat "$T/err")"; fi
# The package rules are the library's, stricter than a line search: another
# package that starts with agent_policy, and a package that does not come first.
printf 'package agent_policy_v2\ndefault CreateContainerRequest := true\n' >"$T/other.rego"
expect 1 "policy.rego:1:9: package \"agent_policy_v2\" is not agent_policy" -- --policy "$T/other.rego"
if grep -q 'IDT-POL002' "$T/err"; then pass; else fail "package agent_policy_v2: no IDT-POL002"; fi
printf 'default CreateContainerRequest := true\npackage agent_policy\n' >"$T/late.rego"
expect 1 "does not start with a package declaration" -- --policy "$T/late.rego"
# -o is left alone on an error.
echo old >"$T/kept"
expect 1 "[IDT-POL001]" -- --policy "$T/empty" -o "$T/kept"
if [ "$(cat "$T/kept")" = old ]; then pass; else fail "-o replaced on an error"; fi
# Warnings are printed and the document is written.
printf 'package agent_policy\ndefault CreateContainerRequst := true\n' >"$T/typo.rego"
expect 0 "<new document>:6:9: warning: policy.rego:2:9: default rule \"CreateContainerRequst\" is not a request the kata agent knows" \
    -- --policy "$T/typo.rego"
if grep -q '^"policy.rego" = ' "$T/out"; then pass; else fail "a warning kept the document from being written"; fi
if grep -q 'IDT-POL003' "$T/err"; then pass; else fail "typo: no IDT-POL003"; fi
# Platforms given are checked as `check --platform` checks them (no notes).
expect 0 "<new document>:2:13: warning: se with a sha256 document: nobody checks the IBM SE binding" \
    -- --platform se
if grep -q ': note: ' "$T/err"; then fail "new printed notes: $(cat "$T/err")"; else pass; fi
# The same words as `check` prints for the written document (--no-check
# writes it; check names it by its path and also prints notes).
if "$INITDATA" new --no-check --policy "$T/other.rego" --platform se >"$T/nc.toml" 2>"$T/nc.err" && [ ! -s "$T/nc.err" ]; then pass; else fail "--no-check: exit $? or output: $(cat "$T/nc.err")"; fi
"$INITDATA" new --policy "$T/other.rego" --platform se 2>&1 >/dev/null |
    grep -v -e '^initdata new: ' -e ': invalid: ' >"$T/new.diag"
"$INITDATA" check --platform se "$T/nc.toml" 2>&1 | sed "s|^$T/nc.toml|<new document>|" |
    awk '/: note: /{skip=3} skip{skip--; next} {print}' | grep -v ': invalid: ' >"$T/check.diag"
if [ -s "$T/new.diag" ] && cmp -s "$T/new.diag" "$T/check.diag"; then pass; else
    fail "new and check word the findings differently: $(diff "$T/new.diag" "$T/check.diag")"
fi

echo "new: $PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
