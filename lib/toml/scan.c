/*
 * The TOML scanner: positions and errors, whitespace, comments, newlines,
 * keys and the four kinds of string.  Strings are read in two passes: the
 * first validates (UTF-8, control characters, escapes) and finds the end;
 * the second runs only when the text differs from its value (escapes, CRLF,
 * a line-ending backslash) and decodes into a buffer of the raw size, which
 * is always enough because no escape is shorter than what it stands for.
 */
#include "toml_int.h"
#include "util/hex.h"
#include "util/scan.h"
#include "util/utf8.h"

#include <stdarg.h>
#include <string.h>

static int vfail_at(idt_toml__parser *p, idt_toml__pos m, int code, const char *fmt, va_list ap)
    IDTX_PRINTF(4, 0);

static int vfail_at(idt_toml__parser *p, idt_toml__pos m, int code, const char *fmt, va_list ap)
{
    idt_span at = idt_toml__span_at(p, m, 0);
    return idtx_error_vset(p->err, code, &at, fmt, ap);
}

int idt_toml__fail_at(idt_toml__parser *p, idt_toml__pos m, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail_at(p, m, code, fmt, ap);
    va_end(ap);
    return rc;
}

int idt_toml__fail(idt_toml__parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail_at(p, idt_toml__mark(p), IDT_ESYNTAX, fmt, ap);
    va_end(ap);
    return rc;
}

static inline int peek(const idt_toml__parser *p, size_t ahead)
{
    return p->pos + ahead < p->len ? (unsigned char)p->src[p->pos + ahead] : -1;
}

static inline bool at_str(const idt_toml__parser *p, const char *s, size_t n)
{
    return p->len - p->pos >= n && memcmp(p->src + p->pos, s, n) == 0;
}

/* Describes a byte that may not appear where it stands. */
static int fail_control(idt_toml__parser *p, int c, const char *where)
{
    if (c == '\r' && peek(p, 1) == '\n')
        c = '\n';
    if (c == '\r')
        return idt_toml__fail(p, "carriage return not followed by a line feed %s "
                                 "(TOML: a newline is LF or CRLF)", where);
    if (c == '\n')
        return idt_toml__fail(p, "newline %s (TOML: use a multi-line string or \\n)", where);
    return idt_toml__fail(p, "control character U+%04X %s (TOML: control characters other "
                             "than tab must be escaped)", (unsigned)c, where);
}

/* Validates the UTF-8 sequence at pos (first byte >= 0x80) and returns its
 * length, or 0 after recording an error. */
static size_t utf8_seq(idt_toml__parser *p)
{
    const char *why;
    size_t n = idtx_utf8_seq((const unsigned char *)p->src + p->pos, p->len - p->pos, &why);
    if (!n)
        idt_toml__fail(p, "invalid UTF-8 (byte 0x%02x): %s (TOML documents must be UTF-8)",
                       (unsigned char)p->src[p->pos], why);
    return n;
}

int idt_toml__newline(idt_toml__parser *p)
{
    if (peek(p, 0) == '\r' && peek(p, 1) == '\n')
        p->pos++;
    if (peek(p, 0) != '\n')
        return idt_toml__fail(p, "expected a newline");
    p->pos++;
    p->line++;
    p->line_start = p->pos;
    return IDT_OK;
}

