/* initdata apply: inside the confidential VM, find the Init-Data, check it
 * against the TEE and install it, all or nothing (initdata/guest.h). */
#include "cmd.h"
#include "codec_args.h"
#include "diag.h"
#include "hint.h"
#include "io.h"
#include "load.h"
#include "opt.h"
#include "initdata/guest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata apply [OPTIONS]",
    "Inside a confidential VM: read the Init-Data document the host delivered\n"
    "(the Kata initdata disk by default), validate it like `initdata check`,\n"
    "prove it is the document the TEE was launched with (TDX MRCONFIGID, SNP\n"
    "HOST_DATA, or a vTPM PCR 8 extend), and only then install initdata.toml,\n"
    "aa.toml, cdh.toml and policy.rego, all or nothing.  On any error nothing\n"
    "is installed; with --deny-policy-on-error a deny-all policy.rego carrying\n"
    "the error is installed instead.  Exit status: 0 installed, 1 invalid or\n"
    "not the launched document, 2 usage, 3 environment (device, TEE, TPM, I/O).",
    "  $ initdata apply\n"
    "  $ initdata apply --device /dev/vdb --platform tdx\n"
    "  $ initdata apply --annotation \"$VALUE\" --layout peerpod --platform vtpm --vtpm-rule peerpods\n"
    "  $ initdata apply --toml initdata.toml --platform vtpm --tcti swtpm:host=127.0.0.1,port=2321\n",
};

#define PLATFORM_AUTO 0
#define PLATFORM_NONE (-1)

typedef struct apply_args {
    const char *device, *toml, *annotation, *tcti, *root, *out;
    int platform; /* PLATFORM_AUTO, PLATFORM_NONE or an idt_platform */
    idt_vtpm_rule rule;
    idt_guest_layout layout;
    bool force_pcr, all_entries, deny, insecure;
} apply_args;

/* One run: what was read, and the error that stopped it. */
typedef struct apply_run {
    const apply_args *a;
    const char *name; /* the source, for messages */
    char device[IDT_GUEST_PATH_MAX];
    unsigned char *bytes;
    size_t len;
    idt_doc *doc;
    idt_guest_notes notes;
    idt_codec_warnings warnings; /* what the decoder accepted that a consumer refuses */
    idt_error err;
    const char *phase; /* where it failed: "source", "validation", ... */
    int status;
} apply_run;

/* --- arguments ---------------------------------------------------------------- */

/* auto and none are the command's own; a platform name is the library's,
 * and of those the guest binds tdx, snp and vtpm only (idt_guest_bind). */
static int parse_platform(const char *s, int *out)
{
    idt_platform p;
    if (!s || !strcmp(s, "auto")) {
        *out = PLATFORM_AUTO;
        return CLI_CONTINUE;
    }
    if (!strcmp(s, "none")) {
        *out = PLATFORM_NONE;
        return CLI_CONTINUE;
    }
    if (idt_platform_parse(&p, s, strlen(s), NULL) < 0 ||
        (p != IDT_PLATFORM_TDX && p != IDT_PLATFORM_SNP && p != IDT_PLATFORM_VTPM))
        return cli_usage_error("apply", "--platform must be auto, tdx, snp, vtpm or none, not "
                               "'%s'", s);
    *out = (int)p;
    return CLI_CONTINUE;
}

static int check_args(apply_args *a, const char *platform, const char *rule, const char *layout)
{
    int rc, sources = (a->device != NULL) + (a->toml != NULL) + (a->annotation != NULL);
    if (sources > 1)
        return cli_usage_error("apply", "--device, --toml and --annotation are alternatives; "
                               "give one");
    if ((rc = parse_platform(platform, &a->platform)) != CLI_CONTINUE)
        return rc;
    if (a->insecure && platform && a->platform != PLATFORM_NONE)
        return cli_usage_error("apply", "--insecure-no-binding skips the binding check; it "
                               "cannot go with --platform %s", platform);
    if (a->insecure)
        a->platform = PLATFORM_NONE;
    if (a->platform == PLATFORM_NONE && !a->insecure)
        return cli_usage_error("apply", "--platform none installs a document nobody checked "
                               "against the TEE; it needs --insecure-no-binding");
    idt_error err = { 0 };
    a->rule = IDT_VTPM_RULE_AA;
    if (rule && idt_vtpm_rule_parse(&a->rule, rule, strlen(rule), &err) < 0)
        return cli_keyword_error("apply", "vtpm-rule", &err);
    bool vtpm_opts = a->tcti || a->force_pcr || rule;
    if (vtpm_opts && a->platform != PLATFORM_AUTO && a->platform != IDT_PLATFORM_VTPM)
        return cli_usage_error("apply", "--tcti, --force-pcr and --vtpm-rule apply to the vtpm "
                               "platform only");
    a->layout = IDT_GUEST_LAYOUT_KATA;
    if (layout && idt_guest_layout_parse(&a->layout, layout, strlen(layout), &err) < 0)
        return cli_keyword_error("apply", "layout", &err);
    return CLI_CONTINUE;
}

