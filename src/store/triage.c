/* triage — apply a decision (deleted, disabled, whitelisted, reopened) to one leak and keep
 * the audit log (actions) that records every decision. Whitelist entries themselves are
 * whitelist.c; this file only asks it to add or cancel one. */
#include "config.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum akw_status
store_audit_add(struct store *st, int64_t leak_id, const char *ak_id, const char *who,
                const char *what, const char *note, int old_status, int new_status,
                struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_ACTION_INSERT, err);
    if (!s)
        return AKW_ERR_DB;
    if (leak_id > 0)
        drv_bind_int64(s, 1, leak_id);
    store_bind_text(s, 2, ak_id);
    store_bind_text_e(s, 3, who);
    store_bind_text_e(s, 4, what);
    store_bind_text(s, 5, note);
    drv_bind_int64(s, 6, (int64_t)akw_now());
    if (old_status >= 0)
        drv_bind_int64(s, 7, old_status);
    if (new_status >= 0)
        drv_bind_int64(s, 8, new_status);
    if (drv_step(s) != DRV_DONE)
        return store_sqlerr(st, err, "writing the audit log");
    drv_reset(s);
    return AKW_OK;
}

enum akw_status
store_audit_note(struct store *st, int64_t leak_id, const char *what, const char *note,
                 const char *who, struct akw_err *err)
{
    if (!what || !*what)
        return akw_err_set(err, AKW_ERR_USAGE, "%s", _("an audit row needs a what"));
    enum akw_status s = store_tx_start(st, err);
    if (s != AKW_OK)
        return s;
    char *ak_id = NULL;
    struct drv_stmt *q = store_stmt(st, SQL_LEAK_STATE, err);
    if (!q)
        s = AKW_ERR_DB;
    if (q) {
        drv_bind_int64(q, 1, leak_id);
        int rc = drv_step(q);
        if (rc == DRV_ROW)
            ak_id = store_col_dup(q, 2);
        else if (rc == DRV_DONE)
            s = akw_err_set(err, AKW_ERR_NOTFOUND, _("no leak with id %lld"), (long long)leak_id);
        else
            s = store_sqlerr(st, err, "reading a leak");
        drv_reset(q);
    }
    if (s == AKW_OK)
        s = store_audit_add(st, leak_id, ak_id, store_actor(st, who && *who ? who : "unknown"),
                            what, note && *note ? note : NULL, -1, -1, err);
    free(ak_id);
    return store_tx_end(st, s, err);
}

/* The current state of a leak, for deciding what a triage action changes. */
struct leak_state {
    int status, handled_as;
    char *ak_id;
    char fingerprint[65];
};

/* Read it inside the write transaction, the row locked until the end of it (the
 * dialect's row_lock) so that two analysts deciding at once take turns. */
static enum akw_status
leak_state_get(struct store *st, int64_t id, struct leak_state *ls, struct akw_err *err)
{
    memset(ls, 0, sizeof *ls);
    const char *lock = st->db->dialect->row_lock;
    struct drv_stmt *s;
    if (lock && *lock) {
        char *sql = xasprintf("SELECT status, handled_as, ak_id, fingerprint FROM leaks"
                              " WHERE id = ?1%s",
                              lock);
        s = store_stmt_dyn(st, sql, err);
        free(sql);
    } else {
        s = store_stmt(st, SQL_LEAK_STATE, err);
    }
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, id);
    int rc = drv_step(s);
    if (rc == DRV_ROW) {
        ls->status = drv_col_int(s, 0);
        ls->handled_as = drv_col_int(s, 1);
        ls->ak_id = store_col_dup(s, 2);
        const char *fp = drv_col_text(s, 3);
        snprintf(ls->fingerprint, sizeof ls->fingerprint, "%s", fp ? fp : "");
    }
    drv_reset(s);
    if (rc == DRV_ROW)
        return AKW_OK;
    if (rc == DRV_DONE)
        return akw_err_set(err, AKW_ERR_NOTFOUND, _("no leak with id %lld"), (long long)id);
    return store_sqlerr(st, err, "reading a leak");
}

