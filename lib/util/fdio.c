/* Reading a file descriptor (util/fdio.h). */
#include "util/fdio.h"

#include "util/buf.h"

#include <errno.h>
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

int idtx_read_file(const char *path, size_t max, char **out, size_t *out_len, idt_error *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot read %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return idtx_error_set(err, IDT_EIO, NULL, "cannot read %s: not a regular file", path);
    }
    idtx_buf b;
    idtx_buf_init(&b, max, path);
    int rc = idtx_buf_reserve(&b, (size_t)st.st_size < max ? (size_t)st.st_size : max, err);
    while (rc == IDT_OK) {
        if (!idtx_buf_room(&b) && (rc = idtx_buf_reserve(&b, 1, err)) < 0)
            break;
        ssize_t r = idtx_read(fd, b.data + b.len, idtx_buf_room(&b), path, err);
        if (r <= 0) {
            rc = (int)r;
            break;
        }
        idtx_buf_commit(&b, (size_t)r);
    }
    close(fd);
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, out, out_len, err);
    idtx_buf_dispose(&b);
    return rc;
}
