/* initdata admit: the admission webhook's decisions, offline.  An
 * AdmissionReview gets the response the webhook would send; manifests get
 * one line per object with its decision and findings (or a JSON report),
 * and with --mutate the manifest with the annotation the mutating
 * endpoint would inject. */
#include "admission_cli.h"
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "json_out.h"
#include "opt.h"
#include "initdata/admission.h"
#include "initdata/manifest.h"
#include "util/json_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata admit --config FILE [OPTIONS] INPUT...",
    "Judge INPUT the way `initdata webhook` would, without a cluster.  An\n"
    "INPUT that is an AdmissionReview (JSON) gets the response the webhook\n"
    "would send, on standard output (--mutate: the mutating endpoint's).\n"
    "Any other INPUT is read as Kubernetes manifests (YAML or JSON, several\n"
    "documents, Lists): every object is judged as if it were created, and\n"
    "one line per object says its decision, followed by its findings as\n"
    "`initdata check` prints them, with the annotation's field path in place\n"
    "of a file name and the position inside the Init-Data document.  With\n"
    "--mutate, the manifest is written (to standard output or -o) with the\n"
    "annotation the configuration's [[inject]] rules give each Pod, every\n"
    "other byte unchanged.  Exit status: 0 when everything is allowed, 1\n"
    "when anything is denied or cannot be read, 2 for usage errors, 3 for\n"
    "I/O errors.  The configuration is described in initdata-admit(1).",
    "  $ initdata admit --config webhook.toml pod.yaml\n"
    "  $ initdata admit --config webhook.toml --json k8s/*.yaml\n"
    "  $ initdata admit --config webhook.toml review.json\n"
    "  $ initdata admit --config webhook.toml --mutate -o pod.out.yaml pod.yaml\n",
};

typedef struct admit_args {
    const char *config;
    const char *namespace_;
    const char *output;
    bool mutate;
    bool json;
    cli_list inputs;
} admit_args;

typedef struct admit_run {
    const admit_args *a;
    const idt_admission_config *cfg;
    FILE *report;       /* the JSON report being written, or NULL */
    size_t reported;    /* inputs in it so far */
    bool denied;
} admit_run;

/* --- AdmissionReview inputs ---------------------------------------------------- */

static bool is_review(const char *src, size_t len)
{
    idtx_json j;
    if (idtx_json_parse(&j, src, len, 64, len + 1, NULL) < 0)
        return false;
    bool yes = idtx_json_string_eq(&j, idtx_json_member(&j, 0, "kind"), "AdmissionReview", 15);
    idtx_json_dispose(&j);
    return yes;
}

static int admit_review(admit_run *r, const char *src, size_t len)
{
    idt_admission_result res;
    idt_error err = { 0 };
    int rc = idt_admission_review(&res, r->cfg,
                                  r->a->mutate ? IDT_ADMISSION_MUTATE : IDT_ADMISSION_VALIDATE,
                                  src, len, &err);
    if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        idt_admission_result_dispose(&res);
        return rc;
    }
    fwrite(res.body, 1, res.body_len, stdout);
    if (res.decision != IDT_ADMISSION_ALLOW)
        r->denied = true;
    idt_admission_result_dispose(&res);
    return IDT_OK;
}

/* --- manifest inputs ----------------------------------------------------------- */

static void print_text(const char *name, const idt_manifest_object *mo,
                       const idt_admission_judgement *jd)
{
    const char *decision = idt_admission_decision_name(jd->decision);
    if (!mo->pod_bearing)
        decision = "allow (no pod template)";
    else if (!jd->in_scope)
        decision = "allow (out of scope)";
    printf("%s:%u:%u: %s %s/%s: %s", name, (unsigned)mo->span.line, (unsigned)mo->span.column,
           mo->kind, jd->namespace_, mo->name[0] ? mo->name : "(unnamed)", decision);
    if (jd->inject_document)
        printf(" (injects %s)", jd->inject_document);
    putchar('\n');
    for (size_t i = 0; i < jd->finding_count; i++)
        printf("  %s: %s\n", jd->findings[i].action, jd->findings[i].text);
}

static void print_json(FILE *f, bool first, const idt_manifest_object *mo,
                       const idt_admission_judgement *jd)
{
    fputs(first ? "" : ",", f);
    fputs("{\"kind\":", f);
    cli_json_cstring(f, mo->kind);
    fputs(",\"namespace\":", f);
    cli_json_cstring(f, jd->namespace_);
    fputs(",\"name\":", f);
    cli_json_cstring(f, mo->name);
    fprintf(f, ",\"line\":%u,\"pod_bearing\":%s,\"in_scope\":%s,\"decision\":\"%s\",\"field\":",
            (unsigned)mo->span.line, mo->pod_bearing ? "true" : "false",
            jd->in_scope ? "true" : "false", idt_admission_decision_name(jd->decision));
    cli_json_cstring(f, jd->field);
    fputs(",\"inject\":", f);
    if (jd->inject_document)
        cli_json_cstring(f, jd->inject_document);
    else
        fputs("null", f);
    fputs(",\"findings\":[", f);
    for (size_t i = 0; i < jd->finding_count; i++) {
        const idt_admission_finding *x = &jd->findings[i];
        fprintf(f, "%s{\"code\":\"%s\",\"severity\":\"%s\",\"action\":\"%s\",\"text\":",
                i ? "," : "", x->code, idt_doc_severity_name(x->severity), x->action);
        cli_json_cstring(f, x->text);
        fputc('}', f);
    }
    fputs("]}", f);
}

