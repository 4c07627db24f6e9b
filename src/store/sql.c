/* sql — the per-connection statement cache, the store's error messages in plain words,
 * transaction helpers, binders and row readers. No table knowledge beyond the cached SQL texts. */
#include "config.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* The statements that record a finding share one numbering of their parameters, so that
 * the one-statement record (SQL_RECORD_ONE) is made of the same texts as the separate
 * steps and one binder fills either (record.c):
 *   the leak      ?1 fingerprint ?2 rule ?3 kind ?4 description ?5 ak_id ?6 secret_masked
 *                 ?7 secret ?8 severity ?9 owned ?10 status ?11 first_seen ?12 last_seen
 *                 ?13 first_repo ?14 first_path ?15 confidence
 *   its place     ?16 leak id ?17 platform ?18 repo ?19 path ?20 line ?21 col ?22 commit_sha
 *                 ?23 url ?24 author ?25 committed_at ?26 found_at ?27 snippet
 *   SQL_RECORD_ONE only: ?28 the status of a whitelisted new leak, ?29 1 = there is a place */
#define LEAK_INSERT_INTO \
    "INSERT INTO leaks(fingerprint, rule, kind, description, ak_id, secret_masked, secret," \
    " severity, owned, status, handled_as, first_seen, last_seen, first_repo, first_path," \
    " confidence)"
#define LEAK_VALUES(status) \
    "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, " status ", 0, ?11, ?12, ?13, ?14, ?15"
/* a known leak seen again: a later last_seen, and the strongest severity, ownership and
 * confidence of its findings */
#define LEAK_TOUCH_SET \
    " last_seen = CASE WHEN last_seen > ?12 THEN last_seen ELSE ?12 END," \
    " severity = CASE WHEN severity > ?8 THEN severity ELSE ?8 END," \
    " owned = CASE WHEN owned > ?9 THEN owned ELSE ?9 END," \
    " ak_id = coalesce(ak_id, ?5), secret = coalesce(secret, ?7)," \
    " confidence = CASE WHEN coalesce(confidence, 0) > ?15 THEN confidence ELSE ?15 END"
#define LOCATION_INSERT_INTO \
    "INSERT INTO locations(leak_id, platform, repo, path, line, col, commit_sha, url," \
    " author, committed_at, found_at, snippet)"
/* the time is cast so that a server types it when the first one bound is NULL */
#define LOCATION_VALUES(leak) \
    leak ", ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, CAST(?25 AS BIGINT), ?26, ?27"
#define LOCATION_CONFLICT \
    " ON CONFLICT(leak_id, platform, repo, path, line, commit_sha) DO NOTHING"
#define WHITELISTED \
    "EXISTS(SELECT 1 FROM whitelist WHERE fingerprint = ?1)" \
    " OR EXISTS(SELECT 1 FROM whitelist WHERE ak_id = ?5)"

