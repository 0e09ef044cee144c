/*
 * bench_pipeline.c - the whole consumer pipeline, per document:
 * annotation -> bytes (idt_codec_decode: strict base64, gzip with CRC32 and
 * ISIZE, UTF-8) -> validated document (idt_doc_parse, borrowing the
 * decoded bytes, which outlive it: idt_doc_options.borrow, so that the
 * policy is not copied again) -> digest (idt_doc_digest), everything freed
 * again.
 *
 *   bench_pipeline [--rounds R] [--min-round-ms MS] [--raw] ANNOTATION...
 *
 * Next to it, in the same run, the two floors any implementation pays:
 *   inflate-only  libdeflate's raw inflate (libdeflate_deflate_decompress)
 *                 of the deflate data of the same gzip member, into a
 *                 buffer allocated once: no base64, header, CRC32 or
 *                 allocation;
 *   hash-only     OpenSSL EVP_Digest over the document bytes with the
 *                 document's own algorithm (what idt_doc_digest computes),
 *                 its EVP_MD fetched once.
 * The pipeline's target is at most 1.5x inflate + hash.  bench/pipeline_peer.py
 * runs Python's standard library over the same annotations (target: at
 * least 20x slower than ours); bench/run.sh prints them side by side.
 *
 * Output per file: microseconds per document, best of R rounds (bench.h);
 * --raw prints "PIPELINE_US INFLATE_US HASH_US ALGORITHM DOCUMENT_BYTES" on
 * one line.
 */
#include "bench.h"

#include "initdata/codec.h"
#include "initdata/doc.h"

#include <libdeflate.h>
#include <openssl/evp.h>

/* One annotation and what the floors work on, prepared once. */
typedef struct job {
    const char *annotation;
    size_t annotation_len;
    unsigned char *gz;        /* the decoded gzip member */
    size_t deflate_at;        /* where its deflate data starts */
    size_t deflate_len;       /* and how long it is (without the trailer) */
    unsigned char *doc;       /* the document bytes */
    size_t doc_len;
    unsigned char *scratch;   /* inflate-only's output buffer */
    struct libdeflate_decompressor *inflater;
    EVP_MD *md;               /* fetched once, as a floor should */
} job;

static int pipeline_once(void *ctx)
{
    const job *j = ctx;
    unsigned char *bytes = NULL;
    size_t len = 0;
    idt_doc *doc = NULL;
    idt_digest d;
    idt_doc_options opts = IDT_DOC_OPTIONS_INIT;
    opts.borrow = true;
    int rc = idt_codec_decode(&bytes, &len, j->annotation, j->annotation_len, NULL, NULL);
    if (rc == IDT_OK)
        rc = idt_doc_parse(&doc, (const char *)bytes, len, &opts, NULL);
    if (rc == IDT_OK)
        rc = idt_doc_digest(&d, doc, NULL);
    idt_doc_free(doc);
    idt_free(bytes);
    return rc;
}

static int inflate_once(void *ctx)
{
    const job *j = ctx;
    size_t got = 0;
    enum libdeflate_result r = libdeflate_deflate_decompress(
        j->inflater, j->gz + j->deflate_at, j->deflate_len, j->scratch, j->doc_len, &got);
    return r != LIBDEFLATE_SUCCESS || got != j->doc_len;
}

static int hash_once(void *ctx)
{
    const job *j = ctx;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    return EVP_Digest(j->doc, j->doc_len, md, &n, j->md, NULL) != 1;
}

/* Microseconds per call: bench_measure over "1 byte" gives calls per
 * microsecond. */
static double us_per_call(bench_fn fn, void *ctx, const bench_opts *o)
{
    long iterations = 0;
    double per_us = bench_measure(fn, ctx, 1, o, &iterations);
    return per_us > 0 ? 1.0 / per_us : -1;
}

static int fail(const char *path, const char *what, const idt_error *err)
{
    char msg[IDT_ERROR_MESSAGE_MAX + 64] = "";
    if (err) {
        idt_error e = *err;
        e.source = path;
        idt_error_format(msg, sizeof msg, &e);
    }
    fprintf(stderr, "%s: %s%s%s\n", path, what, err ? ": " : "", msg);
    return -1;
}

