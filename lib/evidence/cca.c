/*
 * Arm CCA attestation tokens (libcbor).
 *
 *   tag 399 { 44234: platform token, 44241: realm token }
 *
 * Both tokens are COSE_Sign1 (optionally tag 18):
 *   [ protected header (bstr), unprotected header (map), payload (bstr),
 *     signature (bstr) ]
 * The realm payload is a claims map: 10 challenge (64 bytes), 44235
 * personalization value (64 bytes: the Init-Data binding), 44237 realm
 * public key (RAK), 44236 its hash algorithm, 44238 initial measurement,
 * 44239 extensible measurements, 44240 the measurement hash algorithm.  The
 * realm token is signed by the RAK it carries; the platform token by the
 * platform's IAK, which the token does not carry.  The platform's challenge
 * is the hash of the RAK, which ties the two together.
 *
 * libcbor frees nested items recursively, so every buffer is first walked
 * without recursion to bound its nesting depth and the element counts it
 * claims (a count larger than the bytes left cannot be honest).
 */
#include "evidence/crypto.h"
#include "evidence/evidence_int.h"

#include <cbor.h>
#include <openssl/evp.h>
#include <string.h>

#define CCA_TAG 399
#define COSE_SIGN1_TAG 18
#define KEY_PLATFORM 44234
#define KEY_REALM 44241
#define CBOR_MAX_DEPTH 16
#define CBOR_INDEF UINT64_MAX

/* --- a non-recursive well-formedness walk ----------------------------- */

typedef struct walk {
    uint64_t left[CBOR_MAX_DEPTH + 1]; /* items left per open container */
    size_t depth;
} walk;

/* One item finished: count it, closing the containers it completes. */
static void walk_done(walk *w)
{
    while (w->left[w->depth] != CBOR_INDEF) {
        w->left[w->depth]--;
        if (w->left[w->depth] || w->depth == 0)
            return;
        w->depth--;
    }
}

static int walk_push(walk *w, uint64_t count, idt_error *err, size_t at)
{
    if (count == 0) {
        walk_done(w);
        return IDT_OK;
    }
    if (w->depth == CBOR_MAX_DEPTH)
        return idtx_error_at_offset(err, IDT_ELIMIT, at,
                                    "CBOR nesting deeper than %d levels", CBOR_MAX_DEPTH);
    w->left[++w->depth] = count;
    return IDT_OK;
}

/* Reads the argument of the head at r (after the initial byte). */
static int walk_arg(idt_evidence__rd *r, unsigned ai, uint64_t *arg, idt_error *err)
{
    if (ai < 24) {
        *arg = ai;
        return IDT_OK;
    }
    if (ai > 27)
        return idtx_error_at_offset(err, IDT_EFORMAT, r->pos - 1,
                                    "malformed CBOR: reserved additional information %u", ai);
    size_t n = (size_t)1 << (ai - 24);
    if (!idt_evidence__rd_uint(r, n, true, arg))
        return idt_evidence__truncated(err, r, n, "CBOR item head");
    return IDT_OK;
}

/* Checks that p[0..n) is exactly one well-formed CBOR item within the
 * limits.  base_offset positions the errors in the whole input. */
