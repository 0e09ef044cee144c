/* Unit tests of initdata/evidence.h on synthetic evidence built here: the
 * reader, DCAP quotes (v4, v5, SGX v3) signed with fresh keys, SNP reports,
 * CCA tokens written byte by byte, TPM quotes, JSON errors, the binding
 * rules and the diagnosis.  Digests of the Kata vector come from
 * initdata-facts section 2 and Python's hashlib (tests/unit/test_digest.c);
 * offsets from facts section 6.  The real evidence files are covered by
 * tests/evidence/test_verify.sh. */
#include "idt_unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "vectors.h"
#include "no_flags.h"
#include "initdata/evidence.h"
#include "evidence/reader.h"


/* --- helpers -------------------------------------------------------------- */

static size_t unhex(uint8_t *out, const char *hex)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_be(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static idt_doc *kata(void)
{
    idt_doc *doc = NULL;
    assert_status(idt_doc_parse(&doc, kata_doc, sizeof kata_doc - 1, NULL, NULL), IDT_OK, NULL);
    return doc;
}

static EVP_PKEY *ec_key(const char *group)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group);
    assert_non_null(k);
    return k;
}

/* The raw public point x || y (n bytes each). */
static void ec_point(EVP_PKEY *k, uint8_t *xy, size_t n)
{
    uint8_t buf[200];
    size_t len = 0;
    assert_int_equal(EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof buf,
                                                     &len),
                     1);
    assert_int_equal(len, 2 * n + 1);
    memcpy(xy, buf + 1, 2 * n);
}

/* An ECDSA signature over msg as r || s (n bytes each, big-endian). */
static void ec_sign(EVP_PKEY *k, const EVP_MD *md, const void *msg, size_t len, uint8_t *rs,
                    size_t n)
{
    uint8_t der[256];
    size_t dlen = sizeof der;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestSignInit(ctx, NULL, md, NULL, k), 1);
    assert_int_equal(EVP_DigestSign(ctx, der, &dlen, msg, len), 1);
    EVP_MD_CTX_free(ctx);
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
    assert_non_null(sig);
    const BIGNUM *r, *s;
    ECDSA_SIG_get0(sig, &r, &s);
    assert_true(BN_bn2binpad(r, rs, (int)n) > 0 && BN_bn2binpad(s, rs + n, (int)n) > 0);
    ECDSA_SIG_free(sig);
}

static idt_evidence *parse_ok(const void *buf, size_t len, const idt_evidence_options *o)
{
    idt_evidence *ev = NULL;
    idt_error err = { 0 };
    int rc = idt_evidence_parse(&ev, buf, len, o, &err);
    if (rc != IDT_OK)
        fail_msg("parse failed (%d): %s", rc, err.message);
    return ev;
}

static int run_checks(const idt_evidence *ev, idt_evidence_check *c, size_t *n)
{
    idt_error err = { 0 };
    return idt_evidence_verify(c, IDT_EVIDENCE_CHECKS_MAX, n, ev, &err);
}

static const idt_evidence_check *find_check(const idt_evidence_check *c, size_t n,
                                            const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(c[i].name, name))
            return &c[i];
    fail_msg("no check named %s", name);
    return NULL;
}

/* --- the reader ------------------------------------------------------------ */

static void test_reader(void **state)
{
    (void)state;
    static const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    idt_evidence__rd r = idt_evidence__rd_init(b, sizeof b);
    uint16_t v16;
    uint32_t v32;
    uint64_t v64;
    assert_true(idt_evidence__rd_u16le(&r, &v16));
    assert_int_equal(v16, 0x0201);
    assert_true(idt_evidence__rd_u16be(&r, &v16));
    assert_int_equal(v16, 0x0304);
    assert_true(idt_evidence__rd_u32le(&r, &v32));
    assert_int_equal(v32, 0x08070605);
    /* one byte left: wider reads fail and leave the cursor alone */
    assert_false(idt_evidence__rd_u16le(&r, &v16));
    assert_false(idt_evidence__rd_u64le(&r, &v64));
    assert_int_equal(r.pos, 8);
    const uint8_t *view;
    assert_false(idt_evidence__rd_at(&r, 8, 2, &view));
    assert_false(idt_evidence__rd_at(&r, SIZE_MAX, 2, &view));
    assert_true(idt_evidence__rd_at(&r, 8, 1, &view));
    assert_int_equal(*view, 9);
    /* a TPM2B whose size runs past the end is refused whole */
    static const uint8_t t[] = { 0x00, 0x05, 'a', 'b' };
    idt_evidence__rd tr = idt_evidence__rd_init(t, sizeof t);
    uint16_t size;
    assert_false(idt_evidence__rd_tpm2b(&tr, &view, &size));
    assert_int_equal(tr.pos, 0);
}

