/*
 * Unit tests of the TOML parser (include/initdata/toml.h): the four string
 * kinds and their escapes, UTF-8 everywhere, and CRLF line ends.  The
 * machinery of the cases is in toml_cases.h.
 */
#include "toml_cases.h"

/* ---- strings ----------------------------------------------------------------- */

static void test_basic_strings(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("a = \"\"", "{a:s\"\"}"),
        OK("a = \"hello\"", "{a:s\"hello\"}"),
        OK("a = \"\\b\\t\\n\\f\\r\\\"\\\\\"", "{a:s\"\\x08\\x09\\x0a\\x0c\\x0d\\\"\\\\\"}"),
        OK("a = \"\\u0041\\u00e9\\u00E9\\u20AC\\uFFFF\"",
           "{a:s\"A\\xc3\\xa9\\xc3\\xa9\\xe2\\x82\\xac\\xef\\xbf\\xbf\"}"),
        OK("a = \"\\U00000041\\U0001F600\\U0010FFFF\\U0000d7ff\\U0000E000\"",
           "{a:s\"A\\xf0\\x9f\\x98\\x80\\xf4\\x8f\\xbf\\xbf\\xed\\x9f\\xbf\\xee\\x80\\x80\"}"),
        OK("a = \"x\\u0000y\"", "{a:s\"x\\x00y\"}"),
        OK("a = \"\\u0000\"", "{a:s\"\\x00\"}"),
        OK("a = \"\\u007f\\u001f\"", "{a:s\"\\x7f\\x1f\"}"),
        OK("a = \"tab\there\"", "{a:s\"tab\\x09here\"}"),
        OK("a = \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbe\"",
           "{a:s\"\\xc3\\xa9\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80\\xef\\xbf\\xbe\"}"),
        OK("a = \"# not a comment\" # a comment", "{a:s\"# not a comment\"}"),
        OK("a = \"'\"", "{a:s\"'\"}"),
    };
    RUN_OK(cases);
}

static void test_literal_strings(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("a = ''", "{a:s\"\"}"),
        OK("a = 'C:\\Users\\nodejs\\templates'", "{a:s\"C:\\\\Users\\\\nodejs\\\\templates\"}"),
        OK("a = '<\\i\\c*\\s*>'", "{a:s\"<\\\\i\\\\c*\\\\s*>\"}"),
        OK("a = 'Tom \"Dubs\" Preston-Werner'", "{a:s\"Tom \\\"Dubs\\\" Preston-Werner\"}"),
        OK("a = '\\u0041'", "{a:s\"\\\\u0041\"}"),
        OK("a = 'tab\t'", "{a:s\"tab\\x09\"}"),
        OK("a = '\xf0\x9f\x98\x80'", "{a:s\"\\xf0\\x9f\\x98\\x80\"}"),
    };
    RUN_OK(cases);
}

