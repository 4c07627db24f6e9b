/* Tests for listing: count and pages under every filter (status mask, AK ID prefix in any
 * case, text) and both sorts, on a few hundred leaks, against ids worked out independently
 * by a plain model of the rows; and foreach. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>

#include "fixture.h"
#include "tap.h"

/* findings per half of test_counts_fold: over the store's fold threshold (2000) */
#define STORE_FOLD_ROWS_TEST 2200

#define N_ROWS 300

/* What the test believes each leak is. */
struct model {
    int64_t id;
    char ak[32]; /* "" = none */
    char repo[32], path[32];
    int severity, status;
    long first_seen;
    const char *verified; /* NULL = never checked */
};

static struct model rows[N_ROWS];
static struct store *st;
static struct akw_err err;

/* Row i (1-based): three AK ID families and none, severities 1..4, first_seen values with
 * many ties (so the id tie-break matters), statuses set afterwards through triage. */
static void
model_row(int i, struct model *m)
{
    memset(m, 0, sizeof *m);
    switch (i % 4) {
    case 0: snprintf(m->ak, sizeof m->ak, "LTAI5tAbc%04d", i); break;
    case 1: snprintf(m->ak, sizeof m->ak, "AKIAQ%04dXYZ", i); break;
    case 2: snprintf(m->ak, sizeof m->ak, "ltai4Lower%04d", i); break;
    default: break;
    }
    snprintf(m->repo, sizeof m->repo, "org%d/svc-%s", i % 5, i % 2 ? "api" : "web");
    snprintf(m->path, sizeof m->path, "src/conf_%03d.yml", i);
    m->severity = 1 + (i * 7) % 4;
    m->first_seen = 100000 + (i * 13) % 37;
    m->status = LEAK_STATUS_UNHANDLED;
}

static void
build(void)
{
    int good = 1;
    ok(store_begin(st, &err) == AKW_OK, "batch begin");
    for (int i = 1; i <= N_ROWS; i++) {
        struct model *m = &rows[i - 1];
        model_row(i, m);
        char fp[32];
        snprintf(fp, sizeof fp, "fp-page-%04d", i);
        struct leak l;
        struct location loc;
        fx_leak(&l, fp, m->ak[0] ? m->ak : NULL, (enum severity)m->severity, m->first_seen);
        fx_loc(&loc, m->repo, m->path, i, "c0", m->first_seen);
        struct store_record_result r;
        if (store_record(st, &l, &loc, &r, &err) != AKW_OK)
            good = 0;
        m->id = r.leak_id;
    }
    ok(store_commit(st, &err) == AKW_OK, "batch commit");
    ok(good, "recorded %d leaks (%s)", N_ROWS, err.msg);
    /* statuses: every 5th deleted, every 7th (not 5th) whitelisted by its fingerprint
     * (leaks without AK ID) or by handle on an AK-less row */
    for (int i = 1; i <= N_ROWS; i++) {
        struct model *m = &rows[i - 1];
        enum triage_action a = 0;
        if (i % 5 == 0)
            a = TRIAGE_DELETED;
        else if (i % 7 == 0 && !m->ak[0])
            a = TRIAGE_WHITELISTED;
        else if (i % 11 == 0)
            a = TRIAGE_DISABLED;
        if (!a)
            continue;
        if (store_handle(st, m->id, a, NULL, "tester", &err) != AKW_OK)
            good = 0;
        m->status = a == TRIAGE_WHITELISTED ? LEAK_STATUS_WHITELISTED : LEAK_STATUS_HANDLED;
    }
    ok(good, "triaged the fixture rows (%s)", err.msg);

    /* verification states, as the verify layer writes them */
    static const char *const states[] = {"live", "invalid", "unknown"};
    for (int i = 1; i <= N_ROWS; i++) {
        struct model *m = &rows[i - 1];
        if (i % 3 == 0)
            continue;
        m->verified = states[i % 7 % 3];
        if (store_verify_set(st, m->id, m->verified, 5000, NULL, NULL, "tester", NULL, &err) !=
            AKW_OK)
            good = 0;
    }
    ok(good, "verification states set (%s)", err.msg);
}

