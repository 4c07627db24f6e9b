/* store_bench — build a store of N leaks (default 1,000,000) through store_record and time
 * what the TUI and CLI do on it: counts, pages at offset 0 and deep, AK ID prefix search,
 * text search, stats. Run by hand (not part of make check):
 *     tests/bench/store_bench [DB_PATH [N]]
 * An existing store at DB_PATH with N leaks is reused, so timings can be re-run. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "store/store.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t
next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
die(const char *what, const struct akw_err *err)
{
    fprintf(stderr, "store_bench: %s: %s\n", what, err->msg);
    exit(1);
}

static void
random_ak(int i, char *out, size_t n)
{
    static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    int family = i % 10;
    if (family >= 8) { /* 20 % without AK ID (passwords, database URLs) */
        out[0] = '\0';
        return;
    }
    const char *prefix = family < 6 ? "LTAI5t" : "AKIA";
    size_t len = family < 6 ? 24 : 20, p = strlen(prefix);
    memcpy(out, prefix, p);
    for (; p < len && p < n - 1; p++)
        out[p] = b62[next_rand() % 62];
    out[p] = '\0';
}

static void
build(struct store *st, long n)
{
    struct akw_err err = {0};
    double t0 = now_ms(), c0 = cpu_ms();
    time_t base = 1735689600; /* 2025-01-01 */
    char ak[32], fp[65], repo[64], path[96];
    for (long i = 0; i < n; i++) {
        if (i % 10000 == 0 && store_begin(st, &err) != AKW_OK)
            die("begin", &err);
        random_ak((int)i, ak, sizeof ak);
        snprintf(fp, sizeof fp, "%016llx%016llx%016llx%016llx",
                 (unsigned long long)next_rand(), (unsigned long long)next_rand(),
                 (unsigned long long)next_rand(), (unsigned long long)i);
        snprintf(repo, sizeof repo, "org%llu/repo%llu", (unsigned long long)(next_rand() % 5000),
                 (unsigned long long)(next_rand() % 100));
        snprintf(path, sizeof path, "src/module%llu/application-%ld.properties",
                 (unsigned long long)(next_rand() % 300), i % 1000);
        struct leak l = {0};
        memcpy(l.fingerprint, fp, sizeof l.fingerprint);
        l.rule = (char *)(ak[0] ? "alibaba-access-key" : "db-password");
        l.kind = (char *)(ak[0] ? "cloud-ak" : "db-password");
        l.description = (char *)"benchmark finding";
        l.ak_id = ak[0] ? ak : NULL;
        l.secret_masked = (char *)"LTAI5t****************1a2B";
        l.severity = (enum severity)(1 + next_rand() % 4);
        l.first_seen = base + (time_t)(next_rand() % (2 * 365 * 86400));
        struct location loc = {0};
        loc.platform = (char *)"github";
        loc.repo = repo;
        loc.path = path;
        loc.line = (long)(1 + next_rand() % 400);
        loc.column = 9;
        loc.commit = fp + 24;
        loc.found_at = l.first_seen;
        loc.snippet = (char *)"accessKeyId = LTAI5t****************1a2B";
        struct store_record_result r;
        if (store_record(st, &l, &loc, &r, &err) != AKW_OK)
            die("record", &err);
        /* 25 % handled, 3 % whitelisted (by fingerprint: those have no AK ID) */
        int roll = (int)(next_rand() % 100);
        enum triage_action a = roll < 25                ? TRIAGE_DELETED
                               : roll < 28 && !ak[0] ? TRIAGE_WHITELISTED
                                                     : 0;
        if (a && store_handle(st, r.leak_id, a, NULL, "bench", &err) != AKW_OK)
            die("handle", &err);
        if (i % 10000 == 9999 || i == n - 1) {
            if (store_commit(st, &err) != AKW_OK)
                die("commit", &err);
            if (i % 100000 == 99999)
                fprintf(stderr, "  %ld recorded, %.0f findings/s\n", i + 1,
                        (i + 1) / ((now_ms() - t0) / 1e3));
        }
    }
    double ms = now_ms() - t0, cms = cpu_ms() - c0;
    printf("build: %ld findings recorded in %.1f s wall, %.1f s CPU = %.0f findings/s wall, "
           "%.0f per CPU second (batches of 10000; 25%% also triaged)\n",
           n, ms / 1e3, cms / 1e3, n / (ms / 1e3), n / (cms / 1e3));
}

