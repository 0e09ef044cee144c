/* UTF-8 well-formedness, one definition for the whole library: Unicode's
 * table 3-7 (RFC 3629), which is what TOML, Rust's str::from_utf8 and
 * Python's decoder accept: no overlong forms, no surrogates, nothing above
 * U+10FFFF. */
#ifndef IDT_UTIL_UTF8_H
#define IDT_UTIL_UTF8_H

#include <stddef.h>

/*
 * Length (1-4) of the well-formed sequence at s[0..n), n >= 1; or 0 when it
 * is not one, with *why (when why is not NULL) set to a phrase for messages
 * ("overlong encoding", "an encoded UTF-16 surrogate", ...).
 */
size_t idtx_utf8_seq(const unsigned char *s, size_t n, const char **why);

#endif