static const struct leak_filter *model_filter;

static int
model_match(const struct model *m, const struct leak_filter *f)
{
    int statuses = f->status_mask & 7, verified = f->status_mask & LEAK_VERIFIED_ANY;
    if (statuses && !(statuses & (1 << m->status)))
        return 0;
    if (verified) {
        int bit = !m->verified                        ? LEAK_VERIFIED_NONE
                  : strcmp(m->verified, "live") == 0    ? LEAK_VERIFIED_LIVE
                  : strcmp(m->verified, "invalid") == 0 ? LEAK_VERIFIED_INVALID
                                                        : LEAK_VERIFIED_UNKNOWN;
        if (!(verified & bit))
            return 0;
    }
    if (f->ak_prefix && *f->ak_prefix &&
        (!m->ak[0] || strncasecmp(m->ak, f->ak_prefix, strlen(f->ak_prefix)) != 0))
        return 0;
    if (f->text && *f->text) {
        const char *fields[] = {m->ak, m->repo, m->path};
        int hit = 0;
        for (int k = 0; k < 3; k++)
            if (strcasestr(fields[k], f->text))
                hit = 1;
        if (!hit)
            return 0;
    }
    return 1;
}

static int
model_cmp(const void *a, const void *b)
{
    const struct model *x = *(const struct model *const *)a, *y = *(const struct model *const *)b;
    if (model_filter->sort == LEAK_SORT_SEVERITY && x->severity != y->severity)
        return y->severity - x->severity;
    if (x->first_seen != y->first_seen)
        return y->first_seen > x->first_seen ? 1 : -1;
    return y->id > x->id ? 1 : -1;
}

/* The model's answer: ids in order; returns how many. */
static size_t
model_list(const struct leak_filter *f, int64_t *ids)
{
    const struct model *sel[N_ROWS];
    size_t n = 0;
    for (int i = 0; i < N_ROWS; i++)
        if (model_match(&rows[i], f))
            sel[n++] = &rows[i];
    model_filter = f;
    qsort(sel, n, sizeof sel[0], model_cmp);
    for (size_t i = 0; i < n; i++)
        ids[i] = sel[i]->id;
    return n;
}

/* Compare count and every page of size `page` (plus one past the end) with the model. */
static void
check_filter(const char *name, const struct leak_filter *f, long page)
{
    int64_t want[N_ROWS];
    size_t n = model_list(f, want);
    long count = -1;
    ok(store_leak_count(st, f, &count, &err) == AKW_OK, "%s: count (%s)", name, err.msg);
    is_int(count, n, "%s: count matches", name);
    size_t mismatches = 0, pages = 0;
    struct leak out[64];
    for (long off = 0; off <= (long)n; off += page) {
        size_t got = 0;
        if (store_leak_page(st, f, off, page, out, &got, &err) != AKW_OK) {
            mismatches++;
            continue;
        }
        size_t expect = (size_t)((long)n - off < page ? (long)n - off : page);
        if (got != expect)
            mismatches++;
        for (size_t i = 0; i < got; i++) {
            if (i < expect && out[i].id != want[off + (long)i])
                mismatches++;
            leak_done(&out[i]);
        }
        pages++;
    }
    is_int(mismatches, 0, "%s: %zu pages of %ld hold exactly the expected ids", name, pages,
           page);

    /* the same pages walked backwards, then at scattered offsets (other starting points) */
    mismatches = 0;
    long offs[64];
    size_t n_offs = 0;
    for (long off = ((long)n / page) * page; off >= 0 && n_offs < 32; off -= page)
        offs[n_offs++] = off;
    for (long k = 1; k <= 16; k++)
        offs[n_offs++] = (k * 97) % ((long)n + 1);
    for (size_t j = 0; j < n_offs; j++) {
        long off = offs[j];
        size_t got = 0;
        if (store_leak_page(st, f, off, page, out, &got, &err) != AKW_OK) {
            mismatches++;
            continue;
        }
        size_t expect = (size_t)((long)n - off < page ? (long)n - off : page);
        if (got != expect)
            mismatches++;
        for (size_t i = 0; i < got; i++) {
            if (i < expect && out[i].id != want[off + (long)i])
                mismatches++;
            leak_done(&out[i]);
        }
    }
    is_int(mismatches, 0, "%s: backwards and scattered pages hold the expected ids", name);
}

