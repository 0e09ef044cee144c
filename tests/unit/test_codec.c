/* Unit tests of initdata/codec.h and lib/util/base64.h: base64 strictness,
 * gzip member parsing, bounded inflating, the annotation value and the Kata
 * block image, with the exact code, offset and message of each failure
 * (initdata-facts §4, §5). */
#include "idt_unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vectors.h"
#include "initdata/codec.h"
#include "util/base64.h"

/* The kata vector (facts §2), 113 bytes. */

/* ---- helpers ---------------------------------------------------------------- */

typedef struct bytes {
    unsigned char *p;
    size_t n;
} bytes;

static bytes gzip_of(const void *doc, size_t len)
{
    bytes b = { NULL, 0 };
    assert_status(idt_codec_gzip(&b.p, &b.n, doc, len, NULL), IDT_OK, NULL);
    return b;
}

static bytes concat(bytes a, const void *p, size_t n)
{
    a.p = realloc(a.p, a.n + n + 1);
    assert_non_null(a.p);
    memcpy(a.p + a.n, p, n);
    a.n += n;
    return a;
}

static char *base64_of(const void *p, size_t n)
{
    char *s = malloc(idtx_base64_encoded_len(n) + 1);
    assert_non_null(s);
    idtx_base64_encode(s, p, n);
    return s;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Decodes the annotation of gz, expecting success with want[0..want_len). */
static void assert_decodes(const bytes gz, bool lenient, const void *want, size_t want_len)
{
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    idt_error err = { 0 };
    unsigned char *doc = NULL;
    size_t n = 0;
    char *a = base64_of(gz.p, gz.n);
    o.lenient = lenient;
    int rc = idt_codec_decode(&doc, &n, a, strlen(a), &o, &err);
    if (rc != IDT_OK)
        fail_msg("decode failed: %s", err.message);
    assert_int_equal(n, want_len);
    assert_memory_equal(doc, want, want_len);
    assert_int_equal(doc[n], 0);
    idt_free(doc);
    free(a);
}

/* err must hold code, offset (-1: no offset) and a message containing part. */
static void assert_error(const idt_error *err, int code, long long offset, const char *part)
{
    assert_int_equal(err->code, code);
    if (offset < 0) {
        assert_false(err->has_offset);
    } else {
        assert_true(err->has_offset);
        assert_int_equal(err->offset, (uint64_t)offset);
    }
    if (!strstr(err->message, part))
        fail_msg("message \"%s\" lacks \"%s\"", err->message, part);
}

/* Decodes the annotation text a[0..n), expecting failure. */
static void assert_annotation_fails(const char *a, size_t n, const idt_codec_options *o,
                                    int code, long long offset, const char *part)
{
    idt_error err = { 0 };
    unsigned char *doc = (unsigned char *)1;
    size_t len = 99;
    assert_int_equal(idt_codec_decode(&doc, &len, a, n, o, &err), code);
    assert_null(doc);
    assert_int_equal(len, 0);
    assert_error(&err, code, offset, part);
}

/* The annotation of gz fails with code at annotation offset `offset`. */
static void assert_gz_fails(const bytes gz, bool lenient, int code, long long offset,
                            const char *part)
{
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    char *a = base64_of(gz.p, gz.n);
    o.lenient = lenient;
    assert_annotation_fails(a, strlen(a), &o, code, offset, part);
    free(a);
}

/* A bitwise CRC32 (IEEE), independent of libdeflate's. */
static uint32_t test_crc32(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

/* A gzip member of doc with the header flags and fields given. */
static bytes member_with_header(const char *doc, unsigned flg, const char *name,
                                const char *comment, bool bad_hcrc)
{
    bytes plain = gzip_of(doc, strlen(doc));
    bytes m = { NULL, 0 };
    unsigned char h[10] = { 0x1f, 0x8b, 8, (unsigned char)flg, 0x78, 0x56, 0x34, 0x12, 0, 3 };
    m = concat(m, h, sizeof h);
    if (flg & 4) {
        static const unsigned char extra[] = { 6, 0, 'A', 'P', 2, 0, 'h', 'i' };
        m = concat(m, extra, sizeof extra);
    }
    if (flg & 8)
        m = concat(m, name, strlen(name) + 1);
    if (flg & 16)
        m = concat(m, comment, strlen(comment) + 1);
    if (flg & 2) {
        /* FHCRC: the low half of the CRC32 of the header so far. */
        uint32_t c = test_crc32(m.p, m.n) & 0xffff;
        unsigned char hc[2] = { (unsigned char)(c ^ (bad_hcrc ? 1 : 0)), (unsigned char)(c >> 8) };
        m = concat(m, hc, 2);
    }
    m = concat(m, plain.p + 10, plain.n - 10);
    free(plain.p);
    return m;
}

/* ---- base64 ------------------------------------------------------------------ */

static void test_base64__rfc4648_vectors(void **state)
{
    (void)state;
    static const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    static const char *out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
    for (size_t i = 0; i < 7; i++) {
        char enc[16];
        unsigned char dec[16];
        size_t n = 0;
        assert_int_equal(idtx_base64_encoded_len(strlen(in[i])), strlen(out[i]));
        assert_int_equal(idtx_base64_encode(enc, in[i], strlen(in[i])), strlen(out[i]));
        assert_string_equal(enc, out[i]);
        assert_int_equal(idtx_base64_decode(dec, &n, out[i], strlen(out[i]), 0, NULL), 0);
        assert_int_equal(n, strlen(in[i]));
        assert_memory_equal(dec, in[i], n);
        assert_true(idtx_base64_decoded_max(strlen(out[i])) >= n);
    }
    /* All 256 byte values and the full alphabet. */
    unsigned char all[256], back[259];
    char enc[345];
    size_t n = 0;
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    assert_int_equal(idtx_base64_encode(enc, all, 256), 344);
    assert_memory_equal(enc, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g", 44);
    assert_memory_equal(enc + 336, "/P3+/w==", 8);
    assert_int_equal(idtx_base64_decode(back, &n, enc, 344, 0, NULL), 0);
    assert_int_equal(n, 256);
    assert_memory_equal(back, all, 256);
    assert_int_equal(idtx_base64_encoded_len(SIZE_MAX), 0); /* overflow */
}

static void test_base64__faults(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned flags;
        idtx_base64_fault_kind kind;
        size_t offset;
        unsigned missing;
    } cases[] = {
        { "Zm9vYg=", 0, IDTX_BASE64_MISSING_PADDING, 7, 1 },
        { "Zm9vYg", 0, IDTX_BASE64_MISSING_PADDING, 6, 2 },
        { "Zm9vYmE", IDTX_BASE64_GO, IDTX_BASE64_MISSING_PADDING, 7, 1 },
        { "Zm9vY", 0, IDTX_BASE64_LONE_SYMBOL, 4, 0 },
        { "Zg=a", 0, IDTX_BASE64_AFTER_PADDING, 3, 0 },
        { "Zm9vYg==Zm9v", IDTX_BASE64_GO, IDTX_BASE64_AFTER_PADDING, 8, 0 },
        { "Zh==", 0, IDTX_BASE64_TRAILING_BITS, 1, 0 },
        { "Zm9=", 0, IDTX_BASE64_TRAILING_BITS, 2, 0 },
        { "Z===", 0, IDTX_BASE64_BAD_PADDING, 1, 0 },
        { "=AAA", 0, IDTX_BASE64_BAD_PADDING, 0, 0 },
        { "Zg===", 0, IDTX_BASE64_BAD_PADDING, 4, 0 },
        { "Zm9v\nYg==", 0, IDTX_BASE64_LINE_BREAK, 4, 0 },
        { "Zm9v\rYg==", 0, IDTX_BASE64_LINE_BREAK, 4, 0 },
        { "Zm9v Yg==", IDTX_BASE64_GO, IDTX_BASE64_SPACE, 4, 0 },
        { "Zm9v\tYg==", 0, IDTX_BASE64_SPACE, 4, 0 },
        { "Zm-v", 0, IDTX_BASE64_BAD_CHAR, 2, 0 },
        { "Zm9v_w==", IDTX_BASE64_GO, IDTX_BASE64_BAD_CHAR, 4, 0 },
        { "Zm9v\0w==", 0, IDTX_BASE64_BAD_CHAR, 4, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char out[32];
        size_t n = 0, len = strlen(cases[i].text);
        idtx_base64_fault f;
        if (cases[i].kind == IDTX_BASE64_BAD_CHAR && cases[i].text[4] == 0)
            len = 8;
        assert_int_equal(idtx_base64_decode(out, &n, cases[i].text, len, cases[i].flags, &f), -1);
        assert_int_equal(f.kind, cases[i].kind);
        assert_int_equal(f.offset, cases[i].offset);
        assert_int_equal(f.missing, cases[i].missing);
        assert_true(strlen(idtx_base64_fault_str(f.kind)) > 5);
    }
}

static void test_base64__go_rules(void **state)
{
    (void)state;
    unsigned char out[32];
    size_t n = 0;
    /* Go skips CR and LF anywhere, even between the '=' signs. */
    assert_int_equal(idtx_base64_decode(out, &n, "Zm9v\r\nYg=\n=\n", 12, IDTX_BASE64_GO, NULL), 0);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "foob", 4);
    /* Go's StdEncoding ignores non-zero unused bits: "Zh==" is "f". */
    assert_int_equal(idtx_base64_decode(out, &n, "Zh==", 4, IDTX_BASE64_GO, NULL), 0);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], 'f');
    /* Only skipping CR/LF still rejects the bits. */
    assert_int_equal(idtx_base64_decode(out, &n, "Zh==", 4, IDTX_BASE64_SKIP_CRLF, NULL), -1);
}