static void test_names(void **state)
{
    (void)state;
    idt_tee t;
    assert_status(idt_tee_parse(&t, "az-snp-vtpm", 11, NULL), IDT_OK, NULL);
    assert_int_equal(t, IDT_TEE_AZ_SNP_VTPM);
    assert_status(idt_tee_parse(&t, "aztdxvtpm", 9, NULL), IDT_OK, NULL);
    assert_int_equal(t, IDT_TEE_AZ_TDX_VTPM);
    idt_error err = { 0 };
    assert_status(idt_tee_parse(&t, "sev", 3, &err), IDT_EUNSUPPORTED, &err);
    assert_non_null(strstr(err.message, "az-tdx-vtpm"));
    assert_string_equal(idt_tee_name(IDT_TEE_CCA), "cca");
    assert_int_equal(idt_tee_platform(IDT_TEE_TPM), IDT_PLATFORM_VTPM);
    assert_int_equal(idt_tee_platform(IDT_TEE_SGX), IDT_PLATFORM_SGX);
    assert_string_equal(idt_evidence_format_name(IDT_EVIDENCE_TPM_QUOTE), "tpm-quote");
    assert_null(idt_evidence_format_name((idt_evidence_format)99));
    assert_string_equal(idt_verify_rules_name(IDT_RULES_KATA), "kata");
    assert_string_equal(idt_verify_rules_name(IDT_RULES_TRUSTEE), "trustee");
    assert_null(idt_verify_rules_name((idt_verify_rules)0));
    idt_verify_rules rules = IDT_RULES_TRUSTEE;
    assert_status(idt_verify_rules_parse(&rules, "kata", 4, NULL), IDT_OK, NULL);
    assert_int_equal(rules, IDT_RULES_KATA);
    assert_status(idt_verify_rules_parse(&rules, "trustee", 7, NULL), IDT_OK, NULL);
    assert_int_equal(rules, IDT_RULES_TRUSTEE);
    assert_status(idt_verify_rules_parse(&rules, "aa", 2, &err), IDT_EUNSUPPORTED, &err);
    assert_int_equal(rules, IDT_RULES_TRUSTEE);
    assert_string_equal(err.message, "unknown rules \"aa\" (known: trustee, kata)");
    assert_status(idt_verify_rules_parse(NULL, "kata", 4, NULL), IDT_EINVAL, NULL);
    /* hint names: the constant's name, lowercase, dashed; none for NONE */
    assert_string_equal(idt_hint_name(IDT_HINT_EVIDENCE_AK), "evidence-ak");
    assert_string_equal(idt_hint_name(IDT_HINT_EVIDENCE_TEE_MISMATCH), "evidence-tee-mismatch");
    assert_string_equal(idt_hint_name(IDT_HINT_GUEST_ALL_ENTRIES), "guest-all-entries");
    assert_null(idt_hint_name(IDT_HINT_NONE));
    assert_null(idt_hint_name((idt_hint)13));
    for (int h = 1; h <= 12; h++) {
        const char *name = idt_hint_name((idt_hint)h);
        assert_non_null(name);
        assert_false(idt_test_names_flag(name));
    }
}

/* --- DCAP quotes ------------------------------------------------------------ */

typedef struct quote {
    uint8_t b[4096];
    size_t len;
    size_t signed_len;
} quote;

/* A DCAP quote signed by key: version 3 (SGX), 4 or 5 (TDX; body type 3
 * for v5), with field (MRCONFIGID or CONFIGID) and report data set, and
 * certification data holding a QE report that certifies the key. */
static void build_quote(quote *q, EVP_PKEY *key, unsigned version, const uint8_t *field,
                        size_t field_len)
{
    static const uint8_t auth[] = { 0xab, 0xcd };
    uint8_t *b = q->b;
    memset(q, 0, sizeof *q);
    bool tdx = version > 3;
    put_le(b, version, 2);
    put_le(b + 2, 2, 2);
    put_le(b + 4, tdx ? 0x81 : 0, 4);
    size_t at = 48, body_len = tdx ? (version == 5 ? 648 : 584) : 384;
    if (version == 5) {
        put_le(b + 48, 3, 2);
        put_le(b + 50, body_len, 4);
        at = 54;
    }
    size_t field_off = tdx ? 184 : 192, rd_off = tdx ? 520 : 320;
    memcpy(b + at + field_off, field, field_len);
    for (size_t i = 0; i < 64; i++)
        b[at + rd_off + i] = (uint8_t)(0xa0 + i);
    at += body_len;
    q->signed_len = at;
    uint8_t *sig_len = b + at;
    uint8_t *sig = sig_len + 4, *pub = sig + 64, *w = pub + 64;
    ec_point(key, pub, 32);
    uint8_t qe[384] = { 0 };
    /* QE REPORT_DATA = SHA-256(attestation key || auth data) */
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned hn;
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    EVP_DigestUpdate(ctx, pub, 64);
    EVP_DigestUpdate(ctx, auth, sizeof auth);
    EVP_DigestFinal_ex(ctx, qe + 320, &hn);
    EVP_MD_CTX_free(ctx);
    uint8_t *cert = w;
    if (version == 3) {
        memcpy(w, qe, 384), w += 384 + 64;
        put_le(w, sizeof auth, 2), memcpy(w + 2, auth, sizeof auth), w += 2 + sizeof auth;
        put_le(w, 5, 2), put_le(w + 2, 0, 4), w += 6;
    } else {
        w += 6; /* type 6, size filled below */
        memcpy(w, qe, 384), w += 384 + 64;
        put_le(w, sizeof auth, 2), memcpy(w + 2, auth, sizeof auth), w += 2 + sizeof auth;
        put_le(w, 5, 2), put_le(w + 2, 0, 4), w += 6;
        put_le(cert, 6, 2);
        put_le(cert + 2, (uint64_t)(w - cert - 6), 4);
    }
    put_le(sig_len, (uint64_t)(w - sig), 4);
    ec_sign(key, EVP_sha256(), b, q->signed_len, sig, 32);
    q->len = (size_t)(w - b);
}

