/*
 * evidence_fuzz.h - the promises every evidence fuzz target checks, shared
 * by fuzz_evidence_<format>.c (each forces one reader with opts->tee).
 *
 *   - a failure leaves *out NULL; err->code is the status, the message is
 *     non-empty, and an offset lies within the input;
 *   - a success gives fields whose input offsets and lengths lie within
 *     the input (and point at those bytes), a binding field of at most
 *     IDT_BINDING_MAX bytes, at most IDT_EVIDENCE_CHECKS_MAX checks with
 *     known statuses, a binding check that succeeds or says the field is
 *     missing, and a diagnosis that never fails.
 */
#ifndef FUZZ_EVIDENCE_FUZZ_H
#define FUZZ_EVIDENCE_FUZZ_H

#include "fuzz.h"
#include "initdata/evidence.h"

static const char fuzz_doc[] = "version = \"0.1.0\"\nalgorithm = \"sha384\"\n[data]\n";

static inline void check_fields(const idt_evidence *ev, const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < idt_evidence_field_count(ev); i++) {
        const idt_evidence_field *f = idt_evidence_field_at(ev, i);
        CHECK(f && f->name && f->name[0]);
        CHECK(f->kind == IDT_FIELD_BYTES || f->kind == IDT_FIELD_UINT ||
              f->kind == IDT_FIELD_TEXT);
        if (f->kind != IDT_FIELD_UINT && f->len)
            CHECK(f->bytes != NULL);
        if (f->has_offset) {
            CHECK(f->offset <= size && f->len <= size - f->offset);
            if (f->kind != IDT_FIELD_UINT)
                CHECK(f->bytes == data + f->offset);
        }
    }
    CHECK(idt_evidence_field_at(ev, idt_evidence_field_count(ev)) == NULL);
}

static inline void check_binding(const idt_evidence *ev)
{
    idt_doc *doc = NULL;
    idt_error err;
    idt_verify_result r;
    CHECK(idt_doc_parse(&doc, fuzz_doc, sizeof fuzz_doc - 1, NULL, NULL) == IDT_OK);
    const idt_evidence_field *b = idt_evidence_binding_field(ev);
    for (int rules = IDT_RULES_TRUSTEE; rules <= IDT_RULES_KATA; rules++) {
        idt_error_clear(&err);
        int rc = idt_verify_binding(&r, ev, doc, (idt_verify_rules)rules, &err);
        if (!b || b->len > IDT_BINDING_MAX) {
            CHECK(rc == IDT_EFORMAT && err.message[0]);
            continue;
        }
        CHECK(rc == IDT_OK);
        CHECK(r.outcome == IDT_VERIFY_MATCH || r.outcome == IDT_VERIFY_MISMATCH ||
              r.outcome == IDT_VERIFY_REFUSED);
        CHECK(r.found_len == b->len && r.expected_len <= IDT_BINDING_MAX);
        CHECK((r.outcome == IDT_VERIFY_REFUSED) == !b->attested);
        if (r.found_len)
            CHECK(idt_verify_diagnose(&r, fuzz_doc, sizeof fuzz_doc - 1, IDT_DIGEST_SHA384,
                                      NULL, NULL, &err) >= 0);
    }
    idt_doc_free(doc);
}

/* Reads data with o and checks every promise above; returns the evidence
 * (the caller frees it) or NULL when the reader refused it. */
static inline idt_evidence *fuzz_evidence_read(const uint8_t *data, size_t size,
                                               const idt_evidence_options *o)
{
    idt_evidence *ev = (idt_evidence *)1;
    idt_error err;
    idt_error_clear(&err);
    int rc = idt_evidence_parse(&ev, data, size, o, &err);
    if (rc != IDT_OK) {
        fuzz_check_error(rc, &err, size);
        CHECK(rc != IDT_EINVAL);
        CHECK(ev == NULL);
        return NULL;
    }
    CHECK(ev != NULL && idt_tee_name(idt_evidence_tee(ev)) != NULL);
    CHECK(idt_evidence_format_name(idt_evidence_format_of(ev)) != NULL);
    check_fields(ev, data, size);
    idt_evidence_check c[IDT_EVIDENCE_CHECKS_MAX];
    size_t n = 0;
    idt_error_clear(&err);
    rc = idt_evidence_verify(c, IDT_EVIDENCE_CHECKS_MAX, &n, ev, &err);
    CHECK(rc == IDT_OK || rc == IDT_EMISMATCH);
    CHECK(n <= IDT_EVIDENCE_CHECKS_MAX);
    bool failed = false;
    for (size_t i = 0; i < n; i++) {
        CHECK(c[i].name && c[i].detail[0]);
        CHECK(c[i].status == IDT_EVIDENCE_CHECK_PASS || c[i].status == IDT_EVIDENCE_CHECK_FAIL ||
              c[i].status == IDT_EVIDENCE_CHECK_SKIP);
        failed = failed || c[i].status == IDT_EVIDENCE_CHECK_FAIL;
    }
    CHECK(failed == (rc == IDT_EMISMATCH));
    check_binding(ev);
    return ev;
}

static inline void fuzz_evidence(const uint8_t *data, size_t size, const idt_evidence_options *o)
{
    idt_evidence_free(fuzz_evidence_read(data, size, o));
}

/* Runs data as evidence of tee. */
static inline void fuzz_evidence_as(const uint8_t *data, size_t size, idt_tee tee)
{
    idt_evidence_options o = IDT_EVIDENCE_OPTIONS_INIT;
    o.tee = tee;
    fuzz_evidence(data, size, &o);
}

#endif
