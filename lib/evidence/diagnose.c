/*
 * Why does the evidence not bind this document?  The usual causes change a
 * few known things: the algorithm, the final newline, the line ends, the
 * way the digest was fitted to the field, or no Init-Data at all.  Each
 * candidate is recomputed and compared with the found value; every one
 * that fits is reported.
 */
#include "evidence/evidence_int.h"
#include "util/sha256.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VARIANTS 12

typedef struct variant {
    unsigned text;      /* IDT_DIAG_TEXT_* */
    idt_digest_alg alg; /* IDT_DIAG_TEXT_ALGORITHM: the algorithm written in */
    uint8_t *bytes;     /* owned */
    size_t len;
} variant;

static const idt_digest_alg all_algs[] = { IDT_DIGEST_SHA256, IDT_DIGEST_SHA384,
                                           IDT_DIGEST_SHA512, IDT_DIGEST_SM3 };
#define NALGS (sizeof all_algs / sizeof all_algs[0])

typedef struct diag {
    const idt_verify_result *r;
    idt_digest_alg doc_alg;
    idt_diagnosis_cb cb;
    void *payload;
    int count;
    int stop;      /* the callback's non-zero return */
    idt_error *err;
} diag;

/* --- text variants ------------------------------------------------------------ */

static bool has_crlf(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (p[i] == '\r' && p[i + 1] == '\n')
            return true;
    return false;
}

static bool has_bare_lf(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
            return true;
    return false;
}

/* Rewrites line ends (to_crlf: bare LF -> CRLF; else CRLF -> LF). */
static uint8_t *convert(const uint8_t *p, size_t n, bool to_crlf, size_t *out_len)
{
    if (n > (SIZE_MAX - 1) / 2)
        return NULL;
    uint8_t *o = malloc(2 * n + 1), *w = o;
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (to_crlf && p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
            *w++ = '\r';
        if (!to_crlf && p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
            continue;
        *w++ = p[i];
    }
    *out_len = (size_t)(w - o);
    return o;
}

/* Adds (or strips) one final newline, in the text's own line-end style. */
static uint8_t *final_newline(const uint8_t *p, size_t n, bool add, bool crlf, size_t *out_len)
{
    bool ends = n && p[n - 1] == '\n';
    if (add == ends)
        return NULL; /* nothing to add or strip */
    uint8_t *o = malloc(n + 2);
    if (!o)
        return NULL;
    memcpy(o, p, n);
    if (add) {
        size_t k = n;
        if (crlf)
            o[k++] = '\r';
        o[k++] = '\n';
        *out_len = k;
    } else {
        *out_len = n - 1 - (n >= 2 && p[n - 2] == '\r');
    }
    return o;
}

static bool seen(const variant *v, size_t nv, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < nv; i++)
        if (v[i].len == n && !memcmp(v[i].bytes, p, n))
            return true;
    return false;
}

/* Keeps b as a variant unless it repeats one (then frees it). */
static void keep_alg(variant *v, size_t *nv, uint8_t *b, size_t n, unsigned text,
                     idt_digest_alg alg)
{
    if (!b)
        return;
    if (*nv == MAX_VARIANTS || seen(v, *nv, b, n)) {
        free(b);
        return;
    }
    v[*nv].text = text;
    v[*nv].alg = alg;
    v[*nv].bytes = b;
    v[*nv].len = n;
    (*nv)++;
}

static void keep(variant *v, size_t *nv, uint8_t *b, size_t n, unsigned text)
{
    keep_alg(v, nv, b, n, text, (idt_digest_alg)0);
}

