/* Unit tests of lib/util/json_read.h, the validating JSON reader that reads
 * AdmissionReview requests: accept tables (every token's type, count and
 * `next`, strings decoded, numbers and literals as written), reject tables
 * (status, line, column and byte offset of the first problem: grammar,
 * numbers, escapes and surrogates, raw control characters, UTF-8), the
 * depth and token bounds at exactly their limit and one past it, and the
 * lookups: last-duplicate-wins members, paths, string comparison and
 * bounded decoding of escaped strings. */
#include "idt_unit.h"

#include "util/json_read.h"

#define BIG_DEPTH 64
#define BIG_TOKENS 4096

/* ---- rendering the tokens ---------------------------------------------------- */

/* One word per token: "{N>X" / "[N>X" (count N, next X) for containers,
 * "\"...\"" for a string (decoded, escaped as sb_escaped does), the text of
 * a number or a literal.  Also checks what every token promises: a scalar's
 * next is its index + 1, a container's `next` is past its children and its
 * text runs from its bracket to the matching one. */
static void render(sbuf *out, const idtx_json *j)
{
    for (size_t i = 0; i < j->ntok; i++) {
        const idtx_json_tok *t = &j->tok[i];
        if (i)
            sb_puts(out, " ");
        assert_true(t->next > i && t->next <= j->ntok);
        assert_true((size_t)t->start + t->len <= j->len);
        switch (t->type) {
        case IDTX_JSON_OBJECT:
        case IDTX_JSON_ARRAY: {
            char open = t->type == IDTX_JSON_OBJECT ? '{' : '[';
            assert_int_equal(j->src[t->start], open);
            assert_int_equal(j->src[t->start + t->len - 1], open + 2); /* } or ] */
            /* The children: count values (objects: count key/value pairs). */
            size_t k = i + 1, n = 0;
            while (k < t->next) {
                if (t->type == IDTX_JSON_OBJECT) {
                    assert_int_equal(j->tok[k].type, IDTX_JSON_STRING);
                    k++;
                }
                k = j->tok[k].next;
                n++;
            }
            assert_int_equal(k, t->next);
            assert_int_equal(n, t->count);
            sb_printf(out, "%c%u>%u", open, (unsigned)t->count, (unsigned)t->next);
            break;
        }
        case IDTX_JSON_STRING: {
            assert_int_equal(t->next, i + 1);
            assert_int_equal(j->src[t->start - 1], '"');
            assert_int_equal(j->src[t->start + t->len], '"');
            assert_int_equal(t->escaped, memchr(j->src + t->start, '\\', t->len) != NULL);
            idtx_buf b;
            idt_error err;
            idtx_buf_init(&b, t->len, "the decoded string");
            assert_status(idtx_json_string_decode(j, i, &b, &err), IDT_OK, &err);
            sb_puts(out, "\"");
            sb_escaped(out, b.data ? b.data : "", b.len);
            sb_puts(out, "\"");
            assert_true(idtx_json_string_eq(j, i, b.data ? b.data : "", b.len));
            idtx_buf_dispose(&b);
            break;
        }
        default:
            assert_true(t->type >= IDTX_JSON_NUMBER && t->type <= IDTX_JSON_NULL);
            assert_int_equal(t->next, i + 1);
            assert_true(t->len > 0);
            sb_putn(out, j->src + t->start, t->len);
            break;
        }
    }
}

/* ---- accepted texts -------------------------------------------------------- */

typedef struct accept_case {
    const char *text;
    const char *want; /* render() of the tokens */
} accept_case;

static const accept_case accepted[] = {
    /* Scalars at the top, with white space around them. */
    { "0", "0" },
    { "-0", "-0" },
    { "1e5", "1e5" },
    { "1E5", "1E5" },
    { "-12.5E+3", "-12.5E+3" },
    { "1e-07", "1e-07" },
    { "0.0e0", "0.0e0" },
    { "-0.5", "-0.5" },
    { "123456789012345678901234567890", "123456789012345678901234567890" },
    { "true", "true" },
    { "false", "false" },
    { "null", "null" },
    { " \t\r\n true \n\r\t ", "true" },
    { "\"\"", "\"\"" },
    { "\"abc\"", "\"abc\"" },
    /* Containers: count and next. */
    { "[]", "[0>1" },
    { "{}", "{0>1" },
    { " [ ] ", "[0>1" },
    { "[[]]", "[1>2 [0>2" },
    { "[1]", "[1>2 1" },
    { "[ 1 , 2 ]", "[2>3 1 2" },
    { "{ \"a\" : 1 }", "{1>3 \"a\" 1" },
    { "[1,[2,3],{\"a\":[]},4]", "[4>9 1 [2>5 2 3 {1>8 \"a\" [0>8 4" },
    { "{\"a\":1,\"b\":{\"c\":null},\"a\":true}",
      "{3>9 \"a\" 1 \"b\" {1>7 \"c\" null \"a\" true" },
    { "[[[[]]],[{}],{\"x\":[[],{}]}]",
      "[3>11 [1>4 [1>4 [0>4 [1>6 {0>6 {1>11 \"x\" [2>11 [0>10 {0>11" },
    { "{\"\":\"\"}", "{1>3 \"\" \"\"" },
    { "[true,false,null,-1.5e-3,\"s\"]", "[5>6 true false null -1.5e-3 \"s\"" },
    /* The eight short escapes. */
    { "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\\"\\\\/\\x08\\x0c\\x0a\\x0d\\x09\"" },
    /* \u escapes: ASCII, two-, three-byte, both cases of hex, a pair. */
    { "\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"", "\"A\\xc3\\xa9\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80\"" },
    { "\"\\u0000\"", "\"\\x00\"" },
    { "\"\\u001f\\u007F\"", "\"\\x1f\\x7f\"" },
    { "\"\\uD800\\uDC00\"", "\"\\xf0\\x90\\x80\\x80\"" },
    { "\"\\uDBFF\\uDFFF\"", "\"\\xf4\\x8f\\xbf\\xbf\"" },
    { "\"\\uFFFF\"", "\"\\xef\\xbf\\xbf\"" },
    { "\"x\\u0022y\\u005cz\"", "\"x\\\"y\\\\z\"" },
    /* Raw UTF-8 and DEL pass through as written. */
    { "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", "\"\\xc3\\xa9\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80\"" },
    { "\"\x7f\"", "\"\\x7f\"" },
    { "{\"\xc3\xa9\":\"\xf4\x8f\xbf\xbf\"}", "{1>3 \"\\xc3\\xa9\" \"\\xf4\\x8f\\xbf\\xbf\"" },
};

