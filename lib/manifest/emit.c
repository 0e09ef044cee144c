/* YAML text for the splices: a growable buffer and one-line scalars. */
#include "manifest_int.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void idt_manifest__buf_put(mf_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (n >= SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void idt_manifest__buf_puts(mf_buf *b, const char *s)
{
    idt_manifest__buf_put(b, s, strlen(s));
}

void idt_manifest__buf_spaces(mf_buf *b, size_t n)
{
    static const char sp[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        idt_manifest__buf_put(b, sp, k);
        n -= k;
    }
}

void idt_manifest__buf_dispose(mf_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

bool idt_manifest__utf8_ok(const char *s, size_t len)
{
    for (size_t i = 0, n; i < len; i += n)
        if (!(n = idtx_utf8_seq((const unsigned char *)s + i, len - i, NULL)))
            return false;
    return true;
}

/* A character that may stand unescaped in a one-line quoted scalar for
 * libyaml (whose printable set also excludes BOM, U+FFFE and U+FFFF) and
 * does not break the line in YAML 1.1 (NEL, LS, PS). */
static bool printable_inline(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
        return false;
    return cp != 0x2028 && cp != 0x2029 && cp != 0xFEFF && cp != 0xFFFE && cp != 0xFFFF;
}

/* Safe as a plain scalar everywhere, block or flow, in every reader: a
 * letter, then letters, digits and + / = . _ -, and not a word that YAML 1.1
 * (Go's yaml.v2, which Kubernetes uses, or PyYAML) reads as a bool or null.
 * Base64 starting with a letter always passes; anything else is quoted. */
static bool plain_safe(const char *s, size_t len)
{
    static const char *const words[] = { "y", "n", "yes", "no", "on", "off",
                                         "true", "false", "null" };
    if (len == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '/' || c == '=' || c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t wl = strlen(words[w]);
        if (wl != len)
            continue;
        size_t i = 0;
        while (i < len && (s[i] | 0x20) == words[w][i])
            i++;
        if (i == len)
            return false;
    }
    return true;
}

static bool single_safe(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t cp;
    for (size_t i = 0, n; i < len; i += n)
        if (!(n = idtx_utf8_decode(u + i, len - i, &cp)) || !printable_inline(cp))
            return false;
    return true;
}

/* Double-quoted with only the escapes JSON also has (\" \\ \n \t \r \uXXXX),
 * so the text is valid in a JSON manifest too.  Characters above U+FFFF
 * are printable and written as they are. */
static void emit_double(mf_buf *b, const char *s, size_t len)
{
    idt_manifest__buf_put(b, "\"", 1);
    uint32_t cp;
    for (size_t i = 0, n; i < len; i += n) {
        n = idtx_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (n == 0) { /* callers check UTF-8 first; never emit a raw bad byte */
            n = 1;
            cp = 0xFFFD;
        }
        if (cp == '"' || cp == '\\') {
            char e[2] = { '\\', (char)cp };
            idt_manifest__buf_put(b, e, 2);
        } else if (cp == '\n') {
            idt_manifest__buf_put(b, "\\n", 2);
        } else if (cp == '\t') {
            idt_manifest__buf_put(b, "\\t", 2);
        } else if (cp == '\r') {
            idt_manifest__buf_put(b, "\\r", 2);
        } else if (!printable_inline(cp)) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04X", (unsigned)cp);
            idt_manifest__buf_put(b, e, 6);
        } else {
            idt_manifest__buf_put(b, s + i, n);
        }
    }
    idt_manifest__buf_put(b, "\"", 1);
}

void idt_manifest__emit_scalar(mf_buf *b, const char *s, size_t len, mf_style style)
{
    if (style == MF_STYLE_AUTO && plain_safe(s, len)) {
        idt_manifest__buf_put(b, s, len);
    } else if (style == MF_STYLE_SINGLE && single_safe(s, len)) {
        idt_manifest__buf_put(b, "'", 1);
        for (size_t i = 0; i < len; i++)
            idt_manifest__buf_put(b, s[i] == '\'' ? "''" : s + i, s[i] == '\'' ? 2 : 1);
        idt_manifest__buf_put(b, "'", 1);
    } else {
        emit_double(b, s, len);
    }
}
