/*
 * fuzz_json_read.c - the JSON reader (lib/util/json_read.h) on arbitrary
 * bytes, with small bounds (depth 16, 2048 tokens) so that the limit paths
 * are reached by small inputs.
 *
 * A failure must be a consistent error record (fuzz_check_error) with one
 * of the reader's statuses, a line:column that agree with the offset, and
 * nothing left to free.  A text that parses is walked whole, checking what
 * the header promises:
 *   - every token's `next` is past it and within ntok, and the root's is
 *     ntok; a scalar's is its index + 1; a container's `count` children
 *     (key/value pairs for an object, whose keys are strings) end exactly
 *     at its `next`; the nesting stays within the depth bound;
 *   - every token lies inside the input; a string sits between quotes, a
 *     container between its brackets;
 *   - a decoded string is never longer than its raw body, is UTF-8, and
 *     idtx_json_string_eq agrees with it; a bounded idtx_json_string_dup
 *     returns it or IDT_ELIMIT, as its length says;
 *   - idtx_json_member finds the last member of every key (without a NUL)
 *     and nothing on a non-object; paths of the keys seen do not crash;
 *   - the tree emitted again as compact JSON parses again (with the same
 *     bounds) to the same structure: types, counts, `next` indices, decoded
 *     strings and number and literal texts.
 * A broken promise aborts, so the fuzzer reports it like a crash.
 */
#include "fuzz.h"
#include "util/buf.h"
#include "util/json_read.h"
#include "util/utf8.h"

#define DEPTH 16u
#define TOKENS 2048u
#define DUP_MAX 8u

/* The decoded text of string i, checked against the raw one. */
static void decode(const idtx_json *j, size_t i, idtx_buf *b)
{
    idt_error err;
    idtx_buf_init(b, j->tok[i].len, "a decoded string");
    CHECK(idtx_json_string_decode(j, i, b, &err) == IDT_OK);
    CHECK(b->data != NULL && b->len <= j->tok[i].len);
    CHECK(j->tok[i].escaped || (b->len == j->tok[i].len &&
                                memcmp(b->data, j->src + j->tok[i].start, b->len) == 0));
    for (size_t p = 0; p < b->len;) {
        size_t k = idtx_utf8_seq((const unsigned char *)b->data + p, b->len - p, NULL);
        CHECK(k > 0);
        p += k;
    }
    CHECK(idtx_json_string_eq(j, i, b->data, b->len));
}

static void check_string(const idtx_json *j, size_t i)
{
    const idtx_json_tok *t = &j->tok[i];
    CHECK(t->start >= 1 && (size_t)t->start + t->len < j->len);
    CHECK(j->src[t->start - 1] == '"' && j->src[t->start + t->len] == '"');
    CHECK(t->escaped == (memchr(j->src + t->start, '\\', t->len) != NULL));
    idtx_buf b;
    decode(j, i, &b);
    idt_error err;
    idt_error_clear(&err);
    char *dup = idtx_json_string_dup(j, i, DUP_MAX, &err);
    if (b.len <= DUP_MAX) {
        CHECK(dup != NULL && memcmp(dup, b.data, b.len) == 0 && dup[b.len] == '\0');
    } else {
        CHECK(dup == NULL && err.code == IDT_ELIMIT);
    }
    free(dup);
    idtx_buf_dispose(&b);
}

