#!/bin/sh
# `initdata encode`, `decode` and `image` (initdata-facts §4, §5) against
# independent oracles: coreutils base64/gzip/sha256sum/sha384sum, and
# Python's zlib/gzip/base64 to build what other writers produce (Go's gzip
# header, several members) and hostile inputs.  Every hostile input must
# fail with exit status 1 and its own message.
#
# Env: INITDATA (the tool), IDT_SHARED (../shared).  The parts that need the
# shared test data are skipped when it is absent; the rest always runs.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
S=${IDT_SHARED:-}/testdata
# succeeds NAME ARGS...: exit 0, nothing on stderr
succeeds() {
    name=$1
    shift
    run_tool "$@"
    if [ "$rc" -eq 0 ] && [ ! -s "$T/err" ]; then ok; else bad "$name: exit $rc: $(cat "$T/err")"; fi
}
# fails NAME EXIT MESSAGE-PART ARGS...: that exit status, the message on
# stderr, nothing on stdout
fails() {
    name=$1 want=$2 part=$3
    shift 3
    run_tool "$@"
    if [ "$rc" -ne "$want" ]; then
        bad "$name: exit $rc, want $want: $(cat "$T/err")"
    elif ! grep -F -q -- "$part" "$T/err"; then
        bad "$name: stderr lacks '$part': $(cat "$T/err")"
    elif [ -s "$T/out" ]; then
        bad "$name: wrote to stdout on failure"
    else
        ok
    fi
}
# warns NAME MESSAGE-PART ARGS...: exit 0, that warning on stderr and no error
warns() {
    name=$1 part=$2
    shift 2
    run_tool "$@"
    if [ "$rc" -ne 0 ]; then
        bad "$name: exit $rc, want 0: $(cat "$T/err")"
    elif ! grep -F -q -- "$part" "$T/err"; then
        bad "$name: stderr lacks '$part': $(cat "$T/err")"
    elif grep -q ': error: ' "$T/err"; then
        bad "$name: an error on success: $(cat "$T/err")"
    else
        ok
    fi
}
# same_file NAME WANT GOT: byte-identical files
same_file() {
    if cmp -s "$2" "$3"; then ok; else bad "$1: $3 differs from $2"; fi
}
sha() { "${1}sum" "$2" | cut -d' ' -f1; }

# --- documents we generate ---------------------------------------------------
python3 - "$T" <<'PY'
import os, random, sys
t = sys.argv[1]
docs = {
    "kata.toml": b'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n"aa.toml" = \'\'\'\n\'\'\'\n\n'
                 b'"cdh.toml" = \'\'\'\n\'\'\'\n\n"policy.rego" = \'\'\'\n\'\'\'\n',
    "crlf.toml": b'version = "0.1.0"\r\nalgorithm = "sha384"\r\n[data]\r\n"x" = "\xc3\xa9\xe2\x82\xac"\r\n',
    "no-newline.toml": b'version = "0.1.0"\nalgorithm = "sha512"\n[data]',
    "empty.toml": b"",
}
# About 1 MB that still fits an annotation (compresses to < 192 KiB).
rnd = random.Random(1)
words = ["input.container", "allow", "deny", "policy_data", "mounts", "env", "true", "false"]
big = b'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n"policy.rego" = \'\'\'\n'
lines = []
size = 0
while size < 1_000_000:
    line = ("rule_%d := %s == \"%s\"\n" % (len(lines), rnd.choice(words),
                                           rnd.choice(words) + str(rnd.randrange(100)))).encode()
    lines.append(line)
    size += len(line)
docs["big.toml"] = big + b"".join(lines) + b"'''\n"
for name, data in docs.items():
    with open(os.path.join(t, name), "wb") as f:
        f.write(data)
PY

