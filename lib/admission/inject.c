/* Injection: which rule gives a Pod its document, and the RFC 6902 JSON
 * Patch that sets the annotation (RFC 6901 pointers; a missing
 * metadata.annotations is created, since "add" needs the parent). */
#include "admission/admission_int.h"
#include "initdata/manifest.h"
#include "util/json.h"

#include <string.h>

const idt_admission__inject *idt_admission__inject_rule(const idt_admission_config *cfg,
                                                        const idt_admission__object *o,
                                                        const char *ns)
{
    if (strcmp(o->kind, "Pod") != 0 || !idt_admission__matches(&cfg->scope, o, ns))
        return NULL;
    for (size_t i = 0; i < cfg->inject_count; i++)
        if (idt_admission__matches(&cfg->inject[i].match, o, ns))
            return &cfg->inject[i];
    return NULL;
}

/* One pointer segment: '~' as "~0", '/' as "~1". */
static int segment(idtx_buf *b, const char *s, idt_error *err)
{
    IDTX_TRY(idtx_buf_putc(b, '/', err));
    for (; *s; s++) {
        if (*s == '~')
            IDTX_TRY(idtx_buf_puts(b, "~0", err));
        else if (*s == '/')
            IDTX_TRY(idtx_buf_puts(b, "~1", err));
        else
            IDTX_TRY(idtx_buf_putc(b, *s, err));
    }
    return IDT_OK;
}

/* Opens one operation: {"op":"OP","path":"<pointer>[/annotations[/KEY]]" */
static int op(idtx_buf *b, const char *name, const idt_admission__object *o, bool annotations,
              const char *key, idt_error *err)
{
    idtx_buf path;
    idtx_buf_init(&path, 512, "a JSON Pointer");
    int rc = idtx_buf_puts(&path, o->pointer, err);
    if (rc == IDT_OK && annotations)
        rc = segment(&path, "annotations", err);
    if (rc == IDT_OK && key)
        rc = segment(&path, key, err);
    if (rc == IDT_OK)
        rc = idtx_buf_printf(b, err, "%s{\"op\":\"%s\",\"path\":", b->data[b->len - 1] == '[' ? "" : ",", name);
    if (rc == IDT_OK)
        rc = idtx_json_string(b, path.data, path.len, false, NULL, err);
    idtx_buf_dispose(&path);
    return rc;
}

static int value_string(idtx_buf *b, const char *v, size_t n, idt_error *err)
{
    IDTX_TRY(idtx_buf_puts(b, ",\"value\":", err));
    IDTX_TRY(idtx_json_string(b, v, n, false, NULL, err));
    return idtx_buf_putc(b, '}', err);
}

/* Sets the current key to v (n bytes): "add" creates or replaces. */
static int set_current(idtx_buf *b, const idt_admission__object *o, const char *v, size_t n,
                       idt_error *err)
{
    if (o->annotations == IDTX_JSON_NONE) {
        /* No annotations (or null): add the whole map, and metadata if it
         * is missing too. */
        bool meta = o->metadata != IDTX_JSON_NONE;
        IDTX_TRY(op(b, "add", o, meta, NULL, err));
        IDTX_TRY(idtx_buf_puts(b, meta ? ",\"value\":{" : ",\"value\":{\"annotations\":{", err));
        IDTX_TRY(idtx_json_string(b, IDT_MANIFEST_KEY_CURRENT_NAME,
                                  strlen(IDT_MANIFEST_KEY_CURRENT_NAME), false, NULL, err));
        IDTX_TRY(idtx_buf_putc(b, ':', err));
        IDTX_TRY(idtx_json_string(b, v, n, false, NULL, err));
        return idtx_buf_puts(b, meta ? "}}" : "}}}", err);
    }
    IDTX_TRY(op(b, "add", o, true, IDT_MANIFEST_KEY_CURRENT_NAME, err));
    return value_string(b, v, n, err);
}

static int remove_legacy(idtx_buf *b, const idt_admission__object *o, idt_error *err)
{
    IDTX_TRY(op(b, "remove", o, true, IDT_MANIFEST_KEY_LEGACY_NAME, err));
    return idtx_buf_putc(b, '}', err);
}

int idt_admission__patch(idtx_buf *b, const idt_admission__inject *r,
                         const idt_admission__object *o, idt_error *err)
{
    const idtx_json *j = o->json;
    size_t cur = o->value[IDT_MANIFEST_KEY_CURRENT], leg = o->value[IDT_MANIFEST_KEY_LEGACY];
    size_t start = b->len;
    IDTX_TRY(idtx_buf_putc(b, '[', err));
    size_t open = b->len;
    int rc = IDT_OK;
    if (cur == IDTX_JSON_NONE && leg == IDTX_JSON_NONE) {
        rc = set_current(b, o, r->value, r->value_len, err);
    } else if (cur != IDTX_JSON_NONE) {
        if (r->replace && !idtx_json_string_eq(j, cur, r->value, r->value_len))
            rc = set_current(b, o, r->value, r->value_len, err);
        if (rc == IDT_OK && leg != IDTX_JSON_NONE && r->migrate_legacy)
            rc = remove_legacy(b, o, err);
    } else if (r->replace || r->migrate_legacy) {
        /* Only the legacy key: replace it with the rule's document, or
         * carry its value over to the current key. */
        if (r->replace) {
            rc = set_current(b, o, r->value, r->value_len, err);
        } else if (j->tok[leg].type == IDTX_JSON_STRING) {
            idtx_buf v;
            idtx_buf_init(&v, j->tok[leg].len, "the legacy annotation");
            rc = idtx_json_string_decode(j, leg, &v, err);
            if (rc == IDT_OK)
                rc = set_current(b, o, v.data ? v.data : "", v.len, err);
            idtx_buf_dispose(&v);
        }
        if (rc == IDT_OK && r->migrate_legacy)
            rc = remove_legacy(b, o, err);
    }
    if (rc < 0)
        return rc;
    if (b->len == open) { /* nothing to change: no patch at all */
        b->len = start;
        if (b->data)
            b->data[start] = '\0';
        return IDT_OK;
    }
    return idtx_buf_putc(b, ']', err);
}
