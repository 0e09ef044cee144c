/* Compiler-style diagnostics (diag.h). */
#include "diag.h"
#include "hint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cli_diag_source_line(FILE *f, const char *src, size_t len, uint32_t line,
                          uint32_t column)
{
    size_t start = 0;
    for (uint32_t l = 1; l < line; l++) {
        const char *nl = memchr(src + start, '\n', len - start);
        if (!nl)
            return;
        start = (size_t)(nl - src) + 1;
    }
    size_t end = start;
    while (end < len && src[end] != '\n' && src[end] != '\r')
        end++;
    if (end - start > 200) /* a minified line is no help on a terminal */
        return;
    fprintf(f, "%5u | %.*s\n      | ", (unsigned)line, (int)(end - start), src + start);
    for (size_t i = start; i + 1 < start + column && i < end; i++)
        fputc(src[i] == '\t' ? '\t' : ' ', f); /* tabs kept: the caret lines up */
    fputs("^\n", f);
}

static void report(const char *kind, const idt_error *err, const char *src, size_t len)
{
    char msg[CLI_HINTED_MAX + 512];
    idt_error_format(msg, sizeof msg, err);
    /* The message ends the formatted text: the library says what is
     * missing, the tool adds the flag that gives it. */
    const char *advice = cli_hint(err->hint);
    size_t used = strlen(msg);
    if (advice)
        snprintf(msg + used, sizeof msg - used, " (%s)", advice);
    if (strcmp(kind, "error")) {
        /* idt_error_format always says "error"; rewrite the tag once. */
        char *tag = strstr(msg, "error: ");
        if (tag) {
            char rest[sizeof msg];
            snprintf(rest, sizeof rest, "%s", tag + 7);
            snprintf(tag, sizeof msg - (size_t)(tag - msg), "%s: %s", kind, rest);
        }
    }
    fprintf(stderr, "%s%s\n", err->source ? "" : "initdata: ", msg);
    if (err->line && src)
        cli_diag_source_line(stderr, src, len, err->line, err->column);
}

void cli_diag_error(const idt_error *err, const char *src, size_t len)
{
    report("error", err, src, len);
}

void cli_diag_warning(const idt_error *where, const char *src, size_t len)
{
    report("warning", where, src, len);
}

void cli_diag_msg(const char *fmt, ...)
{
    va_list ap;
    fputs("initdata: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
