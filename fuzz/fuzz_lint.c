/*
 * fuzz_lint.c - idt_lint_check and idt_lint_claims on arbitrary entries.
 *
 * Input: one mode byte, then the content.  With the mode's top bit set the
 * content is a whole document; otherwise it becomes an entry (aa.toml,
 * cdh.toml, policy.rego, or aa.toml and cdh.toml both), written in one of
 * the TOML string styles (''' literal, """ with escapes, "..." on one
 * line) so that positions are mapped through every kind of literal.  The
 * mode also picks the algorithm and the platforms.
 *
 * Promises checked (a broken one aborts, so the fuzzer reports it):
 *   - every finding is well-formed: a severity, rule IDT_DOC_RULE_LINT, a
 *     code the registry knows, a non-empty message, consumers only on
 *     errors; its span lies inside the document, and its line and column
 *     are those of its offset;
 *   - a finding inside an entry lies inside that entry's string literal
 *     and has an entry position of at least 1:1 (or 0:0 for the whole);
 *   - idt_lint_check returns IDT_ESCHEMA exactly when it reported an error;
 *   - the claims are one JSON object with a member per entry (policy.rego
 *     possibly replaced by agent_policy_claims).
 */
#include "fuzz.h"
#include "initdata/author.h"
#include "initdata/doc.h"
#include "initdata/lint.h"

#include <jansson.h>

typedef struct seen {
    const idt_doc *doc;
    const char *src;
    size_t len;
    size_t errors;
} seen;

/* The line and column of src[offset], counted from the start. */
static void position(const char *src, size_t offset, uint32_t *line, uint32_t *column)
{
    uint32_t l = 1;
    size_t start = 0;
    for (size_t i = 0; i < offset; i++)
        if (src[i] == '\n') {
            l++;
            start = i + 1;
        }
    *line = l;
    *column = (uint32_t)(offset - start + 1);
}

static void check_entry_diag(const seen *s, const idt_doc_diag *d)
{
    CHECK(strcmp(d->entry, "aa.toml") == 0 || strcmp(d->entry, "cdh.toml") == 0 ||
          strcmp(d->entry, "policy.rego") == 0);
    CHECK((d->entry_line == 0) == (d->entry_column == 0));
    const idt_doc_entry *e = idt_doc_entry_get(s->doc, d->entry, strlen(d->entry));
    CHECK(e != NULL);
    const idt_span *lit = &e->value_span;
    CHECK(d->span.offset >= lit->offset && d->span.offset <= lit->offset + lit->length);
    CHECK(d->span.offset + d->span.length <= lit->offset + lit->length);
}

static int on_diag(const idt_doc_diag *d, void *payload)
{
    seen *s = payload;
    CHECK(d->severity == IDT_DOC_ERROR || d->severity == IDT_DOC_WARNING ||
          d->severity == IDT_DOC_NOTE);
    CHECK(d->rule == IDT_DOC_RULE_LINT);
    const idt_code_info *info = idt_lint_code_info(d->check);
    CHECK(info != NULL);
    CHECK(FUZZ_TEXT_OK(d->message));
    unsigned known = IDT_CONSUMER_ALL | IDT_CONSUMER_CDH;
    if (d->severity == IDT_DOC_ERROR)
        CHECK(d->rejected_by != 0 && (d->rejected_by & ~known) == 0);
    else
        CHECK(d->rejected_by == 0);
    CHECK(d->span.offset <= s->len && d->span.length <= s->len - d->span.offset);
    uint32_t line, column;
    position(s->src, d->span.offset, &line, &column);
    CHECK(d->span.line == line && d->span.column == column);
    if (d->entry)
        check_entry_diag(s, d);
    else
        CHECK(d->entry_line == 0 && d->entry_column == 0);
    if (d->severity == IDT_DOC_ERROR)
        s->errors++;
    return 0;
}

