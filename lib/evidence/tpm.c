/*
 * TPM 2.0 quotes: the TPMS_ATTEST message, its signature, the PCR values
 * that go with it and the AK public key, as tpm2_quote writes them (and as
 * Trustee's TPM and Azure vTPM evidence carry them, see vtpm.c).
 *
 *   TPMS_ATTEST (big-endian): magic 0xff544347 ("\xffTCG"), type 0x8018
 *   (quote), TPM2B qualifiedSigner, TPM2B extraData (the nonce), clockInfo
 *   (17 bytes), firmwareVersion (8), TPML_PCR_SELECTION, TPM2B pcrDigest.
 *
 * The PCR digest is the hash of the selected PCR values concatenated in
 * selection order (banks as listed, PCRs ascending); the AK signs the whole
 * TPMS_ATTEST.  Init-Data lives in PCR 8 of the SHA-256 bank, and its value
 * is only attested when the quote's signed selection includes it: Trustee
 * does not check that, this module does.
 *
 * tpm2_quote's PCR output (-o) is "serialized" by default: the tools' own
 * TPML_PCR_SELECTION and TPML_DIGEST structs in host byte order, padding
 * included (132 + 4 + 532 * k bytes); with -F values it is the bare digests
 * in selection order.
 */
#include "evidence/crypto.h"
#include "evidence/evidence_int.h"

#include <openssl/evp.h>
#include <string.h>
#include <tss2/tss2_mu.h>

#define TPM_MAGIC 0xff544347u
#define TPM_ST_ATTEST_QUOTE 0x8018
#define ALG_SHA1 0x0004
#define ALG_SHA256 0x000b
#define ALG_SHA384 0x000c
#define ALG_SHA512 0x000d
#define ALG_SM3 0x0012
#define ALG_RSASSA 0x0014
#define ALG_RSAPSS 0x0016
#define ALG_ECDSA 0x0018
#define PCR_SELECT_MAX 4

/* tpm2-tools' serialized PCR file: TPML_PCR_SELECTION (4 + 16 * 8), a u32
 * count, then count TPML_DIGEST (4 + 8 * (2 + 64)). */
#define SER_SELECTION_LEN 132
#define SER_DIGEST_LIST_LEN 532
#define SER_DIGESTS_PER_LIST 8

typedef struct tpm_alg {
    uint16_t id;
    const char *name;
    size_t size;
} tpm_alg;

static const tpm_alg algs[] = {
    { ALG_SHA1, "sha1", 20 },     { ALG_SHA256, "sha256", 32 }, { ALG_SHA384, "sha384", 48 },
    { ALG_SHA512, "sha512", 64 }, { ALG_SM3, "sm3_256", 32 },
};

static const tpm_alg *find_alg(uint16_t id)
{
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
        if (algs[i].id == id)
            return &algs[i];
    return NULL;
}

static const EVP_MD *alg_md(uint16_t id)
{
    switch (id) {
    case ALG_SHA1:
        return EVP_sha1();
    case ALG_SHA256:
        return EVP_sha256();
    case ALG_SHA384:
        return EVP_sha384();
    case ALG_SHA512:
        return EVP_sha512();
    }
    return NULL;
}

/* --- TPMS_ATTEST -------------------------------------------------------------- */

