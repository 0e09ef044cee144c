/* Configuration files against a schema of known keys (lint_int.h).
 *
 * The attestation-agent and the confidential-data-hub read their files
 * with the `config` crate and serde: unknown keys are ignored, a missing
 * required key or a value of the wrong shape makes the whole file fail to
 * load, and a scalar of the wrong type is converted when it can be ("17"
 * for an integer, 8080 for a string). */
#include "lint/lint_int.h"
#include "util/quote.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define PATH_MAX_LEN 200
#define MAX_FIELDS 32

static const char *kind_phrase(idt_lint__kind k)
{
    switch (k) {
    case IDT_LINT_STRING: return "a string";
    case IDT_LINT_INTEGER: return "an integer";
    case IDT_LINT_BOOL: return "a boolean";
    case IDT_LINT_TABLE: return "a table";
    case IDT_LINT_STRINGS: return "an array of strings";
    case IDT_LINT_TABLES: return "an array of tables";
    }
    return "a value";
}

/* "a.b" from "a" and "b"; just "b" at the top. */
static void join(char out[PATH_MAX_LEN], const char *path, const char *name)
{
    snprintf(out, PATH_MAX_LEN, "%s%s%s", path, *path ? "." : "", name);
}

/* "a[3]" (a long path is cut: it only ever goes into messages). */
static void path_index(char out[PATH_MAX_LEN], const char *path, size_t i)
{
    int n = snprintf(out, PATH_MAX_LEN, "%s[%zu]", path, i);
    if (n < 0)
        out[0] = '\0';
}

static bool is_scalar(const idt_toml_value *v)
{
    return v->type != IDT_TOML_TABLE && v->type != IDT_TOML_ARRAY;
}

static bool string_is_integer(const idt_toml_value *v)
{
    const char *s = v->as.string.ptr;
    size_t n = v->as.string.len, i = n && (s[0] == '+' || s[0] == '-');
    if (i == n || n - i > 19)
        return false;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool string_is_bool(const idt_toml_value *v)
{
    static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "1", "0" };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (v->as.string.len == strlen(words[i]) &&
            strncasecmp(v->as.string.ptr, words[i], v->as.string.len) == 0)
            return true;
    return false;
}

/* Whether the config crate turns scalar v into the wanted kind. */
static bool converts(const idt_toml_value *v, idt_lint__kind want)
{
    switch (want) {
    case IDT_LINT_STRING:
        return v->type == IDT_TOML_INTEGER || v->type == IDT_TOML_FLOAT ||
               v->type == IDT_TOML_BOOL;
    case IDT_LINT_INTEGER:
        return v->type == IDT_TOML_STRING && string_is_integer(v);
    case IDT_LINT_BOOL:
        return v->type == IDT_TOML_STRING && string_is_bool(v);
    default:
        return false;
    }
}

static bool has_kind(const idt_toml_value *v, idt_lint__kind want)
{
    switch (want) {
    case IDT_LINT_STRING: return v->type == IDT_TOML_STRING;
    case IDT_LINT_INTEGER: return v->type == IDT_TOML_INTEGER;
    case IDT_LINT_BOOL: return v->type == IDT_TOML_BOOL;
    case IDT_LINT_TABLE: return v->type == IDT_TOML_TABLE;
    case IDT_LINT_STRINGS:
    case IDT_LINT_TABLES: return v->type == IDT_TOML_ARRAY;
    }
    return false;
}

static void wrong_type(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                       const char *want)
{
    idt_lint__report(c, IDT_LINT__CODE_KEY_TYPE, IDT_DOC_ERROR, c->consumer, &v->span,
                     "%s must be %s, not %s (the %s fails to load %s)", path, want,
                     idt_toml_type_phrase(v->type), c->reader, c->entry_name);
}

static void converted(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                      const char *want)
{
    idt_lint__report(c, IDT_LINT__CODE_KEY_CONVERTED, IDT_DOC_WARNING, 0, &v->span,
                     "%s should be %s, not %s: the %s's configuration loader converts it, "
                     "but KBS policies reading Trustee's claims see %s",
                     path, want, idt_toml_type_phrase(v->type), c->reader,
                     idt_toml_type_phrase(v->type));
}

/* Reports the items of an array field that do not have the kind (the
 * checks that follow skip them). */
static void check_items(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                        idt_lint__kind kind)
{
    for (size_t i = 0; i < v->as.array.count && !idt_lint__done(c); i++) {
        const idt_toml_value *item = v->as.array.items[i];
        char at[PATH_MAX_LEN];
        path_index(at, path, i);
        if (kind == IDT_LINT_TABLES ? item->type == IDT_TOML_TABLE
                                    : item->type == IDT_TOML_STRING)
            continue;
        if (kind == IDT_LINT_STRINGS && is_scalar(item))
            converted(c, item, at, "a string");
        else
            wrong_type(c, item, at, kind == IDT_LINT_TABLES ? "a table" : "a string");
    }
}

