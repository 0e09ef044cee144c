/* Loading an Init-Data document, the one way every command does it.
 *
 * Every command that reads a document (check, digest, inspect, claims,
 * apply, annotate, extract --summary, kbs-request, verify, new for the
 * document it wrote) loads it here, so that each reports the same
 * diagnostics in the same words and stops at the same point:
 *
 *   1. every error and warning of the document (idt_doc_check) is
 *      printed compiler style, with its code, the source line and a caret
 *      (doc_diag.h), in the library's order;
 *   2. with `lint`, a document without errors has its entries checked
 *      too (idt_lint_check), printed the same way;
 *   3. when there was an error, one summary line follows,
 *      "NAME: invalid: 2 errors, 1 warning (rejected by kata and Trustee)",
 *      and the command stops.
 *
 *   initdata.toml:2:13: error: algorithm "sha-256" is not supported (...) [IDT-DOC005]
 *       2 | algorithm = "sha-256"
 *         |             ^
 *   initdata.toml:4:15: error: data entry "aa.toml" is an integer, not a string (...) [IDT-DOC007]
 *       4 | "aa.toml" = 5
 *         |             ^
 *   initdata.toml: invalid: 2 errors, 0 warnings (rejected by kata, attestation-agent and Trustee)
 */
#ifndef CLI_LOAD_H
#define CLI_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include "initdata/doc.h"
#include "initdata/lint.h"

/* How to load.  Start from CLI_LOAD_OPTIONS_INIT. */
typedef struct cli_load_options {
    idt_doc_options doc;        /* how the document is read (allow_sm3...) */
    bool lint;                  /* also check the entries (idt_lint_check) of
                                   a document without errors: check, new */
    idt_lint_options lint_opts; /* for the entry checks */
    bool notes;                 /* print notes (only the entry checks have
                                   any); without it they are counted only */
    bool quiet;                 /* print no diagnostic and no summary: only
                                   tap sees them (check --json) */
    idt_doc_diag_cb tap;        /* sees every diagnostic after it was printed
                                   (inspect keeps the warnings, check --json
                                   writes them); its return value is ignored,
                                   so it cannot change where loading stops */
    void *payload;              /* tap's */
    idt_digest *digest;         /* when set: receives the document's digest,
                                   hashed while it is parsed
                                   (idt_doc_check_digest); digest */
} cli_load_options;

#define CLI_LOAD_OPTIONS_INIT \
    { IDT_DOC_OPTIONS_INIT, false, IDT_LINT_OPTIONS_INIT, false, false, NULL, NULL, NULL }

/* What loading found. */
typedef struct cli_load_report {
    size_t errors, warnings, notes; /* diagnostics of each severity */
    unsigned rejected_by;           /* idt_consumer bits: union over the errors */
    idt_error err;                  /* the first error (source: the name), or
                                       the failure that is not about the text */
} cli_load_report;

/*
 * Loads src (len bytes, the document called name in messages) by the rule
 * above.  Failures that are not about the document's text (memory, an
 * invalid option) are printed too, quiet or not, so a caller prints
 * nothing more about loading.
 *
 * @param[out] out  the document when it has no error (warnings are fine),
 *                  else NULL.  With opts->lint, a document whose entries
 *                  have errors is still returned (check reports what it
 *                  holds): free *out in every case (idt_doc_free).
 * @param opts      NULL for CLI_LOAD_OPTIONS_INIT.
 * @param report    the counts and the first error; may be NULL.
 * @return IDT_OK when there is no error; the document's status
 *         (IDT_ESYNTAX, IDT_ESCHEMA, IDT_ELIMIT; IDT_ESCHEMA for an entry
 *         error); or the status of the failure (IDT_ENOMEM, IDT_EINVAL).
 */
int cli_doc_load(idt_doc **out, const char *name, const char *src, size_t len,
                 const cli_load_options *opts, cli_load_report *report);

/* The counts as the summary line words them, "2 errors, 1 warning", with
 * ", N notes" when notes is set and there are any.  Returns buf. */
const char *cli_load_counts(char *buf, size_t cap, const cli_load_report *r, bool notes);

#endif
