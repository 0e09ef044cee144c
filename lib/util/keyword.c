/* Keyword tables of the public enums (keyword.h). */
#include "util/keyword.h"
#include "util/buf.h"
#include "util/error_int.h"
#include "util/quote.h"

#include <string.h>

const char *idtx_keyword_name(const idtx_keyword *table, size_t n, int value)
{
    for (size_t i = 0; table && i < n; i++)
        if (table[i].value == value)
            return table[i].name;
    return NULL;
}

int idtx_keyword_parse(int *out, const idtx_keyword *table, size_t n, const char *what,
                       const char *name, size_t len, idt_error *err)
{
    if (!out || (!name && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "no %s given", what);
    for (size_t i = 0; i < n; i++)
        if (strlen(table[i].name) == len && (len == 0 || !memcmp(table[i].name, name, len))) {
            *out = table[i].value;
            return IDT_OK;
        }
    /* The known keywords, "a, b, c" (if memory runs out, the message goes
     * without them: the error itself is the point). */
    idtx_buf known;
    idtx_buf_init(&known, 1024, "the list of keywords");
    for (size_t i = 0; i < n; i++)
        if (idtx_buf_printf(&known, NULL, "%s%s", i ? ", " : "", table[i].name) < 0)
            break;
    char q[IDTX_QUOTE_MAX];
    int rc = idtx_error_set(err, IDT_EUNSUPPORTED, NULL, "unknown %s %s (known: %s)", what,
                            idtx_quote(q, name ? name : "", len), known.data ? known.data : "");
    idtx_buf_dispose(&known);
    return rc;
}
