/*
 * initdata/author.h - writing new Init-Data documents.
 *
 * Two layers:
 *
 *   idt_author_emit_string()  writes any UTF-8 content as a TOML 1.0 string
 *                             that every TOML 1.0 parser reads back to the
 *                             same bytes (the reusable piece);
 *   idt_author_new()          builds a whole Init-Data document from an
 *                             options struct: the seed document of the
 *                             Confidential Containers Init-Data page, with
 *                             the KBS URL, certificate, agent policy, image
 *                             pull proxy and extra entries the caller picks.
 *
 * Choosing a string form.  A multi-line literal string ('''...''') shows a
 * file exactly as it is, so it is used whenever TOML 1.0 lets it hold the
 * content: valid UTF-8 whose bytes are all tab, line feed, or printable
 * (no other control character, no DEL, no carriage return), with no run
 * of three apostrophes, and not ending in an apostrophe.  Anything else is
 * written as a multi-line basic string ("""...""") with escapes.  The
 * reasons, rule by rule (TOML 1.0, https://toml.io/en/v1.0.0#string):
 *   - literal strings have no escapes, so control characters other than
 *     tab cannot appear in them at all;
 *   - a carriage return may only appear raw as part of CRLF, and TOML lets
 *     parsers normalise a raw CRLF inside a multi-line string to LF (Python's
 *     tomllib does), which would silently change the file and its digest
 *     after extraction: CR is therefore always written as the escape \r;
 *   - ''' ends a literal string;
 *   - a content ending in ' would put four or five apostrophes before the
 *     end of the line; TOML 1.0 allows that, but it is the corner where
 *     parsers have disagreed, so the basic form is used instead;
 *   - the newline right after an opening delimiter is dropped by every
 *     parser, so the emitter always writes one there: a content that starts
 *     with a newline keeps it, and the text starts on its own line.
 * The basic forms escape backslash, the control characters (\b \t \n \f \r
 * or \u00XX; never the TOML 1.1-only \e or \xHH) and DEL (\u007F), and
 * escape a double quote when it would be the third in a row or the last
 * character (so it never touches the closing """).  Non-ASCII characters
 * are written as they are.
 *
 * Everything here is reentrant: no global state, no printing.  Returned
 * buffers belong to the caller and are released with idt_free().
 */
#ifndef INITDATA_AUTHOR_H
#define INITDATA_AUTHOR_H

#include "common.h"
#include "digest.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How idt_author_emit_string() writes a string. */
typedef enum idt_author_string_style {
    /* '''...''' when the content allows it, else """...""" (see above).
     * The form for file contents. */
    IDT_AUTHOR_STRING_MULTILINE = 0,
    /* Always """...""" with escapes: for a string that is itself inside a
     * literal string (a certificate inside aa.toml inside the document), so
     * that the outer one can stay literal. */
    IDT_AUTHOR_STRING_MULTILINE_BASIC = 1,
    /* Always "..." on one line, every line break escaped: keys and short
     * values (URLs, names). */
    IDT_AUTHOR_STRING_BASIC = 2
} idt_author_string_style;

/*
 * Writes len bytes of s as a TOML 1.0 string value in the given style,
 * delimiters included and no trailing newline, e.g. for "a\n":
 *   IDT_AUTHOR_STRING_MULTILINE        '''<LF>a<LF>'''
 *   IDT_AUTHOR_STRING_MULTILINE_BASIC  """<LF>a<LF>"""
 *   IDT_AUTHOR_STRING_BASIC            "a\n"
 *
 * @param[out] out      a new NUL-terminated buffer, free with idt_free();
 *                      NULL on failure.
 * @param[out] out_len  its length without the NUL; may be NULL.
 * @param s             the content; need not be NUL-terminated (NUL bytes
 *                      are written as \u0000); may be NULL when len is 0.
 * @param err           on failure, the reason; for invalid UTF-8 the byte
 *                      offset into s (has_offset) and its line and column
 *                      in the message.  May be NULL.
 * @return IDT_OK; IDT_ESYNTAX when s is not valid UTF-8 (TOML strings are
 *         UTF-8, so no form can hold it); IDT_ELIMIT when the escaped text
 *         would not fit in a size_t; IDT_ENOMEM; IDT_EINVAL for a NULL out,
 *         NULL s with len > 0, or an unknown style.
 */
