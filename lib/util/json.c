/* JSON strings (util/json.h). */
#include "util/json.h"
#include "util/utf8.h"

/* Escapes one byte below 0x20, or DEL, the way JSON requires. */
static int put_control(idtx_buf *b, unsigned char c, idt_error *err)
{
    static const char short_esc[] = { ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
                                      ['\r'] = 'r', ['\t'] = 't' };
    if (c < sizeof short_esc && short_esc[c]) {
        char esc[2] = { '\\', short_esc[c] };
        return idtx_buf_put(b, esc, 2, err);
    }
    return idtx_buf_printf(b, err, "\\u%04x", c);
}

int idtx_json_string(idtx_buf *b, const char *s, size_t n, bool replace_bad, size_t *bad_at,
                     idt_error *err)
{
    const unsigned char *p = (const unsigned char *)s;
    IDTX_TRY(idtx_buf_putc(b, '"', err));
    size_t i = 0;
    while (i < n) {
        /* Copy the longest run that needs no escaping in one go. */
        size_t run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' && p[run] != '\\')
            run++;
        if (run > i)
            IDTX_TRY(idtx_buf_put(b, s + i, run - i, err));
        i = run;
        if (i == n)
            break;
        unsigned char c = p[i];
        size_t len = 1;
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            IDTX_TRY(idtx_buf_put(b, esc, 2, err));
        } else if (c < 0x20 || c == 0x7f) {
            IDTX_TRY(put_control(b, c, err));
        } else if ((len = idtx_utf8_seq(p + i, n - i, NULL)) != 0) {
            IDTX_TRY(idtx_buf_put(b, s + i, len, err));
        } else if (replace_bad) {
            len = 1;
            IDTX_TRY(idtx_buf_puts(b, "\\ufffd", err));
        } else {
            if (bad_at)
                *bad_at = i;
            return IDT_EFORMAT;
        }
        i += len;
    }
    return idtx_buf_putc(b, '"', err);
}
