/* initdata evidence: what a piece of TEE evidence holds (the TEE, the
 * format, every field in hex) and whether its signatures check out. */
#include "cmd.h"
#include "evidence_cli.h"
#include "json_out.h"
#include "opt.h"

#include <stdio.h>
#include <string.h>

static const cli_help help = {
    "initdata evidence [OPTIONS] FILE|-",
    "Read TEE evidence and print what it holds: the TEE, the format, and every\n"
    "field in hex, with the Init-Data field (MRCONFIGID, CONFIGID, HOST_DATA, the\n"
    "realm personalization value, or PCR 8) and the report data named.  The format\n"
    "is detected from the content: Intel DCAP quotes (TDX v4/v5, SGX v3), SNP\n"
    "reports (binary or Trustee's JSON), CCA tokens, Trustee's az-snp-vtpm,\n"
    "az-tdx-vtpm and tpm evidence JSON, and tpm2_quote's message file.\n"
    "\n"
    "Signatures are checked where a key is at hand: the attestation key inside a\n"
    "DCAP quote, the VCEK in the evidence or --vcek, the realm key in a CCA token,\n"
    "the AK of a TPM quote.  Vendor certificate chains are not checked.  The exit\n"
    "status is 1 when a check fails.",
    "  $ initdata evidence tdx_quote_4.dat\n"
    "  $ initdata evidence --json az-snp-vtpm_evidence-v1.json\n"
    "  $ initdata evidence --vcek vcek.pem report.bin\n"
    "  $ initdata evidence --ak ak.pub --pcrs quote.pcrs --signature quote.sig quote.msg\n",
};

/* A field's label: "NAME" or "group.NAME". */
static void label(char *buf, size_t cap, const idt_evidence_field *f)
{
    snprintf(buf, cap, "%s%s%s", f->group ? f->group : "", f->group ? "." : "", f->name);
}

static void print_text(const cli_evidence *ce)
{
    const idt_evidence *ev = ce->ev;
    const idt_evidence_field *b = idt_evidence_binding_field(ev);
    const idt_evidence_field *rd = idt_evidence_report_data(ev);
    printf("tee: %s\nformat: %s: %s\n", idt_tee_name(idt_evidence_tee(ev)),
           idt_evidence_format_name(idt_evidence_format_of(ev)), idt_evidence_summary(ev));
    printf("init-data field: %s\nreport data: %s\nfields:\n", b ? b->name : "(none)",
           rd ? rd->name : "(none)");
    for (size_t i = 0; i < idt_evidence_field_count(ev); i++) {
        const idt_evidence_field *f = idt_evidence_field_at(ev, i);
        char name[80];
        label(name, sizeof name, f);
        printf("  %-30s ", name);
        if (f->kind == IDT_FIELD_UINT)
            printf("%llu", (unsigned long long)f->number);
        else if (f->kind == IDT_FIELD_TEXT)
            printf("%.*s", (int)f->len, (const char *)f->bytes);
        else
            cli_hex(stdout, f->bytes, f->len);
        printf("%s\n", f->attested ? "" : "  (not in the signed selection)");
    }
    printf("checks:\n");
    cli_evidence_print_checks(stdout, ce, "  ");
}

static void print_json(const cli_evidence *ce)
{
    const idt_evidence *ev = ce->ev;
    const idt_evidence_field *b = idt_evidence_binding_field(ev);
    const idt_evidence_field *rd = idt_evidence_report_data(ev);
    printf("{\"file\":");
    cli_json_cstring(stdout, ce->path ? ce->path : "-");
    printf(",\"tee\":\"%s\",\"format\":\"%s\",\"summary\":", idt_tee_name(idt_evidence_tee(ev)),
           idt_evidence_format_name(idt_evidence_format_of(ev)));
    cli_json_cstring(stdout, idt_evidence_summary(ev));
    printf(",\"init_data_field\":");
    cli_json_cstring(stdout, b ? b->name : NULL);
    printf(",\"report_data_field\":");
    cli_json_cstring(stdout, rd ? rd->name : NULL);
    printf(",\"fields\":[");
    for (size_t i = 0; i < idt_evidence_field_count(ev); i++) {
        const idt_evidence_field *f = idt_evidence_field_at(ev, i);
        printf("%s{\"group\":", i ? "," : "");
        cli_json_cstring(stdout, f->group);
        printf(",\"name\":\"%s\",", f->name);
        if (f->kind == IDT_FIELD_UINT) {
            printf("\"value\":%llu", (unsigned long long)f->number);
        } else if (f->kind == IDT_FIELD_TEXT) {
            printf("\"text\":");
            cli_json_string(stdout, (const char *)f->bytes, f->len);
        } else {
            printf("\"hex\":\"");
            cli_hex(stdout, f->bytes, f->len);
            printf("\"");
        }
        if (f->has_offset)
            printf(",\"offset\":%llu", (unsigned long long)f->offset);
        printf(",\"attested\":%s}", f->attested ? "true" : "false");
    }
    printf("],\"checks\":");
    cli_evidence_checks_json(stdout, ce);
    printf(",\"certificate_chains_checked\":false}\n");
}

int cmd_evidence(int argc, char **argv)
{
    cli_evidence ce;
    bool json = false;
    memset(&ce, 0, sizeof ce);
    const cli_opt opts[] = {
        { CLI_OPT_SWITCH, "json", 0, &json, NULL, "print a JSON object", false },
        CLI_EVIDENCE_OPTS(&ce),
        { CLI_OPT_ARG, "file", 0, &ce.path, "FILE", "the evidence ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("evidence", opts, &help, argc, argv);
    if (rc == CLI_CONTINUE)
        rc = cli_evidence_resolve(&ce, "evidence");
    if (rc != CLI_CONTINUE)
        return rc;
    rc = cli_evidence_load(&ce);
    if (rc == CLI_EXIT_OK) {
        if (json)
            print_json(&ce);
        else
            print_text(&ce);
        rc = ce.checks_failed ? CLI_EXIT_INVALID : CLI_EXIT_OK;
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fputs("initdata: error: cannot write to stdout\n", stderr);
            rc = CLI_EXIT_ENV;
        }
    }
    cli_evidence_dispose(&ce);
    return rc;
}
