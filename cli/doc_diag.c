/* Document diagnostics on stderr (doc_diag.h). */
#include "doc_diag.h"
#include "diag.h"

#include <stdio.h>

void cli_doc_diag_print(const idt_doc_diag *d, const char *name, const char *src, size_t len)
{
    idt_error e = { 0 };
    e.source = name;
    e.line = d->span.line;
    e.column = d->span.column;
    e.offset = d->span.offset;
    e.has_offset = true;
    snprintf(e.message, sizeof e.message, "%s", d->message);
    if (d->severity == IDT_DOC_ERROR)
        cli_diag_error(&e, src, len);
    else
        cli_diag_warning(&e, src, len);
}
