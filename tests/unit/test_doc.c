/* Unit tests of initdata/doc.h: parsing, accessors, and every schema rule
 * with its exact line:column, message and consumers (initdata-facts §1). */
#include "idt_unit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vectors.h"
#include "initdata/doc.h"


#define ALL (IDT_CONSUMER_KATA | IDT_CONSUMER_AA | IDT_CONSUMER_TRUSTEE)

static int parse(idt_doc **doc, const char *text, idt_error *err)
{
    return idt_doc_parse(doc, text, strlen(text), NULL, err);
}

/* Parses text expecting a failure with code at line:col and message. */
static void assert_parse_error(const char *text, int code, uint32_t line, uint32_t col,
                               const char *message)
{
    idt_doc *doc = (idt_doc *)1;
    idt_error err = { 0 };
    err.source = "initdata.toml";
    assert_int_equal(parse(&doc, text, &err), code);
    assert_null(doc);
    assert_int_equal(err.code, code);
    assert_string_equal(err.source, "initdata.toml"); /* kept */
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, col);
    if (message)
        assert_string_equal(err.message, message);
}

static void test_doc_parse__kata_vector(void **state)
{
    (void)state;
    idt_doc *doc = NULL;
    idt_error err = { 0 };
    assert_status(parse(&doc, kata_doc, &err), IDT_OK, &err);
    assert_string_equal(idt_doc_version(doc), "0.1.0");
    assert_int_equal(idt_doc_algorithm(doc), IDT_DIGEST_SHA256);

    size_t len = 0;
    const char *bytes = idt_doc_bytes(doc, &len);
    assert_int_equal(len, 113);
    assert_ptr_not_equal(bytes, kata_doc); /* an owned copy */
    assert_memory_equal(bytes, kata_doc, 113);
    assert_int_equal(bytes[113], '\0');

    static const char *names[] = { "aa.toml", "cdh.toml", "policy.rego" };
    static const uint32_t lines[] = { 4, 7, 10 };
    assert_int_equal(idt_doc_entry_count(doc), 3);
    for (size_t i = 0; i < 3; i++) {
        const idt_doc_entry *e = idt_doc_entry_at(doc, i);
        assert_non_null(e);
        assert_string_equal(e->name, names[i]);
        assert_int_equal(e->name_len, strlen(names[i]));
        assert_int_equal(e->content_len, 0); /* the newline after ''' is trimmed */
        assert_int_equal(e->name_span.line, lines[i]);
        assert_int_equal(e->name_span.column, 1);
        assert_int_equal(e->value_span.line, lines[i]);
        assert_int_equal(e->value_span.column, strlen(names[i]) + 6);
        assert_ptr_equal(idt_doc_entry_get(doc, names[i], strlen(names[i])), e);
    }
    assert_null(idt_doc_entry_at(doc, 3));
    assert_null(idt_doc_entry_get(doc, "aa.tom", 6));
    assert_null(idt_doc_entry_get(doc, "missing", 7));

    idt_digest d;
    assert_status(idt_doc_digest(&d, doc, &err), IDT_OK, &err);
    char hex[IDT_BINDING_TEXT_MAX];
    idt_digest_format(hex, sizeof hex, &d, IDT_ENCODING_HEX, NULL);
    assert_string_equal(hex, "c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5");
    assert_non_null(idt_toml_table_get(idt_doc_toml_root(doc), "data", 4));
    idt_doc_free(doc);
}

