#!/bin/sh
# `initdata apply` (initdata-facts §3, §5, §8) with real parts and independent
# oracles:
#   - vTPM: a swtpm TPM 2.0 simulator started here on loopback (free ports,
#     stopped by PID, a trap that always stops it), PCR 8 checked with
#     tpm2_pcrread from tpm2-tools and SHA-256 in Python;
#   - TDX and SNP: staged --root trees holding real report bytes from
#     $IDT_SHARED/testdata/trustee/evidence (a TD report body turned into a
#     TDREPORT, SNP reports) with the binding field patched: match, mismatch,
#     zero; synthetic reports of the same layout when the shared data is
#     absent;
#   - installs compared with Python's tomllib reading of the document;
#   - crash safety: SIGKILL at every step of an install (tests/tools/
#     apply_crash, a hook in a test program) and at random times of the real
#     tool, and the target is always the old install, no install, or the
#     complete new one;
#   - hostile sources: bad magic, N past the device, N at the cap plus one,
#     a gzip bomb, a data key ../etc/passwd, symlinks planted on the target
#     path, two initdata disks.  What each printed is shown at the end and
#     kept in $IDT_BUILD_DIR/apply-hostile.txt.
#
# Env: INITDATA, IDT_TOOL_apply_crash, IDT_BUILD_DIR, IDT_SHARED (optional).
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
S=${IDT_SHARED:-}/testdata
EV=$S/trustee/evidence
# shellcheck source=tests/swtpm.sh
. "$(dirname "$0")/../swtpm.sh"

