/*
 * fuzz_manifest_annotate.c - idt_manifest_scan + idt_manifest_annotate on
 * arbitrary bytes.
 *
 * The first byte picks the options: bits 0-1 the keys (0 and 3: current,
 * 1: legacy... see below), bit 2 a value that must be double-quoted, bit 3 a
 * small depth limit, bit 4 a selector.  The rest is the manifest.
 * Promises checked (a broken one aborts, so the fuzzer reports it):
 *   - nothing crashes, leaks or reads out of bounds (ASan/UBSan);
 *   - a failure is a documented status with a consistent error record, and
 *     never IDT_ERROR (the module's own check of its output);
 *   - input that libyaml parses, once annotated, still parses, holds the
 *     value under the chosen keys (read back by a fresh scan), and keeps
 *     every byte before the first edit and after the last one;
 *   - annotating the output again changes nothing.
 */
#include "fuzz.h"
#include "initdata/manifest.h"

#include <yaml.h>

/* Whether libyaml's event parser reads the whole stream. */
static bool yaml_parses(const uint8_t *s, size_t len)
{
    yaml_parser_t p;
    CHECK(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, s, len);
    bool ok = true;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            ok = false;
            break;
        }
        bool end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    return ok;
}

static void check_error(int rc, const idt_error *err, size_t len)
{
    if (rc == IDT_ERROR)
        fprintf(stderr, "%u:%u: %s\n", (unsigned)err->line, (unsigned)err->column, err->message);
    CHECK(rc >= IDT_EINVAL);
    fuzz_check_error(rc, err, len);
}

/* The annotation must now read back as value under exactly the keys asked
 * for, on every selected pod-bearing object. */
static void check_values(const idt_manifest *m, const idt_manifest_report *rep,
                         const char *value, size_t vlen, unsigned keys)
{
    for (size_t c = 0; c < rep->change_count; c++) {
        idt_manifest_annotations an;
        CHECK(idt_manifest_get_annotations(&an, m, rep->changes[c].object, NULL) == IDT_OK);
        for (int k = 0; k < 2; k++) {
            bool want = (keys >> k) & 1u;
            CHECK(want == (an.value[k] != NULL));
            CHECK(!want || (an.value_len[k] == vlen && !memcmp(an.value[k], value, vlen)));
        }
        CHECK(an.total_bytes == rep->changes[c].total_bytes);
        CHECK(an.total_bytes <= an.budget);
    }
}

static void walk_objects(const idt_manifest *m)
{
    for (size_t i = 0; i < idt_manifest_object_count(m); i++) {
        idt_manifest_object o;
        CHECK(idt_manifest_object_at(&o, m, i, NULL) == IDT_OK);
        CHECK(o.kind && o.name && (o.pod_bearing == (o.path != NULL)));
        if (o.pod_bearing) {
            idt_manifest_annotations an;
            idt_error err;
            idt_error_clear(&err);
            int rc = idt_manifest_get_annotations(&an, m, i, &err);
            if (rc != IDT_OK)
                CHECK(rc == IDT_ESCHEMA && err.code == rc);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0];
    const uint8_t *src = data + 1;
    size_t len = size - 1;

    static const char b64[] = "H4sIAAAAAAAA/+3OsQ2AMBAEwZ+8/Q==";
    static const char quoted[] = "needs \"quotes\": #\n\t\xe2\x80\xa8 true";
    const char *value = (flags & 4) ? quoted : b64;
    size_t vlen = strlen(value);
    unsigned keys = (flags & 3) == 0 ? IDT_MANIFEST_KEYS_CURRENT : (flags & 3);

    idt_manifest_options mo = IDT_MANIFEST_OPTIONS_INIT;
    mo.max_depth = (flags & 8) ? 6 : 64;
    mo.max_nodes = 4096;
    idt_manifest_annotate_options ao = IDT_MANIFEST_ANNOTATE_OPTIONS_INIT;
    ao.keys = keys;
    idt_manifest_selector sel = { "pod", NULL };
    if (flags & 16) {
        ao.select = &sel;
        ao.select_count = 1;
    }

    bool parses = yaml_parses(src, len);
    idt_manifest *m = NULL;
    idt_error err;
    idt_error_clear(&err);
    int rc = idt_manifest_scan(&m, (const char *)src, len, &mo, &err);
    if (rc != IDT_OK) {
        check_error(rc, &err, len);
        CHECK(m == NULL);
        /* Valid YAML fails only on a limit, a duplicate key or UTF-16. */
        CHECK(!parses || rc == IDT_ELIMIT || rc == IDT_ESCHEMA || rc == IDT_EUNSUPPORTED);
        return 0;
    }
    CHECK(parses);
    walk_objects(m);

    char *out = NULL;
    size_t out_len = 0;
    idt_manifest_report rep;
    rc = idt_manifest_annotate(&out, &out_len, m, value, vlen, &ao, &rep, &err);
    if (rc != IDT_OK) {
        check_error(rc, &err, len);
        CHECK(out == NULL);
    } else {
        CHECK(out != NULL && out[out_len] == '\0');
        CHECK(yaml_parses((const uint8_t *)out, out_len));
        /* Bytes outside the edits: a common prefix and suffix remain. */
        size_t pre = 0;
        while (pre < len && pre < out_len && out[pre] == (char)src[pre])
            pre++;
        size_t suf = 0;
        while (suf < len - pre && suf < out_len - pre &&
               out[out_len - 1 - suf] == (char)src[len - 1 - suf])
            suf++;
        CHECK(pre + suf <= len && out_len >= pre + suf);

        idt_manifest *m2 = NULL;
        idt_manifest_options big = mo;
        big.max_depth += 4;
        big.max_nodes = 0;
        big.max_size = out_len + 1;
        CHECK(idt_manifest_scan(&m2, out, out_len, &big, NULL) == IDT_OK);
        CHECK(idt_manifest_object_count(m2) == idt_manifest_object_count(m));
        check_values(m2, &rep, value, vlen, keys);

        char *again = NULL;
        size_t again_len = 0;
        CHECK(idt_manifest_annotate(&again, &again_len, m2, value, vlen, &ao, NULL, NULL) ==
              IDT_OK);
        CHECK(again_len == out_len && !memcmp(again, out, out_len));
        idt_free(again);
        idt_manifest_free(m2);
    }
    idt_manifest_report_dispose(&rep);
    idt_free(out);
    idt_manifest_free(m);
    return 0;
}