/* clang-format off */
static const char *const stmt_sql[SQL__COUNT] = {
    [SQL_LEAK_INSERT] =
        LEAK_INSERT_INTO " VALUES(" LEAK_VALUES("?10") ")"
        " ON CONFLICT(fingerprint) DO NOTHING RETURNING id",
    [SQL_LEAK_TOUCH] =
        "UPDATE leaks SET" LEAK_TOUCH_SET
        " WHERE fingerprint = ?1 RETURNING id, status, coalesce(handled_at, 0), ak_id, confidence",
    [SQL_LEAK_REOPEN] =
        "UPDATE leaks SET status = 0, handled_as = 0, handled_at = NULL, note = ?2"
        " WHERE id = ?1",
    [SQL_LOCATION_INSERT] =
        LOCATION_INSERT_INTO " VALUES(" LOCATION_VALUES("?16") ")" LOCATION_CONFLICT,
    [SQL_WHITELISTED] =
        "SELECT " WHITELISTED,
    /* A finding recorded in one statement, where the server writes inside WITH (dialect
     * writes_in_with): the leak's confidence before (NULL: it was new) and whitelisting,
     * the insert of a new leak or the touch of a known one, and its place; one row: the
     * confidence before, whitelisted, the leak's id, status, handling time and confidence
     * after a touch, and 1 when the place is new. Every part sees the store as the
     * statement began, so the insert and the touch exclude each other; no id (a writer
     * inserted the fingerprint meanwhile) means: record it step by step. */
    [SQL_RECORD_ONE] =
        "WITH old AS (SELECT id, coalesce(confidence, 3) AS conf FROM leaks"
        "  WHERE fingerprint = ?1),"
        " wl AS (SELECT " WHITELISTED " AS w),"
        " ins AS (" LEAK_INSERT_INTO
        "  SELECT " LEAK_VALUES("CASE WHEN w THEN ?28 ELSE ?10 END")
        "  FROM wl WHERE NOT EXISTS(SELECT 1 FROM old)"
        "  ON CONFLICT(fingerprint) DO NOTHING RETURNING id, status),"
        " upd AS (UPDATE leaks SET" LEAK_TOUCH_SET " FROM old WHERE leaks.id = old.id"
        "  RETURNING leaks.id, leaks.status, coalesce(leaks.handled_at, 0) AS handled_at,"
        "  leaks.confidence),"
        " lid AS (SELECT id FROM ins UNION ALL SELECT id FROM upd),"
        " loc AS (" LOCATION_INSERT_INTO " SELECT " LOCATION_VALUES("id")
        "  FROM lid WHERE ?29 = 1" LOCATION_CONFLICT " RETURNING 1)"
        " SELECT old.conf, wl.w, coalesce(ins.id, upd.id), coalesce(ins.status, upd.status),"
        " coalesce(upd.handled_at, 0), upd.confidence, (SELECT count(*) FROM loc)"
        " FROM wl LEFT JOIN old ON true LEFT JOIN ins ON true LEFT JOIN upd ON true",
    [SQL_LEAK_GET] =
        "SELECT " STORE_LEAK_COLUMNS " FROM leaks l WHERE l.id = ?1",
    [SQL_LEAK_STATE] =
        "SELECT status, handled_as, ak_id, fingerprint FROM leaks WHERE id = ?1",
    [SQL_LOCATIONS_GET] =
        "SELECT id, leak_id, platform, repo, path, line, col, commit_sha, url, author,"
        " committed_at, found_at, snippet FROM locations WHERE leak_id = ?1 ORDER BY id",
    [SQL_ACTION_INSERT] =
        "INSERT INTO actions(leak_id, ak_id, who, what, note, at, old_status, new_status)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [SQL_STATE_GET] =
        "SELECT value FROM scan_state WHERE source = ?1 AND key = ?2",
    [SQL_STATE_SET] =
        "INSERT INTO scan_state(source, key, value, updated_at) VALUES(?1, ?2, ?3, ?4)"
        " ON CONFLICT(source, key) DO UPDATE SET value = excluded.value,"
        " updated_at = excluded.updated_at",
    /* ungraded (NULL) counts as high: it was listed and alerted as such */
    [SQL_LEAK_CONFIDENCE] =
        "SELECT coalesce(confidence, 3) FROM leaks WHERE fingerprint = ?1",
};
/* clang-format on */

enum akw_status
store_fault_err(const char *path, enum drv_fault f, const char *msg, const char *what,
                struct akw_err *err)
{
    switch (f) {
    case DRV_FAULT_BUSY:
        return akw_err_set(err, AKW_ERR_DB,
                           _("%s: database is locked (another akwatch is writing to it; "
                             "try again)"),
                           path);
    case DRV_FAULT_CORRUPT:
        return akw_err_set(err, AKW_ERR_DB, _("%s: database is corrupt (%s)"), path, msg);
    case DRV_FAULT_READONLY:
        return akw_err_set(err, AKW_ERR_DB, _("%s: store is read-only (%s)"), path, what);
    case DRV_FAULT_FULL:
        return akw_err_set(err, AKW_ERR_DB, _("%s: disk full while %s"), path, what);
    case DRV_FAULT_CANTOPEN:
        return akw_err_set(err, AKW_ERR_DB, _("%s: cannot open the store (%s)"), path, msg);
    case DRV_FAULT_DENIED:
        return akw_err_set(err, AKW_ERR_DB, _("%s: not allowed while %s: %s"), path, what, msg);
    case DRV_FAULT_CONN:
        return akw_err_set(err, AKW_ERR_DB, _("%s: lost the connection to the server while %s (%s)"),
                           path, what, msg);
    default:
        return akw_err_set(err, AKW_ERR_DB, "%s: %s: %s", path, what, msg);
    }
}