# --- helpers --------------------------------------------------------------------
apply() { run_tool apply "$@"; }
# expect NAME EXIT [MESSAGE-PART]: checks the last run
expect() {
    if [ "$rc" -ne "$2" ]; then
        bad "$1: exit $rc, want $2: $(cat "$T/err")"
    elif [ $# -ge 3 ] && ! grep -F -q -- "$3" "$T/err"; then
        bad "$1: stderr lacks '$3': $(cat "$T/err")"
    else
        ok
    fi
}
HOSTILE=$T/hostile.txt
: >"$HOSTILE"
# hostile NAME: records what the last run printed
hostile() {
    {
        printf '=== %s (exit %s)\n' "$1" "$rc"
        cat "$T/err"
        echo
    } >>"$HOSTILE"
}
absent() { if [ ! -e "$2" ] && [ ! -L "$2" ]; then ok; else bad "$1: $2 exists"; fi; }
# same_tree NAME WANT GOT: the same files with the same bytes
same_tree() {
    if diff -r -q "$2" "$3" >/dev/null 2>&1; then ok; else bad "$1: $3 differs from $2"; fi
}
hexsha256() { sha256sum "$1" | cut -d' ' -f1; }

cat >"$T/oracle.py" <<'PY'
import hashlib, os, struct, sys, tomllib

def rd(p): return open(p, "rb").read()
def wr(p, b):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").write(b)

def field(doc, n):
    d = hashlib.new(tomllib.loads(rd(doc).decode())["algorithm"], rd(doc)).digest()
    return (d + bytes(n))[:n]

def patched(value, mode):
    if mode == "zero": return bytes(len(value))
    if mode == "mismatch": return bytes([value[0] ^ 0x80]) + value[1:]
    return value

def synthetic(n, seed):
    out, h = b"", seed.encode()
    while len(out) < n:
        h = hashlib.sha256(h).digest(); out += h
    return out[:n]

cmd, a = sys.argv[1], sys.argv[2:]
if cmd == "tdreport":         # QUOTE|- DOC MODE OUT: TDREPORT from a TD quote v4 body
    q = rd(a[0]) if a[0] != "-" else synthetic(632, "tdx")
    body = q[48:48 + 584]
    rep = bytearray(1024)
    rep[0] = 0x81                          # REPORTMACSTRUCT type: TDX
    rep[128:192] = body[520:584]           # REPORTDATA
    rep[256:256 + 120] = body[0:120]       # TEE_TCB_INFO: TCB SVN, MRSEAM, MRSIGNERSEAM, attributes
    rep[512:912] = body[120:520]           # TDINFO: attributes .. RTMR3
    rep[576:624] = patched(field(a[1], 48), a[2])   # MRCONFIGID
    wr(a[3], bytes(rep))
elif cmd == "mrconfigid":     # QUOTE|- DOC MODE OUT: the sysfs file, from the patched quote
    q = bytearray(rd(a[0]) if a[0] != "-" else synthetic(632, "tdx"))
    q[232:280] = patched(field(a[1], 48), a[2])
    wr(a[3], bytes(q[232:280]))
elif cmd == "snp":            # REPORT|- DOC MODE OUT [response]
    r = bytearray(rd(a[0]) if a[0] != "-" else b"\x02\0\0\0" + synthetic(1180, "snp"))
    r[192:224] = patched(field(a[1], 32), a[2])
    if len(a) > 4:            # the 4000-byte SNP_GET_REPORT response
        r = struct.pack("<II", 0, len(r)) + bytes(24) + bytes(r) + bytes(4000 - 32 - len(r))
    wr(a[3], bytes(r))
elif cmd == "field":          # DOC N MODE: hex of the field
    print(patched(field(a[0], int(a[1])), a[2]).hex())
elif cmd == "extend":         # PCR_HEX DATA_HEX: SHA-256(PCR || DATA)
    print(hashlib.sha256(bytes.fromhex(a[0]) + bytes.fromhex(a[1])).hexdigest())
elif cmd == "digest":         # DOC: hex digest with the document's algorithm
    print(field(a[0], 64)[:hashlib.new(tomllib.loads(rd(a[0]).decode())["algorithm"]).digest_size].hex())
elif cmd == "check":          # DIR DOC LAYOUT ALL: the install is exactly right
    d, doc, layout, allent = a[0], a[1], a[2], a[3] == "1"
    data = tomllib.loads(rd(doc).decode())["data"]
    want = {}
    for k, v in data.items():
        if k in ("aa.toml", "cdh.toml", "policy.rego") or allent:
            want[k] = v.encode()
    if layout == "kata":
        want["initdata.toml"] = rd(doc)
    else:
        want["initdata.digest"] = hashlib.new(tomllib.loads(rd(doc).decode())["algorithm"], rd(doc)).hexdigest().encode()
    got = sorted(os.listdir(d))
    if got != sorted(want):
        print("files %s, want %s" % (got, sorted(want))); sys.exit(1)
    for k, v in want.items():
        p = os.path.join(d, k)
        if rd(p) != v: print("%s differs" % k); sys.exit(1)
        if os.stat(p).st_mode & 0o7777 != 0o644: print("%s mode %o" % (k, os.stat(p).st_mode)); sys.exit(1)
    if os.stat(d).st_mode & 0o7777 != 0o755: print("directory mode"); sys.exit(1)
elif cmd == "header":         # MAGIC N SIZE OUT: a device of SIZE bytes with this header
    with open(a[3], "wb") as f:
        f.write(a[0].encode() + struct.pack("<Q", int(a[1])))
        f.truncate(int(a[2]))
elif cmd == "maxrss":         # ARGS...: run; print its exit status and peak RSS in KiB
    import resource, subprocess
    p = subprocess.run(a, stdout=subprocess.DEVNULL, stderr=open(os.environ["ERRFILE"], "wb"))
    print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
oracle() { python3 "$T/oracle.py" "$@"; }
# installed NAME DIR DOC LAYOUT ALL
installed() {
    if msg=$(oracle check "$2" "$3" "$4" "$5" 2>&1); then ok; else bad "$1: $msg"; fi
}

# --- documents --------------------------------------------------------------------
cat >"$T/doc.toml" <<'EOF'
version = "0.1.0"
algorithm = "sha256"

[data]
"aa.toml" = '''
[token_configs.kbs]
url = "https://kbs.example:8080"
'''
"cdh.toml" = '''
socket = 'unix:///run/confidential-containers/cdh.sock'
[kbc]
name = "cc_kbc"
url = "https://kbs.example:8080"
'''
"policy.rego" = """
package agent_policy
default ExecProcessRequest := false
"""
"extra.conf" = "tuning = 1\n"
EOF
printf 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n"aa.toml" = %s\n%s\n\n"cdh.toml" = %s\n%s\n\n"policy.rego" = %s\n%s\n' \
    "'''" "'''" "'''" "'''" "'''" "'''" >"$T/kata.toml"
same "kata vector digest" c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5 \
    "$(hexsha256 "$T/kata.toml")"
cat >"$T/sha384.toml" <<'EOF'
version = "0.1.0"
algorithm = "sha384"
[data]
"policy.rego" = "package agent_policy\n"
EOF
DOC=$T/doc.toml

# --- usage ---------------------------------------------------------------------------
apply --platform none --toml "$DOC"
expect "--platform none without --insecure-no-binding" 2 "needs --insecure-no-binding"
apply --toml "$DOC" --device /dev/null
expect "two sources" 2 "alternatives"
apply --platform sgx --toml "$DOC"
expect "unknown platform" 2 "--platform must be"
apply --platform tdx --tcti device:/dev/tpmrm0 --toml "$DOC"
expect "--tcti with tdx" 2 "vtpm platform only"
apply --insecure-no-binding --platform tdx --toml "$DOC"
expect "--insecure-no-binding with tdx" 2 "cannot go with"
apply --layout flat --insecure-no-binding --toml "$DOC"
expect "unknown layout" 2 "--layout: unknown layout \"flat\" (known: kata, peerpod)"
apply --help
expect "--help" 0
if grep -q "deny-policy-on-error" "$T/out"; then ok; else bad "--help lacks the options"; fi

# --- sources and installs without a TEE ---------------------------------------------
R=$T/plain
apply --toml "$DOC" --insecure-no-binding --root "$R"
expect "insecure install" 0 "NOT checked against the TEE"
installed "kata layout" "$R/run/confidential-containers/initdata" "$DOC" kata 0
if grep -F -q '"extra.conf" is not installed' "$T/err"; then ok; else bad "no note on extra.conf"; fi
# the library's note says what happened; the tool adds its flag (idt_hint)
if grep -F -x -q 'initdata apply: note: data entry "extra.conf" is not installed: by default only aa.toml, cdh.toml and policy.rego are (--all-entries installs the others)' "$T/err"; then
    ok; else bad "note on extra.conf lacks the --all-entries hint: $(cat "$T/err")"; fi
apply --toml "$DOC" --insecure-no-binding --root "$R" --all-entries
expect "insecure install --all-entries" 0
installed "kata layout --all-entries" "$R/run/confidential-containers/initdata" "$DOC" kata 1
apply --toml "$T/sha384.toml" --insecure-no-binding --root "$R" --layout peerpod
expect "peerpod layout" 0
installed "peerpod layout" "$R/run/peerpod" "$T/sha384.toml" peerpod 0
ann=$(gzip -c <"$DOC" | base64 -w0)
apply --annotation "$ann" --insecure-no-binding --out "$T/from-annotation"
expect "annotation source" 0
installed "annotation source" "$T/from-annotation" "$DOC" kata 0
apply --toml "$T/no-such.toml" --insecure-no-binding --out "$T/x"
expect "missing --toml file" 3 "cannot open"
printf 'version = "0.2.0"\nalgorithm = "sha-256"\n[data]\n' >"$T/invalid.toml"
apply --toml "$T/invalid.toml" --insecure-no-binding --out "$T/x"
expect "invalid document" 1 "invalid.toml:1:11: error:"
if grep -F -q "$T/invalid.toml: invalid: 2 errors, 0 warnings (rejected by " "$T/err" &&
    grep -F -x -q 'initdata apply: nothing was installed' "$T/err"; then ok; else
    bad "invalid document summary: $(cat "$T/err")"; fi
absent "invalid document installs nothing" "$T/x"

# --- finding the disk under --root ---------------------------------------------------
R=$T/disks
mkdir -p "$R/sys/block/vda" "$R/sys/block/vdb" "$R/dev"
printf 'root-disk\n' >"$R/sys/block/vda/serial"
head -c 4096 /dev/zero >"$R/dev/vda"
"$INITDATA" image create "$DOC" -o "$R/dev/vdb"
apply --root "$R" --insecure-no-binding
expect "disk by magic" 0 "found the initdata disk $R/dev/vdb by its magic"
installed "disk by magic" "$R/run/confidential-containers/initdata" "$DOC" kata 0
printf 'initdata\n' >"$R/sys/block/vdb/serial"
apply --root "$R" --insecure-no-binding
expect "disk by serial" 0 "found the initdata disk $R/dev/vdb by its serial"
apply --device "$R/dev/vdb" --insecure-no-binding --out "$T/by-path"
expect "--device PATH" 0
installed "--device PATH" "$T/by-path" "$DOC" kata 0
apply --root "$T/empty-root" --insecure-no-binding
expect "no /sys/block" 3 "cannot list the block devices"

# --- detecting the TEE: the library's message, the tool's flags -------------------
mkdir -p "$T/no-tee"
apply --toml "$DOC" --root "$T/no-tee"
expect "no TEE" 3 "exists under $T/no-tee; the platform must be named, or (for tests only) the binding check skipped (name one with --platform, or use --platform none --insecure-no-binding)"
mkdir -p "$T/two-tees/dev"
: >"$T/two-tees/dev/tdx_guest"
: >"$T/two-tees/dev/sev-guest"
apply --toml "$DOC" --root "$T/two-tees"
expect "TDX and SNP both present" 3 "guest interface exist; refusing to guess: the platform must be named (choose one with --platform)"
if shared_file "$S/kata/agent-testdata-initdata.img"; then
    # Kata's own image holds "some content", which is no Init-Data document.
    apply --device "$S/kata/agent-testdata-initdata.img" --insecure-no-binding --out "$T/x"
    expect "kata's image: read, then refused as a document" 1 "agent-testdata-initdata.img:1:"
fi

# The kata-agent's gzip rules (initdata-facts.md section 9), on images built
# by Python's zlib: async-compression ignores the reserved FLG bits (read,
# with a warning) and cannot read FHCRC (its header parser leaves the CRC16
# to inflate).
python3 - "$DOC" "$T/agent" <<'PY'
import struct, sys, zlib
doc, out = open(sys.argv[1], "rb").read(), sys.argv[2]
c = zlib.compressobj(9, zlib.DEFLATED, -15)
body = c.compress(doc) + c.flush() + struct.pack("<II", zlib.crc32(doc), len(doc))
for name, flg in (("reserved", 0x40), ("fhcrc", 2)):
    head = bytes([0x1f, 0x8b, 8, flg, 0, 0, 0, 0, 0, 0xff])
    if flg & 2:
        head += struct.pack("<H", zlib.crc32(head) & 0xffff)
    gz = head + body
    img = b"initdata" + struct.pack("<Q", len(gz)) + gz
    open(out + "-" + name + ".img", "wb").write(img + bytes(-len(img) % 512))
PY
apply --device "$T/agent-reserved.img" --insecure-no-binding --out "$T/agent-out"
expect "image with reserved gzip flags: read as the kata-agent reads it" 0 \
    "agent-reserved.img: warning: at byte 19: gzip header: reserved flag bits 0x40 are set; accepted as the kata-agent accepts them"
installed "image with reserved gzip flags" "$T/agent-out" "$DOC" kata 0
apply --device "$T/agent-fhcrc.img" --insecure-no-binding --out "$T/agent-out2"
expect "image with FHCRC: refused as the kata-agent fails on it" 1 \
    "agent-fhcrc.img: error: at byte 19: gzip header: FHCRC (flag 0x02) is set: the kata-agent cannot read this image"
absent "image with FHCRC: nothing installed" "$T/agent-out2"

# --- hostile sources ---------------------------------------------------------------------
H=$T/hostile
mkdir -p "$H"
oracle header initdatX 36 512 "$H/bad-magic.img"
apply --device "$H/bad-magic.img" --insecure-no-binding --out "$H/out"
expect "bad magic" 1 'bad magic: expected "initdata", found "initdatX"'
hostile "bad magic"
oracle header initdata 100000 4096 "$H/past-end.img"
apply --device "$H/past-end.img" --insecure-no-binding --out "$H/out"
expect "N larger than the device" 1 "runs past the end of the image"
hostile "N larger than the device (N = 100000, device 4096 bytes)"
oracle header initdata 262145 262656 "$H/cap.img"
apply --device "$H/cap.img" --insecure-no-binding --out "$H/out"
expect "N at the cap plus one" 1 "N = 262145 is above the limit of 262144 bytes"
hostile "N at the cap plus one (N = 262145, device 262656 bytes)"
# 100 MiB of zeros gzip to about 100 KiB: a valid N, a bomb when inflated.
head -c 104857600 /dev/zero | gzip -9 >"$H/bomb.gz"
python3 -c '
import struct, sys
gz = open(sys.argv[1], "rb").read()
img = b"initdata" + struct.pack("<Q", len(gz)) + gz
img += bytes(-len(img) % 512)
open(sys.argv[2], "wb").write(img)' "$H/bomb.gz" "$H/bomb.img"
# the oracle prints "EXIT_STATUS PEAK_RSS_KIB"
got=$(ERRFILE=$T/err oracle maxrss "$INITDATA" apply --device "$H/bomb.img" \
    --insecure-no-binding --out "$H/out")
rc=${got%% *} rss=${got#* }
expect "gzip bomb" 1 "inflates to more than the limit of 8388608 bytes"
hostile "gzip bomb ($(stat -c %s "$H/bomb.gz") bytes of gzip, 100 MiB inflated; peak RSS ${rss} KiB)"
if [ "$rss" -lt 98304 ]; then ok; else bad "gzip bomb: peak RSS ${rss} KiB"; fi
absent "hostile sources install nothing" "$H/out"

cat >"$H/passwd.toml" <<'EOF'
version = "0.1.0"
algorithm = "sha256"
[data]
"aa.toml" = ""
"../etc/passwd" = "root::0:0:root:/root:/bin/sh\n"
EOF
HR=$H/root
apply --toml "$H/passwd.toml" --insecure-no-binding --all-entries --root "$HR"
expect "data key ../etc/passwd" 1 'data entry "../etc/passwd" cannot be installed: the name contains'
hostile "data key ../etc/passwd with --all-entries"
absent "../etc/passwd not written" "$HR/run/confidential-containers/etc/passwd"
absent "../etc/passwd: nothing installed" "$HR/run/confidential-containers/initdata"
apply --toml "$H/passwd.toml" --insecure-no-binding --root "$HR"
expect "data key ../etc/passwd without --all-entries" 0 'its name contains'
hostile "data key ../etc/passwd without --all-entries (installed the rest)"
installed "../etc/passwd skipped" "$HR/run/confidential-containers/initdata" "$H/passwd.toml" kata 0

mkdir -p "$H/victim" "$H/sym/run/confidential-containers"
ln -s "$H/victim" "$H/sym/run/confidential-containers/initdata"
apply --toml "$DOC" --insecure-no-binding --root "$H/sym"
expect "symlink at the target" 3 "is a symbolic link"
hostile "symlink planted at the target"
if [ -z "$(ls -A "$H/victim")" ] && [ -L "$H/sym/run/confidential-containers/initdata" ]; then ok; else
    bad "symlink at the target: the link was followed or replaced"; fi
mkdir -p "$H/sym2"
ln -s "$H/victim" "$H/sym2/run"
apply --toml "$DOC" --insecure-no-binding --root "$H/sym2" --deny-policy-on-error
expect "symlink on the target path" 3 "$H/sym2/run is a symbolic link"
hostile "symlink planted on the target path (ROOT/run), with --deny-policy-on-error"
if [ -z "$(ls -A "$H/victim")" ]; then ok; else bad "symlink on the path was followed"; fi

mkdir -p "$H/two/sys/block/vdb" "$H/two/sys/block/vdc" "$H/two/dev"
"$INITDATA" image create "$DOC" -o "$H/two/dev/vdb"
cp "$H/two/dev/vdb" "$H/two/dev/vdc"
apply --root "$H/two" --insecure-no-binding
expect "two initdata disks" 3 "2 block devices start with the magic"
expect "two initdata disks: the tool names --device" 3 "launched with: the device must be named (name it with --device PATH)"
hostile "two initdata disks (vdb and vdc)"

# --- TDX -------------------------------------------------------------------------------
Q=-
if shared_file "$EV/tdx_quote_4.dat"; then
    Q=$EV/tdx_quote_4.dat
    # The offsets the TDREPORT is built with: REPORT_DATA of the quote.
    same "tdx quote v4 REPORT_DATA at 568" \
        7c71fe2c86eff65a7cf8dbc22b3275689fd0464a267baced1bf94fc1324656aeb755da3d44d098c0c87382f3a5f85b45c8a28fee1d3bdb38342bf96671501429 \
        "$(python3 -c 'import sys; print(open(sys.argv[1],"rb").read()[568:632].hex())' "$Q")"
fi
want_tdx=$(oracle field "$DOC" 48 match)
for how in sysfs tdreport; do
    for mode in match mismatch zero; do
        R=$T/tdx-$how-$mode
        if [ $how = sysfs ]; then
            oracle mrconfigid "$Q" "$DOC" $mode "$R/sys/devices/virtual/misc/tdx_guest/measurements/mrconfigid"
        else
            oracle tdreport "$Q" "$DOC" $mode "$R/dev/tdx_guest"
        fi
        apply --toml "$DOC" --root "$R"
        case $mode in
        match)
            expect "tdx $how $mode" 0 "tdx: MRCONFIGID $want_tdx matches"
            installed "tdx $how $mode" "$R/run/confidential-containers/initdata" "$DOC" kata 0 ;;
        mismatch)
            expect "tdx $how $mode" 1 "MRCONFIGID mismatch: the TEE holds $(oracle field "$DOC" 48 mismatch), this document needs $want_tdx"
            absent "tdx $how $mode installs nothing" "$R/run/confidential-containers/initdata" ;;
        zero)
            expect "tdx $how $mode" 1 "MRCONFIGID is all zeros"
            absent "tdx $how $mode installs nothing" "$R/run/confidential-containers/initdata" ;;
        esac
    done
done
# A mismatch leaves an earlier install alone; --deny-policy-on-error replaces it.
R=$T/tdx-sysfs-mismatch
apply --toml "$DOC" --root "$R" --insecure-no-binding
apply --toml "$DOC" --root "$R"
expect "tdx mismatch keeps the old install" 1
installed "tdx mismatch keeps the old install" "$R/run/confidential-containers/initdata" "$DOC" kata 0
apply --toml "$DOC" --root "$R" --deny-policy-on-error
expect "tdx mismatch with --deny-policy-on-error" 1 "installed a deny-all policy.rego"
P=$R/run/confidential-containers/initdata/policy.rego
if [ "$(ls "$R/run/confidential-containers/initdata")" = policy.rego ] &&
    grep -q '^#   binding failed: MRCONFIGID mismatch' "$P" &&
    grep -q '^default CreateContainerRequest := false$' "$P" && ! grep -q ':= true' "$P"; then ok; else
    bad "deny policy: $(ls "$R/run/confidential-containers/initdata"): $(cat "$P")"; fi
if shared_file "$S/trustee/simple-init-data.toml"; then
    R=$T/tdx-simple
    oracle mrconfigid "$Q" "$S/trustee/simple-init-data.toml" match \
        "$R/sys/devices/virtual/misc/tdx_guest/measurements/mrconfigid"
    apply --toml "$S/trustee/simple-init-data.toml" --root "$R"
    expect "tdx with Trustee's simple-init-data.toml (EXPECTED.md digest)" 0 \
        "MRCONFIGID df0973f1d4ab240854df02e467d1f30a5aef52b9c126beba333055e346065c8c00000000000000000000000000000000 matches"
fi

# --- SNP -------------------------------------------------------------------------------
want_snp=$(oracle field "$DOC" 32 match)
for src in snp_test-report.bin snp_test-vlek-report.bin; do
    rep=-
    if shared_file "$EV/$src"; then rep=$EV/$src; fi
    resp=
    [ $src = snp_test-vlek-report.bin ] && resp=response
    for mode in match mismatch zero; do
        R=$T/snp-$src-$mode
        oracle snp "$rep" "$DOC" $mode "$R/dev/sev-guest" $resp
        apply --toml "$DOC" --root "$R"
        case $mode in
        match)
            expect "snp $src $mode" 0 "snp: HOST_DATA $want_snp matches (staged-file"
            installed "snp $src $mode" "$R/run/confidential-containers/initdata" "$DOC" kata 0 ;;
        mismatch)
            expect "snp $src $mode" 1 "HOST_DATA mismatch: the TEE holds $(oracle field "$DOC" 32 mismatch)"
            absent "snp $src $mode installs nothing" "$R/run/confidential-containers/initdata" ;;
        zero)
            expect "snp $src $mode" 1 "HOST_DATA is all zeros"
            absent "snp $src $mode installs nothing" "$R/run/confidential-containers/initdata" ;;
        esac
    done
done
R=$T/snp-tsm
mkdir -p "$R/sys/kernel/config/tsm/report"
oracle snp - "$DOC" match "$R/dev/sev-guest"
apply --toml "$DOC" --root "$R" --platform snp
expect "snp: a tsm directory that is not configfs" 3 "provider"
if [ -z "$(ls -A "$R/sys/kernel/config/tsm/report")" ]; then ok; else
    bad "the configfs-tsm entry was left behind"; fi

# --- vTPM against swtpm -----------------------------------------------------------------
pcr8() {
    TPM2TOOLS_TCTI=$TCTI tpm2_pcrread sha256:8 2>/dev/null | sed -n 's/^ *8 *: *0x//p' |
        tr 'A-F' 'a-f'
}
ZERO=0000000000000000000000000000000000000000000000000000000000000000
if ! command -v swtpm >/dev/null || ! command -v tpm2_pcrread >/dev/null; then
    bad "vtpm: swtpm and tpm2-tools are needed (scripts/install-deps.sh installs them)"
elif ! start_swtpm; then
    bad "vtpm: swtpm did not start: $(cat "$T/swtpm.log")"
else
    same "vtpm: fresh PCR 8" "$ZERO" "$(pcr8)"
    R=$T/vtpm
    mkdir -p "$R/dev"
    : >"$R/dev/tpmrm0" # --platform auto finds the vTPM under --root
    apply --toml "$T/kata.toml" --root "$R" --tcti "$TCTI"
    want=$(oracle extend "$ZERO" "$(hexsha256 "$T/kata.toml")")
    expect "vtpm extend (auto-detected)" 0 "it now reads $want, as expected"
    same "vtpm: PCR 8 after the extend (tpm2_pcrread)" "$want" "$(pcr8)"
    installed "vtpm install" "$R/run/confidential-containers/initdata" "$T/kata.toml" kata 0
    apply --toml "$T/kata.toml" --platform vtpm --tcti "$TCTI" --out "$T/vtpm-again"
    expect "vtpm: PCR 8 not zero" 1 "PCR 8 is $want, not all zeros"
    expect "vtpm: PCR 8 not zero: the tool names --force-pcr" 1 "nothing extended, as the extend was not forced (--force-pcr extends anyway)"
    same "vtpm: refused extend leaves PCR 8" "$want" "$(pcr8)"
    absent "vtpm: refused extend installs nothing" "$T/vtpm-again"
    apply --toml "$T/kata.toml" --platform vtpm --tcti "$TCTI" --force-pcr --out "$T/vtpm-again"
    want2=$(oracle extend "$want" "$(hexsha256 "$T/kata.toml")")
    expect "vtpm --force-pcr" 0 "will reject this guest"
    same "vtpm: PCR 8 after the forced extend" "$want2" "$(pcr8)"
    stop_swtpm

    if start_swtpm; then
        # sha384 under the attestation-agent rule: refused before the TPM is touched.
        apply --toml "$T/sha384.toml" --platform vtpm --tcti "$TCTI" --out "$T/vtpm-384"
        expect "vtpm aa rule with sha384" 1 "a sha384 digest is 48 bytes"
        same "vtpm: sha384 refused, PCR 8 untouched" "$ZERO" "$(pcr8)"
        d384=$(oracle digest "$T/sha384.toml")
        apply --toml "$T/sha384.toml" --platform vtpm --tcti "$TCTI" --vtpm-rule peerpods \
            --layout peerpod --out "$T/vtpm-384"
        expect "vtpm peerpods rule with sha384" 0
        same "vtpm peerpods rule: PCR 8" "$(oracle extend "$ZERO" "$(echo "$d384" | cut -c1-64)")" "$(pcr8)"
        installed "vtpm peerpods install" "$T/vtpm-384" "$T/sha384.toml" peerpod 0
        stop_swtpm
    else
        bad "vtpm: swtpm did not restart"
    fi
    if ! shared_file "$S/caa/provision-test.toml"; then
        :
    elif start_swtpm; then
        apply --toml "$S/caa/provision-test.toml" --platform vtpm --tcti "$TCTI" \
            --vtpm-rule peerpods --layout peerpod --out "$T/vtpm-caa"
        expect "vtpm peerpods rule, caa/provision-test.toml" 0
        same "vtpm peerpods rule: PCR 8 from EXPECTED.md" \
            b38927609998047b40609a152e8ccb3716450321203fe11c1e0533c648334ed5 "$(pcr8)"
        stop_swtpm
    else
        bad "vtpm: swtpm did not restart for caa/provision-test.toml: $(cat "$T/swtpm.log")"
    fi
    apply --toml "$T/kata.toml" --platform vtpm --tcti "$TCTI" --out "$T/vtpm-gone"
    expect "vtpm: TPM unreachable" 3 "TPM"
    absent "vtpm: unreachable TPM installs nothing" "$T/vtpm-gone"
fi

# --- crash safety ------------------------------------------------------------------------
C=$T/crash
mkdir -p "$C"
# B has a 1.5 MB entry (two 1 MiB write chunks), so a kill can land inside a file.
python3 - "$C/b.toml" <<'PY'
import sys
big = "".join("rule_%d := input.x == %d\n" % (i, i) for i in range(70000))[:1_500_000]
open(sys.argv[1], "w").write('version = "0.1.0"\nalgorithm = "sha256"\n[data]\n'
    '"policy.rego" = \'\'\'\n%s\'\'\'\n"cdh.toml" = "[kbc]\\nname = \'offline_fs_kbc\'\\n"\n'
    '"notes.txt" = "b"\n' % big)
PY
"$INITDATA" apply --toml "$DOC" --insecure-no-binding --all-entries --out "$C/refA" 2>/dev/null
"$INITDATA" apply --toml "$C/b.toml" --insecure-no-binding --all-entries --out "$C/refB" 2>/dev/null
installed "crash: reference A" "$C/refA" "$DOC" kata 1
installed "crash: reference B" "$C/refB" "$C/b.toml" kata 1
# state_ok DIR ALLOW_ABSENT: the target is A, B, or (when allowed) absent
state_ok() {
    if [ ! -e "$1" ]; then
        [ "$2" = 1 ]
    else
        diff -r -q "$C/refA" "$1" >/dev/null 2>&1 || diff -r -q "$C/refB" "$1" >/dev/null 2>&1
    fi
}
CRASH=${IDT_TOOL_apply_crash:-}
if [ -z "$CRASH" ]; then
    bad "crash: IDT_TOOL_apply_crash is not set"
else
    steps=$("$CRASH" "$C/b.toml" "$C/count" 0)
    if [ "${steps:-0}" -ge 10 ]; then ok; else bad "crash: only '${steps:-}' install steps"; fi
    killed=0 broken=0
    for start in old none; do
        k=1
        while [ "$k" -le "${steps:-0}" ]; do
            rm -rf "$C/target"
            [ $start = old ] && cp -a "$C/refA" "$C/target"
            # The subshell keeps the shell's "Killed" report off the log.
            ("$CRASH" "$C/b.toml" "$C/target" "$k" >/dev/null 2>&1; echo $? >"$C/rc") 2>/dev/null
            [ "$(cat "$C/rc")" -eq 137 ] && killed=$((killed + 1))
            if state_ok "$C/target" "$([ $start = none ] && echo 1)"; then :; else
                broken=$((broken + 1))
                bad "crash: killed at step $k (from $start): $(ls -A "$C/target" 2>&1)"
            fi
            k=$((k + 1))
        done
    done
    same "crash: every step was a SIGKILL" $((2 * steps)) "$killed"
    same "crash: never half-written (hook kills)" 0 "$broken"
fi
# The real tool, killed at random times.
rm -rf "$C/target"
cp -a "$C/refA" "$C/target"
t0=$(date +%s%N)
"$INITDATA" apply --toml "$C/b.toml" --insecure-no-binding --all-entries --out "$C/target" 2>/dev/null
t1=$(date +%s%N)
span=$(((t1 - t0) / 1000)) # microseconds one install takes
runs=0 broken=0 finished=0 interrupted=0
while [ $runs -lt 40 ]; do
    rm -rf "$C/target"
    cp -a "$C/refA" "$C/target"
    r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
    us=$((r % (span + 1)))
    "$INITDATA" apply --toml "$C/b.toml" --insecure-no-binding --all-entries --out "$C/target" \
        >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%06d' $((us / 1000000)) $((us % 1000000)))"
    kill -9 "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null
    if [ $? -eq 137 ]; then interrupted=$((interrupted + 1)); else finished=$((finished + 1)); fi
    state_ok "$C/target" 0 || { broken=$((broken + 1)); bad "crash: random kill after ${us} us"; }
    runs=$((runs + 1))
done
same "crash: never half-written (random kills)" 0 "$broken"
echo "crash: random kills: $interrupted interrupted, $finished finished (one install: ${span} us)"
# The next run cleans what the interrupted ones left beside the target.
apply --toml "$C/b.toml" --insecure-no-binding --all-entries --out "$C/target"
expect "crash: a later run" 0
same "crash: no staging directory left" "" "$(find "$C" -mindepth 1 -maxdepth 1 -name '.target.staging-*')"

# --- report --------------------------------------------------------------------------------
echo "--- what the hostile-source tests printed:"
cat "$HOSTILE"
[ -n "${IDT_BUILD_DIR:-}" ] && cp "$HOSTILE" "$IDT_BUILD_DIR/apply-hostile.txt" 2>/dev/null
echo "apply: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
