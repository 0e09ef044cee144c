/* Internals of the evidence module, shared by its files (not part of the
 * API).  One file per format fills the parts of struct idt_evidence that
 * its checks need; evidence.c owns the object and the field table. */
#ifndef IDT_EVIDENCE_INT_H
#define IDT_EVIDENCE_INT_H

#include "initdata/evidence.h"
#include "util/arena.h"
#include "util/error_int.h"
#include "util/tee_layout.h"
#include "evidence/reader.h"

#include <stdarg.h>
#include <stdio.h>

#define IDT_EVIDENCE__FIELDS_MAX 64
#define IDT_EVIDENCE__SUMMARY_MAX 200
#define IDT_EVIDENCE__PCRS 24        /* PCRs per bank */
#define IDT_EVIDENCE__PCR_BANKS 16   /* TPML_PCR_SELECTION's limit */
#define IDT_EVIDENCE__INITDATA_PCR 8

/* A byte string: a view into an input, or owned by the evidence's arena. */
typedef struct idt_evidence__bytes {
    const uint8_t *p;
    size_t n;
} idt_evidence__bytes;

/* A DCAP quote's signature data (tdx.c, sgx.c, dcap.c). */
typedef struct idt_evidence__dcap {
    bool present;
    unsigned version;
    idt_evidence__bytes signed_part; /* header and body: what the key signs */
    idt_evidence__bytes signature;   /* r || s, 32 bytes each, big-endian */
    idt_evidence__bytes key;         /* x || y, 32 bytes each, big-endian */
    bool has_qe;               /* certification data holds a QE report */
    idt_evidence__bytes qe_report;   /* 384 bytes */
    idt_evidence__bytes qe_auth;     /* QE authentication data */
    unsigned cert_type;        /* certification data type */
} idt_evidence__dcap;

/* An SNP report and the certificate that can check it (snp.c). */
typedef struct idt_evidence__snp {
    bool present;
    idt_evidence__bytes report;     /* 1184 bytes */
    idt_evidence__bytes cert;       /* VCEK/VLEK, PEM or DER; n == 0 if none */
    const char *cert_source;  /* where cert came from, for messages: "the
                                 caller", "the evidence's VCEK"... */
} idt_evidence__snp;

/* A CCA token's realm COSE_Sign1 (cca.c). */
typedef struct idt_evidence__cca {
    bool present;
    idt_evidence__bytes protected_hdr; /* the serialized protected header */
    idt_evidence__bytes payload;
    idt_evidence__bytes signature;
    idt_evidence__bytes rak;           /* realm public key (claim 44237) */
    int64_t alg;                 /* COSE algorithm of the realm token */
} idt_evidence__cca;

/* One PCR bank selected by a TPM quote. */
typedef struct idt_evidence__pcr_sel {
    uint16_t hash;      /* TPM_ALG_ID */
    uint32_t mask;      /* bit i = PCR i */
} idt_evidence__pcr_sel;

/* One PCR value supplied with a quote. */
typedef struct idt_evidence__pcr_value {
    uint16_t hash;
    uint8_t index;
    idt_evidence__bytes value;
} idt_evidence__pcr_value;

typedef enum idt_evidence__ak_kind {
    IDT_EVIDENCE__AK_NONE = 0,
    IDT_EVIDENCE__AK_SPKI,    /* PEM or DER SubjectPublicKeyInfo */
    IDT_EVIDENCE__AK_TPM2B,   /* TPM2B_PUBLIC */
    IDT_EVIDENCE__AK_RSA_JWK  /* modulus and exponent (Azure HCLAkPub) */
} idt_evidence__ak_kind;

/* A TPM quote and what checks it (tpm.c, vtpm.c). */
typedef struct idt_evidence__tpm {
    bool present;
    idt_evidence__bytes message;     /* TPMS_ATTEST */
    idt_evidence__bytes nonce;       /* extraData */
    idt_evidence__bytes pcr_digest;
    idt_evidence__pcr_sel sel[IDT_EVIDENCE__PCR_BANKS];
    size_t nsel;
    idt_evidence__bytes signature;   /* TPMT_SIGNATURE or a plain RSA signature */
    idt_evidence__ak_kind ak_kind;
    idt_evidence__bytes ak, ak_e;    /* key bytes; ak_e: RSA exponent (JWK) */
    const char *ak_source;     /* where the AK came from, for messages: "the
                                  caller", "the HCL report's HCLAkPub"... */
    idt_evidence__pcr_value pcrs[IDT_EVIDENCE__PCR_BANKS * IDT_EVIDENCE__PCRS];
    size_t npcrs;
    bool has_pcrs;
} idt_evidence__tpm;

/* An Azure HCL report (hcl.c). */
typedef struct idt_evidence__hcl {
    bool present;
    uint32_t report_type;      /* 2 SNP, 4 TDX */
    idt_evidence__bytes var_data;    /* the runtime data the hardware report binds */
    idt_evidence__bytes hw_report;   /* SNP report or TDREPORT */
} idt_evidence__hcl;

struct idt_evidence {
    idt_tee tee;
    idt_evidence_format format;
    char summary[IDT_EVIDENCE__SUMMARY_MAX];
    idt_evidence_field fields[IDT_EVIDENCE__FIELDS_MAX];
    size_t nfields;
    int binding;      /* index into fields, -1 for none */
    int report_data;  /* index into fields, -1 for none */
    const char *group; /* the group new fields join (nested parts) */
    const uint8_t *input; /* the buffer being read, for field offsets */
    size_t input_len;
    idtx_arena arena; /* values decoded from text */
    idt_evidence_options opts;
    idt_evidence__dcap dcap;
    idt_evidence__snp snp;
    idt_evidence__cca cca;
    idt_evidence__tpm tpm;
    idt_evidence__hcl hcl;
};