static void test_doc_parse__contents_and_exact_bytes(void **state)
{
    (void)state;
    /* CRLF line ends, escapes, a dotted key and unknown top-level keys. */
    const char text[] = "extra = 1\r\n"
                        "version = \"0.1.0\"\r\n"
                        "algorithm = \"sha384\"\r\n"
                        "data.\"aa.toml\" = \"[log]\\nlevel = \\\"debug\\\"\\n\"\r\n"
                        "data.\"nul\" = \"a\\u0000b\"\r\n"
                        "[other]\r\n"
                        "x = [1, 2]\r\n";
    idt_doc *doc = NULL;
    assert_status(idt_doc_parse(&doc, text, sizeof text - 1, NULL, NULL), IDT_OK, NULL);
    assert_int_equal(idt_doc_algorithm(doc), IDT_DIGEST_SHA384);
    assert_int_equal(idt_doc_entry_count(doc), 2);
    const idt_doc_entry *e = idt_doc_entry_get(doc, "aa.toml", 7);
    assert_non_null(e);
    assert_string_equal(e->content, "[log]\nlevel = \"debug\"\n");
    e = idt_doc_entry_at(doc, 1);
    assert_int_equal(e->content_len, 3);
    assert_memory_equal(e->content, "a\0b", 3);
    size_t len;
    assert_memory_equal(idt_doc_bytes(doc, &len), text, sizeof text - 1);
    assert_int_equal(len, sizeof text - 1);
    idt_doc_free(doc);

    /* An inline table and an empty [data] are both fine. */
    assert_status(parse(&doc, "version = \"0.1.0\"\nalgorithm = \"sha512\"\n"
                              "data = { \"a\" = 'b', c = \"d\" }\n", NULL), IDT_OK, NULL);
    assert_int_equal(idt_doc_entry_count(doc), 2);
    assert_string_equal(idt_doc_entry_at(doc, 1)->name, "c");
    idt_doc_free(doc);
    assert_status(parse(&doc, "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n", NULL),
                  IDT_OK, NULL);
    assert_int_equal(idt_doc_entry_count(doc), 0);
    assert_null(idt_doc_entry_get(doc, "a", 1));
    idt_doc_free(doc);
}

static void test_doc_parse__unsupported_algorithm(void **state)
{
    (void)state;
    assert_parse_error("# the issue's example\n"
                       "version = \"0.1.0\"\n"
                       "algorithm = \"sha-256\"\n"
                       "[data]\n",
                       IDT_ESCHEMA, 3, 13,
                       "algorithm \"sha-256\" is not supported (kata, attestation-agent and "
                       "Trustee accept sha256, sha384, sha512)");
    assert_parse_error("version = \"0.1.0\"\nalgorithm = \"SHA256\"\n[data]\n", IDT_ESCHEMA, 2,
                       13, NULL);
}

static void test_doc_parse__sm3(void **state)
{
    (void)state;
    const char *text = "version = \"0.1.0\"\nalgorithm   =   \"sm3\"\n[data]\n";
    assert_parse_error(text, IDT_ESCHEMA, 2, 17,
                       "algorithm \"sm3\" is rejected by kata (kata accepts sha256, sha384, "
                       "sha512; only the attestation-agent and Trustee accept sm3)");
    idt_doc_options opts = IDT_DOC_OPTIONS_INIT;
    opts.allow_sm3 = true;
    idt_doc *doc = NULL;
    idt_test_diags c = { .n = 0 };
    assert_status(idt_doc_check(&doc, text, strlen(text), &opts, idt_test_collect, &c, NULL),
                  IDT_OK, NULL);
    assert_non_null(doc);
    assert_int_equal(idt_doc_algorithm(doc), IDT_DIGEST_SM3);
    assert_int_equal(c.n, 1); /* still a warning: kata rejects it */
    assert_int_equal(c.d[0].severity, IDT_DOC_WARNING);
    assert_int_equal(c.d[0].rule, IDT_DOC_RULE_SM3);
    assert_int_equal(c.d[0].rejected_by, IDT_CONSUMER_KATA);
    idt_doc_free(doc);
}

static void test_doc_parse__toml11_warning_rejects_nobody(void **state)
{
    (void)state;
    /* A TOML 1.1 escape (\e) in a string: a warning (IDT-DOC009) that names
     * no consumer, since only Kata 3.x agents reject it (doc.h: rejected_by
     * is 0 for most warnings).  fuzz_doc_check once wrongly demanded a
     * non-empty rejected_by for every diagnostic (corpora/doc_check/
     * toml11-escape-warning-no-consumer.toml). */
    const char *text = "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\nx = \"a\\eb\"\n";
    idt_doc *doc = NULL;
    idt_test_diags c = { .n = 0 };
    idt_error err;
    assert_status(idt_doc_check(&doc, text, strlen(text), NULL, idt_test_collect, &c, &err),
                  IDT_OK, &err);
    assert_non_null(doc);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].severity, IDT_DOC_WARNING);
    assert_int_equal(c.d[0].rule, IDT_DOC_RULE_TOML11);
    assert_int_equal(c.d[0].rejected_by, 0);
    idt_doc_free(doc);
}

