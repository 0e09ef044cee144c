/* Planning the splices for one object (manifest_int.h).
 *
 * Where new text goes:
 *   - a value: replaces the old value's bytes (block scalars: header and
 *     content lines, not the line breaks after them);
 *   - a new entry of a block mapping: a new line after the line where the
 *     mapping's last content ends (after any comment on it), indented like
 *     the mapping's entries (the column of the first key, or of its "?" when
 *     it is explicit), with that line's line end; after a |+ block scalar,
 *     at the start of the line after its kept breaks;
 *   - the value of a bare explicit key (`? key`, no ':' line): a new
 *     ": value" line after the key's, at the mapping's column;
 *   - a new entry of a flow mapping: ", key: value" after the last value,
 *     or "key: value" after the "{" of an empty one;
 *   - a null metadata/annotations value: a nested block under the key
 *     (empty value in block style) or a flow mapping in place of `~`/`null`.
 */
#include "manifest_int.h"
#include "util/quote.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct planner {
    const idt_manifest *m;
    const char *t;
    size_t len;
    idt_manifest__edits *edits;
    const idt_manifest__object *o;
    const idt_manifest__value *v;
    idt_manifest__target tg;
    char label[2 * IDTX_QUOTE_MAX + 8];
    idt_error *err;
    size_t text_max; /* bound of one edit's text (text_max()) */
} planner;

/* What happens to each of the two keys. */
enum { ACT_NONE = 0, ACT_REPLACE, ACT_RENAME, ACT_ADD };

typedef struct decision {
    int act[2];
    bool remove[2];
} decision;

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static bool all_spaces(const char *t, size_t from, size_t to)
{
    while (from < to && t[from] == ' ')
        from++;
    return from == to;
}

/* Between the end of a block node and the line break only blanks and a
 * comment may follow; anything else means the splice point is not where
 * this module thinks it is, so it refuses instead of guessing. */
static bool rest_is_blank(const char *t, size_t from, size_t to)
{
    while (from < to && is_ws(t[from]))
        from++;
    return from == to || t[from] == '#';
}

static int unsupported(planner *p, const idt_manifest__node *n, const char *why)
{
    return idt_manifest__fail_at(p->err, IDT_EUNSUPPORTED, p->m, n, "%s: %s", p->label, why);
}

/* The line end to use for a new line next to pos: the break ending pos's
 * line, else the file's first break, else LF. */
static void eol_near(const planner *p, size_t pos, const char **eol, size_t *n)
{
    size_t le = idt_manifest__line_end(p->t, p->len, pos);
    size_t bl = idt_manifest__break_len(p->t, p->len, le);
    if (!bl) {
        le = idt_manifest__line_end(p->t, p->len, 0);
        bl = idt_manifest__break_len(p->t, p->len, le);
    }
    *eol = bl ? p->t + le : "\n";
    *n = bl ? bl : 1;
}

/* The break that ends just before pos (pos starts a line), as eol_near. */
static void eol_before(const planner *p, size_t pos, const char **eol, size_t *n)
{
    for (size_t k = 3; k >= 1; k--) {
        if (pos >= k && idt_manifest__break_len(p->t, p->len, pos - k) == k) {
            *eol = p->t + pos - k;
            *n = k;
            return;
        }
    }
    eol_near(p, pos, eol, n);
}

/* Indentation step of a block mapping held by a key of a block mapping:
 * from the column of the parent's entries to that of its own (each the
 * column of the first key, or of its "?"). */
static size_t own_step(const idt_manifest__node *n)
{
    if (n && n->type == MF_MAP && !n->flow && n->key && n->parent && n->parent->type == MF_MAP &&
        !n->parent->flow && n->icol > n->parent->icol)
        return n->icol - n->parent->icol;
    return 0;
}

/* How far a new nested mapping is indented: as map (or an ancestor, or a
 * child) is, else 2. */
