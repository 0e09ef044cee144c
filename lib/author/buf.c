/* The bounded output buffer of lib/author (author_int.h). */
#include "author_int.h"
#include "util/error_int.h"

#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes plus the NUL.  The limit is checked before
 * any allocation, and the sums cannot wrap: len <= max always holds and
 * max is well below SIZE_MAX. */
static int reserve(idt_author__buf *b, size_t n, idt_error *err)
{
    if (n > b->max || b->len > b->max - n)
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "%s would be larger than the limit of %zu bytes",
                              b->what ? b->what : "the output", b->max);
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return IDT_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (b->max < SIZE_MAX && cap > b->max + 1)
        cap = b->max + 1;
    char *p = realloc(b->data, cap);
    if (!p)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory (%zu bytes)", cap);
    b->data = p;
    b->cap = cap;
    return IDT_OK;
}

int idt_author__buf_put(idt_author__buf *b, const void *p, size_t n, idt_error *err)
{
    if (n == 0)
        return IDT_OK;
    IDTX_TRY(reserve(b, n, err));
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return IDT_OK;
}

int idt_author__buf_puts(idt_author__buf *b, const char *s, idt_error *err)
{
    return idt_author__buf_put(b, s, strlen(s), err);
}

int idt_author__buf_putc(idt_author__buf *b, char c, idt_error *err)
{
    return idt_author__buf_put(b, &c, 1, err);
}

int idt_author__buf_take(idt_author__buf *b, char **out, size_t *out_len, idt_error *err)
{
    if (!b->data && !(b->data = calloc(1, 1)))
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    *out = b->data;
    if (out_len)
        *out_len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return IDT_OK;
}

void idt_author__buf_dispose(idt_author__buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