enum akw_status
store_sqlerr_db(struct drv *db, const char *path, struct akw_err *err, const char *what)
{
    return store_fault_err(path, drv_fault(db), drv_errmsg(db), what, err);
}

enum akw_status
store_sqlerr(struct store *st, struct akw_err *err, const char *what)
{
    if (drv_fault(st->db) == DRV_FAULT_DENIED && st->db->denied_on[0])
        return store_denied_err(st, what, err);
    return store_sqlerr_db(st->db, st->path, err, what);
}

struct drv_stmt *
store_stmt(struct store *st, enum store_stmt_id id, struct akw_err *err)
{
    if (store_ensure(st, err) != AKW_OK)
        return NULL;
    struct drv_stmt *s = st->stmts[id];
    if (s) {
        drv_reset(s);
        drv_clear(s);
        return s;
    }
    const char *sql = stmt_sql[id];
    if (id == SQL_LEAK_REOPEN && st->db->dialect->leak_reopen)
        sql = st->db->dialect->leak_reopen;
    if (drv_prepare(st->db, sql, 1, &s) != 0) {
        store_sqlerr(st, err, "prepare");
        return NULL;
    }
    st->stmts[id] = s;
    return s;
}

/* Pick the slot to reuse: a free one, else the least recently used idle one. */
static struct store_dyn *
dyn_victim(struct store *st)
{
    struct store_dyn *best = NULL;
    for (size_t i = 0; i < STORE_DYN_SLOTS; i++) {
        struct store_dyn *d = &st->dyn[i];
        if (!d->stmt)
            return d;
        if (drv_busy(d->stmt))
            continue;
        if (!best || d->used < best->used)
            best = d;
    }
    return best;
}

struct drv_stmt *
store_stmt_dyn(struct store *st, const char *sql, struct akw_err *err)
{
    if (store_ensure(st, err) != AKW_OK)
        return NULL;
    st->dyn_clock++;
    for (size_t i = 0; i < STORE_DYN_SLOTS; i++) {
        struct store_dyn *d = &st->dyn[i];
        if (d->sql && strcmp(d->sql, sql) == 0) {
            d->used = st->dyn_clock;
            drv_reset(d->stmt);
            drv_clear(d->stmt);
            return d->stmt;
        }
    }
    struct drv_stmt *s;
    if (drv_prepare(st->db, sql, 1, &s) != 0) {
        store_sqlerr(st, err, "prepare");
        return NULL;
    }
    struct store_dyn *d = dyn_victim(st);
    if (!d) {
        /* every slot busy: cannot happen with the store's own call patterns */
        drv_finalize(s);
        akw_err_set(err, AKW_ERR_DB, "%s: too many open queries", st->path);
        return NULL;
    }
    drv_finalize(d->stmt);
    free(d->sql);
    d->sql = xstrdup(sql);
    d->stmt = s;
    d->used = st->dyn_clock;
    return s;
}

void
store_stmts_finalize(struct store *st)
{
    for (size_t i = 0; i < SQL__COUNT; i++) {
        drv_finalize(st->stmts[i]);
        st->stmts[i] = NULL;
    }
    for (size_t i = 0; i < STORE_DYN_SLOTS; i++) {
        drv_finalize(st->dyn[i].stmt);
        free(st->dyn[i].sql);
        st->dyn[i].stmt = NULL;
        st->dyn[i].sql = NULL;
    }
}

