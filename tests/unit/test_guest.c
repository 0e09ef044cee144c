/* Unit tests of initdata/guest.h on staged guest trees: device discovery and
 * bounded reads, the TDX/SNP field readers, the configfs-tsm exchange, the
 * binding comparison, and the all-or-nothing install with its refusals
 * (initdata-facts §3, §5, §8). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "idt_unit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vectors.h"
#include "no_flags.h"
#include "initdata/guest.h"
#include "guest/guest_int.h"

/* ---- a scratch tree ---------------------------------------------------------- */

static char root[256];

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)flag;
    (void)f;
    return remove(p);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "%s/idt-guest-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR")
                                                                       : "/tmp");
    assert_non_null(mkdtemp(root));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

/* root/rel, in a static buffer per call slot. */
static const char *at(const char *rel)
{
    static char bufs[8][512];
    static int slot;
    char *b = bufs[slot++ % 8];
    snprintf(b, 512, "%s/%s", root, rel);
    return b;
}

/* A path that outlives the at() slots. */
typedef struct path_buf {
    char p[512];
} path_buf;

static const char *keep(path_buf *b, const char *rel)
{
    snprintf(b->p, sizeof b->p, "%s/%s", root, rel);
    return b->p;
}

static void mkdirs(const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    for (char *s = p + strlen(root) + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(p, 0755);
            *s = '/';
        }
    mkdir(p, 0755);
}

static void put(const char *rel, const void *data, size_t len)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s", rel);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = 0;
        mkdirs(dir);
    }
    FILE *f = fopen(at(rel), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Number of entries in dir whose names start with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    assert_non_null(d);
    while ((e = readdir(d)))
        if (!strncmp(e->d_name, prefix, strlen(prefix)))
            n++;
    closedir(d);
    return n;
}

static unsigned char *image_of(const char *doc, size_t len, size_t *img_len)
{
    unsigned char *img = NULL;
    assert_status(idt_image_encode(&img, img_len, doc, len, NULL, NULL), IDT_OK, NULL);
    return img;
}

static void put_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static idt_doc *parse(const char *text)
{
    idt_doc *doc = NULL;
    idt_error err = { 0 };
    assert_status(idt_doc_parse(&doc, text, strlen(text), NULL, &err), IDT_OK, &err);
    return doc;
}

static void kata_digest(idt_digest *d)
{
    assert_status(idt_digest_compute(d, IDT_DIGEST_SHA256, kata_doc, KATA_LEN, NULL), IDT_OK, NULL);
}

/* ---- names and paths ------------------------------------------------------------- */

static void test_name_check(void **state)
{
    (void)state;
    char longname[300];
    memset(longname, 'a', sizeof longname);
    assert_null(idt_guest_name_check("aa.toml", 7));
    assert_null(idt_guest_name_check(".hidden", 7));
    assert_null(idt_guest_name_check(longname, 255));
    assert_string_equal(idt_guest_name_check(longname, 256), "is longer than 255 bytes");
    assert_string_equal(idt_guest_name_check("../etc/passwd", 13), "contains '/'");
    assert_string_equal(idt_guest_name_check("..", 2), "is \".\" or \"..\"");
    assert_string_equal(idt_guest_name_check(".", 1), "is \".\" or \"..\"");
    assert_string_equal(idt_guest_name_check("a\0b", 3), "contains a NUL byte");
    assert_string_equal(idt_guest_name_check("-rf", 3), "starts with '-'");
    assert_string_equal(idt_guest_name_check("", 0), "is empty");
}

static void test_default_out(void **state)
{
    (void)state;
    char buf[256];
    assert_status(idt_guest_default_out(buf, sizeof buf, IDT_GUEST_LAYOUT_KATA, NULL, NULL),
                  IDT_OK, NULL);
    assert_string_equal(buf, "/run/confidential-containers/initdata");
    assert_status(idt_guest_default_out(buf, sizeof buf, IDT_GUEST_LAYOUT_PEERPOD, "/", NULL),
                  IDT_OK, NULL);
    assert_string_equal(buf, "/run/peerpod");
    assert_status(idt_guest_default_out(buf, sizeof buf, IDT_GUEST_LAYOUT_PEERPOD, "/tmp/r//",
                                        NULL), IDT_OK, NULL);
    assert_string_equal(buf, "/tmp/r/run/peerpod");
    assert_status(idt_guest_default_out(buf, 8, IDT_GUEST_LAYOUT_KATA, NULL, NULL),
                  IDT_ELIMIT, NULL);
}

