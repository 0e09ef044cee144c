/*
 * Unit tests of the TOML parser (include/initdata/toml.h): TOML 1.1 (\e,
 * \xHH, times without seconds, inline tables over lines), the uses of it a
 * document records, and nesting as the Rust consumers count it.  The
 * machinery of the cases is in toml_cases.h.
 */
#include "toml_cases.h"

/* ---- TOML 1.1 ---------------------------------------------------------------- */

static void test_v11_syntax(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        /* \e and \xHH (U+0000 to U+00FF, as UTF-8). */
        OK("a = \"\\e\"", "{a:s\"\\x1b\"}"),
        OK("a = \"\\x41\\x00\\x7f\"", "{a:s\"A\\x00\\x7f\"}"),
        OK("a = \"S\\xf8r\"", "{a:s\"S\\xc3\\xb8r\"}"),
        OK("a = \"\\xFF\"", "{a:s\"\\xc3\\xbf\"}"),
        OK("a = \"\"\"\\e\\x20\n\\x0a\"\"\"", "{a:s\"\\x1b \\x0a\\x0a\"}"),
        OK("\"\\e\" = 1", "{\\x1b:i1}"),
        OK("a = '\\e\\x41'", "{a:s\"\\\\e\\\\x41\"}"), /* not in literal strings */
        /* Times without seconds mean :00, with or without a date and offset. */
        OK("a = 07:32", "{a:lt07:32:00}"),
        OK("a = 1979-05-27T07:32", "{a:ldt1979-05-27T07:32:00}"),
        OK("a = 1979-05-27 07:32", "{a:ldt1979-05-27T07:32:00}"),
        OK("a = 1979-05-27T07:32Z", "{a:odt1979-05-27T07:32:00Z}"),
        OK("a = 1979-05-27T07:32-07:00", "{a:odt1979-05-27T07:32:00-07:00}"),
        /* Inline tables over lines, with comments and a trailing comma. */
        OK("a = {b = 1,}", "{a:{b:i1}}"),
        OK("a = { b = 1 , }", "{a:{b:i1}}"),
        OK("a = {\n}", "{a:{}}"),
        OK("a = {\n  b = 1,\n  c = 2,\n}", "{a:{b:i1,c:i2}}"),
        OK("a = {b = 1\n, c = 2}", "{a:{b:i1,c:i2}}"),
        OK("a = { # x\n b = 1, # y\n # z\n}", "{a:{b:i1}}"),
        OK("a = {\r\nb = 1\r\n}", "{a:{b:i1}}"),
        OK("a = {b = {\nc = [\n1,\n],\n},\n}", "{a:{b:{c:[i1]}}}"),
        OK("a = [{\nb = 1,\n}]", "{a:[{b:i1}]}"),
        /* The same documents, 1.0 spellings, in 1.0 mode. */
        OK10("a = \"\\u001b\"", "{a:s\"\\x1b\"}"),
        OK10("a = 07:32:00", "{a:lt07:32:00}"),
        OK10("a = {b = 1}", "{a:{b:i1}}"),
    };
    RUN_OK(cases);
}

static void test_v11_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        E("a = \"\\x4\"", 1, 8, "\\x escape needs 2 hex digits"),
        E("a = \"\\xg0\"", 1, 8, "\\x escape needs 2 hex digits"),
        E("a = \"\\x\"", 1, 8, "\\x escape needs 2 hex digits"),
        E("a = \"\\E\"", 1, 7, "TOML 1.1 allows"),
        E("a = \"\\X41\"", 1, 7, "invalid escape \\X"),
        E("a = 07:32.5", 1, 10, "newline"),
        E("a = 07:", 1, 5, "invalid time"),
        E("a = 07:3", 1, 5, "invalid time"),
        E("a = 07:32:", 1, 5, "invalid time"),
        E("a = 24:00", 1, 5, "out of range"),
        E("a = {,}", 1, 6, "invalid character in a key"),
        E("a = {b = 1,,}", 1, 12, "invalid character in a key"),
        E("a = {b = 1\nc = 2}", 2, 1, "expected ',' or '}'"),
        E("a = {b\n= 1}", 1, 7, "expected '='"),
        E("a = {b =\n1}", 1, 9, "expected a value"),
        E("a = {b = 1,\n", 2, 1, "expected a key"),
        E("a = {b = 1 # c", 1, 15, "unterminated inline table"),
        E("a = {b = 1, b = 2,}", 1, 13, "duplicate key"),
        E("a = {\n}\n[a]\n", 3, 2, "cannot define table"),
        E("a = {b = 1 # \x01\n}", 1, 14, "U+0001"),
    };
    RUN_ERR(cases);
}

