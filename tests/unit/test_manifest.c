/* Unit tests of initdata/manifest.h: finding pod-bearing objects, reading
 * and splicing the Init-Data annotation, the budget, limits and errors.
 * Expected texts are written out by hand: each is the input with exactly
 * the annotation's bytes added or replaced. */
#include "idt_unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "initdata/manifest.h"

#define CUR IDT_MANIFEST_KEY_CURRENT_NAME
#define LEG IDT_MANIFEST_KEY_LEGACY_NAME
#define V "H4sIAAAAAAAA/+3OsQ2AMBAEwZ+8/Q=="

static idt_manifest *scan(const char *text)
{
    idt_manifest *m = NULL;
    idt_error err;
    idt_error_clear(&err);
    int rc = idt_manifest_scan(&m, text, strlen(text), NULL, &err);
    if (rc != IDT_OK)
        fail_msg("scan failed: %d %u:%u %s", rc, err.line, err.column, err.message);
    return m;
}

/* Annotates text with value under keys and returns the status; *out gets
 * the text (or NULL).  err and rep may be NULL. */
static int annotate_keys(char **out, const char *text, const char *value, unsigned keys,
                         idt_manifest_report *rep, idt_error *err)
{
    idt_manifest *m = scan(text);
    idt_manifest_annotate_options o = IDT_MANIFEST_ANNOTATE_OPTIONS_INIT;
    o.keys = keys;
    size_t len = 0;
    int rc = idt_manifest_annotate(out, &len, m, value, strlen(value), &o, rep, err);
    if (rc == IDT_OK)
        assert_int_equal(len, strlen(*out));
    idt_manifest_free(m);
    return rc;
}

static void expect_edit(const char *in, const char *want, unsigned keys)
{
    char *out = NULL;
    idt_error err;
    idt_error_clear(&err);
    int rc = annotate_keys(&out, in, V, keys, NULL, &err);
    if (rc != IDT_OK)
        fail_msg("annotate failed: %d %u:%u %s", rc, err.line, err.column, err.message);
    assert_string_equal(out, want);
    idt_free(out);
}

/* --- objects ------------------------------------------------------------ */

static const char multi[] =
    "# bundle\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: svc}\n"
    "---\n"
    "kind: List\n"
    "items:\n"
    "- kind: Pod\n"
    "  metadata:\n"
    "    name: \"caf\xc3\xa9\"\n"
    "- kind: ConfigMap\n"
    "---\n"
    "just a scalar\n"
    "---\n"
    "kind: CronJob\n"
    "metadata:\n"
    "  name: nightly\n"
    "spec: {jobTemplate: {spec: {template: {spec: {runtimeClassName: kata}}}}}\n"
    "---\n"
    "apiVersion: v1\n"
    "items: [{kind: Pod}]\n"
    "kind: Secret\n";

static void test_scan__objects_in_order(void **state)
{
    (void)state;
    idt_manifest *m = scan(multi);
    static const struct {
        const char *kind, *name;
        size_t doc, item;
        bool pod;
        uint32_t line;
    } want[] = {
        { "Service", "svc", 0, IDT_MANIFEST_NO_ITEM, false, 2 },
        { "List", "", 1, IDT_MANIFEST_NO_ITEM, false, 6 },
        { "Pod", "caf\xc3\xa9", 1, 0, true, 8 },
        { "ConfigMap", "", 1, 1, false, 11 },
        { "CronJob", "nightly", 3, IDT_MANIFEST_NO_ITEM, true, 15 },
        { "Secret", "", 4, IDT_MANIFEST_NO_ITEM, false, 20 }, /* items of a non-List: none */
    };
    assert_int_equal(idt_manifest_object_count(m), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        idt_manifest_object o;
        assert_status(idt_manifest_object_at(&o, m, i, NULL), IDT_OK, NULL);
        assert_string_equal(o.kind, want[i].kind);
        assert_string_equal(o.name, want[i].name);
        assert_int_equal(o.document, want[i].doc);
        assert_int_equal(o.item, want[i].item);
        assert_int_equal(o.pod_bearing, want[i].pod);
        assert_int_equal(o.span.line, want[i].line);
    }
    idt_manifest_object o;
    assert_status(idt_manifest_object_at(&o, m, 4, NULL), IDT_OK, NULL);
    assert_string_equal(o.path, "spec.jobTemplate.spec.template.metadata.annotations");
    assert_status(idt_manifest_object_at(&o, m, 6, NULL), IDT_EINVAL, NULL);
    size_t len;
    assert_string_equal(idt_manifest_text(m, &len), multi);
    assert_int_equal(len, strlen(multi));
    idt_manifest_free(m);
}

