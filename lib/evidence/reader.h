/*
 * A bounds-checked cursor over a caller's buffer, for the binary evidence
 * formats.  Every read checks the remaining length first and never moves
 * past the end; a failed read leaves the cursor where it was.  Values are
 * assembled byte by byte (no casts of packed structs, no alignment or
 * endianness assumptions); byte strings are returned as views into the
 * buffer, never copied.
 *
 * Intel and AMD structures are little-endian (the *le readers); TPM
 * structures are big-endian (the *be readers).
 */
#ifndef IDT_EVIDENCE_READER_H
#define IDT_EVIDENCE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct idt_evidence__rd {
    const uint8_t *base; /* the buffer */
    size_t len;          /* its length */
    size_t pos;          /* the next byte to read, 0 <= pos <= len */
} idt_evidence__rd;

static inline idt_evidence__rd idt_evidence__rd_init(const void *base, size_t len)
{
    idt_evidence__rd r = { (const uint8_t *)base, len, 0 };
    return r;
}

/* Bytes left to read. */
static inline size_t idt_evidence__rd_left(const idt_evidence__rd *r)
{
    return r->len - r->pos;
}

/* Whether n more bytes can be read. */
static inline bool idt_evidence__rd_has(const idt_evidence__rd *r, size_t n)
{
    return n <= r->len - r->pos;
}

/* A view of the next n bytes; advances. */
static inline bool idt_evidence__rd_bytes(idt_evidence__rd *r, size_t n, const uint8_t **out)
{
    if (!idt_evidence__rd_has(r, n))
        return false;
    *out = r->base + r->pos;
    r->pos += n;
    return true;
}

static inline bool idt_evidence__rd_skip(idt_evidence__rd *r, size_t n)
{
    const uint8_t *unused;
    return idt_evidence__rd_bytes(r, n, &unused);
}

/* A view of n bytes at absolute offset off (the cursor does not move). */
static inline bool idt_evidence__rd_at(const idt_evidence__rd *r, size_t off, size_t n,
                                 const uint8_t **out)
{
    if (off > r->len || n > r->len - off)
        return false;
    *out = r->base + off;
    return true;
}

/* Reads an n-byte unsigned integer (n <= 8), little- or big-endian. */
static inline bool idt_evidence__rd_uint(idt_evidence__rd *r, size_t n, bool big_endian,
                                         uint64_t *v)
{
    const uint8_t *p;
    if (!idt_evidence__rd_bytes(r, n, &p))
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++)
        x |= (uint64_t)p[big_endian ? i : n - 1 - i] << (8 * (n - 1 - i));
    *v = x;
    return true;
}

static inline bool idt_evidence__rd_u8(idt_evidence__rd *r, uint8_t *v)
{
    uint64_t x;
    if (!idt_evidence__rd_uint(r, 1, false, &x))
        return false;
    *v = (uint8_t)x;
    return true;
}

static inline bool idt_evidence__rd_u16le(idt_evidence__rd *r, uint16_t *v)
{
    uint64_t x;
    if (!idt_evidence__rd_uint(r, 2, false, &x))
        return false;
    *v = (uint16_t)x;
    return true;
}

static inline bool idt_evidence__rd_u32le(idt_evidence__rd *r, uint32_t *v)
{
    uint64_t x;
    if (!idt_evidence__rd_uint(r, 4, false, &x))
        return false;
    *v = (uint32_t)x;
    return true;
}

static inline bool idt_evidence__rd_u64le(idt_evidence__rd *r, uint64_t *v)
{
    return idt_evidence__rd_uint(r, 8, false, v);
}

static inline bool idt_evidence__rd_u16be(idt_evidence__rd *r, uint16_t *v)
{
    uint64_t x;
    if (!idt_evidence__rd_uint(r, 2, true, &x))
        return false;
    *v = (uint16_t)x;
    return true;
}

static inline bool idt_evidence__rd_u32be(idt_evidence__rd *r, uint32_t *v)
{
    uint64_t x;
    if (!idt_evidence__rd_uint(r, 4, true, &x))
        return false;
    *v = (uint32_t)x;
    return true;
}

/* A TPM2B: a big-endian u16 size, then that many bytes (a view). */
static inline bool idt_evidence__rd_tpm2b(idt_evidence__rd *r, const uint8_t **out, uint16_t *size)
{
    size_t start = r->pos;
    if (!idt_evidence__rd_u16be(r, size) || !idt_evidence__rd_bytes(r, *size, out)) {
        r->pos = start;
        return false;
    }
    return true;
}

/* Reads a little-endian integer of n bytes at absolute offset off. */
static inline uint64_t idt_evidence__le_at(const uint8_t *p, size_t n)
{
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++)
        x |= (uint64_t)p[i] << (8 * i);
    return x;
}

#endif /* IDT_EVIDENCE_READER_H */
