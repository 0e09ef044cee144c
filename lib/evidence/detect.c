/* Evidence format detection from the content.  Each test looks at a
 * handful of fixed header bytes that the formats pin (versions, magic
 * numbers, tags), so they cannot be confused with one another. */
#include "evidence/evidence_int.h"

static bool is_dcap(const uint8_t *p, size_t n)
{
    if (n < 48)
        return false;
    unsigned version = (unsigned)idt_evidence__le_at(p, 2);
    unsigned key_type = (unsigned)idt_evidence__le_at(p + 2, 2);
    uint32_t tee_type = (uint32_t)idt_evidence__le_at(p + 4, 4);
    if (key_type != 2 && key_type != 3) /* ECDSA P-256, P-384 */
        return false;
    if (version == 3)
        return true;
    return (version == 4 || version == 5) && (tee_type == 0x81 || tee_type == 0);
}

static bool is_snp(const uint8_t *p, size_t n)
{
    if (n != IDTX_SNP_REPORT_LEN)
        return false;
    uint32_t version = (uint32_t)idt_evidence__le_at(p, 4);
    uint32_t sig_algo = (uint32_t)idt_evidence__le_at(p + 52, 4);
    return version >= 2 && version <= 5 && sig_algo == 1;
}

static bool is_json(const uint8_t *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) /* a UTF-8 BOM */
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i < n && p[i] == '{';
}

idt_evidence__kind idt_evidence__sniff(const uint8_t *p, size_t n)
{
    if (n >= 3 && p[0] == 0xd9 && p[1] == 0x01 && p[2] == 0x8f) /* CBOR tag 399 */
        return IDT_EVIDENCE__KIND_CCA;
    if (n >= 6 && p[0] == 0xff && p[1] == 'T' && p[2] == 'C' && p[3] == 'G')
        return IDT_EVIDENCE__KIND_TPM_ATTEST;
    if (n >= 4 && p[0] == 'H' && p[1] == 'C' && p[2] == 'L' && p[3] == 'A')
        return IDT_EVIDENCE__KIND_HCL;
    if (is_snp(p, n))
        return IDT_EVIDENCE__KIND_SNP;
    if (is_dcap(p, n))
        return IDT_EVIDENCE__KIND_DCAP;
    if (is_json(p, n))
        return IDT_EVIDENCE__KIND_JSON;
    return IDT_EVIDENCE__KIND_UNKNOWN;
}

const char *idt_evidence__sniff_name(const uint8_t *p, size_t n)
{
    switch (idt_evidence__sniff(p, n)) {
    case IDT_EVIDENCE__KIND_CCA:
        return "a CCA token (CBOR tag 399)";
    case IDT_EVIDENCE__KIND_TPM_ATTEST:
        return "a TPM quote message (TPMS_ATTEST)";
    case IDT_EVIDENCE__KIND_HCL:
        return "an Azure HCL report";
    case IDT_EVIDENCE__KIND_SNP:
        return "an SNP attestation report";
    case IDT_EVIDENCE__KIND_DCAP:
        switch (idt_evidence__le_at(p, 2)) {
        case 3:
            return "an SGX quote v3";
        case 4:
            return idt_evidence__le_at(p + 4, 4) == 0x81 ? "a TDX quote v4" : "an SGX quote v4";
        default:
            return idt_evidence__le_at(p + 4, 4) == 0x81 ? "a TDX quote v5" : "an SGX quote v5";
        }
    case IDT_EVIDENCE__KIND_JSON:
        return "JSON evidence";
    case IDT_EVIDENCE__KIND_UNKNOWN:
        break;
    }
    return "no known evidence format";
}
