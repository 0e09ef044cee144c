/* Standard base64 with strict (Rust) and relaxed (Go) decoding; see base64.h. */
#include "util/base64.h"
#include "util/scan.h"

#include <stdint.h>

static const char alphabet[64] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t idtx_base64_encoded_len(size_t n)
{
    size_t groups = n / 3 + (n % 3 != 0);
    if (groups > SIZE_MAX / 4 - 1) /* keep room for the caller's NUL */
        return 0;
    return groups * 4;
}

size_t idtx_base64_encode(char *dst, const void *src, size_t n)
{
    const unsigned char *s = src;
    size_t o = 0, i = 0;

    for (; n - i >= 3; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        dst[o++] = alphabet[v >> 18];
        dst[o++] = alphabet[(v >> 12) & 63];
        dst[o++] = alphabet[(v >> 6) & 63];
        dst[o++] = alphabet[v & 63];
    }
    if (n - i > 0) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (n - i == 2)
            v |= (uint32_t)s[i + 1] << 8;
        dst[o++] = alphabet[v >> 18];
        dst[o++] = alphabet[(v >> 12) & 63];
        dst[o++] = n - i == 2 ? alphabet[(v >> 6) & 63] : '=';
        dst[o++] = '=';
    }
    dst[o] = '\0';
    return o;
}

size_t idtx_base64_decoded_max(size_t n)
{
    return n / 4 * 3 + 3;
}

/* The 6-bit value of c, or -1 when c is not in the alphabet. */
static int symbol_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decodes whole quanta of four alphabet symbols from src[*i..n) into
 * dst[*o..), stopping before the first quantum that holds anything else
 * ('=', a line break, a bad byte: the careful loop's business).  The wide
 * scanner (scan.h) does the work. */
static void decode_plain_quanta(unsigned char *dst, size_t *o, const unsigned char *src,
                                size_t *i, size_t n)
{
    size_t used = idtx_base64_quanta(dst + *o, (const char *)src + *i, n - *i);
    *i += used;
    *o += used / 4 * 3;
}

static int fail(idtx_base64_fault *fault, idtx_base64_fault_kind kind, size_t offset,
                unsigned char byte, unsigned missing)
{
    if (fault) {
        fault->kind = kind;
        fault->offset = offset;
        fault->byte = byte;
        fault->missing = missing;
    }
    return -1;
}

/* Decoder state across one quantum of four symbols. */
typedef struct quantum {
    uint32_t bits;     /* symbols so far, 6 bits each */
    unsigned symbols;  /* 0..3 between calls */
    unsigned pads;     /* '=' seen in this quantum */
    size_t last_at;    /* offset of the last symbol */
    int last_value;
    int done;          /* the final, padded quantum is complete */
} quantum;

/* Writes the bytes of a padded final quantum, checking the unused bits. */
static int finish_padded(quantum *q, unsigned char *dst, size_t *o, unsigned flags,
                         idtx_base64_fault *fault)
{
    unsigned unused_mask = q->symbols == 2 ? 0x0f : 0x03;
    uint32_t v = q->bits << (6 * (4 - q->symbols));

    if ((q->last_value & (int)unused_mask) && !(flags & IDTX_BASE64_ALLOW_TRAILING_BITS))
        return fail(fault, IDTX_BASE64_TRAILING_BITS, q->last_at,
                    (unsigned char)alphabet[q->last_value], 0);
    dst[(*o)++] = (unsigned char)(v >> 16);
    if (q->symbols == 3)
        dst[(*o)++] = (unsigned char)(v >> 8);
    q->done = 1;
    return 0;
}

static int on_pad(quantum *q, size_t i, unsigned char *dst, size_t *o, unsigned flags,
                  idtx_base64_fault *fault)
{
    if (q->done || q->symbols < 2)
        return fail(fault, IDTX_BASE64_BAD_PADDING, i, '=', 0);
    q->pads++;
    if (q->symbols + q->pads == 4)
        return finish_padded(q, dst, o, flags, fault);
    return 0;
}

static int on_symbol(quantum *q, int v, size_t i, unsigned char *dst, size_t *o,
                     idtx_base64_fault *fault)
{
    if (q->done || q->pads)
        return fail(fault, IDTX_BASE64_AFTER_PADDING, i, (unsigned char)alphabet[v], 0);
    q->bits = q->bits << 6 | (uint32_t)v;
    q->last_at = i;
    q->last_value = v;
    if (++q->symbols == 4) {
        dst[(*o)++] = (unsigned char)(q->bits >> 16);
        dst[(*o)++] = (unsigned char)(q->bits >> 8);
        dst[(*o)++] = (unsigned char)q->bits;
        q->bits = 0;
        q->symbols = 0;
    }
    return 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

int idtx_base64_decode(unsigned char *dst, size_t *dst_len, const char *src, size_t n,
                       unsigned flags, idtx_base64_fault *fault)
{
    quantum q = {0, 0, 0, 0, 0, 0};
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        /* Between quanta, runs of plain symbols take the fast path. */
        if (q.symbols == 0 && !q.pads && !q.done) {
            size_t from = i;
            decode_plain_quanta(dst, &o, (const unsigned char *)src, &i, n);
            if (i > from) {
                q.last_at = i - 1;
                q.last_value = symbol_value((unsigned char)src[i - 1]);
            }
            if (i >= n)
                break;
        }
        unsigned char c = (unsigned char)src[i];
        int v, rc;

        if (c == '\r' || c == '\n') {
            if (flags & IDTX_BASE64_SKIP_CRLF)
                continue;
            return fail(fault, IDTX_BASE64_LINE_BREAK, i, c, 0);
        }
        if (is_space(c))
            return fail(fault, IDTX_BASE64_SPACE, i, c, 0);
        if (c == '=') {
            rc = on_pad(&q, i, dst, &o, flags, fault);
        } else if ((v = symbol_value(c)) >= 0) {
            rc = on_symbol(&q, v, i, dst, &o, fault);
        } else {
            return fail(fault, IDTX_BASE64_BAD_CHAR, i, c, 0);
        }
        if (rc < 0)
            return rc;
    }
    if (!q.done && q.symbols == 1)
        return fail(fault, IDTX_BASE64_LONE_SYMBOL, q.last_at,
                    (unsigned char)alphabet[q.last_value], 0);
    if (!q.done && q.symbols > 0)
        return fail(fault, IDTX_BASE64_MISSING_PADDING, n, 0, 4 - q.symbols - q.pads);
    *dst_len = o;
    if (fault)
        fault->kind = IDTX_BASE64_OK;
    return 0;
}

const char *idtx_base64_fault_str(idtx_base64_fault_kind kind)
{
    switch (kind) {
    case IDTX_BASE64_OK: return "no error";
    case IDTX_BASE64_BAD_CHAR: return "character outside the base64 alphabet";
    case IDTX_BASE64_LINE_BREAK: return "line break inside base64";
    case IDTX_BASE64_SPACE: return "white space inside base64";
    case IDTX_BASE64_MISSING_PADDING: return "missing '=' padding at the end";
    case IDTX_BASE64_LONE_SYMBOL: return "truncated base64: a lone final character";
    case IDTX_BASE64_BAD_PADDING: return "misplaced '=' padding";
    case IDTX_BASE64_AFTER_PADDING: return "base64 data after '=' padding";
    case IDTX_BASE64_TRAILING_BITS:
        return "non-canonical base64: non-zero unused bits before the padding";
    }
    return "invalid base64";
}