/* What a scan does to a big store: 10000 findings dated now, committed every 100. A
 * re-run finds the same ones again (fingerprints are fixed): then it measures re-sightings. */
static void
incremental(struct store *st)
{
    struct akw_err err = {0};
    double t0 = now_ms(), c0 = cpu_ms();
    long fresh = 0;
    char ak[32], fp[65], path[64];
    for (int i = 0; i < 10000; i++) {
        if (i % 100 == 0 && store_begin(st, &err) != AKW_OK)
            die("begin", &err);
        random_ak(i, ak, sizeof ak);
        snprintf(fp, sizeof fp, "incremental-%08d", i);
        snprintf(path, sizeof path, "deploy/env-%d/application.yml", i);
        struct leak l = {0};
        memcpy(l.fingerprint, fp, strlen(fp) + 1);
        l.rule = (char *)"alibaba-access-key";
        l.kind = (char *)"cloud-ak";
        l.ak_id = ak[0] ? ak : NULL;
        l.secret_masked = (char *)"LTAI5t****************1a2B";
        l.severity = SEVERITY_HIGH;
        struct location loc = {0};
        loc.platform = (char *)"github";
        loc.repo = (char *)"acme/incoming";
        loc.path = path;
        loc.line = 3;
        struct store_record_result r;
        if (store_record(st, &l, &loc, &r, &err) != AKW_OK)
            die("record", &err);
        fresh += r.new_leak;
        if (i % 100 == 99 && store_commit(st, &err) != AKW_OK)
            die("commit", &err);
    }
    double ms = now_ms() - t0, cms = cpu_ms() - c0;
    printf("incremental: 10000 findings (%ld new) into the big store, commits of 100: "
           "%.0f findings/s wall, %.0f per CPU second\n",
           fresh, 10000 / (ms / 1e3), 10000 / (cms / 1e3));
}

#define REPEAT 5

/* Median of REPEAT runs of fn (wall time returned, CPU time in last_cpu). */
typedef void (*bench_fn)(struct store *st, const void *arg);

static double last_cpu; /* CPU ms of the last timed() or timed_once() */

static void
sort_runs(double *t)
{
    for (int i = 0; i < REPEAT; i++)
        for (int j = i + 1; j < REPEAT; j++)
            if (t[j] < t[i]) {
                double x = t[i];
                t[i] = t[j];
                t[j] = x;
            }
}

static double
timed(struct store *st, bench_fn fn, const void *arg)
{
    double t[REPEAT], c[REPEAT];
    for (int r = 0; r < REPEAT; r++) {
        double t0 = now_ms(), c0 = cpu_ms();
        fn(st, arg);
        t[r] = now_ms() - t0;
        c[r] = cpu_ms() - c0;
    }
    sort_runs(t);
    sort_runs(c);
    last_cpu = c[REPEAT / 2];
    return t[REPEAT / 2];
}

struct page_arg {
    struct leak_filter f;
    long offset, limit;
};

static long last_result;

static void
do_count(struct store *st, const void *arg)
{
    struct akw_err err = {0};
    if (store_leak_count(st, arg, &last_result, &err) != AKW_OK)
        die("count", &err);
}

static void
do_page(struct store *st, const void *arg)
{
    const struct page_arg *p = arg;
    struct leak out[100];
    size_t n = 0;
    struct akw_err err = {0};
    if (store_leak_page(st, &p->f, p->offset, p->limit, out, &n, &err) != AKW_OK)
        die("page", &err);
    last_result = (long)n;
    for (size_t i = 0; i < n; i++)
        leak_done(&out[i]);
}

