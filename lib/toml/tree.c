/*
 * The document tree: value nodes, tables with a hash index, arrays, and the
 * read-only public accessors.  Tables keep entries in document order; once
 * a table holds more than a few keys an open-addressing index (linear
 * probing, load factor at most 1/2) makes lookups O(1), so a table with a
 * hundred thousand keys parses in linear time.
 */
#include "toml_int.h"

#include <stdio.h>
#include <string.h>

#define INDEX_MIN 8 /* below this a linear scan is faster than hashing */

typedef struct table_index {
    uint32_t mask;
    uint32_t slots[]; /* entry position + 1; 0 = empty */
} table_index;

static uint32_t hash_key(const char *k, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 16777619u;
    return h;
}

static int oom(idt_toml__parser *p)
{
    return idtx_error_set(p->err, IDT_ENOMEM, NULL, "out of memory");
}

idt_toml_value *idt_toml__new_value(idt_toml__parser *p, idt_toml_type type, idt_toml__pos at)
{
    idt_toml_value *v = idtx_arena_alloc(p->arena, sizeof *v);
    if (!v) {
        oom(p);
        return NULL;
    }
    memset(v, 0, sizeof *v);
    v->type = type;
    v->span = idt_toml__span_at(p, at, 0);
    return v;
}

idt_toml_value *idt_toml__new_table(idt_toml__parser *p, uint32_t flags, uint32_t depth)
{
    idt_toml_value *t = idtx_arena_alloc(p->arena, sizeof *t);
    if (!t) {
        oom(p);
        return NULL;
    }
    memset(t, 0, sizeof *t);
    t->type = IDT_TOML_TABLE;
    t->internal_flags = flags | (depth << DEPTH_SHIFT);
    return t;
}

static void index_put(table_index *ix, const idt_toml_entry *e, uint32_t pos)
{
    uint32_t i = hash_key(e->key, e->key_len) & ix->mask;
    while (ix->slots[i])
        i = (i + 1) & ix->mask;
    ix->slots[i] = pos + 1;
}

static int index_rebuild(idt_toml__parser *p, idt_toml_value *t, size_t want)
{
    /* Room for twice as many keys as now, at a load of at most 1/2, so
     * that rebuilds happen only when the count doubles. */
    size_t size = 64; /* a table of up to 32 keys, as most are, indexes once */
    while (size < want * 4)
        size *= 2;
    if (size > UINT32_MAX)
        return idtx_error_set(p->err, IDT_ELIMIT, NULL, "too many keys in one table");
    table_index *ix = idtx_arena_alloc(p->arena, sizeof *ix + size * sizeof(uint32_t));
    if (!ix)
        return oom(p);
    ix->mask = (uint32_t)size - 1;
    memset(ix->slots, 0, size * sizeof(uint32_t));
    for (size_t i = 0; i < t->as.table.count; i++)
        index_put(ix, &t->as.table.entries[i], (uint32_t)i);
    t->internal_index = ix;
    return IDT_OK;
}

idt_toml_entry *idt_toml__find(const idt_toml_value *t, const char *key, size_t len)
{
    idt_toml_entry *es = t->as.table.entries;
    const table_index *ix = t->internal_index;
    if (!ix) {
        for (size_t i = 0; i < t->as.table.count; i++)
            if (es[i].key_len == len && memcmp(es[i].key, key, len) == 0)
                return &es[i];
        return NULL;
    }
    for (uint32_t i = hash_key(key, len) & ix->mask; ix->slots[i]; i = (i + 1) & ix->mask) {
        idt_toml_entry *e = &es[ix->slots[i] - 1];
        if (e->key_len == len && memcmp(e->key, key, len) == 0)
            return e;
    }
    return NULL;
}

/* Size classes of the spare lists: capacities 4 << k. */
static unsigned size_class(size_t cap)
{
    unsigned k = 0;
    while (k + 1 < IDT_TOML__SPARE_CLASSES && ((size_t)4 << k) < cap)
        k++;
    return k;
}

/* Grows a vector kept in the arena (kind: IDT_TOML__SPARE_ENTRIES or
 * _ITEMS).  The old block goes onto a spare list by its capacity, and the
 * next vector of that kind to need that capacity takes it, so the blocks
 * that growing by doubling leaves behind are reused rather than written
 * anew for every table (a document of many 20-key tables would otherwise
 * fill three times the memory its entries need). */
