/* Positions in the manifest text: libyaml's character marks to bytes, line
 * breaks, spans. */
#include "manifest_int.h"

#include <stdlib.h>

/* libyaml counts characters (a UTF-8 sequence is one) and does not count a
 * leading BOM.  Every 2^MF_CK_SHIFT-th character's byte offset is stored,
 * so a lookup walks at most 255 characters and the table costs one size_t
 * per 256 characters. */
int idt_manifest__charmap_init(mf_charmap *cm, const char *s, size_t len, size_t base)
{
    cm->s = (const unsigned char *)s;
    cm->len = len;
    cm->base = base;
    cm->ck = NULL;
    cm->nck = 0;
    cm->last_char = 0;
    cm->last_byte = base;
    cm->ascii = true;
    for (size_t i = base; i < len; i++)
        if (cm->s[i] & 0x80) {
            cm->ascii = false;
            break;
        }
    if (cm->ascii)
        return IDT_OK;
    size_t n = ((len - base) >> MF_CK_SHIFT) + 1; /* chars <= bytes */
    cm->ck = malloc(n * sizeof *cm->ck);
    if (!cm->ck)
        return IDT_ENOMEM;
    size_t chars = 0;
    for (size_t i = base; i < len; i++) {
        if ((cm->s[i] & 0xC0) == 0x80)
            continue; /* continuation byte: same character */
        if ((chars & (((size_t)1 << MF_CK_SHIFT) - 1)) == 0 && cm->nck < n)
            cm->ck[cm->nck++] = i;
        chars++;
    }
    if (cm->nck == 0)
        cm->ck[cm->nck++] = base;
    return IDT_OK;
}

void idt_manifest__charmap_dispose(mf_charmap *cm)
{
    free(cm->ck);
    cm->ck = NULL;
    cm->nck = 0;
}

size_t idt_manifest__byte_of(mf_charmap *cm, size_t index)
{
    size_t avail = cm->len - cm->base;
    if (cm->ascii)
        return cm->base + (index < avail ? index : avail);
    /* libyaml's marks mostly move forward: walk on from the last answer
     * when that is closer than the checkpoint. */
    size_t k = index >> MF_CK_SHIFT;
    if (k >= cm->nck)
        k = cm->nck - 1;
    size_t b = cm->ck[k], c = k << MF_CK_SHIFT;
    if (cm->last_char <= index && cm->last_char > c) {
        b = cm->last_byte;
        c = cm->last_char;
    }
    while (c < index && b < cm->len) {
        b++;
        while (b < cm->len && (cm->s[b] & 0xC0) == 0x80)
            b++;
        c++;
    }
    cm->last_char = c;
    cm->last_byte = b;
    return b;
}

size_t idt_manifest__break_len(const char *text, size_t len, size_t pos)
{
    const unsigned char *s = (const unsigned char *)text;
    if (pos >= len)
        return 0;
    if (s[pos] == '\n')
        return 1;
    if (s[pos] == '\r')
        return pos + 1 < len && s[pos + 1] == '\n' ? 2 : 1;
    /* YAML 1.1 (libyaml, PyYAML, Go's yaml.v2) also breaks lines at NEL,
     * LINE SEPARATOR and PARAGRAPH SEPARATOR. */
    if (s[pos] == 0xC2 && pos + 1 < len && s[pos + 1] == 0x85)
        return 2;
    if (s[pos] == 0xE2 && pos + 2 < len && s[pos + 1] == 0x80 &&
        (s[pos + 2] == 0xA8 || s[pos + 2] == 0xA9))
        return 3;
    return 0;
}

size_t idt_manifest__line_end(const char *text, size_t len, size_t pos)
{
    while (pos < len && !idt_manifest__break_len(text, len, pos))
        pos++;
    return pos;
}

size_t idt_manifest__line_start(const char *text, size_t pos)
{
    /* The byte before a line start is LF, CR, or the last byte of NEL
     * (0x85), LS or PS (0xA8, 0xA9): continuation bytes that no other
     * character ends with in a line of YAML text, but check the lead. */
    while (pos > 0) {
        unsigned char c = (unsigned char)text[pos - 1];
        if (c == '\n' || c == '\r')
            break;
        if (c == 0x85 && pos >= 2 && (unsigned char)text[pos - 2] == 0xC2)
            break;
        if ((c == 0xA8 || c == 0xA9) && pos >= 3 && (unsigned char)text[pos - 2] == 0x80 &&
            (unsigned char)text[pos - 3] == 0xE2)
            break;
        pos--;
    }
    return pos;
}

size_t idt_manifest__skip_gap(const char *text, size_t len, size_t pos)
{
    const unsigned char *s = (const unsigned char *)text;
    while (pos < len) {
        size_t bl = idt_manifest__break_len(text, len, pos);
        if (s[pos] == ' ' || s[pos] == '\t') {
            pos++;
        } else if (bl) {
            pos += bl;
        } else if (s[pos] == '#') {
            pos = idt_manifest__line_end(text, len, pos);
        } else if (s[pos] == 0xEF && pos + 2 < len && s[pos + 1] == 0xBB && s[pos + 2] == 0xBF &&
                   idt_manifest__line_start(text, pos) == pos) {
            pos += 3;
        } else {
            break;
        }
    }
    return pos;
}

uint32_t idt_manifest__line_of(const char *text, size_t len, size_t from, uint32_t line0,
                               size_t pos)
{
    uint32_t line = line0;
    for (size_t i = from; i < pos && i < len;) {
        size_t bl = idt_manifest__break_len(text, len, i);
        if (bl && line < UINT32_MAX)
            line++;
        i += bl ? bl : 1;
    }
    return line;
}

idt_span idt_manifest__span(const char *text, size_t len, size_t start, size_t end,
                            size_t line0)
{
    idt_span sp = { 0 };
    if (start > len)
        start = len;
    if (end < start)
        end = start;
    if (end > len)
        end = len;
    sp.offset = start;
    sp.length = end - start;
    /* The line is libyaml's (0-based); the column counts bytes from the
     * line's first byte. */
    sp.line = line0 >= UINT32_MAX ? UINT32_MAX : (uint32_t)line0 + 1;
    size_t col = start - idt_manifest__line_start(text, start) + 1;
    sp.column = col > UINT32_MAX ? UINT32_MAX : (uint32_t)col;
    return sp;
}
