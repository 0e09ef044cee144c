/* A bump allocator: many small allocations, one free.  Parsed documents own
 * one arena each, so freeing a document is O(chunks), not O(nodes). */
#ifndef IDT_UTIL_ARENA_H
#define IDT_UTIL_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct idtx_arena_chunk idtx_arena_chunk;

typedef struct idtx_arena {
    idtx_arena_chunk *head; /* the chunk being filled; older ones follow */
    size_t next_size;       /* size of the next ordinary chunk */
    size_t ordinary;        /* bytes of ordinary (malloc) chunks so far; past
                               a bound, chunks are mapped (arena.c) */
    unsigned char *cur;     /* the free part of head's chunk: [cur, end) */
    unsigned char *end;
} idtx_arena;

#define IDTX_ARENA_INIT { NULL, 0, 0, NULL, NULL }

/* Allocations are rounded up to this, so that every block is aligned for
 * any type. */
#define IDTX_ARENA_ALIGN ((size_t)_Alignof(max_align_t))

/* The slow path of idtx_arena_alloc: a new chunk. */
void *idtx_arena_alloc_slow(idtx_arena *a, size_t size);

/* Returns size bytes aligned for any type, or NULL when out of memory or
 * when size is absurd.  The memory is uninitialised.  Inline: a parser
 * allocates once per node, and the common case is a pointer bump. */
static inline void *idtx_arena_alloc(idtx_arena *a, size_t size)
{
    size_t need = (size + IDTX_ARENA_ALIGN - 1) & ~(IDTX_ARENA_ALIGN - 1);
    if (size <= ((size_t)-1) / 2 && (uintptr_t)a->end - (uintptr_t)a->cur >= need) {
        void *p = a->cur;
        a->cur += need;
        return p;
    }
    return idtx_arena_alloc_slow(a, size);
}

/* Copies len bytes and appends a NUL; NULL when out of memory. */
char *idtx_arena_strndup(idtx_arena *a, const char *s, size_t len);

/* Frees every chunk; the arena may be reused afterwards. */
void idtx_arena_dispose(idtx_arena *a);

#endif
