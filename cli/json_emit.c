/* A TOML value tree as plain or tagged JSON (json_emit.h). */
#include "json_emit.h"
#include "json_out.h"
#include "util/error_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct emitter {
    char *data;
    size_t len, cap;
    unsigned flags;
    idt_error *err;
} emitter;

static int reserve(emitter *e, size_t more)
{
    if (more <= e->cap - e->len)
        return IDT_OK;
    if (more > SIZE_MAX / 2 - e->len)
        return idtx_error_set(e->err, IDT_ENOMEM, NULL, "JSON output too large");
    size_t want = e->len + more, ncap = e->cap ? e->cap : 4096;
    while (ncap < want)
        ncap *= 2;
    char *nd = realloc(e->data, ncap);
    if (!nd)
        return idtx_error_set(e->err, IDT_ENOMEM, NULL, "out of memory writing JSON");
    e->data = nd;
    e->cap = ncap;
    return IDT_OK;
}

static int put(emitter *e, const char *s, size_t n)
{
    IDTX_TRY(reserve(e, n));
    memcpy(e->data + e->len, s, n);
    e->len += n;
    return IDT_OK;
}

static int puts_(emitter *e, const char *s)
{
    return put(e, s, strlen(s));
}

static int emit_sink(void *ctx, const char *s, size_t n)
{
    return put(ctx, s, n);
}

static int put_string(emitter *e, const char *s, size_t n)
{
    size_t bad = 0;
    int rc = cli_json_write_string(emit_sink, e, s, n, false, &bad);
    if (rc == IDT_EFORMAT)
        return idtx_error_set(e->err, IDT_EFORMAT, NULL,
                              "string is not valid UTF-8 at byte %zu", bad);
    return rc;
}

/* The shortest decimal that reads back as d (finite), in fixed notation
 * while its exponent is in [-5, 16] and in exponent notation otherwise,
 * with ".0" added when it would otherwise look like an integer:
 * 300.0, 0.1, 1e-06, 1e+300. */
static void format_double(char *buf, size_t cap, double d)
{
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(buf, cap, "%.*e", prec - 1, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    snprintf(buf, cap, "%.*e", prec - 1, d);
    int exp10 = atoi(strchr(buf, 'e') + 1);
    if (exp10 >= -5 && exp10 <= 16)
        snprintf(buf, cap, "%.*f", prec - 1 - exp10 > 0 ? prec - 1 - exp10 : 0, d);
    else
        snprintf(buf, cap, "%.*g", prec, d);
    if (!strpbrk(buf, ".eE"))
        strncat(buf, ".0", cap - strlen(buf) - 1);
}

/* A float as a JSON number, or as a string when `quoted` (the tagged
 * "value") or when it has no JSON number (inf, -inf, nan). */
static int put_float(emitter *e, double d, bool quoted)
{
    char buf[64];
    if (isnan(d))
        strcpy(buf, "nan");
    else if (isinf(d))
        strcpy(buf, d > 0 ? "inf" : "-inf");
    else
        format_double(buf, sizeof buf, d);
    if (!quoted && isfinite(d))
        return puts_(e, buf);
    IDTX_TRY(put(e, "\"", 1));
    IDTX_TRY(puts_(e, buf));
    return put(e, "\"", 1);
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
        snprintf(buf, sizeof buf, "%s%" PRId64 "%s", q, v->as.integer, q);
        return puts_(e, buf);
    case IDT_TOML_BOOL:
        snprintf(buf, sizeof buf, "%s%s%s", q, v->as.boolean ? "true" : "false", q);
        return puts_(e, buf);
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
    if (!(e->flags & CLI_JSON_TAGGED))
        return put_scalar_text(e, v, false);
    IDTX_TRY(puts_(e, "{\"type\": \""));
    IDTX_TRY(puts_(e, idt_toml_type_name(v->type)));
    IDTX_TRY(puts_(e, "\", \"value\": "));
    IDTX_TRY(put_scalar_text(e, v, true));
    return put(e, "}", 1);
}

/* Starts the next member of a container: a comma after the first, and in
 * pretty mode a newline and the indent of `depth`. */
static int put_separator(emitter *e, size_t index, unsigned depth)
{
    if (index)
        IDTX_TRY(put(e, ",", 1));
    if (!(e->flags & CLI_JSON_PRETTY))
        return index ? put(e, " ", 1) : IDT_OK;
    IDTX_TRY(put(e, "\n", 1));
    IDTX_TRY(reserve(e, (size_t)depth * 2));
    memset(e->data + e->len, ' ', (size_t)depth * 2);
    e->len += (size_t)depth * 2;
    return IDT_OK;
}

static int put_close(emitter *e, size_t count, unsigned depth, char bracket)
{
    if (count && (e->flags & CLI_JSON_PRETTY)) {
        IDTX_TRY(put(e, "\n", 1));
        IDTX_TRY(reserve(e, (size_t)depth * 2));
        memset(e->data + e->len, ' ', (size_t)depth * 2);
        e->len += (size_t)depth * 2;
    }
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
    if (depth > CLI_JSON_MAX_DEPTH)
        return idtx_error_set(e->err, IDT_ELIMIT, &v->span,
                              "value nested more than %u levels deep", CLI_JSON_MAX_DEPTH);
    if (v->type == IDT_TOML_TABLE)
        return put_table(e, v, depth);
    if (v->type == IDT_TOML_ARRAY)
        return put_array(e, v, depth);
    return put_scalar(e, v);
}

int cli_json_emit(char **out, size_t *out_len, const idt_toml_value *v, unsigned flags,
                  idt_error *err)
{
    emitter e = { NULL, 0, 0, flags, err };
    *out = NULL;
    *out_len = 0;
    int rc = put_value(&e, v, 0);
    if (rc >= 0)
        rc = put(&e, "\n\0", 2);
    if (rc < 0) {
        free(e.data);
        return rc;
    }
    *out = e.data;
    *out_len = e.len - 1;
    return IDT_OK;
}
