/*
 * fuzz_image_read.c - the Kata block image reader on arbitrary bytes.
 *
 * Each input is read as an image with a small max_decoded and, when it
 * holds at least a header, its header is checked against several device
 * sizes.  Promises checked (a broken one aborts):
 *   - a failure leaves *out NULL, err->code is the status, the message is
 *     non-empty and the offset lies within the image;
 *   - every warning's offset lies within the gzip data of the image;
 *   - a success implies: idt_image_check_header accepts the header with the
 *     image's size, 16 + N fits, the size is a multiple of 512; the document
 *     is NUL-terminated UTF-8 without NUL, and its own image (written by
 *     idt_image_encode) reads back to the same bytes;
 *   - idt_image_check_header never accepts an N past the given device size,
 *     and a larger device never turns acceptance into refusal.
 */
#include "fuzz.h"
#include "initdata/codec.h"

static void check_roundtrip(const unsigned char *doc, size_t len, const idt_codec_options *o)
{
    unsigned char *img = NULL, *back = NULL;
    size_t img_len = 0, back_len = 0;
    idt_codec_options big = *o;
    big.max_encoded = SIZE_MAX / 8;
    CHECK(memchr(doc, 0, len) == NULL);
    CHECK(idt_image_encode(&img, &img_len, doc, len, &big, NULL) == IDT_OK);
    CHECK(img_len % IDT_IMAGE_ALIGN == 0 && memcmp(img, IDT_IMAGE_MAGIC, 8) == 0);
    CHECK(idt_image_decode(&back, &back_len, img, img_len, &big, NULL) == IDT_OK);
    CHECK(back_len == len && memcmp(back, doc, len) == 0);
    idt_free(back);
    idt_free(img);
}

static void check_headers(const uint8_t *data, size_t size)
{
    static const uint64_t sizes[] = { 16, 512, 4096, 1u << 20, UINT64_MAX };
    int accepted_before = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint64_t n = 0;
        idt_error err;
        idt_error_clear(&err);
        int rc = idt_image_check_header(&n, data, size, sizes[i], NULL, &err);
        if (rc == IDT_OK) {
            CHECK(n <= sizes[i] - IDT_IMAGE_HEADER_LEN);
            CHECK(n <= IDT_CODEC_MAX_ENCODED_DEFAULT);
            accepted_before = 1;
        } else {
            fuzz_check_error(rc, &err, size);
            CHECK(!accepted_before); /* more room never refuses */
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    idt_codec_warnings w;
    idt_error err;
    unsigned char *doc = (unsigned char *)1;
    size_t len = 3;
    uint64_t n = 0;

    o.max_decoded = FUZZ_MAX_DECODED;
    o.warnings = &w;
    idt_codec_warnings_clear(&w);
    idt_error_clear(&err);
    int rc = idt_image_decode(&doc, &len, data, size, &o, &err);
    CHECK(w.count <= IDT_CODEC_WARNINGS_MAX);
    for (size_t i = 0; i < w.count; i++)
        CHECK(w.warning[i].offset >= IDT_IMAGE_HEADER_LEN && w.warning[i].offset < size &&
              w.warning[i].message[0]);
    o.warnings = NULL;
    if (rc != IDT_OK) {
        fuzz_check_error(rc, &err, size);
        CHECK(rc != IDT_EINVAL);
        CHECK(doc == NULL && len == 0);
    } else {
        CHECK(idt_image_check_header(&n, data, size, size, &o, NULL) == IDT_OK);
        CHECK(IDT_IMAGE_HEADER_LEN + n <= size && size % IDT_IMAGE_ALIGN == 0);
        CHECK(doc != NULL && len <= FUZZ_MAX_DECODED && doc[len] == 0);
        check_roundtrip(doc, len, &o);
        idt_free(doc);
    }
    if (size >= IDT_IMAGE_HEADER_LEN)
        check_headers(data, size);
    return 0;
}