static int read_selection(idt_evidence__tpm *t, idt_evidence__rd *r, idt_error *err)
{
    uint32_t count;
    if (!idt_evidence__rd_u32be(r, &count))
        return idt_evidence__truncated(err, r, 4, "TPML_PCR_SELECTION count");
    if (count > IDT_EVIDENCE__PCR_BANKS)
        return idtx_error_at_offset(err, IDT_EFORMAT, r->pos - 4,
                                    "TPML_PCR_SELECTION count %u is over the TPM's limit of %d",
                                    (unsigned)count, IDT_EVIDENCE__PCR_BANKS);
    for (uint32_t i = 0; i < count; i++) {
        uint16_t hash;
        uint8_t size;
        const uint8_t *bits = NULL;
        if (!idt_evidence__rd_u16be(r, &hash) || !idt_evidence__rd_u8(r, &size))
            return idt_evidence__truncated(err, r, 3, "TPMS_PCR_SELECTION");
        if (size > PCR_SELECT_MAX)
            return idtx_error_at_offset(err, IDT_EFORMAT, r->pos - 1,
                                        "PCR selection of %u bytes (at most %d)", size,
                                        PCR_SELECT_MAX);
        if (!idt_evidence__rd_bytes(r, size, &bits))
            return idt_evidence__truncated(err, r, size, "PCR selection bitmap");
        uint32_t mask = 0;
        for (uint8_t b = 0; b < size; b++)
            mask |= (uint32_t)bits[b] << (8 * b);
        if (mask >> IDT_EVIDENCE__PCRS)
            return idtx_error_at_offset(err, IDT_EFORMAT, r->pos - size,
                                        "PCR selection names a PCR above 23");
        t->sel[t->nsel].hash = hash;
        t->sel[t->nsel].mask = mask;
        t->nsel++;
    }
    return IDT_OK;
}

/* Reads a TPMS_ATTEST (p[0..n) exactly) into ev->tpm. */
int idt_evidence__tpm_read_attest(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err)
{
    idt_evidence__tpm *t = &ev->tpm;
    idt_evidence__rd r = idt_evidence__rd_init(p, n);
    uint32_t magic;
    uint16_t type, size;
    const uint8_t *skip;
    if (!idt_evidence__rd_u32be(&r, &magic) || !idt_evidence__rd_u16be(&r, &type))
        return idt_evidence__truncated(err, &r, 6, "TPMS_ATTEST header");
    if (magic != TPM_MAGIC)
        return idtx_error_at_offset(err, IDT_EFORMAT, 0,
                                    "not a TPM attestation: magic 0x%08x, not 0xff544347",
                                    (unsigned)magic);
    if (type != TPM_ST_ATTEST_QUOTE)
        return idtx_error_at_offset(err, IDT_EUNSUPPORTED, 4,
                                    "TPM attestation type 0x%04x is not a quote (0x8018)", type);
    if (!idt_evidence__rd_tpm2b(&r, &skip, &size))
        return idt_evidence__truncated(err, &r, 2, "qualifiedSigner");
    if (!idt_evidence__rd_tpm2b(&r, &t->nonce.p, &size))
        return idt_evidence__truncated(err, &r, 2, "extraData (the nonce)");
    t->nonce.n = size;
    if (!idt_evidence__rd_skip(&r, 17 + 8))
        return idt_evidence__truncated(err, &r, 25, "clockInfo and firmwareVersion");
    IDTX_TRY(read_selection(t, &r, err));
    if (!idt_evidence__rd_tpm2b(&r, &t->pcr_digest.p, &size))
        return idt_evidence__truncated(err, &r, 2, "pcrDigest");
    t->pcr_digest.n = size;
    if (idt_evidence__rd_left(&r))
        return idtx_error_at_offset(err, IDT_EFORMAT, r.pos,
                                    "%zu bytes follow the TPMS_ATTEST", idt_evidence__rd_left(&r));
    t->message.p = p;
    t->message.n = n;
    t->present = true;
    return IDT_OK;
}

/* --- PCR values ------------------------------------------------------------------ */

static int add_value(idt_evidence__tpm *t, uint16_t hash, unsigned index, const uint8_t *v,
                     size_t n)
{
    if (t->npcrs == sizeof t->pcrs / sizeof t->pcrs[0])
        return IDT_ELIMIT;
    t->pcrs[t->npcrs].hash = hash;
    t->pcrs[t->npcrs].index = (uint8_t)index;
    t->pcrs[t->npcrs].value.p = v;
    t->pcrs[t->npcrs].value.n = n;
    t->npcrs++;
    return IDT_OK;
}

/* Calls fn for each selected (bank, PCR) in TPM order. */
#define FOR_EACH_SELECTED(sel, nsel, i, pcr)                                    \
    for (size_t i = 0; i < (nsel); i++)                                         \
        for (unsigned pcr = 0; pcr < IDT_EVIDENCE__PCRS; pcr++)                        \
            if ((sel)[i].mask >> pcr & 1)

