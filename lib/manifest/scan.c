/* The scan: libyaml events to a pruned node tree (manifest_int.h). */
#include "manifest_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* One open collection (or the document) while events stream in. */
typedef struct frame {
    idt_manifest__node *node;  /* the collection; for a pruned frame, the summary node
                       of the outermost unread collection (shared) */
    uint8_t state;  /* what its children are; MF_PRUNED: nothing is kept */
    bool is_map;
    bool flow;      /* a flow collection: its end event marks its last byte */
    bool want_key;  /* mappings: the next child is a key */
    idt_manifest__node *key;   /* mappings: the key waiting for its value */
    size_t items;   /* sequences: children so far */
} frame;

typedef struct scanner {
    idt_manifest *m;
    yaml_parser_t parser;
    frame *stack;
    size_t depth, cap;
    size_t document;  /* index of the current document */
    idt_error *err;
} scanner;

static size_t byte_of(scanner *sc, const yaml_mark_t *mk)
{
    return idt_manifest__byte_of(&sc->m->map, mk->index);
}

static int fail_mark(scanner *sc, int code, const yaml_mark_t *mk, const char *fmt, ...)
    IDTX_PRINTF(4, 5);

static int fail_mark(scanner *sc, int code, const yaml_mark_t *mk, const char *fmt, ...)
{
    size_t at = byte_of(sc, mk);
    idt_span sp = idt_manifest__span(sc->m->text, sc->m->len, at, at, mk->line);
    va_list ap;
    va_start(ap, fmt);
    int rc = idtx_error_vset(sc->err, code, &sp, fmt, ap);
    va_end(ap);
    return rc;
}

/* --- keys and states ----------------------------------------------------- */

static const struct {
    const char *name;
    uint8_t id;
} key_names[] = {
    { "kind", MF_K_KIND },
    { "metadata", MF_K_METADATA },
    { "spec", MF_K_SPEC },
    { "template", MF_K_TEMPLATE },
    { "jobTemplate", MF_K_JOBTEMPLATE },
    { "items", MF_K_ITEMS },
    { "name", MF_K_NAME },
    { "annotations", MF_K_ANNOTATIONS },
    { "runtimeClassName", MF_K_RUNTIMECLASS },
    { IDT_MANIFEST_KEY_CURRENT_NAME, MF_K_CURRENT },
    { IDT_MANIFEST_KEY_LEGACY_NAME, MF_K_LEGACY },
};

/* Keys each kind of mapping reads, as a mask of idt_manifest__key bits. */
static uint32_t keys_of(idt_manifest__state st)
{
#define B(k) (1u << (k))
    switch (st) {
    case MF_OBJ:
        return B(MF_K_KIND) | B(MF_K_METADATA) | B(MF_K_SPEC) | B(MF_K_TEMPLATE) | B(MF_K_ITEMS);
    case MF_ITEM:
        return B(MF_K_KIND) | B(MF_K_METADATA) | B(MF_K_SPEC) | B(MF_K_TEMPLATE);
    case MF_META:
        return B(MF_K_NAME) | B(MF_K_ANNOTATIONS);
    case MF_ANN:
        return B(MF_K_CURRENT) | B(MF_K_LEGACY);
    case MF_SPEC:
        return B(MF_K_TEMPLATE) | B(MF_K_JOBTEMPLATE) | B(MF_K_RUNTIMECLASS);
    case MF_JOBTEMPLATE:
        return B(MF_K_SPEC);
    case MF_TEMPLATE:
        return B(MF_K_METADATA) | B(MF_K_SPEC);
    default:
        return 0;
    }
#undef B
}

static uint8_t classify(idt_manifest__state st, const char *v, size_t len,
                        yaml_scalar_style_t style)
{
    /* Only a plain << is a merge key (YAML 1.1 tag:yaml.org,2002:merge). */
    if (style == YAML_PLAIN_SCALAR_STYLE && len == 2 && v[0] == '<' && v[1] == '<')
        return MF_K_MERGE;
    uint32_t mask = keys_of(st);
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if ((mask & (1u << key_names[i].id)) && strlen(key_names[i].name) == len &&
            !memcmp(key_names[i].name, v, len))
            return key_names[i].id;
    return MF_K_OTHER;
}

