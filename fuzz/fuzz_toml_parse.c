/*
 * fuzz_toml_parse.c - idt_toml_parse on arbitrary bytes.
 *
 * Each input is parsed three times:
 *   1. with the default options;
 *   2. with max_depth 8, to reach the depth-limit paths on small inputs;
 *   3. with max_size one byte short of the input and no error record,
 *      which must be refused with IDT_ELIMIT.
 * A document that parses is walked whole, touching every key, string and
 * span and checking what toml.h promises: spans lie inside the input and
 * their line:column agree with their offset, keys and strings are
 * NUL-terminated valid UTF-8, idt_toml_table_get finds every entry of every
 * table, date-times are in range and format.  A failure must leave *out
 * NULL and a consistent error record.  The two parses must agree: the
 * smaller depth limit can only turn a result into IDT_ELIMIT, and when both
 * succeed the trees are equal.  A third parse reads the input as TOML 1.0
 * with IDT_TOML_BORROW (plain strings are spans of the input, not
 * copies): where it succeeds, its tree equals the first.  A broken promise
 * aborts, so the fuzzer reports it like a crash.
 */
#include "fuzz.h"
#include "initdata/toml.h"

#define SMALL_DEPTH 8u

/* What *out holds before a parse: a failure must reset it to NULL. */
static char not_a_doc;
#define NOT_A_DOC ((idt_toml_doc *)(void *)&not_a_doc)

/* The input, and where each of its lines starts (for line:column checks). */
typedef struct input {
    const char *src;
    size_t len;
    size_t *line_starts;
    size_t nlines;
} input;

static void index_lines(input *in)
{
    size_t n = 1;
    for (size_t i = 0; i < in->len; i++)
        n += in->src[i] == '\n';
    in->line_starts = malloc(n * sizeof *in->line_starts);
    CHECK(in->line_starts != NULL);
    in->line_starts[0] = 0;
    in->nlines = 1;
    for (size_t i = 0; i < in->len; i++)
        if (in->src[i] == '\n')
            in->line_starts[in->nlines++] = i + 1;
}

/* line and column (1-based, columns in bytes) must match offset. */
static void check_position(const input *in, size_t offset, uint32_t line, uint32_t column)
{
    size_t lo = 0, hi = in->nlines; /* last line starting at or before offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (in->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    CHECK(line == lo + 1);
    /* A leading UTF-8 BOM is not part of the text: line 1 counts columns
     * from the byte after it. */
    size_t start = in->line_starts[lo];
    if (lo == 0 && in->len >= 3 && !memcmp(in->src, "\xEF\xBB\xBF", 3) && offset >= 3)
        start = 3;
    CHECK(column == offset - start + 1);
}

static void check_span(const input *in, const idt_span *sp)
{
    CHECK(sp->offset <= in->len && sp->length <= in->len - sp->offset);
    check_position(in, sp->offset, sp->line, sp->column);
}

/* Decoded text is valid UTF-8 (TOML input must be, and escapes must name
 * Unicode scalar values) and NUL-terminated.  Reads every byte. */
static void check_text(const char *p, size_t len)
{
    const unsigned char *s = (const unsigned char *)p;
    CHECK(s != NULL);
    CHECK(s[len] == '\0');
    for (size_t i = 0; i < len;) {
        unsigned c = s[i];
        size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        CHECK(n != 0 && n <= len - i);
        for (size_t k = 1; k < n; k++)
            CHECK((s[i + k] & 0xC0) == 0x80);
        if (n == 3) {
            CHECK(c != 0xE0 || s[i + 1] >= 0xA0);  /* overlong */
            CHECK(c != 0xED || s[i + 1] < 0xA0);   /* surrogate */
        } else if (n == 4) {
            CHECK(c != 0xF0 || s[i + 1] >= 0x90);  /* overlong */
            CHECK(c != 0xF4 || s[i + 1] < 0x90);   /* past U+10FFFF */
        }
        i += n;
    }
}

static int is_bare_key_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}

/* A key span covers the key as written: a quoted key with its quotes, or a
 * bare key that is exactly the decoded key. */
