/*
 * initdata/digest.h - the Init-Data digest and its binding to a TEE.
 *
 * The digest of an Init-Data document is the hash of its exact bytes with
 * the document's own `algorithm` (sha256, sha384, sha512; the
 * attestation-agent and Trustee also know sm3, kata does not).  Nothing is
 * normalised: a trailing newline or CRLF line ends change the digest.
 *
 * The host binds the digest to the TEE through a fixed-size hardware field
 * (table below).  A longer digest is truncated to the field, a shorter one
 * is right-padded with 0x00.  vTPM is different: the guest extends PCR 8 of
 * the SHA-256 bank once, so the value to expect is SHA-256(32 zero bytes ||
 * digest), and two rules disagree on what to extend with:
 *
 *   IDT_VTPM_RULE_AA        the attestation-agent (and Trustee): the whole
 *                           digest, which must be 32 bytes (sha256);
 *   IDT_VTPM_RULE_PEERPODS  the cloud-api-adaptor: the first 32 bytes of
 *                           the digest, whatever its length.
 *
 *   platform  field                          bytes  QEMU property
 *   tdx       MRCONFIGID                     48     mrconfigid
 *   snp       HOST_DATA                      32     host-data
 *   cca       Realm Personalization Value    64     personalization-value
 *   sgx       CONFIGID                       64     (not used by kata)
 *   se        user data                      256    (not passed by kata)
 *   vtpm      PCR 8, SHA-256 bank            32     (extended by the guest)
 *
 * Everything here works on caller storage: no function allocates, keeps
 * state or prints, and all are safe to call from many threads.
 *
 * Example (the TDX value, as QEMU wants it):
 *
 *     idt_digest d;
 *     idt_binding b;
 *     char text[IDT_BINDING_TEXT_MAX];
 *     if (idt_digest_compute(&d, IDT_DIGEST_SHA256, bytes, len, &err) < 0 ||
 *         idt_binding_compute(&b, IDT_PLATFORM_TDX, &d, IDT_VTPM_RULE_AA, &err) < 0 ||
 *         idt_binding_format(text, sizeof text, &b, IDT_ENCODING_QEMU, &err) < 0)
 *         return fail(&err);
 *     puts(text);   // mrconfigid=xmlLt6Kd...AAAA
 */
#ifndef INITDATA_DIGEST_H
#define INITDATA_DIGEST_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Hash algorithms an Init-Data document may name.  The values are pinned. */
typedef enum idt_digest_alg {
    IDT_DIGEST_SHA256 = 1,
    IDT_DIGEST_SHA384 = 2,
    IDT_DIGEST_SHA512 = 3,
    IDT_DIGEST_SM3 = 4 /* attestation-agent and Trustee only; kata rejects it */
} idt_digest_alg;

/* The largest digest, in bytes (sha512). */
#define IDT_DIGEST_MAX 64

/* A computed digest.  bytes[0..len) is the hash; the rest is zero. */
typedef struct idt_digest {
    idt_digest_alg alg;
    size_t len;
    uint8_t bytes[IDT_DIGEST_MAX];
} idt_digest;

/* TEE platforms a digest can be bound to.  The values are pinned. */
typedef enum idt_platform {
    IDT_PLATFORM_TDX = 1,
    IDT_PLATFORM_SNP = 2,
    IDT_PLATFORM_CCA = 3,
    IDT_PLATFORM_SGX = 4,
    IDT_PLATFORM_SE = 5,
    IDT_PLATFORM_VTPM = 6
} idt_platform;

/* How the vTPM PCR 8 value is derived (see the overview). */
typedef enum idt_vtpm_rule {
    IDT_VTPM_RULE_AA = 0,      /* attestation-agent and Trustee: sha256 only */
    IDT_VTPM_RULE_PEERPODS = 1 /* cloud-api-adaptor: first 32 bytes */
} idt_vtpm_rule;

/* The largest binding field, in bytes (IBM SE). */
#define IDT_BINDING_MAX 256

/* A binding value: what the TEE field holds.  bytes[0..len) is the value,
 * len is idt_platform_field_size(platform); the rest is zero. */