static int cbor_precheck(const uint8_t *p, size_t n, idt_error *err)
{
    walk w = { { 1 }, 0 };
    idt_evidence__rd r = idt_evidence__rd_init(p, n);
    while (w.depth > 0 || w.left[0] > 0) {
        size_t at = r.pos;
        uint8_t ib;
        uint64_t arg = 0;
        if (!idt_evidence__rd_u8(&r, &ib))
            return idt_evidence__truncated(err, &r, 1, "CBOR item");
        unsigned mt = ib >> 5, ai = ib & 31;
        if (ib == 0xff) {
            if (w.left[w.depth] != CBOR_INDEF)
                return idtx_error_at_offset(err, IDT_EFORMAT, at, "malformed CBOR: stray break");
            w.depth--;
            walk_done(&w);
            continue;
        }
        if (ai == 31) {
            if (mt < 2 || mt > 5)
                return idtx_error_at_offset(err, IDT_EFORMAT, at,
                                            "malformed CBOR: indefinite length on major type %u",
                                            mt);
            IDTX_TRY(walk_push(&w, CBOR_INDEF, err, at));
            continue;
        }
        IDTX_TRY(walk_arg(&r, ai, &arg, err));
        switch (mt) {
        case 2: /* byte and text strings */
        case 3:
            if (arg > idt_evidence__rd_left(&r))
                return idt_evidence__truncated(err, &r, (size_t)(arg > SIZE_MAX ? SIZE_MAX : arg),
                                         "CBOR string");
            (void)idt_evidence__rd_skip(&r, (size_t)arg);
            walk_done(&w);
            break;
        case 4: /* every element takes at least one byte */
        case 5:
            if (arg > idt_evidence__rd_left(&r) / (mt == 5 ? 2 : 1))
                return idtx_error_at_offset(err, IDT_EFORMAT, at,
                                            "malformed CBOR: %s of %llu elements in %zu bytes",
                                            mt == 4 ? "array" : "map", (unsigned long long)arg,
                                            idt_evidence__rd_left(&r));
            IDTX_TRY(walk_push(&w, mt == 5 ? 2 * arg : arg, err, at));
            break;
        case 6: /* a tag wraps one item */
            IDTX_TRY(walk_push(&w, 1, err, at));
            break;
        default: /* integers, simple values, floats */
            walk_done(&w);
            break;
        }
    }
    if (idt_evidence__rd_left(&r))
        return idtx_error_at_offset(err, IDT_EFORMAT, r.pos,
                                    "%zu bytes follow the CBOR item", idt_evidence__rd_left(&r));
    return IDT_OK;
}

