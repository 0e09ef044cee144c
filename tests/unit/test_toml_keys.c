/*
 * Unit tests of the TOML parser (include/initdata/toml.h): documents,
 * whitespace, comments, newlines and control characters; keys, dotted keys
 * and every redefinition rule for keys.  The machinery of the cases is in
 * toml_cases.h.
 */
#include "toml_cases.h"

/* ---- documents, whitespace, comments, newlines ------------------------------- */

static void test_whitespace_and_comments(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("", "{}"),
        OK("\n\n\n", "{}"),
        OK("# only a comment", "{}"),
        OK("   \t  ", "{}"),
        OK("\r\n\r\n", "{}"),
        OK("a=1", "{a:i1}"),
        OK("a = 1 # comment", "{a:i1}"),
        OK("\t a \t = \t 1 \t # c\t\n", "{a:i1}"),
        OK("#\n#c\n  # indented\na = 1\n#\n", "{a:i1}"),
        OK("a = 1 #\tcomment with tab, \"quotes\", = [ ] and \xc3\xa9 \xf0\x9f\x98\x80\n",
           "{a:i1}"),
        OK("a = 1 # ## \\ no escapes in comments \\u0000", "{a:i1}"),
        OK("a = 1\r\nb = 2\r\n", "{a:i1,b:i2}"),
        OK("a = 1\nb = 2\r\nc = 3", "{a:i1,b:i2,c:i3}"),
        OK("a = 1 # c\r\n", "{a:i1}"),
        OK("[t] # c\n  x = 1\n\n\t[ u ]\t#c\n", "{t:{x:i1},u:{}}"),
        /* A UTF-8 byte order mark at the very start is skipped (toml-test
         * valid/utf8-bom-*). */
        OK("\xef\xbb\xbf" "a = 1\n", "{a:i1}"),
        OK("\xef\xbb\xbf", "{}"),
    };
    RUN_OK(cases);
}

static void test_newline_and_control_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        E("a = 1\rb = 2\n", 1, 6, "newline"),
        E("a = 1\r", 1, 6, "newline"),
        E("\r", 1, 1, "newline"),
        E("a = 1 # x\ry\n", 1, 10, "carriage return"),
        E("a = 1 # x\r", 1, 10, "carriage return"),
        E("# \x01\n", 1, 3, "control character U+0001"),
        E("# \x1f", 1, 3, "U+001F"),
        E("# \x7f\n", 1, 3, "U+007F"),
        EN("# a\0b\n", 6, 1, 4, "U+0000"),
        E("a = 1\nb = 2\n# \x0b\n", 3, 3, "control character"),
        E("a = 1\r\nb = 2\r\n\x0c = 3", 3, 1, "key"),
        EN("a = 1\0\n", 7, 1, 6, "newline"),
        E("a = 1 b = 2\n", 1, 7, "newline"),
        E("a = 1\n[t] x = 1\n", 2, 5, "newline"),
        /* A byte order mark anywhere else is not whitespace. */
        E("# ok\n\xef\xbb\xbf" "a = 1\n", 2, 1, "key"),
        E("a = 1 \xef\xbb\xbf\n", 1, 7, "newline"),
    };
    RUN_ERR(cases);
}

/* ---- keys -------------------------------------------------------------------- */

