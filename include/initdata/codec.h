/*
 * initdata/codec.h - the Pod annotation value and the Kata block image.
 *
 * An Init-Data document travels to the guest in two encodings:
 *
 *   annotation  base64(gzip(document)), standard alphabet, padded, one line,
 *               under io.katacontainers.config.hypervisor.cc_init_data;
 *   image       "initdata" | N (u64, little-endian) | gzip(document) (N bytes)
 *               | zero padding to a multiple of 512 — the virtio-blk disk the
 *               Kata runtime attaches and the kata-agent reads.
 *
 * Encoding is deterministic: the gzip header is always the 10 bytes
 * 1f 8b 08 00 00000000 00 ff (no flags, MTIME 0, XFL 0, OS 255 "unknown" —
 * the header Go's compress/gzip writes), and the deflate stream comes from
 * libdeflate at level 12, so the same document gives the same bytes on
 * every run and machine (for a given libdeflate version).
 *
 * Decoding follows the consumers.  Strict mode (the default) is the rule
 * of the Rust decoders (kata-types/kata-agent, genpolicy, runtime-rs):
 * canonical base64 without white space, padding required, exactly one gzip
 * member.  Lenient mode is the rule of the Go decoders (kata shim,
 * cloud-api-adaptor): '\r' and '\n' are skipped, non-zero unused base64
 * bits are ignored, and concatenated gzip members are joined.  When strict
 * mode rejects what lenient mode accepts, the message says which consumers
 * accept it.  CRC32 and ISIZE are always checked, bytes after the last
 * member are an error, and the document must be valid UTF-8 without NUL
 * bytes (the kata-agent parses it as TOML) and not empty (below).
 * Sizes are bounded: the decompressed size is enforced while inflating, so
 * a gzip bomb fails without allocating more than max_decoded + 1 bytes.
 *
 * The gzip header is read by the rules of the consumer that reads it
 * (initdata-facts.md section 9); FEXTRA, FNAME and FCOMMENT are honoured
 * everywhere:
 *
 *   reader    reserved FLG bits       FHCRC               FNAME/FCOMMENT >= 512
 *   strict    error (flate2)          checked             warning (Go refuses)
 *   lenient   warning (Go ignores)    checked             error (Go refuses)
 *   image     warning (the agent      error (the agent    accepted
 *             ignores them)           cannot read it)
 *
 * A warning is something the decoder accepted although another consumer
 * refuses it; warnings go to the caller through
 * idt_codec_options.warnings, never to a stream.
 *
 * An empty document is refused by the encoders and the decoders with
 * IDT_ESCHEMA: runtime-rs treats an empty annotation or document as "no
 * Init-Data" and creates no device, the Go shim skips the image for one,
 * and its annotation decoder panics on a value that decodes to one.  To
 * send no Init-Data, leave the annotation out.  (idt_codec_gzip and
 * idt_codec_gunzip handle plain gzip and accept empty data.)
 *
 * Errors carry a byte offset (idt_error.has_offset): into the annotation
 * text for annotations, into the image for images.  Problems inside the
 * decoded document (invalid UTF-8, a NUL byte) have no offset into the
 * input; their message gives the byte offset, line and column in the
 * document instead.  Buffers returned
 * through out parameters are owned by the caller and freed with idt_free().
 * All functions are reentrant.
 */
#ifndef INITDATA_CODEC_H
#define INITDATA_CODEC_H

#include "initdata/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Kubernetes' limit on the total size of an object's annotations. */
#define IDT_CODEC_MAX_ENCODED_DEFAULT ((size_t)262144)
/* Default bound on a decompressed document (8 MiB). */
#define IDT_CODEC_MAX_DECODED_DEFAULT ((size_t)8 << 20)

/*
 * Findings: what a decoder accepted although some consumer refuses it.
 * Each is a bit, so that idt_codec_warnings.found can say which kinds
 * occurred even when their messages did not fit.
 */
typedef enum idt_codec_finding {
    /* Reserved gzip FLG bits (0xe0) are set.  Accepted by lenient decoding
     * (Go's compress/gzip ignores them) and by the image reader (the
     * kata-agent's async-compression ignores them); flate2 (the Rust
     * annotation decoders) rejects them. */
    IDT_CODEC_FINDING_RESERVED_FLAGS = 1 << 0,
    /* An FNAME or FCOMMENT of 512 bytes or more.  Accepted by strict
     * decoding (flate2); Go's compress/gzip refuses it. */
    IDT_CODEC_FINDING_LONG_HEADER_STRING = 1 << 1
} idt_codec_finding;

