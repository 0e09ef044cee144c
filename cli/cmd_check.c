/* initdata check: every problem a consumer (kata, the attestation-agent,
 * the confidential-data-hub, Trustee) would have with a document and its
 * entries, compiler-style or as JSON. */
#include "cmd.h"
#include "diag.h"
#include "doc_diag.h"
#include "io.h"
#include "json_out.h"
#include "load.h"
#include "opt.h"
#include "initdata/doc.h"
#include "initdata/lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata check [OPTIONS] FILE|-",
    "Check the Init-Data document FILE the way its consumers will read it:\n"
    "the document itself as kata does (TOML 1.0, version = \"0.1.0\", algorithm\n"
    "sha256, sha384 or sha512, a [data] table of strings), then its entries:\n"
    "aa.toml as the attestation-agent, cdh.toml as the confidential-data-hub,\n"
    "policy.rego as the kata agent, both KBS URLs together, and the digest on\n"
    "the TEE platforms named with --platform (without it, platform gotchas are\n"
    "notes).  Every finding is printed with its line and column in FILE (for\n"
    "a finding inside an entry, also its place in the entry), its severity and\n"
    "a stable code (see initdata-check(1)), then a one-line summary; all on\n"
    "standard error.  The exit status is 1 when any consumer rejects or fails\n"
    "on the document, or with --strict when there is a warning.  With --json,\n"
    "print one JSON object on standard output instead.",
    "  $ initdata check initdata.toml\n"
    "  $ initdata check --platform tdx,snp --strict initdata.toml\n"
    "  $ initdata check --json - < initdata.toml\n"
    "  $ initdata check --allow-sm3 sm3-doc.toml\n",
};

/* One run: the input, and where the report goes. */
typedef struct check_state {
    const char *name;
    const char *src;
    size_t len;
    FILE *json;        /* the JSON being built, or NULL for text output */
    size_t json_diags; /* diagnostics written into it so far */
    cli_load_report load;
} check_state;

