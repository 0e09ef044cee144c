/* initdata: the command-line tool.  main() only dispatches; each subcommand
 * lives in its own cmd_<name>.c over the public library API. */
#include "cmd.h"
#include "opt.h"
#include "initdata/initdata.h"

#include <stdio.h>
#include <string.h>

static const cli_cmd commands[] = {
    { "new", cmd_new, "write a new Init-Data document from flags" },
    { "check", cmd_check, "validate a document the way every consumer will" },
    { "digest", cmd_digest, "print the digest or a TEE binding value" },
    { "encode", cmd_encode, "print the Pod annotation value (gzip + base64)" },
    { "decode", cmd_decode, "turn an annotation value back into the exact document" },
    { "inspect", cmd_inspect, "show a document: entries, digest, bindings, annotation size" },
    { "image", cmd_image, "create or read a Kata initdata block image" },
    { "annotate", cmd_annotate, "set the Init-Data annotation in Kubernetes manifests, in place" },
    { "extract", cmd_extract, "show the Init-Data annotations of a manifest, decoded" },
    { "claims", cmd_claims, "print the init_data_claims Trustee derives from a document" },
    { "apply", cmd_apply, "inside the guest: verify Init-Data against the TEE and install it" },
    { "evidence", cmd_evidence, "read TEE evidence (TDX, SGX, SNP, CCA, vTPM) and print its fields" },
    { "verify", cmd_verify, "check that evidence binds a document; diagnose a mismatch" },
    { "kbs-request", cmd_kbs_request, "print the init-data object of a KBS attestation request" },
    { "toml-json", cmd_toml_json, "print a TOML document as JSON (plain or toml-test tagged)" },
    { "admit", cmd_admit, "the admission webhook's decisions, offline, for manifests or reviews" },
    { "webhook", cmd_webhook, "serve the Kubernetes admission webhook (validate, inject) over HTTPS" },
    { "krm", cmd_krm, "a kustomize KRM function: annotate the items of a ResourceList" },
    { "completion", cmd_completion, "print the shell completion script (bash, zsh)" },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

const cli_cmd *cli_commands(size_t *count)
{
    *count = NCOMMANDS;
    return commands;
}

static void print_usage(FILE *f)
{
    fputs("Usage: initdata [--version] [--help] COMMAND [ARGS]\n\n"
          "Author, check, digest, encode and bind Confidential Containers Init-Data.\n\n"
          "Commands:\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fputs("\nRun 'initdata COMMAND --help' for a command's options and examples.\n"
          "Exit status: 0 success, 1 invalid input or failed check, 2 usage error,\n"
          "3 I/O or environment failure.\n", f);
}

static const cli_cmd *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    /* Called as initdata-krm or InitData (the links make install adds), the
     * tool is the KRM function or kustomize's exec plugin: kustomize runs
     * those by path, without a command word. */
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    if (!strcmp(base, "initdata-krm") || !strcmp(base, "InitData"))
        return cmd_krm(argc, argv);
    if (argc < 2) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        print_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
        printf("initdata %s\n", idt_version());
        return CLI_EXIT_OK;
    }
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            print_usage(stdout);
            return CLI_EXIT_OK;
        }
        const cli_cmd *c = find_command(argv[2]);
        if (!c) {
            fprintf(stderr, "initdata: error: unknown command '%s'\n", argv[2]);
            return CLI_EXIT_USAGE;
        }
        char help[] = "--help";
        char *hargv[] = { argv[2], help, NULL };
        return c->fn(2, hargv);
    }
    const cli_cmd *c = find_command(name);
    if (!c) {
        fprintf(stderr, "initdata: error: unknown command '%s'\nTry 'initdata --help'.\n", name);
        return CLI_EXIT_USAGE;
    }
    return c->fn(argc - 1, argv + 1);
}