/* ---- gzip --------------------------------------------------------------------- */

static void test_gzip__deterministic_header_and_trailer(void **state)
{
    (void)state;
    bytes a = gzip_of(kata_doc, KATA_LEN), b = gzip_of(kata_doc, KATA_LEN);
    static const unsigned char header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff };
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.p, b.p, a.n);
    assert_memory_equal(a.p, header, 10);
    unsigned char trailer[8];
    put_le32(trailer, test_crc32((const unsigned char *)kata_doc, KATA_LEN));
    put_le32(trailer + 4, KATA_LEN);
    assert_memory_equal(a.p + a.n - 8, trailer, 8);

    unsigned char *doc = NULL;
    size_t n = 0;
    assert_status(idt_codec_gunzip(&doc, &n, a.p, a.n, NULL, NULL), IDT_OK, NULL);
    assert_int_equal(n, KATA_LEN);
    assert_memory_equal(doc, kata_doc, KATA_LEN);
    idt_free(doc);

    /* The empty document is one valid member too. */
    bytes e = gzip_of("", 0);
    assert_status(idt_codec_gunzip(&doc, &n, e.p, e.n, NULL, NULL), IDT_OK, NULL);
    assert_int_equal(n, 0);
    assert_int_equal(doc[0], 0);
    idt_free(doc);
    free(a.p);
    free(b.p);
    free(e.p);
}

static void test_gzip__every_header_field(void **state)
{
    (void)state;
    /* gzip -c sets FNAME and MTIME; runtime-rs sets FNAME and FCOMMENT. */
    static const unsigned flags[] = { 8, 8 | 16, 4, 2, 1 | 2 | 4 | 8 | 16 };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        bytes m = member_with_header(kata_doc, flags[i], "initdata.toml", "a comment", false);
        assert_decodes(m, false, kata_doc, KATA_LEN);
        free(m.p);
    }
    /* Go's header: 1f8b08000000000000ff is the one we write; XFL 2/4 too. */
    bytes g = gzip_of(kata_doc, KATA_LEN);
    g.p[8] = 4;
    assert_decodes(g, false, kata_doc, KATA_LEN);
    free(g.p);
}

static void test_gzip__header_errors(void **state)
{
    (void)state;
    bytes m = member_with_header(kata_doc, 2 | 8, "x", "", true);
    assert_gz_fails(m, false, IDT_EFORMAT, 12 / 3 * 4, "gzip data byte 12: gzip header CRC16");

    bytes r = gzip_of(kata_doc, KATA_LEN);
    r.p[3] = 0x20;
    assert_gz_fails(r, false, IDT_EFORMAT, 4, "reserved flag bits 0x20 are set");
    r.p[3] = 0;
    /* Lenient decoding accepts reserved bits, but a bad CRC16 still fails. */
    assert_gz_fails(m, true, IDT_EFORMAT, 12 / 3 * 4, "gzip header CRC16");
    r.p[2] = 7;
    assert_gz_fails(r, false, IDT_EFORMAT, 0, "gzip compression method 7; only 8");
    free(r.p);
    free(m.p);

    /* FNAME without its NUL: the name runs to the end of the data. */
    static const unsigned char open_name[] = { 0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3, 'a', 'b' };
    bytes o = concat((bytes){ NULL, 0 }, open_name, sizeof open_name);
    assert_gz_fails(o, false, IDT_ETRUNC, 12, "file name (FNAME) has no terminating NUL");
    o.n = 6;
    assert_gz_fails(o, false, IDT_ETRUNC, 8, "gzip header truncated: 6 of its 10 bytes");
    free(o.p);

    static const unsigned char long_extra[] = { 0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 3, 200, 0, 1 };
    bytes x = concat((bytes){ NULL, 0 }, long_extra, sizeof long_extra);
    assert_gz_fails(x, false, IDT_ETRUNC, 16, "FEXTRA field of 200 bytes");
    free(x.p);
}

