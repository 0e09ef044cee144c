/*
 * fuzz.h - what every fuzz target (fuzz/fuzz_<target>.c) shares.
 *
 *   CHECK(cond)                     an invariant: a broken one prints
 *                                   "file:line: broken promise: cond" and
 *                                   aborts, so libFuzzer and the replay test
 *                                   (ctest -R replay) report it
 *   FUZZ_TEXT_OK(buf)               a fixed-size text field (a message) is
 *                                   non-empty and NUL-terminated
 *   fuzz_check_error(rc, err, len)  the promise of every failure on an input
 *                                   of len bytes: a negative status that is
 *                                   not the internal IDT_ERROR, recorded in
 *                                   err->code, with a message, and an offset
 *                                   (when there is one) inside the input
 *   fuzz_dir_with_file(t, n, c)     a temporary directory holding one file
 *   FUZZ_MAX_DECODED                the bound the decoding targets set on a
 *                                   decoded document, small so that
 *                                   compression bombs hit it quickly
 *
 * Targets build every object through the library's own constructors
 * (idt_*_parse, idt_*_new ...), never by filling in a private struct, so that
 * what they fuzz is what a caller can reach.  Target-specific promises
 * stay in the target (or, for the evidence readers, in evidence_fuzz.h).
 */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include "initdata/common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond) ((cond) ? (void)0 : fuzz_broken(#cond, __FILE__, __LINE__))

_Noreturn static inline void fuzz_broken(const char *what, const char *file, int line)
{
    const char *base = strrchr(file, '/');
    fprintf(stderr, "%s:%d: broken promise: %s\n", base ? base + 1 : file, line, what);
    abort();
}

#define FUZZ_TEXT_OK(buf) (memchr((buf), '\0', sizeof(buf)) != NULL && (buf)[0] != '\0')

#define FUZZ_MAX_DECODED (256u * 1024)

static inline void fuzz_check_error(int rc, const idt_error *err, size_t len)
{
    CHECK(rc < 0 && rc != IDT_ERROR);
    CHECK(err->code == rc);
    CHECK(FUZZ_TEXT_OK(err->message));
    CHECK(!err->has_offset || err->offset <= len);
}

/* Makes a directory from template (mkdtemp's XXXXXX) holding one file
 * `name` with `content`, for targets whose input names files; the
 * template is filled in place.  Returns the directory. */
static inline const char *fuzz_dir_with_file(char *tmpl, const char *name, const char *content)
{
    CHECK(mkdtemp(tmpl) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpl, name);
    FILE *f = fopen(path, "w");
    CHECK(f && fputs(content, f) >= 0);
    fclose(f);
    return tmpl;
}

#endif