static void test_json__accepted(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof accepted / sizeof *accepted; c++) {
        const accept_case *k = &accepted[c];
        idtx_json j;
        idt_error err;
        idt_error_clear(&err);
        int rc = idtx_json_parse(&j, k->text, strlen(k->text), BIG_DEPTH, BIG_TOKENS, &err);
        if (rc != IDT_OK)
            print_error("case %zu: %s\n", c, k->text);
        assert_status(rc, IDT_OK, &err);
        assert_ptr_equal(j.src, k->text);
        assert_int_equal(j.len, strlen(k->text));
        sbuf got = { 0 };
        render(&got, &j);
        if (strcmp(got.data, k->want) != 0) {
            print_error("case %zu: %s\n  got  %s\n  want %s\n", c, k->text, got.data, k->want);
            fail();
        }
        free(got.data);
        idtx_json_dispose(&j);
        assert_null(j.tok);
        assert_int_equal(j.ntok, 0);
    }
}

/* Where the tokens point: start and len of each kind. */
static void test_json__token_spans(void **state)
{
    (void)state;
    const char *text = " {\"k\\n\": [ -1.5 , true, \"\" ] } ";
    idtx_json j;
    idt_error err;
    assert_status(idtx_json_parse(&j, text, strlen(text), BIG_DEPTH, BIG_TOKENS, &err), IDT_OK,
                  &err);
    assert_int_equal(j.ntok, 6);
    static const struct {
        int type;
        uint32_t start, len, next, count;
        uint8_t escaped;
    } want[] = {
        { IDTX_JSON_OBJECT, 1, 29, 6, 1, 0 },
        { IDTX_JSON_STRING, 3, 3, 2, 0, 1 },
        { IDTX_JSON_ARRAY, 9, 19, 6, 3, 0 },
        { IDTX_JSON_NUMBER, 11, 4, 4, 0, 0 },
        { IDTX_JSON_TRUE, 18, 4, 5, 0, 0 },
        { IDTX_JSON_STRING, 25, 0, 6, 0, 0 },
    };
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(j.tok[i].type, want[i].type);
        assert_int_equal(j.tok[i].start, want[i].start);
        assert_int_equal(j.tok[i].len, want[i].len);
        assert_int_equal(j.tok[i].next, want[i].next);
        assert_int_equal(j.tok[i].count, want[i].count);
        assert_int_equal(j.tok[i].escaped, want[i].escaped);
    }
    assert_int_equal(idtx_json_type_at(&j, 2), IDTX_JSON_ARRAY);
    assert_int_equal(idtx_json_type_at(&j, IDTX_JSON_NONE), 0);
    idtx_json_dispose(&j);
    idtx_json_dispose(&j); /* twice is harmless */
}

/* ---- rejected texts -------------------------------------------------------- */

typedef struct reject_case {
    const char *text;
    size_t len;        /* 0: strlen(text) */
    int status;
    uint32_t line, column;
    uint64_t offset;
} reject_case;

#define SYN(t, l, c, o) { t, 0, IDT_ESYNTAX, l, c, o }
#define UTF(t, l, c, o) { t, 0, IDT_EFORMAT, l, c, o }