/* The uses of 1.1 syntax a document records, with their positions. */
static void expect_uses(const char *src, size_t n, const idt_toml_feature *f,
                        const uint32_t (*at)[2])
{
    idt_toml_doc *doc = parse_ok(src);
    size_t count = 99, total = 99;
    const idt_toml_feature_use *u = idt_toml_doc_v11_uses(doc, &count, &total);
    assert_int_equal(count, n);
    assert_int_equal(total, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(u[i].feature, f[i]);
        assert_int_equal(u[i].span.line, at[i][0]);
        assert_int_equal(u[i].span.column, at[i][1]);
        assert_non_null(idt_toml_feature_name(u[i].feature));
    }
    if (!n)
        assert_null(u);
    idt_toml_doc_free(doc);
}
static void test_v11_uses(void **state)
{
    (void)state;
    static const idt_toml_feature f1[] = { IDT_TOML_FEATURE_ESCAPE_E, IDT_TOML_FEATURE_ESCAPE_X };
    static const uint32_t a1[][2] = { { 1, 7 }, { 3, 1 } }; /* after the trimmed newline */
    expect_uses("a = \"x\\e\"\nb = \"\"\"\n\\x41\"\"\"\n", 2, f1, a1);
    static const idt_toml_feature f2[] = { IDT_TOML_FEATURE_INLINE_NEWLINE,
                                           IDT_TOML_FEATURE_INLINE_NEWLINE,
                                           IDT_TOML_FEATURE_INLINE_TRAILING_COMMA };
    static const uint32_t a2[][2] = { { 1, 6 }, { 2, 8 }, { 3, 6 } };
    expect_uses("a = {\nb = 1, # c\nc = 2,}\n", 3, f2, a2);
    static const idt_toml_feature f3[] = { IDT_TOML_FEATURE_TIME_NO_SECONDS,
                                           IDT_TOML_FEATURE_TIME_NO_SECONDS };
    static const uint32_t a3[][2] = { { 1, 5 }, { 2, 16 } };
    expect_uses("a = 07:32\nb = 1979-05-27T07:32Z\n", 2, f3, a3);
    /* Plain 1.0 text records nothing, and spans are exact. */
    expect_uses("a = {b = 1}\nc = 07:32:00\nd = \"\\u001b\"\n", 0, NULL, NULL);
    idt_toml_doc *doc = parse_ok("a = \"\\x41\"");
    size_t count;
    const idt_toml_feature_use *u = idt_toml_doc_v11_uses(doc, &count, NULL);
    assert_int_equal(u[0].span.offset, 5);
    assert_int_equal(u[0].span.length, 4);
    idt_toml_doc_free(doc);

    /* More than the kept number: the first are kept, all are counted. */
    sbuf b = { 0 };
    for (unsigned i = 0; i < IDT_TOML_FEATURE_USES_MAX + 6; i++) {
        char line[32];
        snprintf(line, sizeof line, "k%u = \"\\e\"\n", i);
        sb_puts(&b, line);
    }
    doc = parse_ok_n(b.data, b.len);
    size_t total;
    u = idt_toml_doc_v11_uses(doc, &count, &total);
    assert_int_equal(count, IDT_TOML_FEATURE_USES_MAX);
    assert_int_equal(total, IDT_TOML_FEATURE_USES_MAX + 6);
    assert_int_equal(u[count - 1].span.line, IDT_TOML_FEATURE_USES_MAX);
    idt_toml_doc_free(doc);
    free(b.data);
    assert_null(idt_toml_doc_v11_uses(NULL, &count, &total));
    assert_int_equal(count, 0);
    assert_int_equal(total, 0);
    assert_null(idt_toml_feature_name((idt_toml_feature)0));
}

