#!/bin/sh
# Every public header compiles on its own, as strict C11 and as C++11, the
# way an embedder includes it (<initdata/X.h> with -I include/).
set -u
: "${IDT_SOURCE_DIR:?IDT_SOURCE_DIR must name the source tree}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0
for h in "$IDT_SOURCE_DIR"/include/initdata/*.h; do
    name=$(basename "$h")
    printf '#include <initdata/%s>\nint idt_headertest_%s;\n' "$name" "$(echo "$name" | tr -c 'a-z0-9\n' _)" \
        >"$T/t.c"
    cp "$T/t.c" "$T/t.cpp"
    for lang in c cpp; do
        if [ "$lang" = c ]; then
            cc=${CC:-cc} std=-std=c11 src=$T/t.c
        else
            cc=${CXX:-c++} std=-std=c++11 src=$T/t.cpp
        fi
        if "$cc" $std -pedantic -Wall -Wextra -Werror -I"$IDT_SOURCE_DIR/include" \
            -c "$src" -o "$T/t.o" 2>"$T/err"; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "FAIL: $name as $lang:" >&2
            cat "$T/err" >&2
        fi
    done
done
echo "headers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