static void test_scan__annotations_values_and_positions(void **state)
{
    (void)state;
    /* Multi-byte characters before the value: spans are in bytes. */
    const char *text = "kind: Pod # \xc3\xbc\xc3\xbc\n"
                       "metadata:\n"
                       "  annotations:\n"
                       "    x: \"\xe2\x9c\x93\"\n"
                       "    " CUR ": \"H4s\\x49\"\n"
                       "    " LEG ": |\n"
                       "      multi\n"
                       "      line\n"
                       "spec:\n"
                       "  runtimeClassName: kata-qemu-tdx\n";
    idt_manifest *m = scan(text);
    idt_manifest_annotations an;
    assert_status(idt_manifest_get_annotations(&an, m, 0, NULL), IDT_OK, NULL);
    assert_true(an.present);
    assert_int_equal(an.count, 3);
    /* x + ✓ (3 bytes) + current key + "H4sI" + legacy key + "multi\nline\n" */
    assert_int_equal(an.total_bytes, 1 + 3 + strlen(CUR) + 4 + strlen(LEG) + 11);
    assert_int_equal(an.budget, IDT_MANIFEST_ANNOTATION_BUDGET);
    assert_string_equal(an.value[IDT_MANIFEST_KEY_CURRENT], "H4sI");
    assert_int_equal(an.value_len[IDT_MANIFEST_KEY_CURRENT], 4);
    assert_string_equal(an.value[IDT_MANIFEST_KEY_LEGACY], "multi\nline\n");
    const char *at = strstr(text, "\"H4s");
    assert_int_equal(an.span[IDT_MANIFEST_KEY_CURRENT].offset, (size_t)(at - text));
    assert_int_equal(an.span[IDT_MANIFEST_KEY_CURRENT].length, strlen("\"H4s\\x49\""));
    assert_int_equal(an.span[IDT_MANIFEST_KEY_CURRENT].line, 5);
    assert_int_equal(an.span[IDT_MANIFEST_KEY_CURRENT].column, 4 + strlen(CUR) + 3);
    assert_int_equal(an.span[IDT_MANIFEST_KEY_LEGACY].line, 6);
    assert_string_equal(an.runtime_class, "kata-qemu-tdx");
    assert_status(idt_manifest_get_annotations(&an, m, 1, NULL), IDT_EINVAL, NULL);
    idt_manifest_free(m);

    m = scan("kind: Deployment\nspec:\n  template:\n    spec: {}\n");
    assert_status(idt_manifest_get_annotations(&an, m, 0, NULL), IDT_OK, NULL);
    assert_false(an.present);
    assert_null(an.value[0]);
    assert_null(an.value[1]);
    assert_null(an.runtime_class);
    assert_int_equal(an.total_bytes, 0);
    idt_manifest_free(m);
}

/* --- edits ----------------------------------------------------------------- */

static void test_annotate__block_insert_after_comments(void **state)
{
    (void)state;
    expect_edit("kind: Pod\n"
                "metadata:\n"
                "  annotations:\n"
                "    a: b   # why\n"
                "\n"
                "  # trailing comment\n"
                "  name: p\n",
                "kind: Pod\n"
                "metadata:\n"
                "  annotations:\n"
                "    a: b   # why\n"
                "    " CUR ": " V "\n"
                "\n"
                "  # trailing comment\n"
                "  name: p\n",
                IDT_MANIFEST_KEYS_CURRENT);
}

