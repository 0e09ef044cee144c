/* Loading an admission configuration (initdata/admission.h): the TOML
 * tables [server], [scope], [validate], [actions] and [[inject]], read
 * with the library's own parser; every problem is an IDT-ADM006 finding at
 * its key or value, and every document an inject rule names is checked
 * with `initdata check`'s rules before the configuration is accepted. */
#include "admission/admission_int.h"
#include "initdata/codec.h"
#include "initdata/lint.h"
#include "initdata/toml.h"
#include "util/fdio.h"
#include "util/quote.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONFIG ((size_t)1 << 20)
#define MAX_DOCUMENT ((size_t)1 << 20)
#define MAX_LIST 256u

/* The Kata runtime classes of Confidential Containers (the kata-deploy
 * chart's CoCo shims, and peer pods). */
static const char *const default_classes[] = {
    "kata-qemu-coco-dev", "kata-qemu-tdx", "kata-qemu-snp", "kata-qemu-se",
    "kata-qemu-cca", "kata-qemu-nvidia-gpu-tdx", "kata-qemu-nvidia-gpu-snp", "kata-remote",
};

typedef struct loader {
    idt_admission_config *cfg;
    const char *name;
    const char *src;
    size_t len;
    const char *base_dir;
    idt_admission_diag_cb cb;
    void *payload;
    idt_error *err;
} loader;

IDTX_PRINTF(3, 4)
static int bad(loader *L, const idt_span *at, const char *fmt, ...)
{
    idt_doc_diag d;
    memset(&d, 0, sizeof d);
    d.severity = IDT_DOC_ERROR;
    d.rule = IDT_DOC_RULE_LINT;
    d.code = IDT_ESCHEMA;
    d.check = idt_admission__code_info(IDT_ADMISSION__CODE_CONFIG)->code;
    if (at)
        d.span = *at;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d.message, sizeof d.message, fmt, ap);
    va_end(ap);
    if (L->cb)
        L->cb(&d, L->name, L->src, L->len, L->payload);
    return idtx_error_set(L->err, IDT_ESCHEMA, &d.span, "%s", d.message);
}

/* --- values ----------------------------------------------------------------- */

static bool key_is(const idt_toml_entry *e, const char *k)
{
    return e->key_len == strlen(k) && memcmp(e->key, k, e->key_len) == 0;
}