/* Reports a value of the wrong kind; returns whether v can be checked
 * further as the field's kind. */
static bool check_kind(idt_lint__ctx *c, const idt_lint__field *f, const idt_toml_value *v,
                       const char *path)
{
    if (has_kind(v, f->kind)) {
        if (f->kind == IDT_LINT_STRINGS || f->kind == IDT_LINT_TABLES)
            check_items(c, v, path, f->kind);
        return true;
    }
    if (is_scalar(v) && converts(v, f->kind))
        converted(c, v, path, kind_phrase(f->kind));
    else
        wrong_type(c, v, path, kind_phrase(f->kind));
    return false;
}

static const idt_lint__field *find(const idt_lint__field *fields, const idt_toml_entry *e)
{
    for (const idt_lint__field *f = fields; f->name; f++)
        if (e->key_len == strlen(f->name) && memcmp(e->key, f->name, e->key_len) == 0)
            return f;
    return NULL;
}

static void unknown(idt_lint__ctx *c, const idt_toml_entry *e, const char *path,
                    const idt_lint__field *fields)
{
    const char *names[MAX_FIELDS];
    size_t n = 0;
    for (const idt_lint__field *f = fields; f->name && n < MAX_FIELDS; f++)
        names[n++] = f->name;
    int k = idt_lint__closest(e->key, e->key_len, names, n, idt_lint__typo_budget(e->key_len));
    char q[IDTX_QUOTE_MAX], where[PATH_MAX_LEN + 8] = "";
    if (*path)
        snprintf(where, sizeof where, " in [%s]", path);
    char hint[96] = "";
    if (k >= 0)
        snprintf(hint, sizeof hint, "; did you mean \"%s\"?", names[k]);
    idt_lint__report(c, IDT_LINT__CODE_KEY_UNKNOWN, IDT_DOC_WARNING, 0, &e->key_span,
                     "unknown key %s%s (the %s ignores it)%s",
                     idtx_quote(q, e->key, e->key_len), where, c->reader, hint);
}

void idt_lint__missing(idt_lint__ctx *c, const idt_toml_value *table, const char *path,
                       const char *key, const char *why)
{
    char where[PATH_MAX_LEN + 16];
    if (*path)
        snprintf(where, sizeof where, "[%s]", path);
    else
        snprintf(where, sizeof where, "%s", c->entry_name);
    idt_lint__report(c, IDT_LINT__CODE_KEY_MISSING, IDT_DOC_ERROR, c->consumer,
                     *path ? &table->span : NULL, "%s has no %s (%s)", where, key, why);
}

static void missing_field(idt_lint__ctx *c, const idt_toml_value *table, const char *path,
                          const idt_lint__field *f)
{
    char key[PATH_MAX_LEN + 16], why[160];
    if (f->kind == IDT_LINT_TABLE)
        snprintf(key, sizeof key, "[%s%s%s] table", path, *path ? "." : "", f->name);
    else
        snprintf(key, sizeof key, "%s", f->name);
    snprintf(why, sizeof why, "the %s requires it and fails to load %s", c->reader,
             c->entry_name);
    idt_lint__missing(c, table, path, key, why);
}

static void walk_value(idt_lint__ctx *c, const idt_lint__field *f, const idt_toml_value *v,
                       const char *path, void *state)
{
    if (f->kind == IDT_LINT_TABLE) {
        idt_lint__walk(c, v, path, f->fields, state);
        if (f->check && !idt_lint__done(c))
            f->check(c, v, path, state);
        return;
    }
    if (f->kind == IDT_LINT_TABLES) {
        for (size_t i = 0; i < v->as.array.count && !idt_lint__done(c); i++) {
            if (v->as.array.items[i]->type != IDT_TOML_TABLE)
                continue;
            char at[PATH_MAX_LEN];
            path_index(at, path, i);
            idt_lint__walk(c, v->as.array.items[i], at, f->fields, state);
            if (f->check && !idt_lint__done(c))
                f->check(c, v->as.array.items[i], at, state);
        }
        return;
    }
    if (f->check)
        f->check(c, v, path, state);
}

void idt_lint__walk(idt_lint__ctx *c, const idt_toml_value *table, const char *path,
                    const idt_lint__field *fields, void *state)
{
    for (size_t i = 0; i < table->as.table.count && !idt_lint__done(c); i++) {
        const idt_toml_entry *e = &table->as.table.entries[i];
        const idt_lint__field *f = find(fields, e);
        if (!f) {
            unknown(c, e, path, fields);
            continue;
        }
        char sub[PATH_MAX_LEN];
        join(sub, path, f->name);
        if (check_kind(c, f, e->value, sub))
            walk_value(c, f, e->value, sub, state);
    }
    for (const idt_lint__field *f = fields; f->name && !idt_lint__done(c); f++)
        if (f->required && !idt_toml_table_get(table, f->name, strlen(f->name)))
            missing_field(c, table, path, f);
}
