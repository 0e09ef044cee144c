/* OpenSSL helpers for the evidence checks (crypto.h). */
#include "evidence/crypto.h"

#include <limits.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

/* OpenSSL's name of a NIST curve. */
static const char *curve_group(const char *curve, size_t *coord)
{
    if (!strcmp(curve, "P-256")) {
        *coord = 32;
        return "prime256v1";
    }
    if (!strcmp(curve, "P-384")) {
        *coord = 48;
        return "secp384r1";
    }
    if (!strcmp(curve, "P-521")) {
        *coord = 66;
        return "secp521r1";
    }
    return NULL;
}

/* Builds a public key from parameters; NULL on failure. */
static EVP_PKEY *key_from_params(const char *type, OSSL_PARAM *params)
{
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
        key = NULL;
    EVP_PKEY_CTX_free(ctx);
    return key;
}

/* fromdata does not check that the point lies on the curve. */
static bool ec_key_valid(EVP_PKEY *key)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    bool ok = ctx && EVP_PKEY_public_check(ctx) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

EVP_PKEY *idt_evidence__key_ec(const char *curve, const uint8_t *point, size_t len)
{
    size_t coord = 0;
    const char *group = curve_group(curve, &coord);
    uint8_t buf[1 + 2 * 66];
    if (!group)
        return NULL;
    if (len == 2 * coord) {
        buf[0] = 0x04;
        memcpy(buf + 1, point, len);
    } else if (len == 2 * coord + 1 && point[0] == 0x04) {
        memcpy(buf, point, len);
    } else {
        return NULL;
    }
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, buf, 2 * coord + 1),
        OSSL_PARAM_construct_end(),
    };
    EVP_PKEY *key = key_from_params("EC", params);
    if (key && !ec_key_valid(key)) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    ERR_clear_error();
    return key;
}

EVP_PKEY *idt_evidence__key_rsa(const uint8_t *n, size_t nlen, const uint8_t *e, size_t elen)
{
    EVP_PKEY *key = NULL;
    if (nlen > INT_MAX || elen > INT_MAX)
        return NULL;
    BIGNUM *bn_n = BN_bin2bn(n, (int)nlen, NULL);
    BIGNUM *bn_e = BN_bin2bn(e, (int)elen, NULL);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    if (bn_n && bn_e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) &&
        (params = OSSL_PARAM_BLD_to_param(bld)) != NULL)
        key = key_from_params("RSA", params);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    ERR_clear_error();
    return key;
}

static bool looks_pem(const uint8_t *p, size_t len)
{
    static const char tag[] = "-----BEGIN ";
    for (size_t i = 0; i + sizeof tag - 1 <= len && i < 4096; i++)
        if (!memcmp(p + i, tag, sizeof tag - 1))
            return true;
    return false;
}

/* Reads one PEM or DER object with the matching pair of OpenSSL readers. */
static void *read_pem_or_der(const uint8_t *p, size_t len,
                             void *(*pem)(BIO *), void *(*der)(const unsigned char **, long))
{
    void *obj = NULL;
    if (len > INT_MAX)
        return NULL;
    if (looks_pem(p, len)) {
        BIO *bio = BIO_new_mem_buf(p, (int)len);
        if (bio)
            obj = pem(bio);
        BIO_free(bio);
    } else {
        const unsigned char *q = p;
        obj = der(&q, (long)len);
    }
    ERR_clear_error();
    return obj;
}

static void *pem_pubkey(BIO *b) { return PEM_read_bio_PUBKEY(b, NULL, NULL, NULL); }
static void *der_pubkey(const unsigned char **q, long n) { return d2i_PUBKEY(NULL, q, n); }
static void *pem_x509(BIO *b) { return PEM_read_bio_X509(b, NULL, NULL, NULL); }
static void *der_x509(const unsigned char **q, long n) { return d2i_X509(NULL, q, n); }

EVP_PKEY *idt_evidence__key_spki(const uint8_t *p, size_t len)
{
    return read_pem_or_der(p, len, pem_pubkey, der_pubkey);
}

EVP_PKEY *idt_evidence__key_cert(const uint8_t *p, size_t len)
{
    X509 *cert = read_pem_or_der(p, len, pem_x509, der_x509);
    EVP_PKEY *key = cert ? X509_get_pubkey(cert) : NULL;
    X509_free(cert);
    return key;
}

const char *idt_evidence__key_desc(EVP_PKEY *k, char *buf, size_t cap)
{
    char group[64] = "";
    size_t glen = 0;
    if (EVP_PKEY_is_a(k, "RSA")) {
        snprintf(buf, cap, "RSA %d", EVP_PKEY_get_bits(k));
    } else if (EVP_PKEY_is_a(k, "EC") &&
               EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                              sizeof group, &glen) == 1) {
        const char *nist = !strcmp(group, "prime256v1")  ? "P-256"
                           : !strcmp(group, "secp384r1") ? "P-384"
                           : !strcmp(group, "secp521r1") ? "P-521"
                                                         : group;
        snprintf(buf, cap, "EC %s", nist);
    } else {
        snprintf(buf, cap, "%s", EVP_PKEY_get0_type_name(k) ? EVP_PKEY_get0_type_name(k) : "?");
    }
    ERR_clear_error();
    return buf;
}

int idt_evidence__verify_sig(EVP_PKEY *key, const EVP_MD *md, bool pss, const uint8_t *sig,
                       size_t siglen, const void *msg, size_t len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int ok = ctx && EVP_DigestVerifyInit(ctx, &pctx, md, NULL, key) == 1;
    if (ok && EVP_PKEY_is_a(key, "RSA"))
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, pss ? RSA_PKCS1_PSS_PADDING
                                                    : RSA_PKCS1_PADDING) == 1 &&
             (!pss || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) == 1);
    ok = ok && EVP_DigestVerify(ctx, sig, siglen, msg, len) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

int idt_evidence__verify_rs(EVP_PKEY *key, const EVP_MD *md, const uint8_t *r, const uint8_t *s,
                      size_t n, bool le, const void *msg, size_t len)
{
    int ok = 0;
    unsigned char *der = NULL;
    if (n > INT_MAX)
        return 0;
    BIGNUM *br = le ? BN_lebin2bn(r, (int)n, NULL) : BN_bin2bn(r, (int)n, NULL);
    BIGNUM *bs = le ? BN_lebin2bn(s, (int)n, NULL) : BN_bin2bn(s, (int)n, NULL);
    ECDSA_SIG *sig = ECDSA_SIG_new();
    if (br && bs && sig && ECDSA_SIG_set0(sig, br, bs) == 1) {
        br = bs = NULL; /* owned by sig now */
        int dlen = i2d_ECDSA_SIG(sig, &der);
        if (dlen > 0)
            ok = idt_evidence__verify_sig(key, md, false, der, (size_t)dlen, msg, len);
    }
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    BN_free(br);
    BN_free(bs);
    ERR_clear_error();
    return ok;
}

int idt_evidence__sha256(uint8_t out[32], const void *p, size_t len)
{
    unsigned int n = 0;
    int ok = EVP_Digest(p, len, out, &n, EVP_sha256(), NULL) == 1 && n == 32;
    ERR_clear_error();
    return ok ? 0 : -1;
}
