/* The digest on each TEE platform (initdata-facts §3; lint_int.h).  With
 * platforms named, a gotcha of one of them has its own severity; with none
 * named, every gotcha that applies to the document's algorithm is a note,
 * so the author learns about it before picking a platform. */
#include "lint/lint_int.h"

#include <string.h>

/* The sentences are idt_platform_warning's (digest.h), which say who
 * fails and why. */
typedef struct platform_check {
    idt_platform platform;
    idt_lint__code check;
    unsigned rejected_by; /* for the errors */
} platform_check;

static const platform_check checks[] = {
    { IDT_PLATFORM_VTPM, IDT_LINT__CODE_PLATFORM_VTPM, IDT_CONSUMER_AA | IDT_CONSUMER_TRUSTEE },
    { IDT_PLATFORM_CCA, IDT_LINT__CODE_PLATFORM_CCA, IDT_CONSUMER_TRUSTEE },
    { IDT_PLATFORM_SE, IDT_LINT__CODE_PLATFORM_SE, 0 },
    { IDT_PLATFORM_SGX, IDT_LINT__CODE_PLATFORM_SGX, 0 },
};

/* Where the algorithm is written (the document is valid, so it is). */
static idt_span algorithm_span(const idt_lint__ctx *c)
{
    const idt_toml_entry *e = idt_toml_table_get(idt_doc_toml_root(c->doc), "algorithm", 9);
    return e ? e->value->span : (idt_span){ 0, 0, 1, 1 };
}

void idt_lint__platforms(idt_lint__ctx *c)
{
    idt_digest_alg alg = idt_doc_algorithm(c->doc);
    idt_span at = algorithm_span(c);
    unsigned named = c->opts->platforms;
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        const platform_check *k = &checks[i];
        const char *why = idt_platform_warning(k->platform, alg);
        bool on = named & IDT_LINT_PLATFORM(k->platform);
        /* SGX is not a kata platform: say so only when asked about it. */
        if (!why || (named ? !on : k->platform == IDT_PLATFORM_SGX))
            continue;
        idt_doc_severity sev = named ? idt_lint__code_info(k->check)->severity : IDT_DOC_NOTE;
        idt_lint__report_doc(c, k->check, sev, k->rejected_by, &at, "%s%s with a %s document: %s",
                             named ? "" : "if this runs on ", idt_platform_name(k->platform),
                             idt_digest_alg_name(alg), why);
    }
    /* Not about the algorithm: every CCA document is affected, so only
     * naming cca says it, or every unnamed check would carry it. */
    if (named & IDT_LINT_PLATFORM(IDT_PLATFORM_CCA))
        idt_lint__report_doc(c, IDT_LINT__CODE_PLATFORM_CCA_RUNTIME_RS,
                             idt_lint__code_info(IDT_LINT__CODE_PLATFORM_CCA_RUNTIME_RS)->severity, 0, &at,
                             "cca with runtime-rs: runtime-rs builds no Init-Data device for CCA "
                             "guests (its platform match has no CCA arm), so a CCA pod it starts "
                             "gets no Init-Data at all; the Go runtime passes the CCA "
                             "personalization value to QEMU");
}