IDT_API int idt_author_emit_string(char **out, size_t *out_len, const char *s,
                                   size_t len, idt_author_string_style style,
                                   idt_error *err);

/*
 * Checks that len bytes of s are valid UTF-8 as TOML requires (RFC 3629:
 * no overlong forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF).
 *
 * @return IDT_OK, or IDT_ESYNTAX with err->offset (has_offset) at the first
 *         byte of the bad sequence and its line and column in the message.
 *         The caller may set err->source to the file's name first, so that
 *         idt_error_format() prints "FILE: error: at byte N: ...".
 */
IDT_API int idt_author_check_utf8(const char *s, size_t len, idt_error *err);

/*
 * Resolves the hash algorithm of a new document.
 *
 * Platforms and the algorithms whose digest every consumer on them accepts
 * (initdata-facts section 3; "any" = sha256, sha384 or sha512):
 *   tdx   any  (48-byte MRCONFIGID: shorter digests are zero-padded)
 *   snp   any  (32-byte HOST_DATA: longer digests are truncated)
 *   sgx   any  (64-byte CONFIGID)
 *   se    any  (nobody checks the binding)
 *   cca   sha512 only (Trustee compares the 64-byte personalization value
 *         exactly, without padding)
 *   vtpm  sha256 only (the attestation-agent extends PCR 8 with the raw
 *         digest and requires 32 bytes; Trustee panics on other lengths)
 *
 * @param[out] out       the algorithm (unchanged on failure).
 * @param requested      the one the user asked for, or 0 to pick: sha256
 *                       (the seed's, and the most portable) when all the
 *                       platforms allow it, else the one they all allow.
 * @param platforms      count platforms the document must work on; may be
 *                       NULL when count is 0.
 * @return IDT_OK; IDT_EINVAL for sm3 (kata rejects it) or an unknown
 *         value, an algorithm a platform rejects (the message names the
 *         platform, the consumer and why, and what to use instead), or
 *         platforms with no common algorithm (cca with vtpm).
 */
IDT_API int idt_author_pick_algorithm(idt_digest_alg *out, idt_digest_alg requested,
                                      const idt_platform *platforms, size_t count,
                                      idt_error *err);

/* The allow-all agent policy of the seed document (the Init-Data page of
 * confidentialcontainers.org): "package agent_policy", a blank line and the
 * 36 "default <Name>Request := true" rules, each line ending in LF.
 * Static storage; *len (may be NULL) receives its length. */
IDT_API const char *idt_author_seed_policy(size_t *len);

/* One entry of the document's [data] table. */
typedef struct idt_author_entry {
    const char *name;    /* file name: NUL-terminated UTF-8, not empty */
    const char *content; /* len bytes of UTF-8; may be NULL when len is 0 */
    size_t len;
} idt_author_entry;

/* What idt_author_new() builds.  Initialise with IDT_AUTHOR_OPTIONS_INIT
 * so that fields added later get their defaults. */
/* How idt_author_new lays out the entries of [data]. */
typedef enum idt_author_layout {
    /* As on the Init-Data page users start from: policy.rego, aa.toml,
     * cdh.toml, then the other entries; a blank line before every entry
     * but the first and aa.toml.  `initdata new --kbs-url URL` gives the
     * page's Step 1 document byte for byte. */
    IDT_AUTHOR_LAYOUT_SEED = 0,
    /* As in Kata's runtime tests: aa.toml, cdh.toml, policy.rego, then the
     * other entries, one blank line between entries.  With empty aa.toml,
     * cdh.toml and policy.rego this is Kata's 113-byte vector. */
    IDT_AUTHOR_LAYOUT_KATA = 1
} idt_author_layout;

/* The layout's keyword: "seed" or "kata".  Unknown values give NULL. */
IDT_API const char *idt_author_layout_name(idt_author_layout layout);

