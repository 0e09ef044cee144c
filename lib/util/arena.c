/* The bump allocator (arena.h). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct idtx_arena_chunk {
    idtx_arena_chunk *next;
    size_t cap;
    size_t mapped; /* bytes mapped for a big chunk (munmap); 0 for malloc */
    alignas(max_align_t) unsigned char data[];
};

#define ALIGN IDTX_ARENA_ALIGN
#define FIRST_CHUNK ((size_t)4096)
#define MAX_CHUNK ((size_t)64 << 10) /* below malloc's mmap threshold: reused, not refaulted */
/* A large tree (a key-heavy document makes 16 bytes of nodes per byte of
 * text) would fault its memory in one 4 KiB page at a time, and malloc
 * gives it back to the system at free, so a process that parses one such
 * document after another pays the faults each time: they cost more than
 * the parse.  Past BIG_AFTER bytes of ordinary chunks, chunks are
 * BIG_CHUNK bytes of their own mapping, aligned so that the system may
 * back them with one huge page each (madvise; where it does not, they are
 * ordinary pages, touched as used).  Small documents never get there: an
 * Init-Data document of policies makes a few nodes, and a tree reaches
 * 512 KiB from about 32 KiB of key-heavy text. */
#define BIG_AFTER ((size_t)512 << 10)
#define BIG_CHUNK ((size_t)2 << 20)

/* A BIG_CHUNK-aligned mapping of BIG_CHUNK bytes holding one chunk, or
 * NULL (the caller then uses malloc). */
static idtx_arena_chunk *chunk_map(void)
{
#if defined(MAP_ANONYMOUS)
    size_t span = 2 * BIG_CHUNK;
    void *m = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    uintptr_t at = ((uintptr_t)m + BIG_CHUNK - 1) & ~(uintptr_t)(BIG_CHUNK - 1);
    size_t head = at - (uintptr_t)m;
    if (head)
        munmap(m, head);
    if (span - head > BIG_CHUNK)
        munmap((unsigned char *)at + BIG_CHUNK, span - head - BIG_CHUNK);
#if defined(MADV_HUGEPAGE)
    (void)madvise((void *)at, BIG_CHUNK, MADV_HUGEPAGE); /* a hint: failure is fine */
#endif
    idtx_arena_chunk *c = (idtx_arena_chunk *)at;
    c->cap = BIG_CHUNK - sizeof *c;
    c->mapped = BIG_CHUNK;
    return c;
#else
    return NULL;
#endif
}

static void chunk_free(idtx_arena_chunk *c)
{
    if (c->mapped)
        munmap(c, c->mapped);
    else
        free(c);
}

static idtx_arena_chunk *chunk_new(size_t cap)
{
    if (cap > SIZE_MAX - sizeof(idtx_arena_chunk))
        return NULL;
    idtx_arena_chunk *c = malloc(sizeof *c + cap);
    if (c) {
        c->cap = cap;
        c->mapped = 0;
    }
    return c;
}

void *idtx_arena_alloc_slow(idtx_arena *a, size_t size)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t need = (size + ALIGN - 1) & ~(ALIGN - 1);
    if ((uintptr_t)a->end - (uintptr_t)a->cur >= need) { /* called directly */
        void *p = a->cur;
        a->cur += need;
        return p;
    }
    idtx_arena_chunk *c = a->head;
    if (!a->next_size)
        a->next_size = FIRST_CHUNK;
    if (need > a->next_size / 4) {
        /* A big block gets a chunk of its own, kept behind the current one
         * so that the current chunk's free space is not wasted. */
        idtx_arena_chunk *big = chunk_new(need);
        if (!big)
            return NULL;
        if (c) {
            big->next = c->next;
            c->next = big;
        } else {
            big->next = NULL;
            a->head = big;
        }
        return big->data;
    }
    idtx_arena_chunk *n = a->ordinary >= BIG_AFTER ? chunk_map() : NULL;
    if (!n) {
        n = chunk_new(a->next_size);
        if (!n)
            return NULL;
        a->ordinary += a->next_size;
        if (a->next_size < MAX_CHUNK)
            a->next_size *= 2;
    }
    n->next = c;
    a->head = n;
    a->cur = n->data + need;
    a->end = n->data + n->cap;
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
        chunk_free(c);
        c = n;
    }
    a->head = NULL;
    a->next_size = 0;
    a->ordinary = 0;
    a->cur = a->end = NULL;
}