/* -F values: the digests of the quote's own selection, back to back. */
static int load_values(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err)
{
    idt_evidence__tpm *t = &ev->tpm;
    size_t want = 0, off = 0;
    FOR_EACH_SELECTED(t->sel, t->nsel, i, pcr) {
        const tpm_alg *a = find_alg(t->sel[i].hash);
        if (!a)
            return idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                                  "the quote selects PCRs of unknown hash algorithm 0x%04x",
                                  t->sel[i].hash);
        want += a->size;
    }
    if (n != want)
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "the PCR values file has %zu bytes; the quote's selection needs "
                              "%zu (tpm2_quote -o writes the selected PCRs, in order)",
                              n, want);
    FOR_EACH_SELECTED(t->sel, t->nsel, i, pcr) {
        size_t size = find_alg(t->sel[i].hash)->size;
        if (add_value(t, t->sel[i].hash, pcr, p + off, size) < 0)
            return idtx_error_set(err, IDT_ELIMIT, NULL, "too many PCR values");
        off += size;
    }
    return IDT_OK;
}

/* Reads the tools' serialized form in one byte order; IDT_EFORMAT when it
 * does not fit (the caller then tries the other order, or "values"). */
static int load_serialized(idt_evidence *ev, const uint8_t *p, size_t n, bool be, idt_error *err)
{
    idt_evidence__tpm *t = &ev->tpm;
    idt_evidence__rd r = idt_evidence__rd_init(p, n);
    uint64_t count = 0, lists = 0;
    idt_evidence__pcr_sel sel[IDT_EVIDENCE__PCR_BANKS];
    if (n < SER_SELECTION_LEN + 4 || (n - SER_SELECTION_LEN - 4) % SER_DIGEST_LIST_LEN)
        return IDT_EFORMAT;
    (void)idt_evidence__rd_uint(&r, 4, be, &count);
    if (count > IDT_EVIDENCE__PCR_BANKS)
        return IDT_EFORMAT;
    for (size_t i = 0; i < IDT_EVIDENCE__PCR_BANKS; i++) {
        uint64_t hash = 0;
        uint8_t size = 0;
        const uint8_t *bits = NULL;
        (void)idt_evidence__rd_uint(&r, 2, be, &hash);
        (void)idt_evidence__rd_u8(&r, &size);
        (void)idt_evidence__rd_bytes(&r, PCR_SELECT_MAX + 1, &bits); /* bitmap and padding */
        if (i >= count)
            continue;
        if (!bits) /* the length check above makes this unreachable; stay safe */
            return IDT_EFORMAT;
        if (size > PCR_SELECT_MAX || !find_alg((uint16_t)hash))
            return IDT_EFORMAT;
        sel[i].hash = (uint16_t)hash;
        sel[i].mask = 0;
        for (uint8_t b = 0; b < size; b++)
            sel[i].mask |= (uint32_t)bits[b] << (8 * b);
        if (sel[i].mask >> IDT_EVIDENCE__PCRS)
            return IDT_EFORMAT;
    }
    (void)idt_evidence__rd_uint(&r, 4, be, &lists);
    if (lists != (n - SER_SELECTION_LEN - 4) / SER_DIGEST_LIST_LEN)
        return IDT_EFORMAT;
    /* The digests fill the lists in selection order, up to 8 per list. */
    uint64_t in_list = 0, used = 0, nlists = 0;
    size_t list_start = r.pos;
    FOR_EACH_SELECTED(sel, (size_t)count, i, pcr) {
        if (used == in_list) {
            if (r.pos != list_start && r.pos - list_start < SER_DIGEST_LIST_LEN)
                (void)idt_evidence__rd_skip(&r, SER_DIGEST_LIST_LEN - (r.pos - list_start));
            list_start = r.pos;
            if (++nlists > lists || !idt_evidence__rd_uint(&r, 4, be, &in_list) || in_list == 0 ||
                in_list > SER_DIGESTS_PER_LIST)
                return IDT_EFORMAT;
            used = 0;
        }
        uint64_t size = 0;
        const uint8_t *v;
        size_t want = find_alg(sel[i].hash)->size;
        if (!idt_evidence__rd_uint(&r, 2, be, &size) || size != want ||
            !idt_evidence__rd_bytes(&r, 64, &v))
            return IDT_EFORMAT;
        if (add_value(t, sel[i].hash, pcr, v, want) < 0)
            return idtx_error_set(err, IDT_ELIMIT, NULL, "too many PCR values");
        used++;
    }
    return used == in_list && nlists == lists ? IDT_OK : IDT_EFORMAT;
}

