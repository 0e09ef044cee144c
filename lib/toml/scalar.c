/*
 * TOML scalars other than strings: integers (decimal, hex, octal, binary),
 * floats (with inf and nan), booleans and the four date-time kinds.
 * Each reader checks the TOML 1.0 grammar byte by byte, so that the error
 * can name the rule, before converting.
 */
#define _GNU_SOURCE /* strtod_l: float parsing must not depend on the locale */
#include "toml_int.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static inline int peek(const idt_toml__parser *p, size_t ahead)
{
    return p->pos + ahead < p->len ? (unsigned char)p->src[p->pos + ahead] : -1;
}

static inline bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_digit_of(int c, int base)
{
    switch (base) {
    case 2: return c == '0' || c == '1';
    case 8: return c >= '0' && c <= '7';
    case 16: return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    default: return is_digit(c);
    }
}

/*
 * Consumes digits of `base` with single underscores between them, and
 * returns how many digits were read (0 after recording an error, or when
 * none are present and `what` is NULL).
 */
static size_t digits(idt_toml__parser *p, int base, const char *what)
{
    size_t n = 0;
    for (;;) {
        int c = peek(p, 0);
        if (is_digit_of(c, base)) {
            n++;
            p->pos++;
        } else if (c == '_') {
            if (!n || !is_digit_of(peek(p, 1), base)) {
                idt_toml__fail(p, "an underscore in a number must stand between two digits");
                return 0;
            }
            p->pos++;
        } else {
            break;
        }
    }
    if (!n && what)
        idt_toml__fail(p, "expected %s", what);
    return n;
}

static int digit_value(char c)
{
    if (c <= '9')
        return c - '0';
    return (c | 0x20) - 'a' + 10;
}

/* Converts the digits in src[start, end) (underscores skipped) with
 * overflow detection: the magnitude may reach 2^63 only when negative. */
static int to_int64(idt_toml__parser *p, idt_toml__pos m, size_t start, size_t end, int base,
                    bool neg, int64_t *out)
{
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    for (size_t i = start; i < end; i++) {
        if (p->src[i] == '_')
            continue;
        uint64_t d = (uint64_t)digit_value(p->src[i]);
        /* Overflow by the builtins, not a division per digit. */
        if (__builtin_mul_overflow(v, (uint64_t)base, &v) || __builtin_add_overflow(v, d, &v) ||
            v > limit)
            return idt_toml__fail_at(p, m, IDT_ESYNTAX,
                                     "integer %.*s is out of range (TOML integers are 64-bit "
                                     "signed: -9223372036854775808 to 9223372036854775807)",
                                     (int)(end - m.offset), p->src + m.offset);
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return IDT_OK;
}

static int prefixed_integer(idt_toml__parser *p, idt_toml__pos m, idt_toml_value *v)
{
    int kind = peek(p, 1);
    int base = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
    p->pos += 2;
    size_t start = p->pos;
    if (peek(p, 0) == '_')
        return idt_toml__fail(p, "an underscore in a number must stand between two digits");
    if (!digits(p, base, base == 16 ? "hexadecimal digits after 0x"
                         : base == 8 ? "octal digits after 0o" : "binary digits after 0b"))
        return IDT_ESYNTAX;
    v->type = IDT_TOML_INTEGER;
    return to_int64(p, m, start, p->pos, base, false, &v->as.integer);
}

static int special_float(idt_toml__parser *p, idt_toml__pos m, bool neg, idt_toml_value *v)
{
    bool inf = peek(p, 0) == 'i';
    if (p->len - p->pos < 3 || memcmp(p->src + p->pos, inf ? "inf" : "nan", 3) != 0)
        return idt_toml__fail_at(p, m, IDT_ESYNTAX, "invalid value (TOML 1.0 special floats "
                                                    "are inf and nan, optionally signed)");
    p->pos += 3;
    v->type = IDT_TOML_FLOAT;
    v->as.floating = inf ? (neg ? -INFINITY : INFINITY) : (neg ? -NAN : NAN);
    return IDT_OK;
}

/*
 * Clinger's fast path: a decimal of at most 15 significant digits whose
 * power of ten is at most 22 away from zero is m * 10^e or m / 10^-e with
 * m and 10^|e| both exact doubles, so one IEEE multiplication or division
 * rounds it correctly, as strtod would.  s is the validated float without
 * underscores.  Returns false when the value needs strtod (more digits, a
 * larger exponent, or a platform whose double arithmetic is wider).
 */
static bool fast_double(const char *s, double *out)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    static const double pow10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
    bool neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    uint64_t m = 0;
    int sig = 0, scale = 0; /* significant digits; digits after the point */
    bool point = false;
    for (;; s++) {
        if (*s == '.') {
            point = true;
            continue;
        }
        if (*s < '0' || *s > '9')
            break;
        if (m || *s != '0') {
            if (++sig > 15)
                return false;
            m = m * 10 + (uint64_t)(*s - '0');
        }
        scale += point;
    }
    long e = 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        bool eneg = *s == '-';
        if (*s == '-' || *s == '+')
            s++;
        for (; *s >= '0' && *s <= '9'; s++)
            if ((e = e * 10 + (*s - '0')) > 1000)
                return false;
        if (eneg)
            e = -e;
    }
    e -= scale;
    double v = (double)m;
    if (m == 0)
        v = 0.0;
    else if (e >= 0 && e <= 22)
        v *= pow10[e];
    else if (e < 0 && e >= -22)
        v /= pow10[-e];
    else
        return false;
    *out = neg ? -v : v;
    return true;
