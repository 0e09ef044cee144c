/* Unit tests of initdata/lint.h: every check with a document that trips
 * it and one that does not (a table, and a meta-test that the table covers
 * every code of idt_doc_codes and idt_lint_codes both ways, so removing a check fails a
 * test), the mapping of positions inside an entry back to the document,
 * and the claims Trustee derives (initdata-facts §1, §3, §6). */
#include "idt_unit.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vectors.h"
#include "initdata/doc.h"
#include "initdata/lint.h"

/* --- documents ------------------------------------------------------------ */

#define HEAD(alg) "version = \"0.1.0\"\nalgorithm = \"" alg "\"\n[data]\n"
/* 80 and 81 nested arrays, and a key of 81 parts (the toml crate 1.1's
 * limit: kata-agent 4.x, runtime-rs and Trustee stop at 80). */
#define OPEN10 "[[[[[[[[[["
#define SHUT10 "]]]]]]]]]]"
#define OPEN80 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10
#define SHUT80 SHUT10 SHUT10 SHUT10 SHUT10 SHUT10 SHUT10 SHUT10 SHUT10
#define PARTS10 "k.k.k.k.k.k.k.k.k.k."
#define PARTS70 PARTS10 PARTS10 PARTS10 PARTS10 PARTS10 PARTS10 PARTS10
#define PARTS80 PARTS70 PARTS10
/* One entry in a ''' string that starts with a newline: its line L is the
 * document's line L + 4, at the same column. */
#define AA(x) HEAD("sha256") "\"aa.toml\" = '''\n" x "'''\n"
#define CDH(x) HEAD("sha256") "\"cdh.toml\" = '''\n" x "'''\n"
#define POLICY(x) HEAD("sha256") "\"policy.rego\" = '''\n" x "'''\n"
#define KBC_OK "[kbc]\nname = \"offline_fs_kbc\"\n"

/* A self-signed P-256 certificate made for these tests: subject
 * O=initdata,CN=initdata-test, valid from 2026-11-30 10:04:51 UTC
 * (1796033091) to 2036-11-27 10:04:51 UTC (2111393091). */
#define CERT                                                                 \
    "-----BEGIN CERTIFICATE-----\n"                                          \
    "MIIBqzCCAVGgAwIBAgIUddFcKlEjROh69WnQzBmWytz9zBYwCgYIKoZIzj0EAwIw\n"     \
    "KzEWMBQGA1UEAwwNaW5pdGRhdGEtdGVzdDERMA8GA1UECgwIaW5pdGRhdGEwHhcN\n"     \
    "MjYxMTMwMTAwNDUxWhcNMzYxMTI3MTAwNDUxWjArMRYwFAYDVQQDDA1pbml0ZGF0\n"     \
    "YS10ZXN0MREwDwYDVQQKDAhpbml0ZGF0YTBZMBMGByqGSM49AgEGCCqGSM49AwEH\n"     \
    "A0IABLJ5hmvQ14ceh5uFY8sbul2DwYpfEqXRkrCI9D9eHRoYblm6B6L8Ubv1fOtg\n"     \
    "DqS50mknAJxcvzQS9rhpVqRnoYCjUzBRMB0GA1UdDgQWBBREYNz4aQhrFUmgzoTF\n"     \
    "4AxsxxSgjTAfBgNVHSMEGDAWgBREYNz4aQhrFUmgzoTF4AxsxxSgjTAPBgNVHRMB\n"     \
    "Af8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIGoNWBlMitmWG//LlOJw3+47DC9F\n"     \
    "Bifhuvqw65BdC/3zAiEAk68b+ad4bj1pMbyefP4c6I66eSbjR1swVF2rve1u+A8=\n"     \
    "-----END CERTIFICATE-----\n"
#define CERT_VALID 1800000000   /* 2027-01-15 */
#define CERT_EXPIRED 2200000000 /* 2039-09-18 */
#define CERT_EARLY 1700000000   /* 2023-11-14 */
#define KBS_CERT(pem) "[token_configs.kbs]\nurl = \"https://kbs\"\ncert = \"\"\"\n" pem "\"\"\"\n"
#define TRUNCATED_CERT                                                       \
    "-----BEGIN CERTIFICATE-----\n"                                          \
    "MIIBqzCCAVGgAwIBAgIUddFcKlEjROh69WnQzBmWytz9zBYwCgYIKoZIzj0EAwIw\n"     \
    "-----END CERTIFICATE-----\n"

#define P(x) IDT_LINT_PLATFORM(IDT_PLATFORM_##x)
#define ERR IDT_DOC_ERROR
#define WARN IDT_DOC_WARNING
#define NOTE IDT_DOC_NOTE
#define ABSENT 0

/* --- running the checks -------------------------------------------------- */

/* Checks text: the document rules, then (for a valid document) the
 * entries.  Returns idt_lint_check's status, or the document's. */
#define ALLOWED_KBS "http://kbs:8080"

static int run_allowing(idt_test_diags *f, const char *text, unsigned platforms, int64_t now,
                        const char *allow_kbs)
{
    memset(f, 0, sizeof *f);
    idt_doc *doc = NULL;
    int rc = idt_doc_check(&doc, text, strlen(text), NULL, idt_test_collect, f, NULL);
    if (!doc)
        return rc;
    idt_lint_options o = IDT_LINT_OPTIONS_INIT;
    o.platforms = platforms;
    o.now = now ? now : CERT_VALID;
    /* allow_kbs: one URL allowed exactly, and https://kbs/ as a prefix. */
    static const char *const prefixes[] = { "https://kbs/" };
    if (allow_kbs) {
        o.kbs_urls = &allow_kbs;
        o.kbs_url_count = 1;
        o.kbs_url_prefixes = prefixes;
        o.kbs_url_prefix_count = 1;
    }
    rc = idt_lint_check(doc, &o, idt_test_collect, f, NULL);
    idt_doc_free(doc);
    return rc;
}

static int run(idt_test_diags *f, const char *text, unsigned platforms, int64_t now)
{
    return run_allowing(f, text, platforms, now, NULL);
}

static const idt_doc_diag *find(const idt_test_diags *f, const char *code)
{
    for (size_t i = 0; i < f->n && i < IDT_TEST_DIAGS_MAX; i++)
        if (f->d[i].check && strcmp(f->d[i].check, code) == 0)
            return &f->d[i];
    return NULL;
}

/* --- every check, both ways ------------------------------------------------ */

typedef struct lint_case {
    const char *text;
    unsigned platforms;
    int64_t now;
    const char *code;
    int severity;          /* ABSENT: the check must not fire */
    uint32_t line, column; /* where the first such finding is (0: not checked) */
} lint_case;

