/* initdata decode: an annotation value back to the exact document bytes. */
#include "cmd.h"
#include "codec_args.h"
#include "diag.h"
#include "io.h"
#include "opt.h"
#include "initdata/codec.h"

#include <stdio.h>
#include <stdlib.h>

static const cli_help help = {
    "initdata decode [OPTIONS] FILE|-",
    "Decode the cc_init_data annotation value in FILE (base64 of gzip) and\n"
    "write the exact document bytes.  One final newline of FILE is ignored;\n"
    "anything else is part of the value.  By default the value must satisfy\n"
    "the strict Rust decoders (kata-agent, genpolicy, runtime-rs): canonical\n"
    "base64 without line breaks, padding, exactly one gzip member.  With\n"
    "--lenient it is decoded as the Go decoders (kata shim, cloud-api-adaptor)\n"
    "do: CR and LF are skipped and concatenated gzip members are joined.\n"
    "The gzip header follows the same split: reserved flag bits are an error\n"
    "(flate2) or, with --lenient, a warning (Go ignores them); an FNAME or\n"
    "FCOMMENT of 512 bytes or more is a warning (Go refuses it) or, with\n"
    "--lenient, an error.  Either way CRC32 and ISIZE are checked, trailing\n"
    "bytes are an error, and the document must be UTF-8 without NUL bytes.\n"
    "Errors and warnings give the byte offset into FILE and say which\n"
    "consumers accept the value and which reject it.",
    "  $ initdata decode annotation.b64 > initdata.toml\n"
    "  $ kubectl get pod p -o jsonpath='{.metadata.annotations.io\\.katacontainers"
    "\\.config\\.hypervisor\\.cc_init_data}' | initdata decode -\n"
    "  $ initdata decode --lenient -o doc.toml wrapped.b64\n",
};

/* Strict decoding failed: say so if the Go decoders would accept it. */
static void note_if_lenient_accepts(const char *name, const char *value, size_t len,
                                    idt_codec_options opts)
{
    unsigned char *doc = NULL;
    size_t doc_len = 0;
    opts.lenient = true;
    opts.warnings = NULL; /* only whether it decodes matters here */
    if (idt_codec_decode(&doc, &doc_len, value, len, &opts, NULL) == IDT_OK)
        fprintf(stderr, "%s: note: the Go decoders (kata shim, cloud-api-adaptor) accept this "
                "value; --lenient decodes it as they do\n", name);
    idt_free(doc);
}

int cmd_decode(int argc, char **argv)
{
    const char *input = NULL, *output = NULL, *max_size = NULL, *max_output = NULL;
    bool lenient = false;
    const cli_opt opts[] = {
        { CLI_OPT_SWITCH, "lenient", 0, &lenient, NULL,
          "decode like the Go consumers (skip CR/LF, join gzip members)", false },
        { CLI_OPT_VALUE, "max-size", 0, &max_size, "BYTES",
          "largest annotation value accepted (default 262144)", false },
        { CLI_OPT_VALUE, "max-output", 0, &max_output, "BYTES",
          "largest decoded document accepted (default 8M)", false },
        { CLI_OPT_VALUE, "output", 'o', &output, "FILE",
          "write to FILE (replaced atomically) instead of standard output", false },
        { CLI_OPT_ARG, "file", 0, &input, "FILE", "the annotation value ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("decode", opts, &help, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    idt_codec_options copts = IDT_CODEC_OPTIONS_INIT;
    idt_codec_warnings warnings;
    idt_codec_warnings_clear(&warnings);
    copts.lenient = lenient;
    copts.warnings = &warnings;
    if ((rc = cli_parse_size("decode", "max-size", max_size, &copts.max_encoded)) != CLI_CONTINUE ||
        (rc = cli_parse_size("decode", "max-output", max_output, &copts.max_decoded)) !=
            CLI_CONTINUE)
        return rc;

    idt_error err = { 0 };
    char *value = NULL;
    unsigned char *doc = NULL;
    size_t len = 0, doc_len = 0;
    err.source = cli_input_name(input);
    rc = cli_read_bounded(&value, &len, input, copts.max_encoded, 1, "the annotation value",
                          "--max-size", &err);
    if (rc < 0)
        return cli_codec_fail(rc, &err);
    if (len && value[len - 1] == '\n') /* the file's last line end */
        len--;
    rc = idt_codec_decode(&doc, &doc_len, value, len, &copts, &err);
    cli_codec_warnings_print(err.source, &warnings);
    if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        if (!lenient && (rc == IDT_ESYNTAX || rc == IDT_EFORMAT))
            note_if_lenient_accepts(err.source, value, len, copts);
    } else {
        err.source = NULL; /* a write error names its own file */
        rc = cli_write_output(output, doc, doc_len, &err);
        if (rc < 0)
            cli_diag_error(&err, NULL, 0);
    }
    free(value);
    idt_free(doc);
    return cli_exit_code(rc);
}