int idt_evidence__tpm_load_pcr_file(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err)
{
    idt_evidence__tpm *t = &ev->tpm;
    for (int be = 0; be < 2; be++) {
        t->npcrs = 0;
        int rc = load_serialized(ev, p, n, be, err);
        if (rc == IDT_OK) {
            t->has_pcrs = true;
            return IDT_OK;
        }
        if (rc != IDT_EFORMAT)
            return rc;
    }
    t->npcrs = 0;
    IDTX_TRY(load_values(ev, p, n, err));
    t->has_pcrs = true;
    return IDT_OK;
}

/* --- fields -------------------------------------------------------------------- */

/* Writes a selection as tpm2-tools spells it: "sha256:0-7,9+sha1:3". */
static size_t selection_text(char *buf, size_t cap, const idt_evidence__pcr_sel *sel, size_t nsel)
{
    size_t len = 0;
#define PUT(...)                                                                 \
    do {                                                                         \
        int k_ = snprintf(buf + len, cap > len ? cap - len : 0, __VA_ARGS__);     \
        len += k_ > 0 ? (size_t)k_ : 0;                                          \
    } while (0)
    for (size_t i = 0; i < nsel; i++) {
        const tpm_alg *a = find_alg(sel[i].hash);
        if (a)
            PUT("%s%s:", i ? "+" : "", a->name);
        else
            PUT("%s0x%04x:", i ? "+" : "", sel[i].hash);
        bool first = true;
        for (unsigned pcr = 0; pcr < IDT_EVIDENCE__PCRS; pcr++) {
            if (!(sel[i].mask >> pcr & 1))
                continue;
            unsigned end = pcr;
            while (end + 1 < IDT_EVIDENCE__PCRS && sel[i].mask >> (end + 1) & 1)
                end++;
            if (end > pcr + 1)
                PUT("%s%u-%u", first ? "" : ",", pcr, end);
            else
                PUT("%s%u", first ? "" : ",", pcr);
            if (end == pcr + 1)
                PUT(",%u", end);
            first = false;
            pcr = end;
        }
        if (first)
            PUT("none");
    }
    if (!nsel)
        PUT("none");
#undef PUT
    return len < cap ? len : (cap ? cap - 1 : 0);
}

static bool selected(const idt_evidence__tpm *t, uint16_t hash, unsigned pcr)
{
    for (size_t i = 0; i < t->nsel; i++)
        if (t->sel[i].hash == hash && t->sel[i].mask >> pcr & 1)
            return true;
    return false;
}

int idt_evidence__tpm_add_fields(idt_evidence *ev, idt_error *err)
{
    static const char *const names[IDT_EVIDENCE__PCRS] = {
        "PCR0",  "PCR1",  "PCR2",  "PCR3",  "PCR4",  "PCR5",  "PCR6",  "PCR7",
        "PCR8",  "PCR9",  "PCR10", "PCR11", "PCR12", "PCR13", "PCR14", "PCR15",
        "PCR16", "PCR17", "PCR18", "PCR19", "PCR20", "PCR21", "PCR22", "PCR23",
    };
    const idt_evidence__tpm *t = &ev->tpm;
    char text[256];
    size_t n = selection_text(text, sizeof text, t->sel, t->nsel);
    const uint8_t *kept = idt_evidence__keep(ev, text, n, err);
    if (!kept)
        return IDT_ENOMEM;
    int k = idt_evidence__add_bytes(ev, "NONCE", t->nonce.p, t->nonce.n, err);
    if (k < 0)
        return k;
    idt_evidence__set_report_data(ev, k);
    IDTX_TRY(idt_evidence__add_text(ev, "PCR_SELECTION", (const char *)kept, n, err));
    /* The SHA-256 bank, in PCR order, each marked attested or not. */
    for (unsigned pcr = 0; pcr < IDT_EVIDENCE__PCRS; pcr++) {
        for (size_t i = 0; i < t->npcrs; i++) {
            if (t->pcrs[i].hash != ALG_SHA256 || t->pcrs[i].index != pcr)
                continue;
            k = idt_evidence__add_bytes(ev, names[pcr], t->pcrs[i].value.p, t->pcrs[i].value.n,
                                        err);
            if (k < 0)
                return k;
            ev->fields[k].attested = selected(t, ALG_SHA256, pcr);
            if (pcr == IDT_EVIDENCE__INITDATA_PCR)
                idt_evidence__set_binding(ev, k);
            break;
        }
    }
    return IDT_OK;
}