/* Decodes the annotation of gz with warnings collected in *w (appended). */
static int decode_warned(const bytes gz, bool lenient, idt_codec_warnings *w, idt_error *err)
{
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    unsigned char *doc = NULL;
    size_t n = 0;
    char *a = base64_of(gz.p, gz.n);
    o.lenient = lenient;
    o.warnings = w;
    int rc = idt_codec_decode(&doc, &n, a, strlen(a), &o, err);
    if (rc == IDT_OK) {
        assert_int_equal(n, KATA_LEN);
        assert_memory_equal(doc, kata_doc, KATA_LEN);
    }
    idt_free(doc);
    free(a);
    return rc;
}

/* A header string of len bytes (FNAME when name, else FCOMMENT). */
static bytes member_with_string(bool name, size_t len)
{
    char *text = malloc(len + 1);
    assert_non_null(text);
    memset(text, 'n', len);
    text[len] = 0;
    bytes m = member_with_header(kata_doc, name ? 8 : 16, text, text, false);
    free(text);
    return m;
}

/* Reserved FLG bits: flate2 (kata-types, the Rust annotation decoders)
 * rejects them; Go's compress/gzip (kata shim, cloud-api-adaptor) never
 * looks at them (initdata-facts.md section 9).  So strict decoding fails
 * and lenient decoding accepts with a warning. */
static void test_gzip__reserved_flags_by_consumer(void **state)
{
    (void)state;
    idt_codec_warnings w;
    idt_error err = { 0 };
    bytes r = gzip_of(kata_doc, KATA_LEN);
    r.p[3] = 0x20;
    idt_codec_warnings_clear(&w);
    assert_status(decode_warned(r, false, &w, &err), IDT_EFORMAT, &err);
    assert_error(&err, IDT_EFORMAT, 4,
                 "gzip data byte 3: gzip header: reserved flag bits 0x20 are set: flate2 "
                 "(kata-types, genpolicy, runtime-rs) rejects them, as RFC 1952 asks; Go's "
                 "compress/gzip (kata shim, cloud-api-adaptor) and the kata-agent's image "
                 "reader ignore them");
    assert_int_equal(w.count, 0);
    assert_int_equal(w.found, 0);

    assert_status(decode_warned(r, true, &w, &err), IDT_OK, &err);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.dropped, 0);
    assert_int_equal(w.found, IDT_CODEC_FINDING_RESERVED_FLAGS);
    assert_int_equal(w.warning[0].finding, IDT_CODEC_FINDING_RESERVED_FLAGS);
    assert_int_equal(w.warning[0].offset, 4); /* the base64 group of gzip byte 3 */
    assert_string_equal(w.warning[0].message,
                        "gzip data byte 3: gzip header: reserved flag bits 0x20 are set; "
                        "accepted as Go's compress/gzip (kata shim, cloud-api-adaptor) ignores "
                        "them, but flate2 (kata-types, genpolicy, runtime-rs) rejects them");
    /* All three bits; a second call appends. */
    r.p[3] = 0xe0;
    assert_status(decode_warned(r, true, &w, &err), IDT_OK, &err);
    assert_int_equal(w.count, 2);
    assert_non_null(strstr(w.warning[1].message, "reserved flag bits 0xe0 are set; accepted"));

    /* idt_codec_gunzip: the same rules, offsets into the gzip data. */
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    unsigned char *doc = NULL;
    size_t n = 0;
    idt_codec_warnings_clear(&w);
    o.warnings = &w;
    assert_status(idt_codec_gunzip(&doc, &n, r.p, r.n, &o, &err), IDT_EFORMAT, &err);
    assert_error(&err, IDT_EFORMAT, 3, "reserved flag bits 0xe0 are set: flate2");
    o.lenient = true;
    assert_status(idt_codec_gunzip(&doc, &n, r.p, r.n, &o, &err), IDT_OK, &err);
    assert_int_equal(n, KATA_LEN);
    idt_free(doc);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.warning[0].offset, 3);
    assert_memory_equal(w.warning[0].message, "gzip header: reserved", 21);

    /* Without a record the warning is dropped, not an error. */
    o.warnings = NULL;
    assert_status(idt_codec_gunzip(&doc, &n, r.p, r.n, &o, &err), IDT_OK, &err);
    idt_free(doc);
    /* A version-1 caller has no `warnings` field: it must not be read. */
    idt_codec_warnings_clear(&w);
    o.version = 1;
    o.warnings = &w;
    assert_status(idt_codec_gunzip(&doc, &n, r.p, r.n, &o, &err), IDT_OK, &err);
    idt_free(doc);
    assert_int_equal(w.count, 0);

    /* Ten joined members, each with reserved bits: eight kept, two counted. */
    bytes many = { NULL, 0 };
    for (int i = 0; i < 10; i++)
        many = concat(many, r.p, r.n);
    o.version = IDT_CODEC_OPTIONS_VERSION;
    assert_status(idt_codec_gunzip(&doc, &n, many.p, many.n, &o, &err), IDT_OK, &err);
    assert_int_equal(n, 10 * KATA_LEN);
    idt_free(doc);
    assert_int_equal(w.count, IDT_CODEC_WARNINGS_MAX);
    assert_int_equal(w.dropped, 2);
    assert_int_equal(w.warning[7].offset, 7 * r.n + 3);
    idt_codec_warnings_clear(&w);
    assert_int_equal(w.count + w.dropped + w.found, 0);
    idt_codec_warnings_clear(NULL);
    free(many.p);
    free(r.p);
}

/* FNAME and FCOMMENT: Go's compress/gzip reads them into a 512-byte
 * buffer that must hold the NUL too, so 511 bytes pass and 512 fail
 * (ErrHeader); flate2 takes any length (initdata-facts.md section 9). */