/* Decodes p[0..n) with libcbor after the walk. */
static int cbor_decode(cbor_item_t **out, const uint8_t *p, size_t n, const char *what,
                       idt_error *err)
{
    int rc = cbor_precheck(p, n, err);
    if (rc < 0) {
        char msg[IDT_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", err ? err->message : "");
        return err ? idtx_error_set(err, rc, NULL, "%s: %s", what, msg) : rc;
    }
    struct cbor_load_result res;
    *out = cbor_load(p, n, &res);
    if (!*out)
        return idtx_error_set(err, res.error.code == CBOR_ERR_MEMERROR ? IDT_ENOMEM : IDT_EFORMAT,
                              NULL, "%s: libcbor cannot decode it (error %d at byte %zu)", what,
                              (int)res.error.code, res.error.position);
    return IDT_OK;
}

/* --- lookups ---------------------------------------------------------------- */

static bool key_is(const cbor_item_t *k, int64_t want)
{
    if (want >= 0)
        return cbor_isa_uint(k) && cbor_get_int(k) == (uint64_t)want;
    return cbor_isa_negint(k) && cbor_get_int(k) == (uint64_t)(-1 - want);
}

static const cbor_item_t *map_get(const cbor_item_t *map, int64_t key)
{
    if (!cbor_isa_map(map))
        return NULL;
    struct cbor_pair *pairs = cbor_map_handle(map);
    for (size_t i = 0; i < cbor_map_size(map); i++)
        if (key_is(pairs[i].key, key))
            return pairs[i].value;
    return NULL;
}

/* A definite byte string's bytes, copied into the evidence. */
static int get_bstr(idt_evidence *ev, const cbor_item_t *v, const char *what,
                    idt_evidence__bytes *out, idt_error *err)
{
    if (!v || !cbor_isa_bytestring(v) || !cbor_bytestring_is_definite(v))
        return idtx_error_set(err, IDT_EFORMAT, NULL, "CCA token: %s is not a byte string",
                              what);
    out->n = cbor_bytestring_length(v);
    out->p = idt_evidence__keep(ev, cbor_bytestring_handle(v), out->n, err);
    return out->p ? IDT_OK : IDT_ENOMEM;
}

/* --- claims ----------------------------------------------------------------- */

typedef struct claim {
    int64_t key;
    const char *name;
    idt_field_kind kind;
} claim;

static const claim realm_claims[] = {
    { 265, "REALM_PROFILE", IDT_FIELD_TEXT },
    { 10, "REALM_CHALLENGE", IDT_FIELD_BYTES },
    { 44235, "REALM_PERSONALIZATION_VALUE", IDT_FIELD_BYTES },
    { 44238, "REALM_INITIAL_MEASUREMENT", IDT_FIELD_BYTES },
    { 44240, "REALM_HASH_ALGO_ID", IDT_FIELD_TEXT },
    { 44237, "REALM_PUBLIC_KEY", IDT_FIELD_BYTES },
    { 44236, "REALM_PUBLIC_KEY_HASH_ALGO_ID", IDT_FIELD_TEXT },
};

static const claim platform_claims[] = {
    { 265, "PROFILE", IDT_FIELD_TEXT },
    { 10, "CHALLENGE", IDT_FIELD_BYTES },
    { 256, "INSTANCE_ID", IDT_FIELD_BYTES },
    { 2396, "IMPLEMENTATION_ID", IDT_FIELD_BYTES },
    { 2401, "CONFIG", IDT_FIELD_BYTES },
    { 2395, "LIFECYCLE", IDT_FIELD_UINT },
    { 2402, "HASH_ALGO_ID", IDT_FIELD_TEXT },
    { 2400, "VERIFICATION_SERVICE", IDT_FIELD_TEXT },
};

/* Adds one claim as a field; *index is its index, or -1 when absent. */
static int add_claim(idt_evidence *ev, const cbor_item_t *map, const claim *c, int *index,
                     idt_error *err)
{
    const cbor_item_t *v = map_get(map, c->key);
    idt_evidence__bytes b = { NULL, 0 };
    int k = -1;
    *index = -1;
    if (!v)
        return IDT_OK;
    switch (c->kind) {
    case IDT_FIELD_UINT:
        if (cbor_isa_uint(v))
            k = idt_evidence__add_uint(ev, c->name, cbor_get_int(v), NULL, err);
        break;
    case IDT_FIELD_TEXT:
        if (cbor_isa_string(v) && cbor_string_is_definite(v)) {
            b.n = cbor_string_length(v);
            b.p = idt_evidence__keep(ev, cbor_string_handle(v), b.n, err);
            k = b.p ? idt_evidence__add_text(ev, c->name, (const char *)b.p, b.n, err) : IDT_ENOMEM;
        }
        break;
    case IDT_FIELD_BYTES:
        IDTX_TRY(get_bstr(ev, v, c->name, &b, err));
        k = idt_evidence__add_bytes(ev, c->name, b.p, b.n, err);
        break;
    }
    if (k == -1)
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "CCA token: claim %lld (%s) has the wrong type", (long long)c->key,
                              c->name);
    if (k < 0)
        return k;
    *index = k;
    return IDT_OK;
}

static int add_claims(idt_evidence *ev, const cbor_item_t *map, const claim *c, size_t n,
                      idt_error *err)
{
    for (size_t i = 0; i < n; i++) {
        int k;
        IDTX_TRY(add_claim(ev, map, &c[i], &k, err));
        if (k >= 0 && c[i].key == 44235)
            idt_evidence__set_binding(ev, k);
        if (k >= 0 && c[i].key == 10)
            idt_evidence__set_report_data(ev, k);
    }
    return IDT_OK;
}

/* The realm's extensible measurements (claim 44239), as REM0..REM3. */
static int add_rems(idt_evidence *ev, const cbor_item_t *map, idt_error *err)
{
    static const char *const names[] = { "REM0", "REM1", "REM2", "REM3" };
    const cbor_item_t *v = map_get(map, 44239);
    if (!v)
        return IDT_OK;
    if (!cbor_isa_array(v) || cbor_array_size(v) > 4)
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "CCA token: claim 44239 is not an array of 4 measurements");
    cbor_item_t **items = cbor_array_handle(v);
    for (size_t i = 0; i < cbor_array_size(v); i++) {
        idt_evidence__bytes b = { NULL, 0 };
        IDTX_TRY(get_bstr(ev, items[i], names[i], &b, err));
        IDTX_TRY(idt_evidence__add_bytes(ev, names[i], b.p, b.n, err));
    }
    return IDT_OK;
}

