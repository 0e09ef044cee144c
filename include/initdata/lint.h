/*
 * initdata/lint.h - what the consumers will make of a document's entries.
 *
 * idt_doc_check (initdata/doc.h) decides whether kata, the
 * attestation-agent and Trustee accept the document itself.  This module
 * reads what is inside it, the way each entry's consumer will:
 *
 *   aa.toml      the attestation-agent's configuration: TOML 1.0, known
 *                tables and keys with their types, [token_configs.kbs] url
 *                (and coco_as url) present and well-formed, cert a PEM
 *                certificate OpenSSL parses (subject, expiry),
 *                tee_key_algorithm, eventlog_config.init_pcr 0-23;
 *   cdh.toml     the confidential-data-hub's: [kbc] name cc_kbc or
 *                offline_fs_kbc, url for cc_kbc, kbs_cert, credentials
 *                paths, image pull proxies, registry_config rules, extra
 *                root certificates;
 *   both         one KBS for both (the common set-up), plain http;
 *   policy.rego  package agent_policy, `default <Request> := true|false`
 *                rules against the requests the kata agent knows (no Rego
 *                engine: a lexer that skips strings and comments), exec
 *                allowed by default, policy_data that Trustee can read;
 *   platforms    the digest against the TEE fields (vTPM needs sha256,
 *                CCA with Trustee sha512, nobody checks IBM SE).
 *
 * Findings are idt_doc_diag records (rule IDT_DOC_RULE_LINT), each with a
 * stable check code (idt_lint_codes) and a severity: an error when a
 * consumer fails on the document, a warning when it silently does
 * something else than the author meant, a note for what is worth knowing.
 * A finding inside an entry points at the place in the document where the
 * entry's text is written: positions are mapped through the string
 * literal, its escapes and its line ends (a '''-string that starts with a
 * newline, CRLF documents, "..." with \n escapes), and the entry's own
 * line and column are in entry_line/entry_column.
 *
 * idt_lint_claims prints the JSON Trustee puts into init_data_claims for
 * the document, so that KBS resource policies can be tried offline.
 *
 * Everything here reads a parsed idt_doc and keeps no state between
 * calls; the functions are safe to call from many threads at once.
 */
#ifndef INITDATA_LINT_H
#define INITDATA_LINT_H

#include "common.h"
#include "digest.h"
#include "doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The bit of a platform in idt_lint_options.platforms. */
#define IDT_LINT_PLATFORM(p) (1u << (unsigned)(p))

/* Options.  Initialise with IDT_LINT_OPTIONS_INIT so that fields added
 * later keep their defaults. */
typedef struct idt_lint_options {
    unsigned version;   /* IDT_LINT_OPTIONS_VERSION */
    unsigned platforms; /* IDT_LINT_PLATFORM bits of the platforms the
                           document will run on.  0: none named, and every
                           platform gotcha that applies to the document's
                           algorithm is a note instead */
    int64_t now;        /* seconds since 1970 (UTC) at which certificates
                           must be valid; 0 for the current time */
    /* Version 2: the KBS URLs a cluster allows.  When either list is not
     * empty, aa.toml's token_configs.kbs.url and cdh.toml's kbc.url must be
     * one of kbs_urls (exactly, a trailing '/' aside) or start with one of
     * kbs_url_prefixes (end a prefix with '/': "https://kbs.example" would
     * also admit "https://kbs.example.evil.org"); IDT-KBS003 otherwise. */
    const char *const *kbs_urls;
    size_t kbs_url_count;
    const char *const *kbs_url_prefixes;
    size_t kbs_url_prefix_count;
    /* Version 3: the severities the callback wants, as bits (1u <<
     * idt_doc_severity); 0 for all.  A finding of another severity is not
     * formatted nor passed on (an error still makes the call return
     * IDT_ESCHEMA): for callers that drop notes, such as the admission
     * webhook, where formatting them costs more than finding them. */
    unsigned severities;
} idt_lint_options;

/* Version 2 added the allowed KBS URLs, version 3 the severities; older
 * structs are still read. */
