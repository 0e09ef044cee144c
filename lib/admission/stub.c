/*
 * STUB (drop at merge): a temporary, minimal stand-in for lib/admission/
 * so that the webhook server (the cli/webhook_ files) builds and its tests run
 * before the real implementation lands.  It implements initdata/admission.h
 * only as far as the server needs:
 *
 *   - the configuration: a [server] table (address, port, cert, key,
 *     max_body, max_depth, threads, max_connections, connection_timeout,
 *     request_timeout); every other table is ignored; relative cert/key
 *     paths are resolved against the configuration's directory;
 *   - a review: the body is read with util/json_read (max_depth); a review
 *     with a request.uid is allowed, or refused with status code 400 when
 *     its apiVersion/kind is not admission.k8s.io/v1 AdmissionReview; one
 *     without a uid gets HTTP 400 and a metav1.Status;
 *   - no patch, no finding, no offline judgement.
 *
 * The real lib/admission replaces this file with the same API.
 */
#include "initdata/admission.h"
#include "util/buf.h"
#include "util/error_int.h"
#include "util/json.h"
#include "util/json_read.h"
#include "initdata/toml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STUB_CONFIG_MAX ((size_t)1 << 20)

struct idt_admission_config {
    idt_admission_server server;
    char *address, *cert, *key, *path;
    const char *files[1];
    size_t nfiles;
};

static int report(idt_doc_diag_cb cb, void *payload, idt_error *err, int code,
                  const idt_span *at, const char *fmt, ...) IDTX_PRINTF(6, 7);

static int report(idt_doc_diag_cb cb, void *payload, idt_error *err, int code,
                  const idt_span *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    idtx_error_vset(err, code, at, fmt, ap);
    va_end(ap);
    if (cb) {
        idt_doc_diag d;
        memset(&d, 0, sizeof d);
        d.severity = IDT_DOC_ERROR;
        d.rule = IDT_DOC_RULE_TOML;
        d.code = code;
        if (at)
            d.span = *at;
        va_start(ap, fmt);
        vsnprintf(d.message, sizeof d.message, fmt, ap);
        va_end(ap);
        cb(&d, payload);
    }
    return code;
}

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

/* base_dir + "/" + path unless path is absolute. */
static char *resolve(const char *base_dir, const char *path, size_t n)
{
    if (n && path[0] == '/')
        return dup_n(path, n);
    char cwd[4096];
    if (!base_dir) {
        if (!getcwd(cwd, sizeof cwd))
            return NULL;
        base_dir = cwd;
    }
    size_t bl = strlen(base_dir);
    if (bl > SIZE_MAX / 2 || n > SIZE_MAX / 2)
        return NULL;
    char *p = malloc(bl + 1 + n + 1);
    if (!p)
        return NULL;
    memcpy(p, base_dir, bl);
    p[bl] = '/';
    memcpy(p + bl + 1, path, n);
    p[bl + 1 + n] = 0;
    return p;
}

static int server_key(idt_admission_config *c, const idt_toml_entry *e, const char *base_dir,
                      idt_doc_diag_cb cb, void *payload, idt_error *err)
{
    const idt_toml_value *v = e->value;
    static const char *const strings[] = { "address", "cert", "key" };
    static const char *const numbers[] = { "port", "max_body", "max_depth", "threads",
                                           "max_connections", "connection_timeout",
                                           "request_timeout" };
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        if (strcmp(e->key, strings[i]) != 0)
            continue;
        if (v->type != IDT_TOML_STRING || v->as.string.len == 0 ||
            memchr(v->as.string.ptr, 0, v->as.string.len))
            return report(cb, payload, err, IDT_ESCHEMA, &v->span,
                          "server.%s must be a non-empty string", e->key);
        char **slot = i == 0 ? &c->address : i == 1 ? &c->cert : &c->key;
        free(*slot);
        *slot = i == 0 ? dup_n(v->as.string.ptr, v->as.string.len)
                       : resolve(base_dir, v->as.string.ptr, v->as.string.len);
        if (!*slot)
            return report(cb, payload, err, IDT_ENOMEM, NULL, "out of memory");
        return IDT_OK;
    }
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        if (strcmp(e->key, numbers[i]) != 0)
            continue;
        int64_t lo = i == 0 ? 0 : i == 3 ? 0 : 1;
        int64_t hi = i == 0 ? 65535 : i == 1 ? ((int64_t)1 << 30) : 1000000;
        if (v->type != IDT_TOML_INTEGER || v->as.integer < lo || v->as.integer > hi)
            return report(cb, payload, err, IDT_ESCHEMA, &v->span,
                          "server.%s must be an integer from %lld to %lld", e->key,
                          (long long)lo, (long long)hi);
        idt_admission_server *s = &c->server;
        switch (i) {
        case 0: s->port = (unsigned)v->as.integer; break;
        case 1: s->max_body = (size_t)v->as.integer; break;
        case 2: s->max_depth = (unsigned)v->as.integer; break;
        case 3: s->threads = (unsigned)v->as.integer; break;
        case 4: s->max_connections = (unsigned)v->as.integer; break;
        case 5: s->connection_timeout = (unsigned)v->as.integer; break;
        default: s->request_timeout = (unsigned)v->as.integer; break;
        }
        return IDT_OK;
    }
    return report(cb, payload, err, IDT_ESCHEMA, &e->key_span,
                  "unknown key \"server.%s\" (the webhook configuration has no such setting)",
                  e->key);
}

