/* initdata inspect: everything about one document at a glance — its
 * entries, digest, the value of every TEE field, what each consumer will
 * have trouble with, and what the annotation and the block image cost. */
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "json_out.h"
#include "load.h"
#include "opt.h"
#include "initdata/codec.h"
#include "initdata/digest.h"
#include "initdata/doc.h"
#include "util/error_int.h"
#include "util/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_help help = {
    "initdata inspect [OPTIONS] FILE|-",
    "Describe the Init-Data document FILE: its version and algorithm, each data\n"
    "entry with its size in bytes and lines, the digest, the value every TEE\n"
    "field holds for it (tdx, snp, cca, sgx and se in hex; the vTPM PCR 8 by\n"
    "the attestation-agent rule, when the algorithm allows it, and by the\n"
    "peer-pods rule), the platform warnings (CCA with Trustee needs sha512,\n"
    "vTPM needs sha256, nobody checks SE), the size of the Pod annotation and\n"
    "how much of Kubernetes' 262144-byte annotation budget it uses, and the\n"
    "size of the Kata block image.  The document is validated first, as\n"
    "`initdata check` does; an invalid one is reported the same way (exit 1).\n"
    "With --json, print one JSON object instead (fields in initdata-inspect(1)).",
    "  $ initdata inspect initdata.toml\n"
    "  $ initdata inspect --json initdata.toml | jq .annotation.budget_percent\n"
    "  $ initdata encode initdata.toml > a.b64; initdata decode a.b64 | initdata inspect -\n",
};

/* Kubernetes' limit on the annotations of one object, which the
 * annotation shares with every other annotation of the pod. */
#define BUDGET IDT_CODEC_MAX_ENCODED_DEFAULT

/* The platforms whose field holds the padded or truncated digest. */
static const idt_platform padded[] = { IDT_PLATFORM_TDX, IDT_PLATFORM_SNP, IDT_PLATFORM_CCA,
                                       IDT_PLATFORM_SGX, IDT_PLATFORM_SE };
#define NPADDED (sizeof padded / sizeof padded[0])

/* Every platform, in the order warnings are listed. */
static const idt_platform all_platforms[] = { IDT_PLATFORM_TDX, IDT_PLATFORM_SNP,
                                              IDT_PLATFORM_CCA, IDT_PLATFORM_SGX,
                                              IDT_PLATFORM_SE,  IDT_PLATFORM_VTPM };
#define NPLATFORMS (sizeof all_platforms / sizeof all_platforms[0])

/* One vTPM rule's outcome: the PCR 8 value, or why there is none. */
typedef struct vtpm_value {
    bool ok;
    idt_binding b;
    char why[IDT_ERROR_MESSAGE_MAX];
} vtpm_value;

/* A warning: what it is about ("cca", "annotation", "document") and what
 * it says.  message is static or points into the report's storage. */
typedef struct warning {
    const char *about;
    const char *message;
} warning;

/* Diagnostics the document module may send as warnings (sm3 allowed). */
#define MAX_DOC_WARNINGS 4
#define MAX_WARNINGS (NPLATFORMS + 1 + MAX_DOC_WARNINGS)

/* Everything the report shows, computed before anything is printed. */
typedef struct report {
    const char *name;
    const idt_doc *doc;
    size_t size, lines;
    idt_digest digest;
    idt_binding bindings[NPADDED];
    vtpm_value vtpm_aa, vtpm_peerpods;
    size_t annotation_len, gzip_len, image_len;
    warning warnings[MAX_WARNINGS];
    size_t nwarnings;
    char doc_warnings[MAX_DOC_WARNINGS][IDT_ERROR_MESSAGE_MAX];
    size_t ndoc_warnings;
    char over_budget[IDT_ERROR_MESSAGE_MAX];
} report;

/* Lines as an editor counts them: newlines, plus one for a last line
 * without its newline. */
