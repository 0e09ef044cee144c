/* fuzz_evidence_snp.c - SNP attestation reports: the binary form, and the
 * same bytes as Trustee's SNP JSON when they are JSON; detection included.
 * Promises: evidence_fuzz.h. */
#include "evidence_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_evidence_as(data, size, IDT_TEE_SNP);
    fuzz_evidence(data, size, NULL);
    return 0;
}
