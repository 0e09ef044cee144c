/* What the `webhook` command (cmd_webhook.c, in both programs) hands to the
 * server: in initdata-webhook, the server itself (webhook_run.c); in
 * initdata, a replacement of the process by initdata-webhook
 * (webhook_exec.c), so that the other commands never load libmicrohttpd
 * and GnuTLS (2.4 MB of a process's resident memory). */
#ifndef CLI_WEBHOOK_CMD_H
#define CLI_WEBHOOK_CMD_H

#include <stddef.h>

/* The command line, parsed and checked for usage errors. */
typedef struct cli_webhook_args {
    const char *config; /* --config (required) */
    const char *listen; /* --listen ADDR:PORT, or NULL */
    const char *cert;   /* --cert and --key, both or neither */
    const char *key;
} cli_webhook_args;

/* --listen ADDR:PORT ("127.0.0.1:8443", "[::]:8443"): *host points into buf
 * (cap bytes), *port gets the port.  Returns CLI_CONTINUE, or the usage
 * error's exit code (printed). */
int cli_webhook_parse_listen(const char *arg, char *buf, size_t cap, const char **host,
                             unsigned *port);

/* Serves (initdata-webhook), or runs initdata-webhook with argv (initdata).
 * argv is the command's (argv[0] "webhook").  Returns an exit code. */
int cli_webhook_run(int argc, char **argv, const cli_webhook_args *a);

#endif
