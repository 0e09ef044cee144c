/* fuzz_evidence_json.c - Trustee's evidence JSON: the az-snp-vtpm,
 * az-tdx-vtpm and tpm shapes (with the HCL report, TD quote and TPM quote
 * inside), the SNP JSON rebuilt into a report, and the tdx/sgx/cca
 * wrappers.  Promises: evidence_fuzz.h. */
#include "evidence_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_evidence(data, size, NULL);
    return 0;
}