for d in kata crlf no-newline big; do
    f=$T/$d.toml
    succeeds "encode $d" encode "$f"
    cp "$T/out" "$T/$d.b64"
    same "encode $d is one line" 1 "$(wc -l <"$T/$d.b64" | tr -d ' ')"
    base64 -d <"$T/$d.b64" | gzip -d >"$T/$d.back" 2>"$T/gzerr"
    same_file "encode $d | base64 -d | gzip -d" "$f" "$T/$d.back"
    same "encode $d: gzip header" "1f8b08000000000000ff" \
        "$(base64 -d <"$T/$d.b64" | od -An -tx1 -N10 | tr -d ' \n')"
    "$INITDATA" encode "$f" >"$T/again" 2>/dev/null
    same_file "encode $d is deterministic" "$T/$d.b64" "$T/again"
    succeeds "decode $d" decode "$T/$d.b64"
    same_file "decode (encode $d)" "$f" "$T/out"
    # What other writers produce: gzip | base64 -w0, gzip -c with a file
    # name (FNAME, MTIME), and Go's header.
    gzip -9 <"$f" | base64 -w0 >"$T/coreutils.b64"
    succeeds "decode (gzip | base64 -w0) $d" decode "$T/coreutils.b64"
    same_file "decode (gzip | base64 -w0) $d" "$f" "$T/out"
    gzip -c "$f" | base64 -w0 >"$T/named.b64"
    same "gzip -c sets FNAME ($d)" "08" "$(base64 -d <"$T/named.b64" | od -An -tx1 -j3 -N1 | tr -d ' ')"
    succeeds "decode (gzip -c FILE) $d" decode "$T/named.b64"
    same_file "decode (gzip -c FILE) $d" "$f" "$T/out"
    # image create/read round trip, and its layout
    succeeds "image create $d" image create "$f" -o "$T/$d.img"
    size=$(wc -c <"$T/$d.img" | tr -d ' ')
    same "image $d size is a multiple of 512" 0 "$((size % 512))"
    same "image $d magic" "initdata" "$(head -c 8 "$T/$d.img")"
    n=$(od -An -tu8 -j8 -N8 "$T/$d.img" | tr -d ' ')
    same "image $d padding is minimal" "$(((16 + n + 511) / 512 * 512))" "$size"
    tail -c +17 "$T/$d.img" | head -c "$n" | gzip -d >"$T/$d.imgdoc" 2>/dev/null
    same_file "image $d: gzip -d of the N bytes" "$f" "$T/$d.imgdoc"
    same "image $d padding is zero" 0 \
        "$(tail -c +$((17 + n)) "$T/$d.img" | tr -d '\000' | wc -c | tr -d ' ')"
    succeeds "image read $d" image read "$T/$d.img"
    same_file "image read $d" "$f" "$T/out"
done

# Go's compress/gzip header (1f8b08000000000000ff) and XFL 2, written by zlib.
python3 - "$T/kata.toml" "$T/go.b64" <<'PY'
import base64, struct, sys, zlib
doc = open(sys.argv[1], "rb").read()
c = zlib.compressobj(6, zlib.DEFLATED, -15)
raw = c.compress(doc) + c.flush()
gz = bytes.fromhex("1f8b08000000000000ff") + raw + struct.pack("<II", zlib.crc32(doc), len(doc))
open(sys.argv[2], "w").write(base64.b64encode(gz).decode())
PY
succeeds "decode (Go header)" decode "$T/go.b64"
same_file "decode (Go header)" "$T/kata.toml" "$T/out"

# stdin and -o
"$INITDATA" encode - <"$T/kata.toml" >"$T/out" 2>"$T/err"
same_file "encode -" "$T/kata.b64" "$T/out"
"$INITDATA" decode - <"$T/kata.b64" >"$T/out" 2>"$T/err"
same_file "decode -" "$T/kata.toml" "$T/out"
succeeds "encode -o" encode -o "$T/o.b64" "$T/kata.toml"
same_file "encode -o" "$T/kata.b64" "$T/o.b64"
succeeds "decode -o" decode -o "$T/o.toml" "$T/kata.b64"
same_file "decode -o" "$T/kata.toml" "$T/o.toml"
"$INITDATA" image create - <"$T/kata.toml" >"$T/stdin.img" 2>"$T/err"
same_file "image create -" "$T/kata.img" "$T/stdin.img"
"$INITDATA" image read - <"$T/kata.img" >"$T/out" 2>"$T/err"
same_file "image read -" "$T/kata.toml" "$T/out"
succeeds "image read -o" image read -o "$T/o2.toml" "$T/kata.img"
same_file "image read -o" "$T/kata.toml" "$T/o2.toml"
same "no temporary files left" "" "$(find "$T" -mindepth 1 -maxdepth 1 -name '*.tmp.*')"

