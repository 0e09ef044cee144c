/* Evidence loading and printing shared by `evidence` and `verify`. */
#include "evidence_cli.h"
#include "cmd.h"
#include "diag.h"
#include "hint.h"
#include "io.h"
#include "json_out.h"
#include "util/error_int.h"

#include <stdlib.h>
#include <string.h>

/* Side inputs are small: certificates, keys, PCR files, signatures. */
#define SIDE_MAX (1024u * 1024)

int cli_evidence_resolve(cli_evidence *ce, const char *cmd)
{
    idt_tee tee;
    idt_error err = { 0 };
    if (ce->tee && idt_tee_parse(&tee, ce->tee, strlen(ce->tee), &err) < 0)
        return cli_keyword_error(cmd, "tee", &err);
    return CLI_CONTINUE;
}

/* Reads an optional side file; prints the error. */
static int read_side(const char *path, char **buf, size_t *len)
{
    idt_error err = { 0 };
    if (!path)
        return IDT_OK;
    err.source = cli_input_name(path);
    int rc = cli_read_input(buf, len, path, SIDE_MAX, &err);
    if (rc >= 0 && *len == 0)
        rc = idtx_error_set(&err, IDT_EFORMAT, NULL, "the file is empty");
    if (rc < 0)
        cli_diag_error(&err, NULL, 0);
    return rc;
}

int cli_evidence_load(cli_evidence *ce)
{
    idt_evidence_options o = IDT_EVIDENCE_OPTIONS_INIT;
    idt_error err = { 0 };
    int rc = read_side(ce->vcek, &ce->vcek_buf, &ce->vcek_len);
    if (rc >= 0)
        rc = read_side(ce->ak, &ce->ak_buf, &ce->ak_len);
    if (rc >= 0)
        rc = read_side(ce->pcrs, &ce->pcrs_buf, &ce->pcrs_len);
    if (rc >= 0)
        rc = read_side(ce->signature, &ce->sig_buf, &ce->sig_len);
    if (rc < 0)
        return cli_exit_code(rc);
    if (ce->tee)
        (void)idt_tee_parse(&o.tee, ce->tee, strlen(ce->tee), NULL);
    o.vcek = ce->vcek_buf;
    o.vcek_len = ce->vcek_len;
    o.ak = ce->ak_buf;
    o.ak_len = ce->ak_len;
    o.tpm_pcrs = ce->pcrs_buf;
    o.tpm_pcrs_len = ce->pcrs_len;
    o.tpm_signature = ce->sig_buf;
    o.tpm_signature_len = ce->sig_len;
    err.source = cli_input_name(ce->path);
    rc = cli_read_input(&ce->buf, &ce->len, ce->path, IDT_EVIDENCE_MAX_SIZE, &err);
    if (rc >= 0)
        rc = idt_evidence_parse(&ce->ev, ce->buf, ce->len, &o, &err);
    if (rc < 0) {
        cli_diag_error(&err, ce->buf, ce->len);
        return cli_exit_code(rc);
    }
    rc = idt_evidence_verify(ce->checks, IDT_EVIDENCE_CHECKS_MAX, &ce->nchecks, ce->ev, &err);
    if (rc == IDT_EMISMATCH) {
        ce->checks_failed = true;
    } else if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        return cli_exit_code(rc);
    }
    if (ce->nchecks > IDT_EVIDENCE_CHECKS_MAX)
        ce->nchecks = IDT_EVIDENCE_CHECKS_MAX;
    return CLI_EXIT_OK;
}

void cli_evidence_dispose(cli_evidence *ce)
{
    idt_evidence_free(ce->ev);
    free(ce->buf);
    free(ce->vcek_buf);
    free(ce->ak_buf);
    free(ce->pcrs_buf);
    free(ce->sig_buf);
    ce->ev = NULL;
    ce->buf = ce->vcek_buf = ce->ak_buf = ce->pcrs_buf = ce->sig_buf = NULL;
}

void cli_hex(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

const char *cli_check_word(idt_evidence_check_status st)
{
    return st == IDT_EVIDENCE_CHECK_PASS ? "pass" : st == IDT_EVIDENCE_CHECK_FAIL ? "FAIL" : "skip";
}

void cli_evidence_print_checks(FILE *f, const cli_evidence *ce, const char *prefix)
{
    char detail[CLI_HINTED_MAX];
    for (size_t i = 0; i < ce->nchecks; i++)
        fprintf(f, "%s%s  %s: %s\n", prefix, cli_check_word(ce->checks[i].status),
                ce->checks[i].name,
                cli_hinted(detail, sizeof detail, ce->checks[i].detail, ce->checks[i].hint));
    fprintf(f, "note: %s\n", IDT_EVIDENCE_CHAIN_NOTE);
}

void cli_evidence_checks_json(FILE *f, const cli_evidence *ce)
{
    static const char *const status[] = { "", "pass", "fail", "skip" };
    char detail[CLI_HINTED_MAX];
    fputc('[', f);
    for (size_t i = 0; i < ce->nchecks; i++) {
        const idt_evidence_check *k = &ce->checks[i];
        fprintf(f, "%s{\"name\":", i ? "," : "");
        cli_json_cstring(f, k->name);
        fprintf(f, ",\"status\":\"%s\",\"detail\":", status[k->status]);
        cli_json_cstring(f, cli_hinted(detail, sizeof detail, k->detail, k->hint));
        fputs(",\"hint\":", f);
        cli_json_cstring(f, idt_hint_name(k->hint));
        fputc('}', f);
    }
    fputc(']', f);
}
