/* The Init-Data document: parse, check, accessors (initdata/doc.h). */
#include "doc/doc_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct idt_doc {
    const char *bytes; /* the exact input: our copy plus a NUL, or the caller's */
    size_t len;
    bool owned;        /* bytes is our copy (free it) */
    idt_toml_doc *toml;
    const char *version;
    const idt_toml_value *data; /* the data table, mirrored by entries */
    idt_digest_alg alg;
    idt_doc_entry *entries;
    size_t count;
};

static const struct {
    unsigned bit;
    const char *name;
} consumers[] = {
    { IDT_CONSUMER_KATA, "kata" },
    { IDT_CONSUMER_AA, "attestation-agent" },
    { IDT_CONSUMER_TRUSTEE, "Trustee" },
    { IDT_CONSUMER_CDH, "confidential-data-hub" },
};

#define NCONSUMERS (sizeof consumers / sizeof consumers[0])

const char *idt_consumer_name(unsigned consumer)
{
    for (size_t i = 0; i < NCONSUMERS; i++)
        if (consumers[i].bit == consumer)
            return consumers[i].name;
    return NULL;
}

int idt_consumers_format(char *buf, size_t cap, unsigned mask)
{
    if (!buf && cap)
        return -1;
    const char *names[NCONSUMERS];
    size_t n = 0;
    for (size_t i = 0; i < NCONSUMERS; i++)
        if (mask & consumers[i].bit)
            names[n++] = consumers[i].name;
    if (!n)
        return snprintf(buf, cap, "none");
    /* "a", "a and b", "a, b and c": snprintf-style, so the length counts
     * what did not fit. */
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " and " : ", ";
        size_t at = total < cap ? total : cap ? cap - 1 : 0;
        int k = snprintf(cap ? buf + at : NULL, cap ? cap - at : 0, "%s%s", sep, names[i]);
        if (k < 0)
            return -1;
        total += (size_t)k;
    }
    return (int)total;
}

const char *idt_doc_rule_name(idt_doc_rule rule)
{
    switch (rule) {
    case IDT_DOC_RULE_TOML: return "toml";
    case IDT_DOC_RULE_MISSING: return "missing-key";
    case IDT_DOC_RULE_TYPE: return "wrong-type";
    case IDT_DOC_RULE_VERSION: return "unsupported-version";
    case IDT_DOC_RULE_ALGORITHM: return "unsupported-algorithm";
    case IDT_DOC_RULE_SM3: return "sm3";
    case IDT_DOC_RULE_DATA_ENTRY: return "data-entry-type";
    case IDT_DOC_RULE_LINT: return "lint";
    case IDT_DOC_RULE_TOML11: return "toml-1.1";
    case IDT_DOC_RULE_NESTING: return "nesting";
    }
    return NULL;
}

int idt_doc__emit(idt_doc__sink *s, idt_doc_severity sev, idt_doc_rule rule, int code,
                  unsigned rejected_by, const idt_span *at, const char *fmt, ...)
{
    idt_doc_diag d;
    memset(&d, 0, sizeof d);
    d.severity = sev;
    d.rule = rule;
    d.code = code;
    d.rejected_by = rejected_by;
    d.span = *at;
    const idt_code_info *info = idt_doc__code_info(idt_doc__rule_code(rule));
    d.check = info ? info->code : NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d.message, sizeof d.message, fmt, ap);
    va_end(ap);

    bool is_error = sev == IDT_DOC_ERROR;
    if (is_error && !s->first_code) {
        s->first_code = code;
        idtx_error_set(s->err, code, at, "%s", d.message);
    }
    if (s->cb) {
        int rc = s->cb(&d, s->payload);
        if (rc) {
            s->stopped = rc;
            return 1;
        }
    }
    return is_error && s->first_only;
}

void idt_doc_free(idt_doc *doc)
{
    if (!doc)
        return;
    idt_toml_doc_free(doc->toml);
    free(doc->entries);
    if (doc->owned)
        free((char *)doc->bytes);
    free(doc);
}

/* Builds the document from a validated tree; takes bytes (when owned)
 * and toml. */
