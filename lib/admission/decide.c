/* The validation rules: what the validating endpoint finds about one
 * pod-bearing object in scope.  Each finding keeps its code, severity, the
 * configured action and its text as `initdata check` prints it, with the
 * annotation's field path in place of a file name. */
#include "admission/admission_int.h"
#include "initdata/codec.h"
#include "initdata/lint.h"
#include "initdata/manifest.h"
#include "util/quote.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void idt_admission__verdict_dispose(idt_admission__verdict *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->count; i++)
        free(v->findings[i].text);
    free(v->findings);
    memset(v, 0, sizeof *v);
}

/* Keeps a finding unless its action is to ignore it. */
static void keep(idt_admission__verdict *v, const idt_admission_config *cfg, const char *code,
                 idt_doc_severity sev, const char *text)
{
    idt_admission__action a = idt_admission__action_for(cfg, code, sev);
    if (a == IDT_ADMISSION__IGNORE || v->failure)
        return;
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        idt_admission__finding *f = realloc(v->findings, cap * sizeof *f);
        if (!f) {
            v->failure = IDT_ENOMEM;
            return;
        }
        v->findings = f;
        v->cap = cap;
    }
    size_t n = strlen(text);
    char *t = malloc(n + 1);
    if (!t) {
        v->failure = IDT_ENOMEM;
        return;
    }
    memcpy(t, text, n + 1);
    v->findings[v->count++] = (idt_admission__finding){ code, sev, a, t };
    if (a == IDT_ADMISSION__DENY)
        v->denied = true;
}

/* A finding of ours, about the annotation (column: 1-based in its value,
 * 0 for the annotation as a whole). */
