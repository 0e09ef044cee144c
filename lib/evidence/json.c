/* JSON evidence helpers (json_int.h). */
#include "evidence/json_int.h"
#include "util/base64.h"
#include "util/hex.h"

#include <stdlib.h>
#include <string.h>

int idt_evidence__json_load(json_t **out, const uint8_t *p, size_t n, idt_error *err)
{
    json_error_t jerr;
    *out = json_loadb((const char *)p, n, JSON_REJECT_DUPLICATES, &jerr);
    if (!*out) {
        idt_span at = { 0 };
        at.offset = jerr.position > 0 ? (size_t)jerr.position : 0;
        at.line = jerr.line > 0 ? (uint32_t)jerr.line : 0;
        at.column = jerr.column > 0 ? (uint32_t)jerr.column : 0;
        return idtx_error_set(err, IDT_ESYNTAX, &at, "evidence JSON: %s", jerr.text);
    }
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return idtx_error_set(err, IDT_EFORMAT, NULL, "evidence JSON must be an object");
    }
    return IDT_OK;
}

/* Base64 in either alphabet, padding optional: normalised to the standard
 * padded form, then decoded by the strict decoder (trailing bits allowed). */
static bool decode_base64(uint8_t *dst, size_t *dlen, const char *s, size_t n)
{
    size_t cap = n + 4;
    char *tmp = malloc(cap);
    if (!tmp)
        return false;
    for (size_t i = 0; i < n; i++)
        tmp[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
    size_t m = n;
    while (m % 4)
        tmp[m++] = '=';
    int rc = idtx_base64_decode(dst, dlen, tmp, m, IDTX_BASE64_ALLOW_TRAILING_BITS, NULL);
    free(tmp);
    return rc == 0;
}

static int bad(idt_error *err, const char *what, const char *want)
{
    return idtx_error_set(err, IDT_EFORMAT, NULL, "evidence JSON: %s: expected %s", what, want);
}

static const char *describe(unsigned accept)
{
    if (accept & IDT_EVIDENCE__JSON_PEM)
        return "PEM text or base64";
    if (accept == IDT_EVIDENCE__JSON_ARRAY)
        return "an array of bytes";
    if (accept == (IDT_EVIDENCE__JSON_ARRAY | IDT_EVIDENCE__JSON_HEX))
        return "an array of bytes or a hex string";
    if (accept == (IDT_EVIDENCE__JSON_ARRAY | IDT_EVIDENCE__JSON_BASE64))
        return "an array of bytes or a base64 string";
    return accept & IDT_EVIDENCE__JSON_HEX ? "a hex string" : "a base64 string";
}

int idt_evidence__json_bytes(idt_evidence *ev, const json_t *v, unsigned accept, size_t want_len,
                       const char *what, idt_evidence__bytes *out, idt_error *err)
{
    uint8_t *buf;
    size_t n = 0;
    if (json_is_array(v) && (accept & IDT_EVIDENCE__JSON_ARRAY)) {
        n = json_array_size(v);
        buf = idtx_arena_alloc(&ev->arena, n ? n : 1);
        if (!buf)
            return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
        for (size_t i = 0; i < n; i++) {
            const json_t *e = json_array_get(v, i);
            if (!json_is_integer(e) || json_integer_value(e) < 0 || json_integer_value(e) > 255)
                return bad(err, what, describe(accept));
            buf[i] = (uint8_t)json_integer_value(e);
        }
    } else if (json_is_string(v) && (accept & ~IDT_EVIDENCE__JSON_ARRAY)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        buf = idtx_arena_alloc(&ev->arena, len + 8); /* >= the base64 bound */
        if (!buf)
            return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
        if ((accept & IDT_EVIDENCE__JSON_PEM) && len >= 10 && !memcmp(s, "-----BEGIN", 10)) {
            memcpy(buf, s, len);
            n = len;
        } else if (accept & IDT_EVIDENCE__JSON_HEX) {
            if (idtx_hex_decode(buf, s, len) < 0)
                return bad(err, what, describe(accept));
            n = len / 2;
        } else if (!decode_base64(buf, &n, s, len)) {
            return bad(err, what, describe(accept));
        }
    } else {
        return bad(err, what, describe(accept));
    }
    if (want_len && n != want_len)
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "evidence JSON: %s holds %zu bytes; expected %zu", what, n,
                              want_len);
    out->p = buf;
    out->n = n;
    return IDT_OK;
}

int idt_evidence__json_member(idt_evidence *ev, const json_t *obj, const char *key, unsigned accept,
                        size_t want_len, idt_evidence__bytes *out, idt_error *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return idtx_error_set(err, IDT_EFORMAT, NULL, "evidence JSON: \"%s\" is missing", key);
    return idt_evidence__json_bytes(ev, v, accept, want_len, key, out, err);
}