int idt_admission_config_parse(idt_admission_config **out, const char *src, size_t len,
                               const char *base_dir, idt_doc_diag_cb cb, void *payload,
                               idt_error *err)
{
    if (!out || (!src && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments");
    *out = NULL;
    idt_toml_doc *doc = NULL;
    idt_error terr = { 0 };
    terr.source = err ? err->source : NULL;
    int rc = idt_toml_parse(&doc, src ? src : "", len, NULL, &terr);
    if (rc < 0) {
        idt_span at = { (size_t)terr.offset, 0, terr.line, terr.column };
        return report(cb, payload, err, rc, &at, "%s", terr.message);
    }
    idt_admission_config *c = calloc(1, sizeof *c);
    if (!c) {
        idt_toml_doc_free(doc);
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    }
    c->server.port = IDT_ADMISSION_DEFAULT_PORT;
    c->server.max_body = IDT_ADMISSION_DEFAULT_MAX_BODY;
    c->server.max_depth = IDT_ADMISSION_DEFAULT_MAX_DEPTH;
    c->server.max_connections = 1024;
    c->server.connection_timeout = 60;
    c->server.request_timeout = 30;
    const idt_toml_entry *se = idt_toml_table_get(idt_toml_doc_root(doc), "server", 6);
    if (se && se->value->type != IDT_TOML_TABLE)
        rc = report(cb, payload, err, IDT_ESCHEMA, &se->value->span,
                    "server must be a table");
    if (rc == IDT_OK && se)
        for (size_t i = 0; i < se->value->as.table.count && rc == IDT_OK; i++)
            rc = server_key(c, &se->value->as.table.entries[i], base_dir, cb, payload, err);
    idt_toml_doc_free(doc);
    if (rc == IDT_OK && !c->address && !(c->address = dup_n("0.0.0.0", 7)))
        rc = idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    if (rc < 0) {
        idt_admission_config_free(c);
        return rc;
    }
    c->server.address = c->address;
    c->server.cert_file = c->cert;
    c->server.key_file = c->key;
    *out = c;
    return IDT_OK;
}

int idt_admission_config_load(idt_admission_config **out, const char *path,
                              idt_doc_diag_cb cb, void *payload, idt_error *err)
{
    if (!out || !path)
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments");
    *out = NULL;
    if (err && !err->source)
        err->source = path;
    FILE *f = fopen(path, "rb");
    if (!f)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", path, strerror(errno));
    idtx_buf b;
    idtx_buf_init(&b, STUB_CONFIG_MAX, "the webhook configuration");
    char chunk[8192];
    size_t n;
    int rc = IDT_OK;
    while (rc == IDT_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = idtx_buf_put(&b, chunk, n, err);
    if (rc == IDT_OK && ferror(f))
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot read %s", path);
    fclose(f);
    char *dir = NULL;
    if (rc == IDT_OK) {
        const char *slash = strrchr(path, '/');
        dir = slash ? dup_n(path, slash == path ? 1 : (size_t)(slash - path)) : NULL;
        if (slash && !dir)
            rc = idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    }
    if (rc == IDT_OK)
        rc = idt_admission_config_parse(out, b.data, b.len, dir, cb, payload, err);
    free(dir);
    idtx_buf_dispose(&b);
    if (rc == IDT_OK) {
        (*out)->path = dup_n(path, strlen(path));
        if ((*out)->path) {
            (*out)->files[0] = (*out)->path;
            (*out)->nfiles = 1;
        }
    }
    return rc;
}

void idt_admission_config_free(idt_admission_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->address);
    free(cfg->cert);
    free(cfg->key);
    free(cfg->path);
    free(cfg);
}

const idt_admission_server *idt_admission_config_server(const idt_admission_config *cfg)
{
    return cfg ? &cfg->server : NULL;
}

const char *const *idt_admission_config_files(const idt_admission_config *cfg, size_t *count)
{
    if (count)
        *count = cfg ? cfg->nfiles : 0;
    return cfg ? cfg->files : NULL;
}

const char *idt_admission_decision_name(idt_admission_decision d)
{
    switch (d) {
    case IDT_ADMISSION_ALLOW: return "allow";
    case IDT_ADMISSION_DENY: return "deny";
    case IDT_ADMISSION_INVALID: return "invalid";
    }
    return NULL;
}

/* Copies string token i into a fixed field, control characters replaced. */
static void field(char *dst, size_t cap, const idtx_json *j, size_t i)
{
    dst[0] = 0;
    if (idtx_json_type_at(j, i) != IDTX_JSON_STRING)
        return;
    char *s = idtx_json_string_dup(j, i, cap - 1, NULL);
    if (!s)
        return;
    size_t n = strlen(s);
    for (size_t k = 0; k < n; k++)
        dst[k] = (unsigned char)s[k] < 0x20 || s[k] == 0x7f ? '?' : s[k];
    dst[n] = 0;
    free(s);
}

static int status_body(idt_admission_result *out, const char *why, idt_error *err)
{
    idtx_buf b;
    idtx_buf_init(&b, 4096, "the response");
    int rc = idtx_buf_puts(&b, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                               "\"status\":\"Failure\",\"message\":", err);
    if (rc == IDT_OK)
        rc = idtx_json_string(&b, why, strlen(why), true, NULL, err);
    if (rc == IDT_OK)
        rc = idtx_buf_puts(&b, ",\"reason\":\"BadRequest\",\"code\":400}", err);
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, &out->body, &out->body_len, err);
    idtx_buf_dispose(&b);
    out->http_status = 400;
    out->decision = IDT_ADMISSION_INVALID;
    snprintf(out->reason, sizeof out->reason, "%s", why);
    return rc < 0 ? IDT_ENOMEM : IDT_OK;
}

int idt_admission_review(idt_admission_result *out, const idt_admission_config *cfg,
                         idt_admission_endpoint endpoint, const char *body, size_t len,
                         idt_error *err)
{
    if (!out)
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments");
    memset(out, 0, sizeof *out);
    if (!cfg || (!body && len) ||
        (endpoint != IDT_ADMISSION_VALIDATE && endpoint != IDT_ADMISSION_MUTATE))
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments");
    idtx_json j;
    idt_error jerr = { 0 };
    int rc = idtx_json_parse(&j, body ? body : "", len, cfg->server.max_depth,
                             len ? len : 1, &jerr);
    if (rc == IDT_ENOMEM)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    if (rc < 0) {
        char why[IDT_ERROR_MESSAGE_MAX + 64];
        snprintf(why, sizeof why, "the request is not JSON: %u:%u: %s", (unsigned)jerr.line,
                 (unsigned)jerr.column, jerr.message);
        return status_body(out, why, err);
    }
    static const char *const uid_path[] = { "request", "uid", NULL };
    size_t uid = idtx_json_path(&j, 0, uid_path);
    if (idtx_json_type_at(&j, uid) != IDTX_JSON_STRING) {
        idtx_json_dispose(&j);
        return status_body(out, "the request is not an AdmissionReview: request.uid is missing",
                           err);
    }
    static const char *const kind_path[] = { "request", "kind", "kind", NULL };
    static const char *const op_path[] = { "request", "operation", NULL };
    static const char *const ns_path[] = { "request", "namespace", NULL };
    static const char *const name_path[] = { "request", "name", NULL };
    field(out->uid, sizeof out->uid, &j, uid);
    field(out->kind, sizeof out->kind, &j, idtx_json_path(&j, 0, kind_path));
    field(out->operation, sizeof out->operation, &j, idtx_json_path(&j, 0, op_path));
    field(out->namespace_, sizeof out->namespace_, &j, idtx_json_path(&j, 0, ns_path));
    field(out->name, sizeof out->name, &j, idtx_json_path(&j, 0, name_path));
    bool ok = idtx_json_string_eq(&j, idtx_json_member(&j, 0, "apiVersion"),
                                  "admission.k8s.io/v1", 19) &&
              idtx_json_string_eq(&j, idtx_json_member(&j, 0, "kind"), "AdmissionReview", 15);
    idtx_buf b;
    idtx_buf_init(&b, len + 4096, "the response");
    rc = idtx_buf_puts(&b, "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                           "\"response\":{\"uid\":", err);
    if (rc == IDT_OK)
        rc = idtx_buf_put(&b, "\"", 1, err);
    if (rc == IDT_OK) /* the uid as sent: a validated JSON string body */
        rc = idtx_buf_put(&b, body + j.tok[uid].start, j.tok[uid].len, err);
    if (rc == IDT_OK)
        rc = idtx_buf_puts(&b, ok ? "\",\"allowed\":true}}"
                                  : "\",\"allowed\":false,\"status\":{\"status\":\"Failure\","
                                    "\"message\":\"the request is not an admission.k8s.io/v1 "
                                    "AdmissionReview\",\"reason\":\"BadRequest\",\"code\":400}}}",
                           err);
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, &out->body, &out->body_len, err);
    idtx_buf_dispose(&b);
    idtx_json_dispose(&j);
    if (rc < 0)
        return IDT_ENOMEM;
    out->http_status = 200;
    out->decision = ok ? IDT_ADMISSION_ALLOW : IDT_ADMISSION_INVALID;
    if (!ok)
        snprintf(out->reason, sizeof out->reason,
                 "the request is not an admission.k8s.io/v1 AdmissionReview");
    return IDT_OK;
}

