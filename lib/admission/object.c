/* A pod-bearing object in an AdmissionReview: where each kind keeps its
 * pod template, and whether a table's conditions (runtime class,
 * namespace, labels) hold for it. */
#include "admission/admission_int.h"
#include "initdata/lint.h"
#include "initdata/manifest.h"

#include <string.h>

typedef struct kind_layout {
    const char *kind;
    const char *group;        /* its API group ("" for the core group) */
    const char *const *path;  /* from the object to the pod template */
    const char *field;        /* the annotations' field path */
    const char *pointer;      /* the template metadata's JSON Pointer */
} kind_layout;

static const char *const at_object[] = { NULL };
static const char *const at_spec_template[] = { "spec", "template", NULL };
static const char *const at_cronjob[] = { "spec", "jobTemplate", "spec", "template", NULL };
static const char *const at_template[] = { "template", NULL };

#define TEMPLATE_FIELD "spec.template.metadata.annotations"
#define TEMPLATE_POINTER "/spec/template/metadata"

static const kind_layout layouts[] = {
    { "Pod", "", at_object, "metadata.annotations", "/metadata" },
    { "Deployment", "apps", at_spec_template, TEMPLATE_FIELD, TEMPLATE_POINTER },
    { "StatefulSet", "apps", at_spec_template, TEMPLATE_FIELD, TEMPLATE_POINTER },
    { "DaemonSet", "apps", at_spec_template, TEMPLATE_FIELD, TEMPLATE_POINTER },
    { "ReplicaSet", "apps", at_spec_template, TEMPLATE_FIELD, TEMPLATE_POINTER },
    { "Job", "batch", at_spec_template, TEMPLATE_FIELD, TEMPLATE_POINTER },
    { "ReplicationController", "", at_spec_template, TEMPLATE_FIELD, TEMPLATE_POINTER },
    { "CronJob", "batch", at_cronjob, "spec.jobTemplate.spec.template.metadata.annotations",
      "/spec/jobTemplate/spec/template/metadata" },
    { "PodTemplate", "", at_template, "template.metadata.annotations", "/template/metadata" },
};

static size_t typed(const idtx_json *j, size_t i, int type)
{
    return idtx_json_type_at(j, i) == type ? i : IDTX_JSON_NONE;
}

static const kind_layout *layout(const char *kind, size_t kind_len)
{
    for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++)
        if (strlen(layouts[i].kind) == kind_len && memcmp(layouts[i].kind, kind, kind_len) == 0)
            return &layouts[i];
    return NULL;
}

bool idt_admission__kind_known(const char *kind, const char *group)
{
    const kind_layout *k = layout(kind, strlen(kind));
    return k && (!group || !strcmp(group, k->group));
}

bool idt_admission__object_view(idt_admission__object *out, const idtx_json *j, size_t obj,
                                const char *kind, size_t kind_len)
{
    memset(out, 0, sizeof *out);
    const kind_layout *k = layout(kind, kind_len);
    if (!k || idtx_json_type_at(j, obj) != IDTX_JSON_OBJECT)
        return false;
    out->json = j;
    out->kind = k->kind;
    out->field = k->field;
    out->pointer = k->pointer;
    out->object = obj;
    size_t t = typed(j, idtx_json_path(j, obj, k->path), IDTX_JSON_OBJECT);
    out->metadata = typed(j, idtx_json_member(j, t, "metadata"), IDTX_JSON_OBJECT);
    out->spec = typed(j, idtx_json_member(j, t, "spec"), IDTX_JSON_OBJECT);
    out->annotations = typed(j, idtx_json_member(j, out->metadata, "annotations"), IDTX_JSON_OBJECT);
    out->labels = typed(j, idtx_json_member(j, out->metadata, "labels"), IDTX_JSON_OBJECT);
    out->runtime_class = typed(j, idtx_json_member(j, out->spec, "runtimeClassName"),
                               IDTX_JSON_STRING);
    out->value[IDT_MANIFEST_KEY_CURRENT] =
        idtx_json_member(j, out->annotations, IDT_MANIFEST_KEY_CURRENT_NAME);
    out->value[IDT_MANIFEST_KEY_LEGACY] =
        idtx_json_member(j, out->annotations, IDT_MANIFEST_KEY_LEGACY_NAME);
    return true;
}

