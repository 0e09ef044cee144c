/* Algorithms, digests and their text forms (initdata/digest.h). */
#include "initdata/digest.h"
#include "digest/digest_int.h"
#include "util/base64.h"
#include "util/error_int.h"
#include "util/hex.h"
#include "util/keyword.h"
#include "util/quote.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

typedef struct alg_info {
    idt_digest_alg alg;
    const char *name;     /* as a document spells it */
    const char *evp_name; /* as OpenSSL names it */
    size_t size;
} alg_info;

static const alg_info algs[] = {
    { IDT_DIGEST_SHA256, "sha256", "SHA256", 32 },
    { IDT_DIGEST_SHA384, "sha384", "SHA384", 48 },
    { IDT_DIGEST_SHA512, "sha512", "SHA512", 64 },
    { IDT_DIGEST_SM3, "sm3", "SM3", 32 },
};

static const alg_info *find_alg(idt_digest_alg alg)
{
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
        if (algs[i].alg == alg)
            return &algs[i];
    return NULL;
}

const char *idt_digest_alg_name(idt_digest_alg alg)
{
    const alg_info *a = find_alg(alg);
    return a ? a->name : NULL;
}

size_t idt_digest_alg_size(idt_digest_alg alg)
{
    const alg_info *a = find_alg(alg);
    return a ? a->size : 0;
}

int idt_digest_alg_parse(idt_digest_alg *out, const char *name, size_t len, idt_error *err)
{
    if (!out || (!name && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "no algorithm name given");
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
        if (strlen(algs[i].name) == len && memcmp(algs[i].name, name, len) == 0) {
            *out = algs[i].alg;
            return IDT_OK;
        }
    char q[IDTX_QUOTE_MAX];
    return idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                          "algorithm %s is not supported (kata, attestation-agent and "
                          "Trustee accept sha256, sha384, sha512)",
                          idtx_quote(q, name ? name : "", len));
}

int idt_digest_compute(idt_digest *out, idt_digest_alg alg, const void *data, size_t len,
                       idt_error *err)
{
    const alg_info *a = find_alg(alg);
    if (!out || !a || (!data && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_digest_compute");
    /* Fetching by name finds SM3 wherever a provider offers it, and reports
     * its absence instead of failing later. */
    EVP_MD *md = EVP_MD_fetch(NULL, a->evp_name, NULL);
    if (!md) {
        ERR_clear_error();
        return idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                              "%s is not available in this OpenSSL (no loaded provider "
                              "implements it)", a->name);
    }
    memset(out, 0, sizeof *out);
    unsigned int n = 0;
    int ok = EVP_Digest(len ? data : "", len, out->bytes, &n, md, NULL);
    EVP_MD_free(md);
    if (!ok || n != a->size) {
        ERR_clear_error();
        return idtx_error_set(err, IDT_ERROR, NULL, "libcrypto failed to compute %s", a->name);
    }
    out->alg = alg;
    out->len = n;
    return IDT_OK;
}

int idt_digest__encode(char *buf, size_t cap, const uint8_t *bytes, size_t n,
                       idt_encoding enc, idt_error *err)
{
    /* n is at most IDT_BINDING_MAX, so neither length can overflow. */
    size_t need = enc == IDT_ENCODING_HEX ? 2 * n : idtx_base64_encoded_len(n);
    if (need >= cap)
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "a buffer of %zu bytes cannot hold %zu characters", cap, need);
    if (enc == IDT_ENCODING_BASE64)
        return (int)idtx_base64_encode(buf, bytes, n);
    return (int)idtx_hex_encode(buf, bytes, n);
}

int idt_digest_format(char *buf, size_t cap, const idt_digest *d, idt_encoding enc,
                      idt_error *err)
{
    if (!buf || !d || d->len > IDT_DIGEST_MAX ||
        (enc != IDT_ENCODING_HEX && enc != IDT_ENCODING_BASE64))
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "a digest is written as hex or base64 only");
    return idt_digest__encode(buf, cap, d->bytes, d->len, enc, err);
}

static const idtx_keyword encodings[] = {
    { "hex", IDT_ENCODING_HEX },
    { "base64", IDT_ENCODING_BASE64 },
    { "qemu", IDT_ENCODING_QEMU },
};

IDTX_KEYWORD_FUNCS(idt_encoding, idt_encoding, encodings, "encoding")
