/*
 * json_batch: reads many JSON texts with the library's reader
 * (lib/util/json_read.h) in one process, for the differential test against
 * Python's json module (tests/json/test_json_differential.py).
 *
 * Usage: json_batch [MAX_DEPTH [MAX_TOKENS]]   (defaults 256 and 1<<22)
 * Input (stdin): texts framed as "<decimal length>\n<length bytes>".
 * Output (stdout): one line per text:
 *   - "OK <json>" when the reader accepts it: the token tree emitted again
 *     as compact JSON (every member in order, duplicates included; strings
 *     decoded and escaped again: '"', '\\' and bytes below 0x20 as escapes,
 *     the rest as UTF-8), so that Python can load it and compare values;
 *   - "ERR <status> <line>:<col> <offset>: <message>" when it rejects it
 *     with IDT_ESYNTAX, IDT_EFORMAT or IDT_ELIMIT (status as the enum's
 *     suffix: ESYNTAX, EFORMAT, ELIMIT);
 *   - "FAIL <what>" for any other outcome, or when a promise of the token
 *     array does not hold (a bug to report).
 * Before emitting, it checks the promises the webhook relies on: `next`
 * and `count` agree with the children, every object member is found by
 * idtx_json_member (the last of its duplicates), idtx_json_string_eq
 * agrees with the decoded text, and the decoded text is never longer than
 * the raw one.
 * Exit status: 0, 2 for malformed framing, 3 out of memory or a write error.
 */
#include "util/buf.h"
#include "util/json_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DOC ((size_t)64 << 20)

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

static void print_one_line(const char *prefix, const char *msg)
{
    fputs(prefix, stdout);
    for (const char *p = msg; *p; p++)
        putchar((unsigned char)*p < 0x20 ? ' ' : *p);
    putchar('\n');
}

/* The decoded text of string i, in a buffer the caller disposes. */
static int decoded(const idtx_json *j, size_t i, idtx_buf *b, char *why, size_t cap)
{
    idt_error err;
    idtx_buf_init(b, j->tok[i].len, "a decoded string");
    if (idtx_json_string_decode(j, i, b, &err) < 0) {
        snprintf(why, cap, "decoding string %zu (raw %u bytes): %.100s", i,
                 (unsigned)j->tok[i].len, err.message);
        return -1;
    }
    if (!b->data) /* nothing reserved: an empty string */
        return 0;
    if (!idtx_json_string_eq(j, i, b->data, b->len)) {
        snprintf(why, cap, "idtx_json_string_eq(%zu) disagrees with its decoding", i);
        return -1;
    }
    return 0;
}

static int emit_string(const idtx_json *j, size_t i, idtx_buf *out, char *why, size_t cap)
{
    idtx_buf b;
    if (decoded(j, i, &b, why, cap) < 0) {
        idtx_buf_dispose(&b);
        return -1;
    }
    int rc = idtx_buf_putc(out, '"', NULL);
    for (size_t k = 0; rc == 0 && k < b.len; k++) {
        unsigned char c = (unsigned char)b.data[k];
        if (c == '"' || c == '\\')
            rc = idtx_buf_printf(out, NULL, "\\%c", c);
        else if (c < 0x20)
            rc = idtx_buf_printf(out, NULL, "\\u%04x", c);
        else
            rc = idtx_buf_putc(out, (char)c, NULL);
    }
    if (rc == 0)
        rc = idtx_buf_putc(out, '"', NULL);
    idtx_buf_dispose(&b);
    if (rc < 0)
        snprintf(why, cap, "out of memory");
    return rc;
}

/* Members of object `obj` whose decoded keys are equal: checks that
 * idtx_json_member finds the last one for every key without a NUL. */
static int check_members(const idtx_json *j, size_t obj, char *why, size_t cap)
{
    size_t k = obj + 1;
    for (uint32_t m = 0; m < j->tok[obj].count; m++) {
        idtx_buf key;
        if (decoded(j, k, &key, why, cap) < 0) {
            idtx_buf_dispose(&key);
            return -1;
        }
        const char *name = key.data ? key.data : "";
        size_t last = k + 1;
        /* Later members with the same key. */
        size_t k2 = j->tok[k + 1].next;
        for (uint32_t m2 = m + 1; m2 < j->tok[obj].count; m2++) {
            if (idtx_json_string_eq(j, k2, name, key.len))
                last = k2 + 1;
            k2 = j->tok[k2 + 1].next;
        }
        if (memchr(name, '\0', key.len) == NULL) {
            size_t got = idtx_json_member(j, obj, name);
            if (got != last) {
                snprintf(why, cap, "idtx_json_member(%zu, \"%.40s\") = %zu, want %zu", obj,
                         name, got, last);
                idtx_buf_dispose(&key);
                return -1;
            }
        }
        idtx_buf_dispose(&key);
        k = j->tok[k + 1].next;
    }
    return 0;
}

