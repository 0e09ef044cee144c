/* For the unit tests: whether a library text names a command-line flag
 * ("--ak"), which it must not (the library speaks its API; the tool adds
 * its flags from idt_hint codes).  The same pattern as the source gate,
 * tests/gate/test_no_flags_in_lib.py, applied to texts the library built. */
#ifndef IDT_TEST_NO_FLAGS_H
#define IDT_TEST_NO_FLAGS_H

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static inline bool idt_test_names_flag(const char *s)
{
    for (const char *p = s; (p = strstr(p, "--")) != NULL; p++) {
        bool glued = p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '-');
        if (!glued && islower((unsigned char)p[2]) &&
            (islower((unsigned char)p[3]) || isdigit((unsigned char)p[3]) || p[3] == '-'))
            return true;
    }
    return false;
}

#endif
