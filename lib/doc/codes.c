/* The check codes of the document rules (doc_int.h, initdata/doc.h).
 * Each is reported by doc.c; the codes are stable.  The man page
 * initdata-check(1) documents every one, and a test keeps them in step. */
#include "doc/doc_int.h"

#define E IDT_DOC_ERROR
#define W IDT_DOC_WARNING

static const idt_code_info codes[IDT_DOC__CODE_COUNT] = {
    [IDT_DOC__CODE_TOML] = { "IDT-DOC001", "toml", E,
                             "the document is not TOML 1.1 (or is over a size or depth limit)" },
    [IDT_DOC__CODE_MISSING] = { "IDT-DOC002", "missing-key", E,
                                "version, algorithm or data is missing" },
    [IDT_DOC__CODE_TYPE] = { "IDT-DOC003", "wrong-type", E,
                             "version or algorithm is not a string, or data not a table" },
    [IDT_DOC__CODE_VERSION] = { "IDT-DOC004", "unsupported-version", E,
                                "version is not \"0.1.0\" (kata rejects it)" },
    [IDT_DOC__CODE_ALGORITHM] = { "IDT-DOC005", "unsupported-algorithm", E,
                                  "algorithm is not sha256, sha384 or sha512" },
    [IDT_DOC__CODE_SM3] = { "IDT-DOC006", "sm3", E,
                            "algorithm is sm3, which kata rejects (a warning with "
                            "idt_doc_options.allow_sm3)" },
    [IDT_DOC__CODE_DATA_ENTRY] = { "IDT-DOC007", "data-entry-type", E,
                                   "a data entry is not a string" },
    [IDT_DOC__CODE_TOML11] = { "IDT-DOC009", "toml-1.1", W,
                               "syntax TOML 1.1 added (\\e, \\xHH, a multi-line inline table, "
                               "a trailing comma in one, a time without seconds): Kata 3.x "
                               "agents reject it" },
    [IDT_DOC__CODE_NESTING] = { "IDT-DOC010", "nesting", E,
                                "nested deeper than the Rust toml crate 1.1 allows (80): the "
                                "kata-agent 4.x, runtime-rs and Trustee reject it" },
};

idt_doc__code idt_doc__rule_code(idt_doc_rule rule)
{
    switch (rule) {
    case IDT_DOC_RULE_TOML:
        return IDT_DOC__CODE_TOML;
    case IDT_DOC_RULE_MISSING:
        return IDT_DOC__CODE_MISSING;
    case IDT_DOC_RULE_TYPE:
        return IDT_DOC__CODE_TYPE;
    case IDT_DOC_RULE_VERSION:
        return IDT_DOC__CODE_VERSION;
    case IDT_DOC_RULE_ALGORITHM:
        return IDT_DOC__CODE_ALGORITHM;
    case IDT_DOC_RULE_SM3:
        return IDT_DOC__CODE_SM3;
    case IDT_DOC_RULE_DATA_ENTRY:
        return IDT_DOC__CODE_DATA_ENTRY;
    case IDT_DOC_RULE_LINT:
        break; /* lint sets its own code */
    case IDT_DOC_RULE_TOML11:
        return IDT_DOC__CODE_TOML11;
    case IDT_DOC_RULE_NESTING:
        return IDT_DOC__CODE_NESTING;
    }
    return IDT_DOC__CODE_COUNT;
}

const idt_code_info *idt_doc__code_info(idt_doc__code id)
{
    return (unsigned)id < IDT_DOC__CODE_COUNT ? &codes[id] : NULL;
}

const idt_code_info *idt_doc_codes(size_t *count)
{
    if (count)
        *count = IDT_DOC__CODE_COUNT;
    return codes;
}