/*
 * Looks up a layout by its keyword ("seed" or "kata"; exact, lowercase;
 * len bytes, need not be NUL-terminated).
 *
 * @param[out] out  the layout; unchanged on failure.
 * @return IDT_OK; IDT_EUNSUPPORTED for any other keyword, with a message
 *         listing the known ones; IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_author_layout_parse(idt_author_layout *out, const char *name, size_t len,
                                    idt_error *err);

typedef struct idt_author_options {
    unsigned version;              /* IDT_AUTHOR_OPTIONS_VERSION */
    idt_digest_alg algorithm;      /* 0: see idt_author_pick_algorithm */
    const idt_platform *platforms; /* platforms the document must work on */
    size_t platform_count;
    /* The KBS (Trustee) URL, http:// or https://.  When set, aa.toml gets
     * [token_configs.kbs] url and cdh.toml gets [kbc] name = "cc_kbc" and
     * url, as on the seed page.  NULL: neither file is generated (a caller
     * may pass its own in `files`). */
    const char *kbs_url;
    /* PEM text of the KBS's HTTPS certificate (needs kbs_url): written as
     * aa.toml [token_configs.kbs] cert and cdh.toml [kbc] kbs_cert. */
    const char *kbs_cert;
    size_t kbs_cert_len;
    /* The agent policy (policy.rego); NULL: idt_author_seed_policy(). */
    const char *policy;
    size_t policy_len;
    /* cdh.toml [image.image_pull_proxy] https_proxy (needs kbs_url, since
     * cdh.toml is only valid with a [kbc] section) and no_proxy (needs
     * image_pull_proxy). */
    const char *image_pull_proxy;
    const char *no_proxy;
    /* More entries, written after the generated ones in this order.  An
     * entry named aa.toml, cdh.toml or policy.rego takes that file's place
     * in the order below, and may only be given when it is not generated
     * (aa.toml and cdh.toml without kbs_url; policy.rego never, use
     * `policy`). */
    const idt_author_entry *files;
    size_t file_count;
    /* Largest document to produce; 0: 64 MiB (what the TOML parser reads
     * by default). */
    size_t max_size;
    /* Order and spacing of the entries (see idt_author_new). */
    idt_author_layout layout;
} idt_author_options;

#define IDT_AUTHOR_OPTIONS_VERSION 1
#define IDT_AUTHOR_OPTIONS_INIT \
    { IDT_AUTHOR_OPTIONS_VERSION, (idt_digest_alg)0, NULL, 0, NULL, NULL, 0, NULL, 0, \
      NULL, NULL, NULL, 0, 0, IDT_AUTHOR_LAYOUT_SEED }

/*
 * Builds an Init-Data document.  The output is a pure function of opts
 * (same options, same bytes) and looks like this:
 *
 *   version = "0.1.0"
 *   algorithm = "sha256"
 *   [data]
 *   "aa.toml" = '''
 *   [token_configs]
 *   [token_configs.kbs]
 *   url = "http://1.2.3.4:8080"
 *   '''
 *
 *   "cdh.toml" = '''
 *   ...
 *   '''
 *
 *   "policy.rego" = '''
 *   package agent_policy
 *   ...
 *   '''
 *
 * Entries come in the order and spacing of opts->layout (the well-known
 * ones first, then the other `files` in the order given); each is a quoted
 * key and a string in IDT_AUTHOR_STRING_MULTILINE style, and the document
 * ends with a newline.  The example above is IDT_AUTHOR_LAYOUT_KATA.
 *
 * @param[out] out      a new NUL-terminated buffer, free with idt_free();
 *                      NULL on failure.
 * @param[out] out_len  its length without the NUL; may be NULL.
 * @return IDT_OK;
 *         IDT_EINVAL for options that contradict each other or a consumer
 *         (see idt_author_pick_algorithm; a cert, proxy or no_proxy
 *         without what it needs; an entry that collides with a generated
 *         or an earlier one; an empty entry name; a URL that is not
 *         scheme://..., or a KBS URL that is not http(s); a URL or
 *         no_proxy that is empty, not UTF-8, or holds control characters
 *         (or, URLs, spaces)), or a NULL/unknown-version opts;
 *         IDT_ESYNTAX when a content or an entry name is not valid UTF-8
 *         (the message names the entry, err->offset is the byte in it);
 *         IDT_EFORMAT when kbs_cert has no "-----BEGIN CERTIFICATE-----";
 *         IDT_ELIMIT when the document would be larger than max_size;
 *         IDT_ENOMEM.
 */
IDT_API int idt_author_new(char **out, size_t *out_len,
                           const idt_author_options *opts, idt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* INITDATA_AUTHOR_H */