IDTX_PRINTF(6, 7)
static void finding(idt_admission__verdict *v, const idt_admission_config *cfg,
                    idt_admission__code id, const char *field, uint32_t column, const char *fmt,
                    ...)
{
    const idt_code_info *info = idt_admission__code_info(id);
    char msg[IDT_ERROR_MESSAGE_MAX], text[2 * IDT_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char at[24] = "";
    if (column)
        snprintf(at, sizeof at, "1:%u: ", (unsigned)column);
    snprintf(text, sizeof text, "%s: %s%s: %s [%s]", field, at,
             idt_doc_severity_name(info->severity), msg, info->code);
    keep(v, cfg, info->code, info->severity, text);
}

typedef struct doc_tap {
    idt_admission__verdict *v;
    const idt_admission_config *cfg;
} doc_tap;

static int tap(const idt_doc_diag *d, void *payload)
{
    doc_tap *t = payload;
    char text[2 * IDT_ERROR_MESSAGE_MAX];
    idt_doc_diag_format(text, sizeof text, d, t->v->field);
    keep(t->v, t->cfg, d->check, d->severity, text);
    return t->v->failure;
}

/* Sum of the annotations' keys and values (decoded), as Kubernetes counts. */
static uint64_t annotation_bytes(const idt_admission__object *o, idtx_buf *scratch)
{
    const idtx_json *j = o->json;
    if (o->annotations == IDTX_JSON_NONE)
        return 0;
    uint64_t total = 0;
    size_t k = o->annotations + 1;
    for (uint32_t m = 0; m < j->tok[o->annotations].count; m++) {
        size_t v = k + 1;
        for (size_t i = k; i <= v; i += 1) {
            if (j->tok[i].type != IDTX_JSON_STRING)
                continue;
            if (!j->tok[i].escaped) {
                total += j->tok[i].len;
            } else {
                scratch->len = 0;
                if (idtx_json_string_decode(j, i, scratch, NULL) == IDT_OK)
                    total += scratch->len;
            }
        }
        k = j->tok[v].next;
    }
    return total;
}

static void check_document(idt_admission__verdict *v, const idt_admission_config *cfg,
                           const idt_admission__object *o, const char *text, size_t len)
{
    doc_tap t = { v, cfg };
    idt_doc *doc = NULL;
    idt_doc_check(&doc, text, len, NULL, tap, &t, NULL);
    if (!doc || v->failure) {
        idt_doc_free(doc);
        return;
    }
    idt_lint_options lo = IDT_LINT_OPTIONS_INIT;
    if (cfg->platforms && o->runtime_class != IDTX_JSON_NONE) {
        const idtx_json_tok *rc = &o->json->tok[o->runtime_class];
        lo.platforms = idt_admission__class_platforms(o->json->src + rc->start, rc->len);
    }
    lo.kbs_urls = (const char *const *)cfg->kbs_urls.v;
    lo.kbs_url_count = cfg->kbs_urls.n;
    lo.kbs_url_prefixes = (const char *const *)cfg->kbs_url_prefixes.v;
    lo.kbs_url_prefix_count = cfg->kbs_url_prefixes.n;
    lo.severities = idt_admission__wanted_severities(cfg);
    int rc = idt_lint_check(doc, &lo, tap, &t, NULL);
    if (rc == IDT_ENOMEM)
        v->failure = IDT_ENOMEM;
    idt_digest_alg alg = idt_doc_algorithm(doc);
    if (cfg->algorithms && !(cfg->algorithms & (1u << alg))) {
        const idt_toml_entry *e = idt_toml_table_get(idt_doc_toml_root(doc), "algorithm", 9);
        idt_doc_diag d;
        memset(&d, 0, sizeof d);
        d.severity = IDT_DOC_ERROR;
        d.rule = IDT_DOC_RULE_ALGORITHM;
        d.check = idt_admission__code_info(IDT_ADMISSION__CODE_ALGORITHM)->code;
        if (e)
            d.span = e->value->span;
        snprintf(d.message, sizeof d.message,
                 "algorithm \"%s\" is not one the cluster allows (the admission configuration's "
                 "algorithms)",
                 idt_digest_alg_name(alg));
        tap(&d, &t);
    }
    idt_doc_free(doc);
}

static void check_value(idt_admission__verdict *v, const idt_admission_config *cfg,
                        const idt_admission__object *o, size_t value)
{
    const idtx_json *j = o->json;
    if (j->tok[value].type != IDTX_JSON_STRING) {
        finding(v, cfg, IDT_ADMISSION__CODE_DECODE, v->field, 0,
                "the annotation is not a string (the API server refuses the object)");
        return;
    }
    idtx_buf ann;
    idtx_buf_init(&ann, (size_t)j->tok[value].len, "the annotation");
    if (idtx_json_string_decode(j, value, &ann, NULL) < 0) {
        v->failure = IDT_ENOMEM;
        idtx_buf_dispose(&ann);
        return;
    }
    unsigned char *doc = NULL;
    size_t len = 0;
    idt_codec_options co = IDT_CODEC_OPTIONS_INIT;
    co.max_encoded = (size_t)cfg->budget > co.max_encoded ? (size_t)cfg->budget : co.max_encoded;
    idt_error cerr = { 0 };
    int rc = idt_codec_decode(&doc, &len, ann.data ? ann.data : "", ann.len, &co, &cerr);
    idtx_buf_dispose(&ann);
    if (rc == IDT_ENOMEM) {
        v->failure = rc;
    } else if (rc < 0) {
        finding(v, cfg, IDT_ADMISSION__CODE_DECODE, v->field,
                cerr.has_offset ? (uint32_t)cerr.offset + 1 : 0, "%s", cerr.message);
    } else {
        check_document(v, cfg, o, (const char *)doc, len);
    }
    idt_free(doc);
}

static void object_name(char *dst, size_t cap, const idt_admission__object *o)
{
    char q[IDTX_QUOTE_MAX];
    size_t rc = o->runtime_class;
    if (rc == IDTX_JSON_NONE) {
        snprintf(dst, cap, "no runtime class");
        return;
    }
    snprintf(dst, cap, "runtime class %s",
             idtx_quote(q, o->json->src + o->json->tok[rc].start, o->json->tok[rc].len));
}

int idt_admission__validate(idt_admission__verdict *v, const idt_admission_config *cfg,
                            const idt_admission__object *o, const char *ns, idt_error *err)
{
    memset(v, 0, sizeof *v);
    if (!idt_admission__matches(&cfg->scope, o, ns))
        return IDT_OK;
    v->in_scope = true;
    size_t cur = o->value[IDT_MANIFEST_KEY_CURRENT], leg = o->value[IDT_MANIFEST_KEY_LEGACY];
    idt_manifest_key key = cur != IDTX_JSON_NONE || leg == IDTX_JSON_NONE ? IDT_MANIFEST_KEY_CURRENT
                                                                          : IDT_MANIFEST_KEY_LEGACY;
    snprintf(v->field, sizeof v->field, "%s[%s]", o->field, idt_manifest_key_name(key));
    if (leg != IDTX_JSON_NONE) {
        char field[sizeof v->field];
        snprintf(field, sizeof field, "%s[%s]", o->field, IDT_MANIFEST_KEY_LEGACY_NAME);
        finding(v, cfg, IDT_ADMISSION__CODE_LEGACY, field, 0,
                "the legacy key is read only by the Go runtime of Kata 3.8 to 3.19; Kata 3.20 "
                "and later read %s%s",
                IDT_MANIFEST_KEY_CURRENT_NAME, cur != IDTX_JSON_NONE ? ", which is also set" : "");
    }
    if (cur == IDTX_JSON_NONE && leg == IDTX_JSON_NONE) {
        if (cfg->required) {
            char what[IDTX_QUOTE_MAX + 32];
            object_name(what, sizeof what, o);
            finding(v, cfg, IDT_ADMISSION__CODE_MISSING, v->field, 0,
                    "no Init-Data annotation on a pod with %s (the cluster requires one)", what);
        }
        return v->failure ? idtx_error_set(err, v->failure, NULL, "out of memory") : IDT_OK;
    }
    idtx_buf scratch;
    idtx_buf_init(&scratch, (size_t)1 << 30, "an annotation");
    uint64_t total = annotation_bytes(o, &scratch);
    idtx_buf_dispose(&scratch);
    if (total > cfg->budget)
        finding(v, cfg, IDT_ADMISSION__CODE_BUDGET, v->field, 0,
                "the annotations total %llu bytes, %llu over the budget of %llu (Kubernetes "
                "refuses more than 262144)",
                (unsigned long long)total, (unsigned long long)(total - cfg->budget),
                (unsigned long long)cfg->budget);
    else
        check_value(v, cfg, o, key == IDT_MANIFEST_KEY_CURRENT ? cur : leg);
    if (v->failure)
        return idtx_error_set(err, v->failure, NULL, "out of memory judging an object");
    return IDT_OK;
}