/* --- fields (evidence.c) ------------------------------------------------ */

/* Adds a BYTES field (a view; its offset is computed when p lies in
 * ev->input).  Returns the field index, or IDT_ELIMIT. */
int idt_evidence__add_bytes(idt_evidence *ev, const char *name, const uint8_t *p, size_t n,
                      idt_error *err);
int idt_evidence__add_uint(idt_evidence *ev, const char *name, uint64_t v, const uint8_t *at,
                     idt_error *err);
int idt_evidence__add_text(idt_evidence *ev, const char *name, const char *s, size_t n,
                     idt_error *err);
/* Marks field i as the binding / report-data field. */
void idt_evidence__set_binding(idt_evidence *ev, int i);
void idt_evidence__set_report_data(idt_evidence *ev, int i);
/* Appends to ev->summary. */
void idt_evidence__summary(idt_evidence *ev, const char *fmt, ...) IDTX_PRINTF(2, 3);
/* Copies n bytes into the arena (n may be 0). */
const uint8_t *idt_evidence__keep(idt_evidence *ev, const void *p, size_t n, idt_error *err);

/* Fails with IDT_ETRUNC at r's position: "the input ends inside WHAT". */
int idt_evidence__truncated(idt_error *err, const idt_evidence__rd *r, size_t need,
                            const char *what);

/* --- checks ------------------------------------------------------------- */

typedef struct idt_evidence__checks {
    idt_evidence_check *out;
    size_t cap;
    size_t n;
    int first_fail; /* index of the first failed check, -1 */
    int status;     /* IDT_OK, or a libcrypto/alloc failure */
    idt_error *err;
} idt_evidence__checks;

void idt_evidence__check_add(idt_evidence__checks *c, const char *name,
                             idt_evidence_check_status st, const char *fmt, ...) IDTX_PRINTF(4, 5);
/* Gives the check just added the input that would let it run. */
void idt_evidence__check_hint(idt_evidence__checks *c, idt_hint hint);

/* --- formats -------------------------------------------------------------- */

/* What a buffer looks like (detect.c). */
typedef enum idt_evidence__kind {
    IDT_EVIDENCE__KIND_UNKNOWN = 0,
    IDT_EVIDENCE__KIND_DCAP,
    IDT_EVIDENCE__KIND_SNP,
    IDT_EVIDENCE__KIND_CCA,
    IDT_EVIDENCE__KIND_TPM_ATTEST,
    IDT_EVIDENCE__KIND_HCL,
    IDT_EVIDENCE__KIND_JSON
} idt_evidence__kind;

idt_evidence__kind idt_evidence__sniff(const uint8_t *p, size_t n);
/* Names what a buffer looks like, for messages ("a TDX quote v4"). */
const char *idt_evidence__sniff_name(const uint8_t *p, size_t n);

/* Each reads p[0..n) into ev (fields, summary, check data). */
int idt_evidence__parse_dcap(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err);
int idt_evidence__parse_snp(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err);
int idt_evidence__parse_cca(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err);
int idt_evidence__parse_tpm_attest(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err);
int idt_evidence__parse_json(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err);
/* Reads an Azure HCL report into ev->hcl and its hardware report's fields. */
int idt_evidence__parse_hcl(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err);
/* TPM side inputs: PCR values files and signatures (tpm.c). */
int idt_evidence__tpm_load_pcr_file(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err);
/* Adds NONCE, PCR_SELECTION and the PCR fields once the values are known. */
int idt_evidence__tpm_add_fields(idt_evidence *ev, idt_error *err);
/* Reads a TPMS_ATTEST (p[0..n) exactly) into ev->tpm (tpm.c). */
int idt_evidence__tpm_read_attest(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err);

/* The per-format checks; each appends to c. */
void idt_evidence__check_dcap(const idt_evidence *ev, idt_evidence__checks *c);
void idt_evidence__check_snp(const idt_evidence *ev, idt_evidence__checks *c);
void idt_evidence__check_cca(const idt_evidence *ev, idt_evidence__checks *c);
void idt_evidence__check_tpm(const idt_evidence *ev, idt_evidence__checks *c);
void idt_evidence__check_hcl(const idt_evidence *ev, idt_evidence__checks *c);

/* Reads a DCAP quote's body at r into fields: tdx.c (TD 1.0 and 1.5
 * bodies, body_len 584 or 648) and sgx.c (the 384-byte enclave report). */
int idt_evidence__tdx_body(idt_evidence *ev, idt_evidence__rd *r, size_t body_len, idt_error *err);
int idt_evidence__sgx_body(idt_evidence *ev, idt_evidence__rd *r, idt_error *err);

/* A table entry for fixed-layout bodies: name, offset, size; UINT fields
 * are little-endian integers of size bytes. */
typedef struct idt_evidence__layout {
    const char *name;
    size_t offset, size;
    idt_field_kind kind;
} idt_evidence__layout;

/* Adds the fields of a fixed layout read from body (body_len bytes);
 * returns the index of the field named binding and report_data through
 * the out parameters (-1 when absent). */
int idt_evidence__add_layout(idt_evidence *ev, const idt_evidence__layout *l, size_t count,
                       const uint8_t *body, size_t body_len, const char *binding,
                       const char *report_data, idt_error *err);

#endif /* IDT_EVIDENCE_INT_H */