static size_t find_step(const idt_manifest__node *map)
{
    size_t s;
    for (const idt_manifest__node *n = map; n; n = n->parent)
        if ((s = own_step(n)) != 0)
            return s;
    for (const idt_manifest__node *c = map->first; c; c = c->next)
        if ((s = own_step(c)) != 0)
            return s;
    return 2;
}

/* JSON-looking flow mapping: its keys are double-quoted (or, when empty,
 * the key holding it is), so new keys and values are too. */
static bool is_json(const idt_manifest__node *map)
{
    if (!map || !map->flow)
        return false;
    const idt_manifest__node *k = map->first ? map->first : map->key;
    return k && k->type == MF_SCALAR && k->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
}

static int put_key(idtx_buf *b, const char *k, bool json, idt_error *err)
{
    return idt_manifest__emit_scalar(b, k, strlen(k), json ? MF_STYLE_DOUBLE : MF_STYLE_AUTO, err);
}

static int put_entry(idtx_buf *b, const planner *p, int k, bool json)
{
    IDTX_TRY(put_key(b, idt_manifest_key_name((idt_manifest_key)k), json, p->err));
    IDTX_TRY(idtx_buf_put(b, ": ", 2, p->err));
    return idt_manifest__emit_scalar(b, p->v->s, p->v->len,
                                     json ? MF_STYLE_DOUBLE : MF_STYLE_AUTO, p->err);
}

/* "c1: {c2: {key: value, key2: value}}" */
static int flow_text(idtx_buf *b, const planner *p, const char *const *chain, size_t nchain,
                     unsigned add, bool json)
{
    for (size_t i = 0; i < nchain; i++) {
        IDTX_TRY(put_key(b, chain[i], json, p->err));
        IDTX_TRY(idtx_buf_put(b, ": {", 3, p->err));
    }
    bool first = true;
    for (int k = 0; k < 2; k++) {
        if (!(add & (1u << k)))
            continue;
        if (!first)
            IDTX_TRY(idtx_buf_put(b, ", ", 2, p->err));
        IDTX_TRY(put_entry(b, p, k, json));
        first = false;
    }
    return idtx_buf_fill(b, '}', nchain, p->err);
}

/* Block lines: each chain key one level deeper, then the entries.  lead:
 * every line starts with the line end (text goes at the end of a line);
 * else every line ends with it (text goes at the start of a line). */
typedef struct block_fmt {
    size_t col, step;
    const char *eol;
    size_t eol_len;
    bool lead;
} block_fmt;

static int line_open(idtx_buf *b, const block_fmt *f, size_t level, idt_error *err)
{
    if (f->lead)
        IDTX_TRY(idtx_buf_put(b, f->eol, f->eol_len, err));
    return idtx_buf_fill(b, ' ', f->col + level * f->step, err);
}

static int line_close(idtx_buf *b, const block_fmt *f, idt_error *err)
{
    return f->lead ? IDT_OK : idtx_buf_put(b, f->eol, f->eol_len, err);
}

static int block_text(idtx_buf *b, const planner *p, const block_fmt *f,
                      const char *const *chain, size_t nchain, unsigned add)
{
    for (size_t i = 0; i < nchain; i++) {
        IDTX_TRY(line_open(b, f, i, p->err));
        IDTX_TRY(put_key(b, chain[i], false, p->err));
        IDTX_TRY(idtx_buf_putc(b, ':', p->err));
        IDTX_TRY(line_close(b, f, p->err));
    }
    for (int k = 0; k < 2; k++) {
        if (!(add & (1u << k)))
            continue;
        IDTX_TRY(line_open(b, f, nchain, p->err));
        IDTX_TRY(put_entry(b, p, k, false));
        IDTX_TRY(line_close(b, f, p->err));
    }
    return IDT_OK;
}

/* The most one edit's text can take.  It has at most five lines (the ':'
 * of a bare explicit key, two chain keys, two entries), each indented by
 * a column of the manifest plus at most two steps, each step at most a
 * line of it (or 2); the value
 * appears at most twice, each byte written as at most six ("\u0001").  So
 * 16 bytes per byte of input, plus room for the key names, punctuation and
 * line ends, is never reached by a correct plan: the bound stops a
 * planning bug from growing a buffer without end. */
