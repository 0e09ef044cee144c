/*
 * Unit tests of the TOML parser (include/initdata/toml.h): integers, floats,
 * booleans and the four date-time kinds.  The machinery of the cases is in
 * toml_cases.h.
 */
#include "toml_cases.h"

/* ---- integers ---------------------------------------------------------------- */

static void test_integers(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("a = 0\nb = +0\nc = -0\nd = +99\ne = 42\nf = -17\n",
           "{a:i0,b:i0,c:i0,d:i99,e:i42,f:i-17}"),
        OK("a = 1_000\nb = 5_349_221\nc = 53_49_221\nd = 1_2_3_4_5\n",
           "{a:i1000,b:i5349221,c:i5349221,d:i12345}"),
        OK("max = 9223372036854775807\nmin = -9223372036854775808\npmax = +9223372036854775807\n",
           "{max:i9223372036854775807,min:i-9223372036854775808,pmax:i9223372036854775807}"),
        OK("a = 9_223_372_036_854_775_807", "{a:i9223372036854775807}"),
        OK("a = 0xDEADBEEF\nb = 0xdeadbeef\nc = 0xdead_beef\nd = 0x0\ne = 0x00_01\n",
           "{a:i3735928559,b:i3735928559,c:i3735928559,d:i0,e:i1}"),
        OK("a = 0x7FFFFFFFFFFFFFFF\nb = 0x7fff_ffff_ffff_ffff\n",
           "{a:i9223372036854775807,b:i9223372036854775807}"),
        OK("a = 0o01234567\nb = 0o755\nc = 0o777777777777777777777\nd = 0o0\n",
           "{a:i342391,b:i493,c:i9223372036854775807,d:i0}"),
        OK("a = 0b11010110\nb = 0b1_0\nc = 0b0\nd = 0b000001\n"
           "e = 0b111111111111111111111111111111111111111111111111111111111111111\n",
           "{a:i214,b:i2,c:i0,d:i1,e:i9223372036854775807}"),
        OK("a = [1,-1,+1]", "{a:[i1,i-1,i1]}"),
        OK("a = 1 # c", "{a:i1}"),
    };
    RUN_OK(cases);
}

static void test_integer_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        /* Out of the 64-bit range: at the start of the number. */
        E("a = 9223372036854775808", 1, 5, "out of range"),
        E("a = +9223372036854775808", 1, 5, "out of range"),
        E("a = -9223372036854775809", 1, 5, "out of range"),
        E("a = 99999999999999999999999", 1, 5, "out of range"),
        E("a = 9_223_372_036_854_775_808", 1, 5, "out of range"),
        E("a = 0x8000000000000000", 1, 5, "out of range"),
        E("a = 0xFFFFFFFFFFFFFFFF", 1, 5, "out of range"),
        E("a = 0x1_0000_0000_0000_0000", 1, 5, "out of range"),
        E("a = 0o1000000000000000000000", 1, 5, "out of range"),
        E("a = 0b1000000000000000000000000000000000000000000000000000000000000000", 1, 5,
          "out of range"),
        E("x = 1\n  a = [1, 9223372036854775808]", 2, 11, "out of range"),
        /* Leading zeros, underscores, signs, prefixes. */
        E("a = 01", 1, 5, "leading zeros"),
        E("a = 00", 1, 5, "leading zeros"),
        E("a = -01", 1, 6, "leading zeros"),
        E("a = +00", 1, 6, "leading zeros"),
        E("a = 0_1", 1, 5, "leading zeros"),
        E("a = 1__2", 1, 6, "underscore"),
        E("a = 1_", 1, 6, "underscore"),
        E("a = 1_ ", 1, 6, "underscore"),
        E("a = _1", 1, 5, "invalid value"),
        E("a = 0x_1", 1, 7, "underscore"),
        E("a = 0x1_", 1, 8, "underscore"),
        E("a = 0b1__0", 1, 8, "underscore"),
        E("a = 0x", 1, 7, "hexadecimal digits"),
        E("a = 0o", 1, 7, "octal digits"),
        E("a = 0b", 1, 7, "binary digits"),
        E("a = 0xG", 1, 7, "hexadecimal digits"),
        E("a = 0o8", 1, 7, "octal digits"),
        E("a = 0b2", 1, 7, "binary digits"),
        E("a = 0b102", 1, 9, "newline"),
        E("a = 0o78", 1, 8, "newline"),
        E("a = +0x1", 1, 6, "sign is not allowed"),
        E("a = -0x1", 1, 6, "sign is not allowed"),
        E("a = -0o1", 1, 6, "sign is not allowed"),
        E("a = +0b1", 1, 6, "sign is not allowed"),
        E("a = 0X1", 1, 6, "newline"),
        E("a = 0O7", 1, 6, "newline"),
        E("a = 0B1", 1, 6, "newline"),
        E("a = 1,000", 1, 6, "newline"),
        E("a = 1 2", 1, 7, "newline"),
        E("a = --1", 1, 6, "expected a digit"),
        E("a = +", 1, 6, "expected a digit"),
        E("a = - 1", 1, 6, "expected a digit"),
        E("a = 1x", 1, 6, "newline"),
    };
    RUN_ERR(cases);
}

