/* From a position in an entry's decoded text to the document (lint_int.h).
 *
 * The TOML parser keeps the decoded string, not how each byte was
 * written, so the mapping replays the decoding of the literal: every
 * source byte of a literal string is one decoded byte, except a CRLF line
 * end in a multi-line string, which is one LF; in a basic
 * string an escape is one to four decoded bytes and a line-ending
 * backslash none.  The replay must reproduce the decoded text exactly; if
 * it ever does not (it would be a bug), positions fall back to the start
 * of the literal rather than point at the wrong place. */
#include "lint/lint_int.h"
#include "util/hex.h"
#include "util/utf8.h"

#include <string.h>

/* The UTF-8 length of the code point of the \u or \U escape at s (the
 * parser has already checked it is a scalar value). */
static size_t escape_utf8_len(const char *s, size_t digits)
{
    return idtx_utf8_encoded_len(idtx_hex_decode_u32(s, digits));
}

/* One decoding step at source offset i (< body_end): how many source
 * bytes it takes and how many decoded bytes it gives. */
static void step(const idt_lint__origin *o, size_t i, size_t *take, size_t *give)
{
    const char *d = o->doc;
    size_t end = o->body_end;
    if (d[i] == '\r' && i + 1 < end && d[i + 1] == '\n') {
        *take = 2; /* CRLF reads as one LF */
        *give = 1;
        return;
    }
    if (!o->basic || d[i] != '\\' || i + 1 >= end) {
        *take = 1;
        *give = 1;
        return;
    }
    switch (d[i + 1]) {
    case 'u':
        *take = i + 6 <= end ? 6 : end - i;
        *give = *take == 6 ? escape_utf8_len(d + i + 2, 4) : 1;
        return;
    case 'U':
        *take = i + 10 <= end ? 10 : end - i;
        *give = *take == 10 ? escape_utf8_len(d + i + 2, 8) : 1;
        return;
    case 'b': case 't': case 'n': case 'f': case 'r': case '"': case '\\':
        *take = 2;
        *give = 1;
        return;
    default: { /* a line-ending backslash and all the blank space after it */
        size_t j = i + 1;
        while (j < end && (d[j] == ' ' || d[j] == '\t' || d[j] == '\n' || d[j] == '\r'))
            j++;
        *take = j - i;
        *give = 0;
        return;
    }
    }
}

/* The decoded bytes of one step (for the replay check). */
static size_t step_bytes(const idt_lint__origin *o, size_t i, size_t give, char out[4])
{
    const char *d = o->doc;
    if (!give)
        return 0;
    if (!o->basic || d[i] != '\\') {
        out[0] = d[i] == '\r' ? '\n' : d[i]; /* a CRLF step */
        return 1;
    }
    static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
    const char *k = memchr(from, d[i + 1], sizeof from - 1);
    if (k) {
        out[0] = to[k - from];
        return 1;
    }
    uint32_t cp = idtx_hex_decode_u32(d + i + 2, d[i + 1] == 'u' ? 4 : 8);
    if (give == 1) { /* also an escape cut off by the end, which step counts as one byte */
        out[0] = (char)cp;
        return 1;
    }
    return idtx_utf8_encode(out, cp);
}

static bool replays(const idt_lint__origin *o, const char *content, size_t len)
{
    size_t out = 0;
    for (size_t i = o->body; i < o->body_end;) {
        size_t take, give;
        char b[4];
        step(o, i, &take, &give);
        size_t n = step_bytes(o, i, give, b);
        if (n > len - out || memcmp(content + out, b, n) != 0)
            return false;
        out += n;
        i += take;
    }
    return out == len;
}

void idt_lint__origin_init(idt_lint__origin *o, const char *doc, size_t doc_len,
                           const idt_span *literal, const char *content, size_t content_len)
{
    memset(o, 0, sizeof *o);
    o->doc = doc;
    o->doc_len = doc_len;
    o->literal = *literal;
    size_t at = literal->offset, n = literal->length;
    if (at > doc_len || n > doc_len - at || n < 2)
        return; /* not a string literal: exact stays false */
    char q = doc[at];
    bool multi = n >= 6 && doc[at + 1] == q && doc[at + 2] == q;
    size_t delim = multi ? 3 : 1;
    o->body = at + delim;
    o->body_end = at + n - delim;
    if (multi && doc[o->body] == '\n')
        o->body++;
    else if (multi && doc[o->body] == '\r' && doc[o->body + 1] == '\n')
        o->body += 2;
    o->cur_src = o->body;
    o->cur_doc = *literal;
    o->basic = q == '"';
    /* Literal strings without CRLF decode byte for byte, so mapping needs
     * no replay (the common case: a long policy in a multi-line literal). */
    o->identity = q == '\'' && o->body <= o->body_end &&
                  !memchr(doc + o->body, '\r', o->body_end - o->body);
    if ((q != '"' && q != '\'') || o->body > o->body_end)
        return;
    size_t body_len = o->body_end - o->body;
    o->exact = o->identity ? body_len == content_len &&
                                 (!body_len || memcmp(doc + o->body, content, body_len) == 0)
                           : replays(o, content, content_len);
}

idt_span idt_lint__span_at(const char *doc, const idt_span *from, size_t offset, size_t length)
{
    uint32_t line = from->line, column = from->column;
    size_t start = from->offset;
    const char *nl;
    while (start < offset && (nl = memchr(doc + start, '\n', offset - start)) != NULL) {
        line++;
        column = 1;
        start = (size_t)(nl - doc) + 1;
    }
    column += (uint32_t)(offset - start);
    return (idt_span){ offset, length, line, column };
}

/* The source offset of decoded byte `offset` and the source length of the
 * step that produced it; body_end for the end of the text. */
static size_t source_of(idt_lint__origin *o, size_t offset, size_t *take_out)
{
    if (o->identity) {
        *take_out = 1;
        return offset < o->body_end - o->body ? o->body + offset : o->body_end;
    }
    size_t out = 0, i = o->body;
    if (offset >= o->cur_out) {
        out = o->cur_out;
        i = o->cur_src;
    }
    while (i < o->body_end) {
        size_t take, give;
        step(o, i, &take, &give);
        if (give && offset < out + give) {
            o->cur_src = i;
            o->cur_out = out;
            *take_out = take;
            return i;
        }
        out += give;
        i += take;
    }
    *take_out = 0;
    return o->body_end;
}

idt_span idt_lint__map(idt_lint__origin *o, size_t offset, size_t length)
{
    if (!o->exact)
        return idt_lint__span_at(o->doc, &o->literal, o->literal.offset, 0);
    size_t take;
    size_t start = source_of(o, offset, &take);
    size_t end = start + take;
    if (length > 1) {
        size_t last = source_of(o, offset + length - 1, &take);
        end = last + take;
    }
    if (end < start)
        end = start;
    const idt_span *from = o->cur_doc.offset <= start ? &o->cur_doc : &o->literal;
    o->cur_doc = idt_lint__span_at(o->doc, from, start, end - start);
    return o->cur_doc;
}