#define IDT_LINT_OPTIONS_VERSION 3
#define IDT_LINT_OPTIONS_INIT { IDT_LINT_OPTIONS_VERSION, 0u, 0, NULL, 0, NULL, 0, 0u }

/*
 * Checks the entries of doc (and the document against the platforms) and
 * reports every finding to cb, entry by entry in document order
 * (policy.rego, aa.toml, cdh.toml, whichever come first), then the
 * findings about aa.toml and cdh.toml together, then the platforms.
 *
 * @param doc      a parsed document (idt_doc_parse / idt_doc_check).
 * @param opts     options, or NULL for IDT_LINT_OPTIONS_INIT.
 * @param cb       receives each finding (valid only during the call);
 *                 return non-zero to stop.  May be NULL.
 * @param err      set on a failure that is not a finding (memory).
 * @return IDT_OK when no finding is an error; IDT_ESCHEMA when at least
 *         one is; the non-zero value cb returned to stop; IDT_ENOMEM;
 *         IDT_EINVAL for a NULL doc, an unknown options version or an
 *         unknown platform bit.
 */
IDT_API int idt_lint_check(const idt_doc *doc, const idt_lint_options *opts,
                           idt_doc_diag_cb cb, void *payload, idt_error *err);

/* idt_lint_claims flags. */
#define IDT_LINT_CLAIMS_PRETTY 1u /* indent by two spaces; else one line */

/*
 * The JSON object Trustee puts into init_data_claims (the
 * ear.veraison.annotated-evidence of the attestation token) for doc:
 *
 *   - every data entry, as a string (version and algorithm are left out);
 *   - aa.toml and cdh.toml, when they parse as TOML, as their JSON form
 *     (integers, floats, booleans, arrays and tables as JSON; a float
 *     that JSON cannot hold, inf or nan, as null; a date-time as
 *     {"$__toml_private_datetime": "1979-05-27T07:32:00Z"}, which is how
 *     Trustee's toml-to-serde_json conversion writes it);
 *   - policy.rego, when it contains `policy_data := {` and the text from
 *     that '{' to the end of the policy is one JSON value (as serde_json
 *     reads it: at most 127 levels deep, nothing after it but white
 *     space), replaced by "agent_policy_claims" holding that value
 *     (Trustee searches the raw text, comments included, for the first
 *     occurrence).
 *
 * Object keys are sorted by their UTF-8 bytes, as serde_json's map does
 * (JSON readers do not care about key order); a key repeated in
 * policy_data keeps its last value.  Strings are UTF-8 with only the
 * escapes JSON requires; floats have up to 17 significant digits.
 * Where jansson, which reads policy_data here, and serde_json differ
 * (integers beyond 64 bits, a NUL in an object key), the policy stays a
 * string.
 *
 * @param[out] out      a new NUL-terminated buffer ending in a newline,
 *                      free with idt_free(); NULL on failure.
 * @param[out] out_len  its length without the NUL; may be NULL.
 * @param flags         IDT_LINT_CLAIMS_PRETTY or 0.
 * @return IDT_OK; IDT_ENOMEM; IDT_EINVAL for NULL arguments or unknown
 *         flags.
 */
IDT_API int idt_lint_claims(char **out, size_t *out_len, const idt_doc *doc,
                            unsigned flags, idt_error *err);

/* The codes of the entry and platform checks idt_lint_check reports
 * (IDT-DOC008, IDT-TOML001, IDT-KEY..., IDT-PLAT...), in registry order
 * (static storage); *count (may be NULL) receives their number. */
IDT_API const idt_code_info *idt_lint_codes(size_t *count);

/* The registry entry of any check code, the document's (idt_doc_codes) or
 * the entries' (idt_lint_codes): "IDT-AA001" gives its name, usual
 * severity and summary.  NULL for an unknown code or NULL.  Static. */
IDT_API const idt_code_info *idt_lint_code_info(const char *code);

#ifdef __cplusplus
}
#endif
#endif /* INITDATA_LINT_H */
