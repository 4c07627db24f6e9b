/* whitelist — entries by AK ID (every leak naming it, now and later) or by fingerprint (one
 * leak); adding whitelists the unhandled leaks an entry covers, cancelling returns them to
 * unhandled. Every change is audit-logged. New findings consult the table in record.c. */
#include "config.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* Move the leaks matching column = key and status `from` to status `to`, logging each
 * (what, note) in the audit log first. extra: more SQL conditions on l, or "". */
static enum akw_status
move_leaks(struct store *st, const char *column, const char *key, int from, int to,
           const char *extra, const char *what, const char *note, const char *who,
           struct akw_err *err)
{
    char *where = xasprintf("l.%s = ?1 AND l.status = %d%s", column, from, extra);
    char *log_sql = xasprintf("INSERT INTO actions(leak_id, ak_id, who, what, note, at,"
                              " old_status, new_status) SELECT l.id, l.ak_id, ?2, ?3, ?4, ?5,"
                              " l.status, %d FROM leaks l WHERE %s",
                              to, where);
    char *upd_sql = xasprintf("UPDATE leaks AS l SET status = %d, handled_as = 0, note = ?4,"
                              " handled_at = %s WHERE %s",
                              to, to == LEAK_STATUS_UNHANDLED ? "NULL" : "?5", where);
    enum akw_status s = AKW_OK;
    const char *sqls[2] = {log_sql, upd_sql};
    for (int i = 0; i < 2 && s == AKW_OK; i++) {
        struct drv_stmt *q = store_stmt_dyn(st, sqls[i], err);
        if (!q) {
            s = AKW_ERR_DB;
            break;
        }
        /* the UPDATE does not use ?2 and ?3 (nor ?5 when it unhandles): the driver
         * ignores them */
        store_bind_text(q, 1, key);
        store_bind_text(q, 2, who);
        store_bind_text(q, 3, what);
        store_bind_text(q, 4, note);
        drv_bind_int64(q, 5, (int64_t)akw_now());
        if (drv_step(q) != DRV_DONE)
            s = store_sqlerr(st, err, "updating whitelisted leaks");
        drv_reset(q);
    }
    free(where);
    free(log_sql);
    free(upd_sql);
    return s;
}

enum akw_status
store_whitelist_add_tx(struct store *st, int64_t leak_id, const char *ak_id,
                       const char *fingerprint, const char *reason, const char *who,
                       struct akw_err *err)
{
    struct drv_stmt *s = store_stmt_dyn(st,
                                     "INSERT INTO whitelist(ak_id, fingerprint, reason, who,"
                                     " added_at) VALUES(?1, ?2, ?3, ?4, ?5)"
                                     " ON CONFLICT DO NOTHING",
                                     err);
    if (!s)
        return AKW_ERR_DB;
    store_bind_text(s, 1, ak_id);
    store_bind_text(s, 2, ak_id ? NULL : fingerprint);
    store_bind_text(s, 3, reason);
    store_bind_text(s, 4, who);
    drv_bind_int64(s, 5, (int64_t)akw_now());
    if (drv_step(s) != DRV_DONE)
        return store_sqlerr(st, err, "adding to the whitelist");
    int added = drv_changes(st->db) == 1;
    drv_reset(s);
    enum akw_status status = AKW_OK;
    if (added)
        status = store_audit_add(st, leak_id, ak_id, who, "whitelist-add", reason, -1, -1, err);
    if (status == AKW_OK)
        status = move_leaks(st, ak_id ? "ak_id" : "fingerprint", ak_id ? ak_id : fingerprint,
                            LEAK_STATUS_UNHANDLED, LEAK_STATUS_WHITELISTED, "",
                            triage_action_name(TRIAGE_WHITELISTED), reason, who, err);
    return status;
}

/* Delete the entries keyed by key; audit one "whitelist-remove" per entry. */
static enum akw_status
delete_entries(struct store *st, const char *key, const char *who, int *found,
               struct akw_err *err)
{
    struct drv_stmt *s = store_stmt_dyn(st,
                                     "DELETE FROM whitelist WHERE ak_id = ?1 OR fingerprint = ?1"
                                     " RETURNING ak_id, fingerprint,"
                                     " (SELECT id FROM leaks WHERE fingerprint = ?1)",
                                     err);
    if (!s)
        return AKW_ERR_DB;
    store_bind_text(s, 1, key);
    struct {
        char *ak_id;
        int64_t leak_id;
    } gone[2];
    int n = 0, rc;
    while ((rc = drv_step(s)) == DRV_ROW && n < 2) {
        gone[n].ak_id = store_col_dup(s, 0);
        gone[n].leak_id = drv_col_null(s, 0) ? drv_col_int64(s, 2)
                                                                     : 0;
        n++;
    }
    while (rc == DRV_ROW)
        rc = drv_step(s);
    drv_reset(s);
    enum akw_status status = AKW_OK;
    if (rc != DRV_DONE)
        status = store_sqlerr(st, err, "removing from the whitelist");
    for (int i = 0; i < n; i++) {
        if (status == AKW_OK)
            status = store_audit_add(st, gone[i].leak_id, gone[i].ak_id, who,
                                     "whitelist-remove", NULL, -1, -1, err);
        free(gone[i].ak_id);
    }
    if (found)
        *found = n > 0;
    return status;
}

