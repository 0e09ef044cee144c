/*
 * The TOML grammar (1.0 and 1.1) and its definition rules.
 *
 * How a table came to exist (toml_int.h, TF_*) decides what may extend it:
 *   [a.b] header      may pass through any table or the last element of an
 *                     array of tables; it may define a table only once, and
 *                     only one that is absent or was created implicitly as
 *                     the parent of another header.
 *   a.b.c = v         may pass through tables created by dotted keys, or
 *                     created implicitly by a header (which then count as
 *                     dotted, so no header may define them afterwards); never
 *                     through a [header] table, an array or an inline table.
 *   { ... }           an inline table is sealed once its brace closes.
 * These are the rules of the TOML 1.0 and 1.1 texts and of toml-test, and
 * they agree with Python's tomllib.  TOML 1.1 changes none of them; it
 * relaxes the inline table's layout (newlines, comments, a trailing comma).
 */
#include "toml_int.h"
#include "util/quote.h"

#include <stdio.h>
#include <string.h>

#define HARD_MAX_DEPTH 1024u /* recursion stays far from the stack's limit */

static inline int peek(const idt_toml__parser *p, size_t ahead)
{
    return p->pos + ahead < p->len ? (unsigned char)p->src[p->pos + ahead] : -1;
}

static int fail_depth(idt_toml__parser *p, idt_toml__pos m)
{
    return idt_toml__fail_at(p, m, IDT_ELIMIT,
                             "nesting deeper than %u levels (a limit of this parser, "
                             "set by max_depth)", p->max_depth);
}

static int oom(idt_toml__parser *p)
{
    return idtx_error_set(p->err, IDT_ENOMEM, NULL, "out of memory");
}

/* Keeps the longest key for idt_toml_doc_nesting. */
static void note_key_parts(idt_toml__parser *p, unsigned n, idt_toml__pos start)
{
    idt_toml_nesting *d = &p->doc->nesting;
    if (n > d->key_parts) {
        d->key_parts = n;
        d->key_span = idt_toml__span_from(p, start);
    }
}

/* Reads a dotted key into parts[]; returns the number of parts, or < 0. */
static int dotted_key(idt_toml__parser *p, idt_toml__keypart *parts)
{
    idt_toml__pos start = idt_toml__mark(p);
    unsigned n = 0;
    for (;;) {
        if (n == p->max_depth)
            return fail_depth(p, idt_toml__mark(p));
        IDTX_TRY(idt_toml__key(p, &parts[n]));
        n++;
        size_t end = p->pos;
        idt_toml__skip_ws(p);
        if (peek(p, 0) != '.') {
            size_t after = p->pos;
            p->pos = end; /* the span ends with the last part, not the blanks */
            note_key_parts(p, n, start);
            p->pos = after;
            return (int)n;
        }
        p->pos++;
        idt_toml__skip_ws(p);
    }
}

/* Reports that key k clashes with entry e, which is already defined. */
static int fail_redefined(idt_toml__parser *p, const idt_toml__keypart *k, const idt_toml_entry *e,
                          const char *what, const char *rule)
{
    char kb[IDTX_QUOTE_MAX];
    idt_toml__pos m = { k->span.offset, k->span.line, k->span.column };
    return idt_toml__fail_at(p, m, IDT_ESYNTAX, "%s %s (%s, first defined at %u:%u; TOML: %s)",
                             what, idtx_quote(kb, k->ptr, k->len),
                             idt_toml_type_name(e->value->type), (unsigned)e->key_span.line,
                             (unsigned)e->key_span.column, rule);
}

/* Creates table k in t with the given flags. */
static int add_table(idt_toml__parser *p, idt_toml_value **out, idt_toml_value *t,
                     const idt_toml__keypart *k, uint32_t flags)
{
    uint32_t depth = node_depth(t) + 1;
    idt_toml__pos m = { k->span.offset, k->span.line, k->span.column };
    if (depth > p->max_depth)
        return fail_depth(p, m);
    idt_toml_value *n = idt_toml__new_table(p, flags, depth);
    if (!n)
        return oom(p);
    n->span = k->span;
    *out = n;
    return idt_toml__insert(p, t, k, n);
}