/* ---- floats ------------------------------------------------------------------ */

static void test_floats(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("a = +1.0\nb = 3.1415\nc = -0.01\n", "{a:f1,b:f3.1415,c:f-0.01}"),
        OK("a = 5e+22\nb = 1e06\nc = -2E-2\nd = 1E5\ne = 1e-0\n",
           "{a:f5e+22,b:f1e+06,c:f-0.02,d:f1e+05,e:f1}"),
        OK("a = 6.626e-34\nb = 224_617.445_991_228\nc = 1_0.0_1e1_0\n",
           "{a:f6.626e-34,b:f224617.445991228,c:f1.001e+11}"),
        OK("a = 0.0\nb = +0.0\nc = -0.0\nd = 0e0\ne = -0E-0\n", "{a:f0,b:f0,c:f-0,d:f0,e:f-0}"),
        OK("a = inf\nb = +inf\nc = -inf\n", "{a:finf,b:finf,c:f-inf}"),
        OK("a = nan\nb = +nan\nc = -nan\n", "{a:fnan,b:fnan,c:fnan}"),
        OK("a = 1.7976931348623157e308\nb = 5e-324\nc = 2.2250738585072014e-308\n",
           "{a:f1.7976931348623157e+308,b:f5e-324,c:f2.2250738585072014e-308}"),
        OK("a = 0.1\nb = 0.30000000000000004\nc = 9007199254740993.0\n",
           "{a:f0.1,b:f0.30000000000000004,c:f9007199254740992}"),
        OK("a = 0.000001\nb = 123456789012345678901234567890.0\n",
           "{a:f1e-06,b:f1.2345678901234568e+29}"),
        OK("a = 1e1_0", "{a:f1e+10}"),
        OK("a = [inf, -inf, nan, 1.5]", "{a:[finf,f-inf,fnan,f1.5]}"),
    };
    RUN_OK(cases);

    /* The sign of zero and the bits of NaN's sign are kept. */
    idt_toml_doc *doc = parse_ok("z = -0.0\nn = -nan\np = nan\n");
    assert_true(signbit(path_entry(doc, "z")->value->as.floating));
    assert_true(isnan(path_entry(doc, "n")->value->as.floating));
    assert_true(isnan(path_entry(doc, "p")->value->as.floating));
    idt_toml_doc_free(doc);

    /* Correctly rounded, as strtod in the C locale. */
    static const char *const literals[] = { "0.1", "1.1", "3.141592653589793", "2.5e-300",
                                            "4.9e-324", "1e23", "8.98846567431158e307",
                                            "0.1e-1", "123.456e2" };
    for (size_t i = 0; i < sizeof literals / sizeof *literals; i++) {
        char src[64];
        int n = snprintf(src, sizeof src, "x = %s", literals[i]);
        doc = parse_ok_n(src, (size_t)n);
        double got = path_entry(doc, "x")->value->as.floating;
        assert_memory_equal(&got, &(double){ strtod(literals[i], NULL) }, sizeof got);
        idt_toml_doc_free(doc);
    }
}

