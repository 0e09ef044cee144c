/* Finding and reading the Kata initdata disk (facts §5), see guest.h. */
#include "guest/guest_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The serial the Kata runtime gives the disk. */
#define SERIAL "initdata"
/* Bounds on the scan: a guest has a handful of disks. */
#define MAX_DEVICES 1024
#define NAME_MAX_LEN 255

static uint64_t round_up_512(uint64_t n)
{
    return (n + (IDT_IMAGE_ALIGN - 1)) / IDT_IMAGE_ALIGN * IDT_IMAGE_ALIGN;
}

/* The size of a regular file or block device. */
static int device_size(int fd, uint64_t *size, idt_error *err)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot stat the device: %s", strerror(errno));
    if (S_ISREG(st.st_mode)) {
        *size = (uint64_t)st.st_size;
        return IDT_OK;
    }
    if (S_ISBLK(st.st_mode)) {
        if (ioctl(fd, BLKGETSIZE64, size) < 0)
            return idtx_error_set(err, IDT_EIO, NULL, "cannot get the size of the block "
                                  "device: %s", strerror(errno));
        return IDT_OK;
    }
    return idtx_error_set(err, IDT_EIO, NULL, "not a block device or a regular file (the "
                          "initdata disk is a virtio-blk disk)");
}

int idt_guest_device_read_fd(unsigned char **doc, size_t *len, int fd,
                             const idt_codec_options *opts, idt_error *err)
{
    idt_codec_options defaults = IDT_CODEC_OPTIONS_INIT;
    unsigned char header[IDT_IMAGE_HEADER_LEN];
    uint64_t size = 0, n = 0, want;
    unsigned char *img;
    int rc;

    if (!doc || !len || fd < 0)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_device_read_fd: bad argument");
    *doc = NULL;
    *len = 0;
    if (!opts)
        opts = &defaults;
    IDTX_TRY(device_size(fd, &size, err));
    if (size < IDT_IMAGE_HEADER_LEN)
        return idt_image_check_header(&n, header, 0, size, opts, err);
    IDTX_TRY(idt_guest__pread_full(fd, header, sizeof header, 0, "the device", err));
    /* N is checked against the device size and the cap before any
     * allocation: a hostile header cannot make us allocate or read more. */
    IDTX_TRY(idt_image_check_header(&n, header, sizeof header, size, opts, err));
    want = round_up_512(IDT_IMAGE_HEADER_LEN + n);
    if (want > size)
        want = size; /* idt_image_decode says why a partial sector is wrong */
    img = malloc((size_t)want);
    if (!img)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory (%llu bytes)",
                              (unsigned long long)want);
    rc = idt_guest__pread_full(fd, img, (size_t)want, 0, "the device", err);
    /* The header is read twice; a device that changed between the reads is
     * caught because the second copy is what gets decoded and checked. */
    if (rc >= 0)
        rc = idt_image_decode(doc, len, img, (size_t)want, opts, err);
    free(img);
    return rc;
}

int idt_guest_device_read(unsigned char **doc, size_t *len, const char *path,
                          const idt_codec_options *opts, idt_error *err)
{
    if (!doc || !len || !path)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_device_read: NULL argument");
    *doc = NULL;
    *len = 0;
    /* O_NONBLOCK: a FIFO must be refused, not waited on. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", path, strerror(errno));
    int rc = idt_guest_device_read_fd(doc, len, fd, opts, err);
    close(fd);
    return rc;
}

/* --- discovery ------------------------------------------------------------ */

typedef struct name_list {
    char **items;
    size_t count;
} name_list;

static void names_free(name_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of ROOT/sys/block, sorted. */
static int list_block_devices(name_list *out, const char *dir, idt_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot list the block devices in %s: %s",
                              dir, strerror(errno));
    out->items = calloc(MAX_DEVICES, sizeof *out->items);
    if (!out->items) {
        closedir(d);
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    }
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (out->count == MAX_DEVICES) {
            closedir(d);
            names_free(out);
            return idtx_error_set(err, IDT_ELIMIT, NULL, "more than %d block devices in %s",
                                  MAX_DEVICES, dir);
        }
        if (!(out->items[out->count] = strdup(e->d_name))) {
            closedir(d);
            names_free(out);
            return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
        }
        out->count++;
    }
    closedir(d);
    qsort(out->items, out->count, sizeof *out->items, by_name);
    return IDT_OK;
}

