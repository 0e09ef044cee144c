/* SHA-256 of a concatenation (sha256.h), by libcrypto. */
#include "util/sha256.h"

#include <openssl/err.h>
#include <openssl/evp.h>

int idtx_sha256_concat(uint8_t out[32], const void *a, size_t alen, const void *b, size_t blen)
{
    unsigned int n = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(ctx, a, alen) == 1 && EVP_DigestUpdate(ctx, b, blen) == 1 &&
             EVP_DigestFinal_ex(ctx, out, &n) == 1 && n == 32;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}
