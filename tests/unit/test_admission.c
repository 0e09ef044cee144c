/* Unit tests of initdata/admission.h: requests that cannot be read, the
 * scope rules, actions, the platforms a runtime class implies, patches, and
 * one configuration shared by many threads. */
#include "idt_unit.h"
#include "initdata/admission.h"
#include "initdata/codec.h"

#include <pthread.h>
#include <unistd.h>

#define CUR "io.katacontainers.config.hypervisor.cc_init_data"
#define LEG "io.katacontainers.config.runtime.cc_init_data"

static const char doc256[] = "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n"
                             "\"aa.toml\" = '''\n[token_configs.kbs]\nurl = \"https://kbs\"\n'''\n";

static idt_admission_config *load(const char *text)
{
    idt_admission_config *cfg = NULL;
    idt_error err = { .source = "test.toml" };
    assert_status(idt_admission_config_parse(&cfg, text, strlen(text), NULL, NULL, NULL, &err),
                  IDT_OK, &err);
    return cfg;
}

/* A Pod review: namespace ns, runtime class rc (NULL: none), labels (JSON
 * object text or NULL), and annotations (JSON object text or NULL). */
static char *pod_review(const char *op, const char *ns, const char *rc, const char *labels,
                        const char *annotations)
{
    sbuf b = { 0 };
    sb_printf(&b, "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                  "\"request\":{\"uid\":\"u-1\",\"kind\":{\"group\":\"\",\"version\":\"v1\","
                  "\"kind\":\"Pod\"},\"operation\":\"%s\",\"namespace\":\"%s\",\"name\":\"p\","
                  "\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"",
              op, ns);
    if (labels)
        sb_printf(&b, ",\"labels\":%s", labels);
    if (annotations)
        sb_printf(&b, ",\"annotations\":%s", annotations);
    sb_puts(&b, "},\"spec\":{");
    if (rc)
        sb_printf(&b, "\"runtimeClassName\":\"%s\"", rc);
    sb_puts(&b, "}}}}");
    return b.data;
}

static char *annotation_of(const char *doc)
{
    char *v = NULL;
    size_t n;
    assert_status(idt_codec_encode(&v, &n, doc, strlen(doc), NULL, NULL), IDT_OK, NULL);
    sbuf b = { 0 };
    sb_printf(&b, "{\"" CUR "\":\"%s\"}", v);
    idt_free(v);
    return b.data;
}

static void review(idt_admission_result *r, const idt_admission_config *cfg,
                   idt_admission_endpoint ep, const char *body)
{
    idt_error err = { 0 };
    assert_status(idt_admission_review(r, cfg, ep, body, strlen(body), &err), IDT_OK, &err);
}

/* --- requests that cannot be read ------------------------------------------------ */

