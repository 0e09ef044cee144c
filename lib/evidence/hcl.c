/*
 * Azure HCL reports (the vTPM's NV index 0x01400001), as carried by
 * Trustee's az-snp-vtpm and az-tdx-vtpm evidence.
 *
 *   0     header (32): "HCLA", version, report size, request type, status
 *   32    hardware report area (1184): an SNP report, or a 1024-byte TDREPORT
 *   1216  IGVM request data: u32 data size, version, report type (2 SNP,
 *         4 TDX), report-data hash type (1 SHA-256), variable data size
 *   1236  variable data: JSON {"keys": [{"kid": "HCLAkPub", "kty": "RSA",
 *         "n": ..., "e": ...}, ...]}
 *
 * The hardware report's REPORT_DATA begins with SHA-256(variable data), so
 * the vTPM's AK (HCLAkPub) is tied to the hardware.  For TDX the TDREPORT
 * is only MAC'ed; the signed TD quote that comes with the evidence carries
 * the same REPORT_DATA.
 */
#include "evidence/crypto.h"
#include "evidence/json_int.h"

#include <string.h>

#define HCL_HEADER_LEN 32
#define HCL_HW_AREA_LEN 1184
#define HCL_REQ_OFFSET (HCL_HEADER_LEN + HCL_HW_AREA_LEN)
#define HCL_VAR_OFFSET (HCL_REQ_OFFSET + 20)
#define HCL_SNP 2
#define HCL_TDX 4

/* The parts of a TDREPORT the evidence shows (facts section 8). */
static const idt_evidence__layout td_report[] = {
    { "REPORT_DATA", IDTX_TDREPORT_REPORT_DATA, IDTX_REPORT_DATA_LEN, IDT_FIELD_BYTES },
    { "MRTD", IDTX_TDREPORT_MRTD, IDTX_TD_MR_LEN, IDT_FIELD_BYTES },
    { "MRCONFIGID", IDTX_TDREPORT_MRCONFIGID, IDTX_TD_MR_LEN, IDT_FIELD_BYTES },
    { "RTMR0", IDTX_TDREPORT_RTMR0, IDTX_TD_MR_LEN, IDT_FIELD_BYTES },
    { "RTMR1", IDTX_TDREPORT_RTMR0 + IDTX_TD_MR_LEN, IDTX_TD_MR_LEN, IDT_FIELD_BYTES },
    { "RTMR2", IDTX_TDREPORT_RTMR0 + 2 * IDTX_TD_MR_LEN, IDTX_TD_MR_LEN, IDT_FIELD_BYTES },
    { "RTMR3", IDTX_TDREPORT_RTMR0 + 3 * IDTX_TD_MR_LEN, IDTX_TD_MR_LEN, IDT_FIELD_BYTES },
};

/* The HCLAkPub RSA key of the variable data, if any, becomes the AK. */
static int read_ak(idt_evidence *ev, idt_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb((const char *)ev->hcl.var_data.p, ev->hcl.var_data.n, 0, &jerr);
    if (!root)
        return IDT_OK; /* the check reports a missing AK */
    int rc = IDT_OK;
    size_t i;
    json_t *key;
    json_array_foreach(json_object_get(root, "keys"), i, key) {
        const char *kid = json_string_value(json_object_get(key, "kid"));
        const char *kty = json_string_value(json_object_get(key, "kty"));
        if (!kid || strcmp(kid, "HCLAkPub") || !kty || strcmp(kty, "RSA"))
            continue;
        rc =
            idt_evidence__json_member(ev, key, "n", IDT_EVIDENCE__JSON_BASE64, 0, &ev->tpm.ak, err);
        if (rc >= 0)
            rc = idt_evidence__json_member(ev, key, "e", IDT_EVIDENCE__JSON_BASE64, 0,
                                           &ev->tpm.ak_e, err);
        if (rc >= 0) {
            ev->tpm.ak_kind = IDT_EVIDENCE__AK_RSA_JWK;
            ev->tpm.ak_source = "the HCL report's HCLAkPub";
        }
        break;
    }
    json_decref(root);
    return rc;
}

