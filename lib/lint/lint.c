/* idt_lint_check: the driver (initdata/lint.h).  Reads each known entry
 * with the checker of its consumer, then the entries together, then the
 * platforms; every finding goes through idt_lint__report. */
#include "lint/lint_int.h"
#include "util/quote.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* --- reporting ----------------------------------------------------------- */

/* 1-based line and column of the entry's text at offset, counted from
 * the last position asked for when that is not past it. */
static void inner_position(idt_lint__ctx *c, size_t offset, uint32_t *line, uint32_t *column)
{
    static const idt_span start = { 0, 0, 1, 1 };
    const idt_doc_entry *e = c->entry;
    if (offset > e->content_len)
        offset = e->content_len;
    const idt_span *from = c->inner_cursor.offset <= offset ? &c->inner_cursor : &start;
    c->inner_cursor = idt_lint__span_at(e->content, from, offset, 0);
    *line = c->inner_cursor.line;
    *column = c->inner_cursor.column;
}

IDTX_PRINTF(6, 0)
static void deliver(idt_lint__ctx *c, idt_doc_diag *d, idt_lint__code check, idt_doc_severity sev,
                    unsigned rejected_by, const char *fmt, va_list ap)
{
    d->severity = sev;
    d->rule = IDT_DOC_RULE_LINT;
    d->code = check == IDT_LINT__CODE_ENTRY_TOML ? IDT_ESYNTAX : IDT_ESCHEMA;
    d->rejected_by = sev == IDT_DOC_ERROR ? rejected_by : 0;
    d->check = idt_lint__code_info(check)->code;
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    if (sev == IDT_DOC_ERROR)
        c->errors++;
    if (c->cb && !idt_lint__done(c)) {
        int rc = c->cb(d, c->payload);
        if (rc)
            c->stopped = rc;
    }
}

/* Whether the caller wants findings of this severity; an unwanted error
 * still counts. */
static bool wanted(idt_lint__ctx *c, idt_doc_severity sev)
{
    unsigned mask = c->opts->version >= 3 ? c->opts->severities : 0;
    if (!mask || (mask & (1u << sev)))
        return true;
    if (sev == IDT_DOC_ERROR)
        c->errors++;
    return false;
}

void idt_lint__report(idt_lint__ctx *c, idt_lint__code check, idt_doc_severity sev,
                      unsigned rejected_by, const idt_span *inner, const char *fmt, ...)
{
    if (idt_lint__done(c) || !wanted(c, sev))
        return;
    idt_doc_diag d;
    memset(&d, 0, sizeof d);
    d.entry = c->entry_name;
    if (inner) {
        d.span = idt_lint__map(&c->origin, inner->offset, inner->length);
        inner_position(c, inner->offset, &d.entry_line, &d.entry_column);
    } else {
        d.span = c->origin.literal;
    }
    va_list ap;
    va_start(ap, fmt);
    deliver(c, &d, check, sev, rejected_by, fmt, ap);
    va_end(ap);
}

void idt_lint__report_doc(idt_lint__ctx *c, idt_lint__code check, idt_doc_severity sev,
                          unsigned rejected_by, const idt_span *at, const char *fmt, ...)
{
    if (idt_lint__done(c) || !wanted(c, sev))
        return;
    idt_doc_diag d;
    memset(&d, 0, sizeof d);
    d.span = *at;
    va_list ap;
    va_start(ap, fmt);
    deliver(c, &d, check, sev, rejected_by, fmt, ap);
    va_end(ap);
}

int idt_lint__fail(idt_lint__ctx *c, int code, const char *what)
{
    if (!c->failure)
        c->failure = idtx_error_set(c->err, code, NULL, "%s", what);
    return code;
}

void idt_lint__enter(idt_lint__ctx *c, const idt_doc_entry *e, const char *name,
                     unsigned consumer, const char *reader)
{
    c->entry = e;
    c->entry_name = name;
    c->consumer = consumer;
    c->reader = reader;
    idt_lint__origin_init(&c->origin, c->src, c->len, &e->value_span, e->content,
                          e->content_len);
    c->inner_cursor = (idt_span){ 0, 0, 1, 1 };
}

void idt_lint__leave(idt_lint__ctx *c)
{
    c->entry = NULL;
    c->entry_name = NULL;
    c->consumer = 0;
    c->reader = NULL;
}

/* --- the entries ---------------------------------------------------------- */

static const char *const known_entries[] = { "aa.toml", "cdh.toml", "policy.rego" };
#define NKNOWN (sizeof known_entries / sizeof known_entries[0])

/* A data key that is a near miss of a known entry is a file no consumer
 * reads (kata writes exactly these three into the guest).  Other names
 * are left alone: Trustee passes every entry to KBS policies as a claim,
 * so extra entries can be deliberate. */
