/* Internals of the entry checks (initdata/lint.h): the context every
 * checker reports through, the mapping from an entry's text back to the
 * document, and the helpers the checkers share. */
#ifndef IDT_LINT_INT_H
#define IDT_LINT_INT_H

#include "initdata/lint.h"
#include "util/error_int.h"

#include <time.h>

/* --- check codes (codes.c) ----------------------------------------------- */

/* The codes of the entry and platform checks, in registry order. */
typedef enum idt_lint__code {
    IDT_LINT__CODE_ENTRY_NAME,
    IDT_LINT__CODE_ENTRY_TOML,
    IDT_LINT__CODE_KEY_UNKNOWN,
    IDT_LINT__CODE_KEY_TYPE,
    IDT_LINT__CODE_KEY_MISSING,
    IDT_LINT__CODE_KEY_CONVERTED,
    IDT_LINT__CODE_URL,
    IDT_LINT__CODE_CERT_PARSE,
    IDT_LINT__CODE_CERT_VALIDITY,
    IDT_LINT__CODE_CERT_INFO,
    IDT_LINT__CODE_AA_TEE_KEY,
    IDT_LINT__CODE_AA_PCR,
    IDT_LINT__CODE_CDH_KBC_NAME,
    IDT_LINT__CODE_CDH_CREDENTIAL_PATH,
    IDT_LINT__CODE_CDH_REGISTRY,
    IDT_LINT__CODE_KBS_MISMATCH,
    IDT_LINT__CODE_KBS_HTTP,
    IDT_LINT__CODE_KBS_NOT_ALLOWED,
    IDT_LINT__CODE_POLICY_NO_PACKAGE,
    IDT_LINT__CODE_POLICY_PACKAGE,
    IDT_LINT__CODE_POLICY_UNKNOWN,
    IDT_LINT__CODE_POLICY_EXEC,
    IDT_LINT__CODE_POLICY_ALLOW_FAILING,
    IDT_LINT__CODE_POLICY_DUPLICATE,
    IDT_LINT__CODE_POLICY_DATA,
    IDT_LINT__CODE_PLATFORM_VTPM,
    IDT_LINT__CODE_PLATFORM_CCA,
    IDT_LINT__CODE_PLATFORM_SE,
    IDT_LINT__CODE_PLATFORM_SGX,
    IDT_LINT__CODE_PLATFORM_CCA_RUNTIME_RS,
    IDT_LINT__CODE_COUNT
} idt_lint__code;

/* The registry entry of id, or NULL. */
const idt_code_info *idt_lint__code_info(idt_lint__code id);

/* --- positions: an entry's text inside the document (map.c) ----------- */

/*
 * Where the decoded text of one string literal comes from.  The decoded
 * text is what the TOML parser produced: the body between the delimiters,
 * less a newline right after an opening ''' or """, with escapes decoded,
 * line-ending backslashes dropped and CRLF read as LF.
 */
typedef struct idt_lint__origin {
    const char *doc;     /* the whole document */
    size_t doc_len;
    idt_span literal;    /* the literal, delimiters included */
    size_t body;         /* offset of the first body byte in doc */
    size_t body_end;     /* offset just past the last body byte */
    bool basic;          /* "..." or """...""": escapes are decoded */
    bool identity;       /* the decoded text is the body, byte for byte */
    bool exact;          /* replaying the body gave the decoded text byte
                            for byte; if not, positions fall back to the
                            start of the literal */
    /* Where the last mapping ended, so that findings in document order
     * cost one pass over the literal rather than one each. */
    size_t cur_src, cur_out; /* a step boundary: source offset, decoded offset */
    idt_span cur_doc;        /* a document position (offset, line, column) */
} idt_lint__origin;

/* Sets up o for the literal at span in doc whose decoded text is
 * content[0..content_len). */
void idt_lint__origin_init(idt_lint__origin *o, const char *doc, size_t doc_len,
                           const idt_span *literal, const char *content, size_t content_len);

/* The document span of the decoded bytes [offset, offset + length): the
 * source bytes that produced them (an escape maps to the whole escape).
 * Offsets past the end map to the end of the body.  Updates o's cursors. */
idt_span idt_lint__map(idt_lint__origin *o, size_t offset, size_t length);

/* The span of doc[offset, offset + length) with its line and column,
 * counted from a known earlier position `from` (offset, line, column). */
idt_span idt_lint__span_at(const char *doc, const idt_span *from, size_t offset, size_t length);

/* --- the context ------------------------------------------------------ */

typedef struct idt_lint__ctx {
    const idt_doc *doc;
    const char *src; /* the document's bytes */
    size_t len;
    const idt_lint_options *opts;
    time_t now;
    idt_doc_diag_cb cb;
    void *payload;
    idt_error *err;
    int stopped;  /* the callback's non-zero return */
    int failure;  /* a negative status that is not a finding (memory) */
    size_t errors;
    /* The entry being checked, or name == NULL for the document. */
    const idt_doc_entry *entry;
    const char *entry_name;
    unsigned consumer;  /* who fails on an error in it: IDT_CONSUMER_AA... */
    const char *reader; /* that consumer, for messages */
    idt_lint__origin origin;
    idt_span inner_cursor; /* a known position in the entry's own text */
} idt_lint__ctx;

/* True once checking must stop (callback or memory). */
static inline bool idt_lint__done(const idt_lint__ctx *c)
{
    return c->stopped || c->failure;
}

/* Reports a finding at `inner`, a span of the current entry's text
 * (mapped to the document), or for the entry as a whole when inner is
 * NULL (at its literal).  rejected_by names who fails on it (errors). */