static void
test_pages(void)
{
    enum { U = 1 << LEAK_STATUS_UNHANDLED, H = 1 << LEAK_STATUS_HANDLED,
           W = 1 << LEAK_STATUS_WHITELISTED };
#define T LEAK_SORT_TIME
#define S LEAK_SORT_SEVERITY
    /* clang-format off */
    static const struct {
        const char *name;
        struct leak_filter f;
        long page;
    } cases[] = {
        {"all by time",               {0, NULL, NULL, LEAK_SORT_TIME, 0}, 50},
        {"all by severity",           {0, NULL, NULL, LEAK_SORT_SEVERITY, 0}, 64},
        {"mask 7 = all",              {7, NULL, NULL, LEAK_SORT_TIME, 0}, 33},
        {"unhandled by time",         {U, NULL, NULL, T, 0}, 20},
        {"handled by severity",       {H, NULL, NULL, S, 0}, 7},
        {"whitelisted",               {W, NULL, NULL, T, 0}, 5},
        {"handled+whitelisted",       {H | W, NULL, NULL, T, 0}, 9},
        {"unhandled+whitelisted sev", {U | W, NULL, NULL, S, 0}, 40},
        {"AK prefix LTAI",            {0, "LTAI", NULL, LEAK_SORT_TIME, 0}, 25},
        {"AK prefix ltai5t lower",    {0, "ltai5t", NULL, LEAK_SORT_SEVERITY, 0}, 10},
        {"AK prefix LTAI4 upper",     {0, "LTAI4LOWER", NULL, LEAK_SORT_TIME, 0}, 10},
        {"AK prefix akiaq00",         {U, "akiaq00", NULL, T, 0}, 4},
        {"AK prefix no match",        {0, "ASIA", NULL, LEAK_SORT_TIME, 0}, 10},
        {"text svc-api",              {0, NULL, "svc-api", LEAK_SORT_TIME, 0}, 30},
        {"text path conf_01",         {0, NULL, "CONF_01", LEAK_SORT_SEVERITY, 0}, 3},
        {"text in AK ID",             {0, NULL, "xyz", LEAK_SORT_TIME, 0}, 16},
        {"text with LIKE wildcard",   {0, NULL, "conf%", LEAK_SORT_TIME, 0}, 10},
        {"text underscore literal",   {0, NULL, "f_1", LEAK_SORT_TIME, 0}, 10},
        {"text + status + AK",        {U, "ltai", "org2", S, 0}, 6},
        {"verified live",             {LEAK_VERIFIED_LIVE, NULL, NULL, T, 0}, 8},
        {"unhandled never checked",   {U | LEAK_VERIFIED_NONE, NULL, NULL, S, 0}, 12},
        {"live or invalid, AK ltai",  {LEAK_VERIFIED_LIVE | LEAK_VERIFIED_INVALID, "ltai", NULL,
                                       T, 0}, 5},
        {"unknown + text",            {LEAK_VERIFIED_UNKNOWN, NULL, "svc-web", S, 0}, 7},
        {"every verified state",      {U | LEAK_VERIFIED_ANY, NULL, NULL, T, 0}, 30},
    };
    /* clang-format on */
#undef T
#undef S
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_filter(cases[i].name, &cases[i].f, cases[i].page);
}

