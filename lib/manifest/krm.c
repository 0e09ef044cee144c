/* KRM functions: a ResourceList's functionConfig and items, and its
 * `results` added by a splice (manifest.h). */
#include "manifest_int.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* The parsed ResourceList behind an idt_manifest_krm. */
typedef struct krm_priv {
    yaml_document_t doc;
    bool loaded;
} krm_priv;

static const char *const settings[] = { "initdata", "document", "key", "select", NULL };

static int load(yaml_document_t *doc, const char *text, size_t len, idt_error *err)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int ok = yaml_parser_load(&p, doc);
    int rc = IDT_OK;
    if (!ok)
        rc = p.error == YAML_MEMORY_ERROR
                 ? idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory")
                 : idtx_error_set(err, IDT_ESYNTAX, NULL, "not YAML: %s",
                                  p.problem ? p.problem : "a YAML error");
    yaml_parser_delete(&p);
    return rc;
}

static yaml_node_t *lookup(yaml_document_t *d, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
            !memcmp(k->data.scalar.value, key, k->data.scalar.length))
            return yaml_document_get_node(d, p->value);
    }
    return NULL;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool is_null(const yaml_node_t *n)
{
    const char *v = scalar(n);
    return !n || (v && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                  (!*v || !strcmp(v, "~") || !strcmp(v, "null")));
}

/* Where node n starts in the manifest's text. */
static idt_span span_of(idt_manifest *m, const yaml_node_t *n)
{
    size_t at = idt_manifest__byte_of(&m->map, n->start_mark.index);
    return idt_manifest__span(m->text, m->len, at, at, n->start_mark.line);
}

/* The root mapping of a ResourceList document, or NULL. */
static yaml_node_t *resource_list(yaml_document_t *d)
{
    yaml_node_t *root = yaml_document_get_root_node(d);
    const char *kind = scalar(lookup(d, root, "kind"));
    return kind && !strcmp(kind, "ResourceList") ? root : NULL;
}

static int read_items(idt_manifest_krm *k, yaml_document_t *d, yaml_node_t *items)
{
    size_t n = (size_t)(items->data.sequence.items.top - items->data.sequence.items.start);
    k->items = calloc(n ? n : 1, sizeof *k->items);
    if (!k->items)
        return IDT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *it = yaml_document_get_node(d, items->data.sequence.items.start[i]);
        yaml_node_t *md = lookup(d, it, "metadata");
        idt_manifest_krm_ref *r = &k->items[i];
        r->api_version = scalar(lookup(d, it, "apiVersion"));
        r->kind = scalar(lookup(d, it, "kind"));
        r->name = scalar(lookup(d, md, "name"));
        r->ns = scalar(lookup(d, md, "namespace"));
    }
    k->item_count = n;
    return IDT_OK;
}

