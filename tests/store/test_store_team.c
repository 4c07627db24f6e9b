/* Tests for several analysts on one store: two connections; a decision taken on a leak
 * another changed since it was read is refused, naming who and when, and writes nothing;
 * one taken on what is there goes through; on a server store a connection that listens
 * (store_listen) is told within 2 s of the other's commits, and a SQLite file says it
 * cannot tell. Runs on PostgreSQL too (tests/store/on_postgresql.sh). */
#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "tap.h"

static struct akw_err err;

static int64_t
record(struct store *st, const char *fp)
{
    struct leak l;
    struct location loc;
    struct store_record_result r;
    fx_leak(&l, fp, NULL, SEVERITY_HIGH, 0);
    fx_loc(&loc, "acme/app", "conf/app.yml", 3, NULL, 0);
    akw_err_clear(&err);
    ok(store_record(st, &l, &loc, &r, &err) == AKW_OK, "record %s (%s)", fp, err.msg);
    return r.leak_id;
}

/* Wait up to 2 s for st to be told of a change. */
static int
told(struct store *st, int fd)
{
    for (int i = 0; i < 20; i++) {
        int c = store_changed(st, &err);
        if (c != 0)
            return c;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        poll(&p, 1, 100);
    }
    return 0;
}

static void
test_listen(struct store *a, struct store *b)
{
    akw_err_clear(&err);
    int fd = store_listen(b, &err);
    if (!fx_on_server()) {
        is_int(fd, -1, "a SQLite file cannot tell (-1)");
        is_str(err.msg, "", "and that is no error");
        return;
    }
    ok(fd >= 0, "B listens (%s)", err.msg);
    is_int(store_changed(b, &err), 0, "nothing changed yet");
    record(a, "fp-team-new");
    is_int(told(b, fd), 1, "A records a new leak: B is told within 2 s");
    is_int(store_changed(b, &err), 0, "once");
    int64_t id = record(a, "fp-team-new2");
    told(b, fd);
    ok(store_handle(a, id, TRIAGE_DISABLED, NULL, "alice", &err) == AKW_OK, "A decides (%s)",
       err.msg);
    is_int(told(b, fd), 1, "B is told of A's decision within 2 s");
    ok(store_whitelist_add(a, "LTAI5tTeamWhitelist01", "test key", "alice", &err) == AKW_OK,
       "A whitelists an AK ID");
    is_int(told(b, fd), 1, "B is told of the whitelist");
}

int
main(void)
{
    struct store *a = NULL, *b = NULL;
    const char *loc = fx_store("team.db");
    ok(store_open(loc, 0, &a, &err) == AKW_OK, "A opens (%s)", err.msg);
    ok(store_open(loc, 0, &b, &err) == AKW_OK, "B opens (%s)", err.msg);
    if (!a || !b)
        return done_testing();
    int64_t id = record(a, "fp-team-1");

    /* both read the leak: unhandled */
    struct leak la, lb;
    ok(store_leak_get(a, id, &la, &err) == AKW_OK && store_leak_get(b, id, &lb, &err) == AKW_OK,
       "A and B read the leak");
    struct leak_seen sa = {la.status, la.handled_as}, sb = {lb.status, lb.handled_as};
    setenv("AKWATCH_NOW", "2026-03-04T05:06:07Z", 1);
    ok(store_handle_seen(a, id, TRIAGE_DISABLED, "rotated", "alice", &sa, &err) == AKW_OK,
       "A decides on what it saw (%s)", err.msg);
    unsetenv("AKWATCH_NOW");
    akw_err_clear(&err);
    is_int(store_handle_seen(b, id, TRIAGE_DELETED, NULL, "bob", &sb, &err), AKW_ERR_STALE,
           "B's decision on the stale row is refused");
    ok(strstr(err.msg, " was changed by alice at 2026-03-04T05:06:07Z (it is disabled") != NULL,
       "the message names who and when (%s)", err.msg);
    ok(!strchr(err.msg, '\n'), "one line");

    struct leak now;
    ok(store_leak_get(b, id, &now, &err) == AKW_OK, "read it again");
    is_int(now.status, LEAK_STATUS_HANDLED, "still handled");
    is_int(now.handled_as, HANDLED_DISABLED, "still A's decision: nothing was overwritten");
    struct audit_entry *e = NULL;
    size_t n = 0;
    ok(store_audit_list(b, id, &e, &n, &err) == AKW_OK, "audit");
    is_int((long)n, 1, "one audit row: B's refused decision left none");
    if (n == 1)
        is_str(e[0].who, "alice", "the audit names who decided (the OS user: one role)");
    store_audit_free(e, n);

    struct leak_seen fresh = {now.status, now.handled_as};
    akw_err_clear(&err);
    ok(store_handle_seen(b, id, TRIAGE_DELETED, NULL, "bob", &fresh, &err) == AKW_OK,
       "B decides again on what is there now (%s)", err.msg);
    ok(store_handle(a, id, TRIAGE_REOPENED, NULL, "alice", &err) == AKW_OK,
       "store_handle does not check (the CLI's explicit decision)");
    leak_done(&la), leak_done(&lb), leak_done(&now);

    test_listen(a, b);
    store_close(a);
    store_close(b);
    return done_testing();
}
