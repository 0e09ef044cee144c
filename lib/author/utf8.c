/* UTF-8 validation as TOML 1.0 requires (author.h). */
#include "initdata/author.h"
#include "util/error_int.h"

#include <stdint.h>

/* Length of the valid sequence at s[i..len), or 0 with *why set.  Ranges
 * follow RFC 3629 table 3-7: the second byte's range excludes overlong
 * forms (E0, F0), surrogates (ED) and code points above U+10FFFF (F4). */
static size_t sequence_len(const unsigned char *s, size_t i, size_t len, const char **why)
{
    unsigned char c = s[i];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *why = c >= 0x80 && c <= 0xBF ? "is a continuation byte with no lead byte"
             : c == 0xC0 || c == 0xC1 ? "starts an overlong encoding"
                                      : "can never appear in UTF-8";
        return 0;
    }
    if (len - i < n) {
        *why = "starts a character that the input cuts off";
        return 0;
    }
    if (s[i + 1] < lo || s[i + 1] > hi) {
        *why = c == 0xED && s[i + 1] >= 0xA0 ? "starts a surrogate (U+D800..U+DFFF)"
             : c == 0xF4 && s[i + 1] >= 0x90 ? "starts a code point above U+10FFFF"
             : (c == 0xE0 || c == 0xF0) && s[i + 1] >= 0x80 && s[i + 1] < lo
                 ? "starts an overlong encoding"
                 : "starts a character with a bad continuation byte";
        return 0;
    }
    for (size_t k = 2; k < n; k++)
        if (s[i + k] < 0x80 || s[i + k] > 0xBF) {
            *why = "starts a character with a bad continuation byte";
            return 0;
        }
    return n;
}

int idt_author_check_utf8(const char *str, size_t len, idt_error *err)
{
    if (!str && len)
        return idtx_error_set(err, IDT_EINVAL, NULL, "NULL text with a length of %zu", len);
    const unsigned char *s = (const unsigned char *)str;
    uint64_t line = 1, column = 1;
    for (size_t i = 0; i < len;) {
        const char *why = NULL;
        size_t n = sequence_len(s, i, len, &why);
        if (!n)
            return idtx_error_at_offset(err, IDT_ESYNTAX, i,
                                        "invalid UTF-8 on line %llu, column %llu: byte 0x%02X %s "
                                        "(TOML strings, and so Init-Data entries, must be UTF-8)",
                                        (unsigned long long)line, (unsigned long long)column,
                                        s[i], why);
        if (s[i] == '\n') {
            line++;
            column = 1;
        } else {
            column += n; /* columns count bytes, as everywhere in idt_error */
        }
        i += n;
    }
    return IDT_OK;
}