static void check_key_span(const input *in, const idt_toml_entry *e)
{
    check_span(in, &e->key_span);
    const char *w = in->src + e->key_span.offset;
    size_t n = e->key_span.length;
    CHECK(n > 0);
    if (w[0] == '"' || w[0] == '\'') {
        CHECK(n >= 2 && w[n - 1] == w[0]);
        return;
    }
    CHECK(n == e->key_len && memcmp(w, e->key, n) == 0);
    for (size_t i = 0; i < n; i++)
        CHECK(is_bare_key_char(w[i]));
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

static void check_datetime(const idt_toml_value *v)
{
    const idt_toml_datetime *d = &v->as.datetime;
    if (v->type != IDT_TOML_TIME_LOCAL) {
        CHECK(d->year >= 0 && d->year <= 9999);
        CHECK(d->month >= 1 && d->month <= 12);
        CHECK(d->day >= 1 && d->day <= days_in_month(d->year, d->month));
    }
    if (v->type != IDT_TOML_DATE_LOCAL) {
        CHECK(d->hour >= 0 && d->hour <= 23);
        CHECK(d->minute >= 0 && d->minute <= 59);
        CHECK(d->second >= 0 && d->second <= 60); /* RFC 3339 leap second */
        CHECK(d->nanosecond < 1000000000u);
        CHECK(d->frac_digits >= 0 && (d->frac_digits > 0 || d->nanosecond == 0));
    }
    if (v->type == IDT_TOML_DATETIME)
        CHECK(d->offset_minutes > -24 * 60 && d->offset_minutes < 24 * 60);

    char text[96];
    int n = idt_toml_datetime_format(text, sizeof text, v);
    CHECK(n >= 8 && (size_t)n < sizeof text && strlen(text) == (size_t)n);
    char tiny[4];
    CHECK(idt_toml_datetime_format(tiny, sizeof tiny, v) == n);
    CHECK(memchr(tiny, '\0', sizeof tiny) != NULL);
}

static void check_scalar_text(const input *in, const idt_toml_value *v)
{
    const char *w = in->src + v->span.offset;
    size_t n = v->span.length;
    switch (v->type) {
    case IDT_TOML_STRING:
        CHECK(n >= 2 && (w[0] == '"' || w[0] == '\'') && w[n - 1] == w[0]);
        check_text(v->as.string.ptr, v->as.string.len);
        break;
    case IDT_TOML_BOOL:
        CHECK(v->as.boolean ? n == 4 && !memcmp(w, "true", 4) : n == 5 && !memcmp(w, "false", 5));
        break;
    case IDT_TOML_INTEGER:
    case IDT_TOML_FLOAT:
        CHECK(n > 0 && (is_bare_key_char(w[0]) || w[0] == '+'));
        break;
    default:
        check_datetime(v);
        return;
    }
    char text[8];
    CHECK(idt_toml_datetime_format(text, sizeof text, v) == -1);
}

typedef struct walk_state {
    const input *in;
    unsigned max_depth; /* deepest value seen; the root is at depth 0 */
} walk_state;

static void walk(walk_state *ws, const idt_toml_value *v, unsigned depth);

static void walk_table(walk_state *ws, const idt_toml_value *t, unsigned depth)
{
    CHECK(t->as.table.count == 0 || t->as.table.entries != NULL);
    for (size_t i = 0; i < t->as.table.count; i++) {
        const idt_toml_entry *e = &t->as.table.entries[i];
        check_text(e->key, e->key_len);
        check_key_span(ws->in, e);
        CHECK(idt_toml_table_get(t, e->key, e->key_len) == e);
        walk(ws, e->value, depth + 1);
    }
}

static void walk(walk_state *ws, const idt_toml_value *v, unsigned depth)
{
    CHECK(v != NULL);
    /* A depth limit must hold the tree to about that depth (the +1 leaves
     * room for whether the root or a leaf counts as a level). */
    CHECK(depth <= IDT_TOML_DEFAULT_MAX_DEPTH + 1);
    if (depth > ws->max_depth)
        ws->max_depth = depth;
    check_span(ws->in, &v->span);
    CHECK(strcmp(idt_toml_type_name(v->type), "unknown") != 0);
    switch (v->type) {
    case IDT_TOML_TABLE:
        walk_table(ws, v, depth);
        break;
    case IDT_TOML_ARRAY:
        CHECK(v->as.array.count == 0 || v->as.array.items != NULL);
        for (size_t i = 0; i < v->as.array.count; i++)
            walk(ws, v->as.array.items[i], depth + 1);
        break;
    default:
        check_scalar_text(ws->in, v);
        break;
    }
    if (v->type != IDT_TOML_TABLE)
        CHECK(idt_toml_table_get(v, "a", 1) == NULL);
}

/* Two parses of one input that both succeeded must give the same tree. */
static void check_same(const idt_toml_value *a, const idt_toml_value *b)
{
    CHECK(a->type == b->type);
    CHECK(a->span.offset == b->span.offset && a->span.length == b->span.length);
    CHECK(a->span.line == b->span.line && a->span.column == b->span.column);
    switch (a->type) {
    case IDT_TOML_TABLE:
        CHECK(a->as.table.count == b->as.table.count);
        for (size_t i = 0; i < a->as.table.count; i++) {
            const idt_toml_entry *x = &a->as.table.entries[i], *y = &b->as.table.entries[i];
            CHECK(x->key_len == y->key_len && memcmp(x->key, y->key, x->key_len) == 0);
            CHECK(x->key_span.offset == y->key_span.offset);
            check_same(x->value, y->value);
        }
        break;
    case IDT_TOML_ARRAY:
        CHECK(a->as.array.count == b->as.array.count);
        for (size_t i = 0; i < a->as.array.count; i++)
            check_same(a->as.array.items[i], b->as.array.items[i]);
        break;
    case IDT_TOML_STRING:
        CHECK(a->as.string.len == b->as.string.len);
        CHECK(memcmp(a->as.string.ptr, b->as.string.ptr, a->as.string.len) == 0);
        break;
    case IDT_TOML_INTEGER:
        CHECK(a->as.integer == b->as.integer);
        break;
    case IDT_TOML_FLOAT: /* bitwise, so that NaN equals itself */
        CHECK(memcmp(&a->as.floating, &b->as.floating, sizeof(double)) == 0);
        break;
    case IDT_TOML_BOOL:
        CHECK(a->as.boolean == b->as.boolean);
        break;
    default:
        CHECK(memcmp(&a->as.datetime, &b->as.datetime, sizeof(idt_toml_datetime)) == 0);
        break;
    }
}

static void check_failure(const input *in, int rc, const idt_toml_doc *doc, const idt_error *err)
{
    CHECK(rc == IDT_ESYNTAX || rc == IDT_ELIMIT || rc == IDT_ENOMEM);
    CHECK(doc == NULL);
    fuzz_check_error(rc, err, in->len);
    if (err->has_offset) {
        if (err->line != 0)
            check_position(in, (size_t)err->offset, err->line, err->column);
    }
    char text[IDT_ERROR_MESSAGE_MAX + 64];
    CHECK(idt_error_format(text, sizeof text, err) > 0);
}

/* Parses in->src with opts; returns the status and leaves the document (or
 * NULL) in *doc, having checked a failure's error record. */
static int parse(const input *in, const idt_toml_options *opts, idt_toml_doc **doc)
{
    idt_error err;
    idt_error_clear(&err); /* the parser leaves err.source to the caller */
    *doc = NOT_A_DOC;
    int rc = idt_toml_parse(doc, in->src, in->len, opts, &err);
    if (rc != IDT_OK)
        check_failure(in, rc, *doc, &err);
    else
        CHECK(*doc != NULL);
    return rc;
}

static unsigned walk_document(const input *in, const idt_toml_doc *doc)
{
    const idt_toml_value *root = idt_toml_doc_root(doc);
    CHECK(root != NULL && root->type == IDT_TOML_TABLE);
    walk_state ws = {in, 0};
    walk(&ws, root, 0);
    return ws.max_depth;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = {(const char *)data, size, NULL, 0};
    index_lines(&in);

    idt_toml_doc *doc, *small;
    int rc = parse(&in, NULL, &doc);
    idt_toml_options opts = IDT_TOML_OPTIONS_INIT;
    opts.max_depth = SMALL_DEPTH;
    int rc_small = parse(&in, &opts, &small);

    unsigned depth = rc == IDT_OK ? walk_document(&in, doc) : 0;
    if (rc_small == IDT_OK) {
        CHECK(rc == IDT_OK);
        CHECK(depth <= SMALL_DEPTH + 1);
        check_same(idt_toml_doc_root(doc), idt_toml_doc_root(small));
    } else if (rc_small == IDT_ELIMIT && rc == IDT_OK) {
        CHECK(depth + 1 >= SMALL_DEPTH); /* refused only for real depth */
    } else if (rc == IDT_ELIMIT) {
        CHECK(rc_small == IDT_ELIMIT); /* the smaller limit is hit first */
    } else if (rc != IDT_ENOMEM && rc_small != IDT_ENOMEM) {
        CHECK(rc == IDT_OK ? rc_small == IDT_ELIMIT : rc_small == rc || rc_small == IDT_ELIMIT);
    }

    /* TOML 1.0 is 1.1 less the recorded features: a 1.1 parse with no
     * uses must read like a 1.0 parse, and 1.0 accepts nothing more. */
    opts = (idt_toml_options)IDT_TOML_OPTIONS_INIT;
    opts.spec = IDT_TOML_1_0;
    opts.flags = IDT_TOML_BORROW; /* and the same strings, borrowed or copied */
    idt_toml_doc *v10;
    int rc10 = parse(&in, &opts, &v10);
    size_t uses = 0, total = 0;
    if (rc == IDT_OK) {
        idt_toml_doc_v11_uses(doc, &uses, &total);
        CHECK(uses <= IDT_TOML_FEATURE_USES_MAX && uses <= total);
        CHECK(total == 0 || uses > 0);
        idt_toml_nesting n;
        idt_toml_doc_nesting(doc, &n);
        CHECK(n.value_depth <= depth);
    }
    if (rc10 == IDT_OK) {
        CHECK(rc == IDT_OK && total == 0);
        check_same(idt_toml_doc_root(doc), idt_toml_doc_root(v10));
    } else if (rc10 != IDT_ENOMEM) {
        CHECK(rc != IDT_OK || total > 0); /* 1.0 refused it for 1.1 syntax */
    }
    idt_toml_doc_free(v10);
    idt_toml_doc_free(doc);
    idt_toml_doc_free(small);

    if (size > 0) { /* one byte over max_size, and no error record */
        opts = (idt_toml_options)IDT_TOML_OPTIONS_INIT;
        opts.max_size = size - 1;
        idt_toml_doc *none = NOT_A_DOC;
        CHECK(idt_toml_parse(&none, in.src, size, &opts, NULL) == IDT_ELIMIT && none == NULL);
    }
    free(in.line_starts);
    return 0;
}