/* Emits the value at token i; returns the index after it, or 0 on failure. */
static size_t emit(const idtx_json *j, size_t i, idtx_buf *out, char *why, size_t cap)
{
    if (i >= j->ntok) {
        snprintf(why, cap, "token %zu past the end (%zu tokens)", i, j->ntok);
        return 0;
    }
    const idtx_json_tok *t = &j->tok[i];
    if (t->next <= i || t->next > j->ntok || (size_t)t->start + t->len > j->len) {
        snprintf(why, cap, "token %zu: next %u, start %u, len %u", i, (unsigned)t->next,
                 (unsigned)t->start, (unsigned)t->len);
        return 0;
    }
    switch (t->type) {
    case IDTX_JSON_OBJECT:
    case IDTX_JSON_ARRAY: {
        bool obj = t->type == IDTX_JSON_OBJECT;
        if (obj && check_members(j, i, why, cap) < 0)
            return 0;
        if (idtx_buf_putc(out, obj ? '{' : '[', NULL) < 0)
            goto nomem;
        size_t k = i + 1;
        for (uint32_t m = 0; m < t->count; m++) {
            if (m && idtx_buf_putc(out, ',', NULL) < 0)
                goto nomem;
            if (obj) {
                if (k >= j->ntok || j->tok[k].type != IDTX_JSON_STRING) {
                    snprintf(why, cap, "member %u of object %zu has no string key", m, i);
                    return 0;
                }
                if (emit_string(j, k, out, why, cap) < 0)
                    return 0;
                if (idtx_buf_putc(out, ':', NULL) < 0)
                    goto nomem;
                k++;
            }
            size_t after = emit(j, k, out, why, cap);
            if (!after)
                return 0;
            if (after != j->tok[k].next) {
                snprintf(why, cap, "token %zu: next %u, its subtree ends at %zu", k,
                         (unsigned)j->tok[k].next, after);
                return 0;
            }
            k = after;
        }
        if (k != t->next) {
            snprintf(why, cap, "container %zu: %u children end at %zu, next says %u", i,
                     (unsigned)t->count, k, (unsigned)t->next);
            return 0;
        }
        if (idtx_buf_putc(out, obj ? '}' : ']', NULL) < 0)
            goto nomem;
        return k;
    }
    case IDTX_JSON_STRING:
        return emit_string(j, i, out, why, cap) < 0 ? 0 : i + 1;
    case IDTX_JSON_NUMBER:
    case IDTX_JSON_TRUE:
    case IDTX_JSON_FALSE:
    case IDTX_JSON_NULL:
        if (idtx_buf_put(out, j->src + t->start, t->len, NULL) < 0)
            goto nomem;
        return i + 1;
    default:
        snprintf(why, cap, "token %zu has type %u", i, (unsigned)t->type);
        return 0;
    }
nomem:
    snprintf(why, cap, "out of memory");
    return 0;
}

static const char *status_name(int rc)
{
    switch (rc) {
    case IDT_ESYNTAX: return "ESYNTAX";
    case IDT_EFORMAT: return "EFORMAT";
    case IDT_ELIMIT: return "ELIMIT";
    default: return NULL;
    }
}

static void process(const char *src, size_t len, unsigned max_depth, size_t max_tokens)
{
    idtx_json j;
    idt_error err;
    idt_error_clear(&err);
    char msg[IDT_ERROR_MESSAGE_MAX + 128];
    int rc = idtx_json_parse(&j, src, len, max_depth, max_tokens, &err);
    if (rc < 0) {
        const char *name = status_name(rc);
        if (name && err.code == rc && err.has_offset && err.offset <= len)
            snprintf(msg, sizeof msg, "%s %u:%u %llu: %s", name, (unsigned)err.line,
                     (unsigned)err.column, (unsigned long long)err.offset, err.message);
        else
            snprintf(msg, sizeof msg, "parse returned %s (err %d, offset %llu): %s",
                     idt_status_str(rc), (int)err.code, (unsigned long long)err.offset,
                     err.message);
        print_one_line(name && err.code == rc ? "ERR " : "FAIL ", msg);
        return;
    }
    idtx_buf out;
    idtx_buf_init(&out, 4 * len + 64, "the re-emitted JSON");
    char why[256] = "";
    size_t after = j.ntok ? emit(&j, 0, &out, why, sizeof why) : 0;
    if (!j.ntok)
        snprintf(why, sizeof why, "accepted with no tokens");
    else if (after && after != j.ntok)
        snprintf(why, sizeof why, "the value ends at token %zu of %zu", after, j.ntok);
    if (why[0]) {
        print_one_line("FAIL ", why);
    } else {
        fputs("OK ", stdout);
        fwrite(out.data, 1, out.len, stdout);
        putchar('\n');
    }
    idtx_buf_dispose(&out);
    idtx_json_dispose(&j);
}

int main(int argc, char **argv)
{
    unsigned long max_depth = 256;
    unsigned long long max_tokens = 1u << 22;
    char *end;
    if (argc > 3 || (argc > 1 && ((max_depth = strtoul(argv[1], &end, 10)) == 0 || *end)) ||
        (argc > 2 && ((max_tokens = strtoull(argv[2], &end, 10)) == 0 || *end))) {
        fputs("usage: json_batch [MAX_DEPTH [MAX_TOKENS]] < frames\n", stderr);
        return 2;
    }
    size_t len;
    int more;
    while ((more = read_frame_header(stdin, &len)) > 0) {
        /* An exact-size block per text, so ASan sees any read past its end. */
        char *doc = malloc(len ? len : 1);
        if (!doc) {
            fputs("json_batch: out of memory\n", stderr);
            return 3;
        }
        if (fread(doc, 1, len, stdin) != len) {
            free(doc);
            more = -1;
            break;
        }
        process(doc, len, (unsigned)max_depth, (size_t)max_tokens);
        free(doc);
    }
    if (more < 0) {
        fputs("json_batch: malformed framing on stdin\n", stderr);
        return 2;
    }
    return fflush(stdout) == 0 ? 0 : 3;
}