static int build(idt_doc **out, char *bytes, bool owned, size_t len, idt_toml_doc *toml,
                 const idt_doc__fields *f, idt_error *err)
{
    idt_doc *doc = calloc(1, sizeof *doc);
    size_t count = f->data->as.table.count;
    idt_doc_entry *entries = count ? calloc(count, sizeof *entries) : NULL;
    if (!doc || (count && !entries)) {
        free(doc);
        free(entries);
        idt_toml_doc_free(toml);
        if (owned)
            free(bytes);
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < count; i++) {
        const idt_toml_entry *e = &f->data->as.table.entries[i];
        entries[i] = (idt_doc_entry){ e->key, e->key_len, e->value->as.string.ptr,
                                      e->value->as.string.len, e->key_span,
                                      e->value->span };
    }
    doc->bytes = bytes;
    doc->len = len;
    doc->owned = owned;
    doc->toml = toml;
    /* The only version a valid document has; a borrowed value would not
     * be NUL-terminated. */
    doc->version = IDT_DOC_VERSION;
    doc->data = f->data;
    doc->alg = f->alg;
    doc->entries = entries;
    doc->count = count;
    *out = doc;
    return IDT_OK;
}

/* Who stops at IDT_DOC_CONSUMER_MAX_NESTING: the Rust toml crate 1.1. */
#define NESTING_WHO "the kata-agent 4.x, runtime-rs and Trustee (the Rust toml crate 1.1) " \
                    "stop at %u"

/* The consumers' nesting limit (initdata-facts.md §9): an error for the
 * arrays and inline tables nested deepest, and for the longest key. */
static int check_nesting(const idt_toml_doc *toml, idt_doc__sink *s)
{
    const unsigned max = IDT_DOC_CONSUMER_MAX_NESTING;
    idt_toml_nesting n;
    idt_toml_doc_nesting(toml, &n);
    if (n.value_depth > max &&
        idt_doc__emit(s, IDT_DOC_ERROR, IDT_DOC_RULE_NESTING, IDT_ELIMIT,
                      IDT_CONSUMER_KATA | IDT_CONSUMER_TRUSTEE, &n.value_span,
                      "arrays and inline tables nested %u deep here; " NESTING_WHO
                      " (an array of inline tables counts 2 per level)", n.value_depth, max))
        return 1;
    if (n.key_parts > max &&
        idt_doc__emit(s, IDT_DOC_ERROR, IDT_DOC_RULE_NESTING, IDT_ELIMIT,
                      IDT_CONSUMER_KATA | IDT_CONSUMER_TRUSTEE, &n.key_span,
                      "a key of %u parts; " NESTING_WHO " parts in a dotted key or table "
                      "header", n.key_parts, max))
        return 1;
    return 0;
}

/* A warning for each use of syntax that TOML 1.1 added. */
static int check_v11(const idt_toml_doc *toml, idt_doc__sink *s)
{
    size_t count, total;
    const idt_toml_feature_use *u = idt_toml_doc_v11_uses(toml, &count, &total);
    for (size_t i = 0; i < count; i++) {
        const char *more = i + 1 == count && total > count ? " (and more uses after this)" : "";
        if (idt_doc__emit(s, IDT_DOC_WARNING, IDT_DOC_RULE_TOML11, IDT_ESYNTAX, 0, &u[i].span,
                          "%s is TOML 1.1: Kata 3.x agents (the Rust toml crate 0.5) reject "
                          "it; Kata 4.0 and later, the Kata Go shim since 3.28 and Trustee "
                          "accept it%s", idt_toml_feature_name(u[i].feature), more))
            return 1;
    }
    return 0;
}

/* Parses the TOML 1.1; a syntax or limit error becomes a diagnostic (every
 * consumer rejects a document it cannot parse), anything else is returned
 * as is.  Then the findings about the TOML itself: nesting and 1.1 syntax. */
static int parse_toml(idt_toml_doc **toml, const char *bytes, size_t len,
                      const idt_doc_options *opts, idt_doc__sink *s)
{
    idt_toml_options topts = IDT_TOML_OPTIONS_INIT;
    topts.max_size = opts->max_size;
    topts.flags = opts->borrow ? IDT_TOML_BORROW : 0;
    idt_error terr = { 0 };
    int rc = idt_toml_parse(toml, bytes, len, &topts, &terr);
    if (rc >= 0) {
        if (check_nesting(*toml, s) || check_v11(*toml, s)) {
            idt_toml_doc_free(*toml);
            *toml = NULL;
            return s->stopped ? s->stopped : s->first_code;
        }
        return IDT_OK;
    }
    if (rc != IDT_ESYNTAX && rc != IDT_ELIMIT) {
        idtx_error_set(s->err, rc, NULL, "%s", terr.message);
        return rc;
    }
    idt_span at = { (size_t)terr.offset, 0, terr.line, terr.column };
    idt_doc__emit(s, IDT_DOC_ERROR, IDT_DOC_RULE_TOML, rc, IDT_CONSUMER_ALL,
                  terr.line ? &at : &(idt_span){ 0, 0, 1, 1 }, "%s", terr.message);
    return s->stopped ? s->stopped : rc;
}

