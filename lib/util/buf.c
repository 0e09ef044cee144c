/* The bounded growable buffer (util/buf.h). */
#include "util/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void idtx_buf_init(idtx_buf *b, size_t max, const char *what)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max < SIZE_MAX - 1 ? max : SIZE_MAX - 2; /* len + NUL never wraps */
    b->what = what;
}

/* The limit is checked before any allocation; len <= max < SIZE_MAX - 1
 * always holds, so the sums below cannot wrap. */
int idtx_buf_reserve(idtx_buf *b, size_t n, idt_error *err)
{
    if (n > b->max || b->len > b->max - n)
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "%s would be larger than the limit of %zu bytes",
                              b->what ? b->what : "the output", b->max);
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return IDT_OK;
    /* Doubling keeps appends amortised O(1); going straight to need when
     * it is more lets a caller that knows the size allocate once. */
    size_t cap = !b->cap ? 256 : b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
    if (cap < need)
        cap = need;
    if (cap > b->max + 1)
        cap = b->max + 1;
    char *p = realloc(b->data, cap);
    if (!p)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory (%zu bytes)", cap);
    p[b->len] = '\0'; /* a reserve alone still leaves a string to take */
    b->data = p;
    b->cap = cap;
    return IDT_OK;
}

size_t idtx_buf_room(const idtx_buf *b)
{
    return b->cap ? b->cap - b->len - 1 : 0;
}

void idtx_buf_commit(idtx_buf *b, size_t n)
{
    /* n past the room is the caller's bug; clamping keeps len (and the
     * NUL written below) inside the allocation all the same. */
    size_t room = idtx_buf_room(b);
    b->len += n < room ? n : room;
    if (b->data)
        b->data[b->len] = '\0';
}

int idtx_buf_put(idtx_buf *b, const void *p, size_t n, idt_error *err)
{
    IDTX_TRY(idtx_buf_reserve(b, n, err));
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return IDT_OK;
}

int idtx_buf_puts(idtx_buf *b, const char *s, idt_error *err)
{
    return idtx_buf_put(b, s, strlen(s), err);
}

int idtx_buf_putc(idtx_buf *b, char c, idt_error *err)
{
    return idtx_buf_put(b, &c, 1, err);
}

int idtx_buf_fill(idtx_buf *b, char c, size_t n, idt_error *err)
{
    IDTX_TRY(idtx_buf_reserve(b, n, err));
    memset(b->data + b->len, c, n);
    b->len += n;
    b->data[b->len] = '\0';
    return IDT_OK;
}

int idtx_buf_printf(idtx_buf *b, idt_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return idtx_error_set(err, IDT_EINVAL, NULL, "cannot format \"%s\"", fmt);
    IDTX_TRY(idtx_buf_reserve(b, (size_t)n, err));
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return IDT_OK;
}

int idtx_buf_take(idtx_buf *b, char **out, size_t *out_len, idt_error *err)
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

void idtx_buf_dispose(idtx_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