static void check_quote(unsigned version, idt_tee tee, const char *field, size_t field_off,
                        size_t rd_off)
{
    EVP_PKEY *key = ec_key("P-256");
    uint8_t value[64] = { 0 };
    size_t dlen = unhex(value, KATA_SHA256);
    quote q;
    build_quote(&q, key, version, value, dlen);
    idt_evidence *ev = parse_ok(q.b, q.len, NULL);
    assert_int_equal(idt_evidence_tee(ev), tee);
    assert_int_equal(idt_evidence_format_of(ev), IDT_EVIDENCE_DCAP_QUOTE);
    const idt_evidence_field *f = idt_evidence_binding_field(ev);
    assert_string_equal(f->name, field);
    assert_true(f->has_offset);
    assert_int_equal(f->offset, field_off);
    assert_memory_equal(f->bytes, value, dlen);
    const idt_evidence_field *rd = idt_evidence_report_data(ev);
    assert_int_equal(rd->offset, rd_off);
    assert_int_equal(rd->len, 64);
    assert_int_equal(rd->bytes[63], 0xa0 + 63);

    idt_evidence_check c[IDT_EVIDENCE_CHECKS_MAX];
    size_t n = 0;
    assert_status(run_checks(ev, c, &n), IDT_OK, NULL);
    assert_int_equal(n, 2);
    assert_int_equal(find_check(c, n, "quote signature")->status, IDT_EVIDENCE_CHECK_PASS);
    assert_int_equal(find_check(c, n, "attestation key")->status, IDT_EVIDENCE_CHECK_PASS);

    idt_doc *doc = kata();
    idt_verify_result r;
    assert_status(idt_verify_binding(&r, ev, doc, IDT_RULES_TRUSTEE, NULL), IDT_OK, NULL);
    assert_int_equal(r.outcome, IDT_VERIFY_MATCH);
    assert_int_equal(r.expected_len, version == 3 ? 64 : 48);
    assert_non_null(strstr(r.rule, "zero-padded from 32"));
    idt_evidence_free(ev);

    /* one changed byte in the body breaks the signature, not the parse */
    q.b[q.signed_len - 1] ^= 1;
    ev = parse_ok(q.b, q.len, NULL);
    idt_error err = { 0 };
    assert_status(idt_evidence_verify(c, IDT_EVIDENCE_CHECKS_MAX, &n, ev, &err),
                  IDT_EMISMATCH, &err);
    assert_int_equal(find_check(c, n, "quote signature")->status, IDT_EVIDENCE_CHECK_FAIL);
    assert_non_null(strstr(err.message, "quote signature"));
    idt_evidence_free(ev);
    idt_doc_free(doc);
    EVP_PKEY_free(key);
}

static void test_tdx_v4(void **state)
{
    (void)state;
    check_quote(4, IDT_TEE_TDX, "MRCONFIGID", 232, 568);
}

static void test_tdx_v5(void **state)
{
    (void)state;
    check_quote(5, IDT_TEE_TDX, "MRCONFIGID", 238, 574);
}

static void test_sgx_v3(void **state)
{
    (void)state;
    check_quote(3, IDT_TEE_SGX, "CONFIGID", 240, 368);
}

/* Every strict prefix of a quote is refused with a position inside it. */
static void test_quote_prefixes(void **state)
{
    (void)state;
    EVP_PKEY *key = ec_key("P-256");
    uint8_t value[48] = { 1 };
    quote q;
    build_quote(&q, key, 5, value, sizeof value);
    for (size_t n = 0; n < q.len; n++) {
        idt_evidence *ev = (idt_evidence *)1;
        idt_error err = { 0 };
        idt_evidence_options o = IDT_EVIDENCE_OPTIONS_INIT;
        o.tee = IDT_TEE_TDX;
        int rc = idt_evidence_parse(&ev, q.b, n, &o, &err);
        assert_true(rc == IDT_ETRUNC || rc == IDT_EFORMAT);
        assert_null(ev);
        assert_int_equal(err.code, rc);
        assert_true(err.message[0] != 0);
        assert_true(!err.has_offset || err.offset <= n);
    }
    EVP_PKEY_free(key);
}

static void test_quote_errors(void **state)
{
    (void)state;
    EVP_PKEY *key = ec_key("P-256");
    uint8_t value[48] = { 0 };
    quote q;
    idt_evidence *ev;
    idt_error err = { 0 };
    build_quote(&q, key, 4, value, sizeof value);
    /* --tee snp on a TDX quote says what the file is */
    idt_evidence_options o = IDT_EVIDENCE_OPTIONS_INIT;
    o.tee = IDT_TEE_SNP;
    assert_status(idt_evidence_parse(&ev, q.b, q.len, &o, &err), IDT_EFORMAT, &err);
    assert_string_equal(err.message, "the input is not the snp evidence asked for; it looks like "
                                     "a TDX quote v4");
    assert_int_equal(err.hint, IDT_HINT_EVIDENCE_TEE_MISMATCH);
    /* sgx named for a TDX quote: the DCAP reader says so at the version */
    o.tee = IDT_TEE_SGX;
    assert_status(idt_evidence_parse(&ev, q.b, q.len, &o, &err), IDT_EFORMAT, &err);
    assert_string_equal(err.message, "this is a TDX quote, not the sgx evidence asked for");
    assert_int_equal(err.offset, 4);
    assert_int_equal(err.hint, IDT_HINT_EVIDENCE_TEE_MISMATCH);
    /* nothing recognisable and no TEE named */
    static const uint8_t junk[16] = { 0x42, 0x42 };
    assert_status(idt_evidence_parse(&ev, junk, sizeof junk, NULL, &err), IDT_EFORMAT, &err);
    assert_non_null(strstr(err.message, "not a known evidence format (16 bytes)"));
    assert_non_null(strstr(err.message, "and no TEE was named"));
    assert_false(idt_test_names_flag(err.message));
    assert_int_equal(err.hint, IDT_HINT_EVIDENCE_TEE);
    /* a v5 body size that disagrees with its type */
    build_quote(&q, key, 5, value, sizeof value);
    put_le(q.b + 50, 584, 4);
    assert_status(idt_evidence_parse(&ev, q.b, q.len, NULL, &err), IDT_EFORMAT, &err);
    assert_true(err.has_offset);
    assert_int_equal(err.offset, 50);
    /* attestation key type 3 (P-384) is not something Intel ships */
    build_quote(&q, key, 4, value, sizeof value);
    put_le(q.b + 2, 3, 2);
    assert_status(idt_evidence_parse(&ev, q.b, q.len, NULL, &err), IDT_EUNSUPPORTED, &err);
    /* a replaced attestation key: the quote signature and the QE binding fail */
    build_quote(&q, key, 4, value, sizeof value);
    EVP_PKEY *other = ec_key("P-256");
    ec_point(other, q.b + q.signed_len + 4 + 64, 32);
    ev = parse_ok(q.b, q.len, NULL);
    idt_evidence_check c[IDT_EVIDENCE_CHECKS_MAX];
    size_t n;
    assert_status(run_checks(ev, c, &n), IDT_EMISMATCH, NULL);
    assert_int_equal(find_check(c, n, "quote signature")->status, IDT_EVIDENCE_CHECK_FAIL);
    assert_int_equal(find_check(c, n, "attestation key")->status, IDT_EVIDENCE_CHECK_FAIL);
    idt_evidence_free(ev);
    EVP_PKEY_free(other);
    EVP_PKEY_free(key);
}