/* Whether ROOT/sys/block/NAME/serial reads "initdata". */
static bool has_initdata_serial(const char *sysblock, const char *name)
{
    char path[IDT_GUEST_PATH_MAX], buf[64];
    size_t len = 0;
    if (idt_guest__fmt(path, sizeof path, NULL, "path", "%s/%s/serial", sysblock, name) < 0 ||
        idt_guest__read_small(AT_FDCWD, path, path, buf, sizeof buf, &len, NULL, NULL) < 0)
        return false;
    len = idt_guest__trim(buf, len);
    return len == sizeof SERIAL - 1 && memcmp(buf, SERIAL, len) == 0;
}

/* Whether the device starts with the magic.  Devices that cannot be read
 * are skipped; a note says so unless they simply hold no medium. */
static bool has_magic(const char *path, bool staged, idt_guest_notes *notes)
{
    unsigned char magic[IDT_IMAGE_MAGIC_LEN];
    struct stat st;
    bool yes = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno != ENOENT && errno != ENOMEDIUM && errno != ENXIO)
            idt_guest__note(notes, "skipped %s: %s", path, strerror(errno));
        return false;
    }
    if (fstat(fd, &st) == 0 && (S_ISBLK(st.st_mode) || (staged && S_ISREG(st.st_mode))))
        yes = idt_guest__pread_full(fd, magic, sizeof magic, 0, path, NULL) == IDT_OK &&
              memcmp(magic, IDT_IMAGE_MAGIC, IDT_IMAGE_MAGIC_LEN) == 0;
    close(fd);
    return yes;
}

/* "vdb, vdc and vdd" into buf. */
static void join_names(char *buf, size_t cap, char **names, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < cap; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " and " : ", ";
        int w = snprintf(buf + o, cap - o, "%s%s", sep, names[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

/* Picks the one candidate, or explains why there is none or several. */
static int pick(char *path, size_t cap, const char *root, char **cand, size_t n,
                const char *how, size_t scanned, const char *sysblock, idt_error *err)
{
    char list[256];
    if (n == 0)
        return idtx_error_set(err, IDT_EIO, NULL, "no initdata disk: none of the %zu block "
                              "devices in %s has the serial \"initdata\" or starts with the "
                              "magic \"initdata\"", scanned, sysblock);
    if (n > 1) {
        join_names(list, sizeof list, cand, n);
        return idtx_error_hint(err, IDT_HINT_GUEST_DEVICE,
                               idtx_error_set(err, IDT_EIO, NULL, "%zu block devices %s (%s); "
                                              "refusing to guess which one the TEE was "
                                              "launched with: the device must be named",
                                              n, how, list));
    }
    char rel[IDT_GUEST_PATH_MAX];
    IDTX_TRY(idt_guest__fmt(rel, sizeof rel, err, "the device path", "/dev/%s", cand[0]));
    return idt_guest__path(path, cap, root, rel, err);
}

int idt_guest_device_find(char *path, size_t cap, const char *root, idt_guest_notes *notes,
                          idt_error *err)
{
    char sysblock[IDT_GUEST_PATH_MAX], node[IDT_GUEST_PATH_MAX];
    name_list devs = { NULL, 0 };
    char **cand;
    size_t n = 0;
    bool staged = idt_guest__staged(root);
    int rc;

    if (!path || !cap)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_device_find: NULL argument");
    path[0] = '\0';
    IDTX_TRY(idt_guest__path(sysblock, sizeof sysblock, root, "/sys/block", err));
    IDTX_TRY(list_block_devices(&devs, sysblock, err));
    cand = calloc(devs.count ? devs.count : 1, sizeof *cand);
    if (!cand) {
        names_free(&devs);
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < devs.count; i++)
        if (has_initdata_serial(sysblock, devs.items[i]))
            cand[n++] = devs.items[i];
    if (n) {
        rc = pick(path, cap, root, cand, n, "have the serial \"initdata\"", devs.count, sysblock,
                  err);
        if (rc >= 0)
            idt_guest__note(notes, "found the initdata disk %s by its serial", path);
    } else {
        for (size_t i = 0; i < devs.count; i++) {
            char rel[NAME_MAX_LEN + 8];
            snprintf(rel, sizeof rel, "/dev/%s", devs.items[i]);
            if (idt_guest__path(node, sizeof node, root, rel, NULL) == IDT_OK &&
                has_magic(node, staged, notes))
                cand[n++] = devs.items[i];
        }
        rc = pick(path, cap, root, cand, n, "start with the magic \"initdata\"", devs.count,
                  sysblock, err);
        if (rc >= 0)
            idt_guest__note(notes, "found the initdata disk %s by its magic (no disk has the "
                            "serial \"initdata\")", path);
    }
    free(cand);
    names_free(&devs);
    return rc;
}
