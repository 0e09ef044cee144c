/* initdata image: create or read the Kata initdata block image. */
#include "cmd.h"
#include "codec_args.h"
#include "diag.h"
#include "io.h"
#include "opt.h"
#include "initdata/codec.h"
#include "util/error_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: initdata image create [OPTIONS] FILE|- -o IMAGE\n"
    "       initdata image read [OPTIONS] IMAGE|-\n\n"
    "The Kata runtime hands a document to the guest as a virtio-blk disk (serial\n"
    "\"initdata\"): the magic \"initdata\", the gzip length N as a little-endian\n"
    "u64, N bytes of gzip, then zeros up to a multiple of 512 bytes.\n\n"
    "Commands:\n"
    "  create   write the image of a document\n"
    "  read     print the exact document bytes held by an image or block device\n\n"
    "Run 'initdata image COMMAND --help' for a command's options and examples.\n";

static const cli_help create_help = {
    "initdata image create [OPTIONS] FILE|- -o IMAGE",
    "Write the Kata initdata image of the document FILE: magic \"initdata\", N\n"
    "(u64, little-endian), gzip(FILE) (deterministic: header\n"
    "1f8b08000000000000ff, libdeflate level 12) and zero padding to a multiple\n"
    "of 512 bytes.  The image goes to IMAGE (replaced atomically) or to\n"
    "standard output, but never to a terminal.  An empty document is refused:\n"
    "runtime-rs creates no device for one and the Go shim skips the image; so\n"
    "is one nested deeper than the kata-agent 4.x can parse (80 levels).",
    "  $ initdata image create initdata.toml -o initdata.img\n"
    "  $ initdata image create - < initdata.toml > initdata.img\n",
};

static const cli_help read_help = {
    "initdata image read [OPTIONS] IMAGE|-",
    "Check a Kata initdata image (a file, a block device such as /dev/vdb in\n"
    "the guest, or '-') and write the exact document bytes it holds.  The\n"
    "magic, N against the size of the image and the limit, the zero padding\n"
    "to 512 bytes, the gzip member (header, CRC32, ISIZE, no trailing bytes)\n"
    "and UTF-8 are all checked; an error gives the byte offset into IMAGE.\n"
    "The gzip header is read as the kata-agent reads it: FHCRC is refused (the\n"
    "agent cannot read it), reserved flag bits are accepted with a warning.\n"
    "From a block device only the header and the image it announces are read.",
    "  $ initdata image read initdata.img\n"
    "  $ initdata image read -o initdata.toml /dev/vdb\n"
    "  $ initdata image read initdata.img | sha256sum\n",
};

static size_t round_up_512(size_t n)
{
    return (n + IDT_IMAGE_ALIGN - 1) / IDT_IMAGE_ALIGN * IDT_IMAGE_ALIGN;
}

static int image_create(int argc, char **argv)
{
    const char *input = NULL, *output = NULL;
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "output", 'o', &output, "IMAGE",
          "write to IMAGE (replaced atomically) instead of standard output", false },
        { CLI_OPT_ARG, "file", 0, &input, "FILE", "the document ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("image create", opts, &create_help, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    if ((!output || !strcmp(output, "-")) && isatty(STDOUT_FILENO))
        return cli_usage_error("image create", "refusing to write a binary image to a "
                               "terminal; use -o IMAGE or redirect standard output");

    idt_error err = { 0 };
    char *doc = NULL;
    unsigned char *img = NULL;
    size_t len = 0, img_len = 0;
    err.source = cli_input_name(input);
    rc = cli_read_document(&doc, &len, input, &err);
    if (rc >= 0)
        rc = idt_image_encode(&img, &img_len, doc, len, NULL, &err);
    if (rc >= 0) {
        err.source = NULL;
        rc = cli_write_output(output, img, img_len, &err);
    }
    free(doc);
    idt_free(img);
    return rc < 0 ? cli_codec_fail(rc, &err) : CLI_EXIT_OK;
}

/* Reads exactly len bytes at offset off of fd. */
static int read_at(int fd, void *buf, size_t len, off_t off, const char *name, idt_error *err)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = pread(fd, (char *)buf + got, len - got, off + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return idtx_error_set(err, IDT_EIO, NULL, "cannot read %s: %s", name,
                                  r < 0 ? strerror(errno) : "unexpected end of the device");
        got += (size_t)r;
    }
    return IDT_OK;
}

/*
 * A block device is larger than its image, and reading all of it would be
 * both slow and unbounded: check the header against the device size first,
 * then read only the image it announces (padding included).
 */
