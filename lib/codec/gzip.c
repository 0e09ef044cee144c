/*
 * gzip (RFC 1952) with libdeflate: a deterministic writer, and a reader that
 * checks every header field and trailer and never allocates past the bound.
 *
 * libdeflate inflates whole buffers only, so the reader gives it the room
 * of an idtx_buf bounded at max_decoded, which starts at a guess and
 * doubles; running out of room with the buffer at max_decoded means the
 * document is too large.
 * Re-inflating after a doubling costs at most twice the final work.
 */
#include "codec/codec_int.h"
#include "util/buf.h"
#include "util/error_int.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

/* libdeflate's strongest level: annotations are bounded by Kubernetes'
 * 256 KiB, so size matters more than the few milliseconds it costs. */
#define GZIP_LEVEL 12

/* RFC 1952: ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown).  The
 * same 10 bytes Go's compress/gzip writes by default. */
static const unsigned char gzip_header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff };

enum { FTEXT = 1, FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16, FRESERVED = 0xe0 };

/* A deflate stream expands at most 1032:1; a bound for the first guess. */
#define DEFLATE_MAX_RATIO 1032
#define FIRST_GUESS_MIN 4096

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

int idt_codec_gzip(unsigned char **out, size_t *out_len, const void *data, size_t len,
                   idt_error *err)
{
    struct libdeflate_compressor *c;
    unsigned char *buf;
    size_t bound, n;

    if (!out || !out_len || (!data && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_codec_gzip: NULL argument");
    *out = NULL;
    *out_len = 0;
    c = libdeflate_alloc_compressor(GZIP_LEVEL);
    if (!c)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory (deflate compressor)");
    bound = libdeflate_deflate_compress_bound(c, len);
    if (bound > SIZE_MAX - sizeof gzip_header - 8 ||
        !(buf = malloc(sizeof gzip_header + bound + 8))) {
        libdeflate_free_compressor(c);
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory compressing %zu bytes", len);
    }
    memcpy(buf, gzip_header, sizeof gzip_header);
    n = libdeflate_deflate_compress(c, data ? data : "", len, buf + sizeof gzip_header, bound);
    libdeflate_free_compressor(c);
    if (!n) { /* cannot happen with the bound; fail cleanly all the same */
        free(buf);
        return idtx_error_set(err, IDT_ERROR, NULL, "deflate output exceeded its bound");
    }
    n += sizeof gzip_header;
    put_le32(buf + n, libdeflate_crc32(0, data ? data : "", len));
    put_le32(buf + n + 4, (uint32_t)len); /* ISIZE is the length modulo 2^32 */
    *out = buf;
    *out_len = n + 8;
    return IDT_OK;
}

/* ---- reading -------------------------------------------------------------- */

static bool is_gzip_magic(const unsigned char *p, size_t n)
{
    return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

/* Go's compress/gzip reads FNAME and FCOMMENT into a 512-byte buffer that
 * must also hold the NUL, so 512 bytes of text are one too many. */
#define GO_HEADER_STRING_MAX 511

/* How one member's header is read: whose rules, and where warnings go. */
typedef struct header_rules {
    idt_codec__reader reader;
    idt_codec_warnings *warnings;
} header_rules;

/* Skips a zero-terminated header string (FNAME, FCOMMENT) and applies Go's
 * bound on it: an error when decoding by Go's rules, a warning when
 * flate2's rules accept it. */
static int skip_string(const unsigned char *p, size_t n, size_t *pos, const char *what,
                       const header_rules *r, idt_error *err)
{
    const unsigned char *z = memchr(p + *pos, 0, n - *pos);
    size_t at = *pos, len;
    if (!z)
        return idtx_error_at_offset(err, IDT_ETRUNC, *pos,
                                    "gzip header: the %s has no terminating NUL before the end "
                                    "of the data", what);
    len = (size_t)(z - (p + at));
    *pos = at + len + 1;
    if (len <= GO_HEADER_STRING_MAX)
        return IDT_OK;
    if (r->reader == IDT_CODEC__READER_GO)
        return idtx_error_at_offset(err, IDT_EFORMAT, at,
                                    "gzip header: the %s is %zu bytes: " IDT_CODEC__GO_GZIP
                                    " refuses a name or comment of 512 bytes or more (it reads "
                                    "them into a 512-byte buffer); " IDT_CODEC__FLATE2 " and "
                                    "the kata-agent accept it", what, len);
    if (r->reader == IDT_CODEC__READER_FLATE2)
        idt_codec__warn(r->warnings, IDT_CODEC_FINDING_LONG_HEADER_STRING, at,
                        "gzip header: the %s is %zu bytes; accepted as " IDT_CODEC__FLATE2
                        " accepts it, but " IDT_CODEC__GO_GZIP " refuses a name or comment of "
                        "512 bytes or more (lenient decoding refuses it)", what, len);
    return IDT_OK;
}

/* Reserved flag bits: flate2 rejects them; Go's compress/gzip and the
 * kata-agent's async-compression never look at them. */
static int reserved_flags(unsigned bits, size_t at, const header_rules *r, idt_error *err)
{
    switch (r->reader) {
    case IDT_CODEC__READER_FLATE2:
        return idtx_error_at_offset(err, IDT_EFORMAT, at,
                                    "gzip header: reserved flag bits 0x%02x are set: "
                                    IDT_CODEC__FLATE2 " rejects them, as RFC 1952 asks; "
                                    IDT_CODEC__GO_GZIP " and the kata-agent's image reader "
                                    "ignore them", bits);
    case IDT_CODEC__READER_GO:
        idt_codec__warn(r->warnings, IDT_CODEC_FINDING_RESERVED_FLAGS, at,
                        "gzip header: reserved flag bits 0x%02x are set; accepted as "
                        IDT_CODEC__GO_GZIP " ignores them, but " IDT_CODEC__FLATE2
                        " rejects them", bits);
        return IDT_OK;
    default:
        idt_codec__warn(r->warnings, IDT_CODEC_FINDING_RESERVED_FLAGS, at,
                        "gzip header: reserved flag bits 0x%02x are set; accepted as the "
                        "kata-agent accepts them (async-compression ignores them, as Go's "
                        "compress/gzip does), but flate2 (kata-types, runtime-rs) rejects "
                        "them and RFC 1952 says a reader must", bits);
        return IDT_OK;
    }
}

/* Parses the member header at p[at..n) and sets *data_at to its deflate data. */
static int parse_header(const unsigned char *p, size_t n, size_t at, size_t *data_at,
                        const header_rules *r, idt_error *err)
{
    size_t pos = at + 10;
    unsigned flg;

    if (!is_gzip_magic(p + at, n - at))
        return idtx_error_at_offset(err, IDT_EFORMAT, at,
                                    "not gzip data: expected the bytes 1f 8b, found %s",
                                    n - at == 0 ? "the end of the data"
                                    : n - at == 1 ? "one byte" : "others");
    if (n - at < 10)
        return idtx_error_at_offset(err, IDT_ETRUNC, n,
                                    "gzip header truncated: %zu of its 10 bytes present", n - at);
    if (p[at + 2] != 8)
        return idtx_error_at_offset(err, IDT_EFORMAT, at + 2,
                                    "gzip compression method %u; only 8 (deflate) exists",
                                    p[at + 2]);
    flg = p[at + 3];
    if (flg & FRESERVED)
        IDTX_TRY(reserved_flags(flg & FRESERVED, at + 3, r, err));
    if ((flg & FHCRC) && r->reader == IDT_CODEC__READER_AGENT)
        return idtx_error_at_offset(err, IDT_EFORMAT, at + 3,
                                    "gzip header: FHCRC (flag 0x02) is set: the kata-agent "
                                    "cannot read this image, as async-compression does not "
                                    "consume the 2-byte header CRC16 and inflate fails on it "
                                    "(\"deflate decompression error\"); " IDT_CODEC__GO_GZIP
                                    " and flate2 accept FHCRC, but no Kata runtime writes it");
    if (flg & FEXTRA) {
        size_t xlen;
        if (n - pos < 2)
            return idtx_error_at_offset(err, IDT_ETRUNC, n, "gzip header: FEXTRA length truncated");
        xlen = (size_t)p[pos] | (size_t)p[pos + 1] << 8;
        pos += 2;
        if (n - pos < xlen)
            return idtx_error_at_offset(err, IDT_ETRUNC, pos,
                                        "gzip header: the FEXTRA field of %zu bytes runs past "
                                        "the end of the data", xlen);
        pos += xlen;
    }
    if (flg & FNAME)
        IDTX_TRY(skip_string(p, n, &pos, "file name (FNAME)", r, err));
    if (flg & FCOMMENT)
        IDTX_TRY(skip_string(p, n, &pos, "comment (FCOMMENT)", r, err));
    if (flg & FHCRC) {
        uint32_t want;
        if (n - pos < 2)
            return idtx_error_at_offset(err, IDT_ETRUNC, pos, "gzip header: FHCRC truncated");
        want = libdeflate_crc32(0, p + at, pos - at) & 0xffff;
        if (((uint32_t)p[pos] | (uint32_t)p[pos + 1] << 8) != want)
            return idtx_error_at_offset(err, IDT_EFORMAT, pos,
                                        "gzip header CRC16 (FHCRC) mismatch: the header says "
                                        "%04x, its bytes give %04x",
                                        (unsigned)p[pos] | (unsigned)p[pos + 1] << 8,
                                        (unsigned)want);
        pos += 2;
    }
    *data_at = pos;
    return IDT_OK;
}

/* Inflates the deflate stream at p[at..n) onto ob; *used = input consumed. */
static int inflate_data(struct libdeflate_decompressor *d, idtx_buf *ob, const unsigned char *p,
                        size_t n, size_t at, size_t *used, idt_error *err)
{
    for (;;) {
        size_t got = 0, room = idtx_buf_room(ob);
        enum libdeflate_result r = libdeflate_deflate_decompress_ex(
            d, p + at, n - at, ob->data + ob->len, room, used, &got);
        if (r == LIBDEFLATE_SUCCESS) {
            idtx_buf_commit(ob, got);
            return IDT_OK;
        }
        if (r != LIBDEFLATE_INSUFFICIENT_SPACE)
            return idtx_error_at_offset(err, IDT_EFORMAT, at,
                                        "corrupt or truncated deflate data (it starts at byte "
                                        "%zu; the data ends at byte %zu)", at, n);
        /* len + room never passes max (the buffer allocates no further) */
        size_t cap = ob->len + room;
        if (cap >= ob->max)
            return idtx_error_at_offset(err, IDT_ELIMIT, at,
                                        "the document inflates to more than the limit of %zu "
                                        "bytes (a gzip bomb?); the bound is enforced while "
                                        "inflating", ob->max);
        IDTX_TRY(idtx_buf_reserve(ob, (cap > ob->max / 2 ? ob->max : cap * 2) - ob->len, err));
    }
}

/* Checks the 8-byte trailer at p[at..n) of a member whose output starts at
 * ob->data[start]. */
static int check_trailer(const idtx_buf *ob, size_t start, const unsigned char *p, size_t n,
                         size_t at, idt_error *err)
{
    uint32_t crc, isize, got_crc;
    size_t got_len = ob->len - start;

    if (n - at < 8)
        return idtx_error_at_offset(err, IDT_ETRUNC, n,
                                    "gzip trailer truncated: %zu of its 8 bytes (CRC32, ISIZE) "
                                    "present after the deflate data ending at byte %zu",
                                    n - at, at);
    crc = idt_codec__le32(p + at);
    isize = idt_codec__le32(p + at + 4);
    got_crc = libdeflate_crc32(0, ob->data + start, got_len);
    if (crc != got_crc)
        return idtx_error_at_offset(err, IDT_EFORMAT, at,
                                    "gzip CRC32 mismatch: the trailer says %08x, the data "
                                    "inflates to bytes with CRC32 %08x", (unsigned)crc,
                                    (unsigned)got_crc);
    if (isize != (uint32_t)got_len)
        return idtx_error_at_offset(err, IDT_EFORMAT, at + 4,
                                    "gzip ISIZE mismatch: the trailer says %u bytes, the data "
                                    "inflates to %zu bytes", (unsigned)isize, got_len);
    return IDT_OK;
}

/* The first output size to try: the last member's ISIZE when plausible. */
static size_t first_guess(const unsigned char *p, size_t n, size_t max)
{
    size_t guess = FIRST_GUESS_MIN;
    if (n >= 18) {
        size_t isize = idt_codec__le32(p + n - 4);
        size_t ceiling = n > SIZE_MAX / DEFLATE_MAX_RATIO ? SIZE_MAX : n * DEFLATE_MAX_RATIO;
        if (isize > guess)
            guess = isize < ceiling ? isize : ceiling;
    }
    return guess < max ? guess : max;
}

/* What follows a member: the end, another member, or garbage. */
static int after_member(const unsigned char *p, size_t n, size_t at, bool lenient,
                        idt_error *err)
{
    if (!is_gzip_magic(p + at, n - at))
        return idtx_error_at_offset(err, IDT_EFORMAT, at,
                                    "%zu trailing bytes after the end of the gzip member: "
                                    IDT_CODEC__GO " reject them, " IDT_CODEC__RUST
                                    " ignore them", n - at);
    if (!lenient)
        return idtx_error_at_offset(err, IDT_EFORMAT, at,
                                    "a second gzip member starts here: " IDT_CODEC__GO
                                    " join the members, " IDT_CODEC__RUST " read only the "
                                    "first (lenient decoding joins them)");
    return IDT_OK;
}

static int gunzip_members(struct libdeflate_decompressor *d, idtx_buf *ob,
                          const unsigned char *p, size_t n, bool lenient,
                          const header_rules *r, idt_error *err)
{
    size_t at = 0;
    for (;;) {
        size_t data_at = 0, used = 0, start = ob->len;
        IDTX_TRY(parse_header(p, n, at, &data_at, r, err));
        IDTX_TRY(inflate_data(d, ob, p, n, data_at, &used, err));
        IDTX_TRY(check_trailer(ob, start, p, n, data_at + used, err));
        at = data_at + used + 8;
        if (at == n)
            return IDT_OK;
        IDTX_TRY(after_member(p, n, at, lenient, err));
    }
}

int idt_codec__gunzip(unsigned char **out, size_t *out_len, const unsigned char *gz, size_t len,
                      const idt_codec__limits *lim, idt_codec__reader reader, idt_error *err)
{
    header_rules rules = { reader, lim->warnings };
    struct libdeflate_decompressor *d;
    idtx_buf ob;
    char *text;
    int rc;

    *out = NULL;
    *out_len = 0;
    idtx_buf_init(&ob, lim->max_decoded, "the inflated document");
    IDTX_TRY(idtx_buf_reserve(&ob, first_guess(gz, len, ob.max), err));
    d = libdeflate_alloc_decompressor();
    if (!d) {
        idtx_buf_dispose(&ob);
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory (deflate decompressor)");
    }
    rc = gunzip_members(d, &ob, gz, len, lim->lenient, &rules, err);
    libdeflate_free_decompressor(d);
    if (rc < 0 || (rc = idtx_buf_take(&ob, &text, out_len, err)) < 0) {
        idtx_buf_dispose(&ob);
        return rc;
    }
    *out = (unsigned char *)text;
    return IDT_OK;
}

int idt_codec_gunzip(unsigned char **out, size_t *out_len, const void *gz, size_t len,
                     const idt_codec_options *opts, idt_error *err)
{
    idt_codec__limits lim;

    if (!out || !out_len || (!gz && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_codec_gunzip: NULL argument");
    *out = NULL;
    *out_len = 0;
    IDTX_TRY(idt_codec__limits_get(&lim, opts, err));
    return idt_codec__gunzip(out, out_len, gz ? gz : (const void *)"", len, &lim,
                             lim.lenient ? IDT_CODEC__READER_GO : IDT_CODEC__READER_FLATE2, err);
}
