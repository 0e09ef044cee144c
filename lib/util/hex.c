/* Hex text (hex.h). */
#include "util/hex.h"

size_t idtx_hex_encode(char *dst, const void *src, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *p = src;
    for (size_t i = 0; i < n; i++) {
        dst[2 * i] = digits[p[i] >> 4];
        dst[2 * i + 1] = digits[p[i] & 15];
    }
    dst[2 * n] = '\0';
    return 2 * n;
}

int idtx_hex_decode(uint8_t *dst, const char *src, size_t n)
{
    if (n % 2)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = idtx_hex_value((unsigned char)src[i]);
        int lo = idtx_hex_value((unsigned char)src[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        dst[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}
