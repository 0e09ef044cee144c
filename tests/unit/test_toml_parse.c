/*
 * Unit tests of the TOML 1.0 parser (include/initdata/toml.h), needing
 * nothing outside the repository.
 *
 * Most tests are tables of cases: a document and either the value it must
 * decode to (in a compact notation, see render()) or the status, line,
 * column and a key phrase of the message it must be rejected with.  Every
 * case of a table runs, and all mismatches are printed, before the test
 * fails.  Each document is copied into a block of exactly its length, so
 * AddressSanitizer catches a read past the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "initdata/toml.h"

/* ---- helpers ---------------------------------------------------------------- */

/* A growable string for render(). */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        assert_non_null(b->p);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sb_puts(b, tmp);
}

/* Bytes with " and \ escaped, and every byte outside printable ASCII as
 * \xNN, so that expectations are plain ASCII and lengths are visible. */
static void sb_escaped(sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            sb_printf(b, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            sb_printf(b, "\\x%02x", c);
        else
            sb_putn(b, (const char *)&c, 1);
    }
}

/* The shortest %g that reads back as d. */
static void sb_double(sbuf *b, double d)
{
    char tmp[64];
    if (isnan(d)) {
        sb_puts(b, "nan");
        return;
    }
    if (isinf(d)) {
        sb_puts(b, d > 0 ? "inf" : "-inf");
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    sb_puts(b, tmp);
}

/*
 * A compact, unambiguous rendering of a value:
 *   table {key:value,...}  array [v,...]  string s"..."  integer i123
 *   float f1.5 / finf / f-inf / fnan / f-0   bool true / false
 *   date-times odt<text> ldt<text> ld<text> lt<text> (idt_toml_datetime_format)
 * Keys are written like string contents (escaped, unquoted).
 */
static void render(sbuf *b, const idt_toml_value *v)
{
    char dt[96];
    switch (v->type) {
    case IDT_TOML_TABLE:
        sb_puts(b, "{");
        for (size_t i = 0; i < v->as.table.count; i++) {
            const idt_toml_entry *e = &v->as.table.entries[i];
            if (i)
                sb_puts(b, ",");
            assert_int_equal(e->key[e->key_len], '\0');
            sb_escaped(b, e->key, e->key_len);
            sb_puts(b, ":");
            render(b, e->value);
        }
        sb_puts(b, "}");
        return;
    case IDT_TOML_ARRAY:
        sb_puts(b, "[");
        for (size_t i = 0; i < v->as.array.count; i++) {
            if (i)
                sb_puts(b, ",");
            render(b, v->as.array.items[i]);
        }
        sb_puts(b, "]");
        return;
    case IDT_TOML_STRING:
        assert_int_equal(v->as.string.ptr[v->as.string.len], '\0');
        sb_puts(b, "s\"");
        sb_escaped(b, v->as.string.ptr, v->as.string.len);
        sb_puts(b, "\"");
        return;
    case IDT_TOML_INTEGER:
        sb_printf(b, "i%lld", (long long)v->as.integer);
        return;
    case IDT_TOML_FLOAT:
        sb_puts(b, "f");
        sb_double(b, v->as.floating);
        return;
    case IDT_TOML_BOOL:
        sb_puts(b, v->as.boolean ? "true" : "false");
        return;
    default:
        assert_true(idt_toml_datetime_format(dt, sizeof dt, v) > 0);
        sb_puts(b, v->type == IDT_TOML_DATETIME         ? "odt"
                   : v->type == IDT_TOML_DATETIME_LOCAL ? "ldt"
                   : v->type == IDT_TOML_DATE_LOCAL     ? "ld"
                                                        : "lt");
        sb_puts(b, dt);
        return;
    }
}

/* Parses a copy of src[0..len) in a block of exactly len bytes. */
static int parse_exact(idt_toml_doc **doc, const char *src, size_t len,
                       const idt_toml_options *opts, idt_error *err)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, src, len);
    idt_error_clear(err);
    int rc = idt_toml_parse(doc, copy, len, opts, err);
    free(copy);
    return rc;
}

static idt_toml_doc *parse_ok_n(const char *src, size_t len)
{
    idt_toml_doc *doc = NULL;
    idt_error err;
    int rc = parse_exact(&doc, src, len, NULL, &err);
    if (rc != IDT_OK) {
        char msg[512];
        idt_error_format(msg, sizeof msg, &err);
        print_error("unexpected failure (%d) parsing:\n%.*s\n-> %s\n", rc, (int)len, src, msg);
        fail();
    }
    assert_non_null(doc);
    return doc;
}

static idt_toml_doc *parse_ok(const char *src)
{
    return parse_ok_n(src, strlen(src));
}

/* Line and column (1-based, columns in bytes) of byte `offset` of src,
 * counted independently of the parser: a line starts after each LF. */
static void line_col(const char *src, size_t offset, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1;
    size_t start = 0;
    for (size_t i = 0; i < offset; i++)
        if (src[i] == '\n') {
            l++;
            start = i + 1;
        }
    *line = l;
    *col = (uint32_t)(offset - start + 1);
}

