/* JSON strings written to a FILE, for the --json reports: a thin layer over
 * the library's one escaper (lib/util/json.h). */
#ifndef CLI_JSON_OUT_H
#define CLI_JSON_OUT_H

#include <stddef.h>
#include <stdio.h>

/* Writes s (n bytes; NUL bytes allowed) to f as a JSON string; a byte that
 * is not well-formed UTF-8 becomes U+FFFD, since a file name can hold
 * anything.  s may be NULL: writes null.  A write error shows in ferror(f),
 * which the caller checks on close. */
void cli_json_string(FILE *f, const char *s, size_t n);

/* Same for a NUL-terminated string (NULL writes null). */
void cli_json_cstring(FILE *f, const char *s);

#endif