static void test_admission__unreadable(void **state)
{
    (void)state;
    idt_admission_config *cfg = load("");
    static const struct {
        const char *body;
        unsigned http;
        const char *in_body;
    } cases[] = {
        { "", 400, "\"reason\":\"BadRequest\",\"code\":400,\"message\":\"the request is not JSON: 1:1: " },
        { "{\"apiVersion\":", 400, "the request is not JSON: 1:15:" },
        { "[1,2]", 400, "not a JSON object" },
        { "{\"request\":{}}", 400, "has no request.uid" },
        { "{\"request\":{\"uid\":\"\"}}", 400, "has no request.uid" },
        { "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\","
          "\"request\":{\"uid\":\"x\"}}",
          200, "\"uid\":\"x\",\"allowed\":false,\"status\":{\"metadata\":{},\"status\":\"Failure\","
               "\"reason\":\"BadRequest\",\"code\":400" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
          "\"request\":{\"uid\":\"x\",\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\","
          "\"object\":null}}",
          200, "request.object is not an object" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        idt_admission_result r;
        review(&r, cfg, IDT_ADMISSION_VALIDATE, cases[i].body);
        if (!strstr(r.body, cases[i].in_body))
            print_error("case %zu: %s\n", i, r.body);
        assert_int_equal(r.http_status, cases[i].http);
        assert_int_equal(r.decision, IDT_ADMISSION_INVALID);
        assert_non_null(strstr(r.body, cases[i].in_body));
        idt_admission_result_dispose(&r);
    }
    /* 100,000 nested arrays: the depth bound answers, nothing recurses. */
    size_t n = 100000;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    idt_admission_result r;
    review(&r, cfg, IDT_ADMISSION_VALIDATE, deep);
    assert_int_equal(r.http_status, 400);
    assert_non_null(strstr(r.body, "1:129: the JSON text nests too deeply"));
    idt_admission_result_dispose(&r);
    free(deep);
    idt_admission_config_free(cfg);
}

/* --- what is in scope ------------------------------------------------------------ */

static void test_admission__scope(void **state)
{
    (void)state;
    idt_admission_config *cfg = load("[scope]\nruntime_class_prefixes = [\"kata-qemu-\"]\n"
                                     "exclude_namespaces = [\"kube-system\"]\n"
                                     "labels = { \"coco\" = \"on\" }\n");
    static const struct {
        const char *ns, *rc, *labels;
        idt_admission_decision want;
    } cases[] = {
        { "a", "kata-qemu-tdx", "{\"coco\":\"on\"}", IDT_ADMISSION_DENY },   /* missing */
        { "a", "kata-qemu-tdx", "{\"coco\":\"off\"}", IDT_ADMISSION_ALLOW }, /* labels */
        { "a", "kata-qemu-tdx", NULL, IDT_ADMISSION_ALLOW },
        { "kube-system", "kata-qemu-tdx", "{\"coco\":\"on\"}", IDT_ADMISSION_ALLOW },
        { "a", "kata-clh", "{\"coco\":\"on\"}", IDT_ADMISSION_ALLOW },      /* prefix */
        { "a", NULL, "{\"coco\":\"on\"}", IDT_ADMISSION_ALLOW },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *body = pod_review("CREATE", cases[i].ns, cases[i].rc, cases[i].labels, NULL);
        idt_admission_result r;
        review(&r, cfg, IDT_ADMISSION_VALIDATE, body);
        if (r.decision != cases[i].want)
            print_error("case %zu: %s\n", i, r.body);
        assert_int_equal(r.decision, cases[i].want);
        if (r.decision == IDT_ADMISSION_DENY) {
            assert_string_equal(r.codes[0], "IDT-ADM001");
            assert_string_equal(r.kind, "Pod");
            assert_string_equal(r.namespace_, "a");
            assert_string_equal(r.operation, "CREATE");
        }
        idt_admission_result_dispose(&r);
        free(body);
    }
    idt_admission_config_free(cfg);
}

/* UPDATE: judged only when the Init-Data (either key, or the runtime
 * class) changes; a kind of another API group is not ours. */
static void test_admission__update_and_group(void **state)
{
    (void)state;
    idt_admission_config *cfg = load("");
    static const char head[] =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
        "{\"uid\":\"u\",\"kind\":{\"group\":\"%s\",\"kind\":\"Pod\"},\"operation\":\"UPDATE\","
        "\"namespace\":\"a\",\"object\":{\"metadata\":{\"labels\":{\"x\":\"2\"}%s},"
        "\"spec\":{\"runtimeClassName\":\"kata-qemu-tdx\"}},\"oldObject\":{\"metadata\":"
        "{\"labels\":{\"x\":\"1\"}%s},\"spec\":{\"runtimeClassName\":\"%s\"}}}}";
    static const struct {
        const char *group, *ann, *old_ann, *old_rc;
        idt_admission_decision want;
    } cases[] = {
        { "", "", "", "kata-qemu-tdx", IDT_ADMISSION_ALLOW },   /* labels only */
        { "", "", "", "runc", IDT_ADMISSION_DENY },             /* class changed */
        { "", ",\"annotations\":{\"" CUR "\":\"x\"}", "", "kata-qemu-tdx",
          IDT_ADMISSION_DENY },                                 /* annotation added */
        { "", ",\"annotations\":{\"" CUR "\":\"x\"}",
          ",\"annotations\":{\"" CUR "\":\"\\u0078\"}", "kata-qemu-tdx",
          IDT_ADMISSION_ALLOW },                                /* the same, escaped */
        { "example.com", "", "", "runc", IDT_ADMISSION_ALLOW }, /* not the core Pod */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[2048];
        snprintf(body, sizeof body, head, cases[i].group, cases[i].ann, cases[i].old_ann,
                 cases[i].old_rc);
        idt_admission_result r;
        review(&r, cfg, IDT_ADMISSION_VALIDATE, body);
        if (r.decision != cases[i].want)
            print_error("case %zu: %s\n", i, r.body);
        assert_int_equal(r.decision, cases[i].want);
        idt_admission_result_dispose(&r);
    }
    idt_admission_config_free(cfg);
}

/* --- actions, algorithms and platforms -------------------------------------------- */

static idt_admission_decision decide(const char *config, const char *rc, const char *ann,
                                     char *codes, size_t cap)
{
    idt_admission_config *cfg = load(config);
    char *body = pod_review("UPDATE", "a", rc, NULL, ann);
    idt_admission_result r;
    review(&r, cfg, IDT_ADMISSION_VALIDATE, body);
    idt_admission_decision d = r.decision;
    codes[0] = '\0';
    for (size_t i = 0; i < r.code_count; i++)
        snprintf(codes + strlen(codes), cap - strlen(codes), "%s%s", i ? "," : "", r.codes[i]);
    idt_admission_result_dispose(&r);
    idt_admission_config_free(cfg);
    free(body);
    return d;
}

static void test_admission__rules(void **state)
{
    (void)state;
    char *ann = annotation_of(doc256);
    char codes[256];
    /* sha256 on a CCA class: Trustee needs sha512 (IDT-PLAT002, an error). */
    assert_int_equal(decide("", "kata-qemu-cca", ann, codes, sizeof codes), IDT_ADMISSION_DENY);
    assert_string_equal(codes, "IDT-PLAT002,IDT-PLAT005");
    assert_int_equal(decide("", "kata-qemu-tdx", ann, codes, sizeof codes), IDT_ADMISSION_ALLOW);
    assert_string_equal(codes, "");
    assert_int_equal(decide("[validate]\nplatforms = false\n", "kata-qemu-cca", ann, codes,
                            sizeof codes),
                     IDT_ADMISSION_ALLOW);
    /* Algorithms. */
    assert_int_equal(decide("[validate]\nalgorithms = [\"sha384\", \"sha512\"]\n", "kata-qemu-tdx",
                            ann, codes, sizeof codes),
                     IDT_ADMISSION_DENY);
    assert_string_equal(codes, "IDT-ADM003");
    /* An action per code: the plain-http note is ignored by default. */
    assert_int_equal(decide("[actions]\n\"IDT-KBS002\" = \"deny\"\n", "kata-qemu-tdx", ann, codes,
                            sizeof codes),
                     IDT_ADMISSION_ALLOW); /* https: no finding */
    /* coco-dev implies no platform, so the platform gotchas are notes. */
    assert_int_equal(decide("[actions]\nnote = \"audit\"\n", "kata-qemu-coco-dev", ann, codes,
                            sizeof codes),
                     IDT_ADMISSION_ALLOW);
    assert_string_equal(codes, "IDT-PLAT002,IDT-PLAT003");
    assert_int_equal(decide("", "kata-qemu-coco-dev", ann, codes, sizeof codes),
                     IDT_ADMISSION_ALLOW);
    assert_string_equal(codes, "");
    assert_int_equal(decide("[actions]\nerror = \"warn\"\n", "kata-qemu-cca", ann, codes,
                            sizeof codes),
                     IDT_ADMISSION_ALLOW);
    /* The budget. */
    assert_int_equal(decide("[validate]\nbudget = 100\n", "kata-qemu-tdx", ann, codes,
                            sizeof codes),
                     IDT_ADMISSION_DENY);
    assert_string_equal(codes, "IDT-ADM004");
    /* The legacy key: warn by default, deny on request. */
    char legacy[1024];
    snprintf(legacy, sizeof legacy, "{\"" LEG "\"%s", strchr(ann, ':'));
    assert_int_equal(decide("", "kata-qemu-tdx", legacy, codes, sizeof codes), IDT_ADMISSION_ALLOW);
    assert_string_equal(codes, "IDT-ADM005");
    assert_int_equal(decide("[validate]\nlegacy_key = \"deny\"\n", "kata-qemu-tdx", legacy, codes,
                            sizeof codes),
                     IDT_ADMISSION_DENY);
    assert_int_equal(decide("[validate]\nlegacy_key = \"allow\"\n", "kata-qemu-tdx", legacy, codes,
                            sizeof codes),
                     IDT_ADMISSION_ALLOW);
    assert_string_equal(codes, "");
    /* A value that is not a string. */
    assert_int_equal(decide("", "kata-qemu-tdx", "{\"" CUR "\":7}", codes, sizeof codes),
                     IDT_ADMISSION_DENY);
    assert_string_equal(codes, "IDT-ADM002");
    free(ann);
}

/* --- patches ----------------------------------------------------------------------- */

/* The decoded patch of a mutate response ("" when there is none). */
static void patch_of(const char *body, char *out, size_t cap)
{
    out[0] = '\0';
    const char *p = strstr(body, "\"patch\":\"");
    if (!p)
        return;
    p += 9;
    const char *e = strchr(p, '"');
    unsigned char *raw = NULL;
    size_t n = 0;
    /* A small decoder of our own: the test does not lean on the library's. */
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    raw = malloc((size_t)(e - p));
    uint32_t acc = 0;
    int bits = 0;
    for (const char *c = p; c < e && *c != '='; c++) {
        acc = acc << 6 | (uint32_t)(strchr(alphabet, *c) - alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            raw[n++] = (unsigned char)(acc >> bits);
        }
    }
    snprintf(out, cap, "%.*s", (int)n, raw);
    free(raw);
}

static void test_admission__patch(void **state)
{
    (void)state;
    char dir[] = "/tmp/idt-admission-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/d.toml", dir);
    FILE *f = fopen(path, "w");
    fputs(doc256, f);
    fclose(f);
    idt_admission_config *cfg = NULL;
    const char *text = "[[inject]]\ndocument = \"d.toml\"\nlabels = { app = \"x\" }\n";
    idt_error err = { 0 };
    assert_status(idt_admission_config_parse(&cfg, text, strlen(text), dir, NULL, NULL, &err),
                  IDT_OK, &err);
    size_t nfiles;
    const char *const *files = idt_admission_config_files(cfg, &nfiles);
    assert_int_equal(nfiles, 1);
    assert_string_equal(files[0], path);
    char *ann = annotation_of(doc256);
    const char *value = strchr(ann, ':') + 2;
    size_t vlen = strlen(value) - 2;
    static const struct {
        const char *labels, *annotations, *want_start;
    } cases[] = {
        { "{\"app\":\"x\"}", NULL, "[{\"op\":\"add\",\"path\":\"/metadata/annotations\","
                                   "\"value\":{\"" CUR "\":\"" },
        { "{\"app\":\"x\"}", "{\"a/b~c\":\"1\"}",
          "[{\"op\":\"add\",\"path\":\"/metadata/annotations/" CUR "\",\"value\":\"" },
        { "{\"app\":\"x\"}", "{\"" CUR "\":\"old\"}", "" }, /* kept */
        { "{\"app\":\"x\"}", "{\"" LEG "\":\"old\"}",
          "[{\"op\":\"add\",\"path\":\"/metadata/annotations/" CUR "\",\"value\":\"old\"},"
          "{\"op\":\"remove\",\"path\":\"/metadata/annotations/" LEG "\"}]" },
        { "{\"app\":\"y\"}", NULL, "" }, /* no rule */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *body = pod_review("CREATE", "a", "kata-qemu-snp", cases[i].labels,
                                cases[i].annotations);
        idt_admission_result r;
        review(&r, cfg, IDT_ADMISSION_MUTATE, body);
        char patch[4096];
        patch_of(r.body, patch, sizeof patch);
        if (strncmp(patch, cases[i].want_start, strlen(cases[i].want_start)) != 0)
            print_error("case %zu: %s\n", i, patch);
        assert_int_equal(strncmp(patch, cases[i].want_start, strlen(cases[i].want_start)), 0);
        assert_int_equal(r.patched, patch[0] != '\0');
        assert_int_equal(r.decision, IDT_ADMISSION_ALLOW);
        if (i < 2) /* the value is the document's annotation */
            assert_int_equal(memcmp(patch + strlen(cases[i].want_start), value, vlen), 0);
        /* Validating responses never carry a patch. */
        idt_admission_result v;
        review(&v, cfg, IDT_ADMISSION_VALIDATE, body);
        assert_null(strstr(v.body, "patch"));
        idt_admission_result_dispose(&v);
        idt_admission_result_dispose(&r);
        free(body);
    }
    free(ann);
    idt_admission_config_free(cfg);
    unlink(path);
    rmdir(dir);
}

