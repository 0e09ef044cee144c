/*
 * Unit tests of the TOML parser (include/initdata/toml.h): the API contract
 * (arguments, type names, lookups, date-time text, the spec keywords),
 * spans and positions, the size and depth limits, and a larger document
 * read through the tree.  The machinery of the cases is in toml_cases.h.
 */
#include "toml_cases.h"

/* ---- the API contract -------------------------------------------------------- */

static void test_api_arguments(void **state)
{
    (void)state;
    idt_toml_doc *doc = NULL;
    idt_error err;
    idt_error_clear(&err);
    assert_status(idt_toml_parse(NULL, "a = 1", 5, NULL, &err), IDT_EINVAL, &err);
    assert_int_equal(err.code, IDT_EINVAL);
    assert_status(idt_toml_parse(&doc, NULL, 3, NULL, &err), IDT_EINVAL, &err);
    assert_null(doc);

    idt_toml_options opts = IDT_TOML_OPTIONS_INIT;
    assert_int_equal(opts.version, IDT_TOML_OPTIONS_VERSION);
    assert_int_equal(opts.max_size, IDT_TOML_DEFAULT_MAX_SIZE);
    assert_int_equal(opts.max_depth, IDT_TOML_DEFAULT_MAX_DEPTH);
    opts.version = 99;
    assert_status(idt_toml_parse(&doc, "a = 1", 5, &opts, &err), IDT_EINVAL, &err);
    assert_null(doc);
    assert_non_null(strstr(err.message, "version"));

    /* An empty document, even without a buffer, is an empty root table. */
    assert_status(idt_toml_parse(&doc, NULL, 0, NULL, &err), IDT_OK, &err);
    const idt_toml_value *root = idt_toml_doc_root(doc);
    assert_non_null(root);
    assert_int_equal(root->type, IDT_TOML_TABLE);
    assert_int_equal(root->as.table.count, 0);
    idt_toml_doc_free(doc);

    /* err may be NULL on success and on failure. */
    doc = NULL;
    assert_status(idt_toml_parse(&doc, "a = 1", 5, NULL, NULL), IDT_OK, NULL);
    idt_toml_doc_free(doc);
    assert_status(idt_toml_parse(&doc, "a = ", 4, NULL, NULL), IDT_ESYNTAX, NULL);
    assert_null(doc);

    /* The caller's source name survives a failure and is used by the formatter. */
    idt_error_clear(&err);
    err.source = "x.toml";
    assert_status(idt_toml_parse(&doc, "a = 1\nb = ?\n", 12, NULL, &err), IDT_ESYNTAX, &err);
    assert_string_equal(err.source, "x.toml");
    char msg[512];
    idt_error_format(msg, sizeof msg, &err);
    assert_true(strncmp(msg, "x.toml:2:5: error: ", 19) == 0);

    idt_toml_doc_free(NULL);
    assert_null(idt_toml_doc_root(NULL));
    assert_null(idt_toml_table_get(NULL, "a", 1));
}

static void test_api_type_names(void **state)
{
    (void)state;
    static const char *const names[] = { "table", "array", "string", "integer", "float",
                                         "bool", "datetime", "datetime-local", "date-local",
                                         "time-local" };
    for (int t = IDT_TOML_TABLE; t <= IDT_TOML_TIME_LOCAL; t++)
        assert_string_equal(idt_toml_type_name((idt_toml_type)t), names[t - IDT_TOML_TABLE]);
    assert_string_equal(idt_toml_type_name((idt_toml_type)0), "unknown");
    assert_string_equal(idt_toml_type_name((idt_toml_type)99), "unknown");
}