static idt_manifest__state child_state(idt_manifest__state st, uint8_t key)
{
    switch (st) {
    case MF_DOC:
        return MF_OBJ;
    case MF_ITEMS:
        return MF_ITEM;
    case MF_OBJ:
    case MF_ITEM:
        if (key == MF_K_KIND)
            return MF_KEEP;
        if (key == MF_K_METADATA)
            return MF_META;
        if (key == MF_K_SPEC)
            return MF_SPEC;
        if (key == MF_K_TEMPLATE)
            return MF_TEMPLATE;
        return key == MF_K_ITEMS ? MF_ITEMS : MF_PRUNED;
    case MF_META:
        if (key == MF_K_NAME)
            return MF_KEEP;
        return key == MF_K_ANNOTATIONS ? MF_ANN : MF_PRUNED;
    case MF_ANN:
        if (key == MF_K_CURRENT || key == MF_K_LEGACY)
            return MF_KEEP;
        return key == MF_K_MERGE ? MF_PRUNED : MF_VALUE;
    case MF_SPEC:
        if (key == MF_K_TEMPLATE)
            return MF_TEMPLATE;
        if (key == MF_K_JOBTEMPLATE)
            return MF_JOBTEMPLATE;
        return key == MF_K_RUNTIMECLASS ? MF_KEEP : MF_PRUNED;
    case MF_JOBTEMPLATE:
        return key == MF_K_SPEC ? MF_SPEC : MF_PRUNED;
    case MF_TEMPLATE:
        if (key == MF_K_METADATA)
            return MF_META;
        return key == MF_K_SPEC ? MF_SPEC : MF_PRUNED;
    default:
        return MF_PRUNED;
    }
}

/* Whether a collection of this type is read in state st. */
static bool reads_collection(idt_manifest__state st, bool is_map)
{
    if (st == MF_ITEMS)
        return !is_map;
    return is_map && keys_of(st) != 0;
}

/* --- nodes ------------------------------------------------------------- */

static int new_node(scanner *sc, idt_manifest__node **out, idt_manifest__type type,
                    const yaml_event_t *ev)
{
    idt_manifest *m = sc->m;
    if (m->nodes >= m->opts.max_nodes)
        return fail_mark(sc, IDT_ELIMIT, &ev->start_mark,
                         "more than %zu YAML nodes (max_nodes) in the mappings initdata "
                         "reads", m->opts.max_nodes);
    idt_manifest__node *n = idtx_arena_alloc(&m->arena, sizeof *n);
    if (!n)
        return idtx_error_set(sc->err, IDT_ENOMEM, NULL, "out of memory");
    memset(n, 0, sizeof *n);
    m->nodes++;
    n->type = (uint8_t)type;
    n->start = byte_of(sc, &ev->start_mark);
    n->end = byte_of(sc, &ev->end_mark);
    n->open_end = n->end;
    n->line = ev->start_mark.line > UINT32_MAX ? UINT32_MAX : (uint32_t)ev->start_mark.line;
    n->col = ev->start_mark.column > UINT32_MAX ? UINT32_MAX : (uint32_t)ev->start_mark.column;
    *out = n;
    return IDT_OK;
}