static void *grow(idt_toml__parser *p, int kind, void *old, size_t count, uint32_t *cap,
                  size_t elem)
{
    size_t ncap = *cap ? (size_t)*cap * 2 : 4;
    if (ncap > UINT32_MAX || ncap > SIZE_MAX / elem) {
        idtx_error_set(p->err, IDT_ELIMIT, NULL, "too many elements in one table or array");
        return NULL;
    }
    void **spare = p->spare[kind];
    unsigned k = size_class(ncap);
    void *n;
    if (((size_t)4 << k) == ncap && spare[k]) {
        n = spare[k];
        memcpy(&spare[k], n, sizeof(void *)); /* the list's next block */
    } else if (!(n = idtx_arena_alloc(p->arena, ncap * elem))) {
        oom(p);
        return NULL;
    }
    if (count)
        memcpy(n, old, count * elem);
    if (old && ((size_t)4 << (k = size_class(*cap))) == *cap) {
        memcpy(old, &spare[k], sizeof(void *)); /* every block holds a pointer */
        spare[k] = old;
    }
    *cap = (uint32_t)ncap;
    return n;
}

int idt_toml__insert(idt_toml__parser *p, idt_toml_value *t, const idt_toml__keypart *k,
                     idt_toml_value *v)
{
    size_t n = t->as.table.count;
    if (n == t->internal_cap) {
        idt_toml_entry *es = grow(p, IDT_TOML__SPARE_ENTRIES, t->as.table.entries, n,
                                  &t->internal_cap, sizeof *es);
        if (!es)
            return p->err ? p->err->code : IDT_ENOMEM;
        t->as.table.entries = es;
    }
    idt_toml_entry *e = &t->as.table.entries[n];
    e->key = k->ptr;
    e->key_len = k->len;
    e->key_span = k->span;
    e->value = v;
    t->as.table.count = n + 1;
    table_index *ix = t->internal_index;
    if (ix && (n + 1) * 2 <= (size_t)ix->mask + 1)
        index_put(ix, e, (uint32_t)n);
    else if (n + 1 >= INDEX_MIN)
        IDTX_TRY(index_rebuild(p, t, n + 1));
    return IDT_OK;
}

int idt_toml__array_push(idt_toml__parser *p, idt_toml_value *a, idt_toml_value *v)
{
    size_t n = a->as.array.count;
    if (n == a->internal_cap) {
        idt_toml_value **items = grow(p, IDT_TOML__SPARE_ITEMS, a->as.array.items, n,
                                      &a->internal_cap, sizeof *items);
        if (!items)
            return p->err ? p->err->code : IDT_ENOMEM;
        a->as.array.items = items;
    }
    a->as.array.items[n] = v;
    a->as.array.count = n + 1;
    return IDT_OK;
}

/* ---- public accessors ------------------------------------------------------ */

void idt_toml_doc_free(idt_toml_doc *doc)
{
    if (!doc)
        return;
    idtx_arena arena = doc->arena; /* doc itself lives in its arena */
    idtx_arena_dispose(&arena);
}

const idt_toml_value *idt_toml_doc_root(const idt_toml_doc *doc)
{
    return doc ? doc->root : NULL;
}

const idt_toml_feature_use *idt_toml_doc_v11_uses(const idt_toml_doc *doc, size_t *count,
                                                   size_t *total)
{
    size_t n = doc ? doc->v11_count : 0;
    if (count)
        *count = n;
    if (total)
        *total = doc ? doc->v11_total : 0;
    return n ? doc->v11 : NULL;
}

void idt_toml_doc_nesting(const idt_toml_doc *doc, idt_toml_nesting *out)
{
    static const idt_toml_nesting none;
    if (out)
        *out = doc ? doc->nesting : none;
}

const char *idt_toml_spec_name(idt_toml_spec spec)
{
    switch (spec) {
    case IDT_TOML_1_0: return "1.0";
    case IDT_TOML_1_1: return "1.1";
    }
    return NULL;
}

