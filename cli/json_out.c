/* JSON strings (json_out.h). */
#include "json_out.h"
#include "initdata/common.h"
#include "util/utf8.h"

#include <string.h>

/* Escapes one byte below 0x20, or DEL, the way JSON requires. */
static int put_control(cli_json_sink sink, void *ctx, unsigned char c)
{
    static const char short_esc[] = { ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
                                      ['\r'] = 'r', ['\t'] = 't' };
    char esc[8];
    if (c < sizeof short_esc && short_esc[c]) {
        esc[0] = '\\';
        esc[1] = short_esc[c];
        return sink(ctx, esc, 2);
    }
    snprintf(esc, sizeof esc, "\\u%04x", c);
    return sink(ctx, esc, 6);
}

#define TRY(expr)                                                            \
    do {                                                                     \
        int rc_ = (expr);                                                    \
        if (rc_ < 0)                                                         \
            return rc_;                                                      \
    } while (0)

int cli_json_write_string(cli_json_sink sink, void *ctx, const char *s, size_t n,
                          bool replace_bad, size_t *bad_at)
{
    const unsigned char *p = (const unsigned char *)s;
    TRY(sink(ctx, "\"", 1));
    size_t i = 0;
    while (i < n) {
        /* Copy the longest run that needs no escaping in one go. */
        size_t run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' && p[run] != '\\')
            run++;
        if (run > i)
            TRY(sink(ctx, s + i, run - i));
        i = run;
        if (i == n)
            break;
        unsigned char c = p[i];
        size_t len = 1;
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            TRY(sink(ctx, esc, 2));
        } else if (c < 0x20 || c == 0x7f) {
            TRY(put_control(sink, ctx, c));
        } else if ((len = idtx_utf8_seq(p + i, n - i, NULL)) != 0) {
            TRY(sink(ctx, s + i, len));
        } else if (replace_bad) {
            len = 1;
            TRY(sink(ctx, "\\ufffd", 6));
        } else {
            if (bad_at)
                *bad_at = i;
            return IDT_EFORMAT;
        }
        i += len;
    }
    return sink(ctx, "\"", 1);
}

static int file_sink(void *ctx, const char *s, size_t n)
{
    return fwrite(s, 1, n, ctx) == n ? 0 : IDT_EIO;
}

void cli_json_string(FILE *f, const char *s, size_t n)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    /* A write error shows in ferror(f), which the caller checks on close. */
    (void)cli_json_write_string(file_sink, f, s, n, true, NULL);
}

void cli_json_cstring(FILE *f, const char *s)
{
    cli_json_string(f, s, s ? strlen(s) : 0);
}