static int read_device(char **out, size_t *len, int fd, const char *name,
                       const idt_codec_options *copts, idt_error *err)
{
    unsigned char header[IDT_IMAGE_HEADER_LEN];
    off_t size = lseek(fd, 0, SEEK_END);
    uint64_t n = 0;
    size_t want;

    if (size < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot size %s: %s", name, strerror(errno));
    if ((uint64_t)size < sizeof header)
        return idt_image_check_header(&n, header, 0, (uint64_t)size, copts, err);
    IDTX_TRY(read_at(fd, header, sizeof header, 0, name, err));
    IDTX_TRY(idt_image_check_header(&n, header, sizeof header, (uint64_t)size, copts, err));
    want = round_up_512(IDT_IMAGE_HEADER_LEN + (size_t)n);
    if ((uint64_t)want > (uint64_t)size)
        want = (size_t)size;
    if (!(*out = malloc(want ? want : 1)))
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory (%zu bytes)", want);
    *len = want;
    return read_at(fd, *out, want, 0, name, err);
}

/* Reads the image at path: a block device by its header, anything else whole. */
static int read_image(char **out, size_t *len, const char *path,
                      const idt_codec_options *copts, idt_error *err)
{
    /* The largest image the N limit allows. */
    size_t bound = round_up_512(IDT_IMAGE_HEADER_LEN + copts->max_encoded);
    struct stat st;
    int fd, rc;

    *out = NULL;
    *len = 0;
    if (path && strcmp(path, "-") && stat(path, &st) == 0 && S_ISBLK(st.st_mode)) {
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
            return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", path,
                                  strerror(errno));
        rc = read_device(out, len, fd, path, copts, err);
        close(fd);
        return rc;
    }
    return cli_read_bounded(out, len, path, bound, 0, "the image", "--max-size", err);
}

static int image_read(int argc, char **argv)
{
    const char *input = NULL, *output = NULL, *max_size = NULL, *max_output = NULL;
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "max-size", 0, &max_size, "BYTES",
          "largest gzip length N accepted (default 262144)", false },
        { CLI_OPT_VALUE, "max-output", 0, &max_output, "BYTES",
          "largest decoded document accepted (default 8M)", false },
        { CLI_OPT_VALUE, "output", 'o', &output, "FILE",
          "write to FILE (replaced atomically) instead of standard output", false },
        { CLI_OPT_ARG, "image", 0, &input, "IMAGE", "the image or device ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("image read", opts, &read_help, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    idt_codec_options copts = IDT_CODEC_OPTIONS_INIT;
    idt_codec_warnings warnings;
    idt_codec_warnings_clear(&warnings);
    copts.warnings = &warnings;
    if ((rc = cli_parse_size("image read", "max-size", max_size, &copts.max_encoded)) !=
            CLI_CONTINUE ||
        (rc = cli_parse_size("image read", "max-output", max_output, &copts.max_decoded)) !=
            CLI_CONTINUE)
        return rc;

    idt_error err = { 0 };
    char *img = NULL;
    unsigned char *doc = NULL;
    size_t len = 0, doc_len = 0;
    err.source = cli_input_name(input);
    rc = read_image(&img, &len, input, &copts, &err);
    if (rc >= 0) {
        rc = idt_image_decode(&doc, &doc_len, img, len, &copts, &err);
        cli_codec_warnings_print(err.source, &warnings);
    }
    if (rc >= 0) {
        err.source = NULL;
        rc = cli_write_output(output, doc, doc_len, &err);
    }
    free(img);
    idt_free(doc);
    return rc < 0 ? cli_codec_fail(rc, &err) : CLI_EXIT_OK;
}

int cmd_image(int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : NULL;
    if (cli_opts_describing()) { /* initdata completion: both tables */
        char create[] = "create", read[] = "read";
        char *cargv[] = { create, NULL }, *rargv[] = { read, NULL };
        image_create(1, cargv);
        return image_read(1, rargv);
    }
    if (sub && (!strcmp(sub, "--help") || !strcmp(sub, "-h"))) {
        fputs(usage_text, stdout);
        return CLI_EXIT_OK;
    }
    if (sub && !strcmp(sub, "create"))
        return image_create(argc - 1, argv + 1);
    if (sub && !strcmp(sub, "read"))
        return image_read(argc - 1, argv + 1);
    if (sub)
        fprintf(stderr, "initdata image: error: unknown command '%s'\n", sub);
    fputs(usage_text, stderr);
    return CLI_EXIT_USAGE;
}