static void test_float_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        E("a = .5", 1, 5, "invalid value"),
        E("a = 5.", 1, 7, "after the decimal point"),
        E("a = 5.e3", 1, 7, "after the decimal point"),
        E("a = 1.e+20", 1, 7, "after the decimal point"),
        E("a = -.5", 1, 6, "expected a digit"),
        E("a = 1e", 1, 7, "exponent"),
        E("a = 1e+", 1, 8, "exponent"),
        E("a = 1E-", 1, 8, "exponent"),
        E("a = 1e_5", 1, 7, "underscore"),
        E("a = 1._5", 1, 7, "underscore"),
        E("a = 1_.5", 1, 6, "underscore"),
        E("a = 1.5_", 1, 8, "underscore"),
        E("a = 1e5_", 1, 8, "underscore"),
        E("a = 1.5.5", 1, 8, "newline"),
        E("a = 1e5.5", 1, 8, "newline"),
        E("a = 1e5e5", 1, 8, "newline"),
        E("a = 00.5", 1, 5, "leading zeros"),
        E("a = 01.5", 1, 5, "leading zeros"),
        E("a = -01.5", 1, 6, "leading zeros"),
        E("a = 0_0.5", 1, 5, "leading zeros"),
        E("a = +-1.0", 1, 6, "expected a digit"),
        E("a = infinity", 1, 8, "newline"),
        E("a = inf_", 1, 8, "newline"),
        E("a = nan1", 1, 8, "newline"),
        E("a = in", 1, 5, "inf and nan"),
        E("a = -na", 1, 5, "inf and nan"),
        E("a = ina", 1, 5, "inf and nan"),
        E("a = NaN", 1, 5, "invalid value"),
        E("a = Inf", 1, 5, "invalid value"),
        E("a = +Inf", 1, 6, "expected a digit"),
        E("a = 1.0 e5", 1, 9, "newline"),
    };
    RUN_ERR(cases);
}

/* ---- booleans ---------------------------------------------------------------- */

static void test_booleans(void **state)
{
    (void)state;
    static const ok_case ok[] = {
        OK("a = true\nb = false\nc = [true,false]\n", "{a:true,b:false,c:[true,false]}"),
        OK("a = true# c", "{a:true}"),
    };
    RUN_OK(ok);
    static const err_case bad[] = {
        E("a = True", 1, 5, "invalid value"),
        E("a = FALSE", 1, 5, "invalid value"),
        E("a = tru", 1, 5, "true and false"),
        E("a = f", 1, 5, "true and false"),
        E("a = falsey", 1, 10, "newline"),
        E("a = true1", 1, 9, "newline"),
        E("a = yes", 1, 5, "invalid value"),
        E("a = bare", 1, 5, "invalid value"),
    };
    RUN_ERR(bad);
}

/* ---- date-times -------------------------------------------------------------- */

