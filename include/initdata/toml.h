/*
 * initdata/toml.h - a strict TOML 1.0 and 1.1 parser that keeps positions.
 *
 * The parser accepts exactly the TOML version it is asked for
 * (idt_toml_options.spec): TOML 1.1.0 (https://toml.io/en/v1.1.0, the
 * default) or TOML 1.0.0 (https://toml.io/en/v1.0.0), nothing less and
 * nothing more.  TOML 1.1 adds five things to 1.0: the escapes \e and \xHH,
 * newlines (and comments) inside inline tables, a trailing comma in an
 * inline table, and times without seconds ("07:32").  The Init-Data
 * consumers of today read 1.1 (Kata 4.0 and later, the Kata Go shim since
 * 3.28, Trustee); Kata 3.x agents read 1.0.  So that a caller can say who
 * rejects a document, a 1.1 parse records where it uses 1.1-only syntax
 * (idt_toml_doc_v11_uses) and how deeply it nests (idt_toml_doc_nesting).
 *
 * Model.  A parsed document is a tree of idt_toml_value nodes whose root is
 * a table.  Every node, key and string is owned by the idt_toml_doc and
 * lives until idt_toml_doc_free(); pointers obtained from a document are
 * borrowed and must not be freed.  The tree is read-only: the structs are
 * public so that callers can walk them cheaply, but their contents must not
 * be changed.  The source text is not retained (unless the caller asks for
 * IDT_TOML_BORROW): spans are offsets into the buffer the caller parsed.
 *
 * Bounds.  Input size and nesting depth (tables inside tables, arrays
 * inside arrays, dotted key parts) are limited by idt_toml_options; the
 * parser never recurses or allocates beyond them, and reports IDT_ELIMIT
 * with a position when a document goes past a bound.
 *
 * Thread safety.  Parsing keeps all state in the call; separate documents
 * may be parsed and read concurrently, and one document may be read from
 * many threads.
 *
 * Example:
 *
 *     idt_toml_doc *doc;
 *     idt_error err;
 *     if (idt_toml_parse(&doc, text, len, NULL, &err) < 0) {
 *         char msg[512];
 *         idt_error_format(msg, sizeof msg, &err);   // "3:7: error: ..."
 *         ...
 *     }
 *     const idt_toml_entry *e =
 *         idt_toml_table_get(idt_toml_doc_root(doc), "version", 7);
 *     if (e && e->value->type == IDT_TOML_STRING)
 *         use(e->value->as.string.ptr, e->value->as.string.len);
 *     idt_toml_doc_free(doc);
 */
#ifndef INITDATA_TOML_H
#define INITDATA_TOML_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Value types.  The four date-time kinds are TOML's four. */
typedef enum idt_toml_type {
    IDT_TOML_TABLE = 1,
    IDT_TOML_ARRAY,
    IDT_TOML_STRING,
    IDT_TOML_INTEGER,
    IDT_TOML_FLOAT,
    IDT_TOML_BOOL,
    IDT_TOML_DATETIME,       /* offset date-time: 1979-05-27T07:32:00Z */
    IDT_TOML_DATETIME_LOCAL, /* local date-time: 1979-05-27T07:32:00 */
    IDT_TOML_DATE_LOCAL,     /* local date: 1979-05-27 */
    IDT_TOML_TIME_LOCAL      /* local time: 07:32:00 */
} idt_toml_type;

/* A date-time's fields.  Date fields are set unless the type is
 * IDT_TOML_TIME_LOCAL; time fields unless it is IDT_TOML_DATE_LOCAL;
 * the offset only for IDT_TOML_DATETIME. */
typedef struct idt_toml_datetime {
    int year, month, day;
    int hour, minute, second;
    uint32_t nanosecond;  /* fraction, truncated to nanoseconds */
    int frac_digits;      /* digits of fraction written (0 = none) */
    int offset_minutes;   /* east of UTC; 0 for "Z" */
} idt_toml_datetime;

typedef struct idt_toml_value idt_toml_value;

