/* YAML text for the splices: one-line scalars, written into an idtx_buf. */
#include "manifest_int.h"
#include "util/utf8.h"

#include <string.h>

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
static int emit_double(idtx_buf *b, const char *s, size_t len, idt_error *err)
{
    IDTX_TRY(idtx_buf_putc(b, '"', err));
    uint32_t cp;
    for (size_t i = 0, n; i < len; i += n) {
        n = idtx_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (n == 0) { /* callers check UTF-8 first; never emit a raw bad byte */
            n = 1;
            cp = 0xFFFD;
        }
        if (cp == '"' || cp == '\\') {
            char e[2] = { '\\', (char)cp };
            IDTX_TRY(idtx_buf_put(b, e, 2, err));
        } else if (cp == '\n') {
            IDTX_TRY(idtx_buf_put(b, "\\n", 2, err));
        } else if (cp == '\t') {
            IDTX_TRY(idtx_buf_put(b, "\\t", 2, err));
        } else if (cp == '\r') {
            IDTX_TRY(idtx_buf_put(b, "\\r", 2, err));
        } else if (!printable_inline(cp)) {
            IDTX_TRY(idtx_buf_printf(b, err, "\\u%04X", (unsigned)cp));
        } else {
            IDTX_TRY(idtx_buf_put(b, s + i, n, err));
        }
    }
    return idtx_buf_putc(b, '"', err);
}

int idt_manifest__emit_scalar(idtx_buf *b, const char *s, size_t len, idt_manifest__style style,
                              idt_error *err)
{
    if (style == MF_STYLE_AUTO && plain_safe(s, len))
        return idtx_buf_put(b, s, len, err);
    if (style == MF_STYLE_SINGLE && single_safe(s, len)) {
        IDTX_TRY(idtx_buf_putc(b, '\'', err));
        for (size_t i = 0; i < len; i++)
            IDTX_TRY(s[i] == '\'' ? idtx_buf_put(b, "''", 2, err) : idtx_buf_putc(b, s[i], err));
        return idtx_buf_putc(b, '\'', err);
    }
    return emit_double(b, s, len, err);
}