#define IDT_CODEC_WARNINGS_MAX 8

typedef struct idt_codec_warning {
    idt_codec_finding finding;
    /* Byte offset into the decoder's input, as for errors: into the
     * annotation text, the image, or the gzip data (idt_codec_gunzip). */
    uint64_t offset;
    /* What was accepted, which consumers accept it and which refuse it. */
    char message[IDT_ERROR_MESSAGE_MAX];
} idt_codec_warning;

/* Warnings collected by the decoders, oldest first.  Caller-owned; calls
 * append to it, so one record can gather the warnings of several calls
 * (clear it with idt_codec_warnings_clear).  A decoder that fails may
 * still have appended warnings about the bytes before the error. */
typedef struct idt_codec_warnings {
    unsigned found;  /* OR of the idt_codec_finding of every warning, dropped ones too */
    size_t count;    /* warnings held in warning[0..count) */
    size_t dropped;  /* further warnings that did not fit */
    idt_codec_warning warning[IDT_CODEC_WARNINGS_MAX];
} idt_codec_warnings;

/* Empties w.  NULL is allowed. */
IDT_API void idt_codec_warnings_clear(idt_codec_warnings *w);

/* Version 2 added `warnings`; version 1 callers (without it) are still
 * accepted. */
#define IDT_CODEC_OPTIONS_VERSION 2

typedef struct idt_codec_options {
    unsigned int version; /* IDT_CODEC_OPTIONS_VERSION */
    bool lenient;         /* decode by the Go consumers' rules */
    /* Bound on the encoded form: annotation characters, or the gzip length
     * N of an image.  0 means IDT_CODEC_MAX_ENCODED_DEFAULT. */
    size_t max_encoded;
    /* Bound on the document.  0 means IDT_CODEC_MAX_DECODED_DEFAULT. */
    size_t max_decoded;
    /* Where the decoders append their warnings; NULL drops them.  The
     * pointer is the caller's, written even though opts is const. */
    idt_codec_warnings *warnings;
} idt_codec_options;

#define IDT_CODEC_OPTIONS_INIT                                                      \
    { IDT_CODEC_OPTIONS_VERSION, false, IDT_CODEC_MAX_ENCODED_DEFAULT,               \
      IDT_CODEC_MAX_DECODED_DEFAULT, NULL }

/*
 * Compresses len bytes of data into one deterministic gzip member (header
 * above).  *out (free with idt_free) receives *out_len bytes.
 * @return IDT_OK, IDT_ENOMEM, IDT_EINVAL (NULL out, or NULL data with len > 0).
 */
IDT_API int idt_codec_gzip(unsigned char **out, size_t *out_len, const void *data, size_t len,
                           idt_error *err);

/*
 * Decompresses gzip data: one member (strict) or all concatenated members
 * joined (opts->lenient).  Checks every header field, CRC32 and ISIZE;
 * bytes after the last member are an error.  The header rules are the
 * annotation decoders' (the table above): strict is flate2's, lenient is
 * Go's.  Does not check UTF-8 or emptiness.
 * *out (free with idt_free) is NUL-terminated; *out_len excludes the NUL.
 * opts may be NULL (defaults); only lenient, max_decoded and warnings are
 * used.  Error and warning offsets are byte offsets into gz.
 * @return IDT_OK; IDT_EFORMAT (not gzip, bad header, corrupt deflate data,
 *         CRC32 or ISIZE mismatch, trailing bytes, a second member in strict
 *         mode, reserved flag bits in strict mode, an FNAME or FCOMMENT of
 *         512 bytes or more in lenient mode); IDT_ETRUNC (input ends inside
 *         the header or trailer);
 *         IDT_ELIMIT (output above max_decoded); IDT_ENOMEM; IDT_EINVAL.
 */
IDT_API int idt_codec_gunzip(unsigned char **out, size_t *out_len, const void *gz, size_t len,
                             const idt_codec_options *opts, idt_error *err);

/*
 * Encodes a document as an annotation value: base64(gzip(doc)), padded, on
 * one line, without a newline.  *out (free with idt_free) is NUL-terminated;
 * *out_len excludes the NUL.  opts may be NULL.
 * The document must be UTF-8 without NUL bytes and not empty (what
 * decoding accepts), so every value this returns decodes back to doc.
 * @return IDT_OK; IDT_EFORMAT (doc not UTF-8 or has a NUL byte);
 *         IDT_ESCHEMA (doc is empty);
 *         IDT_ELIMIT (doc above max_decoded, or the value above
 *         max_encoded — by default Kubernetes' 262144-byte annotation limit);
 *         IDT_ENOMEM; IDT_EINVAL.
 */
