/* Bounded input and atomic output (io.h). */
#define _DEFAULT_SOURCE /* MAP_POPULATE */
#include "io.h"
#include "cmd.h"
#include "util/buf.h"
#include "util/fdio.h"
#include "util/error_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

const char *cli_input_name(const char *path)
{
    return (!path || !strcmp(path, "-")) ? "<stdin>" : path;
}

int cli_exit_code(int status)
{
    if (status >= 0)
        return CLI_EXIT_OK;
    if (status == IDT_EIO || status == IDT_ENOMEM)
        return CLI_EXIT_ENV;
    if (status == IDT_EINVAL)
        return CLI_EXIT_USAGE;
    return CLI_EXIT_INVALID;
}

int cli_read_input(char **out, size_t *len, const char *path, size_t max, idt_error *err)
{
    const char *name = cli_input_name(path);
    *out = NULL;
    *len = 0;
    if (!path || !strcmp(path, "-"))
        return idtx_read_fd(out, len, STDIN_FILENO, name, max, err);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", name, strerror(errno));
    int rc = idtx_read_fd(out, len, fd, name, max, err);
    close(fd);
    return rc;
}

/* Maps fd's len bytes (a regular file), all pages at once; NULL when it
 * cannot (the caller then reads). */
static void *map_file(int fd, size_t len)
{
#if defined(MAP_POPULATE)
    int flags = MAP_PRIVATE | MAP_POPULATE;
#else
    int flags = MAP_PRIVATE;
#endif
    void *m = mmap(NULL, len, PROT_READ, flags, fd, 0);
    return m == MAP_FAILED ? NULL : m;
}

int cli_map_input(cli_input *in, const char *path, size_t max, idt_error *err)
{
    const char *name = cli_input_name(path);
    bool std = !path || !strcmp(path, "-");
    memset(in, 0, sizeof *in);
    in->data = "";
    int fd = std ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", name, strerror(errno));
    struct stat st;
    int rc;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uint64_t)st.st_size <= max && (std ? lseek(fd, 0, SEEK_CUR) == 0 : true) &&
        (in->map = map_file(fd, (size_t)st.st_size)) != NULL) {
        in->map_len = (size_t)st.st_size;
        in->data = in->map;
        in->len = in->map_len;
        rc = IDT_OK;
    } else {
        rc = idtx_read_fd(&in->buf, &in->len, fd, name, max, err);
        if (rc == IDT_OK)
            in->data = in->buf;
    }
    if (!std)
        close(fd);
    return rc;
}

void cli_input_release(cli_input *in)
{
    if (in->map)
        munmap(in->map, in->map_len);
    free(in->buf);
    memset(in, 0, sizeof *in);
}

/* Writes to an existing device or FIFO in place (-o /dev/null, -o
 * /dev/stdout, a named pipe): replacing it with a regular file would break
 * every other user of it.  Returns 1 when path is not such a file (the
 * caller then replaces it atomically), or a status.  O_NOFOLLOW: a symlink
 * is replaced, never followed, as for regular files. */
static int write_special(const char *path, const void *data, size_t len, idt_error *err)
{
    struct stat st;
    if (lstat(path, &st) < 0 || S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
        return 1;
    if (S_ISDIR(st.st_mode))
        return idtx_error_set(err, IDT_EIO, NULL, "cannot write %s: it is a directory", path);
    int fd = open(path, O_WRONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", path, strerror(errno));
    if (fstat(fd, &st) < 0 || S_ISREG(st.st_mode)) { /* swapped since lstat */
        close(fd);
        return 1;
    }
    int rc = IDT_OK;
    if (idtx_write_all(fd, data, len) < 0)
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot write %s: %s", path, strerror(errno));
    if (close(fd) < 0 && rc == IDT_OK)
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot write %s: %s", path, strerror(errno));
    return rc;
}

int cli_write_output(const char *path, const void *data, size_t len, idt_error *err)
{
    if (!path || !strcmp(path, "-")) {
        if (idtx_write_all(STDOUT_FILENO, data, len) < 0)
            return idtx_error_set(err, IDT_EIO, NULL, "cannot write to stdout: %s",
                                  strerror(errno));
        return IDT_OK;
    }
    int special = write_special(path, data, len, err);
    if (special <= 0)
        return special;
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    /* The temporary lives beside the target so rename() stays atomic;
     * mkstemp opens it O_EXCL, so a planted file or symlink is never used. */
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return idtx_error_set(err, IDT_EIO, NULL, "cannot create %s: %s", path, strerror(e));
    }
    int rc = IDT_OK;
    if (fchmod(fd, 0644) < 0 || idtx_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot write %s: %s", path, strerror(errno));
        close(fd);
    } else if (close(fd) < 0) {
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot write %s: %s", path, strerror(errno));
    } else if (rename(tmp, path) < 0) {
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot replace %s: %s", path, strerror(errno));
    }
    if (rc < 0)
        unlink(tmp);
    free(tmp);
    return rc;
}