static void test_gzip__long_header_strings_by_consumer(void **state)
{
    (void)state;
    idt_codec_warnings w;
    idt_error err = { 0 };
    idt_codec_warnings_clear(&w);
    for (int name = 0; name < 2; name++) {
        bytes ok = member_with_string(name, 511);
        assert_status(decode_warned(ok, false, &w, &err), IDT_OK, &err);
        assert_status(decode_warned(ok, true, &w, &err), IDT_OK, &err);
        assert_int_equal(w.count, 0);
        free(ok.p);
    }
    bytes m = member_with_string(true, 512);
    assert_status(decode_warned(m, true, &w, &err), IDT_EFORMAT, &err);
    /* The name starts at gzip byte 10, in the base64 group at 12. */
    assert_error(&err, IDT_EFORMAT, 12,
                 "gzip data byte 10: gzip header: the file name (FNAME) is 512 bytes: Go's "
                 "compress/gzip (kata shim, cloud-api-adaptor) refuses a name or comment of 512 "
                 "bytes or more (it reads them into a 512-byte buffer); flate2 (kata-types, "
                 "genpolicy, runtime-rs) and the kata-agent accept it");
    assert_int_equal(w.count, 0);
    assert_status(decode_warned(m, false, &w, &err), IDT_OK, &err);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.found, IDT_CODEC_FINDING_LONG_HEADER_STRING);
    assert_int_equal(w.warning[0].offset, 12);
    assert_string_equal(w.warning[0].message,
                        "gzip data byte 10: gzip header: the file name (FNAME) is 512 bytes; "
                        "accepted as flate2 (kata-types, genpolicy, runtime-rs) accepts it, but "
                        "Go's compress/gzip (kata shim, cloud-api-adaptor) refuses a name or "
                        "comment of 512 bytes or more (lenient decoding refuses it)");
    free(m.p);

    idt_codec_warnings_clear(&w);
    bytes c = member_with_string(false, 4000);
    assert_status(decode_warned(c, true, &w, &err), IDT_EFORMAT, &err);
    assert_error(&err, IDT_EFORMAT, 12, "the comment (FCOMMENT) is 4000 bytes: Go's");
    assert_status(decode_warned(c, false, &w, &err), IDT_OK, &err);
    assert_int_equal(w.count, 1);
    assert_non_null(strstr(w.warning[0].message, "the comment (FCOMMENT) is 4000 bytes;"));
    free(c.p);
}

/* Hostile gzip data inside an otherwise valid annotation. */
static void test_gzip__hostile_members(void **state)
{
    (void)state;
    bytes g = gzip_of(kata_doc, KATA_LEN);
    size_t trailer = g.n - 8;

    /* Bad CRC32: the offset is where the base64 of the trailer begins. */
    bytes c = concat((bytes){ NULL, 0 }, g.p, g.n);
    c.p[trailer] ^= 0xff;
    assert_gz_fails(c, false, IDT_EFORMAT, (long long)(trailer / 3 * 4), "gzip CRC32 mismatch");
    free(c.p);

    /* ISIZE that lies (CRC intact). */
    c = concat((bytes){ NULL, 0 }, g.p, g.n);
    put_le32(c.p + trailer + 4, 112);
    assert_gz_fails(c, false, IDT_EFORMAT, (long long)((trailer + 4) / 3 * 4),
                    "ISIZE mismatch: the trailer says 112 bytes, the data inflates to 113");
    free(c.p);

    /* Truncated: inside the trailer, then inside the deflate data. */
    c = concat((bytes){ NULL, 0 }, g.p, g.n - 3);
    assert_gz_fails(c, false, IDT_ETRUNC, (long long)(c.n / 3 * 4),
                    "gzip trailer truncated: 5 of its 8 bytes");
    c.n = 20;
    assert_gz_fails(c, false, IDT_EFORMAT, 12, "corrupt or truncated deflate data");
    free(c.p);

    /* Trailing garbage: rejected in both modes, naming both decoders. */
    c = concat((bytes){ NULL, 0 }, g.p, g.n);
    c = concat(c, "\0\0\0", 3);
    assert_gz_fails(c, false, IDT_EFORMAT, (long long)(g.n / 3 * 4),
                    "3 trailing bytes after the end of the gzip member");
    assert_gz_fails(c, true, IDT_EFORMAT, (long long)(g.n / 3 * 4), "Go decoders");
    free(c.p);

    /* Two members: strict rejects (naming both), lenient joins. */
    bytes second = gzip_of("# more\n", 7);
    c = concat((bytes){ NULL, 0 }, g.p, g.n);
    c = concat(c, second.p, second.n);
    assert_gz_fails(c, false, IDT_EFORMAT, (long long)(g.n / 3 * 4),
                    "a second gzip member starts here: the Go decoders (kata shim, "
                    "cloud-api-adaptor) join the members, the Rust decoders");
    char joined[KATA_LEN + 7];
    memcpy(joined, kata_doc, KATA_LEN);
    memcpy(joined + KATA_LEN, "# more\n", 7);
    assert_decodes(c, true, joined, sizeof joined);
    /* A broken second member is still an error when joining. */
    c.p[c.n - 1] ^= 1;
    assert_gz_fails(c, true, IDT_EFORMAT, (long long)((c.n - 4) / 3 * 4), "ISIZE mismatch");
    free(c.p);
    free(second.p);
    free(g.p);
}

static void test_gzip__bomb_is_bounded(void **state)
{
    (void)state;
    size_t big = (size_t)9 << 20; /* 9 MiB of spaces: ~9 KiB of gzip */
    char *zeros = malloc(big);
    assert_non_null(zeros);
    memset(zeros, ' ', big);
    bytes g = gzip_of(zeros, big);
    assert_true(g.n < 65536);
    assert_gz_fails(g, false, IDT_ELIMIT, 12,
                    "inflates to more than the limit of 8388608 bytes");
    /* ISIZE can lie low: still bounded, by growing and stopping at the cap. */
    put_le32(g.p + g.n - 4, 10);
    assert_gz_fails(g, false, IDT_ELIMIT, 12, "more than the limit");

    /* The bound itself: exactly max_decoded passes, one byte more fails. */
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    unsigned char *doc = NULL;
    size_t n = 0;
    idt_error err = { 0 };
    bytes small = gzip_of(zeros, 1000);
    o.max_decoded = 1000;
    assert_status(idt_codec_gunzip(&doc, &n, small.p, small.n, &o, &err), IDT_OK, &err);
    assert_int_equal(n, 1000);
    idt_free(doc);
    o.max_decoded = 999;
    assert_status(idt_codec_gunzip(&doc, &n, small.p, small.n, &o, &err), IDT_ELIMIT, &err);
    assert_error(&err, IDT_ELIMIT, 10, "more than the limit of 999 bytes");
    /* Joined members count together. */
    bytes two = concat((bytes){ NULL, 0 }, small.p, small.n);
    two = concat(two, small.p, small.n);
    o.lenient = true;
    o.max_decoded = 1999;
    assert_status(idt_codec_gunzip(&doc, &n, two.p, two.n, &o, &err), IDT_ELIMIT, &err);
    o.max_decoded = 2000;
    assert_status(idt_codec_gunzip(&doc, &n, two.p, two.n, &o, &err), IDT_OK, &err);
    assert_int_equal(n, 2000);
    idt_free(doc);
    free(two.p);
    free(small.p);
    free(g.p);
    free(zeros);
}