/* A few answers written out by hand, so the model itself is checked too. */
static void
test_literal(void)
{
    struct leak_filter f = {0, "ltai5tabc000", NULL, LEAK_SORT_TIME, 0};
    struct leak out[10];
    size_t n = 0;
    ok(store_leak_page(st, &f, 0, 10, out, &n, &err) == AKW_OK, "page of AK prefix");
    /* LTAI5tAbc0004 .. 0008: i = 4 (first_seen 100015), i = 8 (first_seen 100030) */
    is_int(n, 2, "two leaks start with LTAI5tAbc000");
    if (n == 2) {
        is_int(out[0].id, rows[7].id, "newest first: row 8");
        is_int(out[1].id, rows[3].id, "then row 4");
        is_str(out[0].ak_id, "LTAI5tAbc0008", "AK ID read back");
        is_str(out[0].repo, "org3/svc-web", "first repo on the page row");
        is_str(out[0].path, "src/conf_008.yml", "first path on the page row");
        is_int(out[0].n_locations, 1, "location count on the page row");
        ok(out[0].secret == NULL, "pages never carry the raw secret");
    }
    for (size_t i = 0; i < n; i++)
        leak_done(&out[i]);

    struct leak_filter g = {1 << LEAK_STATUS_WHITELISTED, NULL, NULL, LEAK_SORT_TIME, 0};
    long c = 0;
    store_leak_count(st, &g, &c, &err);
    /* i % 7 == 0, not % 5, i % 4 == 3 (no AK): 7, 63, 91, 119, 147, 203, 231, 259, 287 */
    is_int(c, 9, "nine whitelisted leaks");

    ok(store_leak_page(st, &f, 5, 10, out, &n, &err) == AKW_OK && n == 0,
       "a page past the end is empty");
    ok(store_leak_page(st, &f, -1, 10, out, &n, &err) == AKW_ERR_USAGE, "negative offset");
    ok(store_leak_page(st, NULL, 0, 0, out, &n, &err) == AKW_OK && n == 0, "limit 0");
}

struct walk {
    int64_t ids[N_ROWS];
    size_t n, stop_at;
};

static int
walk_cb(const struct leak *l, void *user)
{
    struct walk *w = user;
    w->ids[w->n++] = l->id;
    return w->n == w->stop_at;
}

static void
test_foreach(void)
{
    struct leak_filter f = {1 << LEAK_STATUS_UNHANDLED, NULL, NULL, LEAK_SORT_SEVERITY, 0};
    int64_t want[N_ROWS];
    size_t n = model_list(&f, want);
    struct walk w = {.n = 0, .stop_at = 0};
    ok(store_leak_foreach(st, &f, walk_cb, &w, &err) == AKW_OK, "foreach");
    ok(w.n == n && memcmp(w.ids, want, n * sizeof want[0]) == 0,
       "foreach visits the filtered list in order (%zu of %zu)", w.n, n);
    w.n = 0;
    w.stop_at = 3;
    ok(store_leak_foreach(st, &f, walk_cb, &w, &err) == AKW_OK && w.n == 3,
       "foreach stops when the callback says so");
}

