/*
 * Intel DCAP quotes: the header, the signature data and the ECDSA check
 * shared by TDX (tdx.c) and SGX (sgx.c) quotes.
 *
 *   header (48)       u16 version, u16 attestation key type (2 = ECDSA
 *                     P-256), u32 TEE type (v4/v5: 0x81 TDX, 0 SGX), ...
 *   v3, v4: body      at 48 (SGX 384 bytes, TDX 584)
 *   v5: u16 body type at 48 (1 SGX, 2 TD 1.0, 3 TD 1.5), u32 body size at
 *                     50, body at 54
 *   u32 signature data length, then the signature data:
 *     ECDSA signature r || s (64), attestation public key x || y (64),
 *     v3: QE report (384), QE report signature (64), u16 + QE auth data,
 *         certification data (u16 type, u32 size, data)
 *     v4/v5: certification data (u16 type, u32 size, data); type 6 holds
 *         QE report, its signature, u16 + auth data, and inner certification
 *         data (the PCK chain, type 5)
 *
 * The attestation key signs the header and body (v5: with the body type
 * and size) with SHA-256.  The QE report carries SHA-256(attestation key ||
 * QE auth data) in its REPORT_DATA; the QE report's own signature needs the
 * PCK certificate chain, which is not checked.
 */
#include "evidence/crypto.h"
#include "evidence/evidence_int.h"
#include "util/sha256.h"

#include <openssl/evp.h>
#include <string.h>

#define DCAP_HEADER_LEN 48
#define CERT_TYPE_QE_REPORT 6

/* Reads the QE report (an SGX enclave report body) in v3 quotes and in
 * type 6 certification data, then its signature and the QE auth data. */
static int read_qe(idt_evidence__dcap *q, idt_evidence__rd *r, idt_error *err)
{
    const uint8_t *qe_sig;
    uint16_t auth_len = 0;
    if (!idt_evidence__rd_bytes(r, IDTX_SGX_BODY_LEN, &q->qe_report.p))
        return idt_evidence__truncated(err, r, IDTX_SGX_BODY_LEN, "QE report");
    q->qe_report.n = IDTX_SGX_BODY_LEN;
    if (!idt_evidence__rd_bytes(r, 64, &qe_sig))
        return idt_evidence__truncated(err, r, 64, "QE report signature");
    if (!idt_evidence__rd_u16le(r, &auth_len))
        return idt_evidence__truncated(err, r, 2, "QE authentication data size");
    if (!idt_evidence__rd_bytes(r, auth_len, &q->qe_auth.p))
        return idt_evidence__truncated(err, r, auth_len, "QE authentication data");
    q->qe_auth.n = auth_len;
    q->has_qe = true;
    return IDT_OK;
}

/* Reads certification data: u16 type, u32 size, data (bounded by r). */
static int read_cert_data(idt_evidence__dcap *q, idt_evidence__rd *r, idt_error *err)
{
    uint16_t type;
    uint32_t size;
    const uint8_t *data;
    if (!idt_evidence__rd_u16le(r, &type) || !idt_evidence__rd_u32le(r, &size))
        return idt_evidence__truncated(err, r, 6, "certification data header");
    if (!idt_evidence__rd_bytes(r, size, &data))
        return idt_evidence__truncated(err, r, size, "certification data");
    if (!q->cert_type)
        q->cert_type = type;
    if (type != CERT_TYPE_QE_REPORT || q->has_qe)
        return IDT_OK;
    /* Type 6 nests the QE report and the PCK chain's certification data. */
    idt_evidence__rd inner = idt_evidence__rd_init(r->base, (size_t)(data - r->base) + size);
    inner.pos = (size_t)(data - r->base);
    int rc = read_qe(q, &inner, err);
    return rc < 0 ? rc : read_cert_data(q, &inner, err);
}

