/* JSON strings written to a FILE (json_out.h). */
#include "json_out.h"
#include "util/json.h"

#include <string.h>

void cli_json_string(FILE *f, const char *s, size_t n)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    idtx_buf b;
    /* An escaped byte is at most 6 bytes (\u00XX, or \ufffd for a bad one). */
    idtx_buf_init(&b, n < ((size_t)-1 - 8) / 6 ? n * 6 + 2 : n, "a JSON string");
    if (idtx_json_string(&b, s, n, true, NULL, NULL) == IDT_OK)
        fwrite(b.data, 1, b.len, f);
    else
        fputs("null", f); /* out of memory: the report stays JSON */
    idtx_buf_dispose(&b);
}

void cli_json_cstring(FILE *f, const char *s)
{
    cli_json_string(f, s, s ? strlen(s) : 0);
}