/* Walks a dotted key's parent parts from t, creating dotted tables. */
static int walk_dotted(idt_toml__parser *p, idt_toml_value **t, const idt_toml__keypart *parts,
                       int n)
{
    for (int i = 0; i < n; i++) {
        idt_toml_entry *e = idt_toml__find(*t, parts[i].ptr, parts[i].len);
        if (!e) {
            IDTX_TRY(add_table(p, t, *t, &parts[i], TF_DOTTED));
            continue;
        }
        idt_toml_value *v = e->value;
        uint32_t f = v->internal_flags & TF_MASK;
        if (v->type != IDT_TOML_TABLE)
            return fail_redefined(p, &parts[i], e, "cannot add keys to", "a dotted key cannot "
                                                   "extend a value that is not a table");
        if (f & TF_INLINE)
            return fail_redefined(p, &parts[i], e, "cannot add keys to",
                                  "an inline table cannot be extended");
        if (!(f & (TF_DOTTED | TF_IMPLICIT)))
            return fail_redefined(p, &parts[i], e, "cannot add keys to", "a dotted key cannot "
                                                   "add to a table defined by a [header]");
        v->internal_flags = (v->internal_flags & ~(uint32_t)TF_MASK) | TF_DOTTED;
        *t = v;
    }
    return IDT_OK;
}

static int value(idt_toml__parser *p, uint32_t depth, idt_toml_value **out);

/* key = value, added to table t (a section's table or an inline table). */
static int keyval(idt_toml__parser *p, idt_toml_value *t)
{
    idt_toml__keypart *parts = p->parts;
    int n = dotted_key(p, parts);
    if (n < 0)
        return n;
    if (peek(p, 0) != '=')
        return idt_toml__fail(p, "expected '=' after the key");
    p->pos++;
    idt_toml__skip_ws(p);
    IDTX_TRY(walk_dotted(p, &t, parts, n - 1));
    /* The value may hold inline tables that reuse p->parts: keep our key. */
    idt_toml__keypart last = parts[n - 1];
    idt_toml_entry *dup = idt_toml__find(t, last.ptr, last.len);
    if (dup)
        return fail_redefined(p, &last, dup, "duplicate key", "a key may be defined only once");
    idt_toml_value *v;
    IDTX_TRY(value(p, node_depth(t), &v));
    return idt_toml__insert(p, t, &last, v);
}

static int array(idt_toml__parser *p, idt_toml_value *a, uint32_t depth)
{
    p->pos++; /* [ */
    for (;;) {
        IDTX_TRY(idt_toml__skip_ws_nl(p));
        if (peek(p, 0) == ']')
            break;
        if (p->pos >= p->len)
            return idt_toml__fail(p, "unterminated array (expected a value or ']')");
        idt_toml_value *item;
        IDTX_TRY(value(p, depth, &item));
        IDTX_TRY(idt_toml__array_push(p, a, item));
        IDTX_TRY(idt_toml__skip_ws_nl(p));
        if (peek(p, 0) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p, 0) == ']')
            break;
        if (p->pos >= p->len)
            return idt_toml__fail(p, "unterminated array (expected ',' or ']')");
        return idt_toml__fail(p, "expected ',' or ']' in an array");
    }
    p->pos++;
    return IDT_OK;
}

/* TOML 1.0: only spaces and tabs inside an inline table; TOML 1.1 also
 * takes newlines and comments, which are recorded as 1.1 syntax. */
static int inline_gap(idt_toml__parser *p)
{
    idt_toml__skip_ws(p);
    int c = peek(p, 0);
    if (c != '\n' && c != '\r' && c != '#')
        return IDT_OK;
    if (!p->v11)
        return idt_toml__fail(p, c == '#' ? "comments are not allowed inside an inline table "
                                            "(TOML 1.0; TOML 1.1 allows them)"
                                          : "newlines are not allowed inside an inline table "
                                            "(TOML 1.0; TOML 1.1 allows them)");
    idt_toml__note_v11(p, IDT_TOML_FEATURE_INLINE_NEWLINE, idt_toml__mark(p), 1);
    return idt_toml__skip_ws_nl(p);
}

static int inline_table(idt_toml__parser *p, idt_toml_value *t)
{
    p->pos++; /* { */
    IDTX_TRY(inline_gap(p));
    if (peek(p, 0) == '}') {
        p->pos++;
        return IDT_OK;
    }
    for (;;) {
        IDTX_TRY(keyval(p, t));
        IDTX_TRY(inline_gap(p));
        int c = peek(p, 0);
        if (c == '}') {
            p->pos++;
            return IDT_OK;
        }
        if (c == ',') {
            idt_toml__pos comma = idt_toml__mark(p);
            p->pos++;
            IDTX_TRY(inline_gap(p));
            if (peek(p, 0) != '}')
                continue;
            if (!p->v11)
                return idt_toml__fail_at(p, comma, IDT_ESYNTAX,
                                         "a trailing comma is not allowed in an inline table "
                                         "(TOML 1.0; TOML 1.1 allows it)");
            idt_toml__note_v11(p, IDT_TOML_FEATURE_INLINE_TRAILING_COMMA, comma, 1);
            p->pos++;
            return IDT_OK;
        }
        if (c < 0)
            return idt_toml__fail(p, "unterminated inline table (expected '}')");
        return idt_toml__fail(p, "expected ',' or '}' in an inline table");
    }
}

