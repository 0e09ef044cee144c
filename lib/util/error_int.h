/* Internal helpers to fill an idt_error.  Each returns `code`, so a failure
 * is recorded and propagated in one statement:
 *     return idtx_error_set(err, IDT_ESYNTAX, &span, "bad %s", what);
 * The caller's err->source survives (it names the input, set by the caller). */
#ifndef IDT_UTIL_ERROR_INT_H
#define IDT_UTIL_ERROR_INT_H

#include <stdarg.h>
#include "initdata/common.h"

#if defined(__GNUC__)
#define IDTX_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define IDTX_PRINTF(a, b)
#endif

/* Records code and a message at `at` (line, column, offset; may be NULL). */
int idtx_error_set(idt_error *err, int code, const idt_span *at, const char *fmt, ...)
    IDTX_PRINTF(4, 5);
int idtx_error_vset(idt_error *err, int code, const idt_span *at, const char *fmt,
                    va_list ap) IDTX_PRINTF(4, 0);
/* Records code and a message at a byte offset of a binary input. */
int idtx_error_at_offset(idt_error *err, int code, uint64_t offset, const char *fmt, ...)
    IDTX_PRINTF(4, 5);

/* Attaches a hint to the error just recorded (it must come after the
 * idtx_error_set that it completes, which clears the hint); returns code:
 *     return idtx_error_hint(err, IDT_HINT_EVIDENCE_PCRS,
 *                            idtx_error_set(err, IDT_EFORMAT, NULL, "..."));
 */
int idtx_error_hint(idt_error *err, idt_hint hint, int code);

/* Propagates a negative status from a callee. */
#define IDTX_TRY(expr)                                                       \
    do {                                                                     \
        int idtx_try_rc_ = (expr);                                           \
        if (idtx_try_rc_ < 0)                                                \
            return idtx_try_rc_;                                             \
    } while (0)

#endif