static bool is_space(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* Finds the value of a line `algorithm = "NAME"` (or 'NAME'): its offset
 * and length.  A document that spells it otherwise gets no variant. */
static bool find_algorithm(const uint8_t *p, size_t n, size_t *off, size_t *len)
{
    static const char key[] = "algorithm";
    for (size_t line = 0; line < n;) {
        size_t i = line;
        while (i < n && is_space(p[i]))
            i++;
        if (n - i > sizeof key && !memcmp(p + i, key, sizeof key - 1)) {
            i += sizeof key - 1;
            while (i < n && is_space(p[i]))
                i++;
            if (i < n && p[i] == '=') {
                i++;
                while (i < n && is_space(p[i]))
                    i++;
                if (i < n && (p[i] == '"' || p[i] == '\'')) {
                    const uint8_t *end = memchr(p + i + 1, p[i], n - i - 1);
                    if (end) {
                        *off = i + 1;
                        *len = (size_t)(end - p) - *off;
                        return true;
                    }
                }
            }
        }
        const uint8_t *nl = memchr(p + line, '\n', n - line);
        line = nl ? (size_t)(nl - p) + 1 : n;
    }
    return false;
}

/* The document as it read with the algorithm value `name` in place of its
 * own: one variant per other algorithm. */
static void algorithm_variants(variant *v, size_t *nv, const uint8_t *doc, size_t n,
                               idt_digest_alg doc_alg)
{
    size_t off, len;
    if (!find_algorithm(doc, n, &off, &len))
        return;
    for (size_t i = 0; i < NALGS; i++) {
        const char *name = idt_digest_alg_name(all_algs[i]);
        size_t nl = strlen(name), total = n - len + nl;
        if (all_algs[i] == doc_alg || *nv == MAX_VARIANTS)
            continue;
        uint8_t *b = malloc(total);
        if (!b)
            return;
        memcpy(b, doc, off);
        memcpy(b + off, name, nl);
        memcpy(b + off + nl, doc + off + len, n - off - len);
        keep_alg(v, nv, b, total, IDT_DIAG_TEXT_ALGORITHM, all_algs[i]);
    }
}

/* The document, then its line-end forms, each with and without a final
 * newline, then the document with its algorithm value rewritten.  Returns
 * the count, or -1 when memory runs out. */
static int make_variants(variant *v, const uint8_t *doc, size_t n, idt_digest_alg doc_alg)
{
    size_t nv = 0, len = 0;
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        return -1;
    memcpy(copy, doc, n);
    keep(v, &nv, copy, n, IDT_DIAG_TEXT_AS_IS);
    if (has_crlf(doc, n)) {
        uint8_t *b = convert(doc, n, false, &len);
        keep(v, &nv, b, len, IDT_DIAG_TEXT_TO_LF);
    }
    if (has_bare_lf(doc, n)) {
        uint8_t *b = convert(doc, n, true, &len);
        keep(v, &nv, b, len, IDT_DIAG_TEXT_TO_CRLF);
    }
    size_t bases = nv;
    for (size_t i = 0; i < bases; i++) {
        bool crlf = has_crlf(v[i].bytes, v[i].len) && !has_bare_lf(v[i].bytes, v[i].len);
        for (int add = 0; add < 2; add++) {
            uint8_t *b = final_newline(v[i].bytes, v[i].len, add, crlf, &len);
            keep(v, &nv, b, len,
                 v[i].text | (add ? IDT_DIAG_TEXT_ADD_NEWLINE : IDT_DIAG_TEXT_STRIP_NEWLINE));
        }
    }
    algorithm_variants(v, &nv, doc, n, doc_alg);
    return (int)nv;
}

/* --- wording -------------------------------------------------------------- */

static void text_words(char *buf, size_t cap, unsigned text, idt_digest_alg alg)
{
    if (text & IDT_DIAG_TEXT_ALGORITHM) {
        snprintf(buf, cap, "this document as it read with algorithm = \"%s\"",
                 idt_digest_alg_name(alg));
        return;
    }
    snprintf(buf, cap, "this document%s%s%s%s",
             text & IDT_DIAG_TEXT_TO_LF ? " with its CRLF line ends turned into LF" : "",
             text & IDT_DIAG_TEXT_TO_CRLF ? " with its LF line ends turned into CRLF" : "",
             (text & (IDT_DIAG_TEXT_TO_LF | IDT_DIAG_TEXT_TO_CRLF)) &&
                     (text & (IDT_DIAG_TEXT_ADD_NEWLINE | IDT_DIAG_TEXT_STRIP_NEWLINE))
                 ? " and"
                 : "",
             text & IDT_DIAG_TEXT_ADD_NEWLINE     ? " with a final newline added"
             : text & IDT_DIAG_TEXT_STRIP_NEWLINE ? " without its final newline"
                                                  : "");
}

static const char *size_rule(size_t size)
{
    return size == 32 ? "SNP HOST_DATA" : size == 48 ? "TDX MRCONFIGID" : "CCA/SGX 64-byte";
}

/* What the candidate says about the document and the consumers; sets
 * d->hint when other rules would match. */
static void consequence(char *buf, size_t cap, const diag *g, idt_diagnosis *d, size_t dlen)
{
    const idt_verify_result *r = g->r;
    const char *now = idt_digest_alg_name(g->doc_alg);
    size_t len = 0;
    buf[0] = 0;
    d->hint = IDT_HINT_NONE;
#define ADD(...)                                                                 \
    do {                                                                         \
        int k_ = snprintf(buf + len, cap - len, __VA_ARGS__);                    \
        len += k_ > 0 && (size_t)k_ < cap - len ? (size_t)k_ : 0;                \
    } while (0)
    if (d->alg != g->doc_alg)
        ADD("; the document now says %s", now);
    if (d->text & IDT_DIAG_TEXT_ALGORITHM)
        ADD(", so its algorithm was changed after launch");
    else if (d->text)
        ADD("; the launched copy differed from this file in %s",
            d->text & (IDT_DIAG_TEXT_TO_LF | IDT_DIAG_TEXT_TO_CRLF)
                ? (d->text & (IDT_DIAG_TEXT_ADD_NEWLINE | IDT_DIAG_TEXT_STRIP_NEWLINE)
                       ? "its line ends and final newline"
                       : "its line ends")
                : "its final newline");
    if (d->placement == IDT_DIAG_FIT && r->platform == IDT_PLATFORM_CCA &&
        r->rules == IDT_RULES_TRUSTEE && dlen < r->found_len) {
        ADD("; kata pads the digest to %zu bytes but Trustee compares it unpadded, so with "
            "Trustee CCA verifies only sha512 documents; kata's rules give MATCH",
            r->found_len);
        d->hint = IDT_HINT_VERIFY_RULES_KATA;
    }
    if (d->placement == IDT_DIAG_OTHER_SIZE)
        ADD("; the host fitted the digest as for another platform");
    if (d->placement == IDT_DIAG_PCR_PEERPODS)
        ADD("; Trustee and the attestation-agent extend the whole digest and need a sha256 "
            "document");
    if (d->placement == IDT_DIAG_PCR_TWICE)
        ADD("; PCR 8 was extended a second time (by both the attestation-agent and the "
            "peer-pods agent?)");
    if (r->outcome == IDT_VERIFY_REFUSED && !d->text && d->alg == g->doc_alg &&
        (d->placement == IDT_DIAG_PCR_AA))
        ADD("; the value is right, but the quote does not sign it");
#undef ADD
}

/* Writes a diagnosis message, cut to fit its buffer: a long document name
 * may not push out the explanation's start. */
static void set_message(idt_diagnosis *d, const char *fmt, ...) IDTX_PRINTF(2, 3);

static void set_message(idt_diagnosis *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    va_end(ap);
}

static int report(diag *g, idt_diagnosis *d, size_t dlen)
{
    char text[160], tail[IDT_ERROR_MESSAGE_MAX];
    const char *alg = idt_digest_alg_name(d->alg);
    text_words(text, sizeof text, d->text, d->alg);
    consequence(tail, sizeof tail, g, d, dlen);
    size_t L = g->r->found_len;
    switch (d->placement) {
    case IDT_DIAG_FIT:
        set_message(d, "the evidence holds the %s digest of %s%s%s",
                 alg, text, dlen < L ? ", zero-padded" : dlen > L ? ", truncated" : "", tail);
        break;
    case IDT_DIAG_OTHER_SIZE:
        set_message(d,
                 "the evidence holds the %s digest of %s truncated to %zu bytes (the %s size)%s%s",
                 alg, text, d->other_size, size_rule(d->other_size),
                 d->other_size < L ? " and zero-padded" : "", tail);
        break;
    case IDT_DIAG_PCR_AA:
        set_message(d,
                 "PCR 8 was extended once with the %s digest of %s%s", alg, text, tail);
        break;
    case IDT_DIAG_PCR_PEERPODS:
        set_message(d,
                 "PCR 8 was extended once with the first 32 bytes of the %s digest of %s (the "
                 "cloud-api-adaptor rule)%s",
                 alg, text, tail);
        break;
    case IDT_DIAG_PCR_TWICE:
        set_message(d,
                 "PCR 8 was extended twice with the %s digest of %s%s", alg, text, tail);
        break;
    case IDT_DIAG_ZEROS:
        set_message(d, "%s",
                 g->r->platform == IDT_PLATFORM_VTPM
                     ? "PCR 8 is all zeros: nothing extended it, so the guest never measured "
                       "Init-Data (no attestation-agent Init-Data step ran)"
                     : "the field is all zeros: the TEE was launched without Init-Data (the "
                       "host gave QEMU no digest)");
        break;
    }
    g->count++;
    int rc = g->cb ? g->cb(d, g->payload) : 0;
    if (rc)
        g->stop = rc;
    return rc;
}

/* --- candidates ------------------------------------------------------------ */

static bool fits(const diag *g, const uint8_t *v, size_t n)
{
    return n == g->r->found_len && !memcmp(v, g->r->found, n);
}

/* x fitted to size bytes (truncated or zero-padded) into out. */
static void fit(uint8_t *out, const uint8_t *x, size_t xlen, size_t size)
{
    memset(out, 0, size);
    memcpy(out, x, xlen < size ? xlen : size);
}

static int try_field(diag *g, const idt_digest *d, unsigned text)
{
    static const size_t others[] = { 32, 48, 64 };
    size_t L = g->r->found_len;
    uint8_t v[IDT_BINDING_MAX], t[64];
    idt_diagnosis dg = { IDT_DIAG_FIT, d->alg, text, 0, "", IDT_HINT_NONE };
    fit(v, d->bytes, d->len, L);
    if (fits(g, v, L) && report(g, &dg, d->len))
        return 1;
    for (size_t i = 0; i < 3; i++) {
        size_t s = others[i];
        if (s >= L || s >= d->len)
            continue; /* the same as fitting straight to the field */
        fit(t, d->bytes, d->len, s);
        fit(v, t, s, L);
        dg.placement = IDT_DIAG_OTHER_SIZE;
        dg.other_size = s;
        if (fits(g, v, L) && report(g, &dg, d->len))
            return 1;
    }
    return 0;
}

static int try_pcr(diag *g, const idt_digest *d, unsigned text)
{
    static const uint8_t zeros[32] = { 0 };
    uint8_t once[32], twice[32];
    if (d->len < 32)
        return 0;
    idt_diagnosis dg = { d->len == 32 ? IDT_DIAG_PCR_AA : IDT_DIAG_PCR_PEERPODS, d->alg, text, 0,
                         "", IDT_HINT_NONE };
    if (idtx_sha256_concat(once, zeros, 32, d->bytes, 32) < 0 ||
        idtx_sha256_concat(twice, once, 32, d->bytes, 32) < 0) {
        g->stop = idtx_error_set(g->err, IDT_ERROR, NULL, "SHA-256 failed in libcrypto");
        return 1;
    }
    if (fits(g, once, 32) && report(g, &dg, d->len))
        return 1;
    dg.placement = IDT_DIAG_PCR_TWICE;
    return fits(g, twice, 32) && report(g, &dg, d->len);
}

static int try_variant(diag *g, const variant *v)
{
    for (size_t i = 0; i < NALGS; i++) {
        idt_digest d;
        /* a rewritten algorithm line is hashed with what it names */
        if ((v->text & IDT_DIAG_TEXT_ALGORITHM) && all_algs[i] != v->alg)
            continue;
        int rc = idt_digest_compute(&d, all_algs[i], v->bytes, v->len, NULL);
        if (rc == IDT_EUNSUPPORTED)
            continue; /* no SM3 in this OpenSSL */
        if (rc < 0) {
            g->stop = idtx_error_set(g->err, rc, NULL, "hashing failed in libcrypto");
            return 1;
        }
        if (g->r->platform == IDT_PLATFORM_VTPM ? try_pcr(g, &d, v->text)
                                                : try_field(g, &d, v->text))
            return 1;
    }
    return 0;
}

int idt_verify_diagnose(const idt_verify_result *r, const void *doc, size_t len,
                        idt_digest_alg alg, idt_diagnosis_cb cb, void *payload, idt_error *err)
{
    if (!r || (!doc && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_verify_diagnose: NULL argument");
    if (!r->found_len || r->found_len > IDT_BINDING_MAX)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_verify_diagnose: no found value");
    diag g = { r, alg, cb, payload, 0, 0, err };
    bool zero = true;
    for (size_t i = 0; i < r->found_len; i++)
        zero = zero && !r->found[i];
    if (zero) {
        idt_diagnosis dg = { IDT_DIAG_ZEROS, (idt_digest_alg)0, 0, 0, "", IDT_HINT_NONE };
        if (report(&g, &dg, 0))
            return g.stop;
    }
    variant v[MAX_VARIANTS];
    int nv = make_variants(v, doc ? doc : "", len, alg);
    if (nv < 0)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    for (int i = 0; i < nv && !g.stop; i++)
        try_variant(&g, &v[i]);
    for (int i = 0; i < nv; i++)
        free(v[i].bytes);
    return g.stop ? g.stop : g.count;
}
