/* Loading an Init-Data document (load.h). */
#include "load.h"
#include "diag.h"
#include "doc_diag.h"

#include <stdio.h>
#include <string.h>

/* What the callback needs, and the first error it saw. */
typedef struct load_state {
    const char *name, *src;
    size_t len;
    const cli_load_options *o;
    cli_load_report *r;
    bool have_first;
    idt_doc_diag first; /* the first error, for report->err when no call filled it */
} load_state;

/* Counts and prints every diagnostic; never stops the check, so that all
 * of them are shown. */
static int on_diag(const idt_doc_diag *d, void *payload)
{
    load_state *st = payload;
    cli_load_report *r = st->r;
    if (d->severity == IDT_DOC_ERROR) {
        r->errors++;
        r->rejected_by |= d->rejected_by;
        if (!st->have_first) {
            st->first = *d;
            st->have_first = true;
        }
    } else if (d->severity == IDT_DOC_WARNING) {
        r->warnings++;
    } else {
        r->notes++;
    }
    if (!st->o->quiet && (d->severity != IDT_DOC_NOTE || st->o->notes))
        cli_doc_diag_print(d, st->name, st->src, st->len);
    if (st->o->tap)
        (void)st->o->tap(d, st->o->payload);
    return 0;
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

const char *cli_load_counts(char *buf, size_t cap, const cli_load_report *r, bool notes)
{
    int n = snprintf(buf, cap, "%zu error%s, %zu warning%s", r->errors, plural(r->errors),
                     r->warnings, plural(r->warnings));
    if (notes && r->notes && n >= 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, ", %zu note%s", r->notes, plural(r->notes));
    return buf;
}

/* The first error as an idt_error, for a caller that carries it on (apply
 * writes it into its deny-all policy).  idt_doc_check fills err for errors
 * of the document itself; an entry error only comes as a diagnostic. */
static void first_error(cli_load_report *r, const load_state *st)
{
    if (r->err.code || !st->have_first)
        return;
    const idt_doc_diag *d = &st->first;
    r->err.code = d->code ? d->code : IDT_ESCHEMA;
    r->err.line = d->span.line;
    r->err.column = d->span.column;
    r->err.offset = d->span.offset;
    r->err.has_offset = true;
    memcpy(r->err.message, d->message, sizeof r->err.message);
}

int cli_doc_load(idt_doc **out, const char *name, const char *src, size_t len,
                 const cli_load_options *opts, cli_load_report *report)
{
    static const cli_load_options defaults = CLI_LOAD_OPTIONS_INIT;
    cli_load_report local;
    if (!opts)
        opts = &defaults;
    if (!report)
        report = &local;
    memset(report, 0, sizeof *report);
    report->err.source = name;
    *out = NULL;

    load_state st;
    memset(&st, 0, sizeof st);
    st.name = name;
    st.src = src;
    st.len = len;
    st.o = opts;
    st.r = report;
    idt_doc *doc = NULL;
    int rc = opts->digest ? idt_doc_check_digest(&doc, opts->digest, src, len, &opts->doc,
                                                 on_diag, &st, &report->err)
                          : idt_doc_check(&doc, src, len, &opts->doc, on_diag, &st,
                                          &report->err);
    if (rc >= 0 && opts->lint) {
        idt_error lerr = { .source = name };
        rc = idt_lint_check(doc, &opts->lint_opts, on_diag, &st, &lerr);
        if (rc < 0 && rc != IDT_ESCHEMA) /* not a finding: memory, options */
            report->err = lerr;
    }
    if (rc < 0 && !report->errors) {
        /* Nothing about the text was wrong: the failure has no diagnostic. */
        idt_doc_free(doc);
        cli_diag_error(&report->err, src, len);
        return rc;
    }
    *out = doc;
    if (!report->errors)
        return IDT_OK;
    first_error(report, &st);
    if (!opts->quiet) {
        char counts[128], who[160];
        idt_consumers_format(who, sizeof who, report->rejected_by);
        fprintf(stderr, "%s: invalid: %s (rejected by %s)\n", name,
                cli_load_counts(counts, sizeof counts, report, opts->notes), who);
    }
    return rc < 0 ? rc : IDT_ESCHEMA;
}
