/* The evidence module's OpenSSL helpers: keys from the shapes evidence
 * carries them in, and signature checks over raw r||s, little-endian SNP
 * signatures, DER ECDSA and RSA.  Every function clears the OpenSSL error
 * queue it leaves behind, so a failed check never leaks into a later one. */
#ifndef IDT_EVIDENCE_CRYPTO_H
#define IDT_EVIDENCE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* An EC public key on the named curve ("P-256", "P-384") from x || y
 * (2 * n bytes, big-endian) or from an uncompressed point (0x04 || x || y).
 * NULL when the point is not on the curve or memory runs out. */
EVP_PKEY *idt_evidence__key_ec(const char *curve, const uint8_t *point, size_t len);

/* An RSA public key from its big-endian modulus and exponent. */
EVP_PKEY *idt_evidence__key_rsa(const uint8_t *n, size_t nlen, const uint8_t *e, size_t elen);

/* A public key from a SubjectPublicKeyInfo, PEM or DER. */
EVP_PKEY *idt_evidence__key_spki(const uint8_t *p, size_t len);

/* The public key of an X.509 certificate, PEM or DER. */
EVP_PKEY *idt_evidence__key_cert(const uint8_t *p, size_t len);

/* Describes a key: "RSA 2048", "EC P-384"; writes into buf. */
const char *idt_evidence__key_desc(EVP_PKEY *k, char *buf, size_t cap);

/*
 * Checks an ECDSA signature given as r and s (n bytes each, big-endian, or
 * little-endian when le is set: AMD's layout) over msg with md.
 * Returns 1 when valid, 0 when not.
 */
int idt_evidence__verify_rs(EVP_PKEY *key, const EVP_MD *md, const uint8_t *r, const uint8_t *s,
                      size_t n, bool le, const void *msg, size_t len);

/* Checks a signature in the key's own encoding (DER ECDSA, PKCS#1 v1.5 RSA,
 * or RSA-PSS when pss is set).  Returns 1 when valid, 0 when not. */
int idt_evidence__verify_sig(EVP_PKEY *key, const EVP_MD *md, bool pss, const uint8_t *sig,
                       size_t siglen, const void *msg, size_t len);

/* The SHA-256 of len bytes (OpenSSL).  Returns 0, or -1 on failure. */
int idt_evidence__sha256(uint8_t out[32], const void *p, size_t len);

#endif /* IDT_EVIDENCE_CRYPTO_H */
