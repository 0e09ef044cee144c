/* The admission checks' codes (initdata/admission.h), and the keywords of
 * a rule's action. */
#include "admission/admission_int.h"

#define E IDT_DOC_ERROR
#define W IDT_DOC_WARNING

static const idt_code_info codes[IDT_ADMISSION__CODE_COUNT] = {
    [IDT_ADMISSION__CODE_MISSING] = { "IDT-ADM001", "initdata-missing", E,
                                      "a pod in scope carries no Init-Data annotation, and the "
                                      "configuration requires one" },
    [IDT_ADMISSION__CODE_DECODE] = { "IDT-ADM002", "annotation-decode", E,
                                     "the annotation does not decode as the Rust consumers "
                                     "decode it (base64, one gzip member, UTF-8)" },
    [IDT_ADMISSION__CODE_ALGORITHM] = { "IDT-ADM003", "algorithm-not-allowed", E,
                                        "the document's algorithm is not one the configuration "
                                        "allows" },
    [IDT_ADMISSION__CODE_BUDGET] = { "IDT-ADM004", "annotation-budget", E,
                                     "the object's annotations exceed the budget (Kubernetes: "
                                     "262144 bytes)" },
    [IDT_ADMISSION__CODE_LEGACY] = { "IDT-ADM005", "legacy-key", W,
                                     "the legacy key io.katacontainers.config.runtime."
                                     "cc_init_data, which only the Go runtime of Kata 3.8 to "
                                     "3.19 reads" },
    [IDT_ADMISSION__CODE_CONFIG] = { "IDT-ADM006", "admission-config", E,
                                     "the admission configuration is not valid" },
};

const idt_code_info *idt_admission__code_info(idt_admission__code id)
{
    return (unsigned)id < IDT_ADMISSION__CODE_COUNT ? &codes[id] : NULL;
}

const idt_code_info *idt_admission_codes(size_t *count)
{
    if (count)
        *count = IDT_ADMISSION__CODE_COUNT;
    return codes;
}

const char *idt_admission__action_name(idt_admission__action a)
{
    static const char *const names[] = { "ignore", "audit", "warn", "deny" };
    return (unsigned)a < 4 ? names[a] : "ignore";
}

const char *idt_admission_decision_name(idt_admission_decision d)
{
    switch (d) {
    case IDT_ADMISSION_ALLOW: return "allow";
    case IDT_ADMISSION_DENY: return "deny";
    case IDT_ADMISSION_INVALID: return "invalid";
    }
    return NULL;
}
