/* Small helpers of the guest module: notes, root-prefixed paths, bounded
 * reads of attribute files, randomness. */
#include "guest/guest_int.h"
#include "util/fdio.h"
#include "util/keyword.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

void idt_guest_notes_clear(idt_guest_notes *notes)
{
    if (notes) {
        notes->count = 0;
        notes->dropped = 0;
    }
}

static void vnote(idt_guest_notes *notes, idt_hint hint, const char *fmt, va_list ap)
    IDTX_PRINTF(3, 0);

static void vnote(idt_guest_notes *notes, idt_hint hint, const char *fmt, va_list ap)
{
    if (!notes)
        return;
    if (notes->count >= IDT_GUEST_NOTES_MAX) {
        notes->dropped++;
        return;
    }
    vsnprintf(notes->message[notes->count], sizeof notes->message[0], fmt, ap);
    notes->hint[notes->count] = hint;
    notes->count++;
}

void idt_guest__note(idt_guest_notes *notes, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnote(notes, IDT_HINT_NONE, fmt, ap);
    va_end(ap);
}

void idt_guest__note_hint(idt_guest_notes *notes, idt_hint hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnote(notes, hint, fmt, ap);
    va_end(ap);
}

bool idt_guest__staged(const char *root)
{
    if (!root)
        return false;
    while (*root == '/')
        root++;
    return *root != '\0';
}

int idt_guest__fmt(char *buf, size_t cap, idt_error *err, const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap)
        return idtx_error_set(err, IDT_ELIMIT, NULL, "%s is longer than %zu bytes", what,
                              cap ? cap - 1 : 0);
    return IDT_OK;
}

int idt_guest__path(char *buf, size_t cap, const char *root, const char *abs, idt_error *err)
{
    size_t rlen = 0;
    if (idt_guest__staged(root)) {
        rlen = strlen(root);
        while (rlen > 1 && root[rlen - 1] == '/')
            rlen--;
    }
    return idt_guest__fmt(buf, cap, err, "the path", "%.*s%s", (int)rlen, rlen ? root : "",
                          abs);
}

int idt_guest__read_small(int dirfd, const char *path, const char *name, void *buf, size_t cap,
                          size_t *len, int *errno_out, idt_error *err)
{
    struct stat st;
    size_t got = 0;
    int rc = IDT_OK;
    /* O_NONBLOCK: a FIFO planted in a staged tree must not hang us. */
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (errno_out)
        *errno_out = fd < 0 ? errno : 0;
    *len = 0;
    if (fd < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", name, strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return idtx_error_set(err, IDT_EIO, NULL, "%s is not a regular file", name);
    }
    for (;;) {
        unsigned char extra;
        /* Read until EOF, one byte past cap to tell "full" from "longer". */
        void *dst = got < cap ? (unsigned char *)buf + got : &extra;
        size_t want = got < cap ? cap - got : 1;
        ssize_t r = idtx_read(fd, dst, want, name, err);
        if (r <= 0) {
            rc = (int)r;
            break;
        }
        if (got >= cap) {
            rc = idtx_error_set(err, IDT_EFORMAT, NULL, "%s is longer than %zu bytes", name, cap);
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    *len = got;
    return rc;
}

int idt_guest__pread_full(int fd, void *buf, size_t len, uint64_t off, const char *name,
                          idt_error *err)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = pread(fd, (unsigned char *)buf + got, len - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return idtx_error_set(err, IDT_EIO, NULL, "cannot read %s at byte %llu: %s", name,
                                  (unsigned long long)(off + got), strerror(errno));
        if (r == 0)
            return idtx_error_at_offset(err, IDT_ETRUNC, off + got,
                                        "%s ends at byte %llu, before the %zu bytes the image "
                                        "header announced (the device shrank while read)",
                                        name, (unsigned long long)(off + got), len);
        got += (size_t)r;
    }
    return IDT_OK;
}

int idt_guest__random(void *buf, size_t n, idt_error *err)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom((unsigned char *)buf + got, n - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return idtx_error_set(err, IDT_EIO, NULL, "getrandom failed: %s", strerror(errno));
        got += (size_t)r;
    }
    return IDT_OK;
}

size_t idt_guest__trim(const char *s, size_t len)
{
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' ' ||
                   s[len - 1] == '\t'))
        len--;
    return len;
}

const char *idt_guest_method_name(idt_guest_method m)
{
    switch (m) {
    case IDT_GUEST_METHOD_SYSFS:
        return "sysfs";
    case IDT_GUEST_METHOD_TDX_IOCTL:
        return "tdreport-ioctl";
    case IDT_GUEST_METHOD_TSM:
        return "configfs-tsm";
    case IDT_GUEST_METHOD_SEV_IOCTL:
        return "sev-guest-ioctl";
    case IDT_GUEST_METHOD_STAGED:
        return "staged-file";
    case IDT_GUEST_METHOD_TPM:
        return "tpm";
    }
    return NULL;
}

static const idtx_keyword layouts[] = {
    { "kata", IDT_GUEST_LAYOUT_KATA },
    { "peerpod", IDT_GUEST_LAYOUT_PEERPOD },
};

IDTX_KEYWORD_FUNCS(idt_guest_layout, idt_guest_layout, layouts, "layout")
