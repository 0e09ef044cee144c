/* The admission webhook server of `initdata webhook` (cmd_webhook.c): an
 * HTTPS server (libmicrohttpd over GnuTLS) in front of the library's
 * admission API (initdata/admission.h).  The library decides; this layer
 * only serves HTTP, bounds what it reads, times and logs.
 *
 *   webhook_config.c  the configuration holder: requests take a reference
 *                     to the current configuration, so that a reload can
 *                     later swap it under running requests;
 *   webhook_log.c     one JSON line per event on stderr, one write(2) each;
 *   webhook_server.c  the listening socket, TLS, routes and limits;
 *   webhook_tls.c     the serving certificate, swapped under running
 *                     handshakes when it is rotated;
 *   webhook_metrics.c the counters and histogram of GET /metrics;
 *   webhook_reload.c  re-reading the configuration, its documents and the
 *                     certificate when their files change or on SIGHUP. */
#ifndef CLI_WEBHOOK_H
#define CLI_WEBHOOK_H

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "initdata/admission.h"
#include "util/buf.h"

/* --- the configuration holder (webhook_config.c) ------------------------ */

/* A configuration with a reference count (opaque). */
typedef struct cli_webhook_cfg cli_webhook_cfg;

/* Where the current configuration is kept.  A request acquires it once and
 * releases it when done; a swap (later: a reload) publishes a new one, and
 * the old one is freed when its last request releases it. */
typedef struct cli_webhook_holder {
    pthread_mutex_t lock;
    cli_webhook_cfg *current;
} cli_webhook_holder;

/* Starts a holder with cfg, which it owns from then on (also on failure).
 * Returns 0, or -1 when out of memory. */
int cli_webhook_holder_init(cli_webhook_holder *h, idt_admission_config *cfg);

/* Takes a reference to the current configuration: *ref is given back to
 * cli_webhook_release. */
const idt_admission_config *cli_webhook_acquire(cli_webhook_holder *h, cli_webhook_cfg **ref);
void cli_webhook_release(cli_webhook_cfg *ref);

/* Publishes cfg (owned from then on) as the current configuration.
 * Returns 0, or -1 when out of memory (cfg is freed, the current one
 * stays). */
int cli_webhook_holder_swap(cli_webhook_holder *h, idt_admission_config *cfg);

/* Drops the holder's reference (after the server stopped). */
void cli_webhook_holder_dispose(cli_webhook_holder *h);

/* --- the log (webhook_log.c) -------------------------------------------- */

/* Writes line (len bytes, no newline) and a newline to stderr with one
 * write(2), so that lines from several threads never interleave. */
void cli_webhook_log_line(const char *line, size_t len);

/* {"event":EVENT,"message":MESSAGE} (message NULL: left out). */
void cli_webhook_log_event(const char *event, const char *message);

/* {"event":"rejected","status":STATUS,"method":..,"path":..,"message":..}:
 * a request answered without a review (404, 405, 408, 413, 415, 500). */
void cli_webhook_log_rejected(unsigned status, const char *method, const char *path,
                              const char *message);

/* --- the serving certificate (webhook_tls.c) ---------------------------- */

/* Parses a PEM chain and its key and makes them the certificate that new
 * handshakes get.  Refuses a key that is not the leaf's.  Returns 0, or -1
 * with a message in why (the current certificate stays). */
int cli_webhook_tls_load(const char *cert_pem, const char *key_pem, char *why, size_t why_len);

/* The current leaf's notAfter (seconds since 1970), 0 when unknown. */
int64_t cli_webhook_tls_not_after(void);

/* libmicrohttpd's MHD_OPTION_HTTPS_CERT_CALLBACK: the current chain and key. */
gnutls_certificate_retrieve_function2 cli_webhook_tls_retrieve;

/* Frees every certificate loaded (after the server stopped). */
void cli_webhook_tls_dispose(void);

/* --- metrics (webhook_metrics.c) ------------------------------------------ */

/* One review answered: its endpoint, decision, time and codes. */
void cli_webhook_metrics_review(const idt_admission_result *r, idt_admission_endpoint ep,
                                uint64_t micros);

