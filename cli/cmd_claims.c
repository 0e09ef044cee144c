/* initdata claims: the init_data_claims Trustee derives from a document,
 * so KBS resource policies can be tried offline (initdata-facts §6). */
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "load.h"
#include "opt.h"
#include "initdata/doc.h"
#include "initdata/lint.h"

#include <stdlib.h>

static const cli_help help = {
    "initdata claims [OPTIONS] FILE|-",
    "Print the JSON object Trustee puts into init_data_claims (under\n"
    "submods.cpu0[\"ear.veraison.annotated-evidence\"] of the attestation token)\n"
    "for the Init-Data document FILE: the data entries as strings, aa.toml and\n"
    "cdh.toml as JSON when they are TOML, and policy.rego replaced by\n"
    "agent_policy_claims when it holds `policy_data := {` followed by JSON to\n"
    "its end.  Keys are sorted, as Trustee writes them.  A document kata would\n"
    "reject is reported like `initdata check` does, and nothing is printed.",
    "  $ initdata claims initdata.toml\n"
    "  $ initdata claims --compact initdata.toml | jq .agent_policy_claims.containers\n"
    "  $ initdata decode annotation.b64 | initdata claims -\n",
};

int cmd_claims(int argc, char **argv)
{
    bool compact = false;
    const char *input = NULL, *output = NULL;
    const cli_opt opts[] = {
        { CLI_OPT_SWITCH, "compact", 'c', &compact, NULL, "print everything on one line", false },
        { CLI_OPT_VALUE, "output", 'o', &output, "FILE",
          "write to FILE (replaced atomically) instead of standard output", false },
        { CLI_OPT_ARG, "file", 0, &input, "FILE", "the document ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("claims", opts, &help, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;

    idt_error err = { 0 };
    err.source = cli_input_name(input);
    char *text = NULL, *json = NULL;
    size_t len = 0, json_len = 0;
    idt_doc *doc = NULL;
    rc = cli_read_input(&text, &len, input, IDT_TOML_DEFAULT_MAX_SIZE, &err);
    if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        return cli_exit_code(rc);
    }
    rc = cli_doc_load(&doc, err.source, text, len, NULL, NULL);
    bool printed = rc < 0; /* the loader reports every failure */
    if (rc >= 0)
        rc = idt_lint_claims(&json, &json_len, doc, compact ? 0 : IDT_LINT_CLAIMS_PRETTY, &err);
    if (rc >= 0) {
        err.source = NULL; /* a write error names its own file */
        rc = cli_write_output(output, json, json_len, &err);
    }
    if (rc < 0 && !printed)
        cli_diag_error(&err, NULL, 0);
    idt_free(json);
    idt_doc_free(doc);
    free(text);
    return cli_exit_code(rc);
}
