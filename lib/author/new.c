/* Building a new Init-Data document from options (author.h). */
#include "author_int.h"
#include "initdata/toml.h"
#include "util/error_int.h"
#include "util/keyword.h"
#include "util/quote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The three well-known entries, in the order they are written. */
enum { SLOT_AA, SLOT_CDH, SLOT_POLICY, NSLOTS };
static const char *const slot_names[NSLOTS] = { "aa.toml", "cdh.toml", "policy.rego" };

#define URL_MAX 4096 /* far beyond any real URL; keeps messages and files sane */

typedef struct plan {
    const idt_author_options *o;
    idt_digest_alg algorithm;
    idtx_buf aa, cdh;           /* generated contents */
    idt_author_entry slot[NSLOTS];     /* name NULL: absent */
    const char *taken_by[NSLOTS];      /* what fills a slot, for collisions */
} plan;

/* Re-labels a UTF-8 error with the entry it was found in, keeping the
 * offset, so "policy.rego" rather than an anonymous buffer is named. */
static int check_text(const char *what, const char *s, size_t len, idt_error *err)
{
    idt_error e;
    idt_error_clear(&e);
    int rc = idt_author_check_utf8(s, len, &e);
    if (rc == IDT_OK)
        return IDT_OK;
    if (!e.has_offset)
        return idtx_error_set(err, rc, NULL, "%s: %s", what, e.message);
    return idtx_error_at_offset(err, rc, e.offset, "%s: %s", what, e.message);
}

static bool scheme_char(char c, bool first)
{
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return alpha || (!first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
}

/* A value written into aa.toml or cdh.toml: bounded, UTF-8, and free of
 * control characters (spaces too, unless allowed), which no URL or host
 * list contains and which would only hide a copy-paste accident. */
static int check_value(const char *what, const char *v, bool spaces_ok, idt_error *err)
{
    size_t n = strlen(v);
    if (n == 0)
        return idtx_error_set(err, IDT_EINVAL, NULL, "the %s is empty", what);
    if (n > URL_MAX)
        return idtx_error_set(err, IDT_EINVAL, NULL, "the %s is longer than %d bytes", what,
                              URL_MAX);
    idt_error e;
    idt_error_clear(&e);
    if (idt_author_check_utf8(v, n, &e) < 0) /* an argument, not a file: EINVAL */
        return idtx_error_set(err, IDT_EINVAL, NULL, "the %s is not UTF-8: %s", what,
                              e.message);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        char q[IDTX_QUOTE_MAX];
        if (c < 0x20 || c == 0x7F || (c == ' ' && !spaces_ok))
            return idtx_error_set(err, IDT_EINVAL, NULL, "the %s %s contains %s at byte %zu",
                                  what, idtx_quote(q, v, n),
                                  c == ' ' ? "a space" : "a control character", i);
    }
    return IDT_OK;
}

/* scheme://rest, and for the KBS http or https: the attestation-agent and
 * CDH reach Trustee over HTTP(S) only. */
static int check_url(const char *what, const char *url, bool http_only, idt_error *err)
{
    IDTX_TRY(check_value(what, url, false, err));
    size_t n = 0;
    char q[IDTX_QUOTE_MAX];
    while (scheme_char(url[n], n == 0))
        n++;
    if (n == 0 || strncmp(url + n, "://", 3) || !url[n + 3])
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "the %s %s is not a URL (expected scheme://host[:port])", what,
                              idtx_quote(q, url, strlen(url)));
    bool http = (n == 4 && !strncmp(url, "http", 4)) || (n == 5 && !strncmp(url, "https", 5));
    if (http_only && !http)
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "the %s %s must start with http:// or https:// (the "
                              "attestation-agent and CDH talk to the KBS over HTTP(S))",
                              what, idtx_quote(q, url, strlen(url)));
    return IDT_OK;
}

/* The certificate must be PEM text: that is what the attestation-agent's
 * `cert` and CDH's `kbs_cert` hold.  A DER file usually fails the UTF-8
 * check first; this catches the rest (a key, a path, an empty file). */
static int check_cert(const char *pem, size_t len, idt_error *err)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    IDTX_TRY(check_text("the KBS certificate", pem, len, err));
    for (size_t i = 0; len >= sizeof begin - 1 && i <= len - (sizeof begin - 1); i++)
        if (!memcmp(pem + i, begin, sizeof begin - 1))
            return IDT_OK;
    return idtx_error_set(err, IDT_EFORMAT, NULL,
                          "the KBS certificate has no \"%s\" line: the attestation-agent and "
                          "CDH expect the PEM text of the certificate (convert DER with "
                          "`openssl x509 -inform der`)", begin);
}