IDT_API int idt_codec_encode(char **out, size_t *out_len, const void *doc, size_t len,
                             const idt_codec_options *opts, idt_error *err);

/*
 * Decodes an annotation value into the exact document bytes, by the strict
 * or the lenient rules (see the top of this file).  The value is used as
 * given: a trailing newline is white space (strict mode rejects it).
 * *out (free with idt_free) is NUL-terminated; *out_len excludes the NUL.
 * opts may be NULL (strict, default bounds).
 * Error and warning offsets are byte offsets into annotation; for gzip
 * problems the offset is where the base64 of the offending byte starts, and
 * the message also gives the byte offset into the gzip data.
 * @return IDT_OK; IDT_ESYNTAX (base64); IDT_EFORMAT (an empty value, gzip,
 *         invalid UTF-8, a NUL byte); IDT_ESCHEMA (the value decodes to an
 *         empty document); IDT_ETRUNC; IDT_ELIMIT (annotation above max_encoded,
 *         document above max_decoded); IDT_ENOMEM; IDT_EINVAL.
 */
IDT_API int idt_codec_decode(unsigned char **out, size_t *out_len, const char *annotation,
                             size_t len, const idt_codec_options *opts, idt_error *err);

/* The Kata block image layout. */
#define IDT_IMAGE_MAGIC "initdata"
#define IDT_IMAGE_MAGIC_LEN 8
#define IDT_IMAGE_HEADER_LEN 16
#define IDT_IMAGE_ALIGN 512

/*
 * Builds a Kata initdata image of doc: magic, N, gzip (deterministic, as
 * idt_codec_gzip) and zero padding to a multiple of 512.  *out (free with
 * idt_free) receives *out_len bytes.  opts may be NULL.  The document must
 * be UTF-8 without NUL bytes and not empty, as for idt_codec_encode.
 * @return IDT_OK; IDT_EFORMAT (doc not UTF-8 or has a NUL byte);
 *         IDT_ESCHEMA (doc is empty);
 *         IDT_ELIMIT (doc above max_decoded, or N above max_encoded, so
 *         that the default reader accepts every image we write);
 *         IDT_ENOMEM; IDT_EINVAL.
 */
IDT_API int idt_image_encode(unsigned char **out, size_t *out_len, const void *doc, size_t len,
                             const idt_codec_options *opts, idt_error *err);

/*
 * Checks the first len bytes of an image (at least IDT_IMAGE_HEADER_LEN)
 * against the size of the file or block device that holds it, before the
 * caller reads the gzip data: the magic, and that 16 + N fits image_size
 * and N fits max_encoded.  On success *gzip_len = N.  opts may be NULL.
 * @return IDT_OK; IDT_EFORMAT (bad magic); IDT_ETRUNC (header shorter than
 *         16 bytes, or N past the end of the image); IDT_ELIMIT (N above
 *         max_encoded); IDT_EINVAL.
 */
IDT_API int idt_image_check_header(uint64_t *gzip_len, const void *header, size_t len,
                                   uint64_t image_size, const idt_codec_options *opts,
                                   idt_error *err);

/*
 * Reads a whole image from a buffer and returns the exact document bytes:
 * checks the header (as idt_image_check_header with image_size = len), that
 * the image is a multiple of 512 bytes, that the padding is zero and ends
 * the image, the gzip member (one, or joined members with opts->lenient),
 * and that the document is UTF-8 without NUL bytes.  The gzip header is
 * read by the kata-agent's rules (the table above): FHCRC is an error,
 * reserved flag bits a warning.  *out (free with idt_free) is
 * NUL-terminated; *out_len excludes the NUL.  Error and warning offsets
 * are byte offsets into the image.
 * @return IDT_OK; IDT_EFORMAT; IDT_ESCHEMA (the document is empty);
 *         IDT_ETRUNC; IDT_ELIMIT; IDT_ENOMEM; IDT_EINVAL.
 */
IDT_API int idt_image_decode(unsigned char **out, size_t *out_len, const void *image,
                             size_t len, const idt_codec_options *opts, idt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* INITDATA_CODEC_H */
