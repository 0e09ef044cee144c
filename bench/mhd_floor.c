/*
 * mhd_floor.c - the bare floor of `initdata webhook` for
 * bench/webhook_load.py: an HTTPS server on libmicrohttpd + GnuTLS that
 * reads each POST body in full and answers one fixed AdmissionReview
 * response (allowed), doing nothing else.  What it spends per request is
 * what TLS, HTTP/1.1 parsing and the body's transfer cost before any
 * admission work; a real webhook cannot go below it on the same stack.
 *
 *   mhd_floor ADDRESS PORT CERT KEY
 *
 * One polling thread with epoll (the benchmark pins the server to one
 * core), keep-alive, TLS 1.2 or later.  Runs until SIGTERM or SIGINT.
 * Bodies over 8 MiB get 413.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_BODY ((size_t)8 << 20)

static const char REPLY[] =
    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
    "\"response\":{\"uid\":\"00000000-0000-0000-0000-000000000000\",\"allowed\":true}}";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

/* Per request: how many body bytes came, and whether there were too many. */
typedef struct request {
    size_t received;
    int too_large;
} request;

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mhd_floor: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
        buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "mhd_floor: %s: cannot read\n", path);
        return NULL;
    }
    buf[size] = '\0';
    return buf;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *body,
                             size_t len, const char *type)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **state)
{
    (void)cls;
    (void)url;
    (void)version;
    request *req = *state;
    if (!req) {
        if (strcmp(method, "POST") != 0) {
            static const char msg[] = "POST only\n";
            return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, msg, sizeof msg - 1, "text/plain");
        }
        req = calloc(1, sizeof *req);
        if (!req)
            return MHD_NO;
        *state = req;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        (void)upload_data; /* the floor reads the body and ignores it */
        if (*upload_size > MAX_BODY - req->received)
            req->too_large = 1;
        else
            req->received += *upload_size;
        *upload_size = 0;
        return MHD_YES;
    }
    if (req->too_large) {
        static const char msg[] = "request body too large\n";
        return reply(conn, MHD_HTTP_CONTENT_TOO_LARGE, msg, sizeof msg - 1, "text/plain");
    }
    return reply(conn, MHD_HTTP_OK, REPLY, sizeof REPLY - 1, "application/json");
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    free(*state);
    *state = NULL;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s ADDRESS PORT CERT KEY\n", argv[0]);
        return 2;
    }
    char *end = NULL;
    long port = strtol(argv[2], &end, 10);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    if (!*argv[2] || *end || port < 1 || port > 65535 ||
        inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
        fprintf(stderr, "mhd_floor: bad address %s:%s (IPv4 address, port 1-65535)\n", argv[1],
                argv[2]);
        return 2;
    }
    addr.sin_port = htons((uint16_t)port);
    char *cert = read_file(argv[3]);
    char *key = read_file(argv[4]);
    if (!cert || !key)
        return 3;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TLS | MHD_USE_ERROR_LOG,
        (uint16_t)port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key,
        MHD_OPTION_HTTPS_PRIORITIES, "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "mhd_floor: cannot serve on %s:%ld\n", argv[1], port);
        return 3;
    }
    while (!stop)
        pause();
    MHD_stop_daemon(d);
    free(cert);
    free(key);
    return 0;
}