static size_t text_max(const idt_manifest *m, const idt_manifest__value *v)
{
    size_t in = m->len > SIZE_MAX - v->len ? SIZE_MAX : m->len + v->len;
    return in > (SIZE_MAX - 4096) / 16 ? SIZE_MAX : 16 * in + 4096;
}

static void text_init(const planner *p, idtx_buf *b)
{
    idtx_buf_init(b, p->text_max, "the text of a manifest edit");
}

/* Adds the edit [start, end) -> b's text, or, when building the text
 * failed (rc < 0), drops it and returns rc. */
static int splice(planner *p, size_t start, size_t end, idtx_buf *b, int rc)
{
    if (rc < 0) {
        idtx_buf_dispose(b);
        return rc;
    }
    return idt_manifest__edits_add(p->edits, start, end, b, p->err);
}

/* Where the text of an empty value goes: right after its ':' (*colon), or,
 * for a key written without one, right after the key.  In a block mapping
 * libyaml marks the value right after the ':', and the scan put the value
 * of an explicit key without one (bare) at the key's end.  In a flow
 * mapping the mark is the next token (',' or '}'), and the ':', when there
 * is one, is between the key and it, maybe on another line (`{? key\n :}`).
 * Returns false when that text is not what libyaml must have read. */
static bool empty_value_point(const planner *p, const idt_manifest__node *key,
                              const idt_manifest__node *val, size_t *at, bool *colon)
{
    if (!key->parent->flow) {
        *colon = !val->bare;
        *at = val->bare ? key->end : val->start;
        return val->bare || (val->start > 0 && p->t[val->start - 1] == ':');
    }
    size_t i = idt_manifest__skip_gap(p->t, p->len, key->end);
    *colon = i < val->start && p->t[i] == ':';
    *at = *colon ? i + 1 : key->end;
    return *colon || i == val->start;
}

static int lost_value(planner *p, const idt_manifest__node *key)
{
    return unsupported(p, key, "cannot find the ':' of this key's empty value");
}

/* The end of a flow mapping entry's text: its value, or, when the value is
 * empty, its key, or its ':' and the blank after it.  libyaml refuses a
 * flow ':' followed by ',' or '}' ("found unexpected ':'"), so text put
 * here keeps that blank before any comma it brings. */
static int entry_end(planner *p, const idt_manifest__node *val, size_t *end)
{
    bool colon;
    *end = val->end;
    if (val->type != MF_SCALAR || val->start != val->end || !val->key)
        return IDT_OK;
    if (!empty_value_point(p, val->key, val, end, &colon))
        return lost_value(p, val->key);
    if (colon && *end < p->len)
        *end += is_ws(p->t[*end]) ? 1 : idt_manifest__break_len(p->t, p->len, *end);
    return IDT_OK;
}

/* Opens the text of an empty value in a flow mapping, or after a ':' in a
 * block mapping: " " after the ':', ": " after a key without one.  *at
 * gets where it goes. */
static int open_empty_value(planner *p, const idt_manifest__node *key,
                            const idt_manifest__node *val, idtx_buf *b, size_t *at)
{
    bool colon;
    if (!empty_value_point(p, key, val, at, &colon))
        return lost_value(p, key);
    return idtx_buf_puts(b, colon ? " " : ": ", p->err);
}

/* libyaml accepts a blank line holding a tab only where the plain scalar
 * before it reads it as trailing white space, and refuses it after any
 * other token ("found a tab character that violates indentation").  The
 * same holds for a comment line with a tab before its '#' (" \t# c"): a
 * plain scalar at column 0 reads the blanks, one at a deeper column (like
 * a new annotation value) stops at the tab and fails; the fuzzer found
 * `kind: Pod` followed by such a line.  Given the line end le of the last
 * content, returns the end of the run of blank and comment lines after it
 * when one of them holds a tab before any '#' (new lines go after them, so
 * they stay with the scalar that reads them), else le. */
