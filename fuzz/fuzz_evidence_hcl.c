/* fuzz_evidence_hcl.c - Azure HCL reports, read directly (inside evidence
 * they come base64-encoded in JSON): header, request data, variable data
 * and its HCLAkPub JWK, and the SNP report or TDREPORT they carry.
 * Promises: a failure returns a status with a message; a success gives
 * fields within the input and variable data within the report. */
#include "evidence_fuzz.h"
#include "evidence/evidence_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idt_evidence *ev = calloc(1, sizeof *ev);
    idt_error err;
    if (!ev)
        return 0;
    idt_error_clear(&err);
    ev->binding = ev->report_data = -1;
    ev->input = data;
    ev->input_len = size;
    ev->opts.version = IDT_EVIDENCE_OPTIONS_VERSION;
    ev->tee = IDT_TEE_AZ_SNP_VTPM;
    int rc = idt_ev__parse_hcl(ev, data, size, &err);
    if (rc < 0) {
        CHECK(err.code == rc && err.message[0]);
    } else {
        CHECK(ev->hcl.present);
        CHECK(ev->hcl.var_data.p >= data &&
              ev->hcl.var_data.n <= size - (size_t)(ev->hcl.var_data.p - data));
        check_fields(ev, data, size);
        idt_evidence_check c[IDT_EVIDENCE_CHECKS_MAX];
        size_t n = 0;
        rc = idt_evidence_verify(c, IDT_EVIDENCE_CHECKS_MAX, &n, ev, &err);
        CHECK(rc == IDT_OK || rc == IDT_EMISMATCH);
    }
    idt_evidence_free(ev);
    return 0;
}