static void test_keys(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("key = 1\nbare_key = 2\nbare-key = 3\n1234 = 4\n_ = 5\n- = 6\nAZaz09_- = 7\n",
           "{key:i1,bare_key:i2,bare-key:i3,1234:i4,_:i5,-:i6,AZaz09_-:i7}"),
        OK("true = 1\nfalse = 2\ninf = 3\nnan = 4\n", "{true:i1,false:i2,inf:i3,nan:i4}"),
        OK("\"127.0.0.1\" = 1\n\"character encoding\" = 2\n\"\xca\x8e\xc7\x9d\xca\x9e\" = 3\n"
           "'key2' = 4\n'quoted \"value\"' = 5\n",
           "{127.0.0.1:i1,character encoding:i2,\\xca\\x8e\\xc7\\x9d\\xca\\x9e:i3,key2:i4,"
           "quoted \\\"value\\\":i5}"),
        OK("\"\" = 1\n", "{:i1}"),
        OK("'' = 1\n", "{:i1}"),
        OK("\"\\t\\n\\\\\\u00e9\\U0001F600\" = 1\n",
           "{\\x09\\x0a\\\\\\xc3\\xa9\\xf0\\x9f\\x98\\x80:i1}"),
        OK("\"a\\u0000b\" = 1\n", "{a\\x00b:i1}"),
        OK("physical.color = \"orange\"\nphysical.shape = \"round\"\n",
           "{physical:{color:s\"orange\",shape:s\"round\"}}"),
        OK("site.\"google.com\" = true\n", "{site:{google.com:true}}"),
        OK("a . b\t.\tc = 1\n", "{a:{b:{c:i1}}}"),
        OK("'a'.\"b\".c = 1\n", "{a:{b:{c:i1}}}"),
        OK("3.14159 = \"pi\"\n", "{3:{14159:s\"pi\"}}"),
        OK("fruit.apple.color = 1\nfruit.apple.taste.sweet = true\nfruit.banana = 2\n",
           "{fruit:{apple:{color:i1,taste:{sweet:true}},banana:i2}}"),
        /* Out of order is allowed, if discouraged. */
        OK("apple.type = 1\norange.type = 2\napple.skin = 3\n",
           "{apple:{type:i1,skin:i3},orange:{type:i2}}"),
        /* A quoted key and a bare key with the same text are the same key: */
        OK("a = 1\n\"b\" = 2\n", "{a:i1,b:i2}"),
        OK("\"\" . '' = 1\n", "{:{:i1}}"),
    };
    RUN_OK(cases);
}

static void test_key_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        E("= 1\n", 1, 1, "key is missing"),
        E("a\n", 1, 2, "expected '='"),
        E("a", 1, 2, "expected '='"),
        E("a = \n", 1, 5, "expected a value"),
        E("a =", 1, 4, "expected a value"),
        E("a = # c\n", 1, 5, "expected a value"),
        E("a b = 1\n", 1, 3, "expected '='"),
        E("a. = 1\n", 1, 4, "key is missing"),
        E(".a = 1\n", 1, 1, "invalid character in a key"),
        E("a..b = 1\n", 1, 3, "invalid character in a key"),
        E("a.\nb = 1\n", 1, 3, "expected a key"),
        E("\xc3\xa9 = 1\n", 1, 1, "invalid character in a key"),
        E("a$b = 1\n", 1, 2, "expected '='"),
        E("\"\"\"a\"\"\" = 1\n", 1, 1, "multi-line string cannot be a key"),
        E("'''a''' = 1\n", 1, 1, "multi-line string cannot be a key"),
        E("'a' 'b' = 1\n", 1, 5, "expected '='"),
        E("\"a\"b = 1\n", 1, 4, "expected '='"),
        E("\"a\n\" = 1\n", 1, 3, "newline"),
        E("\"a\\q\" = 1\n", 1, 4, "invalid escape"),
        E("a == 1\n", 1, 4, "invalid value"),
        E("[a]\n= 1\n", 2, 1, "key is missing"),
    };
    RUN_ERR(cases);
}

/* Every redefinition rule of TOML 1.0 for keys. */
static void test_duplicate_keys(void **state)
{
    (void)state;
    static const err_case cases[] = {
        E("a = 1\na = 2\n", 2, 1, "duplicate key \"a\""),
        E("a = 1\n\"a\" = 2\n", 2, 1, "duplicate key"),
        E("a = 1\n'a' = 2\n", 2, 1, "duplicate key"),
        E("\"\\u0061\" = 1\na = 2\n", 2, 1, "duplicate key"),
        E("\"\" = 1\n'' = 2\n", 2, 1, "duplicate key"),
        E("a.b = 1\na.b = 2\n", 2, 3, "duplicate key \"b\""),
        E("a.b = 1\na . \"b\" = 2\n", 2, 5, "duplicate key"),
        E("a = 1\na.b = 2\n", 2, 1, "not a table"),
        E("a.b = 1\na.b.c = 2\n", 2, 3, "not a table"),
        E("a = []\na.b = 2\n", 2, 1, "not a table"),
        E("a = {}\na = 1\n", 2, 1, "duplicate key"),
        E("a.b = 1\na = 2\n", 2, 1, "duplicate key"),
        E("[t]\na = 1\na = 2\n", 3, 1, "duplicate key"),
        E("[t]\na = 1\n[u]\n[t]\n", 4, 2, "cannot define table"),
        /* The message says where the first definition is. */
        E("x = 1\n\n  x = 2\n", 3, 3, "first defined at 1:1"),
    };
    RUN_ERR(cases);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whitespace_and_comments),
        cmocka_unit_test(test_newline_and_control_errors),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_key_errors),
        cmocka_unit_test(test_duplicate_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
