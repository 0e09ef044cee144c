/* Reading a file descriptor (util/fdio.h). */
#include "util/fdio.h"

#include "util/buf.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ssize_t idtx_read(int fd, void *dst, size_t n, const char *name, idt_error *err)
{
    for (;;) {
        ssize_t r = read(fd, dst, n);
        if (r >= 0)
            return r;
        if (errno != EINTR)
            return idtx_error_set(err, IDT_EIO, NULL, "cannot read %s: %s", name,
                                  strerror(errno));
    }
}

static int too_large(idt_error *err, const char *name, size_t max)
{
    return idtx_error_set(err, IDT_ELIMIT, NULL, "%s is larger than the limit of %zu bytes",
                          name, max);
}

int idtx_read_fd(char **out, size_t *len, int fd, const char *name, size_t max, idt_error *err)
{
    struct stat st;
    idtx_buf b;
    /* One byte past the limit: reading it tells an input over the limit
     * from one exactly at it. */
    idtx_buf_init(&b, max + 1 > max ? max + 1 : max, name);
    /* A regular file's size lets us allocate once; pipes grow by doubling. */
    size_t first = 65536;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= max)
        first = (size_t)st.st_size + 1; /* +1: room to see EOF */
    int rc = IDT_OK;
    for (;;) {
        if (!idtx_buf_room(&b)) {
            /* After the first reserve, asking for one byte more doubles
             * the allocation (util/buf.h). */
            size_t want = b.cap ? 1 : first;
            if (want > b.max - b.len)
                want = b.max - b.len;
            if (want == 0) { /* max leaves no byte to look past it */
                rc = too_large(err, name, max);
                break;
            }
            if (idtx_buf_reserve(&b, want, err) < 0) { /* only ENOMEM: want fits */
                rc = idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory reading %s", name);
                break;
            }
        }
        ssize_t r = idtx_read(fd, b.data + b.len, idtx_buf_room(&b), name, err);
        if (r <= 0) {
            rc = (int)r;
            break;
        }
        idtx_buf_commit(&b, (size_t)r);
        if (b.len > max) {
            rc = too_large(err, name, max);
            break;
        }
    }
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, out, len, err);
    idtx_buf_dispose(&b);
    return rc;
}

int idtx_read_file(const char *path, size_t max, char **out, size_t *out_len, idt_error *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot read %s: %s", path, strerror(errno));
    struct stat st;
    int rc;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot read %s: not a regular file", path);
    else
        rc = idtx_read_fd(out, out_len, fd, path, max, err);
    close(fd);
    return rc;
}

int idtx_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        if (w == 0) {
            errno = EIO;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}