static void test_layout_keywords(void **state)
{
    (void)state;
    idt_guest_layout l = IDT_GUEST_LAYOUT_KATA;
    assert_status(idt_guest_layout_parse(&l, "peerpod", 7, NULL), IDT_OK, NULL);
    assert_int_equal(l, IDT_GUEST_LAYOUT_PEERPOD);
    assert_status(idt_guest_layout_parse(&l, "kata", 4, NULL), IDT_OK, NULL);
    assert_int_equal(l, IDT_GUEST_LAYOUT_KATA);
    assert_string_equal(idt_guest_layout_name(IDT_GUEST_LAYOUT_PEERPOD), "peerpod");
    assert_string_equal(idt_guest_layout_name(IDT_GUEST_LAYOUT_KATA), "kata");
    assert_null(idt_guest_layout_name((idt_guest_layout)0));
    idt_error err = { 0 };
    assert_status(idt_guest_layout_parse(&l, "peerpods", 8, &err), IDT_EUNSUPPORTED, &err);
    assert_int_equal(l, IDT_GUEST_LAYOUT_KATA);
    assert_string_equal(err.message, "unknown layout \"peerpods\" (known: kata, peerpod)");
    assert_status(idt_guest_layout_parse(NULL, "kata", 4, NULL), IDT_EINVAL, NULL);
}

/* ---- reading a device -------------------------------------------------------------- */

static void test_device_read__image_and_trailing_bytes(void **state)
{
    (void)state;
    size_t img_len = 0, len = 0;
    unsigned char *img = image_of(kata_doc, KATA_LEN, &img_len);
    /* A disk larger than its image: what follows is never read. */
    unsigned char *disk = malloc(img_len + 4096);
    memcpy(disk, img, img_len);
    memset(disk + img_len, 0xa5, 4096);
    put("disk.img", disk, img_len + 4096);
    unsigned char *doc = NULL;
    idt_error err = { 0 };
    assert_status(idt_guest_device_read(&doc, &len, at("disk.img"), NULL, &err), IDT_OK, &err);
    assert_int_equal(len, KATA_LEN);
    assert_memory_equal(doc, kata_doc, KATA_LEN);
    idt_free(doc);
    idt_free(img);
    free(disk);
}

static void test_device_read__hostile_headers(void **state)
{
    (void)state;
    unsigned char hdr[512] = { 0 };
    unsigned char *doc = (unsigned char *)1;
    size_t len = 7;
    idt_error err = { 0 };

    memcpy(hdr, "initdatX", 8);
    put("bad-magic.img", hdr, sizeof hdr);
    assert_status(idt_guest_device_read(&doc, &len, at("bad-magic.img"), NULL, &err),
                  IDT_EFORMAT, &err);
    assert_null(doc);
    assert_int_equal(len, 0);
    assert_true(err.has_offset && err.offset == 0);
    assert_non_null(strstr(err.message, "bad magic: expected \"initdata\", found \"initdatX\""));

    /* N larger than the device. */
    memcpy(hdr, "initdata", 8);
    put_le64(hdr + 8, 497);
    put("past-end.img", hdr, sizeof hdr);
    assert_status(idt_guest_device_read(&doc, &len, at("past-end.img"), NULL, &err),
                  IDT_ETRUNC, &err);
    assert_non_null(strstr(err.message, "N = 497 runs past the end of the image"));

    /* N at the cap plus one, on a device that has room for it. */
    put_le64(hdr + 8, IDT_CODEC_MAX_ENCODED_DEFAULT + 1);
    put("cap.img", hdr, sizeof hdr);
    assert_int_equal(truncate(at("cap.img"), 1 << 20), 0);
    assert_status(idt_guest_device_read(&doc, &len, at("cap.img"), NULL, &err), IDT_ELIMIT, &err);
    assert_non_null(strstr(err.message, "N = 262145 is above the limit of 262144 bytes"));

    /* Shorter than a header. */
    put("short.img", "initdata", 8);
    assert_status(idt_guest_device_read(&doc, &len, at("short.img"), NULL, &err), IDT_ETRUNC, &err);

    /* A FIFO is refused at once, not waited on. */
    assert_int_equal(mkfifo(at("fifo"), 0600), 0);
    assert_status(idt_guest_device_read(&doc, &len, at("fifo"), NULL, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "not a block device or a regular file"));

    assert_status(idt_guest_device_read(&doc, &len, at("missing"), NULL, &err), IDT_EIO, &err);
    assert_status(idt_guest_device_read(NULL, &len, at("cap.img"), NULL, &err), IDT_EINVAL, &err);
}

static void test_device_read__gzip_bomb(void **state)
{
    (void)state;
    /* 16 MiB of 'a' compresses to a few KiB; the reader stops at 1 MiB. */
    size_t big = 16u << 20, gz_len = 0, len = 0;
    char *text = malloc(big);
    memset(text, 'a', big);
    unsigned char *gz = NULL, *doc = NULL;
    assert_status(idt_codec_gzip(&gz, &gz_len, text, big, NULL), IDT_OK, NULL);
    size_t img_len = (16 + gz_len + 511) / 512 * 512;
    unsigned char *img = calloc(1, img_len);
    memcpy(img, "initdata", 8);
    put_le64(img + 8, gz_len);
    memcpy(img + 16, gz, gz_len);
    put("bomb.img", img, img_len);
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    o.max_decoded = 1u << 20;
    idt_error err = { 0 };
    assert_status(idt_guest_device_read(&doc, &len, at("bomb.img"), &o, &err), IDT_ELIMIT, &err);
    assert_null(doc);
    free(text);
    idt_free(gz);
    free(img);
}

