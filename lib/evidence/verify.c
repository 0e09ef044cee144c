/*
 * The binding check: does the evidence's field hold what the document's
 * digest becomes on this TEE?  Rules, per Trustee's verifiers:
 *
 *   tdx, sgx, snp  the digest padded with zeros or truncated to the field
 *                  (48, 64, 32 bytes; Trustee's regularize_data)
 *   cca            the digest compared as is with the 64-byte value, so
 *                  only sha512 documents can match (kata pads to 64 bytes:
 *                  IDT_RULES_KATA)
 *   vTPM kinds     PCR 8 = SHA-256(32 zero bytes || digest); Trustee panics
 *                  on a digest that is not 32 bytes
 */
#include "evidence/evidence_int.h"
#include "util/keyword.h"

#include <string.h>

static const idtx_keyword rules_names[] = {
    { "trustee", IDT_RULES_TRUSTEE },
    { "kata", IDT_RULES_KATA },
};

IDTX_KEYWORD_FUNCS(idt_verify_rules, idt_verify_rules, rules_names, "rules")

static const char *who(idt_verify_rules rules)
{
    return rules == IDT_RULES_KATA ? "kata and the attestation-agent" : "Trustee";
}

/* Describes "the digest fitted to len bytes". */
static const char *fit_words(size_t dlen, size_t len, char *buf, size_t cap)
{
    if (dlen < len)
        snprintf(buf, cap, "zero-padded from %zu to %zu bytes", dlen, len);
    else if (dlen > len)
        snprintf(buf, cap, "truncated from %zu to %zu bytes", dlen, len);
    else
        snprintf(buf, cap, "%zu bytes as is", len);
    return buf;
}

/* Fills expected (or reason) and rule for the TEE's rule. */
static int expect(idt_verify_result *out, idt_error *err)
{
    const idt_digest *d = &out->digest;
    const char *alg = idt_digest_alg_name(d->alg);
    char words[96];
    if (out->platform == IDT_PLATFORM_VTPM) {
        snprintf(out->rule, sizeof out->rule,
                 "%s: PCR 8 of the SHA-256 bank = SHA-256(32 zero bytes || the sha256 digest of "
                 "the document's exact bytes), one extend from zero",
                 who(out->rules));
        if (d->len != 32) {
            snprintf(out->reason, sizeof out->reason,
                     "the document is %s: Trustee panics on a digest that is not 32 bytes and "
                     "the attestation-agent refuses to extend PCR 8 with it; vTPM needs a "
                     "sha256 document",
                     alg);
            return IDT_OK;
        }
        uint8_t pcr[32];
        IDTX_TRY(idt_vtpm_pcr8_compute(pcr, d, IDT_VTPM_RULE_AA, err));
        memcpy(out->expected, pcr, 32);
        out->expected_len = 32;
        return IDT_OK;
    }
    size_t size = idt_platform_field_size(out->platform);
    if (out->platform == IDT_PLATFORM_CCA && out->rules == IDT_RULES_TRUSTEE) {
        snprintf(out->rule, sizeof out->rule,
                 "Trustee: the %s digest of the document's exact bytes (%zu bytes), compared "
                 "with the %zu-byte personalization value without padding",
                 alg, d->len, size);
        memcpy(out->expected, d->bytes, d->len);
        out->expected_len = d->len;
        return IDT_OK;
    }
    idt_binding b;
    IDTX_TRY(idt_binding_compute(&b, out->platform, d, IDT_VTPM_RULE_AA, err));
    memcpy(out->expected, b.bytes, b.len);
    out->expected_len = b.len;
    snprintf(out->rule, sizeof out->rule, "%s: the %s digest of the document's exact bytes, %s",
             who(out->rules), alg, fit_words(d->len, b.len, words, sizeof words));
    return IDT_OK;
}

int idt_verify_binding(idt_verify_result *out, const idt_evidence *ev, const idt_doc *doc,
                       idt_verify_rules rules, idt_error *err)
{
    if (!out || !ev || !doc)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_verify_binding: NULL argument");
    if (!idt_verify_rules_name(rules))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_verify_binding: unknown rules %d",
                              (int)rules);
    const idt_evidence_field *f = idt_evidence_binding_field(ev);
    if (!f && !ev->tpm.has_pcrs)
        return idtx_error_hint(err, IDT_HINT_EVIDENCE_PCRS,
                               idtx_error_set(err, IDT_EFORMAT, NULL,
                                              "the evidence has no Init-Data field: a TPM quote "
                                              "needs its PCR values, and none were given"));
    if (!f)
        return idtx_error_set(err, IDT_EFORMAT, NULL, "the evidence has no Init-Data field: "
                              "the TPM quote's PCR values hold no PCR 8 of the sha256 bank");
    if (f->len > IDT_BINDING_MAX)
        return idtx_error_set(err, IDT_EFORMAT, NULL, "the %s field has %zu bytes", f->name,
                              f->len);
    memset(out, 0, sizeof *out);
    out->tee = ev->tee;
    out->platform = idt_tee_platform(ev->tee);
    out->rules = rules;
    out->field = f->name;
    memcpy(out->found, f->bytes, f->len);
    out->found_len = f->len;
    IDTX_TRY(idt_doc_digest(&out->digest, doc, err));
    IDTX_TRY(expect(out, err));
    bool equal = out->expected_len && out->expected_len == out->found_len &&
                 !memcmp(out->expected, out->found, out->found_len);
    out->outcome = equal ? IDT_VERIFY_MATCH : IDT_VERIFY_MISMATCH;
    if (!f->attested) {
        out->outcome = IDT_VERIFY_REFUSED;
        snprintf(out->reason, sizeof out->reason,
                 "PCR 8 of the sha256 bank is not in the quote's signed PCR selection, so its "
                 "value is not attested whatever it is (Trustee does not check this)");
    }
    return IDT_OK;
}
