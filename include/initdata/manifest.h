/*
 * initdata/manifest.h - the Init-Data annotation in Kubernetes YAML.
 *
 * Kata reads Init-Data from one Pod annotation (initdata-facts sections 4
 * and 9):
 *
 *   io.katacontainers.config.hypervisor.cc_init_data   the Go runtime from
 *                                                      Kata 3.20.0, runtime-rs
 *                                                      already in 3.19.0
 *   io.katacontainers.config.runtime.cc_init_data      the Go runtime of Kata
 *                                                      3.8.0 to 3.19.x only
 *                                                      (the "legacy" key of
 *                                                      the older CoCo docs)
 *
 * This module finds the pod-bearing objects of a manifest (single- or
 * multi-document YAML, JSON, `kind: List`) and reads or sets that
 * annotation where the pod template keeps it:
 *
 *   Pod                                          metadata.annotations
 *   Deployment, StatefulSet, DaemonSet,
 *   ReplicaSet, Job, ReplicationController       spec.template.metadata.annotations
 *   CronJob                                      spec.jobTemplate.spec.template.metadata.annotations
 *   PodTemplate                                  template.metadata.annotations
 *   List                                         each of its items, by its own kind
 *   ResourceList (a KRM function's input)        each of its items, the same way
 *
 * Editing is a splice, not a re-serialisation: libyaml's event parser gives
 * the byte position of every node, and the new text is inserted or replaces
 * exactly the annotation's value (or key, or a missing metadata /
 * annotations entry).  Every other byte stays as it was: comments, key
 * order, quoting, indentation, flow mappings, anchors, document markers, CRLF
 * line ends (inserted lines use the line end of the line they follow) and a
 * missing final newline.  Missing `metadata` or `annotations` mappings are
 * created with the indentation of the mapping around them (block style), or
 * as flow mappings inside flow mappings (JSON style when the keys there are
 * double-quoted).  A new value is written as a plain scalar when that is
 * safe in every YAML 1.1/1.2 reader (an encoded Init-Data value, which
 * starts with "H4sI", always is), else double-quoted; a replaced key or value
 * keeps its quotes.  Explicit keys (`? key` with `: value` on a later line,
 * complex keys such as `? [a, b]`, in block or flow mappings) are read and
 * stepped around: new entries take the column of the `?`, a `? key` without
 * a `:` line gets one, and an explicit entry is removed from its `?`.  Each
 * edit is checked by parsing the result again before it is returned.
 *
 * Aliases are never expanded: an alias where a mapping is needed
 * (`metadata: *m`) is an error with its position, as is a merge key (`<<`)
 * in a mapping that is read or edited, since the annotations it merges in
 * cannot be edited in place.
 *
 * Kubernetes refuses an object whose annotations total more than 262144
 * bytes (the sum of every key's and value's length); an edit that would
 * cross that line is refused, with the excess in the message.
 *
 * Ownership: idt_manifest_scan() copies the text; everything a function
 * returns through an idt_manifest_object or idt_manifest_annotations is
 * borrowed from the idt_manifest and valid until idt_manifest_free().
 * Output buffers are the caller's (idt_free), reports are released with
 * idt_manifest_report_dispose().  Nothing here prints or keeps global
 * state; distinct manifests may be used from different threads.
 */
#ifndef INITDATA_MANIFEST_H
#define INITDATA_MANIFEST_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The annotation keys. */
#define IDT_MANIFEST_KEY_CURRENT_NAME "io.katacontainers.config.hypervisor.cc_init_data"
#define IDT_MANIFEST_KEY_LEGACY_NAME "io.katacontainers.config.runtime.cc_init_data"

typedef enum idt_manifest_key {
    IDT_MANIFEST_KEY_CURRENT = 0, /* Go runtime from Kata 3.20, runtime-rs already in 3.19 */
    IDT_MANIFEST_KEY_LEGACY = 1   /* only the Go runtime of Kata 3.8 to 3.19 */
} idt_manifest_key;

/* Which keys an edit writes: a mask of (1u << idt_manifest_key). */
#define IDT_MANIFEST_KEYS_CURRENT 1u
#define IDT_MANIFEST_KEYS_LEGACY 2u
#define IDT_MANIFEST_KEYS_BOTH 3u

