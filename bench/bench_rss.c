/*
 * bench_rss.c - the peak resident set size of one command.
 *
 *   bench_rss RSS_FILE COMMAND [ARG...]
 *
 * Runs COMMAND (its standard streams are ours), waits for it, writes its
 * ru_maxrss (KiB on Linux) to RSS_FILE and exits with its status.  Not a
 * benchmark but the "tiny wrapper" bench/rss_decode.py measures through:
 * a child's ru_maxrss also counts the memory it had before exec, which for
 * a child of Python is Python's own ~15 MiB; forked from this small program
 * the child starts from almost nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s RSS_FILE COMMAND [ARG...]\n", argv[0]);
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 126;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    /* The only child, so RUSAGE_CHILDREN is its own usage (POSIX, where
     * wait4 is not). */
    int status = 0;
    struct rusage ru;
    if (waitpid(pid, &status, 0) != pid || getrusage(RUSAGE_CHILDREN, &ru) != 0) {
        perror("waitpid");
        return 126;
    }
    FILE *f = fopen(argv[1], "w");
    if (!f || fprintf(f, "%ld\n", ru.ru_maxrss) < 0 || fclose(f) != 0) {
        perror(argv[1]);
        return 126;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
