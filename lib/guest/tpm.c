/* The vTPM binding (facts §3, §8): extend PCR 8 of the SHA-256 bank with
 * the digest through the TSS2 ESYS API, then read it back. */
#include "guest/guest_int.h"
#include "util/sha256.h"

#include <stdio.h>
#include <string.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#define PCR_INDEX 8

typedef struct tpm {
    TSS2_TCTI_CONTEXT *tcti;
    ESYS_CONTEXT *esys;
    const char *conf;
} tpm;

static int tss_fail(idt_error *err, const tpm *t, const char *what, TSS2_RC rc)
{
    return idtx_error_set(err, IDT_EIO, NULL, "TPM (%s): %s failed: %s", t->conf, what,
                          Tss2_RC_Decode(rc));
}

static int tpm_open(tpm *t, idt_error *err)
{
    TSS2_RC rc = Tss2_TctiLdr_Initialize(t->conf, &t->tcti);
    if (rc != TSS2_RC_SUCCESS)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot reach the TPM through the TCTI "
                              "\"%s\": %s", t->conf, Tss2_RC_Decode(rc));
    rc = Esys_Initialize(&t->esys, t->tcti, NULL);
    if (rc != TSS2_RC_SUCCESS)
        return tss_fail(err, t, "Esys_Initialize", rc);
    return IDT_OK;
}

static void tpm_close(tpm *t)
{
    if (t->esys)
        Esys_Finalize(&t->esys);
    if (t->tcti)
        Tss2_TctiLdr_Finalize(&t->tcti);
}

static int pcr_read(tpm *t, uint8_t out[32], idt_error *err)
{
    TPML_PCR_SELECTION sel;
    TPML_PCR_SELECTION *sel_out = NULL;
    TPML_DIGEST *values = NULL;
    UINT32 counter = 0;
    int st = IDT_OK;

    memset(&sel, 0, sizeof sel);
    sel.count = 1;
    sel.pcrSelections[0].hash = TPM2_ALG_SHA256;
    sel.pcrSelections[0].sizeofSelect = 3;
    sel.pcrSelections[0].pcrSelect[PCR_INDEX / 8] = (BYTE)(1u << (PCR_INDEX % 8));
    TSS2_RC rc = Esys_PCR_Read(t->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &sel,
                               &counter, &sel_out, &values);
    if (rc != TSS2_RC_SUCCESS)
        return tss_fail(err, t, "reading PCR 8 (TPM2_PCR_Read)", rc);
    if (!values || values->count != 1 || values->digests[0].size != 32)
        st = idtx_error_set(err, IDT_EIO, NULL, "TPM (%s): PCR 8 of the SHA-256 bank is not "
                            "allocated (the PCR read returned no 32-byte value)", t->conf);
    else
        memcpy(out, values->digests[0].buffer, 32);
    Esys_Free(sel_out);
    Esys_Free(values);
    return st;
}

static int pcr_extend(tpm *t, const uint8_t x[32], idt_error *err)
{
    TPML_DIGEST_VALUES dv;
    memset(&dv, 0, sizeof dv);
    dv.count = 1;
    dv.digests[0].hashAlg = TPM2_ALG_SHA256;
    memcpy(dv.digests[0].digest.sha256, x, 32);
    TSS2_RC rc = Esys_PCR_Extend(t->esys, ESYS_TR_PCR0 + PCR_INDEX, ESYS_TR_PASSWORD,
                                 ESYS_TR_NONE, ESYS_TR_NONE, &dv);
    if (rc != TSS2_RC_SUCCESS)
        return tss_fail(err, t, "extending PCR 8 (TPM2_PCR_Extend)", rc);
    return IDT_OK;
}

