/* One object of a manifest as JSON (initdata/manifest.h), so that the
 * admission rules, written for the JSON the API server sends, judge YAML
 * manifests too.  The YAML is read again with libyaml's event parser up to
 * the object, and its subtree is written as JSON: keys as strings, plain
 * scalars typed by YAML 1.2's core schema (null, booleans, numbers that
 * JSON can spell), everything else as strings. */
#include "manifest/manifest_int.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct frame {
    bool mapping;
    bool any;        /* something was written into it */
    bool want_key;   /* mappings: the next scalar is a key */
} frame;

static bool is_word(const char *s, size_t n, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == n && memcmp(*words, s, n) == 0)
            return true;
    return false;
}

/* A plain scalar that is a JSON number as written (YAML 1.2 core's
 * decimal ints and floats, in JSON's stricter spelling). */
static bool json_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n || s[i] < '0' || s[i] > '9' || (s[i] == '0' && i + 1 < n && s[i + 1] >= '0' &&
                                                s[i + 1] <= '9'))
        return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < n && s[i] == '.') {
        if (++i >= n || s[i] < '0' || s[i] > '9')
            return false;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || s[i] < '0' || s[i] > '9')
            return false;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    return i == n;
}

static int scalar(idtx_buf *b, const yaml_event_t *ev, bool key, idt_error *err)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
    static const char *const trues[] = { "true", "True", "TRUE", NULL };
    static const char *const falses[] = { "false", "False", "FALSE", NULL };
    if (!key && ev->data.scalar.plain_implicit && !ev->data.scalar.tag) {
        if (is_word(s, n, nulls))
            return idtx_buf_puts(b, "null", err);
        if (is_word(s, n, trues))
            return idtx_buf_puts(b, "true", err);
        if (is_word(s, n, falses))
            return idtx_buf_puts(b, "false", err);
        if (json_number(s, n))
            return idtx_buf_put(b, s, n, err);
    }
    return idtx_json_string(b, s, n, true, NULL, err);
}

/* Writes the subtree that starts with ev (already taken from p). */
static int subtree(idtx_buf *b, yaml_parser_t *p, yaml_event_t *ev, unsigned max_depth,
                   idt_error *err)
{
    frame *st = calloc(max_depth + 1, sizeof *st);
    if (!st)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    unsigned depth = 0;
    int rc = IDT_OK;
    bool first = true;
    while (rc == IDT_OK) {
        if (!first) {
            yaml_event_delete(ev);
            if (!yaml_parser_parse(p, ev)) {
                rc = idtx_error_set(err, IDT_ESYNTAX, NULL, "the manifest is not YAML: %s",
                                    p->problem ? p->problem : "parse error");
                break;
            }
        }
        first = false;
        frame *top = depth ? &st[depth - 1] : NULL;
        bool is_key = top && top->mapping && top->want_key;
        bool ends = ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT;
        if (!ends && top) {
            if (top->any && (!top->mapping || is_key))
                rc = idtx_buf_putc(b, ',', err);
            top->any = true;
            if (top->mapping)
                top->want_key = !is_key;
        }
        if (rc < 0)
            break;
        switch (ev->type) {
        case YAML_SCALAR_EVENT:
            rc = scalar(b, ev, is_key, err);
            if (rc == IDT_OK && is_key)
                rc = idtx_buf_putc(b, ':', err);
            break;
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            if (is_key) {
                rc = idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                                    "a collection as a mapping key has no JSON form");
                break;
            }
            if (depth >= max_depth) {
                rc = idtx_error_set(err, IDT_ELIMIT, NULL, "nested deeper than %u levels",
                                    max_depth);
                break;
            }
            st[depth].mapping = ev->type == YAML_MAPPING_START_EVENT;
            st[depth].any = false;
            st[depth].want_key = true;
            depth++;
            rc = idtx_buf_putc(b, ev->type == YAML_MAPPING_START_EVENT ? '{' : '[', err);
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            depth--;
            rc = idtx_buf_putc(b, ev->type == YAML_MAPPING_END_EVENT ? '}' : ']', err);
            break;
        case YAML_ALIAS_EVENT:
            rc = idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                                "an alias inside the object (aliases are not expanded)");
            break;
        default:
            rc = idtx_error_set(err, IDT_ESYNTAX, NULL, "unexpected YAML event");
            break;
        }
        if (depth == 0)
            break;
    }
    free(st);
    return rc;
}

int idt_manifest_object_json(char **out, size_t *out_len, const idt_manifest *m, size_t i,
                             idt_error *err)
{
    if (!out || !m || i >= m->nobjects)
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_manifest_object_json");
    *out = NULL;
    const idt_manifest__object *o = &m->objects[i];
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)m->text, m->len);
    idt_manifest__charmap map;
    int rc = idt_manifest__charmap_init(&map, m->text, m->len, m->map.base);
    idtx_buf b;
    idtx_buf_init(&b, m->len * 6 + 64, "the object's JSON");
    size_t docs = 0;
    bool done = false;
    yaml_event_t ev;
    while (rc == IDT_OK && !done) {
        if (!yaml_parser_parse(&p, &ev)) {
            rc = idtx_error_set(err, IDT_ESYNTAX, NULL, "the manifest is not YAML");
            break;
        }
        if (ev.type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (ev.type == YAML_DOCUMENT_START_EVENT)
            docs++;
        if (ev.type == YAML_MAPPING_START_EVENT && docs == o->document + 1 &&
            idt_manifest__byte_of(&map, ev.start_mark.index) == o->root->start) {
            rc = subtree(&b, &p, &ev, m->opts.max_depth, err);
            done = true;
        }
        yaml_event_delete(&ev);
    }
    idt_manifest__charmap_dispose(&map);
    yaml_parser_delete(&p);
    if (rc == IDT_OK && !done)
        rc = idtx_error_set(err, IDT_ERROR, NULL, "the object was not found again (a bug)");
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, out, out_len, err);
    idtx_buf_dispose(&b);
    return rc;
}
