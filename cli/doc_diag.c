/* Document diagnostics on stderr (doc_diag.h). */
#include "doc_diag.h"
#include "diag.h"

#include <stdio.h>
#include <string.h>

const char *cli_doc_severity_name(idt_doc_severity sev)
{
    switch (sev) {
    case IDT_DOC_ERROR: return "error";
    case IDT_DOC_WARNING: return "warning";
    case IDT_DOC_NOTE: return "note";
    }
    return "error";
}

void cli_doc_diag_print(const idt_doc_diag *d, const char *name, const char *src, size_t len)
{
    FILE *f = stderr;
    fprintf(f, "%s:%u:%u: %s: ", name, (unsigned)d->span.line, (unsigned)d->span.column,
            cli_doc_severity_name(d->severity));
    if (d->entry && d->entry_line)
        fprintf(f, "%s:%u:%u: ", d->entry, (unsigned)d->entry_line, (unsigned)d->entry_column);
    else if (d->entry && strncmp(d->message, d->entry, strlen(d->entry)) != 0)
        fprintf(f, "%s: ", d->entry); /* unless the message starts with it */
    fprintf(f, "%s [%s]\n", d->message, d->check ? d->check : "?");
    if (src && d->span.line)
        cli_diag_source_line(f, src, len, d->span.line, d->span.column);
}
