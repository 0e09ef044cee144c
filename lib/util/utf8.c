/* UTF-8 well-formedness (utf8.h). */
#include "utf8.h"

static size_t bad(const char **why, const char *phrase)
{
    if (why)
        *why = phrase;
    return 0;
}

size_t idtx_utf8_seq(const unsigned char *s, size_t n, const char **why)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xbf; /* the second byte's range */
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; /* E0 80..9F would be overlong */
        hi = c == 0xed ? 0x9f : 0xbf; /* ED A0..BF are surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        lo = c == 0xf0 ? 0x90 : 0x80; /* F0 80..8F would be overlong */
        hi = c == 0xf4 ? 0x8f : 0xbf; /* F4 90.. is above U+10FFFF */
    } else if (c < 0xc0) {
        return bad(why, "a continuation byte where a character should start");
    } else {
        return bad(why, c < 0xc2 ? "overlong encoding" : "a byte that never occurs in UTF-8");
    }
    if (n < len)
        return bad(why, "a multi-byte character cut off by the end of the input");
    if ((s[1] & 0xc0) != 0x80)
        return bad(why, "a multi-byte character cut short by a bad continuation byte");
    if (s[1] < lo)
        return bad(why, "overlong encoding");
    if (s[1] > hi)
        return bad(why, c == 0xed ? "an encoded UTF-16 surrogate (U+D800..U+DFFF)"
                                  : "a code point above U+10FFFF");
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return bad(why, "a multi-byte character cut short by a bad continuation byte");
    return len;
}

size_t idtx_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    static const unsigned char lead_bits[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
    size_t len = idtx_utf8_seq(s, n, NULL);
    if (len == 0)
        return 0;
    uint32_t v = s[0] & lead_bits[len];
    for (size_t i = 1; i < len; i++)
        v = v << 6 | (s[i] & 0x3fu);
    *cp = v;
    return len;
}

size_t idtx_utf8_encoded_len(uint32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

size_t idtx_utf8_encode(char *dst, uint32_t cp)
{
    static const unsigned char lead[] = { 0, 0, 0xc0, 0xe0, 0xf0 };
    size_t len = idtx_utf8_encoded_len(cp);
    if (len == 1) {
        dst[0] = (char)cp;
        return 1;
    }
    for (size_t i = len - 1; i > 0; i--) {
        dst[i] = (char)(0x80 | (cp & 0x3f));
        cp >>= 6;
    }
    dst[0] = (char)(lead[len] | cp);
    return len;
}
