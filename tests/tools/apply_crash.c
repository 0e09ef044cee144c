/*
 * apply_crash: installs a document with idt_guest_install and kills itself
 * with SIGKILL at the K-th step of the install (the progress hook), for the
 * crash test in tests/guest/test_apply.sh.  The fault injection lives here,
 * in a test program, not in the tool or the library.
 *
 *   apply_crash DOC OUT 0   install normally; print the number of steps
 *   apply_crash DOC OUT K   die by SIGKILL at step K (1-based)
 *
 * Exit status: 0 (K = 0, installed), 1 (the install failed), 2 (usage);
 * for K > 0 the process normally dies by SIGKILL.
 */
#include "initdata/guest.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct killer {
    long at, calls;
} killer;

static int on_step(void *ctx, idt_guest_install_step step, const char *name)
{
    killer *k = ctx;
    (void)step;
    (void)name;
    if (++k->calls == k->at)
        raise(SIGKILL);
    return 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (*len + 65536 > cap) {
            char *nb = realloc(buf, cap = cap * 2 + 65536);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t n = fread(buf + *len, 1, cap - *len, f);
        *len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: apply_crash DOC OUT K\n", stderr);
        return 2;
    }
    size_t len = 0;
    char *text = read_file(argv[1], &len);
    idt_doc *doc = NULL;
    idt_error err = { 0 };
    if (!text || idt_doc_parse(&doc, text, len, NULL, &err) < 0) {
        fprintf(stderr, "apply_crash: %s: %s\n", argv[1], text ? err.message : "unreadable");
        free(text);
        return 1;
    }
    killer k = { strtol(argv[3], NULL, 10), 0 };
    idt_guest_install_options o = IDT_GUEST_INSTALL_OPTIONS_INIT;
    o.out = argv[2];
    o.all_entries = true;
    o.hook = on_step;
    o.hook_ctx = &k;
    int rc = idt_guest_install(doc, &o, NULL, &err);
    if (rc < 0)
        fprintf(stderr, "apply_crash: %s\n", err.message);
    else if (k.at == 0)
        printf("%ld\n", k.calls);
    idt_doc_free(doc);
    free(text);
    return rc < 0 ? 1 : 0;
}