static const reject_case rejected[] = {
    /* Nothing, or only white space. */
    SYN("", 1, 1, 0),
    SYN("   ", 1, 4, 3),
    SYN("\n\n", 3, 1, 2),
    /* Numbers outside the grammar. */
    SYN("01", 1, 2, 1),
    SYN("-01", 1, 3, 2),
    SYN("00", 1, 2, 1),
    SYN("1.", 1, 3, 2),
    SYN("1.e5", 1, 3, 2),
    SYN(".5", 1, 1, 0),
    SYN("-", 1, 1, 0),
    SYN("-.5", 1, 1, 0),
    SYN("+1", 1, 1, 0),
    SYN("1e", 1, 3, 2),
    SYN("1e+", 1, 4, 3),
    SYN("1E-x", 1, 4, 3),
    SYN("0x10", 1, 2, 1),
    SYN("1.5.2", 1, 4, 3),
    SYN("[01]", 1, 3, 2),
    SYN("[1.]", 1, 4, 3),
    SYN("[-]", 1, 2, 1),
    /* Python's extensions that RFC 8259 does not have. */
    SYN("NaN", 1, 1, 0),
    SYN("Infinity", 1, 1, 0),
    SYN("-Infinity", 1, 1, 0),
    SYN("[NaN]", 1, 2, 1),
    /* Literals. */
    SYN("nul", 1, 1, 0),
    SYN("tru", 1, 1, 0),
    SYN("True", 1, 1, 0),
    SYN("nulll", 1, 5, 4),
    SYN("truex", 1, 5, 4),
    SYN("[falsey]", 1, 7, 6),
    /* Structure. */
    SYN("[", 1, 2, 1),
    SYN("[1", 1, 3, 2),
    SYN("[1,", 1, 4, 3),
    SYN("[1,]", 1, 4, 3),
    SYN("[,1]", 1, 2, 1),
    SYN("[1 2]", 1, 4, 3),
    SYN("[1}", 1, 3, 2),
    SYN("]", 1, 1, 0),
    SYN("{", 1, 2, 1),
    SYN("{\"a\"", 1, 5, 4),
    SYN("{\"a\" 1}", 1, 6, 5),
    SYN("{\"a\":}", 1, 6, 5),
    SYN("{\"a\":1", 1, 7, 6),
    SYN("{\"a\":1,}", 1, 8, 7),
    SYN("{\"a\":1]", 1, 7, 6),
    SYN("{a:1}", 1, 2, 1),
    SYN("{'a':1}", 1, 2, 1),
    SYN("{1:1}", 1, 2, 1),
    SYN("{\"a\"::1}", 1, 6, 5),
    SYN("{,}", 1, 2, 1),
    /* Text after the value. */
    SYN("{} x", 1, 4, 3),
    SYN("[] []", 1, 4, 3),
    SYN("1 2", 1, 3, 2),
    SYN("\"a\"\"b\"", 1, 4, 3),
    SYN("null,", 1, 5, 4),
    { "{}\0", 3, IDT_ESYNTAX, 1, 3, 2 },
    /* White space beyond the four. */
    SYN("\f1", 1, 1, 0),
    SYN("[1,\v2]", 1, 4, 3),
    SYN("\xc2\xa0" "1", 1, 1, 0),
    SYN("\xef\xbb\xbf{}", 1, 1, 0), /* a byte order mark */
    /* Strings: not closed, raw control characters, escapes. */
    SYN("\"abc", 1, 1, 0),
    SYN("[\"a\",\"b]", 1, 6, 5),
    SYN("\"a\x01z\"", 1, 3, 2),
    SYN("\"a\nb\"", 1, 3, 2),
    SYN("\"a\tb\"", 1, 3, 2),
    SYN("\"\x1f\"", 1, 2, 1),
    { "\"a\0b\"", 5, IDT_ESYNTAX, 1, 3, 2 },
    SYN("\"\\x41\"", 1, 2, 1),
    SYN("\"\\a\"", 1, 2, 1),
    SYN("\"\\'\"", 1, 2, 1),
    SYN("\"\\U0041\"", 1, 2, 1),
    SYN("\"\\u12\"", 1, 2, 1),
    SYN("\"\\u12G4\"", 1, 2, 1),
    SYN("\"\\u 123\"", 1, 2, 1),
    SYN("\"ab\\", 1, 4, 3),
    SYN("\"\\u00e", 1, 2, 1),
    /* Surrogate escapes: lone, reversed, unpaired, truncated pair. */
    SYN("\"\\ud800\"", 1, 2, 1),
    SYN("\"\\uDBFF\"", 1, 2, 1),
    SYN("\"\\udc00\"", 1, 2, 1),
    SYN("\"\\uDFFF\"", 1, 2, 1),
    SYN("\"\\udc00\\ud800\"", 1, 2, 1),
    SYN("\"\\ud83d\\ud83d\"", 1, 2, 1),
    SYN("\"\\ud800\\u0041\"", 1, 2, 1),
    SYN("\"\\ud800x\"", 1, 2, 1),
    SYN("\"\\ud800\\n\"", 1, 2, 1),
    SYN("\"\\ud800\\udc0\"", 1, 2, 1),
    SYN("\"ok\\u0041\\ud800\"", 1, 10, 9),
    SYN("\"\\ud83d\\ude00\\ude00\"", 1, 14, 13),
    /* Line and column (in bytes) after newlines and multi-byte text. */
    SYN("{\n  \"a\": 1,\n  \"b\" 2\n}", 3, 7, 18),
    SYN("[\r\n1,\r\n2,\r\n]", 4, 1, 11),
    SYN("[\"\xc3\xa9\" x]", 1, 7, 6),
    SYN("\n\n\n   @", 4, 4, 6),
    /* Not UTF-8: overlong forms, surrogates, above U+10FFFF, truncated,
     * stray continuation bytes, bytes never used; inside strings and out,
     * before the grammar is looked at. */
    UTF("\"\xc0\x80\"", 1, 2, 1),
    UTF("\"\xc1\xbf\"", 1, 2, 1),
    UTF("\"\xe0\x80\xaf\"", 1, 2, 1),
    UTF("\"\xf0\x8f\xbf\xbf\"", 1, 2, 1),
    UTF("\"\xed\xa0\x80\"", 1, 2, 1),
    UTF("\"\xed\xbf\xbf\"", 1, 2, 1),
    UTF("\"\xf4\x90\x80\x80\"", 1, 2, 1),
    UTF("\"\xf5\x80\x80\x80\"", 1, 2, 1),
    UTF("\"abc\xe2\x82", 1, 5, 4),
    UTF("\"\xe2\x82\"", 1, 2, 1),
    UTF("\"\xf0\x9f\x98\"", 1, 2, 1),
    UTF("\x80", 1, 1, 0),
    UTF("\xff", 1, 1, 0),
    UTF("[1, \xc3]", 1, 5, 4),
    UTF("[\n\"ok\",\n\"\xc3\x28\"]", 3, 2, 9),
    UTF("\"0123456789abcdef\xc3\"", 1, 18, 17),
    UTF("\"0123456789abcdef\xc3\xa9\xfe\"", 1, 20, 19),
    UTF("{ bad grammar \xc3", 1, 15, 14),
};