typedef struct ok_case {
    const char *src;
    size_t len; /* 0: strlen(src) */
    const char *want;
    idt_toml_spec spec; /* 0: the default (1.1) */
} ok_case;

typedef struct err_case {
    const char *src;
    size_t len; /* 0: strlen(src) */
    int code;
    uint32_t line, column;
    const char *phrase; /* must occur in the message */
    idt_toml_spec spec; /* 0: the default (1.1) */
} err_case;

#define OK(src, want) { src, 0, want, 0 }
#define OK10(src, want) { src, 0, want, IDT_TOML_1_0 }
#define OKN(src, len, want) { src, len, want, 0 }
#define E(src, line, col, phrase) { src, 0, IDT_ESYNTAX, line, col, phrase, 0 }
#define E10(src, line, col, phrase) { src, 0, IDT_ESYNTAX, line, col, phrase, IDT_TOML_1_0 }
#define EN(src, len, line, col, phrase) { src, len, IDT_ESYNTAX, line, col, phrase, 0 }

/* Options for a case's spec (NULL: the defaults). */
static const idt_toml_options *spec_opts(idt_toml_options *o, idt_toml_spec spec)
{
    idt_toml_options d = IDT_TOML_OPTIONS_INIT;
    *o = d;
    if (!spec)
        return NULL;
    o->spec = spec;
    return o;
}

static void print_src(const char *label, const char *src, size_t len)
{
    sbuf b = { 0 };
    sb_escaped(&b, src, len);
    print_error("%s\"%s\"\n", label, b.p ? b.p : "");
    free(b.p);
}

static int check_ok_case(const ok_case *c)
{
    size_t len = c->len ? c->len : strlen(c->src);
    idt_toml_doc *doc = NULL;
    idt_error err;
    idt_toml_options o;
    int rc = parse_exact(&doc, c->src, len, spec_opts(&o, c->spec), &err);
    if (rc != IDT_OK) {
        char msg[512];
        idt_error_format(msg, sizeof msg, &err);
        print_src("REJECTED ", c->src, len);
        print_error("    want %s\n    got  %s\n", c->want, msg);
        return 1;
    }
    sbuf b = { 0 };
    render(&b, idt_toml_doc_root(doc));
    int bad = strcmp(b.p, c->want) != 0;
    if (bad) {
        print_src("WRONG VALUE ", c->src, len);
        print_error("    want %s\n    got  %s\n", c->want, b.p);
    }
    free(b.p);
    idt_toml_doc_free(doc);
    return bad;
}

static int check_err_case(const err_case *c)
{
    size_t len = c->len ? c->len : strlen(c->src);
    idt_toml_doc *doc = (idt_toml_doc *)&doc; /* must be reset to NULL */
    idt_error err;
    idt_toml_options o;
    int rc = parse_exact(&doc, c->src, len, spec_opts(&o, c->spec), &err);
    uint32_t ol = 0, oc = 0;
    if (rc == IDT_OK) {
        sbuf b = { 0 };
        render(&b, idt_toml_doc_root(doc));
        print_src("ACCEPTED ", c->src, len);
        print_error("    want %u:%u %s (\"%s\")\n    got  %s\n", c->line, c->column,
                    idt_status_str(c->code), c->phrase, b.p);
        free(b.p);
        idt_toml_doc_free(doc);
        return 1;
    }
    if (err.has_offset && err.offset <= len)
        line_col(c->src, (size_t)err.offset, &ol, &oc);
    bool bad = rc != c->code || err.code != c->code || doc != NULL ||
               err.line != c->line || err.column != c->column ||
               !strstr(err.message, c->phrase) || !err.has_offset || ol != err.line ||
               oc != err.column;
    if (bad) {
        print_src("WRONG ERROR ", c->src, len);
        print_error("    want %s %u:%u \"%s\"\n    got  %s %u:%u (offset %llu = %u:%u) \"%s\"%s\n",
                    idt_status_str(c->code), c->line, c->column, c->phrase, idt_status_str(rc),
                    err.line, err.column, (unsigned long long)err.offset, ol, oc, err.message,
                    doc ? " (out not reset to NULL)" : "");
    }
    return bad;
}

#define RUN_OK(cases)                                                        \
    do {                                                                     \
        int failures_ = 0;                                                   \
        for (size_t i_ = 0; i_ < sizeof(cases) / sizeof((cases)[0]); i_++)  \
            failures_ += check_ok_case(&(cases)[i_]);                        \
        assert_int_equal(failures_, 0);                                      \
    } while (0)

#define RUN_ERR(cases)                                                       \
    do {                                                                     \
        int failures_ = 0;                                                   \
        for (size_t i_ = 0; i_ < sizeof(cases) / sizeof((cases)[0]); i_++)  \
            failures_ += check_err_case(&(cases)[i_]);                       \
        assert_int_equal(failures_, 0);                                      \
    } while (0)