static void link_child(idt_manifest__node *parent, idt_manifest__node *child)
{
    child->parent = parent;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

/* Records that content of n's collection reaches pos.  A block collection
 * has no closing token, so its end is where its last content ends;
 * `kind` says whether that content was a |+ block scalar, whose end is the
 * start of the line after its kept line breaks (MF_END_LINESTART), or another
 * block scalar (MF_END_BLOCK: a line added after it at the very end of a file
 * without a final newline would add a newline to its value). */
static void update_end(idt_manifest__node *n, size_t pos, uint8_t kind)
{
    if (!n)
        return;
    if (pos > n->end || (pos == n->end && kind != MF_END_PLAIN)) {
        n->end = pos;
        n->end_kind = kind;
    }
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

/* Length of the white space or line break ending at pos (0 if none). */
static size_t space_before(const char *t, size_t pos)
{
    if (pos == 0)
        return 0;
    unsigned char c = (unsigned char)t[pos - 1];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return 1;
    if (c == 0x85 && pos >= 2 && (unsigned char)t[pos - 2] == 0xC2)
        return 2;
    if ((c == 0xA8 || c == 0xA9) && pos >= 3 && (unsigned char)t[pos - 2] == 0x80 &&
        (unsigned char)t[pos - 3] == 0xE2)
        return 3;
    return 0;
}

/* Where a block scalar's content really ends.  libyaml's end mark is past
 * the trailing line breaks; what counts as the node is the header and the
 * content lines, so that replacing it or adding a line after it leaves the
 * line structure (and a |+ scalar's kept breaks) alone. */
static void block_scalar_end(const char *t, size_t len, idt_manifest__node *n)
{
    size_t i = n->start, end = n->end;
    /* Properties (tag, anchor) come first. */
    while (i < end && (t[i] == '!' || t[i] == '&')) {
        while (i < end && !is_ws(t[i]) && !idt_manifest__break_len(t, len, i))
            i++;
        while (i < end && is_ws(t[i]))
            i++;
    }
    if (i < end && (t[i] == '|' || t[i] == '>'))
        i++;
    bool keep = false;
    while (i < end && (t[i] == '+' || t[i] == '-' || (t[i] >= '1' && t[i] <= '9')))
        keep |= t[i++] == '+';
    size_t header_end = i, header_break = idt_manifest__line_end(t, len, i);
    if (keep) {
        n->keep_chomp = true;
        n->end_kind = space_before(t, end) && t[end - 1] != ' ' && t[end - 1] != '\t'
                          ? MF_END_LINESTART : MF_END_BLOCK;
        return;
    }
    size_t j = end, k;
    while (j > header_break && (k = space_before(t, j)) != 0)
        j -= k;
    n->end = j > header_break ? j : header_end;
    n->end_kind = MF_END_BLOCK;
}

static bool plain_null(const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    if (ev->data.scalar.tag || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    return len == 0 || (len == 1 && v[0] == '~') ||
           (len == 4 && (!memcmp(v, "null", 4) || !memcmp(v, "Null", 4) ||
                         !memcmp(v, "NULL", 4)));
}

/* Where the entry of key k (about to join map) starts: at k, or at the
 * "?" of an explicit key.  The first entry of a block mapping starts where
 * libyaml set the mapping's indentation; any other after the previous value
 * (and in a flow mapping its ","), past blanks, line breaks and comments.
 * The "?" may be lines above its key, with comments between them. */
static void find_indicator(const idt_manifest *m, const idt_manifest__node *map,
                           idt_manifest__node *k)
{
    const char *t = m->text;
    size_t at;
    if (!map->flow && !map->first) {
        at = map->ind;
    } else {
        at = idt_manifest__skip_gap(t, m->len, map->first ? map->last->end : map->open_end);
        if (map->flow && map->first && at < m->len && t[at] == ',')
            at = idt_manifest__skip_gap(t, m->len, at + 1);
    }
    if (at == k->start) {
        k->ind = at;
    } else if (at < k->start && t[at] == '?' &&
               idt_manifest__skip_gap(t, m->len, at + 1) >= k->start) {
        k->ind = at;
        k->explicit_key = true;
    } else {
        k->ind = MF_NOWHERE;
        k->explicit_key = true;
    }
}

/* An untagged empty plain scalar with no text at all: an empty key or
 * value, marked where libyaml happened to be. */
static bool zero_width(const yaml_event_t *ev)
{
    return ev->type == YAML_SCALAR_EVENT && ev->data.scalar.length == 0 &&
           ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag &&
           !ev->data.scalar.anchor && ev->start_mark.index == ev->end_mark.index;
}

/* A block mapping's empty value follows its ':' (libyaml marks it right
 * after it), unless the key is explicit and has no ':' at all: then the
 * mark is the next token's, possibly lines further and outside the mapping.
 * Such a value is put at its key's end (bare), so that it does not stretch
 * the mapping over text that is not its own. */
static void place_bare(const idt_manifest *m, const idt_manifest__node *key, idt_manifest__node *v)
{
    size_t c = idt_manifest__skip_gap(m->text, m->len, key->end);
    if (v->start > 0 && c + 1 == v->start && m->text[c] == ':')
        return;
    v->bare = true;
    v->start = v->end = key->end;
    v->line = idt_manifest__line_of(m->text, m->len, key->start, key->line, key->end);
}

/* In a subtree that is not read, the same holds for the summary's end; the
 * key's end is not kept there, but a value after its ':' is right after a
 * ':' (or, for an empty key or sequence item, a '?' or '-'). */
static bool stretches(const idt_manifest *m, size_t pos)
{
    return pos > 0 && (m->text[pos - 1] == ':' || m->text[pos - 1] == '?' ||
                       m->text[pos - 1] == '-');
}

static const char *key_display(uint8_t id)
{
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (key_names[i].id == id)
            return key_names[i].name;
    return "<<";
}

/* A key this module reads may appear once: kubectl's decoder refuses a
 * repeated key ("mapping key already defined"), and guessing which one
 * counts would edit the wrong one. */
static int check_key(scanner *sc, frame *f, idt_manifest__node *k, const yaml_event_t *ev)
{
    idt_manifest__node *map = f->node;
    if (k->key_id == MF_K_MERGE) {
        if (!map->merge)
            map->merge = k;
        return IDT_OK;
    }
    if (k->key_id == MF_K_OTHER)
        return IDT_OK;
    uint32_t bit = 1u << k->key_id;
    if (map->seen & bit) {
        idt_manifest__node *first = map->first;
        while (first && first->key_id != k->key_id)
            first = first->next ? first->next->next : NULL;
        return fail_mark(sc, IDT_ESCHEMA, &ev->start_mark,
                         "duplicate key \"%s\" (first at line %u): kubectl refuses it "
                         "(mapping key already defined)", key_display(k->key_id),
                         first ? (unsigned)first->line + 1 : 0u);
    }
    map->seen |= bit;
    return IDT_OK;
}

/* --- objects ------------------------------------------------------------ */

static int add_object(scanner *sc, idt_manifest__node *root, const frame *parent)
{
    idt_manifest *m = sc->m;
    if (m->nobjects == m->cap_objects) {
        size_t cap = m->cap_objects ? m->cap_objects * 2 : 8;
        if (cap > SIZE_MAX / sizeof *m->objects)
            return idtx_error_set(sc->err, IDT_ENOMEM, NULL, "out of memory");
        idt_manifest__object *o = realloc(m->objects, cap * sizeof *o);
        if (!o)
            return idtx_error_set(sc->err, IDT_ENOMEM, NULL, "out of memory");
        m->objects = o;
        m->cap_objects = cap;
    }
    idt_manifest__object *o = &m->objects[m->nobjects++];
    memset(o, 0, sizeof *o);
    o->root = root;
    o->document = sc->document;
    o->item = IDT_MANIFEST_NO_ITEM;
    o->pod_kind = -1;
    if (parent->state == MF_ITEMS) {
        o->item = parent->items;
        o->list_root = parent->node->parent;
    }
    return IDT_OK;
}

/* --- events ------------------------------------------------------------- */

static int push(scanner *sc, const frame *f, const yaml_event_t *ev)
{
    if (sc->depth > sc->m->opts.max_depth)
        return fail_mark(sc, IDT_ELIMIT, &ev->start_mark,
                         "nested deeper than %u levels (max_depth)",
                         sc->m->opts.max_depth);
    if (sc->depth == sc->cap) {
        size_t cap = sc->cap ? sc->cap * 2 : 16;
        frame *s = cap <= SIZE_MAX / sizeof *s ? realloc(sc->stack, cap * sizeof *s) : NULL;
        if (!s)
            return idtx_error_set(sc->err, IDT_ENOMEM, NULL, "out of memory");
        sc->stack = s;
        sc->cap = cap;
    }
    sc->stack[sc->depth++] = *f;
    return IDT_OK;
}

/* Where a new node goes in the open frame f: its state, and as a key or
 * a value.  Advances f. */
static idt_manifest__state place(frame *f, bool *as_key, idt_manifest__node **key)
{
    *as_key = false;
    *key = NULL;
    if (f->is_map && f->want_key) {
        *as_key = true;
        return MF_PRUNED;
    }
    if (f->is_map) {
        *key = f->key;
        return child_state((idt_manifest__state)f->state, f->key ? f->key->key_id : MF_K_OTHER);
    }
    return child_state((idt_manifest__state)f->state, MF_K_OTHER);
}

static void attach(frame *f, idt_manifest__node *n, bool as_key, idt_manifest__node *key)
{
    if (f->node && f->state != MF_DOC)
        link_child(f->node, n);
    if (as_key) {
        f->key = n;
        f->want_key = false;
    } else if (f->is_map) {
        n->key = key;
        f->key = NULL;
        f->want_key = true;
    }
    if (!f->is_map)
        f->items++;
}

static int on_leaf(scanner *sc, const yaml_event_t *ev)
{
    frame *f = &sc->stack[sc->depth - 1];
    bool scalar = ev->type == YAML_SCALAR_EVENT;
    idt_manifest *m = sc->m;
    if (f->state == MF_PRUNED) {
        idt_manifest__node tmp = { 0 };
        tmp.start = byte_of(sc, &ev->start_mark);
        tmp.end = byte_of(sc, &ev->end_mark);
        if (scalar && (ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                       ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE))
            block_scalar_end(m->text, m->len, &tmp);
        if (!f->flow && zero_width(ev) && !stretches(m, tmp.start))
            return IDT_OK;
        update_end(f->node, tmp.end, tmp.end_kind);
        return IDT_OK;
    }
    bool as_key;
    idt_manifest__node *key, *n;
    idt_manifest__state st = place(f, &as_key, &key);
    IDTX_TRY(new_node(sc, &n, scalar ? MF_SCALAR : MF_ALIAS, ev));
    n->state = (uint8_t)(as_key ? MF_PRUNED : st);
    if (as_key)
        find_indicator(m, f->node, n);
    else if (f->is_map && !f->flow && key && zero_width(ev))
        place_bare(m, key, n);
    if (scalar) {
        const char *v = (const char *)ev->data.scalar.value;
        size_t len = ev->data.scalar.length;
        n->style = (uint8_t)ev->data.scalar.style;
        n->anchored = ev->data.scalar.anchor != NULL;
        n->vlen = len;
        n->is_null = plain_null(ev);
        if (n->style == YAML_LITERAL_SCALAR_STYLE || n->style == YAML_FOLDED_SCALAR_STYLE)
            block_scalar_end(m->text, m->len, n);
        if (as_key) {
            n->key_id = classify((idt_manifest__state)f->state, v, len, ev->data.scalar.style);
            IDTX_TRY(check_key(sc, f, n, ev));
        } else if (st == MF_KEEP) {
            n->value = idtx_arena_strndup(&m->arena, v, len);
            if (!n->value)
                return idtx_error_set(sc->err, IDT_ENOMEM, NULL, "out of memory");
        }
    }
    attach(f, n, as_key, key);
    update_end(f->node, n->end, n->end_kind);
    return IDT_OK;
}

static int on_open(scanner *sc, const yaml_event_t *ev)
{
    bool is_map = ev->type == YAML_MAPPING_START_EVENT;
    frame *f = &sc->stack[sc->depth - 1];
    frame nf = { 0 };
    nf.is_map = is_map;
    nf.want_key = true;
    nf.flow = is_map ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                     : ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    if (f->state == MF_PRUNED) {
        nf.node = f->node;
        nf.state = MF_PRUNED;
        return push(sc, &nf, ev);
    }
    bool as_key;
    idt_manifest__node *key, *n;
    idt_manifest__state st = place(f, &as_key, &key);
    if (as_key || !reads_collection(st, is_map))
        st = MF_PRUNED;
    IDTX_TRY(new_node(sc, &n, is_map ? MF_MAP : MF_SEQ, ev));
    n->state = (uint8_t)st;
    n->pruned = st == MF_PRUNED;
    n->flow = nf.flow;
    n->anchored = is_map ? ev->data.mapping_start.anchor != NULL
                         : ev->data.sequence_start.anchor != NULL;
    /* A block collection starts no text of its own: its end grows with its
     * content, from its start. */
    if (!n->flow)
        n->end = n->open_end = n->start;
    /* A block mapping's indentation is where libyaml put the token that
     * starts it, the end of its start event: its first key, or that key's
     * "?" (after any anchor or tag of the mapping itself). */
    if (is_map && !n->flow) {
        n->ind = byte_of(sc, &ev->end_mark);
        n->icol = ev->end_mark.column > UINT32_MAX ? UINT32_MAX
                                                   : (uint32_t)ev->end_mark.column;
    }
    if (as_key)
        find_indicator(sc->m, f->node, n);
    if (st == MF_OBJ || st == MF_ITEM)
        IDTX_TRY(add_object(sc, n, f));
    attach(f, n, as_key, key);
    nf.node = n;
    nf.state = (uint8_t)st;
    return push(sc, &nf, ev);
}

static void on_close(scanner *sc, const yaml_event_t *ev)
{
    frame *f = &sc->stack[--sc->depth];
    idt_manifest__node *n = f->node;
    /* A flow collection ends at its closing bracket; a block one where its
     * content ended.  Nested pruned frames share their summary node. */
    if (f->flow)
        update_end(n, byte_of(sc, &ev->end_mark), MF_END_PLAIN);
    frame *p = &sc->stack[sc->depth - 1];
    if (n && p->node != n)
        update_end(p->node, n->end, n->end_kind);
}

static int yaml_failure(scanner *sc)
{
    yaml_parser_t *p = &sc->parser;
    if (p->error == YAML_MEMORY_ERROR)
        return idtx_error_set(sc->err, IDT_ENOMEM, NULL, "out of memory while parsing YAML");
    const char *problem = p->problem ? p->problem : "malformed YAML";
    if (p->error == YAML_READER_ERROR) {
        /* The reader reports raw byte offsets (bad UTF-8, a control
         * character); count lines up to there. */
        size_t at = p->problem_offset < sc->m->len ? p->problem_offset : sc->m->len, line = 0;
        for (size_t i = 0; i < at; i++)
            line += sc->m->text[i] == '\n' ||
                    (sc->m->text[i] == '\r' && (i + 1 >= sc->m->len || sc->m->text[i + 1] != '\n'));
        idt_span sp = idt_manifest__span(sc->m->text, sc->m->len, at, at, line);
        return idtx_error_set(sc->err, IDT_ESYNTAX, &sp, "not YAML: %s", problem);
    }
    char ctx[96] = "";
    if (p->context)
        snprintf(ctx, sizeof ctx, " (%s at line %zu)", p->context, p->context_mark.line + 1);
    return fail_mark(sc, IDT_ESYNTAX, &p->problem_mark, "not YAML: %s%s", problem, ctx);
}

static int run(scanner *sc)
{
    yaml_event_t ev;
    for (;;) {
        if (!yaml_parser_parse(&sc->parser, &ev))
            return yaml_failure(sc);
        int rc = IDT_OK;
        frame doc = { .state = MF_DOC };
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            rc = push(sc, &doc, &ev);
            break;
        case YAML_DOCUMENT_END_EVENT:
            sc->depth--;
            sc->document++;
            break;
        case YAML_SCALAR_EVENT:
        case YAML_ALIAS_EVENT:
            rc = on_leaf(sc, &ev);
            break;
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            rc = on_open(sc, &ev);
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            on_close(sc, &ev);
            break;
        default:
            break;
        }
        bool done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (rc < 0)
            return rc;
        if (done)
            return IDT_OK;
    }
}

/* --- finishing ---------------------------------------------------------- */

/* The value node under key id in mapping map, or NULL. */
static idt_manifest__node *lookup(const idt_manifest__node *map, uint8_t id)
{
    if (!map || map->type != MF_MAP)
        return NULL;
    for (idt_manifest__node *k = map->first; k && k->next; k = k->next->next)
        if (k->key_id == id)
            return k->next;
    return NULL;
}

static const char *kept_string(const idt_manifest__node *n)
{
    return n && n->type == MF_SCALAR && n->value ? n->value : NULL;
}

/* Names the objects, drops items of anything but a List or a KRM
 * ResourceList, and finds which
 * kinds carry pods. */
static void finish_objects(idt_manifest *m)
{
    size_t w = 0;
    for (size_t i = 0; i < m->nobjects; i++) {
        idt_manifest__object o = m->objects[i];
        o.kind = kept_string(lookup(o.root, MF_K_KIND));
        if (!o.kind)
            continue;
        if (o.item != IDT_MANIFEST_NO_ITEM) {
            const char *lk = kept_string(lookup(o.list_root, MF_K_KIND));
            if (!lk || (strcmp(lk, "List") && strcmp(lk, "ResourceList")))
                continue;
        }
        o.name = kept_string(lookup(lookup(o.root, MF_K_METADATA), MF_K_NAME));
        if (!o.name)
            o.name = "";
        o.pod_kind = -1;
        for (int k = 0; idt_manifest__pod_kinds[k]; k++)
            if (!strcmp(idt_manifest__pod_kinds[k], o.kind))
                o.pod_kind = k;
        m->objects[w++] = o;
    }
    m->nobjects = w;
}

static int scan_text(idt_manifest *m, idt_error *err)
{
    scanner sc = { 0 };
    sc.m = m;
    sc.err = err;
    if (!yaml_parser_initialize(&sc.parser))
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    yaml_parser_set_input_string(&sc.parser, (const unsigned char *)m->text, m->len);
    int rc = run(&sc);
    yaml_parser_delete(&sc.parser);
    free(sc.stack);
    if (rc == IDT_OK)
        finish_objects(m);
    return rc;
}

int idt_manifest_scan(idt_manifest **out, const char *src, size_t len,
                      const idt_manifest_options *opts, idt_error *err)
{
    if (!out || (!src && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_manifest_scan: NULL argument");
    *out = NULL;
    idt_manifest_options o = IDT_MANIFEST_OPTIONS_INIT;
    if (opts) {
        if (opts->version != IDT_MANIFEST_OPTIONS_VERSION)
            return idtx_error_set(err, IDT_EINVAL, NULL,
                                  "idt_manifest_scan: unknown options version %u", opts->version);
        o = *opts;
    }
    if (!o.max_size)
        o.max_size = IDT_MANIFEST_DEFAULT_MAX_SIZE;
    if (!o.max_depth)
        o.max_depth = IDT_MANIFEST_DEFAULT_MAX_DEPTH;
    if (!o.max_nodes)
        o.max_nodes = IDT_MANIFEST_DEFAULT_MAX_NODES;
    if (!o.budget)
        o.budget = IDT_MANIFEST_ANNOTATION_BUDGET;
    if (len > o.max_size)
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "the manifest is %zu bytes, more than the limit of %zu", len,
                              o.max_size);
    const unsigned char *u = (const unsigned char *)src;
    if (len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE)))
        return idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                              "the manifest is UTF-16; convert it to UTF-8 (iconv -t UTF-8)");
    idt_manifest *m = calloc(1, sizeof *m);
    if (!m || !(m->text = malloc(len + 1))) {
        free(m);
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    }
    if (len)
        memcpy(m->text, src, len);
    m->text[len] = '\0';
    m->len = len;
    m->opts = o;
    size_t base = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF ? 3 : 0;
    int rc = idt_manifest__charmap_init(&m->map, m->text, len, base);
    if (rc < 0)
        rc = idtx_error_set(err, rc, NULL, "out of memory");
    else
        rc = scan_text(m, err);
    if (rc < 0) {
        idt_manifest_free(m);
        return rc;
    }
    *out = m;
    return IDT_OK;
}

void idt_manifest_free(idt_manifest *m)
{
    if (!m)
        return;
    idtx_arena_dispose(&m->arena);
    idt_manifest__charmap_dispose(&m->map);
    free(m->objects);
    free(m->text);
    free(m);
}

const char *idt_manifest_text(const idt_manifest *m, size_t *len)
{
    if (len)
        *len = m ? m->len : 0;
    return m ? m->text : NULL;
}

size_t idt_manifest_object_count(const idt_manifest *m)
{
    return m ? m->nobjects : 0;
}