static bool listed(const idt_admission__strings *s, const char *p, size_t n)
{
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->v[i]) == n && memcmp(s->v[i], p, n) == 0)
            return true;
    return false;
}

static bool class_matches(const idt_admission__match *m, const idt_admission__object *o)
{
    if (!m->runtime_classes.n && !m->runtime_class_prefixes.n)
        return true;
    if (o->runtime_class == IDTX_JSON_NONE)
        return false;
    const idtx_json_tok *t = &o->json->tok[o->runtime_class];
    if (t->escaped) /* class names are DNS labels: an escape cannot spell one */
        return false;
    const char *rc = o->json->src + t->start;
    if (listed(&m->runtime_classes, rc, t->len))
        return true;
    for (size_t i = 0; i < m->runtime_class_prefixes.n; i++) {
        size_t k = strlen(m->runtime_class_prefixes.v[i]);
        if (k <= t->len && memcmp(rc, m->runtime_class_prefixes.v[i], k) == 0)
            return true;
    }
    return false;
}

static bool labels_match(const idt_admission__match *m, const idt_admission__object *o)
{
    for (size_t i = 0; i < m->label_keys.n; i++) {
        size_t v = idtx_json_member(o->json, o->labels, m->label_keys.v[i]);
        if (!idtx_json_string_eq(o->json, v, m->label_values.v[i], strlen(m->label_values.v[i])))
            return false;
    }
    return true;
}

bool idt_admission__matches(const idt_admission__match *m, const idt_admission__object *o,
                            const char *ns)
{
    size_t n = strlen(ns);
    if (m->namespaces.n && !listed(&m->namespaces, ns, n))
        return false;
    if (listed(&m->exclude_namespaces, ns, n))
        return false;
    return class_matches(m, o) && labels_match(m, o);
}

unsigned idt_admission__class_platforms(const char *rc, size_t len)
{
    static const struct { const char *word; idt_platform p; } words[] = {
        { "tdx", IDT_PLATFORM_TDX }, { "snp", IDT_PLATFORM_SNP },
        { "cca", IDT_PLATFORM_CCA }, { "se", IDT_PLATFORM_SE },
    };
    unsigned bits = 0;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && rc[e] != '-')
            e++;
        for (size_t w = 0; w < sizeof words / sizeof *words; w++)
            if (e - i == strlen(words[w].word) && memcmp(rc + i, words[w].word, e - i) == 0)
                bits |= IDT_LINT_PLATFORM(words[w].p);
        i = e + 1;
    }
    return bits;
}

/* Whether tokens a (in ja) and b (in jb) are both absent, or strings with
 * the same decoded text. */
static bool same_string(const idtx_json *ja, size_t a, const idtx_json *jb, size_t b)
{
    if (a == IDTX_JSON_NONE || b == IDTX_JSON_NONE)
        return a == b;
    if (ja->tok[a].type != IDTX_JSON_STRING || jb->tok[b].type != IDTX_JSON_STRING)
        return false;
    if (!ja->tok[a].escaped)
        return idtx_json_string_eq(jb, b, ja->src + ja->tok[a].start, ja->tok[a].len);
    idtx_buf t;
    idtx_buf_init(&t, ja->tok[a].len, "a string");
    bool eq = idtx_json_string_decode(ja, a, &t, NULL) == IDT_OK &&
              idtx_json_string_eq(jb, b, t.data ? t.data : "", t.len);
    idtx_buf_dispose(&t);
    return eq;
}

bool idt_admission__same_initdata(const idt_admission__object *a, const idt_admission__object *b)
{
    return same_string(a->json, a->value[0], b->json, b->value[0]) &&
           same_string(a->json, a->value[1], b->json, b->value[1]) &&
           same_string(a->json, a->runtime_class, b->json, b->runtime_class);
}
