/* Reading the TDX and SNP binding fields inside the guest (facts §3, §8),
 * detecting the TEE, and comparing with the document's binding value. */
#include "guest/guest_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TDX_SYSFS_DIR "/sys/devices/virtual/misc/tdx_guest"
#define TDX_MRCONFIGID TDX_SYSFS_DIR "/measurements/mrconfigid"
#define TDX_DEV "/dev/tdx_guest"
#define SEV_DEV "/dev/sev-guest"
#define TPM_DEV "/dev/tpmrm0"
#define TSM_REPORT "/sys/kernel/config/tsm/report"
/* configfs-tsm outblob for SNP is the 1184-byte report; allow growth. */
#define TSM_OUT_MAX 16384

static bool exists(const char *root, const char *abs)
{
    char path[IDT_GUEST_PATH_MAX];
    struct stat st;
    return idt_guest__path(path, sizeof path, root, abs, NULL) == IDT_OK && stat(path, &st) == 0;
}

int idt_guest_platform_detect(idt_platform *out, const char *root, idt_guest_notes *notes,
                              idt_error *err)
{
    if (!out)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_platform_detect: NULL argument");
    bool tdx = exists(root, TDX_DEV) || exists(root, TDX_SYSFS_DIR);
    bool snp = exists(root, SEV_DEV);
    bool tpm = exists(root, TPM_DEV);
    if (tdx && snp)
        return idtx_error_hint(err, IDT_HINT_GUEST_PLATFORM,
                               idtx_error_set(err, IDT_EIO, NULL, "both a TDX (%s) and an SNP "
                                              "(%s) guest interface exist; refusing to guess: "
                                              "the platform must be named", TDX_DEV, SEV_DEV));
    if (tdx || snp) {
        *out = tdx ? IDT_PLATFORM_TDX : IDT_PLATFORM_SNP;
        idt_guest__note(notes, "detected %s (%s)%s", tdx ? "TDX" : "SEV-SNP",
                        tdx ? TDX_DEV " or " TDX_SYSFS_DIR : SEV_DEV,
                        tpm ? "; the vTPM at " TPM_DEV " is not used" : "");
        return IDT_OK;
    }
    if (tpm) {
        *out = IDT_PLATFORM_VTPM;
        idt_guest__note(notes, "detected a vTPM (%s) and no TDX or SNP guest device", TPM_DEV);
        return IDT_OK;
    }
    return idtx_error_hint(err, IDT_HINT_GUEST_NO_TEE,
                           idtx_error_set(err, IDT_EIO, NULL, "no TEE found: none of %s, %s, %s "
                                          "or %s exists under %s; the platform must be named, "
                                          "or (for tests only) the binding check skipped",
                                          TDX_DEV, TDX_SYSFS_DIR, SEV_DEV, TPM_DEV,
                                          idt_guest__staged(root) ? root : "/"));
}

/* --- TDX --------------------------------------------------------------------- */

static int tdx_from_report(idt_guest_field *out, const uint8_t *rep, const char *name,
                           idt_error *err)
{
    if (rep[IDTX_TDREPORT_TYPE] != IDTX_TDREPORT_TYPE_TDX)
        return idtx_error_set(err, IDT_EFORMAT, NULL, "%s is not a TDX report: its report "
                              "type is 0x%02x, not 0x81", name, rep[0]);
    out->len = IDTX_TD_MR_LEN;
    memcpy(out->bytes, rep + IDTX_TDREPORT_MRCONFIGID, IDTX_TD_MR_LEN);
    return IDT_OK;
}

/*
 * Opens the guest device ROOT<dev> (TDX_DEV, SEV_DEV).  Under a staged root
 * a regular file stands in for it: its bytes go to buf (*len of at most cap)
 * and *fd is -1.  Otherwise it must be a character device, opened
 * read-write into *fd.  `what` and `alt` (the other interface's path) name
 * the TEE in the message when neither exists.
 */