/* Adds the injected annotation of object i to *text (re-scanned each time,
 * since every edit moves the bytes after it). */
static int inject(char **text, size_t *len, size_t i, const idt_manifest_object *mo,
                  const idt_admission_judgement *jd, idt_error *err)
{
    idt_manifest *m = NULL;
    IDTX_TRY(idt_manifest_scan(&m, *text, *len, NULL, err));
    idt_manifest_annotations ann;
    int rc = idt_manifest_get_annotations(&ann, m, i, err);
    const char *value = jd->inject_value;
    size_t value_len = strlen(value);
    /* Only a legacy entry, and a rule that migrates without replacing: the
     * entry keeps its value under the current key. */
    if (rc == IDT_OK && ann.value[IDT_MANIFEST_KEY_LEGACY] && !ann.value[IDT_MANIFEST_KEY_CURRENT] &&
        !jd->inject_replace) {
        value = ann.value[IDT_MANIFEST_KEY_LEGACY];
        value_len = ann.value_len[IDT_MANIFEST_KEY_LEGACY];
    }
    idt_manifest_selector sel = { mo->kind, mo->name };
    idt_manifest_annotate_options ao = IDT_MANIFEST_ANNOTATE_OPTIONS_INIT;
    ao.select = &sel;
    ao.select_count = 1;
    ao.keys = IDT_MANIFEST_KEYS_CURRENT;
    char *out = NULL;
    size_t out_len = 0;
    if (rc == IDT_OK)
        rc = idt_manifest_annotate(&out, &out_len, m, value, value_len, &ao, NULL, err);
    idt_manifest_free(m);
    if (rc == IDT_OK) {
        free(*text);
        *text = out;
        *len = out_len;
    }
    return rc;
}

static int judge_object(admit_run *r, const char *name, idt_manifest *m, size_t i,
                        bool *first)
{
    idt_manifest_object mo;
    idt_error err = { .source = name };
    IDTX_TRY(idt_manifest_object_at(&mo, m, i, &err));
    if (!strcmp(mo.kind, "List"))
        return IDT_OK; /* its items are objects of their own */
    char *json = NULL;
    size_t len = 0;
    idt_admission_judgement jd;
    memset(&jd, 0, sizeof jd);
    int rc = IDT_OK;
    if (mo.pod_bearing)
        rc = idt_manifest_object_json(&json, &len, m, i, &err);
    if (rc == IDT_OK && mo.pod_bearing)
        rc = idt_admission_judge_json(&jd, r->cfg, json, len, r->a->namespace_, &err);
    if (rc == IDT_OK && !mo.pod_bearing)
        snprintf(jd.namespace_, sizeof jd.namespace_, "%s",
                 r->a->namespace_ ? r->a->namespace_ : "-");
    free(json);
    if (rc < 0) {
        fprintf(stderr, "%s:%u:%u: error: %s %s: %s\n", name, (unsigned)mo.span.line,
                (unsigned)mo.span.column, mo.kind, mo.name, err.message);
        r->denied = true;
        return rc == IDT_ENOMEM ? rc : IDT_OK;
    }
    if (jd.decision == IDT_ADMISSION_DENY)
        r->denied = true;
    if (r->report)
        print_json(r->report, *first, &mo, &jd);
    else
        print_text(name, &mo, &jd);
    *first = false;
    idt_admission_judgement_dispose(&jd);
    return IDT_OK;
}

/* With --mutate: every Pod an inject rule covers gets its annotation. */
static int mutate(admit_run *r, const char *name, const char *src, size_t len)
{
    idt_error err = { .source = name };
    char *text = malloc(len + 1); /* each edit replaces it */
    if (!text)
        return idtx_error_set(&err, IDT_ENOMEM, NULL, "out of memory");
    memcpy(text, src, len + 1);
    int rc = IDT_OK;
    idt_manifest *m = NULL;
    rc = idt_manifest_scan(&m, text, len, NULL, &err);
    size_t n = rc == IDT_OK ? idt_manifest_object_count(m) : 0;
    idt_manifest_free(m);
    for (size_t i = 0; i < n && rc == IDT_OK; i++) {
        rc = idt_manifest_scan(&m, text, len, NULL, &err);
        idt_manifest_object mo;
        char *json = NULL;
        size_t jlen = 0;
        idt_admission_judgement jd;
        memset(&jd, 0, sizeof jd);
        if (rc == IDT_OK)
            rc = idt_manifest_object_at(&mo, m, i, &err);
        if (rc == IDT_OK && mo.pod_bearing && !strcmp(mo.kind, "Pod")) {
            rc = idt_manifest_object_json(&json, &jlen, m, i, &err);
            if (rc == IDT_OK)
                rc = idt_admission_judge_json(&jd, r->cfg, json, jlen, r->a->namespace_, &err);
            if (rc == IDT_OK && jd.inject_value)
                rc = inject(&text, &len, i, &mo, &jd, &err);
        }
        idt_admission_judgement_dispose(&jd);
        free(json);
        idt_manifest_free(m);
        m = NULL;
    }
    if (rc == IDT_OK)
        rc = cli_write_output(r->a->output, text, len, &err);
    if (rc < 0)
        cli_diag_error(&err, NULL, 0);
    free(text);
    return rc;
}