enum akw_status
store_whitelist_remove_tx(struct store *st, const char *key, const char *who, int *found,
                          struct akw_err *err)
{
    int any = 0;
    enum akw_status s = delete_entries(st, key, who, &any, err);
    if (found)
        *found = any;
    if (s != AKW_OK || !any)
        return s;
    /* a leak also covered by an entry that stays keeps its whitelisting */
    static const char still[] =
        " AND NOT EXISTS(SELECT 1 FROM whitelist w WHERE w.ak_id = l.ak_id)"
        " AND NOT EXISTS(SELECT 1 FROM whitelist w WHERE w.fingerprint = l.fingerprint)";
    static const char *const columns[] = {"ak_id", "fingerprint"};
    for (size_t i = 0; i < 2 && s == AKW_OK; i++)
        s = move_leaks(st, columns[i], key, LEAK_STATUS_WHITELISTED, LEAK_STATUS_UNHANDLED,
                       still, triage_action_name(TRIAGE_REOPENED), "whitelist cancelled", who,
                       err);
    return s;
}

enum akw_status
store_whitelist_add(struct store *st, const char *ak_id, const char *reason, const char *who,
                    struct akw_err *err)
{
    if (!ak_id || !*ak_id)
        return akw_err_set(err, AKW_ERR_USAGE, _("whitelist add: no AccessKey ID given"));
    enum akw_status s = store_tx_start(st, err);
    if (s != AKW_OK)
        return s;
    s = store_whitelist_add_tx(st, 0, ak_id, NULL, reason && *reason ? reason : NULL,
                               store_actor(st, who && *who ? who : "unknown"), err);
    return store_tx_end(st, s, err);
}

enum akw_status
store_whitelist_remove(struct store *st, const char *ak_id_or_fp, const char *who,
                       struct akw_err *err)
{
    if (!ak_id_or_fp || !*ak_id_or_fp)
        return akw_err_set(err, AKW_ERR_USAGE, _("whitelist remove: nothing given"));
    enum akw_status s = store_tx_start(st, err);
    if (s != AKW_OK)
        return s;
    int found = 0;
    s = store_whitelist_remove_tx(st, ak_id_or_fp, store_actor(st, who && *who ? who : "unknown"),
                                  &found, err);
    if (s == AKW_OK && !found)
        s = akw_err_set(err, AKW_ERR_NOTFOUND, _("%s is not whitelisted"), ak_id_or_fp);
    return store_tx_end(st, s, err);
}

static void
whitelist_row(struct drv_stmt *s, void *item)
{
    struct whitelist_entry *e = item;
    e->id = drv_col_int64(s, 0);
    e->ak_id = store_col_dup(s, 1);
    e->fingerprint = store_col_dup(s, 2);
    e->reason = store_col_dup(s, 3);
    e->who = store_col_dup(s, 4);
    e->added_at = (time_t)drv_col_int64(s, 5);
    e->n_leaks = (long)drv_col_int64(s, 6);
}

static void
whitelist_entry_done(void *item)
{
    struct whitelist_entry *e = item;
    free(e->ak_id), free(e->fingerprint), free(e->reason), free(e->who);
}

static const struct store_rows whitelist_rows = {sizeof(struct whitelist_entry), whitelist_row,
                                                 whitelist_entry_done, "reading the whitelist"};

enum akw_status
store_whitelist_list(struct store *st, struct whitelist_entry **out, size_t *n,
                     struct akw_err *err)
{
    *out = NULL;
    *n = 0;
    struct drv_stmt *s = store_stmt_dyn(
        st,
        "SELECT w.id, w.ak_id, w.fingerprint, w.reason, w.who, w.added_at,"
        " CASE WHEN w.ak_id IS NOT NULL"
        "  THEN (SELECT count(*) FROM leaks l WHERE l.ak_id = w.ak_id AND l.status = 2)"
        "  ELSE (SELECT count(*) FROM leaks l WHERE l.fingerprint = w.fingerprint"
        "        AND l.status = 2) END"
        " FROM whitelist w ORDER BY w.id",
        err);
    if (!s)
        return AKW_ERR_DB;
    void *v;
    enum akw_status status = store_rows_read(st, s, &whitelist_rows, &v, n, err);
    *out = v;
    return status;
}

void
store_whitelist_free(struct whitelist_entry *e, size_t n)
{
    store_rows_free(e, n, &whitelist_rows);
}