/* --- COSE_Sign1 ------------------------------------------------------------- */

typedef struct sign1 {
    idt_evidence__bytes protected_hdr, payload, signature;
    int64_t alg;
} sign1;

static int read_alg(const cbor_item_t *hdr, int64_t *alg)
{
    const cbor_item_t *a = map_get(hdr, 1);
    if (a && cbor_isa_negint(a) && cbor_get_int(a) < INT64_MAX)
        *alg = -1 - (int64_t)cbor_get_int(a);
    else if (a && cbor_isa_uint(a) && cbor_get_int(a) < INT64_MAX)
        *alg = (int64_t)cbor_get_int(a);
    return IDT_OK;
}

/* Reads a COSE_Sign1 token; *claims receives the decoded payload (the
 * caller decrefs it). */
static int read_sign1(idt_evidence *ev, const idt_evidence__bytes *tok, const char *what, sign1 *s,
                      cbor_item_t **claims, idt_error *err)
{
    cbor_item_t *item = NULL, *hdr = NULL;
    *claims = NULL;
    /* libcbor before 0.9 refuses tags 6 to 20 as "unassigned", tag 18
     * included: the COSE_Sign1 tag (head 0xd2) is taken off here. */
    size_t skip = tok->n && tok->p[0] == 0xc0 + COSE_SIGN1_TAG ? 1 : 0;
    IDTX_TRY(cbor_decode(&item, tok->p + skip, tok->n - skip, what, err));
    const cbor_item_t *arr = item;
    int rc = IDT_OK;
    if (!cbor_isa_array(arr) || cbor_array_size(arr) != 4) {
        rc = idtx_error_set(err, IDT_EFORMAT, NULL,
                            "CCA token: the %s is not a COSE_Sign1 (an array of 4)", what);
    } else {
        cbor_item_t **e = cbor_array_handle(arr);
        rc = get_bstr(ev, e[0], "protected header", &s->protected_hdr, err);
        if (rc >= 0)
            rc = get_bstr(ev, e[2], "payload", &s->payload, err);
        if (rc >= 0)
            rc = get_bstr(ev, e[3], "signature", &s->signature, err);
        s->alg = 0;
        if (rc >= 0 && s->protected_hdr.n)
            rc = cbor_decode(&hdr, s->protected_hdr.p, s->protected_hdr.n, "protected header",
                             err);
        if (rc >= 0 && hdr)
            rc = read_alg(hdr, &s->alg);
        if (rc >= 0)
            rc = cbor_decode(claims, s->payload.p, s->payload.n, what, err);
        if (rc >= 0 && !cbor_isa_map(*claims))
            rc = idtx_error_set(err, IDT_EFORMAT, NULL,
                                "CCA token: the %s's payload is not a claims map", what);
    }
    if (hdr)
        cbor_decref(&hdr);
    cbor_decref(&item);
    if (rc < 0 && *claims)
        cbor_decref(claims);
    return rc;
}

