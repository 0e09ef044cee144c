/* Hex digits and hex text, one definition for the library: the parsers
 * that read \u escapes and hex fields, and the writers of digests, binding
 * values and messages. */
#ifndef IDT_UTIL_HEX_H
#define IDT_UTIL_HEX_H

#include <stddef.h>
#include <stdint.h>

/* The value of hex digit c (either case), or -1. */
static inline int idtx_hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The value of the ndigits (at most 8) hex digits at s, most significant
 * first, as in a \uXXXX or \UXXXXXXXX escape.  The caller has checked that
 * they are hex digits. */
static inline uint32_t idtx_hex_decode_u32(const char *s, size_t ndigits)
{
    uint32_t v = 0;
    for (size_t i = 0; i < ndigits; i++)
        v = v << 4 | (uint32_t)idtx_hex_value((unsigned char)s[i]);
    return v;
}

/* Writes n bytes of src as 2n lowercase hex digits and a NUL into dst,
 * which holds 2n + 1 bytes.  Returns 2n. */
size_t idtx_hex_encode(char *dst, const void *src, size_t n);

/* Decodes n hex digits of src (either case) into n / 2 bytes of dst.
 * Returns 0, or -1 when n is odd or a character is not a hex digit (dst
 * may then hold part of the output). */
int idtx_hex_decode(uint8_t *dst, const char *src, size_t n);

#endif
