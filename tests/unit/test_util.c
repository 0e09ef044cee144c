/* Unit tests of the internal helpers in lib/util that no module's test
 * covers on its own.  Expected values are worked out by hand from the
 * specifications (RFC 3629 for UTF-8, FIPS 180-4's "abc" for SHA-256). */
#include "idt_unit.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/arena.h"
#include "util/hex.h"
#include "util/quote.h"
#include "util/sha256.h"
#include "util/utf8.h"

/* --- hex ------------------------------------------------------------------ */

static void test_hex__encode(void **state)
{
    (void)state;
    static const uint8_t bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
    char out[2 * sizeof bytes + 1];
    assert_int_equal(idtx_hex_encode(out, bytes, sizeof bytes), 12);
    assert_string_equal(out, "00017f80abff");
    memset(out, 'x', sizeof out);
    assert_int_equal(idtx_hex_encode(out, bytes, 0), 0);
    assert_string_equal(out, "");
}

static void test_hex__decode(void **state)
{
    (void)state;
    uint8_t out[4] = { 0 };
    assert_int_equal(idtx_hex_decode(out, "00aBFf", 6), 0);
    assert_int_equal(out[0], 0x00);
    assert_int_equal(out[1], 0xab);
    assert_int_equal(out[2], 0xff);
    assert_int_equal(idtx_hex_decode(out, "", 0), 0);
    assert_int_equal(idtx_hex_decode(out, "abc", 3), -1);  /* odd */
    assert_int_equal(idtx_hex_decode(out, "0g", 2), -1);   /* not a digit */
    assert_int_equal(idtx_hex_decode(out, "0 ", 2), -1);
    assert_int_equal(idtx_hex_decode(out, "x0", 2), -1);
}

static void test_hex__digits(void **state)
{
    (void)state;
    assert_int_equal(idtx_hex_value('0'), 0);
    assert_int_equal(idtx_hex_value('9'), 9);
    assert_int_equal(idtx_hex_value('a'), 10);
    assert_int_equal(idtx_hex_value('F'), 15);
    assert_int_equal(idtx_hex_value('g'), -1);
    assert_int_equal(idtx_hex_value('/'), -1);
    assert_int_equal(idtx_hex_decode_u32("0041", 4), 0x41);
    assert_int_equal(idtx_hex_decode_u32("10FFFF", 6), 0x10ffff);
    assert_int_equal(idtx_hex_decode_u32("0001F600", 8), 0x1f600);
    assert_int_equal(idtx_hex_decode_u32("ffffffff", 8), 0xffffffffu);
    assert_int_equal(idtx_hex_decode_u32("", 0), 0);
}

/* --- UTF-8 ---------------------------------------------------------------- */

static void test_utf8__decode(void **state)
{
    (void)state;
    /* Every well-formed character is decoded in the round-trip test below;
     * here, that decoding stops at the end of the character... */
    uint32_t got = 0;
    assert_int_equal(idtx_utf8_decode((const unsigned char *)"\xc3\xa9x", 3, &got), 2);
    assert_int_equal(got, 0xe9);
    assert_int_equal(idtx_utf8_decode((const unsigned char *)"Ab", 2, &got), 1);
    assert_int_equal(got, 0x41);
    /* ...and what is not well-formed is refused. */
    static const struct {
        const char *s;
        size_t n;
    } bad[] = {
        { "\x80", 1 },             /* a continuation byte */
        { "\xc0\x80", 2 },         /* overlong NUL */
        { "\xc1\xbf", 2 },         /* overlong */
        { "\xe0\x9f\xbf", 3 },     /* overlong */
        { "\xed\xa0\x80", 3 },     /* surrogate U+D800 */
        { "\xed\xbf\xbf", 3 },     /* surrogate U+DFFF */
        { "\xf0\x8f\xbf\xbf", 4 }, /* overlong */
        { "\xf4\x90\x80\x80", 4 }, /* U+110000 */
        { "\xf5\x80\x80\x80", 4 },
        { "\xff", 1 },
        { "\xe2\x82", 2 },         /* cut off by the end */
        { "\xe2\x28\xac", 3 },     /* bad continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t cp = 0x1234;
        assert_int_equal(idtx_utf8_decode((const unsigned char *)bad[i].s, bad[i].n, &cp), 0);
        assert_int_equal(cp, 0x1234); /* untouched */
    }
}