/* --- SNP ----------------------------------------------------------------- */

static void test_snp(void **state)
{
    (void)state;
    uint8_t r[1184] = { 0 };
    put_le(r, 3, 4);     /* version */
    put_le(r + 48, 1, 4); /* VMPL */
    put_le(r + 52, 1, 4); /* ECDSA P-384 */
    size_t dlen = unhex(r + 192, KATA_SHA256);
    assert_int_equal(dlen, 32);
    memset(r + 80, 0x5a, 64);
    idt_evidence *ev = parse_ok(r, sizeof r, NULL);
    assert_int_equal(idt_evidence_tee(ev), IDT_TEE_SNP);
    assert_int_equal(idt_evidence_binding_field(ev)->offset, 192);
    assert_int_equal(idt_evidence_report_data(ev)->offset, 80);
    assert_int_equal(idt_evidence_field_get(ev, "VMPL")->number, 1);
    assert_int_equal(idt_evidence_field_get(ev, "VERSION")->number, 3);
    idt_evidence_check c[IDT_EVIDENCE_CHECKS_MAX];
    size_t n;
    assert_status(run_checks(ev, c, &n), IDT_OK, NULL);
    const idt_evidence_check *skip = find_check(c, n, "report signature");
    assert_int_equal(skip->status, IDT_EVIDENCE_CHECK_SKIP);
    assert_string_equal(skip->detail, "no VCEK or VLEK certificate: the evidence holds none, and "
                                      "none was given");
    assert_int_equal(skip->hint, IDT_HINT_EVIDENCE_VCEK);
    idt_doc *doc = kata();
    idt_verify_result res;
    assert_status(idt_verify_binding(&res, ev, doc, IDT_RULES_TRUSTEE, NULL), IDT_OK, NULL);
    assert_int_equal(res.outcome, IDT_VERIFY_MATCH);
    idt_evidence_free(ev);
    idt_doc_free(doc);

    /* a 1183-byte report is detected as nothing; named, it is short */
    idt_error err = { 0 };
    idt_evidence_options o = IDT_EVIDENCE_OPTIONS_INIT;
    o.tee = IDT_TEE_SNP;
    assert_status(idt_evidence_parse(&ev, r, sizeof r - 1, &o, &err), IDT_ETRUNC, &err);
    assert_non_null(strstr(err.message, "1184 bytes; this is 1183"));
    put_le(r, 9, 4);
    assert_status(idt_evidence_parse(&ev, r, sizeof r, &o, &err), IDT_EUNSUPPORTED, &err);
}

/* --- CCA --------------------------------------------------------------------- */

typedef struct cbuf {
    uint8_t b[2048];
    size_t n;
} cbuf;

static void cb_head(cbuf *c, unsigned mt, uint64_t v)
{
    if (v < 24) {
        c->b[c->n++] = (uint8_t)(mt << 5 | v);
    } else if (v <= 0xff) {
        c->b[c->n++] = (uint8_t)(mt << 5 | 24);
        c->b[c->n++] = (uint8_t)v;
    } else {
        c->b[c->n++] = (uint8_t)(mt << 5 | 25);
        put_be(c->b + c->n, v, 2);
        c->n += 2;
    }
}

static void cb_bytes(cbuf *c, const void *p, size_t n)
{
    cb_head(c, 2, n);
    memcpy(c->b + c->n, p, n);
    c->n += n;
}

/* A token whose realm claims hold pv (64 bytes) and which key signs. */
static void build_token(cbuf *tok, EVP_PKEY *key, const uint8_t pv[64])
{
    static const uint8_t prot[] = { 0xa1, 0x01, 0x38, 0x22 }; /* {1: -35} ES384 */
    uint8_t challenge[64], rak[97];
    cbuf payload = { { 0 }, 0 }, sig_struct = { { 0 }, 0 }, realm = { { 0 }, 0 };
    memset(challenge, 0x11, sizeof challenge);
    rak[0] = 0x04;
    ec_point(key, rak + 1, 48);
    cb_head(&payload, 5, 3);
    cb_head(&payload, 0, 10), cb_bytes(&payload, challenge, 64);
    cb_head(&payload, 0, 44235), cb_bytes(&payload, pv, 64);
    cb_head(&payload, 0, 44237), cb_bytes(&payload, rak, sizeof rak);
    /* Sig_structure ["Signature1", prot, h'', payload] */
    cb_head(&sig_struct, 4, 4);
    cb_head(&sig_struct, 3, 10);
    memcpy(sig_struct.b + sig_struct.n, "Signature1", 10), sig_struct.n += 10;
    cb_bytes(&sig_struct, prot, sizeof prot);
    cb_bytes(&sig_struct, "", 0);
    cb_bytes(&sig_struct, payload.b, payload.n);
    uint8_t sig[96];
    ec_sign(key, EVP_sha384(), sig_struct.b, sig_struct.n, sig, 48);
    realm.b[realm.n++] = 0xd2; /* tag 18 */
    cb_head(&realm, 4, 4);
    cb_bytes(&realm, prot, sizeof prot);
    cb_head(&realm, 5, 0);
    cb_bytes(&realm, payload.b, payload.n);
    cb_bytes(&realm, sig, sizeof sig);
    /* the platform token: an unsigned-looking COSE_Sign1 with one claim */
    static const uint8_t plat[] = { 0x84, 0x40, 0xa0, 0x43, 0xa1, 0x0a, 0x40, 0x40 };
    tok->n = 0;
    tok->b[tok->n++] = 0xd9, tok->b[tok->n++] = 0x01, tok->b[tok->n++] = 0x8f; /* tag 399 */
    cb_head(tok, 5, 2);
    cb_head(tok, 0, 44234), cb_bytes(tok, plat, sizeof plat);
    cb_head(tok, 0, 44241), cb_bytes(tok, realm.b, realm.n);
}

