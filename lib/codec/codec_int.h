/* Internal pieces shared by the annotation, gzip and image code. */
#ifndef IDT_CODEC_INT_H
#define IDT_CODEC_INT_H

#include "initdata/codec.h"

/* The consumers, as messages name them (facts section 4). */
#define IDT_CODEC__GO "the Go decoders (kata shim, cloud-api-adaptor)"
#define IDT_CODEC__RUST "the Rust decoders (kata-agent/kata-types, genpolicy, runtime-rs)"

/* Options with defaults filled in. */
typedef struct idt_codec__limits {
    bool lenient;
    size_t max_encoded;
    size_t max_decoded;
} idt_codec__limits;

/* Fills *lim from opts (NULL: defaults).  IDT_EINVAL on an unknown version. */
int idt_codec__limits_get(idt_codec__limits *lim, const idt_codec_options *opts,
                          idt_error *err);

/* Checks that a decoded document is UTF-8 without NUL bytes, as the
 * kata-agent's TOML parser needs.  IDT_EFORMAT with the line, column and
 * byte offset in the message. */
int idt_codec__check_text(const unsigned char *doc, size_t len, idt_error *err);

/* The common first half of both encoders: fills *lim from opts, checks the
 * document's size and text, and gzips it (*gz freed with free()). */
int idt_codec__gzip_document(unsigned char **gz, size_t *gz_len, idt_codec__limits *lim,
                             const void *doc, size_t len, const idt_codec_options *opts,
                             idt_error *err);

/* Reads little-endian integers. */
uint32_t idt_codec__le32(const unsigned char *p);
uint64_t idt_codec__le64(const unsigned char *p);

#endif
