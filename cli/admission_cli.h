/* What `initdata admit` and `initdata webhook` share: loading the
 * admission configuration with its diagnostics printed compiler-style. */
#ifndef CLI_ADMISSION_CLI_H
#define CLI_ADMISSION_CLI_H

#include "initdata/admission.h"

/* Loads the configuration at path; prints every diagnostic (the
 * configuration's and its documents', with the line and a caret) and, on
 * failure, a one-line summary on stderr.  Returns the library's status. */
int cli_admission_config_load(idt_admission_config **out, const char *path);

#endif
