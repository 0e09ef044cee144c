/* A TOML value tree as plain or tagged JSON (toml.h, idt_toml_to_json). */
#include "toml_int.h"
#include "util/buf.h"
#include "util/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The output may be at most this large: a 64 MiB document of one-byte
 * values cannot come close, and a bound keeps the arithmetic simple. */
#define JSON_MAX ((size_t)1 << 31)

typedef struct emitter {
    idtx_buf out;
    unsigned flags;
    idt_error *err;
} emitter;

static int put(emitter *e, const char *s, size_t n)
{
    return idtx_buf_put(&e->out, s, n, e->err);
}

static int puts_(emitter *e, const char *s)
{
    return idtx_buf_puts(&e->out, s, e->err);
}

static int put_string(emitter *e, const char *s, size_t n)
{
    size_t bad = 0;
    int rc = idtx_json_string(&e->out, s, n, false, &bad, e->err);
    if (rc == IDT_EFORMAT)
        return idtx_error_set(e->err, IDT_EFORMAT, NULL,
                              "string is not valid UTF-8 at byte %zu", bad);
    return rc;
}

/* The shortest decimal that reads back as d (finite), in fixed notation
 * while its exponent is in [-5, 16] and in exponent notation otherwise,
 * with ".0" added when it would otherwise look like an integer:
 * 300.0, 0.1, 1e-06, 1e+300. */
static void format_double(char buf[64], double d)
{
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(buf, 64, "%.*e", prec - 1, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    snprintf(buf, 64, "%.*e", prec - 1, d);
    long exp10 = strtol(strchr(buf, 'e') + 1, NULL, 10);
    if (exp10 >= -5 && exp10 <= 16)
        snprintf(buf, 64, "%.*f", prec - 1 - (int)exp10 > 0 ? prec - 1 - (int)exp10 : 0, d);
    else
        snprintf(buf, 64, "%.*g", prec, d);
    size_t n = strlen(buf);
    if (!strpbrk(buf, ".eE") && n + 2 < 64)
        memcpy(buf + n, ".0", 3);
}

/* A float as a JSON number, or as a string when `quoted` (the tagged
 * "value") or when it has no JSON number (inf, -inf, nan). */
static int put_float(emitter *e, double d, bool quoted)
{
    char buf[64];
    if (isnan(d))
        snprintf(buf, sizeof buf, "nan");
    else if (isinf(d))
        snprintf(buf, sizeof buf, "%s", d > 0 ? "inf" : "-inf");
    else
        format_double(buf, d);
    if (!quoted && isfinite(d))
        return puts_(e, buf);
    return idtx_buf_printf(&e->out, e->err, "\"%s\"", buf);
}

/* Writes a scalar's text: bare (plain JSON) or as the "value" string. */
static int put_scalar_text(emitter *e, const idt_toml_value *v, bool quoted)
{
    char buf[96];
    const char *q = quoted ? "\"" : "";
    switch (v->type) {
    case IDT_TOML_STRING:
        return put_string(e, v->as.string.ptr, v->as.string.len);
    case IDT_TOML_INTEGER:
        return idtx_buf_printf(&e->out, e->err, "%s%" PRId64 "%s", q, v->as.integer, q);
    case IDT_TOML_BOOL:
        return idtx_buf_printf(&e->out, e->err, "%s%s%s", q,
                               v->as.boolean ? "true" : "false", q);
    case IDT_TOML_FLOAT:
        return put_float(e, v->as.floating, quoted);
    default: {
        int n = idt_toml_datetime_format(buf, sizeof buf, v);
        if (n < 0 || (size_t)n >= sizeof buf)
            return idtx_error_set(e->err, IDT_EFORMAT, NULL, "cannot format a %s value",
                                  idt_toml_type_name(v->type));
        return put_string(e, buf, (size_t)n);
    }
    }
}

static int put_scalar(emitter *e, const idt_toml_value *v)
{
    if (!(e->flags & IDT_TOML_JSON_TAGGED))
        return put_scalar_text(e, v, false);
    IDTX_TRY(idtx_buf_printf(&e->out, e->err, "{\"type\": \"%s\", \"value\": ",
                             idt_toml_type_name(v->type)));
    IDTX_TRY(put_scalar_text(e, v, true));
    return put(e, "}", 1);
}

/* A newline and the indent of `depth`, in pretty mode. */
static int put_indent(emitter *e, unsigned depth)
{
    IDTX_TRY(put(e, "\n", 1));
    return idtx_buf_fill(&e->out, ' ', (size_t)depth * 2, e->err);
}

/* Starts the next member of a container: a comma after the first, and in
 * pretty mode a newline and the indent of `depth`. */
static int put_separator(emitter *e, size_t index, unsigned depth)
{
    if (index)
        IDTX_TRY(put(e, ",", 1));
    if (!(e->flags & IDT_TOML_JSON_PRETTY))
        return index ? put(e, " ", 1) : IDT_OK;
    return put_indent(e, depth);
}

static int put_close(emitter *e, size_t count, unsigned depth, char bracket)
{
    if (count && (e->flags & IDT_TOML_JSON_PRETTY))
        IDTX_TRY(put_indent(e, depth));
    return put(e, &bracket, 1);
}

static int put_value(emitter *e, const idt_toml_value *v, unsigned depth);

static int put_table(emitter *e, const idt_toml_value *v, unsigned depth)
{
    IDTX_TRY(put(e, "{", 1));
    for (size_t i = 0; i < v->as.table.count; i++) {
        const idt_toml_entry *en = &v->as.table.entries[i];
        IDTX_TRY(put_separator(e, i, depth + 1));
        IDTX_TRY(put_string(e, en->key, en->key_len));
        IDTX_TRY(put(e, ": ", 2));
        IDTX_TRY(put_value(e, en->value, depth + 1));
    }
    return put_close(e, v->as.table.count, depth, '}');
}

static int put_array(emitter *e, const idt_toml_value *v, unsigned depth)
{
    IDTX_TRY(put(e, "[", 1));
    for (size_t i = 0; i < v->as.array.count; i++) {
        IDTX_TRY(put_separator(e, i, depth + 1));
        IDTX_TRY(put_value(e, v->as.array.items[i], depth + 1));
    }
    return put_close(e, v->as.array.count, depth, ']');
}

static int put_value(emitter *e, const idt_toml_value *v, unsigned depth)
{
    if (depth > IDT_TOML_JSON_MAX_DEPTH)
        return idtx_error_set(e->err, IDT_ELIMIT, &v->span,
                              "value nested more than %u levels deep", IDT_TOML_JSON_MAX_DEPTH);
    if (v->type == IDT_TOML_TABLE)
        return put_table(e, v, depth);
    if (v->type == IDT_TOML_ARRAY)
        return put_array(e, v, depth);
    return put_scalar(e, v);
}

int idt_toml_to_json(char **out, size_t *out_len, const idt_toml_value *v, unsigned flags,
                     idt_error *err)
{
    if (!out || !v)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_toml_to_json: NULL argument");
    emitter e = { .flags = flags, .err = err };
    idtx_buf_init(&e.out, JSON_MAX, "the JSON output");
    *out = NULL;
    if (out_len)
        *out_len = 0;
    int rc = put_value(&e, v, 0);
    if (rc >= 0)
        rc = put(&e, "\n", 1);
    if (rc >= 0)
        rc = idtx_buf_take(&e.out, out, out_len, err);
    idtx_buf_dispose(&e.out);
    return rc;
}
