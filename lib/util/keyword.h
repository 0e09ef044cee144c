/* Keywords that name the values of a public enum ("aa" for
 * IDT_VTPM_RULE_AA): one table per enum, and one lookup and one error
 * message for every *_parse / *_name pair of the public API. */
#ifndef IDT_UTIL_KEYWORD_H
#define IDT_UTIL_KEYWORD_H

#include <stddef.h>
#include "initdata/common.h"

/* One keyword and the enum value it names. */
typedef struct idtx_keyword {
    const char *name;
    int value;
} idtx_keyword;

/* The keyword of value in table (n entries, static), or NULL. */
const char *idtx_keyword_name(const idtx_keyword *table, size_t n, int value);

/*
 * Looks up name (len bytes, need not be NUL-terminated; compared exactly)
 * in table and stores its value in *out.  `what` names the kind of keyword
 * in the message ("vTPM rule").
 *
 * @return IDT_OK; IDT_EUNSUPPORTED for a name not in the table, with the
 *         message `unknown WHAT "NAME" (known: a, b, c)`; IDT_EINVAL for
 *         a NULL out or a NULL name with a non-zero len.
 */
int idtx_keyword_parse(int *out, const idtx_keyword *table, size_t n, const char *what,
                       const char *name, size_t len, idt_error *err);

#endif
