/* initdata webhook: the Kubernetes admission webhook, an HTTPS server that
 * validates and injects Init-Data annotations by the rules of a
 * configuration file (the library decides: initdata/admission.h; the
 * server is webhook_server.c). */
/* sched_getaffinity and CPU_COUNT are GNU extensions. */
#define _GNU_SOURCE
#include "admission_cli.h"
#include "cmd.h"
#include "webhook_certs.h"
#include "diag.h"
#include "io.h"
#include "opt.h"
#include "webhook.h"
#include "util/buf.h"
#include "util/json.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The largest certificate chain or key file read. */
#define PEM_MAX ((size_t)1 << 20)
#define THREADS_MAX 256u

static const cli_help help = {
    "initdata webhook --config FILE [OPTIONS]\n"
    "       initdata webhook certs --service NAME --namespace NS --out DIR",
    "Serve the Kubernetes admission webhook over HTTPS: POST /validate checks\n"
    "the Init-Data annotation of Pods and pod templates, POST /mutate injects\n"
    "one into Pods, by the rules of the configuration FILE (TOML; its [server]\n"
    "table says where to listen, the certificate and key, and the limits).\n"
    "GET /healthz and /readyz answer \"ok\".  TLS 1.2 and 1.3 only, HTTP/1.1 with\n"
    "keep-alive; every answer to a readable AdmissionReview is 200 with the\n"
    "decision inside.  One JSON line per decision (and per refused request)\n"
    "goes to standard error.  SIGINT or SIGTERM stop it (exit 0).  A bad\n"
    "configuration is printed compiler-style and exits 1; a certificate, key or\n"
    "address that cannot be used exits 3.  `initdata webhook certs` makes a CA\n"
    "and a serving certificate for the webhook's Service (see its --help).",
    "  $ initdata webhook --config /etc/initdata/webhook.toml\n"
    "  $ initdata webhook --config webhook.toml --listen 127.0.0.1:8443 \\\n"
    "        --cert tls.crt --key tls.key\n"
    "  $ initdata webhook --config webhook.toml --listen '[::]:8443'\n"
    "  $ initdata webhook certs --service initdata-webhook --namespace initdata-system \\\n"
    "        --out certs\n",
};

/* --listen ADDR:PORT ("127.0.0.1:8443", "[::]:8443"): *host points into
 * buf.  Returns CLI_CONTINUE or the usage error's exit code. */
static int parse_listen(const char *arg, char *buf, size_t cap, const char **host,
                        unsigned *port)
{
    const char *colon, *h = arg;
    size_t hl;
    if (arg[0] == '[') {
        const char *close = strchr(arg, ']');
        if (!close || close[1] != ':')
            return cli_usage_error("webhook", "--listen: '%s' is not [IPV6]:PORT", arg);
        h = arg + 1;
        hl = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strrchr(arg, ':');
        if (!colon || strchr(arg, ':') != colon)
            return cli_usage_error("webhook", "--listen: '%s' is not ADDR:PORT "
                                              "(an IPv6 address goes in brackets)", arg);
        hl = (size_t)(colon - arg);
    }
    if (hl == 0 || hl >= cap)
        return cli_usage_error("webhook", "--listen: '%s' has no address", arg);
    char *end;
    errno = 0;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (colon[1] < '0' || colon[1] > '9' || *end || errno || p > 65535)
        return cli_usage_error("webhook", "--listen: the port of '%s' is not 0 to 65535", arg);
    memcpy(buf, h, hl);
    buf[hl] = 0;
    *host = buf;
    *port = (unsigned)p;
    return CLI_CONTINUE;
}

static int read_pem(char **out, const char *path, const char *what)
{
    idt_error err = { 0 };
    size_t len;
    err.source = path;
    if (cli_read_input(out, &len, path, PEM_MAX, &err) < 0) {
        cli_diag_msg("cannot read the %s: %s", what, err.message);
        return CLI_EXIT_ENV;
    }
    if (strlen(*out) != len) {
        cli_diag_msg("%s: the %s is not PEM text (it has a NUL byte)", path, what);
        return CLI_EXIT_ENV;
    }
    return CLI_EXIT_OK;
}

