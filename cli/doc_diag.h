/* Printing the document module's diagnostics (initdata/doc.h) the way
 * cli_diag_error prints errors, for `check`, `digest` and friends. */
#ifndef CLI_DOC_DIAG_H
#define CLI_DOC_DIAG_H

#include <stddef.h>
#include "initdata/doc.h"

/* Prints d as "NAME:LINE:COL: error|warning: MESSAGE" with the source line
 * of src and a caret under the column. */
void cli_doc_diag_print(const idt_doc_diag *d, const char *name, const char *src, size_t len);

#endif
