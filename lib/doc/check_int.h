/* The registry of checks behind idt_doc_diag.check: one entry per thing
 * `initdata check` can report, shared by the document rules (doc.c) and
 * the entry checks (lib/lint).  The order is the table's (checks.c) and
 * the code order; the codes themselves are the stable part. */
#ifndef IDT_DOC_CHECK_INT_H
#define IDT_DOC_CHECK_INT_H

#include "initdata/doc.h"

typedef enum idt_check_id {
    /* The document itself (doc.c): idt_doc__rule_check maps the rules. */
    IDT_CHECK_DOC_TOML,
    IDT_CHECK_DOC_MISSING,
    IDT_CHECK_DOC_TYPE,
    IDT_CHECK_DOC_VERSION,
    IDT_CHECK_DOC_ALGORITHM,
    IDT_CHECK_DOC_SM3,
    IDT_CHECK_DOC_DATA_ENTRY,
    IDT_CHECK_DOC_ENTRY_NAME, /* a data key one typo away from a known entry */
    IDT_CHECK_DOC_TOML11,     /* TOML 1.1-only syntax (Kata 3.x rejects it) */
    IDT_CHECK_DOC_NESTING,    /* deeper than the toml crate 1.1 allows */
    /* aa.toml and cdh.toml, read as configuration files. */
    IDT_CHECK_ENTRY_TOML,
    IDT_CHECK_KEY_UNKNOWN,
    IDT_CHECK_KEY_TYPE,
    IDT_CHECK_KEY_MISSING,
    IDT_CHECK_KEY_CONVERTED,
    IDT_CHECK_URL,
    IDT_CHECK_CERT_PARSE,
    IDT_CHECK_CERT_VALIDITY,
    IDT_CHECK_CERT_INFO,
    IDT_CHECK_AA_TEE_KEY,
    IDT_CHECK_AA_PCR,
    IDT_CHECK_CDH_KBC_NAME,
    IDT_CHECK_CDH_CREDENTIAL_PATH,
    IDT_CHECK_CDH_REGISTRY,
    /* aa.toml and cdh.toml together. */
    IDT_CHECK_KBS_MISMATCH,
    IDT_CHECK_KBS_HTTP,
    /* policy.rego */
    IDT_CHECK_POLICY_NO_PACKAGE,
    IDT_CHECK_POLICY_PACKAGE,
    IDT_CHECK_POLICY_UNKNOWN,
    IDT_CHECK_POLICY_EXEC,
    IDT_CHECK_POLICY_ALLOW_FAILING,
    IDT_CHECK_POLICY_DUPLICATE,
    IDT_CHECK_POLICY_DATA,
    /* The digest on a TEE platform. */
    IDT_CHECK_PLATFORM_VTPM,
    IDT_CHECK_PLATFORM_CCA,
    IDT_CHECK_PLATFORM_SE,
    IDT_CHECK_PLATFORM_SGX,
    IDT_CHECK_PLATFORM_CCA_RUNTIME_RS, /* runtime-rs gives CCA guests no Init-Data */
    IDT_CHECK__COUNT
} idt_check_id;

/* The check a document rule reports under (IDT_DOC_RULE_LINT has none of
 * its own: lint sets the check itself). */
idt_check_id idt_doc__rule_check(idt_doc_rule rule);

/* The registry entry of id (never NULL for a valid id). */
const idt_check_info *idt_doc__check(idt_check_id id);

#endif