static void test_json__rejected(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof rejected / sizeof *rejected; c++) {
        const reject_case *k = &rejected[c];
        size_t len = k->len ? k->len : strlen(k->text);
        /* An exact-size copy, so ASan sees any read past the end. */
        char *copy = malloc(len ? len : 1);
        assert_non_null(copy);
        memcpy(copy, k->text, len);
        idtx_json j;
        idt_error err;
        idt_error_clear(&err);
        int rc = idtx_json_parse(&j, copy, len, BIG_DEPTH, BIG_TOKENS, &err);
        if (rc != k->status || err.line != k->line || err.column != k->column ||
            err.offset != k->offset || !err.has_offset) {
            sbuf text = { 0 };
            sb_escaped(&text, k->text, len);
            print_error("case %zu: \"%s\"\n  got  %s %u:%u offset %llu (%s)\n"
                        "  want %s %u:%u offset %llu\n",
                        c, text.data ? text.data : "", idt_status_str(rc), (unsigned)err.line,
                        (unsigned)err.column, (unsigned long long)err.offset, err.message,
                        idt_status_str(k->status), (unsigned)k->line, (unsigned)k->column,
                        (unsigned long long)k->offset);
            free(text.data);
            free(copy);
            fail();
        }
        assert_int_equal(err.code, k->status);
        assert_true(err.message[0] != '\0');
        /* Nothing to free after a failure. */
        assert_null(j.tok);
        assert_int_equal(j.ntok, 0);
        free(copy);
    }
}

/* The messages say what is wrong. */
static void test_json__messages(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        { "", "ends where a value should be" },
        { "1.", "digits after '.'" },
        { "1e+", "digits in its exponent" },
        { "\"abc", "not closed" },
        { "\"\x01\"", "control character" },
        { "\"\\ud800\"", "invalid escape" },
        { "{1}", "string key" },
        { "{\"a\"}", "':'" },
        { "[1 1]", "',' or ']'" },
        { "{\"a\":1 1}", "',' or '}'" },
        { "1 1", "text after" },
        { "\"\xc0\x80\"", "not UTF-8" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        idtx_json j;
        idt_error err;
        idt_error_clear(&err);
        assert_true(idtx_json_parse(&j, cases[c].text, strlen(cases[c].text), 8, 64, &err) < 0);
        if (!strstr(err.message, cases[c].want)) {
            print_error("case %zu: message \"%s\" lacks \"%s\"\n", c, err.message, cases[c].want);
            fail();
        }
    }
}

static void test_json__invalid_arguments(void **state)
{
    (void)state;
    idtx_json j;
    idt_error err;
    assert_status(idtx_json_parse(&j, "1", 1, 0, 10, &err), IDT_EINVAL, &err);
    assert_status(idtx_json_parse(&j, "1", 1, 10, 0, &err), IDT_EINVAL, &err);
    assert_status(idtx_json_parse(&j, NULL, 1, 10, 10, &err), IDT_EINVAL, &err);
    /* NULL with no bytes is the empty text. */
    assert_status(idtx_json_parse(&j, NULL, 0, 10, 10, &err), IDT_ESYNTAX, &err);
    assert_int_equal(err.offset, 0);
    /* err may be NULL. */
    assert_status(idtx_json_parse(&j, "[", 1, 10, 10, NULL), IDT_ESYNTAX, NULL);
    assert_status(idtx_json_parse(&j, "[1]", 3, 10, 10, NULL), IDT_OK, NULL);
    idtx_json_dispose(&j);
}

/* ---- bounds ---------------------------------------------------------------- */

