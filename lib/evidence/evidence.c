/* The evidence object: lifecycle, the field table, names and the dispatch
 * to the format readers (initdata/evidence.h). */
#include "evidence/evidence_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tee_info {
    idt_tee tee;
    const char *name;
    const char *alias; /* Trustee's spelling, or NULL */
    idt_platform platform;
} tee_info;

static const tee_info tees[] = {
    { IDT_TEE_TDX, "tdx", NULL, IDT_PLATFORM_TDX },
    { IDT_TEE_SGX, "sgx", NULL, IDT_PLATFORM_SGX },
    { IDT_TEE_SNP, "snp", NULL, IDT_PLATFORM_SNP },
    { IDT_TEE_CCA, "cca", NULL, IDT_PLATFORM_CCA },
    { IDT_TEE_AZ_SNP_VTPM, "az-snp-vtpm", "azsnpvtpm", IDT_PLATFORM_VTPM },
    { IDT_TEE_AZ_TDX_VTPM, "az-tdx-vtpm", "aztdxvtpm", IDT_PLATFORM_VTPM },
    { IDT_TEE_TPM, "tpm", NULL, IDT_PLATFORM_VTPM },
};

#define NTEES (sizeof tees / sizeof tees[0])

static const tee_info *find_tee(idt_tee tee)
{
    for (size_t i = 0; i < NTEES; i++)
        if (tees[i].tee == tee)
            return &tees[i];
    return NULL;
}

const char *idt_tee_name(idt_tee tee)
{
    const tee_info *t = find_tee(tee);
    return t ? t->name : NULL;
}

idt_platform idt_tee_platform(idt_tee tee)
{
    const tee_info *t = find_tee(tee);
    return t ? t->platform : (idt_platform)0;
}

static bool same_name(const char *known, const char *name, size_t len)
{
    return known && strlen(known) == len && memcmp(known, name, len) == 0;
}

int idt_tee_parse(idt_tee *out, const char *name, size_t len, idt_error *err)
{
    if (!out || (!name && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_tee_parse: NULL argument");
    for (size_t i = 0; i < NTEES; i++) {
        if (same_name(tees[i].name, name, len) || same_name(tees[i].alias, name, len)) {
            *out = tees[i].tee;
            return IDT_OK;
        }
    }
    return idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                          "unknown TEE \"%.*s\" (known: tdx, sgx, snp, cca, az-snp-vtpm, "
                          "az-tdx-vtpm, tpm)",
                          (int)(len > 64 ? 64 : len), name);
}

const char *idt_evidence_format_name(idt_evidence_format f)
{
    static const char *const names[] = {
        [IDT_EVIDENCE_DCAP_QUOTE] = "dcap-quote",   [IDT_EVIDENCE_SNP_REPORT] = "snp-report",
        [IDT_EVIDENCE_SNP_JSON] = "snp-json",       [IDT_EVIDENCE_CCA_TOKEN] = "cca-token",
        [IDT_EVIDENCE_AZ_VTPM_JSON] = "az-vtpm-json", [IDT_EVIDENCE_TPM_JSON] = "tpm-json",
        [IDT_EVIDENCE_TPM_QUOTE] = "tpm-quote",     [IDT_EVIDENCE_DCAP_JSON] = "dcap-json",
    };
    if ((unsigned)f >= sizeof names / sizeof names[0])
        return NULL;
    return names[f];
}

/* --- fields ----------------------------------------------------------------- */

static int add_field(idt_evidence *ev, const char *name, idt_field_kind kind,
                     const uint8_t *p, size_t n, idt_error *err)
{
    if (ev->nfields == IDT_EVIDENCE__FIELDS_MAX)
        return idtx_error_set(err, IDT_ELIMIT, NULL, "evidence has more than %d fields",
                              IDT_EVIDENCE__FIELDS_MAX);
    idt_evidence_field *f = &ev->fields[ev->nfields];
    memset(f, 0, sizeof *f);
    f->group = ev->group;
    f->name = name;
    f->kind = kind;
    f->bytes = p;
    f->len = n;
    f->attested = true;
    /* A view into the input knows where it came from; decoded text does
     * not.  (Addresses are compared as integers: p may lie in the arena.) */
    uintptr_t at = (uintptr_t)p, base = (uintptr_t)ev->input;
    if (p && ev->input && at >= base && at - base <= ev->input_len) {
        f->offset = (uint64_t)(at - base);
        f->has_offset = true;
    }
    return (int)ev->nfields++;
}

int idt_evidence__add_bytes(idt_evidence *ev, const char *name, const uint8_t *p, size_t n,
                      idt_error *err)
{
    return add_field(ev, name, IDT_FIELD_BYTES, p, n, err);
}

int idt_evidence__add_uint(idt_evidence *ev, const char *name, uint64_t v, const uint8_t *at,
                     idt_error *err)
{
    int i = add_field(ev, name, IDT_FIELD_UINT, at, 0, err);
    if (i >= 0) {
        ev->fields[i].number = v;
        ev->fields[i].bytes = NULL;
    }
    return i;
}

int idt_evidence__add_text(idt_evidence *ev, const char *name, const char *s, size_t n,
                     idt_error *err)
{
    return add_field(ev, name, IDT_FIELD_TEXT, (const uint8_t *)s, n, err);
}

/* Nested parts (the TD quote inside az-tdx-vtpm evidence) never carry the
 * evidence's own binding or challenge. */
void idt_evidence__set_binding(idt_evidence *ev, int i)
{
    if (i >= 0 && !ev->fields[i].group)
        ev->binding = i;
}

void idt_evidence__set_report_data(idt_evidence *ev, int i)
{
    if (i >= 0 && !ev->fields[i].group)
        ev->report_data = i;
}

void idt_evidence__summary(idt_evidence *ev, const char *fmt, ...)
{
    size_t used = strlen(ev->summary);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev->summary + used, sizeof ev->summary - used, fmt, ap);
    va_end(ap);
}

