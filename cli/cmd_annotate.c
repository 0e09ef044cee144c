/* initdata annotate: sets the Init-Data annotation on the pod-bearing
 * objects of Kubernetes manifests, changing no other byte (manifest.h). */
#include "cmd.h"
#include "codec_args.h"
#include "diag.h"
#include "io.h"
#include "load.h"
#include "manifest_cli.h"
#include "opt.h"
#include "initdata/codec.h"
#include "initdata/doc.h"
#include "initdata/manifest.h"
#include "util/error_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata annotate (--initdata FILE | --annotation VALUE) [OPTIONS] MANIFEST...",
    "Set the Init-Data annotation on every pod-bearing object of MANIFEST (Pod,\n"
    "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,\n"
    "ReplicationController, PodTemplate, and the items of a List), where its pod\n"
    "template keeps it.  Only the annotation is written: comments, key order,\n"
    "quoting, indentation, flow mappings, anchors, document markers and line ends\n"
    "stay byte for byte; missing metadata or annotations are created.  The value is\n"
    "base64(gzip(FILE)) of the exact document bytes, so its digest is FILE's.\n"
    "\n"
    "--key current (default) writes io.katacontainers.config.hypervisor.cc_init_data\n"
    "(the Go runtime from Kata 3.20, runtime-rs already in 3.19) and turns a\n"
    "legacy io.katacontainers.config.runtime.cc_init_data entry into it; --key\n"
    "legacy writes only the legacy key (read only by the Go runtime of Kata 3.8\n"
    "to 3.19); --key both writes both.\n"
    "An object whose annotations would total more than 262144 bytes (Kubernetes'\n"
    "limit) is refused.  Without -i the result goes to standard output (one\n"
    "MANIFEST); with -i every MANIFEST is replaced atomically, and only when all of\n"
    "them succeed.  As a filter (MANIFEST '-', as helm install --post-renderer\n"
    "runs it), a stream without a pod-bearing object is written back unchanged,\n"
    "with a note on standard error, and the exit status is 0.",
    "  $ initdata annotate --initdata initdata.toml pod.yaml > pod-annotated.yaml\n"
    "  $ initdata annotate --initdata initdata.toml -i deploy.yaml cronjob.yaml\n"
    "  $ initdata annotate --initdata initdata.toml --select Deployment/web -i app.yaml\n"
    "  $ initdata annotate --annotation \"$(initdata encode initdata.toml)\" - < pod.yaml\n"
    "  $ initdata annotate --annotation @annotation.b64 --key both -i pod.yaml\n",
};

typedef struct annotate_args {
    const char *initdata, *annotation, *key, *output;
    bool in_place;
    cli_list select, manifests;
    unsigned keys;
} annotate_args;

/* One manifest: its text, scan and result. */
typedef struct job {
    cli_manifest cm;
    char *out;
    size_t out_len;
    bool loaded, skipped;
    bool passthrough; /* standard input without a pod-bearing object: out is the input */
} job;

static int check_args(annotate_args *a)
{
    if (!a->initdata == !a->annotation)
        return cli_usage_error("annotate", "give exactly one of --initdata FILE and "
                                           "--annotation VALUE");
    a->keys = IDT_MANIFEST_KEYS_CURRENT;
    idt_error err;
    idt_error_clear(&err);
    if (a->key && idt_manifest_keys_parse(&a->keys, a->key, strlen(a->key), &err) < 0)
        return cli_keyword_error("annotate", "key", &err);
    if (a->manifests.count == 0)
        return cli_usage_error("annotate", "missing MANIFEST");
    if (a->in_place && a->output)
        return cli_usage_error("annotate", "-i and -o do not go together");
    if (!a->in_place && a->manifests.count > 1)
        return cli_usage_error("annotate", "several manifests need -i (edit in place)");
    size_t stdin_users = a->initdata && !strcmp(a->initdata, "-");
    for (size_t i = 0; i < a->manifests.count; i++) {
        bool is_stdin = !strcmp(a->manifests.items[i], "-");
        if (is_stdin && a->in_place)
            return cli_usage_error("annotate", "-i cannot edit standard input in place");
        stdin_users += is_stdin;
    }
    if (a->annotation && !strcmp(a->annotation, "@-"))
        stdin_users++;
    if (stdin_users > 1)
        return cli_usage_error("annotate", "only one input can be standard input");
    return CLI_CONTINUE;
}

static int value_from_document(char **value, size_t *len, const char *path)
{
    idt_error err;
    idt_error_clear(&err);
    err.source = cli_input_name(path);
    char *doc = NULL;
    size_t doc_len = 0;
    int rc = cli_read_input(&doc, &doc_len, path, IDT_CODEC_MAX_DECODED_DEFAULT, &err);
    if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        return cli_exit_code(rc);
    }
    int ec = cli_annotation_of(value, len, err.source, doc, doc_len, NULL);
    free(doc);
    return ec;
}

