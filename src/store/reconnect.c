/* reconnect — a server store whose connection was lost (PostgreSQL restarted, the network
 * dropped): telling that it is lost, connecting again (statements prepared anew on first
 * use, LISTEN made again), the backoff between attempts, and the wait a long-running
 * writer (a watcher) asks for: at the start of an operation on a lost connection, connect
 * again with backoff until the server is back or the owner gives up. An operation cut in
 * the middle is not retried here: its transaction was rolled back by the server, and the
 * caller retries it whole (store_record does; a batch's owner re-runs its batch).
 */
#include "config.h"
#include "store/store_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BACKOFF_FIRST_S 0.5
#define BACKOFF_MAX_S 30.0

int
store_lost(struct store *st)
{
    return st && drv_lost(st->db);
}

double
store_backoff(unsigned attempt, double max_s, unsigned *seed)
{
    if (max_s <= 0)
        max_s = BACKOFF_MAX_S;
    double d = BACKOFF_FIRST_S;
    for (unsigned i = 0; i < attempt && d < max_s; i++)
        d *= 2;
    if (d > max_s)
        d = max_s;
    /* ±20 %: watchers cut off at the same instant do not all come back in step */
    double jitter = 0.8 + 0.4 * ((double)rand_r(seed) / RAND_MAX);
    return d * jitter;
}

enum akw_status
store_reconnect(struct store *st, struct akw_err *err)
{
    if (!drv_lost(st->db))
        return AKW_OK;
    /* the server forgot every prepared statement and the open transaction */
    store_stmts_finalize(st);
    store_list_cache_reset(st);
    st->in_batch = 0;
    st->batch_failed = 0;
    st->in_tx = 0;
    if (drv_reconnect(st->db) != 0)
        return akw_err_set(err, AKW_ERR_DB, _("%s: cannot connect to the store: %s"), st->path,
                           drv_errmsg(st->db));
    if (st->listening && drv_listen(st->db, "akwatch") == -1)
        return store_sqlerr(st, err, "listening for changes");
    return AKW_OK;
}

void
store_on_lost(struct store *st, store_lost_fn fn, void *arg, double max_s)
{
    st->on_lost = fn;
    st->on_lost_arg = arg;
    st->backoff_max_s = max_s;
    st->seed = (unsigned)(uintptr_t)st ^ (unsigned)akw_now();
}

enum akw_status
store_reconnect_wait(struct store *st, struct akw_err *err)
{
    if (!drv_lost(st->db))
        return AKW_OK;
    if (!st->on_lost)
        return store_reconnect(st, err);
    for (unsigned n = 0;; n++) {
        struct akw_err why;
        akw_err_clear(&why);
        if (store_reconnect(st, &why) == AKW_OK) {
            st->on_lost(st->on_lost_arg, 0, NULL);
            return AKW_OK;
        }
        double wait_s = store_backoff(n, st->backoff_max_s, &st->seed);
        if (st->on_lost(st->on_lost_arg, wait_s, &why) != 0)
            return akw_err_set(err, AKW_ERR_CANCEL, "%s", why.msg);
    }
}

enum akw_status
store_ensure(struct store *st, struct akw_err *err)
{
    /* mid-transaction the statements must fail: a reconnect would run the rest of it on
     * its own, without what the lost connection had done */
    if (!st->on_lost || st->in_batch || st->in_tx || !drv_lost(st->db))
        return AKW_OK;
    return store_reconnect_wait(st, err);
}
