/* Manifest helpers of the annotate and extract commands (manifest_cli.h). */
#include "manifest_cli.h"
#include "cmd.h"
#include "diag.h"
#include "io.h"
#include "load.h"
#include "initdata/codec.h"
#include "initdata/doc.h"
#include "util/quote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_manifest_load(cli_manifest *cm, const char *path)
{
    memset(cm, 0, sizeof *cm);
    cm->path = path;
    cm->name = cli_input_name(path);
    idt_error err;
    idt_error_clear(&err);
    err.source = cm->name;
    int rc = cli_read_input(&cm->text, &cm->len, path, IDT_MANIFEST_DEFAULT_MAX_SIZE, &err);
    if (rc == IDT_ELIMIT)
        snprintf(err.message, sizeof err.message,
                 "the manifest is larger than the limit of %zu bytes",
                 IDT_MANIFEST_DEFAULT_MAX_SIZE);
    if (rc >= 0)
        rc = idt_manifest_scan(&cm->m, cm->text, cm->len, NULL, &err);
    if (rc < 0) {
        cli_diag_error(&err, cm->text, cm->len);
        cli_manifest_dispose(cm); /* callers dispose only what loaded */
        return cli_exit_code(rc);
    }
    return CLI_EXIT_OK;
}

void cli_manifest_dispose(cli_manifest *cm)
{
    idt_manifest_free(cm->m);
    free(cm->text);
    memset(cm, 0, sizeof *cm);
}

static void report(const cli_manifest *cm, const idt_span *at, int code, const char *msg,
                   bool warning)
{
    idt_error e;
    idt_error_clear(&e);
    e.code = code;
    e.source = cm->name;
    if (at) {
        e.line = at->line;
        e.column = at->column;
        e.offset = at->offset;
        e.has_offset = true;
    }
    snprintf(e.message, sizeof e.message, "%s", msg);
    if (warning)
        cli_diag_warning(&e, cm->text, cm->len);
    else
        cli_diag_error(&e, cm->text, cm->len);
}

void cli_manifest_warn(const cli_manifest *cm, const idt_span *at, const char *msg)
{
    report(cm, at, IDT_OK, msg, true);
}

void cli_manifest_error(const cli_manifest *cm, const idt_span *at, int code, const char *msg)
{
    report(cm, at, code, msg, false);
}

int cli_selectors_parse(cli_selectors *out, const char *cmd, const cli_list *list)
{
    memset(out, 0, sizeof *out);
    if (list->count == 0)
        return CLI_CONTINUE;
    out->v = calloc(list->count, sizeof *out->v);
    out->copies = calloc(list->count, sizeof *out->copies);
    if (!out->v || !out->copies) {
        cli_diag_msg("out of memory");
        return CLI_EXIT_ENV;
    }
    for (size_t i = 0; i < list->count; i++) {
        char *s = strdup(list->items[i]);
        if (!s) {
            cli_diag_msg("out of memory");
            return CLI_EXIT_ENV;
        }
        out->copies[out->n] = s;
        idt_manifest_selector *sel = &out->v[out->n++];
        char *slash = strchr(s, '/');
        if (slash)
            *slash = '\0';
        const char *name = slash ? slash + 1 : NULL;
        if (!*s || (name && (!*name || strchr(name, '/'))))
            return cli_usage_error(cmd, "--select wants KIND, KIND/NAME or */NAME, not '%s'",
                                   list->items[i]);
        sel->kind = strcmp(s, "*") ? s : NULL;
        sel->name = name && strcmp(name, "*") ? name : NULL;
    }
    return CLI_CONTINUE;
}

void cli_selectors_dispose(cli_selectors *s)
{
    for (size_t i = 0; s->copies && i < s->n; i++)
        free(s->copies[i]);
    free(s->copies);
    free(s->v);
    memset(s, 0, sizeof *s);
}

void cli_selector_text(char *buf, size_t cap, const idt_manifest_selector *s)
{
    snprintf(buf, cap, "%s%s%s", s->kind ? s->kind : "*", s->name ? "/" : "",
             s->name ? s->name : "");
}

/* Kinds and names come from the file: quote them when they hold anything
 * a terminal could take for a control sequence. */
static const char *printable(char q[IDTX_QUOTE_MAX], const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return idtx_quote(q, s, strlen(s));
    return s;
}

void cli_object_label(char *buf, size_t cap, const idt_manifest_object *o)
{
    char qk[IDTX_QUOTE_MAX], qn[IDTX_QUOTE_MAX];
    const char *kind = printable(qk, o->kind);
    const char *name = o->name[0] ? printable(qn, o->name) : "(no name)";
    if (o->item != IDT_MANIFEST_NO_ITEM)
        snprintf(buf, cap, "%s/%s (item %zu of a List)", kind, name, o->item + 1);
    else
        snprintf(buf, cap, "%s/%s", kind, name);
}

int cli_annotation_check(const char *name, const char *doc, size_t len, idt_error *why)
{
    idt_doc *d = NULL;
    cli_load_report rep;
    memset(&rep, 0, sizeof rep);
    int rc = cli_doc_load(&d, name, doc, len, NULL, &rep);
    idt_doc_free(d);
    if (rc < 0 && why)
        *why = rep.err;
    return cli_exit_code(rc);
}

int cli_annotation_of(char **value, size_t *value_len, const char *name, const char *doc,
                      size_t len, idt_error *why)
{
    /* The encoder's refusal of an empty document says what the runtimes do
     * with one; the TOML rules would only say that version is missing. */
    int ec = len ? cli_annotation_check(name, doc, len, why) : CLI_EXIT_OK;
    if (ec != CLI_EXIT_OK)
        return ec;
    idt_error err;
    idt_error_clear(&err);
    err.source = name;
    int rc = idt_codec_encode(value, value_len, doc, len, NULL, &err);
    if (rc < 0) {
        cli_diag_error(&err, NULL, 0);
        if (why)
            *why = err;
        return cli_exit_code(rc);
    }
    return CLI_EXIT_OK;
}

bool cli_manifest_has_pod(const idt_manifest *m)
{
    for (size_t i = 0; i < idt_manifest_object_count(m); i++) {
        idt_manifest_object o;
        if (idt_manifest_object_at(&o, m, i, NULL) == IDT_OK && o.pod_bearing)
            return true;
    }
    return false;
}
