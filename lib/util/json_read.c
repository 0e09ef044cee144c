/* The JSON reader (util/json_read.h): UTF-8 first, then one pass over the
 * grammar with an explicit stack of open containers (no recursion, so the
 * depth bound is the only bound on nesting). */
#include "util/json_read.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

/* The grammar's steps, folded into the one loop that runs them: the
 * calls, not the work, were a third of the instructions per token. */
#if defined(__GNUC__)
#define HOT inline __attribute__((always_inline))
#else
#define HOT inline
#endif

typedef struct reader {
    idtx_json *j;
    const unsigned char *s;
    size_t len;
    size_t pos;
    size_t max_tokens;
    idt_error *err;
} reader;

/* The line and column of offset, counted only when an error is reported. */
static int fail_at(reader *r, int code, size_t offset, const char *what)
{
    idt_span at = { offset, 0, 1, 1 };
    for (size_t i = 0; i < offset && i < r->len; i++) {
        if (r->s[i] == '\n') {
            at.line++;
            at.column = 1;
        } else {
            at.column++;
        }
    }
    return idtx_error_set(r->err, code, &at, "%s", what);
}

static int check_utf8(reader *r)
{
    const unsigned char *s = r->s;
    size_t n = r->len, i = 0;
    while (i < n) {
        /* Eight ASCII bytes at a time: the common case in Kubernetes JSON. */
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        const char *why = NULL;
        size_t k = idtx_utf8_seq(s + i, n - i, &why);
        if (!k)
            return fail_at(r, IDT_EFORMAT, i, "the JSON text is not UTF-8");
        i += k;
    }
    return IDT_OK;
}

/* Grows the token array (doubling, up to max_tokens); NONE at the bound,
 * NONE - 1 when out of memory. */
static size_t grow(reader *r)
{
    idtx_json *j = r->j;
    if (j->ntok >= r->max_tokens)
        return IDTX_JSON_NONE;
    size_t cap = j->cap ? j->cap * 2 : 64;
    if (cap > r->max_tokens)
        cap = r->max_tokens;
    idtx_json_tok *t = realloc(j->tok, cap * sizeof *t);
    if (!t)
        return IDTX_JSON_NONE - 1;
    j->tok = t;
    j->cap = cap;
    return 0;
}

static inline size_t push(reader *r, idtx_json_type type, size_t start)
{
    idtx_json *j = r->j;
    if (j->ntok == j->cap) {
        size_t g = grow(r);
        if (g)
            return g;
    }
    idtx_json_tok *t = &j->tok[j->ntok];
    t->type = (uint8_t)type;
    t->escaped = 0;
    t->start = (uint32_t)start;
    t->len = 0;
    t->next = 0;
    t->count = 0;
    return j->ntok++;
}

static inline int push_or_fail(reader *r, idtx_json_type type, size_t start, size_t *out)
{
    size_t i = push(r, type, start);
    if (i == IDTX_JSON_NONE)
        return fail_at(r, IDT_ELIMIT, start, "the JSON text has too many values");
    if (i == IDTX_JSON_NONE - 1)
        return idtx_error_set(r->err, IDT_ENOMEM, NULL, "out of memory reading JSON");
    *out = i;
    return IDT_OK;
}

static inline void skip_ws(reader *r)
{
    while (r->pos < r->len) {
        unsigned char c = r->s[r->pos];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            return;
        r->pos++;
    }
}

