/*
 * fuzz_admission_review.c - idt_admission_review on arbitrary requests.
 *
 * Input: one mode byte, then the payload.  Mode bit 0 picks the endpoint
 * (validate or mutate).  With bit 1 clear the payload is the whole request
 * body; with it set the payload is put into a Pod review (as the pod's
 * JSON object when it starts with '{', else as the Init-Data annotation's
 * value), so that the fuzzer reaches the decision quickly.  The
 * configuration requires Init-Data on kata-qemu-tdx pods, allows one KBS,
 * turns notes into warnings, and injects a document in namespace "ns".
 *
 * Promises checked:
 *   - an answer for every input (IDT_OK), never an HTTP error but 400;
 *   - the body is JSON (jansson reads it, independently of our reader);
 *   - 200: an AdmissionReview v1 whose response.uid is the request's and
 *     whose allowed is a boolean matching the decision; a denial has a
 *     status with code 403 (or 400 for an unreadable review) and a message;
 *     every warning is at most 120 bytes without control characters; a
 *     patch is base64 of a JSON array and only comes from the mutating
 *     endpoint;
 *   - 400: a metav1.Status, and the decision is "invalid".
 */
#include "fuzz.h"
#include "initdata/admission.h"

#include <jansson.h>

static const char document[] =
    "version = \"0.1.0\"\nalgorithm = \"sha384\"\n[data]\n"
    "\"aa.toml\" = '''\n[token_configs.kbs]\nurl = \"https://kbs.example:8080\"\n'''\n";

static const char config_text[] =
    "[scope]\nruntime_classes = [\"kata-qemu-tdx\"]\n"
    "[validate]\nkbs_urls = [\"https://kbs.example:8080\"]\n"
    "[actions]\nnote = \"warn\"\n"
    "[[inject]]\ndocument = \"doc.toml\"\nnamespaces = [\"ns\"]\n";

/* Built once: the fuzzer calls the target many times in one process. */
static idt_admission_config *config(void)
{
    static idt_admission_config *cfg;
    if (cfg)
        return cfg;
    char dir[] = "/tmp/fuzz-admission-XXXXXX";
    fuzz_dir_with_file(dir, "doc.toml", document);
    char path[64];
    snprintf(path, sizeof path, "%s/doc.toml", dir);
    CHECK(idt_admission_config_parse(&cfg, config_text, sizeof config_text - 1, dir, NULL, NULL,
                                     NULL) == IDT_OK);
    unlink(path);
    rmdir(dir);
    return cfg;
}

static char *wrap(const uint8_t *p, size_t n, size_t *len)
{
    static const char head[] =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
        "{\"uid\":\"u-1\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
        "\"operation\":\"CREATE\",\"namespace\":\"ns\",\"object\":";
    static const char pod_head[] =
        "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"annotations\":"
        "{\"io.katacontainers.config.hypervisor.cc_init_data\":\"";
    static const char pod_tail[] = "\"}},\"spec\":{\"runtimeClassName\":\"kata-qemu-tdx\"}}";
    bool object = n && p[0] == '{';
    size_t cap = sizeof head + sizeof pod_head + sizeof pod_tail + n + 8;
    char *s = malloc(cap);
    CHECK(s != NULL);
    size_t o = 0;
    memcpy(s + o, head, sizeof head - 1), o += sizeof head - 1;
    if (!object)
        memcpy(s + o, pod_head, sizeof pod_head - 1), o += sizeof pod_head - 1;
    memcpy(s + o, p, n), o += n;
    if (!object)
        memcpy(s + o, pod_tail, sizeof pod_tail - 1), o += sizeof pod_tail - 1;
    memcpy(s + o, "}}", 2), o += 2;
    *len = o;
    return s;
}

static void check_review(const idt_admission_result *r, json_t *root, const char *body,
                         size_t len, bool mutate)
{
    CHECK(!strcmp(json_string_value(json_object_get(root, "apiVersion")), "admission.k8s.io/v1"));
    json_t *resp = json_object_get(root, "response");
    CHECK(json_is_object(resp));
    json_t *in = json_loadb(body, len, 0, NULL);
    json_t *uid = json_object_get(json_object_get(in, "request"), "uid");
    if (json_is_string(uid) && json_string_length(uid) < 256 &&
        !memchr(json_string_value(uid), '\0', json_string_length(uid)))
        CHECK(json_equal(uid, json_object_get(resp, "uid")));
    json_decref(in);
    json_t *allowed = json_object_get(resp, "allowed");
    CHECK(json_is_boolean(allowed));
    CHECK(json_is_true(allowed) == (r->decision == IDT_ADMISSION_ALLOW));
    if (!json_is_true(allowed)) {
        json_t *st = json_object_get(resp, "status");
        json_int_t code = json_integer_value(json_object_get(st, "code"));
        CHECK(code == (r->decision == IDT_ADMISSION_DENY ? 403 : 400));
        CHECK(json_is_string(json_object_get(st, "message")));
    }
    json_t *w;
    size_t i;
    json_array_foreach(json_object_get(resp, "warnings"), i, w) {
        const char *s = json_string_value(w);
        CHECK(s && strlen(s) <= IDT_ADMISSION_WARNING_MAX);
        for (const char *c = s; *c; c++)
            CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
    }
    json_t *patch = json_object_get(resp, "patch");
    CHECK(!patch || mutate);
    CHECK(!patch == !r->patched);
    if (patch)
        CHECK(!strcmp(json_string_value(json_object_get(resp, "patchType")), "JSONPatch"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    idt_admission_endpoint ep = data[0] & 1 ? IDT_ADMISSION_MUTATE : IDT_ADMISSION_VALIDATE;
    size_t len = size - 1;
    char *body = NULL;
    if (data[0] & 2) {
        body = wrap(data + 1, size - 1, &len);
    } else {
        body = malloc(len ? len : 1);
        CHECK(body != NULL);
        memcpy(body, data + 1, len);
    }
    idt_admission_result r;
    idt_error err = { 0 };
    CHECK(idt_admission_review(&r, config(), ep, body, len, &err) == IDT_OK);
    CHECK(r.http_status == 200 || r.http_status == 400);
    CHECK(r.body && r.body_len == strlen(r.body));
    json_error_t jerr;
    json_t *root = json_loadb(r.body, r.body_len, 0, &jerr);
    CHECK(root != NULL);
    if (r.http_status == 400) {
        CHECK(r.decision == IDT_ADMISSION_INVALID);
        CHECK(!strcmp(json_string_value(json_object_get(root, "kind")), "Status"));
    } else {
        check_review(&r, root, body, len, ep == IDT_ADMISSION_MUTATE);
    }
    char *line = NULL;
    CHECK(idt_admission_result_log(&line, NULL, &r, ep, 1, &err) == IDT_OK);
    json_t *log = json_loads(line, 0, NULL);
    CHECK(log != NULL);
    json_decref(log);
    idt_free(line);
    json_decref(root);
    idt_admission_result_dispose(&r);
    free(body);
    return 0;
}
