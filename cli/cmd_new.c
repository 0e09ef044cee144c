/* initdata new: writes a new Init-Data document from flags (the seed
 * document of the Init-Data page, filled in), over idt_author_new(). */
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "load.h"
#include "opt.h"
#include "initdata/author.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each input file is read whole; 4 MiB is far above any policy (genpolicy
 * output is ~60 KB) or certificate, and keeps a mistaken path (an image, a
 * log) from being slurped into an annotation. */
#define INPUT_MAX ((size_t)4 << 20)

static const cli_help help = {
    "initdata new [OPTIONS]",
    "Write a new Init-Data document: the seed document of the Confidential\n"
    "Containers Init-Data page, filled in from the options.  With --kbs-url, aa.toml\n"
    "([token_configs.kbs] url) and cdh.toml ([kbc] name = \"cc_kbc\", url) point at\n"
    "the KBS; without it neither file is written (the guest components then run\n"
    "with their defaults) unless given with --file.  policy.rego is --policy, or by\n"
    "default the seed's allow-all policy, which is for trying things out only.\n"
    "Entries are written in the order aa.toml, cdh.toml, policy.rego, then the\n"
    "other --file entries as given, each as a '''literal''' string when its\n"
    "content allows and as an escaped \"\"\"basic\"\"\" string otherwise, so every\n"
    "TOML parser reads back exactly the bytes of the files.  The same options\n"
    "always give the same bytes.  Files must be UTF-8 text (at most 4 MiB each).\n"
    "\n"
    "The new document is checked as `initdata check --platform P` checks one (its\n"
    "entries included) before it is written: errors and warnings are printed on\n"
    "standard error against the document's lines (named <new document>), and\n"
    "on an error nothing is written (exit 1).  --no-check writes it regardless.",
    "  $ initdata new --kbs-url http://1.2.3.4:8080 -o initdata.toml\n"
    "  $ initdata new --kbs-url https://kbs.example:8443 --kbs-cert kbs.pem \\\n"
    "        --policy policy.rego --platform tdx -o initdata.toml\n"
    "  $ initdata new --kbs-url http://10.0.0.1:8080 \\\n"
    "        --image-pull-proxy http://proxy.example:3128 --no-proxy 10.0.0.0/8,.svc\n"
    "  $ initdata new --platform cca --policy policy.rego   # picks sha512\n"
    "  $ initdata new --kbs-url http://1.2.3.4:8080 --file extra.json=./extra.json\n"
    "  $ initdata new --kbs-url http://1.2.3.4:8080 | gzip | base64 -w0\n"
    "  $ initdata new --no-check --layout kata --policy /dev/null   # a test vector\n",
};

/* Everything the command read, owned here and freed in one place. */
typedef struct inputs {
    char *cert, *policy;
    size_t cert_len, policy_len;
    idt_author_entry *files;
    char **names, **file_data; /* what files[] points into */
    idt_platform *platforms;
} inputs;

static void inputs_free(inputs *in, size_t nfiles)
{
    free(in->cert);
    free(in->policy);
    for (size_t i = 0; in->file_data && i < nfiles; i++) {
        free(in->names[i]);
        free(in->file_data[i]);
    }
    free(in->names);
    free(in->file_data);
    free(in->files);
    free(in->platforms);
}

/* Reads one input and checks it is UTF-8, naming the file in errors.
 * Returns an exit code. */
static int read_text(char **out, size_t *len, const char *path)
{
    idt_error err;
    idt_error_clear(&err);
    err.source = cli_input_name(path);
    int rc = cli_read_input(out, len, path, INPUT_MAX, &err);
    if (rc == IDT_OK)
        rc = idt_author_check_utf8(*out, *len, &err);
    if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        free(*out);
        *out = NULL;
        return cli_exit_code(rc);
    }
    return CLI_EXIT_OK;
}

/* "-" may stand for standard input only once. */
static int check_stdin(const char *cert, const char *policy, const cli_list *files)
{
    int n = (cert && !strcmp(cert, "-")) + (policy && !strcmp(policy, "-"));
    for (size_t i = 0; i < files->count; i++) {
        const char *eq = strchr(files->items[i], '=');
        n += eq && !strcmp(eq + 1, "-");
    }
    if (n > 1)
        return cli_usage_error("new", "standard input ('-') can be read only once");
    return CLI_CONTINUE;
}

