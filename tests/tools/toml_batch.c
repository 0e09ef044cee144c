/*
 * toml_batch: parses many TOML documents in one process, for the
 * differential test against Python's tomllib (tests/toml/test_differential.py).
 *
 * Usage: toml_batch --toml 1.0|1.1 (the TOML version every document is read as).
 * Input (stdin): documents framed as "<decimal length>\n<length bytes>".
 * Output (stdout): one line per document:
 *   - the tagged JSON (toml-test form) on one line, when the parser accepts it;
 *   - "ERR <line>:<col>: <message>" when it rejects it (IDT_ESYNTAX/IDT_ELIMIT);
 *   - "FAIL <status>: <message>" for any other outcome (a bug to report).
 * Exit status: 0, or 2 for malformed framing.
 */
#include "initdata/toml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DOC ((size_t)IDT_TOML_DEFAULT_MAX_SIZE)

/* Reads "<digits>\n".  Returns 1 with *len set, 0 at a clean end of input,
 * -1 on bad framing. */
static int read_frame_header(FILE *in, size_t *len)
{
    int c = getc(in);
    if (c == EOF)
        return 0;
    size_t n = 0;
    int digits = 0;
    for (; c >= '0' && c <= '9'; c = getc(in), digits++) {
        if (n > (MAX_DOC - (size_t)(c - '0')) / 10)
            return -1;
        n = n * 10 + (size_t)(c - '0');
    }
    if (c != '\n' || !digits)
        return -1;
    *len = n;
    return 1;
}

/* Prints a message on one line: control characters become spaces. */
static void print_one_line(const char *prefix, const char *msg)
{
    fputs(prefix, stdout);
    for (const char *p = msg; *p; p++)
        putchar((unsigned char)*p < 0x20 ? ' ' : *p);
    putchar('\n');
}

static void process(const char *src, size_t len, const idt_toml_options *opts)
{
    idt_toml_doc *doc = NULL;
    idt_error err = { 0 };
    char msg[IDT_ERROR_MESSAGE_MAX + 64];
    int rc = idt_toml_parse(&doc, src, len, opts, &err);
    if (rc == IDT_ESYNTAX || rc == IDT_ELIMIT) {
        idt_error_format(msg, sizeof msg, &err);
        print_one_line("ERR ", msg);
        return;
    }
    if (rc < 0) {
        snprintf(msg, sizeof msg, "parse returned %s: %s", idt_status_str(rc), err.message);
        print_one_line("FAIL ", msg);
        return;
    }
    char *json = NULL;
    size_t json_len = 0;
    rc = idt_toml_to_json(&json, &json_len, idt_toml_doc_root(doc), IDT_TOML_JSON_TAGGED, &err);
    if (rc < 0) {
        snprintf(msg, sizeof msg, "emit returned %s: %s", idt_status_str(rc), err.message);
        print_one_line("FAIL ", msg);
    } else {
        fwrite(json, 1, json_len, stdout); /* ends in its newline */
    }
    idt_free(json);
    idt_toml_doc_free(doc);
}

int main(int argc, char **argv)
{
    idt_toml_options opts = IDT_TOML_OPTIONS_INIT;
    if (argc != 3 || strcmp(argv[1], "--toml") != 0 ||
        idt_toml_spec_parse(&opts.spec, argv[2], strlen(argv[2]), NULL) < 0) {
        fputs("usage: toml_batch --toml 1.0|1.1 < frames\n", stderr);
        return 2;
    }
    size_t len;
    int more;
    while ((more = read_frame_header(stdin, &len)) > 0) {
        /* An exact-size block per document, so ASan sees any read past
         * its end. */
        char *doc = malloc(len ? len : 1);
        if (!doc) {
            fputs("toml_batch: out of memory\n", stderr);
            return 3;
        }
        if (fread(doc, 1, len, stdin) != len) {
            free(doc);
            more = -1;
            break;
        }
        process(doc, len, &opts);
        free(doc);
    }
    if (more < 0) {
        fputs("toml_batch: malformed framing on stdin\n", stderr);
        return 2;
    }
    return fflush(stdout) == 0 ? 0 : 3;
}
