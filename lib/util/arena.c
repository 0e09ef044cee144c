/* The bump allocator (arena.h). */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct idtx_arena_chunk {
    idtx_arena_chunk *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

#define ALIGN ((size_t)alignof(max_align_t))
#define FIRST_CHUNK ((size_t)4096)
#define MAX_CHUNK ((size_t)64 << 10) /* below malloc's mmap threshold: reused, not refaulted */

static idtx_arena_chunk *chunk_new(size_t cap)
{
    if (cap > SIZE_MAX - sizeof(idtx_arena_chunk))
        return NULL;
    idtx_arena_chunk *c = malloc(sizeof *c + cap);
    if (c) {
        c->used = 0;
        c->cap = cap;
    }
    return c;
}

void *idtx_arena_alloc(idtx_arena *a, size_t size)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t need = (size + ALIGN - 1) & ~(ALIGN - 1);
    idtx_arena_chunk *c = a->head;
    if (c && c->cap - c->used >= need) {
        void *p = c->data + c->used;
        c->used += need;
        return p;
    }
    if (!a->next_size)
        a->next_size = FIRST_CHUNK;
    if (need > a->next_size / 4) {
        /* A big block gets a chunk of its own, kept behind the current one
         * so that the current chunk's free space is not wasted. */
        idtx_arena_chunk *big = chunk_new(need);
        if (!big)
            return NULL;
        big->used = need;
        if (c) {
            big->next = c->next;
            c->next = big;
        } else {
            big->next = NULL;
            a->head = big;
        }
        return big->data;
    }
    idtx_arena_chunk *n = chunk_new(a->next_size);
    if (!n)
        return NULL;
    if (a->next_size < MAX_CHUNK)
        a->next_size *= 2;
    n->next = c;
    a->head = n;
    n->used = need;
    return n->data;
}

char *idtx_arena_strndup(idtx_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = idtx_arena_alloc(a, len + 1);
    if (p) {
        if (len)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

void idtx_arena_dispose(idtx_arena *a)
{
    idtx_arena_chunk *c = a->head;
    while (c) {
        idtx_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    a->head = NULL;
    a->next_size = 0;
}
