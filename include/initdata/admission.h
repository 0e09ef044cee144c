/*
 * initdata/admission.h - Kubernetes admission: validate and inject
 * Init-Data, as a webhook answers the API server and as `initdata admit`
 * judges manifests offline.
 *
 * The decision is a pure function of a configuration and one request:
 *
 *   idt_admission_config_load   reads the configuration (TOML) and every
 *                               Init-Data document it names, checking each
 *                               document then, so that a bad document fails
 *                               the load, not a pod;
 *   idt_admission_review        reads an AdmissionReview v1 request (JSON)
 *                               and writes the AdmissionReview response;
 *   idt_admission_judge_json    judges one object (a Pod, a workload, a
 *                               PodTemplate) given as JSON, as if created;
 *                               for offline use (`initdata admit`).
 *
 * What is validated (endpoint IDT_ADMISSION_VALIDATE), on CREATE and UPDATE
 * of Pods and of the pod templates of Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, Job, CronJob, ReplicationController and PodTemplate, when the
 * object is in scope (its runtime class, namespace and labels):
 *
 *   - an Init-Data annotation is present when the configuration requires
 *     one (IDT-ADM001);
 *   - the annotation decodes by the strict rules of the Rust consumers
 *     (IDT-ADM002, with the codec's message);
 *   - the document passes `initdata check` against the platforms its
 *     runtime class implies (every IDT-DOC, IDT-KEY, IDT-POL, IDT-PLAT...
 *     finding, with its position inside the document), with the KBS URLs
 *     of aa.toml and cdh.toml held against the allowed ones (IDT-KBS003);
 *   - its algorithm is an allowed one (IDT-ADM003);
 *   - the object's annotations fit the budget (IDT-ADM004);
 *   - the legacy key, by the configured action (IDT-ADM005).
 *
 * Every finding has a check code, and the configuration gives each code an
 * action: deny, warn (allowed with a warning), audit (allowed, recorded in
 * auditAnnotations and the log) or ignore; by default errors deny,
 * warnings warn and notes are ignored.  A denial's status.message names the
 * object ("Deployment team-a/web"), the field path of the annotation and
 * each denying finding as `initdata check` prints it:
 *
 *   Deployment team-a/web: spec.template.metadata.annotations[io.katacontainers.config.hypervisor.cc_init_data]:
 *   24:8: error: aa.toml:3:7: token_configs.kbs.url "http://10.0.0.9:8080" is not an allowed KBS (...) [IDT-KBS003]
 *
 * (one line per finding).  Warnings are one line each, without control
 * characters (the API server silently drops a warning that has one), and
 * at most IDT_ADMISSION_WARNING_MAX bytes.
 *
 * What is injected (endpoint IDT_ADMISSION_MUTATE, Pods only: mutating pod
 * templates would make GitOps tools see drift): the first inject rule whose
 * namespaces, labels and runtime classes match a Pod in scope gives its
 * document; a Pod without the annotation gets it, an existing one is kept
 * unless the rule says replace, and a legacy key is renamed to the current
 * key when the rule says migrate.  Patches are RFC 6902 JSON Patch with RFC
 * 6901 escaping, creating /metadata/annotations when it is absent.  The
 * mutating endpoint never denies (validation is the validating endpoint's
 * work, after every mutation).
 *
 * Requests are hostile input: the body is bounded by the caller (the
 * server's limit), JSON nesting by the configuration's max_depth, and
 * nothing in a request can make the decision allocate more than a small
 * multiple of its size.  A request that is not an AdmissionReview gets a
 * review with allowed: false and status code 400 when it has a uid to echo,
 * and HTTP status 400 with a metav1.Status body when it has none.
 *
 * Ownership and threads.  A configuration is read-only once loaded and may
 * serve any number of threads at once; results are the caller's
 * (idt_admission_result_dispose).  Nothing here prints or keeps global
 * state.
 */
#ifndef INITDATA_ADMISSION_H
#define INITDATA_ADMISSION_H

#include "common.h"
#include "doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest warning text (bytes), after the API's advice of about 120
 * characters. */
#define IDT_ADMISSION_WARNING_MAX 120u

/* Defaults of the [server] table. */
#define IDT_ADMISSION_DEFAULT_MAX_BODY ((size_t)8 << 20) /* an UPDATE carries two
                                                            objects of up to 3 MiB */
#define IDT_ADMISSION_DEFAULT_MAX_DEPTH 128u             /* JSON nesting */
#define IDT_ADMISSION_DEFAULT_PORT 8443u

typedef struct idt_admission_config idt_admission_config;