static void test_doc_parse__version(void **state)
{
    (void)state;
    assert_parse_error("version = \"0.2.0\"\nalgorithm = \"sha256\"\n[data]\n", IDT_ESCHEMA, 1, 11,
                       "unsupported version \"0.2.0\" (kata accepts only \"0.1.0\"; the "
                       "attestation-agent and Trustee do not check it)");
    assert_parse_error("algorithm = \"sha256\"\nversion = 1\n[data]\n", IDT_ESCHEMA, 2, 11,
                       "version must be a string, not an integer (kata, attestation-agent and "
                       "Trustee reject it)");
    idt_test_diags c = { .n = 0 };
    const char *text = "version = \"0.1\"\nalgorithm = \"sha256\"\n[data]\n";
    assert_status(idt_doc_check(NULL, text, strlen(text), NULL, idt_test_collect, &c, NULL),
                  IDT_ESCHEMA, NULL);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].rule, IDT_DOC_RULE_VERSION);
    assert_int_equal(c.d[0].rejected_by, IDT_CONSUMER_KATA); /* only kata checks */
    assert_int_equal(c.d[0].span.offset, 10);
    assert_int_equal(c.d[0].span.length, 5);
}

static void test_doc_parse__missing_keys(void **state)
{
    (void)state;
    assert_parse_error("", IDT_ESCHEMA, 1, 1,
                       "missing key \"version\" (kata, attestation-agent and Trustee require "
                       "it; kata accepts version = \"0.1.0\")");
    assert_parse_error("version = \"0.1.0\"\n[data]\n", IDT_ESCHEMA, 1, 1,
                       "missing key \"algorithm\" (kata, attestation-agent and Trustee "
                       "require it: sha256, sha384 or sha512)");
    assert_parse_error("version = \"0.1.0\"\nalgorithm = \"sha256\"\n", IDT_ESCHEMA, 1, 1,
                       "missing table \"data\" (kata, attestation-agent and Trustee require "
                       "it; an empty [data] is fine)");
    /* Keys are case-sensitive: Version is an unknown key, version is missing. */
    assert_parse_error("Version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n", IDT_ESCHEMA, 1,
                       1, NULL);
}

static void test_doc_parse__data_types(void **state)
{
    (void)state;
    assert_parse_error("version = \"0.1.0\"\nalgorithm = \"sha256\"\ndata = [\"a\"]\n",
                       IDT_ESCHEMA, 3, 8,
                       "data must be a table of strings, not an array (kata, attestation-agent "
                       "and Trustee reject it)");
    assert_parse_error("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n"
                       "\"aa.toml\" = \"\"\n\"policy.rego\" = 42\n",
                       IDT_ESCHEMA, 5, 17,
                       "data entry \"policy.rego\" must be a string, not an integer (kata, "
                       "attestation-agent and Trustee reject it)");
    /* A sub-table from a header is reported at the header. */
    assert_parse_error("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n"
                       "[data.\"cdh.toml\"]\nkbc = 1\n",
                       IDT_ESCHEMA, 4, 1,
                       "data entry \"cdh.toml\" must be a string, not a table (kata, "
                       "attestation-agent and Trustee reject it)");
    assert_parse_error("version = \"0.1.0\"\nalgorithm = 256\n[data]\n", IDT_ESCHEMA, 2, 13,
                       "algorithm must be a string, not an integer (kata, attestation-agent and "
                       "Trustee reject it)");
}

static void test_doc_parse__toml_syntax(void **state)
{
    (void)state;
    assert_parse_error("version = \"0.1.0\"\nalgorithm = sha256\n[data]\n", IDT_ESYNTAX, 2, 13,
                       NULL);
    /* Duplicate keys are a TOML error, not "last one wins". */
    assert_parse_error("version = \"0.1.0\"\nversion = \"0.1.0\"\n", IDT_ESYNTAX, 2, 1, NULL);
    idt_test_diags c = { .n = 0 };
    const char *text = "version = \"0.1.0\nalgorithm = \"sha256\"\n";
    assert_status(idt_doc_check(NULL, text, strlen(text), NULL, idt_test_collect, &c, NULL),
                  IDT_ESYNTAX, NULL);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].rule, IDT_DOC_RULE_TOML);
    assert_int_equal(c.d[0].rejected_by, ALL);
    assert_int_equal(c.d[0].span.line, 1);
}

