/* Internal pieces shared by the annotation, gzip and image code. */
#ifndef IDT_CODEC_INT_H
#define IDT_CODEC_INT_H

#include "initdata/codec.h"
#include "util/error_int.h"

/* The consumers, as messages name them (facts section 4). */
#define IDT_CODEC__GO "the Go decoders (kata shim, cloud-api-adaptor)"
#define IDT_CODEC__RUST "the Rust decoders (kata-agent/kata-types, genpolicy, runtime-rs)"

/* The gzip readers of the consumers (facts section 9), as messages name
 * them. */
#define IDT_CODEC__FLATE2 "flate2 (kata-types, genpolicy, runtime-rs)"
#define IDT_CODEC__GO_GZIP "Go's compress/gzip (kata shim, cloud-api-adaptor)"

/* Options with defaults filled in. */
typedef struct idt_codec__limits {
    bool lenient;
    size_t max_encoded;
    size_t max_decoded;
    idt_codec_warnings *warnings; /* NULL: dropped */
} idt_codec__limits;

/* Whose gzip header rules a reader follows (the table in codec.h). */
typedef enum idt_codec__reader {
    IDT_CODEC__READER_FLATE2, /* strict annotations */
    IDT_CODEC__READER_GO,     /* lenient annotations */
    IDT_CODEC__READER_AGENT   /* the block image: the kata-agent */
} idt_codec__reader;

/* idt_codec_gunzip with the limits already resolved and the header rules
 * of `reader`; warnings go to lim->warnings with offsets into gz. */
int idt_codec__gunzip(unsigned char **out, size_t *out_len, const unsigned char *gz, size_t len,
                      const idt_codec__limits *lim, idt_codec__reader reader, idt_error *err);

/* Appends a warning (w may be NULL). */
void idt_codec__warn(idt_codec_warnings *w, idt_codec_finding finding, uint64_t offset,
                     const char *fmt, ...) IDTX_PRINTF(4, 5);

/* Fills *lim from opts (NULL: defaults).  IDT_EINVAL on an unknown version. */
int idt_codec__limits_get(idt_codec__limits *lim, const idt_codec_options *opts,
                          idt_error *err);

/* Checks that a decoded document is UTF-8 without NUL bytes, as the
 * kata-agent's TOML parser needs.  IDT_EFORMAT with the line, column and
 * byte offset in the message. */
int idt_codec__check_text(const unsigned char *doc, size_t len, idt_error *err);

/* The common first half of both encoders: fills *lim from opts, checks the
 * document's size, text and that it is not empty (the message fits the
 * annotation or, with for_image, the image), and gzips it (*gz freed with
 * free()). */
int idt_codec__gzip_document(unsigned char **gz, size_t *gz_len, idt_codec__limits *lim,
                             const void *doc, size_t len, const idt_codec_options *opts,
                             bool for_image, idt_error *err);

/* What the runtimes do with an empty document (facts section 9), for the
 * messages that refuse one. */
#define IDT_CODEC__EMPTY_RUNTIME_RS                                                  \
    "runtime-rs treats an empty annotation or document as \"no Init-Data\" and creates " \
    "no device"
#define IDT_CODEC__EMPTY_GO_ANNOTATION                                               \
    "the Go shim's annotation decoder panics on a value that decodes to an empty "    \
    "document (a nil hash, as the algorithm is missing)"
#define IDT_CODEC__EMPTY_GO_IMAGE                                                    \
    "the Go shim's prepareInitdataMount skips the image for an empty document"

/* Reads little-endian integers. */
uint32_t idt_codec__le32(const unsigned char *p);
uint64_t idt_codec__le64(const unsigned char *p);

#endif
