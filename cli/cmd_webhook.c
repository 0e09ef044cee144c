/* initdata webhook: the Kubernetes admission webhook, an HTTPS server that
 * validates and injects Init-Data annotations by the rules of a
 * configuration file (the library decides: initdata/admission.h).  This
 * file is the command: its options and help, in both programs; the server
 * itself (webhook_run.c and webhook_*.c, with libmicrohttpd and GnuTLS) is
 * the program initdata-webhook, which `initdata webhook` runs
 * (webhook_exec.c), so that no other command loads a TLS server stack. */
#include "cmd.h"
#include "opt.h"
#include "webhook_certs.h"
#include "webhook_cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
    char host[256];
    cli_webhook_args a = { config, NULL, 0, cert, key };
    if (listen && (rc = parse_listen(listen, host, sizeof host, &a.host, &a.port)) !=
                      CLI_CONTINUE)
        return rc;
    return cli_webhook_run(argc, argv, &a);
}

