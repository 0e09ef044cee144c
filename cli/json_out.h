/* JSON strings, the one escaper behind every JSON the tool prints: the
 * --json reports (written straight to a FILE) and `toml-json` (buffered,
 * json_emit.c). */
#ifndef CLI_JSON_OUT_H
#define CLI_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Receives n bytes of output; returns 0, or a negative idt_status to stop. */
typedef int (*cli_json_sink)(void *ctx, const char *s, size_t n);

/*
 * Writes s (n bytes; NUL bytes allowed) as a JSON string, quotes included,
 * through sink.  '"', '\\', control characters and DEL are escaped;
 * well-formed UTF-8 is copied.  A byte that is not part of well-formed
 * UTF-8 becomes U+FFFD when replace_bad is set; otherwise the call stops
 * with IDT_EFORMAT (*bad_at, when not NULL, gets its offset).  Returns 0,
 * IDT_EFORMAT, or the sink's negative status.
 */
int cli_json_write_string(cli_json_sink sink, void *ctx, const char *s, size_t n,
                          bool replace_bad, size_t *bad_at);

/* Writes s to f as a JSON string (bad bytes as U+FFFD, since a file name
 * can hold anything).  s may be NULL: writes null. */
void cli_json_string(FILE *f, const char *s, size_t n);

/* Same for a NUL-terminated string (NULL writes null). */
void cli_json_cstring(FILE *f, const char *s);

#endif
