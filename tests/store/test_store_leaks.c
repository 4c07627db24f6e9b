/* Tests for recording and triage: dedupe by fingerprint, locations, whitelist (by AK ID,
 * now and for future findings), cancel whitelist, handle + audit log, regression reopen,
 * scan state, statistics and the name tables. */
#include "config.h"

#include <stdlib.h>

#include "fixture.h"
#include "tap.h"

static struct store *st;
static struct akw_err err;

static void
set_now(long t)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", t);
    setenv("AKWATCH_NOW", buf, 1);
}

/* Record fp/ak at repo/path:line@commit; returns the result (asserting success). */
static struct store_record_result
rec(const char *fp, const char *ak, const char *repo, const char *path, long line,
    const char *commit)
{
    struct leak l;
    struct location loc;
    struct store_record_result r = {0};
    fx_leak(&l, fp, ak, SEVERITY_HIGH, 0);
    fx_loc(&loc, repo, path, line, commit, 0);
    akw_err_clear(&err);
    ok(store_record(st, &l, &loc, &r, &err) == AKW_OK, "record %s at %s:%ld (%s)", fp,
       path ? path : "-", line, err.msg);
    return r;
}

static struct leak
get(int64_t id)
{
    struct leak l;
    if (store_leak_get(st, id, &l, &err) != AKW_OK)
        memset(&l, 0, sizeof l);
    return l;
}

static int
status_of(int64_t id)
{
    struct leak l = get(id);
    int s = l.id ? (int)l.status : -1;
    leak_done(&l);
    return s;
}

static void
test_names(void)
{
    enum leak_status s;
    enum triage_action a;
    is_str(leak_status_name(LEAK_STATUS_WHITELISTED), "whitelisted", "status name");
    ok(leak_status_parse("handled", &s) == 0 && s == LEAK_STATUS_HANDLED, "status parse");
    ok(leak_status_parse("", &s) == -1 && leak_status_parse(NULL, &s) == -1 &&
           leak_status_parse("open", &s) == -1,
       "status parse rejects empty, NULL and unknown");
    is_str(handled_as_name(HANDLED_DISABLED), "disabled", "handled-as name");
    is_str(handled_as_name(HANDLED_NONE), "", "handled-as none is empty");
    is_str(triage_action_name(TRIAGE_REOPENED), "reopened", "action name");
    ok(triage_action_parse("whitelisted", &a) == 0 && a == TRIAGE_WHITELISTED, "action parse");
    ok(triage_action_parse("handled", &a) == -1, "action parse rejects a status");
}

