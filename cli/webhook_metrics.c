/* GET /metrics (webhook.h): counters kept with atomics by the threads that
 * answer, written out in Prometheus' text format.  Process-wide, like the
 * log: the tool serves one webhook per process. */
#include "webhook.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

/* Upper bounds of the latency histogram, in microseconds. */
static const uint64_t bucket_us[] = { 100, 250, 500, 1000, 2500, 5000, 10000, 25000,
                                      50000, 100000, 250000, 500000, 1000000 };
#define NBUCKETS (sizeof bucket_us / sizeof bucket_us[0])
#define MAX_CODES 64

/* [endpoint 0 validate, 1 mutate][decision 1..3] */
static atomic_ullong reviews[2][4];
static atomic_ullong buckets[2][NBUCKETS];
static atomic_ullong latency_count[2], latency_sum_us[2];
/* Rejected requests by status; [0] counts any other status. */
static const unsigned rejected_status[] = { 0, 404, 405, 408, 413, 415, 500, 503 };
#define NREJECTED (sizeof rejected_status / sizeof rejected_status[0])
static atomic_ullong rejected[NREJECTED];
static atomic_ullong reloads[2]; /* [0] refused, [1] applied */
/* Denials by code: codes are static strings, so a slot is claimed once by
 * a compare-and-swap of the pointer and never moves. */
static _Atomic(const char *) denial_code[MAX_CODES];
static atomic_ullong denial_count[MAX_CODES];

static void count_denial(const char *code)
{
    for (size_t i = 0; i < MAX_CODES; i++) {
        const char *c = atomic_load(&denial_code[i]);
        if (!c) {
            const char *none = NULL;
            if (!atomic_compare_exchange_strong(&denial_code[i], &none, code) && none != code &&
                strcmp(none, code) != 0)
                continue; /* another code took the slot: look further */
            c = code;
        }
        if (c == code || strcmp(c, code) == 0) {
            atomic_fetch_add(&denial_count[i], 1);
            return;
        }
    }
}

void cli_webhook_metrics_review(const idt_admission_result *r, idt_admission_endpoint ep,
                                uint64_t micros)
{
    int e = ep == IDT_ADMISSION_MUTATE;
    unsigned d = (unsigned)r->decision <= 3 ? (unsigned)r->decision : 3;
    atomic_fetch_add(&reviews[e][d], 1);
    for (size_t i = 0; i < NBUCKETS; i++)
        if (micros <= bucket_us[i]) {
            atomic_fetch_add(&buckets[e][i], 1);
            break;
        }
    atomic_fetch_add(&latency_count[e], 1);
    atomic_fetch_add(&latency_sum_us[e], micros);
    if (r->decision == IDT_ADMISSION_DENY)
        for (size_t i = 0; i < r->code_count; i++)
            count_denial(r->codes[i]);
}

void cli_webhook_metrics_rejected(unsigned status)
{
    size_t k = 0;
    for (size_t i = 1; i < NREJECTED; i++)
        if (rejected_status[i] == status)
            k = i;
    atomic_fetch_add(&rejected[k], 1);
}

void cli_webhook_metrics_reload(bool applied)
{
    atomic_fetch_add(&reloads[applied], 1);
}

static int header(idtx_buf *b, const char *name, const char *type, const char *help)
{
    return idtx_buf_printf(b, NULL, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static int render_reviews(idtx_buf *b)
{
    static const char *const ep[] = { "validate", "mutate" };
    IDTX_TRY(header(b, "initdata_webhook_reviews_total", "counter",
               "AdmissionReviews answered, by endpoint and decision."));
    for (int e = 0; e < 2; e++)
        for (int d = IDT_ADMISSION_ALLOW; d <= IDT_ADMISSION_INVALID; d++)
            IDTX_TRY(idtx_buf_printf(b, NULL,
                                "initdata_webhook_reviews_total{endpoint=\"%s\",decision=\"%s\"} "
                                "%llu\n",
                                ep[e], idt_admission_decision_name((idt_admission_decision)d),
                                (unsigned long long)atomic_load(&reviews[e][d])));
    IDTX_TRY(header(b, "initdata_webhook_review_duration_seconds", "histogram",
               "Time the decision took, by endpoint (TLS and HTTP not included)."));
    for (int e = 0; e < 2; e++) {
        unsigned long long cum = 0;
        for (size_t i = 0; i < NBUCKETS; i++) {
            cum += atomic_load(&buckets[e][i]);
            IDTX_TRY(idtx_buf_printf(b, NULL,
                                "initdata_webhook_review_duration_seconds_bucket{endpoint=\"%s\","
                                "le=\"%g\"} %llu\n",
                                ep[e], (double)bucket_us[i] / 1e6, cum));
        }
        unsigned long long n = atomic_load(&latency_count[e]);
        IDTX_TRY(idtx_buf_printf(b, NULL,
                            "initdata_webhook_review_duration_seconds_bucket{endpoint=\"%s\","
                            "le=\"+Inf\"} %llu\n"
                            "initdata_webhook_review_duration_seconds_sum{endpoint=\"%s\"} %.6f\n"
                            "initdata_webhook_review_duration_seconds_count{endpoint=\"%s\"} "
                            "%llu\n",
                            ep[e], n, ep[e], (double)atomic_load(&latency_sum_us[e]) / 1e6, ep[e],
                            n));
    }
    return IDT_OK;
}

int cli_webhook_metrics_render(idtx_buf *b)
{
    IDTX_TRY(render_reviews(b));
    IDTX_TRY(header(b, "initdata_webhook_denials_total", "counter",
               "Denied reviews, by the check code of each finding they carried."));
    for (size_t i = 0; i < MAX_CODES; i++) {
        const char *c = atomic_load(&denial_code[i]);
        if (c)
            IDTX_TRY(idtx_buf_printf(b, NULL, "initdata_webhook_denials_total{code=\"%s\"} %llu\n", c,
                                (unsigned long long)atomic_load(&denial_count[i])));
    }
    IDTX_TRY(header(b, "initdata_webhook_rejected_total", "counter",
               "Requests answered without a review, by HTTP status."));
    for (size_t i = 1; i < NREJECTED; i++)
        IDTX_TRY(idtx_buf_printf(b, NULL, "initdata_webhook_rejected_total{status=\"%u\"} %llu\n",
                            rejected_status[i], (unsigned long long)atomic_load(&rejected[i])));
    IDTX_TRY(idtx_buf_printf(b, NULL, "initdata_webhook_rejected_total{status=\"other\"} %llu\n",
                        (unsigned long long)atomic_load(&rejected[0])));
    IDTX_TRY(header(b, "initdata_webhook_reloads_total", "counter",
               "Reloads of the configuration and certificate, by result."));
    IDTX_TRY(idtx_buf_printf(b, NULL,
                        "initdata_webhook_reloads_total{result=\"applied\"} %llu\n"
                        "initdata_webhook_reloads_total{result=\"refused\"} %llu\n",
                        (unsigned long long)atomic_load(&reloads[1]),
                        (unsigned long long)atomic_load(&reloads[0])));
    IDTX_TRY(header(b, "initdata_webhook_certificate_expiry_seconds", "gauge",
               "Seconds until the serving certificate expires (negative: expired)."));
    int64_t left = cli_webhook_tls_not_after() - (int64_t)time(NULL);
    return idtx_buf_printf(b, NULL, "initdata_webhook_certificate_expiry_seconds %lld\n",
                           (long long)left);
}
