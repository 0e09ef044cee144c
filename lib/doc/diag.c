/* One diagnostic as one line of text (initdata/doc.h): the form `initdata
 * check` prints and the admission webhook puts into a denial. */
#include "initdata/doc.h"

#include <stdio.h>
#include <string.h>

const char *idt_doc_severity_name(idt_doc_severity sev)
{
    switch (sev) {
    case IDT_DOC_ERROR: return "error";
    case IDT_DOC_WARNING: return "warning";
    case IDT_DOC_NOTE: return "note";
    }
    return "error";
}

int idt_doc_diag_format(char *buf, size_t cap, const idt_doc_diag *d, const char *source)
{
    if (!d || (!buf && cap))
        return -1;
    char where[96] = "";
    if (d->entry && d->entry_line)
        snprintf(where, sizeof where, "%s:%u:%u: ", d->entry, (unsigned)d->entry_line,
                 (unsigned)d->entry_column);
    else if (d->entry && strncmp(d->message, d->entry, strlen(d->entry)) != 0)
        snprintf(where, sizeof where, "%s: ", d->entry); /* unless the message starts with it */
    return snprintf(buf, cap, "%s%s%u:%u: %s: %s%s [%s]", source ? source : "",
                    source ? ":" : "", (unsigned)d->span.line, (unsigned)d->span.column,
                    idt_doc_severity_name(d->severity), where, d->message,
                    d->check ? d->check : "?");
}