/* Zeroes a key before its memory is given back. */
static void wipe(char *p)
{
    if (!p)
        return;
    volatile char *v = p;
    while (*v)
        *v++ = 0;
    free(p);
}

/* The "listening" line: where, and with what limits. */
static void log_listening(const cli_webhook_settings *s, unsigned port, const char *config)
{
    idtx_buf b;
    idtx_buf_init(&b, 8192, "the log line");
    idtx_buf_puts(&b, "{\"event\":\"listening\",\"address\":", NULL);
    idtx_json_string(&b, s->address, strlen(s->address), true, NULL, NULL);
    idtx_buf_printf(&b, NULL,
                    ",\"port\":%u,\"threads\":%u,\"max_connections\":%u,\"max_body\":%zu,"
                    "\"connection_timeout\":%u,\"request_timeout\":%u,\"config\":",
                    port, s->threads, s->max_connections, s->max_body, s->connection_timeout,
                    s->request_timeout);
    idtx_json_string(&b, config, strlen(config), true, NULL, NULL);
    if (idtx_buf_putc(&b, '}', NULL) == IDT_OK)
        cli_webhook_log_line(b.data, b.len);
    idtx_buf_dispose(&b);
}

/* Serves until SIGINT or SIGTERM, reloading on SIGHUP and when the files
 * change.  The signals are blocked in every thread (the server's threads
 * inherit the mask) and taken here by sigwait.  SIGTERM (what the kubelet
 * sends) stops gracefully: not ready for shutdown_delay seconds, then the
 * reviews in flight get shutdown_grace seconds; SIGINT skips the delay. */