static void test_api_table_get(void **state)
{
    (void)state;
    static const char src[] = "a = 1\n\"a\\u0000b\" = 2\n\"a\\u0000c\" = 3\n\"\" = 4\n"
                              "arr = [1]\n[t]\nx = 5\n";
    idt_toml_doc *doc = parse_ok_n(src, sizeof src - 1);
    const idt_toml_value *root = idt_toml_doc_root(doc);
    assert_int_equal(idt_toml_table_get(root, "a", 1)->value->as.integer, 1);
    assert_int_equal(idt_toml_table_get(root, "a\0b", 3)->value->as.integer, 2);
    assert_int_equal(idt_toml_table_get(root, "a\0c", 3)->value->as.integer, 3);
    assert_int_equal(idt_toml_table_get(root, "", 0)->value->as.integer, 4);
    assert_null(idt_toml_table_get(root, "a\0", 2));
    assert_null(idt_toml_table_get(root, "ab", 2));
    assert_null(idt_toml_table_get(root, "A", 1));
    assert_null(idt_toml_table_get(root, "x", 1)); /* only in [t] */
    const idt_toml_entry *t = idt_toml_table_get(root, "t", 1);
    assert_int_equal(idt_toml_table_get(t->value, "x", 1)->value->as.integer, 5);
    /* Not a table: NULL, never a crash. */
    const idt_toml_entry *a = idt_toml_table_get(root, "a", 1);
    assert_null(idt_toml_table_get(a->value, "a", 1));
    assert_null(idt_toml_table_get(idt_toml_table_get(root, "arr", 3)->value, "0", 1));
    idt_toml_doc_free(doc);
}

/* Thousands of keys: every one found with its own value, document order
 * kept, absent keys (and near misses) not found. */
static void test_api_table_get_many_keys(void **state)
{
    (void)state;
    enum { N = 5000 };
    sbuf b = { 0 };
    for (int i = 0; i < N; i++)
        sb_printf(&b, i % 3 == 0 ? "k%d = %d\n" : i % 3 == 1 ? "\"k%d\" = %d\n" : "'k%d' = %d\n",
                  i, i * 7);
    sb_puts(&b, "[sub]\n");
    for (int i = 0; i < N; i++)
        sb_printf(&b, "t.k%d = %d\n", i, -i);
    idt_toml_doc *doc = parse_ok_n(b.data, b.len);
    const idt_toml_value *root = idt_toml_doc_root(doc);
    assert_int_equal(root->as.table.count, N + 1);
    char key[32];
    for (int i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        const idt_toml_entry *e = idt_toml_table_get(root, key, (size_t)n);
        assert_non_null(e);
        assert_ptr_equal(e, &root->as.table.entries[i]);
        assert_int_equal(e->value->as.integer, i * 7);
        assert_int_equal(e->key_len, (size_t)n);
        assert_memory_equal(e->key, key, (size_t)n);
    }
    for (int i = N; i < N + 100; i++) {
        int n = snprintf(key, sizeof key, "k%d", i);
        assert_null(idt_toml_table_get(root, key, (size_t)n));
        n = snprintf(key, sizeof key, "K%d", i - N);
        assert_null(idt_toml_table_get(root, key, (size_t)n));
    }
    const idt_toml_value *t = path_entry(doc, "sub.t")->value;
    assert_int_equal(t->as.table.count, N);
    for (int i = 0; i < N; i += 7) {
        int n = snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(idt_toml_table_get(t, key, (size_t)n)->value->as.integer, -i);
    }
    idt_toml_doc_free(doc);

    /* A duplicate among thousands is still found. */
    sb_printf(&b, "t.k%d = 1\n", N / 2);
    idt_toml_doc *d2 = NULL;
    idt_error err;
    assert_status(parse_exact(&d2, b.data, b.len, NULL, &err), IDT_ESYNTAX, &err);
    assert_non_null(strstr(err.message, "duplicate key"));
    assert_int_equal(err.line, 2 * N + 2);
    free(b.data);
}

static void test_api_datetime_format(void **state)
{
    (void)state;
    idt_toml_doc *doc = parse_ok("a = 1979-05-27T07:32:00.5-07:00\nb = 1\n");
    const idt_toml_value *a = path_entry(doc, "a")->value;
    char buf[64];
    assert_int_equal(idt_toml_datetime_format(buf, sizeof buf, a), 27);
    assert_string_equal(buf, "1979-05-27T07:32:00.5-07:00");
    /* Truncated to cap, NUL-terminated, full length returned. */
    memset(buf, 'x', sizeof buf);
    assert_int_equal(idt_toml_datetime_format(buf, 11, a), 27);
    assert_string_equal(buf, "1979-05-27");
    assert_int_equal(idt_toml_datetime_format(buf, sizeof buf, path_entry(doc, "b")->value), -1);
    assert_int_equal(idt_toml_datetime_format(buf, sizeof buf, NULL), -1);
    assert_int_equal(idt_toml_datetime_format(buf, sizeof buf, idt_toml_doc_root(doc)), -1);
    idt_toml_doc_free(doc);
}

