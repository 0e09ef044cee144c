/* Unit tests of initdata/author.h: the TOML string emitter on tricky
 * contents (exact bytes, and read back by our own parser), the algorithm
 * choice per platform, and whole documents (seed, Kata's vector, order,
 * errors), read back with idt_doc_parse. */
#include "idt_unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vectors.h"
#include "initdata/author.h"
#include "initdata/doc.h"
#include "initdata/toml.h"

#define S(lit) lit, sizeof lit - 1

/* ---- the string emitter: exact bytes ------------------------------------ */

static void assert_emits(const char *in, size_t len, idt_author_string_style style,
                         const char *want, size_t want_len)
{
    char *out = NULL;
    size_t out_len = 0;
    idt_error err = { 0 };
    assert_status(idt_author_emit_string(&out, &out_len, in, len, style, &err), IDT_OK, &err);
    assert_non_null(out);
    if (out_len != want_len || memcmp(out, want, want_len)) {
        fprintf(stderr, "got  [%s]\nwant [%s]\n", out, want);
        fail();
    }
    assert_int_equal(out[out_len], '\0');
    idt_free(out);
}

#define EMITS(in, style, want) assert_emits(S(in), style, S(want))
#define ML IDT_AUTHOR_STRING_MULTILINE
#define MLB IDT_AUTHOR_STRING_MULTILINE_BASIC
#define BASIC IDT_AUTHOR_STRING_BASIC

static void test_emit__literal_when_possible(void **state)
{
    (void)state;
    EMITS("a\n", ML, "'''\na\n'''");
    EMITS("", ML, "'''\n'''");                 /* Kata's vector spells empty so */
    EMITS("abc", ML, "'''\nabc'''");           /* no final newline: kept */
    EMITS("\nx\n", ML, "'''\n\nx\n'''");       /* leading newline survives the trim */
    EMITS("\n", ML, "'''\n\n'''");
    EMITS("it's 'quoted'\n", ML, "'''\nit's 'quoted'\n'''");
    EMITS("''x''\n", ML, "'''\n''x''\n'''");  /* two in a row are fine */
    EMITS("'lead", ML, "'''\n'lead'''");        /* the trimmed LF separates */
    EMITS("C:\\dir\\ \"q\" \"\"\"", ML, "'''\nC:\\dir\\ \"q\" \"\"\"'''");
    EMITS("a\tb\n", ML, "'''\na\tb\n'''");     /* tab is allowed raw */
    EMITS("h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80\n", ML,
          "'''\nh\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80\n'''");
    EMITS("\xef\xbb\xbf" "bom", ML, "'''\n\xef\xbb\xbf" "bom'''");
}

static void test_emit__basic_when_literal_cannot(void **state)
{
    (void)state;
    EMITS("a'''b\n", ML, "\"\"\"\na'''b\n\"\"\"");          /* ''' inside */
    EMITS("x'", ML, "\"\"\"\nx'\"\"\"");                      /* ' at the end */
    EMITS("x''", ML, "\"\"\"\nx''\"\"\"");
    EMITS("a\r\nb\r\n", ML, "\"\"\"\na\\r\nb\\r\n\"\"\"");    /* CRLF: CR escaped */
    EMITS("a\rb", ML, "\"\"\"\na\\rb\"\"\"");                 /* lone CR */
    EMITS("\x01\x08\x0c\x1b\x1f\x7f", ML, "\"\"\"\n\\u0001\\b\\f\\u001B\\u001F\\u007F\"\"\"");
    EMITS("a\0b", ML, "\"\"\"\na\\u0000b\"\"\"");
    EMITS("\\ \x01", ML, "\"\"\"\n\\\\ \\u0001\"\"\"");        /* backslash escaped */
    EMITS("t\tn\n\x7f", ML, "\"\"\"\nt\tn\n\\u007F\"\"\"");   /* tab, LF stay raw */
    EMITS("\xc3\xa9\x01", ML, "\"\"\"\n\xc3\xa9\\u0001\"\"\"");
}