static void check_members(const idtx_json *j, size_t obj)
{
    const idtx_json_tok *o = &j->tok[obj];
    size_t k = obj + 1;
    for (uint32_t m = 0; m < o->count; m++) {
        idtx_buf key;
        decode(j, k, &key);
        size_t last = k + 1;
        size_t k2 = j->tok[k + 1].next;
        for (uint32_t m2 = m + 1; m2 < o->count; m2++) {
            if (idtx_json_string_eq(j, k2, key.data, key.len))
                last = k2 + 1;
            k2 = j->tok[k2 + 1].next;
        }
        if (!memchr(key.data, '\0', key.len)) {
            CHECK(idtx_json_member(j, obj, key.data) == last);
            const char *path[] = { key.data, key.data, NULL };
            size_t p = idtx_json_path(j, obj, path);
            CHECK(p == IDTX_JSON_NONE || p < j->ntok);
            /* Not an object: never found. */
            CHECK(idtx_json_member(j, k, key.data) == IDTX_JSON_NONE);
        }
        idtx_buf_dispose(&key);
        k = j->tok[k + 1].next;
    }
    CHECK(idtx_json_member(j, obj, "\xff") == IDTX_JSON_NONE); /* never a valid key */
}

/* Walks the value at i (at nesting `depth`) and returns its `next`. */
static size_t walk(const idtx_json *j, size_t i, unsigned depth)
{
    CHECK(i < j->ntok);
    const idtx_json_tok *t = &j->tok[i];
    CHECK(t->next > i && t->next <= j->ntok);
    CHECK((size_t)t->start + t->len <= j->len);
    switch (t->type) {
    case IDTX_JSON_OBJECT:
    case IDTX_JSON_ARRAY: {
        bool obj = t->type == IDTX_JSON_OBJECT;
        CHECK(depth < DEPTH);
        CHECK(t->len >= 2 && j->src[t->start] == (obj ? '{' : '['));
        CHECK(j->src[t->start + t->len - 1] == (obj ? '}' : ']'));
        size_t k = i + 1;
        for (uint32_t m = 0; m < t->count; m++) {
            if (obj) {
                CHECK(k < t->next && j->tok[k].type == IDTX_JSON_STRING);
                check_string(j, k);
                CHECK(j->tok[k].next == k + 1);
                k++;
            }
            CHECK(k < t->next);
            k = walk(j, k, depth + 1);
        }
        CHECK(k == t->next);
        if (obj)
            check_members(j, i);
        else
            CHECK(idtx_json_member(j, i, "a") == IDTX_JSON_NONE);
        return k;
    }
    case IDTX_JSON_STRING:
        check_string(j, i);
        break;
    case IDTX_JSON_NUMBER:
    case IDTX_JSON_TRUE:
    case IDTX_JSON_FALSE:
    case IDTX_JSON_NULL:
        CHECK(t->count == 0 && t->len > 0 && !t->escaped);
        break;
    default:
        CHECK(!"a token of no type");
    }
    CHECK(t->next == i + 1);
    return i + 1;
}

/* Compact JSON of the value at i; returns its next. */
static size_t emit(const idtx_json *j, size_t i, idtx_buf *out)
{
    const idtx_json_tok *t = &j->tok[i];
    if (t->type == IDTX_JSON_OBJECT || t->type == IDTX_JSON_ARRAY) {
        bool obj = t->type == IDTX_JSON_OBJECT;
        CHECK(idtx_buf_putc(out, obj ? '{' : '[', NULL) == IDT_OK);
        size_t k = i + 1;
        for (uint32_t m = 0; m < t->count; m++) {
            if (m)
                CHECK(idtx_buf_putc(out, ',', NULL) == IDT_OK);
            if (obj) {
                emit(j, k++, out);
                CHECK(idtx_buf_putc(out, ':', NULL) == IDT_OK);
            }
            k = emit(j, k, out);
        }
        CHECK(idtx_buf_putc(out, obj ? '}' : ']', NULL) == IDT_OK);
        return k;
    }
    if (t->type == IDTX_JSON_STRING) {
        idtx_buf b;
        decode(j, i, &b);
        CHECK(idtx_buf_putc(out, '"', NULL) == IDT_OK);
        for (size_t p = 0; p < b.len; p++) {
            unsigned char c = (unsigned char)b.data[p];
            int rc = c == '"' || c == '\\' ? idtx_buf_printf(out, NULL, "\\%c", c)
                     : c < 0x20            ? idtx_buf_printf(out, NULL, "\\u%04x", c)
                                           : idtx_buf_putc(out, (char)c, NULL);
            CHECK(rc == IDT_OK);
        }
        CHECK(idtx_buf_putc(out, '"', NULL) == IDT_OK);
        idtx_buf_dispose(&b);
        return i + 1;
    }
    CHECK(idtx_buf_put(out, j->src + t->start, t->len, NULL) == IDT_OK);
    return i + 1;
}