static int serve(const cli_webhook_settings *s, cli_webhook_holder *holder,
                 const cli_webhook_reload_source *src, unsigned delay_s, unsigned grace_s)
{
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    char why[512];
    cli_webhook_server *srv;
    if (cli_webhook_server_start(&srv, s, holder, why, sizeof why) < 0) {
        cli_diag_msg("%s", why);
        return CLI_EXIT_ENV;
    }
    /* Before the watcher starts: s->address may live in the first
     * configuration, which a reload frees. */
    log_listening(s, cli_webhook_server_port(srv), src->config);
    cli_webhook_reloader *watcher = NULL;
    if (cli_webhook_reloader_start(&watcher, holder, src, why, sizeof why) < 0)
        cli_webhook_log_event("watch-failed", why); /* SIGHUP still reloads */
    int sig = 0;
    for (;;) {
        if (sigwait(&sigs, &sig) != 0)
            continue;
        if (sig != SIGHUP)
            break;
        cli_webhook_log_event("reload", "SIGHUP");
        cli_webhook_reload(holder, src);
    }
    cli_webhook_log_event("stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    cli_webhook_reloader_stop(watcher);
    cli_webhook_server_stop(srv, sig == SIGTERM ? delay_s : 0, grace_s);
    cli_webhook_log_event("stopped", NULL);
    return CLI_EXIT_OK;
}

/* The cores this process may run on (its affinity: a cpuset, taskset), not
 * the machine's: more threads than that only take turns. */
static long usable_cores(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return sysconf(_SC_NPROCESSORS_ONLN);
}

/* The settings: the [server] table, with the flags over it. */
static int settings_of(cli_webhook_settings *s, const idt_admission_server *srv,
                       const char *listen, char *host_buf, size_t host_cap)
{
    memset(s, 0, sizeof *s);
    s->address = srv->address;
    s->port = srv->port;
    if (listen) {
        int rc = parse_listen(listen, host_buf, host_cap, &s->address, &s->port);
        if (rc != CLI_CONTINUE)
            return rc;
    }
    if (!s->address || !*s->address)
        s->address = "0.0.0.0";
    s->max_body = srv->max_body ? srv->max_body : IDT_ADMISSION_DEFAULT_MAX_BODY;
    long cores = usable_cores();
    s->threads = srv->threads ? srv->threads : cores > 0 ? (unsigned)cores : 1u;
    if (s->threads > THREADS_MAX)
        s->threads = THREADS_MAX;
    s->max_connections = srv->max_connections ? srv->max_connections : 1024u;
    if (s->threads > s->max_connections) /* each thread serves a share of them */
        s->threads = s->max_connections;
    s->connection_timeout = srv->connection_timeout;
    s->request_timeout = srv->request_timeout;
    return CLI_CONTINUE;
}

int cmd_webhook(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "certs"))
        return cli_webhook_certs(argc - 1, argv + 1);
    const char *config = NULL, *listen = NULL, *cert = NULL, *key = NULL;
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "config", 'c', &config, "FILE",
          "the webhook configuration (TOML; required)", false },
        { CLI_OPT_VALUE, "listen", 'l', &listen, "ADDR:PORT",
          "listen here instead of the [server] table's address and port "
          "(port 0: any free port, logged)", false },
        { CLI_OPT_VALUE, "cert", 0, &cert, "FILE",
          "the serving certificate chain (PEM) instead of server.cert", false },
        { CLI_OPT_VALUE, "key", 0, &key, "FILE",
          "its private key (PEM) instead of server.key", false },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("webhook", opts, &help, argc, argv);
    cli_opts_free(opts);
    if (rc != CLI_CONTINUE)
        return rc;
    if (!config)
        return cli_usage_error("webhook", "missing --config FILE");
    if (!cert != !key)
        return cli_usage_error("webhook", "--cert and --key go together");

    /* The configuration, and every document it names, checked: each
     * problem printed compiler-style (as `admit` prints them). */
    idt_admission_config *cfg = NULL;
    rc = cli_admission_config_load(&cfg, config);
    if (rc < 0)
        return cli_exit_code(rc);

    cli_webhook_settings s;
    char host[256];
    rc = settings_of(&s, idt_admission_config_server(cfg), listen, host, sizeof host);
    const idt_admission_server *srv = idt_admission_config_server(cfg);
    const char *cert_file = cert ? cert : srv->cert_file;
    const char *key_file = key ? key : srv->key_file;
    if (rc == CLI_CONTINUE && (!cert_file || !key_file))
        rc = cli_usage_error("webhook", "no serving certificate: set cert and key in the "
                                        "[server] table of %s, or pass --cert and --key",
                             config);
    char *cert_pem = NULL, *key_pem = NULL;
    if (rc == CLI_CONTINUE) {
        rc = read_pem(&cert_pem, cert_file, "certificate");
        if (rc == CLI_EXIT_OK)
            rc = read_pem(&key_pem, key_file, "private key");
        char why[256];
        if (rc == CLI_EXIT_OK && cli_webhook_tls_load(cert_pem, key_pem, why, sizeof why) < 0) {
            cli_diag_msg("%s: %s", cert_file, why);
            rc = CLI_EXIT_ENV;
        }
        rc = rc == CLI_EXIT_OK ? CLI_CONTINUE : rc;
    }
    if (rc != CLI_CONTINUE) {
        free(cert_pem);
        wipe(key_pem);
        idt_admission_config_free(cfg);
        return rc;
    }
    free(cert_pem); /* parsed: GnuTLS holds the certificate now */
    wipe(key_pem);
    cert_pem = key_pem = NULL;

    cli_webhook_holder holder;
    if (cli_webhook_holder_init(&holder, cfg) < 0) { /* owns cfg from here */
        cli_diag_msg("out of memory");
        rc = CLI_EXIT_ENV;
    } else {
        /* The address may live in the configuration: both outlive serve().
         * Reloads keep the flags' certificate, else re-read [server]'s. */
        cli_webhook_reload_source src = { config, cert, key };
        const idt_admission_server *tbl = idt_admission_config_server(cfg);
        rc = serve(&s, &holder, &src, tbl->shutdown_delay, tbl->shutdown_grace);
        cli_webhook_holder_dispose(&holder);
    }
    cli_webhook_tls_dispose();
    return rc;
}