/* --- output ------------------------------------------------------------------- */

static void print_notes(idt_guest_notes *n)
{
    char line[CLI_HINTED_MAX];
    for (size_t i = 0; i < n->count; i++)
        fprintf(stderr, "initdata apply: note: %s\n",
                cli_hinted(line, sizeof line, n->message[i], n->hint[i]));
    if (n->dropped)
        fprintf(stderr, "initdata apply: note: (%zu more notes)\n", n->dropped);
    idt_guest_notes_clear(n);
}

/* Records a failure of phase and prints it. */
static int fail(apply_run *r, const char *phase, int status)
{
    r->phase = phase;
    r->status = status;
    print_notes(&r->notes);
    if (r->err.source && r->err.line)
        cli_diag_error(&r->err, (const char *)r->bytes, r->len);
    else if (r->err.source)
        cli_diag_error(&r->err, NULL, 0);
    else {
        char line[CLI_HINTED_MAX];
        fprintf(stderr, "initdata apply: error: %s\n",
                cli_hinted(line, sizeof line, r->err.message, r->err.hint));
    }
    return status;
}

/* The hex of a binding value (buf: IDT_BINDING_TEXT_MAX bytes). */
static const char *hex(char *buf, const idt_binding *b)
{
    if (idt_binding_format(buf, IDT_BINDING_TEXT_MAX, b, IDT_ENCODING_HEX, NULL) < 0)
        buf[0] = '\0';
    return buf;
}

/* --- the steps ---------------------------------------------------------------- */

static int read_source(apply_run *r)
{
    const apply_args *a = r->a;
    idt_codec_options copts = IDT_CODEC_OPTIONS_INIT;
    int rc;

    idt_codec_warnings_clear(&r->warnings);
    copts.warnings = &r->warnings;

    if (a->toml) {
        char *text = NULL;
        r->name = cli_input_name(a->toml);
        r->err.source = r->name;
        rc = cli_read_input(&text, &r->len, a->toml, IDT_CODEC_MAX_DECODED_DEFAULT, &r->err);
        r->bytes = (unsigned char *)text;
        return rc < 0 ? fail(r, "source", rc) : IDT_OK;
    }
    if (a->annotation) {
        /* Peer pods decode the annotation in Go (lenient), kata in Rust. */
        copts.lenient = a->layout == IDT_GUEST_LAYOUT_PEERPOD;
        r->name = "<annotation>";
        r->err.source = r->name;
        const char *value = a->annotation;
        size_t value_len = strlen(value);
        char *held = NULL;
        if (value[0] == '@') { /* @FILE: the value in a file (a boot unit's input) */
            r->name = cli_input_name(value + 1);
            r->err.source = r->name;
            rc = cli_read_input(&held, &value_len, value + 1, IDT_CODEC_MAX_ENCODED_DEFAULT + 2,
                                &r->err);
            if (rc < 0)
                return fail(r, "source", rc);
            if (value_len && held[value_len - 1] == '\n')
                value_len--;
            if (value_len && held[value_len - 1] == '\r')
                value_len--;
            value = held;
        }
        rc = idt_codec_decode(&r->bytes, &r->len, value, value_len, &copts, &r->err);
        free(held);
        cli_codec_warnings_print(r->name, &r->warnings);
        return rc < 0 ? fail(r, "source", rc) : IDT_OK;
    }
    if (!a->device || !strcmp(a->device, "auto")) {
        rc = idt_guest_device_find(r->device, sizeof r->device, a->root, &r->notes, &r->err);
        if (rc < 0)
            return fail(r, "source", rc);
        print_notes(&r->notes);
    } else {
        snprintf(r->device, sizeof r->device, "%s", a->device);
    }
    r->name = r->device;
    r->err.source = r->name;
    rc = idt_guest_device_read(&r->bytes, &r->len, r->device, &copts, &r->err);
    cli_codec_warnings_print(r->name, &r->warnings);
    return rc < 0 ? fail(r, "source", rc) : IDT_OK;
}