static void test_emit__quotes_in_basic(void **state)
{
    (void)state;
    EMITS("a\"\"\"b", MLB, "\"\"\"\na\"\"\\\"b\"\"\"");       /* third quote escaped */
    EMITS("x\"", MLB, "\"\"\"\nx\\\"\"\"\"");                 /* last quote escaped */
    EMITS("a\"\"", MLB, "\"\"\"\na\"\\\"\"\"\"");
    EMITS("\"\"\"\"\"\"", MLB, "\"\"\"\n\"\"\\\"\"\"\\\"\"\"\"");
    EMITS("\"q\"\n", MLB, "\"\"\"\n\"q\"\n\"\"\"");           /* quotes before LF: raw */
    EMITS("", MLB, "\"\"\"\n\"\"\"");
    EMITS("\nx", MLB, "\"\"\"\n\nx\"\"\"");
}

static void test_emit__one_line_basic(void **state)
{
    (void)state;
    EMITS("aa.toml", BASIC, "\"aa.toml\"");
    EMITS("", BASIC, "\"\"");
    EMITS("a\"b\\c\n\t\r'", BASIC, "\"a\\\"b\\\\c\\n\\t\\r'\"");
    EMITS("\x7f\x00", BASIC, "\"\\u007F\\u0000\"");
    EMITS("\xe2\x9c\x93", BASIC, "\"\xe2\x9c\x93\"");
}

/* ---- UTF-8 ------------------------------------------------------------- */

static void assert_bad_utf8(const char *s, size_t len, uint64_t offset, const char *why)
{
    idt_error err = { 0 };
    char *out = (char *)1;
    assert_status(idt_author_emit_string(&out, NULL, s, len, ML, &err), IDT_ESYNTAX, &err);
    assert_null(out);
    assert_true(err.has_offset);
    assert_int_equal(err.offset, offset);
    if (!strstr(err.message, why)) {
        fprintf(stderr, "message: %s\n", err.message);
        fail();
    }
    idt_error_clear(&err);
    assert_status(idt_author_check_utf8(s, len, &err), IDT_ESYNTAX, &err);
    assert_int_equal(err.offset, offset);
}

static void test_utf8__rejects(void **state)
{
    (void)state;
    assert_bad_utf8(S("ab\n\xff"), 3, "line 2, column 1 (byte 0xFF): a byte that never occurs");
    assert_bad_utf8(S("\xc3\x28"), 0, "bad continuation");
    assert_bad_utf8(S("x\xed\xa0\x80"), 1, "surrogate");
    assert_bad_utf8(S("\xc0\xaf"), 0, "overlong");
    assert_bad_utf8(S("\xe0\x80\xaf"), 0, "overlong");
    assert_bad_utf8(S("\xf0\x80\x80\xaf"), 0, "overlong");
    assert_bad_utf8(S("\xf4\x90\x80\x80"), 0, "above U+10FFFF");
    assert_bad_utf8(S("ok\xe2\x82"), 2, "cut off");
    assert_bad_utf8(S("\x80"), 0, "continuation byte");
    assert_bad_utf8(S("\xf5\x80\x80\x80"), 0, "never occurs in UTF-8");
}

static void test_utf8__accepts_edges(void **state)
{
    (void)state;
    /* U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF */
    static const char s[] = "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80"
                            "\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf";
    assert_status(idt_author_check_utf8(S(s), NULL), IDT_OK, NULL);
    assert_status(idt_author_check_utf8(NULL, 0, NULL), IDT_OK, NULL);
}

static void test_emit__bad_arguments(void **state)
{
    (void)state;
    char *out;
    assert_status(idt_author_emit_string(NULL, NULL, "a", 1, ML, NULL), IDT_EINVAL, NULL);
    assert_status(idt_author_emit_string(&out, NULL, NULL, 1, ML, NULL), IDT_EINVAL, NULL);
    assert_status(idt_author_emit_string(&out, NULL, "a", 1, (idt_author_string_style)7,
                                         NULL), IDT_EINVAL, NULL);
    assert_status(idt_author_emit_string(&out, NULL, NULL, 0, ML, NULL), IDT_OK, NULL);
    assert_string_equal(out, "'''\n'''");
    idt_free(out);
}

