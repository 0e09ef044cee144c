/* initdata encode: the Pod annotation value of a document (gzip + base64). */
#include "cmd.h"
#include "codec_args.h"
#include "io.h"
#include "opt.h"
#include "initdata/codec.h"

#include <stdlib.h>

static const cli_help help = {
    "initdata encode [OPTIONS] FILE|-",
    "Print the value of the io.katacontainers.config.hypervisor.cc_init_data\n"
    "annotation for the document FILE: base64(gzip(FILE)), standard alphabet,\n"
    "padded, on one line followed by a newline.  The output is deterministic\n"
    "(gzip header 1f8b08000000000000ff: MTIME 0, OS 255; libdeflate level 12), so\n"
    "the same document always gives the same value.  The exact bytes are\n"
    "compressed: the digest of the decoded value equals the digest of FILE.\n"
    "A value above Kubernetes' 262144-byte annotation limit is an error, and\n"
    "so is an empty document: runtime-rs treats it as no Init-Data and the Go\n"
    "shim's annotation decoder panics on it.  The document is not validated\n"
    "(check does that), but one nested deeper than the kata-agent 4.x,\n"
    "runtime-rs and Trustee can parse (80 arrays and inline tables, or 80 key\n"
    "parts) is refused.",
    "  $ initdata encode initdata.toml\n"
    "  H4sIAAAAAAAA/...\n"
    "  $ initdata encode -o annotation.b64 - < initdata.toml\n"
    "  $ initdata encode initdata.toml | base64 -d | gzip -d | cmp - initdata.toml\n",
};

int cmd_encode(int argc, char **argv)
{
    const char *input = NULL, *output = NULL;
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "output", 'o', &output, "FILE",
          "write to FILE (replaced atomically) instead of standard output", false },
        { CLI_OPT_ARG, "file", 0, &input, "FILE", "the document ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("encode", opts, &help, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;

    idt_error err = { 0 };
    char *doc = NULL, *value = NULL;
    size_t len = 0, value_len = 0;
    err.source = cli_input_name(input);
    rc = cli_read_document(&doc, &len, input, &err);
    if (rc >= 0)
        rc = idt_codec_encode(&value, &value_len, doc, len, NULL, &err);
    if (rc >= 0) {
        value[value_len] = '\n'; /* the NUL's byte: one line of text */
        err.source = NULL;       /* a write error names its own file */
        rc = cli_write_output(output, value, value_len + 1, &err);
    }
    free(doc);
    idt_free(value);
    return rc < 0 ? cli_codec_fail(rc, &err) : CLI_EXIT_OK;
}