static void test_multiline_strings(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("a = \"\"\"\"\"\"", "{a:s\"\"}"),
        OK("a = \"\"\"\nRoses\nViolets\"\"\"", "{a:s\"Roses\\x0aViolets\"}"),
        /* Only the first newline is trimmed. */
        OK("a = \"\"\"\n\nx\"\"\"", "{a:s\"\\x0ax\"}"),
        OK("a = \"\"\"\r\nx\r\ny\"\"\"", "{a:s\"x\\x0ay\"}"),
        /* Line-ending backslash: eats whitespace and newlines up to the next text. */
        OK("a = \"\"\"\nThe quick \\\n\n\n  brown \\\n   fox.\"\"\"",
           "{a:s\"The quick brown fox.\"}"),
        OK("a = \"\"\"\\\n  x \\\n  \"\"\"", "{a:s\"x \"}"),
        OK("a = \"\"\"x\\ \t \n  y\"\"\"", "{a:s\"xy\"}"),
        OK("a = \"\"\"x\\\r\n  \r\n  y\"\"\"", "{a:s\"xy\"}"),
        OK("a = \"\"\"x\\\\\ny\"\"\"", "{a:s\"x\\\\\\x0ay\"}"),
        /* Up to two quotes inside, and at the end. */
        OK("a = \"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"",
           "{a:s\"Here are two quotation marks: \\\"\\\". Simple enough.\"}"),
        OK("a = \"\"\"Here are three quotation marks: \"\"\\\".\"\"\"",
           "{a:s\"Here are three quotation marks: \\\"\\\"\\\".\"}"),
        OK("a = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"",
           "{a:s\"\\\"This,\\\" she said, \\\"is just a pointless statement.\\\"\"}"),
        OK("a = \"\"\"x\"\"\"\"\"", "{a:s\"x\\\"\\\"\"}"),
        OK("a = \"\"\"\"\"\"\"\"", "{a:s\"\\\"\\\"\"}"),
        OK("a = \"\"\"tab\there\\tand\\u0041\"\"\"", "{a:s\"tab\\x09here\\x09andA\"}"),
        OK("a = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n"
           "   is preserved.\n'''",
           "{a:s\"The first newline is\\x0atrimmed in raw strings.\\x0a   All other whitespace"
           "\\x0a   is preserved.\\x0a\"}"),
        OK("a = '''I [dw]on't need \\d{2} apples'''", "{a:s\"I [dw]on't need \\\\d{2} apples\"}"),
        OK("a = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''",
           "{a:s\"Here are fifteen quotation marks: \\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\""
           "\\\"\\\"\\\"\"}"),
        OK("a = ''''That,' she said, 'is still pointless.''''",
           "{a:s\"'That,' she said, 'is still pointless.'\"}"),
        OK("a = '''x\\\ny'''", "{a:s\"x\\\\\\x0ay\"}"),
        OK("a = '''\r\nx\r\n'''", "{a:s\"x\\x0a\"}"),
        OK("a = ''''''", "{a:s\"\"}"),
        OK("a = '''''''", "{a:s\"'\"}"),
        OK("a = ''''''''", "{a:s\"''\"}"),
        OK("a = \"\"\"\n\"\"\"", "{a:s\"\"}"),
        OK("a = \"\"\"a\n  # not a comment\n\"\"\" # a comment\nb = 1",
           "{a:s\"a\\x0a  # not a comment\\x0a\",b:i1}"),
    };
    RUN_OK(cases);
}

