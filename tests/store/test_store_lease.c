/* Tests for leases (several watchers on one store): a free source is taken, another owner's
 * running lease is refused, its own is renewed (since kept), an expired one is taken over
 * (since anew), a gone owner's running one is taken over at once, release gives back only
 * the owner's, the list shows them. Time is moved with AKWATCH_NOW. Runs on PostgreSQL too (tests/store/on_postgresql.sh). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "tap.h"

static struct store *st;
static struct akw_err err;

static int
take(const char *source, const char *owner, const char *now)
{
    int held = -1;
    setenv("AKWATCH_NOW", now, 1);
    if (store_lease_take(st, source, owner, 120, "core 10/5000", &held, &err) != AKW_OK)
        return -1;
    return held;
}

int
main(void)
{
    ok(store_open(fx_store("lease.db"), 0, &st, &err) == AKW_OK, "open (%s)", err.msg);
    if (!st)
        return done_testing();
    is_int(take("search", "a:1", "2026-01-01T00:00:00Z"), 1, "a free source is taken");
    is_int(take("search", "b:2", "2026-01-01T00:01:00Z"), 0, "another watcher's lease holds");
    is_int(take("events", "b:2", "2026-01-01T00:01:00Z"), 1, "a different source is free");
    is_int(take("search", "a:1", "2026-01-01T00:01:30Z"), 1, "the owner renews its lease");
    is_int(take("search", "b:2", "2026-01-01T00:03:00Z"), 0, "renewed: still held at +90 s");
    is_int(take("search", "b:2", "2026-01-01T00:03:30Z"), 1,
           "expired (a killed owner): taken over");
    is_int(take("search", "a:1", "2026-01-01T00:03:40Z"), 0, "the old owner lost it");

    struct lease *l = NULL;
    size_t n = 0;
    ok(store_leases_list(st, &l, &n, &err) == AKW_OK, "list (%s)", err.msg);
    is_int((long)n, 2, "two leases");
    if (n == 2) {
        is_str(l[0].source, "events", "ordered by owner, then source");
        is_str(l[1].owner, "b:2", "search is b's now");
        is_int((long)l[1].since, 1767225810L, "since the take-over (not the first take)");
        is_int((long)l[1].expires, 1767225810L + 120, "until 120 s later");
        is_str(l[1].budget, "core 10/5000", "with the budget");
    }
    store_leases_free(l, n);
    /* b is known to be gone (killed on this host): c takes its running lease over at once,
     * and only from b (a row someone else took meanwhile is not taken over) */
    int held = -1;
    setenv("AKWATCH_NOW", "2026-01-01T00:03:35Z", 1);
    ok(store_lease_take_over(st, "search", "b:2", "c:3", 120, "", &held, &err) == AKW_OK,
       "take over (%s)", err.msg);
    is_int(held, 1, "a gone owner's running lease is taken over");
    held = -1;
    ok(store_lease_take_over(st, "search", "b:2", "d:4", 120, "", &held, &err) == AKW_OK,
       "take over again (%s)", err.msg);
    is_int(held, 0, "not once it is someone else's");
    is_int(take("search", "b:2", "2026-01-01T00:03:36Z"), 0, "c holds it now");
    ok(store_lease_release(st, "c:3", &err) == AKW_OK, "c releases");
    ok(store_lease_release(st, "a:1", &err) == AKW_OK, "a releases (it holds nothing)");
    ok(store_lease_release(st, "b:2", &err) == AKW_OK, "b releases");
    ok(store_leases_list(st, &l, &n, &err) == AKW_OK && n == 0, "nothing left");
    store_leases_free(l, n);
    is_int(take("search", "a:1", "2026-01-01T00:03:50Z"), 1, "a released source is free at once");
    store_close(st);
    return done_testing();
}