static void test_cca(void **state)
{
    (void)state;
    EVP_PKEY *key = ec_key("P-384");
    uint8_t pv[64] = { 0 };
    unhex(pv, KATA_SHA256); /* kata pads the sha256 digest to 64 bytes */
    cbuf tok;
    build_token(&tok, key, pv);
    idt_evidence *ev = parse_ok(tok.b, tok.n, NULL);
    assert_int_equal(idt_evidence_tee(ev), IDT_TEE_CCA);
    assert_string_equal(idt_evidence_binding_field(ev)->name, "REALM_PERSONALIZATION_VALUE");
    assert_memory_equal(idt_evidence_binding_field(ev)->bytes, pv, 64);
    assert_string_equal(idt_evidence_report_data(ev)->name, "REALM_CHALLENGE");
    idt_evidence_check c[IDT_EVIDENCE_CHECKS_MAX];
    size_t n;
    assert_status(run_checks(ev, c, &n), IDT_OK, NULL);
    assert_int_equal(find_check(c, n, "realm token signature")->status, IDT_EVIDENCE_CHECK_PASS);
    assert_int_equal(find_check(c, n, "platform token signature")->status, IDT_EVIDENCE_CHECK_SKIP);
    /* Trustee compares unpadded (mismatch); kata pads (match) */
    idt_doc *doc = kata();
    idt_verify_result r;
    assert_status(idt_verify_binding(&r, ev, doc, IDT_RULES_TRUSTEE, NULL), IDT_OK, NULL);
    assert_int_equal(r.outcome, IDT_VERIFY_MISMATCH);
    assert_int_equal(r.expected_len, 32);
    assert_status(idt_verify_binding(&r, ev, doc, IDT_RULES_KATA, NULL), IDT_OK, NULL);
    assert_int_equal(r.outcome, IDT_VERIFY_MATCH);
    idt_evidence_free(ev);
    idt_doc_free(doc);

    /* a changed personalization value breaks the realm signature */
    uint8_t *p = NULL;
    for (size_t i = 0; !p && i + 64 <= tok.n; i++)
        if (!memcmp(tok.b + i, pv, 64))
            p = tok.b + i;
    assert_non_null(p);
    p[40] = 1;
    ev = parse_ok(tok.b, tok.n, NULL);
    assert_status(run_checks(ev, c, &n), IDT_EMISMATCH, NULL);
    assert_int_equal(find_check(c, n, "realm token signature")->status, IDT_EVIDENCE_CHECK_FAIL);
    idt_evidence_free(ev);
    EVP_PKEY_free(key);
}

static void test_cbor_limits(void **state)
{
    (void)state;
    uint8_t b[300];
    idt_evidence *ev;
    idt_error err = { 0 };
    /* tag 399 around 200 nested arrays: refused before libcbor sees it */
    b[0] = 0xd9, b[1] = 0x01, b[2] = 0x8f;
    memset(b + 3, 0x81, 200);
    b[203] = 0x00;
    assert_status(idt_evidence_parse(&ev, b, 204, NULL, &err), IDT_ELIMIT, &err);
    /* an array that claims more elements than there are bytes */
    static const uint8_t lie[] = { 0xd9, 0x01, 0x8f, 0x9b, 0, 0, 0, 1, 0, 0, 0, 0 };
    assert_status(idt_evidence_parse(&ev, lie, sizeof lie, NULL, &err), IDT_EFORMAT, &err);
    assert_non_null(strstr(err.message, "array of 4294967296 elements"));
    /* a map without the tokens */
    static const uint8_t empty[] = { 0xd9, 0x01, 0x8f, 0xa0 };
    assert_status(idt_evidence_parse(&ev, empty, sizeof empty, NULL, &err), IDT_EFORMAT, &err);
    assert_non_null(strstr(err.message, "realm token (44241)"));
}

/* --- TPM quotes -------------------------------------------------------------- */

/* A TPMS_ATTEST quoting the sha256 PCRs of mask with digest over values
 * (each PCR i holds bytes of value i+1). */
static size_t build_attest(uint8_t *b, uint32_t mask, uint8_t *values, size_t *values_len)
{
    size_t n = 0;
    put_be(b, 0xff544347, 4), put_be(b + 4, 0x8018, 2), n = 6;
    put_be(b + n, 2, 2), b[n + 2] = 0xaa, b[n + 3] = 0xbb, n += 4; /* qualifiedSigner */
    put_be(b + n, 4, 2), memcpy(b + n + 2, "nonc", 4), n += 6;     /* extraData */
    memset(b + n, 0, 25), n += 25;                                 /* clock, firmware */
    put_be(b + n, 1, 4), put_be(b + n + 4, 0x000b, 2), b[n + 6] = 3, n += 7;
    put_le(b + n, mask, 3), n += 3;
    *values_len = 0;
    for (unsigned i = 0; i < 24; i++)
        if (mask >> i & 1) {
            memset(values + *values_len, (int)(i + 1), 32);
            *values_len += 32;
        }
    put_be(b + n, 32, 2), n += 2;
    unsigned hn;
    EVP_Digest(values, *values_len, b + n, &hn, EVP_sha256(), NULL);
    return n + 32;
}

