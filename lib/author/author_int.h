/* Internals of lib/author: the string emitter's append form, shared by
 * toml_string.c and new.c. */
#ifndef IDT_AUTHOR_INT_H
#define IDT_AUTHOR_INT_H

#include "initdata/author.h"
#include "util/buf.h"

/* Appends s in the given style (author.h).  s must already be valid UTF-8
 * (idt_author_check_utf8); the emitter only chooses and escapes. */
int idt_author__emit_string(idtx_buf *b, const char *s, size_t len,
                            idt_author_string_style style, idt_error *err);

/* The largest number of bytes any style turns one input byte into
 * ("\u00XX"), and the fixed overhead of delimiters: with these a caller
 * can bound the output before emitting. */
#define IDT_AUTHOR__ESCAPE_MAX 6u
#define IDT_AUTHOR__DELIM_MAX 8u

#endif
