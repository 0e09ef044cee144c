/* The tool's side of the library's hints (idt_hint, initdata/common.h):
 * the library says in words what is missing and sets a stable code; the
 * tool turns the code into the flag that supplies it.  Keyed on the code,
 * never on message text, so rewording a library message cannot lose a
 * hint. */
#ifndef CLI_HINT_H
#define CLI_HINT_H

#include <stddef.h>
#include "initdata/common.h"

/* The flag advice for a hint ("give it with --ak FILE..."), or NULL for
 * IDT_HINT_NONE and values this tool does not know. */
const char *cli_hint(idt_hint hint);

/* msg followed by " (ADVICE)" when hint has advice, else msg, into buf
 * (cut to cap); returns buf. */
const char *cli_hinted(char *buf, size_t cap, const char *msg, idt_hint hint);

/* Room for a library message (IDT_ERROR_MESSAGE_MAX) and its advice. */
#define CLI_HINTED_MAX (IDT_ERROR_MESSAGE_MAX + 128)

#endif