static void
do_stats(struct store *st, const void *arg)
{
    (void)arg;
    struct store_stats s;
    struct akw_err err = {0};
    if (store_stats_get(st, &s, &err) != AKW_OK)
        die("stats", &err);
    last_result = s.leaks;
}

/* Scroll: 100 consecutive pages of 50 from the offset, as holding PgDn does. */
static void
do_scroll(struct store *st, const void *arg)
{
    struct page_arg p = *(const struct page_arg *)arg;
    long total = 0;
    for (int i = 0; i < 100; i++, p.offset += p.limit) {
        do_page(st, &p);
        total += last_result;
    }
    last_result = total;
}

/* One run, for searches whose later runs hit the cache: invalidate it first. */
static double
timed_once(struct store *st, bench_fn fn, const void *arg)
{
    /* another list replaces what the connection remembers about this one */
    struct page_arg other = {{1 << LEAK_STATUS_WHITELISTED, NULL, NULL, LEAK_SORT_TIME, 0}, 0, 1};
    do_page(st, &other);
    double t0 = now_ms(), c0 = cpu_ms();
    fn(st, arg);
    last_cpu = cpu_ms() - c0;
    return now_ms() - t0;
}

static void
row(const char *what, double ms)
{
    printf("  %-64s %9.2f ms %9.2f ms  (%ld)\n", what, ms, last_cpu, last_result);
}

/* An AK ID from the store to search for: the first page's first AK ID. */
static void
pick_ak(struct store *st, char *out, size_t n)
{
    struct leak_filter f = {0, "LTAI5t", NULL, LEAK_SORT_TIME, 0};
    struct leak l[1];
    size_t got = 0;
    struct akw_err err = {0};
    out[0] = '\0';
    if (store_leak_page(st, &f, 0, 1, l, &got, &err) == AKW_OK && got == 1) {
        snprintf(out, n, "%s", l[0].ak_id);
        leak_done(&l[0]);
    }
}