/* --annotation VALUE or @FILE (one trailing line break dropped). */
static int value_from_annotation(char **value, size_t *len, const char *arg)
{
    idt_error err;
    idt_error_clear(&err);
    int rc = IDT_OK;
    if (arg[0] == '@') {
        err.source = cli_input_name(arg + 1);
        rc = cli_read_input(value, len, arg + 1, IDT_CODEC_MAX_ENCODED_DEFAULT + 2, &err);
        if (rc >= 0 && *len && (*value)[*len - 1] == '\n')
            (*value)[--*len] = '\0';
        if (rc >= 0 && *len && (*value)[*len - 1] == '\r')
            (*value)[--*len] = '\0';
    } else {
        err.source = "--annotation";
        *len = strlen(arg);
        if (!(*value = strdup(arg)))
            rc = idtx_error_set(&err, IDT_ENOMEM, NULL, "out of memory");
    }
    unsigned char *doc = NULL;
    size_t doc_len = 0;
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    idt_codec_warnings warnings;
    idt_codec_warnings_clear(&warnings);
    o.warnings = &warnings;
    if (rc >= 0) {
        rc = idt_codec_decode(&doc, &doc_len, *value, *len, &o, &err);
        cli_codec_warnings_print(err.source, &warnings);
    }
    if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        return cli_exit_code(rc);
    }
    int ec = cli_annotation_check("<decoded annotation>", (const char *)doc, doc_len, NULL);
    idt_free(doc);
    return ec;
}

static const char *keys_text(unsigned keys)
{
    if (keys == IDT_MANIFEST_KEYS_BOTH)
        return "both Init-Data keys";
    return keys == IDT_MANIFEST_KEYS_LEGACY ? IDT_MANIFEST_KEY_LEGACY_NAME
                                            : IDT_MANIFEST_KEY_CURRENT_NAME;
}

static void did_text(char *buf, size_t cap, unsigned did)
{
    static const struct {
        unsigned bit;
        const char *word;
    } words[] = {
        { IDT_MANIFEST_DID_REPLACE, "replaced" },
        { IDT_MANIFEST_DID_RENAME, "renamed the other key's entry" },
        { IDT_MANIFEST_DID_INSERT, "added" },
        { IDT_MANIFEST_DID_REMOVE, "removed the other key" },
        { IDT_MANIFEST_DID_CREATE, "created the annotations" },
    };
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (did & words[i].bit)
            snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", buf[0] ? ", " : "",
                     words[i].word);
}

static void print_report(const job *j, const idt_manifest_report *r, unsigned keys,
                         size_t value_len)
{
    for (size_t i = 0; i < r->note_count; i++)
        cli_manifest_warn(&j->cm, &r->notes[i].span, r->notes[i].message);
    for (size_t i = 0; i < r->change_count; i++) {
        const idt_manifest_change *c = &r->changes[i];
        idt_manifest_object o;
        char label[512], did[160];
        if (idt_manifest_object_at(&o, j->cm.m, c->object, NULL) < 0)
            continue;
        cli_object_label(label, sizeof label, &o);
        did_text(did, sizeof did, c->did);
        fprintf(stderr,
                "%s:%u: %s: %s %s (%zu-byte value); annotations %" PRIu64 " of %" PRIu64
                " bytes\n", j->cm.name, (unsigned)o.span.line, label, keys_text(keys), did,
                value_len, c->total_bytes, IDT_MANIFEST_ANNOTATION_BUDGET);
    }
}

/* The selectors that pick something in this manifest; marks them used. */
static size_t selectors_here(idt_manifest_selector *out, bool *used, const cli_selectors *sel,
                             const idt_manifest *m)
{
    size_t n = 0;
    for (size_t s = 0; s < sel->n; s++) {
        bool hit = false;
        for (size_t i = 0; i < idt_manifest_object_count(m) && !hit; i++) {
            idt_manifest_object o;
            hit = idt_manifest_object_at(&o, m, i, NULL) == IDT_OK &&
                  idt_manifest_selector_matches(&sel->v[s], o.kind, o.name);
        }
        if (hit) {
            out[n++] = sel->v[s];
            used[s] = true;
        }
    }
    return n;
}

static int run_job(job *j, const annotate_args *a, const cli_selectors *sel, bool *used,
                   const char *value, size_t value_len)
{
    int ec = cli_manifest_load(&j->cm, j->cm.path);
    if (ec != CLI_EXIT_OK)
        return ec;
    j->loaded = true;
    if (!strcmp(j->cm.path, "-") && sel->n == 0 && !cli_manifest_has_pod(j->cm.m)) {
        /* A filter (helm install --post-renderer, a pipe) sees every
         * stream; one without a pod (a chart of Services and ConfigMaps)
         * goes through as it came. */
        fprintf(stderr, "%s: note: no pod-bearing object; passed through unchanged\n",
                j->cm.name);
        j->passthrough = true;
        return CLI_EXIT_OK;
    }
    idt_manifest_annotate_options opts = IDT_MANIFEST_ANNOTATE_OPTIONS_INIT;
    opts.keys = a->keys;
    idt_manifest_selector *here = NULL;
    if (sel->n) {
        if (!(here = calloc(sel->n, sizeof *here))) {
            cli_diag_msg("out of memory");
            return CLI_EXIT_ENV;
        }
        opts.select = here;
        opts.select_count = selectors_here(here, used, sel, j->cm.m);
        if (opts.select_count == 0) { /* nothing selected here: left alone */
            j->skipped = true;
            free(here);
            return CLI_EXIT_OK;
        }
    }
    idt_error err;
    idt_error_clear(&err);
    err.source = j->cm.name;
    idt_manifest_report rep;
    int rc = idt_manifest_annotate(&j->out, &j->out_len, j->cm.m, value, value_len, &opts, &rep,
                                   &err);
    if (rc < 0)
        cli_diag_error(&err, j->cm.text, j->cm.len);
    else
        print_report(j, &rep, a->keys, value_len);
    idt_manifest_report_dispose(&rep);
    free(here);
    return rc < 0 ? cli_exit_code(rc) : CLI_EXIT_OK;
}