static void check_entry_name(idt_lint__ctx *c, const idt_doc_entry *e)
{
    for (size_t i = 0; i < NKNOWN; i++)
        if (e->name_len == strlen(known_entries[i]) &&
            memcmp(e->name, known_entries[i], e->name_len) == 0)
            return;
    int k = idt_lint__closest(e->name, e->name_len, known_entries, NKNOWN,
                              idt_lint__typo_budget(e->name_len));
    if (k < 0)
        return;
    char q[IDTX_QUOTE_MAX];
    idt_lint__report_doc(c, IDT_LINT__CODE_ENTRY_NAME, IDT_DOC_WARNING, 0, &e->name_span,
                         "data entry %s is read by no consumer (kata writes only aa.toml, "
                         "cdh.toml and policy.rego into the guest); did you mean \"%s\"?",
                         idtx_quote(q, e->name, e->name_len), known_entries[k]);
}

/* A configuration entry, parsed: kept until the cross-entry checks. */
typedef struct config_entry {
    const idt_doc_entry *entry;
    idt_toml_doc *toml;
    const idt_toml_value *kbs_url; /* token_configs.kbs.url / kbc.url */
} config_entry;

typedef void (*config_checker)(idt_lint__ctx *c, const idt_toml_value *root,
                               const idt_toml_value **url);

static void check_config(idt_lint__ctx *c, config_entry *ce, config_checker checker)
{
    idt_error terr = { 0 };
    int rc = idt_toml_parse(&ce->toml, c->entry->content, c->entry->content_len, NULL, &terr);
    if (rc == IDT_ESYNTAX || rc == IDT_ELIMIT) {
        idt_span at = { (size_t)terr.offset, 0, terr.line, terr.column };
        idt_lint__report(c, IDT_LINT__CODE_ENTRY_TOML, IDT_DOC_ERROR, c->consumer, &at,
                         "%s is not TOML 1.0: %s (the %s fails to load it)", c->entry_name,
                         terr.message, c->reader);
        return;
    }
    if (rc < 0) {
        idt_lint__fail(c, rc, terr.message);
        return;
    }
    checker(c, idt_toml_doc_root(ce->toml), &ce->kbs_url);
}

/* --- aa.toml and cdh.toml together ------------------------------------------ */

static bool same_url(const idt_toml_value *a, const idt_toml_value *b)
{
    size_t la = a->as.string.len, lb = b->as.string.len;
    /* "http://kbs:8080/" is the same server as "http://kbs:8080". */
    if (la && a->as.string.ptr[la - 1] == '/')
        la--;
    if (lb && b->as.string.ptr[lb - 1] == '/')
        lb--;
    return la == lb && memcmp(a->as.string.ptr, b->as.string.ptr, la) == 0;
}

static void note_http(idt_lint__ctx *c, const config_entry *ce, const char *entry,
                      unsigned consumer, const char *reader, const char *key)
{
    const idt_toml_value *u = ce->kbs_url;
    if (!u || u->as.string.len < 7 || strncmp(u->as.string.ptr, "http://", 7) != 0)
        return;
    idt_lint__enter(c, ce->entry, entry, consumer, reader);
    idt_lint__report(c, IDT_LINT__CODE_KBS_HTTP, IDT_DOC_NOTE, 0, &u->span,
                     "%s reaches the KBS over plain http: secrets stay encrypted to the TEE's "
                     "key, but nothing authenticates the KBS, so anyone on the path can pose "
                     "as it and hand out its own resources",
                     key);
    idt_lint__leave(c);
}

static bool url_allowed(const idt_lint_options *o, const idt_toml_value *u)
{
    const char *s = u->as.string.ptr;
    size_t n = u->as.string.len;
    if (n && s[n - 1] == '/')
        n--;
    for (size_t i = 0; i < o->kbs_url_count; i++) {
        size_t k = strlen(o->kbs_urls[i]);
        if (k && o->kbs_urls[i][k - 1] == '/')
            k--;
        if (k == n && memcmp(s, o->kbs_urls[i], k) == 0)
            return true;
    }
    for (size_t i = 0; i < o->kbs_url_prefix_count; i++) {
        size_t k = strlen(o->kbs_url_prefixes[i]);
        if (k <= u->as.string.len && memcmp(s, o->kbs_url_prefixes[i], k) == 0)
            return true;
    }
    return false;
}

static void check_allowed(idt_lint__ctx *c, const config_entry *ce, const char *entry,
                          unsigned consumer, const char *reader, const char *key)
{
    const idt_lint_options *o = c->opts;
    const idt_toml_value *u = ce->kbs_url;
    if (!u || o->version < 2 || (!o->kbs_url_count && !o->kbs_url_prefix_count) ||
        url_allowed(o, u))
        return;
    char q[IDTX_QUOTE_MAX];
    idt_lint__enter(c, ce->entry, entry, consumer, reader);
    idt_lint__report(c, IDT_LINT__CODE_KBS_NOT_ALLOWED, IDT_DOC_ERROR, 0, &u->span,
                     "%s %s is not an allowed KBS (the cluster allows %zu URL%s and %zu "
                     "prefix%s)",
                     key, idtx_quote(q, u->as.string.ptr, u->as.string.len), o->kbs_url_count,
                     o->kbs_url_count == 1 ? "" : "s", o->kbs_url_prefix_count,
                     o->kbs_url_prefix_count == 1 ? "" : "es");
    idt_lint__leave(c);
}