static size_t count_lines(const char *s, size_t n)
{
    size_t lines = 0;
    for (const char *p = s, *end = s + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        lines++;
    return lines + (n && s[n - 1] != '\n');
}

static double budget_percent(size_t n)
{
    return 100.0 * (double)n / (double)BUDGET;
}

static void add_warning(report *r, const char *about, const char *message)
{
    if (r->nwarnings < MAX_WARNINGS)
        r->warnings[r->nwarnings++] = (warning){ about, message };
}

/* ---- loading ------------------------------------------------------------ */

/* The loader's tap: the document's warnings also go into the report (the
 * loader has printed them). */
static int keep_warning(const idt_doc_diag *d, void *payload)
{
    report *r = payload;
    if (d->severity == IDT_DOC_WARNING && r->ndoc_warnings < MAX_DOC_WARNINGS)
        snprintf(r->doc_warnings[r->ndoc_warnings++], sizeof r->doc_warnings[0], "%s",
                 d->message);
    return 0;
}

/* ---- computing ---------------------------------------------------------- */

/* A rule that does not apply to the digest (IDT_EUNSUPPORTED: the
 * attestation-agent rule on a digest that is not 32 bytes) is part of the
 * report; any other failure is an error. */
static int compute_vtpm(vtpm_value *v, const idt_digest *d, idt_vtpm_rule rule, idt_error *err)
{
    int rc = idt_binding_compute(&v->b, IDT_PLATFORM_VTPM, d, rule, err);
    v->ok = rc >= 0;
    if (rc != IDT_EUNSUPPORTED)
        return rc;
    snprintf(v->why, sizeof v->why, "%s", err->message);
    return IDT_OK;
}

/* The annotation and the image, measured by encoding them.  The budget is
 * not enforced here: a document over it gets a warning, not an error. */
static int compute_sizes(report *r, const char *src, size_t len, idt_error *err)
{
    idt_codec_options o = IDT_CODEC_OPTIONS_INIT;
    o.max_encoded = SIZE_MAX;
    o.max_decoded = len ? len : 1;
    char *value = NULL;
    unsigned char *image = NULL;
    int rc = idt_codec_encode(&value, &r->annotation_len, src, len, &o, err);
    uint64_t gzip_len = 0;
    if (rc >= 0)
        rc = idt_image_encode(&image, &r->image_len, src, len, &o, err);
    /* The image's header says how much of it is gzip; the codec reads it. */
    if (rc >= 0)
        rc = idt_image_check_header(&gzip_len, image, r->image_len, r->image_len, &o, err);
    r->gzip_len = (size_t)gzip_len;
    idt_free(value);
    idt_free(image);
    return rc;
}

static void collect_warnings(report *r)
{
    for (size_t i = 0; i < r->ndoc_warnings; i++)
        add_warning(r, "document", r->doc_warnings[i]);
    for (size_t i = 0; i < NPLATFORMS; i++) {
        const char *w = idt_platform_warning(all_platforms[i], r->digest.alg);
        if (w)
            add_warning(r, idt_platform_name(all_platforms[i]), w);
    }
    if (r->annotation_len > BUDGET) {
        snprintf(r->over_budget, sizeof r->over_budget,
                 "the annotation is %zu bytes, %zu over Kubernetes' limit of %zu bytes for "
                 "all annotations of an object: the API server rejects the pod", r->annotation_len,
                 r->annotation_len - BUDGET, (size_t)BUDGET);
        add_warning(r, "annotation", r->over_budget);
    }
}

static int compute(report *r, idt_error *err)
{
    size_t len;
    const char *src = idt_doc_bytes(r->doc, &len);
    r->size = len;
    r->lines = count_lines(src, len);
    int rc = idt_doc_digest(&r->digest, r->doc, err);
    for (size_t i = 0; rc >= 0 && i < NPADDED; i++)
        rc = idt_binding_compute(&r->bindings[i], padded[i], &r->digest, IDT_VTPM_RULE_AA, err);
    if (rc >= 0)
        rc = compute_vtpm(&r->vtpm_aa, &r->digest, IDT_VTPM_RULE_AA, err);
    if (rc >= 0)
        rc = compute_vtpm(&r->vtpm_peerpods, &r->digest, IDT_VTPM_RULE_PEERPODS, err);
    if (rc >= 0)
        rc = compute_sizes(r, src, len, err);
    if (rc < 0)
        return rc;
    collect_warnings(r);
    return IDT_OK;
}

/* ---- text --------------------------------------------------------------- */

/* Hex of a value wider than this is wrapped (only se's 256 bytes are). */
#define HEX_LINE 128

/* Writes a file name the way a terminal can show it: control characters
 * and bytes that are not UTF-8 escaped.  Returns the columns it takes;
 * with f NULL, only counts them. */
static size_t print_name(FILE *f, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t cols = 0;
    for (size_t i = 0; i < n;) {
        size_t step = p[i] >= 0x80 ? idtx_utf8_seq(p + i, n - i, NULL) : 1;
        if (p[i] < 0x20 || p[i] == 0x7f || step == 0) {
            if (f)
                fprintf(f, "\\x%02x", p[i]);
            cols += 4;
            step = 1;
        } else {
            if (f)
                fwrite(p + i, 1, step, f);
            cols++;
        }
        i += step;
    }
    return cols;
}

static size_t digits(size_t n)
{
    size_t d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

static void print_entries(FILE *f, const idt_doc *doc)
{
    size_t n = idt_doc_entry_count(doc), wname = 0, wsize = 1, wlines = 1;
    for (size_t i = 0; i < n; i++) {
        const idt_doc_entry *e = idt_doc_entry_at(doc, i);
        size_t w = print_name(NULL, e->name, e->name_len);
        wname = w > wname ? w : wname;
        wsize = digits(e->content_len) > wsize ? digits(e->content_len) : wsize;
        size_t l = digits(count_lines(e->content, e->content_len));
        wlines = l > wlines ? l : wlines;
    }
    fprintf(f, "entries:     %zu\n", n);
    for (size_t i = 0; i < n; i++) {
        const idt_doc_entry *e = idt_doc_entry_at(doc, i);
        size_t lines = count_lines(e->content, e->content_len);
        fputs("  ", f);
        size_t w = print_name(f, e->name, e->name_len);
        fprintf(f, "%*s  %*zu byte%s  %*zu line%s\n", (int)(wname - w), "", (int)wsize,
                e->content_len, e->content_len == 1 ? " " : "s", (int)wlines, lines,
                lines == 1 ? "" : "s");
    }
}

/* One row of the bindings table: platform, field, size, value (hex is
 * wrapped under itself when longer than HEX_LINE; prose is not). */
static void print_binding_row(FILE *f, const char *platform, const char *field, int wfield,
                              size_t size, const char *value, bool hex)
{
    int indent = fprintf(f, "  %-4s  %-*s  %3zu  ", platform, wfield, field, size);
    size_t n = strlen(value), line = hex ? HEX_LINE : n;
    for (size_t at = 0; at < n; at += line) {
        if (at)
            fprintf(f, "%*s", indent, "");
        fprintf(f, "%.*s\n", (int)(n - at < line ? n - at : line), value + at);
    }
}

static const char *vtpm_label(idt_vtpm_rule rule)
{
    return rule == IDT_VTPM_RULE_AA ? "PCR 8, attestation-agent rule" : "PCR 8, peer-pods rule";
}

static int print_bindings(FILE *f, const report *r, idt_error *err)
{
    char hex[IDT_BINDING_TEXT_MAX];
    int wfield = (int)strlen(vtpm_label(IDT_VTPM_RULE_AA));
    for (size_t i = 0; i < NPADDED; i++) {
        int w = (int)strlen(idt_platform_field_name(padded[i]));
        wfield = w > wfield ? w : wfield;
    }
    fputs("bindings:    (hex; the digest truncated or zero-padded to the field; vtpm: PCR 8 "
          "after one extend)\n", f);
    for (size_t i = 0; i < NPADDED; i++) {
        if (idt_binding_format(hex, sizeof hex, &r->bindings[i], IDT_ENCODING_HEX, err) < 0)
            return err->code;
        print_binding_row(f, idt_platform_name(padded[i]), idt_platform_field_name(padded[i]),
                          wfield, r->bindings[i].len, hex, true);
    }
    const vtpm_value *v[2] = { &r->vtpm_aa, &r->vtpm_peerpods };
    for (int k = 0; k < 2; k++) {
        char none[IDT_ERROR_MESSAGE_MAX + 8];
        if (v[k]->ok && idt_binding_format(hex, sizeof hex, &v[k]->b, IDT_ENCODING_HEX, err) < 0)
            return err->code;
        snprintf(none, sizeof none, "none: %s", v[k]->why);
        print_binding_row(f, "vtpm", vtpm_label(k ? IDT_VTPM_RULE_PEERPODS : IDT_VTPM_RULE_AA),
                          wfield, idt_platform_field_size(IDT_PLATFORM_VTPM),
                          v[k]->ok ? hex : none, v[k]->ok);
    }
    return IDT_OK;
}

static int print_text(FILE *f, const report *r, idt_error *err)
{
    char hex[IDT_BINDING_TEXT_MAX];
    if (idt_digest_format(hex, sizeof hex, &r->digest, IDT_ENCODING_HEX, err) < 0)
        return err->code;
    fputs("file:        ", f);
    print_name(f, r->name, strlen(r->name));
    fprintf(f, "\nversion:     %s\nalgorithm:   %s\nsize:        %zu bytes, %zu line%s\n",
            idt_doc_version(r->doc), idt_digest_alg_name(r->digest.alg), r->size, r->lines,
            r->lines == 1 ? "" : "s");
    print_entries(f, r->doc);
    fprintf(f, "digest:      %s\n", hex);
    int rc = print_bindings(f, r, err);
    if (rc < 0)
        return rc;
    fprintf(f, "annotation:  %zu bytes, %.2f%% of Kubernetes' %zu-byte annotation budget",
            r->annotation_len, budget_percent(r->annotation_len), (size_t)BUDGET);
    if (r->annotation_len > BUDGET)
        fprintf(f, " (%zu bytes over)", r->annotation_len - BUDGET);
    fprintf(f, "\nimage:       %zu bytes (%d-byte header, %zu bytes of gzip, zero padding to "
               "%d)\n", r->image_len, IDT_IMAGE_HEADER_LEN, r->gzip_len, IDT_IMAGE_ALIGN);
    fputs(r->nwarnings ? "warnings:\n" : "warnings:    none\n", f);
    for (size_t i = 0; i < r->nwarnings; i++)
        fprintf(f, "  %-10s  %s\n", r->warnings[i].about, r->warnings[i].message);
    return IDT_OK;
}

/* ---- JSON --------------------------------------------------------------- */

/* "hex":"...","base64":"..." of a value (a digest when b is NULL). */
static int json_value(FILE *f, const idt_digest *d, const idt_binding *b, idt_error *err)
{
    char hex[IDT_BINDING_TEXT_MAX], b64[IDT_BINDING_TEXT_MAX];
    int rc = b ? idt_binding_format(hex, sizeof hex, b, IDT_ENCODING_HEX, err)
               : idt_digest_format(hex, sizeof hex, d, IDT_ENCODING_HEX, err);
    if (rc >= 0)
        rc = b ? idt_binding_format(b64, sizeof b64, b, IDT_ENCODING_BASE64, err)
               : idt_digest_format(b64, sizeof b64, d, IDT_ENCODING_BASE64, err);
    if (rc < 0)
        return rc;
    fprintf(f, "\"hex\":\"%s\",\"base64\":\"%s\"", hex, b64);
    return IDT_OK;
}

static void json_entries(FILE *f, const idt_doc *doc)
{
    fputs(",\"entries\":[", f);
    for (size_t i = 0; i < idt_doc_entry_count(doc); i++) {
        const idt_doc_entry *e = idt_doc_entry_at(doc, i);
        fputs(i ? ",{\"name\":" : "{\"name\":", f);
        cli_json_string(f, e->name, e->name_len);
        fprintf(f, ",\"size\":%zu,\"lines\":%zu}", e->content_len,
                count_lines(e->content, e->content_len));
    }
    fputc(']', f);
}

/* {"hex":...,"base64":...,"error":null} or the nulls and the reason. */
static int json_vtpm(FILE *f, const char *key, const vtpm_value *v, idt_error *err)
{
    fprintf(f, ",\"%s\":{", key);
    if (v->ok) {
        int rc = json_value(f, NULL, &v->b, err);
        if (rc < 0)
            return rc;
        fputs(",\"error\":null}", f);
        return IDT_OK;
    }
    fputs("\"hex\":null,\"base64\":null,\"error\":", f);
    cli_json_cstring(f, v->why);
    fputc('}', f);
    return IDT_OK;
}

static int json_bindings(FILE *f, const report *r, idt_error *err)
{
    fputs(",\"bindings\":{", f);
    for (size_t i = 0; i < NPADDED; i++) {
        const idt_binding *b = &r->bindings[i];
        char qemu[IDT_BINDING_TEXT_MAX];
        bool has_qemu = idt_platform_qemu_property(b->platform) != NULL;
        fprintf(f, "%s\"%s\":{\"field\":", i ? "," : "", idt_platform_name(b->platform));
        cli_json_cstring(f, idt_platform_field_name(b->platform));
        fprintf(f, ",\"size\":%zu,", b->len);
        if (json_value(f, NULL, b, err) < 0 ||
            (has_qemu && idt_binding_format(qemu, sizeof qemu, b, IDT_ENCODING_QEMU, err) < 0))
            return err->code;
        fputs(",\"qemu\":", f);
        cli_json_cstring(f, has_qemu ? qemu : NULL);
        fputc('}', f);
    }
    fputs(",\"vtpm\":{\"field\":", f);
    cli_json_cstring(f, idt_platform_field_name(IDT_PLATFORM_VTPM));
    fprintf(f, ",\"size\":%zu", idt_platform_field_size(IDT_PLATFORM_VTPM));
    int rc = json_vtpm(f, "aa", &r->vtpm_aa, err);
    if (rc >= 0)
        rc = json_vtpm(f, "peerpods", &r->vtpm_peerpods, err);
    fputs("}}", f);
    return rc;
}

static int print_json(FILE *f, const report *r, idt_error *err)
{
    fputs("{\"file\":", f);
    cli_json_cstring(f, r->name);
    fputs(",\"version\":", f);
    cli_json_cstring(f, idt_doc_version(r->doc));
    fputs(",\"algorithm\":", f);
    cli_json_cstring(f, idt_digest_alg_name(r->digest.alg));
    fprintf(f, ",\"size\":%zu,\"lines\":%zu", r->size, r->lines);
    json_entries(f, r->doc);
    fputs(",\"digest\":{", f);
    int rc = json_value(f, &r->digest, NULL, err);
    fputc('}', f);
    if (rc >= 0)
        rc = json_bindings(f, r, err);
    if (rc < 0)
        return rc;
    fprintf(f, ",\"annotation\":{\"size\":%zu,\"budget\":%zu,\"budget_percent\":%.2f,"
               "\"over_budget\":%s}",
            r->annotation_len, (size_t)BUDGET, budget_percent(r->annotation_len),
            r->annotation_len > BUDGET ? "true" : "false");
    fprintf(f, ",\"image\":{\"size\":%zu,\"gzip_size\":%zu}", r->image_len, r->gzip_len);
    fputs(",\"warnings\":[", f);
    for (size_t i = 0; i < r->nwarnings; i++) {
        fputs(i ? ",{\"about\":" : "{\"about\":", f);
        cli_json_cstring(f, r->warnings[i].about);
        fputs(",\"message\":", f);
        cli_json_cstring(f, r->warnings[i].message);
        fputc('}', f);
    }
    fputs("]}\n", f);
    return IDT_OK;
}

/* ---- the command -------------------------------------------------------- */

/* Validates src (through the loader, diagnostics on stderr), computes the
 * report and writes it into out.  *printed tells whether a failure was
 * already reported. */
static int inspect(report *r, const char *src, size_t len, bool allow_sm3, bool json, FILE *out,
                   bool *printed, idt_error *err)
{
    cli_load_options lo = CLI_LOAD_OPTIONS_INIT;
    lo.doc.allow_sm3 = allow_sm3;
    lo.tap = keep_warning;
    lo.payload = r;
    idt_doc *doc = NULL;
    int rc = cli_doc_load(&doc, r->name, src, len, &lo, NULL);
    *printed = rc < 0;
    if (rc < 0)
        return rc;
    r->doc = doc;
    rc = compute(r, err);
    if (rc >= 0)
        rc = json ? print_json(out, r, err) : print_text(out, r, err);
    idt_doc_free(doc);
    r->doc = NULL;
    return rc;
}

int cmd_inspect(int argc, char **argv)
{
    const char *input = NULL;
    bool json = false, allow_sm3 = false;
    const cli_opt opts[] = {
        { CLI_OPT_SWITCH, "allow-sm3", 0, &allow_sm3, NULL,
          "accept algorithm = \"sm3\" with a warning (kata rejects it)", false },
        { CLI_OPT_SWITCH, "json", 0, &json, NULL, "print one JSON object", false },
        { CLI_OPT_ARG, "file", 0, &input, "FILE", "the document ('-' for stdin)", true },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse("inspect", opts, &help, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;

    idt_error err = { 0 };
    report *r = calloc(1, sizeof *r);
    char *src = NULL, *out = NULL;
    size_t len = 0, out_len = 0;
    bool printed = false;
    FILE *mem = NULL;
    err.source = cli_input_name(input);
    if (!r) {
        cli_diag_msg("out of memory");
        return CLI_EXIT_ENV;
    }
    r->name = err.source;
    rc = cli_read_input(&src, &len, input, IDT_TOML_DEFAULT_MAX_SIZE, &err);
    /* The report goes to memory first, so that a failure never leaves half
     * of it on standard output. */
    if (rc >= 0 && !(mem = open_memstream(&out, &out_len)))
        rc = idtx_error_set(&err, IDT_ENOMEM, NULL, "out of memory");
    if (rc >= 0)
        rc = inspect(r, src, len, allow_sm3, json, mem, &printed, &err);
    if (mem && fclose(mem) != 0 && rc >= 0)
        rc = idtx_error_set(&err, IDT_ENOMEM, NULL, "out of memory");
    if (rc >= 0) {
        err.source = NULL; /* a write error names its own file */
        rc = cli_write_output(NULL, out, out_len, &err);
    }
    if (rc < 0 && !printed)
        cli_diag_error(&err, src, len);
    free(out);
    free(src);
    free(r);
    return cli_exit_code(rc);
}