/* Which option needs which, and are the values sane. */
static int check_options(const idt_author_options *o, idt_error *err)
{
    if (o->layout != IDT_AUTHOR_LAYOUT_SEED && o->layout != IDT_AUTHOR_LAYOUT_KATA)
        return idtx_error_set(err, IDT_EINVAL, NULL, "unknown layout %d", (int)o->layout);
    if (o->kbs_cert && !o->kbs_url)
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "a KBS certificate needs a KBS URL (it is written next to the "
                              "URL in aa.toml and cdh.toml)");
    if (o->image_pull_proxy && !o->kbs_url)
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "an image pull proxy needs a KBS URL: cdh.toml is only valid "
                              "with its [kbc] section; pass a complete cdh.toml as an entry "
                              "instead");
    if (o->no_proxy && !o->image_pull_proxy)
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "a no_proxy list needs an image pull proxy");
    if (o->kbs_url)
        IDTX_TRY(check_url("KBS URL", o->kbs_url, true, err));
    if (o->image_pull_proxy)
        IDTX_TRY(check_url("image pull proxy", o->image_pull_proxy, false, err));
    if (o->no_proxy)
        IDTX_TRY(check_value("no_proxy list", o->no_proxy, true, err));
    if (o->kbs_cert)
        IDTX_TRY(check_cert(o->kbs_cert, o->kbs_cert_len, err));
    if (o->policy)
        IDTX_TRY(check_text("policy.rego", o->policy, o->policy_len, err));
    return IDT_OK;
}

/* `key = <string>` and a newline, as one line (or block) of aa/cdh.toml. */
static int put_setting(idtx_buf *b, const char *key, const char *v, size_t len,
                       idt_author_string_style style, idt_error *err)
{
    IDTX_TRY(idtx_buf_puts(b, key, err));
    IDTX_TRY(idtx_buf_puts(b, " = ", err));
    IDTX_TRY(idt_author__emit_string(b, v, len, style, err));
    return idtx_buf_putc(b, '\n', err);
}

/* aa.toml and cdh.toml exactly as on the seed page, plus the optional
 * certificate and proxy.  Inner multi-line strings are basic ("""), so
 * that the outer entry can still be a literal string. */
static int generate_configs(plan *p, idt_error *err)
{
    const idt_author_options *o = p->o;
    const char *url = o->kbs_url;
    idtx_buf *aa = &p->aa, *cdh = &p->cdh;
    IDTX_TRY(idtx_buf_puts(aa, "[token_configs]\n[token_configs.kbs]\n", err));
    IDTX_TRY(put_setting(aa, "url", url, strlen(url), IDT_AUTHOR_STRING_BASIC, err));
    IDTX_TRY(idtx_buf_puts(cdh, "[kbc]\nname = \"cc_kbc\"\n", err));
    IDTX_TRY(put_setting(cdh, "url", url, strlen(url), IDT_AUTHOR_STRING_BASIC, err));
    if (o->kbs_cert) {
        IDTX_TRY(put_setting(aa, "cert", o->kbs_cert, o->kbs_cert_len,
                             IDT_AUTHOR_STRING_MULTILINE_BASIC, err));
        IDTX_TRY(put_setting(cdh, "kbs_cert", o->kbs_cert, o->kbs_cert_len,
                             IDT_AUTHOR_STRING_MULTILINE_BASIC, err));
    }
    if (o->image_pull_proxy) {
        const char *proxy = o->image_pull_proxy;
        IDTX_TRY(idtx_buf_puts(cdh, "\n[image.image_pull_proxy]\n", err));
        IDTX_TRY(put_setting(cdh, "https_proxy", proxy, strlen(proxy),
                             IDT_AUTHOR_STRING_BASIC, err));
        if (o->no_proxy)
            IDTX_TRY(put_setting(cdh, "no_proxy", o->no_proxy, strlen(o->no_proxy),
                                 IDT_AUTHOR_STRING_BASIC, err));
    }
    p->slot[SLOT_AA] = (idt_author_entry){ slot_names[SLOT_AA], aa->data, aa->len };
    p->slot[SLOT_CDH] = (idt_author_entry){ slot_names[SLOT_CDH], cdh->data, cdh->len };
    p->taken_by[SLOT_AA] = "the aa.toml generated from the KBS URL (leave the URL out to "
                           "pass your own aa.toml)";
    p->taken_by[SLOT_CDH] = "the cdh.toml generated from the KBS URL (leave the URL out to "
                            "pass your own cdh.toml)";
    return IDT_OK;
}