typedef struct idt_binding {
    idt_platform platform;
    size_t len;
    uint8_t bytes[IDT_BINDING_MAX];
} idt_binding;

/* Text encodings of a digest or binding value. */
typedef enum idt_encoding {
    IDT_ENCODING_HEX = 1,    /* lowercase hex */
    IDT_ENCODING_BASE64 = 2, /* standard alphabet, padded (what QEMU takes) */
    IDT_ENCODING_QEMU = 3    /* "property=BASE64", bindings only */
} idt_encoding;

/* A buffer size that holds any formatted digest or binding value with its
 * NUL (the hex of the 256-byte SE value is the longest). */
#define IDT_BINDING_TEXT_MAX (2 * IDT_BINDING_MAX + 1)

/* --- algorithms ------------------------------------------------------- */

/* The algorithm's name as a document spells it ("sha256", "sm3").
 * Unknown values give NULL. */
IDT_API const char *idt_digest_alg_name(idt_digest_alg alg);

/* The digest size in bytes (32, 48, 64, 32), or 0 for an unknown value. */
IDT_API size_t idt_digest_alg_size(idt_digest_alg alg);

/*
 * Looks up an algorithm by its exact document spelling: "sha256", "sha384",
 * "sha512" or "sm3" (lowercase, no dash; len bytes, need not be
 * NUL-terminated).  This only names the algorithm: whether a document may
 * use sm3 is decided by idt_doc (initdata/doc.h).
 *
 * @param[out] out  the algorithm; unchanged on failure.
 * @return IDT_OK; IDT_EUNSUPPORTED for any other spelling, with a message
 *         naming what the consumers accept; IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_digest_alg_parse(idt_digest_alg *out, const char *name, size_t len,
                                 idt_error *err);

/* --- digests ---------------------------------------------------------- */

/*
 * Hashes len bytes of data with alg (OpenSSL libcrypto).
 *
 * @param[out] out  the digest.
 * @param data      the exact document bytes; may be NULL when len is 0.
 * @return IDT_OK; IDT_EUNSUPPORTED for sm3 when the OpenSSL in use has no
 *         SM3 implementation; IDT_EINVAL for a NULL out or unknown alg;
 *         IDT_ERROR when libcrypto fails.
 */
IDT_API int idt_digest_compute(idt_digest *out, idt_digest_alg alg, const void *data,
                               size_t len, idt_error *err);

/*
 * Writes d as text: IDT_ENCODING_HEX or IDT_ENCODING_BASE64 (a digest has
 * no QEMU form: bind it to a platform first).  At most cap bytes including
 * the NUL; IDT_BINDING_TEXT_MAX always suffices.
 *
 * @return the length written (without the NUL); IDT_EINVAL for NULL
 *         arguments, IDT_ENCODING_QEMU or an unknown encoding; IDT_ELIMIT
 *         when cap is too small.
 */
IDT_API int idt_digest_format(char *buf, size_t cap, const idt_digest *d,
                              idt_encoding enc, idt_error *err);

/* --- platforms and binding values ------------------------------------- */

/* The platform's short name ("tdx", "snp", "cca", "sgx", "se", "vtpm").
 * Unknown values give NULL. */
IDT_API const char *idt_platform_name(idt_platform p);

/* The hardware field's name ("MRCONFIGID", "HOST_DATA", ...), or NULL. */
IDT_API const char *idt_platform_field_name(idt_platform p);

/* The field's size in bytes (48, 32, 64, 64, 256, 32), or 0. */
IDT_API size_t idt_platform_field_size(idt_platform p);

/* The QEMU -object property that carries the value ("mrconfigid",
 * "host-data", "personalization-value"), or NULL when the host passes
 * nothing to QEMU (sgx, se, vtpm). */
IDT_API const char *idt_platform_qemu_property(idt_platform p);

/*
 * Looks up a platform by its short name (exact, lowercase; len bytes).
 *
 * @param[out] out  the platform; unchanged on failure.
 * @return IDT_OK; IDT_EUNSUPPORTED for an unknown name, with a message
 *         listing the known ones; IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_platform_parse(idt_platform *out, const char *name, size_t len,
                               idt_error *err);

/* The vTPM rule's keyword: "aa" (IDT_VTPM_RULE_AA) or "peerpods"
 * (IDT_VTPM_RULE_PEERPODS).  Unknown values give NULL. */
