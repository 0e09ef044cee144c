/* The Pod annotation value: base64(gzip(document)), see codec.h. */
#include "codec/codec_int.h"
#include "util/base64.h"
#include "util/error_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int idt_codec_encode(char **out, size_t *out_len, const void *doc, size_t len,
                     const idt_codec_options *opts, idt_error *err)
{
    idt_codec__limits lim;
    unsigned char *gz = NULL;
    size_t gz_len = 0, enc_len;
    char *enc;

    if (!out || !out_len || (!doc && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_codec_encode: NULL argument");
    *out = NULL;
    *out_len = 0;
    IDTX_TRY(idt_codec__gzip_document(&gz, &gz_len, &lim, doc, len, opts, false, err));
    enc_len = idtx_base64_encoded_len(gz_len);
    if (enc_len > lim.max_encoded) {
        free(gz);
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "the annotation value would be %zu bytes, above the limit of %zu "
                              "(Kubernetes allows 262144 bytes for all annotations of an "
                              "object together)", enc_len, lim.max_encoded);
    }
    enc = malloc(enc_len + 1);
    if (!enc) {
        free(gz);
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory (%zu bytes)", enc_len + 1);
    }
    *out_len = idtx_base64_encode(enc, gz, gz_len);
    *out = enc;
    free(gz);
    return IDT_OK;
}

/* A sentence about one base64 fault: what and which consumers say what. */
static int base64_error(const idtx_base64_fault *f, idt_error *err)
{
    static const char both[] = "both " IDT_CODEC__GO " and " IDT_CODEC__RUST " reject it";
    static const char go_ok[] = IDT_CODEC__RUST " reject it; " IDT_CODEC__GO
                                " accept it (lenient decoding)";
    char what[96];

    switch (f->kind) {
    case IDTX_BASE64_MISSING_PADDING:
        return idtx_error_at_offset(err, IDT_ESYNTAX, f->offset,
                                    "base64 is %s '=' short: it ends in a group of %u "
                                    "characters, which needs padding to 4; %s",
                                    f->missing == 1 ? "one" : "two", 4 - f->missing, both);
    case IDTX_BASE64_LINE_BREAK:
        return idtx_error_at_offset(err, IDT_ESYNTAX, f->offset,
                                    "base64 has a line break (%s); %s",
                                    f->byte == '\n' ? "\\n" : "\\r", go_ok);
    case IDTX_BASE64_TRAILING_BITS:
        return idtx_error_at_offset(err, IDT_ESYNTAX, f->offset,
                                    "non-canonical base64: '%c' before the '=' padding has "
                                    "non-zero unused bits; %s", f->byte, go_ok);
    case IDTX_BASE64_BAD_CHAR:
        if (f->byte >= 0x21 && f->byte < 0x7f)
            snprintf(what, sizeof what, "'%c' is not a base64 character", f->byte);
        else
            snprintf(what, sizeof what, "byte 0x%02x is not a base64 character", f->byte);
        if (f->byte == '-' || f->byte == '_')
            snprintf(what + strlen(what), sizeof what - strlen(what),
                     " (URL-safe alphabet; use the standard one)");
        return idtx_error_at_offset(err, IDT_ESYNTAX, f->offset, "%s; %s", what, both);
    default:
        return idtx_error_at_offset(err, IDT_ESYNTAX, f->offset, "%s; %s",
                                    idtx_base64_fault_str(f->kind), both);
    }
}

/* The offset in the annotation of the base64 group holding decoded byte k
 * (CR and LF skipped in lenient mode are not symbols). */
static size_t annotation_offset(const char *a, size_t n, size_t k)
{
    size_t want = k / 3 * 4, symbols = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i] == '\r' || a[i] == '\n')
            continue;
        if (symbols++ == want)
            return i;
    }
    return n;
}

/* Moves a gzip error from an offset into the gzip data to the annotation,
 * keeping the gzip offset in the message. */
/* Rewrites one finding of gunzip (an error's or a warning's message and
 * offset into the gzip bytes) to say where it is in the annotation. */
static void relocate(char message[IDT_ERROR_MESSAGE_MAX], uint64_t *offset, const char *a,
                     size_t n)
{
    char msg[IDT_ERROR_MESSAGE_MAX];
    uint64_t k = *offset;
    memcpy(msg, message, sizeof msg);
    /* A message cut at IDT_ERROR_MESSAGE_MAX still says what went wrong first. */
    if (snprintf(message, IDT_ERROR_MESSAGE_MAX, "gzip data byte %llu: %s",
                 (unsigned long long)k, msg) >= IDT_ERROR_MESSAGE_MAX)
        message[IDT_ERROR_MESSAGE_MAX - 1] = 0;
    *offset = annotation_offset(a, n, (size_t)k);
}

