/* Binding a digest to a TEE field, and vTPM PCR 8 (initdata/digest.h). */
#include "initdata/digest.h"
#include "digest/digest_int.h"
#include "util/error_int.h"
#include "util/keyword.h"
#include "util/quote.h"
#include "util/sha256.h"

#include <string.h>

typedef struct platform_info {
    idt_platform p;
    const char *name;
    const char *field;
    size_t size;
    const char *qemu; /* -object property, or NULL when QEMU never sees it */
} platform_info;

static const platform_info platforms[] = {
    { IDT_PLATFORM_TDX, "tdx", "MRCONFIGID", 48, "mrconfigid" },
    { IDT_PLATFORM_SNP, "snp", "HOST_DATA", 32, "host-data" },
    { IDT_PLATFORM_CCA, "cca", "Realm Personalization Value", 64, "personalization-value" },
    { IDT_PLATFORM_SGX, "sgx", "CONFIGID", 64, NULL },
    { IDT_PLATFORM_SE, "se", "user data", 256, NULL },
    { IDT_PLATFORM_VTPM, "vtpm", "PCR 8 (SHA-256 bank)", 32, NULL },
};

#define NPLATFORMS (sizeof platforms / sizeof platforms[0])

static const platform_info *find_platform(idt_platform p)
{
    for (size_t i = 0; i < NPLATFORMS; i++)
        if (platforms[i].p == p)
            return &platforms[i];
    return NULL;
}

const char *idt_platform_name(idt_platform p)
{
    const platform_info *pi = find_platform(p);
    return pi ? pi->name : NULL;
}

const char *idt_platform_field_name(idt_platform p)
{
    const platform_info *pi = find_platform(p);
    return pi ? pi->field : NULL;
}

size_t idt_platform_field_size(idt_platform p)
{
    const platform_info *pi = find_platform(p);
    return pi ? pi->size : 0;
}

const char *idt_platform_qemu_property(idt_platform p)
{
    const platform_info *pi = find_platform(p);
    return pi ? pi->qemu : NULL;
}

int idt_platform_parse(idt_platform *out, const char *name, size_t len, idt_error *err)
{
    if (!out || (!name && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "no platform name given");
    for (size_t i = 0; i < NPLATFORMS; i++)
        if (strlen(platforms[i].name) == len && memcmp(platforms[i].name, name, len) == 0) {
            *out = platforms[i].p;
            return IDT_OK;
        }
    char q[IDTX_QUOTE_MAX];
    return idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                          "unknown platform %s (known: tdx, snp, cca, sgx, se, vtpm)",
                          idtx_quote(q, name ? name : "", len));
}

const char *idt_platform_warning(idt_platform p, idt_digest_alg alg)
{
    switch (p) {
    case IDT_PLATFORM_CCA:
        if (alg != IDT_DIGEST_SHA512)
            return "Trustee compares the 64-byte CCA personalization value exactly, "
                   "without padding, so only sha512 documents verify with Trustee";
        return NULL;
    case IDT_PLATFORM_VTPM:
        if (idt_digest_alg_size(alg) != 32)
            return "only sha256 documents work with vTPM: the attestation-agent fails "
                   "on a digest that is not 32 bytes and Trustee panics on one; only "
                   "the cloud-api-adaptor (peer pods) extends PCR 8 with the first 32 bytes";
        return NULL;
    case IDT_PLATFORM_SE:
        return "nobody checks the IBM SE binding: kata computes the value but does not "
               "pass it to the VM";
    case IDT_PLATFORM_SGX:
        return "kata does not set the SGX CONFIGID; the value is for launchers that do";
    default:
        return NULL;
    }
}

int idt_vtpm_pcr8_compute(uint8_t out[32], const idt_digest *d, idt_vtpm_rule rule,
                          idt_error *err)
{
    static const uint8_t zero_pcr[32];
    if (!out || !d || d->len < 32 || d->len > IDT_DIGEST_MAX ||
        (rule != IDT_VTPM_RULE_AA && rule != IDT_VTPM_RULE_PEERPODS))
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_vtpm_pcr8_compute");
    if (rule == IDT_VTPM_RULE_AA && d->len != 32) {
        const char *name = idt_digest_alg_name(d->alg);
        return idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                              "a %s digest is %zu bytes, but the attestation-agent extends "
                              "vTPM PCR 8 only with a 32-byte digest and Trustee panics on "
                              "any other size (use algorithm = \"sha256\"; the peer-pods "
                              "rule would extend with the first 32 bytes)",
                              name ? name : "document", d->len);
    }
    /* A TPM extend is PCR := H(PCR || data); PCR 8 starts at zero. */
    if (idtx_sha256_concat(out, zero_pcr, sizeof zero_pcr, d->bytes, 32) < 0)
        return idtx_error_set(err, IDT_ERROR, NULL, "libcrypto failed to compute SHA-256");
    return IDT_OK;
}

int idt_binding_compute(idt_binding *out, idt_platform p, const idt_digest *d,
                        idt_vtpm_rule rule, idt_error *err)
{
    const platform_info *pi = find_platform(p);
    if (!out || !d || !pi || d->len > IDT_DIGEST_MAX)
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_binding_compute");
    idt_binding b;
    memset(&b, 0, sizeof b);
    b.platform = p;
    b.len = pi->size;
    if (p == IDT_PLATFORM_VTPM) {
        IDTX_TRY(idt_vtpm_pcr8_compute(b.bytes, d, rule, err));
    } else {
        /* Truncate to the field, or leave the zero padding after it. */
        memcpy(b.bytes, d->bytes, d->len < pi->size ? d->len : pi->size);
    }
    *out = b;
    return IDT_OK;
}

int idt_binding_format(char *buf, size_t cap, const idt_binding *b, idt_encoding enc,
                       idt_error *err)
{
    const platform_info *pi = b ? find_platform(b->platform) : NULL;
    if (!buf || !pi || b->len != pi->size ||
        (enc != IDT_ENCODING_HEX && enc != IDT_ENCODING_BASE64 && enc != IDT_ENCODING_QEMU))
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_binding_format");
    if (enc != IDT_ENCODING_QEMU)
        return idt_digest__encode(buf, cap, b->bytes, b->len, enc, err);
    if (!pi->qemu)
        return idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                              "%s has no QEMU fragment: the host does not pass the %s to "
                              "QEMU (tdx, snp and cca have one)", pi->name, pi->field);
    size_t plen = strlen(pi->qemu);
    if (cap < plen + 2)
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "a buffer of %zu bytes cannot hold the QEMU fragment", cap);
    memcpy(buf, pi->qemu, plen);
    buf[plen] = '=';
    int n = idt_digest__encode(buf + plen + 1, cap - plen - 1, b->bytes, b->len,
                               IDT_ENCODING_BASE64, err);
    return n < 0 ? n : (int)(plen + 1) + n;
}

static const idtx_keyword vtpm_rules[] = {
    { "aa", IDT_VTPM_RULE_AA },
    { "peerpods", IDT_VTPM_RULE_PEERPODS },
};

IDTX_KEYWORD_FUNCS(idt_vtpm_rule, idt_vtpm_rule, vtpm_rules, "vTPM rule")