#else
    (void)s;
    (void)out;
    return false;
#endif
}

/* Converts a validated decimal float; underscores are removed first. */
static int to_double(idt_toml__parser *p, idt_toml__pos m, double *out)
{
    size_t n = p->pos - m.offset;
    char small[128];
    char *buf = n < sizeof small ? small : idtx_arena_alloc(p->arena, n + 1);
    if (!buf)
        return idtx_error_set(p->err, IDT_ENOMEM, NULL, "out of memory");
    size_t o = 0;
    for (size_t i = m.offset; i < p->pos; i++)
        if (p->src[i] != '_')
            buf[o++] = p->src[i];
    buf[o] = '\0';
    if (fast_double(buf, out))
        return IDT_OK;
    locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!c_locale)
        return idtx_error_set(p->err, IDT_ENOMEM, NULL, "out of memory");
    *out = strtod_l(buf, NULL, c_locale);
    freelocale(c_locale);
    return IDT_OK;
}

static int number(idt_toml__parser *p, idt_toml_value *v)
{
    idt_toml__pos m = idt_toml__mark(p);
    int c = peek(p, 0);
    bool neg = c == '-';
    if (c == '0' && (peek(p, 1) == 'x' || peek(p, 1) == 'o' || peek(p, 1) == 'b'))
        return prefixed_integer(p, m, v);
    if (c == '+' || c == '-') {
        p->pos++;
        c = peek(p, 0);
    }
    if (c == 'i' || c == 'n')
        return special_float(p, m, neg, v);
    size_t int_start = p->pos;
    if (!is_digit(c))
        return idt_toml__fail(p, "expected a digit");
    if (c == '0' && (is_digit(peek(p, 1)) || peek(p, 1) == '_'))
        return idt_toml__fail(p, "leading zeros are not allowed in decimal numbers");
    if (c == '0' && (peek(p, 1) == 'x' || peek(p, 1) == 'o' || peek(p, 1) == 'b'))
        return idt_toml__fail(p, "a sign is not allowed on hexadecimal, octal or binary integers");
    if (!digits(p, 10, "a digit"))
        return IDT_ESYNTAX;
    size_t int_end = p->pos;
    bool is_float = false;
    if (peek(p, 0) == '.') {
        p->pos++;
        if (!digits(p, 10, "a digit after the decimal point"))
            return IDT_ESYNTAX;
        is_float = true;
    }
    if (peek(p, 0) == 'e' || peek(p, 0) == 'E') {
        p->pos++;
        if (peek(p, 0) == '+' || peek(p, 0) == '-')
            p->pos++;
        if (!digits(p, 10, "a digit in the exponent"))
            return IDT_ESYNTAX;
        is_float = true;
    }
    if (is_float) {
        v->type = IDT_TOML_FLOAT;
        return to_double(p, m, &v->as.floating);
    }
    v->type = IDT_TOML_INTEGER;
    return to_int64(p, m, int_start, int_end, 10, neg, &v->as.integer);
}

