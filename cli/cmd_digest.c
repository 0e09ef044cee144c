/* initdata digest: the digest of a document's exact bytes, or the value a
 * TEE field holds for it (hex, base64 or the QEMU fragment). */
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "json_out.h"
#include "load.h"
#include "opt.h"
#include "initdata/digest.h"
#include "initdata/doc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata digest [OPTIONS] FILE|-",
    "Print the digest of the Init-Data document FILE: the hash of its exact bytes\n"
    "with the document's own algorithm (nothing is normalised; a trailing newline\n"
    "changes it).  The document is validated first, as strictly as kata does.\n"
    "\n"
    "With --platform, print the value the TEE field holds instead: the digest\n"
    "truncated or zero-padded to the field (tdx MRCONFIGID 48 bytes, snp HOST_DATA\n"
    "32, cca personalization value 64, sgx CONFIGID 64, se user data 256), or for\n"
    "vtpm the expected SHA-256 PCR 8 after one extend from zero.  --format qemu\n"
    "prints the property for QEMU's -object (tdx, snp and cca only).",
    "  $ initdata digest initdata.toml\n"
    "  $ initdata digest --format base64 initdata.toml\n"
    "  $ initdata digest --platform tdx --format qemu initdata.toml\n"
    "  $ initdata digest --platform snp --format base64 - < initdata.toml\n"
    "  $ initdata digest --platform vtpm --vtpm-rule peerpods initdata.toml\n"
    "  $ initdata digest --allow-sm3 sm3-doc.toml\n"
    "  $ initdata digest --json --platform cca initdata.toml\n",
};

/* The parsed command line. */
typedef struct digest_args {
    const char *input;
    bool json, allow_sm3, has_platform;
    idt_platform platform;
    idt_encoding format;
    idt_vtpm_rule rule;
} digest_args;

/* Resolves the option strings; prints a usage error and returns 2 when one
 * is wrong or they do not fit together. */
static int resolve(digest_args *a, const char *platform, const char *format, const char *rule)
{
    idt_error err = { 0 };
    if (platform && idt_platform_parse(&a->platform, platform, strlen(platform), &err) < 0)
        return cli_keyword_error("digest", "platform", &err);
    a->has_platform = platform != NULL;
    a->format = IDT_ENCODING_HEX;
    if (format && idt_encoding_parse(&a->format, format, strlen(format), &err) < 0)
        return cli_keyword_error("digest", "format", &err);
    a->rule = IDT_VTPM_RULE_AA;
    if (rule && idt_vtpm_rule_parse(&a->rule, rule, strlen(rule), &err) < 0)
        return cli_keyword_error("digest", "vtpm-rule", &err);
    if (rule && (!a->has_platform || a->platform != IDT_PLATFORM_VTPM))
        return cli_usage_error("digest", "--vtpm-rule applies only to --platform vtpm");
    if (format && a->json)
        return cli_usage_error("digest", "--json prints every format; leave out --format");
    if (a->format == IDT_ENCODING_QEMU &&
        (!a->has_platform || !idt_platform_qemu_property(a->platform)))
        return cli_usage_error("digest", "--format qemu needs --platform tdx, snp or cca "
                                         "(the platforms whose value QEMU takes)");
    return CLI_CONTINUE;
}

/* Points err at the document's algorithm value, which is what a platform
 * error or warning is about. */
static void at_algorithm(idt_error *err, const idt_doc *doc)
{
    const idt_toml_entry *e = idt_toml_table_get(idt_doc_toml_root(doc), "algorithm", 9);
    if (!e)
        return;
    err->line = e->value->span.line;
    err->column = e->value->span.column;
    err->offset = e->value->span.offset;
    err->has_offset = true;
}

/* Writes the value (digest or binding) in one encoding into buf. */
static int format_value(char *buf, size_t cap, const idt_digest *d, const idt_binding *b,
                        idt_encoding enc, idt_error *err)
{
    return b ? idt_binding_format(buf, cap, b, enc, err) : idt_digest_format(buf, cap, d, enc, err);
}

