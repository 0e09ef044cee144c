/*
 * bench_json.c - the JSON reader (lib/util/json_read.h) next to jansson.
 *
 *   bench_json [--rounds R] [--min-round-ms MS] [--raw] INPUT...
 *
 * INPUT is a file, or one of the documents the benchmark builds itself:
 *   @admission-review  a ~5 KB AdmissionReview (admission.k8s.io/v1) whose
 *                      request.object is a Pod carrying a ~650-byte base64
 *                      Init-Data annotation: what the webhook reads per pod;
 *   @generated-64k     a ~64 KB List of objects with every kind of value:
 *                      escapes, \u and raw UTF-8, numbers, nesting.
 * For each input, best of R rounds (bench.h), the same bytes through
 *   initdata  idtx_json_parse + idtx_json_dispose (depth 128, 1M tokens);
 *   jansson   json_loadb + json_decref (the tree the library otherwise
 *             uses, and the peer: if it fails to read the input, the
 *             benchmark fails);
 *   floor     one memchr over the bytes for a byte that is not there: what
 *             touching every byte once costs here.
 * and prints one line per input:
 *   json NAME (N bytes): initdata X MB/s (U us/doc), jansson X MB/s (U us/doc),
 *   ratio R.Rx; floor (memchr) X MB/s (U us/doc)
 * With --raw, the numbers only: "ours_mbps jansson_mbps floor_mbps bytes".
 * Both readers must accept every input before anything is timed.
 * Exit status: 0; 1 when an input or a reader failed; 2 on a bad command line.
 */
#include "bench.h"

#include "util/json_read.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>

#define DEPTH 128u
#define TOKENS ((size_t)1 << 20)

/* ---- building the documents -------------------------------------------------- */

typedef struct strbuf {
    char *data;
    size_t len, cap;
} strbuf;