static const lint_case cases[] = {
    /* The document itself (doc.c), now with codes. */
    { "version = \n", 0, 0, "IDT-DOC001", ERR, 1, 11 },
    { HEAD("sha256"), 0, 0, "IDT-DOC001", ABSENT, 0, 0 },
    { "version = \"0.1.0\"\n[data]\n", 0, 0, "IDT-DOC002", ERR, 1, 1 },
    { HEAD("sha256"), 0, 0, "IDT-DOC002", ABSENT, 0, 0 },
    { "version = 1\nalgorithm = \"sha256\"\n[data]\n", 0, 0, "IDT-DOC003", ERR, 1, 11 },
    { HEAD("sha256"), 0, 0, "IDT-DOC003", ABSENT, 0, 0 },
    { "version = \"1.0\"\nalgorithm = \"sha256\"\n[data]\n", 0, 0, "IDT-DOC004", ERR, 1, 11 },
    { HEAD("sha256"), 0, 0, "IDT-DOC004", ABSENT, 0, 0 },
    { HEAD("sha-256"), 0, 0, "IDT-DOC005", ERR, 2, 13 },
    { HEAD("sha256"), 0, 0, "IDT-DOC005", ABSENT, 0, 0 },
    { HEAD("sm3"), 0, 0, "IDT-DOC006", ERR, 2, 13 },
    { HEAD("sha512"), 0, 0, "IDT-DOC006", ABSENT, 0, 0 },
    { HEAD("sha256") "\"aa.toml\" = 1\n", 0, 0, "IDT-DOC007", ERR, 4, 13 },
    { HEAD("sha256") "\"aa.toml\" = ''\n", 0, 0, "IDT-DOC007", ABSENT, 0, 0 },
    /* Entry names: a near miss of a known entry; other names are fine. */
    { HEAD("sha256") "\"aa.tml\" = ''\n", 0, 0, "IDT-DOC008", WARN, 4, 1 },
    { HEAD("sha256") "\"Policy.rego\" = ''\n", 0, 0, "IDT-DOC008", WARN, 4, 1 },
    { HEAD("sha256") "\"notes.txt\" = ''\n\"aa.toml\" = ''\n", 0, 0, "IDT-DOC008", ABSENT, 0, 0 },
    /* TOML 1.1 syntax: a warning at the construct (Kata 3.x rejects it). */
    { HEAD("sha256") "\"notes.txt\" = \"\\e\"\n", 0, 0, "IDT-DOC009", WARN, 4, 16 },
    { "version = \"0.1.0\"\nalgorithm = \"sha256\"\nt = 07:32\n[data]\n", 0, 0,
      "IDT-DOC009", WARN, 3, 5 },
    { HEAD("sha256") "\"notes.txt\" = \"\\u001b\"\n", 0, 0, "IDT-DOC009", ABSENT, 0, 0 },
    /* Nesting past the consumers' limit, at the 81st bracket or the key. */
    { "version = \"0.1.0\"\nalgorithm = \"sha256\"\nx = " OPEN80 "[" "]" SHUT80 "\n[data]\n",
      0, 0, "IDT-DOC010", ERR, 3, 85 },
    { HEAD("sha256") "[" PARTS80 "k]\n", 0, 0, "IDT-DOC010", ERR, 4, 2 },
    { "version = \"0.1.0\"\nalgorithm = \"sha256\"\nx = " OPEN80 SHUT80 "\n[data]\n", 0, 0,
      "IDT-DOC010", ABSENT, 0, 0 },
    { HEAD("sha256") "[" PARTS70 "k.k.k.k.k.k.k.k.k.k]\n", 0, 0, "IDT-DOC010", ABSENT, 0, 0 },
    /* aa.toml and cdh.toml must be TOML. */
    { AA("[log]\nlevel = \n"), 0, 0, "IDT-TOML001", ERR, 6, 9 },
    { CDH(KBC_OK "[kbc]\n"), 0, 0, "IDT-TOML001", ERR, 7, 2 },
    { AA("[log]\nlevel = \"info\"\n"), 0, 0, "IDT-TOML001", ABSENT, 0, 0 },
    /* Unknown keys, with the closest known one. */
    { AA("[token_config]\n"), 0, 0, "IDT-KEY001", WARN, 5, 2 },
    { CDH(KBC_OK "[image]\nextra_root_certificate = []\n"), 0, 0, "IDT-KEY001", WARN, 8, 1 },
    { AA("[token_configs]\n[eventlog_config]\nenable_eventlog = true\n"), 0, 0, "IDT-KEY001",
      ABSENT, 0, 0 },
    { CDH("socket = 'unix:///x'\nskip_sealed_secret_verification = false\n" KBC_OK
          "[aa]\naa_socket = 'x'\n[log]\nlevel = 'x'\n"),
      0, 0, "IDT-KEY001", ABSENT, 0, 0 },
    /* Values of the wrong shape. */
    { AA("token_configs = 1\n"), 0, 0, "IDT-KEY002", ERR, 5, 17 },
    { AA("[token_configs.kbs]\nurl = [\"https://kbs\"]\n"), 0, 0, "IDT-KEY002", ERR, 6, 7 },
    { CDH("credentials = [1]\n" KBC_OK), 0, 0, "IDT-KEY002", ERR, 5, 16 },
    { CDH(KBC_OK "[image]\nextra_root_certificates = [[]]\n"), 0, 0, "IDT-KEY002", ERR, 8, 28 },
    { AA("[token_configs.kbs]\nurl = \"https://kbs\"\n"), 0, 0, "IDT-KEY002", ABSENT, 0, 0 },
    /* Required keys. */
    { AA("[token_configs.kbs]\ncert = ''\n"), 0, 0, "IDT-KEY003", ERR, 5, 1 },
    { AA("[token_configs.coco_as]\n"), 0, 0, "IDT-KEY003", ERR, 5, 1 },
    { CDH(""), 0, 0, "IDT-KEY003", ERR, 4, 14 },
    { CDH("[kbc]\nname = \"cc_kbc\"\n"), 0, 0, "IDT-KEY003", ERR, 5, 1 },
    { CDH(KBC_OK "[[credentials]]\npath = '/run/confidential-containers/cdh/kbs/a'\n"), 0, 0,
      "IDT-KEY003", ERR, 7, 1 },
    { CDH(KBC_OK "[[image.registry_config.registry]]\nprefix = 'a'\n"
                 "[[image.registry_config.registry.mirror]]\ninsecure = true\n"),
      0, 0, "IDT-KEY003", ERR, 9, 1 },
    { AA(""), 0, 0, "IDT-KEY003", ABSENT, 0, 0 },
    { CDH(KBC_OK), 0, 0, "IDT-KEY003", ABSENT, 0, 0 },
    /* Scalars the config crate converts. */
    { AA("[eventlog_config]\ninit_pcr = \"17\"\n"), 0, 0, "IDT-KEY004", WARN, 6, 12 },
    { AA("[eventlog_config]\nenable_eventlog = \"true\"\n"), 0, 0, "IDT-KEY004", WARN, 6, 19 },
    { AA("[log]\nlevel = 3\n"), 0, 0, "IDT-KEY004", WARN, 6, 9 },
    { CDH(KBC_OK "[image.registry_config]\nunqualified-search-registries = [1]\n"), 0, 0,
      "IDT-KEY004", WARN, 8, 34 },
    { AA("[eventlog_config]\ninit_pcr = 17\nenable_eventlog = false\n[log]\nlevel = 'x'\n"), 0,
      0, "IDT-KEY004", ABSENT, 0, 0 },
    /* URLs. */
    { AA("[token_configs.kbs]\nurl = \"1.2.3.4:8080\"\n"), 0, 0, "IDT-URL001", ERR, 6, 7 },
    { AA("[token_configs.kbs]\nurl = \"http://\"\n"), 0, 0, "IDT-URL001", ERR, 6, 7 },
    { AA("[token_configs.kbs]\nurl = \"http://kbs:99999\"\n"), 0, 0, "IDT-URL001", ERR, 6, 7 },
    { AA("[token_configs.kbs]\nurl = \"http://kbs :80\"\n"), 0, 0, "IDT-URL001", ERR, 6, 7 },
    { AA("[token_configs.kbs]\nurl = \"ftp://kbs\"\n"), 0, 0, "IDT-URL001", ERR, 6, 7 },
    { AA("[token_configs.kbs]\nurl = \"http://[::1:80\"\n"), 0, 0, "IDT-URL001", ERR, 6, 7 },
    { AA("[token_configs.coco_as]\nurl = \"\"\n"), 0, 0, "IDT-URL001", ERR, 6, 7 },
    { CDH("[kbc]\nname = 'cc_kbc'\nurl = 'kbs:8080'\n"), 0, 0, "IDT-URL001", ERR, 7, 7 },
    { CDH(KBC_OK "[image.image_pull_proxy]\nhttps_proxy = \"proxy:3128\"\n"), 0, 0,
      "IDT-URL001", ERR, 8, 15 },
    { AA("[token_configs.kbs]\nurl = \"https://kbs.example:8443/kbs\"\n"
         "[token_configs.coco_as]\nurl = \"http://[::1]:8080\"\n"),
      0, 0, "IDT-URL001", ABSENT, 0, 0 },
    { CDH("[kbc]\nname = 'cc_kbc'\nurl = 'HTTP://user@kbs'\n[image.image_pull_proxy]\n"
          "https_proxy = 'socks5://proxy:1080'\nhttp_proxy = 'http://proxy'\n"),
      0, 0, "IDT-URL001", ABSENT, 0, 0 },
    /* Certificates. */
    { AA(KBS_CERT(TRUNCATED_CERT)), 0, 0, "IDT-CERT001", ERR, 7, 8 },
    { AA("[token_configs.kbs]\nurl = \"https://kbs\"\ncert = \"not a certificate\"\n"), 0, 0,
      "IDT-CERT001", ERR, 7, 8 },
    { CDH(KBC_OK "[image]\nextra_root_certificates = [\"\"\"" TRUNCATED_CERT "\"\"\"]\n"), 0, 0,
      "IDT-CERT001", ERR, 8, 28 },
    { AA(KBS_CERT(CERT)), 0, 0, "IDT-CERT001", ABSENT, 0, 0 },
    { AA(KBS_CERT(CERT)), 0, CERT_EXPIRED, "IDT-CERT002", WARN, 7, 8 },
    { AA(KBS_CERT(CERT)), 0, CERT_EARLY, "IDT-CERT002", WARN, 7, 8 },
    { AA(KBS_CERT(CERT)), 0, CERT_VALID, "IDT-CERT002", ABSENT, 0, 0 },
    { AA(KBS_CERT(CERT)), 0, CERT_VALID, "IDT-CERT003", NOTE, 7, 8 },
    { CDH("[kbc]\nname = 'offline_fs_kbc'\nkbs_cert = \"\"\"" CERT "\"\"\"\n"), 0, CERT_VALID,
      "IDT-CERT003", NOTE, 7, 12 },
    { AA(KBS_CERT(CERT)), 0, CERT_EXPIRED, "IDT-CERT003", ABSENT, 0, 0 },
    { AA("[token_configs.kbs]\nurl = \"https://kbs\"\ncert = ''\n"), 0, 0, "IDT-CERT003", ABSENT,
      0, 0 },
    /* The attestation-agent's own rules. */
    { AA("[token_configs.kbs]\nurl = \"https://kbs\"\ntee_key_algorithm = \"RSA\"\n"), 0, 0,
      "IDT-AA001", ERR, 7, 21 },
    { AA("[token_configs.kbs]\nurl = \"https://kbs\"\ntee_key_algorithm = \"rsa-oaep-256\"\n"), 0,
      0, "IDT-AA001", ERR, 7, 21 },
    { AA("[token_configs.kbs]\nurl = \"https://kbs\"\ntee_key_algorithm = "
         "\"ECDH-ES+A256KW-P521\"\n"),
      0, 0, "IDT-AA001", ABSENT, 0, 0 },
    { AA("[eventlog_config]\ninit_pcr = 24\n"), 0, 0, "IDT-AA002", ERR, 6, 12 },
    { AA("[eventlog_config]\ninit_pcr = -1\n"), 0, 0, "IDT-AA002", ERR, 6, 12 },
    { AA("[eventlog_config]\ninit_pcr = 23\n"), 0, 0, "IDT-AA002", ABSENT, 0, 0 },
    { AA("[eventlog_config]\ninit_pcr = 0\n"), 0, 0, "IDT-AA002", ABSENT, 0, 0 },
    /* The confidential-data-hub's own rules. */
    { CDH("[kbc]\nname = \"cc_kbs\"\n"), 0, 0, "IDT-CDH001", ERR, 6, 8 },
    { CDH("[kbc]\nname = \"sample_kbc\"\n"), 0, 0, "IDT-CDH001", ERR, 6, 8 },
    { CDH("[kbc]\nname = \"cc_kbc\"\nurl = \"https://kbs\"\n"), 0, 0, "IDT-CDH001", ABSENT, 0,
      0 },
    { CDH(KBC_OK "[[credentials]]\nresource_uri = 'kbs:///a/b/c'\npath = '/etc/passwd'\n"), 0,
      0, "IDT-CDH002", ERR, 9, 8 },
    { CDH(KBC_OK "[[credentials]]\nresource_uri = 'kbs:///a/b/c'\n"
                 "path = '/run/confidential-containers/cdh/kbsx/a'\n"),
      0, 0, "IDT-CDH002", ERR, 9, 8 },
    { CDH(KBC_OK "[[credentials]]\nresource_uri = 'kbs:///a/b/c'\n"
                 "path = '/run/confidential-containers/cdh/kbs/../../../etc/x'\n"),
      0, 0, "IDT-CDH002", ERR, 9, 8 },
    { CDH(KBC_OK "[[credentials]]\nresource_uri = 'kbs:///a/b/c'\n"
                 "path = '/run/confidential-containers/cdh/kbs/default/key/1'\n"),
      0, 0, "IDT-CDH002", ABSENT, 0, 0 },
    { CDH(KBC_OK "[[image.registry_config.registry]]\ninsecure = true\n"), 0, 0, "IDT-CDH003",
      ERR, 7, 1 },
    { CDH(KBC_OK "[[image.registry_config.registry]]\nprefix = '*.example.com'\n"), 0, 0,
      "IDT-CDH003", ERR, 7, 1 },
    { CDH(KBC_OK "[[image.registry_config.registry]]\nprefix = 'a'\n"
                 "[[image.registry_config.registry.mirror]]\nlocation = ''\n"),
      0, 0, "IDT-CDH003", ERR, 10, 12 },
    { CDH(KBC_OK "[image.registry_config]\nunqualified-search-registries = ['docker.io']\n"
                 "[[image.registry_config.registry]]\nprefix = '*.example.com'\n"
                 "location = 'mirror.local'\n[[image.registry_config.registry.mirror]]\n"
                 "location = 'm.local'\n"),
      0, 0, "IDT-CDH003", ABSENT, 0, 0 },
    /* One KBS for both. */
    { HEAD("sha256") "\"aa.toml\" = '''\n[token_configs.kbs]\nurl = 'https://a'\n'''\n"
                     "\"cdh.toml\" = '''\n[kbc]\nname = 'cc_kbc'\nurl = 'https://b'\n'''\n",
      0, 0, "IDT-KBS001", WARN, 11, 7 },
    { HEAD("sha256") "\"aa.toml\" = '''\n[token_configs.kbs]\nurl = 'https://a'\n'''\n"
                     "\"cdh.toml\" = '''\n[kbc]\nname = 'cc_kbc'\nurl = 'https://a/'\n'''\n",
      0, 0, "IDT-KBS001", ABSENT, 0, 0 },
    { AA("[token_configs.kbs]\nurl = \"http://kbs:8080\"\n"), 0, 0, "IDT-KBS002", NOTE, 6, 7 },
    { CDH("[kbc]\nname = 'cc_kbc'\nurl = 'http://kbs:8080'\n"), 0, 0, "IDT-KBS002", NOTE, 7,
      7 },
    { AA("[token_configs.kbs]\nurl = \"https://kbs:8080\"\n[token_configs.coco_as]\n"
         "url = \"http://as\"\n"),
      0, 0, "IDT-KBS002", ABSENT, 0, 0 },
    /* The KBS URLs a cluster allows: aa.toml's and cdh.toml's, at the URL. */
    { AA("[token_configs.kbs]\nurl = \"http://evil:8080\"\n"), 0, 0, "IDT-KBS003", ERR, 6, 7 },
    { CDH("[kbc]\nname = 'cc_kbc'\nurl = 'https://kbs.evil/'\n"), 0, 0, "IDT-KBS003", ERR, 7, 7 },
    { AA("[token_configs.kbs]\nurl = \"http://kbs:8080/\"\n"), 0, 0, "IDT-KBS003", ABSENT, 0, 0 },
    { AA("[token_configs.kbs]\nurl = \"https://kbs/a\"\n"), 0, 0, "IDT-KBS003", ABSENT, 0, 0 },
    /* policy.rego */
    { POLICY(""), 0, 0, "IDT-POL001", ERR, 4, 17 },
    { POLICY("# only a comment\ndefault ExecProcessRequest := false\n"), 0, 0, "IDT-POL001", ERR,
      6, 1 },
    { POLICY("# a comment\npackage agent_policy\n"), 0, 0, "IDT-POL001", ABSENT, 0, 0 },
    { POLICY("package agent_policy.x\n"), 0, 0, "IDT-POL002", ERR, 5, 9 },
    { POLICY("package other\n"), 0, 0, "IDT-POL002", ERR, 5, 9 },
    { POLICY("package agent_policy # the kata agent's\n"), 0, 0, "IDT-POL002", ABSENT, 0, 0 },
    { POLICY("package agent_policy\ndefault ExecProcesRequest := false\n"), 0, 0, "IDT-POL003",
      WARN, 6, 9 },
    { POLICY("package agent_policy\ndefault MadeUpRequest = true\n"), 0, 0, "IDT-POL003", WARN,
      6, 9 },
    { POLICY("package agent_policy\ndefault allow_exec := false\ndefault GetMetricsRequest := "
             "true\ndefault AllowRequestsFailingPolicy := false\n"),
      0, 0, "IDT-POL003", ABSENT, 0, 0 },
    { POLICY("package agent_policy\ndefault ExecProcessRequest := true\n"), 0, 0, "IDT-POL004",
      NOTE, 6, 9 },
    { POLICY("package agent_policy\ndefault ExecProcessRequest = true\n"), 0, 0, "IDT-POL004",
      NOTE, 6, 9 },
    { POLICY("package agent_policy\ndefault ExecProcessRequest := false\n"
             "# default ExecProcessRequest := true\nx := \"default ExecProcessRequest := true\"\n"
             "y := `\ndefault ExecProcessRequest := true`\nz := input.default\n"),
      0, 0, "IDT-POL004", ABSENT, 0, 0 },
    { POLICY("package agent_policy\ndefault AllowRequestsFailingPolicy := true\n"), 0, 0,
      "IDT-POL005", WARN, 6, 9 },
    { POLICY("package agent_policy\ndefault AllowRequestsFailingPolicy := false\n"), 0, 0,
      "IDT-POL005", ABSENT, 0, 0 },
    { POLICY("package agent_policy\ndefault CopyFileRequest := true\n"
             "default CopyFileRequest := false\n"),
      0, 0, "IDT-POL006", ERR, 7, 9 },
    { POLICY("package agent_policy\ndefault CopyFileRequest := true\nCopyFileRequest if {\n}\n"),
      0, 0, "IDT-POL006", ABSENT, 0, 0 },
    { POLICY("package agent_policy\npolicy_data := {\"a\": 1,}\n"), 0, 0, "IDT-POL007", WARN, 6,
      16 },
    { POLICY("package agent_policy\npolicy_data := {\"a\": 1}\nx := 1\n"), 0, 0, "IDT-POL007",
      WARN, 6, 16 },
    { POLICY("package agent_policy\npolicy_data := {\"a\": [1, {\"b\": null}]}\n\n"), 0, 0,
      "IDT-POL007", ABSENT, 0, 0 },
    { POLICY("package agent_policy\npolicy_data = {\"a\": 1,}\n"), 0, 0, "IDT-POL007", ABSENT,
      0, 0 },
    /* Platforms: errors when named, notes when none is. */
    { HEAD("sha384"), P(VTPM), 0, "IDT-PLAT001", ERR, 2, 13 },
    { HEAD("sha512"), 0, 0, "IDT-PLAT001", NOTE, 2, 13 },
    { HEAD("sha256"), P(VTPM) | P(TDX), 0, "IDT-PLAT001", ABSENT, 0, 0 },
    { HEAD("sha384"), P(TDX) | P(SNP), 0, "IDT-PLAT001", ABSENT, 0, 0 },
    { HEAD("sha256"), P(CCA), 0, "IDT-PLAT002", ERR, 2, 13 },
    { HEAD("sha384"), 0, 0, "IDT-PLAT002", NOTE, 2, 13 },
    { HEAD("sha512"), P(CCA), 0, "IDT-PLAT002", ABSENT, 0, 0 },
    { HEAD("sha512"), P(SE), 0, "IDT-PLAT003", WARN, 2, 13 },
    { HEAD("sha256"), 0, 0, "IDT-PLAT003", NOTE, 2, 13 },
    { HEAD("sha256"), P(TDX), 0, "IDT-PLAT003", ABSENT, 0, 0 },
    { HEAD("sha256"), P(SGX), 0, "IDT-PLAT004", NOTE, 2, 13 },
    { HEAD("sha256"), 0, 0, "IDT-PLAT004", ABSENT, 0, 0 },
    /* runtime-rs has no CCA arm in its platform match, so it builds no
     * Init-Data device for a CCA guest; the Go runtime passes the value to
     * QEMU (initdata-facts.md section 9).  Whatever the algorithm, and only
     * when cca is named. */
    { HEAD("sha512"), P(CCA), 0, "IDT-PLAT005", WARN, 2, 13 },
    { HEAD("sha256"), P(CCA) | P(TDX), 0, "IDT-PLAT005", WARN, 2, 13 },
    { HEAD("sha512"), 0, 0, "IDT-PLAT005", ABSENT, 0, 0 },
    { HEAD("sha512"), P(TDX) | P(SNP) | P(VTPM), 0, "IDT-PLAT005", ABSENT, 0, 0 },
};

