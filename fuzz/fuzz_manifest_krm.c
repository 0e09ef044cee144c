/*
 * fuzz_manifest_krm.c - idt_manifest_krm_read + idt_manifest_krm_results on
 * arbitrary bytes: what a KRM function reads on standard input.
 *
 * Promises checked (a broken one aborts, so the fuzzer reports it):
 *   - nothing crashes, leaks or reads out of bounds (ASan/UBSan);
 *   - a failure is a documented status with a consistent error record, and
 *     never IDT_ERROR;
 *   - what krm_read returns is whole: every item has its ref, every
 *     selector a string, the document its length;
 *   - results added to a ResourceList are one insertion (every input byte
 *     is kept before or after it), the output parses, and reads back as
 *     the same ResourceList with results.
 */
#include "fuzz.h"
#include "initdata/manifest.h"

static void check_error(int rc, const idt_error *err, size_t len)
{
    CHECK(rc != IDT_ERROR);
    fuzz_check_error(rc, err, len);
}

static idt_manifest *scan(const char *s, size_t len, int *rc, idt_error *err)
{
    idt_manifest_options mo = IDT_MANIFEST_OPTIONS_INIT;
    mo.max_depth = 64;
    mo.max_nodes = 4096;
    idt_manifest *m = NULL;
    *rc = idt_manifest_scan(&m, s, len, &mo, err);
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    idt_error err;
    idt_error_clear(&err);
    int rc;
    idt_manifest *m = scan(src, size, &rc, &err);
    if (rc != IDT_OK)
        return 0; /* the scan has its own target */
    idt_manifest_krm *k = NULL;
    rc = idt_manifest_krm_read(&k, m, &err);
    if (rc != IDT_OK) {
        check_error(rc, &err, size);
        CHECK(k == NULL);
        idt_manifest_free(m);
        return 0;
    }
    CHECK(k->config_kind == NULL || k->config_path != NULL);
    CHECK(!k->document || k->document_len == strlen(k->document));
    for (size_t i = 0; i < k->select_count; i++)
        CHECK(k->select[i] != NULL);
    CHECK(k->item_count == 0 || k->items != NULL);
    if (!k->resource_list || k->has_results) {
        idt_manifest_krm_free(k);
        idt_manifest_free(m);
        return 0;
    }
    const idt_manifest_krm_result r[] = {
        { IDT_MANIFEST_KRM_WARNING, "w \"x\" \xe2\x80\xa8", k->item_count ? 0 : IDT_MANIFEST_NO_ITEM,
          NULL },
        { IDT_MANIFEST_KRM_ERROR, "e", IDT_MANIFEST_NO_ITEM, "data.initdata" },
    };
    char *out = NULL;
    size_t out_len = 0;
    rc = idt_manifest_krm_results(&out, &out_len, src, size, k, r, 2, &err);
    if (rc != IDT_OK) {
        check_error(rc, &err, size);
        CHECK(out == NULL);
    } else {
        CHECK(out != NULL && out[out_len] == '\0' && out_len > size);
        size_t pre = 0;
        while (pre < size && out[pre] == src[pre])
            pre++;
        size_t suf = 0;
        while (suf < size - pre && out[out_len - 1 - suf] == src[size - 1 - suf])
            suf++;
        CHECK(pre + suf == size);
        idt_manifest *m2 = scan(out, out_len, &rc, &err);
        CHECK(rc == IDT_OK);
        idt_manifest_krm *k2 = NULL;
        CHECK(idt_manifest_krm_read(&k2, m2, NULL) == IDT_OK);
        CHECK(k2->resource_list && k2->has_results && k2->item_count == k->item_count);
        idt_manifest_krm_free(k2);
        idt_manifest_free(m2);
    }
    idt_free(out);
    idt_manifest_krm_free(k);
    idt_manifest_free(m);
    return 0;
}
