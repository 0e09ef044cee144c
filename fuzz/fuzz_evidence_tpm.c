/* fuzz_evidence_tpm.c - TPM quotes as tpm2_quote writes them.  The input is
 * split: a big-endian u16 length L, L bytes of message (TPMS_ATTEST), then a
 * byte that picks what the rest is: the PCR values file (serialized or
 * values), the signature, or the AK (TPM2B_PUBLIC or DER).
 * Promises: evidence_fuzz.h. */
#include "evidence_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    size_t len = (size_t)data[0] << 8 | data[1];
    if (len > size - 3)
        len = size - 3;
    const uint8_t *msg = data + 2, *rest = msg + len + 1;
    size_t rest_len = size - 3 - len;
    idt_evidence_options o = IDT_EVIDENCE_OPTIONS_INIT;
    o.tee = IDT_TEE_TPM;
    switch (msg[len] % 3) {
    case 0:
        o.tpm_pcrs = rest, o.tpm_pcrs_len = rest_len;
        break;
    case 1:
        o.tpm_signature = rest, o.tpm_signature_len = rest_len;
        o.ak = rest, o.ak_len = rest_len;
        break;
    default:
        o.ak = rest, o.ak_len = rest_len;
        o.tpm_signature = msg, o.tpm_signature_len = len;
        break;
    }
    /* a copy of exactly len bytes, so a read past the message is caught */
    uint8_t *m = malloc(len ? len : 1);
    if (!m)
        return 0;
    memcpy(m, msg, len);
    fuzz_evidence(m, len, &o);
    free(m);
    return 0;
}
