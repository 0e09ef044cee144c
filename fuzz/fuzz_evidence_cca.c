/* fuzz_evidence_cca.c - CCA tokens: the CBOR walk that bounds depth and
 * counts before libcbor, both COSE_Sign1 tokens, the claims, and the realm
 * signature check.  Promises: evidence_fuzz.h. */
#include "evidence_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_evidence_as(data, size, IDT_TEE_CCA);
    return 0;
}
