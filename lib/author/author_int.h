/* Internals of lib/author: a bounded growing buffer and the string
 * emitter's append form, shared by toml_string.c and new.c. */
#ifndef IDT_AUTHOR_INT_H
#define IDT_AUTHOR_INT_H

#include "initdata/author.h"

/* A byte buffer that refuses to grow past `max`.  Zero-initialise, set
 * max, append, then take `data` (always NUL-terminated once non-empty) or
 * dispose.  `what` names the output in the limit error. */
typedef struct idt_author__buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
    const char *what;
} idt_author__buf;

int idt_author__buf_put(idt_author__buf *b, const void *p, size_t n, idt_error *err);
int idt_author__buf_puts(idt_author__buf *b, const char *s, idt_error *err);
int idt_author__buf_putc(idt_author__buf *b, char c, idt_error *err);
/* Hands the NUL-terminated contents to the caller (an empty buffer gives
 * an allocated ""), leaving b empty. */
int idt_author__buf_take(idt_author__buf *b, char **out, size_t *out_len, idt_error *err);
void idt_author__buf_dispose(idt_author__buf *b);

/* Appends s in the given style (author.h).  s must already be valid UTF-8
 * (idt_author_check_utf8); the emitter only chooses and escapes. */
int idt_author__emit_string(idt_author__buf *b, const char *s, size_t len,
                            idt_author_string_style style, idt_error *err);

/* The largest number of bytes any style turns one input byte into
 * ("\u00XX"), and the fixed overhead of delimiters: with these a caller
 * can bound the output before emitting. */
#define IDT_AUTHOR__ESCAPE_MAX 6u
#define IDT_AUTHOR__DELIM_MAX 8u

#endif
