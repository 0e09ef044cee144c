/* aa.toml: the attestation-agent's configuration (initdata-facts §1;
 * guest-components attestation-agent/src/config). */
#include "lint/lint_int.h"
#include "util/quote.h"

#include <stdio.h>
#include <string.h>

static const char *const kbs_schemes[] = { "http", "https", NULL };

/* kbs_protocol's TeeKeyAlgorithm, as serde spells it (case matters). */
static const char *const tee_key_algorithms[] = { "ECDH-ES+A256KW-P256", "ECDH-ES+A256KW-P521",
                                                  "RSA-OAEP-256" };
#define NALGS (sizeof tee_key_algorithms / sizeof tee_key_algorithms[0])

typedef struct aa_state {
    const idt_toml_value *kbs_url; /* token_configs.kbs.url, when well-formed */
} aa_state;

static void check_kbs_url(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                          void *state)
{
    aa_state *st = state;
    if (idt_lint__check_url(c, v, path, kbs_schemes))
        st->kbs_url = v;
}

static void check_url(idt_lint__ctx *c, const idt_toml_value *v, const char *path, void *state)
{
    (void)state;
    idt_lint__check_url(c, v, path, kbs_schemes);
}

static void check_cert(idt_lint__ctx *c, const idt_toml_value *v, const char *path, void *state)
{
    (void)state;
    idt_lint__check_cert(c, v, path,
                         "the attestation-agent fails to set up its connection to the KBS");
}

static void check_tee_key(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                          void *state)
{
    (void)state;
    const char *s = v->as.string.ptr;
    size_t n = v->as.string.len;
    for (size_t i = 0; i < NALGS; i++)
        if (n == strlen(tee_key_algorithms[i]) && memcmp(s, tee_key_algorithms[i], n) == 0)
            return;
    int k = idt_lint__closest(s, n, tee_key_algorithms, NALGS, idt_lint__typo_budget(n));
    char q[IDTX_QUOTE_MAX], hint[64] = "";
    if (k >= 0)
        snprintf(hint, sizeof hint, "; did you mean \"%s\"?", tee_key_algorithms[k]);
    idt_lint__report(c, IDT_LINT__CODE_AA_TEE_KEY, IDT_DOC_ERROR, c->consumer, &v->span,
                     "%s %s is not a key algorithm the attestation-agent knows (%s, %s or %s; "
                     "it fails to load aa.toml)%s",
                     path, idtx_quote(q, s, n), tee_key_algorithms[0], tee_key_algorithms[1],
                     tee_key_algorithms[2], hint);
}

static void check_pcr(idt_lint__ctx *c, const idt_toml_value *v, const char *path, void *state)
{
    (void)state;
    if (v->as.integer >= 0 && v->as.integer <= 23)
        return;
    idt_lint__report(c, IDT_LINT__CODE_AA_PCR, IDT_DOC_ERROR, c->consumer, &v->span,
                     "%s is %lld, not a PCR index from 0 to 23 (the attestation-agent cannot "
                     "extend it: a TPM and the TDX RTMR mapping have PCRs 0-23; the default "
                     "is 17)",
                     path, (long long)v->as.integer);
}

static const idt_lint__field kbs_fields[] = {
    { "url", IDT_LINT_STRING, true, NULL, check_kbs_url },
    { "cert", IDT_LINT_STRING, false, NULL, check_cert },
    { "tee_key_algorithm", IDT_LINT_STRING, false, NULL, check_tee_key },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field coco_as_fields[] = {
    { "url", IDT_LINT_STRING, true, NULL, check_url },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field token_fields[] = {
    { "kbs", IDT_LINT_TABLE, false, kbs_fields, NULL },
    { "coco_as", IDT_LINT_TABLE, false, coco_as_fields, NULL },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field eventlog_fields[] = {
    { "init_pcr", IDT_LINT_INTEGER, false, NULL, check_pcr },
    { "enable_eventlog", IDT_LINT_BOOL, false, NULL, NULL },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field log_fields[] = {
    { "level", IDT_LINT_STRING, false, NULL, NULL },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field aa_fields[] = {
    { "token_configs", IDT_LINT_TABLE, false, token_fields, NULL },
    { "eventlog_config", IDT_LINT_TABLE, false, eventlog_fields, NULL },
    { "log", IDT_LINT_TABLE, false, log_fields, NULL },
    { NULL, 0, false, NULL, NULL },
};

void idt_lint__aa(idt_lint__ctx *c, const idt_toml_value *root, const idt_toml_value **kbs_url)
{
    aa_state st = { NULL };
    idt_lint__walk(c, root, "", aa_fields, &st);
    *kbs_url = st.kbs_url;
}
