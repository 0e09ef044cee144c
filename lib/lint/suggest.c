/* "Did you mean": the closest known name to a misspelt one (lint_int.h).
 * Optimal string alignment distance (Levenshtein plus transposition of
 * neighbours), case-insensitive, on names of at most MAX_NAME bytes: the
 * names compared are config keys and Rego rule names. */
#include "lint/lint_int.h"

#include <string.h>

#define MAX_NAME 64

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* The distance between a[0..n) and b[0..m), both at most MAX_NAME. */
static size_t distance(const char *a, size_t n, const char *b, size_t m)
{
    /* Three rows: the one before last (for transpositions), last, current. */
    size_t rows[3][MAX_NAME + 1];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++)
        prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        unsigned char ai = fold((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= m; j++) {
            unsigned char bj = fold((unsigned char)b[j - 1]);
            size_t cost = ai != bj;
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && ai == fold((unsigned char)b[j - 2]) &&
                fold((unsigned char)a[i - 2]) == bj && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
}

size_t idt_lint__typo_budget(size_t len)
{
    return len <= 4 ? 1 : len <= 10 ? 2 : 3;
}

int idt_lint__closest(const char *name, size_t len, const char *const *candidates, size_t n,
                      size_t max_distance)
{
    if (len > MAX_NAME)
        return -1;
    int best = -1;
    size_t best_d = max_distance + 1;
    for (size_t i = 0; i < n; i++) {
        size_t m = strlen(candidates[i]);
        if (m > MAX_NAME || (m > len ? m - len : len - m) >= best_d)
            continue; /* the length difference alone is too far */
        size_t d = distance(name, len, candidates[i], m);
        if (d < best_d) {
            best_d = d;
            best = (int)i;
        }
    }
    return best;
}