static void test_string_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        /* Escapes TOML 1.0 does not have (\e and \xHH are TOML 1.1). */
        E10("a = \"\\e\"", 1, 7, "TOML 1.1"),
        E10("a = \"\\x41\"", 1, 7, "TOML 1.1"),
        E10("a = \"\"\"\\e\"\"\"", 1, 9, "TOML 1.1"),
        E("a = \"\\q\"", 1, 7, "invalid escape \\q"),
        E("a = \"\\a\"", 1, 7, "invalid escape"),
        E("a = \"\\0\"", 1, 7, "invalid escape"),
        E("a = \"\\'\"", 1, 7, "invalid escape"),
        E("a = \"\\\xc3\xa9\"", 1, 7, "invalid escape"),
        E("a = \"\\u12\"", 1, 8, "4 hex digits"),
        E("a = \"\\u12G4\"", 1, 8, "4 hex digits"),
        E("a = \"\\U0001F60\"", 1, 8, "8 hex digits"),
        E("a = \"\\u", 1, 8, "hex digits"),
        E("a = \"\\uD800\"", 1, 8, "not a Unicode scalar value"),
        E("a = \"\\udfff\"", 1, 8, "not a Unicode scalar value"),
        E("a = \"\\U0000D800\"", 1, 8, "not a Unicode scalar value"),
        E("a = \"\\U00110000\"", 1, 8, "not a Unicode scalar value"),
        E("a = \"\\UFFFFFFFF\"", 1, 8, "not a Unicode scalar value"),
        /* A line-ending backslash only in multi-line basic strings, and only
         * followed by whitespace up to the newline. */
        E("a = \"a\\ b\"", 1, 8, "backslash"),
        E("a = \"a\\\nb\"", 1, 8, "backslash"),
        E("a = \"\"\"a\\ b\"\"\"", 1, 10, "backslash"),
        E("a = '''a\\\nb'''\nb = \"\\ \"", 3, 7, "backslash"),
        /* Unterminated: reported at the opening quote. */
        E("a = \"abc", 1, 5, "unterminated basic string"),
        E("a = 'abc", 1, 5, "unterminated literal string"),
        E("a = \"\"\"abc\n\n", 1, 5, "unterminated"),
        E("x = 1\na = '''abc''", 2, 5, "unterminated"),
        E("a = \"abc\\\"", 1, 5, "unterminated"),
        E("a = \"", 1, 5, "unterminated"),
        /* Newlines and control characters. */
        E("a = \"abc\nb\"", 1, 9, "newline"),
        E("a = 'abc\nb'", 1, 9, "newline"),
        E("a = \"abc\r\n\"", 1, 9, "newline in a string"),
        E("a = \"a\rb\"", 1, 7, "carriage return"),
        E("a = \"\"\"a\rb\"\"\"", 1, 9, "carriage return"),
        E("a = '''a\rb'''", 1, 9, "carriage return"),
        E("a = \"a\x01" "b\"", 1, 7, "U+0001"),
        E("a = \"a\x1b\"", 1, 7, "U+001B"),
        E("a = \"a\x7f\"", 1, 7, "U+007F"),
        E("a = 'a\x08'", 1, 7, "U+0008"),
        E("a = '''\x0b'''", 1, 8, "control character"),
        E("a = \"\"\"\x1f\"\"\"", 1, 8, "control character"),
        EN("a = \"a\0\"", 8, 1, 7, "U+0000"),
        EN("a = 'a\0'", 8, 1, 7, "U+0000"),
        /* Too many quotes at the end of a multi-line string. */
        E("a = \"\"\"a\"\"\"\"\"\"", 1, 9, "too many quotes"),
        E("a = '''a''''''", 1, 9, "too many quotes"),
        E("a = \"\"\"\"\"\"\"\"\"", 1, 8, "too many quotes"),
        /* After the closing quotes. */
        E("a = \"\"\"a\"\"\"b", 1, 12, "newline"),
        E("a = 'a'b", 1, 8, "newline"),
    };
    RUN_ERR(cases);
}

/* ---- UTF-8 ------------------------------------------------------------------- */

