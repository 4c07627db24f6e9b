/* Tests for a server store whose connection is lost (its backend terminated, as a restart
 * does): the backoff's bounds; a single record cut by the loss is recorded again whole
 * once connected, with an owner's wait (store_on_lost) told when it is back; a batch cut in
 * the middle fails, is rolled back whole and, done again after store_reconnect_wait,
 * leaves each leak and place once; a batch done twice (its commit's answer lost) counts
 * once; without a wait an operation fails with one line and store_reconnect mends it; a
 * LISTEN is made again. On a SQLite file nothing is ever lost. Runs on PostgreSQL too
 * (tests/store/on_postgresql.sh). */
#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "tap.h"

static struct akw_err err;
static const char *loc_url;
static int waits, backs;

/* The owner's wait: counts, never sleeps (the backend is gone, the server is up). */
static int
on_lost(void *arg, double wait_s, const struct akw_err *why)
{
    (void)arg;
    (void)wait_s;
    if (why)
        waits++;
    else
        backs++;
    return 0;
}

/* Every akwatch connection to the test database ends, as in a restart (57P01). */
static int
cut(void)
{
    return fx_raw_sql(loc_url, "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                               " WHERE application_name = 'akwatch'"
                               " AND datname = current_database();");
}

static enum akw_status
record(struct store *st, const char *fp, struct store_record_result *r)
{
    struct leak l;
    struct location loc;
    fx_leak(&l, fp, NULL, SEVERITY_HIGH, 0);
    fx_loc(&loc, "acme/app", fp, 3, NULL, 0);
    akw_err_clear(&err);
    return store_record(st, &l, &loc, r, &err);
}

static void
counts_are(struct store *st, long leaks, long locations, const char *when)
{
    struct store_stats s;
    memset(&s, 0, sizeof s);
    ok(store_stats_get(st, &s, &err) == AKW_OK, "%s: counts (%s)", when, err.msg);
    is_int(s.leaks, leaks, "%s: %ld leaks", when, leaks);
    is_int(s.locations, locations, "%s: %ld locations", when, locations);
}

static void
test_backoff(void)
{
    unsigned seed = 1;
    double lo = 1e9, hi = 0;
    for (int i = 0; i < 200; i++) {
        double d = store_backoff(0, 0, &seed);
        lo = d < lo ? d : lo, hi = d > hi ? d : hi;
    }
    ok(lo >= 0.4 && hi <= 0.6 && hi > lo, "first wait 0.5 s +-20 %% (%.3f..%.3f)", lo, hi);
    double d3 = store_backoff(3, 0, &seed);
    ok(d3 >= 3.2 && d3 <= 4.8, "doubling: the fourth is 4 s +-20 %% (%.3f)", d3);
    double big = store_backoff(40, 0, &seed);
    ok(big >= 24 && big <= 36, "at most 30 s +-20 %% (%.3f)", big);
    double cap = store_backoff(10, 2, &seed);
    ok(cap >= 1.6 && cap <= 2.4, "a limit of 2 s (%.3f)", cap);
}

static void
test_batch(struct store *st)
{
    struct store_record_result r;
    ok(store_begin(st, &err) == AKW_OK, "a batch starts");
    ok(record(st, "fp-rc-3", &r) == AKW_OK, "its first record");
    ok(cut() == 0, "the connection is cut inside the batch");
    ok(record(st, "fp-rc-4", &r) != AKW_OK, "the next record of the batch fails");
    ok(strstr(err.msg, "lost the connection to the server") != NULL, "saying so (%s)", err.msg);
    ok(store_lost(st), "the store is lost");
    store_rollback(st);
    akw_err_clear(&err);
    ok(store_reconnect_wait(st, &err) == AKW_OK, "connected again (%s)", err.msg);
    counts_are(st, 2, 2, "the cut batch left nothing");
    ok(store_begin(st, &err) == AKW_OK && record(st, "fp-rc-3", &r) == AKW_OK &&
           record(st, "fp-rc-4", &r) == AKW_OK && store_commit(st, &err) == AKW_OK,
       "the batch done again whole (%s)", err.msg);
    counts_are(st, 4, 4, "after the batch");
    /* its commit's answer lost: the owner does it once more */
    ok(store_begin(st, &err) == AKW_OK && record(st, "fp-rc-3", &r) == AKW_OK,
       "the same batch again");
    is_int(r.new_leak, 0, "the leak is known");
    is_int(r.new_location, 0, "and its place");
    ok(store_commit(st, &err) == AKW_OK, "committed");
    counts_are(st, 4, 4, "a batch done twice counts once");
}

static void
test_no_wait(const char *loc)
{
    struct store *st = NULL;
    ok(store_open(loc, 0, &st, &err) == AKW_OK, "a store without a wait opens");
    if (!st)
        return;
    int fd = store_listen(st, &err);
    ok(fd >= 0, "it listens");
    ok(cut() == 0, "the connection is cut");
    struct store_stats s;
    akw_err_clear(&err);
    ok(store_stats_get(st, &s, &err) != AKW_OK, "an operation fails at once");
    ok(strstr(err.msg, "lost the connection to the server") != NULL && !strchr(err.msg, '\n'),
       "one line saying so (%s)", err.msg);
    ok(store_lost(st), "the store is lost");
    ok(store_reconnect(st, &err) == AKW_OK, "store_reconnect mends it (%s)", err.msg);
    ok(!store_lost(st), "not lost any more");
    ok(store_stats_get(st, &s, &err) == AKW_OK, "the operation works again");
    fd = store_listen(st, &err);
    ok(fd >= 0, "the new connection's descriptor (%s)", err.msg);
    struct store *other = NULL;
    struct store_record_result r;
    ok(store_open(loc, 0, &other, &err) == AKW_OK && record(other, "fp-rc-9", &r) == AKW_OK,
       "another connection records a leak");
    int told = 0;
    for (int i = 0; i < 20 && !told; i++) {
        told = store_changed(st, &err);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (!told)
            poll(&p, 1, 100);
    }
    is_int(told, 1, "the LISTEN was made again: told within 2 s");
    store_close(other);
    store_close(st);
}

int
main(void)
{
    test_backoff();
    struct store *st = NULL;
    loc_url = fx_store("reconnect.db");
    ok(store_open(loc_url, 0, &st, &err) == AKW_OK, "opens (%s)", err.msg);
    if (!st)
        return done_testing();
    store_on_lost(st, on_lost, NULL, 0);
    struct store_record_result r;
    ok(record(st, "fp-rc-1", &r) == AKW_OK, "a record (%s)", err.msg);
    if (!fx_on_server()) {
        is_int(store_lost(st), 0, "a file is never lost");
        is_int(store_reconnect(st, &err), AKW_OK, "and reconnecting is nothing to do");
        store_close(st);
        return done_testing();
    }
    ok(cut() == 0, "the connection is cut (pg_terminate_backend)");
    ok(record(st, "fp-rc-2", &r) == AKW_OK, "the next record is done again whole (%s)", err.msg);
    is_int(r.new_leak, 1, "as a new leak");
    is_int(backs, 1, "the owner's wait was told the store is back");
    counts_are(st, 2, 2, "after the cut record");
    test_batch(st);
    store_close(st);
    test_no_wait(loc_url);
    return done_testing();
}