/* ---- date-times ---------------------------------------------------------- */

/* Reads exactly n decimal digits. */
static bool fixed(idt_toml__parser *p, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        int c = peek(p, i);
        if (!is_digit(c))
            return false;
        v = v * 10 + (c - '0');
    }
    p->pos += n;
    *out = v;
    return true;
}

static bool expect(idt_toml__parser *p, char c)
{
    if (peek(p, 0) != (unsigned char)c)
        return false;
    p->pos++;
    return true;
}

static int days_in_month(int year, int month)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

static int date_part(idt_toml__parser *p, idt_toml__pos m, idt_toml_datetime *dt)
{
    if (!fixed(p, 4, &dt->year) || !expect(p, '-') || !fixed(p, 2, &dt->month) ||
        !expect(p, '-') || !fixed(p, 2, &dt->day))
        return idt_toml__fail_at(p, m, IDT_ESYNTAX, "invalid date (TOML dates are YYYY-MM-DD)");
    if (dt->month < 1 || dt->month > 12)
        return idt_toml__fail_at(p, m, IDT_ESYNTAX, "month %02d is out of range (01-12)",
                                 dt->month);
    if (dt->day < 1 || dt->day > days_in_month(dt->year, dt->month))
        return idt_toml__fail_at(p, m, IDT_ESYNTAX, "day %02d does not exist in %04d-%02d",
                                 dt->day, dt->year, dt->month);
    return IDT_OK;
}

static int time_part(idt_toml__parser *p, idt_toml_datetime *dt)
{
    idt_toml__pos m = idt_toml__mark(p);
    if (!fixed(p, 2, &dt->hour) || !expect(p, ':') || !fixed(p, 2, &dt->minute))
        return idt_toml__fail_at(p, m, IDT_ESYNTAX, "invalid time (TOML times are HH:MM:SS)");
    bool seconds = peek(p, 0) == ':';
    if (seconds && (!expect(p, ':') || !fixed(p, 2, &dt->second)))
        return idt_toml__fail_at(p, m, IDT_ESYNTAX, "invalid time (TOML times are HH:MM:SS)");
    if (!seconds && !p->v11)
        return idt_toml__fail_at(p, m, IDT_ESYNTAX,
                                 "invalid time: seconds are required in TOML 1.0 (HH:MM:SS; "
                                 "TOML 1.1 allows HH:MM)");
    if (dt->hour > 23 || dt->minute > 59 || dt->second > 60)
        return idt_toml__fail_at(p, m, IDT_ESYNTAX, "time %02d:%02d:%02d is out of range",
                                 dt->hour, dt->minute, dt->second);
    if (!seconds) {
        /* HH:MM (TOML 1.1) means HH:MM:00, and takes no fraction. */
        idt_toml__note_v11(p, IDT_TOML_FEATURE_TIME_NO_SECONDS, m, p->pos - m.offset);
        return IDT_OK;
    }
    if (expect(p, '.')) {
        if (!is_digit(peek(p, 0)))
            return idt_toml__fail(p, "expected a digit after the decimal point of the seconds");
        uint32_t ns = 0;
        int nd = 0;
        while (is_digit(peek(p, 0))) {
            if (nd < 9) { /* beyond nanoseconds the digits are truncated */
                ns = ns * 10 + (uint32_t)(peek(p, 0) - '0');
                nd++;
            }
            p->pos++;
        }
        dt->frac_digits = nd;
        for (int i = nd; i < 9; i++)
            ns *= 10;
        dt->nanosecond = ns;
    }
    return IDT_OK;
}