/* n opening brackets then n closing ones. */
static char *nested(size_t n, char open, char close)
{
    char *s = malloc(2 * n + 1);
    assert_non_null(s);
    memset(s, open, n);
    memset(s + n, close, n);
    s[2 * n] = '\0';
    return s;
}

static void test_json__depth_exact(void **state)
{
    (void)state;
    static const unsigned limits[] = { 1, 2, 3, 64, 1000 };
    for (size_t c = 0; c < sizeof limits / sizeof *limits; c++) {
        unsigned max = limits[c];
        idtx_json j;
        idt_error err;
        /* max levels of arrays: accepted, max tokens, each next = ntok. */
        char *ok = nested(max, '[', ']');
        assert_status(idtx_json_parse(&j, ok, 2 * max, max, BIG_TOKENS, &err), IDT_OK, &err);
        assert_int_equal(j.ntok, max);
        for (size_t i = 0; i < max; i++) {
            assert_int_equal(j.tok[i].next, max);
            assert_int_equal(j.tok[i].count, i + 1 < max ? 1 : 0);
        }
        idtx_json_dispose(&j);
        free(ok);
        /* One more: IDT_ELIMIT at the bracket that opens level max + 1. */
        char *deep = nested(max + 1, '[', ']');
        idt_error_clear(&err);
        assert_status(idtx_json_parse(&j, deep, 2 * (max + 1), max, BIG_TOKENS, &err),
                      IDT_ELIMIT, &err);
        assert_int_equal(err.offset, max);
        assert_int_equal(err.line, 1);
        assert_int_equal(err.column, max + 1);
        assert_non_null(strstr(err.message, "nests too deeply"));
        assert_null(j.tok);
        free(deep);
        /* Unclosed at the limit: the grammar error, not the limit. */
        char *open = nested(max, '[', ']');
        assert_status(idtx_json_parse(&j, open, max, max, BIG_TOKENS, &err), IDT_ESYNTAX, &err);
        free(open);
    }
    /* Objects count the same; scalars add no level. */
    const char *obj = "{\"a\":{\"b\":{\"c\":{}}}}";
    idtx_json j;
    idt_error err;
    assert_status(idtx_json_parse(&j, obj, strlen(obj), 4, BIG_TOKENS, &err), IDT_OK, &err);
    idtx_json_dispose(&j);
    assert_status(idtx_json_parse(&j, obj, strlen(obj), 3, BIG_TOKENS, &err), IDT_ELIMIT, &err);
    assert_int_equal(err.offset, 15);
    const char *mixed = "[{\"a\":[1,\"x\",{\"b\":null}]}]";
    assert_status(idtx_json_parse(&j, mixed, strlen(mixed), 4, BIG_TOKENS, &err), IDT_OK, &err);
    idtx_json_dispose(&j);
    assert_status(idtx_json_parse(&j, mixed, strlen(mixed), 3, BIG_TOKENS, &err), IDT_ELIMIT,
                  &err);
    assert_int_equal(err.offset, 13);
    assert_status(idtx_json_parse(&j, "\"s\"", 3, 1, 1, &err), IDT_OK, &err);
    idtx_json_dispose(&j);
    /* Siblings do not add up: depth is nesting, not the number of containers. */
    const char *wide = "[[],[[]],[],[[]]]";
    assert_status(idtx_json_parse(&j, wide, strlen(wide), 3, BIG_TOKENS, &err), IDT_OK, &err);
    idtx_json_dispose(&j);
    assert_status(idtx_json_parse(&j, wide, strlen(wide), 2, BIG_TOKENS, &err), IDT_ELIMIT,
                  &err);
    assert_int_equal(err.offset, 5);
}

