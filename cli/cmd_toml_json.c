/* initdata toml-json: prints a TOML document as JSON, plain or in
 * toml-test's tagged form (the form the conformance tests compare). */
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "opt.h"
#include "initdata/toml.h"

#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata toml-json [OPTIONS] [FILE|-]",
    "Parse FILE (standard input when absent or '-') as TOML 1.1 (or, with\n"
    "--toml 1.0, as TOML 1.0) and print it as JSON, keys in document order.\n"
    "Date-times become RFC 3339 strings (a TOML 1.1 time without seconds gets\n"
    "\":00\"); inf and nan, which JSON numbers cannot hold, become the strings\n"
    "\"inf\", \"-inf\" and \"nan\".  With --tagged, print toml-test's tagged form\n"
    "instead, where every scalar is {\"type\": T, \"value\": \"...\"}.  Text that is\n"
    "not TOML of that version is reported with its line and column, and nothing\n"
    "is printed.  Nesting is bounded by --max-depth (tables, arrays and key\n"
    "parts counted together), not by the Init-Data consumers' limit of 80 that\n"
    "check and digest apply.",
    "  $ initdata toml-json initdata.toml\n"
    "  $ initdata toml-json --toml 1.0 doc.toml      # as Kata 3.x agents read it\n"
    "  $ initdata toml-json --tagged --compact - < doc.toml\n"
    "  $ initdata toml-json -o doc.json doc.toml\n",
};

int cmd_toml_json(int argc, char **argv)
{
    bool tagged = false, compact = false;
    const char *input = NULL, *output = NULL, *version = "1.1", *max_depth = NULL;
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "toml", 0, &version, "VERSION",
          "the TOML version to read: 1.1 (default) or 1.0", false },
        { CLI_OPT_VALUE, "max-depth", 0, &max_depth, "N",
          "nesting bound (default 128, at most 1024)", false },
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
    idt_toml_options topts = IDT_TOML_OPTIONS_INIT;
    idt_error err = { 0 };
    if (idt_toml_spec_parse(&topts.spec, version, strlen(version), &err) < 0)
        return cli_keyword_error("toml-json", "toml", &err);
    if (max_depth) {
        char *end;
        unsigned long d = strtoul(max_depth, &end, 10);
        if (*max_depth < '1' || *max_depth > '9' || *end || d > 1024)
            return cli_usage_error("toml-json", "--max-depth needs a number from 1 to 1024, "
                                   "not '%s'", max_depth);
        topts.max_depth = (unsigned)d;
    }

    err.source = cli_input_name(input);
    char *src = NULL, *json = NULL;
    size_t len = 0, json_len = 0;
    idt_toml_doc *doc = NULL;
    rc = cli_read_input(&src, &len, input, IDT_TOML_DEFAULT_MAX_SIZE, &err);
    if (rc >= 0)
        rc = idt_toml_parse(&doc, src, len, &topts, &err);
    if (rc >= 0) {
        unsigned flags = (tagged ? IDT_TOML_JSON_TAGGED : 0) | (compact ? 0 : IDT_TOML_JSON_PRETTY);
        rc = idt_toml_to_json(&json, &json_len, idt_toml_doc_root(doc), flags, &err);
    }
    if (rc >= 0) {
        err.source = NULL; /* a write error names its own file */
        rc = cli_write_output(output, json, json_len, &err);
    }
    if (rc < 0)
        cli_diag_error(&err, src, len);
    idt_free(json);
    idt_toml_doc_free(doc);
    free(src);
    return cli_exit_code(rc);
}
