/*
 * AMD SEV-SNP attestation reports: the 1184-byte binary (from
 * /dev/sev-guest, configfs-tsm or an Azure HCL report) and the sev crate's
 * JSON that Trustee's SNP evidence carries, which is turned back into the
 * binary so that its signature can be checked.
 *
 * The report is signed with ECDSA P-384 / SHA-384 over bytes 0..0x29f by
 * the chip's VCEK (or the VLEK); r and s are 72-byte little-endian fields
 * at 0x2a0 and 0x2e8.
 */
#include "evidence/crypto.h"
#include "evidence/json_int.h"

#include <openssl/evp.h>
#include <string.h>

static const idt_evidence__layout snp_report[] = {
    { "VERSION", 0, 4, IDT_FIELD_UINT },
    { "GUEST_SVN", 4, 4, IDT_FIELD_UINT },
    { "POLICY", 8, 8, IDT_FIELD_UINT },
    { "FAMILY_ID", 16, 16, IDT_FIELD_BYTES },
    { "IMAGE_ID", 32, 16, IDT_FIELD_BYTES },
    { "VMPL", 48, 4, IDT_FIELD_UINT },
    { "SIGNATURE_ALGO", 52, 4, IDT_FIELD_UINT },
    { "CURRENT_TCB", 56, 8, IDT_FIELD_BYTES },
    { "PLATFORM_INFO", 64, 8, IDT_FIELD_UINT },
    { "REPORT_DATA", IDTX_SNP_REPORT_DATA, IDTX_REPORT_DATA_LEN, IDT_FIELD_BYTES },
    { "MEASUREMENT", 144, 48, IDT_FIELD_BYTES },
    { "HOST_DATA", IDTX_SNP_HOST_DATA, IDTX_SNP_HOST_DATA_LEN, IDT_FIELD_BYTES },
    { "ID_KEY_DIGEST", 224, 48, IDT_FIELD_BYTES },
    { "AUTHOR_KEY_DIGEST", 272, 48, IDT_FIELD_BYTES },
    { "REPORT_ID", 320, 32, IDT_FIELD_BYTES },
    { "REPORT_ID_MA", 352, 32, IDT_FIELD_BYTES },
    { "REPORTED_TCB", 384, 8, IDT_FIELD_BYTES },
    { "CHIP_ID", 416, 64, IDT_FIELD_BYTES },
    { "COMMITTED_TCB", 480, 8, IDT_FIELD_BYTES },
    { "LAUNCH_TCB", 496, 8, IDT_FIELD_BYTES },
};

int idt_evidence__parse_snp(idt_evidence *ev, const uint8_t *p, size_t n, idt_error *err)
{
    if (n != IDTX_SNP_REPORT_LEN)
        return idtx_error_at_offset(err, n < IDTX_SNP_REPORT_LEN ? IDT_ETRUNC : IDT_EFORMAT,
                                    n < IDTX_SNP_REPORT_LEN ? n : IDTX_SNP_REPORT_LEN,
                                    "an SNP attestation report is %d bytes; this is %zu",
                                    IDTX_SNP_REPORT_LEN, n);
    uint32_t version = (uint32_t)idt_evidence__le_at(p, 4);
    if (version < 2 || version > 5)
        return idtx_error_at_offset(err, IDT_EUNSUPPORTED, 0,
                                    "SNP report version %u is not supported (2 to 5 are)",
                                    (unsigned)version);
    if (!ev->group) {
        ev->tee = IDT_TEE_SNP;
        if (!ev->format)
            ev->format = IDT_EVIDENCE_SNP_REPORT;
        idt_evidence__summary(ev, "SNP attestation report v%u, VMPL %u", (unsigned)version,
                        (unsigned)idt_evidence__le_at(p + 48, 4));
    }
    ev->snp.present = true;
    ev->snp.report.p = p;
    ev->snp.report.n = n;
    if (ev->opts.vcek_len) {
        ev->snp.cert.p = ev->opts.vcek;
        ev->snp.cert.n = ev->opts.vcek_len;
        ev->snp.cert_source = "the caller";
    }
    return idt_evidence__add_layout(ev, snp_report, sizeof snp_report / sizeof snp_report[0], p, n,
                              "HOST_DATA", "REPORT_DATA", err);
}