/* Remembered positions must not survive a change, by this connection or another one. */
static void
test_changes_seen(void)
{
    struct leak_filter f = {1 << LEAK_STATUS_UNHANDLED, NULL, NULL, LEAK_SORT_TIME, 0};
    struct leak_filter s = {0, "ltai5tabc", NULL, LEAK_SORT_TIME, 0};
    struct leak out[10];
    size_t n = 0;
    long before = 0, s_before = 0, after = 0;
    store_leak_count(st, &f, &before, &err);
    store_leak_count(st, &s, &s_before, &err);
    for (long off = 0; off < 40; off += 10) { /* leave anchors behind */
        store_leak_page(st, &f, off, 10, out, &n, &err);
        for (size_t i = 0; i < n; i++)
            leak_done(&out[i]);
    }
    /* another connection adds the newest leak of all */
    struct store *other = NULL;
    ok(store_open(fx_store("page.db"), 0, &other, &err) == AKW_OK, "second connection");
    struct leak l;
    struct location loc;
    fx_leak(&l, "fp-page-newest", "LTAI5tAbcNewest", SEVERITY_LOW, 200000);
    fx_loc(&loc, "acme/new", "new.yml", 1, NULL, 200000);
    struct store_record_result r;
    ok(store_record(other, &l, &loc, &r, &err) == AKW_OK, "the other connection records");
    store_close(other);
    store_leak_count(st, &f, &after, &err);
    is_int(after, before + 1, "count sees the other connection's leak");
    store_leak_count(st, &s, &after, &err);
    is_int(after, s_before + 1, "a cached search sees it too");
    ok(store_leak_page(st, &f, 20, 10, out, &n, &err) == AKW_OK && n == 10, "page 20..30");
    int64_t want[N_ROWS + 2];
    size_t m = model_list(&f, want);
    /* the new leak is first, so the page at 20 is the model's page at 19 */
    ok(n == 10 && m >= 29 && out[0].id == want[19] && out[9].id == want[28],
       "a page after the change is shifted by the new first row");
    for (size_t i = 0; i < n; i++)
        leak_done(&out[i]);
    ok(store_leak_page(st, &f, 0, 1, out, &n, &err) == AKW_OK && n == 1 && out[0].id == r.leak_id,
       "the new leak heads the list");
    if (n)
        leak_done(&out[0]);

    /* this connection's own change (a triage) */
    ok(store_leak_page(st, &f, 0, 10, out, &n, &err) == AKW_OK, "page again");
    for (size_t i = 0; i < n; i++)
        leak_done(&out[i]);
    ok(store_handle(st, r.leak_id, TRIAGE_DELETED, NULL, "tester", &err) == AKW_OK,
       "handle the new leak here");
    ok(store_leak_page(st, &f, 0, 1, out, &n, &err) == AKW_OK && n == 1 &&
           out[0].id == want[0],
       "it left the unhandled list at once");
    if (n)
        leak_done(&out[0]);
    store_leak_count(st, &f, &after, &err);
    is_int(after, before, "and the count dropped back");
}

/* The text search looks at every location of a leak, not only the first one recorded:
 * a leak seen in two repositories is found by the second one's name (issue: TUI `/` and
 * `list --search` missed it), once, however many of its locations match. */
