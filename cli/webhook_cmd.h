/* What the `webhook` command (cmd_webhook.c, in both programs) hands to the
 * server: in initdata-webhook, the server itself (webhook_run.c); in
 * initdata, a replacement of the process by initdata-webhook
 * (webhook_exec.c), so that the other commands never load libmicrohttpd
 * and GnuTLS (2.4 MB of a process's resident memory). */
#ifndef CLI_WEBHOOK_CMD_H
#define CLI_WEBHOOK_CMD_H

#include <stddef.h>

/* The command line, parsed and checked for usage errors (--listen split
 * into its address and port). */
typedef struct cli_webhook_args {
    const char *config; /* --config (required) */
    const char *host;   /* --listen's address (parsed), or NULL: [server]'s */
    unsigned port;      /* --listen's port, when host is set */
    const char *cert;   /* --cert and --key, both or neither */
    const char *key;
} cli_webhook_args;

/* Serves (initdata-webhook), or runs initdata-webhook with argv (initdata).
 * argv is the command's (argv[0] "webhook").  Returns an exit code. */
int cli_webhook_run(int argc, char **argv, const cli_webhook_args *a);

#endif
