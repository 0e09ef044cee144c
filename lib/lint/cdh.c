/* cdh.toml: the confidential-data-hub's configuration (initdata-facts §1;
 * guest-components confidential-data-hub/hub/src/config and image-rs's
 * ImageConfig and registry configuration). */
#include "lint/lint_int.h"
#include "util/quote.h"

#include <stdio.h>
#include <string.h>

#define KBS_DIR "/run/confidential-containers/cdh/kbs"

static const char *const kbs_schemes[] = { "http", "https", NULL };
static const char *const proxy_schemes[] = { "http", "https", "socks5", "socks5h", NULL };
static const char *const kbc_names[] = { "cc_kbc", "offline_fs_kbc" };

typedef struct cdh_state {
    const idt_toml_value *kbc_url; /* kbc.url of a cc_kbc, when well-formed */
} cdh_state;

static bool str_is(const idt_toml_value *v, const char *s)
{
    return v && v->type == IDT_TOML_STRING && v->as.string.len == strlen(s) &&
           memcmp(v->as.string.ptr, s, v->as.string.len) == 0;
}

static const idt_toml_value *get(const idt_toml_value *table, const char *key)
{
    const idt_toml_entry *e = idt_toml_table_get(table, key, strlen(key));
    return e ? e->value : NULL;
}

static void check_kbc_name(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                           void *state)
{
    (void)state;
    if (str_is(v, kbc_names[0]) || str_is(v, kbc_names[1]))
        return;
    size_t n = v->as.string.len;
    int k = idt_lint__closest(v->as.string.ptr, n, kbc_names, 2, idt_lint__typo_budget(n));
    char q[IDTX_QUOTE_MAX], hint[48] = "";
    if (k >= 0)
        snprintf(hint, sizeof hint, "; did you mean \"%s\"?", kbc_names[k]);
    idt_lint__report(c, IDT_LINT__CODE_CDH_KBC_NAME, IDT_DOC_ERROR, c->consumer, &v->span,
                     "%s %s is not a KBC the confidential-data-hub knows (cc_kbc or "
                     "offline_fs_kbc; it fails to start)%s",
                     path, idtx_quote(q, v->as.string.ptr, n), hint);
}

/* [kbc] as a whole: cc_kbc needs the KBS URL. */
static void check_kbc(idt_lint__ctx *c, const idt_toml_value *kbc, const char *path,
                      void *state)
{
    cdh_state *st = state;
    const idt_toml_value *url = get(kbc, "url");
    if (!str_is(get(kbc, "name"), "cc_kbc"))
        return;
    if (!url) {
        idt_lint__missing(c, kbc, path, "url",
                          "with name = \"cc_kbc\" the confidential-data-hub needs the KBS "
                          "URL; without it every secret and image key request fails");
        return;
    }
    char at[64];
    snprintf(at, sizeof at, "%s.url", path);
    if (url->type == IDT_TOML_STRING && idt_lint__check_url(c, url, at, kbs_schemes))
        st->kbc_url = url;
}

static void check_kbs_cert(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                           void *state)
{
    (void)state;
    idt_lint__check_cert(c, v, path,
                         "the confidential-data-hub fails to set up its connection to the KBS");
}

static void check_extra_certs(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                              void *state)
{
    (void)state;
    for (size_t i = 0; i < v->as.array.count && !idt_lint__done(c); i++) {
        const idt_toml_value *item = v->as.array.items[i];
        if (item->type != IDT_TOML_STRING)
            continue;
        char at[96];
        snprintf(at, sizeof at, "%s[%zu]", path, i);
        idt_lint__check_cert(c, item, at,
                             "image-rs fails to set up its registry client with it, so image "
                             "pulls fail");
    }
}

static void check_proxy(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                        void *state)
{
    (void)state;
    idt_lint__check_url(c, v, path, proxy_schemes);
}

/* Component-wise: KBS_DIR itself or below it, and no ".." to climb out. */
static bool under_kbs_dir(const char *p, size_t n)
{
    size_t d = strlen(KBS_DIR);
    if (n < d || memcmp(p, KBS_DIR, d) != 0 || (n > d && p[d] != '/'))
        return false;
    for (size_t i = d; i < n;) {
        while (i < n && p[i] == '/')
            i++;
        size_t j = i;
        while (j < n && p[j] != '/')
            j++;
        if (j - i == 2 && p[i] == '.' && p[i + 1] == '.')
            return false;
        i = j;
    }
    return true;
}

static void check_path(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                       void *state)
{
    (void)state;
    if (under_kbs_dir(v->as.string.ptr, v->as.string.len))
        return;
    char q[IDTX_QUOTE_MAX];
    idt_lint__report(c, IDT_LINT__CODE_CDH_CREDENTIAL_PATH, IDT_DOC_ERROR, c->consumer, &v->span,
                     "%s %s is not under " KBS_DIR " (the confidential-data-hub writes "
                     "credentials only there and fails to start)",
                     path, idtx_quote(q, v->as.string.ptr, v->as.string.len));
}

static bool empty_string(const idt_toml_value *v)
{
    return !v || (v->type == IDT_TOML_STRING && v->as.string.len == 0);
}