/* Looks up a path of plain keys separated by '.', through tables only. */
static const idt_toml_entry *path_entry(const idt_toml_doc *doc, const char *path)
{
    const idt_toml_value *t = idt_toml_doc_root(doc);
    const idt_toml_entry *e = NULL;
    while (*path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        e = idt_toml_table_get(t, path, n);
        if (!e) {
            print_error("no key '%.*s'\n", (int)n, path);
            fail();
        }
        t = e->value;
        path += n + (dot != NULL);
    }
    return e;
}

/* Asserts that span covers exactly the nth (0-based) occurrence of needle
 * in src, with the line and column counted independently. */
static void assert_span_at(idt_span s, const char *src, const char *needle, int nth)
{
    const char *at = src;
    for (int i = 0;; i++) {
        at = strstr(at, needle);
        assert_non_null(at);
        if (i == nth)
            break;
        at++;
    }
    size_t off = (size_t)(at - src);
    uint32_t l, c;
    line_col(src, off, &l, &c);
    if (s.offset != off || s.length != strlen(needle) || s.line != l || s.column != c) {
        print_error("span of '%s' #%d: want offset %zu len %zu at %u:%u, got offset %zu "
                    "len %zu at %u:%u\n", needle, nth, off, strlen(needle), l, c, s.offset,
                    s.length, s.line, s.column);
        fail();
    }
}

/* Like assert_span_at, for the len bytes at `skip` into the nth occurrence
 * of a longer, unambiguous context. */
static void assert_span_in(idt_span s, const char *src, const char *context, int nth,
                           size_t skip, size_t len)
{
    const char *at = src;
    for (int i = 0;; i++) {
        at = strstr(at, context);
        assert_non_null(at);
        if (i == nth)
            break;
        at++;
    }
    size_t off = (size_t)(at - src) + skip;
    uint32_t l, c;
    line_col(src, off, &l, &c);
    if (s.offset != off || s.length != len || s.line != l || s.column != c) {
        print_error("span in '%s' +%zu: want offset %zu len %zu at %u:%u, got offset %zu "
                    "len %zu at %u:%u\n", context, skip, off, len, l, c, s.offset, s.length,
                    s.line, s.column);
        fail();
    }
}

/* ---- API contract ------------------------------------------------------------ */