/* Decodes the annotation once, checks that it is a valid document (timing
 * an error path would say nothing) and prepares the floors' inputs. */
static int prepare(job *j, const char *path, char **text)
{
    idt_error err = { 0 };
    *text = bench_read_file(path, &j->annotation_len);
    if (!*text)
        return -1;
    while (j->annotation_len && (*text)[j->annotation_len - 1] == '\n')
        j->annotation_len--;
    j->annotation = *text;
    if (idt_codec_decode(&j->doc, &j->doc_len, j->annotation, j->annotation_len, NULL, &err) < 0)
        return fail(path, "not an annotation", &err);
    idt_doc *doc = NULL;
    idt_digest d;
    if (idt_doc_parse(&doc, (const char *)j->doc, j->doc_len, NULL, &err) < 0 ||
        idt_doc_digest(&d, doc, &err) < 0) {
        idt_doc_free(doc);
        return fail(path, "not a valid document", &err);
    }
    j->md = EVP_MD_fetch(NULL, idt_digest_alg_name(d.alg), NULL);
    idt_doc_free(doc);

    /* base64 without the library: the floors must not share its code. */
    size_t cap = j->annotation_len / 4 * 3;
    j->gz = malloc(cap ? cap : 1);
    int n = j->gz ? EVP_DecodeBlock(j->gz, (const unsigned char *)j->annotation,
                                    (int)j->annotation_len)
                  : -1;
    if (n < 0)
        return fail(path, "EVP_DecodeBlock failed", NULL);
    /* EVP_DecodeBlock counts the '=' padding as zero bytes. */
    size_t gz_len = (size_t)n - (j->annotation[j->annotation_len - 1] == '=') -
                    (j->annotation[j->annotation_len - 2] == '=');
    /* Our encoder writes a 10-byte header without optional fields. */
    if (gz_len < 18 || j->gz[3] != 0)
        return fail(path, "expected a gzip member without header flags (initdata encode)",
                    NULL);
    j->deflate_at = 10;
    j->deflate_len = gz_len - 10 - 8;
    j->scratch = malloc(j->doc_len + 1);
    j->inflater = libdeflate_alloc_decompressor();
    if (!j->md || !j->scratch || !j->inflater)
        return fail(path, "out of memory or no OpenSSL digest", NULL);
    if (inflate_once(j) || hash_once(j))
        return fail(path, "inflate-only or hash-only failed", NULL);
    return 0;
}

static void release(job *j, char *text)
{
    libdeflate_free_decompressor(j->inflater);
    EVP_MD_free(j->md);
    free(j->scratch);
    free(j->gz);
    idt_free(j->doc);
    free(text);
}

static int bench_file(const char *path, const bench_opts *o)
{
    job j = { 0 };
    char *text = NULL;
    int rc = prepare(&j, path, &text);
    if (rc == 0) {
        double ours = us_per_call(pipeline_once, &j, o);
        double inflate = us_per_call(inflate_once, &j, o);
        double hash = us_per_call(hash_once, &j, o);
        const char *alg = EVP_MD_get0_name(j.md);
        if (ours < 0 || inflate < 0 || hash < 0) {
            rc = fail(path, "a measured run failed", NULL);
        } else if (o->raw) {
            printf("%.2f %.2f %.2f %s %zu\n", ours, inflate, hash, alg, j.doc_len);
        } else {
            const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
            printf("pipeline %s (%zu-byte annotation, %zu-byte document): %.1f us/doc; "
                   "inflate-only %.1f us, hash-only (%s) %.1f us; ours/(inflate+hash) %.2fx\n",
                   base, j.annotation_len, j.doc_len, ours, inflate, alg, hash,
                   ours / (inflate + hash));
        }
    }
    release(&j, text);
    return rc;
}

int main(int argc, char **argv)
{
    return bench_main(argc, argv, bench_file);
}
