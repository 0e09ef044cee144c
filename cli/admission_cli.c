/* Loading an admission configuration for the tool (admission_cli.h). */
#include "admission_cli.h"
#include "diag.h"
#include "doc_diag.h"

#include <stdio.h>

typedef struct tally {
    size_t errors, warnings;
} tally;

static int print_diag(const idt_doc_diag *d, const char *source, const char *text, size_t len,
                      void *payload)
{
    tally *t = payload;
    if (d->severity == IDT_DOC_NOTE)
        return 0; /* what check says at length; a server's log wants problems */
    if (d->severity == IDT_DOC_ERROR)
        t->errors++;
    else if (d->severity == IDT_DOC_WARNING)
        t->warnings++;
    cli_doc_diag_print(d, source, text, len);
    return 0;
}

int cli_admission_config_load(idt_admission_config **out, const char *path)
{
    tally t = { 0, 0 };
    idt_error err = { .source = path };
    int rc = idt_admission_config_load(out, path, print_diag, &t, &err);
    if (rc < 0) {
        if (!t.errors) /* not reported through the callback: I/O, memory */
            cli_diag_error(&err, NULL, 0);
        fprintf(stderr, "%s: the configuration was not loaded (%zu error%s)\n", path,
                t.errors ? t.errors : 1, t.errors > 1 ? "s" : "");
    }
    return rc;
}
