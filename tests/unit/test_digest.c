/* Unit tests of initdata/digest.h: algorithms, digests, binding values,
 * vTPM PCR 8.  Expected values come from initdata-facts §2-§3 (kata's and
 * Trustee's own test vectors) and from Python's hashlib/base64. */
#include "idt_unit.h"

#include <stdio.h>
#include <string.h>

#include "vectors.h"
#include "initdata/digest.h"

/* kata src/runtime/pkg/oci/utils_test.go: 113 bytes, sha256 c6694bb7... */

static void hex_to_digest(idt_digest *d, idt_digest_alg alg, const char *hex)
{
    memset(d, 0, sizeof *d);
    d->alg = alg;
    d->len = strlen(hex) / 2;
    for (size_t i = 0; i < d->len; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        d->bytes[i] = (uint8_t)v;
    }
}

static void compute(idt_digest *d, idt_digest_alg alg)
{
    idt_error err = { 0 };
    assert_status(idt_digest_compute(d, alg, kata_doc, sizeof kata_doc - 1, &err), IDT_OK, &err);
}

static void assert_digest_text(const idt_digest *d, idt_encoding enc, const char *want)
{
    char buf[IDT_BINDING_TEXT_MAX];
    idt_error err = { 0 };
    int n = idt_digest_format(buf, sizeof buf, d, enc, &err);
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(buf, want);
}

static void assert_binding_text(idt_platform p, const idt_digest *d, idt_encoding enc,
                                const char *want)
{
    idt_binding b;
    idt_error err = { 0 };
    char buf[IDT_BINDING_TEXT_MAX];
    assert_status(idt_binding_compute(&b, p, d, IDT_VTPM_RULE_AA, &err), IDT_OK, &err);
    assert_int_equal(b.len, idt_platform_field_size(p));
    int n = idt_binding_format(buf, sizeof buf, &b, enc, &err);
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(buf, want);
}