static int open_guest_device(idt_guest_field *out, const char *root, const char *dev,
                             const char *what, const char *alt, uint8_t *buf, size_t cap,
                             size_t *len, int *fd, idt_error *err)
{
    struct stat st;
    *fd = -1;
    IDTX_TRY(idt_guest__path(out->source, sizeof out->source, root, dev, err));
    if (stat(out->source, &st) < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "no %s guest interface: neither %s%s nor "
                              "%s exists", what, idt_guest__staged(root) ? root : "", alt,
                              out->source);
    if (S_ISREG(st.st_mode) && idt_guest__staged(root)) {
        out->method = IDT_GUEST_METHOD_STAGED;
        return idt_guest__read_small(AT_FDCWD, out->source, out->source, buf, cap, len, NULL,
                                     err);
    }
    if (!S_ISCHR(st.st_mode))
        return idtx_error_set(err, IDT_EIO, NULL, "%s is not a character device", out->source);
    if ((*fd = open(out->source, O_RDWR | O_CLOEXEC)) < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", out->source,
                              strerror(errno));
    return IDT_OK;
}

/* Asks the guest device open at fd (TDX_DEV or SEV_DEV, as out->platform
 * says) for its report, with a fresh nonce as REPORT_DATA so that the
 * answer cannot be a replayed one, and closes fd.  The report goes to buf
 * (cap bytes, at least a TDREPORT), its length to *len. */
static int ask_device(idt_guest_field *out, int fd, uint8_t nonce[IDTX_REPORT_DATA_LEN],
                      uint8_t *buf, size_t cap, size_t *len, idt_error *err)
{
    bool tdx = out->platform == IDT_PLATFORM_TDX;
    out->method = tdx ? IDT_GUEST_METHOD_TDX_IOCTL : IDT_GUEST_METHOD_SEV_IOCTL;
    int rc = idt_guest__random(nonce, IDTX_REPORT_DATA_LEN, err);
    if (rc == IDT_OK && tdx) {
        rc = idt_guest__tdx_ioctl(fd, nonce, buf, out->source, err);
        *len = IDTX_TDREPORT_LEN;
    } else if (rc == IDT_OK) {
        rc = idt_guest__snp_ioctl(fd, nonce, buf, cap, len, out->source, err);
    }
    close(fd);
    return rc;
}

/* The TDREPORT of ROOT/dev/tdx_guest: the ioctl on a device node, or the
 * bytes of a staged file. */
static int tdx_report(idt_guest_field *out, const char *root, idt_error *err)
{
    uint8_t rep[IDTX_TDREPORT_LEN], nonce[IDTX_REPORT_DATA_LEN];
    size_t len = 0;
    int fd;

    IDTX_TRY(open_guest_device(out, root, TDX_DEV, "TDX", TDX_MRCONFIGID, rep, sizeof rep,
                               &len, &fd, err));
    if (fd < 0) {
        if (len != IDTX_TDREPORT_LEN)
            return idtx_error_set(err, IDT_EFORMAT, NULL, "%s holds %zu bytes, not a %d-byte "
                                  "TDREPORT", out->source, len, IDTX_TDREPORT_LEN);
        return tdx_from_report(out, rep, out->source, err);
    }
    IDTX_TRY(ask_device(out, fd, nonce, rep, sizeof rep, &len, err));
    if (memcmp(rep + IDTX_TDREPORT_REPORT_DATA, nonce, sizeof nonce) != 0)
        return idtx_error_set(err, IDT_EFORMAT, NULL, "the TDREPORT from %s does not carry "
                              "the REPORTDATA we asked for", out->source);
    return tdx_from_report(out, rep, out->source, err);
}