static void
test_dedupe(void)
{
    set_now(1000);
    struct store_record_result r1 = rec("fp-a", "LTAI5tDedupe00000000001", "acme/app",
                                        "conf/a.yml", 3, "aaaa");
    ok(r1.new_leak && r1.new_location && !r1.whitelisted && !r1.reopened && r1.leak_id > 0,
       "first sighting: new leak, new location");
    set_now(2000);
    struct store_record_result r2 = rec("fp-a", "LTAI5tDedupe00000000001", "acme/fork",
                                        "conf/a.yml", 3, "bbbb");
    ok(!r2.new_leak && r2.new_location && r2.leak_id == r1.leak_id,
       "same fingerprint elsewhere: same leak, new location");
    set_now(3000);
    struct store_record_result r3 = rec("fp-a", "LTAI5tDedupe00000000001", "acme/fork",
                                        "conf/a.yml", 3, "bbbb");
    ok(!r3.new_leak && !r3.new_location && r3.leak_id == r1.leak_id,
       "same location again: nothing new");

    struct leak l = get(r1.leak_id);
    is_int(l.n_locations, 2, "one leak, two locations");
    is_int(l.first_seen, 1000, "first_seen is the first sighting");
    is_int(l.last_seen, 3000, "last_seen bumped by the latest sighting");
    is_str(l.repo, "acme/app", "repo of the first location kept on the leak");
    is_str(l.path, "conf/a.yml", "path of the first location kept on the leak");
    is_str(l.fingerprint, "fp-a", "fingerprint");
    is_str(l.rule, "alibaba-access-key", "rule");
    is_int(l.severity, SEVERITY_HIGH, "severity");
    is_int(l.status, LEAK_STATUS_UNHANDLED, "new leaks are unhandled");
    ok(l.secret == NULL, "no raw secret stored unless given");
    leak_done(&l);

    struct location *locs = NULL;
    size_t n = 0;
    ok(store_locations_get(st, r1.leak_id, &locs, &n, &err) == AKW_OK, "locations");
    is_int(n, 2, "two locations listed");
    if (n == 2) {
        is_str(locs[0].repo, "acme/app", "oldest location first");
        is_str(locs[1].commit, "bbbb", "second location's commit");
        is_int(locs[1].found_at, 2000, "found_at is when it was found");
        is_int(locs[0].line, 3, "line");
        is_int(locs[0].column, 7, "column");
        is_str(locs[0].platform, "github", "platform");
        is_str(locs[0].snippet, "key = LTAI5t****************1a2B", "snippet");
    }
    store_locations_free(locs, n);

    /* NULL repo and commit are one key, not distinct NULLs */
    struct store_record_result r4 = rec("fp-b", NULL, NULL, "local.env", 1, NULL);
    struct store_record_result r5 = rec("fp-b", NULL, NULL, "local.env", 1, NULL);
    ok(r4.new_location && !r5.new_location, "a location without repo/commit dedupes too");
    ok(store_locations_get(st, r4.leak_id, &locs, &n, &err) == AKW_OK && n == 1 &&
           locs[0].repo == NULL && locs[0].commit == NULL,
       "absent repo/commit read back as NULL");
    store_locations_free(locs, n);

    /* the raw secret is stored only when the caller sets it (opt-in) */
    struct leak in;
    struct location loc;
    fx_leak(&in, "fp-secret", NULL, SEVERITY_LOW, 0);
    in.secret = (char *)"s3cr3t-value";
    fx_loc(&loc, "acme/app", "x", 1, NULL, 0);
    struct store_record_result r6;
    ok(store_record(st, &in, &loc, &r6, &err) == AKW_OK, "record with opted-in secret");
    l = get(r6.leak_id);
    is_str(l.secret, "s3cr3t-value", "secret kept when given");
    leak_done(&l);

    ok(store_leak_get(st, 999999, &l, &err) == AKW_ERR_NOTFOUND, "get of a missing id");
    is_str(err.msg, "no leak with id 999999", "notfound message");
    struct leak empty;
    memset(&empty, 0, sizeof empty);
    ok(store_record(st, &empty, &loc, NULL, &err) == AKW_ERR_USAGE,
       "record without fingerprint is refused");
}

static int
audit_has(int64_t leak_id, const char *who, const char *what, const char *note, time_t at)
{
    struct audit_entry *a = NULL;
    size_t n = 0;
    int found = 0;
    if (store_audit_list(st, leak_id, &a, &n, &err) != AKW_OK)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].who, who) == 0 && strcmp(a[i].what, what) == 0 &&
            ((!note && !a[i].note) || (note && a[i].note && strcmp(a[i].note, note) == 0)) &&
            (at == 0 || a[i].at == at))
            found = 1;
    store_audit_free(a, n);
    return found;
}