enum akw_status
store_exec(struct store *st, const char *sql, struct akw_err *err)
{
    if (drv_exec(st->db, sql) != 0)
        return store_sqlerr(st, err, sql);
    return AKW_OK;
}

void
store_counts_fold(struct store *st)
{
    const char *fold = st->db->dialect->fold_counts;
    if (!fold || st->readonly || st->unfolded < STORE_FOLD_AFTER || drv_in_tx(st->db))
        return;
    if (drv_exec(st->db, fold) == 0)
        st->unfolded = 0;
    else
        st->unfolded = STORE_FOLD_AFTER / 2; /* not after every commit while it fails */
}

enum akw_status
store_tx_start(struct store *st, struct akw_err *err)
{
    if (st->readonly)
        return akw_err_set(err, AKW_ERR_DB, _("%s: store is opened read-only"), st->path);
    if (st->in_batch) /* its writes go into the batch's transaction */
        return st->batch_failed ? store_batch_failed_err(st, err) : AKW_OK;
    enum akw_status s = store_ensure(st, err);
    if (s == AKW_OK)
        s = store_exec(st, st->db->dialect->begin_write, err);
    st->in_tx = s == AKW_OK;
    return s;
}

enum akw_status
store_tx_end(struct store *st, enum akw_status status, struct akw_err *err)
{
    if (st->in_batch) {
        if (status != AKW_OK)
            st->batch_failed = 1;
        return status;
    }
    st->in_tx = 0;
    if (status == AKW_OK) {
        status = store_exec(st, "COMMIT", err);
        if (status == AKW_OK) {
            store_counts_fold(st);
            return AKW_OK;
        }
    }
    if (drv_in_tx(st->db))
        drv_exec(st->db, "ROLLBACK");
    return status;
}

enum akw_status
store_batch_failed_err(struct store *st, struct akw_err *err)
{
    return akw_err_set(err, AKW_ERR_DB,
                       _("%s: an earlier write of this batch failed; nothing of it is kept"),
                       st->path);
}

int
store_query_int64(struct drv *db, const char *sql, int64_t *out)
{
    struct drv_stmt *s;
    *out = 0;
    if (drv_prepare(db, sql, 0, &s) != 0)
        return -1;
    int rc = drv_step(s);
    if (rc == DRV_ROW)
        *out = drv_col_int64(s, 0);
    drv_finalize(s);
    return rc == DRV_ERROR ? -1 : 0;
}

void
store_bind_text(struct drv_stmt *s, int i, const char *v)
{
    drv_bind_text(s, i, v);
}

void
store_bind_text_e(struct drv_stmt *s, int i, const char *v)
{
    drv_bind_text(s, i, v ? v : "");
}

char *
store_col_dup(struct drv_stmt *s, int i)
{
    const char *t = drv_col_text(s, i);
    return t ? xstrdup(t) : NULL;
}

enum akw_status
store_rows_read(struct store *st, struct drv_stmt *s, const struct store_rows *how, void **items,
                size_t *n, struct akw_err *err)
{
    char *v = NULL;
    size_t cap = 0;
    int rc;
    *n = 0;
    while ((rc = drv_step(s)) == DRV_ROW) {
        if (*n == cap)
            v = xrealloc(v, (cap = cap ? cap * 2 : 16) * how->size);
        char *item = v + *n * how->size;
        memset(item, 0, how->size);
        how->read(s, item);
        (*n)++;
    }
    /* the message is taken before the reset, which starts the statement afresh */
    enum akw_status status = rc == DRV_DONE ? AKW_OK : store_sqlerr(st, err, how->what);
    drv_reset(s);
    if (status != AKW_OK) {
        store_rows_free(v, *n, how);
        v = NULL;
        *n = 0;
    }
    *items = v;
    return status;
}

void
store_rows_free(void *items, size_t n, const struct store_rows *how)
{
    for (size_t i = 0; how->done && i < n; i++)
        how->done((char *)items + i * how->size);
    free(items);
}