static void test_utf8(void **state)
{
    (void)state;
    static const ok_case ok[] = {
        OK("a = \"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"
           "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"",
           "{a:s\"\\xc2\\x80\\xdf\\xbf\\xe0\\xa0\\x80\\xed\\x9f\\xbf\\xee\\x80\\x80\\xef\\xbf\\xbf"
           "\\xf0\\x90\\x80\\x80\\xf4\\x8f\\xbf\\xbf\"}"),
        OK("a = '\xf0\x9f\x98\x80'\n# \xf4\x8f\xbf\xbf\n\"\xc3\xa9\" = 1",
           "{a:s\"\\xf0\\x9f\\x98\\x80\",\\xc3\\xa9:i1}"),
        OK("a = '''\xe2\x82\xac\n\xe2\x82\xac'''", "{a:s\"\\xe2\\x82\\xac\\x0a\\xe2\\x82\\xac\"}"),
    };
    RUN_OK(ok);
    static const err_case bad[] = {
        /* Overlong forms. */
        E("a = \"\xc0\x80\"", 1, 6, "UTF-8"),
        E("a = \"\xc1\xbf\"", 1, 6, "UTF-8"),
        E("a = \"\xe0\x80\x80\"", 1, 6, "UTF-8"),
        E("a = \"\xe0\x9f\xbf\"", 1, 6, "UTF-8"),
        E("a = \"\xf0\x80\x80\x80\"", 1, 6, "UTF-8"),
        E("a = \"\xf0\x8f\xbf\xbf\"", 1, 6, "UTF-8"),
        /* Surrogates. */
        E("a = \"\xed\xa0\x80\"", 1, 6, "UTF-8"),
        E("a = \"\xed\xbf\xbf\"", 1, 6, "UTF-8"),
        E("a = '\xed\xb0\x80'", 1, 6, "UTF-8"),
        /* Beyond U+10FFFF. */
        E("a = \"\xf4\x90\x80\x80\"", 1, 6, "UTF-8"),
        E("a = \"\xf5\x80\x80\x80\"", 1, 6, "byte 0xf5"),
        E("a = \"\xf7\xbf\xbf\xbf\"", 1, 6, "UTF-8"),
        E("a = \"\xf8\x88\x80\x80\x80\"", 1, 6, "UTF-8"),
        /* Stray, truncated and impossible bytes. */
        E("a = \"\x80\"", 1, 6, "byte 0x80"),
        E("a = \"\xbf\"", 1, 6, "UTF-8"),
        E("a = \"\xff\"", 1, 6, "byte 0xff"),
        E("a = \"\xfe\"", 1, 6, "UTF-8"),
        E("a = \"\xe2\x82\"", 1, 6, "UTF-8"),
        E("a = \"\xf0\x9f\x98\"", 1, 6, "UTF-8"),
        E("a = \"\xc3", 1, 6, "UTF-8"),
        E("a = \"\xc3\xa9\xc3\"", 1, 8, "UTF-8"),
        E("a = \"x\xe2\x28\xa1\"", 1, 7, "UTF-8"),
        /* Everywhere: comments, keys, multi-line and literal strings. */
        E("# \xc0\x80\n", 1, 3, "UTF-8"),
        E("a = 1 # ok \xc3\xa9 \xed\xa0\x80\n", 1, 15, "UTF-8"),
        E("\"\xed\xa0\x80\" = 1\n", 1, 2, "UTF-8"),
        E("a = '''\n\xf4\x90\x80\x80'''", 2, 1, "UTF-8"),
        E("a = \"\"\"\xc0\xaf\"\"\"", 1, 8, "UTF-8"),
        E("\xff = 1", 1, 1, "UTF-8"),
        E("a = \xc3\xa9", 1, 5, "invalid value"),
    };
    RUN_ERR(bad);
}

/* ---- CRLF -------------------------------------------------------------------- */

static void test_crlf(void **state)
{
    (void)state;
    static const ok_case ok[] = {
        OK("# c\r\n[t]\r\na = \"x\"\r\nb = [\r\n1,\r\n]\r\n[[u]]\r\n",
           "{t:{a:s\"x\",b:[i1]},u:[{}]}"),
        OK("a = \"\"\"\r\nline1\r\nline2\r\n\"\"\"\r\n", "{a:s\"line1\\x0aline2\\x0a\"}"),
        OK("a = \"\"\"x \\\r\n   y\"\"\"\r\n", "{a:s\"x y\"}"),
        OK("a = \"\\r\\n\"\r\n", "{a:s\"\\x0d\\x0a\"}"),
    };
    RUN_OK(ok);
    static const err_case bad[] = {
        /* Lines are counted across CRLF, columns restart after it. */
        E("a = 1\r\nb = 2\r\nb = 3\r\n", 3, 1, "duplicate key"),
        E("a = 1\r\n\r\n  b = \r\n", 3, 7, "expected a value"),
        E("a = \"\"\"\r\n\r\nx\r\n\"\"\" = 1\r\n", 4, 5, "newline"),
        E("a = [\r\n1,\r\n2\r\n3]", 4, 1, "expected ',' or ']'"),
        E("a = 1\r\r\n", 1, 6, "newline"),
        E("a = 1\n\r", 2, 1, "newline"),
    };
    RUN_ERR(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_strings),
        cmocka_unit_test(test_literal_strings),
        cmocka_unit_test(test_multiline_strings),
        cmocka_unit_test(test_string_errors),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_crlf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