static void test_json__tokens_exact(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t ntok;
        uint64_t offset; /* where the token one past the limit starts */
    } cases[] = {
        { "[1,2,3]", 4, 5 },
        { "{\"a\":1}", 3, 5 },
        { "{\"a\":1,\"b\":2}", 5, 11 },
        { "[[],{},\"s\",true]", 5, 11 },
        { "[\"a\",\"b\"]", 3, 5 },
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const char *t = cases[c].text;
        size_t n = cases[c].ntok;
        idtx_json j;
        idt_error err;
        idt_error_clear(&err);
        assert_status(idtx_json_parse(&j, t, strlen(t), BIG_DEPTH, n, &err), IDT_OK, &err);
        assert_int_equal(j.ntok, n);
        idtx_json_dispose(&j);
        idt_error_clear(&err);
        assert_status(idtx_json_parse(&j, t, strlen(t), BIG_DEPTH, n - 1, &err), IDT_ELIMIT, &err);
        if (err.offset != cases[c].offset) {
            print_error("case %zu: %s: offset %llu, want %llu\n", c, t,
                        (unsigned long long)err.offset, (unsigned long long)cases[c].offset);
            fail();
        }
        assert_non_null(strstr(err.message, "too many values"));
        assert_null(j.tok);
    }
    idtx_json j;
    idt_error err;
    /* A key one past the limit: the error points at its opening quote, as
     * every other error about a string does. */
    assert_status(idtx_json_parse(&j, "{\"a\":1,\"b\":2}", 13, BIG_DEPTH, 3, &err), IDT_ELIMIT,
                  &err);
    assert_int_equal(err.offset, 7);
    assert_int_equal(err.column, 8);
    assert_status(idtx_json_parse(&j, "\"abc\"", 5, 1, 1, &err), IDT_OK, &err);
    assert_int_equal(j.tok[0].start, 1);
    idtx_json_dispose(&j);
    /* A single value needs one token. */
    assert_status(idtx_json_parse(&j, "[]", 2, 1, 1, &err), IDT_OK, &err);
    idtx_json_dispose(&j);
    /* Past the first allocation (64 tokens) and its doublings: 1000 elements. */
    sbuf s = { 0 };
    sb_puts(&s, "[");
    for (int i = 0; i < 1000; i++)
        sb_printf(&s, "%s%d", i ? "," : "", i);
    sb_puts(&s, "]");
    assert_status(idtx_json_parse(&j, s.data, s.len, 1, 1001, &err), IDT_OK, &err);
    assert_int_equal(j.ntok, 1001);
    assert_int_equal(j.tok[0].count, 1000);
    assert_int_equal(j.tok[0].next, 1001);
    assert_int_equal(j.tok[1000].len, 3);
    assert_memory_equal(s.data + j.tok[1000].start, "999", 3);
    idtx_json_dispose(&j);
    assert_status(idtx_json_parse(&j, s.data, s.len, 1, 1000, &err), IDT_ELIMIT, &err);
    assert_int_equal(err.offset, s.len - 4); /* "999]" */
    /* A limit near SIZE_MAX is clamped, not allocated. */
    assert_status(idtx_json_parse(&j, s.data, s.len, 1, SIZE_MAX, &err), IDT_OK, &err);
    idtx_json_dispose(&j);
    free(s.data);
}

/* ---- lookups ---------------------------------------------------------------- */

static idtx_json parse_ok(const char *text)
{
    idtx_json j;
    idt_error err;
    idt_error_clear(&err);
    assert_status(idtx_json_parse(&j, text, strlen(text), BIG_DEPTH, BIG_TOKENS, &err), IDT_OK,
                  &err);
    return j;
}

static void test_json__member_last_duplicate_wins(void **state)
{
    (void)state;
    /* 0 {  1 "a" 2 1  3 "b" 4 2  5 "a" 6 3 */
    idtx_json j = parse_ok("{\"a\":1,\"b\":2,\"a\":3}");
    assert_int_equal(idtx_json_member(&j, 0, "a"), 6);
    assert_int_equal(idtx_json_member(&j, 0, "b"), 4);
    assert_int_equal(idtx_json_member(&j, 0, "c"), IDTX_JSON_NONE);
    assert_int_equal(idtx_json_member(&j, 0, ""), IDTX_JSON_NONE);
    assert_int_equal(idtx_json_member(&j, 0, "ab"), IDTX_JSON_NONE);
    /* Not an object: a key token, a value, nothing. */
    assert_int_equal(idtx_json_member(&j, 1, "a"), IDTX_JSON_NONE);
    assert_int_equal(idtx_json_member(&j, 2, "a"), IDTX_JSON_NONE);
    assert_int_equal(idtx_json_member(&j, IDTX_JSON_NONE, "a"), IDTX_JSON_NONE);
    idtx_json_dispose(&j);

    /* The duplicates hold containers: the lookup steps over them whole. */
    /* 0 { 1 "k" 2 [ 3 1 4 {  5 "z" 6 [ 7 "k" 8 true  9 "k" 10 { 11 "z" 12 true */
    j = parse_ok("{\"k\":[1,{\"z\":[\"k\",true]}],\"k\":{\"z\":true}}");
    assert_int_equal(idtx_json_member(&j, 0, "k"), 10);
    assert_int_equal(idtx_json_member(&j, 0, "z"), IDTX_JSON_NONE);
    assert_int_equal(idtx_json_member(&j, 4, "z"), 6);
    assert_int_equal(idtx_json_member(&j, 10, "z"), 12);
    idtx_json_dispose(&j);

    /* Keys compare decoded: escapes, \u, a pair, raw UTF-8, an inner NUL. */
    j = parse_ok("{\"\\u0061\":1,\"a\\\"b\":2,\"\\u00e9\":3,\"caf\\u00e9\":4,"
                 "\"\\ud83d\\ude00\":5,\"a\\u0000b\":6,\"\\/\":7,\"\xc3\xa9\":8}");
    assert_int_equal(idtx_json_member(&j, 0, "a"), 2);
    assert_int_equal(idtx_json_member(&j, 0, "a\"b"), 4);
    assert_int_equal(idtx_json_member(&j, 0, "\xc3\xa9"), 16); /* the raw one is later */
    assert_int_equal(idtx_json_member(&j, 0, "caf\xc3\xa9"), 8);
    assert_int_equal(idtx_json_member(&j, 0, "\xf0\x9f\x98\x80"), 10);
    assert_int_equal(idtx_json_member(&j, 0, "a\\\"b"), IDTX_JSON_NONE);
    assert_int_equal(idtx_json_member(&j, 0, "\\u0061"), IDTX_JSON_NONE);
    assert_int_equal(idtx_json_member(&j, 0, "/"), 14);
    assert_int_equal(idtx_json_member(&j, 0, "a\\u0000b"), IDTX_JSON_NONE);
    idtx_json_dispose(&j);
}