/* The key's annotation name (the two macros above), or NULL. */
IDT_API const char *idt_manifest_key_name(idt_manifest_key key);

/* The keyword of a keys mask: "current" (IDT_MANIFEST_KEYS_CURRENT),
 * "legacy" (IDT_MANIFEST_KEYS_LEGACY) or "both" (IDT_MANIFEST_KEYS_BOTH);
 * NULL for any other mask. */
IDT_API const char *idt_manifest_keys_name(unsigned keys);

/*
 * Looks up a keys mask by its keyword ("current", "legacy" or "both";
 * exact, lowercase; len bytes, need not be NUL-terminated).
 *
 * @param[out] out  an IDT_MANIFEST_KEYS_* mask; unchanged on failure.
 * @return IDT_OK; IDT_EUNSUPPORTED for any other keyword, with a message
 *         listing the known ones; IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_manifest_keys_parse(unsigned *out, const char *name, size_t len,
                                    idt_error *err);

/* Kubernetes' limit on the total size of one object's annotations. */
#define IDT_MANIFEST_ANNOTATION_BUDGET ((uint64_t)262144)

/* Defaults of idt_manifest_options. */
#define IDT_MANIFEST_DEFAULT_MAX_SIZE ((size_t)32 << 20) /* bytes of YAML */
#define IDT_MANIFEST_DEFAULT_MAX_DEPTH 256u              /* nested collections */
#define IDT_MANIFEST_DEFAULT_MAX_NODES ((size_t)1 << 20) /* nodes kept (below) */

/* Scan options.  Initialise with IDT_MANIFEST_OPTIONS_INIT so that fields
 * added later get their defaults; a 0 field means its default. */
typedef struct idt_manifest_options {
    unsigned version;   /* IDT_MANIFEST_OPTIONS_VERSION */
    size_t max_size;    /* longest accepted input */
    unsigned max_depth; /* deepest accepted nesting of mappings/sequences */
    /* Bound on the nodes the scan keeps: the keys and values of the
     * mappings on the paths above (other subtrees are summarised as one
     * node each), so memory stays proportional to what is read. */
    size_t max_nodes;
    uint64_t budget; /* annotation budget; 0: IDT_MANIFEST_ANNOTATION_BUDGET */
} idt_manifest_options;

#define IDT_MANIFEST_OPTIONS_VERSION 1
#define IDT_MANIFEST_OPTIONS_INIT { IDT_MANIFEST_OPTIONS_VERSION, 0, 0, 0, 0 }

typedef struct idt_manifest idt_manifest;

/*
 * Parses a manifest (UTF-8, optionally with a BOM; UTF-16 is refused) and
 * finds its objects: every document whose root is a mapping with a `kind`,
 * and the items of every `kind: List`.
 *
 * @param[out] out  the scanned manifest, free with idt_manifest_free();
 *                  NULL on failure.
 * @param src       the text; need not be NUL-terminated; copied.
 * @param opts      NULL for the defaults.
 * @param err       on failure the reason, with line and column (bytes,
 *                  1-based) and the byte offset.
 * @return IDT_OK; IDT_ESYNTAX (not YAML, as libyaml reads it);
 *         IDT_EUNSUPPORTED (UTF-16); IDT_ELIMIT (larger than max_size,
 *         nested deeper than max_depth, more than max_nodes nodes);
 *         IDT_ESCHEMA (a key that the scan reads, such as `metadata` or an
 *         annotation key, appears twice in one mapping); IDT_ENOMEM;
 *         IDT_EINVAL (NULL out, NULL src with len > 0, unknown options
 *         version).
 */
IDT_API int idt_manifest_scan(idt_manifest **out, const char *src, size_t len,
                              const idt_manifest_options *opts, idt_error *err);

/* Frees a manifest.  NULL is allowed. */
IDT_API void idt_manifest_free(idt_manifest *m);

/* The exact text the manifest was scanned from (borrowed; NUL-terminated
 * after *len bytes).  len may be NULL. */
IDT_API const char *idt_manifest_text(const idt_manifest *m, size_t *len);

/* Number of objects found, in document order (a List before its items). */
IDT_API size_t idt_manifest_object_count(const idt_manifest *m);

#define IDT_MANIFEST_NO_ITEM ((size_t)-1)