static int admit_manifest(admit_run *r, const char *name, char *src, size_t len)
{
    idt_manifest *m = NULL;
    idt_error err = { .source = name };
    int rc = idt_manifest_scan(&m, src, len, NULL, &err);
    if (rc < 0) {
        cli_diag_error(&err, src, len);
        return rc;
    }
    bool first = true;
    if (r->report) {
        fprintf(r->report, "%s{\"input\":", r->reported++ ? "," : "");
        cli_json_cstring(r->report, name);
        fputs(",\"objects\":[", r->report);
    }
    size_t n = idt_manifest_object_count(m);
    for (size_t i = 0; i < n && rc == IDT_OK; i++)
        rc = judge_object(r, name, m, i, &first);
    if (r->report)
        fputs("]}", r->report);
    idt_manifest_free(m);
    return rc;
}

static int admit_input(admit_run *r, const char *path)
{
    idt_error err = { 0 };
    const char *name = err.source = cli_input_name(path);
    char *src = NULL;
    size_t len = 0;
    int rc = cli_read_input(&src, &len, path, IDT_MANIFEST_DEFAULT_MAX_SIZE, &err);
    if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        return rc;
    }
    if (is_review(src, len))
        rc = admit_review(r, src, len);
    else if (r->a->mutate)
        rc = mutate(r, name, src, len);
    else
        rc = admit_manifest(r, name, src, len);
    free(src);
    return rc;
}

/* --- the command ------------------------------------------------------------------ */

static int run(const admit_args *a)
{
    idt_admission_config *cfg = NULL;
    int rc = cli_admission_config_load(&cfg, a->config);
    if (rc < 0)
        return cli_exit_code(rc);
    admit_run r = { a, cfg, a->json ? stdout : NULL, 0, false };
    if (r.report)
        fputs("{\"inputs\":[", r.report);
    for (size_t i = 0; i < a->inputs.count && rc >= 0; i++)
        rc = admit_input(&r, a->inputs.items[i]);
    if (r.report)
        fprintf(r.report, "],\"allowed\":%s}\n", r.denied ? "false" : "true");
    idt_admission_config_free(cfg);
    if (rc < 0)
        return cli_exit_code(rc);
    return r.denied ? CLI_EXIT_INVALID : CLI_EXIT_OK;
}

int cmd_admit(int argc, char **argv)
{
    admit_args a = { 0 };
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "config", 'c', &a.config, "FILE",
          "the webhook configuration (TOML; see initdata-admit(1))", false },
        { CLI_OPT_SWITCH, "mutate", 'm', &a.mutate, NULL,
          "the mutating endpoint: inject the annotation [[inject]] rules give", false },
        { CLI_OPT_VALUE, "namespace", 'n', &a.namespace_, "NS",
          "judge objects as created in NS (default: their metadata.namespace, else default)",
          false },
        { CLI_OPT_SWITCH, "json", 0, &a.json, NULL, "print a JSON report on standard output",
          false },
        { CLI_OPT_VALUE, "output", 'o', &a.output, "FILE",
          "with --mutate: write the manifest to FILE (atomically) instead of standard output",
          false },
        { CLI_OPT_ARGS, "input", 0, &a.inputs, "INPUT",
          "AdmissionReview JSON or manifests ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("admit", opts, &help, argc, argv);
    if (rc == CLI_CONTINUE && !a.config)
        rc = cli_usage_error("admit", "--config FILE is required");
    if (rc == CLI_CONTINUE && a.mutate && a.json)
        rc = cli_usage_error("admit", "--mutate writes the manifest: it does not go with --json");
    if (rc == CLI_CONTINUE && a.mutate && a.inputs.count != 1)
        rc = cli_usage_error("admit", "--mutate takes exactly one INPUT");
    if (rc == CLI_CONTINUE && a.output && !a.mutate)
        rc = cli_usage_error("admit", "-o goes with --mutate");
    if (rc == CLI_CONTINUE)
        rc = run(&a);
    cli_opts_free(opts);
    return rc;
}