static void test_json__path(void **state)
{
    (void)state;
    /* 0 { 1 "x" 2 { 3 "a" 4 1 5 "y" 6 [ 7 1 8 { 9 "a" 10 2  11 "a" 12 3 */
    idtx_json j = parse_ok("{\"x\":{\"a\":1,\"y\":[1,{\"a\":2}]},\"a\":3}");
    static const char *const xa[] = { "x", "a", NULL };
    static const char *const xy[] = { "x", "y", NULL };
    static const char *const xya[] = { "x", "y", "a", NULL };
    static const char *const xaz[] = { "x", "a", "z", NULL };
    static const char *const a[] = { "a", NULL };
    static const char *const none[] = { NULL };
    static const char *const missing[] = { "q", "a", NULL };
    assert_int_equal(idtx_json_path(&j, 0, xa), 4);
    assert_int_equal(idtx_json_path(&j, 0, xy), 6);
    assert_int_equal(idtx_json_type_at(&j, idtx_json_path(&j, 0, xy)), IDTX_JSON_ARRAY);
    assert_int_equal(idtx_json_path(&j, 0, xya), IDTX_JSON_NONE); /* through an array */
    assert_int_equal(idtx_json_path(&j, 0, xaz), IDTX_JSON_NONE); /* through a number */
    assert_int_equal(idtx_json_path(&j, 0, a), 12);
    assert_int_equal(idtx_json_path(&j, 0, none), 0);
    assert_int_equal(idtx_json_path(&j, 0, missing), IDTX_JSON_NONE);
    assert_int_equal(idtx_json_path(&j, 8, a), 10);
    assert_int_equal(idtx_json_path(&j, IDTX_JSON_NONE, a), IDTX_JSON_NONE);
    assert_int_equal(idtx_json_path(&j, IDTX_JSON_NONE, none), IDTX_JSON_NONE);
    idtx_json_dispose(&j);

    /* The webhook's walk: request.object.metadata.annotations[key], with a
     * repeated "request" whose last copy counts. */
    j = parse_ok("{\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\"},"
                 "\"request\":{\"uid\":\"2\",\"object\":{\"metadata\":{\"annotations\":"
                 "{\"io.katacontainers.config.hypervisor.cc_init_data\":\"H4sI\"}}}}}");
    static const char *const uid[] = { "request", "uid", NULL };
    static const char *const ann[] = { "request", "object", "metadata", "annotations",
                                       "io.katacontainers.config.hypervisor.cc_init_data",
                                       NULL };
    assert_true(idtx_json_string_eq(&j, idtx_json_path(&j, 0, uid), "2", 1));
    assert_true(idtx_json_string_eq(&j, idtx_json_path(&j, 0, ann), "H4sI", 4));
    idtx_json_dispose(&j);
}

static void test_json__string_eq(void **state)
{
    (void)state;
    /* 0 [ 1 "a\nb" 2 "plain" 3 "\u0000" 4 pair 5 1 6 "" 7 "\"" */
    idtx_json j = parse_ok("[\"a\\nb\",\"plain\",\"\\u0000\",\"\\ud83d\\ude00\",1,\"\",\"\\\"\"]");
    assert_true(idtx_json_string_eq(&j, 1, "a\nb", 3));
    assert_false(idtx_json_string_eq(&j, 1, "a\\nb", 4));
    assert_false(idtx_json_string_eq(&j, 1, "a\n", 2));
    assert_false(idtx_json_string_eq(&j, 1, "a\nbc", 4));
    assert_true(idtx_json_string_eq(&j, 2, "plain", 5));
    assert_false(idtx_json_string_eq(&j, 2, "plai", 4));
    assert_false(idtx_json_string_eq(&j, 2, "plainx", 6));
    assert_true(idtx_json_string_eq(&j, 3, "\0", 1));
    assert_false(idtx_json_string_eq(&j, 3, "", 0));
    assert_true(idtx_json_string_eq(&j, 4, "\xf0\x9f\x98\x80", 4));
    assert_false(idtx_json_string_eq(&j, 4, "\\ud83d\\ude00", 12));
    assert_true(idtx_json_string_eq(&j, 6, "", 0));
    assert_true(idtx_json_string_eq(&j, 7, "\"", 1));
    /* Not a string. */
    assert_false(idtx_json_string_eq(&j, 0, "", 0));
    assert_false(idtx_json_string_eq(&j, 5, "1", 1));
    assert_false(idtx_json_string_eq(&j, IDTX_JSON_NONE, "", 0));
    idtx_json_dispose(&j);

    /* An escaped string longer than the stack buffer (256 bytes). */
    sbuf s = { 0 }, want = { 0 };
    sb_puts(&s, "\"");
    for (int i = 0; i < 300; i++) {
        sb_puts(&s, i % 2 ? "\\u0041" : "\\u00e9");
        sb_puts(&want, i % 2 ? "A" : "\xc3\xa9");
    }
    sb_puts(&s, "\"");
    j = parse_ok(s.data);
    assert_true(idtx_json_string_eq(&j, 0, want.data, want.len));
    want.data[want.len - 1] = 'B';
    assert_false(idtx_json_string_eq(&j, 0, want.data, want.len));
    idtx_json_dispose(&j);
    free(s.data);
    free(want.data);
}

