/*
 * fuzz_author_string.c - the TOML string emitter and idt_author_new on
 * arbitrary bytes, read back by our own parsers.
 *
 * The whole input is the content.  When it is not UTF-8, the emitter must
 * refuse it with IDT_ESYNTAX at an offset whose prefix is valid UTF-8.
 * Otherwise, in every style, `k = <emitted>` must parse (idt_toml_parse) to
 * exactly the input bytes, and a document with the input as policy.rego
 * and as an extra entry must parse (idt_doc_parse) with both entries equal
 * to the input.  A broken promise aborts, so the fuzzer reports it.
 */
#include "fuzz.h"
#include "initdata/author.h"
#include "initdata/doc.h"
#include "initdata/toml.h"

static void check_invalid(const char *s, size_t len)
{
    idt_error err = { 0 };
    char *out = (char *)1;
    CHECK(idt_author_emit_string(&out, NULL, s, len, IDT_AUTHOR_STRING_MULTILINE, &err) ==
          IDT_ESYNTAX);
    CHECK(out == NULL);
    CHECK(err.has_offset && err.offset < len);
    CHECK(idt_author_check_utf8(s, (size_t)err.offset, NULL) == IDT_OK);
}

static void check_style(const char *s, size_t len, idt_author_string_style style)
{
    char *str = NULL;
    size_t str_len = 0;
    CHECK(idt_author_emit_string(&str, &str_len, s, len, style, NULL) == IDT_OK);
    char *doc = malloc(str_len + 6);
    CHECK(doc != NULL);
    memcpy(doc, "k = ", 4);
    memcpy(doc + 4, str, str_len);
    doc[str_len + 4] = '\n';
    idt_toml_doc *t = NULL;
    CHECK(idt_toml_parse(&t, doc, str_len + 5, NULL, NULL) == IDT_OK);
    const idt_toml_entry *e = idt_toml_table_get(idt_toml_doc_root(t), "k", 1);
    CHECK(e && e->value->type == IDT_TOML_STRING);
    CHECK(e->value->as.string.len == len && !memcmp(e->value->as.string.ptr, s, len));
    idt_toml_doc_free(t);
    free(doc);
    idt_free(str);
}

static void check_document(const char *s, size_t len)
{
    idt_author_entry file = { "x", s, len };
    idt_author_options o = IDT_AUTHOR_OPTIONS_INIT;
    o.policy = len ? s : "";
    o.policy_len = len;
    o.files = &file;
    o.file_count = 1;
    char *out = NULL;
    size_t out_len = 0;
    CHECK(idt_author_new(&out, &out_len, &o, NULL) == IDT_OK);
    idt_doc *d = NULL;
    CHECK(idt_doc_parse(&d, out, out_len, NULL, NULL) == IDT_OK);
    CHECK(idt_doc_entry_count(d) == 2);
    for (size_t i = 0; i < 2; i++) {
        const idt_doc_entry *e = idt_doc_entry_at(d, i);
        CHECK(e->content_len == len && !memcmp(e->content, s, len));
    }
    idt_doc_free(d);
    idt_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    if (idt_author_check_utf8(s, size, NULL) != IDT_OK) {
        check_invalid(s, size);
        return 0;
    }
    check_style(s, size, IDT_AUTHOR_STRING_MULTILINE);
    check_style(s, size, IDT_AUTHOR_STRING_MULTILINE_BASIC);
    check_style(s, size, IDT_AUTHOR_STRING_BASIC);
    check_document(s, size);
    return 0;
}