/* ---- the annotation ----------------------------------------------------------- */

static void test_annotation__encode_roundtrip(void **state)
{
    (void)state;
    char *a = NULL, *b = NULL;
    size_t an = 0, bn = 0;
    assert_status(idt_codec_encode(&a, &an, kata_doc, KATA_LEN, NULL, NULL), IDT_OK, NULL);
    assert_status(idt_codec_encode(&b, &bn, kata_doc, KATA_LEN, NULL, NULL), IDT_OK, NULL);
    assert_int_equal(an, strlen(a));
    assert_string_equal(a, b); /* deterministic */
    assert_memory_equal(a, "H4sIAAAAAAAA/", 13); /* base64 of 1f8b08000000000000ff */
    assert_null(strchr(a, '\n'));
    unsigned char *doc = NULL;
    size_t n = 0;
    assert_status(idt_codec_decode(&doc, &n, a, an, NULL, NULL), IDT_OK, NULL);
    assert_int_equal(n, KATA_LEN);
    assert_memory_equal(doc, kata_doc, KATA_LEN);
    idt_free(doc);
    idt_free(a);
    idt_free(b);

    /* Non-ASCII UTF-8 survives byte for byte. */
    static const char utf8[] = "k = \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x92\"\r\n";
    assert_status(idt_codec_encode(&a, &an, utf8, sizeof utf8 - 1, NULL, NULL), IDT_OK, NULL);
    assert_status(idt_codec_decode(&doc, &n, a, an, NULL, NULL), IDT_OK, NULL);
    assert_int_equal(n, sizeof utf8 - 1);
    assert_memory_equal(doc, utf8, n);
    idt_free(doc);
    idt_free(a);
}

static void test_annotation__base64_errors(void **state)
{
    (void)state;
    char *a = NULL;
    size_t an = 0;
    assert_status(idt_codec_encode(&a, &an, kata_doc, KATA_LEN, NULL, NULL), IDT_OK, NULL);
    /* One '=' short, like caa/doc-pod-annotation.b64 (strip one of "=="
     * or the lone "="). */
    size_t pads = a[an - 2] == '=' ? 2 : a[an - 1] == '=' ? 1 : 0;
    if (pads) {
        assert_annotation_fails(a, an - 1, NULL, IDT_ESYNTAX, (long long)an - 1,
                                "base64 is one '=' short");
        assert_annotation_fails(a, an - 1, NULL, IDT_ESYNTAX, (long long)an - 1,
                                "both the Go decoders (kata shim, cloud-api-adaptor) and the "
                                "Rust decoders (kata-agent/kata-types, genpolicy, runtime-rs) "
                                "reject it");
    }

    /* A line break: strict names who rejects and who accepts. */
    char *wrapped = malloc(an + 2);
    memcpy(wrapped, a, 20);
    wrapped[20] = '\r';
    wrapped[21] = '\n';
    memcpy(wrapped + 22, a + 20, an - 20);
    assert_annotation_fails(wrapped, an + 2, NULL, IDT_ESYNTAX, 20,
                            "base64 has a line break (\\r); the Rust decoders (kata-agent/"
                            "kata-types, genpolicy, runtime-rs) reject it; the Go decoders "
                            "(kata shim, cloud-api-adaptor) accept it");
    idt_codec_options lenient = IDT_CODEC_OPTIONS_INIT;
    lenient.lenient = true;
    unsigned char *doc = NULL;
    size_t n = 0;
    assert_status(idt_codec_decode(&doc, &n, wrapped, an + 2, &lenient, NULL), IDT_OK, NULL);
    assert_int_equal(n, KATA_LEN);
    idt_free(doc);

    /* A trailing newline is white space too. */
    memcpy(wrapped, a, an);
    wrapped[an] = '\n';
    assert_annotation_fails(wrapped, an + 1, NULL, IDT_ESYNTAX, (long long)an,
                            "line break (\\n)");
    /* URL-safe alphabet, and a character outside any. */
    wrapped[5] = '-';
    assert_annotation_fails(wrapped, an, NULL, IDT_ESYNTAX, 5,
                            "'-' is not a base64 character (URL-safe alphabet");
    wrapped[5] = '\x80';
    assert_annotation_fails(wrapped, an, NULL, IDT_ESYNTAX, 5, "byte 0x80 is not");
    free(wrapped);
    idt_free(a);

    /* Non-canonical: Go accepts, Rust rejects.  "Zh==" is 'f' with a stray bit. */
    assert_annotation_fails("Zh==", 4, NULL, IDT_ESYNTAX, 1,
                            "non-canonical base64: 'h' before the '=' padding");
    assert_annotation_fails("", 0, NULL, IDT_EFORMAT, 0,
                            "the annotation value is empty: runtime-rs treats an empty "
                            "annotation or document as \"no Init-Data\" and creates no device, "
                            "and the Go shim's annotation decoder panics on a value that decodes "
                            "to an empty document (a nil hash, as the algorithm is missing); to "
                            "send no Init-Data, leave the annotation out");
}

/* Empty documents: runtime-rs treats an empty annotation or document as
 * "no Init-Data" and creates no device; the Go shim's prepareInitdataMount
 * skips the image for one, and its annotation decoder panics on a value
 * that decodes to one (initdata-facts.md section 9). */
