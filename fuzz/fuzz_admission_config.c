/*
 * fuzz_admission_config.c - idt_admission_config_parse on arbitrary TOML.
 *
 * The base directory holds one valid document, doc.toml, so that inject
 * rules can name it.
 *
 * Promises checked:
 *   - every failure is a well-formed error (fuzz_check_error) of the kinds
 *     the header lists, and the callback saw at least one error for a
 *     schema or syntax failure;
 *   - every diagnostic has a code, a severity, a message and names its
 *     source; diagnostics about the configuration lie inside it;
 *   - a loaded configuration has sane server settings and answers a
 *     minimal review.
 */
#include "fuzz.h"
#include "initdata/admission.h"


static const char document[] = "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n"
                               "\"aa.toml\" = '''\n[token_configs.kbs]\nurl = \"https://k\"\n'''\n";

/* Made once: the fuzzer calls the target many times in one process. */
static const char *base_dir(void)
{
    static char dir[] = "/tmp/fuzz-admission-config-XXXXXX";
    static const char *made;
    if (!made)
        made = fuzz_dir_with_file(dir, "doc.toml", document);
    return made;
}

typedef struct seen {
    const char *src;
    size_t len;
    size_t errors;
} seen;

static int tap(const idt_doc_diag *d, const char *source, const char *text, size_t len,
               void *payload)
{
    seen *s = payload;
    CHECK(d->check && d->check[0]);
    CHECK(d->severity >= IDT_DOC_ERROR && d->severity <= IDT_DOC_NOTE);
    CHECK(FUZZ_TEXT_OK(d->message));
    CHECK(source != NULL);
    if (text == s->src)
        CHECK(d->span.offset <= len);
    if (d->severity == IDT_DOC_ERROR)
        s->errors++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    seen s = { (const char *)data, size, 0 };
    idt_admission_config *cfg = NULL;
    idt_error err = { .source = "fuzz.toml" };
    int rc = idt_admission_config_parse(&cfg, (const char *)data, size, base_dir(), tap, &s, &err);
    if (rc < 0) {
        fuzz_check_error(rc, &err, size);
        CHECK(rc == IDT_ESYNTAX || rc == IDT_ESCHEMA || rc == IDT_EIO || rc == IDT_ELIMIT ||
              rc == IDT_EUNSUPPORTED);
        if (rc == IDT_ESCHEMA || rc == IDT_ESYNTAX)
            CHECK(s.errors > 0);
        CHECK(cfg == NULL);
        return 0;
    }
    const idt_admission_server *srv = idt_admission_config_server(cfg);
    CHECK(srv->port >= 1 && srv->port <= 65535 && srv->max_body >= 4096 && srv->max_depth >= 16);
    static const char review[] =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
        "{\"uid\":\"u\",\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\",\"namespace\":\"n\","
        "\"object\":{\"kind\":\"Pod\",\"metadata\":{},\"spec\":{\"runtimeClassName\":"
        "\"kata-qemu-tdx\"}}}}";
    idt_admission_result r;
    CHECK(idt_admission_review(&r, cfg, IDT_ADMISSION_MUTATE, review, sizeof review - 1, &err) ==
          IDT_OK);
    CHECK(r.http_status == 200);
    idt_admission_result_dispose(&r);
    idt_admission_config_free(cfg);
    return 0;
}
