/* A bump allocator: many small allocations, one free.  Parsed documents own
 * one arena each, so freeing a document is O(chunks), not O(nodes). */
#ifndef IDT_UTIL_ARENA_H
#define IDT_UTIL_ARENA_H

#include <stddef.h>

typedef struct idtx_arena_chunk idtx_arena_chunk;

typedef struct idtx_arena {
    idtx_arena_chunk *head; /* the chunk being filled; older ones follow */
    size_t next_size;       /* size of the next ordinary chunk */
    size_t ordinary;        /* bytes of ordinary (malloc) chunks so far; past
                               a bound, chunks are mapped (arena.c) */
} idtx_arena;

#define IDTX_ARENA_INIT { NULL, 0, 0 }

/* Returns size bytes aligned for any type, or NULL when out of memory or
 * when size is absurd.  The memory is uninitialised. */
void *idtx_arena_alloc(idtx_arena *a, size_t size);

/* Copies len bytes and appends a NUL; NULL when out of memory. */
char *idtx_arena_strndup(idtx_arena *a, const char *s, size_t len);

/* Frees every chunk; the arena may be reused afterwards. */
void idtx_arena_dispose(idtx_arena *a);

#endif
