/*
 * idt_unit.h - what the cmocka unit tests (tests/unit/test_*.c) share:
 *
 *   assert_status(call, want, err)   the status of a call, printing err's
 *                                    "line:col: error: message" when it is not
 *   sbuf, sb_putn/puts/printf/escaped a growable string (an idtx_buf) for
 *                                    building inputs and renderings
 *   idt_test_diags, idt_test_collect a diagnostic callback that keeps them
 *   idt_test_read_file(path, &len)   a whole file (NULL when it does not open)
 *   idt_test_read_source(rel, &len)  a file of the source tree (must exist)
 *   idt_test_read_shared(rel, &len)  a file of $IDT_SHARED/testdata: skips the
 *                                    test when there is no shared data, fails
 *                                    when the data is there but the file is not
 *
 * Include it first: it brings cmocka with the headers cmocka needs.
 */
#ifndef IDT_TESTS_UNIT_H
#define IDT_TESTS_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "initdata/common.h"
#include "initdata/doc.h"
#include "util/buf.h"

/* ---- statuses ------------------------------------------------------------- */

/* Asserts that `call` returns `want`; otherwise prints the call, both
 * statuses by name and, when the call failed, what err (may be NULL) says
 * (source:line:col: error: message), then fails the test. */
#define assert_status(call, want, err) \
    idt_test_status((call), (want), (err), #call, __FILE__, __LINE__)

static inline void idt_test_status(int got, int want, const idt_error *err, const char *call,
                                   const char *file, int line)
{
    if (got == want)
        return;
    print_error("%s\n    returned %d (%s), want %d (%s)\n", call, got, idt_status_str(got), want,
                idt_status_str(want));
    if (err && got < 0) {
        char text[IDT_ERROR_MESSAGE_MAX + 128];
        idt_error_format(text, sizeof text, err);
        print_error("    %s\n", text);
    }
    _fail(file, line);
}

/* ---- a growable string ------------------------------------------------------- */

/* A string for building inputs and renderings: the library's idtx_buf
 * (lib/util/buf.h), started on first use and failing the test, rather than
 * returning a status, when it cannot grow.  Zero-initialise it
 * (`sbuf b = { 0 };`), read b.data and b.len, free(b.data) at the end;
 * b.len = 0 starts it over. */
typedef idtx_buf sbuf;

static inline void sb_start(sbuf *b)
{
    if (!b->max)
        idtx_buf_init(b, (size_t)1 << 30, "a test string");
}

static inline void sb_putn(sbuf *b, const char *s, size_t n)
{
    idt_error err;
    idt_error_clear(&err);
    sb_start(b);
    assert_status(idtx_buf_put(b, s, n, &err), IDT_OK, &err);
}

static inline void sb_puts(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

static inline void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void sb_printf(sbuf *b, const char *fmt, ...)
{
    idt_error err;
    idt_error_clear(&err);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    sb_start(b);
    assert_status(idtx_buf_reserve(b, (size_t)n, &err), IDT_OK, &err);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    idtx_buf_commit(b, (size_t)n);
}

/* Bytes with " and \ escaped, and every byte outside printable ASCII as
 * \xNN, so that expectations are plain ASCII and lengths are visible. */
static inline void sb_escaped(sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            sb_printf(b, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            sb_printf(b, "\\x%02x", c);
        else
            sb_putn(b, (const char *)&c, 1);
    }
}

/* ---- diagnostics ------------------------------------------------------------- */

#define IDT_TEST_DIAGS_MAX 64

/* Every diagnostic of a check, copied out of the callback: the first
 * IDT_TEST_DIAGS_MAX are kept, n counts all. */
typedef struct idt_test_diags {
    idt_doc_diag d[IDT_TEST_DIAGS_MAX];
    size_t n;
} idt_test_diags;

/* An idt_doc_diag_fn for idt_doc_check and idt_lint_check; payload is an
 * idt_test_diags. */
static inline int idt_test_collect(const idt_doc_diag *d, void *payload)
{
    idt_test_diags *c = payload;
    if (c->n < IDT_TEST_DIAGS_MAX)
        c->d[c->n] = *d;
    c->n++;
    return 0;
}

/* ---- files ----------------------------------------------------------------------- */

/* The whole file at path, NUL-terminated, its length in *len; free() it.
 * NULL when the file does not open; a read error fails the test. */
static inline char *idt_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
        assert_non_null(buf);
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        print_error("%s: read error\n", path);
        free(buf);
        fail();
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* A file of the source tree (IDT_SOURCE_DIR, set by tests/CMakeLists.txt),
 * e.g. "docs/man/initdata-check.1".  It must be there. */
static inline char *idt_test_read_source(const char *rel, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", IDT_SOURCE_DIR, rel);
    char *buf = idt_test_read_file(path, len);
    if (!buf) {
        print_error("%s: %s\n", path, strerror(errno));
        fail();
    }
    return buf;
}

/* A file of the shared test data, $IDT_SHARED/testdata/<rel>.  Without the
 * shared data ($IDT_SHARED unset, or not a directory) the test is skipped;
 * with it, a missing file fails the test (the data is broken, not absent). */
static inline char *idt_test_read_shared(const char *rel, size_t *len)
{
    const char *dir = getenv("IDT_SHARED");
    struct stat st;
    if (!dir || !*dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        print_message("no shared test data (IDT_SHARED=%s): skipped\n", dir ? dir : "");
        skip();
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/testdata/%s", dir, rel);
    char *buf = idt_test_read_file(path, len);
    if (!buf) {
        print_error("%s: %s (the shared test data is there, this file is not)\n", path,
                    strerror(errno));
        fail();
    }
    return buf;
}

#endif