/* --- the sev crate's JSON form -------------------------------------------- */

typedef struct rebuild {
    uint8_t *r;          /* the report being rebuilt */
    const json_t *obj;   /* attestation_report */
    bool turin;          /* TCB versions use the Turin layout (with fmc) */
    idt_error *err;
} rebuild;

static int bad_key(rebuild *b, const char *key, const char *want)
{
    return idtx_error_set(b->err, IDT_EFORMAT, NULL,
                          "SNP evidence JSON: attestation_report.%s: expected %s", key, want);
}

/* An unsigned integer that fits size bytes (little-endian at off). */
static int put_uint_value(rebuild *b, const json_t *v, const char *key, size_t off, size_t size)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        (size < 8 && (uint64_t)json_integer_value(v) >> (8 * size)))
        return bad_key(b, key, size == 1   ? "an integer from 0 to 255"
                               : size == 2 ? "an integer from 0 to 65535"
                               : size == 4 ? "an unsigned 32-bit integer"
                                           : "an unsigned 64-bit integer");
    uint64_t x = (uint64_t)json_integer_value(v);
    for (size_t i = 0; i < size; i++)
        b->r[off + i] = (uint8_t)(x >> (8 * i));
    return IDT_OK;
}

static int put_uint(rebuild *b, const char *key, size_t off, size_t size, bool required)
{
    const json_t *v = json_object_get(b->obj, key);
    if (!v && !required)
        return IDT_OK;
    return put_uint_value(b, v, key, off, size);
}

/* A byte array of exactly n elements. */
static int put_bytes_value(rebuild *b, const json_t *v, const char *key, size_t off, size_t n)
{
    char want[48];
    snprintf(want, sizeof want, "an array of %zu bytes", n);
    if (!json_is_array(v) || json_array_size(v) != n)
        return bad_key(b, key, want);
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(v, i);
        if (!json_is_integer(e) || json_integer_value(e) < 0 || json_integer_value(e) > 255)
            return bad_key(b, key, want);
        b->r[off + i] = (uint8_t)json_integer_value(e);
    }
    return IDT_OK;
}

static int put_bytes(rebuild *b, const char *key, size_t off, size_t n)
{
    return put_bytes_value(b, json_object_get(b->obj, key), key, off, n);
}

/* A TCB version: an object {fmc?, bootloader, tee, snp, microcode}, or its
 * 64-bit raw value.  Milan and Genoa put bootloader, tee at bytes 0, 1 and
 * snp, microcode at 6, 7; Turin adds fmc at 0 and packs bootloader, tee,
 * snp at 1, 2, 3. */
static int put_tcb(rebuild *b, const char *key, size_t off)
{
    const json_t *v = json_object_get(b->obj, key);
    if (json_is_integer(v))
        return put_uint(b, key, off, 8, true);
    if (!json_is_object(v))
        return bad_key(b, key, "a TCB version object");
    static const char *const parts[] = { "fmc", "bootloader", "tee", "snp", "microcode" };
    static const size_t milan[] = { 8, 0, 1, 6, 7 }, turin[] = { 0, 1, 2, 3, 7 };
    for (size_t i = 0; i < 5; i++) {
        const json_t *x = json_object_get(v, parts[i]);
        if (i == 0 && (!x || json_is_null(x)))
            continue;
        if (i == 0 && !b->turin)
            return bad_key(b, key, "no fmc outside Turin (cpuid_fam_id 0x1a)");
        int rc = put_uint_value(b, x, key, off + (b->turin ? turin : milan)[i], 1);
        if (rc < 0)
            return rc;
    }
    return IDT_OK;
}

/* The firmware version: {major, minor, build} (sev 6) or three flat keys. */
static int put_version(rebuild *b, const char *key, size_t off)
{
    static const char *const parts[] = { "build", "minor", "major" };
    const json_t *v = json_object_get(b->obj, key);
    for (size_t i = 0; i < 3; i++) {
        char flat[32];
        snprintf(flat, sizeof flat, "%s_%s", key, parts[i]);
        const json_t *x = v ? json_object_get(v, parts[i]) : json_object_get(b->obj, flat);
        int rc = put_uint_value(b, x, v ? key : flat, off + i, 1);
        if (rc < 0)
            return rc;
    }
    return IDT_OK;
}

