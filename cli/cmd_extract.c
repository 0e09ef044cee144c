/* initdata extract: the Init-Data annotations of a manifest, decoded. */
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "load.h"
#include "manifest_cli.h"
#include "opt.h"
#include "initdata/codec.h"
#include "initdata/digest.h"
#include "initdata/doc.h"
#include "initdata/manifest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata extract [OPTIONS] MANIFEST",
    "For every pod-bearing object of MANIFEST that carries the Init-Data annotation\n"
    "(io.katacontainers.config.hypervisor.cc_init_data, or the legacy\n"
    "io.katacontainers.config.runtime.cc_init_data that only the Go runtime of\n"
    "Kata 3.8 to 3.19 reads), print the object's kind and name, the key, the\n"
    "annotation's size, the total of the object's annotations against\n"
    "Kubernetes' 262144-byte limit, and the decoded document; with --summary\n"
    "its algorithm, entries and digest instead.  --raw prints only the exact\n"
    "document bytes of the one annotation found (use --select to pick it), for\n"
    "piping into other commands.  The value is decoded as strictly as the Rust\n"
    "consumers (kata-agent, genpolicy) do; --lenient uses the Go consumers'\n"
    "rules (kata shim, cloud-api-adaptor).",
    "  $ initdata extract pod.yaml\n"
    "  $ initdata extract --summary deploy.yaml\n"
    "  $ initdata extract --select Deployment/web --raw app.yaml | initdata digest -\n"
    "  $ kubectl get pod mypod -o yaml | initdata extract --summary -\n",
};

typedef struct extract_args {
    const char *manifest;
    bool summary, raw, lenient;
    cli_list select;
} extract_args;

/* One annotation to show. */
typedef struct found {
    size_t object;
    int key;
} found;

static const char *key_role(int k)
{
    return k == IDT_MANIFEST_KEY_CURRENT
               ? "current key: the Go runtime from Kata 3.20, runtime-rs already in 3.19"
               : "legacy key: only the Go runtime of Kata 3.8 to 3.19 reads it";
}

static int decode(unsigned char **doc, size_t *len, const cli_manifest *cm,
                  const idt_manifest_annotations *an, int k, bool lenient)
{
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    idt_codec_warnings warnings;
    idt_codec_warnings_clear(&warnings);
    o.lenient = lenient;
    o.warnings = &warnings;
    idt_error err;
    idt_error_clear(&err);
    int rc = idt_codec_decode(doc, len, an->value[k], an->value_len[k], &o, &err);
    /* The value's offsets are into the annotation; the span locates it. */
    for (size_t i = 0; i < warnings.count; i++) {
        char msg[IDT_ERROR_MESSAGE_MAX + 96];
        snprintf(msg, sizeof msg, "the %s value, at byte %llu: %s",
                 idt_manifest_key_name((idt_manifest_key)k),
                 (unsigned long long)warnings.warning[i].offset, warnings.warning[i].message);
        cli_manifest_warn(cm, &an->span[k], msg);
    }
    if (rc < 0) {
        char msg[IDT_ERROR_MESSAGE_MAX + 64];
        snprintf(msg, sizeof msg, "the %s value: %s", idt_manifest_key_name((idt_manifest_key)k),
                 err.message);
        cli_manifest_error(cm, &an->span[k], rc, msg);
    }
    return rc;
}

static int print_summary(const char *label, const unsigned char *doc, size_t len)
{
    char name[600];
    snprintf(name, sizeof name, "<annotation of %s>", label);
    idt_error err;
    idt_error_clear(&err);
    err.source = name;
    idt_doc *d = NULL;
    idt_digest dg;
    char hex[IDT_BINDING_TEXT_MAX];
    /* The loader prints the document's diagnostics and its own failures. */
    int rc = cli_doc_load(&d, name, (const char *)doc, len, NULL, NULL);
    if (rc < 0)
        return rc;
    rc = idt_doc_digest(&dg, d, &err);
    if (rc >= 0)
        rc = idt_digest_format(hex, sizeof hex, &dg, IDT_ENCODING_HEX, &err);
    if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        idt_doc_free(d);
        return rc;
    }
    printf("  algorithm:    %s\n  entries:      ", idt_digest_alg_name(idt_doc_algorithm(d)));
    size_t n = idt_doc_entry_count(d);
    for (size_t i = 0; i < n; i++) {
        const idt_doc_entry *e = idt_doc_entry_at(d, i);
        printf("%s%.*s (%zu bytes)", i ? ", " : "", (int)e->name_len, e->name, e->content_len);
    }
    printf("%s\n  digest:       %s\n", n ? "" : "(none)", hex);
    idt_doc_free(d);
    return IDT_OK;
}

static void print_header(const char *label, const cli_manifest *cm, const idt_manifest_object *o,
                         const idt_manifest_annotations *an, int k)
{
    printf("%s:%u: %s\n", cm->name, (unsigned)o->span.line, label);
    printf("  key:          %s (%s)\n", idt_manifest_key_name((idt_manifest_key)k), key_role(k));
    printf("  annotation:   %zu bytes\n", an->value_len[k]);
    printf("  annotations:  %" PRIu64 " of %" PRIu64 " bytes (%.1f%%)", an->total_bytes,
           an->budget, 100.0 * (double)an->total_bytes / (double)an->budget);
    if (an->total_bytes > an->budget)
        printf(": %" PRIu64 " bytes over Kubernetes' limit", an->total_bytes - an->budget);
    printf("\n  runtimeClass: %s\n", an->runtime_class ? an->runtime_class
                                                     : "(none: Kata reads the annotation only "
                                                       "on a Kata runtime class)");
}