static void test_datetimes(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("a = 1979-05-27T07:32:00Z", "{a:odt1979-05-27T07:32:00Z}"),
        OK("a = 1979-05-27T00:32:00-07:00", "{a:odt1979-05-27T00:32:00-07:00}"),
        OK("a = 1979-05-27T00:32:00.999999-07:00", "{a:odt1979-05-27T00:32:00.999999-07:00}"),
        OK("a = 1979-05-27 07:32:00Z", "{a:odt1979-05-27T07:32:00Z}"),
        OK("a = 1979-05-27t07:32:00z", "{a:odt1979-05-27T07:32:00Z}"),
        OK("a = 1979-05-27T07:32:00+00:00", "{a:odt1979-05-27T07:32:00Z}"),
        OK("a = 1979-05-27T07:32:00-00:00", "{a:odt1979-05-27T07:32:00Z}"),
        OK("a = 1987-07-05T17:45:56+13:00", "{a:odt1987-07-05T17:45:56+13:00}"),
        OK("a = 1987-07-05T17:45:56+23:59", "{a:odt1987-07-05T17:45:56+23:59}"),
        OK("a = 1987-07-05T17:45:56-23:59", "{a:odt1987-07-05T17:45:56-23:59}"),
        OK("a = 1987-07-05T17:45:56.6Z", "{a:odt1987-07-05T17:45:56.6Z}"),
        OK("a = 1979-05-27T07:32:00", "{a:ldt1979-05-27T07:32:00}"),
        OK("a = 1979-05-27 07:32:00.123", "{a:ldt1979-05-27T07:32:00.123}"),
        OK("a = 1979-05-27T00:32:00.999999", "{a:ldt1979-05-27T00:32:00.999999}"),
        OK("a = 1979-05-27", "{a:ld1979-05-27}"),
        OK("a = 1979-05-27 # comment", "{a:ld1979-05-27}"),
        OK("a = 07:32:00", "{a:lt07:32:00}"),
        OK("a = 00:32:00.999999", "{a:lt00:32:00.999999}"),
        OK("a = 23:59:59.123456789", "{a:lt23:59:59.123456789}"),
        /* Beyond nanoseconds the digits are truncated. */
        OK("a = 23:59:59.1234567891234", "{a:lt23:59:59.123456789}"),
        OK("a = 0001-01-01T00:00:00Z\nb = 9999-12-31T23:59:59.999999999Z",
           "{a:odt0001-01-01T00:00:00Z,b:odt9999-12-31T23:59:59.999999999Z}"),
        OK("a = 0001-01-01\nb = 9999-12-31\nc = 00:00:00\nd = 23:59:59",
           "{a:ld0001-01-01,b:ld9999-12-31,c:lt00:00:00,d:lt23:59:59}"),
        /* Leap years. */
        OK("a = 2000-02-29\nb = 2024-02-29\nc = 1600-02-29\nd = 2023-02-28\ne = 1996-02-29",
           "{a:ld2000-02-29,b:ld2024-02-29,c:ld1600-02-29,d:ld2023-02-28,e:ld1996-02-29}"),
        OK("a = 2024-01-31\nb = 2024-03-31\nc = 2024-04-30\nd = 2024-06-30\ne = 2024-12-31",
           "{a:ld2024-01-31,b:ld2024-03-31,c:ld2024-04-30,d:ld2024-06-30,e:ld2024-12-31}"),
        OK("a = [1979-05-27, 07:32:00, 1979-05-27T07:32:00, 1979-05-27T07:32:00Z]",
           "{a:[ld1979-05-27,lt07:32:00,ldt1979-05-27T07:32:00,odt1979-05-27T07:32:00Z]}"),
        OK("a = {d = 1979-05-27}", "{a:{d:ld1979-05-27}}"),
    };
    RUN_OK(cases);

    /* The fields. */
    idt_toml_doc *doc = parse_ok("a = 1979-05-27T00:32:00.5-07:30\nb = 07:08:09.000120\n"
                                 "c = 2024-02-29\nd = 1979-05-27 07:32:01Z\n");
    const idt_toml_datetime *a = &path_entry(doc, "a")->value->as.datetime;
    assert_int_equal(path_entry(doc, "a")->value->type, IDT_TOML_DATETIME);
    assert_int_equal(a->year, 1979);
    assert_int_equal(a->month, 5);
    assert_int_equal(a->day, 27);
    assert_int_equal(a->hour, 0);
    assert_int_equal(a->minute, 32);
    assert_int_equal(a->second, 0);
    assert_int_equal(a->nanosecond, 500000000);
    assert_int_equal(a->frac_digits, 1);
    assert_int_equal(a->offset_minutes, -(7 * 60 + 30));
    const idt_toml_value *b = path_entry(doc, "b")->value;
    assert_int_equal(b->type, IDT_TOML_TIME_LOCAL);
    assert_int_equal(b->as.datetime.hour, 7);
    assert_int_equal(b->as.datetime.minute, 8);
    assert_int_equal(b->as.datetime.second, 9);
    assert_int_equal(b->as.datetime.nanosecond, 120000);
    assert_int_equal(b->as.datetime.frac_digits, 6);
    const idt_toml_value *c = path_entry(doc, "c")->value;
    assert_int_equal(c->type, IDT_TOML_DATE_LOCAL);
    assert_int_equal(c->as.datetime.day, 29);
    const idt_toml_value *d = path_entry(doc, "d")->value;
    assert_int_equal(d->type, IDT_TOML_DATETIME);
    assert_int_equal(d->as.datetime.offset_minutes, 0);
    assert_int_equal(d->as.datetime.second, 1);
    assert_int_equal(d->as.datetime.frac_digits, 0);
    idt_toml_doc_free(doc);
}