static void test_spec_api(void **state)
{
    (void)state;
    idt_toml_spec spec = 0;
    idt_error err;
    assert_status(idt_toml_spec_parse(&spec, "1.0", 3, &err), IDT_OK, &err);
    assert_int_equal(spec, IDT_TOML_1_0);
    assert_status(idt_toml_spec_parse(&spec, "1.1", 3, &err), IDT_OK, &err);
    assert_int_equal(spec, IDT_TOML_1_1);
    assert_status(idt_toml_spec_parse(&spec, "1.2", 3, &err), IDT_EINVAL, &err);
    assert_non_null(strstr(err.message, "known: 1.0, 1.1"));
    assert_status(idt_toml_spec_parse(&spec, "1.1x", 3, &err), IDT_OK, &err); /* len counts */
    assert_status(idt_toml_spec_parse(NULL, "1.1", 3, &err), IDT_EINVAL, &err);
    assert_string_equal(idt_toml_spec_name(IDT_TOML_1_0), "1.0");
    assert_string_equal(idt_toml_spec_name(IDT_TOML_1_1), "1.1");
    assert_null(idt_toml_spec_name((idt_toml_spec)0));

    /* An unknown spec is refused; version 1 options are read as 1.1. */
    idt_toml_options o = IDT_TOML_OPTIONS_INIT;
    idt_toml_doc *doc = NULL;
    o.spec = (idt_toml_spec)3;
    assert_status(parse_exact(&doc, "a = 1", 5, &o, &err), IDT_EINVAL, &err);
    struct { unsigned version; size_t max_size; unsigned max_depth; } v1 = { 1, 100, 8 };
    assert_status(parse_exact(&doc, "a = \"\\e\"", 8, (const idt_toml_options *)&v1, &err),
                  IDT_OK, &err);
    idt_toml_doc_free(doc);
    assert_status(parse_exact(&doc, "a = [[[[[[[[[1]]]]]]]]]", 23,
                              (const idt_toml_options *)&v1, &err), IDT_ELIMIT, &err);
    /* A 1.0 parse records no 1.1 uses, even of text both read alike. */
    o.spec = IDT_TOML_1_0;
    assert_status(parse_exact(&doc, "a = {b = 1}", 11, &o, &err), IDT_OK, &err);
    size_t count;
    assert_null(idt_toml_doc_v11_uses(doc, &count, NULL));
    idt_toml_doc_free(doc);
}

/* ---- spans and positions ----------------------------------------------------- */

