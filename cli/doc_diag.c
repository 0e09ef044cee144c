/* Document diagnostics on stderr (doc_diag.h). */
#include "doc_diag.h"
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_doc_severity_name(idt_doc_severity sev)
{
    return idt_doc_severity_name(sev);
}

void cli_doc_diag_print(const idt_doc_diag *d, const char *name, const char *src, size_t len)
{
    char small[1024];
    int n = idt_doc_diag_format(small, sizeof small, d, name);
    char *line = n >= (int)sizeof small ? malloc((size_t)n + 1) : NULL;
    if (line)
        idt_doc_diag_format(line, (size_t)n + 1, d, name);
    fprintf(stderr, "%s\n", line ? line : small); /* cut only if memory ran out */
    free(line);
    if (src && d->span.line)
        cli_diag_source_line(stderr, src, len, d->span.line, d->span.column);
}