static int relocate_gzip_error(int rc, const char *a, size_t n, idt_error *err)
{
    if (err && err->has_offset)
        relocate(err->message, &err->offset, a, n);
    return rc;
}

/* Moves the warnings that gunzip appended from w->warning[first] on to
 * the annotation, as relocate_gzip_error does for an error. */
static void relocate_gzip_warnings(idt_codec_warnings *w, size_t first, const char *a, size_t n)
{
    for (size_t i = first; w && i < w->count; i++)
        relocate(w->warning[i].message, &w->warning[i].offset, a, n);
}

static int not_gzip_error(const unsigned char *raw, size_t raw_len, idt_error *err)
{
    if (raw_len == 0)
        return idtx_error_at_offset(err, IDT_EFORMAT, 0,
                                    "the annotation value is empty: " IDT_CODEC__EMPTY_RUNTIME_RS
                                    ", and " IDT_CODEC__EMPTY_GO_ANNOTATION "; to send no "
                                    "Init-Data, leave the annotation out");
    return idtx_error_at_offset(err, IDT_EFORMAT, 0,
                                "the base64 decodes to data that is not gzip (first bytes "
                                "%02x %02x, not 1f 8b): the value must be base64(gzip(document))"
                                "; both " IDT_CODEC__GO " and " IDT_CODEC__RUST " reject "
                                "un-gzipped base64", raw[0], raw_len > 1 ? raw[1] : 0);
}

static int decode_base64(unsigned char **raw, size_t *raw_len, const char *a, size_t n,
                         bool lenient, idt_error *err)
{
    idtx_base64_fault fault;
    size_t cap = idtx_base64_decoded_max(n);
    unsigned char *buf = malloc(cap);

    if (!buf)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory (%zu bytes)", cap);
    if (idtx_base64_decode(buf, raw_len, a, n, lenient ? IDTX_BASE64_GO : 0, &fault) < 0) {
        free(buf);
        return base64_error(&fault, err);
    }
    *raw = buf;
    return IDT_OK;
}

int idt_codec_decode(unsigned char **out, size_t *out_len, const char *annotation, size_t len,
                     const idt_codec_options *opts, idt_error *err)
{
    idt_codec__limits lim;
    unsigned char *raw = NULL, *doc = NULL;
    size_t raw_len = 0, doc_len = 0, first_warning;
    int rc;

    if (!out || !out_len || (!annotation && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_codec_decode: NULL argument");
    *out = NULL;
    *out_len = 0;
    IDTX_TRY(idt_codec__limits_get(&lim, opts, err));
    if (len > lim.max_encoded)
        return idtx_error_at_offset(err, IDT_ELIMIT, lim.max_encoded,
                                    "the annotation value is %zu bytes, above the limit of %zu "
                                    "(Kubernetes allows 262144 bytes for all annotations of an "
                                    "object together)", len, lim.max_encoded);
    IDTX_TRY(decode_base64(&raw, &raw_len, annotation ? annotation : "", len, lim.lenient, err));
    if (raw_len < 2 || raw[0] != 0x1f || raw[1] != 0x8b) {
        rc = not_gzip_error(raw, raw_len, err);
        free(raw);
        return rc;
    }
    first_warning = lim.warnings ? lim.warnings->count : 0;
    rc = idt_codec__gunzip(&doc, &doc_len, raw, raw_len, &lim,
                           lim.lenient ? IDT_CODEC__READER_GO : IDT_CODEC__READER_FLATE2, err);
    free(raw);
    relocate_gzip_warnings(lim.warnings, first_warning, annotation, len);
    if (rc < 0)
        return relocate_gzip_error(rc, annotation, len, err);
    if (doc_len == 0) {
        free(doc);
        return idtx_error_set(err, IDT_ESCHEMA, NULL,
                              "the value decodes to an empty document: the Go shim's "
                              "annotation decoder panics on it (a nil hash, as the algorithm "
                              "is missing), and " IDT_CODEC__EMPTY_RUNTIME_RS);
    }
    rc = idt_codec__check_text(doc, doc_len, err);
    if (rc < 0) {
        free(doc);
        return rc;
    }
    *out = doc;
    *out_len = doc_len;
    return IDT_OK;
}