int idt_toml_spec_parse(idt_toml_spec *out, const char *text, size_t len, idt_error *err)
{
    static const idt_toml_spec specs[] = { IDT_TOML_1_0, IDT_TOML_1_1 };
    for (size_t i = 0; out && text && i < sizeof specs / sizeof specs[0]; i++) {
        const char *name = idt_toml_spec_name(specs[i]);
        if (len == strlen(name) && memcmp(text, name, len) == 0) {
            *out = specs[i];
            return IDT_OK;
        }
    }
    return idtx_error_set(err, IDT_EINVAL, NULL,
                          "unknown TOML version \"%.*s\" (known: 1.0, 1.1)",
                          text && len < 32 ? (int)len : 0, text ? text : "");
}

const char *idt_toml_feature_name(idt_toml_feature feature)
{
    switch (feature) {
    case IDT_TOML_FEATURE_ESCAPE_E: return "the escape \\e";
    case IDT_TOML_FEATURE_ESCAPE_X: return "a \\xHH escape";
    case IDT_TOML_FEATURE_INLINE_NEWLINE: return "a newline or comment inside an inline table";
    case IDT_TOML_FEATURE_INLINE_TRAILING_COMMA: return "a trailing comma in an inline table";
    case IDT_TOML_FEATURE_TIME_NO_SECONDS: return "a time without seconds";
    }
    return NULL;
}

const idt_toml_entry *idt_toml_table_get(const idt_toml_value *table, const char *key,
                                         size_t key_len)
{
    if (!table || table->type != IDT_TOML_TABLE || (!key && key_len))
        return NULL;
    return idt_toml__find(table, key ? key : "", key_len);
}

const char *idt_toml_type_name(idt_toml_type type)
{
    switch (type) {
    case IDT_TOML_TABLE: return "table";
    case IDT_TOML_ARRAY: return "array";
    case IDT_TOML_STRING: return "string";
    case IDT_TOML_INTEGER: return "integer";
    case IDT_TOML_FLOAT: return "float";
    case IDT_TOML_BOOL: return "bool";
    case IDT_TOML_DATETIME: return "datetime";
    case IDT_TOML_DATETIME_LOCAL: return "datetime-local";
    case IDT_TOML_DATE_LOCAL: return "date-local";
    case IDT_TOML_TIME_LOCAL: return "time-local";
    }
    return "unknown";
}

const char *idt_toml_type_phrase(idt_toml_type type)
{
    switch (type) {
    case IDT_TOML_TABLE: return "a table";
    case IDT_TOML_ARRAY: return "an array";
    case IDT_TOML_STRING: return "a string";
    case IDT_TOML_INTEGER: return "an integer";
    case IDT_TOML_FLOAT: return "a float";
    case IDT_TOML_BOOL: return "a boolean";
    case IDT_TOML_DATETIME: return "an offset date-time";
    case IDT_TOML_DATETIME_LOCAL: return "a local date-time";
    case IDT_TOML_DATE_LOCAL: return "a local date";
    case IDT_TOML_TIME_LOCAL: return "a local time";
    }
    return "an unknown value";
}

int idt_toml_datetime_format(char *buf, size_t cap, const idt_toml_value *v)
{
    if (!v || v->type < IDT_TOML_DATETIME || v->type > IDT_TOML_TIME_LOCAL)
        return -1;
    const idt_toml_datetime *d = &v->as.datetime;
    char date[48] = "", time[64] = "", off[32] = "";
    if (v->type != IDT_TOML_TIME_LOCAL)
        snprintf(date, sizeof date, "%04d-%02d-%02d", d->year, d->month, d->day);
    if (v->type != IDT_TOML_DATE_LOCAL) {
        int n = snprintf(time, sizeof time, "%s%02d:%02d:%02d",
                         v->type == IDT_TOML_TIME_LOCAL ? "" : "T", d->hour, d->minute,
                         d->second);
        if (d->frac_digits > 0) {
            char frac[16];
            snprintf(frac, sizeof frac, "%09u", (unsigned)d->nanosecond);
            snprintf(time + n, sizeof time - (size_t)n, ".%.*s", d->frac_digits, frac);
        }
    }
    if (v->type == IDT_TOML_DATETIME) {
        int m = d->offset_minutes < 0 ? -d->offset_minutes : d->offset_minutes;
        if (m == 0)
            snprintf(off, sizeof off, "Z");
        else
            snprintf(off, sizeof off, "%c%02d:%02d", d->offset_minutes < 0 ? '-' : '+',
                     m / 60, m % 60);
    }
    return snprintf(buf, cap, "%s%s%s", date, time, off);
}
