/* Tests for the confidence of leaks: recorded from findings (the highest of the locations
 * wins, ungraded stores read as high and take the first grade), the record result's
 * before/after pair, the trigger-kept counts, and the confidence filter of count, page and
 * foreach alone and with searches. Real SQLite files in a temp folder. */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>

#include "fixture.h"
#include "tap.h"

static struct store *st;
static struct akw_err err;

static struct store_record_result
rec(const char *fp, const char *ak, enum confidence c, const char *path, long line)
{
    struct leak l;
    struct location loc;
    struct store_record_result r = {0};
    fx_leak(&l, fp, ak, SEVERITY_HIGH, 0);
    l.confidence = c;
    fx_loc(&loc, "acme/app", path, line, NULL, 0);
    akw_err_clear(&err);
    ok(store_record(st, &l, &loc, &r, &err) == AKW_OK, "record %s at %s:%ld (%s)", fp, path,
       line, err.msg);
    return r;
}

static int
conf_of(struct store *s, int64_t id)
{
    struct leak l;
    if (store_leak_get(s, id, &l, &err) != AKW_OK)
        return -1;
    int c = (int)l.confidence;
    leak_done(&l);
    return c;
}

static long
count(struct store *s, int status_mask, int conf_mask, const char *ak, const char *text)
{
    struct leak_filter f = {status_mask, ak, text, LEAK_SORT_TIME, conf_mask};
    long n = -1;
    if (store_leak_count(s, &f, &n, &err) != AKW_OK)
        return -1;
    return n;
}

static int
collect(const struct leak *l, void *user)
{
    long *n = user;
    if (l->confidence >= CONFIDENCE_MEDIUM)
        n[0]++;
    else
        n[1]++;
    return 0;
}