static void test_utf8__encode(void **state)
{
    (void)state;
    static const struct {
        uint32_t cp;
        const char *want;
    } cases[] = {
        { 0, "\0" },  { 0x41, "A" },   { 0x7f, "\x7f" },       { 0x80, "\xc2\x80" },
        { 0xe9, "\xc3\xa9" }, { 0x7ff, "\xdf\xbf" }, { 0x800, "\xe0\xa0\x80" },
        { 0x20ac, "\xe2\x82\xac" }, { 0xffff, "\xef\xbf\xbf" },
        { 0x10000, "\xf0\x90\x80\x80" }, { 0x10ffff, "\xf4\x8f\xbf\xbf" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[4];
        size_t want_len = cases[i].cp ? strlen(cases[i].want) : 1;
        assert_int_equal(idtx_utf8_encoded_len(cases[i].cp), want_len);
        assert_int_equal(idtx_utf8_encode(out, cases[i].cp), want_len);
        assert_memory_equal(out, cases[i].want, want_len);
    }
}

/* Every scalar value survives encode, check and decode, and nothing else
 * of its length decodes: the three functions agree on all of Unicode. */
static void test_utf8__roundtrip_all_scalars(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff)
            continue;
        unsigned char buf[4];
        uint32_t back = 0;
        size_t n = idtx_utf8_encode((char *)buf, cp);
        if (n != idtx_utf8_encoded_len(cp) || idtx_utf8_seq(buf, n, NULL) != n ||
            idtx_utf8_decode(buf, n, &back) != n || back != cp)
            fail_msg("U+%04X does not round-trip", (unsigned)cp);
    }
}

/* --- quoting -------------------------------------------------------------- */

static void assert_quote(const char *s, size_t len, const char *want)
{
    char q[IDTX_QUOTE_MAX];
    assert_ptr_equal(idtx_quote(q, s, len), q);
    assert_string_equal(q, want);
    assert_true(strlen(q) < IDTX_QUOTE_MAX);
}

/* Each case is the text as bytes (S() counts them, NULs included) and the
 * quoted form expected. */
#define S(lit) lit, sizeof lit - 1

