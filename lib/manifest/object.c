/* Objects: which kinds carry a pod template, where it is, and what its
 * annotations hold. */
#include "manifest_int.h"
#include "util/keyword.h"
#include "util/quote.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The pod-bearing kinds (initdata-facts section 4, the places kata's
 * genpolicy writes), and the keys from the object to its pod template. */
typedef struct pod_kind {
    const char *kind;
    uint8_t path[4]; /* idt_manifest__key ids, 0-terminated */
    const char *ann_path;
    const char *spec_path;
} pod_kind;

#define TEMPLATE_PATH { MF_K_SPEC, MF_K_TEMPLATE, 0, 0 }, \
    "spec.template.metadata.annotations", "spec.template.spec"

static const pod_kind kinds[] = {
    { "Pod", { 0, 0, 0, 0 }, "metadata.annotations", "spec" },
    { "Deployment", TEMPLATE_PATH },
    { "StatefulSet", TEMPLATE_PATH },
    { "DaemonSet", TEMPLATE_PATH },
    { "ReplicaSet", TEMPLATE_PATH },
    { "Job", TEMPLATE_PATH },
    { "ReplicationController", TEMPLATE_PATH },
    { "CronJob", { MF_K_SPEC, MF_K_JOBTEMPLATE, MF_K_SPEC, MF_K_TEMPLATE },
      "spec.jobTemplate.spec.template.metadata.annotations",
      "spec.jobTemplate.spec.template.spec" },
    { "PodTemplate", { MF_K_TEMPLATE, 0, 0, 0 }, "template.metadata.annotations",
      "template.spec" },
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

const char *const idt_manifest__pod_kinds[NKINDS + 1] = {
    "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
    "ReplicationController", "CronJob", "PodTemplate", NULL,
};

static const char *key_word(uint8_t id)
{
    switch (id) {
    case MF_K_SPEC:
        return "spec";
    case MF_K_TEMPLATE:
        return "template";
    case MF_K_JOBTEMPLATE:
        return "jobTemplate";
    case MF_K_METADATA:
        return "metadata";
    case MF_K_ANNOTATIONS:
        return "annotations";
    default:
        return "?";
    }
}

void idt_manifest__label(char *buf, size_t cap, const idt_manifest__object *o)
{
    char k[IDTX_QUOTE_MAX], n[IDTX_QUOTE_MAX];
    /* Quote only when the text needs it: most kinds and names are plain. */
    idtx_quote(k, o->kind, strlen(o->kind));
    idtx_quote(n, o->name, strlen(o->name));
    bool plain = strlen(k) == strlen(o->kind) + 2 && strlen(n) == strlen(o->name) + 2;
    if (plain)
        snprintf(buf, cap, "%s/%s", o->kind, o->name[0] ? o->name : "(no name)");
    else
        snprintf(buf, cap, "%s/%s", k, n);
}

int idt_manifest__fail_at(idt_error *err, int code, const idt_manifest *m,
                          const idt_manifest__node *n, const char *fmt, ...)
{
    idt_span sp = idt_manifest__span(m->text, m->len, n->start, n->end, n->line);
    va_list ap;
    va_start(ap, fmt);
    int rc = idtx_error_vset(err, code, &sp, fmt, ap);
    va_end(ap);
    return rc;
}

static idt_manifest__node *lookup_key(const idt_manifest__node *map, uint8_t id)
{
    if (!map || map->type != MF_MAP)
        return NULL;
    for (idt_manifest__node *k = map->first; k && k->next; k = k->next->next)
        if (k->key_id == id)
            return k;
    return NULL;
}

static const char *type_word(const idt_manifest__node *n)
{
    if (n->type == MF_SEQ)
        return "a sequence";
    if (n->type == MF_ALIAS)
        return "an alias";
    return n->type == MF_MAP ? "a mapping" : "a scalar";
}

/* A mapping this module reads or edits must be written out: an alias
 * would need expanding (and editing would change every user of the
 * anchor), and a merge key could be where the real entries are. */
static int need_mapping(const idt_manifest *m, const idt_manifest__node *v, const char *label,
                        const char *path, idt_error *err)
{
    if (v->type == MF_ALIAS)
        return idt_manifest__fail_at(err, IDT_ESCHEMA, m, v,
                                     "%s: %s is an alias; initdata does not expand aliases "
                                     "(write the mapping out)", label, path);
    if (v->type != MF_MAP)
        return idt_manifest__fail_at(err, IDT_ESCHEMA, m, v, "%s: %s is %s, not a mapping",
                                     label, path, type_word(v));
    if (v->merge)
        return idt_manifest__fail_at(err, IDT_ESCHEMA, m, v->merge,
                                     "%s: %s has a merge key (<<); the entries it merges in "
                                     "cannot be edited in place (write them out)", label, path);
    return IDT_OK;
}

/* An optional mapping (metadata, annotations): absent, null, or a mapping. */
static int optional_mapping(const idt_manifest *m, const idt_manifest__node *v, const char *label,
                            const char *path, idt_error *err)
{
    if (v->type == MF_SCALAR && v->is_null) {
        if (v->anchored)
            return idt_manifest__fail_at(err, IDT_ESCHEMA, m, v,
                                         "%s: %s is an anchored null; filling it in would change "
                                         "what its aliases mean", label, path);
        return IDT_OK;
    }
    return need_mapping(m, v, label, path, err);
}

static void count_annotations(idt_manifest__target *t)
{
    for (idt_manifest__node *k = t->ann->first; k && k->next; k = k->next->next) {
        idt_manifest__node *v = k->next;
        t->count++;
        t->total += (uint64_t)k->vlen + v->vlen;
        if (k->key_id == MF_K_CURRENT || k->key_id == MF_K_LEGACY) {
            int i = k->key_id == MF_K_CURRENT ? IDT_MANIFEST_KEY_CURRENT : IDT_MANIFEST_KEY_LEGACY;
            t->key[i] = k;
            t->val[i] = v;
        }
    }
}

static int check_values(const idt_manifest *m, const idt_manifest__target *t, const char *label,
                        idt_error *err)
{
    for (int i = 0; i < 2; i++) {
        const idt_manifest__node *v = t->val[i];
        if (!v || v->type == MF_SCALAR)
            continue;
        return idt_manifest__fail_at(err, IDT_ESCHEMA, m, v,
                                     "%s: the value of %s is %s, not a string%s", label,
                                     idt_manifest_key_name((idt_manifest_key)i), type_word(v),
                                     v->type == MF_ALIAS ? " (initdata does not expand aliases)"
                                                         : "");
    }
    return IDT_OK;
}

int idt_manifest__resolve(idt_manifest__target *t, const idt_manifest *m,
                          const idt_manifest__object *o, idt_error *err)
{
    memset(t, 0, sizeof *t);
    char label[2 * IDTX_QUOTE_MAX + 8];
    idt_manifest__label(label, sizeof label, o);
    const pod_kind *pk = &kinds[o->pod_kind];
    t->path = pk->ann_path;
    t->spec_path = pk->spec_path;

    char path[96] = "";
    idt_manifest__node *node = o->root;
    IDTX_TRY(need_mapping(m, node, label, "the object", err));
    for (size_t i = 0; i < 4 && pk->path[i]; i++) {
        snprintf(path + strlen(path), sizeof path - strlen(path), "%s%s", i ? "." : "",
                 key_word(pk->path[i]));
        idt_manifest__node *k = lookup_key(node, pk->path[i]);
        if (!k)
            return idt_manifest__fail_at(err, IDT_ESCHEMA, m, node,
                                         "%s has no %s: a %s keeps its pod template there",
                                         label, path, o->kind);
        node = k->next;
        IDTX_TRY(need_mapping(m, node, label, path, err));
    }
    t->tmpl = node;
    snprintf(path + strlen(path), sizeof path - strlen(path), "%smetadata", path[0] ? "." : "");
    if ((t->meta_key = lookup_key(t->tmpl, MF_K_METADATA)) != NULL) {
        t->meta = t->meta_key->next;
        IDTX_TRY(optional_mapping(m, t->meta, label, path, err));
    }
    if (t->meta && t->meta->type == MF_MAP &&
        (t->ann_key = lookup_key(t->meta, MF_K_ANNOTATIONS)) != NULL) {
        t->ann = t->ann_key->next;
        IDTX_TRY(optional_mapping(m, t->ann, label, t->path, err));
    }
    if (t->ann && t->ann->type == MF_MAP) {
        count_annotations(t);
        IDTX_TRY(check_values(m, t, label, err));
    }
    idt_manifest__node *spec = lookup_key(t->tmpl, MF_K_SPEC);
    idt_manifest__node *rc = spec ? lookup_key(spec->next, MF_K_RUNTIMECLASS) : NULL;
    if (rc && rc->next->type == MF_SCALAR && rc->next->value && rc->next->value[0] &&
        !rc->next->is_null)
        t->runtime_class = rc->next->value;
    return IDT_OK;
}

/* --- public accessors ---------------------------------------------------- */

const char *idt_manifest_key_name(idt_manifest_key key)
{
    if (key == IDT_MANIFEST_KEY_CURRENT)
        return IDT_MANIFEST_KEY_CURRENT_NAME;
    return key == IDT_MANIFEST_KEY_LEGACY ? IDT_MANIFEST_KEY_LEGACY_NAME : NULL;
}

static const idtx_keyword keys_names[] = {
    { "current", IDT_MANIFEST_KEYS_CURRENT },
    { "legacy", IDT_MANIFEST_KEYS_LEGACY },
    { "both", IDT_MANIFEST_KEYS_BOTH },
};

IDTX_KEYWORD_FUNCS(idt_manifest_keys, unsigned, keys_names, "annotation keys")

int idt_manifest_object_at(idt_manifest_object *out, const idt_manifest *m, size_t i,
                           idt_error *err)
{
    if (!out || !m)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_manifest_object_at: NULL argument");
    if (i >= m->nobjects)
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "idt_manifest_object_at: no object %zu (the manifest has %zu)", i,
                              m->nobjects);
    const idt_manifest__object *o = &m->objects[i];
    memset(out, 0, sizeof *out);
    out->kind = o->kind;
    out->name = o->name;
    out->document = o->document;
    out->item = o->item;
    out->span = idt_manifest__span(m->text, m->len, o->root->start, o->root->end, o->root->line);
    out->pod_bearing = o->pod_kind >= 0;
    out->path = o->pod_kind >= 0 ? kinds[o->pod_kind].ann_path : NULL;
    return IDT_OK;
}

int idt_manifest_get_annotations(idt_manifest_annotations *out, const idt_manifest *m, size_t i,
                                 idt_error *err)
{
    if (!out || !m)
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "idt_manifest_get_annotations: NULL argument");
    memset(out, 0, sizeof *out);
    if (i >= m->nobjects || m->objects[i].pod_kind < 0)
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "idt_manifest_get_annotations: object %zu is not pod-bearing", i);
    idt_manifest__target t;
    IDTX_TRY(idt_manifest__resolve(&t, m, &m->objects[i], err));
    out->present = t.ann && t.ann->type == MF_MAP;
    out->count = t.count;
    out->total_bytes = t.total;
    out->budget = idt_manifest__budget(m);
    out->runtime_class = t.runtime_class;
    for (int k = 0; k < 2; k++) {
        const idt_manifest__node *v = t.val[k];
        if (!v)
            continue;
        out->value[k] = v->value ? v->value : "";
        out->value_len[k] = v->vlen;
        out->span[k] = idt_manifest__span(m->text, m->len, v->start, v->end, v->line);
    }
    return IDT_OK;
}