/* The loader prints the document's diagnostics and any failure; the first
 * error stays in r->err for the deny-all policy. */
static int validate(apply_run *r)
{
    cli_load_report rep;
    int rc = cli_doc_load(&r->doc, r->name, (const char *)r->bytes, r->len, NULL, &rep);
    r->err = rep.err;
    if (rc >= 0)
        return IDT_OK;
    r->phase = "validation";
    r->status = rc;
    return rc;
}

static void report_binding(const idt_guest_binding *b)
{
    char x[IDT_BINDING_TEXT_MAX];
    if (b->platform == IDT_PLATFORM_VTPM) {
        idt_binding with = { IDT_PLATFORM_VTPM, 32, { 0 } };
        memcpy(with.bytes, b->extended_with, 32);
        fprintf(stderr, "initdata apply: vtpm: PCR 8 extended with %s through %s",
                hex(x, &with), b->source);
        fprintf(stderr, "; it now reads %s, as expected\n", hex(x, &b->actual));
        return;
    }
    fprintf(stderr, "initdata apply: %s: %s %s matches (%s, %s)\n",
            idt_platform_name(b->platform), idt_platform_field_name(b->platform),
            hex(x, &b->actual), idt_guest_method_name(b->method), b->source);
}

static int bind(apply_run *r)
{
    const apply_args *a = r->a;
    idt_guest_bind_options bopts = IDT_GUEST_BIND_OPTIONS_INIT;
    idt_guest_binding b;
    idt_platform p;
    idt_digest d;
    int rc;

    r->err.source = NULL;
    if (a->platform == PLATFORM_NONE) {
        fputs("initdata apply: WARNING: --insecure-no-binding: the document is NOT checked "
              "against the TEE.\ninitdata apply: WARNING: the host can put any configuration "
              "it likes into this guest; never use this in production.\n", stderr);
        return IDT_OK;
    }
    if ((rc = idt_doc_digest(&d, r->doc, &r->err)) < 0)
        return fail(r, "digest", rc);
    if (a->platform == PLATFORM_AUTO) {
        if ((rc = idt_guest_platform_detect(&p, a->root, &r->notes, &r->err)) < 0)
            return fail(r, "platform", rc);
        print_notes(&r->notes);
    } else {
        p = (idt_platform)a->platform;
    }
    bopts.root = a->root;
    bopts.tcti = a->tcti;
    bopts.vtpm_rule = a->rule;
    bopts.force_pcr = a->force_pcr;
    /* The TSS2 stack logs its own errors to stderr; ours carry them. */
    if (p == IDT_PLATFORM_VTPM)
        setenv("TSS2_LOG", "all+none", 0);
    rc = idt_guest_bind(&b, p, &d, &bopts, &r->notes, &r->err);
    if (rc < 0)
        return fail(r, "binding", rc);
    print_notes(&r->notes);
    report_binding(&b);
    return IDT_OK;
}

static void install_options(const apply_run *r, idt_guest_install_options *io)
{
    io->layout = r->a->layout;
    io->out = r->a->out;
    io->root = r->a->root;
    io->all_entries = r->a->all_entries;
}

static int install(apply_run *r)
{
    idt_guest_install_options io = IDT_GUEST_INSTALL_OPTIONS_INIT;
    char where[IDT_GUEST_PATH_MAX];
    install_options(r, &io);
    /* Entry-name errors point into the document. */
    r->err.source = r->name;
    int rc = idt_guest_install(r->doc, &io, &r->notes, &r->err);
    if (rc < 0) {
        if (!r->err.line)
            r->err.source = NULL;
        return fail(r, "install", rc);
    }
    print_notes(&r->notes);
    if (!io.out && idt_guest_default_out(where, sizeof where, io.layout, io.root, NULL) == 0)
        io.out = where;
    printf("initdata apply: installed %s (%s layout, %zu data entr%s in the document)\n",
           io.out, idt_guest_layout_name(io.layout),
           idt_doc_entry_count(r->doc), idt_doc_entry_count(r->doc) == 1 ? "y" : "ies");
    return IDT_OK;
}

