/* Options and the text check of decoded documents (codec_int.h). */
#include "codec/codec_int.h"
#include "util/error_int.h"
#include "util/utf8.h"

#include <stdint.h>

int idt_codec__limits_get(idt_codec__limits *lim, const idt_codec_options *opts,
                          idt_error *err)
{
    idt_codec_options def = IDT_CODEC_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    if (opts->version != IDT_CODEC_OPTIONS_VERSION)
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "idt_codec_options.version is %u; this library knows version %u",
                              opts->version, IDT_CODEC_OPTIONS_VERSION);
    lim->lenient = opts->lenient;
    lim->max_encoded = opts->max_encoded ? opts->max_encoded : IDT_CODEC_MAX_ENCODED_DEFAULT;
    lim->max_decoded = opts->max_decoded ? opts->max_decoded : IDT_CODEC_MAX_DECODED_DEFAULT;
    /* Buffers get one more byte for a NUL; keep every size sum far from overflow. */
    if (lim->max_decoded > SIZE_MAX / 4)
        lim->max_decoded = SIZE_MAX / 4;
    if (lim->max_encoded > SIZE_MAX / 4)
        lim->max_encoded = SIZE_MAX / 4;
    return IDT_OK;
}

uint32_t idt_codec__le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t idt_codec__le64(const unsigned char *p)
{
    return (uint64_t)idt_codec__le32(p) | (uint64_t)idt_codec__le32(p + 4) << 32;
}

int idt_codec__check_text(const unsigned char *doc, size_t len, idt_error *err)
{
    uint32_t line = 1, column = 1;

    for (size_t i = 0; i < len;) {
        const char *why = NULL;
        size_t step;

        if (doc[i] == 0)
            return idtx_error_set(err, IDT_EFORMAT, NULL,
                                  "the document has a NUL byte at byte %zu (line %u, column %u): "
                                  "TOML forbids NUL (U+0000), so the kata-agent rejects it",
                                  i, (unsigned)line, (unsigned)column);
        step = idtx_utf8_seq(doc + i, len - i, &why);
        if (!step)
            return idtx_error_set(err, IDT_EFORMAT, NULL,
                                  "the document is not valid UTF-8 at byte %zu (line %u, "
                                  "column %u, byte 0x%02x): %s; TOML must be UTF-8 and "
                                  IDT_CODEC__RUST " reject it",
                                  i, (unsigned)line, (unsigned)column, doc[i], why);
        if (doc[i] == '\n') {
            line++;
            column = 1;
        } else {
            column += (uint32_t)step;
        }
        i += step;
    }
    return IDT_OK;
}

int idt_codec__gzip_document(unsigned char **gz, size_t *gz_len, idt_codec__limits *lim,
                             const void *doc, size_t len, const idt_codec_options *opts,
                             idt_error *err)
{
    IDTX_TRY(idt_codec__limits_get(lim, opts, err));
    if (len > lim->max_decoded)
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "the document is %zu bytes, above the limit of %zu bytes", len,
                              lim->max_decoded);
    /* Refuse what the decoders would refuse, so that what we write reads back. */
    IDTX_TRY(idt_codec__check_text(doc, len, err));
    return idt_codec_gzip(gz, gz_len, doc, len, err);
}