static void test_doc_check__reports_every_problem(void **state)
{
    (void)state;
    const char *text = "version = \"1.0\"\n"
                       "algorithm = \"sha-512\"\n"
                       "[data]\n"
                       "a = 1\n"
                       "b = \"ok\"\n"
                       "c = true\n";
    idt_test_diags c = { .n = 0 };
    idt_doc *doc = (idt_doc *)1;
    idt_error err = { 0 };
    assert_status(idt_doc_check(&doc, text, strlen(text), NULL, idt_test_collect, &c, &err),
                  IDT_ESCHEMA, &err);
    assert_null(doc);
    assert_int_equal(c.n, 4);
    static const struct { idt_doc_rule rule; uint32_t line, col; unsigned who; } want[] = {
        { IDT_DOC_RULE_VERSION, 1, 11, IDT_CONSUMER_KATA },
        { IDT_DOC_RULE_ALGORITHM, 2, 13, ALL },
        { IDT_DOC_RULE_DATA_ENTRY, 4, 5, ALL },
        { IDT_DOC_RULE_DATA_ENTRY, 6, 5, ALL },
    };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(c.d[i].severity, IDT_DOC_ERROR);
        assert_int_equal(c.d[i].rule, want[i].rule);
        assert_int_equal(c.d[i].span.line, want[i].line);
        assert_int_equal(c.d[i].span.column, want[i].col);
        assert_int_equal(c.d[i].rejected_by, want[i].who);
        assert_int_equal(c.d[i].code, IDT_ESCHEMA);
    }
    assert_string_equal(c.d[3].message, "data entry \"c\" must be a string, not a boolean (kata, "
                                        "attestation-agent and Trustee reject it)");
    /* err holds the first one, as a parse would report it. */
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 11);
    assert_string_equal(err.message, c.d[0].message);

    /* All three missing keys, in a fixed order, at 1:1. */
    c.n = 0;
    assert_status(idt_doc_check(NULL, "x = 1\n", 6, NULL, idt_test_collect, &c, NULL),
                  IDT_ESCHEMA, NULL);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.d[0].rule, IDT_DOC_RULE_MISSING);
    assert_non_null(strstr(c.d[0].message, "\"version\""));
    assert_non_null(strstr(c.d[1].message, "\"algorithm\""));
    assert_non_null(strstr(c.d[2].message, "\"data\""));
    assert_int_equal(c.d[2].span.line, 1);
    assert_int_equal(c.d[2].span.column, 1);
}

static int stop_at_first(const idt_doc_diag *d, void *payload)
{
    (void)d;
    ++*(int *)payload;
    return 7;
}

static void test_doc_check__callback_can_stop(void **state)
{
    (void)state;
    int calls = 0;
    const char *text = "version = 1\nalgorithm = 2\ndata = 3\n";
    assert_int_equal(idt_doc_check(NULL, text, strlen(text), NULL, stop_at_first, &calls, NULL),
                     7);
    assert_int_equal(calls, 1);
    /* Valid document: no call, and the document comes back. */
    idt_doc *doc = NULL;
    calls = 0;
    assert_status(idt_doc_check(&doc, kata_doc, strlen(kata_doc), NULL, stop_at_first, &calls,
                                NULL),
                  IDT_OK, NULL);
    assert_int_equal(calls, 0);
    assert_non_null(doc);
    idt_doc_free(doc);
}

static void test_doc_parse__limits_and_arguments(void **state)
{
    (void)state;
    idt_doc *doc = NULL;
    idt_error err = { 0 };
    idt_doc_options opts = IDT_DOC_OPTIONS_INIT;
    opts.max_size = 100;
    assert_status(idt_doc_parse(&doc, kata_doc, 113, &opts, &err), IDT_ELIMIT, &err);
    assert_null(doc);
    assert_non_null(strstr(err.message, "113 bytes"));
    opts.max_size = 113;
    assert_status(idt_doc_parse(&doc, kata_doc, 113, &opts, &err), IDT_OK, &err);
    idt_doc_free(doc);
    opts.version = 99;
    assert_status(idt_doc_parse(&doc, kata_doc, 113, &opts, &err), IDT_EINVAL, &err);
    assert_status(idt_doc_parse(NULL, kata_doc, 113, NULL, &err), IDT_EINVAL, &err);
    assert_status(idt_doc_parse(&doc, NULL, 5, NULL, &err), IDT_EINVAL, &err);
    idt_doc_free(NULL);
    assert_null(idt_doc_bytes(NULL, NULL));
    assert_int_equal(idt_doc_entry_count(NULL), 0);
    idt_digest d;
    assert_status(idt_doc_digest(&d, NULL, NULL), IDT_EINVAL, NULL);
}

