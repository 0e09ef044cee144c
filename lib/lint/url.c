/* URLs the consumers connect to (lint_int.h): the KBS, the attestation
 * service, image pull proxies.  A light RFC 3986 reading: the consumers'
 * URL parser (Rust's url crate) accepts more, but nothing outside this
 * shape is a URL anyone meant to write in these keys. */
#include "lint/lint_int.h"
#include "util/quote.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 3986 reg-name characters (unreserved, pct-encoded, sub-delims). */
static bool is_host_char(unsigned char c)
{
    return is_alnum(c) || (c && strchr("-._~%!$&'()*+,;=", c));
}

static const char *check_scheme(const char *s, size_t len, const char *const *schemes,
                                size_t *rest)
{
    const char *sep = NULL;
    for (size_t i = 0; i + 3 <= len; i++)
        if (memcmp(s + i, "://", 3) == 0) {
            sep = s + i;
            break;
        }
    if (!sep)
        return "it has no scheme://";
    size_t n = (size_t)(sep - s);
    for (const char *const *k = schemes; *k; k++)
        if (strlen(*k) == n && strncasecmp(s, *k, n) == 0) {
            *rest = n + 3;
            return NULL;
        }
    return "the scheme is not one the consumer speaks";
}

static const char *check_port(const char *p, size_t n)
{
    unsigned long port = 0;
    if (n == 0 || n > 5)
        return "the port is not a number from 1 to 65535";
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return "the port is not a number from 1 to 65535";
        port = port * 10 + (unsigned long)(p[i] - '0');
    }
    return port >= 1 && port <= 65535 ? NULL : "the port is not a number from 1 to 65535";
}

/* host[:port] (after any user@) in s[0..n). */
static const char *check_authority(const char *s, size_t n)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@')
            at = s + i;
    if (at) {
        n -= (size_t)(at + 1 - s);
        s = at + 1;
    }
    size_t h = 0;
    if (n && s[0] == '[') {
        while (h < n && s[h] != ']')
            h++;
        if (h == n)
            return "an IPv6 host is missing its ']'";
        for (size_t i = 1; i < h; i++)
            if (!strchr("0123456789abcdefABCDEF:.", s[i]))
                return "the IPv6 host has a character that is not hex, ':' or '.'";
        h++;
    } else {
        while (h < n && s[h] != ':') {
            if (!is_host_char((unsigned char)s[h]))
                return "the host has a character that is not allowed in a host name";
            h++;
        }
    }
    if (h == 0 || (s[0] == '[' && h == 2))
        return "it has no host";
    if (h == n)
        return NULL;
    if (s[h] != ':')
        return "the host is followed by something that is not ':port'";
    return check_port(s + h + 1, n - h - 1);
}

const char *idt_lint__url_problem(const char *s, size_t len, const char *const *schemes)
{
    if (len == 0)
        return "it is empty";
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
            return "it contains a space or a control character";
    size_t rest = 0;
    const char *why = check_scheme(s, len, schemes, &rest);
    if (why)
        return why;
    size_t end = rest;
    while (end < len && !strchr("/?#", s[end]))
        end++;
    return check_authority(s + rest, end - rest);
}

bool idt_lint__check_url(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                         const char *const *schemes)
{
    const char *why = idt_lint__url_problem(v->as.string.ptr, v->as.string.len, schemes);
    if (!why)
        return true;
    char want[64] = "";
    for (const char *const *k = schemes; *k; k++) {
        size_t n = strlen(want);
        snprintf(want + n, sizeof want - n, "%s%s://", n ? " or " : "", *k);
    }
    char q[IDTX_QUOTE_MAX];
    idt_lint__report(c, IDT_LINT__CODE_URL, IDT_DOC_ERROR, c->consumer, &v->span,
                     "%s %s is not a URL the %s can use: %s (expected %shost[:port][/path])",
                     path, idtx_quote(q, v->as.string.ptr, v->as.string.len), c->reader, why,
                     want);
    return false;
}
