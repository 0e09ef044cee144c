/* initdata verify: does this evidence bind this Init-Data document, as
 * Trustee (or kata) checks it, and if not, why not? */
#include "cmd.h"
#include "diag.h"
#include "evidence_cli.h"
#include "hint.h"
#include "io.h"
#include "load.h"
#include "opt.h"
#include "initdata/doc.h"
#include "initdata/lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata verify --evidence FILE [OPTIONS] DOCUMENT|-",
    "Check that TEE evidence binds the Init-Data document DOCUMENT, the way\n"
    "Trustee does: the digest of the document's exact bytes with its own algorithm\n"
    "is compared with the evidence's field (TDX MRCONFIGID, SNP HOST_DATA, SGX\n"
    "CONFIGID padded or truncated to the field; the CCA personalization value as\n"
    "is; PCR 8 = SHA-256(32 zero bytes || digest) for the vTPM kinds).  With\n"
    "--rules kata, CCA pads the digest to 64 bytes as kata does.\n"
    "\n"
    "Prints MATCH or MISMATCH with the TEE, the field, the rule, the expected and\n"
    "found values, and the evidence's signature checks.  On a mismatch it looks\n"
    "for every explanation that fits: another algorithm, an edited algorithm line,\n"
    "a final newline added or removed, CRLF or LF line ends, another platform's\n"
    "padding, a vTPM extend rule, or an all-zero field (launched without\n"
    "Init-Data).  A TPM quote whose signed selection leaves out PCR 8 is REFUSED.\n"
    "Vendor certificate chains are not checked.\n"
    "\n"
    "With --claims, a MATCH also prints what Trustee exposes to resource policies,\n"
    "{\"init_data\": hex of the field, \"init_data_claims\": the data table as JSON},\n"
    "on stdout, and the report goes to stderr.\n"
    "\n"
    "Exit status: 0 on MATCH with no failed check; 1 on MISMATCH, REFUSED or a\n"
    "failed signature check.",
    "  $ initdata verify --evidence tdx_quote.dat initdata.toml\n"
    "  $ initdata verify --evidence az-snp-vtpm.json initdata.toml\n"
    "  $ initdata verify --evidence token.cbor --rules kata initdata.toml\n"
    "  $ initdata verify --claims --evidence tdx_quote.dat initdata.toml | jq .\n"
    "  $ initdata verify --evidence report.bin --vcek vcek.pem initdata.toml\n"
    "  $ initdata verify --evidence quote.msg --signature quote.sig --pcrs quote.pcrs \\\n"
    "        --ak ak.pub initdata.toml\n",
};

typedef struct verify_args {
    cli_evidence ce;
    const char *doc_path, *rules_name;
    idt_verify_rules rules;
    bool claims;
} verify_args;

static void print_hex_line(FILE *f, const char *label, const uint8_t *p, size_t n)
{
    fprintf(f, "%s", label);
    if (n)
        cli_hex(f, p, n);
    else
        fprintf(f, "(none)");
    fprintf(f, "\n");
}

static int on_diagnosis(const idt_diagnosis *d, void *payload)
{
    char line[CLI_HINTED_MAX];
    fprintf((FILE *)payload, "  - %s\n", cli_hinted(line, sizeof line, d->message, d->hint));
    return 0;
}

static const char *outcome_word(idt_verify_outcome o)
{
    return o == IDT_VERIFY_MATCH ? "MATCH" : o == IDT_VERIFY_REFUSED ? "REFUSED" : "MISMATCH";
}

/* Prints the report to f; returns a library status (diagnosis failures). */
static int report(FILE *f, const verify_args *a, const idt_verify_result *r, const char *doc,
                  size_t doc_len, idt_error *err)
{
    const idt_evidence *ev = a->ce.ev;
    fprintf(f, "%s\n", outcome_word(r->outcome));
    fprintf(f, "tee: %s (%s)\n", idt_tee_name(r->tee), idt_evidence_summary(ev));
    fprintf(f, "field: %s (%zu bytes)\n", r->field, r->found_len);
    fprintf(f, "rule: %s\n", r->rule);
    fprintf(f, "document: %s, %s\n", cli_input_name(a->doc_path),
            idt_digest_alg_name(r->digest.alg));
    print_hex_line(f, "expected: ", r->expected, r->expected_len);
    print_hex_line(f, "found:    ", r->found, r->found_len);
    if (r->reason[0])
        fprintf(f, "reason: %s\n", r->reason);
    cli_evidence_print_checks(f, &a->ce, "signature: ");
    if (r->outcome != IDT_VERIFY_MATCH) {
        fprintf(f, "diagnosis:\n");
        int n = idt_verify_diagnose(r, doc, doc_len, r->digest.alg, on_diagnosis, f, err);
        if (n < 0)
            return n;
        if (n == 0)
            fprintf(f, "  - no explanation fits: the evidence was made for another document "
                       "(any edit besides the algorithm, the final newline or the line ends "
                       "changes the digest completely)\n");
    }
    if (a->ce.checks_failed)
        fprintf(f, "FAIL: the evidence does not pass its own checks (see above), so its %s "
                   "value cannot be trusted\n",
                r->field);
    return IDT_OK;
}