static int want(loader *L, const idt_toml_entry *e, idt_toml_type type)
{
    if (e->value->type == type)
        return IDT_OK;
    char q[IDTX_QUOTE_MAX];
    return bad(L, &e->value->span, "%s must be %s, not %s", idtx_quote(q, e->key, e->key_len),
               idt_toml_type_phrase(type), idt_toml_type_phrase(e->value->type));
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int oom(loader *L)
{
    return idtx_error_set(L->err, IDT_ENOMEM, NULL, "out of memory loading %s", L->name);
}

static int get_string(loader *L, const idt_toml_entry *e, char **out)
{
    IDTX_TRY(want(L, e, IDT_TOML_STRING));
    const idt_toml_value *v = e->value;
    if (memchr(v->as.string.ptr, '\0', v->as.string.len))
        return bad(L, &v->span, "%.*s must not contain a NUL character", (int)e->key_len, e->key);
    free(*out);
    if (!(*out = dup_n(v->as.string.ptr, v->as.string.len)))
        return oom(L);
    return IDT_OK;
}

static int get_bool(loader *L, const idt_toml_entry *e, bool *out)
{
    IDTX_TRY(want(L, e, IDT_TOML_BOOL));
    *out = e->value->as.boolean;
    return IDT_OK;
}

static int get_uint(loader *L, const idt_toml_entry *e, uint64_t lo, uint64_t hi, uint64_t *out)
{
    IDTX_TRY(want(L, e, IDT_TOML_INTEGER));
    int64_t v = e->value->as.integer;
    if (v < 0 || (uint64_t)v < lo || (uint64_t)v > hi)
        return bad(L, &e->value->span, "%.*s must be from %llu to %llu", (int)e->key_len, e->key,
                   (unsigned long long)lo, (unsigned long long)hi);
    *out = (uint64_t)v;
    return IDT_OK;
}

static void strings_free(idt_admission__strings *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

static int strings_add(loader *L, idt_admission__strings *s, const char *p, size_t n)
{
    char **v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!v)
        return oom(L);
    s->v = v;
    if (!(s->v[s->n] = dup_n(p, n)))
        return oom(L);
    s->n++;
    return IDT_OK;
}

static int get_strings(loader *L, const idt_toml_entry *e, idt_admission__strings *out)
{
    IDTX_TRY(want(L, e, IDT_TOML_ARRAY));
    const idt_toml_value *a = e->value;
    if (a->as.array.count > MAX_LIST)
        return bad(L, &a->span, "%.*s has more than %u items", (int)e->key_len, e->key, MAX_LIST);
    strings_free(out);
    for (size_t i = 0; i < a->as.array.count; i++) {
        const idt_toml_value *v = a->as.array.items[i];
        if (v->type != IDT_TOML_STRING || memchr(v->as.string.ptr, '\0', v->as.string.len))
            return bad(L, &v->span, "every item of %.*s must be a string without NUL",
                       (int)e->key_len, e->key);
        IDTX_TRY(strings_add(L, out, v->as.string.ptr, v->as.string.len));
    }
    return IDT_OK;
}

static int get_labels(loader *L, const idt_toml_entry *e, idt_admission__match *m)
{
    IDTX_TRY(want(L, e, IDT_TOML_TABLE));
    const idt_toml_value *t = e->value;
    strings_free(&m->label_keys);
    strings_free(&m->label_values);
    for (size_t i = 0; i < t->as.table.count; i++) {
        const idt_toml_entry *l = &t->as.table.entries[i];
        if (l->value->type != IDT_TOML_STRING)
            return bad(L, &l->value->span, "label %.*s must be a string", (int)l->key_len, l->key);
        IDTX_TRY(strings_add(L, &m->label_keys, l->key, l->key_len));
        IDTX_TRY(strings_add(L, &m->label_values, l->value->as.string.ptr,
                             l->value->as.string.len));
    }
    return IDT_OK;
}

/* The keys every scope-like table shares; 1 when e was one of them. */
static int match_key(loader *L, const idt_toml_entry *e, idt_admission__match *m)
{
    if (key_is(e, "runtime_classes"))
        return get_strings(L, e, &m->runtime_classes) < 0 ? -1 : 1;
    if (key_is(e, "runtime_class_prefixes"))
        return get_strings(L, e, &m->runtime_class_prefixes) < 0 ? -1 : 1;
    if (key_is(e, "namespaces"))
        return get_strings(L, e, &m->namespaces) < 0 ? -1 : 1;
    if (key_is(e, "exclude_namespaces"))
        return get_strings(L, e, &m->exclude_namespaces) < 0 ? -1 : 1;
    if (key_is(e, "labels"))
        return get_labels(L, e, m) < 0 ? -1 : 1;
    return 0;
}

static int unknown(loader *L, const char *table, const idt_toml_entry *e, const char *known)
{
    char q[IDTX_QUOTE_MAX];
    return bad(L, &e->key_span, "unknown key %s in %s (known: %s)",
               idtx_quote(q, e->key, e->key_len), table, known);
}

static int resolve(loader *L, const char *path, char **out)
{
    idtx_buf b;
    idtx_buf_init(&b, 4096, "a path");
    int rc = IDT_OK;
    if (path[0] != '/' && L->base_dir && L->base_dir[0])
        rc = idtx_buf_printf(&b, L->err, "%s/", L->base_dir);
    if (rc == IDT_OK)
        rc = idtx_buf_puts(&b, path, L->err);
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, out, NULL, L->err);
    idtx_buf_dispose(&b);
    return rc;
}