static void test_spans_keys_and_values(void **state)
{
    (void)state;
    static const char src[] =
        "title = \"TOML\"\n"                   /* line 1 */
        "  \"quoted key\"\t=\t'lit'  # c\n"    /* line 2 */
        "site . \"google.com\" . x = 42\n"     /* line 3 */
        "multi = \"\"\"\nab\ncd\"\"\"\n"       /* lines 4-6 */
        "arr = [ 1, [2, 3], \"s\" ]\n"         /* line 7 */
        "inl = { x = 1.5, y.z = true }\n"      /* line 8 */
        "dt = 1979-05-27T07:32:00Z\n";         /* line 9 */
    idt_toml_doc *doc = parse_ok(src);
    const idt_toml_value *root = idt_toml_doc_root(doc);
    assert_int_equal(root->span.offset, 0);
    assert_int_equal(root->span.length, sizeof src - 1);
    assert_int_equal(root->span.line, 1);
    assert_int_equal(root->span.column, 1);

    const idt_toml_entry *e = path_entry(doc, "title");
    assert_span_at(e->key_span, src, "title", 0);
    assert_span_at(e->value->span, src, "\"TOML\"", 0);

    e = idt_toml_table_get(root, "quoted key", 10);
    assert_span_at(e->key_span, src, "\"quoted key\"", 0); /* as written: quotes too */
    assert_span_at(e->value->span, src, "'lit'", 0);

    /* A dotted key: each table points at its own part, the entry at the last. */
    e = path_entry(doc, "site");
    assert_span_at(e->key_span, src, "site", 0);
    assert_span_at(e->value->span, src, "site", 0);
    e = idt_toml_table_get(e->value, "google.com", 10);
    assert_span_at(e->key_span, src, "\"google.com\"", 0);
    assert_span_at(e->value->span, src, "\"google.com\"", 0);
    e = idt_toml_table_get(e->value, "x", 1);
    assert_span_in(e->key_span, src, "x = 42", 0, 0, 1);
    assert_span_at(e->value->span, src, "42", 0);

    e = path_entry(doc, "multi");
    assert_span_at(e->value->span, src, "\"\"\"\nab\ncd\"\"\"", 0);
    assert_int_equal(e->value->span.line, 4);

    e = path_entry(doc, "arr");
    assert_span_at(e->value->span, src, "[ 1, [2, 3], \"s\" ]", 0);
    assert_span_in(e->value->as.array.items[0]->span, src, "[ 1,", 0, 2, 1);
    assert_span_at(e->value->as.array.items[1]->span, src, "[2, 3]", 0);
    assert_span_in(e->value->as.array.items[1]->as.array.items[1]->span, src, "[2, 3]", 0, 4, 1);
    assert_span_at(e->value->as.array.items[2]->span, src, "\"s\"", 0);

    e = path_entry(doc, "inl");
    assert_span_at(e->value->span, src, "{ x = 1.5, y.z = true }", 0);
    const idt_toml_entry *x = idt_toml_table_get(e->value, "x", 1);
    assert_span_in(x->key_span, src, "x = 1.5", 0, 0, 1);
    assert_span_at(x->value->span, src, "1.5", 0);
    const idt_toml_entry *y = idt_toml_table_get(e->value, "y", 1);
    assert_span_in(y->key_span, src, "y.z", 0, 0, 1);
    assert_span_in(y->value->span, src, "y.z", 0, 0, 1); /* made by the dotted key */
    const idt_toml_entry *z = idt_toml_table_get(y->value, "z", 1);
    assert_span_in(z->key_span, src, "y.z", 0, 2, 1);
    assert_span_at(z->value->span, src, "true", 0);

    e = path_entry(doc, "dt");
    assert_span_at(e->value->span, src, "1979-05-27T07:32:00Z", 0);
    idt_toml_doc_free(doc);
}

static void test_spans_tables(void **state)
{
    (void)state;
    static const char src[] =
        "[ owner ] # c\n"          /* line 1: a table by a header */
        "name = 1\n"
        "[a.b.c]\n"                /* line 3: a and b implicit */
        "[a]\n"                    /* line 4: a defined now */
        "[[fruit]]\n"              /* line 5: array of tables */
        "n = 1\n"
        "[[fruit]]\n"              /* line 7: second element */
        "[fruit.x]\n";             /* line 8: sub-table of the second */
    idt_toml_doc *doc = parse_ok(src);
    const idt_toml_entry *e = path_entry(doc, "owner");
    assert_span_at(e->value->span, src, "[ owner ]", 0);
    assert_span_at(e->key_span, src, "owner", 0);

    e = path_entry(doc, "a.b");
    assert_span_in(e->value->span, src, "[a.b.c]", 0, 3, 1); /* implicit: the key that made it */
    assert_span_in(e->key_span, src, "[a.b.c]", 0, 3, 1);
    e = path_entry(doc, "a.b.c");
    assert_span_at(e->value->span, src, "[a.b.c]", 0);
    assert_span_in(e->key_span, src, "[a.b.c]", 0, 5, 1);
    e = path_entry(doc, "a");
    assert_span_at(e->value->span, src, "[a]", 0); /* defined by its header */

    e = path_entry(doc, "fruit");
    assert_int_equal(e->value->type, IDT_TOML_ARRAY);
    assert_int_equal(e->value->as.array.count, 2);
    assert_span_at(e->value->span, src, "[[fruit]]", 0);
    assert_span_at(e->key_span, src, "fruit", 0);
    assert_span_at(e->value->as.array.items[0]->span, src, "[[fruit]]", 0);
    assert_span_at(e->value->as.array.items[1]->span, src, "[[fruit]]", 1);
    const idt_toml_entry *x = idt_toml_table_get(e->value->as.array.items[1], "x", 1);
    assert_span_at(x->value->span, src, "[fruit.x]", 0);
    assert_span_in(x->key_span, src, "[fruit.x]", 0, 7, 1);
    idt_toml_doc_free(doc);
}

