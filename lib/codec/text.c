/* Options and the text check of decoded documents (codec_int.h). */
#include "codec/codec_int.h"
#include "util/error_int.h"

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

/*
 * Length of the well-formed UTF-8 sequence at s[0..n), or 0 with *why set.
 * The ranges are those of Unicode table 3-7, which is what Rust's
 * str::from_utf8 accepts: no overlong forms, no surrogates, nothing past
 * U+10FFFF.
 */
static size_t utf8_sequence(const unsigned char *s, size_t n, const char **why)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xbf;
    size_t need;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        if (c == 0xe0)
            lo = 0xa0;
        if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        if (c == 0xf0)
            lo = 0x90;
        if (c == 0xf4)
            hi = 0x8f;
    } else {
        *why = c < 0xc2 && c >= 0xc0 ? "overlong encoding"
             : c < 0xc0             ? "a continuation byte where a character should start"
                                    : "a byte that never occurs in UTF-8";
        return 0;
    }
    if (n < need + 1) {
        *why = "a multi-byte character cut off by the end of the document";
        return 0;
    }
    if (s[1] < lo || s[1] > hi) {
        *why = (s[1] & 0xc0) != 0x80 ? "a multi-byte character cut short"
             : c == 0xed            ? "an encoded UTF-16 surrogate"
             : c == 0xf4            ? "a code point above U+10FFFF"
                                    : "overlong encoding";
        return 0;
    }
    for (size_t k = 2; k <= need; k++)
        if ((s[k] & 0xc0) != 0x80) {
            *why = "a multi-byte character cut short";
            return 0;
        }
    return need + 1;
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
        step = utf8_sequence(doc + i, len - i, &why);
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