static int offset_part(idt_toml__parser *p, idt_toml_datetime *dt)
{
    int c = peek(p, 0);
    if (c == 'Z' || c == 'z') {
        p->pos++;
        return 1;
    }
    if (c != '+' && c != '-')
        return 0;
    idt_toml__pos m = idt_toml__mark(p);
    p->pos++;
    int h, mi;
    if (!fixed(p, 2, &h) || !expect(p, ':') || !fixed(p, 2, &mi))
        return idt_toml__fail_at(p, m, IDT_ESYNTAX, "invalid time offset (TOML: Z or +HH:MM)");
    if (h > 23 || mi > 59)
        return idt_toml__fail_at(p, m, IDT_ESYNTAX, "time offset %c%02d:%02d is out of range",
                                 c, h, mi);
    dt->offset_minutes = (c == '-' ? -1 : 1) * (h * 60 + mi);
    return 1;
}

static bool time_follows(const idt_toml__parser *p, size_t at)
{
    return is_digit(peek(p, at)) && is_digit(peek(p, at + 1)) && peek(p, at + 2) == ':';
}

static int datetime(idt_toml__parser *p, idt_toml_value *v)
{
    idt_toml__pos m = idt_toml__mark(p);
    idt_toml_datetime *dt = &v->as.datetime;
    memset(dt, 0, sizeof *dt);
    if (time_follows(p, 0)) {
        v->type = IDT_TOML_TIME_LOCAL;
        return time_part(p, dt);
    }
    IDTX_TRY(date_part(p, m, dt));
    int sep = peek(p, 0);
    if (!((sep == 'T' || sep == 't' || sep == ' ') && time_follows(p, 1))) {
        if (sep == 'T' || sep == 't')
            return idt_toml__fail(p, "expected a time after 'T' (HH:MM:SS)");
        v->type = IDT_TOML_DATE_LOCAL;
        return IDT_OK;
    }
    p->pos++;
    IDTX_TRY(time_part(p, dt));
    int has_offset = offset_part(p, dt);
    if (has_offset < 0)
        return has_offset;
    v->type = has_offset ? IDT_TOML_DATETIME : IDT_TOML_DATETIME_LOCAL;
    return IDT_OK;
}

static bool date_follows(const idt_toml__parser *p)
{
    for (size_t i = 0; i < 4; i++)
        if (!is_digit(peek(p, i)))
            return false;
    return peek(p, 4) == '-';
}

static int boolean(idt_toml__parser *p, idt_toml_value *v)
{
    bool t = peek(p, 0) == 't';
    const char *word = t ? "true" : "false";
    size_t n = t ? 4 : 5;
    if (p->len - p->pos < n || memcmp(p->src + p->pos, word, n) != 0)
        return idt_toml__fail(p, "invalid value (strings must be quoted; booleans are "
                                 "true and false, in lowercase)");
    p->pos += n;
    v->type = IDT_TOML_BOOL;
    v->as.boolean = t;
    return IDT_OK;
}

int idt_toml__scalar(idt_toml__parser *p, idt_toml_value *v)
{
    int c = peek(p, 0);
    if (c == 't' || c == 'f')
        return boolean(p, v);
    if (is_digit(c) && (date_follows(p) || time_follows(p, 0)))
        return datetime(p, v);
    if (is_digit(c) || c == '+' || c == '-' || c == 'i' || c == 'n')
        return number(p, v);
    if (c < 0 || c == '\n' || c == '\r' || c == '#')
        return idt_toml__fail(p, "expected a value after '='");
    return idt_toml__fail(p, "invalid value (strings must be quoted: \"...\" or '...')");
}
