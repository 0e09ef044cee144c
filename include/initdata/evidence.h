/*
 * initdata/evidence.h - TEE evidence: read it, check its signatures, and
 * decide whether it binds an Init-Data document.
 *
 * Formats read (each bounds-checked; the format is detected from the
 * content unless the caller names the TEE):
 *
 *   tee          format                 binding field (bytes)
 *   tdx          Intel DCAP quote v4/v5 MRCONFIGID (48)
 *                (body types 2 and 3; also Trustee's {"quote": base64})
 *   sgx          Intel DCAP quote v3    CONFIGID (64)
 *   snp          AMD SEV-SNP report     HOST_DATA (32)
 *                (1184 bytes, or the sev crate's JSON with its cert_chain)
 *   cca          Arm CCA token          Realm Personalization Value (64)
 *                (CBOR tag 399 {44234: platform, 44241: realm COSE_Sign1})
 *   az-snp-vtpm  Azure vTPM JSON        PCR 8 of the SHA-256 bank (32)
 *   az-tdx-vtpm  Azure vTPM JSON        PCR 8
 *   tpm          Trustee's TPM JSON, or PCR 8
 *                tpm2_quote's message (TPMS_ATTEST) with its signature,
 *                PCR values and the AK public key given in the options
 *
 * Signatures are checked where the evidence (or the caller) supplies the
 * key: the ECDSA P-256 attestation key inside DCAP quotes, a VCEK/VLEK
 * certificate for SNP (in the evidence or idt_evidence_options.vcek), the
 * realm key inside a CCA token, the AK of a TPM quote.  Vendor certificate
 * chains (Intel PCK, AMD ARK/ASK, Arm CCA platform keys, TPM EK) are never
 * checked: a passing check says the evidence is intact and self-consistent,
 * not that a genuine TEE made it.
 *
 * Ownership.  idt_evidence_parse copies nothing from binary inputs: the
 * fields it returns point into the caller's buffers, which must outlive the
 * evidence (the side inputs in the options too).  Values decoded from text
 * (hex, base64, JSON arrays, CBOR) are owned by the evidence.  A parsed
 * evidence is read-only and may be used from many threads at once.
 *
 * Example:
 *
 *     idt_evidence *ev;
 *     idt_evidence_options o = IDT_EVIDENCE_OPTIONS_INIT;
 *     idt_evidence_check checks[IDT_EVIDENCE_CHECKS_MAX];
 *     idt_verify_result r;
 *     size_t n;
 *     if (idt_evidence_parse(&ev, quote, quote_len, &o, &err) < 0 ||
 *         idt_evidence_verify(checks, IDT_EVIDENCE_CHECKS_MAX, &n, ev, &err) < 0 ||
 *         idt_verify_binding(&r, ev, doc, IDT_RULES_TRUSTEE, &err) < 0)
 *         ...
 *     if (r.outcome != IDT_VERIFY_MATCH)
 *         idt_verify_diagnose(&r, bytes, len, alg, print_cb, NULL, &err);
 *     idt_evidence_free(ev);
 */
#ifndef INITDATA_EVIDENCE_H
#define INITDATA_EVIDENCE_H

#include "common.h"
#include "digest.h"
#include "doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- TEEs and formats ---------------------------------------------------- */

/* The TEE kinds of Trustee's attestation requests.  The values are pinned. */
typedef enum idt_tee {
    IDT_TEE_TDX = 1,
    IDT_TEE_SGX = 2,
    IDT_TEE_SNP = 3,
    IDT_TEE_CCA = 4,
    IDT_TEE_AZ_SNP_VTPM = 5,
    IDT_TEE_AZ_TDX_VTPM = 6,
    IDT_TEE_TPM = 7
} idt_tee;

/* The TEE's name: "tdx", "sgx", "snp", "cca", "az-snp-vtpm", "az-tdx-vtpm",
 * "tpm"; NULL for an unknown value. */
IDT_API const char *idt_tee_name(idt_tee tee);