static void
test_handle(void)
{
    set_now(5000);
    struct store_record_result r = rec("fp-h", "LTAI5tHandle00000000001", "acme/h", "h.yml", 1,
                                       "h1");
    set_now(6000);
    ok(store_handle(st, r.leak_id, TRIAGE_DELETED, "key deleted in console", "alice", &err) ==
           AKW_OK,
       "handle as deleted (%s)", err.msg);
    struct leak l = get(r.leak_id);
    is_int(l.status, LEAK_STATUS_HANDLED, "status handled");
    is_int(l.handled_as, HANDLED_DELETED, "handled as deleted");
    is_str(l.note, "key deleted in console", "note kept on the leak");
    leak_done(&l);
    ok(audit_has(r.leak_id, "alice", "deleted", "key deleted in console", 6000),
       "audit row: who alice, what deleted, note, at 6000");

    set_now(6100);
    ok(store_handle(st, r.leak_id, TRIAGE_DISABLED, NULL, "bob", &err) == AKW_OK,
       "change to disabled");
    l = get(r.leak_id);
    is_int(l.handled_as, HANDLED_DISABLED, "handled as disabled");
    ok(l.note == NULL, "a decision without note clears the note");
    leak_done(&l);
    ok(audit_has(r.leak_id, "bob", "disabled", NULL, 6100), "audit row for bob");

    /* an [actions] hook's outcome: a row of its own, the leak itself unchanged */
    set_now(6150);
    ok(store_audit_note(st, r.leak_id, "hook-disabled", "on_disabled done (exit 0): ok", "bob",
                        &err) == AKW_OK,
       "audit note (%s)", err.msg);
    ok(audit_has(r.leak_id, "bob", "hook-disabled", "on_disabled done (exit 0): ok", 6150),
       "audit row: hook-disabled with its outcome, at 6150");
    l = get(r.leak_id);
    is_int(l.handled_as, HANDLED_DISABLED, "the note changes no decision");
    ok(l.note == NULL, "nor the leak's note");
    leak_done(&l);
    ok(store_audit_note(st, 424242, "hook-deleted", "x", "bob", &err) == AKW_ERR_NOTFOUND,
       "audit note of a missing leak");
    ok(store_audit_note(st, r.leak_id, "", "x", "bob", &err) == AKW_ERR_USAGE,
       "audit note without what");

    ok(store_handle(st, 424242, TRIAGE_DELETED, NULL, "alice", &err) == AKW_ERR_NOTFOUND,
       "handle of a missing leak");
    ok(store_handle(st, r.leak_id, (enum triage_action)9, NULL, "alice", &err) ==
           AKW_ERR_USAGE,
       "handle with an unknown action");

    /* regression: a new place after handling reopens it */
    set_now(7000);
    struct store_record_result same = rec("fp-h", "LTAI5tHandle00000000001", "acme/h", "h.yml",
                                          1, "h1");
    ok(!same.reopened && status_of(r.leak_id) == LEAK_STATUS_HANDLED,
       "seen again at a known place: stays handled");

    struct leak in;
    struct location loc;
    fx_leak(&in, "fp-h", "LTAI5tHandle00000000001", SEVERITY_HIGH, 0);
    fx_loc(&loc, "acme/old", "h.yml", 9, "old1", 0);
    loc.committed_at = 5500; /* committed before the handling: history, not a regression */
    struct store_record_result old;
    ok(store_record(st, &in, &loc, &old, &err) == AKW_OK, "record an old commit");
    ok(old.new_location && !old.reopened && status_of(r.leak_id) == LEAK_STATUS_HANDLED,
       "an old commit found late does not reopen");

    struct store_record_result again = rec("fp-h", "LTAI5tHandle00000000001", "acme/new",
                                           "h.yml", 1, "h2");
    ok(again.reopened && again.new_location, "a new place after handling: reopened");
    l = get(r.leak_id);
    is_int(l.status, LEAK_STATUS_UNHANDLED, "reopened leak is unhandled");
    is_int(l.handled_as, HANDLED_NONE, "and no longer handled-as anything");
    leak_done(&l);
    ok(audit_has(r.leak_id, "akwatch", "reopened", "regression", 7000),
       "audit row: akwatch reopened it as a regression");

    ok(store_handle(st, r.leak_id, TRIAGE_REOPENED, "looked again", "carol", &err) == AKW_OK,
       "reopen an unhandled leak is allowed");
    ok(audit_has(r.leak_id, "carol", "reopened", "looked again", 0), "and audited");

    /* the same second as the decision: the store's order decides, not the clock */
    set_now(8000);
    ok(store_handle(st, r.leak_id, TRIAGE_DISABLED, NULL, "dave", &err) == AKW_OK,
       "handle again at 8000");
    struct store_record_result sec = rec("fp-h", "LTAI5tHandle00000000001", "acme/same",
                                         "h.yml", 1, "s1");
    ok(sec.reopened && status_of(r.leak_id) == LEAK_STATUS_UNHANDLED,
       "a new place recorded in the decision's second: reopened as a regression");
    ok(store_handle(st, r.leak_id, TRIAGE_DELETED, NULL, "dave", &err) == AKW_OK,
       "handle again in the same second");
    fx_loc(&loc, "acme/commit", "h.yml", 2, "s2", 0);
    loc.committed_at = 8000;
    ok(store_record(st, &in, &loc, &old, &err) == AKW_OK && old.reopened,
       "a commit of the decision's second, recorded after it: reopened");
    ok(store_handle(st, r.leak_id, TRIAGE_DELETED, NULL, "dave", &err) == AKW_OK,
       "handle again");
    fx_loc(&loc, "acme/early", "h.yml", 3, "s3", 0);
    loc.found_at = 7990; /* found by a scan that began before the decision, recorded after */
    ok(store_record(st, &in, &loc, &old, &err) == AKW_OK && old.reopened,
       "a place found before the decision but recorded after it: reopened");
    ok(store_handle(st, r.leak_id, TRIAGE_DELETED, NULL, "dave", &err) == AKW_OK,
       "handle again");
    fx_loc(&loc, "acme/hist", "h.yml", 4, "s4", 0);
    loc.committed_at = 7999;
    ok(store_record(st, &in, &loc, &old, &err) == AKW_OK && old.new_location && !old.reopened,
       "a commit one second before the decision: history, stays handled");
    struct store_record_result last = rec("fp-h", "LTAI5tHandle00000000001", "acme/last",
                                          "h.yml", 1, "s5");
    ok(last.reopened, "and a new place after it reopens it (the tests below want it open)");
}

