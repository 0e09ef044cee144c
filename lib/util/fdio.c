/* Reading a file descriptor (util/fdio.h). */
#include "util/fdio.h"

#include <errno.h>
#include <string.h>
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