/* Reads the signature data at r into q (the signed part ends at r->pos). */
static int read_sigdata(idt_evidence *ev, idt_evidence__dcap *q, idt_evidence__rd *r,
                        idt_error *err)
{
    uint32_t sig_len;
    const uint8_t *sig_data;
    q->signed_part.p = r->base;
    q->signed_part.n = r->pos;
    if (!idt_evidence__rd_u32le(r, &sig_len))
        return idt_evidence__truncated(err, r, 4, "signature data length");
    if (!idt_evidence__rd_bytes(r, sig_len, &sig_data))
        return idt_evidence__truncated(err, r, sig_len, "signature data");
    /* Reads below stay inside the signature data. */
    idt_evidence__rd s = idt_evidence__rd_init(r->base, r->pos);
    s.pos = (size_t)(sig_data - r->base);
    if (!idt_evidence__rd_bytes(&s, 64, &q->signature.p))
        return idt_evidence__truncated(err, &s, 64, "quote signature");
    if (!idt_evidence__rd_bytes(&s, 64, &q->key.p))
        return idt_evidence__truncated(err, &s, 64, "attestation public key");
    q->signature.n = q->key.n = 64;
    int rc = q->version == 3 ? read_qe(q, &s, err) : IDT_OK;
    if (rc >= 0)
        rc = read_cert_data(q, &s, err);
    if (rc < 0)
        return rc;
    size_t trailing = idt_evidence__rd_left(r);
    if (trailing && !ev->group)
        idt_evidence__summary(ev, "; %zu trailing bytes after the signature data ignored",
                              trailing);
    q->present = true;
    return IDT_OK;
}

int idt_evidence__parse_dcap(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err)
{
    idt_evidence__rd r = idt_evidence__rd_init(p, n);
    uint16_t version = 0, key_type = 0;
    uint32_t tee_type = 0;
    if (!idt_evidence__rd_has(&r, DCAP_HEADER_LEN))
        return idt_evidence__truncated(err, &r, DCAP_HEADER_LEN, "DCAP quote header");
    (void)idt_evidence__rd_u16le(&r, &version);
    (void)idt_evidence__rd_u16le(&r, &key_type);
    (void)idt_evidence__rd_u32le(&r, &tee_type);
    (void)idt_evidence__rd_skip(&r, DCAP_HEADER_LEN - 8);
    if (version < 3 || version > 5)
        return idtx_error_at_offset(err, IDT_EUNSUPPORTED, 0,
                                    "DCAP quote version %u is not supported (3, 4 and 5 are)",
                                    version);
    if (key_type != 2)
        return idtx_error_at_offset(err, IDT_EUNSUPPORTED, 2,
                                    "DCAP attestation key type %u is not supported (2: ECDSA "
                                    "P-256, the only type Intel's quoting enclaves use)",
                                    key_type);
    bool tdx = version > 3 && tee_type == 0x81;
    if (version > 3 && tee_type != 0x81 && tee_type != 0)
        return idtx_error_at_offset(err, IDT_EUNSUPPORTED, 4,
                                    "DCAP quote TEE type 0x%x is neither TDX (0x81) nor SGX (0)",
                                    (unsigned)tee_type);
    size_t body_len = tdx ? IDTX_TD10_BODY_LEN : IDTX_SGX_BODY_LEN;
    const char *body_name = tdx ? "TD 1.0" : "SGX enclave report";
    if (version == 5) {
        uint16_t body_type = 0;
        uint32_t size = 0;
        if (!idt_evidence__rd_u16le(&r, &body_type) || !idt_evidence__rd_u32le(&r, &size))
            return idt_evidence__truncated(err, &r, 6, "quote v5 body descriptor");
        static const struct { unsigned type; size_t len; bool tdx; const char *name; } bodies[] = {
            { 1, IDTX_SGX_BODY_LEN, false, "SGX enclave report" },
            { 2, IDTX_TD10_BODY_LEN, true, "TD 1.0" },
            { 3, IDTX_TD15_BODY_LEN, true, "TD 1.5" },
        };
        size_t i = 0;
        while (i < 3 && bodies[i].type != body_type)
            i++;
        if (i == 3 || bodies[i].tdx != tdx)
            return idtx_error_at_offset(err, IDT_EUNSUPPORTED, 48,
                                        "quote v5 body type %u is not supported for TEE type "
                                        "0x%x (1: SGX, 2: TD 1.0, 3: TD 1.5)",
                                        body_type, (unsigned)tee_type);
        if (size != bodies[i].len)
            return idtx_error_at_offset(err, IDT_EFORMAT, 50,
                                        "quote v5 body size is %u; body type %u is %zu bytes",
                                        (unsigned)size, body_type, bodies[i].len);
        body_len = bodies[i].len;
        body_name = bodies[i].name;
    }
    if (!ev->group) {
        ev->tee = tdx ? IDT_TEE_TDX : IDT_TEE_SGX;
        ev->format = IDT_EVIDENCE_DCAP_QUOTE;
        idt_evidence__summary(ev, "%s quote v%u, %s body (%zu bytes), ECDSA P-256 attestation key",
                        tdx ? "TDX" : "SGX", version, body_name, body_len);
    }
    if (ev->opts.tee == IDT_TEE_SGX && tdx)
        return idtx_error_hint(err, IDT_HINT_EVIDENCE_TEE_MISMATCH,
                               idtx_error_at_offset(err, IDT_EFORMAT, 4, "this is a TDX quote, "
                                                    "not the sgx evidence asked for"));
    if (ev->opts.tee == IDT_TEE_TDX && !tdx && !ev->group)
        return idtx_error_hint(err, IDT_HINT_EVIDENCE_TEE_MISMATCH,
                               idtx_error_at_offset(err, IDT_EFORMAT, 4, "this is an SGX quote, "
                                                    "not the tdx evidence asked for"));
    int rc = idt_evidence__add_uint(ev, "QUOTE_VERSION", version, p, err);
    if (rc >= 0)
        rc = tdx ? idt_evidence__tdx_body(ev, &r, body_len, err)
                 : idt_evidence__sgx_body(ev, &r, err);
    if (rc < 0)
        return rc;
    ev->dcap.version = version;
    return read_sigdata(ev, &ev->dcap, &r, err);
}