static size_t past_tab_blanks(const planner *p, size_t le, bool *tab)
{
    size_t at = le, run_end = le;
    *tab = false;
    for (;;) {
        size_t bl = idt_manifest__break_len(p->t, p->len, at);
        if (!bl)
            break;
        size_t s = at + bl, e = idt_manifest__line_end(p->t, p->len, s);
        bool blank = true, has_tab = false;
        size_t i = s;
        for (; i < e && blank; i++) {
            blank = is_ws(p->t[i]);
            has_tab |= p->t[i] == '\t';
        }
        if (!blank && p->t[i - 1] == '#') /* a comment line: blanks, then '#' */
            blank = true;
        if (!blank)
            break;
        at = e;
        if (has_tab) {
            *tab = true;
            run_end = e;
        }
    }
    return run_end;
}

/* Opens the value of a bare explicit key (`? key` with no ':' line): a
 * new line after the key's, at the mapping's indentation, with the ':'.
 * *pos gets where it goes. */
static int open_bare_value(planner *p, const idt_manifest__node *key, idtx_buf *b, size_t *pos)
{
    size_t le = idt_manifest__line_end(p->t, p->len, key->end);
    bool tab;
    *pos = le;
    if (key->end_kind == MF_END_LINESTART || !rest_is_blank(p->t, key->end, le))
        return unsupported(p, key, "cannot find where this explicit key (\"? \") ends");
    le = past_tab_blanks(p, le, &tab);
    *pos = le;
    const char *eol;
    size_t n;
    eol_near(p, le, &eol, &n);
    IDTX_TRY(idtx_buf_put(b, eol, n, p->err));
    IDTX_TRY(idtx_buf_fill(b, ' ', key->parent->icol, p->err));
    return idtx_buf_putc(b, ':', p->err);
}

/* --- adding entries ------------------------------------------------------- */

static int append_flow(planner *p, const idt_manifest__node *map, const char *const *chain,
                       size_t nchain, unsigned add)
{
    idtx_buf b;
    text_init(p, &b);
    size_t pos = map->open_end;
    int rc = IDT_OK;
    if (map->last) {
        rc = entry_end(p, map->last, &pos);
        if (rc == IDT_OK)
            rc = idtx_buf_put(&b, ", ", 2, p->err);
    }
    if (rc == IDT_OK)
        rc = flow_text(&b, p, chain, nchain, add, is_json(map));
    return splice(p, pos, pos, &b, rc);
}

/* Before the first key, on a line of its own: for a mapping whose last
 * content is a block scalar that ends the file without a line break. */
static int prepend_block(planner *p, const idt_manifest__node *map, const char *const *chain,
                         size_t nchain, unsigned add, size_t step)
{
    size_t ls = idt_manifest__line_start(p->t, map->ind);
    if (!all_spaces(p->t, ls, map->ind))
        return unsupported(p, map,
                           "the mapping to extend ends with a block scalar at the end of the "
                           "file, which has no final newline; add one");
    block_fmt f = { map->icol, step, NULL, 0, false };
    eol_near(p, ls, &f.eol, &f.eol_len);
    idtx_buf b;
    text_init(p, &b);
    return splice(p, ls, ls, &b, block_text(&b, p, &f, chain, nchain, add));
}