static void test_datetime_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        /* Dates that do not exist: at the start of the date. */
        E("a = 2023-02-29", 1, 5, "day 29 does not exist in 2023-02"),
        E("a = 1900-02-29", 1, 5, "does not exist"),
        E("a = 2100-02-29", 1, 5, "does not exist"),
        E("a = 2023-02-30", 1, 5, "does not exist"),
        E("a = 2024-02-30", 1, 5, "does not exist"),
        E("a = 2024-04-31", 1, 5, "does not exist"),
        E("a = 2024-06-31", 1, 5, "does not exist"),
        E("a = 2024-09-31", 1, 5, "does not exist"),
        E("a = 2024-11-31", 1, 5, "does not exist"),
        E("a = 2024-01-32", 1, 5, "does not exist"),
        E("a = 2024-01-00", 1, 5, "day 00"),
        E("a = 2024-13-01", 1, 5, "month 13 is out of range"),
        E("a = 2024-00-10", 1, 5, "month 00"),
        E("a = 2023-02-29T00:00:00Z", 1, 5, "does not exist"),
        E("a = 2023-02-29T00:00:00", 1, 5, "does not exist"),
        E("x = 1\na = [2024-01-01, 2023-02-29]", 2, 18, "does not exist"),
        /* Times out of range: at the start of the time. */
        E("a = 1979-05-27T24:00:00", 1, 16, "out of range"),
        E("a = 1979-05-27T23:60:00", 1, 16, "out of range"),
        E("a = 1979-05-27T23:59:61", 1, 16, "out of range"),
        E("a = 24:00:00", 1, 5, "out of range"),
        E("a = 12:60:00", 1, 5, "out of range"),
        E("a = 99:99:99", 1, 5, "out of range"),
        E("a = 1979-05-27T07:32:00+24:00", 1, 24, "offset +24:00 is out of range"),
        E("a = 1979-05-27T07:32:00-00:60", 1, 24, "out of range"),
        /* Malformed. */
        E10("a = 07:32", 1, 5, "seconds are required"),
        E10("a = 1979-05-27T07:32", 1, 16, "seconds are required"),
        E10("a = 1979-05-27 07:32", 1, 16, "seconds are required"),
        E10("a = 1979-05-27T07:32Z", 1, 16, "seconds are required"),
        E10("a = 1979-05-27T07:32-07:00", 1, 16, "seconds are required"),
        E("a = 1979-05-27T", 1, 15, "expected a time after 'T'"),
        E("a = 1979-05-27T7:32:00", 1, 15, "expected a time after 'T'"),
        E("a = 1979-05-27t", 1, 15, "expected a time"),
        E("a = 1979-05-27T07:32:00.", 1, 25, "decimal point of the seconds"),
        E("a = 1979-05-27T07:32:00.Z", 1, 25, "decimal point of the seconds"),
        E("a = 07:32:00.", 1, 14, "decimal point of the seconds"),
        E("a = 1979-05-27T07:32:00+01", 1, 24, "invalid time offset"),
        E("a = 1979-05-27T07:32:00+1:00", 1, 24, "invalid time offset"),
        E("a = 1979-05-27T07:32:00+0100", 1, 24, "invalid time offset"),
        E("a = 1979-05-27T07:32:00-", 1, 24, "invalid time offset"),
        E("a = 1979-5-27", 1, 5, "invalid date"),
        E("a = 1979-05-7", 1, 5, "invalid date"),
        E("a = 1979-05", 1, 5, "invalid date"),
        E("a = 1979-05-27X07:32:00", 1, 15, "newline"),
        E("a = 1979-05-27T07:32:00Zx", 1, 25, "newline"),
        E("a = 07:32:00Z", 1, 13, "newline"),
        E("a = 07:32:00+01:00", 1, 13, "newline"),
        E("a = 07:32:00 07:32:00", 1, 14, "newline"),
        E("a = 1979-05-27 07:32:00 Z", 1, 25, "newline"),
        E("a = 979-05-27", 1, 8, "newline"),
        E("a = 12345-01-01", 1, 10, "newline"),
        E("a = 7:32:00", 1, 6, "newline"),
    };
    RUN_ERR(cases);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_integer_errors),
        cmocka_unit_test(test_floats),
        cmocka_unit_test(test_float_errors),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_datetimes),
        cmocka_unit_test(test_datetime_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