static enum akw_status
set_status(struct store *st, int64_t id, int status, int handled_as, const char *note,
           struct akw_err *err)
{
    struct drv_stmt *s = store_stmt_dyn(st,
                                     "UPDATE leaks SET status = ?2, handled_as = ?3, note = ?4,"
                                     " handled_at = ?5 WHERE id = ?1",
                                     err);
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, id);
    drv_bind_int64(s, 2, status);
    drv_bind_int64(s, 3, handled_as);
    store_bind_text(s, 4, note);
    if (status != LEAK_STATUS_UNHANDLED)
        drv_bind_int64(s, 5, (int64_t)akw_now());
    if (drv_step(s) != DRV_DONE)
        return store_sqlerr(st, err, "updating a leak");
    drv_reset(s);
    return AKW_OK;
}

/* clang-format off */
static const struct {
    int status, handled_as;
} action_result[] = {
    [TRIAGE_DELETED] = {LEAK_STATUS_HANDLED, HANDLED_DELETED},
    [TRIAGE_DISABLED] = {LEAK_STATUS_HANDLED, HANDLED_DISABLED},
    [TRIAGE_WHITELISTED] = {LEAK_STATUS_WHITELISTED, HANDLED_NONE},
    [TRIAGE_REOPENED] = {LEAK_STATUS_UNHANDLED, HANDLED_NONE},
};
/* clang-format on */

const char *
store_actor(struct store *st, const char *who)
{
    store_roles_read(st);
    return st->role ? st->role : who;
}

/* The leak is not as the analyst saw it: say who changed it last, when, and to what. */
static enum akw_status
stale_err(struct store *st, int64_t id, const struct leak_state *ls, struct akw_err *err)
{
    char by[128] = "", at[32] = "";
    struct drv_stmt *s = store_stmt_dyn(st,
                                        "SELECT who, at FROM actions WHERE leak_id = ?1"
                                        " ORDER BY id DESC LIMIT 1",
                                        err);
    if (s) {
        drv_bind_int64(s, 1, id);
        if (drv_step(s) == DRV_ROW) {
            const char *w = drv_col_text(s, 0);
            snprintf(by, sizeof by, "%s", w ? w : "");
            akw_time_iso((time_t)drv_col_int64(s, 1), at);
        }
        drv_reset(s);
    }
    const char *now = ls->handled_as != HANDLED_NONE ? handled_as_name(ls->handled_as)
                                                     : leak_status_name(ls->status);
    if (!*by)
        return akw_err_set(err, AKW_ERR_STALE,
                           _("leak %lld changed since you read it (it is %s now); nothing "
                             "was done: look again and decide anew"),
                           (long long)id, now);
    return akw_err_set(err, AKW_ERR_STALE,
                       _("leak %lld was changed by %s at %s (it is %s now); nothing was done: "
                         "look again and decide anew"),
                       (long long)id, by, at, now);
}

static int
is_stale(const struct leak_seen *seen, const struct leak_state *ls)
{
    return seen && ((int)seen->status != ls->status || (int)seen->handled_as != ls->handled_as);
}

enum akw_status
store_check_seen(struct store *st, int64_t leak_id, const struct leak_seen *seen,
                 struct akw_err *err)
{
    struct leak_state ls;
    memset(&ls, 0, sizeof ls);
    struct drv_stmt *s = store_stmt(st, SQL_LEAK_STATE, err);
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, leak_id);
    int rc = drv_step(s);
    if (rc == DRV_ROW)
        ls.status = drv_col_int(s, 0), ls.handled_as = drv_col_int(s, 1);
    drv_reset(s);
    if (rc == DRV_DONE)
        return akw_err_set(err, AKW_ERR_NOTFOUND, _("no leak with id %lld"),
                           (long long)leak_id);
    if (rc != DRV_ROW)
        return store_sqlerr(st, err, "reading a leak");
    return is_stale(seen, &ls) ? stale_err(st, leak_id, &ls, err) : AKW_OK;
}

