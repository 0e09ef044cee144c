/*
 * Internals of the TOML 1.0/1.1 parser.  See docs/DESIGN.md for the overview.
 *
 * The parser is a single pass over the bytes: a scanner (scan.c) reads
 * keys, strings and whitespace; scalar.c reads numbers, booleans and
 * date-times; tree.c owns tables and arrays; parse.c applies the grammar
 * and the definition rules.  All memory comes from the document's arena.
 * Shared names are idt_toml__*; the table flags carry the short tags TF_
 * and AF_ (docs/CONVENTIONS.md).
 */
#ifndef IDT_TOML_INT_H
#define IDT_TOML_INT_H

#include "initdata/toml.h"
#include "util/arena.h"
#include "util/error_int.h"

/* Table flags (idt_toml_value.internal_flags, low byte).  They encode how a
 * table came to exist, which decides what may later extend it. */
enum {
    TF_IMPLICIT = 1 << 0, /* parent of a [header]; a [header] may still define it */
    TF_HEADER = 1 << 1,   /* defined by [header] or as an [[array]] element */
    TF_DOTTED = 1 << 2,   /* created by a dotted key (see `section`) */
    TF_INLINE = 1 << 3,   /* an inline table: sealed, nothing may extend it */
    AF_TABLES = 1 << 4,   /* an array of tables, appendable by [[header]] */
    TF_MASK = 0xff
};
/* The nesting depth of a node lives above the flags. */
#define DEPTH_SHIFT 8
#define node_depth(v) ((v)->internal_flags >> DEPTH_SHIFT)

/* A parsed document: the arena that owns every node, the root, and what
 * the parse measured for callers that must say who rejects it. */
struct idt_toml_doc {
    idtx_arena arena;
    idt_toml_value *root;
    idt_toml_nesting nesting;
    size_t v11_total;
    size_t v11_count;
    idt_toml_feature_use v11[IDT_TOML_FEATURE_USES_MAX];
};

/* A position in the source, captured before a token is read. */
typedef struct idt_toml__pos {
    size_t offset;
    uint32_t line, column;
} idt_toml__pos;

/* Spare vector blocks (tree.c): per kind, lists by capacity 4 << k. */
enum { IDT_TOML__SPARE_ENTRIES, IDT_TOML__SPARE_ITEMS, IDT_TOML__SPARE_KINDS };
#define IDT_TOML__SPARE_CLASSES 16

typedef struct idt_toml__parser {
    const char *src;
    size_t len;
    size_t pos;
    uint32_t line;       /* line of src[pos] */
    size_t line_start;   /* offset of the first byte of that line */
    unsigned max_depth;
    idtx_arena *arena;
    idt_error *err;
    idt_toml_value *current; /* the table keys are added to */
    struct idt_toml__keypart *parts;   /* max_depth slots for the parts of a dotted key */
    bool v11;                /* TOML 1.1 syntax is allowed */
    bool borrow;             /* IDT_TOML_BORROW: plain string values point into src */
    unsigned value_depth;    /* arrays and inline tables open right now */
    idt_toml_doc *doc;       /* receives the nesting and the 1.1 uses */
    void *spare[IDT_TOML__SPARE_KINDS][IDT_TOML__SPARE_CLASSES]; /* tree.c */
} idt_toml__parser;

/* One part of a key, decoded. */
typedef struct idt_toml__keypart {
    const char *ptr;
    size_t len;
    idt_span span;
} idt_toml__keypart;

/* ---- scan.c ---- */
/* Positions: inline, since every token takes one. */
static inline idt_toml__pos idt_toml__mark(const idt_toml__parser *p)
{
    idt_toml__pos m = { p->pos, p->line, (uint32_t)(p->pos - p->line_start + 1) };
    return m;
}

static inline idt_span idt_toml__span_at(const idt_toml__parser *p, idt_toml__pos m,
                                         size_t len)
{
    (void)p;
    idt_span s = { m.offset, len, m.line, m.column };
    return s;
}

static inline idt_span idt_toml__span_from(const idt_toml__parser *p, idt_toml__pos m)
{
    return idt_toml__span_at(p, m, p->pos - m.offset);
}

static inline void idt_toml__skip_ws(idt_toml__parser *p)
{
    while (p->pos < p->len && (p->src[p->pos] == ' ' || p->src[p->pos] == '\t'))
        p->pos++;
}
/* Records a syntax error at the current position / at m. */
int idt_toml__fail(idt_toml__parser *p, const char *fmt, ...) IDTX_PRINTF(2, 3);
int idt_toml__fail_at(idt_toml__parser *p, idt_toml__pos m, int code, const char *fmt, ...)
    IDTX_PRINTF(4, 5);
/* Skips whitespace, comments and newlines (inside arrays). */
int idt_toml__skip_ws_nl(idt_toml__parser *p);
/* Consumes an optional comment, then requires a newline or the end. */
int idt_toml__end_of_line(idt_toml__parser *p);
int idt_toml__newline(idt_toml__parser *p); /* consumes LF or CRLF at pos */
int idt_toml__key(idt_toml__parser *p, idt_toml__keypart *out);
/* Records a use of 1.1-only syntax at m, len bytes long. */
void idt_toml__note_v11(idt_toml__parser *p, idt_toml_feature f, idt_toml__pos m, size_t len);
int idt_toml__string(idt_toml__parser *p, idt_toml_value *v);

/* ---- scalar.c ---- */
int idt_toml__scalar(idt_toml__parser *p, idt_toml_value *v);

/* ---- tree.c ---- */
idt_toml_value *idt_toml__new_value(idt_toml__parser *p, idt_toml_type type, idt_toml__pos at);
idt_toml_value *idt_toml__new_table(idt_toml__parser *p, uint32_t flags, uint32_t depth);
idt_toml_entry *idt_toml__find(const idt_toml_value *t, const char *key, size_t len);
/* Adds key -> value to table t (the key must be absent). */
int idt_toml__insert(idt_toml__parser *p, idt_toml_value *t, const idt_toml__keypart *k,
                     idt_toml_value *v);
int idt_toml__array_push(idt_toml__parser *p, idt_toml_value *a, idt_toml_value *v);

#endif
