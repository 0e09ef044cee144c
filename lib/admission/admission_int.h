/* Internals of the admission module (initdata/admission.h): the loaded
 * configuration, the view of one pod-bearing object, and the pieces that
 * config.c, object.c, decide.c, inject.c and review.c share. */
#ifndef IDT_ADMISSION_INT_H
#define IDT_ADMISSION_INT_H

#include "initdata/admission.h"
#include "initdata/digest.h"
#include "util/buf.h"
#include "util/error_int.h"
#include "util/json_read.h"

/* --- check codes (codes.c) ---------------------------------------------- */

typedef enum idt_admission__code {
    IDT_ADMISSION__CODE_MISSING,   /* IDT-ADM001 */
    IDT_ADMISSION__CODE_DECODE,    /* IDT-ADM002 */
    IDT_ADMISSION__CODE_ALGORITHM, /* IDT-ADM003 */
    IDT_ADMISSION__CODE_BUDGET,    /* IDT-ADM004 */
    IDT_ADMISSION__CODE_LEGACY,    /* IDT-ADM005 */
    IDT_ADMISSION__CODE_CONFIG,    /* IDT-ADM006 */
    IDT_ADMISSION__CODE_COUNT
} idt_admission__code;

const idt_code_info *idt_admission__code_info(idt_admission__code id);

/* --- the configuration -------------------------------------------------- */

/* What a rule does with a finding, weakest first. */
typedef enum idt_admission__action {
    IDT_ADMISSION__IGNORE = 0,
    IDT_ADMISSION__AUDIT = 1,
    IDT_ADMISSION__WARN = 2,
    IDT_ADMISSION__DENY = 3
} idt_admission__action;

const char *idt_admission__action_name(idt_admission__action a);

typedef struct idt_admission__strings {
    char **v;
    size_t n;
} idt_admission__strings;

/* Which objects a table applies to.  An empty list places no condition. */
typedef struct idt_admission__match {
    idt_admission__strings runtime_classes;        /* exact */
    idt_admission__strings runtime_class_prefixes;
    idt_admission__strings namespaces;
    idt_admission__strings exclude_namespaces;
    idt_admission__strings label_keys;             /* every label must be equal */
    idt_admission__strings label_values;
} idt_admission__match;

typedef struct idt_admission__inject {
    idt_admission__match match;
    char *document;     /* the path as resolved */
    char *value;        /* the encoded annotation value */
    size_t value_len;
    bool replace;
    bool migrate_legacy;
} idt_admission__inject;

typedef struct idt_admission__override {
    const char *code;   /* a registered code (static) */
    idt_admission__action action;
} idt_admission__override;

struct idt_admission_config {
    idt_admission_server server;
    char *server_address, *server_cert, *server_key;
    idt_admission__match scope;
    bool required;
    bool platforms;                        /* check the runtime class's platforms */
    idt_admission__strings kbs_urls, kbs_url_prefixes;
    unsigned algorithms;                   /* bits (1 << idt_digest_alg); 0: any */
    uint64_t budget;
    idt_admission__action by_severity[4];  /* indexed by idt_doc_severity */
    idt_admission__override *overrides;
    size_t override_count;
    idt_admission__inject *inject;
    size_t inject_count;
    idt_admission__strings files;
};

/* The action for a finding with this code and severity. */
idt_admission__action idt_admission__action_for(const idt_admission_config *cfg, const char *code,
                                                idt_doc_severity sev);

/* The severities a finding must have to matter (idt_lint_options.severities):
 * 0 (all) when some code has an action of its own. */
unsigned idt_admission__wanted_severities(const idt_admission_config *cfg);

/* The platforms (IDT_LINT_PLATFORM bits) a runtime class name implies:
 * each '-'-separated word "tdx", "snp", "cca" or "se". */
unsigned idt_admission__class_platforms(const char *rc, size_t len);

/* --- one object (object.c) ---------------------------------------------- */

/* A pod-bearing object as the decision sees it: token indices into its
 * JSON, and the strings it is judged by (borrowed from the JSON). */
typedef struct idt_admission__object {
    const idtx_json *json;
    const char *kind;         /* canonical kind name (static) */
    const char *field;        /* "spec.template.metadata.annotations" (static) */
    const char *pointer;      /* the metadata's JSON Pointer: "/metadata" (static) */
    size_t object;            /* the object itself */
    size_t metadata;          /* the pod template's metadata object, or NONE */
    size_t spec;              /* the pod spec, or NONE */
    size_t annotations;       /* metadata.annotations, or NONE (or null) */
    size_t labels;            /* metadata.labels, or NONE */
    size_t runtime_class;     /* spec.runtimeClassName (a string), or NONE */
    size_t value[2];          /* the annotation under each key, or NONE */
} idt_admission__object;

/* Whether objects of this kind (in this API group; NULL: any) carry a pod
 * template. */
bool idt_admission__kind_known(const char *kind, const char *group);

/* Whether the Init-Data of two objects of one kind is the same: both
 * annotation keys (absent, or equal values) and the runtime class. */
bool idt_admission__same_initdata(const idt_admission__object *a, const idt_admission__object *b);

/* Finds the pod template of obj (a token index of an object of this kind:
 * the request's kind, or the object's own).  Returns false when the kind
 * carries no pod template. */
bool idt_admission__object_view(idt_admission__object *out, const idtx_json *j, size_t obj,
                                const char *kind, size_t kind_len);

/* Whether the object is in m's scope, in namespace ns. */
bool idt_admission__matches(const idt_admission__match *m, const idt_admission__object *o,
                            const char *ns);

/* --- the decision (decide.c) -------------------------------------------- */

typedef struct idt_admission__finding {
    const char *code;            /* static */
    idt_doc_severity severity;
    idt_admission__action action;
    char *text;                  /* as check prints it, field path as source */
} idt_admission__finding;

typedef struct idt_admission__verdict {
    idt_admission__finding *findings;
    size_t count, cap;
    bool in_scope;
    bool denied;
    int failure;                 /* a status that is not a finding (memory) */
    char field[160];             /* the annotation's field path */
} idt_admission__verdict;

void idt_admission__verdict_dispose(idt_admission__verdict *v);

/* Runs the validation rules on o (namespace ns). */
int idt_admission__validate(idt_admission__verdict *v, const idt_admission_config *cfg,
                            const idt_admission__object *o, const char *ns, idt_error *err);

/* --- injection (inject.c) ----------------------------------------------- */

/* The inject rule for a Pod in scope, or NULL. */
const idt_admission__inject *idt_admission__inject_rule(const idt_admission_config *cfg,
                                                        const idt_admission__object *o,
                                                        const char *ns);

/* Appends the RFC 6902 patch that applies rule r to o (nothing, "", when
 * it changes nothing) to b. */
int idt_admission__patch(idtx_buf *b, const idt_admission__inject *r,
                         const idt_admission__object *o, idt_error *err);

#endif