/* --- tables ------------------------------------------------------------------- */

static int server_table(loader *L, const idt_toml_value *t)
{
    idt_admission_server *s = &L->cfg->server;
    for (size_t i = 0; i < t->as.table.count; i++) {
        const idt_toml_entry *e = &t->as.table.entries[i];
        uint64_t u = 0;
        if (key_is(e, "address")) {
            IDTX_TRY(get_string(L, e, &L->cfg->server_address));
        } else if (key_is(e, "port")) {
            IDTX_TRY(get_uint(L, e, 1, 65535, &u));
            s->port = (unsigned)u;
        } else if (key_is(e, "cert") || key_is(e, "key")) {
            char *p = NULL;
            int rc = get_string(L, e, &p);
            char **dst = key_is(e, "cert") ? &L->cfg->server_cert : &L->cfg->server_key;
            if (rc == IDT_OK) {
                free(*dst);
                *dst = NULL;
                rc = resolve(L, p, dst);
            }
            free(p);
            IDTX_TRY(rc);
        } else if (key_is(e, "max_body")) {
            IDTX_TRY(get_uint(L, e, 4096, (uint64_t)64 << 20, &u));
            s->max_body = (size_t)u;
        } else if (key_is(e, "max_depth")) {
            IDTX_TRY(get_uint(L, e, 16, 1000, &u));
            s->max_depth = (unsigned)u;
        } else if (key_is(e, "threads")) {
            IDTX_TRY(get_uint(L, e, 0, 1024, &u));
            s->threads = (unsigned)u;
        } else if (key_is(e, "max_connections")) {
            IDTX_TRY(get_uint(L, e, 1, 100000, &u));
            s->max_connections = (unsigned)u;
        } else if (key_is(e, "connection_timeout")) {
            IDTX_TRY(get_uint(L, e, 1, 3600, &u));
            s->connection_timeout = (unsigned)u;
        } else if (key_is(e, "request_timeout")) {
            IDTX_TRY(get_uint(L, e, 1, 3600, &u));
            s->request_timeout = (unsigned)u;
        } else if (key_is(e, "shutdown_delay")) {
            IDTX_TRY(get_uint(L, e, 0, 300, &u));
            s->shutdown_delay = (unsigned)u;
        } else if (key_is(e, "shutdown_grace")) {
            IDTX_TRY(get_uint(L, e, 0, 300, &u));
            s->shutdown_grace = (unsigned)u;
        } else {
            return unknown(L, "[server]", e,
                           "address, port, cert, key, max_body, max_depth, threads, "
                           "max_connections, connection_timeout, request_timeout, "
                           "shutdown_delay, shutdown_grace");
        }
    }
    return IDT_OK;
}

static int scope_table(loader *L, const idt_toml_value *t)
{
    for (size_t i = 0; i < t->as.table.count; i++) {
        const idt_toml_entry *e = &t->as.table.entries[i];
        int r = match_key(L, e, &L->cfg->scope);
        if (r < 0)
            return L->err ? L->err->code : IDT_ESCHEMA;
        if (r == 0)
            return unknown(L, "[scope]", e,
                           "runtime_classes, runtime_class_prefixes, namespaces, "
                           "exclude_namespaces, labels");
    }
    return IDT_OK;
}

static int algorithms(loader *L, const idt_toml_entry *e)
{
    IDTX_TRY(want(L, e, IDT_TOML_ARRAY));
    unsigned mask = 0;
    for (size_t i = 0; i < e->value->as.array.count; i++) {
        const idt_toml_value *v = e->value->as.array.items[i];
        idt_digest_alg alg;
        idt_error aerr = { 0 };
        if (v->type != IDT_TOML_STRING ||
            idt_digest_alg_parse(&alg, v->as.string.ptr, v->as.string.len, &aerr) < 0)
            return bad(L, &v->span, "algorithms: %s",
                       v->type == IDT_TOML_STRING ? aerr.message : "each item must be a string");
        mask |= 1u << alg;
    }
    L->cfg->algorithms = mask;
    return IDT_OK;
}