/* tpm2_quote's files: the message is the input; the rest come in opts. */
int idt_evidence__parse_tpm_attest(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err)
{
    idt_evidence__tpm *t = &ev->tpm;
    IDTX_TRY(idt_evidence__tpm_read_attest(ev, p, n, err));
    ev->tee = IDT_TEE_TPM;
    ev->format = IDT_EVIDENCE_TPM_QUOTE;
    if (ev->opts.tpm_pcrs_len)
        IDTX_TRY(
            idt_evidence__tpm_load_pcr_file(ev, ev->opts.tpm_pcrs, ev->opts.tpm_pcrs_len, err));
    if (ev->opts.tpm_signature_len) {
        t->signature.p = ev->opts.tpm_signature;
        t->signature.n = ev->opts.tpm_signature_len;
    }
    if (ev->opts.ak_len) {
        const uint8_t *ak = ev->opts.ak;
        bool spki = ak[0] == 0x30 || (ev->opts.ak_len > 10 && !memcmp(ak, "-----BEGIN", 10));
        t->ak_kind = spki ? IDT_EVIDENCE__AK_SPKI : IDT_EVIDENCE__AK_TPM2B;
        t->ak.p = ak;
        t->ak.n = ev->opts.ak_len;
        t->ak_source = "the caller";
    }
    idt_evidence__summary(ev, "TPM 2.0 quote (TPMS_ATTEST, %zu bytes)%s", n,
                    t->has_pcrs ? "" : "; no PCR values given");
    return idt_evidence__tpm_add_fields(ev, err);
}

/* --- checks ---------------------------------------------------------------------- */

/* The AK as an OpenSSL key, or NULL (with why). */
static EVP_PKEY *ak_key(const idt_evidence__tpm *t, const char **why)
{
    EVP_PKEY *key = NULL;
    *why = "it is not a public key";
    switch (t->ak_kind) {
    case IDT_EVIDENCE__AK_SPKI:
        key = idt_evidence__key_spki(t->ak.p, t->ak.n);
        *why = "it is not a PEM or DER public key";
        break;
    case IDT_EVIDENCE__AK_RSA_JWK:
        key = idt_evidence__key_rsa(t->ak.p, t->ak.n, t->ak_e.p, t->ak_e.n);
        break;
    case IDT_EVIDENCE__AK_TPM2B: {
        TPM2B_PUBLIC pub;
        size_t off = 0;
        memset(&pub, 0, sizeof pub);
        *why = "it is not a TPM2B_PUBLIC, PEM or DER public key";
        if (Tss2_MU_TPM2B_PUBLIC_Unmarshal(t->ak.p, t->ak.n, &off, &pub) != 0 || off != t->ak.n)
            break;
        const TPMT_PUBLIC *pt = &pub.publicArea;
        if (pt->type == TPM2_ALG_RSA) {
            uint32_t e = pt->parameters.rsaDetail.exponent ? pt->parameters.rsaDetail.exponent
                                                           : 65537;
            uint8_t eb[4] = { (uint8_t)(e >> 24), (uint8_t)(e >> 16), (uint8_t)(e >> 8),
                              (uint8_t)e };
            key = idt_evidence__key_rsa(pt->unique.rsa.buffer, pt->unique.rsa.size, eb, 4);
        } else if (pt->type == TPM2_ALG_ECC) {
            static const struct { TPM2_ECC_CURVE id; const char *name; size_t n; } curves[] = {
                { TPM2_ECC_NIST_P256, "P-256", 32 },
                { TPM2_ECC_NIST_P384, "P-384", 48 },
                { TPM2_ECC_NIST_P521, "P-521", 66 },
            };
            for (size_t i = 0; i < 3; i++) {
                size_t cn = curves[i].n;
                if (curves[i].id != pt->parameters.eccDetail.curveID ||
                    pt->unique.ecc.x.size != cn || pt->unique.ecc.y.size != cn)
                    continue;
                uint8_t xy[2 * 66];
                memcpy(xy, pt->unique.ecc.x.buffer, cn);
                memcpy(xy + cn, pt->unique.ecc.y.buffer, cn);
                key = idt_evidence__key_ec(curves[i].name, xy, 2 * cn);
            }
        }
        break;
    }
    case IDT_EVIDENCE__AK_NONE:
        break;
    }
    return key;
}