#define NCASES (sizeof cases / sizeof cases[0])

static void test_lint__cases(void **state)
{
    (void)state;
    size_t failures = 0;
    for (size_t i = 0; i < NCASES; i++) {
        const lint_case *k = &cases[i];
        idt_test_diags f;
        /* The IDT-KBS003 cases run with the KBS URLs a cluster allows. */
        run_allowing(&f, k->text, k->platforms, k->now,
                     strcmp(k->code, "IDT-KBS003") == 0 ? ALLOWED_KBS : NULL);
        const idt_doc_diag *d = find(&f, k->code);
        bool ok = k->severity == ABSENT
                      ? d == NULL
                      : d && (int)d->severity == k->severity &&
                            (!k->line || (d->span.line == k->line && d->span.column == k->column));
        if (!ok) {
            failures++;
            printf("case %zu (%s, %s): got %s", i, k->code,
                   k->severity == ABSENT ? "must not fire" : "must fire", d ? "" : "nothing");
            if (d)
                printf("severity %d at %u:%u: %s", (int)d->severity, (unsigned)d->span.line,
                       (unsigned)d->span.column, d->message);
            printf("\n");
        }
    }
    assert_int_equal(failures, 0);
}

/* Every code of one registry has a case that trips it and one that does
 * not, is found by idt_lint_code_info, and is documented in the man page;
 * codes are unique across both registries.  Returns how many it checked. */
