/* Unit tests of the KRM part of initdata/manifest.h: a ResourceList's items
 * as objects, idt_manifest_krm_read (functionConfig settings, item refs,
 * refusals) and idt_manifest_krm_results (the splice, block and flow).
 * Expected texts are written out by hand. */
#include "idt_unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "initdata/manifest.h"

#define V "H4sIAAAAAAAA/+3OsQ2AMBAEwZ+8/Q=="

static const char rl[] =
    "apiVersion: config.kubernetes.io/v1\n"
    "kind: ResourceList\n"
    "items:\n"
    "- apiVersion: v1\n"
    "  kind: Pod\n"
    "  metadata:\n"
    "    name: p\n"
    "    namespace: ns\n"
    "    annotations:\n"
    "      config.kubernetes.io/index: '0'\n"
    "- {apiVersion: v1, kind: Service, metadata: {name: s}}\n"
    "functionConfig:\n"
    "  apiVersion: initdata.confidentialcontainers.org/v1alpha1\n"
    "  kind: InitData\n"
    "  metadata: {name: i}\n"
    "  spec:\n"
    "    initdata: doc.toml\n"
    "    key: both\n"
    "    select: [Pod/p, '*/x']\n";

static idt_manifest *scan(const char *text)
{
    idt_manifest *m = NULL;
    idt_error err;
    idt_error_clear(&err);
    assert_status(idt_manifest_scan(&m, text, strlen(text), NULL, &err), IDT_OK, &err);
    return m;
}

static void test_items_are_objects(void **state)
{
    (void)state;
    idt_manifest *m = scan(rl);
    assert_int_equal(idt_manifest_object_count(m), 3); /* the list, then its items */
    idt_manifest_object o;
    assert_int_equal(idt_manifest_object_at(&o, m, 1, NULL), IDT_OK);
    assert_string_equal(o.kind, "Pod");
    assert_true(o.pod_bearing);
    assert_int_equal(o.item, 0);
    /* annotating touches the item, not the functionConfig */
    char *out = NULL;
    size_t len = 0;
    idt_error err;
    idt_error_clear(&err);
    assert_status(idt_manifest_annotate(&out, &len, m, V, strlen(V), NULL, NULL, &err), IDT_OK,
                  &err);
    assert_non_null(strstr(out, "      config.kubernetes.io/index: '0'\n      "
                                IDT_MANIFEST_KEY_CURRENT_NAME ": " V "\n- {apiVersion"));
    idt_free(out);
    idt_manifest_free(m);
}

static void test_read(void **state)
{
    (void)state;
    idt_manifest *m = scan(rl);
    idt_manifest_krm *k = NULL;
    idt_error err;
    idt_error_clear(&err);
    assert_status(idt_manifest_krm_read(&k, m, &err), IDT_OK, &err);
    assert_true(k->resource_list);
    assert_false(k->has_results);
    assert_string_equal(k->config_kind, "InitData");
    assert_string_equal(k->config_path, "spec");
    assert_string_equal(k->initdata, "doc.toml");
    assert_null(k->document);
    assert_string_equal(k->key, "both");
    assert_int_equal(k->select_count, 2);
    assert_string_equal(k->select[0], "Pod/p");
    assert_string_equal(k->select[1], "*/x");
    assert_int_equal(k->item_count, 2);
    assert_string_equal(k->items[0].api_version, "v1");
    assert_string_equal(k->items[0].name, "p");
    assert_string_equal(k->items[0].ns, "ns");
    assert_null(k->items[1].ns);
    idt_manifest_krm_free(k);
    idt_manifest_free(m);

    /* a ConfigMap alone (an exec plugin's config file): select split */
    m = scan("kind: ConfigMap\ndata:\n  document: |\n    version = \"0.1.0\"\n"
             "  select: 'Deployment/a, Job  Pod'\n");
    assert_status(idt_manifest_krm_read(&k, m, &err), IDT_OK, &err);
    assert_false(k->resource_list);
    assert_string_equal(k->config_path, "data");
    assert_string_equal(k->document, "version = \"0.1.0\"\n");
    assert_int_equal(k->document_len, 18);
    assert_int_equal(k->select_count, 3);
    assert_string_equal(k->select[2], "Pod");
    idt_manifest_krm_free(k);
    idt_manifest_free(m);
}

