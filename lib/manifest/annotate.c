/* idt_manifest_annotate: select the objects, plan each one's splices,
 * apply them, and check the result by scanning it again. */
#include "manifest_int.h"
#include "util/quote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void idt_manifest_report_dispose(idt_manifest_report *r)
{
    if (!r)
        return;
    free(r->changes);
    free(r->notes);
    memset(r, 0, sizeof *r);
}

static bool same_kind(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a | 0x20) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b | 0x20) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

bool idt_manifest_selector_matches(const idt_manifest_selector *s, const char *kind,
                                   const char *name)
{
    return s && kind && name && (!s->kind || same_kind(s->kind, kind)) &&
           (!s->name || !strcmp(s->name, name));
}

static bool matches(const idt_manifest_selector *s, const idt_manifest__object *o)
{
    return idt_manifest_selector_matches(s, o->kind, o->name);
}

static void selector_text(char *buf, size_t cap, const idt_manifest_selector *s)
{
    char k[IDTX_QUOTE_MAX], n[IDTX_QUOTE_MAX];
    idtx_quote(k, s->kind ? s->kind : "*", s->kind ? strlen(s->kind) : 1);
    idtx_quote(n, s->name ? s->name : "*", s->name ? strlen(s->name) : 1);
    snprintf(buf, cap, "%s/%s", k, n);
}

/* Marks the objects to edit.  Every selector must match a pod-bearing
 * object: a typo should not silently edit nothing. */
static int select_objects(bool *sel, const idt_manifest *m,
                          const idt_manifest_annotate_options *o, idt_error *err)
{
    size_t pods = 0;
    for (size_t i = 0; i < m->nobjects; i++) {
        const idt_manifest__object *ob = &m->objects[i];
        pods += ob->pod_kind >= 0;
        sel[i] = ob->pod_kind >= 0 && o->select_count == 0;
        for (size_t s = 0; s < o->select_count; s++)
            sel[i] |= ob->pod_kind >= 0 && matches(&o->select[s], ob);
    }
    if (pods == 0)
        return idtx_error_set(err, IDT_ESCHEMA, NULL,
                              "no pod-bearing object in the manifest (Pod, Deployment, "
                              "StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, "
                              "ReplicationController, PodTemplate, or a List of them)");
    for (size_t s = 0; s < o->select_count; s++) {
        const idt_manifest__object *other = NULL;
        bool hit = false;
        for (size_t i = 0; i < m->nobjects && !hit; i++) {
            if (!matches(&o->select[s], &m->objects[i]))
                continue;
            hit = m->objects[i].pod_kind >= 0;
            other = &m->objects[i];
        }
        if (hit)
            continue;
        char what[2 * IDTX_QUOTE_MAX + 8], label[2 * IDTX_QUOTE_MAX + 8];
        selector_text(what, sizeof what, &o->select[s]);
        if (!other)
            return idtx_error_set(err, IDT_EMISMATCH, NULL,
                                  "no object in the manifest matches %s", what);
        idt_manifest__label(label, sizeof label, other);
        return idtx_error_set(err, IDT_EMISMATCH, NULL,
                              "%s selects %s, which has no pod template", what, label);
    }
    return IDT_OK;
}

static int internal(idt_error *err, const char *what, const idt_error *why)
{
    return idtx_error_set(err, IDT_ERROR, NULL,
                          "internal error: the edited manifest %s%s%s; nothing was written",
                          what, why ? ": " : "", why ? why->message : "");
}

/* The edited text must scan to the same objects, with the annotation set
 * exactly where the plan says and the planned totals. */