/*
 * Looks up a TEE by name (len bytes): the names above, plus Trustee's
 * spellings without dashes ("azsnpvtpm", "aztdxvtpm").
 *
 * @return IDT_OK; IDT_EUNSUPPORTED for an unknown name (the message lists
 *         the known ones); IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_tee_parse(idt_tee *out, const char *name, size_t len, idt_error *err);

/* The platform whose binding rule the TEE uses (the three TPM kinds give
 * IDT_PLATFORM_VTPM), or 0 for an unknown value. */
IDT_API idt_platform idt_tee_platform(idt_tee tee);

/* Evidence formats.  The values are pinned. */
typedef enum idt_evidence_format {
    IDT_EVIDENCE_DCAP_QUOTE = 1,  /* Intel DCAP quote (tdx v4/v5, sgx v3) */
    IDT_EVIDENCE_SNP_REPORT = 2,  /* the 1184-byte SNP attestation report */
    IDT_EVIDENCE_SNP_JSON = 3,    /* Trustee's SNP evidence (sev crate JSON) */
    IDT_EVIDENCE_CCA_TOKEN = 4,   /* CBOR, tag 399 */
    IDT_EVIDENCE_AZ_VTPM_JSON = 5,/* Trustee's az-snp-vtpm / az-tdx-vtpm JSON */
    IDT_EVIDENCE_TPM_JSON = 6,    /* Trustee's tpm evidence JSON */
    IDT_EVIDENCE_TPM_QUOTE = 7,   /* tpm2_quote's message file (TPMS_ATTEST) */
    IDT_EVIDENCE_DCAP_JSON = 8    /* Trustee's tdx/sgx evidence {"quote": base64} */
} idt_evidence_format;

/* A stable identifier ("dcap-quote", "snp-report", "snp-json", "cca-token",
 * "az-vtpm-json", "tpm-json", "tpm-quote", "dcap-json"), or NULL. */
IDT_API const char *idt_evidence_format_name(idt_evidence_format f);

/* --- parsing ------------------------------------------------------------- */

/* Largest evidence input accepted, bytes. */
#define IDT_EVIDENCE_MAX_SIZE (16u * 1024 * 1024)

/* Options and side inputs.  Initialise with IDT_EVIDENCE_OPTIONS_INIT.  Every
 * buffer is borrowed and must outlive the evidence. */
typedef struct idt_evidence_options {
    unsigned version;     /* IDT_EVIDENCE_OPTIONS_VERSION */
    idt_tee tee;          /* 0: detect from the content; else read as this */
    const void *vcek;     /* SNP: VCEK or VLEK certificate, PEM or DER */
    size_t vcek_len;
    const void *ak;       /* TPM: AK public key: PEM or DER SubjectPublicKeyInfo,
                             or TPM2B_PUBLIC (tpm2_createak -u) */
    size_t ak_len;
    const void *tpm_signature; /* tpm2_quote -s: TPMT_SIGNATURE, or a plain
                                  RSA signature (-f plain) */
    size_t tpm_signature_len;
    const void *tpm_pcrs; /* tpm2_quote -o: serialized (default) or values */
    size_t tpm_pcrs_len;
} idt_evidence_options;

#define IDT_EVIDENCE_OPTIONS_VERSION 1
#define IDT_EVIDENCE_OPTIONS_INIT \
    { IDT_EVIDENCE_OPTIONS_VERSION, (idt_tee)0, NULL, 0, NULL, 0, NULL, 0, NULL, 0 }

typedef struct idt_evidence idt_evidence;