const uint8_t *idt_evidence__keep(idt_evidence *ev, const void *p, size_t n, idt_error *err)
{
    uint8_t *copy = idtx_arena_alloc(&ev->arena, n ? n : 1);
    if (!copy) {
        idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    if (n)
        memcpy(copy, p, n);
    return copy;
}

int idt_evidence__truncated(idt_error *err, const idt_evidence__rd *r, size_t need,
                            const char *what)
{
    return idtx_error_at_offset(err, IDT_ETRUNC, r->pos,
                                "%s: needs %zu bytes at byte %zu, but the input has %zu left",
                                what, need, r->pos, idt_evidence__rd_left(r));
}

int idt_evidence__add_layout(idt_evidence *ev, const idt_evidence__layout *l, size_t count,
                       const uint8_t *body, size_t body_len, const char *binding,
                       const char *report_data, idt_error *err)
{
    for (size_t i = 0; i < count; i++) {
        if (l[i].offset > body_len || l[i].size > body_len - l[i].offset)
            return idtx_error_set(err, IDT_ERROR, NULL, "layout of %s exceeds its body",
                                  l[i].name);
        const uint8_t *p = body + l[i].offset;
        int k =
            l[i].kind == IDT_FIELD_UINT
                ? idt_evidence__add_uint(ev, l[i].name, idt_evidence__le_at(p, l[i].size), p, err)
                : idt_evidence__add_bytes(ev, l[i].name, p, l[i].size, err);
        if (k < 0)
            return k;
        if (binding && !strcmp(l[i].name, binding))
            idt_evidence__set_binding(ev, k);
        if (report_data && !strcmp(l[i].name, report_data))
            idt_evidence__set_report_data(ev, k);
    }
    return IDT_OK;
}

/* --- parse --------------------------------------------------------------- */

/* Which readers may handle a TEE the caller named. */
static bool kind_fits(idt_tee tee, idt_evidence__kind kind)
{
    switch (tee) {
    case IDT_TEE_TDX:
    case IDT_TEE_SGX:
        return kind == IDT_EVIDENCE__KIND_DCAP || kind == IDT_EVIDENCE__KIND_JSON;
    case IDT_TEE_SNP:
        return kind == IDT_EVIDENCE__KIND_SNP || kind == IDT_EVIDENCE__KIND_JSON;
    case IDT_TEE_CCA:
        return kind == IDT_EVIDENCE__KIND_CCA;
    case IDT_TEE_TPM:
        return kind == IDT_EVIDENCE__KIND_TPM_ATTEST || kind == IDT_EVIDENCE__KIND_JSON;
    case IDT_TEE_AZ_SNP_VTPM:
    case IDT_TEE_AZ_TDX_VTPM:
        return kind == IDT_EVIDENCE__KIND_JSON;
    }
    return false;
}

static int dispatch(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err)
{
    idt_evidence__kind kind = idt_evidence__sniff(p, n);
    /* A named TEE wins over detection, but reading a TDX quote as SNP only
     * produces nonsense: say what the file looks like instead. */
    if (ev->opts.tee && kind != IDT_EVIDENCE__KIND_UNKNOWN && !kind_fits(ev->opts.tee, kind))
        return idtx_error_hint(err, IDT_HINT_EVIDENCE_TEE_MISMATCH,
                               idtx_error_at_offset(err, IDT_EFORMAT, 0,
                                                    "the input is not the %s evidence asked "
                                                    "for; it looks like %s",
                                                    idt_tee_name(ev->opts.tee),
                                                    idt_evidence__sniff_name(p, n)));
    if (kind == IDT_EVIDENCE__KIND_UNKNOWN) {
        switch (ev->opts.tee) {
        case IDT_TEE_TDX:
        case IDT_TEE_SGX:
            kind = IDT_EVIDENCE__KIND_DCAP;
            break;
        case IDT_TEE_SNP:
            kind = IDT_EVIDENCE__KIND_SNP;
            break;
        case IDT_TEE_CCA:
            kind = IDT_EVIDENCE__KIND_CCA;
            break;
        case IDT_TEE_TPM:
            kind = IDT_EVIDENCE__KIND_TPM_ATTEST;
            break;
        default:
            return idtx_error_hint(
                err, IDT_HINT_EVIDENCE_TEE,
                idtx_error_at_offset(
                    err, IDT_EFORMAT, 0,
                    "not a known evidence format (%zu bytes): expected a DCAP quote (TDX "
                    "v4/v5, SGX v3), a 1184-byte SNP report, a CCA token (CBOR tag 399), a TPM "
                    "quote message (TPMS_ATTEST) or Trustee's evidence JSON, and no TEE was "
                    "named",
                    n));
        }
    }
    switch (kind) {
    case IDT_EVIDENCE__KIND_DCAP:
        return idt_evidence__parse_dcap(ev, p, n, err);
    case IDT_EVIDENCE__KIND_SNP:
        return idt_evidence__parse_snp(ev, p, n, err);
    case IDT_EVIDENCE__KIND_CCA:
        return idt_evidence__parse_cca(ev, p, n, err);
    case IDT_EVIDENCE__KIND_TPM_ATTEST:
        return idt_evidence__parse_tpm_attest(ev, p, n, err);
    case IDT_EVIDENCE__KIND_JSON:
        return idt_evidence__parse_json(ev, p, n, err);
    case IDT_EVIDENCE__KIND_HCL:
        return idtx_error_at_offset(err, IDT_EUNSUPPORTED, 0,
                                    "an Azure HCL report alone carries no PCR 8: give the "
                                    "whole az-snp-vtpm or az-tdx-vtpm evidence JSON");
    case IDT_EVIDENCE__KIND_UNKNOWN:
        break;
    }
    return idtx_error_set(err, IDT_EFORMAT, NULL, "not a known evidence format");
}

int idt_evidence_parse(idt_evidence **out, const void *buf, size_t len,
                       const idt_evidence_options *opts, idt_error *err)
{
    if (out)
        *out = NULL;
    if (!out || (!buf && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_evidence_parse: NULL argument");
    idt_evidence_options dflt = IDT_EVIDENCE_OPTIONS_INIT;
    if (!opts)
        opts = &dflt;
    if (opts->version != IDT_EVIDENCE_OPTIONS_VERSION)
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "idt_evidence_parse: unknown options version %u", opts->version);
    if (opts->tee && !find_tee(opts->tee))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_evidence_parse: unknown TEE %d",
                              (int)opts->tee);
    if (len > IDT_EVIDENCE_MAX_SIZE)
        return idtx_error_set(err, IDT_ELIMIT, NULL,
                              "evidence of %zu bytes is larger than the %u-byte limit", len,
                              IDT_EVIDENCE_MAX_SIZE);
    idt_evidence *ev = calloc(1, sizeof *ev);
    if (!ev)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    ev->binding = -1;
    ev->report_data = -1;
    ev->opts = *opts;
    ev->input = buf;
    ev->input_len = len;
    int rc = dispatch(ev, buf, len, err);
    if (rc < 0) {
        idt_evidence_free(ev);
        return rc;
    }
    *out = ev;
    return IDT_OK;
}

void idt_evidence_free(idt_evidence *ev)
{
    if (!ev)
        return;
    idtx_arena_dispose(&ev->arena);
    free(ev);
}

idt_tee idt_evidence_tee(const idt_evidence *ev)
{
    return ev ? ev->tee : (idt_tee)0;
}

idt_evidence_format idt_evidence_format_of(const idt_evidence *ev)
{
    return ev ? ev->format : (idt_evidence_format)0;
}

const char *idt_evidence_summary(const idt_evidence *ev)
{
    return ev ? ev->summary : "";
}

size_t idt_evidence_field_count(const idt_evidence *ev)
{
    return ev ? ev->nfields : 0;
}

const idt_evidence_field *idt_evidence_field_at(const idt_evidence *ev, size_t i)
{
    return ev && i < ev->nfields ? &ev->fields[i] : NULL;
}

const idt_evidence_field *idt_evidence_field_get(const idt_evidence *ev, const char *name)
{
    if (!ev || !name)
        return NULL;
    for (size_t i = 0; i < ev->nfields; i++)
        if (!ev->fields[i].group && !strcmp(ev->fields[i].name, name))
            return &ev->fields[i];
    return NULL;
}

const idt_evidence_field *idt_evidence_binding_field(const idt_evidence *ev)
{
    return ev && ev->binding >= 0 ? &ev->fields[ev->binding] : NULL;
}

const idt_evidence_field *idt_evidence_report_data(const idt_evidence *ev)
{
    return ev && ev->report_data >= 0 ? &ev->fields[ev->report_data] : NULL;
}

/* --- checks -------------------------------------------------------------- */

void idt_evidence__check_add(idt_evidence__checks *c, const char *name,
                             idt_evidence_check_status st, const char *fmt, ...)
{
    if (c->n < c->cap) {
        idt_evidence_check *k = &c->out[c->n];
        k->name = name;
        k->status = st;
        k->hint = IDT_HINT_NONE;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(k->detail, sizeof k->detail, fmt, ap);
        va_end(ap);
        if (st == IDT_EVIDENCE_CHECK_FAIL && c->first_fail < 0) {
            c->first_fail = (int)c->n;
            idtx_error_set(c->err, IDT_EMISMATCH, NULL, "%s: %s", name, k->detail);
        }
    } else if (st == IDT_EVIDENCE_CHECK_FAIL && c->first_fail < 0) {
        c->first_fail = (int)c->n;
        idtx_error_set(c->err, IDT_EMISMATCH, NULL, "%s failed", name);
    }
    c->n++;
}

void idt_evidence__check_hint(idt_evidence__checks *c, idt_hint hint)
{
    if (c->n && c->n <= c->cap)
        c->out[c->n - 1].hint = hint;
}

int idt_evidence_verify(idt_evidence_check *out, size_t cap, size_t *count,
                       const idt_evidence *ev, idt_error *err)
{
    if (!ev || !count || (!out && cap))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_evidence_verify: NULL argument");
    idt_evidence__checks c = { out, cap, 0, -1, IDT_OK, err };
    if (ev->dcap.present)
        idt_evidence__check_dcap(ev, &c);
    if (ev->snp.present)
        idt_evidence__check_snp(ev, &c);
    if (ev->cca.present)
        idt_evidence__check_cca(ev, &c);
    if (ev->hcl.present)
        idt_evidence__check_hcl(ev, &c);
    if (ev->tpm.present)
        idt_evidence__check_tpm(ev, &c);
    *count = c.n;
    if (c.status < 0)
        return c.status;
    return c.first_fail >= 0 ? IDT_EMISMATCH : IDT_OK;
}
