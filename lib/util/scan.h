/* Wide scanners: finding the next byte that needs a closer look in long
 * runs of text (a TOML string or comment) and in base64, 16 bytes at a
 * time with the vector registers the target always has (SSE2 on x86-64,
 * NEON on arm64), or 8 at a time in a 64-bit register (SWAR) elsewhere.
 *
 * Which one idtx_scan_text and idtx_base64_quanta use is chosen when the
 * library is built: the CMake option IDT_SIMD (default ON) takes the
 * vector code where the target has it; OFF builds the portable code only.
 * The portable versions are always compiled, under their own names, so
 * that a unit test compares the two on the same inputs in every build
 * (tests/unit/test_util_scan.c), and `make test` also runs the TOML tests
 * on a build with IDT_SIMD=OFF. */
#ifndef IDT_UTIL_SCAN_H
#define IDT_UTIL_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* idtx_scan_text flag: a line feed is not a stop; it is counted. */
#define IDTX_SCAN_LF 1u

/*
 * Returns the offset of the first byte of s[i..n) that is a control
 * character other than tab (other than tab and LF with IDTX_SCAN_LF),
 * DEL, a byte of 0x80 or above, stop1 or stop2; n when there is none.
 * With IDTX_SCAN_LF, every LF before that offset adds one to *lines and
 * sets *line_start to the offset just after it (lines and line_start are
 * not read or written without the flag, and may then be NULL).  With the
 * flag, neither stop may be LF.
 */
size_t idtx_scan_text(const char *s, size_t i, size_t n, unsigned char stop1,
                      unsigned char stop2, unsigned flags, uint32_t *lines, size_t *line_start);

/* The same, always the portable code. */
size_t idtx_scan_text_portable(const char *s, size_t i, size_t n, unsigned char stop1,
                               unsigned char stop2, unsigned flags, uint32_t *lines,
                               size_t *line_start);

/* The offset of the first byte of s[i..n) that is NUL or 0x80 and above
 * (where a text check must look closer: UTF-8, or a NUL); n when none. */
size_t idtx_scan_ascii(const char *s, size_t i, size_t n);

/* The same, always the portable code. */
size_t idtx_scan_ascii_portable(const char *s, size_t i, size_t n);

/*
 * Decodes the longest prefix of src[0..n) made of whole quanta of four
 * symbols of the standard base64 alphabet (A-Z a-z 0-9 + /) into dst,
 * three bytes per quantum, and returns how many symbols that was (a
 * multiple of 4).  It stops before the first quantum that holds anything
 * else ('=', a line break, a bad byte), which the caller then reads
 * carefully.  dst must have room for n / 4 * 3 bytes.
 */
size_t idtx_base64_quanta(unsigned char *dst, const char *src, size_t n);

/* The same, always the portable code. */
size_t idtx_base64_quanta_portable(unsigned char *dst, const char *src, size_t n);

/* The code idtx_scan_text and idtx_base64_quanta run: "sse2", "neon" or
 * "portable" (static storage). */
const char *idtx_scan_impl(void);

#endif