static void test_api_arguments(void **state)
{
    (void)state;
    idt_toml_doc *doc = NULL;
    idt_error err;
    idt_error_clear(&err);
    assert_int_equal(idt_toml_parse(NULL, "a = 1", 5, NULL, &err), IDT_EINVAL);
    assert_int_equal(err.code, IDT_EINVAL);
    assert_int_equal(idt_toml_parse(&doc, NULL, 3, NULL, &err), IDT_EINVAL);
    assert_null(doc);

    idt_toml_options opts = IDT_TOML_OPTIONS_INIT;
    assert_int_equal(opts.version, IDT_TOML_OPTIONS_VERSION);
    assert_int_equal(opts.max_size, IDT_TOML_DEFAULT_MAX_SIZE);
    assert_int_equal(opts.max_depth, IDT_TOML_DEFAULT_MAX_DEPTH);
    opts.version = 99;
    assert_int_equal(idt_toml_parse(&doc, "a = 1", 5, &opts, &err), IDT_EINVAL);
    assert_null(doc);
    assert_non_null(strstr(err.message, "version"));

    /* An empty document, even without a buffer, is an empty root table. */
    assert_int_equal(idt_toml_parse(&doc, NULL, 0, NULL, &err), IDT_OK);
    const idt_toml_value *root = idt_toml_doc_root(doc);
    assert_non_null(root);
    assert_int_equal(root->type, IDT_TOML_TABLE);
    assert_int_equal(root->as.table.count, 0);
    idt_toml_doc_free(doc);

    /* err may be NULL on success and on failure. */
    doc = NULL;
    assert_int_equal(idt_toml_parse(&doc, "a = 1", 5, NULL, NULL), IDT_OK);
    idt_toml_doc_free(doc);
    assert_int_equal(idt_toml_parse(&doc, "a = ", 4, NULL, NULL), IDT_ESYNTAX);
    assert_null(doc);

    /* The caller's source name survives a failure and is used by the formatter. */
    idt_error_clear(&err);
    err.source = "x.toml";
    assert_int_equal(idt_toml_parse(&doc, "a = 1\nb = ?\n", 12, NULL, &err), IDT_ESYNTAX);
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
    idt_toml_doc *doc = parse_ok_n(b.p, b.len);
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
    assert_int_equal(parse_exact(&d2, b.p, b.len, NULL, &err), IDT_ESYNTAX);
    assert_non_null(strstr(err.message, "duplicate key"));
    assert_int_equal(err.line, 2 * N + 2);
    free(b.p);
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

/* ---- documents, whitespace, comments, newlines ----------------------------- */

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

/* ---- keys ------------------------------------------------------------------------ */

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

/* ---- strings --------------------------------------------------------------------- */

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

/* ---- integers ------------------------------------------------------------------ */

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

/* ---- floats ---------------------------------------------------------------------- */

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

/* ---- booleans ----------------------------------------------------------------------- */

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

/* ---- date-times ---------------------------------------------------------------------- */

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

/* ---- arrays -------------------------------------------------------------------------- */

static void test_arrays(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("a = []", "{a:[]}"),
        OK("a = [ ]", "{a:[]}"),
        OK("a = [\n]", "{a:[]}"),
        OK("a = [ # c\n # d\n]", "{a:[]}"),
        OK("a = [1, 2, 3]", "{a:[i1,i2,i3]}"),
        OK("a = [1,2,3,]", "{a:[i1,i2,i3]}"),
        OK("a = [\"red\", 'yellow', \"\"\"green\"\"\"]", "{a:[s\"red\",s\"yellow\",s\"green\"]}"),
        OK("a = [ [ 1, 2 ], [3, 4, 5] ]", "{a:[[i1,i2],[i3,i4,i5]]}"),
        OK("a = [ [ 1, 2 ], [\"a\", \"b\", \"c\"] ]", "{a:[[i1,i2],[s\"a\",s\"b\",s\"c\"]]}"),
        /* Mixed types are allowed in TOML 1.0. */
        OK("a = [ 0.1, 0.2, 0.5, 1, 2, 5 ]", "{a:[f0.1,f0.2,f0.5,i1,i2,i5]}"),
        OK("a = [ \"all\", 'strings', \"\"\"are the same\"\"\", '''type''', 1, true ]",
           "{a:[s\"all\",s\"strings\",s\"are the same\",s\"type\",i1,true]}"),
        OK("a = [\n  1,\n  2, # c\n  # only a comment\n  3\n  ,\n]", "{a:[i1,i2,i3]}"),
        OK("a = [\r\n  1,\r\n  2,\r\n]\r\n", "{a:[i1,i2]}"),
        OK("a = [\t1\t,\t2\t]", "{a:[i1,i2]}"),
        OK("a = [ { x = 1, y = 2 }, { x = 3 }, {} ]", "{a:[{x:i1,y:i2},{x:i3},{}]}"),
        OK("a = [[[[[]]]]]", "{a:[[[[[]]]]]}"),
        OK("a = [[],[[]],[[],[]]]", "{a:[[],[[]],[[],[]]]}"),
        OK("a = [\"]\", ',', \"[\"]", "{a:[s\"]\",s\",\",s\"[\"]}"),
    };
    RUN_OK(cases);
    static const err_case bad[] = {
        E("a = [1,,2]", 1, 8, "invalid value"),
        E("a = [,]", 1, 6, "invalid value"),
        E("a = [,1]", 1, 6, "invalid value"),
        E("a = [1 2]", 1, 8, "expected ',' or ']'"),
        E("a = [1\n2]", 2, 1, "expected ',' or ']'"),
        E("a = [1, 2", 1, 10, "unterminated array"),
        E("a = [1, 2\n", 2, 1, "unterminated array"),
        E("a = [1, 2,\n# c\n", 3, 1, "expected a value"),
        E("a = [", 1, 6, "expected a value"),
        E("a = [1, 2]]", 1, 11, "newline"),
        E("a = [1, 2] 3", 1, 12, "newline"),
        E("a = [1 # c\n, 2 # d\n 3]", 3, 2, "expected ',' or ']'"),
        E("a = [1, \"x\ny\"]", 1, 11, "newline"),
        E("a = [1, 2}", 1, 10, "expected ',' or ']'"),
        E("a = [ # \x01\n]", 1, 9, "control character"),
    };
    RUN_ERR(bad);
}

/* ---- inline tables ---------------------------------------------------------------- */

static void test_inline_tables(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("a = {}", "{a:{}}"),
        OK("a = { }", "{a:{}}"),
        OK("name = { first = \"Tom\", last = \"Preston-Werner\" }",
           "{name:{first:s\"Tom\",last:s\"Preston-Werner\"}}"),
        OK("point = { x = 1, y = 2 }", "{point:{x:i1,y:i2}}"),
        OK("animal = { type.name = \"pug\" }", "{animal:{type:{name:s\"pug\"}}}"),
        OK("a = { b.c = 1, b.d = 2, e = { f = [1, {g = 3}] } }",
           "{a:{b:{c:i1,d:i2},e:{f:[i1,{g:i3}]}}}"),
        OK("a={b=1,c=2}", "{a:{b:i1,c:i2}}"),
        OK("a = {\tb = 1\t,\tc = 2\t}", "{a:{b:i1,c:i2}}"),
        OK("a = { \"q.k\" = 1, 'l' = 2, \"\" = 3 }", "{a:{q.k:i1,l:i2,:i3}}"),
        OK("a = { b = \"\"\"x\ny\"\"\" }", "{a:{b:s\"x\\x0ay\"}}"),
        OK("a = { b = [\n1,\n2] }", "{a:{b:[i1,i2]}}"),
        OK("a.b = {c = 1}\na.d = 2", "{a:{b:{c:i1},d:i2}}"),
        OK("[t]\na = {b = 1}\n[t.c]\n", "{t:{a:{b:i1},c:{}}}"),
    };
    RUN_OK(cases);
}