static void
test_any_location(void)
{
    struct store *s2 = NULL;
    ok(store_open(fx_store("two.db"), 0, &s2, &err) == AKW_OK, "open a second store (%s)",
       err.msg);
    if (!s2)
        return;
    struct leak l;
    struct location loc;
    struct store_record_result r;
    int good = 1;
    fx_leak(&l, "fp-two-repos", "LTAI5tTwoRepos0001", SEVERITY_HIGH, 1000);
    static const struct {
        const char *repo, *path, *url;
    } seen[] = {
        {"alpha/first-home", "config/app.yml", NULL},
        {"zeta/second-home", "deploy/prod.env", NULL},
        {"zeta/second-home", "deploy/stage.env", "https://git.example/zeta/blob/c0ffee42/x"},
    };
    for (size_t i = 0; i < sizeof seen / sizeof seen[0]; i++) {
        fx_loc(&loc, seen[i].repo, seen[i].path, 3, "c1", 1000 + (time_t)i);
        loc.url = (char *)seen[i].url;
        if (store_record(s2, &l, &loc, &r, &err) != AKW_OK)
            good = 0;
    }
    fx_leak(&l, "fp-other", "LTAI5tOtherLeak0002", SEVERITY_LOW, 1001);
    fx_loc(&loc, "beta/elsewhere", "main.py", 1, "c2", 1001);
    if (store_record(s2, &l, &loc, &r, &err) != AKW_OK)
        good = 0;
    ok(good, "recorded a leak in two repositories and another leak (%s)", err.msg);
    static const struct {
        const char *text;
        long n;
    } cases[] = {
        {"second-home", 1},  /* only the 2nd and 3rd locations: one row, not two */
        {"ZETA/", 1},        /* case-insensitive, like the rest of the search */
        {"stage.env", 1},    /* the path of the last location */
        {"c0ffee42", 1},     /* a location's URL */
        {"first-home", 1},   /* the first location, as before */
        {"home", 1},         /* all three locations match: still one row */
        {"elsewhere", 1},
        {"deploy/", 1},
        {"nowhere", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct leak_filter f = {0, NULL, cases[i].text, LEAK_SORT_TIME, 0};
        long c = -1;
        struct leak out[4];
        size_t n = 0;
        ok(store_leak_count(s2, &f, &c, &err) == AKW_OK, "count '%s'", cases[i].text);
        is_int(c, cases[i].n, "'%s': %ld leak(s)", cases[i].text, cases[i].n);
        ok(store_leak_page(s2, &f, 0, 4, out, &n, &err) == AKW_OK, "page '%s'", cases[i].text);
        is_int(n, (size_t)cases[i].n, "'%s': as many rows on the page", cases[i].text);
        if (n && cases[i].n == 1 && strcmp(cases[i].text, "elsewhere") != 0)
            is_str(out[0].ak_id, "LTAI5tTwoRepos0001", "'%s': the two-repository leak",
                   cases[i].text);
        for (size_t k = 0; k < n; k++)
            leak_done(&out[k]);
    }
    store_close(s2);
}

/* The counts stay a read of a few rows however long a writer runs: on a server store the
 * count logs are folded after commits that recorded enough findings, one at a time or in a
 * batch, not only when the store is closed (a watcher runs for days). */
static void
test_counts_fold(void)
{
    const char *loc = fx_store("fold.db");
    struct store *s2 = NULL;
    ok(store_open(loc, 0, &s2, &err) == AKW_OK, "fold: open (%s)", err.msg);
    if (!s2)
        return;
    int failed = 0;
    char fp[32];
    for (int i = 0; i < 2 * STORE_FOLD_ROWS_TEST; i++) {
        if (i == STORE_FOLD_ROWS_TEST && store_begin(s2, &err) != AKW_OK)
            failed++;
        struct leak l;
        struct location where;
        snprintf(fp, sizeof fp, "fold%08d", i);
        fx_leak(&l, fp, NULL, SEVERITY_HIGH, 1700000000 + i);
        fx_loc(&where, "acme/fold", "conf/app.env", 1 + i, NULL, 1700000000 + i);
        if (store_record(s2, &l, &where, NULL, &err) != AKW_OK)
            failed++;
    }
    if (store_commit(s2, &err) != AKW_OK)
        failed++;
    is_int(failed, 0, "fold: %d findings recorded, half one by one, half in a batch (%s)",
           2 * STORE_FOLD_ROWS_TEST, err.msg);
    struct store_stats sts;
    ok(store_stats_get(s2, &sts, &err) == AKW_OK, "fold: stats (%s)", err.msg);
    is_int(sts.leaks, 2 * STORE_FOLD_ROWS_TEST, "fold: every leak counted");
    is_int(sts.unhandled, 2 * STORE_FOLD_ROWS_TEST, "fold: every leak unhandled");
    is_int(sts.locations, 2 * STORE_FOLD_ROWS_TEST, "fold: every location counted");
    if (fx_on_server()) /* still open: only the folds after commits can have kept it short */
        ok(fx_raw_sql(loc, "DO $$ BEGIN IF (SELECT count(*) FROM leak_count_log) > 2500"
                           " OR (SELECT count(*) FROM row_count_log) > 2500"
                           " THEN RAISE EXCEPTION 'count logs not folded'; END IF; END $$;") == 0,
           "fold: the count logs were folded while the store was open");
    store_close(s2);
}

int
main(void)
{
    test_counts_fold();
    ok(store_open(fx_store("page.db"), 0, &st, &err) == AKW_OK, "open (%s)", err.msg);
    if (!st)
        return done_testing();
    build();
    test_pages();
    test_literal();
    test_foreach();
    test_changes_seen();
    store_close(st);
    test_any_location();
    return done_testing();
}
