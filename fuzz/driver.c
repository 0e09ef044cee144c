/*
 * driver.c - a main() for fuzz targets without libFuzzer.
 *
 * Linked with one fuzz_<X>.c into replay_<X>, it calls LLVMFuzzerTestOneInput
 * once on every file named on the command line and on every regular file
 * under every directory named (recursively, in name order so that runs are
 * repeatable).  The sanitizers of the build catch what the fuzzer would.
 * Each input is copied into a buffer of exactly its size, so a read past
 * the end is caught by ASan as it would be under libFuzzer.
 *
 * Prints "replay_<X>: N inputs" and exits 0 when every input ran; exits 1
 * on an unreadable file or argument.  A crash ends the program, after
 * naming the input that caused it.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as under libFuzzer. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Inputs larger than this are not fuzz inputs; refuse rather than load. */
#define MAX_INPUT ((size_t)64 << 20)

static int run_path(const char *path, size_t *count);

/* The input being run, named by the crash handlers below. */
static const char *current_input;

/* Sanitizers end the process through their own exit path, not a signal;
 * this hook (present when linked with a sanitizer runtime) runs first. */
__attribute__((weak)) void __sanitizer_set_death_callback(void (*callback)(void));

static void name_current_input(void)
{
    static const char prefix[] = "crash on input: ";
    if (!current_input)
        return;
    /* write(2) only: this may run in a signal handler. */
    if (write(STDERR_FILENO, prefix, sizeof prefix - 1) < 0 ||
        write(STDERR_FILENO, current_input, strlen(current_input)) < 0 ||
        write(STDERR_FILENO, "\n", 1) < 0)
        return;
}

static void on_fatal_signal(int sig)
{
    name_current_input();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_crash_handlers(void)
{
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(name_current_input);
    signal(SIGABRT, on_fatal_signal);
    signal(SIGSEGV, on_fatal_signal);
    signal(SIGBUS, on_fatal_signal);
    signal(SIGFPE, on_fatal_signal);
}

static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || cap >= MAX_INPUT)
            break;
        uint8_t *grown = realloc(buf, cap * 2);
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    int bad = !buf || ferror(f) || (n == cap && fgetc(f) != EOF);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    /* Exact-size copy; malloc(0) may return NULL, so keep one byte. */
    *out = malloc(n ? n : 1);
    if (*out)
        memcpy(*out, buf, n);
    free(buf);
    *len = n;
    return *out ? 0 : -1;
}

static int run_file(const char *path, size_t *count)
{
    uint8_t *data;
    size_t len;
    if (read_file(path, &data, &len) < 0) {
        fprintf(stderr, "%s: cannot read (or larger than %zu bytes)\n", path, MAX_INPUT);
        return -1;
    }
    current_input = path;
    LLVMFuzzerTestOneInput(data, len);
    current_input = NULL;
    free(data);
    ++*count;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the entry names of dir, sorted; *n set to their count. */
static char **list_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t cap = 64;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    *n = 0;
    while (names && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (*n == cap) {
            char **grown = realloc(names, 2 * cap * sizeof *names);
            if (!grown)
                break;
            names = grown;
            cap *= 2;
        }
        if (!(names[*n] = strdup(e->d_name)))
            break;
        ++*n;
    }
    int failed = !names || e != NULL;
    closedir(d);
    if (failed) {
        for (size_t i = 0; names && i < *n; i++)
            free(names[i]);
        free(names);
        return NULL;
    }
    qsort(names, *n, sizeof *names, compare_names);
    return names;
}

static int run_dir(const char *dir, size_t *count)
{
    size_t n;
    char **names = list_dir(dir, &n);
    if (!names) {
        fprintf(stderr, "%s: cannot list: %s\n", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        size_t plen = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(plen);
        if (path)
            snprintf(path, plen, "%s/%s", dir, names[i]);
        if (!path || run_path(path, count) < 0)
            rc = -1;
        free(path);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int run_path(const char *path, size_t *count)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return run_dir(path, count);
    return S_ISREG(st.st_mode) ? run_file(path, count) : 0;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", name);
        return 2;
    }
    install_crash_handlers();
    size_t count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], &count) < 0)
            rc = 1;
    printf("%s: %zu inputs%s\n", name, count, rc ? " (some could not be read)" : "");
    return rc;
}