static int rebuild_report(rebuild *b)
{
    static const struct { const char *key; size_t off, size; } uints[] = {
        { "version", 0, 4 }, { "guest_svn", 4, 4 }, { "policy", 8, 8 }, { "vmpl", 48, 4 },
        { "sig_algo", 52, 4 }, { "plat_info", 64, 8 },
    };
    static const struct { const char *key; size_t off, size; } arrays[] = {
        { "family_id", 16, 16 },
        { "image_id", 32, 16 },
        { "report_data", IDTX_SNP_REPORT_DATA, IDTX_REPORT_DATA_LEN },
        { "measurement", 144, 48 },
        { "host_data", IDTX_SNP_HOST_DATA, IDTX_SNP_HOST_DATA_LEN },
        { "id_key_digest", 224, 48 },
        { "author_key_digest", 272, 48 },
        { "report_id", 320, 32 },
        { "report_id_ma", 352, 32 },
        { "chip_id", 416, 64 },
    };
    static const struct { const char *key; size_t off; } tcbs[] = {
        { "current_tcb", 56 }, { "reported_tcb", 384 }, { "committed_tcb", 480 },
        { "launch_tcb", 496 },
    };
    const json_t *fam = json_object_get(b->obj, "cpuid_fam_id");
    b->turin = json_is_integer(fam) && json_integer_value(fam) >= 0x1a;
    int rc = IDT_OK;
    for (size_t i = 0; rc >= 0 && i < sizeof uints / sizeof uints[0]; i++)
        rc = put_uint(b, uints[i].key, uints[i].off, uints[i].size, true);
    for (size_t i = 0; rc >= 0 && i < sizeof arrays / sizeof arrays[0]; i++)
        rc = put_bytes(b, arrays[i].key, arrays[i].off, arrays[i].size);
    for (size_t i = 0; rc >= 0 && i < sizeof tcbs / sizeof tcbs[0]; i++)
        rc = put_tcb(b, tcbs[i].key, tcbs[i].off);
    /* key_info (sev 6) was _author_key_en in older sev crates; the CPUID
     * bytes and the mitigation vectors exist only in newer reports. */
    if (rc >= 0)
        rc = json_object_get(b->obj, "key_info") ? put_uint(b, "key_info", 72, 4, true)
                                                 : put_uint(b, "_author_key_en", 72, 4, false);
    if (rc >= 0)
        rc = put_uint(b, "cpuid_fam_id", 392, 1, false);
    if (rc >= 0)
        rc = put_uint(b, "cpuid_mod_id", 393, 1, false);
    if (rc >= 0)
        rc = put_uint(b, "cpuid_step", 394, 1, false);
    if (rc >= 0)
        rc = put_uint(b, "launch_mit_vector", 504, 8, false);
    if (rc >= 0)
        rc = put_uint(b, "current_mit_vector", 512, 8, false);
    if (rc >= 0)
        rc = put_version(b, "current", 488);
    if (rc >= 0)
        rc = put_version(b, "committed", 492);
    const json_t *sig = json_object_get(b->obj, "signature");
    if (rc >= 0 && !json_is_object(sig))
        rc = bad_key(b, "signature", "an object {r, s}");
    if (rc >= 0)
        rc = put_bytes_value(b, json_object_get(sig, "r"), "signature.r", IDTX_SNP_SIG_R,
                             IDTX_SNP_SIG_LEN);
    if (rc >= 0)
        rc = put_bytes_value(b, json_object_get(sig, "s"), "signature.s", IDTX_SNP_SIG_S,
                             IDTX_SNP_SIG_LEN);
    return rc;
}

