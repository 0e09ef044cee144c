/*
 * initdata/doc.h - an Init-Data document: parsed, validated, exact bytes.
 *
 * An Init-Data document is a TOML file with three top-level keys:
 *
 *     version = "0.1.0"          # kata accepts exactly this
 *     algorithm = "sha256"       # sha256, sha384 or sha512 (sm3: not kata)
 *     [data]                     # file name = file content, strings only
 *     "policy.rego" = '''...'''
 *
 * Unknown top-level keys are allowed (every consumer ignores them).  The
 * document is validated with the rules of the strictest consumer, the
 * kata-agent; each violation names the consumers that reject it
 * (idt_consumer): kata, the attestation-agent, Trustee.  sm3 is accepted by
 * the attestation-agent and Trustee only, so it is an error unless the
 * caller sets idt_doc_options.allow_sm3 (then it is a warning).
 *
 * TOML version.  The document is read as TOML 1.1, as the consumers of
 * today read it (the kata-agent, kata-types and runtime-rs from Kata 4.0,
 * the Kata Go shim since 3.28, Trustee); each use of syntax that TOML 1.1
 * added is a warning (IDT_DOC_RULE_TOML11), because Kata 3.x agents (the
 * Rust toml crate 0.5, TOML 1.0) reject it.  Nesting deeper than the Rust
 * toml crate 1.1 allows (IDT_DOC_CONSUMER_MAX_NESTING) is an error
 * (IDT_DOC_RULE_NESTING): the kata-agent 4.x, runtime-rs and Trustee fail
 * to parse such a document.
 *
 * The document keeps its own copy of the exact bytes it was parsed from:
 * the digest is the hash of those bytes, never of a re-serialisation.
 *
 * Two entry points:
 *   idt_doc_parse   stops at the first error (in document order) and
 *                   reports it in an idt_error;
 *   idt_doc_check   reports every diagnostic through a callback (what
 *                   `initdata check` prints), then returns like a parse.
 *
 * Ownership.  An idt_doc owns everything reachable from it (bytes, names,
 * contents, the TOML tree); every pointer an accessor returns is borrowed
 * and valid until idt_doc_free().  A document is read-only after parsing
 * and may be read from many threads at once.
 *
 * Example:
 *
 *     idt_doc *doc;
 *     idt_error err = { .source = "initdata.toml" };
 *     if (idt_doc_parse(&doc, text, len, NULL, &err) < 0) {
 *         char msg[512];
 *         idt_error_format(msg, sizeof msg, &err);
 *         // "initdata.toml:3:13: error: algorithm "sha-256" is not supported (...)"
 *     }
 *     for (size_t i = 0; i < idt_doc_entry_count(doc); i++) {
 *         const idt_doc_entry *e = idt_doc_entry_at(doc, i);
 *         write_file(e->name, e->content, e->content_len);
 *     }
 *     idt_doc_free(doc);
 */
#ifndef INITDATA_DOC_H
#define INITDATA_DOC_H

#include "common.h"
#include "digest.h"
#include "toml.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The one version kata accepts. */
#define IDT_DOC_VERSION "0.1.0"

/* Consumers of a document, as bits of a mask. */
typedef enum idt_consumer {
    IDT_CONSUMER_KATA = 1u << 0,    /* kata-agent, kata runtime, kata-types */
    IDT_CONSUMER_AA = 1u << 1,      /* guest-components attestation-agent */
    IDT_CONSUMER_TRUSTEE = 1u << 2, /* Trustee (KBS / attestation service) */
    IDT_CONSUMER_ALL = 7u,          /* the three that read the document itself */
    IDT_CONSUMER_CDH = 1u << 3      /* guest-components confidential-data-hub,
                                       which reads only data["cdh.toml"] */
} idt_consumer;

/* A consumer's display name: "kata", "attestation-agent", "Trustee",
 * "confidential-data-hub"; NULL for anything that is not exactly one of
 * the bits. */
IDT_API const char *idt_consumer_name(unsigned consumer);

/*
 * Writes the consumers of mask as an English list ("kata",
 * "kata and Trustee", "kata, attestation-agent and Trustee"), "none" for 0.
 * At most cap bytes including the NUL; returns the full length (like
 * snprintf), or -1 for a NULL buf with a non-zero cap.
 */
IDT_API int idt_consumers_format(char *buf, size_t cap, unsigned mask);

/* How deeply the Rust toml crate 1.1 (kata-agent and runtime-rs from Kata
 * 4.0, Trustee) lets a document nest: 80 arrays and inline tables (counted
 * together; an array of inline tables is 2 per step), and 80 parts in one
 * key (a dotted key or a table header).  Its parser stops at a recursion
 * limit of 80. */
