/* Unit tests of lib/util/scan.h, the wide scanners: the build's choice
 * (SSE2, NEON or portable, idtx_scan_impl) and the portable code are both
 * compared with a byte-at-a-time reference on the same inputs, so a build
 * with vectors tests both, and `make test` also runs this on a build with
 * IDT_SIMD=OFF.  Inputs: random bytes drawn from small alphabets that hit
 * every class (plain, tab, LF, CR, other controls, DEL, quotes,
 * backslash, non-ASCII), at every start offset and length around the
 * 8- and 16-byte blocks; base64 with one bad byte at every position. */
#include "idt_unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/scan.h"

typedef struct result {
    size_t at;
    uint32_t lines;
    size_t line_start;
} result;

static result reference_text(const char *s, size_t i, size_t n, unsigned char s1,
                             unsigned char s2, unsigned flags)
{
    result r = { n, 7, 12345 };
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' && (flags & IDTX_SCAN_LF)) {
            r.lines++;
            r.line_start = i + 1;
            continue;
        }
        if (c == '\t')
            continue;
        if (c < 0x20 || c >= 0x7f || c == s1 || c == s2) {
            r.at = i;
            break;
        }
    }
    return r;
}

typedef size_t (*text_fn)(const char *, size_t, size_t, unsigned char, unsigned char, unsigned,
                          uint32_t *, size_t *);

static result run_text(text_fn fn, const char *s, size_t i, size_t n, unsigned char s1,
                       unsigned char s2, unsigned flags)
{
    result r = { 0, 7, 12345 };
    r.at = fn(s, i, n, s1, s2, flags, &r.lines, &r.line_start);
    return r;
}

static void check_text(const char *s, size_t i, size_t n, unsigned char s1, unsigned char s2,
                       unsigned flags)
{
    result want = reference_text(s, i, n, s1, s2, flags);
    result fast = run_text(idtx_scan_text, s, i, n, s1, s2, flags);
    result port = run_text(idtx_scan_text_portable, s, i, n, s1, s2, flags);
    if (fast.at != want.at || port.at != want.at || fast.lines != want.lines ||
        port.lines != want.lines || fast.line_start != want.line_start ||
        port.line_start != want.line_start)
        fail_msg("scan_text(%s) from %zu of %zu, stops %02x %02x, flags %u: want %zu/%u/%zu, "
                 "got %zu/%u/%zu, portable %zu/%u/%zu", idtx_scan_impl(), i, n, s1, s2, flags,
                 want.at, want.lines, want.line_start, fast.at, fast.lines, fast.line_start,
                 port.at, port.lines, port.line_start);
}

static void test_scan__text_matches_reference(void **state)
{
    (void)state;
    /* Mostly plain text, with each special class now and then. */
    static const char pool[] = "abcdefgh ijklmnop qrstuvwxyz 0123456789 {}[]=.,-_"
                               "\t\n\n\n\r\x01\x1f\x7f\x80\xc3\xa9\xff\"'\\";
    char buf[200];
    srand(15);
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(rand() % (int)sizeof buf);
        int plain = rand() % 4; /* how often a special byte appears */
        for (size_t k = 0; k < n; k++) {
            int p = plain == 0 ? (int)sizeof pool - 1 : 49;
            if (plain && rand() % (8 * plain) == 0)
                p = (int)sizeof pool - 1;
            buf[k] = pool[rand() % p];
        }
        size_t from = n ? (size_t)(rand() % (int)(n + 1)) : 0;
        static const unsigned char stops[][2] = { { '"', '\\' }, { '\'', '\'' },
                                                  { '\n', '\n' }, { 'z', '0' } };
        for (size_t s = 0; s < sizeof stops / sizeof stops[0]; s++)
            for (unsigned flags = 0; flags <= IDTX_SCAN_LF; flags++)
                if (!(flags && stops[s][0] == '\n')) /* not a stop with the flag */
                    check_text(buf, from, n, stops[s][0], stops[s][1], flags);
    }
}

/* One special byte at each position of a long plain run: the block
 * boundaries of both codes are crossed at every offset. */
static void test_scan__text_every_position(void **state)
{
    (void)state;
    static const char specials[] = "\n\r\t\x01\x7f\x80\xff\"'\\";
    char buf[80];
    for (size_t k = 0; k < sizeof specials - 1; k++)
        for (size_t at = 0; at < sizeof buf; at++)
            for (size_t from = 0; from < 20; from++) {
                memset(buf, 'x', sizeof buf);
                buf[at] = specials[k];
                check_text(buf, from, sizeof buf, '"', '\\', 0);
                check_text(buf, from, sizeof buf, '\'', '\'', IDTX_SCAN_LF);
            }
    /* Many LFs, the last one in the middle of a block. */
    for (size_t at = 0; at < sizeof buf; at++) {
        for (size_t j = 0; j < sizeof buf; j++)
            buf[j] = j % 3 == 0 ? '\n' : 'y';
        buf[at] = '\'';
        check_text(buf, 0, sizeof buf, '\'', '\'', IDTX_SCAN_LF);
    }
}

/* Long runs: the vector code sums its line-feed counts every 255 blocks;
 * runs past that, with the stop and the last LF anywhere. */
