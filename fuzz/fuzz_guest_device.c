/*
 * fuzz_guest_device.c - the guest's device reader (idt_guest_device_read_fd)
 * on arbitrary device contents.
 *
 * Each input becomes the contents of a memfd, which stands in for the
 * initdata disk, and is read with a small max_decoded.  Promises checked (a
 * broken one aborts):
 *   - a failure leaves *doc NULL and *len 0, err.code is the status, the
 *     message is non-empty and any offset lies on the device;
 *   - a success agrees with the in-memory decoder: the header passes
 *     idt_image_check_header against the device size, and idt_image_decode
 *     of the announced image (16 + N rounded up to 512, at most the device)
 *     gives the same bytes;
 *   - what follows the announced image is never read: the same image on a
 *     larger device, followed by 0xff bytes, reads back the same document.
 */
#define _GNU_SOURCE /* memfd_create */
#include "fuzz.h"
#include "initdata/guest.h"

#include <sys/mman.h>
#include <unistd.h>

/* A memfd holding a then b (b may be empty). */
static int device_of(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int fd = memfd_create("initdata-disk", MFD_CLOEXEC);
    CHECK(fd >= 0);
    CHECK(alen == 0 || write(fd, a, alen) == (ssize_t)alen);
    CHECK(blen == 0 || write(fd, b, blen) == (ssize_t)blen);
    return fd;
}

static int read_device(unsigned char **doc, size_t *len, const uint8_t *a, size_t alen,
                       const uint8_t *b, size_t blen, idt_error *err)
{
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    o.max_decoded = FUZZ_MAX_DECODED;
    int fd = device_of(a, alen, b, blen);
    int rc = idt_guest_device_read_fd(doc, len, fd, &o, err);
    close(fd);
    return rc;
}

static void check_success(const uint8_t *data, size_t size, const unsigned char *doc,
                          size_t len)
{
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    unsigned char *again = NULL;
    size_t again_len = 0;
    uint64_t n = 0;
    o.max_decoded = FUZZ_MAX_DECODED;
    CHECK(idt_image_check_header(&n, data, size, size, &o, NULL) == IDT_OK);
    size_t image = (size_t)((IDT_IMAGE_HEADER_LEN + n + 511) / 512 * 512);
    CHECK(image <= size);
    CHECK(idt_image_decode(&again, &again_len, data, image, &o, NULL) == IDT_OK);
    CHECK(again_len == len && memcmp(again, doc, len) == 0);
    idt_free(again);

    static uint8_t junk[1024];
    memset(junk, 0xff, sizeof junk);
    CHECK(read_device(&again, &again_len, data, image, junk, sizeof junk, NULL) == IDT_OK);
    CHECK(again_len == len && memcmp(again, doc, len) == 0);
    idt_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *doc = (unsigned char *)1;
    size_t len = 3;
    idt_error err;
    idt_error_clear(&err);
    int rc = read_device(&doc, &len, data, size, NULL, 0, &err);
    if (rc != IDT_OK) {
        CHECK(rc == IDT_EFORMAT || rc == IDT_ETRUNC || rc == IDT_ELIMIT);
        CHECK(doc == NULL && len == 0);
        fuzz_check_error(rc, &err, size);
        return 0;
    }
    CHECK(doc != NULL && len <= FUZZ_MAX_DECODED && doc[len] == 0);
    check_success(data, size, doc, len);
    idt_free(doc);
    return 0;
}
