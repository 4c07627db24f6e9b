/* test_prefilter — the keyword automaton against a naive case-insensitive search on random
 * text, over buffer sizes that cross lane and block borders (the lock-step lanes must
 * neither miss nor double-report a keyword across a border). */
#include "config.h"
#include "detect/detect_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tap.h"

static const char *const kws[] = {"he", "she", "his", "hers", "Sheer", "ltai", "x_y", "hhhhh"};
#define NKW (sizeof kws / sizeof *kws)

struct hits {
    size_t *start, *rule;
    size_t n, cap;
};

static void
on_hit(size_t start, size_t rule, void *user)
{
    struct hits *h = user;
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 1024;
        h->start = xrealloc(h->start, h->cap * sizeof *h->start);
        h->rule = xrealloc(h->rule, h->cap * sizeof *h->rule);
    }
    h->start[h->n] = start;
    h->rule[h->n++] = rule;
}

static int
pair_cmp(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Hits must come ordered by end offset; as a set of (start, rule) they must equal what a
 * naive search finds (which lists them by start, then keyword). */
static int
same_as_naive(const char *buf, size_t len, const struct hits *h, int *ordered)
{
    *ordered = 1;
    size_t *pairs = xmalloc((h->n + 1) * 2 * sizeof *pairs);
    for (size_t i = 0; i < h->n; i++) {
        pairs[2 * i] = h->start[i], pairs[2 * i + 1] = h->rule[i];
        if (i > 0 && h->start[i] + strlen(kws[h->rule[i]]) < h->start[i - 1] + strlen(kws[h->rule[i - 1]]))
            *ordered = 0;
    }
    qsort(pairs, h->n, 2 * sizeof *pairs, pair_cmp);
    size_t n = 0;
    int same = 1;
    for (size_t i = 0; i < len && same; i++)
        for (size_t k = 0; k < NKW && same; k++) {
            size_t m = strlen(kws[k]);
            if (i + m > len || strncasecmp(buf + i, kws[k], m) != 0)
                continue;
            same = n < h->n && pairs[2 * n] == i && pairs[2 * n + 1] == k;
            n++;
        }
    free(pairs);
    return same && n == h->n;
}

int
main(void)
{
    struct prefilter *pf = prefilter_new();
    for (size_t k = 0; k < NKW; k++)
        prefilter_add(pf, kws[k], k);
    prefilter_add(pf, "HE", 0); /* same keyword again, same rule: no double report */
    prefilter_build(pf);

    static const char alphabet[] = "hesirHESItlaLTAIx_y\n";
    static const size_t sizes[] = {0, 1, 5, 1023, 1024, 1025, 4099, 65536 * 4 - 1, 65536 * 4,
                                   65536 * 4 + 7, 600001};
    srand(42);
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t len = sizes[s];
        char *buf = xmalloc(len + 1);
        for (size_t i = 0; i < len; i++)
            buf[i] = alphabet[rand() % (int)(sizeof alphabet - 1)];
        struct hits h = {0};
        prefilter_scan(pf, buf, len, on_hit, &h);
        int ordered;

        ok(same_as_naive(buf, len, &h, &ordered), "random text of %zu bytes: same hits as naive search (%zu)",
           len, h.n);
        ok(ordered, "random text of %zu bytes: hits in order of end offset", len);
        free(h.start);
        free(h.rule);
        free(buf);
    }
    /* "sHeEr" repeated: keywords overlap every lane and block border (5 is prime to the
     * 64 KiB lane size), so a border that loses or repeats a hit shows here */
    size_t len = 600003;
    char *buf = xmalloc(len);
    for (size_t i = 0; i < len; i++)
        buf[i] = "sHeEr"[i % 5];
    struct hits h = {0};
    prefilter_scan(pf, buf, len, on_hit, &h);
    int ordered;
    ok(same_as_naive(buf, len, &h, &ordered) && ordered, "dense keywords across borders (%zu hits)", h.n);
    is_int(h.n, 3 * 120000 + 2, "dense keywords: she, he, sheer per period (+ she/he at the end)");
    free(h.start);
    free(h.rule);
    free(buf);
    prefilter_free(pf);
    return done_testing();
}