/* A TPMT_SIGNATURE (RSASSA, RSAPSS, ECDSA) that fills the buffer exactly. */
typedef struct tpm_sig {
    uint16_t alg, hash;
    const uint8_t *a, *b; /* RSA: a; ECDSA: r, s */
    uint16_t alen, blen;
} tpm_sig;

static bool read_tpmt_signature(tpm_sig *s, const idt_evidence__bytes *in)
{
    idt_evidence__rd r = idt_evidence__rd_init(in->p, in->n);
    memset(s, 0, sizeof *s);
    if (!idt_evidence__rd_u16be(&r, &s->alg) || !idt_evidence__rd_u16be(&r, &s->hash) ||
        !idt_evidence__rd_tpm2b(&r, &s->a, &s->alen))
        return false;
    if (s->alg == ALG_ECDSA && !idt_evidence__rd_tpm2b(&r, &s->b, &s->blen))
        return false;
    return (s->alg == ALG_RSASSA || s->alg == ALG_RSAPSS || s->alg == ALG_ECDSA) &&
           alg_md(s->hash) && idt_evidence__rd_left(&r) == 0;
}

static void check_signature(const idt_evidence *ev, idt_evidence__checks *c)
{
    const idt_evidence__tpm *t = &ev->tpm;
    const char *name = ev->tee == IDT_TEE_TPM ? "quote signature" : "vTPM quote signature";
    const char *why;
    char desc[32];
    if (t->ak_kind == IDT_EVIDENCE__AK_NONE) {
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_SKIP, "no AK public key was given");
        idt_evidence__check_hint(c, IDT_HINT_EVIDENCE_AK);
        return;
    }
    if (!t->signature.n) {
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_SKIP, "no signature was given");
        idt_evidence__check_hint(c, IDT_HINT_EVIDENCE_SIGNATURE);
        return;
    }
    EVP_PKEY *key = ak_key(t, &why);
    if (!key) {
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_FAIL,
                                "the AK public key from %s is unusable: %s", t->ak_source, why);
        return;
    }
    idt_evidence__key_desc(key, desc, sizeof desc);
    tpm_sig s;
    int ok;
    const char *scheme;
    if (read_tpmt_signature(&s, &t->signature)) {
        const EVP_MD *md = alg_md(s.hash);
        scheme = s.alg == ALG_ECDSA ? "ECDSA" : s.alg == ALG_RSAPSS ? "RSASSA-PSS" : "RSASSA";
        if (s.alg == ALG_ECDSA) {
            /* r and s may be shorter than the curve: left-pad both. */
            uint8_t rs[2][66] = { { 0 } };
            size_t n = s.alen > s.blen ? s.alen : s.blen;
            ok = n <= 66 && EVP_PKEY_is_a(key, "EC");
            if (ok) {
                memcpy(rs[0] + n - s.alen, s.a, s.alen);
                memcpy(rs[1] + n - s.blen, s.b, s.blen);
                ok = idt_evidence__verify_rs(key, md, rs[0], rs[1], n, false, t->message.p,
                                       t->message.n);
            }
        } else {
            ok = EVP_PKEY_is_a(key, "RSA") &&
                 idt_evidence__verify_sig(key, md, s.alg == ALG_RSAPSS, s.a, s.alen, t->message.p,
                                    t->message.n);
        }
    } else {
        /* A plain signature (tpm2_quote -f plain, Azure): SHA-256, PKCS#1
         * v1.5 for RSA, DER for ECDSA. */
        scheme = "plain SHA-256";
        ok = idt_evidence__verify_sig(key, EVP_sha256(), false, t->signature.p, t->signature.n,
                                t->message.p, t->message.n);
    }
    if (ok)
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_PASS,
                                "%s signature over the TPMS_ATTEST, by the %s "
                                "AK from %s",
                                scheme, desc, t->ak_source);
    else
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_FAIL,
                          "the %s signature does not verify with the %s AK from %s: the quote "
                          "was changed, or another key signed it",
                          scheme, desc, t->ak_source);
    EVP_PKEY_free(key);
}