/*
 * Reads len bytes of evidence.
 *
 * @param[out] out  the evidence (idt_evidence_free); NULL on failure.
 * @param buf       the evidence; must outlive *out.
 * @param opts      options, or NULL for IDT_EVIDENCE_OPTIONS_INIT.
 * @param err       on failure: what is wrong and, for binary formats, at
 *                  which byte (err->offset).
 * @return IDT_OK; IDT_ETRUNC (the input ends inside a structure);
 *         IDT_EFORMAT (malformed; not the format opts->tee asks for, with
 *         err->hint IDT_HINT_EVIDENCE_TEE_MISMATCH; or not recognised and no
 *         TEE named, IDT_HINT_EVIDENCE_TEE);
 *         IDT_ESYNTAX (malformed JSON); IDT_EUNSUPPORTED (a known format in
 *         a version or variant not supported); IDT_ELIMIT (over
 *         IDT_EVIDENCE_MAX_SIZE or a nesting limit); IDT_ENOMEM;
 *         IDT_EINVAL (NULL arguments, an unknown options version or tee).
 */
IDT_API int idt_evidence_parse(idt_evidence **out, const void *buf, size_t len,
                               const idt_evidence_options *opts, idt_error *err);

/* Frees an evidence.  NULL is allowed. */
IDT_API void idt_evidence_free(idt_evidence *ev);

/* The TEE the evidence comes from. */
IDT_API idt_tee idt_evidence_tee(const idt_evidence *ev);

/* The evidence's format. */
IDT_API idt_evidence_format idt_evidence_format_of(const idt_evidence *ev);

/* A one-line English description of what was read ("TDX quote v4, TD 1.0
 * body (584 bytes), ECDSA P-256 attestation key"); borrowed. */
IDT_API const char *idt_evidence_summary(const idt_evidence *ev);

/* --- fields -------------------------------------------------------------- */

typedef enum idt_field_kind {
    IDT_FIELD_BYTES = 1, /* bytes[0..len) */
    IDT_FIELD_UINT = 2,  /* number */
    IDT_FIELD_TEXT = 3   /* bytes[0..len) is text (not NUL-terminated) */
} idt_field_kind;

/* One named value of the evidence. */
typedef struct idt_evidence_field {
    const char *group;    /* NULL for the evidence itself; "td_quote",
                             "snp_report", "platform" for nested parts */
    const char *name;     /* "MRCONFIGID", "REPORT_DATA", "PCR8"... */
    idt_field_kind kind;
    const uint8_t *bytes; /* BYTES and TEXT (borrowed) */
    size_t len;
    uint64_t number;      /* UINT */
    uint64_t offset;      /* byte offset in the input (binary formats) */
    bool has_offset;
    bool attested;        /* covered by the evidence's signature (false for
                             a PCR value outside a TPM quote's selection) */
} idt_evidence_field;

/* Number of fields. */
IDT_API size_t idt_evidence_field_count(const idt_evidence *ev);

/* The i-th field in reading order (borrowed), or NULL when out of range. */
IDT_API const idt_evidence_field *idt_evidence_field_at(const idt_evidence *ev, size_t i);

/* The top-level field named name (exact), or NULL. */
IDT_API const idt_evidence_field *idt_evidence_field_get(const idt_evidence *ev,
                                                         const char *name);

/* The field that carries the Init-Data binding (MRCONFIGID, CONFIGID,
 * HOST_DATA, REALM_PERSONALIZATION_VALUE, PCR8), or NULL when the evidence
 * lacks it (a TPM quote read without its PCR values). */
IDT_API const idt_evidence_field *idt_evidence_binding_field(const idt_evidence *ev);

/* The field that carries the verifier's challenge (REPORT_DATA,
 * REALM_CHALLENGE, NONCE), or NULL. */
IDT_API const idt_evidence_field *idt_evidence_report_data(const idt_evidence *ev);

/* --- signature checks ---------------------------------------------------- */

typedef enum idt_evidence_check_status {
    IDT_EVIDENCE_CHECK_PASS = 1,
    IDT_EVIDENCE_CHECK_FAIL = 2,
    IDT_EVIDENCE_CHECK_SKIP = 3 /* not possible: the key or an input is missing
                          (idt_evidence_check.hint says which) */
} idt_evidence_check_status;

