/* SHA-256 of a concatenation: the TPM PCR extend (PCR := H(PCR || data))
 * that the vTPM binding, the guest's PCR 8 check and the evidence
 * diagnosis all compute, and the DCAP QE report's H(key || auth data). */
#ifndef IDT_UTIL_SHA256_H
#define IDT_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

/*
 * Writes SHA-256(a || b) (alen and blen bytes; either may be 0) into out.
 * Returns 0, or -1 when libcrypto fails, in which case the OpenSSL error
 * queue entries it made are cleared so they never surface in a later,
 * unrelated check.  The caller reports the failure.
 */
int idtx_sha256_concat(uint8_t out[32], const void *a, size_t alen, const void *b, size_t blen);

#endif
