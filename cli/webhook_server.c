/* The webhook's HTTPS server (webhook.h), on libmicrohttpd with GnuTLS.
 *
 * Routes:
 *   POST /validate, POST /mutate   an AdmissionReview in, the library's
 *                                  answer out (the query, such as the API
 *                                  server's ?timeout=10s, is ignored);
 *   GET|HEAD /healthz              200 "ok" while the process serves;
 *   GET|HEAD /readyz               200 "ok" once serving, 503 while stopping;
 *   GET /metrics                   the counters, Prometheus text format;
 *   anything else                  404, or 405 with Allow for a wrong method.
 *
 * Bounds: the body is read into the request's own buffer, never past
 * max_body: a Content-Length over it is answered 413 before a byte of the
 * body is read; a body without one (chunked) that grows past it is
 * refused the moment it does.  A body that takes longer than
 * request_timeout to arrive is refused likewise (408); an idle connection
 * is closed after connection_timeout.  The bodies held at once, all
 * connections together, are bounded too (BODY_BUDGET_MIN, or four times
 * max_body): past that a request is refused with 503.  A POST whose media type is not
 * application/json gets 415 (the API server always sends it).  Every error
 * body is a metav1.Status, which is what client-go reads out of a non-2xx
 * answer; no answer ever carries Retry-After. */
#include "webhook.h"
#include "util/buf.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LISTEN_BACKLOG 1024
/* The first allocation of a body buffer (it doubles from there, up to
 * max_body): a Content-Length alone does not get more. */
#define BODY_FIRST_RESERVE ((size_t)64 << 10)
/* The bodies held at once, all connections together: at least this, and
 * at least four bodies of max_body.  Past it a request is refused (503),
 * so that max_connections slow uploads cannot take the machine's memory. */
#define BODY_BUDGET_MIN ((size_t)256 << 20)

/* The answers that do not depend on the request: made once, shared by
 * every connection (libmicrohttpd counts their references). */
enum {
    ANS_OK,
    ANS_NOT_READY,
    ANS_NOT_FOUND,
    ANS_POST_ONLY,
    ANS_GET_ONLY,
    ANS_TOO_LARGE,
    ANS_MEDIA_TYPE,
    ANS_TIMEOUT,
    ANS_INTERNAL,
    ANS_BUSY,
    ANS_COUNT
};

typedef struct canned {
    unsigned status;
    const char *body;
    const char *content_type;
    const char *allow;    /* the Allow header of a 405, or NULL */
    bool close;           /* Connection: close (the body was not read) */
    const char *log;      /* why, for the log line */
} canned;

#define STATUS_BODY(code, reason, message)                                                 \
    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","    \
    "\"message\":\"" message "\",\"reason\":\"" reason "\",\"code\":" #code "}"
#define JSON "application/json"

static const canned canned_answers[ANS_COUNT] = {
    [ANS_OK] = { 200, "ok", "text/plain; charset=utf-8", NULL, false, NULL },
    [ANS_NOT_READY] = { 503, "not ready", "text/plain; charset=utf-8", NULL, false, NULL },
    [ANS_NOT_FOUND] = { 404,
                      STATUS_BODY(404, "NotFound",
                                  "no such path: the webhook serves /validate, /mutate, "
                                  "/healthz, /readyz and /metrics"),
                      JSON, NULL, false, "no such path" },
    [ANS_POST_ONLY] = { 405,
                      STATUS_BODY(405, "MethodNotAllowed", "this path takes POST only"), JSON,
                      "POST", false, "this path takes POST only" },
    [ANS_GET_ONLY] = { 405,
                     STATUS_BODY(405, "MethodNotAllowed", "this path takes GET or HEAD only"),
                     JSON, "GET, HEAD", false, "this path takes GET or HEAD only" },
    [ANS_TOO_LARGE] = { 413,
                      STATUS_BODY(413, "RequestEntityTooLarge",
                                  "the request body is larger than the webhook's max_body"),
                      JSON, NULL, true, "the body is larger than max_body" },
    [ANS_MEDIA_TYPE] = { 415,
                       STATUS_BODY(415, "UnsupportedMediaType",
                                   "an AdmissionReview is sent as application/json"),
                       JSON, NULL, false, "the Content-Type is not application/json" },
    [ANS_TIMEOUT] = { 408,
                    STATUS_BODY(408, "Timeout",
                                "the request body took longer than the webhook's "
                                "request_timeout to arrive"),
                    JSON, NULL, true, "the body took longer than request_timeout" },
    [ANS_INTERNAL] = { 500,
                     STATUS_BODY(500, "InternalError",
                                 "the webhook could not answer (out of memory)"),
                     JSON, NULL, false, NULL },
    [ANS_BUSY] = { 503,
                   STATUS_BODY(503, "ServiceUnavailable",
                               "the webhook holds as many request bodies as it may"),
                   JSON, NULL, true, "the bodies held at once reached the budget" },
};

