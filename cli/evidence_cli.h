/* Helpers shared by the evidence and verify commands: the evidence file and
 * its side inputs (--tee, --vcek, --ak, --pcrs, --signature), and printing
 * fields and checks. */
#ifndef CLI_EVIDENCE_CLI_H
#define CLI_EVIDENCE_CLI_H

#include <stdio.h>
#include "opt.h"
#include "initdata/evidence.h"

/* The evidence and its side inputs, as given on the command line. */
typedef struct cli_evidence {
    const char *path, *tee, *vcek, *ak, *pcrs, *signature; /* option values */
    char *buf, *vcek_buf, *ak_buf, *pcrs_buf, *sig_buf;   /* file contents */
    size_t len, vcek_len, ak_len, pcrs_len, sig_len;
    idt_evidence *ev;
    idt_evidence_check checks[IDT_EVIDENCE_CHECKS_MAX];
    size_t nchecks;
    bool checks_failed;
} cli_evidence;

/* The option table entries for the side inputs (five entries). */
#define CLI_EVIDENCE_OPTS(ce)                                                    \
    { CLI_OPT_VALUE, "tee", 0, &(ce)->tee, "TEE",                                \
      "read the evidence as tdx, sgx, snp, cca, az-snp-vtpm, az-tdx-vtpm or tpm", \
      false },                                                                   \
    { CLI_OPT_VALUE, "vcek", 0, &(ce)->vcek, "FILE",                             \
      "SNP: the VCEK or VLEK certificate (PEM or DER) that checks the report",   \
      false },                                                                   \
    { CLI_OPT_VALUE, "ak", 0, &(ce)->ak, "FILE",                                 \
      "TPM quote: the AK public key (TPM2B_PUBLIC, PEM or DER)", false },        \
    { CLI_OPT_VALUE, "pcrs", 0, &(ce)->pcrs, "FILE",                             \
      "TPM quote: the PCR values (tpm2_quote -o, serialized or values)", false }, \
    { CLI_OPT_VALUE, "signature", 0, &(ce)->signature, "FILE",                   \
      "TPM quote: the signature (tpm2_quote -s)", false }

/* Checks the option values (cmd names the command in usage errors);
 * returns CLI_CONTINUE or 2. */
int cli_evidence_resolve(cli_evidence *ce, const char *cmd);

/* Reads the files, parses the evidence and runs its checks.  On failure
 * prints the error and returns the exit code; 0 on success. */
int cli_evidence_load(cli_evidence *ce);
void cli_evidence_dispose(cli_evidence *ce);

/* Writes n bytes as lowercase hex. */
void cli_hex(FILE *f, const uint8_t *p, size_t n);

/* "  pass  NAME: DETAIL" lines (prefix before each), then the one-line
 * note on certificate chains. */
void cli_evidence_print_checks(FILE *f, const cli_evidence *ce, const char *prefix);

/* The checks as a JSON array. */
void cli_evidence_checks_json(FILE *f, const cli_evidence *ce);

/* A check status as a word: "pass", "FAIL", "skip". */
const char *cli_check_word(idt_evidence_check_status st);

#endif