static int read_tokens(idt_evidence *ev, const cbor_item_t *root, idt_error *err)
{
    idt_evidence__bytes realm_tok = { NULL, 0 }, plat_tok = { NULL, 0 };
    cbor_item_t *claims = NULL;
    sign1 realm = { 0 }, plat = { 0 };
    IDTX_TRY(get_bstr(ev, map_get(root, KEY_REALM), "the realm token (44241)", &realm_tok, err));
    IDTX_TRY(get_bstr(ev, map_get(root, KEY_PLATFORM), "the platform token (44234)", &plat_tok,
                      err));
    IDTX_TRY(read_sign1(ev, &realm_tok, "realm token", &realm, &claims, err));
    int rc = add_claims(ev, claims, realm_claims, sizeof realm_claims / sizeof realm_claims[0],
                        err);
    if (rc >= 0)
        rc = add_rems(ev, claims, err);
    cbor_decref(&claims);
    if (rc < 0)
        return rc;
    if (ev->binding < 0)
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "CCA token: the realm token has no personalization value "
                              "(claim 44235)");
    const idt_evidence_field *rak = idt_evidence_field_get(ev, "REALM_PUBLIC_KEY");
    ev->cca.present = true;
    ev->cca.protected_hdr = realm.protected_hdr;
    ev->cca.payload = realm.payload;
    ev->cca.signature = realm.signature;
    ev->cca.alg = realm.alg;
    if (rak) {
        ev->cca.rak.p = rak->bytes;
        ev->cca.rak.n = rak->len;
    }
    IDTX_TRY(read_sign1(ev, &plat_tok, "platform token", &plat, &claims, err));
    ev->group = "platform";
    rc = add_claims(ev, claims, platform_claims,
                    sizeof platform_claims / sizeof platform_claims[0], err);
    ev->group = NULL;
    cbor_decref(&claims);
    return rc;
}

int idt_evidence__parse_cca(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err)
{
    cbor_item_t *item = NULL;
    IDTX_TRY(cbor_decode(&item, p, n, "CCA token", err));
    int rc = IDT_OK;
    if (!cbor_isa_tag(item) || cbor_tag_value(item) != CCA_TAG) {
        rc = idtx_error_at_offset(err, IDT_EFORMAT, 0, "not a CCA token: no CBOR tag 399");
    } else {
        cbor_item_t *root = cbor_tag_item(item);
        if (!cbor_isa_map(root))
            rc = idtx_error_at_offset(err, IDT_EFORMAT, 3,
                                      "CCA token: tag 399 must hold a map {44234: platform "
                                      "token, 44241: realm token}");
        else
            rc = read_tokens(ev, root, err);
        cbor_decref(&root);
    }
    cbor_decref(&item);
    if (rc < 0)
        return rc;
    ev->tee = IDT_TEE_CCA;
    ev->format = IDT_EVIDENCE_CCA_TOKEN;
    idt_evidence__summary(ev, "CCA attestation token (CBOR tag 399): platform and realm COSE_Sign1 "
                        "tokens");
    return IDT_OK;
}

/* --- checks ----------------------------------------------------------------- */

/* A CBOR byte-string head for n bytes. */
static size_t bstr_head(uint8_t *h, size_t n)
{
    if (n < 24) {
        h[0] = (uint8_t)(0x40 | n);
        return 1;
    }
    size_t w = n <= 0xff ? 1 : n <= 0xffff ? 2 : n <= 0xffffffffu ? 4 : 8;
    h[0] = (uint8_t)(0x40 | (w == 1 ? 24 : w == 2 ? 25 : w == 4 ? 26 : 27));
    for (size_t i = 0; i < w; i++)
        h[1 + i] = (uint8_t)((uint64_t)n >> (8 * (w - 1 - i)));
    return 1 + w;
}

