/* JSON strings for --json output (json_out.h). */
#include "json_out.h"

#include <string.h>

#include "util/utf8.h"

void cli_json_string(FILE *f, const char *s, size_t n)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
        } else if (c == '\n') {
            fputs("\\n", f);
        } else if (c == '\t') {
            fputs("\\t", f);
        } else if (c == '\r') {
            fputs("\\r", f);
        } else if (c < 0x20) {
            fprintf(f, "\\u%04x", c);
        } else if (c >= 0x80) {
            size_t len = idtx_utf8_seq(p + i, n - i, NULL);
            if (len) {
                fwrite(p + i, 1, len, f);
                i += len;
                continue;
            }
            fputs("\\ufffd", f);
        } else {
            fputc(c, f);
        }
        i++;
    }
    fputc('"', f);
}

void cli_json_cstring(FILE *f, const char *s)
{
    cli_json_string(f, s, s ? strlen(s) : 0);
}