static int show(const cli_manifest *cm, const found *f, const extract_args *a, bool first)
{
    idt_manifest_object o;
    idt_manifest_annotations an;
    if (idt_manifest_object_at(&o, cm->m, f->object, NULL) < 0 ||
        idt_manifest_get_annotations(&an, cm->m, f->object, NULL) < 0)
        return IDT_ERROR;
    unsigned char *doc = NULL;
    size_t len = 0;
    int rc = decode(&doc, &len, cm, &an, f->key, a->lenient);
    if (rc < 0)
        return rc;
    char label[512];
    cli_object_label(label, sizeof label, &o);
    if (a->raw) {
        fwrite(doc, 1, len, stdout);
    } else {
        if (!first)
            putchar('\n');
        print_header(label, cm, &o, &an, f->key);
        if (a->summary) {
            rc = print_summary(label, doc, len);
        } else {
            printf("  document:     %zu bytes\n", len);
            fwrite(doc, 1, len, stdout);
            if (len && doc[len - 1] != '\n')
                fputs("\n\\ No newline at end of the document\n", stdout);
        }
    }
    idt_free(doc);
    return rc;
}

static bool selected(const cli_selectors *sel, const idt_manifest_object *o)
{
    for (size_t s = 0; s < sel->n; s++)
        if (idt_manifest_selector_matches(&sel->v[s], o->kind, o->name))
            return true;
    return sel->n == 0;
}

/* Lists what to show.  Objects whose path is broken are reported and
 * make the exit status 1; the others are still shown. */
static int collect(found **out, size_t *n, const cli_manifest *cm, const cli_selectors *sel,
                   bool raw, int *ec)
{
    size_t count = idt_manifest_object_count(cm->m);
    *out = calloc(2 * (count ? count : 1), sizeof **out);
    if (!*out)
        return IDT_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        idt_manifest_object o;
        idt_manifest_annotations an;
        idt_error err;
        idt_error_clear(&err);
        err.source = cm->name;
        if (idt_manifest_object_at(&o, cm->m, i, NULL) < 0 || !o.pod_bearing || !selected(sel, &o))
            continue;
        if (idt_manifest_get_annotations(&an, cm->m, i, &err) < 0) {
            cli_diag_error(&err, cm->text, cm->len);
            *ec = CLI_EXIT_INVALID;
            continue;
        }
        for (int k = 0; k < 2; k++) {
            if (!an.value[k] || (raw && k == IDT_MANIFEST_KEY_LEGACY &&
                                 an.value[IDT_MANIFEST_KEY_CURRENT]))
                continue;
            (*out)[(*n)++] = (found){ i, k };
        }
    }
    return IDT_OK;
}

static int run(const extract_args *a, const cli_manifest *cm, const cli_selectors *sel)
{
    found *list = NULL;
    size_t n = 0;
    int ec = CLI_EXIT_OK;
    if (collect(&list, &n, cm, sel, a->raw, &ec) < 0) {
        cli_diag_msg("out of memory");
        return CLI_EXIT_ENV;
    }
    if (n == 0 && ec == CLI_EXIT_OK) {
        cli_diag_msg("%s: no %sobject carries %s (or the legacy %s)", cm->name,
                     sel->n ? "selected pod-bearing " : "pod-bearing ",
                     IDT_MANIFEST_KEY_CURRENT_NAME, IDT_MANIFEST_KEY_LEGACY_NAME);
        ec = CLI_EXIT_INVALID;
    } else if (a->raw && n > 1) {
        cli_diag_msg("%s: %zu objects carry the annotation; --raw needs one (use --select)",
                     cm->name, n);
        ec = CLI_EXIT_INVALID;
    }
    /* --raw prints nothing after an error: a partial document is worse. */
    bool print = !(a->raw && ec != CLI_EXIT_OK);
    for (size_t i = 0; print && i < n; i++) {
        int rc = show(cm, &list[i], a, i == 0);
        if (rc < 0 && ec == CLI_EXIT_OK)
            ec = cli_exit_code(rc);
    }
    free(list);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_diag_msg("cannot write to stdout: %s", strerror(errno));
        return CLI_EXIT_ENV;
    }
    return ec;
}

int cmd_extract(int argc, char **argv)
{
    extract_args a = { 0 };
    const cli_opt opts[] = {
        { CLI_OPT_LIST, "select", 's', &a.select, "KIND/NAME",
          "only these objects (KIND, KIND/NAME, */NAME)", false },
        { CLI_OPT_SWITCH, "summary", 0, &a.summary, NULL,
          "algorithm, entries and digest instead of the document", false },
        { CLI_OPT_SWITCH, "raw", 0, &a.raw, NULL,
          "print only the document of the one annotation found", false },
        { CLI_OPT_SWITCH, "lenient", 0, &a.lenient, NULL,
          "decode like the Go consumers (line breaks skipped, gzip members joined)", false },
        { CLI_OPT_ARG, "manifest", 0, &a.manifest, "MANIFEST",
          "a YAML or JSON manifest ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("extract", opts, &help, argc, argv);
    if (rc == CLI_CONTINUE && a.raw && a.summary)
        rc = cli_usage_error("extract", "--raw and --summary do not go together");
    cli_selectors sel = { 0 };
    if (rc == CLI_CONTINUE)
        rc = cli_selectors_parse(&sel, "extract", &a.select);
    if (rc == CLI_CONTINUE) {
        cli_manifest cm;
        rc = cli_manifest_load(&cm, a.manifest);
        if (rc == CLI_EXIT_OK)
            rc = run(&a, &cm, &sel);
        cli_manifest_dispose(&cm);
    }
    cli_selectors_dispose(&sel);
    cli_opts_free(opts);
    return rc;
}