static void test_spans_crlf_and_utf8(void **state)
{
    (void)state;
    static const char src[] = "# \xc3\xa9\r\n\"\xc3\xa9\" = \"\xc3\xbc\"\r\n\r\n  k = [\r\n  1]\r\n";
    idt_toml_doc *doc = parse_ok(src);
    const idt_toml_entry *e = idt_toml_table_get(idt_toml_doc_root(doc), "\xc3\xa9", 2);
    assert_non_null(e);
    assert_int_equal(e->key_span.line, 2);
    assert_int_equal(e->key_span.column, 1);
    assert_int_equal(e->key_span.length, 4);
    assert_int_equal(e->value->span.line, 2);
    assert_int_equal(e->value->span.column, 8); /* columns count bytes */
    assert_int_equal(e->value->span.offset, 13);
    e = path_entry(doc, "k");
    assert_int_equal(e->key_span.line, 4);
    assert_int_equal(e->key_span.column, 3);
    assert_int_equal(e->value->as.array.items[0]->span.line, 5);
    assert_int_equal(e->value->as.array.items[0]->span.column, 3);
    idt_toml_doc_free(doc);

    /* After a byte order mark the columns still count from the line start. */
    static const char bom[] = "\xef\xbb\xbf" "a = 1\n";
    doc = parse_ok(bom);
    e = path_entry(doc, "a");
    assert_int_equal(e->key_span.offset, 3);
    assert_int_equal(e->key_span.line, 1);
    idt_toml_doc_free(doc);
}

/* ---- limits ------------------------------------------------------------------ */

static int parse_with(const char *src, size_t len, size_t max_size, unsigned max_depth,
                      idt_error *err)
{
    idt_toml_options o = IDT_TOML_OPTIONS_INIT;
    o.max_size = max_size;
    o.max_depth = max_depth;
    idt_toml_doc *doc = NULL;
    int rc = parse_exact(&doc, src, len, &o, err);
    if (rc == IDT_OK)
        assert_non_null(doc);
    else
        assert_null(doc);
    idt_toml_doc_free(doc);
    return rc;
}

static void expect_limit(const char *src, unsigned depth, uint32_t line, uint32_t col)
{
    idt_error err;
    int rc = parse_with(src, strlen(src), 1 << 20, depth, &err);
    if (rc != IDT_ELIMIT || err.line != line || err.column != col ||
        !strstr(err.message, "nesting deeper than")) {
        print_error("depth %u: %s\n    want limit at %u:%u, got %s at %u:%u: %s\n", depth, src,
                    line, col, idt_status_str(rc), err.line, err.column, err.message);
        fail();
    }
}

static void expect_within(const char *src, unsigned depth)
{
    idt_error err;
    int rc = parse_with(src, strlen(src), 1 << 20, depth, &err);
    if (rc != IDT_OK) {
        print_error("depth %u: %s\n    want OK, got %s: %s\n", depth, src, idt_status_str(rc),
                    err.message);
        fail();
    }
}
static void test_limit_size(void **state)
{
    (void)state;
    idt_error err;
    static const char src[] = "a = \"0123456789\"\n"; /* 17 bytes */
    assert_status(parse_with(src, 17, 17, 8, &err), IDT_OK, &err);
    assert_status(parse_with(src, 17, 16, 8, &err), IDT_ELIMIT, &err);
    assert_int_equal(err.code, IDT_ELIMIT);
    assert_non_null(strstr(err.message, "larger than the limit"));
    assert_status(parse_with(src, 17, 0, 8, &err), IDT_ELIMIT, &err);
    assert_status(parse_with("", 0, 0, 8, &err), IDT_OK, &err);
}

