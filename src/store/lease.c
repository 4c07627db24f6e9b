/* lease — which watcher runs which GitHub source: a row per source with its owner and an
 * expiry, taken atomically (an upsert that only wins when the row is the taker's own or has
 * expired, so two watchers never both hold one), renewed while the owner runs it, released
 * when it stops. A killed watcher's rows simply expire. Knows nothing of the sources. */
#include "config.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

enum akw_status
store_lease_take(struct store *st, const char *source, const char *owner, int seconds,
                 const char *budget, int *held, struct akw_err *err)
{
    *held = 0;
    if (st->readonly)
        return akw_err_set(err, AKW_ERR_DB, _("%s: store is opened read-only"), st->path);
    /* the row's own owner renews (since kept); anyone takes an expired row (since anew) */
    struct drv_stmt *s = store_stmt_dyn(
        st,
        "INSERT INTO leases(source, owner, since, expires, budget) VALUES(?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT(source) DO UPDATE SET owner = excluded.owner,"
        " since = CASE WHEN leases.owner = excluded.owner THEN leases.since"
        "  ELSE excluded.since END,"
        " expires = excluded.expires, budget = excluded.budget"
        " WHERE leases.owner = excluded.owner OR leases.expires <= excluded.since"
        " RETURNING owner",
        err);
    if (!s)
        return AKW_ERR_DB;
    int64_t now = (int64_t)akw_now();
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, owner);
    drv_bind_int64(s, 3, now);
    drv_bind_int64(s, 4, now + (seconds > 0 ? seconds : 120));
    store_bind_text(s, 5, budget);
    int rc = drv_step(s);
    if (rc == DRV_ERROR)
        return store_sqlerr(st, err, "taking a lease");
    *held = rc == DRV_ROW;
    drv_reset(s);
    return AKW_OK;
}

enum akw_status
store_lease_take_over(struct store *st, const char *source, const char *dead_owner,
                      const char *owner, int seconds, const char *budget, int *held,
                      struct akw_err *err)
{
    *held = 0;
    if (st->readonly)
        return akw_err_set(err, AKW_ERR_DB, _("%s: store is opened read-only"), st->path);
    struct drv_stmt *s = store_stmt_dyn(
        st,
        "UPDATE leases SET owner = ?3, since = ?4, expires = ?5, budget = ?6"
        " WHERE source = ?1 AND owner = ?2 RETURNING owner",
        err);
    if (!s)
        return AKW_ERR_DB;
    int64_t now = (int64_t)akw_now();
    store_bind_text(s, 1, source);
    store_bind_text(s, 2, dead_owner);
    store_bind_text(s, 3, owner);
    drv_bind_int64(s, 4, now);
    drv_bind_int64(s, 5, now + (seconds > 0 ? seconds : 120));
    store_bind_text(s, 6, budget);
    int rc = drv_step(s);
    if (rc == DRV_ERROR)
        return store_sqlerr(st, err, "taking a lease over");
    *held = rc == DRV_ROW;
    drv_reset(s);
    return AKW_OK;
}

enum akw_status
store_lease_release(struct store *st, const char *owner, struct akw_err *err)
{
    struct drv_stmt *s = store_stmt_dyn(st, "DELETE FROM leases WHERE owner = ?1", err);
    if (!s)
        return AKW_ERR_DB;
    store_bind_text(s, 1, owner);
    int rc = drv_step(s);
    drv_reset(s);
    return rc == DRV_ERROR ? store_sqlerr(st, err, "releasing leases") : AKW_OK;
}

void
lease_done(struct lease *l)
{
    if (!l)
        return;
    free(l->source), free(l->owner), free(l->budget);
    memset(l, 0, sizeof *l);
}

static void
lease_row(struct drv_stmt *s, void *item)
{
    struct lease *l = item;
    l->source = store_col_dup(s, 0);
    l->owner = store_col_dup(s, 1);
    l->since = (time_t)drv_col_int64(s, 2);
    l->expires = (time_t)drv_col_int64(s, 3);
    l->budget = store_col_dup(s, 4);
}

static void
lease_item_done(void *item)
{
    lease_done(item);
}

static const struct store_rows lease_rows = {sizeof(struct lease), lease_row, lease_item_done,
                                             "reading the leases"};

enum akw_status
store_leases_list(struct store *st, struct lease **out, size_t *n, struct akw_err *err)
{
    *out = NULL;
    *n = 0;
    struct drv_stmt *s = store_stmt_dyn(
        st, "SELECT source, owner, since, expires, budget FROM leases ORDER BY owner, source",
        err);
    if (!s)
        return AKW_ERR_DB;
    void *v;
    enum akw_status status = store_rows_read(st, s, &lease_rows, &v, n, err);
    *out = v;
    return status;
}

void
store_leases_free(struct lease *l, size_t n)
{
    store_rows_free(l, n, &lease_rows);
}