/* A request answered without a review (404, 405, 408, 413, 415, 500, 503). */
void cli_webhook_metrics_rejected(unsigned status);

/* A reload: applied, or refused (the old configuration kept serving). */
void cli_webhook_metrics_reload(bool applied);

/* The Prometheus text exposition (version 0.0.4) of every metric, appended
 * to b.  Returns IDT_OK or the buffer's error. */
int cli_webhook_metrics_render(idtx_buf *b);

/* --- reloads (webhook_reload.c) --------------------------------------------- */

typedef struct cli_webhook_reloader cli_webhook_reloader;

/* What a reload re-reads: the configuration (its documents with it) and,
 * unless the command line named them, the certificate and key of its
 * [server] table. */
typedef struct cli_webhook_reload_source {
    const char *config;     /* the configuration file */
    const char *cert_file;  /* the command line's, or NULL: the [server] table's */
    const char *key_file;
} cli_webhook_reload_source;

/* Re-reads everything now (SIGHUP), in two parts, each applied or refused
 * on its own (logged and counted): the configuration with its documents
 * (one that does not load leaves the old one serving), then the
 * certificate and key (one that does not parse, or a key that is not the
 * certificate's, leaves the old one served).  Returns 0 when both were
 * applied. */
int cli_webhook_reload(cli_webhook_holder *h, const cli_webhook_reload_source *src);

/* Starts a thread that watches the directories of every file the current
 * configuration was built from, and of the certificate and key, with
 * inotify (a ConfigMap or Secret volume swaps a `..data` symlink: the
 * directory sees the rename), and reloads a short while after they
 * change.  Returns 0, or -1 with a message in why. */
int cli_webhook_reloader_start(cli_webhook_reloader **out, cli_webhook_holder *h,
                               const cli_webhook_reload_source *src, char *why, size_t why_len);

/* Stops the watcher.  NULL is allowed. */
void cli_webhook_reloader_stop(cli_webhook_reloader *r);

/* --- the server (webhook_server.c) -------------------------------------- */

/* TLS 1.2 and 1.3 only (the API server requires 1.2 or later), AEAD ciphers
 * with forward secrecy, the server's preference first. */
#define CLI_WEBHOOK_TLS_PRIORITIES                                                         \
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:"   \
    "+CHACHA20-POLY1305:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:%SERVER_PRECEDENCE"

/* libmicrohttpd's per-connection memory pool: the request line, headers
 * and read buffer (the body is kept in the request's own buffer, bounded
 * by max_body).  libmicrohttpd zeroes the whole pool between two requests
 * on a kept-alive connection, so its size is paid on every request: at 128
 * KiB that was two thirds of the server's instructions per review.  The API
 * server's request line and headers are a few hundred bytes, and a TLS
 * record read in parts is still read whole. */
#define CLI_WEBHOOK_CONNECTION_MEMORY ((size_t)16 << 10)

typedef struct cli_webhook_settings {
    const char *address;      /* numeric IPv4 or IPv6 address */
    unsigned port;            /* 0: any free port (see cli_webhook_server_port) */
    size_t max_body;          /* bytes; more is 413 */
    unsigned threads;         /* >= 1 */
    unsigned max_connections; /* >= threads */
    unsigned connection_timeout; /* idle seconds; 0: none */
    unsigned request_timeout; /* seconds for a body to arrive; 0: none */
} cli_webhook_settings;

typedef struct cli_webhook_server cli_webhook_server;

/* Listens and serves in background threads until cli_webhook_server_stop.
 * Returns 0, or -1 with a message in why. */
int cli_webhook_server_start(cli_webhook_server **out, const cli_webhook_settings *s,
                             cli_webhook_holder *holder, char *why, size_t why_len);

/* The port listened on (the one picked when the settings said 0). */
unsigned cli_webhook_server_port(const cli_webhook_server *srv);

/* Says not ready and keeps serving for delay_s seconds, stops accepting,
 * gives the reviews in flight up to grace_s seconds to finish, stops the
 * threads and frees the server.  NULL is allowed. */
void cli_webhook_server_stop(cli_webhook_server *srv, unsigned delay_s, unsigned grace_s);

#endif
