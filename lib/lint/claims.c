/* idt_lint_claims: the init_data_claims Trustee derives from a document
 * (initdata-facts §6).  Trustee parses the document, turns `data` into a
 * JSON object, replaces aa.toml and cdh.toml by their JSON form when they
 * parse as TOML (toml::Value -> serde_json::Value), and replaces
 * policy.rego by agent_policy_claims when the policy holds
 * `policy_data := {` followed by JSON to its end.  The object is built
 * with jansson and written with sorted keys, like serde_json's map. */
#include "lint/lint_int.h"

#include "util/json_read.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLICY_DATA "policy_data := {"

/* serde_json's default recursion limit: 128 levels, of which the parser
 * reaches 127 before it gives up. */
#define SERDE_MAX_DEPTH 127

size_t idt_lint__policy_data_at(const char *text, size_t len)
{
    size_t n = sizeof POLICY_DATA - 1;
    for (size_t i = 0; i + n <= len;) {
        const char *p = memchr(text + i, 'p', len - n + 1 - i);
        if (!p)
            break;
        i = (size_t)(p - text);
        if (memcmp(p, POLICY_DATA, n) == 0)
            return i + n - 1;
        i++;
    }
    return SIZE_MAX;
}

static size_t depth(const json_t *v)
{
    size_t d = 0;
    if (json_is_object(v)) {
        const char *k;
        const json_t *x;
        json_object_foreach ((json_t *)v, k, x) {
            size_t e = depth(x);
            d = e > d ? e : d;
        }
        return d + 1;
    }
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            size_t e = depth(json_array_get(v, i));
            d = e > d ? e : d;
        }
        return d + 1;
    }
    return 0;
}

/* Numbers and keys jansson refuses although they are JSON: integers
 * beyond 64 bits, reals beyond a double, a NUL in an object key. */
static bool jansson_reads(const idtx_json *j)
{
    char num[512];
    for (size_t i = 0; i < j->ntok; i++) {
        const idtx_json_tok *t = &j->tok[i];
        if (t->type == IDTX_JSON_NUMBER) {
            if (t->len >= sizeof num)
                return false; /* let jansson judge it */
            memcpy(num, j->src + t->start, t->len);
            num[t->len] = '\0';
            errno = 0;
            if (!strpbrk(num, ".eE")) {
                (void)strtoll(num, NULL, 10);
                if (errno == ERANGE)
                    return false;
            } else if (isinf(strtod(num, NULL))) {
                return false;
            }
        } else if (t->type == IDTX_JSON_OBJECT) {
            size_t k = i + 1;
            for (uint32_t m = 0; m < t->count; m++) {
                if (j->tok[k].escaped) { /* only an escape can spell a NUL */
                    idtx_buf key;
                    idtx_buf_init(&key, j->tok[k].len, "a key");
                    bool nul = idtx_json_string_decode(j, k, &key, NULL) != IDT_OK ||
                               memchr(key.data ? key.data : "", '\0', key.len);
                    idtx_buf_dispose(&key);
                    if (nul)
                        return false;
                }
                k = j->tok[k + 1].next;
            }
        }
    }
    return true;
}

int idt_lint__json_parse(const char *text, size_t len, void **out, char *why, size_t cap)
{
    if (!out) {
        /* Only whether Trustee can read it: our reader, at several times
         * jansson's speed, with jansson's own refusals added; anything it
         * refuses goes to jansson below for the same message as ever. */
        idtx_json j;
        int rc = idtx_json_parse(&j, text, len, SERDE_MAX_DEPTH, len + 1, NULL);
        if (rc == IDT_ENOMEM)
            return rc;
        bool fine = rc == IDT_OK && jansson_reads(&j);
        if (rc == IDT_OK)
            idtx_json_dispose(&j);
        if (fine)
            return 0;
    }
    json_error_t jerr;
    json_t *v = json_loadb(text, len, JSON_ALLOW_NUL, &jerr);
    if (!v) {
        if (json_error_code(&jerr) == json_error_out_of_memory)
            return IDT_ENOMEM;
        snprintf(why, cap, "%s", jerr.text);
        return 1;
    }
    if (depth(v) > SERDE_MAX_DEPTH) {
        json_decref(v);
        snprintf(why, cap, "nested more than %d levels deep, serde_json's limit",
                 SERDE_MAX_DEPTH);
        return 1;
    }
    if (out)
        *out = v;
    else
        json_decref(v);
    return 0;
}

/* --- TOML to JSON, as toml::Value serialises into serde_json ------------ */

/* toml_datetime's Display: the fraction without trailing zeros, "Z" for a
 * literal Z offset and "+00:00" for a written zero offset. */