/* Skips a comment ('#' at pos) up to, not including, its newline. */
static int skip_comment(idt_toml__parser *p)
{
    p->pos++;
    while (p->pos < p->len) {
        /* The wide scanner stops at every control character (LF and CR
         * among them), DEL and non-ASCII byte. */
        p->pos = idtx_scan_text(p->src, p->pos, p->len, '\n', '\n', 0, NULL, NULL);
        if (p->pos >= p->len)
            break;
        unsigned char c = (unsigned char)p->src[p->pos];
        if (c == '\n' || (c == '\r' && peek(p, 1) == '\n'))
            return IDT_OK;
        if (c >= 0x80) {
            size_t n = utf8_seq(p);
            if (!n)
                return IDT_ESYNTAX;
            p->pos += n;
            continue;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return fail_control(p, c, "in a comment");
        p->pos++;
    }
    return IDT_OK;
}

int idt_toml__skip_ws_nl(idt_toml__parser *p)
{
    for (;;) {
        idt_toml__skip_ws(p);
        int c = peek(p, 0);
        if (c == '#')
            IDTX_TRY(skip_comment(p));
        else if (c == '\n' || c == '\r')
            IDTX_TRY(idt_toml__newline(p));
        else
            return IDT_OK;
    }
}

int idt_toml__end_of_line(idt_toml__parser *p)
{
    idt_toml__skip_ws(p);
    if (peek(p, 0) == '#')
        IDTX_TRY(skip_comment(p));
    if (p->pos >= p->len)
        return IDT_OK;
    int c = peek(p, 0);
    if (c == '\n' || c == '\r')
        return idt_toml__newline(p);
    return idt_toml__fail(p, "expected a newline or the end of the document here "
                             "(TOML: one key/value pair or table header per line)");
}

/* ---- strings ------------------------------------------------------------ */

typedef struct strscan {
    bool multiline, literal;
    size_t body;      /* offset of the first content byte */
    size_t body_end;  /* offset just past the last content byte */
    bool decode;      /* the value differs from the raw body */
} strscan;

/* Reads \uXXXX or \UXXXXXXXX digits at pos; stores the scalar value. */
static int unicode_escape(idt_toml__parser *p, size_t ndigits, uint32_t *cp)
{
    idt_toml__pos m = idt_toml__mark(p);
    uint32_t v = 0;
    for (size_t i = 0; i < ndigits; i++) {
        int h = idtx_hex_value(peek(p, i));
        if (h < 0)
            return idt_toml__fail_at(p, m, IDT_ESYNTAX,
                                     "\\%c escape needs %zu hex digits", ndigits == 4 ? 'u' : 'U',
                                     ndigits);
        v = (v << 4) | (uint32_t)h;
    }
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return idt_toml__fail_at(p, m, IDT_ESYNTAX,
                                 "escape \\%c%.*s is not a Unicode scalar value (TOML: "
                                 "surrogates and values above 10FFFF are not allowed)",
                                 ndigits == 4 ? 'u' : 'U', (int)ndigits, p->src + p->pos);
    p->pos += ndigits;
    *cp = v;
    return IDT_OK;
}

/* Skips spaces, tabs and newlines (after a line-ending backslash). */
static int skip_blank_lines(idt_toml__parser *p)
{
    for (;;) {
        idt_toml__skip_ws(p);
        if (peek(p, 0) == '\n' || (peek(p, 0) == '\r' && peek(p, 1) == '\n'))
            IDTX_TRY(idt_toml__newline(p));
        else
            return IDT_OK;
    }
}

void idt_toml__note_v11(idt_toml__parser *p, idt_toml_feature f, idt_toml__pos m, size_t len)
{
    idt_toml_doc *d = p->doc;
    if (d->v11_count < IDT_TOML_FEATURE_USES_MAX)
        d->v11[d->v11_count++] = (idt_toml_feature_use){ f, idt_toml__span_at(p, m, len) };
    d->v11_total++;
}

/* \e and \xHH: TOML 1.1 escapes.  pos is at the 'e' or 'x'. */
static int v11_escape(idt_toml__parser *p, int c)
{
    idt_toml__pos m = { p->pos - 1, p->line, (uint32_t)(p->pos - p->line_start) };
    if (!p->v11)
        return idt_toml__fail(p, "escape \\%c is TOML 1.1, not TOML 1.0 (valid escapes: "
                                 "\\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)", c);
    p->pos++;
    if (c == 'x') {
        if (idtx_hex_value(peek(p, 0)) < 0 || idtx_hex_value(peek(p, 1)) < 0)
            return idt_toml__fail(p, "\\x escape needs 2 hex digits (TOML 1.1: \\x00 to \\xFF)");
        p->pos += 2;
    }
    idt_toml__note_v11(p, c == 'e' ? IDT_TOML_FEATURE_ESCAPE_E : IDT_TOML_FEATURE_ESCAPE_X, m,
                       p->pos - m.offset);
    return IDT_OK;
}

/* The escapes a message lists, by version. */
static const char *valid_escapes(const idt_toml__parser *p)
{
    return p->v11 ? "TOML 1.1 allows \\b \\t \\n \\f \\r \\e \\\" \\\\ \\xHH \\uXXXX \\UXXXXXXXX"
                  : "TOML 1.0 allows \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX";
}

/* Validates the escape at pos (just after the backslash). */
static int check_escape(idt_toml__parser *p, bool multiline)
{
    int c = peek(p, 0);
    uint32_t cp;
    switch (c) {
    case 'b': case 't': case 'n': case 'f': case 'r': case '"': case '\\':
        p->pos++;
        return IDT_OK;
    case 'u':
        p->pos++;
        return unicode_escape(p, 4, &cp);
    case 'U':
        p->pos++;
        return unicode_escape(p, 8, &cp);
    case 'e': case 'x':
        return v11_escape(p, c);
    default:
        break;
    }
    if (multiline) {
        /* A line-ending backslash: optional whitespace, then a newline. */
        size_t save = p->pos;
        idt_toml__skip_ws(p);
        if (peek(p, 0) == '\n' || (peek(p, 0) == '\r' && peek(p, 1) == '\n'))
            return skip_blank_lines(p);
        p->pos = save;
    }
    if (c < 0)
        return idt_toml__fail(p, "unterminated string");
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return idt_toml__fail(p, "a backslash may end a line only in a multi-line basic "
                                 "string, followed by nothing but whitespace");
    if (c >= 0x20 && c < 0x7f)
        return idt_toml__fail(p, "invalid escape \\%c (%s)", c, valid_escapes(p));
    return idt_toml__fail(p, "invalid escape sequence (%s)", valid_escapes(p));
}

/*
 * Returns the offset of the first byte at or after i that needs a closer
 * look inside a string quoted with q: the quote, a backslash (in a basic
 * string), a control character other than tab, DEL or a non-ASCII byte.
 * Long documents (an agent policy in a multi-line literal string) spend
 * their time here, so the wide scanner (util/scan.h) reads 16 bytes at a
 * time; in a multi-line string it steps over line feeds and counts them,
 * so that a policy with a line every 30 bytes stays in the fast loop.
 */
static size_t plain_run(idt_toml__parser *p, size_t i, char q, bool multiline, bool literal)
{
    return idtx_scan_text(p->src, i, p->len, (unsigned char)q,
                          literal ? (unsigned char)q : (unsigned char)'\\',
                          multiline ? IDTX_SCAN_LF : 0, &p->line, &p->line_start);
}

/* Pass one: validates the string at pos and finds its end. */
static int scan_string(idt_toml__parser *p, strscan *s)
{
    char q = p->src[p->pos];
    s->literal = q == '\'';
    s->multiline = at_str(p, s->literal ? "'''" : "\"\"\"", 3);
    s->decode = false;
    idt_toml__pos open = idt_toml__mark(p);
    p->pos += s->multiline ? 3 : 1;
    if (s->multiline && (peek(p, 0) == '\n' || (peek(p, 0) == '\r' && peek(p, 1) == '\n')))
        IDTX_TRY(idt_toml__newline(p)); /* TOML trims a newline right after the opening */
    s->body = p->pos;
    for (;;) {
        p->pos = plain_run(p, p->pos, q, s->multiline, s->literal);
        if (p->pos >= p->len)
            return idt_toml__fail_at(p, open, IDT_ESYNTAX, "unterminated %s string",
                                     s->literal ? "literal" : "basic");
        unsigned char c = (unsigned char)p->src[p->pos];
        if (c == (unsigned char)q) {
            if (!s->multiline) {
                s->body_end = p->pos++;
                return IDT_OK;
            }
            size_t n = 0;
            while (peek(p, n) == q)
                n++;
            if (n >= 3) {
                if (n > 5)
                    return idt_toml__fail(p, "too many quotes at the end of a multi-line "
                                             "string (at most two may precede the closing %c%c%c)",
                                          q, q, q);
                s->body_end = p->pos + n - 3;
                p->pos += n;
                return IDT_OK;
            }
            p->pos += n;
        } else if (c == '\\' && !s->literal) {
            p->pos++;
            s->decode = true;
            IDTX_TRY(check_escape(p, s->multiline));
        } else if (c >= 0x80) {
            size_t n = utf8_seq(p);
            if (!n)
                return IDT_ESYNTAX;
            p->pos += n;
        } else if (s->multiline && (c == '\n' || (c == '\r' && peek(p, 1) == '\n'))) {
            if (c == '\r')
                s->decode = true; /* CRLF becomes LF, as tomllib and toml-rs read it */
            IDTX_TRY(idt_toml__newline(p));
        } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return fail_control(p, c, "in a string");
        } else {
            p->pos++;
        }
    }
}