static size_t check_registry(const idt_code_info *all, size_t n, const char *man,
                             const idt_code_info *other, size_t nother)
{
    for (size_t i = 0; i < n; i++) {
        bool trips = false, passes = false;
        for (size_t j = 0; j < NCASES; j++)
            if (strcmp(cases[j].code, all[i].code) == 0) {
                trips |= cases[j].severity != ABSENT;
                passes |= cases[j].severity == ABSENT;
            }
        if (!trips || !passes)
            printf("%s: a case that trips it: %s, one that does not: %s\n", all[i].code,
                   trips ? "yes" : "NO", passes ? "yes" : "NO");
        assert_true(trips && passes);
        assert_ptr_equal(idt_lint_code_info(all[i].code), &all[i]);
        assert_true(all[i].name[0] && all[i].summary[0]);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(all[i].code, all[j].code);
        for (size_t j = 0; j < nother; j++)
            assert_string_not_equal(all[i].code, other[j].code);
        /* roff writes the dash as \-: "IDT\-KEY001". */
        char roff[32];
        snprintf(roff, sizeof roff, "IDT\\-%s", all[i].code + 4);
        if (!strstr(man, roff))
            printf("%s is not in initdata-check.1\n", all[i].code);
        assert_non_null(strstr(man, roff));
    }
    return n;
}