/* After a failure: a deny-all policy.rego that carries the error. */
static void install_deny(apply_run *r)
{
    idt_guest_install_options io = IDT_GUEST_INSTALL_OPTIONS_INIT;
    char formatted[CLI_HINTED_MAX + IDT_GUEST_PATH_MAX], reason[sizeof formatted + 64];
    char where[IDT_GUEST_PATH_MAX];
    idt_error e2 = { 0 };
    install_options(r, &io);
    /* "FILE:LINE:COL: error: MSG" when the error is about the input; the
     * message alone when it is about the TEE or the target. */
    if (r->err.source)
        idt_error_format(formatted, sizeof formatted, &r->err);
    else
        snprintf(formatted, sizeof formatted, "%s", r->err.message);
    /* the same advice the error printed with */
    size_t used = strlen(formatted);
    if (cli_hint(r->err.hint))
        snprintf(formatted + used, sizeof formatted - used, " (%s)", cli_hint(r->err.hint));
    snprintf(reason, sizeof reason, "%s failed: %s", r->phase, formatted);
    if (idt_guest_install_deny(reason, &io, &r->notes, &e2) < 0) {
        print_notes(&r->notes);
        fprintf(stderr, "initdata apply: error: cannot install the deny-all policy either: %s\n",
                e2.message);
        return;
    }
    print_notes(&r->notes);
    if (!io.out && idt_guest_default_out(where, sizeof where, io.layout, io.root, NULL) == 0)
        io.out = where;
    fprintf(stderr, "initdata apply: installed a deny-all policy.rego (the Kata agent will "
            "refuse every request) into %s\n", io.out ? io.out : "the default target");
}

static int exit_code(int status)
{
    if (status == IDT_EIO || status == IDT_ENOMEM)
        return CLI_EXIT_ENV;
    return status < 0 ? CLI_EXIT_INVALID : CLI_EXIT_OK;
}

static int run(const apply_args *a)
{
    apply_run r;
    memset(&r, 0, sizeof r);
    r.a = a;
    int rc = read_source(&r);
    if (rc >= 0)
        rc = validate(&r);
    if (rc >= 0)
        rc = bind(&r);
    if (rc >= 0)
        rc = install(&r);
    if (rc < 0 && a->deny)
        install_deny(&r);
    if (rc < 0 && !a->deny)
        fputs("initdata apply: nothing was installed\n", stderr);
    idt_doc_free(r.doc);
    free(r.bytes);
    return exit_code(rc);
}

int cmd_apply(int argc, char **argv)
{
    apply_args a;
    const char *platform = NULL, *rule = NULL, *layout = NULL;
    memset(&a, 0, sizeof a);
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "device", 0, &a.device, "auto|PATH",
          "read the Kata initdata disk PATH, or find it (default: auto)", false },
        { CLI_OPT_VALUE, "toml", 0, &a.toml, "FILE", "read the document from FILE ('-': stdin)",
          false },
        { CLI_OPT_VALUE, "annotation", 0, &a.annotation, "VALUE",
          "decode the document from an annotation value, or @FILE holding one", false },
        { CLI_OPT_VALUE, "platform", 0, &platform, "auto|tdx|snp|vtpm|none",
          "the TEE to check the binding with (default: auto)", false },
        { CLI_OPT_SWITCH, "insecure-no-binding", 0, &a.insecure, NULL,
          "do not check the binding at all (platform none; testing only)", false },
        { CLI_OPT_VALUE, "tcti", 0, &a.tcti, "CONF",
          "vtpm: TSS2 TCTI (default device:/dev/tpmrm0)", false },
        { CLI_OPT_SWITCH, "force-pcr", 0, &a.force_pcr, NULL,
          "vtpm: extend PCR 8 even when it is not all zeros", false },
        { CLI_OPT_VALUE, "vtpm-rule", 0, &rule, "aa|peerpods",
          "vtpm: extend with the sha256 digest (aa) or its first 32 bytes", false },
        { CLI_OPT_VALUE, "root", 0, &a.root, "DIR",
          "prefix every /sys, /dev and /run path with DIR (staged guests)", false },
        { CLI_OPT_VALUE, "out", 'o', &a.out, "DIR",
          "install into DIR (default: the layout's directory under --root)", false },
        { CLI_OPT_SWITCH, "all-entries", 0, &a.all_entries, NULL,
          "also install every other data entry with a safe file name", false },
        { CLI_OPT_VALUE, "layout", 0, &layout, "kata|peerpod",
          "which files and default directory (default: kata)", false },
        { CLI_OPT_SWITCH, "deny-policy-on-error", 0, &a.deny, NULL,
          "on any error install a deny-all policy.rego carrying it", false },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("apply", opts, &help, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    if ((rc = check_args(&a, platform, rule, layout)) != CLI_CONTINUE)
        return rc;
    return run(&a);
}