/* One object of a manifest.  Strings are borrowed, NUL-terminated. */
typedef struct idt_manifest_object {
    const char *kind;   /* e.g. "Deployment" */
    const char *name;   /* metadata.name; "" when it is missing or not a string */
    size_t document;    /* 0-based index of its YAML document */
    size_t item;        /* 0-based index in its List's items, or IDT_MANIFEST_NO_ITEM */
    idt_span span;      /* the object's mapping: first byte and length */
    bool pod_bearing;   /* one of the kinds in the table above */
    /* Where the pod template's annotations are, from the object (a List
     * item: from the item): "metadata.annotations",
     * "spec.template.metadata.annotations", ...; NULL when not pod-bearing. */
    const char *path;
} idt_manifest_object;

/*
 * The i-th object (0-based).
 * @return IDT_OK; IDT_EINVAL for NULL arguments or i out of range.
 */
IDT_API int idt_manifest_object_at(idt_manifest_object *out, const idt_manifest *m, size_t i,
                                   idt_error *err);

/* The Init-Data annotation of a pod-bearing object, as the text has it. */
typedef struct idt_manifest_annotations {
    bool present;          /* the annotations mapping exists (and is not null) */
    size_t count;          /* its entries */
    uint64_t total_bytes;  /* sum of every key's and value's length */
    uint64_t budget;       /* the budget it is measured against */
    /* value[k] is the value under key k (borrowed, decoded from YAML
     * quoting), or NULL when the key is absent; span[k] is where that value
     * is written. */
    const char *value[2];
    size_t value_len[2];
    idt_span span[2];
    /* The pod spec's runtimeClassName, or NULL when missing. */
    const char *runtime_class;
} idt_manifest_annotations;

/*
 * Reads the annotations of the pod-bearing object i.
 * @return IDT_OK; IDT_ESCHEMA when the path to them is not a chain of
 *         mappings (a `spec` that is a string, a missing `spec.template` in
 *         a Deployment, an alias or a merge key on the way, an annotation
 *         value that is an alias), with the position; IDT_EINVAL for NULL
 *         arguments, i out of range or an object that is not pod-bearing.
 */
IDT_API int idt_manifest_get_annotations(idt_manifest_annotations *out, const idt_manifest *m,
                                         size_t i, idt_error *err);

/*
 * Object i as JSON (compact, one line): mapping keys as strings, plain
 * scalars typed by YAML 1.2's core schema (null, true/false, numbers that
 * JSON can spell as written), every other scalar as a string; so that
 * rules written for the JSON the Kubernetes API server sends
 * (initdata/admission.h) can judge manifests.
 *
 * @param[out] out      NUL-terminated; free with idt_free.
 * @param[out] out_len  its length; may be NULL.
 * @return IDT_OK; IDT_EUNSUPPORTED (an alias inside the object, a
 *         collection as a key); IDT_ELIMIT; IDT_ENOMEM; IDT_EINVAL for NULL
 *         arguments or i out of range.
 */
IDT_API int idt_manifest_object_json(char **out, size_t *out_len, const idt_manifest *m, size_t i,
                                     idt_error *err);

/* Picks objects: kind compared case-insensitively (NULL: any kind), name
 * exactly (NULL: any name). */
typedef struct idt_manifest_selector {
    const char *kind;
    const char *name;
} idt_manifest_selector;

/* Whether an object of this kind and name matches s. */
IDT_API bool idt_manifest_selector_matches(const idt_manifest_selector *s, const char *kind,
                                           const char *name);

/* Annotate options.  Initialise with IDT_MANIFEST_ANNOTATE_OPTIONS_INIT. */
typedef struct idt_manifest_annotate_options {
    unsigned version; /* IDT_MANIFEST_ANNOTATE_OPTIONS_VERSION */
    /* IDT_MANIFEST_KEYS_*; 0 means IDT_MANIFEST_KEYS_CURRENT.  Each key in
     * the mask is set (its value replaced, or the entry added); a key not
     * in the mask is renamed into the missing one when there is one (so
     * with the current key, a legacy entry becomes the current entry in
     * place), and removed otherwise. */
    unsigned keys;
    /* Objects to edit: those matching any selector; none given means every
     * pod-bearing object. */
    const idt_manifest_selector *select;
    size_t select_count;
} idt_manifest_annotate_options;