static int append_block(planner *p, const idt_manifest__node *map, const char *const *chain,
                        size_t nchain, unsigned add)
{
    /* New entries take the column of the mapping's entries: that of its
     * first key, or of the "?" of an explicit one. */
    size_t step = find_step(map);
    block_fmt f = { map->icol, step, NULL, 0, true };
    size_t pos = map->end;
    if (map->end_kind == MF_END_LINESTART) {
        f.lead = false;
        eol_before(p, pos, &f.eol, &f.eol_len);
    } else {
        size_t le = idt_manifest__line_end(p->t, p->len, pos);
        bool tab;
        if (!rest_is_blank(p->t, pos, le))
            return unsupported(p, map, "cannot find where the mapping ends");
        le = past_tab_blanks(p, le, &tab);
        if (le == p->len && map->end_kind == MF_END_BLOCK)
            return prepend_block(p, map, chain, nchain, add, step);
        eol_near(p, le, &f.eol, &f.eol_len);
        pos = le;
    }
    idtx_buf b;
    text_init(p, &b);
    return splice(p, pos, pos, &b, block_text(&b, p, &f, chain, nchain, add));
}

static int append_entries(planner *p, const idt_manifest__node *map, const char *const *chain,
                          size_t nchain, unsigned add)
{
    return map->flow ? append_flow(p, map, chain, nchain, add)
                     : append_block(p, map, chain, nchain, add);
}

/* `key:` (empty), `key: ~` or `key: null` becomes a mapping. */
static int fill_null(planner *p, const idt_manifest__node *key, const idt_manifest__node *val,
                     const char *const *chain, size_t nchain, unsigned add)
{
    const idt_manifest__node *parent = key->parent;
    idtx_buf b;
    text_init(p, &b);
    int rc;
    if (val->end > val->start) {
        if ((rc = idtx_buf_putc(&b, '{', p->err)) == IDT_OK &&
            (rc = flow_text(&b, p, chain, nchain, add, is_json(parent))) == IDT_OK)
            rc = idtx_buf_putc(&b, '}', p->err);
        return splice(p, val->start, val->end, &b, rc);
    }
    size_t at = 0;
    if (parent->flow) {
        if ((rc = open_empty_value(p, key, val, &b, &at)) == IDT_OK &&
            (rc = idtx_buf_putc(&b, '{', p->err)) == IDT_OK &&
            (rc = flow_text(&b, p, chain, nchain, add, is_json(parent))) == IDT_OK)
            rc = idtx_buf_putc(&b, '}', p->err);
        return splice(p, at, at, &b, rc);
    }
    /* Block: the new mapping goes on the lines after the ':' (after the
     * key's line, with a new ':' line, when the key is a bare `? key`),
     * one step deeper than the mapping that holds the key. */
    size_t step = find_step(parent);
    block_fmt f = { (size_t)parent->icol + step, step, NULL, 0, true };
    if (val->bare) {
        if ((rc = open_bare_value(p, key, &b, &at)) < 0)
            return splice(p, at, at, &b, rc);
    } else {
        bool colon, tab;
        size_t le = 0;
        if (empty_value_point(p, key, val, &at, &colon))
            le = idt_manifest__line_end(p->t, p->len, at);
        if (!le || !rest_is_blank(p->t, at, le))
            return unsupported(p, val, "cannot find the end of the empty value");
        at = past_tab_blanks(p, le, &tab);
    }
    eol_near(p, at, &f.eol, &f.eol_len);
    return splice(p, at, at, &b, block_text(&b, p, &f, chain, nchain, add));
}

/* --- changing entries ----------------------------------------------------- */

/* A replaced key or value keeps its own quoting (a JSON file's are double
 * quotes), so that a second run writes the same text. */