static void test_scan__text_long_runs(void **state)
{
    (void)state;
    enum { LEN = 20000 };
    static char buf[LEN];
    for (size_t j = 0; j < LEN; j++)
        buf[j] = j % 37 == 36 ? '\n' : (char)('a' + j % 26);
    check_text(buf, 0, LEN, '\'', '\'', IDTX_SCAN_LF);
    check_text(buf, 3, LEN, '"', '\\', IDTX_SCAN_LF);
    for (size_t at = 4070; at < 4110; at++) {
        char keep = buf[at];
        buf[at] = '\'';
        check_text(buf, 0, LEN, '\'', '\'', IDTX_SCAN_LF);
        check_text(buf, 17, LEN, '\'', '\'', IDTX_SCAN_LF);
        buf[at] = keep;
    }
    for (size_t at = 16310; at < 16330; at++) {
        char keep = buf[at];
        buf[at] = '\x01';
        check_text(buf, 5, LEN, '\'', '\'', IDTX_SCAN_LF);
        buf[at] = keep;
    }
    /* Every byte a line feed: 255 in every lane before the sum. */
    memset(buf, '\n', LEN);
    check_text(buf, 0, LEN, '\'', '\'', IDTX_SCAN_LF);
    buf[LEN - 100] = '\'';
    check_text(buf, 1, LEN, '\'', '\'', IDTX_SCAN_LF);
}

static void test_scan__ascii_matches_reference(void **state)
{
    (void)state;
    char buf[100];
    static const char specials[] = { 0, (char)0x80, (char)0xc3, (char)0xff };
    for (size_t k = 0; k < sizeof specials; k++)
        for (size_t at = 0; at <= sizeof buf; at++)
            for (size_t from = 0; from < 40; from++) {
                for (size_t j = 0; j < sizeof buf; j++)
                    buf[j] = (char)(1 + j % 127);
                if (at < sizeof buf)
                    buf[at] = specials[k];
                size_t want = at >= from && at < sizeof buf ? at : sizeof buf;
                assert_int_equal(idtx_scan_ascii(buf, from, sizeof buf), want);
                assert_int_equal(idtx_scan_ascii_portable(buf, from, sizeof buf), want);
            }
}

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t reference_quanta(unsigned char *dst, const char *src, size_t n)
{
    size_t at = 0, out = 0;
    for (; n - at >= 4; at += 4) {
        uint32_t v = 0;
        for (size_t k = 0; k < 4; k++) {
            const char *c = src[at + k] ? strchr(alphabet, src[at + k]) : NULL;
            if (!c)
                return at;
            v = v << 6 | (uint32_t)(c - alphabet);
        }
        dst[out++] = (unsigned char)(v >> 16);
        dst[out++] = (unsigned char)(v >> 8);
        dst[out++] = (unsigned char)v;
    }
    return at;
}

static void check_quanta(const char *src, size_t n)
{
    unsigned char want[256], fast[256], port[256];
    memset(want, 0xaa, sizeof want);
    memset(fast, 0xaa, sizeof fast);
    memset(port, 0xaa, sizeof port);
    size_t w = reference_quanta(want, src, n);
    size_t f = idtx_base64_quanta(fast, src, n);
    size_t p = idtx_base64_quanta_portable(port, src, n);
    if (w != f || w != p)
        fail_msg("base64_quanta(%s) of %zu symbols: want %zu, got %zu, portable %zu",
                 idtx_scan_impl(), n, w, f, p);
    /* Nothing beyond the decoded bytes is written. */
    assert_memory_equal(want, fast, sizeof want);
    assert_memory_equal(want, port, sizeof want);
}

static void test_scan__base64_matches_reference(void **state)
{
    (void)state;
    static const char bad[] = "=\n\r -_.\x80\xff";
    char buf[160];
    srand(64);
    for (size_t n = 0; n < sizeof buf; n++) {
        for (size_t k = 0; k < n; k++)
            buf[k] = alphabet[rand() % 64];
        check_quanta(buf, n);
        for (size_t at = 0; at < n; at++) {
            char keep = buf[at];
            buf[at] = bad[(at + n) % (sizeof bad - 1)];
            check_quanta(buf, n);
            buf[at] = keep;
        }
    }
    /* Every symbol of the alphabet in every lane. */
    for (size_t shift = 0; shift < 64; shift++) {
        for (size_t k = 0; k < 128; k++)
            buf[k] = alphabet[(k + shift) % 64];
        check_quanta(buf, 128);
    }
}

/* The build's choice is the one IDT_SIMD asked for. */
static void test_scan__impl_follows_the_build(void **state)
{
    (void)state;
#if !defined(IDT_SIMD)
    assert_string_equal(idtx_scan_impl(), "portable");
#elif defined(__x86_64__)
    assert_string_equal(idtx_scan_impl(), "sse2");
#elif defined(__aarch64__)
    assert_string_equal(idtx_scan_impl(), "neon");
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan__impl_follows_the_build),
        cmocka_unit_test(test_scan__text_matches_reference),
        cmocka_unit_test(test_scan__text_every_position),
        cmocka_unit_test(test_scan__text_long_runs),
        cmocka_unit_test(test_scan__ascii_matches_reference),
        cmocka_unit_test(test_scan__base64_matches_reference),
    };
    printf("scan: testing the %s code against the portable code and a reference\n",
           idtx_scan_impl());
    return cmocka_run_group_tests(tests, NULL, NULL);
}
