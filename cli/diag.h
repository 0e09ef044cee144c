/* Diagnostics on stderr, shaped like a compiler's:
 *   initdata.toml:3:13: error: algorithm "sha-256" is not supported (...)
 *       3 | algorithm = "sha-256"
 *         |             ^
 */
#ifndef CLI_DIAG_H
#define CLI_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "initdata/common.h"

/* Prints err; when it has a line and src (the text it refers to) is given,
 * also prints that source line and a caret under the column. */
void cli_diag_error(const idt_error *err, const char *src, size_t len);

/* Same shape for a warning: "SOURCE:LINE:COL: warning: MESSAGE". */
void cli_diag_warning(const idt_error *where, const char *src, size_t len);

/* Prints source line `line` of src (len bytes) and a caret under `column`
 * to f; nothing when the line does not exist or is too long (over 200
 * bytes: a minified file) to help on a terminal. */
void cli_diag_source_line(FILE *f, const char *src, size_t len, uint32_t line,
                          uint32_t column);

/* "initdata: error: MESSAGE" for errors that have no position. */
void cli_diag_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