static void test_doc_consumers__names(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(idt_consumers_format(buf, sizeof buf, ALL), 35);
    assert_string_equal(buf, "kata, attestation-agent and Trustee");
    idt_consumers_format(buf, sizeof buf, IDT_CONSUMER_KATA);
    assert_string_equal(buf, "kata");
    idt_consumers_format(buf, sizeof buf, IDT_CONSUMER_AA | IDT_CONSUMER_TRUSTEE);
    assert_string_equal(buf, "attestation-agent and Trustee");
    idt_consumers_format(buf, sizeof buf, 0);
    assert_string_equal(buf, "none");
    assert_string_equal(idt_consumer_name(IDT_CONSUMER_TRUSTEE), "Trustee");
    assert_null(idt_consumer_name(3));
    assert_string_equal(idt_doc_rule_name(IDT_DOC_RULE_ALGORITHM), "unsupported-algorithm");
    assert_null(idt_doc_rule_name((idt_doc_rule)0));
}

/* ---- borrowing the source, and the digest with the parse ------------------ */

static void test_doc_parse__borrow(void **state)
{
    (void)state;
    /* The caller's buffer goes on past the document: no NUL after it. */
    static const char text[] = "version = '0.1.0'\nalgorithm = \"sha384\"\n[data]\n"
                               "\"policy.rego\" = '''\npackage p\n'''\n"
                               "\"a\\u0041.txt\" = \"tab\\there\"\nXXXX";
    size_t len = sizeof text - 1 - 4;
    idt_doc_options opts = IDT_DOC_OPTIONS_INIT;
    assert_int_equal(opts.version, IDT_DOC_OPTIONS_VERSION);
    opts.borrow = true;
    idt_doc *doc = NULL;
    idt_error err = { 0 };
    assert_status(idt_doc_parse(&doc, text, len, &opts, &err), IDT_OK, &err);
    size_t n = 0;
    assert_ptr_equal(idt_doc_bytes(doc, &n), text); /* a view, no copy */
    assert_int_equal(n, len);
    assert_string_equal(idt_doc_version(doc), "0.1.0");
    assert_int_equal(idt_doc_algorithm(doc), IDT_DIGEST_SHA384);
    /* A plain string points into the source; an escaped one is decoded. */
    const idt_doc_entry *e = idt_doc_entry_at(doc, 0);
    assert_int_equal(e->content_len, 10);
    assert_memory_equal(e->content, "package p\n", 10);
    assert_true((uintptr_t)e->content > (uintptr_t)text &&
                (uintptr_t)e->content < (uintptr_t)(text + len));
    assert_string_equal(e->name, "policy.rego"); /* names are copies */
    e = idt_doc_entry_get(doc, "aA.txt", 6);
    assert_non_null(e);
    assert_string_equal(e->content, "tab\there");
    idt_digest d, want;
    assert_status(idt_doc_digest(&d, doc, &err), IDT_OK, &err);
    assert_status(idt_digest_compute(&want, IDT_DIGEST_SHA384, text, len, &err), IDT_OK, &err);
    assert_memory_equal(d.bytes, want.bytes, want.len);
    idt_doc_free(doc);

    /* Version 1 options end before borrow: they are read without it, and copy. */
    idt_doc_options v1 = { 1, false, IDT_TOML_DEFAULT_MAX_SIZE, true };
    assert_status(idt_doc_parse(&doc, text, len, &v1, &err), IDT_OK, &err);
    assert_ptr_not_equal(idt_doc_bytes(doc, NULL), text);
    assert_int_equal(idt_doc_bytes(doc, NULL)[len], '\0');
    idt_doc_free(doc);
    v1.version = 3;
    assert_status(idt_doc_parse(&doc, text, len, &v1, &err), IDT_EINVAL, &err);
}

/* A document of at least IDT_DOC_PARALLEL_MIN bytes, with algorithm alg;
 * unless guessable, a line that looks like another algorithm comes first,
 * inside a string. */
static char *big_document(size_t *len, const char *alg, bool guessable)
{
    size_t cap = IDT_DOC_PARALLEL_MIN + 4096, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    if (guessable)
        n += (size_t)snprintf(s + n, cap - n, "version = \"0.1.0\"\nalgorithm = \"%s\"\n", alg);
    else
        n += (size_t)snprintf(s + n, cap - n, "version = \"0.1.0\"\nnote = '''\n"
                              "algorithm = \"sha512\"\n'''\nalgorithm = \"%s\"\n", alg);
    n += (size_t)snprintf(s + n, cap - n, "[data]\n\"policy.rego\" = '''\n");
    while (n < IDT_DOC_PARALLEL_MIN)
        n += (size_t)snprintf(s + n, cap - n, "default AllowRequest := true # %zu\n", n);
    n += (size_t)snprintf(s + n, cap - n, "'''\n");
    *len = n;
    return s;
}

