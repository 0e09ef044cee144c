/* Splices: a list of (range, text) edits applied in one pass.  Everything
 * between the ranges is copied byte for byte. */
#include "manifest_int.h"

#include <stdlib.h>
#include <string.h>

int idt_manifest__edits_add(idt_manifest__edits *e, size_t start, size_t end, idtx_buf *text,
                            idt_error *err)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 8;
        idt_manifest__edit *v = cap <= SIZE_MAX / sizeof *v ? realloc(e->v, cap * sizeof *v) : NULL;
        if (!v) {
            idtx_buf_dispose(text);
            return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
        }
        e->v = v;
        e->cap = cap;
    }
    idt_manifest__edit *x = &e->v[e->n];
    int rc = idtx_buf_take(text, &x->text, &x->text_len, err); /* the edit owns it now */
    if (rc < 0) {
        idtx_buf_dispose(text);
        return rc;
    }
    x->start = start;
    x->end = end;
    x->seq = e->n++;
    return IDT_OK;
}

void idt_manifest__edits_dispose(idt_manifest__edits *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i].text);
    free(e->v);
    e->v = NULL;
    e->n = e->cap = 0;
}

static int by_position(const void *a, const void *b)
{
    const idt_manifest__edit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int idt_manifest__edits_apply(char **out, size_t *out_len, const char *src, size_t len,
                              idt_manifest__edits *e, idt_error *err)
{
    *out = NULL;
    if (e->n > 1)
        qsort(e->v, e->n, sizeof *e->v, by_position);
    size_t total = len;
    for (size_t i = 0; i < e->n; i++) {
        const idt_manifest__edit *x = &e->v[i];
        /* Ranges come from one scan of one text: overlapping ones would be
         * a planning bug, and applying them would corrupt the output. */
        if (x->end < x->start || x->end > len || (i > 0 && x->start < e->v[i - 1].end))
            return idtx_error_set(err, IDT_ERROR, NULL,
                                  "internal error: overlapping edits at byte %zu", x->start);
        total -= x->end - x->start;
        if (x->text_len > SIZE_MAX - 1 - total)
            return idtx_error_set(err, IDT_ELIMIT, NULL, "the edited manifest is too large");
        total += x->text_len;
    }
    char *buf = malloc(total + 1);
    if (!buf)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    size_t w = 0, r = 0;
    for (size_t i = 0; i < e->n; i++) {
        const idt_manifest__edit *x = &e->v[i];
        memcpy(buf + w, src + r, x->start - r);
        w += x->start - r;
        if (x->text_len)
            memcpy(buf + w, x->text, x->text_len);
        w += x->text_len;
        r = x->end;
    }
    memcpy(buf + w, src + r, len - r);
    w += len - r;
    buf[w] = '\0';
    *out = buf;
    *out_len = w;
    return IDT_OK;
}