static void test_limit_depth(void **state)
{
    (void)state;
    /* Arrays: the value of a root key is at depth 1. */
    expect_within("a = [[[1]]]", 3);
    expect_limit("a = [[[[1]]]]", 3, 1, 8);
    /* Inline tables. */
    expect_within("a = {b = {c = {}}}", 3);
    expect_limit("a = {b = {c = {d = {}}}}", 3, 1, 20);
    expect_limit("a = [{b = [1]}, {c = {d = [1]}}]", 3, 1, 27);
    /* Tables by headers and their parents. */
    expect_within("[a.b.c]\nx = 1\n", 3);
    expect_limit("[a.b.c.d]\n", 3, 1, 8);
    expect_limit("[a.b]\n[a.b.c]\n[a.b.c.d]\n", 3, 3, 8);
    /* Dotted keys: each part is a level. */
    expect_within("a.b.c = 1\n", 3);
    expect_limit("a.b.c.d = 1\n", 3, 1, 7);
    /* Levels add up across headers, dotted keys and values. */
    expect_within("[a]\nb.c = 1\n", 3);
    expect_within("[a.b]\nc = [1]\n", 3);
    expect_limit("[a.b]\nc = [[1]]\n", 3, 2, 6);
    expect_within("[a.b]\nc = {d = 1}\ne.f = 1\n", 3);
    expect_limit("[a.b]\ne.f.g = 1\n", 3, 2, 3);
    /* Arrays of tables: the array and its element are levels. */
    expect_within("[[a]]\nx = [1]\n", 3);
    expect_limit("[[a]]\n[[a.b]]\n", 3, 2, 5);

    /* The defaults: 128 levels. */
    sbuf b = { 0 };
    sb_puts(&b, "a = ");
    for (int i = 0; i < 128; i++)
        sb_puts(&b, "[");
    for (int i = 0; i < 128; i++)
        sb_puts(&b, "]");
    idt_toml_doc *doc = parse_ok_n(b.data, b.len);
    idt_toml_doc_free(doc);
    b.len = 0;
    sb_puts(&b, "a = ");
    for (int i = 0; i < 129; i++)
        sb_puts(&b, "[");
    for (int i = 0; i < 129; i++)
        sb_puts(&b, "]");
    idt_error err;
    assert_status(parse_exact(&doc, b.data, b.len, NULL, &err), IDT_ELIMIT, &err);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 4 + 129);

    /* A million open brackets, or nested inline tables: refused at the
     * limit, not by the stack. */
    b.len = 0;
    sb_puts(&b, "a = ");
    for (int i = 0; i < 1000000; i++)
        sb_putn(&b, "[", 1);
    assert_status(parse_exact(&doc, b.data, b.len, NULL, &err), IDT_ELIMIT, &err);
    b.len = 0;
    sb_puts(&b, "a = ");
    for (int i = 0; i < 100000; i++)
        sb_puts(&b, "{b = ");
    assert_status(parse_exact(&doc, b.data, b.len, NULL, &err), IDT_ELIMIT, &err);
    assert_int_equal(err.column, 5 + 5 * 128); /* the 129th brace */

    /* A key of 10000 parts, and a header of as many. */
    b.len = 0;
    for (int i = 0; i < 10000; i++)
        sb_puts(&b, i ? ".k" : "k");
    sb_puts(&b, " = 1\n");
    assert_status(parse_exact(&doc, b.data, b.len, NULL, &err), IDT_ELIMIT, &err);
    b.len = 0;
    sb_puts(&b, "[");
    for (int i = 0; i < 10000; i++)
        sb_puts(&b, i ? ".k" : "k");
    sb_puts(&b, "]\n");
    assert_status(parse_exact(&doc, b.data, b.len, NULL, &err), IDT_ELIMIT, &err);
    free(b.data);
}

/* ---- a larger document, read through the tree -------------------------------- */

