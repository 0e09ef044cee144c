/* The subcommands of the initdata tool.  Each lives in cli/cmd_<name>.c and
 * is registered in the table in cli/main.c. */
#ifndef CLI_CMD_H
#define CLI_CMD_H

#include <stddef.h>

/* Exit codes: pinned, documented in initdata(1). */
enum {
    CLI_EXIT_OK = 0,      /* success */
    CLI_EXIT_INVALID = 1, /* invalid input, or a check/verification failed */
    CLI_EXIT_USAGE = 2,   /* bad command line */
    CLI_EXIT_ENV = 3      /* the environment failed: I/O, memory, a device */
};

typedef int (*cli_cmd_fn)(int argc, char **argv);

typedef struct cli_cmd {
    const char *name;
    cli_cmd_fn fn;
    const char *summary;
} cli_cmd;

/* The command table of cli/main.c, for commands that walk it (completion). */
const cli_cmd *cli_commands(size_t *count);

int cmd_new(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_digest(int argc, char **argv);
int cmd_encode(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_image(int argc, char **argv);
int cmd_annotate(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_claims(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_evidence(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_kbs_request(int argc, char **argv);
int cmd_toml_json(int argc, char **argv);
int cmd_admit(int argc, char **argv);
int cmd_webhook(int argc, char **argv);
int cmd_krm(int argc, char **argv);
int cmd_completion(int argc, char **argv);

#endif
