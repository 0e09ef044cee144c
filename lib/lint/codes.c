/* The check codes of the entry and platform checks (lint_int.h,
 * initdata/lint.h), and the lookup over every code, the document's
 * (lib/doc/codes.c) and these.  The codes are stable; the man page
 * initdata-check(1) documents every one, and a test keeps them in step. */
#include "lint/lint_int.h"

#include <string.h>

#define E IDT_DOC_ERROR
#define W IDT_DOC_WARNING
#define N IDT_DOC_NOTE

static const idt_code_info codes[IDT_LINT__CODE_COUNT] = {
    [IDT_LINT__CODE_ENTRY_NAME] = { "IDT-DOC008", "entry-name", W,
                                    "a data entry's name is a near miss of aa.toml, cdh.toml or "
                                    "policy.rego, so no consumer reads it" },
    [IDT_LINT__CODE_ENTRY_TOML] = { "IDT-TOML001", "entry-toml", E,
                                    "aa.toml or cdh.toml is not TOML 1.0" },
    [IDT_LINT__CODE_KEY_UNKNOWN] = { "IDT-KEY001", "unknown-key", W,
                                     "a key the attestation-agent or the confidential-data-hub "
                                     "ignores (with the closest known key)" },
    [IDT_LINT__CODE_KEY_TYPE] = { "IDT-KEY002", "key-type", E, "a value of the wrong type" },
    [IDT_LINT__CODE_KEY_MISSING] = { "IDT-KEY003", "missing-key", E,
                                     "a required key or table is missing" },
    [IDT_LINT__CODE_KEY_CONVERTED] = { "IDT-KEY004", "key-converted", W,
                                       "a scalar of the wrong type that the configuration loader "
                                       "converts (\"17\" for 17)" },
    [IDT_LINT__CODE_URL] = { "IDT-URL001", "url", E,
                             "a URL that is not scheme://host[:port][/path]" },
    [IDT_LINT__CODE_CERT_PARSE] = { "IDT-CERT001", "certificate", E,
                                    "a certificate that OpenSSL cannot parse as PEM" },
    [IDT_LINT__CODE_CERT_VALIDITY] = { "IDT-CERT002", "certificate-expired", W,
                                       "a certificate that has expired or is not valid yet" },
    [IDT_LINT__CODE_CERT_INFO] = { "IDT-CERT003", "certificate-info", N,
                                   "a certificate's subject and expiry" },
    [IDT_LINT__CODE_AA_TEE_KEY] = { "IDT-AA001", "tee-key-algorithm", E,
                                    "aa.toml tee_key_algorithm is not one the attestation-agent "
                                    "knows" },
    [IDT_LINT__CODE_AA_PCR] = { "IDT-AA002", "init-pcr", E,
                                "aa.toml eventlog_config.init_pcr is not a PCR index 0-23" },
    [IDT_LINT__CODE_CDH_KBC_NAME] = { "IDT-CDH001", "kbc-name", E,
                                      "cdh.toml kbc.name is not cc_kbc or offline_fs_kbc" },
    [IDT_LINT__CODE_CDH_CREDENTIAL_PATH] = { "IDT-CDH002", "credential-path", E,
                                             "a cdh.toml credentials path outside "
                                             "/run/confidential-containers/cdh/kbs" },
    [IDT_LINT__CODE_CDH_REGISTRY] = { "IDT-CDH003", "registry-config", E,
                                      "a cdh.toml image.registry_config rule image-rs rejects" },
    [IDT_LINT__CODE_KBS_MISMATCH] = { "IDT-KBS001", "kbs-url-mismatch", W,
                                      "aa.toml and cdh.toml name different KBS URLs" },
    [IDT_LINT__CODE_KBS_HTTP] = { "IDT-KBS002", "kbs-plain-http", N,
                                  "the KBS is reached over plain http" },
    [IDT_LINT__CODE_KBS_NOT_ALLOWED] = { "IDT-KBS003", "kbs-not-allowed", E,
                                         "a KBS URL that is not one the caller allows (the "
                                         "admission configuration's kbs_urls)" },
    [IDT_LINT__CODE_POLICY_NO_PACKAGE] = { "IDT-POL001", "policy-no-package", E,
                                           "policy.rego has no package declaration" },
    [IDT_LINT__CODE_POLICY_PACKAGE] = { "IDT-POL002", "policy-package", E,
                                        "policy.rego's package is not agent_policy" },
    [IDT_LINT__CODE_POLICY_UNKNOWN] = { "IDT-POL003", "policy-unknown-request", W,
                                        "a default rule for a request the kata agent does not know "
                                        "(with the closest known one)" },
    [IDT_LINT__CODE_POLICY_EXEC] = { "IDT-POL004", "policy-exec-allowed", N,
                                     "default ExecProcessRequest := true: kubectl exec reaches the "
                                     "container" },
    [IDT_LINT__CODE_POLICY_ALLOW_FAILING] = { "IDT-POL005", "policy-allow-failing", W,
                                              "default AllowRequestsFailingPolicy := true: the "
                                              "agent "
                                              "allows requests the policy denies" },
    [IDT_LINT__CODE_POLICY_DUPLICATE] = { "IDT-POL006", "policy-duplicate-default", E,
                                          "two default rules for the same name" },
    [IDT_LINT__CODE_POLICY_DATA] = { "IDT-POL007", "policy-data-json", W,
                                     "policy_data := { ... } is not JSON to the end of the policy, "
                                     "so "
                                     "Trustee exposes no agent_policy_claims" },
    [IDT_LINT__CODE_PLATFORM_VTPM] = { "IDT-PLAT001", "platform-vtpm", E,
                                       "vTPM with a digest that is not sha256" },
    [IDT_LINT__CODE_PLATFORM_CCA] = { "IDT-PLAT002", "platform-cca", E,
                                      "Arm CCA with Trustee and a digest that is not sha512" },
    [IDT_LINT__CODE_PLATFORM_SE] = { "IDT-PLAT003", "platform-se", W,
                                     "IBM SE: nobody checks the binding" },
    [IDT_LINT__CODE_PLATFORM_SGX] = { "IDT-PLAT004", "platform-sgx", N,
                                      "Intel SGX: kata does not set CONFIGID" },
    [IDT_LINT__CODE_PLATFORM_CCA_RUNTIME_RS] = { "IDT-PLAT005", "platform-cca-runtime-rs", W,
                                                 "Arm CCA: runtime-rs builds no Init-Data device "
                                                 "for "
                                                 "CCA guests (the Go runtime passes the value to "
                                                 "QEMU)" },
};

const idt_code_info *idt_lint__code_info(idt_lint__code id)
{
    return (unsigned)id < IDT_LINT__CODE_COUNT ? &codes[id] : NULL;
}

const idt_code_info *idt_lint_codes(size_t *count)
{
    if (count)
        *count = IDT_LINT__CODE_COUNT;
    return codes;
}

static const idt_code_info *find(const idt_code_info *all, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].code, code) == 0)
            return &all[i];
    return NULL;
}

const idt_code_info *idt_lint_code_info(const char *code)
{
    if (!code)
        return NULL;
    size_t ndoc;
    const idt_code_info *doc = idt_doc_codes(&ndoc);
    const idt_code_info *hit = find(doc, ndoc, code);
    return hit ? hit : find(codes, IDT_LINT__CODE_COUNT, code);
}
