/* Streaming JSON text for the commands' --json output: just what a flat
 * report needs (strings, with everything else written by fprintf). */
#ifndef CLI_JSON_OUT_H
#define CLI_JSON_OUT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Writes s (n bytes) to f as a JSON string, quotes included.  '"', '\\' and
 * control characters are escaped; well-formed UTF-8 is copied; a byte that
 * is not part of well-formed UTF-8 (a file name can hold anything) becomes
 * U+FFFD, so the output is always valid JSON.  s may be NULL: writes null.
 */
void cli_json_string(FILE *f, const char *s, size_t n);

/* Same for a NUL-terminated string (NULL writes null). */
void cli_json_cstring(FILE *f, const char *s);

#endif
