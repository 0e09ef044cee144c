/* UTF-8 validation as TOML 1.0 requires (author.h). */
#include "initdata/author.h"
#include "util/error_int.h"
#include "util/utf8.h"

#include <stdint.h>

int idt_author_check_utf8(const char *str, size_t len, idt_error *err)
{
    if (!str && len)
        return idtx_error_set(err, IDT_EINVAL, NULL, "NULL text with a length of %zu", len);
    const unsigned char *s = (const unsigned char *)str;
    uint64_t line = 1, column = 1;
    for (size_t i = 0; i < len;) {
        const char *why = NULL;
        size_t n = idtx_utf8_seq(s + i, len - i, &why);
        if (!n)
            return idtx_error_at_offset(err, IDT_ESYNTAX, i,
                                        "invalid UTF-8 on line %llu, column %llu (byte 0x%02X): %s "
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