static void test_inline_table_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        /* TOML 1.1 relaxations, rejected in 1.0. */
        E10("a = {b = 1,}", 1, 11, "trailing comma"),
        E10("a = {b = 1, }", 1, 11, "trailing comma"),
        E10("a = {b = 1,\nc = 2}", 1, 12, "newlines are not allowed"),
        E10("a = {b = 1\n}", 1, 11, "newlines are not allowed"),
        E10("a = {b = 1\r\n}", 1, 11, "newlines are not allowed"),
        E10("a = {\n}", 1, 6, "newlines are not allowed"),
        E10("a = {\nb = 1}", 1, 6, "newlines are not allowed"),
        E10("a = {b = 1 # c\n}", 1, 12, "comments are not allowed"),
        E("a = {,}", 1, 6, "key"),
        E("a = {b = 1,,c = 2}", 1, 12, "key"),
        E("a = {b = 1 c = 2}", 1, 12, "expected ',' or '}'"),
        E("a = {b = 1", 1, 11, "unterminated inline table"),
        E("a = {b = 1]", 1, 11, "expected ',' or '}'"),
        E("a = {b}", 1, 7, "expected '='"),
        E("a = {b = }", 1, 10, "invalid value"),
        /* Duplicates inside. */
        E("a = {b = 1, b = 2}", 1, 13, "duplicate key"),
        E("a = {b.c = 1, b = 2}", 1, 15, "duplicate key"),
        E("a = {b = 1, b.c = 2}", 1, 13, "not a table"),
        E("a = {b.c = 1, b.c = 2}", 1, 17, "duplicate key"),
        E("a = {b = {c = 1}, b.d = 2}", 1, 19, "inline table"),
        /* Immutable once closed. */
        E("a = {b = 1}\n[a]\n", 2, 2, "cannot define table"),
        E("a = {b = 1}\n[a.c]\n", 2, 2, "inline table cannot be extended"),
        E("a = {b = 1}\na.c = 2\n", 2, 1, "inline table cannot be extended"),
        E("a = {b = 1}\na.b = 2\n", 2, 1, "inline table cannot be extended"),
        E("a = {}\n[a.b]\n", 2, 2, "inline table"),
        E("a = {b = {c = 1}}\n[a.b.d]\n", 2, 2, "inline table"),
        E("a = {b = {c = 1}}\na.b.d = 2\n", 2, 1, "inline table"),
        E("[t]\na = {b = 1}\n[t.a.c]\n", 3, 4, "inline table"),
        E("[t]\na = {b = 1}\n[t]\n", 3, 2, "cannot define table"),
        E("a = {b = 1}\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a = [{b = 1}]\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a = [{b = 1}]\n[a]\n", 2, 2, "cannot define table"),
        E("a = [{b = 1}]\n[a.b]\n", 2, 2, "cannot extend"),
    };
    RUN_ERR(cases);
}

/* ---- tables and arrays of tables -------------------------------------------- */

static void test_tables(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("[table]", "{table:{}}"),
        OK("[table-1]\nkey1 = \"some string\"\nkey2 = 123\n[table-2]\nkey1 = \"another\"\n",
           "{table-1:{key1:s\"some string\",key2:i123},table-2:{key1:s\"another\"}}"),
        OK("[dog.\"tater.man\"]\ntype.name = \"pug\"\n",
           "{dog:{tater.man:{type:{name:s\"pug\"}}}}"),
        OK("[a.b.c]\n[ d.e.f ]\n[ g .  h  . i ]\n[ j . \"\xca\x9e\" . 'l' ]\n",
           "{a:{b:{c:{}}},d:{e:{f:{}}},g:{h:{i:{}}},j:{\\xca\\x9e:{l:{}}}}"),
        /* Super-tables are created implicitly and may be defined later. */
        OK("[x.y.z.w]\n[x]\n", "{x:{y:{z:{w:{}}}}}"),
        OK("[x.y.z.w]\n[x.y]\na = 1\n[x]\nb = 2\n", "{x:{y:{z:{w:{}},a:i1},b:i2}}"),
        OK("[a.b]\nc = 1\n[a]\nd = 2\n", "{a:{b:{c:i1},d:i2}}"),
        /* Out of order. */
        OK("[fruit.apple]\n[animal]\n[fruit.orange]\n", "{fruit:{apple:{},orange:{}},animal:{}}"),
        /* Root keys before the first header. */
        OK("name = \"Fido\"\nbreed = \"pug\"\n[owner]\nname = \"Regina Dogman\"\n",
           "{name:s\"Fido\",breed:s\"pug\",owner:{name:s\"Regina Dogman\"}}"),
        /* Dotted keys make tables; [headers] may add sub-tables to them. */
        OK("fruit.apple.color = \"red\"\nfruit.apple.taste.sweet = true\n"
           "[fruit.apple.texture]\nsmooth = true\n",
           "{fruit:{apple:{color:s\"red\",taste:{sweet:true},texture:{smooth:true}}}}"),
        OK("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\n",
           "{fruit:{apple:{color:s\"red\",taste:{sweet:true},texture:{}}}}"),
        /* A dotted key may extend a table that a header created implicitly. */
        OK("[a.b.c]\n[a]\nb.d = 1\n", "{a:{b:{c:{},d:i1}}}"),
        OK("[a.b.c]\nd = 1\n[a]\nb.e.f = 2\n", "{a:{b:{c:{d:i1},e:{f:i2}}}}"),
        OK("[a]\nb.c = 1\nb.d = 2\n[a.b.e]\n", "{a:{b:{c:i1,d:i2,e:{}}}}"),
        /* Keys of the same name in different tables. */
        OK("a = 1\n[t]\na = 2\n[t.a2]\na = 3\n", "{a:i1,t:{a:i2,a2:{a:i3}}}"),
        OK("[\"\"]\n[''.a]\n", "{:{a:{}}}"),
        OK("[a]\n[b]\na.c = 1\n", "{a:{},b:{a:{c:i1}}}"),
    };
    RUN_OK(cases);
}

