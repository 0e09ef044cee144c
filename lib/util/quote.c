/* Bounded, escaped quoting for messages (quote.h). */
#include "util/quote.h"
#include "util/utf8.h"

#include <stdio.h>
#include <string.h>

/* Where to cut s so that at most IDTX_QUOTE_KEEP bytes are kept without
 * splitting a UTF-8 sequence (a cut one would print as garbage).  A
 * sequence is at most 4 bytes, so a longer run of continuation bytes is
 * not UTF-8 and is cut anywhere (it is escaped byte by byte). */
static size_t cut_point(const char *s, size_t len)
{
    if (len <= IDTX_QUOTE_KEEP)
        return len;
    size_t n = IDTX_QUOTE_KEEP;
    while (n > IDTX_QUOTE_KEEP - 3 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

char *idtx_quote(char dst[IDTX_QUOTE_MAX], const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t keep = cut_point(s, len), o = 0;
    dst[o++] = '"';
    for (size_t i = 0; i < keep; i++) {
        unsigned char c = u[i];
        size_t seq = c < 0x80 ? 1 : idtx_utf8_seq(u + i, keep - i, NULL);
        if (seq > 1) {
            memcpy(dst + o, u + i, seq);
            o += seq;
            i += seq - 1;
        } else if (c == '"' || c == '\\') {
            dst[o++] = '\\';
            dst[o++] = (char)c;
        } else if (c == '\n' || c == '\t' || c == '\r') {
            dst[o++] = '\\';
            dst[o++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        } else if (c < 0x20 || c >= 0x7F) { /* a control byte, DEL, or not UTF-8 */
            snprintf(dst + o, 5, "\\x%02x", c);
            o += 4;
        } else {
            dst[o++] = (char)c;
        }
    }
    dst[o++] = '"';
    if (keep < len) {
        dst[o++] = '.';
        dst[o++] = '.';
        dst[o++] = '.';
    }
    dst[o] = '\0';
    return dst;
}
