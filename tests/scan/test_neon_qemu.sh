#!/bin/sh
# test_neon_qemu.sh - the scanners' NEON code (lib/util/scan.c), run on an
# x86-64 machine: tests/scan/neon_check.c and scan.c are built for aarch64
# with clang (freestanding, no libc: the one library function scan.c calls,
# memcpy, comes with the check) and lld, then run under qemu-aarch64-static,
# which compares the NEON code with the portable code and a reference on
# random text, ASCII and base64, and fails if scan.c did not pick NEON.
# Then the same program with the code broken on purpose must fail, so that a
# check that cannot fail does not pass.  Skipped (77) without clang, lld or
# qemu-aarch64-static (Debian: clang, lld, qemu-user-static), or on arm64,
# where the unit tests run the NEON code natively.
# Env: IDT_SOURCE_DIR (the source tree).
set -u
src=${IDT_SOURCE_DIR:?IDT_SOURCE_DIR must name the source tree}
for tool in clang ld.lld qemu-aarch64-static; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "neon-qemu: skipped ($tool not found)"
        exit 77
    fi
done
if [ "$(uname -m)" = aarch64 ]; then
    echo "neon-qemu: skipped (arm64: the unit tests run NEON natively)"
    exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# A stand-in <string.h> for the freestanding build: scan.c needs memcpy.
printf '#include <stddef.h>\nvoid *memcpy(void *, const void *, size_t);\n' >"$T/string.h"
build() { # build OUT SCAN_C: the check linked with one scan.c
    clang --target=aarch64-linux-gnu -ffreestanding -nostdinc -fno-builtin -O2 \
        -isystem "$T" -isystem "$(clang -print-resource-dir)/include" \
        -DIDT_SIMD -I "$src/lib" -c "$src/tests/scan/neon_check.c" -o "$T/check.o" &&
        clang --target=aarch64-linux-gnu -ffreestanding -nostdinc -fno-builtin -O2 \
            -isystem "$T" -isystem "$(clang -print-resource-dir)/include" \
            -DIDT_SIMD -I "$src/lib" -c "$2" -o "$T/scan.o" &&
        ld.lld -static -e _start "$T/check.o" "$T/scan.o" -o "$1"
}
if ! build "$T/check" "$src/lib/util/scan.c"; then
    echo "FAIL: neon-qemu: building the aarch64 check failed" >&2
    exit 1
fi
qemu-aarch64-static "$T/check"
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "FAIL: neon-qemu: the NEON scanners disagree with the portable code (exit $rc)" >&2
    exit 1
fi
# The first match found one byte late must be caught.
sed 's|return i + (size_t)__builtin_ctzll(m) / 4;|return i + (size_t)__builtin_ctzll(m) / 4 + 1;|' \
    "$src/lib/util/scan.c" >"$T/broken.c"
if cmp -s "$src/lib/util/scan.c" "$T/broken.c" || ! build "$T/broken" "$T/broken.c"; then
    echo "FAIL: neon-qemu: could not build the broken variant" >&2
    exit 1
fi
if qemu-aarch64-static "$T/broken"; then
    echo "FAIL: neon-qemu: a broken NEON scanner passed the check" >&2
    exit 1
fi
echo "neon-qemu: 2 passed, 0 failed (NEON scanners agree with the portable code under qemu)"
