/*
 * bench_toml_parse.c - idt_toml_parse throughput.
 *
 *   bench_toml_parse [--rounds R] [--min-round-ms MS] [--raw] FILE...
 *
 * For each file: parse it once (a file that does not parse is an error:
 * timing the error path would say nothing), then time parse + free, best
 * of R rounds (bench.h), and print MB/s.  bench/toml_peer.py measures
 * Python's tomllib the same way on the same files; bench/run.sh prints the
 * two side by side.
 */
#include "bench.h"

#include "initdata/toml.h"

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

    long iterations = 0;
    double mbps = bench_measure(parse_once, &job, job.len, o, &iterations);
    free(text);
    if (mbps < 0)
        return -1;
    bench_report("toml_parse", path, job.len, mbps, o, iterations);
    return 0;
}

int main(int argc, char **argv)
{
    return bench_main(argc, argv, bench_file);
}