static int hex4(const unsigned char *p, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned char c = p[k];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (unsigned)((c | 0x20) - 'a' + 10);
        else
            return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

/* Checks one escape at s[pos] == '\\'; returns its length or 0. */
static size_t escape_len(const unsigned char *s, size_t pos, size_t len)
{
    if (pos + 1 >= len)
        return 0;
    switch (s[pos + 1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        return 2;
    case 'u':
        break;
    default:
        return 0;
    }
    unsigned u, lo;
    if (pos + 6 > len || hex4(s + pos + 2, &u) < 0)
        return 0;
    if (u >= 0xDC00 && u <= 0xDFFF)
        return 0; /* a lone low surrogate */
    if (u < 0xD800 || u > 0xDBFF)
        return 6;
    if (pos + 12 > len || s[pos + 6] != '\\' || s[pos + 7] != 'u' ||
        hex4(s + pos + 8, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
        return 0;
    return 12;
}

/* The bytes that end a run of plain string bytes: '"', '\\' and the
 * controls below 0x20. */
static const unsigned char stops_string[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
    [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1, ['\\'] = 1,
};

/* Whether none of the 8 bytes at s is '"', '\\' or below 0x20 (SWAR: a
 * byte is flagged when it is zero after the XOR, or below the bound; a
 * borrow can only flag bytes after a real hit, which the byte loop then
 * finds first). */
static inline bool plain8(const unsigned char *s)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t w;
    memcpy(&w, s, 8);
    uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
    uint64_t hit = ((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w);
    return !(hit & high);
}

static HOT int string(reader *r, size_t *out)
{
    size_t open = r->pos++;
    size_t i = 0;
    /* A limit error points at the quote, as the others about strings do;
     * the token starts after it. */
    IDTX_TRY(push_or_fail(r, IDTX_JSON_STRING, open, &i));
    r->j->tok[i].start = (uint32_t)r->pos;
    const unsigned char *s = r->s;
    size_t p = r->pos, n = r->len;
    bool escaped = false;
    for (;;) {
        /* Plain bytes in bulk, eight at a time, then one by one: neither
         * a quote, a backslash nor a control. */
        while (p + 8 <= n && plain8(s + p))
            p += 8;
        while (p < n && !stops_string[s[p]])
            p++;
        if (p >= n)
            return fail_at(r, IDT_ESYNTAX, open, "a JSON string is not closed");
        if (s[p] == '"')
            break;
        if (s[p] < 0x20)
            return fail_at(r, IDT_ESYNTAX, p, "a control character in a JSON string");
        size_t k = escape_len(s, p, n);
        if (!k)
            return fail_at(r, IDT_ESYNTAX, p, "an invalid escape in a JSON string");
        escaped = true;
        p += k;
    }
    idtx_json_tok *t = &r->j->tok[i];
    t->escaped = escaped;
    t->len = (uint32_t)(p - r->pos);
    t->next = (uint32_t)(i + 1);
    r->pos = p + 1;
    *out = i;
    return IDT_OK;
}

static bool digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline int number(reader *r)
{
    const unsigned char *s = r->s;
    size_t start = r->pos, p = start, n = r->len;
    if (p < n && s[p] == '-')
        p++;
    if (p < n && s[p] == '0') {
        p++;
    } else if (p < n && digit(s[p])) {
        while (p < n && digit(s[p]))
            p++;
    } else {
        return fail_at(r, IDT_ESYNTAX, start, "an invalid JSON value");
    }
    if (p < n && s[p] == '.') {
        p++;
        if (p >= n || !digit(s[p]))
            return fail_at(r, IDT_ESYNTAX, p, "a JSON number needs digits after '.'");
        while (p < n && digit(s[p]))
            p++;
    }
    if (p < n && (s[p] | 0x20) == 'e') {
        p++;
        if (p < n && (s[p] == '+' || s[p] == '-'))
            p++;
        if (p >= n || !digit(s[p]))
            return fail_at(r, IDT_ESYNTAX, p, "a JSON number needs digits in its exponent");
        while (p < n && digit(s[p]))
            p++;
    }
    size_t i = 0;
    IDTX_TRY(push_or_fail(r, IDTX_JSON_NUMBER, start, &i));
    r->j->tok[i].len = (uint32_t)(p - start);
    r->j->tok[i].next = (uint32_t)(i + 1);
    r->pos = p;
    return IDT_OK;
}

static int literal(reader *r, const char *word, idtx_json_type type)
{
    size_t n = strlen(word);
    if (r->len - r->pos < n || memcmp(r->s + r->pos, word, n) != 0)
        return fail_at(r, IDT_ESYNTAX, r->pos, "an invalid JSON value");
    size_t i = 0;
    IDTX_TRY(push_or_fail(r, type, r->pos, &i));
    r->j->tok[i].len = (uint32_t)n;
    r->j->tok[i].next = (uint32_t)(i + 1);
    r->pos += n;
    return IDT_OK;
}

/* A scalar at r->pos, or the opening of a container (pushed on stack). */
static HOT int value(reader *r, uint32_t *stack, unsigned *depth, unsigned max_depth)
{
    if (r->pos >= r->len)
        return fail_at(r, IDT_ESYNTAX, r->pos, "the JSON text ends where a value should be");
    unsigned char c = r->s[r->pos];
    size_t i = 0;
    switch (c) {
    case '{':
    case '[':
        if (*depth >= max_depth)
            return fail_at(r, IDT_ELIMIT, r->pos, "the JSON text nests too deeply");
        IDTX_TRY(push_or_fail(r, c == '{' ? IDTX_JSON_OBJECT : IDTX_JSON_ARRAY, r->pos, &i));
        stack[(*depth)++] = (uint32_t)i;
        r->pos++;
        return IDT_OK;
    case '"':
        return string(r, &i);
    case 't':
        return literal(r, "true", IDTX_JSON_TRUE);
    case 'f':
        return literal(r, "false", IDTX_JSON_FALSE);
    case 'n':
        return literal(r, "null", IDTX_JSON_NULL);
    default:
        return number(r);
    }
}

static void close_container(reader *r, uint32_t *stack, unsigned *depth)
{
    idtx_json_tok *t = &r->j->tok[stack[--*depth]];
    r->pos++;
    t->len = (uint32_t)(r->pos - t->start);
    t->next = (uint32_t)r->j->ntok;
}

static char closer(const idtx_json_tok *t)
{
    return t->type == IDTX_JSON_OBJECT ? '}' : ']';
}

/* One element of the container on top: for an object its key and ':',
 * then the value; *opened tells whether the value opened a container. */
static HOT int element(reader *r, uint32_t *stack, unsigned *depth, unsigned max_depth,
                   bool *opened)
{
    if (r->j->tok[stack[*depth - 1]].type == IDTX_JSON_OBJECT) {
        skip_ws(r);
        if (r->pos >= r->len || r->s[r->pos] != '"')
            return fail_at(r, IDT_ESYNTAX, r->pos, "expected a string key in a JSON object");
        size_t k = 0;
        IDTX_TRY(string(r, &k));
        skip_ws(r);
        if (r->pos >= r->len || r->s[r->pos] != ':')
            return fail_at(r, IDT_ESYNTAX, r->pos, "expected ':' after a JSON object key");
        r->pos++;
    }
    skip_ws(r);
    unsigned before = *depth;
    IDTX_TRY(value(r, stack, depth, max_depth));
    *opened = *depth > before;
    return IDT_OK;
}

/* The grammar as a loop: after each step either a container was just
 * opened, or a value was just completed inside the container on top. */
static int run(reader *r, uint32_t *stack, unsigned max_depth)
{
    unsigned depth = 0;
    skip_ws(r);
    IDTX_TRY(value(r, stack, &depth, max_depth));
    bool opened = depth > 0;
    while (depth > 0) {
        idtx_json_tok *top = &r->j->tok[stack[depth - 1]];
        if (opened) {
            opened = false;
            skip_ws(r);
            if (r->pos < r->len && r->s[r->pos] == closer(top))
                close_container(r, stack, &depth);
            else
                IDTX_TRY(element(r, stack, &depth, max_depth, &opened));
            continue;
        }
        top->count++;
        skip_ws(r);
        if (r->pos < r->len && r->s[r->pos] == ',') {
            r->pos++;
            IDTX_TRY(element(r, stack, &depth, max_depth, &opened));
        } else if (r->pos < r->len && r->s[r->pos] == closer(top)) {
            close_container(r, stack, &depth);
        } else {
            return fail_at(r, IDT_ESYNTAX, r->pos,
                           top->type == IDTX_JSON_OBJECT
                               ? "expected ',' or '}' in a JSON object"
                               : "expected ',' or ']' in a JSON array");
        }
    }
    skip_ws(r);
    if (r->pos != r->len)
        return fail_at(r, IDT_ESYNTAX, r->pos, "text after the JSON value");
    return IDT_OK;
}

int idtx_json_parse(idtx_json *j, const char *src, size_t len, unsigned max_depth,
                    size_t max_tokens, idt_error *err)
{
    memset(j, 0, sizeof *j);
    if ((!src && len) || max_depth == 0 || max_tokens == 0)
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to the JSON reader");
    if (len >= UINT32_MAX)
        return idtx_error_set(err, IDT_ELIMIT, NULL, "the JSON text is larger than 4 GiB");
    if (max_tokens > UINT32_MAX)
        max_tokens = UINT32_MAX;
    j->src = src;
    j->len = len;
    reader r = { j, (const unsigned char *)src, len, 0, max_tokens, err };
    int rc = check_utf8(&r);
    if (rc < 0)
        return rc;
    uint32_t *stack = malloc((size_t)max_depth * sizeof *stack);
    if (!stack)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory reading JSON");
    rc = run(&r, stack, max_depth);
    free(stack);
    if (rc < 0)
        idtx_json_dispose(j);
    return rc;
}

void idtx_json_dispose(idtx_json *j)
{
    free(j->tok);
    j->tok = NULL;
    j->ntok = j->cap = 0;
}

/* Decodes string token i into dst (which has room for its raw length:
 * decoding never lengthens); returns the decoded length. */
static size_t decode_into(const idtx_json *j, size_t i, char *dst)
{
    const idtx_json_tok *t = &j->tok[i];
    const unsigned char *s = (const unsigned char *)j->src + t->start;
    size_t n = t->len, o = 0;
    if (!t->escaped) {
        memcpy(dst, s, n);
        return n;
    }
    for (size_t p = 0; p < n;) {
        if (s[p] != '\\') {
            dst[o++] = (char)s[p++];
            continue;
        }
        char c = (char)s[p + 1];
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = c != 'u' ? strchr(from, c) : NULL;
        if (k) {
            dst[o++] = to[k - from];
            p += 2;
            continue;
        }
        /* Validated by the parse, so hex4 succeeds; the zeros only tell
         * gcc -O2 (-Wmaybe-uninitialized) so. */
        unsigned u = 0, lo = 0;
        hex4(s + p + 2, &u);
        p += 6;
        if (u >= 0xD800 && u <= 0xDBFF) {
            hex4(s + p + 2, &lo);
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
        }
        o += idtx_utf8_encode(dst + o, u);
    }
    return o;
}

bool idtx_json_string_eq(const idtx_json *j, size_t i, const char *s, size_t n)
{
    if (i == IDTX_JSON_NONE || j->tok[i].type != IDTX_JSON_STRING)
        return false;
    const idtx_json_tok *t = &j->tok[i];
    if (!t->escaped)
        return t->len == n && memcmp(j->src + t->start, s, n) == 0;
    if (n > t->len)
        return false;
    char small[256];
    char *tmp = t->len <= sizeof small ? small : malloc(t->len);
    if (!tmp)
        return false;
    size_t got = decode_into(j, i, tmp);
    bool eq = got == n && memcmp(tmp, s, n) == 0;
    if (tmp != small)
        free(tmp);
    return eq;
}

size_t idtx_json_member(const idtx_json *j, size_t obj, const char *key)
{
    if (obj == IDTX_JSON_NONE || j->tok[obj].type != IDTX_JSON_OBJECT)
        return IDTX_JSON_NONE;
    size_t n = strlen(key), found = IDTX_JSON_NONE;
    size_t k = obj + 1;
    for (uint32_t m = 0; m < j->tok[obj].count; m++) {
        size_t v = k + 1;
        if (idtx_json_string_eq(j, k, key, n))
            found = v;
        k = j->tok[v].next;
    }
    return found;
}

size_t idtx_json_path(const idtx_json *j, size_t obj, const char *const *keys)
{
    for (; *keys && obj != IDTX_JSON_NONE; keys++)
        obj = idtx_json_member(j, obj, *keys);
    return obj;
}

int idtx_json_string_decode(const idtx_json *j, size_t i, idtx_buf *b, idt_error *err)
{
    if (i == IDTX_JSON_NONE || j->tok[i].type != IDTX_JSON_STRING)
        return idtx_error_set(err, IDT_EINVAL, NULL, "not a JSON string");
    const idtx_json_tok *t = &j->tok[i];
    if (t->escaped && t->len > b->max - b->len) {
        /* The escapes do not fit where the decoded text may: decode
         * aside, so that the bound is on the decoded length. */
        char *tmp = malloc(t->len);
        if (!tmp)
            return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory decoding a JSON string");
        size_t n = decode_into(j, i, tmp);
        int rc = idtx_buf_put(b, tmp, n, err);
        free(tmp);
        return rc;
    }
    IDTX_TRY(idtx_buf_reserve(b, t->len, err));
    size_t n = decode_into(j, i, b->data + b->len);
    idtx_buf_commit(b, n);
    return IDT_OK;
}

char *idtx_json_string_dup(const idtx_json *j, size_t i, size_t max, idt_error *err)
{
    idtx_buf b;
    idtx_buf_init(&b, max, "a JSON string");
    char *out = NULL;
    if (idtx_json_string_decode(j, i, &b, err) < 0 || idtx_buf_take(&b, &out, NULL, err) < 0) {
        idtx_buf_dispose(&b);
        return NULL;
    }
    return out;
}
