/* Helpers shared by digest.c and binding.c (not part of the API). */
#ifndef IDT_DIGEST_INT_H
#define IDT_DIGEST_INT_H

#include "initdata/digest.h"

/* Writes n bytes (n <= IDT_BINDING_MAX) as hex or base64 with a NUL.
 * Returns the length, or IDT_ELIMIT when cap is too small. */
int idt_digest__encode(char *buf, size_t cap, const uint8_t *bytes, size_t n,
                       idt_encoding enc, idt_error *err);

#endif