static int action_keyword(loader *L, const idt_toml_value *v, idt_admission__action *out)
{
    static const char *const names[] = { "ignore", "audit", "warn", "deny" };
    if (v->type == IDT_TOML_STRING)
        for (int a = 0; a < 4; a++)
            if (v->as.string.len == strlen(names[a]) &&
                memcmp(v->as.string.ptr, names[a], v->as.string.len) == 0) {
                *out = (idt_admission__action)a;
                return IDT_OK;
            }
    return bad(L, &v->span, "an action is \"deny\", \"warn\", \"audit\" or \"ignore\"");
}

static int legacy_key(loader *L, const idt_toml_entry *e, idt_admission__action *out)
{
    IDTX_TRY(want(L, e, IDT_TOML_STRING));
    const idt_toml_value *v = e->value;
    static const struct { const char *name; idt_admission__action a; } k[] = {
        { "allow", IDT_ADMISSION__IGNORE }, { "warn", IDT_ADMISSION__WARN },
        { "deny", IDT_ADMISSION__DENY }, { "audit", IDT_ADMISSION__AUDIT },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (v->as.string.len == strlen(k[i].name) &&
            memcmp(v->as.string.ptr, k[i].name, v->as.string.len) == 0) {
            *out = k[i].a;
            return IDT_OK;
        }
    return bad(L, &v->span, "legacy_key is \"allow\", \"warn\", \"audit\" or \"deny\"");
}

static int add_override(loader *L, const char *code, idt_admission__action a)
{
    idt_admission_config *c = L->cfg;
    for (size_t i = 0; i < c->override_count; i++)
        if (strcmp(c->overrides[i].code, code) == 0) {
            c->overrides[i].action = a;
            return IDT_OK;
        }
    idt_admission__override *o = realloc(c->overrides, (c->override_count + 1) * sizeof *o);
    if (!o)
        return oom(L);
    c->overrides = o;
    o[c->override_count].code = code;
    o[c->override_count++].action = a;
    return IDT_OK;
}

static int validate_table(loader *L, const idt_toml_value *t, bool *legacy_set)
{
    idt_admission_config *c = L->cfg;
    for (size_t i = 0; i < t->as.table.count; i++) {
        const idt_toml_entry *e = &t->as.table.entries[i];
        uint64_t u;
        if (key_is(e, "required")) {
            IDTX_TRY(get_bool(L, e, &c->required));
        } else if (key_is(e, "platforms")) {
            IDTX_TRY(get_bool(L, e, &c->platforms));
        } else if (key_is(e, "kbs_urls")) {
            IDTX_TRY(get_strings(L, e, &c->kbs_urls));
        } else if (key_is(e, "kbs_url_prefixes")) {
            IDTX_TRY(get_strings(L, e, &c->kbs_url_prefixes));
        } else if (key_is(e, "algorithms")) {
            IDTX_TRY(algorithms(L, e));
        } else if (key_is(e, "budget")) {
            IDTX_TRY(get_uint(L, e, 1, (uint64_t)1 << 30, &u));
            c->budget = u;
        } else if (key_is(e, "legacy_key")) {
            /* set by legacy_key; gcc 12 -O2 cannot tell */
            idt_admission__action a = IDT_ADMISSION__DENY;
            IDTX_TRY(legacy_key(L, e, &a));
            IDTX_TRY(add_override(L, idt_admission__code_info(IDT_ADMISSION__CODE_LEGACY)->code, a));
            *legacy_set = true;
        } else {
            return unknown(L, "[validate]", e,
                           "required, platforms, kbs_urls, kbs_url_prefixes, algorithms, "
                           "budget, legacy_key");
        }
    }
    return IDT_OK;
}

/* A check code any module registers: the document's, lint's or ours. */
static const char *registered_code(const char *s, size_t n)
{
    char code[32];
    if (n >= sizeof code)
        return NULL;
    memcpy(code, s, n);
    code[n] = '\0';
    const idt_code_info *info = idt_lint_code_info(code);
    if (info)
        return info->code;
    size_t count;
    const idt_code_info *adm = idt_admission_codes(&count);
    for (size_t i = 0; i < count; i++)
        if (strcmp(adm[i].code, code) == 0)
            return adm[i].code;
    return NULL;
}

static int actions_table(loader *L, const idt_toml_value *t)
{
    static const char *const sev[] = { NULL, "error", "warning", "note" };
    for (size_t i = 0; i < t->as.table.count; i++) {
        const idt_toml_entry *e = &t->as.table.entries[i];
        /* set by action_keyword; gcc 12 -O2 cannot tell */
        idt_admission__action a = IDT_ADMISSION__DENY;
        IDTX_TRY(action_keyword(L, e->value, &a));
        bool done = false;
        for (int s = 1; s <= 3 && !done; s++)
            if (key_is(e, sev[s])) {
                L->cfg->by_severity[s] = a;
                done = true;
            }
        if (done)
            continue;
        const char *code = registered_code(e->key, e->key_len);
        if (!code) {
            char q[IDTX_QUOTE_MAX];
            return bad(L, &e->key_span,
                       "%s is neither a severity (error, warning, note) nor a check code "
                       "(initdata-check(1), IDT-ADM001 to IDT-ADM006)",
                       idtx_quote(q, e->key, e->key_len));
        }
        IDTX_TRY(add_override(L, code, a));
    }
    return IDT_OK;
}

static int inject_table(loader *L, const idt_toml_value *t, idt_admission__inject *r,
                        const idt_toml_entry **document)
{
    r->migrate_legacy = true;
    for (size_t i = 0; i < t->as.table.count; i++) {
        const idt_toml_entry *e = &t->as.table.entries[i];
        int m = match_key(L, e, &r->match);
        if (m < 0)
            return L->err ? L->err->code : IDT_ESCHEMA;
        if (m)
            continue;
        if (key_is(e, "document")) {
            char *p = NULL;
            int rc = get_string(L, e, &p);
            if (rc == IDT_OK)
                rc = resolve(L, p, &r->document);
            free(p);
            IDTX_TRY(rc);
            *document = e;
        } else if (key_is(e, "replace")) {
            IDTX_TRY(get_bool(L, e, &r->replace));
        } else if (key_is(e, "migrate_legacy")) {
            IDTX_TRY(get_bool(L, e, &r->migrate_legacy));
        } else {
            return unknown(L, "[[inject]]", e,
                           "document, replace, migrate_legacy, runtime_classes, "
                           "runtime_class_prefixes, namespaces, exclude_namespaces, labels");
        }
    }
    if (!*document)
        return bad(L, &t->span, "an [[inject]] rule needs a document");
    return IDT_OK;
}

static int inject_array(loader *L, const idt_toml_entry *e, const idt_toml_entry ***docs)
{
    IDTX_TRY(want(L, e, IDT_TOML_ARRAY));
    size_t n = e->value->as.array.count;
    if (n > MAX_LIST)
        return bad(L, &e->value->span, "more than %u [[inject]] rules", MAX_LIST);
    idt_admission_config *c = L->cfg;
    c->inject = calloc(n ? n : 1, sizeof *c->inject);
    *docs = calloc(n ? n : 1, sizeof **docs);
    if (!c->inject || !*docs)
        return oom(L);
    for (size_t i = 0; i < n; i++) {
        const idt_toml_value *t = e->value->as.array.items[i];
        if (t->type != IDT_TOML_TABLE)
            return bad(L, &t->span, "inject must be an array of tables ([[inject]])");
        c->inject_count = i + 1;
        IDTX_TRY(inject_table(L, t, &c->inject[i], &(*docs)[i]));
    }
    return IDT_OK;
}

/* --- the documents ------------------------------------------------------------- */

typedef struct doc_tap {
    loader *L;
    const char *path;
    const char *text;
    size_t len;
    size_t errors;
} doc_tap;

static int tap(const idt_doc_diag *d, void *payload)
{
    doc_tap *t = payload;
    if (d->severity == IDT_DOC_ERROR)
        t->errors++;
    return t->L->cb ? t->L->cb(d, t->path, t->text, t->len, t->L->payload) : 0;
}

static unsigned rule_platforms(const idt_admission__inject *r)
{
    unsigned p = 0;
    for (size_t i = 0; i < r->match.runtime_classes.n; i++)
        p |= idt_admission__class_platforms(r->match.runtime_classes.v[i],
                                            strlen(r->match.runtime_classes.v[i]));
    return p;
}

/* Reads, checks and encodes the document of rule r. */
static int load_document(loader *L, idt_admission__inject *r, const idt_toml_entry *at)
{
    idt_admission_config *c = L->cfg;
    char *text = NULL;
    size_t len = 0;
    idt_error rerr = { 0 };
    if (idtx_read_file(r->document, MAX_DOCUMENT, &text, &len, &rerr) < 0) {
        bad(L, &at->value->span, "%s", rerr.message);
        if (L->err)
            L->err->code = rerr.code;
        return rerr.code;
    }
    IDTX_TRY(strings_add(L, &c->files, r->document, strlen(r->document)));
    doc_tap t = { L, r->document, text, len, 0 };
    idt_doc *doc = NULL;
    idt_error derr = { .source = r->document };
    int rc = idt_doc_check(&doc, text, len, NULL, tap, &t, &derr);
    if (doc) {
        idt_lint_options lo = IDT_LINT_OPTIONS_INIT;
        lo.platforms = c->platforms ? rule_platforms(r) : 0;
        lo.kbs_urls = (const char *const *)c->kbs_urls.v;
        lo.kbs_url_count = c->kbs_urls.n;
        lo.kbs_url_prefixes = (const char *const *)c->kbs_url_prefixes.v;
        lo.kbs_url_prefix_count = c->kbs_url_prefixes.n;
        rc = idt_lint_check(doc, &lo, tap, &t, &derr);
        if (rc == IDT_OK && c->algorithms && !(c->algorithms & (1u << idt_doc_algorithm(doc)))) {
            t.errors++;
            rc = bad(L, &at->value->span, "%s uses %s, which [validate] algorithms does not allow",
                     r->document, idt_digest_alg_name(idt_doc_algorithm(doc)));
        }
    }
    if (rc >= 0 && !t.errors)
        rc = idt_codec_encode(&r->value, &r->value_len, text, len, NULL, &derr);
    idt_doc_free(doc);
    free(text);
    if (rc == IDT_ENOMEM)
        return oom(L);
    if (rc < 0 || t.errors)
        return bad(L, &at->value->span, "the document %s fails its check (%zu error%s)",
                   r->document, t.errors, t.errors == 1 ? "" : "s");
    return IDT_OK;
}

/* --- the whole ------------------------------------------------------------------ */

static void defaults(idt_admission_config *c)
{
    c->server.port = IDT_ADMISSION_DEFAULT_PORT;
    c->server.max_body = IDT_ADMISSION_DEFAULT_MAX_BODY;
    c->server.max_depth = IDT_ADMISSION_DEFAULT_MAX_DEPTH;
    c->server.max_connections = 1024;
    c->server.connection_timeout = 30;
    c->server.request_timeout = 10;
    c->server.shutdown_delay = 3;
    c->server.shutdown_grace = 10;
    c->required = true;
    c->platforms = true;
    c->budget = 262144;
    c->by_severity[IDT_DOC_ERROR] = IDT_ADMISSION__DENY;
    c->by_severity[IDT_DOC_WARNING] = IDT_ADMISSION__WARN;
    c->by_severity[IDT_DOC_NOTE] = IDT_ADMISSION__IGNORE;
}

static int root_tables(loader *L, const idt_toml_value *root)
{
    const idt_toml_entry **docs = NULL;
    bool legacy_set = false, scope_set = false;
    int rc = IDT_OK;
    for (size_t i = 0; i < root->as.table.count && rc == IDT_OK; i++) {
        const idt_toml_entry *e = &root->as.table.entries[i];
        bool table = key_is(e, "server") || key_is(e, "scope") || key_is(e, "validate") ||
                     key_is(e, "actions");
        if (table && (rc = want(L, e, IDT_TOML_TABLE)) < 0)
            break;
        if (key_is(e, "server"))
            rc = server_table(L, e->value);
        else if (key_is(e, "scope"))
            rc = scope_table(L, e->value), scope_set = true;
        else if (key_is(e, "validate"))
            rc = validate_table(L, e->value, &legacy_set);
        else if (key_is(e, "actions"))
            rc = actions_table(L, e->value);
        else if (key_is(e, "inject"))
            rc = inject_array(L, e, &docs);
        else
            rc = unknown(L, "the configuration", e, "server, scope, validate, actions, inject");
    }
    idt_admission_config *c = L->cfg;
    if (rc == IDT_OK && !scope_set)
        for (size_t i = 0; i < sizeof default_classes / sizeof *default_classes && rc == IDT_OK; i++)
            rc = strings_add(L, &c->scope.runtime_classes, default_classes[i],
                             strlen(default_classes[i]));
    for (size_t i = 0; i < c->inject_count && rc == IDT_OK; i++)
        rc = load_document(L, &c->inject[i], docs[i]);
    free(docs);
    (void)legacy_set;
    return rc;
}

static void match_free(idt_admission__match *m)
{
    strings_free(&m->runtime_classes);
    strings_free(&m->runtime_class_prefixes);
    strings_free(&m->namespaces);
    strings_free(&m->exclude_namespaces);
    strings_free(&m->label_keys);
    strings_free(&m->label_values);
}

void idt_admission_config_free(idt_admission_config *c)
{
    if (!c)
        return;
    free(c->server_address);
    free(c->server_cert);
    free(c->server_key);
    match_free(&c->scope);
    strings_free(&c->kbs_urls);
    strings_free(&c->kbs_url_prefixes);
    free(c->overrides);
    for (size_t i = 0; i < c->inject_count; i++) {
        match_free(&c->inject[i].match);
        free(c->inject[i].document);
        free(c->inject[i].value);
    }
    free(c->inject);
    strings_free(&c->files);
    free(c);
}

int idt_admission_config_parse(idt_admission_config **out, const char *src, size_t len,
                               const char *base_dir, idt_admission_diag_cb cb, void *payload,
                               idt_error *err)
{
    if (!out || (!src && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_admission_config_parse");
    *out = NULL;
    if (len > MAX_CONFIG)
        return idtx_error_set(err, IDT_ELIMIT, NULL, "the configuration is larger than 1 MiB");
    idt_admission_config *c = calloc(1, sizeof *c);
    if (!c)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory loading the configuration");
    defaults(c);
    loader L = { c, err && err->source ? err->source : "the configuration", src, len, base_dir,
                 cb, payload, err };
    idt_toml_doc *toml = NULL;
    int rc = idt_toml_parse(&toml, src ? src : "", len, NULL, err);
    if (rc < 0 && (rc == IDT_ESYNTAX || rc == IDT_ELIMIT) && cb) {
        idt_doc_diag d;
        memset(&d, 0, sizeof d);
        d.severity = IDT_DOC_ERROR;
        d.rule = IDT_DOC_RULE_TOML;
        d.code = rc;
        d.check = idt_admission__code_info(IDT_ADMISSION__CODE_CONFIG)->code;
        d.span.line = err ? err->line : 0;
        d.span.column = err ? err->column : 0;
        d.span.offset = err ? (size_t)err->offset : 0;
        snprintf(d.message, sizeof d.message, "%s", err ? err->message : "not TOML");
        cb(&d, L.name, src, len, payload);
    }
    if (rc == IDT_OK)
        rc = root_tables(&L, idt_toml_doc_root(toml));
    idt_toml_doc_free(toml);
    c->server.address = c->server_address ? c->server_address : "0.0.0.0";
    c->server.cert_file = c->server_cert;
    c->server.key_file = c->server_key;
    if (rc < 0) {
        idt_admission_config_free(c);
        return rc;
    }
    *out = c;
    return IDT_OK;
}

int idt_admission_config_load(idt_admission_config **out, const char *path, idt_admission_diag_cb cb,
                              void *payload, idt_error *err)
{
    if (!out || !path)
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_admission_config_load");
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    IDTX_TRY(idtx_read_file(path, MAX_CONFIG, &text, &len, err));
    const char *slash = strrchr(path, '/');
    char *dir = dup_n(path, slash ? (size_t)(slash - path) : 0);
    if (!dir) {
        free(text);
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory loading %s", path);
    }
    if (slash == path) {
        free(dir);
        dir = dup_n("/", 1);
    }
    const char *saved = err ? err->source : NULL;
    if (err && !err->source)
        err->source = path;
    int rc = idt_admission_config_parse(out, text, len, dir, cb, payload, err);
    if (rc == IDT_OK) {
        /* The configuration file first, then the documents. */
        idt_admission__strings *f = &(*out)->files;
        char **v = realloc(f->v, (f->n + 1) * sizeof *v);
        char *p = v ? dup_n(path, strlen(path)) : NULL;
        if (v)
            f->v = v;
        if (!p) {
            idt_admission_config_free(*out);
            *out = NULL;
            rc = idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory loading %s", path);
        } else {
            memmove(f->v + 1, f->v, f->n * sizeof *f->v);
            f->v[0] = p;
            f->n++;
        }
    }
    if (err && !saved && rc == IDT_OK)
        err->source = NULL;
    free(dir);
    free(text);
    return rc;
}

const idt_admission_server *idt_admission_config_server(const idt_admission_config *cfg)
{
    return cfg ? &cfg->server : NULL;
}

const char *const *idt_admission_config_files(const idt_admission_config *cfg, size_t *count)
{
    if (count)
        *count = cfg ? cfg->files.n : 0;
    return cfg ? (const char *const *)cfg->files.v : NULL;
}

idt_admission__action idt_admission__action_for(const idt_admission_config *cfg, const char *code,
                                                idt_doc_severity sev)
{
    for (size_t i = 0; i < cfg->override_count; i++)
        if (code && strcmp(cfg->overrides[i].code, code) == 0)
            return cfg->overrides[i].action;
    return (unsigned)sev <= 3 ? cfg->by_severity[sev] : IDT_ADMISSION__DENY;
}

unsigned idt_admission__wanted_severities(const idt_admission_config *cfg)
{
    /* A code's own action may keep a finding whose severity is ignored. */
    for (size_t i = 0; i < cfg->override_count; i++)
        if (cfg->overrides[i].action != IDT_ADMISSION__IGNORE)
            return 0;
    unsigned mask = 0;
    for (int s = IDT_DOC_ERROR; s <= IDT_DOC_NOTE; s++)
        if (cfg->by_severity[s] != IDT_ADMISSION__IGNORE)
            mask |= 1u << s;
    return mask ? mask : 1u << IDT_DOC_ERROR; /* errors: nothing, but still counted */
}