/* ---- finding the device ------------------------------------------------------------- */

static void stage_disk(const char *name, const void *data, size_t len, const char *serial)
{
    char rel[128];
    snprintf(rel, sizeof rel, "sys/block/%s", name);
    mkdirs(rel);
    if (serial) {
        snprintf(rel, sizeof rel, "sys/block/%s/serial", name);
        put(rel, serial, strlen(serial));
    }
    snprintf(rel, sizeof rel, "dev/%s", name);
    put(rel, data, len);
}

static void test_device_find(void **state)
{
    (void)state;
    char path[IDT_GUEST_PATH_MAX];
    unsigned char zeros[1024] = { 0 };
    size_t img_len = 0;
    unsigned char *img = image_of(kata_doc, KATA_LEN, &img_len);
    idt_guest_notes notes;
    idt_error err = { 0 };

    idt_guest_notes_clear(&notes);
    assert_status(idt_guest_device_find(path, sizeof path, root, &notes, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "cannot list the block devices"));
    assert_int_equal(err.hint, IDT_HINT_NONE);

    stage_disk("vda", zeros, sizeof zeros, "root-disk\n");
    stage_disk("vdc", zeros, sizeof zeros, NULL);
    assert_status(idt_guest_device_find(path, sizeof path, root, &notes, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "no initdata disk: none of the 2 block devices"));

    stage_disk("vdb", img, img_len, NULL);
    assert_status(idt_guest_device_find(path, sizeof path, root, &notes, &err), IDT_OK, &err);
    assert_string_equal(path, at("dev/vdb"));
    assert_non_null(strstr(notes.message[notes.count - 1], "by its magic"));

    /* The serial wins over the magic scan. */
    put("sys/block/vdc/serial", "initdata\n", 9);
    assert_status(idt_guest_device_find(path, sizeof path, root, &notes, &err), IDT_OK, &err);
    assert_string_equal(path, at("dev/vdc"));
    assert_non_null(strstr(notes.message[notes.count - 1], "by its serial"));

    /* Two serials: refused, both named. */
    put("sys/block/vda/serial", "initdata", 8);
    assert_status(idt_guest_device_find(path, sizeof path, root, &notes, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "2 block devices have the serial \"initdata\" (vda and "
                                        "vdc)"));
    assert_non_null(strstr(err.message, "launched with: the device must be named"));
    assert_false(idt_test_names_flag(err.message));
    assert_int_equal(err.hint, IDT_HINT_GUEST_DEVICE);

    /* Two magics, no serial: refused. */
    put("sys/block/vda/serial", "x", 1);
    put("sys/block/vdc/serial", "y", 1);
    stage_disk("vdd", img, img_len, NULL);
    assert_status(idt_guest_device_find(path, sizeof path, root, &notes, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "2 block devices start with the magic \"initdata\" (vdb "
                                        "and vdd)"));
    idt_free(img);
}

/* ---- TDX and SNP ---------------------------------------------------------------------- */

static void test_tdx_read(void **state)
{
    (void)state;
    idt_guest_field f;
    idt_error err = { 0 };
    uint8_t mr[48], rep[1024] = { 0 };
    for (int i = 0; i < 48; i++)
        mr[i] = (uint8_t)(i + 1);

    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_TDX, root, NULL, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "no TDX guest interface"));

    /* Without sysfs: the staged TDREPORT, MRCONFIGID at 576. */
    rep[0] = 0x81;
    memcpy(rep + 576, mr, 48);
    put("dev/tdx_guest", rep, sizeof rep);
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_TDX, root, NULL, &err), IDT_OK, &err);
    assert_int_equal(f.method, IDT_GUEST_METHOD_STAGED);
    assert_int_equal(f.len, 48);
    assert_memory_equal(f.bytes, mr, 48);
    rep[0] = 0;
    put("dev/tdx_guest", rep, sizeof rep);
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_TDX, root, NULL, &err), IDT_EFORMAT, &err);
    assert_non_null(strstr(err.message, "is not a TDX report: its report type is 0x00"));
    put("dev/tdx_guest", rep, 1000);
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_TDX, root, NULL, &err), IDT_EFORMAT, &err);

    /* sysfs first: exactly 48 raw bytes. */
    mr[0] = 0xee;
    put("sys/devices/virtual/misc/tdx_guest/measurements/mrconfigid", mr, 48);
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_TDX, root, NULL, &err), IDT_OK, &err);
    assert_int_equal(f.method, IDT_GUEST_METHOD_SYSFS);
    assert_memory_equal(f.bytes, mr, 48);
    put("sys/devices/virtual/misc/tdx_guest/measurements/mrconfigid", "0011\n", 5);
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_TDX, root, NULL, &err), IDT_EFORMAT, &err);
    assert_non_null(strstr(err.message, "holds 5 bytes, not the 48 raw bytes of MRCONFIGID"));
    put("sys/devices/virtual/misc/tdx_guest/measurements/mrconfigid", rep, 49);
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_TDX, root, NULL, &err), IDT_EFORMAT, &err);
    assert_non_null(strstr(err.message, "is longer than 48 bytes"));

    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_CCA, root, NULL, &err),
                  IDT_EUNSUPPORTED, &err);
}