static long
wl_leaks(const char *ak_or_fp, int *present)
{
    struct whitelist_entry *e = NULL;
    size_t n = 0;
    long count = -1;
    *present = 0;
    if (store_whitelist_list(st, &e, &n, &err) != AKW_OK)
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((e[i].ak_id && strcmp(e[i].ak_id, ak_or_fp) == 0) ||
            (e[i].fingerprint && strcmp(e[i].fingerprint, ak_or_fp) == 0)) {
            *present = 1;
            count = e[i].n_leaks;
        }
    store_whitelist_free(e, n);
    return count;
}

static void
test_whitelist(void)
{
    const char *ak = "LTAI5tWhite000000000001";
    set_now(8000);
    struct store_record_result before = rec("fp-w1", ak, "acme/w", "w.yml", 1, "w1");
    struct store_record_result other = rec("fp-w-other", "LTAI5tOther000000000001", "acme/w",
                                           "w.yml", 2, "w1");
    ok(store_whitelist_add(st, ak, "test key of the QA account", "alice", &err) == AKW_OK,
       "whitelist add (%s)", err.msg);
    ok(store_whitelist_add(st, ak, "again", "bob", &err) == AKW_OK, "whitelist add again");
    is_int(status_of(before.leak_id), LEAK_STATUS_WHITELISTED,
           "an existing leak of the AK ID becomes whitelisted");
    is_int(status_of(other.leak_id), LEAK_STATUS_UNHANDLED, "other AK IDs untouched");
    ok(audit_has(0, "alice", "whitelist-add", "test key of the QA account", 8000),
       "audit: whitelist-add by alice");
    ok(!audit_has(0, "bob", "whitelist-add", "again", 0), "adding again is a no-op");
    ok(audit_has(before.leak_id, "alice", "whitelisted", "test key of the QA account", 0),
       "audit: the leak's whitelisting");

    set_now(9000);
    struct store_record_result future = rec("fp-w2", ak, "acme/w2", "w2.yml", 5, "w2");
    ok(future.new_leak && future.whitelisted, "a future finding of the AK ID is whitelisted");
    is_int(status_of(future.leak_id), LEAK_STATUS_WHITELISTED, "stored as whitelisted");
    ok(audit_has(future.leak_id, "akwatch", "whitelisted", "whitelist entry", 0),
       "audit: recorded whitelisted by akwatch, naming the whitelist entry");
    int present;
    is_int(wl_leaks(ak, &present), 2, "whitelist entry counts its two leaks");
    ok(present, "whitelist lists the AK ID");

    /* a whitelisted leak seen in a new place never reopens */
    struct store_record_result seen = rec("fp-w2", ak, "acme/w3", "w2.yml", 5, "w3");
    ok(seen.whitelisted && !seen.reopened, "a whitelisted leak seen again stays whitelisted");

    set_now(9500);
    ok(store_whitelist_remove(st, ak, "bob", &err) == AKW_OK, "cancel whitelist (%s)", err.msg);
    is_int(status_of(before.leak_id), LEAK_STATUS_UNHANDLED, "cancel: leak back to unhandled");
    is_int(status_of(future.leak_id), LEAK_STATUS_UNHANDLED, "cancel: future leak too");
    ok(audit_has(0, "bob", "whitelist-remove", NULL, 9500), "audit: whitelist-remove by bob");
    ok(audit_has(before.leak_id, "bob", "reopened", "whitelist cancelled", 9500),
       "audit: each leak reopened by the cancel");
    wl_leaks(ak, &present);
    ok(!present, "entry gone from the list");
    ok(store_whitelist_remove(st, ak, "bob", &err) == AKW_ERR_NOTFOUND,
       "cancel of a non-whitelisted AK ID: notfound");
    ok(strstr(err.msg, ak) != NULL, "message names it (%s)", err.msg);
    struct store_record_result after = rec("fp-w3", ak, "acme/w4", "w.yml", 1, "w4");
    ok(after.new_leak && !after.whitelisted, "after cancel, new findings are not whitelisted");
    ok(store_whitelist_add(st, "", NULL, "x", &err) == AKW_ERR_USAGE, "empty AK ID refused");
}