static void test_lint__every_check_is_tested(void **state)
{
    (void)state;
    size_t ndoc = 0, nlint = 0;
    const idt_code_info *doc = idt_doc_codes(&ndoc), *lint = idt_lint_codes(&nlint);
    char *man = idt_test_read_source("docs/man/initdata-check.1", NULL);
    assert_int_equal(check_registry(doc, ndoc, man, lint, nlint), 9);
    assert_int_equal(check_registry(lint, nlint, man, doc, ndoc), 30);
    assert_null(idt_lint_code_info("IDT-NONE999"));
    assert_null(idt_lint_code_info(NULL));
    free(man);
}

/* --- what a finding carries --------------------------------------------- */

static void test_lint__diag_fields(void **state)
{
    (void)state;
    idt_test_diags f;
    const char *text = AA("[token_configs.kbs]\nurl = 'http://kbs'\ncert = 'x'\n");
    assert_int_equal(run(&f, text, 0, 0), IDT_ESCHEMA);
    const idt_doc_diag *d = find(&f, "IDT-CERT001");
    assert_non_null(d);
    assert_int_equal(d->rule, IDT_DOC_RULE_LINT);
    assert_string_equal(idt_doc_rule_name(d->rule), "lint");
    assert_int_equal(d->code, IDT_ESCHEMA);
    assert_int_equal(d->rejected_by, IDT_CONSUMER_AA);
    assert_string_equal(d->entry, "aa.toml");
    assert_int_equal(d->entry_line, 3);
    assert_int_equal(d->entry_column, 8);
    assert_int_equal(d->span.line, 7);
    assert_int_equal(d->span.column, 8);
    assert_int_equal(d->span.length, 3); /* 'x' */
    assert_int_equal(d->span.offset, strstr(text, "'x'") - text);
    assert_string_equal(d->message,
                        "token_configs.kbs.cert is not a certificate OpenSSL can read: there is "
                        "no PEM block (-----BEGIN CERTIFICATE-----); the attestation-agent fails "
                        "to set up its connection to the KBS");
    d = find(&f, "IDT-KBS002");
    assert_non_null(d);
    assert_int_equal(d->rejected_by, 0); /* notes reject nothing */
    /* A document-level finding has no entry. */
    run(&f, HEAD("sha384"), P(VTPM), 0);
    d = find(&f, "IDT-PLAT001");
    assert_non_null(d);
    assert_null(d->entry);
    assert_int_equal(d->entry_line, 0);
    assert_int_equal(d->rejected_by, IDT_CONSUMER_AA | IDT_CONSUMER_TRUSTEE);
    /* The document rules carry their codes too. */
    run(&f, HEAD("sha-1"), 0, 0);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.d[0].check, "IDT-DOC005");
    assert_null(f.d[0].entry);
}

