/* initdata webhook certs: a CA and a serving certificate for the admission
 * webhook's Service, for clusters without cert-manager. */
#ifndef CLI_WEBHOOK_CERTS_H
#define CLI_WEBHOOK_CERTS_H

/*
 * The `certs` subcommand of `initdata webhook`: argv[0] is "certs",
 * argv[1..] its options.  Returns an exit code (cmd.h).
 */
int cli_webhook_certs(int argc, char **argv);

#endif