static void
test_handle_whitelist(void)
{
    const char *ak = "LTAI5tTriageWl000000001";
    set_now(10000);
    struct store_record_result a = rec("fp-tw1", ak, "acme/t", "t.yml", 1, "t1");
    struct store_record_result b = rec("fp-tw2", ak, "acme/t", "t.yml", 2, "t1");
    ok(store_handle(st, a.leak_id, TRIAGE_WHITELISTED, "test account", "alice", &err) ==
           AKW_OK,
       "handle as whitelisted (%s)", err.msg);
    is_int(status_of(a.leak_id), LEAK_STATUS_WHITELISTED, "leak whitelisted");
    is_int(status_of(b.leak_id), LEAK_STATUS_WHITELISTED, "its AK ID's other leak too");
    int present;
    is_int(wl_leaks(ak, &present), 2, "AK ID whitelisted with two leaks");
    struct store_record_result c = rec("fp-tw3", ak, "acme/t", "t.yml", 3, "t1");
    ok(c.whitelisted, "future finding of that AK ID whitelisted");

    ok(store_handle(st, a.leak_id, TRIAGE_REOPENED, "not a test key", "bob", &err) == AKW_OK,
       "reopen a whitelisted leak");
    is_int(status_of(a.leak_id), LEAK_STATUS_UNHANDLED, "reopened leak unhandled");
    is_int(status_of(b.leak_id), LEAK_STATUS_UNHANDLED, "its whitelist entry is cancelled");
    is_int(status_of(c.leak_id), LEAK_STATUS_UNHANDLED, "for every leak of it");
    wl_leaks(ak, &present);
    ok(!present, "AK ID no longer whitelisted");
    ok(audit_has(a.leak_id, "bob", "reopened", "not a test key", 10000), "audit of reopen");

    /* a leak without AK ID is whitelisted by its fingerprint */
    struct store_record_result p = rec("fp-pw", NULL, "acme/p", "db.env", 1, "p1");
    ok(store_handle(st, p.leak_id, TRIAGE_WHITELISTED, NULL, "alice", &err) == AKW_OK,
       "whitelist a leak without AK ID");
    is_int(wl_leaks("fp-pw", &present), 1, "whitelisted by fingerprint");
    ok(store_whitelist_remove(st, "fp-pw", "alice", &err) == AKW_OK,
       "cancel by fingerprint (%s)", err.msg);
    is_int(status_of(p.leak_id), LEAK_STATUS_UNHANDLED, "back to unhandled");
}

static void
test_state(void)
{
    char *v = NULL;
    ok(store_state_get(st, "github-events", "etag", &v, &err) == AKW_ERR_NOTFOUND && !v,
       "state get of a missing key: notfound");
    ok(store_state_set(st, "github-events", "etag", "W/\"1\"", &err) == AKW_OK, "state set");
    ok(store_state_set(st, "github-events", "etag", "W/\"2\"", &err) == AKW_OK,
       "state set again");
    ok(store_state_set(st, "github-code", "etag", "other", &err) == AKW_OK,
       "same key, other source");
    ok(store_state_get(st, "github-events", "etag", &v, &err) == AKW_OK, "state get");
    is_str(v, "W/\"2\"", "latest value wins");
    free(v);
    v = NULL;
    ok(store_state_get(st, "github-code", "etag", &v, &err) == AKW_OK, "state get other");
    is_str(v, "other", "sources are separate");
    free(v);
}

static void
test_stats(void)
{
    struct store_stats s;
    ok(store_stats_get(st, &s, &err) == AKW_OK, "stats");
    struct leak_filter f = {0};
    long all = 0, un = 0;
    store_leak_count(st, &f, &all, &err);
    f.status_mask = 1 << LEAK_STATUS_UNHANDLED;
    store_leak_count(st, &f, &un, &err);
    is_int(s.leaks, all, "stats.leaks equals the count");
    is_int(s.unhandled, un, "stats.unhandled equals the unhandled count");
    is_int(s.leaks, s.unhandled + s.handled + s.whitelisted, "statuses add up");
    is_int(s.handled, 0, "no handled leak left (fp-h was reopened)");
    is_int(s.last_detection, 10000, "last detection is the latest last_seen");
    ok(s.locations >= s.leaks, "at least one location per leak");
    is_int(s.calls, 0, "no calls");
    is_int(s.alerts, 0, "no alerts");
}

