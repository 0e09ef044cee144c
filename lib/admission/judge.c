/* Offline judgement (initdata/admission.h): one object as JSON, judged as
 * if it were created, with both endpoints' rules. */
#include "admission/admission_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OBJECT ((size_t)64 << 20)

void idt_admission_judgement_dispose(idt_admission_judgement *jd)
{
    if (!jd)
        return;
    free(jd->findings);
    memset(jd, 0, sizeof *jd);
}

static void copy_string(char *dst, size_t cap, const idtx_json *j, size_t i)
{
    dst[0] = '\0';
    if (idtx_json_type_at(j, i) != IDTX_JSON_STRING)
        return;
    char *s = idtx_json_string_dup(j, i, cap * 4, NULL);
    if (s)
        snprintf(dst, cap, "%s", s);
    free(s);
}

static int keep_findings(idt_admission_judgement *out, const idt_admission__verdict *v,
                         idt_error *err)
{
    if (!v->count)
        return IDT_OK;
    out->findings = calloc(v->count, sizeof *out->findings);
    if (!out->findings)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory judging an object");
    for (size_t i = 0; i < v->count; i++) {
        idt_admission_finding *f = &out->findings[i];
        f->code = v->findings[i].code;
        f->action = idt_admission__action_name(v->findings[i].action);
        f->severity = v->findings[i].severity;
        snprintf(f->text, sizeof f->text, "%s", v->findings[i].text);
    }
    out->finding_count = v->count;
    return IDT_OK;
}

int idt_admission_judge_json(idt_admission_judgement *out, const idt_admission_config *cfg,
                             const char *json, size_t len, const char *namespace_, idt_error *err)
{
    if (!out)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_admission_judge_json: NULL judgement");
    memset(out, 0, sizeof *out);
    out->decision = IDT_ADMISSION_ALLOW;
    if (!cfg || (!json && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_admission_judge_json");
    if (len > MAX_OBJECT)
        return idtx_error_set(err, IDT_ELIMIT, NULL, "the object is larger than 64 MiB");
    idtx_json j;
    IDTX_TRY(idtx_json_parse(&j, json ? json : "", len, cfg->server.max_depth, len + 1, err));
    static const char *const meta_ns[] = { "metadata", "namespace", NULL };
    static const char *const meta_name[] = { "metadata", "name", NULL };
    copy_string(out->kind, sizeof out->kind, &j, idtx_json_member(&j, 0, "kind"));
    copy_string(out->name, sizeof out->name, &j, idtx_json_path(&j, 0, meta_name));
    if (namespace_)
        snprintf(out->namespace_, sizeof out->namespace_, "%s", namespace_);
    else
        copy_string(out->namespace_, sizeof out->namespace_, &j, idtx_json_path(&j, 0, meta_ns));
    if (!out->namespace_[0])
        snprintf(out->namespace_, sizeof out->namespace_, "default");
    idt_admission__object o;
    int rc = IDT_OK;
    if (idt_admission__object_view(&o, &j, 0, out->kind, strlen(out->kind))) {
        idt_admission__verdict v;
        rc = idt_admission__validate(&v, cfg, &o, out->namespace_, err);
        if (rc == IDT_OK) {
            out->in_scope = v.in_scope;
            if (v.in_scope)
                snprintf(out->field, sizeof out->field, "%s", v.field);
            out->decision = v.denied ? IDT_ADMISSION_DENY : IDT_ADMISSION_ALLOW;
            rc = keep_findings(out, &v, err);
        }
        idt_admission__verdict_dispose(&v);
        const idt_admission__inject *r = idt_admission__inject_rule(cfg, &o, out->namespace_);
        if (rc == IDT_OK && r) {
            idtx_buf patch;
            idtx_buf_init(&patch, (size_t)4 << 20, "the patch");
            rc = idt_admission__patch(&patch, r, &o, err);
            if (rc == IDT_OK && patch.len) {
                out->inject_value = r->value;
                out->inject_document = r->document;
                out->inject_migrate_legacy = r->migrate_legacy;
                out->inject_replace = r->replace;
            }
            idtx_buf_dispose(&patch);
        }
    }
    idtx_json_dispose(&j);
    if (rc < 0)
        idt_admission_judgement_dispose(out);
    return rc;
}