static void snp_report(uint8_t *rep, const uint8_t *host_data)
{
    memset(rep, 0, IDTX_SNP_REPORT_LEN);
    rep[0] = 2; /* version */
    memcpy(rep + 192, host_data, 32);
}

static void test_snp_read(void **state)
{
    (void)state;
    idt_guest_field f;
    idt_error err = { 0 };
    uint8_t hd[32], rep[IDTX_SNP_REPORT_LEN], resp[4000] = { 0 };
    for (int i = 0; i < 32; i++)
        hd[i] = (uint8_t)(0x40 + i);
    snp_report(rep, hd);

    put("dev/sev-guest", rep, sizeof rep);
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_SNP, root, NULL, &err), IDT_OK, &err);
    assert_int_equal(f.method, IDT_GUEST_METHOD_STAGED);
    assert_int_equal(f.len, 32);
    assert_memory_equal(f.bytes, hd, 32);

    /* The SNP_GET_REPORT response: status 0, size 1184, report at 32. */
    resp[4] = IDTX_SNP_REPORT_LEN & 0xff;
    resp[5] = IDTX_SNP_REPORT_LEN >> 8;
    memcpy(resp + 32, rep, sizeof rep);
    put("dev/sev-guest", resp, sizeof resp);
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_SNP, root, NULL, &err), IDT_OK, &err);
    assert_memory_equal(f.bytes, hd, 32);
    resp[0] = 0x16; /* a firmware error status */
    put("dev/sev-guest", resp, sizeof resp);
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_SNP, root, NULL, &err), IDT_EFORMAT, &err);

    put("dev/sev-guest", rep, 1000);
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_SNP, root, NULL, &err), IDT_EFORMAT, &err);
    assert_non_null(strstr(err.message, "holds 1000 bytes"));
    rep[0] = 0;
    put("dev/sev-guest", rep, sizeof rep);
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_SNP, root, NULL, &err), IDT_EFORMAT, &err);
    assert_non_null(strstr(err.message, "version 0"));
}

/* configfs-tsm: the exchange on a staged entry, and cleanup when the
 * directory is not configfs. */
