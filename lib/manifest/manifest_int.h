/* Internals of the manifest module (initdata/manifest.h).
 *
 * scan.c    runs libyaml's event parser and keeps a pruned node tree: the
 *           mappings on the paths this module reads (object root, metadata,
 *           annotations, spec, template, jobTemplate, List items) with all
 *           their entries; any other subtree is one summary node with its
 *           byte range.  libyaml marks count characters; text.c maps them
 *           to byte offsets.
 * object.c  finds each object's pod template and annotations (resolve).
 * emit.c    writes keys, values and new entries as YAML text.
 * edit.c    plans the splices for one object; apply.c sorts and applies
 *           them; budget.c measures annotations against Kubernetes' limit.
 */
#ifndef IDT_MANIFEST_INT_H
#define IDT_MANIFEST_INT_H

#include "initdata/manifest.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a node's children mean, decided by the key that holds it. */
typedef enum mf_state {
    MF_PRUNED = 0,  /* not read: summarised */
    MF_DOC,         /* the document: its one child is an object */
    MF_OBJ,         /* a document's root mapping */
    MF_ITEM,        /* an item of a List (an object, without items) */
    MF_ITEMS,       /* the items sequence */
    MF_META,        /* metadata */
    MF_ANN,         /* annotations */
    MF_SPEC,        /* spec (pod spec, or a workload's spec) */
    MF_JOBTEMPLATE, /* spec.jobTemplate */
    MF_TEMPLATE,    /* template */
    MF_KEEP,        /* a scalar whose value is kept */
    MF_VALUE        /* an annotation value: only its length is kept */
} mf_state;

/* Keys the scan recognises (per state; everything else is MF_K_OTHER). */
typedef enum mf_key {
    MF_K_OTHER = 0,
    MF_K_KIND,
    MF_K_METADATA,
    MF_K_SPEC,
    MF_K_TEMPLATE,
    MF_K_JOBTEMPLATE,
    MF_K_ITEMS,
    MF_K_NAME,
    MF_K_ANNOTATIONS,
    MF_K_RUNTIMECLASS,
    MF_K_CURRENT,
    MF_K_LEGACY,
    MF_K_MERGE,
    MF_K_COUNT
} mf_key;

/* What ends at a node's `end` (scan.c, update_end). */
enum {
    MF_END_PLAIN = 0,     /* ordinary content */
    MF_END_LINESTART = 1, /* a |+ block scalar: `end` starts the line after its kept breaks */
    MF_END_BLOCK = 2      /* another block scalar */
};

typedef enum mf_type { MF_SCALAR = 1, MF_ALIAS, MF_MAP, MF_SEQ } mf_type;

typedef struct mf_node mf_node;
struct mf_node {
    mf_node *parent;     /* the collection holding it (NULL: a document root) */
    mf_node *key;        /* for a mapping value: its key node */
    mf_node *first, *last, *next; /* children in order (key, value, key, ...) */
    char *value;         /* scalar value when kept (MF_KEEP), else NULL */
    size_t start, end;   /* bytes: first (properties included) .. past the last */
    size_t open_end;     /* collections: past the opening token ("{", "[") */
    size_t vlen;         /* scalars: decoded length */
    /* Keys of the mappings read: where their entry starts, at the key or at
     * the "?" of an explicit key (MF_NOWHERE: not found).  Other block
     * mappings: where their first entry starts (libyaml's indentation
     * mark); icol is its column either way. */
    size_t ind;
    uint32_t line, col;  /* of start: 0-based line, 0-based column in characters */
    uint32_t icol;       /* block mappings: their indentation (column of ind) */
    uint32_t seen;       /* mappings: bit per mf_key seen */
    mf_node *merge;      /* mappings: the first merge key (<<), or NULL */
    uint8_t type;        /* mf_type */
    uint8_t state;       /* mf_state this node was parsed in */
    uint8_t key_id;      /* key nodes: mf_key */
    uint8_t style;       /* scalars: yaml_scalar_style_t */
    uint8_t end_kind;    /* what ends at `end` (MF_END_*) */
    bool flow;           /* collections in flow style */
    bool anchored;       /* carries an anchor */
    bool is_null;        /* untagged plain null: "", ~, null, Null, NULL */
    bool keep_chomp;     /* block scalar with the "+" indicator */
    bool explicit_key;   /* key nodes: written after "? " (or ind not found) */
    /* Values of block mappings: an explicit key with no ':' (`? key` alone).
     * libyaml marks the empty value at the next token, which may be far
     * off; the scan puts it at the key's end instead. */
    bool bare;
    bool pruned;         /* a summary of an unread subtree */
};

#define MF_NOWHERE SIZE_MAX

/* An object: a document root or a List item. */
typedef struct mf_object {
    mf_node *root;
    size_t document;
    size_t item;        /* IDT_MANIFEST_NO_ITEM for document roots */
    mf_node *list_root; /* for items: the root that holds `items` */
    const char *kind, *name;
    int pod_kind;       /* index into the kinds table, or -1 */
} mf_object;

/* Character index (libyaml marks) to byte offset. */
typedef struct mf_charmap {
    const unsigned char *s;
    size_t len;    /* of the whole text */
    size_t base;   /* 3 after a UTF-8 BOM, else 0 */
    bool ascii;
    size_t *ck;    /* byte offset of every 2^MF_CK_SHIFT-th character */
    size_t nck;
    size_t last_char, last_byte; /* the previous lookup (scans only) */
} mf_charmap;

#define MF_CK_SHIFT 8

