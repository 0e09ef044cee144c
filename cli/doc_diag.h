/* Printing the diagnostics of initdata/doc.h and initdata/lint.h (the
 * document loader, load.h, prints through it for every command), compiler
 * style, with the check's code and, for a finding inside an entry, the
 * entry's own position:
 *
 *   initdata.toml:47:2: warning: aa.toml:1:2: unknown key "token_config"
 *   (the attestation-agent ignores it); did you mean "token_configs"? [IDT-KEY001]
 *      47 | [token_config.kbs]
 *         |  ^
 *
 * (the first two lines are one).  The layout is cli_diag_error's (diag.h),
 * which has no notes and no codes. */
#ifndef CLI_DOC_DIAG_H
#define CLI_DOC_DIAG_H

#include <stddef.h>
#include "initdata/doc.h"

/* "error", "warning" or "note". */
const char *cli_doc_severity_name(idt_doc_severity sev);

/* Prints d as "NAME:LINE:COL: SEVERITY: [ENTRY:L:C: ]MESSAGE [CODE]" with
 * the source line of src and a caret under the column, on stderr. */
void cli_doc_diag_print(const idt_doc_diag *d, const char *name, const char *src, size_t len);

#endif