static int check_entry(const idt_author_entry *e, size_t i, idt_error *err)
{
    if (!e->name)
        return idtx_error_set(err, IDT_EINVAL, NULL, "entry %zu has no name", i + 1);
    if (!e->name[0])
        return idtx_error_set(err, IDT_EINVAL, NULL, "entry %zu has an empty name", i + 1);
    char q[IDTX_QUOTE_MAX], what[IDTX_QUOTE_MAX + 8];
    snprintf(what, sizeof what, "entry %s", idtx_quote(q, e->name, strlen(e->name)));
    if (!e->content && e->len)
        return idtx_error_set(err, IDT_EINVAL, NULL, "%s has NULL content", what);
    IDTX_TRY(check_text("entry name", e->name, strlen(e->name), err));
    return check_text(what, e->content, e->len, err);
}

static int cmp_entry_name(const void *a, const void *b)
{
    const idt_author_entry *x = *(const idt_author_entry *const *)a;
    const idt_author_entry *y = *(const idt_author_entry *const *)b;
    return strcmp(x->name, y->name);
}

/* Two user entries with one name would be a duplicate TOML key.  Sorting
 * pointers keeps this O(n log n) for any number of entries. */
static int check_duplicates(const idt_author_options *o, idt_error *err)
{
    if (o->file_count < 2)
        return IDT_OK;
    const idt_author_entry **v = malloc(o->file_count * sizeof *v);
    if (!v)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < o->file_count; i++)
        v[i] = &o->files[i];
    qsort(v, o->file_count, sizeof *v, cmp_entry_name);
    int rc = IDT_OK;
    char q[IDTX_QUOTE_MAX];
    for (size_t i = 1; i < o->file_count && rc == IDT_OK; i++)
        if (!strcmp(v[i - 1]->name, v[i]->name))
            rc = idtx_error_set(err, IDT_EINVAL, NULL,
                                "entry %s is given twice (TOML forbids duplicate keys)",
                                idtx_quote(q, v[i]->name, strlen(v[i]->name)));
    free(v);
    return rc;
}

/* Validates the user's entries and moves the well-known ones into their
 * slots; is_slot[i] tells whether files[i] went into one. */
static int place_files(plan *p, bool *is_slot, idt_error *err)
{
    const idt_author_options *o = p->o;
    for (size_t i = 0; i < o->file_count; i++) {
        const idt_author_entry *e = &o->files[i];
        IDTX_TRY(check_entry(e, i, err));
        is_slot[i] = false;
        for (size_t s = 0; s < NSLOTS; s++) {
            if (strcmp(e->name, slot_names[s]))
                continue;
            if (p->taken_by[s])
                return idtx_error_set(err, IDT_EINVAL, NULL, "entry \"%s\" collides with %s",
                                      e->name, p->taken_by[s]);
            p->slot[s] = *e;
            is_slot[i] = true;
        }
    }
    return check_duplicates(o, err);
}

static int put_entry(idtx_buf *b, const idt_author_entry *e, bool blank, idt_error *err)
{
    if (blank)
        IDTX_TRY(idtx_buf_putc(b, '\n', err));
    IDTX_TRY(idt_author__emit_string(b, e->name, strlen(e->name), IDT_AUTHOR_STRING_BASIC, err));
    IDTX_TRY(idtx_buf_puts(b, " = ", err));
    IDTX_TRY(idt_author__emit_string(b, e->content, e->len, IDT_AUTHOR_STRING_MULTILINE, err));
    return idtx_buf_putc(b, '\n', err);
}

