/*
 * util/json.h - JSON strings, the one escaper behind every JSON the library
 * and the tool write (toml-json, --json reports, the KBS request object).
 */
#ifndef IDT_UTIL_JSON_H
#define IDT_UTIL_JSON_H

#include <stdbool.h>
#include "util/buf.h"

/*
 * Appends s (n bytes; NUL bytes allowed) to b as a JSON string, quotes
 * included.  '"', '\\', control characters and DEL are escaped; well-formed
 * UTF-8 is copied.  A byte that is not part of well-formed UTF-8 becomes
 * U+FFFD when replace_bad is set; otherwise the call stops with
 * IDT_EFORMAT and *bad_at (when not NULL) gets its offset, without an
 * error message (the caller knows what the string is).  Returns IDT_OK,
 * IDT_EFORMAT, or the buffer's IDT_ELIMIT/IDT_ENOMEM (recorded in err).
 */
int idtx_json_string(idtx_buf *b, const char *s, size_t n, bool replace_bad, size_t *bad_at,
                     idt_error *err);

#endif