/* Calls and alerts are written by other layers; the counts must follow whatever writes
 * them, so this writes them with plain SQL through a second connection. */
static void
test_stats_other_tables(void)
{
    int rc = fx_raw_sql(
        fx_store("leaks.db"),
        "INSERT INTO calls(ak_id, at, kind, event_key) VALUES"
        " ('LTAI5tHandle00000000001', 1, 'actiontrail', 'e1'),"
        " ('LTAI5tHandle00000000001', 2, 'actiontrail', 'e2');"
        "INSERT INTO alerts(leak_id, type, created_at) VALUES (1, 'leak', 1), (1, 'leak', 2);"
        "INSERT INTO alerts(call_id, type, created_at) VALUES (1, 'call', 3);"
        "DELETE FROM alerts WHERE created_at = 2;"
        "INSERT INTO leaks(fingerprint, first_seen, last_seen, owned, status)"
        " VALUES ('fp-raw', 1, 1, 1, 1);");
    is_int(rc, 0, "insert calls and alerts behind the store's back");
    struct store_stats s;
    ok(store_stats_get(st, &s, &err) == AKW_OK, "stats");
    is_int(s.calls, 2, "two calls counted");
    is_int(s.alerts, 2, "two alerts counted (one deleted)");
    is_int(s.call_alerts, 1, "one call alert");
    is_int(s.owned, 1, "an owned leak written by another layer is counted");
    is_int(s.handled, 1, "and its status");
}

/* A batch is all or nothing: after one failed write (here a decision on a leak that does
 * not exist) a later record and the commit refuse, and nothing of the batch is kept; the
 * next batch works. */
static void
test_batch_failed(void)
{
    struct leak_filter all = {0, NULL, NULL, LEAK_SORT_TIME, 0};
    long before = -1, after = -2;
    ok(store_leak_count(st, &all, &before, &err) == AKW_OK, "count before the batch");
    ok(store_begin(st, &err) == AKW_OK, "a batch starts");
    struct store_record_result r = rec("fp-batch-1", NULL, "acme/b", "a.env", 1, "c1");
    ok(r.new_leak && r.leak_id > 0, "its first finding is recorded");
    ok(store_handle(st, 999999, TRIAGE_DELETED, NULL, "t", &err) == AKW_ERR_NOTFOUND,
       "a decision on no leak fails (%s)", err.msg);
    struct leak l;
    struct location loc;
    fx_leak(&l, "fp-batch-2", NULL, SEVERITY_HIGH, 0);
    fx_loc(&loc, "acme/b", "b.env", 1, "c1", 0);
    akw_err_clear(&err);
    ok(store_record(st, &l, &loc, &r, &err) == AKW_ERR_DB && r.leak_id == 0,
       "a later record in the failed batch refuses");
    ok(strstr(err.msg, "earlier write of this batch failed") != NULL, "and says why (%s)",
       err.msg);
    akw_err_clear(&err);
    ok(store_commit(st, &err) == AKW_ERR_DB, "the commit refuses too (%s)", err.msg);
    enum akw_status cs = store_leak_count(st, &all, &after, &err);
    ok(cs == AKW_OK && after == before, "nothing of the batch is kept (%ld leaks, %ld before)",
       after, before);
    ok(store_begin(st, &err) == AKW_OK, "the next batch starts");
    r = rec("fp-batch-3", NULL, "acme/b", "c.env", 1, "c1");
    ok(store_commit(st, &err) == AKW_OK && r.new_leak, "and commits (%s)", err.msg);
    cs = store_leak_count(st, &all, &after, &err);
    ok(cs == AKW_OK && after == before + 1, "with its one leak (%ld)", after);
}

int
main(void)
{
    test_names();
    ok(store_open(fx_store("leaks.db"), 0, &st, &err) == AKW_OK, "open (%s)", err.msg);
    if (!st)
        return done_testing();
    test_dedupe();
    test_handle();
    test_whitelist();
    test_handle_whitelist();
    test_state();
    test_stats();
    test_stats_other_tables();
    test_batch_failed();
    store_close(st);
    return done_testing();
}