IDT_API const char *idt_vtpm_rule_name(idt_vtpm_rule rule);

/*
 * Looks up a vTPM rule by its keyword ("aa" or "peerpods"; exact,
 * lowercase; len bytes, need not be NUL-terminated).
 *
 * @param[out] out  the rule; unchanged on failure.
 * @return IDT_OK; IDT_EUNSUPPORTED for any other keyword, with a message
 *         listing the known ones; IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_vtpm_rule_parse(idt_vtpm_rule *out, const char *name, size_t len,
                                idt_error *err);

/* The encoding's keyword: "hex", "base64" or "qemu".  Unknown values give
 * NULL. */
IDT_API const char *idt_encoding_name(idt_encoding enc);

/*
 * Looks up an encoding by its keyword ("hex", "base64" or "qemu"; exact,
 * lowercase; len bytes, need not be NUL-terminated).  Whether the
 * encoding fits a value is decided where it is used (a digest has no QEMU
 * form: idt_digest_format).
 *
 * @param[out] out  the encoding; unchanged on failure.
 * @return IDT_OK; IDT_EUNSUPPORTED for any other keyword, with a message
 *         listing the known ones; IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_encoding_parse(idt_encoding *out, const char *name, size_t len,
                               idt_error *err);

/*
 * What a user binding a digest of algorithm alg to platform p should know,
 * as one English sentence: CCA with Trustee verifies only sha512 documents;
 * vTPM works with the attestation-agent and Trustee only for 32-byte
 * digests; nobody checks the SE binding; kata does not use the SGX field.
 * Returns a static string, or NULL when there is nothing to say.
 */
IDT_API const char *idt_platform_warning(idt_platform p, idt_digest_alg alg);

/*
 * The expected vTPM PCR 8 (SHA-256 bank) after one extend from zero:
 * SHA-256(32 zero bytes || x), where x is the digest (IDT_VTPM_RULE_AA) or
 * its first 32 bytes (IDT_VTPM_RULE_PEERPODS).
 *
 * @param[out] out  32 bytes.
 * @return IDT_OK; IDT_EUNSUPPORTED under IDT_VTPM_RULE_AA for a digest
 *         that is not 32 bytes (the attestation-agent fails on it, Trustee
 *         panics), with a message that says so; IDT_EINVAL for NULL
 *         arguments, an unknown rule or a digest shorter than 32 bytes;
 *         IDT_ERROR when libcrypto fails.
 */
IDT_API int idt_vtpm_pcr8_compute(uint8_t out[32], const idt_digest *d,
                                  idt_vtpm_rule rule, idt_error *err);

/*
 * The value platform p's field holds for digest d: d truncated or
 * zero-padded to idt_platform_field_size(p) bytes, or for IDT_PLATFORM_VTPM
 * the PCR 8 value of idt_vtpm_pcr8_compute under rule (ignored for the
 * other platforms).
 *
 * @param[out] out  the value.
 * @return IDT_OK; the errors of idt_vtpm_pcr8_compute; IDT_EINVAL for NULL
 *         arguments or an unknown platform.
 */
IDT_API int idt_binding_compute(idt_binding *out, idt_platform p, const idt_digest *d,
                                idt_vtpm_rule rule, idt_error *err);

/*
 * Writes b as text: hex, base64, or the QEMU fragment
 * "property=BASE64" (`mrconfigid=...`, `host-data=...`,
 * `personalization-value=...`).  At most cap bytes including the NUL;
 * IDT_BINDING_TEXT_MAX always suffices.
 *
 * @return the length written (without the NUL); IDT_EUNSUPPORTED for the
 *         QEMU form of a platform the host does not pass to QEMU;
 *         IDT_EINVAL for NULL arguments or an unknown encoding or platform;
 *         IDT_ELIMIT when cap is too small.
 */
IDT_API int idt_binding_format(char *buf, size_t cap, const idt_binding *b,
                               idt_encoding enc, idt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* INITDATA_DIGEST_H */
