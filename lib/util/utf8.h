/* UTF-8 well-formedness, one definition for the whole library: Unicode's
 * table 3-7 (RFC 3629), which is what TOML, Rust's str::from_utf8 and
 * Python's decoder accept: no overlong forms, no surrogates, nothing above
 * U+10FFFF.  The decoder and the encoder below agree with it. */
#ifndef IDT_UTIL_UTF8_H
#define IDT_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length (1-4) of the well-formed sequence at s[0..n), n >= 1; or 0 when it
 * is not one, with *why (when why is not NULL) set to a phrase for messages
 * ("overlong encoding", "an encoded UTF-16 surrogate", ...).
 */
size_t idtx_utf8_seq(const unsigned char *s, size_t n, const char **why);

/*
 * Decodes the character at s[0..n), n >= 1: returns its length (1-4) and
 * sets *cp, or returns 0 (and leaves *cp alone) when the bytes are not a
 * well-formed sequence (the same judgement as idtx_utf8_seq).
 */
size_t idtx_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Bytes (1-4) that idtx_utf8_encode writes for cp.  cp must be a Unicode
 * scalar value (at most U+10FFFF, not a surrogate): callers check it. */
size_t idtx_utf8_encoded_len(uint32_t cp);

/* Writes scalar value cp as UTF-8 into dst (no NUL) and returns the number
 * of bytes written, idtx_utf8_encoded_len(cp) (at most 4). */
size_t idtx_utf8_encode(char *dst, uint32_t cp);

#endif