/* One check of the evidence's integrity. */
typedef struct idt_evidence_check {
    const char *name; /* "quote signature", "PCR digest"... (static) */
    idt_evidence_check_status status;
    char detail[IDT_ERROR_MESSAGE_MAX]; /* the key used, or what failed */
    idt_hint hint;    /* a SKIP's missing input (IDT_HINT_EVIDENCE_AK...), or
                         IDT_HINT_NONE; in what was padding on LP64 targets */
} idt_evidence_check;

/* No evidence produces more checks than this. */
#define IDT_EVIDENCE_CHECKS_MAX 8

/* The one line every report prints: what a passing check does not mean. */
#define IDT_EVIDENCE_CHAIN_NOTE                                                  \
    "vendor certificate chains (Intel PCK, AMD ARK/ASK, Arm CCA platform, TPM " \
    "EK) are not checked"

/*
 * Checks every signature and internal binding the evidence allows: quote
 * and report signatures, the QE report's certification of a DCAP
 * attestation key, a TPM quote's PCR digest and that PCR 8 of the SHA-256
 * bank is in its signed selection, the binding of an Azure HCL report to
 * its hardware report.
 *
 * @param[out] out    up to cap results, in a fixed order.
 * @param[out] count  how many checks there are (may exceed cap: the rest
 *                    are not stored).
 * @return IDT_OK when no check failed (passes and skips);
 *         IDT_EMISMATCH when one failed (err names the first);
 *         IDT_ENOMEM or IDT_ERROR when libcrypto fails;
 *         IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_evidence_verify(idt_evidence_check *out, size_t cap, size_t *count,
                                const idt_evidence *ev, idt_error *err);

/* --- the binding check ----------------------------------------------------- */

/* Whose comparison to reproduce. */
typedef enum idt_verify_rules {
    IDT_RULES_TRUSTEE = 1, /* Trustee's verifiers */
    IDT_RULES_KATA = 2     /* kata and the attestation-agent: as Trustee,
                              except that CCA pads the digest to 64 bytes */
} idt_verify_rules;

/* "trustee" or "kata"; NULL for an unknown value. */
IDT_API const char *idt_verify_rules_name(idt_verify_rules rules);

/*
 * Looks up rules by keyword ("trustee" or "kata"; exact, lowercase; len
 * bytes, need not be NUL-terminated).
 *
 * @param[out] out  the rules; unchanged on failure.
 * @return IDT_OK; IDT_EUNSUPPORTED for any other keyword, with a message
 *         listing the known ones; IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_verify_rules_parse(idt_verify_rules *out, const char *name, size_t len,
                                   idt_error *err);

typedef enum idt_verify_outcome {
    IDT_VERIFY_MATCH = 1,
    IDT_VERIFY_MISMATCH = 2, /* the field differs, or no expected value can
                                be formed (reason says why) */
    IDT_VERIFY_REFUSED = 3   /* the field is not attested by the evidence
                                (reason says why), whatever its value */
} idt_verify_outcome;

/* The result of idt_verify_binding. */
typedef struct idt_verify_result {
    idt_verify_outcome outcome;
    idt_tee tee;
    idt_platform platform;
    idt_verify_rules rules;
    const char *field;          /* the binding field's name (static) */
    idt_digest digest;          /* the document's digest, own algorithm */
    uint8_t expected[IDT_BINDING_MAX];
    size_t expected_len;        /* 0: no expected value (see reason) */
    uint8_t found[IDT_BINDING_MAX];
    size_t found_len;
    char rule[IDT_ERROR_MESSAGE_MAX];   /* the comparison made, in words */
    char reason[IDT_ERROR_MESSAGE_MAX]; /* why REFUSED or why no expected
                                           value; empty otherwise */
} idt_verify_result;