static void test_tsm(void **state)
{
    (void)state;
    uint8_t nonce[64], hd[32], rep[IDTX_SNP_REPORT_LEN], out[2048];
    size_t len = 0;
    idt_error err = { 0 };
    for (int i = 0; i < 64; i++)
        nonce[i] = (uint8_t)(200 - i);
    memset(hd, 0x5a, sizeof hd);
    snp_report(rep, hd);
    memcpy(rep + 80, nonce, 64);
    put("entry/provider", "sev_guest\n", 10);
    put("entry/inblob", "", 0);
    put("entry/outblob", rep, sizeof rep);
    put("entry/generation", "1\n", 2);
    int fd = open(at("entry"), O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_status(idt_guest__tsm_exchange(fd, "entry", "sev_guest", nonce, 64, out,
                                          sizeof out, &len, &err), IDT_OK, &err);
    assert_int_equal(len, sizeof rep);
    assert_memory_equal(out, rep, sizeof rep);
    size_t in_len = 0;
    char *in = idt_test_read_file(at("entry/inblob"), &in_len);
    assert_int_equal(in_len, 64);
    assert_memory_equal(in, nonce, 64);
    free(in);

    put("entry/generation", "2\n", 2);
    assert_status(idt_guest__tsm_exchange(fd, "entry", "sev_guest", nonce, 64, out,
                                          sizeof out, &len, &err), IDT_EMISMATCH, &err);
    assert_non_null(strstr(err.message, "another process wrote to the report entry"));
    put("entry/provider", "tdx_guest\n", 10);
    assert_status(idt_guest__tsm_exchange(fd, "entry", "sev_guest", nonce, 64, out,
                                          sizeof out, &len, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "provider is \"tdx_guest\", not \"sev_guest\""));
    close(fd);

    /* A report directory that is not configfs: the entry we made has no
     * attributes; the error says so and the entry is removed again. */
    idt_guest_field f;
    mkdirs("sys/kernel/config/tsm/report");
    assert_status(idt_guest_tee_read(&f, IDT_PLATFORM_SNP, root, NULL, &err), IDT_EIO, &err);
    assert_int_equal(f.method, IDT_GUEST_METHOD_TSM);
    assert_non_null(strstr(err.message, "provider"));
    assert_int_equal(count_prefixed(at("sys/kernel/config/tsm/report"), "initdata-apply-"), 0);
}

static void test_bind_tdx(void **state)
{
    (void)state;
    idt_digest d;
    idt_guest_binding b;
    idt_guest_bind_options o = IDT_GUEST_BIND_OPTIONS_INIT;
    idt_error err = { 0 };
    uint8_t field[48] = { 0 };
    const char *sysfs = "sys/devices/virtual/misc/tdx_guest/measurements/mrconfigid";
    kata_digest(&d);
    o.root = root;

    memcpy(field, d.bytes, 32); /* the digest right-padded with zeros */
    put(sysfs, field, 48);
    assert_status(idt_guest_bind(&b, IDT_PLATFORM_TDX, &d, &o, NULL, &err), IDT_OK, &err);
    assert_int_equal(b.expected.len, 48);
    assert_memory_equal(b.actual.bytes, field, 48);
    assert_int_equal(b.method, IDT_GUEST_METHOD_SYSFS);

    field[47] = 1;
    put(sysfs, field, 48);
    assert_status(idt_guest_bind(&b, IDT_PLATFORM_TDX, &d, &o, NULL, &err), IDT_EMISMATCH, &err);
    assert_non_null(strstr(err.message, "MRCONFIGID mismatch: the TEE holds c6694bb7"));
    assert_non_null(strstr(err.message, "0001, this document needs c6694bb7"));

    memset(field, 0, sizeof field);
    put(sysfs, field, 48);
    assert_status(idt_guest_bind(&b, IDT_PLATFORM_TDX, &d, &o, NULL, &err), IDT_EMISMATCH, &err);
    assert_non_null(strstr(err.message, "MRCONFIGID is all zeros"));
    assert_non_null(strstr(err.message, KATA_SHA256));
}

static void test_bind_snp_and_vtpm_refusals(void **state)
{
    (void)state;
    idt_digest d, d384;
    idt_guest_binding b;
    idt_guest_bind_options o = IDT_GUEST_BIND_OPTIONS_INIT;
    idt_error err = { 0 };
    uint8_t rep[IDTX_SNP_REPORT_LEN];
    kata_digest(&d);
    o.root = root;
    snp_report(rep, d.bytes);
    put("dev/sev-guest", rep, sizeof rep);
    assert_status(idt_guest_bind(&b, IDT_PLATFORM_SNP, &d, &o, NULL, &err), IDT_OK, &err);
    rep[192] ^= 1;
    put("dev/sev-guest", rep, sizeof rep);
    assert_status(idt_guest_bind(&b, IDT_PLATFORM_SNP, &d, &o, NULL, &err), IDT_EMISMATCH, &err);
    assert_non_null(strstr(err.message, "HOST_DATA mismatch"));

    /* vTPM under the attestation-agent rule: a sha384 digest is refused
     * before the TPM is reached (this TCTI would fail to connect). */
    setenv("TSS2_LOG", "all+none", 1);
    assert_status(idt_digest_compute(&d384, IDT_DIGEST_SHA384, "x", 1, NULL), IDT_OK, NULL);
    o.tcti = "swtpm:host=127.0.0.1,port=1";
    assert_status(idt_guest_bind(&b, IDT_PLATFORM_VTPM, &d384, &o, NULL, &err),
                  IDT_EUNSUPPORTED, &err);
    /* With a usable digest the TPM is reached, and its absence is an
     * environment error. */
    assert_status(idt_guest_bind(&b, IDT_PLATFORM_VTPM, &d, &o, NULL, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "swtpm:host=127.0.0.1,port=1"));
    assert_status(idt_guest_bind(&b, IDT_PLATFORM_SGX, &d, &o, NULL, &err), IDT_EUNSUPPORTED, &err);
}

static void test_platform_detect(void **state)
{
    (void)state;
    idt_platform p;
    idt_error err = { 0 };
    assert_status(idt_guest_platform_detect(&p, root, NULL, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "no TEE found"));
    assert_non_null(strstr(err.message, "; the platform must be named, or (for tests only) the "
                                        "binding check skipped"));
    assert_false(idt_test_names_flag(err.message));
    assert_int_equal(err.hint, IDT_HINT_GUEST_NO_TEE);
    put("dev/tpmrm0", "", 0);
    assert_status(idt_guest_platform_detect(&p, root, NULL, &err), IDT_OK, &err);
    assert_int_equal(p, IDT_PLATFORM_VTPM);
    put("dev/sev-guest", "", 0);
    assert_status(idt_guest_platform_detect(&p, root, NULL, &err), IDT_OK, &err);
    assert_int_equal(p, IDT_PLATFORM_SNP);
    mkdirs("sys/devices/virtual/misc/tdx_guest");
    assert_status(idt_guest_platform_detect(&p, root, NULL, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "both a TDX"));
    assert_non_null(strstr(err.message, "refusing to guess: the platform must be named"));
    assert_false(idt_test_names_flag(err.message));
    assert_int_equal(err.hint, IDT_HINT_GUEST_PLATFORM);
    unlink(at("dev/sev-guest"));
    assert_status(idt_guest_platform_detect(&p, root, NULL, &err), IDT_OK, &err);
    assert_int_equal(p, IDT_PLATFORM_TDX);
}

/* ---- installing ----------------------------------------------------------------------------- */

static const char doc_a[] = "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n"
                            "\"aa.toml\" = \"[token_configs.kbs]\\nurl = 'http://kbs'\\n\"\n"
                            "\"policy.rego\" = \"package agent_policy\\n\"\n"
                            "\"extra.conf\" = \"x = 1\\n\"\n";
static const char doc_b[] = "version = \"0.1.0\"\nalgorithm = \"sha384\"\n[data]\n"
                            "\"cdh.toml\" = \"[kbc]\\nname = 'cc_kbc'\\n\"\n";

static void assert_file(const char *path, const char *want, size_t want_len, mode_t mode)
{
    size_t len = 0;
    struct stat st;
    char *got = idt_test_read_file(path, &len);
    assert_non_null(got);
    assert_int_equal(len, want_len);
    assert_memory_equal(got, want, want_len);
    free(got);
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, mode);
}

