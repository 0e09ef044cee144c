/*
 * Where the Init-Data binding fields and REPORT_DATA sit in the TEE
 * reports, for the guest module (which reads them from the device) and the
 * evidence module (which shows and checks them): one definition, so the two
 * cannot disagree.  Offsets are in bytes from the start of the structure
 * named, sizes in bytes; multi-byte integers in these structures are
 * little-endian.
 */
#ifndef IDT_UTIL_TEE_LAYOUT_H
#define IDT_UTIL_TEE_LAYOUT_H

/* REPORT_DATA is 64 bytes in every report below. */
#define IDTX_REPORT_DATA_LEN 64

/* AMD SEV-SNP ATTESTATION_REPORT (SEV-SNP firmware ABI, "ATTESTATION_REPORT
 * Structure"): signed with ECDSA P-384 / SHA-384 over bytes
 * [0, IDTX_SNP_SIGNED_LEN); r and s are little-endian, zero-padded to 72
 * bytes. */
#define IDTX_SNP_REPORT_LEN 1184
#define IDTX_SNP_REPORT_DATA 0x50
#define IDTX_SNP_HOST_DATA 0xc0
#define IDTX_SNP_HOST_DATA_LEN 32
#define IDTX_SNP_SIGNED_LEN 0x2a0
#define IDTX_SNP_SIG_R 0x2a0
#define IDTX_SNP_SIG_S 0x2e8
#define IDTX_SNP_SIG_LEN 72

/* /dev/sev-guest's SNP_GET_REPORT response (MSG_REPORT_RSP): u32 status,
 * u32 report size, 24 reserved bytes, then the report; 4000 bytes in all. */
#define IDTX_SNP_RESPONSE_LEN 4000
#define IDTX_SNP_RESPONSE_REPORT 32

/* Intel TDX TDREPORT_STRUCT (TDX module ABI): REPORTMACSTRUCT at 0 (its
 * REPORTTYPE.TYPE byte is 0x81 for TDX), TEE_TCB_INFO at 256, TDINFO at
 * 512.  Only MAC'ed, not signed; a TD quote carries the same fields in
 * its body. */
#define IDTX_TDREPORT_LEN 1024
#define IDTX_TDREPORT_TYPE 0 /* u8 */
#define IDTX_TDREPORT_TYPE_TDX 0x81
#define IDTX_TDREPORT_REPORT_DATA 128
#define IDTX_TDREPORT_MRTD 528
#define IDTX_TDREPORT_MRCONFIGID 576
#define IDTX_TDREPORT_RTMR0 720 /* RTMR0..3, 48 bytes each */
#define IDTX_TD_MR_LEN 48       /* MRTD, MRCONFIGID, RTMRs: SHA-384 */

/* The TD report body of a DCAP quote (TD 1.0; TD 1.5 appends
 * TEE_TCB_SVN2 and MRSERVICETD). */
#define IDTX_TD10_BODY_LEN 584
#define IDTX_TD15_BODY_LEN 648
#define IDTX_TD_BODY_MRCONFIGID 184
#define IDTX_TD_BODY_REPORT_DATA 520

/* The SGX enclave report body of a DCAP quote (SGX REPORTBODY). */
#define IDTX_SGX_BODY_LEN 384
#define IDTX_SGX_BODY_CONFIGID 192
#define IDTX_SGX_CONFIGID_LEN 64
#define IDTX_SGX_BODY_REPORT_DATA 320

#endif
