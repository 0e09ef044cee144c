/* Helpers shared by the encode, decode and image commands (codec_args.h). */
#include "codec_args.h"
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "opt.h"
#include "initdata/doc.h"
#include "util/error_int.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_parse_size(const char *cmd, const char *name, const char *text, size_t *out)
{
    unsigned long long v;
    unsigned shift = 0;
    char *end;

    if (!text)
        return CLI_CONTINUE;
    if (*text < '0' || *text > '9')
        return cli_usage_error(cmd, "--%s needs a byte count, not '%s'", name, text);
    errno = 0;
    v = strtoull(text, &end, 10);
    if (*end == 'K' || *end == 'M' || *end == 'G')
        shift = *end == 'K' ? 10 : *end == 'M' ? 20 : 30;
    if (shift)
        end++;
    if (errno || *end || v == 0 || v > (SIZE_MAX / 4) >> shift)
        return cli_usage_error(cmd, "--%s needs a byte count from 1 (K, M, G suffixes allowed), "
                               "not '%s'", name, text);
    *out = (size_t)(v << shift);
    return CLI_CONTINUE;
}

int cli_read_bounded(char **out, size_t *len, const char *path, size_t max, size_t slack,
                     const char *what, const char *option, idt_error *err)
{
    int rc = cli_read_input(out, len, path, max + slack, err);
    if (rc == IDT_ELIMIT)
        idtx_error_set(err, rc, NULL, "%s is larger than the limit of %zu bytes%s%s%s", what,
                       max, option ? " (" : "", option ? option : "", option ? " raises it)" : "");
    return rc;
}

int cli_read_document(char **out, size_t *len, const char *path, idt_error *err)
{
    IDTX_TRY(cli_read_bounded(out, len, path, IDT_CODEC_MAX_DECODED_DEFAULT, 0, "the document",
                              NULL, err));
    return idt_doc_check_nesting(*out, *len, err);
}

int cli_codec_fail(int rc, const idt_error *err)
{
    cli_diag_error(err, NULL, 0);
    return cli_exit_code(rc);
}

void cli_codec_warnings_print(const char *source, idt_codec_warnings *w)
{
    for (size_t i = 0; i < w->count; i++) {
        idt_error where;
        idt_error_clear(&where);
        where.source = source;
        where.offset = w->warning[i].offset;
        where.has_offset = true;
        memcpy(where.message, w->warning[i].message, sizeof where.message);
        cli_diag_warning(&where, NULL, 0);
    }
    if (w->dropped)
        fprintf(stderr, "%s: warning: %zu more gzip header warnings like these\n",
                source ? source : "initdata", w->dropped);
    idt_codec_warnings_clear(w);
}