static void test_codec__empty_documents(void **state)
{
    (void)state;
    idt_error err = { 0 };
    char *a = (char *)1;
    unsigned char *img = (unsigned char *)1, *doc = NULL;
    size_t n = 7;

    assert_status(idt_codec_encode(&a, &n, "", 0, NULL, &err), IDT_ESCHEMA, &err);
    assert_null(a);
    assert_int_equal(n, 0);
    assert_error(&err, IDT_ESCHEMA, -1,
                 "the document is empty: runtime-rs treats an empty annotation or document as "
                 "\"no Init-Data\" and creates no device, and the Go shim's annotation decoder "
                 "panics on a value that decodes to an empty document (a nil hash, as the "
                 "algorithm is missing); to send no Init-Data, leave the annotation out");
    assert_status(idt_codec_encode(&a, &n, NULL, 0, NULL, &err), IDT_ESCHEMA, &err);
    assert_status(idt_image_encode(&img, &n, "", 0, NULL, &err), IDT_ESCHEMA, &err);
    assert_null(img);
    assert_error(&err, IDT_ESCHEMA, -1,
                 "the document is empty: no Kata runtime attaches such an image (runtime-rs "
                 "treats an empty annotation or document as \"no Init-Data\" and creates no "
                 "device; the Go shim's prepareInitdataMount skips the image for an empty "
                 "document)");

    /* gzip of nothing is valid gzip: the decoders refuse the document,
     * in both modes, after checking the gzip. */
    bytes e = gzip_of("", 0);
    assert_gz_fails(e, false, IDT_ESCHEMA, -1,
                    "the value decodes to an empty document: the Go shim's annotation decoder "
                    "panics on it (a nil hash, as the algorithm is missing), and runtime-rs "
                    "treats an empty annotation or document as \"no Init-Data\" and creates no "
                    "device");
    assert_gz_fails(e, true, IDT_ESCHEMA, -1, "decodes to an empty document");
    bytes bad = concat((bytes){ NULL, 0 }, e.p, e.n);
    bad.p[bad.n - 8] ^= 1;
    assert_gz_fails(bad, false, IDT_EFORMAT, (long long)((bad.n - 8) / 3 * 4), "CRC32");
    free(bad.p);
    /* Two empty members joined are still nothing. */
    bytes two = concat((bytes){ NULL, 0 }, e.p, e.n);
    two = concat(two, e.p, e.n);
    assert_gz_fails(two, true, IDT_ESCHEMA, -1, "decodes to an empty document");
    free(two.p);

    /* An image of it, laid out by hand. */
    bytes im = { NULL, 0 };
    unsigned char header[16] = { 'i', 'n', 'i', 't', 'd', 'a', 't', 'a', (unsigned char)e.n };
    im = concat(im, header, sizeof header);
    im = concat(im, e.p, e.n);
    while (im.n % 512)
        im = concat(im, "", 1);
    assert_status(idt_image_decode(&doc, &n, im.p, im.n, NULL, &err), IDT_ESCHEMA, &err);
    assert_null(doc);
    assert_error(&err, IDT_ESCHEMA, -1,
                 "the image holds an empty document: no Kata runtime attaches such an image "
                 "(runtime-rs treats an empty annotation or document as \"no Init-Data\" and "
                 "creates no device; the Go shim's prepareInitdataMount skips the image for an "
                 "empty document)");
    free(im.p);
    free(e.p);
}

static void test_annotation__not_gzip(void **state)
{
    (void)state;
    char *a = base64_of(kata_doc, KATA_LEN); /* base64 without gzip */
    assert_annotation_fails(a, strlen(a), NULL, IDT_EFORMAT, 0,
                            "not gzip (first bytes 76 65, not 1f 8b)");
    assert_annotation_fails(a, strlen(a), NULL, IDT_EFORMAT, 0, "un-gzipped base64");
    free(a);
}

static void test_annotation__text_rules(void **state)
{
    (void)state;
    static const struct {
        const char *doc;
        size_t len;
        const char *part;
    } cases[] = {
        { "a = 1\nb = \"\xff\"\n", 14, "not valid UTF-8 at byte 11 (line 2, column 6, byte 0xff)" },
        { "k = \"\xc0\x80\"", 8, "at byte 5 (line 1, column 6, byte 0xc0): overlong" },
        { "k = \"\xe0\x80\x80\"", 9, "overlong encoding" },
        { "k = \"\xed\xa0\x80\"", 9, "UTF-16 surrogate" },
        { "k = \"\xf4\x90\x80\x80\"", 10, "above U+10FFFF" },
        { "k = \"\xf5\x80\x80\x80\"", 10, "never occurs in UTF-8" },
        { "k = \"\x80\"", 6, "a continuation byte where a character should start" },
        { "k = \"\xe2\x82\"", 8, "cut short" },
        { "k = \xe2\x82", 6, "cut off by the end" },
        { "x\n\ny = \"a\0b\"", 12, "NUL byte at byte 9 (line 3, column 7): TOML forbids NUL" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bytes g = gzip_of(cases[i].doc, cases[i].len);
        assert_gz_fails(g, false, IDT_EFORMAT, -1, cases[i].part);
        assert_gz_fails(g, true, IDT_EFORMAT, -1, cases[i].part);
        free(g.p);
        /* encode refuses what decode would refuse */
        char *a = NULL;
        size_t an = 0;
        idt_error err = { 0 };
        assert_status(idt_codec_encode(&a, &an, cases[i].doc, cases[i].len, NULL, &err),
                      IDT_EFORMAT, &err);
        assert_error(&err, IDT_EFORMAT, -1, cases[i].part);
        assert_null(a);
    }
}

static void test_annotation__limits_and_arguments(void **state)
{
    (void)state;
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    idt_error err = { 0 };
    char *a = NULL;
    size_t an = 0;
    unsigned char *doc = NULL;
    size_t n = 0;

    /* The annotation bound: default 262144, checked before decoding. */
    char *big = malloc(262145);
    memset(big, 'A', 262145);
    assert_annotation_fails(big, 262145, NULL, IDT_ELIMIT, 262144,
                            "the annotation value is 262145 bytes, above the limit of 262144");
    o.max_encoded = 262145;
    assert_annotation_fails(big, 262145, &o, IDT_ESYNTAX, 262144, "lone final character");
    free(big);

    /* Encoding: above max_encoded or max_decoded. */
    o = (idt_codec_options)IDT_CODEC_OPTIONS_INIT;
    o.max_encoded = 20;
    assert_status(idt_codec_encode(&a, &an, kata_doc, KATA_LEN, &o, &err), IDT_ELIMIT, &err);
    assert_error(&err, IDT_ELIMIT, -1, "above the limit of 20");
    o = (idt_codec_options)IDT_CODEC_OPTIONS_INIT;
    o.max_decoded = 112;
    assert_status(idt_codec_encode(&a, &an, kata_doc, KATA_LEN, &o, &err), IDT_ELIMIT, &err);
    assert_error(&err, IDT_ELIMIT, -1, "the document is 113 bytes, above the limit of 112");
    assert_null(a);

    /* Options version and NULL arguments. */
    o = (idt_codec_options)IDT_CODEC_OPTIONS_INIT;
    o.version = 99;
    assert_status(idt_codec_decode(&doc, &n, "x", 1, &o, &err), IDT_EINVAL, &err);
    assert_error(&err, IDT_EINVAL, -1, "version is 99");
    assert_status(idt_codec_encode(NULL, &an, "x", 1, NULL, NULL), IDT_EINVAL, NULL);
    assert_status(idt_codec_decode(&doc, &n, NULL, 3, NULL, NULL), IDT_EINVAL, NULL);
    assert_status(idt_codec_gunzip(&doc, NULL, "x", 1, NULL, NULL), IDT_EINVAL, NULL);
    assert_status(idt_image_decode(&doc, &n, NULL, 512, NULL, NULL), IDT_EINVAL, NULL);
    /* The error record keeps the caller's source. */
    err.source = "pod.b64";
    assert_status(idt_codec_decode(&doc, &n, "Zg=", 3, NULL, &err), IDT_ESYNTAX, &err);
    assert_string_equal(err.source, "pod.b64");
    char text[IDT_ERROR_MESSAGE_MAX + 64];
    idt_error_format(text, sizeof text, &err);
    assert_non_null(strstr(text, "pod.b64: error: at byte 3: base64 is one '=' short"));
}

static void test_annotation__shared_vectors(void **state)
{
    (void)state;
    size_t len = 0, n = 0;
    unsigned char *doc = NULL;
    idt_error err = { 0 };
    /* Skipped without the shared test data; with it, each file must be there. */
    char *a = idt_test_read_shared("kata/runtime-utils-test.annotation.b64", &len);
    assert_status(idt_codec_decode(&doc, &n, a, len, NULL, &err), IDT_OK, &err);
    assert_int_equal(n, KATA_LEN);
    assert_memory_equal(doc, kata_doc, KATA_LEN);
    idt_free(doc);
    free(a);

    a = idt_test_read_shared("caa/doc-pod-annotation.b64", &len);
    assert_annotation_fails(a, len, NULL, IDT_ESYNTAX, 3643, "base64 is one '=' short");
    free(a);

    a = idt_test_read_shared("kata/agent-testdata-initdata.img", &len);
    assert_status(idt_image_decode(&doc, &n, a, len, NULL, &err), IDT_OK, &err);
    assert_int_equal(n, 12);
    assert_memory_equal(doc, "some content", 12);
    idt_free(doc);
    free(a);
}

/* ---- the image ------------------------------------------------------------------ */

static bytes image_of(const char *doc, size_t len)
{
    bytes img = { NULL, 0 };
    assert_status(idt_image_encode(&img.p, &img.n, doc, len, NULL, NULL), IDT_OK, NULL);
    return img;
}

static void assert_image_fails(const bytes img, int code, long long offset, const char *part)
{
    idt_error err = { 0 };
    unsigned char *doc = (unsigned char *)1;
    size_t n = 5;
    assert_int_equal(idt_image_decode(&doc, &n, img.p, img.n, NULL, &err), code);
    assert_null(doc);
    assert_error(&err, code, offset, part);
}

/* Pseudo-random printable ASCII (xorshift32): compresses poorly. */
static void fill_printable(char *p, size_t n)
{
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (char)('!' + x % 90);
    }
}

