/* Internals of the document module: the validator that doc.c drives. */
#ifndef IDT_DOC_INT_H
#define IDT_DOC_INT_H

#include "initdata/doc.h"
#include "util/error_int.h"

/* Where diagnostics go.  A parse wants only the first error; a check wants
 * all of them through the caller's callback. */
typedef struct idt_doc__sink {
    idt_doc_diag_cb cb;
    void *payload;
    bool first_only; /* stop at the first error */
    int first_code;  /* status of the first error; 0 while there is none */
    int stopped;     /* the callback's non-zero return, if it stopped us */
    idt_error *err;  /* receives the first error */
} idt_doc__sink;

/* What validation found: the pieces a document keeps. */
typedef struct idt_doc__fields {
    const idt_toml_value *version;   /* a string, or NULL */
    const idt_toml_value *algorithm; /* a string, or NULL */
    const idt_toml_value *data;      /* a table, or NULL */
    idt_digest_alg alg;              /* valid when first_code == 0 */
} idt_doc__fields;

/* Reports one diagnostic.  Returns non-zero when the caller must stop
 * (first error of a parse, or the callback asked to). */
int idt_doc__emit(idt_doc__sink *s, idt_doc_severity sev, idt_doc_rule rule, int code,
                  unsigned rejected_by, const idt_span *at, const char *fmt, ...)
    IDTX_PRINTF(7, 8);

/* Checks root against the Init-Data rules, reporting to s. */
void idt_doc__validate(idt_doc__fields *out, const idt_toml_value *root,
                       const idt_doc_options *opts, idt_doc__sink *s);

#endif