int idt_doc_check_nesting(const char *src, size_t len, idt_error *err)
{
    if (!src && len)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_doc_check_nesting: NULL text");
    idt_toml_doc *toml = NULL;
    int rc = idt_toml_parse(&toml, src, len, NULL, NULL);
    if (rc == IDT_ENOMEM)
        return idtx_error_set(err, rc, NULL, "out of memory");
    if (rc < 0)
        return IDT_OK; /* not TOML: not this function's business */
    idt_doc__sink s = { NULL, NULL, true, 0, 0, err };
    check_nesting(toml, &s);
    idt_toml_doc_free(toml);
    return s.first_code;
}

static int run(idt_doc **out, const char *src, size_t len, const idt_doc_options *opts,
               idt_doc__sink *s)
{
    idt_doc_options o = IDT_DOC_OPTIONS_INIT;
    if (out)
        *out = NULL;
    if (opts && opts->version == 1) {
        /* A version 1 struct ends before borrow: read only its fields. */
        o.allow_sm3 = opts->allow_sm3;
        o.max_size = opts->max_size;
    } else if (opts && opts->version == IDT_DOC_OPTIONS_VERSION) {
        o = *opts;
    }
    if ((!src && len) || (opts && opts->version != 1 && opts->version != IDT_DOC_OPTIONS_VERSION))
        return idtx_error_set(s->err, IDT_EINVAL, NULL,
                              "invalid arguments to idt_doc_parse (NULL text or an "
                              "unknown options version)");
    opts = &o;
    /* Bound before allocating: len + 1 cannot overflow below max_size. */
    if (len > opts->max_size || len == SIZE_MAX)
        return idtx_error_set(s->err, IDT_ELIMIT, NULL,
                              "the document is %zu bytes, larger than the limit of %zu bytes",
                              len, opts->max_size);
    /* One owned copy, or (borrow) none: the caller's bytes are the
     * document's, and the TOML tree's plain strings point into them. */
    bool owned = !opts->borrow;
    char *bytes = (char *)(src ? src : "");
    if (owned) {
        bytes = malloc(len + 1);
        if (!bytes)
            return idtx_error_set(s->err, IDT_ENOMEM, NULL, "out of memory");
        if (len)
            memcpy(bytes, src, len);
        bytes[len] = '\0';
    }

    idt_toml_doc *toml = NULL;
    int rc = parse_toml(&toml, bytes, len, opts, s);
    if (rc) {
        if (owned)
            free(bytes);
        return rc;
    }
    idt_doc__fields f;
    idt_doc__validate(&f, idt_toml_doc_root(toml), opts, s);
    if (s->stopped || s->first_code || !out) {
        idt_toml_doc_free(toml);
        if (owned)
            free(bytes);
        return s->stopped ? s->stopped : s->first_code;
    }
    return build(out, bytes, owned, len, toml, &f, s->err);
}

int idt_doc_parse(idt_doc **out, const char *src, size_t len, const idt_doc_options *opts,
                  idt_error *err)
{
    if (!out)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_doc_parse needs an out pointer");
    idt_doc__sink s = { NULL, NULL, true, 0, 0, err };
    return run(out, src, len, opts, &s);
}

int idt_doc_check(idt_doc **out, const char *src, size_t len, const idt_doc_options *opts,
                  idt_doc_diag_cb cb, void *payload, idt_error *err)
{
    idt_doc__sink s = { cb, payload, false, 0, 0, err };
    return run(out, src, len, opts, &s);
}

/* ---- the digest, overlapping the parse ------------------------------------ */

/* The hash on the second thread: its input, and what it found. */
typedef struct hasher {
    const char *src;
    size_t len;
    idt_digest_alg alg;
    int rc;
    idt_digest digest;
    idt_error err;
} hasher;

static void *hash_main(void *arg)
{
    hasher *h = arg;
    h->rc = idt_digest_compute(&h->digest, h->alg, h->src, h->len, &h->err);
    return NULL;
}

/* The algorithm the document probably has: a top-level
 * `algorithm = "..."` line before the first table header, in the first
 * 4 KiB.  Only a guess (a multi-line string before it could hold such a
 * line): idt_doc_check_digest compares it with what the parse reads. */