static void test_digest_alg__names_sizes_and_parse(void **state)
{
    (void)state;
    static const struct { const char *name; idt_digest_alg alg; size_t size; } t[] = {
        { "sha256", IDT_DIGEST_SHA256, 32 }, { "sha384", IDT_DIGEST_SHA384, 48 },
        { "sha512", IDT_DIGEST_SHA512, 64 }, { "sm3", IDT_DIGEST_SM3, 32 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        idt_digest_alg a = 0;
        assert_status(idt_digest_alg_parse(&a, t[i].name, strlen(t[i].name), NULL), IDT_OK, NULL);
        assert_int_equal(a, t[i].alg);
        assert_string_equal(idt_digest_alg_name(a), t[i].name);
        assert_int_equal(idt_digest_alg_size(a), t[i].size);
    }
    assert_null(idt_digest_alg_name((idt_digest_alg)0));
    assert_int_equal(idt_digest_alg_size((idt_digest_alg)99), 0);
}

static void test_digest_alg__rejects_other_spellings(void **state)
{
    (void)state;
    static const char *bad[] = { "sha-256", "SHA256", "sha256 ", "sha1", "", "sha2560" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        idt_digest_alg a = IDT_DIGEST_SHA512;
        idt_error err = { 0 };
        assert_status(idt_digest_alg_parse(&a, bad[i], strlen(bad[i]), &err),
                      IDT_EUNSUPPORTED, &err);
        assert_int_equal(a, IDT_DIGEST_SHA512); /* unchanged */
        assert_int_equal(err.code, IDT_EUNSUPPORTED);
    }
    idt_error err = { 0 };
    idt_digest_alg a;
    idt_digest_alg_parse(&a, "sha-256", 7, &err);
    assert_string_equal(err.message, "algorithm \"sha-256\" is not supported (kata, "
                                     "attestation-agent and Trustee accept sha256, sha384, sha512)");
    /* A name is compared with its length: "sha256" followed by more bytes. */
    assert_status(idt_digest_alg_parse(&a, "sha256\0x", 8, NULL), IDT_EUNSUPPORTED, NULL);
    /* Control characters in a name are escaped in the message. */
    idt_digest_alg_parse(&a, "sha\n\x1b", 5, &err);
    assert_non_null(strstr(err.message, "\"sha\\n\\x1b\""));
}

static void test_digest_compute__kata_vector(void **state)
{
    (void)state;
    idt_digest d;
    compute(&d, IDT_DIGEST_SHA256);
    assert_int_equal(sizeof kata_doc - 1, 113);
    assert_int_equal(d.alg, IDT_DIGEST_SHA256);
    assert_int_equal(d.len, 32);
    assert_digest_text(&d, IDT_ENCODING_HEX, KATA_SHA256);
    assert_digest_text(&d, IDT_ENCODING_BASE64, "xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeU=");
    compute(&d, IDT_DIGEST_SHA384);
    assert_int_equal(d.len, 48);
    assert_digest_text(&d, IDT_ENCODING_HEX, KATA_SHA384);
    compute(&d, IDT_DIGEST_SHA512);
    assert_int_equal(d.len, 64);
    assert_digest_text(&d, IDT_ENCODING_HEX, KATA_SHA512);
}

static void test_digest_compute__exact_bytes(void **state)
{
    (void)state;
    /* No normalisation: dropping the final newline changes the digest. */
    idt_digest a, b;
    assert_status(idt_digest_compute(&a, IDT_DIGEST_SHA256, kata_doc, 112, NULL), IDT_OK, NULL);
    compute(&b, IDT_DIGEST_SHA256);
    assert_memory_not_equal(a.bytes, b.bytes, 32);
    /* The empty input: sha256("") e3b0c442... */
    assert_status(idt_digest_compute(&a, IDT_DIGEST_SHA256, NULL, 0, NULL), IDT_OK, NULL);
    assert_digest_text(&a, IDT_ENCODING_HEX,
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_digest_compute__sm3(void **state)
{
    (void)state;
    idt_digest d;
    idt_error err = { 0 };
    int rc = idt_digest_compute(&d, IDT_DIGEST_SM3, "abc", 3, &err);
    if (rc == IDT_EUNSUPPORTED) {
        assert_non_null(strstr(err.message, "sm3"));
        skip();
    }
    assert_int_equal(rc, IDT_OK);
    /* GB/T 32905-2016 example 1. */
    assert_digest_text(&d, IDT_ENCODING_HEX,
                       "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

static void test_digest_compute__invalid_arguments(void **state)
{
    (void)state;
    idt_digest d;
    idt_error err = { 0 };
    assert_status(idt_digest_compute(NULL, IDT_DIGEST_SHA256, "", 0, &err), IDT_EINVAL, &err);
    assert_status(idt_digest_compute(&d, (idt_digest_alg)9, "", 0, &err), IDT_EINVAL, &err);
    assert_status(idt_digest_compute(&d, IDT_DIGEST_SHA256, NULL, 1, &err), IDT_EINVAL, &err);
}

static void test_digest_format__bounds_and_encodings(void **state)
{
    (void)state;
    idt_digest d;
    compute(&d, IDT_DIGEST_SHA256);
    char buf[65];
    idt_error err = { 0 };
    assert_int_equal(idt_digest_format(buf, 65, &d, IDT_ENCODING_HEX, &err), 64);
    assert_status(idt_digest_format(buf, 64, &d, IDT_ENCODING_HEX, &err), IDT_ELIMIT, &err);
    assert_int_equal(idt_digest_format(buf, 45, &d, IDT_ENCODING_BASE64, &err), 44);
    assert_status(idt_digest_format(buf, 44, &d, IDT_ENCODING_BASE64, &err), IDT_ELIMIT, &err);
    assert_status(idt_digest_format(buf, 65, &d, IDT_ENCODING_QEMU, &err), IDT_EINVAL, &err);
    assert_status(idt_digest_format(buf, 65, &d, (idt_encoding)0, &err), IDT_EINVAL, &err);
}

static void test_platform__table(void **state)
{
    (void)state;
    static const struct {
        const char *name; idt_platform p; size_t size; const char *qemu;
    } t[] = {
        { "tdx", IDT_PLATFORM_TDX, 48, "mrconfigid" },
        { "snp", IDT_PLATFORM_SNP, 32, "host-data" },
        { "cca", IDT_PLATFORM_CCA, 64, "personalization-value" },
        { "sgx", IDT_PLATFORM_SGX, 64, NULL },
        { "se", IDT_PLATFORM_SE, 256, NULL },
        { "vtpm", IDT_PLATFORM_VTPM, 32, NULL },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        idt_platform p = 0;
        assert_status(idt_platform_parse(&p, t[i].name, strlen(t[i].name), NULL), IDT_OK, NULL);
        assert_int_equal(p, t[i].p);
        assert_string_equal(idt_platform_name(p), t[i].name);
        assert_int_equal(idt_platform_field_size(p), t[i].size);
        assert_non_null(idt_platform_field_name(p));
        if (t[i].qemu)
            assert_string_equal(idt_platform_qemu_property(p), t[i].qemu);
        else
            assert_null(idt_platform_qemu_property(p));
    }
    idt_platform p = IDT_PLATFORM_TDX;
    idt_error err = { 0 };
    assert_status(idt_platform_parse(&p, "TDX", 3, &err), IDT_EUNSUPPORTED, &err);
    assert_int_equal(p, IDT_PLATFORM_TDX);
    assert_string_equal(err.message, "unknown platform \"TDX\" (known: tdx, snp, cca, sgx, se, vtpm)");
    assert_null(idt_platform_name((idt_platform)0));
    assert_int_equal(idt_platform_field_size((idt_platform)7), 0);
}

/* Every keyword parses to its value and back; anything else is refused
 * with the list, and leaves *out alone. */
static void test_keywords__vtpm_rule_and_encoding(void **state)
{
    (void)state;
    idt_vtpm_rule r = IDT_VTPM_RULE_AA;
    assert_status(idt_vtpm_rule_parse(&r, "peerpods", 8, NULL), IDT_OK, NULL);
    assert_int_equal(r, IDT_VTPM_RULE_PEERPODS);
    assert_status(idt_vtpm_rule_parse(&r, "aax", 2, NULL), IDT_OK, NULL); /* len bounds it */
    assert_int_equal(r, IDT_VTPM_RULE_AA);
    assert_string_equal(idt_vtpm_rule_name(IDT_VTPM_RULE_AA), "aa");
    assert_string_equal(idt_vtpm_rule_name(IDT_VTPM_RULE_PEERPODS), "peerpods");
    assert_null(idt_vtpm_rule_name((idt_vtpm_rule)2));
    idt_error err = { 0 };
    assert_status(idt_vtpm_rule_parse(&r, "AA", 2, &err), IDT_EUNSUPPORTED, &err);
    assert_int_equal(r, IDT_VTPM_RULE_AA);
    assert_string_equal(err.message, "unknown vTPM rule \"AA\" (known: aa, peerpods)");
    assert_status(idt_vtpm_rule_parse(&r, "", 0, NULL), IDT_EUNSUPPORTED, NULL);
    assert_status(idt_vtpm_rule_parse(NULL, "aa", 2, NULL), IDT_EINVAL, NULL);
    assert_status(idt_vtpm_rule_parse(&r, NULL, 2, NULL), IDT_EINVAL, NULL);

    static const struct {
        const char *name;
        idt_encoding enc;
    } t[] = { { "hex", IDT_ENCODING_HEX },
              { "base64", IDT_ENCODING_BASE64 },
              { "qemu", IDT_ENCODING_QEMU } };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        idt_encoding e = 0;
        assert_status(idt_encoding_parse(&e, t[i].name, strlen(t[i].name), NULL), IDT_OK, NULL);
        assert_int_equal(e, t[i].enc);
        assert_string_equal(idt_encoding_name(e), t[i].name);
    }
    idt_encoding e = IDT_ENCODING_HEX;
    assert_status(idt_encoding_parse(&e, "base32", 6, &err), IDT_EUNSUPPORTED, &err);
    assert_int_equal(e, IDT_ENCODING_HEX);
    assert_string_equal(err.message, "unknown encoding \"base32\" (known: hex, base64, qemu)");
    assert_null(idt_encoding_name((idt_encoding)0));
}

static void test_binding__kata_vector_base64(void **state)
{
    (void)state;
    idt_digest d;
    compute(&d, IDT_DIGEST_SHA256);
    /* initdata-facts §3: the values QEMU gets for the kata vector. */
    assert_binding_text(IDT_PLATFORM_TDX, &d, IDT_ENCODING_BASE64,
                        "xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeUAAAAAAAAAAAAAAAAAAAAA");
    assert_binding_text(IDT_PLATFORM_SNP, &d, IDT_ENCODING_BASE64,
                        "xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeU=");
    assert_binding_text(IDT_PLATFORM_CCA, &d, IDT_ENCODING_BASE64,
                        "xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeUAAAAAAAAAAAAAAAAAAAAA"
                        "AAAAAAAAAAAAAAAAAAAAAA==");
}

static void test_binding__qemu_fragments(void **state)
{
    (void)state;
    idt_digest d;
    compute(&d, IDT_DIGEST_SHA256);
    assert_binding_text(IDT_PLATFORM_TDX, &d, IDT_ENCODING_QEMU,
                        "mrconfigid=xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeUAAAAAAAAAAAAAAAAAAAAA");
    assert_binding_text(IDT_PLATFORM_SNP, &d, IDT_ENCODING_QEMU,
                        "host-data=xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeU=");
    assert_binding_text(IDT_PLATFORM_CCA, &d, IDT_ENCODING_QEMU,
                        "personalization-value=xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeUAAAAAAAAAAAAAAAAAAAAA"
                        "AAAAAAAAAAAAAAAAAAAAAA==");
    static const idt_platform none[] = { IDT_PLATFORM_SGX, IDT_PLATFORM_SE, IDT_PLATFORM_VTPM };
    for (size_t i = 0; i < 3; i++) {
        idt_binding b;
        char buf[IDT_BINDING_TEXT_MAX];
        idt_error err = { 0 };
        assert_status(idt_binding_compute(&b, none[i], &d, IDT_VTPM_RULE_AA, &err), IDT_OK, &err);
        assert_status(idt_binding_format(buf, sizeof buf, &b, IDT_ENCODING_QEMU, &err),
                      IDT_EUNSUPPORTED, &err);
        assert_non_null(strstr(err.message, "no QEMU fragment"));
    }
}

static void test_binding__pad_and_truncate(void **state)
{
    (void)state;
    idt_digest d;
    compute(&d, IDT_DIGEST_SHA256);
    /* SE: 32 digest bytes then 224 zero bytes; SGX: 32 then 32 zeros. */
    char se[2 * 256 + 1], sgx[2 * 64 + 1];
    snprintf(se, sizeof se, "%s%0448d", KATA_SHA256, 0);
    snprintf(sgx, sizeof sgx, "%s%064d", KATA_SHA256, 0);
    assert_binding_text(IDT_PLATFORM_SE, &d, IDT_ENCODING_HEX, se);
    assert_binding_text(IDT_PLATFORM_SGX, &d, IDT_ENCODING_HEX, sgx);
    /* sha512 is truncated: TDX keeps 48 bytes, SNP 32, CCA all 64. */
    compute(&d, IDT_DIGEST_SHA512);
    char want[2 * 64 + 1];
    snprintf(want, sizeof want, "%.96s", KATA_SHA512);
    assert_binding_text(IDT_PLATFORM_TDX, &d, IDT_ENCODING_HEX, want);
    assert_binding_text(IDT_PLATFORM_TDX, &d, IDT_ENCODING_BASE64,
                        "TxLq6osmMwdzgXCiiCGtQGp2ZMQ6vG/Ly6mh6uJI0ap49tjHRZ7qDqlLItxG6myJ");
    snprintf(want, sizeof want, "%.64s", KATA_SHA512);
    assert_binding_text(IDT_PLATFORM_SNP, &d, IDT_ENCODING_HEX, want);
    assert_binding_text(IDT_PLATFORM_CCA, &d, IDT_ENCODING_HEX, KATA_SHA512);
    /* sha384 fits TDX exactly. */
    compute(&d, IDT_DIGEST_SHA384);
    assert_binding_text(IDT_PLATFORM_TDX, &d, IDT_ENCODING_HEX, KATA_SHA384);
}

static void test_vtpm__trustee_vector(void **state)
{
    (void)state;
    idt_digest d;
    uint8_t pcr[32];
    hex_to_digest(&d, IDT_DIGEST_SHA256,
                  "8505e4e25e50a27c5dc8147af88efbece627fbea55291911eff832d9ee127781");
    assert_status(idt_vtpm_pcr8_compute(pcr, &d, IDT_VTPM_RULE_AA, NULL), IDT_OK, NULL);
    idt_digest p = { IDT_DIGEST_SHA256, 32, { 0 } };
    memcpy(p.bytes, pcr, 32);
    assert_digest_text(&p, IDT_ENCODING_HEX,
                       "bddaccb9c52249e97a31baea61b7d91be8221a16e703d92148d04fb8e9c1dfdd");
    /* A 32-byte digest: both rules agree, and binding_compute matches. */
    assert_status(idt_vtpm_pcr8_compute(pcr, &d, IDT_VTPM_RULE_PEERPODS, NULL), IDT_OK, NULL);
    assert_memory_equal(pcr, p.bytes, 32);
    assert_binding_text(IDT_PLATFORM_VTPM, &d, IDT_ENCODING_HEX,
                        "bddaccb9c52249e97a31baea61b7d91be8221a16e703d92148d04fb8e9c1dfdd");
}

static void test_vtpm__peerpods_rule_on_sha384(void **state)
{
    (void)state;
    /* caa/provision-test.toml's sha384 digest; EXPECTED.md gives its
     * cloud-api-adaptor PCR 8. */
    idt_digest d;
    hex_to_digest(&d, IDT_DIGEST_SHA384,
                  "52af3178dd7ad4bf551e629b84b45bfd1fbe1434b980120267181ae3575ea20ca9013b8e"
                  "adf31d27eed7ff2552d500ef");
    idt_binding b;
    idt_error err = { 0 };
    assert_status(idt_binding_compute(&b, IDT_PLATFORM_VTPM, &d, IDT_VTPM_RULE_PEERPODS, &err),
                  IDT_OK, &err);
    char buf[IDT_BINDING_TEXT_MAX];
    idt_binding_format(buf, sizeof buf, &b, IDT_ENCODING_HEX, &err);
    assert_string_equal(buf, "b38927609998047b40609a152e8ccb3716450321203fe11c1e0533c648334ed5");
}

static void test_vtpm__aa_rule_refuses_long_digests(void **state)
{
    (void)state;
    static const idt_digest_alg long_algs[] = { IDT_DIGEST_SHA384, IDT_DIGEST_SHA512 };
    for (size_t i = 0; i < 2; i++) {
        idt_digest d;
        compute(&d, long_algs[i]);
        idt_binding b;
        idt_error err = { 0 };
        assert_status(idt_binding_compute(&b, IDT_PLATFORM_VTPM, &d, IDT_VTPM_RULE_AA, &err),
                      IDT_EUNSUPPORTED, &err);
        char want[64];
        snprintf(want, sizeof want, "a %s digest is %zu bytes, but the attestation-agent",
                 idt_digest_alg_name(long_algs[i]), d.len);
        assert_memory_equal(err.message, want, strlen(want));
        assert_non_null(strstr(err.message, "32-byte"));
    }
    idt_digest d;
    compute(&d, IDT_DIGEST_SHA256);
    uint8_t pcr[32];
    assert_status(idt_vtpm_pcr8_compute(pcr, &d, (idt_vtpm_rule)5, NULL), IDT_EINVAL, NULL);
    d.len = 20;
    assert_status(idt_vtpm_pcr8_compute(pcr, &d, IDT_VTPM_RULE_PEERPODS, NULL), IDT_EINVAL, NULL);
}

static void test_platform__warnings(void **state)
{
    (void)state;
    assert_non_null(strstr(idt_platform_warning(IDT_PLATFORM_CCA, IDT_DIGEST_SHA256),
                           "only sha512 documents verify with Trustee"));
    assert_null(idt_platform_warning(IDT_PLATFORM_CCA, IDT_DIGEST_SHA512));
    assert_non_null(strstr(idt_platform_warning(IDT_PLATFORM_VTPM, IDT_DIGEST_SHA384),
                           "only sha256 documents work with vTPM"));
    assert_null(idt_platform_warning(IDT_PLATFORM_VTPM, IDT_DIGEST_SHA256));
    assert_non_null(strstr(idt_platform_warning(IDT_PLATFORM_SE, IDT_DIGEST_SHA256),
                           "nobody checks"));
    assert_non_null(idt_platform_warning(IDT_PLATFORM_SGX, IDT_DIGEST_SHA256));
    assert_null(idt_platform_warning(IDT_PLATFORM_TDX, IDT_DIGEST_SHA384));
    assert_null(idt_platform_warning(IDT_PLATFORM_SNP, IDT_DIGEST_SHA512));
}

static void test_binding__invalid_arguments(void **state)
{
    (void)state;
    idt_digest d;
    idt_binding b;
    compute(&d, IDT_DIGEST_SHA256);
    assert_status(idt_binding_compute(&b, (idt_platform)0, &d, IDT_VTPM_RULE_AA, NULL),
                  IDT_EINVAL, NULL);
    assert_status(idt_binding_compute(NULL, IDT_PLATFORM_TDX, &d, IDT_VTPM_RULE_AA, NULL),
                  IDT_EINVAL, NULL);
    assert_status(idt_binding_compute(&b, IDT_PLATFORM_TDX, &d, IDT_VTPM_RULE_AA, NULL),
                  IDT_OK, NULL);
    char small[20];
    assert_status(idt_binding_format(small, sizeof small, &b, IDT_ENCODING_QEMU, NULL),
                  IDT_ELIMIT, NULL);
    b.len = 3; /* inconsistent with the platform */
    assert_status(idt_binding_format(small, sizeof small, &b, IDT_ENCODING_HEX, NULL),
                  IDT_EINVAL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest_alg__names_sizes_and_parse),
        cmocka_unit_test(test_digest_alg__rejects_other_spellings),
        cmocka_unit_test(test_digest_compute__kata_vector),
        cmocka_unit_test(test_digest_compute__exact_bytes),
        cmocka_unit_test(test_digest_compute__sm3),
        cmocka_unit_test(test_digest_compute__invalid_arguments),
        cmocka_unit_test(test_digest_format__bounds_and_encodings),
        cmocka_unit_test(test_platform__table),
        cmocka_unit_test(test_binding__kata_vector_base64),
        cmocka_unit_test(test_binding__qemu_fragments),
        cmocka_unit_test(test_binding__pad_and_truncate),
        cmocka_unit_test(test_vtpm__trustee_vector),
        cmocka_unit_test(test_vtpm__peerpods_rule_on_sha384),
        cmocka_unit_test(test_vtpm__aa_rule_refuses_long_digests),
        cmocka_unit_test(test_platform__warnings),
        cmocka_unit_test(test_binding__invalid_arguments),
        cmocka_unit_test(test_keywords__vtpm_rule_and_encoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