static void test_lint__messages(void **state)
{
    (void)state;
    idt_test_diags f;
    run(&f, AA("[token_config]\n"), 0, 0);
    assert_string_equal(find(&f, "IDT-KEY001")->message,
                        "unknown key \"token_config\" (the attestation-agent ignores it); did you "
                        "mean \"token_configs\"?");
    run(&f, AA("[token_configs.kbs]\nurll = 'x'\n"), 0, 0);
    assert_string_equal(find(&f, "IDT-KEY001")->message,
                        "unknown key \"urll\" in [token_configs.kbs] (the attestation-agent "
                        "ignores it); did you mean \"url\"?");
    assert_string_equal(find(&f, "IDT-KEY003")->message,
                        "[token_configs.kbs] has no url (the attestation-agent requires it and "
                        "fails to load aa.toml)");
    run(&f, AA("[frobnicate]\n"), 0, 0); /* nothing close: no suggestion */
    assert_string_equal(find(&f, "IDT-KEY001")->message,
                        "unknown key \"frobnicate\" (the attestation-agent ignores it)");
    run(&f, CDH(""), 0, 0);
    assert_string_equal(find(&f, "IDT-KEY003")->message,
                        "cdh.toml has no [kbc] table (the confidential-data-hub requires it and "
                        "fails to load cdh.toml)");
    assert_int_equal(find(&f, "IDT-KEY003")->rejected_by, IDT_CONSUMER_CDH);
    run(&f, POLICY("package agent_policy\ndefault ExecProcesRequest := false\n"), 0, 0);
    assert_string_equal(find(&f, "IDT-POL003")->message,
                        "default rule \"ExecProcesRequest\" is not a request the kata agent "
                        "knows, so the agent never asks for it and it has no effect; did you "
                        "mean \"ExecProcessRequest\"?");
    run(&f, HEAD("sha512"), P(CCA), 0);
    assert_string_equal(find(&f, "IDT-PLAT005")->message,
                        "cca with runtime-rs: runtime-rs builds no Init-Data device for CCA "
                        "guests (its platform match has no CCA arm), so a CCA pod it starts gets "
                        "no Init-Data at all; the Go runtime passes the CCA personalization "
                        "value to QEMU");
    assert_int_equal(find(&f, "IDT-PLAT005")->rejected_by, 0);
    run(&f, HEAD("sha256"), 0, 0);
    assert_string_equal(find(&f, "IDT-PLAT003")->message,
                        "if this runs on se with a sha256 document: nobody checks the IBM SE "
                        "binding: kata computes the value but does not pass it to the VM");
    run(&f, AA(KBS_CERT(CERT)), 0, CERT_VALID);
    assert_string_equal(find(&f, "IDT-CERT003")->message,
                        "token_configs.kbs.cert: subject O=initdata,CN=initdata-test, valid until "
                        "2036-11-27 10:04:51 UTC");
    run(&f, AA(KBS_CERT(CERT)), 0, CERT_EXPIRED);
    assert_string_equal(find(&f, "IDT-CERT002")->message,
                        "token_configs.kbs.cert (subject O=initdata,CN=initdata-test) expired on "
                        "2036-11-27 10:04:51 UTC: TLS connections that rely on it fail");
}

/* --- positions inside an entry, mapped to the document ---------------------- */

typedef struct map_case {
    const char *text;
    const char *code;
    uint32_t line, column;             /* in the document */
    uint32_t entry_line, entry_column; /* in the entry */
    const char *at;                    /* the document text the span starts with */
} map_case;

static const map_case map_cases[] = {
    /* ''' starting with a newline (trimmed): entry line 2 is document line 6. */
    { AA("[log]\nlevell = 1\n"), "IDT-KEY001", 6, 1, 2, 1, "levell" },
    /* ''' without the newline: the first line shares the document's line. */
    { HEAD("sha256") "\"aa.toml\" = '''[log]\nlevell = 1'''\n", "IDT-KEY001", 5, 1, 2, 1,
      "levell" },
    { HEAD("sha256") "\"aa.toml\" = '''levell = 1'''\n", "IDT-KEY001", 4, 16, 1, 1, "levell" },
    /* CRLF documents: CRLF inside the ''' string reads as LF. */
    { "version = \"0.1.0\"\r\nalgorithm = \"sha256\"\r\n[data]\r\n\"aa.toml\" = '''\r\n"
      "[log]\r\n\r\n  levell = 1\r\n'''\r\n",
      "IDT-KEY001", 7, 3, 3, 3, "levell" },
    /* A TOML error inside the entry. */
    { "version = \"0.1.0\"\r\nalgorithm = \"sha256\"\r\n[data]\r\n\"aa.toml\" = '''\r\n"
      "[log]\r\nlevel = \r\n'''\r\n",
      "IDT-TOML001", 6, 9, 2, 9, "\r\n'''" },
    /* A one-line basic string: \n escapes are line ends of the entry. */
    { HEAD("sha256") "\"aa.toml\" = \"[log]\\nlevell = 1\\n\"\n", "IDT-KEY001", 4, 21, 2, 1,
      "levell" },
    /* \u escapes give several bytes; \" one. */
    { HEAD("sha256") "\"aa.toml\" = \"[log]\\nlevel = \\\"\\u00e9\\u20ac\\\"\\nfoo = 1\"\n",
      "IDT-KEY001", 4, 47, 3, 1, "foo" },
    { HEAD("sha256") "\"aa.toml\" = \"[log]\\nlevel = 7\"\n", "IDT-KEY004", 4, 29, 2, 9, "7" },
    /* A multi-line basic string with a line-ending backslash. */
    { HEAD("sha256") "\"aa.toml\" = \"\"\"\n[log]\nlevel = \\\n     7\nfoo = \\\"x\\\"\n\"\"\"\n",
      "IDT-KEY004", 7, 6, 2, 9, "7" },
    { HEAD("sha256") "\"aa.toml\" = \"\"\"\n[log]\nlevel = \\\n     7\nfoo = \\\"x\\\"\n\"\"\"\n",
      "IDT-KEY001", 8, 1, 3, 1, "foo" },
    /* A literal one-line string, and a dotted key. */
    { HEAD("sha256") "\"cdh.toml\" = '[kbc]'\n", "IDT-KEY003", 4, 15, 1, 1, "[kbc]" },
    { "version = \"0.1.0\"\nalgorithm = \"sha256\"\ndata.\"policy.rego\" = 'package x'\n",
      "IDT-POL002", 3, 31, 1, 9, "x'" },
    /* An entry-wide finding points at the literal, with no entry line. */
    { CDH(""), "IDT-KEY003", 4, 14, 0, 0, "'''" },
};

static void test_lint__positions(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof map_cases / sizeof map_cases[0]; i++) {
        const map_case *k = &map_cases[i];
        idt_test_diags f;
        run(&f, k->text, 0, 0);
        const idt_doc_diag *d = find(&f, k->code);
        if (!d || d->span.line != k->line || d->span.column != k->column ||
            d->entry_line != k->entry_line || d->entry_column != k->entry_column ||
            strncmp(k->text + d->span.offset, k->at, strlen(k->at)) != 0)
            printf("map case %zu: %s at %u:%u (entry %u:%u) offset %zu\n", i, k->code,
                   d ? (unsigned)d->span.line : 0, d ? (unsigned)d->span.column : 0,
                   d ? (unsigned)d->entry_line : 0, d ? (unsigned)d->entry_column : 0,
                   d ? d->span.offset : 0);
        assert_non_null(d);
        assert_int_equal(d->span.line, k->line);
        assert_int_equal(d->span.column, k->column);
        assert_int_equal(d->entry_line, k->entry_line);
        assert_int_equal(d->entry_column, k->entry_column);
        assert_memory_equal(k->text + d->span.offset, k->at, strlen(k->at));
    }
}

