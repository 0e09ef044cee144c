/* neon_check.c - a freestanding aarch64 program that runs lib/util/scan.c's
 * NEON code against its portable code and a reference (test_neon_qemu.sh
 * builds it with clang and lld and runs it under qemu-aarch64-static).
 * Exit status: 0 all agree, 1 a disagreement, 99 not built with NEON. */
#include <stddef.h>
#include <stdint.h>
#include "util/scan.h"

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *a = d;
    const unsigned char *b = s;
    while (n--)
        *a++ = *b++;
    return d;
}

static void sys_exit(int code)
{
    register long x0 __asm__("x0") = code;
    register long x8 __asm__("x8") = 93;
    __asm__ volatile("svc #0" : : "r"(x0), "r"(x8));
    for (;;)
        ;
}

static uint32_t rng = 12345;
static uint32_t rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static size_t ref_text(const char *s, size_t i, size_t n, unsigned char s1, unsigned char s2,
                       unsigned flags, uint32_t *lines, size_t *ls)
{
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' && (flags & IDTX_SCAN_LF)) {
            ++*lines;
            *ls = i + 1;
            continue;
        }
        if (c == '\t')
            continue;
        if (c < 0x20 || c >= 0x7f || c == s1 || c == s2)
            return i;
    }
    return n;
}

static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void _start(void)
{
    static const char pool[] = "abcdefgh ijklmnop qrstuvwxyz 0123456789 {}[]=.,-_"
                               "\t\n\n\n\r\x01\x1f\x7f\x80\xc3\xa9\xff\"'\\";
    static char buf[200];
    static unsigned char o1[300], o2[300];
    int fails = 0;
    if (idtx_scan_impl()[0] != 'n')
        sys_exit(99);
    for (int round = 0; round < 20000; round++) {
        size_t n = rnd() % sizeof buf;
        int plain = (int)(rnd() % 4);
        for (size_t k = 0; k < n; k++) {
            size_t p = plain == 0 ? sizeof pool - 1 : 49;
            if (plain && rnd() % (8u * (unsigned)plain) == 0)
                p = sizeof pool - 1;
            buf[k] = pool[rnd() % p];
        }
        size_t from = n ? rnd() % (n + 1) : 0;
        static const unsigned char stops[3][2] = { { '"', '\\' }, { '\'', '\'' }, { 'z', '0' } };
        for (int s = 0; s < 3; s++)
            for (unsigned f = 0; f <= 1; f++) {
                uint32_t l1 = 7, l2 = 7, l3 = 7;
                size_t a1 = 9, a2 = 9, a3 = 9;
                size_t r1 = ref_text(buf, from, n, stops[s][0], stops[s][1], f, &l1, &a1);
                size_t r2 = idtx_scan_text(buf, from, n, stops[s][0], stops[s][1], f, &l2, &a2);
                size_t r3 = idtx_scan_text_portable(buf, from, n, stops[s][0], stops[s][1], f,
                                                    &l3, &a3);
                if (r1 != r2 || r1 != r3 || l1 != l2 || l1 != l3 || a1 != a2 || a1 != a3)
                    fails++;
            }
        /* ASCII scan */
        size_t w = n;
        for (size_t k = from; k < n; k++)
            if (buf[k] == 0 || (unsigned char)buf[k] >= 0x80) {
                w = k;
                break;
            }
        if (idtx_scan_ascii(buf, from, n) != w || idtx_scan_ascii_portable(buf, from, n) != w)
            fails++;
        /* base64 */
        for (size_t k = 0; k < n; k++)
            buf[k] = alpha[rnd() % 64];
        if (n && rnd() % 2)
            buf[rnd() % n] = "=\n -\x80"[rnd() % 5];
        for (size_t k = 0; k < sizeof o1; k++)
            o1[k] = o2[k] = 0xaa;
        size_t q1 = idtx_base64_quanta(o1, buf, n), q2 = idtx_base64_quanta_portable(o2, buf, n);
        if (q1 != q2)
            fails++;
        for (size_t k = 0; k < sizeof o1; k++)
            if (o1[k] != o2[k])
                fails++;
    }
    sys_exit(fails ? 1 : 0);
}
