/* AdmissionReview v1 in and out (initdata/admission.h): read the request
 * with the one-pass JSON reader, judge its object, write the response the
 * API server checks (uid echoed, apiVersion and kind, status on denial,
 * warnings, a JSON Patch from the mutating endpoint, auditAnnotations). */
#include "admission/admission_int.h"
#include "util/base64.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API_VERSION "admission.k8s.io/v1"
#define MAX_UID 256
#define MAX_MESSAGE ((size_t)32 << 10)

/* Copies a JSON string token into a fixed field for the log: decoded, cut
 * to fit at a character boundary, control characters as '?'. */
static void field_copy(char *dst, size_t cap, const idtx_json *j, size_t i)
{
    dst[0] = '\0';
    if (idtx_json_type_at(j, i) != IDTX_JSON_STRING)
        return;
    idtx_buf b;
    idtx_buf_init(&b, cap * 4 + 8, "a field");
    if (idtx_json_string_decode(j, i, &b, NULL) == IDT_OK && b.data) {
        size_t n = 0;
        for (size_t k = 0; k < b.len;) {
            size_t s = idtx_utf8_seq((const unsigned char *)b.data + k, b.len - k, NULL);
            if (!s)
                s = 1;
            if (n + s >= cap)
                break;
            for (size_t x = 0; x < s; x++) {
                unsigned char c = (unsigned char)b.data[k + x];
                dst[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
            }
            k += s;
        }
        dst[n] = '\0';
    }
    idtx_buf_dispose(&b);
}

static void add_code(idt_admission_result *out, const char *code)
{
    for (size_t i = 0; i < out->code_count; i++)
        if (strcmp(out->codes[i], code) == 0)
            return;
    if (out->code_count < IDT_ADMISSION_CODES_MAX)
        out->codes[out->code_count++] = code;
    else
        out->codes_dropped++;
}

/* --- writing the response --------------------------------------------------- */

static int start_review(idtx_buf *b, const char *uid, size_t uid_len, bool allowed, idt_error *err)
{
    IDTX_TRY(idtx_buf_puts(b, "{\"apiVersion\":\"" API_VERSION "\",\"kind\":\"AdmissionReview\","
                              "\"response\":{\"uid\":", err));
    IDTX_TRY(idtx_json_string(b, uid, uid_len, true, NULL, err));
    return idtx_buf_puts(b, allowed ? ",\"allowed\":true" : ",\"allowed\":false", err);
}

static int status(idtx_buf *b, unsigned code, const char *reason, const char *msg, size_t n,
                  idt_error *err)
{
    IDTX_TRY(idtx_buf_printf(b, err, ",\"status\":{\"metadata\":{},\"status\":\"Failure\","
                                     "\"reason\":\"%s\",\"code\":%u,\"message\":", reason, code));
    IDTX_TRY(idtx_json_string(b, msg, n, true, NULL, err));
    return idtx_buf_putc(b, '}', err);
}

static int finish(idtx_buf *b, idt_admission_result *out, idt_error *err)
{
    IDTX_TRY(idtx_buf_puts(b, "}}\n", err));
    return idtx_buf_take(b, &out->body, &out->body_len, err);
}

/* A request with no uid to echo: HTTP 400 and a metav1.Status. */
static int unreadable(idt_admission_result *out, const char *why, idt_error *err)
{
    out->http_status = 400;
    out->decision = IDT_ADMISSION_INVALID;
    snprintf(out->reason, sizeof out->reason, "%s", why);
    idtx_buf b;
    idtx_buf_init(&b, 4096, "the response");
    int rc = idtx_buf_puts(&b, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                               "\"status\":\"Failure\",\"reason\":\"BadRequest\",\"code\":400,"
                               "\"message\":", err);
    if (rc == IDT_OK)
        rc = idtx_json_string(&b, why, strlen(why), true, NULL, err);
    if (rc == IDT_OK)
        rc = idtx_buf_puts(&b, "}\n", err);
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, &out->body, &out->body_len, err);
    idtx_buf_dispose(&b);
    return rc;
}

