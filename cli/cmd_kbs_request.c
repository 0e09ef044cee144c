/* initdata kbs-request: the "init-data" object of Trustee's attestation
 * request (POST /kbs/v0/attest), whose body is the document's exact text. */
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "json_out.h"
#include "opt.h"
#include "initdata/doc.h"
#include "util/error_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata kbs-request [OPTIONS] FILE|-",
    "Print the \"init-data\" object that the attestation-agent sends in Trustee's\n"
    "attestation request (POST /kbs/v0/attest):\n"
    "\n"
    "    {\"format\":\"toml\",\"body\":\"<the document's exact text>\"}\n"
    "\n"
    "Trustee hashes body with the document's own algorithm, so the text is kept\n"
    "byte for byte: quotes, backslashes and control characters (newlines, CR,\n"
    "tabs, NUL) are escaped as JSON requires, everything else is copied.  The\n"
    "document is validated first (Trustee's rules: sm3 is accepted); --no-check\n"
    "skips that.  A file that is not UTF-8 cannot be carried exactly and is an\n"
    "error.",
    "  $ initdata kbs-request initdata.toml\n"
    "  $ initdata kbs-request - < initdata.toml | jq -r .body | sha256sum\n",
};

static int discard(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    (void)s;
    (void)n;
    return 0;
}

static int to_stdout(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    return fwrite(s, 1, n, stdout) == n ? 0 : IDT_EIO;
}

int cmd_kbs_request(int argc, char **argv)
{
    const char *path = NULL;
    bool no_check = false;
    const cli_opt opts[] = {
        { CLI_OPT_SWITCH, "no-check", 0, &no_check, NULL,
          "do not validate the document (send it as it is)", false },
        { CLI_OPT_ARG, "file", 0, &path, "FILE", "the Init-Data document ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("kbs-request", opts, &help, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;

    idt_error err = { 0 };
    idt_doc_options dopts = IDT_DOC_OPTIONS_INIT;
    dopts.allow_sm3 = true;
    char *src = NULL;
    size_t len = 0, bad_at = 0;
    idt_doc *doc = NULL;
    err.source = cli_input_name(path);
    rc = cli_read_input(&src, &len, path, dopts.max_size, &err);
    if (rc >= 0 && !no_check)
        rc = idt_doc_parse(&doc, src, len, &dopts, &err);
    if (rc >= 0) {
        /* A dry run first, so that bad UTF-8 prints nothing at all. */
        rc = cli_json_write_string(discard, NULL, src, len, false, &bad_at);
        if (rc >= 0) {
            fputs("{\"format\":\"toml\",\"body\":", stdout);
            rc = cli_json_write_string(to_stdout, NULL, src, len, false, &bad_at);
        }
        if (rc == IDT_EFORMAT)
            rc = idtx_error_at_offset(&err, IDT_EFORMAT, bad_at,
                                      "the document is not UTF-8 (byte 0x%02x); a JSON body "
                                      "cannot carry it exactly",
                                      (unsigned char)src[bad_at]);
        else if (rc >= 0)
            fputs("}\n", stdout);
    }
    if (rc >= 0 && (fflush(stdout) != 0 || ferror(stdout)))
        rc = idtx_error_set(&err, IDT_EIO, NULL, "cannot write to stdout");
    if (rc < 0)
        cli_diag_error(&err, src, len);
    idt_doc_free(doc);
    free(src);
    return cli_exit_code(rc);
}
