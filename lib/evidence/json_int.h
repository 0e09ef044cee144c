/* JSON evidence helpers (jansson), shared by vtpm.c, hcl.c and snp.c. */
#ifndef IDT_EVIDENCE_JSON_INT_H
#define IDT_EVIDENCE_JSON_INT_H

#include "evidence/evidence_int.h"

#include <jansson.h>

/* How a byte string may be written in JSON (bits). */
enum {
    IDT_EVIDENCE__JSON_ARRAY = 1u << 0,  /* [1, 2, 3] (serde's Vec<u8>) */
    IDT_EVIDENCE__JSON_HEX = 1u << 1,    /* "0a1b" */
    IDT_EVIDENCE__JSON_BASE64 = 1u << 2, /* standard or URL-safe alphabet, padding optional */
    IDT_EVIDENCE__JSON_PEM = 1u << 3     /* text starting with "-----BEGIN", kept as is */
};

/* Parses n bytes of JSON (duplicate keys rejected); the root must be an
 * object.  Errors carry the line and column. */
int idt_evidence__json_load(json_t **out, const uint8_t *p, size_t n, idt_error *err);

/*
 * Decodes the byte string v (written in one of the accepted forms) into the
 * evidence's arena.  what names it in errors ("tpm_quote.message").
 * want_len, when not 0, is the length it must have.
 */
int idt_evidence__json_bytes(idt_evidence *ev, const json_t *v, unsigned accept, size_t want_len,
                       const char *what, idt_evidence__bytes *out, idt_error *err);

/* Same for member key of object obj (missing: IDT_EFORMAT). */
int idt_evidence__json_member(idt_evidence *ev, const json_t *obj, const char *key, unsigned accept,
                        size_t want_len, idt_evidence__bytes *out, idt_error *err);

/* Reads the sev crate's SNP evidence (attestation_report, cert_chain) and
 * rebuilds the 1184-byte report (snp.c). */
int idt_evidence__snp_from_json(idt_evidence *ev, const json_t *root, idt_error *err);

#endif /* IDT_EVIDENCE_JSON_INT_H */