static void test_quote__escapes_and_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
        const char *want;
    } cases[] = {
        { S(""), "\"\"" },
        { S("abc"), "\"abc\"" },
        { S("a\"b\\c"), "\"a\\\"b\\\\c\"" },
        { S("\n\t\r"), "\"\\n\\t\\r\"" },
        { S("\x01\x1b[31m\x7f"), "\"\\x01\\x1b[31m\\x7f\"" },
        { S("a\0b"), "\"a\\x00b\"" },
        /* Well-formed UTF-8 is kept as it is... */
        { S("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
          "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
        /* ...anything else is escaped byte by byte: the message stays UTF-8. */
        { S("\xff\xfe"), "\"\\xff\\xfe\"" },
        { S("\xc3("), "\"\\xc3(\"" },
        { S("\xc0\x80"), "\"\\xc0\\x80\"" },
        { S("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"" },
        { S("\xe2\x82"), "\"\\xe2\\x82\"" },
        /* An 8-byte binary magic, as the image reader shows one. */
        { S("\x1f\x8b\x08\x00\x89PNG"), "\"\\x1f\\x8b\\x08\\x00\\x89PNG\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_quote(cases[i].s, cases[i].len, cases[i].want);
}

static void test_quote__bounded(void **state)
{
    (void)state;
    char s[200], want[IDTX_QUOTE_MAX];
    /* Long text: IDTX_QUOTE_KEEP bytes, then "...". */
    memset(s, 'a', sizeof s);
    snprintf(want, sizeof want, "\"%.*s\"...", IDTX_QUOTE_KEEP, s);
    assert_quote(s, sizeof s, want);
    /* Exactly IDTX_QUOTE_KEEP bytes: no "...". */
    snprintf(want, sizeof want, "\"%.*s\"", IDTX_QUOTE_KEEP, s);
    assert_quote(s, IDTX_QUOTE_KEEP, want);
    /* A character across the cut is left out whole, not split. */
    memcpy(s + IDTX_QUOTE_KEEP - 1, "\xe2\x82\xac", 3);
    snprintf(want, sizeof want, "\"%.*s\"...", IDTX_QUOTE_KEEP - 1, s);
    assert_quote(s, sizeof s, want);
    /* The worst case, every byte escaped, fits IDTX_QUOTE_MAX. */
    memset(s, 0x01, sizeof s);
    assert_quote(s, IDTX_QUOTE_KEEP, "\"\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01"
                                     "\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01"
                                     "\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01"
                                     "\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01"
                                     "\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\"");
    /* A run of stray continuation bytes is cut at once, not walked back to
     * nothing: at most 3 bytes (a sequence is at most 4) are given up. */
    memset(s, 0x80, sizeof s);
    char q[IDTX_QUOTE_MAX];
    idtx_quote(q, s, sizeof s);
    assert_int_equal(strlen(q), 1 + 4 * (IDTX_QUOTE_KEEP - 3) + 1 + 3);
    assert_memory_equal(q, "\"\\x80\\x80", 9);
}

/* --- SHA-256 of a concatenation ------------------------------------------- */

static void test_sha256__concat(void **state)
{
    (void)state;
    /* FIPS 180-4's "abc", split anywhere. */
    static const char *const abc =
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    uint8_t h[32];
    char hex[65];
    static const char text[] = "abc";
    for (size_t cut = 0; cut <= 3; cut++) {
        assert_int_equal(idtx_sha256_concat(h, text, cut, &text[cut], 3 - cut), 0);
        idtx_hex_encode(hex, h, sizeof h);
        assert_string_equal(hex, abc);
    }
    /* The PCR extend of a zero PCR 8 with 32 zero bytes: SHA-256 of 64
     * zero bytes. */
    static const uint8_t zero[32];
    assert_int_equal(idtx_sha256_concat(h, zero, 32, zero, 32), 0);
    idtx_hex_encode(hex, h, sizeof h);
    assert_string_equal(hex, "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b");
}

/* ---- arena ------------------------------------------------------------------ */

/* Many small blocks (past the point where the arena maps its 2 MiB chunks),
 * some big ones, all aligned, all writable, none overlapping: each keeps
 * the pattern written into it. */
static void test_arena__small_big_and_mapped(void **state)
{
    (void)state;
    idtx_arena a = IDTX_ARENA_INIT;
    enum { N = 60000 };
    static unsigned char *blocks[N];
    static size_t sizes[N];
    size_t total = 0;
    for (size_t i = 0; i < N; i++) {
        sizes[i] = i % 1000 == 999 ? 20000 + i : 1 + (i * 7919) % 120;
        blocks[i] = idtx_arena_alloc(&a, sizes[i]);
        assert_non_null(blocks[i]);
        assert_int_equal((uintptr_t)blocks[i] % _Alignof(max_align_t), 0);
        memset(blocks[i], (int)(i & 0xff), sizes[i]);
        total += sizes[i];
    }
    assert_true(total > ((size_t)4 << 20)); /* reached the mapped chunks */
    for (size_t i = 0; i < N; i++)
        for (size_t k = 0; k < sizes[i]; k += 7)
            assert_int_equal(blocks[i][k], i & 0xff);
    char *s = idtx_arena_strndup(&a, "abc", 2);
    assert_string_equal(s, "ab");
    assert_null(idtx_arena_alloc(&a, SIZE_MAX));
    idtx_arena_dispose(&a);
    /* Reusable after dispose. */
    assert_non_null(idtx_arena_alloc(&a, 10));
    idtx_arena_dispose(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena__small_big_and_mapped),
        cmocka_unit_test(test_hex__encode),
        cmocka_unit_test(test_hex__decode),
        cmocka_unit_test(test_hex__digits),
        cmocka_unit_test(test_utf8__decode),
        cmocka_unit_test(test_utf8__encode),
        cmocka_unit_test(test_utf8__roundtrip_all_scalars),
        cmocka_unit_test(test_quote__escapes_and_utf8),
        cmocka_unit_test(test_quote__bounded),
        cmocka_unit_test(test_sha256__concat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