static void check_digest_of(const char *text, size_t len, idt_digest_alg alg, bool borrow)
{
    idt_doc_options opts = IDT_DOC_OPTIONS_INIT;
    opts.borrow = borrow;
    idt_doc *doc = NULL;
    idt_digest d, want;
    idt_error err = { 0 };
    memset(&d, 0, sizeof d);
    assert_status(idt_doc_check_digest(&doc, &d, text, len, &opts, NULL, NULL, &err), IDT_OK,
                  &err);
    assert_non_null(doc);
    assert_int_equal(idt_doc_algorithm(doc), alg);
    assert_status(idt_digest_compute(&want, alg, text, len, &err), IDT_OK, &err);
    assert_int_equal(d.alg, alg);
    assert_int_equal(d.len, want.len);
    assert_memory_equal(d.bytes, want.bytes, want.len);
    idt_doc_free(doc);
    /* out may be NULL: the digest alone. */
    memset(&d, 0, sizeof d);
    assert_status(idt_doc_check_digest(NULL, &d, text, len, &opts, NULL, NULL, &err), IDT_OK,
                  &err);
    assert_memory_equal(d.bytes, want.bytes, want.len);
}

static void test_doc_check_digest__same_as_after(void **state)
{
    (void)state;
    /* Small: hashed after the parse. */
    check_digest_of(kata_doc, KATA_LEN, IDT_DIGEST_SHA256, false);
    check_digest_of(kata_doc, KATA_LEN, IDT_DIGEST_SHA256, true);
    /* Large, the algorithm guessed right: hashed on the second thread. */
    size_t len;
    char *big = big_document(&len, "sha384", true);
    check_digest_of(big, len, IDT_DIGEST_SHA384, true);
    check_digest_of(big, len, IDT_DIGEST_SHA384, false);
    free(big);
    /* Large, the guess wrong (a line inside a string looks like the
     * algorithm): hashed again with the right one. */
    big = big_document(&len, "sha256", false);
    check_digest_of(big, len, IDT_DIGEST_SHA256, true);
    free(big);
}

static void test_doc_check_digest__errors(void **state)
{
    (void)state;
    size_t len;
    char *big = big_document(&len, "sha-256", true); /* nothing to guess */
    idt_doc *doc = (idt_doc *)1;
    idt_digest d;
    memset(&d, 0x5a, sizeof d);
    idt_error err = { 0 };
    assert_int_equal(idt_doc_check_digest(&doc, &d, big, len, NULL, NULL, NULL, &err),
                     IDT_ESCHEMA);
    assert_null(doc);
    assert_int_equal(((unsigned char *)&d)[0], 0x5a); /* untouched */
    free(big);
    /* Not TOML, the algorithm guessable: the thread is joined and the
     * parse error is the result. */
    big = big_document(&len, "sha512", true);
    big[len - 2] = '"'; /* the policy's closing ''' becomes ''" */
    assert_int_equal(idt_doc_check_digest(&doc, &d, big, len, NULL, NULL, NULL, &err),
                     IDT_ESYNTAX);
    assert_null(doc);
    free(big);
    assert_int_equal(idt_doc_check_digest(&doc, NULL, "", 0, NULL, NULL, NULL, &err),
                     IDT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_parse__borrow),
        cmocka_unit_test(test_doc_check_digest__same_as_after),
        cmocka_unit_test(test_doc_check_digest__errors),
        cmocka_unit_test(test_doc_parse__kata_vector),
        cmocka_unit_test(test_doc_parse__contents_and_exact_bytes),
        cmocka_unit_test(test_doc_parse__unsupported_algorithm),
        cmocka_unit_test(test_doc_parse__sm3),
        cmocka_unit_test(test_doc_parse__toml11_warning_rejects_nobody),
        cmocka_unit_test(test_doc_parse__version),
        cmocka_unit_test(test_doc_parse__missing_keys),
        cmocka_unit_test(test_doc_parse__data_types),
        cmocka_unit_test(test_doc_parse__toml_syntax),
        cmocka_unit_test(test_doc_check__reports_every_problem),
        cmocka_unit_test(test_doc_check__callback_can_stop),
        cmocka_unit_test(test_doc_parse__limits_and_arguments),
        cmocka_unit_test(test_doc_consumers__names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