/* A file holding exactly the string literal s. */
#define assert_text(path, s, mode) assert_file(path, s, sizeof s - 1, mode)

static void test_install_kata_then_replace(void **state)
{
    (void)state;
    idt_guest_install_options o = IDT_GUEST_INSTALL_OPTIONS_INIT;
    idt_guest_notes notes;
    idt_error err = { 0 };
    idt_doc *a = parse(doc_a), *b = parse(doc_b);
    struct stat st;
    o.root = root;
    idt_guest_notes_clear(&notes);
    umask(077); /* the modes must not depend on it */
    assert_status(idt_guest_install(a, &o, &notes, &err), IDT_OK, &err);
    umask(022);
    const char *dir = at("run/confidential-containers/initdata");
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0755);
    assert_file(at("run/confidential-containers/initdata/initdata.toml"), doc_a,
                sizeof doc_a - 1, 0644);
    assert_text(at("run/confidential-containers/initdata/aa.toml"),
                "[token_configs.kbs]\nurl = 'http://kbs'\n", 0644);
    assert_text(at("run/confidential-containers/initdata/policy.rego"),
                "package agent_policy\n", 0644);
    assert_false(exists(at("run/confidential-containers/initdata/cdh.toml")));
    assert_false(exists(at("run/confidential-containers/initdata/extra.conf")));
    assert_int_equal(notes.count, 1);
    assert_string_equal(notes.message[0], "data entry \"extra.conf\" is not installed: by "
                                          "default only aa.toml, cdh.toml and policy.rego are");
    assert_int_equal(notes.hint[0], IDT_HINT_GUEST_ALL_ENTRIES);

    /* Replacing: the old files go, nothing is left beside the target. */
    assert_status(idt_guest_install(b, &o, NULL, &err), IDT_OK, &err);
    assert_text(at("run/confidential-containers/initdata/cdh.toml"), "[kbc]\nname = 'cc_kbc'\n",
                0644);
    assert_false(exists(at("run/confidential-containers/initdata/aa.toml")));
    assert_false(exists(at("run/confidential-containers/initdata/policy.rego")));
    assert_int_equal(count_prefixed(at("run/confidential-containers"), "."), 2); /* . and .. */

    /* --all-entries installs the extra entry too. */
    o.all_entries = true;
    assert_status(idt_guest_install(a, &o, NULL, &err), IDT_OK, &err);
    assert_text(at("run/confidential-containers/initdata/extra.conf"), "x = 1\n", 0644);
    idt_doc_free(a);
    idt_doc_free(b);
}

static void test_install_peerpod(void **state)
{
    (void)state;
    idt_guest_install_options o = IDT_GUEST_INSTALL_OPTIONS_INIT;
    idt_error err = { 0 };
    idt_doc *b = parse(doc_b);
    idt_digest d;
    char hex[2 * IDT_DIGEST_MAX + 1];
    o.root = root;
    o.layout = IDT_GUEST_LAYOUT_PEERPOD;
    assert_status(idt_guest_install(b, &o, NULL, &err), IDT_OK, &err);
    assert_status(idt_digest_compute(&d, IDT_DIGEST_SHA384, doc_b, sizeof doc_b - 1, NULL),
                  IDT_OK, NULL);
    assert_int_equal(idt_digest_format(hex, sizeof hex, &d, IDT_ENCODING_HEX, NULL), 96);
    assert_file(at("run/peerpod/initdata.digest"), hex, 96, 0644);
    assert_text(at("run/peerpod/cdh.toml"), "[kbc]\nname = 'cc_kbc'\n", 0644);
    assert_false(exists(at("run/peerpod/initdata.toml")));
    idt_doc_free(b);
}

