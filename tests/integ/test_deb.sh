#!/bin/sh
# The Debian packages: `dpkg-buildpackage -us -uc -b` in a copy of the source
# tree (never in the tree itself), then:
#   * the three packages are there: initdata, libinitdata0, libinitdata-dev;
#   * lintian reports no error (when lintian is installed; its other tags are
#     printed);
#   * unpacked with `dpkg-deb -x` into a scratch root: the library's soname is
#     libinitdata.so.0 (objdump), the tool has its man pages, completion,
#     systemd units and kubectl/kustomize links;
#   * the seed flow (scripts/run-default.sh, what `make run` does) runs with
#     the unpacked tool and succeeds;
#   * a program built with `pkg-config --cflags --libs initdata` from the
#     unpacked -dev package runs against the unpacked shared library.
# Skipped when dpkg-buildpackage or debhelper (dh) is not installed.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

for tool in dpkg-buildpackage dh dpkg-deb objdump; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "deb: skipped ($tool is not installed: apt-get install dpkg-dev debhelper binutils)"
        exit 77
    fi
done
SRC=$(cd "${IDT_SOURCE_DIR:-$(dirname "$0")/../..}" && pwd)
VERSION=$(sed -n '1s/^initdata (\([^)]*\)).*/\1/p' "$SRC/debian/changelog")
ARCH=$(dpkg --print-architecture)
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

# --- build, in a copy ---------------------------------------------------------
mkdir -p "$T/src/initdata-$VERSION"
(cd "$SRC" && tar cf - --exclude=./.git --exclude='./build*' --exclude=./seed-out \
    --exclude=./fuzz-out --exclude='__pycache__' --exclude=./debian/.debhelper \
    --exclude=./obj-* .) | (cd "$T/src/initdata-$VERSION" && tar xf -)
start=$(date +%s)
(cd "$T/src/initdata-$VERSION" && DEB_BUILD_OPTIONS="parallel=${IDT_DEB_JOBS:-2}" \
    dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1
rc=$?
echo "deb: dpkg-buildpackage took $(($(date +%s) - start)) s"
status "dpkg-buildpackage -us -uc -b" 0
if [ "$rc" -ne 0 ]; then
    tail -40 "$T/build.log" >&2
    echo "deb: $pass passed, $fail failed"
    exit 1
fi
# a symbol that disappeared breaks the ABI: a failure; a new one only needs
# a line in debian/libinitdata0.symbols: a note
if grep -q 'dpkg-gensymbols: warning: some symbols or patterns disappeared' "$T/build.log"; then
    bad "dpkg-gensymbols: symbols disappeared from libinitdata.so.0: $(grep -A30 'disappeared' "$T/build.log" | grep '^-' | head -30)"
else ok; fi
if grep -q 'dpkg-gensymbols: warning: some new symbols appeared' "$T/build.log"; then
    echo "deb: note: new symbols, add them to debian/libinitdata0.symbols:"
    grep '^+ ' "$T/build.log" | head -50
fi
for p in initdata libinitdata0 libinitdata-dev; do
    if [ -f "$T/src/${p}_${VERSION}_$ARCH.deb" ]; then ok; else bad "no package $p"; fi
done

# --- lintian --------------------------------------------------------------------
if command -v lintian >/dev/null 2>&1; then
    lintian --fail-on error "$T/src/initdata_${VERSION}_$ARCH.changes" >"$T/lintian" 2>&1
    rc=$?
    status "lintian: no error" 0
    if [ -s "$T/lintian" ]; then
        echo "deb: lintian's other tags:"
        cat "$T/lintian"
    fi
    if grep -q '^E: ' "$T/lintian"; then bad "lintian errors: $(grep '^E: ' "$T/lintian")"; else ok; fi
else
    echo "deb: note: lintian is not installed: the packages are not linted"
fi

# --- unpack and look ---------------------------------------------------------------
R=$T/root
for p in initdata libinitdata0 libinitdata-dev; do
    dpkg-deb -x "$T/src/${p}_${VERSION}_$ARCH.deb" "$R" || bad "dpkg-deb -x $p"
done
LIB=$R/usr/lib/$MA
same "soname" "libinitdata.so.0" \
    "$(objdump -p "$LIB/libinitdata.so.0" 2>/dev/null | awk '$1 == "SONAME" {print $2}')"
for f in usr/bin/initdata usr/bin/kubectl-initdata usr/bin/initdata-krm \
    usr/lib/kustomize/plugin/initdata.confidentialcontainers.org/v1alpha1/initdata/InitData \
    usr/share/man/man1/initdata.1.gz usr/share/man/man1/initdata-krm.1.gz \
    usr/share/man/man1/kubectl-initdata.1.gz \
    usr/share/bash-completion/completions/initdata usr/share/zsh/vendor-completions/_initdata \
    lib/systemd/system/initdata-apply.service lib/systemd/system/initdata-apply-peerpod.service \
    "usr/lib/$MA/libinitdata.so.0" "usr/lib/$MA/libinitdata.so" "usr/lib/$MA/libinitdata.a" \
    "usr/lib/$MA/pkgconfig/initdata.pc" usr/include/initdata/initdata.h; do
    if [ -e "$R/$f" ]; then ok; else bad "not in the packages: /$f"; fi
done
if grep -q '^ExecStart=/usr/bin/initdata apply ' "$R/lib/systemd/system/initdata-apply.service"; then ok; else
    bad "initdata-apply.service does not run /usr/bin/initdata"
fi
"$R/usr/bin/initdata" completion bash >"$T/completion"
if cmp -s "$T/completion" "$R/usr/share/bash-completion/completions/initdata"; then ok; else
    bad "the packaged completion is not what the packaged tool generates"
fi

# --- the seed flow, from the unpacked root ------------------------------------------
sh "$SRC/scripts/run-default.sh" "$R/usr/bin/initdata" "$T/seed" >"$T/seed.log" 2>&1
rc=$?
status "seed flow with the packaged tool" 0
if grep -q '^ok: the annotation decodes to the exact bytes' "$T/seed.log"; then ok; else
    bad "seed flow: $(tail -20 "$T/seed.log")"
fi

# --- the -dev package: pkg-config, headers, the shared library -------------------------
if command -v pkg-config >/dev/null 2>&1 && command -v cc >/dev/null 2>&1; then
    cat >"$T/prog.c" <<'EOF'
#include <initdata/initdata.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    static const char doc[] = "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n";
    char *value = NULL;
    size_t len = 0;
    if (idt_codec_encode(&value, &len, doc, strlen(doc), NULL, NULL) != IDT_OK)
        return 1;
    printf("%s %.4s\n", idt_version(), value);
    idt_free(value);
    return 0;
}
EOF
    flags=$(PKG_CONFIG_SYSROOT_DIR=$R PKG_CONFIG_PATH=$LIB/pkgconfig pkg-config --cflags --libs initdata)
    # shellcheck disable=SC2086  # flags: words from pkg-config
    if cc -o "$T/prog" "$T/prog.c" $flags 2>"$T/cc.err"; then ok; else bad "cc with pkg-config's flags ($flags): $(cat "$T/cc.err")"; fi
    same "a program on the packaged shared library" "$VERSION H4sI" \
        "$(LD_LIBRARY_PATH=$LIB "$T/prog" 2>&1)"
    if LD_LIBRARY_PATH=$LIB ldd "$T/prog" | grep -q "$LIB/libinitdata.so.0"; then ok; else
        bad "the program does not load $LIB/libinitdata.so.0"
    fi
fi

echo "deb: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