/* --- configurations ------------------------------------------------------------------ */

static void test_admission__config_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int code;
        uint32_t line, column;
    } cases[] = {
        { "[server]\nport = 70000\n", IDT_ESCHEMA, 2, 8 },
        { "[scope]\nnamespaces = \"a\"\n", IDT_ESCHEMA, 2, 14 },
        { "[scope]\nnamespaces = [1]\n", IDT_ESCHEMA, 2, 15 },
        { "bogus = 1\n", IDT_ESCHEMA, 1, 1 },
        { "[validate]\nalgorithms = [\"md5\"]\n", IDT_ESCHEMA, 2, 15 },
        { "[[inject]]\nreplace = true\n", IDT_ESCHEMA, 1, 1 },
        { "[actions]\nwarning = \"loud\"\n", IDT_ESCHEMA, 2, 11 },
        { "x = [\n", IDT_ESYNTAX, 2, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        idt_admission_config *cfg = NULL;
        idt_error err = { 0 };
        int rc = idt_admission_config_parse(&cfg, cases[i].text, strlen(cases[i].text), NULL, NULL,
                                            NULL, &err);
        if (rc != cases[i].code || err.line != cases[i].line || err.column != cases[i].column)
            print_error("case %zu: %d %u:%u %s\n", i, rc, err.line, err.column, err.message);
        assert_int_equal(rc, cases[i].code);
        assert_null(cfg);
        assert_int_equal(err.line, cases[i].line);
        assert_int_equal(err.column, cases[i].column);
    }
    idt_admission_config *cfg = load("[server]\nport = 9443\nthreads = 3\ncert = \"/c.pem\"\n");
    const idt_admission_server *s = idt_admission_config_server(cfg);
    assert_int_equal(s->port, 9443);
    assert_int_equal(s->threads, 3);
    assert_string_equal(s->cert_file, "/c.pem");
    assert_null(s->key_file);
    assert_int_equal(s->max_body, IDT_ADMISSION_DEFAULT_MAX_BODY);
    idt_admission_config_free(cfg);
}