/* Counts one more array or inline table open, as the toml crate does. */
static void enter_value(idt_toml__parser *p, idt_toml__pos m)
{
    idt_toml_nesting *n = &p->doc->nesting;
    if (++p->value_depth > n->value_depth) {
        n->value_depth = p->value_depth;
        n->value_span = idt_toml__span_at(p, m, 1);
    }
}

/*
 * Reads a value into a new node.  `depth` is the depth of the container;
 * arrays and inline tables nest one deeper and are bounded by max_depth
 * before the recursion, so the stack is bounded too.
 */
static int value(idt_toml__parser *p, uint32_t depth, idt_toml_value **out)
{
    idt_toml__pos m = idt_toml__mark(p);
    int c = peek(p, 0);
    idt_toml_value *v;
    if (c == '[' || c == '{') {
        if (depth + 1 > p->max_depth)
            return fail_depth(p, m);
        enter_value(p, m);
        if (c == '[') {
            v = idt_toml__new_value(p, IDT_TOML_ARRAY, m);
            if (!v)
                return oom(p);
            v->internal_flags = (depth + 1) << DEPTH_SHIFT;
            IDTX_TRY(array(p, v, depth + 1));
        } else {
            v = idt_toml__new_table(p, TF_DOTTED, depth + 1);
            if (!v)
                return oom(p);
            IDTX_TRY(inline_table(p, v));
            v->internal_flags = (v->internal_flags & ~(uint32_t)TF_MASK) | TF_INLINE;
        }
        p->value_depth--;
    } else {
        v = idt_toml__new_value(p, IDT_TOML_STRING, m);
        if (!v)
            return oom(p);
        if (c == '"' || c == '\'')
            IDTX_TRY(idt_toml__string(p, v));
        else
            IDTX_TRY(idt_toml__scalar(p, v));
    }
    v->span = idt_toml__span_from(p, m);
    *out = v;
    return IDT_OK;
}

/* Resolves the parent parts of a [header] from the root. */
static int walk_header(idt_toml__parser *p, idt_toml_value **t, const idt_toml__keypart *parts,
                       int n)
{
    for (int i = 0; i < n; i++) {
        idt_toml_entry *e = idt_toml__find(*t, parts[i].ptr, parts[i].len);
        if (!e) {
            IDTX_TRY(add_table(p, t, *t, &parts[i], TF_IMPLICIT));
            continue;
        }
        idt_toml_value *v = e->value;
        uint32_t f = v->internal_flags & TF_MASK;
        if (v->type == IDT_TOML_ARRAY && (f & AF_TABLES)) {
            *t = v->as.array.items[v->as.array.count - 1];
        } else if (v->type == IDT_TOML_TABLE && !(f & TF_INLINE)) {
            *t = v;
        } else {
            return fail_redefined(p, &parts[i], e, "cannot extend", v->type == IDT_TOML_TABLE
                                  ? "an inline table cannot be extended"
                                  : "a [header] cannot extend a value that is not a table");
        }
    }
    return IDT_OK;
}

static int define_table(idt_toml__parser *p, idt_toml_value *t, const idt_toml__keypart *k,
                        idt_span hdr)
{
    idt_toml_entry *e = idt_toml__find(t, k->ptr, k->len);
    idt_toml_value *v;
    if (!e) {
        IDTX_TRY(add_table(p, &v, t, k, TF_HEADER));
    } else if (e->value->type == IDT_TOML_TABLE &&
               (e->value->internal_flags & TF_MASK) == TF_IMPLICIT) {
        v = e->value;
        v->internal_flags = (v->internal_flags & ~(uint32_t)TF_MASK) | TF_HEADER;
    } else {
        return fail_redefined(p, k, e, "cannot define table", "a table may be defined only once");
    }
    v->span = hdr;
    p->current = v;
    return IDT_OK;
}

static int append_table(idt_toml__parser *p, idt_toml_value *t, const idt_toml__keypart *k,
                        idt_span hdr)
{
    idt_toml_entry *e = idt_toml__find(t, k->ptr, k->len);
    idt_toml_value *a;
    if (!e) {
        uint32_t depth = node_depth(t) + 1;
        idt_toml__pos m = { k->span.offset, k->span.line, k->span.column };
        if (depth + 1 > p->max_depth)
            return fail_depth(p, m);
        a = idt_toml__new_value(p, IDT_TOML_ARRAY, m);
        if (!a)
            return oom(p);
        a->internal_flags = AF_TABLES | (depth << DEPTH_SHIFT);
        a->span = hdr;
        IDTX_TRY(idt_toml__insert(p, t, k, a));
    } else if (e->value->type == IDT_TOML_ARRAY && (e->value->internal_flags & AF_TABLES)) {
        a = e->value;
    } else {
        return fail_redefined(p, k, e, "cannot append a table to", "[[array]] extends only "
                                       "an array of tables");
    }
    idt_toml_value *elem = idt_toml__new_table(p, TF_HEADER, node_depth(a) + 1);
    if (!elem)
        return oom(p);
    elem->span = hdr;
    IDTX_TRY(idt_toml__array_push(p, a, elem));
    p->current = elem;
    return IDT_OK;
}