static void test_tpm_quote(void **state)
{
    (void)state;
    uint8_t msg[128], values[24 * 32], sig[600], spki[600];
    size_t vlen, siglen = sizeof sig;
    size_t mlen = build_attest(msg, 0x1ff, values, &vlen); /* PCRs 0-8 */
    EVP_PKEY *key = ec_key("P-256");
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key), 1);
    assert_int_equal(EVP_DigestSign(ctx, sig, &siglen, msg, mlen), 1); /* -f plain: DER */
    EVP_MD_CTX_free(ctx);
    unsigned char *w = spki;
    int slen = i2d_PUBKEY(key, &w);
    assert_true(slen > 0);

    idt_evidence_options o = IDT_EVIDENCE_OPTIONS_INIT;
    o.tpm_signature = sig, o.tpm_signature_len = siglen;
    o.tpm_pcrs = values, o.tpm_pcrs_len = vlen;
    o.ak = spki, o.ak_len = (size_t)slen;
    idt_evidence *ev = parse_ok(msg, mlen, &o);
    assert_int_equal(idt_evidence_tee(ev), IDT_TEE_TPM);
    const idt_evidence_field *sel = idt_evidence_field_get(ev, "PCR_SELECTION");
    assert_int_equal(sel->len, strlen("sha256:0-8"));
    assert_memory_equal(sel->bytes, "sha256:0-8", sel->len);
    assert_memory_equal(idt_evidence_report_data(ev)->bytes, "nonc", 4);
    const idt_evidence_field *pcr8 = idt_evidence_binding_field(ev);
    assert_string_equal(pcr8->name, "PCR8");
    assert_int_equal(pcr8->bytes[0], 9);
    assert_true(pcr8->attested);
    idt_evidence_check c[IDT_EVIDENCE_CHECKS_MAX];
    size_t n;
    assert_status(run_checks(ev, c, &n), IDT_OK, NULL);
    const idt_evidence_check *sc = find_check(c, n, "quote signature");
    assert_int_equal(sc->status, IDT_EVIDENCE_CHECK_PASS);
    assert_non_null(strstr(sc->detail, "AK from the caller"));
    assert_int_equal(sc->hint, IDT_HINT_NONE);
    assert_int_equal(find_check(c, n, "PCR digest")->status, IDT_EVIDENCE_CHECK_PASS);
    assert_int_equal(find_check(c, n, "PCR 8 in the signed selection")->status,
                     IDT_EVIDENCE_CHECK_PASS);
    idt_evidence_free(ev);

    /* The message alone: each missing side input is a SKIP that says what
     * is missing in words, and a hint says which option gives it. */
    idt_evidence_options bare = IDT_EVIDENCE_OPTIONS_INIT;
    ev = parse_ok(msg, mlen, &bare);
    assert_null(idt_evidence_binding_field(ev));
    assert_non_null(strstr(idt_evidence_summary(ev), "; no PCR values given"));
    assert_false(idt_test_names_flag(idt_evidence_summary(ev)));
    assert_status(run_checks(ev, c, &n), IDT_OK, NULL);
    sc = find_check(c, n, "quote signature");
    assert_int_equal(sc->status, IDT_EVIDENCE_CHECK_SKIP);
    assert_string_equal(sc->detail, "no AK public key was given");
    assert_int_equal(sc->hint, IDT_HINT_EVIDENCE_AK);
    sc = find_check(c, n, "PCR digest");
    assert_int_equal(sc->status, IDT_EVIDENCE_CHECK_SKIP);
    assert_string_equal(sc->detail, "no PCR values were given");
    assert_int_equal(sc->hint, IDT_HINT_EVIDENCE_PCRS);
    {
        idt_error berr = { 0 };
        idt_doc *kdoc = kata();
        idt_verify_result br;
        assert_status(idt_verify_binding(&br, ev, kdoc, IDT_RULES_TRUSTEE, &berr),
                      IDT_EFORMAT, &berr);
        assert_string_equal(berr.message, "the evidence has no Init-Data field: a TPM quote "
                                          "needs its PCR values, and none were given");
        assert_int_equal(berr.hint, IDT_HINT_EVIDENCE_PCRS);
        idt_doc_free(kdoc);
    }
    idt_evidence_free(ev);
    bare.ak = spki, bare.ak_len = (size_t)slen;
    ev = parse_ok(msg, mlen, &bare);
    assert_status(run_checks(ev, c, &n), IDT_OK, NULL);
    sc = find_check(c, n, "quote signature");
    assert_int_equal(sc->status, IDT_EVIDENCE_CHECK_SKIP);
    assert_string_equal(sc->detail, "no signature was given");
    assert_int_equal(sc->hint, IDT_HINT_EVIDENCE_SIGNATURE);
    idt_evidence_free(ev);

    /* values of the wrong size for the selection */
    idt_error err = { 0 };
    o.tpm_pcrs_len = vlen - 1;
    assert_status(idt_evidence_parse(&ev, msg, mlen, &o, &err), IDT_EFORMAT, &err);
    assert_non_null(strstr(err.message, "needs 288"));
    EVP_PKEY_free(key);

    /* PCRs 0-7 and 9: no PCR 8 field, and no binding to check */
    mlen = build_attest(msg, 0x2ff, values, &vlen);
    idt_evidence_options o2 = IDT_EVIDENCE_OPTIONS_INIT;
    o2.tpm_pcrs = values, o2.tpm_pcrs_len = vlen;
    ev = parse_ok(msg, mlen, &o2);
    assert_null(idt_evidence_binding_field(ev));
    assert_status(run_checks(ev, c, &n), IDT_EMISMATCH, NULL);
    assert_int_equal(find_check(c, n, "PCR 8 in the signed selection")->status,
                     IDT_EVIDENCE_CHECK_FAIL);
    idt_doc *doc = kata();
    idt_verify_result r;
    assert_status(idt_verify_binding(&r, ev, doc, IDT_RULES_TRUSTEE, &err), IDT_EFORMAT, &err);
    /* the values were given: no hint to give them */
    assert_string_equal(err.message, "the evidence has no Init-Data field: the TPM quote's PCR "
                                     "values hold no PCR 8 of the sha256 bank");
    assert_int_equal(err.hint, IDT_HINT_NONE);
    idt_evidence_free(ev);
    idt_doc_free(doc);

    /* not a quote: an attestation of another type */
    put_be(msg + 4, 0x8014, 2);
    assert_status(idt_evidence_parse(&ev, msg, mlen, NULL, &err), IDT_EUNSUPPORTED, &err);
}

