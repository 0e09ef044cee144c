/* The declarative option parser (opt.h). */
#include "opt.h"
#include "cmd.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "initdata %s: error: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'initdata %s --help'.\n", cmd);
    return CLI_EXIT_USAGE;
}

int cli_keyword_error(const char *cmd, const char *option, const idt_error *err)
{
    return cli_usage_error(cmd, "--%s: %s", option, err->message);
}

static const cli_opt *find_long(const cli_opt *opts, const char *name, size_t len)
{
    for (const cli_opt *o = opts; o->kind; o++)
        if (o->kind <= CLI_OPT_LIST && strlen(o->name) == len &&
            memcmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

static const cli_opt *find_short(const cli_opt *opts, char c)
{
    for (const cli_opt *o = opts; o->kind; o++)
        if (o->kind <= CLI_OPT_LIST && o->short_name == c)
            return o;
    return NULL;
}

static int list_push(cli_list *l, const char *v, int argc)
{
    if (!l->items) {
        /* argc bounds how many values a list can ever hold. */
        l->items = calloc((size_t)argc + 1, sizeof *l->items);
        if (!l->items)
            return -1;
    }
    l->items[l->count++] = v;
    return 0;
}

static int take_value(const char *cmd, const cli_opt *o, const char *value, int argc)
{
    if (o->kind == CLI_OPT_VALUE) {
        *(const char **)o->target = value;
        return 0;
    }
    if (list_push(o->target, value, argc) < 0)
        return cli_usage_error(cmd, "out of memory");
    return 0;
}

static int set_positional(const char *cmd, const cli_opt *opts, const char *arg,
                          size_t *npos, int argc)
{
    size_t i = 0;
    for (const cli_opt *o = opts; o->kind; o++) {
        if (o->kind == CLI_OPT_ARG && i++ == *npos) {
            *(const char **)o->target = arg;
            (*npos)++;
            return 0;
        }
        if (o->kind == CLI_OPT_ARGS) {
            if (list_push(o->target, arg, argc) < 0)
                return cli_usage_error(cmd, "out of memory");
            return 0;
        }
    }
    return cli_usage_error(cmd, "unexpected argument '%s'", arg);
}

static int parse_long(const char *cmd, const cli_opt *opts, int argc, char **argv, int *i)
{
    const char *name = argv[*i] + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const cli_opt *o = find_long(opts, name, len);
    if (!o)
        return cli_usage_error(cmd, "unknown option '--%.*s'", (int)len, name);
    if (o->kind == CLI_OPT_SWITCH) {
        if (eq)
            return cli_usage_error(cmd, "option '--%s' takes no value", o->name);
        *(bool *)o->target = true;
        return 0;
    }
    if (eq)
        return take_value(cmd, o, eq + 1, argc);
    if (*i + 1 >= argc)
        return cli_usage_error(cmd, "option '--%s' needs a value (%s)", o->name,
                               o->value_name ? o->value_name : "VALUE");
    return take_value(cmd, o, argv[++*i], argc);
}

static int parse_short(const char *cmd, const cli_opt *opts, int argc, char **argv, int *i)
{
    for (const char *p = argv[*i] + 1; *p; p++) {
        const cli_opt *o = find_short(opts, *p);
        if (!o)
            return cli_usage_error(cmd, "unknown option '-%c'", *p);
        if (o->kind == CLI_OPT_SWITCH) {
            *(bool *)o->target = true;
            continue;
        }
        if (p[1])
            return take_value(cmd, o, p + 1, argc);
        if (*i + 1 >= argc)
            return cli_usage_error(cmd, "option '-%c' needs a value (%s)", *p,
                                   o->value_name ? o->value_name : "VALUE");
        return take_value(cmd, o, argv[++*i], argc);
    }
    return 0;
}

static int check_required(const char *cmd, const cli_opt *opts, size_t npos)
{
    size_t i = 0;
    for (const cli_opt *o = opts; o->kind; o++)
        if (o->kind == CLI_OPT_ARG && i++ >= npos && o->required)
            return cli_usage_error(cmd, "missing %s", o->value_name ? o->value_name : o->name);
    return CLI_CONTINUE;
}

static cli_opts_sink describe_sink;
static void *describe_ctx;

void cli_opts_describe(cli_opts_sink sink, void *ctx)
{
    describe_sink = sink;
    describe_ctx = ctx;
}

bool cli_opts_describing(void)
{
    return describe_sink != NULL;
}

int cli_opts_parse(const char *cmd, const cli_opt *opts, const cli_help *help,
                   int argc, char **argv)
{
    if (describe_sink) {
        describe_sink(describe_ctx, cmd, opts);
        return CLI_EXIT_OK;
    }
    size_t npos = 0;
    bool only_args = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc = 0;
        if (!only_args && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
            cli_opts_print_help(stdout, opts, help);
            return CLI_EXIT_OK;
        } else if (!only_args && !strcmp(a, "--")) {
            only_args = true;
        } else if (!only_args && a[0] == '-' && a[1] == '-') {
            rc = parse_long(cmd, opts, argc, argv, &i);
        } else if (!only_args && a[0] == '-' && a[1]) {
            rc = parse_short(cmd, opts, argc, argv, &i);
        } else {
            rc = set_positional(cmd, opts, a, &npos, argc);
        }
        if (rc)
            return rc;
    }
    return check_required(cmd, opts, npos);
}

void cli_opts_free(const cli_opt *opts)
{
    for (const cli_opt *o = opts; o->kind; o++)
        if (o->kind == CLI_OPT_LIST || o->kind == CLI_OPT_ARGS) {
            cli_list *l = o->target;
            free(l->items);
            l->items = NULL;
            l->count = 0;
        }
}

void cli_opts_print_help(FILE *f, const cli_opt *opts, const cli_help *help)
{
    fprintf(f, "Usage: %s\n\n%s\n", help->usage, help->description);
    fputs("\nOptions:\n", f);
    for (const cli_opt *o = opts; o->kind; o++) {
        if (o->kind > CLI_OPT_LIST)
            continue;
        char lhs[64];
        if (o->short_name)
            snprintf(lhs, sizeof lhs, "-%c, --%s%s%s", o->short_name, o->name,
                     o->value_name ? " " : "", o->value_name ? o->value_name : "");
        else
            snprintf(lhs, sizeof lhs, "    --%s%s%s", o->name, o->value_name ? " " : "",
                     o->value_name ? o->value_name : "");
        fprintf(f, "  %-28s %s%s\n", lhs, o->help, o->kind == CLI_OPT_LIST ? " (repeatable)" : "");
    }
    fprintf(f, "  %-28s %s\n", "-h, --help", "show this help");
    if (help->examples)
        fprintf(f, "\nExamples:\n%s", help->examples);
    fputs("\nExit status: 0 success, 1 invalid input or failed check, 2 usage error,\n"
          "3 I/O or environment failure.\n", f);
}
