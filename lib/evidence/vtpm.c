/*
 * Trustee's evidence JSON (jansson): the vTPM kinds and the JSON wrappers
 * of the binary formats.
 *
 *   az-snp-vtpm v0  {"quote": {"message", "signature", "pcrs"}, "report",
 *                    "vcek" (PEM)}              byte strings as arrays
 *   az-snp-vtpm v1+ {"version", "tpm_quote": {...}, "hcl_report", "vcek"}
 *                    message, signature, pcrs in hex; hcl_report base64url;
 *                    vcek base64 DER
 *   az-tdx-vtpm     {"version"?, "tpm_quote", "hcl_report", "td_quote"}
 *   tpm             {"ak_public" (base64 DER), "tpm_quote": {"message"
 *                    (base64), "signature" (base64 TPMT_SIGNATURE),
 *                    "pcrs" (24 hex strings)}}
 *   snp             {"attestation_report": {...}, "cert_chain": [...]}
 *   tdx, sgx        {"quote": base64, "cc_eventlog"?}
 *   cca             {"token": [bytes]}
 *
 * In every vTPM form "pcrs" lists the 24 PCRs of the SHA-256 bank; PCR 8
 * carries Init-Data.  The quote, its signature and the AK are checked by
 * tpm.c, the HCL report by hcl.c.
 */
#include "evidence/json_int.h"

#include <string.h>

#define ALG_SHA256 0x000b

/* Rejects a shape that does not fit the TEE the caller named. */
static int want_tee(idt_evidence *ev, idt_tee found, idt_error *err)
{
    if (ev->opts.tee && ev->opts.tee != found)
        return idtx_error_hint(err, IDT_HINT_EVIDENCE_TEE_MISMATCH,
                               idtx_error_set(err, IDT_EFORMAT, NULL,
                                              "the JSON is %s evidence, not the %s evidence "
                                              "asked for", idt_tee_name(found),
                                              idt_tee_name(ev->opts.tee)));
    ev->tee = found;
    return IDT_OK;
}

/* The quote object: message (TPMS_ATTEST) and signature written as enc,
 * pcrs (the SHA-256 bank, in PCR order) as pcr_enc. */
static int read_quote(idt_evidence *ev, const json_t *q, unsigned enc, unsigned pcr_enc,
                      idt_error *err)
{
    idt_evidence__bytes msg = { NULL, 0 }, sig = { NULL, 0 }, pcr = { NULL, 0 };
    if (!json_is_object(q))
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "evidence JSON: the TPM quote must be an object {message, "
                              "signature, pcrs}");
    IDTX_TRY(idt_evidence__json_member(ev, q, "message", enc, 0, &msg, err));
    IDTX_TRY(idt_evidence__json_member(ev, q, "signature", enc, 0, &sig, err));
    const json_t *pcrs = json_object_get(q, "pcrs");
    if (!json_is_array(pcrs) || json_array_size(pcrs) > IDT_EVIDENCE__PCRS)
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "evidence JSON: pcrs must list the SHA-256 bank's PCRs (24 at "
                              "most)");
    IDTX_TRY(idt_evidence__tpm_read_attest(ev, msg.p, msg.n, err));
    ev->tpm.signature = sig;
    for (size_t i = 0; i < json_array_size(pcrs); i++) {
        char what[32];
        snprintf(what, sizeof what, "pcrs[%zu]", i);
        IDTX_TRY(
            idt_evidence__json_bytes(ev, json_array_get(pcrs, i), pcr_enc, 32, what, &pcr, err));
        ev->tpm.pcrs[i].hash = ALG_SHA256;
        ev->tpm.pcrs[i].index = (uint8_t)i;
        ev->tpm.pcrs[i].value = pcr;
    }
    ev->tpm.npcrs = json_array_size(pcrs);
    ev->tpm.has_pcrs = true;
    return idt_evidence__tpm_add_fields(ev, err);
}

static int read_tpm(idt_evidence *ev, const json_t *root, idt_error *err)
{
    IDTX_TRY(want_tee(ev, IDT_TEE_TPM, err));
    ev->format = IDT_EVIDENCE_TPM_JSON;
    IDTX_TRY(idt_evidence__json_member(ev, root, "ak_public",
                                       IDT_EVIDENCE__JSON_BASE64 | IDT_EVIDENCE__JSON_PEM, 0,
                                       &ev->tpm.ak, err));
    ev->tpm.ak_kind = IDT_EVIDENCE__AK_SPKI;
    ev->tpm.ak_source = "the evidence's ak_public";
    idt_evidence__summary(ev, "Trustee TPM evidence: TPM 2.0 quote, its PCR values and AK");
    return read_quote(ev, json_object_get(root, "tpm_quote"), IDT_EVIDENCE__JSON_BASE64,
                      IDT_EVIDENCE__JSON_HEX, err);
}