/* Pass two: decodes an already validated body into out; returns the length. */
static size_t decode_body(const char *s, size_t n, bool literal, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '\r' && i + 1 < n && s[i + 1] == '\n') {
            i++;
            continue;
        }
        if (c != '\\' || literal) {
            out[o++] = c;
            i++;
            continue;
        }
        char e = s[i + 1];
        i += 2;
        switch (e) {
        case 'b': out[o++] = '\b'; break;
        case 't': out[o++] = '\t'; break;
        case 'n': out[o++] = '\n'; break;
        case 'f': out[o++] = '\f'; break;
        case 'r': out[o++] = '\r'; break;
        case '"': out[o++] = '"'; break;
        case '\\': out[o++] = '\\'; break;
        case 'e': out[o++] = '\x1b'; break;
        case 'x': o += idtx_utf8_encode(out + o, idtx_hex_decode_u32(s + i, 2)); i += 2; break;
        case 'u': o += idtx_utf8_encode(out + o, idtx_hex_decode_u32(s + i, 4)); i += 4; break;
        case 'U': o += idtx_utf8_encode(out + o, idtx_hex_decode_u32(s + i, 8)); i += 8; break;
        default: /* line-ending backslash: drop all whitespace that follows */
            i--;
            while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
                i++;
            break;
        }
    }
    out[o] = '\0';
    return o;
}