# --- lenient: what only the Go decoders accept ---------------------------------
gzip -9 <"$T/crlf.toml" | base64 -w 20 >"$T/wrapped.b64"
fails "decode wrapped base64" 1 "line break (\\n); the Rust decoders (kata-agent/kata-types, genpolicy, runtime-rs) reject it; the Go decoders (kata shim, cloud-api-adaptor) accept it" \
    decode "$T/wrapped.b64"
if grep -F -q "wrapped.b64: error: at byte 20: " "$T/err"; then ok; else bad "wrapped: offset: $(cat "$T/err")"; fi
if grep -F -q "note: the Go decoders (kata shim, cloud-api-adaptor) accept this value; --lenient" "$T/err"; then
    ok
else
    bad "wrapped: note: $(cat "$T/err")"
fi
succeeds "decode --lenient wrapped base64" decode --lenient "$T/wrapped.b64"
same_file "decode --lenient wrapped base64" "$T/crlf.toml" "$T/out"
# CRLF line ends inside the value, too
sed 's/$/\r/' "$T/wrapped.b64" >"$T/crlf.b64"
succeeds "decode --lenient CRLF base64" decode --lenient "$T/crlf.b64"
same_file "decode --lenient CRLF base64" "$T/crlf.toml" "$T/out"

# --- hostile inputs: each its own error and exit status 1 ----------------------
H=$T/h
mkdir "$H"
python3 - "$H" "$T/kata.toml" <<'PY'
import base64, gzip, os, struct, sys, zlib
h, doc = sys.argv[1], open(sys.argv[2], "rb").read()
def member(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = c.compress(data) + c.flush()
    return bytes.fromhex("1f8b08000000000000ff") + raw + struct.pack("<II", zlib.crc32(data), len(data) & 0xffffffff)
def b64(name, gz):
    open(os.path.join(h, name + ".b64"), "w").write(base64.b64encode(gz).decode())
def image(name, gz, n=None, pad=None):
    img = b"initdata" + struct.pack("<Q", len(gz) if n is None else n) + gz
    img += b"\0" * (-len(img) % 512)
    if pad is not None:
        img = img[:pad] + b"\1" + img[pad + 1:]
    open(os.path.join(h, name + ".img"), "wb").write(img)
m = member(doc)
b64("bomb", member(b" " * (16 << 20)))
b64("truncated", m[:len(m) // 2])
b64("truncated-trailer", m[:-3])
b64("bad-crc", m[:-8] + bytes([m[-8] ^ 0xff]) + m[-7:])
b64("bad-isize", m[:-4] + struct.pack("<I", len(doc) + 1))
b64("trailing", m + b"garbage")
b64("two", m + member(b"# second member\n"))
open(os.path.join(h, "two.expected"), "wb").write(doc + b"# second member\n")
b64("utf8", member(b'a = "\xff"\n'))
b64("nul", member(b'a = "x\x00"\n'))
b64("reserved", m[:3] + b"\x20" + m[4:])
b64("plain", doc)
open(os.path.join(h, "oversized.b64"), "w").write("A" * 262145)
std = base64.b64encode(member(b" " * (16 << 20))).decode()
url = std.replace("+", "-").replace("/", "_")
assert url != std
open(os.path.join(h, "urlsafe.b64"), "w").write(url)
image("ok", m)
image("n-too-big", m, n=1000)
image("magic", m)
with open(os.path.join(h, "magic.img"), "r+b") as f:
    f.write(b"INITDATA")
image("padding", m, pad=16 + len(m) + 3)
image("img-crc", m[:-8] + bytes([m[-8] ^ 1]) + m[-7:])
img = open(os.path.join(h, "ok.img"), "rb").read()
open(os.path.join(h, "short.img"), "wb").write(img[:16 + len(m) + 1])
PY
fails "bomb" 1 "gzip data byte 10: the document inflates to more than the limit of 8388608 bytes" decode "$H/bomb.b64"
fails "bomb (smaller cap)" 1 "more than the limit of 1000 bytes" decode --max-output 1000 "$H/bomb.b64"
fails "truncated gzip" 1 "corrupt or truncated deflate data" decode "$H/truncated.b64"
fails "truncated gzip trailer" 1 "gzip trailer truncated: 5 of its 8 bytes" decode "$H/truncated-trailer.b64"
fails "bad CRC" 1 "gzip CRC32 mismatch" decode "$H/bad-crc.b64"
fails "bad ISIZE" 1 "gzip ISIZE mismatch: the trailer says 114 bytes, the data inflates to 113" decode "$H/bad-isize.b64"
fails "trailing garbage" 1 "7 trailing bytes after the end of the gzip member" decode "$H/trailing.b64"
fails "trailing garbage (lenient)" 1 "7 trailing bytes after the end of the gzip member" decode --lenient "$H/trailing.b64"
fails "two members (strict)" 1 "a second gzip member starts here: the Go decoders (kata shim, cloud-api-adaptor) join the members" decode "$H/two.b64"
succeeds "two members (lenient)" decode --lenient "$H/two.b64"
same_file "two members (lenient) are joined" "$H/two.expected" "$T/out"
fails "invalid UTF-8" 1 "the document is not valid UTF-8 at byte 5 (line 1, column 6, byte 0xff)" decode "$H/utf8.b64"
fails "NUL byte" 1 "NUL byte at byte 6 (line 1, column 7): TOML forbids NUL" decode "$H/nul.b64"
fails "reserved gzip flags" 1 "reserved flag bits 0x20 are set" decode "$H/reserved.b64"
fails "base64 without gzip" 1 "the base64 decodes to data that is not gzip" decode "$H/plain.b64"
fails "oversized annotation" 1 "oversized.b64: error: at byte 262144: the annotation value is 262145 bytes, above the limit of 262144" decode "$H/oversized.b64"
head -c 300000 /dev/zero | tr '\000' A >"$H/huge.b64"
fails "oversized annotation (read bound)" 1 "the annotation value is larger than the limit of 262144 bytes (--max-size raises it)" decode "$H/huge.b64"
fails "oversized annotation, raised limit" 1 "truncated base64: a lone final character" decode --max-size 300000 "$H/oversized.b64"
fails "URL-safe base64" 1 "is not a base64 character (URL-safe alphabet" decode "$H/urlsafe.b64"
fails "image: N larger than the file" 1 "the gzip length N = 1000 runs past the end of the image" image read "$H/n-too-big.img"
if grep -F -q "n-too-big.img: error: at byte 8: " "$T/err"; then ok; else bad "N offset: $(cat "$T/err")"; fi
fails "image: bad magic" 1 "bad magic: expected \"initdata\", found \"INITDATA\"" image read "$H/magic.img"
fails "image: non-zero padding" 1 "non-zero byte 0x01 in the padding" image read "$H/padding.img"
fails "image: bad CRC" 1 "gzip CRC32 mismatch" image read "$H/img-crc.img"
fails "image: not whole sectors" 1 "not a multiple of 512" image read "$H/short.img"
fails "image: N above --max-size" 1 "is above the limit of 10 bytes" image read --max-size 10 "$H/ok.img"
succeeds "image: python-written image" image read "$H/ok.img"
same_file "image: python-written image" "$T/kata.toml" "$T/out"
printf 'a = "\377"\n' >"$T/bad.toml"
fails "encode: invalid UTF-8" 1 "bad.toml: error: the document is not valid UTF-8 at byte 5" encode "$T/bad.toml"
printf 'a = "x\000"\n' >"$T/nul.toml"
fails "image create: NUL" 1 "nul.toml: error: the document has a NUL byte at byte 6" image create "$T/nul.toml" -o "$T/x.img"
if [ ! -e "$T/x.img" ]; then ok; else bad "image create: NUL: wrote an image"; fi

# --- -o onto a FIFO or a directory ------------------------------------------
# -o replaces a regular file atomically, but an existing device or FIFO
# (-o /dev/null, a named pipe) must be written in place: replacing
# /dev/null with a regular file breaks every program on the machine.  A FIFO
# stands in for the device here, so a regression cannot break the machine.
printf 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n' >"$T/small.toml"
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/from-fifo" &
reader=$!
run_tool encode "$T/small.toml" -o "$T/fifo"
status "encode -o FIFO" 0
if [ -p "$T/fifo" ]; then
    ok
else # the reader waits on the FIFO that was unlinked: nobody can open it now
    bad "encode -o FIFO replaced the FIFO with a regular file"
    kill "$reader" 2>/dev/null
fi
wait "$reader"
same "encode -o FIFO: it decodes to the document" \
    "$(sha256sum <"$T/small.toml")" "$(base64 -d <"$T/from-fifo" | gzip -d | sha256sum)"
mkdir "$T/a-dir"
fails "encode -o DIR" 3 "cannot write $T/a-dir: it is a directory" encode "$T/small.toml" -o "$T/a-dir"

# --- empty documents (initdata-facts.md section 9) ---------------------------------
# runtime-rs treats an empty annotation or document as "no Init-Data" and
# creates no device; the Go shim's prepareInitdataMount skips the image for
# one, and its annotation decoder panics on a value that decodes to one.
RUNTIME_RS='runtime-rs treats an empty annotation or document as "no Init-Data" and creates no device'
fails "encode: empty document" 1 "empty.toml: error: the document is empty: $RUNTIME_RS, and the Go shim's annotation decoder panics on a value that decodes to an empty document (a nil hash, as the algorithm is missing); to send no Init-Data, leave the annotation out" \
    encode "$T/empty.toml"
fails "image create: empty document" 1 "empty.toml: error: the document is empty: no Kata runtime attaches such an image ($RUNTIME_RS; the Go shim's prepareInitdataMount skips the image for an empty document)" \
    image create "$T/empty.toml" -o "$T/empty.img"
if [ ! -e "$T/empty.img" ]; then ok; else bad "image create: empty document: wrote an image"; fi
fails "encode -: empty standard input" 1 "<stdin>: error: the document is empty" encode - </dev/null
: >"$T/empty-value.b64"
fails "decode: empty value" 1 "empty-value.b64: error: at byte 0: the annotation value is empty: $RUNTIME_RS, and the Go shim's annotation decoder panics on a value that decodes to an empty document" \
    decode "$T/empty-value.b64"
echo >"$T/newline-value.b64" # one final newline is not part of the value
fails "decode: a lone newline" 1 "the annotation value is empty" decode "$T/newline-value.b64"
# Oracles: coreutils gzip of nothing, and Python's image of it.
gzip -c </dev/null | base64 -w0 >"$T/empty-doc.b64"
fails "decode: gzip of nothing" 1 "empty-doc.b64: error: the value decodes to an empty document: the Go shim's annotation decoder panics on it (a nil hash, as the algorithm is missing), and $RUNTIME_RS" \
    decode "$T/empty-doc.b64"
fails "decode --lenient: gzip of nothing" 1 "the value decodes to an empty document" \
    decode --lenient "$T/empty-doc.b64"
python3 -c '
import gzip, struct, sys
gz = gzip.compress(b"")
img = b"initdata" + struct.pack("<Q", len(gz)) + gz
open(sys.argv[1], "wb").write(img + bytes(-len(img) % 512))' "$T/empty-doc.img"
fails "image read: empty document" 1 "empty-doc.img: error: the image holds an empty document: no Kata runtime attaches such an image ($RUNTIME_RS; the Go shim's prepareInitdataMount skips the image for an empty document)" \
    image read "$T/empty-doc.img"

# --- each consumer's gzip header rules (initdata-facts.md section 9) ----------------
# Members built by Python's zlib and struct, so that our writer is no oracle.
G=$T/g
mkdir "$G"
python3 - "$G" "$T/kata.toml" <<'PY'
import base64, os, struct, sys, zlib
g, doc = sys.argv[1], open(sys.argv[2], "rb").read()
c = zlib.compressobj(9, zlib.DEFLATED, -15)
deflate = c.compress(doc) + c.flush()
trailer = struct.pack("<II", zlib.crc32(doc), len(doc))
def member(flg, fields=b""):
    head = bytes([0x1f, 0x8b, 8, flg, 0, 0, 0, 0, 0, 0xff]) + fields
    if flg & 2:  # FHCRC: the low 16 bits of the CRC32 of the header so far
        head += struct.pack("<H", zlib.crc32(head) & 0xffff)
    return head + deflate + trailer
def out(name, data):
    open(os.path.join(g, name), "wb").write(data)
def b64(name, gz):
    out(name + ".b64", base64.b64encode(gz))
def image(name, gz):
    img = b"initdata" + struct.pack("<Q", len(gz)) + gz
    out(name + ".img", img + bytes(-len(img) % 512))
for name, gz in {
    "fhcrc": member(2),
    "reserved": member(0x20),
    "reserved-all": member(0xe0),
    "fname511": member(8, b"n" * 511 + b"\0"),
    "fname512": member(8, b"n" * 512 + b"\0"),
    "fcomment4000": member(16, b"c" * 4000 + b"\0"),
}.items():
    b64(name, gz)
    image(name, gz)
PY
# kata-agent: async-compression's gzip header parser does not consume
# FHCRC's CRC16, so inflate fails on it ("deflate decompression error").
fails "image read: FHCRC" 1 "fhcrc.img: error: at byte 19: gzip header: FHCRC (flag 0x02) is set: the kata-agent cannot read this image, as async-compression does not consume the 2-byte header CRC16 and inflate fails on it (\"deflate decompression error\"); Go's compress/gzip (kata shim, cloud-api-adaptor) and flate2 accept FHCRC, but no Kata runtime writes it" \
    image read "$G/fhcrc.img"
# Go's compress/gzip and flate2 check FHCRC and accept it in annotations.
succeeds "decode: FHCRC" decode "$G/fhcrc.b64"
same_file "decode: FHCRC" "$T/kata.toml" "$T/out"
succeeds "decode --lenient: FHCRC" decode --lenient "$G/fhcrc.b64"
# kata-agent: async-compression ignores the reserved FLG bits; we accept
# them in an image with a warning at the flag byte (16 + 3).
warns "image read: reserved bits" "reserved.img: warning: at byte 19: gzip header: reserved flag bits 0x20 are set; accepted as the kata-agent accepts them (async-compression ignores them, as Go's compress/gzip does), but flate2 (kata-types, runtime-rs) rejects them and RFC 1952 says a reader must" \
    image read "$G/reserved.img"
same_file "image read: reserved bits" "$T/kata.toml" "$T/out"
warns "image read: all reserved bits" "at byte 19: gzip header: reserved flag bits 0xe0 are set; accepted" \
    image read "$G/reserved-all.img"
# flate2 (kata-types: strict) rejects reserved bits; Go's compress/gzip
# (--lenient) ignores them: accepted with a warning.
fails "decode: reserved bits" 1 "reserved.b64: error: at byte 4: gzip data byte 3: gzip header: reserved flag bits 0x20 are set: flate2 (kata-types, genpolicy, runtime-rs) rejects them, as RFC 1952 asks; Go's compress/gzip (kata shim, cloud-api-adaptor) and the kata-agent's image reader ignore them" \
    decode "$G/reserved.b64"
if grep -F -q "reserved.b64: note: the Go decoders (kata shim, cloud-api-adaptor) accept this value; --lenient" "$T/err"; then
    ok
else
    bad "decode: reserved bits: no note: $(cat "$T/err")"
fi
warns "decode --lenient: reserved bits" "reserved.b64: warning: at byte 4: gzip data byte 3: gzip header: reserved flag bits 0x20 are set; accepted as Go's compress/gzip (kata shim, cloud-api-adaptor) ignores them, but flate2 (kata-types, genpolicy, runtime-rs) rejects them" \
    decode --lenient "$G/reserved.b64"
same_file "decode --lenient: reserved bits" "$T/kata.toml" "$T/out"
# Go's compress/gzip reads FNAME/FCOMMENT into a 512-byte buffer, NUL
# included: 511 bytes pass, 512 fail; flate2 takes any length.
succeeds "decode: FNAME of 511 bytes" decode "$G/fname511.b64"
succeeds "decode --lenient: FNAME of 511 bytes" decode --lenient "$G/fname511.b64"
fails "decode --lenient: FNAME of 512 bytes" 1 "fname512.b64: error: at byte 12: gzip data byte 10: gzip header: the file name (FNAME) is 512 bytes: Go's compress/gzip (kata shim, cloud-api-adaptor) refuses a name or comment of 512 bytes or more (it reads them into a 512-byte buffer); flate2 (kata-types, genpolicy, runtime-rs) and the kata-agent accept it" \
    decode --lenient "$G/fname512.b64"
warns "decode: FNAME of 512 bytes" "fname512.b64: warning: at byte 12: gzip data byte 10: gzip header: the file name (FNAME) is 512 bytes; accepted as flate2 (kata-types, genpolicy, runtime-rs) accepts it, but Go's compress/gzip (kata shim, cloud-api-adaptor) refuses a name or comment of 512 bytes or more (lenient decoding refuses it)" \
    decode "$G/fname512.b64"
same_file "decode: FNAME of 512 bytes" "$T/kata.toml" "$T/out"
fails "decode --lenient: FCOMMENT of 4000 bytes" 1 "the comment (FCOMMENT) is 4000 bytes: Go's compress/gzip" \
    decode --lenient "$G/fcomment4000.b64"
succeeds "image read: FNAME of 512 bytes (the agent takes any)" image read "$G/fname512.img"
# Oracle: Python's own gzip reader agrees that these members are well formed.
for f in fhcrc reserved fname512 fcomment4000; do
    python3 -c 'import base64, gzip, sys; sys.stdout.buffer.write(gzip.decompress(base64.b64decode(open(sys.argv[1]).read())))' \
        "$G/$f.b64" >"$T/py.out" 2>/dev/null
    same_file "python gzip reads $f" "$T/kata.toml" "$T/py.out"
done

# --- usage, I/O, help ------------------------------------------------------------
fails "decode: no file" 2 "missing FILE" decode
fails "decode: bad option" 2 "unknown option '--strict'" decode --strict "$T/kata.b64"
fails "decode: bad --max-size" 2 "--max-size needs a byte count" decode --max-size 12x "$T/kata.b64"
fails "image: no subcommand" 2 "Usage: initdata image" image
fails "image: bad subcommand" 2 "unknown command 'write'" image write
fails "decode: missing file" 3 "cannot open $T/missing.b64" decode "$T/missing.b64"
fails "image read: missing file" 3 "cannot open" image read "$T/missing.img"
fails "encode: unwritable output" 3 "cannot create" encode -o "$T/no/such/dir/x" "$T/kata.toml"
for c in "encode" "decode" "image create" "image read"; do
    # shellcheck disable=SC2086 # the subcommand is two words on purpose
    run_tool $c --help
    same "$c --help exit status" 0 "$rc"
    if grep -q '^Examples:' "$T/out" && grep -q '\$ initdata' "$T/out"; then ok; else bad "$c --help has no example"; fi
done
succeeds "image --help" image --help

# --- the shared test data (EXPECTED.md) --------------------------------------------
shared=0
if [ -d "$S" ]; then
    shared=1
    python3 - "$S/kata/genpolicy-sample-pod-one-container.yaml" "$T/genpolicy.b64" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^\s*io\.katacontainers\.config\.hypervisor\.cc_init_data:\s*(\S+)\s*$", text, re.M)
open(sys.argv[2], "w").write(m.group(1))
PY
    same "genpolicy annotation length" 14544 "$(wc -c <"$T/genpolicy.b64" | tr -d ' ')"
    # file|bytes|algorithm|digest
    while IFS='|' read -r f bytes alg want; do
        name=${f##*/}
        succeeds "decode $name" decode "$f"
        same "decode $name: bytes" "$bytes" "$(wc -c <"$T/out" | tr -d ' ')"
        same "decode $name: $alg" "$want" "$(sha "$alg" "$T/out")"
        cp "$T/out" "$T/shared.toml"
        "$INITDATA" decode - <"$f" >"$T/out" 2>/dev/null
        same_file "decode - < $name" "$T/shared.toml" "$T/out"
        # re-encoding gives our deterministic bytes, which decode back
        "$INITDATA" encode "$T/shared.toml" | base64 -d | gzip -d >"$T/out"
        same_file "encode (decode $name) round trip" "$T/shared.toml" "$T/out"
    done <<EOF
$S/kata/runtime-utils-test.annotation.b64|113|sha256|c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5
$S/kata/how-to-agent-policy.annotation.b64|1518|sha256|2385c5da0959d063638b2ab4ac252ae18e825f6ecb69815e4206b38077d0bcdd
$T/genpolicy.b64|59565|sha256|38367f88f4b1d9fea79c6750b2755bbc58609a5d8b15f58e89646cf46ff2036e
$S/caa/provision-test.annotation.b64|4556|sha384|52af3178dd7ad4bf551e629b84b45bfd1fbe1434b980120267181ae3575ea20ca9013b8eadf31d27eed7ff2552d500ef
EOF
    "$INITDATA" decode "$S/caa/provision-test.annotation.b64" >"$T/out" 2>/dev/null
    same_file "caa annotation = caa/provision-test.toml" "$S/caa/provision-test.toml" "$T/out"

    # The public doc's annotation, one '=' short.
    fails "caa/doc-pod-annotation.b64" 1 "doc-pod-annotation.b64: error: at byte 3643: base64 is one '=' short" \
        decode "$S/caa/doc-pod-annotation.b64"
    if grep -F -q "both the Go decoders (kata shim, cloud-api-adaptor) and the Rust decoders" "$T/err"; then
        ok
    else
        bad "doc-pod-annotation: consumers: $(cat "$T/err")"
    fi
    # ...and with the '=' it decodes.
    { cat "$S/caa/doc-pod-annotation.b64"; printf '='; } >"$T/fixed.b64"
    succeeds "doc-pod-annotation + '='" decode "$T/fixed.b64"

    # The Kata agent's test image.
    succeeds "image read agent-testdata-initdata.img" image read "$S/kata/agent-testdata-initdata.img"
    same "image read agent-testdata-initdata.img" "some content" "$(cat "$T/out")"
    same "image read agent-testdata: 12 bytes" 12 "$(wc -c <"$T/out" | tr -d ' ')"
    printf 'some content' >"$T/some.txt"
    succeeds "image create (some content)" image create "$T/some.txt" -o "$T/some.img"
    same "image create: same size as kata's" 512 "$(wc -c <"$T/some.img" | tr -d ' ')"
    same "image create: same magic as kata's" "$(head -c 8 "$S/kata/agent-testdata-initdata.img" | od -An -tx1)" \
        "$(head -c 8 "$T/some.img" | od -An -tx1)"

    # The shared documents encode and round-trip through both encodings.
    for f in "$S/kata/default-initdata.toml" "$S/caa/provision-test.toml" \
        "$S/trustee/simple-init-data.toml" "$S/trustee/init-data-with-policy.toml"; do
        name=${f##*/}
        "$INITDATA" encode "$f" >"$T/s.b64" 2>"$T/err"
        base64 -d <"$T/s.b64" | gzip -d >"$T/out"
        same_file "encode $name | base64 -d | gzip -d" "$f" "$T/out"
        "$INITDATA" image create "$f" -o "$T/s.img" && "$INITDATA" image read "$T/s.img" >"$T/out"
        same_file "image create/read $name" "$f" "$T/out"
    done
else
    echo "codec: shared test data absent ('$S'): its part skipped"
fi

echo "codec: $pass passed, $fail failed"
if [ "$pass" -eq 0 ] && [ "$fail" -eq 0 ] && [ "$shared" -eq 0 ]; then
    exit 77
fi
[ "$fail" -eq 0 ]
