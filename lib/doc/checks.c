/* The registry of checks (check_int.h, initdata/doc.h).  The man page
 * initdata-check(1) documents every code listed here; a test keeps the
 * two in step. */
#include "doc/check_int.h"

#include <string.h>

#define E IDT_DOC_ERROR
#define W IDT_DOC_WARNING
#define N IDT_DOC_NOTE

static const idt_check_info checks[IDT_CHECK__COUNT] = {
    [IDT_CHECK_DOC_TOML] = { "IDT-DOC001", "toml", E,
                             "the document is not TOML 1.1 (or is over a size or depth limit)" },
    [IDT_CHECK_DOC_MISSING] = { "IDT-DOC002", "missing-key", E,
                                "version, algorithm or data is missing" },
    [IDT_CHECK_DOC_TYPE] = { "IDT-DOC003", "wrong-type", E,
                             "version or algorithm is not a string, or data not a table" },
    [IDT_CHECK_DOC_VERSION] = { "IDT-DOC004", "unsupported-version", E,
                                "version is not \"0.1.0\" (kata rejects it)" },
    [IDT_CHECK_DOC_ALGORITHM] = { "IDT-DOC005", "unsupported-algorithm", E,
                                  "algorithm is not sha256, sha384 or sha512" },
    [IDT_CHECK_DOC_SM3] = { "IDT-DOC006", "sm3", E,
                            "algorithm is sm3, which kata rejects (a warning with "
                            "idt_doc_options.allow_sm3)" },
    [IDT_CHECK_DOC_DATA_ENTRY] = { "IDT-DOC007", "data-entry-type", E,
                                   "a data entry is not a string" },
    [IDT_CHECK_DOC_ENTRY_NAME] = { "IDT-DOC008", "entry-name", W,
                                   "a data entry's name is a near miss of aa.toml, cdh.toml or "
                                   "policy.rego, so no consumer reads it" },
    [IDT_CHECK_DOC_TOML11] = { "IDT-DOC009", "toml-1.1", W,
                               "syntax TOML 1.1 added (\\e, \\xHH, a multi-line inline table, "
                               "a trailing comma in one, a time without seconds): Kata 3.x "
                               "agents reject it" },
    [IDT_CHECK_DOC_NESTING] = { "IDT-DOC010", "nesting", E,
                                "nested deeper than the Rust toml crate 1.1 allows (80): the "
                                "kata-agent 4.x, runtime-rs and Trustee reject it" },
    [IDT_CHECK_ENTRY_TOML] = { "IDT-TOML001", "entry-toml", E,
                               "aa.toml or cdh.toml is not TOML 1.0" },
    [IDT_CHECK_KEY_UNKNOWN] = { "IDT-KEY001", "unknown-key", W,
                                "a key the attestation-agent or the confidential-data-hub "
                                "ignores (with the closest known key)" },
    [IDT_CHECK_KEY_TYPE] = { "IDT-KEY002", "key-type", E,
                             "a value of the wrong type" },
    [IDT_CHECK_KEY_MISSING] = { "IDT-KEY003", "missing-key", E,
                                "a required key or table is missing" },
    [IDT_CHECK_KEY_CONVERTED] = { "IDT-KEY004", "key-converted", W,
                                  "a scalar of the wrong type that the configuration loader "
                                  "converts (\"17\" for 17)" },
    [IDT_CHECK_URL] = { "IDT-URL001", "url", E,
                        "a URL that is not scheme://host[:port][/path]" },
    [IDT_CHECK_CERT_PARSE] = { "IDT-CERT001", "certificate", E,
                               "a certificate that OpenSSL cannot parse as PEM" },
    [IDT_CHECK_CERT_VALIDITY] = { "IDT-CERT002", "certificate-expired", W,
                                  "a certificate that has expired or is not valid yet" },
    [IDT_CHECK_CERT_INFO] = { "IDT-CERT003", "certificate-info", N,
                              "a certificate's subject and expiry" },
    [IDT_CHECK_AA_TEE_KEY] = { "IDT-AA001", "tee-key-algorithm", E,
                               "aa.toml tee_key_algorithm is not one the attestation-agent knows" },
    [IDT_CHECK_AA_PCR] = { "IDT-AA002", "init-pcr", E,
                           "aa.toml eventlog_config.init_pcr is not a PCR index 0-23" },
    [IDT_CHECK_CDH_KBC_NAME] = { "IDT-CDH001", "kbc-name", E,
                                 "cdh.toml kbc.name is not cc_kbc or offline_fs_kbc" },
    [IDT_CHECK_CDH_CREDENTIAL_PATH] = { "IDT-CDH002", "credential-path", E,
                                        "a cdh.toml credentials path outside "
                                        "/run/confidential-containers/cdh/kbs" },
    [IDT_CHECK_CDH_REGISTRY] = { "IDT-CDH003", "registry-config", E,
                                 "a cdh.toml image.registry_config rule image-rs rejects" },
    [IDT_CHECK_KBS_MISMATCH] = { "IDT-KBS001", "kbs-url-mismatch", W,
                                 "aa.toml and cdh.toml name different KBS URLs" },
    [IDT_CHECK_KBS_HTTP] = { "IDT-KBS002", "kbs-plain-http", N,
                             "the KBS is reached over plain http" },
    [IDT_CHECK_POLICY_NO_PACKAGE] = { "IDT-POL001", "policy-no-package", E,
                                      "policy.rego has no package declaration" },
    [IDT_CHECK_POLICY_PACKAGE] = { "IDT-POL002", "policy-package", E,
                                   "policy.rego's package is not agent_policy" },
    [IDT_CHECK_POLICY_UNKNOWN] = { "IDT-POL003", "policy-unknown-request", W,
                                   "a default rule for a request the kata agent does not know "
                                   "(with the closest known one)" },
    [IDT_CHECK_POLICY_EXEC] = { "IDT-POL004", "policy-exec-allowed", N,
                                "default ExecProcessRequest := true: kubectl exec reaches the "
                                "container" },
    [IDT_CHECK_POLICY_ALLOW_FAILING] = { "IDT-POL005", "policy-allow-failing", W,
                                         "default AllowRequestsFailingPolicy := true: the agent "
                                         "allows requests the policy denies" },
    [IDT_CHECK_POLICY_DUPLICATE] = { "IDT-POL006", "policy-duplicate-default", E,
                                     "two default rules for the same name" },
    [IDT_CHECK_POLICY_DATA] = { "IDT-POL007", "policy-data-json", W,
                                "policy_data := { ... } is not JSON to the end of the policy, so "
                                "Trustee exposes no agent_policy_claims" },
    [IDT_CHECK_PLATFORM_VTPM] = { "IDT-PLAT001", "platform-vtpm", E,
                                  "vTPM with a digest that is not sha256" },
    [IDT_CHECK_PLATFORM_CCA] = { "IDT-PLAT002", "platform-cca", E,
                                 "Arm CCA with Trustee and a digest that is not sha512" },
    [IDT_CHECK_PLATFORM_SE] = { "IDT-PLAT003", "platform-se", W,
                                "IBM SE: nobody checks the binding" },
    [IDT_CHECK_PLATFORM_SGX] = { "IDT-PLAT004", "platform-sgx", N,
                                 "Intel SGX: kata does not set CONFIGID" },
    [IDT_CHECK_PLATFORM_CCA_RUNTIME_RS] = { "IDT-PLAT005", "platform-cca-runtime-rs", W,
                                            "Arm CCA: runtime-rs builds no Init-Data device for "
                                            "CCA guests (the Go runtime passes the value to "
                                            "QEMU)" },
};