struct cli_webhook_server {
    struct MHD_Daemon *daemon;
    int listen_fd;
    unsigned port;
    cli_webhook_holder *holder;
    size_t max_body;
    size_t budget;                /* BODY_BUDGET_MIN */
    atomic_size_t buffered;       /* body bytes held by all requests */
    unsigned request_timeout;
    atomic_bool ready;
    atomic_uint inflight;         /* reviews between their headers and their end */
    struct MHD_Response *answers[ANS_COUNT];
};

/* One POST to a review endpoint, from its headers to its answer. */
typedef struct request {
    idt_admission_endpoint endpoint;
    idtx_buf body;
    size_t counted; /* bytes of it counted in the server's buffered */
    bool refused;   /* an answer (413, 408, 503) was queued mid-body */
    struct timespec start;
} request;

/* The state of a GET /healthz, /readyz or /metrics between its two calls. */
static request probe_tag, metrics_tag;

static uint64_t elapsed_us(const struct timespec *a, const struct timespec *b)
{
    int64_t us = ((int64_t)b->tv_sec - (int64_t)a->tv_sec) * 1000000 +
                 ((int64_t)b->tv_nsec - (int64_t)a->tv_nsec) / 1000;
    return us < 0 ? 0 : (uint64_t)us;
}

static enum MHD_Result answer_canned(cli_webhook_server *srv, struct MHD_Connection *c, int which,
                                     const char *method, const char *path)
{
    const canned *k = &canned_answers[which];
    if (k->log) {
        cli_webhook_log_rejected(k->status, method, path, k->log);
        cli_webhook_metrics_rejected(k->status);
    }
    return MHD_queue_response(c, k->status, srv->answers[which]);
}

/* Whether a Content-Type names application/json (parameters such as
 * charset allowed). */
static bool is_json(const char *ct)
{
    static const char want[] = "application/json";
    if (!ct)
        return false;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    if (strncasecmp(ct, want, sizeof want - 1) != 0)
        return false;
    char next = ct[sizeof want - 1];
    return next == 0 || next == ';' || next == ' ' || next == '\t';
}

/* The Content-Length header: 1 with *out set, 0 when there is none, -1
 * when it is not a number (libmicrohttpd refuses that one itself). */
static int content_length(struct MHD_Connection *c, unsigned long long *out)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!v)
        return 0;
    if (*v < '0' || *v > '9')
        return -1;
    char *end;
    errno = 0;
    *out = strtoull(v, &end, 10);
    if (errno == ERANGE)
        *out = ~0ULL;
    while (*end == ' ' || *end == '\t')
        end++;
    return *end ? -1 : 1;
}

/* The first call for a request: its headers are in.  Answers what can be
 * answered now; for a review, sets up the body's buffer. */
