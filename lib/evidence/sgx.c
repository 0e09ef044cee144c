/*
 * SGX quote bodies: the 384-byte enclave report (DCAP quote v3 at byte 48,
 * so CONFIGID is at 240 and REPORT_DATA at 368; also v4 with TEE type 0 and
 * v5 body type 1).  The header and signature data are read by dcap.c.
 */
#include "evidence/evidence_int.h"

static const idt_evidence__layout sgx_body[] = {
    { "CPUSVN", 0, 16, IDT_FIELD_BYTES },
    { "MISCSELECT", 16, 4, IDT_FIELD_UINT },
    { "ISVEXTPRODID", 32, 16, IDT_FIELD_BYTES },
    { "ATTRIBUTES", 48, 16, IDT_FIELD_BYTES },
    { "MRENCLAVE", 64, 32, IDT_FIELD_BYTES },
    { "MRSIGNER", 128, 32, IDT_FIELD_BYTES },
    { "CONFIGID", IDTX_SGX_BODY_CONFIGID, IDTX_SGX_CONFIGID_LEN, IDT_FIELD_BYTES },
    { "ISVPRODID", 256, 2, IDT_FIELD_UINT },
    { "ISVSVN", 258, 2, IDT_FIELD_UINT },
    { "CONFIGSVN", 260, 2, IDT_FIELD_UINT },
    { "ISVFAMILYID", 304, 16, IDT_FIELD_BYTES },
    { "REPORT_DATA", IDTX_SGX_BODY_REPORT_DATA, IDTX_REPORT_DATA_LEN, IDT_FIELD_BYTES },
};

int idt_evidence__sgx_body(idt_evidence *ev, idt_evidence__rd *r, idt_error *err)
{
    const uint8_t *body;
    if (!idt_evidence__rd_bytes(r, IDTX_SGX_BODY_LEN, &body))
        return idt_evidence__truncated(err, r, IDTX_SGX_BODY_LEN, "SGX report body");
    return idt_evidence__add_layout(ev, sgx_body, sizeof sgx_body / sizeof sgx_body[0], body,
                              IDTX_SGX_BODY_LEN, "CONFIGID", "REPORT_DATA", err);
}