idt_check_id idt_doc__rule_check(idt_doc_rule rule)
{
    switch (rule) {
    case IDT_DOC_RULE_TOML: return IDT_CHECK_DOC_TOML;
    case IDT_DOC_RULE_MISSING: return IDT_CHECK_DOC_MISSING;
    case IDT_DOC_RULE_TYPE: return IDT_CHECK_DOC_TYPE;
    case IDT_DOC_RULE_VERSION: return IDT_CHECK_DOC_VERSION;
    case IDT_DOC_RULE_ALGORITHM: return IDT_CHECK_DOC_ALGORITHM;
    case IDT_DOC_RULE_SM3: return IDT_CHECK_DOC_SM3;
    case IDT_DOC_RULE_DATA_ENTRY: return IDT_CHECK_DOC_DATA_ENTRY;
    case IDT_DOC_RULE_LINT: break;
    case IDT_DOC_RULE_TOML11: return IDT_CHECK_DOC_TOML11;
    case IDT_DOC_RULE_NESTING: return IDT_CHECK_DOC_NESTING;
    }
    return IDT_CHECK__COUNT;
}

const idt_check_info *idt_doc__check(idt_check_id id)
{
    return (unsigned)id < IDT_CHECK__COUNT ? &checks[id] : NULL;
}

const idt_check_info *idt_doc_checks(size_t *count)
{
    if (count)
        *count = IDT_CHECK__COUNT;
    return checks;
}

const idt_check_info *idt_doc_check_info(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < IDT_CHECK__COUNT; i++)
        if (strcmp(checks[i].code, code) == 0)
            return &checks[i];
    return NULL;
}