static void test_install_refusals(void **state)
{
    (void)state;
    path_buf outp;
    idt_guest_install_options o = IDT_GUEST_INSTALL_OPTIONS_INIT;
    idt_error err = { 0 };
    idt_doc *a = parse(doc_a);
    idt_doc *evil = parse("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n"
                          "\"aa.toml\" = \"\"\n\"../etc/passwd\" = \"root::0:0::/:/bin/sh\\n\"\n");
    idt_doc *clash = parse("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n"
                           "\"initdata.toml\" = \"forged\"\n");
    o.all_entries = true;
    o.out = keep(&outp, "out/initdata");

    assert_status(idt_guest_install(evil, &o, NULL, &err), IDT_ESCHEMA, &err);
    assert_non_null(strstr(err.message, "data entry \"../etc/passwd\" cannot be installed: the "
                                        "name contains '/'"));
    assert_int_equal(err.line, 5);
    assert_false(exists(at("out/initdata")));
    assert_false(exists(at("etc/passwd")));
    assert_status(idt_guest_install(clash, &o, NULL, &err), IDT_ESCHEMA, &err);
    assert_non_null(strstr(err.message, "clashes"));
    assert_false(exists(at("out/initdata")));

    /* Without all_entries the unsafe name is a note, and no hint: asking
     * for all entries would not install it either. */
    idt_guest_notes notes;
    idt_guest_notes_clear(&notes);
    o.all_entries = false;
    o.out = keep(&outp, "out/evil");
    assert_status(idt_guest_install(evil, &o, &notes, &err), IDT_OK, &err);
    assert_int_equal(notes.count, 1);
    assert_string_equal(notes.message[0], "data entry \"../etc/passwd\" is not installed: only "
                                          "aa.toml, cdh.toml and policy.rego are, and its name "
                                          "contains '/', which an install of all entries "
                                          "refuses");
    assert_int_equal(notes.hint[0], IDT_HINT_NONE);
    assert_false(exists(at("etc/passwd")));
    o.all_entries = true;
    o.out = keep(&outp, "out/initdata");

    /* A symlink planted at the target is not followed. */
    mkdirs("elsewhere");
    mkdirs("out");
    assert_int_equal(symlink(at("elsewhere"), at("out/initdata")), 0);
    assert_status(idt_guest_install(a, &o, NULL, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "is a symbolic link"));
    assert_int_equal(count_prefixed(at("elsewhere"), "."), 2);
    assert_int_equal(count_prefixed(at("out"), ".initdata"), 0);

    /* Nor one on the way to it. */
    assert_int_equal(symlink(at("elsewhere"), at("link")), 0);
    o.out = keep(&outp, "link/sub/initdata");
    assert_status(idt_guest_install(a, &o, NULL, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "link is a symbolic link"));
    assert_false(exists(at("elsewhere/sub")));

    /* A target that is a file. */
    put("file-target", "x", 1);
    o.out = keep(&outp, "file-target");
    assert_status(idt_guest_install(a, &o, NULL, &err), IDT_EIO, &err);
    assert_non_null(strstr(err.message, "is not a directory"));
    o.out = "/";
    assert_status(idt_guest_install(a, &o, NULL, &err), IDT_EINVAL, &err);

    idt_doc_free(a);
    idt_doc_free(evil);
    idt_doc_free(clash);
}

/* The hook cancels at its n-th call. */
typedef struct cancel_at {
    int calls, cancel_on;
} cancel_at;

static int cancel_hook(void *ctx, idt_guest_install_step step, const char *name)
{
    cancel_at *c = ctx;
    (void)step;
    (void)name;
    return ++c->calls == c->cancel_on;
}