/* What the [server] table of a configuration says: the webhook server's
 * settings (borrowed from the configuration).  The library does not serve
 * HTTP; these are for the program that does. */
typedef struct idt_admission_server {
    const char *address;        /* listen address ("0.0.0.0", "::", "127.0.0.1") */
    unsigned port;              /* listen port */
    const char *cert_file;      /* PEM certificate chain (absolute path) */
    const char *key_file;       /* PEM private key (absolute path) */
    size_t max_body;            /* largest request body, bytes (413 beyond) */
    unsigned max_depth;         /* deepest JSON nesting read */
    unsigned threads;           /* worker threads; 0: one per core */
    unsigned max_connections;   /* connections held at once */
    unsigned connection_timeout;/* seconds a connection may stay idle */
    unsigned request_timeout;   /* seconds a request may take to arrive */
    unsigned shutdown_delay;    /* seconds of "not ready" before a stop
                                   (SIGTERM) stops accepting */
    unsigned shutdown_grace;    /* seconds the reviews in flight get to finish */
} idt_admission_server;

/*
 * Receives each problem found while loading a configuration: diag (valid
 * only during the call) is about the text `text` (text_len bytes) named
 * `source`: the configuration itself, or one of the Init-Data documents it
 * names (source is then the document's path), so that a front end can
 * print the line and a caret.  Return 0 to go on, non-zero to stop.
 */
typedef int (*idt_admission_diag_cb)(const idt_doc_diag *diag, const char *source,
                                     const char *text, size_t text_len, void *payload);

/*
 * Reads a configuration from src[0..len) (TOML 1.1, read with the
 * library's parser).  Relative paths in it (documents, certificate, key)
 * are resolved against base_dir (NULL: the current directory).  Every
 * Init-Data document it names is read (at most 1 MiB each) and checked
 * with `initdata check`'s rules; a document with an error fails the load.
 *
 * @param[out] out   the configuration (idt_admission_config_free); NULL on
 *                   failure.
 * @param name       the configuration's name for messages ("webhook.toml").
 * @param cb         receives every problem: errors in the configuration
 *                   (IDT-ADM006), and every finding of `initdata check` in
 *                   each document (warnings and notes included); may be
 *                   NULL.
 * @param err        the first error, with its position in the configuration
 *                   (err->source is kept).
 * @return IDT_OK; IDT_ESYNTAX (not TOML); IDT_ESCHEMA (an unknown key, a
 *         wrong type, a bad keyword, a document that fails its check);
 *         IDT_EIO (a document cannot be read); IDT_ELIMIT; IDT_ENOMEM;
 *         IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_admission_config_parse(idt_admission_config **out, const char *src, size_t len,
                                       const char *base_dir, idt_admission_diag_cb cb, void *payload,
                                       idt_error *err);

/* Reads the file at path (at most 1 MiB) and parses it with base_dir set to
 * the file's directory; err->source is set to path when it is NULL. */
IDT_API int idt_admission_config_load(idt_admission_config **out, const char *path,
                                      idt_admission_diag_cb cb, void *payload,
                                      idt_error *err);

/* Frees a configuration.  NULL is allowed. */
IDT_API void idt_admission_config_free(idt_admission_config *cfg);

/* The [server] settings (borrowed; valid until the configuration is freed). */
IDT_API const idt_admission_server *idt_admission_config_server(const idt_admission_config *cfg);

/* The files a configuration was built from (the configuration file when it
 * was loaded from one, then every document), for a caller that watches them
 * for changes.  *count receives their number; the array is borrowed. */
IDT_API const char *const *idt_admission_config_files(const idt_admission_config *cfg,
                                                      size_t *count);

typedef enum idt_admission_endpoint {
    IDT_ADMISSION_VALIDATE = 1, /* POST /validate */
    IDT_ADMISSION_MUTATE = 2    /* POST /mutate */
} idt_admission_endpoint;

typedef enum idt_admission_decision {
    IDT_ADMISSION_ALLOW = 1,  /* allowed (possibly with warnings, audit, a patch) */
    IDT_ADMISSION_DENY = 2,   /* allowed: false, for a finding */
    IDT_ADMISSION_INVALID = 3 /* the request could not be read */
} idt_admission_decision;

/* "allow", "deny", "invalid"; NULL for unknown values. */
IDT_API const char *idt_admission_decision_name(idt_admission_decision d);

#define IDT_ADMISSION_CODES_MAX 16