static void test_image__layout_and_roundtrip(void **state)
{
    (void)state;
    bytes img = image_of("some content", 12);
    bytes gz = gzip_of("some content", 12);
    assert_int_equal(img.n, 512);
    assert_memory_equal(img.p, "initdata", 8);
    unsigned char le[8] = { 0 };
    put_le32(le, (uint32_t)gz.n);
    assert_memory_equal(img.p + 8, le, 8);
    assert_memory_equal(img.p + 16, gz.p, gz.n);
    for (size_t i = 16 + gz.n; i < 512; i++)
        assert_int_equal(img.p[i], 0);
    unsigned char *doc = NULL;
    size_t n = 0;
    assert_status(idt_image_decode(&doc, &n, img.p, img.n, NULL, NULL), IDT_OK, NULL);
    assert_int_equal(n, 12);
    assert_memory_equal(doc, "some content", 12);
    idt_free(doc);
    free(img.p);
    free(gz.p);

    /* Exactly 512 - 16 bytes of gzip: no padding at all.  Pseudo-random
     * printable text grows the gzip by about one byte per character, so
     * some length hits 496. */
    char text[900];
    bool found = false;
    for (size_t len = 400; len < sizeof text && !found; len++) {
        fill_printable(text, len);
        gz = gzip_of(text, len);
        size_t gn = gz.n;
        free(gz.p);
        if (gn == 496) {
            img = image_of(text, len);
            assert_int_equal(img.n, 512);
            assert_status(idt_image_decode(&doc, &n, img.p, img.n, NULL, NULL), IDT_OK, NULL);
            assert_int_equal(n, len);
            idt_free(doc);
            free(img.p);
            found = true;
        }
    }
    assert_true(found);
    /* A larger document spans several sectors. */
    char *many = malloc(5000);
    assert_non_null(many);
    fill_printable(many, 5000);
    img = image_of(many, 5000);
    assert_int_equal(img.n % 512, 0);
    assert_true(img.n > 512);
    assert_status(idt_image_decode(&doc, &n, img.p, img.n, NULL, NULL), IDT_OK, NULL);
    assert_memory_equal(doc, many, 5000);
    idt_free(doc);
    free(img.p);
    free(many);
}

static void test_image__hostile(void **state)
{
    (void)state;
    bytes img = image_of("some content", 12);
    uint32_t gn = (uint32_t)(img.p[8] | img.p[9] << 8);

    img.p[0] = 'I';
    assert_image_fails(img, IDT_EFORMAT, 0, "bad magic: expected \"initdata\", found \"Initdata\"");
    img.p[0] = 0;
    assert_image_fails(img, IDT_EFORMAT, 0, "found \"\\x00nitdata\"");
    img.p[0] = 'i';

    put_le32(img.p + 8, 497); /* 16 + 497 > 512 */
    assert_image_fails(img, IDT_ETRUNC, 8,
                       "the gzip length N = 497 runs past the end of the image: 16 + N = 513, "
                       "but the image is 512 bytes");
    img.p[15] = 0x80; /* N >= 2^63 */
    assert_image_fails(img, IDT_ETRUNC, 8, "runs past the end");
    img.p[15] = 0;
    put_le32(img.p + 8, gn);

    img.p[300] = 1;
    assert_image_fails(img, IDT_EFORMAT, 300,
                       "non-zero byte 0x01 in the padding after the gzip data (which ends at "
                       "byte");
    img.p[300] = 0;

    bytes cut = { img.p, 500 };
    assert_image_fails(cut, IDT_EFORMAT, 500, "the image is 500 bytes, not a multiple of 512");
    cut.n = 10;
    assert_image_fails(cut, IDT_ETRUNC, 10, "shorter than its 16-byte header");

    /* gzip errors carry image offsets. */
    img.p[16 + gn - 8] ^= 0xff;
    assert_image_fails(img, IDT_EFORMAT, 16 + gn - 8, "gzip CRC32 mismatch");
    img.p[16 + gn - 8] ^= 0xff;
    /* N shorter than the gzip: the rest is padding that is not zero (the
     * first ISIZE byte, 12). */
    put_le32(img.p + 8, gn - 4);
    assert_image_fails(img, IDT_EFORMAT, 16 + gn - 4, "non-zero byte 0x0c in the padding");
    put_le32(img.p + 8, gn);

    /* The limit on N, and the device-size check. */
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    idt_error err = { 0 };
    uint64_t n = 0;
    o.max_encoded = gn - 1;
    assert_status(idt_image_check_header(&n, img.p, 16, 1 << 20, &o, &err), IDT_ELIMIT, &err);
    assert_error(&err, IDT_ELIMIT, 8, "above the limit");
    assert_status(idt_image_check_header(&n, img.p, 16, 1 << 20, NULL, &err), IDT_OK, &err);
    assert_int_equal(n, gn);
    assert_status(idt_image_check_header(&n, img.p, 16, 16 + gn - 1, NULL, &err), IDT_ETRUNC, &err);
    assert_status(idt_image_check_header(&n, img.p, 15, 512, NULL, &err), IDT_ETRUNC, &err);
    /* Extra zero sectors (a larger disk) are padding too. */
    bytes bigger = concat((bytes){ NULL, 0 }, img.p, img.n);
    unsigned char zero[512] = { 0 };
    bigger = concat(bigger, zero, 512);
    unsigned char *doc = NULL;
    size_t dn = 0;
    assert_status(idt_image_decode(&doc, &dn, bigger.p, bigger.n, NULL, NULL), IDT_OK, NULL);
    idt_free(doc);
    free(bigger.p);
    free(img.p);
}