/* The same structure, strings compared decoded. */
static void same(const idtx_json *a, const idtx_json *b)
{
    CHECK(a->ntok == b->ntok);
    for (size_t i = 0; i < a->ntok; i++) {
        const idtx_json_tok *x = &a->tok[i], *y = &b->tok[i];
        CHECK(x->type == y->type && x->next == y->next && x->count == y->count);
        if (x->type == IDTX_JSON_STRING) {
            idtx_buf s;
            decode(a, i, &s);
            CHECK(idtx_json_string_eq(b, i, s.data, s.len));
            idtx_buf_dispose(&s);
        } else if (x->type != IDTX_JSON_OBJECT && x->type != IDTX_JSON_ARRAY) {
            CHECK(x->len == y->len && memcmp(a->src + x->start, b->src + y->start, x->len) == 0);
        }
    }
}

/* The line and column of offset, as the reader counts them. */
static void check_position(const idt_error *err, const uint8_t *data, size_t size)
{
    CHECK(err->has_offset && err->offset <= size);
    uint32_t line = 1, column = 1;
    for (size_t i = 0; i < err->offset; i++) {
        if (data[i] == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
    }
    CHECK(err->line == line && err->column == column);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    idtx_json j;
    idt_error err;
    idt_error_clear(&err);
    int rc = idtx_json_parse(&j, src, size, DEPTH, TOKENS, &err);
    if (rc != IDT_OK) {
        fuzz_check_error(rc, &err, size);
        CHECK(rc == IDT_ESYNTAX || rc == IDT_EFORMAT || rc == IDT_ELIMIT || rc == IDT_ENOMEM);
        if (rc != IDT_ENOMEM)
            check_position(&err, data, size);
        CHECK(j.tok == NULL && j.ntok == 0);
        /* Not UTF-8 is only said of text that is not. */
        if (rc == IDT_EFORMAT)
            CHECK(idtx_utf8_seq(data + err.offset, size - err.offset, NULL) == 0);
        return 0;
    }
    CHECK(j.src == src && j.len == size);
    CHECK(j.ntok >= 1 && j.ntok <= TOKENS && j.ntok <= j.cap);
    CHECK(walk(&j, 0, 0) == j.ntok);
    CHECK(j.tok[0].next == j.ntok);

    /* Emitted again, it reads to the same structure. */
    idtx_buf out;
    idtx_buf_init(&out, 6 * size + 16, "the re-emitted JSON");
    CHECK(emit(&j, 0, &out) == j.ntok);
    idtx_json again;
    rc = idtx_json_parse(&again, out.data, out.len, DEPTH, TOKENS, &err);
    CHECK(rc == IDT_OK);
    same(&j, &again);
    /* Emitting is a fixed point after one round. */
    idtx_buf out2;
    idtx_buf_init(&out2, 6 * size + 16, "the re-emitted JSON");
    CHECK(emit(&again, 0, &out2) == again.ntok);
    CHECK(out2.len == out.len && memcmp(out2.data, out.data, out.len) == 0);
    idtx_buf_dispose(&out2);
    idtx_json_dispose(&again);
    idtx_buf_dispose(&out);

    /* One token fewer than it has: the limit, at a token's start. */
    rc = idtx_json_parse(&again, src, size, DEPTH, j.ntok - 1 ? j.ntok - 1 : 1, &err);
    CHECK(j.ntok == 1 ? rc == IDT_OK : rc == IDT_ELIMIT);
    if (rc == IDT_OK)
        idtx_json_dispose(&again);
    idtx_json_dispose(&j);
    return 0;
}