#define IDT_MANIFEST_ANNOTATE_OPTIONS_VERSION 1
#define IDT_MANIFEST_ANNOTATE_OPTIONS_INIT \
    { IDT_MANIFEST_ANNOTATE_OPTIONS_VERSION, IDT_MANIFEST_KEYS_CURRENT, NULL, 0 }

/* What an edit did to one object: a mask. */
#define IDT_MANIFEST_DID_REPLACE 0x01u /* an existing value was replaced */
#define IDT_MANIFEST_DID_INSERT 0x02u  /* an entry was added */
#define IDT_MANIFEST_DID_RENAME 0x04u  /* the other key's entry took the new key */
#define IDT_MANIFEST_DID_REMOVE 0x08u  /* the other key's entry was removed */
#define IDT_MANIFEST_DID_CREATE 0x10u  /* metadata and/or annotations were created */

typedef struct idt_manifest_change {
    size_t object;        /* index for idt_manifest_object_at */
    unsigned did;         /* IDT_MANIFEST_DID_* */
    uint64_t total_bytes; /* the object's annotations after the edit */
} idt_manifest_change;

/* Things a caller should tell the user; the edit still happened. */
typedef enum idt_manifest_note_kind {
    /* A pod-bearing object without runtimeClassName: Kata only sees the
     * annotation when the pod runs on a Kata runtime class. */
    IDT_MANIFEST_NOTE_NO_RUNTIME_CLASS = 1,
    /* The legacy key was found; the message says what became of it. */
    IDT_MANIFEST_NOTE_LEGACY_KEY = 2
} idt_manifest_note_kind;

typedef struct idt_manifest_note {
    idt_manifest_note_kind kind;
    size_t object;  /* index for idt_manifest_object_at */
    idt_span span;  /* where in the input it applies (line, column, offset) */
    char message[IDT_ERROR_MESSAGE_MAX];
} idt_manifest_note;

typedef struct idt_manifest_report {
    idt_manifest_change *changes; /* one per edited object, in order */
    size_t change_count;
    idt_manifest_note *notes;
    size_t note_count;
} idt_manifest_report;

/* Frees what a report holds and zeroes it.  NULL is allowed. */
IDT_API void idt_manifest_report_dispose(idt_manifest_report *r);

/*
 * Sets the Init-Data annotation to value on every selected pod-bearing
 * object and returns the new text; the manifest itself is not changed.
 * value is used as given (the caller encodes it: idt_codec_encode); it must
 * be UTF-8.
 *
 * @param[out] out      the new text, NUL-terminated, free with idt_free();
 *                      NULL on failure.
 * @param[out] out_len  its length without the NUL.
 * @param report        when not NULL, receives the changes and notes (also
 *                      on failure, as far as the edit got); dispose it.
 * @return IDT_OK; IDT_ESCHEMA (no pod-bearing object at all, a selected
 *         object whose path is not a chain of mappings, an alias or merge
 *         key in the way, an anchored value that would be replaced);
 *         IDT_EMISMATCH (a selector matched no object, or matched one that
 *         is not pod-bearing); IDT_ELIMIT (an object's annotations would
 *         exceed the budget: the message names it and the excess);
 *         IDT_EUNSUPPORTED (a layout the splice cannot keep valid, such as
 *         an entry to remove that shares its line with a compact `? `,
 *         `: ` or `- ` before it, or a block scalar at the end of a file
 *         without a final newline, each with its position); IDT_EFORMAT
 *         (value is not UTF-8); IDT_ENOMEM;
 *         IDT_EINVAL (NULL arguments, unknown options version or keys);
 *         IDT_ERROR when the edited text failed its own check (a bug).
 */
IDT_API int idt_manifest_annotate(char **out, size_t *out_len, const idt_manifest *m,
                                  const char *value, size_t value_len,
                                  const idt_manifest_annotate_options *opts,
                                  idt_manifest_report *report, idt_error *err);

