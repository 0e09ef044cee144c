/*
 * fuzz_doc_check.c - idt_doc_check / idt_doc_parse and the digest and
 * binding functions on arbitrary bytes.
 *
 * Promises checked (a broken one aborts, so the fuzzer reports it):
 *   - every diagnostic is well-formed: a known rule and severity, a span
 *     inside the input with line and column >= 1, a non-empty message, a
 *     subset of the consumers (non-empty for an error);
 *   - idt_doc_parse agrees with idt_doc_check: the same status, and on
 *     failure the same first error (position and message);
 *   - allow_sm3 only ever turns the sm3 error into a warning;
 *   - a parsed document holds a copy of exactly the input, every entry is
 *     found by name, and its digest, bindings and their text forms compute
 *     (the attestation-agent vTPM rule fails exactly for digests that are
 *     not 32 bytes);
 *   - the allow_sm3 check runs as idt_doc_check_digest with borrow: the
 *     document is a view of the input itself, and the digest it returns is
 *     the input's hash with the document's algorithm.
 */
#include "fuzz.h"
#include "initdata/doc.h"

typedef struct seen {
    size_t len;
    size_t errors, warnings, sm3_errors;
    idt_doc_diag first; /* the first error */
} seen;

static int on_diag(const idt_doc_diag *d, void *payload)
{
    seen *s = payload;
    CHECK(d->severity == IDT_DOC_ERROR || d->severity == IDT_DOC_WARNING);
    CHECK(idt_doc_rule_name(d->rule) != NULL);
    CHECK(d->code < 0);
    /* An error names who rejects the document; a warning may name nobody
     * (doc.h: "0 for most warnings", e.g. the TOML 1.1 warning IDT-DOC009,
     * which only old Kata agents reject) or keep the error's consumers (sm3
     * under allow_sm3). */
    CHECK((d->rejected_by & ~(unsigned)IDT_CONSUMER_ALL) == 0);
    CHECK(d->severity != IDT_DOC_ERROR || d->rejected_by != 0);
    CHECK(d->span.line >= 1 && d->span.column >= 1);
    CHECK(d->span.offset <= s->len && d->span.length <= s->len - d->span.offset);
    CHECK(FUZZ_TEXT_OK(d->message));
    if (d->severity == IDT_DOC_WARNING) {
        s->warnings++;
        return 0;
    }
    if (!s->errors++)
        s->first = *d;
    if (d->rule == IDT_DOC_RULE_SM3)
        s->sm3_errors++;
    return 0;
}

static void check_bindings(const idt_digest *d)
{
    static const idt_platform all[] = { IDT_PLATFORM_TDX, IDT_PLATFORM_SNP, IDT_PLATFORM_CCA,
                                        IDT_PLATFORM_SGX, IDT_PLATFORM_SE, IDT_PLATFORM_VTPM };
    static const idt_encoding encs[] = { IDT_ENCODING_HEX, IDT_ENCODING_BASE64,
                                         IDT_ENCODING_QEMU };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        for (int rule = IDT_VTPM_RULE_AA; rule <= IDT_VTPM_RULE_PEERPODS; rule++) {
            idt_binding b;
            idt_error err = { 0 };
            int rc = idt_binding_compute(&b, all[i], d, (idt_vtpm_rule)rule, &err);
            bool refused = all[i] == IDT_PLATFORM_VTPM && rule == IDT_VTPM_RULE_AA && d->len != 32;
            CHECK(refused ? rc == IDT_EUNSUPPORTED : rc == IDT_OK);
            if (rc < 0)
                continue;
            for (size_t e = 0; e < 3; e++) {
                char text[IDT_BINDING_TEXT_MAX];
                int n = idt_binding_format(text, sizeof text, &b, encs[e], &err);
                bool has_qemu = idt_platform_qemu_property(all[i]) != NULL;
                CHECK((encs[e] != IDT_ENCODING_QEMU || has_qemu) ? n > 0 : n == IDT_EUNSUPPORTED);
                CHECK(n < 0 || (size_t)n == strlen(text));
            }
        }
}

static void check_doc(const idt_doc *doc, const uint8_t *data, size_t size, bool borrowed)
{
    size_t len = 0;
    const char *bytes = idt_doc_bytes(doc, &len);
    CHECK(len == size && (size == 0 || memcmp(bytes, data, size) == 0));
    CHECK(borrowed ? (size == 0 || bytes == (const char *)data) : bytes[len] == '\0');
    CHECK(strcmp(idt_doc_version(doc), IDT_DOC_VERSION) == 0);
    for (size_t i = 0; i < idt_doc_entry_count(doc); i++) {
        const idt_doc_entry *e = idt_doc_entry_at(doc, i);
        CHECK(e && idt_doc_entry_get(doc, e->name, e->name_len) == e);
        CHECK(e->value_span.offset <= size && e->name_span.offset <= size);
    }
    CHECK(idt_doc_entry_at(doc, idt_doc_entry_count(doc)) == NULL);
    idt_digest d;
    idt_error err = { 0 };
    int rc = idt_doc_digest(&d, doc, &err);
    CHECK(rc == IDT_OK || (rc == IDT_EUNSUPPORTED && idt_doc_algorithm(doc) == IDT_DIGEST_SM3));
    if (rc == IDT_OK) {
        CHECK(d.len == idt_digest_alg_size(idt_doc_algorithm(doc)));
        check_bindings(&d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    seen strict = { .len = size }, lax = { .len = size };
    idt_doc *doc = NULL, *parsed = NULL;
    idt_error cerr = { 0 }, perr = { 0 };
    int crc = idt_doc_check(&doc, src, size, NULL, on_diag, &strict, &cerr);
    CHECK((crc == IDT_OK) == (strict.errors == 0) && (crc == IDT_OK) == (doc != NULL));

    int prc = idt_doc_parse(&parsed, src, size, NULL, &perr);
    CHECK(prc == crc && (prc == IDT_OK) == (parsed != NULL));
    if (prc < 0) {
        CHECK(perr.code == prc && cerr.code == prc);
        CHECK(perr.line == strict.first.span.line && perr.column == strict.first.span.column);
        CHECK(strcmp(perr.message, strict.first.message) == 0);
    }

    idt_doc_options opts = IDT_DOC_OPTIONS_INIT;
    opts.allow_sm3 = true;
    opts.borrow = true;
    idt_doc *lax_doc = NULL;
    idt_digest ld;
    int lrc = idt_doc_check_digest(&lax_doc, &ld, src, size, &opts, on_diag, &lax, NULL);
    CHECK(lax.sm3_errors == 0 && lax.errors == strict.errors - strict.sm3_errors);
    CHECK(lax.warnings == strict.warnings + strict.sm3_errors);
    CHECK((lrc == IDT_OK) == (lax_doc != NULL));
    if (lax_doc) {
        idt_digest want;
        CHECK(idt_digest_compute(&want, idt_doc_algorithm(lax_doc), src, size, NULL) == IDT_OK);
        CHECK(ld.alg == want.alg && ld.len == want.len && !memcmp(ld.bytes, want.bytes, ld.len));
    } else if (lax.errors == 0) { /* valid, but no digest: sm3 without a provider */
        CHECK(lrc == IDT_EUNSUPPORTED);
    }

    if (doc)
        check_doc(doc, data, size, false);
    if (lax_doc)
        check_doc(lax_doc, data, size, true);
    idt_doc_free(doc);
    idt_doc_free(parsed);
    idt_doc_free(lax_doc);
    return 0;
}