/* The kata-agent's image reader (async-compression) ignores the reserved
 * FLG bits and fails on FHCRC: its header parser never consumes the two
 * CRC16 bytes, so inflate sees them ("deflate decompression error";
 * initdata-facts.md section 9). */
static bytes image_with_gzip(const bytes gz)
{
    bytes img = { NULL, 0 };
    unsigned char header[16] = { 'i', 'n', 'i', 't', 'd', 'a', 't', 'a' };
    put_le32(header + 8, (uint32_t)gz.n);
    img = concat(img, header, sizeof header);
    img = concat(img, gz.p, gz.n);
    while (img.n % 512)
        img = concat(img, "", 1);
    return img;
}

static void test_image__agent_header_rules(void **state)
{
    (void)state;
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    idt_codec_warnings w;
    idt_error err = { 0 };
    unsigned char *doc = NULL;
    size_t n = 0;

    /* FHCRC, even with a correct CRC16: refused at the flag byte. */
    bytes hc = member_with_header(kata_doc, 2, NULL, NULL, false);
    bytes img = image_with_gzip(hc);
    assert_image_fails(img, IDT_EFORMAT, 19,
                       "gzip header: FHCRC (flag 0x02) is set: the kata-agent cannot read this "
                       "image, as async-compression does not consume the 2-byte header CRC16 "
                       "and inflate fails on it (\"deflate decompression error\"); Go's "
                       "compress/gzip (kata shim, cloud-api-adaptor) and flate2 accept FHCRC, "
                       "but no Kata runtime writes it");
    o.lenient = true; /* joining members changes nothing here */
    assert_status(idt_image_decode(&doc, &n, img.p, img.n, &o, &err), IDT_EFORMAT, &err);
    assert_null(doc);
    free(img.p);
    /* The same member is fine in an annotation, for both decoders. */
    assert_decodes(hc, false, kata_doc, KATA_LEN);
    assert_decodes(hc, true, kata_doc, KATA_LEN);
    free(hc.p);

    /* Reserved bits: accepted, with a warning at the image offset. */
    bytes r = gzip_of(kata_doc, KATA_LEN);
    r.p[3] = 0x80;
    img = image_with_gzip(r);
    idt_codec_warnings_clear(&w);
    o = (idt_codec_options)IDT_CODEC_OPTIONS_INIT;
    o.warnings = &w;
    assert_status(idt_image_decode(&doc, &n, img.p, img.n, &o, &err), IDT_OK, &err);
    assert_int_equal(n, KATA_LEN);
    assert_memory_equal(doc, kata_doc, KATA_LEN);
    idt_free(doc);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.found, IDT_CODEC_FINDING_RESERVED_FLAGS);
    assert_int_equal(w.warning[0].offset, 19);
    assert_string_equal(w.warning[0].message,
                        "gzip header: reserved flag bits 0x80 are set; accepted as the "
                        "kata-agent accepts them (async-compression ignores them, as Go's "
                        "compress/gzip does), but flate2 (kata-types, runtime-rs) rejects them "
                        "and RFC 1952 says a reader must");
    /* A long FNAME is the agent's business only: no warning. */
    free(img.p);
    bytes named = member_with_string(true, 600);
    img = image_with_gzip(named);
    idt_codec_warnings_clear(&w);
    assert_status(idt_image_decode(&doc, &n, img.p, img.n, &o, &err), IDT_OK, &err);
    idt_free(doc);
    assert_int_equal(w.count, 0);
    /* A failing read keeps the warnings about the bytes before the error. */
    free(img.p);
    bytes bad = concat((bytes){ NULL, 0 }, r.p, r.n);
    bad.p[bad.n - 8] ^= 1; /* CRC32 */
    img = image_with_gzip(bad);
    assert_status(idt_image_decode(&doc, &n, img.p, img.n, &o, &err), IDT_EFORMAT, &err);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.warning[0].offset, 19);
    free(img.p);
    free(bad.p);
    free(named.p);
    free(r.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64__rfc4648_vectors),
        cmocka_unit_test(test_base64__faults),
        cmocka_unit_test(test_base64__go_rules),
        cmocka_unit_test(test_gzip__deterministic_header_and_trailer),
        cmocka_unit_test(test_gzip__every_header_field),
        cmocka_unit_test(test_gzip__header_errors),
        cmocka_unit_test(test_gzip__reserved_flags_by_consumer),
        cmocka_unit_test(test_gzip__long_header_strings_by_consumer),
        cmocka_unit_test(test_gzip__hostile_members),
        cmocka_unit_test(test_gzip__bomb_is_bounded),
        cmocka_unit_test(test_annotation__encode_roundtrip),
        cmocka_unit_test(test_annotation__base64_errors),
        cmocka_unit_test(test_annotation__not_gzip),
        cmocka_unit_test(test_codec__empty_documents),
        cmocka_unit_test(test_annotation__text_rules),
        cmocka_unit_test(test_annotation__limits_and_arguments),
        cmocka_unit_test(test_annotation__shared_vectors),
        cmocka_unit_test(test_image__layout_and_roundtrip),
        cmocka_unit_test(test_image__hostile),
        cmocka_unit_test(test_image__agent_header_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
