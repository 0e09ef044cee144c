/*
 * util/json_read.h - the library's JSON reader: one validating pass that
 * leaves a flat array of tokens.
 *
 * Why our own: the admission webhook reads an AdmissionReview per pod and
 * needs a dozen fields and one annotation out of it.  A tree library costs
 * more than the whole decision (jansson builds its tree at 60-70 MB/s;
 * `make bench` prints both), while one pass that checks the grammar and
 * records where each value is (offsets into the caller's bytes, no copies,
 * no per-value allocation) runs 14-17 times as fast as jansson on
 * Kubernetes objects (0.5-1 GB/s against 34-73 MB/s here; `make bench`
 * prints both).
 *
 * What is accepted is RFC 8259 exactly: one value with optional white
 * space around it, UTF-8 throughout (checked once, up front), strings
 * without raw control characters and with only the eight escapes and
 * \uXXXX (a high surrogate must be followed by a low one, as Go's and
 * Python's decoders require to read it back losslessly), numbers in the
 * grammar's form.  Duplicate object keys are kept; lookups return the last
 * one, as Go's encoding/json (the API server's) does.
 *
 * Bounds: the input length (the caller's), the nesting depth and the
 * number of tokens; every bound is IDT_ELIMIT with the position.
 *
 * Tokens: an object token is followed by its members as key, value, key,
 * value...; an array token by its elements.  `next` is the index just past
 * a token's subtree, so a reader steps over a value in O(1).
 */
#ifndef IDT_UTIL_JSON_READ_H
#define IDT_UTIL_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/buf.h"

typedef enum idtx_json_type {
    IDTX_JSON_OBJECT = 1,
    IDTX_JSON_ARRAY,
    IDTX_JSON_STRING,
    IDTX_JSON_NUMBER,
    IDTX_JSON_TRUE,
    IDTX_JSON_FALSE,
    IDTX_JSON_NULL
} idtx_json_type;

typedef struct idtx_json_tok {
    uint8_t type;      /* idtx_json_type */
    uint8_t escaped;   /* a string with at least one backslash */
    uint32_t start;    /* first byte: a string's first byte after the quote,
                          a container's bracket, a literal's first byte */
    uint32_t len;      /* a string's raw body (without quotes), a number's or
                          literal's text, a container's text with brackets */
    uint32_t next;     /* index of the first token after this subtree */
    uint32_t count;    /* members of an object, elements of an array */
} idtx_json_tok;

typedef struct idtx_json {
    const char *src;   /* the caller's bytes (borrowed) */
    size_t len;
    idtx_json_tok *tok;
    size_t ntok;
    size_t cap;
} idtx_json;

#define IDTX_JSON_NONE ((size_t)-1)

/*
 * Reads src[0..len) (len < 4 GiB) into j (which need not be initialised).
 * max_depth bounds the nesting of arrays and objects (>= 1), max_tokens the
 * tokens kept.  On failure err holds the first problem with its line,
 * column and byte offset, and j holds nothing to free.
 * Returns IDT_OK; IDT_ESYNTAX; IDT_EFORMAT (not UTF-8); IDT_ELIMIT; IDT_ENOMEM.
 */
int idtx_json_parse(idtx_json *j, const char *src, size_t len, unsigned max_depth,
                    size_t max_tokens, idt_error *err);

/* Frees the tokens; j may be parsed into again. */
void idtx_json_dispose(idtx_json *j);

/* The value of member `key` (NUL-terminated, compared with the decoded
 * key) of the object at index obj: the last one when the key repeats;
 * IDTX_JSON_NONE when obj is not an object or has no such member. */
size_t idtx_json_member(const idtx_json *j, size_t obj, const char *key);

/* Follows a path of member names (NULL-terminated array) from obj. */
size_t idtx_json_path(const idtx_json *j, size_t obj, const char *const *keys);

/* The type of token i, or 0 for IDTX_JSON_NONE. */
static inline int idtx_json_type_at(const idtx_json *j, size_t i)
{
    return i == IDTX_JSON_NONE ? 0 : j->tok[i].type;
}

/* Whether token i is a string whose decoded text equals s (n bytes). */
bool idtx_json_string_eq(const idtx_json *j, size_t i, const char *s, size_t n);

/*
 * Appends the decoded text of string token i to b (the string was
 * validated by the parse, so only the buffer can fail).  Returns IDT_OK,
 * or the buffer's IDT_ELIMIT/IDT_ENOMEM; IDT_EINVAL when i is not a string.
 */
int idtx_json_string_decode(const idtx_json *j, size_t i, idtx_buf *b, idt_error *err);

/* The decoded text of string token i as a new NUL-terminated string (free
 * with free()), at most max bytes; NULL on a failure recorded in err. */
char *idtx_json_string_dup(const idtx_json *j, size_t i, size_t max, idt_error *err);

#endif
