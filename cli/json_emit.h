/*
 * json_emit.h - a TOML value tree as JSON, plain or in toml-test's tagged
 * form.  Shared by `initdata toml-json` and the tests' toml_batch helper,
 * so the conformance tests check the very code the tool runs.
 *
 * Plain JSON: tables are objects (keys in document order), arrays are
 * arrays, strings, integers, floats and booleans are JSON's own; date-times
 * are strings in RFC 3339 form (idt_toml_datetime_format); infinities and
 * NaN, which JSON cannot spell as numbers, are the strings "inf", "-inf"
 * and "nan" (a string keeps them distinguishable, where null would not).
 *
 * Tagged JSON (https://github.com/toml-lang/toml-test): every scalar is
 * {"type": T, "value": "..."} with T from idt_toml_type_name; floats are
 * "inf", "-inf", "nan" or the decimal described below.
 *
 * Both forms: a float is the shortest decimal that reads back as the same
 * double, in fixed notation for exponents -5 to 16 ("300.0", "0.1") and in
 * exponent notation beyond ("1e-06", "1e+300"); it always has a '.' or an
 * exponent ("1.0", not "1"), so a JSON reader keeps it a float.
 *
 * Strings and keys are written with their lengths, so embedded NULs
 * survive (as \u0000); control characters, DEL, '"' and '\\' are escaped;
 * other characters are copied as UTF-8.
 *
 * Recursion: one level per nesting level of the tree.  The parser already
 * refuses documents nested deeper than idt_toml_options.max_depth (128 by
 * default); the emitter also stops at CLI_JSON_MAX_DEPTH with IDT_ELIMIT so
 * that its stack use is bounded whatever options produced the tree.
 */
#ifndef CLI_JSON_EMIT_H
#define CLI_JSON_EMIT_H

#include <stddef.h>
#include "initdata/toml.h"

enum {
    CLI_JSON_TAGGED = 1u << 0, /* toml-test's tagged form */
    CLI_JSON_PRETTY = 1u << 1  /* indent by two spaces; else one line */
};

#define CLI_JSON_MAX_DEPTH 1024u

/*
 * Writes v (normally a document's root) as JSON followed by a newline.
 *
 * @param[out] out      a new buffer, NUL-terminated, freed by the caller
 *                      with free(); NULL on failure.
 * @param[out] out_len  its length without the NUL.
 * @param v             the value to write.
 * @param flags         CLI_JSON_TAGGED and/or CLI_JSON_PRETTY.
 * @param err           filled on failure; may be NULL.
 * @return IDT_OK; IDT_ENOMEM; IDT_ELIMIT for a tree deeper than
 *         CLI_JSON_MAX_DEPTH; IDT_EFORMAT for a string that is not UTF-8
 *         (a parsed document never has one).
 */
int cli_json_emit(char **out, size_t *out_len, const idt_toml_value *v, unsigned flags,
                  idt_error *err);

#endif