/* An escape maps to the whole escape: a finding about a value written as
 * "\u0037" (the digit 7) spans the six source bytes. */
static void test_lint__escape_span(void **state)
{
    (void)state;
    idt_test_diags f;
    const char *text = HEAD("sha256") "\"aa.toml\" = \"[log]\\nlevel = \\u0037\"\n";
    /* level = 7 (an integer for a string) after decoding. */
    run(&f, text, 0, 0);
    const idt_doc_diag *d = find(&f, "IDT-KEY004");
    assert_non_null(d);
    assert_int_equal(d->span.offset, strstr(text, "\\u0037") - text);
    assert_int_equal(d->span.length, 6);
}

/* --- the API's edges ---------------------------------------------------- */

static int stop_at_first(const idt_doc_diag *d, void *payload)
{
    (void)d;
    (*(int *)payload)++;
    return 42;
}

static void test_lint__api(void **state)
{
    (void)state;
    idt_doc *doc = NULL;
    const char *text = AA("[a]\n[b]\n");
    assert_status(idt_doc_parse(&doc, text, strlen(text), NULL, NULL), IDT_OK, NULL);
    /* Warnings only: IDT_OK; the callback may stop the run. */
    assert_status(idt_lint_check(doc, NULL, NULL, NULL, NULL), IDT_OK, NULL);
    int calls = 0;
    assert_int_equal(idt_lint_check(doc, NULL, stop_at_first, &calls, NULL), 42);
    assert_int_equal(calls, 1);
    idt_lint_options o = IDT_LINT_OPTIONS_INIT;
    o.platforms = 1u << 7; /* no such platform */
    idt_error err = { 0 };
    assert_status(idt_lint_check(doc, &o, NULL, NULL, &err), IDT_EINVAL, &err);
    o = (idt_lint_options)IDT_LINT_OPTIONS_INIT;
    o.version = 99;
    assert_status(idt_lint_check(doc, &o, NULL, NULL, NULL), IDT_EINVAL, NULL);
    assert_status(idt_lint_check(NULL, NULL, NULL, NULL, NULL), IDT_EINVAL, NULL);
    char *out = (char *)1;
    assert_status(idt_lint_claims(&out, NULL, doc, 4, NULL), IDT_EINVAL, NULL);
    assert_null(out);
    assert_status(idt_lint_claims(&out, NULL, NULL, 0, NULL), IDT_EINVAL, NULL);
    assert_status(idt_lint_claims(NULL, NULL, doc, 0, NULL), IDT_EINVAL, NULL);
    idt_doc_free(doc);
    /* The consumers, four of them now. */
    char buf[128];
    assert_int_equal(idt_consumers_format(buf, sizeof buf, IDT_CONSUMER_ALL | IDT_CONSUMER_CDH),
                     (int)strlen("kata, attestation-agent, Trustee and confidential-data-hub"));
    assert_string_equal(buf, "kata, attestation-agent, Trustee and confidential-data-hub");
    assert_int_equal(idt_consumers_format(buf, 10, IDT_CONSUMER_AA | IDT_CONSUMER_CDH), 43);
    assert_string_equal(buf, "attestati");
    assert_string_equal(idt_consumer_name(IDT_CONSUMER_CDH), "confidential-data-hub");
}

/* idt_lint_options.severities: unwanted findings are neither formatted
 * nor passed on, and an unwanted error still fails the check. */
static void test_lint__severities(void **state)
{
    (void)state;
    /* A note (plain http), a warning (unknown key) and an error (a KBS
     * that is not allowed). */
    const char *text = AA("[token_configs.kbs]\nurl = \"http://evil:8080\"\nurll = 1\n");
    idt_doc *doc = NULL;
    assert_status(idt_doc_parse(&doc, text, strlen(text), NULL, NULL), IDT_OK, NULL);
    static const char *const allowed[] = { "http://kbs:8080" };
    static const struct {
        unsigned mask;
        size_t errors, warnings, notes;
    } masks[] = {
        { 0, 1, 1, 3 }, /* the notes: plain http, and sha256 on cca and on se */
        { 1u << IDT_DOC_ERROR, 1, 0, 0 },
        { 1u << IDT_DOC_WARNING | 1u << IDT_DOC_NOTE, 0, 1, 3 },
        { 1u << IDT_DOC_NOTE, 0, 0, 3 },
    };
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        idt_lint_options o = IDT_LINT_OPTIONS_INIT;
        o.kbs_urls = allowed;
        o.kbs_url_count = 1;
        o.severities = masks[i].mask;
        idt_test_diags f;
        memset(&f, 0, sizeof f);
        assert_status(idt_lint_check(doc, &o, idt_test_collect, &f, NULL), IDT_ESCHEMA, NULL);
        size_t by[4] = { 0 };
        for (size_t k = 0; k < f.n; k++)
            by[f.d[k].severity]++;
        assert_int_equal(by[IDT_DOC_ERROR], masks[i].errors);
        assert_int_equal(by[IDT_DOC_WARNING], masks[i].warnings);
        assert_int_equal(by[IDT_DOC_NOTE], masks[i].notes);
    }
    idt_doc_free(doc);
}

/* The shared documents' structure in miniature: the seed page's policy
 * (all 36 requests, exec allowed) gives exactly one note. */
static void test_lint__seed_policy(void **state)
{
    (void)state;
    static const char *const names[] = {
        "AddARPNeighbors", "AddSwap", "CloseStdin", "CopyFile", "CreateContainer",
        "CreateSandbox", "DestroySandbox", "ExecProcess", "GetMetrics", "GetOOMEvent",
        "GuestDetails", "ListInterfaces", "ListRoutes", "MemHotplugByProbe", "OnlineCPUMem",
        "PauseContainer", "PullImage", "ReadStream", "RemoveContainer",
        "RemoveStaleVirtiofsShareMounts", "ReseedRandomDev", "ResumeContainer",
        "SetGuestDateTime", "SetPolicy", "SignalProcess", "StartContainer", "StartTracing",
        "StatsContainer", "StopTracing", "TtyWinResize", "UpdateContainer",
        "UpdateEphemeralMounts", "UpdateInterface", "UpdateRoutes", "WaitProcess",
        "WriteStream",
    };
    assert_int_equal(sizeof names / sizeof names[0], 36);
    char text[4096] = POLICY("package agent_policy\n\n");
    text[strlen(text) - 4] = '\0'; /* drop the closing ''' */
    for (size_t i = 0; i < 36; i++) {
        size_t n = strlen(text);
        snprintf(text + n, sizeof text - n, "default %sRequest := true\n", names[i]);
    }
    strcat(text, "'''\n");
    idt_test_diags f;
    assert_int_equal(run(&f, text, P(TDX), 0), IDT_OK);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.d[0].check, "IDT-POL004");
    assert_int_equal(f.d[0].entry_line, 10);
}

