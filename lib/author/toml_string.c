/* Writing any UTF-8 content as a TOML 1.0 string (author.h explains the
 * choice of form; this file implements it). */
#include "author_int.h"
#include "util/error_int.h"

#include <stdint.h>

/* True when s fits in a multi-line literal string and reads back
 * unchanged: only tab, LF and printable bytes (UTF-8 sequences are >=
 * 0x80 and already validated), no ''' anywhere, no ' at the end. */
static bool literal_fits(const unsigned char *s, size_t len)
{
    if (len && s[len - 1] == '\'')
        return false;
    unsigned run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c == '\'') {
            if (++run == 3)
                return false;
            continue;
        }
        run = 0;
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
            return false;
    }
    return true;
}

/* The escape for a control character or DEL, using only TOML 1.0's
 * escapes: the short ones where they exist, else \u00XX. */
static int put_control(idtx_buf *b, unsigned char c, idt_error *err)
{
    static const char hex[] = "0123456789ABCDEF";
    char esc[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
    switch (c) {
    case '\b': return idtx_buf_puts(b, "\\b", err);
    case '\t': return idtx_buf_puts(b, "\\t", err);
    case '\n': return idtx_buf_puts(b, "\\n", err);
    case '\f': return idtx_buf_puts(b, "\\f", err);
    case '\r': return idtx_buf_puts(b, "\\r", err);
    default: return idtx_buf_put(b, esc, 6, err);
    }
}

/* Whether byte c (not a quote) is escaped in a basic string.  In the
 * multi-line form tab and LF stay raw; CR is escaped even before LF,
 * because parsers may normalise a raw CRLF to LF. */
static bool needs_escape(unsigned char c, bool multiline)
{
    if (c == '\\' || c == 0x7F)
        return true;
    if (c >= 0x20)
        return false;
    return !(multiline && (c == '\t' || c == '\n'));
}

/* The body of a basic string.  A double quote is escaped in the one-line
 * form always; in the multi-line form only when it would be the third raw
 * quote in a row (""" ends the string) or the last byte (so that no raw
 * quote touches the closing """). */
static int put_basic_body(idtx_buf *b, const unsigned char *s, size_t len,
                          bool multiline, idt_error *err)
{
    unsigned quotes = 0;
    size_t start = 0; /* first byte not yet copied: raw runs go in one put */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        bool esc;
        if (c == '"') {
            esc = !multiline || quotes == 2 || i + 1 == len;
            quotes = esc ? 0 : quotes + 1;
        } else {
            esc = needs_escape(c, multiline);
            quotes = 0;
        }
        if (!esc)
            continue;
        IDTX_TRY(idtx_buf_put(b, s + start, i - start, err));
        start = i + 1;
        if (c == '"' || c == '\\') {
            char two[2] = { '\\', (char)c };
            IDTX_TRY(idtx_buf_put(b, two, 2, err));
        } else {
            IDTX_TRY(put_control(b, c, err));
        }
    }
    return idtx_buf_put(b, s + start, len - start, err);
}

int idt_author__emit_string(idtx_buf *b, const char *str, size_t len,
                            idt_author_string_style style, idt_error *err)
{
    const unsigned char *s = (const unsigned char *)str;
    if (style == IDT_AUTHOR_STRING_MULTILINE && literal_fits(s, len)) {
        /* The LF after ''' is dropped by the parser: the content starts
         * on the next line, whatever its first byte is. */
        IDTX_TRY(idtx_buf_puts(b, "'''\n", err));
        IDTX_TRY(idtx_buf_put(b, s, len, err));
        return idtx_buf_puts(b, "'''", err);
    }
    if (style == IDT_AUTHOR_STRING_MULTILINE || style == IDT_AUTHOR_STRING_MULTILINE_BASIC) {
        IDTX_TRY(idtx_buf_puts(b, "\"\"\"\n", err));
        IDTX_TRY(put_basic_body(b, s, len, true, err));
        return idtx_buf_puts(b, "\"\"\"", err);
    }
    if (style == IDT_AUTHOR_STRING_BASIC) {
        IDTX_TRY(idtx_buf_putc(b, '"', err));
        IDTX_TRY(put_basic_body(b, s, len, false, err));
        return idtx_buf_putc(b, '"', err);
    }
    return idtx_error_set(err, IDT_EINVAL, NULL, "unknown string style %d", (int)style);
}

int idt_author_emit_string(char **out, size_t *out_len, const char *s, size_t len,
                           idt_author_string_style style, idt_error *err)
{
    if (!out)
        return idtx_error_set(err, IDT_EINVAL, NULL, "NULL output pointer");
    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!s && len)
        return idtx_error_set(err, IDT_EINVAL, NULL, "NULL content with a length of %zu", len);
    if ((unsigned)style > (unsigned)IDT_AUTHOR_STRING_BASIC)
        return idtx_error_set(err, IDT_EINVAL, NULL, "unknown string style %d", (int)style);
    IDTX_TRY(idt_author_check_utf8(s, len, err));
    /* Every byte becomes at most ESCAPE_MAX bytes: bounding the buffer by
     * that keeps the arithmetic below SIZE_MAX and the limit unreachable
     * for any content that is accepted here. */
    if (len > (SIZE_MAX / 2 - IDT_AUTHOR__DELIM_MAX) / IDT_AUTHOR__ESCAPE_MAX)
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "a string of %zu bytes is too large to escape", len);
    idtx_buf b;
    idtx_buf_init(&b, len * IDT_AUTHOR__ESCAPE_MAX + IDT_AUTHOR__DELIM_MAX, "the string");
    int rc = idt_author__emit_string(&b, s, len, style, err);
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, out, out_len, err);
    idtx_buf_dispose(&b);
    return rc;
}
