/* `initdata webhook` in the initdata program (webhook_cmd.h): the server is
 * the program initdata-webhook, installed beside initdata; this replaces
 * the process with it, with the same arguments.  Its exit status is the
 * command's. */
#include "cmd.h"
#include "diag.h"
#include "webhook_cmd.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SERVER "initdata-webhook"

int cli_webhook_run(int argc, char **argv, const cli_webhook_args *a)
{
    (void)a;
    (void)argc;
    /* Beside this program first (a build tree, an install prefix), then
     * on PATH. */
    char self[PATH_MAX], path[PATH_MAX + sizeof SERVER];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *saved = argv[0];
    argv[0] = (char *)SERVER;
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            slash[1] = '\0';
            snprintf(path, sizeof path, "%s%s", self, SERVER);
            execv(path, argv);
        }
    }
    execvp(SERVER, argv);
    int e = errno;
    argv[0] = saved;
    cli_diag_msg("cannot run the webhook server, %s, beside %s or on PATH: %s", SERVER,
                 n > 0 ? self : "initdata", strerror(e));
    return CLI_EXIT_ENV;
}