/* ---- nesting ----------------------------------------------------------------- */

/* Nesting as the toml crate 1.1 counts it (kata-agent 4.x, runtime-rs and
 * Trustee): toml_parser's RecursionGuard counts open arrays and inline
 * tables together (crates/toml_parser/src/parser/event.rs), and the
 * toml crate refuses a key whose parent path has LIMIT = 80 parts or more
 * (crates/toml/src/de/parser/key.rs); table headers do not nest values. */
static void expect_nesting(const char *src, unsigned depth, uint32_t dcol, unsigned parts,
                           uint32_t kline, uint32_t kcol, size_t klen)
{
    idt_toml_doc *doc = parse_ok(src);
    idt_toml_nesting n;
    idt_toml_doc_nesting(doc, &n);
    assert_int_equal(n.value_depth, depth);
    if (depth) {
        assert_int_equal(n.value_span.column, dcol);
        assert_int_equal(n.value_span.length, 1);
    }
    assert_int_equal(n.key_parts, parts);
    assert_int_equal(n.key_span.line, kline);
    assert_int_equal(n.key_span.column, kcol);
    assert_int_equal(n.key_span.length, klen);
    idt_toml_doc_free(doc);
}
static void test_nesting(void **state)
{
    (void)state;
    expect_nesting("a = 1", 0, 0, 1, 1, 1, 1);
    expect_nesting("a = [[1], [[2]]]", 3, 12, 1, 1, 1, 1);
    expect_nesting("a = [{b = [1]}]", 3, 11, 1, 1, 1, 1);
    expect_nesting("x = {a = {b = 1}}\ny = [1]", 2, 10, 1, 1, 1, 1);
    /* Headers and dotted keys are key parts, not value depth. */
    expect_nesting("[a.b.c]\nd.e = [1]", 1, 7, 3, 1, 2, 5);
    expect_nesting("a . b . c = 1\n[x]\n[y.z]", 0, 0, 3, 1, 1, 9);
    expect_nesting("t = {a.b.c.d = 1}", 1, 5, 4, 1, 6, 7);

    /* 80 arrays and 81; 80 parts and 81. */
    sbuf b = { 0 };
    for (int deep = 80; deep <= 81; deep++) {
        b.len = 0;
        sb_puts(&b, "x = ");
        for (int i = 0; i < deep; i++)
            sb_puts(&b, "[");
        for (int i = 0; i < deep; i++)
            sb_puts(&b, "]");
        idt_toml_doc *doc = parse_ok_n(b.data, b.len);
        idt_toml_nesting n;
        idt_toml_doc_nesting(doc, &n);
        assert_int_equal(n.value_depth, (unsigned)deep);
        assert_int_equal(n.value_span.column, 4 + deep);
        idt_toml_doc_free(doc);
        b.len = 0;
        for (int i = 0; i < deep; i++)
            sb_puts(&b, i ? ".k" : "[k");
        sb_puts(&b, "]\n");
        doc = parse_ok_n(b.data, b.len);
        idt_toml_doc_nesting(doc, &n);
        assert_int_equal(n.key_parts, (unsigned)deep);
        assert_int_equal(n.key_span.column, 2);
        assert_int_equal(n.key_span.length, (size_t)deep * 2 - 1);
        idt_toml_doc_free(doc);
    }
    free(b.data);
    idt_toml_nesting none;
    idt_toml_doc_nesting(NULL, &none);
    assert_int_equal(none.value_depth, 0);
    assert_int_equal(none.key_parts, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v11_syntax),
        cmocka_unit_test(test_v11_errors),
        cmocka_unit_test(test_v11_uses),
        cmocka_unit_test(test_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