/* --- JSON --------------------------------------------------------------------- */

static void test_json(void **state)
{
    (void)state;
    idt_evidence *ev;
    idt_error err = { 0 };
    static const char syntax[] = "{\"a\": 1,\n \"b\": }";
    assert_status(idt_evidence_parse(&ev, syntax, sizeof syntax - 1, NULL, &err),
                  IDT_ESYNTAX, &err);
    assert_int_equal(err.line, 2);
    static const char unknown[] = "{\"foo\": 1, \"bar\": 2}";
    assert_status(idt_evidence_parse(&ev, unknown, sizeof unknown - 1, NULL, &err),
                  IDT_EFORMAT, &err);
    assert_non_null(strstr(err.message, "\"foo\", \"bar\""));
    static const char dup[] = "{\"quote\": \"AA==\", \"quote\": \"AA==\"}";
    assert_status(idt_evidence_parse(&ev, dup, sizeof dup - 1, NULL, &err), IDT_ESYNTAX, &err);
    /* a TPM evidence JSON whose message is cut short */
    static const char pcr[] =
        "{\"ak_public\": \"AA==\", \"tpm_quote\": {\"message\": \"/1RDRw==\", "
        "\"signature\": \"AA==\", \"pcrs\": [\"00\"]}}";
    assert_status(idt_evidence_parse(&ev, pcr, sizeof pcr - 1, NULL, &err), IDT_ETRUNC, &err);
    /* SNP JSON with a host_data of the wrong length */
    static const char snp[] = "{\"attestation_report\": {\"version\": 2, \"host_data\": [1]}}";
    assert_status(idt_evidence_parse(&ev, snp, sizeof snp - 1, NULL, &err), IDT_EFORMAT, &err);
    assert_non_null(strstr(err.message, "attestation_report."));
}

/* --- verify and diagnose ---------------------------------------------------- */

typedef struct found {
    idt_diagnosis d[8];
    int n;
} found;

static int collect(const idt_diagnosis *d, void *payload)
{
    found *f = payload;
    if (f->n < 8)
        f->d[f->n] = *d;
    f->n++;
    return 0;
}

static void result_for(idt_verify_result *r, idt_platform p, const uint8_t *found_value,
                       size_t len)
{
    memset(r, 0, sizeof *r);
    r->outcome = IDT_VERIFY_MISMATCH;
    r->platform = p;
    r->rules = IDT_RULES_TRUSTEE;
    memcpy(r->found, found_value, len);
    r->found_len = len;
}