static enum MHD_Result begin(cli_webhook_server *srv, struct MHD_Connection *c, const char *url,
                             const char *method, void **con_cls)
{
    bool get = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
    if (!strcmp(url, "/healthz") || !strcmp(url, "/readyz")) {
        if (!get)
            return answer_canned(srv, c, ANS_GET_ONLY, method, url);
        /* Answered on the next call: an answer queued now, before the
         * request is read to its end, makes libmicrohttpd close the
         * connection (as it does, on purpose, for the refusals below). */
        *con_cls = &probe_tag;
        return MHD_YES;
    }
    if (!strcmp(url, "/metrics")) {
        if (!get)
            return answer_canned(srv, c, ANS_GET_ONLY, method, url);
        *con_cls = &metrics_tag;
        return MHD_YES;
    }
    idt_admission_endpoint ep;
    if (!strcmp(url, "/validate"))
        ep = IDT_ADMISSION_VALIDATE;
    else if (!strcmp(url, "/mutate"))
        ep = IDT_ADMISSION_MUTATE;
    else
        return answer_canned(srv, c, ANS_NOT_FOUND, method, url);
    if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
        return answer_canned(srv, c, ANS_POST_ONLY, method, url);
    if (!is_json(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                             MHD_HTTP_HEADER_CONTENT_TYPE)))
        return answer_canned(srv, c, ANS_MEDIA_TYPE, method, url);
    unsigned long long cl = 0;
    int has_cl = content_length(c, &cl);
    if (has_cl > 0 && cl > srv->max_body)
        return answer_canned(srv, c, ANS_TOO_LARGE, method, url);
    request *rq = calloc(1, sizeof *rq);
    if (!rq)
        return answer_canned(srv, c, ANS_INTERNAL, method, url);
    rq->endpoint = ep;
    atomic_fetch_add(&srv->inflight, 1);
    clock_gettime(CLOCK_MONOTONIC, &rq->start);
    idtx_buf_init(&rq->body, srv->max_body, "the request body");
    size_t first = has_cl > 0 && cl < BODY_FIRST_RESERVE ? (size_t)cl : 0;
    if (first && idtx_buf_reserve(&rq->body, first, NULL) < 0) {
        atomic_fetch_sub(&srv->inflight, 1);
        free(rq);
        return answer_canned(srv, c, ANS_INTERNAL, method, url);
    }
    *con_cls = rq;
    return MHD_YES;
}

/* A part of the body.  A body that grows past max_body or takes longer
 * than request_timeout is refused at once: with a 413/408 when
 * libmicrohttpd lets an answer go out before the body is read, else by
 * closing the connection. */
static enum MHD_Result take(cli_webhook_server *srv, struct MHD_Connection *c, request *rq,
                            const char *url, const char *method, const char *data, size_t *n)
{
    int refuse = -1;
    if (srv->request_timeout) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (elapsed_us(&rq->start, &now) > (uint64_t)srv->request_timeout * 1000000u)
            refuse = ANS_TIMEOUT;
    }
    if (refuse < 0 && *n > srv->max_body - rq->body.len)
        refuse = ANS_TOO_LARGE;
    if (refuse < 0) {
        size_t held = atomic_fetch_add(&srv->buffered, *n) + *n;
        rq->counted += *n;
        if (held > srv->budget)
            refuse = ANS_BUSY;
    }
    if (refuse < 0 && idtx_buf_put(&rq->body, data, *n, NULL) < 0)
        refuse = ANS_INTERNAL;
    if (refuse >= 0) {
        const canned *k = &canned_answers[refuse];
        bool sent = MHD_queue_response(c, k->status, srv->answers[refuse]) == MHD_YES;
        char msg[160];
        snprintf(msg, sizeof msg, "%s%s", k->log ? k->log : "out of memory reading the body",
                 sent ? "" : " (connection closed: the answer cannot go out mid-body)");
        cli_webhook_log_rejected(k->status, method, url, msg);
        cli_webhook_metrics_rejected(k->status);
        rq->refused = sent;
        return sent ? MHD_YES : MHD_NO; /* MHD_NO closes the connection */
    }
    *n = 0;
    return MHD_YES;
}

