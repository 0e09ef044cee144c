/* Helpers shared by the annotate and extract commands: loading a manifest
 * with compiler-style errors, --select parsing, object labels. */
#ifndef CLI_MANIFEST_CLI_H
#define CLI_MANIFEST_CLI_H

#include <stddef.h>
#include "opt.h"
#include "initdata/manifest.h"

typedef struct cli_manifest {
    const char *path; /* as given ("-": stdin) */
    const char *name; /* for messages ("<stdin>" for "-") */
    char *text;
    size_t len;
    idt_manifest *m;
} cli_manifest;

/* Reads and scans path.  On failure prints the error (with the source line)
 * and returns the exit code; 0 on success. */
int cli_manifest_load(cli_manifest *cm, const char *path);
void cli_manifest_dispose(cli_manifest *cm);

/* "file:line:col: warning: msg" with the source line, for a span of cm. */
void cli_manifest_warn(const cli_manifest *cm, const idt_span *at, const char *msg);
/* Same shape for an error. */
void cli_manifest_error(const cli_manifest *cm, const idt_span *at, int code, const char *msg);

/* The parsed --select values: KIND, KIND/NAME or * /NAME ("*" is any). */
typedef struct cli_selectors {
    idt_manifest_selector *v;
    size_t n;
    char **copies;
} cli_selectors;

/* Parses list; a malformed value is a usage error of cmd (returns 2), else
 * CLI_CONTINUE. */
int cli_selectors_parse(cli_selectors *out, const char *cmd, const cli_list *list);
void cli_selectors_dispose(cli_selectors *s);
/* The value as the user wrote it, for messages. */
void cli_selector_text(char *buf, size_t cap, const idt_manifest_selector *s);

/* Checks an Init-Data document (name in messages) as every consumer will,
 * printing what cli_doc_load finds: the annotation is only useful if kata
 * parses it.  With why, the first error's message is copied there.
 * Returns the exit code (0: the document is fine). */
int cli_annotation_check(const char *name, const char *doc, size_t len, idt_error *why);

/* The annotation value of a document (checked as above, then gzip + base64:
 * *value, free with idt_free).  Errors are printed; with why, the first is
 * copied there.  Returns the exit code. */
int cli_annotation_of(char **value, size_t *value_len, const char *name, const char *doc,
                      size_t len, idt_error *why);

/* "Kind/name", or "Kind/name (item N of the List)" for List items. */
void cli_object_label(char *buf, size_t cap, const idt_manifest_object *o);

/* Whether m has a pod-bearing object (annotate passes a stream without one
 * through; krm reports it). */
bool cli_manifest_has_pod(const idt_manifest *m);

#endif