/* Does leak_counts agree with the rows (by status, owned and confidence)? */
static int
counts_agree(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int bad = -1;
    const char *sql =
        "SELECT (SELECT count(*) FROM (SELECT status, owned, confidence, n FROM leak_counts"
        " WHERE n > 0 EXCEPT SELECT status, owned != 0, coalesce(confidence, 3), count(*)"
        " FROM leaks GROUP BY 1, 2, 3)) + (SELECT count(*) FROM (SELECT status, owned != 0,"
        " coalesce(confidence, 3), count(*) FROM leaks GROUP BY 1, 2, 3 EXCEPT SELECT status,"
        " owned, confidence, n FROM leak_counts))";
    if (sqlite3_open(path, &db) == SQLITE_OK
        && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            bad = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return bad == 0;
}

static void
test_masks(void)
{
    is_int(store_confidence_at_least(CONFIDENCE_LOW),
           (1 << CONFIDENCE_LOW) | (1 << CONFIDENCE_MEDIUM) | (1 << CONFIDENCE_HIGH),
           "at least low: every level");
    is_int(store_confidence_at_least(CONFIDENCE_MEDIUM),
           (1 << CONFIDENCE_MEDIUM) | (1 << CONFIDENCE_HIGH), "at least medium");
    is_int(store_confidence_at_least(CONFIDENCE_HIGH), 1 << CONFIDENCE_HIGH, "at least high");
    is_int(store_confidence_at_least(0), store_confidence_at_least(CONFIDENCE_LOW),
           "0: every level");
}

static void
test_record(void)
{
    struct store_record_result r = rec("fp-a", NULL, CONFIDENCE_LOW, "docs/a.md", 1);
    ok(r.new_leak && r.confidence_before == 0 && r.confidence == CONFIDENCE_LOW,
       "a new leak: before 0, after low (%d, %d)", r.confidence_before, r.confidence);
    is_int(conf_of(st, r.leak_id), CONFIDENCE_LOW, "stored low");
    int64_t id = r.leak_id;
    r = rec("fp-a", NULL, CONFIDENCE_MEDIUM, ".env", 3);
    ok(!r.new_leak && r.confidence_before == CONFIDENCE_LOW && r.confidence == CONFIDENCE_MEDIUM,
       "a surer location raises it: low -> medium (%d, %d)", r.confidence_before,
       r.confidence);
    r = rec("fp-a", NULL, CONFIDENCE_LOW, "docs/b.md", 9);
    ok(r.confidence_before == CONFIDENCE_MEDIUM && r.confidence == CONFIDENCE_MEDIUM,
       "a less sure one does not lower it (%d, %d)", r.confidence_before, r.confidence);
    r = rec("fp-a", NULL, CONFIDENCE_LOW, "docs/b.md", 9);
    ok(!r.new_location && r.confidence == CONFIDENCE_MEDIUM, "a known location: unchanged");
    is_int(conf_of(st, id), CONFIDENCE_MEDIUM, "the leak is medium: its best location");
    r = rec("fp-b", NULL, 0, "b", 1);
    ok(r.confidence == CONFIDENCE_HIGH && conf_of(st, r.leak_id) == CONFIDENCE_HIGH,
       "a finding nobody graded (0) is recorded high");
    ok(counts_agree(fx_path("conf.db")), "the counts agree with the rows");
}

static void
test_filter(void)
{
    /* fp-a medium, fp-b high from test_record; add lows, one handled, one with an AK ID */
    rec("fp-c", "LTAI5tLowConfidence001", CONFIDENCE_LOW, "src/c.py", 4);
    rec("fp-d", "LTAI5tHighConfidence01", CONFIDENCE_HIGH, "src/d.py", 4);
    struct store_record_result r = rec("fp-e", NULL, CONFIDENCE_LOW, "src/e.py", 4);
    ok(store_handle(st, r.leak_id, TRIAGE_DELETED, NULL, "tester", &err) == AKW_OK,
       "handle a low leak (%s)", err.msg);
    int med = store_confidence_at_least(CONFIDENCE_MEDIUM);
    int unh = 1 << LEAK_STATUS_UNHANDLED;
    is_int(count(st, 0, 0, NULL, NULL), 5, "every leak: 5");
    is_int(count(st, 0, med, NULL, NULL), 3, "medium and up: 3");
    is_int(count(st, unh, med, NULL, NULL), 3, "unhandled, medium and up: 3");
    is_int(count(st, unh, 1 << CONFIDENCE_LOW, NULL, NULL), 1, "unhandled low: 1");
    is_int(count(st, 1 << LEAK_STATUS_HANDLED, med, NULL, NULL), 0, "handled, medium+: 0");
    is_int(count(st, 1 << LEAK_STATUS_HANDLED, 1 << CONFIDENCE_LOW, NULL, NULL), 1,
           "handled low: 1");
    is_int(count(st, 0, med, "ltai5t", NULL), 1, "AK ID search, medium+: only the high one");
    is_int(count(st, 0, 0, "ltai5t", NULL), 2, "AK ID search, every level: both");
    is_int(count(st, 0, med, NULL, "src/"), 1, "text search, medium+: 1");
    is_int(count(st, 0, 1 << CONFIDENCE_LOW, NULL, "src/"), 2, "text search, low: 2");

    struct leak_filter f = {0, NULL, NULL, LEAK_SORT_SEVERITY, med};
    struct leak rows[10];
    size_t n = 0;
    ok(store_leak_page(st, &f, 0, 10, rows, &n, &err) == AKW_OK, "page medium+ (%s)", err.msg);
    int all_sure = n == 3;
    for (size_t i = 0; i < n; i++) {
        all_sure &= rows[i].confidence >= CONFIDENCE_MEDIUM;
        leak_done(&rows[i]);
    }
    ok(all_sure, "the page holds the 3 medium+ leaks, each with its confidence");
    long seen[2] = {0, 0};
    f.sort = LEAK_SORT_TIME;
    ok(store_leak_foreach(st, &f, collect, seen, &err) == AKW_OK, "foreach medium+");
    ok(seen[0] == 3 && seen[1] == 0, "foreach walks the 3 medium+ only (%ld, %ld)", seen[0],
       seen[1]);
    f.confidence_mask = 0;
    seen[0] = seen[1] = 0;
    store_leak_foreach(st, &f, collect, seen, &err);
    ok(seen[0] == 3 && seen[1] == 2, "no mask: all 5 (%ld, %ld)", seen[0], seen[1]);
    ok(counts_agree(fx_path("conf.db")), "the counts agree after a decision");
}

/* A store with no low leak answers a medium+ list like one without the filter. */
static void
test_nothing_hidden(void)
{
    struct store *s2 = NULL;
    ok(store_open(fx_path("sure.db"), 0, &s2, &err) == AKW_OK, "open a second store");
    if (!s2)
        return;
    struct store *keep = st;
    st = s2;
    for (int i = 0; i < 30; i++) {
        char fp[16], path[16];
        snprintf(fp, sizeof fp, "fp-%02d", i);
        snprintf(path, sizeof path, "f%02d", i);
        rec(fp, NULL, i % 2 ? CONFIDENCE_HIGH : CONFIDENCE_MEDIUM, path, 1);
    }
    int med = store_confidence_at_least(CONFIDENCE_MEDIUM);
    is_int(count(s2, 0, med, NULL, NULL), 30, "nothing below medium: all 30 counted");
    struct leak_filter f = {0, NULL, NULL, LEAK_SORT_TIME, med};
    struct leak rows[5];
    size_t n = 0;
    ok(store_leak_page(s2, &f, 25, 5, rows, &n, &err) == AKW_OK && n == 5,
       "the last page has 5 rows");
    for (size_t i = 0; i < n; i++)
        leak_done(&rows[i]);
    rec("fp-low", NULL, CONFIDENCE_LOW, "low", 1);
    is_int(count(s2, 0, med, NULL, NULL), 30, "one low leak later: still 30 medium+");
    is_int(count(s2, 0, 0, NULL, NULL), 31, "and 31 in all");
    st = keep;
    store_close(s2);
}

/* A store of schema v1 (before grading): its leaks read as high; the first finding of one
 * grades it, whatever the grade. */
static void
test_ungraded(void)
{
    char *dump = NULL;
    const char *srcdir = getenv("AKW_SRCDIR");
    char *fixture = xasprintf("%s/tests/store/fixture-v1.sql", srcdir ? srcdir : "..");
    fs_read_all(fixture, &dump, NULL, NULL);
    free(fixture);
    if (!dump)
        return;
    const char *path = fx_path("v1.db");
    sqlite3 *db;
    sqlite3_open(path, &db);
    ok(sqlite3_exec(db, dump, NULL, NULL, NULL) == SQLITE_OK, "load the v1 fixture");
    sqlite3_close(db);
    free(dump);
    struct store *s1 = NULL;
    ok(store_open(path, 0, &s1, &err) == AKW_OK, "open (migrate) it (%s)", err.msg);
    if (!s1)
        return;
    ok(conf_of(s1, 1) == CONFIDENCE_HIGH && conf_of(s1, 3) == CONFIDENCE_HIGH,
       "ungraded leaks read as high");
    int med = store_confidence_at_least(CONFIDENCE_MEDIUM);
    is_int(count(s1, 0, med, NULL, NULL), 3, "all three are in the default list");
    ok(counts_agree(path), "the migrated counts agree with the rows");
    struct store *keep = st;
    st = s1;
    struct leak l;
    struct location loc;
    struct store_record_result r = {0};
    fx_leak(&l, "fixture-fp-3", NULL, SEVERITY_MEDIUM, 0);
    l.confidence = CONFIDENCE_LOW;
    fx_loc(&loc, "acme/app", "docs/x.md", 2, NULL, 0);
    ok(store_record(s1, &l, &loc, &r, &err) == AKW_OK, "a scan finds leak 3 again, low");
    ok(r.confidence_before == CONFIDENCE_HIGH && r.confidence == CONFIDENCE_LOW,
       "it was (ungraded) high, and is graded low now (%d, %d)", r.confidence_before,
       r.confidence);
    is_int(count(s1, 0, med, NULL, NULL), 2, "it left the default list");
    ok(counts_agree(path), "the counts followed");
    st = keep;
    store_close(s1);
}

int
main(void)
{
    test_masks();
    ok(store_open(fx_path("conf.db"), 0, &st, &err) == AKW_OK, "open (%s)", err.msg);
    if (!st)
        return done_testing();
    test_record();
    test_filter();
    test_nothing_hidden();
    test_ungraded();
    store_close(st);
    return done_testing();
}