static int tdx_read(idt_guest_field *out, const char *root, idt_error *err)
{
    int e = 0, rc;
    size_t len = 0;
    IDTX_TRY(idt_guest__path(out->source, sizeof out->source, root, TDX_MRCONFIGID, err));
    out->method = IDT_GUEST_METHOD_SYSFS;
    rc = idt_guest__read_small(AT_FDCWD, out->source, out->source, out->bytes, 48, &len, &e, err);
    if (rc < 0 && e == ENOENT)
        return tdx_report(out, root, err); /* kernels before 6.16 */
    IDTX_TRY(rc);
    if (len != 48)
        return idtx_error_set(err, IDT_EFORMAT, NULL, "%s holds %zu bytes, not the 48 raw "
                              "bytes of MRCONFIGID", out->source, len);
    out->len = 48;
    return IDT_OK;
}

/* --- SNP --------------------------------------------------------------------- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Checks an SNP report and takes HOST_DATA; nonce (may be NULL for a
 * staged report) must come back as REPORT_DATA. */
static int snp_from_report(idt_guest_field *out, const uint8_t *rep, size_t len,
                           const uint8_t *nonce, const char *name, idt_error *err)
{
    uint32_t version;
    if (len < IDTX_SNP_REPORT_LEN)
        return idtx_error_set(err, IDT_EFORMAT, NULL, "%s returned %zu bytes, shorter than "
                              "the %d-byte SNP attestation report", name, len,
                              IDTX_SNP_REPORT_LEN);
    version = le32(rep);
    if (version < 1 || version > 255)
        return idtx_error_set(err, IDT_EFORMAT, NULL, "%s is not an SNP attestation report: "
                              "version %u", name, version);
    if (nonce && memcmp(rep + IDTX_SNP_REPORT_DATA, nonce, IDTX_REPORT_DATA_LEN) != 0)
        return idtx_error_set(err, IDT_EFORMAT, NULL, "the SNP report from %s does not carry "
                              "the REPORT_DATA we asked for", name);
    out->len = IDTX_SNP_HOST_DATA_LEN;
    memcpy(out->bytes, rep + IDTX_SNP_HOST_DATA, IDTX_SNP_HOST_DATA_LEN);
    return IDT_OK;
}

