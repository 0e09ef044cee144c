/* Options and the text check of decoded documents (codec_int.h). */
#include "codec/codec_int.h"
#include "util/error_int.h"
#include "util/scan.h"
#include "util/utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int idt_codec__limits_get(idt_codec__limits *lim, const idt_codec_options *opts,
                          idt_error *err)
{
    idt_codec_options def = IDT_CODEC_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    /* Version 1 is version 2 without `warnings`: a caller built against it
     * passes a shorter struct, whose end must not be read. */
    if (opts->version != 1 && opts->version != IDT_CODEC_OPTIONS_VERSION)
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "idt_codec_options.version is %u; this library knows versions 1 "
                              "and %u", opts->version, IDT_CODEC_OPTIONS_VERSION);
    lim->lenient = opts->lenient;
    lim->warnings = opts->version >= 2 ? opts->warnings : NULL;
    lim->max_encoded = opts->max_encoded ? opts->max_encoded : IDT_CODEC_MAX_ENCODED_DEFAULT;
    lim->max_decoded = opts->max_decoded ? opts->max_decoded : IDT_CODEC_MAX_DECODED_DEFAULT;
    /* Buffers get one more byte for a NUL; keep every size sum far from overflow. */
    if (lim->max_decoded > SIZE_MAX / 4)
        lim->max_decoded = SIZE_MAX / 4;
    if (lim->max_encoded > SIZE_MAX / 4)
        lim->max_encoded = SIZE_MAX / 4;
    return IDT_OK;
}

void idt_codec_warnings_clear(idt_codec_warnings *w)
{
    if (w) {
        w->found = 0;
        w->count = 0;
        w->dropped = 0;
    }
}

void idt_codec__warn(idt_codec_warnings *w, idt_codec_finding finding, uint64_t offset,
                     const char *fmt, ...)
{
    va_list ap;
    if (!w)
        return;
    w->found |= (unsigned)finding;
    if (w->count >= IDT_CODEC_WARNINGS_MAX) {
        w->dropped++;
        return;
    }
    idt_codec_warning *x = &w->warning[w->count++];
    x->finding = finding;
    x->offset = offset;
    va_start(ap, fmt);
    vsnprintf(x->message, sizeof x->message, fmt, ap);
    va_end(ap);
}

uint32_t idt_codec__le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t idt_codec__le64(const unsigned char *p)
{
    return (uint64_t)idt_codec__le32(p) | (uint64_t)idt_codec__le32(p + 4) << 32;
}

/* The line and column (in bytes) of doc[i], for messages only: the check
 * itself does not track them. */
static void line_column(const unsigned char *doc, size_t i, unsigned *line, unsigned *column)
{
    size_t start = 0;
    *line = 1;
    for (const unsigned char *p = doc; (p = memchr(p, '\n', (size_t)(doc + i - p))); p++) {
        ++*line;
        start = (size_t)(p - doc) + 1;
    }
    *column = (unsigned)(i - start + 1);
}

int idt_codec__check_text(const unsigned char *doc, size_t len, idt_error *err)
{
    unsigned line, column;
    for (size_t i = 0; i < len;) {
        const char *why = NULL;
        size_t step;

        /* Runs of ASCII without NUL: the wide scanner (util/scan.h). */
        i = idtx_scan_ascii((const char *)doc, i, len);
        if (i >= len)
            break;
        if (doc[i] == 0) {
            line_column(doc, i, &line, &column);
            return idtx_error_set(err, IDT_EFORMAT, NULL,
                                  "the document has a NUL byte at byte %zu (line %u, column %u): "
                                  "TOML forbids NUL (U+0000), so the kata-agent rejects it",
                                  i, line, column);
        }
        step = doc[i] < 0x80 ? 1 : idtx_utf8_seq(doc + i, len - i, &why);
        if (!step) {
            line_column(doc, i, &line, &column);
            return idtx_error_set(err, IDT_EFORMAT, NULL,
                                  "the document is not valid UTF-8 at byte %zu (line %u, "
                                  "column %u, byte 0x%02x): %s; TOML must be UTF-8 and "
                                  IDT_CODEC__RUST " reject it",
                                  i, line, column, doc[i], why);
        }
        i += step;
    }
    return IDT_OK;
}

int idt_codec__gzip_document(unsigned char **gz, size_t *gz_len, idt_codec__limits *lim,
                             const void *doc, size_t len, const idt_codec_options *opts,
                             bool for_image, idt_error *err)
{
    IDTX_TRY(idt_codec__limits_get(lim, opts, err));
    /* No runtime delivers an empty document, and the Go shim dies on one:
     * an empty encoding can only be a mistake. */
    if (len == 0 && for_image)
        return idtx_error_set(err, IDT_ESCHEMA, NULL,
                              "the document is empty: no Kata runtime attaches such an image ("
                              IDT_CODEC__EMPTY_RUNTIME_RS "; " IDT_CODEC__EMPTY_GO_IMAGE ")");
    if (len == 0)
        return idtx_error_set(err, IDT_ESCHEMA, NULL,
                              "the document is empty: " IDT_CODEC__EMPTY_RUNTIME_RS ", and "
                              IDT_CODEC__EMPTY_GO_ANNOTATION "; to send no Init-Data, leave "
                              "the annotation out");
    if (len > lim->max_decoded)
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "the document is %zu bytes, above the limit of %zu bytes", len,
                              lim->max_decoded);
    /* Refuse what the decoders would refuse, so that what we write reads back. */
    IDTX_TRY(idt_codec__check_text(doc, len, err));
    return idt_codec_gzip(gz, gz_len, doc, len, err);
}