/* ---- the emitter read back by our own TOML parser ------------------------ */

/* xorshift: a fixed seed makes the "random" contents the same every run. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Appends one code point as UTF-8, from a mix that favours the bytes
 * string forms care about: quotes, backslash, CR, LF, tab, controls. */
static size_t random_char(char *p, uint64_t *seed)
{
    static const char special[] = "'\"\\\r\n\t\x7f\x01\x1f\x00 ";
    uint64_t r = next_random(seed);
    uint32_t cp;
    switch (r % 6) {
    case 0: case 1: p[0] = special[(r >> 8) % (sizeof special - 1)]; return 1;
    case 2: cp = 0x20 + (uint32_t)((r >> 8) % 0x5f); break;
    case 3: cp = 0x80 + (uint32_t)((r >> 8) % 0x780); break;
    case 4: cp = 0x800 + (uint32_t)((r >> 8) % (0xd800 - 0x800)); break;
    default: cp = 0x10000 + (uint32_t)((r >> 8) % 0x100000); break;
    }
    if (cp < 0x80) { p[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        p[0] = (char)(0xc0 | cp >> 6); p[1] = (char)(0x80 | (cp & 0x3f)); return 2;
    }
    if (cp < 0x10000) {
        p[0] = (char)(0xe0 | cp >> 12); p[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        p[2] = (char)(0x80 | (cp & 0x3f)); return 3;
    }
    p[0] = (char)(0xf0 | cp >> 18); p[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    p[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); p[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Emits s in style as `k = ...`, parses it as TOML 1.0 (the author writes
 * nothing Kata 3.x agents cannot read) and compares. */
static void roundtrip(const char *s, size_t len, idt_author_string_style style)
{
    char *str = NULL;
    size_t str_len = 0;
    assert_status(idt_author_emit_string(&str, &str_len, s, len, style, NULL), IDT_OK, NULL);
    size_t doc_len = str_len + 5;
    char *doc = malloc(doc_len + 1);
    assert_non_null(doc);
    memcpy(doc, "k = ", 4);
    memcpy(doc + 4, str, str_len);
    memcpy(doc + 4 + str_len, "\n", 2);
    idt_toml_doc *t = NULL;
    idt_error err = { 0 };
    idt_toml_options v10 = IDT_TOML_OPTIONS_INIT;
    v10.spec = IDT_TOML_1_0;
    int rc = idt_toml_parse(&t, doc, doc_len, &v10, &err);
    if (rc != IDT_OK) {
        fprintf(stderr, "parse failed: %s\n%s\n", err.message, doc);
        fail();
    }
    const idt_toml_entry *e = idt_toml_table_get(idt_toml_doc_root(t), "k", 1);
    assert_non_null(e);
    assert_int_equal(e->value->type, IDT_TOML_STRING);
    assert_int_equal(e->value->as.string.len, len);
    assert_memory_equal(e->value->as.string.ptr, s, len);
    idt_toml_doc_free(t);
    free(doc);
    idt_free(str);
}

static const struct { const char *s; size_t len; } tricky[] = {
    { S("") }, { S("\n") }, { S("\n\n") }, { S("\r\n") }, { S("\r") }, { S("x\r") },
    { S("'") }, { S("''") }, { S("'''") }, { S("''''''''") }, { S("a'''") }, { S("'''a") },
    { S("\"") }, { S("\"\"") }, { S("\"\"\"") }, { S("\"\"\"\"\"\"\"") }, { S("a\"\"\"") },
    { S("\\") }, { S("\\\n") }, { S("a\\\n  b") }, { S("\\u0041") }, { S("\\\"\"\"") },
    { S("\0") }, { S("\x01\x02\x08\x09\x0a\x0b\x0c\x0d\x1f\x7f") }, { S("\t\t") },
    { S("tab\tend'") }, { S("\xef\xbb\xbf") }, { S("\xf4\x8f\xbf\xbf") },
    { S("line\r\nline\nline\r") }, { S("\n'''\n\"\"\"\n") }, { S("#not a comment") },
};

static void test_emit__roundtrip_own_parser(void **state)
{
    (void)state;
    static const idt_author_string_style styles[] = { ML, MLB, BASIC };
    for (size_t i = 0; i < sizeof tricky / sizeof tricky[0]; i++)
        for (size_t k = 0; k < 3; k++)
            roundtrip(tricky[i].s, tricky[i].len, styles[k]);
    uint64_t seed = 0x9e3779b97f4a7c15u;
    char buf[4 * 64];
    for (int n = 0; n < 3000; n++) {
        size_t len = 0, chars = next_random(&seed) % 64;
        for (size_t c = 0; c < chars; c++)
            len += random_char(buf + len, &seed);
        roundtrip(buf, len, styles[n % 3]);
    }
}

/* ---- algorithms and platforms ------------------------------------------- */

static void test_pick__defaults_and_platforms(void **state)
{
    (void)state;
    idt_digest_alg a = (idt_digest_alg)0;
    assert_status(idt_author_pick_algorithm(&a, 0, NULL, 0, NULL), IDT_OK, NULL);
    assert_int_equal(a, IDT_DIGEST_SHA256);
    static const idt_platform any[] = { IDT_PLATFORM_TDX, IDT_PLATFORM_SNP, IDT_PLATFORM_SGX,
                                        IDT_PLATFORM_SE };
    assert_status(idt_author_pick_algorithm(&a, 0, any, 4, NULL), IDT_OK, NULL);
    assert_int_equal(a, IDT_DIGEST_SHA256);
    for (size_t i = 0; i < 4; i++)
        for (int alg = IDT_DIGEST_SHA256; alg <= IDT_DIGEST_SHA512; alg++) {
            assert_status(idt_author_pick_algorithm(&a, (idt_digest_alg)alg, &any[i], 1,
                                                    NULL), IDT_OK, NULL);
            assert_int_equal(a, alg);
        }
    idt_platform cca[] = { IDT_PLATFORM_TDX, IDT_PLATFORM_CCA, IDT_PLATFORM_CCA };
    assert_status(idt_author_pick_algorithm(&a, 0, cca, 3, NULL), IDT_OK, NULL);
    assert_int_equal(a, IDT_DIGEST_SHA512);
    idt_platform vtpm[] = { IDT_PLATFORM_VTPM, IDT_PLATFORM_SNP };
    assert_status(idt_author_pick_algorithm(&a, 0, vtpm, 2, NULL), IDT_OK, NULL);
    assert_int_equal(a, IDT_DIGEST_SHA256);
}

static void assert_pick_fails(idt_digest_alg want, const idt_platform *p, size_t n,
                              const char *needle)
{
    idt_digest_alg a = IDT_DIGEST_SHA384;
    idt_error err = { 0 };
    assert_status(idt_author_pick_algorithm(&a, want, p, n, &err), IDT_EINVAL, &err);
    assert_int_equal(a, IDT_DIGEST_SHA384); /* unchanged */
    if (!strstr(err.message, needle)) {
        fprintf(stderr, "message: %s\n", err.message);
        fail();
    }
}

static void test_pick__conflicts(void **state)
{
    (void)state;
    idt_platform cca = IDT_PLATFORM_CCA, vtpm = IDT_PLATFORM_VTPM;
    assert_pick_fails(IDT_DIGEST_SHA256, &cca, 1,
                      "algorithm sha256 does not work on cca: Trustee compares");
    assert_pick_fails(IDT_DIGEST_SHA384, &cca, 1, "; use sha512");
    assert_pick_fails(IDT_DIGEST_SHA512, &vtpm, 1,
                      "algorithm sha512 does not work on vtpm: only sha256");
    assert_pick_fails(IDT_DIGEST_SHA384, &vtpm, 1, "; use sha256");
    idt_platform both[] = { IDT_PLATFORM_TDX, IDT_PLATFORM_VTPM, IDT_PLATFORM_CCA };
    assert_pick_fails(0, both, 3, "no algorithm works on both vtpm (sha256 only) and cca "
                                  "(sha512 only)");
    assert_pick_fails(IDT_DIGEST_SM3, NULL, 0, "rejected by kata");
    assert_pick_fails((idt_digest_alg)42, NULL, 0, "unknown algorithm");
    idt_platform bogus = (idt_platform)99;
    assert_pick_fails(0, &bogus, 1, "unknown platform");
}

/* ---- whole documents ----------------------------------------------------- */


static char *build(const idt_author_options *o, size_t *len)
{
    char *out = NULL;
    idt_error err = { 0 };
    int rc = idt_author_new(&out, len, o, &err);
    if (rc != IDT_OK) {
        fprintf(stderr, "idt_author_new: %s\n", err.message);
        fail();
    }
    return out;
}

static void test_new__kata_vector(void **state)
{
    (void)state;
    idt_author_entry files[] = { { "cdh.toml", NULL, 0 }, { "aa.toml", "", 0 } };
    idt_author_options o = IDT_AUTHOR_OPTIONS_INIT;
    o.policy = "";
    o.files = files;
    o.file_count = 2;
    o.layout = IDT_AUTHOR_LAYOUT_KATA;
    size_t len;
    char *doc = build(&o, &len);
    assert_int_equal(len, 113);
    assert_memory_equal(doc, kata_doc, KATA_LEN);
    idt_free(doc);
}

static void test_new__seed_policy(void **state)
{
    (void)state;
    size_t len;
    const char *p = idt_author_seed_policy(&len);
    assert_int_equal(strlen(p), len);
    assert_memory_equal(p, "package agent_policy\n\ndefault AddARPNeighborsRequest := true\n",
                        61);
    size_t rules = 0, lines = 0;
    for (const char *q = p; (q = strstr(q, "default ")); q++)
        rules++;
    for (size_t i = 0; i < len; i++)
        lines += p[i] == '\n';
    assert_int_equal(rules, 36);
    assert_int_equal(lines, 38);
    static const char last[] = "\ndefault WriteStreamRequest := true\n";
    assert_string_equal(p + len - (sizeof last - 1), last);
}

static void test_new__seed_document(void **state)
{
    (void)state;
    idt_author_options o = IDT_AUTHOR_OPTIONS_INIT;
    o.kbs_url = "http://1.2.3.4:8080";
    size_t len, plen;
    char *doc = build(&o, &len);
    const char *policy = idt_author_seed_policy(&plen);
    char want[4096];
    int n = snprintf(want, sizeof want,
                     /* the Init-Data page's Step 1, byte for byte */
                     "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n"
                     "\"policy.rego\" = '''\n%s'''\n"
                     "\"aa.toml\" = '''\n[token_configs]\n[token_configs.kbs]\n"
                     "url = \"http://1.2.3.4:8080\"\n'''\n\n"
                     "\"cdh.toml\" = '''\n[kbc]\nname = \"cc_kbc\"\n"
                     "url = \"http://1.2.3.4:8080\"\n'''\n", policy);
    assert_true(n > 0 && (size_t)n < sizeof want);
    assert_int_equal(len, (size_t)n);
    assert_memory_equal(doc, want, len);
    /* Same options, same bytes. */
    size_t len2;
    char *again = build(&o, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(doc, again, len);
    idt_free(again);
    idt_free(doc);
}

/* Parses doc with idt_doc_parse and checks the algorithm and entries. */
static void assert_doc(const char *doc, size_t len, idt_digest_alg alg,
                       const idt_author_entry *want, size_t n)
{
    idt_doc *d = NULL;
    idt_error err = { 0 };
    if (idt_doc_parse(&d, doc, len, NULL, &err) != IDT_OK) {
        fprintf(stderr, "idt_doc_parse: %u:%u: %s\n%s\n", (unsigned)err.line,
                (unsigned)err.column, err.message, doc);
        fail();
    }
    assert_int_equal(idt_doc_algorithm(d), alg);
    assert_int_equal(idt_doc_entry_count(d), n);
    for (size_t i = 0; i < n; i++) {
        const idt_doc_entry *e = idt_doc_entry_at(d, i);
        assert_string_equal(e->name, want[i].name);
        assert_int_equal(e->content_len, want[i].len);
        if (want[i].len)
            assert_memory_equal(e->content, want[i].content, want[i].len);
    }
    idt_doc_free(d);
}

static void test_new__everything_reads_back(void **state)
{
    (void)state;
    static const char cert[] = "-----BEGIN CERTIFICATE-----\nMIIBx\"\"\"\\\n"
                               "-----END CERTIFICATE-----";
    static const char policy[] = "package agent_policy\r\ndefault X := '''true'''\r\n";
    idt_author_entry files[] = {
        { "z.json", S("{\"a\": \"'''\"}\n") },
        { "policy\"quoted\".txt", S("x'") },
        { "a", S("") },
        { "\xc3\xa9t\xc3\xa9\n", S("\x01\x7f\t\r") },
    };
    idt_platform tdx = IDT_PLATFORM_TDX;
    idt_author_options o = IDT_AUTHOR_OPTIONS_INIT;
    o.layout = IDT_AUTHOR_LAYOUT_KATA; /* entries listed in Kata's order */
    o.algorithm = IDT_DIGEST_SHA384;
    o.platforms = &tdx;
    o.platform_count = 1;
    o.kbs_url = "https://kbs.example:8443/x?\"q\"";
    o.kbs_cert = cert;
    o.kbs_cert_len = sizeof cert - 1;
    o.policy = policy;
    o.policy_len = sizeof policy - 1;
    o.image_pull_proxy = "http://proxy:3128";
    o.no_proxy = "10.0.0.0/8, .svc";
    o.files = files;
    o.file_count = 4;
    size_t len;
    char *doc = build(&o, &len);

    static const char aa[] =
        "[token_configs]\n[token_configs.kbs]\nurl = \"https://kbs.example:8443/x?\\\"q\\\"\"\n"
        "cert = \"\"\"\n-----BEGIN CERTIFICATE-----\nMIIBx\"\"\\\"\\\\\n"
        "-----END CERTIFICATE-----\"\"\"\n";
    static const char cdh[] =
        "[kbc]\nname = \"cc_kbc\"\nurl = \"https://kbs.example:8443/x?\\\"q\\\"\"\n"
        "kbs_cert = \"\"\"\n-----BEGIN CERTIFICATE-----\nMIIBx\"\"\\\"\\\\\n"
        "-----END CERTIFICATE-----\"\"\"\n"
        "\n[image.image_pull_proxy]\nhttps_proxy = \"http://proxy:3128\"\n"
        "no_proxy = \"10.0.0.0/8, .svc\"\n";
    idt_author_entry want[] = {
        { "aa.toml", S(aa) }, { "cdh.toml", S(cdh) }, { "policy.rego", S(policy) },
        files[0], files[1], files[2], files[3],
    };
    assert_doc(doc, len, IDT_DIGEST_SHA384, want, 7);
    /* The inner files are TOML themselves and must read back too. */
    idt_toml_doc *t = NULL;
    assert_status(idt_toml_parse(&t, S(cdh), NULL, NULL), IDT_OK, NULL);
    const idt_toml_value *kbc = idt_toml_table_get(idt_toml_doc_root(t), "kbc", 3)->value;
    const idt_toml_value *c = idt_toml_table_get(kbc, "kbs_cert", 8)->value;
    assert_int_equal(c->as.string.len, sizeof cert - 1);
    assert_memory_equal(c->as.string.ptr, cert, sizeof cert - 1);
    idt_toml_doc_free(t);
    /* Literal where the content allows, basic where it does not. */
    assert_non_null(strstr(doc, "\"aa.toml\" = '''\n[token_configs]"));
    assert_non_null(strstr(doc, "\"policy.rego\" = \"\"\"\npackage agent_policy\\r\n"));
    assert_non_null(strstr(doc, "\"policy\\\"quoted\\\".txt\" = \"\"\"\nx'\"\"\"\n"));
    assert_non_null(strstr(doc, "\"\xc3\xa9t\xc3\xa9\\n\" = \"\"\"\n\\u0001\\u007F\t\\r\"\"\"\n"));
    idt_free(doc);
}

static void test_new__own_files_take_their_slots(void **state)
{
    (void)state;
    idt_author_entry files[] = {
        { "zz", S("1\n") }, { "cdh.toml", S("[kbc]\nname = \"offline_fs_kbc\"\n") },
        { "b", S("2\n") }, { "aa.toml", S("\n") },
    };
    idt_author_options o = IDT_AUTHOR_OPTIONS_INIT;
    o.layout = IDT_AUTHOR_LAYOUT_KATA; /* entries listed in Kata's order */
    o.files = files;
    o.file_count = 4;
    size_t len, plen;
    char *doc = build(&o, &len);
    const char *policy = idt_author_seed_policy(&plen);
    idt_author_entry want[] = { files[3], files[1], { "policy.rego", policy, plen },
                                files[0], files[2] };
    assert_doc(doc, len, IDT_DIGEST_SHA256, want, 5);
    idt_free(doc);
}

static void assert_new_fails(const idt_author_options *o, int code, const char *needle)
{
    char *out = (char *)1;
    size_t len = 7;
    idt_error err = { 0 };
    assert_int_equal(idt_author_new(&out, &len, o, &err), code);
    assert_null(out);
    assert_int_equal(len, 0);
    assert_int_equal(err.code, code);
    if (!strstr(err.message, needle)) {
        fprintf(stderr, "message: %s\n", err.message);
        fail();
    }
}

static void test_new__errors(void **state)
{
    (void)state;
    static const char pem[] = "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n";
    idt_author_options o = IDT_AUTHOR_OPTIONS_INIT;
    idt_author_entry f[2] = { { "aa.toml", S("") }, { "x", S("") } };

    o.kbs_url = "http://k";
    o.files = f;
    o.file_count = 1;
    assert_new_fails(&o, IDT_EINVAL, "collides with the aa.toml generated from the KBS URL");
    f[0].name = "policy.rego";
    assert_new_fails(&o, IDT_EINVAL, "collides with the default policy.rego");
    o.policy = "p";
    o.policy_len = 1;
    assert_new_fails(&o, IDT_EINVAL, "collides with the policy.rego given as the policy");
    f[0].name = "x";
    o.file_count = 2;
    assert_new_fails(&o, IDT_EINVAL, "entry \"x\" is given twice");
    f[0].name = "";
    assert_new_fails(&o, IDT_EINVAL, "entry 1 has an empty name");
    f[0].name = "bad\xff";
    assert_new_fails(&o, IDT_ESYNTAX, "entry name: invalid UTF-8");
    f[0] = (idt_author_entry){ "ok", S("12345\xc0\x80") };
    assert_new_fails(&o, IDT_ESYNTAX, "entry \"ok\": invalid UTF-8");
    {
        idt_error err = { 0 };
        char *out;
        assert_status(idt_author_new(&out, NULL, &o, &err), IDT_ESYNTAX, &err);
        assert_true(err.has_offset);
        assert_int_equal(err.offset, 5);
    }
    o.file_count = 0;
    o.policy = "\xed\xbf\xbf";
    o.policy_len = 3;
    assert_new_fails(&o, IDT_ESYNTAX, "policy.rego: invalid UTF-8");
    o.policy = NULL;
    o.policy_len = 0;

    o.kbs_url = "ftp://k";
    assert_new_fails(&o, IDT_EINVAL, "must start with http:// or https://");
    o.kbs_url = "kbs:8080";
    assert_new_fails(&o, IDT_EINVAL, "is not a URL");
    o.kbs_url = "http://k\n";
    assert_new_fails(&o, IDT_EINVAL, "contains a control character at byte 8");
    o.kbs_url = "";
    assert_new_fails(&o, IDT_EINVAL, "the KBS URL is empty");
    o.kbs_url = "http://\xff";
    assert_new_fails(&o, IDT_EINVAL, "the KBS URL is not UTF-8: invalid UTF-8");
    o.kbs_url = NULL;

    o.kbs_cert = pem;
    o.kbs_cert_len = sizeof pem - 1;
    assert_new_fails(&o, IDT_EINVAL, "a KBS certificate needs a KBS URL");
    o.kbs_url = "https://k";
    o.kbs_cert = "MIIB";
    o.kbs_cert_len = 4;
    assert_new_fails(&o, IDT_EFORMAT, "no \"-----BEGIN CERTIFICATE-----\" line");
    o.kbs_cert = NULL;
    o.kbs_cert_len = 0;
    o.no_proxy = "a";
    assert_new_fails(&o, IDT_EINVAL, "a no_proxy list needs an image pull proxy");
    o.kbs_url = NULL;
    o.no_proxy = NULL;
    o.image_pull_proxy = "http://p";
    assert_new_fails(&o, IDT_EINVAL, "an image pull proxy needs a KBS URL");
    o.image_pull_proxy = NULL;

    idt_platform cca = IDT_PLATFORM_CCA;
    o.platforms = &cca;
    o.platform_count = 1;
    o.algorithm = IDT_DIGEST_SHA256;
    assert_new_fails(&o, IDT_EINVAL, "does not work on cca");
    o.platforms = NULL;
    o.platform_count = 0;
    o.algorithm = (idt_digest_alg)0;

    o.max_size = 100;
    assert_new_fails(&o, IDT_ELIMIT, "the document would be larger than the limit of 100");
    o.max_size = 0;
    o.version = 99;
    assert_new_fails(&o, IDT_EINVAL, "unknown options version 99");
    assert_new_fails(NULL, IDT_EINVAL, "NULL options");
    assert_status(idt_author_new(NULL, NULL, &o, NULL), IDT_EINVAL, NULL);
}

static void test_layout_keywords(void **state)
{
    (void)state;
    idt_author_layout l = IDT_AUTHOR_LAYOUT_SEED;
    assert_status(idt_author_layout_parse(&l, "kata", 4, NULL), IDT_OK, NULL);
    assert_int_equal(l, IDT_AUTHOR_LAYOUT_KATA);
    assert_status(idt_author_layout_parse(&l, "seed", 4, NULL), IDT_OK, NULL);
    assert_int_equal(l, IDT_AUTHOR_LAYOUT_SEED);
    assert_string_equal(idt_author_layout_name(IDT_AUTHOR_LAYOUT_KATA), "kata");
    assert_string_equal(idt_author_layout_name(IDT_AUTHOR_LAYOUT_SEED), "seed");
    assert_null(idt_author_layout_name((idt_author_layout)2));
    idt_error err = { 0 };
    l = IDT_AUTHOR_LAYOUT_KATA;
    assert_status(idt_author_layout_parse(&l, "Kata", 4, &err), IDT_EUNSUPPORTED, &err);
    assert_int_equal(l, IDT_AUTHOR_LAYOUT_KATA);
    assert_string_equal(err.message, "unknown layout \"Kata\" (known: seed, kata)");
    assert_status(idt_author_layout_parse(NULL, "seed", 4, NULL), IDT_EINVAL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emit__literal_when_possible),
        cmocka_unit_test(test_emit__basic_when_literal_cannot),
        cmocka_unit_test(test_emit__quotes_in_basic),
        cmocka_unit_test(test_emit__one_line_basic),
        cmocka_unit_test(test_utf8__rejects),
        cmocka_unit_test(test_utf8__accepts_edges),
        cmocka_unit_test(test_emit__bad_arguments),
        cmocka_unit_test(test_emit__roundtrip_own_parser),
        cmocka_unit_test(test_pick__defaults_and_platforms),
        cmocka_unit_test(test_pick__conflicts),
        cmocka_unit_test(test_new__kata_vector),
        cmocka_unit_test(test_new__seed_policy),
        cmocka_unit_test(test_new__seed_document),
        cmocka_unit_test(test_new__everything_reads_back),
        cmocka_unit_test(test_new__own_files_take_their_slots),
        cmocka_unit_test(test_new__errors),
        cmocka_unit_test(test_layout_keywords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