int idt_guest__tsm_exchange(int entry_fd, const char *entry_name, const char *want_provider,
                            const uint8_t *inblob, size_t inlen, unsigned char *out, size_t cap,
                            size_t *outlen, idt_error *err)
{
    char buf[64], what[IDT_GUEST_PATH_MAX + 16];
    size_t len = 0;
    int fd;

    *outlen = 0;
    snprintf(what, sizeof what, "%s/provider", entry_name);
    IDTX_TRY(idt_guest__read_small(entry_fd, "provider", what, buf, sizeof buf - 1, &len, NULL,
                                   err));
    len = idt_guest__trim(buf, len);
    buf[len] = '\0';
    if (strcmp(buf, want_provider) != 0)
        return idtx_error_set(err, IDT_EIO, NULL, "the configfs-tsm provider is \"%s\", not "
                              "\"%s\"", buf, want_provider);
    snprintf(what, sizeof what, "%s/inblob", entry_name);
    if ((fd = openat(entry_fd, "inblob", O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", what, strerror(errno));
    ssize_t w;
    do
        w = write(fd, inblob, inlen);
    while (w < 0 && errno == EINTR);
    /* configfs commits a binary attribute when it is closed: the close
     * reports the provider's error. */
    if (w != (ssize_t)inlen || close(fd) < 0) {
        int e = errno;
        if (w != (ssize_t)inlen)
            close(fd);
        return idtx_error_set(err, IDT_EIO, NULL, "cannot write %s: %s", what,
                              w >= 0 && w != (ssize_t)inlen ? "short write" : strerror(e));
    }
    snprintf(what, sizeof what, "%s/outblob", entry_name);
    IDTX_TRY(idt_guest__read_small(entry_fd, "outblob", what, out, cap, outlen, NULL, err));
    snprintf(what, sizeof what, "%s/generation", entry_name);
    IDTX_TRY(idt_guest__read_small(entry_fd, "generation", what, buf, sizeof buf - 1, &len,
                                   NULL, err));
    len = idt_guest__trim(buf, len);
    buf[len] = '\0';
    if (strcmp(buf, "1") != 0)
        return idtx_error_set(err, IDT_EMISMATCH, NULL, "%s is \"%s\", not 1: another process "
                              "wrote to the report entry while we used it", what, buf);
    return IDT_OK;
}

/* A configfs-tsm SNP report: mkdir a unique entry, exchange, rmdir. */
static int snp_tsm(idt_guest_field *out, const char *dir, idt_error *err)
{
    uint8_t nonce[64], rnd[8];
    unsigned char *rep;
    char name[64], entry[IDT_GUEST_PATH_MAX + 64];
    size_t len = 0;
    int dfd, efd, rc;

    IDTX_TRY(idt_guest__random(nonce, sizeof nonce, err));
    IDTX_TRY(idt_guest__random(rnd, sizeof rnd, err));
    snprintf(name, sizeof name, "initdata-apply-%ld-", (long)getpid());
    idtx_hex_encode(name + strlen(name), rnd, sizeof rnd);
    snprintf(entry, sizeof entry, "%s/%s", dir, name);
    if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", dir, strerror(errno));
    if (mkdirat(dfd, name, 0700) < 0) {
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot create the configfs-tsm report entry "
                            "%s: %s", entry, strerror(errno));
        close(dfd);
        return rc;
    }
    rep = malloc(TSM_OUT_MAX);
    efd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (!rep)
        rc = idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    else if (efd < 0)
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", entry, strerror(errno));
    else
        rc = idt_guest__tsm_exchange(efd, entry, "sev_guest", nonce, sizeof nonce, rep,
                                     TSM_OUT_MAX, &len, err);
    if (rc >= 0)
        rc = snp_from_report(out, rep, len, nonce, entry, err);
    if (efd >= 0)
        close(efd);
    /* The entry holds kernel state until it is removed. */
    if (unlinkat(dfd, name, AT_REMOVEDIR) < 0 && rc >= 0)
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot remove the configfs-tsm report entry "
                            "%s: %s", entry, strerror(errno));
    close(dfd);
    free(rep);
    return rc;
}

static int snp_dev(idt_guest_field *out, const char *root, idt_error *err)
{
    uint8_t buf[IDTX_SNP_RESPONSE_LEN], nonce[IDTX_REPORT_DATA_LEN];
    size_t len = 0;
    int fd;

    IDTX_TRY(open_guest_device(out, root, SEV_DEV, "SEV-SNP", TSM_REPORT, buf, sizeof buf,
                               &len, &fd, err));
    if (fd < 0) {
        if (len == IDTX_SNP_RESPONSE_LEN) { /* the SNP_GET_REPORT response */
            uint32_t status = le32(buf), size = le32(buf + 4);
            if (status != 0 || size < IDTX_SNP_REPORT_LEN ||
                size > len - IDTX_SNP_RESPONSE_REPORT)
                return idtx_error_set(err, IDT_EFORMAT, NULL, "%s: the SNP_GET_REPORT "
                                      "response has status %u and report size %u",
                                      out->source, status, size);
            return snp_from_report(out, buf + IDTX_SNP_RESPONSE_REPORT, size, NULL, out->source,
                                   err);
        }
        if (len != IDTX_SNP_REPORT_LEN)
            return idtx_error_set(err, IDT_EFORMAT, NULL, "%s holds %zu bytes: neither a "
                                  "%d-byte SNP report nor a %d-byte SNP_GET_REPORT response",
                                  out->source, len, IDTX_SNP_REPORT_LEN,
                                  IDTX_SNP_RESPONSE_LEN);
        return snp_from_report(out, buf, len, NULL, out->source, err);
    }
    IDTX_TRY(ask_device(out, fd, nonce, buf, sizeof buf, &len, err));
    return snp_from_report(out, buf, len, nonce, out->source, err);
}

static int snp_read(idt_guest_field *out, const char *root, idt_error *err)
{
    char dir[IDT_GUEST_PATH_MAX];
    struct stat st;
    IDTX_TRY(idt_guest__path(dir, sizeof dir, root, TSM_REPORT, err));
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
        out->method = IDT_GUEST_METHOD_TSM;
        snprintf(out->source, sizeof out->source, "%s", dir);
        return snp_tsm(out, dir, err);
    }
    return snp_dev(out, root, err);
}