static int header(idt_toml__parser *p, idt_toml_value *root)
{
    idt_toml__keypart *parts = p->parts;
    idt_toml__pos m = idt_toml__mark(p);
    bool aot = peek(p, 1) == '[';
    p->pos += aot ? 2 : 1;
    idt_toml__skip_ws(p);
    int n = dotted_key(p, parts);
    if (n < 0)
        return n;
    if (peek(p, 0) != ']' || (aot && peek(p, 1) != ']'))
        return idt_toml__fail(p, aot ? "expected ']]' to close the array-of-tables header"
                                     : "expected ']' to close the table header");
    p->pos += aot ? 2 : 1;
    idt_span hdr = idt_toml__span_from(p, m);
    idt_toml_value *t = root;
    IDTX_TRY(walk_header(p, &t, parts, n - 1));
    return aot ? append_table(p, t, &parts[n - 1], hdr)
               : define_table(p, t, &parts[n - 1], hdr);
}

static int document(idt_toml__parser *p, idt_toml_value *root)
{
    p->parts = idtx_arena_alloc(p->arena, sizeof(idt_toml__keypart) * p->max_depth);
    if (!p->parts)
        return oom(p);
    if (p->len >= 3 && memcmp(p->src, "\xef\xbb\xbf", 3) == 0)
        p->pos = p->line_start = 3; /* a UTF-8 byte order mark */
    while (p->pos < p->len) {
        idt_toml__skip_ws(p);
        int c = peek(p, 0);
        if (c == '[')
            IDTX_TRY(header(p, root));
        else if (c != '#' && c != '\n' && c != '\r' && c >= 0)
            IDTX_TRY(keyval(p, p->current));
        IDTX_TRY(idt_toml__end_of_line(p));
    }
    return IDT_OK;
}

int idt_toml_parse(idt_toml_doc **out, const char *src, size_t len,
                   const idt_toml_options *opts, idt_error *err)
{
    idt_toml_options o = IDT_TOML_OPTIONS_INIT;
    if (!out || (!src && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_toml_parse: NULL argument");
    *out = NULL;
    if (opts && opts->version == 1) {
        /* A version 1 struct ends before spec: read only its fields. */
        o.max_size = opts->max_size;
        o.max_depth = opts->max_depth;
    } else if (opts && opts->version == 2) {
        /* Version 2 ends before flags. */
        o.max_size = opts->max_size;
        o.max_depth = opts->max_depth;
        o.spec = opts->spec;
    } else if (opts && opts->version == IDT_TOML_OPTIONS_VERSION) {
        o = *opts;
    } else if (opts) {
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_toml_parse: unknown options version %u",
                              opts->version);
    }
    if (!idt_toml_spec_name(o.spec))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_toml_parse: unknown TOML spec %d",
                              (int)o.spec);
    opts = &o;
    if (len > opts->max_size)
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "document of %zu bytes is larger than the limit of %zu bytes",
                              len, opts->max_size);
    idtx_arena arena = IDTX_ARENA_INIT;
    idt_toml__parser p = { 0 };
    p.src = src ? src : "";
    p.len = len;
    p.line = 1;
    p.max_depth = opts->max_depth < 1 ? 1 : opts->max_depth > HARD_MAX_DEPTH ? HARD_MAX_DEPTH
                                                                             : opts->max_depth;
    p.arena = &arena;
    p.err = err;
    p.v11 = opts->spec == IDT_TOML_1_1;
    p.borrow = (opts->flags & IDT_TOML_BORROW) != 0;
    idt_toml_doc *doc = idtx_arena_alloc(&arena, sizeof *doc);
    idt_toml_value *root = idt_toml__new_table(&p, TF_HEADER, 0);
    if (!doc || !root) {
        idtx_arena_dispose(&arena);
        return oom(&p);
    }
    memset(doc, 0, sizeof *doc);
    p.doc = doc;
    root->span = (idt_span){ 0, len, 1, 1 };
    p.current = root;
    int rc = document(&p, root);
    if (rc < 0) {
        idtx_arena_dispose(&arena);
        return rc;
    }
    doc->root = root;
    doc->arena = arena;
    *out = doc;
    return IDT_OK;
}