void idt_admission_result_dispose(idt_admission_result *r)
{
    if (!r)
        return;
    free(r->body);
    memset(r, 0, sizeof *r);
}

int idt_admission_result_log(char **out, size_t *out_len, const idt_admission_result *r,
                             idt_admission_endpoint endpoint, uint64_t micros, idt_error *err)
{
    if (!out || !r)
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments");
    *out = NULL;
    idtx_buf b;
    idtx_buf_init(&b, 8192, "the log line");
    const char *keys[] = { "uid", "kind", "namespace", "name", "operation" };
    const char *vals[] = { r->uid, r->kind, r->namespace_, r->name, r->operation };
    int rc = IDT_OK;
    for (size_t i = 0; i < 5 && rc == IDT_OK; i++) {
        rc = idtx_buf_printf(&b, err, "%s\"%s\":", i ? "," : "{", keys[i]);
        if (rc == IDT_OK)
            rc = idtx_json_string(&b, vals[i], strlen(vals[i]), true, NULL, err);
    }
    const char *d = idt_admission_decision_name(r->decision);
    if (rc == IDT_OK)
        rc = idtx_buf_printf(&b, err, ",\"endpoint\":\"%s\",\"decision\":\"%s\",\"codes\":[",
                             endpoint == IDT_ADMISSION_MUTATE ? "mutate" : "validate",
                             d ? d : "invalid");
    for (size_t i = 0; i < r->code_count && i < IDT_ADMISSION_CODES_MAX && rc == IDT_OK; i++)
        rc = idtx_buf_printf(&b, err, "%s\"%s\"", i ? "," : "", r->codes[i]);
    if (rc == IDT_OK)
        rc = idtx_buf_printf(&b, err, "],\"us\":%llu}", (unsigned long long)micros);
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, out, out_len, err);
    idtx_buf_dispose(&b);
    return rc;
}

void idt_admission_judgement_dispose(idt_admission_judgement *j)
{
    if (!j)
        return;
    free(j->findings);
    memset(j, 0, sizeof *j);
}

int idt_admission_judge_json(idt_admission_judgement *out, const idt_admission_config *cfg,
                             const char *json, size_t len, const char *namespace_,
                             idt_error *err)
{
    (void)cfg, (void)json, (void)len, (void)namespace_;
    if (out)
        memset(out, 0, sizeof *out);
    return idtx_error_set(err, IDT_EUNSUPPORTED, NULL,
                          "offline judgement is not in this stub of the admission module");
}

const idt_code_info *idt_admission_codes(size_t *count)
{
    if (count)
        *count = 0;
    return NULL;
}