/* --- threads ------------------------------------------------------------------------ */

typedef struct job {
    const idt_admission_config *cfg;
    const char *body;
    int failures;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 200; i++) {
        idt_admission_result r;
        if (idt_admission_review(&r, j->cfg, IDT_ADMISSION_VALIDATE, j->body, strlen(j->body),
                                 NULL) != IDT_OK ||
            r.decision != IDT_ADMISSION_DENY || strcmp(r.codes[0], "IDT-ADM003") != 0)
            j->failures++;
        idt_admission_result_dispose(&r);
    }
    return NULL;
}

static void test_admission__threads(void **state)
{
    (void)state;
    idt_admission_config *cfg = load("[validate]\nalgorithms = [\"sha512\"]\n");
    char *ann = annotation_of(doc256);
    char *body = pod_review("CREATE", "a", "kata-qemu-tdx", NULL, ann);
    pthread_t t[4];
    job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (job){ cfg, body, 0 };
        assert_int_equal(pthread_create(&t[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(jobs[i].failures, 0);
    }
    free(body);
    free(ann);
    idt_admission_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_admission__unreadable),
        cmocka_unit_test(test_admission__scope),
        cmocka_unit_test(test_admission__update_and_group),
        cmocka_unit_test(test_admission__rules),
        cmocka_unit_test(test_admission__patch),
        cmocka_unit_test(test_admission__config_errors),
        cmocka_unit_test(test_admission__threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