/* Reads a string; a value (not a key) that needs no decoding is a span
 * of src when the caller asked to borrow it. */
static int string_value(idt_toml__parser *p, const char **ptr, size_t *len, strscan *s,
                        bool key)
{
    IDTX_TRY(scan_string(p, s));
    size_t raw = s->body_end - s->body;
    if (p->borrow && !key && !s->decode) {
        *ptr = p->src + s->body;
        *len = raw;
        return IDT_OK;
    }
    char *buf = idtx_arena_alloc(p->arena, raw + 1);
    if (!buf)
        return idtx_error_set(p->err, IDT_ENOMEM, NULL, "out of memory");
    if (s->decode) {
        *len = decode_body(p->src + s->body, raw, s->literal, buf);
    } else {
        memcpy(buf, p->src + s->body, raw);
        buf[raw] = '\0';
        *len = raw;
    }
    *ptr = buf;
    return IDT_OK;
}

int idt_toml__string(idt_toml__parser *p, idt_toml_value *v)
{
    strscan s;
    return string_value(p, &v->as.string.ptr, &v->as.string.len, &s, false);
}

/* Bare-key bytes (A-Z a-z 0-9 _ -), by table: keys are most of a
 * key-heavy document's bytes. */
#define BARE(c) ((c) >= 'A' && (c) <= 'Z') || ((c) >= 'a' && (c) <= 'z') || \
                ((c) >= '0' && (c) <= '9') || (c) == '_' || (c) == '-'
#define BARE4(c) BARE(c), BARE((c) + 1), BARE((c) + 2), BARE((c) + 3)
#define BARE16(c) BARE4(c), BARE4((c) + 4), BARE4((c) + 8), BARE4((c) + 12)
#define BARE64(c) BARE16(c), BARE16((c) + 16), BARE16((c) + 32), BARE16((c) + 48)
static const bool bare[256] = { BARE64(0), BARE64(64), BARE64(128), BARE64(192) };

static inline bool is_bare(unsigned char c)
{
    return bare[c];
}

int idt_toml__key(idt_toml__parser *p, idt_toml__keypart *out)
{
    idt_toml__pos m = idt_toml__mark(p);
    int c = peek(p, 0);
    if (c == '"' || c == '\'') {
        if (at_str(p, c == '"' ? "\"\"\"" : "'''", 3))
            return idt_toml__fail(p, "a multi-line string cannot be a key");
        strscan s;
        IDTX_TRY(string_value(p, &out->ptr, &out->len, &s, true));
    } else {
        size_t start = p->pos;
        while (p->pos < p->len && is_bare((unsigned char)p->src[p->pos]))
            p->pos++;
        if (p->pos == start) {
            if (c < 0 || c == '\n' || c == '\r')
                return idt_toml__fail(p, "expected a key");
            if (c == '=')
                return idt_toml__fail(p, "a key is missing before '='");
            if (c >= 0x80 && utf8_seq(p) == 0)
                return IDT_ESYNTAX;
            return idt_toml__fail(p, "invalid character in a key (bare keys are A-Z a-z 0-9 "
                                     "_ -; quote other keys)");
        }
        out->ptr = idtx_arena_strndup(p->arena, p->src + start, p->pos - start);
        if (!out->ptr)
            return idtx_error_set(p->err, IDT_ENOMEM, NULL, "out of memory");
        out->len = p->pos - start;
    }
    out->span = idt_toml__span_from(p, m);
    return IDT_OK;
}
