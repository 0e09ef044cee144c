/*
 * bench.h - what every bench/bench_<thing>.c shares: reading an input,
 * timing a callback, and the common command line.
 *
 * A measurement is "best of R rounds": each round runs the callback N times
 * back to back and is timed with CLOCK_MONOTONIC; N is chosen first so that
 * one round lasts at least min_round_ms, which keeps timer resolution and
 * noise small next to the work.  The best round is the one least disturbed
 * by the rest of the machine.  Throughput is input bytes per second, in MB
 * (10^6 bytes), as the Python peers report it.
 *
 * Header-only (static functions) so that each benchmark stays one file.
 */
#ifndef IDT_BENCH_H
#define IDT_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Command line shared by the benchmarks and their Python peers:
 *   [--rounds R] [--min-round-ms MS] [--raw] FILE...
 * --raw prints only the MB/s figure, one line per file, for bench/run.sh. */
typedef struct bench_opts {
    int rounds;
    double min_round_ms;
    int raw;
    int first_file; /* argv index of the first FILE */
} bench_opts;

/* The callback runs the measured work once; nonzero means it failed. */
typedef int (*bench_fn)(void *ctx);

static inline double bench_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int bench_parse_args(bench_opts *o, int argc, char **argv)
{
    o->rounds = 5;
    o->min_round_ms = 200;
    o->raw = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--raw")) {
            o->raw = 1;
        } else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
            o->rounds = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--min-round-ms") && i + 1 < argc) {
            o->min_round_ms = atof(argv[++i]);
        } else {
            break;
        }
    }
    if (i >= argc || argv[i][0] == '-' || o->rounds < 1 || o->min_round_ms < 0) {
        fprintf(stderr, "usage: %s [--rounds R] [--min-round-ms MS] [--raw] FILE...\n", argv[0]);
        return -1;
    }
    o->first_file = i;
    return 0;
}

/* Reads a whole file into a malloc'd buffer; NULL (with a message) on error. */
static inline char *bench_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
        buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    if (!buf) {
        fprintf(stderr, "%s: cannot read\n", path);
        return NULL;
    }
    *len = (size_t)size;
    return buf;
}

/* Runs fn `iterations` times; returns the seconds taken, or -1 on failure. */
static inline double bench_round(bench_fn fn, void *ctx, long iterations)
{
    double t0 = bench_now_s();
    for (long i = 0; i < iterations; i++)
        if (fn(ctx) != 0)
            return -1;
    return bench_now_s() - t0;
}

/*
 * Measures fn over `bytes` of input.  Returns the best throughput in MB/s
 * (or -1 if fn failed) and stores the iterations per round in *iterations.
 */
static inline double bench_measure(bench_fn fn, void *ctx, size_t bytes,
                                   const bench_opts *o, long *iterations)
{
    long n = 1;
    double t;
    /* Calibrate: double n until one round is long enough. */
    while ((t = bench_round(fn, ctx, n)) >= 0 && t * 1e3 < o->min_round_ms && n < (1L << 30))
        n *= 2;
    double best = t;
    for (int r = 0; r < o->rounds && best >= 0; r++) {
        t = bench_round(fn, ctx, n);
        if (t < 0)
            return -1;
        if (t < best)
            best = t;
    }
    *iterations = n;
    if (best < 0)
        return -1;
    return best > 0 ? (double)bytes * (double)n / best / 1e6 : 0;
}

static inline void bench_report(const char *bench, const char *file, size_t bytes,
                                double mbps, const bench_opts *o, long iterations)
{
    if (o->raw) {
        printf("%.1f\n", mbps);
        return;
    }
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    printf("%s %s: %.1f MB/s (%zu bytes, best of %d rounds of %ld)\n", bench, base, mbps, bytes,
           o->rounds, iterations);
}

/* A benchmark's main(): parses the command line, runs one_file on every
 * FILE; exits 2 on a bad command line, 1 when a file failed, else 0. */
static inline int bench_main(int argc, char **argv,
                             int (*one_file)(const char *path, const bench_opts *o))
{
    bench_opts o;
    if (bench_parse_args(&o, argc, argv) < 0)
        return 2;
    int status = 0;
    for (int i = o.first_file; i < argc; i++)
        if (one_file(argv[i], &o) < 0)
            status = 1;
    return status;
}

#endif /* IDT_BENCH_H */
