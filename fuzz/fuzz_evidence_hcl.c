/* fuzz_evidence_hcl.c - Azure HCL reports: header, request data, variable
 * data and its HCLAkPub JWK, and the SNP report or TDREPORT they carry.
 *
 * The input is a raw HCL report (the vTPM's NV index 0x01400001, as
 * fuzz/corpora/evidence_hcl/ and the shared az-*-vtpm_hcl-report.bin hold).
 * A caller reaches the HCL reader only through Trustee's az-snp-vtpm and
 * az-tdx-vtpm evidence JSON, so the target writes the input into such
 * evidence (v1: hcl_report in base64), beside a minimal valid TPM quote and
 * 24 zero PCRs, and reads it with idt_evidence_parse.  A report of TDX type
 * (4) gets an empty td_quote, which the reader refuses after the HCL report.
 *
 * Promises: evidence_fuzz.h's; a report of SNP type (2) that is read gives
 * az-snp-vtpm evidence whose snp_report group holds a 64-byte REPORT_DATA.
 */
#include "evidence_fuzz.h"
#include "util/base64.h"

#define HCL_TYPE_OFFSET 1224 /* request data (1216) + data size + version */

/* A TPMS_ATTEST quote the TPM reader accepts: magic, type, empty
 * qualifiedSigner and extraData, zero clock and firmware, PCR 8 of the
 * SHA-256 bank selected, an empty pcrDigest. */
static const uint8_t quote[] = {
    0xff, 0x54, 0x43, 0x47, /* magic */
    0x80, 0x18,             /* TPM_ST_ATTEST_QUOTE */
    0x00, 0x00,             /* qualifiedSigner */
    0x00, 0x00,             /* extraData */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* clockInfo (17) */
    0, 0, 0, 0, 0, 0, 0, 0,                            /* firmwareVersion */
    0x00, 0x00, 0x00, 0x01, /* one PCR selection: */
    0x00, 0x0b, 3,          /*   SHA-256, 3 bytes */
    0x00, 0x01, 0x00,       /*   PCR 8 */
    0x00, 0x00,             /* pcrDigest */
};

/* The evidence up to the HCL report's base64: the quote in hex, no
 * signature, 24 zero PCRs. */
static const char *head(void)
{
    static char text[4096];
    if (text[0])
        return text;
    size_t n = (size_t)snprintf(text, sizeof text,
                                "{\"version\": 1, \"tpm_quote\": {\"message\": \"");
    for (size_t i = 0; i < sizeof quote; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%02x", quote[i]);
    n += (size_t)snprintf(text + n, sizeof text - n, "\", \"signature\": \"\", \"pcrs\": [");
    for (int i = 0; i < 24; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s\"%064d\"", i ? ", " : "", 0);
    n += (size_t)snprintf(text + n, sizeof text - n, "]}, \"hcl_report\": \"");
    CHECK(n < sizeof text);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool tdx = size >= HCL_TYPE_OFFSET + 4 && data[HCL_TYPE_OFFSET] == 4 &&
               !data[HCL_TYPE_OFFSET + 1] && !data[HCL_TYPE_OFFSET + 2] &&
               !data[HCL_TYPE_OFFSET + 3];
    const char *h = head();
    static const char snp_tail[] = "\"}", tdx_tail[] = "\", \"td_quote\": \"\"}";
    size_t hlen = strlen(h), blen = size ? idtx_base64_encoded_len(size) : 0;
    char *json = malloc(hlen + blen + sizeof tdx_tail);
    if (!json)
        return 0;
    memcpy(json, h, hlen);
    size_t n = hlen + (size ? idtx_base64_encode(json + hlen, data, size) : 0);
    const char *tail = tdx ? tdx_tail : snp_tail;
    memcpy(json + n, tail, strlen(tail));
    n += strlen(tail);

    idt_evidence_options o = IDT_EVIDENCE_OPTIONS_INIT;
    o.tee = tdx ? IDT_TEE_AZ_TDX_VTPM : IDT_TEE_AZ_SNP_VTPM;
    idt_evidence *ev = fuzz_evidence_read((const uint8_t *)json, n, &o);
    if (ev) {
        CHECK(!tdx && idt_evidence_tee(ev) == IDT_TEE_AZ_SNP_VTPM);
        bool report_data = false;
        for (size_t i = 0; i < idt_evidence_field_count(ev); i++) {
            const idt_evidence_field *f = idt_evidence_field_at(ev, i);
            if (f->group && !strcmp(f->group, "snp_report") && !strcmp(f->name, "REPORT_DATA"))
                report_data = f->len == 64;
        }
        CHECK(report_data);
    }
    idt_evidence_free(ev);
    free(json);
    return 0;
}