/*
 * Compares the evidence's binding field with the document, the way the
 * rules' consumer does: the digest of the document's exact bytes with its
 * own algorithm, padded or truncated to the field (TDX, SNP, SGX; CCA under
 * kata rules), compared as is (CCA under Trustee rules), or for the vTPM
 * kinds PCR 8 = SHA-256(32 zero bytes || digest).
 *
 * @param[out] out  the result (filled for MATCH, MISMATCH and REFUSED).
 * @return IDT_OK (whatever the outcome); IDT_EFORMAT when the evidence has
 *         no binding field (a TPM quote without PCR values: err->hint
 *         IDT_HINT_EVIDENCE_PCRS); the errors of
 *         idt_doc_digest; IDT_EINVAL for NULL arguments or unknown rules.
 */
IDT_API int idt_verify_binding(idt_verify_result *out, const idt_evidence *ev,
                               const idt_doc *doc, idt_verify_rules rules, idt_error *err);

/* --- diagnosis ----------------------------------------------------------- */

/* How the text that was hashed differs from the document (bits). */
enum {
    IDT_DIAG_TEXT_AS_IS = 0,
    IDT_DIAG_TEXT_ADD_NEWLINE = 1u << 0,   /* a final newline added */
    IDT_DIAG_TEXT_STRIP_NEWLINE = 1u << 1, /* the final newline removed */
    IDT_DIAG_TEXT_TO_LF = 1u << 2,         /* CRLF line ends made LF */
    IDT_DIAG_TEXT_TO_CRLF = 1u << 3,       /* LF line ends made CRLF */
    IDT_DIAG_TEXT_ALGORITHM = 1u << 4      /* the algorithm value rewritten
                                              to idt_diagnosis.alg */
};

/* How the digest became the field value. */
typedef enum idt_diag_placement {
    IDT_DIAG_ZEROS = 1,      /* the field is all zeros: no Init-Data */
    IDT_DIAG_FIT = 2,        /* padded/truncated to the field (TDX/SNP/SGX/kata CCA) */
    IDT_DIAG_OTHER_SIZE = 3, /* first fitted to another platform's field size */
    IDT_DIAG_PCR_AA = 4,     /* PCR 8: one extend with the whole digest */
    IDT_DIAG_PCR_PEERPODS = 5,/* PCR 8: one extend with its first 32 bytes */
    IDT_DIAG_PCR_TWICE = 6   /* PCR 8: extended twice with the digest */
} idt_diag_placement;

/* One explanation of a mismatch. */
typedef struct idt_diagnosis {
    idt_diag_placement placement;
    idt_digest_alg alg;  /* 0 for IDT_DIAG_ZEROS */
    unsigned text;       /* IDT_DIAG_TEXT_* bits */
    size_t other_size;   /* IDT_DIAG_OTHER_SIZE: the size fitted to first */
    char message[IDT_ERROR_MESSAGE_MAX]; /* the explanation, one sentence */
    idt_hint hint;       /* another way to call that would match
                            (IDT_HINT_VERIFY_RULES_KATA), or IDT_HINT_NONE */
} idt_diagnosis;

/* Receives each explanation; return 0 to go on, non-zero to stop (the
 * diagnosis then returns that value). */
typedef int (*idt_diagnosis_cb)(const idt_diagnosis *d, void *payload);

/*
 * Looks for every explanation of a mismatch: the found value compared
 * with the document hashed by every algorithm (sm3 when OpenSSL has it),
 * with and without a final newline, with CRLF and LF line ends, as it read
 * before its algorithm line was changed (algorithm = "sha256" where it now
 * says "sha384", hashed with sha256), with the
 * digest fitted by the other platforms' sizes, under both vTPM extend
 * rules, and all zeros ("launched without Init-Data").
 *
 * @param r     a result of idt_verify_binding.
 * @param doc   the document's exact bytes; alg its algorithm.
 * @return the number of explanations reported (0: none fits), the non-zero
 *         value cb returned to stop, or a negative status (IDT_ENOMEM,
 *         IDT_ERROR from libcrypto, IDT_EINVAL for NULL arguments).
 */
IDT_API int idt_verify_diagnose(const idt_verify_result *r, const void *doc, size_t len,
                                idt_digest_alg alg, idt_diagnosis_cb cb, void *payload,
                                idt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* INITDATA_EVIDENCE_H */