/* One key/value pair of a table.  `key` is the decoded key (quoted keys
 * unescaped), NUL-terminated, and may contain NUL bytes (use key_len).
 * key_span points at the key as written (the last part of a dotted key, or
 * the last part of a [table] header for a table created by one). */
typedef struct idt_toml_entry {
    const char *key;
    size_t key_len;
    idt_span key_span;
    idt_toml_value *value;
} idt_toml_entry;

struct idt_toml_value {
    idt_toml_type type;
    /*
     * Where the value is written.  Scalars, arrays and inline tables: the
     * whole literal, quotes and brackets included.  A table created by a
     * [header]: the header line's brackets and key.  A table created only
     * implicitly (by a dotted key or as the parent of a header): the key
     * that first created it.  An array of tables: its first [[header]].
     * The root table: the whole document.
     */
    idt_span span;
    union {
        struct { const char *ptr; size_t len; } string; /* decoded; NUL-terminated
                                                           (but see IDT_TOML_BORROW) */
        int64_t integer;
        double floating;
        bool boolean;
        idt_toml_datetime datetime;
        struct { idt_toml_value **items; size_t count; } array;
        struct { idt_toml_entry *entries; size_t count; } table; /* document order */
    } as;
    /* Parser bookkeeping; not part of the API. */
    uint32_t internal_flags;
    uint32_t internal_cap;
    void *internal_index;
};

/* The TOML specification a document is read by. */
typedef enum idt_toml_spec {
    IDT_TOML_1_0 = 100, /* TOML 1.0.0 */
    IDT_TOML_1_1 = 101  /* TOML 1.1.0 */
} idt_toml_spec;

/*
 * idt_toml_options.flags.
 *
 * IDT_TOML_BORROW: a string value that needs no decoding (no escape, no
 * CRLF, no line-ending backslash: an agent policy in a multi-line literal
 * string) is not copied: its ptr points into the caller's src, and is NOT
 * NUL-terminated (use len).  src must then stay valid and unchanged until
 * idt_toml_doc_free.  Keys are always copies, NUL-terminated.  Without it
 * (the default) every string is a NUL-terminated copy and src may go away
 * after the parse.
 */
enum {
    IDT_TOML_BORROW = 1u << 0
};

/* Parse options.  Initialise with IDT_TOML_OPTIONS_INIT so that fields added
 * later get their defaults.  Options of version 1 (without spec) and 2
 * (without flags) are still accepted: TOML 1.1 and no flags. */
typedef struct idt_toml_options {
    unsigned version;  /* IDT_TOML_OPTIONS_VERSION */
    size_t max_size;   /* longest accepted input, bytes */
    unsigned max_depth;/* deepest nesting of tables and arrays, counted
                          together (a header's parts, dotted key parts,
                          arrays, inline tables) */
    idt_toml_spec spec;/* IDT_TOML_1_1 (the default) or IDT_TOML_1_0 */
    unsigned flags;    /* IDT_TOML_BORROW, or 0 (the default) */
} idt_toml_options;

#define IDT_TOML_OPTIONS_VERSION 3
#define IDT_TOML_DEFAULT_MAX_SIZE ((size_t)64 << 20) /* 64 MiB */
#define IDT_TOML_DEFAULT_MAX_DEPTH 128u
#define IDT_TOML_OPTIONS_INIT                                                              \
    { IDT_TOML_OPTIONS_VERSION, IDT_TOML_DEFAULT_MAX_SIZE, IDT_TOML_DEFAULT_MAX_DEPTH,    \
      IDT_TOML_1_1, 0 }

/* The spec's name, "1.0" or "1.1"; NULL for other values. */
IDT_API const char *idt_toml_spec_name(idt_toml_spec spec);

/*
 * Reads "1.0" or "1.1" (len bytes) into *out.  Returns IDT_OK, or
 * IDT_EINVAL (with a message naming the versions) for anything else.
 */