static void put(strbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(strbuf *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *p = realloc(t->data, cap);
        if (!p)
            abort();
        t->data = p;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->data + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static uint32_t rng_state = 20261208u;

static uint32_t rnd(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

/* n bytes of (deterministic) noise as base64: 4 * ceil(n / 3) characters. */
static void put_base64(strbuf *t, size_t n)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = rnd() & 0xffffff;
        put(t, "%c%c%c%c", a[v >> 18 & 63], a[v >> 12 & 63], a[v >> 6 & 63], a[v & 63]);
    }
}

static void put_pod(strbuf *t, int env_vars)
{
    put(t, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"nginx-kata-cc\","
           "\"namespace\":\"confidential\",\"uid\":\"4a8e2d5c-1f3b-4c7a-9e0d-6b2f8a1c3e57\","
           "\"creationTimestamp\":null,\"labels\":{\"app\":\"nginx\",\"tier\":\"frontend\","
           "\"app.kubernetes.io/managed-by\":\"kustomize\"},\"annotations\":{"
           "\"io.containerd.cri.runtime-handler\":\"kata-qemu-snp\","
           "\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"apiVersion\\\":"
           "\\\"v1\\\",\\\"kind\\\":\\\"Pod\\\",\\\"metadata\\\":{\\\"name\\\":"
           "\\\"nginx-kata-cc\\\"}}\\n\","
           "\"io.katacontainers.config.hypervisor.cc_init_data\":\"H4sIAAAAAAAA/");
    put_base64(t, 474);
    put(t, "\"}},\"spec\":{\"runtimeClassName\":\"kata-qemu-snp\",\"restartPolicy\":\"Always\","
           "\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\","
           "\"serviceAccountName\":\"default\",\"containers\":[");
    for (int c = 0; c < 2; c++) {
        put(t, "%s{\"name\":\"%s\",\"image\":\"registry.example.com/%s@sha256:", c ? "," : "",
            c ? "sidecar" : "nginx", c ? "envoy" : "nginx");
        for (int k = 0; k < 8; k++)
            put(t, "%08x", rnd());
        put(t, "\",\"imagePullPolicy\":\"IfNotPresent\",\"command\":[\"/bin/sh\",\"-c\"],"
               "\"args\":[\"exec nginx -g 'daemon off;'\"],\"ports\":[{\"containerPort\":%d,"
               "\"protocol\":\"TCP\",\"name\":\"http\"}],\"resources\":{\"limits\":{\"cpu\":"
               "\"500m\",\"memory\":\"256Mi\"},\"requests\":{\"cpu\":\"250m\",\"memory\":"
               "\"128Mi\"}},\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":101,"
               "\"allowPrivilegeEscalation\":false,\"readOnlyRootFilesystem\":true,"
               "\"capabilities\":{\"drop\":[\"ALL\"]}},\"env\":[", 8080 + c);
        for (int e = 0; e < env_vars; e++)
            put(t, "%s{\"name\":\"SETTING_%d\",\"value\":\"value-%u\"}", e ? "," : "", e, rnd());
        put(t, "],\"volumeMounts\":[{\"name\":\"config\",\"mountPath\":\"/etc/nginx/conf.d\","
               "\"readOnly\":true}],\"readinessProbe\":{\"httpGet\":{\"path\":\"/healthz\","
               "\"port\":%d},\"initialDelaySeconds\":5,\"periodSeconds\":10}}", 8080 + c);
    }
    put(t, "],\"volumes\":[{\"name\":\"config\",\"configMap\":{\"name\":\"nginx-conf\","
           "\"defaultMode\":420}}],\"tolerations\":[{\"key\":\"node.kubernetes.io/not-ready\","
           "\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}]},"
           "\"status\":{}}");
}

/* A Pod review, with as many env variables as bring it to ~5 KB. */
static char *admission_review(size_t *len)
{
    for (int env = 0;; env++) {
        strbuf t = { 0 };
        rng_state = 20261208u;
        put(&t, "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                "\"request\":{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\","
                "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
                "\"requestKind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                "\"requestResource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
                "\"name\":\"nginx-kata-cc\",\"namespace\":\"confidential\","
                "\"operation\":\"CREATE\",\"userInfo\":{\"username\":\"system:serviceaccount:"
                "kube-system:replicaset-controller\",\"uid\":\"a7e0c7f4-2b1d-4b8e-9f3a-"
                "5d6c7e8f9a0b\",\"groups\":[\"system:serviceaccounts\","
                "\"system:serviceaccounts:kube-system\",\"system:authenticated\"]},\"object\":");
        put_pod(&t, env);
        put(&t, ",\"oldObject\":null,\"dryRun\":false,\"options\":{\"kind\":\"CreateOptions\","
                "\"apiVersion\":\"meta.k8s.io/v1\",\"fieldManager\":\"kubectl-client-side-apply\","
                "\"fieldValidation\":\"Strict\"}}}");
        if (t.len >= 5000) {
            *len = t.len;
            return t.data;
        }
        free(t.data);
    }
}

/* A List of objects with every kind of value, up to ~64 KB. */
static char *generated(size_t *len)
{
    static const char *const words[] = {
        "alpha", "beta\\n", "caf\\u00e9", "\\\"quoted\\\"", "na\xc3\xafve", "5\xe2\x82\xac",
        "tab\\there", "\xf0\x9f\x98\x80", "\\ud83d\\ude00", "path\\/to", "plain-text-value",
    };
    strbuf t = { 0 };
    rng_state = 64u;
    put(&t, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[");
    for (int i = 0; t.len < 65536 - 600; i++) {
        put(&t, "%s\n  {\"id\":%d,\"name\":\"item-%d\",\"score\":%d.%03u,\"ratio\":%ue-%u,"
                "\"enabled\":%s,\"parent\":null,\"tags\":[", i ? "," : "", i, i,
            (int)(rnd() % 2000) - 1000, rnd() % 1000, rnd() % 100, rnd() % 20,
            rnd() & 1 ? "true" : "false");
        for (unsigned k = 0, n = rnd() % 5; k < n; k++)
            put(&t, "%s\"%s\"", k ? "," : "", words[rnd() % (sizeof words / sizeof *words)]);
        put(&t, "],\"spec\":{\"replicas\":%u,\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},"
                "\"matrix\":[[%u,%u],[%u,-%u]],\"note\":\"%s %s\"}}",
            rnd() % 10, words[rnd() % (sizeof words / sizeof *words)], rnd() % 100, rnd() % 100,
            rnd() % 100, rnd() % 100, words[rnd() % (sizeof words / sizeof *words)],
            words[rnd() % (sizeof words / sizeof *words)]);
    }
    put(&t, "\n]}\n");
    *len = t.len;
    return t.data;
}

/* ---- the measured work --------------------------------------------------------- */

typedef struct job {
    const char *text;
    size_t len;
} job;

static volatile size_t sink;

static int ours_once(void *ctx)
{
    const job *b = ctx;
    idtx_json j;
    int rc = idtx_json_parse(&j, b->text, b->len, DEPTH, TOKENS, NULL);
    sink += j.ntok;
    idtx_json_dispose(&j);
    return rc;
}

static int jansson_once(void *ctx)
{
    const job *b = ctx;
    json_error_t error;
    json_t *root = json_loadb(b->text, b->len, 0, &error);
    if (!root)
        return -1;
    json_decref(root);
    return 0;
}

static int floor_once(void *ctx)
{
    const job *b = ctx;
    sink += memchr(b->text, '\x01', b->len) != NULL;
    return 0;
}

static int bench_input(const char *name, const bench_opts *o)
{
    job b;
    char *text;
    if (!strcmp(name, "@admission-review"))
        text = admission_review(&b.len);
    else if (!strcmp(name, "@generated-64k"))
        text = generated(&b.len);
    else
        text = bench_read_file(name, &b.len);
    if (!text)
        return -1;
    b.text = text;
    const char *label = name[0] == '@' ? name + 1 : strrchr(name, '/') ? strrchr(name, '/') + 1
                                                                        : name;
    /* Both must read it before anything is timed. */
    idtx_json j;
    idt_error err;
    if (idtx_json_parse(&j, b.text, b.len, DEPTH, TOKENS, &err) != IDT_OK) {
        fprintf(stderr, "json %s: FAILED (initdata: %u:%u: %s)\n", label, (unsigned)err.line,
                (unsigned)err.column, err.message);
        free(text);
        return -1;
    }
    size_t ntok = j.ntok;
    idtx_json_dispose(&j);
    json_error_t jerr;
    json_t *root = json_loadb(b.text, b.len, 0, &jerr);
    if (!root) {
        fprintf(stderr, "json %s: FAILED (peer jansson: %d:%d: %s)\n", label, jerr.line,
                jerr.column, jerr.text);
        free(text);
        return -1;
    }
    json_decref(root);
    if (memchr(b.text, '\x01', b.len)) {
        fprintf(stderr, "json %s: FAILED (the floor's byte 0x01 is in the input)\n", label);
        free(text);
        return -1;
    }

    long it_ours = 0, it_peer = 0, it_floor = 0;
    double ours = bench_measure(ours_once, &b, b.len, o, &it_ours);
    double peer = bench_measure(jansson_once, &b, b.len, o, &it_peer);
    double floor_mbps = bench_measure(floor_once, &b, b.len, o, &it_floor);
    free(text);
    if (ours <= 0 || peer <= 0 || floor_mbps <= 0) {
        fprintf(stderr, "json %s: FAILED (%s)\n", label,
                ours <= 0 ? "initdata" : peer <= 0 ? "peer jansson" : "floor");
        return -1;
    }
    if (o->raw) {
        printf("%.1f %.1f %.1f %zu\n", ours, peer, floor_mbps, b.len);
        return 0;
    }
    printf("json %s (%zu bytes, %zu tokens): initdata %.1f MB/s (%.2f us/doc), "
           "jansson %.1f MB/s (%.2f us/doc), ratio %.1fx; floor (memchr) %.0f MB/s "
           "(%.2f us/doc)\n",
           label, b.len, ntok, ours, (double)b.len / ours, peer, (double)b.len / peer,
           ours / peer, floor_mbps, (double)b.len / floor_mbps);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    return bench_main(argc, argv, bench_input);
}