static void check_claims(const idt_doc *doc)
{
    char *out = NULL;
    size_t len = 0;
    int rc = idt_lint_claims(&out, &len, doc, IDT_LINT_CLAIMS_PRETTY, NULL);
    CHECK(rc == IDT_OK || rc == IDT_ENOMEM);
    if (rc != IDT_OK)
        return;
    CHECK(len == strlen(out)); /* NULs in strings are escaped */
    json_error_t jerr;
    json_t *v = json_loadb(out, len, JSON_ALLOW_NUL, &jerr);
    CHECK(v != NULL && json_is_object(v));
    for (size_t i = 0; i < idt_doc_entry_count(doc); i++) {
        const idt_doc_entry *e = idt_doc_entry_at(doc, i);
        bool replaced = e->name_len == 11 && memcmp(e->name, "policy.rego", 11) == 0 &&
                        json_object_get(v, "agent_policy_claims") != NULL;
        CHECK(replaced || json_object_getn(v, e->name, e->name_len) != NULL);
    }
    json_decref(v);
    idt_free(out);
}

static void lint(const char *src, size_t len, unsigned platforms)
{
    idt_doc *doc = NULL;
    if (idt_doc_parse(&doc, src, len, NULL, NULL) != IDT_OK)
        return;
    for (int pass = 0; pass < 2; pass++) {
        idt_lint_options o = IDT_LINT_OPTIONS_INIT;
        o.platforms = pass ? platforms : 0;
        o.now = 1800000000;
        seen s = { doc, src, len, 0 };
        int rc = idt_lint_check(doc, &o, on_diag, &s, NULL);
        CHECK(rc == IDT_ENOMEM || (rc == IDT_ESCHEMA) == (s.errors > 0));
        CHECK(rc == IDT_ENOMEM || rc == IDT_ESCHEMA || rc == IDT_OK);
    }
    check_claims(doc);
    idt_doc_free(doc);
}

/* "<head><name> = <content in style>\n", or NULL when the content is not
 * UTF-8 (no string can hold it). */
static char *wrap(const char *head, const char *const *names, size_t nnames, const char *s,
                  size_t n, idt_author_string_style style, size_t *len)
{
    char *lit = NULL;
    size_t lit_len = 0;
    if (idt_author_emit_string(&lit, &lit_len, s, n, style, NULL) != IDT_OK)
        return NULL;
    size_t cap = strlen(head) + nnames * (lit_len + 32) + 1;
    char *doc = malloc(cap);
    if (!doc) {
        idt_free(lit);
        return NULL;
    }
    size_t at = (size_t)snprintf(doc, cap, "%s", head);
    for (size_t i = 0; i < nnames; i++) {
        at += (size_t)snprintf(doc + at, cap - at, "\"%s\" = ", names[i]);
        memcpy(doc + at, lit, lit_len);
        at += lit_len;
        doc[at++] = '\n';
    }
    doc[at] = '\0';
    idt_free(lit);
    *len = at;
    return doc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned mode = data[0];
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    static const char *const algs[] = { "sha256", "sha384", "sha512" };
    /* Every platform bit, shuffled by the mode. */
    unsigned platforms = ((mode * 37u) & 0x7eu) | IDT_LINT_PLATFORM(IDT_PLATFORM_TDX);
    if (mode & 0x80) {
        lint(s, n, platforms);
        return 0;
    }
    static const char *const aa[] = { "aa.toml" }, *const cdh[] = { "cdh.toml" },
                             *const pol[] = { "policy.rego" },
                             *const both[] = { "aa.toml", "cdh.toml" };
    static const char *const *const sets[] = { aa, cdh, pol, both };
    static const size_t counts[] = { 1, 1, 1, 2 };
    size_t which = mode & 3;
    idt_author_string_style style = (idt_author_string_style)((mode >> 2) % 3);
    char head[96];
    snprintf(head, sizeof head, "version = \"0.1.0\"\nalgorithm = \"%s\"\n[data]\n",
             algs[(mode >> 4) % 3]);
    size_t len = 0;
    char *doc = wrap(head, sets[which], counts[which], s, n, style, &len);
    if (!doc)
        return 0;
    lint(doc, len, platforms);
    free(doc);
    return 0;
}