/* --- claims -------------------------------------------------------------- */

static char *claims_of(const char *text, unsigned flags)
{
    idt_doc *doc = NULL;
    assert_status(idt_doc_parse(&doc, text, strlen(text), NULL, NULL), IDT_OK, NULL);
    char *out = NULL;
    size_t len = 0;
    assert_status(idt_lint_claims(&out, &len, doc, flags, NULL), IDT_OK, NULL);
    assert_int_equal(len, strlen(out));
    assert_true(len > 0 && out[len - 1] == '\n');
    idt_doc_free(doc);
    return out;
}

static void assert_claims(const char *text, const char *want)
{
    char *got = claims_of(text, 0);
    if (strcmp(got, want) != 0)
        printf("got:  %swant: %s", got, want);
    assert_string_equal(got, want);
    idt_free(got);
}

static void test_lint__claims(void **state)
{
    (void)state;
    /* Empty TOML entries are empty objects; version and algorithm are out. */
    assert_claims(KATA_VECTOR, "{\"aa.toml\":{},\"cdh.toml\":{},\"policy.rego\":\"\"}\n");
    /* Scalars as serde_json writes toml::Value: inf/nan null, date-times
     * as toml's private struct, fractions without trailing zeros, a
     * written +00:00 kept; sorted keys. */
    assert_claims(AA("z = 1\na = nan\nb = -inf\nc = 1.5\nd = 1979-05-27T07:32:00Z\n"
                     "e = 1979-05-27T07:32:00+00:00\nf = 1979-05-27 07:32:00.500-07:30\n"
                     "g = 1979-05-27\nh = 07:32:00.000\ni = 1979-05-27T07:32:00.123456789\n"
                     "[[t]]\nx = true\n[[t]]\ny = [\"\\u0000\"]\n"),
                  "{\"aa.toml\":{\"a\":null,\"b\":null,\"c\":1.5,"
                  "\"d\":{\"$__toml_private_datetime\":\"1979-05-27T07:32:00Z\"},"
                  "\"e\":{\"$__toml_private_datetime\":\"1979-05-27T07:32:00+00:00\"},"
                  "\"f\":{\"$__toml_private_datetime\":\"1979-05-27T07:32:00.5-07:30\"},"
                  "\"g\":{\"$__toml_private_datetime\":\"1979-05-27\"},"
                  "\"h\":{\"$__toml_private_datetime\":\"07:32:00\"},"
                  "\"i\":{\"$__toml_private_datetime\":\"1979-05-27T07:32:00.123456789\"},"
                  "\"t\":[{\"x\":true},{\"y\":[\"\\u0000\"]}],\"z\":1}}\n");
    /* An entry that is not TOML stays a string; other entries are strings. */
    assert_claims(HEAD("sha256") "\"cdh.toml\" = '[kbc'\n\"x.json\" = '{}'\n",
                  "{\"cdh.toml\":\"[kbc\",\"x.json\":\"{}\"}\n");
    /* policy_data: from its '{' to the end, as one JSON value. */
    /* Trustee searches the raw text: a comment counts, the first
     * occurrence wins. */
    assert_claims(POLICY("package agent_policy\n# policy_data := {\"in\": \"a comment\"}\n"),
                  "{\"agent_policy_claims\":{\"in\":\"a comment\"}}\n");
    assert_claims(POLICY("# policy_data := {}\npolicy_data := {}\n"),
                  "{\"policy.rego\":\"# policy_data := {}\\npolicy_data := {}\\n\"}\n");
    assert_claims(POLICY("package agent_policy\npolicy_data := {\"b\": [1, 2.5], \"a\": {}, "
                         "\"a\": \"last\"}\n \n"),
                  "{\"agent_policy_claims\":{\"a\":\"last\",\"b\":[1,2.5]}}\n");
    /* The claim replaces an entry of the same name, as in Trustee. */
    assert_claims(HEAD("sha256") "\"agent_policy_claims\" = 'x'\n"
                                 "\"policy.rego\" = 'policy_data := {}'\n",
                  "{\"agent_policy_claims\":{}}\n");
    /* Not JSON to the end: Trustee keeps the policy as it is. */
    assert_claims(POLICY("policy_data := {}\nx := 1\n"),
                  "{\"policy.rego\":\"policy_data := {}\\nx := 1\\n\"}\n");
    char *pretty = claims_of(KATA_VECTOR, IDT_LINT_CLAIMS_PRETTY);
    assert_string_equal(pretty, "{\n  \"aa.toml\": {},\n  \"cdh.toml\": {},\n  \"policy.rego\": \"\"\n}\n");
    idt_free(pretty);
}

/* serde_json gives up 128 levels deep; so does the claim. */
static void test_lint__claims_depth(void **state)
{
    (void)state;
    for (int levels = 126; levels <= 128; levels++) {
        char text[1024] = HEAD("sha256") "\"policy.rego\" = 'policy_data := {\"a\":";
        for (int i = 1; i < levels; i++)
            strcat(text, "[");
        strcat(text, "1");
        for (int i = 1; i < levels; i++)
            strcat(text, "]");
        strcat(text, "}'\n");
        char *out = claims_of(text, 0);
        bool claimed = strncmp(out, "{\"agent_policy_claims\"", 22) == 0;
        assert_int_equal(claimed, levels <= 127);
        idt_free(out);
        idt_test_diags f;
        run(&f, text, 0, 0);
        assert_int_equal(find(&f, "IDT-POL007") != NULL, levels > 127);
    }
}

/* The claims are JSON that jansson reads back to the same entries. */
static void test_lint__claims_roundtrip(void **state)
{
    (void)state;
    char *out = claims_of(AA("[token_configs.kbs]\nurl = \"https://kbs\"\ncert = \"\"\"\n"
                             "a\\tb \\u00e9\"\"\"\n"),
                          IDT_LINT_CLAIMS_PRETTY);
    json_error_t jerr;
    json_t *v = json_loads(out, 0, &jerr);
    assert_non_null(v);
    json_t *cert = json_object_get(
        json_object_get(json_object_get(json_object_get(v, "aa.toml"), "token_configs"), "kbs"),
        "cert");
    assert_string_equal(json_string_value(cert), "a\tb \xc3\xa9");
    json_decref(v);
    idt_free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lint__cases),
        cmocka_unit_test(test_lint__every_check_is_tested),
        cmocka_unit_test(test_lint__diag_fields),
        cmocka_unit_test(test_lint__messages),
        cmocka_unit_test(test_lint__positions),
        cmocka_unit_test(test_lint__escape_span),
        cmocka_unit_test(test_lint__api),
        cmocka_unit_test(test_lint__seed_policy),
        cmocka_unit_test(test_lint__claims),
        cmocka_unit_test(test_lint__claims_depth),
        cmocka_unit_test(test_lint__claims_roundtrip),
        cmocka_unit_test(test_lint__severities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