static idt_manifest__style style_like(const idt_manifest__node *old)
{
    if (old->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        return MF_STYLE_DOUBLE;
    return old->style == YAML_SINGLE_QUOTED_SCALAR_STYLE ? MF_STYLE_SINGLE : MF_STYLE_AUTO;
}

static int anchored(planner *p, const idt_manifest__node *n, const char *what)
{
    return idt_manifest__fail_at(p->err, IDT_ESCHEMA, p->m, n,
                                 "%s: the %s to change carries an anchor (&); other nodes may "
                                 "refer to it, so initdata leaves it alone", p->label, what);
}

static int replace_value(planner *p, const idt_manifest__node *key, const idt_manifest__node *val)
{
    if (val->anchored)
        return anchored(p, val, "annotation value");
    idtx_buf b;
    text_init(p, &b);
    size_t start = val->start, end = val->end;
    int rc = IDT_OK;
    if (val->bare) { /* `? key` with no ':' line: add one */
        if ((rc = open_bare_value(p, key, &b, &start)) == IDT_OK)
            rc = idtx_buf_putc(&b, ' ', p->err);
        end = start;
    } else if (start == end) { /* `key:` with nothing after it */
        rc = open_empty_value(p, key, val, &b, &start);
        end = start;
    }
    size_t at = b.len;
    if (rc == IDT_OK)
        rc = idt_manifest__emit_scalar(&b, p->v->s, p->v->len, style_like(val), p->err);
    bool quoted = rc == IDT_OK && (b.data[at] == '"' || b.data[at] == '\''), tab = false;
    if (quoted && !key->parent->flow)
        past_tab_blanks(p, idt_manifest__line_end(p->t, p->len, end), &tab);
    if (tab) {
        idtx_buf_dispose(&b);
        return unsupported(p, val, "a blank or comment line with a tab follows the value, "
                                   "which libyaml accepts only after a plain scalar; remove "
                                   "the tab");
    }
    return splice(p, start, end, &b, rc);
}

static int rename_key(planner *p, const idt_manifest__node *key, int k)
{
    if (key->anchored)
        return anchored(p, key, "annotation key");
    const char *name = idt_manifest_key_name((idt_manifest_key)k);
    idtx_buf b;
    text_init(p, &b);
    return splice(p, key->start, key->end, &b,
                  idt_manifest__emit_scalar(&b, name, strlen(name), style_like(key), p->err));
}

static int remove_entry(planner *p, const idt_manifest__node *key, const idt_manifest__node *val)
{
    const idt_manifest__node *map = key->parent;
    if (key->anchored || val->anchored)
        return anchored(p, key->anchored ? key : val, "annotation entry");
    /* An entry starts at its key, or at the "?" of an explicit key. */
    if (key->ind == MF_NOWHERE || (val->next && val->next->ind == MF_NOWHERE))
        return unsupported(p, key->ind == MF_NOWHERE ? key : val->next,
                           "cannot find the \"?\" of this explicit key");
    idtx_buf none;
    text_init(p, &none);
    if (map->flow) {
        const idt_manifest__node *prev = NULL;
        for (const idt_manifest__node *k = map->first; k && k != key && k->next; k = k->next->next)
            prev = k->next;
        size_t from = key->ind, to = val->end;
        if (val->next) /* "key: value, " up to the next entry */
            return splice(p, key->ind, val->next->ind, &none, IDT_OK);
        int rc = entry_end(p, val, &to);
        if (rc == IDT_OK && prev) /* ", key: value" after the previous value */
            rc = entry_end(p, prev, &from);
        return splice(p, from, to, &none, rc);
    }
    size_t ls = idt_manifest__line_start(p->t, key->ind);
    if (!all_spaces(p->t, ls, key->ind))
        return unsupported(p, key, "the entry to remove shares its line with what comes before "
                                   "it (a compact \"? \", \": \" or \"- \" entry); initdata "
                                   "removes whole lines");
    size_t end = val->end;
    if (val->end_kind != MF_END_LINESTART) {
        size_t le = idt_manifest__line_end(p->t, p->len, val->end);
        if (!rest_is_blank(p->t, val->end, le))
            return unsupported(p, val, "cannot find where the entry to remove ends");
        size_t bl = idt_manifest__break_len(p->t, p->len, le);
        bool tab;
        past_tab_blanks(p, le, &tab);
        if (tab)
            return unsupported(p, val, "a blank or comment line with a tab follows the entry "
                                       "to remove; remove the tab");
        end = le + bl;
        if (!bl && ls > 0) { /* last line of a file without a final newline */
            const char *eol;
            size_t n;
            eol_before(p, ls, &eol, &n);
            ls -= eol == p->t + ls - n ? n : 0;
        }
    }
    return splice(p, ls, end, &none, IDT_OK);
}

/* --- one object ------------------------------------------------------------ */

static decision decide(const idt_manifest__target *t, unsigned keys)
{
    decision d = { { ACT_NONE, ACT_NONE }, { false, false } };
    bool consumed[2] = { false, false };
    for (int k = 0; k < 2; k++) {
        if (!(keys & (1u << k)))
            continue;
        int o = 1 - k;
        if (t->val[k]) {
            d.act[k] = ACT_REPLACE;
        } else if (t->val[o] && !(keys & (1u << o))) {
            d.act[k] = ACT_RENAME;
            consumed[o] = true;
        } else {
            d.act[k] = ACT_ADD;
        }
    }
    for (int o = 0; o < 2; o++)
        d.remove[o] = t->val[o] && !(keys & (1u << o)) && !consumed[o];
    return d;
}

static uint64_t entry_bytes(const idt_manifest__target *t, int k)
{
    return (uint64_t)t->key[k]->vlen + t->val[k]->vlen;
}

/* The annotations' total after the edit (keys and values, decoded). */
static uint64_t total_after(const idt_manifest__target *t, const decision *d,
                            const idt_manifest__value *v, uint64_t *added)
{
    uint64_t total = t->total;
    *added = 0;
    for (int k = 0; k < 2; k++) {
        if (d->act[k] == ACT_NONE)
            continue;
        uint64_t e = (uint64_t)strlen(idt_manifest_key_name((idt_manifest_key)k)) + v->len;
        *added += e;
        total += e;
        if (d->act[k] == ACT_REPLACE)
            total -= entry_bytes(t, k);
        else if (d->act[k] == ACT_RENAME)
            total -= entry_bytes(t, 1 - k);
    }
    for (int o = 0; o < 2; o++)
        if (d->remove[o])
            total -= entry_bytes(t, o);
    return total;
}

static int edit_existing(planner *p, const decision *d, unsigned *did)
{
    const idt_manifest__target *t = &p->tg;
    unsigned add = 0;
    for (int k = 0; k < 2; k++) {
        if (d->act[k] == ACT_REPLACE) {
            IDTX_TRY(replace_value(p, t->key[k], t->val[k]));
            *did |= IDT_MANIFEST_DID_REPLACE;
        } else if (d->act[k] == ACT_RENAME) {
            IDTX_TRY(rename_key(p, t->key[1 - k], k));
            IDTX_TRY(replace_value(p, t->key[1 - k], t->val[1 - k]));
            *did |= IDT_MANIFEST_DID_RENAME;
        } else if (d->act[k] == ACT_ADD) {
            add |= 1u << k;
        }
    }
    for (int o = 0; o < 2; o++) {
        if (d->remove[o]) {
            IDTX_TRY(remove_entry(p, t->key[o], t->val[o]));
            *did |= IDT_MANIFEST_DID_REMOVE;
        }
    }
    if (add) {
        IDTX_TRY(append_entries(p, t->ann, NULL, 0, add));
        *did |= IDT_MANIFEST_DID_INSERT;
    }
    return IDT_OK;
}

static int create_annotations(planner *p, unsigned add, unsigned *did)
{
    static const char *const chain[] = { "metadata", "annotations" };
    const idt_manifest__target *t = &p->tg;
    *did |= IDT_MANIFEST_DID_CREATE | IDT_MANIFEST_DID_INSERT;
    if (t->ann_key) /* annotations: null */
        return fill_null(p, t->ann_key, t->ann, NULL, 0, add);
    if (t->meta && t->meta->type == MF_MAP)
        return append_entries(p, t->meta, chain + 1, 1, add);
    if (t->meta_key) /* metadata: null */
        return fill_null(p, t->meta_key, t->meta, chain + 1, 1, add);
    return append_entries(p, t->tmpl, chain, 2, add);
}

int idt_manifest__note(idt_manifest_report *r, idt_manifest_note_kind kind, size_t object,
                       idt_span span, const char *fmt, ...)
{
    if (!r)
        return IDT_OK;
    if (r->note_count >= SIZE_MAX / sizeof *r->notes - 1)
        return IDT_ENOMEM;
    idt_manifest_note *v = realloc(r->notes, (r->note_count + 1) * sizeof *v);
    if (!v)
        return IDT_ENOMEM;
    r->notes = v;
    idt_manifest_note *n = &v[r->note_count++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->object = object;
    n->span = span;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(n->message, sizeof n->message, fmt, ap);
    va_end(ap);
    return IDT_OK;
}

static idt_span node_span(const planner *p, const idt_manifest__node *n)
{
    return idt_manifest__span(p->t, p->len, n->start, n->end, n->line);
}

static int notes_for(planner *p, idt_manifest_report *r, size_t index, const decision *d)
{
    const idt_manifest__target *t = &p->tg;
    const int L = IDT_MANIFEST_KEY_LEGACY, C = IDT_MANIFEST_KEY_CURRENT;
    int rc = IDT_OK;
    if (t->key[L]) {
        const char *what = d->act[C] == ACT_RENAME ? "renamed it to " IDT_MANIFEST_KEY_CURRENT_NAME
                           : d->remove[L] ? "removed it (" IDT_MANIFEST_KEY_CURRENT_NAME
                                            " is set)"
                                          : "set it as asked";
        rc = idt_manifest__note(r, IDT_MANIFEST_NOTE_LEGACY_KEY, index, node_span(p, t->key[L]),
                                "%s has the legacy key " IDT_MANIFEST_KEY_LEGACY_NAME
                                ", which only the Go runtime of Kata 3.8 to 3.19 reads: %s",
                                p->label, what);
    } else if (d->act[C] == ACT_NONE) {
        rc = idt_manifest__note(r, IDT_MANIFEST_NOTE_LEGACY_KEY, index, node_span(p, p->o->root),
                                "%s: only the legacy key " IDT_MANIFEST_KEY_LEGACY_NAME
                                " is written, which only the Go runtime of Kata 3.8 to 3.19 "
                                "reads (Kata 3.20 and later, and runtime-rs already in 3.19, "
                                "ignore it)", p->label);
    }
    if (rc == IDT_OK && !t->runtime_class)
        rc = idt_manifest__note(r, IDT_MANIFEST_NOTE_NO_RUNTIME_CLASS, index,
                                node_span(p, p->o->root),
                                "%s has no %s.runtimeClassName: Kata reads the annotation only "
                                "for pods on a Kata runtime class (such as kata-qemu-tdx)",
                                p->label, t->spec_path);
    return rc < 0 ? idtx_error_set(p->err, rc, NULL, "out of memory") : IDT_OK;
}

int idt_manifest__plan(idt_manifest__edits *edits, idt_manifest_change *change,
                       idt_manifest_report *report, const idt_manifest *m, size_t index,
                       const idt_manifest__value *v, idt_error *err)
{
    planner p = { 0 };
    p.m = m;
    p.t = m->text;
    p.len = m->len;
    p.edits = edits;
    p.o = &m->objects[index];
    p.v = v;
    p.err = err;
    p.text_max = text_max(m, v);
    idt_manifest__label(p.label, sizeof p.label, p.o);
    IDTX_TRY(idt_manifest__resolve(&p.tg, m, p.o, err));

    decision d = decide(&p.tg, v->keys);
    uint64_t added, total = total_after(&p.tg, &d, v, &added);
    IDTX_TRY(idt_manifest__check_budget(m, p.o, total, added, err));

    memset(change, 0, sizeof *change);
    change->object = index;
    change->total_bytes = total;
    if (p.tg.ann && p.tg.ann->type == MF_MAP)
        IDTX_TRY(edit_existing(&p, &d, &change->did));
    else
        IDTX_TRY(create_annotations(&p, v->keys, &change->did));
    return notes_for(&p, report, index, &d);
}