static int print_json(const digest_args *a, const idt_digest *d, const idt_binding *b,
                      const char *warning, idt_error *err)
{
    char hex[IDT_BINDING_TEXT_MAX], b64[IDT_BINDING_TEXT_MAX], dhex[IDT_BINDING_TEXT_MAX];
    char qemu[IDT_BINDING_TEXT_MAX];
    bool has_qemu = b && idt_platform_qemu_property(b->platform);
    if (idt_digest_format(dhex, sizeof dhex, d, IDT_ENCODING_HEX, err) < 0 ||
        format_value(hex, sizeof hex, d, b, IDT_ENCODING_HEX, err) < 0 ||
        format_value(b64, sizeof b64, d, b, IDT_ENCODING_BASE64, err) < 0 ||
        (has_qemu && idt_binding_format(qemu, sizeof qemu, b, IDT_ENCODING_QEMU, err) < 0))
        return err->code;
    printf("{\"algorithm\":");
    cli_json_cstring(stdout, idt_digest_alg_name(d->alg));
    printf(",\"digest\":\"%s\",\"platform\":", dhex);
    cli_json_cstring(stdout, b ? idt_platform_name(b->platform) : NULL);
    printf(",\"vtpm_rule\":");
    cli_json_cstring(stdout, b && b->platform == IDT_PLATFORM_VTPM ? idt_vtpm_rule_name(a->rule)
                                                                   : NULL);
    printf(",\"value_hex\":\"%s\",\"value_base64\":\"%s\",\"qemu\":", hex, b64);
    cli_json_cstring(stdout, has_qemu ? qemu : NULL);
    printf(",\"warnings\":[");
    if (warning)
        cli_json_cstring(stdout, warning);
    printf("]}\n");
    return IDT_OK;
}

/* Prints the digest d of doc, or its binding; returns a library status
 * (err filled on failure). */
static int run(const digest_args *a, const idt_doc *doc, const idt_digest *dp,
               const char *src, size_t len, idt_error *err)
{
    idt_digest d = *dp;
    idt_binding b;
    int rc;
    const char *warning = NULL;
    if (a->has_platform) {
        rc = idt_binding_compute(&b, a->platform, &d, a->rule, err);
        if (rc < 0) {
            at_algorithm(err, doc);
            return rc;
        }
        warning = idt_platform_warning(a->platform, d.alg);
        if (warning) {
            idt_error w = { .source = err->source };
            snprintf(w.message, sizeof w.message, "%s", warning);
            at_algorithm(&w, doc);
            cli_diag_warning(&w, src, len);
        }
    }
    const idt_binding *bp = a->has_platform ? &b : NULL;
    if (a->json)
        return print_json(a, &d, bp, warning, err);
    char text[IDT_BINDING_TEXT_MAX];
    rc = format_value(text, sizeof text, &d, bp, a->format, err);
    if (rc < 0)
        return rc;
    printf("%s\n", text);
    return IDT_OK;
}

int cmd_digest(int argc, char **argv)
{
    digest_args a = { 0 };
    const char *platform = NULL, *format = NULL, *rule = NULL;
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "platform", 'p', &platform, "PLATFORM",
          "print the value for tdx, snp, cca, sgx, se or vtpm", false },
        { CLI_OPT_VALUE, "format", 'f', &format, "FORMAT",
          "hex (default), base64, or qemu (with tdx, snp, cca)", false },
        { CLI_OPT_VALUE, "vtpm-rule", 0, &rule, "RULE",
          "vtpm PCR 8 rule: aa (attestation-agent, default) or peerpods", false },
        { CLI_OPT_SWITCH, "allow-sm3", 0, &a.allow_sm3, NULL,
          "accept algorithm = \"sm3\" (kata rejects it)", false },
        { CLI_OPT_SWITCH, "json", 0, &a.json, NULL,
          "print a JSON object with the digest and every format", false },
        { CLI_OPT_ARG, "file", 0, &a.input, "FILE", "the document ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("digest", opts, &help, argc, argv);
    if (rc == CLI_CONTINUE)
        rc = resolve(&a, platform, format, rule);
    if (rc != CLI_CONTINUE)
        return rc;

    idt_error err = { 0 };
    err.source = cli_input_name(a.input);
    cli_load_options lo = CLI_LOAD_OPTIONS_INIT;
    lo.doc.allow_sm3 = a.allow_sm3;
    /* The file is mapped (or read once from a pipe), the document borrows
     * those bytes instead of copying them, and the hash runs while the
     * parse does: the digest costs about what the hash does. */
    lo.doc.borrow = true;
    idt_digest d;
    lo.digest = &d;
    cli_input in = { 0 };
    const char *src = NULL;
    size_t len = 0;
    idt_doc *doc = NULL;
    bool printed = false;
    rc = cli_map_input(&in, a.input, lo.doc.max_size, &err);
    src = in.data;
    len = in.len;
    if (rc >= 0) {
        rc = cli_doc_load(&doc, err.source, src, len, &lo, NULL);
        printed = rc < 0; /* the loader reports every failure */
    }
    if (rc >= 0)
        rc = run(&a, doc, &d, src, len, &err);
    if (rc >= 0 && (fflush(stdout) != 0 || ferror(stdout))) {
        int e = errno;
        err.source = NULL;
        rc = IDT_EIO;
        snprintf(err.message, sizeof err.message, "cannot write to stdout: %s",
                 e ? strerror(e) : "write error");
    }
    if (rc < 0 && !printed)
        cli_diag_error(&err, src, len);
    idt_doc_free(doc);
    cli_input_release(&in);
    return cli_exit_code(rc);
}
