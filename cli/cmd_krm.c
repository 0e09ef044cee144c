/* initdata krm: a KRM function (kustomize, kpt).  Reads a ResourceList on
 * standard input, sets the Init-Data annotation on its pod-bearing items
 * (idt_manifest_annotate: a splice) and writes it back with its results
 * (idt_manifest_krm_results). */
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "manifest_cli.h"
#include "opt.h"
#include "initdata/codec.h"
#include "initdata/manifest.h"
#include "util/error_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata krm [OPTIONS] [CONFIG]",
    "A KRM function for kustomize and kpt: read a ResourceList\n"
    "(config.kubernetes.io/v1) on standard input, set the Init-Data annotation on\n"
    "every pod-bearing object of its items as annotate does (only the annotation\n"
    "changes; kustomize's own annotations on the items stay) and write the\n"
    "ResourceList to standard output with the function's results (severity\n"
    "error, warning or info, the item's resourceRef, the field).  Errors go to\n"
    "standard error too, and exit 1.\n"
    "\n"
    "With CONFIG, the tool is a kustomize exec plugin instead (what\n"
    "'kubectl kustomize --enable-alpha-plugins' runs): CONFIG is the function\n"
    "config, standard input the objects (YAML documents), standard output the\n"
    "objects annotated.  make install puts the tool where kustomize looks for the\n"
    "InitData kind (lib/kustomize/plugin/initdata.confidentialcontainers.org/\n"
    "v1alpha1/initdata/InitData: set KUSTOMIZE_PLUGIN_HOME to its lib/kustomize/plugin),\n"
    "and an initdata-krm link that runs this command, for the exec: path of a\n"
    "KRM function (kustomize --enable-exec).\n"
    "\n"
    "The config is a ConfigMap whose data, or an InitData object\n"
    "(initdata.confidentialcontainers.org/v1alpha1) whose spec, holds: initdata\n"
    "(the document's path, relative to the working directory: kustomize runs the\n"
    "function in the kustomization's directory) or document (the document\n"
    "inline); key (current, legacy or both); select (KIND, KIND/NAME or */NAME,\n"
    "separated by commas or spaces; in spec also a list).  The options override\n"
    "it.  Input without a pod-bearing object passes through unchanged, with an\n"
    "info result (a note on standard error for the plugin).",
    "  $ KUSTOMIZE_PLUGIN_HOME=/usr/local/lib/kustomize/plugin \\\n"
    "      kubectl kustomize --enable-alpha-plugins overlay/\n"
    "  $ initdata krm < resource-list.yaml\n"
    "  $ initdata krm --key both function-config.yaml < objects.yaml\n",
};

typedef struct results {
    idt_manifest_krm_result v[64];
    char text[64][IDT_ERROR_MESSAGE_MAX + 128];
    size_t n;
    bool error;
} results;