/* Sig_structure = ["Signature1", protected, h'', payload] (RFC 9052 4.4). */
static uint8_t *sig_structure(const idt_evidence__cca *t, size_t *len)
{
    static const uint8_t head[] = { 0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1' };
    size_t cap = sizeof head + 9 + t->protected_hdr.n + 1 + 9 + t->payload.n;
    uint8_t *buf = OPENSSL_malloc(cap), *w = buf;
    if (!buf)
        return NULL;
    memcpy(w, head, sizeof head);
    w += sizeof head;
    w += bstr_head(w, t->protected_hdr.n);
    memcpy(w, t->protected_hdr.p, t->protected_hdr.n);
    w += t->protected_hdr.n;
    *w++ = 0x40; /* external_aad: empty */
    w += bstr_head(w, t->payload.n);
    memcpy(w, t->payload.p, t->payload.n);
    w += t->payload.n;
    *len = (size_t)(w - buf);
    return buf;
}

static void check_realm(const idt_evidence__cca *t, idt_evidence__checks *c)
{
    static const struct { int64_t alg; const char *curve, *name; size_t n; } algs[] = {
        { -7, "P-256", "ES256", 32 }, { -35, "P-384", "ES384", 48 }, { -36, "P-521", "ES512", 66 },
    };
    size_t i = 0;
    while (i < 3 && algs[i].alg != t->alg)
        i++;
    if (i == 3) {
        idt_evidence__check_add(c, "realm token signature", IDT_EVIDENCE_CHECK_SKIP,
                          "COSE algorithm %lld is not ES256, ES384 or ES512", (long long)t->alg);
        return;
    }
    EVP_PKEY *key = t->rak.n ? idt_evidence__key_ec(algs[i].curve, t->rak.p, t->rak.n) : NULL;
    if (!key) {
        idt_evidence__check_add(c, "realm token signature", IDT_EVIDENCE_CHECK_FAIL,
                          "the realm public key (claim 44237) is not a %s point",
                          algs[i].curve);
        return;
    }
    size_t len = 0;
    uint8_t *msg = sig_structure(t, &len);
    if (!msg) {
        c->status = IDT_ENOMEM;
        EVP_PKEY_free(key);
        return;
    }
    const EVP_MD *md = i == 0 ? EVP_sha256() : i == 1 ? EVP_sha384() : EVP_sha512();
    if (t->signature.n == 2 * algs[i].n &&
        idt_evidence__verify_rs(key, md, t->signature.p, t->signature.p + algs[i].n, algs[i].n,
                                false, msg, len))
        idt_evidence__check_add(c, "realm token signature", IDT_EVIDENCE_CHECK_PASS,
                          "COSE_Sign1 %s, by the realm public key in the token", algs[i].name);
    else
        idt_evidence__check_add(c, "realm token signature", IDT_EVIDENCE_CHECK_FAIL,
                          "the COSE_Sign1 %s signature does not verify with the realm public "
                          "key in the token: the realm claims were changed after signing",
                          algs[i].name);
    OPENSSL_free(msg);
    EVP_PKEY_free(key);
}

/* The platform's challenge is the hash of the realm key (its size names
 * the algorithm). */
static void check_binding(const idt_evidence *ev, idt_evidence__checks *c)
{
    const idt_evidence_field *ch = NULL;
    for (size_t i = 0; i < ev->nfields; i++)
        if (ev->fields[i].group && !strcmp(ev->fields[i].name, "CHALLENGE"))
            ch = &ev->fields[i];
    const EVP_MD *md = !ch ? NULL
                       : ch->len == 32 ? EVP_sha256()
                       : ch->len == 48 ? EVP_sha384()
                       : ch->len == 64 ? EVP_sha512()
                                       : NULL;
    uint8_t h[64];
    unsigned int hn = 0;
    if (!md || !ev->cca.rak.n) {
        idt_evidence__check_add(c, "platform token bound to the realm key", IDT_EVIDENCE_CHECK_SKIP,
                          "the platform challenge is missing or not a hash");
        return;
    }
    if (EVP_Digest(ev->cca.rak.p, ev->cca.rak.n, h, &hn, md, NULL) != 1) {
        c->status = IDT_ERROR;
        return;
    }
    if (hn == ch->len && !memcmp(h, ch->bytes, hn))
        idt_evidence__check_add(c, "platform token bound to the realm key", IDT_EVIDENCE_CHECK_PASS,
                          "the platform challenge is the %s of the realm public key",
                          EVP_MD_get0_name(md));
    else
        idt_evidence__check_add(c, "platform token bound to the realm key", IDT_EVIDENCE_CHECK_FAIL,
                          "the platform challenge is not the hash of the realm public key: the "
                          "tokens do not belong together");
}

void idt_evidence__check_cca(const idt_evidence *ev, idt_evidence__checks *c)
{
    check_realm(&ev->cca, c);
    check_binding(ev, c);
    idt_evidence__check_add(c, "platform token signature", IDT_EVIDENCE_CHECK_SKIP,
                      "signed by the platform's attestation key (IAK), which the token does "
                      "not carry");
}