void idt_lint__report(idt_lint__ctx *c, idt_lint__code check, idt_doc_severity sev,
                      unsigned rejected_by, const idt_span *inner, const char *fmt, ...)
    IDTX_PRINTF(6, 7);

/* Same, at a span of the document itself (no entry). */
void idt_lint__report_doc(idt_lint__ctx *c, idt_lint__code check, idt_doc_severity sev,
                          unsigned rejected_by, const idt_span *at, const char *fmt, ...)
    IDTX_PRINTF(6, 7);

/* Records a failure that is not a finding (ENOMEM); returns code. */
int idt_lint__fail(idt_lint__ctx *c, int code, const char *what);

/* Makes entry e (named name, read by consumer) the current one. */
void idt_lint__enter(idt_lint__ctx *c, const idt_doc_entry *e, const char *name,
                     unsigned consumer, const char *reader);
void idt_lint__leave(idt_lint__ctx *c);

/* --- shared helpers ---------------------------------------------------- */

/* The index of the candidate closest to name (Damerau-Levenshtein,
 * ignoring case), or -1 when none is within max_distance edits.  An exact
 * match (ignoring case) has distance 0. */
int idt_lint__closest(const char *name, size_t len, const char *const *candidates, size_t n,
                      size_t max_distance);

/* How many edits a near miss of a name this long may be away from it. */
size_t idt_lint__typo_budget(size_t len);

/* NULL when s[0..len) is a URL with one of the schemes (NULL-terminated
 * list) followed by "://", a host, an optional port 1-65535 and an
 * optional path, query or fragment, with no whitespace or control
 * characters; else what is wrong with it (static text). */
const char *idt_lint__url_problem(const char *s, size_t len, const char *const *schemes);

/* A PEM certificate as OpenSSL reads it. */
typedef struct idt_lint__cert {
    char subject[160];  /* RFC 2253 */
    char not_before[32];/* "2024-03-18 07:03:53 UTC" */
    char not_after[32];
    int validity;       /* <0 not yet valid, 0 valid, >0 expired at now */
    char problem[160];  /* when parsing fails: why */
} idt_lint__cert;

/* Parses the first PEM certificate of s[0..len); 0 on success, -1 with
 * cert->problem set when OpenSSL cannot read one, or IDT_ENOMEM. */
int idt_lint__cert_parse(idt_lint__cert *cert, const char *s, size_t len, time_t now);

/* The text of policy_data := { ... } as Trustee finds it: the first
 * occurrence of that pattern in the policy, from its '{' to the end.
 * Returns the offset of the '{' in text, or SIZE_MAX when absent. */
size_t idt_lint__policy_data_at(const char *text, size_t len);

/* Reads text[0..len) as one JSON value the way serde_json does (what
 * Trustee uses).  Returns 0 and, with out, the value (a json_t *, the
 * caller's to json_decref); 1 when it is not JSON, with the reason in
 * why[0..cap); or IDT_ENOMEM. */
int idt_lint__json_parse(const char *text, size_t len, void **out, char *why, size_t cap);

/* --- configuration schemas (schema.c) -------------------------------- */

/* What a key holds.  The attestation-agent and the confidential-data-hub
 * both load their files with the `config` crate, which converts between
 * scalars ("17" -> 17) but not between scalars, arrays and tables. */
typedef enum idt_lint__kind {
    IDT_LINT_STRING,
    IDT_LINT_INTEGER,
    IDT_LINT_BOOL,
    IDT_LINT_TABLE,
    IDT_LINT_STRINGS, /* an array of strings */
    IDT_LINT_TABLES   /* an array of tables */
} idt_lint__kind;

typedef struct idt_lint__field idt_lint__field;

/* Checks a value of the right kind (a table after its keys were walked,
 * or each table of an array).  `path` names it ("token_configs.kbs.url",
 * "credentials[1]"). */
typedef void (*idt_lint__check_fn)(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                                   void *state);

struct idt_lint__field {
    const char *name;             /* NULL ends a list */
    idt_lint__kind kind;
    bool required;
    const idt_lint__field *fields;/* IDT_LINT_TABLE(S): the keys inside */
    idt_lint__check_fn check;     /* optional */
};

/* Walks table (path "" for the entry's top level) against fields:
 * unknown keys, kinds, required keys, then each field's check. */
void idt_lint__walk(idt_lint__ctx *c, const idt_toml_value *table, const char *path,
                    const idt_lint__field *fields, void *state);

/* Reports a missing key of table at path (at the table, or at the
 * entry's literal for the top level). */
void idt_lint__missing(idt_lint__ctx *c, const idt_toml_value *table, const char *path,
                       const char *key, const char *why);

/* Reports a URL problem of the string v (named path) when it has one;
 * returns whether it was well-formed. */
bool idt_lint__check_url(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                         const char *const *schemes);

/* Reports on the PEM certificate in the string v (named path): an error
 * when OpenSSL cannot parse it (consequence: what then fails), a warning
 * when it is expired or not yet valid, else a note with its subject and
 * expiry.  An empty string is no certificate and is not checked. */
void idt_lint__check_cert(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                          const char *consequence);

/* --- the checkers --------------------------------------------------------- */

/* The attestation-agent's and the confidential-data-hub's configuration
 * (c's current entry is the one to check, already parsed into root).
 * kbs_url receives the KBS URL value when there is one. */
void idt_lint__aa(idt_lint__ctx *c, const idt_toml_value *root, const idt_toml_value **kbs_url);
void idt_lint__cdh(idt_lint__ctx *c, const idt_toml_value *root, const idt_toml_value **kbc_url);

/* policy.rego (the current entry). */
void idt_lint__policy(idt_lint__ctx *c, const char *text, size_t len);

/* The document's algorithm against the platforms. */
void idt_lint__platforms(idt_lint__ctx *c);

#endif
