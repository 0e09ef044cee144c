/* initdata check: every problem a consumer (kata, the attestation-agent,
 * Trustee) would have with a document, compiler-style or as JSON. */
#include "cmd.h"
#include "diag.h"
#include "doc_diag.h"
#include "io.h"
#include "json_out.h"
#include "opt.h"
#include "initdata/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata check [OPTIONS] FILE|-",
    "Validate the Init-Data document FILE the way its strictest consumer does\n"
    "(kata): TOML 1.0, version = \"0.1.0\", algorithm sha256, sha384 or sha512,\n"
    "and a [data] table of strings.  Every problem is printed with its line and\n"
    "column and the consumers that reject it, then a one-line summary; all on\n"
    "standard error.  The exit status is 1 when any consumer rejects the\n"
    "document.  With --json, print the diagnostics as one JSON object on\n"
    "standard output instead.",
    "  $ initdata check initdata.toml\n"
    "  $ initdata check --json - < initdata.toml\n"
    "  $ initdata check --allow-sm3 sm3-doc.toml\n",
};

/* What the callback accumulates. */
typedef struct check_state {
    const char *name;
    const char *src;
    size_t len;
    FILE *json; /* the JSON being built, or NULL for text output */
    size_t errors, warnings;
    unsigned rejected_by; /* union over the errors */
} check_state;

static void print_json_diag(const idt_doc_diag *d, check_state *st)
{
    FILE *f = st->json;
    if (st->errors + st->warnings > 1)
        fputc(',', f);
    fprintf(f, "{\"severity\":\"%s\",\"rule\":",
            d->severity == IDT_DOC_ERROR ? "error" : "warning");
    cli_json_cstring(f, idt_doc_rule_name(d->rule));
    fprintf(f, ",\"line\":%u,\"column\":%u,\"offset\":%zu,\"length\":%zu,\"message\":",
            (unsigned)d->span.line, (unsigned)d->span.column, d->span.offset, d->span.length);
    cli_json_cstring(f, d->message);
    fputs(",\"rejected_by\":[", f);
    const char *sep = "";
    for (unsigned bit = 1; bit <= IDT_CONSUMER_ALL; bit <<= 1)
        if (d->rejected_by & bit) {
            fputs(sep, f);
            cli_json_cstring(f, idt_consumer_name(bit));
            sep = ",";
        }
    fputs("]}", f);
}

static int on_diag(const idt_doc_diag *d, void *payload)
{
    check_state *st = payload;
    if (d->severity == IDT_DOC_ERROR) {
        st->errors++;
        st->rejected_by |= d->rejected_by;
    } else {
        st->warnings++;
    }
    if (st->json)
        print_json_diag(d, st);
    else
        cli_doc_diag_print(d, st->name, st->src, st->len);
    return 0;
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

static void print_summary(const check_state *st, const idt_doc *doc)
{
    if (!doc) {
        char who[128];
        idt_consumers_format(who, sizeof who, st->rejected_by);
        fprintf(stderr, "%s: invalid: %zu error%s, %zu warning%s (rejected by %s)\n", st->name,
                st->errors, plural(st->errors), st->warnings, plural(st->warnings), who);
        return;
    }
    size_t n = idt_doc_entry_count(doc);
    fprintf(stderr, "%s: valid: version %s, algorithm %s, %zu data entr%s", st->name,
            idt_doc_version(doc), idt_digest_alg_name(idt_doc_algorithm(doc)), n,
            n == 1 ? "y" : "ies");
    if (st->warnings)
        fprintf(stderr, ", %zu warning%s", st->warnings, plural(st->warnings));
    fputc('\n', stderr);
}

/* Closes the JSON object: counts, and what a valid document holds. */
static void finish_json(const check_state *st, const idt_doc *doc)
{
    FILE *f = st->json;
    fprintf(f, "],\"errors\":%zu,\"warnings\":%zu,\"valid\":%s", st->errors, st->warnings,
            doc ? "true" : "false");
    if (doc) {
        fputs(",\"version\":", f);
        cli_json_cstring(f, idt_doc_version(doc));
        fputs(",\"algorithm\":", f);
        cli_json_cstring(f, idt_digest_alg_name(idt_doc_algorithm(doc)));
        fputs(",\"entries\":[", f);
        for (size_t i = 0; i < idt_doc_entry_count(doc); i++) {
            const idt_doc_entry *e = idt_doc_entry_at(doc, i);
            if (i)
                fputc(',', f);
            cli_json_string(f, e->name, e->name_len);
        }
        fputc(']', f);
    }
    fputs("}\n", f);
}

/* Checks src; with st->json set, the report goes there. */
static int check(check_state *st, bool allow_sm3, idt_doc **doc, idt_error *err)
{
    idt_doc_options dopts = IDT_DOC_OPTIONS_INIT;
    dopts.allow_sm3 = allow_sm3;
    if (st->json) {
        fputs("{\"file\":", st->json);
        cli_json_cstring(st->json, st->name);
        fputs(",\"diagnostics\":[", st->json);
    }
    int rc = idt_doc_check(doc, st->src, st->len, &dopts, on_diag, st, err);
    /* Errors without a diagnostic (memory, limits) are not about the text. */
    if (rc < 0 && !st->errors)
        return rc;
    if (st->json)
        finish_json(st, *doc);
    else
        print_summary(st, *doc);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    const char *input = NULL;
    bool json = false, allow_sm3 = false;
    const cli_opt opts[] = {
        { CLI_OPT_SWITCH, "allow-sm3", 0, &allow_sm3, NULL,
          "accept algorithm = \"sm3\" with a warning (kata rejects it)", false },
        { CLI_OPT_SWITCH, "json", 0, &json, NULL,
          "print the diagnostics as JSON on standard output", false },
        { CLI_OPT_ARG, "file", 0, &input, "FILE", "the document ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("check", opts, &help, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;

    idt_error err = { 0 };
    check_state st = { 0 };
    st.name = err.source = cli_input_name(input);
    char *src = NULL, *out = NULL;
    size_t len = 0, out_len = 0;
    idt_doc *doc = NULL;
    rc = cli_read_input(&src, &len, input, IDT_TOML_DEFAULT_MAX_SIZE, &err);
    if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        return cli_exit_code(rc);
    }
    st.src = src;
    st.len = len;
    /* JSON goes to memory first, so a failure never leaves half an object
     * on standard output. */
    if (json && !(st.json = open_memstream(&out, &out_len))) {
        free(src);
        cli_diag_msg("out of memory");
        return CLI_EXIT_ENV;
    }
    rc = check(&st, allow_sm3, &doc, &err);
    bool report_failed = rc < 0 && !st.errors;
    if (st.json && fclose(st.json) != 0 && !report_failed) {
        report_failed = true;
        rc = IDT_ENOMEM;
        snprintf(err.message, sizeof err.message, "out of memory");
    }
    if (report_failed) {
        cli_diag_error(&err, NULL, 0);
    } else if (json) {
        err.source = NULL;
        int wrc = cli_write_output(NULL, out, out_len, &err);
        if (wrc < 0) {
            cli_diag_error(&err, NULL, 0);
            rc = wrc;
        }
    }
    free(out);
    idt_doc_free(doc);
    free(src);
    return cli_exit_code(rc);
}