/* The whole body is in: the library's answer. */
static enum MHD_Result review(cli_webhook_server *srv, struct MHD_Connection *c, request *rq,
                              const char *url, const char *method)
{
    cli_webhook_cfg *ref;
    const idt_admission_config *cfg = cli_webhook_acquire(srv->holder, &ref);
    idt_admission_result r;
    idt_error err = { 0 };
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = idt_admission_review(&r, cfg, rq->endpoint, rq->body.data ? rq->body.data : "",
                                  rq->body.len, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cli_webhook_release(ref);
    if (rc < 0 || !r.body || (r.http_status != 200 && r.http_status != 400)) {
        cli_webhook_log_rejected(500, method, url, rc < 0 ? err.message
                                                          : "the library gave no answer");
        cli_webhook_metrics_rejected(500);
        idt_admission_result_dispose(&r);
        return MHD_queue_response(c, MHD_HTTP_INTERNAL_SERVER_ERROR, srv->answers[ANS_INTERNAL]);
    }
    char *line = NULL;
    size_t line_len = 0;
    cli_webhook_metrics_review(&r, rq->endpoint, elapsed_us(&t0, &t1));
    if (idt_admission_result_log(&line, &line_len, &r, rq->endpoint, elapsed_us(&t0, &t1),
                                 NULL) == IDT_OK)
        cli_webhook_log_line(line, line_len);
    idt_free(line);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r.body_len, r.body, MHD_RESPMEM_MUST_COPY);
    unsigned status = r.http_status;
    idt_admission_result_dispose(&r);
    if (!resp || MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, JSON) != MHD_YES) {
        if (resp)
            MHD_destroy_response(resp);
        cli_webhook_log_rejected(500, method, url, "out of memory for the answer");
        return MHD_queue_response(c, MHD_HTTP_INTERNAL_SERVER_ERROR, srv->answers[ANS_INTERNAL]);
    }
    enum MHD_Result q = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return q;
}