int idt_guest_tee_read(idt_guest_field *out, idt_platform p, const char *root,
                       idt_guest_notes *notes, idt_error *err)
{
    (void)notes;
    if (!out)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_tee_read: NULL argument");
    memset(out, 0, sizeof *out);
    out->platform = p;
    if (p == IDT_PLATFORM_TDX)
        return tdx_read(out, root, err);
    if (p == IDT_PLATFORM_SNP)
        return snp_read(out, root, err);
    return idtx_error_set(err, IDT_EUNSUPPORTED, NULL, "reading the %s binding field in the "
                          "guest is not supported (tdx and snp are)",
                          idt_platform_name(p) ? idt_platform_name(p) : "unknown");
}

/* --- binding ---------------------------------------------------------------- */

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

int idt_guest__compare(const idt_guest_binding *b, idt_error *err)
{
    char want[2 * IDT_BINDING_MAX + 1], got[2 * IDT_BINDING_MAX + 1];
    const char *field = idt_platform_field_name(b->platform);
    if (b->actual.len == b->expected.len &&
        memcmp(b->actual.bytes, b->expected.bytes, b->expected.len) == 0)
        return IDT_OK;
    idtx_hex_encode(want, b->expected.bytes, b->expected.len);
    idtx_hex_encode(got, b->actual.bytes, b->actual.len);
    if (all_zero(b->actual.bytes, b->actual.len))
        return idtx_error_set(err, IDT_EMISMATCH, NULL, "%s is all zeros: the TEE was launched "
                              "without an Init-Data binding (no cc_init_data annotation on the "
                              "pod?); this document needs %s", field, want);
    return idtx_error_set(err, IDT_EMISMATCH, NULL, "%s mismatch: the TEE holds %s, this "
                          "document needs %s; it is not the document the TEE was launched with",
                          field, got, want);
}

int idt_guest_bind(idt_guest_binding *out, idt_platform p, const idt_digest *d,
                   const idt_guest_bind_options *o, idt_guest_notes *notes, idt_error *err)
{
    idt_guest_bind_options defaults = IDT_GUEST_BIND_OPTIONS_INIT;
    idt_guest_field f;

    if (!out || !d)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_bind: NULL argument");
    if (!o)
        o = &defaults;
    if (o->version != IDT_GUEST_BIND_OPTIONS_VERSION)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_bind: unknown options version");
    memset(out, 0, sizeof *out);
    out->platform = p;
    if (p == IDT_PLATFORM_VTPM)
        return idt_guest__vtpm_bind(out, d, o, notes, err);
    if (p != IDT_PLATFORM_TDX && p != IDT_PLATFORM_SNP)
        return idtx_error_set(err, IDT_EUNSUPPORTED, NULL, "binding to %s in the guest is not "
                              "supported (tdx, snp and vtpm are)",
                              idt_platform_name(p) ? idt_platform_name(p) : "unknown");
    IDTX_TRY(idt_binding_compute(&out->expected, p, d, o->vtpm_rule, err));
    int rc = idt_guest_tee_read(&f, p, o->root, notes, err);
    out->method = f.method;
    memcpy(out->source, f.source, sizeof out->source);
    IDTX_TRY(rc);
    out->actual.platform = p;
    out->actual.len = f.len;
    memcpy(out->actual.bytes, f.bytes, f.len);
    return idt_guest__compare(out, err);
}
