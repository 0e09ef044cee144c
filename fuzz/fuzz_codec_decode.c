/*
 * fuzz_codec_decode.c - the annotation decoder and the gzip reader on
 * arbitrary bytes.
 *
 * Each input is used twice:
 *   1. as an annotation value, decoded strictly and leniently;
 *   2. as gzip data, inflated with one member (strict) and joined members.
 * Both with a small max_decoded, so that bombs hit the bound quickly.
 * Promises checked (a broken one aborts, and the fuzzer reports a crash):
 *   - a failure leaves *out NULL and *out_len 0, err->code is the status,
 *     the message is non-empty and an offset lies within the input;
 *   - a success gives at most max_decoded bytes, NUL-terminated, and for
 *     annotations UTF-8 without NUL;
 *   - strict success implies lenient success with the same bytes (lenient
 *     only relaxes), except where strict decoding warned about an FNAME or
 *     FCOMMENT of 512 bytes or more, which Go's rules refuse;
 *   - warnings hold within their bounds and their offsets lie within the
 *     input;
 *   - a decoded document encodes and decodes back to itself.
 */
#include "fuzz.h"
#include "initdata/codec.h"

typedef struct result {
    int rc;
    unsigned char *out;
    size_t len;
    unsigned found; /* idt_codec_warnings.found */
} result;

typedef int (*decode_fn)(unsigned char **, size_t *, const void *, size_t,
                         const idt_codec_options *, idt_error *);

static int decode_annotation(unsigned char **out, size_t *len, const void *in, size_t n,
                             const idt_codec_options *o, idt_error *err)
{
    return idt_codec_decode(out, len, in, n, o, err);
}

static result run(decode_fn fn, const uint8_t *data, size_t size, bool lenient)
{
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    idt_codec_warnings w;
    idt_error err;
    result r = { 0, (unsigned char *)1, 7, 0 };
    o.lenient = lenient;
    o.max_decoded = FUZZ_MAX_DECODED;
    o.warnings = &w;
    idt_codec_warnings_clear(&w);
    idt_error_clear(&err);
    r.rc = fn(&r.out, &r.len, data, size, &o, &err);
    CHECK(w.count <= IDT_CODEC_WARNINGS_MAX && (w.count + w.dropped == 0) == (w.found == 0));
    for (size_t i = 0; i < w.count; i++)
        CHECK(w.warning[i].offset <= size && w.warning[i].message[0] &&
              (w.found & w.warning[i].finding));
    r.found = w.found;
    if (r.rc != IDT_OK) {
        fuzz_check_error(r.rc, &err, size);
        CHECK(r.rc != IDT_EINVAL);
        CHECK(r.out == NULL && r.len == 0);
        CHECK(err.line == 0 && err.column == 0);
        return r;
    }
    CHECK(r.out != NULL && r.len <= FUZZ_MAX_DECODED && r.out[r.len] == 0);
    return r;
}

/* What decode accepts, encode turns into a value that decodes to it. */
static void check_reencode(const result *r)
{
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    char *value = NULL;
    size_t value_len = 0;
    unsigned char *back = NULL;
    size_t back_len = 0;
    CHECK(memchr(r->out, 0, r->len) == NULL);
    o.max_encoded = SIZE_MAX / 8; /* a document under the bound may grow past 256 KiB */
    o.max_decoded = FUZZ_MAX_DECODED;
    CHECK(idt_codec_encode(&value, &value_len, r->out, r->len, &o, NULL) == IDT_OK);
    CHECK(value[value_len] == 0 && strlen(value) == value_len);
    CHECK(idt_codec_decode(&back, &back_len, value, value_len, &o, NULL) == IDT_OK);
    CHECK(back_len == r->len && memcmp(back, r->out, back_len) == 0);
    idt_free(back);
    idt_free(value);
}

static void check_pair(decode_fn fn, const uint8_t *data, size_t size, bool is_annotation)
{
    result strict = run(fn, data, size, false);
    result lenient = run(fn, data, size, true);
    if (strict.rc == IDT_OK && !(strict.found & IDT_CODEC_FINDING_LONG_HEADER_STRING)) {
        CHECK(lenient.rc == IDT_OK);
        CHECK(lenient.len == strict.len && memcmp(lenient.out, strict.out, strict.len) == 0);
    }
    if (strict.rc == IDT_OK && is_annotation)
        check_reencode(&strict);
    if (lenient.rc == IDT_OK && is_annotation)
        check_reencode(&lenient);
    idt_free(strict.out);
    idt_free(lenient.out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_pair(decode_annotation, data, size, true);
    check_pair(idt_codec_gunzip, data, size, false);
    return 0;
}