static const idt_evidence__pcr_value *find_value(const idt_evidence__tpm *t, uint16_t hash,
                                                 unsigned pcr)
{
    for (size_t i = 0; i < t->npcrs; i++)
        if (t->pcrs[i].hash == hash && t->pcrs[i].index == pcr)
            return &t->pcrs[i];
    return NULL;
}

static void check_digest(const idt_evidence__tpm *t, idt_evidence__checks *c)
{
    static const char *const name = "PCR digest";
    if (!t->has_pcrs) {
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_SKIP, "no PCR values were given");
        idt_evidence__check_hint(c, IDT_HINT_EVIDENCE_PCRS);
        return;
    }
    const EVP_MD *md = t->pcr_digest.n == 20   ? EVP_sha1()
                       : t->pcr_digest.n == 32 ? EVP_sha256()
                       : t->pcr_digest.n == 48 ? EVP_sha384()
                       : t->pcr_digest.n == 64 ? EVP_sha512()
                                               : NULL;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    uint8_t h[64];
    unsigned int hn = 0;
    if (!md || !ctx || EVP_DigestInit_ex(ctx, md, NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        if (md)
            c->status = IDT_ENOMEM;
        else
            idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_FAIL,
                                    "a pcrDigest of %zu bytes fits no hash", t->pcr_digest.n);
        return;
    }
    FOR_EACH_SELECTED(t->sel, t->nsel, i, pcr) {
        const idt_evidence__pcr_value *v = find_value(t, t->sel[i].hash, pcr);
        if (!v) {
            const tpm_alg *a = find_alg(t->sel[i].hash);
            idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_FAIL,
                              "the PCR values lack %s:%u, which the quote selects",
                              a ? a->name : "?", pcr);
            EVP_MD_CTX_free(ctx);
            return;
        }
        EVP_DigestUpdate(ctx, v->value.p, v->value.n);
    }
    int ok = EVP_DigestFinal_ex(ctx, h, &hn) == 1;
    EVP_MD_CTX_free(ctx);
    if (ok && hn == t->pcr_digest.n && !memcmp(h, t->pcr_digest.p, hn))
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_PASS,
                          "%s of the selected PCR values equals the quote's pcrDigest",
                          EVP_MD_get0_name(md));
    else
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_FAIL,
                          "the PCR values do not hash to the quote's pcrDigest: they are not "
                          "the values the TPM quoted");
}

static void check_pcr8(const idt_evidence__tpm *t, idt_evidence__checks *c)
{
    static const char *const name = "PCR 8 in the signed selection";
    char text[256];
    selection_text(text, sizeof text, t->sel, t->nsel);
    if (selected(t, ALG_SHA256, IDT_EVIDENCE__INITDATA_PCR))
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_PASS,
                                "the quote's selection %s includes sha256:8", text);
    else
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_FAIL,
                          "the quote's signed selection (%s) leaves out PCR 8 of the sha256 "
                          "bank, so its value is not attested (Trustee does not check this)",
                          text);
}

void idt_evidence__check_tpm(const idt_evidence *ev, idt_evidence__checks *c)
{
    check_signature(ev, c);
    check_digest(&ev->tpm, c);
    check_pcr8(&ev->tpm, c);
}