void idt_evidence__check_dcap(const idt_evidence *ev, idt_evidence__checks *c)
{
    const idt_evidence__dcap *q = &ev->dcap;
    bool nested = ev->tee == IDT_TEE_AZ_TDX_VTPM;
    const char *sig_name = nested ? "TD quote signature" : "quote signature";
    const char *qe_name = nested ? "TD quote attestation key" : "attestation key";
    EVP_PKEY *key = idt_evidence__key_ec("P-256", q->key.p, q->key.n);
    if (!key) {
        idt_evidence__check_add(c, sig_name, IDT_EVIDENCE_CHECK_FAIL,
                          "the attestation public key in the quote is not a P-256 point");
    } else if (idt_evidence__verify_rs(key, EVP_sha256(), q->signature.p, q->signature.p + 32, 32,
                                 false, q->signed_part.p, q->signed_part.n)) {
        idt_evidence__check_add(c, sig_name, IDT_EVIDENCE_CHECK_PASS,
                          "ECDSA P-256 over the header and body (%zu bytes), by the "
                          "attestation key in the quote",
                          q->signed_part.n);
    } else {
        idt_evidence__check_add(c, sig_name, IDT_EVIDENCE_CHECK_FAIL,
                          "the ECDSA P-256 signature over the header and body does not verify "
                          "with the attestation key in the quote: the quote was changed after "
                          "it was signed");
    }
    EVP_PKEY_free(key);
    if (!q->has_qe) {
        idt_evidence__check_add(c, qe_name, IDT_EVIDENCE_CHECK_SKIP,
                          "no QE report in the certification data (type %u)", q->cert_type);
        return;
    }
    uint8_t h[32];
    const uint8_t *rd = q->qe_report.p + IDTX_SGX_BODY_REPORT_DATA;
    if (idtx_sha256_concat(h, q->key.p, q->key.n, q->qe_auth.p, q->qe_auth.n) < 0) {
        c->status = IDT_ERROR;
        return;
    }
    if (!memcmp(h, rd, 32))
        idt_evidence__check_add(c, qe_name, IDT_EVIDENCE_CHECK_PASS,
                          "the QE report's REPORT_DATA holds SHA-256(attestation key || QE "
                          "auth data); the QE report's PCK signature is not checked");
    else
        idt_evidence__check_add(c, qe_name, IDT_EVIDENCE_CHECK_FAIL,
                          "the QE report's REPORT_DATA is not SHA-256(attestation key || QE "
                          "auth data): the attestation key was replaced");
}