#define IDT_DOC_CONSUMER_MAX_NESTING 80u

/*
 * Checks only the consumers' nesting limit: when src parses as TOML 1.1,
 * it must not nest deeper than IDT_DOC_CONSUMER_MAX_NESTING.  For callers
 * that pass a document through without validating it (an annotation or
 * image encoder); text that is not TOML passes.
 *
 * @return IDT_OK; IDT_ELIMIT, with the position and the consumers, for too
 *         deep a nesting; IDT_ENOMEM; IDT_EINVAL for NULL text with a
 *         non-zero len.
 */
IDT_API int idt_doc_check_nesting(const char *src, size_t len, idt_error *err);

/* Parse options.  Initialise with IDT_DOC_OPTIONS_INIT so that fields added
 * later keep their defaults.  Version 1 options (without borrow) are still
 * accepted.
 *
 * borrow: the document keeps a view of the caller's src instead of a copy,
 * and an entry name or content that needs no decoding (no escape, no CRLF,
 * no line-ending backslash) points into src instead of being copied
 * (IDT_TOML_BORROW): no byte of a policy is copied.  src must then stay
 * valid and unchanged until idt_doc_free; idt_doc_bytes returns src itself
 * (NUL-terminated only if the caller's was), and entry contents that point
 * into src are NOT NUL-terminated: use content_len.  Without it (the
 * default) the document owns a NUL-terminated copy of everything. */
typedef struct idt_doc_options {
    unsigned version;  /* IDT_DOC_OPTIONS_VERSION */
    bool allow_sm3;    /* accept algorithm = "sm3" (kata rejects it) */
    size_t max_size;   /* longest accepted document, bytes */
    bool borrow;       /* keep a view of src, copy nothing (above) */
} idt_doc_options;

#define IDT_DOC_OPTIONS_VERSION 2
#define IDT_DOC_OPTIONS_INIT \
    { IDT_DOC_OPTIONS_VERSION, false, IDT_TOML_DEFAULT_MAX_SIZE, false }

/* What a diagnostic is about.  The values are pinned. */
typedef enum idt_doc_rule {
    IDT_DOC_RULE_TOML = 1,       /* not TOML 1.1 (or over a size/depth limit) */
    IDT_DOC_RULE_MISSING = 2,    /* version, algorithm or data is absent */
    IDT_DOC_RULE_TYPE = 3,       /* version/algorithm not a string, data not a table */
    IDT_DOC_RULE_VERSION = 4,    /* version is not "0.1.0" */
    IDT_DOC_RULE_ALGORITHM = 5,  /* algorithm no consumer knows ("sha-256") */
    IDT_DOC_RULE_SM3 = 6,        /* algorithm = "sm3", which kata rejects */
    IDT_DOC_RULE_DATA_ENTRY = 7, /* a data value that is not a string */
    IDT_DOC_RULE_LINT = 8,       /* a finding of idt_lint_check (initdata/lint.h)
                                    about an entry, a platform or the entries
                                    together; idt_doc_diag.check says which */
    IDT_DOC_RULE_TOML11 = 9,     /* a warning: syntax TOML 1.1 added, which
                                    Kata 3.x agents reject */
    IDT_DOC_RULE_NESTING = 10    /* nested deeper than the Rust toml crate 1.1
                                    allows (IDT_DOC_CONSUMER_MAX_NESTING) */
} idt_doc_rule;

/* A rule's stable identifier ("toml", "missing-key", "wrong-type",
 * "unsupported-version", "unsupported-algorithm", "sm3",
 * "data-entry-type", "lint", "toml-1.1", "nesting"), for JSON output;
 * NULL for unknown values. */
IDT_API const char *idt_doc_rule_name(idt_doc_rule rule);

typedef enum idt_doc_severity {
    IDT_DOC_ERROR = 1,   /* some consumer rejects the document or fails on it */
    IDT_DOC_WARNING = 2, /* accepted, but probably not what the author meant
                            (or an option allowed what a consumer rejects) */
    IDT_DOC_NOTE = 3     /* worth knowing; nothing is wrong (idt_lint_check only) */
} idt_doc_severity;

/* One diagnostic.  span points at the offending key or value in the
 * document; a missing key is reported at 1:1 (offset 0, length 0).  For a
 * finding inside an entry (aa.toml inside the data table), span is where
 * that place is written in the document, and entry/entry_line/entry_column
 * say where it is in the entry's own text. */
