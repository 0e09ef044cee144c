/* util/fdio.h - reading a file descriptor, the one way the library and the
 * tool do it: EINTR is retried and a failure names the input. */
#ifndef IDT_UTIL_FDIO_H
#define IDT_UTIL_FDIO_H

#include <stddef.h>
#include <sys/types.h>
#include "util/error_int.h"

/*
 * One read(2) of at most n bytes from fd into dst, retried on EINTR.
 * Returns the bytes read (0 at the end of the input), or IDT_EIO with
 * "cannot read NAME: <strerror>" in err.
 */
ssize_t idtx_read(int fd, void *dst, size_t n, const char *name, idt_error *err);

/*
 * Writes all n bytes of p to fd, retrying on EINTR and after short writes.
 * Returns 0, or -1 with errno set (a write that makes no progress is EIO).
 */
int idtx_write_all(int fd, const void *p, size_t n);

/*
 * Reads fd to its end into a new NUL-terminated buffer (*out, free with
 * free()), at most max bytes: one byte more is IDT_ELIMIT ("NAME is larger
 * than the limit of MAX bytes"), found by reading one byte past the limit.
 * A regular file's size sets the first allocation; pipes grow by doubling.
 * Returns IDT_OK; IDT_EIO; IDT_ELIMIT; IDT_ENOMEM.
 */
int idtx_read_fd(char **out, size_t *len, int fd, const char *name, size_t max, idt_error *err);

/*
 * Reads the whole file at path (following symlinks: configuration volumes
 * are symlink farms) into a new NUL-terminated buffer (free with free()),
 * refusing anything but a regular file and more than max bytes.
 * Returns IDT_OK; IDT_EIO ("cannot read PATH: ..."); IDT_ELIMIT; IDT_ENOMEM.
 */
int idtx_read_file(const char *path, size_t max, char **out, size_t *out_len, idt_error *err);

#endif
