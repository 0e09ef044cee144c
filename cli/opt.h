/* A small declarative option parser: one table drives both parsing and
 * --help, so the two never disagree. */
#ifndef CLI_OPT_H
#define CLI_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "initdata/common.h"

typedef enum cli_opt_kind {
    CLI_OPT_END = 0,
    CLI_OPT_SWITCH, /* --name or -n; target: bool * */
    CLI_OPT_VALUE,  /* --name VALUE, --name=VALUE or -n VALUE; target: const char ** */
    CLI_OPT_LIST,   /* like VALUE, may repeat; target: cli_list * */
    CLI_OPT_ARG,    /* one positional argument; target: const char ** */
    CLI_OPT_ARGS    /* all remaining positional arguments; target: cli_list * */
} cli_opt_kind;

/* Values collected by CLI_OPT_LIST / CLI_OPT_ARGS; items point into argv. */
typedef struct cli_list {
    const char **items;
    size_t count;
} cli_list;

typedef struct cli_opt {
    cli_opt_kind kind;
    const char *name;      /* long name without "--", or positional's name */
    char short_name;       /* 0 for none */
    void *target;
    const char *value_name;/* "FILE", "URL"...; NULL for switches */
    const char *help;      /* one line */
    bool required;         /* positionals only */
} cli_opt;

/* What a command says about itself in --help. */
typedef struct cli_help {
    const char *usage;       /* "initdata digest [OPTIONS] FILE" */
    const char *description; /* a paragraph */
    const char *examples;    /* lines, each "  $ initdata ..." */
} cli_help;

#define CLI_CONTINUE (-1)

/*
 * Parses argv[1..argc-1] (argv[0] is the command name) against opts.
 * "-h"/"--help" prints help to stdout and returns 0.  "--" ends options.
 * A usage error prints "initdata CMD: error: ..." and a hint to stderr and
 * returns 2.  Otherwise returns CLI_CONTINUE.  List storage is allocated
 * once and released with cli_opts_free.
 */
int cli_opts_parse(const char *cmd, const cli_opt *opts, const cli_help *help,
                   int argc, char **argv);

/*
 * Describe mode, for `initdata completion`: while a sink is set,
 * cli_opts_parse() parses nothing and prints nothing; it hands the command's
 * name ("digest", "image create") and option table to sink and returns 0,
 * as --help does, so a command run with its name alone only reports its
 * table.  The table is the command's own (on its stack): the sink copies
 * what it keeps.  NULL ends describe mode.  A command that dispatches to
 * subcommands runs each of them when cli_opts_describing() is true.
 */
typedef void (*cli_opts_sink)(void *ctx, const char *cmd, const cli_opt *opts);
void cli_opts_describe(cli_opts_sink sink, void *ctx);
bool cli_opts_describing(void);

/* Releases the storage of every CLI_OPT_LIST / CLI_OPT_ARGS target. */
void cli_opts_free(const cli_opt *opts);

/* Prints the help page of a command to f. */
void cli_opts_print_help(FILE *f, const cli_opt *opts, const cli_help *help);

/* Reports a usage error for cmd ("initdata CMD: error: ...") and returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reports a keyword that the library's *_parse refused (err holds its
 * message, which lists the known keywords) as a usage error of --OPTION:
 * "initdata CMD: error: --OPTION: MESSAGE".  Returns 2.  Every option
 * whose value names a library enum goes through this, so the keyword
 * lists live in the library only. */
int cli_keyword_error(const char *cmd, const char *option, const idt_error *err);

#endif