/* Writes the results once every manifest succeeded. */
static int write_all(job *jobs, size_t n, const annotate_args *a)
{
    for (size_t i = 0; i < n; i++) {
        job *j = &jobs[i];
        if (j->skipped)
            continue;
        if (a->in_place && j->out_len == j->cm.len && !memcmp(j->out, j->cm.text, j->cm.len))
            continue; /* already annotated: keep the file (and its mtime) */
        idt_error err;
        idt_error_clear(&err);
        const char *text = j->passthrough ? j->cm.text : j->out;
        size_t len = j->passthrough ? j->cm.len : j->out_len;
        int rc = cli_write_output(a->in_place ? j->cm.path : a->output, text, len, &err);
        if (rc < 0) {
            cli_diag_error(&err, NULL, 0);
            return cli_exit_code(rc);
        }
    }
    return CLI_EXIT_OK;
}

static int run(const annotate_args *a, const cli_selectors *sel, const char *value,
               size_t value_len)
{
    size_t n = a->manifests.count;
    job *jobs = calloc(n, sizeof *jobs);
    bool *used = calloc(sel->n ? sel->n : 1, sizeof *used);
    int ec = jobs && used ? CLI_EXIT_OK : CLI_EXIT_ENV;
    if (ec != CLI_EXIT_OK)
        cli_diag_msg("out of memory");
    /* Every manifest is processed (all errors are shown) before any is
     * written, so a failure leaves every file as it was. */
    for (size_t i = 0; jobs && used && i < n; i++) {
        jobs[i].cm.path = a->manifests.items[i];
        int e = run_job(&jobs[i], a, sel, used, value, value_len);
        if (ec == CLI_EXIT_OK)
            ec = e;
    }
    for (size_t s = 0; ec == CLI_EXIT_OK && s < sel->n; s++) {
        if (used[s])
            continue;
        char what[256];
        cli_selector_text(what, sizeof what, &sel->v[s]);
        cli_diag_msg("--select %s matches no object in %s", what,
                     n == 1 ? cli_input_name(a->manifests.items[0]) : "the manifests");
        ec = CLI_EXIT_INVALID;
    }
    if (ec == CLI_EXIT_OK)
        ec = write_all(jobs, n, a);
    for (size_t i = 0; jobs && i < n; i++) {
        if (jobs[i].loaded)
            cli_manifest_dispose(&jobs[i].cm);
        idt_free(jobs[i].out);
    }
    free(jobs);
    free(used);
    return ec;
}

int cmd_annotate(int argc, char **argv)
{
    annotate_args a = { 0 };
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "initdata", 'f', &a.initdata, "FILE",
          "the Init-Data document to put in the annotation", false },
        { CLI_OPT_VALUE, "annotation", 'a', &a.annotation, "VALUE",
          "an annotation value (gzip + base64), or @FILE holding one", false },
        { CLI_OPT_VALUE, "key", 'k', &a.key, "current|legacy|both",
          "the annotation key (default: current)", false },
        { CLI_OPT_LIST, "select", 's', &a.select, "KIND/NAME",
          "only these objects (KIND, KIND/NAME, */NAME)", false },
        { CLI_OPT_SWITCH, "in-place", 'i', &a.in_place, NULL,
          "replace each MANIFEST (atomically) instead of printing", false },
        { CLI_OPT_VALUE, "output", 'o', &a.output, "FILE",
          "write the result to FILE (replaced atomically)", false },
        { CLI_OPT_ARGS, "manifest", 0, &a.manifests, "MANIFEST",
          "YAML or JSON manifests ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("annotate", opts, &help, argc, argv);
    if (rc == CLI_CONTINUE)
        rc = check_args(&a);
    cli_selectors sel = { 0 };
    if (rc == CLI_CONTINUE)
        rc = cli_selectors_parse(&sel, "annotate", &a.select);
    char *value = NULL;
    size_t value_len = 0;
    if (rc == CLI_CONTINUE) {
        rc = a.initdata ? value_from_document(&value, &value_len, a.initdata)
                        : value_from_annotation(&value, &value_len, a.annotation);
        if (rc == CLI_EXIT_OK)
            rc = run(&a, &sel, value, value_len);
    }
    free(value);
    cli_selectors_dispose(&sel);
    cli_opts_free(opts);
    return rc;
}