typedef struct idt_doc_diag {
    idt_doc_severity severity;
    idt_doc_rule rule;
    int code;             /* the status a parse returns for it: IDT_ESYNTAX,
                             IDT_ESCHEMA, IDT_ELIMIT... */
    unsigned rejected_by; /* idt_consumer bits: who rejects the document or
                             fails on it (0 for most warnings and notes) */
    idt_span span;
    char message[IDT_ERROR_MESSAGE_MAX]; /* what is wrong (who rejects it) */
    const char *check;    /* the stable code of the check that found it,
                             "IDT-DOC005", "IDT-KEY001" (idt_lint_code_info
                             describes it); static */
    const char *entry;    /* the data entry it is about ("aa.toml"), or NULL
                             for the document; static */
    uint32_t entry_line;  /* 1-based line and byte column in the entry's
                             decoded text; 0 when entry is NULL or the */
    uint32_t entry_column;/* diagnostic is about the entry as a whole */
} idt_doc_diag;

/* What every diagnostic with one check code has in common: the code's
 * entry in the registry.  The codes are stable: a check keeps its code for
 * good, and a retired code is never reused.  Each module lists the codes
 * of the checks it runs (idt_doc_codes here, idt_lint_codes in lint.h);
 * idt_lint_code_info finds any code. */
typedef struct idt_code_info {
    const char *code;          /* "IDT-KEY001" */
    const char *name;          /* "unknown-key", for JSON */
    idt_doc_severity severity; /* its usual severity (the platform checks
                                  are notes when no platform was named) */
    const char *summary;       /* one line: what the check finds */
} idt_code_info;

/* The codes of the document rules this module reports (IDT-DOC001 to
 * IDT-DOC010 but IDT-DOC008, which lint reports), in code order (static
 * storage); *count (may be NULL) receives their number. */
IDT_API const idt_code_info *idt_doc_codes(size_t *count);

/* Receives each diagnostic: first those about the TOML itself (1.1 syntax,
 * nesting), then the rest in document order (missing keys last).  diag is
 * valid only during the call.  Return 0 to go on, anything else to stop:
 * idt_doc_check then returns that value. */
typedef int (*idt_doc_diag_cb)(const idt_doc_diag *diag, void *payload);

/* "error", "warning" or "note" ("error" for unknown values). */
IDT_API const char *idt_doc_severity_name(idt_doc_severity sev);

/*
 * Formats d on one line, as `initdata check` prints it:
 *   SOURCE:LINE:COL: SEVERITY: [ENTRY:L:C: ]MESSAGE [CODE]
 * (the entry's position only for a finding inside an entry).  source names
 * the document ("initdata.toml", or a field path such as
 * "metadata.annotations[...]"); NULL leaves it and its colon out.
 * Writes at most cap bytes including the NUL; returns the full length (like
 * snprintf), or -1 for NULL arguments.
 */
IDT_API int idt_doc_diag_format(char *buf, size_t cap, const idt_doc_diag *d, const char *source);

typedef struct idt_doc idt_doc;

/* One entry of the data table.  name and content are decoded TOML strings,
 * NUL-terminated (content: unless the document borrows its source,
 * idt_doc_options.borrow), and may contain NUL bytes (use the lengths). */
typedef struct idt_doc_entry {
    const char *name;
    size_t name_len;
    const char *content;
    size_t content_len;
    idt_span name_span;  /* the key as written */
    idt_span value_span; /* the string literal, quotes included */
} idt_doc_entry;

/*
 * Parses and validates len bytes.  The document copies the bytes.
 *
 * @param[out] out  the document, owned by the caller (idt_doc_free); NULL
 *                  on failure.
 * @param src       the document; need not be NUL-terminated; not retained
 *                  (with opts->borrow: kept, and must outlive the document).
 * @param opts      options, or NULL for IDT_DOC_OPTIONS_INIT.
 * @param err       on failure: the first error with its line and column
 *                  and a message naming the consumers that reject it.
 *                  err->source is kept (set it to the input's name).
 * @return IDT_OK; IDT_ESYNTAX (not TOML 1.1); IDT_ESCHEMA (TOML, but not a
 *         valid Init-Data document); IDT_ELIMIT (larger than max_size, or
 *         nested deeper than the consumers allow); IDT_ENOMEM; IDT_EINVAL
 *         for a NULL out or an unknown options version.
 */
IDT_API int idt_doc_parse(idt_doc **out, const char *src, size_t len,
                          const idt_doc_options *opts, idt_error *err);

