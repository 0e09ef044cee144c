/* Helpers shared by the encode, decode and image commands. */
#ifndef CLI_CODEC_ARGS_H
#define CLI_CODEC_ARGS_H

#include <stddef.h>
#include "initdata/codec.h"

/*
 * Parses a byte count for option --NAME of command cmd: decimal digits,
 * optionally followed by K, M or G (KiB, MiB, GiB), at least 1.  A NULL
 * text leaves *out unchanged.  Returns CLI_CONTINUE, or the usage exit code
 * after printing the usage error.
 */
int cli_parse_size(const char *cmd, const char *name, const char *text, size_t *out);

/*
 * Reads path ("-": stdin) with a bound of max bytes plus `slack` extra
 * bytes the caller strips itself (a final newline).  Past the bound, the
 * error says what was too large ("the annotation value"), the limit, and
 * which option raises it.
 */
int cli_read_bounded(char **out, size_t *len, const char *path, size_t max, size_t slack,
                     const char *what, const char *option, idt_error *err);

/*
 * Reads the document an encoder passes through (encode, image create):
 * bounded like cli_read_bounded, then refused when it nests deeper than
 * the Rust consumers allow (idt_doc_check_nesting).  The encoders refuse
 * an empty document themselves.
 */
int cli_read_document(char **out, size_t *len, const char *path, idt_error *err);

/* Prints each warning of w compiler style ("SOURCE: warning: at byte N:
 * MESSAGE"), then how many did not fit, and empties w. */
void cli_codec_warnings_print(const char *source, idt_codec_warnings *w);

/* Prints err (compiler style) and returns the exit code of rc. */
int cli_codec_fail(int rc, const idt_error *err);

#endif
