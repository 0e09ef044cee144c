/* The Init-Data rules, as the strictest consumer (kata) applies them.
 * Each violation names the consumers that reject it; facts §1. */
#include "doc/doc_int.h"
#include "util/quote.h"

#include <stdio.h>
#include <string.h>

/* A missing key has no position of its own: point at the document start. */
static const idt_span doc_start = { 0, 0, 1, 1 };

static bool key_is(const idt_toml_entry *e, const char *name)
{
    size_t n = strlen(name);
    return e->key_len == n && memcmp(e->key, name, n) == 0;
}

/* Reports that key's value has the wrong type; every consumer reads these
 * keys with a typed deserialiser, so all of them reject it. */
static int wrong_type(idt_doc__sink *s, const idt_toml_entry *e, const char *want)
{
    return idt_doc__emit(s, IDT_DOC_ERROR, IDT_DOC_RULE_TYPE, IDT_ESCHEMA, IDT_CONSUMER_ALL,
                         &e->value->span,
                         "%s must be %s, not %s (kata, attestation-agent and Trustee "
                         "reject it)",
                         e->key, want, idt_toml_type_phrase(e->value->type));
}

static int check_version(idt_doc__fields *f, const idt_toml_entry *e, idt_doc__sink *s)
{
    const idt_toml_value *v = e->value;
    f->version = v; /* present, whatever its type: not "missing" */
    if (v->type != IDT_TOML_STRING)
        return wrong_type(s, e, "a string");
    size_t n = strlen(IDT_DOC_VERSION);
    if (v->as.string.len == n && memcmp(v->as.string.ptr, IDT_DOC_VERSION, n) == 0)
        return 0;
    char q[IDTX_QUOTE_MAX];
    return idt_doc__emit(s, IDT_DOC_ERROR, IDT_DOC_RULE_VERSION, IDT_ESCHEMA, IDT_CONSUMER_KATA,
                         &v->span,
                         "unsupported version %s (kata accepts only \"" IDT_DOC_VERSION
                         "\"; the attestation-agent and Trustee do not check it)",
                         idtx_quote(q, v->as.string.ptr, v->as.string.len));
}

static int check_algorithm(idt_doc__fields *f, const idt_toml_entry *e,
                           const idt_doc_options *opts, idt_doc__sink *s)
{
    const idt_toml_value *v = e->value;
    f->algorithm = v;
    if (v->type != IDT_TOML_STRING)
        return wrong_type(s, e, "a string");
    idt_error aerr = { 0 };
    if (idt_digest_alg_parse(&f->alg, v->as.string.ptr, v->as.string.len, &aerr) < 0)
        return idt_doc__emit(s, IDT_DOC_ERROR, IDT_DOC_RULE_ALGORITHM, IDT_ESCHEMA,
                             IDT_CONSUMER_ALL, &v->span, "%s", aerr.message);
    if (f->alg != IDT_DIGEST_SM3)
        return 0;
    return idt_doc__emit(s, opts->allow_sm3 ? IDT_DOC_WARNING : IDT_DOC_ERROR,
                         IDT_DOC_RULE_SM3, IDT_ESCHEMA, IDT_CONSUMER_KATA, &v->span,
                         "algorithm \"sm3\" is rejected by kata (kata accepts sha256, "
                         "sha384, sha512; only the attestation-agent and Trustee accept sm3)");
}

static int check_data(idt_doc__fields *f, const idt_toml_entry *e, idt_doc__sink *s)
{
    const idt_toml_value *v = e->value;
    f->data = v;
    if (v->type != IDT_TOML_TABLE)
        return wrong_type(s, e, "a table of strings");
    for (size_t i = 0; i < v->as.table.count; i++) {
        const idt_toml_entry *d = &v->as.table.entries[i];
        if (d->value->type == IDT_TOML_STRING)
            continue;
        char q[IDTX_QUOTE_MAX];
        int stop = idt_doc__emit(s, IDT_DOC_ERROR, IDT_DOC_RULE_DATA_ENTRY, IDT_ESCHEMA,
                                 IDT_CONSUMER_ALL, &d->value->span,
                                 "data entry %s must be a string, not %s (kata, "
                                 "attestation-agent and Trustee reject it)",
                                 idtx_quote(q, d->key, d->key_len),
                                 idt_toml_type_phrase(d->value->type));
        if (stop)
            return stop;
    }
    return 0;
}

static int check_missing(const idt_doc__fields *f, idt_doc__sink *s)
{
    if (!f->version &&
        idt_doc__emit(s, IDT_DOC_ERROR, IDT_DOC_RULE_MISSING, IDT_ESCHEMA, IDT_CONSUMER_ALL,
                      &doc_start,
                      "missing key \"version\" (kata, attestation-agent and Trustee "
                      "require it; kata accepts version = \"" IDT_DOC_VERSION "\")"))
        return 1;
    if (!f->algorithm &&
        idt_doc__emit(s, IDT_DOC_ERROR, IDT_DOC_RULE_MISSING, IDT_ESCHEMA, IDT_CONSUMER_ALL,
                      &doc_start,
                      "missing key \"algorithm\" (kata, attestation-agent and Trustee "
                      "require it: sha256, sha384 or sha512)"))
        return 1;
    if (!f->data &&
        idt_doc__emit(s, IDT_DOC_ERROR, IDT_DOC_RULE_MISSING, IDT_ESCHEMA, IDT_CONSUMER_ALL,
                      &doc_start,
                      "missing table \"data\" (kata, attestation-agent and Trustee "
                      "require it; an empty [data] is fine)"))
        return 1;
    return 0;
}

void idt_doc__validate(idt_doc__fields *out, const idt_toml_value *root,
                       const idt_doc_options *opts, idt_doc__sink *s)
{
    memset(out, 0, sizeof *out);
    /* Walk the root in document order so diagnostics come out sorted;
     * other top-level keys are ignored by every consumer. */
    for (size_t i = 0; i < root->as.table.count; i++) {
        const idt_toml_entry *e = &root->as.table.entries[i];
        int stop = 0;
        if (key_is(e, "version"))
            stop = check_version(out, e, s);
        else if (key_is(e, "algorithm"))
            stop = check_algorithm(out, e, opts, s);
        else if (key_is(e, "data"))
            stop = check_data(out, e, s);
        if (stop)
            return;
    }
    check_missing(out, s);
}
