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