static enum MHD_Result answer_metrics(cli_webhook_server *srv, struct MHD_Connection *c,
                                      const char *method, const char *url)
{
    idtx_buf b;
    idtx_buf_init(&b, (size_t)1 << 20, "the metrics");
    struct MHD_Response *resp = NULL;
    if (cli_webhook_metrics_render(&b) == IDT_OK)
        resp = MHD_create_response_from_buffer(b.len, b.data, MHD_RESPMEM_MUST_COPY);
    idtx_buf_dispose(&b);
    if (!resp || MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                         "text/plain; version=0.0.4; charset=utf-8") != MHD_YES) {
        if (resp)
            MHD_destroy_response(resp);
        return answer_canned(srv, c, ANS_INTERNAL, method, url);
    }
    enum MHD_Result q = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return q;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *n, void **con_cls)
{
    (void)version;
    cli_webhook_server *srv = cls;
    request *rq = *con_cls;
    if (!rq)
        return begin(srv, c, url, method, con_cls);
    if (rq == &metrics_tag)
        return *n ? MHD_NO : answer_metrics(srv, c, method, url);
    if (rq == &probe_tag) {
        if (*n) /* a probe with a body: not one to read */
            return MHD_NO;
        bool ok = url[1] == 'h' || atomic_load(&srv->ready);
        return answer_canned(srv, c, ok ? ANS_OK : ANS_NOT_READY, method, url);
    }
    if (rq->refused) /* answered: more of the body is not read */
        return *n ? MHD_NO : MHD_YES;
    if (*n)
        return take(srv, c, rq, url, method, data, n);
    return review(srv, c, rq, url, method);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode why)
{
    (void)c, (void)why;
    cli_webhook_server *srv = cls;
    request *rq = *con_cls;
    if (rq && rq != &probe_tag && rq != &metrics_tag) {
        atomic_fetch_sub(&srv->buffered, rq->counted);
        atomic_fetch_sub(&srv->inflight, 1);
        idtx_buf_dispose(&rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

/* libmicrohttpd's own messages (a failed TLS handshake...), as log lines. */
static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = 0;
    cli_webhook_log_event("server", msg);
}

/* A listening socket on address:port.  "::" serves IPv4 too. */
static int listen_on(const char *address, unsigned port, int *fd_out, unsigned *bound,
                     char *why, size_t why_len)
{
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    char service[16];
    snprintf(service, sizeof service, "%u", port);
    int g = getaddrinfo(address, service, &hints, &ai);
    if (g != 0) {
        snprintf(why, why_len, "cannot listen on %s: not a numeric IPv4 or IPv6 address (%s)",
                 address, gai_strerror(g));
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM, 0);
    int one = 1, zero = 0;
    if (fd < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        (ai->ai_family == AF_INET6 &&
         setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) < 0) ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
        snprintf(why, why_len, "cannot listen on %s port %u: %s", address, port,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    *bound = port;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        *bound = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                : ((struct sockaddr_in *)&ss)->sin_port);
    *fd_out = fd;
    return 0;
}

static void free_answers(cli_webhook_server *srv)
{
    for (int i = 0; i < ANS_COUNT; i++)
        if (srv->answers[i]) {
            MHD_destroy_response(srv->answers[i]);
            srv->answers[i] = NULL;
        }
}

static int make_answers(cli_webhook_server *srv)
{
    for (int i = 0; i < ANS_COUNT; i++) {
        const canned *k = &canned_answers[i];
        struct MHD_Response *r = MHD_create_response_from_buffer(
            strlen(k->body), (void *)(uintptr_t)k->body, MHD_RESPMEM_PERSISTENT);
        if (!r)
            return -1;
        srv->answers[i] = r;
        if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, k->content_type) !=
                MHD_YES ||
            (k->allow && MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, k->allow) != MHD_YES) ||
            (k->close &&
             MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close") != MHD_YES))
            return -1;
    }
    return 0;
}

int cli_webhook_server_start(cli_webhook_server **out, const cli_webhook_settings *s,
                             cli_webhook_holder *holder, char *why, size_t why_len)
{
    *out = NULL;
    cli_webhook_server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    srv->holder = holder;
    srv->max_body = s->max_body;
    srv->budget = s->max_body <= BODY_BUDGET_MIN / 4 ? BODY_BUDGET_MIN
                  : s->max_body <= SIZE_MAX / 4       ? 4 * s->max_body
                                                      : SIZE_MAX;
    atomic_init(&srv->buffered, 0);
    srv->request_timeout = s->request_timeout;
    srv->listen_fd = -1;
    atomic_init(&srv->ready, false);
    atomic_init(&srv->inflight, 0);
    if (make_answers(srv) < 0) {
        snprintf(why, why_len, "out of memory");
        goto fail;
    }
    if (listen_on(s->address, s->port, &srv->listen_fd, &srv->port, why, why_len) < 0)
        goto fail;
    unsigned flags = MHD_USE_TLS | MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG;
    if (strchr(s->address, ':'))
        flags |= MHD_USE_IPv6;
    /* The options: a thread pool of one means no pool. */
    struct MHD_OptionItem pool[] = {
        { s->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, s->threads, NULL },
        { MHD_OPTION_END, 0, NULL },
    };
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, handle, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, srv->listen_fd, MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
        MHD_OPTION_HTTPS_CERT_CALLBACK, &cli_webhook_tls_retrieve,
        MHD_OPTION_HTTPS_PRIORITIES, CLI_WEBHOOK_TLS_PRIORITIES, MHD_OPTION_CONNECTION_LIMIT,
        s->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT, 0u,
        MHD_OPTION_CONNECTION_TIMEOUT, s->connection_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, CLI_WEBHOOK_CONNECTION_MEMORY,
        MHD_OPTION_ARRAY, pool, MHD_OPTION_END);
    if (!srv->daemon) {
        snprintf(why, why_len,
                 "cannot start the HTTPS server (is the certificate a PEM chain and the key "
                 "its PEM private key?)");
        goto fail;
    }
    atomic_store(&srv->ready, true);
    *out = srv;
    return 0;
fail:
    if (srv->listen_fd >= 0)
        close(srv->listen_fd);
    free_answers(srv);
    free(srv);
    return -1;
}

unsigned cli_webhook_server_port(const cli_webhook_server *srv)
{
    return srv->port;
}

static void sleep_ms(unsigned ms)
{
    struct timespec t = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

void cli_webhook_server_stop(cli_webhook_server *srv, unsigned delay_s, unsigned grace_s)
{
    if (!srv)
        return;
    /* Not ready first, still serving: the endpoints controller takes the
     * pod out of the Service while requests already routed here finish. */
    atomic_store(&srv->ready, false);
    if (delay_s)
        sleep_ms(delay_s * 1000u);
    /* Quiescing stops accepting; the socket is then ours to close.  The
     * reviews in flight get up to grace_s to finish before the threads
     * stop (idle keep-alive connections are closed then). */
    MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    unsigned waited = 0, left = 0;
    while ((left = atomic_load(&srv->inflight)) > 0 && waited < grace_s * 1000u) {
        sleep_ms(10);
        waited += 10;
    }
    if (left) {
        char msg[96];
        snprintf(msg, sizeof msg, "%u review%s still in flight after the grace period", left,
                 left == 1 ? "" : "s");
        cli_webhook_log_event("grace-expired", msg);
    }
    MHD_stop_daemon(srv->daemon);
    free_answers(srv);
    free(srv);
}