static void check_kbs(idt_lint__ctx *c, const config_entry *aa, const config_entry *cdh)
{
    check_allowed(c, aa, "aa.toml", IDT_CONSUMER_AA, "attestation-agent", "token_configs.kbs.url");
    check_allowed(c, cdh, "cdh.toml", IDT_CONSUMER_CDH, "confidential-data-hub", "kbc.url");
    note_http(c, aa, "aa.toml", IDT_CONSUMER_AA, "attestation-agent", "token_configs.kbs.url");
    note_http(c, cdh, "cdh.toml", IDT_CONSUMER_CDH, "confidential-data-hub", "kbc.url");
    if (!aa->kbs_url || !cdh->kbs_url || same_url(aa->kbs_url, cdh->kbs_url))
        return;
    char qa[IDTX_QUOTE_MAX], qc[IDTX_QUOTE_MAX];
    const idt_toml_value *u = cdh->kbs_url;
    idt_lint__enter(c, cdh->entry, "cdh.toml", IDT_CONSUMER_CDH, "confidential-data-hub");
    idt_lint__report(c, IDT_LINT__CODE_KBS_MISMATCH, IDT_DOC_WARNING, 0, &u->span,
                     "kbc.url %s differs from aa.toml's token_configs.kbs.url %s: the "
                     "confidential-data-hub asks one KBS for secrets and the "
                     "attestation-agent attests to another (the common set-up uses one "
                     "Trustee for both)",
                     idtx_quote(qc, u->as.string.ptr, u->as.string.len),
                     idtx_quote(qa, aa->kbs_url->as.string.ptr, aa->kbs_url->as.string.len));
    idt_lint__leave(c);
}

/* --- the driver ------------------------------------------------------------- */

static bool is(const idt_doc_entry *e, const char *name)
{
    return e->name_len == strlen(name) && memcmp(e->name, name, e->name_len) == 0;
}

static void check_entries(idt_lint__ctx *c)
{
    config_entry aa = { 0 }, cdh = { 0 };
    for (size_t i = 0; i < idt_doc_entry_count(c->doc) && !idt_lint__done(c); i++) {
        const idt_doc_entry *e = idt_doc_entry_at(c->doc, i);
        check_entry_name(c, e);
        if (is(e, "aa.toml")) {
            idt_lint__enter(c, e, "aa.toml", IDT_CONSUMER_AA, "attestation-agent");
            aa.entry = e;
            check_config(c, &aa, idt_lint__aa);
        } else if (is(e, "cdh.toml")) {
            idt_lint__enter(c, e, "cdh.toml", IDT_CONSUMER_CDH, "confidential-data-hub");
            cdh.entry = e;
            check_config(c, &cdh, idt_lint__cdh);
        } else if (is(e, "policy.rego")) {
            idt_lint__enter(c, e, "policy.rego", IDT_CONSUMER_KATA, "kata agent");
            idt_lint__policy(c, e->content, e->content_len);
        }
        idt_lint__leave(c);
    }
    if (!idt_lint__done(c))
        check_kbs(c, &aa, &cdh);
    idt_toml_doc_free(aa.toml);
    idt_toml_doc_free(cdh.toml);
}

int idt_lint_check(const idt_doc *doc, const idt_lint_options *opts, idt_doc_diag_cb cb,
                   void *payload, idt_error *err)
{
    static const idt_lint_options defaults = IDT_LINT_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    unsigned known = 0;
    for (int p = IDT_PLATFORM_TDX; p <= IDT_PLATFORM_VTPM; p++)
        known |= IDT_LINT_PLATFORM(p);
    if (!doc || opts->version < 1 || opts->version > IDT_LINT_OPTIONS_VERSION ||
        (opts->platforms & ~known) ||
        (opts->version >= 2 && ((opts->kbs_url_count && !opts->kbs_urls) ||
                                (opts->kbs_url_prefix_count && !opts->kbs_url_prefixes))))
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "invalid arguments to idt_lint_check (NULL document, unknown "
                              "options version or platform)");
    idt_lint__ctx c;
    memset(&c, 0, sizeof c);
    c.doc = doc;
    c.src = idt_doc_bytes(doc, &c.len);
    c.opts = opts;
    c.now = opts->now ? (time_t)opts->now : time(NULL);
    c.cb = cb;
    c.payload = payload;
    c.err = err;
    check_entries(&c);
    if (!idt_lint__done(&c))
        idt_lint__platforms(&c);
    if (c.failure)
        return c.failure;
    if (c.stopped)
        return c.stopped;
    return c.errors ? IDT_ESCHEMA : IDT_OK;
}