static void registry_rule(idt_lint__ctx *c, const idt_toml_value *at, const char *path,
                          const char *what)
{
    idt_lint__report(c, IDT_LINT__CODE_CDH_REGISTRY, IDT_DOC_ERROR, c->consumer, &at->span,
                     "%s: %s (image-rs rejects the registry configuration, so image pulls "
                     "fail)",
                     path, what);
}

/* image-rs's Config::validate_and_tidy, rule by rule. */
static void check_registry(idt_lint__ctx *c, const idt_toml_value *reg, const char *path,
                           void *state)
{
    (void)state;
    const idt_toml_value *prefix = get(reg, "prefix"), *location = get(reg, "location");
    if (empty_string(prefix) && empty_string(location))
        registry_rule(c, reg, path, "both prefix and location are empty");
    else if (prefix && prefix->type == IDT_TOML_STRING && prefix->as.string.len >= 2 &&
             memcmp(prefix->as.string.ptr, "*.", 2) == 0 && empty_string(location))
        registry_rule(c, reg, path, "a wildcard prefix (*.) needs a location");
}

static void check_mirror(idt_lint__ctx *c, const idt_toml_value *mirror, const char *path,
                         void *state)
{
    (void)state;
    const idt_toml_value *location = get(mirror, "location");
    if (location && empty_string(location))
        registry_rule(c, location, path, "the mirror location is empty");
}

static const idt_lint__field kbc_fields[] = {
    { "name", IDT_LINT_STRING, true, NULL, check_kbc_name },
    { "url", IDT_LINT_STRING, false, NULL, NULL }, /* checked with the name */
    { "kbs_cert", IDT_LINT_STRING, false, NULL, check_kbs_cert },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field aa_fields[] = {
    { "aa_socket", IDT_LINT_STRING, false, NULL, NULL },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field credential_fields[] = {
    { "resource_uri", IDT_LINT_STRING, true, NULL, NULL },
    { "path", IDT_LINT_STRING, true, NULL, check_path },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field proxy_fields[] = {
    { "https_proxy", IDT_LINT_STRING, false, NULL, check_proxy },
    { "http_proxy", IDT_LINT_STRING, false, NULL, check_proxy },
    { "no_proxy", IDT_LINT_STRING, false, NULL, NULL },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field mirror_fields[] = {
    { "location", IDT_LINT_STRING, true, NULL, NULL },
    { "insecure", IDT_LINT_BOOL, false, NULL, NULL },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field registry_fields[] = {
    { "prefix", IDT_LINT_STRING, false, NULL, NULL },
    { "insecure", IDT_LINT_BOOL, false, NULL, NULL },
    { "blocked", IDT_LINT_BOOL, false, NULL, NULL },
    { "location", IDT_LINT_STRING, false, NULL, NULL },
    { "mirror", IDT_LINT_TABLES, false, mirror_fields, check_mirror },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field registry_config_fields[] = {
    { "unqualified-search-registries", IDT_LINT_STRINGS, false, NULL, NULL },
    { "registry", IDT_LINT_TABLES, false, registry_fields, check_registry },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field image_fields[] = {
    { "work_dir", IDT_LINT_STRING, false, NULL, NULL },
    { "image_security_policy_uri", IDT_LINT_STRING, false, NULL, NULL },
    { "image_security_policy", IDT_LINT_STRING, false, NULL, NULL },
    { "sigstore_config_uri", IDT_LINT_STRING, false, NULL, NULL },
    { "sigstore_config", IDT_LINT_STRING, false, NULL, NULL },
    { "authenticated_registry_credentials_uri", IDT_LINT_STRING, false, NULL, NULL },
    { "anonymous_fallback_on_unauthorized", IDT_LINT_BOOL, false, NULL, NULL },
    { "registry_configuration_uri", IDT_LINT_STRING, false, NULL, NULL },
    { "registry_config", IDT_LINT_TABLE, false, registry_config_fields, NULL },
    { "max_concurrent_layer_downloads_per_image", IDT_LINT_INTEGER, false, NULL, NULL },
    { "image_pull_proxy", IDT_LINT_TABLE, false, proxy_fields, NULL },
    { "extra_root_certificates", IDT_LINT_STRINGS, false, NULL, check_extra_certs },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field log_fields[] = {
    { "level", IDT_LINT_STRING, false, NULL, NULL },
    { NULL, 0, false, NULL, NULL },
};

static const idt_lint__field cdh_fields[] = {
    { "socket", IDT_LINT_STRING, false, NULL, NULL },
    { "kbc", IDT_LINT_TABLE, true, kbc_fields, check_kbc },
    { "aa", IDT_LINT_TABLE, false, aa_fields, NULL },
    { "credentials", IDT_LINT_TABLES, false, credential_fields, NULL },
    { "image", IDT_LINT_TABLE, false, image_fields, NULL },
    { "skip_sealed_secret_verification", IDT_LINT_BOOL, false, NULL, NULL },
    { "log", IDT_LINT_TABLE, false, log_fields, NULL },
    { NULL, 0, false, NULL, NULL },
};

void idt_lint__cdh(idt_lint__ctx *c, const idt_toml_value *root, const idt_toml_value **kbc_url)
{
    cdh_state st = { NULL };
    idt_lint__walk(c, root, "", cdh_fields, &st);
    *kbc_url = st.kbc_url;
}
