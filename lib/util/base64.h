/*
 * Standard base64 (RFC 4648 section 4: alphabet A-Z a-z 0-9 + /, '=' padding).
 *
 * Internal helpers (idtx_ prefix): the library, the tool and the tests may use
 * them; there is no ABI promise.  Nothing here allocates.
 *
 * Decoding is strict by default, the way the Rust `base64` crate's STANDARD
 * engine decodes (used by kata-types, genpolicy, runtime-rs): no whitespace,
 * padding required, canonical padding, zero trailing bits.  Flags relax it
 * toward Go's encoding/base64 StdEncoding (kata shim, cloud-api-adaptor):
 * CR and LF are skipped anywhere, and non-zero trailing bits are ignored.
 * A failure is described by an idtx_base64_fault (what and at which byte)
 * so that callers can build their own message.
 */
#ifndef IDT_UTIL_BASE64_H
#define IDT_UTIL_BASE64_H

#include <stddef.h>

/* Length of the padded encoding of n bytes, without a terminating NUL.
 * Returns 0 when the length would overflow size_t (and for n == 0). */
size_t idtx_base64_encoded_len(size_t n);

/* Encodes n bytes of src into dst, padded, on one line, and writes a
 * terminating NUL.  dst must hold idtx_base64_encoded_len(n) + 1 bytes.
 * Returns the number of characters written (without the NUL). */
size_t idtx_base64_encode(char *dst, const void *src, size_t n);

/* An upper bound of the decoded size of n input characters (never less than
 * what idtx_base64_decode writes, whatever the flags). */
size_t idtx_base64_decoded_max(size_t n);

/* Decoding flags. */
#define IDTX_BASE64_SKIP_CRLF 0x1u           /* ignore '\r' and '\n' (Go) */
#define IDTX_BASE64_ALLOW_TRAILING_BITS 0x2u /* ignore non-zero pad bits (Go) */
#define IDTX_BASE64_GO (IDTX_BASE64_SKIP_CRLF | IDTX_BASE64_ALLOW_TRAILING_BITS)

typedef enum idtx_base64_fault_kind {
    IDTX_BASE64_OK = 0,
    IDTX_BASE64_BAD_CHAR,        /* byte outside the alphabet (byte, offset) */
    IDTX_BASE64_LINE_BREAK,      /* '\r' or '\n' while not skipping them */
    IDTX_BASE64_SPACE,           /* ' ', '\t', '\f', '\v' */
    IDTX_BASE64_MISSING_PADDING, /* input ends inside a quantum; `missing`
                                    '=' would complete it (offset = end) */
    IDTX_BASE64_LONE_SYMBOL,     /* a quantum with only one symbol: no padding
                                    can make it valid */
    IDTX_BASE64_BAD_PADDING,     /* '=' in the first or second place of a
                                    quantum, or a third '=' */
    IDTX_BASE64_AFTER_PADDING,   /* a symbol after the final '=' */
    IDTX_BASE64_TRAILING_BITS    /* the last symbol before '=' has non-zero
                                    unused bits: not the canonical encoding */
} idtx_base64_fault_kind;

typedef struct idtx_base64_fault {
    idtx_base64_fault_kind kind;
    size_t offset;         /* byte offset of the offending character */
    unsigned char byte;    /* the offending byte (BAD_CHAR, LINE_BREAK, SPACE) */
    unsigned missing;      /* MISSING_PADDING: how many '=' are missing (1, 2) */
} idtx_base64_fault;

/*
 * Decodes n characters of src into dst (capacity idtx_base64_decoded_max(n)).
 * flags: 0 (strict) or IDTX_BASE64_* bits.
 * Returns 0 and sets *dst_len on success; -1 on invalid input, with *fault
 * describing the first problem (fault may be NULL).  dst may hold partial
 * output after a failure.
 */
int idtx_base64_decode(unsigned char *dst, size_t *dst_len, const char *src, size_t n,
                       unsigned flags, idtx_base64_fault *fault);

/* A short English description of a fault kind ("missing '=' padding"). */
const char *idtx_base64_fault_str(idtx_base64_fault_kind kind);

#endif /* IDT_UTIL_BASE64_H */