static int verify(const idt_manifest *m, const char *text, size_t len,
                  const idt_manifest_change *ch, size_t nch, const idt_manifest__value *v,
                  idt_error *err)
{
    idt_manifest_options o = m->opts;
    o.max_size = SIZE_MAX;
    o.max_nodes = SIZE_MAX;
    o.max_depth = m->opts.max_depth > UINT32_MAX - 4 ? m->opts.max_depth : m->opts.max_depth + 4;
    idt_manifest *after;
    idt_error why;
    idt_error_clear(&why);
    int rc = idt_manifest_scan(&after, text, len, &o, &why);
    if (rc == IDT_ENOMEM)
        return idtx_error_set(err, rc, NULL, "out of memory");
    if (rc < 0)
        return internal(err, "does not parse", &why);
    rc = IDT_OK;
    if (after->nobjects != m->nobjects)
        rc = internal(err, "has a different number of objects", NULL);
    for (size_t i = 0; rc == IDT_OK && i < m->nobjects; i++) {
        const idt_manifest__object *a = &m->objects[i], *b = &after->objects[i];
        if (strcmp(a->kind, b->kind) || strcmp(a->name, b->name) || a->pod_kind != b->pod_kind)
            rc = internal(err, "has different objects", NULL);
    }
    for (size_t c = 0; rc == IDT_OK && c < nch; c++) {
        idt_manifest_annotations an;
        rc = idt_manifest_get_annotations(&an, after, ch[c].object, &why);
        if (rc == IDT_ENOMEM)
            rc = idtx_error_set(err, rc, NULL, "out of memory");
        else if (rc < 0)
            rc = internal(err, "has a broken object", &why);
        for (int k = 0; rc == IDT_OK && k < 2; k++) {
            bool want = (v->keys >> k) & 1u;
            bool has = an.value[k] != NULL;
            if (want != has || (want && (an.value_len[k] != v->len ||
                                         memcmp(an.value[k], v->s, v->len))))
                rc = internal(err, "does not hold the new annotation", NULL);
        }
        if (rc == IDT_OK && an.total_bytes != ch[c].total_bytes)
            rc = internal(err, "has other annotation sizes than planned", NULL);
    }
    idt_manifest_free(after);
    return rc;
}

static int check_args(const idt_manifest *m, const char *value, size_t value_len,
                      const idt_manifest_annotate_options *opts, unsigned *keys, idt_error *err)
{
    if (!m || (!value && value_len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_manifest_annotate: NULL argument");
    *keys = IDT_MANIFEST_KEYS_CURRENT;
    if (opts) {
        if (opts->version != IDT_MANIFEST_ANNOTATE_OPTIONS_VERSION)
            return idtx_error_set(err, IDT_EINVAL, NULL,
                                  "idt_manifest_annotate: unknown options version %u",
                                  opts->version);
        if (opts->keys & ~IDT_MANIFEST_KEYS_BOTH)
            return idtx_error_set(err, IDT_EINVAL, NULL,
                                  "idt_manifest_annotate: unknown keys mask %#x", opts->keys);
        if (opts->keys)
            *keys = opts->keys;
        if (opts->select_count && !opts->select)
            return idtx_error_set(err, IDT_EINVAL, NULL, "idt_manifest_annotate: NULL select");
    }
    if (!idt_manifest__utf8_ok(value ? value : "", value_len))
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "the annotation value is not UTF-8, which YAML requires");
    return IDT_OK;
}

int idt_manifest_annotate(char **out, size_t *out_len, const idt_manifest *m, const char *value,
                          size_t value_len, const idt_manifest_annotate_options *opts,
                          idt_manifest_report *report, idt_error *err)
{
    if (!out || !out_len)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_manifest_annotate: NULL argument");
    *out = NULL;
    *out_len = 0;
    if (report)
        memset(report, 0, sizeof *report);
    unsigned keys = 0;
    IDTX_TRY(check_args(m, value, value_len, opts, &keys, err));
    idt_manifest_annotate_options o = IDT_MANIFEST_ANNOTATE_OPTIONS_INIT;
    if (opts)
        o = *opts;

    size_t n = m->nobjects ? m->nobjects : 1;
    bool *sel = calloc(n, sizeof *sel);
    idt_manifest_change *ch = calloc(n, sizeof *ch);
    idt_manifest__edits edits = { 0 };
    size_t nch = 0;
    int rc = sel && ch ? IDT_OK : idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    if (rc == IDT_OK)
        rc = select_objects(sel, m, &o, err);
    idt_manifest__value v = { value ? value : "", value_len, keys };
    for (size_t i = 0; rc == IDT_OK && i < m->nobjects; i++)
        if (sel[i] && (rc = idt_manifest__plan(&edits, &ch[nch], report, m, i, &v, err)) == IDT_OK)
            nch++;
    char *text = NULL;
    size_t len = 0;
    if (rc == IDT_OK)
        rc = idt_manifest__edits_apply(&text, &len, m->text, m->len, &edits, err);
    if (rc == IDT_OK)
        rc = verify(m, text, len, ch, nch, &v, err);
    if (report && nch) {
        report->changes = ch;
        report->change_count = nch;
        ch = NULL;
    }
    idt_manifest__edits_dispose(&edits);
    free(sel);
    free(ch);
    if (rc < 0) {
        free(text);
        return rc;
    }
    *out = text;
    *out_len = len;
    return IDT_OK;
}