/* --file NAME=PATH: the name is what the guest sees, so it must be a
 * non-empty UTF-8 string; the split is at the first '='. */
static int read_files(inputs *in, const cli_list *files)
{
    size_t n = files->count;
    if (!n)
        return CLI_EXIT_OK;
    in->files = calloc(n, sizeof *in->files);
    in->names = calloc(n, sizeof *in->names);
    in->file_data = calloc(n, sizeof *in->file_data);
    if (!in->files || !in->names || !in->file_data) {
        cli_diag_msg("out of memory");
        return CLI_EXIT_ENV;
    }
    for (size_t i = 0; i < n; i++) {
        const char *arg = files->items[i], *eq = strchr(arg, '=');
        if (!eq || eq == arg || !eq[1])
            return cli_usage_error("new", "--file wants NAME=PATH, got '%s'", arg);
        size_t name_len = (size_t)(eq - arg);
        if (idt_author_check_utf8(arg, name_len, NULL) < 0)
            return cli_usage_error("new", "--file NAME must be UTF-8: '%s'", arg);
        char *data = NULL;
        size_t len = 0;
        int rc = read_text(&data, &len, eq + 1);
        if (rc != CLI_EXIT_OK)
            return rc;
        in->file_data[i] = data;
        char *name = in->names[i] = malloc(name_len + 1);
        if (!name) {
            cli_diag_msg("out of memory");
            return CLI_EXIT_ENV;
        }
        memcpy(name, arg, name_len);
        name[name_len] = '\0';
        in->files[i] = (idt_author_entry){ name, data, len };
    }
    return CLI_EXIT_OK;
}

static int parse_platforms(inputs *in, const cli_list *names)
{
    if (!names->count)
        return CLI_EXIT_OK;
    in->platforms = calloc(names->count, sizeof *in->platforms);
    if (!in->platforms) {
        cli_diag_msg("out of memory");
        return CLI_EXIT_ENV;
    }
    for (size_t i = 0; i < names->count; i++) {
        idt_error err;
        idt_error_clear(&err);
        const char *s = names->items[i];
        if (idt_platform_parse(&in->platforms[i], s, strlen(s), &err) < 0)
            return cli_keyword_error("new", "platform", &err);
    }
    return CLI_EXIT_OK;
}

/* The name diagnostics give the generated document: it may never be
 * written, so it is not the output's. */
#define NEW_DOCUMENT "<new document>"

/* Checks the generated document as `check` does: the document, its
 * entries, and the platforms it was made for (given, they turn the
 * platform notes into warnings and errors).  Errors and warnings are
 * printed; notes, which say nothing is wrong, are not.  Returns a status. */
static int check_new(const idt_author_options *o, const char *doc, size_t len)
{
    cli_load_options lo = CLI_LOAD_OPTIONS_INIT;
    lo.lint = true;
    for (size_t i = 0; i < o->platform_count; i++)
        lo.lint_opts.platforms |= IDT_LINT_PLATFORM(o->platforms[i]);
    idt_doc *d = NULL;
    int rc = cli_doc_load(&d, NEW_DOCUMENT, doc, len, &lo, NULL);
    idt_doc_free(d);
    if (rc < 0)
        fputs("initdata new: nothing was written\n", stderr);
    return rc;
}

/* Builds, checks (unless no_check) and writes the document; the options
 * are all read and checked as far as the command line goes.  cert_path
 * names the certificate in the one error that is about its content
 * (IDT_EFORMAT: not PEM). */
static int emit(const idt_author_options *o, const char *cert_path, const char *output,
                bool no_check)
{
    idt_error err;
    idt_error_clear(&err);
    idt_digest_alg alg;
    int rc = idt_author_pick_algorithm(&alg, o->algorithm, o->platforms, o->platform_count,
                                       &err);
    if (rc < 0)
        return cli_usage_error("new", "%s%s",
                               o->algorithm && o->platform_count
                                   ? "--algorithm conflicts with --platform: " : "",
                               err.message);
    char *doc = NULL;
    size_t len = 0;
    rc = idt_author_new(&doc, &len, o, &err);
    if (rc == IDT_EINVAL)
        return cli_usage_error("new", "%s", err.message);
    if (rc == IDT_EFORMAT)
        err.source = cli_input_name(cert_path);
    bool printed = false;
    if (rc == IDT_OK && !no_check) {
        rc = check_new(o, doc, len);
        printed = rc < 0; /* the loader reports every failure */
    }
    if (rc == IDT_OK)
        rc = cli_write_output(output, doc, len, &err);
    if (rc < 0 && !printed)
        cli_diag_error(&err, NULL, 0);
    idt_free(doc);
    return cli_exit_code(rc);
}

