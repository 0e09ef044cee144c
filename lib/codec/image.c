/* The Kata initdata block image (facts section 5), see codec.h. */
#include "codec/codec_int.h"
#include "util/error_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t round_up_512(uint64_t n)
{
    return (n + (IDT_IMAGE_ALIGN - 1)) / IDT_IMAGE_ALIGN * IDT_IMAGE_ALIGN;
}

static void put_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

int idt_image_encode(unsigned char **out, size_t *out_len, const void *doc, size_t len,
                     const idt_codec_options *opts, idt_error *err)
{
    idt_codec__limits lim;
    unsigned char *gz = NULL, *img;
    size_t gz_len = 0, total;

    if (!out || !out_len || (!doc && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_image_encode: NULL argument");
    *out = NULL;
    *out_len = 0;
    IDTX_TRY(idt_codec__gzip_document(&gz, &gz_len, &lim, doc, len, opts, true, err));
    if (gz_len > lim.max_encoded) {
        free(gz);
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "the gzip data would be %zu bytes, above the image limit of %zu",
                              gz_len, lim.max_encoded);
    }
    total = (size_t)round_up_512(IDT_IMAGE_HEADER_LEN + (uint64_t)gz_len);
    img = calloc(1, total); /* the padding is zero */
    if (!img) {
        free(gz);
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory (%zu bytes)", total);
    }
    memcpy(img, IDT_IMAGE_MAGIC, IDT_IMAGE_MAGIC_LEN);
    put_le64(img + IDT_IMAGE_MAGIC_LEN, gz_len);
    memcpy(img + IDT_IMAGE_HEADER_LEN, gz, gz_len);
    free(gz);
    *out = img;
    *out_len = total;
    return IDT_OK;
}

/* The first 8 bytes as text for a message: printable ASCII or \xNN. */
static void describe_magic(char *buf, size_t cap, const unsigned char *p)
{
    size_t o = 0;
    for (size_t i = 0; i < IDT_IMAGE_MAGIC_LEN && o + 5 < cap; i++) {
        bool plain = p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\';
        int w = plain ? snprintf(buf + o, cap - o, "%c", p[i])
                      : snprintf(buf + o, cap - o, "\\x%02x", p[i]);
        o += w > 0 ? (size_t)w : 0;
    }
    buf[o] = 0;
}

int idt_image_check_header(uint64_t *gzip_len, const void *header, size_t len,
                           uint64_t image_size, const idt_codec_options *opts, idt_error *err)
{
    const unsigned char *h = header;
    idt_codec__limits lim;
    uint64_t n;

    if (!gzip_len || (!header && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_image_check_header: NULL argument");
    IDTX_TRY(idt_codec__limits_get(&lim, opts, err));
    if (len < IDT_IMAGE_HEADER_LEN || image_size < IDT_IMAGE_HEADER_LEN)
        return idtx_error_at_offset(err, IDT_ETRUNC, len < image_size ? len : image_size,
                                    "the image is shorter than its 16-byte header (magic "
                                    "\"initdata\" and the gzip length)");
    if (memcmp(h, IDT_IMAGE_MAGIC, IDT_IMAGE_MAGIC_LEN) != 0) {
        char found[48];
        describe_magic(found, sizeof found, h);
        return idtx_error_at_offset(err, IDT_EFORMAT, 0,
                                    "bad magic: expected \"initdata\", found \"%s\" (the "
                                    "kata-agent only reads devices that start with it)", found);
    }
    n = idt_codec__le64(h + IDT_IMAGE_MAGIC_LEN);
    if (n > image_size - IDT_IMAGE_HEADER_LEN)
        return idtx_error_at_offset(err, IDT_ETRUNC, IDT_IMAGE_MAGIC_LEN,
                                    "the gzip length N = %llu runs past the end of the image: "
                                    "16 + N = %llu, but the image is %llu bytes",
                                    (unsigned long long)n,
                                    (unsigned long long)(n + IDT_IMAGE_HEADER_LEN),
                                    (unsigned long long)image_size);
    if (n > lim.max_encoded)
        return idtx_error_at_offset(err, IDT_ELIMIT, IDT_IMAGE_MAGIC_LEN,
                                    "the gzip length N = %llu is above the limit of %zu bytes",
                                    (unsigned long long)n, lim.max_encoded);
    *gzip_len = n;
    return IDT_OK;
}

/* The bytes after the gzip data: zero, and the image whole 512-byte sectors. */
static int check_padding(const unsigned char *img, size_t len, size_t from, idt_error *err)
{
    if (len % IDT_IMAGE_ALIGN)
        return idtx_error_at_offset(err, IDT_EFORMAT, len,
                                    "the image is %zu bytes, not a multiple of 512: the Kata "
                                    "runtime pads it with zeros to whole 512-byte sectors, and a "
                                    "virtio-blk disk drops a partial sector", len);
    for (size_t i = from; i < len; i++)
        if (img[i])
            return idtx_error_at_offset(err, IDT_EFORMAT, i,
                                        "non-zero byte 0x%02x in the padding after the gzip data "
                                        "(which ends at byte %zu); the padding must be zeros",
                                        img[i], from);
    return IDT_OK;
}

int idt_image_decode(unsigned char **out, size_t *out_len, const void *image, size_t len,
                     const idt_codec_options *opts, idt_error *err)
{
    const unsigned char *img = image;
    idt_codec__limits lim;
    unsigned char *doc = NULL;
    size_t doc_len = 0, first_warning;
    uint64_t n = 0;
    int rc;

    if (!out || !out_len || (!image && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_image_decode: NULL argument");
    *out = NULL;
    *out_len = 0;
    IDTX_TRY(idt_codec__limits_get(&lim, opts, err));
    IDTX_TRY(idt_image_check_header(&n, img, len, len, opts, err));
    IDTX_TRY(check_padding(img, len, IDT_IMAGE_HEADER_LEN + (size_t)n, err));
    first_warning = lim.warnings ? lim.warnings->count : 0;
    rc = idt_codec__gunzip(&doc, &doc_len, img + IDT_IMAGE_HEADER_LEN, (size_t)n, &lim,
                           IDT_CODEC__READER_AGENT, err);
    for (size_t i = first_warning; lim.warnings && i < lim.warnings->count; i++)
        lim.warnings->warning[i].offset += IDT_IMAGE_HEADER_LEN;
    if (rc < 0) {
        if (err && err->has_offset)
            err->offset += IDT_IMAGE_HEADER_LEN;
        return rc;
    }
    if (doc_len == 0) {
        free(doc);
        return idtx_error_set(err, IDT_ESCHEMA, NULL,
                              "the image holds an empty document: no Kata runtime attaches "
                              "such an image (" IDT_CODEC__EMPTY_RUNTIME_RS "; "
                              IDT_CODEC__EMPTY_GO_IMAGE ")");
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
