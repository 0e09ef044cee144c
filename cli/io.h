/* Reading inputs and writing outputs for the tool: "-" is stdin/stdout,
 * reads are bounded, and files are replaced atomically. */
#ifndef CLI_IO_H
#define CLI_IO_H

#include <stddef.h>
#include "initdata/common.h"

/* The name errors use for path: "<stdin>" for "-" or NULL. */
const char *cli_input_name(const char *path);

/*
 * Reads all of path ("-" or NULL: stdin) into a new NUL-terminated buffer
 * (*out, freed by the caller with free()).  More than max bytes is
 * IDT_ELIMIT; an unreadable file IDT_EIO; both with a message in err.
 */
int cli_read_input(char **out, size_t *len, const char *path, size_t max, idt_error *err);

/* An input read by cli_map_input: mapped, or read into a buffer. */
typedef struct cli_input {
    const char *data; /* the bytes; not NUL-terminated when mapped */
    size_t len;
    void *map;        /* the mapping (munmap), or NULL */
    size_t map_len;
    char *buf;        /* the buffer (free), or NULL */
} cli_input;

/*
 * Reads path ("-" or NULL: stdin) once, for a command that only reads it:
 * a regular file (stdin too, when it is one) is mapped read-only, every
 * page at once, so its bytes are never copied; anything else (a pipe) is
 * read into a buffer as cli_read_input does.  More than max bytes is
 * IDT_ELIMIT; an unreadable file IDT_EIO.  Release with cli_input_release.
 * A mapped file that another program truncates while it is read ends the
 * process with SIGBUS, and one that it rewrites meanwhile may give bytes of
 * both versions: the tool's inputs are the caller's own files.
 */
int cli_map_input(cli_input *in, const char *path, size_t max, idt_error *err);

/* Unmaps or frees what cli_map_input got; in may be all zeros. */
void cli_input_release(cli_input *in);

/*
 * Writes len bytes to path, or to stdout when path is NULL or "-".  A file
 * is written to a new temporary file in the same directory, flushed to
 * disk and renamed over path, so readers see the old or the new content,
 * never a part.  A symlink at path is replaced, not followed.  An existing
 * device or FIFO (/dev/null, a named pipe) is written in place, never
 * replaced; a directory is an error.
 * Returns IDT_OK or IDT_EIO with a message in err.
 */
int cli_write_output(const char *path, const void *data, size_t len, idt_error *err);

/* Maps a library status to the tool's exit code (cmd.h). */
int cli_exit_code(int status);

#endif