int cmd_new(int argc, char **argv)
{
    const char *output = NULL, *kbs_url = NULL, *cert = NULL, *policy = NULL;
    const char *algorithm = NULL, *proxy = NULL, *no_proxy = NULL, *layout = NULL;
    bool no_check = false;
    cli_list platforms = { NULL, 0 }, files = { NULL, 0 };
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "kbs-url", 'k', &kbs_url, "URL",
          "the KBS (Trustee): aa.toml and cdh.toml point at it", false },
        { CLI_OPT_VALUE, "kbs-cert", 0, &cert, "FILE",
          "PEM certificate of an https KBS (aa.toml cert, cdh.toml kbs_cert)", false },
        { CLI_OPT_VALUE, "policy", 'p', &policy, "FILE",
          "agent policy (default: the seed's allow-all policy)", false },
        { CLI_OPT_VALUE, "algorithm", 'a', &algorithm, "ALG",
          "sha256 (default), sha384 or sha512", false },
        { CLI_OPT_LIST, "platform", 0, &platforms, "P",
          "tdx|snp|cca|sgx|se|vtpm: choose an algorithm that works there", false },
        { CLI_OPT_VALUE, "image-pull-proxy", 0, &proxy, "URL",
          "cdh.toml [image.image_pull_proxy] https_proxy (needs --kbs-url)", false },
        { CLI_OPT_VALUE, "no-proxy", 0, &no_proxy, "LIST",
          "hosts the proxy skips, comma-separated (no_proxy)", false },
        { CLI_OPT_LIST, "file", 'f', &files, "NAME=PATH", "add PATH's content as entry NAME",
          false },
        { CLI_OPT_VALUE, "layout", 0, &layout, "seed|kata",
          "entry order: the Init-Data page's (default) or Kata's tests'", false },
        { CLI_OPT_VALUE, "output", 'o', &output, "FILE",
          "write to FILE (replaced atomically) instead of standard output", false },
        { CLI_OPT_SWITCH, "no-check", 0, &no_check, NULL,
          "write the document even when a consumer would reject it", false },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("new", opts, &help, argc, argv);
    if (rc == CLI_CONTINUE)
        rc = check_stdin(cert, policy, &files);
    if (rc != CLI_CONTINUE) {
        cli_opts_free(opts);
        return rc;
    }

    rc = CLI_EXIT_OK;
    inputs in;
    memset(&in, 0, sizeof in);
    idt_author_options o = IDT_AUTHOR_OPTIONS_INIT;
    o.kbs_url = kbs_url;
    o.image_pull_proxy = proxy;
    o.no_proxy = no_proxy;
    if (algorithm) {
        idt_error err;
        idt_error_clear(&err);
        rc = idt_digest_alg_parse(&o.algorithm, algorithm, strlen(algorithm), &err) < 0
                 ? cli_keyword_error("new", "algorithm", &err) : CLI_EXIT_OK;
    }
    if (rc == CLI_EXIT_OK && layout) {
        idt_error err;
        idt_error_clear(&err);
        if (idt_author_layout_parse(&o.layout, layout, strlen(layout), &err) < 0)
            rc = cli_keyword_error("new", "layout", &err);
    }
    if (rc == CLI_EXIT_OK)
        rc = parse_platforms(&in, &platforms);
    o.platforms = in.platforms;
    o.platform_count = platforms.count;
    if (rc == CLI_EXIT_OK && cert)
        rc = read_text(&in.cert, &in.cert_len, cert);
    if (rc == CLI_EXIT_OK && policy)
        rc = read_text(&in.policy, &in.policy_len, policy);
    if (rc == CLI_EXIT_OK)
        rc = read_files(&in, &files);
    o.kbs_cert = in.cert;
    o.kbs_cert_len = in.cert_len;
    o.policy = in.policy;
    o.policy_len = in.policy_len;
    o.files = in.files;
    o.file_count = files.count;
    if (rc == CLI_EXIT_OK)
        rc = emit(&o, cert, output, no_check);
    inputs_free(&in, files.count);
    cli_opts_free(opts);
    return rc;
}