/* SHA-256(a || b), the extend operation, for a PCR that was not zero. */
static int extend_value(uint8_t out[32], const uint8_t a[32], const uint8_t b[32],
                        idt_error *err)
{
    if (idtx_sha256_concat(out, a, 32, b, 32) < 0)
        return idtx_error_set(err, IDT_ERROR, NULL, "libcrypto failed to compute SHA-256");
    return IDT_OK;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Refuses a PCR 8 someone already extended, unless forced; then the value
 * to expect is the extend of what is there. */
static int check_before(idt_guest_binding *out, const idt_guest_bind_options *o,
                        idt_guest_notes *notes, idt_error *err)
{
    char before[65], trustee[65];
    out->pcr_was_zero = all_zero(out->pcr_before, 32);
    if (out->pcr_was_zero)
        return IDT_OK;
    idtx_hex_encode(before, out->pcr_before, 32);
    idtx_hex_encode(trustee, out->expected.bytes, 32);
    if (!o->force_pcr)
        return idtx_error_hint(err, IDT_HINT_GUEST_FORCE_PCR,
                               idtx_error_set(err, IDT_EMISMATCH, NULL, "PCR 8 is %s, not all "
                                              "zeros: something (GRUB?) extended it first, so "
                                              "Trustee's value %s is out of reach; nothing "
                                              "extended, as the extend was not forced",
                                              before, trustee));
    idt_guest__note(notes, "PCR 8 was %s, not zero, and is extended anyway, as forced: "
                    "Trustee and the attestation-agent expect %s and will reject this guest",
                    before, trustee);
    return extend_value(out->expected.bytes, out->pcr_before, out->extended_with, err);
}

static int compare_after(const idt_guest_binding *out, const tpm *t, idt_error *err)
{
    char want[65], got[65];
    if (memcmp(out->actual.bytes, out->expected.bytes, 32) == 0)
        return IDT_OK;
    idtx_hex_encode(want, out->expected.bytes, 32);
    idtx_hex_encode(got, out->actual.bytes, 32);
    return idtx_error_set(err, IDT_EMISMATCH, NULL, "PCR 8 reads %s after the extend, not the "
                          "expected %s: another extend of PCR 8 raced ours through %s", got,
                          want, t->conf);
}

int idt_guest__vtpm_bind(idt_guest_binding *out, const idt_digest *d,
                         const idt_guest_bind_options *o, idt_guest_notes *notes,
                         idt_error *err)
{
    char conf[IDT_GUEST_PATH_MAX];
    tpm t = { NULL, NULL, conf };
    int rc;

    out->method = IDT_GUEST_METHOD_TPM;
    out->expected.platform = out->actual.platform = IDT_PLATFORM_VTPM;
    out->expected.len = out->actual.len = 32;
    /* First what to expect: a digest the rule cannot use (sha384 under the
     * attestation-agent rule) must fail before the TPM is touched. */
    IDTX_TRY(idt_vtpm_pcr8_compute(out->expected.bytes, d, o->vtpm_rule, err));
    memcpy(out->extended_with, d->bytes, 32);
    if (o->tcti) {
        IDTX_TRY(idt_guest__fmt(conf, sizeof conf, err, "the TCTI", "%s", o->tcti));
    } else {
        char dev[IDT_GUEST_PATH_MAX - 8];
        IDTX_TRY(idt_guest__path(dev, sizeof dev, o->root, "/dev/tpmrm0", err));
        IDTX_TRY(idt_guest__fmt(conf, sizeof conf, err, "the TCTI", "device:%s", dev));
    }
    memcpy(out->source, conf, sizeof conf);
    rc = tpm_open(&t, err);
    if (rc >= 0)
        rc = pcr_read(&t, out->pcr_before, err);
    if (rc >= 0)
        rc = check_before(out, o, notes, err);
    if (rc >= 0)
        rc = pcr_extend(&t, out->extended_with, err);
    if (rc >= 0)
        rc = pcr_read(&t, out->actual.bytes, err);
    if (rc >= 0)
        rc = compare_after(out, &t, err);
    tpm_close(&t);
    return rc;
}