int
main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/tmp/akw-store-bench/bench.db";
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    struct store *st = NULL;
    struct akw_err err = {0};
    double t0 = now_ms();
    if (store_open(path, 0, &st, &err) != AKW_OK)
        die("open", &err);
    printf("store_bench: %s, %ld leaks wanted (open %.1f ms)\n", path, n, now_ms() - t0);
    struct leak_filter all = {0, NULL, NULL, LEAK_SORT_TIME, 0};
    long have = 0;
    if (store_leak_count(st, &all, &have, &err) != AKW_OK)
        die("count", &err);
    if (have == 0)
        build(st, n);
    else
        printf("reusing the store (%ld leaks)\n", have);
    incremental(st);
    store_close(st); /* PRAGMA optimize on close, as every session does */
    if (store_open(path, 0, &st, &err) != AKW_OK)
        die("re-open", &err);

    int unh = 1 << LEAK_STATUS_UNHANDLED;
    int hw = (1 << LEAK_STATUS_HANDLED) | (1 << LEAK_STATUS_WHITELISTED);
    char ak[32], ak10[16], ak_lower[16];
    pick_ak(st, ak, sizeof ak);
    snprintf(ak10, sizeof ak10, "%.10s", ak);
    for (size_t i = 0; i <= strlen(ak10); i++)
        ak_lower[i] = (char)(ak10[i] >= 'A' && ak10[i] <= 'Z' ? ak10[i] + 32 : ak10[i]);

    printf("median of %d runs unless 'first'; wall, CPU; (n) = rows counted or returned\n",
           REPEAT);
    char label[128];
    struct leak_filter f_unh = {unh, NULL, NULL, LEAK_SORT_TIME, 0};
    struct leak_filter f_hw = {hw, NULL, NULL, LEAK_SORT_TIME, 0};
    row("count: all", timed(st, do_count, &all));
    row("count: unhandled", timed(st, do_count, &f_unh));
    row("count: handled + whitelisted", timed(st, do_count, &f_hw));
    row("stats (header line)", timed(st, do_stats, NULL));

    /* clang-format off */
    const enum leak_sort T = LEAK_SORT_TIME, S = LEAK_SORT_SEVERITY;
    struct { const char *what; struct page_arg a; } pages[] = {
        {"page 50 @ 0: all, by time",               {{0, NULL, NULL, T, 0}, 0, 50}},
        {"page 50 @ 0: unhandled, by time",         {{unh, NULL, NULL, T, 0}, 0, 50}},
        {"page 50 @ 0: unhandled, by severity",     {{unh, NULL, NULL, S, 0}, 0, 50}},
        {"page 50 @ 0: handled + whitelisted",      {{hw, NULL, NULL, T, 0}, 0, 50}},
        {"page 50 @ 900000: all, by time",          {{0, NULL, NULL, T, 0}, 900000, 50}},
        {"page 50 @ 900000: all, by severity",      {{0, NULL, NULL, S, 0}, 900000, 50}},
        {"page 50 @ 600000: unhandled, by time",    {{unh, NULL, NULL, T, 0}, 600000, 50}},
        {"page 50 @ 200000: handled + whitelisted", {{hw, NULL, NULL, T, 0}, 200000, 50}},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        snprintf(label, sizeof label, "%s, first visit", pages[i].what);
        row(label, timed_once(st, do_page, &pages[i].a));
        snprintf(label, sizeof label, "%s, again", pages[i].what);
        row(label, timed(st, do_page, &pages[i].a));
    }

    struct page_arg scroll0 = {{unh, NULL, NULL, LEAK_SORT_TIME, 0}, 0, 50};
    struct page_arg scroll_deep = {{0, NULL, NULL, LEAK_SORT_TIME, 0}, 800000, 50};
    row("scroll 100 pages of 50 from 0 (unhandled), first visit",
        timed_once(st, do_scroll, &scroll0));
    row("scroll 100 pages of 50 from 800000 (all), first visit",
        timed_once(st, do_scroll, &scroll_deep));
    struct page_arg last = {{0, NULL, NULL, LEAK_SORT_SEVERITY, 0}, 0, 50};
    long total = 0;
    store_leak_count(st, &last.f, &total, NULL);
    last.offset = total - 50;
    row("last page (G): all, by severity, first visit", timed_once(st, do_page, &last));

    struct leak_filter f_ak = {0, ak10, NULL, LEAK_SORT_TIME, 0};
    struct leak_filter f_akl = {unh, ak_lower, NULL, LEAK_SORT_SEVERITY, 0};
    struct leak_filter f_ak_broad = {unh, "ltai5t", NULL, LEAK_SORT_TIME, 0};
    struct leak_filter f_text = {0, NULL, "org42/", LEAK_SORT_TIME, 0};
    struct leak_filter f_text_path = {unh, NULL, "module7/application-99.", LEAK_SORT_TIME, 0};
    snprintf(label, sizeof label, "AK prefix count: %s", ak10);
    row(label, timed_once(st, do_count, &f_ak));
    struct page_arg p_ak = {f_ak, 0, 50}, p_akl = {f_akl, 0, 50}, p_akb = {f_ak_broad, 0, 50};
    snprintf(label, sizeof label, "AK prefix page 50 @ 0: %s, first", ak10);
    row(label, timed_once(st, do_page, &p_ak));
    snprintf(label, sizeof label, "AK prefix page (lower case, unhandled, severity): %s, first",
             ak_lower);
    row(label, timed_once(st, do_page, &p_akl));
    row("AK prefix count: ltai5t (60 % of rows), unhandled (first run)",
        timed_once(st, do_count, &f_ak_broad));
    row("AK prefix page 50 @ 0: ltai5t, unhandled (cached)", timed(st, do_page, &p_akb));
    struct page_arg p_text = {f_text, 0, 50}, p_text_path = {f_text_path, 0, 50};
    row("text count: 'org42/' (first run; then cached)", timed_once(st, do_count, &f_text));
    row("text page 50 @ 0: 'org42/' (cached)", timed(st, do_page, &p_text));
    row("text page 50 @ 0: 'module7/application-99.' unhandled (first run)",
        timed_once(st, do_page, &p_text_path));

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.1f MB\n", ru.ru_maxrss / 1024.0);
    store_close(st);
    return 0;
}