static bool guess_algorithm(const char *s, size_t n, idt_digest_alg *alg)
{
    static const char key[] = "algorithm";
    size_t end = n < 4096 ? n : 4096, i = 0;
    if (end >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < end) {
        while (i < end && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i < end && s[i] == '[')
            return false;
        if (end - i > sizeof key && memcmp(s + i, key, sizeof key - 1) == 0) {
            size_t j = i + sizeof key - 1;
            while (j < end && (s[j] == ' ' || s[j] == '\t'))
                j++;
            if (j < end && s[j] == '=') {
                j++;
                while (j < end && (s[j] == ' ' || s[j] == '\t'))
                    j++;
                if (j < end && (s[j] == '"' || s[j] == '\'')) {
                    const char *close = memchr(s + j + 1, s[j], end - j - 1);
                    return close && idt_digest_alg_parse(alg, s + j + 1,
                                                         (size_t)(close - (s + j + 1)),
                                                         NULL) == IDT_OK;
                }
            }
        }
        const char *nl = memchr(s + i, '\n', end - i);
        if (!nl)
            return false;
        i = (size_t)(nl - s) + 1;
    }
    return false;
}

int idt_doc_check_digest(idt_doc **out, idt_digest *digest, const char *src, size_t len,
                         const idt_doc_options *opts, idt_doc_diag_cb cb, void *payload,
                         idt_error *err)
{
    if (out)
        *out = NULL;
    if (!digest)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_doc_check_digest needs a digest");
    hasher h = { src, len, (idt_digest_alg)0, 0, { 0 }, { 0 } };
    pthread_t thread;
    bool threaded = src && len >= IDT_DOC_PARALLEL_MIN && guess_algorithm(src, len, &h.alg);
    if (threaded) {
        pthread_attr_t attr;
        threaded = pthread_attr_init(&attr) == 0;
        if (threaded) {
            /* A digest needs little stack, but the first fetch may load
             * OpenSSL's configuration: 1 MiB, of which only what is used
             * becomes resident. */
            (void)pthread_attr_setstacksize(&attr, (size_t)1 << 20);
            threaded = pthread_create(&thread, &attr, hash_main, &h) == 0;
            pthread_attr_destroy(&attr);
        }
    }
    idt_doc *doc = NULL;
    int rc = idt_doc_check(&doc, src, len, opts, cb, payload, err);
    if (threaded)
        pthread_join(thread, NULL);
    if (rc == IDT_OK && doc) {
        if (threaded && h.alg == doc->alg) {
            rc = h.rc;
            if (rc < 0 && err)
                idtx_error_set(err, rc, NULL, "%s", h.err.message);
            else if (rc >= 0)
                *digest = h.digest;
        } else {
            rc = idt_digest_compute(digest, doc->alg, doc->bytes, doc->len, err);
        }
    }
    if (rc != IDT_OK || !out)
        idt_doc_free(doc);
    else
        *out = doc;
    return rc;
}

const char *idt_doc_bytes(const idt_doc *doc, size_t *len)
{
    if (len)
        *len = doc ? doc->len : 0;
    return doc ? doc->bytes : NULL;
}

const char *idt_doc_version(const idt_doc *doc)
{
    return doc ? doc->version : NULL;
}

idt_digest_alg idt_doc_algorithm(const idt_doc *doc)
{
    return doc ? doc->alg : (idt_digest_alg)0;
}

size_t idt_doc_entry_count(const idt_doc *doc)
{
    return doc ? doc->count : 0;
}

const idt_doc_entry *idt_doc_entry_at(const idt_doc *doc, size_t i)
{
    return doc && i < doc->count ? &doc->entries[i] : NULL;
}

const idt_doc_entry *idt_doc_entry_get(const idt_doc *doc, const char *name, size_t name_len)
{
    if (!doc || !name || !doc->count)
        return NULL;
    /* The TOML table's index finds the key; entries[] mirrors the table's
     * entry array one to one, so the position carries over. */
    const idt_toml_value *data = doc->data;
    const idt_toml_entry *e = idt_toml_table_get(data, name, name_len);
    if (!e)
        return NULL;
    /* Integer arithmetic: comparing pointers into different objects is
     * undefined, and this must not trust the table blindly. */
    uintptr_t base = (uintptr_t)data->as.table.entries, at = (uintptr_t)e;
    if (at < base || (at - base) % sizeof *e || (at - base) / sizeof *e >= doc->count)
        return NULL;
    return &doc->entries[(at - base) / sizeof *e];
}

const idt_toml_value *idt_doc_toml_root(const idt_doc *doc)
{
    return doc ? idt_toml_doc_root(doc->toml) : NULL;
}

int idt_doc_digest(idt_digest *out, const idt_doc *doc, idt_error *err)
{
    if (!out || !doc)
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_doc_digest");
    return idt_digest_compute(out, doc->alg, doc->bytes, doc->len, err);
}
