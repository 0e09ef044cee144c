/* Internals of the document module: the validator that doc.c drives. */
#ifndef IDT_DOC_INT_H
#define IDT_DOC_INT_H

#include "initdata/doc.h"
#include "util/error_int.h"

/* The document's check codes (codes.c), in code order. */
typedef enum idt_doc__code {
    IDT_DOC__CODE_TOML,
    IDT_DOC__CODE_MISSING,
    IDT_DOC__CODE_TYPE,
    IDT_DOC__CODE_VERSION,
    IDT_DOC__CODE_ALGORITHM,
    IDT_DOC__CODE_SM3,
    IDT_DOC__CODE_DATA_ENTRY,
    IDT_DOC__CODE_TOML11,
    IDT_DOC__CODE_NESTING,
    IDT_DOC__CODE_COUNT
} idt_doc__code;

/* The code a document rule reports under (IDT_DOC__CODE_COUNT for
 * IDT_DOC_RULE_LINT, whose findings carry lint's own codes). */
idt_doc__code idt_doc__rule_code(idt_doc_rule rule);

/* The registry entry of id, or NULL. */
const idt_code_info *idt_doc__code_info(idt_doc__code id);

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
