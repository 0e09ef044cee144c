/* The webhook server's entry (webhook_cmd.h), in the program
 * initdata-webhook only: load the configuration and the certificate, size
 * the server to the cores, serve until a signal, reload on SIGHUP. */
/* sched_getaffinity and CPU_COUNT are GNU extensions. */
#define _GNU_SOURCE
#include "admission_cli.h"
#include "cmd.h"
#include "webhook_cmd.h"
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
static void settings_of(cli_webhook_settings *s, const idt_admission_server *srv,
                        const cli_webhook_args *args)
{
    memset(s, 0, sizeof *s);
    s->address = args->host ? args->host : srv->address;
    s->port = args->host ? args->port : srv->port;
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
}

int cli_webhook_run(int argc, char **argv, const cli_webhook_args *args)
{
    (void)argc, (void)argv;
    const char *config = args->config, *cert = args->cert, *key = args->key;
    int rc;
    /* The configuration, and every document it names, checked: each
     * problem printed compiler-style (as `admit` prints them). */
    idt_admission_config *cfg = NULL;
    rc = cli_admission_config_load(&cfg, config);
    if (rc < 0)
        return cli_exit_code(rc);

    cli_webhook_settings s;
    settings_of(&s, idt_admission_config_server(cfg), args);
    rc = CLI_CONTINUE;
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
