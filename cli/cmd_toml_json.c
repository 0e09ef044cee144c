/* initdata toml-json: prints a TOML document as JSON, plain or in
 * toml-test's tagged form (the form the conformance tests compare). */
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "json_emit.h"
#include "opt.h"
#include "initdata/toml.h"

#include <stdlib.h>

static const cli_help help = {
    "initdata toml-json [OPTIONS] [FILE|-]",
    "Parse FILE (standard input when absent or '-') as TOML 1.0 and print it as\n"
    "JSON, keys in document order.  Date-times become RFC 3339 strings; inf and\n"
    "nan, which JSON numbers cannot hold, become the strings \"inf\", \"-inf\" and\n"
    "\"nan\".  With --tagged, print toml-test's tagged form instead, where every\n"
    "scalar is {\"type\": T, \"value\": \"...\"}.  Text that is not TOML 1.0 is\n"
    "reported with its line and column, and nothing is printed.",
    "  $ initdata toml-json initdata.toml\n"
    "  $ initdata toml-json --tagged --compact - < doc.toml\n"
    "  $ initdata toml-json -o doc.json doc.toml\n",
};

int cmd_toml_json(int argc, char **argv)
{
    bool tagged = false, compact = false;
    const char *input = NULL, *output = NULL;
    const cli_opt opts[] = {
        { CLI_OPT_SWITCH, "tagged", 't', &tagged, NULL,
          "print toml-test's tagged JSON ({\"type\": T, \"value\": ...})", false },
        { CLI_OPT_SWITCH, "compact", 'c', &compact, NULL, "print everything on one line", false },
        { CLI_OPT_VALUE, "output", 'o', &output, "FILE",
          "write to FILE (replaced atomically) instead of standard output", false },
        { CLI_OPT_ARG, "file", 0, &input, "FILE", "the TOML document", false },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("toml-json", opts, &help, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;

    idt_error err = { 0 };
    err.source = cli_input_name(input);
    char *src = NULL, *json = NULL;
    size_t len = 0, json_len = 0;
    idt_toml_doc *doc = NULL;
    rc = cli_read_input(&src, &len, input, IDT_TOML_DEFAULT_MAX_SIZE, &err);
    if (rc >= 0)
        rc = idt_toml_parse(&doc, src, len, NULL, &err);
    if (rc >= 0) {
        unsigned flags = (tagged ? CLI_JSON_TAGGED : 0) | (compact ? 0 : CLI_JSON_PRETTY);
        rc = cli_json_emit(&json, &json_len, idt_toml_doc_root(doc), flags, &err);
    }
    if (rc >= 0) {
        err.source = NULL; /* a write error names its own file */
        rc = cli_write_output(output, json, json_len, &err);
    }
    if (rc < 0)
        cli_diag_error(&err, src, len);
    free(json);
    idt_toml_doc_free(doc);
    free(src);
    return cli_exit_code(rc);
}
