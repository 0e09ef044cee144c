/* Unit tests of the internal helpers in lib/util that no module's test
 * covers on its own.  Expected values are worked out by hand from the
 * specifications (RFC 3629 for UTF-8, FIPS 180-4's "abc" for SHA-256). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/hex.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex__encode),
        cmocka_unit_test(test_hex__decode),
        cmocka_unit_test(test_hex__digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