/* A review that cannot be judged, but has a uid: allowed false, 400. */
static int invalid_review(idt_admission_result *out, const char *uid, size_t uid_len,
                          const char *why, idt_error *err)
{
    out->http_status = 200;
    out->decision = IDT_ADMISSION_INVALID;
    snprintf(out->reason, sizeof out->reason, "%s", why);
    idtx_buf b;
    idtx_buf_init(&b, 8192, "the response");
    int rc = start_review(&b, uid, uid_len, false, err);
    if (rc == IDT_OK)
        rc = status(&b, 400, "BadRequest", why, strlen(why), err);
    if (rc == IDT_OK)
        rc = finish(&b, out, err);
    idtx_buf_dispose(&b);
    return rc;
}

/* One warning: the code first (so that a cut keeps it), then the finding
 * without its field path; one line of printable UTF-8, at most
 * IDT_ADMISSION_WARNING_MAX bytes. */
static int warning(idtx_buf *b, const idt_admission__finding *f, const char *field, idt_error *err)
{
    const char *t = f->text;
    size_t fl = strlen(field);
    if (strncmp(t, field, fl) == 0 && t[fl] == ':')
        t += fl + 1 + (t[fl + 1] == ' ');
    size_t n = strlen(t), cl = strlen(f->code);
    if (n > cl + 3 && t[n - 1] == ']' && memcmp(t + n - cl - 1, f->code, cl) == 0)
        n -= cl + 3; /* the trailing " [CODE]" */
    char w[IDT_ADMISSION_WARNING_MAX + 8];
    size_t o = (size_t)snprintf(w, sizeof w, "%s: ", f->code);
    const size_t max = IDT_ADMISSION_WARNING_MAX;
    for (size_t k = 0; k < n;) {
        size_t s = idtx_utf8_seq((const unsigned char *)t + k, n - k, NULL);
        if (!s) {
            k++;
            continue;
        }
        if (o + s > max - (k + s < n ? 3 : 0)) {
            memcpy(w + o, "...", 3);
            o += 3;
            break;
        }
        for (size_t x = 0; x < s; x++) {
            unsigned char c = (unsigned char)t[k + x];
            w[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
        }
        k += s;
    }
    if (b->data[b->len - 1] != '[')
        IDTX_TRY(idtx_buf_putc(b, ',', err));
    return idtx_json_string(b, w, o, true, NULL, err);
}

static int audit(idtx_buf *b, const idt_admission_result *out, idt_error *err)
{
    if (!out->code_count)
        return IDT_OK;
    IDTX_TRY(idtx_buf_printf(b, err, ",\"auditAnnotations\":{\"decision\":\"%s\",\"codes\":\"",
                             idt_admission_decision_name(out->decision)));
    for (size_t i = 0; i < out->code_count; i++)
        IDTX_TRY(idtx_buf_printf(b, err, "%s%s", i ? "," : "", out->codes[i]));
    return idtx_buf_puts(b, "\"}", err);
}

static int denial_message(idtx_buf *m, const idt_admission__verdict *v, const char *who,
                          idt_error *err)
{
    for (size_t i = 0; i < v->count; i++) {
        if (v->findings[i].action != IDT_ADMISSION__DENY)
            continue;
        if (m->len)
            IDTX_TRY(idtx_buf_putc(m, '\n', err));
        IDTX_TRY(idtx_buf_printf(m, err, "%s: %s", who, v->findings[i].text));
    }
    return IDT_OK;
}

static int judged_review(idt_admission_result *out, const char *uid, size_t uid_len,
                         const idt_admission__verdict *v, const char *who, const char *patch,
                         size_t patch_len, idt_error *err)
{
    out->http_status = 200;
    out->decision = v->denied ? IDT_ADMISSION_DENY : IDT_ADMISSION_ALLOW;
    for (size_t i = 0; i < v->count; i++)
        add_code(out, v->findings[i].code);
    idtx_buf b, m;
    idtx_buf_init(&b, (size_t)64 << 20, "the response");
    idtx_buf_init(&m, MAX_MESSAGE, "the denial message");
    int rc = start_review(&b, uid, uid_len, !v->denied, err);
    if (rc == IDT_OK && v->denied) {
        rc = denial_message(&m, v, who, err);
        if (rc == IDT_ELIMIT)
            rc = IDT_OK; /* the first findings are there: enough to act on */
        if (rc == IDT_OK)
            rc = status(&b, 403, "Forbidden", m.data ? m.data : "", m.len, err);
    }
    bool any = false;
    for (size_t i = 0; i < v->count && rc == IDT_OK; i++) {
        if (v->findings[i].action != IDT_ADMISSION__WARN)
            continue;
        if (!any)
            rc = idtx_buf_puts(&b, ",\"warnings\":[", err);
        any = true;
        if (rc == IDT_OK)
            rc = warning(&b, &v->findings[i], v->field, err);
    }
    if (rc == IDT_OK && any)
        rc = idtx_buf_putc(&b, ']', err);
    if (rc == IDT_OK && patch_len) {
        out->patched = true;
        rc = idtx_buf_puts(&b, ",\"patchType\":\"JSONPatch\",\"patch\":\"", err);
        if (rc == IDT_OK)
            rc = idtx_buf_reserve(&b, idtx_base64_encoded_len(patch_len), err);
        if (rc == IDT_OK)
            idtx_buf_commit(&b, idtx_base64_encode(b.data + b.len, patch, patch_len));
        if (rc == IDT_OK)
            rc = idtx_buf_putc(&b, '"', err);
    }
    if (rc == IDT_OK)
        rc = audit(&b, out, err);
    if (rc == IDT_OK)
        rc = finish(&b, out, err);
    idtx_buf_dispose(&b);
    idtx_buf_dispose(&m);
    return rc;
}

/* --- reading the request ------------------------------------------------------ */

static bool str_is(const idtx_json *j, size_t i, const char *s)
{
    return idtx_json_string_eq(j, i, s, strlen(s));
}

/* "Deployment team-a/web", for messages. */
static void describe(char *dst, size_t cap, const idt_admission_result *out)
{
    const char *name = out->name[0] ? out->name : "(unnamed)";
    if (out->namespace_[0])
        snprintf(dst, cap, "%s %s/%s", out->kind, out->namespace_, name);
    else
        snprintf(dst, cap, "%s %s", out->kind, name);
}

/* The object's name: request.name, else metadata.name, else
 * metadata.generateName followed by '*'. */
static void object_name(idt_admission_result *out, const idtx_json *j, size_t req, size_t obj)
{
    static const char *const meta_name[] = { "metadata", "name", NULL };
    static const char *const meta_gen[] = { "metadata", "generateName", NULL };
    field_copy(out->name, sizeof out->name, j, idtx_json_member(j, req, "name"));
    if (!out->name[0])
        field_copy(out->name, sizeof out->name, j, idtx_json_path(j, obj, meta_name));
    if (!out->name[0]) {
        field_copy(out->name, sizeof out->name - 1, j, idtx_json_path(j, obj, meta_gen));
        size_t n = strlen(out->name);
        if (n) {
            out->name[n] = '*';
            out->name[n + 1] = '\0';
        }
    }
}

static int judge(idt_admission_result *out, const idt_admission_config *cfg,
                 idt_admission_endpoint ep, const idtx_json *j, size_t req, const char *uid,
                 size_t uid_len, idt_error *err)
{
    static const char *const kind_kind[] = { "kind", "kind", NULL };
    static const char *const kind_group[] = { "kind", "group", NULL };
    size_t kind = idtx_json_path(j, req, kind_kind);
    char group[64];
    field_copy(group, sizeof group, j, idtx_json_path(j, req, kind_group));
    size_t op = idtx_json_member(j, req, "operation");
    size_t obj = idtx_json_member(j, req, "object");
    field_copy(out->kind, sizeof out->kind, j, kind);
    field_copy(out->operation, sizeof out->operation, j, op);
    field_copy(out->namespace_, sizeof out->namespace_, j, idtx_json_member(j, req, "namespace"));
    object_name(out, j, req, obj);
    idt_admission__verdict none = { 0 };
    bool judged = ep == IDT_ADMISSION_VALIDATE ? str_is(j, op, "CREATE") || str_is(j, op, "UPDATE")
                                               : str_is(j, op, "CREATE");
    idt_admission__object o;
    if (!judged || !idt_admission__kind_known(out->kind, group))
        return judged_review(out, uid, uid_len, &none, NULL, NULL, 0, err); /* not ours */
    if (!idt_admission__object_view(&o, j, obj, out->kind, strlen(out->kind)))
        return invalid_review(out, uid, uid_len, "request.object is not an object", err);
    /* An UPDATE that leaves the Init-Data as it was (a scale, a label) is
     * not judged again: the object was judged when its Init-Data was set,
     * and a running pod's cannot change anyway. */
    idt_admission__object old;
    if (str_is(j, op, "UPDATE") &&
        idt_admission__object_view(&old, j, idtx_json_member(j, req, "oldObject"), out->kind,
                                   strlen(out->kind)) &&
        idt_admission__same_initdata(&o, &old))
        return judged_review(out, uid, uid_len, &none, NULL, NULL, 0, err);
    const char *ns = out->namespace_[0] ? out->namespace_ : "default";
    char who[sizeof out->kind + sizeof out->namespace_ + sizeof out->name + 4];
    describe(who, sizeof who, out);
    if (ep == IDT_ADMISSION_VALIDATE) {
        idt_admission__verdict v;
        int rc = idt_admission__validate(&v, cfg, &o, ns, err);
        if (rc == IDT_OK)
            rc = judged_review(out, uid, uid_len, &v, who, NULL, 0, err);
        idt_admission__verdict_dispose(&v);
        return rc;
    }
    const idt_admission__inject *r = idt_admission__inject_rule(cfg, &o, ns);
    idtx_buf patch;
    idtx_buf_init(&patch, (size_t)4 << 20, "the patch");
    int rc = r ? idt_admission__patch(&patch, r, &o, err) : IDT_OK;
    if (rc == IDT_OK)
        rc = judged_review(out, uid, uid_len, &none, who, patch.data, patch.len, err);
    idtx_buf_dispose(&patch);
    return rc;
}

int idt_admission_review(idt_admission_result *out, const idt_admission_config *cfg,
                         idt_admission_endpoint ep, const char *body, size_t len, idt_error *err)
{
    if (!out)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_admission_review: NULL result");
    memset(out, 0, sizeof *out);
    if (!cfg || (!body && len) || (ep != IDT_ADMISSION_VALIDATE && ep != IDT_ADMISSION_MUTATE))
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_admission_review");
    idtx_json j;
    idt_error jerr = { 0 };
    /* A token takes at least one byte of input, so len bounds them. */
    int rc = idtx_json_parse(&j, body ? body : "", len, cfg->server.max_depth, len + 1, &jerr);
    if (rc == IDT_ENOMEM)
        return idtx_error_set(err, rc, NULL, "out of memory reading a request");
    if (rc < 0) {
        char why[IDT_ERROR_MESSAGE_MAX + 64];
        snprintf(why, sizeof why, "the request is not JSON: %u:%u: %s", (unsigned)jerr.line,
                 (unsigned)jerr.column, jerr.message);
        return unreadable(out, why, err);
    }
    static const char *const req_uid[] = { "request", "uid", NULL };
    size_t req = idtx_json_member(&j, 0, "request");
    size_t uid = idtx_json_path(&j, 0, req_uid);
    char *uid_text = NULL;
    if (idtx_json_type_at(&j, uid) == IDTX_JSON_STRING && j.tok[uid].len)
        uid_text = idtx_json_string_dup(&j, uid, MAX_UID, NULL);
    if (!uid_text) {
        bool object = idtx_json_type_at(&j, 0) == IDTX_JSON_OBJECT;
        idtx_json_dispose(&j);
        return unreadable(out, object ? "the request has no request.uid (or one longer than 256 "
                                        "bytes): not an AdmissionReview"
                                      : "the request is not a JSON object",
                          err);
    }
    field_copy(out->uid, sizeof out->uid, &j, uid);
    size_t uid_len = strlen(uid_text);
    if (!str_is(&j, idtx_json_member(&j, 0, "apiVersion"), API_VERSION) ||
        !str_is(&j, idtx_json_member(&j, 0, "kind"), "AdmissionReview"))
        rc = invalid_review(out, uid_text, uid_len,
                            "not an AdmissionReview of apiVersion admission.k8s.io/v1 (set the "
                            "webhook's admissionReviewVersions to [\"v1\"])",
                            err);
    else if (idtx_json_type_at(&j, req) != IDTX_JSON_OBJECT)
        rc = invalid_review(out, uid_text, uid_len, "request is not an object", err);
    else
        rc = judge(out, cfg, ep, &j, req, uid_text, uid_len, err);
    free(uid_text);
    idtx_json_dispose(&j);
    return rc;
}

void idt_admission_result_dispose(idt_admission_result *r)
{
    if (!r)
        return;
    free(r->body);
    memset(r, 0, sizeof *r);
}

int idt_admission_result_log(char **out, size_t *out_len, const idt_admission_result *r,
                             idt_admission_endpoint ep, uint64_t micros, idt_error *err)
{
    if (!out || !r)
        return idtx_error_set(err, IDT_EINVAL, NULL, "invalid arguments to idt_admission_result_log");
    *out = NULL;
    idtx_buf b;
    idtx_buf_init(&b, 8192, "the log line");
    const char *const names[] = { "uid", "kind", "namespace", "name", "operation" };
    const char *const values[] = { r->uid, r->kind, r->namespace_, r->name, r->operation };
    int rc = idtx_buf_putc(&b, '{', err);
    for (size_t i = 0; i < 5 && rc == IDT_OK; i++) {
        rc = idtx_buf_printf(&b, err, "%s\"%s\":", i ? "," : "", names[i]);
        if (rc == IDT_OK)
            rc = idtx_json_string(&b, values[i], strlen(values[i]), true, NULL, err);
    }
    if (rc == IDT_OK)
        rc = idtx_buf_printf(&b, err, ",\"endpoint\":\"%s\",\"decision\":\"%s\",\"codes\":[",
                             ep == IDT_ADMISSION_MUTATE ? "mutate" : "validate",
                             idt_admission_decision_name(r->decision)
                                 ? idt_admission_decision_name(r->decision)
                                 : "none");
    for (size_t i = 0; i < r->code_count && rc == IDT_OK; i++)
        rc = idtx_buf_printf(&b, err, "%s\"%s\"", i ? "," : "", r->codes[i]);
    if (rc == IDT_OK && r->patched)
        rc = idtx_buf_puts(&b, "],\"patched\":true", err);
    else if (rc == IDT_OK)
        rc = idtx_buf_putc(&b, ']', err);
    if (rc == IDT_OK && r->decision == IDT_ADMISSION_INVALID) {
        rc = idtx_buf_puts(&b, ",\"reason\":", err);
        if (rc == IDT_OK)
            rc = idtx_json_string(&b, r->reason, strlen(r->reason), true, NULL, err);
    }
    if (rc == IDT_OK)
        rc = idtx_buf_printf(&b, err, ",\"us\":%llu}", (unsigned long long)micros);
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, out, out_len, err);
    idtx_buf_dispose(&b);
    return rc;
}