static int write_document(const plan *p, const bool *is_slot, idtx_buf *doc,
                          idt_error *err)
{
    IDTX_TRY(idtx_buf_puts(doc, "version = \"0.1.0\"\nalgorithm = \"", err));
    IDTX_TRY(idtx_buf_puts(doc, idt_digest_alg_name(p->algorithm), err));
    IDTX_TRY(idtx_buf_puts(doc, "\"\n[data]\n", err));
    /* The page users copy from writes policy.rego first and aa.toml right
     * after it, with no blank line; Kata's tests separate every entry. */
    static const int seed_order[NSLOTS] = { SLOT_POLICY, SLOT_AA, SLOT_CDH };
    static const int kata_order[NSLOTS] = { SLOT_AA, SLOT_CDH, SLOT_POLICY };
    bool seed = p->o->layout == IDT_AUTHOR_LAYOUT_SEED;
    const int *order = seed ? seed_order : kata_order;
    bool first = true;
    for (size_t k = 0; k < NSLOTS; k++) {
        const idt_author_entry *e = &p->slot[order[k]];
        if (!e->name)
            continue;
        IDTX_TRY(put_entry(doc, e, !first && !(seed && order[k] == SLOT_AA), err));
        first = false;
    }
    for (size_t i = 0; i < p->o->file_count; i++)
        if (!is_slot[i]) {
            IDTX_TRY(put_entry(doc, &p->o->files[i], !first, err));
            first = false;
        }
    return IDT_OK;
}

static int build(plan *p, idtx_buf *doc, idt_error *err)
{
    const idt_author_options *o = p->o;
    IDTX_TRY(idt_author_pick_algorithm(&p->algorithm, o->algorithm, o->platforms,
                                       o->platform_count, err));
    IDTX_TRY(check_options(o, err));
    if (o->kbs_url)
        IDTX_TRY(generate_configs(p, err));
    size_t policy_len = o->policy_len;
    const char *policy = o->policy ? o->policy : idt_author_seed_policy(&policy_len);
    p->slot[SLOT_POLICY] = (idt_author_entry){ slot_names[SLOT_POLICY], policy, policy_len };
    p->taken_by[SLOT_POLICY] = o->policy ? "the policy.rego given as the policy"
                                         : "the default policy.rego (pass your own as the "
                                           "policy, not as an entry)";
    /* Every entry costs more than 8 bytes of output, so a count above
     * max/8 cannot fit: refusing it early also bounds the sort below. */
    if (o->file_count > doc->max / 8)
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "%zu entries cannot fit in a document of at most %zu bytes",
                              o->file_count, doc->max);
    bool *is_slot = o->file_count ? calloc(o->file_count, sizeof *is_slot) : NULL;
    if (o->file_count && !is_slot)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    int rc = place_files(p, is_slot, err);
    if (rc == IDT_OK)
        rc = write_document(p, is_slot, doc, err);
    free(is_slot);
    return rc;
}

int idt_author_new(char **out, size_t *out_len, const idt_author_options *opts,
                   idt_error *err)
{
    if (!out)
        return idtx_error_set(err, IDT_EINVAL, NULL, "NULL output pointer");
    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!opts)
        return idtx_error_set(err, IDT_EINVAL, NULL, "NULL options");
    if (opts->version != IDT_AUTHOR_OPTIONS_VERSION)
        return idtx_error_set(err, IDT_EINVAL, NULL, "unknown options version %u (expected %u)",
                              opts->version, IDT_AUTHOR_OPTIONS_VERSION);
    if ((!opts->files && opts->file_count) || (!opts->platforms && opts->platform_count) ||
        (!opts->policy && opts->policy_len) || (!opts->kbs_cert && opts->kbs_cert_len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "a NULL pointer with a non-zero count");
    size_t max = opts->max_size ? opts->max_size : IDT_TOML_DEFAULT_MAX_SIZE;
    if (max > SIZE_MAX / 2)
        max = SIZE_MAX / 2;
    plan p;
    memset(&p, 0, sizeof p);
    p.o = opts;
    idtx_buf_init(&p.aa, max, "the generated aa.toml or cdh.toml");
    idtx_buf_init(&p.cdh, max, "the generated aa.toml or cdh.toml");
    idtx_buf doc;
    idtx_buf_init(&doc, max, "the document");
    int rc = build(&p, &doc, err);
    if (rc == IDT_OK)
        rc = idtx_buf_take(&doc, out, out_len, err);
    idtx_buf_dispose(&doc);
    idtx_buf_dispose(&p.aa);
    idtx_buf_dispose(&p.cdh);
    return rc;
}

static const idtx_keyword layouts[] = {
    { "seed", IDT_AUTHOR_LAYOUT_SEED },
    { "kata", IDT_AUTHOR_LAYOUT_KATA },
};

IDTX_KEYWORD_FUNCS(idt_author_layout, idt_author_layout, layouts, "layout")