IDT_API int idt_toml_spec_parse(idt_toml_spec *out, const char *text, size_t len,
                                idt_error *err);

typedef struct idt_toml_doc idt_toml_doc;

/*
 * Parses len bytes of TOML 1.1 or 1.0 text (opts->spec).
 *
 * @param[out] out   the document, owned by the caller (idt_toml_doc_free);
 *                   set to NULL on failure.
 * @param src        the text; need not be NUL-terminated; not retained
 *                   (with IDT_TOML_BORROW: kept until idt_toml_doc_free).
 * @param len        its length in bytes.
 * @param opts       limits, or NULL for the defaults.
 * @param err        filled on failure with the line, column and offset of
 *                   the offending byte and a message naming the TOML rule
 *                   that was broken; may be NULL.
 * @return IDT_OK; IDT_ESYNTAX for text that is not TOML of that version (bad syntax,
 *         invalid UTF-8, a forbidden control character, a duplicate key or
 *         table, an out-of-range integer or date); IDT_ELIMIT for input
 *         larger than max_size or nested deeper than max_depth; IDT_ENOMEM;
 *         IDT_EINVAL for a NULL out, an unknown options version or spec.
 */
IDT_API int idt_toml_parse(idt_toml_doc **out, const char *src, size_t len,
                           const idt_toml_options *opts, idt_error *err);

/* Frees a document and everything reachable from it.  NULL is allowed. */
IDT_API void idt_toml_doc_free(idt_toml_doc *doc);

/* The root table of doc (borrowed; never NULL for a parsed document). */
IDT_API const idt_toml_value *idt_toml_doc_root(const idt_toml_doc *doc);

/*
 * Looks up key (key_len bytes, compared exactly) in a table.  Returns the
 * entry (borrowed from the document), or NULL when table is NULL, is not a
 * table, or has no such key.  Average O(1).
 */
IDT_API const idt_toml_entry *idt_toml_table_get(const idt_toml_value *table,
                                                 const char *key, size_t key_len);

/* Syntax that TOML 1.1 added to TOML 1.0. */
typedef enum idt_toml_feature {
    IDT_TOML_FEATURE_ESCAPE_E = 1,          /* "\e", the escape character */
    IDT_TOML_FEATURE_ESCAPE_X = 2,          /* "\xHH", U+0000 to U+00FF */
    IDT_TOML_FEATURE_INLINE_NEWLINE = 3,    /* a newline or a comment inside
                                               an inline table */
    IDT_TOML_FEATURE_INLINE_TRAILING_COMMA = 4, /* { a = 1, } */
    IDT_TOML_FEATURE_TIME_NO_SECONDS = 5    /* 07:32, 1979-05-27T07:32Z */
} idt_toml_feature;

/* What the feature is, for messages: "the escape \\e", "a time without
 * seconds"...  NULL for unknown values. */
IDT_API const char *idt_toml_feature_name(idt_toml_feature feature);

/* One place where a document uses TOML 1.1-only syntax.  span points at
 * the escape, the newline or comment, the comma, or the time. */
typedef struct idt_toml_feature_use {
    idt_toml_feature feature;
    idt_span span;
} idt_toml_feature_use;

/* How many uses a document keeps (the first ones in document order). */
#define IDT_TOML_FEATURE_USES_MAX 64u

/*
 * The places where doc uses syntax that TOML 1.1 added, in document order
 * (borrowed from doc).  At most IDT_TOML_FEATURE_USES_MAX are kept: *count
 * receives how many the array holds and *total (may be NULL) how many
 * there were.  A document parsed as TOML 1.0 has none.  Returns NULL when
 * there are none.
 */
IDT_API const idt_toml_feature_use *idt_toml_doc_v11_uses(const idt_toml_doc *doc,
                                                          size_t *count, size_t *total);

/*
 * How deeply a document nests, counted the way the Rust `toml` crate 1.1
 * (kata-agent 4.x, runtime-rs, Trustee) counts before it gives up:
 * arrays and inline tables together (`x = [{a = [1]}]` is 3 deep; table
 * headers do not count), and, separately, the parts of one key (a dotted
 * key or a table header).
 */
