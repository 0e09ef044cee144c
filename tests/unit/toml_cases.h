/*
 * toml_cases.h - the machinery of the TOML parser's unit tests
 * (tests/unit/test_toml_*.c, one file a topic), needing nothing outside
 * the repository.
 *
 * Most tests are tables of cases: a document and either the value it must
 * decode to (in a compact notation, see render()) or the status, line,
 * column and a key phrase of the message it must be rejected with.  Every
 * case of a table runs, and all mismatches are printed, before the test
 * fails.  Each document is copied into a block of exactly its length, so
 * AddressSanitizer catches a read past the end.
 */
#ifndef IDT_TESTS_TOML_CASES_H
#define IDT_TESTS_TOML_CASES_H

#include "idt_unit.h"

#include <math.h>

#include "initdata/toml.h"

/* The shortest %g that reads back as d. */
static inline void sb_double(sbuf *b, double d)
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
static inline void render(sbuf *b, const idt_toml_value *v)
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
static inline int parse_exact(idt_toml_doc **doc, const char *src, size_t len,
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

static inline idt_toml_doc *parse_ok_n(const char *src, size_t len)
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

static inline idt_toml_doc *parse_ok(const char *src)
{
    return parse_ok_n(src, strlen(src));
}

/* Line and column (1-based, columns in bytes) of byte `offset` of src,
 * counted independently of the parser: a line starts after each LF. */
static inline void line_col(const char *src, size_t offset, uint32_t *line, uint32_t *col)
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
static inline const idt_toml_options *spec_opts(idt_toml_options *o, idt_toml_spec spec)
{
    idt_toml_options d = IDT_TOML_OPTIONS_INIT;
    *o = d;
    if (!spec)
        return NULL;
    o->spec = spec;
    return o;
}

static inline void print_src(const char *label, const char *src, size_t len)
{
    sbuf b = { 0 };
    sb_escaped(&b, src, len);
    print_error("%s\"%s\"\n", label, b.data ? b.data : "");
    free(b.data);
}

static inline int check_ok_case(const ok_case *c)
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
    int bad = strcmp(b.data, c->want) != 0;
    if (bad) {
        print_src("WRONG VALUE ", c->src, len);
        print_error("    want %s\n    got  %s\n", c->want, b.data);
    }
    free(b.data);
    idt_toml_doc_free(doc);
    return bad;
}

static inline int check_err_case(const err_case *c)
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
                    idt_status_str(c->code), c->phrase, b.data);
        free(b.data);
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

/* Runs every case of a table with check (check_ok_case or check_err_case),
 * then fails if any failed: all mismatches are printed first. */
#define RUN_CASES(cases, check)                                              \
    do {                                                                     \
        int failures_ = 0;                                                   \
        for (size_t i_ = 0; i_ < sizeof(cases) / sizeof((cases)[0]); i_++)  \
            failures_ += check(&(cases)[i_]);                                \
        assert_int_equal(failures_, 0);                                      \
    } while (0)

#define RUN_OK(cases) RUN_CASES(cases, check_ok_case)
#define RUN_ERR(cases) RUN_CASES(cases, check_err_case)

/* Looks up a path of plain keys separated by '.', through tables only. */
static inline const idt_toml_entry *path_entry(const idt_toml_doc *doc, const char *path)
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

/* The offset of the nth (0-based) occurrence of needle in src; it must
 * be there. */
static inline size_t nth_offset(const char *src, const char *needle, int nth)
{
    const char *at = src;
    for (int i = 0;; i++) {
        at = strstr(at, needle);
        assert_non_null(at);
        if (i == nth)
            return (size_t)(at - src);
        at++;
    }
}

/* Asserts that span covers exactly the nth (0-based) occurrence of needle
 * in src, with the line and column counted independently. */
static inline void assert_span_at(idt_span s, const char *src, const char *needle, int nth)
{
    size_t off = nth_offset(src, needle, nth);
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
static inline void assert_span_in(idt_span s, const char *src, const char *context, int nth,
                                  size_t skip, size_t len)
{
    size_t off = nth_offset(src, context, nth) + skip;
    uint32_t l, c;
    line_col(src, off, &l, &c);
    if (s.offset != off || s.length != len || s.line != l || s.column != c) {
        print_error("span in '%s' +%zu: want offset %zu len %zu at %u:%u, got offset %zu "
                    "len %zu at %u:%u\n", context, skip, off, len, l, c, s.offset, s.length,
                    s.line, s.column);
        fail();
    }
}

#endif