static void add(results *r, idt_manifest_krm_severity sev, size_t item, const char *field,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add(results *r, idt_manifest_krm_severity sev, size_t item, const char *field,
                const char *fmt, ...)
{
    r->error |= sev == IDT_MANIFEST_KRM_ERROR;
    if (r->n == sizeof r->v / sizeof r->v[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->text[r->n], sizeof r->text[r->n], fmt, ap);
    va_end(ap);
    r->v[r->n] = (idt_manifest_krm_result){ sev, r->text[r->n], item, field };
    r->n++;
}

typedef struct krm_args {
    const char *initdata, *key, *config;
    cli_list select;
} krm_args;

/* The field a setting came from, for results: "data.initdata". */
static const char *field_of(const idt_manifest_krm *k, const char *name, char *buf, size_t cap)
{
    if (!k->config_path)
        return NULL;
    snprintf(buf, cap, "%s.%s", k->config_path, name);
    return buf;
}

/* The annotation value; an error becomes a result. */
static int value_of(char **value, size_t *len, const krm_args *a, const idt_manifest_krm *k,
                    results *r)
{
    static char field[64];
    const char *path = a->initdata ? a->initdata : k->initdata;
    if (!path && !k->document) {
        add(r, IDT_MANIFEST_KRM_ERROR, IDT_MANIFEST_NO_ITEM, NULL,
            "no Init-Data document: the functionConfig (a ConfigMap's data or an InitData's "
            "spec) names none in initdata (a path) or document (the document inline)");
        return CLI_EXIT_INVALID;
    }
    if (path && k->document && !a->initdata) {
        add(r, IDT_MANIFEST_KRM_ERROR, IDT_MANIFEST_NO_ITEM, field_of(k, "document", field, 64),
            "the functionConfig gives both initdata and document: give one");
        return CLI_EXIT_INVALID;
    }
    idt_error why;
    idt_error_clear(&why);
    int ec;
    if (path) {
        why.source = path;
        char *doc = NULL;
        size_t doc_len = 0;
        int rc = cli_read_input(&doc, &doc_len, path, IDT_CODEC_MAX_DECODED_DEFAULT, &why);
        if (rc < 0) {
            cli_diag_error(&why, NULL, 0);
            ec = cli_exit_code(rc);
        } else {
            ec = cli_annotation_of(value, len, path, doc, doc_len, &why);
        }
        free(doc);
    } else {
        path = "functionConfig document";
        ec = cli_annotation_of(value, len, path, k->document, k->document_len, &why);
    }
    if (ec != CLI_EXIT_OK) {
        char where[64] = "";
        if (why.line)
            snprintf(where, sizeof where, ":%u:%u", (unsigned)why.line,
                     (unsigned)why.column);
        add(r, IDT_MANIFEST_KRM_ERROR, IDT_MANIFEST_NO_ITEM,
            a->initdata ? NULL : field_of(k, k->document && !k->initdata ? "document" : "initdata",
                                          field, 64),
            "%s%s: %s", path, where, why.message[0] ? why.message : "cannot be read");
    }
    return ec;
}

/* The annotated text, or NULL on an error (a result). */
static int edit(char **out, size_t *out_len, const cli_manifest *cm, const krm_args *a,
                const idt_manifest_krm *k, results *r)
{
    static char field[64];
    unsigned keys = IDT_MANIFEST_KEYS_CURRENT;
    const char *key = a->key ? a->key : k->key;
    idt_error err;
    idt_error_clear(&err);
    if (key && idt_manifest_keys_parse(&keys, key, strlen(key), &err) < 0) {
        add(r, IDT_MANIFEST_KRM_ERROR, IDT_MANIFEST_NO_ITEM,
            a->key ? NULL : field_of(k, "key", field, 64), "key: %s", err.message);
        return CLI_EXIT_INVALID;
    }
    /* --select, then the functionConfig's select */
    size_t nsel = a->select.count + k->select_count;
    const char **items = calloc(nsel + 1, sizeof *items);
    if (!items) {
        cli_diag_msg("out of memory");
        return CLI_EXIT_ENV;
    }
    for (size_t i = 0; i < a->select.count; i++)
        items[i] = a->select.items[i];
    for (size_t i = 0; i < k->select_count; i++)
        items[a->select.count + i] = k->select[i];
    cli_list list = { items, nsel };
    cli_selectors sel = { 0 };
    int ec = cli_selectors_parse(&sel, "krm", &list);
    free(items);
    if (ec != CLI_CONTINUE) {
        add(r, IDT_MANIFEST_KRM_ERROR, IDT_MANIFEST_NO_ITEM, field_of(k, "select", field, 64),
            "select: a selector is KIND, KIND/NAME or */NAME");
        return ec;
    }
    if (sel.n == 0 && !cli_manifest_has_pod(cm->m)) {
        add(r, IDT_MANIFEST_KRM_INFO, IDT_MANIFEST_NO_ITEM, NULL,
            "no pod-bearing object among the items: nothing to annotate");
        cli_selectors_dispose(&sel);
        return CLI_EXIT_OK;
    }
    char *value = NULL;
    size_t value_len = 0;
    ec = value_of(&value, &value_len, a, k, r);
    idt_manifest_annotate_options opts = IDT_MANIFEST_ANNOTATE_OPTIONS_INIT;
    opts.keys = keys;
    opts.select = sel.v;
    opts.select_count = sel.n;
    idt_manifest_report rep;
    memset(&rep, 0, sizeof rep);
    err.source = cm->name;
    if (ec == CLI_EXIT_OK &&
        idt_manifest_annotate(out, out_len, cm->m, value, value_len, &opts, &rep, &err) < 0) {
        cli_diag_error(&err, cm->text, cm->len);
        add(r, IDT_MANIFEST_KRM_ERROR, IDT_MANIFEST_NO_ITEM, NULL, "%s", err.message);
        ec = cli_exit_code(err.code);
    }
    for (size_t i = 0; ec == CLI_EXIT_OK && i < rep.note_count; i++) {
        idt_manifest_object o;
        size_t item = idt_manifest_object_at(&o, cm->m, rep.notes[i].object, NULL) == IDT_OK
                          ? o.item
                          : IDT_MANIFEST_NO_ITEM;
        cli_manifest_warn(cm, &rep.notes[i].span, rep.notes[i].message);
        add(r, IDT_MANIFEST_KRM_WARNING, item, NULL, "%s", rep.notes[i].message);
    }
    idt_manifest_report_dispose(&rep);
    idt_free(value);
    cli_selectors_dispose(&sel);
    return ec;
}

/* Writes text with the results (or, when they cannot be added, text alone). */
static int write_list(const char *text, size_t len, const idt_manifest_krm *k, const results *r)
{
    idt_error err;
    idt_error_clear(&err);
    char *out = NULL;
    size_t out_len = 0;
    int rc = idt_manifest_krm_results(&out, &out_len, text, len, k, r->v, r->n, &err);
    if (rc < 0) {
        err.source = "ResourceList";
        cli_diag_error(&err, NULL, 0);
    } else {
        rc = cli_write_output(NULL, out, out_len, &err);
        if (rc < 0)
            cli_diag_error(&err, NULL, 0);
    }
    idt_free(out);
    return rc < 0 ? cli_exit_code(rc) : CLI_EXIT_OK;
}

/* kustomize's exec plugin: config from a file, the objects on stdin, the
 * objects out; results go to stderr. */
static int run_plugin(const krm_args *a)
{
    cli_manifest conf, cm;
    memset(&conf, 0, sizeof conf);
    memset(&cm, 0, sizeof cm);
    int ec = cli_manifest_load(&conf, a->config);
    if (ec != CLI_EXIT_OK)
        return ec;
    idt_manifest_krm *k = NULL;
    idt_error err;
    idt_error_clear(&err);
    err.source = conf.name;
    int rc = idt_manifest_krm_read(&k, conf.m, &err);
    if (rc == IDT_OK && k->resource_list)
        rc = idtx_error_set(&err, IDT_ESCHEMA, NULL,
                            "CONFIG is a ResourceList: give it on standard input, without CONFIG");
    if (rc < 0) {
        cli_diag_error(&err, conf.text, conf.len);
        ec = cli_exit_code(rc);
    }
    results *r = ec == CLI_EXIT_OK ? calloc(1, sizeof *r) : NULL;
    if (ec == CLI_EXIT_OK && !r) {
        cli_diag_msg("out of memory");
        ec = CLI_EXIT_ENV;
    }
    bool loaded = false;
    if (ec == CLI_EXIT_OK) {
        cm.path = "-";
        ec = cli_manifest_load(&cm, cm.path);
        loaded = ec == CLI_EXIT_OK;
    }
    char *out = NULL;
    size_t out_len = 0;
    if (loaded)
        ec = edit(&out, &out_len, &cm, a, k, r);
    for (size_t i = 0; loaded && i < r->n; i++)
        if (r->v[i].severity != IDT_MANIFEST_KRM_WARNING) /* warnings: printed already */
            fprintf(stderr, "%s: %s: %s\n", cm.name,
                    r->v[i].severity == IDT_MANIFEST_KRM_INFO ? "note" : "error",
                    r->v[i].message);
    if (loaded && ec == CLI_EXIT_OK && !r->error) {
        rc = cli_write_output(NULL, out ? out : cm.text, out ? out_len : cm.len, &err);
        if (rc < 0) {
            cli_diag_error(&err, NULL, 0);
            ec = cli_exit_code(rc);
        }
    } else if (ec == CLI_EXIT_OK) {
        ec = CLI_EXIT_INVALID;
    }
    idt_free(out);
    free(r);
    idt_manifest_krm_free(k);
    if (loaded)
        cli_manifest_dispose(&cm);
    cli_manifest_dispose(&conf);
    return ec;
}

int cmd_krm(int argc, char **argv)
{
    krm_args a = { 0 };
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "initdata", 'f', &a.initdata, "FILE",
          "the Init-Data document (instead of the functionConfig's)", false },
        { CLI_OPT_VALUE, "key", 'k', &a.key, "current|legacy|both",
          "the annotation key (default: the functionConfig's, else current)", false },
        { CLI_OPT_LIST, "select", 's', &a.select, "KIND/NAME",
          "only these objects (KIND, KIND/NAME, */NAME), with the functionConfig's", false },
        { CLI_OPT_ARG, "config", 0, &a.config, "FILE",
          "the function config, as kustomize passes it to an exec plugin", false },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("krm", opts, &help, argc, argv);
    if (rc != CLI_CONTINUE) {
        cli_opts_free(opts);
        return rc;
    }
    if (a.config) {
        rc = run_plugin(&a);
        cli_opts_free(opts);
        return rc;
    }
    cli_manifest cm;
    memset(&cm, 0, sizeof cm);
    cm.path = "-";
    int ec = cli_manifest_load(&cm, cm.path);
    if (ec != CLI_EXIT_OK) {
        cli_opts_free(opts);
        return ec;
    }
    results *r = calloc(1, sizeof *r);
    idt_manifest_krm *k = NULL;
    idt_error err;
    idt_error_clear(&err);
    err.source = cm.name;
    if (!r) {
        cli_diag_msg("out of memory");
        ec = CLI_EXIT_ENV;
    } else if ((rc = idt_manifest_krm_read(&k, cm.m, &err)) < 0 ||
               (!k->resource_list &&
                (rc = idtx_error_set(&err, IDT_ESCHEMA, NULL,
                                     "standard input is a function config, not a ResourceList "
                                     "(give the config as CONFIG, the objects on standard "
                                     "input)")) < 0)) {
        /* the functionConfig is wrong: say so in results when the input is
         * a ResourceList at all */
        cli_diag_error(&err, cm.text, cm.len);
        add(r, IDT_MANIFEST_KRM_ERROR, IDT_MANIFEST_NO_ITEM, NULL, "%s", err.message);
        if (!k || k->resource_list)
            write_list(cm.text, cm.len, NULL, r);
        ec = cli_exit_code(rc);
    } else {
        char *out = NULL;
        size_t out_len = 0;
        ec = edit(&out, &out_len, &cm, &a, k, r);
        int wc = write_list(out ? out : cm.text, out ? out_len : cm.len, k, r);
        if (ec == CLI_EXIT_OK)
            ec = r->error ? CLI_EXIT_INVALID : wc;
        idt_free(out);
    }
    idt_manifest_krm_free(k);
    free(r);
    cli_manifest_dispose(&cm);
    cli_opts_free(opts);
    return ec;
}
