/*
 * bench_toml_parse.c - idt_toml_parse throughput.
 *
 *   bench_toml_parse [--rounds R] [--min-round-ms MS] [--raw] FILE...
 *
 * For each file: parse it once (a file that does not parse is an error:
 * timing the error path would say nothing), then time parse + free, best
 * of R rounds (bench.h), and print MB/s.  Next to it, in the same run,
 * its floor: OpenSSL's SHA-256 of the same bytes (the one pass over them
 * that no consumer can skip), and the peak RSS of this process.
 * bench/toml_peer.py measures Python's tomllib the same way on the same
 * files; bench/run.sh prints them side by side.  --raw prints
 * "PARSE_MBPS HASH_MBPS PEAK_RSS_KIB".
 */
#include "bench.h"

#include "initdata/toml.h"

#include <openssl/evp.h>
#include <sys/resource.h>

typedef struct parse_job {
    const char *text;
    size_t len;
} parse_job;

static int parse_once(void *ctx)
{
    const parse_job *job = ctx;
    idt_toml_doc *doc;
    int rc = idt_toml_parse(&doc, job->text, job->len, NULL, NULL);
    idt_toml_doc_free(doc);
    return rc;
}

static int hash_once(void *ctx)
{
    const parse_job *job = ctx;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    return EVP_Digest(job->text, job->len, md, &n, EVP_sha256(), NULL) != 1;
}

static int bench_file(const char *path, const bench_opts *o)
{
    parse_job job;
    char *text = bench_read_file(path, &job.len);
    if (!text)
        return -1;
    job.text = text;

    idt_toml_doc *doc;
    idt_error err;
    int rc = idt_toml_parse(&doc, job.text, job.len, NULL, &err);
    if (rc != IDT_OK) {
        char msg[IDT_ERROR_MESSAGE_MAX + 64];
        err.source = path;
        idt_error_format(msg, sizeof msg, &err);
        fprintf(stderr, "%s\n", msg);
        free(text);
        return -1;
    }
    idt_toml_doc_free(doc);

    long iterations = 0, hash_iterations = 0;
    double mbps = bench_measure(parse_once, &job, job.len, o, &iterations);
    double hash = bench_measure(hash_once, &job, job.len, o, &hash_iterations);
    free(text);
    if (mbps < 0 || hash < 0)
        return -1;
    struct rusage ru;
    long rss = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
    if (o->raw) {
        printf("%.1f %.1f %ld\n", mbps, hash, rss);
        return 0;
    }
    bench_report("toml_parse", path, job.len, mbps, o, iterations);
    printf("  floor: SHA-256 of the same bytes %.1f MB/s (parse/hash time %.2fx); "
           "peak RSS %ld KiB\n", hash, hash / mbps, rss);
    return 0;
}

int main(int argc, char **argv)
{
    return bench_main(argc, argv, bench_file);
}