static json_t *datetime(const idt_toml_value *v, const char *text)
{
    const idt_toml_datetime *t = &v->as.datetime;
    char buf[64];
    size_t n = 0;
    if (v->type != IDT_TOML_TIME_LOCAL)
        n += (size_t)snprintf(buf, sizeof buf, "%04d-%02d-%02d", t->year, t->month, t->day);
    if (v->type != IDT_TOML_DATE_LOCAL) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%02d:%02d:%02d",
                              v->type == IDT_TOML_TIME_LOCAL ? "" : "T", t->hour, t->minute,
                              t->second);
        if (t->nanosecond) {
            char frac[16];
            snprintf(frac, sizeof frac, "%09u", (unsigned)t->nanosecond);
            size_t k = 9;
            while (k > 1 && frac[k - 1] == '0')
                k--;
            n += (size_t)snprintf(buf + n, sizeof buf - n, ".%.*s", (int)k, frac);
        }
    }
    if (v->type == IDT_TOML_DATETIME) {
        char last = v->span.length ? text[v->span.offset + v->span.length - 1] : 'Z';
        int m = t->offset_minutes < 0 ? -t->offset_minutes : t->offset_minutes;
        if (last == 'Z' || last == 'z')
            snprintf(buf + n, sizeof buf - n, "Z");
        else
            snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", t->offset_minutes < 0 ? '-' : '+',
                     m / 60, m % 60);
    }
    json_t *s = json_string(buf);
    json_t *o = json_object();
    if (!s || !o || json_object_set_new(o, "$__toml_private_datetime", s) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *to_json(const idt_toml_value *v, const char *text);

static json_t *table_to_json(const idt_toml_value *v, const char *text)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < v->as.table.count; i++) {
        const idt_toml_entry *e = &v->as.table.entries[i];
        json_t *x = to_json(e->value, text);
        if (!x || json_object_setn_new(o, e->key, e->key_len, x) < 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static json_t *to_json(const idt_toml_value *v, const char *text)
{
    switch (v->type) {
    case IDT_TOML_TABLE:
        return table_to_json(v, text);
    case IDT_TOML_ARRAY: {
        json_t *a = json_array();
        for (size_t i = 0; a && i < v->as.array.count; i++)
            if (json_array_append_new(a, to_json(v->as.array.items[i], text)) < 0) {
                json_decref(a);
                return NULL;
            }
        return a;
    }
    case IDT_TOML_STRING:
        return json_stringn(v->as.string.ptr, v->as.string.len);
    case IDT_TOML_INTEGER:
        return json_integer((json_int_t)v->as.integer);
    case IDT_TOML_FLOAT:
        /* serde_json has no number for inf or nan: it writes null. */
        return v->as.floating - v->as.floating == 0 ? json_real(v->as.floating) : json_null();
    case IDT_TOML_BOOL:
        return json_boolean(v->as.boolean);
    default:
        return datetime(v, text);
    }
}

/* --- the claims ----------------------------------------------------------- */

static bool is(const idt_doc_entry *e, const char *name)
{
    return e->name_len == strlen(name) && memcmp(e->name, name, e->name_len) == 0;
}

/* An entry's claim: aa.toml and cdh.toml as JSON when they are TOML, any
 * other entry (or an entry that is not TOML) as its string. */
static int entry_claim(json_t **out, const idt_doc_entry *e)
{
    *out = NULL;
    if (is(e, "aa.toml") || is(e, "cdh.toml")) {
        idt_toml_doc *t = NULL;
        int rc = idt_toml_parse(&t, e->content, e->content_len, NULL, NULL);
        if (rc == IDT_ENOMEM)
            return rc;
        if (rc == IDT_OK) {
            *out = to_json(idt_toml_doc_root(t), e->content);
            idt_toml_doc_free(t);
            return *out ? IDT_OK : IDT_ENOMEM;
        }
    }
    *out = json_stringn(e->content, e->content_len);
    return *out ? IDT_OK : IDT_ENOMEM;
}

/* policy.rego -> agent_policy_claims, after the other entries (Trustee
 * inserts it last, over an entry that might have the same name). */
static int policy_claims(json_t *claims, const idt_doc *doc)
{
    const idt_doc_entry *e = idt_doc_entry_get(doc, "policy.rego", 11);
    if (!e)
        return IDT_OK;
    size_t at = idt_lint__policy_data_at(e->content, e->content_len);
    if (at == SIZE_MAX)
        return IDT_OK;
    void *v = NULL;
    char why[160];
    int rc = idt_lint__json_parse(e->content + at, e->content_len - at, &v, why, sizeof why);
    if (rc != 0)
        return rc < 0 ? rc : IDT_OK;
    json_object_del(claims, "policy.rego");
    return json_object_set_new(claims, "agent_policy_claims", v) < 0 ? IDT_ENOMEM : IDT_OK;
}

static int build(json_t **out, const idt_doc *doc)
{
    json_t *claims = json_object();
    if (!claims)
        return IDT_ENOMEM;
    int rc = IDT_OK;
    for (size_t i = 0; rc == IDT_OK && i < idt_doc_entry_count(doc); i++) {
        const idt_doc_entry *e = idt_doc_entry_at(doc, i);
        json_t *v;
        rc = entry_claim(&v, e);
        if (rc == IDT_OK && json_object_setn_new(claims, e->name, e->name_len, v) < 0)
            rc = IDT_ENOMEM;
    }
    if (rc == IDT_OK)
        rc = policy_claims(claims, doc);
    if (rc < 0) {
        json_decref(claims);
        return rc;
    }
    *out = claims;
    return IDT_OK;
}

int idt_lint_claims(char **out, size_t *out_len, const idt_doc *doc, unsigned flags,
                    idt_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !doc || (flags & ~IDT_LINT_CLAIMS_PRETTY))
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_lint_claims");
    json_t *claims = NULL;
    if (build(&claims, doc) < 0)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory building the claims");
    size_t jflags = JSON_SORT_KEYS | (flags & IDT_LINT_CLAIMS_PRETTY ? JSON_INDENT(2)
                                                                     : JSON_COMPACT);
    size_t n = json_dumpb(claims, NULL, 0, jflags);
    char *buf = n && n < SIZE_MAX - 2 ? malloc(n + 2) : NULL;
    if (!buf || json_dumpb(claims, buf, n, jflags) != n) {
        free(buf);
        json_decref(claims);
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory writing the claims");
    }
    json_decref(claims);
    buf[n] = '\n';
    buf[n + 1] = '\0';
    *out = buf;
    if (out_len)
        *out_len = n + 1;
    return IDT_OK;
}
