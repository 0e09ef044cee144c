/*
 * bench_process.c - whole-process wall time and peak RSS of commands,
 * taken in turns.
 *
 *   bench_process [--runs N] OUT_DIR -- COMMAND_A... [-- COMMAND_B...]...
 *
 * Runs each COMMAND N times (default 15), round-robin (A, B, A, B, ...),
 * so that a change in the machine's load hits all of them alike; each
 * run's standard output goes to OUT_DIR/process.<k>.out (a regular file,
 * never a device) and is compared with the first run's, so a run that
 * failed or printed something else cannot pass for a fast one.  Prints,
 * per command, one line:
 *
 *   MEDIAN_MS MIN_MS MAX_RSS_KIB
 *
 * the median and the fastest wall time of the N runs (CLOCK_MONOTONIC
 * around fork and wait), and the largest ru_maxrss of a run (wait4's
 * usage of that child alone).  A command that exits non-zero fails the
 * benchmark (exit 1).  bench/run.sh uses it for `initdata digest` against
 * `openssl dgst`.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_COMMANDS 8
#define MAX_RUNS 1001

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Runs argv once with stdout to out_path; returns its wall time in ms
 * (-1 on failure) and stores its peak RSS. */
static double run_once(char **argv, const char *out_path, long *rss_kib)
{
    int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        perror(out_path);
        return -1;
    }
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        close(fd);
        return -1;
    }
    if (pid == 0) {
        dup2(fd, STDOUT_FILENO);
        execvp(argv[0], argv);
        perror(argv[0]);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    pid_t got = wait4(pid, &status, 0, &ru);
    double t = now_ms() - t0;
    close(fd);
    if (got != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_process: %s failed (status %d)\n", argv[0], status);
        return -1;
    }
    *rss_kib = ru.ru_maxrss;
    return t;
}

/* Whether two files have the same bytes. */
static int same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = getc(fa), cb = getc(fb);
        if (ca != cb)
            same = 0;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

int main(int argc, char **argv)
{
    int runs = 15, i = 1;
    if (i + 1 < argc && !strcmp(argv[i], "--runs")) {
        runs = atoi(argv[i + 1]);
        i += 2;
    }
    if (i + 2 >= argc || strcmp(argv[i + 1], "--") || runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: %s [--runs N] OUT_DIR -- COMMAND... [-- COMMAND...]...\n",
                argv[0]);
        return 2;
    }
    const char *dir = argv[i];
    char **cmd[MAX_COMMANDS];
    int ncmd = 0;
    for (int k = i + 1; k < argc; k++) {
        if (strcmp(argv[k], "--"))
            continue;
        argv[k] = NULL; /* ends the previous command */
        if (k + 1 < argc && ncmd < MAX_COMMANDS)
            cmd[ncmd++] = &argv[k + 1];
    }
    static double ms[MAX_COMMANDS][MAX_RUNS];
    long rss[MAX_COMMANDS] = { 0 };
    char first[MAX_COMMANDS][4096], path[4096];
    for (int r = 0; r < runs; r++)
        for (int c = 0; c < ncmd; c++) {
            long kib = 0;
            snprintf(path, sizeof path, "%s/process.%d.out", dir, c);
            if (r == 0)
                snprintf(first[c], sizeof first[c], "%s/process.%d.first", dir, c);
            ms[c][r] = run_once(cmd[c], r == 0 ? first[c] : path, &kib);
            if (ms[c][r] < 0 || (r > 0 && !same_file(first[c], path))) {
                fprintf(stderr, "bench_process: %s: run %d failed or printed something else\n",
                        cmd[c][0], r + 1);
                return 1;
            }
            if (kib > rss[c])
                rss[c] = kib;
        }
    for (int c = 0; c < ncmd; c++) {
        qsort(ms[c], (size_t)runs, sizeof ms[c][0], cmp_double);
        double median = runs % 2 ? ms[c][runs / 2] : (ms[c][runs / 2 - 1] + ms[c][runs / 2]) / 2;
        printf("%.2f %.2f %ld\n", median, ms[c][0], rss[c]);
    }
    return 0;
}