static enum akw_status
handle_tx(struct store *st, int64_t id, enum triage_action a, const char *note,
          const char *who, const struct leak_seen *seen, struct akw_err *err)
{
    struct leak_state ls;
    enum akw_status s = leak_state_get(st, id, &ls, err);
    if (s == AKW_OK && is_stale(seen, &ls)) {
        s = stale_err(st, id, &ls, err);
        free(ls.ak_id);
        return s;
    }
    int to = action_result[a].status;
    if (s == AKW_OK)
        s = set_status(st, id, to, action_result[a].handled_as, note, err);
    if (s == AKW_OK)
        s = store_audit_add(st, id, ls.ak_id, who, triage_action_name(a), note, ls.status, to,
                            err);
    if (s == AKW_OK && a == TRIAGE_WHITELISTED)
        s = store_whitelist_add_tx(st, id, ls.ak_id, ls.ak_id ? NULL : ls.fingerprint, note,
                                   who, err);
    /* leaving the whitelist cancels the entry that put the leak there (both kinds) */
    if (s == AKW_OK && ls.status == LEAK_STATUS_WHITELISTED && a != TRIAGE_WHITELISTED) {
        if (ls.ak_id && a == TRIAGE_REOPENED)
            s = store_whitelist_remove_tx(st, ls.ak_id, who, NULL, err);
        if (s == AKW_OK)
            s = store_whitelist_remove_tx(st, ls.fingerprint, who, NULL, err);
    }
    free(ls.ak_id);
    return s;
}

enum akw_status
store_handle(struct store *st, int64_t leak_id, enum triage_action a, const char *note,
             const char *who, struct akw_err *err)
{
    return store_handle_seen(st, leak_id, a, note, who, NULL, err);
}

enum akw_status
store_handle_seen(struct store *st, int64_t leak_id, enum triage_action a, const char *note,
                  const char *who, const struct leak_seen *seen, struct akw_err *err)
{
    if ((int)a < TRIAGE_DELETED || (int)a > TRIAGE_REOPENED)
        return akw_err_set(err, AKW_ERR_USAGE, _("unknown triage action %d"), (int)a);
    if (note && !*note)
        note = NULL;
    enum akw_status s = store_tx_start(st, err);
    if (s != AKW_OK)
        return s;
    s = handle_tx(st, leak_id, a, note, store_actor(st, who && *who ? who : "unknown"), seen,
                  err);
    return store_tx_end(st, s, err);
}

static void
audit_row(struct drv_stmt *s, void *item)
{
    struct audit_entry *e = item;
    e->id = drv_col_int64(s, 0);
    e->leak_id = drv_col_int64(s, 1);
    e->ak_id = store_col_dup(s, 2);
    e->who = store_col_dup(s, 3);
    e->what = store_col_dup(s, 4);
    e->note = store_col_dup(s, 5);
    e->at = (time_t)drv_col_int64(s, 6);
}

static void
audit_entry_done(void *item)
{
    struct audit_entry *e = item;
    free(e->ak_id), free(e->who), free(e->what), free(e->note);
}

static const struct store_rows audit_rows = {sizeof(struct audit_entry), audit_row,
                                             audit_entry_done, "reading the audit log"};

enum akw_status
store_audit_list(struct store *st, int64_t leak_id, struct audit_entry **out, size_t *n,
                 struct akw_err *err)
{
    *out = NULL;
    *n = 0;
    struct drv_stmt *s = store_stmt_dyn(st,
                                     leak_id ? "SELECT id, coalesce(leak_id, 0), ak_id, who, what,"
                                               " note, at FROM actions WHERE leak_id = ?1"
                                               " ORDER BY id"
                                             : "SELECT id, coalesce(leak_id, 0), ak_id, who, what,"
                                               " note, at FROM actions ORDER BY id",
                                     err);
    if (!s)
        return AKW_ERR_DB;
    if (leak_id)
        drv_bind_int64(s, 1, leak_id);
    void *v;
    enum akw_status status = store_rows_read(st, s, &audit_rows, &v, n, err);
    *out = v;
    return status;
}

void
store_audit_free(struct audit_entry *e, size_t n)
{
    store_rows_free(e, n, &audit_rows);
}
