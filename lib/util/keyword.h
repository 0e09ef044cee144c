/* Keywords that name the values of a public enum ("aa" for
 * IDT_VTPM_RULE_AA): one table per enum, and one lookup and one error
 * message for every *_parse / *_name pair of the public API. */
#ifndef IDT_UTIL_KEYWORD_H
#define IDT_UTIL_KEYWORD_H

#include <stddef.h>
#include "initdata/common.h"
#include "util/error_int.h"

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

/*
 * Defines the public pair FN_name and FN_parse over a static table, so that
 * every enum's pair is the same code:
 *
 *     const char *FN_name(TYPE value);      the keyword, or NULL
 *     int FN_parse(TYPE *out, const char *name, size_t len, idt_error *err);
 *
 * FN_parse returns what idtx_keyword_parse returns, and IDT_EINVAL (with
 * "FN_parse: NULL argument") for a NULL out; *out is set only on success.
 */
#define IDTX_KEYWORD_FUNCS(FN, TYPE, TABLE, WHAT)                                           \
    const char *FN##_name(TYPE value)                                                       \
    {                                                                                       \
        return idtx_keyword_name(TABLE, sizeof TABLE / sizeof TABLE[0], (int)value);        \
    }                                                                                       \
    int FN##_parse(TYPE *out, const char *name, size_t len, idt_error *err)                 \
    {                                                                                       \
        int v;                                                                              \
        if (!out)                                                                           \
            return idtx_error_set(err, IDT_EINVAL, NULL, #FN "_parse: NULL argument");      \
        IDTX_TRY(idtx_keyword_parse(&v, TABLE, sizeof TABLE / sizeof TABLE[0], WHAT, name, \
                                    len, err));                                             \
        *out = (TYPE)v;                                                                     \
        return IDT_OK;                                                                      \
    }

#endif