/* The loader's tap with --json: each diagnostic becomes an array element. */
static int print_json_diag(const idt_doc_diag *d, void *payload)
{
    check_state *st = payload;
    FILE *f = st->json;
    if (st->json_diags++)
        fputc(',', f);
    const idt_code_info *info = idt_lint_code_info(d->check);
    fprintf(f, "{\"severity\":\"%s\",\"code\":", cli_doc_severity_name(d->severity));
    cli_json_cstring(f, d->check);
    fputs(",\"rule\":", f);
    cli_json_cstring(f, info ? info->name : idt_doc_rule_name(d->rule));
    fprintf(f, ",\"line\":%u,\"column\":%u,\"offset\":%zu,\"length\":%zu,\"entry\":",
            (unsigned)d->span.line, (unsigned)d->span.column, d->span.offset, d->span.length);
    cli_json_cstring(f, d->entry);
    if (d->entry && d->entry_line)
        fprintf(f, ",\"entry_line\":%u,\"entry_column\":%u", (unsigned)d->entry_line,
                (unsigned)d->entry_column);
    fputs(",\"message\":", f);
    cli_json_cstring(f, d->message);
    fputs(",\"rejected_by\":[", f);
    const char *sep = "";
    for (unsigned bit = 1; bit <= IDT_CONSUMER_CDH; bit <<= 1)
        if (d->rejected_by & bit) {
            fputs(sep, f);
            cli_json_cstring(f, idt_consumer_name(bit));
            sep = ",";
        }
    fputs("]}", f);
    return 0;
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* The summary of a document without errors (the loader prints the one of
 * an invalid document). */
static void print_summary(const check_state *st, const idt_doc *doc, bool failed)
{
    const cli_load_report *r = &st->load;
    if (failed) {
        char counts[128];
        fprintf(stderr, "%s: invalid (--strict): %s\n", st->name,
                cli_load_counts(counts, sizeof counts, r, true));
        return;
    }
    size_t n = idt_doc_entry_count(doc);
    fprintf(stderr, "%s: valid: version %s, algorithm %s, %zu data entr%s", st->name,
            idt_doc_version(doc), idt_digest_alg_name(idt_doc_algorithm(doc)), n,
            n == 1 ? "y" : "ies");
    if (r->warnings)
        fprintf(stderr, ", %zu warning%s", r->warnings, plural(r->warnings));
    if (r->notes)
        fprintf(stderr, ", %zu note%s", r->notes, plural(r->notes));
    fputc('\n', stderr);
}

/* Closes the JSON object: counts, and what the parsed document holds. */
static void finish_json(const check_state *st, const idt_doc *doc, unsigned platforms,
                        bool strict)
{
    FILE *f = st->json;
    const cli_load_report *r = &st->load;
    fprintf(f, "],\"errors\":%zu,\"warnings\":%zu,\"notes\":%zu,\"valid\":%s,\"strict\":%s",
            r->errors, r->warnings, r->notes, r->errors ? "false" : "true",
            strict ? "true" : "false");
    fputs(",\"platforms\":[", f);
    const char *sep = "";
    for (int p = IDT_PLATFORM_TDX; p <= IDT_PLATFORM_VTPM; p++)
        if (platforms & IDT_LINT_PLATFORM(p)) {
            fputs(sep, f);
            cli_json_cstring(f, idt_platform_name((idt_platform)p));
            sep = ",";
        }
    fputc(']', f);
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

typedef struct check_args {
    bool allow_sm3, entries, strict;
    unsigned platforms;
} check_args;

/* Checks st->src through the loader (which prints the diagnostics, or
 * with st->json hands them to print_json_diag); adds the summary or closes
 * the JSON.  Returns the status for the exit code; *printed tells whether
 * a failure was already reported. */
static int check(check_state *st, const check_args *a, bool *printed)
{
    cli_load_options lo = CLI_LOAD_OPTIONS_INIT;
    lo.doc.allow_sm3 = a->allow_sm3;
    lo.lint = a->entries;
    lo.lint_opts.platforms = a->platforms;
    lo.notes = true;
    if (st->json) {
        lo.quiet = true;
        lo.tap = print_json_diag;
        lo.payload = st;
        fputs("{\"file\":", st->json);
        cli_json_cstring(st->json, st->name);
        fputs(",\"diagnostics\":[", st->json);
    }
    idt_doc *doc = NULL;
    int rc = cli_doc_load(&doc, st->name, st->src, st->len, &lo, &st->load);
    /* A failure without a diagnostic (memory) is not about the text, and
     * the loader has printed it. */
    *printed = rc < 0;
    if (rc < 0 && !st->load.errors)
        return rc;
    const cli_load_report *r = &st->load;
    bool failed = r->errors || (a->strict && r->warnings);
    if (st->json)
        finish_json(st, doc, a->platforms, a->strict);
    else if (!r->errors)
        print_summary(st, doc, failed);
    idt_doc_free(doc);
    return failed ? IDT_ESCHEMA : IDT_OK;
}

/* --platform tdx,snp --platform vtpm -> bits. */
static int parse_platforms(unsigned *out, const cli_list *list)
{
    *out = 0;
    for (size_t i = 0; i < list->count; i++) {
        const char *s = list->items[i];
        while (*s) {
            size_t n = strcspn(s, ",");
            idt_platform p;
            idt_error perr = { 0 };
            if (idt_platform_parse(&p, s, n, &perr) < 0)
                return cli_keyword_error("check", "platform", &perr);
            *out |= IDT_LINT_PLATFORM(p);
            s += n + (s[n] == ',');
        }
    }
    return CLI_CONTINUE;
}

/* Runs the check and writes the report; returns the exit code. */
static int run(check_state *st, const check_args *a)
{
    idt_error err = { 0 };
    err.source = st->name;
    char *out = NULL;
    size_t out_len = 0;
    /* JSON goes to memory first, so a failure never leaves half an object
     * on standard output. */
    if (st->json && !(st->json = open_memstream(&out, &out_len))) {
        cli_diag_msg("out of memory");
        return CLI_EXIT_ENV;
    }
    bool printed = false;
    int rc = check(st, a, &printed);
    bool report_failed = rc < 0 && rc != IDT_ESCHEMA;
    if (st->json && fclose(st->json) != 0 && !report_failed) {
        report_failed = true;
        printed = false;
        rc = IDT_ENOMEM;
        snprintf(err.message, sizeof err.message, "out of memory");
    }
    if (report_failed) {
        if (!printed)
            cli_diag_error(&err, NULL, 0);
    } else if (st->json) {
        err.source = NULL;
        int wrc = cli_write_output(NULL, out, out_len, &err);
        if (wrc < 0) {
            cli_diag_error(&err, NULL, 0);
            rc = wrc;
        }
    }
    free(out);
    return cli_exit_code(rc);
}

int cmd_check(int argc, char **argv)
{
    const char *input = NULL;
    bool json = false, no_entries = false;
    check_args a = { false, true, false, 0 };
    cli_list platforms = { NULL, 0 };
    const cli_opt opts[] = {
        { CLI_OPT_LIST, "platform", 'p', &platforms, "LIST",
          "tdx, snp, cca, sgx, se, vtpm (comma-separated, repeatable): check the digest "
          "against these platforms", false },
        { CLI_OPT_SWITCH, "strict", 0, &a.strict, NULL, "fail (exit 1) on warnings too", false },
        { CLI_OPT_SWITCH, "no-entries", 0, &no_entries, NULL,
          "check only the document, not aa.toml, cdh.toml, policy.rego or platforms", false },
        { CLI_OPT_SWITCH, "allow-sm3", 0, &a.allow_sm3, NULL,
          "accept algorithm = \"sm3\" with a warning (kata rejects it)", false },
        { CLI_OPT_SWITCH, "json", 0, &json, NULL,
          "print the diagnostics as JSON on standard output", false },
        { CLI_OPT_ARG, "file", 0, &input, "FILE", "the document ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("check", opts, &help, argc, argv);
    if (rc == CLI_CONTINUE)
        rc = parse_platforms(&a.platforms, &platforms);
    cli_opts_free(opts);
    if (rc != CLI_CONTINUE)
        return rc;
    a.entries = !no_entries;

    idt_error err = { 0 };
    check_state st = { 0 };
    st.name = err.source = cli_input_name(input);
    char *src = NULL;
    size_t len = 0;
    rc = cli_read_input(&src, &len, input, IDT_TOML_DEFAULT_MAX_SIZE, &err);
    if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        return cli_exit_code(rc);
    }
    st.src = src;
    st.len = len;
    st.json = json ? stdout : NULL; /* replaced by a memory stream in run() */
    rc = run(&st, &a);
    free(src);
    return rc;
}
