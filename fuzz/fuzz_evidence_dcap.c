/* fuzz_evidence_dcap.c - Intel DCAP quotes (TDX v4/v5, SGX v3): header,
 * body, signature data and certification data, with the quote signature
 * and QE checks, read as TDX and as SGX.  Promises: evidence_fuzz.h. */
#include "evidence_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_evidence_as(data, size, IDT_TEE_TDX);
    fuzz_evidence_as(data, size, IDT_TEE_SGX);
    return 0;
}
