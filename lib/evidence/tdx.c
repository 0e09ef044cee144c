/*
 * TDX quote bodies (Intel TDX DCAP quote v4 and v5, body types 2 and 3).
 * Offsets are within the body, which starts at byte 48 of a v4 quote and
 * byte 54 of a v5 quote: MRCONFIGID is at 232 (v4) / 238 (v5), REPORT_DATA
 * at 568 / 574.  The header and signature data are read by dcap.c.
 */
#include "evidence/evidence_int.h"

/* The TD 1.0 body (584 bytes); TD 1.5 appends the last two. */
static const idt_evidence__layout td_body[] = {
    { "TEE_TCB_SVN", 0, 16, IDT_FIELD_BYTES },
    { "MRSEAM", 16, 48, IDT_FIELD_BYTES },
    { "MRSIGNERSEAM", 64, 48, IDT_FIELD_BYTES },
    { "SEAM_ATTRIBUTES", 112, 8, IDT_FIELD_BYTES },
    { "TD_ATTRIBUTES", 120, 8, IDT_FIELD_BYTES },
    { "XFAM", 128, 8, IDT_FIELD_BYTES },
    { "MRTD", 136, 48, IDT_FIELD_BYTES },
    { "MRCONFIGID", IDTX_TD_BODY_MRCONFIGID, IDTX_TD_MR_LEN, IDT_FIELD_BYTES },
    { "MROWNER", 232, 48, IDT_FIELD_BYTES },
    { "MROWNERCONFIG", 280, 48, IDT_FIELD_BYTES },
    { "RTMR0", 328, 48, IDT_FIELD_BYTES },
    { "RTMR1", 376, 48, IDT_FIELD_BYTES },
    { "RTMR2", 424, 48, IDT_FIELD_BYTES },
    { "RTMR3", 472, 48, IDT_FIELD_BYTES },
    { "REPORT_DATA", IDTX_TD_BODY_REPORT_DATA, IDTX_REPORT_DATA_LEN, IDT_FIELD_BYTES },
    { "TEE_TCB_SVN2", 584, 16, IDT_FIELD_BYTES },
    { "MRSERVICETD", 600, 48, IDT_FIELD_BYTES },
};

#define TD10_FIELDS 15
#define TD15_FIELDS (sizeof td_body / sizeof td_body[0])

int idt_evidence__tdx_body(idt_evidence *ev, idt_evidence__rd *r, size_t body_len, idt_error *err)
{
    const uint8_t *body;
    if (!idt_evidence__rd_bytes(r, body_len, &body))
        return idt_evidence__truncated(err, r, body_len, "TD report body");
    size_t count = body_len == IDTX_TD15_BODY_LEN ? TD15_FIELDS : TD10_FIELDS;
    return idt_evidence__add_layout(ev, td_body, count, body, body_len, "MRCONFIGID", "REPORT_DATA",
                              err);
}
