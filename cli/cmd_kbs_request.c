/* initdata kbs-request: the "init-data" object of Trustee's attestation
 * request (POST /kbs/v0/attest), whose body is the document's exact text. */
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "load.h"
#include "opt.h"
#include "initdata/doc.h"

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
    cli_load_options lo = CLI_LOAD_OPTIONS_INIT;
    lo.doc.allow_sm3 = true; /* Trustee's rules */
    char *src = NULL, *json = NULL;
    size_t len = 0, json_len = 0;
    idt_doc *doc = NULL;
    bool printed = false;
    err.source = cli_input_name(path);
    rc = cli_read_input(&src, &len, path, lo.doc.max_size, &err);
    if (rc >= 0 && !no_check) {
        rc = cli_doc_load(&doc, err.source, src, len, &lo, NULL);
        printed = rc < 0; /* the loader reports every failure */
    }
    if (rc >= 0)
        rc = idt_kbs_init_data_json(&json, &json_len, src, len, &err);
    if (rc >= 0) {
        json[json_len] = '\n'; /* the NUL's byte: one line of text */
        err.source = NULL;      /* a write error names its own file */
        rc = cli_write_output(NULL, json, json_len + 1, &err);
    }
    if (rc < 0 && !printed)
        cli_diag_error(&err, src, len);
    idt_free(json);
    idt_doc_free(doc);
    free(src);
    return cli_exit_code(rc);
}