static void test_read_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *text, *words;
        uint32_t line;
    } cases[] = {
        { "kind: Pod\n", "not a KRM ResourceList", 0 },
        { "kind: ResourceList\nitems: {a: b}\n", "items is not a sequence", 2 },
        { "kind: ResourceList\nfunctionConfig: {kind: Secret}\n", "functionConfig is a Secret", 2 },
        { "kind: ResourceList\nfunctionConfig:\n  kind: ConfigMap\n  data:\n    keys: both\n",
          "data.keys is not a setting", 5 },
        { "kind: ConfigMap\ndata:\n  key: [a]\n", "data.key is not a string", 3 },
        { "kind: InitData\nspec:\n  select: [a, {b: c}]\n", "not a string", 3 },
        { "kind: InitData\nspec: [a]\n", "spec is not a mapping", 2 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        idt_manifest *m = scan(cases[i].text);
        idt_manifest_krm *k = NULL;
        idt_error err;
        idt_error_clear(&err);
        assert_int_equal(idt_manifest_krm_read(&k, m, &err), IDT_ESCHEMA);
        assert_null(k);
        if (!strstr(err.message, cases[i].words))
            fail_msg("case %zu: %s", i, err.message);
        assert_int_equal(err.line, cases[i].line);
        idt_manifest_free(m);
    }
}

static void test_results(void **state)
{
    (void)state;
    idt_manifest *m = scan(rl);
    idt_manifest_krm *k = NULL;
    assert_int_equal(idt_manifest_krm_read(&k, m, NULL), IDT_OK);
    const idt_manifest_krm_result r[] = {
        { IDT_MANIFEST_KRM_WARNING, "a \"quoted\" word", 0, NULL },
        { IDT_MANIFEST_KRM_ERROR, "bad", IDT_MANIFEST_NO_ITEM, "spec.key" },
    };
    char *out = NULL;
    size_t len = 0;
    idt_error err;
    idt_error_clear(&err);
    assert_status(idt_manifest_krm_results(&out, &len, rl, strlen(rl), k, r, 2, &err), IDT_OK,
                  &err);
    char want[2048];
    snprintf(want, sizeof want,
             "%sresults: [{\"message\": \"a \\\"quoted\\\" word\", \"severity\": \"warning\", "
             "\"resourceRef\": {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"name\": \"p\", "
             "\"namespace\": \"ns\"}}, {\"message\": \"bad\", \"severity\": \"error\", "
             "\"field\": {\"path\": \"spec.key\"}}]\n", rl);
    assert_string_equal(out, want);
    assert_int_equal(len, strlen(want));
    idt_free(out);

    /* flow (JSON): inside the braces; no final newline kept as it was */
    const char *json = "{\"kind\": \"ResourceList\", \"items\": []}";
    assert_status(idt_manifest_krm_results(&out, &len, json, strlen(json), NULL, r + 1, 1, &err),
                  IDT_OK, &err);
    assert_string_equal(out, "{\"kind\": \"ResourceList\", \"items\": [], \"results\": "
                             "[{\"message\": \"bad\", \"severity\": \"error\", \"field\": "
                             "{\"path\": \"spec.key\"}}]}");
    idt_free(out);

    /* no final newline, a document end marker */
    const char *t = "kind: ResourceList\nitems: []";
    assert_status(idt_manifest_krm_results(&out, &len, t, strlen(t), NULL, r + 1, 1, &err),
                  IDT_OK, &err);
    assert_string_equal(out, "kind: ResourceList\nitems: []\nresults: [{\"message\": \"bad\", "
                             "\"severity\": \"error\", \"field\": {\"path\": \"spec.key\"}}]\n");
    idt_free(out);
    t = "kind: ResourceList\nitems: []\n...\n";
    assert_status(idt_manifest_krm_results(&out, &len, t, strlen(t), NULL, r + 1, 1, &err),
                  IDT_OK, &err);
    assert_non_null(strstr(out, "items: []\nresults: [{"));
    assert_non_null(strstr(out, "}]\n...\n"));
    idt_free(out);

    /* refusals: results there already, not a ResourceList; none: a copy */
    t = "kind: ResourceList\nresults: []\n";
    assert_int_equal(idt_manifest_krm_results(&out, &len, t, strlen(t), NULL, r, 1, &err),
                     IDT_EUNSUPPORTED);
    assert_null(out);
    t = "kind: Pod\n";
    assert_int_equal(idt_manifest_krm_results(&out, &len, t, strlen(t), NULL, r, 1, &err),
                     IDT_ESCHEMA);
    t = "kind: ResourceList\n";
    assert_status(idt_manifest_krm_results(&out, &len, t, strlen(t), NULL, NULL, 0, &err), IDT_OK,
                  &err);
    assert_string_equal(out, t);
    idt_free(out);
    idt_manifest_krm_free(k);
    idt_manifest_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items_are_objects),
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_read_refusals),
        cmocka_unit_test(test_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