/* --- KRM functions (kustomize, kpt) ------------------------------------------
 *
 * A KRM function reads a ResourceList (apiVersion config.kubernetes.io/v1)
 * on standard input and writes one back: `items` holds the objects (the scan
 * above finds them as it finds a List's), `functionConfig` says what to do,
 * and `results` carries what the function reports (message, severity
 * error|warning|info, resourceRef, field).  The function edits the items with
 * idt_manifest_annotate() (a splice: kustomize's own annotations on the
 * items, config.kubernetes.io/index and internal.config.kubernetes.io/...,
 * stay as they were) and adds its results with idt_manifest_krm_results().
 *
 * functionConfig is either a ConfigMap whose `data` holds the settings, or a
 * typed object (kind InitData, any apiVersion) whose `spec` holds them:
 *
 *   initdata     the path of the Init-Data document (read by the caller)
 *   document     the document itself, inline
 *   key          current, legacy or both (idt_manifest_keys_parse)
 *   select       selectors, KIND, KIND/NAME or * /NAME: a string separated by
 *                commas or spaces, or (spec) a sequence of strings
 */

/* What a ResourceList's functionConfig asks for, and its items' identities. */
typedef struct idt_manifest_krm_ref {
    const char *api_version, *kind, *name, *ns; /* NULL when missing (ns: metadata.namespace) */
} idt_manifest_krm_ref;

typedef struct idt_manifest_krm {
    const char *config_kind; /* functionConfig's kind; NULL without a functionConfig */
    const char *initdata;    /* the settings above; NULL when not given */
    const char *document;
    size_t document_len;
    const char *key;
    const char **select;     /* select_count selector strings */
    size_t select_count;
    const char *config_path; /* "data" (ConfigMap) or "spec" (InitData), for results' field paths */
    idt_manifest_krm_ref *items; /* one per entry of `items`, in order */
    size_t item_count;
    bool resource_list;      /* the input was a ResourceList (else a functionConfig alone) */
    bool has_results;        /* the ResourceList already has `results` */
    void *priv_;             /* the parsed YAML the strings point into */
} idt_manifest_krm;

/*
 * Reads the ResourceList m was scanned from (its first document), or a
 * functionConfig alone (a ConfigMap or InitData object: kustomize hands its
 * exec plugins their config as a file, and the objects on standard input).
 *
 * @param[out] out  the settings, free with idt_manifest_krm_free(); NULL on failure.
 * @return IDT_OK; IDT_ESCHEMA (the first document is not a mapping of kind
 *         ResourceList, ConfigMap or InitData, `items` is not a sequence, functionConfig is not a
 *         mapping, a setting is not a string (select: a string or strings),
 *         an unknown setting, a functionConfig that is neither a ConfigMap
 *         nor an InitData object), each with its position; IDT_ENOMEM;
 *         IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_manifest_krm_read(idt_manifest_krm **out, const idt_manifest *m, idt_error *err);

/* Frees what idt_manifest_krm_read() returned.  NULL is allowed. */
IDT_API void idt_manifest_krm_free(idt_manifest_krm *krm);

typedef enum idt_manifest_krm_severity {
    IDT_MANIFEST_KRM_ERROR = 0,
    IDT_MANIFEST_KRM_WARNING = 1,
    IDT_MANIFEST_KRM_INFO = 2
} idt_manifest_krm_severity;

/* One entry of `results`. */
typedef struct idt_manifest_krm_result {
    idt_manifest_krm_severity severity;
    const char *message;
    size_t item;       /* the item it is about (index into krm->items), or IDT_MANIFEST_NO_ITEM */
    const char *field; /* the field's path ("data.initdata"), or NULL */
} idt_manifest_krm_result;

/*
 * Returns text (a ResourceList: the input, or idt_manifest_annotate()'s
 * output) with a `results` list added to its root mapping, every other byte
 * unchanged: appended after the last entry of a block mapping, or before
 * the closing brace of a flow (JSON) one.  n == 0 returns a copy.
 *
 * @param[out] out  the text, NUL-terminated, free with idt_free().
 * @param krm       for the items' resourceRef (from the same ResourceList).
 * @return IDT_OK; IDT_ESYNTAX (text is not YAML); IDT_ESCHEMA (its first
 *         document is not a ResourceList mapping); IDT_EUNSUPPORTED (it has
 *         `results` already); IDT_ENOMEM; IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_manifest_krm_results(char **out, size_t *out_len, const char *text, size_t len,
                                     const idt_manifest_krm *krm,
                                     const idt_manifest_krm_result *results, size_t n,
                                     idt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* INITDATA_MANIFEST_H */