static void test_diagnose(void **state)
{
    (void)state;
    idt_verify_result r;
    found f = { 0 };
    uint8_t v[64] = { 0 };
    const size_t dl = sizeof kata_doc - 1;

    /* TDX holds sha384 of the document, which says sha256 */
    unhex(v, KATA_SHA384);
    result_for(&r, IDT_PLATFORM_TDX, v, 48);
    assert_int_equal(idt_verify_diagnose(&r, kata_doc, dl, IDT_DIGEST_SHA256, collect, &f, NULL),
                     1);
    assert_int_equal(f.d[0].placement, IDT_DIAG_FIT);
    assert_int_equal(f.d[0].alg, IDT_DIGEST_SHA384);
    assert_int_equal(f.d[0].text, IDT_DIAG_TEXT_AS_IS);
    assert_non_null(strstr(f.d[0].message, "sha384 digest of this document; the document now "
                                           "says sha256"));
    assert_int_equal(f.d[0].hint, IDT_HINT_NONE);

    /* CCA under Trustee's rules holds the zero-padded sha256 digest: kata's
     * rules would match, and the hint says so without naming a flag */
    f.n = 0;
    memset(v, 0, sizeof v);
    unhex(v, KATA_SHA256);
    result_for(&r, IDT_PLATFORM_CCA, v, 64);
    assert_int_equal(idt_verify_diagnose(&r, kata_doc, dl, IDT_DIGEST_SHA256, collect, &f, NULL),
                     1);
    assert_int_equal(f.d[0].placement, IDT_DIAG_FIT);
    assert_non_null(strstr(f.d[0].message, "CCA verifies only sha512 documents; kata's rules "
                                           "give MATCH"));
    assert_false(idt_test_names_flag(f.d[0].message));
    assert_int_equal(f.d[0].hint, IDT_HINT_VERIFY_RULES_KATA);
    unhex(v, KATA_SHA384);

    /* SNP holds its 32 bytes: the sha384 digest truncated */
    f.n = 0;
    result_for(&r, IDT_PLATFORM_SNP, v, 32);
    assert_int_equal(idt_verify_diagnose(&r, kata_doc, dl, IDT_DIGEST_SHA256, collect, &f, NULL),
                     1);
    assert_non_null(strstr(f.d[0].message, "truncated"));

    /* all zeros */
    f.n = 0;
    memset(v, 0, sizeof v);
    result_for(&r, IDT_PLATFORM_SNP, v, 32);
    assert_int_equal(idt_verify_diagnose(&r, kata_doc, dl, IDT_DIGEST_SHA256, collect, &f, NULL),
                     1);
    assert_int_equal(f.d[0].placement, IDT_DIAG_ZEROS);
    assert_non_null(strstr(f.d[0].message, "launched without Init-Data"));

    /* vTPM: one extend with the first 32 bytes of sha384 (peer pods) */
    uint8_t d384[48], pcr[32];
    unhex(d384, KATA_SHA384);
    uint8_t in[64] = { 0 };
    memcpy(in + 32, d384, 32);
    unsigned hn;
    EVP_Digest(in, 64, pcr, &hn, EVP_sha256(), NULL);
    f.n = 0;
    result_for(&r, IDT_PLATFORM_VTPM, pcr, 32);
    assert_int_equal(idt_verify_diagnose(&r, kata_doc, dl, IDT_DIGEST_SHA256, collect, &f, NULL),
                     1);
    assert_int_equal(f.d[0].placement, IDT_DIAG_PCR_PEERPODS);
    assert_non_null(strstr(f.d[0].message, "cloud-api-adaptor"));

    /* the document launched with CRLF line ends and no final newline */
    char crlf[512];
    size_t cl = 0;
    for (size_t i = 0; i < dl - 1; i++) {
        if (kata_doc[i] == '\n')
            crlf[cl++] = '\r';
        crlf[cl++] = kata_doc[i];
    }
    EVP_Digest(crlf, cl, v, &hn, EVP_sha256(), NULL);
    f.n = 0;
    result_for(&r, IDT_PLATFORM_TDX, v, 48);
    assert_int_equal(idt_verify_diagnose(&r, kata_doc, dl, IDT_DIGEST_SHA256, collect, &f, NULL),
                     1);
    assert_int_equal(f.d[0].text, IDT_DIAG_TEXT_TO_CRLF | IDT_DIAG_TEXT_STRIP_NEWLINE);

    /* the launched document said sha384; this one was edited to say sha256 */
    char edited[512];
    const char *at = strstr(kata_doc, "sha256");
    size_t pre = (size_t)(at - kata_doc);
    int el = snprintf(edited, sizeof edited, "%.*ssha384%s", (int)pre, kata_doc, at + 6);
    EVP_Digest(edited, (size_t)el, v, &hn, EVP_sha384(), NULL);
    f.n = 0;
    result_for(&r, IDT_PLATFORM_TDX, v, 48);
    assert_int_equal(idt_verify_diagnose(&r, kata_doc, dl, IDT_DIGEST_SHA256, collect, &f, NULL),
                     1);
    assert_int_equal(f.d[0].text, IDT_DIAG_TEXT_ALGORITHM);
    assert_int_equal(f.d[0].alg, IDT_DIGEST_SHA384);
    assert_non_null(strstr(f.d[0].message, "as it read with algorithm = \"sha384\""));

    /* nothing fits */
    memset(v, 0x77, sizeof v);
    result_for(&r, IDT_PLATFORM_TDX, v, 48);
    assert_int_equal(idt_verify_diagnose(&r, kata_doc, dl, IDT_DIGEST_SHA256, NULL, NULL, NULL), 0);
    assert_status(idt_verify_diagnose(NULL, kata_doc, dl, IDT_DIGEST_SHA256, NULL, NULL, NULL),
                  IDT_EINVAL, NULL);
}

/* vTPM with a sha384 document: no expected value, and the reason says so. */
static void test_verify_vtpm_sha384(void **state)
{
    (void)state;
    static const char doc384[] = "version = \"0.1.0\"\nalgorithm = \"sha384\"\n[data]\n";
    uint8_t msg[128], values[24 * 32];
    size_t vlen;
    size_t mlen = build_attest(msg, 0x100, values, &vlen);
    idt_evidence_options o = IDT_EVIDENCE_OPTIONS_INIT;
    o.tpm_pcrs = values, o.tpm_pcrs_len = vlen;
    idt_evidence *ev = parse_ok(msg, mlen, &o);
    idt_doc *doc = NULL;
    assert_status(idt_doc_parse(&doc, doc384, sizeof doc384 - 1, NULL, NULL), IDT_OK, NULL);
    idt_verify_result r;
    assert_status(idt_verify_binding(&r, ev, doc, IDT_RULES_TRUSTEE, NULL), IDT_OK, NULL);
    assert_int_equal(r.outcome, IDT_VERIFY_MISMATCH);
    assert_int_equal(r.expected_len, 0);
    assert_non_null(strstr(r.reason, "Trustee panics"));
    idt_doc_free(doc);
    idt_evidence_free(ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader),         cmocka_unit_test(test_names),
        cmocka_unit_test(test_tdx_v4),         cmocka_unit_test(test_tdx_v5),
        cmocka_unit_test(test_sgx_v3),         cmocka_unit_test(test_quote_prefixes),
        cmocka_unit_test(test_quote_errors),   cmocka_unit_test(test_snp),
        cmocka_unit_test(test_cca),            cmocka_unit_test(test_cbor_limits),
        cmocka_unit_test(test_tpm_quote),      cmocka_unit_test(test_json),
        cmocka_unit_test(test_diagnose),       cmocka_unit_test(test_verify_vtpm_sha384),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