static int read_azure(idt_evidence *ev, const json_t *root, idt_error *err)
{
    const json_t *version = json_object_get(root, "version");
    const json_t *quote = json_object_get(root, "tpm_quote");
    const json_t *td_quote = json_object_get(root, "td_quote");
    bool v0 = !version;
    unsigned enc = v0 ? IDT_EVIDENCE__JSON_ARRAY : IDT_EVIDENCE__JSON_HEX;
    idt_evidence__bytes hcl = { NULL, 0 }, td = { NULL, 0 }, vcek = { NULL, 0 };
    IDTX_TRY(want_tee(ev, td_quote ? IDT_TEE_AZ_TDX_VTPM : IDT_TEE_AZ_SNP_VTPM, err));
    ev->format = IDT_EVIDENCE_AZ_VTPM_JSON;
    if (version && (!json_is_integer(version) || json_integer_value(version) < 0))
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "evidence JSON: version must be a non-negative integer");
    idt_evidence__summary(ev, "Azure %s vTPM evidence v%lld: TPM 2.0 quote, HCL report%s",
                    td_quote ? "TDX" : "SNP", v0 ? 0 : (long long)json_integer_value(version),
                    td_quote ? ", TD quote" : ", VCEK");
    IDTX_TRY(read_quote(ev, quote ? quote : json_object_get(root, "quote"), enc,
                        enc | IDT_EVIDENCE__JSON_ARRAY, err));
    IDTX_TRY(idt_evidence__json_member(
        ev, root, json_object_get(root, "hcl_report") ? "hcl_report" : "report",
        IDT_EVIDENCE__JSON_ARRAY | IDT_EVIDENCE__JSON_BASE64, 0, &hcl, err));
    IDTX_TRY(idt_evidence__parse_hcl(ev, hcl.p, hcl.n, err));
    if ((ev->hcl.report_type == 4) != (td_quote != NULL))
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "evidence JSON: the HCL report is of %s type, but the evidence is "
                              "%s",
                              ev->hcl.report_type == 4 ? "TDX" : "SNP", idt_tee_name(ev->tee));
    if (td_quote) {
        IDTX_TRY(idt_evidence__json_bytes(ev, td_quote,
                                          IDT_EVIDENCE__JSON_ARRAY | IDT_EVIDENCE__JSON_BASE64, 0,
                                          "td_quote", &td, err));
        ev->group = "td_quote";
        int rc = idt_evidence__parse_dcap(ev, td.p, td.n, err);
        ev->group = NULL;
        return rc;
    }
    if (!ev->snp.cert.n && json_object_get(root, "vcek")) {
        IDTX_TRY(idt_evidence__json_member(
            ev, root, "vcek", IDT_EVIDENCE__JSON_PEM | IDT_EVIDENCE__JSON_BASE64, 0, &vcek, err));
        ev->snp.cert = vcek;
        ev->snp.cert_source = "the evidence's vcek";
    }
    return IDT_OK;
}

/* Trustee's tdx and sgx evidence: the quote in base64. */
static int read_dcap(idt_evidence *ev, const json_t *root, idt_error *err)
{
    idt_evidence__bytes q = { NULL, 0 };
    IDTX_TRY(idt_evidence__json_member(ev, root, "quote", IDT_EVIDENCE__JSON_BASE64, 0, &q, err));
    IDTX_TRY(idt_evidence__parse_dcap(ev, q.p, q.n, err));
    ev->format = IDT_EVIDENCE_DCAP_JSON;
    idt_evidence__summary(ev, " (base64 in Trustee's JSON)");
    return want_tee(ev, ev->tee, err);
}

static int read_cca(idt_evidence *ev, const json_t *root, idt_error *err)
{
    idt_evidence__bytes t = { NULL, 0 };
    IDTX_TRY(want_tee(ev, IDT_TEE_CCA, err));
    IDTX_TRY(idt_evidence__json_member(
        ev, root, "token", IDT_EVIDENCE__JSON_ARRAY | IDT_EVIDENCE__JSON_BASE64, 0, &t, err));
    return idt_evidence__parse_cca(ev, t.p, t.n, err);
}

static int read_shape(idt_evidence *ev, const json_t *root, idt_error *err)
{
    if (json_object_get(root, "attestation_report")) {
        IDTX_TRY(want_tee(ev, IDT_TEE_SNP, err));
        return idt_evidence__snp_from_json(ev, root, err);
    }
    if (json_object_get(root, "ak_public") && json_object_get(root, "tpm_quote"))
        return read_tpm(ev, root, err);
    if (json_object_get(root, "hcl_report") ||
        (json_object_get(root, "report") && json_is_object(json_object_get(root, "quote"))))
        return read_azure(ev, root, err);
    if (json_is_string(json_object_get(root, "quote")))
        return read_dcap(ev, root, err);
    if (json_object_get(root, "token"))
        return read_cca(ev, root, err);
    char keys[160] = "";
    size_t used = 0;
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)root, key, value) {
        int k = snprintf(keys + used, sizeof keys - used, "%s\"%s\"", used ? ", " : "", key);
        if (k < 0 || (size_t)k >= sizeof keys - used)
            break;
        used += (size_t)k;
    }
    (void)value;
    return idtx_error_set(err, IDT_EFORMAT, NULL,
                          "JSON with keys %s is not a known Trustee evidence shape (snp, tdx, "
                          "sgx, cca, az-snp-vtpm, az-tdx-vtpm, tpm)",
                          used ? keys : "(none)");
}

int idt_evidence__parse_json(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err)
{
    json_t *root;
    IDTX_TRY(idt_evidence__json_load(&root, p, n, err));
    int rc = read_shape(ev, root, err);
    json_decref(root);
    return rc;
}
