/*
 * util/buf.h - the one bounded growable buffer of the library.
 *
 * Every module that builds text or bytes (documents, JSON, YAML splices,
 * gzip output, file paths) appends to an idtx_buf.  It refuses to grow
 * past the `max` given at init (IDT_ELIMIT, naming `what`), checks every
 * size sum before it allocates, and keeps its contents NUL-terminated, so
 * that a caller can hand them out as a C string.
 *
 *     idtx_buf b;
 *     idtx_buf_init(&b, 1 << 20, "the JSON output");
 *     if (idtx_buf_puts(&b, "{", err) < 0 || idtx_buf_printf(&b, err, "%d", n) < 0) {
 *         idtx_buf_dispose(&b);
 *         return err->code;
 *     }
 *     return idtx_buf_take(&b, &out, &out_len, err);  // out: free with free()
 *
 * Errors go to the caller's idt_error (may be NULL): IDT_ELIMIT past max,
 * IDT_ENOMEM when an allocation fails.  A failed call leaves the contents
 * as they were.
 *
 * Growth doubles the allocation, or goes straight to what a reserve asks
 * when that is more, so a caller that knows the final size allocates once.
 */
#ifndef IDT_UTIL_BUF_H
#define IDT_UTIL_BUF_H

#include <stddef.h>
#include "util/error_int.h"

typedef struct idtx_buf {
    char *data;       /* NUL-terminated once anything was reserved; else NULL */
    size_t len;       /* bytes put, without the NUL */
    size_t cap;       /* bytes allocated */
    size_t max;       /* len never exceeds this */
    const char *what; /* names the output in the limit error (static) */
} idtx_buf;

/* Starts an empty buffer that holds at most max bytes. */
void idtx_buf_init(idtx_buf *b, size_t max, const char *what);

/* Makes room for n more bytes (and the NUL) without putting anything. */
int idtx_buf_reserve(idtx_buf *b, size_t n, idt_error *err);

/*
 * For a producer that writes in place (read(2), an inflater): the bytes
 * allocated past len, not counting the NUL's, that it may write at
 * b->data + b->len; 0 before anything was reserved.  idtx_buf_commit then
 * counts the n it wrote (n <= idtx_buf_room(b)) and puts the NUL after
 * them.  Both keep len <= max, as reserve never allocates past max.
 */
size_t idtx_buf_room(const idtx_buf *b);
void idtx_buf_commit(idtx_buf *b, size_t n);

/* Appends n bytes of p (NUL bytes allowed). */
int idtx_buf_put(idtx_buf *b, const void *p, size_t n, idt_error *err);

/* Appends a NUL-terminated string, one byte, or n copies of one byte. */
int idtx_buf_puts(idtx_buf *b, const char *s, idt_error *err);
int idtx_buf_putc(idtx_buf *b, char c, idt_error *err);
int idtx_buf_fill(idtx_buf *b, char c, size_t n, idt_error *err);

/* Appends printf-formatted text (measured first, then written in place). */
int idtx_buf_printf(idtx_buf *b, idt_error *err, const char *fmt, ...) IDTX_PRINTF(3, 4);

/*
 * Hands the NUL-terminated contents to the caller (free with free(); an
 * empty buffer gives an allocated "") and leaves b empty.  out_len may be
 * NULL.  Returns IDT_OK or IDT_ENOMEM.
 */
int idtx_buf_take(idtx_buf *b, char **out, size_t *out_len, idt_error *err);

/* Frees the contents; b may be reused after idtx_buf_init. */
void idtx_buf_dispose(idtx_buf *b);

#endif