struct idt_manifest {
    char *text;          /* copy of the input, NUL-terminated */
    size_t len;
    idtx_arena arena;    /* nodes and kept strings */
    mf_charmap map;
    mf_object *objects;
    size_t nobjects, cap_objects;
    size_t nodes;        /* nodes allocated */
    idt_manifest_options opts;
};

/* --- text.c: positions -------------------------------------------------- */
int idt_manifest__charmap_init(mf_charmap *cm, const char *s, size_t len, size_t base);
void idt_manifest__charmap_dispose(mf_charmap *cm);
size_t idt_manifest__byte_of(mf_charmap *cm, size_t index);
/* The span of byte range [start, end) of text on 0-based line line0 (as
 * libyaml counts lines); the column counts bytes, 1-based. */
idt_span idt_manifest__span(const char *text, size_t len, size_t start, size_t end,
                            size_t line0);
/* Length of the line break at pos (CRLF 2, LF/CR 1, NEL 2, LS/PS 3), or 0. */
size_t idt_manifest__break_len(const char *text, size_t len, size_t pos);
/* Position of the line break ending the line that holds pos (len at EOF). */
size_t idt_manifest__line_end(const char *text, size_t len, size_t pos);
/* Offset of the first byte of the line holding pos. */
size_t idt_manifest__line_start(const char *text, size_t pos);
/* From pos, a place between two tokens, past what libyaml skips there:
 * blanks, line breaks, comments and a BOM at the start of a line. */
size_t idt_manifest__skip_gap(const char *text, size_t len, size_t pos);
/* The 0-based line of pos, given that from is on line line0. */
uint32_t idt_manifest__line_of(const char *text, size_t len, size_t from, uint32_t line0,
                               size_t pos);

/* --- object.c: what an object's pod template holds ---------------------- */
typedef struct mf_target {
    mf_node *tmpl;              /* mapping that holds metadata (or should) */
    mf_node *meta_key, *meta;   /* metadata entry; meta NULL or null scalar when absent */
    mf_node *ann_key, *ann;     /* annotations entry, likewise */
    mf_node *key[2], *val[2];   /* the two Init-Data entries (by idt_manifest_key) */
    size_t count;               /* annotation entries */
    uint64_t total;             /* sum of key and value lengths */
    const char *runtime_class;
    const char *path;           /* "spec.template.metadata.annotations" ... */
    const char *spec_path;      /* where runtimeClassName belongs */
} mf_target;

extern const char *const idt_manifest__pod_kinds[];
int idt_manifest__resolve(mf_target *t, const idt_manifest *m, const mf_object *o, idt_error *err);
/* "Kind/name" for messages, cut to fit. */
void idt_manifest__label(char *buf, size_t cap, const mf_object *o);
/* Records an error at node n. */
int idt_manifest__fail_at(idt_error *err, int code, const idt_manifest *m, const mf_node *n,
                          const char *fmt, ...) IDTX_PRINTF(5, 6);

/* --- emit.c: YAML text ------------------------------------------------- */
/* Edit text is built in an idtx_buf (util/buf.h); every writer below
 * returns IDT_OK, or the buffer's IDT_ELIMIT / IDT_ENOMEM. */
typedef enum mf_style { MF_STYLE_AUTO = 0, MF_STYLE_DOUBLE, MF_STYLE_SINGLE } mf_style;
/* Checks s is UTF-8 (what every YAML reader needs). */
bool idt_manifest__utf8_ok(const char *s, size_t len);
/* Writes s as a one-line scalar: plain when safe (AUTO), else double-quoted
 * with escapes; SINGLE keeps single quotes when s allows them.  At most
 * 6 * len + 2 bytes ("\u0001" for each control byte, and the quotes). */
int idt_manifest__emit_scalar(idtx_buf *b, const char *s, size_t len, mf_style style,
                              idt_error *err);

/* --- budget.c ---------------------------------------------------------- */
uint64_t idt_manifest__budget(const idt_manifest *m);
int idt_manifest__check_budget(const idt_manifest *m, const mf_object *o, uint64_t total,
                               uint64_t added, idt_error *err);

/* --- apply.c ----------------------------------------------------------- */
typedef struct mf_edit {
    size_t start, end; /* replaced range; start == end: an insertion */
    size_t seq;        /* creation order, to keep insertions at one point in order */
    char *text;        /* owned */
    size_t text_len;
} mf_edit;

typedef struct mf_edits {
    mf_edit *v;
    size_t n, cap;
} mf_edits;

/* Adds an edit that replaces [start, end) with text's contents, which it
 * takes (text is left empty, also on failure). */
int idt_manifest__edits_add(mf_edits *e, size_t start, size_t end, idtx_buf *text,
                            idt_error *err);
void idt_manifest__edits_dispose(mf_edits *e);
int idt_manifest__edits_apply(char **out, size_t *out_len, const char *src, size_t len,
                              mf_edits *e, idt_error *err);

/* --- edit.c ------------------------------------------------------------ */
typedef struct mf_value {
    const char *s;
    size_t len;
    unsigned keys; /* IDT_MANIFEST_KEYS_* */
} mf_value;

int idt_manifest__plan(mf_edits *edits, idt_manifest_change *change, idt_manifest_report *report,
                       const idt_manifest *m, size_t index, const mf_value *v, idt_error *err);
int idt_manifest__note(idt_manifest_report *r, idt_manifest_note_kind kind, size_t object,
                       idt_span span, const char *fmt, ...) IDTX_PRINTF(5, 6);

#endif
