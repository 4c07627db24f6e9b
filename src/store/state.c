/* state — small per-source key/value scan state (cursors, ETags, seen blob shas) and the
 * counters of the header line. No knowledge of what the sources keep in it. */
#include "config.h"
#include "store/store_int.h"

#include <string.h>

/* A single statement cut by a lost connection outside any transaction: run it again once
 * connected (store_on_lost), as the server did nothing of it. */
static int
again(struct store *st, enum akw_status s)
{
    return s == AKW_ERR_DB && st->on_lost && !st->in_batch && !st->in_tx && store_lost(st);
}

static enum akw_status
state_get(struct store *st, const char *source, const char *key, char **value,
          struct akw_err *err)
{
    *value = NULL;
    struct drv_stmt *s = store_stmt(st, SQL_STATE_GET, err);
    if (!s)
        return err->code ? err->code : AKW_ERR_DB;
    store_bind_text_e(s, 1, source);
    store_bind_text_e(s, 2, key);
    int rc = drv_step(s);
    if (rc == DRV_ROW) {
        const char *v = drv_col_text(s, 0);
        *value = xstrdup(v ? v : "");
    }
    drv_reset(s);
    if (rc == DRV_ROW)
        return AKW_OK;
    if (rc == DRV_DONE)
        return akw_err_set(err, AKW_ERR_NOTFOUND, "%s: no state %s/%s", st->path,
                           source ? source : "", key ? key : "");
    return store_sqlerr(st, err, "reading scan state");
}

enum akw_status
store_state_get(struct store *st, const char *source, const char *key, char **value,
                struct akw_err *err)
{
    struct akw_err local;
    if (!err)
        err = &local;
    akw_err_clear(err);
    enum akw_status s;
    while (again(st, s = state_get(st, source, key, value, err)))
        ;
    return s;
}

static enum akw_status
state_set(struct store *st, const char *source, const char *key, const char *value,
          struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_STATE_SET, err);
    if (!s)
        return err->code ? err->code : AKW_ERR_DB;
    store_bind_text_e(s, 1, source);
    store_bind_text_e(s, 2, key);
    store_bind_text_e(s, 3, value);
    drv_bind_int64(s, 4, (int64_t)akw_now());
    int rc = drv_step(s);
    drv_reset(s);
    if (rc != DRV_DONE)
        return store_sqlerr(st, err, "saving scan state");
    return AKW_OK;
}

enum akw_status
store_state_set(struct store *st, const char *source, const char *key, const char *value,
                struct akw_err *err)
{
    if (st->readonly)
        return akw_err_set(err, AKW_ERR_DB, _("%s: store is opened read-only"), st->path);
    struct akw_err local;
    if (!err)
        err = &local;
    akw_err_clear(err);
    enum akw_status s;
    while (again(st, s = state_set(st, source, key, value, err)))
        ;
    return s;
}

/* Every count is kept by triggers (migration 2), so this is a few small reads. */
static const char *const stats_sql =
    "SELECT (SELECT coalesce(sum(n), 0) FROM leak_counts),"
    " (SELECT coalesce(sum(n), 0) FROM leak_counts WHERE status = 0),"
    " (SELECT coalesce(sum(n), 0) FROM leak_counts WHERE status = 1),"
    " (SELECT coalesce(sum(n), 0) FROM leak_counts WHERE status = 2),"
    " (SELECT coalesce(sum(n), 0) FROM leak_counts WHERE owned = 1),"
    " (SELECT n FROM row_counts WHERE name = 'locations'),"
    " (SELECT n FROM row_counts WHERE name = 'calls'),"
    " (SELECT n FROM row_counts WHERE name = 'call_alerts'),"
    " (SELECT n FROM row_counts WHERE name = 'alerts'),"
    " (SELECT coalesce(max(last_seen), 0) FROM leaks)";

enum akw_status
store_stats_get(struct store *st, struct store_stats *out, struct akw_err *err)
{
    memset(out, 0, sizeof *out);
    struct drv_stmt *s = store_stmt_dyn(st, stats_sql, err);
    if (!s)
        return AKW_ERR_DB;
    int rc = drv_step(s);
    if (rc == DRV_ROW) {
        long *f[] = {&out->leaks,     &out->unhandled, &out->handled,     &out->whitelisted,
                     &out->owned,     &out->locations, &out->calls,       &out->call_alerts,
                     &out->alerts};
        for (int i = 0; i < 9; i++)
            *f[i] = (long)drv_col_int64(s, i);
        out->last_detection = (time_t)drv_col_int64(s, 9);
    }
    drv_reset(s);
    if (rc != DRV_ROW)
        return store_sqlerr(st, err, "reading statistics");
    return AKW_OK;
}