/* --claims: what Trustee exposes to resource policies for a matching
 * document, {"init_data": hex of the field, "init_data_claims": {...}}. */
static int print_claims(const idt_verify_result *r, const idt_doc *doc, idt_error *err)
{
    char *claims = NULL;
    size_t len = 0;
    int rc = idt_lint_claims(&claims, &len, doc, 0, err);
    if (rc < 0)
        return rc;
    while (len && (claims[len - 1] == '\n' || claims[len - 1] == ' '))
        len--;
    printf("{\"init_data\":\"");
    cli_hex(stdout, r->found, r->found_len);
    printf("\",\"init_data_claims\":%.*s}\n", (int)len, claims);
    idt_free(claims);
    return IDT_OK;
}

static int run(verify_args *a)
{
    idt_error err = { 0 };
    char *src = NULL;
    size_t len = 0;
    idt_doc *doc = NULL;
    cli_load_options lo = CLI_LOAD_OPTIONS_INIT;
    idt_verify_result r;
    lo.doc.allow_sm3 = true; /* Trustee accepts sm3 documents */
    int rc = cli_evidence_load(&a->ce);
    if (rc != CLI_EXIT_OK)
        return rc;
    err.source = cli_input_name(a->doc_path);
    rc = cli_read_input(&src, &len, a->doc_path, lo.doc.max_size, &err);
    if (rc < 0)
        cli_diag_error(&err, NULL, 0);
    else /* the loader reports every failure */
        rc = cli_doc_load(&doc, err.source, src, len, &lo, NULL);
    if (rc < 0) {
        free(src);
        return cli_exit_code(rc);
    }
    err.source = NULL;
    rc = idt_verify_binding(&r, a->ce.ev, doc, a->rules, &err);
    /* With --claims, stdout carries only the JSON; the report goes to stderr. */
    if (rc >= 0)
        rc = report(a->claims ? stderr : stdout, a, &r, src, len, &err);
    bool matched = rc >= 0 && r.outcome == IDT_VERIFY_MATCH && !a->ce.checks_failed;
    if (matched && a->claims)
        rc = print_claims(&r, doc, &err);
    if (rc < 0)
        cli_diag_error(&err, NULL, 0);
    idt_doc_free(doc);
    free(src);
    if (rc < 0)
        return cli_exit_code(rc);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("initdata: error: cannot write to stdout\n", stderr);
        return CLI_EXIT_ENV;
    }
    return matched ? CLI_EXIT_OK : CLI_EXIT_INVALID;
}

int cmd_verify(int argc, char **argv)
{
    verify_args a;
    memset(&a, 0, sizeof a);
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "evidence", 'e', &a.ce.path, "FILE", "the TEE evidence (required)",
          false },
        { CLI_OPT_VALUE, "rules", 0, &a.rules_name, "RULES",
          "trustee (default) or kata (CCA: pad the digest to 64 bytes)", false },
        { CLI_OPT_SWITCH, "claims", 0, &a.claims, NULL,
          "on MATCH print Trustee's init_data claims JSON (report: stderr)",
          false },
        CLI_EVIDENCE_OPTS(&a.ce),
        { CLI_OPT_ARG, "document", 0, &a.doc_path, "DOCUMENT",
          "the Init-Data document ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("verify", opts, &help, argc, argv);
    if (rc == CLI_CONTINUE)
        rc = cli_evidence_resolve(&a.ce, "verify");
    if (rc != CLI_CONTINUE)
        return rc;
    if (!a.ce.path)
        return cli_usage_error("verify", "--evidence FILE is required");
    if (!strcmp(a.ce.path, "-") && !strcmp(a.doc_path, "-"))
        return cli_usage_error("verify", "the evidence and the document cannot both be stdin");
    a.rules = IDT_RULES_TRUSTEE;
    idt_error err = { 0 };
    if (a.rules_name &&
        idt_verify_rules_parse(&a.rules, a.rules_name, strlen(a.rules_name), &err) < 0)
        return cli_keyword_error("verify", "rules", &err);
    rc = run(&a);
    cli_evidence_dispose(&a.ce);
    return rc;
}