/* Splits "a, b c" into k->select (the strings point into a copy). */
static int split_select(idt_manifest_krm *k, const char *s, char **copy)
{
    size_t len = strlen(s);
    if (!(*copy = malloc(len + 1)) || !(k->select = calloc(len / 2 + 2, sizeof *k->select)))
        return IDT_ENOMEM;
    memcpy(*copy, s, len + 1);
    for (char *p = *copy; *p;) {
        while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n')
            *p++ = '\0';
        if (!*p)
            break;
        k->select[k->select_count++] = p;
        while (*p && *p != ',' && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
    }
    return IDT_OK;
}

typedef struct krm_all {
    idt_manifest_krm k;
    krm_priv priv;
    char *select_copy;
} krm_all;

static int read_settings(krm_all *a, idt_manifest *m, yaml_document_t *d, yaml_node_t *set,
                         idt_error *err)
{
    idt_manifest_krm *k = &a->k;
    if (is_null(set))
        return IDT_OK;
    if (set->type != YAML_MAPPING_NODE) {
        idt_span sp = span_of(m, set);
        return idtx_error_set(err, IDT_ESCHEMA, &sp, "functionConfig %s is not a mapping",
                              k->config_path);
    }
    for (yaml_node_pair_t *p = set->data.mapping.pairs.start; p < set->data.mapping.pairs.top;
         p++) {
        yaml_node_t *key = yaml_document_get_node(d, p->key);
        yaml_node_t *val = yaml_document_get_node(d, p->value);
        const char *name = scalar(key);
        size_t i = 0;
        while (name && settings[i] && strcmp(settings[i], name))
            i++;
        idt_span sp = span_of(m, key);
        if (!name || !settings[i])
            return idtx_error_set(err, IDT_ESCHEMA, &sp,
                                  "functionConfig %s.%s is not a setting of this function "
                                  "(initdata, document, key, select)",
                                  k->config_path, name ? name : "?");
        if (i == 3 && val->type == YAML_SEQUENCE_NODE) {
            size_t n = (size_t)(val->data.sequence.items.top - val->data.sequence.items.start);
            if (!(k->select = calloc(n + 1, sizeof *k->select)))
                return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
            for (size_t j = 0; j < n; j++) {
                const char *s = scalar(yaml_document_get_node(d, val->data.sequence.items.start[j]));
                if (!s)
                    return idtx_error_set(err, IDT_ESCHEMA, &sp,
                                          "functionConfig %s.select holds something that is "
                                          "not a string", k->config_path);
                k->select[k->select_count++] = s;
            }
            continue;
        }
        const char *v = scalar(val);
        if (!v)
            return idtx_error_set(err, IDT_ESCHEMA, &sp, "functionConfig %s.%s is not a string",
                                  k->config_path, name);
        size_t vlen = val->data.scalar.length;
        switch (i) {
        case 0: k->initdata = v; break;
        case 1: k->document = v; k->document_len = vlen; break;
        case 2: k->key = v; break;
        default:
            if (split_select(k, v, &a->select_copy) < 0)
                return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
        }
    }
    return IDT_OK;
}

int idt_manifest_krm_read(idt_manifest_krm **out, const idt_manifest *cm, idt_error *err)
{
    if (!out || !cm)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_manifest_krm_read: NULL argument");
    *out = NULL;
    idt_manifest *m = (idt_manifest *)cm; /* the charmap caches its last lookup */
    krm_all *a = calloc(1, sizeof *a);
    if (!a)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    a->k.priv_ = &a->priv;
    yaml_document_t *d = &a->priv.doc;
    int rc = load(d, m->text, m->len, err);
    a->priv.loaded = rc == IDT_OK;
    yaml_node_t *root = rc == IDT_OK ? yaml_document_get_root_node(d) : NULL;
    const char *root_kind = scalar(lookup(d, root, "kind"));
    a->k.resource_list = root_kind && !strcmp(root_kind, "ResourceList");
    bool config_alone = root_kind && (!strcmp(root_kind, "ConfigMap") ||
                                      !strcmp(root_kind, "InitData"));
    if (rc == IDT_OK && !a->k.resource_list && !config_alone)
        rc = idtx_error_set(err, IDT_ESCHEMA, NULL,
                            "not a KRM ResourceList (the first document must be a mapping "
                            "with kind: ResourceList, as kustomize and kpt send) nor a "
                            "ConfigMap or InitData function config");
    yaml_node_t *items = a->k.resource_list ? lookup(d, root, "items") : NULL;
    if (rc == IDT_OK && !is_null(items) && items->type != YAML_SEQUENCE_NODE) {
        idt_span sp = span_of(m, items);
        rc = idtx_error_set(err, IDT_ESCHEMA, &sp, "the ResourceList's items is not a sequence");
    }
    if (rc == IDT_OK && !is_null(items) && read_items(&a->k, d, items) < 0)
        rc = idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    if (rc == IDT_OK && a->k.resource_list)
        a->k.has_results = lookup(d, root, "results") != NULL;
    yaml_node_t *fc = rc != IDT_OK ? NULL
                      : a->k.resource_list ? lookup(d, root, "functionConfig") : root;
    if (rc == IDT_OK && !is_null(fc)) {
        const char *kind = scalar(lookup(d, fc, "kind"));
        idt_span sp = span_of(m, fc);
        a->k.config_kind = kind;
        if (fc->type != YAML_MAPPING_NODE)
            rc = idtx_error_set(err, IDT_ESCHEMA, &sp, "functionConfig is not a mapping");
        else if (kind && !strcmp(kind, "ConfigMap"))
            a->k.config_path = "data";
        else if (kind && !strcmp(kind, "InitData"))
            a->k.config_path = "spec";
        else
            rc = idtx_error_set(err, IDT_ESCHEMA, &sp,
                                "functionConfig is a %s: this function reads a ConfigMap (its "
                                "data) or an InitData object (its spec)",
                                kind ? kind : "mapping without a kind");
        if (rc == IDT_OK)
            rc = read_settings(a, m, d, lookup(d, fc, a->k.config_path), err);
    }
    if (rc < 0) {
        idt_manifest_krm_free(&a->k);
        return rc;
    }
    *out = &a->k;
    return IDT_OK;
}

void idt_manifest_krm_free(idt_manifest_krm *k)
{
    if (!k)
        return;
    krm_all *a = (krm_all *)k; /* k is the first member */
    if (a->priv.loaded)
        yaml_document_delete(&a->priv.doc);
    free(k->items);
    free(k->select);
    free(a->select_copy);
    free(a);
}

/* --- results --------------------------------------------------------------- */

static const char *const severity_names[] = { "error", "warning", "info" };

static int put_json(idtx_buf *b, const char *s, idt_error *err)
{
    return idtx_json_string(b, s, strlen(s), true, NULL, err);
}

static int put_ref_field(idtx_buf *b, const char *name, const char *v, bool *first,
                         idt_error *err)
{
    if (!v)
        return IDT_OK;
    IDTX_TRY(idtx_buf_printf(b, err, "%s\"%s\": ", *first ? "" : ", ", name));
    *first = false;
    return put_json(b, v, err);
}

/* The results as one flow sequence: `[{"message": ..., ...}, ...]`. */
static int put_results(idtx_buf *b, const idt_manifest_krm *k, const idt_manifest_krm_result *r,
                       size_t n, idt_error *err)
{
    IDTX_TRY(idtx_buf_puts(b, "[", err));
    for (size_t i = 0; i < n; i++) {
        IDTX_TRY(idtx_buf_puts(b, i ? ", {\"message\": " : "{\"message\": ", err));
        IDTX_TRY(put_json(b, r[i].message ? r[i].message : "", err));
        unsigned sev = r[i].severity <= IDT_MANIFEST_KRM_INFO ? (unsigned)r[i].severity : 0;
        IDTX_TRY(idtx_buf_printf(b, err, ", \"severity\": \"%s\"", severity_names[sev]));
        if (k && r[i].item != IDT_MANIFEST_NO_ITEM && r[i].item < k->item_count) {
            const idt_manifest_krm_ref *ref = &k->items[r[i].item];
            bool first = true;
            IDTX_TRY(idtx_buf_puts(b, ", \"resourceRef\": {", err));
            IDTX_TRY(put_ref_field(b, "apiVersion", ref->api_version, &first, err));
            IDTX_TRY(put_ref_field(b, "kind", ref->kind, &first, err));
            IDTX_TRY(put_ref_field(b, "name", ref->name, &first, err));
            IDTX_TRY(put_ref_field(b, "namespace", ref->ns, &first, err));
            IDTX_TRY(idtx_buf_puts(b, "}", err));
        }
        if (r[i].field) {
            IDTX_TRY(idtx_buf_puts(b, ", \"field\": {\"path\": ", err));
            IDTX_TRY(put_json(b, r[i].field, err));
            IDTX_TRY(idtx_buf_puts(b, "}", err));
        }
        IDTX_TRY(idtx_buf_puts(b, "}", err));
    }
    return idtx_buf_puts(b, "]", err);
}

int idt_manifest_krm_results(char **out, size_t *out_len, const char *text, size_t len,
                             const idt_manifest_krm *k, const idt_manifest_krm_result *r,
                             size_t n, idt_error *err)
{
    if (!out || !out_len || (!text && len) || (!r && n))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_manifest_krm_results: NULL argument");
    *out = NULL;
    *out_len = 0;
    yaml_document_t d;
    int rc = load(&d, text, len, err);
    if (rc < 0)
        return rc;
    idtx_buf b;
    idtx_buf_init(&b, IDT_MANIFEST_DEFAULT_MAX_SIZE + ((size_t)1 << 20), "a ResourceList");
    yaml_node_t *root = resource_list(&d);
    idt_manifest__charmap cm;
    size_t base = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    if (!root)
        rc = idtx_error_set(err, IDT_ESCHEMA, NULL, "not a KRM ResourceList");
    else if (n && lookup(&d, root, "results"))
        rc = idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                            "the ResourceList has results already");
    else if (idt_manifest__charmap_init(&cm, text, len, base) < 0)
        rc = idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    else {
        size_t end = idt_manifest__byte_of(&cm, root->end_mark.index);
        idt_manifest__charmap_dispose(&cm);
        bool flow = root->data.mapping.style == YAML_FLOW_MAPPING_STYLE;
        if (n == 0) {
            rc = idtx_buf_put(&b, text, len, err);
        } else if (flow) {
            /* before the closing brace: `, "results": [...]}` */
            size_t brace = end;
            while (brace > 0 && text[brace - 1] != '}')
                brace--;
            if (brace == 0) {
                rc = idtx_error_set(err, IDT_ERROR, NULL, "no closing brace (a bug)");
            } else {
                rc = idtx_buf_put(&b, text, brace - 1, err);
                if (rc >= 0)
                    rc = idtx_buf_puts(&b, root->data.mapping.pairs.top >
                                                   root->data.mapping.pairs.start
                                               ? ", \"results\": "
                                               : "\"results\": ",
                                       err);
                if (rc >= 0)
                    rc = put_results(&b, k, r, n, err);
                if (rc >= 0)
                    rc = idtx_buf_put(&b, text + brace - 1, len - (brace - 1), err);
            }
        } else {
            /* after the last entry of the block mapping, on a line of its own */
            rc = idtx_buf_put(&b, text, end, err);
            if (rc >= 0 && end > 0 && text[end - 1] != '\n')
                rc = idtx_buf_putc(&b, '\n', err);
            if (rc >= 0) /* at the root mapping's own column */
                rc = idtx_buf_fill(&b, ' ', root->start_mark.column, err);
            if (rc >= 0)
                rc = idtx_buf_puts(&b, "results: ", err);
            if (rc >= 0)
                rc = put_results(&b, k, r, n, err);
            if (rc >= 0)
                rc = idtx_buf_putc(&b, '\n', err);
            if (rc >= 0)
                rc = idtx_buf_put(&b, text + end, len - end, err);
        }
    }
    yaml_document_delete(&d);
    if (rc >= 0)
        rc = idtx_buf_take(&b, out, out_len, err);
    idtx_buf_dispose(&b);
    return rc;
}