int idt_evidence__parse_hcl(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err)
{
    idt_evidence__rd r = idt_evidence__rd_init(p, n);
    const uint8_t *hdr;
    uint32_t size, version, type, hash, var_size;
    if (!idt_evidence__rd_bytes(&r, HCL_HEADER_LEN, &hdr) || memcmp(hdr, "HCLA", 4))
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "the HCL report does not start with \"HCLA\"");
    if (n >= HCL_REQ_OFFSET)
        r.pos = HCL_REQ_OFFSET;
    if (n < HCL_REQ_OFFSET || !idt_evidence__rd_u32le(&r, &size) ||
        !idt_evidence__rd_u32le(&r, &version) || !idt_evidence__rd_u32le(&r, &type) ||
        !idt_evidence__rd_u32le(&r, &hash) || !idt_evidence__rd_u32le(&r, &var_size))
        return idtx_error_set(err, IDT_ETRUNC, NULL,
                              "the HCL report (%zu bytes) ends before its request data (%d)", n,
                              HCL_VAR_OFFSET);
    if (!idt_evidence__rd_bytes(&r, var_size, &ev->hcl.var_data.p))
        return idtx_error_set(err, IDT_ETRUNC, NULL,
                              "the HCL report's variable data (%u bytes) runs past its end",
                              (unsigned)var_size);
    if (type != HCL_SNP && type != HCL_TDX)
        return idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                              "HCL report type %u is neither SNP (2) nor TDX (4)",
                              (unsigned)type);
    if (hash != 1)
        return idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                              "HCL report-data hash type %u is not SHA-256 (1)", (unsigned)hash);
    ev->hcl.var_data.n = var_size;
    ev->hcl.report_type = type;
    ev->hcl.hw_report.p = p + HCL_HEADER_LEN;
    ev->hcl.hw_report.n = type == HCL_SNP ? HCL_HW_AREA_LEN : IDTX_TDREPORT_LEN;
    ev->hcl.present = true;
    IDTX_TRY(read_ak(ev, err));
    const char *saved = ev->group;
    int rc;
    if (type == HCL_SNP) {
        ev->group = "snp_report";
        rc = idt_evidence__parse_snp(ev, ev->hcl.hw_report.p, ev->hcl.hw_report.n, err);
    } else {
        ev->group = "hcl_td_report";
        rc = idt_evidence__add_layout(ev, td_report, sizeof td_report / sizeof td_report[0],
                                ev->hcl.hw_report.p, IDTX_TDREPORT_LEN, NULL, NULL, err);
    }
    ev->group = saved;
    return rc;
}

/* The hardware report that signs the HCL report's variable data: the SNP
 * report, or for TDX the TD quote (the TDREPORT is not signed). */
void idt_evidence__check_hcl(const idt_evidence *ev, idt_evidence__checks *c)
{
    bool snp = ev->hcl.report_type == HCL_SNP;
    const char *name = snp ? "vTPM key bound to the SNP report" : "vTPM key bound to the TD quote";
    const uint8_t *rd = NULL;
    const char *group = snp ? "snp_report" : "td_quote";
    for (size_t i = 0; i < ev->nfields; i++)
        if (ev->fields[i].group && !strcmp(ev->fields[i].group, group) &&
            !strcmp(ev->fields[i].name, "REPORT_DATA") && ev->fields[i].len >= 32)
            rd = ev->fields[i].bytes;
    uint8_t h[32];
    if (!rd) {
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_SKIP,
                                "no signed hardware report to compare with");
        return;
    }
    if (idt_evidence__sha256(h, ev->hcl.var_data.p, ev->hcl.var_data.n) < 0) {
        c->status = IDT_ERROR;
        return;
    }
    if (!memcmp(h, rd, 32))
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_PASS,
                          "the %s's REPORT_DATA starts with SHA-256 of the HCL variable data "
                          "that holds the AK",
                          snp ? "SNP report" : "TD quote");
    else
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_FAIL,
                          "the %s's REPORT_DATA is not SHA-256 of the HCL variable data: the "
                          "AK is not the one the hardware vouched for",
                          snp ? "SNP report" : "TD quote");
}