static void test_install_cancel_anywhere_keeps_old(void **state)
{
    (void)state;
    path_buf outp;
    idt_guest_install_options o = IDT_GUEST_INSTALL_OPTIONS_INIT;
    idt_error err = { 0 };
    idt_doc *a = parse(doc_a), *b = parse(doc_b);
    cancel_at c = { 0, 0 };
    o.out = keep(&outp, "t/initdata");
    assert_status(idt_guest_install(a, &o, NULL, &err), IDT_OK, &err);
    o.hook = cancel_hook;
    o.hook_ctx = &c;
    assert_status(idt_guest_install(b, &o, NULL, &err), IDT_OK, &err);
    int total = c.calls;
    /* STAGE_DIR, initdata.toml: OPEN, CHUNK, DONE, cdh.toml: the same,
     * STAGED, SWAPPED, OLD_REMOVED. */
    assert_int_equal(total, 10);
    assert_status(idt_guest_install(a, &o, NULL, &err), IDT_OK, &err); /* back to a */
    for (int k = 1; k <= total; k++) {
        c.calls = 0;
        c.cancel_on = k;
        int rc = idt_guest_install(b, &o, NULL, &err);
        if (k <= total - 2) { /* before the swap: cancelled, a intact */
            assert_int_equal(rc, IDT_ERROR);
            assert_file(at("t/initdata/initdata.toml"), doc_a, sizeof doc_a - 1, 0644);
            assert_true(exists(at("t/initdata/aa.toml")));
        } else { /* after it: done */
            assert_int_equal(rc, IDT_OK);
            assert_file(at("t/initdata/initdata.toml"), doc_b, sizeof doc_b - 1, 0644);
            o.hook = NULL;
            assert_status(idt_guest_install(a, &o, NULL, &err), IDT_OK, &err);
            o.hook = cancel_hook;
        }
        assert_int_equal(count_prefixed(at("t"), ".initdata"), 0);
    }
    idt_doc_free(a);
    idt_doc_free(b);
}

static void test_install_removes_stale_staging(void **state)
{
    (void)state;
    path_buf outp;
    idt_guest_install_options o = IDT_GUEST_INSTALL_OPTIONS_INIT;
    idt_guest_notes notes;
    idt_error err = { 0 };
    idt_doc *b = parse(doc_b);
    put("s/.initdata.staging-0123456789ab/aa.toml", "half", 4);
    mkdirs("s/.initdata.staging-0123456789ab/deeper/still");
    o.out = keep(&outp, "s/initdata");
    idt_guest_notes_clear(&notes);
    assert_status(idt_guest_install(b, &o, &notes, &err), IDT_OK, &err);
    assert_int_equal(count_prefixed(at("s"), ".initdata"), 0);
    assert_int_equal(notes.count, 1);
    assert_non_null(strstr(notes.message[0], "removed .initdata.staging-0123456789ab"));
    idt_doc_free(b);
}

static void test_deny_policy(void **state)
{
    (void)state;
    path_buf outp;
    char *text = NULL;
    size_t len = 0;
    idt_error err = { 0 };
    assert_status(idt_guest_deny_policy(&text, &len, "binding failed: MRCONFIGID mismatch\n"
                                        "second line \x1b[31m\xc3\xa9", &err), IDT_OK, &err);
    assert_int_equal(strlen(text), len);
    assert_non_null(strstr(text, "\n#   binding failed: MRCONFIGID mismatch\n"
                                 "#   second line \\x1b[31m\\xc3\\xa9\n"));
    assert_non_null(strstr(text, "\npackage agent_policy\n"));
    assert_non_null(strstr(text, "\ndefault CreateContainerRequest := false\n"));
    assert_non_null(strstr(text, "\ndefault AllowRequestsFailingPolicy := false\n"));
    assert_null(strstr(text, ":= true"));
    assert_false(idt_test_names_flag(text));
    for (size_t i = 0; i < len; i++) /* printable ASCII and newlines only */
        assert_true(text[i] == '\n' || (text[i] >= 0x20 && text[i] < 0x7f));

    idt_guest_install_options o = IDT_GUEST_INSTALL_OPTIONS_INIT;
    o.out = keep(&outp, "deny/initdata");
    idt_doc *a = parse(doc_a);
    assert_status(idt_guest_install(a, &o, NULL, &err), IDT_OK, &err);
    assert_status(idt_guest_install_deny("binding failed: MRCONFIGID mismatch\n"
                                         "second line \x1b[31m\xc3\xa9", &o, NULL, &err),
                  IDT_OK, &err);
    assert_file(at("deny/initdata/policy.rego"), text, len, 0644);
    assert_false(exists(at("deny/initdata/initdata.toml")));
    assert_false(exists(at("deny/initdata/aa.toml")));
    free(text);
    idt_doc_free(a);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_keywords),
        cmocka_unit_test(test_name_check),
        cmocka_unit_test(test_default_out),
        T(test_device_read__image_and_trailing_bytes),
        T(test_device_read__hostile_headers),
        T(test_device_read__gzip_bomb),
        T(test_device_find),
        T(test_tdx_read),
        T(test_snp_read),
        T(test_tsm),
        T(test_bind_tdx),
        T(test_bind_snp_and_vtpm_refusals),
        T(test_platform_detect),
        T(test_install_kata_then_replace),
        T(test_install_peerpod),
        T(test_install_refusals),
        T(test_install_cancel_anywhere_keeps_old),
        T(test_install_removes_stale_staging),
        T(test_deny_policy),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