/* The VCEK (or VLEK) in the evidence's cert_chain, if any. */
static int find_cert(idt_evidence *ev, const json_t *chain, idt_error *err)
{
    size_t i;
    const json_t *entry;
    json_array_foreach(chain, i, entry) {
        const char *type = json_string_value(json_object_get(entry, "cert_type"));
        const json_t *data = json_object_get(entry, "data");
        if (!type || (strcmp(type, "VCEK") && strcmp(type, "VLEK")) || !json_is_array(data))
            continue;
        size_t n = json_array_size(data);
        uint8_t *der = idtx_arena_alloc(&ev->arena, n ? n : 1);
        if (!der)
            return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
        for (size_t k = 0; k < n; k++) {
            const json_t *x = json_array_get(data, k);
            if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > 255)
                return idtx_error_set(err, IDT_EFORMAT, NULL,
                                      "SNP evidence JSON: cert_chain[%zu].data: expected an "
                                      "array of bytes",
                                      i);
            der[k] = (uint8_t)json_integer_value(x);
        }
        ev->snp.cert.p = der;
        ev->snp.cert.n = n;
        ev->snp.cert_source = strcmp(type, "VCEK") ? "the evidence's VLEK" : "the evidence's VCEK";
        return IDT_OK;
    }
    return IDT_OK;
}

int idt_evidence__snp_from_json(idt_evidence *ev, const json_t *root, idt_error *err)
{
    rebuild b = { NULL, json_object_get(root, "attestation_report"), false, err };
    if (!json_is_object(b.obj))
        return idtx_error_set(err, IDT_EFORMAT, NULL,
                              "SNP evidence JSON: attestation_report must be an object");
    b.r = idtx_arena_alloc(&ev->arena, IDTX_SNP_REPORT_LEN);
    if (!b.r)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    memset(b.r, 0, IDTX_SNP_REPORT_LEN);
    int rc = rebuild_report(&b);
    if (rc < 0)
        return rc;
    ev->format = IDT_EVIDENCE_SNP_JSON;
    rc = idt_evidence__parse_snp(ev, b.r, IDTX_SNP_REPORT_LEN, err);
    if (rc < 0)
        return rc;
    idt_evidence__summary(ev, " (rebuilt from the sev crate's JSON)");
    const json_t *chain = json_object_get(root, "cert_chain");
    if (!ev->snp.cert.n && json_is_array(chain))
        rc = find_cert(ev, chain, err);
    return rc;
}

/* --- the signature --------------------------------------------------------- */

void idt_evidence__check_snp(const idt_evidence *ev, idt_evidence__checks *c)
{
    const char *name = ev->tee == IDT_TEE_SNP ? "report signature" : "SNP report signature";
    const uint8_t *r = ev->snp.report.p;
    uint32_t algo = (uint32_t)idt_evidence__le_at(r + 52, 4);
    if (!ev->snp.cert.n) {
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_SKIP,
                                "no VCEK or VLEK certificate: the evidence "
                                "holds none, and none was given");
        idt_evidence__check_hint(c, IDT_HINT_EVIDENCE_VCEK);
        return;
    }
    if (algo != 1) {
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_FAIL,
                          "signature algorithm %u is not ECDSA P-384 with SHA-384 (1)",
                          (unsigned)algo);
        return;
    }
    char desc[32];
    EVP_PKEY *key = idt_evidence__key_cert(ev->snp.cert.p, ev->snp.cert.n);
    if (!key) {
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_FAIL,
                          "the certificate from %s is not an X.509 certificate (PEM or DER)",
                          ev->snp.cert_source);
        return;
    }
    idt_evidence__key_desc(key, desc, sizeof desc);
    if (strcmp(desc, "EC P-384"))
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_FAIL,
                          "the certificate from %s holds an %s key; a VCEK or VLEK is EC P-384",
                          ev->snp.cert_source, desc);
    else if (idt_evidence__verify_rs(key, EVP_sha384(), r + IDTX_SNP_SIG_R, r + IDTX_SNP_SIG_S,
                               IDTX_SNP_SIG_LEN, true, r, IDTX_SNP_SIGNED_LEN))
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_PASS,
                          "ECDSA P-384 over bytes 0..0x29f, by the key of the certificate from "
                          "%s",
                          ev->snp.cert_source);
    else
        idt_evidence__check_add(c, name, IDT_EVIDENCE_CHECK_FAIL,
                          "the ECDSA P-384 signature does not verify with the certificate from "
                          "%s: the report was changed after it was signed, or the certificate "
                          "belongs to another chip or TCB",
                          ev->snp.cert_source);
    EVP_PKEY_free(key);
}