static void test_json__string_decode_and_dup(void **state)
{
    (void)state;
    /* 0 [ 1 "hello" 2 "\u00e9\u00e9" (4 bytes decoded, 12 raw) 3 "a\u0000b" 4 true */
    idtx_json j = parse_ok("[\"hello\",\"\\u00e9\\u00e9\",\"a\\u0000b\",true]");
    idt_error err;
    char *s = idtx_json_string_dup(&j, 1, 5, &err);
    assert_non_null(s);
    assert_string_equal(s, "hello");
    free(s);
    idt_error_clear(&err);
    assert_null(idtx_json_string_dup(&j, 1, 4, &err));
    assert_int_equal(err.code, IDT_ELIMIT);
    /* The bound is on the decoded text, not on the escapes that spell it. */
    s = idtx_json_string_dup(&j, 2, 4, &err);
    if (!s)
        print_error("%s\n", err.message);
    assert_non_null(s);
    assert_string_equal(s, "\xc3\xa9\xc3\xa9");
    free(s);
    idt_error_clear(&err);
    assert_null(idtx_json_string_dup(&j, 2, 3, &err));
    assert_int_equal(err.code, IDT_ELIMIT);
    /* An inner NUL survives decoding (the length says where it ends). */
    idtx_buf b;
    idtx_buf_init(&b, 64, "test");
    assert_status(idtx_buf_puts(&b, "x=", &err), IDT_OK, &err);
    assert_status(idtx_json_string_decode(&j, 3, &b, &err), IDT_OK, &err);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data, "x=a\0b", 6);
    /* Appending is bounded by what is already there: 5 + 4 > 8. */
    b.max = 8;
    assert_status(idtx_json_string_decode(&j, 2, &b, &err), IDT_ELIMIT, &err);
    assert_int_equal(b.len, 5);
    b.max = 9;
    assert_status(idtx_json_string_decode(&j, 2, &b, &err), IDT_OK, &err);
    assert_int_equal(b.len, 9);
    assert_memory_equal(b.data + 5, "\xc3\xa9\xc3\xa9", 5);
    idtx_buf_dispose(&b);
    /* Not a string. */
    idt_error_clear(&err);
    assert_null(idtx_json_string_dup(&j, 4, 100, &err));
    assert_int_equal(err.code, IDT_EINVAL);
    assert_null(idtx_json_string_dup(&j, 0, 100, &err));
    assert_null(idtx_json_string_dup(&j, IDTX_JSON_NONE, 100, &err));
    s = idtx_json_string_dup(&j, 1, 0, &err);
    assert_null(s);
    idtx_json_dispose(&j);
    /* The empty string: an allocated "". */
    j = parse_ok("\"\"");
    s = idtx_json_string_dup(&j, 0, 0, &err);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    idtx_json_dispose(&j);
}

/* A real object from the API server's fixtures, when the shared data is
 * there: parses, and the lookups reach known fields. */
static void test_json__k8s_fixture(void **state)
{
    (void)state;
    size_t len;
    char *text = idt_test_read_shared("k8s/api-testdata/core.v1.Pod.json", &len);
    idtx_json j;
    idt_error err;
    assert_status(idtx_json_parse(&j, text, len, 128, 1u << 20, &err), IDT_OK, &err);
    assert_int_equal(j.tok[0].type, IDTX_JSON_OBJECT);
    assert_int_equal(j.tok[0].next, j.ntok);
    assert_int_equal(j.tok[0].len, len - (len && text[len - 1] == '\n'));
    assert_true(idtx_json_string_eq(&j, idtx_json_member(&j, 0, "kind"), "Pod", 3));
    assert_true(idtx_json_string_eq(&j, idtx_json_member(&j, 0, "apiVersion"), "v1", 2));
    static const char *const containers[] = { "spec", "containers", NULL };
    assert_int_equal(idtx_json_type_at(&j, idtx_json_path(&j, 0, containers)), IDTX_JSON_ARRAY);
    idtx_json_dispose(&j);
    /* One byte short of the end: the grammar notices. */
    assert_true(idtx_json_parse(&j, text, len - 2, 128, 1u << 20, &err) == IDT_ESYNTAX);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json__accepted),
        cmocka_unit_test(test_json__token_spans),
        cmocka_unit_test(test_json__rejected),
        cmocka_unit_test(test_json__messages),
        cmocka_unit_test(test_json__invalid_arguments),
        cmocka_unit_test(test_json__depth_exact),
        cmocka_unit_test(test_json__tokens_exact),
        cmocka_unit_test(test_json__member_last_duplicate_wins),
        cmocka_unit_test(test_json__path),
        cmocka_unit_test(test_json__string_eq),
        cmocka_unit_test(test_json__string_decode_and_dup),
        cmocka_unit_test(test_json__k8s_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