/* The outcome of one request. */
typedef struct idt_admission_result {
    unsigned http_status;      /* 200, or 400 for a request with no uid to echo */
    char *body;                /* the response body: an AdmissionReview, or a
                                  metav1.Status for 400; NUL-terminated */
    size_t body_len;
    idt_admission_decision decision;
    bool patched;              /* the response carries a JSON Patch */
    /* For the log line (NUL-terminated, possibly empty, each at most 253
     * bytes; control characters replaced). */
    char uid[128];
    char kind[64];             /* "Pod", "Deployment"... */
    char operation[16];        /* "CREATE"... */
    char namespace_[64];
    char name[254];
    /* The check codes that were found, in order, without repeats (static
     * strings); codes beyond IDT_ADMISSION_CODES_MAX are counted only. */
    const char *codes[IDT_ADMISSION_CODES_MAX];
    size_t code_count;
    size_t codes_dropped;
    /* For an INVALID request: why (also in the body). */
    char reason[IDT_ERROR_MESSAGE_MAX];
} idt_admission_result;

/*
 * Answers one AdmissionReview request.
 *
 * @param[out] out  the result; dispose with idt_admission_result_dispose
 *                  (also after a failure).
 * @param body      the request body (JSON); need not be NUL-terminated.
 * @return IDT_OK whenever there is an answer to send (denials and
 *         unreadable requests included: see out->decision);
 *         IDT_ENOMEM (answer 500); IDT_EINVAL for NULL arguments or an
 *         unknown endpoint.
 */
IDT_API int idt_admission_review(idt_admission_result *out, const idt_admission_config *cfg,
                                 idt_admission_endpoint endpoint, const char *body, size_t len,
                                 idt_error *err);

/* Releases what a result holds and zeroes it.  NULL is allowed. */
IDT_API void idt_admission_result_dispose(idt_admission_result *r);

/*
 * The log line of a result: one JSON object, no newline,
 *   {"uid":"...","kind":"Pod","namespace":"team-a","name":"web","operation":"CREATE",
 *    "endpoint":"validate","decision":"deny","codes":["IDT-KBS003"],"us":57}
 * (micros: the time the caller measured for the request).
 *
 * @param[out] out  NUL-terminated; free with idt_free.
 */
IDT_API int idt_admission_result_log(char **out, size_t *out_len, const idt_admission_result *r,
                                     idt_admission_endpoint endpoint, uint64_t micros,
                                     idt_error *err);

/* One finding of an offline judgement. */
typedef struct idt_admission_finding {
    const char *code;       /* "IDT-KBS003" (static) */
    const char *action;     /* "deny", "warn", "audit" */
    idt_doc_severity severity;
    char text[2 * IDT_ERROR_MESSAGE_MAX]; /* as `initdata check` prints it, with
                                             the field path as its source */
} idt_admission_finding;

/* What idt_admission_judge_json found about one object. */
typedef struct idt_admission_judgement {
    idt_admission_decision decision;
    bool in_scope;          /* the object is one the configuration covers */
    char kind[64];
    char namespace_[64];
    char name[254];
    char field[160];        /* the annotation's field path, or "" */
    idt_admission_finding *findings;
    size_t finding_count;
    /* For a Pod that an inject rule covers: the document the rule gives
     * (borrowed from the configuration; NULL when nothing is injected),
     * and what to do with the annotations. */
    const char *inject_value;   /* the encoded annotation value */
    const char *inject_document;/* the document's path, for messages */
    bool inject_migrate_legacy; /* rename the legacy key to the current one */
    bool inject_replace;        /* an existing annotation takes the rule's value */
} idt_admission_judgement;

/* Releases a judgement's findings and zeroes it.  NULL is allowed. */
IDT_API void idt_admission_judgement_dispose(idt_admission_judgement *j);

/*
 * Judges one object (JSON text of a Pod, a workload or a PodTemplate) as
 * if it were created in namespace (NULL: the object's own
 * metadata.namespace, else "default"), with both endpoints' rules: the
 * validation's findings, and for a Pod the injection the mutating
 * endpoint would make.  Validation sees the object as it is, before any
 * injection.
 *
 * @return IDT_OK (see out->decision); IDT_ESYNTAX for JSON that cannot be
 *         read, IDT_ELIMIT, IDT_ENOMEM, IDT_EINVAL.
 */
IDT_API int idt_admission_judge_json(idt_admission_judgement *out,
                                     const idt_admission_config *cfg, const char *json,
                                     size_t len, const char *namespace_, idt_error *err);

/* The codes of the admission checks (IDT-ADM001...), in code order
 * (static storage); *count (may be NULL) receives their number. */
IDT_API const idt_code_info *idt_admission_codes(size_t *count);

#ifdef __cplusplus
}
#endif
#endif /* INITDATA_ADMISSION_H */