static void test_table_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        E("[a]\n[a]\n", 2, 2, "cannot define table \"a\""),
        E("[a]\n[a]\n", 2, 2, "first defined at 1:2"),
        E("[a]\nx = 1\n[b]\n[a]\n", 4, 2, "cannot define table"),
        E("[a.b]\n[a]\n[a]\n", 3, 2, "cannot define table"),
        E("[a.b]\n[a.b]\n", 2, 4, "cannot define table"),
        E("[a]\n[\"a\"]\n", 2, 2, "cannot define table"),
        E("a = 1\n[a]\n", 2, 2, "cannot define table"),
        E("a = 1\n[a.b]\n", 2, 2, "cannot extend"),
        E("a = [1]\n[a.b]\n", 2, 2, "cannot extend"),
        E("[a]\nb = 1\n[a.b]\n", 3, 4, "cannot define table"),
        E("[a]\nb.c = 1\n[a.b]\n", 3, 4, "cannot define table"),
        E("a.b.c = 1\n[a.b]\n", 2, 4, "cannot define table"),
        E("a.b = 1\n[a]\n", 2, 2, "cannot define table"),
        E("[a.b]\n[a]\nb.c = 1\n", 3, 1, "defined by a [header]"),
        E("[a]\n[a.b]\n[a]\nb.c = 1\n", 3, 2, "cannot define table"),
        E("[a.b.c]\n[a]\nb.c.d = 1\n", 3, 3, "defined by a [header]"),
        E("[a.b.c]\n[a]\nb.d = 1\n[a.b]\n", 4, 4, "cannot define table"),
        E("[a]\nb = 1\n[a]\nc = 2\n", 3, 2, "cannot define table"),
        /* Header syntax. */
        E("[]\n", 1, 2, "key"),
        E("[ ]\n", 1, 3, "key"),
        E("[a\n", 1, 3, "expected ']'"),
        E("[a", 1, 3, "expected ']'"),
        E("[a b]\n", 1, 4, "expected ']'"),
        E("[a]]\n", 1, 4, "newline"),
        E("[a] b = 1\n", 1, 5, "newline"),
        E("[a.]\n", 1, 4, "key"),
        E("[.a]\n", 1, 2, "key"),
        E("[a..b]\n", 1, 4, "key"),
        E("[ [a] ]\n", 1, 3, "key"),
        E("[a = 1]\n", 1, 4, "expected ']'"),
        E("[\"\"\"a\"\"\"]\n", 1, 2, "multi-line string cannot be a key"),
        E("[a]\n[\n", 2, 2, "key"),
        E("x = [a]\n", 1, 6, "invalid value"),
    };
    RUN_ERR(cases);
}

