/* Quoting untrusted text for error messages: a key or value from a document
 * may hold control characters, a terminal escape, bytes that are not UTF-8
 * or megabytes of text, and a message must stay one readable, bounded line
 * of UTF-8.  The one helper for "show this key, name or string in a
 * message" in the library. */
#ifndef IDT_UTIL_QUOTE_H
#define IDT_UTIL_QUOTE_H

#include <stddef.h>

/* Enough for a quoted text of IDTX_QUOTE_KEEP source bytes, every one
 * escaped as \xNN, plus the quotes, "..." and the NUL. */
#define IDTX_QUOTE_KEEP 48
#define IDTX_QUOTE_MAX (IDTX_QUOTE_KEEP * 4 + 8)

/*
 * Writes s (len bytes; any bytes) into dst (IDTX_QUOTE_MAX bytes) between
 * double quotes: '"' and '\\' get a backslash, control bytes and DEL become
 * \n, \t, \r or \xNN, well-formed UTF-8 is copied, and every other byte
 * (one that is not part of a well-formed sequence) becomes \xNN.  After
 * IDTX_QUOTE_KEEP bytes the text is cut at a character boundary and "..."
 * follows the closing quote.  Returns dst, which the caller owns.
 */
char *idtx_quote(char dst[IDTX_QUOTE_MAX], const char *s, size_t len);

#endif