/*
 * Like idt_doc_parse, but reports every diagnostic (errors and warnings)
 * to cb before returning.
 *
 * @param[out] out  the document when there is no error (warnings are
 *                  fine), else NULL; may itself be NULL when the caller
 *                  only wants the diagnostics.
 * @param cb        called once per diagnostic; may be NULL.
 * @return what idt_doc_parse returns (err holds the first error), or the
 *         non-zero value cb returned to stop.
 */
IDT_API int idt_doc_check(idt_doc **out, const char *src, size_t len,
                          const idt_doc_options *opts, idt_doc_diag_cb cb,
                          void *payload, idt_error *err);

/*
 * idt_doc_check and the document's digest (what idt_doc_digest returns
 * for it) in one call, the hash overlapping the parse: when the document
 * is large (at least IDT_DOC_PARALLEL_MIN bytes) and names its algorithm
 * before its first table, a second thread hashes src with that algorithm
 * while this one parses and validates; the thread is created and joined
 * within the call.  If the parse reads another algorithm, or the thread
 * cannot be created, the hash is computed afterwards on this thread; the
 * digest is the same either way.  Small documents are hashed after the
 * parse, where a thread would cost more than it saves.
 *
 * @param[out] out     as for idt_doc_check (may be NULL).
 * @param[out] digest  the digest of src's len bytes with the document's
 *                     algorithm when the result is IDT_OK; else untouched.
 * @return what idt_doc_check returns; or, for a valid document, the status
 *         of the digest (IDT_EUNSUPPORTED for sm3 without an OpenSSL SM3),
 *         with *out NULL; IDT_EINVAL for a NULL digest.
 */
IDT_API int idt_doc_check_digest(idt_doc **out, idt_digest *digest, const char *src,
                                 size_t len, const idt_doc_options *opts,
                                 idt_doc_diag_cb cb, void *payload, idt_error *err);

/* Documents from this size on are hashed on a second thread by
 * idt_doc_check_digest. */
#define IDT_DOC_PARALLEL_MIN ((size_t)256 << 10)

/* Frees a document.  NULL is allowed. */
IDT_API void idt_doc_free(idt_doc *doc);

/* The exact bytes the document was parsed from (borrowed; NUL-terminated
 * after *len bytes, unless the document borrows the caller's src:
 * idt_doc_options.borrow).  len may be NULL. */
IDT_API const char *idt_doc_bytes(const idt_doc *doc, size_t *len);

/* The version string (always "0.1.0" for a parsed document; borrowed). */
IDT_API const char *idt_doc_version(const idt_doc *doc);

/* The document's algorithm. */
IDT_API idt_digest_alg idt_doc_algorithm(const idt_doc *doc);

/* Number of data entries. */
IDT_API size_t idt_doc_entry_count(const idt_doc *doc);

/* The i-th data entry in document order (borrowed), or NULL when i is out
 * of range. */
IDT_API const idt_doc_entry *idt_doc_entry_at(const idt_doc *doc, size_t i);

/* The data entry named name (name_len bytes, compared exactly), or NULL. */
IDT_API const idt_doc_entry *idt_doc_entry_get(const idt_doc *doc, const char *name,
                                               size_t name_len);

/* The root table of the parsed TOML (borrowed), for callers that want the
 * keys this module does not interpret. */
IDT_API const idt_toml_value *idt_doc_toml_root(const idt_doc *doc);

/*
 * The digest of the document's exact bytes with its own algorithm.
 *
 * @param[out] out  the digest.
 * @return the status of idt_digest_compute (IDT_EUNSUPPORTED for sm3
 *         without an OpenSSL SM3); IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_doc_digest(idt_digest *out, const idt_doc *doc, idt_error *err);

/*
 * The "init-data" object of Trustee's attestation request (POST
 * /kbs/v0/attest), as the attestation-agent sends it:
 *
 *     {"format":"toml","body":"<the document's exact text>"}
 *
 * Trustee hashes body with the document's own algorithm, so the text is
 * kept byte for byte: quotes, backslashes, control characters and DEL are
 * escaped as JSON requires, everything else is copied.  The document is
 * not validated here (idt_doc_parse does that).
 *
 * @param[out] out      the JSON, NUL-terminated, no trailing newline; free
 *                      with idt_free; NULL on failure.
 * @param[out] out_len  its length; may be NULL.
 * @return IDT_OK; IDT_EFORMAT (with the offset) for text that is not UTF-8,
 *         which a JSON string cannot carry exactly; IDT_ELIMIT; IDT_ENOMEM;
 *         IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_kbs_init_data_json(char **out, size_t *out_len, const char *src, size_t len,
                                   idt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* INITDATA_DOC_H */
