/* Helpers shared by the guest module's files (initdata/guest.h). */
#ifndef IDT_GUEST_INT_H
#define IDT_GUEST_INT_H

#include "initdata/guest.h"
#include "util/error_int.h"
#include "util/hex.h"
#include "util/tee_layout.h"

#include <stdarg.h>

/* Appends a note; past IDT_GUEST_NOTES_MAX it only counts.  notes may be
 * NULL. */
void idt_guest__note(idt_guest_notes *notes, const char *fmt, ...) IDTX_PRINTF(2, 3);
/* The same, with the hint that goes with the note. */
void idt_guest__note_hint(idt_guest_notes *notes, idt_hint hint, const char *fmt, ...)
    IDTX_PRINTF(3, 4);

/* True when root names a staged tree rather than the running system. */
bool idt_guest__staged(const char *root);

/* buf = ROOT + abs (abs starts with '/'), trailing slashes of root dropped.
 * IDT_ELIMIT with a message when it does not fit cap. */
int idt_guest__path(char *buf, size_t cap, const char *root, const char *abs, idt_error *err);

/* snprintf that reports truncation as IDT_ELIMIT naming `what`. */
int idt_guest__fmt(char *buf, size_t cap, idt_error *err, const char *what, const char *fmt,
                   ...) IDTX_PRINTF(5, 6);

/*
 * Reads a small file (a sysfs or configfs attribute, a staged report) at
 * path relative to dirfd (AT_FDCWD for an absolute path): at most cap
 * bytes into buf, *len the count.  A file holding more than cap bytes is
 * IDT_EFORMAT ("longer than"); a missing file is IDT_EIO with
 * errno_out = ENOENT so callers can fall back.  The file must be regular.
 * name is what messages call it.
 */
int idt_guest__read_small(int dirfd, const char *path, const char *name, void *buf, size_t cap,
                          size_t *len, int *errno_out, idt_error *err);

/* Reads exactly len bytes at off (pread, EINTR retried).  A short read is
 * IDT_ETRUNC ("ends at byte"), a failing one IDT_EIO. */
int idt_guest__pread_full(int fd, void *buf, size_t len, uint64_t off, const char *name,
                          idt_error *err);

/* n random bytes from getrandom(). IDT_EIO on failure. */
int idt_guest__random(void *buf, size_t n, idt_error *err);

/* Strips trailing '\n', '\r', ' ' and '\t' from a read attribute. */
size_t idt_guest__trim(const char *s, size_t len);

/* The configfs-tsm exchange on an entry directory that already exists
 * (configfs made its attributes when it was created): checks that
 * `provider` reads want_provider, writes inblob (committed on close),
 * reads outblob (at most cap bytes into out) and checks that `generation`
 * reads 1, the number of writes we made.  Split from the mkdir/rmdir
 * around it so that it can be tested on a staged directory. */
int idt_guest__tsm_exchange(int entry_fd, const char *entry_name, const char *want_provider,
                            const uint8_t *inblob, size_t inlen, unsigned char *out,
                            size_t cap, size_t *outlen, idt_error *err);

/* The TDX and SNP ioctls, reached only with a real character device. */
int idt_guest__tdx_ioctl(int fd, const uint8_t reportdata[IDTX_REPORT_DATA_LEN],
                         uint8_t tdreport[IDTX_TDREPORT_LEN], const char *name, idt_error *err);
int idt_guest__snp_ioctl(int fd, const uint8_t user_data[64], uint8_t *report, size_t cap,
                         size_t *len, const char *name, idt_error *err);

/* IDT_OK when b->actual equals b->expected, else IDT_EMISMATCH with both
 * values in hex (and a word on an all-zero field). */
int idt_guest__compare(const idt_guest_binding *b, idt_error *err);

/* The vTPM half of idt_guest_bind. */
int idt_guest__vtpm_bind(idt_guest_binding *out, const idt_digest *d,
                         const idt_guest_bind_options *o, idt_guest_notes *notes,
                         idt_error *err);

#endif