typedef struct idt_toml_nesting {
    unsigned value_depth; /* deepest nesting of arrays and inline tables */
    idt_span value_span;  /* the '[' or '{' that first reached it */
    unsigned key_parts;   /* most parts in one key */
    idt_span key_span;    /* the first key with that many parts */
} idt_toml_nesting;

/* Fills *out with doc's nesting (zeros and empty spans for a NULL doc). */
IDT_API void idt_toml_doc_nesting(const idt_toml_doc *doc, idt_toml_nesting *out);

/* The TOML name of a type as toml-test spells it: "table", "array",
 * "string", "integer", "float", "bool", "datetime", "datetime-local",
 * "date-local", "time-local".  Unknown values give "unknown". */
IDT_API const char *idt_toml_type_name(idt_toml_type type);

/* The type with an article, for messages: "a table", "an integer",
 * "an offset date-time", "a local date"...  Unknown values give
 * "an unknown value". */
IDT_API const char *idt_toml_type_phrase(idt_toml_type type);

/*
 * Writes a date-time value in RFC 3339 form ("1979-05-27T07:32:00.5-07:00",
 * "1979-05-27", "07:32:00"), with a "T" separator, "Z" for a zero offset
 * and the fraction digits as written.  At most cap bytes
 * including the NUL.  Returns the length of the full text, or -1 when v is
 * not a date-time.
 */
IDT_API int idt_toml_datetime_format(char *buf, size_t cap, const idt_toml_value *v);

/*
 * JSON output (idt_toml_to_json).
 *
 * Plain JSON: tables are objects (keys in document order), arrays are
 * arrays, strings, integers, floats and booleans are JSON's own; date-times
 * are strings in RFC 3339 form (idt_toml_datetime_format); infinities and
 * NaN, which JSON cannot spell as numbers, are the strings "inf", "-inf"
 * and "nan" (a string keeps them distinguishable, where null would not).
 *
 * Tagged JSON (IDT_TOML_JSON_TAGGED; https://github.com/toml-lang/toml-test):
 * every scalar is {"type": T, "value": "..."} with T from idt_toml_type_name.
 *
 * Both forms: a float is the shortest decimal that reads back as the same
 * double, in fixed notation for exponents -5 to 16 ("300.0", "0.1") and in
 * exponent notation beyond ("1e-06", "1e+300"); it always has a '.' or an
 * exponent ("1.0", not "1"), so a JSON reader keeps it a float.  Strings
 * and keys are written with their lengths, so embedded NULs survive (as
 * \u0000); control characters, DEL, '"' and '\\' are escaped; other
 * characters are copied as UTF-8.
 */
enum {
    IDT_TOML_JSON_TAGGED = 1u << 0, /* toml-test's tagged form */
    IDT_TOML_JSON_PRETTY = 1u << 1  /* indent by two spaces; else one line */
};

/* Recursion bound of idt_toml_to_json, whatever options made the tree. */
#define IDT_TOML_JSON_MAX_DEPTH 1024u

/*
 * Writes v (normally a document's root) as JSON followed by a newline.
 *
 * @param[out] out      a new buffer, NUL-terminated, free with idt_free;
 *                      NULL on failure.
 * @param[out] out_len  its length without the NUL; may be NULL.
 * @param flags         IDT_TOML_JSON_TAGGED and/or IDT_TOML_JSON_PRETTY.
 * @return IDT_OK; IDT_ENOMEM; IDT_ELIMIT for a tree deeper than
 *         IDT_TOML_JSON_MAX_DEPTH; IDT_EFORMAT for a string that is not
 *         UTF-8 (a parsed document never has one); IDT_EINVAL for NULL
 *         arguments.
 */
IDT_API int idt_toml_to_json(char **out, size_t *out_len, const idt_toml_value *v,
                             unsigned flags, idt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* INITDATA_TOML_H */