static void test_arrays_of_tables(void **state)
{
    (void)state;
    static const ok_case cases[] = {
        OK("[[products]]\nname = \"Hammer\"\nsku = 738594937\n\n[[products]]\n\n"
           "[[products]]\nname = \"Nail\"\ncolor = \"gray\"\n",
           "{products:[{name:s\"Hammer\",sku:i738594937},{},{name:s\"Nail\",color:s\"gray\"}]}"),
        OK("[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n"
           "[[fruits.varieties]]\nname = \"red delicious\"\n[[fruits.varieties]]\n"
           "name = \"granny smith\"\n[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\n"
           "name = \"plantain\"\n",
           "{fruits:[{name:s\"apple\",physical:{color:s\"red\"},varieties:[{name:s\"red delicious\"},"
           "{name:s\"granny smith\"}]},{name:s\"banana\",varieties:[{name:s\"plantain\"}]}]}"),
        OK("[[a]]\n[a.b]\nc = 1\n[[a]]\n[a.b]\nc = 2\n", "{a:[{b:{c:i1}},{b:{c:i2}}]}"),
        OK("[[a.b]]\n[[a.b]]\n[a]\nc = 1\n", "{a:{b:[{},{}],c:i1}}"),
        OK("[[ a ]]\n[[ a ]]\n", "{a:[{},{}]}"),
        OK("[[a]]\nb.c = 1\n[[a]]\nb.c = 2\n", "{a:[{b:{c:i1}},{b:{c:i2}}]}"),
        OK("[[a]]\n[[a.b]]\n[[a.b]]\n[[a]]\n[[a.b]]\n", "{a:[{b:[{},{}]},{b:[{}]}]}"),
        OK("[t]\n[[t.a]]\nx = 1\n", "{t:{a:[{x:i1}]}}"),
    };
    RUN_OK(cases);
    static const err_case bad[] = {
        E("[[a]]\n[a]\n", 2, 2, "cannot define table"),
        E("[a]\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("[a.b]\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a = []\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a = [1]\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a = 1\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("a.b = 1\n[[a]]\n", 2, 3, "cannot append a table to"),
        E("[[a.b]]\n[a]\n[a.b]\n", 3, 4, "cannot define table"),
        E("[[a]]\n[a.b]\n[a.b]\n", 3, 4, "cannot define table"),
        E("[[a]]\nb = 1\nb = 2\n", 3, 1, "duplicate key"),
        E("[[a]]\n[[a]]\nb = 1\n[a.b]\n", 4, 4, "cannot define table"),
        E("[[a]\n", 1, 4, "expected ']]'"),
        E("[[a]] ]\n", 1, 7, "newline"),
        E("[[]]\n", 1, 3, "key"),
        E("[ [a]]\n", 1, 3, "key"),
        E("[[a] ]\n", 1, 4, "expected ']]'"),
        E("[[a]]\n[[a]]x\n", 2, 6, "newline"),
    };
    RUN_ERR(bad);
}

/* ---- UTF-8 ----------------------------------------------------------------------------- */

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

/* ---- CRLF ------------------------------------------------------------------------------ */

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

/* ---- spans and positions ------------------------------------------------------------- */

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

/* ---- limits -------------------------------------------------------------------------- */

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
    assert_int_equal(parse_with(src, 17, 17, 8, &err), IDT_OK);
    assert_int_equal(parse_with(src, 17, 16, 8, &err), IDT_ELIMIT);
    assert_int_equal(err.code, IDT_ELIMIT);
    assert_non_null(strstr(err.message, "larger than the limit"));
    assert_int_equal(parse_with(src, 17, 0, 8, &err), IDT_ELIMIT);
    assert_int_equal(parse_with("", 0, 0, 8, &err), IDT_OK);
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
    idt_toml_doc *doc = parse_ok_n(b.p, b.len);
    idt_toml_doc_free(doc);
    b.len = 0;
    sb_puts(&b, "a = ");
    for (int i = 0; i < 129; i++)
        sb_puts(&b, "[");
    for (int i = 0; i < 129; i++)
        sb_puts(&b, "]");
    idt_error err;
    assert_int_equal(parse_exact(&doc, b.p, b.len, NULL, &err), IDT_ELIMIT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 4 + 129);

    /* A million open brackets, or nested inline tables: refused at the
     * limit, not by the stack. */
    b.len = 0;
    sb_puts(&b, "a = ");
    for (int i = 0; i < 1000000; i++)
        sb_putn(&b, "[", 1);
    assert_int_equal(parse_exact(&doc, b.p, b.len, NULL, &err), IDT_ELIMIT);
    b.len = 0;
    sb_puts(&b, "a = ");
    for (int i = 0; i < 100000; i++)
        sb_puts(&b, "{b = ");
    assert_int_equal(parse_exact(&doc, b.p, b.len, NULL, &err), IDT_ELIMIT);
    assert_int_equal(err.column, 5 + 5 * 128); /* the 129th brace */

    /* A key of 10000 parts, and a header of as many. */
    b.len = 0;
    for (int i = 0; i < 10000; i++)
        sb_puts(&b, i ? ".k" : "k");
    sb_puts(&b, " = 1\n");
    assert_int_equal(parse_exact(&doc, b.p, b.len, NULL, &err), IDT_ELIMIT);
    b.len = 0;
    sb_puts(&b, "[");
    for (int i = 0; i < 10000; i++)
        sb_puts(&b, i ? ".k" : "k");
    sb_puts(&b, "]\n");
    assert_int_equal(parse_exact(&doc, b.p, b.len, NULL, &err), IDT_ELIMIT);
    free(b.p);
}