static void test_annotate__creates_metadata_and_annotations(void **state)
{
    (void)state;
    /* The step comes from the file (3 spaces), the line end from the line
     * the text follows (CRLF). */
    expect_edit("kind: Job\r\nspec:\r\n   template:\r\n      spec:\r\n         containers: []\r\n",
                "kind: Job\r\nspec:\r\n   template:\r\n      spec:\r\n         containers: []\r\n"
                "      metadata:\r\n         annotations:\r\n            " CUR ": " V "\r\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata:\n  name: p", /* no final newline: none added */
                "kind: Pod\nmetadata:\n  name: p\n  annotations:\n    " CUR ": " V,
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("- 1\n---\nkind: Pod\nmetadata:\n", /* metadata: (empty) */
                "- 1\n---\nkind: Pod\nmetadata:\n  annotations:\n    " CUR ": " V "\n",
                IDT_MANIFEST_KEYS_CURRENT);
}

static void test_annotate__flow_and_json(void **state)
{
    (void)state;
    expect_edit("kind: Pod\nmetadata: {name: p, annotations: {a: b,}}\n",
                "kind: Pod\nmetadata: {name: p, annotations: {a: b, " CUR ": " V ",}}\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata: {annotations: {}}\n",
                "kind: Pod\nmetadata: {annotations: {" CUR ": " V ", " LEG ": " V "}}\n",
                IDT_MANIFEST_KEYS_BOTH);
    expect_edit("{\"kind\": \"Pod\", \"metadata\": {}}",
                "{\"kind\": \"Pod\", \"metadata\": {\"annotations\": {\"" CUR "\": \"" V "\"}}}",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("{\"kind\": \"Pod\"}",
                "{\"kind\": \"Pod\", \"metadata\": {\"annotations\": {\"" CUR "\": \"" V "\"}}}",
                IDT_MANIFEST_KEYS_CURRENT);
    /* After an empty flow value the blank after ':' stays (libyaml refuses
     * "a:," and "a:}"). */
    expect_edit("kind: Pod\nmetadata: {annotations: {a: }}\n",
                "kind: Pod\nmetadata: {annotations: {a: , " CUR ": " V "}}\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata: {annotations: {" CUR ": x, a:\n , " LEG ": y}}\n",
                "kind: Pod\nmetadata: {annotations: {" CUR ": " V ", a:\n}}\n",
                IDT_MANIFEST_KEYS_CURRENT);
    /* A flow key without ':' and a value: the colon is added on its line. */
    expect_edit("kind: Pod\nmetadata: {annotations: {x: y, " CUR "\n  }}\n",
                "kind: Pod\nmetadata: {annotations: {x: y, " CUR ": " V ", " LEG ": " V "\n  }}\n",
                IDT_MANIFEST_KEYS_BOTH);
}

/* Explicit keys ("? key" with ": value" on a line of its own): new entries
 * take the column of the "?", not of the key after it; a bare `? key` (no
 * ':' line) gets one; the entry of an explicit key is removed from its "?". */
static void test_annotate__explicit_keys(void **state)
{
    (void)state;
    /* The fuzzer's find: metadata's first key is on the line after its "?",
     * one column to the right, and the last value is a compact mapping
     * whose key is a mapping too. */
    expect_edit("kind: Pod\nmetadata:\n  ?\n   annotati>ns\n  : ? a labs:\n",
                "kind: Pod\nmetadata:\n  ?\n   annotati>ns\n  : ? a labs:\n"
                "  annotations:\n    " CUR ": " V "\n",
                IDT_MANIFEST_KEYS_CURRENT);
    /* metadata as an explicit key: a compact value, a value on the lines
     * below (comments between "?", key and ':'), none at all. */
    expect_edit("kind: Pod\n? metadata\n: name: x\nspec: {}\n",
                "kind: Pod\n? metadata\n: name: x\n  annotations:\n    " CUR ": " V
                "\nspec: {}\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\n? metadata   # c\n# between\n: # after\n  ? name\n  : x\nspec: {}\n",
                "kind: Pod\n? metadata   # c\n# between\n: # after\n  ? name\n  : x\n"
                "  annotations:\n    " CUR ": " V "\nspec: {}\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\n? metadata\nspec: {}\n",
                "kind: Pod\n? metadata\n:\n  annotations:\n    " CUR ": " V "\nspec: {}\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\r\n? metadata\r\n:\r\nspec: {}\r\n",
                "kind: Pod\r\n? metadata\r\n:\r\n  annotations:\r\n    " CUR ": " V
                "\r\nspec: {}\r\n",
                IDT_MANIFEST_KEYS_CURRENT);
    /* annotations as an explicit key, with a value, empty, bare (at the
     * end of a file without a final newline). */
    expect_edit("kind: Pod\nmetadata:\n  ? annotations\n  :\n      a: b\n  name: x\n",
                "kind: Pod\nmetadata:\n  ? annotations\n  :\n      a: b\n      " CUR ": " V
                "\n  name: x\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata:\n  ? annotations\n  :\n  name: x\n",
                "kind: Pod\nmetadata:\n  ? annotations\n  :\n    " CUR ": " V "\n  name: x\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata:\n  name: x\n  ? annotations",
                "kind: Pod\nmetadata:\n  name: x\n  ? annotations\n  :\n    " CUR ": " V,
                IDT_MANIFEST_KEYS_CURRENT);
    /* The annotation key itself: replaced, given a ':' line, renamed (a
     * |- key becomes a plain one), removed from its "?" to its value. */
    expect_edit("kind: Pod\nmetadata:\n  annotations:\n    ? " CUR "\n    : old\n",
                "kind: Pod\nmetadata:\n  annotations:\n    ? " CUR "\n    : " V "\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata:\n  annotations:\n    ? " CUR "  # c\n  name: n\n",
                "kind: Pod\nmetadata:\n  annotations:\n    ? " CUR "  # c\n    : " V
                "\n  name: n\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata:\n  annotations:\n    ? |-\n      " LEG "\n    : old\n",
                "kind: Pod\nmetadata:\n  annotations:\n    ? " CUR "\n    : " V "\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata:\n  annotations:\n    a: b\n    ? " LEG "\n    : x\n"
                "    ? " CUR "\n    : y\n",
                "kind: Pod\nmetadata:\n  annotations:\n    a: b\n"
                "    ? " CUR "\n    : " V "\n",
                IDT_MANIFEST_KEYS_CURRENT);
    /* Complex keys are stepped around. */
    expect_edit("kind: Pod\nmetadata:\n  ? [a, b]\n  : c\n  annotations:\n    ? {x: y}\n",
                "kind: Pod\nmetadata:\n  ? [a, b]\n  : c\n  annotations:\n    ? {x: y}\n"
                "    " CUR ": " V "\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata:\n  ? - a\n    - b\n  : c\n  ? - d\n",
                "kind: Pod\nmetadata:\n  ? - a\n    - b\n  : c\n  ? - d\n"
                "  annotations:\n    " CUR ": " V "\n",
                IDT_MANIFEST_KEYS_CURRENT);
    /* In flow mappings. */
    expect_edit("kind: Pod\nmetadata: {? annotations : {a: b}, ? [c] : d}\n",
                "kind: Pod\nmetadata: {? annotations : {a: b, " CUR ": " V "}, ? [c] : d}\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata: {? annotations # c\n  , name: x}\n",
                "kind: Pod\nmetadata: {? annotations: {" CUR ": " V "} # c\n  , name: x}\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata: {? annotations\n  :\n }\n",
                "kind: Pod\nmetadata: {? annotations\n  : {" CUR ": " V "}\n }\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata: {annotations: {? " LEG " : x, ? " CUR "\n  : y}}\n",
                "kind: Pod\nmetadata: {annotations: {? " CUR "\n  : " V "}}\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata: {annotations: {? " LEG "}}\n",
                "kind: Pod\nmetadata: {annotations: {? " CUR ": " V "}}\n",
                IDT_MANIFEST_KEYS_CURRENT);

    /* The scan reads explicit keys: the value and where it is. */
    idt_manifest *m = scan("kind: Pod\nmetadata:\n  ? annotations\n  :\n    ? " LEG "\n"
                           "    # c\n    : old\n    ? " CUR "\n");
    idt_manifest_annotations an;
    assert_status(idt_manifest_get_annotations(&an, m, 0, NULL), IDT_OK, NULL);
    assert_true(an.present);
    assert_int_equal(an.count, 2);
    assert_string_equal(an.value[IDT_MANIFEST_KEY_LEGACY], "old");
    assert_int_equal(an.span[IDT_MANIFEST_KEY_LEGACY].line, 7);
    assert_int_equal(an.span[IDT_MANIFEST_KEY_LEGACY].column, 7);
    /* A bare `? key` has an empty value at the key's end. */
    assert_string_equal(an.value[IDT_MANIFEST_KEY_CURRENT], "");
    assert_int_equal(an.span[IDT_MANIFEST_KEY_CURRENT].line, 8);
    assert_int_equal(an.span[IDT_MANIFEST_KEY_CURRENT].column, 7 + strlen(CUR));
    assert_int_equal(an.span[IDT_MANIFEST_KEY_CURRENT].length, 0);
    idt_manifest_free(m);
}

static void test_annotate__keys(void **state)
{
    (void)state;
    const char *both = "kind: Pod\nmetadata:\n  annotations:\n"
                       "    " LEG ": old # legacy\n"
                       "    " CUR ": 'old'\n";
    expect_edit(both, "kind: Pod\nmetadata:\n  annotations:\n    " CUR ": '" V "'\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit(both, "kind: Pod\nmetadata:\n  annotations:\n    " LEG ": " V " # legacy\n",
                IDT_MANIFEST_KEYS_LEGACY);
    expect_edit(both,
                "kind: Pod\nmetadata:\n  annotations:\n"
                "    " LEG ": " V " # legacy\n"
                "    " CUR ": '" V "'\n",
                IDT_MANIFEST_KEYS_BOTH);
    /* Renaming keeps the key's quoting; removing from a flow mapping takes
     * its comma. */
    expect_edit("kind: Pod\nmetadata:\n  annotations:\n    \"" LEG "\": x\n",
                "kind: Pod\nmetadata:\n  annotations:\n    \"" CUR "\": " V "\n",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata: {annotations: {" CUR ": x, " LEG ": y}}\n",
                "kind: Pod\nmetadata: {annotations: {" CUR ": " V "}}\n",
                IDT_MANIFEST_KEYS_CURRENT);
    /* The last line of a file without a final newline is removed with the
     * break before it, so the file still ends without one. */
    expect_edit("kind: Pod\nmetadata:\n  annotations:\n    " CUR ": x\n    " LEG ": y",
                "kind: Pod\nmetadata:\n  annotations:\n    " CUR ": " V,
                IDT_MANIFEST_KEYS_CURRENT);
}

static void test_annotate__value_styles(void **state)
{
    (void)state;
    static const struct {
        const char *value, *written;
    } cases[] = {
        { "H4sI+/=", "H4sI+/=" },
        { "true", "\"true\"" },     /* a YAML 1.1 bool */
        { "Off", "\"Off\"" },
        { "12", "\"12\"" },         /* a number */
        { "a b: #c", "\"a b: #c\"" },
        { "q\"\\\n\t\x01", "\"q\\\"\\\\\\n\\t\\u0001\"" },
        { "ls\xe2\x80\xa8nel\xc2\x85", "\"ls\\u2028nel\\u0085\"" }, /* YAML 1.1 breaks */
        { "", "\"\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL, want[256];
        assert_status(annotate_keys(&out, "kind: Pod\nmetadata:\n  name: p\n",
                                    cases[i].value, 0, NULL, NULL),
                      IDT_OK, NULL);
        snprintf(want, sizeof want,
                 "kind: Pod\nmetadata:\n  name: p\n  annotations:\n    " CUR ": %s\n",
                 cases[i].written);
        assert_string_equal(out, want);
        idt_free(out);
    }
    /* A single-quoted old value stays single-quoted when it can. */
    char *out = NULL;
    assert_status(annotate_keys(&out, "kind: Pod\nmetadata: {annotations: {" CUR ": 'x'}}\n",
                                "it's", 0, NULL, NULL),
                  IDT_OK, NULL);
    assert_string_equal(out, "kind: Pod\nmetadata: {annotations: {" CUR ": 'it''s'}}\n");
    idt_free(out);
    idt_error err;
    idt_error_clear(&err);
    assert_status(annotate_keys(&out, "kind: Pod\n", "\xff", 0, NULL, &err), IDT_EFORMAT, &err);
    assert_null(out);
}

static void test_annotate__block_scalars(void **state)
{
    (void)state;
    /* Replacing a block scalar keeps the line breaks after it. */
    expect_edit("kind: Pod\nmetadata:\n  annotations:\n    " CUR ": >-  # c\n      a\n      b\n\n"
                "  name: p\n",
                "kind: Pod\nmetadata:\n  annotations:\n    " CUR ": " V "\n\n  name: p\n",
                IDT_MANIFEST_KEYS_CURRENT);
    /* After a |+ scalar the entry goes after its kept blank lines. */
    expect_edit("kind: Pod\nmetadata:\n  annotations:\n    k: |+\n      v\n\n",
                "kind: Pod\nmetadata:\n  annotations:\n    k: |+\n      v\n\n    " CUR ": " V
                "\n",
                IDT_MANIFEST_KEYS_CURRENT);
    /* A block scalar ending the file without a newline: the entry goes
     * first, so the scalar's value does not gain a newline. */
    expect_edit("kind: Pod\nmetadata:\n  annotations:\n    k: |\n      v",
                "kind: Pod\nmetadata:\n  annotations:\n    " CUR ": " V "\n    k: |\n      v",
                IDT_MANIFEST_KEYS_CURRENT);
}

static void test_annotate__tab_blank_lines(void **state)
{
    (void)state;
    /* libyaml reads a blank line with a tab only as the end of the plain
     * scalar before it: new lines go after it. */
    expect_edit("kind: Pod\nmetadata:\n  name: p\n    \t\n# end\n",
                "kind: Pod\nmetadata:\n  name: p\n    \t\n  annotations:\n    " CUR ": " V
                "\n# end\n",
                IDT_MANIFEST_KEYS_CURRENT);
    /* A quoted value cannot stand before such a line. */
    char *out = NULL;
    idt_error err;
    idt_error_clear(&err);
    assert_status(annotate_keys(&out, "kind: Pod\nmetadata:\n  annotations:\n    " CUR
                                ": x\n      \t\n",
                                "two words", 0, NULL, &err),
                  IDT_EUNSUPPORTED, &err);
    assert_non_null(strstr(err.message, "tab"));
}

static void test_annotate__tab_comment_lines(void **state)
{
    (void)state;
    /* A comment line with a tab before its '#' is the same to libyaml as a
     * blank line with a tab: `Pod` at column 0 reads it, a new value at
     * column 4 would not ("found a tab character that violates
     * indentation").  New lines go after it (found by fuzz_manifest_annotate,
     * corpora/manifest_annotate/tab-comment-after-plain-cr.yaml; CR breaks). */
    expect_edit("kind: Pod  \r \t#\r", "kind: Pod  \r \t#\rmetadata:\r  annotations:\r    " CUR
                ": " V "\r",
                IDT_MANIFEST_KEYS_CURRENT);
    expect_edit("kind: Pod\nmetadata:\n  name: p\n    \t# c\n  # d\n",
                "kind: Pod\nmetadata:\n  name: p\n    \t# c\n  annotations:\n    " CUR ": " V
                "\n  # d\n",
                IDT_MANIFEST_KEYS_CURRENT);
    /* A tab after the '#' is comment text: nothing moves. */
    expect_edit("kind: Pod\nmetadata:\n  name: p\n  #\tc\n",
                "kind: Pod\nmetadata:\n  name: p\n  annotations:\n    " CUR ": " V
                "\n  #\tc\n",
                IDT_MANIFEST_KEYS_CURRENT);
    /* A quoted value cannot stand before such a line. */
    char *out = NULL;
    idt_error err;
    idt_error_clear(&err);
    assert_int_equal(annotate_keys(&out, "kind: Pod\nmetadata:\n  annotations:\n    " CUR
                                   ": x\n      \t# c\n",
                                   "two words", 0, NULL, &err),
                     IDT_EUNSUPPORTED);
    assert_non_null(strstr(err.message, "comment line with a tab"));
}

static void test_annotate__report(void **state)
{
    (void)state;
    const char *text = "kind: Pod\nmetadata:\n  annotations:\n    " LEG ": x\n---\n"
                       "kind: Deployment\nspec:\n  template:\n    spec: {runtimeClassName: k}\n";
    char *out = NULL;
    idt_manifest_report rep;
    assert_status(annotate_keys(&out, text, V, 0, &rep, NULL), IDT_OK, NULL);
    assert_int_equal(rep.change_count, 2);
    assert_int_equal(rep.changes[0].object, 0);
    assert_int_equal(rep.changes[0].did, IDT_MANIFEST_DID_RENAME);
    assert_int_equal(rep.changes[0].total_bytes, strlen(CUR) + strlen(V));
    assert_int_equal(rep.changes[1].object, 1);
    assert_int_equal(rep.changes[1].did, IDT_MANIFEST_DID_CREATE | IDT_MANIFEST_DID_INSERT);
    assert_int_equal(rep.note_count, 2);
    assert_int_equal(rep.notes[0].kind, IDT_MANIFEST_NOTE_LEGACY_KEY);
    assert_int_equal(rep.notes[0].span.line, 4);
    assert_int_equal(rep.notes[0].span.column, 5);
    assert_non_null(strstr(rep.notes[0].message, "renamed it to " CUR));
    assert_int_equal(rep.notes[1].kind, IDT_MANIFEST_NOTE_NO_RUNTIME_CLASS);
    assert_int_equal(rep.notes[1].object, 0);
    assert_non_null(strstr(rep.notes[1].message, "Pod/(no name) has no spec.runtimeClassName"));
    idt_manifest_report_dispose(&rep);
    assert_null(rep.notes);
    idt_free(out);
    idt_manifest_report_dispose(NULL);
}

static void test_annotate__select(void **state)
{
    (void)state;
    idt_manifest *m = scan("kind: Pod\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: {name: b}\n"
                           "---\nkind: Service\nmetadata: {name: s}\n");
    idt_manifest_selector s = { "POD", "b" };
    idt_manifest_annotate_options o = IDT_MANIFEST_ANNOTATE_OPTIONS_INIT;
    o.select = &s;
    o.select_count = 1;
    char *out = NULL;
    size_t len;
    assert_status(idt_manifest_annotate(&out, &len, m, V, strlen(V), &o, NULL, NULL), IDT_OK, NULL);
    assert_string_equal(out, "kind: Pod\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: {name: b, "
                             "annotations: {" CUR ": " V "}}\n---\nkind: Service\nmetadata: "
                             "{name: s}\n");
    idt_free(out);
    idt_error err;
    idt_error_clear(&err);
    s.kind = "service";
    s.name = NULL;
    assert_status(idt_manifest_annotate(&out, &len, m, V, strlen(V), &o, NULL, &err),
                  IDT_EMISMATCH, &err);
    assert_non_null(strstr(err.message, "Service/s, which has no pod template"));
    s.kind = NULL;
    s.name = "zz";
    assert_status(idt_manifest_annotate(&out, &len, m, V, strlen(V), &o, NULL, &err),
                  IDT_EMISMATCH, &err);
    assert_true(idt_manifest_selector_matches(&(idt_manifest_selector){ "pod", NULL }, "Pod", "x"));
    assert_false(idt_manifest_selector_matches(&(idt_manifest_selector){ "Po", NULL }, "Pod", "x"));
    assert_false(idt_manifest_selector_matches(&(idt_manifest_selector){ NULL, "X" }, "Pod", "x"));
    idt_manifest_free(m);
}

/* --- budget and errors ---------------------------------------------------- */

static void test_annotate__budget(void **state)
{
    (void)state;
    idt_manifest_options mo = IDT_MANIFEST_OPTIONS_INIT;
    const char *text = "kind: Pod\nmetadata:\n  annotations:\n    ab: cdef\n";
    uint64_t need = 2 + 4 + strlen(CUR) + strlen(V);
    for (int over = 0; over <= 1; over++) {
        mo.budget = need - (uint64_t)over;
        idt_manifest *m = NULL;
        assert_status(idt_manifest_scan(&m, text, strlen(text), &mo, NULL), IDT_OK, NULL);
        char *out = NULL;
        size_t len;
        idt_error err;
        idt_error_clear(&err);
        int rc = idt_manifest_annotate(&out, &len, m, V, strlen(V), NULL, NULL, &err);
        if (!over) {
            assert_int_equal(rc, IDT_OK);
        } else {
            char want[160];
            assert_int_equal(rc, IDT_ELIMIT);
            assert_null(out);
            snprintf(want, sizeof want, "would total %llu bytes, 1 over Kubernetes' limit of %llu",
                     (unsigned long long)need, (unsigned long long)need - 1);
            assert_non_null(strstr(err.message, want));
            assert_int_equal(err.line, 1);
        }
        idt_free(out);
        idt_manifest_free(m);
    }
}

static void expect_scan_error(const char *text, size_t len, const idt_manifest_options *o,
                              int code, uint32_t line, uint32_t column, const char *msg)
{
    idt_manifest *m = (idt_manifest *)1;
    idt_error err;
    idt_error_clear(&err);
    int rc = idt_manifest_scan(&m, text, len, o, &err);
    if (rc != code || err.line != line || err.column != column)
        fail_msg("%s: got %d %u:%u (%s)", text, rc, err.line, err.column, err.message);
    assert_null(m);
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    if (!strstr(err.message, msg))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, msg);
}

static void test_scan__errors_and_limits(void **state)
{
    (void)state;
    const char *bad = "kind: Pod\nmetadata:\n  name: [a\n";
    expect_scan_error(bad, strlen(bad), NULL, IDT_ESYNTAX, 4, 1, "not YAML");
    const char *utf8 = "kind: Pod\nx: \xc3\x28\n";
    /* libyaml points at the byte that breaks the sequence. */
    expect_scan_error(utf8, strlen(utf8), NULL, IDT_ESYNTAX, 2, 5, "UTF-8");
    expect_scan_error("\xff\xfek\0", 4, NULL, IDT_EUNSUPPORTED, 0, 0, "UTF-16");
    const char *dup = "kind: Pod\nmetadata:\n  name: a\n  name: b\n";
    expect_scan_error(dup, strlen(dup), NULL, IDT_ESCHEMA, 4, 3, "first at line 3");

    idt_manifest_options o = IDT_MANIFEST_OPTIONS_INIT;
    o.max_depth = 3;
    const char *deep = "a: [[[[1]]]]\n";
    expect_scan_error(deep, strlen(deep), &o, IDT_ELIMIT, 1, 6, "deeper than 3");
    o = (idt_manifest_options)IDT_MANIFEST_OPTIONS_INIT;
    o.max_nodes = 3;
    const char *many = "kind: Pod\nmetadata: {a: 1, b: 2}\n";
    expect_scan_error(many, strlen(many), &o, IDT_ELIMIT, 2, 1, "more than 3 YAML nodes");
    o = (idt_manifest_options)IDT_MANIFEST_OPTIONS_INIT;
    o.max_size = 5;
    expect_scan_error(many, strlen(many), &o, IDT_ELIMIT, 0, 0, "limit of 5");
    o.version = 99;
    expect_scan_error(many, strlen(many), &o, IDT_EINVAL, 0, 0, "options version");
    assert_status(idt_manifest_scan(NULL, "", 0, NULL, NULL), IDT_EINVAL, NULL);
}

static void expect_annotate_error(const char *text, int code, uint32_t line, uint32_t column,
                                  const char *msg)
{
    char *out = (char *)1;
    idt_error err;
    idt_error_clear(&err);
    int rc = annotate_keys(&out, text, V, 0, NULL, &err);
    if (rc != code)
        fail_msg("%s: got %d (%s), want %d", text, rc, err.message, code);
    assert_null(out);
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    if (!strstr(err.message, msg))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, msg);
}

static void test_annotate__refusals(void **state)
{
    (void)state;
    expect_annotate_error("kind: Pod\nmetadata: *m\n", IDT_ESCHEMA, 2, 11,
                          "metadata is an alias");
    expect_annotate_error("kind: Deployment\nspec:\n  template: *t\n", IDT_ESCHEMA, 3, 13,
                          "spec.template is an alias");
    expect_annotate_error("kind: Pod\nmetadata:\n  annotations:\n    " CUR ": *v\n",
                          IDT_ESCHEMA, 4, 55, "not a string");
    expect_annotate_error("kind: Pod\nmetadata:\n  <<: *base\n  name: x\n", IDT_ESCHEMA, 3, 3,
                          "merge key");
    expect_annotate_error("kind: Pod\nmetadata:\n  annotations:\n    " CUR ": &a x\n",
                          IDT_ESCHEMA, 4, 55, "anchor");
    expect_annotate_error("kind: Pod\nmetadata: [1]\n", IDT_ESCHEMA, 2, 11,
                          "metadata is a sequence, not a mapping");
    expect_annotate_error("kind: StatefulSet\nmetadata: {name: s}\n", IDT_ESCHEMA, 1, 1,
                          "StatefulSet/s has no spec:");
    /* The first entry of a compact mapping shares its line with the ": "
     * (or "? ", "- ") before it: removing it would take that too. */
    expect_annotate_error("kind: Pod\nmetadata:\n  ? annotations\n  : " LEG ": x\n"
                          "    " CUR ": y\n",
                          IDT_EUNSUPPORTED, 4, 5,
                          "Pod/(no name): the entry to remove shares its line with what comes "
                          "before it (a compact \"? \", \": \" or \"- \" entry); initdata "
                          "removes whole lines");
    expect_annotate_error("kind: Pod\nmetadata:\n  ? annotations\n  : ? " LEG "\n    : x\n"
                          "    " CUR ": y\n",
                          IDT_EUNSUPPORTED, 4, 7, "the entry to remove shares its line");
    expect_annotate_error("kind: List\nitems:\n- kind: Pod\n  spec:\n    x: |\n      text",
                          IDT_EUNSUPPORTED, 3, 3, "no final newline");
    expect_annotate_error("kind: ConfigMap\n", IDT_ESCHEMA, 0, 0, "no pod-bearing object");

    idt_manifest *m = scan("kind: Pod\n");
    char *out;
    size_t len;
    idt_manifest_annotate_options o = IDT_MANIFEST_ANNOTATE_OPTIONS_INIT;
    o.keys = 4;
    assert_status(idt_manifest_annotate(&out, &len, m, V, 1, &o, NULL, NULL), IDT_EINVAL, NULL);
    o.keys = 0;
    o.version = 7;
    assert_status(idt_manifest_annotate(&out, &len, m, V, 1, &o, NULL, NULL), IDT_EINVAL, NULL);
    assert_status(idt_manifest_annotate(&out, &len, NULL, V, 1, NULL, NULL, NULL), IDT_EINVAL,
                  NULL);
    assert_status(idt_manifest_annotate(&out, &len, m, NULL, 1, NULL, NULL, NULL), IDT_EINVAL,
                  NULL);
    idt_manifest_free(m);
    assert_string_equal(idt_manifest_key_name(IDT_MANIFEST_KEY_LEGACY), LEG);
    assert_null(idt_manifest_key_name((idt_manifest_key)5));
}

static void test_keys_keywords(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        unsigned keys;
    } t[] = { { "current", IDT_MANIFEST_KEYS_CURRENT },
              { "legacy", IDT_MANIFEST_KEYS_LEGACY },
              { "both", IDT_MANIFEST_KEYS_BOTH } };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        unsigned k = 0;
        assert_status(idt_manifest_keys_parse(&k, t[i].name, strlen(t[i].name), NULL), IDT_OK,
                      NULL);
        assert_int_equal(k, t[i].keys);
        assert_string_equal(idt_manifest_keys_name(k), t[i].name);
    }
    unsigned k = IDT_MANIFEST_KEYS_CURRENT;
    idt_error err = { 0 };
    assert_status(idt_manifest_keys_parse(&k, "new", 3, &err), IDT_EUNSUPPORTED, &err);
    assert_int_equal(k, IDT_MANIFEST_KEYS_CURRENT);
    assert_string_equal(err.message,
                        "unknown annotation keys \"new\" (known: current, legacy, both)");
    assert_null(idt_manifest_keys_name(0));
    assert_null(idt_manifest_keys_name(4));
    assert_null(idt_manifest_keys_name(~0u));
    assert_status(idt_manifest_keys_parse(NULL, "both", 4, NULL), IDT_EINVAL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan__objects_in_order),
        cmocka_unit_test(test_scan__annotations_values_and_positions),
        cmocka_unit_test(test_annotate__block_insert_after_comments),
        cmocka_unit_test(test_annotate__creates_metadata_and_annotations),
        cmocka_unit_test(test_annotate__flow_and_json),
        cmocka_unit_test(test_annotate__explicit_keys),
        cmocka_unit_test(test_annotate__keys),
        cmocka_unit_test(test_annotate__value_styles),
        cmocka_unit_test(test_annotate__block_scalars),
        cmocka_unit_test(test_annotate__tab_blank_lines),
        cmocka_unit_test(test_annotate__tab_comment_lines),
        cmocka_unit_test(test_annotate__report),
        cmocka_unit_test(test_annotate__select),
        cmocka_unit_test(test_annotate__budget),
        cmocka_unit_test(test_scan__errors_and_limits),
        cmocka_unit_test(test_annotate__refusals),
        cmocka_unit_test(test_keys_keywords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