static void test_document_tree(void **state)
{
    (void)state;
    static const char src[] =
        "version = \"0.1.0\"\n"
        "algorithm = \"sha256\"\n"
        "[data]\n"
        "\"aa.toml\" = '''\n"
        "[token_configs.kbs]\n"
        "url = \"https://kbs.example:8080\"\n"
        "'''\n"
        "\"policy.rego\" = \"\"\"\n"
        "package agent_policy\n"
        "default AllowRequestsFailingPolicy := true\"\"\"\n";
    idt_toml_doc *doc = parse_ok(src);
    const idt_toml_value *root = idt_toml_doc_root(doc);
    assert_int_equal(root->as.table.count, 3);
    assert_string_equal(root->as.table.entries[0].key, "version");
    assert_string_equal(root->as.table.entries[1].key, "algorithm");
    assert_string_equal(root->as.table.entries[2].key, "data");
    const idt_toml_value *data = path_entry(doc, "data")->value;
    assert_int_equal(data->type, IDT_TOML_TABLE);
    const idt_toml_entry *aa = idt_toml_table_get(data, "aa.toml", 7);
    assert_non_null(aa);
    assert_string_equal(aa->value->as.string.ptr,
                        "[token_configs.kbs]\nurl = \"https://kbs.example:8080\"\n");
    const idt_toml_entry *pol = idt_toml_table_get(data, "policy.rego", 11);
    assert_string_equal(pol->value->as.string.ptr,
                        "package agent_policy\ndefault AllowRequestsFailingPolicy := true");
    assert_int_equal(pol->value->as.string.len, strlen(pol->value->as.string.ptr));
    idt_toml_doc_free(doc);
}

/* ---- IDT_TOML_BORROW ----------------------------------------------------------- */

static void test_api_borrow(void **state)
{
    (void)state;
    static const char src[] = "plain = '''\nline\n'''\nbasic = \"b\"\nesc = \"a\\tb\"\n"
                              "crlf = \"\"\"x\r\ny\"\"\"\n\"quoted key\" = 'k'\n";
    const size_t len = sizeof src - 1;
    idt_toml_options opts = IDT_TOML_OPTIONS_INIT;
    assert_int_equal(opts.flags, 0);
    opts.flags = IDT_TOML_BORROW;
    idt_toml_doc *doc = NULL;
    idt_error err;
    idt_error_clear(&err);
    assert_status(idt_toml_parse(&doc, src, len, &opts, &err), IDT_OK, &err);
    const idt_toml_value *root = idt_toml_doc_root(doc);
    const idt_toml_value *v = idt_toml_table_get(root, "plain", 5)->value;
    assert_ptr_equal(v->as.string.ptr, src + 12); /* a span of the source */
    assert_int_equal(v->as.string.len, 5);
    v = idt_toml_table_get(root, "basic", 5)->value;
    assert_ptr_equal(v->as.string.ptr, strstr(src, "b\""));
    assert_int_equal(v->as.string.len, 1);
    /* Decoded strings and every key are NUL-terminated copies. */
    v = idt_toml_table_get(root, "esc", 3)->value;
    assert_string_equal(v->as.string.ptr, "a\tb");
    v = idt_toml_table_get(root, "crlf", 4)->value;
    assert_string_equal(v->as.string.ptr, "x\ny");
    const idt_toml_entry *e = idt_toml_table_get(root, "quoted key", 10);
    assert_string_equal(e->key, "quoted key");
    assert_true((uintptr_t)e->key < (uintptr_t)src || (uintptr_t)e->key >= (uintptr_t)(src + len));
    idt_toml_doc_free(doc);

    /* Without the flag (and from version 2 options, which end before
     * flags) every string is a copy. */
    idt_toml_options v2 = { 2, IDT_TOML_DEFAULT_MAX_SIZE, IDT_TOML_DEFAULT_MAX_DEPTH,
                            IDT_TOML_1_1, IDT_TOML_BORROW };
    assert_status(idt_toml_parse(&doc, src, len, &v2, &err), IDT_OK, &err);
    v = idt_toml_table_get(idt_toml_doc_root(doc), "plain", 5)->value;
    assert_ptr_not_equal(v->as.string.ptr, src + 12);
    assert_string_equal(v->as.string.ptr, "line\n");
    idt_toml_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_borrow),
        cmocka_unit_test(test_api_arguments),
        cmocka_unit_test(test_api_type_names),
        cmocka_unit_test(test_api_table_get),
        cmocka_unit_test(test_api_table_get_many_keys),
        cmocka_unit_test(test_api_datetime_format),
        cmocka_unit_test(test_spans_keys_and_values),
        cmocka_unit_test(test_spans_tables),
        cmocka_unit_test(test_spans_crlf_and_utf8),
        cmocka_unit_test(test_limit_size),
        cmocka_unit_test(test_limit_depth),
        cmocka_unit_test(test_document_tree),
        cmocka_unit_test(test_spec_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