/* ---- TOML 1.1 ------------------------------------------------------------------------ */

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
    doc = parse_ok_n(b.p, b.len);
    size_t total;
    u = idt_toml_doc_v11_uses(doc, &count, &total);
    assert_int_equal(count, IDT_TOML_FEATURE_USES_MAX);
    assert_int_equal(total, IDT_TOML_FEATURE_USES_MAX + 6);
    assert_int_equal(u[count - 1].span.line, IDT_TOML_FEATURE_USES_MAX);
    idt_toml_doc_free(doc);
    free(b.p);
    assert_null(idt_toml_doc_v11_uses(NULL, &count, &total));
    assert_int_equal(count, 0);
    assert_int_equal(total, 0);
    assert_null(idt_toml_feature_name((idt_toml_feature)0));
}

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
        idt_toml_doc *doc = parse_ok_n(b.p, b.len);
        idt_toml_nesting n;
        idt_toml_doc_nesting(doc, &n);
        assert_int_equal(n.value_depth, (unsigned)deep);
        assert_int_equal(n.value_span.column, 4 + deep);
        idt_toml_doc_free(doc);
        b.len = 0;
        for (int i = 0; i < deep; i++)
            sb_puts(&b, i ? ".k" : "[k");
        sb_puts(&b, "]\n");
        doc = parse_ok_n(b.p, b.len);
        idt_toml_doc_nesting(doc, &n);
        assert_int_equal(n.key_parts, (unsigned)deep);
        assert_int_equal(n.key_span.column, 2);
        assert_int_equal(n.key_span.length, (size_t)deep * 2 - 1);
        idt_toml_doc_free(doc);
    }
    free(b.p);
    idt_toml_nesting none;
    idt_toml_doc_nesting(NULL, &none);
    assert_int_equal(none.value_depth, 0);
    assert_int_equal(none.key_parts, 0);
}

static void test_spec_api(void **state)
{
    (void)state;
    idt_toml_spec spec = 0;
    idt_error err;
    assert_int_equal(idt_toml_spec_parse(&spec, "1.0", 3, &err), IDT_OK);
    assert_int_equal(spec, IDT_TOML_1_0);
    assert_int_equal(idt_toml_spec_parse(&spec, "1.1", 3, &err), IDT_OK);
    assert_int_equal(spec, IDT_TOML_1_1);
    assert_int_equal(idt_toml_spec_parse(&spec, "1.2", 3, &err), IDT_EINVAL);
    assert_non_null(strstr(err.message, "known: 1.0, 1.1"));
    assert_int_equal(idt_toml_spec_parse(&spec, "1.1x", 3, &err), IDT_OK); /* len counts */
    assert_int_equal(idt_toml_spec_parse(NULL, "1.1", 3, &err), IDT_EINVAL);
    assert_string_equal(idt_toml_spec_name(IDT_TOML_1_0), "1.0");
    assert_string_equal(idt_toml_spec_name(IDT_TOML_1_1), "1.1");
    assert_null(idt_toml_spec_name((idt_toml_spec)0));

    /* An unknown spec is refused; version 1 options are read as 1.1. */
    idt_toml_options o = IDT_TOML_OPTIONS_INIT;
    idt_toml_doc *doc = NULL;
    o.spec = (idt_toml_spec)3;
    assert_int_equal(parse_exact(&doc, "a = 1", 5, &o, &err), IDT_EINVAL);
    struct { unsigned version; size_t max_size; unsigned max_depth; } v1 = { 1, 100, 8 };
    assert_int_equal(parse_exact(&doc, "a = \"\\e\"", 8, (const idt_toml_options *)&v1, &err),
                     IDT_OK);
    idt_toml_doc_free(doc);
    assert_int_equal(parse_exact(&doc, "a = [[[[[[[[[1]]]]]]]]]", 23,
                                 (const idt_toml_options *)&v1, &err), IDT_ELIMIT);
    /* A 1.0 parse records no 1.1 uses, even of text both read alike. */
    o.spec = IDT_TOML_1_0;
    assert_int_equal(parse_exact(&doc, "a = {b = 1}", 11, &o, &err), IDT_OK);
    size_t count;
    assert_null(idt_toml_doc_v11_uses(doc, &count, NULL));
    idt_toml_doc_free(doc);
}

/* ---- a larger document, read through the tree ------------------------------------ */

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_arguments),
        cmocka_unit_test(test_api_type_names),
        cmocka_unit_test(test_api_table_get),
        cmocka_unit_test(test_api_table_get_many_keys),
        cmocka_unit_test(test_api_datetime_format),
        cmocka_unit_test(test_whitespace_and_comments),
        cmocka_unit_test(test_newline_and_control_errors),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_key_errors),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_basic_strings),
        cmocka_unit_test(test_literal_strings),
        cmocka_unit_test(test_multiline_strings),
        cmocka_unit_test(test_string_errors),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_integer_errors),
        cmocka_unit_test(test_floats),
        cmocka_unit_test(test_float_errors),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_datetimes),
        cmocka_unit_test(test_datetime_errors),
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_inline_tables),
        cmocka_unit_test(test_inline_table_errors),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_table_errors),
        cmocka_unit_test(test_arrays_of_tables),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_spans_keys_and_values),
        cmocka_unit_test(test_spans_tables),
        cmocka_unit_test(test_spans_crlf_and_utf8),
        cmocka_unit_test(test_limit_size),
        cmocka_unit_test(test_limit_depth),
        cmocka_unit_test(test_document_tree),
        cmocka_unit_test(test_v11_syntax),
        cmocka_unit_test(test_v11_errors),
        cmocka_unit_test(test_v11_uses),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_spec_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
